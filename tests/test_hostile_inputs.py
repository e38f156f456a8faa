"""Hostile input: every case ends in a clean HPT001 finding (or a clean pass), quickly,
in bounded memory, and prints without crashing in every output format."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from hpt_lint.config import Config
from hpt_lint.engine import check_request
from hpt_lint.lint import FileResult, lint_file, lint_text
from hpt_lint.loaders import LOADERS, load_text
from hpt_lint.reporters import Options, render

from .conftest import ROOT

VALID = (ROOT / "examples" / "valid-bayesian.yaml").read_text(encoding="utf-8")
SECONDS = 10.0  # per case, on a loaded 2-core CI box; typical cases take milliseconds


def lint(text: str, suffix: str, config: Config | None = None) -> FileResult:
    start = time.perf_counter()
    result = lint_text(text, f"hostile{suffix}", config or Config(), suffix)
    assert time.perf_counter() - start < SECONDS
    assert not result.internal_error, [f.message for f in result.findings]
    for fmt in ("text", "json"):  # every reporter must print it
        render(fmt, [result], Options()).encode("utf-8")
    return result


def only_parse_error(result: FileResult) -> str:
    """The one HPT001 message, asserting that it is the only finding."""
    assert [f.rule for f in result.findings] == ["HPT001"], [
        (f.rule, f.message) for f in result.findings]
    finding = result.findings[0]
    lines = (result.text or "").count("\n") + 1
    assert 1 <= finding.line <= lines and finding.column >= 1
    return finding.message


def billion_laughs(levels: int = 9) -> str:
    out = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        out.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    return "\n".join(out) + "\n"


def test_alias_bomb_is_refused_fast_and_small() -> None:
    tracemalloc.start()
    try:
        message = only_parse_error(lint("HyperParameterTuningJobName: x\n" + billion_laughs(),
                                        ".yaml"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "more than 100,000 values" in message
    assert peak < 50 * 1024 * 1024  # 9**10 values are never built
    assert lint(billion_laughs(), ".yaml").findings == []  # names no request: not one


def test_moderate_alias_use_still_loads() -> None:
    text = VALID.replace("  ResourceLimits:\n", "  ResourceLimits: &limits\n", 1)
    text += "Unused: *limits\n"
    result = lint(text, ".yaml")
    assert [(f.rule, f.json_path) for f in result.findings] == [("HPT102", "Unused")]


def test_recursive_alias_is_a_parse_error() -> None:
    message = only_parse_error(lint("HyperParameterTuningJobName: &a [x, *a]\n", ".yaml"))
    assert "recursive" in message


@pytest.mark.parametrize(("name", "text", "suffix"), [
    ("yaml flow sequences", "[" * 50_000 + "]" * 50_000, ".yaml"),
    ("yaml flow mappings", "{a: " * 50_000 + "1" + "}" * 50_000, ".yaml"),
    ("yaml block sequences", "- " * 50_000 + "x\n", ".yaml"),
    ("yaml block mappings", "".join(" " * i + "a:\n" for i in range(3_000)), ".yaml"),
    ("json arrays", "[" * 50_000 + "]" * 50_000, ".json"),
    ("json objects", '{"a": ' * 50_000 + "1" + "}" * 50_000, ".json"),
])
def test_deep_nesting_is_a_parse_error(name: str, text: str, suffix: str) -> None:
    # a file that fails to parse is HPT001 only when it names a request member
    text = (f"# HyperParameterTuningJobName\n{text}" if suffix == ".yaml"
            else f'{{"HyperParameterTuningJobName": {text}}}')
    message = only_parse_error(lint(text, suffix))
    assert "nesting" in message
    # without one it is simply not a request: a clean pass
    assert lint(text.replace("HyperParameterTuningJobName", "Other"), suffix).findings == []


def test_nesting_within_the_limit_loads() -> None:
    text = '{"HyperParameterTuningJobName": "a", "Tags": ' + "[" * 150 + "]" * 150 + "}"
    result = lint(text, ".json")
    assert "HPT001" not in {f.rule for f in result.findings}


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(VALID + "#" * 6_000_000 + "\n", encoding="utf-8")
    result = lint_file(big, Config())
    assert [f.rule for f in result.findings] == ["HPT001"]
    assert "over the 5,242,880-byte limit" in result.findings[0].message
    # the limit is a setting
    assert lint_file(big, Config(max_file_size=10_000_000)).findings == []
    small = Config(max_file_size=1_000)
    assert [f.rule for f in lint_file(tmp_path / "big.yaml", small).findings] == ["HPT001"]
    assert "limit" in only_parse_error(lint(VALID, ".yaml", small))


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "model.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert lint_file(path, Config()).findings == []  # names no request member: not one
    path.write_bytes(b"HyperParameterTuningJobName: \x00\x01" + bytes(range(256)))
    result = lint_file(path, Config())
    assert [f.rule for f in result.findings] == ["HPT001"]
    assert "not a text file" in result.findings[0].message


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(VALID.encode("utf-8") + "Owner: Jos\xe9\n".encode("latin-1"))
    result = lint_file(path, Config())
    assert [(f.rule, f.line, f.column) for f in result.findings] == [
        ("HPT001", VALID.count("\n") + 1, 11)]
    assert "not valid UTF-8 (byte 0xe9)" in result.findings[0].message


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_empty_file(suffix: str) -> None:
    result = lint("", suffix)
    assert result.findings == []  # an empty file holds no request
    assert result.requests == 0


@pytest.mark.parametrize(("text", "suffix", "line"), [
    ('{"HyperParameterTuningJobName": "a",\n "HyperParameterTuningJobName": "b"}', ".json", 2),
    ("HyperParameterTuningJobName: a\nHyperParameterTuningJobName: b\n", ".yaml", 2),
])
def test_duplicate_keys(text: str, suffix: str, line: int) -> None:
    result = lint(text, suffix)
    dup = [f for f in result.findings if f.rule == "HPT001"]
    assert [(f.line, f.column) for f in dup] == [(line, 2 if suffix == ".json" else 1)]
    assert "duplicate key 'HyperParameterTuningJobName'" in dup[0].message


def _with_max_jobs(literal: str, suffix: str) -> str:
    if suffix == ".json":
        return ('{"HyperParameterTuningJobName": "a", "HyperParameterTuningJobConfig": '
                '{"ResourceLimits": {"MaxNumberOfTrainingJobs": ' + literal + "}}}")
    return ("HyperParameterTuningJobName: a\nHyperParameterTuningJobConfig:\n"
            f"  ResourceLimits:\n    MaxNumberOfTrainingJobs: {literal}\n")


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_huge_exponent(suffix: str) -> None:
    # JSON reads 1e999999 as infinity (a number, not an integer); YAML 1.1 reads it as a
    # string (its floats need a dot). Either way: a type error, nothing crashes.
    result = lint(_with_max_jobs("1e999999", suffix), suffix)
    wrong = [f for f in result.findings if f.rule == "HPT103"]
    assert [f.json_path for f in wrong] == [
        "HyperParameterTuningJobConfig.ResourceLimits.MaxNumberOfTrainingJobs"]


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_integer_with_5000_digits(suffix: str) -> None:
    message = only_parse_error(lint(_with_max_jobs("9" * 5_000, suffix), suffix))
    assert "4300 digits" in message or "too large" in message


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_100000_keys(suffix: str) -> None:
    keys = [f"k{i}" for i in range(100_000)] + ["HyperParameterTuningJobName"]
    if suffix == ".json":
        text = "{" + ", ".join(f'"{k}": 1' for k in keys) + "}"
    else:
        text = "".join(f"{k}: 1\n" for k in keys)
    message = only_parse_error(lint(text, suffix))
    assert "more than 100,000 values" in message


def test_many_unknown_keys_on_one_line_print_bounded_excerpts() -> None:
    keys = ", ".join(f'"k{i}": 1' for i in range(2_000))
    text = '{"HyperParameterTuningJobName": "a", ' + keys + "}"
    result = lint(text, ".json")
    assert sum(f.rule == "HPT102" for f in result.findings) == 2_000
    out = render("text", [result], Options())
    assert max(len(line) for line in out.splitlines()) < 1_000


@pytest.mark.parametrize("where", ["value", "key"])
def test_lone_surrogate_escape_in_json(where: str) -> None:
    member = '"Tags": [{"Key": "\\ud800", "Value": "v"}]' if where == "value" \
        else '"StaticHyperParameters": {"\\udfff": "v"}'
    text = '{"HyperParameterTuningJobName": "a",\n ' + member + "}"
    message = only_parse_error(lint(text, ".json"))
    assert "lone surrogate" in message
    assert message.isascii()


def test_lone_surrogates_from_other_sources_do_not_crash_rules_or_reporters() -> None:
    # A Python literal can hold "\ud800"; the engine and reporters must cope.
    request = load_text(VALID, "x.yaml")[0]
    request.data["HyperParameterTuningJobName"] = "job\ud800"
    request.data["Tags"][0]["Value"] = "\udc00"
    request.data["TrainingJobDefinition"]["StaticHyperParameters"]["\ud800"] = "x"
    findings, crashed = check_request(request, Config())
    assert not crashed
    assert {f.rule for f in findings} == {"HPT106", "HPT201"}
    result = FileResult(file="odd\udcff.yaml", findings=findings, text=VALID)
    for fmt in ("text", "json"):
        render(fmt, [result], Options()).encode("utf-8", "backslashreplace")
    json.loads(render("json", [result], Options()))


def test_cli_prints_any_file_name_under_any_locale(tmp_path: Path) -> None:
    # A file name that is not UTF-8 (a surrogate-escaped str in Python), a C locale.
    name = os.fsencode(tmp_path) + b"/bad\xff.json"
    with open(name, "wb") as fh:
        fh.write(b'{"HyperParameterTuningJobName": "a", "Tags": [{"Key": "\\ud800"}]}')
    env = {**os.environ, "LC_ALL": "C", "PYTHONIOENCODING": "ascii"}
    for fmt in ("text", "json"):
        run = subprocess.run([sys.executable, "-m", "hpt_lint", "check", "--format", fmt,
                              os.fsdecode(name)], capture_output=True, env=env, timeout=60)
        assert run.returncode == 1, run.stderr
        assert b"Traceback" not in run.stderr
        assert b"HPT001" in run.stdout and b"lone surrogate" in run.stdout


# --- Python sources and notebooks (their loaders live on another branch) -------------

needs_python = pytest.mark.skipif(".py" not in LOADERS, reason="Python loader not merged yet")
needs_notebook = pytest.mark.skipif(".ipynb" not in LOADERS,
                                    reason="notebook loader not merged yet")


def _clean(result: FileResult) -> None:
    assert {f.rule for f in result.findings} <= {"HPT001"}


@needs_python
def test_python_with_thousands_of_nested_parentheses() -> None:
    text = ("import boto3\nboto3.client('sagemaker').create_hyper_parameter_tuning_job(\n"
            "    HyperParameterTuningJobName=" + "(" * 5_000 + "'a'" + ")" * 5_000 + ")\n")
    _clean(lint(text, ".py"))


@needs_notebook
def test_truncated_notebook() -> None:
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
            "source": ["sm.create_hyper_parameter_tuning_job(HyperParameterTuningJobName='a')"]}
    text = json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    # cut after the call: a notebook that holds a request and is broken
    result = lint(text[: text.index(', "metadata": {}, "nbformat"')], ".ipynb")
    assert [f.rule for f in result.findings] == ["HPT001"]
    # cut before it: nothing names a request, so it is not one (a clean pass)
    assert lint(text[: text.index("create_hyper")], ".ipynb").findings == []


@needs_notebook
@pytest.mark.parametrize("cells", ['"oops"', "{}", "null", "[1, null, []]"])
def test_notebook_whose_cells_are_not_a_list_of_cells(cells: str) -> None:
    text = '{"cells": ' + cells + ', "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    _clean(lint(text, ".ipynb"))


@pytest.mark.parametrize("brk", ["\x85", "\u2028", "\u2029"])
def test_yaml_only_line_breaks_do_not_shift_lines(brk: str) -> None:
    # YAML counts NEL/LS/PS as line breaks; editors (and LSP) do not.
    text = f'HyperParameterTuningJobName: "a{brk}b"\nBogus: 1\n'
    result = lint(text, ".yaml")
    bogus = [(f.line, f.column) for f in result.findings if f.rule == "HPT102"]
    assert bogus == [(2, 1)]
    out = render("text", [result], Options())
    assert "      2 | Bogus: 1" in out


def test_the_value_budget_is_per_file_not_per_document() -> None:
    # 100,000 tiny requests, each far under the limit: the file as a whole is refused.
    text = "---\nHyperParameterTuningJobName: a\n" * 100_000
    message = only_parse_error(lint(text, ".yaml"))
    assert "the file holds more than 100,000 values" in message


def test_structural_errors_stop_after_a_thousand() -> None:
    text = '{"HyperParameterTuningJobName": "a", "Tags": [' + ", ".join(["1"] * 50_000) + "]}"
    result = lint(text, ".json")
    rules = [f.rule for f in result.findings]
    assert rules.count("HPT001") == 1
    assert sum(r.startswith("HPT1") for r in rules) <= 1_000
    assert "after 1,000 errors" in next(f.message for f in result.findings
                                        if f.rule == "HPT001")
