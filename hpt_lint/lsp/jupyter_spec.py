"""The jupyter-lsp spec (entry point ``jupyter_lsp_spec_v1``): hpt-lint in JupyterLab.

jupyter-lsp (the server side of jupyterlab-lsp, and of SageMaker Studio's
JupyterLab) starts one language server per language for a notebook. This spec
makes that server ``hpt-lint lsp --wrap -- <the Python server>``: the Python
language server jupyter-lsp would otherwise use, found with jupyter-lsp's own
spec finders (every other ``jupyter_lsp_spec_v1`` entry point, asked as
jupyter-lsp asks them), keeps answering everything; hpt-lint adds its
diagnostics. With no Python server installed, hpt-lint runs alone.

Which server the browser uses when several serve Python: the highest ``rank``
(JupyterLab's Language Servers settings, 50 by default), and among equal ranks the
first server id in alphabetical order. The wrapped server is picked by that same
order, and this spec's id, ``hpt-lint``, sorts before ``pylsp``, ``pyright``,
``pyrefly``, ``jedi-language-server`` and ``python-language-server``; to prefer it
over an id that sorts earlier (``basedpyright``), raise its rank in the settings
(docs/notebooks-editors.md).

Imported by the Jupyter server: nothing here imports pygls or starts anything.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

log = logging.getLogger(__name__)

KEY = "hpt-lint"
GROUP = "jupyter_lsp_spec_v1"
LANGUAGE = "python"
_COPIED = ("mime_types", "env", "config_schema", "workspace_configuration",
           "requires_documents_on_disk", "extend")


def _own_argv() -> list[str]:
    return [sys.executable, "-m", "hpt_lint", "lsp"]


def python_servers(manager: Any) -> dict[str, dict[str, Any]]:
    """The installed Python language servers jupyter-lsp's other spec finders give."""
    from importlib.metadata import entry_points

    found: dict[str, dict[str, Any]] = {}
    for point in entry_points(group=GROUP):
        if point.value.split(":")[0].startswith("hpt_lint"):
            continue  # ourselves
        try:
            finder = point.load()
            if hasattr(finder, "is_installed") and not finder.is_installed(manager):
                continue
            specs = finder(manager) or {}
        except Exception as exc:  # a broken finder is jupyter-lsp's to report, not ours
            log.debug("spec finder %s failed: %s", point.name, exc)
            continue
        for key, spec in specs.items():
            languages = [str(x).lower() for x in spec.get("languages") or []]
            if LANGUAGE in languages and spec.get("argv") and key != KEY:
                found[key] = spec
    return found


def chosen(servers: dict[str, dict[str, Any]]) -> tuple[str, dict[str, Any]] | None:
    """The server the browser would use among equal ranks: the first id in order."""
    if not servers:
        return None
    key = min(servers, key=lambda k: (k.lower(), k))
    return key, servers[key]


def spec(manager: Any) -> dict[str, dict[str, Any]]:
    """The spec finder jupyter-lsp calls: ``{"hpt-lint": spec}``."""
    return build(python_servers(manager))


def build(servers: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """hpt-lint's spec around the server the browser would pick among ``servers``
    (hpt-lint alone if there is none)."""
    try:
        from jupyter_lsp.schema import SPEC_VERSION
    except ImportError:  # pragma: no cover - only jupyter-lsp calls this
        SPEC_VERSION = 2
    picked = chosen(servers)
    result: dict[str, Any] = {
        "languages": [LANGUAGE],
        "version": SPEC_VERSION,
        "mime_types": ["text/python", "text/x-ipython"],
        "install": {"pip": "pip install hpt-lint"},
    }
    if picked is None:
        result.update(argv=_own_argv(), display_name="hpt-lint")
        return {KEY: result}
    key, wrapped = picked
    result.update({k: wrapped[k] for k in _COPIED if k in wrapped})
    result.update(
        argv=[*_own_argv(), "--wrap", "--", *wrapped["argv"]],
        display_name=f"hpt-lint + {wrapped.get('display_name') or key}",
        languages=sorted({LANGUAGE, *wrapped.get("languages", [])}),
    )
    return {KEY: result}
