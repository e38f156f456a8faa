"""The language server stays responsive on hostile documents and answers every request,
even after ``shutdown``: the real ``hpt-lint lsp`` process over stdio."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as t
from pygls.exceptions import JsonRpcInvalidRequest
from pytest_lsp import ClientServerConfig, LanguageClient

from hpt_lint.lsp.completion import complete

URI = (Path(__file__).resolve().parent / "fixtures" / "lsp" / "hostile.yaml").as_uri()


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=[sys.executable, "-m", "hpt_lint", "lsp"]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(t.InitializeParams(
        capabilities=pytest_lsp.client_capabilities("visual-studio-code")))
    yield
    try:  # bounded: a server that never answers must fail the test, not hang the run
        await asyncio.wait_for(lsp_client.shutdown_session(), timeout=30)
    except (JsonRpcInvalidRequest, TimeoutError):  # the test has shut it down already
        lsp_client.exit(None)


@pytest.mark.asyncio
async def test_a_request_after_shutdown_gets_invalid_request(client: LanguageClient):
    await client.shutdown_async(None)
    with pytest.raises(JsonRpcInvalidRequest):
        await asyncio.wait_for(client.text_document_hover_async(t.HoverParams(
            text_document=t.TextDocumentIdentifier(uri=URI),
            position=t.Position(line=0, character=0))), timeout=30)


@pytest.mark.asyncio
async def test_completion_on_a_line_of_150000_spaces_is_immediate(client: LanguageClient):
    text = "HyperParameterTuningJobName: x\nHyperParameterTuningJobConfig:\n  a" + \
        " " * 150_000 + "\n"
    client.text_document_did_open(t.DidOpenTextDocumentParams(
        text_document=t.TextDocumentItem(uri=URI, language_id="yaml", version=1, text=text)))
    start = time.perf_counter()
    for character in (3, 20_000, 150_003):
        await asyncio.wait_for(client.text_document_completion_async(t.CompletionParams(
            text_document=t.TextDocumentIdentifier(uri=URI),
            position=t.Position(line=2, character=character))), timeout=30)
    assert time.perf_counter() - start < 5  # was 19 s per request


@pytest.mark.parametrize("line", [
    "a" + " " * 150_000,  # the key pattern backtracked: quadratic
    "a" + " \t" * 75_000 + "#",
    '"' + "a " * 75_000,
    "- " * 75_000 + "a",
])
def test_yaml_completion_is_linear_on_long_lines(line: str) -> None:
    text = f"HyperParameterTuningJobConfig:\n  Strategy: Bayesian\n{line}\n  {line}\n"
    start = time.perf_counter()
    for column in (1, 2, len(line) // 2, len(line) + 1):
        complete(text, 3, column, "yaml")
        complete(text, 4, column, "yaml")
    assert time.perf_counter() - start < 2
