"""Typed pandas DataFrames of any published version, for researchers.

::

    import moisinno_data as md

    events = md.load("evenements")                      # the data bundled with the package
    events = md.load("evenements", version="1.2.0")     # a pinned version (store or cache)
    events = md.load("evenements", version="1.2.0",
                     source="https://www.data.gouv.fr/fr/datasets/<slug>/")
    pkg = md.load_package(version="1.2.0")
    pkg.join_events()                                   # events + their edition and lab

Column types follow the Table Schema (:mod:`moisinno_data.loading.dtypes` lists the mapping);
where a version comes from and how it is verified is :mod:`moisinno_data.loading.versions`.
``df.attrs`` carries the table's title and description, the version, where it was read
from, and each column's title, description, type and allowed values.

The module is ``loading`` rather than ``load``: a submodule named ``load`` would replace
the function ``moisinno_data.load`` by the module as soon as it is imported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from moisinno_data import fsutil
from moisinno_data.errors import ConfigError, MoisinnoError
from moisinno_data.loading import dtypes
from moisinno_data.loading.versions import ReleaseIntegrityError, ResolvedVersion, resolve
from moisinno_data.package import canonical, paths
from moisinno_data.package.citation import citation_text
from moisinno_data.package.datapackage import key_fields

__all__ = ["LoadedPackage", "TableNotFoundError", "explode", "load", "load_package"]


class TableNotFoundError(MoisinnoError):
    """The table asked for is not a resource of this version."""


def _check_root(root: str | Path | None) -> None:
    """``root`` must hold a data package: a folder without one gave a raw FileNotFoundError
    (as ``--root`` refuses it, in one sentence)."""
    if root is not None and not (Path(root).expanduser() / paths.DESCRIPTOR).is_file():
        raise ConfigError(
            f"root={str(root)!r} : pas de {paths.DESCRIPTOR} dans ce dossier ; désignez le "
            "dossier d'un paquet de données (celui qui contient datapackage.json), ou créez-en "
            f"un avec « moisinno init {root} --schema schema.json ».",
            en=f"root={str(root)!r}: no {paths.DESCRIPTOR} in this folder; name the folder of "
            "a data package (the one holding datapackage.json), or start one with "
            f'"moisinno init {root} --schema schema.json".',
        )


def _descriptor(root: Path) -> dict[str, Any]:
    return json.loads((root / "datapackage.json").read_text(encoding="utf-8"))


def _resource(descriptor: dict[str, Any], table: str, where: ResolvedVersion) -> dict[str, Any]:
    for resource in descriptor.get("resources", []):
        if resource.get("name") == table:
            return resource
    known = ", ".join(r.get("name", "?") for r in descriptor.get("resources", []))
    raise TableNotFoundError(
        f"La table « {table} » n'existe pas dans la version {where.version} ({where.origin}). "
        f"Tables disponibles : {known}.",
        en=f'Table "{table}" does not exist in version {where.version} '
        f"({where.origin_en or where.origin}). Tables available: {known}.",
    )


def _schema(root: Path, resource: dict[str, Any]) -> dict[str, Any]:
    from moisinno_data.package.datapackage import resource_schema

    return resource_schema(resource, lambda rel: (root / rel).read_text(encoding="utf-8"))


def _read_table(where: ResolvedVersion, descriptor: dict[str, Any], table: str) -> pd.DataFrame:
    resource = _resource(descriptor, table, where)
    schema = _schema(where.root, resource)
    csv_path = where.root / resource["path"]
    recorded = str(resource.get("hash", ""))
    if where.verified and recorded.startswith("sha256:"):
        # The archive was verified as a whole; this also catches a release whose
        # datapackage.json does not describe its own files.
        actual = fsutil.sha256_file(csv_path)
        if actual != recorded.removeprefix("sha256:"):
            raise ReleaseIntegrityError(
                f"{csv_path} ne correspond pas à l'empreinte que datapackage.json lui donne "
                f"({recorded}, obtenu sha256:{actual}) : fichier altéré, non chargé.",
                en=f"{csv_path} does not match the checksum datapackage.json gives it "
                f"({recorded}, got sha256:{actual}): the file is altered, not loaded.",
            )
    dialect = resource.get("dialect") or {}
    raw = pd.read_csv(
        csv_path,
        sep=dialect.get("delimiter", ","),
        encoding=resource.get("encoding", "utf-8"),
        dtype=str,
        keep_default_na=False,
        na_filter=False,
    )
    raw = _as_missing(raw, schema)
    fields = {f["name"]: f for f in schema["fields"]}
    missing = [name for name in fields if name not in raw.columns]
    if missing:
        raise ReleaseIntegrityError(
            f"{csv_path} n'a pas les colonnes {', '.join(missing)} que son schéma décrit.",
            en=f"{csv_path} lacks the columns {', '.join(missing)} its schema describes.",
        )
    columns = {
        name: dtypes.convert(raw[name], fields[name], table)
        if name in fields
        else raw[name].astype("string")
        for name in raw.columns
    }
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(raw)))
    frame.attrs = {
        "table": table,
        "title": resource.get("title") or schema.get("title", ""),
        "description": resource.get("description") or schema.get("description", ""),
        "version": where.version,
        "origin": where.origin,
        "sha256": where.sha256,
        "schema_version": schema.get("version", ""),
        "primary_key": schema.get("primaryKey"),
        "foreign_keys": schema.get("foreignKeys", []),
        "licenses": [lic.get("name") for lic in descriptor.get("licenses", [])],
        "citation": citation_text(descriptor, where.sha256),
        "fields": {name: dtypes.field_metadata(f) for name, f in fields.items()},
    }
    return frame


def _as_missing(raw: pd.DataFrame, schema: dict[str, Any]) -> pd.DataFrame:
    """Each column's missing values, its field's own (Table Schema 2) or the schema's, as
    NA: a field's ``NA`` read as text would make a valid release look corrupt."""
    return pd.DataFrame(
        {c: raw[c].mask(raw[c].isin(canonical.missing_values(schema, c))) for c in raw.columns},
        index=raw.index,
    )


