"""``coordinates-in-france``: a point must fall in France, overseas territories included.

France is approximated by bounding boxes (WGS 84 degrees, with a small margin for the
coast): metropolitan France with Corsica, each DROM and each COM, plus the TAAF districts
and Clipperton. A box is generous on purpose — the rule catches swapped or mistyped
coordinates and points on another continent, not a point a few kilometres off shore.
When swapping latitude and longitude would put the point in France, the finding says so
(``params["swapped"]``): the commonest mistake.

Params: ``latitude`` and ``longitude`` (column names).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from moisinno_data.validation.kinds import Kind
from moisinno_data.validation.messages import t
from moisinno_data.validation.report import Finding
from moisinno_data.validation.rules._cells import findings_from, plain, well_formed
from moisinno_data.validation.rules._params import Param

NAME = "coordinates-in-france"
PARAMS = {"latitude": Param("column"), "longitude": Param("column")}

# name: (lat_min, lat_max, lon_min, lon_max)
BOXES: dict[str, tuple[float, float, float, float]] = {
    "France métropolitaine et Corse": (41.2, 51.2, -5.4, 9.7),
    "Guadeloupe": (15.7, 16.6, -61.9, -60.9),
    "Martinique": (14.3, 14.95, -61.3, -60.75),
    "Guyane": (2.05, 5.85, -54.7, -51.5),
    "La Réunion": (-21.45, -20.8, 55.15, 55.9),
    "Mayotte": (-13.05, -12.55, 44.95, 45.35),
    "Saint-Pierre-et-Miquelon": (46.7, 47.2, -56.5, -56.1),
    "Saint-Barthélemy": (17.85, 17.99, -62.97, -62.76),
    "Saint-Martin": (18.0, 18.14, -63.17, -62.96),
    "Wallis-et-Futuna": (-14.45, -13.15, -178.25, -176.05),
    "Polynésie française": (-27.8, -7.8, -154.8, -134.3),
    "Nouvelle-Calédonie": (-23.0, -17.9, 157.9, 168.3),
    "Kerguelen": (-50.1, -48.4, 68.4, 70.7),
    "Crozet": (-46.6, -45.9, 50.0, 52.5),
    "Saint-Paul et Amsterdam": (-38.8, -37.7, 77.4, 77.7),
    # The Îles Éparses one by one: one box around them all held Madagascar, the Comoros
    # and Mozambique's coast (sweep 7: Antananarivo passed as French).
    "Glorieuses": (-11.65, -11.45, 47.2, 47.5),
    "Juan de Nova": (-17.12, -17.0, 42.65, 42.8),
    "Bassas da India": (-21.55, -21.4, 39.6, 39.77),
    "Europa": (-22.45, -22.3, 40.28, 40.43),
    "Tromelin": (-15.95, -15.85, 54.47, 54.57),
    "Terre Adélie": (-90.0, -66.0, 136.0, 142.0),
    "Clipperton": (10.25, 10.35, -109.26, -109.18),
}


def in_france(lat: pl.Expr, lon: pl.Expr) -> pl.Expr:
    """True where (lat, lon) is inside one of :data:`BOXES`."""
    inside = pl.lit(False)
    for lat_min, lat_max, lon_min, lon_max in BOXES.values():
        inside = inside | (lat.is_between(lat_min, lat_max) & lon.is_between(lon_min, lon_max))
    return inside


def check(params: dict[str, Any], batch: pl.DataFrame, context: Any) -> list[Finding]:
    lat_col, lon_col = params.get("latitude"), params.get("longitude")
    if not (
        isinstance(lat_col, str)
        and isinstance(lon_col, str)
        and lat_col in batch.columns
        and lon_col in batch.columns
    ):
        return []
    schema = context.schema
    lat = plain(schema, lat_col).cast(pl.Float64, strict=False)
    lon = plain(schema, lon_col).cast(pl.Float64, strict=False)
    # Most points are in metropolitan France: rule them out with one box before the rest.
    lat_min, lat_max, lon_min, lon_max = BOXES["France métropolitaine et Corse"]
    in_metro = lat.is_between(lat_min, lat_max) & lon.is_between(lon_min, lon_max)
    rest = batch.filter(lat.is_not_null() & lon.is_not_null() & ~in_metro)
    if not rest.height:
        return []
    outside = rest.filter(
        well_formed(schema, lat_col)
        & well_formed(schema, lon_col)
        & lat.is_finite()
        & lon.is_finite()
        & ~in_france(lat, lon)
    ).with_columns(
        in_france(lon, lat).alias("swapped"),
        pl.col(lat_col).alias("latitude"),
        pl.col(lon_col).alias("longitude"),
    )
    return findings_from(
        outside,
        code="coordinates-outside-france",
        field=lat_col,
        params=["latitude", "longitude", "swapped"],
    )


# --- what its findings say (the registry of finding kinds collects KINDS) ---------


def _coordinates(f: Finding, lang: str) -> str:
    p = f.params or {}
    lat, lon = p.get("latitude", f.value), p.get("longitude", "?")
    return t(
        lang,
        f"Le point (latitude {lat}, longitude {lon}) est hors de France, outre-mer compris.",
        f"The point (latitude {lat}, longitude {lon}) is outside France, overseas included.",
    )


def _coordinates_hint(f: Finding, lang: str) -> str:
    p = f.params
    if p.get("swapped"):
        return t(
            lang,
            f"latitude et longitude semblent inversées : latitude {p.get('longitude')}, "
            f"longitude {p.get('latitude')}",
            f"latitude and longitude look swapped: latitude {p.get('longitude')}, "
            f"longitude {p.get('latitude')}",
        )
    return t(
        lang,
        "vérifiez les coordonnées (degrés décimaux WGS 84, par exemple 44.8378 et -0.5792 "
        "pour Bordeaux)",
        "check the coordinates (WGS 84 decimal degrees, e.g. 44.8378 and -0.5792 for Bordeaux)",
    )


KINDS = (
    Kind(
        "coordinates-outside-france", "error",
        ("Coordonnées hors de France", "Coordinates outside France"),
        _coordinates, _coordinates_hint, f"rule:{NAME}",
    ),
)  # fmt: skip
