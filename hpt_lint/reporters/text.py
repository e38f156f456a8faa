"""``--format text``: ``path:line:col: HPT304 [error] headline (name)``, the source line
with the fault underlined, a ``help:`` line with the why and the fix (see
``reporters.help``), and a summary. Colour only when asked or on a terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hpt_lint.findings import Finding, Severity
from hpt_lint.lines import split_lines
from hpt_lint.redact import Redactor
from hpt_lint.reporters.escape import escape_controls
from hpt_lint.reporters.help import for_display
from hpt_lint.reporters.summary import by_severity, count, summarize

if TYPE_CHECKING:
    from hpt_lint.lint import FileResult
    from hpt_lint.reporters import Options

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _c(text: str, code: str, on: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if on else text


_WIDE = 160  # longest excerpt printed; longer lines are shown as a window on the fault
_LEAD = 40  # characters kept before the fault in a window


def _window(source: str, column: int) -> tuple[int, str]:
    """(offset, text): the part of a long line around ``column``, with ellipses."""
    if len(source) <= _WIDE:
        return 0, source
    start = max(0, min(column - 1 - _LEAD, len(source) - _WIDE))
    text = source[start:start + _WIDE]
    if start + _WIDE < len(source):
        text += "…"
    if start:
        return start - 1, "…" + text  # the ellipsis stands in column ``start``
    return 0, text


def _excerpt(f: Finding, lines: list[str], masker: Redactor, color: bool) -> list[str]:
    if not 1 <= f.line <= len(lines):
        return []
    source = lines[f.line - 1].rstrip("\r\n")
    shown = masker.line(f.line, source) if masker else source
    if shown != source:  # a secret was masked: the columns no longer line up
        return [f"  {f.line:>5} | {escape_controls(_window(shown, f.column)[1])}"]
    offset, part = _window(source, f.column)
    column = f.column - offset
    width = (f.end_column - f.column) if f.end_line == f.line else len(part) - column + 1
    width = max(1, min(width, len(part) - column + 1))
    # escaped control characters take several columns: measure the escaped text
    before = escape_controls(part[: column - 1])
    width = len(escape_controls(part[column - 1: column - 1 + width]))
    prefix = "".join(ch if ch == "\t" else " " for ch in before)
    marker = _c("^" * width, _COLORS[f.severity], color)
    return [f"  {f.line:>5} | {escape_controls(part)}", f"        | {prefix}{marker}"]


def render(results: list[FileResult], options: Options) -> str:
    out: list[str] = []
    color = options.color
    for result in sorted(results, key=lambda r: r.file):
        lines = split_lines(result.text) if result.text is not None else []
        masker = Redactor(result.secrets, result.secret_spans)
        for f in sorted(result.findings, key=Finding.sort_key):
            where = _c(f"{escape_controls(f.file)}:{f.line}:{f.column}:", "1", color)
            sev = _c(f"[{f.severity.value}]", _COLORS[f.severity], color)
            context = f" ({escape_controls(f.context)})" if f.context else ""
            head, why = for_display(f.message)
            out.append(f"{where} {_c(f.rule, '1', color)} {sev} {escape_controls(head)} "
                       f"({escape_controls(f.name)}){context}")
            if options.show_source:
                out.extend(_excerpt(f, lines, masker, color))
            if why:
                out.append(f"  {_c('help:', '1;36', color)} {escape_controls(why)}")
    s = summarize(results)
    if options.quiet:
        return "\n".join(out) + "\n" if out else ""
    if s["findings"]:
        out.append(f"Found {count(s['findings'], 'finding')} ({by_severity(s)}) in "
                   f"{s['files_with_findings']} of {count(s['files'], 'file')} "
                   f"({count(s['requests'], 'request')}).")
    else:
        out.append(f"No findings: {count(s['files'], 'file')}, "
                   f"{count(s['requests'], 'request')} checked.")
    return "\n".join(out) + "\n"
