"""Evaluate conditions and policies on a request.

Semantics (docs/policies.md is the user-facing version):

- A condition over a ``[*]`` path must hold for every item it reaches (none: it
  holds), except ``contains``, which asks whether any item equals its operand.
- A missing value fails the positive operators (``exists: true``, ``equals``, ``in``,
  ``matches``, ``min``, ``max``, ``contains``) and satisfies the negative ones
  (``not_equals``, ``not_in``, ``not_matches``, ``exists: false``).
- An unknown value (``Unknown``, a ``**spread`` that may hold the key, a value of a
  type the schema forbids) proves nothing: no finding, and a ``where`` that depends
  on it does not select the request.
- A finding points at the value that breaks the policy; for a missing value, at the
  closest enclosing key that is present; for ``exists: false``, at the key; for
  ``contains``, at the list; for a computed value, at the setting that drives it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hpt_lint.checks._request_parts import definitions, number
from hpt_lint.policy import computed
from hpt_lint.policy.model import Condition, Policy
from hpt_lint.policy.paths import Item, State, resolve
from hpt_lint.request import JsonPath, Request, Unknown, format_path
from hpt_lint.rule import Violation


@dataclass(frozen=True)
class Failure:
    path: JsonPath
    detail: str
    at: str = "value"


@dataclass(frozen=True)
class Outcome:
    holds: bool | None  # None: cannot be known statically
    failures: tuple[Failure, ...] = ()


HOLDS = Outcome(True)
UNKNOWN = Outcome(None)
Scope = tuple[JsonPath, dict[str, Any]] | None


def show(value: Any) -> str:
    if isinstance(value, float):
        if value.is_integer():
            return f"{int(value):,}"
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _num(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    return number(value)


def same(a: Any, b: Any) -> bool:
    """Equality with JSON types: ``true`` is not ``1``; ``1`` is ``1.0``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and bool(a == b)


def _name(path: JsonPath) -> str:
    return f"`{format_path(path)}`"


def _requirement(cond: Condition) -> str:
    want = cond.operand
    if cond.op == "in":
        return f"the policy allows {', '.join(show(w) for w in want)}"
    if cond.op == "matches":
        return f"the policy requires a match of /{want}/"
    if cond.op in ("min", "max"):
        return f"the policy requires {'at least' if cond.op == 'min' else 'at most'} {show(want)}"
    return f"the policy requires {show(want)}"


def _judge(cond: Condition, item: Item) -> tuple[bool | None, str, str]:
    """(holds, detail, at) for one item under a per-item operator."""
    op, want = cond.op, cond.operand
    where = _name(item.path)
    if item.state is State.UNKNOWN:
        return None, "", "value"
    missing = item.state is State.MISSING
    value = item.value
    if op == "exists":
        if missing:
            return (not want), f"{where} is not set", "value"
        return bool(want), f"{where} is set; the policy forbids it", "key"
    if missing:
        if op in ("not_equals", "not_in", "not_matches"):
            return True, "", "value"
        return False, f"{where} is not set ({_requirement(cond)})", "value"
    shown = f"{where} is {show(value)}"
    if op == "equals":
        return same(value, want), f"{shown}; the policy requires {show(want)}", "value"
    if op == "not_equals":
        return not same(value, want), f"{shown}, which the policy forbids", "value"
    if op == "in":
        return (any(same(value, w) for w in want),
                f"{shown}, not one of {', '.join(show(w) for w in want)}", "value")
    if op == "not_in":
        return not any(same(value, w) for w in want), f"{shown}, which the policy forbids", \
            "value"
    if op in ("matches", "not_matches"):
        if not isinstance(value, str) or cond.regex is None:
            return None, "", "value"
        hit = cond.regex.search(value)
        if op == "matches":
            return hit, f"{shown}, which does not match /{want}/", "value"
        return not hit, f"{shown}, which matches the forbidden /{want}/", "value"
    if op in ("min", "max"):
        n = _num(value)
        if n is None:
            return None, "", "value"
        if op == "min":
            return n >= want, f"{shown}, below the minimum {show(want)}", "value"
        return n <= want, f"{shown}, above the maximum {show(want)}", "value"
    raise ValueError(op)


