"""The habits of ruff users: stdin with --stdin-filename, --statistics, --quiet,
--output-file, NO_COLOR / FORCE_COLOR / CLICOLOR_FORCE, gitignore excludes (with the
default list replaceable), and messages people can scan."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from hpt_lint.cli import main
from hpt_lint.reporters.help import HEADLINE_AIM, for_display, split
from tests.ci_support import TWO_FAULTS_JSON, TWO_FAULTS_YAML, findings, write
from tests.conftest import FIXTURES, ROOT

ENV: dict[str, str | None] = {"GITHUB_ACTIONS": None, "NO_COLOR": None, "FORCE_COLOR": None,
                              "CLICOLOR_FORCE": None}
PY_REQUEST = FIXTURES / "python" / "kwargs_spread.py"


def invoke(*args: str, stdin: bytes | None = None,
           env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin, env={**ENV, **(env or {})},
                              catch_exceptions=False)


# -- stdin ------------------------------------------------------------------------

def test_stdin_filename_names_the_file_picks_loader_and_config(repo: Path) -> None:
    write(repo / "jobs" / ".hpt-lint.yaml", "ignore: [HPT103]\n")
    result = invoke("check", "-", "--stdin-filename", "jobs/req.yaml", "--format", "json",
                    stdin=TWO_FAULTS_YAML.encode())
    assert result.exit_code == 1
    assert findings(result) == [("jobs/req.yaml", "HPT304", 10, 19)]  # HPT103: jobs' config
    result = invoke("check", "--stdin-filename", "other/req.json", "--format", "json",
                    stdin=TWO_FAULTS_JSON.encode())  # no PATH: stdin too
    assert findings(result) == [("other/req.json", "HPT103", 14, 44),
                                ("other/req.json", "HPT304", 9, 39)]


def test_stdin_python_is_read_as_python(repo: Path) -> None:
    text = PY_REQUEST.read_text(encoding="utf-8")
    from_file = invoke("check", "--format", "json", str(PY_REQUEST))
    from_stdin = invoke("check", "-", "--stdin-filename", "train.py", "--format", "json",
                        stdin=text.encode())
    assert from_file.exit_code == from_stdin.exit_code == 1
    assert [f[1:] for f in findings(from_stdin)] == [f[1:] for f in findings(from_file)]


def test_stdin_without_a_name_is_yaml_reported_as_dash(repo: Path) -> None:
    for text in (TWO_FAULTS_YAML, TWO_FAULTS_JSON):  # YAML reads JSON too
        result = invoke("check", "-", "--format", "json", stdin=text.encode())
        assert result.exit_code == 1
        assert {(f[0], f[1]) for f in findings(result)} == {("-", "HPT103"), ("-", "HPT304")}
    result = invoke("check", "-", "--no-source", stdin=b"\xff\xfe")  # a UTF-16 byte-order mark
    assert result.exit_code == 1
    assert result.stdout.startswith("-:1:1: HPT001 [error] not UTF-8: the file is UTF-16")
    result = invoke("check", "-", "--no-source", stdin=b"a: \xff\n")
    assert result.exit_code == 1
    assert result.stdout.startswith("-:1:4: HPT001 [error] not valid UTF-8 (byte 0xff)")


def test_stdin_usage_errors_and_force_exclude(repo: Path) -> None:
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    assert invoke("check", "-", "a.yaml", stdin=b"").exit_code == 2
    assert invoke("check", "-", "--fix", stdin=b"").exit_code == 2
    assert invoke("check", "a.yaml", "--stdin-filename", "x.yaml").exit_code == 2
    bad = invoke("check", "-", "--stdin-filename", "notes.md", stdin=b"x")
    assert bad.exit_code == 2 and "does not read this kind of file" in bad.stderr
    write(repo / ".hpt-lint.yaml", "extend-exclude: [/legacy/]\n")
    args = ("check", "-", "--stdin-filename", "legacy/old.yaml")
    assert invoke(*args, stdin=TWO_FAULTS_YAML.encode()).exit_code == 1  # as ruff: linted
    result = invoke(*args, "--force-exclude", stdin=TWO_FAULTS_YAML.encode())
    assert (result.exit_code, result.stdout) == (0, "No findings: 0 files, 0 requests checked.\n")


# -- --statistics, --quiet, --output-file ------------------------------------------------

def test_statistics_counts_per_rule(repo: Path) -> None:
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    write(repo / "b.yaml", TWO_FAULTS_YAML.replace("num_round: 200  # HPT103",
                                                   "num_round: '200'"))
    result = invoke("check", "--statistics", ".")
    assert result.exit_code == 1
    assert result.stdout == ("2  HPT304      error    log-scaling-needs-positive-range\n"
                             "1  HPT103  [*] error    wrong-type\n"
                             "[*] fixable with `hpt-lint check --fix`\n")
    doc = json.loads(invoke("check", "--statistics", "--format", "json", ".").stdout)
    assert doc == [
        {"rule": "HPT304", "name": "log-scaling-needs-positive-range", "severity": "error",
         "count": 2, "fixable": 0},
        {"rule": "HPT103", "name": "wrong-type", "severity": "error", "count": 1,
         "fixable": 1}]
    assert invoke("check", "--statistics", "--format", "sarif", ".").exit_code == 2


def test_quiet_prints_findings_only(repo: Path) -> None:
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    out = invoke("check", "-q", "--no-source", ".").stdout
    assert out.splitlines()[0].startswith("a.yaml:10:19: HPT304 [error] ")
    assert "Found" not in out
    gh = invoke("check", "--quiet", "--format", "github", ".").stdout.splitlines()
    assert [line.split(" ", 1)[0] for line in gh] == ["::error", "::error"]
    write(repo / "a.yaml", TWO_FAULTS_YAML.replace('MinValue: "0"', 'MinValue: "1"')
          .replace("num_round: 200", "num_round: '200'"))
    clean = invoke("check", "--quiet", ".")
    assert (clean.exit_code, clean.stdout) == (0, "")


def test_output_file_is_an_alias_of_o(repo: Path) -> None:
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    result = invoke("check", "--output-file", "report.txt", ".")
    assert (result.exit_code, result.stdout) == (1, "")
    assert (repo / "report.txt").read_text(encoding="utf-8") == invoke("check", ".").stdout


# -- colour ------------------------------------------------------------------------

ESC = "\x1b["


@pytest.mark.parametrize(("args", "env", "coloured"), [
    ((), {}, False),  # not a terminal
    ((), {"FORCE_COLOR": "1"}, True),
    ((), {"FORCE_COLOR": ""}, False),  # set but empty: not set
    ((), {"CLICOLOR_FORCE": "1"}, True),
    ((), {"CLICOLOR_FORCE": "0"}, False),
    ((), {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),  # NO_COLOR wins over forcing
    (("--color",), {"NO_COLOR": "1"}, True),  # the flag wins over the environment
    (("--no-color",), {"FORCE_COLOR": "1"}, False),
])
def test_colour_follows_flags_then_environment(repo: Path, args: tuple[str, ...],
                                               env: dict[str, str | None],
                                               coloured: bool) -> None:
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    assert (ESC in invoke("check", *args, ".", env=env).stdout) is coloured


def test_a_report_file_is_not_coloured_by_the_environment(repo: Path) -> None:
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    invoke("check", "-o", "plain.txt", ".", env={"FORCE_COLOR": "1"})
    assert ESC not in (repo / "plain.txt").read_text(encoding="utf-8")
    invoke("check", "--color", "-o", "coloured.txt", ".")
    assert ESC in (repo / "coloured.txt").read_text(encoding="utf-8")


# -- excludes with gitignore semantics -----------------------------------------------

LAYOUT = ["jobs/a.yaml", "team/jobs/b.yaml", "deep/x/gen/c.yaml", "gen/d.yaml", "*.yaml",
          "star.yaml", "keep/e.yaml", "keep/f.yaml", "build/g.yaml", "dist/h.yaml",
          "src/build/i.yaml"]


def _linted(root: Path, config: str | None) -> list[str]:
    for name in LAYOUT:
        write(root / name, TWO_FAULTS_YAML)
    if config is not None:
        write(root / ".hpt-lint.yaml", config)
    result = invoke("check", "--format", "json", "--exit-zero", ".")
    return sorted({f[0] for f in findings(result)})


@pytest.fixture(params=["git", "plain"])
def tree(request: pytest.FixtureRequest, repo: Path, tmp_path: Path,
         monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git work tree (files listed by git) and a plain folder (walked)."""
    if request.param == "git":
        return repo
    plain = tmp_path / "plain"
    plain.mkdir()
    monkeypatch.chdir(plain)
    return plain


