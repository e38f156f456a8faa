"""boto3 calls in Python: every resolution form, each fixture with a planted fault at
its exact line and column, and clean once the fault is removed."""

from __future__ import annotations

import shutil
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hpt_lint.config import Config
from hpt_lint.lint import lint_file
from hpt_lint.loaders import load_text
from hpt_lint.request import PartialDict, Unknown
from tests.conftest import FIXTURES, found, lint_string, marks

PY = FIXTURES / "python"

# fixture, text at the finding's column on the marked line, (fault, fix)
CASES = [
    ("notebook_style.py", '"bayesian"', ('"bayesian"', '"Bayesian"')),
    ("deepcopy_mutation.py", '"0", "MaxValue"', ('"MinValue": "0",', '"MinValue": "0.01",')),
    ("kwargs_spread.py", "0.001", ('"MinValue": 0.001', '"MinValue": "0.001"')),
    ("unresolved_spread.py", '"nightly_tuning"', ("nightly_tuning", "nightly-tuning")),
    ("side_effects.py", '"OFF"', ('"OFF"', '"Off"')),
    ("unicode_columns.py", '"-1"', ('"-1"', '"0.5"')),
    ("copies_and_scopes.py", '"1"', ('"MaxValue": "1",', '"MaxValue": "0.9",')),
]


def _column(text: str, line: int, needle: str) -> int:
    return text.splitlines()[line - 1].index(needle) + 1


@pytest.mark.parametrize(("name", "needle", "fix"), CASES)
def test_planted_fault_is_found_at_its_line_and_column(name: str, needle: str,
                                                        fix: tuple[str, str]) -> None:
    text = (PY / name).read_text(encoding="utf-8")
    result = lint_string(text, ".py", file=name)
    expected = marks(text)
    assert len(expected) == 1
    assert found(result) == expected
    (finding,) = result.findings
    assert finding.column == _column(text, finding.line, needle)
    assert result.requests == 1


@pytest.mark.parametrize(("name", "needle", "fix"), CASES)
def test_fixture_without_its_fault_is_clean(name: str, needle: str,
                                            fix: tuple[str, str]) -> None:
    text = (PY / name).read_text(encoding="utf-8")
    assert fix[0] in text
    result = lint_string(text.replace(fix[0], fix[1]), ".py", file=name)
    assert result.findings == []
    assert result.requests == 1


def test_a_file_without_a_call_is_silently_not_a_request() -> None:
    result = lint_string((PY / "no_call.py").read_text(), ".py")
    assert result.requests == 0 and result.findings == []
    enabled = lint_string((PY / "no_call.py").read_text(), ".py",
                          Config(extend_select=("HPT002",)))
    assert [f.rule for f in enabled.findings] == ["HPT002"]


def test_linting_never_runs_the_file(tmp_path) -> None:
    target = tmp_path / "side_effects.py"
    shutil.copy(PY / "side_effects.py", target)
    result = lint_file(target, Config())
    assert [f.rule for f in result.findings] == ["HPT104"]
    assert not (tmp_path / "HPT_LINT_RAN_ME").exists()
    assert not any(getattr(m, "__file__", None) == str(target) for m in sys.modules.values())


def _request(text: str):
    (request,) = load_text(text, "x.py")
    return request


def test_deepcopy_and_mutations_are_replayed_in_order() -> None:
    text = (PY / "deepcopy_mutation.py").read_text()
    request = _request(text)
    definition = request.data["TrainingJobDefinition"]
    assert "HyperParameters" not in definition
    assert definition["StaticHyperParameters"] == {"num_round": "10"}
    assert definition["ResourceConfig"]["VolumeSizeInGB"] == 20
    assert definition["EnableManagedSpotTraining"] is False
    assert definition["InputDataConfig"][0]["ChannelName"] == "train"
    # the assigned value maps to the statement that wrote it, the key to its subscript
    entry = request.source_map.get(("TrainingJobDefinition", "ResourceConfig",
                                    "VolumeSizeInGB"))
    line = text.splitlines().index('definition["ResourceConfig"]["VolumeSizeInGB"] = 20') + 1
    assert entry.value.line == line and entry.key.line == line
    assert entry.key.column == _column(text, line, '"VolumeSizeInGB"')
    # the copy is deep: the original keeps its 5 (so no finding can come from it)
    assert request.data["HyperParameterTuningJobConfig"]["Strategy"] == "Random"
    assert isinstance(definition["RoleArn"], Unknown)
    assert definition["RoleArn"].source == "role"


