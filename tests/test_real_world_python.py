"""Python on real trees (issue 13): only real requests, and every value a reader can
resolve. Fixtures are modeled on public code; each planted fault is a ``# HPTnnn`` mark
asserted exactly (rule and line), and the clean fixtures must stay clean."""

from __future__ import annotations

import json
import operator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hpt_lint.config import Config
from hpt_lint.loaders import load_text
from hpt_lint.loaders.python_loader import API_MEMBERS
from hpt_lint.request import Unknown
from hpt_lint.resources import schema_path
from tests.conftest import FIXTURES, found, lint_string, marks

OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "//": operator.floordiv,
             "%": operator.mod}
PY = FIXTURES / "python"
NB = FIXTURES / "notebooks"


def _lint(path):
    text = path.read_text(encoding="utf-8")
    return text, lint_string(text, path.suffix, file=path.name)


def _request(text: str, index: int = 0, suffix: str = ".py"):
    return load_text(text, f"x{suffix}")[index]


# ---- 1. only real requests ---------------------------------------------------------------

def test_api_members_are_the_schema_top_level_members() -> None:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    assert set(schema["properties"]) == API_MEMBERS


def test_a_method_sharing_the_api_name_with_snake_case_keywords_is_not_a_request() -> None:
    _, result = _lint(PY / "mock_backend.py")
    assert result.requests == 0 and result.findings == []


def test_a_call_with_an_api_member_or_a_spread_is_a_request() -> None:
    assert len(load_text("c.create_hyper_parameter_tuning_job(Tags=[])\n", "x.py")) == 1
    assert len(load_text("c.create_hyper_parameter_tuning_job(**req)\n", "x.py")) == 1
    assert load_text("c.create_hyper_parameter_tuning_job(tags=[])\n", "x.py") == []
    assert load_text("c.create_hyper_parameter_tuning_job(req)\n", "x.py") == []


def test_a_notebook_in_another_language_is_not_read_as_python() -> None:
    _, result = _lint(NB / "r_reticulate.ipynb")
    assert result.requests == 0 and result.findings == []
    enabled = lint_string((NB / "r_reticulate.ipynb").read_text(), ".ipynb",
                          Config(select=frozenset({"HPT002"})))
    assert [f.rule for f in enabled.findings] == ["HPT002"]


def test_a_notebook_that_declares_python_or_nothing_is_read() -> None:
    nb = json.loads((NB / "r_reticulate.ipynb").read_text())
    nb["cells"][2]["source"] = ["sm.create_hyper_parameter_tuning_job(Tags=[], X=1)\n"]
    for metadata in ({"kernelspec": {"language": "python", "name": "python3"},
                      "language_info": {"name": "python"}}, {}):
        nb["metadata"] = metadata
        assert len(load_text(json.dumps(nb), "x.ipynb")) == 1


# ---- 2. everything a reader can resolve --------------------------------------------------

def test_resolved_constants_fixture_findings_are_exact() -> None:
    text, result = _lint(PY / "resolved_constants.py")
    assert found(result) == marks(text)


def test_resolved_values() -> None:
    request = _request((PY / "resolved_constants.py").read_text())
    assert request.data["HyperParameterTuningJobName"] == "DEMO-ic-tuning-20"
    config = request.data["HyperParameterTuningJobConfig"]
    assert config["ResourceLimits"] == {"MaxNumberOfTrainingJobs": 20,
                                        "MaxParallelTrainingJobs": 6}
    definition = request.data["TrainingJobDefinition"]
    assert definition["StaticHyperParameters"] == {
        "num_classes": "257", "num_training_samples": "15420", "epochs": "10",
        "learning_rate": "0.1"}
    assert definition["ResourceConfig"] == {"InstanceCount": 1, "InstanceType": "ml.p3.2xlarge",
                                            "VolumeSizeInGB": 50}
    assert definition["OutputDataConfig"]["S3OutputPath"] == "s3://example-bucket/DEMO-ic/output"
    # os.environ.get(..., default) stays unknown: the environment decides
    assert isinstance(definition["AlgorithmSpecification"]["TrainingImage"], Unknown)


@pytest.mark.parametrize(("program", "expected"), [
    ("n = 6\n", 6),
    ("n = -3\nn = -n\n", 3),
    ("a = 2\nn = a ** 3 - 1\n", 7),
    ("n = int('6')\n", 6),
    ("n = int(7.9)\n", 7),
    ("n = float('1e-6')\n", 1e-6),
    ("n = str(5)\n", "5"),
    ("p = 'a'\nn = f'{p}-{1 + 1}!r'\n", "a-2!r"),
    ("n = '-'.join(['a', 'b'])\n", "a-b"),
    ("n = 1 if x else 2\n", None),
    ("import os\nn = os.environ.get('X', '6')\n", None),
    ("n = int('abc')\n", None),
    ("n = 'x' * 10 ** 9\n", None),
    ("n = 10 ** 10 ** 9\n", None),
    ("n = 1 / 0\n", None),
    ("n = f'{x:>10}'\n", None),
    ("n = int(True)\n", None),
    ("def int(v):\n    return v\nn = int('6')\n", None),
    ("n = 1\nif c:\n    n = 2\n", None),
    ("n = 1\nif c:\n    n = 2\nelse:\n    n = 2\n", 2),
    ("n = 1\nif c:\n    n = 2\nelse:\n    m = n\n", None),
    ("n = 1\nfor i in r:\n    n = 2\n", None),
    ("n = 1\ntry:\n    n = 2\nexcept E:\n    pass\n", None),
    ("n = 1\ndef f():\n    global n\n    n = 9\n", None),
    ("n = 1\nclass C:\n    n = 5\n", 1),
    ("n = 2\nwith open(p) as fh:\n    n = 3\n", 3),
])
def test_a_name_bound_to_a_literal_or_a_simple_expression(program: str, expected) -> None:
    request = _request(program + "sm.create_hyper_parameter_tuning_job(Tags=n)\n")
    value = request.data["Tags"]
    if expected is None:
        assert isinstance(value, Unknown)
    else:
        assert value == expected and type(value) is type(expected)


def test_a_loop_variant_name_is_unknown_inside_the_loop() -> None:
    request = _request("n = 1\nfor i in r:\n"
                       "    sm.create_hyper_parameter_tuning_job(Tags=n)\n    n = 2\n")
    assert isinstance(request.data["Tags"], Unknown)


def test_a_method_does_not_see_its_class_body() -> None:
    request = _request("n = 1\nclass C:\n    n = 5\n    def go(self):\n"
                       "        sm.create_hyper_parameter_tuning_job(Tags=n)\n")
    assert request.data["Tags"] == 1


@settings(max_examples=60, deadline=None)
@given(st.integers(-10**6, 10**6), st.integers(-10**6, 10**6),
       st.sampled_from(["+", "-", "*", "//", "%"]))
def test_folded_arithmetic_agrees_with_python(a: int, b: int, op: str) -> None:
    program = f"a = {a}\nb = {b}\nn = a {op} b\n"
    request = _request(program + "sm.create_hyper_parameter_tuning_job(Tags=n)\n")
    try:
        expected = OPERATORS[op](a, b)
    except ZeroDivisionError:
        assert isinstance(request.data["Tags"], Unknown)
    else:
        assert request.data["Tags"] == expected
