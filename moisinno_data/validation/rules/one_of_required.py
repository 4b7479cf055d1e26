"""``one-of-required``: validata-core's "at least one of two columns is filled" check.

On each row, ``column1`` or ``column2`` (or both) holds a value. When the file lacks one of
the two columns, the other must be filled on every row; when it lacks both, one finding
for the file says so — validata-core's behaviour.

Params: ``column1`` (validata-core's documentation also writes ``column``), ``column2``.
The finding is on the first column present.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from moisinno_data.validation.kinds import Kind
from moisinno_data.validation.messages import t
from moisinno_data.validation.report import Finding
from moisinno_data.validation.rules._cells import columns_in, findings_from, once
from moisinno_data.validation.rules._params import Param, value_of

NAME = "one-of-required"
PARAMS = {"column1": Param("column", aliases=("column",)), "column2": Param("column")}


def check(params: dict[str, Any], batch: pl.DataFrame, context: Any) -> list[Finding]:
    first = value_of(params, "column1", PARAMS["column1"])
    second = params.get("column2")
    if not isinstance(first, str) or not isinstance(second, str):
        return []
    present = columns_in(batch, first, second)
    if not present:
        if once(context, f"{NAME}:{first}:{second}"):
            return [
                Finding(
                    code=NAME, field=first, params={"columns": [first, second], "missing": True}
                )
            ]
        return []
    empty = batch.filter(pl.all_horizontal(pl.col(c).is_null() for c in present))
    return findings_from(
        empty, code=NAME, field=present[0], fixed={"columns": [first, second], "missing": False}
    )


# --- what its findings say (the registry of finding kinds collects KINDS) ---------


def _one_of(f: Finding, lang: str) -> str:
    p = f.params or {}
    pair = p.get("columns")
    a, b = (str(pair[0]), str(pair[1])) if isinstance(pair, list) and len(pair) == 2 else ("?", "?")
    if p.get("missing"):
        return t(
            lang,
            f"Le fichier n'a ni la colonne {a} ni la colonne {b} ; l'une des deux est obligatoire.",
            f"The file has neither column {a} nor column {b}; one of them is required.",
        )
    return t(
        lang,
        f"Ni {a} ni {b} n'est rempli sur cette ligne : il faut au moins l'un des deux.",
        f"Neither {a} nor {b} is filled in on this row: at least one of them is required.",
    )


def _one_of_hint(f: Finding, lang: str) -> str:
    p = f.params or {}
    pair = p.get("columns")
    if p.get("missing") and isinstance(pair, list) and len(pair) == 2:
        return t(
            lang,
            f"ajoutez au fichier la colonne {pair[0]} ou la colonne {pair[1]}, et remplissez-la "
            "sur chaque ligne",
            f"add column {pair[0]} or column {pair[1]} to the file, and fill it in on every row",
        )
    return t(lang, "remplissez l'une des deux colonnes", "fill in one of the two columns")


KINDS = (
    Kind(
        NAME, "error", ("Une des deux colonnes à remplir", "One of two columns required"),
        _one_of, _one_of_hint, f"rule:{NAME}",
    ),
)  # fmt: skip
