"""Python on real trees (issue 13): only real requests, and every value a reader can
resolve. Fixtures are modeled on public code; each planted fault is a ``# HPTnnn`` mark
asserted exactly (rule and line), and the clean fixtures must stay clean."""

from __future__ import annotations

import json
import operator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hpt_lint.config import Config
from hpt_lint.loaders import load_text
from hpt_lint.loaders.python_loader import API_MEMBERS
from hpt_lint.request import ImageHint, PartialDict, Unknown
from hpt_lint.resources import schema_path
from tests.conftest import FIXTURES, found, lint_string, marks

OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "//": operator.floordiv,
             "%": operator.mod}
PY = FIXTURES / "python"
NB = FIXTURES / "notebooks"


def _lint(path):
    text = path.read_text(encoding="utf-8")
    return text, lint_string(text, path.suffix, file=path.name)


def _request(text: str, index: int = 0, suffix: str = ".py"):
    return load_text(text, f"x{suffix}")[index]


# ---- 1. only real requests ---------------------------------------------------------------

def test_api_members_are_the_schema_top_level_members() -> None:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    assert set(schema["properties"]) == API_MEMBERS


def test_a_method_sharing_the_api_name_with_snake_case_keywords_is_not_a_request() -> None:
    _, result = _lint(PY / "mock_backend.py")
    assert result.requests == 0 and result.findings == []


def test_a_call_with_an_api_member_or_a_spread_is_a_request() -> None:
    assert len(load_text("c.create_hyper_parameter_tuning_job(Tags=[])\n", "x.py")) == 1
    assert len(load_text("c.create_hyper_parameter_tuning_job(**req)\n", "x.py")) == 1
    assert load_text("c.create_hyper_parameter_tuning_job(tags=[])\n", "x.py") == []
    assert load_text("c.create_hyper_parameter_tuning_job(req)\n", "x.py") == []


def test_a_notebook_in_another_language_is_not_read_as_python() -> None:
    _, result = _lint(NB / "r_reticulate.ipynb")
    assert result.requests == 0 and result.findings == []
    enabled = lint_string((NB / "r_reticulate.ipynb").read_text(), ".ipynb",
                          Config(select=frozenset({"HPT002"})))
    assert [f.rule for f in enabled.findings] == ["HPT002"]


def test_a_notebook_that_declares_python_or_nothing_is_read() -> None:
    nb = json.loads((NB / "r_reticulate.ipynb").read_text())
    nb["cells"][2]["source"] = ["sm.create_hyper_parameter_tuning_job(Tags=[], X=1)\n"]
    for metadata in ({"kernelspec": {"language": "python", "name": "python3"},
                      "language_info": {"name": "python"}}, {}):
        nb["metadata"] = metadata
        assert len(load_text(json.dumps(nb), "x.ipynb")) == 1


# ---- 2. everything a reader can resolve --------------------------------------------------

def test_resolved_constants_fixture_findings_are_exact() -> None:
    text, result = _lint(PY / "resolved_constants.py")
    assert found(result) == marks(text)


def test_resolved_values() -> None:
    request = _request((PY / "resolved_constants.py").read_text())
    assert request.data["HyperParameterTuningJobName"] == "DEMO-ic-tuning-20"
    config = request.data["HyperParameterTuningJobConfig"]
    assert config["ResourceLimits"] == {"MaxNumberOfTrainingJobs": 20,
                                        "MaxParallelTrainingJobs": 6}
    definition = request.data["TrainingJobDefinition"]
    assert definition["StaticHyperParameters"] == {
        "num_classes": "257", "num_training_samples": "15420", "epochs": "10",
        "learning_rate": "0.1"}
    assert definition["ResourceConfig"] == {"InstanceCount": 1, "InstanceType": "ml.p3.2xlarge",
                                            "VolumeSizeInGB": 50}
    assert definition["OutputDataConfig"]["S3OutputPath"] == "s3://example-bucket/DEMO-ic/output"
    # os.environ.get(..., default) stays unknown: the environment decides
    assert isinstance(definition["AlgorithmSpecification"]["TrainingImage"], Unknown)


