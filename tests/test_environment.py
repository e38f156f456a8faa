"""The suite gives the same verdict on a laptop and on a CI runner.

A GitHub runner sets ``GITHUB_ACTIONS=true``, which switches the CLI's default format to
``github``; users set ``NO_COLOR``/``FORCE_COLOR``. ``tests/conftest.py`` clears them for
every test; this runs the tests that assert on text output under a runner's environment.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import OUTPUT_ENVIRONMENT, ROOT


def test_text_output_tests_pass_under_a_ci_runners_environment() -> None:
    env = os.environ | {"GITHUB_ACTIONS": "true", "NO_COLOR": "1", "FORCE_COLOR": "1",
                        "CLICOLOR_FORCE": "1", "HPT_LINT_JOBS": "1"}
    assert set(OUTPUT_ENVIRONMENT) <= set(env)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/test_cli.py", "tests/test_fix.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:]
