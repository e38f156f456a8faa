"""Step Functions Task states written as Python dict literals (the Step Functions Data
Science SDK's tests and generators, hand-built state machines):
``{"Type": "Task", "Resource": "arn:aws:states:::sagemaker:createHyperParameterTuningJob",
"Parameters": {...}}``.

Each dict literal whose ``Resource`` is such an ARN is evaluated by the Python static
evaluator with the module's names as they stand after the module runs (names bound in
a function body are not followed: they are Unknown), then read as a state by the Step
Functions source (``.$`` keys, JSONata, ``${...}`` are Unknown there).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from hpt_lint.loaders.document import Document
from hpt_lint.loaders.limits import Limits
from hpt_lint.loaders.python_source import Source
from hpt_lint.loaders.python_static import Env, Interpreter, Val, flatten
from hpt_lint.loaders.stepfunctions import RESOURCE
from hpt_lint.request import JsonPath, SourceMap

MARKER = "createHyperParameterTuningJob"
STATE_NAME = "<state>"


def state_dicts(tree: ast.Module) -> Iterator[ast.Dict]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Dict):
            continue
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and key.value == "Resource" \
                    and isinstance(value, ast.Constant) and isinstance(value.value, str) \
                    and RESOURCE.match(value.value):
                yield node
                break


def state_documents(interp: Interpreter, env: Env, tree: ast.Module, source: Source,
                    limits: Limits) -> list[Document]:
    """One Document per tuning state, shaped as an ASL definition holding that state
    (so the Step Functions extractor reads it), located in the file."""
    docs: list[Document] = []
    nodes = sorted(state_dicts(tree), key=lambda n: (n.lineno, n.col_offset))
    for node in nodes:
        val: Val = interp.eval(node, env, source)
        if not val.is_dict:
            continue
        data, smap = flatten(val, limits)
        prefix: JsonPath = ("States", STATE_NAME)
        wrapped = SourceMap({(*prefix, *p): e for p, e in smap.entries.items()})
        root = smap.get(())
        if root is not None:
            wrapped.entries[()] = root
            wrapped.entries[("States",)] = root
        docs.append(Document({"States": {STATE_NAME: data}}, wrapped, len(docs)))
    return docs
