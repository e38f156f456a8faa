"""The engine: run the enabled rules over one Request and make located Findings.

A rule that raises becomes an HPT000 finding (and the run exits 2), never a crash.
Structural findings that a dedicated rule owns are dropped (one fault, one
finding). Secret values are masked (``hpt_lint.redact``) in every message before a Finding
exists, and are not part of any fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import pkgutil
import re
from collections.abc import Iterable
from functools import cache
from importlib import import_module
from typing import Any

from hpt_lint import checks
from hpt_lint.config import Config
from hpt_lint.findings import Finding, Fix, Severity, TextEdit
from hpt_lint.redact import Redactor, for_requests
from hpt_lint.request import (
    DERIVED,
    IN_JSON_STRING,
    KEYWORD,
    JsonPath,
    Request,
    format_path,
    get_path,
)
from hpt_lint.rule import REGISTRY, Rule, Violation
from hpt_lint.spelling import respell, respell_path

INTERNAL_ERROR = "HPT000"
INTERNAL_ERROR_DOC = """\
# HPT000: internal-error

Severity: error (the run exits 2)

A rule crashed while checking this file. This is a bug in hpt-lint, not a fault
in your request: the finding names the rule and the exception. The other rules
still ran, so their findings are complete; the crashed rule's are missing.

