"""Show findings in a file's own spelling of member names (an ACK manifest's ``roleARN``
for the API's ``RoleArn``): rules speak API names, the user reads their file's."""

from __future__ import annotations

import re
from functools import cache

from hpt_lint.request import JsonPath


@cache
def _pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")


def respell(text: str, spelling: dict[str, str]) -> str:
    """``text`` with every whole-word API member name in ``spelling`` written as the
    file writes it."""
    if not spelling:
        return text
    pattern = _pattern(tuple(sorted(spelling, key=lambda n: (-len(n), n))))
    return pattern.sub(lambda m: spelling[m.group(1)], text)


def respell_path(path: JsonPath, spelling: dict[str, str]) -> JsonPath:
    if not spelling:
        return path
    return tuple(spelling.get(p, p) if isinstance(p, str) else p for p in path)
