"""The bundled examples: the valid one is clean, each faulty one fires exactly its marks."""

from __future__ import annotations

from pathlib import Path

import pytest

from hpt_lint.config import Config
from hpt_lint.lint import lint_file
from tests.conftest import ROOT, found, marks

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def test_the_shared_valid_example_is_bundled_unchanged() -> None:
    shared = ROOT.parent / "shared" / "examples" / "valid-bayesian.yaml"
    if not shared.exists():
        pytest.skip("../shared is not beside this checkout")
    assert (ROOT / "examples" / "valid-bayesian.yaml").read_text() == shared.read_text()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_fires_exactly_its_marked_rules(path: Path) -> None:
    result = lint_file(path, Config())
    assert result.requests >= 1
    assert found(result) == marks(path.read_text())
    if path.name.startswith("valid"):
        assert result.findings == []
    else:
        assert result.findings
