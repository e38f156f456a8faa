"""Settings YAML (config and policy files) through the request loader's guards.

``.hpt-lint.yaml`` and policy files are as untrusted as the files they lint: an
alias bomb, a 3,000-deep value or a 5 MB flow list in them must stop as early as in
a request. So they are read by ``load_yaml`` under ``CONFIG_LIMITS`` and turned into
plain data; every problem is a ``LoadError`` with a position.
"""

from __future__ import annotations

from typing import Any

from hpt_lint.loaders.errors import LoadError
from hpt_lint.loaders.limits import CONFIG_LIMITS, Limits
from hpt_lint.loaders.yaml_loader import load_yaml
from hpt_lint.request import Unknown


def load_plain_yaml(text: str, limits: Limits = CONFIG_LIMITS) -> Any:
    """The one document in ``text`` as plain data (None when empty). A mapping key that
    is not a string (``123:``, ``~:``) is kept as the text written, so the settings
    schema names it; a CloudFormation tag is refused."""
    if len(text) > limits.max_bytes:
        raise LoadError(f"the file is larger than the {limits.max_bytes:,}-byte limit")
    docs = load_yaml(text, limits)
    if len(docs) > 1:
        raise LoadError("expected one YAML document, found several",
                        *_line_of(docs[1].source_map))
    if not docs:
        return None
    doc = docs[0]
    for path, entry in doc.source_map.entries.items() if "!" in text else ():
        if _at(doc.value, path):
            raise LoadError("YAML tags such as !Ref are not read in settings files",
                            entry.value.line, entry.value.column)
    return doc.value


def _at(value: Any, path: tuple[Any, ...]) -> bool:
    """Whether the value at ``path`` is an Unknown (a tag the loader did not construct)."""
    for part in path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return False
    return isinstance(value, Unknown)


def _line_of(smap: Any) -> tuple[int, int]:
    entry = smap.entries.get(())
    return (entry.value.line, entry.value.column) if entry is not None else (1, 1)
