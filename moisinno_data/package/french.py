"""French office values read in one place: ``17/11/2020``, ``44,8378``, ``1 234``, ``oui``,
a département ``1`` that a spreadsheet wrote without its ``0``.

``fix`` converts them and ``validation.hints`` suggests the conversion; both read values
through these functions, so a hint never proposes what ``fix`` would not write (and the
other way round). A value that cannot be read safely — a two-digit year, a ``05/11/2020``
the column cannot settle, a 31 February — is reported as such, never guessed.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

SPACES = " \t\r\n\u00a0\u202f\u2007\ufeff"
"""What surrounds a value without being part of it (NBSP and narrow NBSP from Word)."""

DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
DMY_TIME = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})[ T]+(\d{1,2})[:hH](\d{2})(?::(\d{2}))?"
    r"(Z|[+-]\d{2}:\d{2})?$"
)
MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_GROUPED = re.compile(r"^([+-]?\d{1,3})((?:[ \u00a0\u202f]\d{3})+|(?:\.\d{3})+)(,\d+)?$")
_FLOAT_INT = re.compile(r"^([+-]?\d+)\.0+$")
_ONE_DOTTED_GROUP = re.compile(r"^[+-]?[1-9]\d{0,2}\.\d{3}$")

SCIENTIFIC_PATTERN = (
    f"^[{SPACES}]*[+-]?[0-9]([,.][0-9]{{1,9}})?[Ee]\\+0?[1-9][0-9]{{1,2}}[{SPACES}]*$"
)
"""A long number as a spreadsheet shows it in a narrow column and writes it in a CSV, in
scientific notation: a PDL ``50017455185930`` became ``5,00175E+13`` (or ``5.00175E+13``),
or ``5E+13`` in a column too narrow for decimals.
The mantissa keeps 10 significant digits at most, the exponent is 10 or more: the number
had more digits than are shown, lost for good. Read in a text field (no other type
takes the comma), where validate warns of it and fix lists it, without guessing the
digits. Literal characters only: the same text works in Python's ``re`` and in polars."""
_SCIENTIFIC = re.compile(SCIENTIFIC_PATTERN)
SCIENTIFIC_LOST = (
    "« {value} » ressemble à un nombre que le tableur a écrit en notation scientifique : "
    "les chiffres au-delà de la précision affichée sont perdus",
    '"{value}" looks like a number the spreadsheet wrote in scientific notation: the '
    "digits beyond the precision shown are lost",
)
SCIENTIFIC_HINT = (
    "reprenez la valeur d'origine et mettez la colonne au format Texte",
    "take the original value again and format the column as Text",
)
"""What :data:`SCIENTIFIC_PATTERN` means and asks for, in French and English: validate's
warning and fix's value to check say the same."""


def in_scientific_notation(value: str) -> bool:
    """Whether ``value`` is a long number a spreadsheet wrote as :data:`SCIENTIFIC_PATTERN`."""
    return _SCIENTIFIC.match(value) is not None


SPREADSHEET_DIGITS = 15
"""The significant digits a spreadsheet keeps of a number (Excel, LibreOffice): typed
12345678901234567890, the cell holds 12345678901234500000."""
DIGITS_LOST = (
    "« {value} » est un nombre de {n} chiffres enregistré par le tableur, qui n'en garde "
    "que 15 : ceux d'après sont devenus des zéros, la valeur tapée a pu être perdue",
    '"{value}" is a {n}-digit number stored by the spreadsheet, which keeps only 15: '
    "the digits after them became zeros, the value typed may be lost",
)
"""What a spreadsheet's whole number past :data:`SPREADSHEET_DIGITS` digits in a text
field means (a 20-digit identifier typed in a General cell): validate's warning and fix's
value to check say the same, with :data:`SCIENTIFIC_HINT`."""


def digits_past_precision(value: str) -> int | None:
    """How many digits a spreadsheet's whole number cell, written as text, has when they
    are more than it keeps (:data:`SPREADSHEET_DIGITS`); None otherwise."""
    digits = value.removeprefix("-")
    if digits.isascii() and digits.isdigit() and len(digits) > SPREADSHEET_DIGITS:
        return len(digits)
    return None


