"""Lint: files -> FileResults. The one place that ties load, rules and suppression.

The CLI, the language server and the Python API all go through ``lint_text`` /
``lint_file`` / ``lint_paths``, so they agree on every finding.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from hpt_lint import engine, structure
from hpt_lint.config import Config, for_file
from hpt_lint.findings import Finding, Severity
from hpt_lint.loaders import LoadError, load_text, read_text, supported
from hpt_lint.loaders.limits import Limits
from hpt_lint.rule import REGISTRY
from hpt_lint.secret_scan import secrets_in


@dataclass
class FileResult:
    file: str
    findings: list[Finding] = field(default_factory=list)
    requests: int = 0
    internal_error: bool = False
    text: str | None = None  # kept for reporters that show source lines
    secrets: tuple[str, ...] = ()  # values to mask in anything printed from ``text``


def _file_finding(rule_id: str, file: str, message: str, line: int = 1, column: int = 1,
                  config: Config | None = None) -> Finding:
    cls = engine.load_rules()[rule_id]
    severity = config.severity_of(rule_id, cls.severity) if config else cls.severity
    return Finding(rule=rule_id, name=cls.name, severity=severity, message=message, file=file,
                   line=line, column=column, end_line=line, end_column=column + 1, json_path="",
                   fingerprint=engine.fingerprint(rule_id, file, 0, "", message))


def lint_text(text: str, file: str, config: Config, suffix: str | None = None) -> FileResult:
    """Lint a file's text (the LSP lints unsaved buffers this way)."""
    result = FileResult(file=file, text=text)
    limits = Limits(max_bytes=config.max_file_size)
    enabled = {rid for rid, cls in engine.load_rules().items()
               if config.rule_enabled(rid, cls.default_enabled)}
    if not supported(suffix or file):
        return result  # not a kind of file hpt-lint reads: nothing to say
    try:
        if len(text) > limits.max_bytes:
            raise LoadError(f"file is larger than the {limits.max_bytes:,}-byte limit")
        requests = load_text(text, file, suffix, limits)
    except LoadError as exc:
        if "HPT001" in enabled:
            result.findings.append(_file_finding("HPT001", file, exc.message, exc.line,
                                                 exc.column, config))
        return result
    except RecursionError:
        if "HPT001" in enabled:
            result.findings.append(_file_finding(
                "HPT001", file, "nesting too deep to load safely", config=config))
        return result
    result.requests = len(requests)
    if not requests:
        if "HPT002" in enabled:
            result.findings.append(_file_finding(
                "HPT002", file, "no CreateHyperParameterTuningJob request found in this file",
                config=config))
        return result
    findings, crashed = engine.run_rules(requests, config)
    result.findings = findings
    result.internal_error = crashed
    result.secrets = tuple(sorted({s.value for r in requests for s in secrets_in(r)}))
    result.findings.sort(key=Finding.sort_key)
    return result


def lint_file(path: str | Path, config: Config) -> FileResult:
    file = str(path)
    config = for_file(path, config)
    if not supported(path):
        return FileResult(file=file)
    try:
        text = read_text(path, Limits(max_bytes=config.max_file_size))
    except LoadError as exc:
        result = FileResult(file=file)
        enabled = config.rule_enabled("HPT001", True)
        if enabled:
            result.findings.append(_file_finding("HPT001", file, exc.message, exc.line,
                                                 exc.column, config))
        return result
    return lint_text(text, file, config)


PARALLEL_FROM = 24  # files; below this, starting workers costs more than it saves


def lint_paths(paths: Iterable[str | Path], config: Config,
               jobs: int | None = None) -> list[FileResult]:
    """Lint every file under ``paths``, in the stable order ``discover`` gives.

    Many files are linted in parallel on all cores (``jobs`` or ``HPT_LINT_JOBS``
    caps the workers; 1 means serial). The results are the same, in the same order,
    either way."""
    from hpt_lint.discover import discover

    files = discover(paths)
    workers = _workers(len(files), jobs)
    if workers <= 1:
        return [lint_file(p, config) for p in files]
    return _lint_in_parallel(files, config, workers)


def _workers(count: int, jobs: int | None) -> int:
    if jobs is None:
        env = os.environ.get("HPT_LINT_JOBS", "")
        jobs = int(env) if env.isdigit() else None
    if jobs is None:
        if count < PARALLEL_FROM:
            return 1
        try:
            jobs = len(os.sched_getaffinity(0))
        except AttributeError:  # pragma: no cover - not on Linux
            jobs = os.cpu_count() or 1
    return max(1, min(jobs, count // 4 or 1))


def _start_method() -> str | None:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods:
        return "fork"  # the workers inherit the loaded rules and compiled schema
    return "forkserver" if "forkserver" in methods else None


def _lint_in_parallel(files: list[Path], config: Config, workers: int) -> list[FileResult]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = _start_method()
    if method is None:  # pragma: no cover - Windows: spawn re-imports everything per worker
        return [lint_file(p, config) for p in files]
    # Load what every file needs once, before the workers fork from this process.
    engine.load_rules()
    structure.load_schema()
    structure.fast_validator()
    chunk = max(1, min(64, len(files) // (workers * 4)))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        return list(pool.map(lint_file, files, itertools.repeat(config), chunksize=chunk))


def fails(results: Iterable[FileResult], fail_on: Severity) -> bool:
    return any(f.severity.rank >= fail_on.rank for r in results for f in r.findings)


__all__ = ["REGISTRY", "FileResult", "fails", "lint_file", "lint_paths", "lint_text"]
