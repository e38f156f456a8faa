"""Secrets in a request: where they are, what kind, and a Masker that hides them.

Rules HPT601/HPT602 report what this finds; the engine and every reporter mask
the values whether or not those rules are enabled, so a secret never reaches any
output (messages, source excerpts, JSON, SARIF, LSP, baselines).

Detection is deliberately narrow, to keep false positives low on ordinary
hyperparameters (``"0.001"``, ``"adam"``, S3 paths, JSON settings blobs):
well-known token formats anywhere, and high-entropy values only under names
that say "secret" (``password``, ``token``, ``api_key``, ...).
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from hpt_lint.request import JsonPath, Request

# (kind, pattern): formats that are secrets wherever they appear.
TOKEN_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern)) for kind, pattern in (
        ("AWS access key id", r"\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}\b"),
        ("private key", r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
        ("GitHub token", r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b"),
        ("GitLab token", r"\bglpat-[A-Za-z0-9_\-]{20,}\b"),
        ("Slack token", r"\bxox[abposr]-[A-Za-z0-9\-]{10,}\b"),
        ("Slack webhook URL", r"https://hooks\.slack\.com/services/[A-Za-z0-9/]{20,}"),
        ("Hugging Face token", r"\bhf_[A-Za-z0-9]{30,}\b"),
        ("OpenAI-style API key", r"\bsk-(?:proj-|ant-[a-z0-9]+-)?[A-Za-z0-9_\-]{20,}\b"),
        ("Stripe secret key", r"\b[rs]k_live_[A-Za-z0-9]{20,}\b"),
        ("Google API key", r"\bAIza[0-9A-Za-z_\-]{35}\b"),
        ("npm token", r"\bnpm_[A-Za-z0-9]{36}\b"),
        ("JSON Web Token", r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"),
        ("password in a URL", r"\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s/:@]+:[^\s/@]{3,}@[^\s/]+"),
    ))

# Name parts that mark a value as a secret (after splitting on _ - . and camelCase).
SECRET_WORDS = frozenset({
    "password", "passwd", "pwd", "passphrase", "secret", "secrets", "token", "apikey",
    "credential", "credentials", "auth", "bearer", "privatekey",
})
SECRET_PAIRS = frozenset({("api", "key"), ("access", "key"), ("secret", "key"),
                          ("private", "key"), ("client", "secret"), ("auth", "token")})
_NAME_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")
_NOT_A_SECRET = re.compile(
    r"^(?:[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|true|false|none|null|yes|no|"
    r"s3://\S*|https?://[^@\s]*|/\S*|\$\{[^}]*\}|\{\{[^}]*\}\}|<[^>]*>|[*x.]+)$",
    re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Secret:
    path: JsonPath
    kind: str
    value: str


def name_is_secret_like(name: str) -> bool:
    parts = [p.lower() for p in _NAME_SPLIT.split(name) if p]
    if any(p in SECRET_WORDS for p in parts):
        return True
    return any(pair in SECRET_PAIRS for pair in itertools.pairwise(parts))


def entropy(value: str) -> float:
    counts = Counter(value)
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def classify(name: str, value: str) -> str | None:
    """What kind of secret ``value`` (held under ``name``) looks like, or None."""
    for kind, pattern in TOKEN_FORMATS:
        if pattern.search(value):
            return kind
    if not name_is_secret_like(name):
        return None
    stripped = value.strip()
    if len(stripped) < 8 or " " in stripped or _NOT_A_SECRET.match(stripped):
        return None
    if entropy(stripped) < 3.0:
        return None
    return f"secret under the name {name!r}"


def _scan(items: Iterable[tuple[JsonPath, str, object]]) -> Iterator[Secret]:
    for path, name, value in items:
        if isinstance(value, str) and value:
            kind = classify(name, value)
            if kind:
                yield Secret(path, kind, value)


def hyperparameter_values(request: Request) -> Iterator[tuple[JsonPath, str, object]]:
    """(path, hyperparameter name, value) for every hyperparameter value a request sends."""
    from hpt_lint.checks._request_parts import definitions, parameter_ranges

    for dpath, definition in definitions(request):
        static = definition.get("StaticHyperParameters")
        if isinstance(static, dict):
            for name, value in static.items():
                yield dpath + ("StaticHyperParameters", name), str(name), value
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


def secrets_in(request: Request) -> list[Secret]:
    """Every secret in the hyperparameters and environment (cached per request)."""
    found = request.cache.get("secrets")
    if found is None:
        found = list(_scan(hyperparameter_values(request))) + list(
            _scan(environment_values(request)))
        request.cache["secrets"] = found
    return found  # type: ignore[no-any-return]


MASK = "********"


class Masker:
    """Replaces every known secret value (and its repr) in a text with ``********``."""

    def __init__(self, values: Iterable[str]) -> None:
        variants: set[str] = set()
        for v in values:
            variants.add(v)
            variants.add(repr(v)[1:-1])
            variants.update(line for line in v.splitlines() if len(line) >= 8)
        self._variants = sorted((v for v in variants if v), key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self._variants)

    def mask(self, text: str) -> str:
        for v in self._variants:
            if v in text:
                text = text.replace(v, MASK)
        return text
