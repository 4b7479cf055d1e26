"""Turn the published CSV text into pandas columns typed by the Table Schema.

Generic Data Package readers hand researchers strings or loose ``object`` columns; here each
field's schema decides its pandas dtype, so a loaded table is ready for analysis:

=====================  ==========================================================
schema                 pandas
=====================  ==========================================================
``integer``, ``year``  ``Int64`` (nullable: an unknown count stays ``<NA>``)
``number``             ``Float64`` (nullable)
``boolean``            ``boolean`` (nullable)
``date``               ``datetime64[…, Europe/Paris]`` at the first instant of that day
                       (midnight, the first one where the clocks made two)
``datetime``           ``datetime64[…, Europe/Paris]``, the same instant as published
``string`` + ``enum``  ``category`` whose categories are *all* the allowed values, in
                       schema order (a value no row uses still counts as zero)
``string``             ``string`` (``pd.NA`` for an empty cell)
multi-valued string    ``object`` column of Python lists (see :func:`multivalue_spec`)
other types            ``string``, as published (no schema here uses them)
=====================  ==========================================================

Values are read the way the schema writes them: a date ``format`` pattern (``%d/%m/%Y``),
a ``decimalChar``/``groupChar``, ``bareNumber: false``. A date-time without offset is Paris
wall-clock time (:mod:`moisinno_data.package.paris`); one that names no single moment
there — in the hour the clocks skip (March) or repeat (October) — is read as unknown
(``NaT``) with a :class:`ClockChangeWarning` naming its cells, never shifted to another
moment: validate warns of such a cell and asks for its offset.
A ``format: "any"`` date or date-time that does not write its whole day (``2020-11``),
which frictionless completes from the day it runs, is unknown too
(:class:`PartialDateWarning`): a load never depends on the day it is made.

Why Europe/Paris: the events are French and the schema publishes date-times with their
offset (``+01:00``); one column needs one time zone, and Paris keeps the instants exact
while showing metropolitan wall-clock hours. ``.dt.tz_convert("UTC")`` or
``.dt.tz_convert("America/Cayenne")`` gives any other view of the same instants; a
``date`` column's ``.dt.date`` gives back the calendar day as published.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass
from typing import Any

import pandas as pd

from moisinno_data.errors import MoisinnoError
from moisinno_data.package import french, notation, paris

TIMEZONE = paris.TIMEZONE
UNIT = "us"  # one resolution whatever pandas infers, so dtypes are the same on pandas 2 and 3

_TRUE = ("true", "True", "TRUE", "1")
_FALSE = ("false", "False", "FALSE", "0")
_OFFSET = re.compile(r"\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$")
"""A time ending with its offset: ``Z``, ``+01:00``, ``+0100`` or ``+02`` (ISO 8601 allows
the hours alone, and frictionless reads them: one such cell made ``load`` fail). The time
before it keeps a date's day (``2021-09-15``) from passing for an offset."""
_NAN = r"[+-]?s?nan"
"""Spellings of a number that is not one (``NaN``, Table Schema's own), case aside."""
_INT64 = (-(2**63), 2**63 - 1)


class DataTypeError(MoisinnoError):
    """A published cell does not match its schema type (a corrupt or hand-edited release)."""


@dataclass(frozen=True)
class MultiValue:
    """A string field holding several values joined by ``separator``.

    ``vocabulary`` lists the allowed items, in schema order, when the pattern enumerates
    them (``thematiques``); it is empty for free items (``sources``: URLs).
    """

    separator: str
    vocabulary: tuple[str, ...] = ()


