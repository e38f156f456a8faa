"""Static evaluation of Python source: what a reader can see a request is, never running it.

An ``Interpreter`` walks statements in order (module, then the bodies of functions
that hold a call of interest), keeping names bound to dict and list literals and
replaying the mutations a reader would follow: ``x["k"] = v``, ``del x["k"]``,
``x.update(...)``, ``x.append(...)``, ``copy.deepcopy(x)``, ``dict(x)``,
``x.copy()``, ``**spread``, and calls of local functions that return a dict.
Everything else is ``Unknown(source text)``. Values are ``Val`` trees that carry
the physical span where each key and value was written; ``flatten`` turns one
into request data plus its SourceMap.
"""

from __future__ import annotations

import ast
import bisect
import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from hpt_lint.loaders import python_consts as consts
from hpt_lint.loaders.errors import LoadError
from hpt_lint.loaders.limits import DEFAULT_LIMITS, Limits
from hpt_lint.loaders.python_source import Source
from hpt_lint.request import (
    DERIVED,
    KEYWORD,
    Entry,
    JsonPath,
    PartialDict,
    PartialList,
    SourceMap,
    Span,
    Unknown,
)

_BODY_FIELDS = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})
_SIMPLE = (ast.Expr, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Return)
_MAX_CALL_DEPTH = 16
_MAX_LOCAL_CALLS = 2_000  # local-function calls followed per file (hostile fan-out)
_MAX_ITEMS = 1_000  # a list that would grow past this is left partial (x.extend(x) ...)


@dataclass(eq=False)
class Val:
    """A statically seen value: a scalar (or Unknown), a dict of (key span, Val), or a
    list of Vals; ``partial`` lists the sources of members we cannot see."""

    value: Any
    span: Span
    partial: tuple[str, ...] = ()
    derived: bool = False  # not written at ``span`` as such (an SDK default, str(0.1))

    @property
    def is_dict(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)

    @property
    def is_container(self) -> bool:
        return isinstance(self.value, dict | list)


@dataclass(eq=False)
class Function:
    node: ast.FunctionDef | ast.AsyncFunctionDef
    env: Env
    source: Source


@dataclass(eq=False)
class LocalClass:
    """A name bound to a class the file defines: not followed, but not an import either
    (a local ``class Estimator`` is not the SDK's)."""

    name: str


class Env:
    """Names a reader can follow: to container Vals and local functions. A name bound
    to anything else is bound to None (it shadows outer bindings)."""

    def __init__(self, parent: Env | None = None, is_class: bool = False) -> None:
        self.vars: dict[str, Val | Function | LocalClass | None] = {}
        self.parent = parent
        self.is_class = is_class  # a class body: not seen from the functions in it

    def function_scope(self) -> Env:
        """The scope a function defined here sees (class bodies are skipped)."""
        env = self
        while env.is_class and env.parent is not None:
            env = env.parent
        return env

    def lookup(self, name: str) -> Val | Function | LocalClass | None:
        env: Env | None = self
        while env is not None:
            if name in env.vars:
                return env.vars[name]
            env = env.parent
        return None

    def bind(self, name: str, value: Val | Function | LocalClass | None) -> None:
        self.vars[name] = value


@dataclass
class Found:
    """A call of interest, and the request value seen at it."""

    kind: str  # "boto3" or "sdk"
    value: Val
    line: int


