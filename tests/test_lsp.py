"""The language server end to end: the real ``hpt-lint lsp`` process over stdio."""

from __future__ import annotations

import asyncio
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
from hpt_lint.rule import DOCS_URL

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lsp"
REQUEST = (FIXTURES / "request.yaml").read_text(encoding="utf-8")
DEBOUNCE = 0.05

pytestmark = pytest.mark.asyncio(loop_scope="module")


PUBLISHED: list[t.PublishDiagnosticsParams] = []  # every publish, in order


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
    await lsp_client.initialize_session(t.InitializeParams(
        capabilities=pytest_lsp.client_capabilities("visual-studio-code"),
        initialization_options={"debounce": DEBOUNCE},
    ))
    yield
    await lsp_client.shutdown_session()


def uri_for(name: str) -> str:
    return (FIXTURES / name).as_uri()


async def published(client: LanguageClient, uri: str, version: int | None,
                    timeout: float = 30.0) -> t.PublishDiagnosticsParams:
    """The last diagnostics published for ``uri`` at ``version`` (waiting for them)."""
    async def wait() -> t.PublishDiagnosticsParams:
        while True:
            for params in reversed(PUBLISHED):
                if params.uri == uri and params.version == version:
                    return params
            await asyncio.sleep(0.005)

    return await asyncio.wait_for(wait(), timeout)


async def open_doc(client: LanguageClient, name: str, text: str,
                   language: str = "yaml") -> t.PublishDiagnosticsParams:
    uri = uri_for(name)
    client.text_document_did_open(t.DidOpenTextDocumentParams(
        t.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)))
    return await published(client, uri, 1)


async def change(client: LanguageClient, name: str, version: int,
                 text: str) -> t.PublishDiagnosticsParams:
    uri = uri_for(name)
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[t.TextDocumentContentChangeWholeDocument(text=text)]))
    return await published(client, uri, version)


def close(client: LanguageClient, name: str) -> None:
    client.text_document_did_close(t.DidCloseTextDocumentParams(
        t.TextDocumentIdentifier(uri=uri_for(name))))


def utf16_offset(text: str, pos: t.Position) -> int:
    """An LSP UTF-16 position -> index into ``text`` (independent of the server's code)."""
    lines = text.split("\n")
    start = sum(len(x) + 1 for x in lines[: pos.line])
    units = lines[pos.line].encode("utf-16-le")[: pos.character * 2].decode("utf-16-le")
    return start + len(units)


