"""The HTML report: one self-contained file a steward can e-mail to a contributor.

No external resource (inline CSS, no script, no font or image to fetch), so it opens the
same in any mail client or browser, offline. Jinja2 escapes every value — cells come from
strangers' files and may hold ``<script>``. The offending rows are shown as a table with
the bad cells highlighted, from ``Report.samples`` (the cells the engine kept).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jinja2
import polars as pl

from moisinno_data.__about__ import __version__
from moisinno_data.reading.xlsx import column_letter
from moisinno_data.report import (
    detected_line,
    groups,
    header_mapping,
    omitted_line,
    schema_line,
    unchecked_columns,
)
from moisinno_data.report.labels import kind, word
from moisinno_data.validation.report import Finding, Report, shown_field

MAX_SAMPLE_ROWS = 500
"""Rows shown in the table of offending rows; the findings list stays complete."""


@dataclass
class Cell:
    text: str
    css: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class SampleRow:
    number: int
    cells: list[Cell]
    css: str = ""
    notes: list[str] = field(default_factory=list)


SHOWN_CELL_CHARS = 1000
"""What a page (this report, the web page) shows of one cell or value: five cells of
15 MiB made a 236 MB page. A finding keeps no more of its cell
(:data:`~moisinno_data.validation.report.VALUE_CHARS`)."""


def shown_cell(value: Any) -> Any:
    """A cell or a finding's value as a page shows it: cut to :data:`SHOWN_CELL_CHARS`."""
    if isinstance(value, str) and len(value) > SHOWN_CELL_CHARS:
        return value[:SHOWN_CELL_CHARS] + "…"
    return value


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("moisinno_data.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["shown"] = shown_cell
    return env


def _field_positions(report: Report) -> dict[str, int]:
    """Schema field → 0-based position in the file's header (after renaming)."""
    header = report.header or []
    renamed = header_mapping(report)
    return {renamed.get(h, h): i for i, h in enumerate(header)}


def _position(f: Finding, positions: dict[str, int]) -> int | None:
    if f.column:
        return f.column - 1
    if f.field and f.field in positions:
        return positions[f.field]
    return None


MAX_SHOWN_COLUMNS = 200
"""Columns of the header a page's table of rows shows, at most."""


def shown_columns(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[int]:
    """The header's columns (0-based) a page's table of rows shows: all of them, or, in
    a header wider than :data:`MAX_SHOWN_COLUMNS`, those named or holding a value in a
    row shown, at most that many. Under a label typed in XFD1, each row shown was 16,384
    cells: 500 rows made a 74 MB page, built in 67 s and 3 GB."""
    width = len(header)
    if width <= MAX_SHOWN_COLUMNS:
        return list(range(width))
    filled = {i for row in rows for i, value in enumerate(row[:width]) if value}
    kept = (i for i, label in enumerate(header) if label.strip() or i in filled)
    return list(itertools.islice(kept, MAX_SHOWN_COLUMNS))


def sample_rows(
    report: Report, columns: list[int], limit: int = MAX_SAMPLE_ROWS
) -> list[SampleRow]:
    """The offending rows as the ``columns`` shown (:func:`shown_columns`), then their
    cells past the header (:func:`.samples.attach_samples` says them with their column),
    each cell lit by the worst finding on it."""
    positions = _field_positions(report)
    width, at_shown = len(report.header or []), {c: i for i, c in enumerate(columns)}
    by_row: dict[int, list[Finding]] = {}
    on_samples = report.in_order(pl.col("row").is_in(list(report.samples)))
    for f in report.materialise(on_samples):  # not every finding: those of the rows shown
        if f.row is not None:
            by_row.setdefault(f.row, []).append(f)
    rows = []
    for number in sorted(report.samples)[:limit]:
        values = report.samples[number]
        cells = [Cell(str(values[c]) if c < len(values) else "") for c in columns]
        cells += [Cell(str(v), "err") for v in values[width:]]
        row = SampleRow(number, cells)
        for f in by_row.get(number, []):
            css = "err" if f.severity == "error" else "warn"
            at = _position(f, positions)  # past the header or not shown: the row is lit
            target = cells[at_shown[at]] if at in at_shown else None
            holder = target if target is not None else row
            if holder.css != "err":
                holder.css = css
            if f.message:
                holder.notes.append(f.message)
        rows.append(row)
    return rows


def render_html(report: Report, *, lang: str = "fr", max_per_kind: int | None = None) -> str:
    return render_html_many([report], lang=lang, max_per_kind=max_per_kind)


def _item(report: Report, lang: str, max_per_kind: int | None) -> dict[str, Any]:
    """What the page says of one file."""
    columns = shown_columns(report.header or [], report.samples.values())
    return {
        "r": report,
        "schema": schema_line(report, lang),
        "detected": detected_line(report, lang),
        "mapping": header_mapping(report),
        "unchecked": unchecked_columns(report, lang),
        "groups": groups(report, max_per_kind),
        "omitted": omitted_line(report, lang),
        "columns": [((report.header or [])[c], column_letter(c + 1)) for c in columns],
        "samples": sample_rows(report, columns),
        "samples_total": len(report.samples),
    }


def render_html_many(
    reports: list[Report], *, lang: str = "fr", max_per_kind: int | None = None
) -> str:
    """One page for several files (``moisinno validate a.csv b.xlsx --format html``)."""
    template = _environment().get_template("report.html.j2")
    items = [_item(report, lang, max_per_kind) for report in reports]
    title = reports[0].file if len(reports) == 1 else f"{len(reports)} fichiers"
    if len(reports) != 1 and lang == "en":
        title = f"{len(reports)} files"
    return template.render(
        items=items,
        title=title,
        lang=lang,
        w=lambda key, **kw: word(key, lang, **kw),
        kind=lambda code: kind(code, lang),
        letter=column_letter,
        name=lambda f: shown_field(f.code, f.field, f.params),
        max_per_kind=max_per_kind,
        version=__version__,
    )
