"""Spreadsheets (XLSX, ODS, XLS): sheet names and rows, streamed within the budget.

XLSX and ODS are parsed by :mod:`.xlsx` and :mod:`.ods` as streams; only legacy XLS files,
whose format caps a sheet at 65,536 × 256 cells, are handed to python-calamine.
:func:`sheet_rows` turns the raw rows into what a steward sees: the header is sheet row 1,
a spreadsheet is rectangular (trailing empty cells are not "missing"), the empty rows
below the table are dropped — kept as a count until a filled row shows they are inside it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from moisinno_data.errors import COMMAND_LINE, Asker, InputError
from moisinno_data.package.text import fold_accents, visible
from moisinno_data.reading import ods, xls, xlsx
from moisinno_data.reading.archive import fail, kept, open_zip
from moisinno_data.reading.budget import MERGES_KEPT, Budget, Repeats, current
from moisinno_data.reading.cells import (
    DurationText,
    FormulaError,
    PercentNumber,
    ShownNumber,
    elapsed,
    shown_with_zeros,
    spreadsheet_cell,
)
from moisinno_data.reading.hidden import HiddenCells

SPREADSHEET_FORMATS = ("xlsx", "xls", "ods")
SHEETS_LISTED = 20
"""Sheets named when the one asked for is not found (the others are counted)."""


def _calamine(path: Path, budget: Budget) -> Any:
    from python_calamine import CalamineWorkbook

    def opened() -> Any:
        xls.check_extent(path, budget)  # calamine builds every sheet on opening the file
        with xls.calamine_reading(path):
            return CalamineWorkbook.from_path(str(path))

    return kept(path, "calamine", opened)  # once for the sheets read in a parts_kept block


def sheet_names(
    path: Path, fmt: str, budget: Budget, *, first: bool = False, shown: bool = False
) -> list[str]:
    """The workbook's sheets in order; ``first``: the first one only (ODS stops there);
    ``shown``: only the worksheets a person sees on opening it — a hidden sheet (lists
    for drop-downs, notes, settings) or a chart sheet is not the table sent."""
    if fmt == "xls":
        workbook = _calamine(path, budget)
        with xls.calamine_reading(path):
            if not shown:
                return list(workbook.sheet_names)
            from python_calamine import SheetTypeEnum, SheetVisibleEnum

            return [
                meta.name
                for meta in workbook.sheets_metadata
                if meta.visible == SheetVisibleEnum.Visible and meta.typ == SheetTypeEnum.WorkSheet
            ]
    with open_zip(path, budget) as zf:
        if fmt == "ods":
            return ods.sheet_names(zf, budget, path, first=first, shown=shown)
        return list(xlsx.sheets(zf, budget, path, shown=shown))


def other_sheets(path: Path, detected: dict[str, Any], *, or_hidden: bool = False) -> list[str]:
    """The workbook's visible worksheets other than the one read (ten at most), to name
    when that one holds no table; ``or_hidden``: its other sheets if none is visible.
    Nothing for a CSV."""
    sheet = detected.get("sheet")
    if not sheet:
        return []
    fmt, budget = detected["format"], current()
    others = _visible_others(path, fmt, sheet, budget)
    if others or not or_hidden:
        return others
    return [n for n in sheet_names(path, fmt, budget) if n != sheet][:10]


def other_sheets_said(
    path: Path, detected: dict[str, Any], asker: Asker = COMMAND_LINE
) -> tuple[str, str]:
    """The other visible sheets of a workbook, as the end of a sentence, in French and
    English ("" for a CSV), and how ``asker``'s user chooses one."""
    names = [visible(n) for n in other_sheets(path, detected)]
    if not names:
        return "", ""
    fr = ", ".join(f"« {n} »" for n in names)
    en = ", ".join(f"“{n}”" for n in names)
    return (
        f" ; autres feuilles du classeur : {fr} ({asker.says('sheet')})",
        f"; other sheets of the workbook: {en} ({asker.says('sheet', 'en')})",
    )


