"""Logging for the language server that never repeats a document's text.

An exception raised while linting may quote what it was reading (a value, a line of the
document), and a value may be a secret. The server and the wrapper log a bug's
traceback (the frames of hpt-lint's code) and the exception's type, never its message,
and tell the editor only the type. Error messages about the user's own config or policy
file are worded by hpt-lint and go through ``redact.scrub_tokens`` where they are sent.
"""

from __future__ import annotations

import logging
import traceback


class ValueFreeTracebacks(logging.Filter):
    """Rewrites a record carrying ``exc_info`` into the message, the exception's type
    and the traceback's frames, without the exception's own text."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            kind, _exc, tb = record.exc_info
            frames = "".join(traceback.format_tb(tb))
            name = kind.__name__ if kind is not None else "Exception"
            record.msg = (f"{record.getMessage()}: {name} (its message is not shown: it "
                          f"may quote the document)\n{frames.rstrip()}")
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True


def logger(name: str) -> logging.Logger:
    """``logging.getLogger(name)`` with value-free tracebacks."""
    log = logging.getLogger(name)
    if not any(isinstance(f, ValueFreeTracebacks) for f in log.filters):
        log.addFilter(ValueFreeTracebacks())
    return log


def failure(what: str, exc: BaseException) -> str:
    """What the editor is told when linting fails: the type, never the message."""
    return f"hpt-lint: {what} failed ({type(exc).__name__}); the server's log has the traceback"
