"""The Python API: lint a request dict you built in code, or files, as data.

``lint_request`` checks one request dict (the keyword arguments of
``create_hyper_parameter_tuning_job``). A dict has no file, so its findings are
located in the request's canonical JSON rendering, ``request_text(request)``
(``json.dumps(request, indent=2)``): ``file`` is ``"<request>"``, ``line`` and
``column`` are real 1-based positions in that text, and ``json_path`` says where
the value is in the dict. Every rule that runs on files runs on the dict, with the
same messages, and secrets are masked the same way.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from hpt_lint.config import DEFAULT, Config
from hpt_lint.findings import Finding

if TYPE_CHECKING:
    from mypy_boto3_sagemaker.type_defs import CreateHyperParameterTuningJobRequestTypeDef

    from hpt_lint.lint import FileResult

REQUEST_FILE = "<request>"


class _Unrenderable(Exception):
    """A request that JSON cannot hold whatever its values: too deep, recursive, or an
    integer too long to write. The file would be HPT001; so is the dict."""


def _plain(value: object) -> object:
    """JSON data for a request value: mappings -> dicts, tuples -> lists. A value
    JSON cannot hold (a NaN, a datetime, bytes) becomes its repr, a string, so the
    type rules report it instead of the rendering failing. Iterative, bounded by the
    loaders' depth limit, and refusing a request that contains itself."""
    from hpt_lint.loaders.limits import DEFAULT_LIMITS

    root: list[object] = [None]
    # (value, container to fill, slot, depth, ids of the containers above)
    stack: list[tuple[object, Any, Any, int, frozenset[int]]] = [
        (value, root, 0, 0, frozenset())]
    while stack:
        item, into, slot, depth, above = stack.pop()
        if isinstance(item, Mapping | list | tuple):
            if id(item) in above:
                raise _Unrenderable("the request contains itself (a recursive structure); "
                                    "requests cannot be recursive")
            if depth > DEFAULT_LIMITS.max_depth:
                raise _Unrenderable(f"nesting deeper than {DEFAULT_LIMITS.max_depth} levels")
            inner = above | {id(item)}
            if isinstance(item, Mapping):
                out: Any = {str(k): None for k in item}
                pairs = [(str(k), v) for k, v in item.items()]
            else:
                out = [None] * len(item)
                pairs = list(enumerate(item))
            stack.extend((v, out, k, depth + 1, inner) for k, v in reversed(pairs))
            into[slot] = out
        elif item is None or isinstance(item, str | bool):
            into[slot] = item
        elif isinstance(item, int):
            if item.bit_length() > 14_000 and not _writable(item):
                raise _Unrenderable("number too large to read (an integer of more than 4300 "
                                    "digits)")
            into[slot] = item
        elif isinstance(item, float) and math.isfinite(item):
            into[slot] = item
        else:
            into[slot] = _repr(item)
    return root[0]


def _writable(number: int) -> bool:
    """Whether Python will write ``number`` in decimal (at most 4,300 digits by default)."""
    try:
        str(number)
    except ValueError:
        return False
    return True


def _repr(value: object) -> str:
    try:
        return repr(value)
    except Exception:  # a repr that fails (or recurses) must not fail the lint
        return f"<{type(value).__name__}>"


def request_text(request: CreateHyperParameterTuningJobRequestTypeDef | Mapping[str, Any]
                 ) -> str:
    """The text that ``lint_request`` findings' lines and columns point into."""
    return json.dumps(_plain(request), indent=2, ensure_ascii=False) + "\n"


def lint_request(request: CreateHyperParameterTuningJobRequestTypeDef | Mapping[str, Any],
                 *, config: Config | None = None) -> list[Finding]:
    """Findings for one request dict, sorted, with secrets masked.

    ``config`` selects rules and severities as on the command line (default: the
    default rule set). Raises ``TypeError`` if ``request`` is not a mapping.
    """
    if not isinstance(request, Mapping):
        raise TypeError(f"a request is a mapping (the keyword arguments of "
                        f"create_hyper_parameter_tuning_job), not {type(request).__name__}")
    from hpt_lint import engine
    from hpt_lint.lint import _file_finding as file_finding
    from hpt_lint.loaders import LoadError
    from hpt_lint.loaders.json_loader import load_json
    from hpt_lint.loaders.limits import Limits
    from hpt_lint.request import Request

    cfg = config or DEFAULT
    try:
        text = request_text(request)
    except _Unrenderable as exc:  # the same HPT001 a file would get
        if not cfg.rule_enabled("HPT001", True):
            return []
        return [file_finding("HPT001", REQUEST_FILE, str(exc), 1, 1, cfg)]
    try:
        (doc,) = load_json(text, Limits(max_bytes=max(cfg.max_file_size, len(text))))
    except LoadError as exc:  # nesting too deep: the same HPT001 a file would get
        if not cfg.rule_enabled("HPT001", True):
            return []
        return [file_finding("HPT001", REQUEST_FILE, exc.message, exc.line, exc.column, cfg)]
    req = Request(REQUEST_FILE, "json", doc.value, doc.source_map, 0, list(doc.notes))
    findings, _crashed = engine.check_request(req, cfg)  # a crash is an HPT000 finding
    return sorted(findings, key=Finding.sort_key)


def lint_paths(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
               config: Config | None = None) -> list[FileResult]:
    """What ``hpt-lint check PATHS`` does, as data: one ``FileResult`` per file read
    (directories are walked as on the command line), each with its ``findings``."""
    from hpt_lint import lint

    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    return lint.lint_paths([os.fspath(p) for p in paths], config or DEFAULT)
