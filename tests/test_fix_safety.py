"""``--fix`` and ``--update-baseline`` never damage a file (issue 12, data loss 1-4):
no fix is reported that was not written; writes are atomic and checked; a failed write
leaves the original intact and exits 2; a baseline never replaces a request; fixes keep
the author's spelling of numbers."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hpt_lint.cli import main
from hpt_lint.config import Config

FIX = Path(__file__).resolve().parent / "fixtures" / "fix"
FAULTY = (FIX / "faulty.yaml").read_text(encoding="utf-8")
FIXED = (FIX / "faulty.fixed.yaml").read_text(encoding="utf-8")

# Pass 1 fixes `hyperband` (HPT104); only then does HPT401 ask to set the anchored
# `&stop Auto` to Off, and that edit drops the anchor `*stop` needs: the file would no
# longer parse. The guard must refuse, and then nothing at all may be written or reported.
ANCHORED = """\
HyperParameterTuningJobName: xgb-1
HyperParameterTuningJobConfig:
  Strategy: hyperband
  TrainingJobEarlyStoppingType: &stop Auto
Tags:
  - {Key: early-stopping, Value: *stop}
"""


def fix(*paths: Path) -> Result:
    return CliRunner().invoke(main, ["check", "--isolated", "--fix", *map(str, paths)])


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if "hpt-lint" in p.name)


# --- the unparseable-fix guard (issue 17) ------------------------------------------------

def test_a_refused_fix_writes_nothing_and_reports_nothing_fixed(tmp_path: Path) -> None:
    target = tmp_path / "job.yaml"
    target.write_text(ANCHORED, encoding="utf-8")
    result = fix(target)
    assert target.read_text(encoding="utf-8") == ANCHORED  # not even pass 1's fix
    assert f"{target}: the fixes for HPT401 would make the file unparseable; no fix " \
           "applied" in result.stderr
    assert "fixed" not in result.stderr.replace("no fix applied", "")
    assert "Fixed" not in result.stderr
    assert result.exit_code == 1  # the findings are still reported
    assert "HPT104" in result.stdout  # unfixed, so still reported


def test_the_guard_is_what_refuses(tmp_path: Path) -> None:
    """Without the refusal the same passes would write a file that no longer parses:
    the guard above is load-bearing, not a formality."""
    from hpt_lint.fix import apply_edits, choose_fixes
    from hpt_lint.lint import lint_text

    text = ANCHORED
    for _ in range(2):
        chosen = choose_fixes(text, lint_text(text, "job.yaml", Config()).findings)
        text = apply_edits(text, [e for f in chosen for e in f.fix.edits])  # type: ignore[union-attr]
    after = lint_text(text, "job.yaml", Config()).findings
    assert any(f.rule == "HPT001" and not f.json_path for f in after)


def test_diff_of_a_refused_file_is_empty(tmp_path: Path) -> None:
    target = tmp_path / "job.yaml"
    target.write_text(ANCHORED, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--isolated", "--diff", str(target)])
    assert result.exit_code == 0 and result.stdout == ""
    assert "no fix applied" in result.stderr


# --- atomic, checked writes -------------------------------------------------------------

def test_fix_keeps_mode_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "job.yaml"
    target.write_text(FAULTY, encoding="utf-8")
    target.chmod(0o640)
    assert fix(target).exit_code == 0
    assert target.read_text(encoding="utf-8") == FIXED
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_fix_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text(FAULTY, encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    assert fix(link).exit_code == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8") == FIXED


def test_a_file_changed_between_lint_and_write_is_not_written(tmp_path: Path) -> None:
    from hpt_lint.atomic_write import FileChanged
    from hpt_lint.fix import fix_file, write_fixed

    target = tmp_path / "job.yaml"
    target.write_text(FAULTY, encoding="utf-8")
    outcome = fix_file(target, Config(isolated=True))
    assert outcome is not None and outcome.changed
    with target.open("a", encoding="utf-8") as fh:
        fh.write("# added by an editor meanwhile\n")
    with pytest.raises(FileChanged):
        write_fixed(target, outcome)
    assert target.read_text(encoding="utf-8") == FAULTY + "# added by an editor meanwhile\n"


def test_cli_skips_a_file_appended_to_during_fix(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor saves the file while ``--fix`` works on it: the appended line survives,
    the file is skipped with a message, nothing is reported fixed."""
    import hpt_lint.fix as fix_module

    target = tmp_path / "job.yaml"
    target.write_text(FAULTY, encoding="utf-8")
    real_fix_text = fix_module.fix_text

    def fix_text_then_the_editor_saves(*args: object, **kwargs: object) -> object:
        outcome = real_fix_text(*args, **kwargs)  # type: ignore[arg-type]
        with target.open("a", encoding="utf-8") as fh:
            fh.write("# saved meanwhile\n")
        return outcome

    monkeypatch.setattr(fix_module, "fix_text", fix_text_then_the_editor_saves)
    result = fix(target)
    assert target.read_text(encoding="utf-8") == FAULTY + "# saved meanwhile\n"
    assert f"{target}: changed while hpt-lint was fixing it; not written" in result.stderr
    assert ": fixed " not in result.stderr
    assert result.exit_code == 1  # the faults are still there, and reported


