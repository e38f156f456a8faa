"""Policy ``matches`` / ``not_matches`` patterns, run in guaranteed linear time.

A policy file is as untrusted as a request (it arrives in a pull request), and a
pattern such as ``^(a+)+$`` backtracks exponentially in Python's ``re`` (and in
``regress``, which the schema stage uses: measured 7.8 s at 26 characters). So
policy patterns run on RE2 (``google-re2``): an automaton, linear in the value's
length whatever the pattern (``^(a+)+$`` on 30,000 characters: about 1 ms), with a
bounded program size. What RE2 cannot do in linear time (backreferences,
lookaround) is refused when the policy is loaded, with the reason. ``\\w``, ``\\d``,
``\\s`` and ``\\b`` are ASCII-only in RE2; ``\\pL`` and ``\\pN`` match any letter and
digit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hpt_lint.loaders.limits import REGEX_MAX_MEMORY, REGEX_MAX_PATTERN


class PatternError(ValueError):
    """A pattern that RE2 does not accept (the message says why)."""


@dataclass(frozen=True, eq=False)
class Pattern:
    """A compiled policy pattern. ``search`` is linear in the length of ``value``."""

    text: str
    _compiled: Any

    def search(self, value: str) -> bool:
        return self._compiled.search(value) is not None


def compile_pattern(text: str) -> Pattern:
    import re2

    if len(text) > REGEX_MAX_PATTERN:
        raise PatternError(f"the pattern is longer than {REGEX_MAX_PATTERN:,} characters")
    options = re2.Options()
    options.log_errors = False  # report through PatternError, not on stderr
    options.max_mem = REGEX_MAX_MEMORY
    try:
        return Pattern(text, re2.compile(text, options))
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        if str(reason).startswith(("invalid perl operator", "invalid escape sequence")):
            reason = (f"{reason}; policy patterns use RE2 syntax, without backreferences or "
                      "lookaround, so that they run in linear time")
        raise PatternError(str(reason)) from None
