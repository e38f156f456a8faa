"""Computed values (``@max_instance_hours``, ...): what a request can spend, worst case.

Worst case = every training job the tuning job may launch runs for its full
``MaxRuntimeInSeconds`` on the costliest definition:

- training jobs: ``ResourceLimits.MaxNumberOfTrainingJobs``; for ``Grid`` without it,
  the number of categorical combinations (the service infers it that way);
- instances per training job: ``ResourceConfig.InstanceCount``, the sum over
  ``InstanceGroups``, or ``HyperParameterTuningResourceConfig`` (the largest of its
  ``InstanceConfigs``);
- run time per training job: ``StoppingCondition.MaxRuntimeInSeconds``, or the API
  default of 1 day when it is not set (the value says so in its notes);
- instance-hours = jobs × instances × run time / 3600, at most
  peak concurrent instances × ``ResourceLimits.MaxRuntimeInSeconds`` / 3600 when the
  tuning job itself has a time cap;
- GPU-hours: the same with GPUs (instances × GPUs per instance);
- peak concurrent instances = min(``MaxParallelTrainingJobs``, jobs) × instances.

A factor that is an ``Unknown`` (or cannot be worked out) makes the value unknown
(``None``): policies never report an unknown value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hpt_lint import facts
from hpt_lint.checks._request_parts import CONFIG, definitions, known_int
from hpt_lint.request import JsonPath, Request, Unknown

# The largest count the cost model multiplies (2**53: exact in a float). Counts, run
# times and grid sizes outside 1..MAX_COUNT are not a cost (the schema rules report a
# negative or absurd value); they make the computed value unknown, never an overflow.
MAX_COUNT = 2**53
DEFAULT_RUNTIME = 86400  # StoppingCondition.MaxRuntimeInSeconds: "The default value is 1 day."
LIMITS = (CONFIG, "ResourceLimits")


def positive_count(value: Any) -> int | None:
    """A count the cost model can use: an integer in 1..MAX_COUNT, else None."""
    n = known_int(value)
    return n if n is not None and 1 <= n <= MAX_COUNT else None


# ---------------------------------------------------------------- instance data


# Instance facts (GPUs per instance, local NVMe storage) come from the shared data
# table in hpt_lint/data/instances.json, read through hpt_lint.facts.
gpus_per_instance = facts.gpus
has_local_storage = facts.has_local_storage


# ---------------------------------------------------------------- per definition


@dataclass(frozen=True)
class Shape:
    """One definition's training job: instances, GPUs, run time (None: unknown)."""

    path: JsonPath
    instances: int | None
    gpus: int | None  # GPUs of one training job (all its instances)
    runtime: int | None  # seconds
    runtime_path: JsonPath
    instance_types: tuple[str, ...] | None  # None: some type is not known
    notes: tuple[str, ...] = ()


def _group_total(groups: list[Any]) -> tuple[int | None, int | None, list[str] | None]:
    count = 0
    gpus: int | None = 0
    types: list[str] | None = []
    for group in groups:
        if not isinstance(group, dict):
            return None, None, None
        n = positive_count(group.get("InstanceCount"))
        t = group.get("InstanceType")
        if n is None:
            return None, None, None
        count += n
        if isinstance(t, str) and types is not None:
            types.append(t)
            g = gpus_per_instance(t)
            gpus = None if g is None or gpus is None else gpus + n * g
        else:
            types, gpus = None, None
    return count, gpus, types


