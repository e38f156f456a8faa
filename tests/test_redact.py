"""Secrets reach no output, in any spelling: every leak of issue 12 as a regression
test, and a hypothesis property over spellings, file kinds and output formats.

"Hidden" means: no piece of the secret's random part of ``MIN_PIECE`` (4) characters
or more appears in the output (``hpt_lint.redact`` explains the threshold). Every
secret is a fake in a real format; none is a live credential.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from hpt_lint.baseline import dumps as baseline_dumps
from hpt_lint.cli import main
from hpt_lint.config import Config
from hpt_lint.extract import describe, extract
from hpt_lint.lint import FileResult
from hpt_lint.loaders import load_text
from hpt_lint.redact import MASK, MIN_PIECE
from hpt_lint.reporters import FORMATS, Options, render
from tests.conftest import lint_string
from tests.test_secrets import HEAD

GITHUB = "ghp_4f9GhT2kLmN8pQrS1tUvW3xYz5aBcD7eFgH0"
HF = "hf_kVqZrTbLwXyNdPfHgJmScAe4R7u2T9oQiE"
AWS_ID = "AKIAY34FZKBOKMUTVV7A"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq3Xw9Tk"
JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
       "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
PUBLIC_PREFIXES = ("ghp_", "hf_", "AKIA", "eyJ")


def pieces(secret: str) -> set[str]:
    """Every ``MIN_PIECE``-character piece of the secret but its public format prefix."""
    body = next((secret[len(p):] for p in PUBLIC_PREFIXES if secret.startswith(p)), secret)
    return {body[i:i + MIN_PIECE] for i in range(len(body) - MIN_PIECE + 1)}


_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|\\(/)|\\\n\s*|\"\s*\"")


def decoded(output: str) -> str:
    """``output`` with the escapes a file may spell a secret with undone (``\\x41``,
    ``\\u0067``, ``\\/``), continued lines joined and ``"ab" "cd"`` concatenated: what a
    reader of the output could recover."""
    def undo(m: re.Match[str]) -> str:
        code = m.group(1) or m.group(2)
        return chr(int(code, 16)) if code else (m.group(3) or "")
    return _ESCAPE.sub(undo, output)


def leaks(output: str, secret: str) -> list[str]:
    """Pieces of the secret in ``output``, as printed or once its escapes are undone."""
    plain = decoded(output)
    return sorted(p for p in pieces(secret) if p in output or p in plain)


def outputs(result: FileResult) -> dict[str, str]:
    """Every way a lint result is shown: each report format (with source excerpts),
    the baseline file, and the extract of the file's requests."""
    shown = {fmt: render(fmt, [result], Options(show_source=True)) for fmt in FORMATS}
    shown["baseline"] = baseline_dumps([result])
    if result.requests:
        suffix = "." + result.file.rsplit(".", 1)[-1]
        requests = load_text(result.text or "", result.file, suffix)
        shown["extract"] = json.dumps([describe(r) for r in requests], ensure_ascii=False)
    return shown


def assert_hidden(result: FileResult, secret: str) -> None:
    for name, text in outputs(result).items():
        assert leaks(text, secret) == [], f"{name} output shows a piece of the secret"


def rules_at(result: FileResult) -> list[tuple[str, int]]:
    return sorted((f.rule, f.line) for f in result.findings if f.rule.startswith("HPT6"))


# -- the source spells the value differently from its parsed form ---------------

def _json_request(name: str, value: str) -> str:
    data = yaml.safe_load(HEAD)
    data["TrainingJobDefinition"]["StaticHyperParameters"] = {name: value}
    return json.dumps(data, indent=2)


SPELLED = {
    # JSON: "\/" and "\u0067" are "/" and "g"
    "json-solidus": (".json", _json_request("aws_secret_access_key", AWS_SECRET).replace(
        AWS_SECRET, AWS_SECRET.replace("/", "\\/")), AWS_SECRET, 41),
    "json-unicode-escape": (".json", _json_request("github", GITHUB).replace(
        GITHUB, "\\u0067" + GITHUB[1:]), GITHUB, 41),
    # YAML: "\x2F" is "/"; a double-quoted scalar continued on the next line
    "yaml-hex-escape": (".yaml", HEAD + '  StaticHyperParameters:\n    aws_secret_access_key: "'
                        + AWS_SECRET.replace("/", "\\x2F") + '"\n', AWS_SECRET, 18),
    "yaml-folded": (".yaml", HEAD + '  StaticHyperParameters:\n    github: "' + GITHUB[:20]
                    + '\\\n      ' + GITHUB[20:] + '"\n', GITHUB, 18),
}


