"""Shared views of a request for rules: definitions, ranges, numbers.

Everything here tolerates a malformed request (wrong types are structural faults
reported elsewhere) and Unknown values (never guessed about): it yields only what
it can see for sure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

from hpt_lint.request import JsonPath, Request, Unknown

CONFIG = "HyperParameterTuningJobConfig"
RANGE_KINDS = ("IntegerParameterRanges", "ContinuousParameterRanges",
               "CategoricalParameterRanges")
_DECIMAL = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")


def config(request: Request) -> dict[str, Any]:
    value = request.data.get(CONFIG)
    return value if isinstance(value, dict) else {}


def definitions(request: Request) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """(path, definition) for ``TrainingJobDefinition`` or each of ``TrainingJobDefinitions``."""
    single = request.data.get("TrainingJobDefinition")
    if isinstance(single, dict):
        yield ("TrainingJobDefinition",), single
    many = request.data.get("TrainingJobDefinitions")
    if isinstance(many, list):
        for i, item in enumerate(many):
            if isinstance(item, dict):
                yield ("TrainingJobDefinitions", i), item


def parameter_ranges(request: Request) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """(path, ParameterRanges) from the config and from each definition."""
    ranges = config(request).get("ParameterRanges")
    if isinstance(ranges, dict):
        yield (CONFIG, "ParameterRanges"), ranges
    for dpath, definition in definitions(request):
        ranges = definition.get("HyperParameterRanges")
        if isinstance(ranges, dict):
            yield dpath + ("HyperParameterRanges",), ranges


def ranges_of(request: Request, *kinds: str) -> Iterator[tuple[JsonPath, str, dict[str, Any]]]:
    """(path, kind, range) for every range of the given kinds (default: all three)."""
    for rpath, ranges in parameter_ranges(request):
        for kind in kinds or RANGE_KINDS:
            items = ranges.get(kind)
            if isinstance(items, list):
                for i, item in enumerate(items):
                    if isinstance(item, dict):
                        yield rpath + (kind, i), kind, item


def number(value: Any) -> float | None:
    """A finite decimal written as a string (the API's MinValue/MaxValue), else None."""
    if isinstance(value, str) and _DECIMAL.match(value.strip()):
        result = float(value)
        return result if math.isfinite(result) else None
    return None


def integer(value: Any) -> int | None:
    if isinstance(value, str) and _INTEGER.match(value.strip()):
        return int(value)
    return None


def known_int(value: Any) -> int | None:
    """An integer field's value when it is really an integer (not bool, not Unknown)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def is_known(value: Any) -> bool:
    return not isinstance(value, Unknown)
