"""``hpt-lint extract``: every request found, as deterministic JSON."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from hpt_lint.cli import main
from hpt_lint.extract import extract, to_json
from hpt_lint.redact import Redactor
from hpt_lint.request import PartialDict, PartialList, Unknown
from tests.conftest import FIXTURES


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["extract", *args])
    return result.exit_code, result.output


def test_unknown_and_partial_rendering() -> None:
    partial = PartialDict(a=1, b=Unknown("x.y"))
    partial.unknown_sources = ("extra",)
    items = PartialList([Unknown("f()")])
    items.unknown_sources = ("*more",)
    assert to_json({"p": partial, "l": items, "n": [None, True, 1.5]}, Redactor(())) == {
        "p": {"$partial": ["extra"], "a": 1, "b": {"$unknown": "x.y"}},
        "l": {"$partial": ["*more"], "$items": [{"$unknown": "f()"}]},
        "n": [None, True, 1.5],
    }


def test_every_kind_with_file_line_and_kind(tmp_path) -> None:
    for sub, name in (("python", "deepcopy_mutation.py"), ("python", "sdk_tuners.py"),
                      ("notebooks", "cross_cell.ipynb"), ("stepfunctions", "tuning.asl.json"),
                      ("stepfunctions", "template.yaml")):
        shutil.copy(FIXTURES / sub / name, tmp_path / name)
    (tmp_path / "plain.yaml").write_text("HyperParameterTuningJobName: plain-job\n")
    (tmp_path / "other.json").write_text('{"not": "a request"}')
    code, out = _run(str(tmp_path))
    assert code == 0
    data = json.loads(out)
    assert data["errors"] == []
    kinds = [(r["file"].rsplit("/", 1)[1], r["kind"]) for r in data["requests"]]
    assert kinds == [("cross_cell.ipynb", "notebook"), ("deepcopy_mutation.py", "python"),
                     ("plain.yaml", "yaml"), ("sdk_tuners.py", "sdk"), ("sdk_tuners.py", "sdk"),
                     ("sdk_tuners.py", "sdk"), ("template.yaml", "stepfunctions"),
                     ("template.yaml", "stepfunctions"), ("tuning.asl.json", "stepfunctions"),
                     ("tuning.asl.json", "stepfunctions")]
    python = data["requests"][1]
    text = (tmp_path / "deepcopy_mutation.py").read_text().splitlines()
    assert "create_hyper_parameter_tuning_job" in text[python["line"] - 1]
    assert python["request"]["TrainingJobDefinition"]["RoleArn"] == {"$unknown": "role"}
    assert python["request"]["HyperParameterTuningJobName"] == {"$unknown": "job_name"}
    notebook = data["requests"][0]
    assert notebook["context"].startswith("cell 8, line ")
    sfn = data["requests"][-2]
    assert sfn["request"]["HyperParameterTuningJobName"] == {"$unknown": "$$.Execution.Name"}
    assert data["requests"][2]["request"] == {"HyperParameterTuningJobName": "plain-job"}
    # deterministic: the same bytes twice
    assert _run(str(tmp_path))[1] == out


def test_unreadable_files_are_errors_and_exit_1(tmp_path) -> None:
    (tmp_path / "broken.py").write_text("sm.create_hyper_parameter_tuning_job(\n")
    shutil.copy(FIXTURES / "notebooks" / "truncated.ipynb", tmp_path / "t.ipynb")
    code, out = _run(str(tmp_path))
    assert code == 1
    errors = json.loads(out)["errors"]
    assert [(e["file"].rsplit("/", 1)[1], e["line"]) for e in errors] == [
        ("broken.py", 1), ("t.ipynb", 7)]


def test_secrets_are_masked(tmp_path) -> None:
    (tmp_path / "s.py").write_text(
        "sm.create_hyper_parameter_tuning_job(TrainingJobDefinition={\n"
        "    'StaticHyperParameters': {'aws_key': 'AKIAIOSFODNN7EXAMPLE'}})\n")
    result = extract([tmp_path])
    dumped = json.dumps(result)
    assert "AKIAIOSFODNN7EXAMPLE" not in dumped and "********" in dumped
