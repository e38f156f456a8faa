"""HPT3xx: hyperparameter ranges."""

from __future__ import annotations

from collections.abc import Iterator

from hpt_lint.checks._request_parts import number, ranges_of
from hpt_lint.findings import Severity
from hpt_lint.request import Request
from hpt_lint.rule import Rule, Violation


class LogScalingNeedsPositiveRange(Rule):
    id = "HPT304"
    name = "log-scaling-needs-positive-range"
    severity = Severity.ERROR
    summary = "Logarithmic scaling on a range whose MinValue is not greater than 0."
    tags = ("ranges",)

    def check(self, request: Request) -> Iterator[Violation]:
        for path, _kind, item in ranges_of(request, "IntegerParameterRanges",
                                           "ContinuousParameterRanges"):
            if item.get("ScalingType") != "Logarithmic":
                continue
            low = number(item.get("MinValue"))
            if low is not None and low <= 0:
                yield Violation(
                    path + ("MinValue",),
                    f"range `{item.get('Name', '?')}` uses Logarithmic scaling but its MinValue "
                    f"is {item['MinValue']}; log scaling works only for ranges whose values are "
                    "all greater than 0: raise MinValue above 0 or use Linear scaling")


class ReverseLogScalingDomain(Rule):
    id = "HPT305"
    name = "reverse-log-scaling-domain"
    severity = Severity.ERROR
    summary = "ReverseLogarithmic scaling outside 0 <= x < 1, or on an integer range."
    tags = ("ranges",)

    def check(self, request: Request) -> Iterator[Violation]:
        for path, kind, item in ranges_of(request, "IntegerParameterRanges",
                                          "ContinuousParameterRanges"):
            if item.get("ScalingType") != "ReverseLogarithmic":
                continue
            name = item.get("Name", "?")
            if kind == "IntegerParameterRanges":
                yield Violation(
                    path + ("ScalingType",),
                    f"integer range `{name}` uses ReverseLogarithmic scaling, which the service "
                    "supports only for continuous ranges (the model's enum lists it for "
                    "integers, the developer guide says it is not supported): use Linear, "
                    "Logarithmic or Auto")
                continue
            low, high = number(item.get("MinValue")), number(item.get("MaxValue"))
            if low is not None and low < 0:
                yield Violation(
                    path + ("MinValue",),
                    f"range `{name}` uses ReverseLogarithmic scaling but MinValue is "
                    f"{item['MinValue']}; reverse log scaling works only within 0 <= x < 1")
            elif high is not None and high >= 1:
                yield Violation(
                    path + ("MaxValue",),
                    f"range `{name}` uses ReverseLogarithmic scaling but MaxValue is "
                    f"{item['MaxValue']}; reverse log scaling works only within 0 <= x < 1 "
                    "(MaxValue must be below 1)")
