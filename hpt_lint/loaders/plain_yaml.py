"""Settings YAML (config and policy files) through the request loader's guards.

``.hpt-lint.yaml`` and policy files are as untrusted as the files they lint: an
alias bomb, a 3,000-deep value or a 5 MB flow list in them must stop as early as in
a request. So they are read by ``load_yaml`` under ``CONFIG_LIMITS`` and turned into
plain data; every problem is a ``LoadError`` with a position.
"""

from __future__ import annotations

import math
from typing import Any

from hpt_lint.loaders.errors import LoadError
from hpt_lint.loaders.limits import CONFIG_LIMITS, Limits
from hpt_lint.loaders.yaml_loader import load_yaml
from hpt_lint.request import Unknown


def load_plain_yaml(text: str, limits: Limits = CONFIG_LIMITS) -> Any:
    """The one document in ``text`` as plain data (None when empty). A mapping key that
    is not a string (``123:``, ``~:``) is kept as the text written, so the settings
    schema names it; a CloudFormation tag is refused."""
    if len(text) > limits.max_bytes:
        raise LoadError(f"the file is larger than the {limits.max_bytes:,}-byte limit")
    docs = load_yaml(text, limits)
    if len(docs) > 1:
        raise LoadError("expected one YAML document, found several",
                        *_line_of(docs[1].source_map))
    if not docs:
        return None
    doc = docs[0]
    bad = unusable_value(doc.value)
    if bad is not None:
        path, why = bad
        entry = doc.source_map.get(path)
        where = (entry.value.line, entry.value.column) if entry is not None else (1, 1)
        raise LoadError(why, *where)
    return doc.value


def unusable_value(value: Any) -> tuple[tuple[Any, ...], str] | None:
    """(path, why) of the first value no setting can hold: a YAML tag the loader did not
    construct (``!Ref``), or a number that is not finite (``.nan``, ``.inf``: every
    comparison with NaN is false, so a NaN budget would let everything pass)."""
    stack: list[tuple[tuple[Any, ...], Any]] = [((), value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, Unknown):
            return path, "YAML tags such as !Ref are not read in settings files"
        if isinstance(item, float) and not math.isfinite(item):
            return path, f"{item} is not a usable number here (it must be finite)"
        if isinstance(item, dict):
            stack.extend((path + (k,), v) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((path + (i,), v) for i, v in enumerate(item))
    return None


def _line_of(smap: Any) -> tuple[int, int]:
    entry = smap.entries.get(())
    return (entry.value.line, entry.value.column) if entry is not None else (1, 1)
