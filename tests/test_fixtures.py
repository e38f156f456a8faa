"""Fixture files with their expected findings (rule, line, column), asserted exactly.

Each ``tests/fixtures/<kind>/<name>.<ext>`` has a ``<name>.expected.json`` snapshot. After
a deliberate change, regenerate with ``HPT_UPDATE_SNAPSHOTS=1 python -m pytest
tests/test_fixtures.py`` and review the diff. For YAML fixtures the ``# HPTnnn`` marks in
the file, for JSON fixtures the hand-written ``<name>.findings`` beside it, must agree with
the snapshot's (rule, line): two independent records of intent.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hpt_lint.config import Config
from hpt_lint.lint import lint_file
from tests.conftest import FIXTURES, marks

SNAPSHOT_DIRS = ("yaml", "json")  # other fixture folders belong to their own tests
CASES = sorted(p for d in SNAPSHOT_DIRS for p in (FIXTURES / d).glob("*")
               if p.suffix in (".yaml", ".yml", ".json") and not p.name.endswith(".expected.json"))


def _snapshot(path: Path) -> Path:
    return path.with_name(path.stem + ".expected.json")


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_findings_are_exactly_the_snapshot(path: Path) -> None:
    result = lint_file(path, Config())
    actual = [{"rule": f.rule, "line": f.line, "column": f.column, "end_line": f.end_line,
               "end_column": f.end_column, "json_path": f.json_path} for f in result.findings]
    snap = _snapshot(path)
    if os.environ.get("HPT_UPDATE_SNAPSHOTS"):
        snap.write_text(json.dumps(actual, indent=1) + "\n", encoding="utf-8")
    assert snap.exists(), f"no snapshot {snap.name}: run with HPT_UPDATE_SNAPSHOTS=1"
    assert actual == json.loads(snap.read_text(encoding="utf-8"))
    if path.suffix in (".yaml", ".yml") and "parse-error" not in path.name:
        assert sorted((f["rule"], f["line"]) for f in actual) == marks(path.read_text())
    if path.suffix == ".json":
        assert sorted((f["rule"], f["line"]) for f in actual) == sidecar(path)


def sidecar(path: Path) -> list[tuple[str, int]]:
    """The second record of intent of a JSON fixture, which has no comments to carry
    ``# HPTnnn`` marks: ``<name>.findings`` beside it, one ``RULE LINE  why`` a line,
    written by hand and never by the snapshot update."""
    notes = path.with_suffix(".findings")
    assert notes.exists(), f"{notes.name} is missing: list the findings the fixture is for"
    rows = [line.split()[:2] for line in notes.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return sorted((rule, int(line)) for rule, line in rows)


def test_json_positions_are_as_exact_as_yaml() -> None:
    """The same request, faulty in the same places, as YAML and as JSON."""
    import yaml

    from hpt_lint.lint import lint_text

    text = (FIXTURES / "json" / "cli-input.json").read_text()
    as_yaml = yaml.safe_dump(json.loads(text), sort_keys=False)
    j = lint_text(text, "a.json", Config())
    y = lint_text(as_yaml, "a.yaml", Config())
    assert sorted((f.rule, f.json_path) for f in j.findings) == sorted(
        (f.rule, f.json_path) for f in y.findings)
    lines = text.splitlines()
    for f in j.findings:  # every JSON span starts and ends exactly on its token
        if f.json_path and f.rule != "HPT106":
            assert f.line == f.end_line
            token = lines[f.line - 1][f.column - 1:f.end_column - 1]
            assert json.loads(token) is not None
