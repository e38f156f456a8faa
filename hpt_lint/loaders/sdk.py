"""The SageMaker Python SDK: ``HyperparameterTuner(...)`` -> the request parts it sends.

The SDK builds ``HyperParameterTuningJobConfig`` from the tuner's arguments and
the ``TrainingJobDefinition`` from the estimator, which is not statically known.
So this synthesizes the config (strategy, objective, resource limits, parameter
ranges, early stopping, random seed), the tuner's own ``metric_definitions``, and
Unknown for what the estimator supplies. Every synthesized dict is a PartialDict
(the SDK fills in members we cannot see), bounds and categorical values become
strings as the SDK sends them, and every value is located at the Python argument
that causes it (SDK defaults at the ``HyperparameterTuner`` name).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from hpt_lint.loaders.python_source import Source
from hpt_lint.loaders.python_static import Env, Interpreter, Val
from hpt_lint.loaders.sdk_estimator import is_estimator, training_definition
from hpt_lint.request import Span, Unknown

TUNER = "HyperparameterTuner"
SIGNATURE = (
    "estimator", "objective_metric_name", "hyperparameter_ranges", "metric_definitions",
    "strategy", "objective_type", "max_jobs", "max_parallel_jobs", "max_runtime_in_seconds",
    "tags", "base_tuning_job_name", "warm_start_config", "strategy_config",
    "completion_criteria_config", "early_stopping_type", "estimator_name", "random_seed",
    "autotune", "hyperparameters_to_keep_static",
)
# HyperparameterTuner.create(estimator_dict, objective_metric_name_dict,
# hyperparameter_ranges_dict, metric_definitions_dict=None, ...): the rest by keyword
CREATE_SIGNATURE = ("estimator_dict", "objective_metric_name_dict",
                    "hyperparameter_ranges_dict", "metric_definitions_dict")
DEFAULTS: dict[str, Any] = {"strategy": "Bayesian", "objective_type": "Maximize",
                            "max_parallel_jobs": 1, "early_stopping_type": "Off"}
RANGE_KINDS = {"ContinuousParameter": "ContinuousParameterRanges",
               "IntegerParameter": "IntegerParameterRanges",
               "CategoricalParameter": "CategoricalParameterRanges"}
SDK = "the SageMaker SDK"
# TrainingJobDefinition members an estimator can contribute (the API's members without
# DefinitionName, TuningObjective and HyperParameterRanges, which come from the tuner)
ESTIMATOR_MEMBERS = frozenset({
    "StaticHyperParameters", "AlgorithmSpecification", "RoleArn", "InputDataConfig",
    "VpcConfig", "OutputDataConfig", "ResourceConfig", "HyperParameterTuningResourceConfig",
    "StoppingCondition", "EnableNetworkIsolation", "EnableInterContainerTrafficEncryption",
    "EnableManagedSpotTraining", "CheckpointConfig", "RetryStrategy", "Environment"})


@dataclass(eq=False)
class _Bound:
    """The tuner's arguments by parameter name; ``open`` when a ``*args``/``**kwargs``
    we cannot see may set the others."""

    args: dict[str, Val]
    keys: dict[str, Span]
    open: bool


def _bind(interp: Interpreter, call: ast.Call, env: Env, source: Source,
          signature: tuple[str, ...] = SIGNATURE) -> _Bound:
    args: dict[str, Val] = {}
    keys: dict[str, Span] = {}
    is_open = False
    for i, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred) or i >= len(signature):
            is_open = True
            break
        args[signature[i]] = interp.eval(arg, env, source)
    for kw in call.keywords:
        if kw.arg is None:
            spread = interp.eval(kw.value, env, source)
            if spread.is_dict:
                for name, (kspan, value) in spread.value.items():
                    args[name] = value
                    if kspan is not None:
                        keys[name] = kspan
                is_open = is_open or bool(spread.partial)
            else:
                is_open = True
        else:
            args[kw.arg] = interp.eval(kw.value, env, source)
            keys[kw.arg] = source.name_span(kw, kw.arg)
    return _Bound(args, keys, is_open)


def _str(value: Val) -> Val:
    """A bound or categorical value as the SDK sends it: ``str()`` of a Python value."""
    v = value.value
    if isinstance(v, Unknown) or value.is_container:
        return value if isinstance(v, Unknown) else Val(Unknown(repr_source(value)),
                                                             value.span)
    if isinstance(v, str):
        return value
    return Val(str(v), value.span, derived=True)


def _text(value: Val) -> str:
    v = value.value
    return v.source if isinstance(v, Unknown) else repr_source(value)


def repr_source(value: Val) -> str:
    return "<a list or dict>" if value.is_container else str(value.value)


def range_constructor(interp: Interpreter, call: ast.Call, env: Env, source: Source) -> Val:
    """``ContinuousParameter(min, max, scaling_type='Auto')`` and friends: a dict of the
    range members the SDK sends (``Name`` is added from the ranges mapping), tagged with
    its kind."""
    func = call.func
    called = func.id if isinstance(func, ast.Name) else func.attr  # type: ignore[attr-defined]
    span = source.span(call)
    names = ("values",) if called == "CategoricalParameter" else (
        "min_value", "max_value", "scaling_type")
    given: dict[str, tuple[Span | None, Val]] = {}
    for i, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred) or i >= len(names):
            return Val(Unknown(source.segment(call)), span)
        given[names[i]] = (None, interp.eval(arg, env, source))
    for kw in call.keywords:
        if kw.arg is None:
            return Val(Unknown(source.segment(call)), span)
        given[kw.arg] = (source.name_span(kw, kw.arg), interp.eval(kw.value, env, source))
    result = Val({}, span)
    result.range_kind = RANGE_KINDS[called]  # type: ignore[attr-defined]
    if called == "CategoricalParameter":
        if "values" not in given:
            return Val(Unknown(source.segment(call)), span)
        kspan, values = given["values"]
        if values.is_list:
            items = Val([_str(v) for v in values.value], values.span, values.partial)
        elif isinstance(values.value, Unknown) or values.is_dict:
            items = Val(Unknown(repr_source(values) if values.is_dict else values.value.source),
                        values.span)
        else:
            items = Val([_str(values)], values.span)
        result.value["Values"] = (kspan, items)
        return result
    for name, member in (("min_value", "MinValue"), ("max_value", "MaxValue")):
        if name not in given:
            return Val(Unknown(source.segment(call)), span)
        kspan, bound = given[name]
        result.value[member] = (kspan, _str(bound))
    kspan, scaling = given.get("scaling_type", (None, Val("Auto", _callee_span(call, source),
                                                           derived=True)))
    result.value["ScalingType"] = (kspan, scaling)
    return result


def _callee_span(call: ast.Call, source: Source) -> Span:
    func = call.func
    if isinstance(func, ast.Attribute):
        return source.name_span(func, func.attr, at_end=True)
    return source.span(func)


def tuner_request(interp: Interpreter, call: ast.Call, env: Env, source: Source) -> Val:
    """``HyperparameterTuner(estimator, ...)``: one TrainingJobDefinition."""
    return _tuner_request(interp, call, env, source, multi=False)


def multi_tuner_request(interp: Interpreter, call: ast.Call, env: Env, source: Source) -> Val:
    """``HyperparameterTuner.create(estimator_dict=..., ...)``: TrainingJobDefinitions, one
    per estimator name in sorted order, each with its own objective and ranges
    (``_TuningJob._get_tuner_args`` with ``training_config_list``)."""
    return _tuner_request(interp, call, env, source, multi=True)


def _tuner_request(interp: Interpreter, call: ast.Call, env: Env, source: Source,
                   multi: bool) -> Val:
    root_span = _callee_span(call, source)
    bound = _bind(interp, call, env, source, CREATE_SIGNATURE if multi else SIGNATURE)
    named = bound.args.get("estimator_name")
    if not multi and named is not None and isinstance(named.value, str):
        # HyperparameterTuner(..., estimator_name="x") is the one-estimator form of
        # create(): the SDK keeps it in estimator_dict and sends TrainingJobDefinitions
        multi = True
        for single, many in (("estimator", "estimator_dict"),
                             ("objective_metric_name", "objective_metric_name_dict"),
                             ("hyperparameter_ranges", "hyperparameter_ranges_dict"),
                             ("metric_definitions", "metric_definitions_dict")):
            value = bound.args.pop(single, None)
            if value is not None and value.value is not None:
                bound.args[many] = Val({named.value: (bound.keys.get(single), value)},
                                       named.span)

    def arg(name: str) -> Val | None:
        """The argument, the SDK default (located at the call), or Unknown when an
        unseen ``**kwargs`` may set it; None when absent or ``None``."""
        value = bound.args.get(name)
        if value is None:
            if bound.open:
                return Val(Unknown(f"{name} (from arguments not visible here)"), root_span)
            if name in DEFAULTS:
                return Val(DEFAULTS[name], root_span, derived=True)
            return None
        if value.value is None:
            return None
        return value

    def partial(members: dict[str, tuple[Span | None, Val]], span: Span) -> Val:
        """A mapping the SDK builds from the tuner's arguments alone: complete, unless
        arguments we cannot see may add to it."""
        return Val(members, span, (SDK,) if bound.open else (), derived=True)

    def member(out: dict[str, tuple[Span | None, Val]], key: str, name: str) -> None:
        value = arg(name)
        if value is not None:
            out[key] = (bound.keys.get(name), value)

    config: dict[str, tuple[Span | None, Val]] = {}
    member(config, "Strategy", "strategy")
    objective: dict[str, tuple[Span | None, Val]] = {}
    member(objective, "Type", "objective_type")
    member(objective, "MetricName", "objective_metric_name")
    if objective and not multi:
        config["HyperParameterTuningJobObjective"] = (None, partial(objective, root_span))
    limits: dict[str, tuple[Span | None, Val]] = {}
    member(limits, "MaxNumberOfTrainingJobs", "max_jobs")
    strategy = arg("strategy")
    if "MaxNumberOfTrainingJobs" not in limits and strategy is not None \
            and isinstance(strategy.value, str) and strategy.value != "Grid":
        limits["MaxNumberOfTrainingJobs"] = (None, Val(1, root_span, derived=True))  # SDK default
    member(limits, "MaxParallelTrainingJobs", "max_parallel_jobs")
    member(limits, "MaxRuntimeInSeconds", "max_runtime_in_seconds")
    config["ResourceLimits"] = (None, partial(limits, root_span))
    ranges = None if multi else _parameter_ranges(arg("hyperparameter_ranges"), root_span)
    if ranges is not None:
        config["ParameterRanges"] = (bound.keys.get("hyperparameter_ranges"), ranges)
    member(config, "TrainingJobEarlyStoppingType", "early_stopping_type")
    for key, name in (("StrategyConfig", "strategy_config"),
                      ("TuningJobCompletionCriteria", "completion_criteria_config")):
        value = arg(name)
        if value is not None:
            config[key] = (bound.keys.get(name), _opaque(value))
    member(config, "RandomSeed", "random_seed")

    estimator = arg("estimator")
    request: dict[str, tuple[Span | None, Val]] = {}
    base = arg("base_tuning_job_name")
    request["HyperParameterTuningJobName"] = (
        bound.keys.get("base_tuning_job_name"),
        Val(Unknown(f"{_text(base) if base is not None else 'a name'} + a timestamp "
                    f"(made by {SDK})"), base.span if base is not None else root_span))
    request["HyperParameterTuningJobConfig"] = (None, partial(config, root_span))
    if multi:
        request["TrainingJobDefinitions"] = (None, _definitions(arg, bound, root_span))
    elif is_estimator(estimator):
        assert estimator is not None
        request["TrainingJobDefinition"] = (None, training_definition(
            estimator, _range_names(arg("hyperparameter_ranges")), arg("metric_definitions"),
            bound.keys.get("metric_definitions")))
    else:
        request["TrainingJobDefinition"] = (None, _unknown_definition(
            estimator, root_span, arg("metric_definitions"),
            bound.keys.get("metric_definitions")))
    _request_tail(request, arg, bound)
    return Val(request, root_span, (SDK,) if bound.open else (), derived=True)


def _definitions(arg: Any, bound: _Bound, root_span: Span) -> Val:
    """TrainingJobDefinitions of ``HyperparameterTuner.create``: per estimator name (sorted),
    the estimator's definition with DefinitionName, TuningObjective and
    HyperParameterRanges (``Session._map_training_config``)."""
    estimators = arg("estimator_dict")
    if estimators is None or not estimators.is_dict:
        return Val(Unknown(_text(estimators) if estimators is not None else
                           "estimator_dict (from arguments not visible here)"),
                   estimators.span if estimators is not None else root_span)

    def entry(name: str, key: str) -> tuple[Span | None, Val] | None:
        mapping = arg(key)
        if mapping is None:
            return None
        if not mapping.is_dict:
            return None, Val(Unknown(f"{_text(mapping)}[{name!r}]"), mapping.span)
        found = mapping.value.get(name)
        if found is None:
            return None if not mapping.partial else (None, Val(Unknown(
                f"{_text(mapping)}[{name!r}]"), mapping.span))
        return found

    items: list[Val] = []
    objective_type = arg("objective_type")
    for name in sorted(estimators.value):
        kspan, estimator = estimators.value[name]
        ranges_item = entry(name, "hyperparameter_ranges_dict")
        metrics_item = entry(name, "metric_definitions_dict")
        metrics = metrics_item[1] if metrics_item is not None else None
        ranges = ranges_item[1] if ranges_item is not None else None
        if is_estimator(estimator):
            definition = training_definition(estimator, _range_names(ranges), metrics,
                                             metrics_item[0] if metrics_item else None)
        else:
            definition = _unknown_definition(estimator, root_span, metrics,
                                              metrics_item[0] if metrics_item else None)
        members = definition.value
        # derived: the same name keys the other *_dict arguments, so no single edit fixes it
        members["DefinitionName"] = (None, Val(name, kspan or estimators.span, derived=True))
        objective: dict[str, tuple[Span | None, Val]] = {}
        if objective_type is not None:
            objective["Type"] = (bound.keys.get("objective_type"), objective_type)
        metric = entry(name, "objective_metric_name_dict")
        if metric is not None:
            objective["MetricName"] = metric
        members["TuningObjective"] = (None, Val(objective, root_span,
                                                (SDK,) if bound.open else (), derived=True))
        block = _parameter_ranges(ranges, root_span)
        if block is not None:
            members["HyperParameterRanges"] = (ranges_item[0] if ranges_item else None, block)
        items.append(definition)
    return Val(items, estimators.span, estimators.partial, derived=True)


def _range_names(ranges: Val | None) -> set[str] | None:
    """The tuned hyperparameter names, when every one is known."""
    if ranges is None:
        return set()
    if not ranges.is_dict or ranges.partial:
        return None
    return set(ranges.value)


def _request_tail(request: dict[str, tuple[Span | None, Val]], arg: Any,
                  bound: _Bound) -> None:
    """WarmStartConfig, Tags and Autotune, from the tuner's arguments."""
    warm = arg("warm_start_config")
    if warm is not None:
        request["WarmStartConfig"] = (bound.keys.get("warm_start_config"), _opaque(warm))
    tags = arg("tags")
    if tags is not None:
        request["Tags"] = (bound.keys.get("tags"), tags)
    autotune = arg("autotune")
    if autotune is not None and autotune.value is not False:
        request["Autotune"] = (bound.keys.get("autotune"), Val(
            {"Mode": (None, Val("Enabled", autotune.span, derived=True))}, autotune.span,
            derived=True)
            if autotune.value is True else _opaque(autotune))


