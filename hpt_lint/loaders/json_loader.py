"""JSON with exact positions.

The stdlib parser drops positions, so this is a small iterative recursive-descent
parser over the standard grammar (RFC 8259) that reuses the stdlib's own string
scanner (``json.decoder.scanstring``, C-accelerated) and number pattern. It records
the span of every key and value, reports duplicate keys, and bounds nesting depth
without touching the C stack.
"""

from __future__ import annotations

import json.decoder
import re
from typing import Any

from hpt_lint.lines import LineIndex
from hpt_lint.loaders.document import Document
from hpt_lint.loaders.errors import LoadError
from hpt_lint.loaders.limits import DEFAULT_LIMITS, Limits
from hpt_lint.request import Entry, JsonPath, Note, SourceMap, Span

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_SURROGATE = re.compile("[\ud800-\udfff]")
_scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]
_LITERALS = (("true", True), ("false", False), ("null", None))


class _Positions(LineIndex):
    def span(self, start: int, end: int) -> Span:
        line, col = self.at(start)
        end_line, end_col = self.at(end)
        return Span(line, col, end_line, end_col)


class _Parser:
    def __init__(self, text: str, limits: Limits) -> None:
        self.text = text
        self.pos = _Positions(text)
        self.limits = limits
        self.smap = SourceMap()
        self.notes: list[Note] = []

    def fail(self, message: str, offset: int) -> LoadError:
        line, col = self.pos.at(min(offset, len(self.text)))
        return LoadError(f"invalid JSON: {message}", line, col)

    def skip(self, i: int) -> int:
        m = _WS.match(self.text, i)
        return m.end() if m else i

    def string(self, i: int) -> tuple[str, int]:
        try:
            value, end = _scanstring(self.text, i + 1, True)
        except json.JSONDecodeError as exc:
            raise self.fail(exc.msg, exc.pos) from None
        if not value.isascii():
            bad = _SURROGATE.search(value)
            if bad is not None:
                # JSON lets "\ud800" through, but it is not a character: it cannot be
                # encoded as UTF-8, so it cannot be sent, printed or pattern-checked.
                raise self.fail(f"the string holds a lone surrogate escape "
                                f"\\u{ord(bad.group()):04x}, which is not a Unicode character",
                                i)
        return value, end

    def scalar(self, i: int) -> tuple[Any, int]:
        text = self.text
        ch = text[i] if i < len(text) else ""
        if ch == '"':
            return self.string(i)
        for word, value in _LITERALS:
            if text.startswith(word, i):
                return value, i + len(word)
        m = _NUMBER.match(text, i)
        if m:
            literal = m.group(0)
            try:
                if m.group(1) or m.group(2):
                    return float(literal), m.end()
                return int(literal), m.end()
            except ValueError as exc:  # more digits than int() accepts
                raise self.fail(f"number too large to read ({exc})", i) from None
        if not ch:
            raise self.fail("unexpected end of file, expecting a value", i)
        raise self.fail(f"unexpected character {ch!r}, expecting a value", i)

    def parse(self) -> Any:
        text = self.text
        stack: list[_Frame] = []
        root: list[Any] = []

        count = 0

        def store(value: Any, path: JsonPath, start: int, end: int,
                  key_span: Span | None) -> None:
            nonlocal count
            count += 1
            if count > self.limits.max_nodes:
                raise self.fail(f"the document holds more than {self.limits.max_nodes:,} "
                                "values; refusing to load it", start)
            self.smap.entries[path] = Entry(self.pos.span(start, end), key_span)
            if not stack:
                root.append(value)
            elif isinstance(stack[-1].container, list):
                stack[-1].container.append(value)
            else:
                stack[-1].container[stack[-1].key] = value

        def value_at(i: int) -> int:
            """Parse the value at ``i``: push a container, or store a scalar."""
            key_span: Span | None = None
            if not stack:
                path: JsonPath = ()
            elif isinstance(stack[-1].container, list):
                path = stack[-1].path + (len(stack[-1].container),)
            else:
                path, key_span = stack[-1].path + (stack[-1].key,), stack[-1].key_span
            ch = text[i] if i < len(text) else ""
            if ch in ("{", "["):
                if len(stack) >= self.limits.max_depth:
                    raise self.fail(f"nesting deeper than {self.limits.max_depth} levels", i)
                stack.append(_Frame({} if ch == "{" else [], path, i, key_span))
                return i + 1
            value, end = self.scalar(i)
            store(value, path, i, end, key_span)
            return end

        def close(i: int) -> int:
            frame = stack.pop()
            store(frame.container, frame.path, frame.start, i + 1, frame.own_key_span)
            return i + 1

        i = value_at(self.skip(0))
        while stack:
            frame = stack[-1]
            i = self.skip(i)
            ch = text[i] if i < len(text) else ""
            is_dict = isinstance(frame.container, dict)
            closer = "}" if is_dict else "]"
            if frame.state == "after":
                if ch == ",":
                    frame.state = "next"
                    i += 1
                elif ch == closer:
                    i = close(i)
                elif not ch:
                    raise self.fail(f"unexpected end of file, expecting ',' or '{closer}'", i)
                else:
                    raise self.fail(f"expecting ',' or '{closer}', found {ch!r}", i)
                continue
            if ch == closer:
                if frame.state == "first":
                    i = close(i)
                    continue
                raise self.fail(f"trailing comma before '{closer}'", i)
            frame.state = "after"
            if not is_dict:
                i = value_at(i)
                continue
            if ch != '"':
                raise self.fail(f"expecting a key in double quotes, found {ch!r}" if ch
                                else "unexpected end of file, expecting a key", i)
            key_start = i
            key, i = self.string(i)
            kspan = self.pos.span(key_start, i)
            if key in frame.seen:
                self.notes.append(Note(
                    "HPT001", frame.path + (key,),
                    f"duplicate key {key!r} (first at line {frame.seen[key].line}); "
                    "the later value silently wins", "key"))
            frame.seen[key] = kspan
            frame.key, frame.key_span = key, kspan
            i = self.skip(i)
            if i >= len(text) or text[i] != ":":
                raise self.fail("expecting ':' after the key", i)
            i = value_at(self.skip(i + 1))
        i = self.skip(i)
        if i != len(text):
            raise self.fail("extra data after the JSON value", i)
        return root[0]


class _Frame:
    __slots__ = ("container", "key", "key_span", "own_key_span", "path", "seen", "start",
                 "state")

    def __init__(self, container: Any, path: JsonPath, start: int,
                 own_key_span: Span | None) -> None:
        self.container = container
        self.path = path
        self.start = start
        self.own_key_span = own_key_span
        self.state = "first"  # first -> after -> next -> after ...
        self.key = ""
        self.key_span: Span | None = None
        self.seen: dict[str, Span] = {}


def load_json(text: str, limits: Limits = DEFAULT_LIMITS) -> list[Document]:
    parser = _Parser(text, limits)
    value = parser.parse()
    return [Document(value, parser.smap, 0, parser.notes, text=text)]
