"""Every rule has a doc page and every page a rule; the docs' examples run as tests."""

from __future__ import annotations

import re

import pytest

from hpt_lint.docs import doc_path, examples
from hpt_lint.engine import all_rules
from tests.conftest import ROOT, found, lint_string

RULES = all_rules()
DOCUMENTED = sorted(p.stem for p in (ROOT / "rules").glob("HPT*.md"))
# The fence language of a doc example -> the file kind it is linted as.
SUFFIXES = {"yaml": ".yaml", "yml": ".yaml", "json": ".json", "python": ".py"}


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
    result = lint_string(bad.text, SUFFIXES[bad.language], config)
    assert found(result) == sorted(bad.expected)


@pytest.mark.parametrize("rule_id", _example_rules())
def test_fixed_example_is_clean(rule_id: str) -> None:
    _, good = examples(rule_id)
    assert good is not None, f"{rule_id}: no 'Use instead' example"
    result = lint_string(good.text, SUFFIXES[good.language])
    assert result.requests >= 1
    assert found(result) == []


def test_rule_index_is_current() -> None:
    from hpt_lint.docs import INDEX_COMMAND, index_path, render_index

    expected = render_index()
    current = index_path().read_text(encoding="utf-8") if index_path().exists() else ""
    assert current == expected, (
        f"rules/README.md is out of date with the registered rules: run `{INDEX_COMMAND}` "
        "and commit the result")
    for rule_id in RULES:
        assert f"| {rule_id}" in current or f"[{rule_id}]" in current


def test_docs_rule_table_is_current() -> None:
    from hpt_lint.docs import INDEX_COMMAND, TABLE_START, render_rules_doc, rules_doc_path

    current = rules_doc_path().read_text(encoding="utf-8")
    assert TABLE_START in current
    assert render_rules_doc(current) == current, \
        f"docs/rules.md rule table is stale: run `{INDEX_COMMAND}`"
    for rule_id in RULES:
        assert f"| [{rule_id}](../rules/{rule_id}.md) |" in current


def test_rule_index_command_writes_what_the_check_accepts(tmp_path, monkeypatch) -> None:
    import hpt_lint.docs as docs

    target = tmp_path / "README.md"
    monkeypatch.setattr(docs, "index_path", lambda: target)
    table_doc = tmp_path / "rules.md"
    table_doc.write_text(f"# Rules\n\n{docs.TABLE_START}\nstale\n{docs.TABLE_END}\n")
    monkeypatch.setattr(docs, "rules_doc_path", lambda: table_doc)
    assert docs.main(["--check-index"]) == 1  # missing: out of date
    assert docs.main(["--write-index"]) == 0
    assert target.read_text(encoding="utf-8") == docs.render_index()
    assert "| [HPT304](../rules/HPT304.md) |" in table_doc.read_text(encoding="utf-8")
    assert docs.main(["--check-index"]) == 0
    table_doc.write_text(table_doc.read_text(encoding="utf-8").replace("| on |", "| off |", 1))
    assert docs.main(["--check-index"]) == 1
    assert docs.main(["--write-index"]) == 0
    target.write_text(target.read_text(encoding="utf-8").replace("| on |", "| off |", 1))
    assert docs.main(["--check-index"]) == 1