def _unknown_definition(estimator: Val | None, root_span: Span, metrics: Val | None,
                        metrics_key: Span | None) -> Val:
    """The definition of an estimator this file does not build: every member Unknown."""
    est_source = estimator.value.source if estimator is not None and isinstance(
        estimator.value, Unknown) else "the estimator"
    est_span = estimator.span if estimator is not None else root_span

    def from_estimator(what: str) -> tuple[None, Val]:
        return None, Val(Unknown(f"{est_source}.{what}"), est_span)

    def partial(members: dict[str, tuple[Span | None, Val]], span: Span) -> Val:
        return Val(members, span, (SDK,), derived=True)

    algorithm: dict[str, tuple[Span | None, Val]] = {
        "TrainingImage": from_estimator("training_image_uri()"),
        "TrainingInputMode": from_estimator("input_mode"),
    }
    algorithm["MetricDefinitions"] = (metrics_key, metrics) \
        if metrics is not None else from_estimator("metric_definitions")
    definition: dict[str, tuple[Span | None, Val]] = {
        "AlgorithmSpecification": (None, partial(algorithm, est_span)),
        "RoleArn": from_estimator("role"),
        "StaticHyperParameters": from_estimator("hyperparameters()"),
        "OutputDataConfig": from_estimator("output_path"),
        "ResourceConfig": from_estimator("instance_type"),
        "StoppingCondition": from_estimator("max_run"),
    }
    result = partial(definition, est_span)
    # whatever the estimator is, the SDK puts no ranges, objective or name in the single
    # TrainingJobDefinition (those come from the tuner): only these may be added
    result.adds = ESTIMATOR_MEMBERS  # type: ignore[attr-defined]
    return result


