"""Step Functions: tuning Task states in ASL definitions and CloudFormation/SAM
templates, nested states, dynamic ``.$`` / JSONata / intrinsic values."""

from __future__ import annotations

import pytest

from hpt_lint.loaders import load_text
from hpt_lint.request import Unknown
from tests.conftest import FIXTURES, lint_string

SF = FIXTURES / "stepfunctions"


def _at(text: str, line_needle: str, needle: str) -> tuple[int, int]:
    """(line, column) of ``needle`` on the one line holding ``line_needle``."""
    (line,) = [n for n, t in enumerate(text.splitlines(), 1) if line_needle in t]
    return line, text.splitlines()[line - 1].index(needle, text.splitlines()[line - 1].index(
        line_needle)) + 1


# fixture, [(rule, line needle, column needle)], [(fault, fix)]
CASES = [
    ("tuning.asl.json",
     [("HPT104", '"Strategy": "bayesian"', '"bayesian"'),
      ("HPT304", '{"Name": "eta", "MinValue": "0"', '"0"')],
     [('"bayesian"', '"Bayesian"'), ('"eta", "MinValue": "0"', '"eta", "MinValue": "0.01"')]),
    ("template.yaml", [("HPT104", "Strategy: bayesian", "bayesian")],
     [("bayesian", "Bayesian")]),
    ("jsonata.asl.json", [("HPT305", '"momentum", "MinValue": "0.5", "MaxValue": "1"', '"1"')],
     [('"MaxValue": "1", "ScalingType": "Rev', '"MaxValue": "0.99", "ScalingType": "Rev')]),
]


@pytest.mark.parametrize(("name", "expected", "fixes"), CASES)
def test_faults_at_their_physical_positions(name: str, expected: list[tuple[str, str, str]],
                                            fixes: list[tuple[str, str]]) -> None:
    text = (SF / name).read_text(encoding="utf-8")
    result = lint_string(text, "." + name.rsplit(".", 1)[1], file=name)
    want = sorted((rule, *_at(text, line, col)) for rule, line, col in expected)
    assert sorted((f.rule, f.line, f.column) for f in result.findings) == want


@pytest.mark.parametrize(("name", "expected", "fixes"), CASES)
def test_without_the_faults_clean(name: str, expected: list[tuple[str, str, str]],
                                  fixes: list[tuple[str, str]]) -> None:
    text = (SF / name).read_text(encoding="utf-8")
    for fault, fix in fixes:
        assert text.count(fault) == 1
        text = text.replace(fault, fix)
    result = lint_string(text, "." + name.rsplit(".", 1)[1], file=name)
    assert result.findings == []
    assert result.requests >= 1


def test_every_tuning_state_is_one_request_nested_ones_too() -> None:
    text = (SF / "tuning.asl.json").read_text()
    top, nested = load_text(text, "m.json")
    assert (top.kind, top.index, nested.index) == ("stepfunctions", 0, 1)
    assert top.data["HyperParameterTuningJobName"] == Unknown("$$.Execution.Name")
    assert top.data["TrainingJobDefinition"]["RoleArn"] == Unknown("$.role")
    assert nested.data["TrainingJobDefinition"] == Unknown("$.definition")
    # request paths map to spans inside the state's Parameters; `.$` keys included
    entry = top.source_map.get(("HyperParameterTuningJobName",))
    assert (entry.key.line, entry.key.column) == _at(
        text, '"HyperParameterTuningJobName.$": "$$', '"HyperParameterTuningJobName.$"')
    root = top.source_map.get(())
    assert root.key.line == 8
    assert text.splitlines()[root.key.line - 1].strip().startswith('"Parameters"')


def test_cloudformation_intrinsics_and_substitutions_are_unknown() -> None:
    first, sam = load_text((SF / "template.yaml").read_text(), "t.yaml")
    assert first.data["HyperParameterTuningJobName"] == Unknown('!Sub "${AWS::StackName}-tuning"')
    assert first.data["HyperParameterTuningJobConfig"] == Unknown("!If [UseBig, {}, {}]")
    assert isinstance(first.data["TrainingJobDefinition"], Unknown)
    definition = sam.data["TrainingJobDefinition"]
    assert definition["AlgorithmSpecification"]["TrainingImage"] == Unknown("!Ref ImageUri")
    assert definition["RoleArn"] == Unknown("${Role}")
    assert isinstance(definition["Environment"]["REGION"], Unknown)


