"""Type-checked by tests/test_api.py with ``mypy --strict``: the public API accepts a
boto3-stubs TypedDict request and returns typed findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import hpt_lint

if TYPE_CHECKING:
    from mypy_boto3_sagemaker import SageMakerClient
    from mypy_boto3_sagemaker.type_defs import CreateHyperParameterTuningJobRequestTypeDef

request: CreateHyperParameterTuningJobRequestTypeDef = {
    "HyperParameterTuningJobName": "xgb-tune",
    "HyperParameterTuningJobConfig": {
        "Strategy": "Bayesian",
        "ResourceLimits": {"MaxNumberOfTrainingJobs": 20, "MaxParallelTrainingJobs": 2},
        "ParameterRanges": {
            "ContinuousParameterRanges": [
                {"Name": "eta", "MinValue": "0", "MaxValue": "0.5", "ScalingType": "Logarithmic"},
            ],
        },
    },
}

findings: list[hpt_lint.Finding] = hpt_lint.lint_request(request)
errors: list[str] = [f.json_path for f in findings if f.severity is hpt_lint.Severity.ERROR]
strict = hpt_lint.lint_request(request, config=hpt_lint.Config(select=("HPT3",)))
files: list[hpt_lint.FileResult] = hpt_lint.lint_paths(["examples"])
line: int = findings[0].line if findings else 1


def protect(client: SageMakerClient) -> hpt_lint.Guard:
    """A boto3-stubs SageMaker client satisfies the guard's client protocol."""
    handle = hpt_lint.guard(client, fail_on="warning")
    removed: bool = hpt_lint.unguard(client)
    assert not removed or not handle.active
    return hpt_lint.guard(client, fail_on=hpt_lint.Severity.ERROR)


def report(error: hpt_lint.HptLintError) -> list[str]:
    return [f.rule for f in error.findings]
