"""``phone-number-value``: validata-core's phone number check.

A non-empty cell is a valid French number (``01 99 00 27 37``, or a short number such as
``115`` or ``3949``) or a valid international one with its country prefix
(``+33 1 99 00 27 37``, ``+32 2 555 12 12``) — validata-core's rule, with the same library
(``phonenumbers``, Google's libphonenumber metadata). Each distinct value is judged once.

Params: ``column``.
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

NAME = "phone-number-value"
PARAMS = {"column": Param("column")}
MAX_CHARS = 100


def _valid_for(value: str, region: str | None) -> bool:
    import phonenumbers

    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return False
    if phonenumbers.is_valid_number(number):
        return True
    return region is not None and phonenumbers.is_valid_short_number(number)


def is_valid(value: str) -> bool:
    """French (long or short) or international with its prefix."""
    if len(value) > MAX_CHARS:
        return False
    return _valid_for(value, "FR") or _valid_for(value, None)


def check(params: dict[str, Any], batch: pl.DataFrame, context: Any) -> list[Finding]:
    return failing_values(batch, context, params.get("column"), NAME, is_valid)


# --- what its findings say (the registry of finding kinds collects KINDS) ---------


def _phone(f: Finding, lang: str) -> str:
    return t(
        lang,
        f"La valeur {quote(f.value, lang)} de {column_phrase(f, lang)} n'est pas un numéro de "
        "téléphone valide.",
        f"Value {quote(f.value, lang)} in {column_phrase(f, lang)} is not a valid phone number.",
    )


KINDS = (
    Kind(
        NAME, "error", ("Numéro de téléphone invalide", "Invalid phone number"),
        _phone,
        (
            "écrivez un numéro français à 10 chiffres (01 99 00 27 37), un numéro court (3949) "
            "ou un numéro international avec son indicatif (+32 2 555 12 12)",
            "write a 10-digit French number (01 99 00 27 37), a short number (3949) or an "
            "international number with its country code (+32 2 555 12 12)",
        ),
        f"rule:{NAME}",
    ),
)  # fmt: skip
