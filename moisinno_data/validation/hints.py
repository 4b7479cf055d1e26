"""How to fix a finding: suggestions for the habits of French office files.

A contributor who wrote ``17/11/2020`` needs to read "écrivez 2020-11-17", not a regular
expression. For a type or constraint error this module tries the corrections French files
usually need — stray spaces, ``dd/mm/yyyy`` dates, decimal commas, ``oui``/``non``, a code
that lost its leading zero, capitals and accents, a missing ``https://``, a value close to
an allowed one — and keeps the first whose result the column actually accepts (its type,
pattern or list of values, as the finding's ``params`` give them). So a hint is never a
guess the validator itself would reject.

:func:`suggest` returns the correction found (or None); :func:`hint` renders the hint
text for any finding, in French or English.
"""

from __future__ import annotations

import calendar
import contextlib
import dataclasses
import datetime as dt
import difflib
import functools
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from moisinno_data.package import french, notation
from moisinno_data.package.text import fold_accents, slug, strip_accents
from moisinno_data.reading.budget import current as current_budget
from moisinno_data.validation.cells import ITEM
from moisinno_data.validation.report import HIDDEN_ENUM, VALUE_CHARS, Finding

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
URI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*://\S+$")


@dataclass(frozen=True)
class Suggestion:
    kind: str
    """spaces, date-fr, datetime-fr, month-fr, decimal-comma, thousands, whole (325.0 in
    an integer column), boolean-fr, unit, leading-zero (a code with zeros ahead, said as
    the code to write only where fix writes it: :func:`_zeros_text`), case, accents,
    characters (full-width digits…), close-value, url-scheme, cog-name — and, for a field
    with its own notation, decimal-char, date-pattern; year-full for a two-digit year;
    duration-iso for ``26:00`` in a duration field; hidden-time for a date-time in a date
    field (a spreadsheet's date cell whose format hides its hour)."""
    value: str
    ambiguous: bool = False
    also_spaces: bool = False
    """The value also had stray spaces around it (the correction removes them too)."""
    label: str = ""
    """What the corrected code stands for (a region's name for ``cog-name``); the
    field's date pattern or decimal separator when ``value`` is written that way."""


fold = slug
"""Enumeration values and place names compare this way (:func:`..package.text.slug`)."""

HINT_MAX_CHARS = VALUE_CHARS
"""Longest cell for which a correction is sought (longer: the hint says what a good value
looks like). The finding of a longer cell keeps only its start and "…"
(:data:`.report.VALUE_CHARS`): a correction of that start would drop the rest. Every usual
correction (a date, a number, a code, a value of a list, a web address) is far shorter,
and the page shows no more of a cell; trying them on a cell of
340,000 characters (folding its accents, comparing it with each allowed value) took
seconds a cell, and a 50 MB upload of such cells held a worker of the page for 5 minutes
per language, past its time limit, which bounds the reading only."""


def _hintable(value: Any) -> bool:
    """A value short enough to look for its correction (:data:`HINT_MAX_CHARS`), while
    the time given to the file lasts (``Budget.max_seconds``, the web page's limit): past
    it, the remaining findings get their column's hint, which costs nothing to write (the
    page's limit bounded the reading only; the corrections of 1,000 distinct long web
    addresses then took 36 s more)."""
    return value is not None and len(str(value)) <= HINT_MAX_CHARS and not _out_of_time()


def _out_of_time() -> bool:
    deadline = current_budget().deadline
    return deadline is not None and time.monotonic() > deadline


FUZZY_SECONDS = 3.0
"""Seconds the hints of one report may spend looking for the allowed or published value
closest to a wrong cell (``difflib``, about 10 ms a cell against a list of 1,000 values,
0.25 s against 60,000 published keys): a small file of distinct wrong values (200 unknown
keys in 4.7 KB: 50 s; 5,000 cells off a list of 1,000 values: past 60 s) held the command,
or a worker of the page, that long. Past it, the remaining findings get their column's
hint, which costs nothing."""


class FuzzyTime:
    """The seconds one report's hints have spent in fuzzy searches (:data:`FUZZY_SECONDS`)."""

    __slots__ = ("spent",)

    def __init__(self) -> None:
        self.spent = 0.0


_CURRENT = threading.local()
"""The :class:`FuzzyTime` of the report whose texts this thread is rendering, if any."""


@contextlib.contextmanager
def counted(fuzzy: FuzzyTime) -> Iterator[None]:
    """Charge the fuzzy searches made inside to ``fuzzy`` (a report's texts are rendered
    when it is written, maybe in another thread than the one that localised it)."""
    previous = getattr(_CURRENT, "fuzzy", None)
    _CURRENT.fuzzy = fuzzy
    try:
        yield
    finally:
        _CURRENT.fuzzy = previous


def _within_fuzzy_time(search: Callable[[], Any], nothing: Any) -> Any:
    """``search()``, timed against the current report's :class:`FuzzyTime`; ``nothing``
    once that is spent (unbounded outside a report: a hint asked for on its own)."""
    fuzzy = getattr(_CURRENT, "fuzzy", None)
    if fuzzy is None:
        return search()
    if fuzzy.spent > FUZZY_SECONDS:
        return nothing
    start = time.monotonic()
    try:
        return search()
    finally:
        fuzzy.spent += time.monotonic() - start


def _close_match(word: str, candidates: Sequence[str], cutoff: float) -> str | None:
    """The candidate closest to ``word`` (``difflib``), within the report's fuzzy time."""
    close = _within_fuzzy_time(
        lambda: difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff), []
    )
    return close[0] if close else None


def _name(value: Any) -> str | None:
    """A param used as a lookup key: a string, or None when another tool put anything else."""
    return value if isinstance(value, str) else None


# --- what the column accepts --------------------------------------------------------------


def _valid_iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text))


