"""Worst-case cost: the computed values and ``hpt-lint cost``."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from hpt_lint.cli import main
from hpt_lint.config import Config
from hpt_lint.loaders import load_text
from hpt_lint.policy import computed
from hpt_lint.policy.computed import cost, gpus_per_instance, has_local_storage, value
from hpt_lint.request import Entry, Request, SourceMap, Span, Unknown
from tests.conftest import FIXTURES, lint_string

POLICY = FIXTURES / "policy"


def load(name: str) -> Request:
    (request,) = load_text((POLICY / name).read_text(), name)
    return request


def test_costliest_definition_drives_the_worst_case() -> None:
    c = cost(load("cost-gpu.yaml"))
    # large: 2 × ml.p4d.24xlarge (8 GPUs each) for 1.5 h; small: 1 × ml.g5.2xlarge for 1 h
    assert (c.training_jobs, c.instances_per_job, c.gpus_per_job, c.max_runtime_seconds) == (
        30, 2, 16, 5400)
    assert (c.instance_hours, c.gpu_hours, c.peak_instances, c.peak_gpus) == (90, 720, 6, 48)
    assert c.notes == ()


def test_grid_counts_combinations_and_the_tuning_cap_bounds_the_hours() -> None:
    c = cost(load("cost-grid.yaml"))
    # 3 × 4 categorical combinations; instance groups 2 × g5.12xlarge (4 GPUs) + 1 × c5
    assert (c.training_jobs, c.training_jobs_source) == (12, "grid combinations")
    assert (c.instances_per_job, c.gpus_per_job) == (3, 8)
    # uncapped: 12 jobs × 3 × 24 h (API default run time) = 864; capped: 12 × 10 h
    assert (c.instance_hours, c.gpu_hours, c.peak_instances, c.peak_gpus) == (120, 320, 12, 32)
    assert c.notes == (
        "TrainingJobDefinition sets no StoppingCondition.MaxRuntimeInSeconds: the API "
        "default of 1 day (86400 s) is assumed",
        "capped by the tuning job's ResourceLimits.MaxRuntimeInSeconds (10 h)")
    assert value("max_instance_hours", load("cost-grid.yaml")).anchor == (
        "HyperParameterTuningJobConfig", "ResourceLimits", "MaxRuntimeInSeconds")


def request(data: dict[str, Any]) -> Request:
    return Request("r.py", "python", data, SourceMap({(): Entry(Span(1, 1, 1, 2))}))


def limits(**kw: Any) -> dict[str, Any]:
    return {"HyperParameterTuningJobConfig": {"Strategy": "Random", "ResourceLimits": kw}}


DEF = {"ResourceConfig": {"InstanceType": "ml.p3.8xlarge", "InstanceCount": 2},
       "StoppingCondition": {"MaxRuntimeInSeconds": 7200}}


def test_each_computed_value() -> None:
    r = request({**limits(MaxNumberOfTrainingJobs=10, MaxParallelTrainingJobs=20),
                 "TrainingJobDefinition": DEF})
    got = {name: value(name, r).value for name in computed.COMPUTED}
    assert got == {"max_training_jobs": 10, "max_instance_hours": 40, "max_gpu_hours": 160,
                   "max_parallel_instances": 20,  # parallel is capped by the job count
                   "max_concurrent_gpus": 80, "instances_per_job": 2,
                   "max_runtime_seconds": 7200, "volume_kms_allowed": True}


@pytest.mark.parametrize(("data", "unknown"), [
    ({**limits(MaxNumberOfTrainingJobs=Unknown("n"), MaxParallelTrainingJobs=2),
      "TrainingJobDefinition": DEF},
     {"max_training_jobs", "max_instance_hours", "max_gpu_hours"}),
    ({**limits(MaxNumberOfTrainingJobs=10, MaxParallelTrainingJobs=Unknown("p")),
      "TrainingJobDefinition": DEF}, {"max_parallel_instances", "max_concurrent_gpus"}),
    ({**limits(MaxNumberOfTrainingJobs=10, MaxParallelTrainingJobs=2),
      "TrainingJobDefinition": {**DEF, "StoppingCondition": {"MaxRuntimeInSeconds":
                                                            Unknown("t")}}},
     {"max_instance_hours", "max_gpu_hours", "max_runtime_seconds"}),
    ({**limits(MaxNumberOfTrainingJobs=10, MaxParallelTrainingJobs=2),
      "TrainingJobDefinition": {**DEF, "ResourceConfig": {"InstanceType": Unknown("t"),
                                                          "InstanceCount": 2}}},
     {"max_gpu_hours", "max_concurrent_gpus", "volume_kms_allowed"}),
    # an instance family the facts table does not know: no GPU count
    ({**limits(MaxNumberOfTrainingJobs=10, MaxParallelTrainingJobs=2),
      "TrainingJobDefinition": {**DEF, "ResourceConfig": {"InstanceType": "ml.p6-b200.48xlarge",
                                                          "InstanceCount": 1}}},
     {"max_gpu_hours", "max_concurrent_gpus", "volume_kms_allowed"}),
    ({**limits(MaxNumberOfTrainingJobs=10, MaxParallelTrainingJobs=2),
      "TrainingJobDefinition": {**DEF, "StoppingCondition": 7}},  # wrong type: HPT103's
     {"max_instance_hours", "max_gpu_hours", "max_runtime_seconds"}),
    ({**limits(MaxParallelTrainingJobs=2), "TrainingJobDefinition": DEF},
     {"max_training_jobs", "max_instance_hours", "max_gpu_hours"}),  # non-Grid, no max jobs
])
def test_unknown_factors_make_the_value_unknown(data: dict[str, Any], unknown: set[str]
                                                ) -> None:
    r = request(data)
    assert {n for n in computed.COMPUTED if value(n, r).value is None} == unknown


def test_a_spread_definition_may_set_the_run_time() -> None:
    from hpt_lint.request import PartialDict

    definition = PartialDict({"ResourceConfig": DEF["ResourceConfig"]})
    definition.unknown_sources = ("**common",)
    r = request({**limits(MaxNumberOfTrainingJobs=10, MaxParallelTrainingJobs=2),
                 "TrainingJobDefinition": definition})
    assert value("max_runtime_seconds", r).value is None
    assert value("max_instance_hours", r).value is None
    assert value("max_parallel_instances", r).value == 4


def test_unknown_computed_values_never_prove_a_breach() -> None:
    from hpt_lint.engine import check_request

    r = request({**limits(MaxNumberOfTrainingJobs=Unknown("n"), MaxParallelTrainingJobs=2),
                 "TrainingJobDefinition": DEF})
    policies = [{"id": "T001", "severity": "error", "message": "m",
                 "check": [{"path": "@max_instance_hours", "max": 0},
                           {"path": "@max_gpu_hours", "max": 0}]}]
    assert check_request(r, Config(select=("T",), extra={"policies": policies}))[0] == []


def test_instance_data() -> None:
    assert [gpus_per_instance(t) for t in ("ml.p4d.24xlarge", "ml.g5.12xlarge",
                                           "ml.m5.xlarge", "ml.zz9.huge")] == [8, 4, 0, None]
    assert [has_local_storage(t) for t in ("ml.g4dn.xlarge", "ml.c5d.2xlarge",
                                           "ml.g5.2xlarge", "ml.p3.2xlarge", "ml.m5.xlarge",
                                           "bogus")] == [True, True, True, False, False, None]


COMPUTED_POLICY = """\
HyperParameterTuningJobName: tune
HyperParameterTuningJobConfig:
  Strategy: Random
  ResourceLimits:
    MaxNumberOfTrainingJobs: 100
    MaxParallelTrainingJobs: 10
