"""Diagnostics latency of ``hpt-lint lsp`` after a change, on a 300-line request.

Starts the real server over stdio (with the debounce set to 0, so the numbers are
the server's own work plus the round trip, excluding the debounce an editor adds),
opens a generated 300-line YAML request, then sends N full-text changes one at a
time and times each from ``didChange`` to the ``publishDiagnostics`` for that
version. Each change edits a value, so every change really re-lints.

The notebook case opens a 20-cell notebook as VS Code does (LSP notebook documents)
and edits cell 1 (the ranges the call in cell 20 uses): each change is timed from
``notebookDocument/didChange`` until all 20 cells' diagnostics are republished.

    python benchmarks/lsp_latency.py [--changes 200] [--case yaml|notebook|both]

Not a test: timings depend on the machine (see docs/editors.md).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types as t
from pygls.lsp.client import LanguageClient


def request_text(lines: int = 300) -> str:
    """A realistic Bayesian XGBoost request padded with ranges to ``lines`` lines."""
    head = """\
HyperParameterTuningJobName: xgb-churn-v1  # {n}
HyperParameterTuningJobConfig:
  Strategy: Bayesian
  HyperParameterTuningJobObjective:
    Type: Maximize
    MetricName: validation:auc
  ResourceLimits:
    MaxNumberOfTrainingJobs: {jobs}
    MaxParallelTrainingJobs: 2
  TrainingJobEarlyStoppingType: OFF
  ParameterRanges:
    ContinuousParameterRanges:
"""
    tail = """\
TrainingJobDefinition:
  StaticHyperParameters:
    objective: binary:logistic
    num_round: "200"
  AlgorithmSpecification:
    TrainingImage: 683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1
    TrainingInputMode: File
  RoleArn: arn:aws:iam::123456789012:role/SageMakerRole
  InputDataConfig:
    - ChannelName: train
      DataSource:
        S3DataSource:
          S3DataType: S3Prefix
          S3Uri: s3://example-ml-data/churn/train/
  OutputDataConfig:
    S3OutputPath: s3://example-ml-data/churn/output/
  ResourceConfig:
    InstanceType: ml.m5.xlarge
    InstanceCount: 1
    VolumeSizeInGB: 30
  StoppingCondition:
    MaxRuntimeInSeconds: 3600
"""
    ranges = [line for i in range(20) for line in (
        f"      - Name: param_{i}", '        MinValue: "0.001"', f'        MaxValue: "{i + 1}.5"',
        "        ScalingType: Auto")]
    static = [f'    static_{i}: "{i}"' for i in range(60)]
    metrics = [line for i in range(30) for line in (
        f"    - Name: metric_{i}", f"      Regex: 'metric_{i}=([0-9\\\\.]+)'")]
    text = head + "\n".join(ranges) + "\n" + tail
    text = text.replace('    num_round: "200"\n',
                        '    num_round: "200"\n' + "\n".join(static) + "\n")
    text = text.replace("    TrainingInputMode: File\n", "    TrainingInputMode: File\n"
                        "    MetricDefinitions:\n" + "\n".join(metrics) + "\n")
    count = len(text.splitlines())
    if count > lines:
        raise ValueError(f"the request has {count} lines, more than {lines}")
    return text + "# padding\n" * (lines - count)


async def run(changes: int) -> list[float]:
    client = LanguageClient("hpt-lint-bench", "1")
    waiting: dict[int, asyncio.Future[float]] = {}

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(params: t.PublishDiagnosticsParams) -> None:
        future = waiting.pop(params.version or -1, None)
        if future is not None and not future.done():
            future.set_result(time.perf_counter())

    await client.start_io(sys.executable, "-m", "hpt_lint", "lsp")
    await client.initialize_async(t.InitializeParams(
        capabilities=t.ClientCapabilities(), initialization_options={"debounce": 0}))
    client.initialized(t.InitializedParams())
    uri = Path("bench-request.yaml").resolve().as_uri()
    loop = asyncio.get_running_loop()
    template = request_text()
    assert len(template.format(n=0, jobs=20).splitlines()) == 300

    first = waiting[1] = loop.create_future()
    client.text_document_did_open(t.DidOpenTextDocumentParams(t.TextDocumentItem(
        uri=uri, language_id="yaml", version=1, text=template.format(n=0, jobs=20))))
    await asyncio.wait_for(first, 30)
    latencies: list[float] = []
    for version in range(2, changes + 2):
        future: asyncio.Future[float] = loop.create_future()
        waiting[version] = future
        text = template.format(n=version, jobs=10 + version % 20)
        start = time.perf_counter()
        client.text_document_did_change(t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[t.TextDocumentContentChangeWholeDocument(text=text)]))
        end = await asyncio.wait_for(future, 30)
        latencies.append((end - start) * 1000)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return latencies


NOTEBOOK_CELLS = 20


def notebook_cells(version: int) -> list[tuple[str, str]]:
    """A 20-cell tuning notebook: cell 1 holds the ranges (changed by each edit), the
    middle cells set things up (markdown, imports, helpers, shell and line magics),
    the last runs the call under ``%%time``."""
    ranges = (f'ranges = {{"ContinuousParameterRanges": [\n'
              f'    {{"Name": "eta", "MinValue": "0.0{version % 9 + 1}", "MaxValue": "1"}},\n'
              f'    {{"Name": "alpha", "MinValue": "0", "MaxValue": "{version % 5 + 2}"}},\n'
              f']}}\n')
    cells = [("code", ranges)]
    middle = [
        ("markdown", "# Churn model\nTune XGBoost on the churn data.\n"),
        ("code", "!pip install -q sagemaker\n%matplotlib inline\n"),
        ("code", "import boto3\nimport sagemaker\nfrom time import gmtime, strftime\n"),
        ("code", 'sm = boto3.client("sagemaker")\nregion = boto3.Session().region_name\n'),
        ("code", "def job_name(prefix):\n    return prefix + strftime('%H%M%S', gmtime())\n"),
        ("code", '%%bash\naws s3 ls s3://example-ml-data/churn/\n'),
        ("code", 'bucket = "example-ml-data"\nprefix = "churn"\n'),
        ("markdown", "## Data\n"),
        ("code", "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2, 3]})\ndf.head()\n"),
    ]
    while len(cells) < NOTEBOOK_CELLS - 1:
        cells.append(middle[(len(cells) - 1) % len(middle)])
    cells.append(("code", """%%time
