"""Fix never makes a cell or the file worse than it received them.

Each rule of ``fix`` rewrites a cell towards the canonical form (spaces trimmed, a lost
zero restored, a decimal point…), and is right for the cell alone. Alone, it can still
make a valid file invalid (sweep 10): ``353226361 `` trimmed is the primary key of the
row above; ``NA `` trimmed is a missing value in a required field; ``Ay `` trimmed is too
short for ``minLength: 3``. So once a block of rows is fixed, :class:`Guard` checks each
changed cell as validate checks it (:meth:`FieldChecker.refusals`), and each key the
schema declares (primary key, unique fields, ``uniqueKeys``) as validate keys it (the
typed keys of :meth:`FieldChecker.check`, :func:`keys.joined_keys`, a
:class:`keys.DuplicateTracker` per key): a change that makes a cell refused where the
value received was accepted, or that gives a row the key of another, is undone
(:class:`Undo`); ``fix`` keeps the cell as it was and lists it as a value to check.

The keys of the whole file are known before the first row is fixed (:meth:`Guard.remember`,
on the first reading): a change is checked against the keys received in every row and
the keys written in the rows before, 12 bytes a key, however long the file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from moisinno_data.errors import ConfigError
from moisinno_data.package import french
from moisinno_data.package.canonical import missing_values
from moisinno_data.package.datapackage import key_fields, unique_combinations
from moisinno_data.package.descriptors import SchemaDescriptor
from moisinno_data.package.text import NO_VALUE
from moisinno_data.validation.cells import FieldChecker
from moisinno_data.validation.keys import DuplicateTracker, blank_keys, joined_keys

Message = tuple[str, str]

BLOCK = 2048
"""Rows checked at once: a polars call per key column and block, not per row."""

REFUSED: dict[str, Message] = {
    "required": (
        "il serait une valeur manquante, et le champ est obligatoire",
        "it would be a missing value, and the field is required",
    ),
    "type": ("il ne serait pas du type {type}", "it would not be of type {type}"),
}
"""Why the field would refuse the value fixed, by what the engine reports; any other
constraint is named (:func:`_refused`)."""


@dataclass(frozen=True)
class Undo:
    """A change not to make: the cell at ``index`` (in the block) and ``position`` keeps
    its value received, for ``reason`` (the end of a sentence, in French and English)."""

    index: int
    position: int
    rule: str
    reason: Message


def declared_keys(schema: SchemaDescriptor) -> list[tuple[list[str], bool]]:
    """Each key validate checks, as (fields, ``any_one``): a unique field, the primary
    key (no key where all its cells are missing: validate says that apart), and each
    ``uniqueKeys`` combination (no key where one cell is missing)."""
    fields = [f for f in schema.get("fields", []) if isinstance(f, Mapping) and "name" in f]
    keys = [([f["name"]], True) for f in fields if (f.get("constraints") or {}).get("unique")]
    pk = key_fields(schema.get("primaryKey"))
    if pk:
        keys.append((pk, False))
    return keys + [(fields, True) for fields in unique_combinations(schema)]


def _refused(checker: FieldChecker, what: list[str]) -> Message:
    """Why ``checker``'s field would refuse a value, in words."""
    name = what[0]
    if name in REFUSED:
        fr, en = REFUSED[name]
        return fr.format(type=checker.type), en.format(type=checker.type)
    return (
        f"il ne respecterait pas la contrainte {name} du schéma",
        f"it would break the schema's {name} constraint",
    )


