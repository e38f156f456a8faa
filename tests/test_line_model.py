"""One line model everywhere (issue 12, data loss 1): fixes, suppressions, the LSP's
positions, diffs and excerpts count lines as the loaders do (LF, CRLF, lone CR), and
inline directives count only in real comments (issue 12, wrong results)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from hpt_lint.cli import main
from hpt_lint.config import Config
from hpt_lint.findings import TextEdit
from hpt_lint.fix import apply_edits, disable_fix, fix_text, unified_diff
from hpt_lint.lines import LineIndex, split_lines
from hpt_lint.lsp.positions import from_client, to_client
from hpt_lint.suppress import directives
from tests.ci_support import TWO_FAULTS_YAML
from tests.conftest import lint_string

# The reproduction from the issue: a lone CR inside a comment line.
CR_IN_COMMENT = ("# a\r# b\nHyperParameterTuningJobName: xgb-1\nHyperParameterTuningJobConfig:\n"
                 "  Strategy: bayesian\n  TrainingJobEarlyStoppingType: Auto\n")
# A file whose only line breaks are CRs (classic Mac OS, some generators).
CR_ONLY = ("HyperParameterTuningJobName: xgb-1\rHyperParameterTuningJobConfig:\r"
           "  Strategy: Bayesian\r  TrainingJobEarlyStoppingType: OFF\r")
ODD_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # str.splitlines breaks at these


def _check_fix(tmp_path: Path, text: str, name: str = "s.yaml") -> tuple[str, str]:
    target = tmp_path / name
    target.write_bytes(text.encode("utf-8"))
    result = CliRunner().invoke(main, ["check", "--isolated", "--fix", str(target)])
    assert result.exit_code in (0, 1), result.output
    return target.read_bytes().decode("utf-8"), result.stderr


def test_cr_in_a_comment_fix_edits_the_right_bytes(tmp_path: Path) -> None:
    after, stderr = _check_fix(tmp_path, CR_IN_COMMENT)
    assert after == CR_IN_COMMENT.replace("Strategy: bayesian", "Strategy: Bayesian")
    assert "TrainingJobEarlyStoppingType: Auto" in after
    assert "unparseable" not in stderr
    assert f"{tmp_path / 's.yaml'}:5:13: fixed HPT104 (Change to 'Bayesian')" in stderr


def test_cr_only_file_gets_off_quoted_in_place(tmp_path: Path) -> None:
    after, stderr = _check_fix(tmp_path, CR_ONLY)
    assert after == CR_ONLY.replace("Type: OFF\r", 'Type: "Off"\r')
    assert 'OFF"OFF"' not in after and "unparseable" not in stderr
    assert "4:33: fixed HPT103" in stderr and "4:33: fixed HPT104" in stderr


def test_diff_counts_lines_like_the_loaders(tmp_path: Path) -> None:
    target = tmp_path / "s.yaml"
    target.write_bytes(CR_IN_COMMENT.encode("utf-8"))
    result = CliRunner().invoke(main, ["check", "--isolated", "--diff", str(target)])
    assert result.exit_code == 1
    assert "-  Strategy: bayesian\n+  Strategy: Bayesian\n" in result.stdout
    assert target.read_bytes().decode("utf-8") == CR_IN_COMMENT


def test_excerpt_prints_the_finding_line_of_a_cr_file() -> None:
    from hpt_lint.reporters import Options, render

    result = lint_string(CR_ONLY)
    text = render("text", [result], Options())
    assert "      4 |   TrainingJobEarlyStoppingType: OFF\n" in text


def test_disable_comment_goes_on_the_finding_line_with_lone_crs() -> None:
    finding = next(f for f in lint_string(CR_IN_COMMENT).findings if f.rule == "HPT410")
    assert finding.line == 3
    fix = disable_fix(CR_IN_COMMENT, finding.line, "HPT410", "s.yaml")
    assert fix is not None
    after = apply_edits(CR_IN_COMMENT, fix.edits)
    assert split_lines(after)[2] == "HyperParameterTuningJobName: xgb-1  # hpt-lint: disable=HPT410"
    assert "HPT410" not in {f.rule for f in lint_string(after).findings}


def test_disable_comment_never_edits_a_string_that_looks_like_a_directive() -> None:
    text = 'HyperParameterTuningJobName: "x # hpt-lint: disable=HPT101"\n'
    fix = disable_fix(text, 1, "HPT410", "x.yaml")
    assert fix is not None
    assert apply_edits(text, fix.edits) == (
        'HyperParameterTuningJobName: "x # hpt-lint: disable=HPT101"  '
        "# hpt-lint: disable=HPT410\n")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet=st.sampled_from(list("ab é😀\t" + ODD_BREAKS)),
                                  max_size=6),
                          st.sampled_from(["\n", "\r\n", "\r"])), max_size=6),
       st.text(alphabet=st.sampled_from(list("ab" + ODD_BREAKS)), max_size=4))
def test_every_position_user_agrees_on_lines(parts: list[tuple[str, str]], last: str) -> None:
    """LineIndex, split_lines, the LSP's conversion, the diff's lines and fix offsets
    all see the same lines: only LF, CRLF and CR break them."""
    from hpt_lint.lines import split_keeping_breaks

    text = "".join("x" + a + b for a, b in parts) + last
    lines = split_lines(text)
    assert len(lines) == len(parts) + 1
    assert ["x" + a for a, _ in parts] + [last] == lines
    assert "".join(split_keeping_breaks(text)) == text
    index = LineIndex(text)
    for offset in range(len(text) + 1):
        line, column = index.at(offset)
        assert index.offset(line, column) == offset or text[offset - 1] == "\r"
        if offset < len(text) and text[offset] not in "\r\n":
            assert lines[line - 1][column - 1] == text[offset]
            row, units = to_client(lines, line, column, "utf-32")
            assert (row, units) == (line - 1, column - 1)
            assert from_client(lines, row, units, "utf-32") == (line, column)
            # an edit at (line, column) lands at that offset
            assert apply_edits(text, [TextEdit(line, column, line, column, "§")]) == \
                text[:offset] + "§" + text[offset:]


# --- directives only in real comments -------------------------------------------------

def test_a_directive_in_a_yaml_string_silences_nothing() -> None:
    text = TWO_FAULTS_YAML.replace(
        "HyperParameterTuningJobName: xgb-tune\n",
        'HyperParameterTuningJobName: xgb-tune\nNote: "x # hpt-lint: disable-file=HPT103,HPT304"\n')
    assert text != TWO_FAULTS_YAML
    rules = {f.rule for f in lint_string(text).findings}
    assert {"HPT103", "HPT304"} <= rules
    assert directives(text, ".yaml") == []


def test_a_directive_in_a_yaml_block_scalar_silences_nothing() -> None:
    text = TWO_FAULTS_YAML.replace(
        "HyperParameterTuningJobName: xgb-tune\n",
        "HyperParameterTuningJobName: xgb-tune\nNote: |\n  # hpt-lint: disable-file=HPT103\n")
    assert text != TWO_FAULTS_YAML
    assert "HPT103" in {f.rule for f in lint_string(text).findings}


def test_secret_rule_is_not_silenced_from_a_string() -> None:
    token = "ghp_" + "4f9GhT2kLmN8pQrS1tUvW3xYz5aBcD7eFgH0"
    text = TWO_FAULTS_YAML.replace(
        "    num_round: 200  # HPT103\n",
        f"    token: {token}\n    note: \"x # hpt-lint: disable-file=HPT601\"\n")
    assert text != TWO_FAULTS_YAML
    assert "HPT601" in {f.rule for f in lint_string(text).findings}
    really = text + "# hpt-lint: disable-file=HPT601\n"
    assert "HPT601" not in {f.rule for f in lint_string(really).findings}


def test_a_directive_in_a_python_string_silences_nothing() -> None:
    source = ('import boto3\n'
              'note = "x # hpt-lint: disable-file=HPT102"\n'
              'boto3.client("sagemaker").create_hyper_parameter_tuning_job(\n'
              '    HyperParameterTuningJobName="xgb-1",\n'
              '    Stratgy="Bayesian",\n'
              ')\n')
    assert "HPT102" in {f.rule for f in lint_string(source, ".py").findings}
    assert directives(source, ".py") == []
    commented = source.replace('    Stratgy="Bayesian",\n',
                               '    Stratgy="Bayesian",  # hpt-lint: disable=HPT102\n')
    assert "HPT102" not in {f.rule for f in lint_string(commented, ".py").findings}


def test_python_comments_follow_lone_crs() -> None:
    source = 'a = 1\rs = "# hpt-lint: disable=HPT101"\rb = 2  # hpt-lint: disable=HPT102\n'
    assert [(d.line, d.column, [i for i, _, _ in d.ids]) for d in directives(source, ".py")] \
        == [(3, 8, ["HPT102"])]


def test_yaml_comment_ends_at_a_yaml_line_break_but_positions_do_not() -> None:
    from hpt_lint.comments import comments

    text = "a: 1  # note\u2028b: 2  # hpt-lint: disable=HPT102\r\nc: 3\n"
    assert [(c.text, c.line, c.column) for c in comments(text, ".yaml")] == [
        ("# note", 1, 7), ("# hpt-lint: disable=HPT102", 1, 20)]


def _notebook(cells: list[tuple[str, list[str]]]) -> str:
    return json.dumps({"cells": [{"cell_type": kind, "metadata": {}, "source": source,
                                  **({"outputs": [], "execution_count": None}
                                     if kind == "code" else {})}
                                 for kind, source in cells],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


CALL = ['import boto3\n', 'boto3.client("sagemaker").create_hyper_parameter_tuning_job(\n',
        '    HyperParameterTuningJobName="xgb-1",\n', '    Stratgy="Bayesian",\n', ')\n']


def test_notebook_directives_come_from_code_cell_comments_only() -> None:
    markdown = _notebook([("markdown", ["# hpt-lint: disable-file=HPT102\n"]),
                          ("code", ['s = "# hpt-lint: disable-file=HPT102"\n', *CALL])])
    assert "HPT102" in {f.rule for f in lint_string(markdown, ".ipynb").findings}
    assert directives(markdown, ".ipynb") == []
    commented = _notebook([("code", [*CALL[:3], '    Stratgy="B\\u00e9",  # hpt-lint: '
                                     'disable=HPT102\n', ")\n"])])
    (d,) = directives(commented, ".ipynb")
    line = split_lines(commented)[d.line - 1]
    assert line[d.column - 1:].startswith("# hpt-lint: disable=HPT102")
    rid, start, end = d.ids[0]
    assert (rid, line[start - 1:end - 1]) == ("HPT102", "HPT102")
    assert "HPT102" not in {f.rule for f in lint_string(commented, ".ipynb").findings}


def test_fix_text_uses_the_line_model_for_every_break_kind() -> None:
    for br in ("\n", "\r\n", "\r"):
        text = CR_IN_COMMENT.replace("\n", br)
        outcome = fix_text(text, "s.yaml", Config())
        assert outcome.after == text.replace("bayesian", "Bayesian"), br
        diff = unified_diff("s.yaml", outcome.before, outcome.after)
        assert f"-  Strategy: bayesian{br}+  Strategy: Bayesian{br}" in diff


def test_completion_contexts_follow_the_line_model() -> None:
    from hpt_lint.lsp.completion import json_context, yaml_context

    for br in ("\n", "\r\n", "\r"):
        yaml_text = br.join(["HyperParameterTuningJobName: a", "HyperParameterTuningJobConfig:",
                             "  Strategy: Bayesian", "  Str"])
        lf = yaml_context(yaml_text.replace(br, "\n"), 4, 6)
        assert lf is not None and yaml_context(yaml_text, 4, 6) == lf, repr(br)
        json_text = br.join(["{", ' "HyperParameterTuningJobConfig": {', '  "Str'])
        lf = json_context(json_text.replace(br, "\n"), 3, 7)
        assert lf is not None and json_context(json_text, 3, 7) == lf, repr(br)