@dataclass
class Interpreter:
    """Walk statements in order; ``found`` collects requests at calls of interest."""

    builders: dict[str, Callable[[Interpreter, ast.Call, Env, Source], Val | None]]
    match: Callable[[ast.Call], str | None]
    # calls a reader knows the result of, by the called name (``ContinuousParameter``)
    constructors: dict[str, Callable[[Interpreter, ast.Call, Env, Source], Val]] = field(
        default_factory=dict)
    found: list[Found] = field(default_factory=list)
    deferred: list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, Env, Source]] = field(
        default_factory=list)
    collecting: bool = True
    depth: int = 0
    local_calls: int = 0
    limits: Limits = DEFAULT_LIMITS
    steps: int = 0  # work done so far: Limits.max_eval_steps bounds the whole program
    keyword_keys: set[Span] = field(default_factory=set)  # key spans that are f(name=...)
    # names read anywhere in the program (None: not known); a binding nobody reads is
    # not evaluated (a large file of unrelated dicts stays fast)
    read_names: set[str] | None = None
    # open if/else branches: (container, key) -> value written, to join the branches
    write_logs: list[dict[tuple[int, str], tuple[Val, str, Val]]] = field(
        default_factory=list)
    # names some function rebinds with ``global``/``nonlocal``: never known as scalars
    unstable_names: set[str] = field(default_factory=set)
    # effects of methods on values a constructor made (``estimator.set_hyperparameters``)
    method_hooks: dict[str, Callable[[Interpreter, Val, ast.Call, Env, Source], bool]] = field(
        default_factory=dict)
    # ``name.attr`` of a value a constructor made (``estimator.metric_definitions``), and
    # ``name.attr = value`` on one (value None: not known)
    attribute_hook: Callable[[Val, str], Val | None] | None = None
    attribute_setter: Callable[[Val, str, Val | None, str], None] | None = None

    def spend(self, units: int, node: ast.AST, source: Source) -> None:
        """Count ``units`` of work (a statement, an expression, members copied); past the
        budget the file is refused (HPT001), however the work was spread over calls."""
        self.steps += units
        if self.steps > self.limits.max_eval_steps:
            line, col = source.pos(getattr(node, "lineno", 1), getattr(node, "col_offset", 0))
            raise LoadError(f"reading the Python code takes more than "
                            f"{self.limits.max_eval_steps:,} evaluation steps; refusing to "
                            "read it", line, col)

    # ---- statements -------------------------------------------------------------
    def run_module(self, tree: ast.Module, env: Env, source: Source) -> None:
        self.run(tree.body, env, source)

    def finish(self) -> None:
        """Walk the bodies of functions that hold a call of interest, with the names of
        their defining scope as they stand at the end of it."""
        while self.deferred:
            node, env, source = self.deferred.pop(0)
            local = Env(env.function_scope())
            for name in _parameters(node):
                local.bind(name, None)
            self.run(node.body, local, source)

    def run(self, body: list[ast.stmt], env: Env, source: Source) -> None:
        for stmt in body:
            self.stmt(stmt, env, source)

    def stmt(self, s: ast.stmt, env: Env, source: Source) -> None:
        self.spend(1, s, source)
        if self.collecting and _may_hold_call(s, source):
            # calls anywhere an expression can be: decorators, default arguments, class
            # bases, lambdas and comprehensions (their own names are not followed)
            for call, hidden in _calls_in(s):
                kind = self.match(call)
                if kind is not None:
                    scope = env
                    if hidden:
                        scope = Env(env)
                        for name in hidden:
                            scope.bind(name, None)
                    value = self.builders[kind](self, call, scope, source)
                    if value is not None:
                        self.found.append(Found(kind, value, value.span.line))
        if isinstance(s, _SIMPLE) and source.escapes:
            self.escape(s, env, source)
        if isinstance(s, ast.Assign):
            if self.read_names is not None and all(
                    isinstance(t, ast.Name) and t.id not in self.read_names for t in s.targets):
                return  # nobody reads it
            value = self.eval(s.value, env, source)
            for target in s.targets:
                self.assign(target, value, env, source)
        elif isinstance(s, ast.AnnAssign):
            if s.value is not None:
                self.assign(s.target, self.eval(s.value, env, source), env, source)
        elif isinstance(s, ast.AugAssign):
            self.assign(s.target, Val(Unknown(source.segment(s)), source.span(s.value)), env,
                        source)
        elif isinstance(s, ast.Delete):
            for target in s.targets:
                self.delete(target, env, source)
        elif isinstance(s, ast.Expr) and isinstance(s.value, ast.Call):
            self.method_effect(s.value, env, source)
        elif isinstance(s, ast.For | ast.AsyncFor | ast.While):
            names = consts.assigned_names([s])
            before = consts.snapshot(env, names)  # no iteration at all
            consts.forget_scalars(env, names)  # in the body: any iteration's value
            if not isinstance(s, ast.While):
                self.assign(s.target, None, env, source)
            self.run(s.body, env, source)
            consts.join(env, [before, consts.snapshot(env, names)])
            self.run(s.orelse, env, source)
        elif isinstance(s, ast.If) and s.orelse:
            self.branches(s, env, source)
        elif isinstance(s, ast.If):
            names = consts.assigned_names([s])
            before = consts.snapshot(env, names)
            self.run(s.body, env, source)
            consts.join(env, [before, consts.snapshot(env, names)])
        elif isinstance(s, ast.With | ast.AsyncWith):
            for item in s.items:
                if item.optional_vars is not None:
                    self.assign(item.optional_vars, None, env, source)
            self.run(s.body, env, source)
        elif isinstance(s, ast.Try | ast.TryStar):
            names = consts.assigned_names([s])
            before = consts.snapshot(env, names)
            self.run(s.body, env, source)
            for handler in s.handlers:
                if handler.name:
                    env.bind(handler.name, None)
                self.run(handler.body, env, source)
            self.run(s.orelse, env, source)
            consts.join(env, [before, consts.snapshot(env, names)])  # any statement may raise
            self.run(s.finalbody, env, source)
        elif isinstance(s, ast.Match):
            names = consts.assigned_names([s])
            before = consts.snapshot(env, names)
            outcomes = [before]
            for case in s.cases:
                self.run(case.body, env, source)
                outcomes.append(consts.snapshot(env, names))
                consts.restore_scalars(env, before)
            consts.join(env, outcomes)
        elif isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef):
            env.bind(s.name, Function(s, env, source))
            if self.collecting and any(self.match(c) for c in _all_calls(s)):
                self.deferred.append((s, env, source))
        elif isinstance(s, ast.ClassDef):
            self.run(s.body, Env(env, is_class=True), source)
            env.bind(s.name, LocalClass(s.name))
        elif isinstance(s, ast.Import | ast.ImportFrom):
            for alias in s.names:
                name = (alias.asname or alias.name).split(".")[0]
                if name != "*":
                    env.bind(name, None)

    def escape(self, s: ast.stmt, env: Env, source: Source) -> None:
        """A container passed to a function we cannot see may gain members there
        (``fill_in_role(definition)``): it becomes partial (no missing-member finding)."""
        lines = source.escape_lines
        end = getattr(s, "end_lineno", None) or s.lineno
        i = bisect.bisect_left(lines, s.lineno)
        while i < len(lines) and lines[i] <= end:
            call = source.escapes[i]
            i += 1
            for arg in _arguments(call):
                if isinstance(_root(arg), ast.Name):
                    value = self.eval(arg, env, source)
                    if value.is_container:
                        value.partial += (source.segment(call),)

    def branches(self, s: ast.If, env: Env, source: Source) -> None:
        """``if``/``else``: both branches are read in order, but a member the two set to
        different values depends on the condition, so it is Unknown."""
        logs = []
        names = consts.assigned_names([s])
        before = consts.snapshot(env, names)
        outcomes = []
        for body in (s.body, s.orelse):
            self.write_logs.append({})
            self.run(body, env, source)
            logs.append(self.write_logs.pop())
            outcomes.append(consts.snapshot(env, names))
            if body is s.body:
                consts.restore_scalars(env, before)
        consts.join(env, outcomes)
        first, second = logs
        for outer in self.write_logs:
            outer.update(first)
            outer.update(second)
        for slot in first.keys() & second.keys():
            container, key, one = first[slot]
            other = second[slot][2]
            same = not one.is_container and not other.is_container and \
                type(one.value) is type(other.value) and one.value == other.value
            if not same and key in container.value:
                kspan, current = container.value[key]
                container.value[key] = (kspan, Val(Unknown(
                    f"{source.segment(s.test)} ? {_text(one)} : {_text(other)}"), current.span))

    def assign(self, target: ast.expr, value: Val | None, env: Env, source: Source) -> None:
        if isinstance(target, ast.Name):
            keep = value.is_container if value is not None else False
            if value is not None and not keep and target.id not in self.unstable_names:
                keep = consts.bindable(value)
            env.bind(target.id, value if keep else None)
        elif isinstance(target, ast.Subscript):
            container = self.eval(target.value, env, source)
            if not container.is_container:
                return
            new = value if value is not None else Val(Unknown(source.segment(target)),
                                                      source.span(target))
            key = _constant_key(target.slice)
            if container.is_dict:
                if isinstance(key, str):
                    container.value[key] = (source.span(target.slice), new)
                    for log in self.write_logs:
                        log[(id(container), key)] = (container, key, new)
                else:
                    container.partial += (source.segment(target.slice),)
            elif isinstance(key, int) and not isinstance(key, bool) \
                    and -len(container.value) <= key < len(container.value):
                container.value[key] = new
            else:
                container.partial += (source.segment(target),)
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                and self.attribute_setter is not None:
            owner = env.lookup(target.value.id)
            if isinstance(owner, Val):
                self.attribute_setter(owner, target.attr, value, source.segment(target))
        elif isinstance(target, ast.Tuple | ast.List):
            for elt in target.elts:
                self.assign(elt, None, env, source)
        elif isinstance(target, ast.Starred):
            self.assign(target.value, None, env, source)

    def delete(self, target: ast.expr, env: Env, source: Source) -> None:
        if isinstance(target, ast.Name):
            env.bind(target.id, None)
        elif isinstance(target, ast.Subscript):
            container = self.eval(target.value, env, source)
            key = _constant_key(target.slice)
            if container.is_dict and isinstance(key, str):
                container.value.pop(key, None)
            elif container.is_list and isinstance(key, int) and not isinstance(key, bool) \
                    and -len(container.value) <= key < len(container.value):
                del container.value[key]
        elif isinstance(target, ast.Tuple | ast.List):
            for elt in target.elts:
                self.delete(elt, env, source)

    def method_effect(self, call: ast.Call, env: Env, source: Source) -> None:
        func = call.func
        if not isinstance(func, ast.Attribute):
            return
        receiver = self.eval(func.value, env, source)
        hook = self.method_hooks.get(func.attr)
        if hook is not None and hook(self, receiver, call, env, source):
            return
        if not receiver.is_container:
            return
        method, args = func.attr, call.args
        if receiver.is_dict:
            if method == "update":
                if args:
                    self.merge(receiver, self.eval(args[0], env, source), source, args[0])
                for kw in call.keywords:
                    self.keyword_into(receiver, kw, env, source)
            elif method == "setdefault" and args:
                key = _constant_key(args[0])
                if isinstance(key, str):
                    if key not in receiver.value:
                        value = self.eval(args[1], env, source) if len(args) > 1 else \
                            Val(None, source.span(call))
                        receiver.value[key] = (source.span(args[0]), value)
                else:
                    receiver.partial += (source.segment(args[0]),)
            elif method == "pop" and args:
                key = _constant_key(args[0])
                if isinstance(key, str):
                    receiver.value.pop(key, None)
            elif method == "clear":
                receiver.value.clear()
                receiver.partial = ()
        else:
            if method == "append" and args:
                receiver.value.append(self.eval(args[0], env, source))
            elif method == "extend" and args:
                more = self.eval(args[0], env, source)
                if more.is_list and len(receiver.value) + len(more.value) <= _MAX_ITEMS:
                    self.spend(len(more.value) + len(more.partial), call, source)
                    receiver.value.extend(more.value)
                    receiver.partial = _joined(receiver.partial, more.partial)
                else:
                    receiver.partial += (source.segment(args[0]),)
            elif method == "insert" and len(args) == 2:
                index = _constant_key(args[0])
                if isinstance(index, int) and not isinstance(index, bool):
                    receiver.value.insert(index, self.eval(args[1], env, source))
                else:
                    receiver.partial += (source.segment(call),)
            elif method == "clear":
                receiver.value.clear()
                receiver.partial = ()

    # ---- expressions ------------------------------------------------------------
    def unknown(self, node: ast.AST, source: Source) -> Val:
        return Val(Unknown(source.segment(node)), source.span(node))

    def eval(self, node: ast.expr, env: Env, source: Source) -> Val:
        self.spend(1, node, source)
        if isinstance(node, ast.Constant):
            value = node.value
            if value is None or isinstance(value, str | int | float | bool):
                return Val(value, source.span(node))
            return self.unknown(node, source)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd) \
                and isinstance(node.operand, ast.Constant) \
                and isinstance(node.operand.value, int | float) \
                and not isinstance(node.operand.value, bool):
            number = node.operand.value
            return Val(-number if isinstance(node.op, ast.USub) else number, source.span(node))
        if isinstance(node, ast.BinOp | ast.UnaryOp | ast.JoinedStr):
            folded = consts.fold(self, node, env, source)
            return folded if folded is not None else self.unknown(node, source)
        if isinstance(node, ast.Dict):
            result = Val({}, source.span(node))
            for key_node, item in zip(node.keys, node.values, strict=True):
                if key_node is None:
                    self.merge(result, self.eval(item, env, source), source, item)
                    continue
                name = _constant_key(key_node)
                if isinstance(name, str):
                    result.value[name] = (source.span(key_node), self.eval(item, env, source))
                else:
                    result.partial += (source.segment(key_node),)
            return result
        if isinstance(node, ast.List | ast.Tuple):
            result = Val([], source.span(node))
            for elt in node.elts:
                if isinstance(elt, ast.Starred):
                    more = self.eval(elt.value, env, source)
                    if more.is_list and len(result.value) + len(more.value) <= _MAX_ITEMS:
                        self.spend(len(more.value) + len(more.partial), elt, source)
                        result.value.extend(more.value)
                        result.partial = _joined(result.partial, more.partial)
                    else:
                        result.partial += (source.segment(elt.value),)
                else:
                    result.value.append(self.eval(elt, env, source))
            return result
        if isinstance(node, ast.Name):
            bound = env.lookup(node.id)
            if isinstance(bound, Val):
                return bound
            return self.unknown(node, source)
        if isinstance(node, ast.Subscript):
            container = self.eval(node.value, env, source)
            key = _constant_key(node.slice)
            if container.is_dict and isinstance(key, str) and key in container.value:
                member: Val = container.value[key][1]
                return member
            if container.is_list and isinstance(key, int) and not isinstance(key, bool) \
                    and -len(container.value) <= key < len(container.value):
                element: Val = container.value[key]
                return element
            return self.unknown(node, source)
        if isinstance(node, ast.Call):
            return self.call(node, env, source)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and self.attribute_hook is not None:
            owner = env.lookup(node.value.id)
            if isinstance(owner, Val):
                found = self.attribute_hook(owner, node.attr)
                if found is not None:
                    return found
        return self.unknown(node, source)

    def call(self, node: ast.Call, env: Env, source: Source) -> Val:
        func = node.func
        args = node.args
        if isinstance(func, ast.Name) and func.id == "dict" and env.lookup("dict") is None \
                and len(args) <= 1 and not any(isinstance(a, ast.Starred) for a in args):
            result = Val({}, source.span(node))
            if args:
                self.merge(result, self.eval(args[0], env, source), source, args[0])
            for kw in node.keywords:
                self.keyword_into(result, kw, env, source)
            return result
        if isinstance(func, ast.Name) and func.id in ("list", "tuple") and len(args) == 1 \
                and not node.keywords and env.lookup(func.id) is None:
            values_of = args[0]
            if isinstance(values_of, ast.Call) and isinstance(values_of.func, ast.Attribute) \
                    and values_of.func.attr == "values" and not values_of.args:
                mapping = self.eval(values_of.func.value, env, source)
                if mapping.is_dict:  # list(d.values())
                    self.spend(len(mapping.value), node, source)
                    return Val([v for _, v in mapping.value.values()], source.span(node),
                               mapping.partial)
            inner = self.eval(args[0], env, source)
            if inner.is_list:
                self.spend(len(inner.value), node, source)
                return Val(list(inner.value), inner.span, inner.partial, inner.derived)
            return self.unknown(node, source)
        is_deepcopy = (isinstance(func, ast.Name) and func.id == "deepcopy") or (
            isinstance(func, ast.Attribute) and func.attr == "deepcopy")
        if is_deepcopy and len(args) == 1:
            inner = self.eval(args[0], env, source)
            if inner.is_container:
                self.spend(_distinct_vals(inner, self.limits.max_eval_steps), node, source)
                return copy.deepcopy(inner)
            return self.unknown(node, source)
        if isinstance(func, ast.Attribute) and func.attr == "copy" and not args \
                and not node.keywords:
            inner = self.eval(func.value, env, source)
            if inner.is_container:
                self.spend(len(inner.value), node, source)
            if inner.is_dict:
                return Val(dict(inner.value), inner.span, inner.partial)
            if inner.is_list:
                return Val(list(inner.value), inner.span, inner.partial)
            return self.unknown(node, source)
        folded = consts.fold(self, node, env, source)
        if folded is not None:
            return folded
        called = func.id if isinstance(func, ast.Name) else (
            func.attr if isinstance(func, ast.Attribute) else None)
        if called in self.constructors and not (
                isinstance(func, ast.Name) and env.lookup(func.id) is not None):
            return self.constructors[called](self, node, env, source)
        if isinstance(func, ast.Name):
            bound = env.lookup(func.id)
            if isinstance(bound, Function):
                returned = self.call_local(bound)
                if returned is not None:
                    return returned
        return self.unknown(node, source)

    def call_local(self, function: Function) -> Val | None:
        """What a local function returns, if its body returns a value at its top level
        (parameters are Unknown)."""
        if self.depth >= _MAX_CALL_DEPTH or self.local_calls >= _MAX_LOCAL_CALLS:
            return None
        self.local_calls += 1
        local = Env(function.env.function_scope())
        for name in _parameters(function.node):
            local.bind(name, None)
        saved = self.collecting
        self.collecting, self.depth = False, self.depth + 1
        try:
            for stmt in function.node.body:
                if isinstance(stmt, ast.Return):
                    if stmt.value is None:
                        return None
                    return self.eval(stmt.value, local, function.source)
                self.stmt(stmt, local, function.source)
            return None
        finally:
            self.collecting, self.depth = saved, self.depth - 1

    def merge(self, into: Val, spread: Val, source: Source, node: ast.expr) -> None:
        """``{**spread}`` / ``x.update(spread)`` / ``dict(spread)``."""
        if spread.is_dict:
            self.spend(len(spread.value) + len(spread.partial), node, source)
            into.value.update(spread.value)
            into.partial = _joined(into.partial, spread.partial)
        else:
            into.partial += (source.segment(node),)

    def keyword_into(self, into: Val, kw: ast.keyword, env: Env, source: Source) -> None:
        if kw.arg is None:
            self.merge(into, self.eval(kw.value, env, source), source, kw.value)
        else:
            key = source.name_span(kw, kw.arg)
            self.keyword_keys.add(key)
            into.value[kw.arg] = (key, self.eval(kw.value, env, source))


