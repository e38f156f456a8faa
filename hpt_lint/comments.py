"""Comments: the real comments of a file, as its own language's tokenizer sees them.

A ``#`` inside a string value is not a comment, so a ``# hpt-lint: ...`` directive
written there must not count. Each file kind finds its comments with its own
tokenizer, never with a regular expression over lines:

- YAML: libyaml's scanner. It drops comments, so a comment is a ``#`` in the text
  *between* two tokens (plus a comment after a block scalar's ``|``/``>`` header); it
  runs to the next YAML line break. Past a scanner error, nothing counts.
- Python: ``tokenize`` COMMENT tokens (up to a tokenizer error).
- Notebooks: the comments of each code cell (tokenized as Python), located in the
  ``.ipynb`` file through the cell's JSON escapes.
- JSON: none.

Positions are 1-based (line, column) in the physical file, in the one line model of
``hpt_lint.lines``.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from hpt_lint.lines import COMMENT_END, LineIndex

Locate = Callable[[int], tuple[int, int]]  # index in the comment -> (line, column)


@dataclass(frozen=True, slots=True)
class Comment:
    """One comment, from its ``#`` to the end of its line (the break excluded)."""

    text: str
    line: int
    column: int
    locate: Locate | None = None  # for comments whose characters are escaped (notebooks)

    def position(self, index: int) -> tuple[int, int]:
        """The physical (line, column) of ``text[index]`` (``index`` may be ``len(text)``)."""
        if self.locate is not None:
            return self.locate(index)
        return self.line, self.column + index


def kind_of(suffix: str) -> str | None:
    return {".yaml": "yaml", ".yml": "yaml", ".py": "python",
            ".ipynb": "notebook"}.get(suffix.lower())


def comments(text: str, suffix: str) -> list[Comment]:
    """Every real comment of ``text``, read as the file kind ``suffix`` names."""
    kind = kind_of(suffix)
    if kind == "yaml":
        return list(_yaml(text))
    if kind == "python":
        return list(_python(text, LineIndex(text)))
    if kind == "notebook":
        return _notebook(text)
    return []


_BLOCK_HEADER = re.compile(r"[|>][0-9+-]*(?P<space>[ \t]+)#")


def _yaml(text: str) -> Iterator[Comment]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    end = COMMENT_END["yaml"]
    index = LineIndex(text)
    gaps: list[tuple[int, int]] = []
    previous = 0
    try:
        for token in yaml.scan(text, Loader=loader):
            start, stop = token.start_mark.index, token.end_mark.index
            if start > previous:
                gaps.append((previous, start))
            if isinstance(token, yaml.ScalarToken) and token.style in ("|", ">"):
                header = _BLOCK_HEADER.match(text, start)
                if header is not None:
                    at = header.end() - 1
                    stop_at = end.search(text, at)
                    gaps.append((at, stop_at.start() if stop_at else len(text)))
            previous = max(previous, stop)
    except yaml.YAMLError:
        pass  # after a scanner error nothing is known to be a comment
    else:
        gaps.append((previous, len(text)))
    for begin, stop in gaps:
        i = text.find("#", begin, stop)
        while i != -1:
            m = end.search(text, i, len(text))
            close = m.start() if m else len(text)
            yield Comment(text[i:close], *index.at(i))
            i = text.find("#", close, stop)


def _python(text: str, index: LineIndex, first_line: int = 1) -> Iterator[Comment]:
    # newline=None: "\r\n" and "\r" read as "\n", so tokenize counts lines as we do
    readline = io.StringIO(text, newline=None).readline
    try:
        for tok in tokenize.generate_tokens(readline):
            if tok.type == tokenize.COMMENT:
                yield Comment(tok.string, tok.start[0] + first_line - 1, tok.start[1] + 1)
    except (tokenize.TokenError, SyntaxError, ValueError):
        return


def _notebook(text: str) -> list[Comment]:
    from hpt_lint.loaders.errors import LoadError
    from hpt_lint.loaders.notebook_loader import cell_program, code_cells

    try:
        cells = code_cells(text)
    except (LoadError, RecursionError):
        return []
    out: list[Comment] = []
    for cell in cells:
        program = cell_program(cell.text)  # None: a %%bash (...) cell, not Python
        if program is None:
            continue
        for c in _python(program, LineIndex(cell.text)):
            def locate(i: int, c: Comment = c, mapper: object = cell.mapper) -> tuple[int, int]:
                return mapper(c.line, c.column + i)  # type: ignore[operator]

            out.append(Comment(c.text, *locate(0), locate=locate))
    return out


__all__ = ["Comment", "comments", "kind_of"]
