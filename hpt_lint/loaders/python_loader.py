"""Python source: every ``<client>.create_hyper_parameter_tuning_job(...)`` call and every
SageMaker SDK ``HyperparameterTuner(...)``, read statically with ``ast``.

The file is parsed, never run or imported. The request at a boto3 call is its
keyword arguments (and ``**mapping``), resolved as ``python_static`` describes;
an SDK tuner is turned into the request the SDK would send by ``sdk``.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Iterable
from typing import Any

from hpt_lint.loaders.document import Document
from hpt_lint.loaders.errors import LoadError
from hpt_lint.loaders.limits import DEFAULT_LIMITS, Limits
from hpt_lint.loaders.python_source import Source
from hpt_lint.loaders.python_static import Env, Interpreter, Val, flatten, prepare
from hpt_lint.loaders.sdk import (
    RANGE_KINDS,
    TUNER,
    multi_tuner_request,
    range_constructor,
    tuner_request,
)
from hpt_lint.loaders.sdk_estimator import (
    KINDS,
    estimator_attribute,
    estimator_constructor,
    image_hint_call,
    is_image_call,
    set_estimator_attribute,
    set_hyperparameters,
)

BOTO3_METHOD = "create_hyper_parameter_tuning_job"
MARKERS = (BOTO3_METHOD, TUNER)
# The request members of CreateHyperParameterTuningJob (a test keeps this in step with
# the schema). A call of a method named like the API is a request only when it passes
# one of them, or a ``**mapping`` that may hold them: ``self.backend.create_hyper_
# parameter_tuning_job(hyper_parameter_tuning_job_name=...)`` is a mock's own method.
API_MEMBERS = frozenset({
    "HyperParameterTuningJobName", "HyperParameterTuningJobConfig", "TrainingJobDefinition",
    "TrainingJobDefinitions", "WarmStartConfig", "Tags", "Autotune",
})


def passes_request_members(call: ast.Call) -> bool:
    return any(kw.arg is None or kw.arg in API_MEMBERS for kw in call.keywords)


def match(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute):
        if func.attr == BOTO3_METHOD:
            return "boto3" if passes_request_members(call) else None
        if func.attr == TUNER:
            return "sdk"
    elif isinstance(func, ast.Name) and func.id == TUNER:
        return "sdk"
    if isinstance(func, ast.Attribute) and func.attr == "create":
        owner = func.value
        if (isinstance(owner, ast.Name) and owner.id == TUNER) or (
                isinstance(owner, ast.Attribute) and owner.attr == TUNER):
            return "sdk_multi"
    return None


def boto3_request(interp: Interpreter, call: ast.Call, env: Env, source: Source) -> Val:
    """The request of ``client.create_hyper_parameter_tuning_job(**kwargs)``: its keyword
    arguments. The root is located at the method name."""
    func = call.func
    assert isinstance(func, ast.Attribute)
    root = Val({}, source.name_span(func, func.attr, at_end=True))
    for kw in call.keywords:
        interp.keyword_into(root, kw, env, source)
    return root


def parse(source: Source) -> ast.Module:
    """``ast.parse`` that reports every failure as LoadError (never runs anything)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(source.text, type_comments=False)
    except SyntaxError as exc:
        line = exc.lineno or 1
        col = exc.offset or 1
        line, col = source.mapper(line, col) if source.mapper else (line, col)
        raise LoadError(f"invalid Python: {exc.msg}", line, col) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise LoadError(f"invalid Python: {exc}") from None


_TOKEN = re.compile(r"\w+|[^\w\s]")


def count_tokens(text: str) -> int:
    """At least the number of Python tokens in ``text`` (counted in C; words in strings
    and comments count too)."""
    return _TOKEN.subn("", text)[1]


def too_many_tokens(limits: Limits) -> str:
    return f"the code has more than {limits.max_python_tokens:,} tokens; refusing to parse it"


def check_tokens(text: str, limits: Limits) -> None:
    """Refuse code with more than ``limits.max_python_tokens`` tokens before ``ast.parse``
    builds a tree for it (about 1 KB of memory per token). A file has at most as many
    tokens as characters, so a small file is not counted."""
    if len(text) > limits.max_python_tokens and count_tokens(text) > limits.max_python_tokens:
        raise LoadError(too_many_tokens(limits))


def mentions_a_call(text: str) -> bool:
    return any(marker in text for marker in MARKERS)


def analyse(modules: Iterable[tuple[ast.Module, Source]], kind: str,
            limits: Limits) -> list[Document]:
    """Run the modules in order as one program (a notebook's cells) and return one
    Document per call found, in source order."""
    interp = Interpreter(builders={"boto3": boto3_request, "sdk": tuner_request,
                                   "sdk_multi": multi_tuner_request}, match=match,
                         constructors=_constructors(),
                         method_hooks={"set_hyperparameters": set_hyperparameters},
                         attribute_hook=estimator_attribute,
                         attribute_setter=set_estimator_attribute, limits=limits)
    env = Env()
    modules = list(modules)
    prepare(interp, modules)
    for tree, source in modules:
        interp.run_module(tree, env, source)
    interp.finish()
    docs: list[Document] = []
    for found in sorted(interp.found, key=lambda f: (f.value.span.line, f.value.span.column)):
        data, smap = flatten(found.value, limits, keyword_keys=interp.keyword_keys)
        docs.append(Document(data, smap, len(docs),
                             kind="sdk" if found.kind.startswith("sdk") else kind))
    return docs


# module roots whose ``Estimator`` is not the SageMaker SDK's (``tf.estimator.Estimator``)
FOREIGN_ROOTS = frozenset({"tf", "tensorflow", "keras", "sklearn", "torch"})


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _sdk_estimator(interp: Interpreter, call: ast.Call, env: Env, source: Source) -> Val:
    if isinstance(call.func, ast.Attribute) and _root_name(call.func) in FOREIGN_ROOTS:
        return interp.unknown(call, source)
    return estimator_constructor(interp, call, env, source)


def _image(interp: Interpreter, call: ast.Call, env: Env, source: Source) -> Val:
    if not is_image_call(call):
        return interp.unknown(call, source)
    return image_hint_call(interp, call, env, source)


def _constructors() -> dict[str, Any]:
    """Calls whose result a reader knows, by the called name."""
    known: dict[str, Any] = dict.fromkeys(RANGE_KINDS, range_constructor)
    known.update(dict.fromkeys(KINDS, _sdk_estimator))
    known.update(dict.fromkeys(("retrieve", "get_image_uri"), _image))
    return known


def load_python(text: str, limits: Limits = DEFAULT_LIMITS) -> list[Document]:
    if not mentions_a_call(text):
        return []  # nothing to find: skip parsing (directory walks read every .py)
    check_tokens(text, limits)
    source = Source(text)
    tree = parse(source)
    try:
        return analyse([(tree, source)], "python", limits)
    except RecursionError:
        raise LoadError("the code nests too deeply to read safely") from None
