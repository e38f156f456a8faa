"""HPT202-207, HPT301-313 (not 304/305) and HPT701-702: each rule fires where it should and
stays silent on the near miss.

Most cases are YAML requests whose faulty lines carry ``# HPTnnn`` marks; the assertion is
that linting with every default rule yields exactly those (rule, line) pairs, so a case
also proves that no other rule (in particular HPT105/HPT106/HPT108, which the dedicated
rules supersede) piles onto the same fault. Unknown values are tested on Requests built
by hand, as a Python or Step Functions loader would build them.
"""

from __future__ import annotations

from typing import Any

import pytest

from hpt_lint.config import Config
from hpt_lint.engine import check_request
from hpt_lint.request import Entry, PartialDict, PartialList, Request, SourceMap, Span, Unknown
from tests.conftest import found, lint_string, marks

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
ETA = '      - {Name: eta, MinValue: "0.1", MaxValue: "0.5"}\n'
OUTPUT = '  OutputDataConfig: {S3OutputPath: "s3://example-bucket/output/"}\n'


def request(ranges: str = "    ContinuousParameterRanges:\n" + ETA, *,
            limits: str = "{MaxNumberOfTrainingJobs: 20, MaxParallelTrainingJobs: 2}",
            strategy: str = "Bayesian", role: str = "arn:aws:iam::123456789012:role/SageMakerRole",
            image: str = IMAGE, output: str = OUTPUT, extra: str = "", tail: str = "",
            ranges_key: str = "  ParameterRanges:\n") -> str:
    """A single-definition request that lints clean, with the given parts swapped in."""
    return (
        "HyperParameterTuningJobName: xgb-tune\n"
        "HyperParameterTuningJobConfig:\n"
        f"  Strategy: {strategy}\n"
        '  HyperParameterTuningJobObjective: {Type: Maximize, MetricName: "validation:auc"}\n'
        f"  ResourceLimits: {limits}\n"
        + (ranges_key + ranges if ranges is not None else "")
        + "TrainingJobDefinition:\n"
        "  AlgorithmSpecification:\n"
        f"    TrainingImage: {image}\n"
        "    TrainingInputMode: File\n"
        + ('    MetricDefinitions: [{Name: "validation:auc", Regex: "auc=([0-9.]+)"}]\n'
           if image != IMAGE else "")  # a custom image defines its objective metric
        + f"  RoleArn: {role}\n"
        + extra + output
        + "  ResourceConfig: {InstanceType: ml.m5.xlarge, InstanceCount: 1, VolumeSizeInGB: 30}\n"
        "  StoppingCondition: {MaxRuntimeInSeconds: 3600}\n"
        + tail)


def multi(*names: str, ranges: str = "        - {Name: eta, MinValue: \"0.1\", MaxValue: \"0.5\"}"
          ) -> str:
    """A multi-definition request; each item of ``names`` is the definition's first line
    (after ``  - ``), for example ``DefinitionName: a``."""
    out = ("HyperParameterTuningJobName: multi-tune\n"
           "HyperParameterTuningJobConfig:\n"
           "  Strategy: Bayesian\n"
           "  ResourceLimits: {MaxNumberOfTrainingJobs: 20, MaxParallelTrainingJobs: 2}\n"
           "TrainingJobDefinitions:\n")
    for first in names:
        out += (f"  - {first}\n"
                '    TuningObjective: {Type: Maximize, MetricName: "validation:auc"}\n'
                "    HyperParameterRanges:\n"
                "      ContinuousParameterRanges:\n"
                f"{ranges}\n"
                "    AlgorithmSpecification:\n"
                f"      TrainingImage: {IMAGE}\n"
                "      TrainingInputMode: File\n"
                "    RoleArn: arn:aws:iam::123456789012:role/SageMakerRole\n"
                '    OutputDataConfig: {S3OutputPath: "s3://example-bucket/output/"}\n'
                "    ResourceConfig: {InstanceType: ml.m5.xlarge, InstanceCount: 1, "
                "VolumeSizeInGB: 30}\n"
                "    StoppingCondition: {MaxRuntimeInSeconds: 3600}\n")
    return out


def assert_marked(text: str) -> None:
    """Every finding is a marked (rule, line), and every mark a finding."""
    result = lint_string(text)
    assert result.requests == 1
    assert found(result) == marks(text), [f"{f.rule}:{f.line} {f.message}"
                                          for f in result.findings]


def findings_of(text: str, rule: str) -> list[Any]:
    return [f for f in lint_string(text).findings if f.rule == rule]


def test_the_base_requests_are_clean() -> None:
    assert_marked(request())
    assert_marked(multi("DefinitionName: a", "DefinitionName: b"))


# --- HPT202 invalid-definition-name --------------------------------------------------------

