"""Rule documentation: one Markdown page per rule in ``rules/<ID>.md``.

A page has a title ``# HPT304: log-scaling-needs-positive-range``, a metadata
list (severity, source), and the sections *What it does*, *Why is this bad?*,
*Example* (a bad request; each faulty line carries a ``# HPTnnn`` comment) and
*Use instead* (the fixed request). Tests run every example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hpt_lint.resources import data_dir

_FENCE = re.compile(r"```(\w+)\n(.*?)```", re.S)
_MARK = re.compile(r"#\s*(HPT\d{3})\b")


def doc_path(rule_id: str) -> Path:
    return data_dir("rules") / f"{rule_id}.md"


@dataclass(frozen=True)
class Example:
    language: str
    text: str
    expected: tuple[tuple[str, int], ...]  # (rule id, line) from the ``# HPTnnn`` marks


def _section(text: str, title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    return m.group(1) if m else ""


def examples(rule_id: str) -> tuple[Example | None, Example | None]:
    """The bad and the fixed example of a rule's page."""
    text = doc_path(rule_id).read_text(encoding="utf-8")
    out: list[Example | None] = []
    for title in ("Example", "Use instead"):
        m = _FENCE.search(_section(text, title))
        if not m:
            out.append(None)
            continue
        body = m.group(2)
        marks = tuple((mm.group(1), n) for n, line in enumerate(body.splitlines(), 1)
                      for mm in _MARK.finditer(line))
        out.append(Example(m.group(1), body, marks))
    return out[0], out[1]
