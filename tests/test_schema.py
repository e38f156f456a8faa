"""The committed request schema: generated from botocore, anchored, ECMA patterns."""

from __future__ import annotations

import json

import pytest

from hpt_lint import schema_gen, structure
from hpt_lint.loaders import REQUEST_KEYS
from hpt_lint.resources import schema_path

SCHEMA = json.loads(schema_path().read_text(encoding="utf-8"))


def _patterns() -> list[str]:
    return sorted({d["pattern"] for d in SCHEMA["$defs"].values() if "pattern" in d})


def test_committed_schema_matches_the_installed_botocore() -> None:
    pytest.importorskip("botocore")
    fresh = schema_gen.render(schema_gen.generate())
    committed = schema_path().read_text(encoding="utf-8")
    assert fresh == committed, (
        "schemas/ drifted from botocore's model: run `python -m hpt_lint.schema_gen` and review "
        "the diff")


def test_schema_records_its_botocore_version() -> None:
    assert SCHEMA["x-botocore-version"]


def _test_pins() -> dict[str, str]:
    import tomllib

    from tests.conftest import ROOT

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]["test"]
    pins = {}
    for spec in extras:
        name, sep, version = spec.partition("==")
        if sep:
            pins[name.split("[")[0].strip()] = version.strip()
    return pins


def test_botocore_is_pinned_in_one_place_to_the_schemas_version() -> None:
    """A botocore release cannot turn CI red: the test environment installs exactly the
    botocore (and boto3) the committed schema was generated from."""
    pins = _test_pins()
    assert pins["botocore"] == pins["boto3"] == SCHEMA["x-botocore-version"]


def test_the_installed_botocore_is_the_pinned_one() -> None:
    botocore = pytest.importorskip("botocore")
    assert botocore.__version__ == SCHEMA["x-botocore-version"], (
        "install the test extras (`pip install -e '.[test]'`): the drift test compares the "
        "schema with the pinned botocore; `python -m hpt_lint.schema_gen --check` is the "
        "maintainer's command to see what a newer botocore changes")


def test_drift_check_command_reports_a_difference_and_writes_nothing(
        tmp_path, capsys) -> None:
    pytest.importorskip("botocore")
    committed = tmp_path / "schema.json"
    committed.write_text(schema_path().read_text(encoding="utf-8"), encoding="utf-8")
    assert schema_gen.main(["--check", str(committed)]) == 0
    stale = schema_path().read_text(encoding="utf-8").replace(
        '"x-botocore-version": "', '"x-botocore-version": "0.')
    committed.write_text(stale, encoding="utf-8")
    assert schema_gen.main(["--check", str(committed)]) == 1
    out = capsys.readouterr().out
    version = SCHEMA["x-botocore-version"]
    assert f'- "x-botocore-version": "0.{version}",' in out
    assert f'+ "x-botocore-version": "{version}",' in out
    assert committed.read_text(encoding="utf-8") == stale


@pytest.mark.parametrize("pattern", _patterns())
def test_every_pattern_is_anchored(pattern: str) -> None:
    assert pattern.startswith("^(?:") and pattern.endswith(")$")


@pytest.mark.parametrize("pattern", _patterns())
def test_every_pattern_compiles_in_the_ecma_engine(pattern: str) -> None:
    assert structure.ecma_search(pattern, "") in (True, False)


def test_schema_is_valid_2020_12_with_ecma_regexes() -> None:
    from jsonschema import Draft202012Validator, FormatChecker

    checker = FormatChecker()
    checker.checks("regex", raises=Exception)(lambda p: structure.ecma_search(p, "") in (0, 1))
    Draft202012Validator(Draft202012Validator.META_SCHEMA, format_checker=checker).validate(SCHEMA)


TAG = SCHEMA["$defs"]["TagKey"]["pattern"]


@pytest.mark.parametrize(("value", "ok"), [
    ("team", True), ("héllo wörld", True), ("日本語", True), ("a:b/c=d+e-f@g_h.i", True),
    ("a\u00a0b", True),  # NBSP is \p{Z}
    ("a\tb", False), ("a\nb", False),  # \s would wrongly accept these
    ("a!b", False), ("a#b", False),
])
def test_unicode_property_patterns_are_checked_correctly(value: str, ok: bool) -> None:
    assert structure.ecma_search(TAG, value) is ok


@pytest.mark.parametrize(("value", "ok"), [
    ("abc", True), ("a-b--c", True), ("bad name!!", False), ("abc\n", False), ("-abc", False),
    ("a" * 32, True), ("a" * 33, False),
])
def test_patterns_match_the_whole_value(value: str, ok: bool) -> None:
    pattern = SCHEMA["$defs"]["HyperParameterTuningJobName"]["pattern"]
    assert structure.ecma_search(pattern, value) is ok


def test_request_detection_keys_are_the_schema_members_except_tags() -> None:
    assert set(SCHEMA["properties"]) - {"Tags"} == set(REQUEST_KEYS)


def test_descriptions_are_plain_text() -> None:
    text = json.dumps(SCHEMA)
    assert "<p>" not in text and "</code>" not in text
    name = SCHEMA["properties"]["HyperParameterTuningJobName"]["description"]
    assert name.startswith("The name of the tuning job.")