# ^ITEM(SEP ITEM)*$ — the Table Schema idiom for a list in one cell, the separator maybe
# escaped (``\|``). Only list separators count: a slug pattern such as
# ^[a-z0-9]+(-[a-z0-9]+)*$ has the same shape with "-".
_LIST_PATTERN = re.compile(r"^\^(?P<item>.+)\((?P<sep>\\?[;,|])(?P=item)\)\*\$$")
# (?:(?:^|SEP)(ITEM))+$ — the same list as other schemas write it (IRVE, inclusion
# numérique, comptage des mobilités: ``(?:(?:^|,)(BIKE|CAR|…))+$``).
_REPEATED_PATTERN = re.compile(r"^\(\?:\(\?:\^\|(?P<sep>\\?[;,|])\)(?P<item>\(.+\))\)\+\$$")
_QUANTIFIER = re.compile(r"\{\d*,?\d*\}")
_META = frozenset(".^$*+?{}[]()|\\")
_SURE_ESCAPES = re.compile(r"\\([dws]|[^\w])")
r"""Escapes known to match no separator unless they name it: ``\d``, ``\w``, ``\s`` and
punctuation (``\-``); any other (``\S``, ``\x2c``, ``\b``, ``\1``) is not sure."""


def multivalue_spec(field: dict[str, Any]) -> MultiValue | None:
    """The list structure a field's ``pattern`` defines, or None for a single value.

    The schema has no list type, so ``thematiques`` and ``sources`` say it with a pattern
    like ``^(a|b)(;(a|b))*$``, other schemas with ``(?:(?:^|,)(a|b))+$``: the separator
    and the vocabulary are read from it rather than hard-coded, so a schema change
    carries through. Only where every item is sure to hold no separator
    (:func:`_item_excludes`): a pattern read otherwise would split values wrongly, and
    its cells stay whole strings.
    """
    if field.get("type", "string") != "string":
        return None
    pattern = (field.get("constraints") or {}).get("pattern")
    if not isinstance(pattern, str):
        return None
    match = _LIST_PATTERN.match(pattern) or _REPEATED_PATTERN.match(pattern)
    if not match:
        return None
    separator, item = match["sep"][-1], match["item"]
    if not _item_excludes(item, separator):
        return None
    return MultiValue(separator, _literal_alternatives(item))


def _item_excludes(item: str, separator: str) -> bool:
    r"""Whether the item's regular expression cannot match ``separator``, read
    conservatively: no ``.``, no ``\S``-like escape, anchor or look-around, no class
    that may hold it, no separator written in it (``|`` unescaped alternates)."""
    i, depth = 0, 0
    while i < len(item):
        char = item[i]
        if char == "\\":
            if not _SURE_ESCAPES.match(item, i) or item[i + 1] == separator:
                return False
            i += 2
        elif char == "[":
            end = _class_end(item, i)
            if end is None or not _class_excludes(item[i + 1 : end], separator):
                return False
            i = end + 1
        elif (quantifier := _QUANTIFIER.match(item, i)) is not None:
            i = quantifier.end()  # {4,33}: its comma separates nothing
        elif char in ".^$" or item.startswith(("(?=", "(?!", "(?<"), i):
            return False
        elif (char == separator and char != "|") or (char == "|" and depth == 0):
            return False  # a separator, or an alternative of the whole pattern
        else:
            depth += {"(": 1, ")": -1}.get(char, 0)
            i += 1
    return depth == 0


def _class_end(item: str, start: int) -> int | None:
    """The index of the ``]`` closing the class opened at ``start``."""
    i = start + 1 + (item[start + 1 : start + 2] == "^")
    i += item[i : i + 1] == "]"  # a first ] is a member
    while i < len(item):
        if item[i] == "\\":
            i += 2
        elif item[i] == "]":
            return i
        else:
            i += 1
    return None


def _class_excludes(members: str, separator: str) -> bool:
    """Whether a character class (its text between the brackets) cannot match
    ``separator``: a negated one names it, another neither names it nor ranges over it."""
    escapes = re.findall(r"\\.", members)
    if any(not _SURE_ESCAPES.fullmatch(e) for e in escapes):
        return False
    if members.startswith("^"):
        return separator in members[1:]
    if separator in members:
        return False
    ranges = re.findall(r"(?<!\\)(.)-(.)", members)
    return not any(low <= separator <= high for low, high in ranges)


