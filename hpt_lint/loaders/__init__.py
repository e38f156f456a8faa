"""Load: a file's text -> the Requests it holds.

``LOADERS`` maps a file suffix to a parser producing Documents; ``EXTRACTORS``
turn a Document into Requests (a bare request, and whatever other shapes embed
one). A file that cannot be read or parsed raises LoadError (reported as HPT001).
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from hpt_lint.lines import LineIndex
from hpt_lint.loaders.ack import ack_requests
from hpt_lint.loaders.document import Document
from hpt_lint.loaders.errors import LoadError
from hpt_lint.loaders.json_loader import load_json
from hpt_lint.loaders.limits import DEFAULT_LIMITS, Limits
from hpt_lint.loaders.non_requests import why_not_a_request
from hpt_lint.loaders.notebook_loader import load_notebook
from hpt_lint.loaders.pipelines import pipeline_requests
from hpt_lint.loaders.python_sources import load_python_sources
from hpt_lint.loaders.stepfunctions import state_machine_requests
from hpt_lint.loaders.yaml_loader import load_yaml
from hpt_lint.request import Request

# The top-level members of CreateHyperParameterTuningJob that mark a mapping as a
# request. ``Tags`` alone is too common elsewhere to count. (A test keeps this in
# step with the schema.)
REQUEST_KEYS = frozenset({
    "HyperParameterTuningJobName",
    "HyperParameterTuningJobConfig",
    "TrainingJobDefinition",
    "TrainingJobDefinitions",
    "WarmStartConfig",
    "Autotune",
})

# Words whose presence makes a file that fails to parse worth an HPT001: a request
# member, or a tuning-job call. Without one, an unparsable file is simply not a request
# (a JSONC tsconfig, a template with tags we do not read), so a hook over a whole
# repository stays quiet.
REQUEST_MARKERS = REQUEST_KEYS | {"create_hyper_parameter_tuning_job",
                                  "createHyperParameterTuningJob", "HyperparameterTuner"}


# UTF-32 first: its little-endian mark starts with UTF-16's.
_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
         (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


def wide_encoding(data: bytes) -> str | None:
    """"UTF-16" or "UTF-32" when ``data`` starts with that encoding's byte-order mark."""
    return next((name for bom, name in _BOMS if data.startswith(bom)), None)


def _fewest(words: Iterable[str]) -> tuple[str, ...]:
    """The words no other word is a part of: a text holds one of ``words`` exactly when it
    holds one of these (``HyperParameterTuningJob`` for ``...Name`` and ``...Config``), so
    a search makes fewer passes over a large file."""
    unique = set(words)
    return tuple(sorted(w for w in unique if not any(o != w and o in w for o in unique)))


_MARKERS = _fewest(REQUEST_MARKERS)
_MARKER_BYTES = tuple(m.encode() for m in _MARKERS)


def mentions_request(text: str | bytes) -> bool:
    if isinstance(text, bytes):
        wide = wide_encoding(text)
        if wide is not None:
            return mentions_request(text.decode(wide.lower(), "replace"))
        return any(m in text for m in _MARKER_BYTES)
    return any(m in text for m in _MARKERS)


def file_mentions_request(stream: BinaryIO, chunk: int = 1 << 20) -> bool:
    """``mentions_request`` over a binary stream, read in chunks (bounded memory)."""
    keep = max(len(m) for m in _MARKERS) - 1
    tail = b""
    while True:
        block = stream.read(chunk)
        if not block:
            return False
        window = tail + block
        if mentions_request(window):
            return True
        tail = window[-keep:]


# Words without one of which a JSON or YAML file holds no request of any source we read
# (a bare request, a Step Functions state, an ACK manifest, a Pipelines step): every
# request member and tuning marker contains one. Such a file is not parsed at all, so a
# walk over a repository's data files costs a substring search per file.
DATA_MARKERS = ("HyperParameterTuningJob", "TrainingJobDefinition", "WarmStartConfig",
                "Autotune")
_DATA_MARKER_BYTES = tuple(m.encode() for m in DATA_MARKERS)


def may_hold_request(text: str | bytes) -> bool:
    """Whether a JSON or YAML text names a request member or tuning marker (else it is
    not parsed). Keys written with ``\\u`` escapes only are not seen."""
    if isinstance(text, bytes):
        return any(m in text for m in _DATA_MARKER_BYTES)
    return any(m in text for m in DATA_MARKERS)


Parser = Callable[[str, Limits], list[Document]]
Extractor = Callable[[Document, str, str], list[Request]]

