"""The literal strings written inside a value hpt-lint cannot know statically.

``"ghp_...".strip()``, ``"hf_..." + suffix``, ``x if c else "ghp_..."``, CloudFormation
``!Sub "hf_...${X}"`` and ``{"Fn::Join": ["", ["hf_...", {"Ref": "X"}]]}`` are
``Unknown`` values, yet the secret is right there in the source. The secret scanner
reads these literals (parsed, so escapes do not hide them) and flags them.

Each literal has a role. ``WHOLE``: it may be the whole value (a branch of a
conditional, ``x or "..."``, the receiver of ``.strip()``), so it may be judged by the
name it is stored under (``password``). ``PART``: a piece of the value (an operand of
``+``, an f-string's text, a ``!Sub`` template's text, a ``Join``'s parts); ``NAME``:
where a name is written (a call argument, a subscript, ``!Ref``). Parts and names are
judged by token format only (``ghp_``, ``AKIA``...): ``"projects/" + x`` under
``api_token`` is no token, and ``os.environ["DB_PASSWORD"]`` names a variable. The
value adjacent parts make together is a part too.

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

# a ``${...}`` field, or a dynamic reference (``{{resolve:secretsmanager:...}}``, the way to
# pass a secret) that may hold fields
_SUB_FIELD = re.compile(r"\{\{resolve:.*?\}\}|\$\{[^}]*\}")
WHOLE, PART, NAME = "whole", "part", "name"
# str methods whose result is the receiver's text (nearly): the receiver may be the value
_KEEPS_TEXT = frozenset({"strip", "lstrip", "rstrip", "encode", "decode", "lower", "upper",
                         "casefold", "removeprefix", "removesuffix"})
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
    role: str  # WHOLE, PART or NAME
    # where ``raw`` is in the source: 0-based (line, column, end line, end column), code
    # points, end exclusive; None where it is not known
    at: tuple[int, int, int, int] | None = None

    @property
    def may_be_whole(self) -> bool:
        return self.role == WHOLE


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
        found = [Literal(_unquote(m.group(0)), m.group(0), NAME)
                 for m in _PY_STRING.finditer(source)]
    parts = [lit.text for lit in found if lit.role != NAME]
    if len(parts) > 1:  # "ghp_..." + "...", a Join's parts: the value they make
        found.append(Literal("".join(parts), "", PART))
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
    return [Literal(part, raw, PART) for part in _SUB_FIELD.split(template) if part]


# -- Python -------------------------------------------------------------------

def _python(source: str) -> list[Literal] | None:
    # in parentheses, as the expression was in the file: it may continue over lines
    wrapped = f"({source}\n)"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = ast.parse(wrapped, mode="eval")
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            return None
    lines = wrapped.split("\n")  # ast counts lines at \n (and \r\n, \r: see _at)
    out: list[Literal] = []
    stack: list[tuple[ast.AST, str]] = [(tree.body, WHOLE)]
    while stack:
        node, role = stack.pop()
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                raw = ast.get_source_segment(wrapped, node) or node.value
                out.append(Literal(node.value, raw, role, _at(node, lines)))
            continue
        stack.extend(reversed(list(_python_children(node, role))))
        if len(out) > 1000:
            break
    return out


def _at(node: ast.expr, lines: list[str]) -> tuple[int, int, int, int] | None:
    """``node``'s place in the source that ``lines`` wrap in ``(``...``)``: 0-based,
    code points (``ast`` columns are UTF-8 bytes)."""
    end_line, end_col = node.end_lineno, node.end_col_offset
    if end_line is None or end_col is None or "\r" in "".join(lines):
        return None

    def column(line: int, col_bytes: int) -> int:
        text = lines[line - 1].encode("utf-8", "surrogatepass")[:col_bytes]
        return len(text.decode("utf-8", "replace")) - (1 if line == 1 else 0)  # the "("

    return (node.lineno - 1, column(node.lineno, node.col_offset), end_line - 1,
            column(end_line, end_col))


def _python_children(node: ast.AST, role: str) -> Iterator[tuple[ast.AST, str]]:
    part = NAME if role == NAME else PART
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute):  # "ghp_...".strip(): the receiver is the value
            yield func.value, role if func.attr in _KEEPS_TEXT else part
        else:
            yield func, NAME
        for arg in node.args:
            yield arg, NAME
        for kw in node.keywords:
            yield kw.value, NAME
    elif isinstance(node, ast.Attribute | ast.Subscript):
        yield node.value, part
        if isinstance(node, ast.Subscript):
            yield node.slice, NAME
    elif isinstance(node, ast.IfExp):
        yield node.test, NAME
        yield node.body, role
        yield node.orelse, role
    elif isinstance(node, ast.BoolOp):  # x or "default"
        for operand in node.values:
            yield operand, role
    elif isinstance(node, ast.Compare | ast.Lambda | ast.NamedExpr | ast.FormattedValue):
        for child in ast.iter_child_nodes(node):
            yield child, NAME
    else:  # BinOp, JoinedStr, containers, comprehensions...
        for child in ast.iter_child_nodes(node):
            yield child, part


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
    stack: list[tuple[Node, str, str]] = [(root, WHOLE, "")]
    while stack and len(out) <= 1000:
        node, role, function = stack.pop()
        tag = node.tag[1:] if node.tag.startswith("!") else function
        if tag in _NAME_FUNCTIONS:
            role = NAME
        if isinstance(node, ScalarNode):
            text = str(node.value)
            if tag == "Sub" and role != NAME:
                out.extend(_sub(text, text))
            else:
                out.append(Literal(text, text, role))
        elif isinstance(node, SequenceNode):
            items = list(node.value)
            for i in range(len(items) - 1, -1, -1):
                stack.append((items[i], _operand_role(tag, i, role),
                              "Sub" if tag == "Sub" and i == 0 else ""))
        elif isinstance(node, MappingNode):
            for key, child in reversed(node.value):
                stack.append((child, NAME if role == NAME else PART, ""))
                stack.append((key, NAME, ""))
    return out


def _json(source: str) -> list[Literal] | None:
    try:
        data = json.loads(source)
    except (ValueError, RecursionError):
        return None
    out: list[Literal] = []
    stack: list[tuple[Any, str, str]] = [(data, WHOLE, "")]
    while stack and len(out) <= 1000:
        item, role, function = stack.pop()
        if isinstance(item, dict):
            if len(item) == 1:
                (key, child), = item.items()
                name = key[4:] if key.startswith("Fn::") else key
                if name in _NAME_FUNCTIONS or key.startswith("Fn::"):
                    stack.append((child, NAME if name in _NAME_FUNCTIONS else role, name))
                    continue
            part = NAME if role == NAME else PART
            stack.extend((child, part, "") for child in reversed(list(item.values())))
        elif isinstance(item, list):
            for i in range(len(item) - 1, -1, -1):
                stack.append((item[i], _operand_role(function, i, role),
                              "Sub" if function == "Sub" and i == 0 else ""))
        elif isinstance(item, str):
            if function == "Sub" and role != NAME:
                out.extend(_sub(item, item))
            else:
                out.append(Literal(item, item, role))
    return out


def _operand_role(function: str, index: int, role: str) -> str:
    """The role of operand ``index`` of a CloudFormation function (or of a plain list,
    ``function`` ""): ``If``'s branches may be the whole value; ``Join``'s list,
    ``Sub``'s template and a list's items are parts; the rest (a ``Join``'s separator,
    an ``If``'s condition, a ``Sub``'s variable map) are names."""
    if role == NAME:
        return NAME
    if function == "If":
        return role if index in (1, 2) else NAME
    if function == "Base64":
        return role
    if (function, index) in (("Join", 1), ("Sub", 0)) or function == "":
        return PART
    return NAME