def merged_cells(
    path: Path, detected: dict[str, Any], spans: list[ods.Span] | None = None
) -> list[str]:
    """The merged ranges of the workbook's sheet read (``B2:B3``): a merged cell's value
    is in its first cell, the others are empty in the file (ODS: covered cells) though a
    person sees the value across them. Nothing for a CSV. ``spans``: an ODS's or an XLS's,
    noted while its rows were read (``sheet_rows(…, merges=)``): in an ODS, where a cell is
    only a parse can tell (repeats, covered cells), and one of its own costs as much as the
    reading; calamine says an XLS sheet's once it has read it. An XLSX sheet's come after
    its rows, which the row reader stops before: they are looked for here."""
    sheet, fmt = detected.get("sheet"), detected.get("format")
    if fmt in ("ods", "xls"):
        return [_span_ref(*span) for span in spans or []]
    if fmt != "xlsx" or not sheet:
        return []
    budget = current()
    with open_zip(path, budget) as zf:
        entry = xlsx.sheets(zf, budget, path).get(sheet)
        return xlsx.merged_ranges(zf, entry, budget, path) if entry else []


def _xls_spans(ranges: list) -> list[ods.Span]:
    """calamine's ``((first row, column), (last row, column))``, from 0, as spans."""
    return [
        (top + 1, left + 1, bottom - top + 1, right - left + 1)
        for (top, left), (bottom, right) in ranges[:MERGES_KEPT]
    ]


def _span_ref(row: int, column: int, rows: int, columns: int) -> str:
    first, last = xlsx.column_letter(column), xlsx.column_letter(column + columns - 1)
    return f"{first}{row}:{last}{row + rows - 1}"


def _visible_others(path: Path, fmt: str, sheet: str, budget: Budget) -> list[str]:
    return [n for n in sheet_names(path, fmt, budget, shown=True) if n != sheet][:10]


def pick_sheet(path: Path, fmt: str, sheet: str | None, budget: Budget) -> str:
    """``sheet`` if the workbook has it; by default the first sheet a person sees."""
    if sheet is None:
        shown = sheet_names(path, fmt, budget, first=True, shown=True)
        if shown:
            return shown[0]
    names = sheet_names(path, fmt, budget, first=sheet is None)
    if not names:
        raise fail(path, "le classeur ne contient aucune feuille.", "the workbook holds no sheet.")
    if sheet is None:
        return names[0]
    if sheet in names:
        return sheet
    # As typed on a command line or in a form: spaces around it, another case, no accents.
    loose = [name for name in names if _loose(name) == _loose(sheet)]
    if len(loose) == 1:
        return loose[0]
    listed = listed_en = ", ".join(names[:SHEETS_LISTED])
    more = len(names) - SHEETS_LISTED
    if more > 0:
        listed += f" et {more} autre{'s' * (more > 1)}"
        listed_en += f" and {more} other{'s' * (more > 1)}"
    raise fail(
        path,
        f"feuille « {sheet} » introuvable ; feuilles présentes : {listed}.",
        f"sheet “{sheet}” not found; sheets present: {listed_en}.",
    )


def _loose(name: str) -> str:
    return fold_accents(name.strip()).casefold()


def _raw_rows(
    path: Path,
    fmt: str,
    sheet: str,
    budget: Budget,
    repeats: Repeats,
    notes: tuple[list | None, HiddenCells | None],
) -> Iterator[tuple[int, list, int]]:
    merges, hidden = notes
    if fmt == "xls":
        workbook = _calamine(path, budget)
        with xls.calamine_reading(path, sheet):
            found = workbook.get_sheet_by_name(sheet)
            raw = found.to_python(skip_empty_area=False)
            if merges is not None:
                merges.extend(_xls_spans(found.merged_cell_ranges or []))
        if hidden is not None:
            xls.note_hidden(path, sheet, lambda r: _filled_xls_row(raw, r), hidden, budget)
        grid = (len(raw), max(map(len, raw), default=0))
        shown, errors = xls.cell_marks(path, sheet, grid, budget)
        for number, row in enumerate(raw, start=1):
            said = errors.get(number - 1, {})
            yield number, _xls_cells(row, shown.get(number - 1, {}).items(), said), 1
        return
    with open_zip(path, budget) as zf:
        if fmt == "ods":
            yield from ods.rows(zf, sheet, budget, path, repeats, merges, hidden)
            return
        entries = xlsx.sheets(zf, budget, path)
        if sheet not in entries:
            raise fail(path, f"feuille « {sheet} » introuvable.", f"sheet “{sheet}” not found.")
        yield from xlsx.rows(zf, entries[sheet], sheet, budget, path, repeats, hidden)


