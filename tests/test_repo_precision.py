"""Only real requests: what looks like a request but is not one yields no finding, a
``null`` is one fault, ``extract`` agrees with ``check``, and JSON/YAML that names no
request word is not parsed at all."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from hpt_lint.cli import main
from hpt_lint.config import Config
from hpt_lint.lint import lint_file, lint_text
from hpt_lint.loaders import load_report
from hpt_lint.loaders.non_requests import describe_only_members, is_template
from hpt_lint.request import walk
from tests.conftest import FIXTURES, ROOT

VALID: dict[str, Any] = yaml.safe_load((ROOT / "examples" / "valid-bayesian.yaml").read_text())

DESCRIBE = {  # a DescribeHyperParameterTuningJob response saved as test data
    "HyperParameterTuningJobName": "xgboost-tuning",
    "HyperParameterTuningJobArn":
        "arn:aws:sagemaker:us-east-1:111122223333:hyper-parameter-tuning-job/xgboost-tuning",
    "HyperParameterTuningJobConfig": {"Strategy": "bayesian", "ResourceLimits": {
        "MaxNumberOfTrainingJobs": 4, "MaxParallelTrainingJobs": 8}},
    "HyperParameterTuningJobStatus": "Completed",
    "CreationTime": "2024-01-01T00:00:00Z",
    "TrainingJobStatusCounters": {"Completed": 4},
    "BestTrainingJob": {"TrainingJobName": "xgboost-tuning-001-abc"},
}
TEMPLATE = {  # a skeleton filled in by code (the KFP component's template, in shape)
    "HyperParameterTuningJobName": "",
    "HyperParameterTuningJobConfig": {
        "Strategy": "", "ResourceLimits": {"MaxNumberOfTrainingJobs": 0,
                                           "MaxParallelTrainingJobs": 0},
        "HyperParameterTuningJobObjective": {"Type": "", "MetricName": ""},
        "ParameterRanges": {"IntegerParameterRanges": [], "ContinuousParameterRanges": [],
                            "CategoricalParameterRanges": []}},
    "TrainingJobDefinition": {"StaticHyperParameters": {}, "AlgorithmSpecification": {
        "TrainingImage": "", "AlgorithmName": "", "TrainingInputMode": "",
        "MetricDefinitions": []}, "RoleArn": "", "EnableNetworkIsolation": False,
        "InputDataConfig": [], "ResourceConfig": {"InstanceCount": 0}},
}
ACK_OTHER_KINDS = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: tuning}
data:
  HyperParameterTuningJobName: not-a-request-here
---
apiVersion: sagemaker.services.k8s.aws/v1alpha1
kind: TrainingJob
metadata: {name: train}
spec:
  trainingJobName: train
  hyperParameters: {eta: '0.2'}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {replicas: 1}
"""
PIPELINE_WITHOUT_TUNING = json.dumps({
    "Version": "2020-12-01", "Parameters": [],
    "Steps": [{"Name": "Train", "Type": "Training", "Arguments": {
        "AlgorithmSpecification": {"TrainingImage": "x", "TrainingInputMode": "File"},
        "HyperParameters": {"eta": "0.2"}}},
        {"Name": "Check", "Type": "Condition", "Arguments": {"Conditions": [], "IfSteps": [],
                                                            "ElseSteps": []}}],
    "Metadata": {"TrainingJobDefinitionNote": "none here"}}, indent=1)

NON_REQUESTS = {
    "describe.json": json.dumps(DESCRIBE, indent=1),
    "describe.yaml": yaml.safe_dump(DESCRIBE),
    "template.json": json.dumps(TEMPLATE, indent=1),
    "template.yaml": yaml.safe_dump(TEMPLATE),
    "k8s.yaml": ACK_OTHER_KINDS,
    "pipeline.json": PIPELINE_WITHOUT_TUNING,
    "dag.py": (FIXTURES / "sources" / "airflow_no_tuning_dag.py").read_text(),
}


def test_no_non_request_kind_yields_a_finding(tmp_path: Path) -> None:
    for name, text in NON_REQUESTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        result = lint_file(tmp_path / name, Config())
        assert (name, result.findings, result.requests) == (name, [], 0)
        every = lint_file(tmp_path / name, Config(select=("HPT",)))  # every rule selected
        assert [f.rule for f in every.findings] == ["HPT002"], name
    runner = CliRunner()
    check = runner.invoke(main, ["check", "--isolated", str(tmp_path)])
    extract = runner.invoke(main, ["extract", str(tmp_path)])
    assert (check.exit_code, extract.exit_code) == (0, 0)
    assert json.loads(extract.output) == {"requests": [], "errors": []}


