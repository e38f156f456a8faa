"""YAML with exact positions: libyaml's C composer when present, safe constructors only.

The document is composed into a node graph (which carries marks), then turned
into plain data here, recording the span of every key and value. Nothing but
YAML's safe tags is ever constructed.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from hpt_lint.lines import YAML_ONLY_BREAKS, LineIndex
from hpt_lint.loaders.document import Document
from hpt_lint.loaders.errors import LoadError
from hpt_lint.loaders.limits import DEFAULT_LIMITS, Limits
from hpt_lint.request import Entry, JsonPath, Note, SourceMap, Span, Unknown

_CLoader: Any = getattr(yaml, "CSafeLoader", None)
try:
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser as _Parser  # type: ignore[assignment]
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _PyParser(Reader, Scanner, _Parser):  # type: ignore[misc, valid-type]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _Parser.__init__(self)

    _Parser = _PyParser  # type: ignore[misc, assignment]

_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _Marks:
    """libyaml marks -> 1-based (line, column). YAML also breaks lines at NEL, LS and
    PS; where a text holds one, positions come from the character index instead."""

    def __init__(self, text: str) -> None:
        self.lines = LineIndex(text) if YAML_ONLY_BREAKS.search(text) else None

    def at(self, mark: Any) -> tuple[int, int]:
        if self.lines is not None:
            return self.lines.at(mark.index)
        return mark.line + 1, mark.column + 1

    def span(self, node: Node) -> Span:
        start, end = node.start_mark, node.end_mark
        if self.lines is None:  # the common case, inlined: one call per value
            return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)
        return Span(*self.at(start), *self.at(end))


# CloudFormation short-form intrinsic functions: values known only at deploy time.
# They become Unknown carrying their source text; nothing is constructed for them.
CFN_TAGS = frozenset("!" + name for name in (
    "Ref", "Sub", "GetAtt", "Join", "If", "Select", "FindInMap", "ImportValue", "Base64",
    "Cidr", "GetAZs", "Split", "Equals", "Not", "And", "Or", "Condition", "Transform",
    "Length", "ToJsonString"))


_STANDARD_TAG = "tag:yaml.org,2002:"


def _tag_problem(tag: str, exc: Exception) -> str:
    """What is wrong with a scalar YAML could not construct, without its value: the
    error's own words up to the first quote (``Exceeds the limit (4300 digits)...``)."""
    if not (tag.startswith(_STANDARD_TAG) and tag[len(_STANDARD_TAG):].isalpha()):
        return "a value has a YAML tag hpt-lint does not read (only plain YAML is read)"
    name = tag[len(_STANDARD_TAG):]
    words = exc.problem if isinstance(exc, yaml.MarkedYAMLError) else str(exc)
    if isinstance(exc, ValueError) and "digits" in words:
        words = "more than 4300 digits"  # Python's int() limit, said shortly
    detail = re.split("['\"`:;]", words or "", maxsplit=1)[0].strip().rstrip(",").strip()
    return (f"a value tagged !!{name} is not a valid {name}"
            f"{f' ({detail})' if detail else ''}; the value is not shown")


