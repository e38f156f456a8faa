"""The built-in algorithm data and the HPT8xx rules that read it.

The data files are checked against their own schema; every algorithm in them has a clean
fixture (modeled on real, correct requests where one is known) that must stay clean and a
faulty fixture with one marked finding per applicable rule, asserted by rule and line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from hpt_lint import algorithms, facts
from hpt_lint.config import Config
from hpt_lint.engine import check_request
from hpt_lint.lint import lint_file
from hpt_lint.loaders import load_text
from hpt_lint.request import ImageHint, Request, Unknown
from tests.conftest import FIXTURES, ROOT, marks

ALGO_FIXTURES = FIXTURES / "algorithms"
NAMES = sorted(algorithms.all_algorithms())
XGB_URI = "246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-xgboost:1.7-1"


# --- the data -------------------------------------------------------------------------------

def test_every_algorithm_file_matches_the_schema() -> None:
    schema = json.loads((ROOT / "schemas" / "algorithm.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    files = {k: v for k, v in algorithms.raw_files().items() if k != "registries.json"}
    assert len(files) >= 17
    for name, data in files.items():
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in validator.iter_errors(data)]
        assert errors == [], name
        assert name == f"{data['name']}.json"


def test_registries_are_twelve_digit_accounts_and_every_image_names_a_known_set() -> None:
    sets = algorithms.raw_files()["registries.json"]["sets"]
    for entry in sets.values():
        assert len(entry["source"]) > 20
        assert all(re.fullmatch(r"[a-z]{2}(-[a-z]+)+-\d", r) for r in entry["accounts"])
        assert all(re.fullmatch(r"\d{12}", a) for a in entry["accounts"].values())
    for algo in algorithms.all_algorithms().values():
        for image in algo.images:
            assert image.registry is None or image.registry in sets


@pytest.mark.parametrize("name", NAMES)
def test_the_facts_agree_with_each_other(name: str) -> None:
    algo = algorithms.all_algorithms()[name]
    names = [hp.name for hp in algo.hyperparameters]
    assert len(names) == len(set(names)), "a hyperparameter is listed twice"
    assert len({m.name for m in algo.metrics}) == len(algo.metrics)
    for hp in algo.hyperparameters:
        if hp.recommended is not None and hp.domain is not None:
            for bound in (hp.recommended.low, hp.recommended.high):
                assert bound is None or hp.domain.contains(bound), (hp.name, bound)
        assert not (hp.values and hp.domain), hp.name
    for rule in algo.constraints:
        named = [rule.get("require"), rule.get("name"), rule.get("objective"),
                 rule.get("when", {}).get("name")]
        assert all(algo.hyperparameter(n) for n in named if n), rule
    if algo.coverage in ("full", "tuning"):
        assert algo.metrics_complete and algo.metrics and algo.tunable()
        assert all(image.versions and image.registry for image in algo.images)
    assert algo.hyperparameters_complete == (algo.coverage == "full")


def test_the_old_facts_api_reads_the_same_data() -> None:
    xgb = facts.builtin_algorithm(XGB_URI)
    assert xgb is not None and xgb.objective_metrics is not None
    assert xgb.objective_metrics["validation:rmse"] == "Minimize"
    pca = facts.builtin_algorithm("382416733822.dkr.ecr.us-east-1.amazonaws.com/pca:1")
    assert pca is not None and pca.objective_metrics is None  # not recorded yet


# --- recognising the algorithm ---------------------------------------------------------------

def _image_cases() -> list[tuple[str, str, str, str]]:
    out = []
    for algo in algorithms.all_algorithms().values():
        for image in algo.images:
            if image.registry is None:
                continue
            for region, account in algorithms.registries()[image.registry].items():
                suffix = ".cn" if region.startswith("cn-") else ""
                for version in image.versions:
                    out.append((algo.name, f"{account}.dkr.ecr.{region}.amazonaws.com{suffix}/"
                                f"{image.repository}:{version}", region, version))
    return out


IMAGES = _image_cases()


@settings(deadline=None)  # the first example loads the data files
@given(st.sampled_from(IMAGES))
def test_every_published_image_is_recognised_with_its_own_registry(case) -> None:
    name, uri, region, version = case
    found = algorithms.recognise(uri)
    assert found is not None and found.algorithm.name == name
    assert (found.region, found.version) == (region, version)
    assert found.expected_account() == found.account
    assert found.version_known() is True


@settings(deadline=None)  # the first example loads the data files
@given(st.sampled_from(IMAGES), st.from_regex(r"\A[0-9]{12}\Z"))
def test_an_account_that_is_no_builtin_registry_makes_a_custom_image(case, account) -> None:
    _, uri, _, _ = case
    image = next(i for a in algorithms.all_algorithms().values() for i in a.images
                 if f"/{i.repository}:" in uri)
    assert image.registry is not None
    known = set(algorithms.registries()[image.registry].values())
    custom = account + uri[12:]
    assert (algorithms.recognise(custom) is None) == (account not in known)


@pytest.mark.parametrize("uri", [
    "localhost:5000/team/xgboost-custom:1",
    "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/sagemaker-xgboost:1.7-1",
    "docker.io/library/xgboost:1",
    "",
])
def test_other_images_are_not_built_ins(uri: str) -> None:
    assert algorithms.recognise(uri) is None


def test_an_sdk_hint_names_the_algorithm_without_a_registry() -> None:
    found = algorithms.recognise(Unknown("image_uri", ImageHint("xgboost", "1.7-1", None)))
    assert found is not None and found.algorithm.name == "xgboost"
    assert found.version_known() is True and found.expected_account() is None
    ll = algorithms.recognise(Unknown("LinearLearner", ImageHint("linear-learner")))
    assert ll is not None and ll.algorithm.name == "linear-learner" and ll.version is None
    km = algorithms.recognise(Unknown("KMeans(...)", ImageHint("KMeans")))
    assert km is not None and km.algorithm.name == "kmeans"
    assert algorithms.recognise(Unknown("image_uri")) is None
    assert algorithms.recognise(Unknown("x", ImageHint("pytorch", "2.1"))) is None


# --- the fixtures: every algorithm clean once and faulty once per applicable rule -------------

def applicable_rules(algo: algorithms.Algorithm) -> set[str]:
    rules = {"HPT807"}
    if algo.metrics_complete:
        rules |= {"HPT801", "HPT802"}
    if algo.hyperparameters_complete:
        rules.add("HPT803")
    if any(hp.domain or hp.values for hp in algo.hyperparameters) or algo.constraints:
        rules.add("HPT806")
    if any(hp.domain or hp.values for hp in algo.tunable()):
        rules.add("HPT804")
    if any(hp.required for hp in algo.hyperparameters):
        rules.add("HPT805")
    if any(hp.recommended for hp in algo.tunable()):
        rules.add("HPT810")
    if any(image.registry for image in algo.images):
        rules.add("HPT808")
    if any(image.versions for image in algo.images):
        rules.add("HPT809")
    return rules


def _found(path: Path) -> list[tuple[str, int]]:
    return sorted((f.rule, f.line) for f in lint_file(path, Config()).findings)


@pytest.mark.parametrize("name", NAMES)
def test_the_clean_fixture_stays_clean(name: str) -> None:
    path = ALGO_FIXTURES / f"{name}-clean.yaml"
    assert path.exists(), f"no clean fixture for {name}"
    result = lint_file(path, Config())
    assert result.requests >= 1
    assert [(f.rule, f.line, f.message) for f in result.findings] == []


@pytest.mark.parametrize("name", NAMES)
def test_the_faulty_fixture_fires_each_applicable_rule_at_its_marked_lines(name: str) -> None:
    path = ALGO_FIXTURES / f"{name}-faulty.yaml"
    assert path.exists(), f"no faulty fixture for {name}"
    expected = marks(path.read_text(encoding="utf-8"))
    assert _found(path) == expected
    assert {rule for rule, _ in expected} == applicable_rules(algorithms.all_algorithms()[name])


# --- requests built in code: the SDK's hints, several definitions, script mode ---------------

REQUEST = """\
HyperParameterTuningJobName: t
HyperParameterTuningJobConfig:
  Strategy: Bayesian
  HyperParameterTuningJobObjective: {Type: Maximize, MetricName: "validation:rmse"}
  ResourceLimits: {MaxNumberOfTrainingJobs: 20, MaxParallelTrainingJobs: 2}
  ParameterRanges:
    ContinuousParameterRanges:
      - {Name: eta, MinValue: "0.1", MaxValue: "0.5"}
