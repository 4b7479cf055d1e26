"""Rows and columns of a sheet that a person does not see on opening the workbook.

A steward checks a sheet by eye; rows hidden (``<row hidden="1">`` in XLSX, a ROW record's
hidden flag in XLS, ``table:visibility="collapse"`` in ODS, or of zero height, or in an ODS
group folded), rows left out by a filter
(Excel's active filter, ODS ``table:visibility="filter"``) and hidden columns are read all
the same, and were published without a word: drafts, old rows, totals. The readers note
them here as they read (:func:`.sheets.sheet_rows`'s ``hidden``), in runs — a row
repeated a billion times in an ODS is one run, not a billion entries — and only rows
holding a value (LibreOffice hides the empty rows below a table by the million). Every
command says them with this one class: validate's ``hidden-cells`` warning, fix's and
consolidate's « À VÉRIFIER ». They stay read and kept: removing them could lose data.
"""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from moisinno_data.package.text import Said, in_lang, visible
from moisinno_data.reading.budget import MERGES_KEPT

RUNS_KEPT = MERGES_KEPT
"""Runs of hidden rows, or of hidden columns, kept (named); the others are counted."""
RUNS_SAID = 10
"""Runs named in a sentence; the others are counted there (all are in the JSON)."""
LABELS_SAID = 5
"""Headers of hidden columns quoted in a sentence."""

WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "row": "ligne {}",
        "rows": "lignes {}",
        "column": "colonne {}",
        "columns": "colonnes {}",
        "span": "{} à {}",
        "and": " et ",
        "more": " (et {} autre(s) plage(s))",
        "hidden": "{} masquée",
        "hiddens": "{} masquées",
        "filtered": "{} cachée par un filtre",
        "filtereds": "{} cachées par un filtre",
        "labels": " (en-tête(s) : {})",
        "quote": "« {} »",
        "separator": " ; ",
        "message": "{parts} dans le tableur : invisible à l'ouverture du classeur, ce "
        "contenu est pourtant lu et sera publié comme le reste",
        "hint": "affichez-les et vérifiez-les (Excel : sélectionnez toute la feuille, clic "
        "droit sur les numéros de ligne ou les lettres de colonne > Afficher ; un filtre : "
        "Données > Effacer ; LibreOffice : Format > Lignes ou Colonnes > Afficher), ou "
        "supprimez-les si elles ne doivent pas être publiées",
    },
    "en": {
        "row": "row {}",
        "rows": "rows {}",
        "column": "column {}",
        "columns": "columns {}",
        "span": "{} to {}",
        "and": " and ",
        "more": " (and {} more range(s))",
        "hidden": "{} hidden",
        "hiddens": "{} hidden",
        "filtered": "{} hidden by a filter",
        "filtereds": "{} hidden by a filter",
        "labels": " (header(s): {})",
        "quote": "“{}”",
        "separator": "; ",
        "message": "{parts} in the spreadsheet: unseen on opening the workbook, this "
        "content is read all the same and will be published like the rest",
        "hint": "show them and check them (Excel: select the whole sheet, right-click the "
        "row numbers or column letters > Unhide; a filter: Data > Clear; LibreOffice: "
        "Format > Rows or Columns > Show), or delete them if they must not be published",
    },
}
"""The words of :class:`HiddenCells`."""


def zero_size(size: str | None) -> bool:
    """A row height or column width of nothing (XLSX ``ht="0"``, ``width="0"``, ODS
    ``style:row-height="0cm"``, ``style:column-width="0in"``): the row or column is
    unseen as a hidden one, without the flag (programs other than Excel and LibreOffice
    write it so)."""
    number = (size or "").strip().rstrip("abcdefghijklmnopqrstuvwxyz%")
    try:
        return len(number) <= 20 and float(number) == 0
    except ValueError:
        return False