UNUSUAL_DIGITS_PATTERN = r"_|[\p{Nd}--0-9]"
r"""A number written as nobody writes one in a table, that Python, so frictionless, reads all
the same: with Python's ``_`` separators (``1_000``), or in another script's digits
(``٣`` Arabic-Indic, ``１２`` fullwidth, ``๒`` Thai), which a spreadsheet or a reader does
not take for a number. Validate warns of it in a number field (``unusual-digits``), fix
writes it :func:`plain_digits`. Polars' (Rust) syntax: Python's ``re`` has no ``\p``."""
UNUSUAL_DIGITS = (
    "« {value} » est lu comme {plain} : des chiffres écrits avec « _ » ou dans une autre "
    "écriture (arabes, pleine chasse…), qu'un tableur ne lit pas comme des nombres",
    '"{value}" is read as {plain}: digits written with "_" or in another script '
    "(Arabic, fullwidth…), which a spreadsheet does not read as numbers",
)
UNUSUAL_DIGITS_HINT = (
    "écrivez « {plain} », en chiffres 0 à 9 sans « _ »",
    'write "{plain}", in the digits 0 to 9 without "_"',
)
"""What :data:`UNUSUAL_DIGITS_PATTERN` means and asks for: validate's warning, and fix's
change, say the same."""


_TOTAL_ROW = re.compile(r"(?:sous[-\s]?)?tota(?:l|ux)(?:\s|[:(–-]|$)", re.IGNORECASE)
_NOTE_ROW = re.compile(
    r"(?:sources?|notes?|n\.?\s?b\.?|lecture|champ|remarques?|avertissement)\s*:",
    re.IGNORECASE,
)
FOOTER_ROW = {
    "total": (
        "c'est une ligne de total, pas une donnée : supprimez toute la ligne, car seules "
        "les lignes de données ont leur place sous l'en-tête",
        "this is a total row, not data: delete the whole row, as only data rows belong "
        "under the header",
    ),
    "note": (
        "c'est une ligne de source ou de note sous le tableau, pas une donnée : supprimez "
        "toute la ligne, car seules les lignes de données ont leur place sous l'en-tête",
        "this is a source or note line under the table, not data: delete the whole row, "
        "as only data rows belong under the header",
    ),
}
"""What :func:`footer_row` finds asks for, in French and English."""


def footer_row(value: str) -> str | None:
    """Whether a cell is the label a spreadsheet puts under a table rather than a value:
    ``"total"`` for ``Total``, ``Sous-total``, ``TOTAUX`` ; ``"note"`` for a line
    ``Source : …``, ``Note : …``, ``NB : …``, ``Lecture : …``, ``Champ : …`` (what French
    administrations' tables carry under their rows); None otherwise."""
    text = value.strip(SPACES)
    if _TOTAL_ROW.match(text):
        return "total"
    if _NOTE_ROW.match(text):
        return "note"
    return None


OTHER_DIGITS_PATTERN = r"[\p{Nd}--0-9]"
""":data:`UNUSUAL_DIGITS_PATTERN` without ``_``: another script's digits alone, for a date
or time whose format may hold a ``_`` of its own (``%d_%m_%Y``)."""


def digits_read(field: Mapping[str, Any]) -> str | None:
    """How frictionless reads the digits of the field's values, where it reads more than
    0 to 9: ``"number"`` when ``int()`` or ``Decimal()`` reads them, Python's ``_`` and
    any script's digits (integer, number, year, and the parts of a year-month
    ``２０２０-１１`` or a geopoint ``1_0, 2``); ``"date"`` when ``strptime`` or dateutil
    reads them, any script's digits (a date, time or date-time in a format of its own:
    ``17/11/２０２０``); None when only 0 to 9 are read (ISO dates, durations…). The one
    list of the fields where validate warns of ``unusual-digits`` and fix writes
    :func:`plain_digits`."""
    ftype = field.get("type")
    if ftype in ("integer", "number", "year", "yearmonth", "geopoint"):
        return "number"
    if ftype in ("date", "time", "datetime") and (field.get("format") or "default") != "default":
        return "date"
    return None


