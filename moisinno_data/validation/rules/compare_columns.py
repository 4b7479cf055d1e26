"""``compare-columns-value``: validata-core's comparison of two columns on each row.

When both cells hold a value, ``column`` ``op`` ``column2`` must hold, ``op`` being one of
``<``, ``<=``, ``==``, ``>=``, ``>``. As in validata-core, two numbers compare as numbers
(integers exactly, past 2⁵³ too), whatever their fields' types (``12`` in a text column
faces ``9`` in an integer one); otherwise two values of fields of the same kind compare as
text (so ISO dates compare in time order, and ``10`` faces ``abc`` as text in two text
columns); values of fields of different kinds do not compare and are reported
(``params["reason"]``: ``mixed`` when one is a number, ``types`` for a date against a
datetime, a date against a text…). Cells are read as their field declares (a decimal
comma, a date as ``%d/%m/%Y``: :func:`._cells.plain`), so such dates too compare in time
order, as validata-core's typed values do. Cells the engine already reports (wrong type,
30 February, a constraint missed) are left out.

Params: ``column``, ``column2``, ``op``. The finding is on ``column``.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from moisinno_data.package.descriptors import FieldDescriptor
from moisinno_data.validation.kinds import Kind
from moisinno_data.validation.messages import column_phrase, quote, t
from moisinno_data.validation.report import Finding
from moisinno_data.validation.rules._cells import (
    INTEGER_RE,
    absent_hint,
    absent_said,
    columns_in,
    field_of,
    findings_from,
    partly_absent,
    plain,
    well_formed,
)
from moisinno_data.validation.rules._params import Param

NAME = "compare-columns-value"
OPERATORS = ("<", "<=", "==", ">=", ">")
PARAMS = {
    "column": Param("column"),
    "column2": Param("column"),
    "op": Param("choice", choices=OPERATORS),
}


def _holds(left: pl.Expr, op: str, right: pl.Expr) -> pl.Expr:
    return {
        "<": left < right,
        "<=": left <= right,
        "==": left == right,
        ">=": left >= right,
        ">": left > right,
    }[op]


def check(params: dict[str, Any], batch: pl.DataFrame, context: Any) -> list[Finding]:
    first, second, op = params.get("column"), params.get("column2"), params.get("op")
    if op not in OPERATORS or not isinstance(first, str) or not isinstance(second, str):
        return []
    if len(columns_in(batch, first, second)) < 2:
        return partly_absent(batch, context, NAME, first, [first, second])
    schema = context.schema
    a, b = plain(schema, first), plain(schema, second)
    num_a, num_b = _number(a), _number(b)
    int_a, int_b = _integer(a), _integer(b)
    numbers = (
        pl.when(int_a.is_not_null() & int_b.is_not_null())
        .then(_holds(int_a, op, int_b))
        .otherwise(_holds(num_a, op, num_b))
    )
    kinds = _kind(field_of(schema, first)), _kind(field_of(schema, second))
    same_kind = kinds[0] == kinds[1]
    unlike = "mixed" if "number" in kinds else "types"
    reason = (
        pl.when(num_a.is_not_null() & num_b.is_not_null())
        .then(pl.when(numbers).then(None).otherwise(pl.lit("numbers")))
        .when(pl.lit(same_kind))
        .then(pl.when(_holds(a, op, b)).then(None).otherwise(pl.lit("texts")))
        .when(num_a.is_not_null() | num_b.is_not_null())
        .then(pl.lit("mixed"))
        .otherwise(pl.lit(unlike))
    )
    wrong = (
        batch.filter(well_formed(schema, first) & well_formed(schema, second))
        .with_columns(reason.alias("\x00reason"), pl.col(second).alias("\x00other_value"))
        .filter(pl.col("\x00reason").is_not_null())
    )
    return findings_from(
        wrong,
        code=NAME,
        field=first,
        params=["\x00reason", "\x00other_value"],
        fixed={"op": op, "other": second, "kinds": list(kinds)},
    )


def _number(col: pl.Expr) -> pl.Expr:
    return col.str.strip_chars().cast(pl.Float64, strict=False)


def _integer(col: pl.Expr) -> pl.Expr:
    """An integer written as such, exactly (null past 64 bits, or for any other value)."""
    text = col.str.strip_chars()
    return pl.when(text.str.contains(INTEGER_RE)).then(text.cast(pl.Int64, strict=False))


def _kind(field: FieldDescriptor) -> str:
    """What a field's values are in validata-core's comparison: numbers, text, or their
    own type (dates, datetimes, booleans…: a date does not compare with a datetime)."""
    ftype = field.get("type", "string") or "string"
    if ftype in ("integer", "number", "year"):
        return "number"
    return "text" if ftype in ("string", "any") else str(ftype)


# --- what its findings say (the registry of finding kinds collects KINDS) ---------


OPERATOR_WORDS = {
    "<": ("inférieure à", "less than"),
    "<=": ("inférieure ou égale à", "at most"),
    "==": ("égale à", "equal to"),
    ">=": ("supérieure ou égale à", "at least"),
    ">": ("supérieure à", "greater than"),
}


def _compare(f: Finding, lang: str) -> str:
    absent = absent_said(f, lang)
    if absent is not None:
        return absent
    p = f.params or {}
    other, other_value = p.get("other", "?"), p.get("other_value", "?")
    if p.get("reason") == "mixed":
        return t(
            lang,
            f"{quote(f.value, lang)} ({f.field}) et {quote(other_value, lang)} ({other}) ne se "
            "comparent pas : l'une est un nombre, l'autre non.",
            f"{quote(f.value, lang)} ({f.field}) and {quote(other_value, lang)} ({other}) do "
            "not compare: one is a number, the other is not.",
        )
    if p.get("reason") == "types":
        kinds = " / ".join(str(k) for k in p.get("kinds") or ())
        return t(
            lang,
            f"{quote(f.value, lang)} ({f.field}) et {quote(other_value, lang)} ({other}) ne se "
            f"comparent pas : les deux colonnes sont de types différents ({kinds}).",
            f"{quote(f.value, lang)} ({f.field}) and {quote(other_value, lang)} ({other}) do "
            f"not compare: the two columns are of different types ({kinds}).",
        )
    fr, en = OPERATOR_WORDS.get(str(p.get("op")), ("comparée à", "compared with"))
    return t(
        lang,
        f"La valeur {quote(f.value, lang)} de {column_phrase(f, lang)} devrait être {fr} "
        f"{quote(other_value, lang)} (colonne {other}).",
        f"Value {quote(f.value, lang)} in {column_phrase(f, lang)} should be {en} "
        f"{quote(other_value, lang)} (column {other}).",
    )


KINDS = (
    Kind(
        NAME, "error", ("Comparaison entre colonnes non respectée", "Column comparison not met"),
        _compare,
        lambda f, lang: absent_hint(f, lang) or t(
            lang,
            "vérifiez les deux valeurs : l'une est peut-être dans la mauvaise colonne",
            "check both values: one may be in the wrong column",
        ),
        f"rule:{NAME}",
    ),
)  # fmt: skip
