"""Shared cell helpers for the business rules: which cells are worth checking, and parsing.

A business rule only looks at cells that are otherwise well-formed: a SIRET that fails the
field's pattern, a latitude written with a decimal comma, a date in ``dd/mm/yyyy`` or on
30 February already get a Table Schema finding from the engine, and a second finding for
the same mistake would only bury the first. :func:`well_formed` is that filter: the
engine's own check of the field's column (type and every constraint), so it works for
any schema and agrees with the engine.

A field may write its values in its own way — a decimal comma (``decimalChar``), a
thousands separator (``groupChar``), a unit around a number (``bareNumber: false``), a date
as ``%d/%m/%Y`` —: :func:`plain` gives its cells as the engine reads them, in the plain form
the rules compare (``12,5`` → ``12.5``, ``05/01/2021`` → ``2021-01-05``), so that a rule
neither skips them nor compares dates as text.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import polars as pl

from moisinno_data.package.descriptors import FieldDescriptor, SchemaDescriptor
from moisinno_data.validation.cells import FieldChecker
from moisinno_data.validation.messages import t
from moisinno_data.validation.report import Finding

INTEGER_RE = r"^[+-]?[0-9]+$"
DATE_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def field_of(schema: SchemaDescriptor, name: str) -> FieldDescriptor:
    """The schema's field descriptor for ``name`` ({} when the schema does not declare it)."""
    for field in schema.get("fields", []):
        if isinstance(field, dict) and field.get("name") == name:
            return field
    return {}


def _written_apart(field: FieldDescriptor) -> bool:
    """True when the field's cells are not written the plain way the rules read."""
    ftype, fmt = field.get("type"), field.get("format") or "default"
    if ftype in ("integer", "number"):
        return any(k in field for k in ("bareNumber", "decimalChar", "groupChar"))
    return ftype in ("date", "datetime") and fmt != "default"


def _plain_text(checker: FieldChecker, value: str | None) -> str | None:
    """``value`` as the field's reader reads it, written plainly; None if it does not read
    it or reports it (wrong type, a constraint missed: the engine's finding)."""
    if value is None:
        return None
    typed, notes = checker.reader(value)
    if notes or typed is None:
        return None
    if isinstance(typed, Decimal):
        return format(typed, "f")
    if isinstance(typed, dt.date):  # dates, and datetimes (with their offset)
        return typed.isoformat()
    return str(typed)


def plain(schema: SchemaDescriptor, name: str) -> pl.Expr:
    """Column ``name`` as its field reads it, written plainly (``12,5`` → ``12.5``,
    ``1 000 €`` → ``1000``, ``05/01/2021`` → ``2021-01-05``), null where the field does not
    read the cell; the column itself for a field written the plain way."""
    field = field_of(schema, name)
    if not _written_apart(field):
        return pl.col(name)
    checker = FieldChecker(dict(field), list(schema.get("missingValues", [""])))
    read = functools.lru_cache(maxsize=50_000)(functools.partial(_plain_text, checker))
    return pl.col(name).map_elements(read, return_dtype=pl.String, skip_nulls=True)


RAW = "\x00raw:"
"""Prefix of the column holding the cells as written, beside their :func:`as_read` form."""


def as_read(batch: pl.DataFrame, schema: SchemaDescriptor, names: Iterable[str]) -> pl.DataFrame:
    """``batch`` with its columns ``names`` as :func:`plain` reads them, the cells as
    written kept in ``RAW + name`` for the findings' values. (Not for :func:`well_formed`
    afterwards: it reads the cells as written.)"""
    present = [n for n in names if n in batch.columns]
    kept = batch.with_columns(pl.col(n).alias(RAW + n) for n in present)
    return kept.with_columns(plain(schema, n).alias(n) for n in present)


def well_formed(schema: SchemaDescriptor, name: str) -> pl.Expr:
    """True where column ``name`` holds a value the engine reports nothing about.

    Nulls (empty cells) are False: rules have nothing to check there, and a missing required
    value is the engine's ``constraint-error``.
    """
    field = field_of(schema, name)
    ok = pl.col(name).is_not_null()
    ftype = field.get("type", "string") or "string"
    constraints = field.get("constraints") or {}
    if ftype != "string" or set(constraints) - {"required", "unique"}:
        key = json.dumps(field, sort_keys=True, default=str)
        checker = _checker(key, json.dumps(_missing(schema)))
        ok = ok & pl.col(name).map_batches(_unreported(checker), return_dtype=pl.Boolean)
    return ok.fill_null(False)


def _missing(schema: SchemaDescriptor) -> list[str]:
    missing = schema.get("missingValues", [""])
    return [str(v) for v in missing] if isinstance(missing, list) else [""]


@functools.lru_cache(maxsize=256)
def _checker(field: str, missing: str) -> FieldChecker:
    """The reference reader of a field (as JSON), shared by the batches of a file: it
    remembers its verdicts."""
    return FieldChecker(json.loads(field), json.loads(missing))


def _unreported(checker: FieldChecker) -> Callable[[pl.Series], pl.Series]:
    """A column's cells the engine reports nothing about: the engine's own check of the
    column (polars for the usual values, the reference reader for the odd ones; a reader
    call per distinct value cost 10 µs, 10 s for a million coordinates)."""

    def judge(values: pl.Series) -> pl.Series:
        if not values.len():
            return pl.Series(values.name, [], dtype=pl.Boolean)
        result = checker.check(values)
        reported = result.blank
        if result.type_error is not None:
            reported = reported | result.type_error
        for _name, mask in result.constraints:
            reported = reported | mask
        return ~reported

    return judge


