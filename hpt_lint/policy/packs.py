"""Built-in policy packs: ``rules/packs/<pack>.yaml``, off unless a config extends them.

A pack file holds ``pack`` (its name), ``summary``, ``options`` (name -> ``default``
and ``description``) and ``policies``. Option values are templated into the
policies: a string that is exactly ``"{{ name }}"`` becomes the option's value
(keeping its type), and ``{{ name }}`` inside a longer string (a message) becomes
its text. The templated policies are then checked like any policy file.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from hpt_lint.policy.model import Policy, PolicyError, build
from hpt_lint.resources import data_dir

_WHOLE = re.compile(r"^\{\{\s*([a-z0-9-]+)\s*\}\}$")
_PART = re.compile(r"\{\{\s*([a-z0-9-]+)\s*\}\}")
DOCS_URL = "https://github.com/hpt-lint/hpt-lint/blob/main/rules/packs/{pack}.md#{anchor}"


def packs_dir() -> Path:
    return data_dir("rules") / "packs"


@cache
def _raw(name: str) -> dict[str, Any]:
    import yaml

    path = packs_dir() / f"{name}.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"),
                     Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict) or data.get("pack") != name:
        raise PolicyError([f"{path}: a pack file must name itself: pack: {name}"])
    return data


def available() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in packs_dir().glob("*.yaml")))


def options_of(name: str) -> dict[str, dict[str, Any]]:
    """The pack's options: name -> {default, description}."""
    options: dict[str, dict[str, Any]] = _raw(name).get("options") or {}
    return options


def summary(name: str) -> str:
    return str(_raw(name).get("summary", ""))


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _template(node: Any, values: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        return {k: _template(v, values) for k, v in node.items()}
    if isinstance(node, list):
        return [_template(v, values) for v in node]
    if isinstance(node, str):
        whole = _WHOLE.match(node)
        if whole:
            return values[whole.group(1)]
        return _PART.sub(lambda m: _text(values[m.group(1)]), node)
    return node


def _option_values(name: str, given: dict[str, Any], where: str) -> dict[str, Any]:
    declared = options_of(name)
    problems = []
    values = {k: spec.get("default") for k, spec in declared.items()}
    for key, value in sorted(given.items()):
        if key not in declared:
            problems.append(f"{where}: pack {name} has no option {key!r} "
                            f"(options: {', '.join(sorted(declared)) or 'none'})")
            continue
        default = declared[key].get("default")
        if isinstance(default, int | float) and not isinstance(default, bool) and (
                not isinstance(value, int | float) or isinstance(value, bool) or value <= 0):
            problems.append(f"{where}: {name}.{key} must be a positive "
                            f"number, not {value!r}")
            continue
        values[key] = value
    if problems:
        raise PolicyError(problems)
    return values


def load(name: str, given: dict[str, Any] | None = None, source: str = "config",
         options_source: str | None = None) -> tuple[Policy, ...]:
    """The pack's policies with its options (defaults overridden by ``given``).

    ``source`` names the file that extends the pack, ``options_source`` the one that
    sets its options (for error messages)."""
    if name not in available():
        raise PolicyError([f"{source}: extends: no built-in policy pack {name!r} (packs: "
                           f"{', '.join(available())})"])
    raw = _raw(name)
    values = _option_values(name, given or {}, f"{options_source or source}: policy-options")
    templated = _template({"policies": raw.get("policies", [])}, values)
    return build(templated, f"pack {name}", pack=name).policies


def doc_anchor(policy: Policy) -> str | None:
    """The policy's section in its pack's page, relative to ``rules/`` (None: inline
    policies have no page)."""
    if policy.pack is None:
        return None
    return f"packs/{policy.pack}.md#{policy.id}-{policy.name}".lower()


def pack_metadata(name: str | None) -> tuple[tuple[str, ...], str | None]:
    """(tags, security-severity) a pack gives its policies (``tags`` and
    ``security-severity`` at the top of the pack file)."""
    if name is None or name not in available():
        return (), None
    raw = _raw(name)
    score = raw.get("security-severity")
    return tuple(raw.get("tags") or ()), (None if score is None else str(score))


def doc_url(policy: Policy) -> str:
    if policy.pack is None:
        return ""
    return DOCS_URL.format(pack=policy.pack, anchor=f"{policy.id}-{policy.name}".lower())


def explain(wanted: str) -> str | None:
    """The doc section of a pack policy (by id or name), or None."""
    for pack in available():
        for policy in load(pack):
            if wanted.upper() == policy.id or wanted.lower() == policy.name:
                doc = (packs_dir() / f"{pack}.md").read_text(encoding="utf-8")
                m = re.search(rf"^## {policy.id}: .*?(?=^## |\Z)", doc, re.M | re.S)
                head = f"(policy pack {pack}: enable it with `extends: [{pack}]`)\n\n"
                return head + (m.group(0).rstrip() + "\n" if m else policy.message + "\n")
    return None
