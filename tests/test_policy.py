"""Policies: the policy language, its errors, packs, and their flow through the engine."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from hpt_lint.cli import main
from hpt_lint.config import Config
from hpt_lint.engine import check_request, enabled_rules
from hpt_lint.findings import Severity
from hpt_lint.policy.model import PolicyError, build, load_file
from hpt_lint.policy.paths import ANY, PathError, parse
from hpt_lint.policy.rules import load_policies
from hpt_lint.request import Entry, PartialDict, Request, SourceMap, Span, Unknown
from hpt_lint.rule import REGISTRY
from tests.conftest import FIXTURES, ROOT, found, lint_string

POLICY = FIXTURES / "policy"
ORG_EXPECTED = [("ORG004", 8, 30), ("ORG002", 31, 19), ("ORG001", 44, 27),
                ("SEC001", 44, 27), ("ORG003", 46, 1)]


def located(result: Any) -> list[tuple[str, int, int]]:
    return [(f.rule, f.line, f.column) for f in result.findings]


def org_config() -> Config:
    data = yaml.safe_load((POLICY / "org-policy.yaml").read_text())
    return Config(extra=data, source=POLICY / ".hpt-lint.yaml")


# ------------------------------------------------------------ the issue's example


def test_the_issue_example_is_enforced_at_exact_locations() -> None:
    text = (POLICY / "org-request.yaml").read_text()
    result = lint_string(text, config=org_config())
    assert located(result) == ORG_EXPECTED
    by_rule = {f.rule: f for f in result.findings}
    assert by_rule["ORG004"].message == (
        "Worst case must stay under 200 instance-hours: @max_instance_hours is 400 (50 "
        "training jobs × 8 instance-hours each), above the maximum 200")
    assert by_rule["ORG002"].message == (
        'Only approved instance types: `TrainingJobDefinition.ResourceConfig.InstanceType` is '
        '"ml.p3.2xlarge", not one of "ml.m5.xlarge", "ml.c5.2xlarge"')
    assert by_rule["ORG003"].json_path == "Tags"
    assert by_rule["ORG001"].severity.value == "error"
    assert by_rule["ORG003"].severity.value == "warning"


def test_policy_files_are_read_relative_to_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "org.yaml").write_text((POLICY / "org-policy.yaml").read_text())
    config = Config(extra={"policy-files": ["team/org.yaml"]},
                    source=tmp_path / ".hpt-lint.yaml")
    result = lint_string((POLICY / "org-request.yaml").read_text(), config=config)
    assert located(result) == ORG_EXPECTED


def test_cli_policy_option_enforces_a_policy_file() -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["check", "--format", "json", "--policy",
                               str(POLICY / "org-policy.yaml"),
                               str(POLICY / "org-request.yaml")])
    assert res.exit_code == 1, res.output
    import json

    got = [(f["rule"], f["line"], f["column"]) for f in json.loads(res.output)["findings"]]
    assert got == ORG_EXPECTED


def test_fixed_request_is_clean_under_the_example_policy() -> None:
    text = (POLICY / "org-request.yaml").read_text()
    fixed = (text.replace("MaxNumberOfTrainingJobs: 50", "MaxNumberOfTrainingJobs: 20")
             .replace("ml.p3.2xlarge", "ml.c5.2xlarge")
             .replace("InstanceCount: 2", "InstanceCount: 1")
             .replace("EnableNetworkIsolation: false", "EnableNetworkIsolation: true")
             .replace("    Value: growth", "    Value: growth\n  - Key: CostCenter\n"
                      "    Value: cc-42"))
    assert located(lint_string(fixed, config=org_config())) == []


# ------------------------------------------------------------ engine integration


def test_policies_are_per_config_rules_not_registered_globally() -> None:
    config = org_config()
    ids = [r.id for r in enabled_rules(config)]
    assert {"ORG001", "ORG004", "SEC001", "SEC006"} <= set(ids)
    assert not {"ORG001", "SEC001"} & set(REGISTRY)
    assert not any(r.id.startswith("ORG") for r in enabled_rules(Config()))
    # --ignore and --select apply to policy ids too
    ignored = Config(extra=config.extra, source=config.source, ignore=("ORG00", "SEC"))
    assert not any(r.id.startswith(("ORG", "SEC")) for r in enabled_rules(ignored))
    result = lint_string((POLICY / "org-request.yaml").read_text(), config=ignored)
    assert located(result) == []


def test_severity_override_applies_to_policies() -> None:
    config = org_config().with_(severity={"ORG003": Severity.ERROR})
    result = lint_string((POLICY / "org-request.yaml").read_text(), config=config)
    assert {f.rule: f.severity.value for f in result.findings}["ORG003"] == "error"


def test_rules_command_lists_the_active_policies() -> None:
    res = CliRunner().invoke(main, ["rules", "--policy", str(POLICY / "org-policy.yaml")])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    org = [line for line in lines if line.startswith(("ORG", "SEC"))]
    assert [line.split()[0] for line in org] == ["ORG001", "ORG002", "ORG003", "ORG004",
                                                 "SEC001", "SEC002", "SEC003", "SEC004",
                                                 "SEC005", "SEC006"]
    assert org[0].endswith("(policy)")
    plain = CliRunner().invoke(main, ["rules"])
    assert "ORG001" not in plain.output and "SEC001" not in plain.output


# ------------------------------------------------------------ operators

BASE = """\
HyperParameterTuningJobName: tune
HyperParameterTuningJobConfig:
  Strategy: Bayesian
  ResourceLimits: {MaxNumberOfTrainingJobs: 20, MaxParallelTrainingJobs: 4}
