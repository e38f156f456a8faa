"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=jobs/tune.yaml,line=9,col=19,endLine=9,endColumn=22,title=HPT304
(log-scaling-needs-positive-range)::message``; ``warning`` for warnings and
``notice`` for info. Chosen automatically when ``GITHUB_ACTIONS=true`` and no
``--format`` is given. Paths are relative to the repository root (what the
annotations need). Values are escaped as the Actions runner expects: ``%``, CR
and LF in the message; also ``:`` and ``,`` in properties.

A finding that spans several lines has no ``col``/``endColumn`` (the Actions toolkit
forbids them when ``line`` and ``endLine`` differ). A notebook finding's message starts
with its ``cell N, line M``. GitHub shows only the first 10 errors, 10 warnings and 10
notices of a step; when there are more, the output ends with one notice that says how
many there are and where to read them all (hidden info findings are left out so that
notice is the tenth).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hpt_lint.findings import Finding, Severity
from hpt_lint.paths import repo_relative
from hpt_lint.reporters.help import with_context
from hpt_lint.reporters.summary import by_severity, count, summarize

if TYPE_CHECKING:
    from hpt_lint.lint import FileResult
    from hpt_lint.reporters import Options

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
SHOWN = 10  # annotations of each kind GitHub shows per step


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    props: dict[str, object] = {"file": repo_relative(f.file), "line": f.line}
    if f.end_line == f.line:
        props |= {"col": f.column, "endLine": f.end_line,
                  "endColumn": max(f.end_column, f.column + 1)}
    else:
        props["endLine"] = f.end_line
    props["title"] = f"{f.rule} ({f.name})"
    rendered = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items())
    return f"::{COMMANDS[f.severity]} {rendered}::{escape_data(with_context(f))}"


def _overflow(s: dict[str, int]) -> str | None:
    """The closing notice when GitHub will not show every annotation, or None."""
    if s["errors"] <= SHOWN and s["warnings"] <= SHOWN and s["info"] <= SHOWN:
        return None
    return ("::notice title=hpt-lint (more findings than GitHub shows)::"
            f"hpt-lint found {count(s['findings'], 'finding')} "
            f"({by_severity(s, zeros=True)}); GitHub shows only the first {SHOWN} errors, "
            f"{SHOWN} warnings and {SHOWN} notices of a step. Read them all in the SARIF "
            "report (code scanning) or the text report (hpt-lint check --format text).")


def render(results: list[FileResult], options: Options) -> str:
    findings = sorted((f for r in results for f in r.findings), key=Finding.sort_key)
    s = summarize(results)
    closing = _overflow(s)
    notices = 0
    out = []
    for f in findings:
        if f.severity is Severity.INFO:
            notices += 1
            if closing is not None and notices >= SHOWN:
                continue  # GitHub would hide it: leave room for the closing notice
        out.append(annotation(f))
    if not options.quiet:
        out.append(f"hpt-lint: {count(s['findings'], 'finding')} "
                   f"({by_severity(s, zeros=True)}) in {count(s['files'], 'file')}")
    if closing is not None:
        out.append(closing)
    return "\n".join(out) + "\n" if out else ""
