"""Keep the offending rows' cells in a report, so the HTML report can show them.

The engine works on columns and keeps only findings; a steward reading the report wants
to see the rows themselves with the bad cells lit. :func:`attach_samples` reads them
back from the file once validation is over — while the file still exists (the CLI calls
it before rendering HTML; a caller validating a temporary upload calls it before deleting
the upload).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from moisinno_data.reading.sheets import SPREADSHEET_FORMATS
from moisinno_data.validation.report import Report

MAX_SAMPLES = 500
"""Offending rows kept: enough for a report someone reads, bounded for a 1M-row file."""

MAX_BEYOND = 20
"""Cells past the header kept of one row, at most; the others are counted."""


def attach_samples(
    report: Report, path: str | Path, *, sheet: str | None = None, limit: int = MAX_SAMPLES
) -> Report:
    """Fill ``report.header`` and ``report.samples`` (the first ``limit`` offending rows).

    Reading stops at the last wanted row. A file that can no longer be read leaves the
    report without samples (the HTML report then says the rows are not available): the
    findings themselves are never at stake here.
    """
    from moisinno_data.errors import MoisinnoError
    from moisinno_data.reading import read_rows

    rows = report.found().get_column("row")
    wanted = rows.filter(rows > 1).unique().sort().head(limit).to_list()
    try:
        table = read_rows(path, sheet=sheet or (report.detected or {}).get("sheet"), padded=False)
    except (MoisinnoError, OSError):
        return report
    report.header = [str(h) for h in table.header]
    if not wanted:
        return report
    last, want = wanted[-1], set(wanted)
    width, in_sheet = len(report.header), table.detected["format"] in SPREADSHEET_FORMATS
    try:
        for number, cells in table.rows:
            if number in want:
                report.samples[number] = _as_shown([str(c) for c in cells], width, in_sheet)
            if number >= last:
                break
    except (MoisinnoError, OSError):
        pass
    finally:
        close = getattr(table.rows, "close", None)
        if close is not None:
            with contextlib.suppress(Exception):
                close()
    return report


def _as_shown(cells: list[str], width: int, sheet: bool) -> list[str]:
    """A row as the pages show it: its cells under the header (a sheet's row stops at its
    last cell), then those past it as validate reports them (:func:`.batches.beyond`),
    each after its column's letter, ``(XFD) note``, at most :data:`MAX_BEYOND`. A value
    typed in column XFD was a row of 16,384 cells on the page, for one extra cell."""
    if len(cells) <= width:
        return cells
    from moisinno_data.reading.batches import beyond
    from moisinno_data.reading.xlsx import column_letter

    past = beyond(cells, width, sheet)
    shown = [f"({column_letter(column)}) {value}" for column, value in past[:MAX_BEYOND]]
    if len(past) > MAX_BEYOND:
        shown.append(f"… (+{len(past) - MAX_BEYOND})")
    return cells[:width] + shown
