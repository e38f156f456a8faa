"""Differential test against botocore's own client-side validator.

Seeded mutants of valid requests (wrong types, missing required members, unknown
members, values under the minimum, oversized lists). Whatever botocore's
``ParamValidator`` rejects, hpt-lint must reject too: at least one error-severity
finding. (The converse does not hold: botocore never checks ``max``, ``enum`` or
``pattern``, hpt-lint does.) botocore is a test dependency only.
"""

from __future__ import annotations

import copy
import json
import random
from collections import Counter
from functools import cache
from typing import Any

import pytest
import yaml

from hpt_lint.config import Config
from hpt_lint.findings import Severity
from hpt_lint.lint import lint_text
from hpt_lint.request import walk

from .conftest import ROOT

botocore_validate = pytest.importorskip("botocore.validate")
botocore_session = pytest.importorskip("botocore.session")

MUTANTS = 400
KINDS = ("wrong-type", "missing-required", "unknown-key", "under-minimum", "oversized-list")


@cache
def input_shape() -> Any:
    session = botocore_session.get_session()
    model = session.get_service_model("sagemaker")
    return model.operation_model("CreateHyperParameterTuningJob").input_shape


def bases() -> list[dict[str, Any]]:
    valid = yaml.safe_load((ROOT / "examples" / "valid-bayesian.yaml").read_text("utf-8"))
    # a second shape of request: several definitions, categorical ranges (early stopping
    # and warm start are single-definition features: HPT415)
    multi = copy.deepcopy(valid)
    multi["HyperParameterTuningJobConfig"]["TrainingJobEarlyStoppingType"] = "Off"
    definition = multi.pop("TrainingJobDefinition")
    definition["DefinitionName"] = "xgb"
    definition["TuningObjective"] = {"Type": "Maximize", "MetricName": "validation:auc"}
    definition["HyperParameterRanges"] = multi["HyperParameterTuningJobConfig"].pop(
        "ParameterRanges")
    # (a tunable XGBoost hyperparameter: tuning `booster` is rejected, HPT803)
    definition["HyperParameterRanges"]["CategoricalParameterRanges"] = [
        {"Name": "min_child_weight", "Values": ["1", "5"]}]
    del multi["HyperParameterTuningJobConfig"]["HyperParameterTuningJobObjective"]
    second = copy.deepcopy(definition)
    second["DefinitionName"] = "xgb-2"
    multi["TrainingJobDefinitions"] = [definition, second]
    # a third: one definition, warm started
    warm = copy.deepcopy(valid)
    warm["WarmStartConfig"] = {"ParentHyperParameterTuningJobs": [
        {"HyperParameterTuningJobName": "parent-1"}], "WarmStartType": "TransferLearning"}
    return [valid, multi, warm]


def botocore_errors(params: dict[str, Any]) -> str:
    report = botocore_validate.ParamValidator().validate(params, input_shape())
    return str(report.generate_report()) if report.has_errors() else ""


def shape_at(path: tuple[Any, ...]) -> Any:
    return _shape_at(tuple(0 if isinstance(p, int) else p for p in path))


@cache
def _shape_at(path: tuple[Any, ...]) -> Any:
    shape = input_shape()
    for part in path:
        if shape.type_name == "structure":
            shape = shape.members[part]
        elif shape.type_name == "list":
            shape = shape.member
        elif shape.type_name == "map":
            shape = shape.value
    return shape


def _wrong_value(value: Any, rng: random.Random) -> Any:
    choices: list[Any] = ["text", 7, 2.5, True, None, [], {}, ["text"], {"k": "v"}]
    if isinstance(value, bool):
        choices = ["true", 1, None, []]
    elif isinstance(value, int | float):
        choices = [str(value), None, [value], {"v": value}, True]
    elif isinstance(value, str):
        choices = [len(value), None, [value], {"v": value}, False]
    elif isinstance(value, list):
        choices = [{}, "list", 3, value[0] if value else None]
    elif isinstance(value, dict):
        choices = [[value], "map", 3, []]
    return rng.choice(choices)


