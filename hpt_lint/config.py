"""Config: which rules run, at what severity, on which files, and what fails the run.

``Config`` is the one settings object every entry point (CLI, LSP, API) passes
down. ``for_file`` gives the settings that apply to one file: the nearest config
file found by walking up from the file (``.hpt-lint.yaml``, ``.hpt-lint.yml``, or
``pyproject.toml`` with a ``[tool.hpt-lint]`` table), stopping at the repository
root (a directory holding ``.git``) or the filesystem root, merged under the base
settings. Precedence: command line (the base) > config file > defaults.

``exclude`` and ``extend-exclude`` are gitignore patterns (``hpt_lint.exclude``), as in
ruff: ``exclude`` replaces the default list (``build/``, ``dist/``, virtualenvs,
caches), ``extend-exclude`` adds to it.

``--config FILE`` names the file for every linted file (no discovery);
``--isolated`` ignores config files altogether. A config file is validated against
``schemas/config.schema.json``; a bad one raises ConfigError naming the file and
the key (the CLI exits 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import Any

from hpt_lint.exclude import DEFAULT_EXCLUDE, excluded_by
from hpt_lint.findings import Severity
from hpt_lint.loaders.limits import CONFIG_LIMITS
from hpt_lint.loaders.plain_yaml import load_plain_yaml, unusable_value
from hpt_lint.paths import (
    GlobError,
    JsonPathSyntaxError,
    absolute,
    any_glob_matches,
    compile_glob,
    glob_matches,
    parse_json_path,
    read_bounded,
    repo_root,
)

CONFIG_NAMES = (".hpt-lint.yaml", ".hpt-lint.yml")
PYPROJECT = "pyproject.toml"
TABLE = "hpt-lint"
# Keys owned by the policy stage: passed through untouched into ``Config.extra``.
POLICY_KEYS = ("extends", "policies", "policy-files", "policy-options")


class ConfigError(Exception):
    """A config file that cannot be read or does not match the config schema."""


@dataclass(frozen=True, slots=True)
class IgnorePath:
    """Findings of ``rules`` at or below the JSON path ``path`` in files matching
    ``file`` (every file when None) are not reported."""

    path: str
    rules: tuple[str, ...]
    file: str | None = None


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ()  # ids or prefixes; empty = the default rule set
    extend_select: tuple[str, ...] = ()  # added to the selection (e.g. default-off rules)
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)  # per-rule override
    fail_on: Severity = Severity.WARNING
    max_file_size: int = 5 * 1024 * 1024
    source: Path | None = None  # the config file these settings came from, if any
    isolated: bool = False  # ignore config files
    extra: dict[str, Any] = field(default_factory=dict)  # settings owned by other stages
    include: tuple[str, ...] = ()  # globs: only these files when walking directories
    # gitignore patterns: never these files when walking directories (``exclude``
    # replaces the defaults, ``extend-exclude`` adds to them)
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    force_exclude: bool = False  # apply ``exclude`` to files named explicitly too
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (glob, ids)
    ignore_paths: tuple[IgnorePath, ...] = ()
    root: Path | None = None  # the directory globs are relative to (the config file's)
    config_file: Path | None = None  # --config: use this file, do not discover
    explicit: frozenset[str] = frozenset()  # fields set on the command line
    docs_url: str | None = None  # where the rules/ docs are published (SARIF helpUri)

    def with_(self, **changes: Any) -> Config:
        return replace(self, **changes)

    def rule_enabled(self, rule_id: str, default_enabled: bool) -> bool:
        def match(prefixes: tuple[str, ...]) -> bool:
            return any(rule_id.startswith(p.upper()) for p in prefixes)

        if match(self.ignore):
            return False
        selected = match(self.select) if self.select else default_enabled
        return selected or match(self.extend_select)

    def severity_of(self, rule_id: str, default: Severity) -> Severity:
        return self.severity.get(rule_id, default)

    def excluded(self, path: str | Path, base: Path | None = None,
                 is_dir: bool = False) -> bool:
        """Whether the exclude patterns match ``path`` (relative to the config's folder;
        a path outside it is matched relative to ``base``, the directory being walked)."""
        return excluded_by((*self.exclude, *self.extend_exclude), path, self.root, base,
                           is_dir)

    def selects(self, path: str | Path, explicit: bool) -> bool:
        """Whether to lint ``path``: a file named on the command line always (unless
        ``force_exclude`` and excluded), a file found by walking a directory when it
        matches ``include`` (if set) and not ``exclude``."""
        if explicit:
            return not (self.force_exclude and self.excluded(path))
        if self.excluded(path):
            return False
        return not self.include or any_glob_matches(self.include, path, self.root)

    def ignored_here(self, rule_id: str, file: str) -> bool:
        """Whether ``per-file-ignores`` turns ``rule_id`` off for ``file``."""
        return any(any(rule_id.startswith(p) for p in ids) and glob_matches(g, file, self.root)
                   for g, ids in self.per_file_ignores)


DEFAULT = Config()

# -- reading config files ---------------------------------------------------------

_FIELD_OF = {
    "select": "select", "extend-select": "extend_select", "ignore": "ignore",
    "severity": "severity", "fail-on": "fail_on", "max-file-size": "max_file_size",
    "include": "include", "exclude": "exclude", "extend-exclude": "extend_exclude",
    "force-exclude": "force_exclude",
    "per-file-ignores": "per_file_ignores", "ignore-paths": "ignore_paths",
    "docs-url": "docs_url",
}


@dataclass(frozen=True)
class FileSettings:
    """What one config file says, as Config field values."""

    source: Path
    values: dict[str, Any]
    extra: dict[str, Any]


def _ids(values: list[str]) -> tuple[str, ...]:
    return tuple(v.strip().upper() for v in values)


def _convert(key: str, value: Any) -> Any:
    if key in ("select", "extend-select", "ignore"):
        return _ids(value)
    if key == "severity":
        return {k.upper(): Severity(v) for k, v in value.items()}
    if key == "fail-on":
        return Severity(value)
    if key in ("include", "exclude", "extend-exclude"):
        return tuple(value)
    if key == "per-file-ignores":
        return tuple((glob, _ids(ids)) for glob, ids in value.items())
    if key == "ignore-paths":
        return tuple(IgnorePath(path=item["path"], rules=_ids(item["rules"]),
                                file=item.get("file")) for item in value)
    return value


@cache
def _validator() -> Any:
    import json

    from jsonschema import Draft202012Validator

    from hpt_lint.resources import schema_path

    schema = json.loads(schema_path("config.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def _where(error: Any) -> str:
    parts = [str(p) for p in error.absolute_path]
    if error.validator in ("additionalProperties", "unevaluatedProperties"):
        import re

        m = re.findall(r"'([^']+)'", error.message)
        if m:
            parts.append(m[0])
    return ".".join(parts) or "(top level)"


def _explain(error: Any) -> str:
    if error.validator == "additionalProperties":
        import difflib

        extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
        known = sorted(error.schema.get("properties", {}))
        hints = []
        for k in extra:
            close = difflib.get_close_matches(k.replace("_", "-").lower(), known, n=1)
            hints.append(f"unknown key {k!r}" + (f" (did you mean {close[0]!r}?)" if close
                                                 else f"; known keys: {', '.join(known)}"))
        return "; ".join(hints)
    return str(error.message)


def validate(data: Any, source: Path) -> None:
    """Raise ConfigError if ``data`` (the settings of ``source``) breaks the schema."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: (list(e.absolute_path),
                                                                  e.message))
    if errors:
        lines = [f"{source}: invalid hpt-lint config:"]
        lines += [f"  `{_where(e)}`: {_explain(e)}" for e in errors[:10]]
        if len(errors) > 10:
            lines.append(f"  ... and {len(errors) - 10} more")
        raise ConfigError("\n".join(lines))