class _Builder:
    def __init__(self, limits: Limits, marks: _Marks, count: int = 0,
                 text: str = "") -> None:
        self.limits = limits
        self.marks = marks
        self.text = text
        self.constructor = SafeConstructor()
        self.smap = SourceMap()
        self.notes: list[Note] = []
        self.count = count  # values so far in the file: the budget is per file

    def scalar(self, node: ScalarNode) -> Any:
        try:
            value = self.constructor.construct_object(node, deep=True)
        except Exception as exc:  # safe constructors only: any failure is HPT001
            # never quote the value (nor what the error quotes of it): it may be a secret
            raise LoadError(_tag_problem(node.tag, exc),
                            *self.marks.at(node.start_mark)) from None
        finally:
            self.constructor.constructed_objects.clear()
        return value

    def build(self, root: Node) -> Any:
        # Iterative, so nesting depth is bounded by Limits rather than the C stack.
        result: list[Any] = []
        # work items: (node, path, key_span, container, slot, depth)
        stack: list[tuple[Node, JsonPath, Span | None, Any, Any, int]] = [
            (root, (), None, result, None, 0)
        ]
        while stack:
            node, path, key_span, container, slot, depth = stack.pop()
            self.count += 1
            if self.count > self.limits.max_nodes:
                raise LoadError(
                    f"the file holds more than {self.limits.max_nodes:,} values; "
                    "refusing to load it", *self.marks.at(node.start_mark))
            if depth > self.limits.max_depth:
                raise LoadError(f"nesting deeper than {self.limits.max_depth} levels",
                                *self.marks.at(node.start_mark))
            if node.tag in CFN_TAGS:
                source = self.text[node.start_mark.index:node.end_mark.index].strip()
                value: Any = Unknown(f"{node.tag} {source}" if not source.startswith("!")
                                     else source)
                self.smap.entries[path] = Entry(self.marks.span(node), key_span)
            elif isinstance(node, ScalarNode):
                value = self.scalar(node)
                style = node.style or ""
                raw = node.value if node.tag != _STR_TAG or style == "" else None
                self.smap.entries[path] = Entry(self.marks.span(node), key_span, style, raw)
            elif node.tag not in (_SEQ_TAG, _MAP_TAG):
                raise LoadError(f"unsupported YAML tag {_tag(node.tag)} on a collection "
                                "(only plain YAML is read; nothing is constructed from tags)",
                                *self.marks.at(node.start_mark))
            elif isinstance(node, SequenceNode):
                value = []
                self.smap.entries[path] = Entry(self.marks.span(node), key_span)
                value.extend([None] * len(node.value))
                for i in range(len(node.value) - 1, -1, -1):
                    stack.append((node.value[i], path + (i,), None, value, i, depth + 1))
            elif isinstance(node, MappingNode):
                value = {}
                self.smap.entries[path] = Entry(self.marks.span(node), key_span)
                seen: dict[str, Span] = {}
                pending = []
                for key_node, value_node in node.value:
                    if key_node.tag == _MERGE_TAG:
                        raise LoadError("YAML merge keys (<<) are not supported in requests",
                                        *self.marks.at(key_node.start_mark))
                    key = self.key(key_node, path)
                    kspan = self.marks.span(key_node)
                    if key in seen:
                        first = seen[key]
                        self.notes.append(Note(
                            "HPT001", path + (key,),
                            f"duplicate key {key!r} (first at line {first.line}); "
                            "YAML forbids duplicates and the later value silently wins",
                            "key"))
                    seen[key] = kspan
                    value[key] = None
                    pending.append((value_node, path + (key,), kspan, value, key, depth + 1))
                stack.extend(reversed(pending))
            else:  # pragma: no cover - composer yields only these three
                raise LoadError(f"unexpected YAML node {type(node).__name__}")
            if slot is None and container is result:
                result.append(value)
            else:
                container[slot] = value
        return result[0]

    def key(self, node: Node, path: JsonPath) -> str:
        if isinstance(node, ScalarNode):
            if node.tag == _STR_TAG:
                return str(node.value)
            value = self.scalar(node)
            text = str(node.value)
            kind = type(value).__name__.replace("NoneType", "null")
            self.notes.append(Note(
                "HPT103", path + (text,),
                f"YAML 1.1 reads the bare key {text!r} as {kind} {value!r}, not a string; "
                f"quote it: '{text}'", "key"))
            return text
        raise LoadError("a mapping key must be a plain string",
                        *self.marks.at(node.start_mark))


