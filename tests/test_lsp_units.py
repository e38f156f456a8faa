"""The server's plain-Python parts: positions, completion contexts, hover lookup, imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hpt_lint.loaders import load_text
from hpt_lint.lsp.completion import complete, json_context, yaml_context
from hpt_lint.lsp.documents import Documents
from hpt_lint.lsp.hover import entry_at, schema_markdown
from hpt_lint.lsp.positions import UTF8, UTF16, UTF32, from_client, split_lines, to_client

TEXT = 'a: "é😀x"\nb: 1\n'


@pytest.mark.parametrize(("encoding", "units"), [(UTF16, 7), (UTF8, 10), (UTF32, 6)])
def test_code_point_columns_become_client_units(encoding: str, units: int) -> None:
    lines = split_lines(TEXT)
    # "x" is code point column 7 (1-based): after `a: "é😀`
    assert to_client(lines, 1, 7, encoding) == (0, units)
    assert from_client(lines, 0, units, encoding) == (1, 7)


def test_positions_are_clamped_to_the_text() -> None:
    lines = split_lines(TEXT)
    assert to_client(lines, 2, 99) == (1, 4)
    assert to_client(lines, 9, 1) == (2, 0)  # past the last line: the end of the text
    assert from_client(lines, 0, 99) == (1, 9)
    assert to_client([], 1, 1) == (0, 0)


def test_cli_does_not_import_the_language_server() -> None:
    code = ("import sys, hpt_lint.cli; "
            "print(sorted(m for m in sys.modules if m.startswith(('pygls', 'lsprotocol', "
            "'hpt_lint.lsp'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


YAML = """\
HyperParameterTuningJobConfig:
  Strategy: Bayesian
  ResourceLimits:
    MaxNumberOfTrainingJobs: 2
TrainingJobDefinition:
  InputDataConfig:
    - ChannelName: train
      DataSource:
        S3DataSource:
          S3Uri: s3://b/k
      Co
    - Ch
  Tags: x
"""


@pytest.mark.parametrize(("line", "column", "path", "position", "present"), [
    (4, 5, ("HyperParameterTuningJobConfig", "ResourceLimits"), "key", set()),
    (11, 9, ("TrainingJobDefinition", "InputDataConfig", 0), "key",
     {"ChannelName", "DataSource"}),
    (12, 9, ("TrainingJobDefinition", "InputDataConfig", 0), "key", set()),
    (2, 13, ("HyperParameterTuningJobConfig", "Strategy"), "value", set()),
])
def test_yaml_path_by_indentation(line: int, column: int, path: tuple[object, ...],
                                  position: str, present: set[str]) -> None:
    ctx = yaml_context(YAML, line, column)
    assert ctx is not None
    assert (ctx.path, ctx.position) == (path, position)
    if position == "key":
        assert ctx.present == present


def test_yaml_no_completion_under_a_scalar_or_outside_requests() -> None:
    assert complete("Kind: x\n  Na", 2, 5, "yaml") == []
    assert yaml_context("HyperParameterTuningJobName: x\n  Na", 2, 5) is None


def test_yaml_enum_values_are_quoted_when_yaml_1_1_would_misread_them() -> None:
    text = "HyperParameterTuningJobConfig:\n  TrainingJobEarlyStoppingType: "
    items = complete(text, 2, 33, "yaml")
    assert [(i.label, i.insert_text) for i in items] == [("Off", '"Off"'), ("Auto", "Auto")]


def test_json_path_by_scanning() -> None:
    text = '{"TrainingJobDefinition": {"InputDataConfig": [{"ChannelName": "a"}, {"'
    ctx = json_context(text, 1, len(text) + 1)
    assert ctx is not None
    assert ctx.path == ("TrainingJobDefinition", "InputDataConfig", 1)
    assert ctx.position == "key" and ctx.quoted
    items = complete(text, 1, len(text) + 1, "json")
    assert "ChannelName" in [i.label for i in items]
    assert all(not i.insert_text.startswith('"') for i in items)  # already inside quotes


def test_json_present_members_include_those_after_the_cursor() -> None:
    text = '{"HyperParameterTuningJobConfig": {\n  \n  "Strategy": "Grid"}}'
    ctx = json_context(text, 2, 3)
    assert ctx is not None and ctx.present == {"Strategy"}
    labels = [i.label for i in complete(text, 2, 3, "json")]
    assert "Strategy" not in labels and '"ResourceLimits"' not in labels
    assert '"ResourceLimits"' in [i.insert_text for i in complete(text, 2, 3, "json")]


def test_hover_finds_the_innermost_entry() -> None:
    requests = load_text(YAML.replace("      Co\n    - Ch\n", ""), "r.yaml")
    assert entry_at(requests, 4, 6)[:2] == (
        ("HyperParameterTuningJobConfig", "ResourceLimits", "MaxNumberOfTrainingJobs"), "key")
    assert entry_at(requests, 2, 14)[:2] == (("HyperParameterTuningJobConfig", "Strategy"),
                                             "value")
    doc = schema_markdown(("HyperParameterTuningJobConfig", "ResourceLimits",
                           "MaxParallelTrainingJobs"))
    assert doc is not None and "- minimum 1" in doc
    assert schema_markdown(("NoSuchMember",)) is None


REQUEST_YAML = (Path(__file__).resolve().parent / "fixtures" / "lsp" / "request.yaml").read_text(
    encoding="utf-8")
REQUEST_JSON = (Path(__file__).resolve().parent / "fixtures" / "fix" / "faulty.json").read_text(
    encoding="utf-8")


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([("yaml", REQUEST_YAML), ("json", REQUEST_JSON)]), st.data())
def test_half_typed_documents_never_break_completion_or_linting(doc: tuple[str, str],
                                                                data: st.DataObject) -> None:
    """Cut the document anywhere, put the cursor anywhere: no exception, and the lint
    is either findings or one parse error."""
    kind, full = doc
    cut = data.draw(st.integers(0, len(full)))
    text = full[:cut] + data.draw(st.sampled_from(["", "\n  ", ": ", '"', "- ", "{", "é"]))
    lines = text.split("\n")
    line = data.draw(st.integers(1, len(lines)))
    column = data.draw(st.integers(1, len(lines[line - 1]) + 1))
    complete(text, line, column, kind)
    docs = Documents()
    analysis = docs.analyse("file:///r", f"r.{kind}", text, 1)
    assert sum(1 for f in analysis.findings if f.rule == "HPT001" and not f.json_path) <= 1
    entry_at(analysis.requests(), line, column)
