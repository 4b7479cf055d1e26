"""Legacy Excel workbooks (BIFF5/8 ``.xls``): a sheet's extent, known before it is read.

python-calamine builds a whole sheet as a dense grid, from the first cell to the last,
before we see a row: about 60 bytes a cell. A 5.6 KB file holding one cell at ``IV65536``
made it hold 1 GB. The budget must refuse such a sheet before it is built, so the cells'
positions are read here first, from the sheet's BIFF records (a walk over the records of
the OLE2 container's workbook stream, no value decoded; ``olefile`` reads the container).
"""

from __future__ import annotations

import contextlib
import functools
import re
import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from moisinno_data.errors import InputError, panicked
from moisinno_data.package.text import visible
from moisinno_data.reading.archive import PASSWORD_PROTECTED, fail
from moisinno_data.reading.budget import Budget
from moisinno_data.reading.hidden import HiddenCells
from moisinno_data.reading.xlsx import built_in_kind, column_letter, style_kind

_BOF, _EOF, _BOUNDSHEET = 0x0809, 0x000A, 0x0085
_CELLS = frozenset({0x0006, 0x00D6, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E, 0x0406})
"""Records of one cell holding a value (formula, rich/shared/plain string, number, RK,
boolean or error), its row and column first. BLANK cells are left out: calamine skips
them too, and a formatted empty cell far away costs it nothing."""
_DIMENSIONS = 0x0200
"""The sheet's declared extent: calamine reserves its grid from it, whatever the cells
(BIFF8: first and last-plus-one row on 4 bytes each, then columns on 2; BIFF5: rows on 2)."""
_MULRK = 0x00BD
"""Several RK numbers in a row: row, first column, …, last column (its last 2 bytes)."""
_FORMAT, _XF = 0x041E, 0x00E0
"""A number format (its index, then its code) and a cell style (font, then format index)."""
_STYLED = frozenset({0x0006, 0x0203, 0x027E})
"""Records of one number cell (formula, NUMBER, RK): row, column, then its style (XF)."""
GRID_SHARE = 8
"""A sheet's grid may hold ``Budget.max_cells // GRID_SHARE`` cells: calamine's cell costs
about eight times a cell of the rows built from it (:mod:`.sheets`)."""


def check_extent(path: Path, budget: Budget) -> None:
    """Refuse the workbook if calamine would build its sheets past the budget: it builds
    them all as soon as it opens the file, the listing of their names included. A file the
    walk cannot read is left to calamine to judge."""
    stat = path.stat()
    sheets = _sheet_extents(str(path), stat.st_size, stat.st_mtime_ns)
    total = sum(rows * cols for _name, rows, cols in sheets)
    if total <= budget.max_cells // GRID_SHARE:
        return
    name, rows, cols = max(sheets, key=lambda sheet: sheet[1] * sheet[2])
    others = f", {total} avec ses autres feuilles" if len(sheets) > 1 else ""
    others_en = f", {total} with its other sheets" if len(sheets) > 1 else ""
    most = budget.max_cells // GRID_SHARE
    raise fail(
        path,
        f"la feuille « {name} » s'étend sur {rows} lignes × {cols} colonnes (jusqu'à la "
        f"cellule {column_letter(cols)}{rows}{others}) ; un classeur .xls se lit d'un bloc, "
        f"au-delà de {most} cellules en tout il est refusé : "
        "supprimez les cellules égarées loin du tableau, ou enregistrez-le en .xlsx ou en CSV.",
        f"sheet “{name}” spans {rows} rows × {cols} columns (up to cell "
        f"{column_letter(cols)}{rows}{others_en}); an .xls workbook is read in one block, and "
        f"past {most} cells in all it is refused: delete the cells stray far from the table, "
        "or save it as .xlsx or CSV.",
    )


@contextlib.contextmanager
def calamine_reading(path: Path, sheet: str | None = None) -> Iterator[None]:
    """Whatever calamine refuses or panics at (a truncated file: « range end index 64 out
    of range », :func:`..errors.panicked`) while it reads ``path`` (its ``sheet``) is
    said as :func:`unreadable`."""
    try:
        yield
    except BaseException as exc:
        if not isinstance(exc, Exception) and not panicked(exc):
            raise
        if isinstance(exc, InputError):
            raise
        raise unreadable(path, exc, sheet) from None