LOADERS: dict[str, tuple[str, Parser]] = {
    ".yaml": ("yaml", load_yaml),
    ".yml": ("yaml", load_yaml),
    ".json": ("json", load_json),
    ".py": ("python", load_python_sources),
    ".ipynb": ("notebook", load_notebook),
}


def looks_like_request(value: object) -> bool:
    return isinstance(value, dict) and not REQUEST_KEYS.isdisjoint(value)


def bare_request(doc: Document, file: str, kind: str) -> list[Request]:
    if not looks_like_request(doc.value):
        return []
    return [Request(file, kind, doc.value, doc.source_map, doc.index, list(doc.notes))]


def loader_request(doc: Document, file: str, kind: str) -> list[Request]:
    """A document the loader already knows is a request (a Python call, an SDK tuner)."""
    if doc.kind is None:
        return []
    return [Request(file, doc.kind, doc.value, doc.source_map, doc.index, list(doc.notes))]


EXTRACTORS: list[Extractor] = [loader_request, bare_request]
EXTRACTORS.append(state_machine_requests)  # Step Functions Task states
EXTRACTORS.append(pipeline_requests)  # SageMaker Pipelines tuning steps
EXTRACTORS.append(ack_requests)  # AWS Controllers for Kubernetes manifests


def supported(path: str | Path) -> bool:
    """Whether hpt-lint reads this kind of file (by suffix, or a bare suffix like ".yaml")."""
    text = os.fspath(path)
    suffix = text if text.startswith(".") and "/" not in text else _suffix(text)
    return suffix.lower() in LOADERS


def _suffix(path: str) -> str:
    """``Path(path).suffix`` without building a Path (called for every file of a walk)."""
    return os.path.splitext(os.path.basename(path))[1]


def read_text(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> str:
    """The file's text, or LoadError if it is too large, binary or not UTF-8."""
    from hpt_lint.paths import read_bounded

    try:
        data = read_bounded(path, limits.max_bytes)
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > limits.max_bytes:
        size = max(len(data), _size(path))
        raise LoadError(f"file is {size:,} bytes, over the {limits.max_bytes:,}-byte limit "
                        "(set max-file-size in the config to raise it)")
    return decode(data, limits)


def _size(path: str | Path) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def decode(data: bytes, limits: Limits = DEFAULT_LIMITS) -> str:
    if len(data) > limits.max_bytes:
        raise LoadError(f"file is {len(data):,} bytes, over the {limits.max_bytes:,}-byte limit")
    wide = wide_encoding(data)
    if wide is not None:  # YAML allows it, but JSON (RFC 8259) and Python source do not
        raise LoadError(f"not UTF-8: the file is {wide} (it starts with a {wide} byte-order "
                        f"mark); hpt-lint reads UTF-8 files: convert it (iconv -f {wide} "
                        "-t UTF-8)")
    if b"\0" in data:
        raise LoadError("not a text file (it contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8", "replace").removeprefix("\ufeff")
        line, column = LineIndex(before).at(len(before))
        raise LoadError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", line, column) from None
    return text.removeprefix("\ufeff")


@dataclass(slots=True)
class Loaded:
    """The Requests in a file, and why request-like documents were skipped."""

    requests: list[Request] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def load_report(text: str, file: str, suffix: str | None = None,
                limits: Limits = DEFAULT_LIMITS) -> Loaded:
    """The Requests in ``text``, parsed as the file kind its suffix names, and the
    reasons request-like documents in it are not requests."""
    kind, parse = LOADERS[(suffix or _suffix(file)).lower()]
    loaded = Loaded()
    if kind in ("json", "yaml") and not may_hold_request(text):
        loaded.skipped.append("it names no request member, so it was not parsed")
        return loaded
    for doc in parse(text, limits):
        if doc.kind is None and looks_like_request(doc.value):
            why = why_not_a_request(doc.value)
            if why is not None:
                loaded.skipped.append(f"it holds {why}")
                continue
        for extract in EXTRACTORS:
            found = extract(doc, file, kind)
            if found:
                loaded.requests.extend(found)
                break
    for index, request in enumerate(loaded.requests):
        request.index = index
    return loaded


def load_text(text: str, file: str, suffix: str | None = None,
              limits: Limits = DEFAULT_LIMITS) -> list[Request]:
    """The Requests in ``text``, parsed as the file kind its suffix names."""
    return load_report(text, file, suffix, limits).requests


__all__ = ["LOADERS", "REQUEST_KEYS", "LoadError", "Loaded", "decode", "file_mentions_request",
           "load_report", "load_text", "may_hold_request", "mentions_request", "read_text",
           "supported"]
