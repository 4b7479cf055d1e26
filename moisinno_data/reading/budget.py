"""How much a file may make us read, hold and build: one budget for every input.

A contributed file can be hostile (an upload on the web page, a file from a stranger): a
4.8 KB spreadsheet can declare a cell at ``XFD1048576`` or a billion repeated rows, a zip
entry can inflate to gigabytes. Every reader checks these caps *while* it reads, before
anything is built, and refuses the file with one sentence
(:class:`~moisinno_data.errors.InputError`, exit 2) once a cap is passed.

The defaults fit what stewards really receive (a 1M-row export passes; Excel's own grid is
1,048,576 rows × 16,384 columns); a caller serving strangers passes a smaller budget with
:func:`limits` (the web page) or to the reading functions directly.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from moisinno_data.errors import InputError

T = TypeVar("T")


@dataclass(frozen=True)
class Budget:
    max_rows: int = 1_048_576
    """Rows of a sheet (the header included): Excel's own limit."""
    max_cols: int = 16_384
    """Columns of a sheet or of a CSV header: Excel's own limit."""
    max_blank_rows: int = 100_000
    """Empty rows in a row *inside* a table: more is a sparse sheet (a stray far cell)."""
    max_cells: int = 40_000_000
    """Cells a sheet may make us build (rows × header width, plus cells beyond it)."""
    max_held_cells: int = 11_000_000
    """Cells of the files of one batch that a command holding every row until the end may
    read (``consolidate``: it merges, checks and accounts for them all at once): each
    costs ~180 bytes there (made-up events of 18 columns: 3.2 GB for 1M rows, 2 GB for
    611,000 rows, 11M cells), so the default keeps it within about 2 GB.
    ``consolidate --help`` and the README say it."""
    max_entry_bytes: int = 2 << 30
    """Uncompressed size of one entry of an XLSX/ODS archive; also the text a sheet's
    cells may take from elsewhere than their own place in it (:class:`Repeats`)."""
    max_entries: int = 10_000
    """Entries in an XLSX/ODS archive."""
    max_sheets: int = 10_000
    """Sheets of a workbook (LibreOffice's own limit): their names are held, and 1 MB of
    zipped ``<table:table table:name="F1"/>`` names a million."""
    max_listed: int = 100_000
    """Entries of a workbook's own lists — the relationships of a part, its number formats,
    its cell styles — each held: Excel keeps 65,490 cell styles at most, and 88 KB of zipped
    ``<Relationship/>`` named three million, held 540 MB and took two minutes to read."""
    max_shared_strings: int = 5_000_000
    """Distinct strings of an XLSX workbook (they are held in memory)."""
    max_shared_chars: int = 256 << 20
    """Characters of those strings together: 120 strings of 16 MB each zip to 1.9 MB and
    held 2 GB."""
    max_cell_bytes: int = 16 << 20
    """A cell longer than this is refused (the file, not just the cell): nothing real is."""
    long_cell_chars: int = 32_767
    """A cell longer than this is reported (Excel cuts cells there) and still checked."""
    max_long_repeats: int = 256 << 20
    """Characters that such long cells take from elsewhere than their own place (a shared
    string used again, a repeated ODS cell or row): no spreadsheet writes them, and 120
    uses of one 16 MB shared string (18 KB zipped) made ``fix`` write 1.9 GB."""
    max_depth: int = 256
    """Elements nested in one another in the XML of a workbook: a real one nests a few
    levels; millions of them cost expat's own stack hundreds of megabytes."""
    max_seconds: float | None = None
    """Seconds the reading of one file may take (None: no limit). A command has all the
    time its user gives it; a server shared between clients cannot let one file hold a
    worker for minutes."""
    deadline: float | None = None
    """When the reading must be over (:func:`time.monotonic`): set from ``max_seconds``
    when the reading starts (:func:`started`), never by hand."""
    cancelled: threading.Event | None = dataclasses.field(default=None, compare=False)
    """Set by whoever asked for the reading once nobody waits for it any more (the web
    page's client hung up): the reading stops at its next time check."""

    def check_time(self, path: str | Path) -> None:
        """Refuse the file once the deadline has passed, or once the reading is
        :attr:`cancelled`: called in every reading loop."""
        if self.cancelled is not None and self.cancelled.is_set():
            raise InputError(
                f"{path} : lecture interrompue, la demande a été annulée.",
                en=f"{path}: reading interrupted, the request was cancelled.",
            )
        if self.deadline is not None and time.monotonic() > self.deadline:
            csv = str(path).lower().endswith((".csv", ".txt", ".tsv"))
            advice = "" if csv else "enregistrez-le en CSV ou "
            advice_en = "" if csv else "save it as CSV or "
            limit = f"{self.max_seconds:g}"
            raise InputError(
                f"{path} : la lecture du fichier dépasse {limit.replace('.', ',')} s ; "
                f"{advice}découpez-le en fichiers plus petits.",
                en=f"{path}: reading the file takes more than {limit} s; "
                f"{advice_en}split it into smaller files.",
            )