def _literal_alternatives(item: str) -> tuple[str, ...]:
    r"""The texts of ``(a|b|c)`` when each is plain text (``E\-SCOOTER`` is E-SCOOTER), in
    schema order; empty when they are expressions (the items are then free)."""
    if not (item.startswith("(") and item.endswith(")")) or item.startswith("(?"):
        return ()
    words: list[str] = []
    word, i = "", 1
    while i < len(item) - 1:
        char = item[i]
        if char == "\\" and item[i + 1 : i + 2] and not item[i + 1].isalnum():
            word, i = word + item[i + 1], i + 2
        elif char == "|":
            words, word, i = [*words, word], "", i + 1
        elif char in _META:
            return ()
        else:
            word, i = word + char, i + 1
    return (*words, word)


def enum_values(field: dict[str, Any]) -> list[str] | None:
    """The values a field allows: its ``enum``, or else its v2 ``categories``, which bind
    as one (validate checks them so: :func:`.schema_check.category_values`)."""
    from moisinno_data.package.schema_check import category_values

    values = (field.get("constraints") or {}).get("enum") or category_values(field)
    return [str(v) for v in values] if values else None


def _fail(
    table: str, field: str, raw: pd.Series, bad: pd.Series, expected: tuple[str, str]
) -> None:
    """Stop on the first cell that is not what its schema says, in French and English
    (``expected``): ``moisinno info --lang en`` loads the tables too."""
    first = bad[bad].index[0]
    line = int(first) + 2  # header is line 1, as a spreadsheet shows it
    raise DataTypeError(
        f"{table}.csv, ligne {line}, colonne « {field} » : la valeur « {raw[first]} » n'est "
        f"pas {expected[0]}. La version chargée est corrompue ou a été modifiée à la main : "
        "téléchargez-la de nouveau ou validez-la avec « moisinno validate ».",
        en=f'{table}.csv, line {line}, column "{field}": the value "{raw[first]}" is not '
        f"{expected[1]}. The version loaded is corrupt or was edited by hand: download it "
        'again or validate it with "moisinno validate".',
    )


class ClockChangeWarning(UserWarning):
    """Published date-times without offset that name no single moment in Paris, loaded as
    ``NaT`` (see :func:`_paris`)."""


class OutOfRangeWarning(UserWarning):
    """Published date-times whose moment in Paris falls outside the years 1 to 9999
    (``9999-12-31T23:59:59Z`` is 10000-01-01 at 00:59 in Paris), which no Python datetime
    holds: loaded as ``NaT`` (see :func:`_beyond_years`)."""


class PartialDateWarning(UserWarning):
    """Published ``format: "any"`` dates or date-times that do not write their whole day
    (``2020-11``, ``nov``, ``10:00``), loaded as ``NaT`` (see :func:`_partial_days`)."""


def _partial_days(raw: pd.Series, table: str, field: dict[str, Any]) -> pd.Series:
    """Where a ``format: "any"`` cell does not write its whole day (year, month and day):
    frictionless (dateutil) fills the missing parts from the day it runs, and pandas from
    another guess (``nov`` was year 1), so a load depended on the date it ran. Those cells
    are unknown, with a :class:`PartialDateWarning` naming them; the mask is returned."""
    flags = {cell: notation.partial_day(cell) for cell in raw.dropna().unique()}
    mask = raw.map(flags).fillna(False).astype(bool)
    if mask.any():
        cells = mask.index[mask]
        warnings.warn(
            f"{table}.csv, colonne « {field['name']} », {_lines(cells)}"
            f" : « {raw[cells[0]]} » ne dit pas le jour entier (année, mois et jour), "
            "que frictionless complète par la date du jour où il lit. Ces cellules sont "
            "chargées vides (NaT) plutôt que datées du jour du chargement.",
            PartialDateWarning,
            stacklevel=3,
        )
    return mask