TrainingJobDefinition:
  StaticHyperParameters: {objective: "reg:squarederror"}
  AlgorithmSpecification: {TrainingImage: IMAGE, TrainingInputMode: File}
  RoleArn: arn:aws:iam::123456789012:role/SageMakerRole
  OutputDataConfig: {S3OutputPath: "s3://example-bucket/output/"}
  ResourceConfig: {InstanceType: ml.m5.xlarge, InstanceCount: 1, VolumeSizeInGB: 10}
  StoppingCondition: {MaxRuntimeInSeconds: 3600}
"""


def _request(image: object, text: str = REQUEST) -> Request:
    (request,) = load_text(text, "r.yaml", ".yaml")
    spec = request.data["TrainingJobDefinition"]["AlgorithmSpecification"]
    spec["TrainingImage"] = image
    return request


def _rules(request: Request) -> list[tuple[str, str]]:
    findings, crashed = check_request(request, Config())
    assert not crashed
    return sorted((f.rule, f.json_path) for f in findings if f.rule.startswith("HPT8"))


def test_an_sdk_hint_is_checked_like_an_image_but_the_region_rule_stays_silent() -> None:
    hint = Unknown("image_uris.retrieve('xgboost', region, '1.7-1')",
                   ImageHint("xgboost", "1.7-1", None))
    assert _rules(_request(hint)) == [
        ("HPT802", "HyperParameterTuningJobConfig.HyperParameterTuningJobObjective.Type"),
        ("HPT805", "TrainingJobDefinition.StaticHyperParameters"),
    ]
    typo = Unknown("image_uri", ImageHint("xgboost", "1.7-0", "us-east-1"))
    assert ("HPT809", "TrainingJobDefinition.AlgorithmSpecification.TrainingImage") in _rules(
        _request(typo))


def test_an_unknown_image_or_an_unknown_algorithm_fires_nothing() -> None:
    assert _rules(_request(Unknown("image_uri"))) == []
    assert _rules(_request(Unknown("img", ImageHint("sklearn", "1.2-1", None)))) == []
    assert _rules(_request("123456789012.dkr.ecr.us-east-1.amazonaws.com/xgboost:1")) == []


def test_the_first_party_estimator_hint_checks_its_own_algorithm() -> None:
    text = (REQUEST.replace('"validation:rmse"', '"test:msd"').replace("Maximize", "Minimize")
            .replace("Name: eta", "Name: extra_center_factor")
            .replace("ContinuousParameterRanges", "IntegerParameterRanges")
            .replace('MinValue: "0.1", MaxValue: "0.5"', 'MinValue: "4", MaxValue: "10"')
            .replace('{objective: "reg:squarederror"}', '{feature_dim: "784"}'))
    # the SDK sets feature_dim from the records at fit time, but k must be written
    assert _rules(_request(Unknown("KMeans(...)", ImageHint("kmeans")), text)) == [
        ("HPT805", "TrainingJobDefinition.StaticHyperParameters")]
    without_dim = text.replace('{feature_dim: "784"}', '{k: "10"}')
    assert _rules(_request(Unknown("KMeans(...)", ImageHint("kmeans")), without_dim)) == []
    uri = "174872318107.dkr.ecr.us-west-2.amazonaws.com/kmeans:1"
    assert _rules(_request(uri, without_dim)) == [
        ("HPT805", "TrainingJobDefinition.StaticHyperParameters")]


def test_script_mode_leaves_the_hyperparameters_to_the_script() -> None:
    text = REQUEST.replace('{objective: "reg:squarederror"}',
                           '{sagemaker_program: train.py, sagemaker_submit_directory: '
                           '"s3://b/src.tar.gz"}')
    assert _rules(_request(XGB_URI, text)) == [
        ("HPT802", "HyperParameterTuningJobConfig.HyperParameterTuningJobObjective.Type")]


MULTI = """\
HyperParameterTuningJobName: t
HyperParameterTuningJobConfig:
  Strategy: Bayesian
  ResourceLimits: {MaxNumberOfTrainingJobs: 20, MaxParallelTrainingJobs: 2}