def test_default_excludes_skip_build_output(tree: Path) -> None:
    assert _linted(tree, None) == ["*.yaml", "deep/x/gen/c.yaml", "gen/d.yaml", "jobs/a.yaml",
                                   "keep/e.yaml", "keep/f.yaml", "star.yaml",
                                   "team/jobs/b.yaml"]


def test_exclude_has_gitignore_semantics_and_replaces_the_defaults(tree: Path) -> None:
    config = ("exclude:\n  - /jobs/\n  - '**/gen/*.yaml'\n  - '\\*.yaml'\n  - keep/*\n"
              "  - '!keep/f.yaml'\n")
    assert _linted(tree, config) == ["build/g.yaml", "dist/h.yaml", "keep/f.yaml",
                                     "src/build/i.yaml", "star.yaml", "team/jobs/b.yaml"]


def test_empty_exclude_lints_build_and_dist(tree: Path) -> None:
    assert {"build/g.yaml", "dist/h.yaml", "src/build/i.yaml"} <= set(
        _linted(tree, "exclude: []\n"))


def test_extend_exclude_adds_to_the_defaults(tree: Path) -> None:
    assert _linted(tree, "extend-exclude: [/jobs/, gen/]\n") == [
        "*.yaml", "keep/e.yaml", "keep/f.yaml", "star.yaml", "team/jobs/b.yaml"]


