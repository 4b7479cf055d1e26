"""Open a contributed file whatever French office software produced it.

Stewards receive CSV files in UTF-8, UTF-8 with BOM, Windows-1252 or UTF-16, separated by
``,`` ``;`` tabs or ``|``, and spreadsheets (XLSX, XLS, ODS). This module detects all of
that once (:func:`detect`) and offers two ways to read the cells, both as *strings*:

- :func:`read_rows` — a plain row iterator for small jobs (fixing, consolidating, the web
  page): ``(row_number, cells)`` with the header as row 1, like a spreadsheet;
- :func:`iter_batches` — columnar batches for the validation engine: pyarrow parses the
  CSV in C (quoted newlines, CRLF, any encoding), the engine checks whole columns at once.

Row numbers are *record* numbers, exactly as frictionless's ``rowNumber``: a quoted
newline inside a cell does not shift them, a blank line counts as a row. ``Batch.lines``
keeps the physical line where each record starts, for people who open the file in a text
editor.

An unreadable file (missing, empty, binary, not a table) raises
:class:`~moisinno_data.errors.InputError` with one French sentence.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import io
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moisinno_data.errors import InputError

SAMPLE_BYTES = 1 << 20
BLOCK_BYTES = 1 << 20
"""pyarrow's parse block: small enough to keep memory low, big enough to be fast."""
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "virgule", ";": "point-virgule", "\t": "tabulation", "|": "barre verticale"}
SPREADSHEET_FORMATS = ("xlsx", "xls", "ods")
# Bytes that Windows-1252 leaves undefined: a file holding them is Latin-1 (ISO-8859-1).
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")


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


@dataclass
class Batch:
    """A slice of the data rows, columnar, for the engine.

    ``frame`` holds one Utf8 column per header position (``c0``, ``c1``…); a cell absent
    from a short row is null, an empty cell is ``""``. ``rows``/``lines`` are the record
    number and the physical start line of each frame row — not necessarily ascending
    within a batch (ragged rows come last); batches themselves follow the file. ``extra`` lists the cells
    beyond the header of over-long rows: ``(row, line, [(column, value), …])``.
    ``blank`` holds the rows of blank lines (no cell at all).
    """

    frame: Any  # polars.DataFrame
    rows: Any  # numpy int64 array
    lines: Any  # numpy int64 array
    extra: list[tuple[int, int, list[tuple[int, str]]]] = field(default_factory=list)
    nbytes: int = 0
    pre: Any = None
    """The engine's batch query result, once computed (polars.DataFrame)."""


def _fail(path: Path, sentence: str) -> InputError:
    return InputError(f"{path} : {sentence}")


# --------------------------------------------------------------------------- detection


