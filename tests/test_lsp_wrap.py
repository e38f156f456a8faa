"""``hpt-lint lsp --wrap -- pylsp`` over stdio, against a real python-lsp-server.

The wrapped server's answers must arrive exactly as the same server gives them
directly; its diagnostics and hpt-lint's must arrive merged per document; a dead
wrapped server must end the session with an error.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as t
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

pytest.importorskip("pylsp", reason="python-lsp-server (test extra) is not installed")
pytest.importorskip("pyflakes", reason="pyflakes (test extra) is not installed")

HERE = Path(__file__).resolve().parent / "fixtures" / "lsp"
PYLSP = [sys.executable, "-m", "pylsp"]
WRAPPED = [sys.executable, "-m", "hpt_lint", "lsp", "--wrap", "--debounce", "0.05", "--",
           *PYLSP]

SOURCE = '''import os
import json
import boto3

sm = boto3.client("sagemaker")
sm.create_hyper_parameter_tuning_job(
    HyperParameterTuningJobName="xgb-churn",
    HyperParameterTuningJobConfig={
        "Strategy": "Bayesian",
        "HyperParameterTuningJobObjective": {"Type": "Maximize",
                                             "MetricName": "validation:auc"},
        "ResourceLimits": {"MaxNumberOfTrainingJobs": 20, "MaxParallelTrainingJobs": 2},
        "ParameterRanges": {"ContinuousParameterRanges": [
            {"Name": "eta", "MinValue": "0", "MaxValue": "1", "ScalingType": "Logarithmic"},
        ]},
    },
    TrainingJobDefinition={
        "AlgorithmSpecification": {
            "TrainingImage":
                "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
            "TrainingInputMode": "File"},
        "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
        "OutputDataConfig": {"S3OutputPath": "s3://example-bucket/out/"},
        "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1,
                           "VolumeSizeInGB": 30},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    },
)
print(json.dumps({}))
'''


def _converter() -> Any:
    """pygls's converter, able to read pylsp's ``notebookSelector`` (a filter with cells
    and no ``notebook``, valid LSP that lsprotocol 2025.0 cannot structure)."""
    import attrs

    converter = default_converter()
    union = attrs.fields(t.NotebookDocumentFilterWithCells).notebook.type

    def notebook(obj: Any, _: Any) -> Any:
        if obj is None or isinstance(obj, str):
            return obj
        kind = (t.NotebookDocumentFilterNotebookType if "notebookType" in obj else
                t.NotebookDocumentFilterScheme if "scheme" in obj else
                t.NotebookDocumentFilterPattern)
        return converter.structure(obj, kind)

    converter.register_structure_hook(union, notebook)
    return converter


class Session:
    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.published: list[t.PublishDiagnosticsParams] = []
        self.messages: list[t.ShowMessageParams] = []
        self.capabilities: t.ServerCapabilities | None = None

    async def wait_for(self, predicate: Any, timeout: float = 30.0) -> Any:
        async def poll() -> Any:
            while True:
                for p in reversed(self.published):
                    if predicate(p):
                        return p
                await asyncio.sleep(0.01)

        return await asyncio.wait_for(poll(), timeout)


@contextlib.asynccontextmanager
async def session(command: list[str]) -> AsyncIterator[Session]:
    client = LanguageClient(converter_factory=_converter)
    s = Session(client)

    def record(_client: LanguageClient, params: t.PublishDiagnosticsParams) -> None:
        s.published.append(params)

    def show(_client: LanguageClient, params: t.ShowMessageParams) -> None:
        s.messages.append(params)

    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES,
                                   t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: record,
                                   t.WINDOW_SHOW_MESSAGE: show})
    await client.start_io(*command, cwd=str(HERE))
    result = await client.initialize_session(t.InitializeParams(
        capabilities=pytest_lsp.client_capabilities("visual-studio-code"),
        root_uri=HERE.as_uri()))
    s.capabilities = result.capabilities
    try:
        yield s
    finally:
        server = client._server
        if server is not None and server.returncode is None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(client.shutdown_session(), 15)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(client.stop(), 15)


def open_doc(s: Session, name: str, text: str, version: int = 1) -> str:
    uri = (HERE / name).as_uri()
    s.client.text_document_did_open(t.DidOpenTextDocumentParams(t.TextDocumentItem(
        uri=uri, language_id="python", version=version, text=text)))
    return uri


def sources(params: t.PublishDiagnosticsParams) -> set[str]:
    return {d.source or "" for d in params.diagnostics}


def rows(params: t.PublishDiagnosticsParams) -> list[tuple[str, int, int, str]]:
    return sorted((d.source or "", d.range.start.line, d.range.start.character, str(d.code))
                  for d in params.diagnostics)


async def answers(s: Session, uri: str) -> tuple[Any, Any, Any]:
    """Completion after ``json.``, hover on ``dumps``, both as JSON."""
    converter = _converter()
    row = SOURCE.split("\n").index("print(json.dumps({}))")
    at = t.TextDocumentIdentifier(uri=uri)
    completion = await s.client.text_document_completion_async(t.CompletionParams(
        text_document=at, position=t.Position(line=row, character=len("print(json."))))
    hover = await s.client.text_document_hover_async(t.HoverParams(
        text_document=at, position=t.Position(line=row, character=len("print(json.du"))))
    return (converter.unstructure(completion), converter.unstructure(hover),
            converter.unstructure(s.capabilities))


async def test_answers_pass_unchanged_and_diagnostics_merge() -> None:
    async with session(PYLSP) as direct:
        uri = open_doc(direct, "wrapped.py", SOURCE)
        alone = await direct.wait_for(lambda p: p.uri == uri)
        completion, hover, capabilities = await answers(direct, uri)
    assert sources(alone) == {"pyflakes"}  # pylsp reports the unused import
    assert completion and hover  # jedi answered both

    async with session(WRAPPED) as wrapped:
        uri = open_doc(wrapped, "wrapped.py", SOURCE)
        merged = await wrapped.wait_for(
            lambda p: p.uri == uri and sources(p) == {"pyflakes", "hpt-lint"})
        # the union: every pylsp diagnostic, and hpt-lint's at the bad MinValue
        hpt = [r for r in rows(merged) if r[0] == "hpt-lint"]
        row = SOURCE.split("\n").index(next(x for x in SOURCE.split("\n") if "eta" in x))
        col = SOURCE.split("\n")[row].index('"0"')
        assert hpt == [("hpt-lint", row, col, "HPT304")]
        assert [r for r in rows(merged) if r[0] != "hpt-lint"] == rows(alone)

        w_completion, w_hover, w_capabilities = await answers(wrapped, uri)
        assert w_completion == completion
        assert w_hover == hover
        assert w_capabilities == capabilities  # pylsp syncs documents: nothing to add

        # hpt-lint's quick fixes and hover are added to pylsp's answers
        at = t.Range(start=t.Position(line=row, character=col),
                     end=t.Position(line=row, character=col + 3))
        doc_id = t.TextDocumentIdentifier(uri=uri)
        actions = await wrapped.client.text_document_code_action_async(t.CodeActionParams(
            text_document=doc_id, range=at, context=t.CodeActionContext(diagnostics=[])))
        assert "Disable HPT304 on this line" in [a.title for a in actions or []
                                                 if isinstance(a, t.CodeAction)]
        hover_here = await wrapped.client.text_document_hover_async(t.HoverParams(
            text_document=doc_id, position=t.Position(line=row, character=col + 1)))
        assert hover_here is not None and "HPT304" in str(hover_here.contents)

        # hpt-lint's side changes: fix the range; pylsp's diagnostic stays
        fixed = SOURCE.replace('"MinValue": "0"', '"MinValue": "0.01"')
        wrapped.client.text_document_did_change(t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[t.TextDocumentContentChangeWholeDocument(text=fixed)]))
        after = await wrapped.wait_for(lambda p: p.uri == uri and p.version == 2
                                       and "hpt-lint" not in sources(p))
        assert [r for r in rows(after)] == rows(alone)
        # pylsp's side changes (an incremental edit drops `import os`): hpt-lint's stays
        wrapped.client.text_document_did_change(t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=3),
            content_changes=[t.TextDocumentContentChangePartial(
                range=t.Range(start=t.Position(line=0, character=0),
                              end=t.Position(line=1, character=0)), text=""),
                t.TextDocumentContentChangePartial(
                    range=t.Range(start=t.Position(line=row - 1, character=col),
                                  end=t.Position(line=row - 1, character=col + 6)),
                    text='"0"')]))
        last = await wrapped.wait_for(lambda p: p.uri == uri and p.version == 3
                                      and sources(p) == {"hpt-lint"}, timeout=30)
        assert rows(last) == [("hpt-lint", row - 1, col, "HPT304")]


async def test_a_dead_wrapped_server_ends_the_session_with_an_error() -> None:
    async with session(WRAPPED) as wrapped:
        uri = open_doc(wrapped, "dies.py", SOURCE)
        await wrapped.wait_for(lambda p: p.uri == uri and "hpt-lint" in sources(p))
        wrapper = wrapped.client._server
        assert wrapper is not None
        children = Path(f"/proc/{wrapper.pid}/task/{wrapper.pid}/children").read_text().split()
        (pylsp,) = (int(c) for c in children)
        os.kill(pylsp, signal.SIGSTOP)  # a request is then surely in flight ...
        hover = asyncio.ensure_future(wrapped.client.text_document_hover_async(t.HoverParams(
            text_document=t.TextDocumentIdentifier(uri=uri),
            position=t.Position(line=0, character=8))))
        await asyncio.sleep(0.3)
        os.kill(pylsp, signal.SIGKILL)  # ... when the wrapped server dies
        with pytest.raises(Exception, match="wrapped language server exited"):
            await asyncio.wait_for(hover, 15)
        code = await asyncio.wait_for(wrapper.wait(), 15)
        assert code != 0
        assert any(m.type == t.MessageType.Error and "exited" in m.message
                   for m in wrapped.messages)


def test_wrap_needs_a_command() -> None:
    import subprocess

    done = subprocess.run([sys.executable, "-m", "hpt_lint", "lsp", "--wrap"],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "--wrap needs a language server's command" in done.stderr