@pytest.mark.parametrize("text", [
    multi("DefinitionName: estimator_1  # HPT202", "DefinitionName: b"),
    multi("DefinitionName: -ab  # HPT202", "DefinitionName: b"),
    multi("DefinitionName: a", f"DefinitionName: {'a' * 65}  # HPT202"),  # not HPT105 too
    multi('DefinitionName: ""  # HPT202', "DefinitionName: b"),
    # a definition with no name: reported at its first line
    multi("DefinitionName: a", "EnableNetworkIsolation: false  # HPT202"),
])
def test_hpt202_fires(text: str) -> None:
    assert_marked(text)


@pytest.mark.parametrize("text", [
    multi("DefinitionName: a-b", f"DefinitionName: {'a' * 64}"),
    multi("DefinitionName: A--9", "DefinitionName: x"),
    request(extra="  DefinitionName: single\n"),
    request(),  # a single definition needs no name
])
def test_hpt202_near_misses(text: str) -> None:
    assert_marked(text)


def test_hpt202_message_suggests_hyphen_for_sdk_estimator_names() -> None:
    (finding,) = findings_of(multi("DefinitionName: estimator_1", "DefinitionName: b"), "HPT202")
    assert finding.json_path == "TrainingJobDefinitions[0].DefinitionName"
    assert "'_'" in finding.message and "'estimator-1'" in finding.message


# --- HPT203 duplicate-definition-name ------------------------------------------------------

def test_hpt203_fires_on_the_later_definition() -> None:
    text = multi("DefinitionName: xgb", "DefinitionName: other", "DefinitionName: xgb  # HPT203")
    assert_marked(text)
    (finding,) = findings_of(text, "HPT203")
    assert finding.json_path == "TrainingJobDefinitions[2].DefinitionName"
    assert "TrainingJobDefinitions[0]" in finding.message


def test_hpt203_near_miss_names_differ_in_case() -> None:
    assert_marked(multi("DefinitionName: xgb", "DefinitionName: Xgb"))


# --- HPT204 invalid-role-arn ---------------------------------------------------------------

@pytest.mark.parametrize("role, expect", [
    ("SageMakerRole", "not an ARN"),
    ("execution-role", "not an ARN"),  # 14 characters: HPT105 is superseded
    ("arn:aws:iam::123456789012:user/alice", "IAM user"),
    ("arn:aws:sts::123456789012:assumed-role/SageMakerRole/sess", "assumed-role"),
    ("arn:aws:iam:us-east-1:123456789012:role/SageMakerRole", "IAM is global"),
    ("arn:aws:iam::12345:role/SageMakerRole", "12 digits"),
    ("arn:aws:iam::123456789012:role/Sage Maker", "' '"),
])
def test_hpt204_fires(role: str, expect: str) -> None:
    text = request(role=f'"{role}"  # HPT204')
    assert_marked(text)
    (finding,) = findings_of(text, "HPT204")
    assert finding.json_path == "TrainingJobDefinition.RoleArn"
    assert expect in finding.message


@pytest.mark.parametrize("role", [
    "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20200101T000000",
    "arn:aws:iam::123456789012:role/a+b=c,d.e@f_g-h",
])
def test_hpt204_near_misses(role: str) -> None:
    assert_marked(request(role=role))


def test_hpt204_accepts_other_partitions() -> None:
    image = "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/xgb:1"
    assert_marked(request(role="arn:aws-cn:iam::123456789012:role/SageMakerRole", image=image))


# --- HPT205 invalid-s3-uri -----------------------------------------------------------------

@pytest.mark.parametrize("uri, fixed", [
    ("s3://Example_Bucket/output/", None),
    ("s3://ab/output/", None),  # 2 characters
    ("s3://-bucket/output/", None),
    ("s3://my..bucket/output/", None),
    ("s3://192.168.5.4/output/", None),
    ("S3://example-bucket/output/", "s3://example-bucket/output/"),
    ("s3a://example-bucket/output/", "s3://example-bucket/output/"),
    ("example-bucket/output/", "s3://example-bucket/output/"),
    ("s3:/example-bucket/output/", "s3://example-bucket/output/"),
    ("gs://example-bucket/output/", None),
    ("arn:aws:s3:::example-bucket/output/", None),
    ("", None),  # HPT105 would not fire (min length 0), HPT106 is superseded
    ("s3://example-bucket/" + "k" * 1010, None),  # HPT105 superseded
])
def test_hpt205_fires_on_the_output_path(uri: str, fixed: str | None) -> None:
    text = request(output=f'  OutputDataConfig: {{S3OutputPath: "{uri}"}}  # HPT205\n')
    assert_marked(text)
    (finding,) = findings_of(text, "HPT205")
    assert finding.json_path == "TrainingJobDefinition.OutputDataConfig.S3OutputPath"
    if fixed is None:
        assert finding.fix is None
    else:
        assert finding.fix is not None
        assert finding.fix.edits[0].new_text == f'"{fixed}"'


