"""Config: which rules run, at what severity, and what fails the run.

``Config`` is the one settings object every entry point (CLI, LSP, API) passes
down. ``for_file`` gives the settings that apply to one file: the config files
found for it (walking up from the file), merged over the base settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hpt_lint.findings import Severity


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ()  # ids or prefixes; empty = the default rule set
    extend_select: tuple[str, ...] = ()  # added to the selection (e.g. default-off rules)
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)  # per-rule override
    fail_on: Severity = Severity.WARNING
    max_file_size: int = 5 * 1024 * 1024
    source: Path | None = None  # the config file these settings came from, if any
    isolated: bool = False  # ignore config files
    extra: dict[str, Any] = field(default_factory=dict)  # settings owned by other stages

    def with_(self, **changes: Any) -> Config:
        return replace(self, **changes)

    def rule_enabled(self, rule_id: str, default_enabled: bool) -> bool:
        def match(prefixes: tuple[str, ...]) -> bool:
            return any(rule_id.startswith(p.upper()) for p in prefixes)

        if match(self.ignore):
            return False
        selected = match(self.select) if self.select else default_enabled
        return selected or match(self.extend_select)

    def severity_of(self, rule_id: str, default: Severity) -> Severity:
        return self.severity.get(rule_id, default)


DEFAULT = Config()


def for_file(path: str | Path, base: Config = DEFAULT) -> Config:
    """The settings for one file. (Config-file discovery plugs in here.)"""
    return base
