"""README.md and docs/: every relative link resolves, and every block is run or parsed.

Each fenced block must name its language, and each language has a check:

- ``console``: ``$ hpt-lint ...`` lines are run from the repository root and the lines
  shown after them must appear in the output, in order (``...`` stands for any lines);
- ``sh``: every command is run (``hpt-lint`` on a scratch copy of the examples, shell
  completion through its environment variable) or checked against the project (pip
  extras exist, modules import, scripts and paths exist); an unknown command fails;
- ``yaml`` / ``toml`` / ``json``: parsed; a config block (``# .hpt-lint.yaml``,
  ``pyproject.toml``) is used for a real run, a workflow or action step is checked
  against ``action.yml``, a pre-commit config against ``.pre-commit-hooks.yaml``;
- ``python``: compiled (docs/api.md's examples run in tests/test_api.py);
- ``lua`` / ``elisp``: brackets balance and the server command is ``hpt-lint lsp``;
- ``text``: a sample; a command synopsis must name real commands.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from hpt_lint.cli import main
from tests.ci_support import TWO_FAULTS_YAML
from tests.conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
HOOKS = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
FENCE = re.compile(r"^( *)```(\w*)\n(.*?)^\1```$", re.M | re.S)
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
ENV: dict[str, str | None] = {"GITHUB_ACTIONS": None, "NO_COLOR": None, "FORCE_COLOR": None,
                              "CLICOLOR_FORCE": None}


@dataclass(frozen=True)
class Block:
    page: Path
    line: int
    language: str
    text: str

    def __str__(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}:{self.language}"


def _blocks() -> list[Block]:
    out = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for m in FENCE.finditer(text):
            indent = len(m.group(1))
            body = "".join(line[indent:] for line in m.group(3).splitlines(keepends=True))
            out.append(Block(page, text.count("\n", 0, m.start()) + 1, m.group(2), body))
    return out


BLOCKS = _blocks()


def _by(language: str) -> list[Block]:
    return [b for b in BLOCKS if b.language == language]


def test_the_docs_exist_and_the_readme_is_a_front_door() -> None:
    names = {p.name for p in PAGES}
    assert {"sources.md", "rules.md", "configuration.md", "policies.md", "ci.md", "editors.md",
            "api.md", "performance.md", "security.md", "cli.md"} <= names
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) < 250
    for page in PAGES[1:]:
        assert f"(docs/{page.name})" in readme, f"README does not link docs/{page.name}"
    assert len(BLOCKS) > 30


def test_every_block_names_its_language() -> None:
    known = {"console", "sh", "yaml", "toml", "json", "python", "lua", "elisp", "text"}
    assert [str(b) for b in BLOCKS if b.language not in known] == []


# -- links -----------------------------------------------------------------------------

def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip()).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    found = {_slug(m.group(1)) for m in re.finditer(r"^#{1,6} (.+)$", text, re.M)}
    return found | set(re.findall(r'<a id="([^"]+)"></a>', text))


def _links(page: Path) -> list[str]:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    text = re.sub(r"`[^`\n]*`", "", text)
    return LINK.findall(text)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page: Path) -> None:
    broken = []
    for target in _links(page):
        if re.match(r"[a-z]+:", target):
            continue  # https:, mailto:
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.exists():
            broken.append(f"{target}: no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
            broken.append(f"{target}: no heading #{anchor}")
    assert broken == []


# -- console: commands and what they print --------------------------------------------------

def invoke(args: list[str], cwd: Path, stdin: bytes | None = None) -> tuple[int, str]:
    import os

    here = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, args, input=stdin, env=ENV, catch_exceptions=False)
    finally:
        os.chdir(here)
    return result.exit_code, result.stdout


@pytest.mark.parametrize("block", _by("console"), ids=str)
def test_console_blocks_show_what_the_command_prints(block: Block) -> None:
    sessions = re.split(r"^\$ ", block.text, flags=re.M)[1:]
    assert sessions, "a console block starts with `$ command`"
    for session in sessions:
        command, *shown = session.splitlines()
        argv = shlex.split(command)
        assert argv[0] == "hpt-lint", command
        code, out = invoke(argv[1:], ROOT)
        assert code in (0, 1), out
        lines = out.splitlines()
        position = 0
        for want in shown:
            if want.strip() in ("...", ""):
                continue
            assert want.rstrip() in lines[position:], f"{block}: {want!r} not printed in order"
            position = lines.index(want.rstrip(), position) + 1


# -- sh: commands run or checked ----------------------------------------------------------

@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scratch")
    shutil.copytree(ROOT / "examples", root / "examples")
    (root / "jobs").mkdir()
    (root / "jobs" / "tune.yaml").write_text(TWO_FAULTS_YAML, encoding="utf-8")
    (root / "req.yaml").write_text(TWO_FAULTS_YAML, encoding="utf-8")
    return root


def _commands(text: str) -> list[list[str]]:
    """Each command of a shell block, without comments, split at && and |."""
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        words = shlex.split(line, comments=True)
        command: list[str] = []
        for word in [*words, "&&"]:
            if word in ("&&", "|"):
                if command:
                    out.append(command)
                command = []
            else:
                command.append(word)
    return out


def _check_pip(args: list[str]) -> None:
    assert args[:2] == ["pip", "install"], args
    for target in (a for a in args[2:] if not a.startswith("-")):
        m = re.fullmatch(r"(.+?)(?:\[(.+)\])?", target)
        assert m, target
        base, extras = m.group(1), m.group(2)
        if base in THIRD_PARTY:  # a package documented beside hpt-lint (editors)
            continue
        assert base in (".", "./hpt-lint"), f"install from a checkout, not {base!r}"
        for extra in (extras or "").split(","):
            if extra:
                assert extra in PYPROJECT["project"]["optional-dependencies"], extra


# Packages the docs install beside hpt-lint: JupyterLab's LSP front end and the Python
# servers the wrapper is tested with (tests/test_lsp_wrap.py, tests/test_jupyter_lsp.py).
THIRD_PARTY = ("jupyterlab-lsp", "python-lsp-server", "jupyter-lsp")
VSCODE = ROOT / "editors" / "vscode"


def _check_editor_command(argv: list[str]) -> None:
    """The VS Code extension's build: tests/test_vscode_extension.py runs it for real."""
    manifest = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    if argv[0] == "cd":
        assert (ROOT / argv[1]) == VSCODE, argv
    elif argv[0] == "npm":
        assert argv == ["npm", "ci"] and (VSCODE / "package-lock.json").is_file(), argv
    elif argv[0] == "npx":
        assert argv[1:3] == ["@vscode/vsce", "package"], argv
    else:
        assert argv[:2] == ["code", "--install-extension"], argv
        assert argv[2] == f"{manifest['name']}-{manifest['version']}.vsix", argv


