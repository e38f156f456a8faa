"""A bug while linting never puts the document's text into a log or a message to the
editor: the traceback's frames and the exception's type, never its message."""

from __future__ import annotations

import io
import logging

from hpt_lint.lsp import safe_log

SECRET = "ghp_" + "Zq8x" * 9


def _fail_reading(value: str) -> None:
    raise ValueError(f"could not read {value!r} at line 3")


def test_a_logged_traceback_keeps_the_frames_and_drops_the_message() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    log = safe_log.logger("hpt_lint.test_safe_log")
    log.addHandler(handler)
    try:
        try:
            _fail_reading(SECRET)
        except ValueError:
            log.exception("linting %s failed", "file:///job.yaml")
    finally:
        log.removeHandler(handler)
    out = stream.getvalue()
    assert "linting file:///job.yaml failed: ValueError" in out
    assert "_fail_reading" in out  # the frames are there for the bug report
    assert SECRET[:8] not in out and "could not read 'ghp" not in out


def test_the_logger_gets_one_filter_however_often_it_is_asked_for() -> None:
    name = "hpt_lint.test_safe_log_once"
    assert safe_log.logger(name) is safe_log.logger(name)
    assert len(logging.getLogger(name).filters) == 1


def test_the_editor_is_told_the_type_only() -> None:
    try:
        _fail_reading(SECRET)
    except ValueError as exc:
        message = safe_log.failure("linting file:///job.yaml", exc)
    assert message.startswith("hpt-lint: linting file:///job.yaml failed (ValueError)")
    assert SECRET[:8] not in message


def test_the_server_and_the_wrapper_log_through_it() -> None:
    from hpt_lint.lsp import server, wrap

    for module in (server, wrap):
        assert any(isinstance(f, safe_log.ValueFreeTracebacks) for f in module.log.filters)