def load(
    table: str,
    version: str | None = None,
    source: str | Path | None = None,
    *,
    sha256: str | None = None,
    root: str | Path | None = None,
) -> pd.DataFrame:
    """One table of one version as a typed DataFrame.

    ``version=None`` reads the current state of the data package (that of the current folder,
    else the one installed with the library); ``"X.Y.Z"`` reads
    that release from the local store, the cache or ``source`` (a udata dataset URL, a
    store mirror, an archive URL, a local folder). Archives are verified against their
    published sha256 first; :class:`~moisinno_data.loading.versions.ReleaseIntegrityError` if not.
    ``root`` names the data package (and so its release store) instead of the one of the
    current folder.
    """
    _check_root(root)
    with paths.using(root):
        where = resolve(version, source, sha256)
    return _read_table(where, _descriptor(where.root), table)


@dataclass
class LoadedPackage:
    """Every table of one version, typed, with the frictionless Package beside them."""

    version: str
    origin: str
    root: Path
    descriptor: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    sha256: str | None = None
    origin_en: str | None = None
    """``origin`` in English (:attr:`.versions.ResolvedVersion.origin_en`)."""

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]

    @cached_property
    def package(self):  # -> frictionless.Package (imported lazily: it is slow to import)
        """The frictionless ``Package`` of this version, for generic tooling."""
        from frictionless import Package

        return Package(str(self.root / "datapackage.json"))

    def join(self, table: str) -> pd.DataFrame:
        """``table`` with the columns of the rows its foreign keys point to, for any package.

        Each referenced table's columns are prefixed with the foreign key's field and ``_``
        (``edition`` → ``edition_nom``), or with the referenced table's name for a key of
        several fields; its key columns, equal to the foreign key's, are left out. A left
        join: a row whose key is empty keeps ``<NA>`` there. A key of the table to itself
        is not followed.
        """
        frame = self._table(table)
        joined, names = frame, []
        for fk in frame.attrs.get("foreign_keys") or []:
            fields, reference = key_fields(fk.get("fields")), fk.get("reference") or {}
            other = reference.get("resource") or table
            if other == table or not fields:
                continue
            keys = key_fields(reference.get("fields")) or fields
            prefix = f"{fields[0]}_" if len(fields) == 1 else f"{other}_"
            right = self._table(other).add_prefix(prefix)
            on = [prefix + k for k in keys]
            try:
                joined = joined.merge(
                    right, how="left", left_on=fields, right_on=on, validate="m:1"
                ).drop(columns=on)
            except pd.errors.MergeError:
                raise MoisinnoError(
                    f"{other} a plusieurs lignes pour une même valeur de "
                    f"{', '.join(keys)} : la jointure de {table} serait ambiguë.",
                    en=f"{other} has several rows for one value of {', '.join(keys)}: "
                    f"joining {table} to it would be ambiguous.",
                ) from None
            names.append(other)
        joined.attrs = {**frame.attrs, "joined": names}
        return joined

    def join_events(self) -> pd.DataFrame:
        """Events with their edition's and their lab's columns (:meth:`join` of
        ``evenements``): ``laboratoire_region`` is the lab's region, ``region`` the event's."""
        return self.join("evenements")

    def _table(self, name: str) -> pd.DataFrame:
        if name not in self.tables:
            known = ", ".join(self.tables) or "aucune"
            raise MoisinnoError(
                f"La table « {name} » n'est pas dans ce paquet de données (tables : {known}).",
                en=f"No table « {name} » in this data package (tables: {known}).",
            )
        return self.tables[name]


def load_package(
    version: str | None = None,
    source: str | Path | None = None,
    *,
    sha256: str | None = None,
    root: str | Path | None = None,
) -> LoadedPackage:
    """All tables of one version (see :func:`load` for ``version``, ``source`` and ``root``)."""
    _check_root(root)
    with paths.using(root):
        where = resolve(version, source, sha256)
    descriptor = _descriptor(where.root)
    tables = {
        r["name"]: _read_table(where, descriptor, r["name"])
        for r in descriptor.get("resources", [])
    }
    return LoadedPackage(
        where.version,
        where.origin,
        where.root,
        descriptor,
        tables,
        where.sha256,
        origin_en=where.origin_en,
    )


def explode(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per item of a multi-valued column (``thematiques``, ``sources``).

    When the schema enumerates the items, the exploded column is a categorical with the
    whole vocabulary, so ``value_counts()`` lists every theme, zero included.
    """
    meta = frame.attrs.get("fields", {}).get(column, {})
    if "separator" not in meta:
        raise MoisinnoError(
            f"La colonne « {column} » n'est pas une liste de valeurs.",
            en=f'Column "{column}" is not a list of values.',
        )
    long = frame.explode(column, ignore_index=True)
    vocabulary = meta.get("vocabulary")
    long[column] = (
        pd.Categorical(long[column], categories=vocabulary)
        if vocabulary
        else long[column].astype("string")
    )
    return long
