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

from moisinno_data.validation.report import Report

MAX_SAMPLES = 500
"""Offending rows kept: enough for a report someone reads, bounded for a 1M-row file."""


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
        table = read_rows(path, sheet=sheet or (report.detected or {}).get("sheet"))
    except (MoisinnoError, OSError):
        return report
    report.header = [str(h) for h in table.header]
    if not wanted:
        return report
    last, want = wanted[-1], set(wanted)
    try:
        for number, cells in table.rows:
            if number in want:
                report.samples[number] = [str(c) for c in cells]
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
