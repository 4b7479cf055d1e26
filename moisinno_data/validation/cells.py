"""Cell checks of one Table Schema field, a whole column at a time.

Each field gets a :class:`FieldChecker`. For a batch it answers, per row: is the cell
blank (a missing value), does it have the field's type, which constraints fail, and —
when keys need it — the *typed* value as a canonical string (``"n:2020"`` for the integer
2020, so that ``2020`` and ``02020`` collide exactly as they do for frictionless).

Speed comes from fast paths: a value matching a simple, certainly-valid shape (``-?[0-9]+``
for an integer, ``AAAA-MM-JJ`` for a date…) is checked with polars expressions. Every
other value — the errors, and the odd but valid ones like `` +5`` — goes through
frictionless's own cell reader, once per distinct value. The findings are therefore
frictionless's by construction, at the speed of polars for the bulk of the rows.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

import polars as pl

from moisinno_data.errors import ConfigError
from moisinno_data.package.schema_check import (
    SchemaNote,
    printable,
    with_categories,
    wkt_checked,
)
from moisinno_data.reading.budget import paced

DEFAULT_TRUE = ["true", "True", "TRUE", "1"]
DEFAULT_FALSE = ["false", "False", "FALSE", "0"]
BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
SUPPORTED = {
    "string": ("required", "minLength", "maxLength", "pattern", "enum"),
    "integer": ("required", *BOUNDS, "enum"),
    "number": ("required", *BOUNDS, "enum"),
    "boolean": ("required", "enum"),
    "date": ("required", *BOUNDS, "enum"),
    "datetime": ("required", *BOUNDS, "enum"),
    "time": ("required", *BOUNDS, "enum"),
    "year": ("required", *BOUNDS, "enum"),
    "yearmonth": ("required", *BOUNDS, "enum"),
    "array": ("required", "minLength", "maxLength", "enum"),
    "object": ("required", "minLength", "maxLength", "enum"),
    "list": ("required", "minLength", "maxLength"),
    "any": ("required", "enum"),
    "duration": ("required", "enum"),
    "geojson": ("required", "enum"),
    "geopoint": ("required", "enum"),
}
# Shapes that are valid for sure; anything else is decided by frictionless's reader.
# A calendar day that exists in every year 0001-9999 (29 February goes to the reference
# reader, which knows leap years): matching it means strptime/isoparse accept the date.
_DAY = (
    r"(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-"
    r"((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
    r"|02-(0[1-9]|1[0-9]|2[0-8]))"
)
_FAST_SHAPE = {
    "integer": r"^-?[0-9]{1,18}$",
    "number": r"^-?[0-9]{1,15}(\.[0-9]{1,15})?$",
    "date": rf"^{_DAY}$",
    "datetime": rf"^{_DAY}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])?$",
}
_FAST_FORMAT = {
    "uri": r"^https?://[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(:[0-9]{1,5})?(/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?(\?[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?(#[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?$",
    "email": r"^[a-z0-9_%+-]{1,40}(\.[a-z0-9_%+-]{1,20}){0,3}@([a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?\.){1,4}[a-z]{2,12}$",
}


_DOCUMENTATION = frozenset({"title", "description", "example", "examples", "rdfType"})
"""Field keys that document the field and play no part in reading its cells."""


def example_notes(fields: list[Any]) -> list[SchemaNote]:
    """A warning for each field whose ``example`` is not a value of its type, read as
    frictionless reads it (type and format only). frictionless refuses such a schema; here
    the data are still checked, and the example is left out. A warning too for an example
    of the right type that its field's constraints refuse (:func:`_example_misses`)."""
    notes = []
    for descriptor in fields:
        if not isinstance(descriptor, dict) or not descriptor.get("example"):
            continue
        example, name = descriptor["example"], str(descriptor.get("name", ""))
        kept = ("name", "type", "format", "trueValues", "falseValues")
        checker = FieldChecker({k: descriptor[k] for k in kept if k in descriptor}, [])
        try:
            _value, problems = checker.reader(example)
        except (TypeError, ValueError, ArithmeticError):  # a JSON object, a list…
            problems = {"type": "unreadable"}
        if not problems:
            notes.extend(_example_misses(descriptor, name, example))
        if problems:
            shown, ftype = printable(str(example)), printable(checker.type)
            if checker.format != "default":
                ftype += f" ({printable(str(checker.format))})"
            notes.append(
                SchemaNote(
                    name,
                    "example",
                    f"champ « {printable(name)} » : l'exemple « {shown} » n'est pas une valeur "
                    f"de type {ftype} ; il est ignoré",
                    f'field "{printable(name)}": the example "{shown}" is not a value of type '
                    f"{ftype}; it is ignored",
                )
            )
    return notes


def _example_misses(descriptor: dict[str, Any], name: str, example: Any) -> list[SchemaNote]:
    """A warning when a field's own constraints refuse its ``example``: a contributor who
    copies it gets errors (sweep 7: nine published versions of etalab schemas had such an
    example, and validata-core 0.9.7 refused every file for it)."""
    try:
        checker = FieldChecker({**descriptor, "name": name}, [])
        _value, problems = checker.reader(example)
    except (TypeError, ValueError, ArithmeticError):
        return []
    missed = sorted(k for k in (problems or {}) if k != "type")
    pattern = checker._rust_pattern  # linear time, as for the cells: a schema is a stranger's
    if (
        pattern is not None
        and isinstance(example, str)
        and not pl.Series([example], dtype=pl.String).str.contains(pattern).item()
    ):
        missed.append("pattern")
    if not missed:
        return []
    shown, which = printable(str(example)), ", ".join(missed)
    return [
        SchemaNote(
            name,
            "example",
            f"champ « {printable(name)} » : l'exemple « {shown} » ne respecte pas les "
            f"contraintes du champ ({which}) ; une cellule qui le recopie est une erreur",
            f'field "{printable(name)}": the example "{shown}" breaks the field\'s constraints '
            f"({which}); a cell that copies it is an error",
        )
    ]


