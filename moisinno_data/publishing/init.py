"""``moisinno init``: a new data package, laid out like this repository, for any Table Schema.

Every publisher with a schema of schema.data.gouv.fr has the same chain to run — receive
files, validate, consolidate, version, publish. ``init`` writes the folder that chain works
on: ``schemas/<table>/`` (the schema, its documentation, an Excel template for
contributors), an empty ``datasets/<table>.csv`` with the schema's header,
``datapackage.json``, ``CHANGELOG.md``, a ``.gitignore`` for what is never published
(``prive/``, the release store, the local portal) and a short README. Every command then
works on it from inside the folder, as on ours.

A schema is a local file or an ``http(s)://`` address (fetched once, stored in the package).
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from moisinno_data import fsutil
from moisinno_data.errors import ConfigError, InputError
from moisinno_data.package import canonical, datapackage, documentation, licences, template
from moisinno_data.package.descriptors import SchemaDescriptor
from moisinno_data.package.schemas import unreadable
from moisinno_data.package.text import ascii_slug
from moisinno_data.publishing.release import CHANGELOG_PREAMBLE

TIMEOUT = 30
NEVER_PUBLISHED = (
    "# Jamais publié : journal et rejets privés, dépôt de versions, portail local, travail en cours",
    "/prive/",
    "/releases/",
    "/portail/",
    "/.moisinno-transaction/",
    "/.moisinno-verrou",
)


@dataclass
class InitResult:
    root: Path
    tables: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    """What the new package cannot do until its schema is corrected, in French and English."""


def slug(text: str) -> str:
    """A table or package name as schema.data.gouv.fr writes them: lowercase, ``-``/``_``."""
    return ascii_slug(text, keep="_") or "table"


def fetch_schema(source: str) -> tuple[SchemaDescriptor, str]:
    """The schema at ``source`` (file or URL) and a fallback table name taken from it."""
    if re.match(r"^https?://", source):
        text = _download(source)
        parts = [p for p in source.split("?")[0].split("/") if p]
    else:
        path = Path(source).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(
                f"{source} : fichier de schéma introuvable.",
                en=f"{source}: schema file not found.",
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            fr, en = unreadable(exc)
            raise InputError(
                f"{source} : schéma illisible : {fr}.", en=f"{source}: unreadable schema: {en}."
            ) from None
        parts = list(path.absolute().parts)  # ./schema.json: its folder names it
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as exc:
        fr, en = unreadable(exc)
        raise InputError(
            f"{source} : JSON invalide, {fr}.", en=f"{source}: invalid JSON, {en}."
        ) from None
    _usable(schema, source)
    stem = parts[-1].rsplit(".", 1)[0] if parts else "table"
    if stem == "schema" and len(parts) > 1:  # schemas/<name>/schema.json, as etalab repos do
        stem = parts[-2]
    return cast(SchemaDescriptor, schema), slug(stem)


def _usable(schema: Any, source: str) -> None:
    """Refuse now a schema that every validation would refuse (no list of fields, a field
    without name or named twice, an invalid or backtracking-only regular expression, an
    unknown type…, no field at all: :func:`check_schema`, validate's checks; a known
    ``custom_checks`` rule with a wrong parameter, such as a column the schema lacks): a
    package made from it could check nothing. Its warnings are for ``moisinno validate``."""
    from moisinno_data.validation.cells import FieldChecker
    from moisinno_data.validation.rules import prepare

    prepare(schema, source)  # the Table Schema (check_schema), then custom_checks' parameters
    missing = schema.get("missingValues", [""])
    for descriptor in schema["fields"]:
        if isinstance(descriptor, dict) and "name" in descriptor:
            FieldChecker(descriptor, missing)  # compiles its pattern as the validator will


def _blocking_checks(name: str, schema: SchemaDescriptor) -> list[tuple[str, str]]:
    """A custom check no tool knows (``french_gps_coordinates`` in etalab's
    schema-stationnement-cyclable) is an error of every report, as in Validata: the package
    is made, but nothing can be consolidated nor released until the name is corrected in
    its copy of the schema. Said now, not at the first refused contribution."""
    from moisinno_data.validation.messages import message
    from moisinno_data.validation.rules import RULES, unknown_checks

    where = f"schemas/{name}/schema.json"
    return [
        (
            f"table {name} : {message(f, 'fr')} Tant que ce nom n'est pas corrigé dans "
            f"{where}, chaque fichier de la table est INVALIDE : consolidate en rejette les "
            "lignes et release refuse toute version.",
            f"table {name}: {message(f, 'en')} Until the name is corrected in {where}, every "
            "file of the table is INVALID: consolidate rejects its rows and release refuses "
            "any version.",
        )
        for f in unknown_checks(schema, RULES)
    ]


def _ignored_declarations(name: str, schema: SchemaDescriptor) -> list[tuple[str, str]]:
    """What the schema says that no check will apply (``"required": true`` beside
    ``constraints`` in etalab's schema-comptage-mobilites-channel 0.2.0, an example its own
    pattern refuses): every report of ``validate`` says it to contributors, who cannot
    correct it; the publisher can, in the package's copy of the schema. Said now, once."""
    from moisinno_data.validation.messages import message
    from moisinno_data.validation.rules import schema_findings

    where = f"schemas/{name}/schema.json"
    return [
        (
            f"table {name} : {message(f, 'fr')} Corrigez-le dans {where} : sinon chaque "
            "rapport de validate le redit aux contributeurs.",
            f"table {name}: {message(f, 'en')} Correct it in {where}: otherwise every "
            "validate report repeats it to contributors.",
        )
        for f in schema_findings(schema)
        if f.code == "schema-warning"
    ]