def _read(source: Path) -> dict[str, Any] | None:
    """The raw settings in ``source`` (None: a pyproject.toml without our table)."""
    try:
        raw = read_bounded(source, CONFIG_LIMITS.max_bytes)
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read config file: {exc.strerror or exc}") from None
    if len(raw) > CONFIG_LIMITS.max_bytes:
        raise ConfigError(f"{source}: the config file is larger than the "
                          f"{CONFIG_LIMITS.max_bytes:,}-byte limit")
    if source.name == PYPROJECT or source.suffix == ".toml":
        import tomllib

        try:
            doc = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{source}: not valid TOML: {exc}") from None
        except RecursionError:
            raise ConfigError(f"{source}: not valid TOML: nesting too deep") from None
        tool = doc.get("tool")
        table = tool.get(TABLE) if isinstance(tool, dict) else None
        if table is None:
            return None if source.name == PYPROJECT else {}
        if not isinstance(table, dict):
            raise ConfigError(f"{source}: `tool.{TABLE}` must be a table")
        if _depth(table) > CONFIG_LIMITS.max_depth:
            raise ConfigError(f"{source}: `tool.{TABLE}` nests deeper than "
                              f"{CONFIG_LIMITS.max_depth} levels")
        bad = unusable_value(table)
        if bad is not None:
            where = ".".join(str(p) for p in bad[0])
            raise ConfigError(f"{source}: `tool.{TABLE}.{where}`: {bad[1]}")
        return table
    from hpt_lint.loaders import LoadError

    try:
        doc = load_plain_yaml(raw.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError:
        raise ConfigError(f"{source}: not valid UTF-8") from None
    except LoadError as exc:
        problem = exc.message.replace("invalid YAML: ", "not valid YAML: ", 1)
        raise ConfigError(f"{source}:{exc.line}:{exc.column}: {problem}") from None
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise ConfigError(f"{source}: a config file must be a mapping of settings")
    return doc


def _depth(value: Any) -> int:
    """How deeply ``value`` nests (iteratively: the value may be deeper than the stack)."""
    deepest = 0
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > CONFIG_LIMITS.max_depth:
            break
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def _check_globs(data: dict[str, Any], source: Path) -> None:
    """Every glob must compile: ``[z-a]`` is a usage error here, not a crash later."""
    globs = [(f"{k}.{i}", g) for k in ("include", "exclude")
             for i, g in enumerate(data.get(k, ()))]
    globs += [(f"per-file-ignores.{g}", g) for g in data.get("per-file-ignores", {})]
    globs += [(f"ignore-paths.{i}.file", item["file"])
              for i, item in enumerate(data.get("ignore-paths", ())) if "file" in item]
    for where, glob in globs:
        try:
            compile_glob(glob.strip().removeprefix("./").rstrip("/"))
        except GlobError as exc:
            raise ConfigError(f"{source}: invalid hpt-lint config:\n  `{where}`: {exc}"
                              ) from None


_FILE_CACHE: dict[tuple[Path, int, int], FileSettings | None] = {}


def load(source: str | Path) -> FileSettings | None:
    """Read and validate one config file (cached while the file is unchanged)."""
    path = absolute(source)
    try:
        st = path.stat()
        key = (path, st.st_mtime_ns, st.st_size)
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read config file: {exc.strerror or exc}") from None
    if key in _FILE_CACHE:
        return _FILE_CACHE[key]
    data = _read(path)
    settings = None
    if data is not None:
        validate(data, path)
        _check_globs(data, path)
        for i, item in enumerate(data.get("ignore-paths", ())):
            try:
                parse_json_path(item["path"])
            except JsonPathSyntaxError as exc:
                raise ConfigError(f"{path}: invalid hpt-lint config:\n  `ignore-paths.{i}.path`: "
                                  f"{exc}") from None
        values = {_FIELD_OF[k]: _convert(k, v) for k, v in data.items() if k in _FIELD_OF}
        extra = {k: v for k, v in data.items() if k in POLICY_KEYS}
        settings = FileSettings(path, values, extra)
    _FILE_CACHE[key] = settings
    return settings


_DIR_CACHE: dict[Path, Path | None] = {}


def find_config(directory: Path) -> Path | None:
    """The nearest config file at or above ``directory`` (cached per directory)."""
    seen: list[Path] = []
    found: Path | None = None
    stop = repo_root(directory)
    for d in (directory, *directory.parents):
        if d in _DIR_CACHE:
            found = _DIR_CACHE[d]
            break
        seen.append(d)
        found = _config_in(d)
        if found is not None or d == stop:
            break
    for d in seen:
        _DIR_CACHE[d] = found
    return found


def _config_in(directory: Path) -> Path | None:
    for name in CONFIG_NAMES:
        candidate = directory / name
        if candidate.is_file():
            return candidate
    pyproject = directory / PYPROJECT
    if pyproject.is_file() and load(pyproject) is not None:
        return pyproject
    return None


def clear_caches() -> None:
    """Forget discovered and parsed config files (the LSP calls this when one changes)."""
    _DIR_CACHE.clear()
    _FILE_CACHE.clear()


_DEFAULTS = {f.name: getattr(DEFAULT, f.name) for f in fields(Config)}


def _set_on(base: Config, name: str) -> bool:
    return name in base.explicit or getattr(base, name) != _DEFAULTS[name]


def merge(base: Config, settings: FileSettings) -> Config:
    """The file's settings under the base (command line) settings."""
    changes: dict[str, Any] = {"source": settings.source, "root": settings.source.parent}
    for name, value in settings.values.items():
        if name in ("extend_select", "ignore", "include", "extend_exclude",
                    "per_file_ignores", "ignore_paths"):
            changes[name] = tuple(value) + tuple(getattr(base, name))
        elif name == "severity":
            changes[name] = {**value, **base.severity}
        elif not _set_on(base, name):
            changes[name] = value
    if settings.extra:
        changes["extra"] = {**settings.extra, **base.extra}
    return base.with_(**changes)


def for_file(path: str | Path, base: Config = DEFAULT) -> Config:
    """The settings for one file: its config file (if any) under ``base``."""
    if base.isolated:
        return base
    if base.config_file is not None:
        settings = load(base.config_file)
        if settings is None:
            raise ConfigError(f"{base.config_file}: has no [tool.{TABLE}] table")
    else:
        found = find_config(absolute(path).parent)
        settings = load(found) if found is not None else None
    return merge(base, settings) if settings is not None else base
