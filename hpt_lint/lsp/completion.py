"""Completion: member names and enum values valid at the cursor, from the schema.

This must work on a half-typed document, which no parser accepts, so the cursor's
JSON path is found from the text itself rather than from a parse:

- YAML: by indentation. From the cursor line we walk up: a line whose key starts
  left of the current column and has no inline value is the parent, a ``- `` item
  is an index; keys at the cursor's column (up and down, within the block) are
  the members already present. A ``---`` line ends the walk.
- JSON: a small scanner over the text before the cursor keeps the stack of open
  objects and arrays, each object's current key and the keys seen so far.

Only files that look like a request (a top-level request member appears in the
text) get completions, so other YAML and JSON stays quiet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hpt_lint.lines import LineIndex, split_lines
from hpt_lint.loaders import REQUEST_KEYS
from hpt_lint.loaders.limits import LSP_MAX_LINE
from hpt_lint.request import JsonPath

_REQUEST_WORD = re.compile(r"\b(?:" + "|".join(sorted(REQUEST_KEYS)) + r")\b")
_YAML_LINE = re.compile(r"^(?P<indent> *)(?P<dashes>(?:-[ \t]+)*)(?P<rest>.*)$")
_KEY_START_NOT = frozenset("#:'\"[]{},")
_PARTIAL_KEY = re.compile(r"^[\w\"'.-]*$")


@dataclass(frozen=True, slots=True)
class Item:
    label: str
    kind: str  # "property" or "value"
    detail: str
    documentation: str
    insert_text: str


@dataclass(frozen=True, slots=True)
class Context:
    path: JsonPath  # the object (for members) or the value (for values) at the cursor
    position: str  # "key" or "value"
    present: frozenset[str] = frozenset()
    quoted: bool = False  # the cursor is inside a string already (JSON)
    need_space: bool = False  # YAML value right after the colon


def looks_like_request(text: str) -> bool:
    return _REQUEST_WORD.search(text) is not None


def complete(text: str, line: int, column: int, kind: str) -> list[Item]:
    """Items for the cursor at 1-based (line, code-point column) in a ``kind`` file."""
    if kind not in ("yaml", "json") or not looks_like_request(text):
        return []
    ctx = yaml_context(text, line, column) if kind == "yaml" else json_context(text, line,
                                                                               column)
    if ctx is None:
        return []
    return items_for(ctx, kind) + algorithm_items(text, ctx, kind)


def algorithm_items(text: str, ctx: Context, kind: str) -> list[Item]:
    """A built-in algorithm's tunable hyperparameter names (in a range's ``Name``) and metric
    names (in ``MetricName``), when the document's training image is one."""
    if ctx.position != "value":
        return []
    from hpt_lint.lsp.algorithm_help import completions

    items = []
    for label, detail, doc in completions(text, ctx.path):
        if kind == "json":
            insert = label if ctx.quoted else f'"{label}"'
        else:
            insert = f'"{label}"' if ":" in label else label
        items.append(Item(label, "value", detail, doc, (" " + insert) if ctx.need_space
                          else insert))
    return items


def items_for(ctx: Context, kind: str) -> list[Item]:
    from hpt_lint.structure import schema_at

    schema = schema_at(ctx.path)
    if schema is None:
        return []
    items: list[Item] = []
    if ctx.position == "key":
        props: dict[str, Any] = schema.get("properties") or {}
        for name, prop in props.items():
            if name in ctx.present:
                continue
            from hpt_lint.structure import _deref

            sub = _deref(prop)
            typ = str(sub.get("type", ""))
            if kind == "json":
                insert = name if ctx.quoted else f'"{name}"'
            else:
                insert = f"{name}: " if typ not in ("object", "array") else f"{name}:"
            required = name in schema.get("required", ())
            detail = f"{typ}{' (required)' if required else ''}"
            items.append(Item(name, "property", detail, sub.get("description", ""), insert))
        return items
    values: list[Any] = list(schema.get("enum") or ())
    if schema.get("type") == "boolean":
        values = [True, False]
    for value in values:
        label = value if isinstance(value, str) else ("true" if value else "false")
        if kind == "json" and isinstance(value, str):
            insert = label if ctx.quoted else f'"{label}"'
        elif kind == "yaml" and label in _YAML11_SPECIAL:
            insert = f'"{label}"'  # a bare Off would be read as a boolean
        else:
            insert = label
        if ctx.need_space:
            insert = " " + insert
        items.append(Item(label, "value", str(schema.get("type", "")),
                          schema.get("description", ""), insert))
    return items