def shape(dpath: JsonPath, definition: dict[str, Any]) -> Shape:
    instances: int | None = None
    gpus: int | None = None
    types: list[str] | None = None
    resource = definition.get("ResourceConfig")
    tuning = definition.get("HyperParameterTuningResourceConfig")
    if isinstance(resource, dict):
        groups = resource.get("InstanceGroups")
        if isinstance(groups, list) and groups:
            instances, gpus, types = _group_total(groups)
        else:
            instances, gpus, types = _group_total([resource])
    elif isinstance(tuning, dict):
        configs = tuning.get("InstanceConfigs")
        options = configs if isinstance(configs, list) and configs else [tuning]
        totals = [_group_total([c]) for c in options]
        counts = [c for c, _, _ in totals]
        instances = None if None in counts else max(c for c in counts if c is not None)
        gpu_list = [g for _, g, _ in totals]
        gpus = None if None in gpu_list else max(g for g in gpu_list if g is not None)
        type_lists = [t for _, _, t in totals]
        types = None if None in type_lists else [x for t in type_lists if t for x in t]
    stopping = definition.get("StoppingCondition")
    runtime_path = dpath + ("StoppingCondition", "MaxRuntimeInSeconds")
    notes: list[str] = []
    runtime: int | None
    if isinstance(stopping, dict) and "MaxRuntimeInSeconds" in stopping:
        runtime = positive_count(stopping["MaxRuntimeInSeconds"])
    elif (stopping is not None and not isinstance(stopping, dict)) or getattr(
            stopping if isinstance(stopping, dict) else definition, "unknown_sources", ()):
        runtime = None  # an Unknown, a wrong type, or a **spread that may set it
    else:
        runtime = DEFAULT_RUNTIME
        notes.append(f"{_name(dpath)} sets no StoppingCondition.MaxRuntimeInSeconds: the API "
                     "default of 1 day (86400 s) is assumed")
    return Shape(dpath, instances, gpus, runtime, runtime_path,
                 None if types is None else tuple(types), tuple(notes))


def _name(dpath: JsonPath) -> str:
    return dpath[0] if len(dpath) == 1 else f"{dpath[0]}[{dpath[1]}]"


# ---------------------------------------------------------------- request level


@dataclass(frozen=True)
class Value:
    """A computed value, where a finding about it points, and how it was worked out."""

    value: float | int | bool | None  # None: not known statically
    anchor: JsonPath
    explain: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cost:
    """The worst case of one request (None where a factor is unknown)."""

    training_jobs: int | None
    training_jobs_source: str  # "MaxNumberOfTrainingJobs", "grid combinations" or why unknown
    parallel_jobs: int | None
    instances_per_job: int | None
    gpus_per_job: int | None
    max_runtime_seconds: int | None
    instance_hours: float | None
    gpu_hours: float | None
    peak_instances: int | None
    peak_gpus: int | None
    jobs_anchor: JsonPath
    hours_anchor: JsonPath
    hours_explain: str
    gpu_explain: str
    notes: tuple[str, ...] = field(default=())


def _categorical_combinations(ranges: Any) -> int | None:
    if not isinstance(ranges, dict):
        return None
    items = ranges.get("CategoricalParameterRanges")
    if not isinstance(items, list) or isinstance(items, Unknown):
        return None
    total = 1
    for item in items:
        values = item.get("Values") if isinstance(item, dict) else None
        if not isinstance(values, list) or getattr(values, "unknown_sources", ()):
            return None
        total *= len(values)
        if total > MAX_COUNT:
            return None
    return total if items else None


def _training_jobs(request: Request) -> tuple[int | None, str, JsonPath]:
    config = request.data.get(CONFIG)
    config = config if isinstance(config, dict) else {}
    limits = config.get("ResourceLimits")
    anchor = LIMITS + ("MaxNumberOfTrainingJobs",)
    if isinstance(limits, dict) and "MaxNumberOfTrainingJobs" in limits:
        jobs = positive_count(limits["MaxNumberOfTrainingJobs"])
        return jobs, "MaxNumberOfTrainingJobs" if jobs is not None else (
            "unknown" if known_int(limits["MaxNumberOfTrainingJobs"]) is None
            else "unknown (MaxNumberOfTrainingJobs is not a count from 1 to 2**53)"), anchor
    if config.get("Strategy") == "Grid":
        combos = _categorical_combinations(config.get("ParameterRanges"))
        if combos is not None:
            return combos, "grid combinations", (CONFIG, "ParameterRanges")
        per_def = [(_categorical_combinations(d.get("HyperParameterRanges")), p)
                   for p, d in definitions(request)]
        if per_def and all(c is not None for c, _ in per_def) \
                and sum(c for c, _ in per_def if c is not None) <= MAX_COUNT:
            return (sum(c for c, _ in per_def if c is not None), "grid combinations",
                    per_def[0][1] + ("HyperParameterRanges",))
        return None, "unknown (grid combinations not known)", (CONFIG, "ParameterRanges")
    return None, "unknown (MaxNumberOfTrainingJobs not set)", LIMITS