def enum_notes(fields: list[Any]) -> list[SchemaNote]:
    """A warning for each field whose ``enum`` holds a value no cell can ever be equal
    to, read as frictionless reads cells: ``"a"`` in an integer list, or the number ``1``
    in a string one (a cell is text, ``1`` is never ``"1"``). Every file then has errors
    there that only the schema's author can mend; their findings stay frictionless's."""
    notes = []
    for descriptor in fields:
        constraints = descriptor.get("constraints") if isinstance(descriptor, dict) else None
        enum = constraints.get("enum") if isinstance(constraints, dict) else None
        if not isinstance(enum, list) or descriptor.get("type") in _FREE_ENUM_TYPES:
            continue
        name = str(descriptor.get("name", ""))
        # the type alone reads the values: the list itself is what is being checked
        skipped = {*_DOCUMENTATION, "constraints", "categories"}
        checker = FieldChecker({k: v for k, v in descriptor.items() if k not in skipped}, [])
        unreachable = [v for v in enum if not _reachable(checker, v)]
        if unreachable:
            shape = "" if checker.format == "default" else f" ({printable(str(checker.format))})"
            notes.append(_enum_note(name, checker.type + shape, unreachable))
    return notes


_FREE_ENUM_TYPES = ("any", "array", "object", "geojson", "geopoint", "list", "duration")
"""Types whose enum values are compared as JSON or read in several spellings: left alone."""


def _reachable(checker: FieldChecker, value: Any) -> bool:
    """Whether some cell reads as ``value``: a JSON scalar is a value of its kind (``true``
    whatever the field's ``trueValues``, ``1.5`` whatever its ``decimalChar``); a text is
    read as a cell is, as frictionless reads an enum's texts (``"1"`` takes the cell 1)."""
    if isinstance(value, bool):
        return checker.type == "boolean"
    if isinstance(value, int | float):
        kind = checker.type
        return kind == "number" or (kind in ("integer", "year") and float(value).is_integer())
    if not isinstance(value, str):
        return False
    if checker.type == "string":
        return True
    try:
        _value, problems = checker.reader(value)
    except (TypeError, ValueError, ArithmeticError):
        return False
    return not problems


def _enum_note(name: str, ftype: str, values: list[Any]) -> SchemaNote:
    shown = ", ".join(printable(json.dumps(v, ensure_ascii=False)) for v in values[:5])
    more = f" (et {len(values) - 5} autres)" if len(values) > 5 else ""
    more_en = f" (and {len(values) - 5} more)" if len(values) > 5 else ""
    if ftype == "string":  # only non-texts are unreachable there
        fr = (
            f"qui ne sont pas des textes : {shown}{more} ; une cellule est un texte, jamais "
            "égal à un nombre : écrivez-les entre guillemets"
        )
        en = f"that are not texts: {shown}{more_en}; a cell is text, never equal to a number: quote them"
    else:
        fr = f"qui ne sont pas de type {ftype} : {shown}{more} ; aucune cellule ne peut les prendre"
        en = f"that are not of type {ftype}: {shown}{more_en}; no cell can take them"
    return SchemaNote(
        name,
        "constraints.enum",
        f"champ « {printable(name)} » : la liste « enum » a des valeurs {fr}",
        f'field "{printable(name)}": the "enum" list has values {en}',
    )


_PYTHON_CLASSES = {
    "w": (r"\p{L}\p{N}_", False),
    "W": (r"\p{L}\p{N}_", True),
    "s": (r"\s\x1c-\x1f", False),
    "S": (r"\s\x1c-\x1f", True),
}
r"""Python's ``\w`` and ``\s`` in Rust's words (what goes inside ``[…]``, and whether the
class is the complement). Rust's own ``\w`` also takes combining marks (the accent of a
decomposed ``è``, as a Mac writes it) and refuses ``²`` or ``½``, which Python's takes;
Python's ``\s`` also takes U+001C to U+001F. These are equal to Python 3.11's on every
character its Unicode assigns (checked in the test); ``\d`` is the same in both."""


def python_pattern_to_rust(pattern: str) -> str:
    r"""frictionless's test ``re.compile("^%s$" % p).match``, for Rust's linear-time regex.

    The text ``^p$`` is translated as it stands (a top-level ``|`` splits it as Python
    does) inside ``\A(?:…)``, which anchors every alternative at the start like
    ``match``. Python's ``$`` also matches before a final newline: outside character
    classes it becomes ``(?:\n?\z)``, ``\Z`` becomes ``\z`` and ``{,n}`` ``{0,n}``.
    Python reads a backslash before a character that is not an ASCII letter or digit as
    that character itself: Rust refuses it before a non-ASCII one (``\’``, ``\«``, seen
    in published schemas) and reads ``\<`` and ``\>`` as word boundaries, so there the
    backslash goes. ``\w``, ``\W``, ``\s`` and ``\S`` are Python's classes
    (:data:`_PYTHON_CLASSES`). The differences left: ``\b`` and ``\B``, word boundaries
    by Rust's ``\w`` (a decomposed accent or a ``²`` beside a letter), and a ``$``
    followed by something that must match that final newline itself, which no real
    schema writes.
    """
    out = []
    i, in_class = 0, False
    text = f"^{pattern}$"
    while i < len(text):
        c = text[i]
        if text.startswith("\\N{", i) and (end := text.find("}", i)) > 0:
            out.append(_named_character(text[i + 3 : end]))  # \N{LATIN SMALL LETTER A}
            i = end + 1
            continue
        if c == "\\" and i + 1 < len(text):
            pair = text[i : i + 2]
            if not pair[1].isascii() or pair[1] in "<>":
                pair = pair[1]  # a literal for Python, never a metacharacter for Rust
            elif pair[1] in _PYTHON_CLASSES:
                inside, negated = _PYTHON_CLASSES[pair[1]]
                pair = f"[^{inside}]" if negated else (inside if in_class else f"[{inside}]")
            out.append("\\z" if pair == "\\Z" and not in_class else pair)
            i += 2
            continue
        if in_class:
            in_class = c != "]"
            if c in "[&~" or (c == "-" and text[i - 1] == "-"):
                c = "\\" + c  # literal for Python; nested sets and set operators in Rust
        elif c == "[":
            in_class = True
            if text[i + 1 : i + 2] == "^" and text[i + 2 : i + 3] == "]":  # "[^]…]"
                out.append("[^\\]")
                i += 3
                continue
            if text[i + 1 : i + 2] == "]":  # "[]…]": a literal "]" first
                out.append("[\\]")
                i += 2
                continue
        elif c == "$":
            c = "(?:\\n?\\z)"
        elif c == "{" and text[i + 1 : i + 2] == ",":
            c = "{0"
        out.append(c)
        i += 1
    return "\\A(?:" + "".join(out) + ")"


