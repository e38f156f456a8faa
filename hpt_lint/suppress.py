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
   text output prints). A directive counts only in a real comment, as the file's own
   tokenizer sees it (``hpt_lint.comments``): ``note: "x # hpt-lint: disable-file=..."``
   is a string, not a comment, and silences nothing. Text after the id list
   (``# hpt-lint: disable=HPT304  # why``) is ignored.

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

from hpt_lint.comments import comments
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


def directives(text: str, suffix: str = ".yaml") -> list[Directive]:
    """Every ``# hpt-lint: ...`` directive in the real comments of ``text`` (read as the
    file kind ``suffix`` names): a ``#`` inside a string is not a comment."""
    out: list[Directive] = []
    if "hpt-lint" not in text:
        return out
    for comment in comments(text, suffix):
        body = comment.text
        if "hpt-lint" not in body:
            continue
        for m in _DIRECTIVE.finditer(body):
            ids: list[tuple[str, int, int]] = []
            idm = _IDS.match(body, m.start("rest"))
            if idm:
                for one in _ID.finditer(body, idm.start("ids"), idm.end("ids")):
                    _, col = comment.position(one.start())
                    ids.append((one.group().upper(), col, comment.position(one.end())[1]))
            line, col = comment.position(m.start())
            end = comment.position(idm.end() if idm else m.end("kind"))[1]
            out.append(Directive(m.group("kind"), line, col, end, tuple(ids)))
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
    kind = (suffix or Path(file).suffix).lower()
    if "hpt-lint" not in text or kind in NO_COMMENTS:
        return findings
    found = directives(text, kind)
    if not found:
        return findings
    # (covered line, or None for the whole file; id) -> the first directive naming it:
    # one lookup per finding, however many directives the file holds
    first: dict[tuple[int | None, str], int] = {}
    for i, d in enumerate(found):
        line = None if d.kind == "disable-file" else d.line + (d.kind == "disable-next-line")
        for rid, _, _ in d.ids:
            first.setdefault((line, rid), i)

    def silencer(line: int, rule: str) -> int | None:
        hits = [i for i in (first.get((line, rule)), first.get((None, rule))) if i is not None]
        return min(hits) if hits else None

    used: set[tuple[int, str]] = set()  # (directive index, id)
    kept: list[Finding] = []
    for f in findings:
        hit = silencer(f.line, f.rule)
        if hit is None:
            kept.append(f)
        else:
            used.add((hit, f.rule))
    for u in _unused(found, used, file, config):
        # ``disable=HPT304,HPT004``: "HPT304 may not fire here, and that is fine"
        if silencer(u.line, UNUSED) is None:
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
