"""Editor help for built-in algorithms, through the real ``hpt-lint lsp`` process: completion
of tunable hyperparameter names and metric names, hover on a hyperparameter name."""

from __future__ import annotations

import sys

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient

from hpt_lint.lsp.completion import complete
from tests.conftest import FIXTURES

TEXT = """\
HyperParameterTuningJobName: xgb-tune
HyperParameterTuningJobConfig:
  Strategy: Bayesian
  HyperParameterTuningJobObjective:
    Type: Minimize
    MetricName: validation:rmse
  ResourceLimits: {MaxNumberOfTrainingJobs: 20, MaxParallelTrainingJobs: 2}
  ParameterRanges:
    ContinuousParameterRanges:
      - Name: eta
        MinValue: "0.1"
        MaxValue: "0.5"
    IntegerParameterRanges:
      - Name: max_depth
        MinValue: "3"
        MaxValue: "10"
TrainingJobDefinition:
  StaticHyperParameters: {objective: "reg:squarederror", num_round: "200"}
  AlgorithmSpecification:
    TrainingImage: 246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-xgboost:1.7-1
    TrainingInputMode: File
  RoleArn: arn:aws:iam::123456789012:role/SageMakerRole
  OutputDataConfig: {S3OutputPath: "s3://example-bucket/output/"}
  ResourceConfig: {InstanceType: ml.m5.xlarge, InstanceCount: 1, VolumeSizeInGB: 10}
  StoppingCondition: {MaxRuntimeInSeconds: 3600}
"""
LINES = TEXT.split("\n")


def _row(fragment: str) -> int:
    return next(i for i, line in enumerate(LINES) if fragment in line)


def test_completion_offers_the_tunable_names_of_the_range_kind_and_the_metrics() -> None:
    eta = _row("- Name: eta")
    labels = [i.label for i in complete(TEXT, eta + 1, len("      - Name: ") + 1, "yaml")]
    assert "eta" in labels and "subsample" in labels and "max_depth" not in labels
    assert "booster" not in labels  # not tunable
    metric = _row("MetricName:")
    items = complete(TEXT, metric + 1, len("    MetricName: ") + 1, "yaml")
    assert {"validation:rmse", "validation:auc"} <= {i.label for i in items}
    assert all("Maximize" in i.detail or "Minimize" in i.detail for i in items)


def test_no_algorithm_items_for_a_custom_image_or_elsewhere() -> None:
    custom = TEXT.replace("246618743249", "123456789012")
    eta = _row("- Name: eta")
    assert complete(custom, eta + 1, len("      - Name: ") + 1, "yaml") == []
    strategy = _row("Strategy:")
    assert [i.label for i in complete(TEXT, strategy + 1, len("  Strategy: ") + 1, "yaml")] \
        == ["Bayesian", "Random", "Hyperband", "Grid"]


def test_completion_in_json_uses_the_definition_image() -> None:
    text = ('{"TrainingJobDefinitions": [{"AlgorithmSpecification": {"TrainingImage": '
            '"174872318107.dkr.ecr.us-west-2.amazonaws.com/linear-learner:1"}, '
            '"HyperParameterRanges": {"ContinuousParameterRanges": [{"Name": "')
    labels = [i.label for i in complete(text, 1, len(text) + 1, "json")]
    assert labels == ["wd", "l1", "learning_rate", "positive_example_weight_mult"]


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[sys.executable, "-m", "hpt_lint", "lsp"]),
)
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(t.InitializeParams(
        capabilities=pytest_lsp.client_capabilities("visual-studio-code"),
        initialization_options={"debounce": 0.05},
    ))
    yield
    await lsp_client.shutdown_session()


URI = (FIXTURES / "lsp" / "algorithm.yaml").as_uri()


async def _hover(client: LanguageClient, line: int, character: int) -> str:
    hover = await client.text_document_hover_async(t.HoverParams(
        text_document=t.TextDocumentIdentifier(uri=URI),
        position=t.Position(line=line, character=character)))
    assert hover is not None and isinstance(hover.contents, t.MarkupContent)
    return hover.contents.value


@pytest.mark.asyncio(loop_scope="module")
async def test_hover_and_completion_in_the_server(client: LanguageClient):
    client.text_document_did_open(t.DidOpenTextDocumentParams(
        t.TextDocumentItem(uri=URI, language_id="yaml", version=1, text=TEXT)))
    await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    value = await _hover(client, _row("- Name: eta"), len("      - Name: e"))
    assert value.startswith("**eta** (XGBoost 1.7-1, continuous)")
    assert "valid values: a number in [0, 1]" in value
    assert "recommended tuning range: [0.1, 0.5]" in value
    assert "Source: https://docs.aws.amazon.com/sagemaker/latest/dg/xgboost-tuning.html" in value
    static = _row("StaticHyperParameters")
    value = await _hover(client, static, LINES[static].index("num_round") + 2)
    assert value.startswith("**num_round**") and "- required" in value
    metric = _row("MetricName:")
    value = await _hover(client, metric, len("    MetricName: valid"))
    assert value.startswith("**validation:rmse** (XGBoost 1.7-1): Minimize")
    result = await client.text_document_completion_async(t.CompletionParams(
        text_document=t.TextDocumentIdentifier(uri=URI),
        position=t.Position(line=_row("- Name: max_depth"), character=len("      - Name: "))))
    items = result.items if isinstance(result, t.CompletionList) else (result or [])
    assert [i.label for i in items] == ["num_round", "max_depth"]
    client.text_document_did_close(t.DidCloseTextDocumentParams(
        t.TextDocumentIdentifier(uri=URI)))
