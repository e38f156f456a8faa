"""Control characters from linted files (keys, values, file names) never reach a
terminal raw: an ANSI sequence could recolour or hide output, a newline could forge a
line (``::error file=...`` that GitHub would read as an annotation), a bidi override
could reorder what a reviewer sees."""

from __future__ import annotations

import re

# C0 controls but tab, DEL, C1 controls, and the bidi embedding/override/isolate marks.
_CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _code(match: re.Match[str]) -> str:
    ch = ord(match.group())
    return f"\\x{ch:02x}" if ch < 0x100 else f"\\u{ch:04x}"


def escape_controls(text: str, tabs: bool = False) -> str:
    """``text`` with every control character written as an escape (``\\x1b``);
    tabs too when ``tabs``."""
    out = _CONTROLS.sub(_code, text)
    return out.replace("\t", "\\t") if tabs else out
