"""Policies: the data model, and loading policy files checked against the policy schema.

A policy file (YAML) holds ``policies`` and may name built-in packs (``extends``)
and their options (``policy-options``). Every problem is collected into one
``PolicyError`` naming the file, the policy and what is wrong, so a user fixes
them all in one go.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from hpt_lint.findings import Severity
from hpt_lint.policy.computed import COMPUTED
from hpt_lint.policy.paths import PathError, PolicyPath, parse
from hpt_lint.policy.regex import Pattern, PatternError, compile_pattern
from hpt_lint.resources import schema_path

OPERATORS = ("exists", "equals", "not_equals", "in", "not_in", "matches", "not_matches",
             "min", "max", "contains")
RESERVED_PREFIX = "HPT"


class PolicyError(Exception):
    """Policy files or settings that cannot be used; ``problems`` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True, eq=False)  # operands may be lists: identity hash
class Condition:
    path: PolicyPath
    op: str
    operand: Any
    regex: Pattern | None = None

    def describe(self) -> str:
        return f"{self.path.text} {self.op} {json.dumps(self.operand)}"


@dataclass(frozen=True)
class Policy:
    id: str
    name: str
    severity: Severity
    message: str
    where: tuple[Condition, ...]
    check: tuple[Condition, ...]
    source: str  # the file (or pack) it came from
    pack: str | None = None
    description: str = ""

    @property
    def per_definition(self) -> bool:
        return any(c.path.in_definition for c in self.where + self.check)


@dataclass(frozen=True)
class PolicyDoc:
    """What one policy file (or the policy keys of a config) holds."""

    source: str
    extends: tuple[str, ...] = ()
    policies: tuple[Policy, ...] = ()
    options: dict[str, dict[str, Any]] | None = None