def _named_character(name: str) -> str:
    """Python's ``\\N{name}`` as Rust writes a character, ``\\x{61}``: Rust has no names.
    An unknown name is left for Rust to refuse (Python refuses it too)."""
    import unicodedata

    try:
        return f"\\x{{{ord(unicodedata.lookup(name)):x}}}"
    except KeyError:
        return f"\\N{{{name}}}"


@functools.lru_cache(maxsize=256)
def linear_pattern(pattern: str) -> str | None:
    """The Rust form of a pattern, or None when the linear-time engine cannot run it
    (back-references, look-arounds…): such a pattern could make validation take
    exponential time on a crafted cell. Its field's pattern is then not checked, and
    the report says so (:func:`pattern_notes`)."""
    rust = python_pattern_to_rust(pattern)
    try:
        pl.Series([""], dtype=pl.String).str.contains(rust)
    except Exception:  # polars reports an invalid regex with its own exception types
        return None
    return rust


def pattern_notes(fields: list[Any]) -> list[SchemaNote]:
    """A warning for each field whose ``pattern`` (or its items') the linear-time engine
    cannot run (:func:`linear_pattern`): the rest of the file is checked, this pattern is
    not. The whole schema was refused (exit 2), and schema-friches, as schema.data.gouv.fr
    publishes it (three patterns with a back-reference), could not be used at all."""
    notes = []
    for descriptor in fields:
        if not isinstance(descriptor, dict):
            continue
        name = str(descriptor.get("name", ""))
        for where, holder in (("", descriptor), ("arrayItem.", _array_item(descriptor))):
            pattern = (holder.get("constraints") or {}).get("pattern")
            if not isinstance(pattern, str) or linear_pattern(pattern) is not None:
                continue
            shown = printable(pattern)
            notes.append(
                SchemaNote(
                    name,
                    f"{where}constraints.pattern",
                    f"champ « {printable(name)} » : le motif « {shown} » ne peut pas être "
                    "vérifié en temps linéaire (référence arrière, assertion avant ou arrière, "
                    "groupe atomique) ; il n'est pas contrôlé, le reste l'est",
                    f'field "{printable(name)}": the pattern "{shown}" cannot be checked in '
                    "linear time (back-reference, look-ahead or look-behind, atomic group); "
                    "it is not checked, the rest is",
                )
            )
    return notes


ITEM = "arrayItem."
"""Prefix of an array item's constraints among a field's (``arrayItem.enum``…)."""


def _array_item(descriptor: dict[str, Any]) -> dict[str, Any]:
    item = descriptor.get("arrayItem")
    return item if isinstance(item, dict) else {}


@dataclass
class CellResult:
    """Per-row facts for one field in one batch (all Series have the batch's height)."""

    blank: pl.Series
    type_error: pl.Series | None
    """None when no cell of the batch has a type error."""
    constraints: list[tuple[str, pl.Series]] = field(default_factory=list)
    key: pl.Series | None = None

    def accepted(self) -> pl.Series:
        """The filled cells the field's type reads (no type error)."""
        return ~self.blank if self.type_error is None else ~self.blank & ~self.type_error


