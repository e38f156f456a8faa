"""hpt-lint: a static linter and policy checker for SageMaker CreateHyperParameterTuningJob
requests. The package imports nothing heavy at start-up; the public API is loaded on use.

Public API (stable): ``lint_request``, ``lint_paths``, ``guard``, ``unguard``, ``Guard``,
``HptLintError``, ``Finding``, ``Severity``, ``Config``, ``FileResult``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # the real types for type checkers; at run time __getattr__ loads them
    from hpt_lint.api import lint_paths as lint_paths
    from hpt_lint.api import lint_request as lint_request
    from hpt_lint.client_guard import Guard as Guard
    from hpt_lint.client_guard import HptLintError as HptLintError
    from hpt_lint.client_guard import guard as guard
    from hpt_lint.client_guard import unguard as unguard
    from hpt_lint.config import Config as Config
    from hpt_lint.findings import Finding as Finding
    from hpt_lint.findings import Severity as Severity
    from hpt_lint.lint import FileResult as FileResult

_LAZY = {
    "Finding": ("hpt_lint.findings", "Finding"),
    "Severity": ("hpt_lint.findings", "Severity"),
    "Config": ("hpt_lint.config", "Config"),
    "FileResult": ("hpt_lint.lint", "FileResult"),
    "lint_request": ("hpt_lint.api", "lint_request"),
    "lint_paths": ("hpt_lint.api", "lint_paths"),
    "guard": ("hpt_lint.client_guard", "guard"),
    "unguard": ("hpt_lint.client_guard", "unguard"),
    "Guard": ("hpt_lint.client_guard", "Guard"),
    "HptLintError": ("hpt_lint.client_guard", "HptLintError"),
}

__all__ = ["Config", "FileResult", "Finding", "Guard", "HptLintError", "Severity",
           "__version__", "guard", "lint_paths", "lint_request", "unguard"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        module, attr = _LAZY[name]
        return getattr(import_module(module), attr)
    raise AttributeError(f"module 'hpt_lint' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
