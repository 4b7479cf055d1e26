"""What changed between two versions of the data package: rows, cells and schemas.

A side is a *snapshot*: a release archive (``<package>-X.Y.Z.zip``), a folder holding
``datapackage.json`` (a checkout, an unzipped release, the demo's copy), or a version
number found in the local release store. Rows are matched by the table's key (primary
key, or a unique required field: :func:`canonical.identity_key`), so a changed cell shows
as a change of that row (``before → after``), not as a removal plus an addition; in a
table without one, by all their cells as their fields read them
(:func:`_identities`, the way consolidate knows them). Schema differences carry a semver level (see :mod:`.semver`), which is how
``release --bump auto`` picks the next version.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from moisinno_data.errors import InputError
from moisinno_data.package import canonical
from moisinno_data.package import datapackage as package
from moisinno_data.package.text import in_lang
from moisinno_data.publishing import semver
from moisinno_data.publishing.row_labels import RowNames
from moisinno_data.publishing.store import ReleaseStore

# datapackage keys that the release computes: a change there is not an editorial change
COMPUTED_KEYS = {"version", "lastModified", "temporal", "resources"}
RESOURCE_FACTS = {"bytes", "hash", "count"}


@dataclass
class Snapshot:
    label: str
    descriptor: dict[str, Any]
    schemas: dict[str, dict[str, Any]]
    tables: dict[str, canonical.CsvTable]


def _resource_schema(resource: dict[str, Any], read) -> dict[str, Any]:
    return package.resource_schema(resource, read)


def _snapshot(label: str, read) -> Snapshot:
    try:
        descriptor = json.loads(read("datapackage.json"))
    except (KeyError, FileNotFoundError):
        raise InputError(
            f"{label} : datapackage.json introuvable.", en=f"{label}: no datapackage.json."
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{label} : datapackage.json illisible ({exc}).",
            en=f"{label}: datapackage.json unreadable ({exc}).",
        ) from None
    found_schemas, tables = {}, {}
    for resource in descriptor.get("resources", []):
        name = resource["name"]
        schema = _resource_schema(resource, read)
        found_schemas[name] = schema
        try:
            text = read(resource["path"])
        except (KeyError, FileNotFoundError):
            raise InputError(
                f"{label} : fichier de données {resource['path']} absent.",
                en=f"{label}: data file {resource['path']} missing.",
            ) from None
        header, rows = canonical.parse_csv_text(text)
        tables[name] = canonical.CsvTable(header, rows, canonical.identity_key(schema))
    return Snapshot(label, descriptor, found_schemas, tables)


def load_snapshot(where: str | Path, store: ReleaseStore | None = None) -> Snapshot:
    """A folder, a release archive, or a version number of the local store."""
    path = Path(where)
    if path.is_dir():
        if not (path / "datapackage.json").is_file():
            raise InputError(
                f"{path} : pas de datapackage.json dans ce dossier.",
                en=f"{path}: no datapackage.json in this folder.",
            )
        return _snapshot(str(path), lambda rel: (path / rel).read_text(encoding="utf-8"))
    if path.is_file():
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise InputError(
                f"{path} n'est ni une archive zip ni un dossier.",
                en=f"{path} is neither a zip archive nor a folder.",
            ) from None
        with archive:
            names = set(archive.namelist())

            def read(rel: str) -> str:
                rel = str(PurePosixPath(rel))
                if rel not in names:
                    raise KeyError(rel)
                return archive.read(rel).decode("utf-8")

            return _snapshot(str(path), read)
    store = store or ReleaseStore()
    if store.has(str(where)):
        return load_snapshot(store.get(str(where)).archive)
    known = ", ".join(store.versions())
    raise InputError(
        f"« {where} » n'est ni un dossier, ni une archive, ni une version du dépôt local "
        f"({known or 'aucune version'}).",
        en=f'"{where}" is neither a folder, an archive nor a version of the local store '
        f"({known or 'no version'}).",
    )


@dataclass
class TableDiff:
    name: str
    status: str = "same"
    """"same", "added" (table new), "removed" (table gone) or "changed"."""
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    """In a table without a key, each listed row's short label (:mod:`.row_labels`), the
    keys above staying its whole identity; empty in a keyed table (its keys are shown)."""
    schema_changes: list[semver.SchemaChange] = field(default_factory=list)
    rows_before: int = 0
    rows_after: int = 0

    @property
    def keyless(self) -> bool:
        """Whether rows were known by all their cells: an edited row is removed and added."""
        return bool(self.labels)

    def label(self, key: str) -> str:
        """How a row listed above is shown: its key, or its short label."""
        return self.labels.get(key, key)

    @property
    def empty(self) -> bool:
        return self.status == "same" and not (
            self.added or self.removed or self.changed or self.schema_changes
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "rows_before": self.rows_before,
            "rows_after": self.rows_after,
            "added": self.added,
            "removed": self.removed,
            "labels": self.labels,
            "changed": {
                key: {f: {"before": a, "after": b} for f, (a, b) in cells.items()}
                for key, cells in self.changed.items()
            },
            "schema_changes": [c.to_dict() for c in self.schema_changes],
        }


@dataclass
class PackageDiff:
    old: str
    new: str
    tables: list[TableDiff]
    metadata: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.metadata and all(t.empty for t in self.tables)

    def level(self) -> str | None:
        """The semver bump these differences call for ("major", "minor", "patch" or None)."""
        levels = []
        for t in self.tables:
            if t.status == "removed" or t.removed:
                levels.append("major")
            if t.status == "added" or t.added:
                levels.append("minor")
            if t.changed:
                levels.append("patch")
            levels += [c.level for c in t.schema_changes]
        if self.metadata:
            levels.append("patch")
        return semver.highest(levels)

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "level": self.level(),
            "tables": [t.to_dict() for t in self.tables],
            "metadata": {k: {"before": a, "after": b} for k, (a, b) in self.metadata.items()},
        }


def diff_tables(
    name: str,
    old: canonical.CsvTable | None,
    new: canonical.CsvTable | None,
    schema: dict[str, Any] | None = None,
) -> TableDiff:
    """Rows added, removed and changed between two versions of table ``name``, known by
    :func:`_identities` (``schema``: the fields' types and missing values)."""
    result = TableDiff(name)
    if old is None and new is None:
        return result
    if old is None:
        assert new is not None  # both None returned above
        result.status = "added"
        result.rows_after = len(new.rows)
        result.added = _listed(result, new, [new.key_of(r) for r in new.rows])
        return result
    if new is None:
        result.status = "removed"
        result.rows_before = len(old.rows)
        result.removed = _listed(result, old, [old.key_of(r) for r in old.rows])
        return result
    result.rows_before, result.rows_after = len(old.rows), len(new.rows)
    before, after = _identities(old, new, schema or {})
    keyless = not _key_of_both(old, new)
    columns = _columns(old, new)
    shown_old, shown_new = _shown(old, columns, keyless), _shown(new, columns, keyless)
    common = [f for f in new.header if f in old.header]
    for key, row in after.items():
        if key not in before:
            result.added.append(canonical.format_key(shown_new(key, row)))
            continue
        a, b = old.as_dict(before[key]), new.as_dict(row)
        cells = {f: (a[f], b[f]) for f in common if a[f] != b[f]}
        if cells:
            result.changed[canonical.format_key(shown_new(key, row))] = cells
    result.removed = [
        canonical.format_key(shown_old(k, row)) for k, row in before.items() if k not in after
    ]
    if result.added or result.removed or result.changed:
        result.status = "changed"
    if keyless:
        shown = [*(shown_old(k, r) for k, r in before.items())]
        shown += [shown_new(k, r) for k, r in after.items()]
        _label(result, columns, [*before, *after], shown)
    return result


def _shown(
    table: canonical.CsvTable, columns: list[str], keyless: bool
) -> Callable[[canonical.Key, list[str]], canonical.Key]:
    """How a row of ``table`` is named: by its key; in a keyless table, by its cells in
    ``columns`` as published (``1,50``, ``2024-01-01T00:00:00+01:00``), not as its
    identity reads them (``1.5``, the instant in UTC), which no reader of the version
    would find in its file."""
    if not keyless:
        return lambda key, _row: key
    cells = _in_columns(table, columns)
    return lambda _key, row: cells(row)


def _in_columns(
    table: canonical.CsvTable, columns: list[str]
) -> Callable[[list[str]], canonical.Key]:
    """A row of ``table`` as its cells in ``columns``, empty where ``table`` has no such
    column. Each column's place is found once: a dict per cell made a 20,000-row IRVE
    table's diff 6 times slower."""
    at = [table.header.index(c) if c in table.header else None for c in columns]
    return lambda row: tuple(row[i] if i is not None and i < len(row) else "" for i in at)


def _listed(result: TableDiff, table: canonical.CsvTable, keys: list[canonical.Key]) -> list[str]:
    """The keys of a whole table added or removed, labelled when it has no key."""
    if not table.primary_key:
        _label(result, table.header, keys, keys)
    return [canonical.format_key(k) for k in keys]


def _label(
    result: TableDiff,
    columns: list[str],
    keys: list[canonical.Key],
    shown: list[canonical.Key],
) -> None:
    """Label the rows ``result`` lists (``shown``: each row as published), the columns
    ranked among all identities (``keys``) of both versions: ``1,5`` and ``1,50`` are
    one value there, not two that would tell rows apart."""
    listed = {*result.added, *result.removed, *result.changed}
    if not listed:
        return  # a table unchanged: no need to rank its columns
    names = RowNames(columns, keys, keyed=False)
    for cells in shown:
        text = canonical.format_key(cells)
        if text in listed:
            result.labels[text] = names.label(cells)


def _key_of_both(old: canonical.CsvTable, new: canonical.CsvTable) -> list[str]:
    """The key rows are matched by: the new one when the old version has its fields,
    else the old one; ``[]`` when neither names rows."""
    return new.primary_key if set(new.primary_key) <= set(old.header) else old.primary_key


def _columns(old: canonical.CsvTable, new: canonical.CsvTable) -> list[str]:
    """Both versions' columns, the old order first: what a keyless row's identity holds."""
    return old.header + [h for h in new.header if h not in old.header]


def _identities(
    old: canonical.CsvTable, new: canonical.CsvTable, schema: dict[str, Any]
) -> tuple[dict[canonical.Key, list[str]], dict[canonical.Key, list[str]]]:
    """Each version's rows by identity: by the new primary key when both sides have its
    fields, else the old one; in a table without one, by all the cells of both versions'
    columns as :func:`canonical.identity_form` reads them, a column one version lacks
    being a missing value there — an optional field added, empty, changes no row (a minor
    change, as README says), a row where it is filled is another row."""
    pk = _key_of_both(old, new)
    if pk:
        old_t = canonical.CsvTable(old.header, old.rows, pk)
        new_t = canonical.CsvTable(new.header, new.rows, pk if set(pk) <= set(new.header) else [])
        return old_t.by_key(), new_t.by_key()
    from moisinno_data.validation.cells import typed_texts

    columns = _columns(old, new)
    form = canonical.identity_form(schema, columns, typed_texts(schema))

    def by_identity(table: canonical.CsvTable) -> dict[canonical.Key, list[str]]:
        cells = _in_columns(table, columns)
        return {form(cells(r)): r for r in table.rows}

    return by_identity(old), by_identity(new)


def _both_schemas(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any]:
    """The new schema, with the fields only the old one has: how both versions' columns
    are read when rows are matched (a removed field's missing values are the old ones)."""
    new, old = new or {}, old or {}
    names = {f.get("name") for f in new.get("fields", [])}
    gone = [f for f in old.get("fields", []) if f.get("name") not in names]
    return {**new, "fields": [*new.get("fields", []), *gone]}


def diff_snapshots(old: Snapshot, new: Snapshot) -> PackageDiff:
    names = list(old.tables) + [n for n in new.tables if n not in old.tables]
    tables = []
    for name in names:
        schema = _both_schemas(old.schemas.get(name), new.schemas.get(name))
        t = diff_tables(name, old.tables.get(name), new.tables.get(name), schema)
        if name in old.schemas and name in new.schemas:
            t.schema_changes = semver.compare_schemas(old.schemas[name], new.schemas[name])
            if t.schema_changes and t.status == "same":
                t.status = "changed"
        tables.append(t)
    metadata = {}
    for key in sorted(set(old.descriptor) | set(new.descriptor)):
        if key in COMPUTED_KEYS:
            continue
        a, b = old.descriptor.get(key), new.descriptor.get(key)
        if a != b:
            metadata[key] = (a, b)
    # a resource's editorial fields (title, description…), not the facts a release computes
    before = {r.get("name"): r for r in old.descriptor.get("resources", [])}
    after = {r.get("name"): r for r in new.descriptor.get("resources", [])}
    for name in sorted(set(before) & set(after), key=str):
        a = {k: v for k, v in before[name].items() if k not in RESOURCE_FACTS}
        b = {k: v for k, v in after[name].items() if k not in RESOURCE_FACTS}
        if a != b:
            metadata[f"resources.{name}"] = (a, b)
    return PackageDiff(old.label, new.label, tables, metadata)


def diff(old: str | Path, new: str | Path, store: ReleaseStore | None = None) -> PackageDiff:
    """Compare two versions (folders, archives or store version numbers)."""
    return diff_snapshots(load_snapshot(old, store), load_snapshot(new, store))


def _short(value: str, width: int = 60) -> str:
    value = value.replace("\n", "⏎")
    return value if len(value) <= width else value[: width - 1] + "…"


TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "between": "Différences entre {} et {}",
        "none": "Aucune différence.",
        "level": "Niveau de changement (semver) : {}",
        "same": "\n{} : identique ({} lignes)",
        "added": "table ajoutée",
        "removed": "table retirée",
        "changed": "modifiée",
        "table": "\n{name} : {head} — {before} → {after} lignes ; {added} ajoutée(s), "
        "{removed} retirée(s), {changed} modifiée(s)",
        "schema": "  schéma [{}] {}",
        "cell": "      {} : « {} » → « {} »",
        "more": "  … et {} autre(s) ligne(s) (--format json pour tout)",
        "metadata": "\ndatapackage.json : « {} » modifié",
    },
    "en": {
        "between": "Differences between {} and {}",
        "none": "No difference.",
        "level": "Level of change (semver): {}",
        "same": "\n{}: unchanged ({} rows)",
        "added": "table added",
        "removed": "table removed",
        "changed": "changed",
        "table": "\n{name}: {head} — {before} → {after} rows; {added} added, {removed} removed, "
        "{changed} changed",
        "schema": "  schema [{}] {}",
        "cell": '      {}: "{}" → "{}"',
        "more": "  … and {} more row(s) (--format json for all)",
        "metadata": '\ndatapackage.json: "{}" changed',
    },
}
"""The words of :func:`render_text`, in each language of ``--lang``."""


