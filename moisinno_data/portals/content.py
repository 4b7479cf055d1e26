"""What a release looks like on a portal, computed from its archive alone.

Every portal shows the same thing: one dataset with full metadata; one
**stable** resource per table, replaced in place at each version; each table's
``schema.json`` (the target of the table's schema link); ``datapackage.json``; the schema
documentation; and one **immutable** archive per version. Each resource carries a key
(``table:editions``, ``archive:0.2.0``…) stored with it on the portal, which is how a
rerun finds its own resources again, whatever their titles became.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from moisinno_data.errors import MoisinnoError
from moisinno_data.package.portal_metadata import portal_metadata, spatial
from moisinno_data.package.text import ascii_slug
from moisinno_data.publishing.store import StoredRelease, archive_name

FREQUENCY = "unknown"
"""udata's frequency when the package does not give one (``"frequency"`` at its root:
this project's says ``annual``, one edition a year and one release after each)."""
KEY_EXTRA = "moisinno:key"
SHA256_EXTRA = "moisinno:sha256"
PACKAGE_EXTRA = "moisinno:package"
VERSION_EXTRA = "moisinno:version"


class ContentError(MoisinnoError):
    pass


def slugify_tag(text: str) -> str:
    """Tags as udata stores them (lower case, ASCII, dashes), so comparisons are stable."""
    return ascii_slug(text)


@dataclass(frozen=True)
class ResourceSpec:
    """One file the release wants on the portal, with the metadata shown beside it."""

    key: str
    filename: str
    title: str
    description: str
    type: str  # udata resource type: main, documentation, other
    format: str
    mime: str
    data: bytes = field(repr=False)
    schema_of: str | None = None  # key of the schema resource this table links to
    immutable: bool = False
    catalog_schema: dict[str, str] | None = None  # its name and version on the catalog

    def schema_link(self, schema_url: str | None) -> dict[str, str] | None:
        """The resource's ``schema`` in udata's shape: the catalog schema it follows when
        known (what data.gouv.fr validates and consolidates), else the address of the
        copy published beside it (``schema_url``, once that copy is on the portal)."""
        if self.catalog_schema:
            return dict(self.catalog_schema)
        return {"url": schema_url} if self.schema_of and schema_url else None

    @property
    def sha1(self) -> str:
        return hashlib.sha1(self.data).hexdigest()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def extras(self) -> dict[str, str]:
        extras = {KEY_EXTRA: self.key}
        if self.immutable:
            extras[SHA256_EXTRA] = self.sha256
        return extras


@dataclass(frozen=True)
class DatasetSpec:
    title: str
    description: str
    license: str
    frequency: str
    temporal: tuple[str, str] | None
    zones: tuple[str, ...]
    granularity: str
    tags: tuple[str, ...]
    extras: dict[str, str]

    def metadata(self) -> dict[str, Any]:
        """The comparable metadata, in udata's JSON shape (also used by the local folder)."""
        return {
            "title": self.title,
            "description": self.description,
            "license": self.license,
            "frequency": self.frequency,
            "temporal_coverage": (
                {"start": self.temporal[0], "end": self.temporal[1]} if self.temporal else None
            ),
            "spatial": {"zones": list(self.zones), "granularity": self.granularity},
            "tags": sorted(self.tags),
            "extras": dict(self.extras),
        }