@pytest.mark.parametrize(("suffix", "text", "secret", "line"), SPELLED.values(),
                         ids=list(SPELLED))
def test_a_secret_spelled_differently_is_masked_by_its_span(suffix: str, text: str,
                                                            secret: str, line: int) -> None:
    result = lint_string(text, suffix)
    assert rules_at(result) == [("HPT601", line)]
    assert_hidden(result, secret)
    excerpt = render("text", [result], Options(show_source=True))
    assert MASK in excerpt


PY_HEAD = '''\
import boto3

client = boto3.client("sagemaker")
client.create_hyper_parameter_tuning_job(
    HyperParameterTuningJobName="secret-test",
    HyperParameterTuningJobConfig={
        "Strategy": "Random",
        "ResourceLimits": {"MaxNumberOfTrainingJobs": 4, "MaxParallelTrainingJobs": 2},
    },
    TrainingJobDefinition={
        "AlgorithmSpecification": {"TrainingImage": IMAGE, "TrainingInputMode": "File"},
        "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
        "OutputDataConfig": {"S3OutputPath": "s3://example-bucket/output/"},
        "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1,
                           "VolumeSizeInGB": 30},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        "StaticHyperParameters": {
'''
PY_LINE = PY_HEAD.count("\n") + 1


def python_request(entry: str) -> str:
    return PY_HEAD + f"            {entry},\n        }},\n    }},\n)\n"


PYTHON_SPELLED = {
    "implicit-concatenation": (f'"github": "{GITHUB[:18]}" "{GITHUB[18:]}"', GITHUB),
    "hex-escape": (f'"key_id": "\\x41{AWS_ID[1:]}"', AWS_ID),
}


@pytest.mark.parametrize(("entry", "secret"), PYTHON_SPELLED.values(),
                         ids=list(PYTHON_SPELLED))
def test_a_python_literal_spelled_differently_is_masked(entry: str, secret: str) -> None:
    result = lint_string(python_request(entry), ".py")
    assert rules_at(result) == [("HPT601", PY_LINE)]
    assert_hidden(result, secret)


def test_a_notebook_cell_is_masked_by_the_span_in_the_ipynb_file() -> None:
    """In a notebook the cell's source is a JSON string: ``\\x67`` is written ``\\\\x67``."""
    code = python_request(f'"github": "\\x67{GITHUB[1:]}"')
    text = json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                                  "execution_count": None,
                                  "source": code.splitlines(keepends=True)}],
                       "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
                       "nbformat": 4, "nbformat_minor": 5}, indent=1)
    result = lint_string(text, ".ipynb")
    assert [f.rule for f in result.findings if f.rule.startswith("HPT6")] == ["HPT601"]
    assert_hidden(result, GITHUB)
    excerpt = render("text", [result], Options(show_source=True))
    assert '\\"github\\": ********,' in excerpt


# -- values known only at run time keep their literals ---------------------------

UNKNOWN = {
    "method-call": (f'"github": "{GITHUB}".strip()', GITHUB),
    "concatenation": (f'"hf_token": "{HF}" + suffix', HF),
    "conditional": (f'"token": x if c else "{GITHUB}"', GITHUB),
    "escaped-and-split": (f'"token": ("\\x67{GITHUB[1:20]}" "{GITHUB[20:]}").strip()', GITHUB),
    "default-password": ('"db_password": os.environ.get("PW") or "Zq81!Lx9#Tv4@Pw7"',
                         "Zq81!Lx9#Tv4@Pw7"),
}


@pytest.mark.parametrize(("entry", "secret"), UNKNOWN.values(), ids=list(UNKNOWN))
def test_a_literal_inside_an_unknown_value_is_flagged_and_masked(entry: str,
                                                                 secret: str) -> None:
    config = Config(extend_select=("HPT003",))  # HPT003 quotes unknown values' source
    result = lint_string(python_request(entry), ".py", config=config)
    assert rules_at(result) == [("HPT601", PY_LINE)]
    assert "is built at run time from a literal that looks like a" in next(
        f.message for f in result.findings if f.rule == "HPT601")
    assert "HPT003" in {f.rule for f in result.findings}
    assert_hidden(result, secret)


