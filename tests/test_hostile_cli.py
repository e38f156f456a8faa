"""Hostile settings, paths and values: a clear exit 2 or a finding, never a traceback, and
never a silent pass (issue 12, "Crashes" and "Wrong results")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hpt_lint.api import lint_request
from hpt_lint.config import Config
from hpt_lint.lint import lint_text

from .conftest import ROOT

TIMEOUT = 60
VALID = (ROOT / "examples" / "valid-bayesian.yaml").read_text(encoding="utf-8")


def hpt_lint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HPT_LINT_JOBS": "1", "PYTHONUTF8": "1"}
    env.pop("GITHUB_ACTIONS", None)
    proc = subprocess.run([sys.executable, "-m", "hpt_lint", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr[-2000:]
    return proc


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()  # the config walk stops here
    (tmp_path / "job.yaml").write_text(VALID)
    return tmp_path


# ---- config crashes -----------------------------------------------------------------------

@pytest.mark.parametrize(("name", "text", "expected"), [
    (".hpt-lint.yaml", "123: x\n", "`123`: unknown key '123'"),
    (".hpt-lint.yaml", "~: x\n", "`~`: unknown key '~'"),
    (".hpt-lint.yaml", "select: " + "[" * 3000 + "]" * 3000 + "\n", "not valid YAML"),
    (".hpt-lint.yaml", "select: " + "[" * 300 + "]" * 300 + "\n", "nesting deeper than 64"),
    (".hpt-lint.yaml", 'exclude: ["[z-a]"]\n',
     "`exclude.0`: invalid glob '[z-a]': bad character range z-a"),
    (".hpt-lint.yaml", 'per-file-ignores: {"[z-a].yaml": [HPT1]}\n',
     "`per-file-ignores.[z-a].yaml`: invalid glob"),
    ("pyproject.toml", "tool = 5\n[x]\n", None),  # not our table: no config, a clean lint
    ("pyproject.toml", "[tool]\nhpt-lint = 5\n", "`tool.hpt-lint` must be a table"),
    ("pyproject.toml", "a = " + "[" * 3000 + "]" * 3000 + "\n[tool.hpt-lint]\n",
     "not valid TOML: nesting too deep"),
    (".hpt-lint.yaml", "policy-options:\n  cost-guardrails:\n    max-instance-hours: .nan\n",
     ".hpt-lint.yaml:3:25: nan is not a usable number here (it must be finite)"),
    ("pyproject.toml", "[tool.hpt-lint.policy-options.cost-guardrails]\n"
     "max-instance-hours = inf\n", "max-instance-hours`: inf is not a usable number"),
])
def test_bad_config_files_are_a_clear_exit_2(project: Path, name: str, text: str,
                                             expected: str | None) -> None:
    (project / name).write_text(text)
    proc = hpt_lint("check", "job.yaml", cwd=project)
    if expected is None:
        assert proc.returncode == 0, proc.stderr
        return
    assert proc.returncode == 2
    assert expected in proc.stderr
    assert proc.stderr.count("\n") <= 4  # a message, not a dump


# ---- cost ------------------------------------------------------------------------------

@pytest.mark.parametrize("jobs", ["1" + "0" * 300, "-5", "0"])
def test_cost_of_absurd_job_counts_is_unknown_not_a_crash(project: Path, jobs: str) -> None:
    (project / "job.yaml").write_text(VALID.replace("MaxNumberOfTrainingJobs: 40",
                                                    f"MaxNumberOfTrainingJobs: {jobs}"))
    assert f"MaxNumberOfTrainingJobs: {jobs}" in (project / "job.yaml").read_text()
    proc = hpt_lint("cost", "job.yaml", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert "training jobs: unknown (MaxNumberOfTrainingJobs is not a count" in proc.stdout
    assert " -5 " not in proc.stdout
    (project / "team.yaml").write_text("extends: [cost-guardrails]\n")
    check = hpt_lint("check", "--policy", "team.yaml", "--format", "json", "job.yaml",
                     cwd=project)
    assert "HPT000" not in check.stdout and check.returncode in (0, 1)


# ---- API and guard ---------------------------------------------------------------------

def _deep(levels: int) -> dict[str, Any]:
    root: dict[str, Any] = {}
    cur = root
    for _ in range(levels):
        cur["a"] = {}
        cur = cur["a"]
    return root


def _recursive() -> dict[str, Any]:
    request: dict[str, Any] = {"HyperParameterTuningJobName": "x"}
    request["Tags"] = [request]
    return request


@pytest.mark.parametrize(("request_", "file_text", "message"), [
    (_recursive(), "HyperParameterTuningJobName: &a [x, *a]\n", "recursive"),
    ({"HyperParameterTuningJobName": "x", "Tags": _deep(5000)},
     "HyperParameterTuningJobName: x\nTags: " + "[" * 300 + "]" * 300 + "\n",
     "nesting deeper than 200 levels"),
    ({"HyperParameterTuningJobName": "x",
      "HyperParameterTuningJobConfig": {"ResourceLimits": {"MaxNumberOfTrainingJobs":
                                                           10**5000}}},
     "HyperParameterTuningJobName: x\nMax: " + "9" * 5000 + "\n", "4300 digits"),
], ids=["recursive", "5000-deep", "5000-digits"])
def test_api_gives_the_file_s_hpt001(request_: dict[str, Any], file_text: str,
                                     message: str) -> None:
    findings = lint_request(request_)
    assert [f.rule for f in findings] == ["HPT001"]
    assert message in findings[0].message
    from_file = lint_text(file_text, "r.yaml", Config()).findings
    assert [f.rule for f in from_file] == ["HPT001"] and message in from_file[0].message


def test_guard_raises_hpt_lint_error_never_recursion_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    boto3 = pytest.importorskip("boto3")
    from botocore.stub import Stubber

    import hpt_lint

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    client = boto3.client("sagemaker", region_name="us-east-1")
    arn = "arn:aws:sagemaker:us-east-1:123456789012:hyper-parameter-tuning-job/x"
    with Stubber(client) as stubber:
        hpt_lint.guard(client)
        for request in (_recursive(), {"HyperParameterTuningJobName": "x",
                                       "Tags": _deep(5000)}):
            stubber.add_response("create_hyper_parameter_tuning_job",
                                 {"HyperParameterTuningJobArn": arn})
            with pytest.raises(hpt_lint.HptLintError) as caught:
                client.create_hyper_parameter_tuning_job(**request)
            assert [f.rule for f in caught.value.findings] == ["HPT001"]


# ---- paths -------------------------------------------------------------------------------

def test_a_path_that_does_not_exist_is_exit_2(project: Path) -> None:
    proc = hpt_lint("check", "missing_dir/", "job.yaml", cwd=project)
    assert proc.returncode == 2
    assert "hpt-lint: error: missing_dir: no such file or directory" in proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize("name", ["notes.txt", "Makefile"])
def test_a_named_file_of_another_kind_says_so(project: Path, name: str) -> None:
    (project / name).write_text("HyperParameterTuningJobName: x\n")
    proc = hpt_lint("check", name, cwd=project)
    assert proc.returncode == 0
    assert f"hpt-lint: warning: {name}: not a kind of file hpt-lint reads" in proc.stderr
    assert "No findings" not in proc.stdout  # nothing was checked: no claim that it passed


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-be"])
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_utf16_and_utf32_files_are_hpt001_not_utf8(project: Path, encoding: str,
                                                    suffix: str) -> None:
    text = VALID if suffix == ".yaml" else '{"HyperParameterTuningJobName": "x"}\n'
    data = text.encode(encoding) if "-" not in encoding else ("\ufeff" + text).encode(encoding)
    (project / f"wide{suffix}").write_bytes(data)
    proc = hpt_lint("check", f"wide{suffix}", cwd=project)
    assert proc.returncode == 1
    width = encoding[:6].upper()
    assert (f"wide{suffix}:1:1: HPT001 [error] not UTF-8: the file is {width} (it starts "
            f"with a {width} byte-order mark)") in proc.stdout


# ---- selectors -------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (("--select", "HTP3"), "`--select`: no rule id is or starts with 'HTP3' (did you mean "
                           "HPT3?)"),
    (("--ignore", "HPT3,SEC9"), "`--ignore`: no rule id is or starts with 'SEC9'"),
    (("--extend-select", "hpt9"), "`--extend-select`: no rule id is or starts with 'HPT9'"),
])
def test_unknown_selectors_on_the_command_line_are_exit_2(project: Path, args: tuple[str, ...],
                                                          message: str) -> None:
    proc = hpt_lint("check", *args, "job.yaml", cwd=project)
    assert proc.returncode == 2 and message in proc.stderr


def test_unknown_selectors_in_a_config_are_exit_2_but_policy_ids_are_known(
        project: Path) -> None:
    (project / ".hpt-lint.yaml").write_text("select: [HTP3]\n")
    proc = hpt_lint("check", "job.yaml", cwd=project)
    assert proc.returncode == 2
    assert ".hpt-lint.yaml: `select`: no rule id is or starts with 'HTP3' (did you mean HPT3?)" \
        in proc.stderr
    (project / ".hpt-lint.yaml").write_text(
        "select: [HPT3, ORG1, COST]\nextends: [cost-guardrails]\npolicies:\n"
        "  - {id: ORG1, severity: error, message: m, check: [{path: A, exists: true}]}\n")
    proc = hpt_lint("check", "--ignore", "COST001", "job.yaml", cwd=project)
    assert proc.returncode == 1 and "ORG1 [error]" in proc.stdout


# ---- output ------------------------------------------------------------------------------

def test_text_output_escapes_control_characters_from_keys_and_file_names(
        project: Path) -> None:
    name = "evil\x1b[31m.yaml"
    (project / name).write_text(VALID.replace(
        "  Strategy: Bayesian\n",
        '  Strategy: Bayesian\n  "\\e[2J\\n::error file=x::forged": 1\n'))
    proc = hpt_lint("check", "--no-color", name, cwd=project)
    assert proc.returncode == 1
    assert "\x1b" not in proc.stdout
    assert not any(line.startswith("::") for line in proc.stdout.splitlines())
    assert "evil\\x1b[31m.yaml:5:3: HPT102" in proc.stdout
    assert "has no member `\\x1b[2J" in proc.stdout


@pytest.mark.parametrize("value", ["!!int " + "9" * 5000, "9" * 5000, "!!int ghp_x1y2z3",
                                   "!!float abc", "!!bool maybe"])
def test_yaml_scalar_errors_never_quote_the_value(value: str) -> None:
    result = lint_text(f"HyperParameterTuningJobName: {value}\n", "v.yaml", Config())
    (finding,) = result.findings
    assert finding.rule == "HPT001" and (finding.line, finding.column) == (1, 30)
    assert value.split()[-1][:20] not in finding.message
    assert "<unicode string>" not in finding.message and len(finding.message) < 120


def test_explain_hpt000(project: Path) -> None:
    proc = hpt_lint("explain", "HPT000", cwd=project)
    assert proc.returncode == 0 and proc.stdout.startswith("# HPT000: internal-error")
