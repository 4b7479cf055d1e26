"""A spreadsheet value written as text, the way every reader hands cells over."""

from __future__ import annotations

import datetime as _dt
import math
import re
from decimal import Decimal
from typing import Any

_ZEROS = re.compile(r"0[0#]*")
"""A number format of digits only that starts with ``0``: ``00000``, ``0#########``."""

_STORED_NUMBER = re.compile(
    r"[ \t\r\n]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\r\n]*"
)


def stored_number(raw: str) -> float | None:
    """The finite number a workbook stores (an ODS ``office:value``, an XLSX ``<v>``), as
    XML Schema's ``double`` writes one: ASCII digits, a point, an exponent, XML's
    spaces around. None for anything else, which Python's ``float`` would read all the
    same and no spreadsheet writes: ``1_0`` (read 10), ``١٢`` or ``１２`` (12), a no-break
    space around, ``nan``, ``inf``, ``1e400``. The reader then takes the text as written
    (the ODS cell's shown text), which the engine reads as any typed text (a number
    field warns of ``1_0``, ``unusual-digits``), instead of a number nobody saw."""
    if _STORED_NUMBER.fullmatch(raw) is None:
        return None
    number = float(raw)
    return number if math.isfinite(number) else None


class NumberText(str):
    """A cell the spreadsheet stored as a number, written as text. A code or a phone
    number typed into a cell the spreadsheet took for a number has lost its leading zeros
    (``0476544254`` → ``476544254``): the engine warns about it in text fields (see
    ``Batch.numbers``)."""

    __slots__ = ()


class ShownNumber(NumberText):
    """A number cell the spreadsheet shows otherwise than its digits, by a format of its
    own (``50 %`` for 0.5, ``1 234,50`` for 1234.5, ``3,00`` for 3): read as the number it
    is, as any number cell (``Batch.numbers``); in a text field, fix says that it writes
    the number, not the text shown."""

    __slots__ = ()


class PercentNumber(ShownNumber):
    """A number cell the spreadsheet shows as a percentage (``12,2 %`` for 0.122): the file
    holds 0.122, the person saw 12,2. A number field that writes percentages as 12.2
    (:func:`..package.french.percent_scale`) warns of it (``Batch.percents``) and fix
    writes 12.2."""

    __slots__ = ()


class DayText(str):
    """A spreadsheet date-time at midnight, written as its day (``2040-05-20``), as a date
    cell reads: a spreadsheet stores both as the same number, and a ``datetime`` field
    takes it as that day at 00:00 (``Batch.days``), as frictionless does."""

    __slots__ = ()


class MomentText(str):
    """A spreadsheet date-time (not at midnight) or time of day, written in ISO 8601
    (``2040-05-20T10:30:00``, ``10:30:00``): in a text field, not what the cell shows
    (``Batch.moments``)."""

    __slots__ = ()


class DurationText(MomentText):
    """A spreadsheet duration whose shown form is not known (an .xls cell, a format of
    its own, a part its format hides), written as ``[h]:mm:ss`` shows it (``26:00:00``,
    :func:`elapsed`): in a text field, not certainly what the cell shows, so validate warns
    of it as of a time, and fix lists it. A duration whose format is known is written as
    shown (:func:`shown_duration`), plain text."""

    __slots__ = ()

    @property
    def seconds(self) -> int:
        """The duration it holds (``26:00:00`` → 93600), as :func:`elapsed` wrote it."""
        sign, (h, m, s) = (-1 if self.startswith("-") else 1), self.lstrip("-").split(":")
        return sign * ((int(h) * 60 + int(m)) * 60 + int(s))


class ShownDuration(str):
    """A spreadsheet duration written as its format shows it (``26:00``, ``2:30``, ``02:30``
    under ``[mm]:ss``: :func:`shown_duration`), plain text in a text field, with the
    ``seconds`` it holds: the text alone does not say them (``02:30`` is 2 h 30 under
    ``[h]:mm``, 150 s under ``[mm]:ss``), and a time or duration field reads the cell by
    them (:func:`..package.french.duration_in_field`)."""

    seconds: int

    def __new__(cls, text: str, seconds: int) -> ShownDuration:
        shown = super().__new__(cls, text)
        shown.seconds = seconds
        return shown

    def __reduce__(self) -> tuple[Any, ...]:
        return (ShownDuration, (str(self), self.seconds))


def duration_seconds(value: str) -> int | None:
    """The seconds a spreadsheet duration cell holds (:class:`ShownDuration`,
    :class:`DurationText`), None for any other value."""
    return value.seconds if isinstance(value, ShownDuration | DurationText) else None


class BooleanText(str):
    """A cell the spreadsheet stored as a boolean (TRUE/FALSE), written ``true`` or
    ``false``: a boolean field with words of its own (``oui``/``non``) takes it as that
    value (``Batch.booleans``), as frictionless takes a spreadsheet's boolean."""

    __slots__ = ()


