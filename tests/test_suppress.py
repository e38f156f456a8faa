"""Inline suppressions: each form, unused ones (HPT004), and where they do not apply."""

from __future__ import annotations

from hpt_lint.config import Config
from hpt_lint.docs import _MARK
from hpt_lint.suppress import directives
from tests.ci_support import TWO_FAULTS_JSON, TWO_FAULTS_YAML
from tests.conftest import lint_string

HPT304_LINE = '        MinValue: "0"  # HPT304\n'
HPT103_LINE = "    num_round: 200  # HPT103\n"


def located(text: str, suffix: str = ".yaml", config: Config | None = None
            ) -> list[tuple[str, int, int]]:
    result = lint_string(text, suffix, config)
    return sorted((f.rule, f.line, f.column) for f in result.findings)


def edit(old: str, new: str, text: str = TWO_FAULTS_YAML) -> str:
    assert old in text
    return text.replace(old, new)


def test_unsuppressed_fixture_has_both_faults() -> None:
    assert located(TWO_FAULTS_YAML) == [("HPT103", 15, 16), ("HPT304", 10, 19)]


def test_disable_on_the_line() -> None:
    text = edit(HPT304_LINE, '        MinValue: "0"  # hpt-lint: disable=HPT304\n')
    assert located(text) == [("HPT103", 15, 16)]


def test_disable_several_ids_and_case_and_spaces() -> None:
    text = edit(HPT304_LINE, '        MinValue: "0"  #hpt-lint:disable = hpt304 , HPT103\n')
    # HPT304 is silenced; HPT103 does not fire on this line: unused
    assert located(text) == [("HPT004", 10, 53), ("HPT103", 15, 16)]


def test_disable_next_line() -> None:
    text = edit(HPT103_LINE, "    # hpt-lint: disable-next-line=HPT103  -- legacy trainer\n"
                             "    num_round: 200\n")
    assert located(text) == [("HPT304", 10, 19)]


def test_disable_next_line_covers_only_the_next_line() -> None:
    text = edit(HPT103_LINE, "    # hpt-lint: disable-next-line=HPT103\n"
                             "    eta: '0.1'\n"
                             "    num_round: 200\n")
    assert located(text) == [("HPT004", 15, 35), ("HPT103", 17, 16), ("HPT304", 10, 19)]


def test_disable_file_anywhere() -> None:
    text = TWO_FAULTS_YAML + "# hpt-lint: disable-file=HPT103,HPT304\n"
    assert located(text) == []


def test_disable_file_needs_the_ids() -> None:
    text = "# hpt-lint: disable-file\n" + TWO_FAULTS_YAML
    assert located(text) == [("HPT004", 1, 1), ("HPT103", 16, 16), ("HPT304", 11, 19)]
    message = lint_string(text).findings[0].message
    assert message.startswith("`hpt-lint: disable-file` names no rule")


def test_disable_on_the_wrong_line_silences_nothing_and_is_reported() -> None:
    text = edit("        MaxValue: \"1000\"\n",
                "        MaxValue: \"1000\"  # hpt-lint: disable=HPT304\n")
    result = lint_string(text)
    assert sorted((f.rule, f.line, f.column) for f in result.findings) == [
        ("HPT004", 11, 47), ("HPT103", 15, 16), ("HPT304", 10, 19)]
    unused = next(f for f in result.findings if f.rule == "HPT004")
    assert unused.severity.value == "info"
    assert unused.end_column == 53
    assert unused.message == "unused suppression: HPT304 is not reported on this line; remove it"


def test_unknown_rule_id_is_reported() -> None:
    text = edit(HPT304_LINE, '        MinValue: "0"  # hpt-lint: disable=HPT304,HPT999\n')
    result = lint_string(text)
    assert [(f.rule, f.line, f.column, f.message) for f in result.findings][:1] == [
        ("HPT004", 10, 51, "unused suppression: HPT999 is not a rule id (`hpt-lint rules` "
                           "lists them)")]


