"""``french-siret-value`` and ``french-siren-value``: validata-core's identifier checks.

A non-empty cell must be a valid SIRET (14 digits) — or SIREN (9 digits) — by
python-stdnum, the library validata-core uses, with its tolerance: spaces and dots between
digit groups are accepted (``732 829 320 00074``), La Poste's establishments are valid.
Cells the engine already reports (the field's pattern fails, …) are not judged twice.

Params: ``column``. Our own ``siret`` rule (either number, digits only) stays available.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from moisinno_data.validation.kinds import Kind
from moisinno_data.validation.messages import column_phrase, quote, t
from moisinno_data.validation.report import Finding
from moisinno_data.validation.rules._cells import (
    failing_values,
)
from moisinno_data.validation.rules._params import Param

NAME = "french-siret-value"
PARAMS = {"column": Param("column")}


def check(params: dict[str, Any], batch: pl.DataFrame, context: Any) -> list[Finding]:
    # imported here: python-stdnum pulls ssl (~10 ms at start-up), paid only when used
    from stdnum.fr import siret as stdnum_siret

    column = params.get("column")
    return failing_values(batch, context, column, NAME, stdnum_siret.is_valid)


def check_siren(params: dict[str, Any], batch: pl.DataFrame, context: Any) -> list[Finding]:
    from stdnum.fr import siren as stdnum_siren

    column = params.get("column")
    return failing_values(batch, context, column, "french-siren-value", stdnum_siren.is_valid)


# --- what its findings say (the registry of finding kinds collects KINDS) ---------


def _identifier(kind: str, digits: int):
    def render(f: Finding, lang: str) -> str:
        return t(
            lang,
            f"Le numéro {quote(f.value, lang)} de {column_phrase(f, lang)} n'est pas un {kind} "
            f"valide ({digits} chiffres dont une clé de contrôle).",
            f"Number {quote(f.value, lang)} in {column_phrase(f, lang)} is not a valid {kind} "
            f"({digits} digits including a check digit).",
        )

    return render


LOOKUP_HINT = (
    "un chiffre a sans doute été mal recopié : vérifiez le numéro sur "
    "https://annuaire-entreprises.data.gouv.fr",
    "a digit was probably mistyped: check the number on https://annuaire-entreprises.data.gouv.fr",
)

KINDS = (
    Kind(
        "french-siret-value", "error", ("Numéro SIRET invalide", "Invalid SIRET number"),
        _identifier("SIRET", 14), LOOKUP_HINT, f"rule:{NAME}",
    ),
)  # fmt: skip
