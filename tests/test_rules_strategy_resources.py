"""HPT401-HPT418 and HPT501-HPT511: every rule fires where it should and nowhere else.

Each case is a complete YAML request; the lines that must be reported carry a
``# HPTnnn`` comment. The comparison covers these rules and the structural ones
(HPT1xx), so a dedicated rule that lets a structural finding through (or the
reverse) fails too.
"""

from __future__ import annotations

from typing import Any

import pytest

from hpt_lint import facts
from hpt_lint.config import Config
from hpt_lint.engine import check_request
from hpt_lint.request import Entry, Request, SourceMap, Span, Unknown
from tests.conftest import lint_string, marks

BASE = """\
HyperParameterTuningJobName: tune-1
HyperParameterTuningJobConfig:
  Strategy: Bayesian
  HyperParameterTuningJobObjective: {Type: Maximize, MetricName: "validation:auc"}
  ResourceLimits: {MaxNumberOfTrainingJobs: 20, MaxParallelTrainingJobs: 2}
  ParameterRanges:
    ContinuousParameterRanges: [{Name: eta, MinValue: "0.1", MaxValue: "0.5"}]
TrainingJobDefinition:
  AlgorithmSpecification:
    TrainingImage: 123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1
    TrainingInputMode: File
  RoleArn: arn:aws:iam::123456789012:role/SageMakerRole
  OutputDataConfig: {S3OutputPath: "s3://example-bucket/output/"}
  ResourceConfig: {InstanceType: ml.m5.xlarge, InstanceCount: 1, VolumeSizeInGB: 30}
  StoppingCondition: {MaxRuntimeInSeconds: 3600}
"""

CUSTOM_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-trainer:1"


def edit(*changes: tuple[str, str], base: str = BASE) -> str:
    text = base
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def strategy(name: str) -> tuple[str, str]:
    return "  Strategy: Bayesian\n", f"  Strategy: {name}\n"


def limits(value: str) -> tuple[str, str]:
    return ("  ResourceLimits: {MaxNumberOfTrainingJobs: 20, MaxParallelTrainingJobs: 2}\n",
            f"  ResourceLimits: {value}\n")


def ranges(text: str) -> tuple[str, str]:
    return ('    ContinuousParameterRanges: [{Name: eta, MinValue: "0.1", MaxValue: "0.5"}]\n',
            text)


def resource(text: str) -> tuple[str, str]:
    return ("  ResourceConfig: {InstanceType: ml.m5.xlarge, InstanceCount: 1, "
            "VolumeSizeInGB: 30}\n", text)


def stopping(text: str) -> tuple[str, str]:
    return "  StoppingCondition: {MaxRuntimeInSeconds: 3600}\n", text


def definition_extra(text: str) -> tuple[str, str]:
    return stopping("  StoppingCondition: {MaxRuntimeInSeconds: 3600}\n" + text)


def config_extra(text: str) -> tuple[str, str]:
    return ("TrainingJobDefinition:\n", text + "TrainingJobDefinition:\n")


def categorical(*counts: int) -> str:
    lines = ["    CategoricalParameterRanges:\n"]
    for n, count in enumerate(counts):
        values = ", ".join(f'"v{i}"' for i in range(count))
        lines.append(f"      - {{Name: p{n}, Values: [{values}]}}\n")
    return "".join(lines)


def hyperband(text: str) -> tuple[str, str]:
    return config_extra("  StrategyConfig:\n    HyperbandStrategyConfig: " + text + "\n")


EPOCHS = definition_extra('  StaticHyperParameters: {epochs: "10"}\n')
SPOT = '  EnableManagedSpotTraining: true\n'
CHECKPOINT = '  CheckpointConfig: {S3Uri: "s3://example-bucket/checkpoints/"}\n'
MULTI = """\
HyperParameterTuningJobName: tune-1
HyperParameterTuningJobConfig:
  Strategy: Bayesian
  ResourceLimits: {MaxNumberOfTrainingJobs: 20, MaxParallelTrainingJobs: 2}
TrainingJobDefinitions:
  - DefinitionName: first
    TuningObjective: {Type: Maximize, MetricName: "validation:auc"}
    HyperParameterRanges:
      ContinuousParameterRanges: [{Name: eta, MinValue: "0.1", MaxValue: "0.5"}]
    AlgorithmSpecification:
      TrainingImage: 123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1
      TrainingInputMode: File
    RoleArn: arn:aws:iam::123456789012:role/SageMakerRole
    OutputDataConfig: {S3OutputPath: "s3://example-bucket/output/"}
    ResourceConfig: {InstanceType: ml.m5.xlarge, InstanceCount: 1, VolumeSizeInGB: 30}
    StoppingCondition: {MaxRuntimeInSeconds: 3600}
  - DefinitionName: second
    TuningObjective: {Type: Maximize, MetricName: "validation:auc"}
    HyperParameterRanges:
      ContinuousParameterRanges: [{Name: eta, MinValue: "0.1", MaxValue: "0.5"}]
    AlgorithmSpecification:
      TrainingImage: 123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1
      TrainingInputMode: File
    RoleArn: arn:aws:iam::123456789012:role/SageMakerRole
    OutputDataConfig: {S3OutputPath: "s3://example-bucket/output/"}
    ResourceConfig: {InstanceType: ml.m5.xlarge, InstanceCount: 1, VolumeSizeInGB: 30}
    StoppingCondition: {MaxRuntimeInSeconds: 3600}
"""


