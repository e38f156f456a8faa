"""HPT304 and HPT305 at their boundaries: exactly 0, just above, just below, for integer
and continuous ranges, and with the scalings that do not restrict the domain."""

from __future__ import annotations

import pytest

from tests.test_rules_names_ranges_tags import findings_of, request

KINDS = {"Integer": "IntegerParameterRanges", "Continuous": "ContinuousParameterRanges"}


def ranged(kind: str, low: str, high: str, scaling: str) -> str:
    return request(f"    {KINDS[kind]}:\n"
                   f'      - {{Name: alpha, MinValue: "{low}", MaxValue: "{high}", '
                   f"ScalingType: {scaling}}}\n")


def fired(text: str, rule: str) -> list[str]:
    return [f.json_path.rsplit(".", 1)[-1] for f in findings_of(text, rule)]


@pytest.mark.parametrize(("kind", "low", "expect"), [
    ("Continuous", "0", ["MinValue"]),
    ("Continuous", "-0.0001", ["MinValue"]),
    ("Continuous", "0.0001", []),
    ("Continuous", "1e-9", []),
    ("Integer", "0", ["MinValue"]),
    ("Integer", "-1", ["MinValue"]),
    ("Integer", "1", []),
])
def test_hpt304_log_scaling_needs_min_above_zero(kind: str, low: str, expect: list[str]) -> None:
    assert fired(ranged(kind, low, "10", "Logarithmic"), "HPT304") == expect


@pytest.mark.parametrize("scaling", ["Linear", "Auto", "ReverseLogarithmic"])
def test_hpt304_only_concerns_logarithmic_scaling(scaling: str) -> None:
    assert fired(ranged("Continuous", "0", "0.5", scaling), "HPT304") == []


@pytest.mark.parametrize(("low", "high", "expect"), [
    ("0", "0.5", []),                  # 0 is inside 0 <= x < 1
    ("0.0001", "0.9999", []),
    ("-0.0001", "0.5", ["MinValue"]),  # just below 0
    ("-1", "0.5", ["MinValue"]),
    ("0", "1", ["MaxValue"]),          # 1 is outside
    ("0.1", "1.0001", ["MaxValue"]),
    ("0.1", "0.99999999", []),
])
def test_hpt305_reverse_log_domain_is_zero_inclusive_to_one_exclusive(
        low: str, high: str, expect: list[str]) -> None:
    assert fired(ranged("Continuous", low, high, "ReverseLogarithmic"), "HPT305") == expect


@pytest.mark.parametrize(("low", "high"), [("0", "1"), ("1", "5"), ("-1", "0")])
def test_hpt305_integer_ranges_never_take_reverse_log(low: str, high: str) -> None:
    assert fired(ranged("Integer", low, high, "ReverseLogarithmic"), "HPT305") == ["ScalingType"]


@pytest.mark.parametrize("scaling", ["Linear", "Auto", "Logarithmic"])
def test_hpt305_only_concerns_reverse_logarithmic_scaling(scaling: str) -> None:
    assert fired(ranged("Continuous", "-1", "2", scaling), "HPT305") == []
