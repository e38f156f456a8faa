"""The one line model: lines are broken by ``\\n``, ``\\r\\n`` or ``\\r``, as editors and
the LSP count them, in every kind of file.

Every position hpt-lint prints, edits or receives (loaders, excerpts, ``--fix``, inline
suppressions, the language server) goes through here; nothing else splits a text into
lines or turns an offset into a line. ``str.splitlines`` is never used for positions: it
also breaks at ``\\x0b``, ``\\x0c``, ``\\x1c``-``\\x1e``, NEL (U+0085), LS (U+2028) and
PS (U+2029), and a position counted that way points at the wrong line.

Per file kind, only *where a comment ends* differs: YAML also ends a comment at NEL, LS
and PS (they are YAML line breaks, so libyaml's own line numbers are converted here);
Python ends one at ``\\n``/``\\r`` only; JSON has no comments.
"""

from __future__ import annotations

import bisect
import re

LINE_BREAK = re.compile(r"\r\n|\r|\n")
YAML_ONLY_BREAKS = re.compile("[\x85\u2028\u2029]")
# where a comment ends, per file kind (the comment does not include it)
COMMENT_END = {
    "yaml": re.compile("[\r\n\x85\u2028\u2029]"),
    "python": re.compile("[\r\n]"),
}


def split_lines(text: str) -> list[str]:
    """The lines of ``text``, without their line breaks (a final empty line included)."""
    return LINE_BREAK.split(text)


def split_keeping_breaks(text: str) -> list[str]:
    """The lines of ``text``, each with its line break (the last one may have none)."""
    out: list[str] = []
    start = 0
    for m in LINE_BREAK.finditer(text):
        out.append(text[start:m.end()])
        start = m.end()
    if start < len(text):
        out.append(text[start:])
    return out


class LineIndex:
    """Character offsets <-> 1-based (line, column) in code points."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self.starts = [0] + [m.end() for m in LINE_BREAK.finditer(text)]
        # where each line's content ends (its line break, or the end of the text)
        self.ends = [m.start() for m in LINE_BREAK.finditer(text)] + [len(text)]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    @property
    def count(self) -> int:
        return len(self.starts)

    def offset(self, line: int, column: int) -> int:
        """1-based (line, column) -> offset, clamped to the line's content (a column past
        its end is its end: the line break stays) and to the text (a line past the last
        is the end of the text)."""
        if line < 1:
            return 0
        if line > len(self.starts):
            return self.length
        start = self.starts[line - 1]
        return min(start + max(column - 1, 0), self.ends[line - 1])

    def line_span(self, line: int) -> tuple[int, int]:
        """(start, end) offsets of ``line``'s content, without its line break."""
        return self.starts[line - 1], self.ends[line - 1]


__all__ = ["COMMENT_END", "LINE_BREAK", "YAML_ONLY_BREAKS", "LineIndex", "split_keeping_breaks",
           "split_lines"]