def plain_digits(text: str, *, underscores: bool = True) -> str | None:
    """``1_000`` → ``1000``, ``١٢.٥`` → ``12.5``, ``１２`` → ``12``: a number in the digits
    0-9, without the underscores ``int()`` and ``Decimal()`` skip (so the same value for
    them, and for frictionless); None when there is nothing to rewrite. A year may not
    keep its four characters (``2_24`` is read 224): the caller checks the field reads
    what it writes (fix's guard, :mod:`..publishing.no_worse`). ``underscores=False``
    (a date: :func:`digits_read`): the digits alone, a ``_`` kept."""
    if text.isascii() and (not underscores or "_" not in text):
        return None
    plain = "".join(_ascii_digit(c) for c in text if c != "_" or not underscores)
    return plain if plain != text else None


def plain_digits_in(text: str, ftype: str | None) -> str | None:
    """:func:`plain_digits` as a field of type ``ftype`` reads them (:func:`digits_read`):
    a date, time or date-time keeps its ``_``."""
    return plain_digits(text, underscores=ftype not in ("date", "time", "datetime"))


def _ascii_digit(char: str) -> str:
    value = unicodedata.decimal(char, None) if not char.isascii() else None
    return char if value is None else str(value)


TRUE_WORDS = frozenset({"oui", "o", "vrai", "yes", "y", "x", "true"})
FALSE_WORDS = frozenset({"non", "n", "faux", "no", "false"})
DEFAULT_TRUE = ("true", "True", "TRUE", "1")
DEFAULT_FALSE = ("false", "False", "FALSE", "0")
"""Table Schema's default ``trueValues`` / ``falseValues``."""


@dataclass(frozen=True)
class DateReading:
    iso: str | None
    """ISO 8601 form (``2020-11-17`` or ``2020-11-17T09:30:00``), None when unreadable."""
    problem: str | None = None
    """``annee-a-deux-chiffres``, ``date-ambigue``, ``date-impossible`` or ``heure-impossible``."""
    ambiguous: bool = False
    """Day and month could be swapped: ``iso`` is the day/month reading."""


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _day_month(first: int, second: int, order: str | None) -> tuple[int, int, bool]:
    """(day, month, ambiguous) for ``first/second`` read in ``order`` or, by default, from
    the value itself (a part over 12 can only be the day; else day/month, flagged)."""
    if order == "dmy":
        return first, second, False
    if order == "mdy":
        return second, first, False
    if first > 12 >= second:
        return first, second, False
    if second > 12 >= first:
        return second, first, False
    if first == second:
        return first, second, False
    return first, second, first <= 12 and second <= 12


def _date_parts(m: re.Match[str], order: str | None) -> tuple[str | None, DateReading | None]:
    first, second, year_text = int(m.group(1)), int(m.group(2)), m.group(3)
    if len(year_text) == 2:
        return None, DateReading(None, "annee-a-deux-chiffres")
    day, month, ambiguous = _day_month(first, second, order)
    year = int(year_text)
    if not _valid(year, month, day):
        return None, DateReading(None, "date-impossible")
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    if ambiguous:
        return iso, DateReading(iso, "date-ambigue", ambiguous=True)
    return iso, None


def read_date(text: str, order: str | None = None) -> DateReading | None:
    """``17/11/2020`` → 2020-11-17; None when ``text`` is not a ``nn/nn/yyyy`` date.

    ``order`` (``"dmy"`` / ``"mdy"``) settles ``05/11/2020``; without it such a date comes
    back with ``problem="date-ambigue"`` and its day/month reading.
    """
    m = DMY.match(text.strip(SPACES))
    if not m:
        return None
    iso, problem = _date_parts(m, order)
    return problem or DateReading(iso)


def read_datetime(text: str, order: str | None = None) -> DateReading | None:
    """``19/11/2024 09h30`` → 2024-11-19T09:30:00 (an offset written after it is kept)."""
    m = DMY_TIME.match(text.strip(SPACES))
    if not m:
        return None
    iso, problem = _date_parts(m, order)
    if iso is None:
        return problem
    hour, minute, second = int(m.group(4)), int(m.group(5)), int(m.group(6) or 0)
    if hour > 23 or minute > 59 or second > 59:
        return DateReading(None, "heure-impossible")
    when = f"{iso}T{hour:02d}:{minute:02d}:{second:02d}{m.group(7) or ''}"
    if problem is not None:
        return DateReading(when, problem.problem, ambiguous=True)
    return DateReading(when)


