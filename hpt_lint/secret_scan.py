"""Secrets in a request: where they are and what kind.

Rules HPT601/HPT602 report what this finds; ``hpt_lint.redact`` masks the values
and their source spans in every output whether or not those rules are enabled, so
a secret never reaches any output (messages, source excerpts, JSON, SARIF, LSP,
baselines). Literal strings inside values known only at run time
(``"ghp_...".strip()``, ``!Sub "hf_...${X}"``) are scanned too.

Detection is deliberately narrow, to keep false positives low on ordinary
hyperparameters (``"0.001"``, ``"adam"``, S3 paths, JSON settings blobs):
well-known token formats anywhere, and high-entropy values only under names
that say "secret" (``password``, ``token``, ``api_key``, ...).
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from hpt_lint.request import JsonPath, Request, Span, Unknown

# A credential in a URL's query string; counts only inside a URL (see _in_url).
_QUERY_CREDENTIAL = (r"[?&](?:access_token|auth_token|token|api_key|apikey|password|"
                     r"X-Amz-Signature|sig)=[^&\s#]{8}")

# (kind, pattern): formats that are secrets wherever they appear. Formats with a
# plausible non-secret look-alike (``sk-learn-...``) must also look random (_RANDOM_KINDS).
TOKEN_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern)) for kind, pattern in (
        ("AWS access key id", r"\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}\b"),
        ("private key", r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
        ("GitHub token", r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b"),
        ("GitLab token", r"\bglpat-[A-Za-z0-9_\-]{20,}\b"),
        ("Slack token", r"\bxox[abposr]-[A-Za-z0-9\-]{10,}\b"),
        ("Slack webhook URL", r"https://hooks\.slack\.com/services/[A-Za-z0-9/]{20,}"),
        ("Hugging Face token", r"\bhf_[A-Za-z0-9]{30,}\b"),
        ("OpenAI-style API key", r"\bsk-(?:proj-|svcacct-|admin-|ant-[a-z0-9]+-)?"
                                 r"[A-Za-z0-9_\-]{20,}"),
        ("Stripe secret key", r"\b[rs]k_live_[A-Za-z0-9]{20,}\b"),
        ("Google API key", r"\bAIza[0-9A-Za-z_\-]{35}\b"),
        ("npm token", r"\bnpm_[A-Za-z0-9]{36}\b"),
        ("JSON Web Token", r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"),
        # bounded, and anchored on "://" or on the parameter: linear on hostile values
        ("credentials in a URL", r"(?<=[a-zA-Z0-9])://[^\s/:@]{1,256}:[^\s/@]{3,256}@[^\s/]"),
        ("credentials in a URL", _QUERY_CREDENTIAL),
    ))
_RANDOM_KINDS = frozenset({"OpenAI-style API key", "Hugging Face token"})

# An AWS secret access key: 40 base64 characters, recognised under an AWS-ish or
# secret-like name (alone, 40 characters could be anything: a git SHA, a hash).
_AWS_SECRET_VALUE = re.compile(r"^[A-Za-z0-9/+]{40}$")

# Name parts that mark a value as a secret (after splitting on _ - . and camelCase).
SECRET_WORDS = frozenset({
    "password", "passwd", "pwd", "passphrase", "secret", "secrets", "token", "apikey",
    "credential", "credentials", "auth", "bearer", "privatekey",
})
SECRET_PAIRS = frozenset({("api", "key"), ("access", "key"), ("secret", "key"),
                          ("private", "key"), ("client", "secret"), ("auth", "token")})
# A last name part that says the value *refers to* a secret (its ARN, id, path) or
# describes it (its length): ``hf_token_secret_arn``, ``WANDB_API_KEY_SECRET_ID``.
REFERENCE_WORDS = frozenset({
    "arn", "id", "ids", "name", "names", "path", "paths", "uri", "url", "file", "files",
    "ref", "param", "parameter", "env", "var", "location", "dir", "prefix", "type",
    "length", "len", "count", "size", "budget", "limit", "max", "min", "num",
})
_NAME_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")
_NOT_A_SECRET = re.compile(
    r"^(?:[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|true|false|none|null|yes|no|"
    r"s3://\S*|https?://[^@\s]*|/\S*|\$\{[^}]*\}|\{\{[^}]*\}\}|<[^>]*>|[*x.]+|"
    r"arn:aws[a-z-]*:\S*)$",
    re.IGNORECASE)
_MAX_JSON_DEPTH = 4


@dataclass(frozen=True, slots=True)
class Secret:
    path: JsonPath
    kind: str
    value: str
    # other ways the file writes it (a literal's source inside an unknown value)
    spellings: tuple[str, ...] = ()
    # found in a literal part of a value known only at run time
    in_unknown: bool = False
    environment: bool = False  # in a definition's Environment (HPT602), not a hyperparameter
    # where the literal is inside the unknown value's source (see unknown_literals.Literal)
    literal_at: tuple[int, int, int, int] | None = None


def _name_parts(name: str) -> list[str]:
    return [p.lower() for p in _NAME_SPLIT.split(name) if p]


def name_is_secret_like(name: str) -> bool:
    parts = _name_parts(name)
    if any(p in SECRET_WORDS for p in parts):
        return True
    return any(pair in SECRET_PAIRS for pair in itertools.pairwise(parts))


def name_is_reference(name: str) -> bool:
    """The name says the value points to a secret or describes it (``..._secret_arn``)."""
    parts = _name_parts(name)
    return bool(parts) and parts[-1] in REFERENCE_WORDS


def entropy(value: str) -> float:
    counts = Counter(value)
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _looks_random(text: str) -> bool:
    """Mixed case and digits, as generated tokens are (``sk-learn-...`` is not)."""
    return (any(c.isdigit() for c in text) and any(c.isupper() for c in text)
            and any(c.islower() for c in text))


def _in_url(value: str, offset: int) -> bool:
    """Whether ``offset`` is inside a URL: its whitespace-delimited word (looking back
    at most 4096 characters) has ``://``."""
    low = max(0, offset - 4096)
    start = max(value.rfind(" ", low, offset), value.rfind("\n", low, offset), low - 1) + 1
    return "://" in value[start:offset]


