"""``siret``: SIRET (14 digits) and SIREN (9 digits) numbers must pass their check digit.

The check is python-stdnum's, which knows La Poste's exception (its establishments share
SIREN 356000000 and use another key). Numbers repeat a lot in real files (an organiser
declares many events), so each distinct value is checked once and the verdict is joined
back to the rows.

Params: ``column`` (the column holding the number).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from moisinno_data.validation.kinds import Kind
from moisinno_data.validation.messages import column_phrase, quote, t
from moisinno_data.validation.report import Finding
from moisinno_data.validation.rules._cells import field_of, findings_from, well_formed
from moisinno_data.validation.rules._params import Param

NAME = "siret"
PARAMS = {"column": Param("column")}


def is_valid(number: str) -> bool:
    """True for a SIRET or SIREN whose check digit is right (digits only, no spaces)."""
    # imported here, like phonenumbers: python-stdnum pulls ssl (~10 ms at start-up), paid
    # only when a schema uses the check
    from stdnum.fr import siren as stdnum_siren
    from stdnum.fr import siret as stdnum_siret

    if len(number) == 14:
        return bool(stdnum_siret.is_valid(number))
    if len(number) == 9:
        return bool(stdnum_siren.is_valid(number))
    return False


def check(params: dict[str, Any], batch: pl.DataFrame, context: Any) -> list[Finding]:
    column = params.get("column")
    if not isinstance(column, str) or column not in batch.columns:
        return []
    schema = context.schema
    digits = pl.col(column).str.contains(r"^(?:[0-9]{9}|[0-9]{14})$").fill_null(False)
    cells = batch.filter(well_formed(schema, column)).select("__row__", column)
    findings: list[Finding] = []

    has_pattern = "pattern" in (field_of(schema, column).get("constraints") or {})
    if not has_pattern:
        # The schema says nothing about the shape: the rule has to, or a 13-digit value
        # would pass silently.
        wrong = cells.filter(~digits)
        findings += findings_from(wrong, code="siret-format", field=column)

    numbers = cells.filter(digits)
    distinct = numbers.get_column(column).unique().to_list()
    bad = [n for n in distinct if not is_valid(n)]
    if bad:
        offending = numbers.filter(pl.col(column).is_in(bad)).with_columns(
            pl.col(column).str.len_chars().alias("length")
        )
        findings += findings_from(offending, code="siret-checksum", field=column, params=["length"])
    return findings


# --- what its findings say (the registry of finding kinds collects KINDS) ---------


def _siret(f: Finding, lang: str) -> str:
    kind = "SIREN" if len(f.value or "") == 9 else "SIRET"
    return t(
        lang,
        f"Le numéro {kind} {quote(f.value, lang)} de {column_phrase(f, lang)} a une clé de contrôle fausse.",
        f"The {kind} number {quote(f.value, lang)} in {column_phrase(f, lang)} has a wrong check digit.",
    )


def _siret_format(f: Finding, lang: str) -> str:
    return t(
        lang,
        f"La valeur {quote(f.value, lang)} de {column_phrase(f, lang)} n'est ni un SIRET (14 chiffres) ni "
        "un SIREN (9 chiffres).",
        f"Value {quote(f.value, lang)} in {column_phrase(f, lang)} is neither a SIRET (14 digits) nor a "
        "SIREN (9 digits).",
    )


KINDS = (
    Kind(
        "siret-checksum", "error",
        ("Clé de contrôle SIRET/SIREN fausse", "Wrong SIRET/SIREN check digit"),
        _siret,
        (
            "un chiffre a sans doute été mal recopié : vérifiez le numéro sur "
            "https://annuaire-entreprises.data.gouv.fr",
            "a digit was probably mistyped: check the number on "
            "https://annuaire-entreprises.data.gouv.fr",
        ),
        f"rule:{NAME}",
    ),
    Kind(
        "siret-format", "error", ("SIRET/SIREN mal formé", "Malformed SIRET/SIREN"),
        _siret_format,
        (
            "écrivez les 14 chiffres du SIRET (ou les 9 du SIREN), sans espace",
            "write the 14 digits of the SIRET (or the 9 of the SIREN), without spaces",
        ),
        f"rule:{NAME}",
    ),
)  # fmt: skip
