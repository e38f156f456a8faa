"""Structure: the committed JSON Schema (from botocore's model), routed to HPT101-HPT108.

One validator run per request. Each JSON Schema keyword maps to its own rule id,
so each can be ignored or re-levelled alone, and errors become Violations with
messages a person understands. The validator is built once per process, without
a meta-schema check (a test checks the schema itself). Patterns are ECMA-262, as
botocore writes them, and run on ``regress``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import Any

from hpt_lint.request import JsonPath, PartialDict, PartialList, Request, Unknown, walk
from hpt_lint.resources import schema_path
from hpt_lint.rule import FixSpec, Violation

KEYWORD_RULES = {
    "required": "HPT101",
    "additionalProperties": "HPT102",
    "type": "HPT103",
    "enum": "HPT104",
    "minLength": "HPT105",
    "maxLength": "HPT105",
    "pattern": "HPT106",
    "minimum": "HPT107",
    "maximum": "HPT107",
    "minItems": "HPT108",
    "maxItems": "HPT108",
    "minProperties": "HPT108",
    "maxProperties": "HPT108",
}


MAX_ERRORS = 1_000  # structural errors per request; a real request has a handful


@cache
def load_schema() -> dict[str, Any]:
    with open(schema_path(), encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


@cache
def _regex(pattern: str) -> Any:
    import regress

    return regress.Regex(pattern, "u")


def ecma_search(pattern: str, text: str) -> bool:
    try:
        return _regex(pattern).find(text) is not None
    except UnicodeEncodeError:  # a lone surrogate (from a Python literal): not a character
        clean = text.encode("utf-8", "replace").decode("utf-8")
        return _regex(pattern).find(clean) is not None


@cache
def validator() -> Any:
    from jsonschema import Draft202012Validator, ValidationError, validators

    def pattern(_v: Any, patrn: str, instance: Any, _schema: Any) -> Iterator[Any]:
        if isinstance(instance, str) and not ecma_search(patrn, instance):
            yield ValidationError(f"{instance!r} does not match {patrn!r}")

    def is_integer(_checker: Any, instance: Any) -> bool:
        return isinstance(instance, int) and not isinstance(instance, bool)

    type_checker = Draft202012Validator.TYPE_CHECKER.redefine("integer", is_integer)
    cls = validators.extend(Draft202012Validator, validators={"pattern": pattern},
                            type_checker=type_checker)
    return cls(load_schema())


@cache
def subschema(ref: str) -> dict[str, Any]:
    schema: dict[str, Any] = load_schema()["$defs"][ref.rsplit("/", 1)[-1]]
    return schema


def schema_at(path: JsonPath) -> dict[str, Any] | None:
    """The (dereferenced) schema that applies to ``path``; None if the path leaves it."""
    node: dict[str, Any] = load_schema()
    for part in path:
        node = _deref(node)
        if node.get("type") == "array" and isinstance(part, int):
            node = node.get("items", {})
        elif node.get("type") == "object" and isinstance(part, str):
            props = node.get("properties")
            if props is not None:
                if part not in props:
                    return None
                node = props[part]
            elif isinstance(node.get("additionalProperties"), dict):
                node = node["additionalProperties"]
            else:
                return None
        else:
            return None
    return _deref(node)


def _deref(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        merged = {k: v for k, v in node.items() if k != "$ref"}
        target = subschema(node["$ref"])
        node = {**target, **merged}
    return node


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _label(path: JsonPath) -> str:
    from hpt_lint.request import format_path

    return f"`{format_path(path)}`" if path else "the request"


@cache
def fast_validator() -> Any:
    """``is_valid`` of the same schema compiled by jsonschema-rs (ECMA-262 patterns, as
    botocore writes them), or None where it is not installed.

    It is only ever asked "is this request valid?": ~10 µs against ~4 ms for the
    jsonschema walk, and a valid file never imports jsonschema (~160 ms of start-up).
    Where it says no, the jsonschema walk finds the errors, so messages are the same
    either way."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - an optional accelerator
        return None
    return jsonschema_rs.validator_for(load_schema()).is_valid


def certainly_valid(data: Any) -> bool:
    """Whether the fast validator may decide alone: the request is plain JSON data
    (no Unknown / PartialDict / PartialList from a Python source, and no float, which
    jsonschema-rs would take as an integer when it is integral) and it is valid."""
    is_valid = fast_validator()
    if is_valid is None:
        return False
    for _path, value in walk(data):
        if isinstance(value, Unknown | PartialDict | PartialList | float):
            return False
    try:
        return bool(is_valid(data))
    except ValueError:  # e.g. a lone surrogate, which Rust strings cannot hold
        return False