def test_hpt205_covers_checkpoints_and_channels() -> None:
    extra = ('  CheckpointConfig: {S3Uri: "s3://bucket_name/ckpt"}  # HPT205\n'
             "  InputDataConfig:\n"
             "    - ChannelName: train\n"
             "      DataSource:\n"
             "        S3DataSource:\n"
             "          S3DataType: S3Prefix\n"
             '          S3Uri: "s3a://example-bucket/train/"  # HPT205\n')
    assert_marked(request(extra=extra))


@pytest.mark.parametrize("uri", [
    "s3://abc/output/",  # 3 characters
    "s3://" + "a" * 63 + "/output/",
    "s3://example.bucket-1/output/",
    "s3://example-bucket",
    "https://example-bucket.s3.us-east-1.amazonaws.com/output/",  # the model allows https
    "s3://my-bucket--usw2-az1--x-s3/output/",  # an S3 Express directory bucket
    "s3://my-ap-abcdefghijklmnop1234567890-s3alias/output/",  # an access point alias
])
def test_hpt205_near_misses(uri: str) -> None:
    assert_marked(request(output=f'  OutputDataConfig: {{S3OutputPath: "{uri}"}}\n'))


def test_hpt205_bucket_of_64_characters_fires() -> None:
    uri = "s3://" + "a" * 64 + "/output/"
    assert_marked(request(output=f'  OutputDataConfig: {{S3OutputPath: "{uri}"}}  # HPT205\n'))


# --- HPT206 region-mismatch ----------------------------------------------------------------

KMS = "arn:aws:kms:{region}:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def with_kms(kms: str, mark: str = "") -> str:
    return request(output=('  OutputDataConfig:\n'
                           '    S3OutputPath: "s3://example-bucket/output/"\n'
                           f'    KmsKeyId: "{kms}"{mark}\n'))


def test_hpt206_fires_on_the_odd_region() -> None:
    text = with_kms(KMS.format(region="us-west-2"), "  # HPT206")
    assert_marked(text)
    (finding,) = findings_of(text, "HPT206")
    assert finding.severity == "warning"
    assert "us-west-2" in finding.message and "us-east-1" in finding.message
    assert "TrainingImage" in finding.message


def test_hpt206_majority_region_wins() -> None:
    # image and volume key in us-west-2, output key in us-east-1: the output key is odd
    text = request(image="123456789012.dkr.ecr.us-west-2.amazonaws.com/xgb:1", output=(
        '  OutputDataConfig:\n'
        '    S3OutputPath: "s3://example-bucket/output/"\n'
        f'    KmsKeyId: "{KMS.format(region="us-east-1")}"  # HPT206\n')).replace(
        "VolumeSizeInGB: 30}",
        f'VolumeSizeInGB: 30, VolumeKmsKeyId: "{KMS.format(region="us-west-2")}"}}')
    assert_marked(text)


def test_hpt206_fires_on_a_partition_mismatch() -> None:
    image = "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/xgb:1"
    text = request(image=image, role="arn:aws:iam::123456789012:role/SageMakerRole  # HPT206")
    assert_marked(text)
    (finding,) = findings_of(text, "HPT206")
    assert "aws-cn" in finding.message


@pytest.mark.parametrize("kms", [
    KMS.format(region="us-east-1"),
    "1234abcd-12ab-34cd-56ef-1234567890ab",  # a bare key id has no region
    "alias/ExampleAlias",
])
def test_hpt206_near_misses(kms: str) -> None:
    assert_marked(with_kms(kms))


def test_hpt206_ignores_non_ecr_images_and_user_data() -> None:
    extra = ("  StaticHyperParameters:\n"
             '    remote_key: "arn:aws:kms:eu-west-1:123456789012:key/abc"\n')
    assert_marked(request(image="myregistry.example.com/xgb:1", extra=extra))


# --- HPT207 duplicate-channel-name ---------------------------------------------------------

def channels(*names: str) -> str:
    out = "  InputDataConfig:\n"
    for name in names:
        out += (f"    - ChannelName: {name}\n"
                "      DataSource: {S3DataSource: {S3DataType: S3Prefix, "
                'S3Uri: "s3://example-bucket/data/"}}\n')
    return out


def test_hpt207_fires_on_the_later_channel() -> None:
    assert_marked(request(extra=channels("train", "validation", "train  # HPT207")))


def test_hpt207_near_miss() -> None:
    assert_marked(request(extra=channels("train", "Train", "validation")))


# --- HPT301 range-bound-not-numeric --------------------------------------------------------