@dataclass(frozen=True)
class ReleaseContent:
    version: str
    package_name: str
    dataset: DatasetSpec
    resources: tuple[ResourceSpec, ...]

    def resource(self, key: str) -> ResourceSpec:
        for spec in self.resources:
            if spec.key == key:
                return spec
        raise KeyError(key)

    @classmethod
    def from_release(cls, release: StoredRelease) -> ReleaseContent:
        """Read a stored release, refusing an archive that no longer matches its sha256."""
        data = release.archive.read_bytes()
        actual = hashlib.sha256(data).hexdigest()
        if actual != release.sha256:
            raise ContentError(
                f"L'archive {release.archive} ne correspond plus à son empreinte (sha256 "
                f"{actual[:12]}… au lieu de {release.sha256[:12]}… dans release.json) : elle "
                "a été modifiée ou abîmée depuis la version ; elle ne sera pas publiée.",
                en=f"The archive {release.archive} no longer matches its hash (sha256 "
                f"{actual[:12]}… instead of {release.sha256[:12]}… in release.json): it was "
                "changed or damaged since the version was cut; it will not be published.",
            )
        return cls.from_archive(release.version, data)

    @classmethod
    def from_archive(cls, version: str, archive: bytes) -> ReleaseContent:
        try:
            zf = zipfile.ZipFile(io.BytesIO(archive))
        except zipfile.BadZipFile as exc:
            raise ContentError(
                f"L'archive de la version {version} est illisible : {exc}.",
                en=f"The archive of version {version} cannot be read: {exc}.",
            ) from None
        with zf:
            names = [n for n in zf.namelist() if not n.endswith("/")]
            roots = [n[: -len("datapackage.json")] for n in names if n.endswith("datapackage.json")]
            if not roots:
                raise ContentError(
                    f"L'archive de la version {version} ne contient pas de datapackage.json.",
                    en=f"The archive of version {version} holds no datapackage.json.",
                )
            prefix = min(roots, key=len)

            def read(member: str) -> bytes:
                try:
                    return zf.read(prefix + member)
                except KeyError:
                    raise ContentError(
                        f"L'archive de la version {version} ne contient pas {member}.",
                        en=f"The archive of version {version} does not hold {member}.",
                    ) from None

            descriptor = json.loads(read("datapackage.json"))
            return _build(version, descriptor, read, read("datapackage.json"), archive)


def _temporal(tables: dict[str, bytes], schemas: dict[str, dict]) -> tuple[str, str] | None:
    """First and last day found in the data's date and datetime columns."""
    low: str | None = None
    high: str | None = None
    for name, data in tables.items():
        date_fields = [
            f["name"]
            for f in schemas[name].get("fields", [])
            if f.get("type") in ("date", "datetime")
        ]
        if not date_fields:
            continue
        for row in csv.DictReader(io.StringIO(data.decode("utf-8-sig"))):
            for column in date_fields:
                day = (row.get(column) or "")[:10]
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
                    low = day if low is None or day < low else low
                    high = day if high is None or day > high else high
    return (low, high) if low and high else None  # set together, by the same first day


