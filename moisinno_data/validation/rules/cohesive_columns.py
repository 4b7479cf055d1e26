"""``cohesive-columns-value``: validata-core's "all filled or all empty" check.

On each row, ``column`` and ``othercolumns`` are either all filled or all empty. As in
validata-core, a row is judged on the columns the file has; a file that has some of these
columns but not all gets one finding for the file (the missing ones are in ``params``).

Params: ``column``, ``othercolumns`` (list). The finding is on ``column``.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from moisinno_data.validation.report import Finding
from moisinno_data.validation.rules._cells import columns_in, findings_from, once
from moisinno_data.validation.rules._params import Param

NAME = "cohesive-columns-value"
CODES = ("cohesive-columns-value",)
PARAMS = {"column": Param("column"), "othercolumns": Param("columns")}


def check(params: dict[str, Any], batch: pl.DataFrame, context: Any) -> list[Finding]:
    column, others = params.get("column"), params.get("othercolumns")
    others = [others] if isinstance(others, str) else others
    if not isinstance(column, str) or not isinstance(others, list):
        return []
    wanted = [column, *others]
    present = columns_in(batch, *wanted)
    findings: list[Finding] = []
    missing = [c for c in wanted if c not in present]
    if present and missing and once(context, f"{NAME}:{column}:missing"):
        findings.append(
            Finding(
                code=NAME,
                field=column,
                params={"columns": wanted, "missing": missing},
            )
        )
    if len(present) < 2:
        return findings
    filled = pl.sum_horizontal(pl.col(c).is_not_null().cast(pl.Int32) for c in present)
    wrong = batch.filter((filled > 0) & (filled < len(present))).with_columns(
        pl.concat_list(
            pl.when(pl.col(c).is_null()).then(pl.lit(c)).otherwise(None) for c in present
        )
        .list.drop_nulls()
        .alias("empty")
    )
    return findings + findings_from(
        wrong, code=NAME, field=column, params=["empty"], fixed={"columns": present}
    )