@pytest.mark.parametrize("kind, low, high", [
    ("IntegerParameterRanges", '"2.5"  # HPT301', '"10"'),
    ("IntegerParameterRanges", '"1e3"  # HPT301', '"10000"'),
    ("IntegerParameterRanges", '"ten"  # HPT301', '"100"'),
    ("ContinuousParameterRanges", '"abc"  # HPT301', '"1"'),
    ("ContinuousParameterRanges", '"1,5"  # HPT301', '"2"'),
    ("ContinuousParameterRanges", '"0"', '"inf"  # HPT301'),
    ("ContinuousParameterRanges", '"nan"  # HPT301', '"1"'),
])
def test_hpt301_fires(kind: str, low: str, high: str) -> None:
    ranges = (f"    {kind}:\n      - Name: x\n        MinValue: {low}\n"
              f"        MaxValue: {high}\n")
    assert_marked(request(ranges))


def test_hpt301_offers_a_fix_for_a_zero_fraction() -> None:
    text = request("    IntegerParameterRanges:\n"
                   '      - {Name: d, MinValue: "5.0", MaxValue: "9"}\n'
                   "    ContinuousParameterRanges:\n" + ETA)
    (finding,) = findings_of(text, "HPT301")
    assert finding.fix is not None and finding.fix.edits[0].new_text == '"5"'


@pytest.mark.parametrize("kind, low, high", [
    ("IntegerParameterRanges", '"-3"', '"+5"'),
    ("IntegerParameterRanges", '"0"', '"10"'),
    ("ContinuousParameterRanges", '"1e-6"', '"0.5"'),
    ("ContinuousParameterRanges", '"0.0"', '".5"'),
])
def test_hpt301_near_misses(kind: str, low: str, high: str) -> None:
    ranges = f"    {kind}:\n      - {{Name: x, MinValue: {low}, MaxValue: {high}}}\n"
    if kind == "IntegerParameterRanges":
        ranges += "    ContinuousParameterRanges:\n" + ETA  # keep HPT312 out of it
    assert_marked(request(ranges))


def test_hpt301_leaves_unquoted_numbers_to_hpt103() -> None:
    ranges = ("    ContinuousParameterRanges:\n      - Name: x\n"
              "        MinValue: 0.1  # HPT103\n        MaxValue: 0.05  # HPT103\n")
    assert_marked(request(ranges))


# --- HPT302 range-min-exceeds-max / HPT303 degenerate-range ------------------------------

def test_hpt302_compares_numbers_not_text() -> None:
    ranges = ("    IntegerParameterRanges:\n"
              '      - {Name: a, MinValue: "10", MaxValue: "9"}  # HPT302\n'
              '      - {Name: b, MinValue: "9", MaxValue: "10"}\n'
              "    ContinuousParameterRanges:\n"
              '      - {Name: c, MinValue: "0.5", MaxValue: "0.25"}  # HPT302\n')
    assert_marked(request(ranges))


def test_hpt302_and_hpt303_stay_silent_when_hpt301_fires() -> None:
    ranges = ("    ContinuousParameterRanges:\n"
              '      - {Name: a, MinValue: "x", MaxValue: "-1"}  # HPT301\n'
              '      - {Name: b, MinValue: "nan", MaxValue: "nan"}  # HPT301\n')
    text = request(ranges)
    assert [f.rule for f in lint_string(text).findings] == ["HPT301", "HPT301", "HPT301"]


def test_hpt303_fires() -> None:
    ranges = ("    IntegerParameterRanges:\n"
              '      - {Name: a, MinValue: "5", MaxValue: "5"}  # HPT303\n'
              "    ContinuousParameterRanges:\n"
              '      - {Name: b, MinValue: "1", MaxValue: "1.0"}  # HPT303\n'
              '      - {Name: c, MinValue: "1", MaxValue: "1.5"}\n'
              "    CategoricalParameterRanges:\n"
              "      - {Name: d, Values: [adam]}  # HPT303\n"
              "      - {Name: e, Values: [adam, sgd]}\n")
    text = request(ranges)
    assert_marked(text)
    assert {f.severity for f in findings_of(text, "HPT303")} == {"warning"}


def test_hpt303_leaves_duplicate_values_to_hpt309() -> None:
    ranges = ("    ContinuousParameterRanges:\n" + ETA + "    CategoricalParameterRanges:\n"
              "      - {Name: d, Values: [adam, adam]}  # HPT309\n")
    assert_marked(request(ranges))


# --- HPT306 duplicate-hyperparameter-name / HPT307 tuned-and-static ------------------------

def test_hpt306_fires_across_lists_at_the_later_range() -> None:
    ranges = ("    CategoricalParameterRanges:\n"
              '      - {Name: eta, Values: ["0.1", "0.2"]}\n'
              "    ContinuousParameterRanges:\n"
              '      - {Name: eta, MinValue: "0.1", MaxValue: "0.5"}  # HPT306\n'
              '      - {Name: Eta, MinValue: "0.1", MaxValue: "0.5"}\n')
    text = request(ranges)
    assert_marked(text)
    (finding,) = findings_of(text, "HPT306")
    assert finding.json_path.endswith("ContinuousParameterRanges[0].Name")
    assert "CategoricalParameterRanges[0]" in finding.message


