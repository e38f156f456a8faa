"""Policy paths: ``Definition.ResourceConfig.InstanceType``, ``Tags[*].Key``, ``@max_gpu_hours``.

Syntax: dotted keys, ``[N]`` for a list item, ``[*]`` for every list item, ``["a.b"]``
for a key that is not a plain identifier. The prefix ``Definition.`` stands for the
definition being evaluated (the single ``TrainingJobDefinition`` or each of
``TrainingJobDefinitions``). A path that starts with ``@`` names a computed value.

Resolving a path gives one ``Item`` per value it reaches: present (with its value),
missing (the path that would hold it), or unknown (the value cannot be known
statically, so no policy may be judged on it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

from hpt_lint.request import JsonPath, PartialDict, PartialList, Unknown

DEFINITION = "Definition"


class Wild(Enum):
    """``[*]``: every item of a list."""

    ANY = "*"


ANY = Wild.ANY
Token = str | int | Wild

_TOKEN = re.compile(
    r"""(?P<key>[A-Za-z_][A-Za-z0-9_\-]*)
      | \[(?P<index>\d+)\]
      | \[(?P<wild>\*)\]
      | \["(?P<quoted>(?:[^"\\]|\\.)*)"\]
      | (?P<dot>\.)""",
    re.X,
)


class PathError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class PolicyPath:
    text: str
    tokens: tuple[Token, ...]
    in_definition: bool = False  # starts with ``Definition.``
    computed: str | None = None  # the name after ``@``

    @property
    def has_wildcard(self) -> bool:
        return ANY in self.tokens


def parse(text: str) -> PolicyPath:
    """Parse a policy path; PathError says what is wrong with it."""
    if text.startswith("@"):
        name = text[1:]
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            raise PathError(f"computed value {text!r} is not a name like @max_instance_hours")
        return PolicyPath(text, (), computed=name)
    tokens: list[Token] = []
    pos = 0
    expect_key = True  # at the start or after a dot
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise PathError(f"path {text!r}: unexpected {text[pos]!r} at character {pos + 1}")
        if m.group("dot") is not None:
            if expect_key:
                raise PathError(f"path {text!r}: empty key at character {pos + 1}")
            expect_key = True
        elif m.group("key") is not None:
            if not expect_key:
                raise PathError(f"path {text!r}: a '.' is missing before {m.group('key')!r}")
            tokens.append(m.group("key"))
            expect_key = False
        else:
            if expect_key and tokens:
                raise PathError(f"path {text!r}: '.' followed by '[' at character {pos + 1}")
            if m.group("index") is not None:
                tokens.append(int(m.group("index")))
            elif m.group("wild") is not None:
                tokens.append(ANY)
            else:
                tokens.append(re.sub(r"\\(.)", r"\1", m.group("quoted")))
            expect_key = False
        pos = m.end()
    if not tokens or expect_key:
        raise PathError(f"path {text!r} is empty or ends with '.'")
    if tokens[0] == DEFINITION:
        if len(tokens) == 1:
            raise PathError(f"path {text!r}: name a member of the definition, "
                            "e.g. Definition.ResourceConfig.InstanceType")
        return PolicyPath(text, tuple(tokens[1:]), in_definition=True)
    return PolicyPath(text, tuple(tokens))


class State(Enum):
    PRESENT = "present"
    MISSING = "missing"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Item:
    path: JsonPath  # where the value is (or would be, when missing)
    state: State
    value: Any = None


@dataclass(frozen=True, slots=True)
class Resolution:
    items: tuple[Item, ...]
    # a ``[*]`` went over a list that may hold more items than we can see, or over an
    # Unknown: "no item has X" cannot be proved
    partial: bool = False
    # for ``[*]`` paths: the list the wildcard went over (where "contains" reports)
    collection: JsonPath | None = None


def resolve(data: Any, tokens: tuple[Token, ...], base: JsonPath = ()) -> Resolution:
    """Every value ``tokens`` reaches from ``data`` (which sits at ``base``)."""
    items: list[Item] = [Item(base, State.PRESENT, data)]
    partial = False
    collection = base + tokens[:tokens.index(ANY)] if ANY in tokens else None
    for token in tokens:
        nxt: list[Item] = []
        for item in items:
            if item.state is not State.PRESENT:
                if item.state is State.MISSING and token is not ANY:
                    nxt.append(Item(item.path + (token,), State.MISSING))
                elif item.state is State.UNKNOWN:
                    nxt.append(item)
                    partial = partial or token is ANY
                continue  # ``[*]`` over a missing list reaches nothing
            value = item.value
            if isinstance(value, Unknown):
                nxt.append(Item(item.path, State.UNKNOWN))
                partial = partial or token is ANY
            elif token is ANY:
                if isinstance(value, list):
                    nxt.extend(_child(item.path + (i,), v) for i, v in enumerate(value))
                    partial = partial or isinstance(value, PartialList)
                else:  # not a list: a structural fault reported by another rule
                    nxt.append(Item(item.path, State.UNKNOWN))
                    partial = True
            elif isinstance(token, int):
                if isinstance(value, list):
                    if token < len(value):
                        nxt.append(_child(item.path + (token,), value[token]))
                    elif isinstance(value, PartialList):
                        nxt.append(Item(item.path + (token,), State.UNKNOWN))
                    else:
                        nxt.append(Item(item.path + (token,), State.MISSING))
                else:
                    nxt.append(Item(item.path + (token,), State.UNKNOWN))
            elif isinstance(value, dict):
                if token in value:
                    nxt.append(_child(item.path + (token,), value[token]))
                elif isinstance(value, PartialDict) and (
                        value.may_add is None or token in value.may_add):
                    nxt.append(Item(item.path + (token,), State.UNKNOWN))
                else:
                    nxt.append(Item(item.path + (token,), State.MISSING))
            else:  # a key of a non-mapping: a structural fault reported elsewhere
                nxt.append(Item(item.path + (token,), State.UNKNOWN))
        items = nxt
    return Resolution(tuple(items), partial, collection)


def _child(path: JsonPath, value: Any) -> Item:
    if isinstance(value, Unknown):
        return Item(path, State.UNKNOWN)
    return Item(path, State.PRESENT, value)
