"""Smoke test of benchmarks/bench_repo.py on a tiny tree (the benchmark itself is not part
of the suite): the tree holds what it says, and only its requests are requests."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

from hpt_lint.config import Config
from hpt_lint.lint import lint_paths
from tests.conftest import ROOT


def _bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_repo",
                                                  ROOT / "benchmarks" / "bench_repo.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_repo"] = module
    spec.loader.exec_module(module)
    return module


def test_the_tree_holds_requests_only_where_they_were_put(tmp_path: Path) -> None:
    bench = _bench()
    counts = bench.build(tmp_path / "repo", files=30, big_mb=1)
    assert counts == {"py": 10, "json": 10, "yaml": 10, "big": 2, "requests": 4}
    results = lint_paths([tmp_path / "repo"], Config(isolated=True), jobs=1)
    with_requests = sorted(Path(r.file).name for r in results if r.requests)
    assert with_requests == sorted(p.name for p in bench.REQUESTS)
    assert all(not r.findings for r in results if "tuning" not in r.file)


@pytest.mark.skipif(shutil.which("ruff") is None and not (
    Path(sys.executable).with_name("ruff")).exists(), reason="ruff is not installed")
def test_one_tiny_run_reports_both_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert _bench().main(["--files", "6", "--big-mb", "1", "--runs", "1"]) == 0
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(last["wall_seconds"]) == {"hpt-lint", "ruff --select E9"}
    assert last["ratio"] > 0 and last["cpu_ratio"] > 0
