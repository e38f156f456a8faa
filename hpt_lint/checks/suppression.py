"""HPT004: suppressions. Reported by the suppression stage (``hpt_lint.suppress``),
which runs after the rules; the check here is the metadata."""

from __future__ import annotations

from collections.abc import Iterator

from hpt_lint.findings import Severity
from hpt_lint.request import Request
from hpt_lint.rule import Rule, Violation


class UnusedSuppression(Rule):
    id = "HPT004"
    name = "unused-suppression"
    severity = Severity.INFO
    summary = ("An inline `# hpt-lint: disable...` comment silences nothing (the rule does "
               "not fire there, or the id names no rule).")
    tags = ("input", "suppression")

    def check(self, request: Request) -> Iterator[Violation]:
        return iter(())  # reported by the suppression stage, which sees the comments
