"""SARIF that GitHub code scanning ingests from any file name, and GitHub annotations
that follow the Actions toolkit's rules.

The consumers' checks, run for real: the official SARIF 2.1.0 schema with its
``format`` keywords enforced (``uri-reference`` by an RFC 3986 grammar), the
``rfc3986`` parser on every URI, and the workflow-command rules of the toolkit
(no ``col``/``endColumn`` on a multi-line annotation; 10 annotations per kind).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import rfc3986
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import FormatChecker
from jsonschema.validators import validator_for

from hpt_lint.findings import Finding, Severity
from hpt_lint.reporters.github import annotation
from hpt_lint.reporters.sarif import uri_reference
from tests.ci_support import TWO_FAULTS_YAML, run, write
from tests.conftest import FIXTURES

SCHEMA = json.loads((Path(__file__).parent / "vendor" / "sarif-schema-2.1.0.json")
                    .read_text(encoding="utf-8"))
STRICT = validator_for(SCHEMA)(SCHEMA, format_checker=FormatChecker())
# every character class the issue names: space, '#', non-ASCII, '%', a newline; and ':'
# (a relative reference whose first segment has ':' reads as a scheme)
NAMES = ["a b.yaml", "a#b.yaml", "ü.yaml", "p%.yaml", "new\nline.yaml", "c:d.yaml",
         "q?.yaml", "sub dir/[x] y.yaml"]


def sarif(*args: str) -> dict[str, Any]:
    result = run("check", "--format", "sarif", *args)
    assert result.exit_code in (0, 1), result.output
    log: dict[str, Any] = json.loads(result.stdout)
    errors = sorted(STRICT.iter_errors(log), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    return log


def _uris(log: dict[str, Any]) -> list[str]:
    out = []
    for result in log["runs"][0]["results"]:
        for loc in result["locations"]:
            out.append(loc["physicalLocation"]["artifactLocation"]["uri"])
        for fix in result.get("fixes", ()):
            for change in fix["artifactChanges"]:
                out.append(change["artifactLocation"]["uri"])
    return out


def _valid_relative_reference(uri: str) -> bool:
    ref = rfc3986.uri_reference(uri)
    validator = rfc3986.validators.Validator().check_validity_of("path", "query", "fragment")
    try:
        validator.validate(ref)
    except rfc3986.exceptions.ValidationError:
        return False
    return ref.scheme is None and ref.authority is None and ref.query is None \
        and ref.fragment is None


@pytest.mark.parametrize("name", NAMES, ids=repr)
def test_any_file_name_gives_a_valid_uri_in_locations_and_fixes(repo: Path,
                                                                  name: str) -> None:
    write(repo / name, TWO_FAULTS_YAML)
    log = sarif(".")
    uris = _uris(log)
    assert len(uris) == 3  # two results, one of them with a fix
    for uri in uris:
        assert _valid_relative_reference(uri), uri
        assert unquote(uri, errors="strict") == name
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"][
        "artifactLocation"]["uriBaseId"] == "%SRCROOT%"


def test_a_file_outside_the_root_gets_an_absolute_file_uri(repo: Path,
                                                           tmp_path: Path) -> None:
    outside = write(tmp_path / "else where" / "p%#ü.yaml", TWO_FAULTS_YAML)
    log = sarif(str(outside))
    for uri in _uris(log):
        ref = rfc3986.uri_reference(uri)
        assert ref.scheme == "file" and ref.fragment is None, uri
        assert unquote(ref.path) == outside.as_posix()


@given(st.lists(st.text(st.characters(exclude_characters="/\0", codec="utf-8"),
                        min_size=1, max_size=12).filter(lambda s: s not in (".", "..")),
                min_size=1, max_size=4))
def test_uri_reference_round_trips_any_relative_path(parts: list[str]) -> None:
    path = "/".join(parts)
    uri = uri_reference(path)
    assert _valid_relative_reference(uri), uri
    assert FormatChecker().conforms(uri, "uri-reference")
    assert unquote(uri, errors="strict") == path


def _walk(value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [kv for k, v in value.items() for kv in [(k, v), *_walk(v)]]
    if isinstance(value, list):
        return [kv for v in value for kv in _walk(v)]
    return []


POLICY_CONFIG = """\
extends: [security-baseline, cost-guardrails]
policies:
  - id: ORG001
    name: two-parallel-jobs
    severity: warning
    message: At most 2 parallel training jobs
    check:
      - {path: HyperParameterTuningJobConfig.ResourceLimits.MaxParallelTrainingJobs, max: 1}
