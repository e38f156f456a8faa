"""Jupyter notebooks: the code cells, in order, read as one Python program.

The ``.ipynb`` JSON is parsed with positions (``json_loader``), so every character
of a cell's source is located in the file, through JSON escapes (``\\"`` and
``\\n`` are two characters in the file, one in the cell). Each code cell is parsed
on its own, after IPython lines (``!cmd``, ``%magic``, ``x = !cmd``, ``obj?``) are
neutralised without changing line numbers; cell-magic cells (``%%bash``,
``%%writefile``, ...) are skipped, except the magics that run Python
(``%%time``, ``%%capture``, ...). A cell that still does not parse is skipped,
unless it holds the call (then it is HPT001). Names bound in earlier cells resolve
in later ones, as when the notebook runs top to bottom.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hpt_lint.lines import LINE_BREAK, LineIndex, split_lines
from hpt_lint.loaders.document import Document
from hpt_lint.loaders.errors import LoadError
from hpt_lint.loaders.json_loader import load_json
from hpt_lint.loaders.limits import DEFAULT_LIMITS, Limits
from hpt_lint.loaders.python_loader import (
    analyse,
    count_tokens,
    mentions_a_call,
    parse,
    too_many_tokens,
)
from hpt_lint.loaders.python_source import Source
from hpt_lint.request import JsonPath, SourceMap, Span

# cell magics whose body is Python
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "python",
                                "python3", "pypy"})
_LINE_MAGIC = re.compile(r"^([ \t]*)[!%]")
_ASSIGNED_MAGIC = re.compile(r"^([ \t]*[A-Za-z_][\w.,\[\]\"' \t]*=[ \t]*)[!%]")
_HELP = re.compile(r"^([ \t]*)[\w.]+\?{1,2}[ \t]*$")
_NEWLINE = LINE_BREAK


def neutralise(text: str) -> str:
    """IPython-only lines -> Python lines that bind nothing we follow; same line count,
    and the columns before the change are kept."""
    lines = _NEWLINE.split(text)
    out: list[str] = []
    continued: str | None = None  # indent of a magic continued with a backslash
    for line in lines:
        if continued is not None:
            out.append(continued + "pass")
            if not line.rstrip().endswith("\\"):
                continued = None
            continue
        assigned = _ASSIGNED_MAGIC.match(line)
        magic = _LINE_MAGIC.match(line) or _HELP.match(line)
        if assigned:
            out.append(assigned.group(1) + "_ipython_")
        elif magic:
            out.append(magic.group(1) + "pass")
        else:
            out.append(line)
            continue
        if line.rstrip().endswith("\\"):
            continued = re.match(r"[ \t]*", line).group(0)  # type: ignore[union-attr]
    return "\n".join(out)


_RUN_CELL_MAGIC = re.compile(
    r'^get_ipython\(\)\.run_cell_magic\("([^"\\]*)", "((?:[^"\\]|\\.)*)", """', re.MULTILINE)
_CLOSE = re.compile(r'(?<!\\)"""\)')


def unwrap_cell_magics(text: str) -> tuple[str, dict[int, int]]:
    """jupyterlab-lsp's virtual document of a notebook writes a cell magic as
    ``get_ipython().run_cell_magic("time", "", BODY)``, BODY in triple double quotes
    (``\"\"\"`` inside it escaped). For the magics that run
    Python (``%%time``, ...), BODY is the cell's code: the call around it is taken
    off, keeping every line where it is. Returns the text and, for each line whose
    start was cut, how many characters were cut (add them back to a column there)."""
    shifts: dict[int, int] = {}
    out: list[str] = []
    at = 0
    for match in _RUN_CELL_MAGIC.finditer(text):
        if match.start() < at or match.group(1) not in PYTHON_CELL_MAGICS:
            continue
        close = _CLOSE.search(text, match.end())
        if close is None:
            continue
        out.append(text[at:match.start()])
        body = text[match.end():close.start()]
        out.append(body.replace('\\"\\"\\"', '"""   '))
        out.append(" " * (close.end() - close.start()))
        shifts[text.count("\n", 0, match.start()) + 1] = match.end() - match.start()
        at = close.end()
    out.append(text[at:])
    return "".join(out), shifts