@pytest.mark.parametrize(("program", "expected"), [
    ("n = 6\n", 6),
    ("n = -3\nn = -n\n", 3),
    ("a = 2\nn = a ** 3 - 1\n", 7),
    ("n = int('6')\n", 6),
    ("n = int(7.9)\n", 7),
    ("n = float('1e-6')\n", 1e-6),
    ("n = str(5)\n", "5"),
    ("p = 'a'\nn = f'{p}-{1 + 1}!r'\n", "a-2!r"),
    ("n = '-'.join(['a', 'b'])\n", "a-b"),
    ("b = 'bk'\nn = 's3://{}/{p}/{}'.format(b, 'y', p='x')\n", "s3://bk/x/y"),
    ("n = '{}/{0}'.format(1)\n", None),
    ("n = '{:>4}'.format(1)\n", None),
    ("n = '{0.real}'.format(1)\n", None),
    ("n = '{}'.format(x)\n", None),
    ("n = '{}{}'.format(1)\n", None),
    ("n = 1 if x else 2\n", None),
    ("import os\nn = os.environ.get('X', '6')\n", None),
    ("n = int('abc')\n", None),
    ("n = 'x' * 10 ** 9\n", None),
    ("n = 10 ** 10 ** 9\n", None),
    ("n = 1 / 0\n", None),
    ("n = f'{x:>10}'\n", None),
    ("n = int(True)\n", None),
    ("def int(v):\n    return v\nn = int('6')\n", None),
    ("n = 1\nif c:\n    n = 2\n", None),
    ("n = 1\nif c:\n    n = 2\nelse:\n    n = 2\n", 2),
    ("n = 1\nif c:\n    n = 2\nelse:\n    m = n\n", None),
    ("n = 1\nfor i in r:\n    n = 2\n", None),
    ("n = 1\ntry:\n    n = 2\nexcept E:\n    pass\n", None),
    ("n = 1\ndef f():\n    global n\n    n = 9\n", None),
    ("n = 1\nclass C:\n    n = 5\n", 1),
    ("n = 2\nwith open(p) as fh:\n    n = 3\n", 3),
    ("n = 1\nif (n := 2):\n    pass\n", None),
    ("n = 1\nmatch v:\n    case 1:\n        n = 2\n", None),
    ("n = 4\nwhile c:\n    n = 4\n", 4),
])
def test_a_name_bound_to_a_literal_or_a_simple_expression(program: str, expected) -> None:
    request = _request(program + "sm.create_hyper_parameter_tuning_job(Tags=n)\n")
    value = request.data["Tags"]
    if expected is None:
        assert isinstance(value, Unknown)
    else:
        assert value == expected and type(value) is type(expected)


def test_a_loop_variant_name_is_unknown_inside_the_loop() -> None:
    request = _request("n = 1\nfor i in r:\n"
                       "    sm.create_hyper_parameter_tuning_job(Tags=n)\n    n = 2\n")
    assert isinstance(request.data["Tags"], Unknown)


def test_a_method_does_not_see_its_class_body() -> None:
    request = _request("n = 1\nclass C:\n    n = 5\n    def go(self):\n"
                       "        sm.create_hyper_parameter_tuning_job(Tags=n)\n")
    assert request.data["Tags"] == 1


@settings(max_examples=60, deadline=None)
@given(st.integers(-10**6, 10**6), st.integers(-10**6, 10**6),
       st.sampled_from(["+", "-", "*", "//", "%"]))
def test_folded_arithmetic_agrees_with_python(a: int, b: int, op: str) -> None:
    program = f"a = {a}\nb = {b}\nn = a {op} b\n"
    request = _request(program + "sm.create_hyper_parameter_tuning_job(Tags=n)\n")
    try:
        expected = OPERATORS[op](a, b)
    except ZeroDivisionError:
        assert isinstance(request.data["Tags"], Unknown)
    else:
        assert request.data["Tags"] == expected


# ---- the SDK estimator ---------------------------------------------------------------------

