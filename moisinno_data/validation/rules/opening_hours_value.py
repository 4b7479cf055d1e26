"""``opening-hours-value``: validata-core's check of OpenStreetMap opening hours.

A non-empty cell must be an ``opening_hours`` expression as OpenStreetMap specifies it
(``Mo-Fr 08:00-12:00,14:00-18:00; Sa 09:00-12:00; PH off``). The grammar is the one of
``opening-hours-py`` (the maintained Rust parser of the ``opening_hours`` specification,
also what validata-core uses); each distinct value is parsed once.

validata-core (0.9.7, and validata-table 0.13.0 still) pins opening-hours-py 0.6, whose
parser holds to the specification's spelling; the releases since 1.x (the only ones built
for recent Pythons) forgive what a person types: ``mo-fr`` or ``MO-FR``, ``8:00``,
``08:00 - 12:00``, ``…;Sa`` without a space, ``08:00+``. Validata refuses all of these,
so :func:`misspelt` refuses them here too, before the parser (outside the ``"…"``
comments): with it, the two agree on 265 of 268 variants of real-looking hours (the three
left: ``week 01-53/2`` and ``Mo[-1]``, which 0.6 does not know).

Params: ``column``.
"""

from __future__ import annotations

import re
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


KEYWORDS = (
    "Mo", "Tu", "We", "Th", "Fr", "Sa", "Su", "PH", "SH",
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    "off", "closed", "open", "unknown", "week", "easter", "sunrise", "sunset", "dawn", "dusk",
)  # fmt: skip
"""The specification's words, spelt as it spells them (opening-hours-py 0.6 wants that)."""
_SPELLING = {word.lower(): word for word in KEYWORDS}
_MISSPELT = (
    re.compile(r"(?<![0-9])[0-9]:[0-9]{2}"),  # 8:00 for 08:00
    re.compile(r"[0-9]{2}:[0-9]{2}\s+-|[0-9]{2}:[0-9]{2}-\s"),  # 08:00 - 12:00
    re.compile(r";(?! )"),  # Mo 08:00-12:00;Tu 08:00-12:00
    re.compile(r"[0-9]{2}:[0-9]{2}\+"),  # 08:00+ (open end)
)


def misspelt(value: str) -> bool:
    """True when ``value`` is written in a way opening-hours-py 0.6 (validata-core's)
    refuses and later releases forgive: a word in other capitals (``mo``, ``PH OFF``), a
    one-digit hour, a space around a time range's ``-``, ``;`` without a space after it,
    an open end ``+``. Comments in double quotes are left as written."""
    outside = re.sub(r'"[^"]*"', '""', value).rstrip()
    if any(pattern.search(outside) for pattern in _MISSPELT):
        return True
    return any(
        _SPELLING.get(word.lower(), word) != word for word in re.findall(r"[A-Za-z]+", outside)
    )


def is_valid(value: str) -> bool:
    import opening_hours

    if len(value) > MAX_CHARS or misspelt(value):
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
            "écrivez par exemple « Mo-Fr 08:30-12:00,14:00-17:30; Sa 09:00-12:00; PH off » "
            "(jours abrégés en anglais avec leur majuscule : Mo Tu We Th Fr Sa Su, PH ; "
            "heures sur 24 h et deux chiffres : 08:30 ; pas d'espace autour du tiret ; une "
            "espace après « ; ») ; voir https://wiki.openstreetmap.org/wiki/FR:Key:opening_hours",
            'write for instance "Mo-Fr 08:30-12:00,14:00-17:30; Sa 09:00-12:00; PH off" '
            "(English day abbreviations with their capital: Mo Tu We Th Fr Sa Su, PH; 24-hour "
            'times with two digits: 08:30; no space around the dash; a space after ";"); see '
            "https://wiki.openstreetmap.org/wiki/Key:opening_hours",
        ),
        f"rule:{NAME}",
    ),
)  # fmt: skip
