"""``hpt-lint cost``: the worst case of each request, as a table or JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from hpt_lint.policy.computed import Cost, cost
from hpt_lint.request import Request


@dataclass(frozen=True)
class Row:
    file: str
    line: int
    index: int
    name: str | None
    cost: Cost


def rows(requests: Iterable[Request]) -> list[Row]:
    from hpt_lint.redact import for_requests

    out = []
    for r in requests:
        name = r.data.get("HyperParameterTuningJobName")
        out.append(Row(r.file, r.source_map.locate(()).line, r.index,
                       for_requests([r]).mask(name) if isinstance(name, str) else None,
                       cost(r)))
    return sorted(out, key=lambda row: (row.file, row.index))


def _hours(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def row_dict(row: Row) -> dict[str, Any]:
    c = row.cost
    return {
        "file": row.file, "line": row.line, "index": row.index, "name": row.name,
        "training_jobs": c.training_jobs, "training_jobs_from": c.training_jobs_source,
        "max_parallel_jobs": c.parallel_jobs, "instances_per_job": c.instances_per_job,
        "gpus_per_job": c.gpus_per_job, "max_runtime_seconds": c.max_runtime_seconds,
        "instance_hours": _hours(c.instance_hours), "instance_hours_how": c.hours_explain,
        "gpu_hours": _hours(c.gpu_hours), "gpu_hours_how": c.gpu_explain,
        "peak_instances": c.peak_instances, "peak_gpus": c.peak_gpus, "notes": list(c.notes),
    }


def render_json(table: list[Row], errors: list[tuple[str, str]]) -> str:
    doc = {"requests": [row_dict(r) for r in table],
           "errors": [{"file": f, "message": m} for f, m in errors]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _cell(x: float | int | None) -> str:
    if x is None:
        return "?"
    if isinstance(x, float):
        return f"{x:,.2f}".rstrip("0").rstrip(".")
    return f"{x:,}"


HEADERS = ("REQUEST", "JOBS", "INSTANCE-HOURS", "GPU-HOURS", "PEAK INSTANCES", "PEAK GPUS")


def render_text(table: list[Row], errors: list[tuple[str, str]]) -> str:
    body = []
    for r in table:
        c = r.cost
        label = f"{r.file}:{r.line}" + (f" {r.name}" if r.name else "")
        body.append((label, _cell(c.training_jobs), _cell(c.instance_hours),
                     _cell(c.gpu_hours), _cell(c.peak_instances), _cell(c.peak_gpus)))
    widths = [max(len(h), *(len(b[i]) for b in body)) if body else len(h)
              for i, h in enumerate(HEADERS)]
    lines = ["  ".join(h.ljust(widths[0]) if i == 0 else h.rjust(widths[i])
                       for i, h in enumerate(HEADERS)).rstrip()]
    for b in body:
        lines.append("  ".join(v.ljust(widths[0]) if i == 0 else v.rjust(widths[i])
                               for i, v in enumerate(b)).rstrip())
    notes = [(r, n) for r in table for n in r.cost.notes]
    notes += [(r, f"training jobs: {r.cost.training_jobs_source}") for r in table
              if r.cost.training_jobs is None]
    if notes:
        lines.append("")
        lines.extend(f"{r.file}:{r.line}: {n}" for r, n in notes)
    lines.extend(f"{f}: cannot read: {m}" for f, m in errors)
    lines.append("")
    lines.append("Worst case: every training job runs its full MaxRuntimeInSeconds; "
                 "? = not known statically.")
    return "\n".join(lines) + "\n"
