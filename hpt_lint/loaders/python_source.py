"""A chunk of Python source (a file, or a notebook cell) and where its characters are in
the physical file: ``ast`` positions (UTF-8 byte columns) -> Spans (code points)."""

from __future__ import annotations

import ast
from array import array
from collections.abc import Callable

from hpt_lint.lines import split_lines
from hpt_lint.request import Span

Mapper = Callable[[int, int], tuple[int, int]]


class Source:
    """One parsed chunk of Python (a file, or a notebook cell) and where its characters
    are in the physical file. ``ast`` columns are UTF-8 byte offsets; spans are code
    points."""

    def __init__(self, text: str, mapper: Mapper | None = None) -> None:
        self.text = text
        self.lines = split_lines(text)
        self.mapper = mapper
        self._encoded: dict[int, bytes] = {}
        # per non-ASCII line: UTF-8 byte offset -> code points before it (built once, so a
        # position is O(1) however many values one long line holds)
        self._columns: dict[int, array[int] | None] = {}
        # lines where a call of interest starts (None: not known, look everywhere)
        self.call_lines: list[int] | None = None
        # calls that may change a container passed to them, in source order
        self.escapes: list[ast.Call] = []
        self.escape_lines: list[int] = []

    def pos(self, lineno: int, col_bytes: int) -> tuple[int, int]:
        index = lineno - 1
        if 0 <= index < len(self.lines):
            col = self._char_offset(index, col_bytes) + 1
        else:
            col = col_bytes + 1
        return self.mapper(lineno, col) if self.mapper else (lineno, col)

    def span(self, node: ast.AST) -> Span:
        line, col = self.pos(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end_line = getattr(node, "end_lineno", None) or node.lineno  # type: ignore[attr-defined]
        end_col = getattr(node, "end_col_offset", None)
        if end_col is None:
            return Span(line, col, line, col + 1)
        e_line, e_col = self.pos(end_line, end_col)
        return Span(line, col, e_line, e_col)

    def name_span(self, node: ast.AST, name: str, at_end: bool = False) -> Span:
        """The span of identifier ``name`` written at the start (or end) of ``node``."""
        if at_end:
            lineno = node.end_lineno  # type: ignore[attr-defined]
            end = self._cp_col(lineno, node.end_col_offset)  # type: ignore[attr-defined]
            start = max(1, end - len(name))
        else:
            lineno = node.lineno  # type: ignore[attr-defined]
            start = self._cp_col(lineno, node.col_offset)  # type: ignore[attr-defined]
            end = start + len(name)
        if self.mapper:
            s_line, s_col = self.mapper(lineno, start)
            e_line, e_col = self.mapper(lineno, end)
            return Span(s_line, s_col, e_line, e_col)
        return Span(lineno, start, lineno, end)

    def _cp_col(self, lineno: int, col_bytes: int) -> int:
        saved, self.mapper = self.mapper, None
        try:
            return self.pos(lineno, col_bytes)[1]
        finally:
            self.mapper = saved

    def _char_offset(self, index: int, col_bytes: int) -> int:
        if index not in self._columns:
            line = self.lines[index]
            self._columns[index] = None if line.isascii() else _offsets(line)
        table = self._columns[index]
        if table is None:  # ASCII: bytes are characters
            return min(max(col_bytes, 0), len(self.lines[index]))
        return table[min(max(col_bytes, 0), len(table) - 1)]

    def _line_bytes(self, index: int) -> bytes:
        raw = self._encoded.get(index)
        if raw is None:
            raw = self._encoded[index] = self.lines[index].encode("utf-8", "surrogatepass")
        return raw

    def segment(self, node: ast.AST) -> str:
        """The source text of ``node`` (like ``ast.get_source_segment``, without
        re-splitting the whole text for every call)."""
        first = node.lineno - 1  # type: ignore[attr-defined]
        last = (getattr(node, "end_lineno", None) or node.lineno) - 1  # type: ignore[attr-defined]
        end_col = getattr(node, "end_col_offset", None)
        if end_col is None or not 0 <= first <= last < len(self.lines):
            return ast.unparse(node)
        start_col = node.col_offset  # type: ignore[attr-defined]
        if first == last:
            parts = [self._line_bytes(first)[start_col:end_col]]
        else:
            parts = [self._line_bytes(first)[start_col:],
                     *(self._line_bytes(i) for i in range(first + 1, last)),
                     self._line_bytes(last)[:end_col]]
        return "\n".join(p.decode("utf-8", "replace") for p in parts)


def _offsets(line: str) -> array[int]:
    """For each UTF-8 byte offset into ``line`` (and its end), the number of code points
    that start before it (a surrogate takes 3 bytes, as ``surrogatepass`` encodes it)."""
    table = array("l")
    for i, ch in enumerate(line):
        code = ord(ch)
        size = 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
        table.append(i)
        for _ in range(size - 1):
            table.append(i + 1)
    table.append(len(line))
    return table
