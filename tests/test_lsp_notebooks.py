"""LSP 3.17 notebook documents end to end: the real ``hpt-lint lsp`` over stdio, driven
by pytest-lsp as VS Code drives it (cells sent one by one, never the ``.ipynb`` JSON)."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as t
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from hpt_lint.config import Config
from hpt_lint.lint import lint_text
from tests.notebook_sample import CALL_BODY

DEBOUNCE = 0.05
HERE = Path(__file__).resolve().parent / "fixtures" / "lsp"

pytestmark = pytest.mark.asyncio(loop_scope="module")

BAD_RANGES = '''ranges = {
    "ContinuousParameterRanges": [
        {"Name": "eta", "MinValue": "0", "MaxValue": "1", "ScalingType": "Logarithmic"},
    ],
}
'''
GOOD_RANGES = BAD_RANGES.replace('"MinValue": "0"', '"MinValue": "0.01"')
CALL = "%%time\n" + CALL_BODY
BASH = "%%bash\necho {\n"
CELLS = [("code", BAD_RANGES), ("markdown", "# Tune it\n"), ("code", CALL), ("code", BASH)]

PUBLISHED: list[t.PublishDiagnosticsParams] = []


def _record(client: LanguageClient, params: t.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    PUBLISHED.append(params)


def _client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES,
                                   t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _record})
    return client


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[sys.executable, "-m", "hpt_lint", "lsp"],
                              client_factory=_client),
)
async def client(lsp_client: LanguageClient):
    capabilities = pytest_lsp.client_capabilities("visual-studio-code")
    capabilities.notebook_document = t.NotebookDocumentClientCapabilities(
        synchronization=t.NotebookDocumentSyncClientCapabilities())
    result = await lsp_client.initialize_session(t.InitializeParams(
        capabilities=capabilities,
        initialization_options={"debounce": DEBOUNCE},
    ))
    sync = result.capabilities.notebook_document_sync
    assert isinstance(sync, t.NotebookDocumentSyncOptions)
    (selector,) = sync.notebook_selector
    assert isinstance(selector, t.NotebookDocumentFilterWithNotebook)
    assert selector.notebook == "jupyter-notebook"
    assert [c.language for c in selector.cells or []] == ["python"]
    yield
    await lsp_client.shutdown_session()


class Notebook:
    """A notebook as the client holds it: cells (uri, kind, text, version)."""

    def __init__(self, client: LanguageClient, name: str) -> None:
        self.client = client
        self.uri = (HERE / name).as_uri()
        self.version = 1
        self.count = 0
        self.cells: list[list] = []  # [uri, kind, text, version]

    def new_cell(self, kind: str, text: str) -> list:
        self.count += 1
        return [f"vscode-notebook-cell:{HERE / self.uri.rsplit('/', 1)[1]}#C{self.count}",
                kind, text, 1]

    def _nb_cell(self, cell: list) -> t.NotebookCell:
        kind = t.NotebookCellKind.Code if cell[1] == "code" else t.NotebookCellKind.Markup
        return t.NotebookCell(kind=kind, document=cell[0])

    def _item(self, cell: list) -> t.TextDocumentItem:
        return t.TextDocumentItem(uri=cell[0], version=cell[3], text=cell[2],
                                  language_id="python" if cell[1] == "code" else "markdown")

    def uri_of(self, index: int) -> str:
        return self.cells[index][0]

    async def open(self, cells: list[tuple[str, str]]) -> None:
        self.cells = [self.new_cell(k, s) for k, s in cells]
        mark = len(PUBLISHED)
        self.client.notebook_document_did_open(t.DidOpenNotebookDocumentParams(
            notebook_document=t.NotebookDocument(
                uri=self.uri, notebook_type="jupyter-notebook", version=self.version,
                cells=[self._nb_cell(c) for c in self.cells]),
            cell_text_documents=[self._item(c) for c in self.cells]))
        await self.settled(mark)

    async def settled(self, mark: int) -> None:
        """Wait for a lint after ``mark``: every current cell published once."""
        want = {c[0] for c in self.cells}

        async def wait() -> None:
            while not want <= {p.uri for p in PUBLISHED[mark:]}:
                await asyncio.sleep(0.005)

        await asyncio.wait_for(wait(), 30)

    def _change(self, change: t.NotebookDocumentChangeEvent) -> int:
        self.version += 1
        mark = len(PUBLISHED)
        self.client.notebook_document_did_change(t.DidChangeNotebookDocumentParams(
            notebook_document=t.VersionedNotebookDocumentIdentifier(uri=self.uri,
                                                                    version=self.version),
            change=change))
        return mark

    async def edit(self, index: int, text: str) -> None:
        cell = self.cells[index]
        cell[2], cell[3] = text, cell[3] + 1
        mark = self._change(t.NotebookDocumentChangeEvent(cells=t.NotebookDocumentCellChanges(
            text_content=[t.NotebookDocumentCellContentChanges(
                document=t.VersionedTextDocumentIdentifier(uri=cell[0], version=cell[3]),
                changes=[t.TextDocumentContentChangeWholeDocument(text=text)])])))
        await self.settled(mark)

    async def splice(self, start: int, delete: int, new: list[list],
                     opened: list[list] = (), closed: list[list] = ()) -> None:  # type: ignore[assignment]
        self.cells[start:start + delete] = new
        mark = self._change(t.NotebookDocumentChangeEvent(cells=t.NotebookDocumentCellChanges(
            structure=t.NotebookDocumentCellChangeStructure(
                array=t.NotebookCellArrayChange(start=start, delete_count=delete,
                                                cells=[self._nb_cell(c) for c in new]),
                did_open=[self._item(c) for c in opened],
                did_close=[t.TextDocumentIdentifier(uri=c[0]) for c in closed]))))
        await self.settled(mark)

    def diagnostics(self) -> dict[str, list[tuple[str, int, int, int, int]]]:
        """The diagnostics each current cell shows: (code, line, char, end line, end char)."""
        latest: dict[str, list[t.Diagnostic]] = {}
        for p in PUBLISHED:
            latest[p.uri] = p.diagnostics
        return {c[0]: [(str(d.code), d.range.start.line, d.range.start.character,
                        d.range.end.line, d.range.end.character) for d in latest.get(c[0], [])]
                for c in self.cells}

    def close(self) -> None:
        self.client.notebook_document_did_close(t.DidCloseNotebookDocumentParams(
            notebook_document=t.NotebookDocumentIdentifier(uri=self.uri),
            cell_text_documents=[t.TextDocumentIdentifier(uri=c[0]) for c in self.cells]))


def bad_range_at(text: str) -> tuple[int, int, int, int]:
    """Where the bad MinValue is in a cell, computed from the text alone (0-based)."""
    lines = text.split("\n")
    row = next(i for i, line in enumerate(lines) if '"MinValue": "0"' in line)
    col = lines[row].index('"MinValue": "0"') + len('"MinValue": ')
    return row, col, row, col + len('"0"')


def as_ipynb(cells: list[tuple[str, str]]) -> str:
    return json.dumps({"cells": [
        {"cell_type": kind, "metadata": {}, "source": text.splitlines(True),
         **({"outputs": [], "execution_count": None} if kind == "code" else {})}
        for kind, text in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5},
        indent=1)


async def test_diagnostic_on_the_cell_uri_then_fixing_cell_1_clears(client: LanguageClient):
    nb = Notebook(client, "tune.ipynb")
    await nb.open(CELLS)
    shown = nb.diagnostics()
    assert shown[nb.uri_of(0)] == [("HPT304", *bad_range_at(BAD_RANGES))]
    assert shown[nb.uri_of(1)] == shown[nb.uri_of(2)] == shown[nb.uri_of(3)] == []
    # the CLI on the same notebook as a file: the same finding, in cell 1, line 3
    (cli,) = lint_text(as_ipynb(CELLS), "tune.ipynb", Config(), ".ipynb").findings
    assert (cli.rule, cli.context) == ("HPT304", "cell 1, line 3")

    await nb.edit(0, GOOD_RANGES)
    assert all(d == [] for d in nb.diagnostics().values())
    await nb.edit(0, BAD_RANGES)  # a change in cell 1 is seen through the call in cell 3
    assert nb.diagnostics()[nb.uri_of(0)] == [("HPT304", *bad_range_at(BAD_RANGES))]
    nb.close()


async def test_insert_delete_and_reorder_cells(client: LanguageClient):
    nb = Notebook(client, "reorder.ipynb")
    await nb.open(CELLS)
    bad = nb.cells[0]
    expected = [("HPT304", *bad_range_at(BAD_RANGES))]

    # insert two cells above: the diagnostic stays on the bad cell, at the same place
    above = [nb.new_cell("code", "x = 1\n\n"), nb.new_cell("markdown", "intro\n")]
    await nb.splice(0, 0, above, opened=above)
    assert nb.diagnostics()[bad[0]] == expected
    assert nb.diagnostics()[above[0][0]] == []

    # a later cell that binds `ranges` again, well: the call uses it, so all is clean
    good = nb.new_cell("code", GOOD_RANGES)
    await nb.splice(3, 0, [good], opened=[good])
    assert all(d == [] for d in nb.diagnostics().values())

    # reorder: the good definition before the bad one -> the bad one is used again
    order = [c[0] for c in nb.cells]
    await nb.splice(2, 2, [good, bad])
    assert [c[0] for c in nb.cells] != order
    assert nb.diagnostics()[bad[0]] == expected

    # delete the bad cell: the good one is used, nothing is shown anywhere
    index = nb.cells.index(bad)
    mark = len(PUBLISHED)
    await nb.splice(index, 1, [], closed=[bad])
    cleared = [p for p in PUBLISHED[mark:] if p.uri == bad[0]]
    assert cleared and not cleared[-1].diagnostics
    assert all(d == [] for d in nb.diagnostics().values())
    nb.close()


async def test_quick_fix_and_hover_inside_a_cell(client: LanguageClient):
    nb = Notebook(client, "fix.ipynb")
    await nb.open(CELLS)
    uri = nb.uri_of(0)
    row, col, end_row, end_col = bad_range_at(BAD_RANGES)
    rng = t.Range(start=t.Position(line=row, character=col),
                  end=t.Position(line=end_row, character=end_col))
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        text_document=t.TextDocumentIdentifier(uri=uri), range=rng,
        context=t.CodeActionContext(diagnostics=[])))
    assert actions
    titles = [a.title for a in actions if isinstance(a, t.CodeAction)]
    assert "Disable HPT304 on this line" in titles
    disable = next(a for a in actions if isinstance(a, t.CodeAction)
                   and a.title == "Disable HPT304 on this line")
    assert disable.edit is not None and disable.edit.document_changes
    change = disable.edit.document_changes[0]
    assert isinstance(change, t.TextDocumentEdit)
    assert change.text_document.uri == uri
    (edit,) = change.edits
    assert isinstance(edit, t.TextEdit)
    line = BAD_RANGES.split("\n")[row]
    assert edit.range.start == t.Position(line=row, character=len(line))
    fixed = BAD_RANGES.split("\n")
    fixed[row] += edit.new_text
    await nb.edit(0, "\n".join(fixed))
    assert all(d == [] for d in nb.diagnostics().values())

    await nb.edit(0, BAD_RANGES)
    hover = await client.text_document_hover_async(t.HoverParams(
        text_document=t.TextDocumentIdentifier(uri=uri),
        position=t.Position(line=row, character=col + 1)))
    assert hover is not None and isinstance(hover.contents, t.MarkupContent)
    assert "HPT304" in hover.contents.value
    assert "MinValue" in hover.contents.value  # the schema's documentation of the member
    nb.close()


async def test_a_cell_opened_on_its_own_is_plain_python(client: LanguageClient):
    """No notebook: a cell document (IPython lines and all) is linted as Python."""
    uri = f"vscode-notebook-cell:{HERE / 'alone.ipynb'}#A1"
    text = BAD_RANGES + "\n" + CALL.replace("%%time\n", "%time x = 1\n")
    client.text_document_did_open(t.DidOpenTextDocumentParams(t.TextDocumentItem(
        uri=uri, language_id="python", version=1, text=text)))

    async def wait() -> t.PublishDiagnosticsParams:
        while True:
            for p in PUBLISHED:
                if p.uri == uri and p.version == 1:
                    return p
            await asyncio.sleep(0.005)

    params = await asyncio.wait_for(wait(), 30)
    assert [(str(d.code), d.range.start.line, d.range.start.character, d.range.end.line,
             d.range.end.character) for d in params.diagnostics] == [
        ("HPT304", *bad_range_at(text))]
    client.text_document_did_close(t.DidCloseTextDocumentParams(
        t.TextDocumentIdentifier(uri=uri)))


async def test_a_change_in_cell_1_updates_the_diagnostics_of_a_later_cell(
        client: LanguageClient):
    limits = 'limits = {{"MaxNumberOfTrainingJobs": {}}}\n'
    call = CALL.replace('"ResourceLimits": {"MaxNumberOfTrainingJobs": 20, '
                        '"MaxParallelTrainingJobs": 2}',
                        '"ResourceLimits": {**limits, "MaxParallelTrainingJobs": 2}')
    assert call != CALL
    nb = Notebook(client, "later.ipynb")
    await nb.open([("code", GOOD_RANGES + limits.format(1)), ("markdown", "# Tune\n"),
                   ("code", call)])
    lines = call.split("\n")
    row = next(i for i, x in enumerate(lines) if "**limits" in x)
    col = lines[row].index('"MaxParallelTrainingJobs": 2') + len('"MaxParallelTrainingJobs": ')
    shown = nb.diagnostics()
    assert shown[nb.uri_of(0)] == []
    assert shown[nb.uri_of(2)] == [("HPT408", row, col, row, col + 1)]

    await nb.edit(0, GOOD_RANGES + limits.format(20))  # only cell 1 changes ...
    assert nb.diagnostics()[nb.uri_of(2)] == []  # ... and cell 3's warning is gone
    nb.close()
