"""The published CSV form (UTF-8, ``,``, ``\\n``, minimal quoting) and row identity by key.

Consolidation, release and diff all read and write ``datasets/*.csv`` through this module,
so a table written back unchanged is byte-identical to the file it came from (the tests
check that on the real datasets) and a diff never shows a change that is only quoting.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moisinno_data.package.descriptors import SchemaDescriptor

Key = tuple[str, ...]


@dataclass
class CsvTable:
    """A published table in memory: header, rows as lists of strings, primary key fields."""

    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    primary_key: list[str] = field(default_factory=list)

    def key_of(self, row: Sequence[str]) -> Key:
        """The row's identity: its primary key cells, or the whole row when there is none."""
        if not self.primary_key:
            return tuple(row)
        positions = [self.header.index(name) for name in self.primary_key]
        return tuple(row[i] if i < len(row) else "" for i in positions)

    def as_dict(self, row: Sequence[str]) -> dict[str, str]:
        return {name: (row[i] if i < len(row) else "") for i, name in enumerate(self.header)}

    def by_key(self) -> dict[Key, list[str]]:
        if not self.primary_key:
            return {tuple(row): row for row in self.rows}
        positions = [self.header.index(name) for name in self.primary_key]
        return {tuple(r[i] if i < len(r) else "" for i in positions): r for r in self.rows}


def primary_key(schema: Mapping[str, Any]) -> list[str]:
    """Any Table Schema's key columns: a loaded one, or one as a release's package holds it."""
    pk = schema.get("primaryKey") or []
    return [pk] if isinstance(pk, str) else list(pk)


def row_identity(schema: Mapping[str, Any]) -> list[str]:
    """The columns a row is known by across contributions and versions: the primary key,
    or, in a table without one (many published schemas have none), all its columns: the
    same values are the same row (sent again, unchanged), other values another row."""
    return primary_key(schema) or [
        f["name"] for f in schema.get("fields", []) if isinstance(f, Mapping) and "name" in f
    ]


def format_key(key: Key) -> str:
    """How a key is shown to people and written in provenance/changelog: ``a`` or ``a|b``.

    Two keys must never be shown alike: the diff and the changelog file their changes
    under this text. In a composite key, a ``|`` or ``\\`` inside a value is escaped
    (``x\\|y|z`` is ``("x|y", "z")``, ``x|y\\|z`` is ``("x", "y|z")``); a key of one
    field is shown as it is."""
    if len(key) == 1:
        return key[0]
    return "|".join(part.replace("\\", "\\\\").replace("|", "\\|") for part in key)


def parse_csv_text(text: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return [], []
    return rows[0], rows[1:]


def read_table(path: Path, schema: SchemaDescriptor | None = None) -> CsvTable:
    """A published CSV; a missing file is an empty table with the schema's header."""
    if not path.is_file():
        header = [f["name"] for f in (schema or {}).get("fields", [])]
        return CsvTable(header, [], primary_key(schema or {}))
    with open(path, encoding="utf-8", newline="") as fh:
        header, rows = parse_csv_text(fh.read())
    return CsvTable(header, rows, primary_key(schema or {}))


def to_csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
