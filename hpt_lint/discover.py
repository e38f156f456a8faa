"""Discover: the paths a user names -> the files to lint.

Directories are walked for supported files, skipping ``.git``, virtualenvs,
caches and, inside a git work tree, whatever git ignores (``git ls-files``
knows nested and global ignore files exactly). Files named explicitly are
always linted (as ruff and yamllint do), unless a config excludes them.
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

from hpt_lint.loaders import supported

SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "node_modules",
                       "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache",
                       ".ipynb_checkpoints", "site-packages", "build", "dist", ".eggs"})


def _git_files(root: Path) -> list[Path] | None:
    try:
        out = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", "."],
            cwd=root, capture_output=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return [root / os.fsdecode(p) for p in out.split(b"\0") if p]


def regular_file(path: Path) -> bool:
    """A regular file (after symlinks): FIFOs, devices and sockets are never read."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS
                             and not (Path(dirpath) / d / "pyvenv.cfg").exists())
        for name in sorted(filenames):
            yield Path(dirpath) / name


def _skipped(path: Path, root: Path) -> bool:
    try:
        parts = path.relative_to(root).parts[:-1]
    except ValueError:
        return False
    return any(p in SKIP_DIRS for p in parts)


def named_path_error(path: Path) -> str | None:
    """Why a path named on the command line cannot be linted at all (it does not exist,
    or is a FIFO, device or socket), or None."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return f"{path}: no such file or directory"
    except (OSError, ValueError) as exc:
        return f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}"
    if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
        return None
    return f"{path}: not a regular file or directory (FIFOs and devices are not read)"


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Files to lint, in a stable order, each once."""
    return [path for path, _ in discover_files(paths)]


def discover_files(paths: Iterable[str | Path]) -> list[tuple[Path, bool]]:
    """(file, named explicitly) for every file to lint, in a stable order, each once.
    A file both named and found by walking a directory counts as named."""
    found: dict[str, tuple[Path, bool]] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            listed = _git_files(path)
            candidates = (p for p in listed if not _skipped(p, path)) \
                if listed is not None else _walk(path)
            for file in candidates:
                if supported(file) and regular_file(file):
                    key = os.path.normpath(file)
                    found.setdefault(key, (Path(key), False))
        else:
            key = os.path.normpath(path)
            found[key] = (Path(key), True)
    return [found[k] for k in sorted(found)]