SDK_FIXES = [("max_wait=1800,  # HPT501", "max_wait=3600,"),
             ("max_jobs = 10  # HPT312", "max_jobs = 6"),
             ('"hub_token": "hf_kXq3VbN8mTz2RwLp9YdJc4HsGfA7eUoQiK"},  # HPT601',
              '"hub_token": os.environ["HUB_TOKEN"]},'),
             ('environment={"HUGGING_FACE_HUB_TOKEN": "hf_Zr8pWq2LmN5tYv7XcB3dKs9HjG4fE6aRuT"},'
              '  # HPT602', "environment={},"),
             ("max_jobs=4,", "max_jobs=8,"),
             ("max_parallel_jobs=2)  # HPT409", "max_parallel_jobs=2)")]


def test_sdk_estimators_fixture_findings_are_exact() -> None:
    text, result = _lint(PY / "sdk_estimators.py")
    assert found(result) == marks(text)
    assert result.requests == 4


def test_sdk_estimators_without_the_faults_are_clean() -> None:
    text = (PY / "sdk_estimators.py").read_text()
    for fault, fix in SDK_FIXES:
        assert text.count(fault) == 1, fault
        text = text.replace(fault, fix)
    result = lint_string(text, ".py")
    assert result.findings == [] and result.requests == 4


def test_the_definition_the_sdk_derives_from_each_estimator() -> None:
    xgb, pytorch, linear, hf = load_text((PY / "sdk_estimators.py").read_text(), "t.py")
    definition = xgb.data["TrainingJobDefinition"]
    image = definition["AlgorithmSpecification"]["TrainingImage"]
    assert isinstance(image, Unknown) and image.image == ImageHint("xgboost", "1.7-1", None)
    assert definition["ResourceConfig"] == {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge",
                                            "VolumeSizeInGB": 30}  # the SDK's default volume
    assert definition["StoppingCondition"] == {"MaxRuntimeInSeconds": 3600,
                                               "MaxWaitTimeInSeconds": 1800}
    assert definition["EnableManagedSpotTraining"] is True
    assert isinstance(definition["CheckpointConfig"]["S3Uri"], Unknown)
    # generic Estimator: str() of each value, the tuned ones removed
    assert dict(definition["StaticHyperParameters"]) == {
        "eval_metric": "auc", "objective": "binary:logistic", "num_round": "100"}
    assert isinstance(definition["RoleArn"], Unknown)
    assert isinstance(definition, PartialDict) and "InputDataConfig" in definition.may_add
    # framework estimator: json.dumps of each value, and the SDK adds its own
    static = pytorch.data["TrainingJobDefinition"]["StaticHyperParameters"]
    assert static["epochs"] == "10" and static["backend"] == '"gloo"'
    assert isinstance(static, PartialDict) and static.may_add is None
    assert pytorch.data["TrainingJobDefinition"]["StoppingCondition"] == {
        "MaxRuntimeInSeconds": 10800, "MaxWaitTimeInSeconds": 10800}
    # first-party algorithm: the image it retrieves, its constructor hyperparameters
    definition = linear.data["TrainingJobDefinition"]
    assert definition["AlgorithmSpecification"]["TrainingImage"].image == ImageHint(
        "linear-learner", "1", None)
    assert dict(definition["StaticHyperParameters"]) == {"predictor_type": "binary_classifier"}
    assert definition["StoppingCondition"] == {"MaxRuntimeInSeconds": 86400}
    assert linear.data["HyperParameterTuningJobConfig"]["ResourceLimits"] == {
        "MaxNumberOfTrainingJobs": 10, "MaxParallelTrainingJobs": 2}
    assert hf.data["TrainingJobDefinition"]["Environment"] == {
        "HUGGING_FACE_HUB_TOKEN": "hf_Zr8pWq2LmN5tYv7XcB3dKs9HjG4fE6aRuT"}
    # a location for each member: the argument that gives it, or the estimator's name
    volume = xgb.source_map.get(("TrainingJobDefinition", "ResourceConfig", "VolumeSizeInGB"))
    text = (PY / "sdk_estimators.py").read_text()
    assert volume.value.line == text.splitlines().index("xgb = Estimator(") + 1
    assert volume.style == "derived"


