"""The Request: a request dict as written, with a source map to the physical file.

Every loader (YAML, JSON, Python, notebooks, Step Functions) produces Requests;
every rule reads them. Positions are 1-based lines and columns counted in Unicode
code points; ``end_column`` is exclusive (the column just after the last character),
as in SARIF and LSP.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

PathKey = str | int
JsonPath = tuple[PathKey, ...]


@dataclass(frozen=True, slots=True)
class Span:
    line: int
    column: int
    end_line: int
    end_column: int

    def contains(self, line: int, column: int) -> bool:
        return (self.line, self.column) <= (line, column) <= (self.end_line, self.end_column)


@dataclass(frozen=True, slots=True)
class ImageHint:
    """What code says about a training image it only builds at run time.

    ``sagemaker.image_uris.retrieve("xgboost", region, "1.7-1")`` names the algorithm
    and its version even when the region comes from the session: ``ImageHint("xgboost",
    "1.7-1", None)``. A part that is not known statically is None.
    """

    framework: str
    version: str | None = None
    region: str | None = None


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value that cannot be known statically (a variable, an f-string, a ``.$`` path).

    Rules never guess about an Unknown and never report it as wrong. ``image`` is set
    when the unknown value is a training image whose algorithm the code names.
    """

    source: str
    image: ImageHint | None = None

    def __repr__(self) -> str:
        return f"Unknown({self.source!r})"


class PartialDict(dict[str, Any]):
    """A mapping that may hold more keys than we can see (``**spread`` of an unknown).

    ``may_add`` names the only keys the unseen part can add, when that is known (the
    SageMaker SDK adds a known set of members); None means any key."""

    unknown_sources: tuple[str, ...] = ()
    may_add: frozenset[str] | None = None


class PartialList(list[Any]):
    """A list that may hold more items than we can see (``*spread`` of an unknown)."""

    unknown_sources: tuple[str, ...] = ()


def is_unknown(value: object) -> bool:
    return isinstance(value, Unknown)


@dataclass(slots=True)
class Entry:
    """Where one JSON path sits in the file: its key (None for list items and the root)
    and its value, and for scalars how the value was written."""

    value: Span
    key: Span | None = None
    style: str | None = None  # YAML scalar style: "" plain, "'", '"', "|", ">"; None otherwise;
    # DERIVED: the value is not written at its span as such (an SDK default, a number the
    # SDK stringifies, a Step Functions ``.$`` member): no text edit may replace it;
    # KEYWORD: the key is a Python keyword argument's name (a rename is written bare);
    # IN_JSON_STRING: written inside a JSON string (a DefinitionString): edits are escaped
    raw: str | None = None  # the scalar's source text, when it matters for messages


DERIVED = "derived"
KEYWORD = "keyword"
IN_JSON_STRING = "in-json-string"  # written inside a JSON string: an edit is escaped


@dataclass(slots=True)
class SourceMap:
    entries: dict[JsonPath, Entry] = field(default_factory=dict)
    # physical line -> where it is in the file's own terms ("cell 3, line 4" in a
    # notebook); the engine copies it into Finding.context
    context: dict[int, str] = field(default_factory=dict)
    # the text lives inside JSON strings (a notebook file's cells): a fix's new text
    # is escaped for them
    in_json_strings: bool = False

    def get(self, path: JsonPath) -> Entry | None:
        return self.entries.get(path)

    def nearest(self, path: JsonPath) -> tuple[JsonPath, Entry]:
        """The entry for ``path`` or for its closest ancestor that has one."""
        p = path
        while True:
            entry = self.entries.get(p)
            if entry is not None:
                return p, entry
            if not p:
                raise KeyError("source map has no root entry")
            p = p[:-1]

    def locate(self, path: JsonPath, at: str = "value") -> Span:
        """The span to report for ``path``: its value (or key), or, for a path that is
        not in the file (a missing member), the key of the closest present ancestor."""
        found, entry = self.nearest(path)
        if found != path:
            return entry.key or _first_line(entry.value)
        if at == "key" and entry.key is not None:
            return entry.key
        return entry.value


