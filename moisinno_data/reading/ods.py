"""Read an ODS sheet as a stream of rows, within the budget.

OpenDocument compresses a sheet by repetition: ``number-rows-repeated`` and
``number-columns-repeated`` (LibreOffice writes a million repeated empty rows after every
table). Empty repeats are kept as counts and never built; a repeated *value* is checked
against the :class:`~.budget.Budget` before it is built, so 826 bytes cannot ask for 9 GB,
and the text repeats make is counted (:class:`~.budget.Repeats`), so 2 KB cannot repeat a
1 MB cell into gigabytes.
"""

from __future__ import annotations

import datetime as _dt
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from moisinno_data.reading.archive import chunks, fail
from moisinno_data.reading.budget import MERGES_KEPT, Budget, Repeats, check_sheets
from moisinno_data.reading.cells import (
    DurationText,
    FormulaError,
    PercentNumber,
    ShownDuration,
    ShownNumber,
    elapsed,
    spreadsheet_cell,
    stored_number,
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
_DURATION = re.compile(r"-?P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?")


def _attrs(attrs: dict[str, str]) -> dict[str, str]:
    return {local(k): v for k, v in attrs.items()}


def _count(text: str | None) -> int:
    """A repeat count, 1 if there is none (or if it is longer than any real one: ``int``
    refuses 4,300 digits; the budget refuses what is merely too big)."""
    try:
        return max(1, int(text)) if text and len(text) <= 20 else 1
    except ValueError:
        return 1


def sheet_names(
    zf: zipfile.ZipFile, budget: Budget, path: Path, *, first: bool, shown: bool = False
) -> list[str]:
    """The tables of ``content.xml`` in order (only the first if ``first``); ``shown``:
    only those a person sees. A table is hidden by its style (``table:display="false"``
    in an automatic style, which ``content.xml`` holds before its tables)."""
    names: list[str] = []
    hidden: set[str] = set()
    style: list[str | None] = [None]
    depth = [0]

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "style":
            values = _attrs(attrs)
            style[0] = values.get("name") if values.get("family") == "table" else None
        elif tag == "table-properties" and style[0] is not None:
            if _attrs(attrs).get("display") == "false":
                check_sheets(budget, len(hidden), path)
                hidden.add(style[0])
        elif tag == "table":
            values = _attrs(attrs)
            if depth[0] == 0 and not (shown and values.get("style-name") in hidden):
                check_sheets(budget, len(names), path)
                names.append(values.get("name", f"Feuille{len(names) + 1}"))
                if first:
                    raise Done
            depth[0] += 1

    def end(name: str) -> None:
        if local(name) == "table":
            depth[0] -= 1

    parser = new_parser()
    parser.StartElementHandler, parser.EndElementHandler = start, end
    data = chunks(zf, "content.xml", budget, path)
    for _ in feed(parser, data, [], path, "classeur", entry="content.xml", budget=budget):
        pass
    return names


_VALUE_OF = {
    "float": "value",
    "percentage": "value",
    "currency": "value",
    "date": "date-value",
    "time": "time-value",
    "boolean": "boolean-value",
}


def _value(kind: str | None, attrs: dict[str, str], text: str) -> str:
    """A cell's value from its ``office:value-type`` and attributes (text otherwise)."""
    if (
        "formula" in attrs
        and not text
        and kind != "string"
        and _VALUE_OF.get(kind or "") not in attrs
    ):
        # A formula saved without its computed value (a file written by a program that
        # does not compute formulas): read empty, and said (as in an XLSX workbook).
        return FormulaError("")
    try:
        if kind in ("float", "percentage", "currency") and "value" in attrs:
            number = stored_number(attrs["value"])
            if number is None:  # 1_0, 1e400, NaN: no spreadsheet writes it; the text shown
                return text
            if kind == "float" and _shows_zeros(text, number):
                return text.strip()
            return _number(number, text, percent=kind == "percentage")
        if kind == "date" and "date-value" in attrs:
            return spreadsheet_cell(_date_value(attrs["date-value"]))
        if kind == "time" and "time-value" in attrs:
            raw = attrs["time-value"].strip()
            match = _DURATION.fullmatch(raw)
            if match:
                d, h, m, s = (float(g) if g else 0.0 for g in match.groups())
                total = round(min(((d * 24 + h) * 60 + m) * 60 + s, 1e15))
                return _duration(-total if raw.startswith("-") else total, text)
        if kind == "error":  # LibreOffice's calcext:value-type for a formula it could not compute
            return FormulaError(text)
        said = attrs.get("boolean-value", "").strip().lower()
        if kind == "boolean" and said in ("true", "1", "false", "0"):  # else the text shown
            return spreadsheet_cell(said in ("true", "1"))
    except ValueError:
        pass
    return text


def _duration(seconds: int, text: str) -> str:
    """A time cell (a time of day or a duration: LibreOffice stores both so) as
    ``[h]:mm:ss`` shows it (``26:00:00``), as a time field reads it; a
    :class:`~.cells.DurationText` when the sheet shows it otherwise (``26:00``, ``02:30``),
    which fix lists in a text field rather than pass for what was typed."""
    written = elapsed(seconds)
    return ShownDuration(written, seconds) if text.strip() == written else DurationText(written)


def _number(number: float, text: str, *, percent: bool = False) -> str:
    """A number cell as its number; a :class:`~.cells.ShownNumber` when the text the
    spreadsheet shows is another (``1 234,50``; none saved: the number), a
    :class:`~.cells.PercentNumber` for a percentage cell (``50 %``)."""
    written = spreadsheet_cell(number)
    if percent:
        return PercentNumber(written)
    shown = text.strip()
    return ShownNumber(written) if shown and shown != written else written


def _shows_zeros(text: str, number: float) -> bool:
    """Whether a number cell shows its whole number with zeros ahead (``01053`` for 1053,
    a format of five digits): that text is what the person typed and sees, read as the
    XLSX reader reads its ``00000`` formats (a commune code failed its pattern, a phone
    number lost its zero)."""
    shown = text.strip()
    return (
        len(shown) > 1
        and shown.startswith("0")
        and shown.isascii()
        and shown.isdigit()
        and number.is_integer()
        and int(shown) == number
    )


def _date_value(raw: str) -> _dt.date:
    """``2020-11-17`` or ``2020-11-17T10:10:10.75``: a date-time keeps its milliseconds,
    as the XLSX reader's do (the fraction was cut off here)."""
    if "T" not in raw:
        return _dt.date.fromisoformat(raw[:10])
    value = _dt.datetime.fromisoformat(raw[:19])
    fraction = raw[19:]
    if fraction[:1] in (".", ",") and fraction[1:].isdigit():
        value += _dt.timedelta(milliseconds=round(float("0." + fraction[1:]) * 1000))
    return value


_SIZES = {"table-row-properties": "row-height", "table-column-properties": "column-width"}
"""The properties of a row or column style read for its size, and the attribute holding it."""
_GROUPS = ("table-row-group", "table-column-group")
"""Groups of rows or columns, folded by ``table:display="false"``: theirs are unseen."""
_APART = ("table", "annotation")
_DRAWING = ("draw:", "dr3d:")
"""Elements whose text is not the cell's (:data:`_APART` by local name, a drawing's by
its prefix): a nested table, a comment, or a drawing anchored to the cell — an image, its title and
description, a text box. The logo of a prefecture anchored in a « sources » cell read
« Logo de la préfecture\nhttps://… »."""


class _TableParser:
    """Handlers for ``content.xml``: rows of the table named ``sheet`` land in ``out``.

    A cell's text is gathered as one list of pieces, each paragraph after the first
    opened by a line end, all counted against ``max_cell_bytes``: 875 KB of empty
    ``<text:p/>`` in one cell, a list each, held 3.5 GB."""

    def __init__(self, path: Path, sheet: str, budget: Budget, repeats: Repeats) -> None:
        self.path, self.sheet, self.budget, self.repeats = path, sheet, budget, repeats
        self.out: list[RawRow] = []
        self.active = False
        self.depth = 0  # tables nested in the active one, and annotations: not read
        self.number = 1
        self.repeat = 1
        self.cells: list[str] = []
        self.empty = 0  # empty cells seen but not built (a value may never follow)
        self.cell: dict[str, str] | None = None
        self.paragraphs = 0  # opened in the cell
        self.parts: list[str] = []
        self.size = 0
        self.open = 0  # elements open (Budget.max_depth)
        self.merges: list[Span] | None = None  # noted only when asked for
        self.hidden: HiddenCells | None = None  # likewise
        self.visibility = ""  # the row's
        self.column = 1  # the next column declared (``table:table-column``)
        self.flat: set[tuple[str, str]] = set()  # row, column styles of no size (family, name)
        self.style: tuple[str, str] | None = None  # the one read, before the tables
        self.folded: list[bool] = []  # the groups open (:data:`_GROUPS`): folded?

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.open += 1
        if self.open > self.budget.max_depth:
            raise TooDeep
        tag = local(name)
        if not self.active:
            if tag == "table" and _attrs(attrs).get("name") == self.sheet:
                self.active = True
            elif (tag == "style" or tag in _SIZES) and self.hidden is not None:
                self._note_style(tag, _attrs(attrs))
            return
        if self.depth or tag in _APART or name[:5] in _DRAWING:
            self.depth += tag in _APART or name[:5] in _DRAWING
        elif tag in ("table-cell", "covered-table-cell"):
            self.cell, self.paragraphs, self.parts, self.size = _attrs(attrs), 0, [], 0
            if self.merges is not None and tag == "table-cell":
                self._note_merge(self.merges, self.cell)
            if any(v == "error" and local(k) == "value-type" for k, v in attrs.items()):
                self.cell["value-type"] = "error"  # calcext:, beside office:value-type
        elif self.cell is not None:
            self._text_start(tag, attrs)
        elif tag == "table-row":
            row = _attrs(attrs)
            self.repeat = _count(row.get("number-rows-repeated"))
            self.cells, self.empty = [], 0
            self.visibility = row.get("visibility", "")
            folded = bool(self.folded and self.folded[-1])  # both empty unless noting
            if not self.visibility and (
                folded or ("table-row", row.get("style-name")) in self.flat
            ):
                self.visibility = "collapse"  # unseen as a hidden row
        elif tag in _GROUPS and self.hidden is not None:
            folded = _attrs(attrs).get("display") == "false"
            self.folded.append(folded or bool(self.folded and self.folded[-1]))
        elif tag == "table-column" and self.hidden is not None:
            self._note_column(_attrs(attrs))

    def _note_merge(self, merges: list[Span], attrs: dict[str, str]) -> None:
        """A cell spanning others (``number-rows-spanned``…): those are covered cells,
        read empty, where a person sees this one's value."""
        rows = _count(attrs.get("number-rows-spanned"))
        columns = _count(attrs.get("number-columns-spanned"))
        if (rows > 1 or columns > 1) and len(merges) < MERGES_KEPT:
            merges.append((self.number, len(self.cells) + self.empty + 1, rows, columns))

    def _note_style(self, tag: str, attrs: dict[str, str]) -> None:
        """A row style of zero height, a column style of zero width (automatic styles
        come before the tables): their rows and columns are unseen as hidden ones."""
        if tag == "style":
            family = attrs.get("family", "")
            sized = family in ("table-row", "table-column")
            self.style = (family, attrs.get("name", "")) if sized else None
        elif self.style is not None and zero_size(attrs.get(_SIZES[tag])):
            self.flat.add(self.style)

    def _note_column(self, attrs: dict[str, str]) -> None:
        """A column declaration (repeated: a count, never a list): hidden ones noted."""
        count = _count(attrs.get("number-columns-repeated"))
        folded = bool(self.folded and self.folded[-1])
        unseen = folded or ("table-column", attrs.get("style-name", "")) in self.flat
        if unseen or attrs.get("visibility") in ("collapse", "filter"):
            assert self.hidden is not None
            self.hidden.note_columns(self.column, self.column + count - 1)
        self.column += count

    def _note_row(self, hidden: HiddenCells) -> None:
        """The row ending, hidden or filtered out, if it holds a value: repeated, one run
        whatever the count (no entry per row)."""
        if any(map(str.strip, self.cells)):
            how = "filtered" if self.visibility == "filter" else "hidden"
            hidden.note_rows(self.number, self.repeat, how)

    def _text_start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag in ("p", "h"):
            if self.paragraphs:
                self._grow(1)
                self.parts.append("\n")
            self.paragraphs += 1
        elif tag in ("s", "tab", "line-break") and self.paragraphs:
            n = _count(_attrs(attrs).get("c")) if tag == "s" else 1
            self._grow(n)  # before the spaces are built: ``c="1000000000"``
            if n > 1:
                self.repeats.add(n - 1)
            self.parts.append({"s": " ", "tab": "\t", "line-break": "\n"}[tag] * n)

    def end(self, name: str) -> None:
        self.open -= 1
        if not self.active:
            return
        tag = local(name)
        if self.depth:
            self.depth -= tag in _APART or name[:5] in _DRAWING
        elif tag in ("table-cell", "covered-table-cell") and self.cell is not None:
            attrs, self.cell = self.cell, None
            if tag == "covered-table-cell":
                # Hidden under a merged cell: LibreOffice shows nothing there, whatever
                # it kept inside (a row made of it is blank, not data).
                self._place("", attrs)
                return
            text = "".join(self.parts)
            self.parts = []
            self._place(_value(attrs.get("value-type"), attrs, text), attrs)
        elif tag == "table-row":
            if self.visibility in ("collapse", "filter") and self.hidden is not None:
                self._note_row(self.hidden)
            self.out.append((self.number, self.cells, self.repeat))
            self.number += self.repeat
        elif tag in _GROUPS and self.folded:
            self.folded.pop()
        elif tag == "table":
            raise Done

    def on_text(self, data: str) -> None:
        if self.cell is not None and self.paragraphs and not self.depth:
            self._grow(len(data))
            self.parts.append(data)

    def _grow(self, chars: int) -> None:
        """The cell's text is ``chars`` longer: refused past ``max_cell_bytes``."""
        self.size += chars
        if self.size > self.budget.max_cell_bytes:
            raise cell_too_long(self.path, self.sheet, self.budget)

    def _place(self, value: str, attrs: dict[str, str]) -> None:
        repeat = _count(attrs.get("number-columns-repeated"))
        if value == "" and not isinstance(value, FormulaError):  # nothing to say there
            self.empty += repeat
            return
        width = len(self.cells) + self.empty + repeat
        if width > self.budget.max_cols:
            raise fail(
                self.path,
                f"la feuille « {self.sheet} » a une ligne de {width} colonnes remplies, "
                f"au-delà de {self.budget.max_cols} ; ce n'est pas un tableau ordinaire.",
                f"sheet “{self.sheet}” has a row of {width} filled columns, past "
                f"{self.budget.max_cols}; this is not an ordinary table.",
            )
        if repeat > 1:
            extra = repeat - 1
            self.repeats.add(len(value) * extra, self.repeats.long_part((len(value),)) * extra)
        self.cells.extend([""] * self.empty)
        self.cells.extend([value] * repeat)
        self.empty = 0


Span = tuple[int, int, int, int]
"""A merged cell: its row and column (from 1), and the rows and columns it spans."""


def rows(
    zf: zipfile.ZipFile,
    sheet: str,
    budget: Budget,
    path: Path,
    repeats: Repeats,
    merges: list[Span] | None = None,
    hidden: HiddenCells | None = None,
) -> Iterator[RawRow]:
    """The rows of table ``sheet``, as they are parsed (repeated rows as counts; what
    repeated values and spaces build is counted in ``repeats``); ``merges``: where to note
    the merged cells of the rows read (:data:`MERGES_KEPT` at most); ``hidden``: its
    columns and rows holding a value that are hidden (``table:visibility="collapse"``, a
    row style of zero height, a folded row group) or filtered out (``"filter"``)."""
    handler = _TableParser(path, sheet, budget, repeats)
    handler.merges, handler.hidden = merges, hidden
    data = chunks(zf, "content.xml", budget, path)
    yield from sheet_rows(
        handler, data, path, lambda: handler.cell is not None, entry="content.xml", budget=budget
    )