def _joined(first: tuple[str, ...], more: tuple[str, ...]) -> tuple[str, ...]:
    """The sources of unknown members of both, each once (``{**a, **a}`` chains must not
    double them at every step)."""
    if not more:
        return first
    return tuple(dict.fromkeys(first + more))


def _distinct_vals(root: Val, limit: int) -> int:
    """How many distinct Vals ``root`` holds (what ``deepcopy`` copies), counting at most
    ``limit + 1``."""
    seen: set[int] = set()
    stack = [root]
    while stack and len(seen) <= limit:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        if v.is_dict:
            stack.extend(child for _k, child in v.value.values())
        elif v.is_list:
            stack.extend(v.value)
    return len(seen)


def _may_hold_call(stmt: ast.stmt, source: Source) -> bool:
    lines = source.call_lines
    if lines is None:
        return True
    start = min([stmt.lineno, *(d.lineno for d in getattr(stmt, "decorator_list", ()))])
    i = bisect.bisect_left(lines, start)
    end = getattr(stmt, "end_lineno", None) or stmt.lineno
    return i < len(lines) and lines[i] <= end


# Calls that do not change the containers passed to them (a reader's assumption).
NON_MUTATING = frozenset({
    "print", "len", "str", "repr", "format", "isinstance", "type", "id", "hash", "bool",
    "sorted", "reversed", "enumerate", "zip", "iter", "any", "all", "dict", "list",
    "tuple", "set", "frozenset", "deepcopy", "copy", "dumps", "dump", "pprint", "pp",
    "display", "debug", "info", "warning", "warn", "error", "exception", "critical", "log",
    "append", "extend", "insert", "update", "setdefault", "get", "pop", "index", "count",
    "startswith", "endswith", "join", "DataFrame", "Markdown", "JSON",
})