TrainingJobDefinition:
  StaticHyperParameters: {"a.b": "1", epochs: "10"}
  ResourceConfig: {InstanceType: ml.g5.2xlarge, InstanceCount: 2, VolumeSizeInGB: 50}
  StoppingCondition: {MaxRuntimeInSeconds: 7200}
  InputDataConfig:
    - {ChannelName: train}
    - {ChannelName: Validation}
  EnableNetworkIsolation: true
Tags:
  - {Key: team, Value: growth}
"""


def policy(path: str, **op: Any) -> dict[str, Any]:
    return {"id": "T001", "severity": "warning", "message": "m", "check": [{"path": path,
                                                                            **op}]}


def run(text: str, *policies: dict[str, Any]) -> list[tuple[str, int, int]]:
    config = Config(select=("T",), extra={"policies": list(policies)})
    return located(lint_string(text, config=config))


def messages(text: str, *policies: dict[str, Any]) -> list[str]:
    config = Config(select=("T",), extra={"policies": list(policies)})
    return [f.message for f in lint_string(text, config=config).findings]


@pytest.mark.parametrize(("path", "op", "expected"), [
    # exists
    ("Definition.EnableNetworkIsolation", {"exists": True}, []),
    ("Definition.VpcConfig", {"exists": True}, [("T001", 5, 1)]),  # missing: enclosing key
    ("Definition.VpcConfig.Subnets", {"exists": True}, [("T001", 5, 1)]),
    ("Definition.EnableNetworkIsolation", {"exists": False}, [("T001", 12, 3)]),  # at the key
    ("Definition.VpcConfig", {"exists": False}, []),
    # equals / not_equals (JSON types: true is not 1)
    ("Definition.EnableNetworkIsolation", {"equals": True}, []),
    ("Definition.EnableNetworkIsolation", {"equals": 1}, [("T001", 12, 27)]),
    ("Definition.EnableManagedSpotTraining", {"equals": True}, [("T001", 5, 1)]),
    ("Definition.EnableNetworkIsolation", {"not_equals": True}, [("T001", 12, 27)]),
    ("Definition.EnableManagedSpotTraining", {"not_equals": True}, []),
    # in / not_in
    ("Definition.ResourceConfig.InstanceType", {"in": ["ml.g5.2xlarge"]}, []),
    ("Definition.ResourceConfig.InstanceType", {"in": ["ml.m5.xlarge"]}, [("T001", 7, 34)]),
    ("Definition.ResourceConfig.InstanceType", {"not_in": ["ml.g5.2xlarge"]},
     [("T001", 7, 34)]),
    ("Definition.ResourceConfig.InstanceType", {"not_in": ["ml.p5.48xlarge"]}, []),
    # matches / not_matches (search, like JSON Schema pattern)
    ("HyperParameterTuningJobName", {"matches": "^[a-z]+-[a-z]+$"}, [("T001", 1, 30)]),
    ("HyperParameterTuningJobName", {"matches": "^tu"}, []),
    ("HyperParameterTuningJobName", {"not_matches": "une"}, [("T001", 1, 30)]),
    ("HyperParameterTuningJobName", {"not_matches": "^prod-"}, []),
    # min / max (numbers, and numbers written as strings)
    ("HyperParameterTuningJobConfig.ResourceLimits.MaxParallelTrainingJobs", {"max": 3},
     [("T001", 4, 74)]),
    ("HyperParameterTuningJobConfig.ResourceLimits.MaxParallelTrainingJobs", {"max": 4}, []),
    ("HyperParameterTuningJobConfig.ResourceLimits.MaxParallelTrainingJobs", {"min": 5},
     [("T001", 4, 74)]),
    ('Definition.StaticHyperParameters.epochs', {"max": 5}, [("T001", 6, 47)]),
    ('Definition.StaticHyperParameters.epochs', {"min": 10}, []),
    ("Definition.StoppingCondition.MaxWaitTimeInSeconds", {"max": 10}, [("T001", 8, 3)]),
    # contains: list items, [*] values, substrings, mapping keys
    ("Tags[*].Key", {"contains": "team"}, []),
    ("Tags[*].Key", {"contains": "CostCenter"}, [("T001", 13, 1)]),
    ("Definition.InputDataConfig[*].ChannelName", {"contains": "validation"},
     [("T001", 9, 3)]),
    ("HyperParameterTuningJobName", {"contains": "tun"}, []),
    ("Definition.StaticHyperParameters", {"contains": "a.b"}, []),
    ("Definition.StaticHyperParameters", {"contains": "seed"}, [("T001", 6, 3)]),
    ("Definition.Environment", {"contains": "X"}, [("T001", 5, 1)]),
])
def test_each_operator(path: str, op: dict[str, Any], expected: list[Any]) -> None:
    assert run(BASE, policy(path, **op)) == expected


def test_messages_say_what_is_wrong() -> None:
    assert messages(BASE, policy("Definition.VpcConfig", exists=True)) == [
        "m: `TrainingJobDefinition.VpcConfig` is not set"]
    assert messages(BASE, policy("Definition.ResourceConfig.InstanceCount", max=1)) == [
        "m: `TrainingJobDefinition.ResourceConfig.InstanceCount` is 2, above the maximum 1"]
    assert messages(BASE, policy("Tags[*].Key", contains="CostCenter")) == [
        'm: no Tags[*].Key is "CostCenter"']
    assert messages(BASE, policy("Definition.EnableManagedSpotTraining", equals=True)) == [
        "m: `TrainingJobDefinition.EnableManagedSpotTraining` is not set (the policy "
        "requires true)"]


# ------------------------------------------------------------ path forms


def test_path_syntax() -> None:
    p = parse('Definition.InputDataConfig[*].DataSource["a.b"][0]')
    assert p.in_definition and p.tokens == ("InputDataConfig", ANY, "DataSource", "a.b", 0)
    assert parse("@max_gpu_hours").computed == "max_gpu_hours"
    for bad in ("A..B", "A.", ".A", "A[x]", "A.[0]", "Definition", "A B", "@Max"):
        with pytest.raises(PathError):
            parse(bad)


def test_index_and_wildcard_paths() -> None:
    assert run(BASE, policy("Definition.InputDataConfig[1].ChannelName",
                            matches="^[a-z]+$")) == [("T001", 11, 21)]
    assert run(BASE, policy("Definition.InputDataConfig[5].ChannelName", exists=True)) == [
        ("T001", 9, 3)]
    # every item must hold: the one that does not is reported
    assert run(BASE, policy("Definition.InputDataConfig[*].ChannelName",
                            matches="^[a-z]+$")) == [("T001", 11, 21)]
    # a [*] over a list that is absent reaches nothing: nothing to report
    assert run(BASE, policy("Definition.VpcConfig.Subnets[*]", matches="^subnet-")) == []
    assert run(BASE, policy('Definition.StaticHyperParameters["a.b"]', equals="2")) == [
        ("T001", 6, 34)]


MULTI = """\
HyperParameterTuningJobName: multi
HyperParameterTuningJobConfig:
  Strategy: Random
  ResourceLimits: {MaxNumberOfTrainingJobs: 10, MaxParallelTrainingJobs: 2}
