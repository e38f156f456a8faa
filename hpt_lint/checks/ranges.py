"""HPT3xx: hyperparameter ranges."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hpt_lint.checks._request_parts import (
    CONFIG,
    OBJECTIVE_METRIC_HYPERPARAMETER,
    RANGE_BLOCK_PATTERNS,
    RANGE_KINDS,
    blocks_for_definition,
    config,
    definition_ranges_known,
    definitions,
    integer,
    is_multi_definition,
    is_partial,
    known_int,
    may_hold,
    number,
    parameter_ranges,
    position,
    range_names,
    ranges_of,
    strategy,
    under_definitions,
)
from hpt_lint.findings import Severity
from hpt_lint.request import JsonPath, Request, format_path
from hpt_lint.rule import FixSpec, Rule, Violation


class LogScalingNeedsPositiveRange(Rule):
    id = "HPT304"
    name = "log-scaling-needs-positive-range"
    severity = Severity.ERROR
    summary = "Logarithmic scaling on a range whose MinValue is not greater than 0."
    tags = ("ranges",)

    def check(self, request: Request) -> Iterator[Violation]:
        for path, _kind, item in ranges_of(request, "IntegerParameterRanges",
                                           "ContinuousParameterRanges"):
            if item.get("ScalingType") != "Logarithmic":
                continue
            low = number(item.get("MinValue"))
            if low is not None and low <= 0:
                yield Violation(
                    path + ("MinValue",),
                    f"range `{item.get('Name', '?')}` uses Logarithmic scaling but its MinValue "
                    f"is {item['MinValue']}; log scaling works only for ranges whose values are "
                    "all greater than 0: raise MinValue above 0 or use Linear scaling")


class ReverseLogScalingDomain(Rule):
    id = "HPT305"
    name = "reverse-log-scaling-domain"
    severity = Severity.ERROR
    summary = "ReverseLogarithmic scaling outside 0 <= x < 1, or on an integer range."
    tags = ("ranges",)

    def check(self, request: Request) -> Iterator[Violation]:
        for path, kind, item in ranges_of(request, "IntegerParameterRanges",
                                          "ContinuousParameterRanges"):
            if item.get("ScalingType") != "ReverseLogarithmic":
                continue
            name = item.get("Name", "?")
            if kind == "IntegerParameterRanges":
                yield Violation(
                    path + ("ScalingType",),
                    f"integer range `{name}` uses ReverseLogarithmic scaling; the service "
                    "supports it only for continuous ranges (the model's enum lists it for "
                    "integers, the developer guide says it is not supported): use Linear, "
                    "Logarithmic or Auto")
                continue
            low, high = number(item.get("MinValue")), number(item.get("MaxValue"))
            if low is not None and low < 0:
                yield Violation(
                    path + ("MinValue",),
                    f"range `{name}` uses ReverseLogarithmic scaling but MinValue is "
                    f"{item['MinValue']}; reverse log scaling works only within 0 <= x < 1")
            elif high is not None and high >= 1:
                yield Violation(
                    path + ("MaxValue",),
                    f"range `{name}` uses ReverseLogarithmic scaling but MaxValue is "
                    f"{item['MaxValue']}; reverse log scaling works only within 0 <= x < 1 "
                    "(MaxValue must be below 1)")


_NUMERIC = ("IntegerParameterRanges", "ContinuousParameterRanges")


def _bound(kind: str, value: Any) -> float | int | None:
    """A range bound as the service reads it: an integer for integer ranges, a finite
    decimal for continuous ones; None when it is not (or is not a known string)."""
    return integer(value) if kind == "IntegerParameterRanges" else number(value)


def _bounds(kind: str, item: dict[str, Any]) -> tuple[float | int, float | int] | None:
    low, high = _bound(kind, item.get("MinValue")), _bound(kind, item.get("MaxValue"))
    return (low, high) if low is not None and high is not None else None


def _label(item: dict[str, Any]) -> str:
    name = item.get("Name")
    return f"`{name}`" if isinstance(name, str) else "(unnamed)"


class RangeBoundNotNumeric(Rule):
    id = "HPT301"
    name = "range-bound-not-numeric"
    severity = Severity.ERROR
    summary = "An integer range bound is not an integer, or a continuous range bound is " \
              "not a finite number."
    tags = ("ranges",)

    def check(self, request: Request) -> Iterator[Violation]:
        for path, kind, item in ranges_of(request, *_NUMERIC):
            for bound in ("MinValue", "MaxValue"):
                value = item.get(bound)
                if not isinstance(value, str) or _bound(kind, value) is not None:
                    continue  # absent, Unknown or not a string (HPT101/HPT103's job), or fine
                yield self._violation(path + (bound,), kind, item, bound, value)

    @staticmethod
    def _violation(path: JsonPath, kind: str, item: dict[str, Any], bound: str,
                   value: str) -> Violation:
        where = f"{bound} of range {_label(item)}"
        if kind == "IntegerParameterRanges":
            as_number = number(value)
            if as_number is not None and as_number.is_integer() and abs(as_number) < 2**53:
                fixed = str(int(as_number))
                return Violation(
                    path, f"{where} is {value!r}, which is not written as an integer; the "
                    f"service parses integer range bounds as integers: write {fixed!r}",
                    fix=FixSpec(f"Change to {fixed!r}", path, fixed))
            if as_number is not None:
                return Violation(
                    path, f"{where} is {value!r}, but an IntegerParameterRanges bound must be "
                    "a whole number: round it, or move the range to ContinuousParameterRanges")
            return Violation(path, f"{where} is {value!r}, which is not an integer; "
                             "IntegerParameterRanges bounds are whole numbers written as "
                             "strings, such as \"1\" or \"100\"")
        if value.strip().lower().lstrip("+-") in ("nan", "inf", "infinity"):
            return Violation(path, f"{where} is {value!r}; continuous range bounds must be "
                             "finite numbers")
        return Violation(path, f"{where} is {value!r}, which is not a number; "
                         "ContinuousParameterRanges bounds are decimal numbers written as "
                         "strings, such as \"0.001\" or \"1e-6\"")


class RangeMinExceedsMax(Rule):
    id = "HPT302"
    name = "range-min-exceeds-max"
    severity = Severity.ERROR
    summary = "A range's MinValue is greater than its MaxValue."
    tags = ("ranges",)

    def check(self, request: Request) -> Iterator[Violation]:
        for path, kind, item in ranges_of(request, *_NUMERIC):
            bounds = _bounds(kind, item)
            if bounds is not None and bounds[0] > bounds[1]:
                yield Violation(
                    path + ("MinValue",),
                    f"range {_label(item)} has MinValue {item['MinValue']} greater than "
                    f"MaxValue {item['MaxValue']}; the service rejects an empty range: swap "
                    "the bounds")


class DegenerateRange(Rule):
    id = "HPT303"
    name = "degenerate-range"
    severity = Severity.WARNING
    summary = "A range with MinValue equal to MaxValue, or a categorical range with one value."
    tags = ("ranges",)

    def check(self, request: Request) -> Iterator[Violation]:
        for path, kind, item in ranges_of(request):
            if kind == "CategoricalParameterRanges":
                values = item.get("Values")
                if isinstance(values, list) and len(values) == 1 and not is_partial(values) \
                        and isinstance(values[0], str):
                    yield Violation(
                        path + ("Values",),
                        f"categorical range {_label(item)} has one value, {values[0]!r}, so "
                        "there is nothing to tune: move it to StaticHyperParameters, or add "
                        "values")
                continue
            bounds = _bounds(kind, item)
            if bounds is not None and bounds[0] == bounds[1]:
                yield Violation(
                    path + ("MinValue",),
                    f"range {_label(item)} has MinValue {item['MinValue']} equal to MaxValue "
                    f"{item['MaxValue']}, so there is nothing to tune (the service may reject "
                    "a single-point range): set it in StaticHyperParameters instead, or widen "
                    "the range")


def _block_names(block: dict[str, Any]) -> list[tuple[JsonPath, str]]:
    return list(range_names(block, (*RANGE_KINDS, "AutoParameters")))


class DuplicateHyperparameterName(Rule):
    id = "HPT306"
    name = "duplicate-hyperparameter-name"
    severity = Severity.ERROR
    summary = "The same hyperparameter name appears in two ranges."
    tags = ("ranges",)

    def check(self, request: Request) -> Iterator[Violation]:
        for bpath, block in parameter_ranges(request):
            names = sorted(_block_names(block), key=lambda n: position(request, bpath + n[0]))
            seen: dict[str, JsonPath] = {}
            for rel, name in names:
                first = seen.setdefault(name, rel)
                if first != rel:
                    yield Violation(
                        bpath + rel,
                        f"hyperparameter `{name}` is already tuned by "
                        f"`{format_path(first[:-1])}`; a name may appear in only one range "
                        "(each training job gets one value per hyperparameter): remove one "
                        "of the ranges")


class TunedAndStaticHyperparameter(Rule):
    id = "HPT307"
    name = "tuned-and-static-hyperparameter"
    severity = Severity.WARNING
    summary = "A tuned hyperparameter is also set in StaticHyperParameters."
    tags = ("ranges",)

    def check(self, request: Request) -> Iterator[Violation]:
        for dpath, definition in definitions(request):
            static = definition.get("StaticHyperParameters")
            if not isinstance(static, dict):
                continue
            tuned: dict[str, JsonPath] = {}
            for bpath, block in blocks_for_definition(request, dpath, definition):
                for rel, name in _block_names(block):
                    tuned.setdefault(name, bpath + rel[:-1])
            for key in static:
                if key in tuned and key != OBJECTIVE_METRIC_HYPERPARAMETER:  # HPT311's
                    yield Violation(
                        dpath + ("StaticHyperParameters", key),
                        f"`{key}` is tuned by `{format_path(tuned[key])}` and also set in "
                        "StaticHyperParameters; a hyperparameter is either tuned or static "
                        "(the SageMaker SDK removes tuned names from the static ones): remove "
                        f"`{key}` from StaticHyperParameters", at="key")


MAX_TUNABLE = 30


class TooManyTunableHyperparameters(Rule):
    id = "HPT308"
    name = "too-many-tunable-hyperparameters"
    severity = Severity.ERROR
    summary = "More than 30 ranges in total across the integer, continuous and categorical " \
              "lists."
    tags = ("ranges", "limits")
    supersedes = tuple((p + (kind,), ("HPT108",)) for p in RANGE_BLOCK_PATTERNS
                       for kind in RANGE_KINDS)

    def check(self, request: Request) -> Iterator[Violation]:
        for bpath, block in parameter_ranges(request):
            counts = {kind: len(block[kind]) for kind in RANGE_KINDS
                      if isinstance(block.get(kind), list)}
            total = sum(counts.values())
            if total > MAX_TUNABLE:
                parts = ", ".join(f"{n} {kind.removesuffix('ParameterRanges').lower()}"
                                  for kind, n in counts.items() if n)
                yield Violation(
                    bpath,
                    f"`{format_path(bpath)}` has {total} ranges ({parts}); a tuning job can "
                    f"tune at most {MAX_TUNABLE} hyperparameters in total across the three "
                    f"lists (the model caps each list at 30, the service the sum): move "
                    f"{total - MAX_TUNABLE} to StaticHyperParameters", at="key")


MAX_CATEGORICAL_VALUES = 30


class InvalidCategoricalValues(Rule):
    id = "HPT309"
    name = "invalid-categorical-values"
    severity = Severity.ERROR
    summary = "A categorical range with duplicate values, no values, or more than 30."
    tags = ("ranges",)
    supersedes = tuple((p + ("CategoricalParameterRanges", "*", "Values"), ("HPT108",))
                       for p in RANGE_BLOCK_PATTERNS)

    def check(self, request: Request) -> Iterator[Violation]:
        for path, _kind, item in ranges_of(request, "CategoricalParameterRanges"):
            values = item.get("Values")
            if not isinstance(values, list):
                continue
            vpath = path + ("Values",)
            if not values and not is_partial(values):
                yield Violation(vpath, f"categorical range {_label(item)} has no values; give "
                                "it at least two (or drop the range)")
                continue
            if len(values) > MAX_CATEGORICAL_VALUES:
                yield Violation(vpath, f"categorical range {_label(item)} has {len(values)} "
                                f"values; the limit is {MAX_CATEGORICAL_VALUES} per categorical "
                                "hyperparameter: drop some, or use an integer or continuous "
                                "range if the values are ordered numbers")
            seen: dict[str, int] = {}
            for i, value in enumerate(values):
                if not isinstance(value, str):
                    continue
                first = seen.setdefault(value, i)
                if first != i:
                    yield Violation(
                        vpath + (i,),
                        f"categorical range {_label(item)} lists {value!r} twice (also at "
                        f"Values[{first}]); values must be distinct: remove the duplicate")


MAX_HYPERPARAMETERS = 100


class TooManyHyperparameters(Rule):
    id = "HPT310"
    name = "too-many-hyperparameters"
    severity = Severity.ERROR
    summary = "Static plus tuned hyperparameters, plus _tuning_objective_metric, exceed 100."
    tags = ("ranges", "limits")
    supersedes = tuple((p, ("HPT108",)) for p in under_definitions("StaticHyperParameters"))

    def check(self, request: Request) -> Iterator[Violation]:
        for dpath, definition in definitions(request):
            static = definition.get("StaticHyperParameters")
            if not isinstance(static, dict):
                continue
            tuned = {name for _bpath, block in blocks_for_definition(request, dpath, definition)
                     for _rel, name in range_names(block)}
            names = set(static) | tuned | {OBJECTIVE_METRIC_HYPERPARAMETER}
            if len(names) <= MAX_HYPERPARAMETERS:
                continue
            only_tuned = len(tuned - set(static))
            yield Violation(
                dpath + ("StaticHyperParameters",),
                f"the training jobs of `{format_path(dpath)}` would get {len(names)} "
                f"hyperparameters: {len(static)} static, {only_tuned} more tuned, and "
                f"`{OBJECTIVE_METRIC_HYPERPARAMETER}`, which the tuning job adds; the limit is "
                f"{MAX_HYPERPARAMETERS} in total: remove "
                f"{len(names) - MAX_HYPERPARAMETERS} static hyperparameter"
                f"{'s' if len(names) - MAX_HYPERPARAMETERS != 1 else ''}", at="key")


# Hyperparameters the SageMaker Python SDK sets itself for framework (script mode) images:
# fine in StaticHyperParameters, meaningless to tune.
SDK_HYPERPARAMETERS = frozenset({
    "sagemaker_program", "sagemaker_submit_directory", "sagemaker_container_log_level",
    "sagemaker_job_name", "sagemaker_region", "sagemaker_estimator_class_name",
    "sagemaker_estimator_module",
})


class ReservedHyperparameterName(Rule):
    id = "HPT311"
    name = "reserved-hyperparameter-name"
    severity = Severity.WARNING
    summary = "A hyperparameter named _tuning_objective_metric, or a tuned SDK-managed " \
              "sagemaker_* hyperparameter."
    tags = ("ranges",)

    def check(self, request: Request) -> Iterator[Violation]:
        metric = OBJECTIVE_METRIC_HYPERPARAMETER
        for dpath, definition in definitions(request):
            static = definition.get("StaticHyperParameters")
            if isinstance(static, dict) and metric in static:
                yield Violation(
                    dpath + ("StaticHyperParameters", metric), f"`{metric}` is the "
                    "hyperparameter the tuning job adds to every training job to name the "
                    "objective metric; setting it yourself clashes with that (and it counts "
                    "twice against the 100-hyperparameter limit): remove it", at="key")
        for bpath, block in parameter_ranges(request):
            for rel, name in _block_names(block):
                if name == metric:
                    yield Violation(
                        bpath + rel, f"`{metric}` is set by the tuning job itself (it names the "
                        "objective metric for each training job) and cannot be tuned: remove "
                        "this range")
                elif name in SDK_HYPERPARAMETERS and rel[0] != "AutoParameters":
                    # with Autotune the SDK itself turns every static hyperparameter not kept
                    # static, sagemaker_* included, into AutoParameters
                    yield Violation(
                        bpath + rel, f"`{name}` is a hyperparameter the SageMaker Python SDK "
                        "manages for framework containers (entry point, code location, "
                        "logging); tuning it makes no sense: set it in StaticHyperParameters")


def _combinations(block: dict[str, Any]) -> tuple[int, list[str]] | None:
    """The number of distinct points in a block with no continuous range, and how it is made
    up; None when it cannot be known for sure (or is not finite)."""
    if is_partial(block) or block.get("AutoParameters"):
        return None
    if block.get("ContinuousParameterRanges"):
        return None
    total, parts = 1, []
    for kind in ("IntegerParameterRanges", "CategoricalParameterRanges"):
        items = block.get(kind, [])
        if not isinstance(items, list) or is_partial(items):
            return None
        for item in items:
            if not isinstance(item, dict) or is_partial(item):
                return None
            if kind == "IntegerParameterRanges":
                bounds = _bounds(kind, item)
                if bounds is None or bounds[0] > bounds[1]:
                    return None  # HPT301 / HPT302 own this range
                count = int(bounds[1]) - int(bounds[0]) + 1
                parts.append(f"{_label(item)}: {count} integer value{'s' * (count != 1)}")
            else:
                values = item.get("Values")
                if not isinstance(values, list) or is_partial(values) or not all(
                        isinstance(v, str) for v in values):
                    return None
                count = len(set(values))
                parts.append(f"{_label(item)}: {count} value{'s' * (count != 1)}")
            total *= count
    return (total, parts) if parts else None


def service_too_small(total: int, max_jobs: int) -> str:
    """The service's message for this fault (observed, aws/amazon-sagemaker-operator-for-k8s
    issue #123), with this request's numbers."""
    return ("You don't have enough combinations of hyperparameter ranges. The total number of "
            f"hyperparameter combinations for the provided ranges [{float(total)}] must be "
            f"equal or greater than the value of MaxNumberOfJobs, [{max_jobs}]. Provide "
            "additional ranges.")


