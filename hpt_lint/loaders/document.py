"""A parsed YAML or JSON document: plain data plus its source map."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hpt_lint.request import Note, SourceMap


@dataclass(slots=True)
class Document:
    value: Any
    source_map: SourceMap
    index: int = 0
    notes: list[Note] = field(default_factory=list)