def apply(text: str, edits: list[t.TextEdit]) -> str:
    spans = sorted(((utf16_offset(text, e.range.start), utf16_offset(text, e.range.end),
                     e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def edits_of(action: t.CodeAction) -> list[t.TextEdit]:
    assert action.edit is not None and action.edit.document_changes
    change = action.edit.document_changes[0]
    assert isinstance(change, t.TextDocumentEdit)
    return list(change.edits)  # type: ignore[arg-type]


def cli_findings(text: str) -> list[tuple[str, int]]:
    result = lint_text(text, "request.yaml", Config(), ".yaml")
    return sorted((f.rule, f.line) for f in result.findings)


def lsp_findings(params: t.PublishDiagnosticsParams) -> list[tuple[str, int]]:
    return sorted((str(d.code), d.range.start.line + 1) for d in params.diagnostics)


async def test_diagnostics_on_open_match_the_cli_at_utf16_ranges(client: LanguageClient):
    params = await open_doc(client, "open.yaml", REQUEST)
    assert lsp_findings(params) == [("HPT102", 29), ("HPT103", 13), ("HPT103", 14)]
    assert lsp_findings(params) == cli_findings(REQUEST)
    by_line = {d.range.start.line + 1: d for d in params.diagnostics}
    # line 13: `      - {Name: "😀eta", MinValue: 0.01, ...`: the emoji is one code point
    # but two UTF-16 units, so 0.01 starts at code point 34 and UTF-16 unit 34 (0-based)
    lines = REQUEST.split("\n")
    assert lines[12].index("0.01") == 33
    min_value = by_line[13]
    assert min_value.range == t.Range(start=t.Position(line=12, character=34),
                                      end=t.Position(line=12, character=38))
    assert utf16_offset(REQUEST, min_value.range.start) == REQUEST.index("0.01, Max")
    unknown = by_line[29]
    assert unknown.range == t.Range(start=t.Position(line=28, character=2),
                                    end=t.Position(line=28, character=18))
    assert unknown.code == "HPT102"
    assert unknown.source == "hpt-lint"
    assert unknown.severity == t.DiagnosticSeverity.Error
    assert unknown.code_description is not None
    assert unknown.code_description.href == DOCS_URL.format(id="HPT102")
    assert "StoppingCondition" in unknown.message
    close(client, "open.yaml")


async def test_change_updates_and_clearing_the_fault_clears(client: LanguageClient):
    name = "change.yaml"
    params = await open_doc(client, name, REQUEST)
    assert ("HPT102", 29) in lsp_findings(params)
    text = REQUEST.replace("  StopingCondition:  # HPT102", "  StoppingCondition:")
    # the server asks for whole documents (Full sync; see test_lsp_line_model.py)
    params = await change(client, name, 2, text)
    assert lsp_findings(params) == [("HPT103", 13), ("HPT103", 14)]
    text = text.replace("MinValue: 0.01", 'MinValue: "0.01"').replace(": OFF", ": Off2")
    params = await change(client, name, 3, text)
    assert lsp_findings(params) == [("HPT104", 14)]
    text = text.replace(": Off2", ': "Off"')
    params = await change(client, name, 4, text)
    assert len(params.diagnostics) == 0
    close(client, name)


async def test_changes_are_debounced(client: LanguageClient):
    name = "debounce.yaml"
    await open_doc(client, name, REQUEST)
    uri = uri_for(name)
    for version in range(2, 6):  # four quick edits: only the last one is linted
        client.text_document_did_change(t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[t.TextDocumentContentChangeWholeDocument(
                text=REQUEST + "#" * version)]))
    params = await published(client, uri, 5)
    assert [p.version for p in PUBLISHED if p.uri == uri] == [1, 5]
    assert lsp_findings(params) == cli_findings(REQUEST)
    close(client, name)


async def actions_at(client: LanguageClient, name: str, diagnostic: t.Diagnostic
                     ) -> list[t.CodeAction]:
    result = await client.text_document_code_action_async(t.CodeActionParams(
        text_document=t.TextDocumentIdentifier(uri=uri_for(name)), range=diagnostic.range,
        context=t.CodeActionContext(diagnostics=[diagnostic])))
    return [a for a in result or [] if isinstance(a, t.CodeAction)]


async def test_every_quick_fix_applied_yields_a_clean_document(client: LanguageClient):
    name = "quickfix.yaml"
    text = REQUEST
    params = await open_doc(client, name, text)
    version = 1
    applied = []
    while params.diagnostics:
        diagnostic = params.diagnostics[0]
        fixes = [a for a in await actions_at(client, name, diagnostic) if a.is_preferred]
        assert fixes, f"no quick fix for {diagnostic.code}: {diagnostic.message}"
        assert fixes[0].kind == t.CodeActionKind.QuickFix
        assert fixes[0].diagnostics and fixes[0].diagnostics[0].code == diagnostic.code
        applied.append((diagnostic.code, fixes[0].title))
        text = apply(text, edits_of(fixes[0]))
        version += 1
        params = await change(client, name, version, text)
        assert version < 10
    assert [code for code, _ in applied] == ["HPT103", "HPT103", "HPT104", "HPT102"]
    assert 'MinValue: "0.01"' in text
    assert 'TrainingJobEarlyStoppingType: "Off"  # HPT104' in text  # comment kept
    assert '  StoppingCondition:  # HPT102' in text  # a plain key stays plain
    assert cli_findings(text) == []
    close(client, name)


async def test_disable_on_this_line_action(client: LanguageClient):
    name = "disable.yaml"
    params = await open_doc(client, name, REQUEST)
    diagnostic = next(d for d in params.diagnostics if d.code == "HPT102")
    actions = await actions_at(client, name, diagnostic)
    disable = [a for a in actions if a.title == "Disable HPT102 on this line"]
    assert len(disable) == 1 and not disable[0].is_preferred
    text = apply(REQUEST, edits_of(disable[0]))
    assert text.split("\n")[28] == ("  StopingCondition:  # HPT102"
                                    "  # hpt-lint: disable=HPT102")
    # the edit changes nothing but the comment, and the server then agrees with the CLI
    params = await change(client, name, 2, text)
    assert lsp_findings(params) == cli_findings(text)
    close(client, name)


async def test_no_disable_action_in_json(client: LanguageClient):
    name = "request.json"
    text = '{\n  "HyperParameterTuningJobName": "a",\n  "Stratgy": 1\n}\n'
    params = await open_doc(client, name, text, language="json")
    diagnostic = next(d for d in params.diagnostics if d.code == "HPT102")
    titles = [a.title for a in await actions_at(client, name, diagnostic)]
    assert not any(title.startswith("Disable") for title in titles)
    close(client, name)


async def test_hover_shows_schema_docs_and_rule(client: LanguageClient):
    name = "hover.yaml"
    await open_doc(client, name, REQUEST)
    lines = REQUEST.split("\n")
    strategy = lines.index("  Strategy: Bayesian")
    hover = await client.text_document_hover_async(t.HoverParams(
        text_document=t.TextDocumentIdentifier(uri=uri_for(name)),
        position=t.Position(line=strategy, character=4)))
    assert hover is not None and isinstance(hover.contents, t.MarkupContent)
    value = hover.contents.value
    assert value.startswith("**Strategy**: `string` (required)")
    assert "one of `Bayesian`, `Random`, `Hyperband`, `Grid`" in value
    assert "how hyperparameter tuning chooses" in value
    hover = await client.text_document_hover_async(t.HoverParams(
        text_document=t.TextDocumentIdentifier(uri=uri_for(name)),
        position=t.Position(line=28, character=5)))
    assert hover is not None and isinstance(hover.contents, t.MarkupContent)
    value = hover.contents.value
    assert "**HPT102** `unknown-key` (error)" in value
    assert "Quick fix: Rename `StopingCondition` to `StoppingCondition`." in value
    assert DOCS_URL.format(id="HPT102") in value
    close(client, name)


async def completion_labels(client: LanguageClient, name: str, line: int,
                            character: int) -> list[str]:
    result = await client.text_document_completion_async(t.CompletionParams(
        text_document=t.TextDocumentIdentifier(uri=uri_for(name)),
        position=t.Position(line=line, character=character)))
    items = result.items if isinstance(result, t.CompletionList) else (result or [])
    return [i.label for i in items]


async def test_completion_of_members_and_enum_values_in_yaml(client: LanguageClient):
    name = "complete.yaml"
    text = REQUEST.replace("  Strategy: Bayesian\n", "  Strategy: \n  Str\n")
    await open_doc(client, name, text)
    lines = text.split("\n")
    row = lines.index("  Str")
    members = await completion_labels(client, name, row, 5)
    assert "StrategyConfig" in members and "WarmStartConfig" not in members
    assert "Strategy" not in members and "ResourceLimits" not in members  # present already
    values = await completion_labels(client, name, lines.index("  Strategy: "), 12)
    assert values == ["Bayesian", "Random", "Hyperband", "Grid"]
    close(client, name)


async def test_completion_in_half_typed_json(client: LanguageClient):
    name = "complete.json"
    text = '{"HyperParameterTuningJobConfig": {"Strategy": "Grid", "'
    await open_doc(client, name, text, language="json")
    members = await completion_labels(client, name, 0, len(text))
    assert "ResourceLimits" in members and "Strategy" not in members
    text2 = '{"HyperParameterTuningJobConfig": {"TrainingJobEarlyStoppingType": "'
    await change(client, name, 2, text2)
    assert await completion_labels(client, name, 0, len(text2)) == ["Off", "Auto"]
    close(client, name)


async def test_malformed_document_keeps_earlier_diagnostics(client: LanguageClient):
    name = "broken.yaml"
    await open_doc(client, name, REQUEST)
    lines = REQUEST.split("\n")
    lines[20] = "    TrainingInputMode: [File"  # an unclosed flow sequence on line 21
    params = await change(client, name, 2, "\n".join(lines))
    codes = lsp_findings(params)
    parse_errors = [c for c in codes if c[0] == "HPT001"]
    assert len(parse_errors) == 1 and parse_errors[0][1] >= 21
    # the findings above the error are kept from the last good version; HPT102 below is not
    assert ("HPT103", 13) in codes and ("HPT103", 14) in codes
    assert not any(c[0] == "HPT102" for c in codes)
    close(client, name)


async def test_a_non_request_yaml_gets_an_empty_list(client: LanguageClient):
    params = await open_doc(client, "workflow.yaml", "on: push\njobs:\n  test: {}\n")
    assert len(params.diagnostics) == 0
    close(client, "workflow.yaml")


async def test_an_unsupported_file_gets_an_empty_list(client: LanguageClient):
    params = await open_doc(client, "notes.txt", "HyperParameterTuningJobName: x\n",
                            language="plaintext")
    assert len(params.diagnostics) == 0
    close(client, "notes.txt")


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[sys.executable, "-m", "hpt_lint", "lsp"],
                              client_factory=_client),
)
async def nvim(lsp_client: LanguageClient):
    # Neovim 0.11 offers utf-8 first: columns are then counted in UTF-8 bytes
    await lsp_client.initialize_session(t.InitializeParams(
        capabilities=pytest_lsp.client_capabilities("neovim"),
        initialization_options={"debounce": DEBOUNCE},
    ))
    yield
    await lsp_client.shutdown_session()


