"""HPT7xx: tags."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hpt_lint.findings import Severity
from hpt_lint.request import JsonPath, Request
from hpt_lint.rule import Rule, Violation

RESERVED_PREFIX = "aws:"


def _keys(request: Request) -> Iterator[tuple[JsonPath, str]]:
    """(path of the Key value, key) for every tag whose key is a known string."""
    tags: Any = request.data.get("Tags")
    if not isinstance(tags, list):
        return
    for i, tag in enumerate(tags):
        if isinstance(tag, dict) and isinstance(tag.get("Key"), str):
            yield ("Tags", i, "Key"), tag["Key"]


class DuplicateTagKey(Rule):
    id = "HPT701"
    name = "duplicate-tag-key"
    severity = Severity.ERROR
    summary = "Two tags have the same key."
    tags = ("tags",)

    def check(self, request: Request) -> Iterator[Violation]:
        seen: dict[str, JsonPath] = {}
        for path, key in _keys(request):
            first = seen.setdefault(key, path)
            if first != path:
                yield Violation(
                    path, f"tag key {key!r} is also used by Tags[{first[1]}]; tag keys must be "
                    "unique per resource (and these tags are copied to every training job the "
                    "tuning job starts): keep one of them")


class ReservedTagPrefix(Rule):
    id = "HPT702"
    name = "reserved-tag-prefix"
    severity = Severity.ERROR
    summary = "A tag key begins with the reserved prefix aws: (in any case)."
    tags = ("tags",)

    def check(self, request: Request) -> Iterator[Violation]:
        for path, key in _keys(request):
            if key[:len(RESERVED_PREFIX)].lower() == RESERVED_PREFIX:
                yield Violation(
                    path, f"tag key {key!r} begins with {key[:4]!r}; AWS reserves the prefix "
                    "aws: in any combination of upper and lower case for its own tags, and "
                    "rejects user tags that use it (the service model's TagKey pattern allows "
                    "it, the AWS tagging rules do not): use your own prefix, such as "
                    f"{'team:' + key[4:]!r}")