def cell_program(text: str) -> str | None:
    """The Python the linter reads of one code cell, as the notebook runs it: None for a
    cell that is blank or whose cell magic runs something other than Python
    (``%%bash``, ``%%writefile``, ...); otherwise the cell with its IPython lines
    neutralised (same lines; the columns before each change kept)."""
    if not text.strip():
        return None
    first = split_lines(text.lstrip())[0]
    if first.startswith("%%"):  # a cell magic: its body is Python only for a few
        words = first[2:].split()
        if not words or words[0] not in PYTHON_CELL_MAGICS:
            return None
    return neutralise(text)


def skips_when_unparsable(text: str) -> bool:
    """A code cell that does not parse is left out of the program, unless it holds the
    call (then the notebook's HPT001 is that cell's syntax error)."""
    return not mentions_a_call(text)


@dataclass(frozen=True)
class Program:
    """A notebook's code cells joined into one Python text, top to bottom, as
    ``load_notebook`` reads them: ``starts[i]`` is the 1-based line of the text where
    cell ``i`` begins, or None if that cell is left out (blank, not Python, or not
    parsing and holding no call). A cell keeps its own lines and columns."""

    text: str
    starts: tuple[int | None, ...]
    lengths: tuple[int, ...]  # lines of each cell

    def cell_at(self, line: int) -> tuple[int, int] | None:
        """Text line -> (cell index, 1-based line in that cell), or None between cells."""
        for index, (start, length) in enumerate(zip(self.starts, self.lengths, strict=True)):
            if start is not None and start <= line < start + length:
                return index, line - start + 1
        return None


def _kept(text: str) -> str | None:
    """The program of a code cell the notebook's program holds, or None if it is left
    out: blank, not Python, or not parsing and holding no call."""
    program = cell_program(text)
    if program is not None:
        try:
            parse(Source(program))
        except LoadError:
            if skips_when_unparsable(text):
                return None
    return program


VIRTUAL_CELL_SEPARATOR = "\n\n\n"  # jupyterlab-lsp: two blank lines between cells


def virtual_document_program(text: str) -> tuple[str, dict[int, int]]:
    """jupyterlab-lsp's virtual document of a notebook (its cells joined by two blank
    lines, IPython rewritten by its overrides) -> the program the CLI would read, line
    for line: ``%%time`` cells unwrapped, IPython lines neutralised, and, when the
    whole does not parse, each part between two blank lines treated as a cell (a cell
    being typed, that does not parse, is left out as blank lines). Returns the program
    and the column shifts of ``unwrap_cell_magics``."""
    text, shifts = unwrap_cell_magics(text)
    whole = neutralise(text)
    try:
        parse(Source(whole))
        return whole, shifts  # it all parses: no need to guess where cells start
    except LoadError:
        pass
    parts = []
    for chunk in text.split(VIRTUAL_CELL_SEPARATOR):
        program = _kept(chunk)
        parts.append(program if program is not None
                     else "\n" * (len(split_lines(chunk)) - 1))
    return VIRTUAL_CELL_SEPARATOR.join(parts), shifts


def join_cells(cells: Sequence[str]) -> Program:
    """Code cells (their text, in order) -> one Program: what the language server lints
    for a notebook whose cells the editor sends one by one."""
    parts: list[str] = []
    starts: list[int | None] = []
    lengths: list[int] = []
    line = 1
    for text in cells:
        length = len(split_lines(text))
        lengths.append(length)
        program = _kept(text)
        if program is None:
            starts.append(None)
            continue
        starts.append(line)
        parts.append(program)
        line += length
    return Program("\n".join(parts), tuple(starts), tuple(lengths))


