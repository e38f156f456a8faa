"""Baseline: adopt hpt-lint on a repository with findings, failing only on new ones.

``hpt-lint check --baseline FILE --update-baseline PATHS`` records the current
findings; ``hpt-lint check --baseline FILE PATHS`` hides the findings recorded there.
A finding is known by (rule, repository-relative file, fingerprint); the fingerprint
holds no line numbers, so edits elsewhere in the file do not revive it. The file
holds no message and no value, only hashes: a secret never lands in a baseline.

Format (JSON, sorted, one entry per finding)::

    {"version": 1, "tool": "hpt-lint",
     "findings": [{"rule": "HPT304", "file": "jobs/tune.yaml",
                   "fingerprint": "…32 hex…", "message_hash": "…16 hex…"}]}

``message_hash`` is informational (a changed message does not revive a finding).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hpt_lint.paths import repo_relative

if TYPE_CHECKING:
    from hpt_lint.findings import Finding
    from hpt_lint.lint import FileResult

VERSION = 1

Key = tuple[str, str, str]


class BaselineError(Exception):
    pass


def key_of(f: Finding) -> Key:
    return (f.rule, repo_relative(f.file), f.fingerprint)


def entry(f: Finding) -> dict[str, str]:
    rule, file, fp = key_of(f)
    message_hash = hashlib.sha256(f.message.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return {"rule": rule, "file": file, "fingerprint": fp, "message_hash": message_hash}


def dumps(results: list[FileResult]) -> str:
    entries = sorted((entry(f) for r in results for f in r.findings
                      if f.rule != "HPT000"),
                     key=lambda e: (e["file"], e["rule"], e["fingerprint"]))
    doc = {"version": VERSION, "tool": "hpt-lint", "findings": entries}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def write(path: str | Path, results: list[FileResult]) -> int:
    """Write the findings of ``results`` to ``path`` (atomically); the number written.
    Raises BaselineError, writing nothing, if ``path`` exists and is not a baseline
    (``--baseline job.yaml --update-baseline`` must never replace a request), or if it
    cannot be written (a directory that does not exist, a read-only file...)."""
    from hpt_lint.atomic_write import WriteError, replace_file

    target = Path(path)
    if target.is_dir():
        raise BaselineError(f"{path}: is a directory, not a baseline file")
    if target.exists():
        try:
            empty = target.stat().st_size == 0
        except OSError as exc:
            raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
        if not empty:
            try:
                load(target)
            except BaselineError as exc:
                raise BaselineError(f"{exc}; refusing to overwrite it with a baseline "
                                    "(name a new file, or the existing baseline)") from None
    text = dumps(results)
    try:
        replace_file(target, text.encode("utf-8"))
    except WriteError as exc:
        raise BaselineError(str(exc)) from None
    return len(json.loads(text)["findings"])


def load(path: str | Path) -> frozenset[Key]:
    try:
        doc: Any = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except RecursionError:
        raise BaselineError(f"{path}: not an hpt-lint baseline (nested too deeply)") from None
    except ValueError as exc:
        raise BaselineError(f"{path}: not a baseline file (invalid JSON: {exc})") from None
    if not isinstance(doc, dict) or doc.get("version") != VERSION or not isinstance(
            doc.get("findings"), list) or doc.get("tool", "hpt-lint") != "hpt-lint":
        raise BaselineError(f"{path}: not an hpt-lint baseline (version {VERSION})")
    keys = set()
    for i, e in enumerate(doc["findings"]):
        if not (isinstance(e, dict) and all(isinstance(e.get(k), str)
                                            for k in ("rule", "file", "fingerprint"))):
            raise BaselineError(f"{path}: findings[{i}] needs string rule, file, fingerprint")
        keys.add((e["rule"], e["file"], e["fingerprint"]))
    return frozenset(keys)


def hide(results: list[FileResult], known: frozenset[Key]) -> list[FileResult]:
    """``results`` without the findings recorded in the baseline."""
    return [replace(r, findings=[f for f in r.findings if key_of(f) not in known])
            for r in results]