def _filled_xls_row(raw: list[list], row: int) -> bool:
    """Whether calamine's row ``row`` (from 0) holds a value."""
    return row < len(raw) and any(v is not None and str(v).strip() for v in raw[row])


_CLOCK_SUMS_END = _dt.datetime(1899, 12, 30) + _dt.timedelta(days=xlsx.SUM_OF_TIMES_DAYS)


def _xls_value(value: Any) -> str:
    """An .xls cell as text. A date-time before 1902 with an hour is a sum of times that
    calamine dated (1.25, 30 h, shown 06:00 under ``hh:mm``: ``1900-01-01T06:00``, which
    a datetime field took and fix published): read as the duration it holds, as the
    XLSX reader reads it (:data:`.xlsx.SUM_OF_TIMES_DAYS`; a workbook counting from 1904
    is not told apart)."""
    if isinstance(value, _dt.datetime) and value < _CLOCK_SUMS_END and value.time() != _dt.time():
        # Excel's 1900 counts a 29 February that never was: serial 1 is 1900-01-01
        start = _dt.datetime(1899, 12, 31 if value < _dt.datetime(1900, 3, 1) else 30)
        return DurationText(elapsed(round((value - start).total_seconds())))
    return spreadsheet_cell(value)


def _xls_cells(
    row: list, shown: Iterable[tuple[int, int | str]], errors: dict[int, str]
) -> list[str]:
    """An .xls row as text, as XLSX and ODS read it (:func:`.xls.cell_marks`): a whole
    number whose format shows zeros ahead as it shows it (``01053``), a number shown as a
    percentage marked so (:class:`.cells.PercentNumber`: 0.122 shown 12,2 % was published
    0.122 in a field counting in percents), and one shown otherwise than its digits
    (``1 234,50``: :class:`.cells.ShownNumber`, which fix says it writes as stored); an
    error value (``#DIV/0!``), which calamine
    reads empty, as the formula error it is."""
    cells = [_xls_value(v) for v in row]
    for col, how in shown:
        value = row[col] if col < len(row) else None
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        if how == "percent":
            cells[col] = PercentNumber(spreadsheet_cell(float(value)))
        elif how == "shown":
            cells[col] = ShownNumber(spreadsheet_cell(float(value)))
        elif isinstance(how, int):
            cells[col] = shown_with_zeros(float(value), how)
    for col, error in errors.items():
        if col < len(cells) and cells[col] == "":
            cells[col] = FormulaError(error)
    return cells


class _Shaper:
    """Counts what is built against the budget; pads (``padded``) and trims rows to the
    header."""

    def __init__(
        self, path: Path, sheet: str, budget: Budget, repeats: Repeats, padded: bool
    ) -> None:
        self.path, self.sheet, self.budget, self.repeats = path, sheet, budget, repeats
        self.padded = padded
        self.width: int | None = None
        self.emitted = 0
        self.built = 0

    def emit(self, cells: list[str], count: int) -> Iterator[list[str]]:
        if self.width is None:
            width = len(cells)
            while width and not cells[width - 1].strip():
                width -= 1
            self.width = width
        budget = self.budget
        if self.emitted + count > budget.max_rows:
            raise fail(
                self.path,
                f"la feuille « {self.sheet} » dépasse {budget.max_rows} lignes ; "
                "découpez-la ou enregistrez-la en CSV.",
                f"sheet “{self.sheet}” exceeds {budget.max_rows} rows; split it or save it as CSV.",
            )
        self.built += count * max(self.width, len(cells))
        if self.built > budget.max_cells:
            raise self.too_many_cells()
        if count > 1 and cells:  # a row repeated (ODS): its text is built count times
            lengths = list(map(len, cells))
            extra = count - 1
            self.repeats.add(sum(lengths) * extra, self.repeats.long_part(lengths) * extra)
        self.emitted += count
        end = len(cells)
        while end > self.width and not cells[end - 1]:
            end -= 1
        shaped = cells[:end] + [""] * (self.width - end) if self.padded else cells[:end]
        for _ in range(count):
            yield list(shaped)

    def too_many_cells(self) -> Exception:
        return fail(
            self.path,
            f"la feuille « {self.sheet} » ferait lire plus de {self.budget.max_cells} cellules "
            "(feuille creuse ou démesurée) ; copiez le seul tableau utile dans un nouveau "
            "classeur ou enregistrez-le en CSV.",
            f"sheet “{self.sheet}” would have more than {self.budget.max_cells} cells read "
            "(a sparse or outsized sheet); copy the one useful table into a new workbook or "
            "save it as CSV.",
        )


