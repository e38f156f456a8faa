"""YAML and JSON loaders: exact spans, duplicates, multi-document, YAML 1.1 traps."""

from __future__ import annotations

import json

import pytest

from hpt_lint.loaders import LoadError, decode, load_text
from hpt_lint.loaders.json_loader import load_json
from hpt_lint.loaders.yaml_loader import load_yaml
from hpt_lint.request import Span
from tests.conftest import ROOT, lint_string

VALID = (ROOT / "examples" / "valid-bayesian.yaml").read_text()


def test_yaml_spans_of_keys_and_values() -> None:
    (doc,) = load_yaml("a: 1\nb:\n  c: [x, 'y']\n")
    m = doc.source_map.entries
    assert m[("a",)].key == Span(1, 1, 1, 2)
    assert m[("a",)].value == Span(1, 4, 1, 5)
    assert m[("b", "c")].key == Span(3, 3, 3, 4)
    assert m[("b", "c", 0)].value == Span(3, 7, 3, 8)
    assert m[("b", "c", 1)].value == Span(3, 10, 3, 13)
    assert m[("b", "c", 1)].style == "'"


def test_yaml_columns_count_code_points_not_bytes() -> None:
    (doc,) = load_yaml("é: ü\nk: [😀, x]\n")
    assert doc.source_map.entries[("é",)].value == Span(1, 4, 1, 5)
    assert doc.source_map.entries[("k", 1)].value == Span(2, 8, 2, 9)


def test_json_spans_match_the_same_document_in_yaml_flow_style() -> None:
    text = '{"a": 1, "b": {"c": ["x", "y"]}}'
    (jdoc,) = load_json(text)
    (ydoc,) = load_yaml(text)
    for path in [("a",), ("b",), ("b", "c"), ("b", "c", 0), ("b", "c", 1)]:
        assert jdoc.source_map.entries[path].value == ydoc.source_map.entries[path].value, path
    assert jdoc.source_map.entries[("b", "c")].key == Span(1, 16, 1, 19)


def test_json_values_equal_the_stdlib_parser() -> None:
    text = json.dumps({"a": [1, 2.5, -3e-2, True, None, "ü\\n"], "b": {"c": {}}, "d": []})
    (doc,) = load_json(text)
    assert doc.value == json.loads(text)


@pytest.mark.parametrize(("text", "line", "column"), [
    ('{"a": 1,}', 1, 9), ("[1 2]", 1, 4), ('{\n  "a": tru\n}', 2, 8), ("", 1, 1),
    ('{"a": "x"} y', 1, 12), ('{"a": 1', 1, 8),
])
def test_json_errors_point_where_the_parser_stopped(text: str, line: int, column: int) -> None:
    with pytest.raises(LoadError) as info:
        load_json(text)
    assert (info.value.line, info.value.column) == (line, column)


def test_duplicate_keys_are_findings_at_the_second_key() -> None:
    for text, suffix in (("Tags: []\nHyperParameterTuningJobName: a\n"
                          "HyperParameterTuningJobName: b\n", ".yaml"),
                         ('{"HyperParameterTuningJobName": "a",\n'
                          ' "HyperParameterTuningJobName": "b"}', ".json")):
        result = lint_string(text, suffix)
        dups = [(f.rule, f.line, f.column) for f in result.findings if f.rule == "HPT001"]
        assert dups == [("HPT001", 3 if suffix == ".yaml" else 2, 1 if suffix == ".yaml" else 2)]
        (dup,) = [f for f in result.findings if f.rule == "HPT001"]
        assert "duplicate key 'HyperParameterTuningJobName'" in dup.message


def test_multi_document_yaml_gives_one_request_per_document() -> None:
    text = VALID + "---\nkind: Deployment\n---\n" + VALID
    requests = load_text(text, "multi.yaml")
    assert [r.index for r in requests] == [0, 1]
    second = requests[1].source_map.entries[("HyperParameterTuningJobName",)].value
    assert second.line == VALID.count("\n") + 3 + 2


def test_non_request_yaml_is_skipped_silently() -> None:
    workflow = "name: CI\non: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
    result = lint_string(workflow)
    assert result.requests == 0 and result.findings == []


def test_tags_alone_do_not_make_a_request() -> None:
    assert lint_string("Tags:\n  - Key: a\n    Value: b\n").requests == 0


def test_yaml_unsafe_tags_are_a_parse_error_not_executed(tmp_path) -> None:
    marker = tmp_path / "pwned"
    text = f"HyperParameterTuningJobName: !!python/object/apply:os.system ['touch {marker}']\n"
    result = lint_string(text)
    assert [(f.rule, f.line) for f in result.findings] == [("HPT001", 1)]
    assert not marker.exists()


def test_yaml_1_1_boolean_key_is_explained() -> None:
    result = lint_string(VALID.replace("    objective: binary:logistic",
                                       "    objective: binary:logistic\n    on: x"))
    (finding,) = [f for f in result.findings if f.rule == "HPT103"]
    assert "bare key 'on' as bool True" in finding.message


@pytest.mark.parametrize(("data", "message"), [
    (b"a: \xff\n", "not valid UTF-8"), (b"\x00\x01binary", "NUL"),
])
def test_undecodable_bytes_are_load_errors(data: bytes, message: str) -> None:
    with pytest.raises(LoadError, match=message):
        decode(data)


def test_bom_is_ignored() -> None:
    assert decode("\ufeffa: 1".encode()) == "a: 1"


def test_a_value_breaking_several_constraints_is_one_finding() -> None:
    """An empty MetricName is both too short and off-pattern: HPT105 explains it alone."""
    text = (ROOT / "examples" / "valid-bayesian.yaml").read_text().replace(
        "MetricName: validation:auc", 'MetricName: ""')
    result = lint_string(text)
    assert [(f.rule, f.json_path) for f in result.findings] == [
        ("HPT105", "HyperParameterTuningJobConfig.HyperParameterTuningJobObjective.MetricName")]
