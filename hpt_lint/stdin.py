"""Lint what arrives on standard input: ``hpt-lint check - --stdin-filename jobs/req.yaml``.

``--stdin-filename`` names the text as an editor or a pipeline knows it: its suffix
picks the loader, its folder the config file (and with ``force-exclude`` an excluded
name lints nothing, as ruff does), and it is the path findings report. Without it,
the text is read as YAML (which also reads JSON), with the config of the current
directory, and reported as ``-``.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from hpt_lint import suppress
from hpt_lint.config import Config, for_file
from hpt_lint.lint import FileResult, _file_finding, lint_text
from hpt_lint.loaders import LoadError, decode, supported
from hpt_lint.loaders.limits import Limits

STDIN_NAME = "-"
DEFAULT_SUFFIX = ".yaml"


class StdinError(Exception):
    """A --stdin-filename hpt-lint cannot read (the CLI exits 2)."""


def lint_stdin(stream: BinaryIO, filename: str | None, config: Config) -> list[FileResult]:
    """The result for the text on ``stream`` (none when the name is force-excluded)."""
    if filename is not None and not supported(filename):
        from hpt_lint.loaders import LOADERS

        raise StdinError(f"--stdin-filename {filename}: hpt-lint does not read this kind of "
                         f"file (it reads {', '.join(sorted(LOADERS))})")
    where = Path(filename) if filename is not None else Path.cwd() / f"stdin{DEFAULT_SUFFIX}"
    resolved = for_file(where, config)
    if filename is not None and resolved.force_exclude and resolved.excluded(where):
        return []
    name = filename if filename is not None else STDIN_NAME
    suffix = None if filename is not None else DEFAULT_SUFFIX
    limits = Limits(max_bytes=resolved.max_file_size)
    data = stream.read(limits.max_bytes + 1)
    try:
        text = decode(data, limits)
    except LoadError as exc:
        result = FileResult(file=name, fail_on=resolved.fail_on)
        if resolved.rule_enabled("HPT001", True):
            result.findings = suppress.apply(
                [_file_finding("HPT001", name, exc.message, exc.line, exc.column, resolved)],
                None, name, resolved)
        return [result]
    result = lint_text(text, name, resolved, suffix)
    result.fail_on = resolved.fail_on
    return [result]