def _first_line(span: Span) -> Span:
    if span.end_line == span.line:
        return span
    return Span(span.line, span.column, span.line, span.column + 1)


@dataclass(frozen=True, slots=True)
class Note:
    """A finding a loader noticed (a duplicate key, a YAML 1.1 boolean key)."""

    rule: str
    path: JsonPath
    message: str
    at: str = "value"  # or "key"


@dataclass(slots=True)
class Request:
    """One request found in a file (a file can hold several)."""

    file: str
    kind: str  # yaml, json, python, notebook, sdk, stepfunctions, airflow, ack, pipeline
    data: dict[str, Any]
    source_map: SourceMap
    index: int = 0  # the n-th request in the file
    # facts the loader noticed that are findings, not failures (duplicate keys, ...)
    load_notes: list[Note] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict)
    # API member name -> how the file spells it, where it differs (an ACK manifest's
    # ``roleARN`` for ``RoleArn``): messages and paths are shown in the file's spelling
    spelling: dict[str, str] = field(default_factory=dict)

    def get(self, path: JsonPath, default: Any = None) -> Any:
        return get_path(self.data, path, default)

    def semantic_view(self) -> Request:
        """This request as semantic rules read it. A ``null`` is one fault, its wrong
        type (HPT103, which structure rules see on ``self``), and nothing more: here it is
        ``Unknown("null")``, so no rule reports it missing, set or wrong on top. Paths,
        source map and notes are shared; ``self`` when it holds no null."""
        view = self.cache.get("semantic_view")
        if view is None:
            data = nulls_as_unknown(self.data)
            view = self if data is self.data else Request(
                self.file, self.kind, data, self.source_map, self.index, self.load_notes,
                spelling=self.spelling)
            self.cache["semantic_view"] = view
        assert isinstance(view, Request)
        return view


_MISSING = object()


NULL = Unknown("null")


def nulls_as_unknown(value: Any) -> Any:
    """``value`` with every ``null`` member and item replaced by ``Unknown("null")``, at any
    depth. Unchanged parts are the same objects."""
    if isinstance(value, dict):
        out = {k: NULL if c is None else nulls_as_unknown(c) for k, c in value.items()}
        if all(out[k] is c for k, c in value.items()):
            return value
        if isinstance(value, PartialDict):
            partial = PartialDict(out)
            partial.unknown_sources = value.unknown_sources
            return partial
        return out
    if isinstance(value, list):
        items = [NULL if c is None else nulls_as_unknown(c) for c in value]
        if all(n is o for n, o in zip(items, value, strict=True)):
            return value
        if isinstance(value, PartialList):
            partial_list = PartialList(items)
            partial_list.unknown_sources = value.unknown_sources
            return partial_list
        return items
    return value


def get_path(data: Any, path: JsonPath, default: Any = None) -> Any:
    cur = data
    for part in path:
        if isinstance(part, int):
            if not isinstance(cur, list) or not -len(cur) <= part < len(cur):
                return default
            cur = cur[part]
        else:
            if not isinstance(cur, dict):
                return default
            cur = cur.get(part, _MISSING)
            if cur is _MISSING:
                return default
    return cur


_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")


def format_path(path: JsonPath) -> str:
    """``("TrainingJobDefinition", "InputDataConfig", 0, "ChannelName")`` ->
    ``TrainingJobDefinition.InputDataConfig[0].ChannelName``; keys that are not plain
    identifiers are quoted: ``StaticHyperParameters["a.b"]``."""
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _PLAIN_KEY.match(part):
            out.append(f".{part}" if out else part)
        else:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"')
            out.append(f'["{escaped}"]')
    return "".join(out)


def walk(value: Any, path: JsonPath = ()) -> Iterator[tuple[JsonPath, Any]]:
    """Every (path, value) below ``value``, parents before children."""
    stack: list[tuple[JsonPath, Any]] = [(path, value)]
    while stack:
        p, v = stack.pop()
        yield p, v
        if isinstance(v, dict):
            stack.extend((p + (k,), c) for k, c in reversed(list(v.items())))
        elif isinstance(v, list):
            stack.extend((p + (i,), c) for i, c in reversed(list(enumerate(v))))