def _fmt(x: float) -> str:
    """Hours for messages and tables: at most two decimals, no trailing zeros."""
    text = f"{x:,.2f}".rstrip("0").rstrip(".")
    return text


def cost(request: Request) -> Cost:
    cached = request.cache.get("policy.cost")
    if isinstance(cached, Cost):
        return cached
    result = _cost(request)
    request.cache["policy.cost"] = result
    return result


def _max_known(values: list[int | None]) -> int | None:
    return None if not values or None in values else max(v for v in values if v is not None)



def _worst_case_hours(jobs: int | None, per_job_secs: float | None, peak: int | None,
                      tuning_cap: int | None, unit: str, peak_what: str
                      ) -> tuple[float | None, str, bool]:
    """(hours, how they were counted, whether the tuning job's own run-time cap bounds
    them): every job runs its full time, unless the whole tuning job stops sooner."""
    hours: float | None = None
    explain = ""
    if jobs is not None and per_job_secs is not None:
        hours = jobs * per_job_secs / 3600
        explain = f"{jobs} training jobs × {_fmt(per_job_secs / 3600)} {unit} each"
    if tuning_cap is not None and peak is not None:
        capped = peak * tuning_cap / 3600
        if hours is None or capped < hours:
            return capped, (f"{peak} {peak_what} × {_fmt(tuning_cap / 3600)} h, the "
                            "tuning job's ResourceLimits.MaxRuntimeInSeconds"), True
    return hours, explain, False

def _cost(request: Request) -> Cost:
    jobs, jobs_source, jobs_anchor = _training_jobs(request)
    limits = request.data.get(CONFIG, {})
    limits = limits.get("ResourceLimits") if isinstance(limits, dict) else None
    limits = limits if isinstance(limits, dict) else {}
    parallel = positive_count(limits.get("MaxParallelTrainingJobs"))
    tuning_cap = positive_count(limits.get("MaxRuntimeInSeconds"))
    shapes = [shape(p, d) for p, d in definitions(request)]
    notes = [n for s in shapes for n in s.notes]
    instances = _max_known([s.instances for s in shapes])
    gpus = _max_known([s.gpus for s in shapes])
    runtime = _max_known([s.runtime for s in shapes])
    # the costliest definition: the largest instances × run time (and GPUs × run time)
    inst_secs = _max_known([None if s.instances is None or s.runtime is None
                            else s.instances * s.runtime for s in shapes])
    gpu_secs = _max_known([None if s.gpus is None or s.runtime is None
                           else s.gpus * s.runtime for s in shapes])
    concurrent = None if parallel is None else parallel if jobs is None else min(parallel, jobs)
    peak = None if concurrent is None or instances is None else concurrent * instances
    peak_gpus = None if concurrent is None or gpus is None else concurrent * gpus

    hours, explain, capped = _worst_case_hours(jobs, inst_secs, peak, tuning_cap,
                                               "instance-hours", "concurrent instances")
    hours_anchor = LIMITS + ("MaxRuntimeInSeconds",) if capped else jobs_anchor
    gpu_hours, gpu_explain, _ = _worst_case_hours(jobs, gpu_secs, peak_gpus, tuning_cap,
                                                  "GPU-hours", "concurrent GPUs")
    if hours_anchor != jobs_anchor:
        notes.append(f"capped by the tuning job's ResourceLimits.MaxRuntimeInSeconds "
                     f"({_fmt(tuning_cap / 3600 if tuning_cap else 0)} h)")
    if not shapes:
        notes.append("no training job definition")
    return Cost(jobs, jobs_source, parallel, instances, gpus, runtime, hours, gpu_hours, peak,
                peak_gpus, jobs_anchor, hours_anchor, explain, gpu_explain, tuple(notes))


