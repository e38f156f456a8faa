"""Helpers for the config / suppression / baseline / CI-format tests: temporary git
repositories holding the fixture requests of ``tests/fixtures/ci``."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from click.testing import CliRunner, Result

from hpt_lint.cli import main
from tests.conftest import FIXTURES

CI_FIXTURES = FIXTURES / "ci"
TWO_FAULTS_YAML = (CI_FIXTURES / "two-faults.yaml").read_text(encoding="utf-8")
TWO_FAULTS_JSON = (CI_FIXTURES / "two-faults.json").read_text(encoding="utf-8")
# (rule, line, column) of the faults in the fixtures
YAML_FAULTS = [("HPT103", 15, 16), ("HPT304", 10, 19)]
JSON_FAULTS = [("HPT103", 14, 44), ("HPT304", 9, 39)]


def git_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    return path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env or {"GITHUB_ACTIONS": None},
                              catch_exceptions=False)


def findings(result: Result) -> list[tuple[str, str, int, int]]:
    """(file, rule, line, column) from a ``--format json`` run."""
    doc = json.loads(result.stdout)
    return sorted((Path(f["file"]).as_posix(), f["rule"], f["line"], f["column"])
                  for f in doc["findings"])
