"""Excludes: gitignore patterns (``exclude``, ``extend-exclude``), matched by pathspec.

The patterns mean what they mean in a ``.gitignore`` placed in the config file's
folder: ``/jobs/`` is anchored there, ``jobs/`` matches a directory at any depth,
``*`` stays within a component and ``**`` spans them, ``\\*`` is a literal star, and a
later ``!pattern`` re-includes what an earlier one excluded (but, as in git, not a
file inside an excluded directory: the directory is never entered).

``DEFAULT_EXCLUDE`` is what ruff leaves out by default that can hold YAML, JSON or
Python: build output, virtualenvs, caches and tool folders. Setting ``exclude``
replaces the list (``exclude: []`` lints ``build/`` and ``dist/`` too);
``extend-exclude`` adds to it. Version-control folders (``.git``, ``.hg``, ``.svn``)
and virtualenvs found by their ``pyvenv.cfg`` are never walked, whatever the config.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from hpt_lint.paths import absolute, relative_to

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".bzr/", ".direnv/", ".eggs/", ".git/", ".hg/", ".ipynb_checkpoints/", ".mypy_cache/",
    ".nox/", ".pytest_cache/", ".ruff_cache/", ".svn/", ".tox/", ".venv/", "__pycache__/",
    "__pypackages__/", "_build/", "build/", "dist/", "node_modules/", "site-packages/",
    "venv/",
)
NEVER_WALKED = frozenset({".git", ".hg", ".svn"})


@lru_cache(maxsize=256)
def spec(patterns: tuple[str, ...]) -> GitIgnoreSpec:
    from pathspec import GitIgnoreSpec

    return GitIgnoreSpec.from_lines(patterns)


def excluded_by(patterns: tuple[str, ...], path: str | Path, root: Path | None,
                base: Path | None = None, is_dir: bool = False) -> bool:
    """Whether ``patterns`` (a .gitignore in ``root``; None = the current directory)
    exclude ``path``. A path outside ``root`` is matched relative to ``base`` (the
    directory being walked), or by its name alone."""
    if not patterns:
        return False
    full = absolute(path)
    rel = relative_to(full, root or absolute("."))
    if rel is None and base is not None:
        rel = relative_to(full, absolute(base))
    if rel is None:
        rel = full.name
    if rel in ("", "."):
        return False
    return spec(patterns).match_file(rel + "/" if is_dir else rel)
