"""HPT601/HPT602: what the secret detector finds, what it must not find, and that a
secret's value reaches no output (every registered format, source excerpts,
fingerprints), whether or not the rules are enabled.

Every secret below is a fake in the real format (AWS's documented example keys, random
characters); none is a live credential.
"""

from __future__ import annotations

import json
import re

import pytest

from hpt_lint.config import Config
from hpt_lint.reporters import FORMATS, Options, render
from tests.conftest import found, lint_string

HEAD = """\
HyperParameterTuningJobName: secret-test
HyperParameterTuningJobConfig:
  Strategy: Random
  HyperParameterTuningJobObjective: {Type: Maximize, MetricName: "validation:auc"}
  ResourceLimits: {MaxNumberOfTrainingJobs: 4, MaxParallelTrainingJobs: 2}
  ParameterRanges:
    ContinuousParameterRanges:
      - {Name: eta, MinValue: "0.01", MaxValue: "0.5"}
TrainingJobDefinition:
  AlgorithmSpecification:
    TrainingImage: 123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1
    TrainingInputMode: File
  RoleArn: arn:aws:iam::123456789012:role/SageMakerRole
  OutputDataConfig: {S3OutputPath: "s3://example-bucket/output/"}
  ResourceConfig: {InstanceType: ml.m5.xlarge, InstanceCount: 1, VolumeSizeInGB: 30}
  StoppingCondition: {MaxRuntimeInSeconds: 3600}
"""
FIRST_LINE = HEAD.count("\n") + 2  # the first entry under the map header


def request_with(section: str, name: str, value: str) -> str:
    """HEAD plus one entry ``name: value`` (a JSON string literal, valid YAML) in
    ``StaticHyperParameters`` or ``Environment``."""
    return HEAD + f"  {section}:\n    {json.dumps(name)}: {json.dumps(value)}\n"


