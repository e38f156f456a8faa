"""Baselines: record today's findings, fail only on new ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.ci_support import TWO_FAULTS_YAML, findings, run, write

SECRET = "AKIAIOSFODNN7EXAMPLE"


def test_round_trip_hides_recorded_findings(repo: Path) -> None:
    write(repo / "jobs" / "a.yaml", TWO_FAULTS_YAML)
    assert run("check", ".").exit_code == 1
    result = run("check", "--baseline", "baseline.json", "--update-baseline", ".")
    assert result.exit_code == 0
    assert "wrote 2 findings to baseline.json" in result.stderr
    doc = json.loads((repo / "baseline.json").read_text(encoding="utf-8"))
    assert doc["version"] == 1
    assert [(e["rule"], e["file"]) for e in doc["findings"]] == [
        ("HPT103", "jobs/a.yaml"), ("HPT304", "jobs/a.yaml")]
    assert all(set(e) == {"rule", "file", "fingerprint", "message_hash"}
               for e in doc["findings"])
    result = run("check", "--baseline", "baseline.json", ".")
    assert result.exit_code == 0
    assert result.stdout.startswith("No findings")


def test_edits_elsewhere_do_not_revive_and_new_faults_fail(repo: Path) -> None:
    target = write(repo / "a.yaml", TWO_FAULTS_YAML)
    run("check", "--baseline", "b.json", "--update-baseline", ".")
    # lines inserted above both findings, and a request key reordered below
    target.write_text("# tuning job for the churn model\n# owner: ml-platform\n\n"
                      + TWO_FAULTS_YAML.replace("  Strategy: Bayesian\n", "")
                      .replace("HyperParameterTuningJobConfig:\n",
                               "HyperParameterTuningJobConfig:\n  Strategy: Bayesian\n"),
                      encoding="utf-8")
    assert run("check", "--baseline", "b.json", ".").exit_code == 0
    # a new fault is reported, the old ones stay hidden
    target.write_text(target.read_text(encoding="utf-8").replace(
        "    num_round: 200  # HPT103\n", "    num_round: 200  # HPT103\n    depth: 6\n"),
        encoding="utf-8")
    result = run("check", "--format", "json", "--baseline", "b.json", ".")
    assert result.exit_code == 1
    assert findings(result) == [("a.yaml", "HPT103", 19, 12)]


def test_baseline_is_independent_of_the_working_directory(repo: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    write(repo / "jobs" / "a.yaml", TWO_FAULTS_YAML)
    run("check", "--baseline", "b.json", "--update-baseline", "jobs")
    monkeypatch.chdir(repo / "jobs")
    assert run("check", "--baseline", "../b.json", "a.yaml").exit_code == 0
    assert run("check", "--baseline", str(repo / "b.json"), str(repo)).exit_code == 0


def test_duplicate_findings_are_counted(repo: Path) -> None:
    doc = TWO_FAULTS_YAML.split("\n", 1)[1]
    target = write(repo / "a.yaml", doc + "---\n" + doc)
    run("check", "--baseline", "b.json", "--update-baseline", ".")
    assert len(json.loads((repo / "b.json").read_text())["findings"]) == 4
    target.write_text(doc + "---\n" + doc + "---\n" + doc, encoding="utf-8")
    result = run("check", "--format", "json", "--baseline", "b.json", ".")
    assert [f[1] for f in findings(result)] == ["HPT103", "HPT304"]


def test_a_secret_never_reaches_the_baseline(repo: Path) -> None:
    write(repo / "a.yaml", TWO_FAULTS_YAML.replace(
        "    num_round: 200  # HPT103\n", f"    num_round: 200  # HPT103\n    aws_key: {SECRET}\n"))
    assert "HPT601" in run("check", "--no-source", ".").stdout
    run("check", "--baseline", "b.json", "--update-baseline", ".")
    text = (repo / "b.json").read_text(encoding="utf-8")
    assert "HPT601" in text
    assert SECRET not in text
    assert SECRET[4:] not in text


def test_update_is_deterministic(repo: Path) -> None:
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    write(repo / "b" / "c.yaml", TWO_FAULTS_YAML)
    run("check", "--baseline", "one.json", "--update-baseline", ".")
    run("check", "--baseline", "two.json", "--update-baseline", "b", "a.yaml")
    assert (repo / "one.json").read_bytes() == (repo / "two.json").read_bytes()


@pytest.mark.parametrize("content", ["not json", '{"version": 7, "findings": []}',
                                     '{"version": 1, "findings": [{"rule": 1}]}'])
def test_bad_baseline_is_exit_2(repo: Path, content: str) -> None:
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    write(repo / "b.json", content)
    result = run("check", "--baseline", "b.json", ".")
    assert result.exit_code == 2
    assert "b.json" in result.stderr


def test_update_baseline_needs_a_file(repo: Path) -> None:
    result = run("check", "--update-baseline", ".")
    assert result.exit_code == 2
    assert "--update-baseline needs --baseline FILE" in result.stderr