def _check_lsp_command(argv: list[str]) -> None:
    """``hpt-lint lsp ...`` starts a server: parse it with the real CLI, do not run it."""
    from hpt_lint.cli import main

    with main.make_context("hpt-lint", argv[1:]) as ctx:
        sub = main.get_command(ctx, argv[1])
        assert sub is not None, argv
        sub.make_context(argv[1], argv[2:], parent=ctx)


def _check_command(argv: list[str], scratch: Path, stdin: bytes | None) -> None:
    name = argv[0]
    if name == "hpt-lint" and argv[1:2] == ["lsp"]:
        _check_lsp_command(argv)
    elif name in ("cd", "npm", "npx", "code"):
        _check_editor_command(argv)
    elif name == "pip":
        _check_pip(argv)
    elif name == "hpt-lint":
        code, out = invoke(argv[1:], scratch, stdin)
        assert code in (0, 1), f"{argv}: exit {code}\n{out}"
    elif name == "eval":
        m = re.fullmatch(r'\$\((_HPT_LINT_COMPLETE=(\w+)_source) hpt-lint\)', argv[1])
        assert m, argv
        _completion(m.group(2))
    elif name.startswith("_HPT_LINT_COMPLETE="):
        _completion(name.split("=", 1)[1].removesuffix("_source"))
    elif name in ("python", "python3"):
        if argv[1] == "-m":
            module = argv[2]
            if module == "pip":
                _check_pip(argv[2:])
            else:
                assert find_spec(module) is not None, module
                if module == "hpt_lint.docs":
                    flags = argv[3:]
                    assert flags in (["--write-index"], ["--check-index"]), flags
                    proc = subprocess.run([sys.executable, "-m", module, "--check-index"],
                                          cwd=ROOT, capture_output=True, text=True)
                    assert proc.returncode == 0, proc.stdout
        else:
            assert (ROOT / argv[1]).is_file(), argv
    elif name == "ruff":
        assert argv[1] == "check" and all((ROOT / p).exists() for p in argv[2:]), argv
    elif name == "cat":
        assert len(argv) == 2
    elif name == "source":  # fish: _HPT_LINT_COMPLETE=fish_source hpt-lint | source
        assert argv == ["source"]
    else:
        raise AssertionError(f"no check for the command {argv}")


