"""Fuzzing (bounded for CI): the loaders and the engine never raise, never report a
rule crash, and put every finding inside the file, on arbitrary text and on
randomly mutated valid requests."""

from __future__ import annotations

import copy
import json
import os
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hpt_lint import structure
from hpt_lint.config import Config
from hpt_lint.lines import split_lines
from hpt_lint.lint import FileResult, lint_text
from hpt_lint.reporters import Options, render
from hpt_lint.request import walk

from .conftest import ROOT

VALID: dict[str, Any] = yaml.safe_load(
    (ROOT / "examples" / "valid-bayesian.yaml").read_text(encoding="utf-8"))
# 60 examples per test in CI; HPT_FUZZ_EXAMPLES=5000 for a deeper local run.
FUZZ = settings(max_examples=int(os.environ.get("HPT_FUZZ_EXAMPLES", "60")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ALL_RULES = Config(extend_select=("HPT",))  # default-off rules too


def check_result(text: str, suffix: str, config: Config = ALL_RULES) -> FileResult:
    result = lint_text(text, f"fuzz{suffix}", config, suffix)
    assert not result.internal_error, [f.message for f in result.findings]
    lines = len(split_lines(text))
    for f in result.findings:
        assert 1 <= f.line <= lines + 1, (f.rule, f.line, lines)
        assert 1 <= f.end_line <= lines + 1, (f.rule, f.end_line, lines)
        assert f.column >= 1 and f.end_column >= 1
        assert (f.end_line, f.end_column) >= (f.line, f.column), f
        if f.line <= lines:  # the column is on the line (or just past its end)
            line_text = split_lines(text)[f.line - 1]
            assert f.column <= len(line_text) + 1, (f.rule, f.column, line_text)
    for fmt in ("text", "json"):
        render(fmt, [result], Options()).encode("utf-8", "backslashreplace")
    return result


# --- arbitrary text ------------------------------------------------------------------

json_ish = st.text(alphabet=st.sampled_from(list('{}[]:,"\\ \n\t0123456789.eE-+truefalsn'
                                                  "HyperParamtTuningJobNme")), max_size=200)
yaml_ish = st.text(alphabet=st.sampled_from(list("{}[]:,-?&*!|>'\"#%@` \n\t0123456789.aZ_~"
                                                  "HyperParamtTuningJobNme")), max_size=200)


@FUZZ
@given(st.one_of(st.text(max_size=300), yaml_ish))
def test_arbitrary_text_as_yaml(text: str) -> None:
    check_result(text, ".yaml")


@FUZZ
@given(st.one_of(st.text(max_size=300), json_ish))
def test_arbitrary_text_as_json(text: str) -> None:
    check_result(text, ".json")


@FUZZ
@given(st.binary(max_size=300), st.sampled_from([".yaml", ".json"]))
def test_arbitrary_bytes(data: bytes, suffix: str) -> None:
    text = data.decode("utf-8", "replace")
    check_result(text, suffix)


# --- mutated valid requests ----------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=40),
    st.sampled_from(["Bayesian", "Random", "Logarithmic", "ReverseLogarithmic", "Off", "OFF",
                     "-1", "0", "0.0", "1e-3", "ml.m5.xlarge", "AKIAIOSFODNN7EXAMPLE",
                     "MaxRuntimeInSeconds", "s3://bucket/key"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=12), inner, max_size=3)),
    max_leaves=6)


def _containers(data: Any) -> list[tuple[tuple[Any, ...], Any]]:
    return [(p, v) for p, v in walk(data) if isinstance(v, dict | list)]


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    node = data
    for part in path[:-1]:
        node = node[part]
    return node


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        paths = [p for p, _ in walk(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(data, path)
        op = draw(st.sampled_from(["delete", "insert", "type", "swap", "grow"]))
        if op == "delete":
            del parent[path[-1]]
        elif op == "insert":
            _, target = draw(st.sampled_from(_containers(data)))
            if isinstance(target, dict):
                key = draw(st.one_of(st.text(max_size=20), st.sampled_from(
                    ["Strategy", "MaxValue", "ScalingType", "Environment", "Tags"])))
                target[key] = draw(values)
            else:
                target.insert(draw(st.integers(0, len(target))), draw(values))
        elif op == "type":
            parent[path[-1]] = draw(values)
        elif op == "swap":  # another value from elsewhere in the request
            _, other = draw(st.sampled_from(list(walk(data))))
            parent[path[-1]] = copy.deepcopy(other)
        else:  # oversized list
            current = parent[path[-1]]
            if isinstance(current, list) and current:
                parent[path[-1]] = [copy.deepcopy(current[0]) for _ in range(draw(
                    st.integers(min_value=1, max_value=120)))]
    return data


@FUZZ
@given(mutated())
def test_mutated_requests_as_yaml_and_json(data: dict[str, Any]) -> None:
    if structure.certainly_valid(data):  # the fast path only ever skips valid requests
        assert not any(True for _ in structure.validator().iter_errors(data))
    check_result(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), ".yaml")
    check_result(json.dumps(data, indent=2, ensure_ascii=False), ".json")
    check_result(json.dumps(data), ".json")


def test_the_unmutated_request_is_clean() -> None:
    # the fuzz base is valid: anything found above comes from the mutation
    assert check_result(yaml.safe_dump(VALID, sort_keys=False), ".yaml").findings == []
    assert check_result(json.dumps(VALID), ".json").findings == []
