"""Atomic, checked writes: a file is replaced whole or not at all.

The new bytes go to a temporary file in the target's own directory (so the final
``os.replace`` is a rename on one file system), keeping the target's permission bits
(and owner, where allowed), flushed to disk, and then renamed over the target. A write
that fails part-way (disk full, ``ulimit -f``, a read-only or immutable file or
directory) leaves the original untouched and the temporary file removed, and raises
``WriteError`` with the system's reason.

``expected``: the bytes the caller read (and linted). If the file no longer holds
them when we are about to replace it (an editor saved it meanwhile, a line was
appended), nothing is written and ``FileChanged`` is raised: writing would lose that
change.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class WriteError(Exception):
    """The file could not be written; the original is intact."""


class FileChanged(Exception):
    """The file changed since it was read; it was not written."""


def _holds(path: Path, expected: bytes) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(expected) + 1) == expected
    except OSError:
        return False


def replace_file(path: str | Path, data: bytes, expected: bytes | None = None) -> None:
    """Replace ``path`` with ``data`` atomically (see the module's doc). With
    ``expected``, only if the file still holds exactly those bytes."""
    target = Path(os.path.realpath(path))  # a symlink stays a symlink: write its target
    if expected is not None and not _holds(target, expected):
        raise FileChanged(f"{path}: changed since it was read")
    try:
        st: os.stat_result | None = target.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
    if not target.parent.is_dir():
        raise WriteError(f"cannot write {path}: the directory {target.parent} does not exist")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".hpt-lint.tmp",
                                   dir=target.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            if st is not None:
                os.fchmod(fh.fileno(), st.st_mode & 0o7777)
                with contextlib.suppress(OSError):  # only root may give a file away
                    os.fchown(fh.fileno(), st.st_uid, st.st_gid)
        if expected is not None and not _holds(target, expected):
            raise FileChanged(f"{path}: changed since it was read")
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}; the file is "
                         "unchanged") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


__all__ = ["FileChanged", "WriteError", "replace_file"]