def _limited_run(target: Path, max_bytes: int) -> subprocess.CompletedProcess[str]:
    def limit() -> None:  # runs in the child only
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    return subprocess.run([sys.executable, "-m", "hpt_lint", "check", "--isolated", "--fix",
                           str(target)], capture_output=True, text=True, preexec_fn=limit,
                          timeout=120, check=False)


def test_ulimit_f_leaves_the_file_intact_and_exits_2(tmp_path: Path) -> None:
    target = tmp_path / "job.yaml"
    target.write_text(FAULTY, encoding="utf-8")
    run = _limited_run(target, 64)  # the fixed file is ~1 KB: writing it fails (EFBIG)
    assert run.returncode == 2, run.stderr
    assert target.read_text(encoding="utf-8") == FAULTY
    assert f"hpt-lint: error: cannot write {target}: File too large; the file is " \
           "unchanged" in run.stderr
    assert "Traceback" not in run.stderr and ": fixed " not in run.stderr
    assert leftovers(tmp_path) == []


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[None]:
    """``chattr +i``: not even root may change, replace or (for a directory) add to it."""
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(path)], capture_output=True,
                                        check=False).returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(path)], check=False)


def test_an_immutable_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    target = tmp_path / "job.yaml"
    target.write_text(FAULTY, encoding="utf-8")
    with immutable(target):
        result = fix(target)
    assert result.exit_code == 2, result.output
    assert f"hpt-lint: error: cannot write {target}: Operation not permitted; the file " \
           "is unchanged" in result.stderr
    assert target.read_text(encoding="utf-8") == FAULTY
    assert leftovers(tmp_path) == []


def test_a_read_only_directory_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "jobs"
    folder.mkdir()
    target = folder / "job.yaml"
    target.write_text(FAULTY, encoding="utf-8")
    with immutable(folder):
        result = fix(target)
    assert result.exit_code == 2, result.output
    assert f"hpt-lint: error: cannot write {target}:" in result.stderr
    assert target.read_text(encoding="utf-8") == FAULTY
    assert leftovers(folder) == []


def test_a_failed_write_does_not_stop_the_other_files(tmp_path: Path) -> None:
    stuck, fine = tmp_path / "a.yaml", tmp_path / "b.yaml"
    for p in (stuck, fine):
        p.write_text(FAULTY, encoding="utf-8")
    with immutable(stuck):
        result = fix(stuck, fine)
    assert result.exit_code == 2
    assert stuck.read_text(encoding="utf-8") == FAULTY
    assert fine.read_text(encoding="utf-8") == FIXED
    assert f"{fine}:29:3: fixed HPT102" in result.stderr
    assert f"{stuck}:29:3: fixed" not in result.stderr


# --- numbers keep their spelling ---------------------------------------------------------