def _may_mutate_arguments(call: ast.Call) -> bool:
    """Whether ``call`` passes a name (or part of one) to a function that might change
    it: ``fill_in_role(definition)``."""
    func = call.func
    called = func.id if isinstance(func, ast.Name) else (
        func.attr if isinstance(func, ast.Attribute) else None)
    if called in NON_MUTATING:
        return False
    return any(isinstance(_root(a), ast.Name) for a in _arguments(call))


def _known_call(interp: Interpreter, call: ast.Call) -> bool:
    """A call the interpreter reads itself (a constructor such as ``Estimator(...)``, a
    method hook such as ``set_hyperparameters``): it copies what it is given."""
    func = call.func
    called = func.id if isinstance(func, ast.Name) else (
        func.attr if isinstance(func, ast.Attribute) else None)
    return called in interp.constructors or called in interp.method_hooks


def _arguments(call: ast.Call) -> Iterator[ast.expr]:
    for arg in call.args:
        yield arg.value if isinstance(arg, ast.Starred) else arg
    for kw in call.keywords:
        if kw.arg is not None:  # **x passes a copy
            yield kw.value


def _root(node: ast.expr) -> ast.expr:
    while isinstance(node, ast.Subscript):
        node = node.value
    return node


def prepare(interp: Interpreter, modules: list[tuple[ast.Module, Source]]) -> None:
    """One walk over the program: the names it reads, and where calls of interest are."""
    read: set[str] = set()
    for tree, source in modules:
        lines = []
        escapes = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                read.add(node.id)
            elif isinstance(node, ast.Global | ast.Nonlocal):
                interp.unstable_names.update(node.names)
            elif isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
                interp.unstable_names.add(node.target.id)  # ``(n := 5)`` is not followed
            elif isinstance(node, ast.Call):
                if interp.match(node):
                    lines.append(node.lineno)
                elif _may_mutate_arguments(node) and not _known_call(interp, node):
                    escapes.append(node)
        source.call_lines = sorted(lines)
        source.escapes = sorted(escapes, key=lambda c: (c.lineno, c.col_offset))
        source.escape_lines = [c.lineno for c in source.escapes]
    interp.read_names = read


