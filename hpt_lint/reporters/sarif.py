"""``--format sarif``: a SARIF 2.1.0 log for GitHub code scanning and other CI tools.

One run. ``tool.driver.rules`` lists every enabled rule (sorted by id; whatever the
engine reports as enabled, policy rules included) with its documentation; each
result points at its rule by ``ruleId`` and ``ruleIndex``, has an explicit
``level``, a repository-relative URI under ``%SRCROOT%``, a region in Unicode code
points (``columnKind``) and ``partialFingerprints`` that survive edits elsewhere in
the file. A rule that crashed (HPT000) is a tool execution notification and makes
``executionSuccessful`` false. No timestamps: the same input gives the same bytes.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from hpt_lint import __version__
from hpt_lint.findings import Finding, Severity
from hpt_lint.paths import absolute, relative_to, repo_root

if TYPE_CHECKING:
    from pathlib import Path

    from hpt_lint.lint import FileResult
    from hpt_lint.reporters import Options

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/hpt-lint/hpt-lint"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "hptLintFingerprint/v1"
INTERNAL_ERROR = "HPT000"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# GitHub code scanning ranks security results by this score (0.1-10; >= 9 is critical).
SECURITY_SEVERITY = {"HPT6": "9.0"}


def _doc(rule_id: str) -> str | None:
    from hpt_lint.docs import doc_path

    try:
        path = doc_path(rule_id)
    except FileNotFoundError:
        return None
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _section(text: str, title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    return " ".join(m.group(1).split()) if m else ""


def rule_descriptor(rule: Any) -> dict[str, Any]:
    """A ``reportingDescriptor`` from a rule's metadata (and its doc page, if any)."""
    rule_id: str = rule.id
    summary: str = getattr(rule, "summary", "") or rule_id
    doc = _doc(rule_id)
    full = (_section(doc, "What it does") if doc else "") or summary
    help_text = doc if doc else summary
    severity = getattr(rule, "severity", Severity.WARNING)
    tags = sorted(set(getattr(rule, "tags", ()) or ()))
    url = rule.doc_url() if hasattr(rule, "doc_url") else INFORMATION_URI
    properties: dict[str, Any] = {"tags": tags}
    for prefix, score in SECURITY_SEVERITY.items():
        if rule_id.startswith(prefix):
            properties["security-severity"] = score
            if "security" not in tags:
                properties["tags"] = sorted([*tags, "security"])
    return {
        "id": rule_id,
        "name": getattr(rule, "name", rule_id),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": full},
        "help": {"text": help_text, "markdown": help_text},
        "helpUri": url,
        "defaultConfiguration": {"level": LEVELS[Severity(severity)]},
        "properties": properties,
    }


def _rules(results: list[FileResult], options: Options) -> list[Any]:
    from hpt_lint import engine
    from hpt_lint.config import Config

    enabled: dict[str, Any] = {}
    for rule in options.rules or engine.enabled_rules(Config()):
        enabled.setdefault(rule.id, rule)
    known = engine.all_rules()
    for r in results:
        for f in r.findings:
            if f.rule not in enabled and f.rule in known:
                enabled[f.rule] = known[f.rule]
    return [enabled[k] for k in sorted(enabled)]


def _root(options: Options) -> Path:
    here = absolute(options.root)
    return repo_root(here) or here


def _location(f: Finding, root: Path) -> dict[str, Any]:
    path = absolute(f.file)
    rel = relative_to(path, root)
    artifact = {"uri": rel, "uriBaseId": SRCROOT} if rel is not None else {"uri": path.as_uri()}
    region = {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line,
              "endColumn": max(f.end_column, f.column + 1) if f.end_line == f.line
              else f.end_column}
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def render(results: list[FileResult], options: Options) -> str:
    rules = _rules(results, options)
    index = {r.id: i for i, r in enumerate(rules)}
    root = _root(options)
    findings = sorted((f for r in results for f in r.findings), key=Finding.sort_key)
    out_results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for f in findings:
        if f.rule == INTERNAL_ERROR:
            notifications.append({
                "level": "error", "message": {"text": f.message},
                "descriptor": {"id": INTERNAL_ERROR},
                "locations": [_location(f, root)],
            })
            continue
        result: dict[str, Any] = {"ruleId": f.rule}
        if f.rule in index:
            result["ruleIndex"] = index[f.rule]
        result |= {
            "level": LEVELS[f.severity],
            "message": {"text": f.message},
            "locations": [_location(f, root)],
            "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        }
        props: dict[str, Any] = {}
        if f.json_path:
            props["jsonPath"] = f.json_path
        if f.context:
            props["context"] = f.context
        if props:
            result["properties"] = props
        if f.fix is not None:
            result["fixes"] = [{
                "description": {"text": f.fix.title},
                "artifactChanges": [{
                    "artifactLocation": _location(f, root)["physicalLocation"][
                        "artifactLocation"],
                    "replacements": [{"deletedRegion": {
                        "startLine": e.line, "startColumn": e.column, "endLine": e.end_line,
                        "endColumn": e.end_column}, "insertedContent": {"text": e.new_text}}
                        for e in f.fix.edits],
                }],
            }]
        out_results.append(result)
    invocation: dict[str, Any] = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "hpt-lint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(r) for r in rules],
            }},
            "invocations": [invocation],
            "originalUriBaseIds": {SRCROOT: {"description": {
                "text": "The root of the repository (the directory holding .git), or the "
                        "directory hpt-lint ran in outside a repository."}}},
            "columnKind": "unicodeCodePoints",
            "results": out_results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
