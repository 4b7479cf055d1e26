"""``sum-columns-value``: validata-core's check that a column is the sum of others.

When ``column`` and every column of ``columns`` hold a number, ``column`` must equal their
sum — integers exactly (past 2⁵³ too), decimals up to float rounding (0.1 + 0.2 equals
0.3, and so does ``0.30000000000000004``, a total a program computed in floats; a gap in
the 15th significant digit is rounding, one cent on twelve million is not: :data:`ROUNDING`)
— each cell read as its field declares
(``12,5`` with a decimal comma: :func:`._cells.plain`). A row with an empty or non-numeric
cell among them is skipped, as validata-core does, and so is one with a cell the engine
reports (a wrong type, a constraint missed), as the other rules do. The expected total is
written exactly (``9``, not ``9.0``).

Params: ``column``, ``columns`` (list). The finding is on ``column``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import polars as pl

from moisinno_data.validation.kinds import Kind
from moisinno_data.validation.messages import column_phrase, quote, t
from moisinno_data.validation.report import Finding
from moisinno_data.validation.rules._cells import (
    INTEGER_RE,
    absent_hint,
    absent_said,
    columns_in,
    findings_from,
    partly_absent,
    plain,
    well_formed,
)
from moisinno_data.validation.rules._params import Param

NAME = "sum-columns-value"
ROUNDING = Decimal("1e-14")
"""The largest gap, relative to the row's magnitude (the total or the sum of the parts'
sizes), taken for float rounding: a spreadsheet shows 15 significant digits, so a total it
computed differs from the exact sum of the parts it shows by less than that."""
PARAMS = {"column": Param("column"), "columns": Param("columns")}


def check(params: dict[str, Any], batch: pl.DataFrame, context: Any) -> list[Finding]:
    column, parts = params.get("column"), params.get("columns")
    parts = [parts] if isinstance(parts, str) else parts
    if not isinstance(parts, list) or not parts:
        return []
    wanted = [column, *parts]
    if not isinstance(column, str):
        return []
    if len(columns_in(batch, *wanted)) < len(wanted):
        return partly_absent(batch, context, NAME, column, wanted)
    schema = context.schema
    texts = {c: plain(schema, c).str.strip_chars() for c in wanted}
    numbers = {c: text.cast(pl.Float64, strict=False) for c, text in texts.items()}
    total, value = pl.sum_horizontal(numbers[p] for p in parts), numbers[column]
    readable = pl.all_horizontal(
        [well_formed(schema, c) for c in wanted] + [numbers[c].is_finite() for c in wanted]
    )
    size = pl.max_horizontal(value.abs(), pl.sum_horizontal(numbers[p].abs() for p in parts))
    # A looser bound than ROUNDING in floats: every row it might refuse is judged exactly.
    off = (value - total).abs() > float(ROUNDING) / 10 * size
    integers = pl.all_horizontal(texts[c].str.contains(INTEGER_RE) for c in wanted)
    beyond_floats = pl.any_horizontal(numbers[c].abs() >= 2**53 for c in wanted)
    suspects = batch.filter(readable.fill_null(False) & (off | (integers & beyond_floats)))
    if not suspects.height:
        return []
    cells = suspects.with_columns(
        texts[c].alias(f"\x00{i}") for i, c in enumerate(wanted)
    ).with_columns(
        pl.struct(f"\x00{i}" for i in range(len(wanted)))
        .map_elements(_exact_total, return_dtype=pl.String)
        .alias("\x00total")
    )
    wrong = cells.filter(pl.col("\x00total").is_not_null())
    return findings_from(
        wrong, code=NAME, field=column, params=["\x00total"], fixed={"columns": parts}
    )


def _exact_total(cells: dict[str, str]) -> str | None:
    """The parts' sum, written exactly, if the row's value is not it: integers are summed
    exactly (floats lose them past 2⁵³); decimals up to float rounding (0.1 + 0.2 is 0.3,
    and so is a total computed in floats and written with all its digits): a gap of at
    most :data:`ROUNDING` of the row's magnitude."""
    texts = list(cells.values())
    value, *parts = (Decimal(text) for text in texts)
    total = sum(parts, Decimal(0))
    if all(re.fullmatch(INTEGER_RE, text) for text in texts):
        return None if value == total else str(total)
    size = max(abs(value), sum((abs(part) for part in parts), Decimal(0)))
    close = abs(value - total) <= ROUNDING * size
    return None if close else str(total)


# --- what its findings say (the registry of finding kinds collects KINDS) ---------


def _sum(f: Finding, lang: str) -> str:
    absent = absent_said(f, lang)
    if absent is not None:
        return absent
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
        lambda f, lang: absent_hint(f, lang) or t(
            lang,
            "corrigez le total ou l'une des valeurs additionnées",
            "fix the total or one of the values added up",
        ),
        f"rule:{NAME}",
    ),
)  # fmt: skip
