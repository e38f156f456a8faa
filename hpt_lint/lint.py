"""Lint: files -> FileResults. The one place that ties load, rules and suppression.

The CLI, the language server and the Python API all go through ``lint_text`` /
``lint_file`` / ``lint_paths``, so they agree on every finding.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from hpt_lint import engine, structure, suppress
from hpt_lint.config import CONFIG_NAMES, Config, for_file
from hpt_lint.findings import Finding, Severity
from hpt_lint.loaders import (
    LoadError,
    file_mentions_request,
    load_report,
    mentions_request,
    read_text,
    supported,
)
from hpt_lint.loaders.limits import Limits
from hpt_lint.redact import for_requests, redact_results, scrub_tokens, whole_text
from hpt_lint.request import Span


@dataclass
class FileResult:
    file: str
    findings: list[Finding] = field(default_factory=list)
    requests: int = 0
    internal_error: bool = False
    text: str | None = None  # kept for reporters that show source lines
    secrets: tuple[str, ...] = ()  # values to mask in anything printed from ``text``
    secret_spans: tuple[Span, ...] = ()  # where ``text`` holds them, however spelled
    fail_on: Severity | None = None  # the fail level of the config that applied to the file


def _file_finding(rule_id: str, file: str, message: str, line: int = 1, column: int = 1,
                  config: Config | None = None) -> Finding:
    cls = engine.load_rules()[rule_id]
    severity = config.severity_of(rule_id, cls.severity) if config else cls.severity
    return Finding(rule=rule_id, name=cls.name, severity=severity, message=message, file=file,
                   line=line, column=column, end_line=line, end_column=column + 1, json_path="",
                   fingerprint=engine.fingerprint(rule_id, file, "", message))


def lint_text(text: str, file: str, config: Config, suffix: str | None = None) -> FileResult:
    """Lint a file's text (the LSP lints unsaved buffers this way). ``config`` is the
    settings for this file (``config.for_file`` gives them); suppressions apply."""
    result = _lint_text(text, file, config, suffix)
    if supported(suffix or file):
        result.findings = suppress.apply(result.findings, text, file, config, suffix)
        result.findings = _number_duplicates(sorted(result.findings, key=Finding.sort_key))
    return redact_results([result])[0]  # every secret of the file, in every finding


def _number_duplicates(findings: list[Finding]) -> list[Finding]:
    """Two findings with one fingerprint (the same fault twice in a file) get distinct
    fingerprints by their order of occurrence, so a baseline can hold both."""
    seen: Counter[str] = Counter()
    out = []
    for f in findings:
        n = seen[f.fingerprint]
        seen[f.fingerprint] += 1
        if n:
            f = replace(f, fingerprint=engine.fingerprint(f.rule, f.file, f.json_path,
                                                          f"{f.fingerprint}#{n}"))
        out.append(f)
    return out


class _Enabled:
    """``rule_id in enabled``, asked per rule: a file that holds no request asks about one
    or two rules, not all of them (a repository walk reads thousands of such files)."""

    def __init__(self, config: Config) -> None:
        self.config = config

    def __contains__(self, rule_id: object) -> bool:
        cls = engine.load_rules().get(str(rule_id))
        return cls is not None and self.config.rule_enabled(cls.id, cls.default_enabled)


def _not_a_request(result: FileResult, enabled: _Enabled, config: Config,
                   why: str = "") -> FileResult:
    if "HPT002" in enabled:
        result.findings.append(_file_finding(
            "HPT002", result.file,
            f"no CreateHyperParameterTuningJob request found in this file{why}",
            config=config))
    return result


def _lint_text(text: str, file: str, config: Config, suffix: str | None) -> FileResult:
    result = FileResult(file=file, text=text)
    limits = Limits(max_bytes=config.max_file_size)
    enabled = _Enabled(config)
    if not supported(suffix or file):
        return result  # not a kind of file hpt-lint reads: nothing to say
    try:
        if len(text) > limits.max_bytes:
            raise LoadError(f"file is larger than the {limits.max_bytes:,}-byte limit")
        loaded = load_report(text, file, suffix, limits)
        requests = loaded.requests
    except (LoadError, RecursionError) as exc:
        error = exc if isinstance(exc, LoadError) else LoadError(
            "nesting too deep to load safely")
        # A file that did not load has no values and no names to tell secrets by: every
        # line of it is masked in excerpts, and what looks like a token in the message
        # (loaders never quote values; scanning the message keeps this linear in it).
        result.secret_spans = (whole_text(text),)
        message = scrub_tokens(error.message)
        if not mentions_request(text):
            return _not_a_request(result, enabled, config, f" (it does not parse: "
                                  f"{message}, and names no request member)")
        if "HPT001" in enabled:
            result.findings.append(_file_finding("HPT001", file, message, error.line,
                                                 error.column, config))
        return result
    result.requests = len(requests)
    if not requests:
        why = f" ({'; '.join(dict.fromkeys(loaded.skipped))})" if loaded.skipped else ""
        return _not_a_request(result, enabled, config, why)
    findings, crashed = engine.run_rules(requests, config)
    result.findings = findings
    result.internal_error = crashed
    redactor = for_requests(requests)
    result.secrets = redactor.values
    result.secret_spans = redactor.spans
    result.findings.sort(key=Finding.sort_key)
    return result


def lint_file(path: str | Path, config: Config) -> FileResult:
    """Lint one file with the settings that apply to it (its config file under
    ``config``)."""
    return _lint_resolved(path, for_file(path, config))


def _lint_resolved(path: str | Path, config: Config) -> FileResult:
    file = str(path)
    if not supported(path):
        return FileResult(file=file)
    try:
        text = read_text(path, Limits(max_bytes=config.max_file_size))
    except LoadError as exc:
        result = FileResult(file=file)
        enabled = config.rule_enabled("HPT001", True)
        if enabled and unreadable_but_not_a_request(path, config):
            return result
        if enabled:
            result.findings.append(_file_finding("HPT001", file, exc.message, exc.line,
                                                 exc.column, config))
            result.findings = suppress.apply(result.findings, None, file, config)
        return result
    return lint_text(text, file, config)


def unreadable_but_not_a_request(path: str | Path, config: Config) -> bool:
    """A binary, non-UTF-8 or too large file that names no request member is not a
    request (a large file is searched in chunks: memory stays bounded)."""
    if not os.path.isfile(path):
        return False  # a FIFO or device: never opened here (it could block)
    try:
        with open(path, "rb") as fh:
            return not file_mentions_request(fh)
    except OSError:
        return False


PARALLEL_FROM = 24  # files; below this, starting workers costs more than it saves


def lint_paths(paths: Iterable[str | Path], config: Config,
               jobs: int | None = None) -> list[FileResult]:
    """Lint files and directories, in the stable order discovery gives.

    Files found by walking a directory are linted when their config's
    ``include``/``exclude`` select them; files named explicitly always are, unless
    ``force_exclude`` and excluded. Config files (``.hpt-lint.yaml``) are skipped. Many
    files are linted in parallel on all cores (``jobs`` or ``HPT_LINT_JOBS`` caps the
    workers; 1 means serial); the results are the same, in the same order, either way."""
    selected = select_files(paths, config)
    workers = _workers(len(selected), jobs)
    if workers <= 1:
        return [_lint_selected(item) for item in selected]
    return _lint_in_parallel(selected, workers)


def select_files(paths: Iterable[str | Path], config: Config) -> list[tuple[Path, Config]]:
    """The files ``check``, ``extract`` and ``--fix`` work on, each with the settings for
    it: files found by walking directories that their config's include/exclude select
    (excluded directories are not entered), and files named explicitly (unless
    force-excluded)."""
    from hpt_lint.discover import discover_files
    from hpt_lint.selection import check_selectors

    def prune(directory: Path, walked: Path) -> bool:
        # the settings of the folder that holds ``directory`` decide whether to enter it
        return for_file(directory, config).excluded(directory, walked, is_dir=True)

    selected: list[tuple[Path, Config]] = []
    checked: set[Path | None] = set()
    for path, explicit in discover_files(paths, prune):
        if path.name in CONFIG_NAMES:
            continue  # hpt-lint's own config file is never a request
        resolved = for_file(path, config)
        if resolved.source not in checked:  # a selector that names no rule: exit 2
            check_selectors(resolved)
            checked.add(resolved.source)
        if resolved.selects(path, explicit):
            selected.append((path, resolved))
    return selected


def _lint_selected(item: tuple[Path, Config]) -> FileResult:
    path, resolved = item
    result = _lint_resolved(path, resolved)
    result.fail_on = resolved.fail_on
    if not result.findings:
        result.text = None  # only excerpts of findings read it: a worker sends less back
    return result


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


def _lint_in_parallel(selected: list[tuple[Path, Config]], workers: int) -> list[FileResult]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = _start_method()
    if method is None:  # pragma: no cover - Windows: spawn re-imports everything per worker
        return [_lint_selected(item) for item in selected]
    # Load what every file needs once, before the workers fork from this process.
    engine.load_rules()
    structure.load_schema()
    structure.fast_validator()
    chunk = max(1, min(64, len(selected) // (workers * 4)))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        return list(pool.map(_lint_selected, selected, chunksize=chunk))


def fails(results: Iterable[FileResult], fail_on: Severity) -> bool:
    return any(f.severity.rank >= fail_on.rank for r in results for f in r.findings)


__all__ = ["FileResult", "fails", "lint_file", "lint_paths", "lint_text"]
