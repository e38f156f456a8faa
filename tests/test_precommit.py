"""The pre-commit manifest: which files each hook selects (with pre-commit's own
file-type library, ``identify``), and the real ``pre-commit try-repo`` run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from identify.identify import tags_from_path

from tests.ci_support import TWO_FAULTS_YAML
from tests.conftest import ROOT

MANIFEST = ROOT / ".pre-commit-hooks.yaml"
HOOKS = {h["id"]: h for h in yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))}
GIT = ["git", "-c", "user.name=hpt-lint tests", "-c", "user.email=tests@hpt-lint.invalid",
       "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]

WORKFLOW = """name: ci
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: python -m pytest
"""
K8S = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: "nginx:1.27", ports: [{containerPort: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
"""
PACKAGE_JSON = '{"name": "site", "version": "1.0.0", "scripts": {"build": "vite build"}}\n'
VALID = (ROOT / "examples" / "valid-bayesian.yaml").read_text(encoding="utf-8")


def selected(hook: dict[str, Any], path: Path, rel: str) -> bool:
    """pre-commit's file selection for one hook (``files``/``exclude`` regexes, then
    ``types`` AND, ``types_or`` OR, ``exclude_types``), on identify's tags."""
    tags = tags_from_path(str(path))
    return (re.search(hook.get("files", ""), rel) is not None
            and re.search(hook.get("exclude", "^$"), rel) is None
            and set(hook.get("types", ["file"])) <= tags
            and (not hook.get("types_or") or bool(tags & set(hook["types_or"])))
            and not tags & set(hook.get("exclude_types", [])))


def test_manifest() -> None:
    assert list(HOOKS) == ["hpt-lint", "hpt-lint-python"]
    for hook in HOOKS.values():
        assert hook["language"] == "python"
        assert hook["entry"] == "hpt-lint check --force-exclude"
        assert hook["minimum_pre_commit_version"] == "2.9.0"  # types_or
        assert "pass_filenames" not in hook
    assert HOOKS["hpt-lint"]["types_or"] == ["json", "yaml"]
    assert HOOKS["hpt-lint"]["exclude_types"] == ["jupyter"]  # a notebook is JSON too
    assert HOOKS["hpt-lint-python"]["types_or"] == ["python", "jupyter"]


YAML_JSON = ["tune.yaml", "jobs/tune.yml", "cli-input.json", ".github/workflows/ci.yml",
             "k8s/deploy.yaml", ".hpt-lint.yaml", "TUNE.YAML", "package.json"]
PYTHON = ["train.py", "notebooks/tune.ipynb", "bin/launch"]  # bin/launch: python shebang
NEITHER = ["README.md", "pyproject.toml", "stack.template", "notes.txt", "Makefile",
           "tune.yaml.j2", "data.csv"]


@pytest.mark.parametrize(("hook_id", "must_match", "must_not_match"), [
    ("hpt-lint", YAML_JSON, PYTHON + NEITHER),
    ("hpt-lint-python", PYTHON, YAML_JSON + NEITHER),
])
def test_hook_selects_the_right_files(tmp_path: Path, hook_id: str, must_match: list[str],
                                      must_not_match: list[str]) -> None:
    for rel in must_match + must_not_match:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("#!/usr/bin/env python3\nprint(1)\n" if rel == "bin/launch" else "{}\n",
                        encoding="utf-8")
        if rel == "bin/launch":
            path.chmod(0o755)
    hook = HOOKS[hook_id]
    assert [r for r in must_match if not selected(hook, tmp_path / r, r)] == []
    assert [r for r in must_not_match if selected(hook, tmp_path / r, r)] == []


# -- the real pre-commit --------------------------------------------------------


FAULTY_PY = """import boto3

sm = boto3.client("sagemaker")
config = {"Strategy": "bayesian", "ResourceLimits": {"MaxParallelTrainingJobs": 2}}
sm.create_hyper_parameter_tuning_job(HyperParameterTuningJobName=name,
                                     HyperParameterTuningJobConfig=config,
                                     TrainingJobDefinition=definition)
"""


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository holding this source tree as it is now (committed or not, so
    the test checks the working tree, from a developer's checkout or a CI clone)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    try:
        listed = _git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    except subprocess.CalledProcessError:
        pytest.skip("the source tree is not a git work tree")
    repo = tmp_path_factory.mktemp("hooks-repo")
    for rel in filter(None, listed.split("\0")):
        src = ROOT / rel
        if src.is_file() and not rel.startswith("tests/"):
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, repo / rel)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "hpt-lint under test")
    return repo


def try_repo(hooks: Path, target: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GIT_"))}
    env |= {"PRE_COMMIT_HOME": str(home), "GITHUB_ACTIONS": "false", "NO_COLOR": "1"}
    _git(target, "add", "-A")
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hooks),
                           "--all-files", "--color", "never"],
                          cwd=target, env=env, capture_output=True, text=True, timeout=600)


def target_repo(path: Path, files: dict[str, str]) -> Path:
    path.mkdir()
    _git(path, "init", "-q")
    for rel, text in files.items():
        (path / rel).parent.mkdir(parents=True, exist_ok=True)
        (path / rel).write_text(text, encoding="utf-8")
    return path


def test_pre_commit_passes_ordinary_repositories_and_fails_faulty_requests(
        hooks_repo: Path, tmp_path: Path) -> None:
    files = {".github/workflows/ci.yml": WORKFLOW, "k8s/deploy.yaml": K8S,
             "web/package.json": PACKAGE_JSON, "jobs/valid.yaml": VALID,
             "scripts/train.py": "import boto3\n",
             ".hpt-lint.yaml": "exclude: [legacy/]\n",
             "legacy/old-tune.yaml": TWO_FAULTS_YAML}  # excluded: --force-exclude
    ok = try_repo(hooks_repo, target_repo(tmp_path / "ok", files), tmp_path / "home")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert re.search(r"^hpt-lint\.+Passed$", ok.stdout, re.M), ok.stdout
    assert re.search(r"^hpt-lint \(Python and notebooks\)\.+Passed$", ok.stdout, re.M)
    assert "HPT" not in ok.stdout

    bad = try_repo(hooks_repo, target_repo(tmp_path / "bad", files | {
        "jobs/tune.yaml": TWO_FAULTS_YAML, "scripts/tune.py": FAULTY_PY}), tmp_path / "home")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert re.search(r"^hpt-lint\.+Failed$", bad.stdout, re.M), bad.stdout
    assert re.search(r"^hpt-lint \(Python and notebooks\)\.+Failed$", bad.stdout, re.M)
    assert "scripts/tune.py:4:23: HPT104 [error]" in bad.stdout
    assert "jobs/tune.yaml:10:19: HPT304 [error]" in bad.stdout
    assert "jobs/tune.yaml:15:16: HPT103 [error]" in bad.stdout
    assert "legacy/" not in bad.stdout
