"""The Python API: ``hpt_lint.lint_request`` on a request dict, ``hpt_lint.lint_paths``
on files, the lazy public names, and the typing contract (``mypy --strict``)."""

from __future__ import annotations

import copy
import math
import subprocess
import sys

import pytest

import hpt_lint
from hpt_lint import lint as lint_module
from hpt_lint.api import REQUEST_FILE, request_text
from hpt_lint.config import Config
from hpt_lint.findings import Severity
from tests.conftest import ROOT

CLEAN = {
    "HyperParameterTuningJobName": "xgb-tune",
    "HyperParameterTuningJobConfig": {
        "Strategy": "Bayesian",
        "HyperParameterTuningJobObjective": {"Type": "Maximize", "MetricName": "validation:auc"},
        "ResourceLimits": {"MaxNumberOfTrainingJobs": 20, "MaxParallelTrainingJobs": 2},
        "ParameterRanges": {"ContinuousParameterRanges": [
            {"Name": "eta", "MinValue": "0.01", "MaxValue": "0.5", "ScalingType": "Logarithmic"},
        ]},
    },
    "TrainingJobDefinition": {
        "StaticHyperParameters": {"objective": "binary:logistic", "num_round": "200"},
        "AlgorithmSpecification": {
            "TrainingImage": "683313688378.dkr.ecr.us-east-1.amazonaws.com/"
                             "sagemaker-xgboost:1.7-1",
            "TrainingInputMode": "File",
        },
        "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
        "OutputDataConfig": {"S3OutputPath": "s3://example-bucket/output/"},
        "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1,
                           "VolumeSizeInGB": 30},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    },
}
RANGE = ("HyperParameterTuningJobConfig.ParameterRanges.ContinuousParameterRanges[0]")


def faulty() -> dict:
    request = copy.deepcopy(CLEAN)
    cfg = request["HyperParameterTuningJobConfig"]
    cfg["ParameterRanges"]["ContinuousParameterRanges"][0]["MinValue"] = "0"  # HPT304
    request["TrainingJobDefinition"]["StaticHyperParameters"]["num_round"] = 200  # HPT103
    request["TrainingJobDefinition"]["StopingCondition"] = request[  # HPT102
        "TrainingJobDefinition"].pop("StoppingCondition")
    return request


def _at(text: str, f: hpt_lint.Finding) -> str:
    """The text a finding's span covers (single-line spans)."""
    assert f.line == f.end_line
    return text.splitlines()[f.line - 1][f.column - 1:f.end_column - 1]


def test_a_clean_request_has_no_findings() -> None:
    assert hpt_lint.lint_request(CLEAN) == []


def test_findings_carry_rule_json_path_and_a_real_position_in_the_rendering() -> None:
    request = faulty()
    findings = hpt_lint.lint_request(request)
    assert [(f.rule, f.json_path) for f in findings] == [
        ("HPT304", f"{RANGE}.MinValue"),
        ("HPT103", "TrainingJobDefinition.StaticHyperParameters.num_round"),
        ("HPT102", "TrainingJobDefinition.StopingCondition"),
    ]
    text = request_text(request)
    assert [_at(text, f) for f in findings] == ['"0"', "200", '"StopingCondition"']
    assert {f.file for f in findings} == {REQUEST_FILE}
    assert all(f.line > 1 and f.column > 1 and f.fingerprint for f in findings)
    assert findings[1].fix is not None  # the same fixes as for a file
    assert request == faulty()  # the caller's dict is not changed


def test_config_selects_rules_and_levels() -> None:
    only_ranges = hpt_lint.lint_request(faulty(), config=Config(select=("HPT3",)))
    assert [f.rule for f in only_ranges] == ["HPT304"]
    relevelled = hpt_lint.lint_request(faulty(), config=Config(
        select=("HPT304",), severity={"HPT304": Severity.WARNING}))
    assert [f.severity for f in relevelled] == [Severity.WARNING]


def test_any_mapping_and_sequence_is_a_request_value() -> None:
    request = copy.deepcopy(CLEAN)
    ranges = request["HyperParameterTuningJobConfig"]["ParameterRanges"]
    ranges["ContinuousParameterRanges"] = tuple(ranges["ContinuousParameterRanges"])
    assert hpt_lint.lint_request(request) == []


def test_values_json_cannot_hold_are_findings_not_crashes() -> None:
    request = copy.deepcopy(CLEAN)
    request["TrainingJobDefinition"]["StoppingCondition"]["MaxRuntimeInSeconds"] = math.nan
    findings = hpt_lint.lint_request(request)
    assert [(f.rule, f.json_path) for f in findings] == [
        ("HPT103", "TrainingJobDefinition.StoppingCondition.MaxRuntimeInSeconds")]