_YAML11_SPECIAL = frozenset({"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true",
                             "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON",
                             "off", "Off", "OFF", "null", "Null", "NULL", "~"})


class _KeyMatch:
    """``key: value`` on one YAML line; ``value`` is None when nothing follows the colon."""

    __slots__ = ("key", "value")

    def __init__(self, key: str, value: str | None) -> None:
        self.key = key
        self.value = value


def _yaml_key(body: str) -> _KeyMatch | None:
    """``key:`` or ``key: value`` at the start of ``body``; linear in its length (a
    backtracking pattern here was quadratic: 150,000 spaces blocked the server 19 s)."""
    if not body:
        return None
    first = body[0]
    if first in "\"'":
        close = body.find(first, 1)
        if close < 0:
            return None
        key, rest = body[: close + 1], body[close + 1:]
    elif first.isspace() or first in _KEY_START_NOT:
        return None
    else:
        colon, hash_ = body.find(":"), body.find("#")
        if colon < 0 or 0 <= hash_ < colon:
            return None
        key, rest = body[:colon].rstrip(" \t"), body[colon:]
        if not key:
            return None
    rest = rest.lstrip(" \t")
    if not rest.startswith(":"):
        return None
    after = rest[1:]
    if not after:
        return _KeyMatch(key, None)
    if after[0] not in " \t":
        return None
    return _KeyMatch(key, after.lstrip(" \t"))


def _unquote(key: str) -> str:
    key = key.strip()
    if len(key) >= 2 and key[0] == key[-1] and key[0] in "\"'":
        return key[1:-1]
    return key


def _split_yaml_line(text: str) -> tuple[list[int], int, str]:
    """(columns of the ``- `` indicators, column where the content starts, content),
    0-based columns."""
    m = _YAML_LINE.match(text)
    assert m is not None  # the pattern matches any line
    indent = len(m.group("indent"))
    dashes = [indent + d.start() for d in re.finditer(r"-[ \t]+", m.group("dashes"))]
    return dashes, indent + len(m.group("dashes")), m.group("rest")