@pytest.mark.parametrize(("call", "hint"), [
    ('image_uris.retrieve("xgboost", region, "1.7-1")', ImageHint("xgboost", "1.7-1", None)),
    ('sagemaker.image_uris.retrieve(framework="xgboost", region="us-west-2", version="1.5-1")',
     ImageHint("xgboost", "1.5-1", "us-west-2")),
    ('retrieve("linear-learner", "eu-west-1")', ImageHint("linear-learner", None, "eu-west-1")),
    ('get_image_uri(region, "xgboost", repo_version="1.0-1")',
     ImageHint("xgboost", "1.0-1", None)),
    ("image_uris.retrieve(name, region)", None),
    ('cache.retrieve("xgboost", region, "1")', None),
])
def test_an_image_the_code_retrieves_names_its_algorithm(call: str, hint) -> None:
    text = (f"image = {call}\n"
            "est = Estimator(image, role, instance_count=1, instance_type='ml.m5.xlarge')\n"
            "HyperparameterTuner(est, 'm', {'x': IntegerParameter(1, 9)})\n")
    request = _request(text)
    image = request.data["TrainingJobDefinition"]["AlgorithmSpecification"]["TrainingImage"]
    assert isinstance(image, Unknown) and image.image == hint


def test_a_role_name_becomes_an_arn_at_run_time() -> None:
    text = ("est = Estimator('img', 'SageMakerRole', instance_count=1, "
            "instance_type='ml.m5.xlarge')\n"
            "HyperparameterTuner(est, 'm', {'x': IntegerParameter(1, 9)})\n")
    assert isinstance(_request(text).data["TrainingJobDefinition"]["RoleArn"], Unknown)
    arn = "arn:aws:iam::111122223333:role/SageMakerRole"
    assert _request(text.replace("'SageMakerRole'", repr(arn))).data[
        "TrainingJobDefinition"]["RoleArn"] == arn


def test_unseen_estimator_arguments_leave_the_definition_open() -> None:
    text = ("est = Estimator(**estimator_args)\n"
            "HyperparameterTuner(est, 'm', {'x': IntegerParameter(1, 9)}, max_jobs=20)\n")
    definition = _request(text).data["TrainingJobDefinition"]
    assert isinstance(definition, PartialDict) and definition.may_add is None
    assert isinstance(definition["StoppingCondition"]["MaxRuntimeInSeconds"], Unknown)


def test_a_local_class_named_estimator_is_not_the_sdk() -> None:
    text = ("class Estimator:\n    pass\n"
            "est = Estimator('img', role, instance_count=1, instance_type='ml.m5.xlarge')\n"
            "HyperparameterTuner(est, 'm', {'x': IntegerParameter(1, 9)})\n")
    definition = _request(text).data["TrainingJobDefinition"]
    assert isinstance(definition["ResourceConfig"], Unknown)


def test_set_hyperparameters_does_not_change_the_dict_given_to_the_constructor() -> None:
    text = ("hp = {'a': 1}\n"
            "est = Estimator('img', role, instance_count=1, instance_type='ml.m5.xlarge', "
            "hyperparameters=hp)\n"
            "est.set_hyperparameters(b=2.5, flag=True)\n"
            "HyperparameterTuner(est, 'm', {'x': IntegerParameter(1, 9)})\n"
            "sm.create_hyper_parameter_tuning_job(Tags=hp)\n")
    sdk, boto3 = load_text(text, "t.py")
    assert dict(sdk.data["TrainingJobDefinition"]["StaticHyperParameters"]) == {
        "a": "1", "b": "2.5", "flag": "True"}
    assert boto3.data["Tags"] == {"a": 1}


# ---- rules decide from what they read ------------------------------------------------------

SDK_HEAD = ("est = Estimator('123456789012.dkr.ecr.us-east-1.amazonaws.com/mine:1', role, "
            "instance_count=1, instance_type='ml.m5.xlarge'{est})\n")
TUNE = "HyperparameterTuner(est, 'm', {ranges}, metric_definitions={metrics}{tuner})\n"
METRICS = "[{'Name': 'm', 'Regex': 'm=(\\\\S+)'}]"


