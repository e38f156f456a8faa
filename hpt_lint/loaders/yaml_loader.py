"""YAML with exact positions: libyaml's C composer when present, safe constructors only.

The document is composed into a node graph (which carries marks), then turned
into plain data here, recording the span of every key and value. Nothing but
YAML's safe tags is ever constructed.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from hpt_lint.loaders.document import Document
from hpt_lint.loaders.errors import LoadError
from hpt_lint.loaders.limits import DEFAULT_LIMITS, Limits
from hpt_lint.request import Entry, JsonPath, Note, SourceMap, Span, Unknown

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_MERGE_TAG = "tag:yaml.org,2002:merge"


def _span(node: Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


# CloudFormation short-form intrinsic functions: values known only at deploy time.
# They become Unknown carrying their source text; nothing is constructed for them.
CFN_TAGS = frozenset("!" + name for name in (
    "Ref", "Sub", "GetAtt", "Join", "If", "Select", "FindInMap", "ImportValue", "Base64",
    "Cidr", "GetAZs", "Split", "Equals", "Not", "And", "Or", "Condition", "Transform",
    "Length", "ToJsonString"))


class _Builder:
    def __init__(self, limits: Limits, text: str = "") -> None:
        self.limits = limits
        self.text = text
        self.constructor = SafeConstructor()
        self.smap = SourceMap()
        self.notes: list[Note] = []
        self.count = 0

    def scalar(self, node: ScalarNode) -> Any:
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            raise LoadError(f"invalid {node.tag.rsplit(':', 1)[-1]} value {node.value!r}: {exc}",
                            node.start_mark.line + 1, node.start_mark.column + 1) from None
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
                    f"the document expands to more than {self.limits.max_nodes:,} values "
                    "(an alias bomb?); refusing to load it",
                    node.start_mark.line + 1, node.start_mark.column + 1)
            if depth > self.limits.max_depth:
                raise LoadError(f"nesting deeper than {self.limits.max_depth} levels",
                                node.start_mark.line + 1, node.start_mark.column + 1)
            if node.tag in CFN_TAGS:
                source = self.text[node.start_mark.index:node.end_mark.index].strip()
                value: Any = Unknown(f"{node.tag} {source}" if not source.startswith("!")
                                     else source)
                self.smap.entries[path] = Entry(_span(node), key_span)
            elif isinstance(node, ScalarNode):
                value = self.scalar(node)
                style = node.style or ""
                raw = node.value if node.tag != _STR_TAG or style == "" else None
                self.smap.entries[path] = Entry(_span(node), key_span, style, raw)
            elif node.tag not in (_SEQ_TAG, _MAP_TAG):
                raise LoadError(f"unsupported YAML tag {node.tag!r} on a collection "
                                "(only plain YAML is read; nothing is constructed from tags)",
                                node.start_mark.line + 1, node.start_mark.column + 1)
            elif isinstance(node, SequenceNode):
                value = []
                self.smap.entries[path] = Entry(_span(node), key_span)
                value.extend([None] * len(node.value))
                for i in range(len(node.value) - 1, -1, -1):
                    stack.append((node.value[i], path + (i,), None, value, i, depth + 1))
            elif isinstance(node, MappingNode):
                value = {}
                self.smap.entries[path] = Entry(_span(node), key_span)
                seen: dict[str, Span] = {}
                pending = []
                for key_node, value_node in node.value:
                    if key_node.tag == _MERGE_TAG:
                        raise LoadError("YAML merge keys (<<) are not supported in requests",
                                        key_node.start_mark.line + 1,
                                        key_node.start_mark.column + 1)
                    key = self.key(key_node, path)
                    kspan = _span(key_node)
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
                        node.start_mark.line + 1, node.start_mark.column + 1)


def load_yaml(text: str, limits: Limits = DEFAULT_LIMITS) -> list[Document]:
    """Every document in ``text``. Raises LoadError where the parser stopped."""
    docs: list[Document] = []
    try:
        for index, node in enumerate(yaml.compose_all(text, Loader=_Loader)):
            if node is None:
                continue
            builder = _Builder(limits, text)
            value = builder.build(node)
            docs.append(Document(value, builder.smap, index, builder.notes))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise LoadError(f"invalid YAML: {problem}", line, col) from None
    except yaml.YAMLError as exc:
        raise LoadError(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise LoadError("invalid YAML: nesting too deep to load safely") from None
    return docs
