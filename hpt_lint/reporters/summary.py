"""Counts shared by reporters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hpt_lint.findings import Severity

if TYPE_CHECKING:
    from hpt_lint.lint import FileResult


def summarize(results: list[FileResult]) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for result in results:
        for finding in result.findings:
            counts[finding.severity.value] += 1
    return {
        "files": len(results),
        "requests": sum(r.requests for r in results),
        "findings": sum(counts.values()),
        "errors": counts["error"],
        "warnings": counts["warning"],
        "info": counts["info"],
        "files_with_findings": sum(1 for r in results if r.findings),
    }