def _missing_references(
    name: str, schema: SchemaDescriptor, tables: list[str]
) -> list[tuple[str, str]]:
    """A foreign key to a table the package will not hold (etalab's comptage-velo-dynamique
    schema, 0.1.0 to 0.2.1, refers to comptage-velo-statique): no command can check it, and
    frictionless refuses the published datapackage.json (« resource … does not exist »).
    Said now: made with both schemas (``--schema`` twice), the package checks it."""
    said = []
    for fk in schema.get("foreignKeys") or []:
        reference = fk.get("reference") if isinstance(fk, dict) else None
        resource = reference.get("resource") if isinstance(reference, dict) else None
        if not isinstance(resource, str) or resource in ("", name) or resource in tables:
            continue
        fields = fk.get("fields")
        columns = ", ".join(fields) if isinstance(fields, list) else str(fields)
        said.append((
            f"table {name} : sa clé étrangère ({columns}) renvoie à la table {resource}, qui "
            f"n'est pas dans ce paquet : aucune commande ne peut la vérifier, et frictionless "
            f"refusera le datapackage.json publié. Créez le paquet avec le schéma de {resource} "
            "aussi (--schema une deuxième fois), ou retirez cette clé de "
            f"schemas/{name}/schema.json.",
            f"table {name}: its foreign key ({columns}) refers to table {resource}, which is "
            "not in this package: no command can check it, and frictionless will refuse the "
            f"published datapackage.json. Make the package with the schema of {resource} too "
            f"(--schema a second time), or remove this key from schemas/{name}/schema.json.",
        ))  # fmt: skip
    return said


def _download(url: str) -> str:
    """The schema at ``url``, read within :data:`.http_body.ANSWER_LIMIT` (a server that
    trickles or never ends its answer is refused while it is read, as every answer is);
    a redirect's body is never read (:func:`.http_body.unread_redirect`)."""
    import requests

    from moisinno_data.reading.http_body import (
        ANSWER_LIMIT,
        REDIRECT_HOOKS,
        BodyRefused,
        read_body,
        shown,
    )

    headers = {"Accept": "application/json"}
    try:
        with requests.get(
            url, timeout=TIMEOUT, headers=headers, stream=True, hooks=REDIRECT_HOOKS
        ) as response:
            if response.status_code != 200:
                raise ConfigError(
                    f"{shown(url)} : le serveur répond {response.status_code}, pas un schéma.",
                    en=f"{shown(url)}: the server answers {response.status_code}, not a schema.",
                )
            read_body(response, ANSWER_LIMIT)
    except BodyRefused as exc:
        fr, en = exc.said()
        raise ConfigError(
            f"{fr}. Téléchargez le schéma vous-même et donnez son fichier à --schema.",
            en=f"{en}. Download the schema yourself and give its file to --schema.",
        ) from None
    except requests.RequestException as exc:
        raise ConfigError(
            f"{shown(url)} : schéma injoignable ({type(exc).__name__}).",
            en=f"{shown(url)}: schema unreachable ({type(exc).__name__}).",
        ) from None
    response.encoding = response.encoding or "utf-8"
    return response.text


def _resource(name: str, schema: SchemaDescriptor) -> dict[str, Any]:
    return {
        "name": name,
        "title": schema.get("title") or name,
        **({"description": schema["description"]} if schema.get("description") else {}),
        "path": f"datasets/{name}.csv",
        "schema": f"schemas/{name}/schema.json",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "profile": "tabular-data-resource",
        "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
    }


