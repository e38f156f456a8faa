"""The language server (pygls 2, stdio): diagnostics, quick fixes, hover, completion.

Only documents the client opens are linted, never the workspace. Changes are
debounced (``debounce`` seconds, 0.3 by default; ``initializationOptions``
``{"debounce": 0.05}`` changes it); open and save lint at once.
"""

from __future__ import annotations

import asyncio
from typing import Any

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer

from hpt_lint import __version__
from hpt_lint.findings import Finding, Severity, TextEdit
from hpt_lint.lsp import notebooks, safe_log
from hpt_lint.lsp.documents import KINDS, Analysis, Documents
from hpt_lint.lsp.positions import UTF8, UTF16, UTF32, from_client, split_lines, to_client
from hpt_lint.lsp.protocol import HptProtocol
from hpt_lint.redact import scrub_tokens

log = safe_log.logger(__name__)

SOURCE = "hpt-lint"
DEFAULT_DEBOUNCE = 0.3
_SEVERITY = {Severity.ERROR: t.DiagnosticSeverity.Error,
             Severity.WARNING: t.DiagnosticSeverity.Warning,
             Severity.INFO: t.DiagnosticSeverity.Information}
_ENCODINGS = {t.PositionEncodingKind.Utf8: UTF8, t.PositionEncodingKind.Utf16: UTF16,
              t.PositionEncodingKind.Utf32: UTF32}



def settings_errors() -> tuple[type[Exception], ...]:
    """A bad config or policy file: the user must fix it, so the editor shows it."""
    from hpt_lint.config import ConfigError
    from hpt_lint.policy.model import PolicyError

    return (ConfigError, PolicyError)


def diagnostic(lines: list[str], finding: Finding, encoding: str) -> t.Diagnostic:
    """A finding as an LSP diagnostic, its range in ``encoding``'s code units."""
    from hpt_lint.rule import DOCS_URL

    sl, sc = to_client(lines, finding.line, finding.column, encoding)
    el, ec = to_client(lines, finding.end_line, finding.end_column, encoding)
    return t.Diagnostic(
        range=t.Range(start=t.Position(line=sl, character=sc),
                      end=t.Position(line=el, character=ec)),
        message=finding.message,
        severity=_SEVERITY[finding.severity],
        code=finding.rule,
        code_description=t.CodeDescription(href=DOCS_URL.format(id=finding.rule)),
        source=SOURCE,
    )


