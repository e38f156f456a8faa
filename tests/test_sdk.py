"""SageMaker SDK ``HyperparameterTuner(...)``: the request parts the SDK would send,
each finding at the Python argument that causes it."""

from __future__ import annotations

from hpt_lint.loaders import load_text
from hpt_lint.request import PartialDict, Unknown
from tests.conftest import FIXTURES, found, lint_string, marks

TEXT = (FIXTURES / "python" / "sdk_tuners.py").read_text(encoding="utf-8")
FIXES = [('ContinuousParameter(0.0, 1, scaling_type="Logarithmic")',
          'ContinuousParameter(1e-4, 1, scaling_type="Logarithmic")'),
         ('strategy="bayesian"', 'strategy="Random"'),
         ('"early_stopping_type": "OFF"', '"early_stopping_type": "Auto"'),
         ('"max_jobs": 8,  # HPT312', '"max_jobs": 5,  #')]


def _col(line: int, needle: str) -> int:
    return TEXT.splitlines()[line - 1].index(needle) + 1


def test_each_fault_at_the_sdk_argument_that_causes_it() -> None:
    result = lint_string(TEXT, ".py", file="sdk_tuners.py")
    assert found(result) == marks(TEXT)
    columns = {(f.rule, f.line): f.column for f in result.findings}
    (l304,) = [n for r, n in marks(TEXT) if r == "HPT304"]
    assert columns[("HPT304", l304)] == _col(l304, "0.0")
    for rule, line in marks(TEXT):
        if rule == "HPT104":
            needle = '"bayesian"' if "bayesian" in TEXT.splitlines()[line - 1] else '"OFF"'
            assert columns[(rule, line)] == _col(line, needle)


def test_without_the_faults_the_tuners_are_clean() -> None:
    text = TEXT
    for fault, fix in FIXES:
        assert text.count(fault) == 1
        text = text.replace(fault, fix)
    result = lint_string(text, ".py")
    assert result.findings == [] and result.requests == 3


def test_synthesized_request_positional_tuner() -> None:
    first = load_text(TEXT, "t.py")[0]
    assert first.kind == "sdk"
    # what the SDK builds from the tuner's own arguments is complete; the training job
    # definition gains members the SDK adds itself (fit() inputs, its own hyperparameters)
    assert not isinstance(first.data, PartialDict)
    config = first.data["HyperParameterTuningJobConfig"]
    assert not isinstance(config, PartialDict)
    assert isinstance(first.data["TrainingJobDefinition"], PartialDict)
    assert config["Strategy"] == "Bayesian"  # the SDK default
    assert config["HyperParameterTuningJobObjective"] == {"Type": "Minimize",
                                                          "MetricName": "multi_logloss"}
    assert config["ResourceLimits"] == {"MaxNumberOfTrainingJobs": 10,
                                        "MaxParallelTrainingJobs": 2}
    assert config["TrainingJobEarlyStoppingType"] == "Off"
    ranges = config["ParameterRanges"]
    assert ranges["ContinuousParameterRanges"] == [
        {"Name": "learning_rate", "MinValue": "0.0", "MaxValue": "1",
         "ScalingType": "Logarithmic"},
        {"Name": "eta", "MinValue": "0.01", "MaxValue": "0.2", "ScalingType": "Auto"}]
    assert ranges["IntegerParameterRanges"] == [
        {"Name": "num_leaves", "MinValue": "2", "MaxValue": "30", "ScalingType": "Auto"}]
    assert ranges["CategoricalParameterRanges"] == [
        {"Name": "batch_size", "Values": ["128", "256", "512"]}]
    algorithm = first.data["TrainingJobDefinition"]["AlgorithmSpecification"]
    assert algorithm["MetricDefinitions"] == [
        {"Name": "multi_logloss", "Regex": "multi_logloss: ([0-9\\.]+)"}]
    assert isinstance(algorithm["TrainingImage"], Unknown)
    assert isinstance(first.data["HyperParameterTuningJobName"], Unknown)
    # defaults are located at the HyperparameterTuner name; arguments at themselves
    line = TEXT.splitlines().index(
        'tuner = HyperparameterTuner(estimator, "multi_logloss", hyperparameter_ranges,') + 1
    strategy = first.source_map.get(("HyperParameterTuningJobConfig", "Strategy")).value
    assert (strategy.line, strategy.column) == (line, _col(line, "HyperparameterTuner"))
    metric = first.source_map.get(("HyperParameterTuningJobConfig",
                                   "HyperParameterTuningJobObjective", "MetricName")).value
    assert (metric.line, metric.column) == (line, _col(line, '"multi_logloss"'))
    name = first.source_map.get(("HyperParameterTuningJobConfig", "ParameterRanges",
                                 "IntegerParameterRanges", 0, "Name")).value
    assert TEXT.splitlines()[name.line - 1][name.column - 1:name.end_column - 1] == \
        '"num_leaves"'


