"""What a rule is: metadata plus a check that yields Violations for one Request.

Rules are discovered: subclassing ``Rule`` with an ``id`` registers the rule (a
duplicate id is a hard error at import). Rules never read files or print; they
see one Request and say what is wrong with which JSON path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from hpt_lint.findings import Severity
from hpt_lint.request import JsonPath, Request

DOCS_URL = "https://github.com/hpt-lint/hpt-lint/blob/main/rules/{id}.md"


class DuplicateRuleError(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class FixSpec:
    """A certain fix: replace the value (or key) at ``path`` with ``new_value``.

    The engine renders it as text for the file kind (a JSON string literal is valid
    YAML and Python too) and turns it into a TextEdit.
    """

    title: str
    path: JsonPath
    new_value: object
    at: str = "value"  # or "key"


@dataclass(frozen=True, slots=True)
class Violation:
    path: JsonPath
    message: str
    at: str = "value"  # report at the value's span, or "key"
    fix: FixSpec | None = None
    rule: str | None = None  # set when one check reports for several rule ids


REGISTRY: dict[str, type[Rule]] = {}


class Rule:
    id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str]
    default_enabled: ClassVar[bool] = True
    tags: ClassVar[tuple[str, ...]] = ()
    # (path pattern, structural rule ids): this rule owns those faults at those paths,
    # so the generic HPT1xx finding there is dropped ("one fault, one finding").
    # "*" in a pattern matches any one key or index.
    supersedes: ClassVar[tuple[tuple[JsonPath, tuple[str, ...]], ...]] = ()
    # Whether the check sees ``null`` values as written. Only structure rules do (a null
    # is one fault, HPT103); every other rule reads a null as unknown, so adds nothing.
    reads_nulls: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        rule_id = cls.__dict__.get("id")
        if rule_id is None:
            return  # an abstract base
        if rule_id in REGISTRY and REGISTRY[rule_id] is not cls:
            raise DuplicateRuleError(
                f"rule id {rule_id} is defined twice: {REGISTRY[rule_id].__module__} "
                f"and {cls.__module__}")
        for attr in ("name", "severity", "summary"):
            if attr not in cls.__dict__:
                raise TypeError(f"rule {rule_id} ({cls.__qualname__}) does not set {attr!r}")
        REGISTRY[rule_id] = cls

    @classmethod
    def doc_url(cls) -> str:
        return DOCS_URL.format(id=cls.id)

    def check(self, request: Request) -> Iterable[Violation]:
        raise NotImplementedError
