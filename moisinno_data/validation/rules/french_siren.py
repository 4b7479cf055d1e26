"""``french-siren-value``: validata-core's SIREN check (9 digits, python-stdnum's key).

Same reading as ``french-siret-value`` (:mod:`.french_siret`), for SIREN numbers.

Params: ``column``.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from moisinno_data.validation.kinds import Kind
from moisinno_data.validation.report import Finding
from moisinno_data.validation.rules._params import Param
from moisinno_data.validation.rules.french_siret import LOOKUP_HINT, _identifier, check_siren

NAME = "french-siren-value"
PARAMS = {"column": Param("column")}


def check(params: dict[str, Any], batch: pl.DataFrame, context: Any) -> list[Finding]:
    return check_siren(params, batch, context)


# --- what its findings say (the registry of finding kinds collects KINDS) ---------


KINDS = (
    Kind(
        "french-siren-value", "error", ("Numéro SIREN invalide", "Invalid SIREN number"),
        _identifier("SIREN", 9), LOOKUP_HINT, f"rule:{NAME}",
    ),
)  # fmt: skip
