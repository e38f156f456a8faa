"""Rule selectors (``select``, ``extend-select``, ``ignore``, ``per-file-ignores``) must
name a rule: a typo such as ``HTP3`` would otherwise select nothing and pass every
file. A selector is an id or an id prefix of a built-in rule, of a policy of a
built-in pack, or of a policy the config enables."""

from __future__ import annotations

import difflib
from functools import cache

from hpt_lint.config import Config, ConfigError
from hpt_lint.engine import INTERNAL_ERROR, load_rules


@cache
def _pack_ids() -> frozenset[str]:
    from hpt_lint.policy.packs import _raw, available

    ids: set[str] = set()
    for pack in available():
        ids.update(str(p.get("id", "")).upper() for p in _raw(pack).get("policies") or ()
                   if isinstance(p, dict))
    ids.discard("")
    return frozenset(ids)


def known_ids(config: Config) -> frozenset[str]:
    """Every rule id a selector of ``config`` may name (PolicyError if its policies are
    unusable)."""
    from hpt_lint.engine import POLICY_KEYS

    ids = frozenset({*load_rules(), INTERNAL_ERROR}) | _pack_ids()  # rules may be added
    if any(config.extra.get(k) for k in POLICY_KEYS):
        from hpt_lint.policy.rules import load_policies

        ids = ids | {p.id.upper() for p in load_policies(config)}
    return ids


def unknown_selector(selector: str, ids: frozenset[str]) -> str | None:
    """Why ``selector`` names no rule (with a did-you-mean), or None when it names one."""
    wanted = selector.upper()
    if any(i.startswith(wanted) for i in ids):
        return None
    prefixes = sorted({i[:n] for i in ids for n in range(1, len(i) + 1)})
    close = difflib.get_close_matches(wanted, prefixes, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]}?)" if close else " (`hpt-lint rules` lists them)"
    return f"no rule id is or starts with {selector!r}{hint}"


def check_selectors(config: Config) -> None:
    """Raise ConfigError naming every selector of ``config`` that names no rule."""
    problems = _problems(config.select, config.extend_select, config.ignore,
                         config.per_file_ignores, known_ids(config),
                         "--" if config.source is None else "")
    if problems:
        where = f"{config.source}: " if config.source is not None else ""
        raise ConfigError(where + "; ".join(problems))


def _problems(select: tuple[str, ...], extend_select: tuple[str, ...], ignore: tuple[str, ...],
              per_file: tuple[tuple[str, tuple[str, ...]], ...],
              ids: frozenset[str], dashes: str) -> list[str]:
    named = [(f"{dashes}select", s) for s in select]
    named += [(f"{dashes}extend-select", s) for s in extend_select]
    named += [(f"{dashes}ignore", s) for s in ignore]
    named += [(f"per-file-ignores {glob!r}", s) for glob, sel in per_file for s in sel]
    out = []
    for key, selector in dict.fromkeys(named):
        why = unknown_selector(selector, ids)
        if why is not None:
            out.append(f"`{key}`: {why}")
    return out