class Guard:
    """The checks of :mod:`no_worse` for one file: its fields' checkers, and a tracker of
    the keys received and written for each key the schema declares whose columns are
    all read (``mapping``: position → field)."""

    def __init__(self, schema: SchemaDescriptor, mapping: Mapping[int, str]) -> None:
        self.positions = {name: i for i, name in mapping.items()}
        self.checkers = _checkers(schema, self.positions)
        self.keys = [
            (fields, any_one, DuplicateTracker())
            for fields, any_one in declared_keys(schema)
            if all(self.positions.get(f) in self.checkers for f in fields)
        ]
        self.watched = {p for p, c in self.checkers.items() if _can_refuse(c)} | {
            self.positions[f] for fields, _any, _tracker in self.keys for f in fields
        }
        """The columns whose changes are checked: a text field without constraints takes
        any value, and is no key."""

    def remember(self, rows: Sequence[tuple[int, Sequence[str]]]) -> None:
        """The keys of rows as received (the first reading): a change must not give a row
        the key of any of them. Their own repeats are validate's to report."""
        if not rows or not self.keys:
            return
        numbers = np.array([n for n, _ in rows], dtype=np.int64)
        cells = [c for _, c in rows]
        for fields, any_one, tracker in self.keys:
            tracker.check_arrays(self._keyed(fields, any_one, cells), numbers)

    def undo(
        self, numbers: Sequence[int], received: Sequence[Sequence[str]], fixed: list[list[str]]
    ) -> list[Undo]:
        """The changes of a block of rows (their numbers, cells received, cells fixed) that
        would make it worse; ``fixed`` gets their cells received back."""
        changed = {
            p: [i for i, row in enumerate(fixed) if _cell(row, p) != _cell(received[i], p)]
            for p in self.watched
        }
        undone = self._cells(changed, received, fixed)
        if self.keys:
            undone += self._keys(changed, numbers, received, fixed)
        return undone

    def _cells(
        self, changed: dict[int, list[int]], received: Sequence[Sequence[str]], fixed
    ) -> list[Undo]:
        """A changed cell (``changed``: position → rows) the field refuses where it
        accepted the value received (:func:`_received_well`)."""
        undone = []
        for p, rows in changed.items():
            checker = self.checkers[p]
            if not rows or not _can_refuse(checker):
                continue
            refused = _refused_rows(checker, [fixed[i][p] for i in rows])
            if not refused:
                continue
            rows = [rows[k] for k in refused]
            after = checker.refusals([fixed[i][p] for i in rows])
            before = checker.refusals([received[i][p] for i in rows])
            for i, what, was in zip(rows, after, before, strict=True):
                if what and not was and _received_well(received[i][p]):
                    fixed[i][p] = received[i][p]
                    undone.append(Undo(i, p, "correction-refusee", _refused(checker, what)))
        return undone

    def _keys(
        self,
        changed: dict[int, list[int]],
        numbers: Sequence[int],
        received: Sequence[Sequence[str]],
        fixed: list[list[str]],
    ) -> list[Undo]:
        """A change that gives a row the key of another: one received (any row) or one
        written before. The other keys of such a row that share a cell with it keep their
        cells received too (:func:`_spread`): a key half fixed was not checked."""
        undone: list[Undo] = []
        for fields, any_one, tracker in self.keys:
            at = [self.positions[f] for f in fields]
            rows = sorted(
                {i for p in at for i in changed[p] if _cell(fixed[i], p) != _cell(received[i], p)}
            )
            if not rows:
                continue
            new = self._keyed(fields, any_one, [fixed[i] for i in rows])
            old = self._keyed(fields, any_one, [received[i] for i in rows])
            moved = (new.is_not_null() & (new != old).fill_null(True)).to_numpy()
            picked = [i for i, m in zip(rows, moved, strict=True) if m]
            if not picked:
                continue
            repeated, first = tracker.check_arrays(
                new.filter(pl.Series(moved)), np.array([numbers[i] for i in picked])
            )
            where = {numbers[i]: i for i in picked}
            for n, row in zip(repeated.tolist(), first.tolist(), strict=True):
                reason = _duplicate(fields, row)
                for p in at:
                    if _cell(fixed[where[n]], p) != _cell(received[where[n]], p):
                        fixed[where[n]][p] = received[where[n]][p]
                        undone.append(Undo(where[n], p, "correction-doublon", reason))
        return undone + self._spread(undone, received, fixed)

    def _spread(self, undone: list[Undo], received, fixed) -> list[Undo]:
        """Each key holding a cell given back its value received gets all its cells
        received back, until none changes."""
        more: list[Undo] = []
        todo = list(undone)
        while todo:
            u = todo.pop()
            for fields, _any_one, _tracker in self.keys:
                at = [self.positions[f] for f in fields]
                if u.position not in at:
                    continue
                for p in at:
                    if _cell(fixed[u.index], p) != _cell(received[u.index], p):
                        fixed[u.index][p] = received[u.index][p]
                        todo.append(Undo(u.index, p, u.rule, u.reason))
                        more.append(todo[-1])
        return more

    def _keyed(self, fields: list[str], any_one: bool, rows: Sequence[Sequence[str]]) -> pl.Series:
        """The key of each row as validate computes it (null where it checks none)."""
        keys = []
        for name in fields:
            p = self.positions[name]
            column = pl.Series([_cell(row, p) for row in rows], dtype=pl.String)
            key = self.checkers[p].check(column, want_key=True).key
            assert key is not None  # asked for
            keys.append(key)
        return joined_keys(keys, blank_keys(keys, any_one=any_one))


def _checkers(schema: SchemaDescriptor, positions: Mapping[str, int]) -> dict[int, FieldChecker]:
    """The engine's checker of each field read (by position); a field of a primary key
    of its own is required (validate says a row without it is an error). A field the
    engine cannot check (a pattern it cannot run in linear time…) has none: validate
    says why, fix leaves it unguarded rather than fail."""
    pk = key_fields(schema.get("primaryKey"))
    out = {}
    for f in schema.get("fields", []):
        if not isinstance(f, Mapping) or f.get("name") not in positions:
            continue
        if pk == [f["name"]]:
            f = {**f, "constraints": {**(f.get("constraints") or {}), "required": True}}
        with contextlib.suppress(ConfigError):
            out[positions[f["name"]]] = FieldChecker(dict(f), missing_values(schema, f["name"]))
    return out


def _can_refuse(checker: FieldChecker) -> bool:
    """Whether the field refuses some values: not a text one without constraints."""
    return (
        bool(checker.constraints)
        or checker.type not in ("string", "any")
        or (checker.format not in ("default", ""))
    )


def _received_well(value: str) -> bool:
    """Whether validate reports nothing else of a value its field accepts: a cell of
    spaces only is no value (validate warns of it in a required field: fix and
    consolidate read it empty), and a control character is validate's error, so
    trimming or removing them is no worse."""
    return bool(value.strip(french.SPACES)) and not NO_VALUE.search(value)


def _refused_rows(checker: FieldChecker, values: list[str]) -> list[int]:
    """Which ``values`` the engine reports, found as it finds them in a column (polars
    for the usual values, the reference reader for the others)."""
    result = checker.check(pl.Series(values, dtype=pl.String))
    masks = [mask for _name, mask in result.constraints]
    if result.type_error is not None:
        masks.append(result.type_error)
    if not masks:
        return []
    frame = pl.DataFrame({str(k): mask.fill_null(False) for k, mask in enumerate(masks)})
    return frame.select(pl.any_horizontal(pl.all())).to_series().arg_true().to_list()


def _cell(row: Sequence[str], p: int) -> str | None:
    """The text of cell ``p`` (a spreadsheet's typed cell as its text), None past the row."""
    return str(row[p]) if p < len(row) else None


def _duplicate(fields: list[str], row: int) -> Message:
    names = ", ".join(fields)
    return (
        f"la clé ({names}) serait celle de la ligne {row} : en double",
        f"the key ({names}) would be that of row {row}: a duplicate",
    )