def _beyond_years(source: pd.Series, fmt: str, table: str, field: dict[str, Any]) -> pd.Series:
    """Where a cell's moment in Paris is outside the years 1 to 9999: frictionless reads
    ``9999-12-31T23:59:59Z``, but in Paris time it is year 10000, which no Python datetime
    holds; pandas' time-zone conversion stopped ``load`` with a bare OverflowError, or
    left a value that broke the frame at its first printing. Only a cell writing the year
    1 or 9999 can get there (an offset moves a moment by less than a day): each such cell
    is read alone. Those out of range are unknown, with an :class:`OutOfRangeWarning`
    naming them; the mask is returned."""
    edge = source.str.contains(r"(?<!\d)(?:0001|9999)(?!\d)", regex=True, na=False)
    if not edge.any():
        return edge

    def beyond(cell: str) -> bool:
        try:
            result, _unplaced = _instants(pd.Series([cell]), fmt)
            year = result.dt.year.iloc[0]  # in Paris: year 0 is 0001-01-01T00:00+01:00
            return bool(pd.notna(year) and not 1 <= year <= 9999)
        except (OverflowError, NotImplementedError, ValueError, pd.errors.OutOfBoundsDatetime):
            return True

    flags = {cell: beyond(cell) for cell in source[edge].unique()}
    mask = source.map(flags).fillna(False).astype(bool)
    if mask.any():
        cells = mask.index[mask]
        warnings.warn(
            f"{table}.csv, colonne « {field['name']} », {_lines(cells)} : « {source[cells[0]]} »"
            " tombe, à l'heure de Paris, hors des années 1 à 9999 que Python sait tenir. Ces "
            "cellules sont chargées vides (NaT).",
            OutOfRangeWarning,
            stacklevel=4,
        )
    return mask


def _lines(cells: pd.Index) -> str:
    """``ligne(s) 2, 5 (+3)``: the first five cells' lines (the header is line 1)."""
    lines = ", ".join(str(int(i) + 2) for i in cells[:5])
    more = f" (+{len(cells) - 5})" if len(cells) > 5 else ""
    return f"ligne(s) {lines}{more}"


def _paris(naive: pd.Series) -> pd.Series:
    """Paris wall-clock times as instants; ``NaT`` for those the clocks skip (March) or
    repeat (October). frictionless accepts them, so a version holding one must load, but
    any moment put there would be one the publisher did not write: the first pass of the
    repeated hour is an hour off half the time, the hour after the skipped one is a moment
    no cell of the day names."""
    return naive.dt.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="NaT")


def _warn_clock_changes(
    raw: pd.Series, unplaced: pd.Series, table: str, field: dict[str, Any]
) -> None:
    """Say which cells :func:`_paris` read as unknown (``unplaced``: their wall-clock
    times, NaT elsewhere), and why, as validate would: one warning for the hours the
    clocks skip, one for those they repeat (each listed line had the first one's reason)."""
    fmt = str(field.get("format") or "default")
    where = unplaced.notna()
    changes = unplaced[where].map(lambda t: paris.clock_change(t.to_pydatetime()) or "skipped")
    for change in ("skipped", "repeated"):
        cells = changes.index[changes == change]
        if not len(cells):
            continue
        fr = paris.said(change, raw[cells[0]], fmt)[0]
        warnings.warn(
            f"{table}.csv, colonne « {field['name']} », {_lines(cells)} : {fr}. Ces cellules "
            "sont chargées vides (NaT) plutôt que décalées.",
            ClockChangeWarning,
            stacklevel=2,
        )


def _strftime(field: dict[str, Any]) -> str | None:
    """The field's own date pattern (``%d/%m/%Y``), None for the ISO default or ``any``."""
    fmt = field.get("format")
    return fmt if isinstance(fmt, str) and "%" in fmt else None


