"""Paris wall-clock time: how the project reads a date-time written without a UTC offset.

A contribution re-sent from a spreadsheet has lost its offsets (Excel stores none), so
``2024-01-01T00:00:00`` must be the moment published as ``2024-01-01T00:00:00+01:00``:
``load`` reads it so, and consolidate, diff and release compare it so (:func:`instant`).

Twice a year that reading fails: in March the clocks skip an hour (``2023-03-26T02:30:00``
names no moment in Paris), in October they repeat one (``2023-10-29T02:30:00`` names two).
frictionless accepts both; validate warns of them, fix and consolidate list them to check,
and ``load`` reads them as unknown rather than shift them (:func:`clock_change`). The same
messages say it everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil import parser

TIMEZONE = "Europe/Paris"
_ZONE = ZoneInfo(TIMEZONE)

ClockChange = Literal["skipped", "repeated"]

_CLOCK = r":[0-5][0-9]:[0-5][0-9]([.,][0-9]+)?$"
NEAR_CLOCK_CHANGE = (
    r"^([0-9]{4}-(03|09|10)-(2[4-9]|3[01]).02"
    rf"|(1[0-8][0-9]{{2}}|19[0-8][0-9])-(0[2-6]|09|1[01])-[0-9]{{2}}.(0[0-3]|2[23])){_CLOCK}"
)
"""A date-time without offset, as frictionless reads them (``2023-03-26T02:30:00``, any
separator, a fraction), on a day and at an hour the Paris clocks may change: from 1990,
02:xx on the last days of March, September or October; before 1990, the early and late
hours of the months the changes fell in then. Few cells of a real file match, so validate
masks them with this pattern in its batch query and asks :func:`clock_change` about
those only (a test holds it to every change of the time-zone database). Literal
characters only: the same text works in Python's ``re`` and in polars."""
_NEAR = re.compile(NEAR_CLOCK_CHANGE)

SKIPPED = (
    "« {value} » n'existe pas à Paris : ce jour-là, les horloges avancent d'une heure "
    "(passage à l'heure d'été)",
    '"{value}" does not exist in Paris: that day the clocks go forward one hour (summer time)',
)
REPEATED = (
    "« {value} » existe deux fois à Paris : ce jour-là, les horloges reculent d'une heure "
    "(retour à l'heure d'hiver)",
    '"{value}" happens twice in Paris: that day the clocks go back one hour (winter time)',
)
HINT = (
    "écrivez-la avec son décalage UTC : {value}+01:00 (heure d'hiver) ou {value}+02:00 "
    "(heure d'été)",
    "write it with its UTC offset: {value}+01:00 (winter time) or {value}+02:00 (summer time)",
)
"""What a date-time without offset at a clock change means and asks for, in French and
English: validate's warnings, fix's values to check and load's warning say the same."""
PATTERN_HINT = (
    "vérifiez cette heure auprès de la source : le format du schéma ({fmt}) ne peut pas "
    "porter de décalage UTC",
    "check this time with the source: the schema's format ({fmt}) cannot carry a UTC offset",
)
"""The hint where the field writes its own pattern: an offset written after the value
(``29/10/2023 02:30+01:00``) would no longer match it."""


def hint(value: str, fmt: str = "default") -> tuple[str, str]:
    """What to do of ``value``, in French and English, in a field of format ``fmt``."""
    if "%" in fmt:
        return PATTERN_HINT[0].format(fmt=fmt), PATTERN_HINT[1].format(fmt=fmt)
    return HINT[0].format(value=value), HINT[1].format(value=value)


_OFFSET = r"(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$"
END_OF_DAY_TIME = rf"^24:00:00([.,]0+)?{_OFFSET}"
END_OF_DAY = rf"^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}[T ]24:00:00([.,]0+)?{_OFFSET}"
"""ISO 8601's end of the day, as frictionless reads it in a date-time field
(``2022-10-18T24:00:00``, an offset or zero decimals after it) and in a time field
(``24:00:00``, :data:`END_OF_DAY_TIME`): the next day at 00:00. Python, pandas and a
spreadsheet refuse hour 24, so validate warns of it (``end-of-day``), fix writes
:func:`next_midnight` and load reads it so. Literal characters only, for polars too."""
_END_OF_DAY = re.compile(END_OF_DAY)
_END_OF_DAY_TIME = re.compile(END_OF_DAY_TIME)
END_OF_DAY_SAID = (
    "« {value} » est la fin de la journée (24:00), que frictionless lit comme « {next} » ; "
    "un tableur, Python ou pandas refusent l'heure 24",
    '"{value}" is the end of the day (24:00), which frictionless reads as "{next}"; a '
    "spreadsheet, Python or pandas refuse hour 24",
)
END_OF_DAY_HINT = ("écrivez « {next} »", 'write "{next}"')
"""What :data:`END_OF_DAY` means and asks for: validate's warning and fix's change say it."""


