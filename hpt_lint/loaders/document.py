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
    # Set by loaders that know the document is a request of this kind (Python calls,
    # the SageMaker SDK): it becomes a Request without looking at its keys.
    kind: str | None = None
    # the whole file's text (JSON and YAML), for sources that read a string value as
    # a document of its own (a Step Functions ``DefinitionString``)
    text: str = ""