def _type_accepts(
    ftype: str | None, fmt: str | None, params: dict[str, Any]
) -> Callable[[str], bool] | None:
    if ftype == "integer":
        return lambda v: bool(re.fullmatch(r"[+-]?\d+", v)) and _in_range(float(v), params)
    if ftype == "number":
        return lambda v: _in_range(notation.number_value(v, params), params)
    if ftype == "boolean":
        trues, falses = notation.booleans(params)
        return lambda v: v in trues or v in falses
    pattern = notation.moment_pattern(params)
    if pattern is not None:
        return lambda v: notation.reads_as_moment(v, pattern)
    if ftype == "date":
        return _valid_iso_date
    if ftype == "datetime":

        def accepts(v: str) -> bool:
            try:
                dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
            except ValueError:
                return False
            return "T" in v

        return accepts
    if ftype == "year":
        return lambda v: bool(re.fullmatch(r"\d{4}", v))
    if ftype == "duration":
        return lambda v: bool(_ISO_DURATION.fullmatch(v))
    if ftype == "yearmonth":
        return lambda v: bool(re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", v))
    if fmt == "email":
        return lambda v: bool(EMAIL.match(v))
    if fmt == "uri":
        return lambda v: bool(URI.match(v))
    return None


def _in_range(number: float | None, params: dict[str, Any]) -> bool:
    """Whether ``number`` is one (not None) within the bounds a type error's params carry
    (:data:`.french.RANGE_KEYS`): a corrected number out of them would be refused next."""
    if number is None:
        return False
    bound = {k: params[k] for k in french.RANGE_KEYS if isinstance(params.get(k), int | float)}
    return not (
        ("minimum" in bound and number < bound["minimum"])
        or ("maximum" in bound and number > bound["maximum"])
        or ("exclusiveMinimum" in bound and number <= bound["exclusiveMinimum"])
        or ("exclusiveMaximum" in bound and number >= bound["exclusiveMaximum"])
    )


_BY_IDENTITY: dict[tuple[str, int], tuple[Any, Any]] = {}
"""(what, id of an object) → (the object, what was made of it): see :func:`_once_per`."""


def _once_per(what: str, thing: Any, make: Callable[[Any], Any]) -> Any:
    """``make(thing)``, made once per object: a long list is neither hashed nor converted
    again for each wrong cell (the findings of a kind share their params' list). The
    object is held beside what was made of it, so its ``id`` is never another's."""
    key = (what, id(thing))
    found = _BY_IDENTITY.get(key)
    if found is None or found[0] is not thing:
        if len(_BY_IDENTITY) >= 128:
            _BY_IDENTITY.clear()
        found = _BY_IDENTITY[key] = (thing, make(thing))
    return found[1]


def _allowed(expected: list) -> tuple[tuple[str, ...], frozenset[str]]:
    """An enum's values as texts, a tuple and a set (100,000 values converted for each
    wrong cell took 18 s for 1,000 cells)."""

    def make(values: list) -> tuple[tuple[str, ...], frozenset[str]]:
        texts = tuple(map(str, values))
        return texts, frozenset(texts)

    return _once_per("allowed", expected, make)


def accepts(finding: Finding) -> Callable[[str], bool] | None:
    """A predicate for "the column would accept this value", from the finding's params."""
    p = finding.params or {}
    if finding.code == "type-error":
        return _type_accepts(_name(p.get("type")), _name(p.get("format")), p)
    if finding.code == "constraint-error":
        constraint, expected = p.get("constraint"), p.get("expected")
        if constraint == "enum" and isinstance(expected, list):
            allowed = _allowed(expected)[1]
            return lambda v: v in allowed
        if constraint == "pattern" and isinstance(expected, str):
            return _pattern_check(expected, p.get(HIDDEN_ENUM))
        if constraint in ("minLength", "maxLength") and isinstance(expected, int):
            return None
    return None


class _Matches:
    """A pattern run by polars's linear-time regex, as the validator runs it (Python's
    ``re`` could backtrack for minutes on a crafted cell), its verdicts remembered.

    A polars call costs about 150 µs whatever it checks: once per candidate correction,
    a file where each of 4,000 rows failed a pattern spent seconds here. :meth:`decide`
    finds the corrections of many cells with one call per round of candidates, and
    :func:`prepare` has it do so for a whole block of findings before they are rendered."""

    KEEP = 200_000
    """Verdicts remembered at most (then forgotten all at once)."""
    KEEP_DECIDED = 50_000
    """Corrections remembered at most: those of the block being rendered are enough
    (a block has at most 20,000 distinct cells); each costs a few hundred bytes."""

    def __init__(self, rust: str, allowed: frozenset[str] | None = None) -> None:
        self.rust, self.allowed = rust, allowed
        self.known: dict[str, bool] = {}
        self.decided: dict[_Cell, Suggestion | None] = {}

    def __call__(self, value: str) -> bool:
        found = self.known.get(value)
        return self.learn([value])[0] if found is None else found

    def learn(self, values: list[str]) -> list[bool]:
        """The verdicts on ``values``, checking the new ones in one call. They are
        returned, not only remembered: a report rendered in another thread (the web
        page) may make the memory start over meanwhile."""
        known = self.known
        if len(known) + len(values) > self.KEEP:
            known.clear()
        seen = [known.get(v) for v in values]
        new = list(dict.fromkeys(v for v, ok in zip(values, seen, strict=True) if ok is None))
        verdicts = dict(zip(new, self._check(new), strict=True))
        known.update(verdicts)
        return [verdicts[v] if ok is None else ok for v, ok in zip(values, seen, strict=True)]

    def first(self, cell: _Cell) -> Suggestion | None:
        """The first correction of ``cell`` that the pattern accepts (see :meth:`decide`)."""
        found = self.decided.get(cell, _UNKNOWN)
        return self.decide([cell])[cell] if found is _UNKNOWN else found

    def decide(self, cells: list[_Cell]) -> dict[_Cell, Suggestion | None]:
        """The first accepted correction of each cell, in rounds as :func:`suggest` tries
        them: the first candidate of every cell, then the next of those whose last one
        failed…: one polars call per round. Candidates are made as they are tried, never
        past the one accepted (most wrong cells need their first or second)."""
        decided: dict[_Cell, Suggestion | None] = {}
        left = {cell: _tries(*cell) for cell in dict.fromkeys(cells)}
        while left:
            tried = {}
            for cell, candidates in left.items():
                candidate = next(candidates, None)
                if candidate is None:
                    decided[cell] = None
                else:
                    tried[cell] = candidate
            verdicts = self.learn([c.value for c in tried.values()])
            for (cell, candidate), ok in zip(tried.items(), verdicts, strict=True):
                if ok:
                    decided[cell] = candidate
            left = {cell: left[cell] for cell in tried if cell not in decided}
        if len(self.decided) + len(decided) > self.KEEP_DECIDED:
            self.decided.clear()
        self.decided.update(decided)
        return decided

    def _check(self, values: list[str]) -> list[bool]:
        import polars as pl

        if not values:
            return []
        matched = pl.Series(values, dtype=pl.String).str.contains(self.rust).fill_null(False)
        allowed = self.allowed
        if allowed is None:
            return matched.to_list()
        return [ok and v in allowed for v, ok in zip(values, matched, strict=True)]


_UNKNOWN: Any = object()


@functools.lru_cache(maxsize=256)
def _linear_pattern(pattern: str) -> _Matches | None:
    """The check of ``pattern`` (see :class:`_Matches`); None if it cannot run."""
    from moisinno_data.validation.cells import linear_pattern

    rust = linear_pattern(pattern)
    return None if rust is None else _Matches(rust)


def _pattern_check(pattern: str, enum: Any) -> _Matches | None:
    """The check of a pattern error's corrections: the pattern, and the field's ``enum``
    if it has one (``1234`` under ``^\\d{5}$`` and a list of codes: ``01234`` fits the
    pattern, but the list refuses it, and the hint must not ask for it)."""
    matches = _linear_pattern(pattern)
    if matches is None or not isinstance(enum, list):
        return matches
    rust = matches.rust
    return _once_per(f"pattern {pattern}", enum, lambda e: _Matches(rust, _allowed(e)[1]))


def prepare(findings: list[Finding]) -> None:
    """Find at once, pattern by pattern, the corrections of the pattern errors among
    ``findings``, before their hints are rendered one by one (:meth:`_Matches.decide`)."""
    cells: dict[int, tuple[_Matches, list[_Cell]]] = {}
    for finding in findings:
        p = finding.params or {}
        pattern = p.get("expected")
        if (
            finding.code == "constraint-error"
            and p.get("constraint") == "pattern"
            and isinstance(pattern, str)
            and _hintable(finding.value)
        ):
            matches = _pattern_check(pattern, p.get(HIDDEN_ENUM))
            if matches is not None:
                group = cells.setdefault(id(matches), (matches, []))
                group[1].append((str(finding.value), _column(finding)))
    for matches, wanted in cells.values():
        matches.decide([cell for cell in wanted if cell not in matches.decided])


# --- candidate corrections ------------------------------------------------------------------


def _french_forms(v: str, integer: bool, column: _Column) -> Iterator[Suggestion]:
    """Dates, months, numbers, percentages and yes/no as French office software writes them."""
    trues, falses, scale = column[1], column[2], column[6]
    reading = french.read_date(v) or french.read_datetime(v)
    if reading is not None and reading.iso is not None:
        kind = "datetime-fr" if "T" in reading.iso else "date-fr"
        yield Suggestion(kind, reading.iso, reading.ambiguous)
    month = french.read_month(v)
    if month:
        yield Suggestion("month-fr", month)
    if integer and french.point_or_thousands(v):  # 2.020: fix does not guess it either
        yield Suggestion("thousands", v.strip().replace(".", ""), ambiguous=True)
    number = french.read_number(v, integer=integer)
    if number is not None:
        kind = {"virgule-decimale": "decimal-comma", "entier": "whole"}.get(
            number.rule, "thousands"
        )
        yield Suggestion(kind, number.value)
    yield from _percent_forms(v, scale)
    unit = _UNIT.fullmatch(v) if len(v) <= UNIT_MAX else None
    if unit is not None and unit.group(2) != "%":  # "22 kW", "12 €": the number alone
        head = unit.group(1).strip()
        written = french.read_number(head, integer=integer)
        yield Suggestion("unit", written.value if written else head, label=unit.group(2))
    boolean = french.read_boolean(v, trues, falses)
    if boolean is not None:
        yield Suggestion("boolean-fr", boolean, label=f"{trues[0]}|{falses[0]}")


def _percent_forms(v: str, scale: str | None) -> Iterator[Suggestion]:
    """``45 %`` as the field writes it (:func:`.french.percent_value`): 0.45 where it
    wants a fraction of 1, 45 where it wants a percentage (said as a unit dropped)."""
    written = french.percent_value(v, scale)
    if written is not None:
        yield Suggestion("percent" if scale == "fraction" else "unit", written, label="%")


def _enum_forms(v: str, expected: tuple[str, ...] | None) -> Iterator[Suggestion]:
    if expected is None:
        return
    folded, keys = _folded_enum(expected)
    wanted = fold(v)
    if wanted in folded:
        yield Suggestion("close-value", folded[wanted])
    match = _close_match(wanted, keys, 0.75)
    if match is not None:
        yield Suggestion("close-value", folded[match])
    # "collectivité" for "collectivite-territoriale": the start of exactly one value.
    starts = _starting(folded, wanted) if len(wanted) >= 4 else []
    if len(starts) == 1:
        yield Suggestion("close-value", starts[0])


def _folded_enum(allowed: tuple[str, ...]) -> tuple[dict[str, str], tuple[str, ...]]:
    """:func:`_folded_list` of an enum and its folded forms listed (``difflib`` takes a
    list), by the tuple's identity (:func:`_allowed` hands the same one to every finding
    of a kind): an ``lru_cache`` hashed a long list's 100,000 values at each wrong cell."""

    def make(values: tuple[str, ...]) -> tuple[dict[str, str], tuple[str, ...]]:
        folded = _folded_list(values)
        return folded, tuple(folded)

    return _once_per("folded", allowed, make)


def _starting(folded: dict[str, str], wanted: str) -> list[str]:
    """The allowed values starting like ``wanted``, in the fuzzy time (a list of 100,000
    values is 100,000 comparisons a cell)."""
    return _within_fuzzy_time(lambda: [a for f, a in folded.items() if f.startswith(wanted)], [])


@functools.lru_cache(maxsize=256)
def _folded_list(allowed: tuple[str, ...]) -> dict[str, str]:
    """Folded form → value, for a list of allowed values: folded once per process, not
    once per wrong cell (error-dense files have one wrong cell per row)."""
    return {fold(a): a for a in allowed}


_Column = tuple[
    str | None,
    tuple[str, ...],
    tuple[str, ...],
    tuple[str, ...] | None,
    str,
    str | None,
    str | None,
]
"""What the candidates of a cell depend on besides the cell: (the field's type, true
values, false values, allowed values of an ``enum``, decimal separator, date pattern,
how it writes a percentage: :func:`.french.percent_scale`).
A plain tuple: a key made for every wrong cell."""

_Cell = tuple[str, _Column]
"""A wrong cell's value and what its candidates depend on (:data:`_Column`)."""

_DEFAULT_VOCABULARY = (tuple(french.DEFAULT_TRUE), tuple(french.DEFAULT_FALSE))


def _column(finding: Finding) -> _Column:
    """What the candidates of the finding's cell depend on besides the cell."""
    p = finding.params or {}
    expected = p.get("expected")
    enum = None
    if p.get("constraint") == "enum" and isinstance(expected, list):
        enum = _allowed(expected)[0]
    if p.get("trueValues") is None and p.get("falseValues") is None:
        trues, falses = _DEFAULT_VOCABULARY
    else:
        yes, no = notation.booleans(p)
        trues, falses = tuple(yes), tuple(no)
    pattern = notation.moment_pattern(p)
    scale = _name(p.get("percent"))
    return (_name(p.get("type")), trues, falses, enum, notation.decimal_char(p), pattern, scale)


def _tries(value: str, column: _Column) -> Iterator[Suggestion]:
    """The usual corrections of ``value`` that change it, in the order they are tried,
    each made only when the one before was refused."""
    return (c for c in _candidate_forms(value, column) if c.value != value)


def _candidate_forms(value: str, column: _Column) -> Iterator[Suggestion]:
    stripped = _SPACES.sub(" ", value.strip())
    if stripped != value:
        yield Suggestion("spaces", stripped)
    v = stripped
    ftype, _, _, enum, decimal, pattern, _ = column
    french_forms = _french_forms(v, ftype == "integer", column)
    yield from (_in_notation(s, decimal, pattern) for s in french_forms)
    yield from _notation_forms(v, ftype, decimal, pattern)
    if ftype in (None, "string"):  # as fix: a year or a number is no code (0024 is not 2024)
        yield from (Suggestion("leading-zero", code) for code in french.with_zeros(v))
    if v.lower() != v:
        yield Suggestion("case", v.lower())
    folded = fold_accents(v)
    if folded != v:  # accents, or characters of another width (７５１１４) or form (ﬁ)
        accents = strip_accents(v)
        yield Suggestion("accents" if accents == folded else "characters", folded)
    if fold(v) not in (v, v.lower()):
        yield Suggestion("close-value", fold(v))
    if _DOMAIN.fullmatch(v) and "@" not in v:
        yield Suggestion("url-scheme", "https://" + v)
    if _LETTERS.search(v) and not _DIGIT.search(v):
        yield from _cog_names(v)
    yield from _enum_forms(v, enum)


def _in_notation(s: Suggestion, decimal: str, pattern: str | None) -> Suggestion:
    """A correction in canonical form (ISO date, decimal point) written the field's way."""
    if s.kind in ("date-fr", "datetime-fr") and pattern is not None:
        return dataclasses.replace(
            s, value=notation.iso_in_pattern(s.value, pattern), label=pattern
        )
    if s.kind in ("decimal-comma", "thousands", "unit", "percent") and decimal != ".":
        return dataclasses.replace(s, value=notation.number_text(s.value, {"decimalChar": decimal}))
    return s


def _notation_forms(
    v: str, ftype: str | None, decimal: str, pattern: str | None
) -> Iterator[Suggestion]:
    """A value written the default way in a field with its own notation (``12.5`` for a
    decimal comma, ``2020-11-17`` for ``%d/%m/%Y``), and a year on two digits."""
    if ftype == "number" and decimal != "." and _POINT_NUMBER.fullmatch(v):
        yield Suggestion(
            "decimal-char", notation.number_text(v, {"decimalChar": decimal}), label=decimal
        )
    if pattern is not None and _ISO_MOMENT.fullmatch(v):
        yield Suggestion("date-pattern", notation.iso_in_pattern(v, pattern), label=pattern)
    elif ftype == "date" and _HIDDEN_TIME.fullmatch(v):
        # a spreadsheet's date cell holding an hour its dd/mm/yyyy format does not show
        yield Suggestion("hidden-time", v[:10], label=v[11:])
    iso = french.read_clock_duration(v) if ftype == "duration" else None
    if iso is not None:  # 26:00 as a spreadsheet shows a duration: fix writes it so
        yield Suggestion("duration-iso", iso)
    if ftype == "year" and _TWO_DIGITS.fullmatch(v):
        # The century as strptime's %y reads it (00-68: 2000s), said as a guess to check.
        year = dt.datetime.strptime(v, "%y").year
        yield Suggestion("year-full", str(year), ambiguous=True)


_ISO_DURATION = re.compile(r"PT(?=\d)(\d+H)?(\d+M)?(\d+S)?")
"""The ISO 8601 durations :func:`french.iso_duration` writes (``PT26H``, ``PT2H30M``)."""
_POINT_NUMBER = re.compile(r"[+-]?\d+\.\d+")
_HIDDEN_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?")
_TWO_DIGITS = re.compile(r"\d{2}")
_SPACES = re.compile(r"\s+")
_UNIT = re.compile(
    r"([-+]?\d[\d.,]*(?:\s+\d[\d.,]*)*)\s*((?:[^\W\d_]|[°%€$£µ])(?:[^\W\d_]|[°%/²³·.]){0,11})"
)
"""A number followed by a unit: letters or a symbol, no digit (``kW``, ``m²``, ``€``).
Each space must be followed by a digit or end the number: no two ways to split a text
(the candidates' text has its runs of spaces collapsed already; only short cells are
tried)."""
UNIT_MAX = 40
_DOMAIN = re.compile(r"(www\.)?[\w\-]+(\.[\w\-]+)+(/\S*)?")
_LETTERS = re.compile(r"[a-zA-Z]{3}")
_DIGIT = re.compile(r"\d")


def _cog_names(value: str) -> Iterator[Suggestion]:
    """A region or département written by name ("Auvergne", "Gironde") → its INSEE code."""
    wanted = fold(value)
    for table in (_folded_names("regions"), _folded_names("departements")):
        exact = [(c, n) for c, n, folded in table if folded == wanted]
        starts = [(c, n) for c, n, folded in table if folded.startswith(wanted)]
        for found in (exact, starts):
            if len(found) == 1:
                yield Suggestion("cog-name", found[0][0], label=found[0][1])
                break


@functools.cache
def _folded_names(level: str) -> tuple[tuple[str, str, str], ...]:
    """(code, name, folded name) of every region or département, folded once per process
    (folding them for each wrong cell made error-dense files slow)."""
    from moisinno_data.validation.rules import cog

    table = getattr(cog, level)()
    return tuple(
        (code, name, fold(name))
        for code, name in zip(table.get_column("code"), table.get_column("nom"), strict=True)
    )


def suggest(finding: Finding) -> Suggestion | None:
    """The first usual correction of the cell that the column accepts, if any."""
    if not _hintable(finding.value) or finding.code not in ("type-error", "constraint-error"):
        return None
    ok = accepts(finding)
    if ok is None:
        return None
    cell = (str(finding.value), _column(finding))
    if isinstance(ok, _Matches):
        candidate = ok.first(cell)
    else:
        candidate = next((c for c in _tries(*cell) if ok(c.value)), None)
    if candidate is not None and cell[0].strip() != cell[0] and candidate.kind != "spaces":
        return dataclasses.replace(candidate, also_spaces=True)  # a copy: they are shared
    return candidate


# --- text ---------------------------------------------------------------------------------


def _t(lang: str, fr: str, en: str) -> str:
    return en if lang == "en" else fr


MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


SUGGESTIONS: dict[str, tuple[str, str]] = {
    "spaces": (
        "retirez les espaces en trop : écrivez « {v} »",
        'remove the stray spaces: write "{v}"',
    ),
    "month-fr": ("écrivez l'année puis le mois : {v}", "write the year then the month: {v}"),
    "decimal-comma": (
        "utilisez un point comme séparateur décimal : {v}",
        "use a point as decimal separator: {v}",
    ),
    "decimal-char": (
        "utilisez « {label} » comme séparateur décimal, comme le veut le schéma : {v}",
        'use "{label}" as decimal separator, as the schema says: {v}',
    ),
    "date-pattern": (
        "écrivez la date au format du schéma ({label}) : {v}",
        "write the date in the schema's format ({label}): {v}",
    ),
    "hidden-time": (
        "la cellule tient aussi une heure ({label}), que son format d'affichage cache "
        "peut-être : écrivez la date seule, {v}",
        "the cell also holds a time ({label}), which its display format may hide: write "
        "the date alone, {v}",
    ),
    "thousands": (
        "écrivez le nombre sans séparateur de milliers : {v}",
        "write the number without thousands separators: {v}",
    ),
    "boolean-fr": (
        "écrivez {v} ({true} pour oui, {false} pour non)",
        "write {v} ({true} for yes, {false} for no)",
    ),
    "leading-zero": (
        "le zéro initial a été perdu (souvent par un tableur) : écrivez {v}, et mettez la "
        "colonne au format Texte",
        "the leading zero was lost (often by a spreadsheet): write {v} and format the column "
        "as Text",
    ),
    "unit": (
        "écrivez le nombre seul, sans l'unité ({label}) : {v}",
        "write the number alone, without the unit ({label}): {v}",
    ),
    "percent": (
        "écrivez le pourcentage en fraction de 1, sans le signe % : {v}",
        "write the percentage as a fraction of 1, without the % sign: {v}",
    ),
    "case": ("écrivez en minuscules : {v}", "write it in lower case: {v}"),
    "accents": ("écrivez sans accents : {v}", "write it without accents: {v}"),
    "characters": (
        "écrivez-la en caractères ordinaires (chiffres et lettres du clavier) : {v}",
        "write it in ordinary characters (the keyboard's digits and letters): {v}",
    ),
    "duration-iso": (
        "écrivez la durée en ISO 8601, comme le type duration l'attend : {v}",
        "write the duration in ISO 8601, as the duration type wants it: {v}",
    ),
    "whole": ("écrivez le nombre entier ainsi : {v}", "write the whole number as: {v}"),
    "close-value": ("vouliez-vous dire « {v} » ?", 'did you mean "{v}"?'),
    "cog-name": (
        "écrivez le code INSEE plutôt que le nom : {v} ({label})",
        "write the INSEE code rather than the name: {v} ({label})",
    ),
    "url-scheme": (
        "ajoutez le protocole au début de l'adresse : {v}",
        "add the scheme at the start of the address: {v}",
    ),
}
"""How each kind of correction is said; dates need more words (:func:`_date_text`)."""


def _date_text(s: Suggestion, lang: str, original: str) -> str:
    v = s.value
    if s.label:  # the field's own pattern (its values are not ISO 8601)
        text = _t(
            lang,
            f"écrivez la date au format du schéma ({s.label}) : {v}",
            f"write the date in the schema's format ({s.label}): {v}",
        )
    elif s.kind == "datetime-fr":
        text = _t(
            lang,
            f"écrivez la date et l'heure au format ISO 8601 : {v} suivi du décalage horaire "
            "(par exemple +01:00 à Paris en hiver)",
            f"write the date and time as ISO 8601: {v} followed by the UTC offset (for "
            "instance +01:00 for Paris in winter)",
        )
    else:
        text = _t(
            lang,
            f"écrivez la date au format AAAA-MM-JJ : {v}",
            f"write the date as YYYY-MM-DD: {v}",
        )
    if s.ambiguous:
        date = dt.datetime.strptime(v, s.label) if s.label else dt.date.fromisoformat(v[:10])
        text += _t(
            lang,
            f" (si {original.strip()[:5]} est bien le {date.day} {MONTHS_FR[date.month - 1]})",
            f" (if {original.strip()[:5]} means day {date.day} of month {date.month})",
        )
    return text


def _zeros_text(s: Suggestion, lang: str, original: str) -> str:
    """The code to write where ``fix`` writes it (the one zero a spreadsheet lost), else
    why the value is to check, with no code in it: both follow
    :class:`..package.french.LostZeros`, so the report never asks for a code fix leaves."""
    lost = french.LostZeros(original.strip(), s.value)
    if lost.restored is None:
        return _t(lang, *lost.to_check)
    return _t(lang, *SUGGESTIONS["leading-zero"]).format(v=lost.restored)


def _suggestion_text(s: Suggestion, lang: str, original: str) -> str:
    if s.kind in ("date-fr", "datetime-fr"):
        return _date_text(s, lang, original)
    if s.kind == "leading-zero":
        return _zeros_text(s, lang, original)
    if s.kind == "year-full":
        shown = original.strip()
        return _t(
            lang,
            f"écrivez l'année complète, sur quatre chiffres : {s.value} (si {shown} est bien "
            f"{s.value})",
            f"write the full year, in four digits: {s.value} (if {shown} means {s.value})",
        )
    if s.kind not in SUGGESTIONS:
        return ""
    true, _, false = s.label.partition("|")
    if s.kind == "boolean-fr" and (true.casefold(), false.casefold()) == ("oui", "non"):
        return _t(lang, "écrivez {v}", "write {v}").format(v=s.value)  # the words say it
    fr, en = SUGGESTIONS[s.kind]
    text = _t(lang, fr, en).format(v=s.value, label=s.label, true=true, false=false)
    if s.kind == "thousands" and s.ambiguous:  # 2.020: a decimal point, or thousands?
        text += _t(
            lang, " (si le point sépare bien les milliers)", " (if the point separates thousands)"
        )
    return text


def _fallback(finding: Finding, lang: str) -> str:
    """A hint when no correction of the value is accepted: say what a good value looks like."""
    p = finding.params or {}
    if finding.code == "type-error":
        missing = _impossible_day(finding.value, p, lang) or _percent_fallback(finding, lang)
        return missing or _type_fallback(p, lang)
    if finding.code == "constraint-error":
        return _constraint_fallback(p, finding.field or "", lang)
    return _DOCUMENTATION_HINT[lang == "en"]


def _percent_fallback(finding: Finding, lang: str) -> str | None:
    """A percentage no form of which the field accepts (``250 %`` where the maximum is 1;
    ``45 %`` where the range does not say whether it is 45 or 0.45): what the field
    expects, with no value for the cell, which would be a guess."""
    p = finding.params or {}
    value = finding.value
    if _name(p.get("type")) not in ("number", "integer") or value is None:
        return None
    if french.read_percent(str(value)) is None:
        return None
    fr, en = _range_words(p)
    one = notation.number_text("1", p)
    scale = {
        "fraction": (
            f" : une fraction de 1 (100 % s'écrit {one}) ; vérifiez la valeur",
            f": a fraction of 1 (100 % is written {one}); check the value",
        ),
        "percent": (" ; vérifiez la valeur", "; check the value"),
    }.get(str(p.get("percent")))
    fr_end, en_end = scale or (
        " ; le schéma ne dit pas si un pourcentage s'y écrit en fraction de 1 (100 % "
        f"s'écrivant {one}) ou non : voyez sa documentation",
        f"; the schema does not say whether a percentage is written there as a fraction "
        f"of 1 (100 % as {one}) or not: see its documentation",
    )
    return _t(
        lang,
        f"écrivez un nombre sans le signe %{fr}{fr_end}",
        f"write a number without the % sign{en}{en_end}",
    )


def _range_words(p: dict[str, Any]) -> tuple[str, str]:
    """``, entre 0.01 et 1`` (French, English): the bounds a type error's params carry,
    in the field's notation; empty without bounds."""
    low, high = (
        p.get("minimum", p.get("exclusiveMinimum")),
        p.get("maximum", p.get("exclusiveMaximum")),
    )
    low, high = (None if b is None else notation.number_text(str(b), p) for b in (low, high))
    if low is not None and high is not None:
        return f", entre {low} et {high}", f", from {low} to {high}"
    if low is not None:
        return f", d'au moins {low}", f", at least {low}"
    if high is not None:
        return f", d'au plus {high}", f", at most {high}"
    return "", ""


_ISO_DAY = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:T.*)?\s*")


