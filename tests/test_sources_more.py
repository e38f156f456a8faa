"""More places requests live: Airflow DAGs, ACK manifests, SageMaker Pipelines
definitions, Step Functions DefinitionStrings and states written as Python dicts.

Each fixture's faults are asserted exactly (rule, line, column, found by a needle in
the file as written); with the faults fixed the same file is clean, and the clean
fixtures stay clean."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hpt_lint.cli import main
from hpt_lint.config import Config
from hpt_lint.fix import apply_edits
from hpt_lint.lint import lint_file, lint_text
from hpt_lint.loaders import load_text
from hpt_lint.request import Unknown
from tests.conftest import FIXTURES, marks
from tests.strategies import SCHEMA, requests

SRC = FIXTURES / "sources"


def _at(text: str, line_needle: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """(line, column) of ``needle`` on the ``nth`` line holding ``line_needle``."""
    lines = text.splitlines()
    line = [n for n, t in enumerate(lines, 1) if line_needle in t][nth]
    return line, lines[line - 1].index(needle, lines[line - 1].index(line_needle)) + 1


# fixture, [(rule, line needle, column needle, nth line)], [(fault, fix)] making it clean
CASES = [
    ("airflow_tuning_dag.py",
     [("HPT103", '"ResourceConfig": {"InstanceCount": "1"', '"1"', 0),
      ("HPT103", '"StoppingCondition": {"MaxRuntimeInSeconds": "3600"}', '"3600"', 0),
      ("HPT104", '"Strategy": "bayesian"', '"bayesian"', 0),
      ("HPT103", '"MaxNumberOfTrainingJobs": "ten"', '"ten"', 0),
      ("HPT304", '{"Name": "eta", "MinValue": "0",', '"0"', 0),
      ("HPT103", '"MaxNumberOfTrainingJobs": 4, "MaxParallelTrainingJobs": "2"', '"2"', 0),
      # the hook sends the role name as it is (only the operator expands it): the
      # finding is at the literal the name ROLE is bound to
      ("HPT204", 'ROLE = "SageMakerExecutionRole"', '"SageMakerExecutionRole"', 0)],
     None),
    ("pipeline-tuning.json",
     [("HPT104", '"Strategy": "bayesian"', '"bayesian"', 0),
      ("HPT304", '{"Name": "eta", "MinValue": "0"', '"0"', 0),
      ("HPT408", '"MaxNumberOfTrainingJobs": 4, "MaxParallelTrainingJobs": 8', "8", 0)],
     [('"bayesian"', '"Bayesian"'), ('"eta", "MinValue": "0"', '"eta", "MinValue": "0.01"'),
      ('"MaxParallelTrainingJobs": 8', '"MaxParallelTrainingJobs": 4')]),
    ("ack-tuning.yaml",
     [("HPT104", "strategy: bayesian  #", "bayesian", 0),
      ("HPT408", "maxParallelTrainingJobs: 8  #", "8", 0),
      ("HPT304", "minValue: '0'  #", "'0'", 0),
      ("HPT102", "enableManagedSpotTraning: true", "enableManagedSpotTraning", 0)],
     [("strategy: bayesian  #", "strategy: Bayesian  #"),
      ("maxParallelTrainingJobs: 8  #", "maxParallelTrainingJobs: 2  #"),
      ("maxNumberOfTrainingJobs: 4", "maxNumberOfTrainingJobs: 20"),
      ("minValue: '0'  #", "minValue: '0.01'  #"),
      ("enableManagedSpotTraning: true", "enableManagedSpotTraining: false")]),
    ("sfn-definition-string.template.json",
     [("HPT104", '"Fn::Sub"', '\\"bayesian\\"', 0),
      ("HPT304", '"Fn::Sub"', '\\"0\\"', 0)],
     [('\\"bayesian\\"', '\\"Bayesian\\"'),
      ('\\"MinValue\\": \\"0\\"', '\\"MinValue\\": \\"0.01\\"')]),
    ("sfn-definition-block.template.yaml",
     [("HPT408", '"MaxParallelTrainingJobs": 20', "20", 0),
      ("HPT418", '"MaxParallelTrainingJobs": 20', "20", 0),
      ("HPT304", '{"Name": "eta", "MinValue": "0"', '"0"', 0)],
     [('"MaxParallelTrainingJobs": 20', '"MaxParallelTrainingJobs": 5'),
      ('"eta", "MinValue": "0"', '"eta", "MinValue": "0.01"')]),
    ("sfn_states.py", [("HPT104", '"Strategy": "bayesian"', '"bayesian"', 0)],
     [('"Strategy": "bayesian"', '"Strategy": "Bayesian"')]),
]
CLEAN = [("airflow_clean_dag.py", 1), ("airflow_no_tuning_dag.py", 0)]


def _lint(name: str, text: str):
    return lint_text(text, name, Config())


@pytest.mark.parametrize(("name", "expected", "fixes"), CASES, ids=[c[0] for c in CASES])
def test_faults_at_their_positions_in_the_file(name: str, expected: list, fixes: list | None
                                              ) -> None:
    text = (SRC / name).read_text(encoding="utf-8")
    result = _lint(name, text)
    want = sorted((rule, *_at(text, line, col, nth)) for rule, line, col, nth in expected)
    assert sorted((f.rule, f.line, f.column) for f in result.findings) == want
    if name.endswith(".yaml") and "ack" in name:
        assert sorted((f.rule, f.line) for f in result.findings) == marks(text)


@pytest.mark.parametrize(("name", "expected", "fixes"), [c for c in CASES if c[2]],
                         ids=[c[0] for c in CASES if c[2]])
def test_without_the_faults_clean(name: str, expected: list, fixes: list) -> None:
    text = (SRC / name).read_text(encoding="utf-8")
    for fault, fix in fixes:
        assert text.count(fault) == 1, fault
        text = text.replace(fault, fix)
    result = _lint(name, text)
    assert result.findings == []
    assert result.requests >= 1


@pytest.mark.parametrize(("name", "requests"), CLEAN)
def test_clean_fixtures_stay_clean(name: str, requests: int) -> None:
    result = lint_file(SRC / name, Config())
    assert result.findings == []
    assert result.requests == requests


def test_airflow_reads_what_airflow_does_to_the_config() -> None:
    text = (SRC / "airflow_clean_dag.py").read_text()
    (request,) = load_text(text, "dag.py")
    assert request.kind == "airflow"
    limits = request.data["HyperParameterTuningJobConfig"]["ResourceLimits"]
    assert limits["MaxNumberOfTrainingJobs"] == 10  # "10" through int()
    assert limits["MaxParallelTrainingJobs"] == Unknown("{{ var.value.tuning_parallelism }}")
    assert isinstance(request.data["HyperParameterTuningJobName"], Unknown)  # Jinja
    definition = request.data["TrainingJobDefinition"]
    assert isinstance(definition["RoleArn"], Unknown)  # a role name Airflow expands
    assert definition["ResourceConfig"]["InstanceCount"] == 1
    assert definition["InputDataConfig"][1]["ChannelName"] == "validation"
    # the converted value is located where the string is written, and is never edited
    entry = request.source_map.get(("HyperParameterTuningJobConfig", "ResourceLimits",
                                    "MaxNumberOfTrainingJobs"))
    assert entry is not None and entry.style == "derived"
    assert _at(text, '"MaxNumberOfTrainingJobs": "10"', '"10"') == (entry.value.line,
                                                                     entry.value.column)


def test_an_arn_role_stays_and_the_hook_converts_nothing() -> None:
    text = ('from airflow.providers.amazon.aws.hooks.sagemaker import SageMakerHook\n'
            'cfg = {"TrainingJobDefinition": {"RoleArn": "arn:aws:iam::111122223333:role/x",'
            ' "ResourceConfig": {"InstanceCount": "2"}}}\n'
            'SageMakerTuningOperator(task_id="t", config=cfg)\n'
            'SageMakerHook().create_tuning_job(cfg)\n'
            'other.create_tuning_job(cfg)\n'  # another class's method of that name
            'hook = SageMakerHook()\n'
            'hook.create_tuning_job(config=cfg)\n')
    operator, hook, named = load_text(text, "dag.py")
    assert named.data == hook.data
    assert operator.data["TrainingJobDefinition"]["RoleArn"].startswith("arn:")
    assert operator.data["TrainingJobDefinition"]["ResourceConfig"]["InstanceCount"] == 2
    assert hook.data["TrainingJobDefinition"]["ResourceConfig"]["InstanceCount"] == "2"
    # without SageMakerHook in the file, a create_tuning_job method is someone else's
    assert load_text(text.replace("SageMakerHook", "Other").replace(
        "SageMakerTuningOperator", "Op"), "dag.py") == []


def test_ack_findings_speak_the_manifest_spelling() -> None:
    result = lint_file(SRC / "ack-tuning.yaml", Config())
    by_rule = {f.rule: f for f in result.findings}
    assert by_rule["HPT104"].json_path == "hyperParameterTuningJobConfig.strategy"
    assert "`hyperParameterTuningJobConfig.strategy`" in by_rule["HPT104"].message
    assert "maxParallelTrainingJobs (8) is greater than maxNumberOfTrainingJobs (4)" in \
        by_rule["HPT408"].message
    assert by_rule["HPT102"].json_path == "trainingJobDefinition.enableManagedSpotTraning"
    assert by_rule["HPT104"].fix is not None  # a value edit keeps the manifest's keys
    assert by_rule["HPT102"].fix is None  # a key rename would be in the API's spelling


def test_ack_maps_acronyms_and_type_underscore_from_the_schema() -> None:
    requests = load_text((SRC / "ack-tuning.yaml").read_text(), "m.yaml")
    assert [r.kind for r in requests] == ["ack", "ack"]
    data = requests[0].data
    assert data["HyperParameterTuningJobConfig"]["HyperParameterTuningJobObjective"] == {
        "Type": "Minimize", "MetricName": "validation:rmse"}
    definition = data["TrainingJobDefinition"]
    assert definition["RoleArn"].startswith("arn:aws:iam::")
    channel = definition["InputDataConfig"][0]["DataSource"]["S3DataSource"]
    assert channel["S3Uri"] == "s3://example-ml-bucket/abalone/train"
    # map keys are data: hyperparameter names stay as written
    assert definition["StaticHyperParameters"] == {"objective": "reg:squarederror",
                                                   "num_round": "100"}
    assert requests[1].data["TrainingJobDefinition"]["OutputDataConfig"]["KmsKeyId"] == \
        "alias/ml-output"


def test_pipeline_functions_are_unknown_and_the_pipeline_names_the_job() -> None:
    first, nested = load_text((SRC / "pipeline-tuning.json").read_text(), "p.json")
    assert (first.kind, nested.kind) == ("pipeline", "pipeline")
    assert isinstance(first.data["HyperParameterTuningJobName"], Unknown)
    definition = first.data["TrainingJobDefinition"]
    assert definition["ResourceConfig"]["InstanceType"] == Unknown(
        '{"Get": "Parameters.TrainingInstanceType"}')
    assert isinstance(definition["OutputDataConfig"]["S3OutputPath"], Unknown)
    assert nested.data["HyperParameterTuningJobConfig"]["Strategy"] == "Random"


def test_a_fix_inside_a_definition_string_is_escaped(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    shutil.copy(SRC / "sfn-definition-string.template.json", path)
    text = path.read_text()
    (fix,) = [f.fix for f in lint_text(text, str(path), Config()).findings
              if f.rule == "HPT104"]
    fixed = apply_edits(text, list(fix.edits))
    body = json.loads(fixed)["Resources"]["TuningMachine"]["Properties"]["DefinitionString"]
    state = json.loads(body["Fn::Sub"])["States"]["Tune"]
    assert state["Parameters"]["HyperParameterTuningJobConfig"]["Strategy"] == "Bayesian"
    assert "HPT104" not in {f.rule for f in lint_text(fixed, str(path), Config()).findings}


def test_extract_reads_every_new_source(tmp_path: Path) -> None:
    for path in SRC.iterdir():
        shutil.copy(path, tmp_path / path.name)
    result = CliRunner().invoke(main, ["extract", str(tmp_path)])
    data = json.loads(result.output)
    assert data["errors"] == []
    kinds = sorted({(Path(r["file"]).name, r["kind"]) for r in data["requests"]})
    assert kinds == [("ack-tuning.yaml", "ack"), ("airflow_clean_dag.py", "airflow"),
                     ("airflow_tuning_dag.py", "airflow"), ("pipeline-tuning.json", "pipeline"),
                     ("sfn-definition-block.template.yaml", "stepfunctions"),
                     ("sfn-definition-string.template.json", "stepfunctions"),
                     ("sfn_states.py", "stepfunctions")]
    ack = [r for r in data["requests"] if r["kind"] == "ack"]
    text = (SRC / "ack-tuning.yaml").read_text().splitlines()
    assert text[ack[0]["line"] - 1].startswith("spec:")


def _ack_name(name: str) -> str:
    """How the ACK controller spells an API member (lowerCamelCase, acronyms upper,
    ``type_``): the names its code generator gives, enough of them to test the mapping."""
    if name == "Type":
        return "type_"
    for tail, upper in (("Arn", "ARN"), ("Uri", "URI"), ("Id", "ID"), ("Ids", "IDs")):
        if name.endswith(tail):
            name = name[:-len(tail)] + upper
    return name[0].lower() + name[1:]


def _to_manifest(value: Any, node: dict[str, Any]) -> Any:
    node = _deref(node)
    if isinstance(value, dict):
        props = node.get("properties", {})
        extra = node.get("additionalProperties")
        return {(_ack_name(k) if k in props else k):
                _to_manifest(v, props[k] if k in props else (extra if isinstance(extra, dict)
                                                              else {}))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_to_manifest(v, node.get("items", {})) for v in value]
    return value


def _deref(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(requests())
def test_ack_spelling_maps_back_to_the_request(request: dict[str, Any]) -> None:
    manifest = {"apiVersion": "sagemaker.services.k8s.aws/v1alpha1",
                "kind": "HyperParameterTuningJob", "metadata": {"name": "job"},
                "spec": _to_manifest(request, SCHEMA)}
    text = yaml.safe_dump_all([{"apiVersion": "v1", "kind": "ConfigMap"}, manifest])
    (found,) = load_text(text, "m.yaml")
    assert found.kind == "ack"
    assert found.data == request


def test_no_two_members_of_one_shape_fold_to_the_same_manifest_name() -> None:
    for name, shape in SCHEMA["$defs"].items():
        props = list(shape.get("properties", {}))
        folded = [p.rstrip("_").lower() for p in props]
        assert len(set(folded)) == len(folded), name


AIRFLOW_DAG = (SRC / "airflow_clean_dag.py").read_text()


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(["MaxNumberOfTrainingJobs", "InstanceCount", "VolumeSizeInGB",
                        "MaxRuntimeInSeconds"]),
       st.integers(min_value=-5, max_value=500), st.sampled_from(["{}", '"{}"', '" {} "']))
def test_airflow_integer_fields_read_as_int_makes_them(field: str, number: int,
                                                       written: str) -> None:
    """Whatever the number, writing it as a string in an integer field gives the findings
    the number itself gives (Airflow passes it through int() first)."""
    current = {"MaxNumberOfTrainingJobs": '"10"', "InstanceCount": '"1"',
               "VolumeSizeInGB": "5", "MaxRuntimeInSeconds": '"3600"'}[field]
    needle = f'"{field}": {current}'
    assert AIRFLOW_DAG.count(needle) == 1

    def findings(value: str) -> list[tuple[str, str]]:
        text = AIRFLOW_DAG.replace(needle, f'"{field}": {value}')
        return sorted((f.rule, f.json_path) for f in lint_text(text, "d.py", Config()).findings)

    assert findings(written.format(number)) == findings(str(number))


def test_ack_helm_templates_are_unknown_and_unparsable_charts_are_not_requests() -> None:
    chart = ("apiVersion: sagemaker.services.k8s.aws/v1alpha1\nkind: HyperParameterTuningJob\n"
             "metadata: {name: x}\nspec:\n  hyperParameterTuningJobName: \"{{ .Values.name }}\"\n"
             "  hyperParameterTuningJobConfig:\n    strategy: '{{ .Values.strategy }}'\n")
    (request,) = load_text(chart, "templates/job.yaml")
    assert request.data["HyperParameterTuningJobName"] == Unknown("{{ .Values.name }}")
    result = lint_text(chart, "templates/job.yaml", Config())
    assert not {f.json_path for f in result.findings} & {  # the templated values
        "hyperParameterTuningJobName", "hyperParameterTuningJobConfig.strategy"}
    broken = chart + "{{- if .Values.spot }}\n  x: [\n{{- end }}\n"
    assert lint_text(broken, "templates/job.yaml", Config()).findings == []


def test_a_definition_string_that_is_not_json_is_not_read() -> None:
    template = {"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
        "DefinitionString": '{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": '
                            '"arn:aws:states:::sagemaker:createHyperParameterTuningJob", '
                            '"Parameters": {"HyperParameterTuningJobConfig": ${config}}}}}'}}}}
    result = lint_text(json.dumps(template), "t.json", Config())
    assert (result.requests, result.findings) == (0, [])
    # a one-line double-quoted YAML string is read like a JSON string
    inner = ('{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": '
             '"arn:aws:states:::sagemaker:createHyperParameterTuningJob", "Parameters": '
             '{"HyperParameterTuningJobName": "bad_name"}}}}')
    text = ("Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n"
            f"      DefinitionString: {json.dumps(inner)}\n")
    found = lint_text(text, "t.yaml", Config(select=("HPT106",))).findings
    assert [(f.rule, f.line, f.column) for f in found] == [
        ("HPT106", 5, text.splitlines()[4].index('\\"bad_name\\"') + 1)]
