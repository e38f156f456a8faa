"""hypothesis strategies: requests generated from the committed schema itself."""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import strategies as st

from hpt_lint.resources import schema_path
from hpt_lint.structure import ecma_search

SCHEMA = json.loads(schema_path().read_text(encoding="utf-8"))

# Patterns Python's re cannot express faithfully (\p{..}, lookbehind-with-ECMA \w): drawn
# from known-valid samples instead; every sample is checked against the ECMA engine.
_SAMPLES = {
    "TagKey": ["team", "cost-center", "héllo wörld", "a:b/c=d+e-f@g_h.i"],
    "TagValue": ["growth", "", "ünïcode 1"],
}


def _deref(node: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return name, SCHEMA["$defs"][name]
    return None, node


def _string(name: str | None, node: dict[str, Any]) -> st.SearchStrategy[str]:
    if "enum" in node:
        return st.sampled_from(node["enum"])
    lo, hi = node.get("minLength", 0), min(node.get("maxLength", 24), 24)
    pattern = node.get("pattern")
    if pattern is None:
        return st.text(min_size=lo, max_size=max(lo, hi))
    if name in _SAMPLES:
        return st.sampled_from(_SAMPLES[name])
    inner = pattern[len("^(?:"):-len(")$")]
    python = re.compile(inner.replace("\\p{L}", "a-z"), re.ASCII)
    strategy = st.from_regex(python, fullmatch=True, alphabet=st.characters(
        min_codepoint=32, max_codepoint=126))
    max_len = node.get("maxLength", 10**9)
    return strategy.filter(lambda s: lo <= len(s) <= max_len and ecma_search(pattern, s))


def from_schema(node: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    name, node = _deref(node)
    kind = node.get("type")
    if kind == "object" and "properties" in node:
        props = node["properties"]
        required = node.get("required", [])
        optional = [k for k in props if k not in required]
        if depth > 6:
            optional = []
        return st.fixed_dictionaries(
            {k: from_schema(props[k], depth + 1) for k in required},
            optional={k: from_schema(props[k], depth + 1) for k in optional})
    if kind == "object":
        keys = _string(*_deref(node["propertyNames"]))
        return st.dictionaries(keys, from_schema(node["additionalProperties"], depth + 1),
                               min_size=node.get("minProperties", 0),
                               max_size=min(node.get("maxProperties", 3), 3))
    if kind == "array":
        lo = node.get("minItems", 0)
        return st.lists(from_schema(node["items"], depth + 1), min_size=lo,
                        max_size=min(node.get("maxItems", lo + 2), lo + 2))
    if kind == "string":
        return _string(name, node)
    if kind == "integer":
        return st.integers(node.get("minimum", -(2**31)), node.get("maximum", 2**31))
    if kind == "number":
        return st.floats(node.get("minimum"), node.get("maximum"), allow_nan=False,
                         allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == ["string", "number"]:
        return st.integers(0, 2**31)
    raise AssertionError(f"unhandled schema node {node}")


def requests() -> st.SearchStrategy[dict[str, Any]]:
    return from_schema(SCHEMA)  # type: ignore[return-value]
