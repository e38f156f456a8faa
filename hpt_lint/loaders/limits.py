"""Bounds that keep hostile input from exhausting time or memory."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 5 * 1024 * 1024  # larger files are HPT001, not loaded
    max_depth: int = 200  # nesting of mappings/sequences
    # Values in one document, after YAML alias expansion (billion laughs). The largest
    # request the API accepts (10 definitions with every list at its maximum) is far
    # below this; 100,000 keeps a hostile file to a few seconds and ~100 MB.
    max_nodes: int = 100_000


DEFAULT_LIMITS = Limits()
