"""Put a contributed table into the published form, listing every change it makes.

Contributors send what their office software produces: Windows-1252, ``;``, ``dd/mm/yyyy``,
decimal commas, padded cells, headers with capitals and accents, department codes that
Excel stripped of their leading zero. The publisher needs the canonical form (UTF-8, ``,``,
``\\n``, ISO 8601, decimal point, schema names) *and* a list of what was changed, so that
nothing is altered behind anyone's back. A value that cannot be converted safely (an
ambiguous ``05/11/2020``, a two-digit year…) is left as it was and reported as a problem:
validation will then flag it and the contributor can say what was meant. So is a change
that would make the file worse (:mod:`.no_worse`: a value validate accepts made one it
refuses, a row given the key of another).

The core (:func:`fix_rows`) works on rows already read, so consolidation reuses it on the
rows it accepts; :func:`fix_file` reads a file with :mod:`moisinno_data.reading` and writes
the result to a *different* file.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from moisinno_data import fsutil
from moisinno_data.errors import COMMAND_LINE, Asker, InputError
from moisinno_data.package import french, notation, paris, spreadsheet
from moisinno_data.package.descriptors import FieldDescriptor, SchemaDescriptor
from moisinno_data.package.schema_check import with_categories
from moisinno_data.package.text import (
    NO_VALUE,
    blank_row,
    holds_value,
    in_lang,
    said_in,
    visible,
)
from moisinno_data.publishing.no_worse import BLOCK, Guard, Undo
from moisinno_data.reading import SPREADSHEET_FORMATS, Table, first_rows, read_rows
from moisinno_data.reading.budget import paced
from moisinno_data.reading.cells import (
    BooleanText,
    DayText,
    DurationText,
    FormulaError,
    MomentText,
    NumberText,
    PercentNumber,
    ShownNumber,
    duration_seconds,
)
from moisinno_data.reading.hidden import HiddenCells
from moisinno_data.reading.marks import cut
from moisinno_data.reading.sheets import past_header
from moisinno_data.reading.sniff import EIGHT_BIT_NAME, mixed_lines
from moisinno_data.reading.xlsx import column_letter, column_runs
from moisinno_data.validation.other_sheets import UnreadSheets, unread_sheets
from moisinno_data.validation.resolution import (
    HEADER_SEARCH_ROWS,
    header_below,
    no_field_said,
    resolve_header,
)

Row = tuple[int, list[str]]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATE_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00(?::00(?:\.0+)?)?$")
_ISO_DATETIME_LOOSE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?$"
)
Message = tuple[str, str]
"""A rule's message: in French (the JSON's and the corrections' ``message``) and in English
(``--lang en``)."""


def _filled(message: Message, **values: object) -> Message:
    """Both sentences of ``message``, their placeholders filled in."""
    fr, en = message
    return fr.format(**values), en.format(**values)


PROBLEMS: dict[str, Message] = {
    "annee-a-deux-chiffres": (
        "année sur deux chiffres dans « {value} » : écrivez l'année complète ({form})",
        'two-digit year in "{value}": write the full year ({form})',
    ),
    "date-ambigue": (
        "date ambiguë « {value} » : jour/mois ou mois/jour ? Rien dans la colonne ne permet "
        "de trancher ; écrivez-la au format {form} (ou relancez avec --ordre-dates jma)",
        'ambiguous date "{value}": day/month or month/day? Nothing in the column settles it; '
        "write it as {form} (or run again with --date-order dmy)",
    ),
    "date-impossible": (
        "« {value} » n'est pas une date du calendrier",
        '"{value}" is not a date of the calendar',
    ),
    "heure-impossible": ("heure invalide : {value}", "invalid time: {value}"),
}
"""What a date that cannot be converted safely asks for; ``{form}`` is the form the field
wants (:data:`ISO_FORM`, or its own pattern's)."""
ISO_FORM = ("AAAA-MM-JJ", "YYYY-MM-DD")
_SERIAL = re.compile(r"[1-9]\d{4}(?:\.\d+)?")
"""A date's number in a spreadsheet (``45615``: 19/11/2024; 10000 to 99999, 1927 to 2173)."""
_EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIAL = (
    "« {value} » : numéro de série de date Excel ? (ce serait le {day}) ; la date n'est "
    "pas devinée : écrivez la date elle-même, au format AAAA-MM-JJ",
    '"{value}": an Excel date serial number? (it would be {day}); the date is not '
    "guessed: write the date itself, as YYYY-MM-DD",
)
ISO_DATETIME_FORM = ("AAAA-MM-JJTHH:MM:SS", "YYYY-MM-DDTHH:MM:SS")
MISSING_TIME = (
    "« {value} » : ce champ attend une date et une heure ({form}) ; l'heure n'est pas inventée",
    '"{value}": this field expects a date and a time ({en_form}); the time is not made up',
)
FORMULA_ERROR_MESSAGE = (
    "le tableur affiche l'erreur d'une formule qu'il n'a pas pu calculer : corrigez la "
    "formule ou tapez la valeur elle-même",
    "the spreadsheet shows the error of a formula it could not compute: correct the "
    "formula or type the value itself",
)
FORMULA_NO_VALUE_MESSAGE = (
    "formule enregistrée sans sa valeur calculée (par un programme) : ouvrez le fichier "
    "dans le tableur et enregistrez-le, ou tapez la valeur elle-même",
    "formula saved without its computed value (by a program): open the file in the "
    "spreadsheet and save it, or type the value itself",
)
FORMULA_MESSAGE = (
    "« ' » ajouté devant : sans lui, un tableur lirait la cellule comme une formule "
    "(il ne l'affiche pas) ; consolidate ne publie pas une telle valeur : réécrivez-la",
    '"\'" added in front: without it, a spreadsheet would read the cell as a formula (it '
    "does not show it); consolidate does not publish such a value: rewrite it",
)
UNDONE_MESSAGE = (
    "« {value} » laissé tel quel : corrigé en « {after} » ({why}), {reason} ; vérifiez-le",
    '"{value}" left as it is: fixed into "{after}" ({why}), {reason}; check it',
)
"""A change not made because it would make the file worse (:mod:`.no_worse`): the value
received, what fix would have written, why it did not (the rules' messages), the guard's
reason."""
FORMULA_CHECK_MESSAGE = (
    "« {value} » commence comme une formule de tableur : consolidate ne la publiera pas "
    "(ni le « ' » ajouté devant) ; réécrivez-la sans « = », « + », « - » ou « @ » au début",
    '"{value}" starts like a spreadsheet formula: consolidate will not publish it (nor the '
    '"\'" added in front); rewrite it without "=", "+", "-" or "@" at the start',
)
NUMBER_MESSAGES: dict[str, Message] = {
    "virgule-decimale": (
        "virgule décimale remplacée par un point",
        "decimal comma replaced by a point",
    ),
    "separateur-milliers": ("séparateurs des milliers retirés", "thousands separators removed"),
    "entier": (
        "nombre entier écrit sous sa forme canonique (sans « .0 », « + » ni zéro initial)",
        'integer written in its canonical form (no ".0", "+" or leading zero)',
    ),
}


@dataclass(frozen=True)
class Change:
    """One cell (or header) changed: where, what it was, what it became, and why."""

    row: int
    """Spreadsheet row number in the contributed file (header = 1)."""
    column: int
    """1-based column position (A = 1)."""
    field: str
    before: str
    after: str
    rule: str
    message: str
    """Why, in French (the JSON's and the corrections' ``message``)."""
    en: str = ""
    """Why, in English (``--lang en``); not in the JSON."""
    last: int = 0
    """A change of a span of columns (``colonne-vide``): its last column (the JSON's
    ``last_column``); 0 for one cell or column."""

    def message_in(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.message

    def to_dict(self) -> dict[str, Any]:
        said = {
            "row": self.row,
            "column": self.column,
            "field": self.field,
            "before": self.before,
            "after": self.after,
            "rule": self.rule,
            "message": self.message,
        }
        return said | {"last_column": self.last} if self.last else said


@dataclass(frozen=True)
class Problem:
    """A value that was *not* changed because no safe conversion exists."""

    row: int
    column: int
    field: str
    value: str
    rule: str
    message: str
    """What to check, in French (the JSON's ``message``)."""
    en: str = ""
    """The same in English (``--lang en``); not in the JSON."""

    def message_in(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.message

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "field": self.field,
            "value": self.value,
            "rule": self.rule,
            "message": self.message,
        }


_Listed = TypeVar("_Listed", Change, Problem)


def _place(item: Change | Problem) -> tuple[int, int]:
    """Where a change or a value to check is, to list them in row order."""
    return item.row, item.column


KEEP_CHANGES = 100_000
"""Changes (and values to check) that :func:`fix_file` lists, at most; the others are
counted by rule. A 20 MB file where every cell changes made 7 million of them: 3 GB held,
a 487 MB list, 80 s."""


@dataclass
class FixResult:
    header: list[str]
    rows: list[Row]
    """The fixed rows (:func:`fix_rows`); :func:`fix_file` writes them instead, one at a
    time, and leaves this empty (``row_count`` says how many)."""
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    detected: dict[str, Any] = field(default_factory=dict)
    positions: dict[str, int] = field(default_factory=dict)
    """Field name → index of the column read for it (the shared header resolution: the
    first of two columns of the same name, as ``validate`` reads it)."""
    copies: dict[int, str] = field(default_factory=dict)
    """Index of each column naming again a field read in another one → that field
    (:attr:`~moisinno_data.validation.resolution.Resolution.copies`): kept, not read."""
    errors_left: int | None = None
    """Errors that validating the fixed table still finds (None: not validated)."""
    error_kinds: dict[str, int] = field(default_factory=dict)
    """Those errors by code."""
    row_count: int = 0
    """Data rows of the fixed table."""
    omitted_changes: dict[str, int] = field(default_factory=dict)
    """Changes past :data:`KEEP_CHANGES`, by rule: made, counted, not listed."""
    omitted_problems: dict[str, int] = field(default_factory=dict)
    """The same for the values to check."""
    header_row: int = 1
    """The file's row read as the header: below 1 when a title, notes or blank rows stood
    above it (they are left out of the fixed table, each listed as a change)."""
    unread_sheets: UnreadSheets = field(default_factory=UnreadSheets)
    """The workbook's other sheets holding the table too: not in the fixed file."""
    hidden_cells: HiddenCells = field(default_factory=HiddenCells)
    """The sheet's rows and columns hidden or filtered out, under the header: in the fixed
    file like the others (removing them could lose data), and said."""

    @property
    def change_count(self) -> int:
        return len(self.changes) + sum(self.omitted_changes.values())

    @property
    def problem_count(self) -> int:
        return len(self.problems) + sum(self.omitted_problems.values())

    def to_csv_text(self) -> str:
        return spreadsheet.to_csv_text(self.header, (cells for _, cells in self.rows))

    def to_dict(self) -> dict[str, Any]:
        return {
            "detected": self.detected,
            "header": self.header,
            "rows": self.row_count,
            "changes": [c.to_dict() for c in self.changes],
            "changes_omitted": self.omitted_changes,
            "problems": [p.to_dict() for p in self.problems],
            "problems_omitted": self.omitted_problems,
            "unknown_columns": self.unknown_columns,
            "errors_left": self.errors_left,
            "error_kinds": self.error_kinds,
            "unread_sheets": self.unread_sheets.params if self.unread_sheets else None,
            "hidden_cells": self.hidden_cells.params if self.hidden_cells else None,
        }


MEMO_ENTRIES = 50_000
"""Cells whose outcome :meth:`_Fixer.cell` remembers (a few hundred bytes each); emptied
when full, so that a column of distinct ids does not keep the repeated values out."""


def _texts(field: FieldDescriptor) -> frozenset[str] | None:
    """A field's ``enum`` as a set of its texts (only a text equals a cell), made once:
    searched as a list for each lost-zero candidate, a 36,000-code list cost 6 s per
    20,000 rows."""
    enum = (field.get("constraints") or {}).get("enum")
    return frozenset(v for v in enum if isinstance(v, str)) if isinstance(enum, list) else None


class _Fixer:
    def __init__(
        self, schema: SchemaDescriptor, date_order: str | None, keep: int | None = None
    ) -> None:
        # v2 categories as the enum they are, once (the validator reads them so too)
        self.fields = {f["name"]: with_categories(f) for f in schema.get("fields", [])}
        self.enum_texts = {name: _texts(f) for name, f in self.fields.items()}
        self.forced_order = date_order
        self.changes: list[Change] = []
        self.problems: list[Problem] = []
        self.keep = keep
        """Changes and problems listed at most (None: all); the others are counted."""
        self.omitted_changes: dict[str, int] = {}
        self.omitted_problems: dict[str, int] = {}
        self.memo: dict[tuple[str | None, str, str | None, type, int | None], tuple] = {}
        self.guard: Guard | None = None
        """The checks that undo a change making the file worse (:mod:`.no_worse`)."""

    def change(self, row, col, name, before, after, rule, message: Message):
        self.changes.append(Change(row, col, name, before, after, rule, *message))
        return after

    def problem(self, row, col, name, value, rule, message: Message):
        self.problems.append(Problem(row, col, name, value, rule, *message))

    def trim(self) -> None:
        """Past ``keep``, changes and problems are counted by rule, no longer listed."""
        keep = self.keep
        if keep is None:
            return
        for items, omitted in (
            (self.changes, self.omitted_changes),
            (self.problems, self.omitted_problems),
        ):
            if len(items) > keep:
                for item in items[keep:]:
                    omitted[item.rule] = omitted.get(item.rule, 0) + 1
                del items[keep:]

    def row(
        self, number: int, cells: Sequence[str], mapping: dict[int, str], orders: dict
    ) -> list[str]:
        """One row's cells fixed (``mapping``: position → field; ``orders``: each date
        column's order)."""
        return [
            self.cell(number, i + 1, mapping.get(i), value, orders.get(i))
            for i, value in enumerate(cells)
        ]

    def marks(self) -> tuple[int, int]:
        """Where the changes and problems listed next start."""
        return len(self.changes), len(self.problems)

    def block(
        self,
        rows: Sequence[Row],
        mapping: dict[int, str],
        fix_one: Callable[[int, list[str]], list[str]],
        since: tuple[int, int],
    ) -> list[list[str]]:
        """A block of rows fixed (``fix_one``: :meth:`row`, or a workbook's long row), then
        checked by the guard: a change that would make the file worse is undone and listed
        as a value to check. ``since``: the :meth:`marks` of the block's start (the blank
        rows left out of it were listed meanwhile): its listing is put back in row order."""
        fixed = [fix_one(number, cells) for number, cells in rows]
        if self.guard is not None and rows:
            numbers, received = [n for n, _ in rows], [cells for _, cells in rows]
            undone = self.guard.undo(numbers, received, fixed)
            if undone:
                self.undone(rows, undone, mapping, since)
        if self.keep is not None:
            self.trim()
        return fixed

    def undone(
        self, rows: Sequence[Row], undone: list[Undo], mapping: dict[int, str], since
    ) -> None:
        """The changes of the cells ``undone`` unlisted, each cell listed as a value to
        check instead, saying what fix would have written and why it did not (and the
        spreadsheet formula it may be, as :meth:`cell` lists it)."""
        at = {(rows[u.index][0], u.position + 1): u for u in undone}
        made = self.unlisted(set(at), since)
        for (row, col), u in at.items():
            value, name = rows[u.index][1][u.position], mapping.get(u.position, "")
            changes = [c for c in made.get((row, col), []) if c.rule != "formule"]
            after = changes[-1].after if changes else value
            fr, en = UNDONE_MESSAGE
            message = (
                fr.format(value=value, after=after, why=" ; ".join(c.message for c in changes),
                          reason=u.reason[0]),
                en.format(value=value, after=after, why="; ".join(c.en for c in changes),
                          reason=u.reason[1]),
            )  # fmt: skip
            self.problem(row, col, name, value, u.rule, message)
            self.formula(row, col, name, value)
        self.changes[since[0] :] = sorted(self.changes[since[0] :], key=_place)
        self.problems[since[1] :] = sorted(self.problems[since[1] :], key=_place)

    def unlisted(
        self, cells: set[tuple[int, int]], since: tuple[int, int]
    ) -> dict[tuple[int, int], list[Change]]:
        """The changes and problems listed ``since`` for ``cells`` (row, column) taken out
        of the lists; the changes returned, by cell."""
        made: dict[tuple[int, int], list[Change]] = {}
        kept: list[Change] = []
        for c in self.changes[since[0] :]:
            if (c.row, c.column) in cells:
                made.setdefault((c.row, c.column), []).append(c)
            else:
                kept.append(c)
        self.changes[since[0] :] = kept
        self.problems[since[1] :] = [
            p for p in self.problems[since[1] :] if (p.row, p.column) not in cells
        ]
        return made

    def formula(self, row: int, col: int, name: str | None, out: str) -> None:
        """A value a spreadsheet would read as a formula: the file holds it behind a
        ``'``, said like every other change, and a value to check: consolidate publishes
        neither it nor its ``'``."""
        written = spreadsheet.neutralise(out)
        if written != out:
            self.change(row, col, name or "", out, written, "formule", FORMULA_MESSAGE)
            message = _filled(FORMULA_CHECK_MESSAGE, value=out)
            self.problem(row, col, name or "", out, "formule", message)

    # one cell -----------------------------------------------------------------------------
    def cell(self, row: int, col: int, name: str | None, value: str, order: str | None) -> str:
        """Fix one cell; a (field, value) seen before replays its recorded outcome.

        Contributed columns repeat the same values (dates, codes, yes/no) thousands of
        times: the memo makes a 50,000-row file several times faster.
        """
        # a spreadsheet's typed cell is read apart; a duration by its seconds (02:30 is
        # 2 h 30 under [h]:mm, 150 s under [mm]:ss)
        kind = type(value)
        key = (name, value, order, kind, None if kind is str else duration_seconds(value))
        hit = self.memo.get(key)
        if hit is None:
            mark_c, mark_p = len(self.changes), len(self.problems)
            out = self._cell(row, col, name, value, order)
            self.formula(row, col, name, out)
            if len(self.memo) >= MEMO_ENTRIES:  # distinct ids fill it: start again
                self.memo.clear()
            self.memo[key] = (
                out,
                [
                    (c.field, c.before, c.after, c.rule, c.message, c.en)
                    for c in self.changes[mark_c:]
                ],
                [(p.field, p.value, p.rule, p.message, p.en) for p in self.problems[mark_p:]],
            )
            return out
        out, changes, problems = hit
        for f, before, after, rule, message, en in changes:
            self.changes.append(Change(row, col, f, before, after, rule, message, en))
        for f, val, rule, message, en in problems:
            self.problems.append(Problem(row, col, f, val, rule, message, en))
        return out

    def _cell(self, row: int, col: int, name: str | None, value: str, order: str | None) -> str:
        if isinstance(value, FormulaError):  # no value to fix: the spreadsheet computed none
            message = FORMULA_ERROR_MESSAGE if value else FORMULA_NO_VALUE_MESSAGE
            self.problem(row, col, name or "", value, "erreur-formule", message)
            return value
        if "\r" in value:
            value = self.change(
                row, col, name or "", value, value.replace("\r\n", "\n").replace("\r", "\n"),
                "fin-de-ligne",
                ("fins de ligne Windows remplacées par \\n", "Windows line ends replaced by \\n"),
            )  # fmt: skip
        if NO_VALUE.search(value):
            value = self.change(
                row, col, name or "", value, NO_VALUE.sub("", value), "controle",
                (
                    "caractères de contrôle invisibles retirés (NUL, ESC…)",
                    "invisible control characters removed (NUL, ESC…)",
                ),
            )  # fmt: skip
        stripped = value.strip(french.SPACES)
        if stripped != value:
            value = self.change(
                row,
                col,
                name or "",
                value,
                stripped,
                "espaces",
                ("espaces en début ou fin retirés", "leading or trailing spaces removed"),
            )
        if not value or name is None or name not in self.fields:
            return value
        spec = self.fields[name]
        kind = spec.get("type", "string")
        if french.digits_read(spec) is not None:
            value = self.digits(row, col, name, value, kind)
        if kind in ("number", "integer") and isinstance(value, PercentNumber):
            value = self.percent_cell(row, col, name, value, spec)
        if kind in ("time", "duration"):
            value = self.duration(row, col, name, value, spec)
        if _own_form(spec):  # the schema's own way to write them: the ISO form would break it
            value = self.own_form(row, col, name, value, spec, order)
            if kind == "datetime":
                return self.clock_change(row, col, name, value, str(spec.get("format")))
            return value
        if kind == "date":
            return self.date(row, col, name, value, order)
        if kind in ("datetime", "time"):
            value = self.end_of_day(row, col, name, value)
        if kind == "datetime":
            return self.datetime(row, col, name, value, order)
        if kind in ("number", "integer"):
            return self.number(row, col, name, value, kind)
        if kind == "boolean":
            return self.boolean(row, col, name, value, spec)
        if kind == "yearmonth":
            return self.yearmonth(row, col, name, value)
        if kind == "string":
            return self.code(row, col, name, self.typed_in_text(row, col, name, value), spec)
        return value

    def duration(self, row, col, name, value, spec) -> str:
        """A duration in a time or duration field written as the field reads it, as
        validate reads it (:func:`french.duration_in_field`): a spreadsheet's duration
        cell by the seconds it holds (``PT26H``; 2.5 hours shown ``2:30``, a time
        ``02:30:00``); typed text ``h:mm`` or ``h:mm:ss`` in a duration field in ISO 8601
        (:func:`french.read_clock_duration`, as validate's hint proposes it)."""
        kind, seconds = spec.get("type"), duration_seconds(value)
        if seconds is not None:
            written = french.duration_in_field(seconds, kind, spec.get("format"))
            message = DURATION_CELL_MESSAGE[kind]
        else:
            written = french.read_clock_duration(value) if kind == "duration" else None
            message = DURATION_TEXT_MESSAGE
        if written is None or written == value:
            return value
        return self.change(row, col, name, value, written, "duree", message)

    def own_form(self, row, col, name, value, spec, order) -> str:
        """A value in a field with its own way to write them (a date pattern, a decimal
        comma): a spreadsheet's date or number cell, or text written another way
        (``240.6``, ``2023-01-05``), written the schema's way, as validate's hints
        propose it; a value the field reads already is left as it is."""
        if isinstance(value, NumberText | DayText | MomentText):
            return self.typed_cell(row, col, name, value, spec)
        kind = spec.get("type")
        if kind in ("number", "integer"):
            return self.number_in_notation(row, col, name, value, spec)
        pattern = notation.moment_pattern(spec)
        if kind in ("date", "datetime") and pattern is not None:
            return self.moment_in_pattern(row, col, name, value, kind, pattern, order)
        return value

    def typed_cell(self, row, col, name, value, spec) -> str:
        """A spreadsheet's date or number cell written the schema's way: the cell is a
        date or a number, not text to read."""
        if isinstance(value, NumberText) and spec.get("type") == "integer":
            return self.unread_number(row, col, name, value, True, ambiguous=False)
        if isinstance(value, NumberText) and spec.get("type") == "number":
            written = notation.number_text(value, spec)
            if written == value:
                return value
            return self.change(
                row, col, name, value, written, "nombre-notation-schema",
                _filled(
                    (
                        "nombre du tableur écrit avec le séparateur décimal du schéma (« {c} »)",
                        "spreadsheet number written with the schema's decimal separator "
                        '("{c}")',
                    ),
                    c=notation.decimal_char(spec),
                ),
            )  # fmt: skip
        fmt = spec.get("format", "")
        if "%" not in fmt or not _moment_of_kind(value, spec.get("type")):
            return value
        exact = notation.exact_in_pattern(value, fmt)
        if exact is None:
            return self.lossy_moment(row, col, name, value, fmt, value)
        if exact == value:
            return value
        return self.change(
            row, col, name, value, exact, "date-format-schema",
            (
                f"date du tableur écrite au format du schéma ({fmt})",
                f"spreadsheet date written in the schema's format ({fmt})",
            ),
        )  # fmt: skip

    def lossy_moment(self, row, col, name, value, pattern, iso) -> str:
        """A date the field's own pattern cannot write whole (seconds, an offset): left
        as it is, a value to check: dropping part of it is the contributor's choice. A
        date of no calendar (``2023-02-30``) is left to validate."""
        if notation.read_iso(iso) is None:
            return value
        form = notation.moment_shape(pattern) or (pattern, pattern)
        message = _filled(LOSSY_PATTERN, value=value, form=form[0], en_form=form[1])
        self.problem(row, col, name, value, "date-format-perte", message)
        return value

    def number_in_notation(self, row, col, name, value, spec) -> str:
        """``240.6`` → ``240,6``, ``1 240,6`` → ``1240,6`` in a field with its own decimal
        or group separator: the number read as French office software writes it (or with
        a point), written with the field's separator. ``1.234``, a point or a thousands
        separator, is not guessed where the field's decimal separator is another one."""
        if notation.reads_as_number(value, spec):
            return value
        integer = spec.get("type") == "integer"
        reading = french.read_number(value, integer=integer)
        pointed = _POINT_NUMBER.fullmatch(value) and not french.point_or_thousands(value)
        if reading is None and (integer or not pointed):
            return self.unread_number(row, col, name, value, integer, ambiguous=True)
        canonical = reading.value if reading is not None else value
        written = canonical if integer else notation.number_text(canonical, spec)
        if written == value or not notation.reads_as_number(written, spec):
            return value
        if reading is not None and reading.rule != "virgule-decimale":
            return self.change(
                row, col, name, value, written, reading.rule, NUMBER_MESSAGES[reading.rule]
            )
        return self.change(
            row, col, name, value, written, "nombre-notation-schema",
            _filled(NOTATION_NUMBER_MESSAGE, c=notation.decimal_char(spec)),
        )  # fmt: skip

    def moment_in_pattern(self, row, col, name, value, kind, pattern, order) -> str:
        """``2023-01-05`` → ``05/01/2023`` in a field with its own date pattern, and a
        French date the pattern does not read (``17/11/2020`` for ``%Y/%m/%d``), with the
        column's order: an ambiguous day and month is a value to check, as elsewhere.
        A date alone never gets a made-up time."""
        if notation.reads_as_moment(value, pattern):
            return value
        shape = notation.moment_shape(pattern) or (pattern, pattern)
        iso = _iso_moment(value, kind)
        if iso is None:
            read = french.read_date if kind == "date" else french.read_datetime
            reading = read(value, self.forced_order or order)
            iso = self._reading(row, col, name, value, reading, shape) if reading else None
        if iso is None:
            return value
        written = notation.exact_in_pattern(iso, pattern)
        if written is None:
            return self.lossy_moment(row, col, name, value, pattern, iso)
        if written == value or not notation.reads_as_moment(written, pattern):
            return value
        return self.change(
            row, col, name, value, written, "date-format-schema",
            _filled(NOTATION_DATE_MESSAGE, form=shape[0], en_form=shape[1]),
        )  # fmt: skip

    def _reading(self, row, col, name, value, reading, form: Message = ISO_FORM) -> str | None:
        """The ISO form of a French date reading, or None after recording its problem
        (which asks for the field's ``form``)."""
        if reading.problem and not (reading.ambiguous and self.forced_order):
            fr, en = PROBLEMS[reading.problem]
            message = (fr.format(value=value, form=form[0]), en.format(value=value, form=form[1]))
            self.problem(row, col, name, value, reading.problem, message)
            return None
        return reading.iso

    def date(self, row, col, name, value, order):
        if _ISO_DATE.match(value):
            return value
        m = _ISO_DATE_MIDNIGHT.match(value)
        if m:
            return self.change(
                row,
                col,
                name,
                value,
                m.group(1),
                "date-iso",
                ("heure 00:00 retirée d'une date", "time 00:00 removed from a date"),
            )
        if _SERIAL.fullmatch(value):
            return self.serial(row, col, name, value)
        reading = french.read_day(value, self.forced_order or order)
        iso = self._reading(row, col, name, value, reading) if reading else None
        if iso is None:
            return value
        return self.change(
            row,
            col,
            name,
            value,
            iso,
            "date-iso",
            ("date convertie au format AAAA-MM-JJ", "date converted to YYYY-MM-DD"),
        )

    def serial(self, row, col, name, value) -> str:
        """``45615`` in a date column: the number Excel stores for a date (19/11/2024),
        which a CSV export can show instead of the date, or another number. A value to
        check, with the date it would be: never converted."""
        day = _EXCEL_EPOCH + dt.timedelta(days=int(value.split(".")[0]))
        message = _filled(EXCEL_SERIAL, value=value, day=day.strftime("%d/%m/%Y"))
        self.problem(row, col, name, value, "numero-de-serie", message)
        return value

    def datetime(self, row, col, name, value, order):
        """A date-time written ``AAAA-MM-JJTHH:MM:SS`` (:meth:`datetime_form`), then a
        value to check if, without offset, it names no single moment in Paris."""
        return self.clock_change(row, col, name, self.datetime_form(row, col, name, value, order))

    def end_of_day(self, row, col, name, value) -> str:
        """``2022-10-18T24:00:00`` → ``2022-10-19T00:00:00`` (offset kept), ``24:00:00`` →
        ``00:00:00``: the moment frictionless reads, as validate warns of it
        (``end-of-day``), written so that load, pandas and a spreadsheet read it too."""
        following = paris.next_midnight(value)
        if following is None:
            return value
        message = _filled(END_OF_DAY_MESSAGE, next=following)
        return self.change(row, col, name, value, following, "fin-de-journee", message)

    def clock_change(self, row, col, name, value, fmt: str = "default") -> str:
        """A date-time without offset in the hour the Paris clocks skip or repeat
        (``2023-03-26T02:30:00``): frictionless takes it, but it names no single moment,
        and the offset cannot be guessed — a value to check, as validate warns of it."""
        change = paris.doubtful(value, fmt)
        if change is not None:
            rule = "heure-inexistante" if change == "skipped" else "heure-ambigue"
            self.problem(row, col, name, value, rule, paris.said(change, value, fmt))
        return value

    def datetime_form(self, row, col, name, value, order):
        if _SERIAL.fullmatch(value):
            return self.serial(row, col, name, value)
        if type(value) is DayText:  # the spreadsheet's date-time at 00:00: nothing invented
            # A cell holds an instant, whatever its format shows: validate (as frictionless)
            # reads it as that day at 00:00 in a date-time field, so fix writes it so.
            return self.change(
                row, col, name, value, f"{value}T00:00:00", "date-heure-iso",
                (
                    "date-heure du tableur à minuit écrite au format AAAA-MM-JJTHH:MM:SS",
                    "spreadsheet date-time at midnight written as YYYY-MM-DDTHH:MM:SS",
                ),
            )  # fmt: skip
        reading = french.read_datetime(value, self.forced_order or order)
        if reading is not None:
            iso = self._reading(row, col, name, value, reading, ISO_DATETIME_FORM)
            if iso is None:
                return value
            return self.change(
                row, col, name, value, iso, "date-heure-iso",
                (
                    "date et heure converties au format AAAA-MM-JJTHH:MM:SS",
                    "date and time converted to YYYY-MM-DDTHH:MM:SS",
                ),
            )  # fmt: skip
        m = _ISO_DATETIME_LOOSE.match(value)
        if m:
            iso = _loose_datetime(m)
            if iso != value:
                return self.change(
                    row, col, name, value, iso, "date-heure-iso",
                    (
                        "date et heure mises au format AAAA-MM-JJTHH:MM:SS",
                        "date and time written as YYYY-MM-DDTHH:MM:SS",
                    ),
                )  # fmt: skip
            return value
        if french.DMY.match(value) or _ISO_DATE.match(value):
            return self.missing_time(row, col, name, value, ISO_DATETIME_FORM)
        return value

    def missing_time(self, row, col, name, value, form: Message) -> str:
        """A date written alone in a date-time field (``17/11/2020``): a value to check,
        the hour is not made up. (A spreadsheet's date cell holds an instant: it is that
        day at 00:00, as validate reads it, see :meth:`datetime`.)"""
        message = _filled(MISSING_TIME, value=value, form=form[0], en_form=form[1])
        self.problem(row, col, name, value, "heure-manquante", message)
        return value

    def number(self, row, col, name, value, kind):
        integer = kind == "integer"
        if isinstance(value, NumberText):  # a number, not text to read: 1.234 is 1.234
            return self.unread_number(row, col, name, value, integer, ambiguous=False)
        reading = french.read_number(value, integer=integer)
        if reading is None:
            return self.unread_number(row, col, name, value, integer, ambiguous=integer)
        return self.change(
            row, col, name, value, reading.value, reading.rule, NUMBER_MESSAGES[reading.rule]
        )

    def percent_cell(self, row, col, name, value, spec) -> str:
        """A cell the spreadsheet shows as 12,2 % holds 0.122: in a field whose maximum
        says it writes percentages as 12.2, written as the person saw it, and said; where
        only the lack of a maximum says so, a value to check (validate's ``percent-cell``),
        nothing converted on a guess. A field of shares between 0 and 1 keeps 0.122."""
        if french.percent_scale(spec) == "fraction":
            return value
        shown = french.percent_shown(value)
        if french.percent_stated(spec):
            message = _filled(PERCENT_MESSAGE, value=value, shown=shown)
            return self.change(row, col, name, value, NumberText(shown), "pourcentage", message)
        message = _filled(PERCENT_CHECK_MESSAGE, value=value, shown=shown)
        self.problem(row, col, name, value, "pourcentage", message)
        return value

    def digits(self, row, col, name, value, kind) -> str:
        """``1_000`` → ``1000``, ``١٢`` → ``12``: a number frictionless reads though nobody
        writes it so, as validate warns of it (``unusual-digits``), in the digits 0 to 9
        (:func:`french.plain_digits`). The guard undoes it where the field would not read
        it (a year ``2_24``, read 224): a value to check then."""
        plain = french.plain_digits_in(value, kind)
        if plain is None:
            return value
        return self.change(row, col, name, value, plain, "chiffres", DIGITS_MESSAGE)

    def unread_number(self, row, col, name, value, integer, *, ambiguous: bool) -> str:
        """A number left as it is, said as a value to check when a person must decide:
        ``1.234`` where a point is not the decimal separator (``ambiguous``: 1.234 or
        1234?), and decimals in an integer column (never rounded, never read as
        thousands: a spreadsheet's 1.234 is not 1234)."""
        if ambiguous and french.point_or_thousands(value):
            self.problem(
                row,
                col,
                name,
                value,
                "nombre-ambigu",
                _filled(AMBIGUOUS_NUMBER, value=value, digits=value.replace(".", "")),
            )
        elif integer and _has_decimals(value):
            message = _filled(DECIMALS_IN_INTEGER, value=value)
            self.problem(row, col, name, value, "decimales-entier", message)
        return value

    def boolean(self, row, col, name, value, spec):
        fixed = french.read_boolean(value, spec.get("trueValues"), spec.get("falseValues"))
        if fixed is None:
            return value
        return self.change(
            row,
            col,
            name,
            value,
            fixed,
            "booleen",
            (f"valeur oui/non écrite {fixed}", f"yes/no value written {fixed}"),
        )

    def yearmonth(self, row, col, name, value) -> str:
        """``2022-1`` → ``2022-01`` (:func:`french.canonical_yearmonth`): frictionless reads
        both, a published column holds one form of a month."""
        canonical = french.canonical_yearmonth(value)
        if canonical is None:
            return value
        message = ("année et mois écrits AAAA-MM", "year and month written YYYY-MM")
        return self.change(row, col, name, value, canonical, "annee-mois", message)

    def typed_in_text(self, row, col, name, value) -> str:
        """A spreadsheet's date, boolean or formatted number in a text field: written as
        validate reads it (``2024-11-12``, ``true``, ``0.5``: one reading for both
        commands), which is not the text the person sees (12/11/2024, VRAI, 50 %). Said,
        as every change is: the sheet shows the text, what it shows is not in the file
        (an XLSX's VRAI or TRUE, 50 % or 50% depend on the spreadsheet's language)."""
        message = TYPED_IN_TEXT.get(type(value))
        if type(value) is NumberText and _has_decimals(value):
            message = FRACTION_IN_TEXT
        digits = french.digits_past_precision(value) if isinstance(value, NumberText) else None
        if digits is not None:  # what was typed is not in the file: nothing to write
            lost = _filled(DIGITS_LOST_MESSAGE, value=value, n=digits)
            self.problem(row, col, name, value, "chiffres-perdus", lost)
        if message is None:
            return value
        return self.change(row, col, name, value, value, "cellule-du-tableur", message)

    def code(self, row, col, name, value, spec):
        """Restore the one leading zero a spreadsheet dropped, only when the schema demands
        it; a code short of more, or starting with 0, is a value to check. The decision is
        :class:`..package.french.LostZeros`'s, which validate's hint follows too."""
        constraints = spec.get("constraints", {})
        pattern, listed = constraints.get("pattern"), constraints.get("enum")
        if not pattern and not listed:
            return self.scientific(row, col, name, value)
        enum = self.enum_texts[name]

        def ok(text: str) -> bool:
            if enum is not None and text not in enum:
                return False
            return not (pattern and not re.fullmatch(pattern, text))

        lost = french.lost_zeros(value, ok)
        if lost is None:
            return value
        if lost.restored is None:
            self.problem(row, col, name, value, "zeros-manquants", lost.to_check)
            return value
        return self.change(row, col, name, value, lost.restored, "zeros-initiaux", ZEROS_MESSAGE)

    def scientific(self, row, col, name, value) -> str:
        """A long number a spreadsheet wrote in scientific notation (``5,00175E+13``) in a
        text field whose shape nothing checks: its lost digits cannot be restored, so it is
        a value to check, as validate warns of it (``scientific-notation``)."""
        if french.in_scientific_notation(value):
            message = _filled(SCIENTIFIC_MESSAGE, value=value)
            self.problem(row, col, name, value, "notation-scientifique", message)
        return value


END_OF_DAY_MESSAGE: Message = (
    "heure 24:00 (fin de journée) écrite « {next} », le moment que frictionless lit",
    'hour 24:00 (end of the day) written "{next}", the moment frictionless reads',
)
"""What fix says of a date-time or time at 24:00 (:meth:`_Fixer.end_of_day`)."""
DIGITS_MESSAGE: Message = (
    "écrit en chiffres 0 à 9, sans « _ »",
    'written in the digits 0 to 9, without "_"',
)
"""What fix says of a number in other digits or with ``_`` (:meth:`_Fixer.digits`)."""
SCIENTIFIC_MESSAGE: Message = (
    f"{french.SCIENTIFIC_LOST[0]} ; {french.SCIENTIFIC_HINT[0]}",
    f"{french.SCIENTIFIC_LOST[1]}; {french.SCIENTIFIC_HINT[1]}",
)
"""What fix says of a long number in scientific notation: validate's warning and hint."""
PERCENT_MESSAGE: Message = (
    "pourcentage du tableur écrit comme il s'affiche ({shown} %, la cellule portant "
    "{value}) : ce champ compte en pourcentages (maximum 100 ou plus)",
    "spreadsheet percentage written as shown ({shown} %, the cell holding {value}): this "
    "field counts in percentages (maximum 100 or more)",
)
PERCENT_CHECK_MESSAGE: Message = (
    f"{french.PERCENT_CELL[0]} ; {french.PERCENT_CELL_HINT[0]}",
    f"{french.PERCENT_CELL[1]}; {french.PERCENT_CELL_HINT[1]}",
)
"""What fix says of a number cell shown as a percentage (:meth:`_Fixer.percent_cell`)."""
DIGITS_LOST_MESSAGE: Message = (
    f"{french.DIGITS_LOST[0]} ; {french.SCIENTIFIC_HINT[0]}",
    f"{french.DIGITS_LOST[1]}; {french.SCIENTIFIC_HINT[1]}",
)
"""What fix says of a spreadsheet's number past 15 digits in a text field: validate's
warning, with the hint of a number in scientific notation (its digits are lost alike)."""
_AS_TEXT = (
    "pour garder le texte affiché, mettez la colonne au format Texte dans le tableur",
    "to keep the text shown, format the column as Text in the spreadsheet",
)
TYPED_IN_TEXT: dict[type, Message] = {
    kind: (f"{fr} ; {_AS_TEXT[0]}", f"{en}; {_AS_TEXT[1]}")
    for kind, fr, en in (
        (
            ShownNumber,
            "nombre du tableur écrit tel qu'il est enregistré, pas comme son format "
            "l'affiche (50 %, 1 234,50…)",
            "spreadsheet number written as stored, not as its format shows it (50 %, 1 234,50…)",
        ),
        (
            DayText,
            "date du tableur écrite AAAA-MM-JJ, pas comme elle s'affiche (12/11/2024…)",
            "spreadsheet date written YYYY-MM-DD, not as it is shown (12/11/2024…)",
        ),
        (
            MomentText,
            "date-heure ou heure du tableur écrite AAAA-MM-JJThh:mm:ss ou hh:mm:ss, pas "
            "comme elle s'affiche",
            "spreadsheet date-time or time written YYYY-MM-DDThh:mm:ss or hh:mm:ss, not as "
            "it is shown",
        ),
        (
            DurationText,
            "durée du tableur écrite [h]:mm:ss, son affichage n'étant pas certain (format "
            "propre, partie cachée, .xls)",
            "spreadsheet duration written [h]:mm:ss, how it is shown being uncertain (a "
            "format of its own, a hidden part, .xls)",
        ),
        (
            BooleanText,
            "valeur logique du tableur (VRAI/FAUX) écrite true/false",
            "spreadsheet boolean (TRUE/FALSE) written true/false",
        ),
    )
}
TYPED_IN_TEXT[PercentNumber] = TYPED_IN_TEXT[ShownNumber]
"""What fix says of a typed cell it writes in a text field (:meth:`_Fixer.typed_in_text`);
a whole number the spreadsheet shows as its digits is not said (validate warns of it)."""
FRACTION_IN_TEXT: Message = (
    "nombre décimal du tableur écrit avec un point, qu'un tableur en français affiche "
    f"avec une virgule (2,5 pour 2.5) ; {_AS_TEXT[0]}",
    "spreadsheet decimal number written with a point, which a French spreadsheet shows "
    f"with a comma (2,5 for 2.5); {_AS_TEXT[1]}",
)
"""What fix says of a General number with decimals in a text field: the file does not
say which separator the person saw (the spreadsheet's language does), so it is written as
every command reads it and said, not rewritten ``2,5`` (a number field reads 2.5)."""

DURATION_CELL_MESSAGE: dict[str, Message] = {
    "duration": (
        "durée du tableur écrite en ISO 8601, comme le type duration l'attend (PT26H pour 26:00)",
        "spreadsheet duration written in ISO 8601, as the duration type wants it (PT26H for 26:00)",
    ),
    "time": (
        "durée du tableur de moins de 24 h écrite comme l'heure qu'elle est (02:30:00 pour 2:30)",
        "spreadsheet duration under 24 h written as the time it is (02:30:00 for 2:30)",
    ),
}
"""What fix says of a spreadsheet's duration cell it writes in a time or duration field."""
DURATION_TEXT_MESSAGE: Message = (
    "durée écrite h:mm ou h:mm:ss réécrite en ISO 8601 (PT26H pour 26:00, PT2H30M pour 2:30:00)",
    "duration written h:mm or h:mm:ss rewritten in ISO 8601 (PT26H for 26:00, PT2H30M for 2:30:00)",
)

ZEROS_MESSAGE = (
    "zéros initiaux rétablis (perdus par le tableur)",
    "leading zeros restored (lost by the spreadsheet)",
)


@dataclass
class _Layout:
    """The fixed table's columns: the schema's names for the columns read for a field."""

    header: list[str]
    unknown: list[str]
    mapping: dict[int, str]
    """Position → the field read there."""
    copies: dict[int, str]
    """Position → the field read in another column that it names again."""

    @property
    def positions(self) -> dict[str, int]:
        return {target: i for i, target in self.mapping.items()}


def _layout(fixer: _Fixer, header: Sequence[str], schema: SchemaDescriptor) -> _Layout:
    """Each column's name in the fixed table; a header renamed is recorded as a change."""
    resolution = resolve_header(header, schema.get("fields", []))
    mapping = resolution.by_position
    new_header = []
    unknown = []
    for i, name in enumerate(header):
        target = mapping.get(i)
        if target is None:
            unknown.append(name)
            new_header.append(name)
            continue
        if target != name:
            fixer.change(
                1, i + 1, target, name, target, "en-tete",
                (
                    "en-tête renommé selon le nom du champ dans le schéma",
                    "header renamed to the field's name in the schema",
                ),
            )  # fmt: skip
        new_header.append(target)
    return _Layout(new_header, unknown, mapping, resolution.copies)


def _date_columns(fixer: _Fixer, layout: _Layout) -> list[int]:
    """Columns whose ``nn/nn/yyyy`` values need an order (their own, or the one forced)."""
    return [
        i
        for i, target in layout.mapping.items()
        if fixer.fields[target].get("type") in ("date", "datetime")
    ]


def fix_rows(
    header: Sequence[str],
    rows: Iterable[Row],
    schema: SchemaDescriptor,
    *,
    date_order: str | None = None,
    no_worse: bool = False,
) -> FixResult:
    """Canonical cells and schema header names for ``rows``; every change is recorded.

    ``date_order`` (``"dmy"``/``"mdy"``) forces how ``nn/nn/yyyy`` dates are read; by
    default each column decides from its own unambiguous values, and a value the column
    cannot settle is reported, not guessed.

    ``no_worse``: a change that would make the rows worse is not made (:mod:`.no_worse`),
    as :func:`fix_file` does. Consolidation leaves it off: it reads every cell trimmed,
    its keys too, so that ``A`` and ``A `` are one row (merged, or refused as a conflict)
    and ``NA `` is no name, and it refuses a row its fixed cells make invalid.
    """
    _check_order(date_order)
    rows = list(rows)  # read twice; each row's cells are only read, never copied
    fixer = _Fixer(schema, date_order)
    layout = _layout(fixer, header, schema)
    orders = {
        i: french.date_order(cells[i] for _, cells in rows if i < len(cells))
        for i in _date_columns(fixer, layout)
    }
    blocks = [rows[at : at + BLOCK] for at in range(0, len(rows), BLOCK)]
    if no_worse:
        fixer.guard = Guard(schema, layout.mapping)
        for block in blocks:
            fixer.guard.remember(block)
    fixed_rows = []

    def fix_one(number: int, cells: list[str]) -> list[str]:
        return fixer.row(number, cells, layout.mapping, orders)

    for block in blocks:
        fixed = fixer.block(block, layout.mapping, fix_one, fixer.marks())
        fixed_rows += [(number, cells) for (number, _), cells in zip(block, fixed, strict=True)]
    return FixResult(
        layout.header,
        fixed_rows,
        fixer.changes,
        fixer.problems,
        layout.unknown,
        positions=layout.positions,
        copies=layout.copies,
        row_count=len(fixed_rows),
    )


def _check_order(date_order: str | None) -> None:
    if date_order not in (None, "dmy", "mdy"):
        raise InputError(
            f"Ordre de dates inconnu : {date_order!r} (attendu : jma ou mja).",
            en=f"Unknown date order: {date_order!r} (expected: dmy or mdy).",
        )


def _moment_of_kind(value: str, kind: str | None) -> bool:
    """Whether a spreadsheet's date or time cell is of the field's kind (a time of day is
    not a date-time): only then is it written in the field's pattern."""
    if type(value) is DayText:
        return kind in ("date", "datetime")
    if isinstance(value, MomentText):  # a duration too: 02:30:00 in a time field
        return (kind == "datetime" and "T" in value) or (kind == "time" and "T" not in value)
    return False


LOSSY_PATTERN = (
    "« {value} » : le format du schéma ({form}) ne peut pas l'écrire sans en perdre une "
    "partie (secondes, décalage horaire…) : la valeur n'est pas convertie ; écrivez-la au "
    "format {form} si cette partie peut être perdue",
    '"{value}": the schema\'s format ({en_form}) cannot write it without losing part of it '
    "(seconds, UTC offset…): the value is not converted; write it as {en_form} if that "
    "part may be lost",
)


_POINT_NUMBER = re.compile(r"[+-]?\d*\.\d+")
_WHOLE = re.compile(r"[+-]?\d+")


def _has_decimals(value: str) -> bool:
    """``0.125``, or a spreadsheet's number that is not whole (``1.234``, ``1e-05``)."""
    if isinstance(value, NumberText):
        return not _WHOLE.fullmatch(value)
    return _POINT_NUMBER.fullmatch(value) is not None


AMBIGUOUS_NUMBER = (
    "« {value} » : point décimal ou séparateur des milliers ? Le nombre n'est pas deviné : "
    "écrivez-le sans séparateur des milliers ({digits} s'il s'agit de milliers)",
    '"{value}": a decimal point or a thousands separator? The number is not guessed: write '
    "it without a thousands separator ({digits} if it means thousands)",
)
DECIMALS_IN_INTEGER = (
    "« {value} » a des décimales, et ce champ attend un nombre entier : il n'est ni arrondi "
    "ni lu comme des milliers",
    '"{value}" has decimals, and this field expects a whole number: it is neither rounded '
    "nor read as thousands",
)
NOTATION_NUMBER_MESSAGE = (
    "nombre écrit avec le séparateur décimal du schéma (« {c} »)",
    'number written with the schema\'s decimal separator ("{c}")',
)
NOTATION_DATE_MESSAGE = (
    "date écrite au format du schéma ({form})",
    "date written in the schema's format ({en_form})",
)


def _iso_moment(value: str, kind: str) -> str | None:
    """``value`` in ISO 8601 when it is written so already, loosely (``2023-01-05 00:00``
    for a date, ``2023-01-05 9:30`` for a date-time); None otherwise."""
    if kind == "date":
        midnight = _ISO_DATE_MIDNIGHT.match(value)
        return midnight.group(1) if midnight else value if _ISO_DATE.match(value) else None
    m = _ISO_DATETIME_LOOSE.match(value)
    return _loose_datetime(m) if m else None


def _loose_datetime(m: re.Match[str]) -> str:
    """A :data:`_ISO_DATETIME_LOOSE` match as ``YYYY-MM-DDTHH:MM:SS`` (its offset kept)."""
    return f"{m.group(1)}T{int(m.group(2)):02d}:{m.group(3)}:{m.group(4) or '00'}{m.group(5) or ''}"


def _own_form(spec: FieldDescriptor) -> bool:
    """Whether a field writes its values its own way (``"format": "%d/%m/%Y"``, a decimal
    comma, units around numbers): values valid there are not in the canonical form
    (ISO dates, decimal point), and the conversions would make them invalid; values are
    written in the field's form instead (:meth:`_Fixer.own_form`)."""
    kind, fmt = spec.get("type", "string"), spec.get("format")
    if kind == "date" and fmt == "%Y-%m-%d":  # the ISO form spelt out (IRVE): the default's
        return False
    if kind in ("date", "datetime", "time"):
        return fmt not in (None, "", "default", "any")
    if kind in ("number", "integer"):
        return (
            any(k in spec for k in ("decimalChar", "groupChar"))
            or spec.get("bareNumber", True) is False
        )
    return False


BLANK_ROW_MESSAGE = (
    "ligne vide retirée : elle ne contient aucune valeur",
    "blank row removed: it holds no value",
)
SPACES_ROW_MESSAGE = (
    "ligne retirée : elle ne contient que des espaces, aucune valeur (validate, comme "
    "frictionless, la lit comme une ligne de données)",
    "row removed: it holds only spaces, no value (validate, as frictionless does, reads it "
    "as a data row)",
)


def _blank_row_message(cells: list[str]) -> Message:
    """Why a row without a value is left out: a row of spaces is said apart, since validate
    reads it as data (a row of control characters is blank there too)."""
    if any(cells) and not any(NO_VALUE.search(cell) for cell in cells):
        return SPACES_ROW_MESSAGE
    return BLANK_ROW_MESSAGE


EMPTY_COLUMN_MESSAGE = (
    "colonne sans nom et sans aucune valeur retirée (validate la signale, comme "
    "frictionless : blank-label)",
    "column without a name or any value removed (validate flags it, as frictionless does: "
    "blank-label)",
)
EMPTY_COLUMNS_MESSAGE = (
    "{n} colonnes sans nom et sans aucune valeur retirées (colonnes {first} à {last} ; "
    "validate les signale, comme frictionless : blank-label)",
    "{n} columns without a name or any value removed (columns {first} to {last}; validate "
    "flags them, as frictionless does: blank-label)",
)
"""A column without a name nor a value (a ``;`` ending every line, the gap before a second
table on the right) is deliberately read two ways: validate keeps frictionless's error, fix
and consolidate drop it, as nothing is lost. The change says so, for the steward who saw
validate's INVALIDE."""
SEPARATOR_LINE_MESSAGE = (
    "première ligne « sep=… » retirée (une consigne pour Excel) : le fichier corrigé "
    "commence par l'en-tête",
    'first line "sep=…" removed (an instruction for Excel): the fixed file starts with the header',
)


@dataclass
class _Survey:
    """What a first reading of the file tells before any row is fixed."""

    orders: dict[int, str | None]
    """Each date column's order, from its own unambiguous values."""
    filled: set[int]
    """The watched columns holding a value somewhere."""


def _survey(
    rows: Iterable[Row], dates: list[int], watched: list[int], path: Path, guard: Guard
) -> _Survey:
    """Date orders and filled columns, in one pass that keeps no row (a block of them at
    most, whose keys the ``guard`` remembers)."""
    votes = {i: french.DateOrderVotes() for i in dates}
    filled: set[int] = set()
    left = set(watched)
    block: list[Row] = []
    for number, cells in paced(rows, path):
        if not blank_row(cells):
            block.append((number, cells))
        if len(block) == BLOCK:
            guard.remember(block)
            block = []
        for i, vote in votes.items():
            if i < len(cells):
                vote.add(cells[i])
        if left:  # the row's cells or the columns watched, whichever are fewer
            seen = left if len(left) < len(cells) else range(len(cells))
            found = {i for i in seen if i in left and i < len(cells) and holds_value(cells[i])}
            filled |= found
            left -= found
    guard.remember(block)
    return _Survey({i: vote.order() for i, vote in votes.items()}, filled)


def _fixed_rows(
    rows: Iterable[Row], fixer: _Fixer, layout: _Layout, orders: dict, dropped: set[int],
    path: Path, workbook: bool,
) -> Iterator[list[str]]:  # fmt: skip
    """Each row fixed, as written: a row left without a value (blank lines, a
    spreadsheet's formatted but empty rows) is left out, and the change list says so; the
    ``dropped`` columns (no name, no value) too. ``workbook``: the rows come from a sheet
    (:func:`_sheet_row`), read as short as the sheet's and written as wide as the header
    (:func:`_kept`). Rows are fixed a block at a time (:meth:`_Fixer.block`: the guard
    checks a block's keys at once)."""
    width = len(layout.header)
    kept = [i for i in range(width) if i not in dropped] if workbook else None

    def fix_one(number: int, cells: list[str]) -> list[str]:
        if workbook and len(cells) > width:
            return _sheet_row(fixer, number, cells, layout, orders)
        return fixer.row(number, cells, layout.mapping, orders)

    block: list[Row] = []
    since = fixer.marks()
    for number, cells in paced(rows, path):
        if blank_row(cells):  # decided as validate and consolidate decide it
            fixer.change(number, 0, "", "", "", "ligne-vide", _blank_row_message(cells))
        else:
            block.append((number, cells))
        if len(block) == BLOCK:
            yield from _kept(fixer.block(block, layout.mapping, fix_one, since), dropped, kept)
            block, since = [], fixer.marks()
    yield from _kept(fixer.block(block, layout.mapping, fix_one, since), dropped, kept)
    fixer.trim()


def _kept(rows: list[list[str]], dropped: set[int], kept: list[int] | None) -> Iterator[list[str]]:
    """``rows`` without the ``dropped`` columns. A sheet's rows (``kept``: the header's
    columns not dropped) stop at their last cell: each is written with the ``kept``
    columns, empty past its end, then its cells past the header (:func:`_sheet_row`). A
    CSV's short row stays short, for validate to say. Under a label typed in XFD1, each
    row was 16,384 cells fixed then dropped, 20 s for 1,000 rows."""
    for out in rows:
        if kept is not None:
            n, width = len(out), len(kept) + len(dropped)
            yield [out[i] if i < n else "" for i in kept] + out[width:]
        else:
            yield [c for i, c in enumerate(out) if i not in dropped] if dropped else out


STRAY_CELL_MESSAGE = (
    "valeur hors de l'en-tête, en colonne {letter} : écrite juste après les colonnes du "
    "tableau, sans les cellules vides d'avant (le classeur n'en a aucune)",
    "value past the header, in column {letter}: written just after the table's columns, "
    "without the empty cells before it (the workbook holds none)",
)


def _sheet_row(
    fixer: _Fixer, number: int, cells: list[str], layout: _Layout, orders: dict
) -> list[str]:
    """A workbook's row longer than its header, written as validate reads it: the
    header's cells, then the filled cells past them (:func:`.sheets.past_header`), each
    an extra cell, fixed where it stood. Written with the empty cells between, a value
    typed in column XFD was a row of 16,384 cells: 16,382 "extra cells" on revalidation
    for the one validate had reported. A value that moves is said."""
    width = len(layout.header)
    out = fixer.row(number, cells[:width], layout.mapping, orders)
    for at, (column, value) in enumerate(past_header(cells, width), start=width + 1):
        if column != at:
            message = _filled(STRAY_CELL_MESSAGE, letter=column_letter(column))
            fixer.change(number, column, "", value, value, "cellule-egaree", message)
        out.append(fixer.cell(number, column, None, value, None))
    return out


_WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".fods", ".numbers"})


