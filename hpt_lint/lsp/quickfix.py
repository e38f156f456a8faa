"""Which quick fixes a code-action request gets: one place for the text documents and
for notebook cells, which differ only in where the edits land."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from hpt_lint.findings import Finding, Fix
from hpt_lint.lsp.documents import Analysis


@dataclass(frozen=True, slots=True)
class Offer:
    """For one finding in the requested range: its certain fix (if it keeps the file
    parsing) and the "disable RULE on this line" fix (once per line and rule)."""

    index: int  # the finding's index in ``Analysis.findings``
    finding: Finding
    fix: Fix | None
    disable: Fix | None


def offers(analysis: Analysis, text: str, path: str, suffix: str | None,
           start: tuple[int, int], end: tuple[int, int]) -> Iterator[Offer]:
    """The fixes for the findings of ``analysis`` (positions in ``text``) that overlap
    ``start``..``end``. Findings kept from the last good lint (stale) get none."""
    from hpt_lint.fix import disable_fix, keeps_parsing

    disabled: set[tuple[int, str]] = set()
    for index, finding in enumerate(analysis.findings):
        if index in analysis.stale:
            continue
        if (finding.end_line, finding.end_column) < start or (finding.line,
                                                              finding.column) > end:
            continue
        fix = finding.fix if finding.fix is not None and keeps_parsing(
            text, finding.fix.edits, path, suffix) else None
        disable = None
        if (finding.line, finding.rule) not in disabled and not analysis.parse_failed:
            disabled.add((finding.line, finding.rule))
            disable = disable_fix(text, finding.line, finding.rule, path, suffix)
        yield Offer(index, finding, fix, disable)
