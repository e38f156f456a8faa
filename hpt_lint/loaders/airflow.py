"""Apache Airflow DAGs: ``SageMakerTuningOperator(config=...)`` and
``SageMakerHook(...).create_tuning_job(config, ...)``, read by the Python static evaluator.

What Airflow does to the config before it calls ``create_hyper_parameter_tuning_job``
(apache-airflow-providers-amazon, ``operators/sagemaker.py``), a reader does too:

* ``config`` is a templated field: a string holding Jinja (``{{ ... }}``, ``{% ... %}``)
  is rendered at run time, so it is Unknown.
* the operator's ``integer_fields`` are passed through ``int()`` before the call:
  ``HyperParameterTuningJobConfig.ResourceLimits.MaxNumberOfTrainingJobs`` and
  ``MaxParallelTrainingJobs``, ``TrainingJobDefinition.ResourceConfig.InstanceCount`` and
  ``VolumeSizeInGB``, ``TrainingJobDefinition.StoppingCondition.MaxRuntimeInSeconds``.
  A string of digits (or a float) there is the integer ``int()`` makes of it, not a
  wrong type; a string ``int()`` rejects (``"ten"``, ``"1.5"``) stays a string, and
  HPT103 reports it: the task would fail.
* ``expand_role``: a ``TrainingJobDefinition.RoleArn`` without ``/`` is a role name
  that Airflow looks up and replaces by its ARN, so it is Unknown.

The hook method takes the request as is (no rendering, no conversion). It is read in a
file that names ``SageMakerHook``, on ``SageMakerHook(...)`` or on a name for a hook
(``hook``, ``sm_hook``, ``self.hook``): another class's ``create_tuning_job`` is not it.
"""

from __future__ import annotations

import ast
import copy
import re
from typing import Any

from hpt_lint.loaders.python_source import Source
from hpt_lint.loaders.python_static import Env, Interpreter, Val
from hpt_lint.request import Unknown

OPERATOR = "SageMakerTuningOperator"
HOOK_METHOD = "create_tuning_job"
MARKERS = (OPERATOR, HOOK_METHOD)
KIND = "airflow"
INTEGER_FIELDS = (
    ("HyperParameterTuningJobConfig", "ResourceLimits", "MaxNumberOfTrainingJobs"),
    ("HyperParameterTuningJobConfig", "ResourceLimits", "MaxParallelTrainingJobs"),
    ("TrainingJobDefinition", "ResourceConfig", "InstanceCount"),
    ("TrainingJobDefinition", "ResourceConfig", "VolumeSizeInGB"),
    ("TrainingJobDefinition", "StoppingCondition", "MaxRuntimeInSeconds"),
)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_INT_TEXT = re.compile(r"\s*[+-]?\d+(?:_\d+)*\s*")  # what int() accepts (ASCII digits)


HOOK_CLASS = "SageMakerHook"


def match(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name) and func.id == OPERATOR:
        return "operator"
    if isinstance(func, ast.Attribute) and func.attr == OPERATOR:
        return "operator"
    if isinstance(func, ast.Attribute) and func.attr == HOOK_METHOD \
            and _is_hook(func.value):
        return "hook"
    return None


def _is_hook(receiver: ast.expr) -> bool:
    """``SageMakerHook(...)``, or a name for one: ``hook``, ``sm_hook``, ``self.hook``."""
    if isinstance(receiver, ast.Call):
        called = receiver.func
        name = called.id if isinstance(called, ast.Name) else (
            called.attr if isinstance(called, ast.Attribute) else "")
        return name == HOOK_CLASS
    name = receiver.id if isinstance(receiver, ast.Name) else (
        receiver.attr if isinstance(receiver, ast.Attribute) else "")
    return "hook" in name.lower()


def _config_node(call: ast.Call) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == "config":
            return kw.value
    return call.args[0] if call.args and not isinstance(call.args[0], ast.Starred) else None


def _request(interp: Interpreter, call: ast.Call, env: Env, source: Source,
             operator: bool) -> Val | None:
    node = _config_node(call)
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else OPERATOR
    span = source.name_span(func, name, at_end=True)
    if node is None:
        return None
    seen = interp.eval(node, env, source)
    if not seen.is_dict:  # a config we cannot see: a request of unknown members
        return Val({}, span, (source.segment(node),))
    root = copy.deepcopy(seen)  # the rewrites below must not change the name's value
    root.span = span
    if operator:
        _render(root)
        for path in INTEGER_FIELDS:
            _to_int(root, path)
        _expand_role(root)
    return root


def operator_request(interp: Interpreter, call: ast.Call, env: Env,
                     source: Source) -> Val | None:
    return _request(interp, call, env, source, operator=True)


def hook_request(interp: Interpreter, call: ast.Call, env: Env, source: Source) -> Val | None:
    return _request(interp, call, env, source, operator=False)


BUILDERS = {"operator": operator_request, "hook": hook_request}


def _render(val: Val) -> None:
    """Jinja in a string value (the config is a templated field): Unknown."""
    stack = [val]
    while stack:
        v = stack.pop()
        if v.is_dict:
            for key, (kspan, child) in list(v.value.items()):
                if isinstance(child.value, str) and _JINJA.search(child.value):
                    v.value[key] = (kspan, Val(Unknown(child.value), child.span))
                else:
                    stack.append(child)
        elif v.is_list:
            for i, child in enumerate(v.value):
                if isinstance(child.value, str) and _JINJA.search(child.value):
                    v.value[i] = Val(Unknown(child.value), child.span)
                else:
                    stack.append(child)


def _to_int(val: Val, path: tuple[str, ...]) -> None:
    """``parse_integer``: follow ``path`` through dicts (and every item of a list) and
    pass the value at its end through ``int()`` when ``int()`` accepts it."""
    if val.is_list:
        for item in val.value:
            _to_int(item, path)
        return
    if not val.is_dict or path[0] not in val.value:
        return
    kspan, child = val.value[path[0]]
    if len(path) > 1:
        _to_int(child, path[1:])
        return
    converted = _int_of(child.value)
    if converted is not None:
        val.value[path[0]] = (kspan, Val(converted, child.span, derived=True))


def _int_of(value: Any) -> int | None:
    if isinstance(value, str) and _INT_TEXT.fullmatch(value):
        return int(value)
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        return int(value)
    return None


def _expand_role(val: Val) -> None:
    definition = val.value.get("TrainingJobDefinition")
    if definition is None or not definition[1].is_dict:
        return
    inner = definition[1].value
    if "RoleArn" in inner:
        kspan, role = inner["RoleArn"]
        if isinstance(role.value, str) and "/" not in role.value:
            inner["RoleArn"] = (kspan, Val(Unknown(
                f"the ARN Airflow looks up for the role name {role.value!r}"), role.span))