def env(count: int, start: int = 0) -> str:
    return "".join(f'    VAR_{i:02d}: "x"\n' for i in range(start, start + count))


def parents(*names: str) -> str:
    items = "".join(f"    - HyperParameterTuningJobName: {n}\n" for n in names)
    return ("WarmStartConfig:\n  WarmStartType: TransferLearning\n"
            "  ParentHyperParameterTuningJobs:\n" + items)


CASES: dict[str, str] = {
    "base is clean": BASE,
    "multi base is clean": MULTI,
    # HPT401
    "401 hyperband auto": edit(strategy("Hyperband"), EPOCHS, config_extra(
        "  TrainingJobEarlyStoppingType: Auto  # HPT401\n")),
    "401 hyperband off": edit(strategy("Hyperband"), EPOCHS, config_extra(
        "  TrainingJobEarlyStoppingType: \"Off\"\n")),
    "401 bayesian auto": edit(config_extra("  TrainingJobEarlyStoppingType: Auto\n")),
    # HPT402
    "402 bayesian with strategy config": edit(config_extra(
        "  StrategyConfig:  # HPT402\n    HyperbandStrategyConfig: {MaxResource: 10}\n")),
    "402 hyperband with strategy config": edit(strategy("Hyperband"),
                                               hyperband("{MaxResource: 10}")),
    "402 invalid strategy is HPT104 only": edit(
        ("  Strategy: Bayesian\n", "  Strategy: bayes  # HPT104\n"),
        config_extra("  StrategyConfig:\n    HyperbandStrategyConfig: {MaxResource: 10}\n")),
    # HPT403
    "403 max resource 20001": edit(strategy("Hyperband"), hyperband(
        "{MaxResource: 20001}  # HPT403")),
    "403 max resource 20000": edit(strategy("Hyperband"), hyperband("{MaxResource: 20000}")),
    "403 min above max": edit(strategy("Hyperband"), hyperband(
        "{MinResource: 11, MaxResource: 10}  # HPT403")),
    "403 min equals max": edit(strategy("Hyperband"), hyperband(
        "{MinResource: 10, MaxResource: 10}")),
    # HPT404
    "404 no max resource, no epochs": edit(
        ("  Strategy: Bayesian\n", "  Strategy: Hyperband  # HPT404\n"),
        definition_extra('  StaticHyperParameters: {lr: "0.1"}\n')),
    "404 no static at all": edit(("  Strategy: Bayesian\n", "  Strategy: Hyperband  # HPT404\n")),
    "404 epochs given": edit(strategy("Hyperband"), EPOCHS),
    "404 num_epochs given": edit(strategy("Hyperband"), definition_extra(
        '  StaticHyperParameters: {num_epochs: "10"}\n')),
    "404 max resource given": edit(strategy("Hyperband"), hyperband("{MinResource: 1, "
                                                                    "MaxResource: 10}")),
    "404 hyperband config without max": edit(
        ("  Strategy: Bayesian\n", "  Strategy: Hyperband  # HPT404\n"),
        hyperband("{MinResource: 1}")),
    # HPT405
    "405 grid with continuous": edit(strategy("Grid"), ranges(
        '    ContinuousParameterRanges: [{Name: eta, MinValue: "0.1", MaxValue: "0.5"}]'
        "  # HPT405\n" + categorical(3))),
    "405 grid with integer, no made-up count": edit(
        strategy("Grid"), limits("{MaxNumberOfTrainingJobs: 999, MaxParallelTrainingJobs: 2}"),
        ranges('    IntegerParameterRanges: [{Name: depth, MinValue: "1", MaxValue: "9"}]'
               "  # HPT405\n" + categorical(30, 30))),
    "405 grid categorical only": edit(
        strategy("Grid"), limits("{MaxNumberOfTrainingJobs: 6, MaxParallelTrainingJobs: 2}"),
        ranges(categorical(2, 3))),
    # HPT406
    "406 grid 12 combos vs 20": edit(
        strategy("Grid"),
        limits("{MaxNumberOfTrainingJobs: 20, MaxParallelTrainingJobs: 2}  # HPT406"),
        ranges(categorical(3, 4))),
    "406 grid without max jobs": edit(strategy("Grid"), limits("{MaxParallelTrainingJobs: 2}"),
                                      ranges(categorical(3, 4))),
    "406 duplicate values counted once": edit(
        strategy("Grid"), limits("{MaxNumberOfTrainingJobs: 2, MaxParallelTrainingJobs: 2}"),
        ranges('    CategoricalParameterRanges: [{Name: opt, Values: ["a", "b", "a"]}]\n')),
    # HPT407
    # 751 is prime: 754 = 2 * 13 * 29 is the smallest grid above 750 (at most 30 values each)
    "407 grid 754 combos": edit(
        strategy("Grid"), limits("{MaxParallelTrainingJobs: 2}"),
        ranges(categorical(2, 13, 29).replace("    CategoricalParameterRanges:\n",
                                           "    CategoricalParameterRanges:  # HPT407\n"))),
    "407 grid 750 combos": edit(
        strategy("Grid"), limits("{MaxNumberOfTrainingJobs: 750, MaxParallelTrainingJobs: 2}"),
        ranges(categorical(25, 30))),
    "407 grid 900 combos, max jobs not also reported": edit(
        strategy("Grid"), limits("{MaxNumberOfTrainingJobs: 750, MaxParallelTrainingJobs: 2}"),
        ranges(categorical(30, 30).replace("    CategoricalParameterRanges:\n",
                                           "    CategoricalParameterRanges:  # HPT407\n"))),
    # HPT408
    "408 parallel above total": edit(limits(
        "{MaxNumberOfTrainingJobs: 3, MaxParallelTrainingJobs: 4}  # HPT408")),
    "408 parallel equals total (random)": edit(strategy("Random"), limits(
        "{MaxNumberOfTrainingJobs: 4, MaxParallelTrainingJobs: 4}")),
    # HPT409
    "409 bayesian parallel == total": edit(limits(
        "{MaxNumberOfTrainingJobs: 10, MaxParallelTrainingJobs: 10}  # HPT409")),
    "409 bayesian half": edit(limits(
        "{MaxNumberOfTrainingJobs: 20, MaxParallelTrainingJobs: 10}  # HPT409")),
    "409 bayesian below half": edit(limits(
        "{MaxNumberOfTrainingJobs: 21, MaxParallelTrainingJobs: 10}")),
    "409 random parallel == total": edit(strategy("Random"), limits(
        "{MaxNumberOfTrainingJobs: 10, MaxParallelTrainingJobs: 10}")),
    "409 bayesian one at a time": edit(limits(
        "{MaxNumberOfTrainingJobs: 1, MaxParallelTrainingJobs: 1}")),
    # HPT410
    "410 both forms": edit(("  - DefinitionName: first\n",
                            "  - DefinitionName: first\n"), base=MULTI.replace(
        "TrainingJobDefinitions:\n", "TrainingJobDefinition: {}\nTrainingJobDefinitions:"
        "  # HPT410\n")).replace("TrainingJobDefinition: {}\n", "TrainingJobDefinition:\n"
        "  AlgorithmSpecification: {TrainingImage: x, TrainingInputMode: File}\n"
        "  RoleArn: arn:aws:iam::123456789012:role/SageMakerRole\n"
        "  OutputDataConfig: {S3OutputPath: \"s3://example-bucket/output/\"}\n"
        "  ResourceConfig: {InstanceType: ml.m5.xlarge, InstanceCount: 1, VolumeSizeInGB: 30}\n"
        "  StoppingCondition: {MaxRuntimeInSeconds: 3600}\n"),
    "410 empty list beside a definition is HPT108 only": edit(config_extra(""))
    + "TrainingJobDefinitions: []  # HPT108\n",
    "410 neither": ("HyperParameterTuningJobName: tune-1  # HPT410\n"
                    + BASE.split("TrainingJobDefinition:\n")[0].split("\n", 1)[1]),
    # HPT411
    "411 single without objective": edit((
        '  HyperParameterTuningJobObjective: {Type: Maximize, MetricName: "validation:auc"}\n',
        ""), ("HyperParameterTuningJobConfig:\n", "HyperParameterTuningJobConfig:  # HPT411\n")),
    "411 single objective in definition": edit((
        '  HyperParameterTuningJobObjective: {Type: Maximize, MetricName: "validation:auc"}\n',
        ""), definition_extra(
        '  TuningObjective: {Type: Maximize, MetricName: "validation:auc"}\n')),
    "411 multi without tuning objective": edit(
        ('  - DefinitionName: second\n    TuningObjective: {Type: Maximize, MetricName: '
         '"validation:auc"}\n', "  - DefinitionName: second  # HPT411\n"), base=MULTI),
    "411 multi ranges in config": edit(
        ("  ResourceLimits: {MaxNumberOfTrainingJobs: 20, MaxParallelTrainingJobs: 2}\n",
         "  ResourceLimits: {MaxNumberOfTrainingJobs: 20, MaxParallelTrainingJobs: 2}\n"
         "  ParameterRanges:\n"
         '    ContinuousParameterRanges: [{Name: eta, MinValue: "0.1", MaxValue: "0.5"}]\n'),
        ('  - DefinitionName: second\n    TuningObjective: {Type: Maximize, MetricName: '
         '"validation:auc"}\n    HyperParameterRanges:\n      ContinuousParameterRanges: '
         '[{Name: eta, MinValue: "0.1", MaxValue: "0.5"}]\n',
         '  - DefinitionName: second  # HPT411\n    TuningObjective: {Type: Maximize, '
         'MetricName: "validation:auc"}\n'), base=MULTI),
    # HPT412
    "412 custom image, metric undefined": edit(
        ("sagemaker-xgboost:1.7-1", "my-trainer:1\n    MetricDefinitions: [{Name: auc, "
         "Regex: \"auc=([0-9.]+)\"}]"),
        ('MetricName: "validation:auc"}\n', 'MetricName: "validation:auc"}  # HPT412\n')),
    "412 custom image, no metric definitions": edit(
        ("sagemaker-xgboost:1.7-1", "my-trainer:1"),
        ('MetricName: "validation:auc"}\n', 'MetricName: "validation:auc"}  # HPT412\n')),
    "412 custom image, metric defined": edit(
        ("sagemaker-xgboost:1.7-1", "my-trainer:1\n    MetricDefinitions: [{Name: "
         "\"validation:auc\", Regex: \"auc=([0-9.]+)\"}]")),
    "412 legacy xgboost image is built in": edit(
        ("123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
         "811284229777.dkr.ecr.us-east-1.amazonaws.com/xgboost:latest")),
    "412 algorithm name": edit((
        "    TrainingImage: 123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1\n",
        "    AlgorithmName: my-algorithm\n")),
    # HPT413
    "413 no capture group": edit(
        ("sagemaker-xgboost:1.7-1", "my-trainer:1\n    MetricDefinitions:\n"
         "      - {Name: \"validation:auc\", Regex: \"auc=[0-9.]+\"}  # HPT413")),
    "413 does not compile": edit(
        ("sagemaker-xgboost:1.7-1", "my-trainer:1\n    MetricDefinitions:\n"
         "      - {Name: \"validation:auc\", Regex: \"auc=([0-9.]+\"}  # HPT413")),
    "413 non-capturing group only": edit(
        ("sagemaker-xgboost:1.7-1", "my-trainer:1\n    MetricDefinitions:\n"
         "      - {Name: \"validation:auc\", Regex: \"auc=(?:[0-9.]+)\"}  # HPT413")),
    # HPT414
    "414 patience == total": edit(config_extra(
        "  TuningJobCompletionCriteria:\n    BestObjectiveNotImproving:\n"
        "      MaxNumberOfTrainingJobsNotImproving: 20  # HPT414\n")),
    "414 patience below total": edit(config_extra(
        "  TuningJobCompletionCriteria:\n    BestObjectiveNotImproving:\n"
        "      MaxNumberOfTrainingJobsNotImproving: 19\n")),
    # HPT415
    "415 multi with warm start and auto": MULTI.replace(
        "  ResourceLimits:", "  TrainingJobEarlyStoppingType: Auto  # HPT415\n"
        "  ResourceLimits:") + "WarmStartConfig:  # HPT415\n  WarmStartType: TransferLearning\n"
        "  ParentHyperParameterTuningJobs: [{HyperParameterTuningJobName: old-1}]\n",
    "415 single with warm start and auto": edit(config_extra(
        "  TrainingJobEarlyStoppingType: Auto\n")) + parents("old-1"),
    # HPT416
    "416 six parents": BASE + parents("p1", "p2", "p3", "p4", "p5", "p6").replace(
        "  ParentHyperParameterTuningJobs:\n", "  ParentHyperParameterTuningJobs:  # HPT416\n"),
    "416 five parents": BASE + parents("p1", "p2", "p3", "p4", "p5"),
    "416 duplicate (case-insensitive) and self": BASE + parents(
        "p1", "P1  # HPT416", "Tune-1  # HPT416"),
    "416 no parents": BASE + "WarmStartConfig:\n  WarmStartType: TransferLearning\n"
                             "  ParentHyperParameterTuningJobs: []  # HPT416\n",
    # HPT417
    "417 tuning shorter than one job": edit(limits(
        "{MaxNumberOfTrainingJobs: 20, MaxParallelTrainingJobs: 2, MaxRuntimeInSeconds: 3599}"
        "  # HPT417")),
    "417 tuning equal to one job": edit(limits(
        "{MaxNumberOfTrainingJobs: 20, MaxParallelTrainingJobs: 2, MaxRuntimeInSeconds: 3600}")),
    # HPT418
    "418 751 jobs and 11 parallel": edit(limits(
        "\n    MaxNumberOfTrainingJobs: 751  # HPT418\n"
        "    MaxParallelTrainingJobs: 11  # HPT418")),
    "418 750 jobs and 10 parallel": edit(limits(
        "{MaxNumberOfTrainingJobs: 750, MaxParallelTrainingJobs: 10}")),
    # HPT501 / HPT502 / HPT503 / HPT504
    "501 wait below run with spot": edit(stopping(
        "  StoppingCondition: {MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 3599}"
        "  # HPT501\n" + SPOT + CHECKPOINT)),
    "501 wait == run is fine": edit(stopping(
        "  StoppingCondition: {MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 3600}\n"
        + SPOT + CHECKPOINT)),
    "502 wait without spot (not also 501)": edit(stopping(
        "  StoppingCondition:\n    MaxRuntimeInSeconds: 3600\n"
        "    MaxWaitTimeInSeconds: 1800  # HPT502\n")),
    "502 wait with spot false": edit(stopping(
        "  StoppingCondition:\n    MaxRuntimeInSeconds: 3600\n"
        "    MaxWaitTimeInSeconds: 7200  # HPT502\n  EnableManagedSpotTraining: false\n")),
    "503 spot without wait": edit(stopping(
        "  StoppingCondition: {MaxRuntimeInSeconds: 3600}  # HPT503\n" + SPOT + CHECKPOINT)),
    "504 spot without checkpoint": edit(stopping(
        "  StoppingCondition: {MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200}\n"
        "  EnableManagedSpotTraining: true  # HPT504\n")),
    # HPT505
    "505 over 28 days": edit(stopping("  StoppingCondition: {MaxRuntimeInSeconds: 2419201}"
                                      "  # HPT505\n")),
    "505 exactly 28 days": edit(stopping("  StoppingCondition: {MaxRuntimeInSeconds: 2419200}\n")),
    # HPT506
    "506 both resource configs": edit(resource(
        "  ResourceConfig: {InstanceType: ml.m5.xlarge, InstanceCount: 1, VolumeSizeInGB: 30}\n"
        "  HyperParameterTuningResourceConfig: {InstanceType: ml.m5.xlarge}  # HPT506\n")),
    "506 neither resource config": edit(resource(""), (
        "TrainingJobDefinition:\n", "TrainingJobDefinition:  # HPT506\n")),
    "506 instance configs beside instance type": edit(resource(
        "  HyperParameterTuningResourceConfig:\n"
        "    InstanceType: ml.m5.xlarge  # HPT506\n"
        "    InstanceConfigs: [{InstanceType: ml.c5.xlarge, InstanceCount: 1, "
        "VolumeSizeInGB: 30}]\n")),
    "506 instance configs alone": edit(resource(
        "  HyperParameterTuningResourceConfig:\n"
        "    InstanceConfigs: [{InstanceType: ml.c5.xlarge, InstanceCount: 1, "
        "VolumeSizeInGB: 30}]\n")),
    # HPT507
    "507 kms on g5": edit(resource(
        "  ResourceConfig:\n    InstanceType: ml.g5.2xlarge\n    InstanceCount: 1\n"
        "    VolumeSizeInGB: 30\n    VolumeKmsKeyId: alias/training  # HPT507\n")),
    "507 kms on instance configs with p4d": edit(resource(
        "  HyperParameterTuningResourceConfig:\n"
        "    InstanceConfigs: [{InstanceType: ml.p4d.24xlarge, InstanceCount: 1, "
        "VolumeSizeInGB: 30}]\n    VolumeKmsKeyId: alias/training  # HPT507\n")),
    "507 kms on m5": edit(resource(
        "  ResourceConfig:\n    InstanceType: ml.m5.xlarge\n    InstanceCount: 1\n"
        "    VolumeSizeInGB: 30\n    VolumeKmsKeyId: alias/training\n")),
    "507 kms on unknown family": edit(resource(
        "  ResourceConfig:\n    InstanceType: ml.g7.2xlarge\n    InstanceCount: 1\n"
        "    VolumeSizeInGB: 30\n    VolumeKmsKeyId: alias/training\n")),
    # HPT508
    "508 augmented manifest in file mode, gzip in fastfile": edit(definition_extra(
        "  InputDataConfig:\n"
        "    - ChannelName: train\n"
        "      DataSource:\n"
        "        S3DataSource:\n"
        "          S3DataType: AugmentedManifestFile  # HPT508\n"
        "          S3Uri: s3://example-bucket/train.manifest\n"
        "          AttributeNames: [source-ref, label]\n"
        "    - ChannelName: validation\n"
        "      InputMode: FastFile\n"
        "      CompressionType: Gzip  # HPT508\n"
        "      DataSource: {S3DataSource: {S3DataType: S3Prefix, "
        "S3Uri: \"s3://example-bucket/validation/\"}}\n")),
    "508 pipe channel overrides file": edit(definition_extra(
        "  InputDataConfig:\n"
        "    - ChannelName: train\n"
        "      InputMode: Pipe\n"
        "      CompressionType: Gzip\n"
        "      DataSource: {S3DataSource: {S3DataType: AugmentedManifestFile, "
        "S3Uri: \"s3://example-bucket/train.manifest\", AttributeNames: [a]}}\n"
        "    - ChannelName: validation\n"
        "      CompressionType: None\n"
        "      DataSource: {S3DataSource: {S3DataType: S3Prefix, "
        "S3Uri: \"s3://example-bucket/validation/\"}}\n")),
    # HPT509
    "509 both image and algorithm": edit((
        "    TrainingInputMode: File\n",
        "    TrainingInputMode: File\n    AlgorithmName: my-algorithm  # HPT509\n")),
    "509 neither": edit((
        "    TrainingImage: 123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1\n",
        ""), ("  AlgorithmSpecification:\n", "  AlgorithmSpecification:  # HPT509\n")),
    # HPT510
    "510 zero instances": edit(resource(
        "  ResourceConfig:\n    InstanceType: ml.m5.xlarge\n    InstanceCount: 0  # HPT510\n"
        "    VolumeSizeInGB: 30\n")),
    "510 zero in instance configs": edit(resource(
        "  HyperParameterTuningResourceConfig:\n    InstanceConfigs:\n"
        "      - {InstanceType: ml.c5.xlarge, InstanceCount: 0, VolumeSizeInGB: 30}  # HPT510\n")),
    "510 instance groups": edit(resource(
        "  ResourceConfig:\n    InstanceCount: 0\n    VolumeSizeInGB: 30\n"
        "    InstanceGroups: [{InstanceType: ml.m5.xlarge, InstanceCount: 1, "
        "InstanceGroupName: g1}]\n")),
    # HPT511
    "511 49 in one definition (not also HPT108)": edit(definition_extra(
        "  Environment:  # HPT511\n" + env(49))),
    "511 48 in one definition": edit(definition_extra("  Environment:\n" + env(48))),
    "511 49 summed over definitions": edit(
        ("    StoppingCondition: {MaxRuntimeInSeconds: 3600}\n  - DefinitionName: second\n",
         "    StoppingCondition: {MaxRuntimeInSeconds: 3600}\n    Environment:\n"
         + env(24).replace("    VAR", "      VAR") + "  - DefinitionName: second\n"),
        base=MULTI) + "    Environment:  # HPT511\n" + env(25, 24).replace("    VAR", "      VAR"),
    "511 48 summed over definitions": edit(
        ("    StoppingCondition: {MaxRuntimeInSeconds: 3600}\n  - DefinitionName: second\n",
         "    StoppingCondition: {MaxRuntimeInSeconds: 3600}\n    Environment:\n"
         + env(24).replace("    VAR", "      VAR") + "  - DefinitionName: second\n"),
        base=MULTI) + "    Environment:\n" + env(24, 24).replace("    VAR", "      VAR"),
}

