"""The command line as users run it: exit codes, formats, selection."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hpt_lint.cli import main
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
VALID = EXAMPLES / "valid-bayesian.yaml"
FAULTY = EXAMPLES / "faulty-semantics.yaml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_version() -> None:
    code, out = run("--version")
    assert code == 0 and out.startswith("hpt-lint, version ")


def test_clean_file_exits_0() -> None:
    code, out = run("check", str(VALID))
    assert code == 0
    assert out == "No findings: 1 file, 1 request checked.\n"


def test_findings_exit_1_and_text_names_rule_location_and_source_line() -> None:
    code, out = run("check", str(FAULTY))
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(f"{FAULTY}:15:19: HPT304 [error] range `alpha` uses Logarithmic")
    assert first.endswith("(log-scaling-needs-positive-range)")
    assert out.splitlines()[1] == '     15 |         MinValue: "0"  # HPT304'
    assert out.splitlines()[2] == "        |                   ^^^"
    assert out.endswith("Found 5 findings (5 errors) in 1 of 1 file (1 request).\n")


def test_json_format_is_sorted_and_stable() -> None:
    code, out = run("check", "--format", "json", str(FAULTY), str(VALID))
    assert code == 1
    doc = json.loads(out)
    assert list(doc) == ["findings", "summary"]
    keys = ["rule", "name", "severity", "message", "file", "line", "column", "end_line",
            "end_column", "json_path", "fingerprint", "url"]
    assert all(list(f)[: len(keys)] == keys for f in doc["findings"])
    assert [f["line"] for f in doc["findings"]] == sorted(f["line"] for f in doc["findings"])
    assert doc["summary"]["files"] == 2 and doc["summary"]["errors"] == 5
    assert run("check", "--format", "json", str(FAULTY), str(VALID))[1] == out


@pytest.mark.parametrize(("args", "rules"), [
    (["--select", "HPT3"], {"HPT304", "HPT305"}),
    (["--select", "HPT304,HPT501"], {"HPT304", "HPT501"}),
    (["--ignore", "HPT6", "--ignore", "HPT3"], {"HPT501"}),
    (["--select", "HPT6", "--ignore", "HPT602"], {"HPT601"}),
])
def test_select_and_ignore_by_id_or_prefix(args: list[str], rules: set[str]) -> None:
    _, out = run("check", "--format", "json", *args, str(FAULTY))
    assert {f["rule"] for f in json.loads(out)["findings"]} == rules


def test_fail_on_and_exit_zero(tmp_path: Path) -> None:
    assert run("check", "--exit-zero", str(FAULTY))[0] == 0
    # only an info finding: fails with --fail-on info, passes with the default
    g = tmp_path / "b.yaml"
    g.write_text("foo: bar\n")
    assert run("check", "--extend-select", "HPT002", str(g))[0] == 0
    assert run("check", "--extend-select", "HPT002", "--fail-on", "info", str(g))[0] == 1


def test_parse_error_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"HyperParameterTuningJobName": ')
    code, out = run("check", "--no-source", str(bad))
    assert code == 1
    assert out.splitlines()[0] == (f"{bad}:1:33: HPT001 [error] invalid JSON: unexpected end "
                                   "of file, expecting a value (parse-error)")


def test_directory_walk_skips_non_requests_and_ignored_dirs(tmp_path: Path) -> None:
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text("on: push\njobs: {}\n")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "bad.yaml").write_text("HyperParameterTuningJobName: a_b\n")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "x.json").write_text("{")
    (tmp_path / "job.yaml").write_text(VALID.read_text())
    code, out = run("check", "--format", "json", str(tmp_path))
    assert code == 0
    summary = json.loads(out)["summary"]
    assert (summary["files"], summary["requests"]) == (2, 1)


def test_gitignored_files_are_skipped(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("generated/\n")
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "bad.yaml").write_text("HyperParameterTuningJobName: a_b\n")
    (tmp_path / "ok.yaml").write_text(VALID.read_text())
    code, out = run("check", "--format", "json", str(tmp_path))
    assert code == 0 and json.loads(out)["summary"]["files"] == 1


def test_rules_lists_every_rule() -> None:
    from hpt_lint.engine import all_rules

    code, out = run("rules")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == list(all_rules())
    assert "HPT304  error    log-scaling-needs-positive-range" in out


def test_explain_prints_the_doc_by_id_or_name() -> None:
    code, out = run("explain", "HPT304")
    assert code == 0 and out.startswith("# HPT304: log-scaling-needs-positive-range")
    assert run("explain", "log-scaling-needs-positive-range")[1] == out
    code, out = run("explain", "HPT999")
    assert code == 2 and "no rule 'HPT999'" in out


def test_usage_error_exits_2() -> None:
    assert run("check", "--format", "yaml")[0] == 2


def test_a_crashing_rule_is_an_internal_error_finding_and_exit_2(monkeypatch) -> None:
    from hpt_lint import engine
    from hpt_lint.checks.ranges import LogScalingNeedsPositiveRange

    def boom(self, request):
        raise RuntimeError("bug")

    monkeypatch.setattr(LogScalingNeedsPositiveRange, "check", boom)
    engine._instances.cache_clear()
    try:
        code, out = run("check", "--no-source", str(VALID))
    finally:
        engine._instances.cache_clear()
    assert code == 2
    assert "HPT000 [error] rule HPT304 crashed: RuntimeError: bug (internal-error)" in out


def test_module_entry_point_runs() -> None:
    proc = subprocess.run([sys.executable, "-m", "hpt_lint", "check", str(VALID)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_unparsable_files_that_name_no_request_member_are_not_requests(tmp_path: Path) -> None:
    """pre-commit passes every YAML/JSON file: JSONC, templates with tags we do not read and
    binary blobs named .json must not fail the hook."""
    (tmp_path / "tsconfig.json").write_text('{\n  // comment\n  "compilerOptions": {}\n}\n')
    (tmp_path / "template.yaml").write_text("Resources:\n  B: !Weird {x: 1}\n")
    (tmp_path / "blob.json").write_bytes(b"\x00\x01\x02")
    (tmp_path / "latin1.yaml").write_bytes(b"name: caf\xe9\n")
    files = sorted(str(p) for p in tmp_path.iterdir())
    assert run("check", *files) == (0, "No findings: 4 files, 0 requests checked.\n")
    code, out = run("check", "--extend-select", "HPT002", "--fail-on", "info", "--no-source",
                    str(tmp_path / "tsconfig.json"))
    assert code == 1 and "HPT002 [info] no CreateHyperParameterTuningJob request found in " \
                          "this file" in out
    assert "  help: it names no request member, so it was not parsed\n" in out


def test_unparsable_files_that_name_a_request_member_are_parse_errors(tmp_path: Path) -> None:
    bad = tmp_path / "job.yaml"
    bad.write_text("HyperParameterTuningJobName: x\n  bad: indent\n")
    binary = tmp_path / "job.json"
    binary.write_bytes(b'{"HyperParameterTuningJobName": "\xff"}')
    code, out = run("check", "--no-source", str(bad), str(binary))
    assert code == 1
    assert [line.split(": ")[1].split()[0] for line in out.splitlines()[:-1]] == [
        "HPT001", "HPT001"]


def test_jobs_gives_the_same_bytes_as_a_serial_run(tmp_path: Path) -> None:
    for i in range(30):
        source = FAULTY if i % 3 == 0 else VALID
        (tmp_path / f"job-{i:02}.yaml").write_text(source.read_text())
    serial = run("check", "--format", "json", "--jobs", "1", str(tmp_path))
    parallel = run("check", "--format", "json", "--jobs", "2", str(tmp_path))
    assert serial == parallel
    assert serial[0] == 1 and json.loads(serial[1])["summary"]["files"] == 30
    assert run("check", "--jobs", "0", str(tmp_path))[0] == 2  # usage error