class Repeats:
    """The text a sheet's cells take from elsewhere than their own place in its XML — a
    value repeated (ODS ``number-columns-repeated``, ``number-rows-repeated``, ``text:s``
    spaces), a shared string used again (XLSX) — counted against ``max_entry_bytes``:
    the XML is held to it, what is built from the XML must be too. (2 KB repeating a
    1 MB cell over 3,000 rows was 3 GB of text, 6 GB once in a batch.)"""

    __slots__ = ("left", "limit", "long", "long_left", "long_limit", "path", "sheet")

    def __init__(self, budget: Budget, path: str | Path, sheet: str) -> None:
        self.limit = self.left = budget.max_entry_bytes
        self.long = budget.long_cell_chars
        self.long_limit = self.long_left = budget.max_long_repeats
        self.path, self.sheet = path, sheet

    def add(self, chars: int, long: int = 0) -> None:
        """Count ``chars`` more characters, ``long`` of them from cells longer than
        ``Budget.long_cell_chars``; refuse the file past either limit."""
        self.left -= chars
        self.long_left -= long
        if self.left < 0:
            raise InputError(
                f"{self.path} : la feuille « {self.sheet} » répète ou partage des valeurs "
                f"jusqu'à plus de {human_bytes(self.limit)} de texte ; ce n'est pas un "
                "tableau ordinaire, enregistrez-le en CSV.",
                en=f"{self.path}: sheet “{self.sheet}” repeats or shares values up to more "
                f"than {human_bytes(self.limit, 'en')} of text; this is not an ordinary table, "
                "save it as CSV.",
            )
        if self.long_left < 0:
            raise InputError(
                f"{self.path} : la feuille « {self.sheet} » reprend des cellules de plus de "
                f"{self.long} caractères (plus qu'un tableur n'en tient) jusqu'à plus de "
                f"{human_bytes(self.long_limit)} de texte ; ce n'est pas un tableau ordinaire, "
                "raccourcissez ces cellules ou enregistrez-le en CSV.",
                en=f"{self.path}: sheet “{self.sheet}” reuses cells of more than {self.long} "
                f"characters (more than a spreadsheet holds) up to more than "
                f"{human_bytes(self.long_limit, 'en')} of text; this is not an ordinary table, "
                "shorten those cells or save it as CSV.",
            )

    def long_part(self, lengths: Iterable[int]) -> int:
        """The characters of the cells of ``lengths`` longer than a spreadsheet holds."""
        return sum(n for n in lengths if n > self.long)


def check_sheets(budget: Budget, count: int, path: str | Path) -> None:
    """Refuse a workbook once ``count`` of its sheets (or of their styles) are held past
    ``max_sheets``: called as they are found, before the next one is kept."""
    if count >= budget.max_sheets:
        raise InputError(
            f"{path} : le classeur a plus de {budget.max_sheets} feuilles ; ce n'est pas un "
            "classeur ordinaire, copiez la feuille utile dans un nouveau classeur.",
            en=f"{path}: the workbook has more than {budget.max_sheets} sheets; this is not "
            "an ordinary workbook, copy the sheet you need into a new workbook.",
        )


def check_listed(budget: Budget, count: int, path: str | Path, what: tuple[str, str]) -> None:
    """Refuse a workbook once ``count`` entries of one of its lists (``what``: their name,
    French and English) are held past ``max_listed``: called as they are found."""
    if count >= budget.max_listed:
        fr, en = what
        raise InputError(
            f"{path} : le classeur a plus de {budget.max_listed} {fr} ; ce n'est pas un "
            "classeur ordinaire : copiez la feuille utile dans un nouveau classeur.",
            en=f"{path}: the workbook has more than {budget.max_listed} {en}; it is not an "
            "ordinary workbook: copy the sheet you need into a new workbook.",
        )


DEFAULT = Budget()
MERGES_KEPT = 200
"""Merged ranges of a sheet named, at most: each is a warning, and a sheet merged row by
row (a title over every line) would otherwise make one per row."""
_CURRENT: contextvars.ContextVar[Budget] = contextvars.ContextVar("budget", default=DEFAULT)


def current(budget: Budget | None = None) -> Budget:
    """``budget`` if given (its clock started), else the one set by :func:`limits`, else
    the default.

    Threads do not inherit it: resolve it where the reading starts, not in a worker, and
    hand it over (its deadline goes with it).
    """
    return started(budget) if budget is not None else _CURRENT.get()


def started(budget: Budget) -> Budget:
    """``budget`` with its deadline set, ``max_seconds`` from now, unless it already is."""
    if budget.max_seconds is None or budget.deadline is not None:
        return budget
    return dataclasses.replace(budget, deadline=time.monotonic() + budget.max_seconds)


def paced(items: Iterable[T], path: str | Path, every: int = 4096) -> Iterator[T]:
    """``items``, the time limit of the reading under way (:func:`current`) checked every
    ``every`` of them: for loops over a file's rows or values outside the readers' own."""
    budget = current()
    for k, item in enumerate(items):
        if not k % every:
            budget.check_time(path)
        yield item


@contextlib.contextmanager
def limits(budget: Budget) -> Iterator[Budget]:
    """Read every file opened inside the ``with`` block within ``budget``; its time
    (``max_seconds``) counts from here, for everything read in the block."""
    budget = started(budget)
    token = _CURRENT.set(budget)
    try:
        yield budget
    finally:
        _CURRENT.reset(token)


def human_bytes(n: int, lang: str = "fr") -> str:
    """``2147483648`` → ``2 Gio`` (``2 GiB`` in English): sizes in the refusal sentences."""
    english = lang == "en"
    if n < 1024:
        return f"{n} {'bytes' if english else 'octets'}"
    size = float(n)
    units = ("KiB", "MiB", "GiB") if english else ("Kio", "Mio", "Gio")
    for unit in units:
        size /= 1024
        if size < 1024 or unit == units[-1]:
            return f"{size:.3g} {unit}"
    return f"{size:.3g} {units[-1]}"
