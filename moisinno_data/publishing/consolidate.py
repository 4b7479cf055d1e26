"""Merge contributed files into ``datasets/``, accounting for every row received.

Each file is read (any encoding, CSV/XLSX/ODS), put in canonical form by :mod:`.fix`,
validated against its table's schema, and each of its rows ends in exactly one bucket:

- **ajoutée** (added): its primary key is new;
- **modifiée** (updated): the key exists with other values — the new values replace the
  old ones, and ``moisinno diff`` / the next release's changelog show the change;
- **inchangée** (unchanged): the key exists with the same values (or the row repeats,
  identically, a row of the same batch);
- **rejetée** (rejected): validation found an error in the row (or in the whole file), or
  in the table once merged (a value of a ``unique`` column another key already has); the
  row goes, with its reasons, to a rejects file for the contributor;
- **en conflit** (conflicting): the batch holds the same key more than once with
  different values; none of them is applied and all are reported.

so that *rows in = added + updated + unchanged + rejected + conflicting* — the line printed
on every run (and property-tested).

Where things go (documented in the README, "Pour les éditeurs"):

- ``datasets/<table>.csv`` — the published data (new rows appended, updated rows in place);
- ``provenance/<table>.csv`` — published, one line per accepted change: key, action,
  sha256 of the contribution, its row number, date received. No name, no file name: a
  contributor recognises their file by its sha256, and no personal data is published;
- ``prive/journal.csv`` — *not published* (git-ignored, never in an archive): who sent
  which file (contributor, file name, sha256, table, date, counts);
- ``prive/rejets/<file>-<sha8>-rejets.csv`` — *not published*: the rejected rows as
  received, with the line number and the reasons (``--rejets DOSSIER`` to put them elsewhere).

Updates are partial: a column absent from the contribution keeps the published value;
a column present but empty empties it. Published files change in one transaction
(:mod:`.transaction`): an interruption leaves the previous state.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import itertools
import os
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from moisinno_data.errors import ConfigError, InputError, MoisinnoError
from moisinno_data.package import canonical, paris, paths, schemas, spreadsheet
from moisinno_data.package import datapackage as package
from moisinno_data.package.descriptors import SchemaDescriptor
from moisinno_data.package.text import Said, blank_row, normalise_label, said_in, visible
from moisinno_data.publishing import transaction
from moisinno_data.publishing.fix import Change, FixResult, fix_rows, under_title
from moisinno_data.publishing.row_labels import RowNames
from moisinno_data.reading.archive import fail
from moisinno_data.reading.budget import Budget, current
from moisinno_data.reading.hidden import HiddenCells
from moisinno_data.reading.sheets import SPREADSHEET_FORMATS, past_header
from moisinno_data.validation.other_sheets import UnreadSheets, unread_sheets
from moisinno_data.validation.resolution import (
    HEADER_SEARCH_ROWS,
    detect_table,
    no_field_said,
    resolve_header,
)

if TYPE_CHECKING:
    from moisinno_data.reading.rows import Table

STATUSES = ("added", "updated", "unchanged", "rejected", "conflicting")
LABELS = {
    "added": "ajoutée(s)",
    "updated": "modifiée(s)",
    "unchanged": "inchangée(s)",
    "rejected": "rejetée(s)",
    "conflicting": "en conflit",
}
LABELS_EN = {
    "added": "added",
    "updated": "updated",
    "unchanged": "unchanged",
    "rejected": "rejected",
    "conflicting": "conflicting",
}
SAID: dict[str, dict[str, str]] = {
    "fr": {
        "file": "{path} (table {table}, sha256 {sha}…) : {rows} ligne(s) — {counts}",
        "blank": "  {n} ligne(s) vide(s) ignorée(s)",
        "ignored": "  colonnes ignorées : {columns}",
        "fixes": "  {n} correction(s) de forme (détail : moisinno fix {path})",
        "refused": "  FICHIER REJETÉ : {why}",
        "added": "  + ligne {row} : {key} ajoutée",
        "updated": "  ~ ligne {row} : {key} modifiée — {detail}",
        "change": "{field} : « {before} » → « {after} »",
        "unchanged": "  = ligne {row} : {key} — {why}",
        "rejected": "  ! ligne {row} : {key} rejetée — {why}",
        "conflicting": "  ! ligne {row} : {key} en conflit — {why}",
        "no_key": "sans clé",
        "more": "  … et {n} autre(s) ligne(s) : détail complet avec --format json",
        "rejects": "  lignes rejetées ou en conflit, avec leurs motifs : {path}",
        "new_columns": "colonnes ajoutées au fichier publié (table {table}) : {columns}",
        "dry_run": "Simulation (--dry-run) : aucun fichier écrit.",
        "balance": "Bilan : {rows} ligne(s) reçue(s) = {added} ajoutée(s) + {updated} "
        "modifiée(s) + {unchanged} inchangée(s) + {rejected} rejetée(s) + {conflicting} en "
        "conflit",
        "gap": "  ← ÉCART : signalez-le aux mainteneurs",
        "unread": "  ! {why}",
        "hidden": "  ! {why}",
        "warnings": "  {n} avertissement(s) de validate sur les lignes acceptées : {kinds} "
        "(détail : moisinno validate {path})",
        "warning": "    {why}",
        "unread_files": ", sans les autres feuilles non lues de {n} classeur(s) (voir plus haut)",
    },
    "en": {
        "file": "{path} (table {table}, sha256 {sha}…): {rows} row(s) — {counts}",
        "blank": "  {n} blank row(s) ignored",
        "ignored": "  columns ignored: {columns}",
        "fixes": "  {n} form correction(s) (details: moisinno fix {path})",
        "refused": "  FILE REJECTED: {why}",
        "added": "  + line {row}: {key} added",
        "updated": "  ~ line {row}: {key} updated — {detail}",
        "change": '{field}: "{before}" → "{after}"',
        "unchanged": "  = line {row}: {key} — {why}",
        "rejected": "  ! line {row}: {key} rejected — {why}",
        "conflicting": "  ! line {row}: {key} conflicting — {why}",
        "no_key": "no key",
        "more": "  … and {n} more row(s): full details with --format json",
        "rejects": "  rejected or conflicting rows, with their reasons: {path}",
        "new_columns": "columns added to the published file (table {table}): {columns}",
        "dry_run": "Dry run (--dry-run): no file written.",
        "balance": "Balance: {rows} row(s) received = {added} added + {updated} updated + "
        "{unchanged} unchanged + {rejected} rejected + {conflicting} conflicting",
        "gap": "  ← GAP: report it to the maintainers",
        "unread": "  ! {why}",
        "hidden": "  ! {why}",
        "warnings": "  {n} validate warning(s) on the rows accepted: {kinds} (details: "
        "moisinno validate {path})",
        "warning": "    {why}",
        "unread_files": ", without the other sheets not read of {n} workbook(s) (see above)",
    },
}
"""The terminal summary's words (:func:`describe`); the reasons themselves, written by the
checks, and the JSON stay French (as ``fix`` keeps its JSON messages French)."""
# Row identity is consolidation's own business (updates, duplicates, conflicts): the
# validator's key-uniqueness findings on the contribution are not reasons to reject.
IDENTITY_CODES = {"unique-error", "primary-key-error", "primary-key", "unique-key"}
WARNINGS_LISTED = 3
"""validate's warnings listed per file in the summary; all are counted, by code."""
ACCEPTED = ("added", "updated", "unchanged")
PROVENANCE_HEADER = ["cle", "action", "contribution_sha256", "ligne", "recue_le"]
JOURNAL_HEADER = [
    "recue_le", "contributeur", "fichier", "sha256", "table",
    "lignes", "ajoutees", "modifiees", "inchangees", "rejetees", "en_conflit",
]  # fmt: skip


@dataclass(slots=True)
class RowOutcome:
    """One row received and its fate (slots: one per row, a million in a big batch)."""

    file: str
    row: int
    table: str
    key: str
    status: str
    reasons: list[str] = field(default_factory=list)
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    """For an update: field → (published value, new value)."""
    file_index: int = 0
    """Position of the file in the batch (the same path may be given twice)."""


@dataclass
class FileOutcome:
    path: str
    sha256: str
    table: str | None
    rows_in: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    file_errors: list[str] = field(default_factory=list)
    fixes: list[Change] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rejects_path: str | None = None
    blank_rows: int = 0
    detected: dict[str, Any] = field(default_factory=dict)
    unread_sheets: UnreadSheets | None = None
    """The workbook's other sheets holding the table too, not read: their rows are not
    received, and the balance says so."""
    hidden_cells: HiddenCells | None = None
    """The sheet's rows and columns hidden or filtered out, under its header: received and
    judged like the others (removing them could lose data), and said."""
    warnings: dict[str, int] = field(default_factory=dict)
    """validate's warnings on the file as received, on the rows accepted, by code."""
    warnings_listed: list[str] = field(default_factory=list)
    """The first :data:`WARNINGS_LISTED` of them, each with its row."""


