"""``sum-columns-value``: validata-core's check that a column is the sum of others.

When ``column`` and every column of ``columns`` hold a number, ``column`` must equal their
sum (up to float rounding: 0.1 + 0.2 equals 0.3), each cell read as its field declares
(``12,5`` with a decimal comma: :func:`._cells.plain`). A row with an empty or non-numeric cell
among them is skipped, as validata-core does (the engine reports a wrong type).

Params: ``column``, ``columns`` (list). The finding is on ``column``.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from moisinno_data.validation.kinds import Kind
from moisinno_data.validation.messages import column_phrase, quote, t
from moisinno_data.validation.report import Finding
from moisinno_data.validation.rules._cells import columns_in, findings_from, plain
from moisinno_data.validation.rules._params import Param

NAME = "sum-columns-value"
PARAMS = {"column": Param("column"), "columns": Param("columns")}


def check(params: dict[str, Any], batch: pl.DataFrame, context: Any) -> list[Finding]:
    column, parts = params.get("column"), params.get("columns")
    parts = [parts] if isinstance(parts, str) else parts
    if not isinstance(parts, list) or not parts:
        return []
    wanted = [column, *parts]
    if not isinstance(column, str) or len(columns_in(batch, *wanted)) < len(wanted):
        return []

    def number(name: str) -> pl.Expr:
        return plain(context.schema, name).str.strip_chars().cast(pl.Float64, strict=False)

    total = pl.sum_horizontal(number(p) for p in parts)
    value = number(column)
    readable = pl.all_horizontal(number(c).is_finite() for c in wanted)
    off = (value - total).abs() > 1e-9 * pl.max_horizontal(value.abs(), total.abs(), pl.lit(1.0))
    wrong = batch.filter(readable.fill_null(False) & off).with_columns(total.alias("\x00total"))
    return findings_from(
        wrong, code=NAME, field=column, params=["\x00total"], fixed={"columns": parts}
    )


# --- what its findings say (the registry of finding kinds collects KINDS) ---------


def _sum(f: Finding, lang: str) -> str:
    p = f.params or {}
    parts = p.get("columns")
    names = ", ".join(str(c) for c in parts) if isinstance(parts, list) else "?"
    total = p.get("total", "?")
    return t(
        lang,
        f"La valeur {quote(f.value, lang)} de {column_phrase(f, lang)} devrait être la somme "
        f"de {names}, soit {total}.",
        f"Value {quote(f.value, lang)} in {column_phrase(f, lang)} should be the sum of "
        f"{names}, that is {total}.",
    )


KINDS = (
    Kind(
        NAME, "error", ("Somme incorrecte", "Wrong sum"),
        _sum,
        (
            "corrigez le total ou l'une des valeurs additionnées",
            "fix the total or one of the values added up",
        ),
        f"rule:{NAME}",
    ),
)  # fmt: skip
