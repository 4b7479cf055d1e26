"""The published CSV form (UTF-8, ``,``, ``\\n``, minimal quoting) and row identity by key.

Consolidation, release and diff all read and write ``datasets/*.csv`` through this module,
so a table written back unchanged is byte-identical to the file it came from (the tests
check that on the real datasets) and a diff never shows a change that is only quoting.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moisinno_data.package import french, paris
from moisinno_data.package.datapackage import key_fields, unique_combinations
from moisinno_data.package.descriptors import SchemaDescriptor

Key = tuple[str, ...]


@dataclass
class CsvTable:
    """A published table in memory: header, rows as lists of strings, and the fields that
    name a row (:func:`identity_key`; ``primary_key`` keeps its name, empty when none do)."""

    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    primary_key: list[str] = field(default_factory=list)

    def key_of(self, row: Sequence[str]) -> Key:
        """The row's identity: its key cells, or the whole row when there are none."""
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
    return key_fields(schema.get("primaryKey") or [])


def identity_key(schema: Mapping[str, Any]) -> list[str]:
    """The columns that name a row: the primary key; in a table without one, a field
    declared ``unique`` and ``required`` (the first), else the first ``uniqueKeys``
    combination of required fields — an identifier every row has and no two share, so
    that a row whose other cells change is modified, not removed and added again (sweep
    11: dispositif-aide's ``id``). A unique field that may be empty names no row (many
    rows may lack it). None of these: ``[]``."""
    required = {
        f["name"]
        for f in schema.get("fields", [])
        if isinstance(f, Mapping) and (f.get("constraints") or {}).get("required")
    }
    unique = [
        f["name"]
        for f in schema.get("fields", [])
        if f.get("name") in required and (f.get("constraints") or {}).get("unique")
    ]
    named = [c for c in unique_combinations(schema) if set(c) <= required]
    return primary_key(schema) or unique[:1] or (named[0] if named else [])


def row_identity(schema: Mapping[str, Any]) -> list[str]:
    """The columns a row is known by across contributions and versions: its
    :func:`identity_key`, or, in a table without one (many published schemas have none),
    all its columns: the same values are the same row (sent again, unchanged), other
    values another row. The cells are compared as :func:`identity_form` reads them."""
    return identity_key(schema) or [
        f["name"] for f in schema.get("fields", []) if isinstance(f, Mapping) and "name" in f
    ]


def missing_values(schema: Mapping[str, Any], name: str) -> list[str]:
    """The cells that mean "no value" in field ``name``: its own ``missingValues``, else
    the schema's, else ``[""]`` (Table Schema's default)."""
    for f in schema.get("fields", []):
        if isinstance(f, Mapping) and f.get("name") == name and "missingValues" in f:
            return list(f["missingValues"])
    return list(schema.get("missingValues", [""]))


def no_value_cells(schema: Mapping[str, Any]) -> dict[str, str]:
    """Per field, what the published CSV writes where no value was given (a column a
    contribution lacks, a field added to the schema): the empty cell when it means
    missing, else the schema's first missing value (``NA`` in a schema whose
    missingValues is ``["NA"]``), so that it reads as missing, not as a wrong value."""
    out = {}
    for f in schema.get("fields", []):
        if isinstance(f, Mapping) and "name" in f:
            markers = missing_values(schema, f["name"])
            out[f["name"]] = "" if "" in markers or not markers else markers[0]
    return out


def identity_form(
    schema: Mapping[str, Any],
    columns: Sequence[str],
    typed: Callable[[str, str], str | None] | None = None,
) -> Callable[[Key], Key]:
    """A row's identity in ``columns`` as their fields read it, so that one row is one
    identity however it is spelled: every missing value of a field (``NA``, ``-``, or
    no cell at all) is ``""``, ``02020``, ``+2020`` are ``2020`` in an integer (or
    year) column, and a date-time is its moment in UTC (:func:`moment_form`). ``typed``
    (field, cell) → the cell as its type reads it, in one spelling, for the other typed
    fields (``22.0`` is ``22`` in a number column, ``1,50`` is ``1,5`` with a decimal
    comma, ``5/1/2024`` is ``05/01/2024`` under ``%d/%m/%Y``, a geopoint's spaces):
    the validation layer's reading, given by the caller (this layer does not import
    it); without it, or where it reads nothing, a cell is compared as written.
    Consolidate and diff (hence release) both know rows by it."""
    fields = {f.get("name"): f for f in schema.get("fields", []) if "name" in f}
    types = [fields.get(name, {}).get("type", "string") for name in columns]
    forms = [
        moment_form if kind == "datetime" and _iso(fields[name]) else None
        for name, kind in zip(columns, types, strict=True)
    ]
    missing = [set(missing_values(schema, name)) for name in columns]

    def cell_form(i: int, cell: str) -> str:
        if i >= len(columns):
            return cell
        if cell in missing[i]:
            return ""
        if types[i] in ("integer", "year"):
            return french.canonical_integer(cell)
        form = forms[i]
        if form is not None:
            return form(cell)
        if typed is not None and types[i] in TYPED_IDENTITY:
            read = typed(columns[i], cell)
            return cell if read is None else read
        return cell

    def form(key: Key) -> Key:
        return tuple(cell_form(i, cell) for i, cell in enumerate(key))

    return form


TYPED_IDENTITY = ("number", "boolean", "date", "geopoint")
"""The types whose cells a row's identity reads with ``typed`` (:func:`identity_form`)."""


def moment_form(cell: str) -> str:
    """A date-time cell as the moment it names, in UTC (``2024-01-01T00:00:00+01:00``,
    ``2023-12-31T23:00:00Z`` and, in Paris wall-clock time, ``2024-01-01T00:00:00`` are
    one): a workbook re-sent without its offsets still names the published rows. A cell
    that names no single moment (:func:`paris.instant`) is kept as written."""
    moment = paris.instant(cell)
    return cell if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _iso(field: Mapping[str, Any]) -> bool:
    """Whether a field writes its date-times in ISO 8601 (the default format), the only
    ones :func:`paris.instant` reads."""
    return field.get("format", "default") in ("default", None)


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
        return CsvTable(header, [], identity_key(schema or {}))
    with open(path, encoding="utf-8", newline="") as fh:
        header, rows = parse_csv_text(fh.read())
    return CsvTable(header, rows, identity_key(schema or {}))


def to_csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