def test_hpt306_scopes_are_per_definition() -> None:
    assert_marked(multi("DefinitionName: a", "DefinitionName: b"))


def test_hpt307_fires_on_the_static_key() -> None:
    extra = '  StaticHyperParameters:\n    num_round: "100"\n    eta: "0.2"  # HPT307\n'
    text = request(extra=extra)
    assert_marked(text)
    (finding,) = findings_of(text, "HPT307")
    assert finding.json_path == "TrainingJobDefinition.StaticHyperParameters.eta"


def test_hpt307_near_miss() -> None:
    assert_marked(request(extra='  StaticHyperParameters:\n    etas: "0.2"\n    ETA: "1"\n'))


# --- HPT308 too-many-tunable-hyperparameters -----------------------------------------------

def numeric_ranges(integers: int, continuous: int) -> str:
    out = ""
    if integers:
        out += "    IntegerParameterRanges:\n" + "".join(
            f'      - {{Name: i{n}, MinValue: "1", MaxValue: "9"}}\n' for n in range(integers))
    if continuous:
        out += "    ContinuousParameterRanges:\n" + "".join(
            f'      - {{Name: c{n}, MinValue: "0.1", MaxValue: "0.9"}}\n'
            for n in range(continuous))
    return out


def test_hpt308_thirty_is_fine() -> None:
    assert_marked(request(numeric_ranges(20, 10)))


def test_hpt308_thirty_one_fires_at_the_block_key() -> None:
    text = request(numeric_ranges(20, 11), ranges_key="  ParameterRanges:  # HPT308\n")
    assert_marked(text)
    (finding,) = findings_of(text, "HPT308")
    assert "31" in finding.message and "20 integer" in finding.message


def test_hpt308_replaces_hpt108_on_one_long_list() -> None:
    assert_marked(request(numeric_ranges(0, 31), ranges_key="  ParameterRanges:  # HPT308\n"))


# --- HPT309 invalid-categorical-values -----------------------------------------------------

def categorical(values: list[str], mark: str = "") -> str:
    return ("    ContinuousParameterRanges:\n" + ETA + "    CategoricalParameterRanges:\n"
            f"      - Name: opt\n        Values: [{', '.join(values)}]{mark}\n")


def test_hpt309_fires_on_a_duplicate() -> None:
    text = request(categorical(["adam", "sgd", "adam"], "  # HPT309"))
    assert_marked(text)
    (finding,) = findings_of(text, "HPT309")
    assert finding.json_path.endswith("CategoricalParameterRanges[0].Values[2]")


def test_hpt309_thirty_values_are_fine() -> None:
    assert_marked(request(categorical([f"v{n}" for n in range(30)])))


def test_hpt309_thirty_one_values_replace_hpt108() -> None:
    assert_marked(request(categorical([f"v{n}" for n in range(31)], "  # HPT309")))


def test_hpt309_empty_values_replace_hpt108() -> None:
    assert_marked(request(categorical([], "  # HPT309")))


def test_hpt309_near_miss_values_differ_as_strings() -> None:
    assert_marked(request(categorical(['"0.1"', '"0.10"', "Adam", "adam"])))


# --- HPT310 too-many-hyperparameters -------------------------------------------------------

def statics(count: int, mark: str = "", also: tuple[tuple[str, str], ...] = ()) -> str:
    """``count`` static hyperparameters; ``also`` are (name, trailing comment) among them."""
    keys = [(f"h{n}", "") for n in range(count - len(also))] + list(also)
    return (f"  StaticHyperParameters:{mark}\n"
            + "".join(f'    {k}: "1"{comment}\n' for k, comment in keys))


def test_hpt310_one_hundred_with_the_objective_metric_is_fine() -> None:
    assert_marked(request(numeric_ranges(0, 10), extra=statics(89)))


def test_hpt310_one_hundred_and_one_fires() -> None:
    text = request(numeric_ranges(0, 10), extra=statics(90, "  # HPT310"))
    assert_marked(text)
    (finding,) = findings_of(text, "HPT310")
    assert "101" in finding.message and "_tuning_objective_metric" in finding.message


def test_hpt310_counts_a_name_both_tuned_and_static_once() -> None:
    extra = statics(90, also=(("c0", "  # HPT307"),))
    assert_marked(request(numeric_ranges(0, 10), extra=extra))


def test_hpt310_replaces_hpt108_on_too_many_static() -> None:
    assert_marked(request(extra=statics(101, "  # HPT310")))


# --- HPT311 reserved-hyperparameter-name ---------------------------------------------------