OURS = {f"HPT{n}" for n in range(401, 419)} | {f"HPT{n}" for n in range(501, 512)}


def checked(text: str) -> list[tuple[str, int]]:
    result = lint_string(text)
    assert result.requests == 1
    return sorted((f.rule, f.line) for f in result.findings
                  if f.rule in OURS or f.rule.startswith("HPT1"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name: str) -> None:
    text = CASES[name]
    assert checked(text) == marks(text)


def test_every_rule_has_a_firing_case() -> None:
    fired = {rule for text in CASES.values() for rule, _ in marks(text)}
    assert fired >= OURS


def test_findings_name_the_json_path() -> None:
    result = lint_string(CASES["416 duplicate (case-insensitive) and self"])
    assert [(f.rule, f.json_path) for f in result.findings] == [
        ("HPT416", "WarmStartConfig.ParentHyperParameterTuningJobs[1].HyperParameterTuningJobName"),
        ("HPT416", "WarmStartConfig.ParentHyperParameterTuningJobs[2].HyperParameterTuningJobName"),
    ]
    result = lint_string(CASES["406 grid 12 combos vs 20"])
    (finding,) = result.findings
    assert finding.json_path == "HyperParameterTuningJobConfig.ResourceLimits." \
                                "MaxNumberOfTrainingJobs"
    assert "12 distinct combinations" in finding.message
    assert finding.fix is not None and finding.fix.edits[0].new_text == "12"


def test_hyperband_auto_offers_the_fix() -> None:
    (finding,) = lint_string(CASES["401 hyperband auto"]).findings
    assert finding.fix is not None and finding.fix.edits[0].new_text == '"Off"'


# --- Unknown values: rules never guess --------------------------------------------------------

def _definition(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "AlgorithmSpecification": {"TrainingImage": CUSTOM_IMAGE, "TrainingInputMode": "File",
                                   "MetricDefinitions": [{"Name": "auc", "Regex": "a=(.*)"}]},
        "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
        "OutputDataConfig": {"S3OutputPath": "s3://example-bucket/output/"},
        "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1,
                           "VolumeSizeInGB": 30},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    }
    base.update(extra)
    return base