def violations(request: Request) -> list[tuple[str, Violation]]:
    """Every structural fault in ``request`` as (rule id, Violation), one per fault."""
    cached = request.cache.get("structure")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    if certainly_valid(request.data):
        request.cache["structure"] = []
        return []
    found: list[tuple[str, Violation]] = []
    typed_paths: set[JsonPath] = set()
    errors = []
    for error in validator().iter_errors(request.data):
        if len(errors) >= MAX_ERRORS:  # hostile input: stop, and say so (HPT001)
            request.cache["truncated"] = (
                f"stopped checking the structure of this request after {MAX_ERRORS:,} "
                "errors; fix those and run again")
            break
        if isinstance(error.instance, Unknown):
            continue
        keyword = error.validator
        if keyword == "required" and isinstance(error.instance, PartialDict):
            continue
        if keyword in ("minItems", "minProperties") and isinstance(
                error.instance, PartialList | PartialDict):
            continue
        errors.append(error)
        if keyword == "type":
            typed_paths.add(tuple(error.absolute_path))
    required_done: set[JsonPath] = set()
    for error in errors:
        path: JsonPath = tuple(error.absolute_path)
        keyword = error.validator
        if keyword != "type" and path in typed_paths:
            continue  # one fault, one finding: the type error explains it
        if keyword == "required":
            if path in required_done:
                continue  # jsonschema repeats the error per missing member
            required_done.add(path)
        in_key = "propertyNames" in error.relative_schema_path
        for rule_id, violation in _route(request, error, path, keyword, in_key):
            found.append((rule_id, violation))
    # A misspelt member is one fault: report the unknown key (with its suggestion),
    # not also the required member it was meant to be.
    renamed = {v.path[:-1] + (v.fix.new_value,) for r, v in found
               if r == "HPT102" and v.fix is not None}
    found = [(r, v) for r, v in found if not (r == "HPT101" and v.path in renamed)]
    found = _one_per_value(found)
    request.cache["structure"] = found
    return found


# When one value breaks several constraints (an empty string is both too short and
# off-pattern), the first of these explains it: one fault, one finding.
_VALUE_RULES = ("HPT103", "HPT104", "HPT105", "HPT106", "HPT107")


def _one_per_value(found: list[tuple[str, Violation]]) -> list[tuple[str, Violation]]:
    best: dict[tuple[JsonPath, str], str] = {}
    for rule_id, v in found:
        if rule_id in _VALUE_RULES:
            key = (v.path, v.at)
            if key not in best or _VALUE_RULES.index(rule_id) < _VALUE_RULES.index(best[key]):
                best[key] = rule_id
    return [(r, v) for r, v in found
            if r not in _VALUE_RULES or best[(v.path, v.at)] == r]


def _route(request: Request, error: Any, path: JsonPath, keyword: str,
           in_key: bool) -> Iterator[tuple[str, Violation]]:
    schema = error.schema
    instance = error.instance
    rule = KEYWORD_RULES.get(keyword)
    if rule is None:
        return
    if in_key:
        key = instance
        kpath = path + (key,)
        if keyword in ("minLength", "maxLength"):
            yield rule, Violation(kpath, f"key {key!r} in {_label(path)} is {len(key)} characters"
                                  f" long; the API allows {_bounds(schema, 'Length')}", at="key")
        elif keyword == "pattern":
            yield rule, Violation(kpath, f"key {key!r} in {_label(path)} does not match the "
                                  f"API's pattern {schema['pattern']}", at="key")
        return
    if keyword == "required":
        props = schema.get("properties", {})
        for name in error.validator_value:
            if isinstance(instance, dict) and name not in instance:
                what = _short_doc(props.get(name, {}))
                yield rule, Violation(path + (name,), f"{_label(path)} is missing the required "
                                      f"member `{name}`{what}", at="key")
        return
    if keyword == "additionalProperties":
        props = schema.get("properties", {})
        for key in instance:
            if key in props:
                continue
            guess = closest(key, list(props))
            message = f"{_label(path)} has no member `{key}`"
            fix = None
            if guess:
                message += f"; did you mean `{guess}`?"
                fix = FixSpec(f"Rename `{key}` to `{guess}`", path + (key,), guess, at="key")
            else:
                message += f" (valid members: {listing(key, sorted(props))})"
            yield rule, Violation(path + (key,), message, at="key", fix=fix)
        return
    if keyword == "type":
        yield rule, _type_violation(request, path, instance, error.validator_value)
        return
    if keyword == "enum":
        allowed = [str(v) for v in error.validator_value]
        message = f"{_label(path)} is {instance!r}, not one of {listing(str(instance), allowed)}"
        fix = None
        if isinstance(instance, str):
            match = next((v for v in allowed if v.lower() == instance.lower()), None)
            if match:
                message += f"; the API is case-sensitive: write {match!r}"
                if instance.lower() == "off" and match == "Off":
                    message += " (the prose docs write OFF, but the enum is Off)"
                fix = FixSpec(f"Change to {match!r}", path, match)
            else:
                guess = closest(instance, allowed)
                if guess:
                    message += f"; did you mean {guess!r}?"
        yield rule, Violation(path, message, fix=fix)
        return
    if keyword in ("minLength", "maxLength"):
        yield rule, Violation(path, f"{_label(path)} is {len(instance)} characters long; the "
                              f"API allows {_bounds(schema, 'Length')}")
        return
    if keyword == "pattern":
        yield rule, Violation(path, f"{_label(path)} is {instance!r}, which does not match the "
                              f"API's pattern {schema['pattern']}")
        return
    if keyword in ("minimum", "maximum"):
        yield rule, Violation(path, f"{_label(path)} is {instance}; the API allows "
                              f"{_bounds(schema, '')}")
        return
    if keyword in ("minItems", "maxItems"):
        yield rule, Violation(path, f"{_label(path)} has {len(instance)} item"
                              f"{'s' if len(instance) != 1 else ''}; the API allows "
                              f"{_bounds(schema, 'Items')}")
        return
    if keyword in ("minProperties", "maxProperties"):
        yield rule, Violation(path, f"{_label(path)} has {len(instance)} entr"
                              f"{'ies' if len(instance) != 1 else 'y'}; the API allows "
                              f"{_bounds(schema, 'Properties')}")


