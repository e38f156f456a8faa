"""``--format github``: workflow-command annotations, escaped, chosen automatically
under GitHub Actions."""

from __future__ import annotations

from pathlib import Path

import pytest

from hpt_lint.reporters.github import escape_data, escape_property
from tests.ci_support import TWO_FAULTS_YAML, run, write
from tests.conftest import ROOT

HPT304_MESSAGE = ("range `alpha` uses Logarithmic scaling but its MinValue is 0; log scaling "
                  "works only for ranges whose values are all greater than 0: raise MinValue "
                  "above 0 or use Linear scaling")


def test_annotations(repo: Path) -> None:
    write(repo / "jobs" / "a.yaml", TWO_FAULTS_YAML)
    result = run("check", "--format", "github", ".")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == ("::error file=jobs/a.yaml,line=10,col=19,endLine=10,endColumn=22,"
                        "title=HPT304 (log-scaling-needs-positive-range)::" + HPT304_MESSAGE)
    assert lines[1].startswith("::error file=jobs/a.yaml,line=15,col=16,endLine=15,"
                               "endColumn=19,title=HPT103 (wrong-type)::")
    assert lines[2] == "hpt-lint: 2 findings (2 errors, 0 warnings, 0 info) in 1 file"


def test_paths_are_relative_to_the_repository_root(repo: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo / "jobs" / "a.yaml", TWO_FAULTS_YAML)
    monkeypatch.chdir(repo / "jobs")
    lines = run("check", "--format", "github", "a.yaml").stdout.splitlines()
    assert lines[0].startswith("::error file=jobs/a.yaml,line=10,")


def test_warning_and_notice_levels(repo: Path) -> None:
    write(repo / ".hpt-lint.yaml", "severity: {HPT304: warning, HPT103: info}\n")
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    lines = run("check", "--format", "github", ".").stdout.splitlines()
    assert [line.split(" ", 1)[0] for line in lines[:2]] == ["::warning", "::notice"]


def test_escaping_in_properties_and_message(repo: Path) -> None:
    assert escape_data("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b"
    assert escape_property("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext%3A a%2Cb"
    text = (ROOT / "examples" / "faulty-structure.yaml").read_text(encoding="utf-8")
    write(repo / "odd, name: 100%.yaml", text)
    lines = run("check", "--format", "github", ".").stdout.splitlines()
    first = lines[0]
    assert first.startswith("::error file=odd%2C name%3A 100%25.yaml,line=2,col=30,")
    title, message = first.split("::", 2)[1:]
    assert title.endswith("title=HPT201 (invalid-tuning-job-name)")
    assert "also lists %3A" not in message  # ':' is not escaped in the message
    assert "also lists : + = @ _ %25," in message


@pytest.mark.parametrize(("env", "expected"), [
    ({"GITHUB_ACTIONS": "true"}, "::error "),
    ({"GITHUB_ACTIONS": "false"}, "a.yaml:10:19: HPT304"),
    ({"GITHUB_ACTIONS": None}, "a.yaml:10:19: HPT304"),
])
def test_chosen_automatically_under_github_actions(repo: Path, env: dict[str, str | None],
                                                   expected: str) -> None:
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    assert expected in run("check", ".", env=env).stdout


def test_explicit_format_wins_under_github_actions(repo: Path) -> None:
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    out = run("check", "--format", "text", ".", env={"GITHUB_ACTIONS": "true"}).stdout
    assert "::error" not in out
    assert "a.yaml:10:19: HPT304 [error]" in out