def read_day(text: str, order: str | None = None) -> DateReading | None:
    """``17/11/2020``, or ``17/11/2020 00:00`` (a date-time at midnight, as spreadsheets
    export a date): the day, as :func:`read_date` reads it. A time other than midnight is
    no day (None): what it says is not dropped."""
    reading = read_date(text, order)
    if reading is not None:
        return reading
    reading = read_datetime(text, order)
    if reading is None or reading.iso is None:
        return reading  # None, or a date that cannot be read safely, said as such
    if reading.iso[10:] != "T00:00:00":
        return None
    return DateReading(reading.iso[:10], reading.problem, reading.ambiguous)


def read_month(text: str) -> str | None:
    """``11/2020`` → ``2020-11``."""
    m = MONTH_YEAR.match(text.strip(SPACES))
    if m and 1 <= int(m.group(1)) <= 12:
        return f"{m.group(2)}-{int(m.group(1)):02d}"
    return None


class DateOrderVotes:
    """What a column's unambiguous ``nn/nn/yyyy`` values say of its order, one value at a
    time (a file read as a stream, column by column)."""

    __slots__ = ("dmy", "mdy")

    def __init__(self) -> None:
        self.dmy = self.mdy = False

    def add(self, value: str) -> None:
        text = value.strip(SPACES)
        m = DMY.match(text) or DMY_TIME.match(text)
        if not m or len(m.group(3)) != 4:  # 17/11/20 may be 2017-11-20: it proves nothing
            return
        first, second = int(m.group(1)), int(m.group(2))
        if first > 12 and second <= 12:
            self.dmy = True
        elif second > 12 and first <= 12:
            self.mdy = True

    def order(self) -> str | None:
        """``dmy`` or ``mdy`` when the values settle it, else None (none, or both seen)."""
        if self.dmy != self.mdy:
            return "dmy" if self.dmy else "mdy"
        return None


def date_order(values: Iterable[str]) -> str | None:
    """``dmy`` or ``mdy`` when a column's own unambiguous values settle it, else None."""
    votes = DateOrderVotes()
    for value in values:
        votes.add(value)
    return votes.order()


@dataclass(frozen=True)
class NumberReading:
    value: str
    rule: str
    """``virgule-decimale``, ``separateur-milliers`` or ``entier``."""


def read_number(text: str, *, integer: bool) -> NumberReading | None:
    """``44,8378`` → 44.8378, ``1 234`` → 1234, ``2020.0`` → 2020 (integers only).

    A ``.`` groups thousands only where it cannot be a decimal point: two groups or more
    (``1.234.567``) or before a decimal comma (``1.234,5``). One group (``1.234``) could be
    either, even in an integer column (sweep 10: ``12.345`` became 12345): not read, see
    :func:`point_or_thousands`. A first group starting with 0 (``0.125``, ``0 125``) is
    never thousands. An integer column never gets a value with decimals.
    """
    value = text.strip(SPACES)
    if point_or_thousands(value):
        return None  # not 1234, and not 1 in an integer column (``1.000``) either
    m = _GROUPED.match(value)
    if m and not m.group(1).lstrip("+-").startswith("0"):
        groups, decimals = m.group(2), m.group(3)
        if groups.startswith(".") and not (decimals or groups.count(".") > 1):
            return None
        if decimals and integer:
            return None
        digits = m.group(1) + re.sub(r"[^\d]", "", groups) + (decimals or "").replace(",", ".")
        return NumberReading(digits, "separateur-milliers")
    if _DECIMAL_COMMA.match(value):
        return None if integer else NumberReading(value.replace(",", "."), "virgule-decimale")
    m = _FLOAT_INT.match(value)
    if m and integer:
        return NumberReading(canonical_integer(m.group(1)), "entier")
    if integer and _INTEGER.match(value) and canonical_integer(value) != value:
        return NumberReading(canonical_integer(value), "entier")
    return None


def point_or_thousands(text: str) -> bool:
    """Whether ``text`` is one to three digits, a point and three digits (``1.234``,
    ``12.000``): a decimal point or a thousands separator, which only the person who wrote
    it can say. A first digit 0 (``0.125``) settles it: a decimal point."""
    return _ONE_DOTTED_GROUP.match(text.strip(SPACES)) is not None


_INTEGER = re.compile(r"^[+-]?\d+$")


