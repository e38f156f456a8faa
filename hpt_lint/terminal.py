"""Whether to colour the text output.

In order: ``--color`` / ``--no-color``; ``NO_COLOR`` set and not empty turns colour off
(https://no-color.org); ``FORCE_COLOR`` set and not empty, or ``CLICOLOR_FORCE`` set and
not ``0``, turns it on for standard output; otherwise colour only when standard output
is a terminal. A report written with ``--output-file`` is coloured only on ``--color``.
"""

from __future__ import annotations

from collections.abc import Mapping


def use_color(flag: bool | None, to_file: bool, isatty: bool,
              env: Mapping[str, str]) -> bool:
    if flag is not None:
        return flag
    if to_file:
        return False
    if env.get("NO_COLOR", ""):
        return False
    if env.get("FORCE_COLOR", "") or env.get("CLICOLOR_FORCE", "0") not in ("", "0"):
        return True
    return isatty
