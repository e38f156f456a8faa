"""The rule ids are a public contract: every id of the shared catalog (RULES.md) is
implemented with exactly its name and default severity."""

from __future__ import annotations

import re

import pytest

from hpt_lint.engine import all_rules
from tests.conftest import ROOT

CATALOG = ROOT.parent / "shared" / "RULES.md"
SEVERITY = {"E": "error", "W": "warning", "I": "info"}
# Ids hpt-lint adds beyond the catalog, each documented in rules/ like the others. An id
# here that the catalog has since listed is checked like any catalog id.
ADDED = {"HPT004"} | {f"HPT8{n:02d}" for n in range(1, 11)}


def catalog() -> dict[str, tuple[str, str]]:
    if not CATALOG.exists():
        pytest.skip("../shared/RULES.md is not beside this checkout")
    text = CATALOG.read_text(encoding="utf-8")
    return {m.group(1): (m.group(2), SEVERITY[m.group(3)]) for m in re.finditer(
        r"^\| (HPT\d{3}) \| ([a-z0-9-]+) \| ([EWI]) \|", text, re.M)}


def test_every_catalog_rule_is_implemented_as_specified() -> None:
    want = catalog()
    have = {rid: (cls.name, cls.severity.value) for rid, cls in all_rules().items()}
    assert len(want) >= 60  # the table was really read
    assert {rid: have.get(rid) for rid in want} == want
    assert set(have) - set(want) == ADDED - set(want)
