"""HPT0xx: the input itself. HPT001 and HPT002 are reported by the lint stage (they
are about files, not requests); their checks here are the metadata."""

from __future__ import annotations

from collections.abc import Iterator

from hpt_lint.findings import Severity
from hpt_lint.request import Request, Unknown, walk
from hpt_lint.rule import Rule, Violation


class ParseError(Rule):
    id = "HPT001"
    name = "parse-error"
    severity = Severity.ERROR
    summary = "A file cannot be parsed, is not text, or is too large or deep to load safely."
    tags = ("input",)

    def check(self, request: Request) -> Iterator[Violation]:
        return iter(())  # reported when loading (and for duplicate keys, by the loader)


class NotARequest(Rule):
    id = "HPT002"
    name = "not-a-request"
    severity = Severity.INFO
    summary = "A file holds nothing recognisable as a tuning job request."
    default_enabled = False
    tags = ("input",)

    def check(self, request: Request) -> Iterator[Violation]:
        return iter(())  # reported per file by the lint stage


class UnresolvedValue(Rule):
    id = "HPT003"
    name = "unresolved-value"
    severity = Severity.INFO
    summary = "A value could not be resolved statically, so rules could not check it."
    default_enabled = False
    tags = ("input",)
    reads_nulls = True  # a null is known (and wrong: HPT103), not unresolved

    def check(self, request: Request) -> Iterator[Violation]:
        for path, value in walk(request.data):
            if isinstance(value, Unknown):
                yield Violation(path, f"not checked: the value `{value.source}` is only known "
                                "at run time")
