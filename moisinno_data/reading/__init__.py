"""Open a contributed file whatever French office software produced it — or an attacker.

Stewards receive CSV files in UTF-8, UTF-8 with BOM, Windows-1252 or UTF-16, separated by
``,`` ``;`` tabs or ``|``, and spreadsheets (XLSX, XLS, ODS). Every cell is handed over as
a *string*, within a resource :class:`Budget`:

- :func:`detect` (:mod:`.sniff`) — format, encoding (bytes told honestly), delimiter, sheet;
- :func:`read_rows` / :func:`read_header` (:mod:`.rows`) — a plain row iterator for small
  jobs: ``(row_number, cells)`` with the header as row 1, like a spreadsheet;
- :func:`iter_batches` (:mod:`.batches`) — columnar batches for the validation engine,
  each with the marks of its cells (:mod:`.marks`: control characters, lost characters,
  overlong cells).

Spreadsheets are streamed (:mod:`.sheets`, :mod:`.xlsx`, :mod:`.ods`) and their archives
checked (:mod:`.archive`) so no file can exhaust memory or abort the process. An unreadable
or oversized file raises :class:`~moisinno_data.errors.InputError` with one French
sentence.
"""

from __future__ import annotations

from moisinno_data.reading.batches import (
    Batch,
    Reencode,
    UsePythonParser,
    iter_batches,
    open_quote_at_end,
)
from moisinno_data.reading.budget import DEFAULT as DEFAULT_BUDGET
from moisinno_data.reading.budget import Budget, limits
from moisinno_data.reading.cells import spreadsheet_cell
from moisinno_data.reading.marks import header_marks
from moisinno_data.reading.rows import Table, first_rows, read_header, read_rows
from moisinno_data.reading.sheets import (
    SPREADSHEET_FORMATS,
    merged_cells,
    other_sheets,
    other_sheets_said,
)
from moisinno_data.reading.sniff import classify, detect, reclassify, separator_lines

__all__ = [
    "DEFAULT_BUDGET",
    "SPREADSHEET_FORMATS",
    "Batch",
    "Budget",
    "Reencode",
    "Table",
    "UsePythonParser",
    "classify",
    "detect",
    "first_rows",
    "header_marks",
    "iter_batches",
    "limits",
    "merged_cells",
    "open_quote_at_end",
    "other_sheets",
    "other_sheets_said",
    "read_header",
    "read_rows",
    "reclassify",
    "separator_lines",
    "spreadsheet_cell",
]
