"""HPT5xx: resources and run time."""

from __future__ import annotations

from collections.abc import Iterator

from hpt_lint.checks._request_parts import definitions, known_int
from hpt_lint.findings import Severity
from hpt_lint.request import Request
from hpt_lint.rule import Rule, Violation


class SpotWaitLessThanRuntime(Rule):
    id = "HPT501"
    name = "spot-wait-less-than-runtime"
    severity = Severity.ERROR
    summary = "MaxWaitTimeInSeconds is less than MaxRuntimeInSeconds."
    tags = ("resources", "spot")

    def check(self, request: Request) -> Iterator[Violation]:
        for dpath, definition in definitions(request):
            stopping = definition.get("StoppingCondition")
            if not isinstance(stopping, dict):
                continue
            wait = known_int(stopping.get("MaxWaitTimeInSeconds"))
            run = known_int(stopping.get("MaxRuntimeInSeconds"))
            if wait is not None and run is not None and wait < run:
                yield Violation(
                    dpath + ("StoppingCondition", "MaxWaitTimeInSeconds"),
                    f"MaxWaitTimeInSeconds ({wait}) is less than MaxRuntimeInSeconds ({run}); "
                    "the wait time includes the run time, so it must be equal to or greater "
                    f"than it: set it to at least {run} (the model says 'equal to or greater'; "
                    "the spot training guide's 'larger than' is stricter than the service)")