class FieldChecker:
    """Checks one field's column. ``missing_values`` are the schema's (or the field's)."""

    def __init__(self, descriptor: dict[str, Any], missing_values: list[str]):
        self.descriptor = descriptor = with_categories(descriptor)
        self.name = descriptor["name"]
        self.type = descriptor.get("type", "string") or "string"
        self.format = descriptor.get("format", "default") or "default"
        self.missing_values = list(descriptor.get("missingValues", missing_values))
        raw = descriptor.get("constraints") or {}
        supported = SUPPORTED.get(self.type, ("required", "enum"))
        self.constraints = {k: v for k, v in raw.items() if k in supported and v is not None}
        self.item = _array_item(descriptor) if self.type == "array" else {}
        """An array's ``arrayItem`` (its items' type and constraints), ``{}`` if none."""
        item_type = self.item.get("type", "any") or "any"
        item_constraints = self.item.get("constraints") or {}
        for k, v in item_constraints.items() if isinstance(item_constraints, dict) else ():
            if k in SUPPORTED.get(item_type, ("required", "enum")) and v is not None:
                self.constraints[f"{ITEM}{k}"] = v
        self.required = bool(self.constraints.get("required"))
        self.unique = bool(raw.get("unique"))
        self.vectorised = self._can_vectorise()
        self._cache: dict[str, tuple[bool, list[str], str | None]] = {}
        self._plain = self.format == "default" and not any(
            k in descriptor for k in ("bareNumber", "decimalChar", "groupChar")
        )
        # Checked by polars only, on every present cell (an array's: on its items); one
        # it cannot run is not checked (:func:`pattern_notes` says so).
        self._rust_pattern = self._linear("pattern")
        self._item_pattern = self._linear(f"{ITEM}pattern")

    def _linear(self, key: str) -> str | None:
        """The Rust form of the constraint ``key``'s pattern; one the linear-time engine
        cannot run is left out of the checked constraints."""
        if key not in self.constraints:
            return None
        rust = linear_pattern(str(self.constraints[key]))
        if rust is None:
            del self.constraints[key]
        return rust

    @property
    def example(self) -> str | None:
        """The field's ``example`` as text, if it is a plain value."""
        example = self.descriptor.get("example")
        if isinstance(example, bool) or not isinstance(example, str | int | float):
            return None
        return str(example) if str(example).strip() else None

    # -- what can be done with polars alone ---------------------------------------

    def _can_vectorise(self) -> bool:
        d = self.descriptor
        if self.type == "string":
            return self.format in ("default", "uri", "email")
        if self.type == "integer":
            return d.get("bareNumber", True) is True
        if self.type == "number":
            return not any(k in d for k in ("bareNumber", "decimalChar", "groupChar"))
        if self.type == "boolean":
            return True
        if self.type in ("date", "datetime"):
            bounds = any(k in self.constraints for k in BOUNDS)
            odd = bounds or "enum" in self.constraints
            return self.format == "default" and not (self.type == "datetime" and odd)
        return False

    @cached_property
    def reader(self):
        """The reference cell reader: ``cell -> (typed value, notes)`` like frictionless's.

        The common types are read here with frictionless's exact rules (it would cost a
        0.3 s import for a small file); the others use frictionless's own reader.
        """
        native = self._native_value_reader()
        # The pattern is left out: polars checks it on every cell, in linear time.
        constraints = {k: v for k, v in self.constraints.items() if k != "pattern"}
        if native is None:
            return self._frictionless_reader()
        return _cell_reader(native, self.type, self.format, constraints, self.missing_values)

    @cached_property
    def type_reader(self):
        """:attr:`reader` without the constraints: what a value of the field's type is.
        An ``enum``'s own values read through :attr:`reader` were each checked against
        the whole list again (frictionless's reader searches a list)."""
        bare = {k: v for k, v in self.descriptor.items() if k not in ("constraints", "categories")}
        return FieldChecker(bare, self.missing_values).reader

    def _frictionless_reader(self):
        """frictionless's reader, from what reading depends on: it refuses a whole field
        for a wrong ``example`` (reported apart: :func:`example_notes`), or for a key
        whose value it does not take, which is then one sentence naming the field."""
        from frictionless import Field, FrictionlessException

        descriptor = {k: v for k, v in self.descriptor.items() if k not in _DOCUMENTATION}
        descriptor["missingValues"] = self.missing_values
        descriptor["constraints"] = {
            k: v for k, v in (descriptor.get("constraints") or {}).items() if k != "pattern"
        }
        # The enum too is checked here (_enum_checked): frictionless searches it as a
        # list, per distinct value (a 36,500-date enum: 9 s for 20,000 rows).
        enum = descriptor["constraints"].pop("enum", None)
        if self.item:  # an item's pattern too is checked in linear time (:meth:`_read`)
            item = dict(self.item)
            item["constraints"] = {
                k: v for k, v in (item.get("constraints") or {}).items() if k != "pattern"
            }
            descriptor["arrayItem"] = item
        try:
            field = Field.from_descriptor(descriptor)
            bounded = self.type in ("time", "datetime") and set(BOUNDS) & set(
                descriptor["constraints"]
            )
            if not bounded or self.item:
                reader = field.create_cell_reader()
            else:
                # Its bounds as _within compares them: frictionless stops on a time with
                # an offset beside a bound without one.
                kept = set(field.supported_constraints)
                constraints = {k: v for k, v in descriptor["constraints"].items() if k in kept}
                reader = _cell_reader(
                    field.create_value_reader(),
                    self.type,
                    self.format,
                    constraints,
                    self.missing_values,
                )
            if enum is None:
                return reader
            return _enum_checked(reader, field.create_value_reader(), enum)
        except FrictionlessException as exc:
            reasons = [r.note for r in getattr(exc, "reasons", None) or []]
            note = "; ".join(reasons) or getattr(getattr(exc, "error", None), "note", str(exc))
            raise ConfigError(
                f"Schéma incorrect : champ « {self.name} » : frictionless ne peut pas le lire "
                f"({note}) ; corrigez sa description dans le schéma.",
                en=f'Invalid schema: field "{self.name}": frictionless cannot read it ({note}); '
                "fix its description in the schema.",
            ) from None

    def _native_value_reader(self):
        d, t, fmt = self.descriptor, self.type, self.format
        if t == "string" and fmt in ("default", "uri", "email"):
            return _string_reader(fmt)
        if t == "string" and fmt == "wkt" and not wkt_checked():  # said by schema_check
            return _string_reader("default")
        if t == "integer" and d.get("bareNumber", True) is True:
            return _integer_value
        if t == "number" and not any(k in d for k in ("bareNumber", "decimalChar", "groupChar")):
            return _number_value_float if d.get("floatNumber") else _number_value
        if t == "boolean":
            trues, falses = self._true_false
            mapping = {**dict.fromkeys(trues, True), **dict.fromkeys(falses, False)}
            return lambda cell: cell if isinstance(cell, bool) else mapping.get(cell)
        if t == "date" and fmt == "default":
            return _date_value
        if t == "datetime" and fmt == "default":
            return _datetime_value
        if t == "year":
            return _year_value
        return None

    @cached_property
    def _true_false(self) -> tuple[list[str], list[str]]:
        return (
            list(self.descriptor.get("trueValues", DEFAULT_TRUE)),
            list(self.descriptor.get("falseValues", DEFAULT_FALSE)),
        )

    # -- one batch -------------------------------------------------------------------

    def stage(self, c: str, tag: str) -> dict[str, pl.Expr]:
        """First pass on column ``c``: ``blank`` and ``fast`` (present and certainly of
        the right type), named ``tag + name`` so that :meth:`expressions` reads them once
        computed instead of recomputing a regex or a date parse for every constraint."""
        col = pl.col(c)
        if self.missing_values == [""]:  # the usual case, cheaper than is_in
            blank = col.is_null() | (col.str.len_bytes() == 0)
        else:
            blank = col.is_null() | col.is_in(self.missing_values)
        out = {f"{tag}blank": blank}
        if self.vectorised:
            out[f"{tag}fast"] = ~blank & self._fast_ok(col)
            if self._has_typed:
                out[f"{tag}typed"] = self._typed(col)
        return out

    def expressions(self, c: str, tag: str, *, want_key: bool = False) -> dict[str, pl.Expr]:
        """Second pass (after :meth:`stage`), to evaluate in one ``select``.

        Keys: ``blank``, ``slow`` (present but not certainly of the right type: the
        reference reader decides), ``c:<name>`` (a fast cell that fails a constraint;
        pattern misses still to be confirmed), ``key``, and ``any:<key>`` — booleans
        for the whole batch, all false when nothing in the column needs a second look.
        """
        col = pl.col(c)
        blank = pl.col(f"{tag}blank")
        out: dict[str, pl.Expr] = {"blank": blank}
        if self._rust_pattern is not None:
            # Every present cell, fast or not: a type error masks it in :meth:`finish`.
            out["c:pattern"] = ~blank & ~col.str.contains(self._rust_pattern).fill_null(True)
        if not self.vectorised:
            out["slow"] = ~blank
        else:
            fast = pl.col(f"{tag}fast")
            typed = pl.col(f"{tag}typed") if self._has_typed else None
            out["slow"] = ~blank & ~fast
            for name, expr in self._fast_constraints(col, typed).items():
                out[f"c:{name}"] = fast & expr.fill_null(False)
            if want_key and self.type != "datetime":
                out["key"] = pl.when(fast).then(self._fast_key(col, typed))
        # Scalars that spare a pass per mask afterwards ("any:<key>"); ``flag`` is their
        # disjunction, computed in :meth:`finish`.
        for k in [k for k in out if k == "slow" or k.startswith("c:")]:
            out[f"any:{k}"] = out[k].any()
        out["any:blank"] = blank.any()
        return out

    def check(self, col: pl.Series, *, want_key: bool = False) -> CellResult:
        """``col``: Utf8 cells, null where the row was too short to hold this column."""
        exprs = self.expressions("v", "_", want_key=want_key)
        masks = {k: e for k, e in exprs.items() if not k.startswith("any:")}
        pre = (
            pl.DataFrame({"v": col})
            .lazy()
            .with_columns(**self.stage("v", "_"))
            .with_columns(**masks)  # computed once, then read by the ``any:`` scalars
            .select([pl.col(k) if k in masks else pl.col(k[4:]).any().alias(k) for k in exprs])
            .collect()
        )
        return self.finish(col, {k: pre.get_column(k) for k in exprs}, want_key=want_key)

    def finish(
        self,
        col: pl.Series,
        pre: dict[str, pl.Series],
        *,
        want_key: bool = False,
        where: str | Path | None = None,
    ) -> CellResult:
        """Complete :meth:`expressions`' results with the reference reader on odd values;
        ``where``: the file, whose time limit (``Budget.max_seconds``) is checked then."""
        blank = pre["blank"]
        key: pl.Series | None = pre.get("key")
        flag = any(bool(v[0]) for k, v in pre.items() if k.startswith("any:c:")) or (
            bool(pre["any:slow"][0]) or (self.required and bool(pre["any:blank"][0]))
        )
        if not flag:  # the usual case: a clean column, nothing more to compute
            if want_key and key is None:
                key = self._python_keys(col, ~blank)
            return CellResult(blank=blank, type_error=None, constraints=[], key=key)
        slow = pre["slow"]
        type_error = None
        constraint_masks: dict[str, pl.Series] = {}
        for name in self.constraints:
            mask = pre.get(f"c:{name}")
            if mask is None or not _any(pre, f"c:{name}", mask):
                continue
            constraint_masks[name] = mask
        if want_key and key is None:
            key = self._python_keys(col, ~blank & ~slow)

        # Slow rows (few: the errors and the odd values): the reference reader decides,
        # once per distinct value.
        if _any(pre, "slow", slow):
            idx = slow.arg_true().to_list()
            verdicts = self._verdicts(col.gather(idx).to_list(), where)
            bad_type = [i for i, v in zip(idx, verdicts, strict=True) if v[0]]
            if bad_type:
                type_error = _mask(col.len(), bad_type)
            for name in self.constraints:
                hits = [i for i, v in zip(idx, verdicts, strict=True) if name in v[1]]
                if hits:
                    base = constraint_masks.get(name)
                    mask = _mask(col.len(), hits)
                    constraint_masks[name] = mask if base is None else (base | mask)
            if want_key and key is not None:
                key = key.clone().scatter(idx, unequal_keys([v[2] for v in verdicts]))

        if type_error is not None and "pattern" in constraint_masks:
            constraint_masks["pattern"] = constraint_masks["pattern"] & ~type_error
        if self.required and _any(pre, "blank", blank):
            base = constraint_masks.get("required")
            constraint_masks["required"] = blank if base is None else (base | blank)
        ordered = [(k, constraint_masks[k]) for k in self.constraints if k in constraint_masks]
        return CellResult(blank=blank, type_error=type_error, constraints=ordered, key=key)

    def _python_keys(self, col: pl.Series, fast: pl.Series) -> pl.Series:
        """Keys of fast cells that have no polars canonical form (datetimes)."""
        if not fast.any():
            return pl.repeat(None, col.len(), dtype=pl.String, eager=True)
        return pl.Series(
            [_datetime_key(v) if f else None for v, f in zip(col, fast, strict=True)],
            dtype=pl.String,
        )

    def typed_text(self, value: str) -> str | None:
        """:meth:`typed_key` without its type's tag (``n:22`` → ``22``): the one spelling
        of the value that names a row (:func:`..package.canonical.identity_form`) and is
        shown in its label. A value already in that spelling (``22.5`` in a plain number
        field, an ISO day in a date field) is itself, without the reference reader's
        26 µs: a 20,000-row table's diff took 5 times longer."""
        plain = _PLAIN.get(self.type) if self._plain else None
        if plain is not None and plain.fullmatch(value):
            return value
        key = self.typed_key(value)
        return None if key is None else key[2:]

    def typed_key(self, value: str) -> str | None:
        """The value as its type reads it, in one canonical spelling (``900.0`` → ``900``,
        an instant in UTC, a yes of the field's words → ``true``); None if the type does
        not read it. Two cells with the same key hold the same value."""
        return self._verdict(value)[2]

    def refusals(self, values: list[str]) -> list[list[str]]:
        """What the engine reports of each of these cells: ``["type"]``, or the
        constraints it breaks (``required`` for a missing value in a required field,
        ``pattern``…); empty when it reports nothing. The engine's own reading (the
        reference reader, the pattern in linear time: one call for them all, a regex
        being compiled at each), so that ``fix`` can tell whether a value it would write
        is refused where the value received was not."""
        verdicts = [self._verdict(v) for v in values]
        out = [["type"] if bad else list(failed) for bad, failed, _key in verdicts]
        if self._rust_pattern is None:
            return out
        typed = [
            i for i, v in enumerate(values) if not verdicts[i][0] and v not in self.missing_values
        ]
        if typed:
            texts = pl.Series([values[i] for i in typed], dtype=pl.String)
            matched = texts.str.contains(self._rust_pattern).to_list()
            for i, ok in zip(typed, matched, strict=True):
                if not ok:
                    out[i].append("pattern")
        return out

    def _verdicts(
        self, values: list[str], where: str | Path | None
    ) -> list[tuple[bool, list[str], str | None]]:
        """:meth:`_verdict` of each value, the time limit checked as they go: one value
        can take a fraction of a second (a web address of 340,000 characters), and 150 of
        them held the web page 30 s in one batch, past its limit."""
        checked = values if where is None else paced(values, where, every=16)
        return [self._verdict(v) for v in checked]

    def _verdict(self, value: str) -> tuple[bool, list[str], str | None]:
        """:meth:`_read`, remembered: error values repeat a lot in real files."""
        cache = self._cache
        found = cache.get(value)
        if found is None:
            if len(cache) > 50_000:
                cache.clear()
            found = cache[value] = self._read(value)
        return found

    def _read(self, value: str) -> tuple[bool, list[str], str | None]:
        """(type error?, failed constraints, canonical key) — the reference reader decides."""
        target, notes = self.reader(value)
        notes = dict(notes or {})
        type_error = notes.pop("type", None) is not None
        key = None if (type_error or target is None) else canonical(self.type, target)
        failed = list(notes)
        if self.item:
            # frictionless checks the items only once the array passed its own
            # constraints, and says "array item …": a note is then about the items.
            failed = [f"{ITEM}{k}" if str(notes[k]).startswith("array item") else k for k in notes]
            if not failed and not type_error and self._items_miss_pattern(target):
                failed = [f"{ITEM}pattern"]
        return type_error, failed, key

    def _items_miss_pattern(self, items: Any) -> bool:
        if self._item_pattern is None or not isinstance(items, list):
            return False
        texts = [item for item in items if isinstance(item, str)]
        if not texts:
            return False
        matched = pl.Series(texts, dtype=pl.String).str.contains(self._item_pattern)
        return not matched.all()

    # -- fast paths (polars expressions) ---------------------------------------------

    @property
    def _has_typed(self) -> bool:
        """Whether :meth:`stage` computes the typed column (bounds need it)."""
        return self.vectorised and any(k in self.constraints for k in BOUNDS)

    def _fast_ok(self, col: pl.Expr) -> pl.Expr:
        t = self.type
        if t == "string":
            if self.format in _FAST_FORMAT:
                return col.str.contains(_FAST_FORMAT[self.format]).fill_null(False)
            return pl.lit(True)
        if t == "boolean":
            trues, falses = self._true_false
            return col.is_in(trues + falses).fill_null(False)
        if t == "integer":
            return _integer_shape(col)
        return col.str.contains(_FAST_SHAPE[t]).fill_null(False)

    def _typed(self, col: pl.Expr) -> pl.Expr:
        t = self.type
        if t == "integer":
            return col.cast(pl.Int64, strict=False)
        if t == "number":
            return col.cast(pl.Float64, strict=False)
        if t == "date":
            return col.str.to_date("%Y-%m-%d", strict=False)
        return col

    def _fast_constraints(self, col: pl.Expr, typed: pl.Expr | None) -> dict[str, pl.Expr]:
        out: dict[str, pl.Expr] = {}
        for name, value in self.constraints.items():
            if name == "required":
                continue
            if name == "pattern":
                continue  # see :meth:`expressions`
            if name in ("minLength", "maxLength"):
                length = col.str.len_chars()
                out[name] = length < int(value) if name == "minLength" else length > int(value)
            elif name == "enum":
                out[name] = ~self._enum_ok(col, value, typed)
            elif name in BOUNDS and typed is not None:
                bound = self._cast_constant(value)
                if bound is None:
                    continue
                out[name] = {
                    "minimum": typed < bound,
                    "maximum": typed > bound,
                    "exclusiveMinimum": typed <= bound,
                    "exclusiveMaximum": typed >= bound,
                }[name]
        return out

    def _cast_constant(self, value: Any) -> Any:
        import datetime as dt

        try:
            if self.type == "integer":
                return int(value)
            if self.type == "number":
                return float(Decimal(str(value)))
            if self.type == "date":
                return dt.date.fromisoformat(str(value))
        except (ValueError, ArithmeticError):
            return None
        return None

    def _enum_ok(self, col: pl.Expr, allowed: list[Any], typed: pl.Expr | None) -> pl.Expr:
        if self.type == "string":
            return col.is_in([v for v in allowed if isinstance(v, str)]).fill_null(False)
        keys = []
        for value in allowed:
            target, notes = self.type_reader(value)
            if target is not None and not (notes and "type" in notes):
                keys.append(canonical(self.type, target))
        if self.type == "datetime":
            return pl.lit(True)  # decided by the reference reader (see _can_vectorise)
        return self._fast_key(col, typed).is_in(keys).fill_null(False)

    def _fast_key(self, col: pl.Expr, typed: pl.Expr | None = None) -> pl.Expr:
        """Canonical typed value of fast-path cells (see :func:`canonical`); ``typed``,
        when the stage computed it, is :meth:`_typed` of ``col``, reused."""
        t = self.type
        if t == "integer":  # fast integers fit in Int64: str(int) is the canonical form
            if typed is None:
                typed = col.cast(pl.Int64, strict=False)
            return pl.lit("n:") + typed.cast(pl.String)
        if t == "number":
            return pl.lit("n:") + _number_key(col)
        if t == "boolean":
            trues, _ = self._true_false
            return pl.when(col.is_in(trues)).then(pl.lit("b:true")).otherwise(pl.lit("b:false"))
        if t == "date":
            if typed is None:
                typed = col.str.to_date("%Y-%m-%d", strict=False)
            return pl.lit("d:") + typed.cast(pl.String)
        return pl.lit("s:") + col


