"""Scalars a reader can work out: names bound to literals, and simple expressions of them.

``max_jobs = 6`` then ``max_jobs=max_jobs`` is 6; so are ``int("6")``, ``2 * 3``,
``-CONST``, ``str(CONST)``, an f-string whose parts are all known,
``"-".join([...])`` of known strings, and ``"{}-{}".format(a, b)`` with plain fields.
Anything else (``os.environ.get("X", "6")``, a call we cannot see into, a value that
would be huge) stays Unknown. A name bound differently on two paths (``if``/``else``, a
loop, a ``try``) is not known after them.

Every value here is a Val made by the Interpreter (``python_static``); evaluating the
parts goes through ``Interpreter.eval``, so its depth and size limits apply.
"""

from __future__ import annotations

import ast
import math
import string
from typing import TYPE_CHECKING, Any

from hpt_lint.request import Unknown

if TYPE_CHECKING:
    from hpt_lint.loaders.python_source import Source
    from hpt_lint.loaders.python_static import Env, Interpreter, Val

MAX_TEXT = 4_096  # a folded string longer than this is Unknown (``"x" * 10**9``)
MAX_INT = 2 ** 63  # a folded integer beyond this is Unknown (``10 ** 10 ** 9`` never runs)
MAX_FOLD_DEPTH = 64  # nested operations folded; deeper is Unknown (bounded recursion)
_CONVERTERS = ("str", "int", "float")


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def known_scalar(val: Val) -> bool:
    """A Val whose value is a plain Python scalar (not a container, not Unknown)."""
    v = val.value
    return v is None or isinstance(v, str | int | float | bool)


def bindable(val: Val | None) -> bool:
    """Whether a name should stay bound to ``val``: containers and known scalars, and an
    Unknown that names a training image (its ImageHint follows the name)."""
    if val is None:
        return False
    if val.is_container or known_scalar(val):
        return True
    return isinstance(val.value, Unknown) and val.value.image is not None