def _to_datetime(raw: pd.Series, table: str, field: dict[str, Any]) -> pd.Series:
    name, kind, own = field["name"], field.get("type"), _strftime(field)
    if kind == "date":
        return _days(raw, table, field)
    partial = pd.Series(False, index=raw.index)
    if field.get("format") == "any":
        partial = _partial_days(raw, table, field)
        (source, fmt), expected = (raw.mask(partial), "mixed"), ("une date", "a date")
    elif own is not None:
        (source, fmt), expected = (raw, own), _own_format(own)
    else:
        source, fmt = _next_midnights(_iso_spelled(raw)), "ISO8601"
        expected = (
            "une date-heure ISO 8601 (AAAA-MM-JJTHH:MM:SS+01:00)",
            "an ISO 8601 date-time (YYYY-MM-DDTHH:MM:SS+01:00)",
        )
    far = _beyond_years(source, fmt, table, field)
    result, unplaced = _instants(source.mask(far), fmt)
    bad = raw.notna() & result.isna() & unplaced.isna() & ~partial & ~far
    if bad.any():
        _fail(table, name, raw, bad, expected)
    if unplaced.notna().any():
        _warn_clock_changes(raw, unplaced, table, field)
    return result.dt.as_unit(UNIT)


def _own_format(own: str) -> tuple[str, str]:
    return f"une date au format du schéma ({own})", f"a date in the schema's format ({own})"


def _iso_spelled(raw: pd.Series) -> pd.Series:
    """ISO 8601 date-times as pandas reads them: frictionless (dateutil's ``isoparse``)
    also takes a lower-case ``t`` or ``z`` and a decimal comma (``10:00:00,5``), which
    made ``load`` call a valid release corrupt."""
    return raw.str.upper().str.replace(r"(:\d{2}),(\d)", r"\1.\2", regex=True)


def _days(raw: pd.Series, table: str, field: dict[str, Any]) -> pd.Series:
    """Each cell's day as frictionless reads it (``any``: the day written before any time,
    ``2021-09-15T18:30:00`` is the 15th), held as its first instant in Paris
    (:func:`paris.day_start`): a day is no clock reading, so no clock change makes it
    unknown (26/09/1976, whose midnight came twice, loaded NaT or stopped the table)."""
    own = _strftime(field)
    partial = pd.Series(False, index=raw.index)
    if field.get("format") == "any":
        partial = _partial_days(raw, table, field)
        naive, expected = _any_days(raw.mask(partial)), ("une date", "a date")
    elif own is not None:
        naive = pd.to_datetime(raw, format=own, errors="coerce")
        expected = _own_format(own)
    else:
        naive = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")
        expected = ("une date AAAA-MM-JJ", "a date YYYY-MM-DD")
    bad = raw.notna() & naive.isna() & ~partial
    if bad.any():
        _fail(table, field["name"], raw, bad, expected)
    if naive.dt.tz is not None:  # a pattern with %z: the day as written, at its offset
        naive = naive.dt.tz_localize(None)
    days = naive.dt.normalize().dt.as_unit(UNIT)
    result = days.dt.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="NaT")
    odd = days.notna() & result.isna()
    if odd.any():
        starts = [paris.day_start(day.date()) for day in days[odd]]
        result[odd] = pd.Series(starts, index=days[odd].index).dt.tz_convert(TIMEZONE)
    return result


def _any_days(raw: pd.Series) -> pd.Series:
    """``format: "any"`` dates as frictionless reads them (dateutil's ``parse``, then the
    day written, whatever time or offset follows), each distinct cell once."""
    from dateutil import parser

    def day(cell: str) -> dt.datetime | None:
        try:
            moment = parser.parse(cell)
        except (ValueError, OverflowError):
            return None
        return dt.datetime(moment.year, moment.month, moment.day)

    cells = raw.dropna().unique()
    days = {cell: day(cell) for cell in cells}
    return pd.to_datetime(raw.map(days), errors="coerce")


