"""Must FAIL ``mypy --strict``, exactly on the lines marked ``# type-error``.

tests/test_api.py checks that mypy reports these lines and no others: if the public API
decays to ``Any`` (a return type, a field), these misuses stop being errors and the test
fails. The file is never run.
"""

from __future__ import annotations

import hpt_lint

request = {"HyperParameterTuningJobName": "xgb-tune"}

findings = hpt_lint.lint_request(request)
names: list[str] = findings  # type-error
first = findings[0]
where: str = first.line  # type-error
column = first.lineno  # type-error
severity: int = first.severity  # type-error
hpt_lint.lint_request(request, config="HPT3")  # type-error
hpt_lint.lint_request(request, select=("HPT3",))  # type-error
results: list[hpt_lint.Finding] = hpt_lint.lint_paths(["examples"])  # type-error
config = hpt_lint.Config(select="HPT3")  # type-error
