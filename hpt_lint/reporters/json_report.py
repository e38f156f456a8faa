"""``--format json``: ``{"findings": [...], "summary": {...}}``, stable keys, sorted."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from hpt_lint.findings import Finding
from hpt_lint.reporters.summary import summarize
from hpt_lint.rule import DOCS_URL

if TYPE_CHECKING:
    from hpt_lint.lint import FileResult
    from hpt_lint.reporters import Options


def finding_dict(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": f.rule, "name": f.name, "severity": f.severity.value, "message": f.message,
        "file": f.file, "line": f.line, "column": f.column, "end_line": f.end_line,
        "end_column": f.end_column, "json_path": f.json_path, "fingerprint": f.fingerprint,
        "url": DOCS_URL.format(id=f.rule),
    }
    if f.context:
        out["context"] = f.context
    if f.fix is not None:
        out["fix"] = {"title": f.fix.title, "edits": [
            {"line": e.line, "column": e.column, "end_line": e.end_line,
             "end_column": e.end_column, "new_text": e.new_text} for e in f.fix.edits]}
    return out


def render(results: list[FileResult], options: Options) -> str:
    findings = sorted((f for r in results for f in r.findings), key=Finding.sort_key)
    doc = {"findings": [finding_dict(f) for f in findings], "summary": summarize(results)}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
