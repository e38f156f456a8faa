"""The installed tool: import hygiene and a wheel that works outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

HEAVY = ("botocore", "boto3", "pygls", "lsprotocol")


def _imported_modules(*args: str, cwd: Path | None = None,
                      env: dict[str, str] | None = None) -> set[str]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "hpt_lint", *args],
                          capture_output=True, text=True, cwd=cwd, env=env, check=False)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


@pytest.mark.parametrize("args", [
    ("check", str(ROOT / "examples" / "valid-bayesian.yaml")),
    ("check", "--format", "json", str(ROOT / "examples")),
    ("rules",), ("--version",),
])
def test_the_cli_never_imports_heavy_modules(args: tuple[str, ...]) -> None:
    imported = _imported_modules(*args)
    assert "hpt_lint.cli" in imported  # the measurement works
    assert not {m for m in imported if m.split(".")[0] in HEAVY}


def test_the_cli_skips_format_checkers_it_never_uses() -> None:
    """A structural fault makes the CLI import jsonschema, which imports every format
    checker it finds; rfc3987-syntax (installed here by the Jupyter test extras, as in
    many data-science environments) costs 1.3 s to import and hpt-lint uses no format."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:  # (not find_spec: an in-process CLI run of another test marks the module absent)
        distribution("rfc3987-syntax")
    except PackageNotFoundError:
        pytest.skip("rfc3987-syntax is not installed: nothing to skip")
    imported = _imported_modules("check", "--no-source",
                                 str(ROOT / "examples" / "faulty-structure.yaml"))
    assert "jsonschema" in imported  # the fault was explained through jsonschema
    # (importtime lists the name itself, found as None; its grammar module is not run)
    assert "rfc3987_syntax.syntax_helpers" not in imported


def test_wheel_ships_rules_schemas_and_runs_outside_the_source_tree(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist),
                    str(ROOT)], check=True, capture_output=True)
    (wheel,) = dist.glob("hpt_lint-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "hpt_lint/_data/schemas/create-hyper-parameter-tuning-job.schema.json" in names
    assert "hpt_lint/_data/rules/HPT304.md" in names
    assert "hpt_lint/_data/examples/valid-bayesian.yaml" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "hpt-lint = hpt_lint.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    example = target / "hpt_lint" / "_data" / "examples" / "faulty-semantics.yaml"
    env = {**os.environ, "PYTHONPATH": str(target)}
    proc = subprocess.run([sys.executable, "-m", "hpt_lint", "check", "--no-source",
                           str(example)], capture_output=True, text=True, cwd=elsewhere,
                          env=env, check=False)
    assert proc.returncode == 1, proc.stderr
    assert "HPT304 [error]" in proc.stdout
    proc = subprocess.run([sys.executable, "-c", "import hpt_lint.resources as r; "
                           "print(r.data_dir('rules'))"], capture_output=True, text=True,
                          cwd=elsewhere, env=env, check=True)
    assert proc.stdout.strip() == str(target / "hpt_lint" / "_data" / "rules")
    explain = subprocess.run([sys.executable, "-m", "hpt_lint", "explain", "HPT304"],
                             capture_output=True, text=True, cwd=elsewhere, env=env, check=True)
    assert explain.stdout.startswith("# HPT304")
