"""Load: a file's text -> the Requests it holds.

``LOADERS`` maps a file suffix to a parser producing Documents; ``EXTRACTORS``
turn a Document into Requests (a bare request, and whatever other shapes embed
one). A file that cannot be read or parsed raises LoadError (reported as HPT001).
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

from hpt_lint.loaders.document import Document
from hpt_lint.loaders.errors import LoadError
from hpt_lint.loaders.json_loader import load_json
from hpt_lint.loaders.limits import DEFAULT_LIMITS, Limits
from hpt_lint.loaders.notebook_loader import load_notebook
from hpt_lint.loaders.python_loader import load_python
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


def mentions_request(text: str | bytes) -> bool:
    if isinstance(text, bytes):
        wide = wide_encoding(text)
        if wide is not None:
            return mentions_request(text.decode(wide.lower(), "replace"))
        return any(m.encode() in text for m in REQUEST_MARKERS)
    return any(m in text for m in REQUEST_MARKERS)


Parser = Callable[[str, Limits], list[Document]]
Extractor = Callable[[Document, str, str], list[Request]]

LOADERS: dict[str, tuple[str, Parser]] = {
    ".yaml": ("yaml", load_yaml),
    ".yml": ("yaml", load_yaml),
    ".json": ("json", load_json),
    ".py": ("python", load_python),
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


def supported(path: str | Path) -> bool:
    """Whether hpt-lint reads this kind of file (by suffix, or a bare suffix like ".yaml")."""
    text = str(path)
    suffix = text if text.startswith(".") and "/" not in text else Path(text).suffix
    return suffix.lower() in LOADERS


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
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        raise LoadError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", line, column) from None
    return text.removeprefix("\ufeff")


def load_text(text: str, file: str, suffix: str | None = None,
              limits: Limits = DEFAULT_LIMITS) -> list[Request]:
    """The Requests in ``text``, parsed as the file kind its suffix names."""
    kind, parse = LOADERS[(suffix or Path(file).suffix).lower()]
    requests: list[Request] = []
    for doc in parse(text, limits):
        for extract in EXTRACTORS:
            found = extract(doc, file, kind)
            if found:
                requests.extend(found)
                break
    for index, request in enumerate(requests):
        request.index = index
    return requests


__all__ = ["LOADERS", "REQUEST_KEYS", "LoadError", "decode", "load_text", "mentions_request",
           "read_text", "supported"]