def _integer_shape(col: pl.Expr) -> pl.Expr:
    """``_FAST_SHAPE["integer"]`` without a regex: polars' cast reads ``[+-]?[0-9]+``
    within Int64, nothing else (no space, underscore or other digit: see the tests), so
    a cast that succeeds on at most 18 bytes without a ``+`` is that shape (a negative of
    18 digits goes to the reference reader). A third of the regex's time, and the cast is
    the one the bounds and the keys read (polars computes it once)."""
    read = col.cast(pl.Int64, strict=False).is_not_null()
    return (read & (col.str.len_bytes() <= 18) & ~col.str.starts_with("+")).fill_null(False)


def _any(pre: dict[str, pl.Series], key: str, mask: pl.Series) -> bool:
    """``mask.any()``, read from the batch query when it computed it."""
    scalar = pre.get(f"any:{key}")
    return bool(scalar[0]) if scalar is not None else bool(mask.any())


def _mask(n: int, hits: list[int]) -> pl.Series:
    """A boolean Series of length ``n``, true at ``hits``. Scattered in polars: faster
    than from a numpy array, whose Series imports ``numpy.ma`` (16–46 ms, once)."""
    return pl.repeat(False, n, eager=True).scatter(hits, True).alias("")


def _number_key(col: pl.Expr) -> pl.Expr:
    """``-?[0-9]+(.[0-9]+)?`` written canonically: ``007.50`` → ``7.5``, ``-0`` → ``0``."""
    neg = col.str.starts_with("-")
    parts = col.str.strip_chars_start("-").str.split_exact(".", 1)
    whole = parts.struct.field("field_0").str.strip_chars_start("0")
    whole = pl.when(whole == "").then(pl.lit("0")).otherwise(whole)
    frac = parts.struct.field("field_1").fill_null("").str.strip_chars_end("0")
    num = pl.when(frac == "").then(whole).otherwise(whole + pl.lit(".") + frac)
    return pl.when(neg & (num != "0")).then(pl.lit("-") + num).otherwise(num)


