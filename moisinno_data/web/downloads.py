"""The CSV files the page hands to stewards (``corrige.csv``, ``corrections.csv``).

They are opened in spreadsheets, so every CSV the page serves is written by
:func:`csv_bytes` and nowhere else: one place decides how cells are written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from moisinno_data.package import spreadsheet

CHANGES_HEADER = ["ligne", "colonne", "champ", "avant", "apres", "regle", "message"]


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8, ``,``, ``\\n`` as ``moisinno fix`` writes, every cell that a spreadsheet would
    evaluate as a formula neutralised (a leading ``'``)."""
    return spreadsheet.to_csv_text(header, rows).encode("utf-8")


def changes_csv(result: Any) -> bytes:
    """Every change of ``moisinno fix`` (line, column, before → after), then what it could
    not fix, one per line; past the ones it lists, a line per rule counts the others."""
    rows: list[list[Any]] = [
        [c.row, c.column, c.field, c.before, c.after, c.rule, c.message] for c in result.changes
    ]
    rows += [
        [p.row, p.column, p.field, p.value, "", p.rule, "À VÉRIFIER : " + p.message]
        for p in result.problems
    ]
    for omitted, what in (
        (result.omitted_changes, "changement(s) de cette règle"),
        (result.omitted_problems, "valeur(s) à vérifier de cette règle"),
    ):
        rows += [
            ["", "", "", "", "", rule, f"… et {n} autre(s) {what}, non listé(s)"]
            for rule, n in sorted(omitted.items())
        ]
    return csv_bytes(CHANGES_HEADER, rows)
