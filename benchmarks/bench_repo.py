"""Benchmark: ``hpt-lint check`` over a whole repository-like tree, against a syntax-only
``ruff check --select E9`` of the same tree, in one run.

    python benchmarks/bench_repo.py [--files 3000] [--big-mb 40] [--runs 3] [--keep DIR]

Builds a tree such as a real ML repository holds: many small unrelated Python, JSON and
YAML files (code, configs, Kubernetes manifests, notebooks' data, fixtures), a few large
ones (``--big-mb`` of unrelated JSON in files of 4 MB each, under the 5 MB
max-file-size so that they are read, and a 1 MB YAML), and a few
real requests (a YAML request, an ACK manifest, a Pipelines definition, an Airflow DAG).
Then times both commands on it: one warm-up, then the median of ``--runs`` rounds, the
two commands interleaved. Prints wall and CPU seconds (the command and its worker
processes; on a busy machine CPU time is the steadier measure) and one JSON line with
both ratios. Unix only (``resource``).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tests" / "fixtures" / "sources"
REQUESTS = [ROOT / "examples" / "valid-bayesian.yaml", SOURCES / "ack-tuning.yaml",
            SOURCES / "pipeline-tuning.json", SOURCES / "airflow_clean_dag.py"]

PY = '''"""Module {i}: data loading helpers."""

import json
import os


def load_{i}(path: str) -> dict:
    with open(os.path.join(path, "part-{i}.json"), encoding="utf-8") as fh:
        return json.load(fh)


class Loader{i}:
    def __init__(self, root: str) -> None:
        self.root = root
        self.cache: dict[str, object] = {{}}

    def get(self, key: str) -> object:
        if key not in self.cache:
            self.cache[key] = load_{i}(self.root)
        return self.cache[key]
'''

K8S = '''apiVersion: apps/v1
kind: Deployment
metadata:
  name: service-{i}
  labels: {{app: service-{i}}}
spec:
  replicas: {r}
  selector:
    matchLabels: {{app: service-{i}}}
  template:
    metadata:
      labels: {{app: service-{i}}}
    spec:
      containers:
        - name: app
          image: public.ecr.aws/example/service:{i}
          env:
            - {{name: LOG_LEVEL, value: info}}
---
apiVersion: v1
kind: Service
metadata: {{name: service-{i}}}
spec:
  ports: [{{port: 80, targetPort: 8080}}]
'''


def build(root: Path, files: int, big_mb: int, seed: int = 11) -> dict[str, int]:
    """Write the tree; return how many files of each kind it holds."""
    rng = random.Random(seed)
    counts = {"py": 0, "json": 0, "yaml": 0, "big": 0, "requests": 0}
    for i in range(files):
        kind = ("py", "json", "yaml")[i % 3]
        folder = root / f"pkg{i % 37}" / ("src" if kind == "py" else "conf")
        folder.mkdir(parents=True, exist_ok=True)
        if kind == "py":
            (folder / f"mod_{i}.py").write_text(PY.format(i=i), "utf-8")
        elif kind == "json":
            record = {"id": i, "name": f"item-{i}", "tags": [f"t{j}" for j in range(5)],
                      "metrics": {"loss": rng.random(), "auc": rng.random()},
                      "rows": [[rng.randint(0, 99) for _ in range(8)] for _ in range(20)]}
            (folder / f"data_{i}.json").write_text(json.dumps(record, indent=1), "utf-8")
        else:
            (folder / f"deploy_{i}.yaml").write_text(K8S.format(i=i, r=1 + i % 3), "utf-8")
        counts[kind] += 1
    big = root / "datasets"
    big.mkdir()
    remaining = big_mb * 1024 * 1024
    n = 0
    while remaining > 0:
        size = min(remaining, 4 * 1024 * 1024)  # under max-file-size: read, not refused
        rows = []
        written = 0
        while written < size:
            row = json.dumps({"user": rng.randint(0, 10**6), "score": rng.random(),
                              "label": rng.choice(["a", "b", "c"])})
            rows.append(row)
            written += len(row) + 2
        (big / f"events_{n}.json").write_text("[\n" + ",\n".join(rows) + "\n]\n", "utf-8")
        remaining -= size
        n += 1
        counts["big"] += 1
    (big / "vocab.yaml").write_text("".join(f"w{i}: {i}\n" for i in range(90_000)), "utf-8")
    counts["big"] += 1
    jobs = root / "tuning"
    jobs.mkdir()
    for path in REQUESTS:
        shutil.copy(path, jobs / path.name)
        counts["requests"] += 1
    return counts


def _time(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its workers)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def commands(tree: Path) -> dict[str, list[str]]:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    return {
        "hpt-lint": [sys.executable, "-m", "hpt_lint", "check", "--isolated", "--exit-zero",
                     "--format", "json", str(tree)],
        "ruff --select E9": [ruff, "check", "--isolated", "--no-cache", "--select", "E9",
                             "--exit-zero", str(tree)],
    }


def measure(tree: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Per command, the median (wall, CPU) seconds."""
    cmds = commands(tree)
    for cmd in cmds.values():  # warm-up: file cache, imports
        _time(cmd)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            times[name].append(_time(cmd))
    return {name: (statistics.median(w for w, _ in values),
                   statistics.median(c for _, c in values)) for name, values in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--big-mb", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the tree here and keep it")
    args = parser.parse_args(argv)
    base = args.keep or Path(tempfile.mkdtemp(prefix="hpt-bench-repo-"))
    try:
        tree = base / "repo"
        counts = build(tree, args.files, args.big_mb)
        size = sum(p.stat().st_size for p in tree.rglob("*") if p.is_file())
        result = measure(tree, args.runs)
        ours, theirs = result["hpt-lint"], result["ruff --select E9"]
        ratio = ours[0] / max(theirs[0], 1e-9)
        cpu_ratio = ours[1] / max(theirs[1], 1e-9)
        print(f"tree: {sum(counts.values())} files, {size / 1e6:.1f} MB ({counts})")
        print(f"  {'command':<18} {'wall s':>8} {'CPU s':>8}   (median of {args.runs})")
        for name, (wall, cpu) in result.items():
            print(f"  {name:<18} {wall:8.3f} {cpu:8.3f}")
        print(f"  {'ratio':<18} {ratio:7.2f}x {cpu_ratio:7.2f}x")
        print(json.dumps({"files": sum(counts.values()), "megabytes": round(size / 1e6, 1),
                          "wall_seconds": {k: round(v[0], 3) for k, v in result.items()},
                          "cpu_seconds": {k: round(v[1], 3) for k, v in result.items()},
                          "ratio": round(ratio, 2), "cpu_ratio": round(cpu_ratio, 2)}))
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