def _datetime_key(value: str | None) -> str | None:
    if value is None:
        return None
    from dateutil import parser

    try:
        return canonical("datetime", parser.isoparse(value))
    except (ValueError, OverflowError):
        return None


NAN_KEY = "x:NaN"
"""The key :func:`canonical` gives NaN, which Python finds unequal to everything, itself
included: two NaN cells are no duplicate for frictionless. Its verdict is remembered per
distinct text, so each cell gets a key of its own from :func:`unequal_keys`."""
_unequal = itertools.count()


def unequal_keys(keys: list[str | None]) -> list[str | None]:
    """``keys`` with each :data:`NAN_KEY` made unique (a key id(value) made of the
    NaN read once reused a freed object's id: « NaN » and « nan » were duplicates)."""
    return [f"{NAN_KEY}:{next(_unequal)}" if k == NAN_KEY else k for k in keys]


def canonical(type_: str, value: Any) -> str:
    """A string equal for two typed values exactly when Python finds them equal.

    Keys (unique, primary, foreign) compare typed values as frictionless does: 1, 1.0 and
    ``Decimal("1.00")`` are the same number; a string never equals a number.
    """
    import datetime as dt

    if isinstance(value, bool):
        return "b:true" if value else "b:false"
    if isinstance(value, int | Decimal | float):
        if isinstance(value, float):
            value = Decimal(repr(value))
        if isinstance(value, Decimal) and value.is_nan():
            return NAN_KEY  # never equal to itself: each cell gets its own (unequal_keys)
        text = format(Decimal(value).normalize(), "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return "n:" + ("0" if text in ("-0", "") else text)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:  # dateutil reads +25:00, which astimezone refuses
            offset = value.tzinfo.utcoffset(value) or dt.timedelta(0)
            return "t:" + (value.replace(tzinfo=None) - offset).isoformat() + "Z"
        return "t:" + value.isoformat()
    if isinstance(value, dt.date):
        return "d:" + value.isoformat()
    if isinstance(value, str):
        return "s:" + value
    return "o:" + repr(value)


# --------------------------------------------------------------------------- reference readers
# Ports of frictionless 5.21's value readers and constraint checks (fields/*.py,
# schema/field.py) for the common types; the differential tests keep them honest.


def _string_reader(fmt: str):
    if fmt == "uri":
        import rfc3986

        def read_uri(cell: Any):
            if not isinstance(cell, str):
                return None
            validator = rfc3986.validators.Validator().require_presence_of("scheme")
            try:
                validator.validate(rfc3986.uri_reference(cell))
            except rfc3986.exceptions.ValidationError:
                return None
            return cell

        return read_uri
    if fmt == "email":
        import validators

        def read_email(cell: Any):
            if not isinstance(cell, str) or not validators.email(cell):
                return None
            return cell

        return read_email
    return lambda cell: cell if isinstance(cell, str) else None


def _integer_value(cell: Any):
    if isinstance(cell, str):
        try:
            return int(cell.strip())
        except Exception:
            return None
    if cell is True or cell is False:
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, Decimal) and cell % 1 == 0:
        return int(cell)
    return None


