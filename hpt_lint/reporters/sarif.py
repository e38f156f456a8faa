"""``--format sarif``: a SARIF 2.1.0 log for GitHub code scanning and other CI tools.

One run. ``tool.driver.rules`` lists every enabled rule (sorted by id; whatever the
engine reports as enabled, policy rules included) with its documentation; each
result points at its rule by ``ruleId`` and ``ruleIndex``, has an explicit
``level``, a repository-relative URI under ``%SRCROOT%`` (percent-encoded as RFC 3986
requires, so any file name gives a valid URI), a region in Unicode code points
(``columnKind``) and ``partialFingerprints`` that survive edits elsewhere in the
file. A rule that crashed (HPT000) is a tool execution notification and makes
``executionSuccessful`` false. No timestamps: the same input gives the same bytes.

``helpUri`` is emitted only where a real document exists: when the config sets
``docs-url`` (the published ``rules/`` directory), for built-in rules and pack
policies; never for inline policies. The full help text is always in ``help``.
Rules tagged ``security`` (the secret rules, the security-baseline pack) carry a
``security-severity`` score, which GitHub code scanning ranks security results by.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from hpt_lint import __version__
from hpt_lint.findings import Finding, Severity
from hpt_lint.paths import absolute, relative_to, repo_root
from hpt_lint.reporters.help import with_context

if TYPE_CHECKING:
    from pathlib import Path

    from hpt_lint.lint import FileResult
    from hpt_lint.reporters import Options

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "hptLintFingerprint/v1"
INTERNAL_ERROR = "HPT000"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# GitHub code scanning ranks security results by this score (0.1-10; >= 9 is critical).
# A rule's own ``security_severity`` (pack policies take theirs from the pack) wins.
SECURITY_SEVERITY = {"HPT6": "9.0"}
# RFC 3986 unreserved characters and "/" stay as they are; everything else in a path
# (space, "#", "%", ":", non-ASCII as UTF-8, control characters) is percent-encoded.
_URI_SAFE = "/"


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


def uri_reference(path: str) -> str:
    """A ``/``-separated relative path as an RFC 3986 relative reference."""
    return quote(path, safe=_URI_SAFE)


def help_uri(rule: Any, docs_url: str | None) -> str | None:
    """The rule's page under the published ``docs_url`` (``rules/`` directory), or None
    when nothing is published or the rule has no page (inline policies)."""
    if not docs_url:
        return None
    policy = getattr(rule, "policy", None)
    if policy is not None:
        from hpt_lint.policy.packs import doc_anchor

        page = doc_anchor(policy)
    else:
        page = f"{rule.id}.md" if _doc(rule.id) is not None else None
    return None if page is None else docs_url.rstrip("/") + "/" + page


def _security_severity(rule: Any, tags: list[str]) -> str | None:
    own: str | None = getattr(rule, "security_severity", None)
    if own:
        return own
    for prefix, score in SECURITY_SEVERITY.items():
        if str(rule.id).startswith(prefix):
            return score
    return None


def rule_descriptor(rule: Any, docs_url: str | None = None) -> dict[str, Any]:
    """A ``reportingDescriptor`` from a rule's metadata (and its doc page, if any)."""
    rule_id: str = rule.id
    summary: str = getattr(rule, "summary", "") or rule_id
    doc = _doc(rule_id)
    full = (_section(doc, "What it does") if doc else "") or summary
    help_text = doc if doc else summary
    severity = getattr(rule, "severity", Severity.WARNING)
    tags = sorted(set(getattr(rule, "tags", ()) or ()))
    properties: dict[str, Any] = {"tags": tags}
    score = _security_severity(rule, tags)
    if score is not None:
        properties["security-severity"] = score
        properties["tags"] = sorted({*tags, "security"})
    out: dict[str, Any] = {
        "id": rule_id,
        "name": getattr(rule, "name", rule_id),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": full},
        "help": {"text": help_text, "markdown": help_text},
    }
    url = help_uri(rule, docs_url)
    if url:
        out["helpUri"] = url
    out |= {
        "defaultConfiguration": {"level": LEVELS[Severity(severity)]},
        "properties": properties,
    }
    return out


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
    artifact = ({"uri": uri_reference(rel), "uriBaseId": SRCROOT} if rel is not None
                else {"uri": path.as_uri()})
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
            "message": {"text": with_context(f)},
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
                "rules": [rule_descriptor(r, options.docs_url) for r in rules],
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