def test_python_values_keep_their_types_and_unknowns_keep_their_source() -> None:
    request = _request(
        'sm.create_hyper_parameter_tuning_job(\n'
        '    HyperParameterTuningJobName=f"job-{suffix}",\n'
        '    Tags=({"Key": "team", "Value": "ml"},),\n'
        '    HyperParameterTuningJobConfig={"ResourceLimits": {"MaxParallelTrainingJobs": 2,\n'
        '        "MaxNumberOfTrainingJobs": -1}, "RandomSeed": None, "Flag": True,\n'
        '        "X": cfg.value, "Y": make(), "Z": a + b})\n')
    data = request.data
    assert data["HyperParameterTuningJobName"] == Unknown('f"job-{suffix}"')
    assert data["Tags"] == [{"Key": "team", "Value": "ml"}]
    config = data["HyperParameterTuningJobConfig"]
    assert config["ResourceLimits"] == {"MaxParallelTrainingJobs": 2,
                                        "MaxNumberOfTrainingJobs": -1}
    assert config["RandomSeed"] is None and config["Flag"] is True
    assert [config[k].source for k in "XYZ"] == ["cfg.value", "make()", "a + b"]
    # the keyword's key span is the argument name, the root is the method name
    entry = request.source_map.get(("HyperParameterTuningJobName",))
    assert (entry.key.line, entry.key.column, entry.key.end_column) == (2, 5, 32)
    root = request.source_map.get(())
    assert (root.value.line, root.value.column, root.value.end_column) == (1, 4, 37)


def test_unresolved_spread_makes_a_partial_dict() -> None:
    request = _request((PY / "unresolved_spread.py").read_text())
    assert isinstance(request.data, PartialDict)
    assert request.data.unknown_sources == ("extra",)
    config = request.data["HyperParameterTuningJobConfig"]
    assert isinstance(config, PartialDict) and config == {"Strategy": "Random"}


def test_local_function_and_spreads_resolve() -> None:
    request = _request((PY / "kwargs_spread.py").read_text())
    config = request.data["HyperParameterTuningJobConfig"]
    assert config["Strategy"] == "Bayesian"
    assert config["ResourceLimits"]["MaxParallelTrainingJobs"] == 2
    assert isinstance(config["ResourceLimits"]["MaxNumberOfTrainingJobs"], Unknown)
    channel = request.data["TrainingJobDefinition"]["InputDataConfig"][0]
    assert channel["DataSource"]["S3DataSource"]["S3DataType"] == "S3Prefix"
    assert isinstance(request.data["HyperParameterTuningJobName"], Unknown)


def test_several_calls_and_rebinding() -> None:
    text = (
        "cfg = {'Strategy': 'Random'}\n"
        "sm.create_hyper_parameter_tuning_job(HyperParameterTuningJobConfig=cfg)\n"
        "cfg = load()\n"
        "sm.create_hyper_parameter_tuning_job(HyperParameterTuningJobConfig=cfg)\n"
        "cfg = {'Strategy': 'Grid'}\n"
        "cfg2 = cfg\n"
        "cfg2['Strategy'] = 'Hyperband'\n"
        "other.create_hyper_parameter_tuning_job(HyperParameterTuningJobConfig=cfg)\n")
    requests = load_text(text, "x.py")
    assert [r.data["HyperParameterTuningJobConfig"] for r in requests] == [
        {"Strategy": "Random"}, Unknown("cfg"), {"Strategy": "Hyperband"}]
    assert [r.index for r in requests] == [0, 1, 2]
    assert {r.kind for r in requests} == {"python"}