def _next_midnights(raw: pd.Series) -> pd.Series:
    """``raw`` with its cells at 24:00 (ISO 8601's end of the day, which frictionless reads
    and pandas refuses) written as the next day at 00:00, the moment they name
    (:func:`paris.next_midnight`, as fix writes them): a version published before fix
    wrote them so holds them, and validate accepts them."""
    late = raw.str.contains("24:00", regex=False, na=False)
    if not late.any():
        return raw
    return raw.where(~late, raw[late].map(lambda cell: paris.next_midnight(cell) or cell))


def _instants(raw: pd.Series, fmt: str) -> tuple[pd.Series, pd.Series]:
    """Cells read with ``fmt`` as instants in Paris: those with an offset as written, the
    others as Paris wall-clock time (pandas refuses a column mixing both); and where a
    cell is a wall-clock time that names no single moment, that time (:func:`_paris`; NaT
    elsewhere)."""
    present = raw.notna()
    with_offset = raw.str.contains(_OFFSET, na=False)
    aware = pd.to_datetime(raw.where(with_offset), format=fmt, utc=True, errors="coerce")
    result, unplaced = aware.dt.tz_convert(TIMEZONE), pd.Series(pd.NaT, index=raw.index)
    if (present & ~with_offset).any():
        naive = pd.to_datetime(raw.where(present & ~with_offset), format=fmt, errors="coerce")
        if naive.dt.tz is not None:  # %Z: pandas reads the zone named (UTC), an instant
            moments = naive.dt.tz_convert(TIMEZONE)
        else:
            moments = _paris(naive)
            unplaced = naive.where(moments.isna())
        result = result.dt.as_unit(UNIT).where(with_offset, moments.dt.as_unit(UNIT))
    return result, unplaced


def _bare(raw: pd.Series, field: dict[str, Any]) -> pd.Series:
    """Numbers as pandas reads them, from the way the schema writes them: its group and
    decimal characters, and (``bareNumber: false``) text around the number, as
    frictionless strips it; in the digits 0 to 9 without ``_`` (``1_000``, ``١٢.٥``, which
    frictionless reads and pandas does not: :func:`french.plain_digits`, as fix writes them)."""
    group, decimal = field.get("groupChar"), field.get("decimalChar", ".")
    text = _plain_digits(raw)
    if not group and decimal == "." and field.get("bareNumber", True) is not False:
        return text
    if field.get("bareNumber", True) is False:
        text = text.str.replace(r"(^[^-\d]*)|(\D*$)", "", regex=True)
    if group:
        text = text.str.replace(str(group), "", regex=False)
    if decimal != ".":
        text = text.str.replace(str(decimal), ".", regex=False)
    return text


def _plain_digits(raw: pd.Series) -> pd.Series:
    """``raw`` with its cells holding ``_`` or a character beyond ASCII in plain digits."""
    odd = raw.str.contains(r"_|[^\x00-\x7f]", regex=True, na=False)
    if not odd.any():
        return raw
    return raw.where(~odd, raw[odd].map(lambda cell: french.plain_digits(cell) or cell))


