"""Notebook documents (LSP 3.17): a notebook's code cells linted as one program.

An editor with notebook support (VS Code) never sends the ``.ipynb`` JSON: it sends
the notebook's cells, each a text document of its own. Each lint joins the Python
code cells top to bottom into one program (``notebook_loader.join_cells``: the
same magics handling and the same skipping of cells as ``hpt-lint check`` on the
file), lints it as the notebook's path, and publishes each finding on the URI of
the cell it starts in, at its line and column in that cell. A change in any cell
re-lints the whole notebook (debounced as for text documents), so a fix in cell 1
updates the diagnostics of cell 5 that depend on it. Quick fixes, hover and
completion requests on a cell's URI are answered from that program.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from lsprotocol import types as t

from hpt_lint.findings import Finding, TextEdit
from hpt_lint.loaders.notebook_loader import Program, join_cells
from hpt_lint.lsp.documents import Analysis
from hpt_lint.lsp.positions import split_lines

if TYPE_CHECKING:
    from hpt_lint.lsp.server import HptLanguageServer

LANGUAGE = "python"
SYNC = t.NotebookDocumentSyncOptions(
    notebook_selector=[t.NotebookDocumentFilterWithNotebook(
        notebook="jupyter-notebook", cells=[t.NotebookCellLanguage(language=LANGUAGE)])],
    save=True)


@dataclass
class NotebookLint:
    """The last lint of one notebook: its program and where each cell is in it."""

    version: int
    cells: tuple[str, ...]  # every cell's URI (code and markup), in order
    texts: tuple[str, ...]  # each cell's text ("" for a cell left out of the program)
    versions: tuple[int | None, ...]
    program: Program
    analysis: Analysis  # of program.text: findings in program lines
    path: str

    def index(self, cell_uri: str) -> int | None:
        return self.cells.index(cell_uri) if cell_uri in self.cells else None

    def to_cell(self, finding: Finding) -> tuple[int, Finding] | None:
        """A finding in program lines -> (cell index, the finding in that cell's lines)."""
        hit = self.program.cell_at(finding.line)
        if hit is None:
            return None
        index, line = hit
        start = self.program.starts[index]
        assert start is not None
        last = self.program.lengths[index]
        end_line = finding.end_line - start + 1
        end_column = finding.end_column
        if end_line > last:  # a span running past the cell stops at its end
            end_line, end_column = last, len(split_lines(self.texts[index])[last - 1]) + 1
        fix = finding.fix
        if fix is not None:
            edits = self.edits_to_cell(index, fix.edits)
            fix = replace(fix, edits=edits) if edits is not None else None
        return index, replace(finding, line=line, end_line=end_line, end_column=end_column,
                              fix=fix)

    def edits_to_cell(self, index: int, edits: tuple[TextEdit, ...]
                      ) -> tuple[TextEdit, ...] | None:
        """Edits of the program -> edits of cell ``index`` (None if one leaves the cell
        or touches a line the program changed, an IPython line)."""
        start = self.program.starts[index]
        if start is None:
            return None
        program_lines = split_lines(self.program.text)
        cell_lines = split_lines(self.texts[index])
        out: list[TextEdit] = []
        for e in edits:
            first, last = e.line - start + 1, e.end_line - start + 1
            if not (1 <= first <= last <= len(cell_lines)):
                return None
            if any(program_lines[start + n - 2] != cell_lines[n - 1]
                   for n in range(first, last + 1)):
                return None
            out.append(replace(e, line=first, end_line=last))
        return tuple(out)

    def findings_in(self, cell_uri: str) -> list[tuple[int, Finding]]:
        """(index in the analysis, finding in cell lines) for the findings of one cell."""
        index = self.index(cell_uri)
        out: list[tuple[int, Finding]] = []
        if index is None:
            return out
        for number, finding in enumerate(self.analysis.findings):
            mapped = self.to_cell(finding)
            if mapped is not None and mapped[0] == index:
                out.append((number, mapped[1]))
        return out


class Notebooks:
    """The open notebooks' last lints, keyed by notebook URI."""

    def __init__(self) -> None:
        self.last: dict[str, NotebookLint] = {}

    def forget(self, uri: str) -> NotebookLint | None:
        return self.last.pop(uri, None)


def notebook_uri(ls: HptLanguageServer, cell_uri: str) -> str | None:
    """The URI of the open notebook that holds this cell (None: a plain text document)."""
    notebook = ls.workspace.get_notebook_document(cell_uri=cell_uri)
    return notebook.uri if notebook is not None else None


def lint(ls: HptLanguageServer, uri: str) -> NotebookLint | None:
    """Lint the notebook now and publish every cell's diagnostics."""
    from hpt_lint.lsp.server import settings_errors

    ls.cancel(uri)
    notebook = ls.workspace.get_notebook_document(notebook_uri=uri)
    if notebook is None:
        return None
    cells = tuple(cell.document for cell in notebook.cells)
    texts: list[str] = []
    versions: list[int | None] = []
    for cell in notebook.cells:
        doc = ls.workspace.get_text_document(cell.document)
        code = cell.kind == t.NotebookCellKind.Code and doc.language_id in (LANGUAGE, None)
        texts.append(doc.source if code else "")
        versions.append(doc.version)
    program = join_cells(texts)
    path = _path(uri)
    try:
        analysis = ls.documents.analyse(uri, path, program.text, notebook.version,
                                        cells=True)
    except settings_errors() as exc:
        ls.window_show_message(t.ShowMessageParams(type=t.MessageType.Error,
                                                   message=f"hpt-lint: {exc}"))
        return None
    except Exception as exc:  # never let a lint bug take the server down
        ls.window_log_message(t.LogMessageParams(
            type=t.MessageType.Error, message=f"hpt-lint: linting {uri} failed: {exc}"))
        return None
    state = NotebookLint(notebook.version, cells, tuple(texts), tuple(versions), program,
                         analysis, path)
    previous = ls.notebooks.last.get(uri)
    ls.notebooks.last[uri] = state
    publish(ls, state, previous)
    return state


def publish(ls: HptLanguageServer, state: NotebookLint,
            previous: NotebookLint | None = None) -> None:
    per_cell: dict[int, list[t.Diagnostic]] = {i: [] for i in range(len(state.cells))}
    for finding in state.analysis.findings:
        mapped = state.to_cell(finding)
        if mapped is None:
            continue
        index, local = mapped
        lines = split_lines(state.texts[index])
        per_cell[index].append(ls.diagnostic(lines, local))
    for index, uri in enumerate(state.cells):
        ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(
            uri=uri, version=state.versions[index], diagnostics=per_cell[index]))
    for uri in (previous.cells if previous else ()):
        if uri not in state.cells:  # a deleted cell: clear what it showed
            ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(
                uri=uri, diagnostics=[]))