sm.create_hyper_parameter_tuning_job(
    HyperParameterTuningJobName=job_name("xgb"),
    HyperParameterTuningJobConfig={
        "Strategy": "Bayesian",
        "HyperParameterTuningJobObjective": {"Type": "Maximize",
                                             "MetricName": "validation:auc"},
        "ResourceLimits": {"MaxNumberOfTrainingJobs": 20, "MaxParallelTrainingJobs": 2},
        "ParameterRanges": ranges,
    },
    TrainingJobDefinition={
        "AlgorithmSpecification": {
            "TrainingImage":
                "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
            "TrainingInputMode": "File"},
        "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
        "OutputDataConfig": {"S3OutputPath": f"s3://{bucket}/{prefix}/output/"},
        "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1,
                           "VolumeSizeInGB": 30},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    },
)
"""))
    return cells


async def run_notebook(changes: int) -> list[float]:
    """From a change of cell 1 to the diagnostics of the last cell (all 20 republished)."""
    client = LanguageClient("hpt-lint-bench", "1")
    loop = asyncio.get_running_loop()
    done: asyncio.Future[float] | None = None
    first_seen = False
    cells = notebook_cells(1)
    uris = [Path(f"bench-notebook.ipynb#cell{i}").resolve().as_uri().replace(
        "file:", "vscode-notebook-cell:", 1) for i in range(len(cells))]
    want_version = 1

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(params: t.PublishDiagnosticsParams) -> None:
        nonlocal first_seen
        if params.uri == uris[0] and params.version == want_version:
            first_seen = True
        elif params.uri == uris[-1] and first_seen and done is not None \
                and not done.done():
            done.set_result(time.perf_counter())

    await client.start_io(sys.executable, "-m", "hpt_lint", "lsp")
    await client.initialize_async(t.InitializeParams(
        capabilities=t.ClientCapabilities(notebook_document=t.NotebookDocumentClientCapabilities(
            synchronization=t.NotebookDocumentSyncClientCapabilities())),
        initialization_options={"debounce": 0}))
    client.initialized(t.InitializedParams())
    notebook_uri = Path("bench-notebook.ipynb").resolve().as_uri()
    kinds = {"code": t.NotebookCellKind.Code, "markdown": t.NotebookCellKind.Markup}
    done = loop.create_future()
    client.notebook_document_did_open(t.DidOpenNotebookDocumentParams(
        notebook_document=t.NotebookDocument(
            uri=notebook_uri, notebook_type="jupyter-notebook", version=1,
            cells=[t.NotebookCell(kind=kinds[k], document=u) for (k, _), u in
                   zip(cells, uris, strict=True)]),
        cell_text_documents=[t.TextDocumentItem(
            uri=u, language_id="python" if k == "code" else "markdown", version=1, text=s)
            for (k, s), u in zip(cells, uris, strict=True)]))
    await asyncio.wait_for(done, 30)
    latencies: list[float] = []
    for version in range(2, changes + 2):
        done, first_seen, want_version = loop.create_future(), False, version
        start = time.perf_counter()
        client.notebook_document_did_change(t.DidChangeNotebookDocumentParams(
            notebook_document=t.VersionedNotebookDocumentIdentifier(uri=notebook_uri,
                                                                    version=version),
            change=t.NotebookDocumentChangeEvent(cells=t.NotebookDocumentCellChanges(
                text_content=[t.NotebookDocumentCellContentChanges(
                    document=t.VersionedTextDocumentIdentifier(uri=uris[0], version=version),
                    changes=[t.TextDocumentContentChangeWholeDocument(
                        text=notebook_cells(version)[0][1])])]))))
        end = await asyncio.wait_for(done, 30)
        latencies.append((end - start) * 1000)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return latencies


def report(what: str, latencies: list[float]) -> None:
    warm = latencies[5:]  # the first changes warm caches (validator, rule instances)
    p95 = statistics.quantiles(warm, n=20)[-1]
    print(f"{what}, {len(warm)} changes (after 5 warm-up): "
          f"median {statistics.median(warm):.1f} ms, p95 {p95:.1f} ms, "
          f"max {max(warm):.1f} ms (debounce excluded)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--case", choices=("yaml", "notebook", "both"), default="both")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    if args.case in ("yaml", "both"):
        report("300-line request", asyncio.run(run(args.changes)))
    if args.case in ("notebook", "both"):
        report(f"{NOTEBOOK_CELLS}-cell notebook, change in cell 1",
               asyncio.run(run_notebook(args.changes)))


if __name__ == "__main__":
    main()