def _check_csv_name(out: str | Path | None) -> None:
    """The canonical form is a CSV: written under a workbook's name, it would be text no
    spreadsheet opens as such (and no longer what the name says)."""
    if out is None or Path(out).suffix.lower() not in _WORKBOOK_SUFFIXES:
        return
    instead = Path(out).with_suffix(".csv").name
    raise InputError(
        f"{out} : fix écrit la forme canonique en CSV (UTF-8, virgules), pas un classeur ; "
        f"donnez à la sortie un nom en .csv (par exemple -o {instead}). Rien n'a été écrit.",
        en=f"{out}: fix writes the canonical form as CSV (UTF-8, commas), not a workbook; "
        f"give the output a .csv name (for example -o {instead}). Nothing was written.",
    )


def fix_file(
    path: str | Path,
    schema: SchemaDescriptor,
    out: str | Path | None = None,
    *,
    sheet: str | None = None,
    date_order: str | None = None,
    revalidate: bool = True,
    keep_changes: int | None = KEEP_CHANGES,
    asker: Asker = COMMAND_LINE,
) -> FixResult:
    """Read ``path`` (CSV, XLSX, ODS, any encoding), fix it, write ``out`` when given.

    ``out`` must not be the input: the contributor's file is evidence and is never replaced.
    ``revalidate=False`` leaves ``errors_left`` None: a caller that never shows it (the web
    page's download) saves a second full validation (about 400 MB at peak and a second
    of work for 5 MB of error-dense CSV).

    The file is read twice (date orders and empty columns first), and the fixed table is
    written as it is made: memory holds the changes listed (``keep_changes`` at most, the
    others counted by rule), never the rows, so ``rows`` is empty and ``row_count`` set.
    The first reading also remembers the keys received (:class:`.no_worse.Guard`), so that
    no change gives a row the key of another.

    A file none of whose columns is a field of the schema (another sheet, another table)
    is refused before anything is written (InputError, exit 2: its sentence names the other
    sheets, in ``asker``'s words), as consolidate refuses it: its "fixed" form would not be
    the table.
    """
    source = Path(path)
    _check_csv_name(out)
    _check_order(date_order)
    if out is not None and Path(out).resolve() == source.resolve():
        raise InputError(
            f"Le fichier de sortie {out} est le fichier d'entrée : choisissez un autre nom "
            "(-o fichier-corrige.csv) ; le fichier reçu n'est jamais remplacé.",
            en=f"The output file {out} is the input file: choose another name "
            "(-o fixed.csv); the file received is never replaced.",
        )
    fixer = _Fixer(schema, date_order, keep_changes)
    result, survey, dropped, layout = _plan(source, sheet, schema, fixer, asker)
    if sheet is None:  # a sheet asked for by name: the others are left out knowingly
        name = str(schema.get("name") or "")
        result.unread_sheets = unread_sheets(source, result.detected, name, schema)
    _mixed_lines(fixer, source, result.detected)
    with tempfile.TemporaryDirectory(prefix="moisinno-fix-") as tmp:
        # written in place unless ``out`` is a device (``/dev/stdout``) or not asked for:
        # the revalidation reads the file back
        direct = out is not None and not fsutil.is_special(out)
        fixed = Path(out) if out is not None and direct else Path(tmp) / "corrige.csv"
        hidden = HiddenCells()
        again = read_rows(  # the second reading
            source,
            sheet=sheet,
            detected=result.detected,
            header_row=result.header_row,
            padded=False,
            hidden=hidden,
        )
        workbook = result.detected.get("format") in SPREADSHEET_FORMATS
        rows = _fixed_rows(again.rows, fixer, layout, survey.orders, dropped, source, workbook)
        with fsutil.atomic_write(fixed, durable=direct) as fh:
            result.row_count = spreadsheet.write_csv(fh, result.header, rows)
        result.hidden_cells = hidden.within(result.header_row, again.header)
        result.changes, result.problems = fixer.changes, fixer.problems
        result.omitted_changes, result.omitted_problems = (
            fixer.omitted_changes,
            fixer.omitted_problems,
        )
        if revalidate:
            _revalidate(result, fixed, schema)
        if out is not None and not direct:
            with open(fixed, "rb") as src, fsutil.atomic_write(out, "wb", None) as dst:
                shutil.copyfileobj(src, dst)
    return result