class _Blanks:
    """Runs of blank rows not built yet: dropped below the table, rows inside it. Held as
    long as a filled row after them could still be read, counted beyond (8M empty rows,
    1.2 MB compressed, were a list of 1.1 GB)."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.runs: list[tuple[list[str], int]] = []
        self.rows = 0
        self.cells = 0  # cells the runs hold

    def add(self, cells: list[str], count: int) -> None:
        self.rows += count
        self.cells += len(cells)
        if self.rows <= self.budget.max_blank_rows and self.cells <= self.budget.max_cells:
            self.runs.append((cells, count))

    def clear(self) -> None:
        self.runs.clear()
        self.rows = self.cells = 0


def sheet_rows(
    path: Path,
    fmt: str,
    sheet: str,
    budget: Budget,
    *,
    padded: bool = True,
    merges: list[ods.Span] | None = None,
    hidden: HiddenCells | None = None,
) -> Iterator[list[str]]:
    """The header, then every data row, as lists of strings (see the module's doc).
    ``padded=False``: a row shorter than the header is left short, its missing cells
    empty ones for the reader to fill: under a label typed in column XFD, each row was
    16,384 cells of which the validation engine looked at every one, 12 s for 1,000 rows.
    ``merges``: an ODS's or an XLS's merged cells are noted there as the rows are read
    (for :func:`merged_cells`); ``hidden``: its hidden or filtered rows holding a value,
    and its hidden columns (:mod:`.hidden`), complete once every row is read."""
    repeats = Repeats(budget, path, sheet)
    shaper = _Shaper(path, sheet, budget, repeats, padded)
    pending = _Blanks(budget)
    expected = 1
    for number, cells, repeat in _raw_rows(path, fmt, sheet, budget, repeats, (merges, hidden)):
        if number > expected:
            pending.add([], number - expected)
        expected = number + repeat
        if not any(c.strip() for c in cells):
            pending.add(cells, repeat)
            continue
        if pending.rows > budget.max_blank_rows:
            raise fail(
                path,
                f"la feuille « {sheet} » a plus de {budget.max_blank_rows} lignes vides avant "
                f"sa ligne {number} (feuille creuse) ; supprimez les cellules égarées loin du "
                "tableau ou enregistrez-le en CSV.",
                f"sheet “{sheet}” has more than {budget.max_blank_rows} blank rows before its "
                f"row {number} (a sparse sheet); delete the stray cells far from the table or "
                "save it as CSV.",
            )
        if pending.cells > budget.max_cells:
            raise shaper.too_many_cells()
        for blank, count in pending.runs:
            yield from shaper.emit(blank, count)
        pending.clear()
        yield from shaper.emit(cells, repeat)
    if shaper.width is None:
        raise _empty_sheet(path, fmt, sheet, budget)


def past_header(cells: Sequence[str], width: int) -> list[tuple[int, str]]:
    """The filled cells of a sheet's row past the header's ``width``, by column number:
    what validate reports as extra cells and fix writes after the header's. A sheet's row
    reaches its last cell only: the empty ones between are not in the file (a value typed
    in column XFD once gave 16,366 "extra cells" of nothing)."""
    return [(i + 1, cells[i]) for i in range(width, len(cells)) if cells[i]]


def _empty_sheet(path: Path, fmt: str, sheet: str, budget: Budget) -> InputError:
    """The sheet read is empty: name the workbook's other visible sheets, one of which
    likely holds the table (an empty first sheet left before it)."""
    others = _visible_others(path, fmt, sheet, budget)
    if not others:
        return InputError(
            f"{path} : la feuille « {sheet} » est vide.", en=f"{path}: sheet “{sheet}” is empty."
        )
    fr = ", ".join(f"« {name} »" for name in others)
    en = ", ".join(f"“{name}”" for name in others)
    return InputError(
        f"{path} : la feuille « {sheet} » est vide ; le classeur a d'autres feuilles ({fr}) : "
        "choisissez celle qui tient le tableau (option --sheet, ou « Feuille » sur la page "
        "de validation).",
        en=f"{path}: sheet “{sheet}” is empty; the workbook has other sheets ({en}): choose "
        'the one holding the table (option --sheet, or "Sheet" on the validation page).',
    )
