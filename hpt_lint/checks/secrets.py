"""HPT6xx: secrets. The values are never printed: the engine masks them everywhere."""

from __future__ import annotations

from collections.abc import Iterator

from hpt_lint.findings import Severity
from hpt_lint.request import Request, format_path
from hpt_lint.rule import Rule, Violation
from hpt_lint.secret_scan import secrets_in

_EXPOSURE = ("DescribeHyperParameterTuningJob, DescribeTrainingJob, SageMaker Experiments "
             "and CloudTrail show it unredacted")


class SecretInHyperparameters(Rule):
    id = "HPT601"
    name = "secret-in-hyperparameters"
    severity = Severity.ERROR
    summary = "A hyperparameter value looks like a credential."
    tags = ("security", "secrets")

    def check(self, request: Request) -> Iterator[Violation]:
        for secret in secrets_in(request):
            if secret.path[-2] == "Environment":
                continue
            yield Violation(secret.path, f"`{format_path(secret.path)}` holds what looks like a "
                            f"{secret.kind}; hyperparameters are not secret ({_EXPOSURE}): "
                            "remove it, rotate it, and read it at run time from AWS Secrets "
                            "Manager or SSM Parameter Store")


class SecretInEnvironment(Rule):
    id = "HPT602"
    name = "secret-in-environment"
    severity = Severity.ERROR
    summary = "An environment variable value looks like a credential."
    tags = ("security", "secrets")

    def check(self, request: Request) -> Iterator[Violation]:
        for secret in secrets_in(request):
            if secret.path[-2] != "Environment":
                continue
            yield Violation(secret.path, f"`{format_path(secret.path)}` holds what looks like a "
                            f"{secret.kind}; training job environment variables are returned "
                            "by DescribeTrainingJob and logged by CloudTrail: read it at run "
                            "time from AWS Secrets Manager or SSM Parameter Store instead")
