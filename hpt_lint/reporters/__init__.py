"""Report: FileResults -> one output format. A reporter knows rules only by metadata.

``FORMATS`` maps a ``--format`` name to the module that renders it; each module has
``render(results, options) -> str``. Modules are imported only when used.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from hpt_lint.lint import FileResult

FORMATS: dict[str, str] = {
    "text": "hpt_lint.reporters.text",
    "json": "hpt_lint.reporters.json_report",
    "sarif": "hpt_lint.reporters.sarif",
    "github": "hpt_lint.reporters.github",
}


@dataclass(frozen=True)
class Options:
    color: bool = False
    show_source: bool = True
    root: str = "."  # paths in output are relative to this (SARIF, baselines)
    rules: tuple[Any, ...] = ()  # the rules enabled for the run (SARIF lists them)
    quiet: bool = False  # findings only: no summary line
    docs_url: str | None = None  # the published rules/ directory (config ``docs-url``)


class Renderer(Protocol):
    def __call__(self, results: list[FileResult], options: Options) -> str: ...


def render(fmt: str, results: list[FileResult], options: Options) -> str:
    module = import_module(FORMATS[fmt])
    out: str = module.render(results, options)
    return out