TrainingJobDefinitions:
  - DefinitionName: custom
    TuningObjective: {Type: Maximize, MetricName: "validation:rmse"}
    HyperParameterRanges:
      ContinuousParameterRanges:
        - {Name: eta, MinValue: "0", MaxValue: "5"}
    AlgorithmSpecification:
      TrainingImage: 123456789012.dkr.ecr.us-east-1.amazonaws.com/trainer:1
      TrainingInputMode: File
      MetricDefinitions: [{Name: "validation:rmse", Regex: 'rmse=([0-9.]+)'}]
    RoleArn: arn:aws:iam::123456789012:role/SageMakerRole
    OutputDataConfig: {S3OutputPath: "s3://example-bucket/output/"}
    ResourceConfig: {InstanceType: ml.m5.xlarge, InstanceCount: 1, VolumeSizeInGB: 10}
    StoppingCondition: {MaxRuntimeInSeconds: 3600}
  - DefinitionName: xgb
    TuningObjective: {Type: Minimize, MetricName: "validation:rmse"}
    HyperParameterRanges:
      ContinuousParameterRanges:
        - {Name: eta, MinValue: "0", MaxValue: "5"}
    StaticHyperParameters: {num_round: "100"}
    AlgorithmSpecification:
      TrainingImage: 683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1
      TrainingInputMode: File
    RoleArn: arn:aws:iam::123456789012:role/SageMakerRole
    OutputDataConfig: {S3OutputPath: "s3://example-bucket/output/"}
    ResourceConfig: {InstanceType: ml.m5.xlarge, InstanceCount: 1, VolumeSizeInGB: 10}
    StoppingCondition: {MaxRuntimeInSeconds: 3600}
