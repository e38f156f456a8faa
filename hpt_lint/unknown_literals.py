"""The literal strings written inside a value hpt-lint cannot know statically.

``"ghp_...".strip()``, ``"hf_..." + suffix``, ``x if c else "ghp_..."``, CloudFormation
``!Sub "hf_...${X}"`` and ``{"Fn::Join": ["", ["hf_...", {"Ref": "X"}]]}`` are
``Unknown`` values, yet the secret is right there in the source. The secret scanner
reads these literals (parsed, so escapes do not hide them) and flags them.

Each literal says whether it sits where the *value* is written (an operand of ``+``,
a branch of a conditional, the receiver of a method call, a ``!Sub`` template's text,
a ``Join``'s parts) or where a *name* is (a call argument, a subscript, ``!Ref``):
only the former may be judged by the name it is stored under (``password``), as
``os.environ["DB_PASSWORD"]`` names a variable and holds no password. Token formats
(``ghp_``, ``AKIA``...) count anywhere.

Nothing is evaluated: Python is parsed with ``ast``, YAML composed with the safe
loader, JSON decoded.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

_SUB_FIELD = re.compile(r"\$\{[^}]*\}")
# CloudFormation functions whose operands are names (logical ids, conditions, maps)
_NAME_FUNCTIONS = frozenset({"Ref", "GetAtt", "Condition", "ImportValue", "FindInMap",
                             "GetAZs", "Select", "Split", "Cidr", "Equals", "Not", "And",
                             "Or", "Transform", "Length", "ToJsonString"})
_PY_STRING = re.compile(r"""[rRbBuUfF]{0,2}("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')""")
MAX_SOURCE = 100_000  # characters of an unknown value's source read for literals


@dataclass(frozen=True, slots=True)
class Literal:
    text: str  # the parsed string
    raw: str  # as written in the source
    is_value: bool  # written where the value is (not a name or argument)


def literals(source: str, kind: str) -> list[Literal]:
    """The literal strings in an Unknown's ``source`` (from a file of ``kind``)."""
    source = source[:MAX_SOURCE]
    found: list[Literal] | None = None
    if kind in ("python", "notebook", "sdk"):
        found = _python(source)
    elif source.startswith("!"):
        found = _yaml(source)
    elif source.startswith("{"):
        found = _json(source)
    elif "${" in source:
        found = _sub(source, source)
    if found is None:  # not parsable: quoted strings, judged by token format only
        found = [Literal(_unquote(m.group(0)), m.group(0), False)
                 for m in _PY_STRING.finditer(source)]
    parts = [lit.text for lit in found if lit.is_value]
    if len(parts) > 1:  # "ghp_..." + "...", a Join's parts: the value they make
        found.append(Literal("".join(parts), "", True))
    return found


def _unquote(raw: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            value = ast.literal_eval(raw)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return raw
    return value if isinstance(value, str) else raw


def _sub(template: str, raw: str) -> list[Literal]:
    """The text between ``${...}`` fields of a ``Fn::Sub`` template."""
    return [Literal(part, raw, True) for part in _SUB_FIELD.split(template) if part]


# -- Python -------------------------------------------------------------------

def _python(source: str) -> list[Literal] | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = ast.parse(source.strip(), mode="eval")
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            return None
    out: list[Literal] = []
    stack: list[tuple[ast.AST, bool]] = [(tree.body, True)]
    while stack:
        node, is_value = stack.pop()
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                raw = ast.get_source_segment(source.strip(), node) or node.value
                out.append(Literal(node.value, raw, is_value))
            continue
        stack.extend(reversed(list(_python_children(node, is_value))))
        if len(out) > 1000:
            break
    return out


def _python_children(node: ast.AST, is_value: bool) -> Iterator[tuple[ast.AST, bool]]:
    if isinstance(node, ast.Call):
        yield node.func, is_value  # "ghp_...".strip(): the receiver is the value
        for arg in node.args:
            yield arg, False
        for kw in node.keywords:
            yield kw.value, False
    elif isinstance(node, ast.Attribute):
        yield node.value, is_value
    elif isinstance(node, ast.Subscript):
        yield node.value, is_value
        yield node.slice, False
    elif isinstance(node, ast.IfExp):
        yield node.test, False
        yield node.body, is_value
        yield node.orelse, is_value
    elif isinstance(node, ast.Compare | ast.Lambda | ast.NamedExpr):
        for child in ast.iter_child_nodes(node):
            yield child, False
    elif isinstance(node, ast.FormattedValue):
        yield node.value, False
    else:  # BinOp, BoolOp, JoinedStr, containers, comprehensions...
        for child in ast.iter_child_nodes(node):
            yield child, is_value


# -- CloudFormation in YAML (short form) and JSON (long form) -----------------------

def _yaml(source: str) -> list[Literal] | None:
    import yaml
    from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(source, Loader=loader)
    except (yaml.YAMLError, RecursionError):
        return None
    if root is None:
        return []
    out: list[Literal] = []
    stack: list[tuple[Node, bool, str]] = [(root, True, "")]
    while stack and len(out) <= 1000:
        node, is_value, function = stack.pop()
        tag = node.tag[1:] if node.tag.startswith("!") else function
        if tag in _NAME_FUNCTIONS:
            is_value = False
        if isinstance(node, ScalarNode):
            text = str(node.value)
            if tag == "Sub":
                out.extend(_sub(text, text) if is_value else [Literal(text, text, False)])
            else:
                out.append(Literal(text, text, is_value))
        elif isinstance(node, SequenceNode):
            items = list(node.value)
            for i in range(len(items) - 1, -1, -1):
                stack.append((items[i], is_value and _operand_is_value(tag, i),
                              "Sub" if tag == "Sub" and i == 0 else ""))
        elif isinstance(node, MappingNode):
            for key, child in reversed(node.value):
                stack.append((child, is_value, ""))
                stack.append((key, False, ""))
    return out


def _json(source: str) -> list[Literal] | None:
    try:
        data = json.loads(source)
    except (ValueError, RecursionError):
        return None
    out: list[Literal] = []
    stack: list[tuple[Any, bool, str]] = [(data, True, "")]
    while stack and len(out) <= 1000:
        item, is_value, function = stack.pop()
        if isinstance(item, dict):
            if len(item) == 1:
                (key, child), = item.items()
                name = key[4:] if key.startswith("Fn::") else key
                if name in _NAME_FUNCTIONS or key.startswith("Fn::") or key == "Ref":
                    stack.append((child, is_value and name not in _NAME_FUNCTIONS, name))
                    continue
            stack.extend((child, is_value, "") for child in reversed(list(item.values())))
        elif isinstance(item, list):
            for i in range(len(item) - 1, -1, -1):
                stack.append((item[i], is_value and _operand_is_value(function, i),
                              "Sub" if function == "Sub" and i == 0 else ""))
        elif isinstance(item, str):
            if function == "Sub" and is_value:
                out.extend(_sub(item, item))
            else:
                out.append(Literal(item, item, is_value))
    return out


def _operand_is_value(function: str, index: int) -> bool:
    """Whether operand ``index`` of a CloudFormation function is part of the value:
    ``Join``'s list (not its separator), ``If``'s branches (not its condition),
    ``Sub``'s template (not its variable map)."""
    if function == "Join":
        return index == 1
    if function == "If":
        return index in (1, 2)
    if function == "Sub":
        return index == 0
    return function in ("", "Base64")