@cache
def _validator() -> Any:
    import jsonschema

    schema = json.loads(schema_path("policy.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _where(path: list[Any], data: Any) -> str:
    """``policies[1] (ORG002) check[0]`` for an error at that place."""
    out: list[str] = []
    cur = data
    for i, part in enumerate(path):
        if isinstance(part, int):
            out[-1] += f"[{part}]"
        else:
            out.append(str(part))
        cur = cur[part] if isinstance(cur, dict | list) and _has(cur, part) else None
        if (i == 1 and path[0] == "policies" and isinstance(cur, dict)
                and isinstance(cur.get("id"), str) and _shown(cur["id"]).startswith('"')):
            out[-1] += f" ({cur['id']})"
    return " ".join(out) or "top level"


def _has(container: Any, key: Any) -> bool:
    if isinstance(container, list):
        return isinstance(key, int) and key < len(container)
    return key in container


def _explain(error: Any) -> str:
    v, value = error.validator, error.instance
    if v == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(value) - set(allowed)) if isinstance(value, dict) else []
        return (f"unknown key {', '.join(repr(e) for e in extra)} "
                f"(expected one of: {', '.join(allowed)})")
    if v == "required":
        return error.message.replace("is a required property", "is required")
    if v in ("minProperties", "maxProperties") and isinstance(value, dict):
        ops = [k for k in value if k != "path"]
        return (f"a condition needs a path and exactly one operator ({', '.join(OPERATORS)}); "
                f"found {', '.join(ops) if ops else 'none'}")
    if v == "pattern":
        return f"{_shown(value)} does not match {error.validator_value}"
    if v == "enum":
        return f"{_shown(value)} is not one of {', '.join(error.validator_value)}"
    if v == "type":  # the value is not shown: a file that is no policy (.env) lands here
        return f"{_json_type(value)}, not {_A_TYPE.get(error.validator_value, 'valid')}"
    message = str(error.message)
    quoted = repr(value)
    if message.startswith(quoted):  # jsonschema's "<instance> is too long", ...
        return _shown(value) + message[len(quoted):]
    return message if quoted not in message else f"invalid value ({v})"


_A_TYPE = {"object": "a mapping", "array": "a list", "string": "a string",
           "number": "a number", "integer": "an integer", "boolean": "a boolean"}
_SHOWN_MAX = 32


def _json_type(value: Any) -> str:
    """``a string`` for a str...: what a value is, never what it holds."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "a mapping"


def _shown(value: Any) -> str:
    """A short scalar of a policy file as JSON (``"fatal"``); anything longer, or that
    looks like a token, by its type only: the file may not be a policy file at all."""
    from hpt_lint.secret_scan import token_matches

    if isinstance(value, str | int | float | bool) or value is None:
        text = json.dumps(value, ensure_ascii=False)
        if len(text) <= _SHOWN_MAX and "\n" not in text and not token_matches(text):
            return text
    return _json_type(value)


def _schema_problems(data: Any, source: str) -> list[str]:
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.path])
    return [f"{source}: {_where(list(e.path), data)}: {_explain(e)}" for e in errors]


def _slug(message: str) -> str:
    words = re.findall(r"[a-z0-9]+", message.lower())
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > 48:
            break
        out = f"{out}-{word}" if out else word
    return out or "policy"


def _condition(raw: dict[str, Any], where: str, problems: list[str]) -> Condition | None:
    op = next(k for k in raw if k != "path")
    try:
        path = parse(raw["path"])
    except PathError as exc:
        problems.append(f"{where}: {exc}")
        return None
    if path.computed is not None and path.computed not in COMPUTED:
        problems.append(f"{where}: unknown computed value @{path.computed} (known: "
                        f"{', '.join('@' + n for n in sorted(COMPUTED))})")
        return None
    regex = None
    if op in ("matches", "not_matches"):
        try:
            regex = compile_pattern(raw[op])
        except PatternError as exc:
            problems.append(f"{where}: {op}: {raw[op]!r} is not a valid regular expression "
                            f"({exc})")
            return None
    return Condition(path, op, raw[op], regex)


def build(data: Any, source: str, pack: str | None = None) -> PolicyDoc:
    """A validated PolicyDoc from parsed YAML; PolicyError lists every problem."""
    if data is None:
        data = {}
    problems = _schema_problems(data, source)
    if problems:
        raise PolicyError(problems)
    policies: list[Policy] = []
    for i, raw in enumerate(data.get("policies", [])):
        label = f"{source}: policies[{i}] ({raw['id']})"
        if raw["id"].startswith(RESERVED_PREFIX):
            problems.append(f"{label}: id {raw['id']} is reserved: ids starting with "
                            f"{RESERVED_PREFIX} belong to the built-in rules")
        conds: dict[str, list[Condition]] = {"where": [], "check": []}
        for part in ("where", "check"):
            for j, cond in enumerate(raw.get(part, [])):
                made = _condition(cond, f"{label} {part}[{j}]", problems)
                if made is not None:
                    conds[part].append(made)
        policies.append(Policy(raw["id"], raw.get("name") or _slug(raw["message"]),
                               Severity(raw["severity"]), raw["message"],
                               tuple(conds["where"]), tuple(conds["check"]), source, pack,
                               raw.get("description", "")))
    if problems:
        raise PolicyError(problems)
    return PolicyDoc(source, tuple(data.get("extends", ())), tuple(policies),
                     data.get("policy-options"))


def load_file(path: str | Path) -> PolicyDoc:
    """Read and validate one policy file."""
    from hpt_lint.loaders.errors import LoadError
    from hpt_lint.loaders.limits import CONFIG_LIMITS
    from hpt_lint.loaders.plain_yaml import load_plain_yaml
    from hpt_lint.paths import read_bounded

    p = Path(path)
    try:
        text = read_bounded(p, CONFIG_LIMITS.max_bytes).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError([f"{p}: cannot read policy file: {exc}"]) from None
    try:
        data = load_plain_yaml(text.removeprefix("\ufeff"))
    except LoadError as exc:
        problem = exc.message.replace("invalid YAML: ", "not valid YAML: ", 1)
        raise PolicyError([f"{p}: {problem} (line {exc.line}, column {exc.column})"]
                          ) from None
    return build(data, str(p))
