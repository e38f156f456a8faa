"""Where the shipped data lives: ``rules/``, ``schemas/`` and ``examples/``.

In a wheel they are installed as ``hpt_lint/_data/<name>``; in a source checkout
(editable installs, tests) they are the top-level folders of the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    source = _PACKAGE.parent / name
    if source.is_dir():
        return source
    raise FileNotFoundError(f"hpt-lint data folder {name!r} is missing from this installation")


def schema_path(name: str = "create-hyper-parameter-tuning-job.schema.json") -> Path:
    return data_dir("schemas") / name
