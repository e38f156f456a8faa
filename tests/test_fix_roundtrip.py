"""The fix round trip (issue 12, data loss): for any file, whatever its line breaks (LF,
CRLF, CR, mixed), byte order mark, tabs, or Unicode line separators (U+2028, U+0085,
``\\f``) in its strings and comments, ``hpt-lint check --fix`` changes no byte outside
the fixes' spans, the result parses, and a second ``--fix`` changes nothing.

The files are built from pieces, some of them faults whose fix is known, so the
expected bytes after ``--fix`` are known exactly: the oracle is the original with each
fault's text replaced by its fix, and nothing else. It runs through the command line
(``hpt-lint check --fix``), the path users run.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hpt_lint.cli import main
from hpt_lint.config import Config
from hpt_lint.lint import lint_text

EXAMPLES = int(os.environ.get("HPT_FIX_EXAMPLES", "30"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])

BREAKS = st.sampled_from(["\n", "\r\n", "\r"])
ODD = "\x85\u2028\u2029"  # YAML line breaks that editors and LSP do not count
JUNK = st.text(alphabet=st.sampled_from(list("ab Z9é😀\t#:'\"\\{}[],&*!|>-" + ODD + "\x0c")),
               max_size=12)

Piece = tuple[str, str | None]  # (text, its fix; None: must stay as it is)


def _expected(pieces: list[Piece]) -> tuple[str, str]:
    return ("".join(t for t, _ in pieces), "".join(t if f is None else f for t, f in pieces))


def _run_fix(suffix: str, data: bytes) -> tuple[bytes, bytes, str]:
    """(bytes after one --fix, bytes after a second, stderr of the first)."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / f"job{suffix}"
        target.write_bytes(data)
        first = CliRunner().invoke(main, ["check", "--isolated", "--fix", str(target)])
        assert first.exit_code in (0, 1), first.output
        once = target.read_bytes()
        second = CliRunner().invoke(main, ["check", "--isolated", "--fix", str(target)])
        assert second.exit_code in (0, 1), second.output
        return once, target.read_bytes(), first.stderr


def _check(suffix: str, pieces: list[Piece], bom: bool) -> None:
    before, after = _expected(pieces)
    prefix = b"\xef\xbb\xbf" if bom else b""
    original = lint_text(before, f"job{suffix}", Config(isolated=True), suffix)
    assert not any(f.rule == "HPT001" for f in original.findings), (
        [f.message for f in original.findings], before)
    once, twice, stderr = _run_fix(suffix, prefix + before.encode("utf-8"))
    assert once == prefix + after.encode("utf-8"), stderr
    result = lint_text(after, f"job{suffix}", Config(isolated=True), suffix)
    assert not any(f.rule == "HPT001" for f in result.findings), [f.message for f in
                                                                  result.findings]
    assert twice == once


# --- YAML --------------------------------------------------------------------------------

def _yaml_comment(junk: str) -> str:
    """A comment holding ``junk``; YAML ends a comment at NEL/LS/PS, so each is followed by
    ``#`` to keep what comes after it a comment. A raw ``\\f`` is not allowed in YAML."""
    return "# " + re.sub(f"([{ODD}])", r"\1#", junk.replace("\x0c", ""))


@st.composite
def yaml_files(draw: st.DrawFn) -> tuple[list[Piece], bool]:
    pieces: list[Piece] = []

    def line(*parts: Piece, comment: bool = True) -> None:
        pieces.extend(parts)
        if comment and draw(st.booleans()):
            pieces.append(("  " + _yaml_comment(draw(JUNK)), None))
        pieces.append((draw(BREAKS), None))
        while draw(st.integers(0, 4)) == 0:  # a comment line now and then
            pieces.append((_yaml_comment(draw(JUNK)) + draw(BREAKS), None))

    def fault(bad: str, fixed: str, good: str) -> Piece:
        return (bad, fixed) if draw(st.booleans()) else (good, None)

    note = json.dumps(draw(JUNK), ensure_ascii=False)  # raw LS/NEL/tab, "\f" escaped
    line(("HyperParameterTuningJobName: xgb-1", None))
    line(("HyperParameterTuningJobConfig:", None))
    line(("  Strategy: ", None), fault("bayesian", "Bayesian", "Bayesian"))
    line(('  HyperParameterTuningJobObjective: {Type: Maximize, MetricName: "validation:auc"}',
          None))
    line(("  ResourceLimits: {MaxNumberOfTrainingJobs: 20, MaxParallelTrainingJobs: 2}", None))
    line(("  ParameterRanges:", None))
    line(("    ContinuousParameterRanges:", None))
    line(("      - {Name: eta, MinValue: ", None), fault("0.01", '"0.01"', '"0.01"'),
         (', MaxValue: "0.5", ScalingType: Logarithmic}', None))
    line(("  TrainingJobEarlyStoppingType: ", None), fault("OFF", '"Off"', "Auto"))
    line(("TrainingJobDefinition:", None))
    line(("  StaticHyperParameters:", None))
    line((f"    note: {note}", None))
    line(('    num_round: "200"', None))
    line(("  AlgorithmSpecification:", None))
    line(("    TrainingImage: 683313688378.dkr.ecr.us-east-1.amazonaws.com/"
          "sagemaker-xgboost:1.7-1", None))
    line(("    TrainingInputMode: File", None))
    line(("  RoleArn: arn:aws:iam::123456789012:role/SageMakerRole", None))
    line(("  OutputDataConfig: {S3OutputPath: \"s3://example-bucket/out/\"}", None))
    line(("  ResourceConfig: {InstanceType: ml.m5.xlarge, InstanceCount: 1, "
          "VolumeSizeInGB: 30}", None))
    line(("  ", None), fault("StopingCondition", "StoppingCondition", "StoppingCondition"),
         (":", None))
    pieces.append(("    MaxRuntimeInSeconds: 3600", None))
    if draw(st.booleans()):  # with or without a final line break
        pieces.append((draw(BREAKS), None))
    return pieces, draw(st.booleans())


