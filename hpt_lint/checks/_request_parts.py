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

from hpt_lint.request import JsonPath, PartialDict, PartialList, Request, Unknown, get_path

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


# --- shared by HPT2xx, HPT3xx and HPT7xx -------------------------------------------------

DEFINITION_PATTERNS: tuple[JsonPath, ...] = (("TrainingJobDefinition",),
                                             ("TrainingJobDefinitions", "*"))
# where a ParameterRanges block can sit (as path patterns, "*" = any index)
RANGE_BLOCK_PATTERNS: tuple[JsonPath, ...] = (
    (CONFIG, "ParameterRanges"),
    ("TrainingJobDefinition", "HyperParameterRanges"),
    ("TrainingJobDefinitions", "*", "HyperParameterRanges"),
)
OBJECTIVE_METRIC_HYPERPARAMETER = "_tuning_objective_metric"


def under_definitions(*tail: str) -> tuple[JsonPath, ...]:
    """``tail`` below either definition form, as path patterns for ``Rule.supersedes``."""
    return tuple(p + tail for p in DEFINITION_PATTERNS)


def is_multi_definition(request: Request) -> bool:
    return isinstance(request.data.get("TrainingJobDefinitions"), list)


def range_names(ranges: dict[str, Any], kinds: tuple[str, ...] = RANGE_KINDS
                ) -> Iterator[tuple[JsonPath, str]]:
    """(relative path of the ``Name`` value, name) for each range of ``kinds`` whose name is a
    known string, in list order."""
    for kind in kinds:
        items = ranges.get(kind)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if isinstance(item, dict) and isinstance(item.get("Name"), str):
                yield (kind, i, "Name"), item["Name"]


def blocks_for_definition(request: Request, dpath: JsonPath, definition: dict[str, Any]
                          ) -> list[tuple[JsonPath, dict[str, Any]]]:
    """The ParameterRanges blocks whose ranges the training jobs of one definition tune:
    the config's ``ParameterRanges`` and the definition's own ``HyperParameterRanges``."""
    out: list[tuple[JsonPath, dict[str, Any]]] = []
    ranges = config(request).get("ParameterRanges")
    if isinstance(ranges, dict):
        out.append(((CONFIG, "ParameterRanges"), ranges))
    own = definition.get("HyperParameterRanges")
    if isinstance(own, dict):
        out.append((dpath + ("HyperParameterRanges",), own))
    return out


def position(request: Request, path: JsonPath) -> tuple[int, int]:
    """Where ``path`` starts in the file, for ordering findings "first"/"later" as a reader
    sees them."""
    try:
        span = request.source_map.locate(path)
    except KeyError:
        return (0, 0)
    return (span.line, span.column)


def s3_uri_fields(request: Request) -> Iterator[tuple[JsonPath, Any]]:
    """(path, value) of every S3 URI member of the request: ``S3OutputPath``,
    ``CheckpointConfig.S3Uri`` and each input channel's ``S3DataSource.S3Uri``."""
    for dpath, definition in definitions(request):
        output = definition.get("OutputDataConfig")
        if isinstance(output, dict) and "S3OutputPath" in output:
            yield dpath + ("OutputDataConfig", "S3OutputPath"), output["S3OutputPath"]
        checkpoint = definition.get("CheckpointConfig")
        if isinstance(checkpoint, dict) and "S3Uri" in checkpoint:
            yield dpath + ("CheckpointConfig", "S3Uri"), checkpoint["S3Uri"]
        channels = definition.get("InputDataConfig")
        if not isinstance(channels, list):
            continue
        for i, channel in enumerate(channels):
            source = get_path(channel, ("DataSource", "S3DataSource"))
            if isinstance(source, dict) and "S3Uri" in source:
                yield (dpath + ("InputDataConfig", i, "DataSource", "S3DataSource", "S3Uri"),
                       source["S3Uri"])


S3_URI_PATTERNS: tuple[JsonPath, ...] = (
    under_definitions("OutputDataConfig", "S3OutputPath")
    + under_definitions("CheckpointConfig", "S3Uri")
    + under_definitions("InputDataConfig", "*", "DataSource", "S3DataSource", "S3Uri"))