def _number_value(cell: Any):
    if isinstance(cell, str):
        try:
            return Decimal(cell.strip())
        except Exception:
            return None
    if isinstance(cell, Decimal):
        return cell
    if cell is True or cell is False:
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        return Decimal(str(cell))
    return None


def _number_value_float(cell: Any):
    if isinstance(cell, str):
        try:
            return float(cell.strip())
        except Exception:
            return None
    if isinstance(cell, float):
        return cell
    if cell is True or cell is False:
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, Decimal):
        return float(cell)
    return None


def _date_value(cell: Any):
    import datetime as dt

    if isinstance(cell, dt.datetime):
        if cell.hour == 0 and cell.minute == 0 and cell.second == 0:
            return dt.datetime(cell.year, cell.month, cell.day).date()
        return None
    if isinstance(cell, dt.date):
        return cell
    if not isinstance(cell, str):
        return None
    try:
        return dt.datetime.strptime(cell, "%Y-%m-%d").date()
    except Exception:
        return None


def _datetime_value(cell: Any):
    import datetime as dt

    if isinstance(cell, dt.datetime):
        return cell
    if not isinstance(cell, str):
        return None
    try:
        from dateutil import parser

        assert cell[16] == ":"
        assert len(cell) >= 19
        return parser.isoparse(cell)
    except Exception:
        return None