def _impossible_day(value: Any, p: dict[str, Any], lang: str) -> str | None:
    """A date of the right form that is on no calendar (2019-02-30, 2019-13-01): "not a
    date as AAAA-MM-JJ" would send the sender looking at the form."""
    if _name(p.get("type")) not in ("date", "datetime") or _name(p.get("format")) != "default":
        return None
    found = _ISO_DAY.fullmatch(str(value)) if value is not None else None
    if found is None or int(found.group(1)) < 1:
        return None
    year, month, day = (int(g) for g in found.groups())
    if not 1 <= month <= 12:
        return _t(
            lang,
            f"il n'y a pas de mois {found.group(2)} : la date s'écrit année-mois-jour, le mois "
            "entre 01 et 12",
            f"there is no month {found.group(2)}: the date is written year-month-day, the "
            "month from 01 to 12",
        )
    days = calendar.monthrange(year, month)[1]
    if 1 <= day <= days:
        return None
    return _t(
        lang,
        f"cette date n'existe pas : {MONTHS_FR[month - 1]} {year} a {days} jours ; vérifiez le jour",
        f"this date does not exist: {calendar.month_name[month]} {year} has {days} days; "
        "check the day",
    )


def _type_fallback(p: dict[str, Any], lang: str) -> str:
    ftype, fmt = _name(p.get("type")), _name(p.get("format"))
    if fmt == "email":
        return _t(
            lang,
            "une adresse électronique a la forme nom@domaine.fr, par exemple "
            "innovation@exemple.gouv.fr",
            "an e-mail address looks like name@domain.fr, e.g. innovation@exemple.gouv.fr",
        )
    if fmt == "uri":
        return _t(
            lang,
            "une adresse web complète commence par https://",
            "a full web address starts with https://",
        )
    yes, no = notation.booleans(p)
    shape_fr, shape_en = notation.number_shape(p)
    lon_lat_fr, lon_lat_en, point = notation.geopoint_shape(p)
    pattern = notation.moment_pattern(p)
    if pattern is not None:
        example = notation.moment_text(notation.EXAMPLE_MOMENT, pattern)
        ex = f" ({example})" if example else ""
        return _t(
            lang,
            f"écrivez une valeur au format du schéma {pattern}{ex}",
            f"write a value in the schema's format {pattern}{ex}",
        )
    examples = {
        "integer": (
            "un nombre entier en chiffres, sans espace ni décimale",
            "a whole number in digits, without spaces or decimals",
        ),
        "number": (f"un nombre en chiffres {shape_fr}", f"a number in digits {shape_en}"),
        "geopoint": (
            f"la longitude puis la latitude, {lon_lat_fr} ({point})",
            f"the longitude then the latitude, {lon_lat_en} ({point})",
        ),
        "boolean": (f"{yes[0]} ou {no[0]}", f"{yes[0]} or {no[0]}"),
        "date": ("une date AAAA-MM-JJ (2020-11-17)", "a YYYY-MM-DD date (2020-11-17)"),
        "datetime": (
            "une date et heure ISO 8601 avec décalage (2020-11-17T10:00:00+01:00)",
            "an ISO 8601 date and time with offset (2020-11-17T10:00:00+01:00)",
        ),
        "year": ("une année sur quatre chiffres (2020)", "a four-digit year (2020)"),
    }
    if ftype in examples:
        fr, en = examples[ftype]
        return _t(lang, f"écrivez {fr}", f"write {en}")
    item = p.get("arrayItem")
    if ftype == "array" and isinstance(item, dict) and _name(item.get("type")) in examples:
        fr, en = examples[str(item["type"])]
        return _t(
            lang,
            f"chaque élément du tableau doit être {fr}",
            f"each item of the array must be {en}",
        )
    return _DOCUMENTATION_HINT[lang == "en"]


