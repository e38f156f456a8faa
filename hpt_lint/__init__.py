"""hpt-lint: a static linter and policy checker for SageMaker CreateHyperParameterTuningJob
requests. The package imports nothing heavy at start-up; the public API is loaded on use."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "Finding": ("hpt_lint.findings", "Finding"),
    "Severity": ("hpt_lint.findings", "Severity"),
    "Config": ("hpt_lint.config", "Config"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        module, attr = _LAZY[name]
        return getattr(import_module(module), attr)
    raise AttributeError(f"module 'hpt_lint' has no attribute {name!r}")
