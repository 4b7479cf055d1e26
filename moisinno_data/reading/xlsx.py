"""Read an XLSX sheet as a stream of rows, within the budget.

The sheet XML is parsed chunk by chunk (:mod:`.xmlstream`); no native library sees the
file, so a cell at ``XFD1048576`` costs one check, not a 549 GB grid. The declared
dimension, every row and cell position and every value's length are checked against the
:class:`~.budget.Budget` before anything is built. Values are written as the CSV a steward
would have exported (:func:`.cells.spreadsheet_cell`): numbers, dates (from the cell's
number format), booleans, shared and inline strings.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from moisinno_data.errors import InputError
from moisinno_data.package.text import visible
from moisinno_data.reading.archive import chunks, fail, kept
from moisinno_data.reading.budget import (
    MERGES_KEPT,
    Budget,
    Repeats,
    check_listed,
    check_sheets,
)
from moisinno_data.reading.cells import (
    DurationText,
    FormulaError,
    PercentNumber,
    ShownNumber,
    elapsed,
    shown_duration,
    shown_with_zeros,
    spreadsheet_cell,
    stored_number,
    zero_padded_digits,
)
from moisinno_data.reading.hidden import HiddenCells, zero_size
from moisinno_data.reading.xmlstream import (
    Done,
    TooDeep,
    cell_too_long,
    feed,
    local,
    new_parser,
    sheet_rows,
)

RawRow = tuple[int, list[str], int]
"""(sheet row number, cells, how many times the row repeats)."""

_DATE_IDS = frozenset([*range(14, 18), 22, *range(27, 37), *range(50, 59)])
_CLOCK_IDS = frozenset([18, 19, 20, 21, 45, 47])
"""Built-in formats of a time of day only: h:mm AM/PM, h:mm:ss, mm:ss, mmss.0."""
_DURATION_IDS = {46: "[h]:mm:ss"}
_SHOWN_IDS = frozenset([*range(1, 14), *range(37, 45), 48])
"""Built-in number formats: 0, 0.00, #,##0, 0%, 0.00E+00, # ?/?, accounting…"""
PERCENT_IDS = frozenset([9, 10])
"""Built-in percentage formats: 0%, 0.00%."""
_NOT_DATE_PARTS = re.compile(r'"[^"]*(?:"|$)|\\.|_.|\*.|\[[^\]]*(?:\]|$)')
"""Parts of a number format that show no date: quoted text, escaped and padding
characters, ``[colours]``. A quote or bracket left open runs to the end (as a closed one
would have: linear time; ``[[[…`` of 60,000 characters took 19 s when each ``[`` looked
for its own end)."""
_REF = re.compile(r"([A-Z]{1,3})(\d+)")
_DIMENSION = re.compile(r"([A-Z]{1,3})(\d{1,15})")
"""A dimension's last cell: more digits is no sheet's (and ``int`` refuses 4,300)."""


def column_number(letters: str) -> int:
    """``A`` → 1, ``XFD`` → 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letter(position: int | None) -> str:
    """1 → A, 27 → AA: the column name a spreadsheet shows."""
    if not position or position < 1:
        return ""
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_runs(positions: Iterable[int]) -> list[tuple[int, int]]:
    """The (first, last) of each run of consecutive column numbers in ``positions``
    (ascending): a label typed in XFD1 leaves 16,381 blank columns before it, said as one
    span (« colonnes K à XFC »), not one line each."""
    runs: list[tuple[int, int]] = []
    for p in positions:
        if runs and p == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], p)
        else:
            runs.append((p, p))
    return runs


Kind = str | int | tuple[str, str] | None
"""A cell style's kind: None (General), ``"date"``, ``"clock"`` (a time of day only:
``hh:mm``), ``"shown"``, ``("duration", code)``
(the format, which says how the duration is shown), or an int (:func:`_date_kind`)."""


@functools.lru_cache(maxsize=1024)
def _date_kind(code: str) -> Kind:
    """Whether a number format shows a date or a duration (once per code: thousands of
    styles may share one) — or, as an int, how many digits it shows a whole number with:
    ``00000`` shows 1001 as ``01001``, the way a postal code, an INSEE code or a phone
    number typed into a number cell keeps the zero the person sees."""
    digits = zero_padded_digits(code)
    if digits is not None:
        return digits
    lowered = code.lower()
    if re.search(r"\[(h+|m+|s+)\]", lowered):
        return ("duration", code)
    shown = _NOT_DATE_PARTS.sub("", lowered)
    if re.search("[hs]", shown) and not re.search("[dy]", shown):
        return "clock"  # hh:mm, h:mm:ss AM/PM: a time of day, no day
    return "date" if re.search("[dmyhs]", shown) else None


SUM_OF_TIMES_DAYS = 1000
"""Under a time-of-day format (``hh:mm``), a serial of a day or more but under this is a
sum of times (1.25: 30 h), read as that duration; past it, a date-time whose day the
format hides (2020-11-17 10:30 shown 10:30), read as such, as the XLS and ODS readers
read it: it was a duration of 1,059,658 hours, which a duration field took and fix
published. 1,000 days are 24,000 hours, and no one's date-time falls before 1902."""