def _sdk(est: str = "", tuner: str = "", ranges: str = "{'x': ContinuousParameter(0.1, 1)}",
         metrics: str = METRICS) -> str:
    return SDK_HEAD.format(est=est) + TUNE.format(ranges=ranges, metrics=metrics, tuner=tuner)


@pytest.mark.parametrize(("program", "rule"), [
    (_sdk(tuner=", max_jobs=10", ranges="{'x': IntegerParameter(1, 3)}"), "HPT312"),
    (_sdk(est=", use_spot_instances=True, max_run=3600, max_wait=60"), "HPT501"),
    (_sdk(est=", max_wait=7200"), "HPT502"),
    (_sdk(est=", use_spot_instances=True, checkpoint_s3_uri='s3://b/c'"), "HPT503"),
    (_sdk(est=", use_spot_instances=True, max_wait=86400"), "HPT504"),
    (_sdk(metrics="None"), "HPT412"),
    (_sdk(tuner=", strategy='Hyperband', early_stopping_type='Off'"), "HPT404"),
    (_sdk(ranges="{}"), "HPT313"),
])
def test_a_rule_fires_on_an_sdk_request_when_its_members_are_known(program: str,
                                                                   rule: str) -> None:
    rules = [f.rule for f in lint_string(program, ".py").findings]
    assert rule in rules, rules


@pytest.mark.parametrize(("program", "rule"), [
    (_sdk(tuner=", max_jobs=10, **more", ranges="{'x': IntegerParameter(1, 3)}"), "HPT312"),
    (_sdk(est=", use_spot_instances=True, max_run=3600, max_wait=wait"), "HPT501"),
    (_sdk(est=", max_wait=7200, **more"), "HPT502"),
    (_sdk(est=", use_spot_instances=True, checkpoint_s3_uri='s3://b/c', **more"), "HPT503"),
    (_sdk(est=", use_spot_instances=True, max_wait=86400, **more"), "HPT504"),
    (SDK_HEAD.format(est="") + "HyperparameterTuner(est, 'm', {'x': IntegerParameter(1, 3)},"
     " **more)\n", "HPT412"),
    (_sdk(tuner=", strategy='Hyperband', strategy_config=HyperbandStrategyConfig(max_resource=9)"),
     "HPT404"),
    (_sdk(est=", hyperparameters={'epochs': 3}", tuner=", strategy='Hyperband'"), "HPT404"),
    (_sdk(ranges="{}", tuner=", **more"), "HPT313"),
    (_sdk(ranges="{}", tuner=", autotune=True"), "HPT313"),
])
def test_a_rule_stays_silent_when_a_member_it_reads_may_be_hidden(program: str,
                                                                  rule: str) -> None:
    rules = [f.rule for f in lint_string(program, ".py").findings]
    assert rule not in rules, rules


@pytest.mark.parametrize(("program", "rule"), [
    ("sm.create_hyper_parameter_tuning_job(HyperParameterTuningJobName='n', "
     "HyperParameterTuningJobConfig=cfg, **rest)\n", "HPT410"),
    ("sm.create_hyper_parameter_tuning_job(HyperParameterTuningJobName='n', "
     "HyperParameterTuningJobConfig={'Strategy': 'Random', 'ResourceLimits': "
     "{'MaxNumberOfTrainingJobs': 2, 'MaxParallelTrainingJobs': 1}, **objective}, "
     "TrainingJobDefinition={**base})\n", "HPT411"),
    ("sm.create_hyper_parameter_tuning_job(HyperParameterTuningJobName='n', "
     "TrainingJobDefinition={'AlgorithmSpecification': {'TrainingInputMode': 'File', **spec},"
     " **base})\n", "HPT509"),
    ("sm.create_hyper_parameter_tuning_job(HyperParameterTuningJobName='n', "
     "TrainingJobDefinition={'AlgorithmSpecification': {'TrainingImage': 'i'}, **base})\n",
     "HPT506"),
])
def test_an_unseen_spread_still_hides_what_it_may_hold(program: str, rule: str) -> None:
    rules = [f.rule for f in lint_string(program, ".py").findings]
    assert rule not in rules, rules