def _contains(cond: Condition, items: tuple[Item, ...], partial: bool,
              collection: JsonPath | None) -> Outcome:
    want = cond.operand
    if collection is not None:  # a [*] path: does any item equal the operand?
        if any(i.state is State.PRESENT and same(i.value, want) for i in items):
            return HOLDS
        if partial or any(i.state is State.UNKNOWN for i in items):
            return UNKNOWN
        return Outcome(False, (Failure(collection, f"no {cond.path.text} is {show(want)}",
                                       "key"),))
    (item,) = items
    where = _name(item.path)
    if item.state is State.UNKNOWN:
        return UNKNOWN
    if item.state is State.MISSING:
        return Outcome(False, (Failure(item.path, f"{where} is not set (the policy requires "
                                                  f"it to contain {show(want)})"),))
    value = item.value
    if isinstance(value, list):
        if any(same(v, want) for v in value):
            return HOLDS
        if getattr(value, "unknown_sources", ()) or any(
                isinstance(v, Unknown) for v in value):
            return UNKNOWN
        return Outcome(False, (Failure(item.path, f"{where} does not contain {show(want)}",
                                       "key"),))
    if isinstance(value, str) and isinstance(want, str):
        return HOLDS if want in value else Outcome(False, (Failure(
            item.path, f"{where} is {show(value)}, which does not contain {show(want)}"),))
    if isinstance(value, dict):
        if want in value:
            return HOLDS
        if getattr(value, "unknown_sources", ()):
            return UNKNOWN
        return Outcome(False, (Failure(item.path, f"{where} has no key {show(want)}", "key"),))
    return UNKNOWN


def _qty(x: float | int) -> str:
    """A computed quantity or bound: thousands separators, at most two decimals."""
    return f"{x:,.2f}".rstrip("0").rstrip(".") if isinstance(x, float) else f"{x:,}"


def _computed(cond: Condition, request: Request, scope: Scope) -> Outcome:
    name = cond.path.computed or ""
    v = computed.value(name, request, scope)
    if v.value is None:
        return UNKNOWN
    # a container anchor (ResourceConfig, a definition) is reported at its key
    at = "key" if isinstance(request.get(v.anchor), dict | list) else "value"
    if cond.op in ("min", "max") and not isinstance(v.value, bool):
        n = float(v.value)
        ok = n >= cond.operand if cond.op == "min" else n <= cond.operand
        if ok:
            return HOLDS
        bound = "below the minimum" if cond.op == "min" else "above the maximum"
        how = f" ({v.explain})" if v.explain else ""
        notes = "".join(f"; {n}" for n in v.notes)
        return Outcome(False, (Failure(v.anchor, f"{cond.path.text} is {_qty(v.value)}{how}, "
                                                 f"{bound} {_qty(cond.operand)}{notes}", at),))
    if cond.op == "exists":
        return HOLDS if cond.operand else Outcome(False, (Failure(
            v.anchor, f"{cond.path.text} is known, which the policy forbids", at),))
    holds, detail, _ = _judge(cond, Item(v.anchor, State.PRESENT, v.value))
    if holds is None or holds:
        return Outcome(holds)
    return Outcome(False, (Failure(v.anchor, detail.replace(
        f"`{format_path(v.anchor)}`", cond.path.text, 1), at),))


def evaluate(cond: Condition, request: Request, scope: Scope) -> Outcome:
    """Whether ``cond`` holds for ``request`` (within one definition when ``scope``)."""
    if cond.path.computed is not None:
        return _computed(cond, request, scope)
    if cond.path.in_definition:
        if scope is None:
            return UNKNOWN
        res = resolve(scope[1], cond.path.tokens, scope[0])
    else:
        res = resolve(request.data, cond.path.tokens)
    if cond.op == "contains":
        return _contains(cond, res.items, res.partial, res.collection)
    failures: list[Failure] = []
    unknown = False
    for item in res.items:
        holds, detail, at = _judge(cond, item)
        if holds is None:
            unknown = True
        elif not holds:
            failures.append(Failure(item.path, detail, at))
    if failures:
        return Outcome(False, tuple(failures))
    return UNKNOWN if unknown else HOLDS


def _scopes(policy: Policy, request: Request) -> list[Scope]:
    if policy.per_definition:
        return list(definitions(request))
    return [None]


def check_policy(policy: Policy, request: Request) -> Iterator[Violation]:
    """A Violation for every failing check of ``policy`` in ``request``."""
    seen: set[tuple[JsonPath, str, str]] = set()
    for scope in _scopes(policy, request):
        if not all(evaluate(c, request, scope).holds is True for c in policy.where):
            continue
        for cond in policy.check:
            for failure in evaluate(cond, request, scope).failures:
                message = f"{policy.message}: {failure.detail}"
                key = (failure.path, message, failure.at)
                if key not in seen:
                    seen.add(key)
                    yield Violation(failure.path, message, at=failure.at)
