"""``hpt_lint.guard``: every create_hyper_parameter_tuning_job call on a guarded boto3
client is linted before botocore builds the request. Offline: botocore's Stubber
answers in place of AWS, with fake credentials and a fixed region."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

boto3 = pytest.importorskip("boto3", reason="boto3 (the test extra) is not installed")
from botocore.stub import Stubber  # noqa: E402

import hpt_lint  # noqa: E402
from hpt_lint.config import Config  # noqa: E402
from tests.test_api import CLEAN, faulty  # noqa: E402

ARN = "arn:aws:sagemaker:us-east-1:123456789012:hyper-parameter-tuning-job/xgb-tune"
RESPONSE = {"HyperParameterTuningJobArn": ARN}
HF_TOKEN = "hf_kVqZrTbLwXyNdPfHgJmScAe4R7u2T9oQiE"


@pytest.fixture(autouse=True)
def _offline_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def _plain_client() -> Any:
    return boto3.client("sagemaker", region_name="us-east-1")


def _session_client() -> Any:
    return boto3.Session(region_name="us-east-1").client("sagemaker")


CLIENTS: list[Callable[[], Any]] = [_plain_client, _session_client]


@pytest.fixture(params=CLIENTS, ids=["boto3.client", "Session().client"])
def stubbed(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Stubber]]:
    client = request.param()
    with Stubber(client) as stubber:
        yield client, stubber


def test_a_faulty_request_raises_before_anything_is_sent(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_response("create_hyper_parameter_tuning_job", RESPONSE)
    hpt_lint.guard(client)
    with pytest.raises(hpt_lint.HptLintError) as caught:
        client.create_hyper_parameter_tuning_job(**faulty())
    error = caught.value
    assert isinstance(error, ValueError)
    assert [f.rule for f in error.findings] == ["HPT304", "HPT103", "HPT102"]
    assert "HPT304 [error] HyperParameterTuningJobConfig.ParameterRanges" in str(error)
    assert "3 findings at or above error" in str(error)
    with pytest.raises(AssertionError):  # the stubbed response is still queued: not sent
        stubber.assert_no_pending_responses()


def test_a_clean_request_reaches_the_service(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_response("create_hyper_parameter_tuning_job", RESPONSE, expected_params=CLEAN)
    hpt_lint.guard(client)
    response = client.create_hyper_parameter_tuning_job(**copy.deepcopy(CLEAN))
    assert response["HyperParameterTuningJobArn"] == ARN
    stubber.assert_no_pending_responses()


def test_findings_below_fail_on_are_logged_not_raised(
        stubbed: tuple[Any, Stubber], caplog: pytest.LogCaptureFixture) -> None:
    client, stubber = stubbed
    stubber.add_response("create_hyper_parameter_tuning_job", RESPONSE)
    hpt_lint.guard(client, config=Config(severity={"HPT304": hpt_lint.Severity.WARNING}))
    request = copy.deepcopy(CLEAN)
    request["HyperParameterTuningJobConfig"]["ParameterRanges"]["ContinuousParameterRanges"][
        0]["MinValue"] = "0"
    with caplog.at_level(logging.INFO, logger="hpt_lint"):
        client.create_hyper_parameter_tuning_job(**request)
    stubber.assert_no_pending_responses()
    records = [(r.name, r.levelno, r.getMessage()) for r in caplog.records]
    assert len(records) == 1
    name, level, message = records[0]
    assert (name, level) == ("hpt_lint", logging.WARNING)
    assert message.startswith("HPT304 [warning] HyperParameterTuningJobConfig.ParameterRanges."
                              "ContinuousParameterRanges[0].MinValue: ")


def test_fail_on_warning_raises_for_warnings(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_response("create_hyper_parameter_tuning_job", RESPONSE)
    hpt_lint.guard(client, fail_on="warning",
                   config=Config(severity={"HPT304": hpt_lint.Severity.WARNING}))
    request = copy.deepcopy(CLEAN)
    request["HyperParameterTuningJobConfig"]["ParameterRanges"]["ContinuousParameterRanges"][
        0]["MinValue"] = "0"
    with pytest.raises(hpt_lint.HptLintError, match="at or above warning"):
        client.create_hyper_parameter_tuning_job(**request)


def test_secrets_are_masked_in_the_error(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_response("create_hyper_parameter_tuning_job", RESPONSE)
    hpt_lint.guard(client)
    request = copy.deepcopy(CLEAN)
    request["TrainingJobDefinition"]["StaticHyperParameters"]["hf_token"] = HF_TOKEN
    with pytest.raises(hpt_lint.HptLintError) as caught:
        client.create_hyper_parameter_tuning_job(**request)
    assert [f.rule for f in caught.value.findings] == ["HPT601"]
    assert HF_TOKEN not in str(caught.value)
    assert HF_TOKEN not in repr(caught.value.findings)
    with pytest.raises(AssertionError):
        stubber.assert_no_pending_responses()


def test_guard_is_idempotent_and_removable(stubbed: tuple[Any, Stubber],
                                           caplog: pytest.LogCaptureFixture) -> None:
    client, stubber = stubbed
    stubber.add_response("create_hyper_parameter_tuning_job", RESPONSE)
    first = hpt_lint.guard(client)
    second = hpt_lint.guard(client, fail_on="error")
    assert second.active and not first.active
    request = copy.deepcopy(CLEAN)
    request["TrainingJobDefinition"]["StaticHyperParameters"]["hf_token"] = HF_TOKEN
    with pytest.raises(hpt_lint.HptLintError) as caught:
        client.create_hyper_parameter_tuning_job(**request)
    assert len(caught.value.findings) == 1  # linted once, not once per guard() call
    second.remove()
    assert not second.active
    assert hpt_lint.unguard(client) is False
    with caplog.at_level(logging.DEBUG, logger="hpt_lint"):
        client.create_hyper_parameter_tuning_job(**request)  # unguarded: sent as it is
    stubber.assert_no_pending_responses()
    assert not [r for r in caplog.records if r.name == "hpt_lint"]


def test_unguard_and_context_manager(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_response("create_hyper_parameter_tuning_job", RESPONSE)
    with hpt_lint.guard(client) as handle:
        assert handle.active
        with pytest.raises(hpt_lint.HptLintError):
            client.create_hyper_parameter_tuning_job(**faulty())
    assert not handle.active
    hpt_lint.guard(client)
    assert hpt_lint.unguard(client) is True
    client.create_hyper_parameter_tuning_job(**copy.deepcopy(CLEAN))
    stubber.assert_no_pending_responses()


def test_guarding_one_client_leaves_others_alone() -> None:
    guarded, other = _plain_client(), _plain_client()
    hpt_lint.guard(guarded)
    with Stubber(other) as stubber:
        stubber.add_response("create_hyper_parameter_tuning_job", RESPONSE)
        # botocore's own validation would reject the unknown key; use a fault only
        # hpt-lint knows about (log scaling from 0)
        request = copy.deepcopy(CLEAN)
        request["HyperParameterTuningJobConfig"]["ParameterRanges"][
            "ContinuousParameterRanges"][0]["MinValue"] = "0"
        other.create_hyper_parameter_tuning_job(**request)
        stubber.assert_no_pending_responses()


def test_other_operations_are_not_linted(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    hpt_lint.guard(client)
    stubber.add_response("stop_hyper_parameter_tuning_job", {})
    # a name hpt-lint would reject (HPT201) in a CreateHyperParameterTuningJob request
    client.stop_hyper_parameter_tuning_job(HyperParameterTuningJobName="xgb_tune")
    stubber.assert_no_pending_responses()


def test_guard_needs_a_sagemaker_client() -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    with pytest.raises(TypeError, match="SageMaker client"):
        hpt_lint.guard(s3)
    with pytest.raises(ValueError):
        hpt_lint.guard(_plain_client(), fail_on="fatal")
