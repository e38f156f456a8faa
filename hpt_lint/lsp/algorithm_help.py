"""Editor help for built-in algorithms: the tunable hyperparameter names inside
``ParameterRanges``, the metric names in ``MetricName``, and a hover on a hyperparameter
name with its valid values, recommended range and source.

Completion works on half-typed text, so the algorithm is found from the text itself: the
``TrainingImage`` of the definition at the cursor (the n-th image for
``TrainingJobDefinitions[n]``, else the first one), recognised like the rules do.
"""

from __future__ import annotations

import re

from hpt_lint import algorithms
from hpt_lint.algorithms import Algorithm, Hyperparameter, Recognised
from hpt_lint.request import JsonPath, Request, get_path

_IMAGE = re.compile(r"""["']?TrainingImage["']?\s*:\s*["']?([^\s"',}\]#]+)""")
_RANGE_KINDS = ("IntegerParameterRanges", "ContinuousParameterRanges",
                "CategoricalParameterRanges")
# the hyperparameter types a range kind suggests (a categorical range may list numbers)
_KIND_TYPES = {"IntegerParameterRanges": ("integer",),
               "ContinuousParameterRanges": ("continuous",),
               "CategoricalParameterRanges": ("categorical", "integer", "continuous")}


def _found_in_text(text: str, path: JsonPath) -> Recognised | None:
    images = _IMAGE.findall(text)
    if not images:
        return None
    index = path[1] if (len(path) > 1 and path[0] == "TrainingJobDefinitions"
                        and isinstance(path[1], int)) else 0
    image = images[index] if index < len(images) else images[0]
    return algorithms.recognise(image)


def _range_kind(path: JsonPath) -> str | None:
    """The range list a ``Name`` value at ``path`` belongs to, if it is one."""
    if len(path) >= 3 and path[-1] == "Name" and path[-3] in _RANGE_KINDS \
            and isinstance(path[-2], int):
        return str(path[-3])
    return None


def _is_metric_name(path: JsonPath) -> bool:
    return len(path) >= 2 and path[-1] == "MetricName" and path[-2] in (
        "HyperParameterTuningJobObjective", "TuningObjective")


def hyperparameter_doc(algo: Algorithm, hp: Hyperparameter, label: str) -> str:
    lines = [f"**{hp.name}** ({label}, {hp.type})", "",
             f"- valid values: {hp.describe()}",
             f"- tunable: {'yes' if hp.tunable else 'no (static only)'}"]
    if hp.recommended is not None:
        lines.append(f"- recommended tuning range: {hp.recommended.text()}")
    if hp.recommended_values:
        lines.append("- recommended values: " + ", ".join(hp.recommended_values))
    if hp.required:
        lines.append("- required")
    if hp.aliases:
        lines.append("- aliases: " + ", ".join(hp.aliases))
    if hp.note:
        lines.append(f"- note: {hp.note}")
    lines += ["", f"Source: {hp.source}"]
    return "\n".join(lines)


def completions(text: str, path: JsonPath) -> list[tuple[str, str, str]]:
    """(label, detail, documentation) for the value at ``path``: tunable hyperparameter
    names for a range's ``Name``, metric names for ``MetricName``; empty elsewhere or when
    the algorithm is not recognised."""
    kind = _range_kind(path)
    if kind is None and not _is_metric_name(path):
        return []
    found = _found_in_text(text, path)
    if found is None:
        return []
    algo = found.algorithm
    if kind is not None:
        return [(hp.name, f"{found.label()} tunable {hp.type}",
                 hyperparameter_doc(algo, hp, found.label()))
                for hp in algo.tunable() if hp.type in _KIND_TYPES[kind]]
    return [(m.name, f"{found.label()} metric: {m.direction}",
             f"**{m.name}**: {m.direction} ({found.label()})\n\nSource: {m.source}")
            for m in algo.metrics]


def hover(requests: list[Request], path: JsonPath) -> str | None:
    """Markdown for a hyperparameter name under the cursor (a range's ``Name`` value or a
    ``StaticHyperParameters`` key) or an objective ``MetricName`` of a recognised built-in
    algorithm."""
    for request in requests:
        if _is_metric_name(path):
            found = _definition_algorithm(request, path)
            metric = found.algorithm.metric(str(get_path(request.data, path))) if found else None
            if found is not None and metric is not None:
                return (f"**{metric.name}** ({found.label()}): {metric.direction}\n\n"
                        f"Source: {metric.source}")
            continue
        name = None
        if _range_kind(path) is not None:
            value = get_path(request.data, path)
            name = value if isinstance(value, str) else None
        elif len(path) >= 2 and path[-2] == "StaticHyperParameters" and isinstance(path[-1], str):
            name = path[-1]
        if name is None:
            continue
        found = _definition_algorithm(request, path)
        if found is None:
            continue
        hp = found.algorithm.hyperparameter(name)
        if hp is not None:
            return hyperparameter_doc(found.algorithm, hp, found.label())
    return None


def _definition_algorithm(request: Request, path: JsonPath) -> Recognised | None:
    if path[:1] == ("TrainingJobDefinitions",) and len(path) > 1:
        dpath: JsonPath = path[:2]
    else:
        dpath = ("TrainingJobDefinition",)
    return algorithms.recognise(get_path(request.data, dpath + ("AlgorithmSpecification",
                                                               "TrainingImage")))
