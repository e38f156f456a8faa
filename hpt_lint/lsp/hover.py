"""Hover: a member's documentation and constraints from the schema, and the rule
behind a diagnostic under the cursor. Pure functions over Requests and Findings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from hpt_lint.findings import Finding
from hpt_lint.request import JsonPath, Request, Span, format_path


def _size(span: Span) -> tuple[int, int]:
    return span.end_line - span.line, span.end_column - span.column


def entry_at(requests: Iterable[Request], line: int, column: int
             ) -> tuple[JsonPath, str, Span] | None:
    """The innermost key or value under 1-based (line, column): (path, "key"|"value", span).
    The deepest path wins; between a key and its value, the one under the cursor."""
    best: tuple[int, tuple[int, int], JsonPath, str, Span] | None = None
    for request in requests:
        for path, entry in request.source_map.entries.items():
            for where, span in (("key", entry.key), ("value", entry.value)):
                if span is None or not span.contains(line, column):
                    continue
                if where == "value" and (span.end_line, span.end_column) == (line, column) \
                        and span.end_line != span.line:
                    continue  # a block ends where the next line starts: not "in" it
                rank = (len(path), (-_size(span)[0], -_size(span)[1]))
                if best is None or rank > (best[0], best[1]):
                    best = (len(path), rank[1], path, where, span)
    if best is None:
        return None
    return best[2], best[3], best[4]


_CONSTRAINTS = (
    ("minLength", "min length"), ("maxLength", "max length"), ("minimum", "minimum"),
    ("maximum", "maximum"), ("minItems", "min items"), ("maxItems", "max items"),
    ("minProperties", "min entries"), ("maxProperties", "max entries"),
)


def schema_markdown(path: JsonPath) -> str | None:
    """Markdown for the member at ``path``: name, type, constraints, description."""
    from hpt_lint.structure import schema_at

    schema = schema_at(path)
    if schema is None or not path:
        return None
    name = path[-1] if isinstance(path[-1], str) else f"item {path[-1]}"
    parent = schema_at(path[:-1]) or {}
    required = isinstance(path[-1], str) and path[-1] in parent.get("required", ())
    head = f"**{name}**: `{schema.get('type', 'any')}`{' (required)' if required else ''}"
    lines = [head, "", f"`{format_path(path)}`", ""]
    facts: list[str] = []
    if "enum" in schema:
        facts.append("one of " + ", ".join(f"`{v}`" for v in schema["enum"]))
    facts.extend(f"{label} {schema[key]}" for key, label in _CONSTRAINTS if key in schema)
    if "pattern" in schema:
        facts.append(f"pattern `{schema['pattern']}`")
    if facts:
        lines += ["- " + f for f in facts] + [""]
    if schema.get("description"):
        lines.append(str(schema["description"]))
    return "\n".join(lines).rstrip()


def rule_markdown(finding: Finding, rule: Any) -> str:
    """Markdown for a diagnostic: the rule, its summary, the message, the fix."""
    parts = [f"**{finding.rule}** `{finding.name}` ({finding.severity.value})", ""]
    summary = getattr(rule, "summary", "")
    if summary:
        parts += [summary, ""]
    parts += [finding.message, ""]
    if finding.fix is not None:
        parts += [f"Quick fix: {finding.fix.title}.", ""]
    else:
        parts += ["How to fix: see the rule's example and fixed request in its documentation.",
                  ""]
    if rule is not None and hasattr(rule, "doc_url"):
        parts.append(f"[{finding.rule} documentation]({rule.doc_url()})")
    return "\n".join(parts).rstrip()


def findings_at(findings: Sequence[Finding], line: int, column: int) -> list[Finding]:
    return [f for f in findings
            if Span(f.line, f.column, f.end_line, f.end_column).contains(line, column)]
