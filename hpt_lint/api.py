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


def _plain(value: object) -> object:
    """JSON data for a request value: mappings -> dicts, tuples -> lists. A value
    JSON cannot hold (a NaN, a datetime, bytes) becomes its repr, a string, so the
    type rules report it instead of the rendering failing."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    return repr(value)


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
    text = request_text(request)
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