_QUOTED = re.compile(r'"[^"]*"|\\.')
"""A number format's literal text (``"km"``, ``\\%``), which says nothing of the number."""


def style_kind(code: str) -> Kind:
    """A format's kind (:func:`_date_kind`), or ``"percent"`` (``0%``, ``0.0 %``), or
    ``"shown"``: a number format other than General, which shows the number otherwise than
    its digits (``#,##0.00``)."""
    kind = _date_kind(code)
    if kind is None and "%" in _QUOTED.sub("", code):
        return "percent"
    if kind is None and code.strip().lower() not in ("general", "@", ""):
        return "shown"
    return kind


def _parse_small(zf: zipfile.ZipFile, name: str, budget: Budget, path: Path, handlers) -> None:
    """Run ``handlers`` (name → callable) over a small part of the workbook."""
    parser = new_parser()
    start, end, text = handlers.get("start"), handlers.get("end"), handlers.get("text")
    if start:
        parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if text:
        parser.CharacterDataHandler = text
    data = chunks(zf, name, budget, path)
    for _ in feed(parser, data, [], path, "classeur", entry=name, budget=budget):
        pass


def _relationships(
    zf: zipfile.ZipFile, part: str, budget: Budget, path: Path
) -> list[tuple[str, str, str]]:
    """(id, type, archive entry) of each relationship of ``part`` ("" for the package)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    found: list[tuple[str, str, str]] = []

    def on_rel(tag: str, attrs: dict[str, str]) -> None:
        if local(tag) == "Relationship":
            check_listed(budget, len(found), path, ("relations entre ses parties", "relationships"))
            target = attrs.get("Target", "")
            target = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            found.append((attrs.get("Id", ""), attrs.get("Type", ""), posixpath.normpath(target)))

    if rels in zf.NameToInfo:
        _parse_small(zf, rels, budget, path, {"start": on_rel})
    return found


def workbook_entry(zf: zipfile.ZipFile, budget: Budget, path: Path) -> str | None:
    """The archive entry of the workbook: ``xl/workbook.xml`` as Excel writes it, else
    where the package's relationships put it (minimal writers put it at the root)."""
    if "xl/workbook.xml" in zf.NameToInfo:
        return "xl/workbook.xml"
    for _id, kind, target in _relationships(zf, "", budget, path):
        if kind.endswith("/officeDocument") and target in zf.NameToInfo:
            return target
    return None


def _book(zf: zipfile.ZipFile, budget: Budget, path: Path) -> tuple[str, list]:
    """The workbook's entry and its relationships."""
    entry = workbook_entry(zf, budget, path) or "xl/workbook.xml"
    return entry, _relationships(zf, entry, budget, path)


def _related(book: tuple[str, list], kind: str, default: str) -> str:
    """The entry of the workbook's part of type ``…/kind`` (``default`` beside the
    workbook when no relationship names one)."""
    entry, rels = book
    for _id, rel_kind, target in rels:
        if rel_kind.endswith(f"/{kind}"):
            return target
    return posixpath.join(posixpath.dirname(entry), default)