def _skip(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def yaml_context(text: str, line: int, column: int) -> Context | None:
    lines = split_lines(text)
    if not 1 <= line <= len(lines) or len(lines[line - 1]) > LSP_MAX_LINE:
        return None
    before = lines[line - 1][: column - 1].rstrip("\r")
    dashes, content_col, rest = _split_yaml_line(before)
    key_match = _yaml_key(rest)
    value_key: str | None = None
    need_space = False
    if key_match:
        value = key_match.value
        if value is not None and (value.startswith(("{", "[", "|", ">", "&", "*", "!", "#"))):
            return None
        value_key = _unquote(key_match.key)
        need_space = value is None
    elif not _PARTIAL_KEY.match(rest):
        return None
    path: list[str | int] = []
    target = content_col
    collecting = not dashes
    path.extend(0 for _ in dashes)  # a new list item: its members come next
    if dashes:
        target = dashes[0]
    present: set[str] = set()
    for row in range(line - 2, -1, -1):
        raw = lines[row].rstrip("\r")
        if raw.startswith(("---", "...")):
            break
        if _skip(raw):
            continue
        d, col, body = _split_yaml_line(raw)
        km = _yaml_key(body)
        key = _unquote(km.key) if km else None
        if col == target and collecting and key is not None:
            present.add(key)
        if col < target or (d and d[-1] < target <= col):
            if col < target:
                if key is None or (km and km.value not in (None, "")
                                   and not km.value.lstrip().startswith(("#", "&"))):
                    return None  # not under a mapping key: nothing sure to offer
                path.insert(0, key)
                target = col
            collecting = False
            for dash in reversed(d):
                if dash < target:
                    path.insert(0, 0)
                    target = dash
        if target == 0 and not collecting:
            break  # at the root: nothing above matters
    # members further down the same block
    for row in range(line, len(lines)):
        raw = lines[row].rstrip("\r")
        if raw.startswith(("---", "...")):
            break
        if _skip(raw):
            continue
        d, col, body = _split_yaml_line(raw)
        if col < content_col or (d and d[0] < content_col):
            break
        km = _yaml_key(body)
        if col == content_col and km and not d:
            present.add(_unquote(km.key))
    if value_key is not None:
        return Context(tuple(path) + (value_key,), "value", need_space=need_space)
    return Context(tuple(path), "key", frozenset(present))


_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*("?)|[{}\[\]:,]|[^\s{}\[\]:,"]+|\s+')


@dataclass
class _Frame:
    container: str  # "object" or "array"
    key: str | None = None
    keys: set[str] | None = None
    index: int = 0
    expect: str = "key"  # object: key, colon, value, comma; array: value, comma


def json_context(text: str, line: int, column: int) -> Context | None:
    lines = split_lines(text)
    if not 1 <= line <= len(lines):
        return None
    offset = LineIndex(text).offset(line, column)
    head = text[:offset]
    stack: list[_Frame] = []
    in_string = False
    for m in _JSON_TOKEN.finditer(head):
        tok = m.group(0)
        in_string = False
        if tok.isspace():
            continue
        top = stack[-1] if stack else None
        if tok in "{[":
            if top is not None:
                top.expect = "comma"
            stack.append(_Frame("object", keys=set()) if tok == "{" else _Frame("array",
                                                                                 expect="value"))
        elif tok in "}]":
            if stack:
                stack.pop()
        elif tok == ":":
            if top is not None and top.container == "object":
                top.expect = "value"
        elif tok == ",":
            if top is not None:
                top.expect = "key" if top.container == "object" else "value"
                if top.container == "array":
                    top.index += 1
        elif tok.startswith('"'):
            closed = m.group(1) == '"' and len(tok) >= 2
            if not closed and m.end() == len(head):
                in_string = True
                break
            if top is not None and top.container == "object" and top.expect == "key":
                top.key = _json_string(tok)
                assert top.keys is not None
                top.keys.add(top.key)
                top.expect = "colon"
            elif top is not None:
                top.expect = "comma"
        else:  # a number or literal (or a half-typed one)
            if m.end() == len(head):
                break
            if top is not None:
                top.expect = "comma"
    if not stack:
        return None
    path: list[str | int] = []
    for frame in stack[:-1]:
        if frame.container == "object":
            if frame.key is None:
                return None
            path.append(frame.key)
        else:
            path.append(frame.index)
    top = stack[-1]
    if top.container == "object" and top.expect == "key":
        present = set(top.keys or ())
        present.update(_later_keys(text, offset, tuple(path)))
        return Context(tuple(path), "key", frozenset(present), quoted=in_string)
    if top.container == "object" and top.expect == "value" and top.key is not None:
        return Context(tuple(path) + (top.key,), "value", quoted=in_string)
    if top.container == "array" and top.expect == "value":
        return Context(tuple(path) + (top.index,), "value", quoted=in_string)
    return None


def _json_string(token: str) -> str:
    import json

    try:
        value = json.loads(token)
    except ValueError:
        return token.strip('"')
    return value if isinstance(value, str) else token.strip('"')


def _later_keys(text: str, offset: int, path: JsonPath) -> set[str]:
    """Keys of the object at ``path`` that the full text holds, if it parses."""
    from hpt_lint.loaders import LoadError
    from hpt_lint.loaders.json_loader import load_json
    from hpt_lint.request import get_path

    try:
        docs = load_json(text)
    except (LoadError, RecursionError):
        return set()
    found = get_path(docs[0].value, path) if docs else None
    return set(found) if isinstance(found, dict) else set()