class FormulaError(str):
    """A spreadsheet's error value (``#N/A``, ``#DIV/0!``, ``Err:502``…): a formula the
    spreadsheet could not compute. As text it passes a text field unseen; the engine warns
    about it (see ``Batch.formula_errors``). Empty: a formula saved without any computed
    value (by a program that writes workbooks without computing them)."""

    __slots__ = ()


def spreadsheet_cell(value: Any) -> str:
    """A spreadsheet value written as the CSV a steward would have exported."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return BooleanText("true" if value else "false")
    if isinstance(value, float):
        if not math.isfinite(value):
            return NumberText(repr(value))
        if value.is_integer() and abs(value) < 1e16:
            return NumberText(int(value))
        # 15 significant digits, as the spreadsheet shows and exports it: a formula's
        # result stored as 68.664999999999992 is the 68.665 the steward sees, not
        # 68.66499999999999 (Excel keeps 15 digits of what is typed, no more).
        text = format(value, ".15g")
        if "e+" in text and abs(value) < 1e21:
            # A whole number past 10^16 in digits (12345678901234600), not 1.23456789012346e+16:
            # an integer field reads it, as frictionless reads the cell. The digits are the
            # 15 shown, then zeros: not the binary float's (…599936 for …6e+19).
            return NumberText(int(Decimal(text)))
        return NumberText(text)
    if isinstance(value, int):
        return NumberText(value)
    if isinstance(value, _dt.datetime):
        if value.hour == value.minute == value.second == value.microsecond == 0:
            return DayText(value.date().isoformat())
        return MomentText(value.isoformat())
    if isinstance(value, _dt.date):  # an ODS or XLS date cell: the same day as above
        return DayText(value.isoformat())
    if isinstance(value, _dt.time):
        return MomentText(value.isoformat())
    if isinstance(value, _dt.timedelta):  # str() wrote "1 day, 2:00:00", typed by no one
        return DurationText(elapsed(round(value.total_seconds())))
    return str(value)


_ELAPSED = re.compile(r"\[(h+|(?<!h)m+|s+)\](:mm?)?(:ss?)?")
"""A duration format: elapsed hours, minutes or seconds (``[h]``, ``[mm]``), then the
smaller parts it shows (``:mm``, ``:ss``)."""
_UNITS = {"h": 3600, "m": 60, "s": 1}


def elapsed(seconds: int) -> str:
    """A duration in seconds as ``[h]:mm:ss`` shows it (``26:00:00``, ``-10:10:10``)."""
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    return f"{sign}{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _duration_parts(code: str) -> list[str] | None:
    """The parts a duration format shows, largest first (``[h]:mm`` → ``["h", "mm"]``),
    or None for any other format (``[h]:ss``, a part after elapsed seconds, words)."""
    match = _ELAPSED.fullmatch(code.strip().lower().split(";")[0])
    if match is None:
        return None
    parts = [match.group(1)] + [g[1:] for g in match.groups()[1:] if g]
    order = "hms"
    start = order.index(parts[0][0])
    return parts if [p[0] for p in parts] == list(order[start : start + len(parts)]) else None


def shown_duration(days: float, code: str) -> str:
    """A duration cell (a number of days) as its format ``code`` shows it: ``[h]:mm``
    shows 26 hours ``26:00``, ``[mm]:ss`` 150 seconds ``02:30``, the text the person typed
    and sees. When the shown form is not certain (a negative, which Excel shows ``####``;
    a part the format hides, which a spreadsheet may round or cut; a format of its own
    words): a :class:`DurationText`, to check."""
    seconds = round(days * 86400)
    parts = _duration_parts(code)
    if (
        parts is None
        or seconds < 0
        or abs(days * 86400 - seconds) > 1e-3
        or seconds % _UNITS[parts[-1][0]]
    ):
        return DurationText(elapsed(seconds))
    first, *rest = parts
    shown = [str(seconds // _UNITS[first[0]]).zfill(len(first))]
    shown += [f"{seconds // _UNITS[p[0]] % 60:02d}" for p in rest]
    return ShownDuration(":".join(shown), seconds)


def zero_padded_digits(code: str) -> int | None:
    """How many digits a number format shows a whole number with, when it shows the zeros
    ahead (``00000``: 1053 as ``01053``), else None: a postal code, an INSEE code or a
    phone number typed into a number cell keeps the zero the person sees. One rule for
    every workbook that names its formats (XLSX styles, XLS FORMAT records). A format of
    several sections (``00000;-00000``) shows a positive number by its first."""
    positive = code.split(";", 1)[0]
    return len(positive) if len(positive) > 1 and _ZEROS.fullmatch(positive) else None


def shown_with_zeros(number: float, digits: int) -> str:
    """A whole number as its ``00000`` format shows it (``01001``): the text the person
    typed and sees, plain text (validate read ``1001`` and warned that a zero may have been
    lost; fix wrote ``476544254`` for the phone number the sheet showed ``0476544254``).
    Anything else (a negative, a fraction) as the number it is."""
    if not (math.isfinite(number) and number >= 0 and number.is_integer() and number < 1e15):
        return spreadsheet_cell(number)
    return str(int(number)).zfill(digits)