def _table_specs(res: dict[str, Any], data: bytes, schema_bytes: bytes, schema: dict, catalog):
    """A table's stable CSV and its schema, as two resources (the CSV links to the schema,
    or names ``catalog``, its schema on schema.data.gouv.fr)."""
    table = res["name"]
    title = res.get("title") or table
    rows = max(sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8-sig")))) - 1, 0)
    schema_spec = ResourceSpec(
        key=f"schema:{table}",
        filename=f"schema-{table}.json",
        title=f"Schéma de la table {table} (Table Schema)",
        description=(
            f"Schéma Table Schema de la table « {title} », version "
            f"{schema.get('version', '?')} : {len(schema.get('fields', []))} champs, "
            "types, contraintes et clés. Il valide le fichier CSV de la table."
        ),
        type="documentation",
        format="json",
        mime="application/json",
        data=schema_bytes,
    )
    table_spec = ResourceSpec(
        key=f"table:{table}",
        filename=f"{table}.csv",
        title=f"{title} ({table}.csv)",
        description=(
            f"{_sentence(res.get('description') or schema.get('description', ''))} "
            f"Fichier CSV UTF-8, séparateur virgule, dates ISO 8601, {rows} "
            "lignes. Adresse stable : ce fichier est remplacé à "
            "chaque version ; les versions précédentes sont dans les archives."
        ).strip(),
        type="main",
        format="csv",
        mime="text/csv",
        data=data,
        schema_of=f"schema:{table}",
        catalog_schema=catalog,
    )
    return schema_spec, table_spec


def _package_specs(
    version: str, datapackage_bytes: bytes, docs: list[str], archive: bytes, package: str | None
) -> list[ResourceSpec]:
    """The package-wide resources: descriptor, schema documentation, the version's archive
    (named after the package, as in the release store)."""
    filename = archive_name(version, package)
    specs = [
        ResourceSpec(
            key="datapackage",
            filename="datapackage.json",
            title="Descripteur du paquet de données (datapackage.json)",
            description=(
                "Descripteur Frictionless Data Package de la version publiée : tables, "
                "schémas, sources, licence, empreintes et nombres de lignes."
            ),
            type="documentation",
            format="json",
            mime="application/json",
            data=datapackage_bytes,
        )
    ]
    if docs:
        text = "# Documentation des schémas\n\n" + "\n\n".join(docs) + "\n"
        specs.append(
            ResourceSpec(
                key="documentation",
                # .txt: data.gouv.fr refuses .md uploads; the text is Markdown.
                filename="documentation-schemas.txt",
                title="Documentation des schémas (texte au format Markdown)",
                description="Description de chaque table et de chacun de ses champs.",
                type="documentation",
                format="txt",
                mime="text/plain",
                data=text.encode("utf-8"),
            )
        )
    specs.append(
        ResourceSpec(
            key=f"archive:{version}",
            filename=filename,
            title=f"Archive de la version {version} ({filename})",
            description=(
                f"Version {version} complète et figée : datapackage.json, les tables CSV et "
                "leurs schémas. Cette archive n'est jamais modifiée ; elle permet de citer et "
                "de recharger exactement cette version."
            ),
            type="main",
            format="zip",
            mime="application/zip",
            data=archive,
            immutable=True,
        )
    )
    return specs


def _sentence(text: Any) -> str:
    """``text`` ending as a sentence, so that the next one does not run into it."""
    text = str(text or "").strip()
    return text + "." if text and text[-1] not in ".!?…" else text


def _dataset_spec(
    descriptor: dict[str, Any],
    version: str,
    temporal: tuple[str, str] | None,
    license_id: str = "lov2",
) -> DatasetSpec:
    name = descriptor.get("name") or "moisinno-data"
    description = (descriptor.get("description") or "").strip()
    description += ("\n\n" if description else "") + (
        f"Version publiée : {version}. Chaque table est un fichier CSV à adresse stable, "
        "remplacé à chaque version et lié à son schéma ; chaque version reste téléchargeable "
        "dans son archive ZIP. Produit avec moisinno-data."
    )
    if temporal is None and isinstance(descriptor.get("temporal"), dict):
        temporal = (descriptor["temporal"]["start"], descriptor["temporal"]["end"])
    zones, granularity = spatial(descriptor.get("spatial"))
    slugs = {slugify_tag(k) for k in descriptor.get("keywords", []) if k}
    tags = tuple(sorted(t for t in slugs if 3 <= len(t) <= 96))  # udata's bounds
    return DatasetSpec(
        title=descriptor.get("title") or name,
        description=description,
        license=license_id,
        frequency=str(descriptor.get("frequency") or FREQUENCY),
        temporal=temporal,
        zones=zones,
        granularity=granularity,
        tags=tags,
        extras={PACKAGE_EXTRA: name, VERSION_EXTRA: version},
    )


def _build(version, descriptor, read, datapackage_bytes, archive) -> ReleaseContent:
    checked = portal_metadata(descriptor, read)  # what release checked too
    catalog = checked.catalog_schemas
    tables: dict[str, bytes] = {}
    schemas: dict[str, dict] = {}
    schema_specs: list[ResourceSpec] = []
    table_specs: list[ResourceSpec] = []
    docs: list[str] = []
    for res in descriptor.get("resources", []):
        table = res["name"]
        data = read(res["path"])
        tables[table] = data
        schema_member = res.get("schema") if isinstance(res.get("schema"), str) else None
        schema_member = schema_member or f"schemas/{table}/schema.json"
        schema_bytes = read(schema_member)
        schemas[table] = json.loads(schema_bytes)
        schema_dir = str(PurePosixPath(schema_member).parent)
        with contextlib.suppress(ContentError):  # documentation is welcome, not required
            docs.append(read(f"{schema_dir}/documentation.md").decode("utf-8").strip())
        schema_spec, table_spec = _table_specs(
            res, data, schema_bytes, schemas[table], catalog[table]
        )
        schema_specs.append(schema_spec)
        table_specs.append(table_spec)
    resources = (
        table_specs
        + schema_specs
        + _package_specs(version, datapackage_bytes, docs, archive, descriptor.get("name"))
    )
    dataset = _dataset_spec(descriptor, version, _temporal(tables, schemas), checked.license)
    return ReleaseContent(version, dataset.extras[PACKAGE_EXTRA], dataset, tuple(resources))
