"""``french-gps-coordinates``: validata-core's check that a geopoint falls in France.

The cell is one Table Schema ``geopoint`` read in the field's format: ``"lon, lat"``
(default), ``[lon, lat]`` (``array``) or ``{"lon": …, "lat": …}`` (``object``). A point
outside France is ``french-gps-coordinates``; one that would be in France with longitude
and latitude swapped is ``reversed-french-gps-coordinates``, validata-core's two codes.
France is :mod:`.coordinates`' boxes — metropolitan France, Corsica and every overseas
territory (validata-core's boxes cover the five DROM only: a point in New Caledonia passes
here and not there). A cell that is not a geopoint (``200, 95``) is the engine's
``type-error``, and only that.

Params: ``column``.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from moisinno_data.validation.kinds import Kind
from moisinno_data.validation.messages import column_phrase, quote, t
from moisinno_data.validation.report import Finding
from moisinno_data.validation.rules._cells import (
    columns_in,
    field_of,
    findings_from,
    well_formed,
)
from moisinno_data.validation.rules._params import Param
from moisinno_data.validation.rules.coordinates import in_france

NAME = "french-gps-coordinates"
PARAMS = {"column": Param("column")}

_NUMBER = r"\s*([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\s*"
"""A coordinate as the engine reads it: a decimal, with an exponent if a program wrote
it (``5e-05``)."""


def lon_lat(column: str, fmt: Any) -> tuple[pl.Expr, pl.Expr]:
    """(longitude, latitude) read from a geopoint cell; null where it is not one."""
    col = pl.col(column)
    if fmt == "object":
        lon = col.str.json_path_match("$.lon")
        lat = col.str.json_path_match("$.lat")
    else:
        shapes = {
            "array": rf"^\[{_NUMBER},{_NUMBER}\]$",
            "default": rf"^{_NUMBER},{_NUMBER}$",
            "lenient": rf"^\s*\[?{_NUMBER},{_NUMBER}\]?\s*$",
        }
        shape = shapes.get(fmt, shapes["default"])
        lon = col.str.extract(shape, 1)
        lat = col.str.extract(shape, 2)
    return lon.cast(pl.Float64, strict=False), lat.cast(pl.Float64, strict=False)


def check(params: dict[str, Any], batch: pl.DataFrame, context: Any) -> list[Finding]:
    column = params.get("column")
    if not isinstance(column, str) or not columns_in(batch, column):
        return []
    field = field_of(context.schema, column)
    # A geopoint field is read in its format (the engine reports other shapes); a text
    # field holding coordinates is read in either of the two text forms.
    fmt = field.get("format", "default") if field.get("type") == "geopoint" else "lenient"
    lon, lat = lon_lat(column, fmt)
    points = (
        batch.filter(well_formed(context.schema, column))
        .select("__row__", column, lon.alias("lon"), lat.alias("lat"))
        .filter(pl.col("lon").is_finite() & pl.col("lat").is_finite())
    )
    outside = points.filter(~in_france(pl.col("lat"), pl.col("lon")))
    if not outside.height:
        return []
    swapped = in_france(pl.col("lon"), pl.col("lat"))
    return findings_from(
        outside.filter(swapped), code="reversed-french-gps-coordinates", field=column
    ) + findings_from(outside.filter(~swapped), code="french-gps-coordinates", field=column)


# --- what its findings say (the registry of finding kinds collects KINDS) ---------


def _outside(f: Finding, lang: str) -> str:
    return t(
        lang,
        f"Le point {quote(f.value, lang)} de {column_phrase(f, lang)} n'est pas en France "
        "(outre-mer compris).",
        f"Point {quote(f.value, lang)} in {column_phrase(f, lang)} is not in France "
        "(overseas included).",
    )


def _reversed(f: Finding, lang: str) -> str:
    return t(
        lang,
        f"Le point {quote(f.value, lang)} de {column_phrase(f, lang)} tombe en France si l'on "
        "inverse longitude et latitude.",
        f"Point {quote(f.value, lang)} in {column_phrase(f, lang)} falls in France once "
        "longitude and latitude are swapped.",
    )


KINDS = (
    Kind(
        "french-gps-coordinates", "error",
        ("Coordonnées GPS hors de France", "GPS coordinates outside France"),
        _outside,
        (
            "écrivez la longitude puis la latitude, en degrés décimaux WGS 84 "
            "(Paris : 2.3522, 48.8566)",
            "write the longitude then the latitude, in WGS 84 decimal degrees "
            "(Paris: 2.3522, 48.8566)",
        ),
        f"rule:{NAME}",
    ),
    Kind(
        "reversed-french-gps-coordinates", "error",
        ("Coordonnées GPS inversées", "Swapped GPS coordinates"),
        _reversed,
        (
            "mettez la longitude en premier, puis la latitude",
            "put the longitude first, then the latitude",
        ),
        f"rule:{NAME}",
    ),
)  # fmt: skip
