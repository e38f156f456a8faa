"""Bounds that keep hostile input from exhausting time or memory: every budget in one place.

Each stage that grows with its input has one number here. Past it, the stage stops
and the file gets an HPT001 that names the limit (the CLI exits 2 for config and
policy files). docs/hostile-input.md lists them with the worst cases measured.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 5 * 1024 * 1024  # larger files are HPT001, not loaded
    max_depth: int = 200  # nesting of mappings/sequences
    # Values in one document, after YAML alias expansion (billion laughs). The largest
    # request the API accepts (10 definitions with every list at its maximum) is far
    # below this; 100,000 keeps a hostile file to a few seconds and ~100 MB. YAML counts
    # them while composing, so a file with more is refused before it is built.
    max_nodes: int = 100_000
    # Python evaluation: units of work (statements run, expressions evaluated, members
    # copied by ``**spread``/``update``/``deepcopy``/``list(...)``) for the whole file.
    # Real request-building code uses a few thousand; 1,000,000 is 2-5 s.
    max_eval_steps: int = 1_000_000
    # Python tokens in one file (all code cells of a notebook), checked before
    # ``ast.parse``: its tree costs about 1 KB per token, so this caps it near 300 MB.
    max_python_tokens: int = 300_000


DEFAULT_LIMITS = Limits()

# Config files (.hpt-lint.yaml, pyproject.toml) and policy files: read with the same
# guarded YAML loader as requests, under these bounds.
CONFIG_LIMITS = Limits(max_bytes=1024 * 1024, max_depth=64, max_nodes=100_000)

# Policy ``matches`` / ``not_matches`` patterns run on RE2 (linear in the value's
# length, no backtracking); these bound the compiled program and the pattern text.
REGEX_MAX_MEMORY = 8 * 1024 * 1024  # bytes for one compiled pattern (RE2's default)
REGEX_MAX_PATTERN = 4_096  # characters

# The language server: a line longer than this is not completed or hovered (a
# minified file is linted, but per-keystroke handlers stay O(line) and small).
LSP_MAX_LINE = 10_000