@PROPERTY
@given(yaml_files())
def test_yaml_fix_changes_only_the_fix_spans(case: tuple[list[Piece], bool]) -> None:
    _check(".yaml", *case)


# --- JSON --------------------------------------------------------------------------------

WS = st.text(alphabet=st.sampled_from([" ", "\t", "\n", "\r"]), max_size=3).map(
    lambda s: s.replace("\r\n", "\n\r"))  # CR, LF, "\n\r" and runs of them: mixed breaks

JSON_TEMPLATE = """\
{~"HyperParameterTuningJobName":~"xgb-1",~
"HyperParameterTuningJobConfig":~{~"Strategy":~STRATEGY,~
"HyperParameterTuningJobObjective":~{"Type":~"Maximize",~"MetricName":~"validation:auc"},~
"ResourceLimits":~{"MaxNumberOfTrainingJobs":~20,~"MaxParallelTrainingJobs":~2},~
"ParameterRanges":~{"ContinuousParameterRanges":~[~{"Name":~"eta",~"MinValue":~MINVALUE,~
"MaxValue":~"0.5",~"ScalingType":~"Logarithmic"}~]~},~
"TrainingJobEarlyStoppingType":~EARLY~},~
"TrainingJobDefinition":~{~"StaticHyperParameters":~{"note":~NOTE,~"num_round":~"200"},~
"AlgorithmSpecification":~{~
"TrainingImage":~"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",~
"TrainingInputMode":~"File"},~"RoleArn":~"arn:aws:iam::123456789012:role/SageMakerRole",~
"OutputDataConfig":~{"S3OutputPath":~"s3://example-bucket/out/"},~
"ResourceConfig":~{"InstanceType":~"ml.m5.xlarge",~"InstanceCount":~1,~"VolumeSizeInGB":~30},~
STOPPING:~{"MaxRuntimeInSeconds":~3600}~}~}~"""


@st.composite
def json_files(draw: st.DrawFn) -> tuple[list[Piece], bool]:
    faults = {
        "STRATEGY": ('"bayesian"', '"Bayesian"', '"Bayesian"'),
        "MINVALUE": ("0.01", '"0.01"', '"0.01"'),
        "EARLY": ('"OFF"', '"Off"', '"Auto"'),
        "STOPPING": ('"StopingCondition"', '"StoppingCondition"', '"StoppingCondition"'),
    }
    pieces: list[Piece] = []
    template = JSON_TEMPLATE.replace("\n", "")
    for token in re.split(r"(~|STRATEGY|MINVALUE|EARLY|STOPPING|NOTE)", template):
        if token == "~":
            pieces.append((draw(WS), None))
        elif token == "NOTE":
            pieces.append((json.dumps(draw(JUNK), ensure_ascii=False), None))
        elif token in faults:
            bad, fixed, good = faults[token]
            pieces.append((bad, fixed) if draw(st.booleans()) else (good, None))
        elif token:
            pieces.append((token, None))
    return pieces, draw(st.booleans())


@PROPERTY
@given(json_files())
def test_json_fix_changes_only_the_fix_spans(case: tuple[list[Piece], bool]) -> None:
    _check(".json", *case)


def test_the_generators_reach_the_hard_cases() -> None:
    """The property is only as good as its inputs: a fixed, hand-picked worst case (BOM,
    every break kind, LS/NEL in a comment and a string, every fault) passes too."""
    pieces: list[Piece] = [
        ("# \u2028#\x85#\t\r", None), ("HyperParameterTuningJobName: xgb-1\r\n", None),
        ("HyperParameterTuningJobConfig:\r", None), ("  Strategy: ", None),
        ("bayesian", "Bayesian"), ("  # é😀\u2029#\n", None),
        ("  TrainingJobEarlyStoppingType: ", None), ("OFF", '"Off"'), ("\r", None),
        ("TrainingJobDefinition:\n  StaticHyperParameters:\r\n", None),
        ('    note: "\u2028\x85\\f\t"\r', None), ("  ", None),
        ("StopingCondition", "StoppingCondition"), (":\n    MaxRuntimeInSeconds: 3600", None),
    ]
    _check(".yaml", pieces, True)