def test_non_hpt_ids_that_are_not_enabled_are_left_alone() -> None:
    # a team's policy rule id, from a policy not loaded in this run
    text = edit(HPT304_LINE, '        MinValue: "0"  # hpt-lint: disable=HPT304,TEAM-COST-1\n')
    assert located(text) == [("HPT103", 15, 16)]


def test_suppressing_a_rule_the_config_turns_off_is_not_unused() -> None:
    text = edit(HPT103_LINE, "    num_round: 200  # hpt-lint: disable=HPT103\n")
    assert located(text, config=Config(ignore=("HPT103",))) == [("HPT304", 10, 19)]
    pfi = Config(per_file_ignores=(("input.yaml", ("HPT1",)),))
    assert located(text, config=pfi) == [("HPT304", 10, 19)]


def test_unused_suppression_can_be_turned_off() -> None:
    text = TWO_FAULTS_YAML + "# hpt-lint: disable-file=HPT501\n"
    assert ("HPT004", 23, 26) in located(text)
    assert located(text, config=Config(ignore=("HPT004",))) == [
        ("HPT103", 15, 16), ("HPT304", 10, 19)]


def test_directive_must_start_a_comment() -> None:
    text = edit("HyperParameterTuningJobName: xgb-tune\n",
                "HyperParameterTuningJobName: xgb-tune\nDescriptionNote: 'a#hpt-lint: disable-file"
                "=HPT304'\n")
    assert "HPT304" in {f.rule for f in lint_string(text).findings}


def test_json_has_no_comments_so_no_directives() -> None:
    text = edit('"Name": "alpha"', '"Name": "alpha # hpt-lint: disable=HPT304"',
                TWO_FAULTS_JSON)
    assert ("HPT304", 9, 66) in located(text, ".json")
    assert "HPT004" not in {r for r, _, _ in located(text, ".json")}


def test_suppression_applies_to_parse_errors_too() -> None:
    text = "# hpt-lint: disable-file=HPT001\nHyperParameterTuningJobName: [unclosed\n"
    assert located(text) == []
    assert [r for r, _, _ in located(text.replace("disable-file=HPT001\n", "x\n"))] == ["HPT001"]


def test_the_doc_marker_and_the_directive_coexist() -> None:
    line = 'MinValue: "0.0001"  # hpt-lint: disable=HPT304  # HPT004'
    (d,) = directives(line)
    assert (d.kind, [i for i, _, _ in d.ids]) == ("disable", ["HPT304"])
    assert [m.group(1) for m in _MARK.finditer(line)] == ["HPT004"]


def test_directives_are_found_in_python_source_too() -> None:
    source = ('request = dict(\n'
              '    HyperParameterTuningJobName="x_y",  # hpt-lint: disable=HPT201\n'
              '    # hpt-lint: disable-next-line=HPT103, HPT106\n'
              '    Other=1,\n'
              ')\n'
              's = "# hpt-lint: disable=HPT999"  # after a quote: not a comment\n')
    found = [(d.kind, d.line, d.column, [i for i, _, _ in d.ids])
             for d in directives(source, ".py")]
    assert found == [("disable", 2, 41, ["HPT201"]),
                     ("disable-next-line", 3, 5, ["HPT103", "HPT106"])]


def test_fingerprints_of_equal_findings_differ() -> None:
    doc = TWO_FAULTS_YAML.split("\n", 1)[1]
    result = lint_string(doc + "---\n" + doc)
    prints = [f.fingerprint for f in result.findings]
    assert len(prints) == 4
    assert len(set(prints)) == 4


def test_naming_hpt004_accepts_an_unused_suppression() -> None:
    text = edit("        MaxValue: \"1000\"\n",
                "        MaxValue: \"1000\"  # hpt-lint: disable=HPT304,HPT004\n")
    assert located(text) == [("HPT103", 15, 16), ("HPT304", 10, 19)]
    text = TWO_FAULTS_YAML + "# hpt-lint: disable-file=HPT004\n# hpt-lint: disable=HPT501\n"
    assert located(text) == [("HPT103", 15, 16), ("HPT304", 10, 19)]
