"""The composite GitHub Action (``action.yml``), run without GitHub.

A small runner reads ``action.yml`` and does what the Actions runner does for a
composite action: it substitutes the ``${{ }}`` expressions the action uses (inputs,
``github.*``, ``runner.temp``, earlier steps' outputs; any other expression fails the
test), runs each step's ``run:`` with ``bash --noprofile --norc -eo pipefail`` in its
``working-directory``, with ``GITHUB_ACTION_PATH``, ``GITHUB_WORKSPACE``,
``GITHUB_OUTPUT``, ``RUNNER_TEMP`` and ``GITHUB_ACTIONS`` set, reads the step outputs
from ``GITHUB_OUTPUT``, stops at the first failing step, and evaluates the action's
outputs. Most tests point the ``executable`` input at the installed hpt-lint; one
(marked ``slow``, still run) exercises the real install from the action's checkout.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import FormatChecker
from jsonschema.validators import validator_for

from tests.ci_support import TWO_FAULTS_JSON, TWO_FAULTS_YAML, git_repo, write
from tests.conftest import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
SCHEMA = json.loads((Path(__file__).parent / "vendor" / "sarif-schema-2.1.0.json")
                    .read_text(encoding="utf-8"))
SARIF = validator_for(SCHEMA)(SCHEMA, format_checker=FormatChecker())
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
INSTALLED = shutil.which("hpt-lint", path=os.path.dirname(sys.executable))


@dataclass
class Run:
    code: int  # the exit code of the step that ended the action
    outputs: dict[str, str]  # the action's outputs
    log: str  # what the steps printed (stdout and stderr)


def _parse_outputs(text: str) -> dict[str, str]:
    """``name=value`` lines and ``name<<DELIM`` blocks, as the runner reads them."""
    out: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body = []
            for more in lines:
                if more == delimiter:
                    break
                body.append(more)
            out[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            out[name] = value
    return out


def run_action(workspace: Path, tmp: Path, **inputs: str) -> Run:
    declared = ACTION["inputs"]
    unknown = set(inputs) - set(declared)
    assert not unknown, f"the action has no inputs {unknown}"
    values = {name: str(spec.get("default", "")) for name, spec in declared.items()}
    values |= inputs
    temp = tmp / "runner-temp"
    temp.mkdir(exist_ok=True)
    steps: dict[str, dict[str, str]] = {}
    context = {"github.action_path": str(ROOT), "github.workspace": str(workspace),
               "runner.temp": str(temp)}

    def evaluate(match: re.Match[str]) -> str:
        expr = match.group(1)
        if m := re.fullmatch(r"inputs\.([\w-]+)", expr):
            return values[m.group(1)]
        if m := re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr):
            return steps.get(m.group(1), {}).get(m.group(2), "")
        if expr in context:
            return context[expr]
        raise AssertionError(f"action.yml uses an expression this runner does not know: {expr}")

    def sub(text: Any) -> str:
        return EXPRESSION.sub(evaluate, str(text))

    log = []
    code = 0
    base_env = {k: v for k, v in os.environ.items()
                if not k.startswith(("GITHUB_", "INPUT_", "RUNNER_", "HPT_LINT"))}
    for n, step in enumerate(ACTION["runs"]["steps"]):
        assert "uses" not in step and "if" not in step, "the runner knows run: steps only"
        assert step["shell"] == "bash"
        assert "${{" not in step["run"], "inputs must reach scripts through env:"
        output_file = tmp / f"github-output-{n}"
        output_file.write_text("")
        env = {**base_env, "GITHUB_ACTIONS": "true", "GITHUB_ACTION_PATH": str(ROOT),
               "GITHUB_WORKSPACE": str(workspace), "GITHUB_OUTPUT": str(output_file),
               "RUNNER_TEMP": str(temp)}
        env |= {k: sub(v) for k, v in (step.get("env") or {}).items()}
        script = tmp / f"step-{n}.sh"
        script.write_text(step["run"], encoding="utf-8")
        cwd = sub(step.get("working-directory", "${{ github.workspace }}"))
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                              cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
        log.append(proc.stdout + proc.stderr)
        steps[step.get("id", str(n))] = _parse_outputs(output_file.read_text())
        code = proc.returncode
        if code:
            break
    outputs = {name: sub(spec["value"]) for name, spec in ACTION["outputs"].items()}
    return Run(code, outputs, "".join(log))


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A repository with faulty requests, a clean one, and names that need care."""
    root = git_repo(tmp_path / "checkout")
    write(root / "jobs" / "a.yaml", TWO_FAULTS_YAML)
    write(root / "jobs" / "b b.json", TWO_FAULTS_JSON)
    write(root / "jobs" / "clean.yaml", TWO_FAULTS_YAML.replace('MinValue: "0"', 'MinValue: "1"')
          .replace("num_round: 200", "num_round: '200'"))
    write(root / "build" / "skipped.yaml", TWO_FAULTS_YAML)  # default exclude
    return root