def test_jsonata_arguments() -> None:
    (request,) = load_text((SF / "jsonata.asl.json").read_text(), "m.json")
    assert request.data["HyperParameterTuningJobName"] == Unknown("{% $states.input.name %}")
    assert isinstance(request.data["TrainingJobDefinition"], Unknown)


def test_a_state_machine_without_tuning_states_is_not_a_request() -> None:
    text = ('{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": '
            '"arn:aws:states:::sagemaker:createTrainingJob.sync", "Parameters": {}, '
            '"End": true}}}')
    assert load_text(text, "m.json") == []


def test_cfn_tags_in_a_plain_request_are_unknown_and_silent() -> None:
    text = ("HyperParameterTuningJobName: !Ref JobName\n"
            "HyperParameterTuningJobConfig: !GetAtt Config.Value\n"
            "TrainingJobDefinition: !If [A, !Ref B, !Ref C]\n")
    result = lint_string(text, ".yaml")
    assert result.requests == 1 and result.findings == []


def test_a_misspelt_dollar_key_gets_no_rename_that_would_drop_the_suffix() -> None:
    text = ('{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": '
            '"arn:aws:states:::sagemaker:createHyperParameterTuningJob", "Parameters": {'
            '"HyperParameterTuningJobNam.$": "$.n"}, "End": true}}}')
    (finding,) = [f for f in lint_string(text, ".json").findings if f.rule == "HPT102"]
    assert "HyperParameterTuningJobName" in finding.message and finding.fix is None


def test_legacy_map_iterator_and_yaml_state_machine() -> None:
    text = (
        "StartAt: Each\n"
        "States:\n"
        "  Each:\n"
        "    Type: Map\n"
        "    Iterator:\n"
        "      StartAt: Tune\n"
        "      States:\n"
        "        Tune:\n"
        "          Type: Task\n"
        "          Resource: arn:aws-cn:states:::sagemaker:createHyperParameterTuningJob.sync\n"
        "          Parameters:\n"
        "            HyperParameterTuningJobName.$: $.name\n"
        "            HyperParameterTuningJobConfig:\n"
        "              Strategy: Grid\n"
        "              TrainingJobEarlyStoppingType: auto\n"
        "            TrainingJobDefinition.$: $.definition\n"
        "          End: true\n"
        "    End: true\n")
    (request,) = load_text(text, "machine.yaml")
    assert request.kind == "stepfunctions"
    result = lint_string(text, ".yaml")
    # the config misses ResourceLimits (at its key) and has a mis-cased enum value
    assert [(f.rule, f.line, f.column) for f in result.findings] == [
        ("HPT101", 13, 13), ("HPT104", 15, 45)]


@pytest.mark.parametrize(("resource", "matches"), [
    ("arn:aws:states:::sagemaker:createHyperParameterTuningJob", True),
    ("arn:aws-us-gov:states:::sagemaker:createHyperParameterTuningJob.sync", True),
    ("arn:${AWS::Partition}:states:::sagemaker:createHyperParameterTuningJob.waitForTaskToken",
     True),
    ("arn:aws:states:::sagemaker:createHyperParameterTuningJobs", False),
    ("arn:aws:states:::sagemaker:createTrainingJob.sync", False),
    (Unknown("!Sub arn:${AWS::Partition}:states:::sagemaker:createHyperParameterTuningJob.sync"),
     True),
    (Unknown('!Join ["", ["arn:", !Ref AWS::Partition, '
             '":states:::sagemaker:createHyperParameterTuningJob"]]'), True),
    ({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"},
                        ":states:::sagemaker:createHyperParameterTuningJob.sync"]]}, True),
    ({"Fn::Sub": "arn:${AWS::Partition}:states:::sagemaker:createTrainingJob.sync"}, False),
    (Unknown("!Ref TuningResource"), False),
    (42, False),
])
def test_tuning_resource(resource: object, matches: bool) -> None:
    from hpt_lint.loaders.stepfunctions import is_tuning_resource

    assert is_tuning_resource(resource) is matches
