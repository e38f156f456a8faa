"""Benchmark: ``hpt-lint check`` against ``check-jsonschema`` as whole processes.

    python benchmarks/bench_cli.py [--sizes 1,1000] [--runs 5] [--validators]

Generates N request files (valid and faulty mixed, YAML and JSON) in a temporary
directory, then times each command on the same files: one warm-up, then the
median of several runs, commands interleaved within each round. check-jsonschema
gets the committed schema with its default (ECMA-262) regex engine, which handles
``\\p{L}``. ``--validators`` also times the candidate validators in-process.
Needs the ``bench`` extra: ``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "create-hyper-parameter-tuning-job.schema.json"
BASE = yaml.safe_load((ROOT / "examples" / "valid-bayesian.yaml").read_text("utf-8"))


def _faulty(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A request with one or two realistic faults (structural and semantic)."""
    config = data["HyperParameterTuningJobConfig"]
    definition = data["TrainingJobDefinition"]
    faults = [
        lambda: config.__setitem__("Strategy", "bayesian"),
        lambda: config["ResourceLimits"].__setitem__("MaxParallelTrainingJobs", "4"),
        lambda: definition.pop("RoleArn"),
        lambda: definition.__setitem__("RoleARN", "arn:aws:iam::123456789012:role/x"),
        lambda: config["ParameterRanges"]["ContinuousParameterRanges"][0].__setitem__(
            "MinValue", "0"),
        lambda: definition["StoppingCondition"].__setitem__("MaxWaitTimeInSeconds", 60),
        lambda: data.__setitem__("HyperParameterTuningJobName", "xgb_churn 2026"),
        lambda: definition["StaticHyperParameters"].__setitem__(
            "aws_secret_access_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ]
    for fault in rng.sample(faults, rng.choice([1, 2])):
        fault()
    return data


def generate(directory: Path, count: int, seed: int = 7) -> list[Path]:
    """``count`` request files: about 70 % valid, 30 % faulty; 3 in 4 YAML, 1 in 4 JSON."""
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        data = copy.deepcopy(BASE)
        data["HyperParameterTuningJobName"] = f"job-{i:05d}"
        if rng.random() < 0.3:
            data = _faulty(data, rng)
        if i % 4 == 3:
            path = directory / f"request-{i:05d}.json"
            path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        else:
            path = directory / f"request-{i:05d}.yaml"
            path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


def _exe(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not found:
        sys.exit(f"{name} not found: pip install -e '.[bench]'")
    return found


def commands(files: list[Path]) -> dict[str, list[str]]:
    names = [str(p) for p in files]
    return {
        "hpt-lint": [_exe("hpt-lint"), "check", "--no-source", *names],
        "check-jsonschema": [_exe("check-jsonschema"), "--schemafile", str(SCHEMA), *names],
    }


def time_commands(cmds: dict[str, list[str]], runs: int) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for round_no in range(runs + 1):
        for name, cmd in cmds.items():
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           check=False)
            if round_no:  # round 0 is the warm-up
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def time_validators(files: list[Path]) -> None:
    """Per-document cost of the candidate validators, in-process (after building)."""
    from hpt_lint.structure import load_schema, validator

    schema = load_schema()
    docs = [yaml.safe_load(p.read_text("utf-8")) for p in files[:200]]
    candidates: dict[str, Any] = {"jsonschema (iter_errors, regress)":
                                  lambda d: list(validator().iter_errors(d))}
    try:
        import jsonschema_rs

        rs = jsonschema_rs.validator_for(schema)
        candidates["jsonschema-rs (is_valid)"] = rs.is_valid
        candidates["jsonschema-rs (iter_errors)"] = lambda d: list(rs.iter_errors(d))
    except ImportError:
        print("  jsonschema-rs not installed")
    try:
        import fastjsonschema

        fast = fastjsonschema.compile(schema)
        candidates["fastjsonschema"] = fast
    except ImportError:
        print("  fastjsonschema not installed")
    except Exception as exc:  # report why it cannot be used
        print(f"  fastjsonschema cannot compile the schema: {type(exc).__name__}: "
              f"{str(exc)[:100]}")
    for name, check in candidates.items():
        for d in docs:  # warm-up
            _quiet(check, d)
        start = time.perf_counter()
        for d in docs:
            _quiet(check, d)
        per_doc = (time.perf_counter() - start) / len(docs) * 1e6
        print(f"  {name:<36} {per_doc:9.1f} µs/document")


def _quiet(check: Any, doc: Any) -> None:
    with contextlib.suppress(Exception):  # fastjsonschema raises on the first error
        check(doc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,1000", help="file counts (default: 1,1000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per size (default 5)")
    parser.add_argument("--validators", action="store_true",
                        help="also time the validators in-process")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.machine()}")
    with tempfile.TemporaryDirectory(prefix="hpt-bench-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            directory = Path(tmp) / str(size)
            directory.mkdir()
            files = generate(directory, size)
            runs = args.runs if size < 100 else max(3, args.runs // 2)
            medians = time_commands(commands(files), runs)
            ratio = medians["hpt-lint"] / medians["check-jsonschema"]
            print(f"N={size:<5} hpt-lint {medians['hpt-lint']:7.3f} s   check-jsonschema "
                  f"{medians['check-jsonschema']:7.3f} s   ratio {ratio:.2f}x   "
                  f"(median of {runs})")
            if args.validators and size >= 100:
                time_validators(files)


if __name__ == "__main__":
    main()
