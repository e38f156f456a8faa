"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=jobs/tune.yaml,line=9,col=19,endLine=9,endColumn=22,title=HPT304
(log-scaling-needs-positive-range)::message``; ``warning`` for warnings and
``notice`` for info. Chosen automatically when ``GITHUB_ACTIONS=true`` and no
``--format`` is given. Paths are relative to the repository root (what the
annotations need). Values are escaped as the Actions runner expects: ``%``, CR
and LF in the message; also ``:`` and ``,`` in properties.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hpt_lint.findings import Finding, Severity
from hpt_lint.paths import repo_relative
from hpt_lint.reporters.summary import by_severity, count, summarize

if TYPE_CHECKING:
    from hpt_lint.lint import FileResult
    from hpt_lint.reporters import Options

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    end_column = max(f.end_column, f.column + 1) if f.end_line == f.line else f.end_column
    props = {"file": repo_relative(f.file), "line": f.line, "col": f.column,
             "endLine": f.end_line, "endColumn": end_column, "title": f"{f.rule} ({f.name})"}
    rendered = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items())
    return f"::{COMMANDS[f.severity]} {rendered}::{escape_data(f.message)}"


def render(results: list[FileResult], options: Options) -> str:
    findings = sorted((f for r in results for f in r.findings), key=Finding.sort_key)
    out = [annotation(f) for f in findings]
    s = summarize(results)
    out.append(f"hpt-lint: {count(s['findings'], 'finding')} "
               f"({by_severity(s, zeros=True)}) in {count(s['files'], 'file')}")
    return "\n".join(out) + "\n"