class _CountingComposer(Composer, _Parser, Resolver):  # type: ignore[misc, valid-type]
    """libyaml's parser, PyYAML's composer, counting nodes as it composes them: a file
    with more than ``limit`` nodes is refused before the rest of it is built (a 5 MB
    flow list would otherwise become millions of nodes first)."""

    def __init__(self, text: str, limit: int, marks: _Marks) -> None:
        _Parser.__init__(self, text)
        Composer.__init__(self)
        Resolver.__init__(self)
        self.limit = limit
        self.marks = marks
        self.nodes = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        self.nodes += 1
        if self.nodes > self.limit:
            event = self.peek_event()
            raise LoadError(f"the file holds more than {self.limit:,} values; refusing to "
                            "load it", *self.marks.at(event.start_mark))
        return Composer.compose_node(self, parent, index)  # type: ignore[no-any-return]


# Every node but a document's root starts after one of these (a flow separator or
# opener, a value indicator, a block sequence entry, an explicit key, a line break), and
# at most two nodes start after each (``- a: b``: a mapping and its first key).
_INDICATORS = ",[{:-?\n"


def node_bound(text: str) -> int:
    """An upper bound on the number of nodes in ``text``, counted in C."""
    return 2 * sum(text.count(c) for c in _INDICATORS) + 2 * (text.count("---") + 1)


def compose_all(text: str, limits: Limits, marks: _Marks) -> Any:
    """The documents of ``text`` as node graphs. A text that may hold more nodes than
    the budget is composed by the counting composer, which stops at the budget; any
    other by libyaml's C composer (faster)."""
    if node_bound(text) <= limits.max_nodes and _CLoader is not None:
        yield from yaml.compose_all(text, Loader=_CLoader)
        return
    loader = _CountingComposer(text, limits.max_nodes, marks)
    try:
        while loader.check_node():
            yield loader.get_node()
    finally:
        loader.dispose()


def _tag(tag: str) -> str:
    """A tag for a message: its short name, and never a long text from the file."""
    short = tag.removeprefix("tag:yaml.org,2002:")
    return repr(short) if len(short) <= 40 else repr(short[:40] + "…")


def expanded_size(root: Node, limit: int, marks: _Marks) -> int:
    """How many values ``root`` expands to once aliases are followed, counting each
    shared node once per reference but visiting it only once (so a billion-laughs
    document is measured in microseconds, not built). Stops early past ``limit``;
    raises LoadError on an alias that contains itself."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            sizes[key] = min(limit + 1, 1 + sum(sizes[id(c)] for c in children))
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise LoadError("a YAML alias refers to a node that contains it (a recursive "
                            "structure); requests cannot be recursive",
                            *marks.at(node.start_mark))
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(root)]


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [v for _k, v in node.value]
    return []


def load_yaml(text: str, limits: Limits = DEFAULT_LIMITS) -> list[Document]:
    """Every document in ``text``. Raises LoadError where the parser stopped."""
    docs: list[Document] = []
    marks = _Marks(text)
    count = 0  # values (and documents) so far: Limits.max_nodes bounds the whole file
    has_alias = "*" in text  # once: per document it would be quadratic in documents
    try:
        for index, node in enumerate(compose_all(text, limits, marks)):
            count += 1
            if count > limits.max_nodes:
                where = marks.at(node.start_mark) if node is not None else (1, 1)
                raise LoadError(f"the file holds more than {limits.max_nodes:,} documents "
                                "and values; refusing to load it", *where)
            if node is None:
                continue
            # Only an alias (``*name``) can make a document larger than its text.
            if has_alias and count + expanded_size(
                    node, limits.max_nodes, marks) > limits.max_nodes:
                raise LoadError(
                    f"the file holds more than {limits.max_nodes:,} values once its "
                    "aliases are expanded; refusing to load it",
                    *marks.at(node.start_mark))
            builder = _Builder(limits, marks, count, text)
            value = builder.build(node)
            count = builder.count
            docs.append(Document(value, builder.smap, index, builder.notes, text=text))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line, col = marks.at(mark) if mark else (1, 1)
        raise LoadError(f"invalid YAML: {problem}", line, col) from None
    except yaml.YAMLError as exc:
        raise LoadError(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise LoadError("invalid YAML: nesting too deep to load safely") from None
    return docs
