"""HPT1xx: structure, from botocore's service model (the committed JSON Schema).

One validator run per request (cached on the request), each keyword routed to
its own rule so each can be ignored or re-levelled alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from hpt_lint import structure
from hpt_lint.findings import Severity
from hpt_lint.request import Request
from hpt_lint.rule import Rule, Violation


class _Structural(Rule):
    tags = ("structure",)
    reads_nulls = True

    def check(self, request: Request) -> Iterator[Violation]:
        for rule_id, violation in structure.violations(request):
            if rule_id == self.id:
                yield violation


class MissingRequiredKey(_Structural):
    id = "HPT101"
    name = "missing-required-key"
    severity = Severity.ERROR
    summary = "A member the API requires is absent."


class UnknownKey(_Structural):
    id = "HPT102"
    name = "unknown-key"
    severity = Severity.ERROR
    summary = "A member the API does not have (the closest valid name is suggested)."


class WrongType(_Structural):
    id = "HPT103"
    name = "wrong-type"
    severity = Severity.ERROR
    summary = "A value of the wrong JSON type, such as an unquoted YAML number where the API " \
              "takes a string."


class InvalidEnumValue(_Structural):
    id = "HPT104"
    name = "invalid-enum-value"
    severity = Severity.ERROR
    summary = "A value that is not one of the allowed values (case matters: Off, not OFF)."


class LengthOutOfBounds(_Structural):
    id = "HPT105"
    name = "length-out-of-bounds"
    severity = Severity.ERROR
    summary = "A string shorter or longer than the API allows."


class PatternMismatch(_Structural):
    id = "HPT106"
    name = "pattern-mismatch"
    severity = Severity.ERROR
    summary = "A string that does not match the API's pattern."


class NumberOutOfRange(_Structural):
    id = "HPT107"
    name = "number-out-of-range"
    severity = Severity.ERROR
    summary = "A number below the minimum or above the maximum the API allows."


class SizeOutOfBounds(_Structural):
    id = "HPT108"
    name = "size-out-of-bounds"
    severity = Severity.ERROR
    summary = "A list or map with too few or too many items."