def _plan(
    source: Path,
    sheet: str | None,
    schema: SchemaDescriptor,
    fixer: _Fixer,
    asker: Asker = COMMAND_LINE,
) -> tuple[FixResult, _Survey, set[int], _Layout]:
    """The fixed table's header, from the file's header and a first reading of its rows:
    each date column's order, and the columns without a name nor a value (an export's
    separator at the end of every line), left out and said so."""
    table = _under_title(fixer, read_rows(source, sheet=sheet, padded=False), schema)
    if not any(str(cell).strip() for cell in table.header):
        # Nothing to match the schema's fields with: a "fixed" file would be a header of
        # nothing above the data (validate says the same, as its no-matching-column).
        raise InputError(
            f"{source} : la première ligne, lue comme l'en-tête, est vide : rien n'a été "
            "corrigé. Mettez l'en-tête en ligne 1 (sans ligne vide ni titre au-dessus), "
            "avec les noms des champs du schéma.",
            en=f"{source}: the first row, read as the header, is empty: nothing was fixed. "
            "Put the header on row 1 (no blank row or title above it), with the schema's "
            "field names.",
        )
    if table.detected.get("separator_line"):  # row 0: the line above the header
        said = f"sep={table.detected['delimiter']}"
        fixer.change(0, 0, "", said, "", "ligne-sep", SEPARATOR_LINE_MESSAGE)
    layout = _layout(fixer, table.header, schema)
    if schema.get("fields") and not layout.positions:
        _refuse_no_field(source, table, schema, asker)
    read = set(layout.mapping)
    watched = [i for i, label in enumerate(layout.header) if i not in read and not label.strip()]
    fixer.guard = Guard(schema, layout.mapping)
    survey = _survey(table.rows, _date_columns(fixer, layout), watched, source, fixer.guard)
    dropped = {i for i in watched if i not in survey.filled}
    _empty_columns(fixer, dropped)
    keep = [i for i in range(len(layout.header)) if i not in dropped]
    at = {p: k for k, p in enumerate(keep)}
    result = FixResult(
        [layout.header[i] for i in keep],
        [],
        unknown_columns=[layout.header[i] for i in keep if i not in read],
        detected=dict(getattr(table, "detected", {}) or {}),
        positions={name: at[p] for name, p in layout.positions.items()},
        copies={at[p]: name for p, name in layout.copies.items() if p in at},
        header_row=table.header_row,
    )
    return result, survey, dropped, layout


