"""HPT8xx: what a SageMaker built-in algorithm accepts (metrics, hyperparameters, images).

Every rule here reads the algorithm data through ``hpt_lint.algorithms`` and fires only for
a training job definition whose algorithm is recognised (a built-in image URI, or an SDK
call that names the algorithm); each definition of a multi-definition request is checked
on its own, with the ranges its training jobs tune.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hpt_lint import algorithms
from hpt_lint.algorithms import Algorithm, Hyperparameter, Recognised
from hpt_lint.checks._request_parts import (
    CONFIG,
    OBJECTIVE_METRIC_HYPERPARAMETER,
    RANGE_KINDS,
    blocks_for_definition,
    config,
    definitions,
    is_partial,
    is_single_definition,
    known_str,
    number,
)
from hpt_lint.findings import Severity
from hpt_lint.request import JsonPath, Request
from hpt_lint.rule import Rule, Violation

# the share of a range that must lie inside the recommended range for HPT810 to stay quiet
RECOMMENDED_OVERLAP = 0.25
_LISTED = 12  # metric names to list in a message before "…"


@dataclass(frozen=True, slots=True)
class Job:
    """One training job definition whose built-in algorithm is recognised."""

    path: JsonPath
    definition: dict[str, Any]
    found: Recognised
    blocks: list[tuple[JsonPath, dict[str, Any]]]

    @property
    def algorithm(self) -> Algorithm:
        return self.found.algorithm

    @property
    def spec_path(self) -> JsonPath:
        return self.path + ("AlgorithmSpecification",)

    @property
    def static(self) -> Any:
        return self.definition.get("StaticHyperParameters")

    def script_mode(self) -> bool:
        return algorithms.script_mode(self.static)

    def known_static(self) -> dict[str, Any] | None:
        """The static hyperparameters when all of them can be seen (absent = none)."""
        static = self.definition.get("StaticHyperParameters", {})
        if not isinstance(static, dict) or is_partial(static) or is_partial(self.definition):
            return None
        return static


def jobs(request: Request) -> list[Job]:
    """The definitions of ``request`` that run a recognised built-in algorithm (computed once
    per request: every HPT8xx rule reads them)."""
    cached = request.cache.get("algorithm_jobs")
    if cached is None:
        cached = request.cache["algorithm_jobs"] = list(_jobs(request))
    return list(cached)


def _jobs(request: Request) -> Iterator[Job]:
    for dpath, definition in definitions(request):
        spec = definition.get("AlgorithmSpecification")
        if not isinstance(spec, dict) or is_partial(spec):
            continue
        found = algorithms.recognise(spec.get("TrainingImage"))
        if found is None:
            continue
        yield Job(dpath, definition, found, blocks_for_definition(request, dpath, definition))


def _objective(request: Request, job: Job) -> tuple[JsonPath, dict[str, Any]] | None:
    """Where the objective of one definition is written, and the objective itself."""
    if is_single_definition(request):
        path: JsonPath = (CONFIG, "HyperParameterTuningJobObjective")
        value = config(request).get("HyperParameterTuningJobObjective")
    else:
        path = job.path + ("TuningObjective",)
        value = job.definition.get("TuningObjective")
    return (path, value) if isinstance(value, dict) else None


def _ranges(job: Job) -> Iterator[tuple[JsonPath, str, dict[str, Any], str]]:
    """(path, kind, range, name) of every range with a known name that this job tunes."""
    for bpath, block in job.blocks:
        for kind in RANGE_KINDS:
            items = block.get(kind)
            if not isinstance(items, list):
                continue
            for i, item in enumerate(items):
                if isinstance(item, dict) and isinstance(item.get("Name"), str):
                    yield bpath + (kind, i), kind, item, item["Name"]


def _tuned_names(job: Job) -> set[str] | None:
    """Every name this job tunes, or None when some name cannot be seen."""
    names: set[str] = set()
    for _bpath, block in job.blocks:
        if is_partial(block):
            return None
        for kind in RANGE_KINDS:
            items = block.get(kind, [])
            if not isinstance(items, list) or is_partial(items):
                return None
            for item in items:
                name = item.get("Name") if isinstance(item, dict) else None
                if not isinstance(name, str):
                    return None
                names.add(name)
    return names


def _word(value: str) -> str:
    """A categorical value as compared: JSON quotes (the SDK writes ``'"kmeans++"'``) and case
    do not matter."""
    text = value.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    return text.lower()


def value_problem(hp: Hyperparameter, value: str) -> str | None:
    """Why a value is not valid for a hyperparameter, or None when it is (or cannot tell)."""
    word = _word(value)
    if word in (_word(v) for v in hp.special_values):
        return None
    if hp.values:
        if word in (_word(v) for v in hp.values):
            return None
        return f"`{value}` is not {hp.describe()}"
    if hp.domain is None or hp.type not in ("integer", "continuous"):
        return None
    x = number(word)
    if x is None:
        return f"`{value}` is not a number; {hp.name} takes {hp.describe()}"
    if hp.type == "integer" and not float(x).is_integer():
        return f"`{value}` is not an integer; {hp.name} takes {hp.describe()}"
    if not hp.domain.contains(x):
        return f"`{value}` is not {hp.describe()}"
    return None


def _metric_list(algo: Algorithm) -> str:
    names = [m.name for m in algo.metrics]
    shown = ", ".join(names[:_LISTED])
    return shown + (f", … ({len(names)} in all)" if len(names) > _LISTED else "")


class UnknownObjectiveMetric(Rule):
    id = "HPT801"
    name = "unknown-objective-metric"
    severity = Severity.ERROR
    summary = "The objective metric is not one the built-in algorithm emits."
    tags = ("algorithm", "objective")

    def check(self, request: Request) -> Iterator[Violation]:
        for job in jobs(request):
            algo = job.algorithm
            if not algo.metrics_complete or job.script_mode():
                continue
            objective = _objective(request, job)
            if objective is None:
                continue
            path, value = objective
            metric = known_str(value.get("MetricName"))
            if not metric or algo.metric(metric) is not None:
                continue
            close = difflib.get_close_matches(metric, [m.name for m in algo.metrics], n=1)
            hint = f"; did you mean `{close[0]}`?" if close else ""
            yield Violation(
                path + ("MetricName",),
                f"`{metric}` is not an objective metric of {job.found.label()}; the algorithm "
                f"emits {_metric_list(algo)}{hint}")


class ObjectiveDirectionMismatch(Rule):
    id = "HPT802"
    name = "objective-direction-mismatch"
    severity = Severity.WARNING
    summary = "The objective Type is the opposite of the metric's documented direction."
    tags = ("algorithm", "objective")

    def check(self, request: Request) -> Iterator[Violation]:
        for job in jobs(request):
            objective = _objective(request, job)
            if objective is None:
                continue
            path, value = objective
            metric = job.algorithm.metric(known_str(value.get("MetricName")) or "")
            kind = known_str(value.get("Type"))
            if metric is None or kind not in ("Maximize", "Minimize") or kind == metric.direction:
                continue
            yield Violation(
                path + ("Type",),
                f"`{metric.name}` is {kind}d but improves when it goes "
                f"{'up' if metric.direction == 'Maximize' else 'down'}; {job.found.label()} "
                f"documents it as {metric.direction}, and as written the tuning job looks "
                "for the worst model")


class HyperparameterNotTunable(Rule):
    id = "HPT803"
    name = "hyperparameter-not-tunable"
    severity = Severity.ERROR
    summary = "A range names a hyperparameter the built-in algorithm does not have or tune."
    tags = ("algorithm", "ranges")

    def check(self, request: Request) -> Iterator[Violation]:
        for job in jobs(request):
            algo = job.algorithm
            if not algo.hyperparameters_complete or job.script_mode():
                continue
            tunable = ", ".join(hp.name for hp in algo.tunable())
            for path, _kind, _item, name in _ranges(job):
                if name == OBJECTIVE_METRIC_HYPERPARAMETER or name.startswith("sagemaker_"):
                    continue  # reserved and SDK-managed names are HPT311's
                hp = algo.hyperparameter(name)
                if hp is not None and (hp.tunable or name != hp.name
                                       or not algo.tunable_complete):
                    continue  # tunable, an alias (whether the service maps it is unknown), or
                    # a tunable list taken from a guide table that is not always the service's
                if hp is None:
                    close = difflib.get_close_matches(name, [h.name for h in algo.tunable()], n=1)
                    why = f"{job.found.label()} has no hyperparameter `{name}`" + (
                        f" (did you mean `{close[0]}`?)" if close else "")
                else:
                    why = f"`{name}` is not tunable for {job.found.label()}; set it in " \
                          "StaticHyperParameters instead"
                yield Violation(path + ("Name",),
                                f"{why}; the tunable hyperparameters are {tunable}")


class RangeOutsideAlgorithmDomain(Rule):
    id = "HPT804"
    name = "range-outside-algorithm-domain"
    severity = Severity.ERROR
    summary = "A range or categorical value reaches outside the hyperparameter's valid values."
    tags = ("algorithm", "ranges")

    def check(self, request: Request) -> Iterator[Violation]:
        for job in jobs(request):
            if job.script_mode():
                continue
            for path, kind, item, name in _ranges(job):
                hp = job.algorithm.hyperparameter(name)
                if hp is None:
                    continue
                if kind == "CategoricalParameterRanges":
                    values = item.get("Values")
                    if not isinstance(values, list):
                        continue
                    for i, value in enumerate(values):
                        problem = value_problem(hp, value) if isinstance(value, str) else None
                        if problem:
                            yield Violation(path + ("Values", i),
                                            f"{problem} ({job.found.label()}, {hp.name})")
                elif hp.domain is not None and hp.type in ("integer", "continuous"):
                    yield from self._bounds(job, path, item, hp)

    @staticmethod
    def _bounds(job: Job, path: JsonPath, item: dict[str, Any],
                hp: Hyperparameter) -> Iterator[Violation]:
        assert hp.domain is not None
        for key in ("MinValue", "MaxValue"):
            x = number(item.get(key))
            if x is not None and not hp.domain.contains(x):
                yield Violation(
                    path + (key,),
                    f"{key} {item[key]} of `{hp.name}` is outside its valid values; "
                    f"{job.found.label()} takes {hp.describe()}, and every training job that "
                    "draws a value there fails")


class MissingRequiredHyperparameter(Rule):
    id = "HPT805"
    name = "missing-required-hyperparameter"
    severity = Severity.ERROR
    summary = "A hyperparameter the built-in algorithm requires is neither static nor tuned."
    tags = ("algorithm",)

    def check(self, request: Request) -> Iterator[Violation]:
        for job in jobs(request):
            static = job.known_static()
            tuned = _tuned_names(job)
            if static is None or tuned is None or job.script_mode():
                continue
            given = set(static) | tuned
            from_sdk = job.found.uri is None  # an SDK call, which may set some itself
            for hp in job.algorithm.hyperparameters:
                if not hp.required or given & {hp.name, *hp.aliases}:
                    continue
                if from_sdk and hp.set_by_sdk:
                    continue  # e.g. feature_dim, from the records at fit time
                where = (job.path + ("StaticHyperParameters",)
                         if "StaticHyperParameters" in job.definition else job.spec_path)
                yield Violation(
                    where,
                    f"{job.found.label()} requires `{hp.name}`, which is neither static nor "
                    f"tuned; every training job fails at start: set it ({hp.describe()})",
                    at="key")


class InvalidStaticHyperparameter(Rule):
    id = "HPT806"
    name = "invalid-static-hyperparameter"
    severity = Severity.ERROR
    summary = "A static hyperparameter value, or combination, the built-in algorithm rejects."
    tags = ("algorithm",)

    def check(self, request: Request) -> Iterator[Violation]:
        for job in jobs(request):
            static = job.definition.get("StaticHyperParameters")
            if not isinstance(static, dict) or job.script_mode():
                continue
            spath = job.path + ("StaticHyperParameters",)
            for key, value in static.items():
                hp = job.algorithm.hyperparameter(key)
                if hp is None or not isinstance(value, str):
                    continue
                problem = value_problem(hp, value)
                if problem:
                    yield Violation(spath + (key,), f"{problem} ({job.found.label()}, {key})")
            yield from self._constraints(job, static, spath)

    @staticmethod
    def _constraints(job: Job, static: dict[str, Any], spath: JsonPath) -> Iterator[Violation]:
        tuned = _tuned_names(job)
        for rule in job.algorithm.constraints:
            if rule["kind"] == "requires":
                when = rule["when"]
                value = static.get(when["name"])
                if not isinstance(value, str) or _word(value) not in when["values"]:
                    continue
                need = rule["require"]
                if need in static or tuned is None or need in tuned or is_partial(static):
                    continue
                yield Violation(spath + (when["name"],),
                                f"{when['name']} `{value}` needs `{need}`, which is neither "
                                f"static nor tuned ({job.found.label()}: {rule['message']})")
            elif rule["kind"] == "metric-needs-objective":
                metrics = static.get(rule["name"])
                objective = static.get(rule["objective"])
                if not isinstance(metrics, str) or not isinstance(objective, str):
                    continue
                items = [_word(m) for m in metrics.split(",")]
                word = _word(objective)
                if rule["metric"] in items and not word.startswith(tuple(rule["prefixes"])):
                    yield Violation(spath + (rule["name"],),
                                    f"{rule['name']} `{metrics}` with objective `{objective}`; "
                                    f"{rule['message']} ({job.found.label()})")


class MetricDefinitionsOnBuiltIn(Rule):
    id = "HPT807"
    name = "metric-definitions-on-built-in"
    severity = Severity.WARNING
    summary = "MetricDefinitions given for a built-in algorithm, which defines its own."
    tags = ("algorithm", "objective")

    def check(self, request: Request) -> Iterator[Violation]:
        for job in jobs(request):
            metrics = job.definition["AlgorithmSpecification"].get("MetricDefinitions")
            if not isinstance(metrics, list) or not metrics or job.script_mode():
                continue
            yield Violation(
                job.spec_path + ("MetricDefinitions",),
                f"MetricDefinitions are not used by {job.found.label()}, a built-in "
                "algorithm; SageMaker defines its metrics itself: remove them and name one "
                "of the algorithm's metrics as the objective", at="key")


class ImageRegistryRegionMismatch(Rule):
    id = "HPT808"
    name = "image-registry-region-mismatch"
    severity = Severity.ERROR
    summary = "A built-in image's registry account is not the one for the region in its URI."
    tags = ("algorithm", "image")

    def check(self, request: Request) -> Iterator[Violation]:
        for job in jobs(request):
            found = job.found
            expected = found.expected_account()
            if expected is None or found.account is None or found.account == expected:
                continue
            if found.account in algorithms.accounts_for_region(found.region or ""):
                continue  # a registry of this region in some SDK map: not provably wrong
            registry = algorithms.registries()[found.image.registry or ""]
            homes = sorted(r for r, a in registry.items() if a == found.account)
            home = f" ({found.account} is its registry in {', '.join(homes)})" if homes else ""
            yield Violation(
                job.spec_path + ("TrainingImage",),
                f"{found.algorithm.title} images in {found.region} are in account {expected}, "
                f"not {found.account}; SageMaker cannot pull this image for a job in "
                f"{found.region}{home}: use {expected}.dkr.ecr.{found.region}...")


class UnknownAlgorithmVersion(Rule):
    id = "HPT809"
    name = "unknown-algorithm-version"
    severity = Severity.WARNING
    summary = "An image tag the built-in algorithm never published."
    tags = ("algorithm", "image")

    def check(self, request: Request) -> Iterator[Violation]:
        for job in jobs(request):
            found = job.found
            if found.version_known() is not False:
                continue
            yield Violation(
                job.spec_path + ("TrainingImage",),
                f"{found.algorithm.title} has no published version `{found.version}` in "
                f"repository {found.image.repository}; the published tags are "
                f"{', '.join(found.image.versions)}")


class OutsideRecommendedRange(Rule):
    id = "HPT810"
    name = "outside-recommended-range"
    severity = Severity.INFO
    summary = "A range lies mostly outside the documented recommended tuning range."
    tags = ("algorithm", "ranges")

    def check(self, request: Request) -> Iterator[Violation]:
        for job in jobs(request):
            if job.script_mode():
                continue
            for path, kind, item, name in _ranges(job):
                hp = job.algorithm.hyperparameter(name)
                if kind == "CategoricalParameterRanges" or hp is None or hp.recommended is None:
                    continue
                low, high = number(item.get("MinValue")), number(item.get("MaxValue"))
                if low is None or high is None or high < low:
                    continue
                if hp.domain is not None and not (hp.domain.contains(low)
                                                  and hp.domain.contains(high)):
                    continue  # HPT804's finding
                if self._mostly_inside(low, high, hp):
                    continue
                yield Violation(
                    path + ("Name",),
                    f"`{name}` [{item['MinValue']}, {item['MaxValue']}] lies mostly outside "
                    f"the recommended range {hp.recommended.text()}; {job.found.label()}'s "
                    "tuning page recommends it: widen or move the range unless you know why")

    @staticmethod
    def _mostly_inside(low: float, high: float, hp: Hyperparameter) -> bool:
        rec = hp.recommended
        assert rec is not None
        r_low = rec.low if rec.low is not None else low
        r_high = rec.high if rec.high is not None else high
        if high == low:
            return r_low <= low <= r_high
        overlap = max(0.0, min(high, r_high) - max(low, r_low))
        return overlap >= RECOMMENDED_OVERLAP * (high - low)