class SearchSpaceTooSmall(Rule):
    id = "HPT312"
    name = "search-space-too-small"
    severity = Severity.ERROR
    summary = "With no continuous range, fewer distinct combinations than " \
              "MaxNumberOfTrainingJobs."
    tags = ("ranges", "limits")

    def check(self, request: Request) -> Iterator[Violation]:
        if strategy(request) not in (None, "Grid"):
            yield from self._check(request)

    def _check(self, request: Request) -> Iterator[Violation]:
        cfg = config(request)
        limits = cfg.get("ResourceLimits")
        max_jobs = known_int(limits.get("MaxNumberOfTrainingJobs")) \
            if isinstance(limits, dict) else None
        if max_jobs is None or "Autotune" in request.data \
                or may_hold(request.data, "Autotune") or not definition_ranges_known(request):
            return
        blocks = list(parameter_ranges(request))
        if is_multi_definition(request):
            # each training job runs one definition: the spaces add up
            if any(path[0] == CONFIG for path, _ in blocks):
                return  # ranges in both places: not a shape the count can be sure of
            found = [_combinations(block) for _path, block in blocks]
            if not found or any(f is None for f in found):
                return
            total = sum(f[0] for f in found if f is not None)
            parts = [p for f in found if f is not None for p in f[1]]
        else:
            if len(blocks) != 1:
                return
            result = _combinations(blocks[0][1])
            if result is None:
                return
            total, parts = result
        if total >= max_jobs:
            return
        path = (CONFIG, "ResourceLimits", "MaxNumberOfTrainingJobs")
        yield Violation(
            path,
            f"MaxNumberOfTrainingJobs is {max_jobs}, but the ranges have only {total} distinct "
            f"combination{'s' * (total != 1)} ({'; '.join(parts)}) and no continuous range; "
            f"the service rejects this (\"{service_too_small(total, max_jobs)}\"): lower "
            f"MaxNumberOfTrainingJobs to {total}, or add ranges or values",
            fix=FixSpec(f"Set MaxNumberOfTrainingJobs to {total}", path, total))


