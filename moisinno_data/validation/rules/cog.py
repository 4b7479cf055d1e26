"""``cog-consistency``: region, département and commune codes exist in the INSEE COG and agree.

The codes come from ``moisinno_data/reference/`` (the COG as published by
``@etalab/decoupage-administratif``, see its VERSION file). A commune code is known if it is
in the COG under any type (current commune, associated or delegated commune, municipal
arrondissement): an old file may name a delegated commune.

- ``cog-unknown``: a well-formed code that the COG does not have;
- ``cog-mismatch``: two known codes that disagree (a département outside the region, a
  commune outside the département — or outside the region when there is no département
  column). The finding is on the narrower code's column, which is usually the wrong one.

Params: any of ``region``, ``departement``, ``commune`` (column names).
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from typing import Any

import polars as pl

from moisinno_data.package import paths
from moisinno_data.validation.kinds import Kind
from moisinno_data.validation.messages import column_phrase, quote, t
from moisinno_data.validation.report import Finding
from moisinno_data.validation.rules._cells import findings_from, well_formed
from moisinno_data.validation.rules._params import Param

NAME = "cog-consistency"
PARAMS = {level: Param("column", required=False) for level in ("region", "departement", "commune")}
REQUIRE_ONE_OF = ("region", "departement", "commune")
LEVELS = ("region", "departement", "commune")


@cache
def regions() -> pl.DataFrame:
    """code, nom of every region (loaded once per process)."""
    data = json.loads((paths.reference_dir() / "regions.json").read_text(encoding="utf-8"))
    return pl.DataFrame(
        {"code": [r["code"] for r in data], "nom": [r["nom"] for r in data]},
        schema={"code": pl.Utf8, "nom": pl.Utf8},
    )


@cache
def departements() -> pl.DataFrame:
    """code, nom, region of every département."""
    data = json.loads((paths.reference_dir() / "departements.json").read_text(encoding="utf-8"))
    return pl.DataFrame(
        {
            "code": [d["code"] for d in data],
            "nom": [d["nom"] for d in data],
            "region": [d.get("region") for d in data],
        },
        schema={"code": pl.Utf8, "nom": pl.Utf8, "region": pl.Utf8},
    )


@cache
def communes() -> pl.DataFrame:
    """code, nom, departement, region of every commune code (one row per code)."""
    with gzip.open(paths.reference_dir() / "communes.csv.gz", "rb") as fh:
        frame = pl.read_csv(fh.read(), infer_schema=False)
    order = {"commune-actuelle": 0}
    return (
        frame.with_columns(
            pl.col("type").replace_strict(order, default=1, return_dtype=pl.Int8).alias("rank")
        )
        .sort("code", "rank")
        .unique(subset="code", keep="first", maintain_order=True)
        .select("code", "nom", "departement", "region")
    )


def _names(level: str) -> pl.DataFrame:
    return {"region": regions, "departement": departements, "commune": communes}[level]()


def check(params: dict[str, Any], batch: pl.DataFrame, context: Any) -> list[Finding]:
    schema = context.schema
    cols = {
        level: params[level]
        for level in LEVELS
        if isinstance(params.get(level), str) and params[level] in batch.columns
    }
    if not cols:
        return []
    findings: list[Finding] = []
    # One frame: each present code kept only where well-formed, with its COG facts joined.
    frame = batch.select(
        "__row__",
        *[
            pl.when(well_formed(schema, col)).then(pl.col(col)).otherwise(None).alias(level)
            for level, col in cols.items()
        ],
    )
    if "region" in cols:
        frame = frame.join(
            regions().rename({"code": "region", "nom": "region_nom"}), on="region", how="left"
        ).with_columns(pl.col("region_nom").is_not_null().alias("region_known"))
    if "departement" in cols:
        frame = frame.join(
            departements().rename(
                {"code": "departement", "nom": "departement_nom", "region": "departement_region"}
            ),
            on="departement",
            how="left",
        ).with_columns(pl.col("departement_nom").is_not_null().alias("departement_known"))
    if "commune" in cols:
        frame = frame.join(
            communes().rename(
                {
                    "code": "commune",
                    "nom": "commune_nom",
                    "departement": "commune_departement",
                    "region": "commune_region",
                }
            ),
            on="commune",
            how="left",
        ).with_columns(pl.col("commune_nom").is_not_null().alias("commune_known"))

    for level, col in cols.items():
        unknown = frame.filter(pl.col(level).is_not_null() & ~pl.col(f"{level}_known"))
        findings += findings_from(
            unknown, code="cog-unknown", field=col, value_col=level, fixed={"level": level}
        )

    if "departement" in cols and "region" in cols:
        findings += _mismatch(frame, "departement", "region", cols["departement"])
    if "commune" in cols and ("departement" in cols or "region" in cols):
        parent = "departement" if "departement" in cols else "region"
        findings += _mismatch(frame, "commune", parent, cols["commune"])
    return findings


def _mismatch(frame: pl.DataFrame, level: str, parent: str, column: str) -> list[Finding]:
    """Known ``level`` codes whose COG parent differs from the row's known ``parent`` code.

    Params name both codes and what the COG expected, with their names, for the message:
    "le département 33 (Gironde) n'appartient pas à la région 53 (Bretagne) mais à la 75
    (Nouvelle-Aquitaine)".
    """
    actual = f"{level}_{parent}"
    wrong = frame.filter(
        pl.col(f"{level}_known") & pl.col(f"{parent}_known") & (pl.col(actual) != pl.col(parent))
    )
    if not wrong.height:
        return []
    wrong = wrong.join(
        _names(parent).select(pl.col("code").alias(actual), pl.col("nom").alias("expected_name")),
        on=actual,
        how="left",
    ).select(
        "__row__",
        pl.col(level).alias("value"),
        pl.col(f"{level}_nom").alias("name"),
        pl.col(parent).alias("parent"),
        pl.col(f"{parent}_nom").alias("parent_name"),
        pl.col(actual).alias("expected"),
        "expected_name",
    )
    return findings_from(
        wrong,
        code="cog-mismatch",
        field=column,
        value_col="value",
        params=["name", "parent", "parent_name", "expected", "expected_name"],
        fixed={"level": level, "parent_level": parent},
    )


# --- what its findings say (the registry of finding kinds collects KINDS) ---------


def _name(value: Any) -> str:
    """A param used as a lookup key: a string, or "" (no key) when another tool put anything
    else."""
    return value if isinstance(value, str) else ""


def _cog_unknown(f: Finding, lang: str) -> str:
    level = _name((f.params or {}).get("level"))
    names = {
        "region": ("de région", "region"),
        "departement": ("de département", "département"),
        "commune": ("de commune", "commune"),
    }
    fr, en = names.get(level, ("géographique", "geographic"))
    return t(
        lang,
        f"Le code {fr} {quote(f.value, lang)} de {column_phrase(f, lang)} n'existe pas dans le code "
        "officiel géographique de l'INSEE.",
        f"The {en} code {quote(f.value, lang)} in {column_phrase(f, lang)} is not in INSEE's official "
        "geographic code (COG).",
    )


def _cog_mismatch(f: Finding, lang: str) -> str:
    p = f.params or {}
    levels = {
        "region": ("la région", "region"),
        "departement": ("le département", "département"),
        "commune": ("la commune", "commune"),
    }
    c_fr, c_en = levels.get(_name(p.get("level")), ("le code", "code"))
    p_fr, p_en = levels.get(_name(p.get("parent_level")), ("le code parent", "parent code"))
    name = f" ({p['name']})" if p.get("name") else ""
    parent = f" {p.get('parent')}" + (f" ({p['parent_name']})" if p.get("parent_name") else "")
    expected = f" {p.get('expected')}" + (
        f" ({p['expected_name']})" if p.get("expected_name") else ""
    )
    belongs = t(lang, "n'appartient pas", "is not in")
    to = _to(p_fr)
    return t(
        lang,
        f"{c_fr.capitalize()} {f.value}{name} {belongs} {to}{parent}, mais {to}{expected}.",
        f"The {c_en} {f.value}{name} {belongs} {p_en}{parent} but in {p_en}{expected}.",
    )


def _to(place: str) -> str:
    """``à`` before a place: ``au département`` (not « à le »), ``à la région``."""
    return "au " + place[3:] if place.startswith("le ") else "à " + place


def _cog_mismatch_hint(f: Finding, lang: str) -> str:
    p = f.params
    level = _name(p.get("level"))
    parent_level = _name(p.get("parent_level"))
    child = {"departement": ("le département", "département"), "commune": ("la commune", "commune")}
    parent = {"region": ("la région", "region"), "departement": ("le département", "département")}
    c_fr, c_en = child.get(level, ("le code", "code"))
    p_fr, p_en = parent.get(parent_level, ("le code parent", "parent code"))
    exp = f"{p.get('expected')} ({p.get('expected_name')})"
    return t(
        lang,
        f"{c_fr} {f.value} est dans {p_fr} {exp} : corrigez l'un des deux codes",
        f"{c_en} {f.value} belongs to {p_en} {exp}: fix one of the two codes",
    )


def _cog_unknown_hint(f: Finding, lang: str) -> str:
    if f.params.get("level") == "commune":
        return t(
            lang,
            "le code commune est le code INSEE à 5 caractères, pas le code postal "
            "(Bordeaux : 33063, pas 33000)",
            "the commune code is the 5-character INSEE code, not the postcode "
            "(Bordeaux: 33063, not 33000)",
        )
    return t(
        lang,
        "utilisez le code officiel géographique de l'INSEE (https://www.insee.fr/fr/information/2560452)",
        "use INSEE's official geographic code (https://www.insee.fr/fr/information/2560452)",
    )


KINDS = (
    Kind(
        "cog-unknown", "error", ("Code géographique inconnu", "Unknown geographic code"),
        _cog_unknown, _cog_unknown_hint, f"rule:{NAME}",
    ),
    Kind(
        "cog-mismatch", "error", ("Codes géographiques incohérents", "Inconsistent geographic codes"),
        _cog_mismatch, _cog_mismatch_hint, f"rule:{NAME}",
    ),
)  # fmt: skip