def canonical_integer(text: str) -> str:
    """``02020`` and ``+2020`` → ``2020``: an integer as its type reads it (other text as is).
    Written out digit by digit: ``int()`` refuses past 4,300 digits, and a cell can hold
    millions (sweep 8: ``fix`` stopped on an internal error)."""
    value = text.strip(SPACES)
    if not _INTEGER.match(value):
        return text
    digits = value.lstrip("+-").lstrip("0") or "0"
    return "-" + digits if value.startswith("-") and digits != "0" else digits


CODE_DIGITS = 14
"""The longest code a lost zero is looked for in: a SIRET's 14 digits."""

_SHORT_CODE = re.compile(rf"[0-9]{{1,{CODE_DIGITS - 1}}}")


def with_zeros(value: str) -> Iterator[str]:
    """``value`` with one zero ahead, then two…, up to :data:`CODE_DIGITS` digits: the
    codes a value of digits may have been before a spreadsheet took it for a number,
    shortest first. ``fix`` (:func:`lost_zeros`) and validate's hints (one candidate
    correction each, checked a block of cells at a time) try them in this order and hand
    the first their column accepts to :class:`LostZeros`."""
    if _SHORT_CODE.fullmatch(value):
        yield from (value.zfill(width) for width in range(len(value) + 1, CODE_DIGITS + 1))


@dataclass(frozen=True)
class LostZeros:
    """A value of digits too short for its column, and ``code``, the shortest of its
    :func:`with_zeros` forms the column accepts: the one decision ``fix`` (which writes
    it or lists it as to check) and validate's hint (which proposes it or says what is
    wrong) both follow, so a report never asks for a code that fix would not write."""

    value: str
    code: str

    @property
    def restored(self) -> str | None:
        """``code`` when it is ``value`` with the one zero a spreadsheet drops from a code
        typed as a number (``1`` → ``01``, ``1053`` → ``01053``); None when it needs more
        zeros, or ``value`` starts with 0 already (nothing took it for a number): padding
        it would invent a code (sweep 10: ``1`` → ``00001``), so it is a value to check."""
        one = len(self.code) == len(self.value) + 1 and not self.value.startswith("0")
        return self.code if one else None

    @property
    def to_check(self) -> tuple[str, str]:
        """Why a code not :attr:`restored` is left to check, in French and English; no
        code is shown, not even with a "?": it would be copied as the answer."""
        have, want = len(self.value), len(self.code)
        if self.value.startswith("0"):  # its zeros are there: no spreadsheet took it for a number
            return (
                f"« {self.value} » a {have} chiffre(s), le code en demande {want} ; il commence "
                "déjà par 0 : ce n'est pas un zéro perdu par un tableur, le code n'est pas "
                "deviné ; vérifiez-le",
                f'"{self.value}" has {have} digit(s), the code needs {want}; it starts with 0 '
                "already: no zero lost by a spreadsheet, the code is not guessed; check it",
            )
        return (
            f"« {self.value} » a {have} chiffre(s), le code en demande {want} : seul un zéro "
            "initial perdu est rétabli, le code n'est pas deviné ; vérifiez-le",
            f'"{self.value}" has {have} digit(s), the code needs {want}: only one lost leading '
            "zero is restored, the code is not guessed; check it",
        )


def lost_zeros(value: str, accepts: Callable[[str], bool]) -> LostZeros | None:
    """What ``value`` lacks, when it is digits its column refuses and one of its
    :func:`with_zeros` forms is accepted; None otherwise (the column is asked nothing
    about a value that is not digits)."""
    if not _SHORT_CODE.fullmatch(value) or accepts(value):
        return None
    code = next(filter(accepts, with_zeros(value)), None)
    return None if code is None else LostZeros(value, code)


RANGE_KEYS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
"""The constraints that bound a number: a type error's params carry them, so that a
correction proposed for the cell (a percentage read) is one the field accepts."""

_PERCENT = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)[ \u00a0\u202f]?%$")
_FRACTION_WORDS = re.compile(r"\b(ratio|taux|proportion|part|fraction|pourcentage|rate)\b", re.I)
_ZERO_TO_ONE = re.compile(r"\b(entre 0 et 1|de 0 à 1|between 0 and 1|from 0 to 1)\b", re.I)


