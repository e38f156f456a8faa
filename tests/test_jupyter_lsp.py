"""JupyterLab's path end to end: a real ``jupyter server`` with jupyter-lsp, on
127.0.0.1 with a random port and a token. Its ``/lsp/status`` lists hpt-lint's spec
(found through the ``jupyter_lsp_spec_v1`` entry point, wrapping pylsp), and a
websocket session through ``/lsp/ws/hpt-lint`` gets hpt-lint's diagnostics for a
virtual notebook document as jupyterlab-lsp writes it, and pylsp's completion."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.notebook_sample import CALL_BODY

pytest.importorskip("jupyter_lsp", reason="jupyter-lsp (test extra) is not installed")
pytest.importorskip("jupyter_server", reason="jupyter-server (test extra) is not installed")
pytest.importorskip("pylsp", reason="python-lsp-server (test extra) is not installed")
websocket = pytest.importorskip("tornado.websocket")

STARTUP = 40.0  # seconds for the Jupyter server to answer
REPLY = 30.0  # seconds for one LSP answer

RANGES = '''import json
ranges = {
    "ContinuousParameterRanges": [
        {"Name": "eta", "MinValue": "0", "MaxValue": "1", "ScalingType": "Logarithmic"},
    ],
}'''
# The virtual document jupyterlab-lsp sends for a notebook: code cells joined by two
# blank lines; a `%%time` cell rewritten by its IPython override as below.
VIRTUAL = (RANGES + "\n\n\n" + 'get_ipython().run_cell_magic("time", "", """'
           + CALL_BODY + '""")\n\n\njson.\n')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def jupyter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str, Path]]:
    root = tmp_path_factory.mktemp("jupyter-root")
    home = tmp_path_factory.mktemp("jupyter-home")
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "JUPYTER_DATA_DIR": str(home / "data"), "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTER_PLATFORM_DIRS": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}", "--ServerApp.open_browser=False",
         f"--ServerApp.root_dir={root}", "--ServerApp.allow_root=True"],
        env=env, cwd=root, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=(home / "server.log").open("wb"), start_new_session=True)
    try:
        deadline = time.monotonic() + STARTUP
        while True:
            try:
                status(port, token)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log = (home / "server.log").read_text(errors="replace")[-3000:]
                    pytest.fail(f"jupyter server did not start:\n{log}")
                time.sleep(0.2)
        yield port, token, root
    finally:
        with contextlib.suppress(ProcessLookupError):  # the server and its language servers
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def status(port: int, token: str) -> dict[str, Any]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/lsp/status",
                                     headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def test_status_lists_the_hpt_lint_spec_wrapping_pylsp(jupyter: tuple[int, str, Path]) -> None:
    port, token, _ = jupyter
    sessions = status(port, token)["sessions"]
    assert "hpt-lint" in sessions
    spec = sessions["hpt-lint"]["spec"]  # (the status hides argv)
    assert spec["display_name"] == "hpt-lint + " + sessions["pylsp"]["spec"]["display_name"]
    assert spec["config_schema"] == sessions["pylsp"]["spec"]["config_schema"]
    assert "python" in spec["languages"]
    assert "pylsp" in sessions  # pylsp stays listed; "hpt-lint" sorts first at equal rank
    assert sorted(k for k in sessions if "python" in sessions[k]["spec"]["languages"])[0] \
        == "hpt-lint"


async def _session(port: int, token: str, root: Path) -> None:
    url = f"ws://127.0.0.1:{port}/lsp/ws/hpt-lint?token={token}"
    conn = await asyncio.wait_for(websocket.websocket_connect(url), REPLY)
    inbox: list[dict[str, Any]] = []

    async def receive(predicate: Any) -> dict[str, Any]:
        async def wait() -> dict[str, Any]:
            while True:
                for message in inbox:
                    if predicate(message):
                        return message
                text = await conn.read_message()
                if text is None:
                    raise AssertionError("the websocket closed")
                inbox.append(json.loads(text))

        return await asyncio.wait_for(wait(), REPLY)

    def send(message: dict[str, Any]) -> None:
        conn.write_message(json.dumps({"jsonrpc": "2.0", **message}))

    try:
        send({"id": 1, "method": "initialize", "params": {
            "processId": None, "rootUri": root.as_uri(), "capabilities": {
                "textDocument": {"publishDiagnostics": {}, "completion": {}}}}})
        init = await receive(lambda m: m.get("id") == 1)
        assert init["result"]["capabilities"]["completionProvider"]  # pylsp's
        send({"method": "initialized", "params": {}})
        virtual = root / ".virtual_documents" / "tune.ipynb"
        uri = virtual.as_uri()
        send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": VIRTUAL}}})

        def ours(m: dict[str, Any]) -> bool:
            return m.get("method") == "textDocument/publishDiagnostics" \
                and m["params"]["uri"] == uri \
                and any(d.get("source") == "hpt-lint" for d in m["params"]["diagnostics"])

        published = await receive(ours)
        hpt = [d for d in published["params"]["diagnostics"] if d.get("source") == "hpt-lint"]
        lines = VIRTUAL.split("\n")
        row = next(i for i, x in enumerate(lines) if '"MinValue": "0"' in x)
        col = lines[row].index('"0"')
        assert [(d["code"], d["range"]["start"]) for d in hpt] == [
            ("HPT304", {"line": row, "character": col})]

        last = len(lines) - 2  # the last cell: `json.`
        assert lines[last] == "json."
        send({"id": 2, "method": "textDocument/completion", "params": {
            "textDocument": {"uri": uri},
            "position": {"line": last, "character": len("json.")}}})
        reply = await receive(lambda m: m.get("id") == 2)
        result = reply["result"]
        items = result["items"] if isinstance(result, dict) else result
        assert "dumps" in {i["label"].split("(")[0] for i in items}  # pylsp (jedi) answered
        send({"id": 3, "method": "shutdown", "params": None})
        await receive(lambda m: m.get("id") == 3)
        send({"method": "exit", "params": None})
    finally:
        conn.close()


def test_a_websocket_session_gets_hpt_lint_diagnostics_and_pylsp_completion(
        jupyter: tuple[int, str, Path]) -> None:
    port, token, root = jupyter
    asyncio.run(_session(port, token, root))


def test_jupyter_lsp_resolves_the_spec_to_hpt_lint_wrapping_pylsp() -> None:
    """jupyter-lsp's own manager, in process: the argv the status page hides."""
    from jupyter_lsp import LanguageServerManager

    manager = LanguageServerManager()
    manager.init_language_servers()
    argv = manager.language_servers["hpt-lint"]["argv"]
    assert argv == [sys.executable, "-m", "hpt_lint", "lsp", "--wrap", "--",
                    *manager.language_servers["pylsp"]["argv"]]


def test_with_no_python_server_hpt_lint_runs_alone() -> None:
    from hpt_lint.lsp.jupyter_spec import build, chosen

    (alone,) = build({}).values()
    assert alone["argv"] == [sys.executable, "-m", "hpt_lint", "lsp"]
    assert alone["languages"] == ["python"]
    # among several, the one the browser would use at equal rank (the first id)
    servers = {"pylsp": {"argv": ["pylsp"]}, "jedi-language-server": {"argv": ["jls"]}}
    assert chosen(servers) == ("jedi-language-server", {"argv": ["jls"]})
    (wrapping,) = build(servers).values()
    assert wrapping["argv"][-3:] == ["--wrap", "--", "jls"]