def test_self_reference_does_not_hang() -> None:
    request = _request("a = {}\na['a'] = a\nl = []\nl.append(l)\n"
                       "sm.create_hyper_parameter_tuning_job(Tags=l, X=a)\n")
    assert request.data["X"]["a"] == Unknown("<a value that contains itself>")


def test_syntax_error_is_hpt001_at_the_parser_position() -> None:
    result = lint_string("x = 1\nsm.create_hyper_parameter_tuning_job(\n", ".py")
    assert [(f.rule, f.line) for f in result.findings] == [("HPT001", 2)]


@settings(max_examples=150, deadline=None)
@given(st.text(), st.sampled_from(["", "sm.create_hyper_parameter_tuning_job(",
                                   "HyperparameterTuner(", "x = {**"]))
def test_arbitrary_text_never_raises(text: str, prefix: str) -> None:
    result = lint_string(prefix + text, ".py")
    assert all(f.rule != "HPT000" for f in result.findings)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([
    "d = {'Strategy': 'Random'}", "d['x'] = d", "del d['Strategy']", "d.update(d)",
    "l = [d]", "l.append(l)", "d = copy.deepcopy(d)", "e = {**d, 'k': l}",
    "sm.create_hyper_parameter_tuning_job(**d, Tags=l, X=e)", "def f():\n    return d",
    "d = f()", "for k in d:\n    d[k] = 1", "HyperparameterTuner(e, *l, **d)",
    "r = {'a': ContinuousParameter(0, d)}", "HyperparameterTuner(d, 'm', r, l)",
]), max_size=12))
def test_arbitrary_programs_never_raise(lines: list[str]) -> None:
    result = lint_string("\n".join(lines) + "\n", ".py")
    assert all(f.rule != "HPT000" for f in result.findings)


def test_hostile_growth_is_bounded() -> None:
    doubling = "l = [1]\n" + "l.extend(l)\nl = [*l, *l]\n" * 40
    fan_out = "def f():\n    return {'a': f(), 'b': f(), 'c': f()}\n"
    text = doubling + fan_out + "sm.create_hyper_parameter_tuning_job(Tags=l, X=f())\n"
    result = lint_string(text, ".py")
    assert all(f.rule != "HPT000" for f in result.findings)
    assert len(result.findings) < 1_100


def test_copies_are_shallow_or_deep_as_in_python() -> None:
    text = (PY / "copies_and_scopes.py").read_text()
    request = _request(text)
    config = request.data["HyperParameterTuningJobConfig"]
    assert config["ResourceLimits"]["MaxRuntimeInSeconds"] == 7200  # setdefault on a copy
    names = [r["Name"] for r in config["ParameterRanges"]["ContinuousParameterRanges"]]
    assert names == ["gamma", "subsample"]  # list(x) then append
    definition = request.data["TrainingJobDefinition"]
    assert isinstance(definition, PartialDict)
    assert definition.unknown_sources == ("self.base_definition()",)
    # the copy did not change the module-level originals
    again = _request(text.replace("limits = LIMITS.copy()", "limits = LIMITS"))
    assert again.data["HyperParameterTuningJobConfig"]["ResourceLimits"] == config[
        "ResourceLimits"]
    shallow = load_text("a = {'x': {'y': 1}}\nb = a.copy()\nb['x']['y'] = 2\nb['z'] = 3\n"
                        "c = copy.deepcopy(a)\nc['x']['y'] = 9\n"
                        "sm.create_hyper_parameter_tuning_job(Tags=a, B=b, C=c)\n",
                        "x.py")[0]
    assert shallow.data == {"Tags": {"x": {"y": 2}}, "B": {"x": {"y": 2}, "z": 3},
                            "C": {"x": {"y": 9}}}


