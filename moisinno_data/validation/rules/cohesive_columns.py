"""``cohesive-columns-value``: validata-core's "all filled or all empty" check.

On each row, ``column`` and ``othercolumns`` are either all filled or all empty. As in
validata-core, a file that has some of these columns but not all gets one finding for the
file (the missing ones are in ``params``); its rows are then judged on the columns it has
(validata-core stops there).

Params: ``column``, ``othercolumns`` (list). The finding is on ``column``, or on the first
of the columns the file has when it lacks ``column``.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from moisinno_data.validation.kinds import Kind
from moisinno_data.validation.messages import t
from moisinno_data.validation.report import Finding
from moisinno_data.validation.rules._cells import columns_in, findings_from, partly_absent
from moisinno_data.validation.rules._params import Param

NAME = "cohesive-columns-value"
PARAMS = {"column": Param("column"), "othercolumns": Param("columns")}


def check(params: dict[str, Any], batch: pl.DataFrame, context: Any) -> list[Finding]:
    column, others = params.get("column"), params.get("othercolumns")
    others = [others] if isinstance(others, str) else others
    if not isinstance(column, str) or not isinstance(others, list):
        return []
    wanted = [column, *others]
    present = columns_in(batch, *wanted)
    findings = partly_absent(batch, context, NAME, column, wanted)
    if len(present) < 2:
        return findings
    filled = pl.sum_horizontal(pl.col(c).is_not_null().cast(pl.Int32) for c in present)
    wrong = batch.filter((filled > 0) & (filled < len(present))).with_columns(
        pl.concat_list(
            pl.when(pl.col(c).is_null()).then(pl.lit(c)).otherwise(None) for c in present
        )
        .list.drop_nulls()
        .alias("\x00empty")
    )
    return findings + findings_from(
        wrong, code=NAME, field=present[0], params=["\x00empty"], fixed={"columns": present}
    )


# --- what its findings say (the registry of finding kinds collects KINDS) ---------


def _names(value: object) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list) else "?"


def _cohesive(f: Finding, lang: str) -> str:
    p = f.params or {}
    if p.get("missing"):
        return t(
            lang,
            f"Les colonnes {_names(p.get('columns'))} vont ensemble, mais le fichier n'a pas "
            f"{_names(p.get('missing'))}.",
            f"Columns {_names(p.get('columns'))} go together, but the file lacks "
            f"{_names(p.get('missing'))}.",
        )
    return t(
        lang,
        f"Les colonnes {_names(p.get('columns'))} doivent être toutes remplies ou toutes "
        f"vides ; ici, vide(s) : {_names(p.get('empty'))}.",
        f"Columns {_names(p.get('columns'))} must be all filled or all empty; empty here: "
        f"{_names(p.get('empty'))}.",
    )


def _cohesive_hint(f: Finding, lang: str) -> str:
    missing = (f.params or {}).get("missing")
    if missing:  # sweep 7: the hint said to fill cells of a column the file does not have
        return t(
            lang,
            f"ajoutez au fichier la ou les colonnes {_names(missing)}, remplies là où les "
            "autres le sont",
            f"add column(s) {_names(missing)} to the file, filled where the others are",
        )
    return t(
        lang,
        "remplissez les cellules vides de ces colonnes, ou videz les autres",
        "fill in the empty cells of these columns, or empty the others",
    )


KINDS = (
    Kind(
        NAME, "error", ("Colonnes à remplir ensemble", "Columns to fill together"),
        _cohesive, _cohesive_hint, f"rule:{NAME}",
    ),
)  # fmt: skip