def _raw_offsets(raw: str) -> list[int]:
    """For each character of the decoded JSON string, its offset in the raw text
    between the quotes (plus one entry for the end)."""
    offsets: list[int] = []
    i, n = 0, len(raw)
    while i < n:
        offsets.append(i)
        if raw[i] == "\\" and i + 1 < n:
            if raw[i + 1] == "u":
                step = 6
                try:
                    code = int(raw[i + 2:i + 6], 16)
                    if 0xD800 <= code < 0xDC00 and raw[i + 6:i + 8] == "\\u" \
                            and 0xDC00 <= int(raw[i + 8:i + 12], 16) < 0xE000:
                        step = 12
                except ValueError:
                    pass
                i += step
            else:
                i += 2
        else:
            i += 1
    offsets.append(n)
    return offsets


@dataclass
class _Piece:
    """One JSON string of a cell's source: where it starts in the cell text and where
    its raw characters are in the file."""

    start: int  # offset of its first character in the cell text
    line: int  # physical line of the string token
    column: int  # physical column of its opening quote
    offsets: list[int]


class CellMap:
    """Cell (line, column) -> physical (line, column), through JSON escapes."""

    def __init__(self, text: str, pieces: list[_Piece]) -> None:
        self.pieces = pieces
        self.starts = [p.start for p in pieces]
        self.line_starts = LineIndex(text).starts
        self.length = len(text)

    def __call__(self, line: int, column: int) -> tuple[int, int]:
        index = min(max(line, 1), len(self.line_starts)) - 1
        offset = min(self.line_starts[index] + max(column, 1) - 1, self.length)
        j = max(0, bisect.bisect_right(self.starts, offset) - 1)
        if offset == self.length and j > 0 and offset == self.starts[j] \
                and len(self.pieces[j].offsets) == 1:
            j -= 1
        piece = self.pieces[j]
        within = min(offset - piece.start, len(piece.offsets) - 1)
        return piece.line, piece.column + 1 + piece.offsets[within]


def _cells(data: Any) -> tuple[list[Any], JsonPath, str]:
    if not isinstance(data, dict):
        raise LoadError("not a Jupyter notebook: the top level is not a JSON object")
    if "cells" in data:
        if not isinstance(data["cells"], list):
            raise LoadError("not a Jupyter notebook: `cells` is not a list")
        return data["cells"], ("cells",), "source"
    sheets = data.get("worksheets")  # nbformat 3
    if isinstance(sheets, list) and sheets and isinstance(sheets[0], dict) \
            and isinstance(sheets[0].get("cells"), list):
        return sheets[0]["cells"], ("worksheets", 0, "cells"), "input"
    raise LoadError("not a Jupyter notebook: it has no `cells` list")


PYTHON_LANGUAGES = frozenset({"python", "python2", "python3", "ipython", "ipython2",
                              "ipython3", "pypy", "pypy3"})


def notebook_language(data: Any) -> str | None:
    """The language a notebook's metadata declares when it is not Python (``R`` for an
    IRkernel notebook), else None. A notebook that declares nothing is Python."""
    if not isinstance(data, dict):
        return None
    metadata = data.get("metadata")
    if not isinstance(metadata, dict):
        return None
    for section, key in (("kernelspec", "language"), ("language_info", "name")):
        block = metadata.get(section)
        value = block.get(key) if isinstance(block, dict) else None
        if isinstance(value, str) and value.strip() \
                and value.strip().lower() not in PYTHON_LANGUAGES:
            return value.strip()
    return None


def _token(lines: list[str], span: Span) -> str:
    """The raw text of a JSON string token between its quotes (tokens are one line)."""
    if span.line != span.end_line or not 1 <= span.line <= len(lines):
        return ""
    return lines[span.line - 1][span.column:span.end_column - 2]


