"""``opening-hours-value``: validata-core's check of OpenStreetMap opening hours.

A non-empty cell must be an ``opening_hours`` expression as OpenStreetMap specifies it
(``Mo-Fr 08:00-12:00,14:00-18:00; Sa 09:00-12:00; PH off``). The grammar is the one of
``opening-hours-py`` (the maintained Rust parser of the ``opening_hours`` specification,
also what validata-core uses); each distinct value is parsed once.

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

NAME = "opening-hours-value"
PARAMS = {"column": Param("column")}
MAX_CHARS = 2000
"""Longer is refused without parsing (a real expression is a few dozen characters)."""


def is_valid(value: str) -> bool:
    import opening_hours

    if len(value) > MAX_CHARS:
        return False
    try:
        return bool(opening_hours.validate(value))
    except BaseException as exc:  # a panic in the native parser arrives as BaseException
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        return False


def check(params: dict[str, Any], batch: pl.DataFrame, context: Any) -> list[Finding]:
    return failing_values(batch, context, params.get("column"), NAME, is_valid)


# --- what its findings say (the registry of finding kinds collects KINDS) ---------


def _hours(f: Finding, lang: str) -> str:
    return t(
        lang,
        f"La valeur {quote(f.value, lang)} de {column_phrase(f, lang)} n'est pas un horaire au "
        "format OpenStreetMap.",
        f"Value {quote(f.value, lang)} in {column_phrase(f, lang)} is not an OpenStreetMap "
        "opening_hours expression.",
    )


KINDS = (
    Kind(
        NAME, "error", ("Horaires d'ouverture mal écrits", "Malformed opening hours"),
        _hours,
        (
            "écrivez par exemple « Mo-Fr 08:30-12:00,14:00-17:30; Sa 09:00-12:00 » (jours "
            "abrégés en anglais, heures sur 24 h) ; voir "
            "https://wiki.openstreetmap.org/wiki/FR:Key:opening_hours",
            'write for instance "Mo-Fr 08:30-12:00,14:00-17:30; Sa 09:00-12:00" (24-hour '
            "times); see https://wiki.openstreetmap.org/wiki/Key:opening_hours",
        ),
        f"rule:{NAME}",
    ),
)  # fmt: skip
