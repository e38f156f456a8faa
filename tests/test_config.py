"""Config files: discovery, precedence, every key, and clear errors for bad ones."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from hpt_lint.config import Config, ConfigError, clear_caches, for_file, load
from hpt_lint.findings import Severity
from hpt_lint.lint import lint_paths
from hpt_lint.resources import schema_path
from tests.ci_support import (
    JSON_FAULTS,
    TWO_FAULTS_JSON,
    TWO_FAULTS_YAML,
    YAML_FAULTS,
    findings,
    git_repo,
    run,
    write,
)


@pytest.fixture(autouse=True)
def _fresh_caches():
    clear_caches()
    yield
    clear_caches()


def rules_found(root: Path, *paths: str, config: Config | None = None) -> dict[str, list[str]]:
    results = lint_paths([root / p for p in paths] or [root], config or Config())
    return {Path(r.file).relative_to(root).as_posix(): sorted(f.rule for f in r.findings)
            for r in results}


def test_config_schema_is_a_valid_schema() -> None:
    schema = json.loads(schema_path("config.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)


def test_no_config_reports_every_default_finding(repo: Path) -> None:
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    result = run("check", "--format", "json", ".")
    assert result.exit_code == 1
    assert findings(result) == [("a.yaml", r, ln, col) for r, ln, col in YAML_FAULTS]


def test_nearest_config_wins_in_nested_directories(repo: Path) -> None:
    write(repo / ".hpt-lint.yaml", "ignore: [HPT103]\n")
    write(repo / "jobs" / "nested" / ".hpt-lint.yaml", "ignore: [HPT304]\n")
    write(repo / "top.yaml", TWO_FAULTS_YAML)
    write(repo / "jobs" / "mid.yaml", TWO_FAULTS_YAML)
    write(repo / "jobs" / "nested" / "deep" / "low.yaml", TWO_FAULTS_YAML)
    assert rules_found(repo) == {"top.yaml": ["HPT304"], "jobs/mid.yaml": ["HPT304"],
                                 "jobs/nested/deep/low.yaml": ["HPT103"]}
    cfg = for_file(repo / "jobs" / "nested" / "deep" / "low.yaml")
    assert cfg.source == repo / "jobs" / "nested" / ".hpt-lint.yaml"


def test_pyproject_table_is_a_config_and_yaml_beats_it_in_one_directory(repo: Path) -> None:
    write(repo / "pyproject.toml", '[project]\nname = "x"\n\n[tool.hpt-lint]\n'
                                   'ignore = ["HPT304"]\n')
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    assert rules_found(repo) == {"a.yaml": ["HPT103"]}
    clear_caches()
    write(repo / ".hpt-lint.yaml", "ignore: [HPT103]\n")
    assert rules_found(repo) == {"a.yaml": ["HPT304"]}


def test_pyproject_without_table_is_skipped_and_the_walk_goes_on(repo: Path) -> None:
    write(repo / ".hpt-lint.yaml", "ignore: [HPT103]\n")
    write(repo / "pkg" / "pyproject.toml", '[project]\nname = "pkg"\n')
    write(repo / "pkg" / "a.yaml", TWO_FAULTS_YAML)
    assert rules_found(repo) == {"pkg/a.yaml": ["HPT304"]}


def test_discovery_stops_at_the_repository_root(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / ".hpt-lint.yaml", "ignore: [HPT103, HPT304]\n")  # outside the repo
    root = git_repo(tmp_path / "repo")
    monkeypatch.chdir(root)
    write(root / "a.yaml", TWO_FAULTS_YAML)
    assert rules_found(root) == {"a.yaml": ["HPT103", "HPT304"]}


def test_isolated_ignores_config_files(repo: Path) -> None:
    write(repo / ".hpt-lint.yaml", "ignore: [HPT103]\n")
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    assert [f[1] for f in findings(run("check", "--format", "json", "."))] == ["HPT304"]
    result = run("check", "--format", "json", "--isolated", ".")
    assert [f[1] for f in findings(result)] == ["HPT103", "HPT304"]


def test_explicit_config_file_replaces_discovery(repo: Path, tmp_path: Path) -> None:
    write(repo / ".hpt-lint.yaml", "ignore: [HPT103]\n")
    other = write(tmp_path / "elsewhere" / "ci.toml", '[tool.hpt-lint]\nignore = ["HPT304"]\n')
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    result = run("check", "--format", "json", "--config", str(other), ".")
    assert [f[1] for f in findings(result)] == ["HPT103"]


def test_command_line_beats_config_file(repo: Path) -> None:
    write(repo / ".hpt-lint.yaml", "fail-on: error\nseverity: {HPT304: warning}\n"
                                   "select: [HPT304]\n")
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    # the file: only HPT304, as a warning, and warnings do not fail
    result = run("check", "--format", "json", ".")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert [(f["rule"], f["severity"]) for f in doc["findings"]] == [("HPT304", "warning")]
    # the command line: fail on warnings, and select another rule
    assert run("check", "--fail-on", "warning", ".").exit_code == 1
    result = run("check", "--format", "json", "--select", "HPT103", ".")
    assert [f[1] for f in findings(result)] == ["HPT103"]


def test_extend_select_and_ignore_from_file_and_command_line_add_up(repo: Path) -> None:
    write(repo / ".hpt-lint.yaml", "extend-select: [HPT002]\nignore: [HPT103]\n")
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    write(repo / "workflow.yaml", "on: push\njobs: {}\n")
    result = run("check", "--format", "json", "--ignore", "HPT304", ".")
    assert findings(result) == [("workflow.yaml", "HPT002", 1, 1)]


def test_exclude_and_include_apply_when_walking(repo: Path) -> None:
    write(repo / ".hpt-lint.yaml", "include: ['jobs/**']\nexclude: [generated, '*.json']\n")
    write(repo / "jobs" / "a.yaml", TWO_FAULTS_YAML)
    write(repo / "jobs" / "b.json", TWO_FAULTS_JSON)
    write(repo / "jobs" / "generated" / "c.yaml", TWO_FAULTS_YAML)
    write(repo / "other" / "d.yaml", TWO_FAULTS_YAML)
    assert list(rules_found(repo)) == ["jobs/a.yaml"]


def test_explicit_files_are_linted_unless_force_exclude(repo: Path) -> None:
    write(repo / ".hpt-lint.yaml", "exclude: [vendor/]\n")
    write(repo / "vendor" / "a.yaml", TWO_FAULTS_YAML)
    assert run("check", ".").exit_code == 0  # walked: excluded
    assert run("check", "vendor/a.yaml").exit_code == 1  # named: linted
    result = run("check", "--force-exclude", "vendor/a.yaml")  # as pre-commit runs it
    assert result.exit_code == 0
    assert "No findings: 0 files" in result.stdout


def test_force_exclude_can_be_set_in_the_config(repo: Path) -> None:
    write(repo / ".hpt-lint.yaml", "exclude: ['*.yaml']\nforce-exclude: true\n")
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    assert run("check", "a.yaml").exit_code == 0


def test_per_file_ignores(repo: Path) -> None:
    write(repo / ".hpt-lint.yaml", "per-file-ignores:\n  'legacy/*.yaml': [HPT3]\n")
    write(repo / "legacy" / "a.yaml", TWO_FAULTS_YAML)
    write(repo / "new" / "a.yaml", TWO_FAULTS_YAML)
    assert rules_found(repo) == {"legacy/a.yaml": ["HPT103"],
                                 "new/a.yaml": ["HPT103", "HPT304"]}


def test_ignore_paths_silence_json_findings_by_json_path(repo: Path) -> None:
    write(repo / ".hpt-lint.yaml",
          "ignore-paths:\n"
          "  - {file: 'jobs/*.json', path: TrainingJobDefinition.StaticHyperParameters.*,"
          " rules: [HPT103]}\n"
          "  - {path: 'HyperParameterTuningJobConfig.**.ContinuousParameterRanges[*]',"
          " rules: [HPT304]}\n")
    write(repo / "jobs" / "a.json", TWO_FAULTS_JSON)
    write(repo / "other" / "a.json", TWO_FAULTS_JSON)
    assert rules_found(repo) == {"jobs/a.json": [], "other/a.json": ["HPT103"]}


def test_ignore_paths_need_the_rule_to_match(repo: Path) -> None:
    write(repo / ".hpt-lint.yaml",
          "ignore-paths: [{path: TrainingJobDefinition, rules: [HPT304]}]\n")
    write(repo / "a.json", TWO_FAULTS_JSON)
    result = run("check", "--format", "json", ".")
    assert findings(result) == [("a.json", r, ln, col) for r, ln, col in JSON_FAULTS]


def test_max_file_size(repo: Path) -> None:
    write(repo / ".hpt-lint.yaml", "max-file-size: 100\n")
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    result = run("check", "--format", "json", ".")
    assert findings(result) == [("a.yaml", "HPT001", 1, 1)]


def test_policy_keys_pass_through_into_extra(repo: Path) -> None:
    write(repo / ".hpt-lint.yaml",
          "extends: [security-baseline]\npolicy-files: [policies/cost.yaml]\n"
          "policies: [{id: TEAM001, when: x}]\npolicy-options: {max-gpu-hours: 100}\n")
    cfg = for_file(repo / "a.yaml")
    assert cfg.extra == {"extends": ["security-baseline"], "policy-files": ["policies/cost.yaml"],
                         "policies": [{"id": "TEAM001", "when": "x"}],
                         "policy-options": {"max-gpu-hours": 100}}
    assert cfg.source == repo / ".hpt-lint.yaml"


def test_file_settings_convert_to_config_values(repo: Path) -> None:
    write(repo / "pyproject.toml", '[tool.hpt-lint]\nselect = ["hpt3"]\nfail-on = "info"\n'
                                   '[tool.hpt-lint.severity]\nHPT304 = "info"\n')
    cfg = for_file(repo / "x.yaml")
    assert (cfg.select, cfg.fail_on, cfg.severity) == (("HPT3",), Severity.INFO,
                                                       {"HPT304": Severity.INFO})


@pytest.mark.parametrize(("name", "text", "expected"), [
    (".hpt-lint.yaml", "ignor: [HPT103]\n", "`ignor`: unknown key 'ignor' (did you mean "
                                            "'ignore'?)"),
    (".hpt-lint.yaml", "severity: {HPT304: fatal}\n",
     "`severity.HPT304`: 'fatal' is not one of ['error', 'warning', 'info']"),
    (".hpt-lint.yaml", "fail-on: [error]\n", "`fail-on`: ['error'] is not one of"),
    (".hpt-lint.yaml", "ignore-paths: [{path: 'a[', rules: [HPT103]}]\n",
     "`ignore-paths.0.path`: cannot parse the JSON path 'a['"),
    (".hpt-lint.yaml", "ignore-paths: [{path: TrainingJobDefinition, rules: []}]\n",
     "`ignore-paths.0.rules`: [] should be non-empty"),
    (".hpt-lint.yaml", "select: HPT3\n", "`select`: 'HPT3' is not of type 'array'"),
    (".hpt-lint.yaml", "select: [HPT3\n", ".hpt-lint.yaml:2:1: not valid YAML"),
    (".hpt-lint.yaml", "- ignore\n", "a config file must be a mapping"),
    ("pyproject.toml", "[tool.hpt-lint]\nmax-file-size = 0\n",
     "`max-file-size`: 0 is less than the minimum of 1"),
    ("pyproject.toml", "[tool.hpt-lint\n", "pyproject.toml: not valid TOML"),
])
def test_bad_config_is_a_clear_error_and_exit_2(repo: Path, name: str, text: str,
                                                expected: str) -> None:
    write(repo / name, text)
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    result = run("check", ".")
    assert result.exit_code == 2
    assert str(repo / name) in result.stderr
    assert expected in result.stderr
    assert result.stdout == ""


def test_bad_config_is_a_config_error_for_the_api(repo: Path) -> None:
    write(repo / ".hpt-lint.yaml", "nope: 1\n")
    with pytest.raises(ConfigError, match="nope"):
        for_file(repo / "a.yaml")


def test_config_option_must_name_a_file(repo: Path) -> None:
    result = run("check", "--config", "missing.yaml", ".")
    assert result.exit_code == 2
    assert "missing.yaml" in result.stderr


def test_config_option_needs_our_table_in_a_pyproject(repo: Path) -> None:
    write(repo / "pyproject.toml", '[project]\nname = "x"\n')
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    result = run("check", "--config", "pyproject.toml", ".")
    assert result.exit_code == 2
    assert "pyproject.toml: has no [tool.hpt-lint] table" in result.stderr


def test_documented_config_examples_are_valid(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "docs" / "configuration.md").read_text(
        encoding="utf-8")
    section = readme.split("## Configuration\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(yaml|toml)\n(.*?)```", section, re.S)
    assert [lang for lang, _ in blocks] == ["yaml", "toml"]
    for lang, text in blocks:
        name = ".hpt-lint.yaml" if lang == "yaml" else "pyproject.toml"
        settings = load(write(tmp_path / lang / name, text))
        assert settings is not None and settings.values