def number_range(spec: Mapping[str, Any]) -> dict[str, float]:
    """The bounds among the field's constraints (:data:`RANGE_KEYS`) that are numbers."""
    constraints = spec.get("constraints")
    if not isinstance(constraints, Mapping):
        return {}
    return {
        k: constraints[k]
        for k in RANGE_KEYS
        if isinstance(constraints.get(k), int | float) and not isinstance(constraints[k], bool)
    }


def percent_scale(spec: Mapping[str, Any]) -> str | None:
    """How the field writes 45 %: ``fraction`` (0.45) when its maximum is 1 or less or its
    title or description speaks of a ratio between 0 and 1, ``percent`` (45) when its
    maximum is 100 or more or it has none; None when the range tells neither (a maximum
    of 50): a percentage is then a value to check, never converted on a guess."""
    bounds = number_range(spec)
    top = bounds.get("maximum", bounds.get("exclusiveMaximum"))
    words = f"{spec.get('title') or ''} {spec.get('description') or ''}"
    if (top is not None and top <= 1) or (
        _FRACTION_WORDS.search(words) and _ZERO_TO_ONE.search(words)
    ):
        return "fraction"
    return "percent" if top is None or top >= 100 else None


def percent_shown(value: str) -> str:
    """The number a spreadsheet shows before its « % » for a cell holding ``value``
    (``0.122`` → ``12.2``, ``1`` → ``100``), as typed text; « ? » for no number."""
    try:
        shown = Decimal(value) * 100
    except ArithmeticError:  # decimal's InvalidOperation: not a number
        return "?"
    return f"{shown.normalize():f}" if shown else "0"


def percent_stated(spec: Mapping[str, Any]) -> bool:
    """Whether the field says plainly that it writes 45 % as 45: a maximum of 100 or more
    (:func:`percent_scale` also takes a field without maximum so, which is a guess)."""
    if percent_scale(spec) != "percent":
        return False
    bounds = number_range(spec)
    return bounds.get("maximum", bounds.get("exclusiveMaximum")) is not None


PERCENT_CELL = (
    "le tableur affiche la cellule en pourcentage ({shown} %) : le fichier porte "
    "« {value} », pas {shown}",
    'the spreadsheet shows the cell as a percentage ({shown} %): the file holds "{value}", '
    "not {shown}",
)
PERCENT_CELL_HINT = (
    "vérifiez ce que le champ attend : écrivez {shown} s'il attend des pourcentages, "
    "{value} s'il attend une part entre 0 et 1 ; dans le tableur, mettez la colonne au "
    "format Nombre",
    "check what the field expects: write {shown} if it expects percentages, {value} if it "
    "expects a share between 0 and 1; in the spreadsheet, format the column as Number",
)
"""What a number cell shown as a percentage in a number field that may write 45 % as 45
means and asks for: validate's warning (``percent-cell``) and fix's value to check."""


def read_percent(text: str) -> str | None:
    """``45%``, ``45 %``, ``12,5 %`` → the number before the sign, with a decimal point
    (``45``, ``12.5``); None for any other text."""
    m = _PERCENT.match(text.strip(SPACES))
    return m.group(1).replace(",", ".") if m else None


def percent_value(text: str, scale: str | None) -> str | None:
    """The number to write for the percentage ``text`` in a field of :func:`percent_scale`
    ``scale``, with a decimal point: ``45 %`` → 0.45 (``fraction``) or 45 (``percent``);
    None when ``text`` is no percentage or the scale is unknown. The one decision a hint
    proposes (and fix would write): whether the field then accepts it is checked apart."""
    number = read_percent(text)
    if number is None or scale not in ("fraction", "percent"):
        return None
    if scale == "percent":
        return number
    return format((Decimal(number) / 100).normalize(), "f")


_YEARMONTH = re.compile(r"^([0-9]{4})-([0-9]{1,3})$")


def canonical_yearmonth(text: str) -> str | None:
    """``2022-1`` → ``2022-01``: a year and month frictionless reads (it takes the month
    as a number: ``1``, ``001``), written ``AAAA-MM``, the one form of that month in a
    published column; None when it is so already, or is no year and month."""
    m = _YEARMONTH.match(text)
    if m is None or not 1 <= int(m[2]) <= 12:
        return None
    canonical = f"{m[1]}-{int(m[2]):02d}"
    return canonical if canonical != text else None


