"""Documents that look like requests but are not: precision for JSON and YAML.

A mapping with request members is a request only when it could be sent:

* a ``DescribeHyperParameterTuningJob`` response (saved state, test data) holds
  members only a response has (``HyperParameterTuningJobArn``, ``...Status``,
  ``CreationTime``, ``BestTrainingJob``, ...). The list is botocore's, taken from the
  response shape when the schema is generated (``x-describe-output-only``).
* a template or skeleton holds nothing but empty placeholders (``''``, ``0``,
  ``false``, ``[]``, ``{}``, at any depth): code fills it in before use. A ``null`` is
  not a placeholder: it is a fault (HPT103).

Such documents are skipped (HPT002 says why, when selected).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from hpt_lint.request import Unknown, walk


@cache
def describe_only_members() -> frozenset[str]:
    from hpt_lint.structure import load_schema

    return frozenset(load_schema().get("x-describe-output-only", ()))


def describe_response(value: dict[str, Any]) -> str | None:
    """The response-only members ``value`` holds, named for a message, or None."""
    found = sorted(describe_only_members().intersection(value))
    if not found:
        return None
    shown = ", ".join(found[:3]) + (", ..." if len(found) > 3 else "")
    return f"a DescribeHyperParameterTuningJob response, with {shown}"


def _placeholder(value: Any) -> bool:
    if isinstance(value, dict | list):
        return True  # containers are judged by their contents (walk visits them)
    if isinstance(value, Unknown):
        return False
    return value is not None and value in ("", 0)  # False == 0 and 0.0 == 0 too


def is_template(value: dict[str, Any]) -> bool:
    """Every leaf of ``value`` is an empty placeholder (and it has at least one member)."""
    return bool(value) and all(_placeholder(v) for _, v in walk(value))


def why_not_a_request(value: dict[str, Any]) -> str | None:
    """Why a request-like mapping is not a request, or None when it is one."""
    reason = describe_response(value)
    if reason is not None:
        return reason
    if is_template(value):
        return "a template whose values are all empty placeholders"
    return None
