from __future__ import annotations

import re
from pathlib import Path

import pytest

from hpt_lint.config import Config
from hpt_lint.lint import FileResult, lint_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MARK = re.compile(r"#\s*(HPT\d{3})\b")


# Variables a CI runner or a user's shell sets that change what hpt-lint prints: the
# suite runs the same on a laptop and on a GitHub runner. A test that needs one sets it.
OUTPUT_ENVIRONMENT = ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE",
                      "HPT_LINT_JOBS")


@pytest.fixture(autouse=True)
def _clean_output_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in OUTPUT_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


def lint_string(text: str, suffix: str = ".yaml", config: Config | None = None,
                file: str | None = None) -> FileResult:
    return lint_text(text, file or f"input{suffix}", config or Config(), suffix)


def marks(text: str) -> list[tuple[str, int]]:
    """(rule, line) for every ``# HPTnnn`` comment in a YAML text."""
    return sorted((m.group(1), n) for n, line in enumerate(text.splitlines(), 1)
                  for m in MARK.finditer(line))


def found(result: FileResult) -> list[tuple[str, int]]:
    return sorted((f.rule, f.line) for f in result.findings)


@pytest.fixture
def lint():
    return lint_string


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh git repository as the working directory, with no cached config."""
    from hpt_lint.config import clear_caches
    from tests.ci_support import git_repo

    clear_caches()
    root = git_repo(tmp_path / "repo")
    monkeypatch.chdir(root)
    return root