@dataclass
class HiddenCells:
    """Runs of hidden rows ``[first, last, how]`` (``how``: ``"hidden"`` or
    ``"filtered"``) and of hidden columns ``[first, last]``, numbered from 1 as the
    spreadsheet shows them, in the sheet's order; runs past :data:`RUNS_KEPT` counted in
    ``more``. False when nothing is hidden."""

    rows: list[list[Any]] = field(default_factory=list)
    columns: list[list[int]] = field(default_factory=list)
    more: int = 0
    labels: list[str] = field(default_factory=list)
    """The headers of the hidden columns (once known: :meth:`within`)."""

    @classmethod
    def of(cls, params: dict[str, Any] | None) -> HiddenCells:
        """Read back from :attr:`params` (a finding's)."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (params or {}).items() if k in names})

    def __bool__(self) -> bool:
        return bool(self.rows or self.columns or self.more)

    @property
    def params(self) -> dict[str, Any]:
        """As a finding's ``params`` and in the JSON of fix and consolidate."""
        return asdict(self)

    # -- noting, as a reader reads ------------------------------------------------------

    def clear(self) -> None:
        """Nothing noted: for a new reading of the sheet."""
        self.rows, self.columns, self.more, self.labels = [], [], 0, []

    def note_rows(self, first: int, count: int, how: str = "hidden") -> None:
        """Rows ``first`` to ``first + count - 1``, hidden or ``"filtered"``: one run
        (joined to the last one when they touch), whatever ``count``."""
        last = first + count - 1
        runs = self.rows
        if runs and runs[-1][2] == how and runs[-1][1] + 1 >= first:
            runs[-1][1] = max(runs[-1][1], last)
        elif len(runs) < RUNS_KEPT:
            runs.append([first, last, how])
        else:
            self.more += 1

    def note_columns(self, first: int, last: int) -> None:
        """Columns ``first`` to ``last``, hidden."""
        runs = self.columns
        if runs and runs[-1][1] + 1 >= first:
            runs[-1][1] = max(runs[-1][1], last)
        elif len(runs) < RUNS_KEPT:
            runs.append([first, last])
        else:
            self.more += 1

    def settle_filter(self, pending: HiddenCells, span: tuple[int, int] | None) -> None:
        """Note ``pending``'s rows, all hidden while a filter is active: those within
        ``span`` (the filter's rows below its own header) as left out by it, the others
        as hidden by hand (« Données > Effacer » would not show them); all filtered
        when the filter's range is not known (a filter of a table, kept apart)."""
        first, last = span or (0, 1 << 62)
        for a, b, _ in pending.rows:  # a run: up to three pieces, in order
            for lo, hi, how in (
                (a, first - 1, "hidden"),
                (first, last, "filtered"),
                (last + 1, b, "hidden"),
            ):
                lo, hi = max(a, lo), min(b, hi)
                if lo <= hi:
                    self.note_rows(lo, hi - lo + 1, how)
        self.more += pending.more

    def without(self, rows: list[int]) -> HiddenCells:
        """These runs less the ``rows`` (sorted) a command leaves out — consolidate's
        rejected rows, said with their reasons and not published: the sentence says
        « sera publié »."""
        kept = HiddenCells([], self.columns, self.more, self.labels)
        for a, b, how in self.rows:
            start = a
            for row in rows[bisect.bisect_left(rows, a) : bisect.bisect_right(rows, b)]:
                if start < row:
                    kept.note_rows(start, row - start, how)
                start = row + 1
            if start <= b:
                kept.note_rows(start, b - start + 1, how)
        return kept

    def within(self, header_row: int, header: list[str]) -> HiddenCells:
        """Only what the table holds: rows from ``header_row`` on — the header too: its
        labels decide which field each column feeds, and hidden, the steward sees
        columns without them; a hidden title above it is not published — and columns
        under the ``header`` (Excel users hide every column right of the table), with
        their headers."""
        width = len(header)
        rows = [[max(a, header_row), b, how] for a, b, how in self.rows if b >= header_row]
        columns = [[a, min(b, width)] for a, b in self.columns if a <= width]
        labels = [
            visible(header[i - 1]) for a, b in columns for i in range(a, b + 1) if header[i - 1]
        ]
        return HiddenCells(rows, columns, self.more, labels[: LABELS_SAID + 1])

    # -- saying --------------------------------------------------------------------------

    def message(self, lang: str = "fr") -> str:
        words = in_lang(WORDS, lang)
        parts = []
        for how in ("hidden", "filtered"):
            runs = [(a, b) for a, b, kind in self.rows if kind == how]
            if runs:
                parts.append(_runs(runs, ("row", how), str, words))
        if self.columns:
            from moisinno_data.reading.xlsx import column_letter

            runs = [(a, b) for a, b in self.columns]
            labels = ", ".join(words["quote"].format(n) for n in self.labels[:LABELS_SAID])
            labels += ", …" if len(self.labels) > LABELS_SAID else ""
            parts.append(
                _runs(runs, ("column", "hidden"), column_letter, words)
                + (words["labels"].format(labels) if labels else "")
            )
        said = words["separator"].join(parts)
        if self.more:
            said += words["more"].format(self.more)
        return words["message"].format(parts=said)

    def hint(self, lang: str = "fr") -> str:
        return in_lang(WORDS, lang)["hint"]

    def said(self) -> Said:
        """Message and hint in one sentence, as fix and consolidate list it."""
        return Said(
            f"{self.message('fr')} — {self.hint('fr')}", f"{self.message('en')} — {self.hint('en')}"
        )


def _runs(runs: list, what: tuple[str, str], name: Any, words: dict[str, str]) -> str:
    """``lignes 12 à 40 et 45 masquées`` (``what``: ``row`` or ``column``, and
    ``hidden`` or ``filtered``; ``name``: how a number is shown), the first
    :data:`RUNS_SAID` runs named, the others counted."""
    shown = [name(a) if a == b else words["span"].format(name(a), name(b)) for a, b in runs]
    listed = shown[:RUNS_SAID]
    text = ", ".join(listed[:-1]) + words["and"] + listed[-1] if len(listed) > 1 else listed[0]
    if len(shown) > RUNS_SAID:
        text += words["more"].format(len(shown) - RUNS_SAID)
    plural = "" if len(runs) == 1 and runs[0][0] == runs[0][1] else "s"
    one, how = what
    return words[how + plural].format(words[one + plural].format(text))