async def test_columns_follow_the_negotiated_position_encoding(nvim: LanguageClient):
    params = await open_doc(nvim, "nvim.yaml", REQUEST)
    min_value = next(d for d in params.diagnostics if d.range.start.line == 12)
    line = REQUEST.split("\n")[12]
    start = len(line[: line.index("0.01")].encode("utf-8"))
    assert min_value.range == t.Range(start=t.Position(line=12, character=start),
                                      end=t.Position(line=12, character=start + 4))
    assert start == 33 + 3  # the emoji is 4 bytes
    close(nvim, "nvim.yaml")



async def test_a_broken_config_file_is_shown_to_the_user(client: LanguageClient,
                                                          tmp_path: Path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".hpt-lint.yaml").write_text("selectt: [HPT3]\n")
    uri = (tmp_path / "job.yaml").as_uri()
    client.text_document_did_open(t.DidOpenTextDocumentParams(t.TextDocumentItem(
        uri=uri, language_id="yaml", version=1, text="HyperParameterTuningJobName: a_b\n")))
    await client.wait_for_notification(t.WINDOW_SHOW_MESSAGE)
    (message,) = [m for m in client.messages if "hpt-lint" in m.message]
    assert message.type == t.MessageType.Error and "selectt" in message.message
    # the server is still serving other documents
    params = await open_doc(client, "still-alive.yaml", "HyperParameterTuningJobName: a_b\n")
    assert "HPT201" in {str(d.code) for d in params.diagnostics}
    close(client, "still-alive.yaml")
