"""Lines as editors and LSP count them: broken by ``\\n``, ``\\r\\n`` or ``\\r`` only.

YAML also breaks lines at NEL (U+0085), LS (U+2028) and PS (U+2029), and
``str.splitlines`` at a dozen more characters; a position computed either way
would point at the wrong line in an editor. Everything that turns an offset into
a line, or a text into lines, goes through here.
"""

from __future__ import annotations

import bisect
import re

LINE_BREAK = re.compile(r"\r\n|\r|\n")
YAML_ONLY_BREAKS = re.compile("[\x85\u2028\u2029]")


def split_lines(text: str) -> list[str]:
    """The lines of ``text``, without their line breaks."""
    return LINE_BREAK.split(text)


class LineIndex:
    """Character offset -> 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in LINE_BREAK.finditer(text)]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1