def test_hpt311_fires_on_static_and_ranges() -> None:
    ranges = ("    ContinuousParameterRanges:\n" + ETA + "    CategoricalParameterRanges:\n"
              "      - {Name: sagemaker_program, Values: [a.py, b.py]}  # HPT311\n"
              "      - {Name: _tuning_objective_metric, Values: [a, b]}  # HPT311\n")
    extra = ('  StaticHyperParameters:\n'
             '    _tuning_objective_metric: "validation:auc"  # HPT311\n')
    assert_marked(request(ranges, extra=extra))


def test_hpt311_near_misses() -> None:
    extra = ('  StaticHyperParameters:\n    sagemaker_program: train.py\n'
             '    sagemaker_submit_directory: "s3://example-bucket/code.tar.gz"\n'
             '    _kvstore: dist_sync\n    tuning_objective_metric: x\n')
    assert_marked(request(extra=extra))


def test_hpt311_leaves_sdk_autotune_output_alone() -> None:
    # what the SDK sends with autotune=True: static hyperparameters become AutoParameters
    ranges = ("    AutoParameters:\n"
              '      - {Name: sagemaker_program, ValueHint: train.py}\n'
              '      - {Name: eta, ValueHint: "0.2"}\n')
    assert_marked(request(ranges, tail="Autotune: {Mode: Enabled}\n"))


# --- HPT312 search-space-too-small ---------------------------------------------------------

def small_space(max_jobs: int, strategy: str = "Bayesian", mark: str = "",
                extra_range: str = "") -> str:
    # the duplicate value is HPT309's fault; the count uses distinct values
    return request("    IntegerParameterRanges:\n"
                   '      - {Name: depth, MinValue: "1", MaxValue: "3"}\n'
                   "    CategoricalParameterRanges:\n"
                   "      - {Name: opt, Values: [a, b, c, c]}  # HPT309\n" + extra_range,
                   strategy=strategy,
                   limits=f"{{MaxNumberOfTrainingJobs: {max_jobs}, MaxParallelTrainingJobs: 1}}"
                   + mark)


def test_hpt312_fires_above_the_count() -> None:
    # 3 depths x 3 distinct optimizers = 9 combinations
    text = small_space(10, mark="  # HPT312")
    assert_marked(text)
    (finding,) = findings_of(text, "HPT312")
    assert "only 9 distinct" in finding.message
    assert "You don't have enough combinations" in finding.message
    assert "provided ranges [9.0]" in finding.message and "MaxNumberOfJobs, [10]" in finding.message
    assert finding.fix is not None and finding.fix.edits[0].new_text == "9"


@pytest.mark.parametrize("text", [
    small_space(9),  # equal is enough
    # Grid counts combinations itself: HPT406's job, not HPT312's
    small_space(10, strategy="Grid", mark="  # HPT406").replace(
        "    IntegerParameterRanges:\n"
        '      - {Name: depth, MinValue: "1", MaxValue: "3"}\n', ""),
    small_space(100, extra_range="    ContinuousParameterRanges:\n" + ETA),  # infinite space
])
def test_hpt312_near_misses(text: str) -> None:
    assert_marked(text)


def test_hpt312_silent_when_a_bound_is_not_numeric() -> None:
    ranges = ('    IntegerParameterRanges:\n      - {Name: d, MinValue: "1.5", MaxValue: "3"}'
              "  # HPT301\n")
    assert_marked(request(ranges, limits="{MaxNumberOfTrainingJobs: 50, "
                                         "MaxParallelTrainingJobs: 1}"))


def test_hpt312_adds_up_definitions() -> None:
    one = '        - {Name: opt, Values: [a, b]}'
    text = multi("DefinitionName: a", "DefinitionName: b", ranges=one).replace(
        "ContinuousParameterRanges", "CategoricalParameterRanges")
    text = text.replace("MaxParallelTrainingJobs: 2", "MaxParallelTrainingJobs: 1")
    assert_marked(text.replace("MaxNumberOfTrainingJobs: 20",
                               "MaxNumberOfTrainingJobs: 4"))
    lines = text.replace("MaxNumberOfTrainingJobs: 20", "MaxNumberOfTrainingJobs: 5").splitlines()
    lines[3] += "  # HPT312"
    assert_marked("\n".join(lines) + "\n")


# --- HPT313 nothing-to-tune ----------------------------------------------------------------

def test_hpt313_fires_without_parameter_ranges() -> None:
    text = request(None).replace("HyperParameterTuningJobConfig:\n",
                                 "HyperParameterTuningJobConfig:  # HPT313\n")
    assert_marked(text)


def test_hpt313_fires_on_empty_parameter_ranges() -> None:
    assert_marked(request("    IntegerParameterRanges: []\n",
                          ranges_key="  ParameterRanges:  # HPT313\n"))


def test_hpt313_fires_on_auto_parameters_without_autotune() -> None:
    text = request("    AutoParameters:\n      - {Name: eta, ValueHint: \"0.2\"}\n",
                   ranges_key="  ParameterRanges:  # HPT313\n")
    assert_marked(text)
    (finding,) = findings_of(text, "HPT313")
    assert "Autotune" in finding.message


