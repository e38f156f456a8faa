"""HPT4xx: strategy, objective and limits of the tuning job."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from hpt_lint import facts
from hpt_lint.checks._request_parts import (
    CONFIG,
    EPOCH_KEYS,
    categorical_combinations,
    config,
    definitions,
    given,
    is_partial,
    is_single_definition,
    known_int,
    known_str,
    may_hold,
    member,
    parameter_ranges,
    ranges_of,
    resource_limits,
    strategy,
)
from hpt_lint.findings import Severity
from hpt_lint.request import JsonPath, Request, Unknown, format_path
from hpt_lint.rule import FixSpec, Rule, Violation

LIMITS = (CONFIG, "ResourceLimits")
HYPERBAND = (CONFIG, "StrategyConfig", "HyperbandStrategyConfig")
MAX_RESOURCE = 20_000  # §10, D10
GRID_MAX_COMBINATIONS = 750  # §14
DEFAULT_MAX_JOBS = 750  # §18
DEFAULT_MAX_PARALLEL = 10  # §18
MAX_PARENTS = 5  # §39


class HyperbandNeedsEarlyStoppingOff(Rule):
    id = "HPT401"
    name = "hyperband-needs-early-stopping-off"
    severity = Severity.ERROR
    summary = "Hyperband with TrainingJobEarlyStoppingType: Auto."
    tags = ("strategy",)

    def check(self, request: Request) -> Iterator[Violation]:
        if strategy(request) != "Hyperband":
            return
        if config(request).get("TrainingJobEarlyStoppingType") == "Auto":
            path = (CONFIG, "TrainingJobEarlyStoppingType")
            yield Violation(
                path,
                "TrainingJobEarlyStoppingType is `Auto` but the strategy is Hyperband, which "
                "has its own internal early stopping; the service requires early stopping to "
                "be Off with Hyperband: set it to `Off` (or remove it)",
                fix=FixSpec("Set TrainingJobEarlyStoppingType to 'Off'", path, "Off"))


class StrategyConfigWithoutHyperband(Rule):
    id = "HPT402"
    name = "strategy-config-without-hyperband"
    severity = Severity.ERROR
    summary = "StrategyConfig with a strategy other than Hyperband."
    tags = ("strategy",)

    def check(self, request: Request) -> Iterator[Violation]:
        chosen = strategy(request)
        if chosen is None or chosen == "Hyperband" or not given(config(request), "StrategyConfig"):
            return
        yield Violation(
            (CONFIG, "StrategyConfig"),
            f"StrategyConfig is given but the strategy is {chosen}; StrategyConfig (the "
            "Hyperband settings) may be provided only with `Strategy: Hyperband`: remove "
            "StrategyConfig or switch the strategy to Hyperband", at="key")


class HyperbandResourceBounds(Rule):
    id = "HPT403"
    name = "hyperband-resource-bounds"
    severity = Severity.ERROR
    summary = "Hyperband MaxResource above 20000, or MinResource above MaxResource."
    tags = ("strategy",)

    def check(self, request: Request) -> Iterator[Violation]:
        hyperband = request.get(HYPERBAND)
        if not isinstance(hyperband, dict):
            return
        low = known_int(hyperband.get("MinResource"))
        high = known_int(hyperband.get("MaxResource"))
        if high is not None and high > MAX_RESOURCE:
            yield Violation(
                HYPERBAND + ("MaxResource",),
                f"MaxResource is {high}; the service model documents a maximum of 20,000 "
                "epochs (its constraints set no maximum, so botocore does not catch it): "
                f"set MaxResource to {MAX_RESOURCE} or less")
        if low is not None and high is not None and low > high:
            yield Violation(
                HYPERBAND + ("MinResource",),
                f"MinResource ({low}) is greater than MaxResource ({high}); Hyperband stops "
                "every job at MaxResource, so no job could reach MinResource: make "
                "MinResource at most MaxResource")


class HyperbandMaxResourceUnknown(Rule):
    id = "HPT404"
    name = "hyperband-max-resource-unknown"
    severity = Severity.ERROR
    summary = "Hyperband without MaxResource and no epochs-like static hyperparameter to " \
              "infer it from."
    tags = ("strategy",)

    def check(self, request: Request) -> Iterator[Violation]:
        if strategy(request) != "Hyperband" or "Autotune" in request.data:
            return
        hyperband = request.get(HYPERBAND)
        if isinstance(hyperband, dict) and "MaxResource" in hyperband:
            return
        if is_partial(request.get((CONFIG, "StrategyConfig"))) or is_partial(hyperband):
            return
        if any(isinstance(request.get(path), Unknown) for path in (
                (CONFIG, "StrategyConfig"), HYPERBAND, HYPERBAND + ("MaxResource",))):
            return  # an SDK HyperbandStrategyConfig(...) or a variable may set MaxResource
        tuned = {known_str(item.get("Name")) for _p, _k, item in ranges_of(request)}
        lacking: list[str] = []
        defs = list(definitions(request))
        if not defs:
            return
        for dpath, definition in defs:
            static = definition.get("StaticHyperParameters", {})
            if not isinstance(static, dict) or any(may_hold(static, k) for k in EPOCH_KEYS) \
                    or may_hold(definition, "StaticHyperParameters"):
                return  # not a map, or it may hold keys we cannot see
            if any(key in static or key in tuned for key in EPOCH_KEYS):
                continue
            name = known_str(definition.get("DefinitionName"))
            lacking.append(f"`{name or format_path(dpath)}`")
        if not lacking:
            return
        where = ("the training job definition" if is_single_definition(request)
                 else "definition " + ", ".join(lacking))
        yield Violation(
            (CONFIG, "Strategy"),
            "the strategy is Hyperband but StrategyConfig.HyperbandStrategyConfig has no "
            f"MaxResource, and {where} has no static hyperparameter it could be inferred "
            f"from ({', '.join(EPOCH_KEYS)}); the service rejects the request (\"MaxResource "
            "parameter is not provided and could not be inferred\"): set MaxResource, or add "
            "`epochs` to StaticHyperParameters")


class GridNeedsCategoricalRanges(Rule):
    id = "HPT405"
    name = "grid-needs-categorical-ranges"
    severity = Severity.ERROR
    summary = "Grid strategy with integer or continuous ranges."
    tags = ("strategy", "ranges")

    def check(self, request: Request) -> Iterator[Violation]:
        if strategy(request) != "Grid":
            return
        for rpath, ranges in parameter_ranges(request):
            for kind in ("IntegerParameterRanges", "ContinuousParameterRanges"):
                items = ranges.get(kind)
                if isinstance(items, list) and items:
                    names = [known_str(member(i, "Name")) or "?" for i in items]
                    yield Violation(
                        rpath + (kind,),
                        f"the strategy is Grid but {kind} holds {', '.join(names)}; grid "
                        "search supports only categorical ranges: list the values to try "
                        "in CategoricalParameterRanges, or use another strategy", at="key")


def _grid_combinations(request: Request) -> tuple[JsonPath, int] | None:
    """(path of the categorical ranges, combinations) of a Grid job whose search space is
    known for sure and purely categorical; None otherwise."""
    if strategy(request) != "Grid":
        return None
    found = list(parameter_ranges(request))
    if len(found) != 1:
        return None  # several definitions (or none): the count is not established
    rpath, ranges = found[0]
    if is_partial(ranges) or any(ranges.get(k) for k in ("IntegerParameterRanges",
                                                         "ContinuousParameterRanges")):
        return None  # HPT405 reports non-categorical ranges; no made-up count here
    count = categorical_combinations(ranges)
    return None if count is None else (rpath + ("CategoricalParameterRanges",), count)


class GridMaxJobsMismatch(Rule):
    id = "HPT406"
    name = "grid-max-jobs-mismatch"
    severity = Severity.ERROR
    summary = "Grid strategy with MaxNumberOfTrainingJobs other than the number of " \
              "combinations."
    tags = ("strategy", "limits")

    def check(self, request: Request) -> Iterator[Violation]:
        grid = _grid_combinations(request)
        if grid is None or grid[1] > GRID_MAX_COMBINATIONS:
            return  # too many combinations is HPT407's fault, not this one
        wanted = known_int(resource_limits(request).get("MaxNumberOfTrainingJobs"))
        if wanted is None or wanted == grid[1]:
            return
        path = LIMITS + ("MaxNumberOfTrainingJobs",)
        yield Violation(
            path,
            f"MaxNumberOfTrainingJobs is {wanted} but the grid has {grid[1]} distinct "
            "combinations of categorical values; with Grid it must equal the number of "
            f"combinations: set it to {grid[1]} or leave it out (the service infers it)",
            fix=FixSpec(f"Set MaxNumberOfTrainingJobs to {grid[1]}", path, grid[1]))


class GridTooManyCombinations(Rule):
    id = "HPT407"
    name = "grid-too-many-combinations"
    severity = Severity.ERROR
    summary = "Grid strategy with more than 750 combinations."
    tags = ("strategy", "limits")

    def check(self, request: Request) -> Iterator[Violation]:
        grid = _grid_combinations(request)
        if grid is None or grid[1] <= GRID_MAX_COMBINATIONS:
            return
        yield Violation(
            grid[0],
            f"the grid has {grid[1]} distinct combinations of categorical values; a Grid "
            f"tuning job can run at most {GRID_MAX_COMBINATIONS} training jobs (a limit that "
            "cannot be raised): remove values or ranges, or use Random or Bayesian search",
            at="key")


class ParallelExceedsTotal(Rule):
    id = "HPT408"
    name = "parallel-exceeds-total"
    severity = Severity.WARNING
    summary = "MaxParallelTrainingJobs greater than MaxNumberOfTrainingJobs."
    tags = ("limits",)

    def check(self, request: Request) -> Iterator[Violation]:
        limits = resource_limits(request)
        total = known_int(limits.get("MaxNumberOfTrainingJobs"))
        parallel = known_int(limits.get("MaxParallelTrainingJobs"))
        if total is None or parallel is None or parallel <= total:
            return
        path = LIMITS + ("MaxParallelTrainingJobs",)
        yield Violation(
            path,
            f"MaxParallelTrainingJobs ({parallel}) is greater than MaxNumberOfTrainingJobs "
            f"({total}); at most {total} jobs can ever run at once, so the extra parallelism "
            f"does nothing (and may reserve quota): set it to {total} or less",
            fix=FixSpec(f"Set MaxParallelTrainingJobs to {total}", path, total))


class BayesianHighParallelism(Rule):
    id = "HPT409"
    name = "bayesian-high-parallelism"
    severity = Severity.INFO
    summary = "Bayesian search with so many parallel jobs that it behaves like random search."
    tags = ("strategy", "limits")

    def check(self, request: Request) -> Iterator[Violation]:
        if strategy(request) != "Bayesian" or "Autotune" in request.data:
            return
        limits = resource_limits(request)
        total = known_int(limits.get("MaxNumberOfTrainingJobs"))
        parallel = known_int(limits.get("MaxParallelTrainingJobs"))
        if total is None or parallel is None or parallel < 2 or parallel > total:
            return  # parallel > total is HPT408's fault
        if 2 * parallel < total:
            return
        yield Violation(
            LIMITS + ("MaxParallelTrainingJobs",),
            f"Bayesian search with MaxParallelTrainingJobs {parallel} of "
            f"MaxNumberOfTrainingJobs {total}: the first {parallel} jobs (at least half of them) "
            "start before any result is known, so Bayesian search has little to learn from "
            "and behaves much like random search; lower the parallelism to below half the "
            "total (a quarter or less lets it learn), or choose `Strategy: Random`")


class DefinitionForm(Rule):
    id = "HPT410"
    name = "definition-form"
    severity = Severity.ERROR
    summary = "Both or neither of TrainingJobDefinition and TrainingJobDefinitions."
    tags = ("structure",)

    def check(self, request: Request) -> Iterator[Violation]:
        data = request.data
        single, many = "TrainingJobDefinition" in data, "TrainingJobDefinitions" in data
        # an empty TrainingJobDefinitions list is HPT108's finding (too few items) already
        if (given(data, "TrainingJobDefinition") and given(data, "TrainingJobDefinitions")
                and data["TrainingJobDefinitions"] != []):
            yield Violation(
                ("TrainingJobDefinitions",),
                "the request has both TrainingJobDefinition and TrainingJobDefinitions; give "
                "exactly one: TrainingJobDefinition for one algorithm, TrainingJobDefinitions "
                "to tune several", at="key")
        elif not single and not many and not (may_hold(data, "TrainingJobDefinition")
                                              or may_hold(data, "TrainingJobDefinitions")):
            yield Violation(
                ("TrainingJobDefinition",),
                "the request has neither TrainingJobDefinition nor TrainingJobDefinitions, so "
                "there is nothing to train (the API marks neither required, but the service "
                "needs exactly one): add a TrainingJobDefinition", at="key")


class ObjectiveMissingOrMisplaced(Rule):
    id = "HPT411"
    name = "objective-missing-or-misplaced"
    severity = Severity.ERROR
    summary = "No objective for a single definition, or a multi-definition job without " \
              "per-definition TuningObjective and ranges."
    tags = ("objective",)

    def check(self, request: Request) -> Iterator[Violation]:
        if "Autotune" in request.data or CONFIG not in request.data:
            return
        cfg = config(request)
        if not isinstance(request.data.get(CONFIG), dict) \
                or may_hold(cfg, "HyperParameterTuningJobObjective"):
            return
        data = request.data
        if is_single_definition(request):
            definition = data["TrainingJobDefinition"]
            if ("HyperParameterTuningJobObjective" in cfg or "TuningObjective" in definition
                    or may_hold(definition, "TuningObjective")):
                return
            yield Violation(
                (CONFIG, "HyperParameterTuningJobObjective"),
                "HyperParameterTuningJobConfig has no HyperParameterTuningJobObjective; a "
                "tuning job with one TrainingJobDefinition needs an objective (the metric "
                "to maximize or minimize) there: add HyperParameterTuningJobObjective with "
                "Type and MetricName", at="key")
            return
        many = data.get("TrainingJobDefinitions")
        if "TrainingJobDefinition" in data or not isinstance(many, list):
            return
        for i, definition in enumerate(many):
            if not isinstance(definition, dict) or is_partial(definition):
                continue
            dpath: JsonPath = ("TrainingJobDefinitions", i)
            if "TuningObjective" not in definition:
                moved = (" (HyperParameterTuningJobObjective in the config is not used for "
                         "multiple definitions: move it into each definition)"
                         if "HyperParameterTuningJobObjective" in cfg else "")
                yield Violation(
                    dpath + ("TuningObjective",),
                    f"TrainingJobDefinitions[{i}] has no TuningObjective; with several "
                    "training job definitions each carries its own objective"
                    f"{moved}: add TuningObjective with Type and MetricName", at="key")
            if "HyperParameterRanges" not in definition and "ParameterRanges" in cfg:
                yield Violation(
                    dpath + ("HyperParameterRanges",),
                    f"TrainingJobDefinitions[{i}] has no HyperParameterRanges while the "
                    "config has ParameterRanges; with several training job definitions the "
                    "ranges belong in each definition's HyperParameterRanges: move them "
                    "there", at="key")


def _objective(request: Request, dpath: JsonPath,
               definition: dict[str, Any]) -> tuple[JsonPath, str] | None:
    """Where the objective metric of one definition is named, and the name: the config's
    objective for a single definition (its documented place), else the definition's own."""
    if is_single_definition(request) and "HyperParameterTuningJobObjective" in config(request):
        path: JsonPath = (CONFIG, "HyperParameterTuningJobObjective", "MetricName")
    elif "TuningObjective" in definition:
        path = dpath + ("TuningObjective", "MetricName")
    else:
        return None
    name = known_str(request.get(path))
    return (path, name) if name else None