def _opaque(value: Val) -> Val:
    """An SDK object (``WarmStartConfig(...)``, ``HyperbandStrategyConfig(...)``) whose
    request form we do not rebuild."""
    if isinstance(value.value, Unknown):
        return value
    return Val(Unknown(repr_source(value)), value.span)


def _parameter_ranges(ranges: Val | None, root_span: Span) -> Val | None:
    """``{"lr": ContinuousParameter(...), ...}`` -> the three range lists, in order."""
    if ranges is None:
        return None
    if not ranges.is_dict:
        return Val(Unknown(ranges.value.source), ranges.span) if isinstance(
            ranges.value, Unknown) else None
    lists: dict[str, Val] = {}
    unknown: tuple[str, ...] = ranges.partial
    for name, (kspan, spec) in ranges.value.items():
        kind = getattr(spec, "range_kind", None)
        if kind is None or not spec.is_dict:
            unknown += (spec.value.source if isinstance(spec.value, Unknown)
                        else repr_source(spec),)
            continue
        item = Val({"Name": (None, Val(name, kspan or spec.span, derived=kspan is None)),
                    **spec.value}, spec.span, derived=True)
        lists.setdefault(kind, Val([], ranges.span, derived=True)).value.append(item)
    if unknown:
        for items in lists.values():
            items.partial += unknown
    members = {kind: (None, lists[kind]) for kind in RANGE_KINDS.values() if kind in lists}
    return Val(members, ranges.span, unknown, derived=True)