What to do: report it to the hpt-lint maintainers with the message and, if you
can, a copy of the file with any secrets removed. Until it is fixed,
`--ignore <the rule id>` skips the rule that crashed.
"""


@cache
def load_rules() -> dict[str, type[Rule]]:
    """Import every module of ``hpt_lint.checks``: defining a Rule registers it."""
    for module in pkgutil.iter_modules(checks.__path__):
        import_module(f"{checks.__name__}.{module.name}")
    return dict(sorted(REGISTRY.items()))


def all_rules() -> dict[str, type[Rule]]:
    return load_rules()


@cache
def _instances(ids: tuple[str, ...]) -> tuple[Rule, ...]:
    rules = load_rules()
    return tuple(rules[i]() for i in ids)


def enabled_rules(config: Config) -> tuple[Rule, ...]:
    """The built-in rules ``config`` enables, then its policies (team rules)."""
    ids = tuple(rid for rid, cls in load_rules().items()
                if config.rule_enabled(rid, cls.default_enabled))
    return _instances(ids) + policy_rules(config)


# --- policies: per-config rules, never in the global REGISTRY (see hpt_lint/policy/rules.py)

POLICY_KEYS = ("extends", "policies", "policy-files", "cli-policy-files", "policy-options")


def policy_rules(config: Config) -> tuple[Rule, ...]:
    """The enabled policies of ``config`` as rules (cached per config's policy settings).

    Raises ``hpt_lint.policy.model.PolicyError`` when a policy file is unusable."""
    if not any(config.extra.get(k) for k in POLICY_KEYS):
        return ()  # the common case: no policy module imported
    from hpt_lint.policy.rules import policy_rules as make

    return make(config)


def rule_class(rule_id: str, config: Config) -> type[Rule] | None:
    """A built-in rule's class, or one of ``config``'s policies."""
    return load_rules().get(rule_id) or next(
        (type(r) for r in policy_rules(config) if r.id == rule_id), None)


def _matches(pattern: JsonPath, path: JsonPath) -> bool:
    return len(pattern) == len(path) and all(p == "*" or p == q for p, q in zip(pattern, path,
                                                                              strict=True))


def check_request(request: Request, config: Config) -> tuple[list[Finding], bool]:
    """Findings for one request, and whether a rule crashed."""
    rules = enabled_rules(config)
    enabled_ids = {r.id for r in rules}
    masker = for_requests([request])
    produced: list[tuple[type[Rule], Violation]] = []
    crashed = False
    for note in request.load_notes:
        if note.rule in enabled_ids:
            produced.append((load_rules()[note.rule], Violation(note.path, note.message,
                                                                 at=note.at)))
    owned: list[tuple[JsonPath, tuple[str, ...]]] = []
    semantic = request.semantic_view()  # a null is Unknown for all but the HPT1xx rules
    for rule in rules:
        try:
            for violation in rule.check(request if rule.reads_nulls else semantic):
                cls = load_rules()[violation.rule] if violation.rule else type(rule)
                if cls.id in enabled_ids:
                    produced.append((cls, violation))
        except Exception as exc:  # a rule bug must not take the run down
            crashed = True
            produced.append((type(rule), Violation((), f"rule {rule.id} crashed: "
                                                   f"{type(exc).__name__}: {exc}",
                                                   rule=INTERNAL_ERROR)))
        owned.extend(rule.supersedes)
    truncated = request.cache.get("truncated")  # a stage gave up on hostile input
    if truncated and "HPT001" in enabled_ids:
        produced.append((load_rules()["HPT001"], Violation((), truncated)))
    findings = []
    for cls, violation in produced:
        if owned and cls.id.startswith("HPT1") and any(
                cls.id in ids and _matches(pat, violation.path) for pat, ids in owned):
            continue
        findings.append(make_finding(request, cls, violation, config, masker))
    return findings, crashed


def make_finding(request: Request, cls: type[Rule], violation: Violation, config: Config,
                 masker: Redactor) -> Finding:
    if violation.rule == INTERNAL_ERROR:
        rule_id, name, severity = INTERNAL_ERROR, "internal-error", Severity.ERROR
    else:
        rule_id, name = cls.id, cls.name
        severity = config.severity_of(cls.id, cls.severity)
    span = violation.span or request.source_map.locate(violation.path, violation.at)
    json_path = format_path(respell_path(violation.path, request.spelling))
    fix = None
    # a renamed key would be written in the API's spelling, not the file's: no such fix
    if violation.fix is not None and not (request.spelling and violation.fix.at == "key"):
        target = request.source_map.get(violation.fix.path)
        if target is not None and target.style != DERIVED:
            where = target.key if violation.fix.at == "key" and target.key else target.value
            new_text = render_value(request.kind, violation.fix.new_value)
            if target.style == KEYWORD and where is target.key:  # f(Name=...): no quotes
                new_text = str(violation.fix.new_value)
            # a notebook file's cell, a DefinitionString written as a JSON string
            in_json_string = request.source_map.in_json_strings or \
                target.style == IN_JSON_STRING
            if in_json_string:
                new_text = json.dumps(new_text, ensure_ascii=False)[1:-1]
            if not (in_json_string and where.line != where.end_line):
                fix = Fix(violation.fix.title, (TextEdit(where.line, where.column,
                                                         where.end_line, where.end_column,
                                                         new_text),))
    # a secret's fingerprint must not depend on it: hash the value with secrets masked
    value = masker.scrub(get_path(request.data, violation.path), violation.path)
    return masker.finding(Finding(
        rule=rule_id, name=name, severity=severity,
        message=respell(violation.message, request.spelling),
        file=request.file, line=span.line, column=span.column, end_line=span.end_line,
        end_column=span.end_column, json_path=json_path,
        fingerprint=fingerprint(rule_id, request.file, json_path, value),
        fix=fix, context=request.source_map.context.get(span.line),
    ))


_PLAIN_YAML = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")


def render_value(kind: str, value: object) -> str:
    """A value as source text: a JSON literal is valid in JSON, YAML and Python. In YAML
    a string stays plain (``Off`` -> ``Bayesian``, a key renamed) when YAML reads the
    plain word back as that same string, so a fix keeps the file's style."""
    if kind in ("python", "notebook", "sdk", "airflow") and isinstance(value, bool | type(None)):
        return repr(value)
    if kind == "yaml" and isinstance(value, str) and _PLAIN_YAML.fullmatch(value):
        import yaml

        try:
            if yaml.safe_load(value) == value:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def fingerprint(rule: str, file: str, json_path: str, value: Any) -> str:
    """Stable across edits elsewhere in the file and across checkouts: the rule, the
    file's repository-relative path, the JSON path and a hash of the value with every
    secret in it masked (so a secret's fingerprint does not depend on it: a baseline or
    SARIF file is no oracle for guessing it); no line numbers, and not the request's
    place in the file, so adding a request above does not change it; two equal findings
    in one file are told apart by ``lint`` (order of occurrence)."""
    from hpt_lint.paths import repo_relative

    try:
        text = json.dumps(value, sort_keys=True, default=repr)
    except (TypeError, ValueError):
        text = repr(value)
    value_hash = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    key = "\0".join((rule, repo_relative(file), json_path, value_hash))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def run_rules(requests: Iterable[Request], config: Config) -> tuple[list[Finding], bool]:
    findings: list[Finding] = []
    crashed = False
    for request in requests:
        found, broke = check_request(request, config)
        findings.extend(found)
        crashed = crashed or broke
    return findings, crashed
