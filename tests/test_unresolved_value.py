"""HPT003 unresolved-value: a value only known at run time is reported (when the rule is
selected) and no other rule guesses about it. YAML cannot express an Unknown, so the
request is built directly, as the Python and Step Functions loaders build it."""

from __future__ import annotations

from hpt_lint.config import Config
from hpt_lint.engine import check_request
from hpt_lint.request import Entry, Request, SourceMap, Span, Unknown


def _request() -> Request:
    data = {
        "HyperParameterTuningJobName": Unknown("job_name"),
        "HyperParameterTuningJobConfig": {
            "Strategy": "Bayesian",
            "ResourceLimits": {"MaxNumberOfTrainingJobs": 20,
                               "MaxParallelTrainingJobs": Unknown("parallel")},
        },
    }
    smap = SourceMap({
        (): Entry(Span(1, 1, 6, 2)),
        ("HyperParameterTuningJobName",): Entry(Span(2, 34, 2, 42), Span(2, 5, 2, 32)),
        ("HyperParameterTuningJobConfig",): Entry(Span(3, 36, 5, 6), Span(3, 5, 3, 34)),
        ("HyperParameterTuningJobConfig", "Strategy"): Entry(Span(3, 49, 3, 59)),
        ("HyperParameterTuningJobConfig", "ResourceLimits"): Entry(Span(4, 27, 5, 5)),
        ("HyperParameterTuningJobConfig", "ResourceLimits", "MaxNumberOfTrainingJobs"):
            Entry(Span(4, 55, 4, 57)),
        ("HyperParameterTuningJobConfig", "ResourceLimits", "MaxParallelTrainingJobs"):
            Entry(Span(5, 34, 5, 42)),
    })
    return Request("train.py", "python", data, smap)


def test_unknown_values_are_reported_where_they_are_when_selected() -> None:
    findings, crashed = check_request(_request(), Config(select=("HPT003",)))
    assert not crashed
    got = sorted((f.rule, f.line, f.column, f.json_path) for f in findings)
    assert got == [
        ("HPT003", 2, 34, "HyperParameterTuningJobName"),
        ("HPT003", 5, 34, "HyperParameterTuningJobConfig.ResourceLimits."
                          "MaxParallelTrainingJobs"),
    ]
    messages = sorted(f.message for f in findings)
    assert "`job_name`" in messages[0] and "`parallel`" in messages[1]


def test_off_by_default_and_no_rule_guesses_about_an_unknown() -> None:
    findings, _ = check_request(_request(), Config())
    paths = {f.json_path for f in findings}
    assert "HyperParameterTuningJobName" not in paths
    assert "HyperParameterTuningJobConfig.ResourceLimits.MaxParallelTrainingJobs" not in paths
    assert all(f.rule != "HPT003" for f in findings)
