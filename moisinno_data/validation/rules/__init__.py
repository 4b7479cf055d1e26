"""Business rules that a Table Schema declares under its root key ``custom_checks``.

In the spirit of Validata's custom checks, a schema names the rule and the columns it
applies to, so any schema (not only the bundled ones) can use them::

    "custom_checks": [
      {"name": "siret", "params": {"column": "organisateur_siret"}},
      {"name": "cog-consistency", "params": {"region": "region", "departement": "departement"}}
    ]

One module per rule; each exposes ``NAME`` (the name a schema uses), ``KINDS`` (the finding
kinds it emits, with their titles, messages and hints: :mod:`..kinds` collects them),
``PARAMS`` (its parameters, :class:`._params.Param`) and
``check(params, batch, context) -> list[Finding]``. Validata's custom checks
(``french-siret-value``, ``compare-columns-value``… as schema.data.gouv.fr's schemas
declare them) are rules like ours, with validata-core's names, parameters and meaning.

A declaration whose parameters do not fit its rule is a configuration error
(:func:`check_declared`, exit 2) raised before any row is read: a check that silently does
not run would let wrong values pass. A name that no rule has is an ``unknown-check``
finding before the data (:func:`prepare`), an error as in Validata. The engine calls
:func:`run` once per batch: ``batch`` holds one Utf8 column per schema field present
(canonical names, null for an empty cell) and an Int64 ``__row__`` with the line number a
spreadsheet shows. Rules are vectorised with polars; reference data (COG, editions) is
loaded once per process and shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import polars as pl

from moisinno_data.errors import ConfigError
from moisinno_data.package.descriptors import CustomCheck, SchemaDescriptor
from moisinno_data.validation.report import Finding
from moisinno_data.validation.rules import (
    cog,
    cohesive_columns,
    compare_columns,
    coordinates,
    formula_injection,
    french_gps,
    french_siren,
    french_siret,
    nomenclature_actes,
    one_of_required,
    opening_hours_value,
    ordered_dates,
    phone_number,
    siret,
    sum_columns,
    within_edition,
    year_interval,
)
from moisinno_data.validation.rules._params import check_declared, unknown_checks

OURS = (siret, cog, coordinates, ordered_dates, within_edition, formula_injection)
VALIDATA = (
    french_siret,
    french_siren,
    french_gps,
    compare_columns,
    cohesive_columns,
    sum_columns,
    year_interval,
    one_of_required,
    opening_hours_value,
    phone_number,
    nomenclature_actes,
)
RULES: dict[str, ModuleType] = {m.NAME: m for m in (*OURS, *VALIDATA)}
"""Rule name (as written in ``custom_checks``) → module."""

CODES: dict[str, str] = {k.code: name for name, m in RULES.items() for k in m.KINDS}
"""Finding code → the rule that emits it."""


@dataclass
class RuleContext:
    """What the rules keep for one file: created once per file by the engine.

    ``seen`` remembers file-level notices (an unknown rule name) so that a file validated in
    many batches reports them once.
    """

    schema: SchemaDescriptor
    file: str | Path | None = None
    seen: set[str] = field(default_factory=set)
    cache: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_declared(self.schema, RULES)


def prepare(
    schema: SchemaDescriptor, source: str | None = None
) -> tuple[SchemaDescriptor, list[Finding]]:
    """Check ``schema`` before its data: raise :class:`ConfigError` on an error (the Table
    Schema's, then ``custom_checks``'), naming ``source``, the schema's file, if given.
    Otherwise (the schema to validate with — without the keys it ignores —, the warnings
    as ``schema-warning`` findings)."""
    from moisinno_data.package.schema_check import check_schema, without_ignored
    from moisinno_data.validation.cells import enum_notes, example_notes, pattern_notes

    notes = check_schema(schema, source)
    try:
        check_declared(schema, RULES)
        notes += example_notes(schema.get("fields") or [])
        notes += enum_notes(schema.get("fields") or [])
        notes += pattern_notes(schema.get("fields") or [])
    except ConfigError as exc:
        raise _located(exc, source) from None
    findings = unknown_checks(schema, RULES) + [
        Finding(
            code="schema-warning",
            severity="warning",
            field=note.field,
            params={"key": note.key, "fr": note.fr, "en": note.en},
        )
        for note in notes
    ]
    return without_ignored(schema, notes), findings


def _located(exc: ConfigError, source: str | None) -> ConfigError:
    """``exc`` naming the schema's file, as the Table Schema's own errors do."""
    if not source:
        return exc
    fr, en = str(exc), exc.en
    fr = fr.replace("Schéma incorrect :", f"Schéma incorrect ({source}) :", 1)
    if en is not None:
        en = en.replace("Invalid schema:", f"Invalid schema ({source}):", 1)
    return ConfigError(fr, en=en)


def schema_findings(schema: SchemaDescriptor) -> list[Finding]:
    """The ``schema-warning`` findings of :func:`prepare` (which see)."""
    return prepare(schema)[1]


def declared(schema: SchemaDescriptor) -> list[CustomCheck]:
    """The well-shaped entries of ``custom_checks`` (others are reported by :func:`run`)."""
    checks = schema.get("custom_checks") or []
    return [c for c in checks if isinstance(c, dict)] if isinstance(checks, list) else []


def run(schema: SchemaDescriptor, batch: pl.DataFrame, context: RuleContext) -> list[Finding]:
    """Every finding of every rule the schema declares, for one batch of rows."""
    findings: list[Finding] = []
    for check in declared(schema):
        name = check.get("name")
        params = check.get("params") or {}
        module = RULES.get(name) if isinstance(name, str) else None
        if module is not None and isinstance(params, dict):  # unknown: said by :func:`prepare`
            findings.extend(module.check(params, batch, context))
    return findings


__all__ = ["CODES", "RULES", "RuleContext", "declared", "prepare", "run", "schema_findings"]
