"""Fixes: edit application, fix selection, --fix/--diff round trips, disable comments."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from hpt_lint.cli import main
from hpt_lint.config import Config
from hpt_lint.findings import Finding, Fix, Severity, TextEdit
from hpt_lint.fix import (
    OverlapError,
    apply_edits,
    choose_fixes,
    disable_fix,
    fix_text,
    unified_diff,
)
from tests.conftest import lint_string

FIX = Path(__file__).resolve().parent / "fixtures" / "fix"


def test_edits_apply_bottom_up_in_code_points() -> None:
    text = 'a: "é😀"\nb: 1\nc: x\n'
    edits = [TextEdit(3, 4, 3, 5, "y"), TextEdit(1, 5, 1, 7, "ok"), TextEdit(2, 4, 2, 4, "0")]
    assert apply_edits(text, edits) == 'a: "ok"\nb: 01\nc: y\n'


def test_edits_are_clamped_to_lines_and_text() -> None:
    assert apply_edits("ab\ncd", [TextEdit(1, 2, 1, 99, "X")]) == "aX\ncd"  # "\n" kept
    assert apply_edits("ab\n", [TextEdit(5, 1, 5, 1, "z")]) == "ab\nz"


def test_overlapping_edits_are_refused() -> None:
    with pytest.raises(OverlapError):
        apply_edits("abcdef", [TextEdit(1, 1, 1, 4, "x"), TextEdit(1, 3, 1, 5, "y")])
    with pytest.raises(OverlapError):  # two insertions at one point: order unknown
        apply_edits("abc", [TextEdit(1, 2, 1, 2, "x"), TextEdit(1, 2, 1, 2, "y")])
    assert apply_edits("abc", [TextEdit(1, 1, 1, 2, "x"), TextEdit(1, 2, 1, 3, "y")]) == "xyc"


def _finding(line: int, col: int, end: int, new: str, rule: str = "HPT104") -> Finding:
    return Finding(rule=rule, name="n", severity=Severity.ERROR, message="m", file="f",
                   line=line, column=col, end_line=line, end_column=end, json_path="p",
                   fix=Fix("t", (TextEdit(line, col, line, end, new),)))


def test_choose_fixes_skips_overlaps_and_duplicates() -> None:
    text = "abcdef\nghij\n"
    first, overlapping, duplicate, other = (_finding(1, 1, 4, "X"), _finding(1, 3, 5, "Y"),
                                            _finding(1, 1, 4, "X", "HPT103"),
                                            _finding(2, 1, 2, "Z"))
    # in file order (then rule id): HPT103's fix is taken, HPT104's identical one merged
    assert choose_fixes(text, [other, overlapping, first, duplicate]) == [duplicate, other]


def test_fix_yaml_round_trip_keeps_comments_and_lints_clean() -> None:
    text = (FIX / "faulty.yaml").read_text(encoding="utf-8")
    outcome = fix_text(text, "faulty.yaml", Config())
    # OFF is first quoted (HPT103: YAML 1.1 reads it as false), then re-cased (HPT104)
    assert [f.rule for f in outcome.applied] == ["HPT103", "HPT103", "HPT102", "HPT104"]
    assert outcome.passes == 2
    assert outcome.after == (FIX / "faulty.fixed.yaml").read_text(encoding="utf-8")
    assert outcome.after.count("#") == text.count("#")  # every comment kept
    assert lint_string(outcome.after).findings == []


def test_fix_json_round_trip() -> None:
    text = (FIX / "faulty.json").read_text(encoding="utf-8")
    outcome = fix_text(text, "faulty.json", Config())
    assert sorted(f.rule for f in outcome.applied) == ["HPT102", "HPT103", "HPT104", "HPT104"]
    assert outcome.after == (FIX / "faulty.fixed.json").read_text(encoding="utf-8")
    assert lint_string(outcome.after, ".json").findings == []


def test_fix_respects_the_rule_selection() -> None:
    text = (FIX / "faulty.yaml").read_text(encoding="utf-8")
    outcome = fix_text(text, "faulty.yaml", Config(ignore=("HPT102",)))
    assert "StopingCondition" in outcome.after
    assert "HPT102" not in {f.rule for f in outcome.applied}


def test_cli_fix_writes_in_place_and_reports(tmp_path: Path) -> None:
    target = tmp_path / "job.yaml"
    shutil.copy(FIX / "faulty.yaml", target)
    result = CliRunner().invoke(main, ["check", "--fix", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == (FIX / "faulty.fixed.yaml").read_text(
        encoding="utf-8")
    assert f"{target}:29:3: fixed HPT102 (Rename `StopingCondition` to `StoppingCondition`)" \
        in result.stderr
    assert "Fixed 4 findings in 1 file." in result.stderr
    assert "No findings" in result.stdout


def test_cli_fix_keeps_a_byte_order_mark_and_crlf(tmp_path: Path) -> None:
    target = tmp_path / "job.yaml"
    text = (FIX / "faulty.yaml").read_text(encoding="utf-8").replace("\n", "\r\n")
    target.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = CliRunner().invoke(main, ["check", "--fix", str(target)])
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:].decode("utf-8") == (FIX / "faulty.fixed.yaml").read_text(
        encoding="utf-8").replace("\n", "\r\n")


def test_cli_diff_shows_without_writing(tmp_path: Path) -> None:
    target = tmp_path / "job.json"
    shutil.copy(FIX / "faulty.json", target)
    before = target.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--diff", str(target)])
    assert result.exit_code == 1
    assert target.read_text(encoding="utf-8") == before
    expected = unified_diff(str(target), before,
                            (FIX / "faulty.fixed.json").read_text(encoding="utf-8"))
    assert result.stdout == expected
    assert '-    "Strategy": "bayesian",\n+    "Strategy": "Bayesian",\n' in result.stdout
    assert "Would fix 4 findings in 1 file." in result.stderr
    shutil.copy(FIX / "faulty.fixed.json", target)
    clean = CliRunner().invoke(main, ["check", "--diff", str(target)])
    assert (clean.exit_code, clean.stdout) == (0, "")


def test_disable_comment_is_appended_or_merged() -> None:
    text = "a:\n  b: 1  # note\n  c: 2  # hpt-lint: disable=HPT101\n"
    fix = disable_fix(text, 2, "HPT103", "x.yaml")
    assert fix is not None and fix.title == "Disable HPT103 on this line"
    assert apply_edits(text, fix.edits).split("\n")[1] == \
        "  b: 1  # note  # hpt-lint: disable=HPT103"
    merged = disable_fix(text, 3, "HPT103", "x.yaml")
    assert merged is not None
    assert apply_edits(text, merged.edits).split("\n")[2] == \
        "  c: 2  # hpt-lint: disable=HPT101,HPT103"
    assert disable_fix(text, 3, "HPT101", "x.yaml") is None  # already disabled


def test_disable_comment_never_changes_a_value() -> None:
    text = 'HyperParameterTuningJobName: "a\n  b"\n'
    assert disable_fix(text, 1, "HPT201", "x.yaml") is None  # inside a quoted scalar
    assert disable_fix('{"a": 1}\n', 1, "HPT102", "x.json") is None  # JSON has no comments


def test_keeps_parsing_rejects_an_edit_that_breaks_the_file() -> None:
    from hpt_lint.fix import keeps_parsing

    text = '{"HyperParameterTuningJobName": "a"}\n'
    assert keeps_parsing(text, [TextEdit(1, 33, 1, 36, '"b"')], "x.json")
    assert not keeps_parsing(text, [TextEdit(1, 33, 1, 36, '"b')], "x.json")