def schedule(ls: HptLanguageServer, uri: str) -> None:
    import asyncio

    ls.cancel(uri)
    ls.timers[uri] = asyncio.get_running_loop().call_later(ls.debounce, lint, ls, uri)


def close(ls: HptLanguageServer, uri: str, cells: list[str]) -> None:
    ls.cancel(uri)
    state = ls.notebooks.forget(uri)
    ls.documents.forget(uri)
    for cell in {*cells, *(state.cells if state else ())}:
        ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=cell,
                                                                        diagnostics=[]))


def current(ls: HptLanguageServer, cell_uri: str) -> NotebookLint | None:
    """The lint of the notebook holding this cell, as the notebook is now."""
    uri = notebook_uri(ls, cell_uri)
    if uri is None:
        return None
    notebook = ls.workspace.get_notebook_document(notebook_uri=uri)
    state = ls.notebooks.last.get(uri)
    if state is None or notebook is None or state.version != notebook.version:
        state = lint(ls, uri)
    return state


def _path(uri: str) -> str:
    from pygls.uris import to_fs_path

    return to_fs_path(uri) or uri


def _cell_position(ls: HptLanguageServer, state: NotebookLint, index: int,
                   position: t.Position) -> tuple[int, int] | None:
    """A position in a cell -> 1-based (line, column) in the program."""
    start = state.program.starts[index]
    if start is None:
        return None
    line, column = ls.from_position(state.texts[index], position)
    return line + start - 1, column