class ObjectiveMetricUndefined(Rule):
    id = "HPT412"
    name = "objective-metric-undefined"
    severity = Severity.ERROR
    summary = "A custom image whose objective metric is not among its MetricDefinitions."
    tags = ("objective",)

    def check(self, request: Request) -> Iterator[Violation]:
        for dpath, definition in definitions(request):
            spec = definition.get("AlgorithmSpecification")
            if not isinstance(spec, dict) or "AlgorithmName" in spec \
                    or may_hold(spec, "AlgorithmName") or may_hold(spec, "MetricDefinitions"):
                continue  # an algorithm resource defines its own metrics
            image = known_str(spec.get("TrainingImage"))
            if not image or facts.builtin_algorithm(image) is not None:
                continue  # built-in algorithms have predefined metrics
            objective = _objective(request, dpath, definition)
            if objective is None:
                continue
            metrics = spec.get("MetricDefinitions", [])
            if not isinstance(metrics, list) or is_partial(metrics):
                continue
            names = [member(m, "Name") for m in metrics]
            if not all(isinstance(n, str) for n in names):
                continue  # an Unknown or malformed name could be the objective
            path, metric = objective
            if metric in names:
                continue
            have = (f"its MetricDefinitions define {', '.join(f'`{n}`' for n in names)}"
                    if names else "it has no MetricDefinitions")
            yield Violation(
                path,
                f"the objective metric `{metric}` is not defined for the custom image "
                f"{image}: {have}; the service needs a MetricDefinitions entry with this "
                "Name and a Regex that captures its value from the training log (\"A metric "
                "is required for this hyperparameter tuning job objective\"): add one, or "
                "use the name of a defined metric")


