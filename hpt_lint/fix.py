"""Fixes: apply the certain fixes Findings carry, as text edits on the original text.

We edit spans of the file's text and never re-serialize it, so comments, quoting,
key order and indentation survive. Edits of one pass are applied bottom-up; a fix
whose edits overlap one already chosen waits for the next pass. The text is
re-linted after each pass until nothing is left to fix (at most ``MAX_PASSES``).
Positions are turned into offsets by ``hpt_lint.lines``, the line model the loaders
located the findings with. If a pass would make the file unparseable (a new HPT001),
no fix at all is applied to that file (a fix that breaks a file is a bug; earlier
passes are not trusted either), and none is reported as fixed.

The same functions serve ``hpt-lint check --fix/--diff`` and the language server's
quick fixes, so both make the same edits.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from hpt_lint.config import Config
from hpt_lint.findings import Finding, Fix, TextEdit
from hpt_lint.lines import LineIndex, split_keeping_breaks

MAX_PASSES = 5
# Files whose comments are ``#`` comments (JSON has none: suppress by config there).
HASH_COMMENTS = frozenset({".yaml", ".yml", ".py"})


class OverlapError(ValueError):
    """Two edits touch the same text: they cannot be applied in one pass."""


def edit_offsets(text: str, edits: Iterable[TextEdit],
                 index: LineIndex | None = None) -> list[tuple[int, int, str]]:
    """Each edit as (start, end, new text) offsets into ``text``, in the one line model
    (``hpt_lint.lines``) that located the findings."""
    index = index or LineIndex(text)
    return [(index.offset(e.line, e.column), index.offset(e.end_line, e.end_column),
             e.new_text) for e in edits]


def apply_edits(text: str, edits: Iterable[TextEdit]) -> str:
    """``text`` with every edit applied. Raises OverlapError if two edits overlap
    (two insertions at one point count as overlapping: their order would be a guess)."""
    spans = sorted(edit_offsets(text, edits), key=lambda s: (s[0], s[1]))
    for (s1, e1, _), (s2, _e2, _) in itertools.pairwise(spans):
        if s2 < e1 or s2 == s1:
            raise OverlapError(f"edits at offsets {s1}-{e1} and {s2} overlap")
    out = text
    for start, end, new_text in reversed(spans):
        out = out[:start] + new_text + out[end:]
    return out


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == b[0]:
        return True
    return a[0] < b[1] and b[0] < a[1]


def choose_fixes(text: str, findings: Iterable[Finding]) -> list[Finding]:
    """The findings whose fixes can be applied together: in file order, each fix whose
    edits overlap no fix already chosen (a fix's edits go all together or not at all).
    Findings with identical fixes are kept once."""
    chosen: list[Finding] = []
    taken: list[tuple[int, int]] = []
    seen: set[tuple[TextEdit, ...]] = set()
    index = LineIndex(text)
    for finding in sorted(findings, key=Finding.sort_key):
        fix = finding.fix
        if fix is None or not fix.edits or fix.edits in seen:
            continue
        spans = [(s, e) for s, e, _ in edit_offsets(text, fix.edits, index)]
        if any(_overlaps(a, b) for a in spans for b in taken):
            continue
        try:
            apply_edits(text, fix.edits)
        except OverlapError:
            continue
        seen.add(fix.edits)
        taken.extend(spans)
        chosen.append(finding)
    return chosen


def _parse_failed(findings: Iterable[Finding]) -> bool:
    return any(f.rule == "HPT001" and not f.json_path for f in findings)


@dataclass
class FixOutcome:
    file: str
    before: str
    after: str
    applied: list[Finding] = field(default_factory=list)  # the findings fixed, pass by pass
    passes: int = 0
    refused: str | None = None  # why nothing was applied, if the fixes were refused
    original: bytes | None = None  # the file's bytes as read (``fix_file``), BOM included

    @property
    def changed(self) -> bool:
        return self.after != self.before


def fix_text(text: str, file: str, config: Config, suffix: str | None = None,
             max_passes: int = MAX_PASSES) -> FixOutcome:
    """Apply every certain fix, re-linting between passes, until stable."""
    from hpt_lint.lint import lint_text

    outcome = FixOutcome(file, text, text)
    current = text
    findings = lint_text(current, file, config, suffix).findings
    for _ in range(max_passes):
        chosen = choose_fixes(current, findings)
        if not chosen:
            break
        edits = [e for f in chosen for e in f.fix.edits]  # type: ignore[union-attr]
        candidate = apply_edits(current, edits)
        if candidate == current:
            break
        after = lint_text(candidate, file, config, suffix).findings
        if _parse_failed(after) and not _parse_failed(findings):
            # A fix that breaks the file is a fault in hpt-lint: trust none of this file's
            # fixes, earlier passes included. Nothing is applied, nothing is reported fixed.
            rules = ", ".join(sorted({f.rule for f in chosen}))
            outcome.refused = (f"the fixes for {rules} would make the file unparseable; "
                               "no fix applied")
            outcome.applied, outcome.passes = [], 0
            return outcome
        outcome.applied.extend(chosen)
        outcome.passes += 1
        current, findings = candidate, after
    outcome.after = current
    return outcome


def fix_file(path: str | Path, base: Config) -> FixOutcome | None:
    """Fix one file's text (not written). None if hpt-lint does not read the file or
    cannot read it (the lint then reports why)."""
    from hpt_lint.config import for_file
    from hpt_lint.loaders import LoadError, decode, read_text, supported
    from hpt_lint.loaders.limits import Limits

    if not supported(path):
        return None
    config = for_file(path, base)
    limits = Limits(max_bytes=config.max_file_size)
    try:
        text = read_text(path, limits)
        with Path(path).open("rb") as fh:  # the bytes a write must find still there
            original = fh.read(limits.max_bytes + 1)
        if decode(original, limits) != text:
            return None  # changed while we read it: the lint reports what is there now
    except (LoadError, OSError):
        return None
    outcome = fix_text(text, str(path), config)
    outcome.original = original
    return outcome


def write_fixed(path: str | Path, outcome: FixOutcome) -> None:
    """Write the fixed text atomically, keeping a UTF-8 byte order mark if the file had
    one, and only if the file still holds the bytes that were linted. Raises
    ``atomic_write.FileChanged`` (nothing written) or ``atomic_write.WriteError`` (the
    write failed; the file is intact)."""
    from hpt_lint.atomic_write import replace_file

    original = outcome.original
    if original is None:  # not read by fix_file: the text as given is what we expect
        original = outcome.before.encode("utf-8")
    bom = b"\xef\xbb\xbf" if original.startswith(b"\xef\xbb\xbf") else b""
    replace_file(path, bom + outcome.after.encode("utf-8", "surrogatepass"), expected=original)


def _label(file: str, side: str) -> str:
    return file if Path(file).is_absolute() else f"{side}/{file}"


def unified_diff(file: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(split_keeping_breaks(before), split_keeping_breaks(after),
                                 fromfile=_label(file, "a"), tofile=_label(file, "b"))
    out = []
    for line in lines:
        out.append(line if line.endswith(("\n", "\r")) else
                   line + "\n\\ No newline at end of file\n")
    return "".join(out)


def suffix_of(file: str | Path, suffix: str | None = None) -> str:
    return (suffix or Path(str(file)).suffix).lower()


def disable_fix(text: str, line: int, rule: str, file: str,
                suffix: str | None = None) -> Fix | None:
    """"Disable RULE on this line": append ``# hpt-lint: disable=RULE`` to ``line`` (or
    add RULE to a disable comment already there). None for files without ``#``
    comments (JSON), and when the comment would change what the file means (the end
    of the line is inside a multi-line string): both texts are loaded and compared."""
    if suffix_of(file, suffix) not in HASH_COMMENTS:
        return None
    index = LineIndex(text)
    if not 1 <= line <= index.count:
        return None
    begin, end = index.line_span(line)
    body = text[begin:end]
    from hpt_lint.suppress import directives

    existing = [d for d in directives(text, suffix_of(file, suffix))
                if d.kind == "disable" and d.line == line and d.ids]
    if existing:  # a real disable comment on this line: add the rule to its list
        if any(rid == rule for d in existing for rid, _, _ in d.ids):
            return None
        at = existing[0].ids[-1][2]
        edit = TextEdit(line, at, line, at, f",{rule}")
    else:
        at = len(body.rstrip(" \t")) + 1
        edit = TextEdit(line, at, line, at, f"  # hpt-lint: disable={rule}")
    candidate = apply_edits(text, [edit])
    if not _same_meaning(text, candidate, file, suffix) or not any(
            d.line == line and any(rid == rule for rid, _, _ in d.ids)
            for d in directives(candidate, suffix_of(file, suffix))):
        return None  # it would change a value, or would not be read as a comment
    return Fix(f"Disable {rule} on this line", (edit,))


def keeps_parsing(text: str, edits: Iterable[TextEdit], file: str,
                  suffix: str | None = None) -> bool:
    """Whether the text still loads after ``edits`` (a quick fix must never break a file)."""
    from hpt_lint.loaders import LoadError, load_text

    try:
        load_text(apply_edits(text, edits), file, suffix)
    except (LoadError, RecursionError, KeyError, OverlapError):
        return False
    return True


def _same_meaning(before: str, after: str, file: str, suffix: str | None) -> bool:
    from hpt_lint.loaders import LoadError, load_text

    try:
        old = load_text(before, file, suffix)
        new = load_text(after, file, suffix)
    except (LoadError, RecursionError, KeyError):
        return False
    return [r.data for r in old] == [r.data for r in new]


__all__ = ["MAX_PASSES", "FixOutcome", "OverlapError", "apply_edits", "choose_fixes",
           "disable_fix", "fix_file", "fix_text", "keeps_parsing", "unified_diff",
           "write_fixed"]