# -- requests on a cell's URI ------------------------------------------------------
def code_actions(ls: HptLanguageServer, cell_uri: str, rng: t.Range) -> list[t.CodeAction]:
    from hpt_lint.lsp.quickfix import offers

    state = current(ls, cell_uri)
    index = state.index(cell_uri) if state else None
    if state is None or index is None:
        return []
    start = _cell_position(ls, state, index, rng.start)
    end = _cell_position(ls, state, index, rng.end)
    if start is None or end is None:
        return []
    lines = split_lines(state.texts[index])
    version = Analysis(state.versions[index], state.texts[index])
    actions: list[t.CodeAction] = []
    for offer in offers(state.analysis, state.program.text, state.path, ".py", start, end):
        mapped = state.to_cell(offer.finding)
        if mapped is None or mapped[0] != index:
            continue
        local = mapped[1]
        diagnostic = ls.diagnostic(lines, local)
        if offer.fix is not None and local.fix is not None:
            actions.append(ls.action(cell_uri, version, lines, local.fix.title,
                                     local.fix.edits, diagnostic, preferred=True))
        edits = state.edits_to_cell(index, offer.disable.edits) if offer.disable else None
        if offer.disable is not None and edits is not None:
            actions.append(ls.action(cell_uri, version, lines, offer.disable.title, edits,
                                     diagnostic, preferred=False))
    return actions


def hover(ls: HptLanguageServer, cell_uri: str, position: t.Position) -> t.Hover | None:
    from hpt_lint.engine import load_rules
    from hpt_lint.lsp.hover import entry_at, findings_at, rule_markdown, schema_markdown

    state = current(ls, cell_uri)
    index = state.index(cell_uri) if state else None
    if state is None or index is None:
        return None
    where = _cell_position(ls, state, index, position)
    if where is None:
        return None
    line, column = where
    rules = load_rules()
    parts = [rule_markdown(f, rules.get(f.rule))
             for f in findings_at(state.analysis.findings, line, column)]
    hit = entry_at(state.analysis.requests(), line, column)
    if hit is not None:
        doc = schema_markdown(hit[0])
        if doc:
            parts.insert(0, doc)
    if not parts:
        return None
    return t.Hover(contents=t.MarkupContent(kind=t.MarkupKind.Markdown,
                                            value="\n\n---\n\n".join(parts)))


def register(server: HptLanguageServer) -> None:
    """The notebook notifications (pygls keeps the notebooks and their cells in the
    workspace before these run)."""

    @server.feature(t.NOTEBOOK_DOCUMENT_DID_OPEN)
    def did_open(ls: HptLanguageServer, params: t.DidOpenNotebookDocumentParams) -> None:
        lint(ls, params.notebook_document.uri)

    @server.feature(t.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def did_change(ls: HptLanguageServer, params: t.DidChangeNotebookDocumentParams) -> None:
        structure = params.change.cells.structure if params.change.cells else None
        if structure is not None and structure.did_close:
            for uri in [c.uri for c in structure.did_close]:  # a deleted cell
                ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(
                    uri=uri, diagnostics=[]))
        schedule(ls, params.notebook_document.uri)

    @server.feature(t.NOTEBOOK_DOCUMENT_DID_SAVE)
    def did_save(ls: HptLanguageServer, params: t.DidSaveNotebookDocumentParams) -> None:
        lint(ls, params.notebook_document.uri)

    @server.feature(t.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def did_close(ls: HptLanguageServer, params: t.DidCloseNotebookDocumentParams) -> None:
        close(ls, params.notebook_document.uri, [c.uri for c in params.cell_text_documents])