@pytest.mark.parametrize("key", ["method-call", "concatenation", "conditional"])
def test_a_literal_inside_an_unknown_value_is_reported_at_the_literal(key: str) -> None:
    entry, secret = UNKNOWN[key]
    text = python_request(entry)
    (finding,) = [f for f in lint_string(text, ".py").findings if f.rule == "HPT601"]
    line = text.splitlines()[finding.line - 1]
    assert finding.end_line == finding.line
    assert line[finding.column - 1:finding.end_column - 1] == f'"{secret}"'


def test_a_whole_section_built_at_run_time_is_scanned() -> None:
    """``Environment=make_env(...)``: the section itself is unknown, its literals are not;
    a token is a token whatever argument it is (no name judges it)."""
    text = python_request('"lr": "0.1"').replace(
        '        "StaticHyperParameters": {', f'        "Environment": make_env("{GITHUB}"),\n'
        '        "StaticHyperParameters": {')
    result = lint_string(text, ".py")
    assert rules_at(result) == [("HPT602", PY_LINE - 1)]  # the Environment line
    assert_hidden(result, GITHUB)


def test_a_hyperparameter_named_environment_is_still_a_hyperparameter() -> None:
    result = lint_string(HEAD + f"  StaticHyperParameters:\n    Environment: {GITHUB}\n")
    assert rules_at(result) == [("HPT601", HEAD.count("\n") + 2)]


def test_an_argument_that_names_a_secret_is_not_one() -> None:
    """``os.environ["DB_PASSWORD"]``: the literal is a variable's name, not a password."""
    for entry in ('"db_password": os.environ["DB_PASSWORD_FOR_TRAINING"]',
                  '"api_key": get_secret("prod/wandb-api-key-v2")',
                  '"password": x if os.environ.get("USE_PROD_PASSWORD") else y',
                  # a piece of the value is no password: only token formats count there
                  '"api_token": "projects/my-project-7f3a/" + token_id',
                  '"secret_key": "Bearer {}".format(tok)',
                  '"auth_token": f"tok-{env}-Xq81Lz9pW2"'):
        result = lint_string(python_request(entry), ".py")
        assert rules_at(result) == [], entry


def test_cloudformation_references_to_secrets_are_not_secrets() -> None:
    text = HEAD + ('  Environment:\n'
                   '    HF_TOKEN: !Sub "{{resolve:secretsmanager:${HfSecret}:SecretString:tok}}"\n'
                   '    API_TOKEN: !Sub "${AWS::Region}-token-prefix-Xq81Lz9p-${Env}"\n'
                   '    DB_PASSWORD: !If [UseProductionDatabasePassword, !Ref A, !Ref B]\n')
    assert rules_at(lint_string(text)) == []


CFN_YAML = HEAD + f'  Environment:\n    HF_TOKEN: !Sub "{HF}${{Suffix}}"\n' \
    f'    GH_TOKEN: !Join ["", ["{GITHUB[:20]}", "{GITHUB[20:]}"]]\n' \
    '    DB_NAME: !Ref DatabaseName\n'


def test_cloudformation_intrinsics_in_yaml_are_scanned() -> None:
    config = Config(extend_select=("HPT003",))
    result = lint_string(CFN_YAML, ".yaml", config=config)
    first = HEAD.count("\n") + 2
    assert rules_at(result) == [("HPT602", first), ("HPT602", first + 1)]
    assert_hidden(result, HF)
    assert_hidden(result, GITHUB)


def test_a_step_functions_join_is_scanned(tmp_path: Path) -> None:
    data = yaml.safe_load(HEAD)
    data["TrainingJobDefinition"]["Environment"] = {
        "HF_TOKEN": {"Fn::Join": ["", [HF[:12], HF[12:]]]}}
    machine = {"StartAt": "Tune", "States": {"Tune": {
        "Type": "Task", "End": True,
        "Resource": "arn:aws:states:::sagemaker:createHyperParameterTuningJob.sync",
        "Parameters": data}}}
    text = json.dumps(machine, indent=2)
    result = lint_string(text, ".json", config=Config(extend_select=("HPT003",)))
    assert [f.rule for f in result.findings if f.rule.startswith("HPT6")] == ["HPT602"]
    assert_hidden(result, HF)
    (tmp_path / "machine.asl.json").write_text(text)
    assert leaks(json.dumps(extract([tmp_path])), HF) == []


# -- parse errors and policy messages never quote values ------------------------

