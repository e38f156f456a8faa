"""Positions: our 1-based code-point columns <-> LSP 0-based positions.

Findings count lines from 1 and columns in Unicode code points from 1 (end
exclusive). LSP counts both from 0, and columns in the code units of the
negotiated position encoding: UTF-16 unless the client offers UTF-8 or UTF-32.
Lines are those of ``hpt_lint.lines`` (broken by ``\\n``, ``\\r\\n`` or ``\\r``, as the
LSP specification and our loaders count them).
"""

from __future__ import annotations

from collections.abc import Sequence

from hpt_lint.lines import split_lines

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def _units(text: str, encoding: str) -> int:
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def to_client(lines: Sequence[str], line: int, column: int,
              encoding: str = UTF16) -> tuple[int, int]:
    """1-based (line, code-point column) -> 0-based (line, code units), clamped to the text."""
    if not lines:
        return 0, 0
    row = min(max(line - 1, 0), len(lines) - 1)
    if line - 1 >= len(lines):  # past the end (a YAML end mark after the last line)
        return row, _units(lines[row], encoding)
    text = lines[row]
    cut = min(max(column - 1, 0), len(text))
    return row, _units(text[:cut], encoding)


def from_client(lines: Sequence[str], line: int, character: int,
                encoding: str = UTF16) -> tuple[int, int]:
    """0-based (line, code units) -> 1-based (line, code-point column), clamped."""
    if not lines:
        return 1, 1
    row = min(max(line, 0), len(lines) - 1)
    text = lines[row]
    if encoding == UTF32:
        return row + 1, min(character, len(text)) + 1
    used = 0
    for index, ch in enumerate(text):
        if used >= character:
            return row + 1, index + 1
        used += _units(ch, encoding)
    return row + 1, len(text) + 1


__all__ = ["UTF8", "UTF16", "UTF32", "from_client", "split_lines", "to_client"]