def mutate(base: dict[str, Any], kind: str, rng: random.Random) -> dict[str, Any] | None:
    """One mutant of ``kind``, or None where the base offers no place for it."""
    data = copy.deepcopy(base)
    nodes = [(p, v) for p, v in walk(data) if p]
    rng.shuffle(nodes)
    for path, value in nodes:
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        shape = shape_at(path)
        if kind == "wrong-type":
            parent[path[-1]] = _wrong_value(value, rng)
            return data
        if kind == "missing-required" and isinstance(value, dict) \
                and shape.type_name == "structure" and shape.required_members:
            present = [m for m in shape.required_members if m in value]
            if present:
                del value[rng.choice(present)]
                return data
        if kind == "unknown-key" and isinstance(value, dict) and shape.type_name == "structure":
            name = rng.choice(["Bogus", "strategy", "MaxValues", "Extra_1", "Tag"])
            if name not in shape.members:
                value[name] = rng.choice(["x", 1, {"a": 1}])
                return data
        if kind == "under-minimum":
            low = shape.metadata.get("min")
            if low is None or low <= 0:
                continue
            if isinstance(value, str):
                parent[path[-1]] = value[: rng.randrange(0, low)] if low > 1 else ""
                return data
            if isinstance(value, int | float) and not isinstance(value, bool):
                parent[path[-1]] = type(value)(low - rng.choice([1, 2, 100]))
                return data
            if isinstance(value, list):
                parent[path[-1]] = value[: rng.randrange(0, low)]
                return data
        if kind == "oversized-list" and isinstance(value, list) and value:
            high = shape.metadata.get("max")
            if high is not None and high < 200:
                parent[path[-1]] = [copy.deepcopy(value[0]) for _ in range(high + 1)]
                return data
    return None


def mutants() -> list[tuple[str, int, dict[str, Any]]]:
    rng = random.Random(20261127)
    out = []
    for i in range(MUTANTS):
        kind = KINDS[i % len(KINDS)]
        for base in rng.sample(bases(), 2):
            data = mutate(base, kind, rng)
            if data is not None:
                out.append((kind, i, data))
                break
    return out


def errors_from_hpt_lint(data: dict[str, Any]) -> list[tuple[str, str]]:
    result = lint_text(json.dumps(data), "m.json", Config(), ".json")
    assert not result.internal_error
    return [(f.rule, f.json_path) for f in result.findings if f.severity is Severity.ERROR]


def test_the_bases_are_valid_for_both() -> None:
    for base in bases():
        assert botocore_errors(base) == ""
        assert errors_from_hpt_lint(base) == []


def test_whatever_botocore_rejects_hpt_lint_rejects() -> None:
    kinds_rejected: Counter[str] = Counter()
    missed = []
    for kind, i, data in mutants():
        report = botocore_errors(data)
        if not report:
            continue  # e.g. a value over a maximum: botocore never checks max
        kinds_rejected[kind] += 1
        if not errors_from_hpt_lint(data):
            missed.append((kind, i, report))
    assert not missed, missed[:5]
    # every kind of fault was really exercised
    assert set(kinds_rejected) == set(KINDS) - {"oversized-list"}, kinds_rejected
    assert sum(kinds_rejected.values()) >= 250


def test_hpt_lint_rejects_what_botocore_misses() -> None:
    # botocore does not check maximum lengths, list sizes, enums or patterns, and
    # takes a boolean for an integer (bool is an int in Python; JSON says `true`).
    data = bases()[0]
    data["Tags"] = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]
    data["HyperParameterTuningJobConfig"]["Strategy"] = "bayesian"
    data["HyperParameterTuningJobConfig"]["ResourceLimits"]["MaxParallelTrainingJobs"] = True
    data["TrainingJobDefinition"]["RoleArn"] = "this is not an IAM role ARN at all"
    data["HyperParameterTuningJobName"] = "x" * 40
    assert botocore_errors(data) == ""
    # (the role ARN is HPT204's, which supersedes the generic HPT106 pattern finding)
    assert sorted(r for r, _ in errors_from_hpt_lint(data)) == [
        "HPT103", "HPT104", "HPT108", "HPT201", "HPT204"]
