"""The one place that keeps secrets out of every output.

A ``Redactor`` knows, for one file (or one request), the secrets that
``secret_scan`` flagged: their parsed values and the source spans that hold them.
Every output goes through it:

- **source text** (text-report excerpts, ``--diff`` lines) is masked by *span*:
  the characters a flagged value occupies in the file are replaced whatever their
  spelling (``\\u0067hp_...``, ``"\\x41KIA" "..."``, a YAML scalar folded over two
  lines), then by value;
- **any other text** (messages, error texts, ``extract``'s values, unknown values'
  source, fix titles) is masked by *value*: every run of the text that is a piece of
  a secret at least ``MIN_PIECE`` characters long, in the secret's own spelling or
  its JSON / Python escaped spelling, becomes ``********``. A message that quotes a
  secret truncated (``"hf_kVqZ..."``) or escaped (``\\n`` in a private key) is
  masked too;
- **data** (``extract``'s request, the value a fingerprint would hash) is scrubbed
  string by string, and a value at a flagged path is masked whole.

``MIN_PIECE`` is 4: every token format hpt-lint flags is 20 or more characters
(a name-flagged secret at least 8), so a leaked piece of 3 characters is at most a
seventh of a token, below what gitleaks' partial redaction shows by design, and
no guess can be confirmed from it; masking pieces of 3 or fewer characters would
blank common words and numbers in every message (``the``, ``300``) instead.
Over-masking is the accepted failure: a message may lose an innocent word that
happens to be a piece of a secret; it never keeps a piece of a secret.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from hpt_lint.lines import LINE_BREAK
from hpt_lint.request import JsonPath, PartialDict, PartialList, Span, Unknown

if TYPE_CHECKING:
    from hpt_lint.findings import Finding
    from hpt_lint.lint import FileResult
    from hpt_lint.request import Request

MASK = "********"
MIN_PIECE = 4
EDGE = 1_024  # a value longer than twice this: pieces of its ends, and the whole masked
MAX_PIECES = 250_000  # pieces indexed per file (~20 MB); past it, values are masked whole
MAX_WHOLE = 256  # values masked whole past the budget; past that, by token format only


def _spellings(value: str) -> set[str]:
    """How a value may be written in an output: as is, JSON-escaped (ASCII or not),
    Python-escaped."""
    out = {value, json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1],
           repr(value)[1:-1], value.encode("unicode_escape").decode("ascii")}
    return {s for s in out if s}


def _pieces(value: str) -> set[str]:
    """The ``MIN_PIECE``-character pieces of ``value`` (of its first and last ``EDGE``
    characters, for a longer one) but those inside the public part of a token format
    (``ghp_``, ``-----BEGIN RSA PRIVATE KEY-----``)."""
    from hpt_lint.secret_scan import public_parts

    k = MIN_PIECE
    if len(value) > 2 * EDGE:
        return _pieces(value[:EDGE]) | _pieces(value[-EDGE:])
    public = public_parts(value)
    if not public:
        return {value[i:i + k] for i in range(len(value) - k + 1)}
    return {value[i:i + k] for i in range(len(value) - k + 1)
            if not any(start <= i and i + k <= end for start, end in public)}


@dataclass(frozen=True)
class _Index:
    """What ``Redactor.mask`` looks for: the pieces of every spelling of the values,
    spellings too short to have a piece, and spellings masked whole (long values, and
    values past the piece budget)."""

    grams: frozenset[str]
    short: tuple[str, ...]
    whole: tuple[str, ...]
    tokens: bool  # past the budget: also mask every token format


@lru_cache(maxsize=4)
def _index(values: tuple[str, ...]) -> _Index:
    """Built once per set of values (the engine, the file and the reporters share it),
    within ``MAX_PIECES``: shortest values first, so a giant value cannot crowd out the
    tokens."""
    grams: set[str] = set()
    short: set[str] = set()
    whole: set[str] = set()
    tokens = False
    for value in sorted(values, key=len):
        for spelled in _spellings(value):
            if len(spelled) < MIN_PIECE:
                short.add(spelled)
            elif len(grams) >= MAX_PIECES:
                tokens = True
                if len(whole) < MAX_WHOLE:
                    whole.add(spelled)
            else:
                grams.update(_pieces(spelled))
                if len(spelled) > 2 * EDGE:
                    whole.add(spelled)
    return _Index(frozenset(grams), tuple(sorted(short, key=len, reverse=True)),
                  tuple(sorted(whole, key=len, reverse=True)), tokens)


class Redactor:
    """Masks the secrets of one file (values and source spans) in any text."""

    def __init__(self, values: Iterable[str] = (), spans: Iterable[Span] = (),
                 paths: Iterable[JsonPath] = ()) -> None:
        self.values = tuple(sorted({v for v in values if v}, key=lambda v: (-len(v), v)))
        self.spans = tuple(spans)
        self.paths = frozenset(paths)
        self._index = _index(self.values)
        self._by_line: dict[int, list[Span]] | None = None
        self._multi_line: list[Span] = []

    def __bool__(self) -> bool:
        return bool(self.values or self.spans)

    # -- text ------------------------------------------------------------------
    def mask(self, text: str) -> str:
        """``text`` with every piece of a secret (``MIN_PIECE`` characters or more, in
        any of its spellings) replaced by ``********``."""
        index = self._index
        if not self.values:
            return text
        for whole in index.whole:
            text = text.replace(whole, MASK)
        for short in index.short:
            text = text.replace(short, MASK)
        if index.tokens:
            text = scrub_tokens(text)
        return _cut(text, self._runs(text))

    def _runs(self, text: str) -> list[tuple[int, int]]:
        grams, k = self._index.grams, MIN_PIECE
        runs: list[tuple[int, int]] = []
        for i in range(len(text) - k + 1):
            if text[i:i + k] in grams:
                if runs and i <= runs[-1][1]:
                    runs[-1] = (runs[-1][0], i + k)
                else:
                    runs.append((i, i + k))
        return runs

    def _spans_on(self, number: int) -> list[Span]:
        if self._by_line is None:  # one pass: single-line spans by line, the rest apart
            self._by_line = {}
            for span in self.spans:
                if span.line == span.end_line:
                    self._by_line.setdefault(span.line, []).append(span)
                else:
                    self._multi_line.append(span)
        return self._by_line.get(number, []) + [
            s for s in self._multi_line if s.line <= number <= s.end_line]

    def line(self, number: int, text: str) -> str:
        """Physical line ``number`` (1-based, without its break) of the file, with the
        characters of every secret span on it masked, then every piece of a secret."""
        cuts: list[tuple[int, int]] = []
        for s in self._spans_on(number):
            if s.line <= number <= s.end_line:
                start = s.column - 1 if number == s.line else 0
                end = s.end_column - 1 if number == s.end_line else len(text)
                if end > start:
                    cuts.append((max(0, start), min(len(text), end)))
        if cuts:
            cuts.sort()
            merged: list[tuple[int, int]] = []
            for start, end in cuts:
                if merged and start <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], end))
                else:
                    merged.append((start, end))
            text = _cut(text, merged)
        return self.mask(text)

    def source(self, text: str) -> str:
        """A whole file's text with every line masked (``line``); line breaks kept."""
        if not self:
            return text
        out: list[str] = []
        pos = 0
        for number, m in enumerate(LINE_BREAK.finditer(text), 1):
            out += [self.line(number, text[pos:m.start()]), m.group()]
            pos = m.end()
        out.append(self.line(len(out) // 2 + 1, text[pos:]))
        return "".join(out)

    # -- data ------------------------------------------------------------------
    def scrub(self, value: Any, path: JsonPath = ()) -> Any:
        """JSON-like ``value`` (found at ``path``) with every string masked, and any
        value at a flagged path replaced by ``********`` whole."""
        if not self:
            return value
        if path in self.paths:
            return Unknown(MASK) if isinstance(value, Unknown) else MASK
        if isinstance(value, Unknown):
            return Unknown(self.mask(value.source), value.image)
        if isinstance(value, dict):
            out: dict[str, Any] = PartialDict() if isinstance(value, PartialDict) else {}
            if isinstance(value, PartialDict) and isinstance(out, PartialDict):
                out.unknown_sources = tuple(self.mask(s) for s in value.unknown_sources)
            for key, child in value.items():
                out[self.mask(str(key))] = self.scrub(child, (*path, key))
            return out
        if isinstance(value, list):
            items = [self.scrub(child, (*path, i)) for i, child in enumerate(value)]
            if isinstance(value, PartialList):
                partial = PartialList(items)
                partial.unknown_sources = tuple(self.mask(s) for s in value.unknown_sources)
                return partial
            return items
        if isinstance(value, str):
            return self.mask(value)
        return value

    def finding(self, f: Finding) -> Finding:
        """``f`` with every text it carries masked (message, fix, context; not the JSON
        path, which holds names, not values)."""
        if not self:
            return f
        fix = f.fix
        if fix is not None:
            fix = replace(fix, title=self.mask(fix.title), edits=tuple(
                replace(e, new_text=self.mask(e.new_text)) for e in fix.edits))
        return replace(f, message=self.mask(f.message),
                       context=self.mask(f.context) if f.context else f.context, fix=fix,
                       extra={k: self.mask(v) for k, v in f.extra.items()})


EMPTY = Redactor()


def _cut(text: str, runs: list[tuple[int, int]]) -> str:
    """``text`` with each (start, end) run, sorted and disjoint, replaced by the mask."""
    if not runs:
        return text
    parts: list[str] = []
    last = 0
    for start, end in runs:
        parts += [text[last:start], MASK]
        last = end
    parts.append(text[last:])
    return "".join(parts)


def redact_results(results: list[FileResult]) -> list[FileResult]:
    """``results`` with every finding masked by its file's secrets (reporters, baselines
    and the language server show these)."""
    out = []
    for result in results:
        redactor = Redactor(result.secrets, result.secret_spans)
        if redactor:
            result = replace(result, findings=[redactor.finding(f) for f in result.findings])
        out.append(result)
    return out


def for_requests(requests: Iterable[Request]) -> Redactor:
    """The secrets of ``requests`` (one file's, or one request): values and spans."""
    from hpt_lint.secret_scan import secrets_in

    values: list[str] = []
    spans: list[Span] = []
    paths: list[JsonPath] = []
    for request in requests:
        for secret in secrets_in(request):
            values.append(secret.value)
            values.extend(secret.spellings)
            entry = request.source_map.get(secret.path)
            if entry is not None:
                spans.append(entry.value)
            paths.append(secret.path)
    return Redactor(values, spans, paths)


def for_unparsed(text: str) -> Redactor:
    """For a text that did not load (no values, no names): every well-known token
    format found anywhere in it, by value and span."""
    from hpt_lint.lines import LineIndex
    from hpt_lint.secret_scan import token_matches

    found = token_matches(text)
    if not found:
        return EMPTY
    index = LineIndex(text)
    spans = [Span(*index.at(start), *index.at(end)) for start, end in found]
    return Redactor((text[start:end] for start, end in found), spans)


def whole_text(text: str) -> Span:
    """A span over every line of ``text``: what a file that did not load masks."""
    return Span(1, 1, len(LINE_BREAK.findall(text)) + 2, 1)


def scrub_tokens(text: str) -> str:
    """An error text (about a file or setting that did not load) with every well-known
    token format masked: the last line of defence for messages built outside the
    engine."""
    return for_unparsed(text).mask(text)


def for_text(text: str, file: str, suffix: str | None = None,
             max_bytes: int | None = None) -> Redactor:
    """The secrets of a file's text: loaded as hpt-lint loads it, or, if it does not
    load, the token formats in it."""
    from hpt_lint.loaders import LoadError, load_text, supported
    from hpt_lint.loaders.limits import DEFAULT_LIMITS, Limits

    if not supported(suffix or file):
        return for_unparsed(text)
    limits = DEFAULT_LIMITS if max_bytes is None else Limits(max_bytes=max_bytes)
    try:
        requests = load_text(text, file, suffix, limits)
    except (LoadError, RecursionError):
        return for_unparsed(text)
    found = for_requests(requests)
    tokens = for_unparsed(text)
    return Redactor((*found.values, *tokens.values), (*found.spans, *tokens.spans),
                    found.paths)


def unified_diff(file: str, before: str, after: str, max_bytes: int | None = None) -> str:
    """``fix.unified_diff`` of the two texts with every secret of either masked (by span
    in its own text, by value in both): a diff holds lines of the file verbatim."""
    from hpt_lint.fix import unified_diff as diff

    old, new = for_text(before, file, max_bytes=max_bytes), for_text(after, file,
                                                                     max_bytes=max_bytes)
    values = (*old.values, *new.values)
    old = Redactor(values, old.spans)
    new = Redactor(values, new.spans)
    return diff(file, old.source(before), new.source(after))