def test_a_request_that_is_not_a_mapping_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="mapping"):
        hpt_lint.lint_request([CLEAN])  # type: ignore[arg-type]


def test_secrets_are_masked_in_api_findings() -> None:
    request = copy.deepcopy(CLEAN)
    token = "hf_kVqZrTbLwXyNdPfHgJmScAe4R7u2T9oQiE"
    request["TrainingJobDefinition"]["StaticHyperParameters"]["hf_token"] = token
    request["TrainingJobDefinition"]["StaticHyperParameters"]["bad key"] = {"t": token}
    findings = hpt_lint.lint_request(request)
    assert {f.rule for f in findings} >= {"HPT601", "HPT103"}
    assert all(token not in f.message for f in findings)


def test_lint_paths_is_what_the_cli_lints() -> None:
    examples = ROOT / "examples"
    results = hpt_lint.lint_paths([examples])
    expected = lint_module.lint_paths([examples], Config())
    assert [(r.file, r.findings) for r in results] == [(r.file, r.findings) for r in expected]
    assert any(r.findings for r in results) and any(not r.findings for r in results)
    single = hpt_lint.lint_paths(str(examples / "faulty-structure.yaml"))
    assert [r.file for r in single] == [str(examples / "faulty-structure.yaml")]
    assert single[0].findings == next(r.findings for r in results
                                      if r.file.endswith("faulty-structure.yaml"))


def test_public_names_and_lazy_import() -> None:
    for name in hpt_lint.__all__:
        assert getattr(hpt_lint, name) is not None
    assert issubclass(hpt_lint.HptLintError, ValueError)
    code = ("import sys, hpt_lint; assert hpt_lint.__version__; "
            "heavy = {'hpt_lint.engine', 'hpt_lint.api', 'jsonschema', 'yaml', 'botocore', "
            "'boto3'} & set(sys.modules); assert not heavy, heavy; "
            "hpt_lint.guard; hpt_lint.lint_request; "
            "assert not {'boto3', 'botocore'} & set(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_public_api_passes_mypy_strict() -> None:
    pytest.importorskip("mypy", reason="mypy (the test extra) is not installed")
    pytest.importorskip("mypy_boto3_sagemaker", reason="boto3-stubs[sagemaker] not installed")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
         "tests/typing/typed_request.py"],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_misuse_of_the_public_api_fails_mypy_strict_on_exactly_the_marked_lines() -> None:
    """The negative half of the typing contract: an API that decays to ``Any`` would
    still pass the positive example, but not this one."""
    pytest.importorskip("mypy", reason="mypy (the test extra) is not installed")
    path = "tests/typing/typed_request_errors.py"
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
         "--hide-error-context", "--no-pretty", path],
        cwd=ROOT, capture_output=True, text=True, check=False)
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    marked = {n for n, line in enumerate(lines, 1) if line.endswith("# type-error")}
    reported = {int(line.split(":")[1]) for line in proc.stdout.splitlines()
                if line.startswith(path) and ": error:" in line}
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert reported == marked, proc.stdout


def _docs_python(section: str) -> str:
    import re

    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    body = re.search(rf"^## {re.escape(section)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert body, f"docs/api.md has no section {section!r}"
    code = re.search(r"```python\n(.*?)```", body.group(1), re.S)
    assert code, f"docs/api.md section {section!r} has no Python example"
    return code.group(1)


@pytest.mark.parametrize(("section", "expected"), [
    ("Python API", ["HPT201 [error] HyperParameterTuningJobName:",
                    "HPT304 [error] HyperParameterTuningJobConfig.ParameterRanges"]),
    ("Guard your boto3 client", ["request not sent", "HPT201"]),
])
def test_documented_examples_run(section: str, expected: list[str], tmp_path) -> None:
    """The examples of docs/api.md run as written, offline: the guard raises before boto3
    looks for credentials or the network."""
    if section.startswith("Guard"):
        pytest.importorskip("boto3")
    env = {"PATH": "", "AWS_EC2_METADATA_DISABLED": "true", "HOME": str(tmp_path),
           "AWS_CONFIG_FILE": str(tmp_path / "none"),
           "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none")}
    proc = subprocess.run([sys.executable, "-c", _docs_python(section)], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    for needle in expected:
        assert needle in proc.stdout