@pytest.mark.parametrize("text", [
    request(None, tail="Autotune: {Mode: Enabled}\n"),
    request("    ContinuousParameterRanges:\n" + ETA
            + "    AutoParameters:\n      - {Name: gamma, ValueHint: \"1\"}\n"),
    multi("DefinitionName: a", "DefinitionName: b"),  # ranges only in the definitions
])
def test_hpt313_near_misses(text: str) -> None:
    assert_marked(text)


# --- HPT701 duplicate-tag-key / HPT702 reserved-tag-prefix ---------------------------------

def test_hpt701_fires_on_the_later_key() -> None:
    tail = ("Tags:\n  - {Key: team, Value: a}\n  - {Key: Team, Value: b}\n"
            "  - {Key: team, Value: c}  # HPT701\n")
    text = request(tail=tail)
    assert_marked(text)
    (finding,) = findings_of(text, "HPT701")
    assert finding.json_path == "Tags[2].Key" and "Tags[0]" in finding.message


@pytest.mark.parametrize("key", ["aws:owner", "AWS:owner", "Aws:Owner", "aWs:"])
def test_hpt702_fires_in_any_case(key: str) -> None:
    assert_marked(request(tail=f'Tags:\n  - {{Key: "{key}", Value: x}}  # HPT702\n'))


@pytest.mark.parametrize("key", ["awsx:owner", "aws-owner", "myaws:owner", "aws", "owner"])
def test_hpt702_near_misses(key: str) -> None:
    assert_marked(request(tail=f'Tags:\n  - {{Key: "{key}", Value: "aws:x"}}\n'))


# --- Unknown values: never reported ------------------------------------------------------

MINE = {"HPT202", "HPT203", "HPT204", "HPT205", "HPT206", "HPT207", "HPT301", "HPT302",
        "HPT303", "HPT306", "HPT307", "HPT308", "HPT309", "HPT310", "HPT311", "HPT312",
        "HPT313", "HPT701", "HPT702"}


def by_hand(data: dict[str, Any]) -> list[str]:
    """Rule ids of this module's rules that fire on a Request built by hand (as a Python
    or Step Functions loader builds one), located at the root."""
    source_map = SourceMap({(): Entry(Span(1, 1, 1, 2))})
    findings, crashed = check_request(Request("x.py", "python", data, source_map), Config())
    assert not crashed
    return sorted(f.rule for f in findings if f.rule in MINE)


def definition(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "AlgorithmSpecification": {"TrainingImage": IMAGE, "TrainingInputMode": "File"},
        "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
        "OutputDataConfig": {"S3OutputPath": "s3://example-bucket/output/"},
        "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1,
                           "VolumeSizeInGB": 30},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    }
    base.update(changes)
    return base


def hand_request(ranges: Any = None, *, max_jobs: Any = 20, strategy: Any = "Bayesian",
                 **top: Any) -> dict[str, Any]:
    cfg: dict[str, Any] = {
        "Strategy": strategy,
        "HyperParameterTuningJobObjective": {"Type": "Maximize", "MetricName": "auc"},
        "ResourceLimits": {"MaxNumberOfTrainingJobs": max_jobs, "MaxParallelTrainingJobs": 1},
    }
    if ranges is not None:
        cfg["ParameterRanges"] = ranges
    data: dict[str, Any] = {"HyperParameterTuningJobName": "t",
                            "HyperParameterTuningJobConfig": cfg,
                            "TrainingJobDefinition": definition()}
    data.update(top)
    return data


CONT = {"ContinuousParameterRanges": [{"Name": "eta", "MinValue": "0.1", "MaxValue": "0.5"}]}


def test_a_clean_request_built_by_hand_is_clean() -> None:
    assert by_hand(hand_request(CONT)) == []
    # and the same request with faults does fire: the Unknown tests below can fail
    bad = hand_request({"IntegerParameterRanges": [
        {"Name": "d", "MinValue": "9", "MaxValue": "1"}]})
    assert by_hand(bad) == ["HPT302"]