def test_policy_packs_read_sdk_requests() -> None:
    policies = [
        {"id": "ORG001", "severity": "error", "message": "network isolation",
         "check": [{"path": "Definition.EnableNetworkIsolation", "equals": True}]},
        {"id": "ORG002", "severity": "error", "message": "approved instance types",
         "check": [{"path": "Definition.ResourceConfig.InstanceType",
                    "in": ["ml.c5.2xlarge"]}]},
    ]
    config = Config(select=("ORG",), extra={"policies": policies})
    isolated = lint_string(_sdk(est=", enable_network_isolation=True"), ".py", config)
    assert [f.rule for f in isolated.findings] == ["ORG002"]
    # not given: the SageMaker config file may still set it, so nothing is proved
    unset = lint_string(_sdk(), ".py", config)
    assert [f.rule for f in unset.findings] == ["ORG002"]
    # given as False: the SDK sends no EnableNetworkIsolation, and nothing else may
    off = lint_string(_sdk(est=", enable_network_isolation=False"), ".py", config)
    assert sorted(f.rule for f in off.findings) == ["ORG001", "ORG002"]


def test_tuner_create_is_a_multi_definition_request() -> None:
    text, result = _lint(PY / "sdk_multi_algorithm.py")
    assert found(result) == marks(text)
    (request,) = load_text(text, "t.py")
    assert request.kind == "sdk" and "TrainingJobDefinition" not in request.data
    first, second = request.data["TrainingJobDefinitions"]
    assert [first["DefinitionName"], second["DefinitionName"]] == ["linear-model",
                                                                    "xgboost_model"]
    assert first["TuningObjective"] == {"Type": "Maximize",
                                        "MetricName": "validation:binary_f_beta"}
    assert [r["Name"] for r in second["HyperParameterRanges"]["ContinuousParameterRanges"]] \
        == ["eta"]
    assert second["AlgorithmSpecification"]["TrainingImage"].image == ImageHint(
        "xgboost", "1.7-1", "us-west-2")
    assert "HyperParameterTuningJobObjective" not in request.data[
        "HyperParameterTuningJobConfig"]
    fixed = text.replace("xgboost_model", "xgboost-model").replace(
        'early_stopping_type="Auto",  # HPT415', 'early_stopping_type="Off",').replace(
        "max_wait=3600)  # HPT501", "max_wait=7200, checkpoint_s3_uri='s3://example-bucket/ckpt')").replace(
        "  # HPT504", "")
    assert lint_string(fixed, ".py").findings == []


# ---- calls anywhere an expression can be -----------------------------------------------------

def test_tuners_in_decorators_defaults_class_bodies_lambdas_and_comprehensions() -> None:
    text, result = _lint(PY / "sdk_calls_anywhere.py")
    assert found(result) == marks(text)
    assert result.requests == 6
    # a lambda's parameter and a comprehension's variable are not the module constant
    requests = load_text(text, "t.py")
    limits = [r.data["HyperParameterTuningJobConfig"]["ResourceLimits"][
        "MaxNumberOfTrainingJobs"] for r in requests]
    assert limits[:4] == [10, 2, 3, 2] and all(isinstance(v, Unknown) for v in limits[4:])


def test_calls_anywhere_without_the_faults_are_clean() -> None:
    text = (PY / "sdk_calls_anywhere.py").read_text()
    for fault, fix in (("MAX_JOBS = 10  # HPT312", "MAX_JOBS = 2"),
                       ("max_jobs=3)):  # HPT312", "max_jobs=2)):"),
                       ('strategy="random")  # HPT104', 'strategy="Random")')):
        assert text.count(fault) == 1
        text = text.replace(fault, fix)
    assert lint_string(text, ".py").findings == []


# ---- notebooks -------------------------------------------------------------------------------

