"""Notebooks: code cells read in order as one program, IPython syntax neutralised,
findings at the physical line (and column, through JSON escapes) of the .ipynb."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hpt_lint.loaders import load_text
from hpt_lint.loaders.notebook_loader import neutralise
from hpt_lint.reporters import Options, render
from tests.conftest import FIXTURES, found, lint_string, marks

NB = FIXTURES / "notebooks"

# notebook, raw text at the finding's column, (fault, fix) in the raw file, context
CASES = [
    ("cross_cell.ipynb", '\\"0\\", \\"MaxValue\\": \\"1\\"',
     ('\\"MinValue\\": \\"0\\", \\"MaxValue\\": \\"1\\"',
      '\\"MinValue\\": \\"0.001\\", \\"MaxValue\\": \\"1\\"'), "cell 5, line 4"),
    ("sdk_positional.ipynb", "0, 1, scaling_type", ("(0, 1,", "(0.001, 1,"), "cell 2, line 2"),
    ("single_string_source.ipynb", '\\"OFF\\"', ('\\"OFF\\"', '\\"Off\\"'), "cell 1"),
]


def _read(name: str) -> str:
    return (NB / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "needle", "fix", "context"), CASES)
def test_fault_at_physical_line_and_column(name: str, needle: str, fix: tuple[str, str],
                                           context: str) -> None:
    text = _read(name)
    result = lint_string(text, ".ipynb", file=name)
    assert found(result) == marks(text)
    (finding,) = result.findings
    assert finding.column == text.splitlines()[finding.line - 1].index(needle) + 1
    assert finding.context == context
    assert f"({context})" in render("text", [result], Options(color=False, show_source=False))


@pytest.mark.parametrize(("name", "needle", "fix", "context"), CASES)
def test_without_the_fault_the_notebook_is_clean(name: str, needle: str,
                                                 fix: tuple[str, str], context: str) -> None:
    text = _read(name)
    assert fix[0] in text
    result = lint_string(text.replace(fix[0], fix[1]), ".ipynb", file=name)
    assert result.findings == [] and result.requests == 1


def test_names_from_earlier_cells_and_magic_cells() -> None:
    (request,) = load_text(_read("cross_cell.ipynb"), "nb.ipynb")
    assert request.kind == "notebook"
    config = request.data["HyperParameterTuningJobConfig"]
    assert config["ResourceLimits"] == {"MaxNumberOfTrainingJobs": 20,
                                        "MaxParallelTrainingJobs": 3}
    definition = request.data["TrainingJobDefinition"]
    assert "HyperParameters" not in definition  # deepcopy + del, across cells
    assert definition["ResourceConfig"]["InstanceType"] == "ml.c4.2xlarge"
    # the key written in cell 6 maps into that cell's JSON string, through the escapes
    text = _read("cross_cell.ipynb")
    entry = request.source_map.get(("TrainingJobDefinition", "ResourceConfig", "InstanceType"))
    line = text.splitlines()[entry.value.line - 1]
    assert line[entry.value.column - 1:entry.value.end_column - 1] == '\\"ml.c4.2xlarge\\"'


def test_sdk_tuner_in_a_notebook_is_kind_sdk_with_positional_arguments() -> None:
    (request,) = load_text(_read("sdk_positional.ipynb"), "nb.ipynb")
    assert request.kind == "sdk"
    config = request.data["HyperParameterTuningJobConfig"]
    assert config["HyperParameterTuningJobObjective"] == {"Type": "Minimize",
                                                          "MetricName": "multi_logloss"}
    metrics = request.data["TrainingJobDefinition"]["AlgorithmSpecification"][
        "MetricDefinitions"]
    assert metrics == [{"Name": "multi_logloss", "Regex": "multi_logloss: ([0-9\\.]+)"}]


def test_a_cell_that_does_not_parse_and_holds_the_call_is_hpt001() -> None:
    text = _read("broken_call_cell.ipynb")
    result = lint_string(text, ".ipynb")
    (finding,) = result.findings
    assert finding.rule == "HPT001" and "cell 2" in finding.message
    assert "HyperParameterTuningJobConfig=cfg,," in text.splitlines()[finding.line - 1]


@pytest.mark.parametrize(("name", "message"), [
    ("truncated.ipynb", "invalid JSON"),
    ("cells_not_list.ipynb", "`cells` is not a list"),
])
def test_broken_notebooks_are_hpt001(name: str, message: str) -> None:
    result = lint_string(_read(name), ".ipynb")
    assert [f.rule for f in result.findings] == ["HPT001"]
    assert message in result.findings[0].message


@pytest.mark.parametrize("text", ["[]", '{"cells": [1, {"cell_type": "code", "source": 3}]}',
                                  '{"nbformat": 4}', '"x"'])
def test_odd_notebook_shapes_never_raise(text: str) -> None:
    result = lint_string(text.replace("3", '"x.create_hyper_parameter_tuning_job()"'), ".ipynb")
    assert all(f.rule != "HPT000" for f in result.findings)


def test_neutralise_keeps_lines_and_columns() -> None:
    cell = ("!pip install \\\n    boto3\nfiles = !ls\n%time y = 1\nx = {'a': 1}\n"
            "if x:\n    !echo hi\nobj?\n")
    out = neutralise(cell)
    assert out.splitlines() == ["pass", "pass", "files = _ipython_", "pass", "x = {'a': 1}",
                                "if x:", "    pass", "pass"]


def test_nbformat3_worksheets_and_escaped_unicode() -> None:
    source = ['cfg = {"Strategy": "Réndom"}\n',
              "sm.create_hyper_parameter_tuning_job(HyperParameterTuningJobConfig=cfg)\n"]
    text = json.dumps({"worksheets": [{"cells": [{"cell_type": "code", "input": source}]}]},
                      indent=1, ensure_ascii=True)
    (request,) = load_text(text, "old.ipynb")
    assert request.data["HyperParameterTuningJobConfig"]["Strategy"] == "Réndom"
    entry = request.source_map.get(("HyperParameterTuningJobConfig", "Strategy"))
    line = text.splitlines()[entry.value.line - 1]
    assert line[entry.value.column - 1:entry.value.end_column - 1] == '\\"R\\u00e9ndom\\"'


def test_a_notebook_without_a_call_is_not_parsed() -> None:
    assert lint_string('{"cells": [], "nbformat": 4}', ".ipynb").requests == 0
    # without a call there is nothing to find, even in a broken notebook
    assert lint_string('{"cells": [], "nbformat": 4', ".ipynb").findings == []
    assert [f.rule for f in lint_string(
        '{"cells": [], "x": "create_hyper_parameter_tuning_job"', ".ipynb").findings] == [
        "HPT001"]


def _apply(text: str, edit) -> str:
    lines = text.split("\n")
    assert edit.line == edit.end_line
    line = lines[edit.line - 1]
    lines[edit.line - 1] = line[:edit.column - 1] + edit.new_text + line[edit.end_column - 1:]
    return "\n".join(lines)


def test_a_fix_inside_a_notebook_is_escaped_for_its_json_string() -> None:
    text = _read("single_string_source.ipynb")
    (finding,) = lint_string(text, ".ipynb").findings
    (edit,) = finding.fix.edits
    assert edit.new_text == '\\"Off\\"'
    fixed = _apply(text, edit)
    assert '"TrainingJobEarlyStoppingType": "Off"' in json.loads(fixed)["cells"][0]["source"]
    assert lint_string(fixed, ".ipynb").findings == []


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["code", "markdown", "raw"]),
                          st.lists(st.text(max_size=40) | st.sampled_from([
                              "%%bash\n", "!pip x\n", "d = {'k': \"v\\\\\"}\n", "x = !ls\n",
                              "sm.create_hyper_parameter_tuning_job(**d, A=\"é\\u00e9\")\n",
                              "HyperparameterTuner(e, 'm', {'a': IntegerParameter(0, 1)})\n",
                              "    \n", "\t!echo\n"]), max_size=6),
                          st.booleans()), max_size=6),
       st.booleans())
def test_arbitrary_notebooks_never_raise(cells, ascii_only: bool) -> None:
    nb = {"cells": [{"cell_type": kind, "source": "".join(src) if single else src}
                    for kind, src, single in cells]}
    text = json.dumps(nb, indent=1, ensure_ascii=ascii_only)
    result = lint_string(text, ".ipynb")
    assert all(f.rule != "HPT000" for f in result.findings)
    lines = text.split("\n")
    for f in result.findings:
        assert 1 <= f.line <= len(lines) and 1 <= f.column <= len(lines[f.line - 1]) + 1


# Non-BMP characters: ``json.dump`` with ``ensure_ascii`` writes 😀 as the surrogate pair
# ``\ud83d\ude00`` (12 characters of the file, one character of the cell). The finding's
# column must count the file's characters through the pair.
EMOJI = "\U0001F600"
CFG = ('cfg = {{"Note": "{note}", "Strategy": "Random", "ResourceLimits": '
       '{{"MaxNumberOfTrainingJobs": 5, "MaxParallelTrainingJobs": 1}},\n'
       '       "Pre": "{beside}", "TrainingJobEarlyStoppingType": "OFF", "Tag": "{beside}"}}\n')
CALL = ("sm.create_hyper_parameter_tuning_job(HyperParameterTuningJobName=name,\n"
        "    HyperParameterTuningJobConfig=cfg, TrainingJobDefinition=definition)\n")


def _emoji_notebook(above: str, beside: str, as_list: bool, ascii_only: bool) -> str:
    """``above`` goes into a line above the fault, ``beside`` before (and after) it on
    its line."""
    cell = CFG.format(note=above, beside=beside)
    source = cell.splitlines(keepends=True) if as_list else cell
    cells = [{"cell_type": "code", "metadata": {}, "source": source,
              "execution_count": None, "outputs": []},
             {"cell_type": "code", "metadata": {}, "source": CALL, "execution_count": None,
              "outputs": []}]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5},
                      indent=1, ensure_ascii=ascii_only)


@pytest.mark.parametrize("as_list", [True, False], ids=["source-list", "source-string"])
@pytest.mark.parametrize(("above", "beside", "ascii_only"), [
    (EMOJI, "", True),                 # one pair on an earlier line of the cell
    ("", EMOJI, True),                 # one pair before the value on the same line
    ("", EMOJI * 2, True),             # two pairs on the same line
    (EMOJI, f"a{EMOJI}b{EMOJI}", True),
    ("", EMOJI * 2, False),            # the emoji written literally (one code point each)
], ids=["pair-above", "pair-same-line", "two-pairs", "pairs-above-and-beside", "literal"])
def test_positions_count_through_escaped_non_bmp_characters(
        above: str, beside: str, ascii_only: bool, as_list: bool) -> None:
    text = _emoji_notebook(above, beside, as_list, ascii_only)
    if ascii_only:
        assert "\\ud83d\\ude00" in text and EMOJI not in text
    (finding,) = [f for f in lint_string(text, ".ipynb").findings if f.rule == "HPT104"]
    line = text.split("\n")[finding.line - 1]
    needle = '\\"OFF\\"'
    assert line.count(needle) == 1
    assert (finding.column, finding.end_column) == (
        line.index(needle) + 1, line.index(needle) + 1 + len(needle))
    (edit,) = finding.fix.edits
    assert (edit.column, edit.end_column) == (finding.column, finding.end_column)
