"""Find, load and list Table Schemas: the bundled ones by table name, or any schema file.

Schemas are plain dicts here (the JSON as written): the validation engine and the
documentation generator read them directly, and frictionless gets the same dict when a
reference check is wanted.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from moisinno_data.package import paths
from moisinno_data.package.descriptors import SchemaDescriptor
from moisinno_data.package.schema_check import SchemaError, check_schema


@dataclass(frozen=True)
class SchemaInfo:
    name: str
    """The table's name in the package, the one every command and the web page take
    (``init`` makes it from the schema's ``name``: « Arbres urbains » → arbres-urbains)."""
    title: str
    version: str
    fields: int
    path: Path


def table_names() -> list[str]:
    """The data package's tables, in the order of its ``datapackage.json`` resources.

    Any package (``moisinno init`` makes them for any schema), so no table list is
    hard-coded: a schema folder that the descriptor does not list comes last.
    """
    found = sorted(p.parent.name for p in paths.schemas_dir().glob("*/schema.json"))
    try:
        descriptor = json.loads(paths.datapackage_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        descriptor = {}
    listed = [r.get("name") for r in descriptor.get("resources", []) if isinstance(r, dict)]
    order = [t for t in listed if t in found]
    return order + [t for t in found if t not in order]


def resolve(name_or_path: str | Path) -> Path:
    """A bundled table name or a path to any Table Schema JSON file."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".json" or candidate.exists():
        if not candidate.is_file():
            raise SchemaError(
                f"Schéma introuvable : {candidate}", en=f"Schema not found: {candidate}"
            )
        return candidate
    name = str(name_or_path).strip()  # « evenements » typed with a space, as the page reads it
    bundled = paths.schema_path(name)
    if name and bundled.is_file():
        return bundled
    for table in table_names():  # the schema's own name (« Arbres urbains ») names it too
        path = paths.schema_path(table)
        with contextlib.suppress(OSError, ValueError, AttributeError):
            if json.loads(path.read_text(encoding="utf-8")).get("name") == name:
                return path
    known = ", ".join(table_names())
    raise SchemaError(
        f"Schéma inconnu : « {name_or_path} ». Tables disponibles : {known}, "
        "ou le chemin d'un fichier schema.json.",
        en=f'Unknown schema: "{name_or_path}". Available tables: {known}, '
        "or the path of a schema.json file.",
    )


def package_table(name_or_path: str | Path) -> str:
    """The package's table that ``name_or_path`` names: a table, its schema's ``name``, or
    its schema.json by path. For the commands that write a table (``consolidate``): a path
    was taken for a table's name, and a dry run wrote ``schema.json.csv`` beside it
    (sweep 8)."""
    table = table_of(resolve(name_or_path))
    if table is not None:
        return table
    known = ", ".join(table_names())
    raise SchemaError(
        f"{name_or_path} n'est le schéma d'aucune table du paquet ({known}) : consolider, "
        "c'est écrire dans l'une d'elles ; donnez son nom, ou créez un paquet pour ce schéma "
        "(moisinno init).",
        en=f"{name_or_path} is the schema of no table of the package ({known}): "
        "consolidating writes into one of them; give its name, or make a package for this "
        "schema (moisinno init).",
    )


def table_of(path: Path) -> str | None:
    """The package's table whose schema is the file at ``path``, if any: it names a
    schema that has no ``name`` of its own (schema.data.gouv.fr's often have none)."""
    for table in table_names():
        with contextlib.suppress(OSError):
            if path.resolve() == paths.schema_path(table).resolve():
                return table
    return None


def load_schema(name_or_path: str | Path) -> SchemaDescriptor:
    """The schema as a dict, checked (:func:`check_schema`) before anyone relies on it.

    Every command loads schemas here, so a schema author's mistake is one sentence (exit 2)
    whichever command meets it first; the warnings are for the report
    (:func:`moisinno_data.validation.rules.schema_findings` computes them again).
    """
    path = resolve(name_or_path)
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        fr, en = unreadable(exc)
        raise SchemaError(
            f"Le schéma {path} n'est pas un JSON lisible : {fr}.",
            en=f"The schema {path} is not readable JSON: {en}.",
        ) from None
    except RecursionError:
        raise SchemaError(
            f"Le schéma {path} est imbriqué trop profondément pour être lu : un Table Schema "
            "n'a que quelques niveaux (fields, constraints…).",
            en=f"The schema {path} is nested too deeply to be read: a Table Schema has only "
            "a few levels (fields, constraints…).",
        ) from None
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        raise SchemaError(
            f"Le fichier {path} n'est pas un Table Schema (clé « fields » absente).",
            en=f"The file {path} is not a Table Schema (no “fields” key).",
        )
    check_schema(schema, str(path))
    return cast(SchemaDescriptor, schema)  # its shape is what check_schema just checked


def list_schemas() -> list[SchemaInfo]:
    infos = []
    for name in table_names():
        path = paths.schema_path(name)
        schema = load_schema(path)
        infos.append(
            SchemaInfo(
                name=name,
                title=schema.get("title", ""),
                version=schema.get("version", ""),
                fields=len(schema["fields"]),
                path=path,
            )
        )
    return infos


JSON_MISTAKES = (
    ("Expecting ',' delimiter", "une virgule « , » manque", 'a comma "," is missing'),
    ("Expecting ':' delimiter", "un deux-points « : » manque", 'a colon ":" is missing'),
    (
        "Expecting property name enclosed in double quotes",
        "un nom de clé entre guillemets droits est attendu (virgule en trop avant « } » ?)",
        'a key name in double quotes is expected (a comma too many before "}"?)',
    ),
    ("Expecting value", "une valeur est attendue", "a value is expected"),
    (
        "Unexpected UTF-8 BOM",
        "il commence par la marque d'ordre des octets (BOM) qu'ajoutent certains éditeurs : "
        "enregistrez-le en UTF-8 sans BOM",
        "it begins with the byte order mark (BOM) some editors add: save it as UTF-8 without BOM",
    ),
    (
        "Invalid \\escape",
        "barre oblique inverse « \\ » invalide (dans un motif, écrivez-la « \\\\ »)",
        'invalid backslash "\\" (in a pattern, write it "\\\\")',
    ),
    (
        "Invalid control character",
        "retour à la ligne ou tabulation dans un texte entre guillemets (écrivez « \\n », « \\t »)",
        'a line break or tab inside a quoted text (write "\\n", "\\t")',
    ),
    (
        "Unterminated string",
        "un texte entre guillemets n'est jamais refermé",
        "a quoted text is never closed",
    ),
    (
        "Extra data",
        "du texte suit la fin de l'objet JSON",
        "text follows the end of the JSON object",
    ),
)
"""The json module's messages, said in words a schema author reads (French and English)."""


def unreadable(exc: Exception) -> tuple[str, str]:
    """Why a schema file could not be read as JSON, in French and English, with the line
    and column of a syntax error: the json module's English (« Expecting ':' delimiter:
    line 97 column 50 (char 2930) ») was shown as is, in French reports too."""
    if isinstance(exc, json.JSONDecodeError):
        fr, en = next(
            ((fr, en) for start, fr, en in JSON_MISTAKES if exc.msg.startswith(start)),
            (exc.msg, exc.msg),
        )
        return (
            f"ligne {exc.lineno}, colonne {exc.colno} : {fr}",
            f"line {exc.lineno}, column {exc.colno}: {en}",
        )
    if isinstance(exc, UnicodeDecodeError):
        byte = exc.object[exc.start : exc.start + 1].hex()
        return (
            f"il n'est pas en UTF-8 (octet 0x{byte} à la position {exc.start}) : "
            "enregistrez-le en UTF-8",
            f"it is not UTF-8 (byte 0x{byte} at position {exc.start}): save it as UTF-8",
        )
    reason = getattr(exc, "strerror", None) or type(exc).__name__
    return f"fichier illisible ({reason})", f"unreadable file ({reason})"