def test_third_positional_scaling_type_and_spread_arguments() -> None:
    _, second, third = load_text(TEXT, "t.py")
    (alpha,) = second.data["HyperParameterTuningJobConfig"]["ParameterRanges"][
        "ContinuousParameterRanges"]
    assert alpha == {"Name": "alpha", "MinValue": "0.1", "MaxValue": "10",
                     "ScalingType": "Linear"}
    config = third.data["HyperParameterTuningJobConfig"]
    assert config["ResourceLimits"] == {"MaxNumberOfTrainingJobs": 8,
                                        "MaxParallelTrainingJobs": 2}
    assert config["HyperParameterTuningJobObjective"]["MetricName"] == "fid_score"


def test_unseen_arguments_are_unknown_not_defaults() -> None:
    text = ("t = HyperparameterTuner(est, metric, ranges, strategy=s, **kwargs)\n"
            "u = HyperparameterTuner(est, 'm', {'x': IntegerParameter(lo, 9)}, "
            "objective_type=kind, autotune=True, warm_start_config=w)\n")
    first, second = load_text(text, "t.py")
    config = first.data["HyperParameterTuningJobConfig"]
    assert config["Strategy"] == Unknown("s")
    assert isinstance(config["TrainingJobEarlyStoppingType"], Unknown)
    assert config["ParameterRanges"] == Unknown("ranges")
    assert config["HyperParameterTuningJobObjective"]["MetricName"] == Unknown("metric")
    second_config = second.data["HyperParameterTuningJobConfig"]
    assert second_config["HyperParameterTuningJobObjective"]["Type"] == Unknown("kind")
    (x,) = second_config["ParameterRanges"]["IntegerParameterRanges"]
    assert x["MinValue"] == Unknown("lo") and x["MaxValue"] == "9"
    assert second.data["Autotune"] == {"Mode": "Enabled"}
    assert second.data["WarmStartConfig"] == Unknown("w")
    assert lint_string(text, ".py").findings == []


def test_boto3_and_sdk_in_one_file() -> None:
    text = ("sm.create_hyper_parameter_tuning_job(HyperParameterTuningJobName=n)\n"
            "HyperparameterTuner(est, 'm', {})\n")
    assert [r.kind for r in load_text(text, "t.py")] == ["python", "sdk"]


def test_values_the_sdk_derives_take_no_text_edit() -> None:
    first = load_text(TEXT, "t.py")[0]
    ranges = ("HyperParameterTuningJobConfig", "ParameterRanges")
    derived = {
        (*ranges, "ContinuousParameterRanges", 1, "MinValue"),  # str(0.01)
        (*ranges, "IntegerParameterRanges", 0, "ScalingType"),  # the SDK default
        ("HyperParameterTuningJobConfig", "Strategy"),  # the SDK default
    }
    written = {(*ranges, "ContinuousParameterRanges", 0, "ScalingType"),
               (*ranges, "ContinuousParameterRanges", 0, "Name")}
    assert {p for p in derived | written
            if first.source_map.get(p).style == "derived"} == derived
    # a finding on a value the user wrote keeps its fix
    (fix104,) = [f.fix for f in lint_string(TEXT, ".py").findings
                 if f.rule == "HPT104" and "bayesian" in f.message]
    assert fix104.edits[0].new_text == '"Bayesian"'