def _request(config: dict[str, Any] | None = None, definition: dict[str, Any] | None = None,
             **top: Any) -> Request:
    cfg: dict[str, Any] = {"Strategy": "Bayesian",
                           "HyperParameterTuningJobObjective": {"Type": "Maximize",
                                                                "MetricName": "auc"},
                           "ResourceLimits": {"MaxNumberOfTrainingJobs": 20,
                                              "MaxParallelTrainingJobs": 2},
                           "ParameterRanges": {"ContinuousParameterRanges": [
                               {"Name": "eta", "MinValue": "0.1", "MaxValue": "0.5"}]}}
    cfg.update(config or {})
    data: dict[str, Any] = {"HyperParameterTuningJobName": "tune-1",
                            "HyperParameterTuningJobConfig": cfg,
                            "TrainingJobDefinition": definition or _definition()}
    data.update(top)
    source_map = SourceMap({(): Entry(Span(1, 1, 1, 2))})
    return Request(file="input.py", kind="python", data=data, source_map=source_map)


def _multi(**top: Any) -> Request:
    request = _request(TrainingJobDefinitions=[_definition(DefinitionName="a")], **top)
    del request.data["TrainingJobDefinition"]
    return request


def _ours(request: Request) -> list[str]:
    findings, crashed = check_request(request, Config())
    assert not crashed
    return sorted(f.rule for f in findings if f.rule in OURS)