def unreadable(path: Path, exc: BaseException, sheet: str | None = None) -> InputError:
    """What calamine's refusal of ``path`` (or of its ``sheet``) means to the steward, and
    what to do; calamine's own words (English, technical) only as a detail at the end.
    A workbook saved with a password is an OLE2 file too, so it comes here whatever its
    extension: said as such, not as damage."""
    from python_calamine import PasswordError

    if isinstance(exc, PasswordError) or _encrypted(path):
        return fail(path, *PASSWORD_PROTECTED)
    detail = visible(str(exc))[:300]
    part = (
        f"la feuille « {sheet} » est endommagée ou incomplète"
        if sheet
        else "le classeur est endommagé ou incomplet"
    )
    part_en = f"sheet “{sheet}” of the workbook" if sheet else "the workbook"
    return fail(
        path,
        f"{part} (Excel 97-2003, .xls) et ne se lit pas jusqu'au bout : "
        "ouvrez le classeur dans Excel ou LibreOffice et enregistrez-le à nouveau, en .xlsx "
        f"ou en CSV UTF-8 (détail technique : {detail}).",
        f"{part_en} (Excel 97-2003, .xls) is damaged or incomplete and cannot be read to its "
        "end: open it in Excel or LibreOffice and save it again, as .xlsx or UTF-8 CSV "
        f"(technical detail: {detail}).",
    )


def _encrypted(path: Path) -> bool:
    """An Excel file saved with a password: an OLE2 container holding the encrypted
    package (the XLSX inside) instead of a workbook stream."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            return bool(ole.exists("EncryptedPackage"))
    except Exception:
        return False


@functools.lru_cache(maxsize=8)
def _sheet_extents(path: str, _size: int, _mtime: int) -> tuple[tuple[str, int, int], ...]:
    """(name, rows, columns) of each sheet; walked once per version of the file, however
    many times calamine opens it (a walk costs about 0.3 µs a cell)."""
    stream = _workbook_stream(Path(path))
    if stream is None:
        return ()
    return tuple((name, *_extent(stream, start)) for name, start in _sheets(stream))


def _workbook_stream(path: Path) -> bytes | None:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            for name in ("Workbook", "Book"):  # BIFF8, BIFF5
                if ole.exists(name):
                    return bytes(ole.openstream(name).read())
    except Exception:
        return None
    return None


def _records(stream: bytes, at: int) -> Iterator[tuple[int, int, int]]:
    """(type, offset of its data, length) of each record from ``at`` on."""
    end = len(stream) - 4
    unpack = struct.unpack_from
    while at <= end:
        kind, size = unpack("<HH", stream, at)
        yield kind, at + 4, size
        at += 4 + size


def _sheets(stream: bytes) -> Iterator[tuple[str, int]]:
    """(name, offset of its records) of each sheet of the workbook, from its globals."""
    for kind, data, size in _records(stream, 0):
        if kind == _BOUNDSHEET and size >= 8:
            yield (
                _sheet_name(stream[data + 6 : data + size]),
                struct.unpack_from("<I", stream, data)[0],
            )
        elif kind == _EOF:
            return


def _sheet_name(raw: bytes) -> str:
    """BIFF8: length, a flag (UTF-16 or one byte a character), the characters; BIFF5:
    length, then bytes in the workbook's code page (read here as Windows-1252)."""
    length = raw[0]
    if len(raw) >= 2 + length and raw[1] in (0, 1):
        if raw[1]:
            return raw[2 : 2 + 2 * length].decode("utf-16-le", "replace")
        return raw[2 : 2 + length].decode("latin-1")
    return raw[1 : 1 + length].decode("cp1252", "replace")


