"""Bounds that keep hostile input from exhausting time or memory."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 5 * 1024 * 1024  # larger files are HPT001, not loaded
    max_depth: int = 200  # nesting of mappings/sequences
    max_nodes: int = 1_000_000  # values after alias expansion (billion laughs)


DEFAULT_LIMITS = Limits()