class InvalidMetricRegex(Rule):
    id = "HPT413"
    name = "invalid-metric-regex"
    severity = Severity.WARNING
    summary = "A metric regex that does not compile or has no capture group."
    tags = ("objective",)

    def check(self, request: Request) -> Iterator[Violation]:
        for dpath, definition in definitions(request):
            metrics = member(definition, "AlgorithmSpecification", "MetricDefinitions")
            if not isinstance(metrics, list):
                continue
            for i, metric in enumerate(metrics):
                regex = known_str(member(metric, "Regex"))
                if not regex:
                    continue
                path = dpath + ("AlgorithmSpecification", "MetricDefinitions", i, "Regex")
                name = known_str(member(metric, "Name")) or "?"
                try:
                    groups = re.compile(regex).groups
                except re.error as exc:
                    yield Violation(
                        path,
                        f"the regex of metric `{name}` does not compile ({exc}); no value can "
                        "be read from the training log, so the metric stays empty: fix the "
                        "regex")
                    continue
                if groups == 0:
                    yield Violation(
                        path,
                        f"the regex of metric `{name}` has no capture group; SageMaker reads "
                        "the metric's value from the first group, so nothing is captured: "
                        "wrap the number in parentheses, e.g. `loss: ([0-9\\.]+)`")


