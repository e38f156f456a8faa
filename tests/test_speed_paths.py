"""The fast paths give the same answers as the slow ones: parallel linting, the
jsonschema-rs validity check, and the lazy imports on the CLI path."""

from __future__ import annotations

import copy
import json
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from hpt_lint import structure
from hpt_lint.config import Config
from hpt_lint.lint import lint_paths, lint_text
from hpt_lint.loaders import load_text
from hpt_lint.request import PartialDict, Unknown

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "valid-bayesian.yaml"
VALID: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def _variants() -> list[dict[str, Any]]:
    out = []
    for i in range(40):
        data = copy.deepcopy(VALID)
        data["HyperParameterTuningJobName"] = f"job-{i}"
        config = data["HyperParameterTuningJobConfig"]
        if i % 3 == 1:
            config["Strategy"] = "bayesian"
        if i % 5 == 2:
            del data["TrainingJobDefinition"]["RoleArn"]
        if i % 7 == 3:
            config["ParameterRanges"]["ContinuousParameterRanges"][0]["MinValue"] = "0"
        out.append(data)
    return out


def test_parallel_results_equal_serial_results(tmp_path: Path) -> None:
    for i, data in enumerate(_variants()):
        if i % 2:
            (tmp_path / f"r{i:02d}.json").write_text(json.dumps(data, indent=1), "utf-8")
        else:
            (tmp_path / f"r{i:02d}.yaml").write_text(yaml.safe_dump(data), "utf-8")
    (tmp_path / "broken.yaml").write_text("a: [\n", "utf-8")
    serial = lint_paths([tmp_path], Config(), jobs=1)
    parallel = lint_paths([tmp_path], Config(), jobs=2)
    assert [r.file for r in parallel] == sorted(r.file for r in parallel)
    assert parallel == serial
    assert sum(len(r.findings) for r in serial) > 20


def test_file_results_pickle(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(EXAMPLE.read_text("utf-8").replace("Bayesian", "bayes"),
                                     "utf-8")
    [result] = lint_paths([tmp_path / "r.yaml"], Config())
    assert result.findings and pickle.loads(pickle.dumps(result)) == result


def _jsonschema_says_valid(data: Any) -> bool:
    return not any(True for _ in structure.validator().iter_errors(data))


TRICKY: list[tuple[str, Any]] = [
    ("name with a trailing newline", "job-1\n"),  # `$` must not match before a final \n
    ("name with a space", "job 1"),
    ("unicode tag", "équipe-ß"),
]


@pytest.mark.parametrize(("label", "name"), TRICKY)
def test_fast_validator_agrees_on_patterns(label: str, name: str) -> None:
    data = copy.deepcopy(VALID)
    data["HyperParameterTuningJobName"] = name
    data["Tags"] = [{"Key": name.strip(), "Value": name}]
    assert structure.certainly_valid(data) == _jsonschema_says_valid(data)


def test_fast_validator_agrees_with_jsonschema_on_many_requests() -> None:
    from .test_botocore_differential import mutants

    checked = 0
    for _kind, _i, data in mutants():
        fast = structure.certainly_valid(data)
        slow = _jsonschema_says_valid(data)
        if fast:
            assert slow, data  # the fast path may only skip requests that are valid
        elif slow:  # declined a valid request: only where it may not decide (floats)
            assert _floats(data), data
        checked += 1
    assert checked > 300


def _floats(data: Any) -> list[Any]:
    from hpt_lint.request import walk

    return [v for _p, v in walk(data) if isinstance(v, float)]


def test_integral_float_for_an_integer_is_still_reported() -> None:
    data = copy.deepcopy(VALID)
    data["HyperParameterTuningJobConfig"]["ResourceLimits"]["MaxParallelTrainingJobs"] = 4.0
    assert not structure.certainly_valid(data)
    result = lint_text(json.dumps(data), "f.json", Config(), ".json")
    assert [f.rule for f in result.findings] == ["HPT103"]


def test_unknown_and_partial_values_skip_the_fast_path() -> None:
    request = load_text(EXAMPLE.read_text("utf-8"), "x.yaml")[0]
    assert structure.certainly_valid(request.data)
    request.data["TrainingJobDefinition"]["RoleArn"] = Unknown("role_arn")
    assert not structure.certainly_valid(request.data)
    assert structure.violations(request) == []  # an Unknown is never reported

    partial = load_text(EXAMPLE.read_text("utf-8"), "x.yaml")[0]
    definition = partial.data["TrainingJobDefinition"]
    spread = PartialDict(definition)
    del spread["RoleArn"]  # may come from a **spread we cannot see
    partial.data["TrainingJobDefinition"] = spread
    assert not structure.certainly_valid(partial.data)
    assert structure.violations(partial) == []


def _imported(path: Path) -> set[str]:
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "hpt_lint", "check",
                          "--no-source", str(path)], capture_output=True, text=True,
                         timeout=60)
    return {line.split("|")[-1].strip() for line in run.stderr.splitlines()
            if line.startswith("import time:")}


def test_cli_imports_no_heavy_modules_and_no_jsonschema_for_a_valid_file(
        tmp_path: Path) -> None:
    forbidden = {"botocore", "boto3", "pygls", "lsprotocol", "jsonschema"}
    assert not forbidden & _imported(EXAMPLE)
    faulty = tmp_path / "faulty.yaml"
    faulty.write_text(EXAMPLE.read_text("utf-8").replace("Bayesian", "bayesian"), "utf-8")
    modules = _imported(faulty)
    assert "jsonschema" in modules  # the full walk, for the messages
    assert not {"botocore", "boto3", "pygls", "lsprotocol"} & modules
