"""Fixes: apply the certain fixes Findings carry, as text edits on the original text.

We edit spans of the file's text and never re-serialize it, so comments, quoting,
key order and indentation survive. Edits of one pass are applied bottom-up; a fix
whose edits overlap one already chosen waits for the next pass. The text is
re-linted after each pass until nothing is left to fix (at most ``MAX_PASSES``).
A pass that would make the file unparseable (a new HPT001) is not applied.

The same functions serve ``hpt-lint check --fix/--diff`` and the language server's
quick fixes, so both make the same edits.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hpt_lint.config import Config
from hpt_lint.findings import Finding, Fix, TextEdit

MAX_PASSES = 5
# Files whose comments are ``#`` comments (JSON has none: suppress by config there).
HASH_COMMENTS = frozenset({".yaml", ".yml", ".py"})
_DISABLE = re.compile(r"#\s*hpt-lint:\s*disable=(?P<ids>[A-Za-z0-9]+(?:\s*,\s*[A-Za-z0-9]+)*)")


class OverlapError(ValueError):
    """Two edits touch the same text: they cannot be applied in one pass."""


def _line_starts(text: str) -> list[int]:
    return [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]


def _offset(text: str, starts: Sequence[int], line: int, column: int) -> int:
    """1-based (line, column) -> index into ``text``, clamped to the line and the text."""
    if line < 1:
        return 0
    if line > len(starts):
        return len(text)
    start = starts[line - 1]
    end = starts[line] - 1 if line < len(starts) else len(text)  # the "\n" itself stays
    return min(start + max(column - 1, 0), end)


def edit_offsets(text: str, edits: Iterable[TextEdit]) -> list[tuple[int, int, str]]:
    starts = _line_starts(text)
    return [(_offset(text, starts, e.line, e.column), _offset(text, starts, e.end_line,
                                                             e.end_column), e.new_text)
            for e in edits]


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
    for finding in sorted(findings, key=Finding.sort_key):
        fix = finding.fix
        if fix is None or not fix.edits or fix.edits in seen:
            continue
        spans = [(s, e) for s, e, _ in edit_offsets(text, fix.edits)]
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
    refused: str | None = None  # why a pass was not applied, if one was refused

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
            outcome.refused = "the fixes would make the file unparseable; not applied"
            break
        outcome.applied.extend(chosen)
        outcome.passes += 1
        current, findings = candidate, after
    outcome.after = current
    return outcome


def fix_file(path: str | Path, base: Config) -> FixOutcome | None:
    """Fix one file's text (not written). None if hpt-lint does not read the file or
    cannot read it (the lint then reports why)."""
    from hpt_lint.config import for_file
    from hpt_lint.loaders import LoadError, read_text, supported
    from hpt_lint.loaders.limits import Limits

    if not supported(path):
        return None
    config = for_file(path, base)
    try:
        text = read_text(path, Limits(max_bytes=config.max_file_size))
    except LoadError:
        return None
    return fix_text(text, str(path), config)


def write_fixed(path: str | Path, outcome: FixOutcome) -> None:
    """Write the fixed text, keeping a UTF-8 byte order mark if the file had one."""
    p = Path(path)
    with p.open("rb") as fh:
        bom = fh.read(3) == b"\xef\xbb\xbf"
    p.write_bytes((b"\xef\xbb\xbf" if bom else b"") + outcome.after.encode("utf-8"))


def _label(file: str, side: str) -> str:
    return file if Path(file).is_absolute() else f"{side}/{file}"


def unified_diff(file: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(before.splitlines(keepends=True),
                                 after.splitlines(keepends=True),
                                 fromfile=_label(file, "a"), tofile=_label(file, "b"))
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
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
    starts = _line_starts(text)
    if not 1 <= line <= len(starts):
        return None
    begin = starts[line - 1]
    end = starts[line] - 1 if line < len(starts) else len(text)
    body = text[begin:end]
    stripped = body.rstrip("\r \t")
    existing = _DISABLE.search(stripped)
    if existing:
        ids = [i.strip() for i in existing.group("ids").split(",")]
        if rule in ids:
            return None
        at = existing.end("ids") + 1
        edit = TextEdit(line, at, line, at, f",{rule}")
    else:
        at = len(stripped) + 1
        edit = TextEdit(line, at, line, at, f"  # hpt-lint: disable={rule}")
    candidate = apply_edits(text, [edit])
    if not _same_meaning(text, candidate, file, suffix):
        return None
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