def to_instant(name: str) -> pl.Expr:
    """An ISO 8601 date or datetime cell as a UTC instant (dates at midnight, naive as UTC).

    Anything else is null: the engine has reported it as a ``type-error`` already.
    """
    col = pl.col(name).str.strip_chars().str.replace(r"Z$", "+00:00")
    aware = pl.coalesce(
        col.str.to_datetime("%Y-%m-%dT%H:%M:%S%z", strict=False, time_zone="UTC"),
        col.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%z", strict=False, time_zone="UTC"),
        col.str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False).dt.replace_time_zone("UTC"),
        col.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", strict=False).dt.replace_time_zone("UTC"),
        col.str.to_date("%Y-%m-%d", strict=False)
        .cast(pl.Datetime("us"))
        .dt.replace_time_zone("UTC"),
    )
    return aware.cast(pl.Datetime("us", "UTC"))


def local_date(name: str) -> pl.Expr:
    """The calendar day written in a date or datetime cell (its first ten characters).

    The day as the organiser wrote it, not converted to UTC: an event on 30 November at
    23:30 in Paris is on 30 November.
    """
    col = pl.col(name).str.strip_chars()
    head = col.str.slice(0, 10)
    valid = pl.when(to_instant(name).is_not_null()).then(head).otherwise(None)
    return valid.str.to_date("%Y-%m-%d", strict=False)


def is_date_only(name: str) -> pl.Expr:
    return pl.col(name).str.strip_chars().str.contains(DATE_RE).fill_null(False)


def findings_from(
    frame: pl.DataFrame,
    *,
    code: str,
    field: str,
    value_col: str | None = None,
    severity: str = "error",
    params: Iterable[str] = (),
    fixed: dict[str, Any] | None = None,
) -> list[Finding]:
    """One :class:`Finding` per row of ``frame`` (already filtered to the offending rows)."""
    value_col = value_col or field
    keys = list(params)
    out = []
    columns = list(dict.fromkeys(["__row__", value_col, *keys]))
    for rec in frame.select(columns).iter_rows(named=True):
        # A rule's own columns start with "\x00" (no clash with a field's name).
        p = {k.removeprefix("\x00"): rec[k] for k in keys}
        if fixed:
            p.update(fixed)
        out.append(
            Finding(
                code=code,
                severity=severity,  # type: ignore[arg-type]
                row=rec["__row__"],
                field=field,
                value=rec[value_col],
                params=p,
            )
        )
    return out


def invalid_distinct(
    cells: pl.DataFrame, column: str, is_valid: Callable[[str], bool]
) -> pl.DataFrame:
    """Rows of ``cells`` whose ``column`` value fails ``is_valid``, each distinct value
    judged once (identifiers and phone numbers repeat a lot in real files)."""
    distinct = cells.get_column(column).drop_nulls().unique().to_list()
    bad = [value for value in distinct if not is_valid(value)]
    return cells.filter(pl.col(column).is_in(bad)) if bad else cells.clear()


def failing_values(
    batch: pl.DataFrame,
    context: Any,
    column: Any,
    code: str,
    is_valid: Callable[[str], Any],
) -> list[Finding]:
    """Findings ``code`` for the well-formed cells of ``column`` whose value fails
    ``is_valid``: the whole check of a rule that judges each value on its own."""
    if not columns_in(batch, column):
        return []
    cells = batch.filter(well_formed(context.schema, column)).select("__row__", column)
    wrong = invalid_distinct(cells, column, lambda v: bool(is_valid(v)))
    return findings_from(wrong, code=code, field=column)


def columns_in(batch: pl.DataFrame, *names: Any) -> list[str]:
    """Those of ``names`` that are columns of the batch (a check whose columns the file
    lacks is skipped, as validata-core does, and one that lacks some of them is said:
    :func:`partly_absent`; a name the schema lacks was refused before)."""
    return [n for n in names if isinstance(n, str) and n in batch.columns]


def partly_absent(
    batch: pl.DataFrame, context: Any, code: str, column: str, wanted: list[str]
) -> list[Finding]:
    """One finding for the file (``params``: the ``columns`` and those ``missing``) when
    some of ``wanted`` are columns of it and others not: the check cannot be made, which
    validata-core says too (« la colonne … n'est pas trouvée »); none when no column is
    there (a check on columns the file leaves out is skipped, as validata-core does)."""
    present = columns_in(batch, *wanted)
    missing = [c for c in wanted if c not in present]
    if present and missing and once(context, f"{code}:{column}:missing"):
        return [Finding(code=code, field=column, params={"columns": wanted, "missing": missing})]
    return []


def absent_said(f: Finding, lang: str) -> str | None:
    """What a :func:`partly_absent` finding says; None for any other finding."""
    p = f.params or {}
    missing = p.get("missing")
    if not isinstance(missing, list):
        return None
    columns = ", ".join(str(c) for c in p.get("columns") or ())
    absent = ", ".join(str(c) for c in missing)
    return t(
        lang,
        f"Le contrôle {f.code} porte sur les colonnes {columns}, mais le fichier n'a pas "
        f"{absent} : il n'a pas pu être fait.",
        f"Check {f.code} is on columns {columns}, but the file lacks {absent}: it could not "
        "be made.",
    )


def absent_hint(f: Finding, lang: str) -> str | None:
    """The hint of a :func:`partly_absent` finding; None for any other finding."""
    missing = (f.params or {}).get("missing")
    if not isinstance(missing, list):
        return None
    absent = ", ".join(str(c) for c in missing)
    return t(
        lang,
        f"ajoutez au fichier la ou les colonnes {absent} : le contrôle en a besoin",
        f"add column(s) {absent} to the file: the check needs them",
    )


def once(context: Any, key: str) -> bool:
    """True the first time ``key`` is seen for this file (file-level findings)."""
    if key in context.seen:
        return False
    context.seen.add(key)
    return True
