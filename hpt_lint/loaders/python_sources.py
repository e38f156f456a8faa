"""A ``.py`` file: every source of requests Python code can hold.

``python_loader`` reads boto3 calls and SageMaker SDK tuners; this module adds the
Airflow operator and hook (``airflow``) and Step Functions states written as dict
literals (``python_states``), each read by the same static evaluator, and returns
all of them in source order. A file that names none of their markers is not parsed.
"""

from __future__ import annotations

import ast

from hpt_lint.loaders import airflow, python_states
from hpt_lint.loaders.document import Document
from hpt_lint.loaders.errors import LoadError
from hpt_lint.loaders.limits import DEFAULT_LIMITS, Limits
from hpt_lint.loaders.python_loader import load_python, parse
from hpt_lint.loaders.python_source import Source
from hpt_lint.loaders.python_static import Env, Interpreter, flatten, prepare


def load_python_sources(text: str, limits: Limits = DEFAULT_LIMITS) -> list[Document]:
    docs = load_python(text, limits)
    has_operator = airflow.OPERATOR in text
    has_hook = airflow.HOOK_METHOD in text and airflow.HOOK_CLASS in text
    has_states = python_states.MARKER in text
    if not (has_operator or has_hook or has_states):
        return docs
    try:
        docs += _more(text, limits, has_hook, has_states)
    except RecursionError:
        raise LoadError("the code nests too deeply to read safely") from None
    docs.sort(key=_position)
    for index, doc in enumerate(docs):
        doc.index = index
    return docs


def _more(text: str, limits: Limits, has_hook: bool, has_states: bool) -> list[Document]:
    source = Source(text)
    tree = parse(source)

    def match(call: ast.Call) -> str | None:
        kind = airflow.match(call)
        return None if kind == "hook" and not has_hook else kind

    interp = Interpreter(builders=dict(airflow.BUILDERS), match=match)
    prepare(interp, [(tree, source)])
    env = Env()
    interp.run_module(tree, env, source)
    interp.finish()
    docs = []
    for found in interp.found:
        data, smap = flatten(found.value, limits, keyword_keys=interp.keyword_keys)
        docs.append(Document(data, smap, kind=airflow.KIND))
    if has_states:
        docs += python_states.state_documents(interp, env, tree, source, limits)
    return docs


def _position(doc: Document) -> tuple[int, int]:
    root = doc.source_map.get(())
    return (root.value.line, root.value.column) if root is not None else (0, 0)
