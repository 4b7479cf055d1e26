"""Columnar batches of string cells for the validation engine.

pyarrow parses a CSV in C (quoted newlines, CRLF, any encoding) and the engine checks whole
columns at once. Files pyarrow refuses (an unclosed quote at the end, a row wider than a
parse block…) go through Python's csv module, which reads what frictionless reads.
Spreadsheets come from :mod:`.sheets`, streamed.

Row numbers are *record* numbers, exactly as frictionless's ``rowNumber``: a quoted
newline inside a cell does not shift them, a blank line counts as a row. ``Batch.lines``
keeps the physical line where each record starts, for people who open the file in a text
editor. Each batch also carries the *marks* of its cells (:mod:`.marks`).
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moisinno_data.errors import InputError
from moisinno_data.reading import marks as _marks
from moisinno_data.reading.archive import fail
from moisinno_data.reading.budget import DEFAULT, Budget, current
from moisinno_data.reading.cells import (
    BooleanText,
    DayText,
    DurationText,
    FormulaError,
    MomentText,
    NumberText,
    PercentNumber,
    ShownDuration,
    ShownNumber,
    duration_seconds,
)
from moisinno_data.reading.hidden import HiddenCells
from moisinno_data.reading.sheets import SPREADSHEET_FORMATS, past_header, sheet_rows
from moisinno_data.reading.sniff import separator_lines, skip_separator_line, text_encoding

BLOCK_BYTES = 1 << 20
"""pyarrow's parse block: small enough to keep memory low, big enough to be fast."""
BATCH_CELLS = 4_000_000
"""Cells of a batch (rows × header width), at most: a blank line or a short row is one
byte of the file but a whole row of cells in a batch, so a batch is cut by its cells,
not only by its rows (a million blank lines under a 27-column header cost gigabytes)."""
BATCH_TEXT = 64 << 20
"""Characters of a spreadsheet's batch, at most: 480 rows of a 1 MB cell (500 KB zipped)
were one batch, held as Python strings and again by polars, 1.7 GB at the peak. A CSV
batch is cut by its bytes already (:data:`BLOCK_BYTES`)."""