class HptLanguageServer(LanguageServer):
    def __init__(self) -> None:
        # Full sync: pygls applies incremental edits by ``str.splitlines`` lines, which
        # break at U+2028, NEL, \f...; the client counts LF/CRLF/CR only, so an edit
        # would land on the wrong line of a document holding one (hpt_lint.lines).
        super().__init__("hpt-lint", __version__, notebook_document_sync=notebooks.SYNC,
                         text_document_sync_kind=t.TextDocumentSyncKind.Full,
                         protocol_cls=HptProtocol)
        self.debounce = DEFAULT_DEBOUNCE
        self.documents = Documents()
        self.notebooks = notebooks.Notebooks()
        self.timers: dict[str, asyncio.TimerHandle] = {}

    # -- positions -------------------------------------------------------------
    def encoding(self) -> str:
        kind = self.workspace.position_encoding
        return _ENCODINGS.get(kind, UTF16) if kind is not None else UTF16

    def to_range(self, lines: list[str], line: int, column: int, end_line: int,
                 end_column: int) -> t.Range:
        enc = self.encoding()
        sl, sc = to_client(lines, line, column, enc)
        el, ec = to_client(lines, end_line, end_column, enc)
        return t.Range(start=t.Position(line=sl, character=sc),
                       end=t.Position(line=el, character=ec))

    def from_position(self, text: str, position: t.Position) -> tuple[int, int]:
        return from_client(split_lines(text), position.line, position.character,
                           self.encoding())

    # -- linting ---------------------------------------------------------------
    # (settings_errors: a bad .hpt-lint.yaml or policy file is shown to the user, not logged)
    def lint(self, uri: str) -> Analysis | None:
        notebook = notebooks.notebook_uri(self, uri)
        if notebook is not None:  # a notebook's cell: the notebook is linted as one program
            notebooks.lint(self, notebook)
            return None
        self.cancel(uri)
        doc = self.workspace.get_text_document(uri)
        try:
            analysis = self.documents.analyse(uri, doc.path or uri, doc.source, doc.version,
                                              doc.language_id)
        except settings_errors() as exc:  # the user's config or policy file is broken
            self.window_show_message(t.ShowMessageParams(
                type=t.MessageType.Error, message=f"hpt-lint: {scrub_tokens(str(exc))}"))
            return None
        except Exception as exc:  # never let a lint bug take the server down
            log.exception("linting %s failed", uri)
            self.window_log_message(t.LogMessageParams(
                type=t.MessageType.Error, message=safe_log.failure(f"linting {uri}", exc)))
            return None
        self.publish(uri, analysis)
        return analysis

    def publish(self, uri: str, analysis: Analysis) -> None:
        lines = split_lines(analysis.text)
        diagnostics = [self.diagnostic(lines, f) for f in analysis.findings]
        self.text_document_publish_diagnostics(t.PublishDiagnosticsParams(
            uri=uri, version=analysis.version, diagnostics=diagnostics))

    def diagnostic(self, lines: list[str], finding: Finding) -> t.Diagnostic:
        return diagnostic(lines, finding, self.encoding())

    def schedule(self, uri: str) -> None:
        self.cancel(uri)
        loop = asyncio.get_running_loop()
        self.timers[uri] = loop.call_later(self.debounce, self.lint, uri)

    def cancel(self, uri: str) -> None:
        timer = self.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()

    def current(self, uri: str) -> Analysis | None:
        """The analysis of the document as it is now (lint it if an edit is pending)."""
        doc = self.workspace.get_text_document(uri)
        analysis = self.documents.last.get(uri)
        if analysis is None or analysis.version != doc.version or analysis.text != doc.source:
            analysis = self.lint(uri)
        return analysis

    # -- code actions ----------------------------------------------------------
    def code_actions(self, uri: str, rng: t.Range) -> list[t.CodeAction]:
        from hpt_lint.lsp.quickfix import offers

        analysis = self.current(uri)
        if analysis is None or not analysis.findings:
            return []
        lines = split_lines(analysis.text)
        start = self.from_position(analysis.text, rng.start)
        end = self.from_position(analysis.text, rng.end)
        actions: list[t.CodeAction] = []
        for offer in offers(analysis, analysis.text, uri, analysis.suffix, start, end):
            diagnostic = self.diagnostic(lines, offer.finding)
            for fix, preferred in ((offer.fix, True), (offer.disable, False)):
                if fix is not None:
                    actions.append(self.action(uri, analysis, lines, fix.title, fix.edits,
                                               diagnostic, preferred=preferred))
        return actions

    def action(self, uri: str, analysis: Analysis, lines: list[str], title: str,
               edits: tuple[TextEdit, ...], diagnostic: t.Diagnostic,
               preferred: bool) -> t.CodeAction:
        text_edits = [t.TextEdit(range=self.to_range(lines, e.line, e.column, e.end_line,
                                                     e.end_column), new_text=e.new_text)
                      for e in edits]
        change = t.TextDocumentEdit(
            text_document=t.OptionalVersionedTextDocumentIdentifier(uri=uri,
                                                                    version=analysis.version),
            edits=list(text_edits))
        return t.CodeAction(title=title, kind=t.CodeActionKind.QuickFix,
                            diagnostics=[diagnostic], is_preferred=preferred,
                            edit=t.WorkspaceEdit(document_changes=[change]))

    # -- hover -----------------------------------------------------------------
    def hover(self, uri: str, position: t.Position) -> t.Hover | None:
        from hpt_lint.engine import load_rules
        from hpt_lint.lsp.hover import entry_at, findings_at, rule_markdown, schema_markdown

        analysis = self.current(uri)
        if analysis is None or analysis.suffix is None:
            return None
        line, column = self.from_position(analysis.text, position)
        parts: list[str] = []
        rules = load_rules()
        for finding in findings_at(analysis.findings, line, column):
            parts.append(rule_markdown(finding, rules.get(finding.rule)))
        requests = analysis.requests()
        if not requests and analysis.parse_failed:
            good = self.documents.last_good.get(uri)
            requests = good.requests() if good else []
        hit = entry_at(requests, line, column)
        if hit is not None:
            path, _where, _span = hit
            doc = schema_markdown(path)
            if doc:
                parts.insert(0, doc)
            from hpt_lint.lsp.algorithm_help import hover as algorithm_hover

            algorithm_doc = algorithm_hover(requests, path)
            if algorithm_doc:
                parts.insert(0, algorithm_doc)
        if not parts:
            return None
        return t.Hover(contents=t.MarkupContent(kind=t.MarkupKind.Markdown,
                                                value="\n\n---\n\n".join(parts)))

    # -- completion ------------------------------------------------------------
    def completion(self, uri: str, position: t.Position) -> t.CompletionList:
        from hpt_lint.lsp.completion import complete

        doc = self.workspace.get_text_document(uri)
        analysis_suffix = self.documents.last.get(uri)
        suffix = analysis_suffix.suffix if analysis_suffix else None
        kind = KINDS.get(suffix or "")
        items: list[t.CompletionItem] = []
        if kind is not None:
            line, column = self.from_position(doc.source, position)
            for item in complete(doc.source, line, column, kind):
                items.append(t.CompletionItem(
                    label=item.label,
                    kind=(t.CompletionItemKind.Property if item.kind == "property"
                          else t.CompletionItemKind.EnumMember),
                    detail=item.detail or None,
                    documentation=(t.MarkupContent(kind=t.MarkupKind.Markdown,
                                                   value=item.documentation)
                                   if item.documentation else None),
                    insert_text=item.insert_text,
                ))
        return t.CompletionList(is_incomplete=False, items=items)