def test_a_rename_fix_for_a_keyword_argument_is_a_bare_name() -> None:
    text = ("sm.create_hyper_parameter_tuning_job(HyperParameterTuningJobName='job',\n"
            "    HyperParameterTuningJobConfig=dict(Strategy='Random', RandomSeeds=3,\n"
            "                                       **other), TrainingJobDefinition=d,\n"
            "    TrainingJobDefinitio={'x': 1})\n")
    fixes = {f.json_path: f.fix.edits[0] for f in lint_string(text, ".py").findings
             if f.rule == "HPT102" and f.fix}
    assert fixes["HyperParameterTuningJobConfig.RandomSeeds"].new_text == "RandomSeed"
    assert (fixes["HyperParameterTuningJobConfig.RandomSeeds"].line,
            fixes["HyperParameterTuningJobConfig.RandomSeeds"].column) == (
        2, text.splitlines()[1].index("RandomSeeds") + 1)
    assert fixes["TrainingJobDefinitio"].new_text == "TrainingJobDefinition"
    quoted = lint_string("sm.create_hyper_parameter_tuning_job(HyperParameterTuningJobConfig="
                         "{'Strategy': 'Random', 'RandomSeeds': 3, **o})\n", ".py")
    (fix,) = [f.fix for f in quoted.findings if f.rule == "HPT102"]
    assert fix.edits[0].new_text == '"RandomSeed"'


def test_if_else_writing_a_member_differently_makes_it_unknown() -> None:
    text = ("config = {'Strategy': 'Hyperband'}\n"
            "if strategy == 'Hyperband':\n"
            "    config['TrainingJobEarlyStoppingType'] = 'Off'\n"
            "    config['RandomSeed'] = 1\n"
            "    config['Only'] = 'if'\n"
            "elif fast:\n"
            "    config['TrainingJobEarlyStoppingType'] = 'Auto'\n"
            "    config['RandomSeed'] = 1\n"
            "else:\n"
            "    config['TrainingJobEarlyStoppingType'] = 'Auto'\n"
            "    config['RandomSeed'] = 1\n"
            "sm.create_hyper_parameter_tuning_job(HyperParameterTuningJobConfig=config)\n")
    config = _request(text).data["HyperParameterTuningJobConfig"]
    assert config["TrainingJobEarlyStoppingType"] == Unknown(
        "strategy == 'Hyperband' ? 'Off' : 'Auto'")
    assert config["RandomSeed"] == 1 and config["Only"] == "if"


def test_a_container_passed_to_an_unseen_function_may_gain_members() -> None:
    text = ("definition = {'AlgorithmSpecification': {'TrainingInputMode': 'File'}}\n"
            "print(definition)\n"
            "{call}\n"
            "sm.create_hyper_parameter_tuning_job(HyperParameterTuningJobName='n',\n"
            "    HyperParameterTuningJobConfig={'Strategy': 'Random', 'ResourceLimits': {\n"
            "        'MaxParallelTrainingJobs': 1, 'MaxNumberOfTrainingJobs': 2}},\n"
            "    TrainingJobDefinition=definition)\n")
    hidden = _request(text.replace("{call}", "fill_in_role(definition)"))
    definition = hidden.data["TrainingJobDefinition"]
    assert isinstance(definition, PartialDict)
    assert definition.unknown_sources == ("fill_in_role(definition)",)
    missing = [f.json_path for f in lint_string(text.replace("{call}", "pass"), ".py").findings
               if f.rule == "HPT101" and f.json_path.startswith("TrainingJobDefinition")]
    assert "TrainingJobDefinition.RoleArn" in missing
    assert not [f for f in lint_string(text.replace("{call}", "helpers.fill(x=definition)"),
                                       ".py").findings
                if f.rule == "HPT101" and f.json_path.startswith("TrainingJobDefinition.")]


def test_list_of_dict_values() -> None:
    text = ("ranges = {'lr': {'Name': 'lr', 'MinValue': '0', 'MaxValue': '1',\n"
            "                 'ScalingType': 'Logarithmic', 'Type': 'Continuous'}}\n"
            "sm.create_hyper_parameter_tuning_job(HyperParameterTuningJobConfig={\n"
            "    'ParameterRanges': {'ContinuousParameterRanges': list(ranges.values())}})\n")
    config = _request(text).data["HyperParameterTuningJobConfig"]
    assert config["ParameterRanges"]["ContinuousParameterRanges"][0]["Name"] == "lr"
    rules = {(f.rule, f.line) for f in lint_string(text, ".py").findings}
    assert {("HPT304", 1), ("HPT102", 2)} <= rules  # the extra "Type" key, as in the wild