BROKEN = {
    "tag": HEAD + f"  StaticHyperParameters:\n    api_key: !!int {GITHUB}\n",
    "broken-line": HEAD + f"  StaticHyperParameters:\n    api_key: {GITHUB}: x\n",
    "unterminated": HEAD + f'  StaticHyperParameters:\n    api_key: "{GITHUB}\n',
}


@pytest.mark.parametrize("text", BROKEN.values(), ids=list(BROKEN))
def test_a_parse_error_says_what_and_where_never_the_value(text: str) -> None:
    result = lint_string(text)
    assert [f.rule for f in result.findings] == ["HPT001"]
    assert result.findings[0].line >= HEAD.count("\n") + 2
    assert_hidden(result, GITHUB)


def test_the_tag_error_names_the_tag_and_the_position() -> None:
    result = lint_string(BROKEN["tag"])
    (f,) = result.findings
    assert (f.line, f.column) == (HEAD.count("\n") + 2, 14)
    assert f.message == ("a value tagged !!int is not a valid int (invalid literal for int() "
                         "with base 10); the value is not shown")


def _policy(check: dict[str, object]) -> Config:
    return Config(extra={"policies": [{"id": "ORG001", "severity": "error", "message": "m",
                                       "check": [check]}]})


@pytest.mark.parametrize("op", ["matches", "equals", "in"])
def test_a_policy_message_quoting_a_secret_truncated_or_escaped_is_masked(op: str) -> None:
    path = "TrainingJobDefinition.StaticHyperParameters.bearer_header"
    operand: object = {"matches": "^none$", "equals": "none", "in": ["none"]}[op]
    result = lint_string(HEAD + f"  StaticHyperParameters:\n    bearer_header: {JWT}\n",
                         config=_policy({"path": path, op: operand}))
    assert sorted(f.rule for f in result.findings) == ["HPT601", "ORG001"]
    assert_hidden(result, JWT)


def test_the_api_and_the_guard_error_mask_secrets() -> None:
    from hpt_lint.api import lint_request
    from hpt_lint.client_guard import HptLintError
    from hpt_lint.findings import Severity

    request = yaml.safe_load(HEAD)
    request["TrainingJobDefinition"]["StaticHyperParameters"] = {"bearer_header": JWT}
    config = _policy({"path": "TrainingJobDefinition.StaticHyperParameters.bearer_header",
                      "matches": "^none$"})
    findings = lint_request(request, config=config)
    assert {f.rule for f in findings} >= {"HPT601", "ORG001"}
    error = HptLintError(findings, Severity.ERROR)
    assert leaks(str(error), JWT) == []
    assert leaks(json.dumps([f.fingerprint for f in findings]), JWT) == []


# -- --diff, policy files, fingerprints -----------------------------------------

def test_diff_masks_secret_lines(tmp_path: Path) -> None:
    path = tmp_path / "job.yaml"
    text = HEAD.replace("Strategy: Random", "Strategy: random") + (
        '  StaticHyperParameters:\n    github: "\\x67' + GITHUB[1:] + '"\n')
    path.write_text(text.replace("  ResourceLimits:", f"  # was {GITHUB}\n  ResourceLimits:"))
    res = CliRunner().invoke(main, ["check", "--isolated", "--diff", str(path)])
    assert res.exit_code == 1, res.output
    assert "+  Strategy: Random" in res.stdout
    assert MASK in res.stdout
    assert leaks(res.stdout, GITHUB) == []


@pytest.mark.parametrize("content", [
    f"GITHUB_TOKEN={GITHUB}\nDB_PASSWORD=Tr0ub4dor&3-horse-Staple\n",
    "root:x:0:0:root:/root:/bin/bash\ndaemon:Tr0ub4dor&3-horse-Staple:1:1::/:/bin/sh\n",
    f"token: {GITHUB}: x\n",
    f"API_KEY: {GITHUB}\npolicies: [{{id: X, severity: [Tr0ub4dor&3-horse-Staple]}}]\n",
], ids=["dotenv", "passwd", "broken-yaml", "mapping"])
def test_a_file_that_is_not_a_policy_is_not_echoed(tmp_path: Path, content: str) -> None:
    (tmp_path / ".env").write_text(content)
    (tmp_path / ".hpt-lint.yaml").write_text("policy-files: [.env]\n")
    (tmp_path / "job.yaml").write_text(HEAD)
    res = CliRunner().invoke(main, ["check", str(tmp_path / "job.yaml")])
    assert res.exit_code == 2
    assert ".env" in res.stderr
    for secret in (GITHUB, "Tr0ub4dor&3-horse-Staple"):
        assert leaks(res.stderr, secret) == [], res.stderr


