"""A notebook's cells read as one program when they arrive one by one (the language
server's notebook documents, jupyterlab-lsp's virtual document): the same requests as
the .ipynb file gives the CLI, line for line."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hpt_lint.loaders import load_text
from tests.conftest import FIXTURES

NB = FIXTURES / "notebooks"


# -- the same program from cells sent one by one (the language server's notebooks) -----
def _code_cells(text: str) -> list[str]:
    cells = json.loads(text)["cells"]
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in cells if c.get("cell_type") == "code"]


@pytest.mark.parametrize("name", ["cross_cell.ipynb", "single_string_source.ipynb",
                                  "sdk_positional.ipynb"])
def test_joined_cells_read_as_the_notebook_file_does(name: str) -> None:
    from hpt_lint.loaders.notebook_loader import join_cells

    text = (NB / name).read_text(encoding="utf-8")
    cells = _code_cells(text)
    program = join_cells(cells)
    from_file = load_text(text, name)
    from_cells = load_text(program.text, "program.py", ".py")
    assert from_file and [r.data for r in from_cells] == [r.data for r in from_file]
    # every line of the program is the line of one cell it came from
    lines = program.text.split("\n")
    for number, line in enumerate(lines, 1):
        hit = program.cell_at(number)
        assert hit is not None
        cell, local = hit
        original = cells[cell].split("\n")[local - 1]
        assert line == original or line.strip() in ("pass", "_ipython_") \
            or line.endswith("_ipython_")


@given(st.lists(st.sampled_from(["x = 1\n", "%%bash\necho {\n", "", "%time y = 2",
                                 "broken (((\n", "%%time\nz = 3\n\n", "a = [\n1]\n"]),
                max_size=8))
def test_join_cells_places_each_kept_cell_at_its_start(cells: list[str]) -> None:
    from hpt_lint.loaders.notebook_loader import join_cells

    program = join_cells(cells)
    lines = program.text.split("\n") if program.text else []
    kept = [i for i, s in enumerate(program.starts) if s is not None]
    assert sum(program.lengths[i] for i in kept) == len(lines) or not kept
    for i in kept:
        start = program.starts[i]
        assert start is not None
        assert program.cell_at(start) == (i, 1)
        assert program.cell_at(start + program.lengths[i] - 1) == (i, program.lengths[i])
    for i, s in enumerate(program.starts):  # blank, bash and broken cells are left out
        assert (s is None) == (cells[i] in ("", "%%bash\necho {\n", "broken (((\n"))


def _as_jupyterlab_lsp(cell: str) -> str:
    """A cell as jupyterlab-lsp's IPython override writes a cell magic (its
    overrides.ts): ``%%name args`` + body -> run_cell_magic("name", "args", body)."""
    if not cell.startswith("%%"):
        return cell
    first, _, body = cell.partition("\n")
    name, _, args = first[2:].partition(" ")
    body = body.replace('"""', '\\"\\"\\"')
    return f'get_ipython().run_cell_magic("{name}", "{args}", """{body}""")'


@pytest.mark.parametrize("name", ["cross_cell.ipynb", "single_string_source.ipynb"])
def test_a_jupyterlab_lsp_virtual_document_reads_as_the_notebook(name: str) -> None:
    from hpt_lint.loaders.notebook_loader import virtual_document_program

    text = (NB / name).read_text(encoding="utf-8")
    virtual = "\n\n\n".join(_as_jupyterlab_lsp(c) for c in _code_cells(text))
    program, shifts = virtual_document_program(virtual)
    assert program.count("\n") == virtual.count("\n")  # line for line
    from_file = load_text(text, name)
    from_virtual = load_text(program, "virtual.py", ".py")
    assert from_file and [r.data for r in from_virtual] == [r.data for r in from_file]
    for line, cut in shifts.items():  # a cut line start is the override's prefix
        assert virtual.split("\n")[line - 1][:cut].startswith("get_ipython().run_cell_magic(")