def test_a_notebook_constant_from_another_cell_reaches_the_sdk_tuner() -> None:
    path = NB / "sdk_constants.ipynb"
    result = lint_string(path.read_text(), ".ipynb", file=path.name)
    assert [(f.rule, f.line, f.context) for f in result.findings] == [
        ("HPT312", 59, "cell 5, line 2"), ("HPT409", 60, "cell 5, line 3"),
        ("HPT418", 60, "cell 5, line 3")]
    (request,) = load_text(path.read_text(), "x.ipynb")
    definition = request.data["TrainingJobDefinition"]
    assert definition["AlgorithmSpecification"]["TrainingImage"].image == ImageHint(
        "linear-learner", None, None)
    assert dict(definition["StaticHyperParameters"]) == {
        "feature_dim": "784", "predictor_type": "binary_classifier", "mini_batch_size": "200"}
    fixed = path.read_text().replace('"max_jobs = 12\\n"', '"max_jobs = 6\\n"').replace(
        '"max_parallel_jobs = 12"', '"max_parallel_jobs = 2"')
    assert lint_string(fixed, ".ipynb").findings == []


def test_a_very_long_expression_is_unknown_not_a_parse_error() -> None:
    chain = " + ".join(["'a'"] * 900)
    result = lint_string(f"n = {chain}\nsm.create_hyper_parameter_tuning_job(Tags=n)\n", ".py")
    assert not any(f.rule == "HPT001" for f in result.findings)
    short = " + ".join(["'a'"] * 20)
    assert _request(f"n = {short}\nsm.create_hyper_parameter_tuning_job(Tags=n)\n").data[
        "Tags"] == "a" * 20


def test_a_tuner_with_an_estimator_name_sends_training_job_definitions() -> None:
    text = ("est = Estimator(image, role, instance_count=1, instance_type='ml.m5.xlarge')\n"
            "HyperparameterTuner(est, 'm', {'x': IntegerParameter(1, 9)}, "
            "estimator_name='est_1', max_jobs=3)\n")
    request = _request(text)
    (definition,) = request.data["TrainingJobDefinitions"]
    assert definition["DefinitionName"] == "est_1"
    assert definition["TuningObjective"] == {"Type": "Maximize", "MetricName": "m"}
    assert "HyperParameterTuningJobObjective" not in request.data[
        "HyperParameterTuningJobConfig"]
    assert [f.rule for f in lint_string(text, ".py").findings] == ["HPT202"]


def test_an_estimator_attribute_is_the_argument_it_was_given() -> None:
    text = ("est = PyTorch(entry_point='t.py', role=role, instance_count=1, "
            "instance_type='ml.m5.xlarge', metric_definitions=[{'Name': 'loss', "
            "'Regex': 'loss=(\\\\S+)'}])\n"
            "HyperparameterTuner(est, 'loss', {'x': IntegerParameter(1, 9)}, "
            "metric_definitions=est.metric_definitions, objective_type='Minimize')\n")
    spec = _request(text).data["TrainingJobDefinition"]["AlgorithmSpecification"]
    assert spec["MetricDefinitions"] == [{"Name": "loss", "Regex": "loss=(\\S+)"}]
    unknown = _request(text.replace("est.metric_definitions", "est.unknown_attribute"))
    assert isinstance(unknown.data["TrainingJobDefinition"]["AlgorithmSpecification"][
        "MetricDefinitions"], Unknown)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 10**6), st.integers(1, 10**6), st.booleans())
def test_spot_wait_against_run_time_on_an_sdk_estimator(run: int, wait: int,
                                                        spot: bool) -> None:
    program = _sdk(est=f", use_spot_instances={spot}, max_run={run}, max_wait={wait}, "
                       "checkpoint_s3_uri='s3://example-bucket/ckpt'")
    rules = {f.rule for f in lint_string(program, ".py").findings}
    assert ("HPT501" in rules) == (spot and wait < run)
    assert ("HPT502" in rules) == (not spot)