def sheets(
    zf: zipfile.ZipFile, budget: Budget, path: Path, *, shown: bool = False
) -> dict[str, str]:
    """Sheet name → the archive entry holding it, in the workbook's order; ``shown``:
    only the worksheets a person sees (not hidden, not a chart sheet)."""
    found: list[tuple[str, str, str]] = []

    def on_sheet(name: str, attrs: dict[str, str]) -> None:
        if local(name) == "sheet":
            check_sheets(budget, len(found), path)
            rid = next((v for k, v in attrs.items() if local(k) == "id"), "")
            found.append((attrs.get("name", ""), rid, attrs.get("state", "visible")))

    entry, rels = _book(zf, budget, path)
    _parse_small(zf, entry, budget, path, {"start": on_sheet})
    targets = {rid: target for rid, _kind, target in rels}
    kinds = {rid: kind for rid, kind, _target in rels}
    folder = posixpath.dirname(entry)
    result = {}
    for index, (name, rid, state) in enumerate(found, start=1):
        if shown and (state != "visible" or kinds.get(rid, "").endswith("/chartsheet")):
            continue
        default = posixpath.join(folder, f"worksheets/sheet{index}.xml")
        result[name] = targets.get(rid, default)
    return result


def _workbook_facts(
    zf: zipfile.ZipFile, budget: Budget, path: Path, book: tuple[str, list]
) -> tuple[bool, list]:
    """Whether dates count from 1904, and each cell style's kind (None, date, duration,
    shown, or the digits a zero-padded format shows, see :func:`style_kind`)."""
    date1904 = [False]
    level = [0]

    def on_book(name: str, attrs: dict[str, str]) -> None:
        # The workbook's own <workbookPr>, a child of the root: Excel 2010 writes another,
        # <x14:workbookPr defaultImageDpi=…/>, deeper in <extLst>, which says nothing of
        # dates (read as the last word, it put a Mac workbook's dates 4 years early).
        level[0] += 1
        if level[0] == 2 and local(name) == "workbookPr":
            date1904[0] = attrs.get("date1904", "0").lower() in ("1", "true")

    def on_book_end(_name: str) -> None:
        level[0] -= 1

    _parse_small(zf, book[0], budget, path, {"start": on_book, "end": on_book_end})
    codes: dict[int, str] = {}
    styles: list[Kind] = []
    depth = {"cellXfs": False}
    formats = [0]  # numFmt elements seen: one id written again and again is still read

    def on_style(name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "numFmt":
            check_listed(budget, formats[0], path, ("formats de nombre", "number formats"))
            formats[0] += 1
            codes[_int(attrs.get("numFmtId"))] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            depth["cellXfs"] = True
        elif tag == "xf" and depth["cellXfs"]:
            check_listed(budget, len(styles), path, ("styles de cellule", "cell styles"))
            fmt = _int(attrs.get("numFmtId"))
            if fmt in codes:
                styles.append(style_kind(codes[fmt]))
            else:
                styles.append(built_in_kind(fmt))

    def on_style_end(name: str) -> None:
        if local(name) == "cellXfs":
            depth["cellXfs"] = False

    styles_entry = _related(book, "styles", "styles.xml")
    if styles_entry in zf.NameToInfo:
        _parse_small(zf, styles_entry, budget, path, {"start": on_style, "end": on_style_end})
    return date1904[0], styles


def built_in_kind(fmt: int) -> Kind:
    """The kind (:func:`style_kind`) of a format Excel knows by its number alone."""
    if fmt in _DATE_IDS:
        return "date"
    if fmt in _CLOCK_IDS:
        return "clock"
    if fmt in _DURATION_IDS:
        return ("duration", _DURATION_IDS[fmt])
    if fmt in PERCENT_IDS:
        return "percent"
    return "shown" if fmt in _SHOWN_IDS else None


def _int(text: str | None, default: int = 0) -> int:
    """A number from the file's text, ``default`` if it is none (or longer than any real
    one: ``int`` refuses 4,300 digits, and a few thousand still cost time)."""
    try:
        return int(text) if text and len(text) <= 20 else default
    except ValueError:
        return default


def shared_strings(
    zf: zipfile.ZipFile, budget: Budget, path: Path, book: tuple[str, list] | None = None
) -> list[str]:
    """The workbook's shared strings, within the budget (they are held in memory); once
    per :func:`.archive.parts_kept` block, however many sheets are read in it."""
    wanted = _related(book or _book(zf, budget, path), "sharedStrings", "sharedStrings.xml")
    return kept(path, ("sharedStrings", wanted), lambda: _shared_strings(zf, budget, path, wanted))


def _shared_strings(zf: zipfile.ZipFile, budget: Budget, path: Path, wanted: str) -> list[str]:
    """The parse itself: one expat event a tag, about a second for 500,000 strings."""
    name = next((n for n in zf.NameToInfo if n.lower() == wanted.lower()), None)
    if name is None:
        return []
    strings: list[str] = []
    state = {"in_t": False, "skip": 0, "size": 0, "total": 0}
    parts: list[str] = []
    cap, total_cap = budget.max_cell_bytes, budget.max_shared_chars

    def start(tag: str, _attrs: dict[str, str]) -> None:
        tag = local(tag)
        if tag == "t" and not state["skip"]:
            state["in_t"] = True
        elif tag in ("rPh", "phoneticPr"):
            state["skip"] += 1

    def end(tag: str) -> None:
        tag = local(tag)
        if tag == "t":
            state["in_t"] = False
        elif tag in ("rPh", "phoneticPr"):
            state["skip"] -= 1
        elif tag == "si":
            if len(strings) >= budget.max_shared_strings:
                raise fail(
                    path,
                    f"plus de {budget.max_shared_strings} textes partagés.",
                    f"more than {budget.max_shared_strings} shared texts.",
                )
            strings.append(unescaped("".join(parts)))
            parts.clear()
            state["total"] += state["size"]
            state["size"] = 0
            if state["total"] > total_cap:
                raise fail(
                    path,
                    f"les textes partagés du classeur dépassent {total_cap} caractères "
                    "(ils sont gardés en mémoire) ; enregistrez-le en CSV.",
                    f"the workbook's shared strings exceed {total_cap} characters (they are "
                    "held in memory); save it as CSV.",
                )

    def text(data: str) -> None:
        if state["in_t"]:
            state["size"] += len(data)
            if state["size"] > cap:
                raise fail(
                    path,
                    f"un texte du classeur dépasse {cap} caractères.",
                    f"a text of the workbook exceeds {cap} characters.",
                )
            parts.append(data)

    _parse_small(zf, name, budget, path, {"start": start, "end": end, "text": text})
    return strings


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
"""A character the XML of a workbook cannot hold as such, as Excel writes it: a carriage
return is ``_x000D_``, and a text holding ``_x0041_`` itself is ``_x005F_x0041_``."""


def unescaped(text: str) -> str:
    """``text`` with its ``_xHHHH_`` escapes (:data:`_ESCAPE`) read as Excel and calamine
    read them: ``REPUBLIQUE_x000D_`` was validated, fixed and published as such. Two
    escapes for the halves of a character past U+FFFF make it whole; a half alone is
    U+FFFD."""
    if "_x" not in text:
        return text
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if any("\ud800" <= c <= "\udfff" for c in text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


def _iso_date(raw: str) -> str:
    """A date cell stored as ISO 8601 text (``t="d"``: openpyxl's ``iso_dates``, other
    writers), read as the date serial it stands for: ``2021-11-02T00:00:00`` is the day
    2021-11-02, as in a date cell of any other workbook, not a text a date field refuses."""
    text = raw.strip()
    for parse in (_dt.datetime.fromisoformat, _dt.time.fromisoformat):
        try:
            return spreadsheet_cell(parse(text))
        except ValueError:
            continue
    return raw


def _boolean(raw: str) -> str:
    """A boolean cell (``t="b"``): ``1`` or ``0`` as Excel writes it, ``true``/``false``
    in any case as other writers do (``TRUE`` was read false); anything else is not a
    boolean any program wrote, and is read as written for the field to judge."""
    text = raw.strip().lower()
    if text in ("1", "true", "0", "false"):
        return spreadsheet_cell(text in ("1", "true"))
    return raw


class _SheetParser:
    """Handlers for one worksheet's XML; rows land in ``out`` as :data:`RawRow`."""

    def __init__(self, path: Path, sheet: str, budget: Budget, repeats: Repeats, book):
        self.path, self.sheet, self.budget, self.repeats = path, sheet, budget, repeats
        self.strings, self.styles, self.date1904 = book
        self.shared = 0  # characters of the row's shared strings, counted in repeats
        self.shared_long = 0  # those of strings longer than a spreadsheet cell holds
        self.out: list[RawRow] = []
        self.number = 0
        self.cells: list[str] = []
        self.col = 0
        self.type: str | None = None
        self.style: str | None = None
        self.text: list[str] | None = None
        self.size = 0
        self.value: str | None = None
        self.inline: list[str] = []
        self.formula = False
        self.skip = 0
        self.open = 0  # elements open (Budget.max_depth)
        self.declared: tuple[int, str] | None = None
        """The rows the sheet declares and its last cell, until its first filled row."""
        self.hidden: HiddenCells | None = None  # noted only when asked for
        self.hidden_row = False
        self.filtering: HiddenCells | None = None
        """Under an active filter, its hidden rows until the filter's range is read (it
        follows the rows): :meth:`HiddenCells.settle_filter`."""
        self.rows_read = False  # past ``sheetData``: read on only for the filter's range

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.open += 1
        if self.open > self.budget.max_depth:
            raise TooDeep
        tag = local(name) if ":" in name else name
        if tag == "c":
            ref = attrs.get("r")
            match = _REF.match(ref) if ref else None
            self.col = column_number(match.group(1)) if match else self.col + 1
            if self.col > self.budget.max_cols:
                raise self._too_wide(self.col)
            self.type, self.style = attrs.get("t"), attrs.get("s")
            self.value, self.inline, self.formula = None, [], False
        elif tag == "v" or (tag == "t" and not self.skip):
            self.text, self.size = [], 0
        elif tag == "row":
            number = _int(attrs.get("r"), self.number + 1)
            if number <= self.number:
                raise fail(
                    self.path,
                    f"feuille « {self.sheet} » : lignes dans le désordre.",
                    f"sheet “{self.sheet}”: rows out of order.",
                )
            self.number, self.cells, self.col = number, [], 0
            self.hidden_row = attrs.get("hidden") in ("1", "true") or zero_size(attrs.get("ht"))
        elif tag == "rPh":
            self.skip += 1
        elif tag == "f":
            self.formula = True
        elif tag == "dimension":
            self._check_dimension(attrs.get("ref", ""))
        elif tag == "col" and self.hidden is not None:
            if attrs.get("hidden") in ("1", "true") or zero_size(attrs.get("width")):
                first = _int(attrs.get("min"), 1)
                self.hidden.note_columns(first, max(first, _int(attrs.get("max"), first)))
        elif tag == "sheetPr" and self.hidden is not None:
            if attrs.get("filterMode") in ("1", "true"):
                self.filtering = HiddenCells()
        elif tag == "autoFilter" and self.rows_read:
            self._settle_filter(attrs.get("ref", ""))

    def end(self, name: str) -> None:
        self.open -= 1
        tag = local(name) if ":" in name else name
        if tag == "v" and self.text is not None:
            self.value, self.text = "".join(self.text), None
        elif tag == "t" and self.text is not None:
            self.inline.append("".join(self.text))
            self.text = None
        elif tag == "c":
            self._place(self._cell())
        elif tag == "row":
            if self.shared:
                self.repeats.add(self.shared, self.shared_long)
                self.shared = self.shared_long = 0
            if self.declared is not None:
                self._check_header_width()
            if self.hidden_row and self.hidden is not None and any(map(str.strip, self.cells)):
                (self.hidden if self.filtering is None else self.filtering).note_rows(
                    self.number, 1
                )
            self.out.append((self.number, self.cells, 1))
        elif tag == "rPh":
            self.skip -= 1
        elif tag == "sheetData":
            if self.filtering is None:
                raise Done
            self.rows_read = True
        elif tag == "worksheet" and self.rows_read:
            self._settle_filter("")  # no range of its own: a table's filter

    def _settle_filter(self, ref: str) -> None:
        """The filter's range read (``A1:D20``; it follows the rows, so the parse went on
        past them for it): its hidden rows noted as filtered out when within it, below
        its header row, as hidden otherwise (hidden by hand). The parse stops there."""
        assert self.hidden is not None and self.filtering is not None
        found = _DIMENSION.findall(ref)
        span = (int(found[0][1]) + 1, int(found[-1][1])) if found else None
        self.hidden.settle_filter(self.filtering, span)
        raise Done

    def _no_such_string(self, raw: str) -> InputError:
        """A text cell pointing past the workbook's shared strings: its text is lost, and
        reading it empty (as before) made a filled cell a missing value without a word.
        Excel calls such a file damaged; so do we, naming the cell."""
        cell = f"{column_letter(self.col)}{self.number}"
        number = visible(raw.strip())[:20]
        return fail(
            self.path,
            f"feuille « {self.sheet} », cellule {cell} : elle renvoie au texte partagé "
            f"n° {number}, que le classeur ne contient pas ; le classeur est endommagé : "
            "ouvrez-le dans Excel ou LibreOffice et enregistrez-le à nouveau.",
            f"sheet “{self.sheet}”, cell {cell}: it points to shared text no. {number}, "
            "which the workbook does not hold; the workbook is damaged: open it in Excel "
            "or LibreOffice and save it again.",
        )

    def on_text(self, data: str) -> None:
        if self.text is not None:
            self.size += len(data)
            if self.size > self.budget.max_cell_bytes:
                raise cell_too_long(self.path, self.sheet, self.budget)
            self.text.append(data)

    def _place(self, value: str) -> None:
        cells, col = self.cells, self.col
        if col > len(cells):
            cells.extend([""] * (col - len(cells) - 1))
            cells.append(value)
        else:
            cells[col - 1] = value

    def _cell(self) -> str:
        kind, raw = self.type, self.value
        if kind == "inlineStr":
            return unescaped("".join(self.inline))
        if self.formula and (raw is None or (not raw and kind in (None, "n"))):
            # A formula without its computed value (``<v/>`` or none: a file written by a
            # program that does not compute formulas): read empty, as frictionless does,
            # and said. (A text formula's empty result is ``t="str"`` with ``<v></v>``;
            # without any ``<v>``, a text formula was not computed either.)
            return FormulaError("")
        if raw is None:
            return ""
        if kind == "s":
            index = _int(raw, -1)
            if not 0 <= index < len(self.strings):
                raise self._no_such_string(raw)
            value = self.strings[index]
            self.shared += len(value)  # one string, any number of cells: counted each time
            self.shared_long += self.repeats.long_part((len(value),))
            return value
        if kind == "b":
            return _boolean(raw)
        if kind == "e":
            return FormulaError(raw)
        if kind == "str":
            return unescaped(raw)
        if kind == "d":
            return _iso_date(raw)
        number = stored_number(raw)
        if number is None:  # 1_0, ١٢, 1e400, NaN: no spreadsheet stores it; as written
            return raw
        index = _int(self.style, -1) if self.style else -1
        date_kind = self.styles[index] if 0 <= index < len(self.styles) else None
        if date_kind is None:
            return spreadsheet_cell(number)
        if date_kind == "shown":
            return ShownNumber(spreadsheet_cell(number))
        if date_kind == "percent":
            return PercentNumber(spreadsheet_cell(number))
        if isinstance(date_kind, int):
            return shown_with_zeros(number, date_kind)
        if isinstance(date_kind, tuple):  # as the format shows it: 26:00, not 1 day, 2:00:00
            return shown_duration(number, date_kind[1]) if abs(number) < 1e9 else raw
        if date_kind == "clock" and 1 <= number < SUM_OF_TIMES_DAYS:
            # 1.25 (30 h, a sum of times) under hh:mm: Excel shows 06:00, read it was
            # 1900-01-01T06:00, a date no one typed; 06:00 would drop a day in silence
            return DurationText(elapsed(round(number * 86400)))
        return spreadsheet_cell(_serial(number, self.date1904))

    def _check_dimension(self, ref: str) -> None:
        """Refuse at once a sheet declaring more rows or columns than Excel has. Its
        rows × columns are no verdict: they are the box around the cells, and one value
        typed in column XFD makes a 10,000-row table 164 million "cells" (such a file was
        refused); what is built is counted while reading (``_Shaper``)."""
        last = ref.split(":")[-1]
        match = _DIMENSION.fullmatch(last.replace("$", ""))
        if not match:  # malformed: the rows and cells are counted while reading anyway
            return
        cols, rows = column_number(match.group(1)), int(match.group(2))
        budget = self.budget
        if cols > budget.max_cols:
            raise self._too_wide(cols)
        self.declared = (rows, last)
        if rows > budget.max_rows:
            raise fail(
                self.path,
                f"la feuille « {self.sheet} » déclare {rows} lignes (jusqu'à {last}), au-delà "
                f"de ce qui peut être lu ({budget.max_rows} lignes) ; copiez le seul tableau "
                "utile dans un nouveau classeur ou enregistrez-le en CSV.",
                f"sheet “{self.sheet}” declares {rows} rows (up to {last}), past what can be "
                f"read ({budget.max_rows} rows); copy the one useful table into a new "
                "workbook or save it as CSV.",
            )

    def _check_header_width(self) -> None:
        """At the first filled row, the header: every row below is built as wide as it
        (``_Shaper``), so a label typed in column XFD above 10,000 rows is 164 million
        cells, refused now rather than after seconds of building them."""
        width = len(self.cells)
        while width and not str(self.cells[width - 1]).strip():
            width -= 1
        if not width:
            return
        assert self.declared is not None
        rows, last = self.declared
        self.declared = None
        if rows * width > self.budget.max_cells:
            raise fail(
                self.path,
                f"la feuille « {self.sheet} » déclare {rows} lignes (jusqu'à {last}) sous un "
                f"en-tête de {width} colonnes (jusqu'à {column_letter(width)}) : plus de "
                f"{self.budget.max_cells} cellules à lire ; effacez les cellules égarées à "
                "droite de l'en-tête, ou copiez le seul tableau utile dans un nouveau classeur.",
                f"sheet “{self.sheet}” declares {rows} rows (up to {last}) under a header of "
                f"{width} columns (up to {column_letter(width)}): more than "
                f"{self.budget.max_cells} cells to read; erase the stray cells right of the "
                "header, or copy the one useful table into a new workbook.",
            )

    def _too_wide(self, cols: int) -> Exception:
        return fail(
            self.path,
            f"la feuille « {self.sheet} » a une cellule en colonne {cols}, au-delà de "
            f"{self.budget.max_cols} colonnes ; supprimez les cellules égarées à droite du "
            "tableau ou enregistrez-le en CSV.",
            f"sheet “{self.sheet}” has a cell in column {cols}, past {self.budget.max_cols} "
            "columns; delete the stray cells right of the table or save it as CSV.",
        )


def _serial(number: float, date1904: bool) -> Any:
    """An Excel date serial as a Python date, datetime or time (the number itself when it
    is none: ``1e308``, ``nan``)."""
    if not math.isfinite(number) or abs(number) > 1e9:
        return number
    if 0 <= number < 1 or (number < 0 and not date1904):
        # A time of day, whichever the epoch (openpyxl, so frictionless, reads it so):
        # in a 1904 workbook too, 0.385 shown as 09:15:00 is not 1 January 1904.
        seconds = round(number * 86400)
        return _dt.time(seconds // 3600 % 24, seconds // 60 % 60, seconds % 60)
    if date1904:
        base = _dt.datetime(1904, 1, 1)
    else:  # Excel counts a 29 February 1900 that never was
        base = _dt.datetime(1899, 12, 31 if number < 60 else 30)
    try:
        return base + _dt.timedelta(milliseconds=round(number * 86_400_000))
    except OverflowError:
        return number


_MERGE = re.compile(
    rb'<(?:\w+:)?mergeCell\b[^>]{0,200}?\bref="([A-Z]{1,3}[0-9]{1,7}:[A-Z]{1,3}[0-9]{1,7})"'
)
"""A merged range of a sheet (``<mergeCell ref="B2:B3"/>``)."""


def merged_ranges(zf: zipfile.ZipFile, entry: str, budget: Budget, path: Path) -> list[str]:
    """The sheet's merged ranges (``B2:B3``), in its order, :data:`MERGES_KEPT` at most.
    They follow the rows in the sheet's XML, which the row reader stops before: a look of
    their own, at the bytes (a tag cut between two chunks is found in the next)."""
    found: dict[str, None] = {}
    tail = b""
    for chunk in chunks(zf, entry, budget, path):
        data = tail + chunk
        if b"mergeCell" in data:
            for match in _MERGE.finditer(data):
                found.setdefault(match.group(1).decode(), None)
                if len(found) >= MERGES_KEPT:
                    return list(found)
        tail = data[-300:]
    return list(found)


def rows(
    zf: zipfile.ZipFile,
    entry: str,
    sheet: str,
    budget: Budget,
    path: Path,
    repeats: Repeats,
    hidden: HiddenCells | None = None,
) -> Iterator[RawRow]:
    """The rows of the sheet stored in ``entry``, as they are parsed (the text of the
    shared strings its cells use is counted in ``repeats``); ``hidden``: where to note
    its hidden columns and hidden or filtered rows holding a value (they come before
    its rows' end, where the parse stops; an active filter is ``<sheetPr filterMode>``)."""
    book = _book(zf, budget, path)
    date1904, styles = _workbook_facts(zf, budget, path, book)
    strings = shared_strings(zf, budget, path, book)
    handler = _SheetParser(path, sheet, budget, repeats, (strings, styles, date1904))
    handler.hidden = hidden
    data = chunks(zf, entry, budget, path)
    yield from sheet_rows(
        handler, data, path, lambda: handler.text is not None, entry=entry, budget=budget
    )
