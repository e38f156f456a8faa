"""Properties: schema-valid requests pass the structural rules; no input makes us raise."""

from __future__ import annotations

import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hpt_lint.config import Config
from hpt_lint.lint import lint_text
from hpt_lint.loaders.non_requests import is_template
from tests.strategies import requests

STRUCTURE = Config(select=("HPT1",))
FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                       HealthCheck.data_too_large])


@FAST
@given(requests())
def test_schema_generated_requests_have_no_structural_finding(request: dict) -> None:
    for text, suffix in ((json.dumps(request), ".json"),
                         (yaml.safe_dump(request, allow_unicode=True), ".yaml")):
        result = lint_text(text, "r" + suffix, STRUCTURE)
        assert [f.message for f in result.findings] == []


@FAST
@given(requests())
def test_every_finding_lies_inside_the_file(request: dict) -> None:
    text = json.dumps(request, indent=1)
    lines = text.count("\n") + 1
    for f in lint_text(text, "r.json", Config()).findings:
        assert 1 <= f.line <= f.end_line <= lines
        assert f.column >= 1 and (f.end_line > f.line or f.end_column > f.column)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from([".yaml", ".json"]))
def test_arbitrary_text_never_raises(text: str, suffix: str) -> None:
    result = lint_text(text, "x" + suffix, Config())
    assert all(f.rule != "HPT000" for f in result.findings)


YAMLISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
    lambda kids: st.one_of(st.lists(kids, max_size=3),
                           st.dictionaries(st.sampled_from(
                               ["HyperParameterTuningJobName", "HyperParameterTuningJobConfig",
                                "TrainingJobDefinition", "Strategy", "ParameterRanges",
                                "ResourceLimits", "Name", "MinValue", "x"]), kids, max_size=4)),
    max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["HyperParameterTuningJobName",
                                        "HyperParameterTuningJobConfig",
                                        "TrainingJobDefinition", "TrainingJobDefinitions"]),
                       YAMLISH, min_size=1))
def test_engine_never_raises_on_request_shaped_garbage(doc: dict) -> None:
    for text, suffix in ((json.dumps(doc), ".json"), (yaml.safe_dump(doc), ".yaml")):
        result = lint_text(text, "g" + suffix, Config())
        assert result.requests == (0 if is_template(doc) else 1)  # a skeleton is not one
        assert all(f.rule != "HPT000" for f in result.findings), result.findings