def _sarif(path: Path) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    errors = sorted(SARIF.iter_errors(log), key=str)
    assert not errors, [e.message for e in errors[:5]]
    return log


def test_faulty_checkout_fails_with_annotations_and_sarif(checkout: Path,
                                                          tmp_path: Path) -> None:
    assert INSTALLED is not None
    result = run_action(checkout, tmp_path, executable=INSTALLED)
    assert result.code == 1, result.log
    assert result.outputs == {"exit-code": "1", "sarif-file": "hpt-lint.sarif", "findings": "4"}
    log = _sarif(checkout / "hpt-lint.sarif")
    located = sorted((r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]
                      ["uri"]) for r in log["runs"][0]["results"])
    assert located == [("HPT103", "jobs/a.yaml"), ("HPT103", "jobs/b%20b.json"),
                       ("HPT304", "jobs/a.yaml"), ("HPT304", "jobs/b%20b.json")]
    annotations = [line for line in result.log.splitlines() if line.startswith("::error ")]
    assert len(annotations) == 4
    assert "::error file=jobs/a.yaml,line=10,col=19,endLine=10,endColumn=22,title=HPT304" \
        in result.log


def test_inputs_reach_the_command(checkout: Path, tmp_path: Path) -> None:
    assert INSTALLED is not None
    write(checkout / "ci" / "lenient.yaml", "ignore: [HPT103]\n")
    result = run_action(checkout, tmp_path, executable=INSTALLED,
                        paths="jobs/a.yaml\njobs/clean.yaml", config="ci/lenient.yaml",
                        format="text", **{"sarif-file": "out/lint.sarif"})
    assert result.code == 2  # out/ does not exist: the SARIF cannot be written
    assert result.outputs["exit-code"] == "2"
    (checkout / "out").mkdir()
    result = run_action(checkout, tmp_path, executable=INSTALLED,
                        paths="jobs/a.yaml\njobs/clean.yaml", config="ci/lenient.yaml",
                        format="text", **{"sarif-file": "out/lint.sarif"})
    assert result.code == 1
    assert result.outputs == {"exit-code": "1", "sarif-file": "out/lint.sarif",
                              "findings": "1"}
    assert "jobs/a.yaml:10:19: HPT304 [error]" in result.log
    assert "Found 1 finding (1 error) in 1 of 2 files (2 requests)." in result.log
    rules = {r["ruleId"] for r in _sarif(checkout / "out" / "lint.sarif")["runs"][0]["results"]}
    assert rules == {"HPT304"}


def test_fail_on_and_no_sarif(checkout: Path, tmp_path: Path) -> None:
    assert INSTALLED is not None
    write(checkout / ".hpt-lint.yaml", "severity: {HPT304: warning, HPT103: warning}\n")
    result = run_action(checkout, tmp_path, executable=INSTALLED, **{
        "fail-on": "error", "sarif-file": ""})
    assert result.code == 0, result.log
    assert result.outputs == {"exit-code": "0", "sarif-file": "", "findings": ""}
    assert not (checkout / "hpt-lint.sarif").exists()
    assert result.log.count("::warning ") == 4


def test_a_broken_config_is_exit_2(checkout: Path, tmp_path: Path) -> None:
    assert INSTALLED is not None
    write(checkout / ".hpt-lint.yaml", "selec: [HPT3]\n")
    result = run_action(checkout, tmp_path, executable=INSTALLED)
    assert (result.code, result.outputs["exit-code"]) == (2, "2")
    assert "unknown key 'selec' (did you mean 'select'?)" in result.log


@pytest.mark.slow
def test_the_action_installs_hpt_lint_from_its_own_checkout(checkout: Path,
                                                            tmp_path: Path) -> None:
    """The real install step: a fresh venv under RUNNER_TEMP, pip install of the action's
    checkout (``GITHUB_ACTION_PATH``), then the same gate."""
    result = run_action(checkout, tmp_path, python=sys.executable)
    assert result.code == 1, result.log
    assert result.outputs == {"exit-code": "1", "sarif-file": "hpt-lint.sarif", "findings": "4"}
    installed = tmp_path / "runner-temp" / "hpt-lint-venv" / "bin" / "hpt-lint"
    assert installed.is_file()
    version = subprocess.run([str(installed), "--version"], capture_output=True, text=True,
                             check=True).stdout
    assert version.startswith("hpt-lint, version ")