def _descriptor(
    root: Path, tables: list[tuple[str, SchemaDescriptor]], meta: dict[str, str | None]
) -> dict:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT00:00:00Z")
    titles = ", ".join(schema.get("title") or name for name, schema in tables)
    descriptor: dict[str, Any] = {
        "name": slug(root.name),
        "title": meta.get("title") or titles,
        "version": "0.1.0",
        "profile": "tabular-data-package",
        "created": now,
        "licenses": [licences.entry(meta.get("licence") or licences.DEFAULT.names[0])],
    }
    if meta.get("publisher"):
        descriptor["contributors"] = [{"title": meta["publisher"], "role": "publisher"}]
    descriptor["resources"] = [_resource(name, schema) for name, schema in tables]
    return descriptor


def _readme(descriptor: dict[str, Any]) -> str:
    tables = "\n".join(
        f"- `{r['name']}` : {r['title']} ([documentation](schemas/{r['name']}/documentation.md), "
        f"[modèle Excel](schemas/{r['name']}/modele-{r['name']}.xlsx))"
        for r in descriptor["resources"]
    )
    return (
        f"# {descriptor['title']}\n\n"
        "Paquet de données ([Data Package](https://datapackage.org)) créé par "
        "`moisinno init`.\n\n"
        f"## Les tables\n\n{tables}\n\n"
        "## La chaîne de publication (depuis ce dossier)\n\n"
        "```bash\n"
        "moisinno validate contribution.csv      # dire à un contributeur quoi corriger\n"
        "moisinno consolidate contribution.csv   # fusionner dans datasets/\n"
        "moisinno release                        # version, CHANGELOG.md, archive dans releases/\n"
        "moisinno publish                        # portail local (portail/), ou --target datagouv\n"
        "```\n"
    )


def init_package(
    folder: str | Path,
    schemas: list[str],
    *,
    title: str | None = None,
    licence: str | None = None,
    publisher: str | None = None,
) -> InitResult:
    """Write a new data package in ``folder`` (module doc); an existing non-empty folder is
    never touched."""
    root = Path(folder).expanduser().resolve()
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise InputError(
            f"{folder} existe déjà et n'est pas vide : choisissez un nouveau dossier pour le "
            "paquet de données.",
            en=f"{folder} already exists and is not empty: choose a new folder for the data "
            "package.",
        )
    if not schemas:
        raise InputError(
            "Donnez au moins un schéma : --schema schema.json (ou une adresse).",
            en="Give at least one schema: --schema schema.json (or an address).",
        )
    if licence:  # release would refuse it (portal_metadata.licence): said before any write
        from moisinno_data.package.portal_metadata import licence as portal_licence
        from moisinno_data.package.text import Said

        portal_licence(
            [licences.entry(licence)],
            Said("Choisissez-en une avec --licence.", "Choose one with --licence."),
        )
    tables: list[tuple[str, SchemaDescriptor]] = []
    for source in schemas:
        schema, fallback = fetch_schema(source)
        name = slug(str(schema.get("name") or fallback))
        if name in (t for t, _ in tables):
            raise InputError(
                f"{source} : deux schémas portent le même nom de table « {name} ».",
                en=f"{source}: two schemas have the same table name “{name}”.",
            )
        tables.append((name, schema))
    result = InitResult(root, [name for name, _ in tables])
    for name, schema in tables:
        result.written += _write_table(root, name, schema)
        result.warnings += _blocking_checks(name, schema)
        result.warnings += _ignored_declarations(name, schema)
        result.warnings += _missing_references(name, schema, [t for t, _ in tables])
    descriptor = _descriptor(
        root, tables, {"title": title, "licence": licence, "publisher": publisher}
    )
    descriptor = datapackage.refresh(descriptor, root)
    result.written += _write_package_files(root, descriptor)
    return result


def _write_table(root: Path, name: str, schema: SchemaDescriptor) -> list[Path]:
    folder = root / "schemas" / name
    schema_path = folder / "schema.json"
    fsutil.write_text(schema_path, json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
    doc = folder / "documentation.md"
    fsutil.write_text(doc, documentation.render(schema, datapackage.foreign_keys(name, root), name))
    model = template.write_template(schema, folder / f"modele-{name}.xlsx", name)
    data = root / "datasets" / f"{name}.csv"
    header = [f["name"] for f in schema["fields"]]
    fsutil.write_text(data, canonical.to_csv_text(header, []))
    return [schema_path, doc, Path(model), data]


def _write_package_files(root: Path, descriptor: dict[str, Any]) -> list[Path]:
    files = {
        root / "datapackage.json": json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n",
        root / "CHANGELOG.md": CHANGELOG_PREAMBLE,
        root / ".gitignore": "\n".join(NEVER_PUBLISHED) + "\n",
        root / "README.md": _readme(descriptor),
    }
    for path, text in files.items():
        fsutil.write_text(path, text)
    return list(files)
