"""``year-interval-value``: validata-core's year interval check (``AAAA/AAAA``).

A non-empty cell is a period ``2017/2019`` whose second year is after the first; with
``allow-year-only`` set to ``"true"`` or ``"yes"`` (validata-core's words; a JSON
``true`` is taken too) a single year ``2018`` is accepted as well. ``params["reason"]`` says
what is wrong: ``format``, ``same`` (2017/2017) or ``order`` (2019/2017).

Params: ``column``; optional ``allow-year-only``.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from moisinno_data.validation.kinds import Kind
from moisinno_data.validation.messages import column_phrase, quote, t
from moisinno_data.validation.report import Finding
from moisinno_data.validation.rules._cells import columns_in, findings_from, well_formed
from moisinno_data.validation.rules._params import Param

NAME = "year-interval-value"
YES = ("true", "yes", True)
PARAMS = {
    "column": Param("column"),
    "allow-year-only": Param(
        "choice", required=False, choices=("true", "yes", "false", "no", True, False)
    ),
}


def check(params: dict[str, Any], batch: pl.DataFrame, context: Any) -> list[Finding]:
    column = params.get("column")
    if not isinstance(column, str) or not columns_in(batch, column):
        return []
    year_only = params.get("allow-year-only") in YES
    col = pl.col(column)
    first = col.str.extract(r"^([0-9]{4})/[0-9]{4}$", 1).cast(pl.Int32, strict=False)
    second = col.str.extract(r"^[0-9]{4}/([0-9]{4})$", 1).cast(pl.Int32, strict=False)
    single = col.str.contains(r"^[0-9]{4}$")
    reason = (
        pl.when(first.is_null())
        .then(pl.when(single & pl.lit(year_only)).then(None).otherwise(pl.lit("format")))
        .when(first == second)
        .then(pl.lit("same"))
        .when(first > second)
        .then(pl.lit("order"))
        .otherwise(None)
    )
    wrong = (
        batch.filter(well_formed(context.schema, column))
        .with_columns(reason.alias("\x00reason"))
        .filter(pl.col("\x00reason").is_not_null())
    )
    return findings_from(
        wrong, code=NAME, field=column, params=["\x00reason"], fixed={"allow_year_only": year_only}
    )


# --- what its findings say (the registry of finding kinds collects KINDS) ---------


def _interval(f: Finding, lang: str) -> str:
    p = f.params or {}
    cell = f"{quote(f.value, lang)} de {column_phrase(f, lang)}"
    cell_en = f"{quote(f.value, lang)} in {column_phrase(f, lang)}"
    reason = p.get("reason")
    if reason == "same":
        return t(
            lang,
            f"La période {cell} a deux fois la même année.",
            f"Period {cell_en} has the same year twice.",
        )
    if reason == "order":
        return t(
            lang,
            f"La période {cell} finit avant de commencer.",
            f"Period {cell_en} ends before it starts.",
        )
    if p.get("allow_year_only"):
        return t(
            lang,
            f"La valeur {cell} n'est ni une année AAAA ni une période AAAA/AAAA.",
            f"Value {cell_en} is neither a year YYYY nor a period YYYY/YYYY.",
        )
    return t(
        lang,
        f"La valeur {cell} n'est pas une période AAAA/AAAA.",
        f"Value {cell_en} is not a period YYYY/YYYY.",
    )


KINDS = (
    Kind(
        NAME, "error", ("Année ou période incorrecte", "Wrong year or period"),
        _interval,
        (
            "écrivez la période comme 2019/2021 : première année, barre oblique, seconde année",
            "write the period as 2019/2021: first year, slash, second year",
        ),
        f"rule:{NAME}",
    ),
)  # fmt: skip