def _empty_columns(fixer: _Fixer, dropped: set[int]) -> None:
    """The columns without a name nor a value, left out: one change each, or one for a
    run of them (:func:`.xlsx.column_runs`). A label typed in XFD1 beside a table of 10
    columns was 16,373 changes « colonne sans nom », one line each."""
    for a, b in column_runs(i + 1 for i in sorted(dropped)):
        if a == b:
            fixer.change(1, a, "", "", "", "colonne-vide", EMPTY_COLUMN_MESSAGE)
            continue
        span = {"n": b - a + 1, "first": column_letter(a), "last": column_letter(b)}
        message = _filled(EMPTY_COLUMNS_MESSAGE, **span)
        fixer.changes.append(Change(1, a, "", "", "", "colonne-vide", *message, last=b))


def _refuse_no_field(source: Path, table: Table, schema: SchemaDescriptor, asker: Asker) -> None:
    """No column of ``table`` is a field of ``schema``: the refusal consolidate gives."""
    rows = first_rows(table.path, table.detected, HEADER_SEARCH_ROWS)
    name = str(schema.get("name") or "")
    fr, en = no_field_said((source, table.detected), rows, name, schema, asker)
    raise InputError(f"{source} : {fr}.", en=f"{source}: {en}.")


MIXED_LINE_MESSAGE = (
    "ligne lue en {encoding} (elle n'est pas en UTF-8 comme le reste du fichier) et écrite "
    "en UTF-8 : vérifiez les accents de cette ligne",
    "line read as {encoding} (it is not UTF-8 like the rest of the file) and written as "
    "UTF-8: check the accents of this line",
)