def _constraint_fallback(p: dict[str, Any], field: str, lang: str) -> str:
    constraint, expected = p.get("constraint"), p.get("expected")
    if constraint == "required":
        return _t(
            lang,
            f"remplissez la colonne {field} : elle est obligatoire",
            f"fill in column {field}: it is required",
        )
    if constraint in ("enum", f"{ITEM}enum") and isinstance(expected, list):
        shown = ", ".join(str(e) for e in expected[:15])
        more = " …" if len(expected) > 15 else ""
        if constraint != "enum":
            return _t(
                lang,
                f"gardez dans le tableau des valeurs de la liste, écrites exactement : "
                f"{shown}{more}",
                f"keep in the array values from the list, spelled exactly: {shown}{more}",
            )
        return _t(
            lang,
            f"choisissez une valeur de la liste, écrite exactement : {shown}{more}",
            f"pick a value from the list, spelled exactly: {shown}{more}",
        )
    if constraint == "pattern":
        return _like_example(p.get("example"), expected, lang)
    if constraint in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        return _t(
            lang,
            "vérifiez la valeur : un nombre hors des bornes est souvent une faute de frappe",
            "check the value: a number out of bounds is often a typo",
        )
    if constraint in ("minLength", "maxLength"):
        if p.get("type") in ("array", "list", "object"):
            return _t(
                lang,
                "vérifiez le nombre d'éléments de la valeur",
                "check the number of items in the value",
            )
        return _t(lang, "vérifiez la longueur du texte", "check the length of the text")
    return _DOCUMENTATION_HINT[lang == "en"]


