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

from hpt_lint.config import Config, for_file
from hpt_lint.loaders import LoadError, load_text, read_text, supported
from hpt_lint.loaders.limits import Limits
from hpt_lint.redact import EMPTY, Redactor, for_requests, scrub_tokens
from hpt_lint.request import PartialDict, PartialList, Request, Unknown


def to_json(value: Any, masker: Redactor = EMPTY) -> Any:
    """JSON for a request value, with every secret masked (a value at a flagged path
    whole, so an unknown value's source cannot show a literal spelled differently)."""
    return _json(masker.scrub(value))


def _json(value: Any) -> Any:
    if isinstance(value, Unknown):
        return {"$unknown": value.source}
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        if isinstance(value, PartialDict):
            out["$partial"] = list(value.unknown_sources)
        for key, child in value.items():
            out[str(key)] = _json(child)
        return out
    if isinstance(value, list):
        items = [_json(child) for child in value]
        if isinstance(value, PartialList):
            return {"$partial": list(value.unknown_sources), "$items": items}
        return items
    if isinstance(value, float) and not math.isfinite(value):
        return {"$unknown": repr(value)}
    return value


def describe(request: Request) -> dict[str, Any]:
    masker = for_requests([request])
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
    """``{"requests": [...], "errors": [...]}`` for the files under ``paths``."""
    from hpt_lint.discover import discover

    requests: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for path in discover(paths):
        file = str(path)
        if not supported(path):
            continue  # named explicitly, but not a kind of file hpt-lint reads
        config = for_file(path, base or Config())
        limits = Limits(max_bytes=config.max_file_size)
        try:
            text = read_text(path, limits)
            found = load_text(text, file, None, limits)
        except LoadError as exc:
            errors.append({"file": file, "line": exc.line, "column": exc.column,
                           "message": scrub_tokens(exc.message)})
            continue
        except RecursionError:
            errors.append({"file": file, "line": 1, "column": 1,
                           "message": "nesting too deep to load safely"})
            continue
        requests.extend(describe(r) for r in found)
    return {"requests": requests, "errors": errors}


def render(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"
