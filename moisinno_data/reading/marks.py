"""What the bytes of a cell say about the file: control characters, lost characters, length.

The reader notes these as *marks* — ``(kind, row, line, column, facts)`` — on each batch;
the validation engine turns them into findings. Kinds:

- ``control-character``: a C0 or C1 control (NUL, ESC…, U+0080–U+009F) in a cell — an
  error: such bytes break spreadsheets and terminals, and mean a damaged export;
- ``replacement-character``: U+FFFD in a cell — a warning: a character was lost before the
  file reached us (most often an accent);
- ``cell-too-long``: a cell longer than ``Budget.long_cell_chars`` (Excel cuts cells at
  32,767 characters; a much longer cell usually comes from an unclosed quote).

Checking every cell with a regex would slow the fast path; the CSV reader first looks at
each column's raw bytes (:func:`suspect_columns`, a few vector operations per column) and
only runs the regexes on the columns that may hold something.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any

from moisinno_data.reading.budget import Budget, current

CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
Mark = tuple[str, int, int, int, dict[str, Any]]
_CONTROL = re.compile(CONTROL)
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")  # a literal prefix: sre finds it with memchr
_FFFD_UTF8 = re.compile(rb"\xef\xbf\xbd")
_NEWLINE = re.compile(rb"\n")
SHOWN_CHARS = 120
SMALL_FRAME = 4096


def cut(value: str, chars: int = SHOWN_CHARS) -> str:
    """Long text cut to ``chars`` characters and "…", as reports quote it (:data:`SHOWN_CHARS`)
    and findings keep it (:data:`~moisinno_data.validation.report.VALUE_CHARS`)."""
    return value[:chars] + ("…" if len(value) > chars else "")


def shown(value: str) -> str:
    """A cell as a report can print it: controls spelled out, long text cut."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", cut(value))


def _column_flags(column: Any, budget: Budget) -> tuple[bool, bool]:
    """(may hold a newline, may hold a mark) for one pyarrow string column.

    Vector reductions over the column's data buffer (read in place, never copied); the
    regexes run on the buffer only when a byte that starts what they look for is there.
    """
    import numpy as np

    _validity, offsets, data = column.buffers()
    if data is None or not len(column) or not data.size:
        return False, False
    view = np.frombuffer(data, dtype=np.uint8)
    if view.min() < 0x20:  # a C0 control (a newline or a tab may be legitimate)
        return _NEWLINE.search(memoryview(data)) is not None, True
    top = int(view.max())
    if top >= 0x7F and (view == 0x7F).any():  # DEL, a control character too
        return False, True
    if top >= 0x80 and ((view == 0xEF).any() or (view == 0xC2).any()):
        raw = memoryview(data)
        if _FFFD_UTF8.search(raw) or _C1_UTF8.search(raw):
            return False, True
    if data.size <= budget.long_cell_chars:  # no cell can be longer than the buffer
        return False, False
    ends = np.frombuffer(offsets, dtype=np.int32)[column.offset : column.offset + len(column) + 1]
    return False, bool(ends.size > 1 and int(np.diff(ends).max()) > budget.long_cell_chars)


def suspect_columns(batches: list, names: list[str], budget: Budget) -> tuple[set[str], set[int]]:
    """Columns of pyarrow record batches that may hold a newline, and those that may hold
    a mark. A "maybe" only costs a regex on that column; a "no" is always right."""
    newline: set[str] = set()
    suspects: set[int] = set()
    for i, name in enumerate(names):
        for record_batch in batches:
            if name in newline:  # a newline is a control byte: already a suspect too
                break
            has_newline, suspect = _column_flags(record_batch.column(name), budget)
            if has_newline:
                newline.add(name)
            if suspect:
                suspects.add(i)
    return newline, suspects


_FORMULA_FIRST_BYTES = b"=+-@ \t\r\n\x0b\x0c\x1c\x1d\x1e\x1f\xc2\xe1\xe2\xe3\xef"
"""First bytes of a cell that may read as a formula (:data:`moisinno_data.package.
spreadsheet.FORMULA_PATTERN`): a trigger, or the first byte in UTF-8 of a leading space,
an invisible character, or a full-width or small trigger. A superset: the pattern decides."""