def _type_violation(request: Request, path: JsonPath, instance: Any,
                    expected: str | list[str]) -> Violation:
    want = expected if isinstance(expected, str) else " or ".join(expected)
    got = _json_type(instance)
    message = f"{_label(path)} must be {_article(want)} {want}, not {_article(got)} {got}"
    fix = None
    entry = request.source_map.get(path)
    if want == "string" and got in ("integer", "number", "boolean", "null"):
        plain_yaml = entry is not None and entry.style == "" and request.kind == "yaml"
        text = entry.raw if plain_yaml and entry is not None and entry.raw is not None else (
            json.dumps(instance) if got != "null" else "")
        if plain_yaml:
            shown = {True: "true", False: "false", None: "null"}.get(instance, repr(instance)) \
                if got in ("boolean", "null") else repr(instance)
            message = (f"{_label(path)} must be a string, but YAML 1.1 reads the bare {text} as "
                       f"{_article(got)} {got} ({shown}); quote it: \"{text}\"")
        else:
            message += f"; write it as a string: \"{text}\""
        fix = FixSpec(f"Quote {text!r} as a string", path, text)
    elif got not in ("array", "object"):
        message += f" ({instance!r})"
    return Violation(path, message, fix=fix)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _bounds(schema: dict[str, Any], suffix: str) -> str:
    """'1 to 32', 'at least 1' or 'at most 50' from min<suffix>/max<suffix>; an empty
    suffix reads ``minimum``/``maximum``."""
    lo_key, hi_key = (f"min{suffix}", f"max{suffix}") if suffix else ("minimum", "maximum")
    lo, hi = schema.get(lo_key), schema.get(hi_key)
    if lo is not None and hi is not None:
        return f"{lo} to {hi}"
    if lo is not None:
        return f"at least {lo}"
    return f"at most {hi}"


def _short_doc(prop: dict[str, Any]) -> str:
    doc = prop.get("description", "")
    if not doc:
        return ""
    first = doc.split("\n", 1)[0].split(". ", 1)[0].rstrip(".")
    if len(first) > 100:
        first = first[:100].rsplit(" ", 1)[0] + "…"
    return f" ({first})" if first else ""


LISTED = 8  # an enum or member list longer than this shows only the closest values


def listing(word: str, candidates: list[str]) -> str:
    """``a, b, c``, or for a long list ``the 250 allowed values (closest: a, b, c, d, e)``."""
    if len(candidates) <= LISTED:
        return ", ".join(candidates)
    import difflib

    lowered = {c.lower(): c for c in candidates}
    near = difflib.get_close_matches(word.lower(), list(lowered), n=5, cutoff=0)
    return (f"the {len(candidates)} allowed values (closest: "
            f"{', '.join(lowered[n] for n in near)})")


def closest(word: str, candidates: list[str]) -> str | None:
    lowered = {c.lower(): c for c in candidates}
    if word.lower() in lowered:
        return lowered[word.lower()]
    import difflib

    matches = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.75)
    return lowered[matches[0]] if matches else None