def _like_example(example: Any, pattern: Any, lang: str) -> str:
    """A pattern error's hint: the schema's example, when the pattern accepts it (a
    regular expression tells most people nothing), else its documentation."""
    matches = _linear_pattern(pattern) if isinstance(pattern, str) else None
    if isinstance(example, str) and matches is not None and matches(example):
        return _t(
            lang,
            f"écrivez une valeur de la même forme que l'exemple du schéma : « {example} »",
            f'write a value shaped like the schema\'s example: "{example}"',
        )
    return _DOCUMENTATION_HINT[lang == "en"]


_DOCUMENTATION_HINT = (
    "consultez la description de la colonne dans la documentation du schéma",
    "see the column's description in the schema documentation",
)


def value_hint(finding: Finding, lang: str) -> str:
    """A type or constraint error: the usual correction the column accepts, else the form a
    good value has."""
    s = suggest(finding)
    if s is None:
        footer = french.footer_row(str(finding.value)) if _hintable(finding.value) else None
        if footer is not None:  # a row under the table, not a value to correct
            return _t(lang, *french.FOOTER_ROW[footer])
        return _fallback(finding, lang)
    text = _suggestion_text(s, lang, str(finding.value))
    if s.also_spaces:
        text += _t(lang, " (sans les espaces en trop)", " (without the stray spaces)")
    return text


