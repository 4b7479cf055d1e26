"""Cells a spreadsheet would run as a formula: one rule, for ``validate`` and for every
file we write for people to open (OWASP "CSV injection").

The rule. A cell is a *formula* when, after any leading whitespace (spaces, tabs, line
breaks, no-break spaces, zero-width characters), it starts with ``=``, ``+``, ``-`` or
``@`` — or their full-width forms ``＝ ＋ － ＠`` (and the small ``﹦ ﹢ ﹣ ﹫``), which
spreadsheets with an East Asian input method take for the ASCII ones — followed by
something. Two exceptions keep ordinary data readable:

- a **plain number**: a sign followed only by digits, spaces and decimal or group
  separators, with an optional exponent — ``-1.5``, ``-0,5792``, ``+33 1 23 45 67 89``,
  ``+33123456789``, ``-1e5`` — or a signed infinity or NaN as a Table Schema number
  writes them (``-INF``, ``-Infinity``, ``+nan``, ``-sNaN``). A spreadsheet reads it as a
  number (or fails on the spaces or the word) and can run nothing. ``-1+1`` is not one
  (an operator), nor ``－1`` (full width);
- a **pair of plain numbers**, as a ``geopoint`` writes one: ``-149.57, -17.53`` (Tahiti,
  west and south: both signed), ``-1.55,+47.21``. Digits, points, a comma and signs: no
  name, reference or function for a spreadsheet to run;
- a **lone sign**: ``-`` or ``=`` alone, the usual placeholder for "no value".

Writing. :func:`neutralise` prefixes such a cell with ``'`` — the apostrophe spreadsheets
take as "this is text" — and does the same for a cell starting with a tab or a carriage
return (a spreadsheet may trim it into a formula). Numbers stay numbers. Published CSVs
(``datasets/``) never go through it: a row holding a formula is rejected by
``consolidate`` instead, so the published data is never altered. XLSX files we write
(the template) store every cell as a string cell (``write_string``), which spreadsheets
never evaluate, so they need no prefix.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import IO

#: Leading characters skipped before looking for a trigger (literal characters, so the
#: same text works in Python's ``re`` and in polars' Rust engine).
_LEADING = "[\\s\x1c-\x1f\u200b\u200c\u200d\u2060\ufeff]*"
_TRIGGERS = "=+\\-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b"
#: A cell that may be a formula: a trigger then something that is not blank.
FORMULA_PATTERN = f"(?s)^{_LEADING}([{_TRIGGERS}])\\s*\\S"
#: Two plain numbers, the first signed, as a geopoint writes them (``-149.57, -17.53``).
_PAIR = "[+\\-][0-9]+(?:\\.[0-9]+)?\\s*,\\s*[+\\-]?[0-9]+(?:\\.[0-9]+)?"
#: A signed plain number (or phone number), as a spreadsheet reads one: digits with
#: spaces, points or commas (``-1 234,5``, ``-.5``), an exponent, a percent or currency
#: sign after it (``-12 %``, ``-5 €``); or a pair of them (:data:`_PAIR`). Never a formula.
NUMBER_PATTERN = (
    f"^{_LEADING}(?:[+\\-]\\s*(?:(?:[0-9]|[.,][0-9])[0-9\\s.,]*(?:[eE][+\\-]?[0-9]+)?\\s*[%€$£]?"
    "|(?i:inf|infinity|s?nan))"
    f"|{_PAIR})\\s*$"
)

_FORMULA = re.compile(FORMULA_PATTERN)
_NUMBER = re.compile(NUMBER_PATTERN)


def is_formula(value: str | None) -> bool:
    """True when a spreadsheet would evaluate ``value`` (see the rule above)."""
    if not value or value[0].isalnum():  # most cells: no regex (consolidate asks per cell)
        return False
    return _FORMULA.search(value) is not None and _NUMBER.search(value) is None


def is_neutralised_formula(value: str | None) -> bool:
    """True for a formula behind the ``'`` that :func:`neutralise` puts in front (a fixed
    file sent back): the ``'`` is for the spreadsheet, not a character of the value."""
    return value is not None and value[:1] == "'" and is_formula(value[1:])


def neutralise(value: object) -> str:
    """``value`` as text a spreadsheet shows as is: formulas get a leading ``'``."""
    text = "" if value is None else str(value)
    if text[:1] in ("\t", "\r") or is_formula(text):
        return "'" + text
    return text


def to_csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A CSV for people (rejects, journal, fixed file, corrections): every cell neutralised.

    Same dialect as the published form (:func:`moisinno_data.package.canonical.to_csv_text`):
    UTF-8, ``,``, ``\\n``, minimal quoting. A header holding another separator (``;``,
    tab, ``|``) is quoted whole: a reader that guesses the separator from the header
    (ours, a spreadsheet's) would otherwise take that one, and read other columns than
    were written.
    """
    out = io.StringIO()
    write_csv(out, header, rows)
    return out.getvalue()


def write_csv(out: IO[str], header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """:func:`to_csv_text` written to ``out`` row by row (a big file is never held); the
    number of rows written."""
    cells = [neutralise(h) for h in header]
    guessable = any(sep in cell for cell in cells for sep in CSV_SEPARATORS[1:])
    body = csv.writer(out, lineterminator="\n")
    head = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL) if guessable else body
    head.writerow(cells)
    count = 0
    for row in rows:
        body.writerow([neutralise(c) for c in row])
        count += 1
    return count


CSV_SEPARATORS = (",", ";", "\t", "|")
"""The separators a CSV may use, ours first: those :mod:`moisinno_data.reading.sniff` tries."""


class SafeWriter:
    """A ``csv.writer`` look-alike that neutralises every cell (for streamed outputs)."""

    def __init__(self, fh, **kwargs) -> None:
        self._writer = csv.writer(fh, **kwargs)

    def writerow(self, row: Iterable[object]):
        return self._writer.writerow([neutralise(c) for c in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(fh, **kwargs) -> SafeWriter:
    """Drop-in for ``csv.writer(fh, ...)`` in code that writes CSVs for people."""
    return SafeWriter(fh, **kwargs)


__all__ = [
    "FORMULA_PATTERN",
    "NUMBER_PATTERN",
    "is_formula",
    "neutralise",
    "to_csv_text",
    "write_csv",
    "writer",
]
