"""Business rules that a Table Schema declares under its root key ``custom_checks``.

In the spirit of Validata's custom checks, a schema names the rule and the columns it
applies to, so any schema (not only the bundled ones) can use them::

    "custom_checks": [
      {"name": "siret", "params": {"column": "organisateur_siret"}},
      {"name": "cog-consistency", "params": {"region": "region", "departement": "departement"}}
    ]

One module per rule; each exposes ``NAME`` (the name a schema uses), ``KINDS`` (the finding
kinds it emits, with their titles, messages and hints: :mod:`..kinds` collects them) and ``check(params, batch, context) -> list[Finding]``. The engine calls
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

from moisinno_data.validation.report import Finding
from moisinno_data.validation.rules import (
    cog,
    coordinates,
    formula_injection,
    ordered_dates,
    siret,
    within_edition,
)

RULES: dict[str, ModuleType] = {
    m.NAME: m for m in (siret, cog, coordinates, ordered_dates, within_edition, formula_injection)
}
"""Rule name (as written in ``custom_checks``) → module."""

CODES: dict[str, str] = {k.code: name for name, m in RULES.items() for k in m.KINDS}
"""Finding code → the rule that emits it."""


@dataclass
class RuleContext:
    """What the rules keep for one file: created once per file by the engine.

    ``seen`` remembers file-level notices (an unknown rule name) so that a file validated in
    many batches reports them once.
    """

    schema: dict[str, Any]
    file: str | Path | None = None
    seen: set[str] = field(default_factory=set)
    cache: dict[str, Any] = field(default_factory=dict)


def declared(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The well-shaped entries of ``custom_checks`` (others are reported by :func:`run`)."""
    checks = schema.get("custom_checks") or []
    return [c for c in checks if isinstance(c, dict)] if isinstance(checks, list) else []


def run(schema: dict[str, Any], batch: pl.DataFrame, context: RuleContext) -> list[Finding]:
    """Every finding of every rule the schema declares, for one batch of rows."""
    findings: list[Finding] = []
    for check in declared(schema):
        name = check.get("name")
        params = check.get("params") or {}
        module = RULES.get(name) if isinstance(name, str) else None
        if module is None or not isinstance(params, dict):
            key = f"unknown-check:{name}"
            if key not in context.seen:
                context.seen.add(key)
                findings.append(
                    Finding(
                        code="unknown-check",
                        severity="warning",
                        value=str(name),
                        params={"check": name, "known": sorted(RULES)},
                    )
                )
            continue
        findings.extend(module.check(params, batch, context))
    return findings


__all__ = ["CODES", "RULES", "RuleContext", "declared", "run"]
