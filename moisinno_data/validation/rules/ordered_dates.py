"""``ordered-dates``: an end date or datetime must not precede its start.

Dates and datetimes (ISO 8601, with or without a UTC offset) are compared as instants;
when one side is a plain date the two are compared by calendar day, so an event ending
"2020-11-17" is not flagged for starting "2020-11-17T10:00:00+01:00". Cells that are not
ISO dates are left to the engine's ``type-error``.

Params: ``start`` and ``end`` (column names). The finding is on the end column.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from moisinno_data.validation.kinds import Kind
from moisinno_data.validation.messages import quote, t
from moisinno_data.validation.report import Finding
from moisinno_data.validation.rules._cells import (
    RAW,
    as_read,
    findings_from,
    is_date_only,
    local_date,
    to_instant,
)
from moisinno_data.validation.rules._params import Param

NAME = "ordered-dates"
PARAMS = {"start": Param("column"), "end": Param("column")}


def check(params: dict[str, Any], batch: pl.DataFrame, context: Any) -> list[Finding]:
    start, end = params.get("start"), params.get("end")
    if not (
        isinstance(start, str)
        and isinstance(end, str)
        and start in batch.columns
        and end in batch.columns
    ):
        return []
    batch = as_read(batch, context.schema, (start, end))  # a date as %d/%m/%Y → ISO
    # Fast path: two ISO values of the same shape and UTC offset sort as strings, so only
    # rows whose strings are out of order, or whose shapes differ, need parsing.
    s_col, e_col = pl.col(start), pl.col(end)
    same_shape = (s_col.str.len_chars() == e_col.str.len_chars()) & (
        (s_col.str.len_chars() <= 19) | (s_col.str.slice(-6) == e_col.str.slice(-6))
    )
    candidates = batch.filter(
        s_col.is_not_null() & e_col.is_not_null() & (~same_shape | (e_col < s_col))
    )
    if not candidates.height:
        return []
    by_day = is_date_only(start) | is_date_only(end)
    before = (
        pl.when(by_day)
        .then(local_date(end) < local_date(start))
        .otherwise(to_instant(end) < to_instant(start))
    )
    wrong = candidates.filter(before.fill_null(False)).with_columns(
        pl.col(RAW + start).alias("start")
    )
    return findings_from(
        wrong, code="end-before-start", field=end, value_col=RAW + end, params=["start"]
    )


# --- what its findings say (the registry of finding kinds collects KINDS) ---------


def _end_before_start(f: Finding, lang: str) -> str:
    start = (f.params or {}).get("start", "?")
    return t(
        lang,
        f"La fin {quote(f.value, lang)} ({f.field}) précède le début {quote(start, lang)}.",
        f"The end {quote(f.value, lang)} ({f.field}) is before the start {quote(start, lang)}.",
    )


KINDS = (
    Kind(
        "end-before-start", "error", ("Fin avant le début", "End before start"),
        _end_before_start,
        ("le début et la fin sont peut-être inversés", "start and end may be swapped"),
        f"rule:{NAME}",
    ),
)  # fmt: skip
