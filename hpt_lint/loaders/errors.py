"""The one error type loaders raise: a file that cannot be read safely (HPT001)."""

from __future__ import annotations


class LoadError(Exception):
    """Where and why a file could not be parsed. ``line``/``column`` are 1-based."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = max(1, line)
        self.column = max(1, column)