@pytest.mark.parametrize("data", [
    # names
    hand_request(CONT, TrainingJobDefinition=None, TrainingJobDefinitions=[
        definition(DefinitionName=Unknown("name_a")),
        definition(DefinitionName=Unknown("name_a"))]),
    hand_request(CONT, TrainingJobDefinition=None, TrainingJobDefinitions=[
        definition(DefinitionName="a"), PartialDict(definition())]),
    hand_request(CONT, TrainingJobDefinition=definition(RoleArn=Unknown("role"))),
    hand_request(CONT, TrainingJobDefinition=definition(
        OutputDataConfig={"S3OutputPath": Unknown("f's3://{bucket}/out'")})),
    hand_request(CONT, TrainingJobDefinition=definition(
        AlgorithmSpecification={"TrainingImage": Unknown("image_uri"),
                                "TrainingInputMode": "File"},
        OutputDataConfig={"S3OutputPath": "s3://example-bucket/o/",
                          "KmsKeyId": Unknown("kms_key")})),
    hand_request(CONT, TrainingJobDefinition=definition(InputDataConfig=[
        {"ChannelName": Unknown("c"), "DataSource": {"S3DataSource": {
            "S3DataType": "S3Prefix", "S3Uri": "s3://example-bucket/a/"}}},
        {"ChannelName": Unknown("c"), "DataSource": {"S3DataSource": {
            "S3DataType": "S3Prefix", "S3Uri": "s3://example-bucket/b/"}}}])),
    # ranges
    hand_request({"IntegerParameterRanges": [
        {"Name": "d", "MinValue": Unknown("lo"), "MaxValue": "1"},
        {"Name": "e", "MinValue": "5", "MaxValue": Unknown("hi")}],
        **CONT}),
    hand_request({"CategoricalParameterRanges": [
        {"Name": "o", "Values": [Unknown("a"), Unknown("a")]},
        {"Name": "p", "Values": PartialList()}], **CONT}),
    hand_request({"CategoricalParameterRanges": [{"Name": "o", "Values": [Unknown("v")]}],
                  **CONT}),
    hand_request({"ContinuousParameterRanges": [
        {"Name": Unknown("n"), "MinValue": "0.1", "MaxValue": "0.5"},
        {"Name": Unknown("n"), "MinValue": "0.1", "MaxValue": "0.5"}]}),
    hand_request(CONT, TrainingJobDefinition=definition(
        StaticHyperParameters=Unknown("hyperparameters"))),
    # search space: an Unknown value, max jobs or strategy
    hand_request({"CategoricalParameterRanges": [{"Name": "o", "Values": ["a", Unknown("b")]}]},
                 max_jobs=10),
    hand_request({"CategoricalParameterRanges": [{"Name": "o", "Values": ["a", "b"]}]},
                 max_jobs=Unknown("max_jobs")),
    hand_request({"CategoricalParameterRanges": [{"Name": "o", "Values": ["a", "b"]}]},
                 max_jobs=10, strategy=Unknown("strategy")),
    hand_request({"CategoricalParameterRanges": PartialList([{"Name": "o",
                                                              "Values": ["a", "b"]}])},
                 max_jobs=10),
    # nothing to tune: ranges or definitions not visible
    hand_request(Unknown("ranges")),
    hand_request(PartialDict()),
    hand_request(None, TrainingJobDefinition=None, TrainingJobDefinitions=Unknown("defs")),
    hand_request(None, TrainingJobDefinition=definition(HyperParameterRanges=Unknown("r"))),
    PartialDict(hand_request(None)),
    # tags
    hand_request(CONT, Tags=[{"Key": Unknown("k"), "Value": "a"},
                             {"Key": Unknown("k"), "Value": "b"}]),
    hand_request(CONT, Tags=PartialList([{"Key": "team", "Value": "a"}])),
])
def test_unknown_values_are_never_reported(data: dict[str, Any]) -> None:
    data = {k: v for k, v in data.items() if v is not None} if not isinstance(
        data, PartialDict) else data
    assert by_hand(data) == []


# --- the supersedes patterns cover every field of their kind in the schema ----------------

def schema_paths(target: str) -> set[tuple[str, ...]]:
    """Path patterns ("*" for list items) of every member whose schema is ``$defs/target``."""
    from hpt_lint.structure import load_schema

    schema = load_schema()
    defs = schema["$defs"]
    out: set[tuple[str, ...]] = set()

    def visit(node: dict[str, Any], path: tuple[str, ...], seen: frozenset[str]) -> None:
        ref = node.get("$ref")
        if ref is not None:
            name = ref.rsplit("/", 1)[-1]
            if name == target:
                out.add(path)
            if name in seen:
                return
            node, seen = defs[name], seen | {name}
        if node.get("type") == "object":
            for key, child in node.get("properties", {}).items():
                visit(child, (*path, key), seen)
        elif node.get("type") == "array":
            visit(node.get("items", {}), (*path, "*"), seen)

    visit(schema, (), frozenset())
    return out


@pytest.mark.parametrize("rule_id, shape", [
    ("HPT202", "HyperParameterTrainingJobDefinitionName"),
    ("HPT204", "RoleArn"),
    ("HPT205", "S3Uri"),
])
def test_supersedes_cover_every_field_of_the_shape(rule_id: str, shape: str) -> None:
    from hpt_lint.engine import all_rules

    owned = {pattern for pattern, ids in all_rules()[rule_id].supersedes
             if {"HPT105", "HPT106"} <= set(ids)}
    paths = schema_paths(shape)
    assert paths and owned == paths