def _completion(shell: str) -> None:
    exe = shutil.which("hpt-lint", path=str(Path(sys.executable).parent))
    assert exe is not None
    proc = subprocess.run([exe], env={"_HPT_LINT_COMPLETE": f"{shell}_source",
                                      "PATH": str(Path(sys.executable).parent)},
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "_HPT_LINT_COMPLETE" in proc.stdout, proc.stdout[:300]


@pytest.mark.parametrize("block", _by("sh"), ids=str)
def test_shell_blocks_run_or_name_real_things(block: Block, scratch: Path) -> None:
    commands = _commands(block.text)
    assert commands
    stdin = None
    for argv in commands:
        if argv[0] == "cat":  # cat FILE | hpt-lint check - ...
            stdin = (scratch / argv[1]).read_bytes() if (scratch / argv[1]).exists() \
                else TWO_FAULTS_YAML.encode()
        _check_command(argv, scratch, stdin)
        if argv[0] != "cat":
            stdin = None


# -- config and data blocks ----------------------------------------------------------------

def _first_comment(text: str) -> str:
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    return first.lstrip("# ").split(" ", 1)[0] if first.startswith("#") else ""


def _check_action_step(step: dict[str, object]) -> None:
    uses = str(step["uses"])
    assert re.fullmatch(r"[\w.-]+/hpt-lint@[\w.-]+", uses), uses
    given = step.get("with") or {}
    assert isinstance(given, dict)
    assert set(given) <= set(ACTION["inputs"]), set(given) - set(ACTION["inputs"])


def _check_workflow(doc: dict[str, object]) -> None:
    assert doc["permissions"] == {"contents": "read", "security-events": "write",
                                  "actions": "read"}
    jobs = doc["jobs"]
    assert isinstance(jobs, dict)
    (job,) = jobs.values()
    steps = job["steps"]
    ours = [s for s in steps if "/hpt-lint@" in str(s.get("uses", ""))]
    assert len(ours) == 1
    _check_action_step(ours[0])
    (upload,) = [s for s in steps if "upload-sarif" in str(s.get("uses", ""))]
    assert upload["uses"] == "github/codeql-action/upload-sarif@v4"
    assert upload["if"] == "${{ !cancelled() }}"
    assert upload["with"]["sarif_file"] == ours[0]["with"]["sarif-file"]


def _run_with_config(name: str, text: str, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "req.yaml").write_text(TWO_FAULTS_YAML, encoding="utf-8")
    code, out = invoke(["check", "--no-source", "."], tmp_path)
    assert code in (0, 1), out


@pytest.mark.parametrize("block", _by("yaml"), ids=str)
def test_yaml_blocks(block: Block, tmp_path: Path) -> None:
    doc = yaml.safe_load(block.text)
    kind = _first_comment(block.text)
    if kind == ".hpt-lint.yaml":
        _run_with_config(".hpt-lint.yaml", block.text, tmp_path)
    elif kind.startswith(".github/workflows/"):
        _check_workflow(doc)
    elif kind == ".pre-commit-config.yaml":
        hooks = [h for repo in doc["repos"] for h in repo["hooks"]]
        assert {h["id"] for h in hooks} <= HOOKS and hooks
    elif isinstance(doc, list):  # a workflow step
        (step,) = doc
        _check_action_step(step)
    elif kind == "yaml-language-server:":
        schema = block.text.splitlines()[0].split("$schema=", 1)[1]
        assert (ROOT / "docs" / schema).resolve().is_file() or \
            (block.page.parent / schema).resolve().is_file()
        code, _ = invoke(["check", "--no-source", "-"], ROOT, block.text.encode())
        assert code == 1  # an incomplete request: the schema-only checker's point
    elif kind == "hpt-lint:":  # inline suppressions: the request's faults are silenced
        code, out = invoke(["check", "--no-source", "-"], ROOT, block.text.encode())
        assert code == 0 and "HPT304" not in out and "HPT103" not in out, out
        unsuppressed = re.sub(r"#\s*hpt-lint:.*$", "", block.text, flags=re.M)
        code, out = invoke(["check", "--no-source", "-"], ROOT, unsuppressed.encode())
        assert code == 1 and "HPT304" in out and "HPT103" in out
    else:
        raise AssertionError(f"{block}: no check for this YAML block")


@pytest.mark.parametrize("block", _by("toml"), ids=str)
def test_toml_blocks(block: Block, tmp_path: Path) -> None:
    doc = tomllib.loads(block.text)
    assert "hpt-lint" in doc["tool"]
    _run_with_config("pyproject.toml", block.text, tmp_path)


@pytest.mark.parametrize("block", _by("json"), ids=str)
def test_json_blocks(block: Block) -> None:
    import json

    doc = json.loads(block.text)
    if "glspc.server.command" in doc:
        assert doc["glspc.server.command"] == "hpt-lint"
        assert doc["glspc.server.commandArguments"] == ["lsp"]
        assert {"yaml", "json", "python"} <= set(doc["glspc.server.languageId"])
    elif "LanguageServerManager" in doc:  # jupyter_server_config.json: a jupyter-lsp spec
        for spec in doc["LanguageServerManager"]["language_servers"].values():
            _check_lsp_command(spec["argv"])
            assert "python" in spec["languages"]
    else:
        assert set(doc) == {"requests", "errors"}  # hpt-lint extract's shape


@pytest.mark.parametrize("block", _by("python"), ids=str)
def test_python_blocks_compile(block: Block) -> None:
    compile(block.text, str(block), "exec")


@pytest.mark.parametrize("block", _by("lua") + _by("elisp"), ids=str)
def test_editor_configs(block: Block) -> None:
    pairs = {"(": ")", "{": "}", "[": "]"}
    stack = []
    for ch in re.sub(r'"[^"]*"', '""', block.text):
        if ch in pairs:
            stack.append(pairs[ch])
        elif ch in pairs.values():
            assert stack and stack.pop() == ch, f"{block}: unbalanced {ch}"
    assert not stack
    assert re.search(r'"hpt-lint",?\s*"lsp"', block.text), block
    assert "python" in block.text and "yaml" in block.text and "json" in block.text


def test_text_synopsis_names_real_commands() -> None:
    synopsis = next(b for b in _by("text") if b.text.startswith("hpt-lint check"))
    named = {line.split()[1] for line in synopsis.text.splitlines()
             if line.startswith("hpt-lint ") and not line.split()[1].startswith("-")}
    assert named == set(main.commands)  # type: ignore[attr-defined]


def test_the_policy_example_is_the_fixture_its_output_comes_from() -> None:
    (block,) = [b for b in _by("yaml") if b.page.name == "policies.md"]
    fixture = (ROOT / "tests" / "fixtures" / "policy" / "org-policy.yaml").read_text()
    assert block.text.split("\n", 1)[1] == fixture.split("\n", 1)[1]


def test_every_check_option_is_documented() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    check = main.commands["check"]  # type: ignore[attr-defined]
    missing = [opt for param in check.params for opt in param.opts
               if opt.startswith("--") and f"`{opt}" not in text]
    assert missing == []