@dataclass
class Result:
    files: list[FileOutcome]
    rows: list[RowOutcome]
    dry_run: bool
    written: list[str] = field(default_factory=list)
    new_columns: dict[str, list[str]] = field(default_factory=dict)
    """Per table, the schema's columns its published file lacked and now gets (empty)."""

    @property
    def totals(self) -> dict[str, int]:
        totals = dict.fromkeys(STATUSES, 0)
        for outcome in self.rows:
            totals[outcome.status] += 1
        return totals

    @property
    def rows_in(self) -> int:
        return sum(f.rows_in for f in self.files)

    @property
    def balanced(self) -> bool:
        return self.rows_in == sum(self.totals.values())

    def conservation_line(self, lang: str = "fr") -> str:
        said = SAID["en" if lang == "en" else "fr"]
        line = said["balance"].format(rows=self.rows_in, **self.totals)
        unread = sum(1 for f in self.files if f.unread_sheets)
        line += said["unread_files"].format(n=unread) if unread else ""
        return line + ("" if self.balanced else said["gap"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "rows_in": self.rows_in,
            "totals": self.totals,
            "balanced": self.balanced,
            "conservation": self.conservation_line(),
            "files": [
                {
                    **{k: v for k, v in asdict(f).items() if k != "fixes"},
                    "fixes": [c.to_dict() for c in f.fixes],
                }
                for f in self.files
            ],
            "rows": [asdict(r) for r in self.rows],
            "new_columns": self.new_columns,
            "written": self.written,
        }


# --- the pure merge (property-tested) --------------------------------------------------------


@dataclass(slots=True)
class Candidate:
    """An accepted, normalised row waiting to be merged (slots: one per row)."""

    ref: int
    """Index into the caller's list of row outcomes."""
    key: canonical.Key
    values: dict[str, str]
    """Only the columns the contribution provided."""


class Fate(NamedTuple):
    """What :func:`merge` did with one candidate."""

    status: str
    changed: dict[str, tuple[str, str]]
    """For an update: field → (published value, new value)."""
    first: int | None
    """For a repeat: the ref of the first identical row of the batch."""
    position: int | None = None
    """For a row written (added or updated): its index in the merged rows, so that an
    error of the merged table is traced back to the row of the batch that wrote it."""


def merge(
    table: canonical.CsvTable,
    candidates: Sequence[Candidate],
    key_form: Callable[[canonical.Key], canonical.Key] | None = None,
    same: Callable[[str, str, str], bool] | None = None,
    absent: dict[str, str] | None = None,
    spell: Callable[[str, str, str], str] | None = None,
) -> tuple[list[list[str]], dict[int, Fate]]:
    """New rows of ``table`` after merging ``candidates``, and each candidate's :class:`Fate`.

    Keys are compared by ``key_form`` (the typed value, see :func:`typed_key`), so ``02020``
    and ``2020`` are one key in an integer column; other cells by ``same(field, old, new)``
    (:func:`typed_same`: ``900`` and ``900.0`` are one number, the published spelling
    stays). An added row's columns the contribution lacks get ``absent``'s cell, the
    field's "no value" (:func:`canonical.no_value_cells`), ``""`` if it has none. A
    changed cell is published as ``spell(field, old, new)`` (:func:`typed_spelling`),
    the new text by default. Published rows keep their place, added ones follow in the
    candidates' order.
    Pure function: no I/O, so its accounting can be property-tested.
    """
    form = key_form or (lambda key: key)
    equal = same or (lambda _name, a, b: a == b)
    written = spell or (lambda _name, _old, new: new)
    header = table.header
    rows = list(table.rows)  # a row changed is replaced, never changed in place
    position = {form(table.key_of(r)): i for i, r in enumerate(rows)}
    groups: dict[canonical.Key, list[Candidate]] = defaultdict(list)
    for cand in candidates:
        groups[form(cand.key)].append(cand)
    fate: dict[int, Fate] = {}
    for key, group in groups.items():
        if len(group) > 1 and len({tuple(sorted(c.values.items())) for c in group}) > 1:
            for cand in group:
                fate[cand.ref] = Fate("conflicting", {}, None)
            continue
        first, repeats = group[0], group[1:]
        for cand in repeats:
            fate[cand.ref] = Fate("unchanged", {}, first.ref)
        if key in position:
            old = table.as_dict(rows[position[key]])
            changed = {
                name: (old.get(name, ""), written(name, old[name], value))
                for name, value in first.values.items()
                if name in old and not equal(name, old[name], value)
            }
            if not changed:
                fate[first.ref] = Fate("unchanged", {}, None)
                continue
            # only the changed cells take the new text: an equal value keeps its spelling
            merged = [changed[name][1] if name in changed else old[name] for name in header]
            rows[position[key]] = merged
            fate[first.ref] = Fate("updated", changed, None, position[key])
        else:
            rows.append([first.values.get(name, (absent or {}).get(name, "")) for name in header])
            position[key] = len(rows) - 1
            fate[first.ref] = Fate("added", {}, None, len(rows) - 1)
    return rows, fate


def typed_key(schema: SchemaDescriptor) -> Callable[[canonical.Key], canonical.Key]:
    """A key as its fields read it (:func:`canonical.identity_form`): ``02020`` is
    ``2020`` in an integer column, ``NA`` and ``-`` are one missing value, ``22.0`` is
    ``22`` in a number column."""
    from moisinno_data.validation.cells import typed_texts

    columns = canonical.row_identity(schema)
    return canonical.identity_form(schema, columns, typed_texts(schema))


def typed_same(schema: SchemaDescriptor) -> Callable[[str, str, str], bool]:
    """Whether two cells of a field hold the same value as its type reads it: a new
    spelling of a published value (``True`` for ``Oui`` in a field whose yes is either,
    the same instant at another offset, ``-`` for ``NA`` when both are missing values
    of the field) is not a change to release."""
    from moisinno_data.validation.cells import field_checkers

    checkers = field_checkers(schema)

    def same(name: str, old: str, new: str) -> bool:
        if old == new:
            return True
        checker = checkers.get(name)
        if checker is None:
            return False
        if old in checker.missing_values or new in checker.missing_values:
            return old in checker.missing_values and new in checker.missing_values
        if checker.type == "string" or not old or not new:
            return False
        if name in moments:  # without offset, Paris wall-clock time: as load reads it
            old_moment, new_moment = paris.instant(old), paris.instant(new)
            if old_moment is not None and new_moment is not None:
                return old_moment == new_moment
        key = checker.typed_key(old)
        return key is not None and key == checker.typed_key(new)

    moments = _iso_moments(schema)
    return same


def typed_spelling(schema: SchemaDescriptor) -> Callable[[str, str, str], str]:
    """The text a changed cell is published as: the one received, except a date-time
    without offset where the published one had it (a workbook re-sent: a spreadsheet
    keeps no offset), which takes its Paris offset (``2024-02-01T08:00:00`` →
    ``2024-02-01T08:00:00+01:00``). The moment is the one ``load`` reads from the text
    received, and it stays exact for every other reader (frictionless, a spreadsheet,
    another tool reads a time without offset as its own local time); the column keeps
    the offsets its publisher wrote. Where the published cell had none, the received
    text is published as it is, in the column's own style."""
    moments = _iso_moments(schema)

    def spell(name: str, old: str, new: str) -> str:
        if name not in moments or not paris.has_offset(old):
            return new
        return paris.with_offset(new) or new

    return spell


def _iso_moments(schema: SchemaDescriptor) -> set[str]:
    """The date-time fields written in ISO 8601 (the default format): those whose cells
    :mod:`paris` reads, without offset as Paris wall-clock time."""
    return {
        f["name"]
        for f in schema.get("fields", [])
        if f.get("type") == "datetime" and f.get("format", "default") in ("default", None)
    }


# --- files ----------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _aligned(table: canonical.CsvTable, schema: SchemaDescriptor) -> canonical.CsvTable:
    """The published table with the schema's columns, in the schema's order.

    A field added to the schema since the CSV was last written becomes a column of its
    "no value" cell (empty, or ``NA`` where only that means missing), so a contribution
    that fills it is not silently cut; a column the schema no longer has is
    kept at the end (dropping published data is the release's decision, not ours).
    """
    names = [f["name"] for f in schema.get("fields", [])]
    header = names + [h for h in table.header if h not in names]
    pk = canonical.row_identity(schema)
    if header == table.header:
        return canonical.CsvTable(table.header, table.rows, pk)
    blank = canonical.no_value_cells(schema)
    rows = [[table.as_dict(r).get(h, blank.get(h, "")) for h in header] for r in table.rows]
    return canonical.CsvTable(header, rows, pk)


def _validate(rows_csv: str, table: str) -> Any:
    """Validate the canonical form of the contribution; the engine is the validation package."""
    from moisinno_data.validation import validate

    with tempfile.TemporaryDirectory(prefix="moisinno-consolidation-") as tmp:
        path = Path(tmp) / f"{table}.csv"
        path.write_text(rows_csv, encoding="utf-8", newline="")
        del rows_csv  # written: not held while validating, unless the caller keeps it
        # Every finding, uncapped: each wrong row must be known to be kept out (the
        # contribution's rows are in memory anyway, at far more than a finding each).
        return validate(path, schema=table, keep_total=None)


def _validate_received(outcome: FileOutcome) -> Any:
    """validate's report of the file as sent, sheet and all: what validate warns of there
    (a number in a text column, its leading zero lost) is gone from the canonical form."""
    from moisinno_data.validation import validate

    sheet = outcome.detected.get("sheet")
    return validate(Path(outcome.path), schema=outcome.table, sheet=sheet)


def _surface_warnings(prepared_files: list[_Prepared], outcomes: list[RowOutcome]) -> None:
    """validate's warnings on the rows accepted of each file, counted by code and the first
    listed. One rule with fix's: a value fix lists to check rejects its row (it may be
    wrong); a warning does not, as validate does not fail the file for it, but is said."""
    import polars as pl

    accepted: dict[int, list[int]] = defaultdict(list)
    for row in outcomes:
        if row.status in ACCEPTED:
            accepted[row.file_index].append(row.row)
    for fi, prepared in enumerate(prepared_files):
        report, prepared.received = prepared.received, None
        if report is None:
            continue
        where = (pl.col("\x00severity") == 1) & pl.col("row").is_in(accepted[fi])
        found = report.in_order(where)
        codes = found.get_column("code").value_counts(sort=True).iter_rows()
        prepared.outcome.warnings = {str(code): int(n) for code, n in codes}
        prepared.outcome.warnings_listed = [
            _row_said(f.row, _finding_text(f))
            for f in report.materialise(found.head(WARNINGS_LISTED))
        ]


def _row_said(row: int, said: Said) -> Said:
    return Said(f"ligne {row} : {said}", lambda: f"line {row}: {said.en}")


def _finding_text(finding: Any) -> Said:
    """A finding as a reason: its message and hint, in French, and in English if asked."""
    said = getattr(finding, "message", "") or finding.code
    return Said(
        _as_reason(finding, said, getattr(finding, "hint", ""), " : "), lambda: _en(finding)
    )


def _en(finding: Any) -> str:
    from moisinno_data.validation import hints
    from moisinno_data.validation.messages import message

    return _as_reason(finding, message(finding, "en"), hints.hint(finding, "en"), ": ")


def _as_reason(finding: Any, said: str, hint: str, colon: str) -> str:
    where = getattr(finding, "field", None)
    if where and where not in said:
        said = f"{where}{colon}{said}"
    return f"{said} ({hint})" if hint else said


Rows = list[tuple[int, list[str]]]
Strays = dict[int, list[tuple[int, str]]]
"""A sheet's filled cells past its header, by row number, each with its column number."""


@dataclass
class _Prepared:
    outcome: FileOutcome
    schema: SchemaDescriptor | None
    header: list[str] = field(default_factory=list)
    original: list[tuple[int, list[str]]] = field(default_factory=list)
    projected: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    reasons: dict[int, list[str]] = field(default_factory=dict)
    received: Any = None
    """validate's report of the file as received, until its warnings are surfaced
    (:func:`_surface_warnings`)."""

    @cached_property
    def names(self) -> RowNames:
        """How this file's rows are named, once they are all projected: in a table without
        a key, ranked among them and the published rows (in a file of one row, every
        column tells rows apart alike: IRVE's operator came before the point's id)."""
        schema = self.schema or {}
        keys = [_key_of(self.identity, v) for _, v in self.projected]
        if self.outcome.table and not canonical.identity_key(schema):
            published = canonical.read_table(paths.dataset_path(self.outcome.table))
            table = _aligned(published, schema)
            keys += [table.key_of(r) for r in table.rows]
        return RowNames.of_schema(schema, keys)

    def key_text(self, values: dict[str, str] | None) -> str:
        """A row's ``cle`` in messages and provenance: its key, or in a table without one a
        short label and a digest of the whole row (:mod:`.row_labels`); ``""`` for a row
        not read."""
        return "" if values is None else self.names.record(_key_of(self.identity, values))

    @cached_property
    def identity(self) -> list[str]:
        """The columns that name a row (:func:`.canonical.row_identity`), read once: per
        row, they cost a third of consolidate's time on 20,000 rows."""
        return canonical.row_identity(self.schema or {})


def _prepare(
    path: Path, table: str | None, date_order: str | None, sheet: str | None, held: _Held
) -> _Prepared:
    from moisinno_data.reading import first_rows, read_rows

    if not path.is_file():
        raise InputError(f"Fichier introuvable : {path}", en=f"File not found: {path}")
    outcome = FileOutcome(str(path), _sha256(path), table)
    hidden = HiddenCells()
    try:  # a CSV has no sheet: ignored there; a sheet's rows stop at their last cell
        read = read_rows(path, sheet=sheet, padded=False, hidden=hidden)
    except InputError as exc:  # the contributor's file, not the command: the others go on
        fr, en = str(exc).removeprefix(f"{path} : "), exc.text("en").removeprefix(f"{path}: ")
        outcome.file_errors.append(Said(f"fichier illisible : {fr}", f"unreadable file: {en}"))
        return _Prepared(outcome, None)
    outcome.detected = dict(getattr(read, "detected", {}) or {})
    name = table
    if name is None:
        try:
            # As fix: a table whose header stands under a title is that table.
            below = lambda: first_rows(path, read.detected, HEADER_SEARCH_ROWS)  # noqa: E731
            detected = (path, read.detected)
            name = detect_table(read.header, below=below, read=detected).name
        except ConfigError as exc:
            every, original, _ = _received(read, outcome, held)
            outcome.file_errors.append(
                Said(
                    f"table non reconnue : {str(exc).rstrip('.')}",
                    f"table not recognised: {exc.text('en').rstrip('.')}",
                )
            )
            return _Prepared(outcome, None, list(read.header), original)
    read, above = under_title(read, schemas.load_schema(name), hidden)  # rows above: not received
    if sheet is None:  # a sheet asked for by name: the others are left out knowingly
        unread = unread_sheets(path, outcome.detected, name, schemas.load_schema(name))
        outcome.unread_sheets = unread or None
    every, original, strays = _received(read, outcome, held)
    outcome.hidden_cells = hidden.within(read.header_row, read.header) or None
    return _project(path, read, (every, original, strays), outcome, name, date_order, above)


def _hidden_published(prepared_files: list[_Prepared], outcomes: list[RowOutcome]) -> None:
    """A file's hidden rows, only those it publishes: one rejected or in conflict is
    said among them with its reasons (and goes to the rejects), not as « sera publié »."""
    hidden = {i for i, p in enumerate(prepared_files) if p.outcome.hidden_cells}
    left: dict[int, list[int]] = defaultdict(list)
    for o in outcomes:
        if o.file_index in hidden and o.status in ("rejected", "conflicting"):
            left[o.file_index].append(o.row)
    for index, rows in left.items():
        file = prepared_files[index].outcome
        assert file.hidden_cells is not None
        file.hidden_cells = file.hidden_cells.without(sorted(rows)) or None


def _received(read: Table, outcome: FileOutcome, held: _Held) -> tuple[Rows, Rows, Strays]:
    """Every row of ``read``, those holding data, and a sheet's cells past its header: a
    blank line carries no data, it is neither "received" nor lost. A sheet's row is read
    as validate reads it (:func:`_as_read`). The batch's cells are counted as they are
    read (``held``): past the budget, the file is refused before memory grows."""
    sheet = outcome.detected.get("format") in SPREADSHEET_FORMATS
    width = len(read.header)
    strays: Strays = {}
    every = list(_shared(held.counted(read.rows, read.path, width), width))
    if sheet:
        every = [(n, _as_read(n, cells, width, strays)) for n, cells in every]
    original = [(n, cells) for n, cells in every if not blank_row(cells)]
    outcome.blank_rows = len(every) - len(original)
    outcome.rows_in = len(original)
    return every, original, strays


@dataclass
class _Held:
    """The cells of a batch's files read so far: consolidation holds them all until the
    end (~180 bytes each), so they are held to ``Budget.max_held_cells``."""

    budget: Budget
    cells: int = 0

    def counted(
        self, rows: Iterable[tuple[int, list[str]]], path: Path, width: int
    ) -> Iterator[tuple[int, list[str]]]:
        """``rows``, each counted; the file refused as soon as the batch passes the budget."""
        before, limit = self.cells, self.budget.max_held_cells
        for k, (number, cells) in enumerate(rows, start=1):
            self.cells += len(cells)
            if self.cells > limit:
                raise _too_many_cells(path, (k, width), before, limit)
            yield number, cells


def _too_many_cells(path: Path, read: tuple[int, int], before: int, limit: int) -> InputError:
    """The refusal of a file whose rows would pass the batch's ``limit`` of cells held:
    how much was read, and how to send it (files of fewer rows, one after the other)."""
    rows, width = read
    most = max(1, (limit - before if before else limit) // max(width, 1))
    others = f", en plus des {before} des fichiers précédents" if before else ""
    others_en = f", besides the {before} of the files before it" if before else ""
    advice = "consolidez-le à part, ou découpez-le" if before else "découpez-le"
    advice_en = "consolidate it on its own, or split it" if before else "split it"
    return fail(
        path,
        f"trop de cellules pour être consolidé en une fois : plus de {limit} cellules lues "
        f"({rows} lignes × {width} colonnes{others}) ; {advice} en fichiers de {most} lignes "
        "au plus et consolidez-les l'un après l'autre.",
        f"too many cells to be consolidated at once: more than {limit} cells read "
        f"({rows} rows × {width} columns{others_en}); {advice_en} into files of {most} rows "
        "at most and consolidate them one after the other.",
    )


SHARED_PER_COLUMN = 4096
"""Distinct values of a column held once each while a file is read (:func:`_shared`):
enough for its lists of codes, dates and flags; a column of ids stops being looked up
there, its cache costing ~0.4 MB at most."""


def _shared(rows: Iterable[tuple[int, list[str]]], width: int) -> Iterator[tuple[int, list[str]]]:
    """``rows`` with each repeated value of a column one string, not one per cell: a file's
    rows are all held until they are merged, and its codes, dates and flags repeat (a
    cell read is a new string of ~60 bytes). Equal strings: nothing read changes."""
    caches: list[dict[str, str]] = [{} for _ in range(width)]
    for k, (number, cells) in enumerate(rows):
        if not k % SHARED_PER_COLUMN:  # a column past its share of values is no longer kept
            caches = [
                _Kept(c) if type(c) is dict and len(c) >= SHARED_PER_COLUMN else c for c in caches
            ]
        shared = [
            cache.setdefault(value, value) for cache, value in zip(caches, cells, strict=False)
        ]
        yield number, shared + cells[width:] if len(cells) > width else shared


class _Kept(dict[str, str]):
    """A column's values held so far (:func:`_shared`), no new one added."""

    def setdefault(self, key: str, default: str) -> str:
        return self.get(key, default)


def _as_read(number: int, cells: list[str], width: int, strays: Strays) -> list[str]:
    """A sheet's row as validate reads it and fix writes it: the header's cells, then the
    filled cells past them (:func:`.sheets.past_header`), noted in ``strays`` with their
    columns. A sheet's row reaches its last cell: a value typed in column XFD made a row
    of 16,384 cells, rejected as « 16384 cellule(s) au lieu de 12 » for validate's one
    extra cell, and written so in the rejects file."""
    if len(cells) <= width:
        return cells
    past = past_header(cells, width)
    if past:
        strays[number] = past
    return cells[:width] + [value for _, value in past]


def _project(
    path: Path, read: Table, received: tuple[Rows, Rows, Strays], outcome: FileOutcome,
    name: str, date_order: str | None, above: list[Change],
) -> _Prepared:  # fmt: skip
    """The rows of a file of table ``name`` put in canonical form (:func:`fix_rows`),
    projected on the table's fields, with each row's reasons to be rejected."""
    every, original, strays = received
    outcome.table = name
    schema = schemas.load_schema(name)
    fixed = fix_rows(read.header, original, schema, date_order=date_order)
    outcome.fixes = above + fixed.changes
    outcome.ignored_columns = _ignored_columns(read.header, fixed)
    prepared = _Prepared(outcome, schema, list(read.header), original)
    index = fixed.positions  # the columns validate reads: the first of two of a name
    if not index:
        first = [read.header, *(cells for _, cells in every[: HEADER_SEARCH_ROWS - 1])]
        said = no_field_said((path, outcome.detected), first, name, schema)
        outcome.file_errors.append(Said(*said))
        return prepared
    missing_pk = [k for k in canonical.identity_key(schema) if k not in index]
    if missing_pk:
        keys = ", ".join(missing_pk)
        outcome.file_errors.append(
            Said(
                f"colonne(s) de clé absente(s) : {keys} — ajoutez-la(les) au fichier",
                f"key column(s) missing: {keys} — add them to the file",
            )
        )
        return prepared
    clash = _differing_copy(read.header, fixed, fixed.rows)
    if clash is not None:
        outcome.file_errors.append(clash)
        return prepared
    present = [f["name"] for f in schema["fields"] if f["name"] in index]
    width = len(read.header)
    # Rows may stop before trailing columns no field is read from, as validate reads them
    # (a missing cell is its error only in a field's column): a separator ending the
    # header line alone (sweep 8), or Excel's rows without the separators of their empty
    # last cells under an unknown column (« VALIDE », then rejected). A sheet's row stops
    # at its last cell: its cells past it are empty, none is missing.
    named = max((i + 1 for i in index.values()), default=0)
    named = 0 if outcome.detected.get("format") in SPREADSHEET_FORMATS else named
    for number, cells in fixed.rows:
        prepared.projected.append(
            (number, {n: cells[index[n]] if index[n] < len(cells) else "" for n in present})
        )
        misshapen = _misshapen(number, cells, (named, width), strays)
        if misshapen:
            prepared.reasons.setdefault(number, []).extend(misshapen)
    for problem in fixed.problems:
        if problem.rule == "formule":  # said once, by formula_injection (see _check)
            continue
        prepared.reasons.setdefault(problem.row, []).append(
            Said(
                f"{problem.field} : {problem.message}",
                f"{problem.field}: {problem.message_in('en')}",
            )
        )
    return prepared


STRAYS_SAID = 5
"""A sheet row's values past its header named one by one in its reasons, at most; the
others are counted (all are in the rejects file)."""


def _misshapen(
    number: int, cells: list[str], bounds: tuple[int, int], strays: Strays
) -> list[Said]:
    """Why a row is rejected for its number of cells: a sheet's values past the header
    are its extra cells, said as validate says them (:func:`_extra_cell`); a CSV row of
    more cells than the header's or fewer than its named columns' (``bounds``) likely
    has a separator in an unquoted text. Either row is rejected, as it ever was."""
    named, width = bounds
    if number in strays:
        past = strays[number]
        said = [_extra_cell(number, c, value, width) for c, value in past[:STRAYS_SAID]]
        more = len(past) - STRAYS_SAID
        if more > 0:
            said.append(
                Said(
                    f"et {more} autre(s) cellule(s) à droite de l'en-tête",
                    f"and {more} other cell(s) right of the header",
                )
            )
        return said
    if named <= len(cells) <= width:
        return []
    return [
        Said(
            f"{len(cells)} cellule(s) au lieu de {width} : un séparateur dans un texte "
            "non entouré de guillemets ? Vérifiez l'alignement des colonnes",
            f"{len(cells)} cell(s) instead of {width}: a separator in a text without "
            "quotes? Check that the columns line up",
        )
    ]


def _extra_cell(number: int, column: int, value: str, width: int) -> Said:
    """A sheet's value past its header said as validate says it: its ``extra-cell``
    finding's message and hint, under its column's letter (``colonne XFD``)."""
    from moisinno_data.reading.xlsx import column_letter
    from moisinno_data.validation import hints
    from moisinno_data.validation.messages import message
    from moisinno_data.validation.report import Finding

    params = {"columns": width, "sheet": True}
    finding = Finding("extra-cell", row=number, column=column, value=value, params=params)
    finding.message, finding.hint = message(finding), hints.hint(finding)
    said, letter = _finding_text(finding), column_letter(column)
    return Said(f"colonne {letter} : {said}", lambda: f"column {letter}: {said.en}")


def _differing_copy(
    header: Sequence[str], fixed: FixResult, rows: Sequence[tuple[int, list[str]]]
) -> Said | None:
    """The refusal of a file where a column naming again a field read in another one (the
    same label, or ``Nom`` beside ``nom``) holds other values: only the first is read (as
    validate reads it, which says ``duplicate-label``), so publishing would lose the
    second's. A copy that is empty, or the same, loses nothing: it is only listed among
    the ignored columns."""
    for other, name in sorted(fixed.copies.items()):
        first = fixed.positions[name]
        for number, cells in rows:
            copy = cells[other].strip() if other < len(cells) else ""
            kept = cells[first].strip() if first < len(cells) else ""
            if copy and copy != kept:
                return _clash(header, name, first, other, number, copy, kept)
    return None


def _clash(
    header: Sequence[str], name: str, first: int, other: int, number: int, copy: str, kept: str
) -> Said:
    """Which two columns clash, on which line, and how to mend the file."""
    from moisinno_data.reading.xlsx import column_letter

    a, b = column_letter(first + 1), column_letter(other + 1)
    label, label_b = visible(header[first]), visible(header[other])
    copy, kept = visible(copy), visible(kept)
    if label == label_b:
        fr = f"la colonne « {label} » ({name}) est en double (colonnes {a} et {b})"
        en = f"column “{label}” ({name}) comes twice (columns {a} and {b})"
    else:
        fr = f"les colonnes « {label} » ({a}) et « {label_b} » ({b}) sont toutes deux "
        fr += f"le champ {name}"
        en = f"columns “{label}” ({a}) and “{label_b}” ({b}) are both field {name}"
    instead_fr = f" au lieu de « {kept} »" if kept else f", la colonne {a} étant vide"
    instead_en = f" instead of “{kept}”" if kept else f", column {a} being empty"
    return Said(
        f"{fr} et la colonne {b}, qui ne serait pas lue, porte d'autres valeurs (ligne "
        f"{number} : « {copy} »{instead_fr}) — gardez une seule colonne "
        f"{name} (en y reportant les valeurs de l'autre), ou renommez l'autre si c'est un "
        "autre champ",
        f"{en} and column {b}, which would not be read, holds other values (line {number}: "
        f"“{copy}”{instead_en}) — keep one column {name} (moving the "
        "other's values into it), or rename the other if it is another field",
    )


def _ignored_columns(header: Sequence[str], fixed: FixResult) -> list[str]:
    """The columns no field is read from, named so that the sender finds them: blank
    labels by their column, a run of them as one span (a label typed in XFD1 was 16,373
    « (sans nom, colonne K) », « (sans nom, colonne L) »…, 400 KB of summary), a column
    naming again a read field as the copy not read."""
    from moisinno_data.reading.xlsx import column_letter, column_runs

    taken = set(fixed.positions.values())
    ignored = [i for i in range(len(header)) if i not in taken]
    blank = [i + 1 for i in ignored if not header[i].strip()]
    spans = {a - 1: (a, b) for a, b in column_runs(blank)}
    out: list[str] = []
    for i in ignored:
        label = header[i]
        if i in spans:
            out.append(_blank_columns(*spans[i]))
        elif not label.strip():
            continue  # inside a span said
        elif i in fixed.copies:
            letter = column_letter(i + 1)
            first = column_letter(fixed.positions[fixed.copies[i]] + 1)
            out.append(
                Said(
                    f"{label} (colonne {letter}, en double : seule la colonne {first} est lue)",
                    f"{label} (column {letter}, a copy: only column {first} is read)",
                )
            )
        else:
            out.append(label)
    return out


def _blank_columns(first: int, last: int) -> Said:
    """Blank labels from column ``first`` to ``last`` (numbers), as the summary says them."""
    from moisinno_data.reading.xlsx import column_letter

    a, b = column_letter(first), column_letter(last)
    if first == last:
        return Said(f"(sans nom, colonne {a})", f"(no name, column {a})")
    n = last - first + 1
    return Said(
        f"(sans nom, colonnes {a} à {b} : {n} colonnes)",
        f"(no name, columns {a} to {b}: {n} columns)",
    )


def _check(prepared: _Prepared, published: canonical.CsvTable) -> None:
    """Validate the canonical form of a prepared file and file its errors by row.

    Rows are validated as the merge will write them: a column absent from the file keeps
    the published value of a row whose key is published (README: a partial update), so it
    is that value that is checked; for a new row, an absent required column is named as
    absent from the file, not as an empty cell the sender never wrote.
    """
    schema, name, outcome = prepared.schema, prepared.outcome.table, prepared.outcome
    if schema is None or name is None or outcome.file_errors:  # a schema comes with its table
        return
    rows, lacking = _completed(prepared, published)
    all_fields = [f["name"] for f in schema["fields"]]  # every schema column, in schema order
    blank = canonical.no_value_cells(schema)  # a column the file lacks: missing, as merged
    rows_csv = ([row.get(n, blank[n]) for n in all_fields] for row in rows)
    report = _validate(canonical.to_csv_text(all_fields, rows_csv), name)  # text freed there
    del rows, rows_csv  # rows completed for the check: not held while validate reads the file
    prepared.received = _validate_received(outcome)
    numbers = [n for n, _ in prepared.projected]
    from moisinno_data.validation.rules import formula_injection

    for number, why in formula_injection.rows_with_formulas(schema, prepared.projected).items():
        prepared.reasons.setdefault(number, []).extend(why)  # whatever the schema declares
    for finding in report.errors:
        if getattr(finding, "code", "") in IDENTITY_CODES:
            continue
        row = getattr(finding, "row", None)
        if row is None or row < 2:
            outcome.file_errors.append(_finding_text(finding))
        elif row - 2 < len(numbers):
            number = numbers[row - 2]
            if finding.field in lacking.get(number, ()) and _is_required(finding):
                continue  # said below, as a column absent from the file
            prepared.reasons.setdefault(number, []).append(_finding_text(finding))
    values_of = dict(prepared.projected) if lacking else {}
    for number, names in lacking.items():
        key = prepared.key_text(values_of[number])
        columns = ", ".join(names)
        prepared.reasons.setdefault(number, []).append(
            Said(
                f"colonne(s) {columns} absente(s) du fichier : obligatoire(s) pour une "
                f"nouvelle ligne (clé {key} pas encore publiée) — ajoutez-la(les) au fichier",
                f"column(s) {columns} missing from the file: required for a new row (key "
                f"{key} not published yet) — add them to the file",
            )
        )


def _key_of(identity: list[str], values: dict[str, str]) -> canonical.Key:
    """A contributed row's identity in columns ``identity`` (its schema's
    :func:`.canonical.row_identity`), as written: an absent key column reads as empty."""
    return tuple(values.get(k, "") for k in identity)


def _is_required(finding: Any) -> bool:
    params = getattr(finding, "params", None) or {}
    return getattr(finding, "code", "") == "constraint-error" and params.get("constraint") == (
        "required"
    )


def _completed(
    prepared: _Prepared, published: canonical.CsvTable
) -> tuple[list[dict[str, str]], dict[int, list[str]]]:
    """Each projected row as the merge would write it — the published values under the
    columns the file lacks when its key is published (compared as :func:`typed_key` reads
    keys, as :func:`merge` does) — and, per new row, the required columns the file lacks."""
    schema = prepared.schema or {}
    names = [f["name"] for f in schema.get("fields", [])]
    if all(n in values for n in names for _, values in prepared.projected):
        return [values for _, values in prepared.projected], {}
    form = typed_key(schema)
    known = {form(published.key_of(r)): r for r in published.rows}
    required = [f["name"] for f in schema["fields"] if (f.get("constraints") or {}).get("required")]
    rows, lacking = [], {}
    for number, values in prepared.projected:
        old = known.get(form(_key_of(prepared.identity, values)))
        if old is not None:
            rows.append({**published.as_dict(old), **values})
            continue
        rows.append(values)
        missing = [n for n in required if n not in values]
        if missing:
            lacking[number] = missing
    return rows, lacking


@contextlib.contextmanager
def _view(root: Path, staged: dict[str, str]) -> Iterator[None]:
    """Point the validator at the package *as this batch has made it so far*.

    Tables are merged in dependency order (editions and labs before events), so an event
    may reference a lab that arrives in the same batch: its foreign key and edition-date
    checks then see the merged tables, not only the published ones.
    """
    if not staged:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="moisinno-vue-") as tmp:
        view = Path(tmp)
        shutil.copy2(root / "datapackage.json", view / "datapackage.json")
        (view / "schemas").symlink_to(root / "schemas", target_is_directory=True)
        (view / "datasets").mkdir()
        for path in (root / "datasets").glob("*.csv"):
            if path.stem not in staged:
                (view / "datasets" / path.name).symlink_to(path)
        for name, text in staged.items():
            (view / "datasets" / f"{name}.csv").write_text(text, encoding="utf-8", newline="")
        saved = os.environ.get("MOISINNO_ROOT")
        os.environ["MOISINNO_ROOT"] = str(view)
        try:
            yield
        finally:
            if saved is None:
                os.environ.pop("MOISINNO_ROOT", None)
            else:
                os.environ["MOISINNO_ROOT"] = saved


def _dependency_order(names: Iterable[str]) -> list[str]:
    """``names`` with each table after the tables its foreign keys reference (a batch's
    new communes before the stations that cite them), else in the package's order; a
    cycle of references leaves the package's order."""
    declared = schemas.table_names()
    left = sorted(names, key=lambda n: (declared.index(n) if n in declared else len(declared), n))
    needs = {name: _referenced(name) & set(left) - {name} for name in left}
    ordered: list[str] = []
    while left:
        ready = next((n for n in left if needs[n] <= set(ordered)), left[0])  # a cycle: as is
        ordered.append(ready)
        left.remove(ready)
    return ordered


def _referenced(name: str) -> set[str]:
    """The tables ``name``'s foreign keys point to (its schema's and the package's)."""
    own = schemas.load_schema(name).get("foreignKeys") or []
    return {
        str(fk["reference"].get("resource"))
        for fk in [*own, *package.foreign_keys(name)]
        if isinstance(fk, dict) and isinstance(fk.get("reference"), dict)
    }


def _rejects_columns(header: Sequence[str], schema: SchemaDescriptor | None) -> list[str]:
    """The names of the two columns a rejects file puts before the received ones: ``ligne``
    and ``motifs``, or ``ligne_rejet``, ``motifs_rejet`` (then ``…_2``…) when the file has
    a column of that name or the schema a field it would be read as.

    The contributor sends the file back corrected: these columns must be read as no field
    (else the row number would be published as a ``ligne`` field's value) and be taken for
    none of the file's own columns.
    """
    fields = (schema or {}).get("fields", [])
    taken = {normalise_label(label) for label in header}

    def free(name: str) -> bool:
        return normalise_label(name) not in taken and not resolve_header([name], fields).columns

    chosen = []
    for base in ("ligne", "motifs"):
        names = itertools.chain(
            [base, f"{base}_rejet"], (f"{base}_rejet_{i}" for i in itertools.count(2))
        )
        chosen.append(next(name for name in names if free(name)))
    return chosen


def _sent_back_pair(prepared: _Prepared) -> int:
    """2 when the file begins with the two columns a rejects file puts first, named as
    we name them, read as no field and holding line numbers (it is one, sent back):
    rejected again, its rows get them anew, not a second pair; else 0."""
    header = prepared.header
    fields = (prepared.schema or {}).get("fields", [])
    if len(header) < 2 or resolve_header(header[:2], fields).columns:
        return 0
    kinds = [re.fullmatch(r"(ligne|motifs)(_rejet(_[0-9]+)?)?", label) for label in header[:2]]
    if not (kinds[0] and kinds[1] and (kinds[0][1], kinds[1][1]) == ("ligne", "motifs")):
        return 0
    numbered = all(cells[0].isdigit() for _n, cells in prepared.original if any(cells))
    return 2 if numbered else 0


def _rejects_text(prepared: _Prepared, rejected: dict[int, list[str]]) -> str:
    """The rejected rows as received, each after its line and reasons. A sheet's row,
    read as short as the sheet's, is written as wide as the header, its cells past its
    end empty ones (a CSV's short row stays short: it is why it is rejected)."""
    skip = _sent_back_pair(prepared)
    own = prepared.header[skip:]
    header = [*_rejects_columns(own, prepared.schema), *own]
    sheet = prepared.outcome.detected.get("format") in SPREADSHEET_FORMATS
    width = len(prepared.header) if sheet else 0
    body = (
        [str(n), " | ".join(rejected[n]), *cells[skip:], *[""] * (width - len(cells))]
        for n, cells in prepared.original
        if n in rejected
    )
    return spreadsheet.to_csv_text(header, body)  # opened in a spreadsheet: no live formula


def consolidate(
    files: Sequence[str | Path],
    *,
    table: str | None = None,
    contributor: str | None = None,
    dry_run: bool = False,
    received: str | None = None,
    rejects_dir: str | Path | None = None,
    date_order: str | None = None,
    progress: Callable[[str], None] | None = None,
    sheet: str | None = None,
) -> Result:
    """Merge ``files`` into the data package at :func:`paths.bundle_root` (see module doc)."""
    if not files:
        raise InputError("Aucun fichier à consolider.", en="No file to consolidate.")
    if table is not None:
        table = schemas.package_table(table)
    root = transaction.writable_root()
    with transaction.exclusive(root):
        transaction.recover(root)
        return _consolidate(
            root, files, table, contributor, dry_run, received, rejects_dir, date_order, progress,
            sheet=sheet,
        )  # fmt: skip


class ConsolidationRefused(MoisinnoError):
    """The merged tables would not validate: nothing is written."""

    exit_code = 1

    def __init__(
        self, message: str, *, result: Result | None = None, en: str | None = None
    ) -> None:
        super().__init__(message, en=en)
        self.result = result

    def to_dict(self) -> dict[str, Any]:
        """What ``--format json`` prints: the refusal, and each row's fate had it not been
        refused (nothing was written)."""
        return {
            "refused": True,
            "error": str(self),
            **(self.result.to_dict() if self.result else {}),
        }


def _consolidate(
    root, files, table, contributor, dry_run, received, rejects_dir, date_order, progress,
    *, sheet=None,
) -> Result:  # fmt: skip
    received = received or datetime.datetime.now(datetime.UTC).date().isoformat()
    say = progress or (lambda _msg: None)
    prepared_files = _prepare_all(files, table, date_order, say, sheet)
    outcomes, rows_of = _row_outcomes(prepared_files)
    candidates: dict[str, list[Candidate]] = defaultdict(list)
    staged: dict[str, str] = {}
    new_columns: dict[str, list[str]] = {}
    problems: dict[str, list[tuple[str, str]]] = {}
    tables = {p.outcome.table for p in prepared_files if p.schema}
    names = _dependency_order(t for t in tables if t is not None)
    for name in names:
        merged = _merge_table(root, name, prepared_files, rows_of, outcomes, candidates, staged)
        if merged.text is not None:
            staged[name] = merged.text
        if merged.new_columns:
            new_columns[name] = merged.new_columns
        problems[name] = merged.problems
    for outcome in outcomes:  # files whose table could not be recognised
        if not outcome.status:
            prepared = prepared_files[outcome.file_index]
            outcome.status = "rejected"
            outcome.reasons = list(prepared.outcome.file_errors) or [
                Said("fichier rejeté", "file rejected")
            ]
    for outcome in outcomes:
        prepared_files[outcome.file_index].outcome.counts[outcome.status] += 1
    _hidden_published(prepared_files, outcomes)
    _surface_warnings(prepared_files, outcomes)
    result = Result([p.outcome for p in prepared_files], outcomes, dry_run)
    result.new_columns = new_columns
    _refuse_invalid(root, staged, problems, names, result)
    if dry_run:
        return result
    sha_of = {p.outcome.path: p.outcome.sha256 for p in prepared_files}
    private = _private_records(
        root, prepared_files, outcomes, result, rejects_dir, contributor, received
    )
    _commit(root, staged, candidates, outcomes, sha_of, received, result, private)
    return result


def _prepare_all(
    files: Sequence[str | Path],
    table: str | None,
    date_order: str | None,
    say: Callable,
    sheet: str | None = None,
) -> list[_Prepared]:
    prepared_files = []
    held = _Held(current())
    for f in files:
        prepared = _prepare(Path(f), table, date_order, sheet, held)
        prepared_files.append(prepared)
        o = prepared.outcome
        say(
            f"{o.path} : {o.rows_in} ligne(s), table {o.table or '?'}, "
            f"{len(o.fixes)} correction(s) de forme"
        )
    return prepared_files


def _row_outcomes(prepared_files: list[_Prepared]) -> tuple[list[RowOutcome], list[list[int]]]:
    """One outcome per row received, and per file the indexes of its rows in that list."""
    outcomes: list[RowOutcome] = []
    rows_of: list[list[int]] = []
    for fi, prepared in enumerate(prepared_files):
        o = prepared.outcome
        projected = dict(prepared.projected)
        refs = []
        for number, _cells in prepared.original:
            key = prepared.key_text(projected.get(number))
            outcome = RowOutcome(o.path, number, o.table or "?", key, "")
            outcome.file_index = fi
            refs.append(len(outcomes))
            outcomes.append(outcome)
        rows_of.append(refs)
    return outcomes, rows_of


@dataclass
class _Merged:
    """One table as the batch leaves it."""

    text: str | None = None
    """Its new CSV text; None when the published file stays as it is."""
    new_columns: list[str] = field(default_factory=list)
    """The schema's columns the published file lacked (added, even if no row changes:
    ``release`` refuses a table without them and says to consolidate)."""
    problems: list[tuple[str, str]] = field(default_factory=list)
    """(code, text) of each error of the merged table that no row of the batch explains."""


def _merge_table(root, name, prepared_files, rows_of, outcomes, candidates, staged) -> _Merged:
    """Check the files of table ``name``, merge their accepted rows, record each fate."""
    members = [fi for fi, p in enumerate(prepared_files) if p.schema and p.outcome.table == name]
    schema = schemas.load_schema(name)
    published = canonical.read_table(paths.dataset_path(name))
    table = _aligned(published, schema)
    with _view(root, staged):
        for fi in members:
            _check(prepared_files[fi], table)
    rejected: list[Candidate] = []
    identity = canonical.row_identity(schema)
    for fi in members:
        _sort_rows(prepared_files[fi], rows_of[fi], identity, outcomes, candidates[name], rejected)
    candidates[name] = _unrejected(candidates[name], rejected, outcomes)
    new_columns = [h for h in table.header if h not in published.header]
    merged = _merge_valid(
        root, name, schema, table, candidates[name], outcomes, staged, reshaped=bool(new_columns)
    )
    merged.new_columns = new_columns
    return merged


def _sort_rows(
    prepared: _Prepared, refs: list[int], identity: list[str], outcomes: list[RowOutcome],
    accepted: list[Candidate], rejected: list[Candidate],
) -> None:  # fmt: skip
    """A file's rows to ``accepted`` (merged next) or, with their reasons, ``rejected``: a
    function of its own, so that its index of the file's rows is gone before the merge."""
    projected = dict(prepared.projected)
    for ref, (number, _cells) in zip(refs, prepared.original, strict=True):
        reasons = list(prepared.outcome.file_errors) + prepared.reasons.get(number, [])
        values = projected.get(number)
        row = Candidate(ref, _key_of(identity, values), values) if values is not None else None
        if reasons:
            outcomes[ref].status, outcomes[ref].reasons = "rejected", reasons
            rejected += [row] if row is not None else []
            continue
        assert row is not None
        accepted.append(row)


def _unrejected(
    cands: list[Candidate], rejected: list[Candidate], outcomes: list[RowOutcome]
) -> list[Candidate]:
    """``cands`` but those whose key a rejected row of the batch has with other values:
    two rows of one key with other values are in conflict, none applied, whether or not
    one of them is also wrong (sweep 8: the valid one of the two was added, the one the
    contributor may have meant being rejected)."""
    by_key: dict[canonical.Key, list[Candidate]] = defaultdict(list)
    for row in rejected:
        by_key[row.key].append(row)
    kept = []
    for cand in cands:
        others = [r for r in by_key.get(cand.key, []) if r.values != cand.values]
        if not others:
            kept.append(cand)
            continue
        where = [(Path(outcomes[r.ref].file).name, outcomes[r.ref].row) for r in others]
        fr = ", ".join(f"{name} ligne {row}" for name, row in where)
        en = ", ".join(f"{name} line {row}" for name, row in where)
        outcome = outcomes[cand.ref]
        outcome.status = "conflicting"
        outcome.reasons = [
            Said(
                f"même clé, autres valeurs qu'une ligne rejetée : {fr}",
                f"same key, other values than a rejected row: {en}",
            )
        ]
    return kept


MERGE_PASSES = 4
"""How many times a table is merged: again without the rows its errors blamed, until none
is (the first pass rejects every row an error names; the next ones, what their absence
uncovers, such as a row of the batch that referred to a rejected one)."""

COLLISION_CODES = {"unique-error", "primary-key", "primary-key-error", "unique-key"}
"""Errors of a value met twice: the validator flags the later line and names the first.
(A ``uniqueKeys`` combination too: which row brings it is known only once merged, as for
a ``unique`` column, so the contribution's own check leaves it to the merged table.)"""


def _merge_valid(root, name, schema, table, cands, outcomes, staged, *, reshaped) -> _Merged:
    """Merge ``cands`` into ``table``, validate the result, record each row's fate.

    A contribution's rows are validated one file at a time; what they become once merged
    (a value of a ``unique`` column already published, a key published under another
    spelling…) shows only in the merged table. Each of its errors is traced back to the row
    of the batch that wrote its line (:attr:`Fate.position`): that row is rejected, not the
    batch, and the table merged again without it. Errors that no row of the batch explains
    are returned: they refuse the batch, so ``datasets/`` never holds a table that
    ``moisinno validate`` or ``moisinno release`` would refuse.
    """
    form, same, spell = typed_key(schema), typed_same(schema), typed_spelling(schema)
    active, attempt = list(cands), 0
    while True:
        attempt += 1
        absent = canonical.no_value_cells(schema)
        rows, fate = merge(table, active, form, same, absent, spell)
        _record_fates(active, fate, outcomes)
        if not reshaped and not any(f.status in ("added", "updated") for f in fate.values()):
            return _Merged()
        text = canonical.to_csv_text(table.header, rows)
        with _view(root, {**staged, name: text}):
            errors = _validate(text, name).errors
        blamed, problems = _blame(errors, _Lines(table, rows, fate, outcomes, schema))
        if blamed and attempt == MERGE_PASSES:  # still more to blame: give up, say which rows
            where = {ref: outcomes[ref] for ref in blamed}
            problems += [
                (
                    "",
                    Said(
                        f"{Path(o.file).name} ligne {o.row} (clé {o.key}) : {blamed[ref][0]}",
                        f"{Path(o.file).name} line {o.row} (key {o.key}): "
                        + said_in(blamed[ref][0], "en"),
                    ),
                )
                for ref, o in where.items()
            ]
        if not blamed or attempt == MERGE_PASSES:
            return _Merged(text, problems=problems)
        for cand in active:  # a blamed row, and its identical repeats
            first = fate[cand.ref].first
            why = blamed.get(cand.ref) or (blamed.get(first) if first is not None else None)
            if why:
                outcomes[cand.ref].status, outcomes[cand.ref].reasons = "rejected", list(why)
                outcomes[cand.ref].changes = {}
        active = [c for c in active if outcomes[c.ref].status != "rejected"]


def _record_fates(cands: Sequence[Candidate], fate: dict[int, Fate], outcomes) -> None:
    """Each merged candidate's status, changes and reasons in its row outcome."""
    for cand in cands:
        status, changed, first, _position = fate[cand.ref]
        outcome = outcomes[cand.ref]
        outcome.status, outcome.changes, outcome.reasons = status, changed, []
        if status == "conflicting":
            others = [
                (Path(outcomes[c.ref].file).name, outcomes[c.ref].row)
                for c in cands
                if c.key == cand.key and c.ref != cand.ref
            ]
            fr = ", ".join(f"{name} ligne {row}" for name, row in others)
            en = ", ".join(f"{name} line {row}" for name, row in others)
            outcome.reasons = [
                Said(f"même clé, autres valeurs : {fr}", f"same key, other values: {en}")
            ]
        elif first is not None:
            name, row = Path(outcomes[first].file).name, outcomes[first].row
            outcome.reasons = [
                Said(
                    f"doublon identique de {name} ligne {row}",
                    f"identical duplicate of {name} line {row}",
                )
            ]


@dataclass
class _Lines:
    """A merged table's lines and, for those a row of the batch wrote, which row."""

    table: canonical.CsvTable
    rows: list[list[str]]
    fate: dict[int, Fate]
    outcomes: list[RowOutcome]
    schema: SchemaDescriptor

    def __post_init__(self) -> None:
        self.source = {f.position: ref for ref, f in self.fate.items() if f.position is not None}

    @cached_property
    def names(self) -> RowNames:
        """How its lines are named: ranked among them all in a table without a key."""
        return RowNames.of_schema(self.schema, [self.table.key_of(r) for r in self.rows])

    def key(self, index: int) -> str:
        return self.names.record(self.table.key_of(self.rows[index]))

    def brings(self, index: int, name: str | list[str] | None) -> bool:
        """Whether line ``index`` holds the batch's value of field ``name`` (or of one of
        the fields of a ``uniqueKeys`` combination), not the published one: an added row,
        or an update that changed that field."""
        ref = self.source.get(index)
        names = name if isinstance(name, list) else [name]
        return ref is not None and (
            self.fate[ref].status == "added" or any(n in self.fate[ref].changed for n in names)
        )

    def collision(self, finding: Any, other: int) -> Said:
        """Why a line is blamed for the value that line ``other`` has too, naming who has
        it there: a row of the batch, or the published row (by key and line)."""
        key = self.key(other)
        if self.brings(other, _collided(finding)):
            o = self.outcomes[self.source[other]]
            where = f"aussi donnée à la clé {key} par {Path(o.file).name} ligne {o.row}"
            where_en = f"also given to key {key} by {Path(o.file).name} line {o.row}"
        else:
            where = f"déjà publiée pour la clé {key} (ligne {other + 2} du fichier publié)"
            where_en = f"already published for key {key} (line {other + 2} of the published file)"
        field, value = finding.field, finding.value
        return Said(
            f"{field} : la valeur « {value} » est {where} ; elle doit être unique",
            f"{field}: the value “{value}” is {where_en}; it must be unique",
        )


def _collided(finding: Any) -> str | list[str] | None:
    """The field whose value a finding met twice, or the fields of its combination."""
    return (getattr(finding, "params", None) or {}).get("fields") or getattr(finding, "field", None)


def _blame(
    errors: Sequence[Any], lines: _Lines
) -> tuple[dict[int, list[str]], list[tuple[str, str]]]:
    """The errors of a merged table, each traced to the row of the batch that wrote its
    line (ref → reasons), and those no row of the batch wrote (code, text).

    A value met twice in a ``unique`` column (or the key) is flagged on its later line,
    the first one named: whichever of the two brought the value in this batch is blamed —
    an added row reusing a published value, an update giving a row the value of another —
    and both if both did, as two rows of one key with other values are.
    """
    blamed: dict[int, list[str]] = defaultdict(list)
    problems: list[tuple[str, str]] = []
    size = len(lines.rows)
    for finding in errors:
        row = getattr(finding, "row", None)
        index = row - 2 if isinstance(row, int) and 2 <= row < size + 2 else None
        first = (getattr(finding, "params", None) or {}).get("first_row")
        name = _collided(finding)
        reasons: list[tuple[int, str]] = []
        if index is not None and finding.code in COLLISION_CODES and isinstance(first, int):
            pair = [(index, first - 2), (first - 2, index)] if 2 <= first < size + 2 else []
            reasons = [(i, lines.collision(finding, o)) for i, o in pair if lines.brings(i, name)]
        elif index in lines.source:
            reasons = [(index, _finding_text(finding))]
        for i, why in reasons:
            if why not in blamed[lines.source[i]]:
                blamed[lines.source[i]].append(why)
        if not reasons:
            problems.append((finding.code, _merged_line_text(finding, lines, index)))
    return dict(blamed), problems


def _merged_line_text(finding: Any, lines: _Lines, index: int | None) -> Said:
    """An error of the merged table that no row of the batch explains, placed by its key:
    its line number is one of the merged table, not of any file received."""
    said = _finding_text(finding)
    if index is None:
        return said
    key, line, field = lines.key(index), index + 2, getattr(finding, "field", None)
    column, column_en = (f", colonne {field}", f", column {field}") if field else ("", "")
    return Said(
        f"la ligne publiée de clé {key} (ligne {line} du fichier publié{column}) : {said}",
        lambda: (
            f"the published row of key {key} (line {line} of the published file"
            f"{column_en}): {said.en}"
        ),
    )


def _refuse_invalid(
    root: Path, staged: dict[str, str], problems: dict[str, list[tuple[str, str]]],
    order: Sequence[str], result: Result,
) -> None:  # fmt: skip
    """Refuse the batch (nothing is written) if a table it would write does not validate.

    Each table was validated as merged (:func:`_merge_valid`), with the tables merged before
    it in view; one that refers to a table merged after it (a cycle of references) is
    validated again here, with the whole batch in view.
    """
    found = {name: list(problems.get(name, [])) for name in order}
    with _view(root, staged):
        for i, name in enumerate(order):
            later = {n for n in order[i + 1 :] if n in staged}
            if name in staged and _referenced(name) & later:
                for f in _validate(staged[name], name).errors:
                    said = _finding_text(f)
                    text = Said(
                        f"ligne {f.row} de la table fusionnée : {said}",
                        f"line {f.row} of the merged table: {said.en}",
                    )
                    found[name].append((f.code, text))
    lines = [_unexplained(name, errs) for name, errs in found.items() if errs]
    if lines:
        raise ConsolidationRefused(
            "Consolidation refusée, rien n'a été écrit : "
            + " ; ".join(line.rstrip(".") for line in lines)
            + ".",
            result=result,
            en="Consolidation refused, nothing was written: "
            + "; ".join(said_in(line, "en").rstrip(".") for line in lines)
            + ".",
        )


def _unexplained(name: str, errors: list[tuple[str, str]]) -> Said:
    """The errors a merged table would have that no row received explains."""
    codes = sorted({code for code, _ in errors if code})
    listed = f" ({', '.join(codes)})" if codes else ""
    first = errors[0][1]
    return Said(
        f"la table {name} aurait {len(errors)} erreur(s) qu'aucune ligne reçue n'explique"
        f"{listed}, dont {first}",
        f"table {name} would have {len(errors)} error(s) that no row received explains"
        f"{listed}, among them {said_in(first, 'en')}",
    )


def _commit(root, staged, candidates, outcomes, sha_of, received, result: Result, private) -> None:
    """Write the merged tables, their provenance, datapackage.json and the ``private``
    records in one transaction: no published row without its journal entry."""
    txn = transaction.Transaction(root)
    for name in staged:
        txn.write(paths.dataset_path(name), staged[name])
        result.written.append(str(paths.dataset_path(name)))
        prov_path = root / "provenance" / f"{name}.csv"
        old = canonical.read_table(prov_path)
        new_lines = []
        for cand in candidates[name]:
            o = outcomes[cand.ref]
            if o.status in ("added", "updated"):
                action = "ajout" if o.status == "added" else "modification"
                new_lines.append([o.key, action, sha_of[o.file], str(o.row), received])
        if new_lines:  # none when only new schema columns were added
            prov_rows = (old.rows if old.header else []) + new_lines
            txn.write(prov_path, canonical.to_csv_text(PROVENANCE_HEADER, prov_rows))
            result.written.append(str(prov_path))
    if staged:
        _stage_descriptor(root, txn)
        result.written.append(str(root / "datapackage.json"))
    for path, text in private.items():
        txn.write(path, text)
    try:
        txn.commit()
    except BaseException:
        txn.discard()
        raise


def _stage_descriptor(root: Path, txn: transaction.Transaction) -> None:
    """datapackage.json's facts (bytes, hash, count) as they will be once the CSVs are in."""
    import json

    descriptor = package.read(root)
    staged_files = {str(target): tmp for tmp, target in txn.files}
    for resource in descriptor.get("resources", []):
        target = str(root / resource["path"])
        if target in staged_files:
            facts = package.file_facts(staged_files[target])
            resource.update(
                {"bytes": facts["bytes"], "hash": facts["hash"], "count": facts["count"]}
            )
    txn.write(
        root / "datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    )


def _private_records(
    root, prepared_files, outcomes, result, rejects_dir, contributor, received
) -> dict[Path, str]:
    """Rejects files and the journal (path → text), written for a spreadsheet."""
    records: dict[Path, str] = {}
    private = root / "prive"
    for fi, prepared in enumerate(prepared_files):
        o = prepared.outcome
        rejected = {
            r.row: r.reasons
            for r in outcomes
            if r.file_index == fi and r.status in ("rejected", "conflicting")
        }
        if rejected:
            folder = Path(rejects_dir) if rejects_dir else private / "rejets"
            target = folder / f"{Path(o.path).stem}-{o.sha256[:8]}-rejets.csv"
            records[target] = _rejects_text(prepared, rejected)
            o.rejects_path = str(target)
            result.written.append(str(target))
    journal_path = private / "journal.csv"
    journal = canonical.read_table(journal_path)
    lines = journal.rows if journal.header else []
    for o in result.files:
        c = o.counts
        lines.append(
            [received, contributor or "", Path(o.path).name, o.sha256, o.table or ""]
            + [str(o.rows_in)]
            + [str(c[s]) for s in STATUSES]
        )
    records[journal_path] = spreadsheet.to_csv_text(JOURNAL_HEADER, lines)
    return records


def _shown(path: str) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path


def describe(result: Result, *, max_rows: int = 50, lang: str = "fr") -> str:
    """The terminal summary: per file, its counts and each row that is not unchanged, in
    ``lang`` (its reasons too; the rejects file and the JSON keep them in French).

    At most ``max_rows`` rows are detailed per file (all of them are in ``--format json``
    and, for rejected ones, in the rejects file).
    """
    said = SAID["en" if lang == "en" else "fr"]
    labels = LABELS_EN if lang == "en" else LABELS
    out = []
    for fi, f in enumerate(result.files):
        counts = ", ".join(f"{f.counts[s]} {labels[s]}" for s in STATUSES)
        table, path = f.table or "?", _shown(f.path)
        out.append(
            said["file"].format(
                path=path, table=table, sha=f.sha256[:12], rows=f.rows_in, counts=counts
            )
        )
        if f.detected.get("sheet_ignored"):  # --sheet, given for workbooks, and a CSV
            from moisinno_data.report.labels import word

            out.append("  " + word("sheet_ignored", lang, sheet=f.detected["sheet_ignored"]))
        if f.blank_rows:
            out.append(said["blank"].format(n=f.blank_rows))
        if f.ignored_columns:
            ignored = ", ".join(said_in(c, lang) for c in f.ignored_columns)
            out.append(said["ignored"].format(columns=ignored))
        if f.fixes:
            out.append(said["fixes"].format(n=len(f.fixes), path=path))
        out.extend(said["refused"].format(why=said_in(err, lang)) for err in f.file_errors)
        if f.unread_sheets:
            out.append(said["unread"].format(why=said_in(f.unread_sheets.said(), lang)))
        if f.hidden_cells:
            out.append(said["hidden"].format(why=said_in(f.hidden_cells.said(), lang)))
        if f.warnings:
            kinds = ", ".join(f"{code} ×{n}" for code, n in f.warnings.items())
            n = sum(f.warnings.values())
            out.append(said["warnings"].format(n=n, kinds=kinds, path=path))
            out.extend(said["warning"].format(why=said_in(w, lang)) for w in f.warnings_listed)
        rows = [
            r
            for r in result.rows
            if r.file_index == fi and not (r.status == "unchanged" and not r.reasons)
        ]
        out.extend(_row_line(r, said, lang) for r in rows[:max_rows])
        if len(rows) > max_rows:
            out.append(said["more"].format(n=len(rows) - max_rows))
        if f.rejects_path:
            out.append(said["rejects"].format(path=_shown(f.rejects_path)))
    for name, columns in result.new_columns.items():
        out.append(said["new_columns"].format(table=name, columns=", ".join(columns)))
    if result.dry_run:
        out.append(said["dry_run"])
    out.append(result.conservation_line(lang))
    return "\n".join(visible(line) for line in out)  # cells may hold escapes


def _row_line(r: RowOutcome, said: dict[str, str], lang: str) -> str:
    """One row of :func:`describe`: added, updated (with its changes), or why not."""
    key = r.key or said["no_key"]
    if r.status == "updated":
        detail = "; ".join(
            said["change"].format(field=k, before=a, after=b) for k, (a, b) in r.changes.items()
        )
        return said["updated"].format(row=r.row, key=key, detail=detail)
    why = "; ".join(said_in(reason, lang) for reason in r.reasons)
    return said[r.status].format(row=r.row, key=key, why=why)
