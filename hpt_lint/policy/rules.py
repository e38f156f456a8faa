"""Policies as engine rules, per Config.

Each policy becomes a ``PolicyRule`` subclass made at run time with the policy's id,
name and severity. These classes are NOT in the global ``REGISTRY`` of built-in
rules: policies belong to a config, so ``engine.enabled_rules(config)`` asks
``policy_rules(config)`` for them.

Where the policies of a Config come from (``Config.extra``, filled by the config
file loader or the CLI):

- ``extends``: built-in packs to enable;
- ``policies``: inline policies;
- ``policy-files``: policy files, relative to the config file's folder
  (``Config.source``), or to the working directory when there is none;
- ``cli-policy-files``: policy files given with ``--policy`` (absolute paths);
- ``policy-options``: pack options, by pack name.

Policy files may themselves extend packs and set pack options (the config's own
``policy-options`` win).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from hpt_lint.config import Config
from hpt_lint.engine import POLICY_KEYS
from hpt_lint.policy import packs
from hpt_lint.policy.conditions import check_policy
from hpt_lint.policy.model import Policy, PolicyDoc, PolicyError, build, load_file
from hpt_lint.request import Request
from hpt_lint.rule import Rule, Violation

KEYS = POLICY_KEYS


class PolicyRule(Rule):
    """Base of the rule classes made from policies (never registered)."""

    policy: ClassVar[Policy]
    tags = ("policy",)
    security_severity: ClassVar[str | None] = None  # SARIF score, from the pack

    @classmethod
    def doc_url(cls) -> str:
        return packs.doc_url(cls.policy)

    def check(self, request: Request) -> Iterator[Violation]:
        return check_policy(self.policy, request)


def has_policies(config: Config) -> bool:
    return any(config.extra.get(k) for k in KEYS)


def _rule_class(policy: Policy) -> type[PolicyRule]:
    tags, score = packs.pack_metadata(policy.pack)
    cls = type(f"Policy_{policy.id}", (PolicyRule,), {
        "name": policy.name, "severity": policy.severity, "summary": policy.message,
        "policy": policy, "__module__": __name__,
        "tags": tuple(sorted({*PolicyRule.tags, *tags})), "security_severity": score,
    })
    # set after the class exists: Rule.__init_subclass__ registers classes that define
    # ``id`` in their body, and policies must stay out of the global registry
    cls.id = policy.id
    return cls


def _files(config: Config) -> list[Path]:
    base = config.source.parent if config.source is not None else Path.cwd()
    files = [base / f for f in config.extra.get("policy-files") or ()]
    files += [Path(f) for f in config.extra.get("cli-policy-files") or ()]
    return files


def _key(config: Config) -> str:
    """What the policies of ``config`` depend on, as text (cache key)."""
    stats = []
    for f in _files(config):
        try:
            st = f.stat()
            stats.append((str(f), st.st_mtime_ns, st.st_size))
        except OSError:
            stats.append((str(f), 0, -1))
    return json.dumps({"extra": {k: config.extra.get(k) for k in KEYS},
                       "source": str(config.source), "files": stats},
                      sort_keys=True, default=str)


def load_policies(config: Config) -> tuple[Policy, ...]:
    """Every policy ``config`` enables, sorted by id; PolicyError if any is unusable."""
    if not has_policies(config):
        return ()
    return _load(_key(config), config)


_CACHE: dict[str, tuple[Policy, ...]] = {}


def _load(key: str, config: Config) -> tuple[Policy, ...]:
    if key in _CACHE:
        return _CACHE[key]
    policies = _collect(config)
    if len(_CACHE) > 64:
        _CACHE.clear()
    _CACHE[key] = policies
    return policies


def _collect(config: Config) -> tuple[Policy, ...]:
    source = str(config.source) if config.source is not None else "config"
    problems: list[str] = []
    docs: list[PolicyDoc] = []
    inline: dict[str, Any] = {k: config.extra[k] for k in ("extends", "policies",
                                                            "policy-options")
                              if config.extra.get(k) is not None}
    try:
        docs.append(build(inline, source))
    except PolicyError as exc:
        problems.extend(exc.problems)
    for f in _files(config):
        try:
            docs.append(load_file(f))
        except PolicyError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PolicyError(problems)
    options: dict[str, dict[str, Any]] = {}
    options_source: dict[str, str] = {}
    for doc in docs[1:] + docs[:1]:  # the config's own options win
        for pack, values in (doc.options or {}).items():
            options.setdefault(pack, {}).update(values)
            options_source[pack] = doc.source
    extends: dict[str, str] = {}
    for doc in docs:
        for name in doc.extends:
            extends.setdefault(name, doc.source)
    for pack in sorted(options):
        if pack not in packs.available():
            problems.append(f"{source}: policy-options: no built-in policy pack {pack!r} "
                            f"(packs: {', '.join(packs.available())})")
    policies: list[Policy] = []
    for name, where in extends.items():
        try:
            policies.extend(packs.load(name, options.get(name), where,
                                       options_source.get(name)))
        except PolicyError as exc:
            problems.extend(exc.problems)
    for doc in docs:
        policies.extend(doc.policies)
    by_id: dict[str, Policy] = {}
    for p in policies:
        if p.id in by_id:
            problems.append(f"policy id {p.id} is defined twice: in {by_id[p.id].source} and "
                            f"in {p.source}")
        by_id.setdefault(p.id, p)
    if problems:
        raise PolicyError(sorted(set(problems), key=problems.index))
    return tuple(sorted(by_id.values(), key=lambda p: p.id))


_CLASSES: dict[Policy, type[PolicyRule]] = {}


def policy_rule_classes(config: Config) -> tuple[type[PolicyRule], ...]:
    """The rule classes of the policies ``config`` enables (cached per policy)."""
    out = []
    for policy in load_policies(config):
        cls = _CLASSES.get(policy)
        if cls is None:
            cls = _CLASSES[policy] = _rule_class(policy)
        out.append(cls)
    return tuple(out)


_INSTANCES: dict[type[PolicyRule], PolicyRule] = {}


def policy_rules(config: Config) -> tuple[PolicyRule, ...]:
    """One rule instance per enabled policy of ``config``."""
    out = []
    for cls in policy_rule_classes(config):
        if config.rule_enabled(cls.id, True):
            out.append(_INSTANCES.setdefault(cls, cls()))
    return tuple(out)