def rows_per_batch(batch_rows: int, ncols: int) -> int:
    """``batch_rows``, fewer for a wide header (:data:`BATCH_CELLS`)."""
    return max(1, min(batch_rows, BATCH_CELLS // max(ncols, 1)))


def too_wide(path: Path, line: int, count: int, budget: Budget) -> Exception:
    """A row of more cells than any sheet has: refused before its cells are built one by
    one (one Python object each: 48 MB of ``x;`` made 6 GB)."""
    return fail(
        path,
        f"la ligne {line} a {count} cellules, au-delà de {budget.max_cols} colonnes ; "
        "vérifiez le séparateur, ou coupez cette ligne.",
        f"line {line} has {count} cells, past {budget.max_cols} columns; check the "
        "separator, or cut this line.",
    )


@dataclass
class Batch:
    """A slice of the data rows, columnar, for the engine.

    ``frame`` holds one Utf8 column per header position (``c0``, ``c1``…); a cell absent
    from a short row is null, an empty cell is ``""``. ``rows``/``lines`` are the record
    number and the physical start line of each frame row — not necessarily ascending
    within a batch (ragged rows come last); batches themselves follow the file. ``extra``
    lists the cells beyond the header of over-long rows: ``(row, line, [(column, value), …])``.
    ``marks`` lists what the cells' bytes say (:mod:`.marks`).
    """

    frame: Any  # polars.DataFrame
    rows: Any  # numpy int64 array
    lines: Any  # numpy int64 array
    extra: list[tuple[int, int, list[tuple[int, str]]]] = field(default_factory=list)
    nbytes: int = 0
    pre: Any = None
    """The engine's batch query result, once computed (polars.DataFrame)."""
    marks: list[_marks.Mark] = field(default_factory=list)
    numbers: dict[int, Any] = field(default_factory=dict)
    """Spreadsheets: for each column holding cells the spreadsheet stored as numbers
    (:class:`.cells.NumberText`), its index and a numpy mask of those rows."""
    days: dict[int, Any] = field(default_factory=dict)
    """Spreadsheets: the same for date-times at midnight written as their day
    (:class:`.cells.DayText`)."""
    formula_errors: dict[int, Any] = field(default_factory=dict)
    """Spreadsheets: the same for error values of formulas (:class:`.cells.FormulaError`)."""
    moments: dict[int, Any] = field(default_factory=dict)
    """Spreadsheets: the same for other date-times and times (:class:`.cells.MomentText`)."""
    booleans: dict[int, Any] = field(default_factory=dict)
    """Spreadsheets: the same for booleans (:class:`.cells.BooleanText`)."""
    percents: dict[int, Any] = field(default_factory=dict)
    """Spreadsheets: the same for numbers shown as percentages
    (:class:`.cells.PercentNumber`), also in ``numbers``."""
    durations: dict[int, Any] = field(default_factory=dict)
    """Spreadsheets: the same for durations whose shown form is not known
    (:class:`.cells.DurationText`), warned of in a text field."""
    elapsed: dict[int, dict[int, int]] = field(default_factory=dict)
    """Spreadsheets: for each column holding durations (:class:`.cells.ShownDuration`,
    :class:`.cells.DurationText`), row index → the seconds each holds, which a time or
    duration field reads (:func:`..package.french.duration_in_field`)."""
    formula_columns: set[int] | None = None
    """Columns where a cell may start like a spreadsheet formula (:func:`.marks.
    formula_columns`); None: not looked at, any column may."""

    def renumbered(self, records: int, lines: int) -> Batch:
        """This batch ``records`` records and ``records + lines`` physical lines further
        into the file (a piece read on its own, the lines above the table)."""
        if records or lines:
            self.rows = self.rows + records
            self.lines = self.lines + records + lines
            self.extra = [(r + records, ln + records + lines, c) for r, ln, c in self.extra]
            self.marks = [
                (k, r + records, ln + records + lines, c, f) for k, r, ln, c, f in self.marks
            ]
        return self


class Reencode(Exception):
    """A byte after the sampled megabyte is not UTF-8: classify the whole file and read
    it again (:func:`.sniff.classify`)."""


class UsePythonParser(Exception):
    """pyarrow could not parse the file: read it again with Python's csv module."""


def iter_batches(
    path: str | Path,
    detected: dict[str, Any],
    ncols: int,
    *,
    batch_rows: int = 65_536,
    header_lines: int = 1,
    budget: Budget | None = None,
    text_columns: Iterable[int] = (),
    merges: list | None = None,
    hidden: HiddenCells | None = None,
) -> Iterator[Batch]:
    """Data rows of ``path`` as columnar :class:`Batch` es of about ``batch_rows`` rows.

    Peak memory depends on ``batch_rows``, not on the file size. ``ncols`` is the number
    of header cells: rows with another count are ragged and handled exactly (missing
    cells are null, extra cells are listed in ``Batch.extra``). The budget is resolved
    here, where the reading starts (a worker thread would not see :func:`.budget.limits`).
    ``text_columns``: the columns whose cells may be formulas worth telling; a CSV's
    batches say which of them may hold one (``Batch.formula_columns``). ``merges``: where
    a workbook's merged cells are noted as its rows are read (:func:`.sheets.merged_cells`);
    ``hidden``: its hidden rows and columns (:mod:`.hidden`).
    """
    path, budget = Path(path), current(budget)
    batch_rows = rows_per_batch(batch_rows, ncols)
    if detected["format"] in SPREADSHEET_FORMATS:
        return _sheet_batches(path, detected, ncols, batch_rows, budget, (merges, hidden))
    if detected.get("parser") == "python":
        batches = _python_batches(path, detected, ncols, batch_rows, budget)
    else:
        from moisinno_data.reading.csv_arrow import arrow_batches

        texts = frozenset(text_columns)
        batches = arrow_batches(path, detected, ncols, batch_rows, header_lines, budget, texts)
    above = separator_lines(detected)
    return _below(batches, above) if above else batches


def _below(batches: Iterator[Batch], above: int) -> Iterator[Batch]:
    """``batches`` with their physical lines counted from the file's first line, ``above``
    lines above the table (an Excel ``sep=`` line); the reader is closed with this."""
    try:
        for batch in batches:
            yield batch.renumbered(0, above)
    finally:
        close = getattr(batches, "close", None)
        if close is not None:
            close()


def columnar(
    chunk: list[tuple[int, int, list[str]]],
    ncols: int,
    budget: Budget,
    nbytes: int = 0,
    *,
    sheet: bool = False,
) -> Batch:
    """A :class:`Batch` from ``(row, line, cells)`` tuples (a blank line is ``[]``);
    ``sheet``: the cells come from a spreadsheet, note its numbers (``Batch.numbers``)."""
    import numpy as np
    import polars as pl

    names = [f"c{i}" for i in range(ncols)]
    extra = [(n, line, beyond(c, ncols, sheet)) for n, line, c in chunk if len(c) > ncols]
    if sheet:
        extra = [e for e in extra if e[2]]
    # One Series of every cell, column after column, cut into the columns (views): a
    # Series built per column cost 0.8 s for one row of 16,000 cells, and more per cell
    # for the usual narrow batches too.
    n = len(chunk)
    cells = [c for _n, _l, c in chunk]
    reach, absent = _reach(cells, ncols, sheet)
    flat = pl.Series(
        [c[i] if i < len(c) else absent for i in range(reach) for c in cells], dtype=pl.String
    )
    frame = pl.DataFrame([flat.slice(i * n, n).alias(names[i]) for i in range(reach)])
    if reach < ncols:  # one Series, named again (a pl.lit each cost 0.2 ms a column)
        past = pl.Series("", [absent] * n, dtype=pl.String)
        frame = frame.hstack([past.alias(name) for name in names[reach:]])
    maybe = flat.str.contains(_marks.MAY_START_FORMULA).fill_null(False).to_numpy()
    formulas = set(np.flatnonzero(maybe.reshape(reach, n).any(axis=1)).tolist()) if n else set()
    rows = np.array([n for n, _l, _c in chunk], dtype=np.int64)
    lines = np.array([line for _n, line, _c in chunk], dtype=np.int64)
    found = _marks.frame_marks(frame, rows, lines, range(reach), budget)
    typed = _typed_cells(chunk, ncols) if sheet else {}
    return Batch(
        frame=frame,
        rows=rows,
        lines=lines,
        extra=extra,
        nbytes=nbytes,
        marks=found,
        formula_columns=formulas,
        numbers=typed.get(NumberText, {}),
        days=typed.get(DayText, {}),
        formula_errors=typed.get(FormulaError, {}),
        moments=typed.get(MomentText, {}),
        booleans=typed.get(BooleanText, {}),
        percents=typed.get(PercentNumber, {}),
        durations=typed.get(DurationText, {}),
        elapsed=_durations(chunk, ncols)
        if typed.get(ShownDuration) or typed.get(DurationText)
        else {},
    )


def _reach(cells: list[list[str]], ncols: int, sheet: bool) -> tuple[int, str | None]:
    """The header's columns that a row of the batch reaches (one at least: the frame's
    height is the rows'), and what stands past a row's end: nothing in a CSV (a missing
    cell, null), an empty cell in a sheet, whose row ends at its last cell. The columns
    past the reach are one value each, not a cell per row: under a label typed in column
    XFD, a batch of rows two cells wide was 16,384 Python cells a row."""
    reach = min(ncols, max(map(len, cells), default=0))
    return max(reach, min(ncols, 1)), "" if sheet else None


def _typed_cells(chunk: list[tuple[int, int, list[str]]], ncols: int) -> dict[type, dict]:
    """A spreadsheet's typed cells (:mod:`.cells`): for each kind (``NumberText``…), column
    index → mask of the rows whose cell is of that kind (``Batch.numbers``, ``Batch.days``,
    ``Batch.formula_errors``, ``Batch.moments``, ``Batch.booleans``). One look at each
    cell; only the few typed ones cost more."""
    import numpy as np

    kinds = (NumberText, DayText, FormulaError, MomentText, BooleanText, DurationText)
    found: dict[type, dict[int, Any]] = {kind: {} for kind in (*kinds, ShownDuration)}
    found[ShownNumber] = found[NumberText]  # a number whatever its format shows
    found[PercentNumber] = found[NumberText]
    percents: dict[int, Any] = {}  # a percentage is a number too, and marked apart
    for k, (_n, _l, cells) in enumerate(chunk):
        for i, value in enumerate(cells[:ncols]):
            masks = found.get(type(value))
            if masks is not None:
                if i not in masks:
                    masks[i] = np.zeros(len(chunk), dtype=bool)
                masks[i][k] = True
                if type(value) is PercentNumber:
                    if i not in percents:
                        percents[i] = np.zeros(len(chunk), dtype=bool)
                    percents[i][k] = True
    return {**found, PercentNumber: percents}


def _durations(chunk: list[tuple[int, int, list[str]]], ncols: int) -> dict[int, dict[int, int]]:
    """``Batch.elapsed``: the seconds of each duration cell, by column and row index (a
    second look, only at a batch that holds some)."""
    found: dict[int, dict[int, int]] = {}
    for k, (_n, _l, cells) in enumerate(chunk):
        for i, value in enumerate(cells[:ncols]):
            seconds = duration_seconds(value)
            if seconds is not None:
                found.setdefault(i, {})[k] = seconds
    return found


def raise_field_limit(budget: Budget) -> None:
    """Python's csv module refuses cells over 131,072 characters by default: a long cell
    is a finding (``cell-too-long``), not an unreadable file, up to the budget's cap."""
    # The csv module's limit is the process's: never lowered (another thread may be
    # reading with a bigger budget). A CSV cell costs the bytes it is made of, so the
    # default cap holds for every budget (a smaller one matters for workbooks).
    wanted = max(budget.max_cell_bytes, DEFAULT.max_cell_bytes)
    if csv.field_size_limit() < wanted:
        csv.field_size_limit(min(wanted, sys.maxsize))


def not_all_in(path: Path, encoding: str) -> InputError:
    """Bytes the file's encoding cannot read: in practice UTF-16, whose mark starts the
    file (UTF-8 and the 8-bit encodings are read another way). Python's reason ("codec
    can't decode byte 0x0a in position 0: truncated data") tells a sender nothing."""
    return fail(
        path,
        f"octets invalides pour l'encodage {encoding} : le fichier n'est pas dans cet encodage "
        "d'un bout à l'autre (une partie vient sans doute d'un autre fichier) ; enregistrez-le "
        "à nouveau, en « CSV UTF-8 ».",
        f"bytes that are not {encoding}: the file is not in this encoding from end to end (a "
        'part probably comes from another file); save it again, as "CSV UTF-8".',
    )


def unreadable_line(path: Path, exc: csv.Error, line: int, began: int | None = None) -> InputError:
    """Python's csv module's refusal of a line, said in a sentence: the one a steward can
    meet, a cell over the limit (an unclosed quote swallowing the rest of the file, most
    often), names the limit and the line where its record ``began`` — where the quote
    opens, not ``line``, where the limit was passed hundreds of thousands of lines on;
    any other keeps the module's words."""
    limit = re.search(r"field larger than field limit \((\d+)\)", str(exc))
    if limit is None:
        return fail(path, f"ligne {line} illisible ({exc}).", f"line {line} unreadable ({exc}).")
    n = int(limit.group(1))
    grouped = f"{n:,}".replace(",", "\u202f")
    where, where_en = f"ligne {line}, une cellule", f"line {line}, a cell"
    if began is not None and began < line:
        where = f"la cellule commencée ligne {began} (lue jusqu'à la ligne {line})"
        where_en = f"the cell begun on line {began} (read up to line {line})"
    return InputError(
        f"{path} : {where} dépasse {grouped} caractères, la taille maximale lue : vérifiez "
        "qu'aucun guillemet n'est resté ouvert et que le séparateur est le bon.",
        en=f"{path}: {where_en} exceeds {n:,} characters, the maximum read: check that no "
        "quote was left open and that the delimiter is the right one.",
    )


def _python_batches(
    path: Path, detected: dict[str, Any], ncols: int, batch_rows: int, budget: Budget
) -> Iterator[Batch]:
    """Python's csv module, for files pyarrow refuses (an unclosed quote at the end…).

    Slower, but it reads what frictionless reads, so the report still matches it.
    """
    ncols = max(ncols, 1)
    raise_field_limit(budget)
    encoding = text_encoding(detected)
    with open(path, encoding=encoding, newline="", errors="replace") as fh:
        skip_separator_line(fh, detected)
        reader = csv.reader(fh, delimiter=detected["delimiter"], strict=False)
        next(reader, None)
        start = reader.line_num + 1
        chunk: list[tuple[int, int, list[str]]] = []
        number = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                cells = None
            except csv.Error as exc:
                raise unreadable_line(path, exc, reader.line_num, start) from None
            if cells is not None and len(cells) > budget.max_cols:
                raise too_wide(path, start, len(cells), budget)
            if cells is not None:
                number += 1
                chunk.append((number, start, cells))
                start = reader.line_num + 1
            if chunk and (cells is None or len(chunk) >= batch_rows):
                budget.check_time(path)
                yield columnar(chunk, ncols, budget)
                chunk = []
            if cells is None:
                return


def beyond(cells: list[str], ncols: int, sheet: bool) -> list[tuple[int, str]]:
    """The cells of a row past the header's ``ncols``, by column number, as validate
    reports them (``extra-cell``) and the report pages show them: a sheet's filled ones
    (:func:`.sheets.past_header`); a CSV row's empty cells are there, between
    separators, and are kept."""
    if sheet:
        return past_header(cells, ncols)
    return [(i + 1, cells[i]) for i in range(ncols, len(cells))]


def _sheet_batches(
    path: Path,
    detected: dict[str, Any],
    ncols: int,
    batch_rows: int,
    budget: Budget,
    notes: tuple[list | None, HiddenCells | None],
) -> Iterator[Batch]:
    sheet, (merges, hidden) = detected["sheet"], notes
    rows = sheet_rows(
        path, detected["format"], sheet, budget, padded=False, merges=merges, hidden=hidden
    )
    next(rows, None)  # the header
    chunk: list[tuple[int, int, list[str]]] = []
    text = 0
    for number, cells in enumerate(rows, start=2):
        chunk.append((number, number, cells))
        text += sum(map(len, cells))
        if len(chunk) >= batch_rows or text >= BATCH_TEXT:
            budget.check_time(path)
            yield columnar(chunk, ncols, budget, sheet=True)
            chunk, text = [], 0
    if chunk:
        yield columnar(chunk, ncols, budget, sheet=True)


QUOTE_TAIL_BYTES = 1 << 20
"""A record that swallowed more than this to the end of the file is past any cell's
length already (``cell-too-long`` says so): it is not looked at again."""


def open_quote_at_end(path: Path, detected: dict[str, Any], line: int) -> int | None:
    """The line breaks a CSV's last record, from physical line ``line`` on, swallowed
    because a quote opened in it is never closed (None if it is): every reader, ours and
    frictionless's, reads the rest of the file as that one cell's text, and a file whose
    last rows so vanished was VALIDE. The record is read again alone, by the csv module,
    which says where pyarrow does not that the file ended inside quotes."""
    encoding = text_encoding(detected)
    if encoding.replace("_", "-").lower().startswith(("utf-16", "utf-32")):
        return None  # its line ends are not the byte b"\n": not looked for
    start, seen = 0, 1
    with open(path, "rb") as fh:
        while seen < line:
            chunk = fh.read(16 << 20)
            if not chunk:
                return None
            breaks = chunk.count(b"\n")
            if seen + breaks < line:
                seen, start = seen + breaks, start + len(chunk)
                continue
            at = -1
            for _ in range(line - seen):
                at = chunk.index(b"\n", at + 1)
            start, seen = start + at + 1, line
        fh.seek(start)
        tail = fh.read(QUOTE_TAIL_BYTES + 1)
    if len(tail) > QUOTE_TAIL_BYTES or b'"' not in tail:
        return None
    text = tail.decode(encoding, errors="replace")
    try:
        next(
            csv.reader(io.StringIO(text, newline=""), delimiter=detected["delimiter"], strict=True)
        )
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            return text.rstrip("\r\n").count("\n")
    except StopIteration:
        pass
    return None


def split_record(text: str, delimiter: str) -> list[str] | None:
    """Cells of one raw record (as pyarrow handed it over), None for a blank line."""
    if text.strip("\r\n") == "":
        return None
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=False))
    if not rows:
        return None
    cells = rows[0]
    for more in rows[1:]:  # a quoted newline split by the csv module: glue it back
        cells[-1] += "\n" + (more[0] if more else "")
        cells.extend(more[1:])
    return cells
