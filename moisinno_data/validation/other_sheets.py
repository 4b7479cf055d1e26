"""Other sheets of a workbook that hold the table too, and are not read.

Every command reads one sheet of a workbook (``--sheet``, by default the first one a person
sees). A contributor who keeps one sheet per year ("2023", "2024") sends rows that no
command reads unless asked: consolidate published the first sheet's row and said every row
received was accounted for (sweep 11). validate, fix and consolidate name those sheets with
one function, :func:`unread_sheets`, which asks of each other visible sheet what the
command asked of the sheet it read: is one of its first rows clearly the table's header
(:func:`.resolution.header_row`)?

The cost is bounded: only the first :data:`HEADER_SEARCH_ROWS` rows of a sheet are read,
of :data:`SHEETS_LOOKED` other sheets at most (a workbook may hold 10,000 of them); those
not looked at are counted, and said.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from moisinno_data.package.descriptors import SchemaDescriptor
from moisinno_data.package.text import Said, in_lang, visible
from moisinno_data.reading.archive import parts_kept
from moisinno_data.reading.budget import current
from moisinno_data.reading.rows import first_rows
from moisinno_data.reading.sheets import sheet_names
from moisinno_data.validation.resolution import HEADER_SEARCH_ROWS, header_row

SHEETS_LOOKED = 10
"""Other sheets whose first rows are read, at most; the others are counted."""

WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "found": "{n} autre(s) feuille(s) non lue(s) : {names} (en-tête de la table{table})",
        "unlooked": "{n} autre(s) feuille(s) non examinée(s) (seules les {looked} premières "
        "le sont)",
        "none": "d'autres feuilles du classeur ne sont pas lues",
        "separator": " ; ",
        "quote": "« {} »",
        "hint": "seule la feuille {read} est lue : lisez chaque autre feuille avec --sheet "
        "NOM (une commande par feuille), ou réunissez leurs lignes dans la feuille {read}",
    },
    "en": {
        "found": "{n} other sheet(s) not read: {names} (with the header of the table{table})",
        "unlooked": "{n} other sheet(s) not looked at (only the first {looked} are)",
        "none": "other sheets of the workbook are not read",
        "separator": "; ",
        "quote": "“{}”",
        "hint": "only sheet {read} is read: read each other sheet with --sheet NAME (one run "
        "per sheet), or gather their rows in sheet {read}",
    },
}
"""The words of :class:`UnreadSheets`."""


@dataclass
class UnreadSheets:
    """The other visible sheets of a workbook with the table's header (``sheets``), and
    how many were not looked at (``unlooked``); false when there is nothing to say."""

    sheets: list[str] = field(default_factory=list)
    unlooked: int = 0
    table: str = ""
    read: str = ""
    """The sheet the command read."""

    @classmethod
    def of(cls, params: dict[str, Any] | None) -> UnreadSheets:
        """Read back from :attr:`params` (a finding's)."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (params or {}).items() if k in names})

    def __bool__(self) -> bool:
        return bool(self.sheets or self.unlooked)

    @property
    def params(self) -> dict[str, Any]:
        """As a finding's ``params`` and in the JSON of fix and consolidate."""
        return asdict(self)

    def message(self, lang: str = "fr") -> str:
        words = in_lang(WORDS, lang)
        parts = []
        if self.sheets:
            names = ", ".join(words["quote"].format(visible(name)) for name in self.sheets)
            table = f" {self.table}" if self.table else ""  # fix knows the schema only
            parts.append(words["found"].format(n=len(self.sheets), names=names, table=table))
        if self.unlooked:
            parts.append(words["unlooked"].format(n=self.unlooked, looked=SHEETS_LOOKED))
        return words["separator"].join(parts) or words["none"]

    def hint(self, lang: str = "fr") -> str:
        words = in_lang(WORDS, lang)
        return words["hint"].format(read=words["quote"].format(visible(self.read or "?")))

    def said(self) -> Said:
        """Message and hint in one sentence, as fix and consolidate list it."""
        return Said(
            f"{self.message('fr')} — {self.hint('fr')}", f"{self.message('en')} — {self.hint('en')}"
        )


def unread_sheets(
    path: Path, detected: dict[str, Any], table: str, schema: SchemaDescriptor
) -> UnreadSheets:
    """The other visible sheets of the workbook read as ``detected`` whose first rows hold
    the header of ``table`` (see the module's doc); nothing for a CSV."""
    read = detected.get("sheet")
    if not read:
        return UnreadSheets()
    fmt, budget, tables = detected["format"], current(), {table: schema}
    others = [name for name in sheet_names(path, fmt, budget, shown=True) if name != read]
    looked = others[:SHEETS_LOOKED]
    with parts_kept():  # one parse of an XLSX's shared strings for all the sheets looked at
        found = [
            name
            for name in looked
            if header_row(first_rows(path, {**detected, "sheet": name}, HEADER_SEARCH_ROWS), tables)
        ]
    return UnreadSheets(found, len(others) - len(looked), table, read)