def _ok(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return -MAX_INT <= value <= MAX_INT
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return len(value) <= MAX_TEXT
    return value is None


def _binop(op: ast.operator, left: Any, right: Any) -> Any:
    """The result of a simple operation on known values, or Unknown's marker None-tuple."""
    if isinstance(left, str) and isinstance(right, str) and isinstance(op, ast.Add):
        if len(left) + len(right) > MAX_TEXT:
            return _NO
        return left + right
    if isinstance(op, ast.Mult):
        text: str | None = left if isinstance(left, str) else (
            right if isinstance(right, str) else None)
        times = right if text is left else left
        if text is not None:
            if type(times) is not int or times < 0 or len(text) * times > MAX_TEXT:
                return _NO
            return text * times
    if not (is_number(left) and is_number(right)):
        return _NO
    try:
        if isinstance(op, ast.Add):
            return left + right
        if isinstance(op, ast.Sub):
            return left - right
        if isinstance(op, ast.Mult):
            return left * right
        if isinstance(op, ast.Div):
            return left / right
        if isinstance(op, ast.FloorDiv):
            return left // right
        if isinstance(op, ast.Mod):
            return left % right
        if isinstance(op, ast.Pow) and abs(right) <= 64 and abs(left) <= MAX_INT:
            result = left ** right
            return result if isinstance(result, int | float) else _NO
    except (ArithmeticError, ValueError):
        return _NO
    return _NO


_NO = object()  # "not known": distinct from every value a program can hold


def fold(interp: Interpreter, node: ast.expr, env: Env, source: Source) -> Val | None:
    """The known value of ``node`` when it is one of the simple forms above, else None
    (the caller then makes it Unknown)."""
    from hpt_lint.loaders.python_static import Val

    depth = getattr(interp, "fold_depth", 0)
    if depth >= MAX_FOLD_DEPTH:
        return None  # ``"a" + "b" + ...`` thousands deep: unknown, not a RecursionError
    interp.fold_depth = depth + 1  # type: ignore[attr-defined]
    try:
        result = _fold(interp, node, env, source)
    finally:
        interp.fold_depth = depth  # type: ignore[attr-defined]
    if result is _NO or not _ok(result):
        return None
    return Val(result, source.span(node), derived=True)


def _fold(interp: Interpreter, node: ast.expr, env: Env, source: Source) -> Any:
    result: Any = _NO
    if isinstance(node, ast.BinOp):
        left = interp.eval(node.left, env, source)
        right = interp.eval(node.right, env, source)
        if known_scalar(left) and known_scalar(right):
            result = _binop(node.op, left.value, right.value)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = interp.eval(node.operand, env, source)
        if is_number(operand.value):
            result = -operand.value if isinstance(node.op, ast.USub) else +operand.value
    elif isinstance(node, ast.JoinedStr):
        result = _fstring(interp, node, env, source)
    elif isinstance(node, ast.Call):
        result = _call(interp, node, env, source)
    return result


def _fstring(interp: Interpreter, node: ast.JoinedStr, env: Env, source: Source) -> Any:
    parts: list[str] = []
    for part in node.values:
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            parts.append(part.value)
            continue
        if not isinstance(part, ast.FormattedValue) or part.format_spec is not None:
            return _NO
        value = interp.eval(part.value, env, source)
        if not known_scalar(value):
            return _NO
        v = value.value
        parts.append(repr(v) if part.conversion == ord("r") else
                     ascii(v) if part.conversion == ord("a") else str(v))
        if sum(map(len, parts)) > MAX_TEXT:
            return _NO
    return "".join(parts)


def _convert(name: str, value: Any) -> Any:
    if name == "str":
        return str(value) if value is None or isinstance(value, str | int | float | bool) \
            else _NO
    if isinstance(value, bool):
        return _NO  # int(True) is legal but never a request's intent
    try:
        if name == "int":
            if isinstance(value, str) and len(value) > 40:
                return _NO
            return int(value) if isinstance(value, str | int | float) else _NO
        if name == "float":
            return float(value) if isinstance(value, str | int | float) else _NO
    except (ValueError, OverflowError):
        return _NO
    return _NO


def _call(interp: Interpreter, node: ast.Call, env: Env, source: Source) -> Any:
    func = node.func
    if isinstance(func, ast.Name) and func.id in _CONVERTERS and len(node.args) == 1 \
            and not node.keywords and not isinstance(node.args[0], ast.Starred) \
            and env.lookup(func.id) is None:
        arg = interp.eval(node.args[0], env, source)
        return _convert(func.id, arg.value) if known_scalar(arg) else _NO
    if isinstance(func, ast.Attribute) and func.attr == "format" \
            and not any(isinstance(a, ast.Starred) for a in node.args) \
            and all(kw.arg is not None for kw in node.keywords):
        template = interp.eval(func.value, env, source)
        if isinstance(template.value, str):
            args = [interp.eval(a, env, source) for a in node.args]
            kwargs = {kw.arg: interp.eval(kw.value, env, source) for kw in node.keywords
                      if kw.arg is not None}
            return _format(template.value, args, kwargs)
    if isinstance(func, ast.Attribute) and func.attr == "join" and len(node.args) == 1 \
            and not node.keywords and not isinstance(node.args[0], ast.Starred):
        separator = interp.eval(func.value, env, source)
        items = interp.eval(node.args[0], env, source)
        if isinstance(separator.value, str) and items.is_list and not items.partial \
                and all(isinstance(i.value, str) for i in items.value):
            return separator.value.join(i.value for i in items.value)
    return _NO


def _format(template: str, args: list[Val], kwargs: dict[str, Val]) -> Any:
    """``"s3://{}/{}".format(bucket, prefix)`` with known scalars and plain fields only
    (no format spec, conversion, attribute or index)."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return _NO
    values: list[Any] = []
    named: dict[str, Any] = {}
    for val in args:
        if not known_scalar(val):
            return _NO
        values.append(val.value)
    for key, val in kwargs.items():
        if not known_scalar(val):
            return _NO
        named[key] = val.value
    for _text, field, spec, conversion in fields:
        if field is None:
            continue
        if spec or conversion or not (field == "" or field.isdigit() or field.isidentifier()):
            return _NO
    try:
        result = template.format(*values, **named)
    except (IndexError, KeyError, ValueError):
        return _NO
    return result if len(result) <= MAX_TEXT else _NO


# ---- names bound differently on different paths ---------------------------------------

Snapshot = dict[str, Any]


def snapshot(env: Env, names: set[str]) -> Snapshot:
    """What ``names`` (the ones a block may rebind) are bound to now."""
    return {name: env.vars.get(name, _NO) for name in names}


def _is_scalar_binding(value: object) -> bool:
    from hpt_lint.loaders.python_static import Val

    return isinstance(value, Val) and not value.is_container


def _same(one: object, other: object) -> bool:
    from hpt_lint.loaders.python_static import Val

    if one is other:
        return True
    return isinstance(one, Val) and isinstance(other, Val) and known_scalar(one) \
        and known_scalar(other) and type(one.value) is type(other.value) \
        and one.value == other.value


def join(env: Env, outcomes: list[Snapshot]) -> None:
    """After paths that each end in one of ``outcomes`` (name bindings), a name bound to a
    scalar on some path and to anything else on another is no longer known."""
    names = set().union(*outcomes)
    for name in names:
        values = [o.get(name, _NO) for o in outcomes]
        if not any(_is_scalar_binding(v) for v in values):
            continue  # containers keep the reader's last-writer view
        if all(_same(values[0], v) for v in values[1:]):
            continue
        env.bind(name, None)


def restore_scalars(env: Env, before: Snapshot) -> None:
    """Undo the scalar bindings a branch made (the other branch starts from ``before``)."""
    for name, old in before.items():
        current = env.vars.get(name, _NO)
        if current is old:
            continue
        if _is_scalar_binding(current) or _is_scalar_binding(old):
            if old is _NO:
                env.vars.pop(name, None)
            else:
                env.vars[name] = old


def assigned_names(body: list[ast.stmt]) -> set[str]:
    """Names a block of statements (re)binds, not counting nested function bodies."""
    found: set[str] = set()
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return found


def forget_scalars(env: Env, names: set[str]) -> None:
    """At a loop's head, a name the body rebinds may hold any iteration's value."""
    for name in names:
        if _is_scalar_binding(env.vars.get(name)):
            env.bind(name, None)