# ---------------------------------------------------------------- named values

Scope = tuple[JsonPath, dict[str, Any]] | None  # the definition being evaluated, if any


def _volume_kms_allowed(s: Shape) -> bool | None:
    if s.instance_types is None:
        return None
    flags = [has_local_storage(t) for t in s.instance_types]
    if not flags or None in flags:
        return None
    return not any(flags)


def _scoped(request: Request, scope: Scope) -> list[Shape]:
    if scope is not None:
        return [shape(*scope)]
    return [shape(p, d) for p, d in definitions(request)]


def value(name: str, request: Request, scope: Scope = None) -> Value:
    """The computed value ``@name`` for ``request`` (per definition where it says so)."""
    c = cost(request)
    parallel_anchor = LIMITS + ("MaxParallelTrainingJobs",)
    if name == "max_training_jobs":
        return Value(c.training_jobs, c.jobs_anchor, f"{c.training_jobs_source}")
    if name == "max_instance_hours":
        return Value(c.instance_hours, c.hours_anchor, c.hours_explain, c.notes)
    if name == "max_gpu_hours":
        return Value(c.gpu_hours, c.hours_anchor, c.gpu_explain, c.notes)
    if name == "max_parallel_instances":
        return Value(c.peak_instances, parallel_anchor,
                     f"{c.parallel_jobs} parallel training jobs × {c.instances_per_job} "
                     "instances")
    if name == "max_concurrent_gpus":
        return Value(c.peak_gpus, parallel_anchor,
                     f"{c.parallel_jobs} parallel training jobs × {c.gpus_per_job} GPUs")
    shapes = _scoped(request, scope)
    if name == "instances_per_job":
        worst = _max_known([s.instances for s in shapes])
        anchor = shapes[0].path + ("ResourceConfig",) if len(shapes) == 1 else ()
        return Value(worst, anchor, "instances per training job")
    if name == "max_runtime_seconds":
        worst = _max_known([s.runtime for s in shapes])
        pick = next((s for s in shapes if s.runtime == worst), None)
        return Value(worst, pick.runtime_path if pick else (), "run time per training job",
                     pick.notes if pick else ())
    if name == "volume_kms_allowed":
        flags = [_volume_kms_allowed(s) for s in shapes]
        known = None if not flags or None in flags else all(flags)
        return Value(known, shapes[0].path if len(shapes) == 1 else (),
                     "whether every instance type of the definition takes a VolumeKmsKeyId")
    raise KeyError(name)


COMPUTED: dict[str, str] = {
    "max_training_jobs": "training jobs the tuning job may launch",
    "max_instance_hours": "worst-case instance-hours of the whole tuning job",
    "max_gpu_hours": "worst-case GPU-hours of the whole tuning job",
    "max_parallel_instances": "peak concurrent instances",
    "max_concurrent_gpus": "peak concurrent GPUs",
    "instances_per_job": "instances of one training job (per definition)",
    "max_runtime_seconds": "run time cap of one training job, API default 1 day "
                           "(per definition)",
    "volume_kms_allowed": "every instance type of the definition accepts a VolumeKmsKeyId "
                          "(per definition)",
}

__all__ = ["COMPUTED", "DEFAULT_RUNTIME", "Cost", "Value", "cost", "gpus_per_instance",
           "has_local_storage", "value"]
