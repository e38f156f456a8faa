"""``hpt-lint extract``: every request found, as JSON, exactly as the rules see it.

Unknown values are ``{"$unknown": "<source text>"}``; a mapping that may hold
members we cannot see carries ``"$partial": [<sources>]`` first; a list that may
hold more items is ``{"$partial": [<sources>], "$items": [...]}``. Secrets are
masked as in every other output. Deterministic: files in discovery order,
requests in file order, members in written order.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hpt_lint.config import Config
from hpt_lint.loaders import LoadError, load_text, mentions_request, read_text, supported
from hpt_lint.loaders.limits import Limits
from hpt_lint.request import PartialDict, PartialList, Request, Unknown
from hpt_lint.secret_scan import Masker, secrets_in


def to_json(value: Any, masker: Masker) -> Any:
    if isinstance(value, Unknown):
        return {"$unknown": masker.mask(value.source)}
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        if isinstance(value, PartialDict):
            out["$partial"] = [masker.mask(s) for s in value.unknown_sources]
        for key, child in value.items():
            out[masker.mask(str(key))] = to_json(child, masker)
        return out
    if isinstance(value, list):
        items = [to_json(child, masker) for child in value]
        if isinstance(value, PartialList):
            return {"$partial": [masker.mask(s) for s in value.unknown_sources],
                    "$items": items}
        return items
    if isinstance(value, str):
        return masker.mask(value)
    if isinstance(value, float) and not math.isfinite(value):
        return {"$unknown": repr(value)}
    return value


def describe(request: Request) -> dict[str, Any]:
    masker = Masker(s.value for s in secrets_in(request))
    root = request.source_map.get(())
    span = (root.key or root.value) if root is not None else None
    item: dict[str, Any] = {
        "file": request.file,
        "index": request.index,
        "kind": request.kind,
        "line": span.line if span else 1,
        "column": span.column if span else 1,
    }
    context = request.source_map.context.get(item["line"])
    if context:
        item["context"] = context
    item["request"] = to_json(request.data, masker)
    return item


def extract(paths: Iterable[str | Path], base: Config | None = None) -> dict[str, Any]:
    """``{"requests": [...], "errors": [...]}`` for the files under ``paths``: the files
    ``check`` reads, and an error exactly where ``check`` reports HPT001 for a file (a
    file that does not parse and names no request member is not one)."""
    from hpt_lint.lint import select_files, unreadable_but_not_a_request

    requests: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for path, config in select_files(paths, base or Config()):
        file = str(path)
        if not supported(path):
            continue  # named explicitly, but not a kind of file hpt-lint reads
        limits = Limits(max_bytes=config.max_file_size)
        reports = config.rule_enabled("HPT001", True)
        try:
            text = read_text(path, limits)
        except LoadError as exc:
            if reports and not unreadable_but_not_a_request(path, config):
                errors.append({"file": file, "line": exc.line, "column": exc.column,
                               "message": exc.message})
            continue
        try:
            found = load_text(text, file, None, limits)
        except (LoadError, RecursionError) as exc:
            error = exc if isinstance(exc, LoadError) else LoadError(
                "nesting too deep to load safely")
            if reports and mentions_request(text):
                errors.append({"file": file, "line": error.line, "column": error.column,
                               "message": error.message})
            continue
        requests.extend(describe(r) for r in found)
    return {"requests": requests, "errors": errors}


def render(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"
