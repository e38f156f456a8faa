"""The language server counts lines as the LSP specification does (``\\n``, ``\\r\\n``,
``\\r``) and as the CLI does: diagnostics, quick fixes and "Disable HPTnnn on this line"
land on the right text in a file with lone CRs (issue 12, data loss 1)."""

from __future__ import annotations

import asyncio
import re
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

pytestmark = pytest.mark.asyncio(loop_scope="module")

URI = (Path(__file__).resolve().parent / "fixtures" / "lsp" / "cr-lines.yaml").as_uri()
CR_IN_COMMENT = ("# a\r# b\nHyperParameterTuningJobName: xgb-1\nHyperParameterTuningJobConfig:\n"
                 "  Strategy: bayesian\n  TrainingJobEarlyStoppingType: Auto\n")
SPEC_BREAK = re.compile(r"\r\n|\r|\n")  # the LSP specification's line endings
PUBLISHED: list[t.PublishDiagnosticsParams] = []
INITIALIZED: list[t.InitializeResult] = []


def _client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)

    def record(client: LanguageClient, params: t.PublishDiagnosticsParams) -> None:
        PUBLISHED.append(params)

    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES,
                                   t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: record})
    return client


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[sys.executable, "-m", "hpt_lint", "lsp"],
                              client_factory=_client),
)
async def client(lsp_client: LanguageClient):
    result = await lsp_client.initialize_session(t.InitializeParams(
        capabilities=pytest_lsp.client_capabilities("visual-studio-code"),
        initialization_options={"debounce": 0.01},
    ))
    INITIALIZED.append(result)
    yield
    await lsp_client.shutdown_session()


async def published(version: int) -> t.PublishDiagnosticsParams:
    async def wait() -> t.PublishDiagnosticsParams:
        while True:
            for params in reversed(PUBLISHED):
                if params.uri == URI and params.version == version:
                    return params
            await asyncio.sleep(0.005)

    return await asyncio.wait_for(wait(), 30)


def offset(text: str, pos: t.Position) -> int:
    """A UTF-16 LSP position -> index into ``text``, by the specification's line rules."""
    starts = [0] + [m.end() for m in SPEC_BREAK.finditer(text)]
    line = text[starts[pos.line]:]
    units = line.encode("utf-16-le")[: pos.character * 2].decode("utf-16-le")
    return starts[pos.line] + len(units)


def apply(text: str, edits: list[t.TextEdit]) -> str:
    for start, end, new in sorted(((offset(text, e.range.start), offset(text, e.range.end),
                                    e.new_text) for e in edits), reverse=True):
        text = text[:start] + new + text[end:]
    return text


async def test_diagnostics_and_disable_comment_in_a_file_with_lone_crs(client: LanguageClient):
    client.text_document_did_open(t.DidOpenTextDocumentParams(
        t.TextDocumentItem(uri=URI, language_id="yaml", version=1, text=CR_IN_COMMENT)))
    params = await published(1)
    cli = lint_text(CR_IN_COMMENT, "cr-lines.yaml", Config(), ".yaml").findings
    assert sorted((str(d.code), d.range.start.line + 1) for d in params.diagnostics) == \
        sorted((f.rule, f.line) for f in cli)
    lines = SPEC_BREAK.split(CR_IN_COMMENT)
    for d in params.diagnostics:  # every range covers the text the CLI points at
        f = next(f for f in cli if f.rule == d.code)
        assert lines[d.range.start.line][d.range.start.character:].startswith(
            lines[f.line - 1][f.column - 1:f.end_column - 1] if f.line == f.end_line else "")
    diagnostic = next(d for d in params.diagnostics if d.code == "HPT410")
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        text_document=t.TextDocumentIdentifier(uri=URI), range=diagnostic.range,
        context=t.CodeActionContext(diagnostics=[diagnostic])))
    disable = [a for a in actions or [] if isinstance(a, t.CodeAction)
               and a.title == "Disable HPT410 on this line"]
    assert len(disable) == 1
    edit = disable[0].edit
    assert edit is not None and edit.document_changes
    change = edit.document_changes[0]
    assert isinstance(change, t.TextDocumentEdit)
    after = apply(CR_IN_COMMENT, list(change.edits))  # type: ignore[arg-type]
    assert after == CR_IN_COMMENT.replace(
        "HyperParameterTuningJobName: xgb-1\n",
        "HyperParameterTuningJobName: xgb-1  # hpt-lint: disable=HPT410\n")
    # and the quick fix for HPT104 rewrites `bayesian`, nothing else
    diagnostic = next(d for d in params.diagnostics if d.code == "HPT104")
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        text_document=t.TextDocumentIdentifier(uri=URI), range=diagnostic.range,
        context=t.CodeActionContext(diagnostics=[diagnostic])))
    preferred = [a for a in actions or [] if isinstance(a, t.CodeAction) and a.is_preferred]
    assert preferred and preferred[0].edit and preferred[0].edit.document_changes
    change = preferred[0].edit.document_changes[0]
    assert isinstance(change, t.TextDocumentEdit)
    assert apply(CR_IN_COMMENT, list(change.edits)) == CR_IN_COMMENT.replace(  # type: ignore[arg-type]
        "bayesian", "Bayesian")
    client.text_document_did_close(t.DidCloseTextDocumentParams(
        t.TextDocumentIdentifier(uri=URI)))


async def test_documents_with_unicode_line_separators_stay_in_step(client: LanguageClient):
    """pygls applies *incremental* edits by ``str.splitlines`` lines (which break at
    U+2028, NEL, ...), unlike the client: the server asks for whole documents instead."""
    sync = INITIALIZED[0].capabilities.text_document_sync
    kind = sync.change if isinstance(sync, t.TextDocumentSyncOptions) else sync
    assert kind == t.TextDocumentSyncKind.Full
    text = 'Note: "a\u2028b\x85c"  # d\u2029#e\n' + CR_IN_COMMENT.replace("# a\r# b\n", "")
    client.text_document_did_open(t.DidOpenTextDocumentParams(
        t.TextDocumentItem(uri=URI, language_id="yaml", version=5, text=text)))
    params = await published(5)
    cli = lint_text(text, "cr-lines.yaml", Config(), ".yaml").findings
    assert sorted((str(d.code), d.range.start.line + 1, d.range.start.character + 1)
                  for d in params.diagnostics) == sorted((f.rule, f.line, f.column) for f in cli)
    assert ("HPT104", 4, 13) in {(f.rule, f.line, f.column) for f in cli}
    client.text_document_did_close(t.DidCloseTextDocumentParams(
        t.TextDocumentIdentifier(uri=URI)))
