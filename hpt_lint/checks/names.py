"""HPT2xx: names and identifiers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from hpt_lint.findings import Severity
from hpt_lint.request import Request
from hpt_lint.rule import Rule, Violation

_NAME_CHARS = re.compile(r"[A-Za-z0-9-]")
_JOB_NAME = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}")
DOCS_NOTE = ("(the API reference prose also lists : + = @ _ %, but the service model's pattern "
             "[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31} does not allow them, and the service follows "
             "the model)")


def name_problem(value: str, max_len: int) -> str | None:
    """Why ``value`` is not a valid SageMaker resource name of 1..max_len characters."""
    if not value:
        return "is empty"
    bad = next((ch for ch in value if not _NAME_CHARS.fullmatch(ch)), None)
    if bad is not None:
        return f"contains {bad!r} at position {value.index(bad) + 1}; only letters, digits " \
               f"and hyphens are allowed"
    if len(value) > max_len:
        return f"is {len(value)} characters long; the maximum is {max_len}"
    if value.startswith("-") or value.endswith("-"):
        return "must start and end with a letter or digit"
    return None


class InvalidTuningJobName(Rule):
    id = "HPT201"
    name = "invalid-tuning-job-name"
    severity = Severity.ERROR
    summary = "The tuning job name is not 1-32 letters, digits and hyphens, starting and " \
              "ending alphanumeric."
    tags = ("names",)
    supersedes = ((("HyperParameterTuningJobName",), ("HPT105", "HPT106")),)

    def check(self, request: Request) -> Iterator[Violation]:
        value = request.data.get("HyperParameterTuningJobName")
        if not isinstance(value, str) or (len(value) <= 32 and _JOB_NAME.fullmatch(value)):
            return
        problem = name_problem(value, 32)
        if problem is None:  # pragma: no cover - the pattern and name_problem agree
            problem = "does not match [a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}"
        message = f"tuning job name {value!r} {problem}"
        if any(ch in value for ch in ":+=@_%"):
            message += f" {DOCS_NOTE}"
        yield Violation(("HyperParameterTuningJobName",), message)