def _text(value: Val) -> str:
    v = value.value
    if isinstance(v, Unknown):
        return v.source
    return "{...}" if value.is_dict else "[...]" if value.is_list else repr(v)


def _parameters(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> Iterator[str]:
    a = node.args
    for arg in (*a.posonlyargs, *a.args, *a.kwonlyargs):
        yield arg.arg
    if a.vararg:
        yield a.vararg.arg
    if a.kwarg:
        yield a.kwarg.arg


def _constant_key(node: ast.expr) -> object:
    if isinstance(node, ast.Constant) and isinstance(node.value, str | int):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) \
            and isinstance(node.operand, ast.Constant) and type(node.operand.value) is int:
        return -node.operand.value
    return None


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _calls_in(stmt: ast.stmt) -> list[tuple[ast.Call, frozenset[str]]]:
    """Calls in a statement's own expressions (not in the bodies it contains: for a
    ``def`` or ``class``, its decorators, defaults and bases), in source order, each with
    the names a lambda or comprehension around it binds."""
    calls: list[tuple[ast.Call, frozenset[str]]] = []
    stack: list[tuple[ast.AST, frozenset[str]]] = []
    for name, value in ast.iter_fields(stmt):
        if name in _BODY_FIELDS:
            continue
        if isinstance(value, list):
            stack.extend((v, frozenset()) for v in value if isinstance(v, ast.AST))
        elif isinstance(value, ast.AST):
            stack.append((value, frozenset()))
    while stack:
        node, hidden = stack.pop()
        if isinstance(node, ast.Call):
            calls.append((node, hidden))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        if isinstance(node, ast.Lambda):
            hidden = hidden | frozenset(_parameters(node))
        elif isinstance(node, _COMPREHENSIONS):
            hidden = hidden | frozenset(
                n.id for g in node.generators for n in ast.walk(g.target)
                if isinstance(n, ast.Name))
        stack.extend((child, hidden) for child in ast.iter_child_nodes(node))
    calls.sort(key=lambda c: (c[0].lineno, c[0].col_offset))
    return calls


