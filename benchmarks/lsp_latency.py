"""Diagnostics latency of ``hpt-lint lsp`` after a change, on a 300-line request.

Starts the real server over stdio (with the debounce set to 0, so the numbers are
the server's own work plus the round trip, excluding the debounce an editor adds),
opens a generated 300-line YAML request, then sends N full-text changes one at a
time and times each from ``didChange`` to the ``publishDiagnostics`` for that
version. Each change edits a value, so every change really re-lints.

    python benchmarks/lsp_latency.py [--changes 200]

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--changes", type=int, default=200)
    args = parser.parse_args()
    latencies = asyncio.run(run(args.changes))
    warm = latencies[5:]  # the first changes warm caches (validator, rule instances)
    p95 = statistics.quantiles(warm, n=20)[-1]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    print(f"300-line request, {len(warm)} changes (after 5 warm-up): "
          f"median {statistics.median(warm):.1f} ms, p95 {p95:.1f} ms, "
          f"max {max(warm):.1f} ms (debounce excluded)")


if __name__ == "__main__":
    main()
