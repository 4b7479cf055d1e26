"""How a field writes its values: its own notation, known in one place.

Table Schema lets a field write numbers with its own ``decimalChar`` and ``groupChar``,
dates in its own ``format`` (``%d/%m/%Y``), booleans with its own ``trueValues`` and
``falseValues``, and points as ``lon, lat``, ``[lon, lat]`` or ``{"lon": …, "lat": …}``.
The validator reads cells that way; so every value the toolkit writes or proposes — what
``fix`` writes, a message's example, a hint, the template's drop-down — is written here,
in the field's notation. Otherwise following the advice would give a value the same
validator refuses (``44.8378`` for a field with a decimal comma).

The functions take a field descriptor or a finding's params alike: both hold the keys
(``type``, ``format``, ``decimalChar``…) under their Table Schema names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from moisinno_data.package import french

NOTATION_KEYS = ("trueValues", "falseValues", "decimalChar", "groupChar", "bareNumber")
"""The keys of a field that say how its values are written (besides ``format``)."""

EXAMPLE_MOMENT = dt.datetime(2020, 11, 17, 10, 30)
"""The moment every date example shows (``2020-11-17``, ``17/11/2020``…)."""

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_NOT_BARE = re.compile(r"((^[^-\d]*)|(\D*$))")  # frictionless's, for ``bareNumber: false``


def notation(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The keys of ``spec`` that say how its values are written (for a finding's params:
    its message and hint can then follow them)."""
    return {k: spec[k] for k in NOTATION_KEYS if k in spec}


def decimal_char(spec: Mapping[str, Any]) -> str:
    """The field's decimal separator (``.`` by default)."""
    char = spec.get("decimalChar")
    return char if isinstance(char, str) and char else "."


def number_text(text: str, spec: Mapping[str, Any]) -> str:
    """A number written with a decimal point (``12.5``: a spreadsheet's number cell, a
    corrected value) in the field's notation: ``12,5`` for ``decimalChar: ","``."""
    char = decimal_char(spec)
    return text if char == "." else text.replace(".", char)


def reads_as_number(text: str, spec: Mapping[str, Any]) -> bool:
    """Whether the field reads ``text`` as a number (:func:`number_value`)."""
    return number_value(text, spec) is not None


def number_value(text: str, spec: Mapping[str, Any]) -> float | None:
    """The number the field reads in ``text``, as frictionless does: group characters
    dropped, a point refused where the decimal separator is another one, text around the
    number allowed with ``bareNumber: false``; None when it reads none."""
    value = text.strip()
    if spec.get("bareNumber", True) is False:
        value = _NOT_BARE.sub("", value)
    group = spec.get("groupChar")
    if isinstance(group, str) and group:
        value = value.replace(group, "")
    char = decimal_char(spec)
    if char != ".":
        if "." in value:
            return None
        value = value.replace(char, ".")
    return float(value) if _NUMBER.fullmatch(value) else None


def number_shape(spec: Mapping[str, Any]) -> tuple[str, str]:
    """How the field's numbers are written, French and English, with an example:
    ``avec un point décimal (44.8378)``, ``avec une virgule décimale (44,8378)``."""
    char = decimal_char(spec)
    example = number_text("44.8378", spec)
    if char == ".":
        return f"avec un point décimal ({example})", f"with a decimal point ({example})"
    if char == ",":
        return f"avec une virgule décimale ({example})", f"with a decimal comma ({example})"
    return (
        f"avec « {char} » comme séparateur décimal ({example})",
        f'with "{char}" as decimal separator ({example})',
    )