def classify(name: str, value: str) -> str | None:
    """What kind of secret ``value`` (held under ``name``) looks like, or None."""
    for kind, pattern in TOKEN_FORMATS:
        for match in pattern.finditer(value):
            if kind in _RANDOM_KINDS and not _looks_random(match.group(0)):
                continue
            if pattern.pattern == _QUERY_CREDENTIAL and not _in_url(value, match.start()):
                continue
            return kind
    stripped = value.strip()
    if name_is_reference(name):
        return None
    aws_ish = "aws" in _name_parts(name)
    if (aws_ish or name_is_secret_like(name)) and _AWS_SECRET_VALUE.match(stripped) and (
            _looks_random(stripped) or "/" in stripped or "+" in stripped):
        return "AWS secret access key"
    if not name_is_secret_like(name):
        return None
    if len(stripped) < 8 or " " in stripped or _NOT_A_SECRET.match(stripped):
        return None
    if entropy(stripped) < 3.0:
        return None
    return f"secret under the name {name!r}"


def _json_members(value: str, depth: int = 0) -> Iterator[tuple[str, str]]:
    """(key, string value) inside a JSON object written as a string: SDKs JSON-encode
    hyperparameters (``'{"api_key": "..."}'``)."""
    text = value.strip()
    if depth >= _MAX_JSON_DEPTH or not (text.startswith("{") and text.endswith("}")):
        return
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested too deep to parse safely
        return
    stack: list[tuple[str, object]] = [("", data)]
    while stack:
        key, item = stack.pop()
        if isinstance(item, dict):
            stack.extend((str(k), v) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((key, v) for v in item)
        elif isinstance(item, str) and item:
            yield key, item
            yield from _json_members(item, depth + 1)


def _find_secret(name: str, value: str) -> tuple[str, str] | None:
    """(kind, the part to mask by value) when ``value`` is or holds a secret: the value
    itself, or the JSON member inside it that is one (judged under its own key)."""
    kind = classify(name, value)
    if kind:
        return kind, value
    for inner_name, inner in _json_members(value):
        kind = classify(inner_name, inner)
        if kind:
            return kind, inner
    return None


def _scan_unknown(path: JsonPath, name: str, value: Unknown, kind: str) -> Iterator[Secret]:
    """Secrets written as literals inside a value known only at run time."""
    from hpt_lint.unknown_literals import literals

    for literal in literals(value.source, kind):
        if not literal.text:
            continue
        judged_as = name if literal.may_be_whole else ""  # "": token formats only
        found = _find_secret(judged_as, literal.text)
        if found:
            spellings = (literal.raw,) if literal.raw and literal.raw != literal.text else ()
            yield Secret(path, *found, spellings, True, literal_at=literal.at)


def _scan_nested(path: JsonPath, name: str, value: object, kind: str) -> Iterator[Secret]:
    """Strings inside a mapping or list where a string belongs (the type rules report
    the type; the secret is still there): each judged under its own key."""
    stack: list[tuple[str, object]] = [(name, value)]
    while stack:
        key, item = stack.pop()
        if isinstance(item, dict):
            stack.extend((str(k), v) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((key, v) for v in item)
        elif isinstance(item, Unknown):
            yield from _scan_unknown(path, key, item, kind)
        elif isinstance(item, str) and item:
            found = _find_secret(key, item)
            if found:
                yield Secret(path, *found)


def _scan(items: Iterable[tuple[JsonPath, str, object]], kind: str = "",
          environment: bool = False) -> Iterator[Secret]:
    for secret in _scan_values(items, kind):
        yield replace(secret, environment=environment) if environment else secret


def _scan_values(items: Iterable[tuple[JsonPath, str, object]], kind: str
                 ) -> Iterator[Secret]:
    for path, name, value in items:
        if isinstance(value, str) and value:
            found = _find_secret(name, value)
            if found:
                yield Secret(path, *found)
        elif isinstance(value, Unknown):
            yield from _scan_unknown(path, name, value, kind)
        elif isinstance(value, dict | list):
            yield from _scan_nested(path, name, value, kind)


def hyperparameter_values(request: Request) -> Iterator[tuple[JsonPath, str, object]]:
    """(path, hyperparameter name, value) for every hyperparameter value a request sends."""
    from hpt_lint.checks._request_parts import definitions, parameter_ranges

    for dpath, definition in definitions(request):
        static = definition.get("StaticHyperParameters")
        if isinstance(static, dict):
            for name, value in static.items():
                yield dpath + ("StaticHyperParameters", name), str(name), value
        elif isinstance(static, Unknown):  # built at run time: its literals still count
            yield dpath + ("StaticHyperParameters",), "", static
    for rpath, ranges in parameter_ranges(request):
        for list_name, items in ranges.items():
            if not isinstance(items, list):
                continue
            for i, item in enumerate(items):
                if not isinstance(item, dict):
                    continue
                name = str(item.get("Name", ""))
                base = rpath + (list_name, i)
                for key in ("MinValue", "MaxValue", "ValueHint"):
                    if key in item:
                        yield base + (key,), name, item[key]
                values = item.get("Values")
                if isinstance(values, list):
                    for j, v in enumerate(values):
                        yield base + ("Values", j), name, v


def environment_values(request: Request) -> Iterator[tuple[JsonPath, str, object]]:
    from hpt_lint.checks._request_parts import definitions

    for dpath, definition in definitions(request):
        env = definition.get("Environment")
        if isinstance(env, dict):
            for name, value in env.items():
                yield dpath + ("Environment", name), str(name), value
        elif isinstance(env, Unknown):
            yield dpath + ("Environment",), "", env


def secrets_in(request: Request) -> list[Secret]:
    """Every secret in the hyperparameters and environment (cached per request)."""
    found: list[Secret] | None = request.cache.get("secrets")
    if found is None:
        found = list(_scan(hyperparameter_values(request), request.kind)) + list(
            _scan(environment_values(request), request.kind, environment=True))
        request.cache["secrets"] = found
    return found


# The fixed, public parts of the token formats (the same in every token of a kind, and
# named by the finding's kind anyway): masking them would blank words of messages
# ("Slack webhook" against "hooks.slack.com") and hide nothing.
_PUBLIC_PART = re.compile(
    r"https://hooks\.slack\.com/services/|-----(?:BEGIN|END) (?:[A-Z0-9]+ )*PRIVATE KEY"
    r"(?: BLOCK)?-----|\b(?:gh[pousr]_|github_pat_|glpat-|xox[abposr]-|hf_|sk-(?:proj-|"
    r"svcacct-|admin-|ant-[a-z0-9]+-)?|[rs]k_live_|npm_|AIza|eyJ)")


def public_parts(value: str) -> list[tuple[int, int]]:
    """(start, end) of the parts of ``value`` that every token of its format has."""
    return [m.span() for m in _PUBLIC_PART.finditer(value)]


def literal_span(request: Request, secret: Secret) -> Span | None:
    """Where in the file a secret found in a literal of an unknown value is written,
    when the unknown value's source is exactly the text of its span (same extent);
    None otherwise (report at the value)."""
    entry = request.source_map.get(secret.path)
    value = request.get(secret.path)
    if secret.literal_at is None or entry is None or not isinstance(value, Unknown):
        return None
    span, lines = entry.value, value.source.split("\n")
    end = (span.line + len(lines) - 1,
           span.column + len(lines[0]) if len(lines) == 1 else len(lines[-1]) + 1)
    if end != (span.end_line, span.end_column):
        return None

    def place(line: int, column: int) -> tuple[int, int]:
        return span.line + line, (span.column + column if line == 0 else column + 1)

    line, column, end_line, end_column = secret.literal_at
    return Span(*place(line, column), *place(end_line, end_column))


def token_matches(text: str) -> list[tuple[int, int]]:
    """(start, end) of every well-known token format in ``text`` (no names needed: for
    text that did not load)."""
    found: list[tuple[int, int]] = []
    for kind, pattern in TOKEN_FORMATS:
        for match in pattern.finditer(text):
            if kind in _RANDOM_KINDS and not _looks_random(match.group(0)):
                continue
            if pattern.pattern == _QUERY_CREDENTIAL and not _in_url(text, match.start()):
                continue
            found.append(match.span())
    return sorted(found)