def hint(finding: Finding, lang: str = "fr") -> str:
    """The hint text for any finding, in ``lang`` ("fr" or "en"), from its kind."""
    from moisinno_data.validation import kinds

    kind = kinds.get(finding.code)
    text = kind.render_hint(finding, lang) if kind is not None else ""
    if not text:
        return ""
    return text[:1].upper() + text[1:] + ("" if text.endswith(("?", ".", ")")) else ".")


@functools.lru_cache(maxsize=16)
def _published_folded(
    path: str, mtime: float, column: str
) -> tuple[dict[str, str], tuple[str, ...]]:
    """A published column's values by their folded form, and those forms: folded once per
    version of the file, not once per wrong cell (60,000 keys, 0.25 s a cell)."""
    import csv

    with open(path, encoding="utf-8", newline="") as fh:
        folded = {fold(v): v for row in csv.DictReader(fh) if (v := row.get(column) or "")}
    return folded, tuple(folded)


def _closest_reference(f: Finding) -> str | None:
    """The published key closest to the cell (``LaBase`` or ``labse`` for ``labase``)."""
    from moisinno_data.package import paths

    p = f.params or {}
    resource, reference = _name(p.get("resource")), p.get("reference")
    if isinstance(reference, str):
        reference = [reference]
    if not resource or not isinstance(reference, list) or len(reference) != 1:
        return None
    if not f.value or not _hintable(f.value):
        return None
    path = paths.dataset_path(resource)
    try:
        folded, keys = _published_folded(str(path), path.stat().st_mtime, str(reference[0]))
    except (OSError, UnicodeDecodeError):
        return None
    wanted = fold(f.value)
    if wanted in folded and folded[wanted] != f.value:
        return folded[wanted]
    close = _close_match(wanted, keys, 0.8)
    return folded[close] if close is not None else None


