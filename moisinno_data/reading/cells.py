"""A spreadsheet value written as text, the way every reader hands cells over."""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any

_ZEROS = re.compile(r"0[0#]*")
"""A number format of digits only that starts with ``0``: ``00000``, ``0#########``."""


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
            # an integer field reads it, as frictionless reads the cell.
            return NumberText(int(float(text)))
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
    if isinstance(value, _dt.timedelta):
        return str(value)
    return str(value)


def zero_padded_digits(code: str) -> int | None:
    """How many digits a number format shows a whole number with, when it shows the zeros
    ahead (``00000``: 1053 as ``01053``), else None: a postal code, an INSEE code or a
    phone number typed into a number cell keeps the zero the person sees. One rule for
    every workbook that names its formats (XLSX styles, XLS FORMAT records)."""
    return len(code) if len(code) > 1 and _ZEROS.fullmatch(code) else None


def shown_with_zeros(number: float, digits: int) -> str:
    """A whole number as its ``00000`` format shows it (``01001``): the text the person
    typed and sees, plain text (validate read ``1001`` and warned that a zero may have been
    lost; fix wrote ``476544254`` for the phone number the sheet showed ``0476544254``).
    Anything else (a negative, a fraction) as the number it is."""
    if not (math.isfinite(number) and number >= 0 and number.is_integer() and number < 1e15):
        return spreadsheet_cell(number)
    return str(int(number)).zfill(digits)