"""


def test_help_uri_only_where_a_document_is_published(repo: Path) -> None:
    write(repo / ".hpt-lint.yaml", POLICY_CONFIG)
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    log = sarif(".")
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert {"HPT304", "SEC001", "COST001", "ORG001"} <= set(rules)
    assert not [k for k, _ in _walk(log) if k in ("helpUri", "informationUri")]
    assert not [k for k, v in _walk(log) if v == ""]
    assert rules["ORG001"]["help"]["text"] == "At most 2 parallel training jobs"
    assert rules["HPT304"]["help"]["text"].startswith("# HPT304: ")

    base = "https://github.com/acme/hpt-lint/blob/v0.1.0/rules/"
    write(repo / ".hpt-lint.yaml", POLICY_CONFIG + f"docs-url: {base}\n")
    rules = {r["id"]: r for r in sarif(".")["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["HPT304"]["helpUri"] == base + "HPT304.md"
    assert rules["SEC001"]["helpUri"] == (
        base + "packs/security-baseline.md#sec001-network-isolation")
    assert "helpUri" not in rules["ORG001"]  # an inline policy has no page


def test_docs_url_must_be_an_https_url(repo: Path) -> None:
    write(repo / ".hpt-lint.yaml", "docs-url: ''\n")
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    result = run("check", "--format", "sarif", ".")
    assert result.exit_code == 2
    assert "docs-url" in result.output


def test_security_pack_policies_are_security_results(repo: Path) -> None:
    write(repo / ".hpt-lint.yaml", POLICY_CONFIG)
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    rules = {r["id"]: r for r in sarif(".")["runs"][0]["tool"]["driver"]["rules"]}
    for rule_id in ("SEC001", "SEC002", "SEC003", "SEC004", "SEC005", "SEC006"):
        props = rules[rule_id]["properties"]
        assert "security" in props["tags"] and "policy" in props["tags"]
        assert 0.1 <= float(props["security-severity"]) < 7.0  # GitHub's "medium"
    for rule_id in ("COST001", "ORG001", "HPT304"):
        assert "security-severity" not in rules[rule_id]["properties"]
        assert "security" not in rules[rule_id]["properties"]["tags"]
    assert rules["HPT601"]["properties"]["security-severity"] == "9.0"


def test_notebook_cell_and_line_are_in_the_message(repo: Path) -> None:
    shutil.copy(FIXTURES / "notebooks" / "cross_cell.ipynb", repo / "nb.ipynb")
    log = sarif(".")
    (result,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "HPT304"]
    assert result["message"]["text"].startswith("cell 5, line 4: range `eta` uses")
    assert result["properties"]["context"] == "cell 5, line 4"
    lines = run("check", "--format", "github", ".").stdout.splitlines()
    (hpt304,) = [line for line in lines if "title=HPT304" in line]
    assert hpt304.split("::", 2)[2].startswith("cell 5, line 4: range `eta` uses")


# -- --format github ------------------------------------------------------------------

def _finding(line: int, end_line: int, severity: Severity = Severity.ERROR) -> Finding:
    return Finding(rule="HPT900", name="made-up", severity=severity, message="m",
                   file="a.yaml", line=line, column=5, end_line=end_line, end_column=3,
                   json_path="")


def _props(command: str) -> dict[str, str]:
    head = command.split("::", 2)[1]
    return dict(p.split("=", 1) for p in head.split(" ", 1)[1].split(","))


def test_a_multi_line_annotation_has_no_columns(repo: Path) -> None:
    assert set(_props(annotation(_finding(3, 5)))) == {"file", "line", "endLine", "title"}
    assert _props(annotation(_finding(3, 3))) | {"file": "", "title": ""} == {
        "file": "", "line": "3", "col": "5", "endLine": "3", "endColumn": "6", "title": ""}
    # a real one: a list where a string belongs, written over two lines
    write(repo / "a.yaml", TWO_FAULTS_YAML.replace("num_round: 200  # HPT103",
                                                   "num_round: [1,\n      2]"))
    lines = run("check", "--format", "github", ".").stdout.splitlines()
    (org,) = [line for line in lines if "title=HPT103" in line]
    props = _props(org)
    assert (props["line"], props["endLine"]) == ("15", "16")
    assert "col" not in props and "endColumn" not in props


def _faults(n: int) -> str:
    """A request with ``n`` log-scaled ranges from 0 (``n`` HPT304 errors)."""
    ranges = "".join(f"      - {{Name: p{i}, MinValue: \"0\", MaxValue: \"1\", "
                     "ScalingType: Logarithmic}\n" for i in range(n))
    return TWO_FAULTS_YAML.replace(
        "      - Name: alpha\n        MinValue: \"0\"  # HPT304\n        MaxValue: \"1000\"\n"
        "        ScalingType: Logarithmic\n", ranges).replace("num_round: 200", "num_round: '2'")


@pytest.mark.parametrize(("errors", "closing"), [(10, False), (11, True)])
def test_one_closing_notice_past_what_github_shows(repo: Path, errors: int,
                                                   closing: bool) -> None:
    write(repo / "a.yaml", _faults(errors))
    result = run("check", "--format", "github", ".")
    lines = result.stdout.splitlines()
    assert sum(line.startswith("::error ") for line in lines) == errors
    notices = [line for line in lines if line.startswith("::notice ")]
    if not closing:
        assert notices == []
        return
    (notice,) = notices
    assert lines[-1] == notice
    assert f"found {errors} findings ({errors} errors, 0 warnings, 0 info)" in notice
    assert "SARIF" in notice and "--format text" in notice


@pytest.mark.parametrize(("info", "shown"), [(10, 10), (11, 10), (12, 10)])
def test_hidden_notices_leave_room_for_the_closing_one(repo: Path, info: int,
                                                       shown: int) -> None:
    write(repo / ".hpt-lint.yaml", "severity: {HPT304: info}\n")
    write(repo / "a.yaml", _faults(info))
    lines = run("check", "--format", "github", ".").stdout.splitlines()
    notices = [line for line in lines if line.startswith("::notice ")]
    assert len(notices) == shown  # GitHub shows 10 notices per step
    closing = [n for n in notices if "title=hpt-lint" in n]
    if info <= 10:  # every finding is shown: no closing notice
        assert closing == []
    else:  # nine findings and the closing notice
        assert closing == [notices[-1]]
        assert f"found {info} findings (0 errors, 0 warnings, {info} info)" in notices[-1]