"""


def test_each_definition_is_checked_with_its_own_image_objective_and_ranges() -> None:
    (request,) = load_text(MULTI, "m.yaml", ".yaml")
    assert _rules(request) == [
        ("HPT804", "TrainingJobDefinitions[1].HyperParameterRanges.ContinuousParameterRanges[0]"
                   ".MaxValue")]


def test_messages_name_the_algorithm_version_and_the_valid_domain() -> None:
    findings, _ = check_request(_request(XGB_URI, REQUEST.replace('"0.5"', '"1.5"')), Config())
    by_rule = {f.rule: f.message for f in findings}
    assert "XGBoost 1.7-1" in by_rule["HPT804"] and "[0, 1]" in by_rule["HPT804"]
    assert "XGBoost 1.7-1 requires `num_round`" in by_rule["HPT805"]
    assert "XGBoost 1.7-1 documents it as Minimize" in by_rule["HPT802"]


# --- the command line ------------------------------------------------------------------------

def test_cli_lists_the_algorithms_and_explains_one() -> None:
    from click.testing import CliRunner

    from hpt_lint.cli import main

    runner = CliRunner()
    listing = runner.invoke(main, ["algorithms"])
    assert listing.exit_code == 0
    for name in NAMES:
        assert f"\n{name} " in listing.output
    assert "sagemaker-xgboost (0.90-1, 0.90-2, 1.0-1, 1.2-1, 1.2-2, 1.3-1, 1.5-1, 1.7-1)" \
        in listing.output
    one = runner.invoke(main, ["algorithms", "XGBoost"])
    assert one.exit_code == 0
    assert "validation:rmse                          Minimize" in one.output
    assert "eta                            a number in [0, 1]; recommended [0.1, 0.5]" \
        in one.output
    assert "Required: num_round" in one.output
    assert runner.invoke(main, ["explain", "xgboost"]).output == one.output
    assert runner.invoke(main, ["algorithms", "forecasting-deepar"]).output.startswith(
        "DeepAR Forecasting (deepar)")
    missing = runner.invoke(main, ["algorithms", "lightgbm"])
    assert missing.exit_code == 2 and "no built-in algorithm 'lightgbm'" in missing.output


# --- properties: the domain and recommended-range rules agree with the data -----------------

_BOUND = st.floats(min_value=-5, max_value=5, allow_nan=False).map(lambda x: round(x, 3))


@settings(deadline=None)  # the first example loads the data files
@given(_BOUND, _BOUND)
def test_a_range_fires_hpt804_exactly_when_a_bound_leaves_the_domain(a: float, b: float) -> None:
    low, high = sorted((a, b))
    text = REQUEST.replace('MinValue: "0.1", MaxValue: "0.5"',
                           f'MinValue: "{low}", MaxValue: "{high}"')
    eta = algorithms.get("xgboost").hyperparameter("eta")  # type: ignore[union-attr]
    assert eta is not None and eta.domain is not None
    fired = [p for r, p in _rules(_request(XGB_URI, text)) if r == "HPT804"]
    expected = sorted(f"HyperParameterTuningJobConfig.ParameterRanges.ContinuousParameterRanges"
                      f"[0].{key}" for key, x in (("MinValue", low), ("MaxValue", high))
                      if not eta.domain.contains(x))
    assert fired == expected


@settings(deadline=None)  # the first example loads the data files
@given(st.sampled_from(NAMES), st.data())
def test_every_static_value_the_data_allows_is_accepted(name: str, data) -> None:
    algo = algorithms.all_algorithms()[name]
    for hp in algo.hyperparameters:
        if hp.values:
            value = data.draw(st.sampled_from(hp.values + hp.special_values))
        elif hp.domain is not None and hp.type in ("integer", "continuous"):
            low = hp.domain.low if hp.domain.low is not None else -1e6
            high = hp.domain.high if hp.domain.high is not None else 1e6
            x = data.draw(st.floats(low, high, allow_nan=False))
            if hp.type == "integer":
                x = float(int(x))
            if not hp.domain.contains(x):
                continue
            value = str(int(x)) if hp.type == "integer" else repr(x)
        else:
            continue
        from hpt_lint.checks.algorithms import value_problem

        assert value_problem(hp, value) is None, (hp.name, value)


def test_the_maps_disagree_on_ap_northeast_3_and_neither_account_is_reported() -> None:
    # first-party ap-northeast-3: 364406365360 in the older stored SDK maps (linear-learner),
    # 867004704886 in newer ones (ntm): both are registries of the region
    assert {"364406365360", "867004704886"} <= algorithms.accounts_for_region("ap-northeast-3")
    older = "364406365360.dkr.ecr.ap-northeast-3.amazonaws.com/linear-learner:1"
    newer = "867004704886.dkr.ecr.ap-northeast-3.amazonaws.com/ntm:1"
    for uri in (older, newer):
        found = algorithms.recognise(uri)
        assert found is not None and found.expected_account() == found.account
        assert "HPT808" not in [rule for rule, _ in _rules(_request(uri))]


# --- the same faults found in every file kind --------------------------------------------------

@pytest.mark.parametrize("name", ["xgboost", "linear-learner", "deepar"])
def test_json_finds_the_same_faults_as_yaml(name: str) -> None:
    import yaml

    from hpt_lint.lint import lint_text

    for doc in (ALGO_FIXTURES / f"{name}-faulty.yaml").read_text().split("---\n"):
        as_json = json.dumps(yaml.safe_load(doc), indent=1)
        y = lint_text(doc, "a.yaml", Config())
        j = lint_text(as_json, "a.json", Config())
        assert sorted((f.rule, f.json_path) for f in j.findings) == sorted(
            (f.rule, f.json_path) for f in y.findings)


def test_a_python_call_is_checked_at_its_own_lines() -> None:
    from hpt_lint.lint import lint_text

    text = '''\
import boto3

sm = boto3.client("sagemaker")
sm.create_hyper_parameter_tuning_job(
    HyperParameterTuningJobName="xgb-tune",
    HyperParameterTuningJobConfig={
        "Strategy": "Bayesian",
        "HyperParameterTuningJobObjective": {"Type": "Maximize", "MetricName": "validation:rmse"},
        "ResourceLimits": {"MaxNumberOfTrainingJobs": 20, "MaxParallelTrainingJobs": 2},
        "ParameterRanges": {"ContinuousParameterRanges": [
            {"Name": "eta", "MinValue": "0.1", "MaxValue": "2"},
        ]},
    },
    TrainingJobDefinition={
        "StaticHyperParameters": {"objective": "reg:squarederror", "num_round": "100"},
        "AlgorithmSpecification": {
            "TrainingImage": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
            "TrainingInputMode": "File",
        },
        "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
        "OutputDataConfig": {"S3OutputPath": "s3://example-bucket/output/"},
        "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1,
                           "VolumeSizeInGB": 30},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    },
)
'''
    result = lint_text(text, "tune.py", Config())
    assert sorted((f.rule, f.line, f.column) for f in result.findings) == [
        ("HPT802", 8, 54), ("HPT804", 11, 60)]


def test_a_reserved_name_in_a_range_is_hpt311s_alone() -> None:
    from hpt_lint.lint import lint_text

    text = REQUEST.replace("StaticHyperParameters: {objective: \"reg:squarederror\"}",
                           "StaticHyperParameters: {objective: \"reg:squarederror\", "
                           "num_round: \"10\"}").replace(
        "      - {Name: eta,", "      - {Name: _tuning_objective_metric,").replace(
        "IMAGE", XGB_URI).replace("Maximize", "Minimize")
    result = lint_text(text, "r.yaml", Config())
    assert [f.rule for f in result.findings] == ["HPT311"]


def _tuning(text: str, kind: str, item: str) -> str:
    old = '    ContinuousParameterRanges:\n      - {Name: eta, MinValue: "0.1", MaxValue: "0.5"}\n'
    assert old in text
    return text.replace(old, f"    {kind}:\n      - {item}\n")


def test_not_tunable_is_reported_only_where_the_tunable_list_is_the_services() -> None:
    # XGBoost's tunable flags come from its container: tuning booster is reported
    xgb = _tuning(REQUEST, "CategoricalParameterRanges", "{Name: booster, Values: [gbtree, dart]}")
    assert _rules(_request(XGB_URI, xgb)) == [
        ("HPT802", "HyperParameterTuningJobConfig.HyperParameterTuningJobObjective.Type"),
        ("HPT803", "HyperParameterTuningJobConfig.ParameterRanges.CategoricalParameterRanges[0]"
                   ".Name"),
        ("HPT805", "TrainingJobDefinition.StaticHyperParameters")]
    # Linear Learner's come from the guide's table only: tuning epochs (a hyperparameter it
    # has) is left alone, tuning a name it does not have is reported
    ll = "174872318107.dkr.ecr.us-west-2.amazonaws.com/linear-learner:1"
    text = (REQUEST.replace('"validation:rmse"', '"validation:objective_loss"')
            .replace("Maximize", "Minimize")
            .replace('{objective: "reg:squarederror"}', '{predictor_type: binary_classifier}'))
    for name, expected in (("epochs", []), ("num_leaves", [
            ("HPT803", "HyperParameterTuningJobConfig.ParameterRanges.IntegerParameterRanges[0]"
                       ".Name")])):
        ranged = _tuning(text, "IntegerParameterRanges",
                         f'{{Name: {name}, MinValue: "5", MaxValue: "20"}}')
        assert _rules(_request(ll, ranged)) == expected, name