def test_anchored_exclude_is_relative_to_the_config_file(repo: Path) -> None:
    write(repo / "sub" / ".hpt-lint.yaml", "extend-exclude: [/jobs/]\n")
    write(repo / "sub" / "jobs" / "a.yaml", TWO_FAULTS_YAML)
    write(repo / "sub" / "x" / "jobs" / "b.yaml", TWO_FAULTS_YAML)
    write(repo / "jobs" / "c.yaml", TWO_FAULTS_YAML)
    result = invoke("check", "--format", "json", ".")
    assert sorted({f[0] for f in findings(result)}) == ["jobs/c.yaml", "sub/x/jobs/b.yaml"]


# -- messages people can scan ------------------------------------------------------------

def test_text_shows_a_headline_and_a_help_line(repo: Path) -> None:
    write(repo / "a.yaml", TWO_FAULTS_YAML)
    lines = invoke("check", ".").stdout.splitlines()
    assert lines[:4] == [
        "a.yaml:10:19: HPT304 [error] range `alpha` uses Logarithmic scaling but its MinValue "
        "is 0 (log-scaling-needs-positive-range)",
        "     10 |         MinValue: \"0\"  # HPT304",
        "        |                   ^^^",
        "  help: log scaling works only for ranges whose values are all greater than 0: raise "
        "MinValue above 0 or use Linear scaling"]
    doc = json.loads(invoke("check", "--format", "json", ".").stdout)
    assert doc["findings"][0]["message"].startswith(
        "range `alpha` uses Logarithmic scaling but its MinValue is 0; log scaling works")


def _fixture_messages() -> list[str]:
    paths = [str(FIXTURES), str(ROOT / "examples")]
    doc = json.loads(invoke("check", "--format", "json", "--exit-zero", "--extend-select",
                            "HPT003", *paths).stdout)
    return sorted({f["message"] for f in doc["findings"]})


def test_fixture_headlines_are_short() -> None:
    messages = _fixture_messages()
    heads = [for_display(m)[0] for m in messages]
    assert len(messages) > 40
    short = [h for h in heads if len(h) <= HEADLINE_AIM]
    assert len(short) >= 0.85 * len(heads), sorted(heads, key=len)[-10:]
    assert max(map(len, heads)) <= 130, max(heads, key=len)
    def words(text: str) -> list[str]:  # the separators a split may drop or move
        for mark in ";():":
            text = text.replace(mark, " ")
        return sorted(text.split())

    for message in messages:  # nothing is lost: every word is in the headline or the help
        head, why = split(message)
        assert words(head + " " + why) == words(message)


@given(st.text(st.characters(blacklist_characters="\n;()`'\"[]{}"), min_size=1),
       st.text(st.characters(blacklist_characters="\n"), min_size=1))
def test_split_cuts_at_the_first_top_level_semicolon(head: str, rest: str) -> None:
    head, rest = head.strip() or "x", rest.strip() or "y"
    assert split(f"{head}; {rest}") == (head, rest)


def test_split_keeps_quoted_and_bracketed_semicolons() -> None:
    assert split("a `b; c` d (e; f) 'g; h'; why") == ("a `b; c` d (e; f) 'g; h'", "why")
    assert split("short (0.01)") == ("short (0.01)", "")
    assert split("first line\n  second\n  third") == ("first line", "second third")


