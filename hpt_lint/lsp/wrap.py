"""``hpt-lint lsp --wrap -- CMD...``: hpt-lint's diagnostics added to another language server.

Editors that run one server per language (jupyter-lsp) cannot run hpt-lint beside the
user's Python server, so hpt-lint sits between them: a JSON-RPC relay over stdio.

- Messages are relayed unchanged, both ways: requests, responses, notifications,
  ``$/cancelRequest``, and the server's own requests to the client (ids are not
  rewritten: the wrapper never sends a request of its own, so ids cannot collide).
  The exceptions are merges: the ``initialize`` result (the wrapped server's capabilities, plus
  hpt-lint's: text synchronisation, quick fixes, hover), and
  ``textDocument/publishDiagnostics``: per URI the client gets the union of the
  wrapped server's last diagnostics and hpt-lint's, republished whenever either side
  changes. The answers to ``textDocument/codeAction`` and ``textDocument/hover`` get
  hpt-lint's quick fixes and rule/schema notes added where it has some (an answer
  where hpt-lint has nothing to add passes unchanged); if the wrapped server does not
  know the method, hpt-lint's answer replaces its error.
- hpt-lint lints the documents it sees pass (``didOpen``/``didChange``/``didClose``)
  with the language server's own ``Documents.analyse``, debounced, in a worker thread
  so relaying never waits on a lint. The loader follows ``languageId``: a Python
  document under an ``.ipynb`` name (jupyterlab-lsp's virtual notebook document) is
  read as the notebook's cells joined.
- If the wrapped server dies, every request still open gets an error response, the
  client is shown a message, and the wrapper exits with an error: no hang.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from hpt_lint.lsp import safe_log

log = safe_log.logger(__name__)

MAX_HEADER = 64 * 1024
INTERNAL_ERROR = -32603
EXIT_WAIT = 5.0  # seconds the wrapped server gets to exit after `exit`


# -- framing -----------------------------------------------------------------------
async def read_message(reader: asyncio.StreamReader) -> bytes | None:
    """One JSON-RPC body (None at the end of the stream)."""
    length: int | None = None
    seen = 0
    while True:
        line = await reader.readline()
        if not line:
            return None
        seen += len(line)
        if seen > MAX_HEADER:
            raise ValueError("LSP header too long")
        text = line.decode("ascii", "replace").strip()
        if not text:
            if length is None:
                continue  # stray blank line between messages
            break
        name, _, value = text.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    try:
        return await reader.readexactly(length)
    except asyncio.IncompleteReadError:
        return None


def frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def encode(message: dict[str, Any]) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# -- capabilities ------------------------------------------------------------------
def merge_capabilities(theirs: dict[str, Any]) -> dict[str, Any]:
    """The wrapped server's capabilities plus what hpt-lint needs to see documents: its
    text synchronisation is kept when it has one (hpt-lint applies either kind)."""
    merged = dict(theirs)
    sync = merged.get("textDocumentSync")
    if sync is None or sync == 0:
        merged["textDocumentSync"] = {"openClose": True, "change": 2, "save": True}
    elif isinstance(sync, dict):
        merged["textDocumentSync"] = {**sync, "openClose": True,
                                      "change": sync.get("change") or 2}
    if not merged.get("codeActionProvider"):
        merged["codeActionProvider"] = {"codeActionKinds": ["quickfix"]}
    if not merged.get("hoverProvider"):
        merged["hoverProvider"] = True
    return merged


# -- the relay ---------------------------------------------------------------------
@dataclass
class _Doc:
    uri: str
    text: str
    version: int | None
    language_id: str | None


@dataclass
class Relay:
    command: list[str]
    debounce: float = 0.3
    child: asyncio.subprocess.Process | None = None
    client_out: Any = None  # a writable binary stream (the wrapper's stdout)
    encoding: str = "utf-16"
    docs: dict[str, _Doc] = field(default_factory=dict)
    theirs: dict[str, list[Any]] = field(default_factory=dict)
    ours: dict[str, list[Any]] = field(default_factory=dict)
    versions: dict[str, int | None] = field(default_factory=dict)
    pending: dict[Any, str] = field(default_factory=dict)  # client request id -> method
    timers: dict[str, asyncio.TimerHandle] = field(default_factory=dict)
    initialize_id: Any = None
    merging: dict[Any, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    exiting: bool = False
    loop: Any = None

    def __post_init__(self) -> None:
        from hpt_lint.lsp.documents import Documents

        self.documents = Documents()
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="hpt-lint")
        self.linting: dict[str, asyncio.Future[Any]] = {}

    # -- to the client -------------------------------------------------------------
    def to_client(self, body: bytes) -> None:
        self.client_out.write(frame(body))
        self.client_out.flush()

    def notify_client(self, method: str, params: dict[str, Any]) -> None:
        self.to_client(encode({"jsonrpc": "2.0", "method": method, "params": params}))

    def publish(self, uri: str) -> None:
        diagnostics = [*self.theirs.get(uri, []), *self.ours.get(uri, [])]
        params: dict[str, Any] = {"uri": uri, "diagnostics": diagnostics}
        version = self.versions.get(uri)
        if version is not None:
            params["version"] = version
        self.notify_client("textDocument/publishDiagnostics", params)

    # -- client -> server ----------------------------------------------------------
    async def from_client(self, reader: asyncio.StreamReader) -> None:
        assert self.child is not None and self.child.stdin is not None
        while True:
            body = await read_message(reader)
            if body is None:
                break
            message = _parse(body)
            if message is not None:
                self.observe_client(message)
            with contextlib.suppress(ConnectionError):
                self.child.stdin.write(frame(body))
                await self.child.stdin.drain()
            if message is not None and message.get("method") == "exit":
                self.exiting = True
                break
        self.exiting = True
        with contextlib.suppress(ConnectionError, OSError):
            self.child.stdin.close()

    def observe_client(self, message: dict[str, Any]) -> None:
        method = message.get("method")
        if "id" in message and method is not None:
            self.pending[_key(message["id"])] = method
            if method in MERGED:
                self.merging[_key(message["id"])] = (method, message.get("params") or {})
            if method == "initialize":
                self.initialize_id = _key(message["id"])
            return
        if "id" in message and method is None:  # the client answers a server request
            return
        params = message.get("params") or {}
        try:
            if method == "textDocument/didOpen":
                item = params["textDocument"]
                self.docs[item["uri"]] = _Doc(item["uri"], item["text"], item.get("version"),
                                              item.get("languageId"))
                self.versions[item["uri"]] = item.get("version")
                self.lint_soon(item["uri"], 0.0)
            elif method == "textDocument/didChange":
                self.apply_change(params)
            elif method == "textDocument/didSave":
                self.lint_soon(params["textDocument"]["uri"], 0.0)
            elif method == "textDocument/didClose":
                uri = params["textDocument"]["uri"]
                self.docs.pop(uri, None)
                self.cancel(uri)
                self.pool.submit(self.documents.forget, uri)
                if self.ours.pop(uri, None):
                    self.publish(uri)
        except (KeyError, TypeError, ValueError):
            log.warning("ignoring a malformed %s", method)

    def apply_change(self, params: dict[str, Any]) -> None:
        from lsprotocol import types as t
        from pygls.protocol import default_converter
        from pygls.workspace import TextDocument
        from pygls.workspace.position_codec import PositionCodec

        uri = params["textDocument"]["uri"]
        doc = self.docs.get(uri)
        if doc is None:
            return
        typed = default_converter().structure(params, t.DidChangeTextDocumentParams)
        buffer = TextDocument(uri, doc.text, doc.version, doc.language_id,
                              position_codec=PositionCodec(_ENCODING_KINDS[self.encoding]))
        for change in typed.content_changes:
            buffer.apply_change(change)
        doc.text = buffer.source
        doc.version = params["textDocument"].get("version")
        self.versions[uri] = doc.version
        self.lint_soon(uri, self.debounce)

    # -- linting -------------------------------------------------------------------
    def cancel(self, uri: str) -> None:
        timer = self.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()

    def lint_soon(self, uri: str, delay: float) -> None:
        self.cancel(uri)
        loop = asyncio.get_running_loop()
        self.timers[uri] = loop.call_later(delay, lambda: asyncio.ensure_future(
            self.lint(uri)))

    async def lint(self, uri: str) -> None:
        self.timers.pop(uri, None)
        doc = self.docs.get(uri)
        if doc is None:
            return
        snapshot = _Doc(doc.uri, doc.text, doc.version, doc.language_id)
        loop = asyncio.get_running_loop()
        diagnostics = await loop.run_in_executor(self.pool, self.diagnose, snapshot)
        current = self.docs.get(uri)
        if current is None or current.version != snapshot.version \
                or current.text != snapshot.text:
            return  # changed while linting: a newer lint is on its way
        if diagnostics is None:
            return
        self.ours[uri] = diagnostics
        self.publish(uri)

    def diagnose(self, doc: _Doc) -> list[Any] | None:
        """hpt-lint's diagnostics for one document (JSON), in the worker thread."""
        from pygls.protocol import default_converter
        from pygls.uris import to_fs_path

        from hpt_lint.lsp.positions import split_lines
        from hpt_lint.lsp.server import diagnostic, settings_errors
        from hpt_lint.redact import scrub_tokens

        try:
            analysis = self.documents.analyse(doc.uri, to_fs_path(doc.uri) or doc.uri,
                                              doc.text, doc.version, doc.language_id)
        except settings_errors() as exc:
            self.log_to_client(f"hpt-lint: {scrub_tokens(str(exc))}", 1)
            return None
        except Exception as exc:  # never let a lint bug take the relay down
            log.exception("linting %s failed", doc.uri)
            self.log_to_client(safe_log.failure(f"linting {doc.uri}", exc), 1)
            return None
        lines = split_lines(analysis.text)
        converter = default_converter()
        return [converter.unstructure(diagnostic(lines, f, self.encoding))
                for f in analysis.findings]

    def log_to_client(self, message: str, kind: int) -> None:
        loop = self.loop
        loop.call_soon_threadsafe(self.notify_client, "window/showMessage",
                                  {"type": kind, "message": message})

    # -- server -> client ----------------------------------------------------------
    async def from_server(self) -> None:
        assert self.child is not None and self.child.stdout is not None
        while True:
            body = await read_message(self.child.stdout)
            if body is None:
                return
            message = _parse(body)
            if message is None:
                self.to_client(body)
                continue
            method = message.get("method")
            if method == "textDocument/publishDiagnostics":
                params = message.get("params") or {}
                uri = params.get("uri")
                if isinstance(uri, str):
                    self.theirs[uri] = list(params.get("diagnostics") or [])
                    if params.get("version") is not None and uri not in self.docs:
                        self.versions[uri] = params["version"]
                    self.publish(uri)
                    continue
            if method is None and "id" in message:
                key = _key(message["id"])
                self.pending.pop(key, None)
                if key == self.initialize_id and isinstance(message.get("result"), dict):
                    self.initialize_id = None
                    body = encode(self.initialized(message))
                elif key in self.merging:
                    request, params = self.merging.pop(key)
                    merged = await self.merge_answer(message, request, params)
                    if merged is not None:
                        body = encode(merged)
            self.to_client(body)

    def initialized(self, message: dict[str, Any]) -> dict[str, Any]:
        result = dict(message["result"])
        capabilities = result.get("capabilities") or {}
        encoding = capabilities.get("positionEncoding")
        if encoding in _ENCODING_KINDS:
            self.encoding = encoding
        result["capabilities"] = merge_capabilities(capabilities)
        return {**message, "result": result}

    async def merge_answer(self, message: dict[str, Any], method: str,
                           params: dict[str, Any]) -> dict[str, Any] | None:
        """The wrapped server's answer with hpt-lint's added (None: pass it unchanged)."""
        uri = (params.get("textDocument") or {}).get("uri")
        doc = self.docs.get(uri) if isinstance(uri, str) else None
        if doc is None:
            return None
        error = message.get("error")
        if error is not None and not (isinstance(error, dict)
                                      and error.get("code") == METHOD_NOT_FOUND):
            return None
        snapshot = _Doc(doc.uri, doc.text, doc.version, doc.language_id)
        loop = asyncio.get_running_loop()
        try:
            ours = await loop.run_in_executor(self.pool, self.answer, snapshot, method,
                                              params)
        except Exception:  # never let hpt-lint's part lose the wrapped server's answer
            log.exception("hpt-lint's %s failed", method)
            return None
        theirs = None if error is not None else message.get("result")
        if not ours:
            if error is None:
                return None
            result: Any = None
        elif method == "textDocument/codeAction":
            result = [*(theirs or []), *ours]
        else:
            result = _merge_hover(theirs, ours)
        return {"jsonrpc": "2.0", "id": message["id"], "result": result}

    def answer(self, doc: _Doc, method: str, params: dict[str, Any]) -> Any:
        """hpt-lint's own answer (JSON), computed in the worker thread with the
        language server's code on the relay's documents."""
        from lsprotocol import types as t
        from pygls.protocol import default_converter

        converter = default_converter()
        headless = _headless(self, doc)
        if method == "textDocument/codeAction":
            rng = converter.structure(params["range"], t.Range)
            return [converter.unstructure(a) for a in headless.code_actions(doc.uri, rng)]
        position = converter.structure(params["position"], t.Position)
        hover = headless.hover(doc.uri, position)
        return converter.unstructure(hover) if hover is not None else None

    def server_died(self, code: int | None) -> None:
        """Tell the client: an error for every open request, and a message."""
        for key in list(self.pending):
            self.to_client(encode({"jsonrpc": "2.0", "id": _unkey(key), "error": {
                "code": INTERNAL_ERROR,
                "message": f"the wrapped language server exited (code {code})"}}))
        self.pending.clear()
        self.notify_client("window/showMessage", {
            "type": 1, "message": f"hpt-lint: the wrapped language server "
                                  f"({os.path.basename(self.command[0])}) exited with code "
                                  f"{code}; restart the language server"})

    # -- running -------------------------------------------------------------------
    async def run(self) -> int:
        self.loop = asyncio.get_running_loop()
        try:
            self.child = await asyncio.create_subprocess_exec(
                *self.command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        except OSError as exc:
            sys.stderr.write(f"hpt-lint: cannot start {self.command[0]!r}: {exc}\n")
            return 2
        reader = asyncio.StreamReader(limit=2 ** 26)
        await self.loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader),
                                          sys.stdin.buffer)
        self.client_out = sys.stdout.buffer
        client = asyncio.ensure_future(self.from_client(reader))
        server = asyncio.ensure_future(self.from_server())
        await asyncio.wait([client, server], return_when=asyncio.FIRST_COMPLETED)
        if server.done():  # the wrapped server closed its output: it is gone or going
            code = await self.child.wait()
            if not self.exiting:
                self.server_died(code)
                client.cancel()
                return 1
            client.cancel()
            return code
        # the client said `exit` or went away: give the server a moment, then stop it
        try:
            code = await asyncio.wait_for(self.child.wait(), EXIT_WAIT)
        except TimeoutError:
            self.child.kill()
            code = await self.child.wait()
        with contextlib.suppress(asyncio.TimeoutError, TimeoutError):
            await asyncio.wait_for(server, 1.0)
        return code


