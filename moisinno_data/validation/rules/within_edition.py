"""``within-edition``: an event's dates should fall within its edition's dates (warning).

The edition's dates come from the published ``editions`` table (the data package's
``datasets/editions.csv``), read once per process and file version. An edition whose
dates are unknown (empty) is skipped, as is an edition the table does not have (that is
the ``foreign-key`` finding's job). A warning, not an error: an event announced before or
after the month (a closing session, a preview) is possible, but worth a second look.

Params: ``edition`` (column holding the edition's year) and ``dates`` (list of date or
datetime columns); optional ``resource`` (published table, default ``editions``), ``key``
(its year column, default ``annee``), ``start`` / ``end`` (its date columns, default
``date_debut`` / ``date_fin``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from moisinno_data.package import paths
from moisinno_data.validation.kinds import Kind
from moisinno_data.validation.messages import column_phrase, quote, t
from moisinno_data.validation.report import Finding
from moisinno_data.validation.rules._cells import (
    RAW,
    as_read,
    findings_from,
    local_date,
    well_formed,
)
from moisinno_data.validation.rules._params import Param

NAME = "within-edition"
PARAMS = {
    "edition": Param("column"),
    "dates": Param("columns"),
    **{k: Param("text", required=False) for k in ("resource", "key", "start", "end")},
}


@cache
def _editions(path: Path, mtime: float, key: str, start: str, end: str) -> pl.DataFrame:
    frame = pl.read_csv(path, infer_schema=False)
    missing = {key, start, end} - set(frame.columns)
    if missing:
        return pl.DataFrame(
            schema={"__edition__": pl.Utf8, "__start__": pl.Date, "__end__": pl.Date}
        )
    return frame.select(
        pl.col(key).str.strip_chars().alias("__edition__"),
        pl.col(start).str.to_date("%Y-%m-%d", strict=False).alias("__start__"),
        pl.col(end).str.to_date("%Y-%m-%d", strict=False).alias("__end__"),
    ).filter(pl.col("__start__").is_not_null() | pl.col("__end__").is_not_null())


def editions(
    resource: str = "editions", key: str = "annee", start: str = "date_debut", end: str = "date_fin"
) -> pl.DataFrame:
    """The published editions with known dates: ``__edition__``, ``__start__``, ``__end__``."""
    path = paths.dataset_path(resource)
    if not path.is_file():
        return pl.DataFrame(
            schema={"__edition__": pl.Utf8, "__start__": pl.Date, "__end__": pl.Date}
        )
    return _editions(path, path.stat().st_mtime, key, start, end)


def check(params: dict[str, Any], batch: pl.DataFrame, context: Any) -> list[Finding]:
    edition = params.get("edition")
    dates = params.get("dates")
    if isinstance(dates, str):
        dates = [dates]
    if not isinstance(edition, str) or edition not in batch.columns or not isinstance(dates, list):
        return []
    dates = [d for d in dates if isinstance(d, str) and d in batch.columns]
    if not dates:
        return []
    known = editions(
        str(params.get("resource", "editions")),
        str(params.get("key", "annee")),
        str(params.get("start", "date_debut")),
        str(params.get("end", "date_fin")),
    )
    if not known.height:
        return []
    frame = (
        as_read(batch.filter(well_formed(context.schema, edition)), context.schema, dates)
        .with_columns(pl.col(edition).str.strip_chars().alias("__edition__"))
        .join(known, on="__edition__", how="inner")
    )
    findings: list[Finding] = []
    bounds = frame.with_columns(
        pl.col("__start__").dt.to_string("%Y-%m-%d").alias("start"),
        pl.col("__end__").dt.to_string("%Y-%m-%d").alias("end"),
        pl.col("__edition__").alias("edition"),
    )
    for column in dates:
        # ISO days sort as strings: compare the first ten characters, then check (on the few
        # rows outside) that the cell really is an ISO date or datetime.
        day = pl.col(column).str.strip_chars().str.slice(0, 10)
        outside = (day < pl.col("start")).fill_null(False) | (day > pl.col("end")).fill_null(False)
        wrong = bounds.filter(outside)
        if wrong.height:
            wrong = wrong.filter(local_date(column).is_not_null())
        findings += findings_from(
            wrong,
            code="date-outside-edition",
            field=column,
            value_col=RAW + column,
            severity="warning",
            params=["edition", "start", "end"],
        )
    return findings


# --- what its findings say (the registry of finding kinds collects KINDS) ---------


def _outside_edition(f: Finding, lang: str) -> str:
    p = f.params or {}
    return t(
        lang,
        f"La date {quote(f.value, lang)} de {column_phrase(f, lang)} est hors des dates de l'édition "
        f"{p.get('edition')} (du {p.get('start') or '?'} au {p.get('end') or '?'}).",
        f"Date {quote(f.value, lang)} in {column_phrase(f, lang)} is outside edition {p.get('edition')} "
        f"(from {p.get('start') or '?'} to {p.get('end') or '?'}).",
    )


KINDS = (
    Kind(
        "date-outside-edition", "warning", ("Date hors de l'édition", "Date outside the edition"),
        _outside_edition,
        (
            "vérifiez la date ou l'édition : l'édition {edition} se tient du {start} au {end}",
            "check the date or the edition: edition {edition} runs from {start} to {end}",
        ),
        f"rule:{NAME}",
    ),
)  # fmt: skip