@functools.lru_cache(maxsize=64)
def _lowered(values: tuple[str, ...]) -> frozenset[str]:
    """A column's true (or false) values in lower case, made once per column, not once
    per cell (hints try every wrong cell of an error-dense file)."""
    return frozenset(v.lower() for v in values)


def read_boolean(
    text: str,
    true_values: Sequence[str] | None = None,
    false_values: Sequence[str] | None = None,
) -> str | None:
    """``oui`` → the column's first true value (``true`` by default), ``non`` → its first
    false value; and so another of its values (``1``, ``True``, a spreadsheet's number 1):
    one spelling per value in a published column, as a diff or another reader sees it.
    None when the word says neither, or is already the column's first value."""
    trues = tuple(true_values) if true_values else tuple(DEFAULT_TRUE)
    falses = tuple(false_values) if false_values else tuple(DEFAULT_FALSE)
    value = text.strip(SPACES)
    if value in (trues[0], falses[0]):
        return None
    if value in trues or value in falses:
        return trues[0] if value in trues else falses[0]
    word = value.lower()
    if word in TRUE_WORDS or word in _lowered(trues):
        return trues[0]
    if word in FALSE_WORDS or word in _lowered(falses):
        return falses[0]
    return None


_CLOCK_DURATION = re.compile(r"^(\d{1,6}):([0-5]\d)(?::([0-5]\d))?$")
"""A duration typed as a spreadsheet shows one, ``h:mm`` or ``h:mm:ss`` (``26:00``,
``2:30:00``): hours first, as ``[h]:mm`` shows them; ``2:30,5`` or ``26h`` are not read."""


def iso_duration(seconds: int) -> str | None:
    """A duration as Table Schema's ``duration`` type wants it, ISO 8601 (26 hours →
    ``PT26H``, 2 h 30 → ``PT2H30M``, none → ``PT0S``); None for a negative one, which
    ISO 8601 does not write."""
    if seconds < 0:
        return None
    h, m, s = seconds // 3600, seconds // 60 % 60, seconds % 60
    parts = [f"{n}{unit}" for n, unit in ((h, "H"), (m, "M"), (s, "S")) if n]
    return "PT" + ("".join(parts) or "0S")


def read_clock_duration(text: str) -> str | None:
    """A text ``h:mm`` or ``h:mm:ss`` (``26:00``, ``2:30:00``) in ISO 8601 (``PT26H``,
    ``PT2H30M``): the one reading of such a text in a ``duration`` field, which fix writes
    and validate's hint proposes; None for any other text (``2:30,5``, ``26h``)."""
    match = _CLOCK_DURATION.fullmatch(text.strip(SPACES))
    if match is None:
        return None
    h, m, s = (int(g) if g else 0 for g in match.groups())
    return iso_duration((h * 60 + m) * 60 + s)


def duration_in_field(seconds: int, kind: str | None, fmt: str | None = None) -> str | None:
    """A spreadsheet duration cell (a number of seconds) as a ``time`` or ``duration``
    field reads it, the one rule validate, fix and consolidate follow: ISO 8601 in a
    duration field (26 hours → ``PT26H``: the cell is a duration, whatever it shows); in a
    time field, under 24 hours, the time of day it means (2.5 hours shown ``2:30`` under
    ``[h]:mm`` → ``02:30:00``, or the field's ``%H:%M`` pattern): people format times so.
    None where the field cannot read it (30 hours is no time of day): left as shown."""
    if kind == "duration":
        return iso_duration(seconds)
    if kind != "time" or not 0 <= seconds < 86400:
        return None
    moment = dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60)
    return moment.strftime(fmt) if fmt and "%" in fmt else moment.isoformat()


__all__ = [
    "RANGE_KEYS",
    "DateOrderVotes",
    "DateReading",
    "LostZeros",
    "NumberReading",
    "canonical_integer",
    "canonical_yearmonth",
    "date_order",
    "duration_in_field",
    "iso_duration",
    "lost_zeros",
    "number_range",
    "percent_scale",
    "percent_value",
    "point_or_thousands",
    "read_boolean",
    "read_clock_duration",
    "read_date",
    "read_datetime",
    "read_day",
    "read_month",
    "read_number",
    "read_percent",
    "with_zeros",
]
