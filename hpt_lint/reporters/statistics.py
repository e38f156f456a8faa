"""``--statistics``: how many findings each rule has, most first (as ``ruff --statistics``).

Text: ``  3  HPT304      error    log-scaling-needs-positive-range`` per rule, ``[*]`` marking
rules with certain fixes; JSON (``--format json``): a list of ``{rule, name, severity,
count, fixable}``. A rule whose severity differs between files shows the highest.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any

from hpt_lint.findings import Finding

if TYPE_CHECKING:
    from hpt_lint.lint import FileResult


def rows(results: list[FileResult]) -> list[dict[str, Any]]:
    counts: Counter[str] = Counter()
    first: dict[str, Finding] = {}
    fixable: Counter[str] = Counter()
    for result in results:
        for f in result.findings:
            counts[f.rule] += 1
            fixable[f.rule] += f.fix is not None
            if f.rule not in first or f.severity.rank > first[f.rule].severity.rank:
                first[f.rule] = f
    return [{"rule": rule, "name": first[rule].name, "severity": first[rule].severity.value,
             "count": n, "fixable": fixable[rule]}
            for rule, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def render(results: list[FileResult], fmt: str, quiet: bool = False) -> str:
    table = rows(results)
    if fmt == "json":
        return json.dumps(table, indent=2) + "\n"
    if not table:
        return ""
    width = max(len(str(r["count"])) for r in table)
    rule_width = max(len(r["rule"]) for r in table)
    out = [f"{r['count']:>{width}}  {r['rule']:<{rule_width}}  "
           f"{'[*]' if r['fixable'] else '   '} {r['severity']:<7}  {r['name']}"
           for r in table]
    if not quiet and any(r["fixable"] for r in table):
        out.append("[*] fixable with `hpt-lint check --fix`")
    return "\n".join(out) + "\n"
