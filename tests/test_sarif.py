"""``--format sarif``: valid SARIF 2.1.0, every enabled rule described, stable
fingerprints, deterministic bytes, crashes as tool notifications."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema.validators import validator_for

from hpt_lint import engine
from hpt_lint.config import Config
from hpt_lint.docs import doc_path
from hpt_lint.findings import Severity
from hpt_lint.loaders import supported
from hpt_lint.request import Request
from hpt_lint.rule import REGISTRY, Rule, Violation
from tests.ci_support import (
    CI_FIXTURES,
    JSON_FAULTS,
    TWO_FAULTS_YAML,
    YAML_FAULTS,
    run,
    write,
)
from tests.conftest import ROOT

SCHEMA = json.loads((Path(__file__).parent / "vendor" / "sarif-schema-2.1.0.json")
                    .read_text(encoding="utf-8"))
VALIDATOR = validator_for(SCHEMA)(SCHEMA)
SECRET = "AKIAIOSFODNN7EXAMPLE"


def sarif(*args: str) -> tuple[dict[str, Any], int]:
    result = run("check", "--format", "sarif", *args)
    log = json.loads(result.stdout)
    errors = sorted(VALIDATOR.iter_errors(log), key=str)
    assert not errors, [e.message for e in errors[:5]]
    return log, result.exit_code


@pytest.fixture
def extra_rules() -> Iterator[None]:
    """Two rules registered for one test: one that crashes, and a team policy rule with
    a non-HPT id (the policy stage registers such rules)."""

    class Crashes(Rule):
        id = "HPT990"
        name = "crashes-for-the-test"
        severity = Severity.WARNING
        summary = "Always raises."

        def check(self, request: Request) -> Iterator[Violation]:
            raise ValueError("boom")

    class TeamPolicy(Rule):
        id = "TEAM001"
        name = "team-max-parallel"
        severity = Severity.WARNING
        summary = "At most 2 parallel training jobs."
        tags = ("policy", "cost")

        def check(self, request: Request) -> Iterator[Violation]:
            yield Violation(("HyperParameterTuningJobConfig", "ResourceLimits",
                             "MaxParallelTrainingJobs"), "more than 2 parallel jobs")

    engine.load_rules.cache_clear()
    try:
        yield
    finally:
        del REGISTRY[Crashes.id], REGISTRY[TeamPolicy.id]
        engine.load_rules.cache_clear()


def test_logs_of_the_fixtures_validate(repo: Path) -> None:
    write(repo / "jobs" / "a.yaml", TWO_FAULTS_YAML)
    write(repo / "jobs" / "b.json", (CI_FIXTURES / "two-faults.json").read_text())
    write(repo / "structure.yaml", (ROOT / "examples" / "faulty-structure.yaml").read_text())
    write(repo / "valid.yaml", (ROOT / "examples" / "valid-bayesian.yaml").read_text())
    write(repo / "broken.yaml", "HyperParameterTuningJobName: [\n")
    log, code = sarif(".")
    assert code == 1
    run_ = log["runs"][0]
    assert log["version"] == "2.1.0"
    assert run_["columnKind"] == "unicodeCodePoints"
    assert run_["invocations"] == [{"executionSuccessful": True}]
    assert "%SRCROOT%" in run_["originalUriBaseIds"]
    got = sorted((r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                  r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
                 for r in run_["results"])
    assert [g for g in got if g[0].startswith("jobs/")] == sorted(
        [("jobs/a.yaml", r, ln) for r, ln, _ in YAML_FAULTS]
        + [("jobs/b.json", r, ln) for r, ln, _ in JSON_FAULTS])
    assert ("broken.yaml", "HPT001", 2) in got
    assert not [g for g in got if g[0] == "valid.yaml"]
    assert {g[1] for g in got if g[0] == "structure.yaml"} == {"HPT102", "HPT103", "HPT104",
                                                               "HPT107", "HPT201"}


def test_result_shape(repo: Path) -> None:
    write(repo / "sub dir" / "a.yaml", TWO_FAULTS_YAML)
    log, _ = sarif(".")
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    (result,) = [r for r in run_["results"] if r["ruleId"] == "HPT304"]
    assert rules[result["ruleIndex"]]["id"] == "HPT304"
    assert result["level"] == "error"
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "sub%20dir/a.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 10, "startColumn": 19, "endLine": 10, "endColumn": 22}}
    assert result["properties"]["jsonPath"] == (
        "HyperParameterTuningJobConfig.ParameterRanges.ContinuousParameterRanges[0].MinValue")
    assert list(result["partialFingerprints"]) == ["hptLintFingerprint/v1"]
    fixed = next(r for r in run_["results"] if r["ruleId"] == "HPT103")
    assert fixed["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"] == {
        "text": '"200"'}


def test_driver_lists_every_enabled_rule_sorted(repo: Path) -> None:
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    log, _ = sarif(".")
    driver = log["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("hpt-lint", __import__("hpt_lint").__version__)
    assert "informationUri" not in driver  # no project page is published
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted(r.id for r in engine.enabled_rules(Config()))
    assert "HPT002" not in ids  # off by default
    for rule in driver["rules"]:
        cls = engine.all_rules()[rule["id"]]
        assert rule["name"] == cls.name
        assert rule["shortDescription"]["text"] == cls.summary
        assert rule["defaultConfiguration"]["level"] == {"error": "error", "warning": "warning",
                                                         "info": "note"}[cls.severity.value]
        assert "helpUri" not in rule  # only with a configured docs-url
        doc = doc_path(cls.id)
        expected = doc.read_text(encoding="utf-8") if doc.exists() else cls.summary
        assert rule["help"] == {"text": expected, "markdown": expected}
        assert rule["properties"]["tags"] == sorted(cls.tags)
        assert ("security-severity" in rule["properties"]) == cls.id.startswith("HPT6")
    hpt601 = next(r for r in driver["rules"] if r["id"] == "HPT601")
    assert hpt601["properties"]["security-severity"] == "9.0"
    hpt304 = next(r for r in driver["rules"] if r["id"] == "HPT304")
    assert hpt304["fullDescription"]["text"].startswith("Reports a range with")


def test_driver_follows_the_selection(repo: Path) -> None:
    write(repo / ".hpt-lint.yaml", "extend-select: [HPT003]\n")
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    log, _ = sarif("--select", "HPT3", ".")
    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]] == sorted(
        r.id for r in engine.enabled_rules(Config(select=("HPT3",), extend_select=("HPT003",))))


def test_fingerprints_survive_lines_inserted_above(repo: Path) -> None:
    target = write(repo / "a.yaml", TWO_FAULTS_YAML)
    before, _ = sarif(".")
    target.write_text("# a header\n# over\n# three lines\n" + TWO_FAULTS_YAML, encoding="utf-8")
    after, _ = sarif(".")

    def prints(log: dict[str, Any]) -> dict[str, tuple[str, int]]:
        return {r["ruleId"]: (r["partialFingerprints"]["hptLintFingerprint/v1"],
                              r["locations"][0]["physicalLocation"]["region"]["startLine"])
                for r in log["runs"][0]["results"]}

    b, a = prints(before), prints(after)
    assert {k: v[0] for k, v in b.items()} == {k: v[0] for k, v in a.items()}
    assert {k: v[1] + 3 for k, v in b.items()} == {k: v[1] for k, v in a.items()}
    # a changed value is a different finding
    target.write_text(TWO_FAULTS_YAML.replace('MinValue: "0"', 'MinValue: "-1"'),
                      encoding="utf-8")
    changed, _ = sarif(".")
    assert prints(changed)["HPT304"][0] != b["HPT304"][0]
    assert prints(changed)["HPT103"][0] == b["HPT103"][0]


def test_same_input_same_bytes(repo: Path, tmp_path: Path) -> None:
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    write(repo / "b.json", (CI_FIXTURES / "two-faults.json").read_text())
    one = run("check", "--format", "sarif", ".").stdout_bytes
    two = run("check", "--format", "sarif", "b.json", "a.yaml").stdout_bytes
    assert one == two


def test_secret_is_masked(repo: Path) -> None:
    write(repo / "a.yaml", TWO_FAULTS_YAML.replace(
        "    num_round: 200  # HPT103\n", f"    num_round: '200'\n    aws_key: {SECRET}\n"))
    log, _ = sarif(".")
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["HPT304", "HPT601"]
    assert SECRET not in json.dumps(log)


def test_internal_error_is_a_notification(repo: Path, extra_rules: None) -> None:
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    log, code = sarif(".")
    assert code == 2
    run_ = log["runs"][0]
    (invocation,) = run_["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["descriptor"] == {"id": "HPT000"}
    assert note["message"]["text"] == "rule HPT990 crashed: ValueError: boom"
    assert "HPT000" not in {r["ruleId"] for r in run_["results"]}


def test_policy_rules_appear_like_built_in_rules(repo: Path, extra_rules: None) -> None:
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    log, _ = sarif("--ignore", "HPT990", ".")
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    team = next(r for r in rules if r["id"] == "TEAM001")
    assert team["help"]["text"] == "At most 2 parallel training jobs."
    assert team["properties"] == {"tags": ["cost", "policy"]}
    (result,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "TEAM001"]
    assert rules[result["ruleIndex"]]["id"] == "TEAM001"
    assert result["level"] == "warning"


def test_output_file(repo: Path) -> None:
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    result = run("check", "--format", "sarif", "--output", "out/hpt.sarif", ".")
    assert result.exit_code == 2  # out/ does not exist
    (repo / "out").mkdir()
    result = run("check", "--format", "sarif", "--output", "out/hpt.sarif", ".")
    assert result.exit_code == 1
    assert result.stdout == ""
    log = json.loads((repo / "out" / "hpt.sarif").read_text(encoding="utf-8"))
    assert not list(VALIDATOR.iter_errors(log))
    result = run("check", "-o", "report.txt", ".")
    assert (repo / "report.txt").read_text(encoding="utf-8").endswith(
        "Found 2 findings (2 errors) in 1 of 1 file (1 request).\n")


EVERY_FIXTURE = sorted(p for p in [*(ROOT / "tests" / "fixtures").rglob("*"),
                                   *(ROOT / "examples").glob("*")]
                       if p.is_file() and supported(p) and not p.name.endswith(".expected.json"))


@pytest.mark.parametrize("path", EVERY_FIXTURE, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_fixtures_log_validates(path: Path) -> None:
    from hpt_lint.config import Config
    from hpt_lint.engine import enabled_rules
    from hpt_lint.lint import lint_file
    from hpt_lint.reporters import Options, render

    config = Config(extend_select=("HPT002", "HPT003"))
    result = lint_file(path, config)
    log = json.loads(render("sarif", [result], Options(root=str(ROOT),
                                                       rules=tuple(enabled_rules(config)))))
    errors = sorted(VALIDATOR.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert len(log["runs"][0]["results"]) == len(result.findings)
