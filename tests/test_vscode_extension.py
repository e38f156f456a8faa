"""The VS Code extension (editors/vscode/) builds into a .vsix with the real
``@vscode/vsce``, and its manifest starts hpt-lint for YAML, JSON, Python and Jupyter
notebooks. Needs ``npm`` (and the npm registry); skipped where there is none."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

EXTENSION = Path(__file__).resolve().parent.parent / "editors" / "vscode"
VSCE = "@vscode/vsce@3.9.2"
NPM = shutil.which("npm")
NPX = shutil.which("npx")

pytestmark = pytest.mark.skipif(NPM is None or NPX is None, reason="npm is not installed")


@pytest.fixture(scope="module")
def vsix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("vscode") / "extension"
    shutil.copytree(EXTENSION, work, ignore=shutil.ignore_patterns("node_modules", "*.vsix"))
    cache = work.parent / "npm-cache"  # nothing written outside the temporary folder
    env_args = ["--cache", str(cache), "--no-audit", "--no-fund", "--loglevel=error"]
    assert NPM is not None and NPX is not None
    subprocess.run([NPM, "ci", *env_args], cwd=work, check=True, timeout=300,
                   stdin=subprocess.DEVNULL, capture_output=True)
    out = work / "hpt-lint.vsix"
    done = subprocess.run(
        [NPX, "--yes", "--cache", str(cache), VSCE, "package", "--out", str(out),
         "--allow-missing-repository", "--skip-license"],
        cwd=work, timeout=300, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def manifest(vsix: Path) -> dict:
    with zipfile.ZipFile(vsix) as z:
        return json.loads(z.read("extension/package.json"))


def test_the_vsix_holds_the_client_and_its_dependency(vsix: Path) -> None:
    with zipfile.ZipFile(vsix) as z:
        names = set(z.namelist())
    assert {"extension/extension.js", "extension/package.json",
            "extension.vsixmanifest"} <= names
    assert "extension/node_modules/vscode-languageclient/node.js" in names


def test_the_manifest_activates_for_each_language_and_notebooks(vsix: Path) -> None:
    data = manifest(vsix)
    assert data["main"] == "./extension.js"
    assert set(data["activationEvents"]) == {"onLanguage:yaml", "onLanguage:json",
                                             "onLanguage:python",
                                             "onNotebook:jupyter-notebook"}
    selector = data["hptLint"]["documentSelector"]
    assert {f["language"] for f in selector if "notebook" not in f} == {"yaml", "json",
                                                                        "python"}
    # notebook cells are matched through their notebook (LSP notebook documents), never
    # as loose `vscode-notebook-cell` text documents
    assert [f for f in selector if "notebook" in f] == [
        {"notebook": "jupyter-notebook", "language": "python"}]
    assert all(f.get("scheme") in ("file", "untitled") for f in selector if "notebook" not in f)
    path = data["contributes"]["configuration"]["properties"]["hpt-lint.path"]
    assert path["type"] == "string" and path["default"] == "hpt-lint"
    assert "vscode-languageclient" in data["dependencies"]


def test_the_client_reads_its_selector_and_executable_from_the_manifest() -> None:
    source = (EXTENSION / "extension.js").read_text(encoding="utf-8")
    assert "packageJSON.hptLint.documentSelector" in source
    assert "getConfiguration('hpt-lint')" in source and "args: ['lsp']" in source
    if shutil.which("node"):  # it is valid JavaScript
        subprocess.run(["node", "--check", str(EXTENSION / "extension.js")], check=True,
                       timeout=60)