def _mixed_lines(fixer: _Fixer, source: Path, detected: dict[str, Any]) -> None:
    """The lines of a UTF-8 file that are not (``encoding_errors``, a file pasted together
    from two exports): read as Windows-1252 and written as UTF-8, an accent may be wrong
    there, so each is a value to check (rule ``encodage``, its text as read), as validate's
    ``encoding-error`` asks: fix no longer calls such a file valid in silence. Its number
    is the physical line validate names (the row's, unless a cell above spans lines);
    past the lines the reader lists, they are counted."""
    errors = detected.get("encoding_errors")
    if not errors:
        return
    message = _filled(MIXED_LINE_MESSAGE, encoding=EIGHT_BIT_NAME)
    for line, text in sorted(mixed_lines(source, detected).items()):
        fixer.problem(line, 0, "", cut(text), "encodage", message)
    unlisted = errors["count"] - len(errors["lines"])
    if unlisted > 0:
        fixer.omitted_problems["encodage"] = unlisted


ABOVE_HEADER_MESSAGE = (
    "ligne au-dessus de l'en-tête retirée (titre, notes ou ligne vide) : le fichier "
    "corrigé commence par l'en-tête, lu en ligne {row}",
    "row above the header removed (a title, notes or a blank row): the fixed file starts "
    "with the header, read on row {row}",
)