def foreign_key(f: Finding, lang: str) -> str:
    resource = _name((f.params or {}).get("resource"))
    closest = _closest_reference(f)
    if closest:
        return _t(lang, f"vouliez-vous dire « {closest} » ?", f'did you mean "{closest}"?')
    if not resource:  # a reference to this very table
        return _t(
            lang,
            "utilisez une valeur présente dans la colonne référencée de ce fichier, ou "
            "ajoutez d'abord la ligne qu'elle désigne",
            "use a value present in the referenced column of this file, or add the row it "
            "names first",
        )
    return _t(
        lang,
        f"utilisez une valeur de la table {resource} publiée, ou demandez d'abord son ajout",
        f"use a value of the published {resource} table, or ask for it to be added first",
    )


def unique(f: Finding, lang: str) -> str:
    return _t(
        lang,
        "chaque valeur de cette colonne doit être unique : changez-la ou supprimez la ligne "
        "en double",
        "each value of this column must be unique: change it or remove the duplicate row",
    )


def unique_key(f: Finding, lang: str) -> str:
    return _t(
        lang,
        "deux lignes ne peuvent avoir les mêmes valeurs dans ces colonnes : changez l'une "
        "d'elles ou supprimez la ligne en double",
        "two rows cannot hold the same values in these columns: change one of them or "
        "remove the duplicate row",
    )


def primary_key(f: Finding, lang: str) -> str:
    return _t(
        lang,
        "la clé primaire identifie la ligne : elle doit être remplie et unique",
        "the primary key identifies the row: it must be filled in and unique",
    )