def test_baselines_still_recognise_a_secret_finding(tmp_path: Path) -> None:
    path = tmp_path / "job.yaml"
    path.write_text(HEAD + f"  StaticHyperParameters:\n    github: {GITHUB}\n")
    baseline = tmp_path / "baseline.json"
    runner = CliRunner()
    runner.invoke(main, ["check", "--isolated", "--baseline", str(baseline),
                         "--update-baseline", str(path)])
    assert leaks(baseline.read_text(), GITHUB) == []
    rotated = GITHUB[:-6] + "Zq81Lx"  # the same finding, another value: still known
    path.write_text(HEAD + f"  StaticHyperParameters:\n    github: {rotated}\n")
    res = runner.invoke(main, ["check", "--isolated", "--baseline", str(baseline), str(path)])
    assert res.exit_code == 0, res.output


def test_cost_masks_the_job_name_and_errors(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(HEAD.replace("secret-test", GITHUB) + (
        f"  StaticHyperParameters:\n    github: {GITHUB}\n"))
    (tmp_path / "b.yaml").write_text(BROKEN["tag"])
    for fmt in ("text", "json"):
        res = CliRunner().invoke(main, ["cost", "--format", fmt, str(tmp_path)])
        assert res.exit_code == 2
        assert leaks(res.stdout, GITHUB) == [], res.stdout


def test_lsp_diagnostics_and_hover_mask_secrets() -> None:
    from lsprotocol import types as t

    from hpt_lint.lsp.documents import Documents
    from hpt_lint.lsp.hover import rule_markdown
    from hpt_lint.lsp.positions import split_lines
    from hpt_lint.lsp.server import HptLanguageServer

    text = HEAD + f"  StaticHyperParameters:\n    bearer_header: {JWT}\n"
    analysis = Documents().analyse("file:///job.yaml", "/tmp/job.yaml", text, 1)
    server = HptLanguageServer()  # initialised as a client would, for its position encoding
    next(server.protocol.lsp_initialize(t.InitializeParams(
        capabilities=t.ClientCapabilities())), None)
    diagnostics = [server.diagnostic(split_lines(text), f) for f in analysis.findings]
    assert [d.code for d in diagnostics] == ["HPT601"]
    shown = json.dumps([d.message for d in diagnostics]) + "".join(
        rule_markdown(f, None) for f in analysis.findings)
    assert leaks(shown, JWT) == []


# -- bounds: a giant secret, and more secrets than the piece budget -------------

def test_a_giant_secret_is_masked_in_bounded_time_and_memory() -> None:
    import random
    import string
    import time

    rnd = random.Random(12)
    body = "".join(rnd.choice(string.ascii_letters + string.digits) for _ in range(300_000))
    secret = "ghp_" + body
    start = time.perf_counter()
    result = lint_string(HEAD + f"  StaticHyperParameters:\n    github: {secret}\n"
                                f"    note: \"{body[:900]}\"\n")  # a truncated copy too
    shown = render("text", [result], Options()) + render("json", [result], Options())
    assert time.perf_counter() - start < 30  # ~1 s here; each piece set is capped
    assert rules_at(result) == [("HPT601", HEAD.count("\n") + 2)]
    sample = {body[i:i + MIN_PIECE] for i in range(0, len(body) - MIN_PIECE, 997)}
    sample |= {body[:MIN_PIECE], body[-MIN_PIECE:]}
    assert sorted(p for p in sample if p in shown) == []


def test_past_the_piece_budget_every_token_is_still_masked() -> None:
    import random
    import string

    from hpt_lint.redact import MAX_PIECES, Redactor

    rnd = random.Random(7)
    tokens = ["ghp_" + "".join(rnd.choice(string.ascii_letters + string.digits)
                               for _ in range(36)) for _ in range(MAX_PIECES // 30)]
    redactor = Redactor(tokens)
    for token in (tokens[0], tokens[-1], tokens[len(tokens) // 2]):
        masked = redactor.mask(f"value {token!r} is not allowed")
        assert token[4:] not in masked and MASK in masked
    # the values indexed first (shortest, then in order) keep piece masking
    assert redactor.mask(f"prefix {min(tokens)[:20]}...") == f"prefix g{MASK}..."