def definition_ranges_known(request: Request) -> bool:
    """Whether every training job definition is in sight and none may hold
    HyperParameterRanges we cannot see (other members may still be unknown)."""
    for key in ("TrainingJobDefinition", "TrainingJobDefinitions"):
        value = request.data.get(key)
        if isinstance(value, Unknown | PartialList) or may_hold(request.data, key):
            return False
        items = value if isinstance(value, list) else [value] if value is not None else []
        for item in items:
            if not isinstance(item, dict) or may_hold(item, "HyperParameterRanges"):
                return False
    return True

# --- strategy, objective, limits and resources views (HPT4xx/HPT5xx; rules-b) ----------------

STRATEGIES = ("Bayesian", "Random", "Hyperband", "Grid")
EPOCH_KEYS = ("epochs", "numepochs", "n-epochs", "n_epochs", "num_epochs")


def known_str(value: Any) -> str | None:
    """A string field's value when it is really a string (not Unknown, not another type)."""
    return value if isinstance(value, str) else None


def is_partial(value: Any) -> bool:
    """True for a mapping or list that may hold more than we can see (``**spread``)."""
    return isinstance(value, PartialDict | PartialList)


def may_hold(value: Any, key: str) -> bool:
    """Whether a mapping may hold ``key`` in a part we cannot see: never for a plain dict;
    for a PartialDict unless it knows the only keys its unseen part can add."""
    if not isinstance(value, PartialDict):
        return False
    return value.may_add is None or key in value.may_add


def strategy(request: Request) -> str | None:
    """The tuning strategy when it is one of the four the API knows, else None."""
    value = config(request).get("Strategy")
    return value if value in STRATEGIES else None


def resource_limits(request: Request) -> dict[str, Any]:
    value = config(request).get("ResourceLimits")
    return value if isinstance(value, dict) else {}


def member(value: Any, *keys: str) -> Any:
    """``value[k1][k2]...`` through dicts only; None when a step is missing or not a dict."""
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def is_single_definition(request: Request) -> bool:
    """The request uses ``TrainingJobDefinition`` (and not ``TrainingJobDefinitions``)."""
    return (isinstance(request.data.get("TrainingJobDefinition"), dict)
            and "TrainingJobDefinitions" not in request.data)


def categorical_combinations(ranges: dict[str, Any]) -> int | None:
    """Distinct combinations of the categorical ranges in one ``ParameterRanges``: the
    product of each range's count of distinct values. None when a count is not known for
    sure (an Unknown or spread value) or there is no categorical range."""
    items = ranges.get("CategoricalParameterRanges")
    if not isinstance(items, list) or is_partial(items) or not items:
        return None
    total = 1
    for item in items:
        if not isinstance(item, dict):
            return None
        values = item.get("Values")
        if not isinstance(values, list) or is_partial(values) or not values:
            return None
        if not all(isinstance(v, str) for v in values):
            return None
        total *= len(set(values))
    return total


def instance_types(resource: dict[str, Any]) -> list[str]:
    """Instance types named in a ``ResourceConfig`` or ``HyperParameterTuningResourceConfig``:
    its ``InstanceType`` and the ``InstanceType`` of each ``InstanceConfigs`` or
    ``InstanceGroups`` entry."""
    found: list[str] = []
    single = known_str(resource.get("InstanceType"))
    if single:
        found.append(single)
    for key in ("InstanceConfigs", "InstanceGroups"):
        items = resource.get(key)
        if isinstance(items, list):
            for item in items:
                kind = known_str(member(item, "InstanceType"))
                if kind:
                    found.append(kind)
    return found


def given(value: Any, key: str) -> bool:
    """``key`` is present in the mapping with a value that is known (not Unknown). For
    "X must not be set" rules: an Unknown might stand for nothing at all (a ``None``), so
    it never proves a conflict. For "X is missing" rules test ``key in value`` instead."""
    return isinstance(value, dict) and key in value and not isinstance(value[key], Unknown)
