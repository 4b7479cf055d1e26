"""Row by row: the header and a plain row iterator, for small jobs (fixing,
consolidating, the web page). The validation engine reads :mod:`.batches` instead."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moisinno_data.errors import InputError
from moisinno_data.reading.archive import fail
from moisinno_data.reading.batches import not_all_in, raise_field_limit, unreadable_line
from moisinno_data.reading.budget import Budget, current
from moisinno_data.reading.hidden import HiddenCells
from moisinno_data.reading.sheets import SPREADSHEET_FORMATS, sheet_rows
from moisinno_data.reading.sniff import detect, skip_separator_line, text_encoding


@dataclass
class Table:
    """A file opened for reading: what was detected, the header and the data rows.

    ``rows`` yields ``(row_number, cells)``; the header is row 1 so the first data row is 2.
    Rows may be ragged (fewer or more cells than the header); a blank line is ``[]``.
    """

    path: Path
    detected: dict[str, Any]
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    header_row: int = 1
    """The file's row read as the header (see :func:`read_rows`)."""


def _check_width(path: Path, header: list[str], budget: Budget) -> list[str]:
    if len(header) > budget.max_cols:
        raise fail(
            path,
            f"l'en-tête a {len(header)} colonnes, au-delà de {budget.max_cols} ; "
            "ce n'est pas un tableau ordinaire (séparateur mal choisi ?).",
            f"the header has {len(header)} columns, past {budget.max_cols}; this is not an "
            "ordinary table (wrong separator?).",
        )
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    return header


def read_rows(
    path: str | Path,
    sheet: str | None = None,
    *,
    budget: Budget | None = None,
    detected: dict[str, Any] | None = None,
    header_row: int = 1,
    padded: bool = True,
    hidden: HiddenCells | None = None,
) -> Table:
    """Open ``path`` and return its header and a row iterator (cells as strings).
    ``detected``: what an earlier reading of the same file detected (not found again).
    ``header_row``: the row holding the header when a title or blank rows stand above it
    (they are skipped; rows keep the file's numbers). ``padded=False``: a sheet's rows
    stop at their last cell, not built as wide as the header (:func:`.sheets.sheet_rows`).
    ``hidden``: where a sheet's hidden rows and columns are noted as its rows are read
    (:mod:`.hidden`; see :meth:`~.hidden.HiddenCells.within` for the table's own)."""
    path, budget = Path(path), current(budget)
    detected = detected or detect(path, sheet, budget=budget)
    table = _open_rows(path, detected, budget, padded, hidden)
    return _below(table, header_row, budget, padded) if header_row > 1 else table


def first_rows(
    path: Path, detected: dict[str, Any], count: int, *, budget: Budget | None = None
) -> list[list[str]]:
    """The first ``count`` rows, the header's row first: where to look for a header that
    is not on row 1. A row that cannot be read ends the list (the caller only looks)."""
    budget = current(budget)
    rows: list[list[str]] = []
    try:
        if detected["format"] in SPREADSHEET_FORMATS:
            cells = sheet_rows(path, detected["format"], detected["sheet"], budget)
            try:
                rows.extend(itertools.islice(cells, count))
            finally:
                cells.close()  # type: ignore[attr-defined]  # a generator: stop the parse
            return rows
        table = _open_rows(path, detected, budget)
        rows.append(table.header)
        rows.extend(cells for _number, cells in itertools.islice(table.rows, count - 1))
        table.rows.close()  # type: ignore[attr-defined]  # closes the file
    except InputError:
        pass
    return rows


def _below(table: Table, header_row: int, budget: Budget, padded: bool = True) -> Table:
    """``table`` read with row ``header_row`` as its header (the rows above dropped);
    ``padded``: a sheet's rows as wide as that header (:func:`_padded`)."""
    for number, cells in table.rows:
        if number == header_row:
            table.header = _check_width(table.path, list(cells), budget)
            table.header_row = header_row
            if padded and table.detected["format"] in SPREADSHEET_FORMATS:
                table.rows = _padded(table.rows, len(table.header))
            return table
    table.header = []
    return table


def _padded(rows: Iterator[tuple[int, list[str]]], width: int) -> Iterator[tuple[int, list[str]]]:
    """A sheet's rows as wide as the header found below a title: the sheet reader shapes
    rows to its first filled row, the title, so a row's empty last cells were dropped and
    ``fix`` wrote short rows (four « missing-cell » errors a row). In a sheet an empty
    cell is no missing one; a CSV's short row stays short."""
    try:
        for number, cells in rows:
            yield number, cells + [""] * (width - len(cells)) if len(cells) < width else cells
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


def _open_rows(
    path: Path,
    detected: dict[str, Any],
    budget: Budget,
    padded: bool = True,
    hidden: HiddenCells | None = None,
) -> Table:
    if detected["format"] in SPREADSHEET_FORMATS:
        sheet = detected["sheet"]
        cells = sheet_rows(path, detected["format"], sheet, budget, padded=padded, hidden=hidden)
        header = next(cells)
        return Table(path, detected, header, enumerate(cells, start=2))
    raise_field_limit(budget)
    fh = open(path, encoding=text_encoding(detected), newline="", errors="strict")  # noqa: SIM115 - the row iterator closes it
    reader = csv.reader(fh, delimiter=detected["delimiter"], strict=False)
    try:
        skip_separator_line(fh, detected)
        header = _check_width(path, next(reader, []), budget)
    except csv.Error as exc:
        fh.close()
        raise unreadable_line(path, exc, reader.line_num or 1) from None
    except UnicodeError:
        fh.close()
        raise not_all_in(path, text_encoding(detected)) from None
    except BaseException:
        fh.close()
        raise

    def rows() -> Iterator[tuple[int, list[str]]]:
        began = reader.line_num + 1  # where the next record starts
        try:
            for number, cells in enumerate(reader, start=2):
                yield number, cells
                began = reader.line_num + 1
        except csv.Error as exc:
            raise unreadable_line(path, exc, reader.line_num, began) from None
        except UnicodeError:
            raise fail(
                path,
                f"ligne {reader.line_num} : octets invalides pour l'encodage détecté.",
                f"line {reader.line_num}: bytes invalid in the encoding detected.",
            ) from None
        finally:
            fh.close()

    return Table(path=path, detected=detected, header=header, rows=rows())


def read_header(
    path: Path, detected: dict[str, Any], *, budget: Budget | None = None
) -> tuple[list[str], int]:
    """The header cells and the number of physical lines they span."""
    budget = current(budget)
    if detected["format"] in SPREADSHEET_FORMATS:
        cells = sheet_rows(path, detected["format"], detected["sheet"], budget)
        try:
            return next(cells), 1
        finally:
            cells.close()  # type: ignore[attr-defined]  # a generator: stop the parse
    raise_field_limit(budget)
    try:
        # "replace": the text stream decodes ahead of the header; a bad byte further down
        # is the engine's business (it classifies the file again).
        with open(path, encoding=text_encoding(detected), newline="", errors="replace") as fh:
            skip_separator_line(fh, detected)
            reader = csv.reader(fh, delimiter=detected["delimiter"], strict=False)
            header = next(reader, [])
            lines = reader.line_num
    except csv.Error as exc:
        raise unreadable_line(path, exc, 1) from None
    except UnicodeError:
        raise not_all_in(path, text_encoding(detected)) from None
    return _check_width(path, header, budget), max(lines, 1)
