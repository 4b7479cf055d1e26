"""The CSV files the page hands to stewards (``corrige.csv``, ``corrections.csv``).

They are opened in spreadsheets, so every CSV the page serves is written by
:func:`csv_bytes` and nowhere else: one place decides how cells are written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from moisinno_data.package import spreadsheet
from moisinno_data.package.text import in_lang

CHANGES_HEADER = ["ligne", "colonne", "champ", "avant", "apres", "regle", "message"]

CHANGES_WORDS: dict[str, dict[str, Any]] = {
    "fr": {
        "header": CHANGES_HEADER,
        "to_check": "À VÉRIFIER : ",
        "changes": "changement(s) de cette règle",
        "problems": "valeur(s) à vérifier de cette règle",
        "omitted": "… et {n} autre(s) {what}, non listé(s)",
    },
    "en": {
        "header": ["line", "column", "field", "before", "after", "rule", "message"],
        "to_check": "TO CHECK: ",
        "changes": "change(s) of this rule",
        "problems": "value(s) to check of this rule",
        "omitted": "… and {n} more {what}, not listed",
    },
}
"""The words of ``corrections.csv`` in each language of the page; the rules' names (the
``regle`` / ``rule`` column) are identifiers and stay as ``moisinno fix --format json``
gives them."""


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8, ``,``, ``\\n`` as ``moisinno fix`` writes, every cell that a spreadsheet would
    evaluate as a formula neutralised (a leading ``'``)."""
    return spreadsheet.to_csv_text(header, rows).encode("utf-8")


def changes_csv(result: Any, lang: str = "fr") -> bytes:
    """Every change of ``moisinno fix`` (line, column, before → after), then what it could
    not fix, one per line; past the ones it lists, a line per rule counts the others. In
    ``lang``: headers and messages (each rule's message as ``moisinno fix --lang`` says it)."""
    words = in_lang(CHANGES_WORDS, lang)
    rows: list[list[Any]] = [
        [c.row, c.column, c.field, c.before, c.after, c.rule, c.message_in(lang)]
        for c in result.changes
    ]
    rows += [
        [p.row, p.column, p.field, p.value, "", p.rule, words["to_check"] + p.message_in(lang)]
        for p in result.problems
    ]
    for omitted, what in (
        (result.omitted_changes, words["changes"]),
        (result.omitted_problems, words["problems"]),
    ):
        rows += [
            ["", "", "", "", "", rule, words["omitted"].format(n=n, what=what)]
            for rule, n in sorted(omitted.items())
        ]
    return csv_bytes(words["header"], rows)