def fk_unavailable(f: Finding, lang: str) -> str:
    """What to do, by what is missing (``params["missing"]``): no data package around
    the command, none of that table in the package, or no published file of it yet. Told
    inside a package to « validate from its folder », a steward was left with nothing to do."""
    params = f.params or {}
    table = params.get("resource") or "?"
    said = {
        "package": (
            f"validez depuis le dossier du paquet de données qui publie la table {table} "
            "(ou désignez-le avec --root DOSSIER)",
            f"validate from the folder of the data package that publishes table {table} "
            "(or name it with --root DIR)",
        ),
        "table": (
            f"le paquet de données n'a pas de table {table} : ajoutez-la (son schéma dans "
            f"schemas/{table}/), ou retirez cette clé étrangère du schéma",
            f"the data package has no table {table}: add it (its schema in "
            f"schemas/{table}/), or remove this foreign key from the schema",
        ),
        "data": (
            f"la table {table} n'a pas encore de fichier publié (datasets/{table}.csv) : "
            "consolidez-la d'abord (moisinno consolidate)",
            f"table {table} has no published file yet (datasets/{table}.csv): consolidate "
            "it first (moisinno consolidate)",
        ),
    }.get(
        params.get("missing", ""),
        (
            "publiez d'abord la table de référence, ou validez dans le dossier du paquet de "
            "données",
            "publish the reference table first, or validate from the data package's folder",
        ),
    )
    return _t(lang, *said)


def missing_cell(f: Finding, lang: str) -> str:
    return _t(
        lang,
        "la ligne a moins de cellules que l'en-tête : un séparateur manque ou la ligne a été "
        "coupée",
        "the row has fewer cells than the header: a separator is missing or the row was cut",
    )


def extra_cell(f: Finding, lang: str) -> str:
    if (f.params or {}).get("sheet"):
        return _t(
            lang,
            "la ligne a une valeur à droite de la dernière colonne de l'en-tête : nommez sa "
            "colonne en ligne 1 ou effacez la cellule (si une ligne de titre précède "
            "l'en-tête, supprimez-la : l'en-tête doit être en ligne 1)",
            "the row has a value right of the header's last column: name its column on row "
            "1 or clear the cell (if a title row comes before the header, remove it: the "
            "header must be on row 1)",
        )
    return _t(
        lang,
        "la ligne a plus de cellules que l'en-tête : un séparateur en trop, ou un texte "
        "contenant le séparateur à mettre entre guillemets",
        "the row has more cells than the header: an extra separator, or a text holding the "
        "separator that needs quotes",
    )


def missing_label(f: Finding, lang: str) -> str:
    p = f.params or {}
    names = p.get("fields")
    several = isinstance(names, list) and len(names) > 1
    what_fr = "ces colonnes" if several else f"la colonne {f.field}"
    what_en = "these columns" if several else f"column {f.field}"
    optional = not p.get("required", True)
    return _t(
        lang,
        f"ajoutez {what_fr}"
        + (", même vide" + ("s" if several else "") if optional else "")
        + " : le modèle Excel de la table a toutes les colonnes (lien sur la page de "
        "validation, ou commande « moisinno template »)",
        f"add {what_en}"
        + (", even empty" if optional else "")
        + ": the table's Excel template has every column (link on the validation page, or "
        'the "moisinno template" command)',
    )


def incorrect_label(f: Finding, lang: str) -> str:
    expected = (f.params or {}).get("expected") or f.field
    return _t(
        lang,
        f"renommez l'en-tête en {expected}, exactement",
        f"rename the header to exactly {expected}",
    )


def excel_separator_line(labels: list[str]) -> bool:
    """Whether a header read as ``sep=`` (or ``sep=;`` in one cell) is Excel's separator
    line above the real header. A CSV's is skipped when read (:mod:`moisinno_data.reading.
    sniff`); this one stayed: a workbook saved from such a CSV, or a separator we do not
    read (``sep=:``)."""
    first = labels[0].strip().lower() if labels else ""
    return first.startswith("sep=") and len(first) <= 5


def nothing_matched(f: Finding, lang: str) -> str:
    labels = [str(label) for label in (f.params or {}).get("labels") or []]
    sheets = [str(name) for name in (f.params or {}).get("sheets") or []]
    if excel_separator_line(labels):
        return _t(
            lang,
            "supprimez la première ligne (« sep=… », une consigne pour Excel) : l'en-tête, "
            "avec les noms des champs du schéma, doit être en ligne 1",
            'remove the first line ("sep=…", an instruction for Excel): the header, with '
            "the schema's field names, must be on row 1",
        )
    header_row = (f.params or {}).get("header_row")
    if isinstance(header_row, int):
        from moisinno_data.validation.resolution import header_row_text

        return header_row_text(header_row, lang)
    if sheets:
        names = ", ".join(f"« {name} »" for name in sheets)
        return _t(
            lang,
            f"le classeur a d'autres feuilles ({names}) : choisissez celle qui tient le "
            "tableau (option --sheet, ou « Feuille » sur la page de validation)",
            f"the workbook has other sheets ({names}): choose the one holding the table "
            '(option --sheet, or "Sheet" on the validation page)',
        )
    return _t(
        lang,
        "mettez l'en-tête en ligne 1 (sans ligne vide ni titre au-dessus), avec les noms "
        "des champs du schéma, et vérifiez que le schéma est celui de ce fichier (--schema)",
        "put the header on row 1 (no blank row or title above it), with the schema's "
        "field names, and check that the schema is this file's (--schema)",
    )


def extra_label(f: Finding, lang: str) -> str:
    closest = _name((f.params or {}).get("closest"))
    if closest:
        return _t(
            lang,
            f"si c'est la colonne {closest}, renommez l'en-tête en {closest} ; sinon retirez "
            "la colonne",
            f"if it is column {closest}, rename the header to {closest}; otherwise remove "
            "the column",
        )
    ignored = not (f.params or {}).get("fieldsMatch")  # else the schema forbids it
    return _t(
        lang,
        "si c'est une colonne du schéma, écrivez son nom exactement comme dans la "
        "documentation ; sinon retirez-la" + (" (elle est ignorée)" if ignored else ""),
        "if it is one of the schema's columns, spell its name exactly as documented; "
        "otherwise remove it" + (" (it is ignored)" if ignored else ""),
    )


__all__ = ["Suggestion", "accepts", "fold", "hint", "prepare", "suggest"]