def under_title(
    table: Table, schema: SchemaDescriptor, hidden: HiddenCells | None = None
) -> tuple[Table, list[Change]]:
    """:func:`_under_title` for a caller without a fixer (``consolidate``): the table read
    from its real header, and the changes that say which rows above it were left out."""
    fixer = _Fixer(schema, None)
    return _under_title(fixer, table, schema, hidden), fixer.changes


def _under_title(
    fixer: _Fixer, table: Table, schema: SchemaDescriptor, hidden: HiddenCells | None = None
) -> Table:
    """``table`` read from its real header when row 1 holds none of the schema's columns
    and a row below clearly is its header (a title, notes or blank rows above it, as
    office files often have): the rows above are listed as changes, their text kept in
    the change list (``before``). ``hidden``: where ``table``'s reading noted its hidden
    rows and columns, noted again by the reading under the title."""
    fields = schema.get("fields", [])
    if resolve_header(table.header, fields).columns:
        return table
    rows = first_rows(table.path, table.detected, HEADER_SEARCH_ROWS)
    found = header_below(rows, {str(schema.get("name") or "table"): schema})
    if found is None:
        return table
    number = found[0]
    close = getattr(table.rows, "close", None)
    if close is not None:
        close()  # the first reading stops here; the next one starts under the title
    message = _filled(ABOVE_HEADER_MESSAGE, row=number)
    for row, cells in enumerate(rows[: number - 1], start=1):
        text = " | ".join(str(c).strip() for c in cells if str(c).strip())
        fixer.change(row, 0, "", text, "", "ligne-titre", message)
    if hidden is not None:
        hidden.clear()  # the first reading stopped: the second one notes them all
    return read_rows(
        table.path, detected=table.detected, header_row=number, padded=False, hidden=hidden
    )