TrainingJobDefinition:
  ResourceConfig: {InstanceType: ml.g5.12xlarge, InstanceCount: 2}
"""


@pytest.mark.parametrize(("path", "bound", "line", "column", "message"), [
    ("@max_instance_hours", 1000, 5, 30,
     "@max_instance_hours is 4,800 (100 training jobs × 48 instance-hours each), above the "
     "maximum 1,000; TrainingJobDefinition sets no StoppingCondition.MaxRuntimeInSeconds: "
     "the API default of 1 day (86400 s) is assumed"),
    ("@max_gpu_hours", 1000, 5, 30,
     "@max_gpu_hours is 19,200 (100 training jobs × 192 GPU-hours each), above the maximum "
     "1,000; TrainingJobDefinition sets no StoppingCondition.MaxRuntimeInSeconds: the API "
     "default of 1 day (86400 s) is assumed"),
    ("@max_parallel_instances", 8, 6, 30,
     "@max_parallel_instances is 20 (10 parallel training jobs × 2 instances), above the "
     "maximum 8"),
    ("@max_concurrent_gpus", 64, 6, 30,
     "@max_concurrent_gpus is 80 (10 parallel training jobs × 8 GPUs), above the maximum 64"),
    ("@max_training_jobs", 50, 5, 30,
     "@max_training_jobs is 100 (MaxNumberOfTrainingJobs), above the maximum 50"),
    ("@max_runtime_seconds", 3600, 7, 1,
     "@max_runtime_seconds is 86,400 (run time per training job), above the maximum 3,600; "
     "TrainingJobDefinition sets no StoppingCondition.MaxRuntimeInSeconds: the API default "
     "of 1 day (86400 s) is assumed"),
])
def test_computed_findings_point_at_the_driving_setting(path: str, bound: int, line: int,
                                                        column: int, message: str) -> None:
    policies = [{"id": "T001", "severity": "error", "message": "m",
                 "check": [{"path": path, "max": bound}]}]
    result = lint_string(COMPUTED_POLICY, config=Config(select=("T",),
                                                        extra={"policies": policies}))
    assert [(f.line, f.column, f.message) for f in result.findings] == [
        (line, column, f"m: {message}")]


# ------------------------------------------------------------ the command


def test_cost_command_text() -> None:
    res = CliRunner().invoke(main, ["cost", str(POLICY / "cost-gpu.yaml"),
                                    str(POLICY / "cost-grid.yaml")])
    assert res.exit_code == 0, res.output
    gpu, grid = str(POLICY / "cost-gpu.yaml"), str(POLICY / "cost-grid.yaml")
    width = len(gpu) + len(":1 llm-finetune")
    assert res.output.splitlines() == [
        "REQUEST".ljust(width) + "  JOBS  INSTANCE-HOURS  GPU-HOURS  PEAK INSTANCES  PEAK GPUS",
        f"{gpu}:1 llm-finetune".ljust(width) + "    30              90        720"
        "               6         48",
        f"{grid}:1 grid-search".ljust(width) + "    12             120        320"
        "              12         32",
        "",
        f"{grid}:1: TrainingJobDefinition sets no StoppingCondition.MaxRuntimeInSeconds: the "
        "API default of 1 day (86400 s) is assumed",
        f"{grid}:1: capped by the tuning job's ResourceLimits.MaxRuntimeInSeconds (10 h)",
        "",
        "Worst case: every training job runs its full MaxRuntimeInSeconds; ? = not known "
        "statically.",
    ]


def test_cost_command_json_is_deterministic() -> None:
    args = ["cost", "--format", "json", str(POLICY / "org-request.yaml"),
            str(POLICY / "cost-grid.yaml"), str(POLICY / "cost-gpu.yaml")]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0
    assert CliRunner().invoke(main, args).output == first.output
    doc = json.loads(first.output)
    assert [(r["name"], r["training_jobs"], r["instance_hours"], r["gpu_hours"],
             r["peak_instances"], r["peak_gpus"]) for r in doc["requests"]] == [
        ("llm-finetune", 30, 90, 720, 6, 48), ("grid-search", 12, 120, 320, 12, 32),
        ("churn-gpu-tune", 50, 400, 400, 10, 10)]
    assert doc["requests"][0]["instance_hours_how"] == (
        "30 training jobs × 3 instance-hours each")
    assert doc["errors"] == []


def test_cost_command_reports_unreadable_files(tmp_path: Any) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("HyperParameterTuningJobName: [\n")
    res = CliRunner().invoke(main, ["cost", "--format", "json", str(bad)])
    assert res.exit_code == 2
    assert json.loads(res.stdout)["errors"][0]["file"] == str(bad)
