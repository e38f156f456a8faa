"""What the server knows about each open document: the last lint, and the last good one.

No pygls here: this is the linting policy, kept apart from the protocol.

- A document is linted as the CLI would lint its file: the loader is chosen by
  the file's suffix (or, for an unsaved buffer, by its language id), the config is
  ``for_file(path, base)``, and the rules and suppressions are ``lint_text``'s.
- A YAML/JSON buffer that names no request member is not parsed at all (unless the
  config asks for HPT002): it gets an empty diagnostics list.
- While a document does not parse, it shows the HPT001 at the parse error plus the
  diagnostics of the last version that parsed whose start line is before the error
  line (above the error the text is most likely what it was). Those kept
  diagnostics are marked stale: no quick fixes are offered for them, since their
  positions may have moved.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from hpt_lint.config import Config, for_file
from hpt_lint.findings import Finding, TextEdit
from hpt_lint.lsp.completion import looks_like_request
from hpt_lint.request import Request

LANGUAGE_SUFFIXES = {"yaml": ".yaml", "json": ".json", "python": ".py", "jupyter": ".ipynb"}
KINDS = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


def lint_suffix(path: str, language_id: str | None) -> str | None:
    """The suffix whose loader reads this document, or None if hpt-lint reads no such file."""
    from hpt_lint.loaders import supported

    suffix = Path(path).suffix.lower()
    if suffix == ".ipynb" and language_id == "python":
        # Python text under a notebook's name: jupyterlab-lsp's virtual document (the
        # cells joined, IPython rewritten as Python), or one cell sent on its own
        return ".py"
    if suffix and supported(suffix):
        return suffix
    fallback = LANGUAGE_SUFFIXES.get(language_id or "")
    if fallback and supported(fallback):
        return fallback
    return None


@dataclass
class Analysis:
    version: int | None
    text: str
    findings: list[Finding] = field(default_factory=list)
    stale: frozenset[int] = frozenset()  # indexes of findings kept from the last good lint
    parse_failed: bool = False
    suffix: str | None = None
    config: Config | None = None
    _requests: list[Request] | None = None

    def requests(self) -> list[Request]:
        """The document's Requests (parsed on demand for hover; [] if it does not parse)."""
        if self._requests is None:
            from hpt_lint.loaders import LoadError, load_text

            try:
                self._requests = (load_text(self.text, "document", self.suffix)
                                  if self.suffix else [])
            except (LoadError, RecursionError):
                self._requests = []
        return self._requests


def _shifted(findings: list[Finding], shifts: dict[int, int]) -> list[Finding]:
    """Columns of the program -> columns of the text, on the lines whose start was cut."""
    if not shifts:
        return findings

    def edit(e: TextEdit) -> TextEdit:
        return replace(e, column=e.column + shifts.get(e.line, 0),
                       end_column=e.end_column + shifts.get(e.end_line, 0))

    out = []
    for f in findings:
        fix = f.fix and replace(f.fix, edits=tuple(edit(e) for e in f.fix.edits))
        out.append(replace(f, column=f.column + shifts.get(f.line, 0),
                           end_column=f.end_column + shifts.get(f.end_line, 0), fix=fix))
    return out


def _is_parse_error(finding: Finding) -> bool:
    return finding.rule == "HPT001" and not finding.json_path


class Documents:
    def __init__(self, base: Config | None = None) -> None:
        self.base = base or Config()
        self.last: dict[str, Analysis] = {}
        self.last_good: dict[str, Analysis] = {}

    def forget(self, uri: str) -> None:
        self.last.pop(uri, None)
        self.last_good.pop(uri, None)

    def analyse(self, uri: str, path: str, text: str, version: int | None,
                language_id: str | None = None, cells: bool = False) -> Analysis:
        """``cells``: ``text`` is already a notebook's program (``join_cells``)."""
        from hpt_lint.lint import lint_text

        suffix = ".py" if cells else lint_suffix(path, language_id)
        analysis = Analysis(version, text, suffix=suffix)
        if suffix is None:
            self.last[uri] = analysis
            return analysis
        config = for_file(path, self.base)
        analysis.config = config
        if suffix in KINDS and not looks_like_request(text) and not config.rule_enabled(
                "HPT002", False):
            analysis._requests = []
            self.last[uri] = analysis
            return analysis
        program, shifts = text, {}
        if suffix == ".py" and Path(path).suffix.lower() == ".ipynb" and not cells:
            from hpt_lint.loaders.notebook_loader import virtual_document_program

            program, shifts = virtual_document_program(text)
        findings = _shifted(lint_text(program, path, config, suffix).findings, shifts)
        errors = [f for f in findings if _is_parse_error(f)]
        if errors:
            analysis.parse_failed = True
            error_line = min(f.line for f in errors)
            good = self.last_good.get(uri)
            kept = [f for f in (good.findings if good else [])
                    if not _is_parse_error(f) and f.line < error_line]
            analysis.findings = kept + findings
            analysis.stale = frozenset(range(len(kept)))
        else:
            analysis.findings = findings
            self.last_good[uri] = analysis
        self.last[uri] = analysis
        return analysis
