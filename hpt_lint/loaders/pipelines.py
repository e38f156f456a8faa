"""SageMaker Pipelines: tuning steps in a pipeline definition.

``pipeline.definition()`` is JSON with a ``Steps`` list; a step of ``"Type": "Tuning"``
carries the CreateHyperParameterTuningJob request in ``Arguments`` (the SDK's
``TuningStep.arguments``). Steps nested in a ``Condition`` step's ``IfSteps`` /
``ElseSteps`` are found too. What the pipeline fills in at run time is Unknown: the
pipeline functions and properties ``{"Get": ...}``, ``{"Std:Join": ...}``,
``{"Std:JsonGet": ...}`` (any one-key mapping named ``Get`` or ``Std:...``). The SDK
drops ``HyperParameterTuningJobName`` from the arguments (the pipeline names each job),
so an absent name is Unknown, not missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from hpt_lint.loaders.document import Document
from hpt_lint.loaders.stepfunctions import Rerooter
from hpt_lint.request import DERIVED, JsonPath, Note, Request, Unknown

KIND = "pipeline"
NAME = "HyperParameterTuningJobName"


def pipeline_function(value: dict[str, Any]) -> bool:
    """``{"Get": "Parameters.X"}``, ``{"Std:Join": {...}}``: a value known at run time."""
    if len(value) != 1:
        return False
    (key,) = value
    return key == "Get" or key.startswith("Std:")


def tuning_steps(value: Any) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """(path, step) for every ``Type: Tuning`` step, in written order."""
    if not isinstance(value, dict) or not isinstance(value.get("Steps"), list):
        return
    stack: list[tuple[JsonPath, list[Any]]] = [(("Steps",), value["Steps"])]
    while stack:
        base, steps = stack.pop(0)
        for i, step in enumerate(steps):
            if not isinstance(step, dict):
                continue
            path = (*base, i)
            if step.get("Type") == "Tuning":
                yield path, step
            elif step.get("Type") == "Condition" and isinstance(step.get("Arguments"), dict):
                for branch in ("IfSteps", "ElseSteps"):
                    nested = step["Arguments"].get(branch)
                    if isinstance(nested, list):
                        stack.append(((*path, "Arguments", branch), nested))


def pipeline_requests(doc: Document, file: str, kind: str) -> list[Request]:
    requests: list[Request] = []
    for spath, step in tuning_steps(doc.value):
        arguments = step.get("Arguments")
        if not isinstance(arguments, dict):
            continue
        apath = (*spath, "Arguments")
        rerooter = Rerooter(doc.source_map, jsonata=False, dynamic=pipeline_function,
                            dollar_keys=False)
        data = rerooter.convert(arguments, apath, ())
        if not isinstance(data, dict):
            continue
        if NAME not in data:
            data = {NAME: Unknown("the pipeline names each tuning job"), **data}
            root = rerooter.out.get(())
            if root is not None:  # located at the step, never edited
                rerooter.out.entries[(NAME,)] = replace(root, style=DERIVED)
        notes = [Note(n.rule, n.path[len(apath):], n.message, n.at) for n in doc.notes
                 if n.path[:len(apath)] == apath]
        requests.append(Request(file, KIND, data, rerooter.out, doc.index, notes))
    return requests
