"""``formula-injection``: text cells that a spreadsheet would execute as a formula.

The rule itself — which cells are formulas (``=``, ``+``, ``-``, ``@``, their full-width
forms, after any leading whitespace; plain numbers such as ``-1.5`` or ``+33 1 23 45 67 89``
excepted) — lives in :mod:`moisinno_data.package.spreadsheet`, beside the writer that
neutralises them, so what ``validate`` flags and what our outputs defuse never drift apart.
(OWASP "CSV injection".)

Only text columns are looked at: a number or date column holding ``=1+1`` is already a
``type-error``.

Params: optional ``columns`` (list of column names); default every text column.

:func:`rows_with_formulas` serves ``consolidate`` for the columns this check does not
cover (:func:`declared_columns`): whatever the schema, a formula never reaches
``datasets/``. ``validate`` warns of the same cells in those columns, typed ones included
(:func:`may_hold_formula`): a duration ``-P1D`` or a year-month ``+2020-11`` is of its type,
and still never published.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl

from moisinno_data.package import spreadsheet
from moisinno_data.package.text import Said
from moisinno_data.validation.kinds import Kind
from moisinno_data.validation.messages import column_phrase, quote, t
from moisinno_data.validation.report import Finding
from moisinno_data.validation.rules._cells import field_of, findings_from

NAME = "formula-injection"
_TEXT_TYPES = {"string", "any", None}


def pattern() -> str:
    """The regular expression (Rust/polars syntax) a cell must match to be suspected."""
    return spreadsheet.FORMULA_PATTERN


def check(params: dict[str, Any], batch: pl.DataFrame, context: Any) -> list[Finding]:
    wanted = params.get("columns")
    if isinstance(wanted, list):
        present = set(batch.columns)  # a list made anew at each call: once, not per column
        columns = [c for c in wanted if isinstance(c, str) and c in present]
    else:
        columns = [
            c
            for c in batch.columns
            if c != "__row__" and field_of(context.schema, c).get("type") in _TEXT_TYPES
        ]
    if not columns:
        return []
    formula, number = spreadsheet.FORMULA_PATTERN, spreadsheet.NUMBER_PATTERN
    # One select for all columns: polars scans them in parallel.
    hits = batch.select(
        (pl.col(c).str.contains(formula) & ~pl.col(c).str.contains(number)).fill_null(False)
        for c in columns
    )
    findings: list[Finding] = []
    for column in columns:
        mask = hits.get_column(column)
        if not mask.any():
            continue
        rows = batch.filter(mask).with_columns(
            pl.col(column).str.extract(formula, 1).alias("first")
        )
        findings += findings_from(rows, code="formula-injection", field=column, params=["first"])
    findings.sort(key=lambda f: f.row or 0)
    return findings


def declared_by(schema: Mapping[str, Any]) -> bool:
    checks = schema.get("custom_checks") or []
    return any(isinstance(c, dict) and c.get("name") == NAME for c in checks)


def declared_columns(schema: Mapping[str, Any]) -> set[str]:
    """The columns the schema's own check looks at (its ``columns``, or every text column),
    where a formula is an error of ``validate``; none when the schema does not declare it.
    Every other column is looked at by ``consolidate`` (:func:`rows_with_formulas`), and
    ``validate`` warns of its formulas."""
    fields = [f for f in schema.get("fields") or [] if isinstance(f, dict)]
    covered: set[str] = set()
    for check in schema.get("custom_checks") or []:
        if not isinstance(check, dict) or check.get("name") != NAME:
            continue
        params = check.get("params")
        wanted = params.get("columns") if isinstance(params, dict) else None
        if isinstance(wanted, list):
            covered |= {c for c in wanted if isinstance(c, str)}
        else:
            covered |= {str(f.get("name")) for f in fields if f.get("type") in _TEXT_TYPES}
    return covered


def may_hold_formula(field: Mapping[str, Any]) -> bool:
    """Whether a value of the field's type may start like a formula: text, and the types
    frictionless reads from a text that may begin with a sign (a duration ``-P1D``, a
    year-month ``+2020-11``, a date in a format of its own, a number with its unit
    ``-PT26H`` under ``bareNumber: false``…). Not a plain number, a boolean, an ISO date,
    time or date-time, a year: their values are plain numbers or start with a digit."""
    ftype = field.get("type")
    if ftype in _TEXT_TYPES:
        return True
    if ftype in ("integer", "number"):
        return field.get("bareNumber", True) is not True
    if ftype in ("date", "time", "datetime"):
        return (field.get("format") or "default") != "default"
    return ftype not in ("boolean", "year")


def rows_with_formulas(
    schema: Mapping[str, Any], rows: Iterable[tuple[int, Mapping[str, str]]]
) -> dict[int, list[str]]:
    """Row number → reasons, for rows holding a formula in a column the schema's own check
    does not cover (in those it covers, ``validate`` already reports them:
    :func:`declared_columns`), or a formula behind the ``'`` of a fixed file (which would
    publish that ``'`` as part of the value)."""
    covered = declared_columns(schema)
    found: dict[int, list[str]] = {}
    for number, values in rows:
        for name, value in values.items():
            if name not in covered and spreadsheet.is_formula(value):
                start = value.strip()[:1]
                found.setdefault(number, []).append(
                    Said(
                        f"{name} : la valeur commence par une formule de tableur (« {start} ») ; "
                        "elle n'est jamais publiée",
                        f"{name}: the value starts like a spreadsheet formula (“{start}”); it is "
                        "never published",
                    )
                )
            elif spreadsheet.is_neutralised_formula(value):  # validate sees no formula
                start = value[1:].strip()[:1]
                found.setdefault(number, []).append(
                    Said(
                        f"{name} : la valeur est une formule de tableur précédée du « ' » "
                        "qu'ajoute « moisinno fix » pour l'ouvrir dans un tableur "
                        f"(« '{start} ») ; ni la formule ni cette apostrophe ne sont publiées : "
                        "réécrivez la valeur",
                        f"{name}: the value is a spreadsheet formula behind the “'” that "
                        f"“moisinno fix” adds to open it in a spreadsheet (“'{start}”); neither "
                        "the formula nor that apostrophe is published: write the value again",
                    )
                )
    return found


# --- what its findings say (the registry of finding kinds collects KINDS) ---------


def _formula(f: Finding, lang: str) -> str:
    first = (f.params or {}).get("first") or (f.value or " ")[0]
    said = t(
        lang,
        f"La valeur {quote(f.value, lang)} de {column_phrase(f, lang)} commence par {quote(first, lang)} : "
        "un tableur l'exécuterait comme une formule.",
        f"Value {quote(f.value, lang)} in {column_phrase(f, lang)} starts with {quote(first, lang)}: a "
        "spreadsheet would run it as a formula.",
    )
    if not (f.params or {}).get("unpublished"):
        return said
    return said + t(
        lang,
        " Le schéma ne l'interdit pas, mais la consolidation ne publie pas une telle valeur.",
        " The schema does not forbid it, but consolidation never publishes such a value.",
    )


def _formula_hint(f: Finding, lang: str) -> str:
    first = (f.params or {}).get("first") or (f.value or " ")[0]
    return t(
        lang,
        f"retirez le « {first} » initial : une donnée publiée ne doit pas contenir de formule",
        f'remove the leading "{first}": published data must not hold formulas',
    )


KINDS = (
    Kind(
        "formula-injection", "error|warning", ("Formule de tableur", "Spreadsheet formula"),
        _formula, _formula_hint, f"rule:{NAME}",
    ),
)  # fmt: skip