_ENCODING_KINDS = {"utf-8": "utf-8", "utf-16": "utf-16", "utf-32": "utf-32"}
MERGED = frozenset({"textDocument/codeAction", "textDocument/hover"})
METHOD_NOT_FOUND = -32601


@functools.cache
def _headless_class() -> type:
    """The language server's quick-fix and hover code, run on the relay's documents
    instead of a pygls workspace (the server's methods, bound to this object)."""
    from hpt_lint.lsp.server import HptLanguageServer as Server

    class Headless:
        to_range = Server.to_range
        from_position = Server.from_position
        diagnostic = Server.diagnostic
        action = Server.action
        code_actions = Server.code_actions
        hover = Server.hover

        def __init__(self, relay: Relay, doc: _Doc) -> None:
            self.relay, self.doc, self.documents = relay, doc, relay.documents

        def encoding(self) -> str:
            return self.relay.encoding

        def current(self, uri: str) -> Any:
            from pygls.uris import to_fs_path

            doc = self.doc
            analysis = self.documents.last.get(uri)
            if analysis is None or analysis.version != doc.version \
                    or analysis.text != doc.text:
                analysis = self.documents.analyse(uri, to_fs_path(uri) or uri, doc.text,
                                                  doc.version, doc.language_id)
            return analysis

    return Headless


