"""HPT6xx: secrets. The values are never printed: the engine masks them everywhere."""

from __future__ import annotations

from collections.abc import Iterator

from hpt_lint.findings import Severity
from hpt_lint.request import Request, format_path
from hpt_lint.rule import Rule, Violation
from hpt_lint.secret_scan import Secret, literal_span, secrets_in

_EXPOSURE = ("DescribeHyperParameterTuningJob, DescribeTrainingJob, SageMaker Experiments "
             "and CloudTrail show it unredacted")


def _first_per_path(request: Request, environment: bool) -> Iterator[Secret]:
    """One finding per value, however many secrets it holds (all are masked)."""
    seen: set[tuple[object, ...]] = set()
    for secret in secrets_in(request):
        if secret.environment == environment and secret.path not in seen:
            seen.add(secret.path)
            yield secret


def _holds(secret: Secret) -> str:
    """``TrainingJobDefinition.Environment.HF_TOKEN` holds what looks like a``"""
    verb = ("is built at run time from a literal that looks like a" if secret.in_unknown
            else "holds what looks like a")
    return f"`{format_path(secret.path)}` {verb}"


class SecretInHyperparameters(Rule):
    id = "HPT601"
    name = "secret-in-hyperparameters"
    severity = Severity.ERROR
    summary = "A hyperparameter value looks like a credential."
    tags = ("security", "secrets")

    def check(self, request: Request) -> Iterator[Violation]:
        for secret in _first_per_path(request, environment=False):
            yield Violation(secret.path, f"{_holds(secret)} "
                            f"{secret.kind}; hyperparameters are not secret ({_EXPOSURE}): "
                            "remove it, rotate it, and read it at run time from AWS Secrets "
                            "Manager or SSM Parameter Store", span=literal_span(request, secret))


class SecretInEnvironment(Rule):
    id = "HPT602"
    name = "secret-in-environment"
    severity = Severity.ERROR
    summary = "An environment variable value looks like a credential."
    tags = ("security", "secrets")

    def check(self, request: Request) -> Iterator[Violation]:
        for secret in _first_per_path(request, environment=True):
            yield Violation(secret.path, f"{_holds(secret)} "
                            f"{secret.kind}; training job environment variables are returned "
                            "by DescribeTrainingJob and logged by CloudTrail: read it at run "
                            "time from AWS Secrets Manager or SSM Parameter Store instead",
                            span=literal_span(request, secret))
