"""How the language server reads notebooks, without the protocol: the cells sent by
an editor, and jupyterlab-lsp's virtual document, give the CLI's findings."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hpt_lint.config import Config
from hpt_lint.lint import lint_text
from hpt_lint.loaders.notebook_loader import join_cells
from hpt_lint.lsp.documents import Documents
from tests.test_lsp_notebooks import BAD_RANGES, CALL, as_ipynb

# the call with two blank lines inside its parentheses
SPREAD_CALL = CALL.replace('    HyperParameterTuningJobName="xgb-churn",\n',
                           '    HyperParameterTuningJobName="xgb-churn",\n\n\n')
FILLERS = ["x = 1\n", "%matplotlib inline\n", "!pip install sagemaker\n", "%%bash\necho {\n",
           "def f():\n    y = 2\n\n\n    return y\n", "broken (((\n", ""]


def cli(cells: list[tuple[str, str]]) -> list[tuple[str, str | None]]:
    result = lint_text(as_ipynb(cells), "nb.ipynb", Config(), ".ipynb")
    return [(f.rule, f.context) for f in result.findings]


def server(cells: list[tuple[str, str]]) -> list[tuple[str, str | None]]:
    """The notebook as the server lints it: (rule, "cell N, line L") per finding."""
    codes = [text if kind == "code" else "" for kind, text in cells]
    program = join_cells(codes)
    analysis = Documents().analyse("file:///nb.ipynb", "nb.ipynb", program.text, 1,
                                   cells=True)
    out = []
    for f in analysis.findings:
        hit = program.cell_at(f.line)
        assert hit is not None
        out.append((f.rule, f"cell {hit[0] + 1}, line {hit[1]}"))
    return out


def test_a_call_spread_over_blank_lines_is_read_whole() -> None:
    cells = [("code", BAD_RANGES), ("markdown", "# x\n"), ("code", SPREAD_CALL)]
    assert server(cells) == cli(cells) == [("HPT304", "cell 1, line 3")]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(FILLERS), max_size=4), st.lists(st.sampled_from(FILLERS),
                                                                   max_size=4))
def test_the_server_and_the_cli_agree_on_any_notebook(before: list[str],
                                                      between: list[str]) -> None:
    cells = ([("code", c) for c in before] + [("code", BAD_RANGES)]
             + [("code", c) for c in between] + [("code", SPREAD_CALL)])
    expected = cli(cells)
    got = server(cells)
    assert [r for r, _ in got] == [r for r, _ in expected]
    # the CLI's context names the cell the same way (a multi-line cell adds its line)
    assert [c.split(",")[0] for _, c in got] == [(c or "").split(",")[0] for _, c in expected]


def test_a_virtual_document_that_parses_is_not_cut_at_blank_lines() -> None:
    virtual = BAD_RANGES + "\n\n\n" + SPREAD_CALL.replace("%%time\n", "")
    analysis = Documents().analyse("file:///v.ipynb", "v.ipynb", virtual, 1, "python")
    assert [(f.rule, f.line) for f in analysis.findings] == [("HPT304", 3)]
