"""Paths: repository roots, repo-relative names, and the glob dialect of the config.

Globs (``include``, ``per-file-ignores``, ``ignore-paths.file``; ``exclude`` is gitignore
patterns, see ``hpt_lint.exclude``) are
matched against a file's path relative to the directory of the config file that
names them (the current directory when no config file is involved):

- a pattern without ``/`` matches any one path component (``*.json``, ``vendor``);
- a pattern with ``/`` is anchored at that directory (``infra/tuning/*.yaml``);
- ``*`` and ``?`` stay within a component, ``**`` spans components, ``[abc]`` is a
  character class (``[!abc]`` negated);
- a pattern that matches a directory matches everything below it (``build/``).

JSON-path patterns (``ignore-paths.path``) use the notation findings print
(``TrainingJobDefinition.StaticHyperParameters.lr``, ``TrainingJobDefinitions[0]``,
``StaticHyperParameters["a.b"]``) where ``*`` or ``[*]`` matches any one key or index
and ``**`` any number of them; a pattern also matches everything below the path it
names.
"""

from __future__ import annotations

import os
import re
from functools import cache, lru_cache
from pathlib import Path

_GLOB_TOKENS = re.compile(r"\*\*/|/\*\*$|\*\*|\*|\?|\[[^\]/]+\]|[^*?\[]+|\[")


@cache
def repo_root(directory: Path) -> Path | None:
    """The nearest directory at or above ``directory`` that holds ``.git``."""
    for d in (directory, *directory.parents):
        if (d / ".git").exists():
            return d
    return None


def absolute(path: str | Path) -> Path:
    return Path(os.path.abspath(path))


def repo_relative(file: str | Path) -> str:
    """``file`` relative to its repository root with ``/`` separators, so that names
    (fingerprints, baselines, SARIF URIs) are the same in every checkout and from every
    working directory. A file outside any repository keeps its path relative to the
    current directory (or its absolute path when it is not below it)."""
    path = absolute(file)
    root = repo_root(path.parent) or absolute(".")
    return relative_to(path, root) or path.as_posix()


def relative_to(path: Path, root: Path) -> str | None:
    """``path`` below ``root`` as a ``/``-separated string, or None when it is not below."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return None


class GlobError(ValueError):
    """A glob that cannot be used (``[z-a]``: a reversed character range)."""


def read_bounded(path: str | Path, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``path``, which must be a regular file: a FIFO or a
    device (``/dev/zero``, or a symlink to one) would block or never end. Raises
    OSError (with ``strerror``) otherwise."""
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read(limit + 1)
    finally:
        os.close(fd)


@lru_cache(maxsize=1024)
def compile_glob(pattern: str) -> re.Pattern[str]:
    out: list[str] = []
    for token in _GLOB_TOKENS.findall(pattern):
        if token == "**/":
            out.append("(?:[^/]*/)*")
        elif token == "/**":
            out.append("(?:/.*)?")
        elif token == "**":
            out.append(".*")
        elif token == "*":
            out.append("[^/]*")
        elif token == "?":
            out.append("[^/]")
        elif token.startswith("[") and len(token) > 2:
            body = token[1:-1]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
        else:
            out.append(re.escape(token))
    try:
        return re.compile("".join(out) + r"\Z")
    except re.error as exc:
        raise GlobError(f"invalid glob {pattern!r}: {exc.msg}") from None


def glob_matches(pattern: str, path: str | Path, root: Path | None) -> bool:
    """Whether ``pattern`` (relative to ``root``; None = the current directory) matches
    ``path`` or one of its parent directories."""
    pattern = pattern.strip().removeprefix("./")
    directory_only = pattern.endswith("/")
    pattern = pattern.rstrip("/")
    if not pattern:
        return False
    full = absolute(path)
    rel = relative_to(full, root or absolute("."))
    regex = compile_glob(pattern)
    if "/" in pattern:
        if rel is None:
            return False
        parts = rel.split("/")
        prefixes = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
        if directory_only:
            prefixes = prefixes[:-1]
        return any(regex.match(p) for p in prefixes)
    parts = (rel or full.as_posix()).split("/")
    if directory_only:
        parts = parts[:-1]
    return any(regex.match(p) for p in parts)


def any_glob_matches(patterns: tuple[str, ...], path: str | Path, root: Path | None) -> bool:
    return any(glob_matches(p, path, root) for p in patterns)


# -- JSON paths ------------------------------------------------------------------

Segment = tuple[str, str]  # ("key", name) | ("index", digits) | ("any", "*") | ("many", "**")

_SEGMENT = re.compile(r'''
    \[\s*"((?:[^"\\]|\\.)*)"\s*\]   # ["quoted key"]
  | \[\s*(\d+|\*)\s*\]               # [0] or [*]
  | \.?([^.\[\]]+)                   # .key, key, * or **
''', re.X)


class JsonPathSyntaxError(ValueError):
    pass


@lru_cache(maxsize=4096)
def parse_json_path(text: str) -> tuple[Segment, ...]:
    """Parse the printed JSON-path notation (the inverse of ``request.format_path``)."""
    out: list[Segment] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _SEGMENT.match(text, pos)
        if not m or m.end() == pos:
            raise JsonPathSyntaxError(f"cannot parse the JSON path {text!r} at column {pos + 1}")
        quoted, index, key = m.groups()
        if quoted is not None:
            out.append(("key", re.sub(r"\\(.)", r"\1", quoted)))
        elif index is not None:
            out.append(("any", "*") if index == "*" else ("index", index))
        elif key == "*":
            out.append(("any", "*"))
        elif key == "**":
            out.append(("many", "**"))
        else:
            out.append(("key", key))
        pos = m.end()
    return tuple(out)


def json_path_matches(pattern: str, path: str) -> bool:
    """Whether the JSON path ``path`` is at or below what ``pattern`` names."""
    pat = parse_json_path(pattern)
    try:
        segs = parse_json_path(path)
    except JsonPathSyntaxError:
        return False
    return _match_prefix(pat, segs)


def _match_prefix(pat: tuple[Segment, ...], segs: tuple[Segment, ...]) -> bool:
    if not pat:
        return True  # the pattern is used up: ``segs`` is at or below it
    head = pat[0]
    if head[0] == "many":
        return any(_match_prefix(pat[1:], segs[i:]) for i in range(len(segs) + 1))
    if not segs:
        return False
    if head[0] == "any" or head == segs[0]:
        return _match_prefix(pat[1:], segs[1:])
    return False
