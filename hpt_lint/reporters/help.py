"""How a finding's message is shown: a short headline people scan, and the why and fix.

Rules write one message: what is wrong, then why and how to fix it
(``range `eta` uses Logarithmic scaling but its MinValue is 0; log scaling works only
for ...: raise MinValue above 0 or use Linear scaling``). This module is the one place
that splits it for display, so rules need no second field:

- a message with a line break: the first line is the headline, the rest the help;
- else the first ``; `` outside brackets, quotes and backticks ends the headline;
- a long trailing parenthetical (`` (The IAM role that ...)``) moves to the help when
  the headline would otherwise be long; a short one (`` (0.01)``) stays.

The text and GitHub outputs show the headline and a ``help:`` line; JSON, SARIF and the
language server keep the full message. ``with_context`` puts a notebook finding's
``cell N, line M`` in front of the message for outputs that have no column for it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hpt_lint.findings import Finding

HEADLINE_AIM = 100  # characters; longer trailing parentheticals move to the help
_LONG_ASIDE = 30  # a trailing parenthetical this long is an explanation, not a detail
_OPEN = {"(": ")", "[": "]", "{": "}"}
_QUOTES = "`'\""


def _top_level(message: str) -> list[int]:
    """Positions in ``message`` that are outside brackets, quotes and backticks.

    Only a quote that starts a token (after a space, bracket or the start) opens a
    quoted stretch, so an apostrophe inside a word (``account's``) does not."""
    out: list[int] = []
    stack: list[str] = []
    quote: str | None = None
    for i, ch in enumerate(message):
        if quote is not None:
            if ch == quote:
                quote = None
            continue
        if ch in _QUOTES and (i == 0 or message[i - 1] in " ([{:=,"):
            quote = ch
            continue
        if ch == "`":
            quote = ch
            continue
        if ch in _OPEN:
            stack.append(_OPEN[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
        elif not stack:
            out.append(i)
    return out


def split(message: str) -> tuple[str, str]:
    """(headline, help) of a message; help is "" when there is nothing more to say."""
    if "\n" in message:
        head, _, rest = message.partition("\n")
        return head.rstrip(), " ".join(rest.split())
    head, rest = message, ""
    top = _top_level(message)
    semi = next((i for i in top if message.startswith("; ", i)), None)
    if semi is not None:
        head, rest = message[:semi].rstrip(), message[semi + 2:].strip()
    elif len(message) > HEADLINE_AIM:
        colon = next((i for i in reversed(top) if message.startswith(": ", i)), None)
        if colon is not None:
            head, rest = message[:colon].rstrip(), message[colon + 2:].strip()
    if len(head) > HEADLINE_AIM and head.endswith(")"):
        start = _trailing_paren(head)
        inner = head[start + 1:-1].strip() if start else ""
        if len(inner) >= _LONG_ASIDE:
            head = head[:start].rstrip()
            rest = f"{inner}; {rest}" if rest else inner
    return head, rest


def _trailing_paren(message: str) -> int | None:
    """Where the parenthetical that closes ``message`` opens (None if unbalanced)."""
    depth = 0
    for i in range(len(message) - 1, -1, -1):
        ch = message[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth -= 1
            if depth == 0:
                return i if message[i - 1:i] == " " else None
    return None


_LONG_PATH = 40
_PATH = re.compile(r"`([A-Za-z][\w-]*(?:\[\d+\])*(?:\.[A-Za-z][\w-]*(?:\[\d+\])*)+)`")


def short_paths(text: str) -> str:
    """Long JSON paths in backticks cut to their last two members, or one
    (`` `…ContinuousParameterRanges[0].MinValue` ``): the location already says where,
    and the full path stays in JSON and SARIF."""
    def cut(m: re.Match[str]) -> str:
        path = m.group(1)
        if len(path) <= _LONG_PATH:
            return m.group(0)
        tail = ".".join(path.split(".")[-2:])
        if len(tail) > _LONG_PATH:
            tail = path.rsplit(".", 1)[-1]
        return f"`…{tail}`"

    return _PATH.sub(cut, text)


def for_display(message: str) -> tuple[str, str]:
    """(headline, help) as the text and GitHub outputs show them."""
    head, rest = split(message)
    return short_paths(head), rest


def with_context(f: Finding) -> str:
    """The full message, led by the notebook cell and line when there is one."""
    return f"{f.context}: {f.message}" if f.context else f.message