U = Unknown("value")
GRID_RANGES = {"CategoricalParameterRanges": [{"Name": "a", "Values": ["x", "y"]}]}

UNKNOWN_CASES: dict[str, tuple[str, Request, Request]] = {
    # name: (rule, a request where it fires, the same request with an Unknown that hides it)
    "401": ("HPT401", _request({"Strategy": "Hyperband", "TrainingJobEarlyStoppingType": "Auto",
                                "StrategyConfig": {"HyperbandStrategyConfig":
                                                   {"MaxResource": 9}}}),
            _request({"Strategy": U, "TrainingJobEarlyStoppingType": "Auto",
                      "StrategyConfig": {"HyperbandStrategyConfig": {"MaxResource": 9}}})),
    "403": ("HPT403", _request({"Strategy": "Hyperband", "StrategyConfig": {
        "HyperbandStrategyConfig": {"MaxResource": 30000}}}),
            _request({"Strategy": "Hyperband", "StrategyConfig": {
                "HyperbandStrategyConfig": {"MaxResource": U}}})),
    "404": ("HPT404", _request({"Strategy": "Hyperband"}),
            _request({"Strategy": "Hyperband"}, _definition(StaticHyperParameters=U))),
    "406": ("HPT406", _request({"Strategy": "Grid", "ParameterRanges": GRID_RANGES}),
            _request({"Strategy": "Grid", "ParameterRanges": {"CategoricalParameterRanges": [
                {"Name": "a", "Values": ["x", U]}]}})),
    "408": ("HPT408", _request({"ResourceLimits": {"MaxNumberOfTrainingJobs": 2,
                                                   "MaxParallelTrainingJobs": 3}}),
            _request({"ResourceLimits": {"MaxNumberOfTrainingJobs": U,
                                         "MaxParallelTrainingJobs": 3}})),
    "409": ("HPT409", _request({"ResourceLimits": {"MaxNumberOfTrainingJobs": 4,
                                                   "MaxParallelTrainingJobs": 4}}),
            _request({"ResourceLimits": {"MaxNumberOfTrainingJobs": 4,
                                         "MaxParallelTrainingJobs": U}})),
    "412": ("HPT412", _request(definition=_definition(AlgorithmSpecification={
        "TrainingImage": CUSTOM_IMAGE, "TrainingInputMode": "File",
        "MetricDefinitions": [{"Name": "loss", "Regex": "l=(.*)"}]})),
            _request(definition=_definition(AlgorithmSpecification={
                "TrainingImage": CUSTOM_IMAGE, "TrainingInputMode": "File",
                "MetricDefinitions": [{"Name": U, "Regex": "l=(.*)"}]}))),
    "412 image": ("HPT412", _request(definition=_definition(AlgorithmSpecification={
        "TrainingImage": CUSTOM_IMAGE, "TrainingInputMode": "File"})),
                  _request(definition=_definition(AlgorithmSpecification={
                      "TrainingImage": U, "TrainingInputMode": "File"}))),
    "413": ("HPT413", _request(definition=_definition(AlgorithmSpecification={
        "TrainingImage": CUSTOM_IMAGE, "TrainingInputMode": "File",
        "MetricDefinitions": [{"Name": "auc", "Regex": "a=.*"}]})),
            _request(definition=_definition(AlgorithmSpecification={
                "TrainingImage": CUSTOM_IMAGE, "TrainingInputMode": "File",
                "MetricDefinitions": [{"Name": "auc", "Regex": U}]}))),
    "416": ("HPT416", _request(WarmStartConfig={
        "WarmStartType": "TransferLearning",
        "ParentHyperParameterTuningJobs": [{"HyperParameterTuningJobName": "tune-1"}]}),
            _request(WarmStartConfig={
                "WarmStartType": "TransferLearning",
                "ParentHyperParameterTuningJobs": [{"HyperParameterTuningJobName": U}]})),
    "417": ("HPT417", _request({"ResourceLimits": {"MaxNumberOfTrainingJobs": 20,
                                                   "MaxParallelTrainingJobs": 2,
                                                   "MaxRuntimeInSeconds": 600}}),
            _request({"ResourceLimits": {"MaxNumberOfTrainingJobs": 20,
                                         "MaxParallelTrainingJobs": 2,
                                         "MaxRuntimeInSeconds": 600}},
                     _definition(StoppingCondition={"MaxRuntimeInSeconds": U}))),
    "502": ("HPT502", _request(definition=_definition(StoppingCondition={
        "MaxRuntimeInSeconds": 60, "MaxWaitTimeInSeconds": 60})),
            _request(definition=_definition(StoppingCondition={
                "MaxRuntimeInSeconds": 60, "MaxWaitTimeInSeconds": 60},
                EnableManagedSpotTraining=U))),
    "504": ("HPT504", _request(definition=_definition(StoppingCondition={
        "MaxRuntimeInSeconds": 60, "MaxWaitTimeInSeconds": 60}, EnableManagedSpotTraining=True)),
            _request(definition=_definition(StoppingCondition={
                "MaxRuntimeInSeconds": 60, "MaxWaitTimeInSeconds": 60},
                EnableManagedSpotTraining=U))),
    "505": ("HPT505", _request(definition=_definition(StoppingCondition={
        "MaxRuntimeInSeconds": 9_999_999})),
            _request(definition=_definition(StoppingCondition={"MaxRuntimeInSeconds": U}))),
    "507": ("HPT507", _request(definition=_definition(ResourceConfig={
        "InstanceType": "ml.p4d.24xlarge", "InstanceCount": 1, "VolumeKmsKeyId": "k"})),
            _request(definition=_definition(ResourceConfig={
                "InstanceType": U, "InstanceCount": 1, "VolumeKmsKeyId": "k"}))),
    "508": ("HPT508", _request(definition=_definition(InputDataConfig=[{
        "ChannelName": "train", "CompressionType": "Gzip",
        "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://b/k"}}}])),
            _request(definition=_definition(InputDataConfig=[{
                "ChannelName": "train", "CompressionType": "Gzip", "InputMode": U,
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix",
                                                "S3Uri": "s3://b/k"}}}]))),
    "510": ("HPT510", _request(definition=_definition(ResourceConfig={
        "InstanceType": "ml.m5.xlarge", "InstanceCount": 0, "VolumeSizeInGB": 30})),
            _request(definition=_definition(ResourceConfig={
                "InstanceType": "ml.m5.xlarge", "InstanceCount": U, "VolumeSizeInGB": 30}))),
    # an Unknown value might be nothing (None) at all, so it never proves a conflict
    "402 presence": ("HPT402", _request({"StrategyConfig": {}}), _request({"StrategyConfig": U})),
    "410 presence": ("HPT410", _request(TrainingJobDefinitions=[_definition()]),
                     _request(TrainingJobDefinitions=U)),
    "415 presence": ("HPT415", _multi(WarmStartConfig={"WarmStartType": "TransferLearning"}),
                     _multi(WarmStartConfig=U)),
    "502 presence": ("HPT502", _request(definition=_definition(StoppingCondition={
        "MaxRuntimeInSeconds": 60, "MaxWaitTimeInSeconds": 60})),
            _request(definition=_definition(StoppingCondition={
                "MaxRuntimeInSeconds": 60, "MaxWaitTimeInSeconds": U}))),
    "506 presence": ("HPT506", _request(definition=_definition(
        HyperParameterTuningResourceConfig={"InstanceType": "ml.m5.xlarge"})),
            _request(definition=_definition(HyperParameterTuningResourceConfig=U))),
    "507 presence": ("HPT507", _request(definition=_definition(ResourceConfig={
        "InstanceType": "ml.p4d.24xlarge", "InstanceCount": 1, "VolumeKmsKeyId": "k"})),
            _request(definition=_definition(ResourceConfig={
                "InstanceType": "ml.p4d.24xlarge", "InstanceCount": 1, "VolumeKmsKeyId": U}))),
    "509 presence": ("HPT509", _request(definition=_definition(AlgorithmSpecification={
        "TrainingImage": CUSTOM_IMAGE, "AlgorithmName": "algo", "TrainingInputMode": "File"})),
            _request(definition=_definition(AlgorithmSpecification={
                "TrainingImage": CUSTOM_IMAGE, "AlgorithmName": U,
                "TrainingInputMode": "File"}))),
}