class CompletionCriteriaNeverTriggers(Rule):
    id = "HPT414"
    name = "completion-criteria-never-triggers"
    severity = Severity.WARNING
    summary = "MaxNumberOfTrainingJobsNotImproving at or above MaxNumberOfTrainingJobs."
    tags = ("limits",)

    def check(self, request: Request) -> Iterator[Violation]:
        path = (CONFIG, "TuningJobCompletionCriteria", "BestObjectiveNotImproving",
                "MaxNumberOfTrainingJobsNotImproving")
        patience = known_int(request.get(path))
        total = known_int(resource_limits(request).get("MaxNumberOfTrainingJobs"))
        if patience is None or total is None or patience < total:
            return
        yield Violation(
            path,
            f"MaxNumberOfTrainingJobsNotImproving is {patience} but the job runs at most "
            f"{total} training jobs, so the tuning job ends before this criterion can ever "
            f"stop it: set it below {total}, or remove it")


class MultiDefinitionUnsupported(Rule):
    id = "HPT415"
    name = "multi-definition-unsupported"
    severity = Severity.ERROR
    summary = "Warm start or Auto early stopping with TrainingJobDefinitions."
    tags = ("strategy",)

    def check(self, request: Request) -> Iterator[Violation]:
        data = request.data
        many = data.get("TrainingJobDefinitions")
        if "TrainingJobDefinition" in data or not isinstance(many, list) or not many:
            return
        if given(data, "WarmStartConfig"):
            yield Violation(
                ("WarmStartConfig",),
                "WarmStartConfig is set on a job with TrainingJobDefinitions; warm start is "
                "available only when tuning a single algorithm: remove WarmStartConfig or "
                "use one TrainingJobDefinition", at="key")
        if config(request).get("TrainingJobEarlyStoppingType") == "Auto":
            path = (CONFIG, "TrainingJobEarlyStoppingType")
            yield Violation(
                path,
                "TrainingJobEarlyStoppingType is `Auto` on a job with TrainingJobDefinitions; "
                "early stopping is available only when tuning a single algorithm: set it to "
                "`Off`", fix=FixSpec("Set TrainingJobEarlyStoppingType to 'Off'", path, "Off"))