def convert(raw: pd.Series, field: dict[str, Any], table: str) -> pd.Series:
    """One column of strings (``NA`` for missing values) → the dtype its schema field implies."""
    name = field["name"]
    kind = field.get("type", "string")
    present = raw.notna()
    if kind in ("integer", "year"):
        return _integers(raw, field, table)
    if kind == "number":
        return _numbers(raw, field, table)
    if kind == "boolean":
        true_values = field.get("trueValues", _TRUE)
        false_values = field.get("falseValues", _FALSE)
        mapping = {**dict.fromkeys(true_values, True), **dict.fromkeys(false_values, False)}
        values = raw.map(mapping)
        bad = present & values.isna()
        if bad.any():
            words = ", ".join([*true_values, *false_values])
            _fail(table, name, raw, bad, (f"un booléen ({words})", f"a boolean ({words})"))
        return values.astype("boolean")
    if kind in ("date", "datetime"):
        return _to_datetime(raw, table, field)
    allowed = enum_values(field)
    if allowed:
        bad = present & ~raw.isin(allowed)
        if bad.any():
            values = ", ".join(allowed)
            said = (f"une des valeurs permises ({values})", f"one of the allowed values ({values})")
            _fail(table, name, raw, bad, said)
        ordered = field.get("categoriesOrdered") is True  # v2: their order is meant
        return pd.Series(
            pd.Categorical(raw, categories=allowed, ordered=ordered), index=raw.index, name=name
        )
    spec = multivalue_spec(field)
    if spec:
        return pd.Series(
            [v.split(spec.separator) if isinstance(v, str) else None for v in raw],
            index=raw.index,
            name=name,
            dtype=object,
        )
    return raw.astype("string")


def _integers(raw: pd.Series, field: dict[str, Any], table: str) -> pd.Series:
    """Integers exactly: read from their text, not through floats (``9007199254740993``
    beside an empty cell came back one less). One beyond 64 bits, which a schema allows,
    makes the column Python integers (``object``): exact, where ``Int64`` cannot hold it."""
    text = _bare(raw, field)
    try:
        return text.astype("string").astype("Int64")
    except (TypeError, ValueError, OverflowError):
        pass  # signs, spaces, zeros ahead or a huge value: read one by one below
    values = [None if pd.isna(cell) else _integer(str(cell)) for cell in text]
    bad = pd.Series([v is _NOT_INTEGER for v in values], index=raw.index)
    if bad.any():
        _fail(table, field["name"], raw, bad, ("un nombre entier", "an integer"))
    if all(v is None or _INT64[0] <= v <= _INT64[1] for v in values):
        return pd.Series(pd.array(values, dtype="Int64"), index=raw.index, name=raw.name)
    return pd.Series(values, index=raw.index, name=raw.name, dtype=object)


_NOT_INTEGER = object()


def _integer(text: str) -> Any:
    try:
        return int(text.strip())
    except ValueError:
        return _NOT_INTEGER


def _numbers(raw: pd.Series, field: dict[str, Any], table: str) -> pd.Series:
    """``Float64``, where ``NaN`` (a number Table Schema allows) stays NaN, apart from
    ``<NA>`` (an empty cell): taking it for a corrupt release was a false alarm."""
    text = _bare(raw, field)
    numbers = pd.to_numeric(text, errors="coerce")
    present = raw.notna()
    bad = present & numbers.isna()
    if bad.any():  # NaN spelled out is a number; anything else is not
        bad[bad] = ~text[bad].astype(str).str.strip().str.fullmatch(_NAN, case=False)
    if bad.any():
        # as the schema writes them (a decimal comma), not always « séparateur décimal : point »
        fr, en = notation.number_shape(field)
        _fail(table, field["name"], raw, bad, (f"un nombre {fr}", f"a number {en}"))
    values = numbers.to_numpy(dtype=float, na_value=float("nan"))
    array = pd.arrays.FloatingArray(values, ~present.to_numpy(dtype=bool))
    return pd.Series(array, index=raw.index, name=raw.name)


def field_metadata(field: dict[str, Any]) -> dict[str, Any]:
    """What ``df.attrs["fields"][name]`` holds: enough to label a chart or a paper's table."""
    meta: dict[str, Any] = {
        "title": field.get("title", ""),
        "description": field.get("description", ""),
        "type": field.get("type", "string"),
    }
    allowed = enum_values(field)
    if allowed:
        meta["enum"] = allowed
    spec = multivalue_spec(field)
    if spec:
        meta["separator"] = spec.separator
        if spec.vocabulary:
            meta["vocabulary"] = list(spec.vocabulary)
    return meta
