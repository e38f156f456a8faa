"""Documents written as a string inside another file: a Step Functions definition in a
CloudFormation ``DefinitionString`` (a JSON string in a JSON template, a literal block
in YAML).

The string is parsed as JSON with positions, and every position is carried back to
the file as written: through JSON escapes (``\\"`` and ``\\n`` are two characters in
the file, one in the string) by the notebook loader's cell map, the one mechanism
that counts through escapes; through a YAML literal block's indentation by line (also
``!Sub |``, whose ``${...}`` placeholders are Unknown once the states are read).
A string that is not JSON (Terraform's unquoted ``${...}``) is not read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from hpt_lint.loaders.document import Document
from hpt_lint.loaders.errors import LoadError
from hpt_lint.loaders.json_loader import load_json
from hpt_lint.loaders.limits import DEFAULT_LIMITS
from hpt_lint.loaders.notebook_loader import CellMap, _Piece, _raw_offsets
from hpt_lint.request import IN_JSON_STRING, Entry, JsonPath, Span

Mapper = Callable[[int, int], tuple[int, int]]
_NEWLINE = re.compile(r"\r\n|\r|\n")


def _json_string_mapper(lines: list[str], span: Span, value: str) -> Mapper | None:
    """Positions in a JSON string token's value -> the file (the token is one line)."""
    if span.line != span.end_line or not 1 <= span.line <= len(lines):
        return None
    raw = lines[span.line - 1][span.column:span.end_column - 2]
    offsets = _raw_offsets(raw)
    if len(offsets) != len(value) + 1:
        return None
    return CellMap(value, [_Piece(0, span.line, span.column, offsets)])


def _literal_block_mapper(lines: list[str], span: Span) -> Mapper | None:
    """Positions in a YAML literal block (``|``) -> the file: line n of the value is the
    n-th line after the indicator, shifted by the block's indentation."""
    first = span.line  # 0-based index of the line after the indicator
    for line in lines[first:]:
        if line.strip():
            indent = len(line) - len(line.lstrip(" "))
            return lambda n, col: (first + n, indent + col)
    return None


def mapper_for(text: str, entry: Entry, value: str) -> Mapper | None:
    lines = _NEWLINE.split(text)
    if entry.style is None:  # a JSON file's string token
        return _json_string_mapper(lines, entry.value, value)
    if entry.style == "|":
        return _literal_block_mapper(lines, entry.value)
    if entry.style == '"':  # YAML double quotes escape as JSON does, on one line
        return _json_string_mapper(lines, entry.value, value)
    return None


def _moved(span: Span, mapper: Mapper) -> Span:
    line, col = mapper(span.line, span.column)
    end_line, end_col = mapper(span.end_line, span.end_column)
    return Span(line, col, end_line, end_col)


def parse_embedded(doc: Document, path: JsonPath, value: str,
                   style: str | None = None) -> Any | None:
    """Parse the string at ``path`` of ``doc`` as JSON; its entries join ``doc``'s source
    map under ``path`` at their positions in the file. None when it cannot be read.
    ``style`` overrides the written style (a tagged YAML block read from its source)."""
    entry = doc.source_map.get(path)
    if entry is None or not doc.text or not value.lstrip().startswith("{"):
        return None
    if style is not None:
        entry = Entry(entry.value, entry.key, style)
    mapper = mapper_for(doc.text, entry, value)
    style = IN_JSON_STRING if entry.style in (None, '"') else None
    if mapper is None:
        return None
    try:
        (inner,) = load_json(value, DEFAULT_LIMITS)
    except LoadError:
        return None
    for sub, e in inner.source_map.entries.items():
        key = _moved(e.key, mapper) if e.key is not None else (entry.key if not sub else None)
        doc.source_map.entries[(*path, *sub)] = Entry(_moved(e.value, mapper), key, style)
    return inner.value
