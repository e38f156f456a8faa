"""The language server behind ``hpt-lint lsp``.

Only this package imports pygls and lsprotocol (about 0.8 s of imports), and only
``hpt-lint lsp`` imports this package: ``hpt-lint check`` never pays for it.
``positions``, ``documents``, ``hover`` and ``completion`` are plain Python;
``server`` holds the protocol, ``notebooks`` its LSP 3.17 notebook documents, and
``wrap`` the ``hpt-lint lsp --wrap`` relay. ``jupyter_spec`` is the jupyter-lsp entry
point: the Jupyter server imports it, so it imports neither pygls nor the linter.
"""

from __future__ import annotations


def serve() -> None:
    """Run the server over stdio until the client exits."""
    from hpt_lint.lsp.server import serve as _serve

    _serve()
