"""Generate each schema's ``documentation.md`` from its ``schema.json``.

The documentation is never edited by hand: ``moisinno docs`` rewrites it, and a test runs
``moisinno docs --check`` so a schema change without regenerated docs fails CI. The page
follows what schema.data.gouv.fr shows: metadata, then one section per field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from moisinno_data import fsutil
from moisinno_data.package import paths
from moisinno_data.package.datapackage import foreign_keys
from moisinno_data.package.descriptors import (
    CustomCheck,
    FieldDescriptor,
    ForeignKey,
    SchemaDescriptor,
)
from moisinno_data.package.schema_check import with_categories
from moisinno_data.package.schemas import load_schema, table_names

TYPE_FR = {
    "string": "chaîne de caractères",
    "integer": "nombre entier",
    "number": "nombre réel",
    "boolean": "booléen",
    "date": "date (AAAA-MM-JJ)",
    "datetime": "date et heure (ISO 8601)",
    "time": "heure",
    "year": "année",
    "yearmonth": "année et mois",
    "geopoint": "point géographique",
    "array": "liste",
    "object": "objet",
    "any": "valeur quelconque",
}
FORMAT_FR = {"uri": "adresse web (URL)", "email": "adresse électronique"}
CHECK_FR = {
    "siret": "le SIRET de `{column}` a une clé de contrôle valide (algorithme de Luhn)",
    "cog-consistency": "les codes INSEE ({cols}) existent dans le Code officiel géographique et sont cohérents entre eux",
    "coordinates-in-france": "le point (`{latitude}`, `{longitude}`) tombe en France, outre-mer compris",
    "ordered-dates": "`{end}` est postérieur ou égal à `{start}`",
    "within-edition": "les dates ({cols}) tombent pendant l'édition indiquée par `{edition}` (avertissement)",
    "formula-injection": "aucune cellule ne commence, après d'éventuels espaces, par `=`, `+`, `-` ou `@` (ni leurs formes pleine chasse), sauf un nombre simple comme `-1,5` : un tableur l'exécuterait comme une formule",
}


BOUNDS: tuple[tuple[Literal["minimum", "maximum", "minLength", "maxLength"], str], ...] = (
    ("minimum", "Valeur minimale"),
    ("maximum", "Valeur maximale"),
    ("minLength", "Longueur minimale"),
    ("maxLength", "Longueur maximale"),
)
"""The bounds the documentation states, in its order, with their French labels."""


def _constraints(field: FieldDescriptor) -> list[str]:
    c = with_categories(field).get("constraints") or {}  # v2 categories bind as an enum
    out = []
    if c.get("required"):
        out.append("Valeur obligatoire")
    else:
        out.append("Valeur facultative")
    if c.get("unique"):
        out.append("Valeur unique")
    if "enum" in c:
        out.append("Valeurs autorisées : " + ", ".join(f"`{v}`" for v in c["enum"]))
    if "pattern" in c:
        out.append(f"Motif : `{c['pattern']}`")
    for key, label in BOUNDS:
        if key in c:
            out.append(f"{label} : {c[key]}")
    return out


def _names(fields: str | list[str]) -> str:
    """A key's fields as the page writes names, each as code: `` `code_insee`, `année` ``
    (a composite foreign key was written as a Python list, ``['code_insee', 'année']``)."""
    return ", ".join(f"`{name}`" for name in ([fields] if isinstance(fields, str) else fields))


def _missing_values(values: list[str]) -> str:
    """What a cell may hold for "no value": the empty cell and each marker (``NA``, ``-``)."""
    if not values:
        return "aucune (chaque cellule porte une valeur)"
    return ", ".join("cellule vide" if v == "" else f"`{v}`" for v in values)


def _check_line(check: CustomCheck) -> str:
    params = dict(check.get("params") or {})
    cols = ", ".join(
        f"`{v}`" for k, v in params.items() if isinstance(v, str) and k not in ("edition",)
    )
    if isinstance(params.get("dates"), list):
        cols = ", ".join(f"`{v}`" for v in params["dates"])
    template = CHECK_FR.get(check.get("name", ""), "contrôle `{name}`")
    try:
        return template.format(cols=cols, name=check.get("name"), **params)
    except (KeyError, IndexError):
        return template.replace("{cols}", cols)


def render(
    schema: SchemaDescriptor, package_keys: list[ForeignKey] | None = None, table: str = ""
) -> str:
    """``table``: the table's name in the package, the heading of a schema that has
    neither title nor name."""
    lines = [
        f"## {schema.get('title') or schema.get('name') or table}",
        "",
        "<!-- Généré par « moisinno docs » à partir de schema.json : ne pas modifier à la main. -->",
        "",
        schema.get("description", ""),
        "",
    ]
    lines += _identity(schema)
    for lic in schema.get("licenses", []):
        lines.append(f"- Licence : [{lic.get('title', lic.get('name'))}]({lic.get('path', '')})")
    if schema.get("primaryKey"):
        lines.append("- Clé primaire : " + _names(schema["primaryKey"]))
    for key in schema.get("uniqueKeys") or []:
        lines.append(
            f"- Combinaison unique : {_names(key)} (une combinaison dont une valeur manque "
            "n'est pas contrôlée)"
        )
    for fk in schema.get("foreignKeys", []):
        ref = fk["reference"]
        lines.append(
            f"- Clé étrangère : {_names(fk['fields'])} renvoie à {_names(ref['fields'])} de la "
            f"table `{ref['resource']}` publiée (vérifiée par `moisinno validate`)"
        )
    for fk in package_keys or []:
        ref = fk["reference"]
        lines.append(
            f"- Dans le paquet de données : {_names(fk['fields'])} renvoie à "
            f"{_names(ref['fields'])} de la table `{ref['resource']}` (clé étrangère déclarée "
            "dans `datapackage.json`, vérifiée par `moisinno validate` ; le schéma seul ne "
            "l'impose pas)"
        )
    lines.append("- Valeurs manquantes : " + _missing_values(schema.get("missingValues", [""])))
    for src in schema.get("sources", []):
        lines.append(f"- Source : [{src.get('title', '')}]({src.get('path', '')})")
    checks = schema.get("custom_checks", [])
    if checks:
        lines += ["", "### Règles métier", ""]
        lines += [f"- {_check_line(c)}" for c in checks]
    lines += ["", "### Modèle de données", ""]
    lines.append("| Nom | Type | Obligatoire |")
    lines.append("|-----|------|-------------|")
    for f in schema["fields"]:
        req = "Oui" if (f.get("constraints") or {}).get("required") else "Non"
        lines.append(f"| [{f['name']}](#propriete-{f['name']}) | {_type_fr(f)} | {req} |")
    for f in schema["fields"]:
        kind = _type_fr(f)
        if f.get("format") in FORMAT_FR:
            kind += f", format {FORMAT_FR[f['format']]}"
        lines += [
            "",
            f"#### {f.get('title', f['name'])} - Propriété `{f['name']}`",
            "",
        ]
        if f.get("description"):
            lines.append(f"> *Description : {f['description']}*<br/>")
        if f.get("example") is not None:
            example = json.dumps(f["example"], ensure_ascii=False).strip(chr(34))
            lines.append(f"> *Exemple : {example}*")
        lines.append(f"- Type : {kind}")
        lines += [f"- {c}" for c in _constraints(f)]
    return "\n".join(lines) + "\n"


def doc_path(table: str) -> Path:
    return paths.schemas_dir() / table / "documentation.md"


def _identity(schema: SchemaDescriptor) -> list[str]:
    """Name, version and dates, each only when the schema gives it (a foreign schema
    often has none: « Nom : `` » would document nothing)."""
    name, version = schema.get("name"), schema.get("version")
    created, modified = schema.get("created"), schema.get("lastModified")
    lines = [f"- Nom : `{name}`"] if name else []
    lines += [f"- Version : {version}"] if version else []
    if created and modified:
        lines.append(f"- Créé le : {created} ; modifié le : {modified}")
    elif created or modified:
        lines.append(f"- Créé le : {created}" if created else f"- Modifié le : {modified}")
    return lines


def _type_fr(field: FieldDescriptor) -> str:
    kind = str(field.get("type") or "string")  # Table Schema's default
    return TYPE_FR.get(kind, kind)


def write_all(check: bool = False) -> list[Path]:
    """Write every stale documentation.md, and Excel template where the package keeps one
    (``moisinno init`` does), or, with ``check``, only list them."""
    stale = stale_files()
    if not check:
        for target, data in stale.items():
            fsutil.write_bytes(target, data)
    return list(stale)


def stale_files() -> dict[Path, bytes]:
    """Each generated file of the package that no longer matches its schema, with what it
    must hold: the one test of staleness, shared by ``docs``, ``docs --check`` and
    ``release`` (a version must not pair a new schema with the old page or template)."""
    stale: dict[Path, bytes] = {}
    for table in table_names():
        schema = load_schema(paths.schema_path(table))
        target = doc_path(table)
        text = render(schema, foreign_keys(table), table)
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current != text:
            stale[target] = text.encode("utf-8")
        stale.update(_stale_template(table, schema))
    return stale


def _stale_template(table: str, schema: SchemaDescriptor) -> dict[Path, bytes]:
    """The package's template of ``table`` if it no longer matches the schema (a field
    added…): compared without its properties, which carry the day it was made."""
    from moisinno_data.package import template

    target = paths.schemas_dir() / table / f"modele-{table}.xlsx"
    if not target.is_file():
        return {}
    fresh = template.build(schema, table)
    if _workbook_parts(target.read_bytes()) == _workbook_parts(fresh):
        return {}
    return {target: fresh}


def _workbook_parts(data: bytes) -> dict[str, bytes] | None:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return {n: book.read(n) for n in book.namelist() if n != "docProps/core.xml"}
    except zipfile.BadZipFile:
        return None
