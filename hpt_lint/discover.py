"""Discover: the paths a user names -> the files to lint.

Directories are walked for supported files, skipping ``.git``, virtualenvs,
caches and, inside a git work tree, whatever git ignores (``git ls-files``
knows nested and global ignore files exactly). Files named explicitly are
always linted (as ruff and yamllint do), unless a config excludes them.

Which directories are skipped is the caller's ``prune(directory, walked_root)``;
``lint_paths`` asks the config's ``exclude`` (see ``hpt_lint.exclude``), and the
default is ``SKIP_DIRS``. A folder holding ``pyvenv.cfg`` (a virtualenv) and the
version-control folders are skipped whatever ``prune`` says.
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from hpt_lint.exclude import NEVER_WALKED
from hpt_lint.loaders import supported

Prune = Callable[[Path, Path], bool]  # (directory, the directory being walked) -> skip it

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


def default_prune(directory: Path, root: Path) -> bool:
    return directory.name in SKIP_DIRS


def _never(directory: Path) -> bool:
    return directory.name in NEVER_WALKED or (directory / "pyvenv.cfg").exists()


def _walk(root: Path, prune: Prune) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames
                             if not _never(here / d) and not prune(here / d, root))
        for name in sorted(filenames):
            yield here / name


def _skipped(path: Path, root: Path, prune: Prune, seen: dict[Path, bool]) -> bool:
    """Whether a directory between ``root`` and the file ``path`` is pruned."""
    try:
        parts = path.relative_to(root).parts[:-1]
    except ValueError:
        return False
    directory = root
    for part in parts:
        directory = directory / part
        if directory not in seen:
            seen[directory] = _never(directory) or prune(directory, root)
        if seen[directory]:
            return True
    return False


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


def discover_files(paths: Iterable[str | Path],
                   prune: Prune = default_prune) -> list[tuple[Path, bool]]:
    """(file, named explicitly) for every file to lint, in a stable order, each once.
    A file both named and found by walking a directory counts as named."""
    found: dict[str, tuple[Path, bool]] = {}
    seen: dict[Path, bool] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            listed = _git_files(path)
            candidates = (p for p in listed
                          if not _skipped(p, path, prune, seen)) \
                if listed is not None else _walk(path, prune)
            for file in candidates:
                if supported(file) and regular_file(file):
                    key = os.path.normpath(file)
                    found.setdefault(key, (Path(key), False))
        else:
            key = os.path.normpath(path)
            found[key] = (Path(key), True)
    return [found[k] for k in sorted(found)]