REVALIDATION_KEEP_PER_KIND = 100
"""Findings of each kind the re-validation keeps: only their counts are used, and an
error-dense file would otherwise hold millions of them (≈ 7 GB for 50 MB)."""


def _revalidate(result: FixResult, fixed: Path, schema: SchemaDescriptor) -> None:
    """Validate the fixed table as written: what ``fix`` could not repair is counted, so
    the command never says "done" about a file that ``validate`` would refuse. Only
    counts are needed: the report keeps the first findings of each kind and counts the
    others (as the page's reports do)."""
    from moisinno_data.validation import validate

    report = validate(
        fixed, schema=schema, messages=False, keep_per_kind=REVALIDATION_KEEP_PER_KIND
    )
    result.errors_left = report.error_count  # the findings past the report's cap too
    kinds: dict[str, int] = {}
    for finding in report.errors:
        kinds[finding.code] = kinds.get(finding.code, 0) + 1
    for (severity, code), n in report.omitted.items():
        if severity == "error":
            kinds[code] = kinds.get(code, 0) + n
    result.error_kinds = kinds


TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "format": "format",
        "encoding": "encodage",
        "delimiter": "séparateur",
        "sheet": "feuille",
        "detected_bit": "{} : « {} »",
        "detected": "Détecté dans {} — {}",
        "renamed": "  en-tête, {} colonne(s) renommée(s) selon le schéma : {}",
        "blank_row": "  ligne {} : {}",
        "empty_column": "  en-tête, colonne {} : {}",
        "empty_columns": "  en-tête, colonnes {} à {} : {}",
        "separator_line": "  avant l'en-tête : {}",
        "change": "  ligne {row}, colonne {column} ({field}) : « {before} » → « {after} » — {why}",
        "typed_cell": "  ligne {row}, colonne {column} ({field}) : « {after} » écrit — {why}",
        "problem": "  À VÉRIFIER ligne {row}, colonne {column} ({field}) : {why}",
        "line_problem": "  À VÉRIFIER ligne {row} : « {value} » — {why}",
        "changes": "changement(s)",
        "problems": "valeur(s) à vérifier",
        "omitted": "  … et {n} autre(s) {what}, non listé(s) ici (par règle : {rules})",
        "unknown": "  Colonne « {} » absente du schéma : gardée telle quelle.",
        "copy": "  Colonne « {} » en double : gardée telle quelle, seule la première est lue.",
        "unread": "  À VÉRIFIER : {} ; le fichier corrigé n'en tient pas les lignes.",
        "hidden": "  À VÉRIFIER : {} ; le fichier corrigé les garde.",
        "summary": "{} changement(s), {} valeur(s) à vérifier",
        "written": " ; fichier écrit : {}",
        "not_written": " (aucun fichier écrit)",
        "errors_left": "Le fichier corrigé a encore {n} erreur(s) ({kinds}) : voyez-les avec "
        "« moisinno validate {path} »",
        "once_written": " une fois le fichier écrit (-o)",
        "valid": "Le fichier corrigé est valide.",
        "schema": "Schéma : {}",
        "file_written": "Fichier corrigé écrit : {}.",
    },
    "en": {
        "format": "format",
        "encoding": "encoding",
        "delimiter": "delimiter",
        "sheet": "sheet",
        "detected_bit": '{}: "{}"',
        "detected": "Detected in {} — {}",
        "renamed": "  header, {} column(s) renamed after the schema: {}",
        "blank_row": "  line {}: {}",
        "empty_column": "  header, column {}: {}",
        "empty_columns": "  header, columns {} to {}: {}",
        "separator_line": "  above the header: {}",
        "change": '  line {row}, column {column} ({field}): "{before}" → "{after}" — {why}',
        "typed_cell": '  line {row}, column {column} ({field}): "{after}" written — {why}',
        "problem": "  TO CHECK line {row}, column {column} ({field}): {why}",
        "line_problem": '  TO CHECK line {row}: "{value}" — {why}',
        "changes": "change(s)",
        "problems": "value(s) to check",
        "omitted": "  … and {n} more {what}, not listed here (by rule: {rules})",
        "unknown": '  Column "{}" not in the schema: kept as it is.',
        "copy": '  Column "{}" appears twice: kept as it is, only the first is read.',
        "unread": "  TO CHECK: {}; the fixed file does not hold their rows.",
        "hidden": "  TO CHECK: {}; the fixed file keeps them.",
        "summary": "{} change(s), {} value(s) to check",
        "written": "; file written: {}",
        "not_written": " (no file written)",
        "errors_left": 'The fixed file still has {n} error(s) ({kinds}): see them with "moisinno '
        'validate {path}"',
        "once_written": " once the file is written (-o)",
        "valid": "The fixed file is valid.",
        "schema": "Schema: {}",
        "file_written": "Fixed file written: {}.",
    },
}
"""The words of ``moisinno fix``'s listing, in each language of ``--lang``."""