class NothingToTune(Rule):
    id = "HPT313"
    name = "nothing-to-tune"
    severity = Severity.ERROR
    summary = "No hyperparameter ranges at all and no Autotune."
    tags = ("ranges",)

    def check(self, request: Request) -> Iterator[Violation]:
        data = request.data
        cfg = data.get(CONFIG)
        if "Autotune" in data or may_hold(data, "Autotune") or not isinstance(cfg, dict) \
                or may_hold(cfg, "ParameterRanges") or not definition_ranges_known(request):
            return
        auto = False
        if "ParameterRanges" in cfg and not isinstance(cfg["ParameterRanges"], dict):
            return  # Unknown or a structural fault
        for _dpath, definition in definitions(request):
            if may_hold(definition, "HyperParameterRanges") or not isinstance(
                    definition.get("HyperParameterRanges", {}), dict):
                return
        for _path, block in parameter_ranges(request):
            if is_partial(block):
                return
            for kind in RANGE_KINDS:
                items = block.get(kind)
                if items is not None and (not isinstance(items, list) or items
                                          or is_partial(items)):
                    return  # there is a range (or something we cannot see into)
            auto = auto or bool(block.get("AutoParameters"))
        if auto:
            message = ("the only ranges are AutoParameters, which the service uses only when "
                       "Autotune is enabled; without `Autotune: {Mode: Enabled}` there is "
                       "nothing to tune: enable Autotune, or turn the AutoParameters into "
                       "integer, continuous or categorical ranges")
        else:
            message = ("the tuning job has no hyperparameter ranges and no Autotune; with no "
                       "Integer, Continuous or Categorical ParameterRanges there is nothing "
                       "to tune (the SageMaker SDK refuses it: \"Need to specify "
                       "hyperparameter ranges or set autotune=True.\"): add at least one range, "
                       "or set `Autotune: {Mode: Enabled}`")
        yield Violation((CONFIG, "ParameterRanges"), message, at="key")