def next_midnight(text: str) -> str | None:
    """``2022-10-18T24:00:00+02:00`` → ``2022-10-19T00:00:00+02:00`` (the offset kept),
    ``24:00:00`` → ``00:00:00``: the moment frictionless reads, written as Python, pandas
    and a spreadsheet read it. None for any other cell, or a day of no calendar."""
    if (m := _END_OF_DAY_TIME.match(text)) is not None:
        return f"00:00:00{m[2] or ''}"
    if (m := _END_OF_DAY.match(text)) is None:
        return None
    try:
        day = dt.date.fromisoformat(text[:10]) + dt.timedelta(days=1)
    except (ValueError, OverflowError):
        return None
    return f"{day.isoformat()}T00:00:00{m[2] or ''}"


def said(change: ClockChange, value: str, fmt: str = "default") -> tuple[str, str]:
    """The sentence about ``value`` and its hint, joined, in French and English."""
    what = SKIPPED if change == "skipped" else REPEATED
    fr, en = (text.format(value=value) for text in what)
    hint_fr, hint_en = hint(value, fmt)
    return f"{fr} ; {hint_fr}", f"{en}; {hint_en}"


def clock_change(moment: dt.datetime) -> ClockChange | None:
    """Whether the Paris clocks never show the wall-clock time ``moment`` (naive) —
    ``skipped`` — or show it twice — ``repeated`` —; None when it names one moment."""
    first, second = moment.replace(tzinfo=_ZONE, fold=0), moment.replace(tzinfo=_ZONE, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    back = first.astimezone(dt.UTC).astimezone(_ZONE).replace(tzinfo=None)
    return "repeated" if back == moment else "skipped"


def day_start(day: dt.date) -> dt.datetime:
    """The first instant of ``day`` in Paris, the moment a ``date`` column holds for it.
    Midnight names it, except where the clocks change at midnight: on 8 October 1944 and
    26 September 1976 midnight came twice (the first pass is taken), and a day whose
    midnight is skipped starts when the clocks resume (``fold=0`` gives both)."""
    start = dt.datetime(day.year, day.month, day.day, tzinfo=_ZONE, fold=0)
    return start.astimezone(dt.UTC).astimezone(_ZONE)


def doubtful(text: str, fmt: str = "default") -> ClockChange | None:
    """:func:`clock_change` of a date-time cell without offset, None for any other cell
    (one with an offset names one moment whatever the clocks do). ``fmt``: the field's
    own pattern (``%d/%m/%Y %H:%M``), read as frictionless reads it (``strptime``); one
    with ``%z`` or ``%Z`` writes its offset or zone."""
    if "%" in fmt:
        return None if "%z" in fmt or "%Z" in fmt else _doubtful_in(text, fmt)
    if not _NEAR.match(text):
        return None
    moment = _read(text)
    return None if moment is None or moment.tzinfo else clock_change(moment)


def _doubtful_in(text: str, fmt: str) -> ClockChange | None:
    try:
        return clock_change(dt.datetime.strptime(text, fmt))
    except ValueError:
        return None


def instant(text: str) -> dt.datetime | None:
    """The moment an ISO date-time cell names, in UTC: at its offset when it has one, as
    Paris wall-clock time when not. None for a cell that is no date-time, or whose
    wall-clock time names no single moment (:func:`clock_change`)."""
    moment = _read(text)
    if moment is None:
        return None
    if moment.tzinfo is None:
        if clock_change(moment) is not None:
            return None
        moment = moment.replace(tzinfo=_ZONE)
    return moment.astimezone(dt.UTC)


def has_offset(text: str) -> bool:
    """Whether ``text`` is a date-time written with its UTC offset (``Z``, ``+01:00``)."""
    moment = _read(text)
    return moment is not None and moment.tzinfo is not None


def with_offset(text: str) -> str | None:
    """``text``, a date-time without offset, with the Paris offset of its moment written
    after it (``2024-02-01T08:00:00`` → ``2024-02-01T08:00:00+01:00``); None if it has an
    offset, is no date-time or names no single moment."""
    moment = _read(text)
    if moment is None or moment.tzinfo is not None or clock_change(moment) is not None:
        return None
    offset = moment.replace(tzinfo=_ZONE).utcoffset() or dt.timedelta(0)
    minutes, seconds = divmod(int(offset.total_seconds()), 60)
    if seconds:  # the local mean time of the 19th century: no ±HH:MM to write it
        return None
    sign = "-" if minutes < 0 else "+"
    return f"{text}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _read(text: str) -> dt.datetime | None:
    """A date-time cell as frictionless reads it (ISO 8601, ``HH:MM:SS`` at least)."""
    if len(text) < 19 or text[16] != ":":
        return None
    try:
        return parser.isoparse(text)
    except (ValueError, OverflowError):
        return None