def _extent(stream: bytes, at: int) -> tuple[int, int]:
    """(last row, last column), counted from 1, of the cells holding a value in the sheet
    whose BOF is at ``at``, or of its declared extent if larger (a forged DIMENSIONS of
    4294967295 rows made calamine's allocation abort the process). Charts nested in the
    sheet have their own BOF … EOF. One loop, no generator: a sheet of a million cells is
    a million records."""
    rows = cols = depth = 0
    unpack, end, cells = struct.unpack_from, len(stream) - 4, _CELLS
    while at <= end:
        kind, size = unpack("<HH", stream, at)
        data, at = at + 4, at + 4 + size
        if kind in cells:
            if depth == 1 and size >= 4:
                row, col = unpack("<HH", stream, data)
                rows, cols = max(rows, row + 1), max(cols, col + 1)
        elif kind == _MULRK:
            if depth == 1 and size >= 6:
                row, last = unpack("<H", stream, data)[0], unpack("<H", stream, at - 2)[0]
                rows, cols = max(rows, row + 1), max(cols, last + 1)
        elif kind == _DIMENSIONS:
            if depth == 1 and size >= 14:
                last_row, last_col = (
                    unpack("<I", stream, data + 4)[0],
                    unpack("<H", stream, data + 10)[0],
                )
                rows, cols = max(rows, last_row), max(cols, last_col)
            elif depth == 1 and size >= 8:
                last_row, last_col = (
                    unpack("<H", stream, data + 2)[0],
                    unpack("<H", stream, data + 6)[0],
                )
                rows, cols = max(rows, last_row), max(cols, last_col)
        elif kind == _BOF:
            depth += 1
        elif kind == _EOF:
            depth -= 1
            if depth <= 0:
                break
    return rows, cols


Marks = dict[int, dict[int, Any]]
"""Row (from 0) → {column: what calamine does not say of that cell}."""


def cell_marks(
    path: Path, sheet: str, grid: tuple[int, int], budget: Budget
) -> tuple[Marks, Marks]:
    """What calamine does not hand over of the cells of ``sheet``, read from the BIFF
    records (the workbook stream read once for both), as the sheet's extent is:

    - how a number cell is shown (:func:`_shown_cells`): the digits of a format showing
      zeros ahead (``00000``: calamine hands over 1053, not the ``01053`` the person typed
      and sees), ``"percent"`` (``0.0%``: 0.122 shown 12,2 %), or ``"shown"``
      (``#,##0.00``: 1234.5 shown 1 234,50), by XLSX's rules (:func:`.xlsx.style_kind`);
    - the error values (:func:`_error_cells`): ``#N/A`` typed or ``=1/0``'s ``#DIV/0!``,
      which calamine hands over as empty cells (an .xls was VALIDE where the same sheet
      in XLSX or ODS said its formula-error).

    Only cells inside ``grid`` (the rows and columns calamine read, within the budget)
    are kept, once each: a hostile file repeating a record millions of times holds no
    more."""
    stream = _workbook_stream(path)
    start = dict(_sheets(stream)).get(sheet) if stream is not None else None
    if stream is None or start is None:
        return {}, {}
    check_time = functools.partial(budget.check_time, path)
    shown = _shown_cells(stream, start, grid, check_time)
    return shown, _error_cells(stream, start, grid, check_time)


def _shown_cells(
    stream: bytes, start: int, grid: tuple[int, int], check_time: Callable[[], None]
) -> Marks:
    """Nothing when no style is so formatted (no walk of the sheet then)."""
    shown = _shown_styles(stream)
    return _styled_cells(stream, start, shown, grid, check_time) if shown else {}


def _shown_styles(stream: bytes) -> dict[int, int | str]:
    """Cell style (XF index) → digits, ``"percent"`` or ``"shown"``, for the styles whose
    format shows zeros ahead (the workbook's own FORMAT records only: no built-in format
    does), a percentage, or the number otherwise than its digits (``#,##0.00``), by the
    workbook's FORMAT record of the style's format or else by the built-in formats' kinds,
    as the XLSX reader reads them (:func:`.xlsx.built_in_kind`). Dates are calamine's."""
    biff8 = stream[4:6] == b"\x00\x06"  # the first BOF's version: 0x0600
    codes: dict[int, int | str | None] = {}
    styles: list[int | str | None] = []
    for kind, data, size in _records(stream, 0):
        if kind == _FORMAT and size >= 3:
            ifmt = struct.unpack_from("<H", stream, data)[0]
            codes[ifmt] = _number_kind(
                style_kind(_format_code(stream[data + 2 : data + size], biff8))
            )
        elif kind == _XF and size >= 4:
            ifmt = struct.unpack_from("<H", stream, data + 2)[0]
            styles.append(codes[ifmt] if ifmt in codes else _number_kind(built_in_kind(ifmt)))
        elif kind == _EOF:
            break
    return {xf: shown for xf, shown in enumerate(styles) if shown is not None}


