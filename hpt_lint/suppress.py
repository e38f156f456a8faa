"""Suppress: the stage after the rules that drops findings the user has silenced.

In this order:

1. ``per-file-ignores`` (config): rule ids or prefixes off for files matching a glob;
2. ``ignore-paths`` (config): rule ids or prefixes off at or below a JSON path (JSON
   files cannot hold comments; this works for every kind of file);
3. inline comments, in any file with ``#`` comments (YAML, Python, notebooks;
   not JSON):

   - ``# hpt-lint: disable=HPT304,HPT305`` silences those rules on this line;
   - ``# hpt-lint: disable-next-line=HPT304`` on the line after the comment;
   - ``# hpt-lint: disable-file=HPT304`` in the whole file (anywhere in it).

   The ids are explicit rule ids (no prefixes, no "everything"): a directive without
   ids is itself reported. A finding belongs to the line it starts on (the line the
   text output prints). A directive must start a comment: ``#`` at the start of a line
   or after whitespace. Text after the id list (``# hpt-lint: disable=HPT304  # why``)
   is ignored.

An inline suppression that silences nothing is reported as HPT004
(unused-suppression), when that rule is enabled and the named rule is enabled for
the file (a suppression for a rule switched off by config is not "unused"). An
``HPT`` id that names no rule is reported too. HPT004 itself can be named in a
directive (``disable=HPT304,HPT004``: HPT304 may or may not fire here); such an id
is never reported as unused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hpt_lint.config import Config
from hpt_lint.findings import Finding
from hpt_lint.paths import glob_matches, json_path_matches

UNUSED = "HPT004"
_DIRECTIVE = re.compile(
    r"(?:^|(?<=\s))#\s*hpt-lint\s*:\s*(?P<kind>disable-next-line|disable-file|disable)\b"
    r"(?P<rest>[^#]*)")
_IDS = re.compile(r"\s*=\s*(?P<ids>[A-Za-z][\w.\-]*(?:\s*,\s*[A-Za-z][\w.\-]*)*)")
_ID = re.compile(r"[A-Za-z][\w.\-]*")
_HPT_ID = re.compile(r"^HPT\d{3}$")
NO_COMMENTS = frozenset({".json"})


@dataclass(frozen=True, slots=True)
class Directive:
    kind: str  # "disable" | "disable-next-line" | "disable-file"
    line: int  # where the comment is
    column: int  # where the comment starts
    end_column: int
    ids: tuple[tuple[str, int, int], ...]  # (id, column, end column)

    def covers(self, line: int) -> bool:
        if self.kind == "disable-file":
            return True
        if self.kind == "disable-next-line":
            return line == self.line + 1
        return line == self.line


def directives(text: str) -> list[Directive]:
    """Every ``# hpt-lint: ...`` directive in ``text``."""
    out: list[Directive] = []
    for number, line in enumerate(text.splitlines(), 1):
        if "hpt-lint" not in line:
            continue
        for m in _DIRECTIVE.finditer(line):
            ids: list[tuple[str, int, int]] = []
            start = m.start("rest")
            idm = _IDS.match(line, start)
            if idm:
                for one in _ID.finditer(line, idm.start("ids"), idm.end("ids")):
                    ids.append((one.group().upper(), one.start() + 1, one.end() + 1))
            end = (idm.end() if idm else m.end("kind")) + 1
            out.append(Directive(m.group("kind"), number, m.start() + 1, end, tuple(ids)))
    return out


def _match_any(rule: str, prefixes: tuple[str, ...]) -> bool:
    return any(rule.startswith(p) for p in prefixes)


def by_config(findings: list[Finding], file: str, config: Config) -> list[Finding]:
    """Drop what ``per-file-ignores`` and ``ignore-paths`` silence."""
    if not config.per_file_ignores and not config.ignore_paths:
        return findings
    pfi = [ids for glob, ids in config.per_file_ignores if glob_matches(glob, file, config.root)]
    paths = [ip for ip in config.ignore_paths
             if ip.file is None or glob_matches(ip.file, file, config.root)]
    kept = []
    for f in findings:
        if any(_match_any(f.rule, ids) for ids in pfi):
            continue
        if f.json_path and any(_match_any(f.rule, ip.rules) and json_path_matches(ip.path,
                                                                              f.json_path)
                               for ip in paths):
            continue
        kept.append(f)
    return kept


def inline(findings: list[Finding], text: str, file: str, config: Config,
           suffix: str | None = None) -> list[Finding]:
    """Drop findings an inline directive silences; add HPT004 for directives that
    silence nothing."""
    if "hpt-lint" not in text or (suffix or Path(file).suffix).lower() in NO_COMMENTS:
        return findings
    found = directives(text)
    if not found:
        return findings
    used: set[tuple[int, str]] = set()  # (directive index, id)
    kept: list[Finding] = []
    for f in findings:
        hit = next(((i, f.rule) for i, d in enumerate(found)
                    if d.covers(f.line) and any(rid == f.rule for rid, _, _ in d.ids)), None)
        if hit is None:
            kept.append(f)
        else:
            used.add(hit)
    for u in _unused(found, used, file, config):
        # ``disable=HPT304,HPT004``: "HPT304 may not fire here, and that is fine"
        if not any(d.covers(u.line) and any(rid == UNUSED for rid, _, _ in d.ids)
                   for d in found):
            kept.append(u)
    return kept


def _unused(found: list[Directive], used: set[tuple[int, str]], file: str,
            config: Config) -> list[Finding]:
    from hpt_lint import engine

    rules = engine.load_rules()
    if UNUSED not in rules or not config.rule_enabled(UNUSED, rules[UNUSED].default_enabled) \
            or config.ignored_here(UNUSED, file):
        return []
    enabled = {r.id for r in engine.enabled_rules(config)}
    out: list[Finding] = []

    def report(line: int, column: int, end_column: int, message: str, key: str) -> None:
        out.append(Finding(
            rule=UNUSED, name=rules[UNUSED].name,
            severity=config.severity_of(UNUSED, rules[UNUSED].severity), message=message,
            file=file, line=line, column=column, end_line=line, end_column=end_column,
            json_path="", fingerprint=engine.fingerprint(UNUSED, file, "", key)))

    for i, d in enumerate(found):
        if not d.ids:
            report(d.line, d.column, d.end_column,
                   f"`hpt-lint: {d.kind}` names no rule: it silences nothing; name the rule "
                   f"ids (`# hpt-lint: {d.kind}=HPT304`)", f"{d.kind}")
            continue
        for rid, start, end in d.ids:
            if (i, rid) in used or rid == UNUSED:
                continue
            where = {"disable": "on this line", "disable-next-line": "on the next line",
                     "disable-file": "in this file"}[d.kind]
            if rid not in rules and rid not in enabled:
                if _HPT_ID.match(rid):
                    report(d.line, start, end, f"unused suppression: {rid} is not a rule id "
                           "(`hpt-lint rules` lists them)", f"{d.kind}={rid}")
                continue
            if rid not in enabled or config.ignored_here(rid, file):
                continue  # switched off by config: nothing to silence, not a mistake
            report(d.line, start, end, f"unused suppression: {rid} is not reported {where}; "
                   "remove it", f"{d.kind}={rid}")
    return out


def apply(findings: list[Finding], text: str | None, file: str, config: Config,
          suffix: str | None = None) -> list[Finding]:
    findings = by_config(findings, file, config)
    if text is not None:
        findings = inline(findings, text, file, config, suffix)
    return findings


__all__ = ["UNUSED", "Directive", "apply", "by_config", "directives", "inline"]