def booleans(spec: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """The boolean field's own true and false values (Table Schema's by default); the
    first of each is the one to write."""
    trues, falses = spec.get("trueValues"), spec.get("falseValues")
    yes = [str(v) for v in trues] if isinstance(trues, list) and trues else french.DEFAULT_TRUE
    no = [str(v) for v in falses] if isinstance(falses, list) and falses else french.DEFAULT_FALSE
    return list(yes), list(no)


def moment_pattern(spec: Mapping[str, Any]) -> str | None:
    """The ``strftime`` pattern of a date, time or datetime field that writes them its
    own way (``"format": "%d/%m/%Y"``), else None (ISO 8601)."""
    fmt, kind = spec.get("format"), spec.get("type")
    if kind in ("date", "datetime", "time") and isinstance(fmt, str) and "%" in fmt:
        return None if ISO_PATTERNS.get(kind) == fmt else fmt  # then said AAAA-MM-JJ
    return None


ISO_PATTERNS = {"date": "%Y-%m-%d", "time": "%H:%M:%S"}
"""Patterns that write ISO 8601 itself: messages then say « AAAA-MM-JJ », not the pattern."""


def reads_as_moment(text: str, pattern: str) -> bool:
    """Whether a field with its own date pattern reads ``text`` (``strptime``, as
    frictionless reads it)."""
    try:
        dt.datetime.strptime(text, pattern)
    except ValueError:
        return False
    return True


_SHAPE_PARTS = {
    "%d": ("JJ", "DD"),
    "%m": ("MM", "MM"),
    "%Y": ("AAAA", "YYYY"),
    "%y": ("AA", "YY"),
    "%H": ("HH", "HH"),
    "%M": ("MM", "MM"),
    "%S": ("SS", "SS"),
    "%%": ("%", "%"),
}
_DIRECTIVE = re.compile(r"%.")


def moment_shape(pattern: str) -> tuple[str, str] | None:
    """A date pattern as people read it, French and English: ``%d/%m/%Y`` →
    (``JJ/MM/AAAA``, ``DD/MM/YYYY``), like the « AAAA-MM-JJ » said of ISO dates; None
    when a part has no such shape (``%b``, ``%j``…): then the pattern itself is shown."""
    parts = _DIRECTIVE.findall(pattern)
    if any(part not in _SHAPE_PARTS for part in parts):
        return None
    french_shape = _DIRECTIVE.sub(lambda m: _SHAPE_PARTS[m.group()][0], pattern)
    english_shape = _DIRECTIVE.sub(lambda m: _SHAPE_PARTS[m.group()][1], pattern)
    return french_shape, english_shape


def moment_text(value: dt.date | dt.datetime | dt.time, pattern: str) -> str | None:
    """``value`` written with ``pattern``; None when the pattern cannot write it."""
    try:
        return value.strftime(pattern)
    except ValueError:
        return None


def iso_in_pattern(iso: str, pattern: str | None) -> str:
    """An ISO 8601 date or date-time (a corrected value) in the field's own pattern;
    as it is without one, or when the pattern would lose part of it
    (:func:`exact_in_pattern`)."""
    if pattern is None:
        return iso
    return exact_in_pattern(iso, pattern) or iso


def read_iso(iso: str) -> dt.datetime | None:
    """An ISO 8601 date, date-time or time (on strptime's own day, 1900-01-01), None when
    it is none (``2023-02-30``)."""
    try:
        if "-" in iso[:5]:  # a date, or a date and a time
            return dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
        return dt.datetime.combine(dt.date(1900, 1, 1), dt.time.fromisoformat(iso))
    except ValueError:
        return None


def exact_in_pattern(iso: str, pattern: str) -> str | None:
    """An ISO 8601 date, date-time or time written with ``pattern``, or None when reading
    the result back with the pattern does not give the same moment: the seconds, a
    fraction or an offset that the pattern has no place for would be lost (sweep 10:
    ``2023-01-05T10:30:45`` and ``…T10:30:00+01:00`` both became ``05/01/2023 10:30``)."""
    moment = read_iso(iso)
    if moment is None:
        return None
    written = moment_text(moment, pattern)
    try:
        back = dt.datetime.strptime(written or "", pattern)
    except ValueError:
        return None
    same = back.utcoffset() == moment.utcoffset() and back.replace(tzinfo=None) == moment.replace(
        tzinfo=None
    )
    return written if same else None


GEOPOINT_SHAPES = {
    "default": ("« longitude, latitude »", '"longitude, latitude"', "2.3522, 48.8566"),
    "array": ("« [longitude, latitude] »", '"[longitude, latitude]"', "[2.3522, 48.8566]"),
    "object": (
        '« {"lon": longitude, "lat": latitude} »',
        '"{"lon": longitude, "lat": latitude}"',
        '{"lon": 2.3522, "lat": 48.8566}',
    ),
}
"""A geopoint's shape in each Table Schema format (French, English) and Paris as an
example: the longitude comes first, unlike the usual « lat, lon » of maps."""


def geopoint_shape(spec: Mapping[str, Any]) -> tuple[str, str, str]:
    """(French shape, English shape, example) of the field's geopoints."""
    fmt = spec.get("format")
    return GEOPOINT_SHAPES.get(
        fmt if isinstance(fmt, str) else "default", GEOPOINT_SHAPES["default"]
    )


__all__ = [
    "EXAMPLE_MOMENT",
    "GEOPOINT_SHAPES",
    "NOTATION_KEYS",
    "booleans",
    "decimal_char",
    "exact_in_pattern",
    "geopoint_shape",
    "iso_in_pattern",
    "moment_pattern",
    "moment_shape",
    "moment_text",
    "notation",
    "number_shape",
    "number_text",
    "number_value",
    "read_iso",
    "reads_as_moment",
    "reads_as_number",
]


_WHOLE_DAY_DEFAULTS = (dt.datetime(2000, 1, 1), dt.datetime(2004, 3, 2))
"""Two days that differ in year, month and day (leap years, months of 31 days: any day
or month written fits both): what dateutil fills a cell's missing parts with, to tell a
cell that writes its whole day from one that does not."""


WHOLE_DAY_PATTERN = (
    r"^\s*(?:[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}[/.][0-9]{1,2}[/.][0-9]{4})(?:[T ]|$)"
)
"""A text that starts with a whole day, ISO (``2020-11-17``) or as a person writes it
(``17/11/2020``): no need to ask dateutil (its two readings cost ~50 µs a value, and
these are most cells). Written for both Python's ``re`` and polars (Rust)."""
_WHOLE_DAY = re.compile(WHOLE_DAY_PATTERN)


def partial_day(text: str) -> bool:
    """Whether a ``format: "any"`` date or date-time does not write its whole day (year,
    month and day: ``2020-11``, ``nov``, ``10:00``): frictionless (dateutil's ``parse``)
    fills the missing parts from the day it runs, so the value read depends on that day.
    False for a whole day, and for a text that is no date at all (its reader says so)."""
    if _WHOLE_DAY.match(text):
        return False
    from dateutil import parser

    try:
        first, second = (parser.parse(text, default=day) for day in _WHOLE_DAY_DEFAULTS)
    except (ValueError, OverflowError):
        return False
    return first.date() != second.date()
