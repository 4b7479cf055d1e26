"""``formula-injection``: text cells that a spreadsheet would execute as a formula.

A cell opened in Excel or LibreOffice that starts with ``=`` or ``@`` is a formula; one
that starts with ``+`` or ``-`` is one too, but that is also how negative coordinates
(``-0.5792``) and international phone numbers (``+33 1 23 45 67 89``) begin, so those are
flagged only when what follows looks like formula text: a function call (``+HYPERLINK(``,
``-SUM(``), a DDE link (``-2+3+cmd|' /C calc'!A0``) or a cell reference (``-A1+B2``).
(OWASP "CSV injection".)

Only text columns are looked at: a number or date column holding ``=1+1`` is already a
``type-error``.

Params: optional ``columns`` (list of column names); default every text column.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from moisinno_data.validation.kinds import Kind
from moisinno_data.validation.messages import column_phrase, quote, t
from moisinno_data.validation.report import Finding
from moisinno_data.validation.rules._cells import field_of, findings_from

NAME = "formula-injection"

# `=` or `@` followed by anything: Excel and LibreOffice evaluate it.
_ALWAYS = r"^[=@]."
# `+`/`-` then a function call, a DDE pipe, or a cell reference at the start.
_AFTER_SIGN = r"^[+\-](?:.*[A-Z][A-Z0-9.]*\(|.*\||\s*\$?[A-Za-z]{1,3}\$?[0-9]+(?:\s*[-+*/^&:]|$))"
_TEXT_TYPES = {"string", "any", None}


def pattern() -> str:
    """The regular expression (Rust/polars syntax) a cell must match to be flagged."""
    return f"(?s)(?:{_ALWAYS}|{_AFTER_SIGN})"


def check(params: dict[str, Any], batch: pl.DataFrame, context: Any) -> list[Finding]:
    wanted = params.get("columns")
    if isinstance(wanted, list):
        columns = [c for c in wanted if isinstance(c, str) and c in batch.columns]
    else:
        columns = [
            c
            for c in batch.columns
            if c != "__row__" and field_of(context.schema, c).get("type") in _TEXT_TYPES
        ]
    if not columns:
        return []
    regex = pattern()
    # One select for all columns: polars scans them in parallel.
    hits = batch.select(pl.col(c).str.contains(regex).fill_null(False) for c in columns)
    findings: list[Finding] = []
    for column in columns:
        mask = hits.get_column(column)
        if not mask.any():
            continue
        rows = batch.filter(mask).with_columns(pl.col(column).str.slice(0, 1).alias("first"))
        findings += findings_from(rows, code="formula-injection", field=column, params=["first"])
    findings.sort(key=lambda f: f.row or 0)
    return findings


# --- what its findings say (the registry of finding kinds collects KINDS) ---------


def _formula(f: Finding, lang: str) -> str:
    first = (f.params or {}).get("first") or (f.value or " ")[0]
    return t(
        lang,
        f"La valeur {quote(f.value, lang)} de {column_phrase(f, lang)} commence par {quote(first, lang)} : "
        "un tableur l'exécuterait comme une formule.",
        f"Value {quote(f.value, lang)} in {column_phrase(f, lang)} starts with {quote(first, lang)}: a "
        "spreadsheet would run it as a formula.",
    )


def _formula_hint(f: Finding, lang: str) -> str:
    first = (f.params or {}).get("first") or (f.value or " ")[0]
    return t(
        lang,
        f"retirez le « {first} » initial : une donnée publiée ne doit pas contenir de formule",
        f'remove the leading "{first}": published data must not hold formulas',
    )


KINDS = (
    Kind(
        "formula-injection", "error", ("Formule de tableur", "Spreadsheet formula"),
        _formula, _formula_hint, f"rule:{NAME}",
    ),
)  # fmt: skip