def _number_kind(kind: Any) -> int | str | None:
    """What of a format's kind concerns a number cell here: its zeros, a percentage, or
    shown otherwise; None for General and for dates (calamine reads those)."""
    return kind if isinstance(kind, int) or kind in ("percent", "shown") else None


def _sheet_records(
    stream: bytes, at: int, check_time: Callable[[], None]
) -> Iterator[tuple[int, int, int]]:
    """(type, offset of its data, length) of each record of the sheet whose BOF is at
    ``at``, its own only: charts nested in the sheet (their own BOF … EOF) are skipped."""
    depth = 0
    for count, (kind, data, size) in enumerate(_records(stream, at)):
        if count & 0xFFFF == 0:
            check_time()
        if kind == _BOF:
            depth += 1
        elif kind == _EOF:
            depth -= 1
            if depth <= 0:
                return
        elif depth == 1:
            yield kind, data, size


_BOOLERR, _FORMULA = 0x0205, 0x0006
_ERROR_TEXTS = {
    0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
    0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA",
}  # fmt: skip
"""What a spreadsheet shows for each BIFF error code."""
_BOOLERR_HEADER = b"\x05\x02\x08\x00"
_FORMULA_ERROR = re.compile(rb"\x02\x00[\x00-\x2b]\x00\x00\x00\xff\xff")
"""The bytes of a BOOLERR record's header, and of a formula's error result: a workbook
holding neither has no error value (one holding them by chance is walked for nothing).
Searched apart, 10 ms on 7 MB (as one alternation, 90 ms)."""


def _error_cells(
    stream: bytes, start: int, grid: tuple[int, int], check_time: Callable[[], None]
) -> Marks:
    """The error shown by each cell holding one (see :func:`cell_marks`)."""
    if not (_BOOLERR_HEADER in stream or _FORMULA_ERROR.search(stream)):
        return {}  # the walk costs 0.35 s on 360,000 cells: only where an error may be
    found: Marks = {}
    rows, cols = grid
    unpack = struct.unpack_from
    for kind, data, size in _sheet_records(stream, start, check_time):
        if kind == _BOOLERR and size >= 8 and stream[data + 7] == 1:
            code = stream[data + 6]
        elif kind == _FORMULA and size >= 14 and stream[data + 12 : data + 14] == b"\xff\xff":
            if stream[data + 6] != 2:  # a text, boolean or empty result: no error
                continue
            code = stream[data + 8]
        else:
            continue
        row, col = unpack("<HH", stream, data)
        if row < rows and col < cols:
            found.setdefault(row, {})[col] = _ERROR_TEXTS.get(code, "#ERREUR")
    return found


def _format_code(raw: bytes, biff8: bool) -> str:
    """BIFF8: length on 2 bytes, a flag (UTF-16 or one byte a character), the characters;
    BIFF5: length on 1 byte, then the characters."""
    if not biff8:
        return raw[1 : 1 + raw[0]].decode("latin-1")
    length = struct.unpack_from("<H", raw)[0] if len(raw) >= 3 else 0
    if raw[2:3] == b"\x01":
        return raw[3 : 3 + 2 * length].decode("utf-16-le", "replace")
    return raw[3 : 3 + length].decode("latin-1")