class InvalidWarmStartParents(Rule):
    id = "HPT416"
    name = "invalid-warm-start-parents"
    severity = Severity.ERROR
    summary = "More than 5 (or no) warm start parents, a duplicate parent, or the job " \
              "naming itself."
    tags = ("warm-start",)
    supersedes = ((("WarmStartConfig", "ParentHyperParameterTuningJobs"), ("HPT108",)),)

    def check(self, request: Request) -> Iterator[Violation]:
        ppath: JsonPath = ("WarmStartConfig", "ParentHyperParameterTuningJobs")
        parents = request.get(ppath)
        if not isinstance(parents, list):
            return
        if not is_partial(parents) and not parents:
            yield Violation(ppath, "WarmStartConfig lists no parent tuning jobs; warm start "
                            "needs 1 to 5 parents: name them, or remove WarmStartConfig", at="key")
        elif len(parents) > MAX_PARENTS:
            yield Violation(
                ppath,
                f"WarmStartConfig lists {len(parents)} parent tuning jobs; a tuning job can "
                f"have at most {MAX_PARENTS}: keep the {MAX_PARENTS} most useful ones", at="key")
        own = known_str(request.data.get("HyperParameterTuningJobName"))
        seen: dict[str, int] = {}
        for i, parent in enumerate(parents):
            name = member(parent, "HyperParameterTuningJobName")
            if not isinstance(name, str):
                continue
            path = ppath + (i, "HyperParameterTuningJobName")
            key = name.lower()  # tuning job names are not case sensitive
            if own is not None and key == own.lower():
                yield Violation(
                    path,
                    f"parent `{name}` is this tuning job itself; a job cannot warm start "
                    "from itself (parents must be earlier jobs in a terminal state): name a "
                    "previous tuning job")
            elif key in seen:
                yield Violation(
                    path,
                    f"parent `{name}` is listed twice (also at index {seen[key]}; names are "
                    "not case sensitive); each parent counts once: remove the duplicate")
            else:
                seen[key] = i