def _sniff_format(path: Path, head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
                if "mimetype" in names:
                    mime = zf.read("mimetype").decode("ascii", "replace").strip()
                    if mime == "application/vnd.oasis.opendocument.spreadsheet":
                        return "ods"
                    raise _fail(
                        path,
                        f"document OpenDocument qui n'est pas un tableur ({mime}) ; "
                        "enregistrez-le en .ods, .xlsx ou .csv.",
                    )
                if any(n.startswith("xl/") for n in names):
                    return "xlsx"
        except zipfile.BadZipFile:
            raise _fail(
                path, "archive ZIP endommagée : ce n'est pas un classeur lisible."
            ) from None
        raise _fail(path, "archive ZIP qui n'est pas un classeur (attendu : .csv, .xlsx ou .ods).")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    return "csv"


def _sniff_encoding(path: Path, head: bytes, *, full: bool) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if sample and b"\x00" in sample:
        # UTF-16 without BOM: every other byte of ASCII text is zero.
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "utf-16-be"
        raise _fail(
            path,
            "fichier binaire, pas un tableau (attendu : CSV, XLSX ou ODS).",
        )
    if head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise _fail(path, "fichier binaire (PDF ou image), pas un tableau.")
    if _is_utf8(path, head, full=full):
        return "utf-8"
    data = head if not full else path.read_bytes()
    return "iso-8859-1" if _CP1252_UNDEFINED.intersection(data) else "windows-1252"


def _is_utf8(path: Path, head: bytes, *, full: bool) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        if not full or len(head) < SAMPLE_BYTES:
            # A sample may end in the middle of a character: final=False tolerates that.
            decoder.decode(head, final=len(head) < SAMPLE_BYTES)
            return True
        with open(path, "rb") as fh:
            while chunk := fh.read(SAMPLE_BYTES * 8):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        return True
    except UnicodeDecodeError:
        return False


def _sniff_delimiter(text: str) -> str:
    """The candidate that splits the sample into the most regular rows of ≥ 2 cells."""
    lines = text.splitlines()
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may cut the last line
    sample = "\n".join(lines[:200])
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = [r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        agree = sum(len(r) == width for r in rows[1:]) / max(1, len(rows) - 1)
        score = (round(agree, 2), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def detect(path: str | Path, sheet: str | None = None, *, full: bool = True) -> dict[str, Any]:
    """Format, encoding, delimiter (CSV) or sheet (spreadsheets) of ``path``.

    ``full=False`` trusts the first megabyte for the encoding (the engine re-detects if a
    later byte is not UTF-8), which keeps huge files fast.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path} : fichier introuvable.")
    if path.is_dir():
        raise InputError(f"{path} : c'est un dossier, pas un fichier.")
    try:
        with open(path, "rb") as fh:
            head = fh.read(SAMPLE_BYTES)
    except OSError as exc:
        raise InputError(f"{path} : lecture impossible ({exc.strerror or exc}).") from None
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise _fail(path, "le fichier est vide (aucun en-tête ni aucune ligne).")
    fmt = _sniff_format(path, head)
    if fmt in SPREADSHEET_FORMATS:
        return {
            "format": fmt,
            "encoding": None,
            "delimiter": None,
            "sheet": _pick_sheet(path, sheet),
        }
    encoding = _sniff_encoding(path, head, full=full)
    text = head.decode(encoding, errors="ignore")
    return {
        "format": "csv",
        "encoding": encoding,
        "delimiter": _sniff_delimiter(text.lstrip("\ufeff")),
        "sheet": None,
    }


# --------------------------------------------------------------------------- spreadsheets


def _workbook(path: Path):
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        raise _fail(path, f"classeur illisible ({type(exc).__name__} : {exc}).") from None


def _pick_sheet(path: Path, sheet: str | None) -> str:
    wb = _workbook(path)
    names = list(wb.sheet_names)
    if not names:
        raise _fail(path, "le classeur ne contient aucune feuille.")
    if sheet is None:
        return names[0]
    if sheet not in names:
        raise _fail(
            path, f"feuille « {sheet} » introuvable ; feuilles présentes : {', '.join(names)}."
        )
    return sheet


def spreadsheet_cell(value: Any) -> str:
    """A spreadsheet value written as the CSV a steward would have exported."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, _dt.datetime):
        if value.hour == value.minute == value.second == value.microsecond == 0:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, _dt.date | _dt.time):
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        return str(value)
    return str(value)


def _sheet_rows(path: Path, sheet: str) -> list[list[str]]:
    wb = _workbook(path)
    try:
        raw = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception as exc:
        raise _fail(path, f"feuille « {sheet} » illisible ({exc}).") from None
    rows = [[spreadsheet_cell(v) for v in r] for r in raw]
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()  # formatted but empty rows at the bottom of the sheet
    if not rows:
        raise _fail(path, f"la feuille « {sheet} » est vide.")
    width = len(rows[0])
    while width and not rows[0][width - 1].strip():
        width -= 1
    for r in rows:
        # A spreadsheet is rectangular: trailing empty cells are not "missing cells".
        end = len(r)
        while end > width and not r[end - 1]:
            end -= 1
        del r[end:]
        r.extend([""] * (width - len(r)))
    return rows


# --------------------------------------------------------------------------- row reading


def _open_text(path: Path, encoding: str):
    return open(path, encoding=encoding, newline="", errors="strict")


def read_rows(path: str | Path, sheet: str | None = None) -> Table:
    """Open ``path`` and return its header and a row iterator (cells as strings).

    Meant for small and medium files and for code that works row by row; the
    validation engine uses :func:`iter_batches` instead.
    """
    path = Path(path)
    detected = detect(path, sheet)
    if detected["format"] in SPREADSHEET_FORMATS:
        rows = _sheet_rows(path, detected["sheet"])
        return Table(
            path=path,
            detected=detected,
            header=rows[0],
            rows=iter([(i, r) for i, r in enumerate(rows[1:], start=2)]),
        )
    fh = _open_text(path, detected["encoding"])
    reader = csv.reader(fh, delimiter=detected["delimiter"], strict=False)
    try:
        header = next(reader, [])
    except (csv.Error, UnicodeError) as exc:
        fh.close()
        raise _fail(path, f"en-tête illisible ({exc}).") from None
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            yield from enumerate(reader, start=2)
        except csv.Error as exc:
            raise _fail(path, f"ligne {reader.line_num} illisible ({exc}).") from None
        except UnicodeError:
            raise _fail(
                path, f"ligne {reader.line_num} : octets invalides pour l'encodage détecté."
            ) from None
        finally:
            fh.close()

    return Table(path=path, detected=detected, header=header, rows=rows())


def read_header(path: Path, detected: dict[str, Any]) -> tuple[list[str], int]:
    """The header cells and the number of physical lines they span."""
    if detected["format"] in SPREADSHEET_FORMATS:
        return _sheet_rows(path, detected["sheet"])[0], 1
    try:
        # "replace": the text stream decodes ahead of the header; a bad byte further down
        # is the engine's business (it re-reads the file in the right encoding).
        with open(path, encoding=detected["encoding"], newline="", errors="replace") as fh:
            reader = csv.reader(fh, delimiter=detected["delimiter"], strict=False)
            header = next(reader, [])
            lines = reader.line_num
    except (csv.Error, UnicodeError) as exc:
        raise _fail(path, f"en-tête illisible ({exc}).") from None
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    return header, max(lines, 1)


# --------------------------------------------------------------------------- batches


def iter_batches(
    path: str | Path,
    detected: dict[str, Any],
    ncols: int,
    *,
    batch_rows: int = 65_536,
    header_lines: int = 1,
) -> Iterator[Batch]:
    """Data rows of ``path`` as columnar :class:`Batch` es of about ``batch_rows`` rows.

    Peak memory depends on ``batch_rows``, not on the file size. ``ncols`` is the number
    of header cells: rows with another count are ragged and handled exactly (missing
    cells are null, extra cells are listed in ``Batch.extra``).
    """
    path = Path(path)
    if detected["format"] in SPREADSHEET_FORMATS:
        yield from _sheet_batches(path, detected, ncols, batch_rows)
        return
    if detected.get("parser") == "python":
        yield from _python_batches(path, detected, ncols, batch_rows)
        return
    yield from _csv_batches(path, detected, ncols, batch_rows, header_lines)


def _python_batches(path: Path, detected: dict[str, Any], ncols: int, batch_rows: int):
    """Python's csv module, for files pyarrow refuses (an unclosed quote at the end…).

    Slower, but it reads what frictionless reads, so the report still matches it.
    """
    import numpy as np
    import polars as pl

    ncols = max(ncols, 1)
    names = [f"c{i}" for i in range(ncols)]
    with open(path, encoding=detected["encoding"], newline="", errors="replace") as fh:
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
                raise _fail(path, f"ligne {reader.line_num} illisible ({exc}).") from None
            if cells is not None:
                number += 1
                chunk.append((number, start, cells))
                start = reader.line_num + 1
            if chunk and (cells is None or len(chunk) >= batch_rows):
                extra = [
                    (n, line, [(i + 1, v) for i, v in enumerate(c) if i >= ncols])
                    for n, line, c in chunk
                    if len(c) > ncols
                ]
                data = {
                    names[i]: pl.Series(
                        [None if not c else (c[i] if i < len(c) else None) for _n, _l, c in chunk],
                        dtype=pl.String,
                    )
                    for i in range(ncols)
                }
                yield Batch(
                    frame=pl.DataFrame(data),
                    rows=np.array([n for n, _l, _c in chunk], dtype=np.int64),
                    lines=np.array([line for _n, line, _c in chunk], dtype=np.int64),
                    extra=extra,
                    nbytes=fh.tell() if hasattr(fh, "tell") else 0,
                )
                chunk = []
            if cells is None:
                return


def _sheet_batches(path: Path, detected: dict[str, Any], ncols: int, batch_rows: int):
    import numpy as np
    import polars as pl

    rows = _sheet_rows(path, detected["sheet"])[1:]
    for start in range(0, len(rows), batch_rows):
        chunk = rows[start : start + batch_rows]
        numbers = np.arange(start + 2, start + 2 + len(chunk), dtype=np.int64)
        extra = []
        data: list[list[str | None]] = [[] for _ in range(ncols)]
        for number, cells in zip(numbers.tolist(), chunk, strict=True):
            if len(cells) > ncols:
                extra.append(
                    (number, number, [(i + 1, v) for i, v in enumerate(cells) if i >= ncols])
                )
            for i in range(ncols):
                data[i].append(cells[i] if i < len(cells) else None)
        frame = pl.DataFrame(
            {f"c{i}": pl.Series(data[i], dtype=pl.String) for i in range(ncols)},
            schema={f"c{i}": pl.String for i in range(ncols)},
        )
        yield Batch(frame=frame, rows=numbers, lines=numbers.copy(), extra=extra)


def _csv_batches(
    path: Path, detected: dict[str, Any], ncols: int, batch_rows: int, header_lines: int
):
    ncols = max(ncols, 1)
    names = [f"c{i}" for i in range(ncols)]
    irregular: list[tuple[int, str, int]] = []  # (record number, text, cell count)

    broken: list[int] = []

    def on_invalid(row) -> str:
        irregular.append((row.number, row.text, row.actual_columns))
        return "skip"

    encoding = detected["encoding"]
    utf8 = encoding in ("utf-8", "utf-8-sig")
    # pyarrow decodes a ragged row's text before calling the handler: a row that is not
    # UTF-8 fails there, as an "unraisable" exception printed on stderr. Our hook
    # swallows it, notes it, and the file is re-read as Windows-1252.
    _install_unraisable_hook()
    _BROKEN_ROWS[id(on_invalid)] = broken
    try:
        yield from _csv_batches_inner(
            path,
            detected,
            ncols,
            batch_rows,
            header_lines,
            names,
            irregular,
            broken,
            on_invalid,
            utf8,
        )
    finally:
        _BROKEN_ROWS.pop(id(on_invalid), None)


_BROKEN_ROWS: dict[int, list[int]] = {}
"""id(handler) → its list of undecodable ragged rows, for every CSV being read."""
_OUR_HOOK = None


def _install_unraisable_hook() -> None:
    """One hook per process (concurrent reads never fight over it), put back on top if
    something else (a test runner, a server) replaced it since."""
    global _OUR_HOOK
    if _OUR_HOOK is not None and sys.unraisablehook is _OUR_HOOK:
        return
    previous = sys.unraisablehook

    def hook(unraisable) -> None:
        broken = _BROKEN_ROWS.get(id(unraisable.object))
        if broken is not None:
            broken.append(1)
        else:
            previous(unraisable)

    sys.unraisablehook = _OUR_HOOK = hook


def _csv_batches_inner(
    path, detected, ncols, batch_rows, header_lines, names, irregular, broken, on_invalid, utf8
):
    import numpy as np
    import polars as pl
    import pyarrow as pa
    import pyarrow.csv as pacsv

    encoding = detected["encoding"]
    pa_encoding = {"utf-8-sig": "utf8", "utf-8": "utf8"}.get(encoding, encoding)
    source = pa.OSFile(str(path))
    try:
        reader = pacsv.open_csv(
            source,
            read_options=pacsv.ReadOptions(
                column_names=names,
                skip_rows=0,
                skip_rows_after_names=1,
                use_threads=False,  # record numbers of ragged rows are only known single-threaded
                block_size=BLOCK_BYTES,
                encoding=pa_encoding,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=detected["delimiter"],
                quote_char='"',
                double_quote=True,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=True,
            ),
        )
    except pa.ArrowInvalid as exc:
        if "Empty CSV file" in str(exc):
            return
        if "UTF8" in str(exc):
            raise _Reencode() from None
        raise (_Reencode() if broken and utf8 else _PythonParser()) from None
    except UnicodeError as exc:
        raise _fail(path, f"octets invalides pour l'encodage {encoding} ({exc}).") from None

    next_record = 2  # the header is record 1
    line_offset = header_lines - 1  # extra physical lines before the current record
    pending: list = []
    pending_rows = 0

    def flush(batches: list, end_of_file: bool) -> Batch:
        nonlocal next_record, line_offset
        if broken:
            raise _Reencode() if utf8 else _PythonParser()
        table = pa.Table.from_batches(batches) if batches else None
        frame = (
            pl.from_arrow(table, rechunk=False)
            if table is not None and table.num_rows
            else pl.DataFrame(schema=dict.fromkeys(names, pl.String))
        )
        n = frame.height
        # Irregular rows reported so far that fall before the end of this batch.
        irregular.sort()
        taken: list[tuple[int, str, int]] = []
        if irregular:
            limit = next_record + n + len(irregular)
            taken = [r for r in irregular if r[0] < limit] if not end_of_file else irregular[:]
            # Keep only those that really fall within the numbers this batch covers.
            while True:
                span_end = next_record + n + len(taken)
                keep = [r for r in taken if r[0] < span_end]
                if len(keep) == len(taken):
                    break
                taken = keep
            for r in taken:
                irregular.remove(r)
        span = np.arange(next_record, next_record + n + len(taken), dtype=np.int64)
        taken_numbers = np.array([r[0] for r in taken], dtype=np.int64)
        mask = ~np.isin(span, taken_numbers)
        rows = span[mask]
        # Physical lines: one per record plus the newlines quoted inside cells.
        # Only columns whose bytes hold a newline at all are counted cell by cell: a
        # memchr over each column's data buffer is far cheaper than a count per cell.
        quoted = [c for c in names if _has_newline(batches, c)] if n else []
        if quoted:
            newline_counts = (
                frame.select(
                    pl.sum_horizontal(
                        pl.col(c).str.count_matches("\n", literal=True) for c in quoted
                    )
                )
                .to_series()
                .to_numpy()
            )
        else:
            newline_counts = np.zeros(n, dtype=np.int64)
        extra_lines = np.zeros(span.size, dtype=np.int64)
        extra_lines[mask] = newline_counts
        extras: list[tuple[int, int, list[tuple[int, str]]]] = []
        ragged_cells: list[list[str] | None] = []
        for number, text, _count in taken:
            cells = _split_record(text, detected["delimiter"])
            ragged_cells.append(cells)
            extra_lines[number - next_record] = text.count("\n")
        starts = span + line_offset + np.concatenate(([0], np.cumsum(extra_lines)[:-1]))
        if span.size:
            line_offset += int(extra_lines.sum())
        lines = starts[mask]
        if taken:
            ragged_rows = []
            for (number, _text, _count), cells in zip(taken, ragged_cells, strict=True):
                line = int(starts[number - next_record])
                if cells is None:  # a blank line
                    ragged_rows.append([None] * ncols)
                    continue
                if len(cells) > ncols:
                    extras.append(
                        (number, line, [(i + 1, v) for i, v in enumerate(cells) if i >= ncols])
                    )
                ragged_rows.append([cells[i] if i < len(cells) else None for i in range(ncols)])
            ragged_frame = pl.DataFrame(
                [
                    pl.Series(names[i], [r[i] for r in ragged_rows], dtype=pl.String)
                    for i in range(ncols)
                ]
            )
            # Ragged rows go last: re-sorting the whole batch would cost a gather of every
            # column, and nothing downstream needs the rows in order within a batch.
            frame = pl.concat([frame, ragged_frame], how="vertical")
            rows = np.concatenate([rows, taken_numbers])
            lines = np.concatenate([lines, starts[~mask]])
        next_record += span.size
        return Batch(frame=frame, rows=rows, lines=lines, extra=extras, nbytes=source.tell())

    try:
        for record_batch in reader:
            pending.append(record_batch)
            pending_rows += record_batch.num_rows
            if pending_rows >= batch_rows:
                batch = flush(pending, False)
                pending, pending_rows = [], 0  # not kept alive while the batch is in use
                yield batch
                del batch
        if pending or irregular:
            yield flush(pending, True)
    except pa.ArrowInvalid as exc:
        message = str(exc)
        if "invalid UTF8" in message or "UTF8" in message:
            raise _Reencode() from None
        raise (_Reencode() if broken and utf8 else _PythonParser()) from None
    except UnicodeError as exc:
        reason = getattr(exc, "reason", exc)
        raise _fail(path, f"octets invalides pour l'encodage {encoding} ({reason}).") from None


def _has_newline(batches: list, name: str) -> bool:
    """Whether a string column of pyarrow record batches may hold a newline (a buffer
    wider than the column only makes the answer "maybe", never a wrong "no")."""
    for record_batch in batches:
        data = record_batch.column(name).buffers()[2]
        if data is not None and b"\n" in data.to_pybytes():
            return True
    return False


class _Reencode(Exception):
    """A byte after the sampled megabyte is not UTF-8: read again as Windows-1252."""


class _PythonParser(Exception):
    """pyarrow could not parse the file: read it again with Python's csv module."""


def _split_record(text: str, delimiter: str) -> list[str] | None:
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