# (kind expected in the message, name, value): one realistic fake per kind.
RECALL = [
    ("AWS access key id", "aws_access_key_id", "AKIAIOSFODNN7EXAMPLE"),
    ("AWS access key id", "key", "ASIAY34FZKBOKMUTVV7A"),
    ("AWS secret access key", "aws_secret_access_key",
     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("AWS secret access key", "s3_secret", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"),
    ("GitHub token", "github", "ghp_4f9GhT2kLmN8pQrS1tUvW3xYz5aBcD7eFgH0"),
    ("GitHub token", "repo_pat", "github_pat_11ABCDEFG0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789"),
    ("GitLab token", "gitlab", "glpat-Xy7Zk2Lm9Pq4Rs8Tv1Wn"),
    ("Slack token", "slack_bot", "xoxb-2048123456-5150123456789-Ab3dEf6hIj9kLm2nOp5qRs8t"),
    ("Slack webhook URL", "notify_url",
     "https://hooks.slack.com/services/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"),
    ("Hugging Face token", "hub_model", "hf_kVqZrTbLwXyNdPfHgJmScAe4R7u2T9oQiE"),
    ("OpenAI-style API key", "llm", "sk-proj-Q3v8ZyTn4mW1xK7pL2rB9cF6hJ0dG5sA"),
    ("OpenAI-style API key", "judge", "sk-ant-api03-Zq8Xw2Ev5Rt7Yu1Io4Pa6Sd9Fg3Hj0Kl"),
    ("Stripe secret key", "billing", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
    ("Google API key", "maps", "AIzaSyD3xQ9v8Ww2Yk7Lm4Np1Rs6Tu0Vx5Zb3Cd"),
    ("npm token", "registry", "npm_aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6"),
    ("JSON Web Token", "bearer_header",
     "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
     "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"),
    # as an environment variable holds it: one line, with literal \n escapes
    ("private key", "ssh_key", "-----BEGIN OPENSSH PRIVATE KEY-----\\n"
     "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\\n"
     "-----END OPENSSH PRIVATE KEY-----"),
    ("credentials in a URL", "database", "postgresql://trainer:Zx9!pQ2wLm@db.internal:5432/ml"),
    ("credentials in a URL", "dataset_url",
     "https://example-bucket.s3.amazonaws.com/train.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256"
     "&X-Amz-Signature=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
    ("secret under the name 'db_password'", "db_password", "Tr0ub4dor&3-horse-Staple"),
    ("secret under the name 'wandb_api_key'", "wandb_api_key",
     "7d2b9e4a1c8f3e6b0a5d2c9f4e7b1a8d3c6f0e5b"),
    ("secret under the name 'apiToken'", "apiToken", "2b7e1516-28ae-d2a6-abf7-158809cf4f3c"),
    ("secret under the name 'api_key'", "trainer_config",
     '{"wandb": {"project": "llm", "api_key": "5e884898da28047151d0e56f8dc6292773603d0d"}}'),
]


@pytest.mark.parametrize(("kind", "name", "value"), RECALL, ids=[r[1] for r in RECALL])
def test_recall_in_hyperparameters(kind: str, name: str, value: str) -> None:
    result = lint_string(request_with("StaticHyperParameters", name, value))
    assert found(result) == [("HPT601", FIRST_LINE)]
    message = result.findings[0].message
    assert f"looks like a {kind};" in message
    assert value not in message


@pytest.mark.parametrize(("kind", "name", "value"), RECALL[:3] + RECALL[-4:],
                         ids=[r[1] for r in RECALL[:3] + RECALL[-4:]])
def test_recall_in_environment(kind: str, name: str, value: str) -> None:
    env_name = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).upper()  # apiToken -> API_TOKEN
    result = lint_string(request_with("Environment", env_name, value))
    assert found(result) == [("HPT602", FIRST_LINE)]
    assert kind.replace(repr(name), repr(env_name)) in result.findings[0].message


# (name, value): ordinary hyperparameters and environment variables.
NOT_SECRETS = [
    ("learning_rate", "0.001"),
    ("optimizer", "adam"),
    ("objective", "binary:logistic"),
    ("train_data", "s3://example-bucket/train/part-0000.parquet"),
    ("checkpoint_s3_uri", "s3://example-bucket/ckpt/epoch=3-step=1200.ckpt"),
    ("tracking_uri", "https://mlflow.example.com:5000/api/2.0"),
    ("callback_url", "https://hooks.example.com/training-done?run=tune-42"),
    ("network", '{"layers": [64, 32], "activation": "relu", "dropout": 0.1}'),
    ("max_tokens", "512"),
    ("max_new_tokens", "2048"),
    ("tokenizer", "bert-base-uncased"),
    ("pad_token", "<|finetune_right_pad_id|>"),
    ("eos_token", "</s>"),
    ("_kvstore", "dist_sync"),
    ("run_id", "3f2b8c1e-4a5d-4e6f-9a7b-1c2d3e4f5a6b"),
    ("commit", "9fceb02d0ae598e95dc970b74767f19372d61af8"),
    ("data_sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("model_id", "meta-llama/Llama-3.1-8B-Instruct"),
    ("sagemaker_program", "train.py"),
    ("sagemaker_submit_directory", "s3://example-bucket/code/sourcedir.tar.gz"),
    ("framework", "sk-learn-random-forest-classifier"),
    ("hf_token_secret_arn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:hf-AbCdEf"),
    ("WANDB_API_KEY_SECRET_ID", "wandb/api-key"),
    ("api_key_path", "/opt/ml/input/config/api_key.txt"),
    ("password", "${DB_PASSWORD}"),
    ("auth_token", "{{resolve:secretsmanager:hf-token}}"),
    ("aws_region", "us-east-1"),
    ("aws_build_commit", "9fceb02d0ae598e95dc970b74767f19372d61af8"),
    ("token_budget", "4096"),
    ("secret_rotation", "true"),
    ("NCCL_SOCKET_IFNAME", "eth0"),
    ("SM_FRAMEWORK_PARAMS", '{"sagemaker_distributed_dataparallel_enabled": true}'),
]


@pytest.mark.parametrize(("name", "value"), NOT_SECRETS, ids=[n for n, _ in NOT_SECRETS])
@pytest.mark.parametrize("section", ["StaticHyperParameters", "Environment"])
def test_ordinary_values_are_not_secrets(section: str, name: str, value: str) -> None:
    result = lint_string(request_with(section, name, value))
    assert result.requests == 1
    assert [f for f in result.findings if f.rule.startswith("HPT6")] == []
    assert result.secrets == ()


SECRETS = {
    "hf_token": "hf_kVqZrTbLwXyNdPfHgJmScAe4R7u2T9oQiE",
    "aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "db": "postgresql://trainer:Zx9!pQ2wLm@db.internal:5432/ml",
    "trainer_config": '{"wandb": {"api_key": "5e884898da28047151d0e56f8dc6292773603d0d"}}',
}
ENV_SECRET = "7d2b9e4a1c8f3e6b0a5d2c9f4e7b1a8d3c6f0e5b"
PRIVATE_KEY_BODY = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"
LEAKS = [*SECRETS.values(), ENV_SECRET, PRIVATE_KEY_BODY,
         "5e884898da28047151d0e56f8dc6292773603d0d", "Zx9!pQ2wLm"]


def _leaky_request() -> str:
    lines = [HEAD.rstrip("\n"), "  StaticHyperParameters:"]
    lines += [f"    {name}: {json.dumps(value)}" for name, value in SECRETS.items()]
    lines += ["    deploy_key: |", "      -----BEGIN OPENSSH PRIVATE KEY-----",
              f"      {PRIVATE_KEY_BODY}", "      -----END OPENSSH PRIVATE KEY-----",
              "  Environment:", f"    WANDB_API_KEY: {ENV_SECRET}",
              # a structural fault on a secret's line: its message and excerpt are masked too
              f"    HF_TOKEN: {{value: {SECRETS['hf_token']}}}", ""]
    return "\n".join(lines)


@pytest.mark.parametrize("config", [Config(), Config(ignore=("HPT6",))],
                         ids=["rules-on", "rules-off"])
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_secret_reaches_any_output_format(fmt: str, config: Config) -> None:
    result = lint_string(_leaky_request(), config=config)
    rules = {f.rule for f in result.findings}
    assert "HPT103" in rules  # the HF_TOKEN map: reported, with the value masked
    if config.ignore:
        assert not rules & {"HPT601", "HPT602"}
    else:
        # HF_TOKEN's map is the wrong type (HPT103), and the token inside it is flagged
        assert sorted(f.rule for f in result.findings if f.rule.startswith("HPT6")) == \
            ["HPT601"] * 5 + ["HPT602"] * 2
    for show_source in (True, False):
        output = render(fmt, [result], Options(show_source=show_source))
        assert output.strip()
        for leak in LEAKS:
            assert leak not in output, f"{fmt} output shows a secret"
    for finding in result.findings:
        for leak in LEAKS:
            assert leak not in finding.fingerprint
            assert leak not in finding.message
            assert leak not in json.dumps(finding.extra)


def test_text_excerpt_shows_the_masked_line() -> None:
    result = lint_string(_leaky_request())
    output = render("text", [result], Options(show_source=True))
    excerpts = [line for line in output.splitlines() if " | " in line and "hf_token" in line]
    assert excerpts == ["     18 |     hf_token: ********"]  # the value's span, quotes too


def test_a_secret_findings_fingerprint_does_not_depend_on_the_secret() -> None:
    """An unsalted hash of the value would let anyone holding a baseline or a SARIF file
    confirm a guessed password; the fingerprint is rule, file, JSON path (and order)."""
    one = lint_string(request_with("StaticHyperParameters", "hf_token", SECRETS["hf_token"]))
    other = lint_string(request_with("StaticHyperParameters", "hf_token",
                                     "hf_bWqZrTbLwXyNdPfHgJmScAe4R7u2T9oQiX"))
    weak = lint_string(request_with("StaticHyperParameters", "hf_token", "Passw0rd!2024"))
    prints = {r.findings[0].fingerprint for r in (one, other, weak)}
    assert [r.findings[0].rule for r in (one, other, weak)] == ["HPT601"] * 3
    assert len(prints) == 1 and len(prints.pop()) == 32


def test_a_json_value_nested_too_deep_is_not_a_crash() -> None:
    deep = '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"
    result = lint_string(request_with("StaticHyperParameters", "config", deep))
    assert result.requests == 1 and not result.internal_error
    assert [f for f in result.findings if f.rule.startswith("HPT6")] == []


HOSTILE = {  # values built to make a backtracking pattern quadratic (~100 KB each)
    "scheme-runs": "a." * 25_000 + "://" + "x?" * 25_000,
    "many-urls": "x://a?" * 17_000,
    "user-info": "x://a:bbb" * 11_000,
    "query-params": "?token=aaaaaaaaa" * 6_000,
    "key-header": "-----BEGIN " + "A " * 50_000,
    "jwt-parts": "eyJaaaaaaaaa." * 8_000,
}


@pytest.mark.parametrize("value", HOSTILE.values(), ids=list(HOSTILE))
def test_detection_is_linear_time_on_hostile_values(value: str) -> None:
    import time

    from hpt_lint.secret_scan import classify

    start = time.perf_counter()
    classify("api_token", value)
    # linear: ~0.1 s here; the quadratic patterns this replaced took minutes
    assert time.perf_counter() - start < 5