def words_for(lang: str) -> dict[str, str]:
    """:data:`TEXT` in ``lang`` (French unless English is asked for)."""
    return in_lang(TEXT, lang)


def describe(
    result: FixResult,
    source: str,
    out: str | None,
    *,
    lang: str = "fr",
    max_per_rule: int | None = None,
) -> str:
    """The change list as the terminal shows it, in ``lang``.

    ``max_per_rule`` (``--max``): changes and values to check listed at most for each rule
    (the header's renamings, one line, are all named); the others are counted by rule in
    the closing line of those past :data:`KEEP_CHANGES`. The JSON lists them all.
    """
    words = words_for(lang)
    lines = _detected_lines(result.detected, source, words, lang)
    renamed = [c for c in result.changes if c.rule == "en-tete"]
    if renamed:
        pairs = ", ".join(f"{c.before} → {c.after}" for c in renamed)
        lines.append(words["renamed"].format(len(renamed), pairs))
    changes, hidden_changes = _capped(
        [c for c in result.changes if c.rule != "en-tete"], max_per_rule
    )
    problems, hidden_problems = _capped(result.problems, max_per_rule)
    lines.extend(_change_line(c, words, lang) for c in changes)
    lines.extend(_problem_line(p, words, lang) for p in problems)
    lines.extend(
        _omitted_lines(
            dict(hidden_changes + Counter(result.omitted_changes)),
            dict(hidden_problems + Counter(result.omitted_problems)),
            words,
        )
    )
    copied = {result.header[p] for p in result.copies}
    for name in result.unknown_columns:
        lines.append(words["copy" if name in copied else "unknown"].format(name))
    if result.unread_sheets:
        lines.append(words["unread"].format(said_in(result.unread_sheets.said(), lang)))
    if result.hidden_cells:
        lines.append(words["hidden"].format(said_in(result.hidden_cells.said(), lang)))
    summary = words["summary"].format(result.change_count, result.problem_count)
    lines.append(summary + (words["written"].format(out) if out else words["not_written"]))
    if result.errors_left:
        kinds = ", ".join(f"{code} ×{n}" for code, n in sorted(result.error_kinds.items()))
        lines.append(
            words["errors_left"].format(n=result.errors_left, kinds=kinds, path=out or source)
            + (words["once_written"] if not out else "")
            + "."
        )
    elif result.errors_left == 0:
        lines.append(words["valid"])
    return "\n".join(visible(line) for line in lines)  # cells may hold escapes


def _detected_lines(
    det: dict[str, Any], source: str, words: dict[str, str], lang: str
) -> list[str]:
    """What the reading found out about the file: format, encoding, delimiter, sheet."""
    if not det:
        return []
    bits = [
        words["detected_bit"].format(words[k], det[k])
        for k in ("format", "encoding", "delimiter", "sheet")
        if det.get(k) not in (None, "")
    ]
    if det.get("sheet_ignored"):
        from moisinno_data.report.labels import word

        bits.append(word("sheet_ignored", lang, sheet=det["sheet_ignored"]))
    return [words["detected"].format(source, ", ".join(bits))]


def _change_line(c: Change, words: dict[str, str], lang: str) -> str:
    if c.rule in ("ligne-vide", "ligne-titre"):
        return words["blank_row"].format(c.row, c.message_in(lang))
    if c.rule == "colonne-vide" and c.last:
        return words["empty_columns"].format(c.column, c.last, c.message_in(lang))
    if c.rule == "colonne-vide":
        return words["empty_column"].format(c.column, c.message_in(lang))
    if c.rule == "ligne-sep":
        return words["separator_line"].format(c.message_in(lang))
    line = words["typed_cell" if c.rule == "cellule-du-tableur" else "change"]
    return line.format(
        row=c.row,
        column=c.column,
        field=c.field,
        before=c.before,
        after=c.after,
        why=c.message_in(lang),
    )


def _problem_line(p: Problem, words: dict[str, str], lang: str) -> str:
    """A value to check as the list says it: a whole line's (column 0: a line read in
    another encoding) with its text, since no one cell is meant."""
    line = words["line_problem" if p.column == 0 else "problem"]
    return line.format(
        row=p.row, column=p.column, field=p.field, value=p.value, why=p.message_in(lang)
    )


def _capped(items: Sequence[_Listed], most: int | None) -> tuple[list[_Listed], Counter[str]]:
    """The first ``most`` items of each rule (all when None), and how many of each are left."""
    hidden: Counter[str] = Counter()
    if most is None:
        return list(items), hidden
    seen: Counter[str] = Counter()
    shown: list[_Listed] = []
    for item in items:
        seen[item.rule] += 1
        if seen[item.rule] <= most:
            shown.append(item)
        else:
            hidden[item.rule] += 1
    return shown, hidden


def _omitted_lines(
    changes: dict[str, int], problems: dict[str, int], words: dict[str, str]
) -> list[str]:
    """What the list leaves out (past :data:`KEEP_CHANGES`, or ``--max``): counted by rule."""
    lines = []
    for omitted, what in ((changes, words["changes"]), (problems, words["problems"])):
        if omitted:
            rules = ", ".join(f"{rule} ×{n}" for rule, n in sorted(omitted.items()))
            lines.append(words["omitted"].format(n=sum(omitted.values()), what=what, rules=rules))
    return lines