@dataclass
class Cell:
    """One non-blank code cell: its number (from 1), its text, and where its characters
    are in the file."""

    number: int
    text: str
    mapper: CellMap
    strings: list[tuple[str, JsonPath]]
    pieces: list[_Piece]
    single: bool  # the source is one string, not a list of lines


def code_cells(text: str, limits: Limits = DEFAULT_LIMITS) -> list[Cell]:
    """The code cells of a Python notebook, located in the file (none for an R or Scala
    notebook). Raises LoadError if the file is not a notebook."""
    (doc,) = load_json(text, limits)
    if notebook_language(doc.value) is not None:
        return []  # an R or Scala notebook: its cells are not Python (not a request here)
    cells, base, source_key = _cells(doc.value)
    file_lines = split_lines(text)
    out: list[Cell] = []
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get(source_key)
        cpath: JsonPath = (*base, number - 1, source_key)
        strings: list[tuple[str, JsonPath]]
        if isinstance(source, str):
            strings = [(source, cpath)]
        elif isinstance(source, list) and all(isinstance(s, str) for s in source):
            strings = [(s, (*cpath, i)) for i, s in enumerate(source)]
        else:
            continue
        cell_text = "".join(s for s, _ in strings)
        if not cell_text.strip():
            continue
        pieces = _pieces(strings, doc.source_map, file_lines)
        if not pieces:
            continue
        out.append(Cell(number, cell_text, CellMap(cell_text, pieces), strings, pieces,
                        len(strings) == 1 and isinstance(source, str)))
    return out


def load_notebook(text: str, limits: Limits = DEFAULT_LIMITS) -> list[Document]:
    if not mentions_a_call(text):
        return []  # nothing to find: not even parsed (a broken one is not a request)
    modules: list[tuple[ast.Module, Source]] = []
    context: dict[int, str] = {}
    tokens = 0
    for cell in code_cells(text, limits):
        _note_context(context, cell.number, cell.strings, cell.pieces, cell.single)
        program = cell_program(cell.text)
        if program is None:
            continue
        tokens += count_tokens(cell.text)  # one budget for all the cells together
        if tokens > limits.max_python_tokens:
            raise LoadError(too_many_tokens(limits))
        mapped = Source(program, cell.mapper)
        try:
            tree = parse(mapped)
        except LoadError as exc:
            if not skips_when_unparsable(cell.text):
                raise LoadError(f"{exc.message} (cell {cell.number})", exc.line,
                                exc.column) from None
            continue
        modules.append((tree, mapped))
    try:
        docs = analyse(modules, "notebook", limits)
    except RecursionError:
        raise LoadError("the code nests too deeply to read safely") from None
    for d in docs:
        d.source_map.context = context
        d.source_map.in_json_strings = True
    return docs


def _pieces(strings: list[tuple[str, JsonPath]], smap: SourceMap,
            file_lines: list[str]) -> list[_Piece]:
    pieces: list[_Piece] = []
    start = 0
    for value, path in strings:
        entry = smap.get(path)
        if entry is None:
            return []
        raw = _token(file_lines, entry.value)
        offsets = _raw_offsets(raw)
        if len(offsets) != len(value) + 1:
            # cannot line the escapes up: every character maps to the string's start
            offsets = [0] * (len(value) + 1)
        pieces.append(_Piece(start, entry.value.line, entry.value.column, offsets))
        start += len(value)
    return pieces


def _note_context(context: dict[int, str], number: int, strings: list[tuple[str, JsonPath]],
                  pieces: list[_Piece], single: bool) -> None:
    if single:
        context.setdefault(pieces[0].line, f"cell {number}")
        return
    cell_line = 1
    for (value, _), piece in zip(strings, pieces, strict=True):
        context.setdefault(piece.line, f"cell {number}, line {cell_line}")
        cell_line += len(_NEWLINE.findall(value))