def _year_value(cell: Any):
    """Four characters that ``int`` reads, 0 to 9999 (so " 202" and "1_00" too, as in
    frictionless: the native reader spares its 0.6 s import to schemas with a year)."""
    if not isinstance(cell, int):
        if not isinstance(cell, str) or len(cell) != 4:
            return None
        try:
            cell = int(cell)
        except ValueError:
            return None
    return cell if 0 <= cell <= 9999 else None


def _within(compare, cell: Any, bound: Any) -> bool:
    """``compare(cell, bound)``, also where one has a UTC offset and the other not, which
    Python refuses (frictionless stops on it: « can't compare offset-naive and
    offset-aware datetimes », one ``Z`` cell and no report for the whole file). A date-time
    without offset is Paris wall-clock time, as everywhere in the project
    (:mod:`.paris`); a time of day has no date to place it in Paris, so two times are
    compared as written, their offsets aside."""
    try:
        return bool(compare(cell, bound))
    except TypeError:
        import datetime as dt
        from zoneinfo import ZoneInfo

        from moisinno_data.package.paris import TIMEZONE

        if isinstance(cell, dt.datetime) and isinstance(bound, dt.datetime):
            zone = ZoneInfo(TIMEZONE)
            cell, bound = (v if v.tzinfo else v.replace(tzinfo=zone) for v in (cell, bound))
        elif isinstance(cell, dt.time) and isinstance(bound, dt.time):
            cell, bound = cell.replace(tzinfo=None), bound.replace(tzinfo=None)
        else:
            raise
        return bool(compare(cell, bound))


def _membership(allowed: list[Any]) -> Callable[[Any], bool]:
    """``c in allowed`` (None passes) in constant time where the values can be hashed:
    a list searched per cell made a 100,000-value integer enum cost 55 s before the first
    row (each of its values read, and checked against them all). Equal values hash alike
    (``1``, ``1.0``, ``Decimal(1)``, ``True``), so the verdicts are the list's."""
    try:
        kept = frozenset(allowed)
    except TypeError:  # a JSON object or array among them: searched as frictionless does
        return lambda c: c is None or c in allowed

    def member(c: Any) -> bool:
        try:
            return c is None or c in kept
        except TypeError:  # an unhashable cell (an object's dict)
            return c in allowed

    return member


def _enum_checked(reader, value_reader, enum: list[Any]):
    """``reader`` that also says ``enum`` for a value read outside ``enum``'s values, read
    as frictionless reads them (an unreadable one allows nothing); None, a missing value,
    passes, as in frictionless."""
    member = _membership([value_reader(v) for v in enum])

    def read(cell: Any):
        target, notes = reader(cell)
        if (notes and "type" in notes) or member(target):
            return target, notes
        return target, {**(notes or {}), "enum": 'constraint "enum"'}

    return read


def _cell_reader(value_reader, type_: str, fmt: str, constraints: dict, missing_values: list):
    import operator

    checks: dict[str, Any] = {}
    for name, constraint in constraints.items():
        if name in BOUNDS:
            bound = value_reader(constraint)
            compare = {
                "minimum": operator.ge,
                "maximum": operator.le,
                "exclusiveMinimum": operator.gt,
                "exclusiveMaximum": operator.lt,
            }[name]
            checks[name] = lambda c, b=bound, f=compare: c is None or (c == c and _within(f, c, b))
        elif name == "enum":
            checks[name] = _membership([value_reader(v) for v in constraint])
        elif name == "minLength":
            checks[name] = lambda c, n=constraint: c is None or len(c) >= n
        elif name == "maxLength":
            checks[name] = lambda c, n=constraint: c is None or len(c) <= n
        elif name == "required":
            checks[name] = lambda c, r=constraint: not (r and c is None)

    def cell_reader(cell: Any):
        notes: dict[str, str] | None = None
        if str(cell) in missing_values:
            cell = None
        if cell is not None:
            cell = value_reader(cell)
            if cell is None:
                notes = {"type": f'type is "{type_}/{fmt}"'}
        if not notes:
            for name, check in checks.items():
                if not check(cell):
                    notes = notes or {}
                    notes[name] = f'constraint "{name}"'  # not its value: a list of 10⁵ codes
        return cell, notes

    return cell_reader


_PLAIN = {
    "number": re.compile(r"(?:0|-?[1-9][0-9]{0,14})(?:\.[0-9]{0,14}[1-9])?|-?0\.[0-9]{0,14}[1-9]"),
    "date": re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"),
}
"""Values a field of this type (default format, plain numbers) reads as themselves, each
in its one spelling: 15 digits at most, no zero ahead or after the point, no ``-0``.
(2023-02-30 matches, and the reader refuses it: either way the identity keeps it as
written.)"""


def field_checkers(schema: Mapping[str, Any]) -> dict[str, FieldChecker]:
    """A checker for each field of ``schema``, by name, with the schema's missing values:
    what compares or reads cells one at a time outside the engine (consolidate, diff)."""
    missing = list(schema.get("missingValues", [""]))
    return {f["name"]: FieldChecker(dict(f), missing) for f in schema.get("fields", [])}


def typed_texts(schema: Mapping[str, Any]) -> Callable[[str, str], str | None]:
    """(field, cell) → the cell as its field reads it, in one spelling
    (:meth:`FieldChecker.typed_text`; None for a field the schema lacks or a cell its type
    does not read): how consolidate and diff know a row of a table without identifier."""
    checkers = field_checkers(schema)

    def read(name: str, cell: str) -> str | None:
        checker = checkers.get(name)
        return None if checker is None else checker.typed_text(cell)

    return read