TrainingJobDefinitions:
  - DefinitionName: a
    ResourceConfig: {InstanceType: ml.m5.xlarge, InstanceCount: 1}
    EnableNetworkIsolation: true
  - DefinitionName: b
    ResourceConfig: {InstanceType: ml.p3.8xlarge, InstanceCount: 4}
    EnableManagedSpotTraining: true
  - DefinitionName: c
    ResourceConfig: {InstanceType: ml.c5.xlarge, InstanceCount: 1}
    EnableNetworkIsolation: false
"""


def test_definition_prefix_evaluates_each_definition() -> None:
    # one finding per failing definition: b lacks the key (reported at its item), c is false
    assert run(MULTI, policy("Definition.EnableNetworkIsolation", equals=True)) == [
        ("T001", 9, 5), ("T001", 14, 29)]
    where = {"id": "T001", "severity": "error", "message": "m",
             "where": [{"path": "Definition.EnableManagedSpotTraining", "equals": True}],
             "check": [{"path": "Definition.ResourceConfig.InstanceCount", "max": 2}]}
    assert run(MULTI, where) == [("T001", 10, 66)]


# ------------------------------------------------------------ unknown values


def request(data: dict[str, Any]) -> Request:
    return Request("r.py", "python", data, SourceMap({(): Entry(Span(1, 1, 1, 2))}))


def rules_of(data: dict[str, Any], *policies: dict[str, Any]) -> list[str]:
    config = Config(select=("T",), extra={"policies": list(policies)})
    return [f.rule for f in check_request(request(data), config)[0]]


def test_unknown_values_never_prove_a_breach() -> None:
    data = {"HyperParameterTuningJobName": Unknown("name"),
            "TrainingJobDefinition": {"EnableNetworkIsolation": Unknown("flag"),
                                      "ResourceConfig": Unknown("rc")},
            "Tags": Unknown("tags")}
    for p in (policy("HyperParameterTuningJobName", matches="^x$"),
              policy("HyperParameterTuningJobName", exists=False),
              policy("Definition.EnableNetworkIsolation", equals=True),
              policy("Definition.ResourceConfig.InstanceType", **{"in": ["a"]}),
              policy("Tags[*].Key", contains="CostCenter"),
              policy("@max_instance_hours", max=0)):
        assert rules_of(data, p) == [], p


def test_spread_mappings_and_lists_may_hold_the_missing_value() -> None:
    spread = PartialDict({"RoleArn": "arn"})
    spread.unknown_sources = ("**base",)
    data: dict[str, Any] = {"TrainingJobDefinition": spread,
                            "Tags": [{"Key": "team"}, {"Key": Unknown("k")}]}
    assert rules_of(data, policy("Definition.VpcConfig", exists=True)) == []
    assert rules_of(data, policy("Tags[*].Key", contains="CostCenter")) == []
    assert rules_of(data, policy("Tags[*].Key", not_in=["team"])) == ["T001"]
    # a where that cannot be decided does not select the request
    guarded = {"id": "T001", "severity": "error", "message": "m",
               "where": [{"path": "Definition.EnableManagedSpotTraining", "equals": True}],
               "check": [{"path": "Definition.CheckpointConfig", "exists": True}]}
    assert rules_of(data, guarded) == []


# ------------------------------------------------------------ invalid policy files


def problems(data: Any) -> list[str]:
    with pytest.raises(PolicyError) as info:
        build(data, "team.yaml")
    return info.value.problems


def test_invalid_policies_get_clear_errors() -> None:
    good = {"id": "ORG9", "severity": "error", "message": "m",
            "check": [{"path": "A", "exists": True}]}
    assert problems({"policy": []}) == [
        "team.yaml: top level: unknown key 'policy' (expected one of: extends, policies, "
        "policy-options)"]
    assert problems({"policies": [{**good, "severity": "fatal"}]}) == [
        'team.yaml: policies[0] (ORG9) severity: "fatal" is not one of error, warning, info']
    assert problems({"policies": [{**good, "check": [{"path": "A", "equal": 1}]}]}) == [
        "team.yaml: policies[0] (ORG9) check[0]: unknown key 'equal' (expected one of: "
        "contains, equals, exists, in, matches, max, min, not_equals, not_in, not_matches, "
        "path)"]
    assert problems({"policies": [{**good, "check": [{"path": "A", "min": 1, "max": 2}]}]}) \
        == ["team.yaml: policies[0] (ORG9) check[0]: a condition needs a path and exactly "
            "one operator (exists, equals, not_equals, in, not_in, matches, not_matches, min, "
            "max, contains); found min, max"]
    assert problems({"policies": [{k: v for k, v in good.items() if k != "message"}]}) == [
        "team.yaml: policies[0] (ORG9): 'message' is required"]
    assert problems({"policies": [{**good, "id": "org-1"}]}) == [
        'team.yaml: policies[0] (org-1) id: "org-1" does not match ^[A-Z][A-Z0-9_-]{1,31}$']
    assert problems({"policies": [{**good, "id": "HPT999"}]}) == [
        "team.yaml: policies[0] (HPT999): id HPT999 is reserved: ids starting with HPT "
        "belong to the built-in rules"]
    assert problems({"policies": [{**good, "check": [{"path": "A..B", "exists": True},
                                                     {"path": "@cost", "max": 1},
                                                     {"path": "A", "matches": "("}]}]}) == [
        "team.yaml: policies[0] (ORG9) check[0]: path 'A..B': empty key at character 3",
        "team.yaml: policies[0] (ORG9) check[1]: unknown computed value @cost (known: "
        "@instances_per_job, @max_concurrent_gpus, @max_gpu_hours, @max_instance_hours, "
        "@max_parallel_instances, @max_runtime_seconds, @max_training_jobs, "
        "@volume_kms_allowed)",
        "team.yaml: policies[0] (ORG9) check[2]: matches: '(' is not a valid regular "
        "expression (missing ): ()"]


def test_config_level_errors_name_the_source() -> None:
    dup = {"id": "SEC001", "severity": "error", "message": "m",
           "check": [{"path": "A", "exists": True}]}
    config = Config(extra={"extends": ["security-baseline", "nope"], "policies": [dup],
                           "policy-options": {"cost-guardrails": {"max-gpu-hours": -1},
                                              "other": {}}},
                    source=Path("/repo/.hpt-lint.yaml"))
    with pytest.raises(PolicyError) as info:
        load_policies(config)
    assert info.value.problems == [
        "/repo/.hpt-lint.yaml: policy-options: no built-in policy pack 'other' (packs: "
        "cost-guardrails, security-baseline)",
        "/repo/.hpt-lint.yaml: extends: no built-in policy pack 'nope' (packs: "
        "cost-guardrails, security-baseline)",
        "policy id SEC001 is defined twice: in pack security-baseline and in "
        "/repo/.hpt-lint.yaml"]
    bad_option = Config(extra={"extends": ["cost-guardrails"], "policy-options": {
        "cost-guardrails": {"max-gpu-hours": "lots", "max-hours": 3}}})
    with pytest.raises(PolicyError) as info:
        load_policies(bad_option)
    assert info.value.problems == [
        "config: policy-options: cost-guardrails.max-gpu-hours must be a positive number, "
        "not 'lots'",
        "config: policy-options: pack cost-guardrails has no option 'max-hours' "
        "(options: max-gpu-hours, max-instance-hours, max-parallel-jobs, max-runtime-seconds)"]


def test_cli_reports_an_invalid_policy_file_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("policies:\n  - id: ORG001\n    severity: error\n    message: m\n"
                   "    check: [{path: A, between: [1, 2]}]\n")
    res = CliRunner().invoke(main, ["check", "--policy", str(bad),
                                    str(POLICY / "org-request.yaml")])
    assert res.exit_code == 2
    assert (f"{bad}: policies[0] (ORG001) check[0]: unknown key 'between'"
            in res.stderr)
    assert res.stdout == ""
    broken = tmp_path / "broken.yaml"
    broken.write_text("policies: [\n")
    res = CliRunner().invoke(main, ["check", "--policy", str(broken), "x.yaml"])
    assert res.exit_code == 2 and f"{broken}: not valid YAML" in res.stderr


def test_a_policy_file_can_extend_packs_and_set_their_options(tmp_path: Path) -> None:
    f = tmp_path / "p.yaml"
    f.write_text("extends: [cost-guardrails]\npolicy-options:\n  cost-guardrails:\n"
                 "    max-parallel-jobs: 3\n")
    doc = load_file(f)
    assert doc.extends == ("cost-guardrails",)
    config = Config(extra={"cli-policy-files": [str(f)]})
    cost003 = next(p for p in load_policies(config) if p.id == "COST003")
    assert cost003.message == "At most 3 training jobs may run in parallel"
    assert cost003.check[0].operand == 3
    # the config's own options win over a policy file's
    both = Config(extra={"cli-policy-files": [str(f)],
                         "policy-options": {"cost-guardrails": {"max-parallel-jobs": 7}}})
    assert next(p for p in load_policies(both) if p.id == "COST003").check[0].operand == 7


# ------------------------------------------------------------ built-in packs

PACK_MARK = re.compile(r"#\s*((?:[A-Z]+\d{3}\s*)+)$")


def pack_marks(text: str, prefix: str) -> list[tuple[str, int]]:
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        m = PACK_MARK.search(line)
        if m:
            out += [(rule, n) for rule in m.group(1).split() if rule.startswith(prefix)]
    return sorted(out)


@pytest.mark.parametrize(("pack", "prefix"), [("security-baseline", "SEC"),
                                              ("cost-guardrails", "COST")])
def test_pack_fires_at_the_marked_lines(pack: str, prefix: str) -> None:
    text = (POLICY / "packs-bad.yaml").read_text()
    result = lint_string(text, config=Config(extra={"extends": [pack]}))
    assert [(r, n) for r, n in found(result) if r.startswith(prefix)] == pack_marks(text, prefix)
    assert pack_marks(text, prefix)  # the fixture does exercise the pack


def test_packs_are_off_unless_extended() -> None:
    text = (POLICY / "packs-bad.yaml").read_text()
    assert not any(f.rule.startswith(("SEC", "COST"))
                   for f in lint_string(text).findings)


def test_fixed_request_is_clean_with_both_packs_and_every_default_rule() -> None:
    result = lint_string((POLICY / "packs-good.yaml").read_text(), config=Config(
        extra={"extends": ["security-baseline", "cost-guardrails"]}))
    assert result.requests == 1
    assert found(result) == []


def test_pack_options_move_the_caps() -> None:
    text = (POLICY / "packs-bad.yaml").read_text()
    config = Config(extra={"extends": ["cost-guardrails"], "policy-options": {
        "cost-guardrails": {"max-instance-hours": 20000, "max-parallel-jobs": 20,
                            "max-runtime-seconds": 172800}}})
    assert [(r, n) for r, n in found(lint_string(text, config=config))
            if r.startswith("COST")] == [("COST001", 18), ("COST001", 28), ("COST002", 8)]
    tight = Config(extra={"extends": ["cost-guardrails"], "policy-options": {
        "cost-guardrails": {"max-gpu-hours": 10}}})
    gpu = [f for f in lint_string(text, config=tight).findings if f.rule == "COST006"]
    # the g5.2xlarge definition: 200 jobs × 1 GPU × 1 h
    assert [(f.line, f.message) for f in gpu] == [(5, (
        "The worst case must stay within 10 GPU-hours: @max_gpu_hours is 200 (200 training "
        "jobs × 1 GPU-hours each), above the maximum 10"))]


def test_every_pack_policy_is_documented() -> None:
    from hpt_lint.policy import packs

    for pack in packs.available():
        doc = (ROOT / "rules" / "packs" / f"{pack}.md").read_text()
        assert doc.startswith(f"# Policy pack: {pack}\n")
        for option in packs.options_of(pack):
            assert f"`{option}`" in doc, (pack, option)
        for p in packs.load(pack):
            section = re.search(rf"^## {p.id}: {p.name}\n(.*?)(?=^## |\Z)", doc, re.M | re.S)
            assert section, f"{pack}.md has no section '## {p.id}: {p.name}'"
            body = section.group(1)
            assert f"- **Severity:** {p.severity.value}" in body
            for part in ("### What it does", "### Why is this bad?", "### Fix"):
                assert part in body, (p.id, part)


def test_explain_prints_a_pack_policy_section() -> None:
    res = CliRunner().invoke(main, ["explain", "cost002"])
    assert res.exit_code == 0
    assert res.output.startswith("(policy pack cost-guardrails: enable it with "
                                 "`extends: [cost-guardrails]`)\n\n## COST002: "
                                 "spot-training-needs-checkpoints\n")
    assert "## COST003" not in res.output
    assert CliRunner().invoke(main, ["explain", "vpc-config"]).output.count("## SEC006") == 1


def test_a_changed_policy_file_is_read_again(tmp_path: Path) -> None:
    f = tmp_path / "p.yaml"
    f.write_text("policies: [{id: ORG1, severity: info, message: m, "
                 "check: [{path: A, exists: true}]}]\n")
    config = Config(extra={"cli-policy-files": [str(f)]})
    assert [p.id for p in load_policies(config)] == ["ORG1"]
    f.write_text("policies: [{id: ORG22, severity: info, message: m, "
                 "check: [{path: A, exists: true}]}]\n")
    assert [p.id for p in load_policies(config)] == ["ORG22"]
    f.unlink()
    with pytest.raises(PolicyError) as info:
        load_policies(config)
    assert info.value.problems[0].startswith(f"{f}: cannot read policy file:")


# ------------------------------------------------------------ robustness

_KEYS = st.sampled_from(["TrainingJobDefinition", "TrainingJobDefinitions", "ResourceConfig",
                         "InstanceCount", "InstanceType", "InstanceGroups", "StoppingCondition",
                         "MaxRuntimeInSeconds", "HyperParameterTuningJobConfig",
                         "ResourceLimits", "MaxNumberOfTrainingJobs", "Strategy",
                         "MaxParallelTrainingJobs", "Tags", "Key", "InstanceConfigs",
                         "HyperParameterTuningResourceConfig", "EnableNetworkIsolation"])
_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(-3, 10**6), st.floats(),
                    st.sampled_from(["ml.g5.2xlarge", "ml.m5.xlarge", "Grid", "x"]),
                    st.builds(Unknown, st.just("v")))
_DATA = st.recursive(_LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=4)), max_leaves=25)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(_KEYS, _DATA, max_size=5))
def test_policies_never_crash_on_any_request(data: dict[str, Any]) -> None:
    config = Config(select=("SEC", "COST", "ORG"), extra={
        "extends": ["security-baseline", "cost-guardrails"],
        "policies": yaml.safe_load((POLICY / "org-policy.yaml").read_text())["policies"]})
    findings, crashed = check_request(request(data), config)
    assert not crashed, [f.message for f in findings if f.rule == "HPT000"]