def test_an_enum_finding_lists_a_handful_of_the_closest_values(repo: Path) -> None:
    write(repo / "a.yaml", TWO_FAULTS_YAML.replace("ml.m5.xlarge", "ml.m5.xxxlarge"))
    doc = json.loads(invoke("check", "--format", "json", ".").stdout)
    (f,) = [f for f in doc["findings"] if f["rule"] == "HPT104"]
    assert "not one of the " in f["message"] and "allowed values (closest: ml.m5.xlarge, " \
        in f["message"]
    listed = f["message"].split("(closest: ", 1)[1].split(")", 1)[0].split(", ")
    assert len(listed) == 5 and all(v.startswith("ml.") for v in listed)
    text = invoke("check", "--no-source", ".").stdout
    (line,) = [line for line in text.splitlines() if "HPT104" in line]
    assert len(line) < 140


GITIGNORE_CASES = [
    ["/jobs/"], ["jobs/"], ["jobs"], ["**/gen/*.yaml"], ["gen/**"], ["\\*.yaml"], ["*.yaml"],
    ["keep/*", "!keep/f.yaml"], ["keep/", "!keep/f.yaml"], ["deep/**/c.yaml"], ["?.yaml"],
    ["team/jobs/b.yaml"], ["*/jobs/"], ["[bd]*/"], ["build/", "!build/"],
]


@pytest.mark.parametrize("patterns", GITIGNORE_CASES, ids=" ".join)
def test_excludes_match_what_git_ignores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         patterns: list[str]) -> None:
    """The real consumer of gitignore semantics: ``git`` itself. The files git leaves
    untracked-but-not-ignored under a .gitignore of ``patterns`` are the files hpt-lint
    lints under ``exclude: patterns`` (in a plain folder, so git does not help it)."""
    import subprocess

    from hpt_lint.config import clear_caches

    clear_caches()
    files = ["jobs/a.yaml", "team/jobs/b.yaml", "deep/x/gen/c.yaml", "gen/d.yaml", "*.yaml",
             "star.yaml", "keep/e.yaml", "keep/f.yaml", "b.yaml", "dist/h.yaml"]
    with_git, plain = tmp_path / "git", tmp_path / "plain"
    for root in (with_git, plain):
        for name in files:
            write(root / name, TWO_FAULTS_YAML)
    subprocess.run(["git", "init", "-q", str(with_git)], check=True)
    (with_git / ".gitignore").write_text("\n".join(patterns) + "\n", encoding="utf-8")
    listed = subprocess.run(["git", "ls-files", "--others", "--exclude-standard", "-z"],
                            cwd=with_git, capture_output=True, check=True).stdout
    by_git = sorted(p for p in listed.decode().split("\0") if p.endswith(".yaml"))
    write(plain / ".hpt-lint.yaml", "exclude: " + json.dumps(patterns) + "\n")
    monkeypatch.chdir(plain)
    result = invoke("check", "--format", "json", "--exit-zero", ".")
    assert sorted({f[0] for f in findings(result)}) == by_git


def test_fix_and_diff_work_on_the_files_check_lints(repo: Path) -> None:
    write(repo / ".hpt-lint.yaml", "extend-exclude: [/legacy/]\n")
    for name in ("jobs/a.yaml", "legacy/b.yaml", "build/c.yaml"):
        write(repo / name, TWO_FAULTS_YAML)
    diff = invoke("check", "--diff", ".")
    assert diff.exit_code == 1
    assert "+++ b/jobs/a.yaml" in diff.stdout
    assert "legacy/b.yaml" not in diff.stdout and "build/c.yaml" not in diff.stdout
    fixed = invoke("check", "--fix", "--quiet", "--no-source", ".")
    assert fixed.stderr == ""  # --quiet: no "fixed ..." lines
    assert (repo / "jobs" / "a.yaml").read_text() != TWO_FAULTS_YAML
    assert (repo / "legacy" / "b.yaml").read_text() == TWO_FAULTS_YAML
    assert (repo / "build" / "c.yaml").read_text() == TWO_FAULTS_YAML


def _words(text: str) -> list[str]:
    return sorted(re.sub(r"[;:()]", " ", text).split())


@given(st.text(st.sampled_from("ab c;:()`'\"[]{}\n.") | st.characters(), max_size=300))
def test_split_never_loses_a_word(message: str) -> None:
    head, why = split(message)
    assert "\n" not in head and "\n" not in why
    assert _words(head + " " + why) == _words(message)
    assert len(head) <= len(message)