def render_text(d: PackageDiff, *, max_rows: int = 200, lang: str = "fr") -> str:
    words = in_lang(TEXT, lang)
    lines = [words["between"].format(d.old, d.new)]
    if d.empty:
        lines.append(words["none"])
        return "\n".join(lines)
    lines.append(words["level"].format(semver.level_label(d.level(), lang)))
    for t in d.tables:
        if t.empty:
            lines.append(words["same"].format(t.name, t.rows_after))
            continue
        lines.append(
            words["table"].format(
                name=t.name,
                head=words[t.status if t.status in ("added", "removed") else "changed"],
                before=t.rows_before,
                after=t.rows_after,
                added=len(t.added),
                removed=len(t.removed),
                changed=len(t.changed),
            )
        )
        for c in t.schema_changes:
            lines.append(words["schema"].format(c.level, c.text_in(lang)))
        shown = 0
        for key in t.added:
            if shown < max_rows:
                lines.append(f"  + {t.label(key)}")
            shown += 1
        for key in t.removed:
            if shown < max_rows:
                lines.append(f"  - {t.label(key)}")
            shown += 1
        for key, cells in t.changed.items():
            if shown < max_rows:
                lines.append(f"  ~ {t.label(key)}")
                for f, (a, b) in cells.items():
                    lines.append(words["cell"].format(f, _short(a), _short(b)))
            shown += 1
        if shown > max_rows:
            lines.append(words["more"].format(shown - max_rows))
    for key in d.metadata:
        lines.append(words["metadata"].format(key))
    return "\n".join(lines)