def _all_calls(node: ast.AST) -> Iterator[ast.Call]:
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            yield child


def flatten(val: Val, limits: Limits, root_key: Span | None = None,
            keyword_keys: set[Span] | frozenset[Span] = frozenset()) -> tuple[Any, SourceMap]:
    """Request data and its SourceMap from a Val tree (aliases are expanded; a cycle
    becomes Unknown)."""
    smap = SourceMap()
    budget = [limits.max_nodes]

    def go(v: Val, path: JsonPath, key: Span | None, active: tuple[int, ...]) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            raise LoadError(f"the request expands to more than {limits.max_nodes:,} values; "
                            "refusing to load it", v.span.line, v.span.column)
        if len(path) > limits.max_depth:
            raise LoadError(f"nesting deeper than {limits.max_depth} levels", v.span.line,
                            v.span.column)
        style = DERIVED if v.derived else (KEYWORD if key in keyword_keys else None)
        smap.entries[path] = Entry(v.span, key, style)
        if id(v) in active:
            return Unknown("<a value that contains itself>")
        if v.is_dict:
            out: dict[str, Any] = PartialDict() if v.partial else {}
            if v.partial:
                out.unknown_sources = tuple(dict.fromkeys(v.partial))  # type: ignore[attr-defined]
                out.may_add = getattr(v, "adds", None)  # type: ignore[attr-defined]
            for k, (kspan, child) in v.value.items():
                out[k] = go(child, path + (k,), kspan, (*active, id(v)))
            return out
        if v.is_list:
            items: list[Any] = PartialList() if v.partial else []
            if v.partial:
                items.unknown_sources = tuple(dict.fromkeys(v.partial))  # type: ignore[attr-defined]
            for i, child in enumerate(v.value):
                items.append(go(child, path + (i,), None, (*active, id(v))))
            return items
        return v.value

    data = go(val, (), root_key, ())
    return data, smap