NUMBERS = """\
{
  "HyperParameterTuningJobName": "xgb-1",
  "HyperParameterTuningJobConfig": {
    "Strategy": "bayesian",
    "HyperParameterTuningJobObjective": {"Type": "Maximize", "MetricName": "validation:auc"},
    "ResourceLimits": {"MaxNumberOfTrainingJobs": 20, "MaxParallelTrainingJobs": 2},
    "ParameterRanges": {"ContinuousParameterRanges": [
      {"Name": "eta", "MinValue": 1.10, "MaxValue": 1E5, "ScalingType": "Linear"}]}
  },
  "TrainingJobDefinition": {
    "StaticHyperParameters": {"num_round": 1e999, "gamma": "2.50"},
    "AlgorithmSpecification": {
      "TrainingImage": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
      "TrainingInputMode": "File"},
    "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
    "OutputDataConfig": {"S3OutputPath": "s3://example-bucket/out/"},
    "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30},
    "StoppingCondition": {"MaxRuntimeInSeconds": 3600}
  }
}
"""


def test_json_fixes_keep_the_authors_number_spelling(tmp_path: Path) -> None:
    target = tmp_path / "job.json"
    target.write_text(NUMBERS, encoding="utf-8")
    result = fix(target)
    expected = (NUMBERS.replace('"bayesian"', '"Bayesian"')
                .replace('"MinValue": 1.10', '"MinValue": "1.10"')
                .replace('"MaxValue": 1E5', '"MaxValue": "1E5"')
                .replace('"num_round": 1e999', '"num_round": "1e999"'))
    assert target.read_text(encoding="utf-8") == expected, result.stderr
    assert "Fixed 4 findings in 1 file." in result.stderr


# --- baselines ---------------------------------------------------------------------------

def baseline_run(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", "--isolated", *args])


def test_update_baseline_never_overwrites_a_request(tmp_path: Path) -> None:
    job = tmp_path / "job.yaml"
    job.write_text(FAULTY, encoding="utf-8")
    result = baseline_run("--baseline", str(job), "--update-baseline", str(job))
    assert result.exit_code == 2
    assert job.read_text(encoding="utf-8") == FAULTY
    assert "not a baseline" in result.stderr and "refusing to overwrite" in result.stderr
    assert "Traceback" not in result.output


def test_update_baseline_into_a_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    job = tmp_path / "job.yaml"
    job.write_text(FAULTY, encoding="utf-8")
    where = tmp_path / "no" / "such" / "dir" / "baseline.json"
    result = baseline_run("--baseline", str(where), "--update-baseline", str(job))
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"hpt-lint: error: cannot write {where}: the directory " \
           f"{where.parent} does not exist" in result.stderr
    assert not where.parent.exists()


def test_a_baseline_nested_100000_deep_is_a_clear_error(tmp_path: Path) -> None:
    job = tmp_path / "job.yaml"
    job.write_text(FIXED, encoding="utf-8")
    deep = tmp_path / "baseline.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    for args in (("--baseline", str(deep)), ("--baseline", str(deep), "--update-baseline")):
        result = baseline_run(*args, str(job))
        assert result.exit_code == 2, result.output
        assert f"{deep}: not an hpt-lint baseline (nested too deeply)" in result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert deep.read_text(encoding="utf-8").startswith("[[[")


def test_update_baseline_replaces_a_baseline_or_an_empty_file(tmp_path: Path) -> None:
    job = tmp_path / "job.yaml"
    job.write_text(FAULTY, encoding="utf-8")
    base = tmp_path / "baseline.json"
    base.touch()
    assert baseline_run("--baseline", str(base), "--update-baseline", str(job)).exit_code == 0
    first = json.loads(base.read_text(encoding="utf-8"))
    assert first["tool"] == "hpt-lint" and first["findings"]
    os.chmod(base, 0o600)
    job.write_text(FIXED, encoding="utf-8")
    assert baseline_run("--baseline", str(base), "--update-baseline", str(job)).exit_code == 0
    assert json.loads(base.read_text(encoding="utf-8"))["findings"] == []
    assert stat.S_IMODE(base.stat().st_mode) == 0o600