def test_names_bound_in_a_function_resolve_in_it() -> None:
    text = ("n = 1\n"
            "def tune(est):\n"
            "    jobs = 2 * 3\n"
            "    name = f'job-{jobs}'\n"
            "    sm.create_hyper_parameter_tuning_job(HyperParameterTuningJobName=name, Tags=n,"
            " TrainingJobDefinition=est)\n")
    request = _request(text)
    assert request.data["HyperParameterTuningJobName"] == "job-6"
    assert request.data["Tags"] == 1
    assert isinstance(request.data["TrainingJobDefinition"], Unknown)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([
    "n = 3", "n = n * n", "n = f'{n}-{m}'", "m = str(n) + 'x'", "n = int(m)", "m = -n",
    "if c:\n    n = 2", "for i in n:\n    m = i", "while n:\n    n = n - 1",
    "e = Estimator(img, role, instance_count=n, instance_type=m, max_run=n, **d)",
    "e = XGBoost(entry_point=m, framework_version=n, hyperparameters=d)",
    "e = LinearLearner(role, n, m, predictor_type=m, epochs=[n])",
    "e.set_hyperparameters(a=n, **d)", "e.set_hyperparameters(n)", "d = {'k': e}",
    "img = image_uris.retrieve(m, n, version=n)", "x = (n := 4)",
    "HyperparameterTuner(e, m, {'a': IntegerParameter(n, 9)}, max_jobs=n, **d)",
    "HyperparameterTuner.create(estimator_dict=d, objective_metric_name_dict=d, "
    "hyperparameter_ranges_dict={'k': {'a': IntegerParameter(1, n)}})",
    "HyperparameterTuner(e, m, {}, estimator_name=m)",
    "l = [HyperparameterTuner(e, m, r) for e in d]", "f = lambda n: HyperparameterTuner(n)",
    "class C:\n    t = HyperparameterTuner(e, m, {'a': IntegerParameter(1, 2)}, max_jobs=n)",
]), max_size=12))
def test_arbitrary_sdk_programs_never_raise(lines: list[str]) -> None:
    result = lint_string("\n".join(lines) + "\n", ".py")
    assert all(f.rule != "HPT000" for f in result.findings)


def test_hyperparameters_set_after_the_tuner_is_made_are_sent_too() -> None:
    text = ("est = Estimator(image, role, instance_count=1, instance_type='ml.m5.xlarge')\n"
            "est.set_hyperparameters(num_round=10)\n"
            "tuner = HyperparameterTuner(est, 'm', {'eta': ContinuousParameter(0.1, 1)})\n"
            "est.set_hyperparameters(objective='binary:logistic', eta=0.3)\n"
            "tuner.fit(inputs)\n")
    static = _request(text).data["TrainingJobDefinition"]["StaticHyperParameters"]
    assert dict(static) == {"num_round": "10", "objective": "binary:logistic"}
    spread = _request(text.replace("eta=0.3)", "**more)"))
    assert spread.data["TrainingJobDefinition"]["StaticHyperParameters"].may_add is None


def test_an_attribute_set_on_the_estimator_is_followed_or_makes_it_unknown() -> None:
    head = ("est = Estimator(image, role, instance_count=1, instance_type='ml.m5.xlarge', "
            "use_spot_instances=True, max_wait=3600)\n")
    tune = "tuner = HyperparameterTuner(est, 'm', {'eta': ContinuousParameter(0.1, 1)})\n"
    before = _request(head + "est.max_run = 1800\n" + tune)
    assert before.data["TrainingJobDefinition"]["StoppingCondition"] == {
        "MaxRuntimeInSeconds": 1800, "MaxWaitTimeInSeconds": 3600}
    after = head + tune + "est.max_run = 1800\n"
    definition = _request(after).data["TrainingJobDefinition"]
    assert "StoppingCondition" not in definition and definition.may_add is None
    assert "HPT501" not in {f.rule for f in lint_string(after, ".py").findings}
    other = _request(head + "est.debugger_hook_config = False\n" + tune)
    assert isinstance(other.data["TrainingJobDefinition"]["StoppingCondition"][
        "MaxRuntimeInSeconds"], Unknown)


def test_a_dict_given_to_an_estimator_stays_complete() -> None:
    text = ("hp = {'num_round': 10}\n"
            "est = Estimator(image, role, instance_count=1, instance_type='ml.m5.xlarge', "
            "hyperparameters=hp)\n"
            "HyperparameterTuner(est, 'm', {'eta': ContinuousParameter(0.1, 1)})\n")
    static = _request(text).data["TrainingJobDefinition"]["StaticHyperParameters"]
    assert dict(static) == {"num_round": "10"}
    assert static.may_add == frozenset({"sagemaker_estimator_class_name",
                                        "sagemaker_estimator_module"})
