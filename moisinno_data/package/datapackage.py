"""The root ``datapackage.json``: read it, and keep its per-resource facts true to the files.

Bytes, hashes and row counts are derived from the CSVs, never typed by hand: ``refresh``
recomputes them (the release work calls it before cutting a version) and ``check`` says
which ones are stale (the tests call it).

Foreign keys between tables belong to the package, not to the tables' schemas: each
``schemas/<t>/schema.json`` works on its own (frictionless, Validata, schema.data.gouv.fr
check a single file with it), and a resource that refers to other tables carries its schema
inline in ``datapackage.json`` — the file's schema plus ``foreignKeys`` — because that is
where frictionless reads them (``frictionless validate datapackage.json`` checks them).
``refresh`` keeps that inline copy equal to the file; :func:`foreign_keys` hands the keys to
the validation engine.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from moisinno_data import fsutil
from moisinno_data.package import paths
from moisinno_data.package.descriptors import ForeignKey


def read(root: Path | None = None) -> dict[str, Any]:
    path = (root or paths.bundle_root()) / "datapackage.json"
    return json.loads(path.read_text(encoding="utf-8"))


def write(descriptor: dict[str, Any], root: Path | None = None) -> None:
    path = (root or paths.bundle_root()) / "datapackage.json"
    fsutil.write_text(path, json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n")


def schema_file(resource: dict[str, Any]) -> str:
    """The resource's schema file, relative to the package: ``schema`` when it is a path,
    else the convention ``schemas/<name>/schema.json`` (the inline form keeps it there)."""
    schema = resource.get("schema")
    if isinstance(schema, str):
        return schema
    return f"schemas/{resource.get('name', '')}/schema.json"


def key_fields(value: Any) -> list[str]:
    """A Table Schema key's fields as a list: a key of one field may be written as its
    name alone (``"fields": "edition"``), of several as a list."""
    return [value] if isinstance(value, str) else list(value or [])


def unique_combinations(schema: Mapping[str, Any]) -> list[list[str]]:
    """Each ``uniqueKeys`` combination of the schema as its list of fields (none when it
    declares none): what validate checks, fix guards and consolidate may name rows by."""
    declared = schema.get("uniqueKeys")
    if not isinstance(declared, list):
        return []
    return [fields for fields in map(key_fields, declared) if fields]


def foreign_keys(table: str | None, root: Path | None = None) -> list[ForeignKey]:
    """The foreign keys the data package declares for ``table`` (none outside a package)."""
    if not table:
        return []
    try:
        descriptor = read(root)
    except (OSError, ValueError):
        return []
    for resource in descriptor.get("resources", []):
        schema = resource.get("schema")
        if resource.get("name") == table and isinstance(schema, dict):
            return list(schema.get("foreignKeys") or [])
    return []


def resource_schema(resource: dict[str, Any], read: Callable[[str], str | bytes]) -> dict:
    """The schema a resource's rows follow: its schema file (``read`` gives a file of the
    package by relative path), plus the foreign keys the package declares inline.

    The file is the one source of truth for fields: an inline copy left behind by an
    edit of the file never hides the edit.
    """
    schema = resource.get("schema")
    if isinstance(schema, str):
        return json.loads(read(schema))
    if not isinstance(schema, dict):
        return {"fields": []}
    try:
        fresh = json.loads(read(schema_file(resource)))
    except (KeyError, OSError):  # no file beside it: the inline schema is all there is
        return schema
    fresh.pop("foreignKeys", None)
    if schema.get("foreignKeys"):
        fresh["foreignKeys"] = schema["foreignKeys"]
    return fresh


def _inline_schema(resource: dict[str, Any], base: Path) -> Any:
    """The resource's ``schema`` with an inline copy brought back in step with its file."""
    if not isinstance(resource.get("schema"), dict):
        return resource.get("schema")
    return resource_schema(resource, lambda rel: (base / rel).read_text(encoding="utf-8"))


def count_rows(path: Path) -> int:
    """Data rows of a published CSV (UTF-8, ``,``); quoted newlines count once."""
    with open(path, encoding="utf-8", newline="") as fh:
        return max(sum(1 for _ in csv.reader(fh)) - 1, 0)


def file_facts(path: Path) -> dict[str, Any]:
    return {
        "bytes": path.stat().st_size,
        "hash": "sha256:" + fsutil.sha256_file(path),
        "count": count_rows(path),
    }


def refresh(descriptor: dict[str, Any], root: Path | None = None) -> dict[str, Any]:
    """Return a copy of ``descriptor`` whose resources carry the files' bytes, hash and rows."""
    base = root or paths.bundle_root()
    fresh = json.loads(json.dumps(descriptor))
    for resource in fresh.get("resources", []):
        facts = file_facts(base / resource["path"])
        resource["bytes"] = facts["bytes"]
        resource["hash"] = facts["hash"]
        resource["count"] = facts["count"]
        if "schema" in resource:
            resource["schema"] = _inline_schema(resource, base)
    return fresh


def check(root: Path | None = None) -> list[str]:
    """Human-readable list of resources whose recorded facts differ from the files."""
    descriptor = read(root)
    fresh = refresh(descriptor, root)
    problems = []
    for old, new in zip(descriptor.get("resources", []), fresh.get("resources", []), strict=True):
        for key in ("bytes", "hash", "count"):
            if old.get(key) != new[key]:
                problems.append(
                    f"{old['path']} : {key} vaut {old.get(key)!r} dans datapackage.json, "
                    f"{new[key]!r} pour le fichier"
                )
        if old.get("schema") != new.get("schema"):
            problems.append(
                f"{old['path']} : le schéma écrit dans datapackage.json diffère de "
                f"{schema_file(old)} (clés étrangères mises à part)"
            )
    return problems