def build() -> HptLanguageServer:
    server = HptLanguageServer()

    @server.feature(t.INITIALIZE)
    def initialize(ls: HptLanguageServer, params: t.InitializeParams) -> None:
        options: Any = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get("debounce"), int | float):
            ls.debounce = max(0.0, float(options["debounce"]))

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: HptLanguageServer, params: t.DidOpenTextDocumentParams) -> None:
        ls.lint(params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: HptLanguageServer, params: t.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: HptLanguageServer, params: t.DidSaveTextDocumentParams) -> None:
        ls.lint(params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: HptLanguageServer, params: t.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.cancel(uri)
        ls.documents.forget(uri)
        ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri,
                                                                        diagnostics=[]))

    @server.feature(t.TEXT_DOCUMENT_CODE_ACTION,
                    t.CodeActionOptions(code_action_kinds=[t.CodeActionKind.QuickFix]))
    def code_action(ls: HptLanguageServer,
                    params: t.CodeActionParams) -> list[t.CodeAction] | None:
        if notebooks.notebook_uri(ls, params.text_document.uri):  # a notebook's cell
            return notebooks.code_actions(ls, params.text_document.uri, params.range) or None
        return ls.code_actions(params.text_document.uri, params.range) or None

    @server.feature(t.TEXT_DOCUMENT_HOVER)
    def hover(ls: HptLanguageServer, params: t.HoverParams) -> t.Hover | None:
        if notebooks.notebook_uri(ls, params.text_document.uri):  # a notebook's cell
            return notebooks.hover(ls, params.text_document.uri, params.position)
        return ls.hover(params.text_document.uri, params.position)

    @server.feature(t.TEXT_DOCUMENT_COMPLETION,
                    t.CompletionOptions(trigger_characters=['"', ":"]))
    def completion(ls: HptLanguageServer, params: t.CompletionParams) -> t.CompletionList:
        return ls.completion(params.text_document.uri, params.position)

    notebooks.register(server)
    return server


def serve() -> None:
    build().start_io()