def test_hpt002_says_why() -> None:
    describe = lint_text(json.dumps(DESCRIBE), "d.json", Config(select=("HPT002",)))
    assert "DescribeHyperParameterTuningJob response, with BestTrainingJob, CreationTime, " \
           "HyperParameterTuningJobArn, ..." in describe.findings[0].message
    template = lint_text(json.dumps(TEMPLATE), "t.json", Config(select=("HPT002",)))
    assert "template whose values are all empty placeholders" in template.findings[0].message


def test_describe_members_come_from_botocore_at_generation_time() -> None:
    import botocore.session

    model = botocore.session.get_session().get_service_model("sagemaker")
    response = model.operation_model("DescribeHyperParameterTuningJob").output_shape
    request = model.operation_model("CreateHyperParameterTuningJob").input_shape
    assert describe_only_members() == set(response.members) - set(request.members)
    assert {"HyperParameterTuningJobArn", "HyperParameterTuningJobStatus", "CreationTime",
            "BestTrainingJob", "TrainingJobStatusCounters"} <= describe_only_members()


def test_one_real_value_makes_a_template_a_request() -> None:
    assert is_template(TEMPLATE)
    for path, value in walk(TEMPLATE):
        if value in ("", 0) and not isinstance(value, bool) and path:
            filled = copy.deepcopy(TEMPLATE)
            parent = filled
            for part in path[:-1]:
                parent = parent[part]
            parent[path[-1]] = "x" if value == "" else 3
            assert not is_template(filled), path
    assert lint_text(json.dumps({**TEMPLATE, "HyperParameterTuningJobName": "job"}), "r.json",
                     Config()).requests == 1


def _member_paths(value: Any, path: tuple = ()) -> list[tuple]:
    out = []
    if isinstance(value, dict):
        for key, child in value.items():
            out.append((*path, key))
            out.extend(_member_paths(child, (*path, key)))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            out.extend(_member_paths(child, (*path, i)))
    return out


PATHS = _member_paths(VALID)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(PATHS))
def test_a_null_is_one_fault_and_nothing_more(path: tuple) -> None:
    data = copy.deepcopy(VALID)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = None
    result = lint_text(json.dumps(data, indent=1), "r.json", Config())
    assert [(f.rule, f.json_path.split(".")[-1].split("[")[0]) for f in result.findings] == [
        ("HPT103", path[-1] if isinstance(path[-1], str) else path[-2])]


def test_extract_errs_exactly_where_check_reports_hpt001(tmp_path: Path) -> None:
    (tmp_path / "tsconfig.json").write_text('{"compilerOptions": {/* JSONC */}}')
    (tmp_path / "broken.yaml").write_text("HyperParameterTuningJobName: [unclosed\n")
    (tmp_path / "image.json").write_bytes(b"\x89PNG\x00\x01")
    (tmp_path / "ok.yaml").write_text("HyperParameterTuningJobName: job\n")
    runner = CliRunner()
    check = runner.invoke(main, ["check", "--isolated", "--format", "json", str(tmp_path)])
    extract = runner.invoke(main, ["extract", str(tmp_path)])
    parse_errors = sorted(Path(f["file"]).name for f in json.loads(check.output)["findings"]
                          if f["rule"] == "HPT001")
    data = json.loads(extract.output)
    assert sorted(Path(e["file"]).name for e in data["errors"]) == parse_errors == [
        "broken.yaml"]
    assert [Path(r["file"]).name for r in data["requests"]] == ["ok.yaml"]
    assert check.exit_code == extract.exit_code == 1
    (tmp_path / "broken.yaml").unlink()
    assert runner.invoke(main, ["extract", str(tmp_path)]).exit_code == 0


def test_data_naming_no_request_word_is_not_parsed() -> None:
    # not even valid JSON/YAML: had it been parsed, it would have raised
    assert load_report('{"a": [1, 2,, }', "x.json").requests == []
    assert load_report("a: [unclosed\n  b: {", "x.yaml").requests == []
    # one request word anywhere and it is parsed
    assert load_report('{"TrainingJobDefinition": {"RoleArn": "r"}}', "x.json").requests


def test_a_file_over_the_size_limit_is_searched_not_read(tmp_path: Path) -> None:
    big = tmp_path / "data.json"
    big.write_text('{"rows": [' + ",".join(["[1, 2, 3]"] * 200_000) + "]}")
    assert big.stat().st_size > 1_000_000
    small = Config(max_file_size=100_000)
    assert lint_file(big, small).findings == []  # names no request member: not one
    big.write_text('{"rows": [' + ",".join(["[1, 2, 3]"] * 200_000) +
                   '], "HyperParameterTuningJobName": "x"}')
    assert [f.rule for f in lint_file(big, small).findings] == ["HPT001"]
