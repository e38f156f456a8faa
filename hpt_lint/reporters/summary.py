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


def count(n: int, word: str) -> str:
    """``1 error``, ``2 errors``, ``3 info`` (info has no plural)."""
    return f"{n} {word}" if n == 1 or word == "info" else f"{n} {word}s"


def by_severity(summary: dict[str, int], *, zeros: bool = False) -> str:
    """``2 errors, 1 warning`` from a summary (with ``zeros``, every severity)."""
    return ", ".join(count(summary[key], word) for key, word in
                     (("errors", "error"), ("warnings", "warning"), ("info", "info"))
                     if zeros or summary[key])