def _headless(relay: Relay, doc: _Doc) -> Any:
    return _headless_class()(relay, doc)


def _merge_hover(theirs: Any, ours: dict[str, Any]) -> Any:
    """Two hovers in one: the wrapped server's first, then hpt-lint's markdown."""
    if not theirs:
        return ours
    value = ours["contents"]["value"]
    contents = theirs.get("contents")
    if isinstance(contents, dict) and contents.get("kind") == "markdown":
        merged = {"kind": "markdown", "value": f"{contents['value']}\n\n---\n\n{value}"}
    elif isinstance(contents, list):
        merged = [*contents, value]
    elif contents:
        merged = [contents, value]
    else:
        merged = ours["contents"]
    return {**theirs, "contents": merged}


def _parse(body: bytes) -> dict[str, Any] | None:
    try:
        message = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return message if isinstance(message, dict) else None


def _key(request_id: Any) -> Any:
    """Ids may be numbers or strings: 1 and "1" are different requests."""
    return (type(request_id).__name__, request_id)


def _unkey(key: Any) -> Any:
    return key[1]


def wrap(command: list[str], debounce: float | None = None) -> int:
    """Run the relay until the session ends; the exit code to leave with."""
    relay = Relay(command)
    if debounce is not None:
        relay.debounce = max(0.0, debounce)
    try:
        return asyncio.run(relay.run())
    finally:
        relay.pool.shutdown(wait=False, cancel_futures=True)
