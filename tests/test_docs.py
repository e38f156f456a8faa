"""Every rule has a doc page and every page a rule; the docs' examples run as tests."""

from __future__ import annotations

import re

import pytest

from hpt_lint.docs import doc_path, examples
from hpt_lint.engine import all_rules
from tests.conftest import ROOT, found, lint_string

RULES = all_rules()
DOCUMENTED = sorted(p.stem for p in (ROOT / "rules").glob("HPT*.md"))


def test_every_doc_belongs_to_a_rule() -> None:
    assert set(DOCUMENTED) <= set(RULES)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_has_a_doc_with_its_metadata(rule_id: str) -> None:
    cls = RULES[rule_id]
    path = doc_path(rule_id)
    assert path.exists(), f"rule {rule_id} has no doc page rules/{rule_id}.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# {cls.id}: {cls.name}\n")
    assert re.search(rf"\*\*Severity:\*\* {cls.severity.value}\b", text)
    assert "**Source:**" in text
    for section in ("## What it does", "## Why is this bad?"):
        assert section in text, f"{path.name} lacks {section!r}"


def _example_rules() -> list[str]:
    return [r for r in sorted(RULES) if r in DOCUMENTED and examples(r)[0] is not None]


@pytest.mark.parametrize("rule_id", _example_rules())
def test_bad_example_fires_exactly_this_rule_at_the_marked_lines(rule_id: str) -> None:
    bad, _ = examples(rule_id)
    assert bad is not None and bad.expected, f"{rule_id}: the bad example marks no line"
    assert {r for r, _ in bad.expected} == {rule_id}
    cls = RULES[rule_id]
    config = None
    if not cls.default_enabled:
        from hpt_lint.config import Config

        config = Config(extend_select=(rule_id,))
    result = lint_string(bad.text, "." + bad.language.replace("yml", "yaml"), config)
    assert found(result) == sorted(bad.expected)


@pytest.mark.parametrize("rule_id", _example_rules())
def test_fixed_example_is_clean(rule_id: str) -> None:
    _, good = examples(rule_id)
    assert good is not None, f"{rule_id}: no 'Use instead' example"
    result = lint_string(good.text, "." + good.language.replace("yml", "yaml"))
    assert result.requests >= 1
    assert found(result) == []