def formula_columns(
    batches: list, names: list[str], extra_cells: Iterable[list], wanted: Iterable[int]
) -> set[int]:
    """Those of the ``wanted`` columns of pyarrow record batches (and of the ragged rows'
    ``extra_cells``) where a cell may start like a formula: one look at each cell's first
    byte, so that the pattern runs only there, not on every text cell of every file. (An
    empty cell shows the next cell's first byte: a "maybe", never a miss.)"""
    import numpy as np

    first = _first_bytes()
    wanted = set(wanted)
    found: set[int] = set()
    for i, name in enumerate(names):
        if i not in wanted:
            continue
        for record_batch in batches:
            column = record_batch.column(name)
            _validity, offsets, data = column.buffers()
            if data is None or not data.size:
                continue
            starts = np.frombuffer(offsets, np.int32, len(column), 4 * column.offset)
            # np.take: 40% less than indexing here; "clip" for an empty last cell
            heads = np.take(np.frombuffer(data, np.uint8), starts, mode="clip")
            if np.take(first, heads).any():
                found.add(i)
                break
    for cells in extra_cells:
        found.update(
            i
            for i, cell in enumerate(cells)
            if i in wanted and cell and _may_start_formula(cell[0])
        )
    return found


@functools.cache
def _first_bytes() -> Any:
    """:data:`_FORMULA_FIRST_BYTES` as a 256-entry lookup table (numpy booleans)."""
    import numpy as np

    table = np.zeros(256, dtype=bool)
    table[list(_FORMULA_FIRST_BYTES)] = True
    return table


def _may_start_formula(char: str) -> bool:
    """The first character of a cell that may read as a formula (a superset, as above)."""
    return char in "=+-@" or char.isspace() or char < " " or not char.isascii()


MAY_START_FORMULA = r"^(?:[=+\-@\s\x00-\x1f]|[^\x00-\x7f])"
""":func:`_may_start_formula` as a pattern (Rust's regex), for the batches built from
Python's cells (``batches.columnar``)."""


def frame_marks(
    frame: Any, rows: Any, lines: Any, columns: Iterable[int], budget: Budget
) -> list[Mark]:
    """Marks of the cells of ``frame`` (columns ``c0``, ``c1``…) in the given columns.

    Small frames (the ragged rows of a batch) are checked in Python: a polars call per
    column and kind costs more there than the cells themselves.
    """
    marks: list[Mark] = []
    for i in sorted(columns):
        column = frame.get_column(f"c{i}")
        if frame.height < SMALL_FRAME:
            hits = _python_hits(column.to_list(), budget)
        else:
            hits = _polars_hits(column, budget)
        for kind, k, value in hits:
            marks.append((kind, int(rows[k]), int(lines[k]), i + 1, _facts(kind, value)))
    return marks


def _python_hits(values: list, budget: Budget) -> Iterator[tuple[str, int, str]]:
    for k, value in enumerate(values):
        if not value:
            continue
        if _CONTROL.search(value):
            yield "control-character", k, value
        if "\ufffd" in value:
            yield "replacement-character", k, value
        if len(value) > budget.long_cell_chars:
            yield "cell-too-long", k, value


def _polars_hits(column: Any, budget: Budget) -> Iterator[tuple[str, int, str]]:
    checks = {
        "control-character": column.str.contains(CONTROL),
        "replacement-character": column.str.contains("\ufffd", literal=True),
        "cell-too-long": column.str.len_chars() > budget.long_cell_chars,
    }
    for kind, mask in checks.items():
        hits = mask.fill_null(False).arg_true()
        if hits.len():
            values = column.gather(hits).to_list()
            yield from ((kind, k, v) for k, v in zip(hits.to_list(), values, strict=True))


def _facts(kind: str, value: str) -> dict[str, Any]:
    facts: dict[str, Any] = {"value": shown(value)}
    if len(value) > SHOWN_CHARS:
        facts["value_length"] = len(value)  # the finding says its value is cut, as all do
    if kind == "control-character":
        found = _CONTROL.search(value)
        facts["char"] = f"U+{ord(found.group()):04X}" if found else ""
        facts["position"] = found.start() + 1 if found else None
    elif kind == "cell-too-long":
        facts["length"] = len(value)
    return facts


def header_marks(
    header: list[str], budget: Budget | None = None
) -> list[tuple[str, int, dict[str, Any]]]:
    """Marks of the header's cells: ``(kind, column, facts)``."""
    budget = current(budget)
    marks = []
    for column, cell in enumerate(header, start=1):
        if _CONTROL.search(cell):
            marks.append(("control-character", column, _facts("control-character", cell)))
        if "\ufffd" in cell:
            marks.append(("replacement-character", column, _facts("replacement-character", cell)))
        if len(cell) > budget.long_cell_chars:
            marks.append(("cell-too-long", column, _facts("cell-too-long", cell)))
    return marks