class TuningRuntimeTooShort(Rule):
    id = "HPT417"
    name = "tuning-runtime-too-short"
    severity = Severity.WARNING
    summary = "ResourceLimits.MaxRuntimeInSeconds shorter than one training job's " \
              "MaxRuntimeInSeconds."
    tags = ("limits",)

    def check(self, request: Request) -> Iterator[Violation]:
        limit = known_int(resource_limits(request).get("MaxRuntimeInSeconds"))
        if limit is None:
            return
        longest: tuple[int, str] | None = None
        for dpath, definition in definitions(request):
            run = known_int(member(definition, "StoppingCondition", "MaxRuntimeInSeconds"))
            if run is not None and (longest is None or run > longest[0]):
                longest = (run, format_path(dpath))
        if longest is None or limit >= longest[0]:
            return
        yield Violation(
            LIMITS + ("MaxRuntimeInSeconds",),
            f"ResourceLimits.MaxRuntimeInSeconds ({limit}) is shorter than one training "
            f"job's StoppingCondition.MaxRuntimeInSeconds ({longest[0]}, in {longest[1]}); "
            "it caps the whole tuning job, not each training job, so the tuning job can stop "
            "before even one training job finishes: raise it to at least the training job "
            "run time times the number of rounds (MaxNumberOfTrainingJobs / "
            "MaxParallelTrainingJobs), or remove it")


class ExceedsDefaultQuota(Rule):
    id = "HPT418"
    name = "exceeds-default-quota"
    severity = Severity.WARNING
    summary = "More training jobs or parallel training jobs than the default service quotas."
    tags = ("limits", "quota")

    def check(self, request: Request) -> Iterator[Violation]:
        limits = resource_limits(request)
        total = known_int(limits.get("MaxNumberOfTrainingJobs"))
        parallel = known_int(limits.get("MaxParallelTrainingJobs"))
        if total is not None and total > DEFAULT_MAX_JOBS and strategy(request) != "Grid":
            yield Violation(
                LIMITS + ("MaxNumberOfTrainingJobs",),
                f"MaxNumberOfTrainingJobs is {total}; the default quota is {DEFAULT_MAX_JOBS} "
                "training jobs per tuning job (for Random search it can be raised to 10,000 "
                "through Service Quotas): unless your account's quota was raised, the "
                f"request is rejected; lower it to {DEFAULT_MAX_JOBS} or request a quota "
                "increase")
        if parallel is not None and parallel > DEFAULT_MAX_PARALLEL:
            yield Violation(
                LIMITS + ("MaxParallelTrainingJobs",),
                f"MaxParallelTrainingJobs is {parallel}; the default quota is "
                f"{DEFAULT_MAX_PARALLEL} parallel training jobs per tuning job (adjustable up "
                "to 100 through Service Quotas): unless your account's quota was raised, the "
                f"request is rejected; lower it to {DEFAULT_MAX_PARALLEL} or request a quota "
                "increase")
