"""``nomenclature-actes-value``: validata-core's check of a matter in the Actes nomenclature.

SCDL's deliberations name each act's matter as ``Matière/Sous-matière`` (the prefecture's
Actes nomenclature, "Finances locales/Décisions budgétaires"): the part before the first
``/`` must be one of its nine top-level matters, capitals and accents aside, and no space
may stand just before or after that ``/``. As in validata-core, a value without ``/`` is
reported, and so is any ``"/ "`` in it. Cells the engine already reports are left out.

Params: ``column``.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from moisinno_data.package.text import strip_accents
from moisinno_data.validation.kinds import Kind
from moisinno_data.validation.messages import column_phrase, quote, t
from moisinno_data.validation.report import Finding
from moisinno_data.validation.rules._cells import columns_in, findings_from, well_formed
from moisinno_data.validation.rules._params import Param

NAME = "nomenclature-actes-value"
PARAMS = {"column": Param("column")}
MATTERS = (
    "Commande publique",
    "Urbanisme",
    "Domaine et patrimoine",
    "Fonction publique",
    "Institutions et vie politique",
    "Libertés publiques et pouvoirs de police",
    "Finances locales",
    "Domaines de compétences par thèmes",
    "Autres domaines de compétences",
)
"""The Actes nomenclature's top-level matters, as validata-core lists them."""
EXAMPLE = "Finances locales/Décisions budgétaires"


def _folded(text: str) -> str:
    return strip_accents(text.lower())


_KNOWN = frozenset(map(_folded, MATTERS))


def fault(value: str) -> str | None:
    """What is wrong with ``value`` (``slash``, ``space``, ``prefix``), None if nothing."""
    if "/" not in value:
        return "slash"
    prefix = value[: value.index("/")]
    if _folded(prefix) in _KNOWN and "/ " not in value:
        return None
    if _folded(prefix.rstrip()) in _KNOWN or "/ " in value:
        return "space"
    return "prefix"


def check(params: dict[str, Any], batch: pl.DataFrame, context: Any) -> list[Finding]:
    column = params.get("column")
    if not isinstance(column, str) or not columns_in(batch, column):
        return []
    cells = batch.filter(well_formed(context.schema, column)).select("__row__", column)
    faults = {v: fault(v) for v in cells.get_column(column).unique().to_list()}
    bad = {value: why for value, why in faults.items() if why is not None}
    if not bad:
        return []
    wrong = cells.filter(pl.col(column).is_in(list(bad))).with_columns(
        pl.col(column).replace_strict(bad, return_dtype=pl.String).alias("\x00fault")
    )
    return findings_from(wrong, code=NAME, field=column, params=["\x00fault"])


# --- what its findings say (the registry of finding kinds collects KINDS) ---------


def _message(f: Finding, lang: str) -> str:
    fault = (f.params or {}).get("fault")
    value, where = quote(f.value, lang), column_phrase(f, lang)
    if fault == "slash":
        return t(
            lang,
            f"La valeur {value} de {where} n'a pas la forme de la nomenclature Actes : il y "
            "manque la barre oblique « / » entre la matière et la sous-matière.",
            f"Value {value} in {where} is not in the form of the Actes nomenclature: the "
            'slash "/" between the matter and the sub-matter is missing.',
        )
    if fault == "space":
        return t(
            lang,
            f"La valeur {value} de {where} a une espace avant ou après la barre oblique « / ».",
            f'Value {value} in {where} has a space before or after the slash "/".',
        )
    prefix = str(f.value or "").split("/", 1)[0]
    return t(
        lang,
        f"La valeur {value} de {where} commence par {quote(prefix, lang)}, qui n'est pas une "
        "matière de la nomenclature Actes.",
        f"Value {value} in {where} starts with {quote(prefix, lang)}, which is not a matter "
        "of the Actes nomenclature.",
    )


def _hint(f: Finding, lang: str) -> str:
    fault = (f.params or {}).get("fault")
    if fault == "space":
        return t(
            lang,
            "collez la barre oblique à la matière et à la sous-matière",
            "write the slash right against the matter and the sub-matter",
        )
    matters = ", ".join(MATTERS)
    return t(
        lang,
        f"écrivez la matière, « / », puis la sous-matière (« {EXAMPLE} ») ; matières : {matters}",
        f'write the matter, "/", then the sub-matter ("{EXAMPLE}"); matters: {matters}',
    )


KINDS = (
    Kind(
        NAME, "error", ("Matière hors nomenclature Actes", "Matter outside the Actes nomenclature"),
        _message, _hint, f"rule:{NAME}",
    ),
)  # fmt: skip