@pytest.mark.parametrize("name", sorted(UNKNOWN_CASES))
def test_unknown_values_silence_the_rule(name: str) -> None:
    rule, firing, hidden = UNKNOWN_CASES[name]
    assert rule in _ours(firing)
    assert rule not in _ours(hidden)


def test_an_unknown_whole_config_silences_everything() -> None:
    request = _request()
    request.data["HyperParameterTuningJobConfig"] = U
    request.data["TrainingJobDefinition"] = U
    assert _ours(request) == []


# --- the facts the rules read ----------------------------------------------------------------

def test_facts_local_storage() -> None:
    assert facts.has_local_storage("ml.g5.2xlarge") is True
    assert facts.has_local_storage("ml.p4de.24xlarge") is True
    assert facts.has_local_storage("ml.trn1n.32xlarge") is True
    assert facts.has_local_storage("ml.m5.xlarge") is False
    assert facts.has_local_storage("ml.g7.2xlarge") is None
    assert facts.has_local_storage("m5.xlarge") is None


def test_facts_accelerators() -> None:
    assert facts.gpus("ml.p4d.24xlarge") == 8
    assert facts.gpus("ml.g5.12xlarge") == 4
    assert facts.gpus("ml.m5.xlarge") == 0
    assert facts.gpus("ml.trn1.32xlarge") == 0
    assert facts.accelerators("ml.trn1.32xlarge") == 16
    assert facts.gpus("ml.g7.2xlarge") is None


def test_facts_builtin_algorithms() -> None:
    xgb = facts.builtin_algorithm(
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1")
    assert xgb is not None and xgb.name == "xgboost"
    assert xgb.objective_metrics is not None
    assert xgb.objective_metrics["validation:rmse"] == "Minimize"
    assert xgb.objective_metrics["validation:auc"] == "Maximize"
    assert facts.builtin_algorithm(CUSTOM_IMAGE) is None
    assert facts.builtin_algorithm("localhost:5000/team/xgboost-custom:1") is None
    assert facts.image_repository("123.dkr.ecr.us-east-1.amazonaws.com/a/b@sha256:00") == "a/b"