def _styled_cells(
    stream: bytes,
    at: int,
    shown: dict[int, int | str],
    grid: tuple[int, int],
    check_time: Callable[[], None],
) -> Marks:
    """The cells of the sheet whose BOF is at ``at`` styled by one of ``shown`` (see
    :func:`cell_marks`); charts nested in the sheet are skipped, as in :func:`_extent`."""
    found: Marks = {}
    rows, cols = grid

    def keep(row: int, col: int, xf: int) -> None:
        if xf in shown and row < rows and col < cols:
            found.setdefault(row, {})[col] = shown[xf]

    unpack = struct.unpack_from
    for kind, data, size in _sheet_records(stream, at, check_time):
        if kind in _STYLED and size >= 6:
            keep(*unpack("<HHH", stream, data))
        elif kind == _MULRK and size >= 6:
            row, first = unpack("<HH", stream, data)
            for i in range((size - 6) // 6):  # (style, RK number) each, the last column after
                keep(row, first + i, unpack("<H", stream, data + 4 + 6 * i)[0])
    return found


_ROW, _COLINFO, _FILTERMODE = 0x0208, 0x007D, 0x009B
"""A row's record (its options at byte 12: 0x20, hidden), a run of columns' (first, last,
width, style, then options: 0x01, hidden), and the mark of a sheet whose filter is on."""


def note_hidden(
    path: Path, sheet: str, filled: Callable[[int], bool], hidden: HiddenCells, budget: Budget
) -> None:
    """Note in ``hidden`` the columns of ``sheet`` hidden and its rows hidden or, under an
    active filter and within its range (:func:`_filter_rows`), filtered out, those that
    ``filled`` (a row from 0) says hold a value: calamine says neither. One walk of the
    sheet's records, only the ROW and COLINFO ones looked into."""
    stream = _workbook_stream(path)
    sheets = list(_sheets(stream)) if stream is not None else []
    start = dict(sheets).get(sheet)
    if stream is None or start is None:
        return
    rows: list[int] = []
    unpack = struct.unpack_from
    filtering = False
    for kind, data, size in _sheet_records(
        stream, start, functools.partial(budget.check_time, path)
    ):
        if data + size > len(stream):  # a truncated stream: calamine judges the rest
            break
        if kind == _ROW and size >= 14 and unpack("<H", stream, data + 12)[0] & 0x20:
            row = unpack("<H", stream, data)[0]
            if filled(row):
                rows.append(row + 1)
        elif kind == _COLINFO and size >= 10 and unpack("<H", stream, data + 8)[0] & 0x01:
            first, last = unpack("<HH", stream, data)
            hidden.note_columns(first + 1, max(first, last) + 1)
        elif kind == _FILTERMODE:
            filtering = True
    noted = HiddenCells() if filtering else hidden
    for row in sorted(set(rows)):
        noted.note_rows(row, 1)
    if filtering:
        index = [name for name, _ in sheets].index(sheet) + 1  # the names' sheet, from 1
        hidden.settle_filter(noted, _filter_rows(stream, index))


_NAME, _FILTER_DATABASE, _AREA_3D = 0x0018, 0x0D, (0x3B, 0x5B, 0x7B)
"""A defined name's record, the built-in name of a sheet's filter range, and the tokens
of a 3-D area (reference, value, array)."""


def _filter_rows(stream: bytes, sheet: int) -> tuple[int, int] | None:
    """The rows, from 1, under the header of the filter of the ``sheet``-th sheet (from
    1): its built-in name _FilterDatabase, in the globals (flags 0x20 built-in, name
    length, formula length, sheet, the name's one character, then a 3-D area: first and
    last rows from 0). None when there is none (the rows then all said filtered)."""
    unpack = struct.unpack_from
    for kind, data, size in _records(stream, 0):
        if kind == _EOF:
            return None
        if kind != _NAME or size < 15 or data + size > len(stream):
            continue
        flags, length, itab, wide = unpack("<HxBxxxxH4xB", stream, data)
        formula = data + 15 + length * (2 if wide else 1)
        if not (flags & 0x20 and length == 1 and itab == sheet) or formula + 7 > data + size:
            continue
        if stream[data + 15] == _FILTER_DATABASE and stream[formula] in _AREA_3D:
            first, last = unpack("<2xHH", stream, formula + 1)
            return first + 2, last + 1
    return None
