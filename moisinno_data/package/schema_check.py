"""Check a Table Schema before any data is read against it: :func:`check_schema`.

A schema is written by hand, often by someone who is not a developer; its mistakes must be
told as such, in French, naming the field and the key, rather than surfacing later as an
internal error in English (frictionless's) or, worse, as a check that silently does not run.

Two levels:

- **errors** (:class:`SchemaError`, a :class:`~moisinno_data.errors.ConfigError`: exit 2):
  what makes the schema unusable or its meaning unknowable — an unknown type or format, an
  invalid regular expression, a bound that is not a value of the field's type, a key that
  names no field, a ``custom_checks`` entry without a name;
- **warnings** (:class:`SchemaNote`, shown in the report): what the schema says that no
  validator will apply — a misspelt key (``descripton``; other unknown keys are extension
  properties, which Table Schema allows), ``"required": true`` beside ``constraints``
  instead of inside it (which frictionless 5 refuses outright), ``constraint`` for
  ``constraints`` (frictionless ignores unknown field keys too). An unknown constraint, or
  one the field's type does not take, is an error: the author meant a check, and
  frictionless refuses such a field.

Which custom checks exist and which parameters they take is the validation stage's business
(:mod:`moisinno_data.validation.rules`); here only the shape of ``custom_checks`` is checked.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from moisinno_data.errors import ConfigError
from moisinno_data.package.descriptors import FieldDescriptor, SchemaDescriptor

MAX_DEPTH = 64
"""Nesting a schema may have (a real one has under 10): deeper is refused before anything
walks it recursively (frictionless's metadata validation, ``copy.deepcopy``…)."""

TYPES = (
    "string",
    "number",
    "integer",
    "boolean",
    "date",
    "datetime",
    "time",
    "year",
    "yearmonth",
    "duration",
    "geopoint",
    "geojson",
    "object",
    "array",
    "list",
    "any",
)
FORMATS: dict[str, tuple[str, ...]] = {
    "string": ("default", "email", "uri", "binary", "uuid", "wkt"),
    "geopoint": ("default", "array", "object"),
    "geojson": ("default", "topojson"),
}
"""Formats of each type; date and time types also take ``any`` or a strftime pattern."""
DATE_TYPES = ("date", "datetime", "time")

FIELD_KEYS = frozenset(
    {
        "name",
        "title",
        "description",
        "type",
        "format",
        "constraints",
        "rdfType",
        "example",
        "trueValues",
        "falseValues",
        "bareNumber",
        "floatNumber",
        "groupChar",
        "decimalChar",
        "missingValues",
        "categories",
        "categoriesOrdered",
        "itemType",
        "itemConstraints",
        "delimiter",
        "arrayItem",
    }
)
FIELDS_MATCH = ("exact", "equal", "subset", "superset", "partial")
"""Table Schema v2's ``fieldsMatch`` modes (:data:`.validation.resolution.BINDING` says
what each makes an error)."""
BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
LENGTHS = ("minLength", "maxLength")
CONSTRAINT_KEYS = frozenset({"required", "unique", "pattern", "enum", *BOUNDS, *LENGTHS})
ORDERED = ("integer", "number", "date", "datetime", "time", "year", "yearmonth")
SIZED = ("string", "array", "object", "list")
APPLIES: dict[str, tuple[str, ...]] = {
    "pattern": ("string",),
    "minLength": SIZED,
    "maxLength": SIZED,
    "enum": tuple(t for t in TYPES if t != "list"),
    **{bound: ORDERED for bound in BOUNDS},
}
"""Constraints that only some types take, as frictionless 5 reads them (``required`` and
``unique`` apply to every type)."""

ROOT_STRUCTURE = (
    "fields",
    "primaryKey",
    "foreignKeys",
    "uniqueKeys",
    "missingValues",
    "custom_checks",
    "fieldsMatch",
)
"""Root keys with a meaning for validation; other root keys are metadata (title, version…),
which Table Schema allows freely: only a near miss of these is worth a warning."""


class SchemaError(ConfigError, ValueError):
    """A schema could not be found, read or understood; the message is for the user (French).

    A :class:`ConfigError` so the CLI reports it in one line (exit 2); still a ValueError
    for callers that caught it as such."""


def wkt_checked() -> bool:
    """Whether frictionless can read the ``wkt`` string format here: it needs an optional
    module (``frictionless[wkt]``), without which it refuses the whole field, and
    validate stopped with « corrigez sa description dans le schéma » for a valid schema."""
    import importlib.util

    return importlib.util.find_spec("tatsu") is not None


CATEGORY_TYPES = {"string": str, "integer": int}
"""The types that Table Schema v2 lets carry ``categories``, and what their values are."""


def category_values(field: FieldDescriptor | dict[str, Any]) -> list[Any] | None:
    """The values a Table Schema v2 ``categories`` allows (``["a", "b"]`` or
    ``[{"value": 0, "label": "pomme"}]``); None when the field has none, or when they are
    not well formed (:meth:`_Checker.categories` says so, and they are ignored).

    v2 makes them binding, like an ``enum`` ("the logical representation of data in the
    field MUST exactly match one of the values in categories"); frictionless 5 ignores
    them, and a column with categories was left unchecked: every value passed."""
    items = field.get("categories")
    wanted = CATEGORY_TYPES.get(str(field.get("type", "string")))
    if wanted is None or not isinstance(items, list) or not items:
        return None
    if all(isinstance(item, dict) for item in items):
        items = [item.get("value") for item in items]
    values = [v for v in items if isinstance(v, wanted) and not isinstance(v, bool)]
    if len(values) != len(items) or len(set(values)) != len(values):
        return None
    return values


_Field = TypeVar("_Field", FieldDescriptor, dict[str, Any])


def with_categories(field: _Field) -> _Field:
    """``field`` whose v2 ``categories`` are an ``enum`` (when it has none of its own):
    they bind as one (:func:`category_values`), and every command that reads the field
    (validate, fix, consolidate) then checks, tells and mends them as one."""
    allowed = category_values(field)
    constraints = field.get("constraints") or {}
    if allowed is None or not isinstance(constraints, dict) or "enum" in constraints:
        return field
    return cast(_Field, {**field, "constraints": {**constraints, "enum": allowed}})


@dataclass(frozen=True)
class SchemaNote:
    """A warning about the schema itself: what it says that will not be applied."""

    field: str | None
    key: str
    fr: str
    en: str


def printable(value: Any) -> str:
    """``value`` as text fit for a one-line message: control, format and line-separator
    characters written as escapes (a key may hold a newline), long texts cut."""
    text = value if isinstance(value, str) else repr(value)
    text = "".join(
        f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c
        for c in text[:200]
    )
    return text if len(text) <= 60 else text[:57] + "…"


_quote = printable


def _closest(word: Any, choices: Any) -> str | None:
    if not isinstance(word, str):
        return None
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.7)
    return lowered[close[0]] if close else None


def _did_you_mean(word: Any, choices: Any) -> tuple[str, str]:
    close = _closest(word, choices)
    if close is None:
        return "", ""
    return f" (vouliez-vous dire « {close} » ?)", f' (did you mean "{close}"?)'


_NAME = re.compile(r"[-a-z0-9._/]+")
"""The name frictionless's schema profile accepts (``^([-a-z0-9._/])+$``)."""


class _Checker:
    """Walks one schema; collects notes and stops at the first error."""

    def __init__(self, schema: dict[str, Any], source: str | None) -> None:
        self.schema = schema
        self.source = source
        self.notes: list[SchemaNote] = []

    def fail(self, field: str | None, key: str, what: str, en: str) -> SchemaError:
        """The refusal of the schema at ``field``'s ``key``: ``what`` is wrong (``en``: the
        same in English, for ``--lang en``)."""
        field, key = (None if field is None else printable(field)), printable(key)
        where = f"champ « {field} », clé « {key} »" if field is not None else f"clé « {key} »"
        where_en = f'field "{field}", key "{key}"' if field is not None else f'key "{key}"'
        origin = f" ({self.source})" if self.source else ""
        return SchemaError(
            f"Schéma incorrect{origin} : {where} : {what}.",
            en=f"Invalid schema{origin}: {where_en}: {en}.",
        )

    def note(self, field: str | None, key: str, fr: str, en: str) -> None:
        """``fr``/``en`` are built with :func:`printable` names (see :meth:`field_keys`)."""
        self.notes.append(SchemaNote(field, key, fr, en))

    # -- the whole schema -------------------------------------------------------------

    def run(self) -> list[SchemaNote]:
        _check_depth(self)
        fields = self.schema.get("fields")
        if not isinstance(fields, list):
            raise self.fail(
                None,
                "fields",
                "absente ou n'est pas une liste de champs",
                "missing or not a list of fields",
            )
        if not fields:  # checks no column: every file would pass, each column unchecked
            raise self.fail(
                None,
                "fields",
                "le schéma ne déclare aucun champ (« fields » est vide), or chaque table a au "
                "moins une colonne, et rien ne serait contrôlé : ajoutez ses champs, par "
                'exemple "fields": [{"name": "id", "type": "string"}]',
                "the schema declares no field (“fields” is empty), and every table has at "
                "least one column, and nothing would be checked: add its fields, for instance "
                '"fields": [{"name": "id", "type": "string"}]',
            )
        names: list[str] = []
        seen: set[str] = set()  # a list searched per field made 16,000 fields cost seconds
        for position, field in enumerate(fields, start=1):
            names.append(self.field(field, position, seen))
            seen.add(names[-1])
        self.root_keys()
        self.fields_match()
        self.missing_values(None, self.schema)
        self.keys(names)
        self.custom_checks()
        return self.notes

    def fields_match(self) -> None:
        """Table Schema v2's ``fieldsMatch`` is applied (:mod:`.validation.resolution`);
        an unknown mode is said, the header then read tolerantly as without one."""
        if "fieldsMatch" not in self.schema or self.schema["fieldsMatch"] in FIELDS_MATCH:
            return
        modes = ", ".join(FIELDS_MATCH)
        fr, en = _did_you_mean(self.schema["fieldsMatch"], FIELDS_MATCH)
        self.note(
            None,
            "fieldsMatch",
            f"« fieldsMatch » vaut « {_quote(self.schema['fieldsMatch'])} »{fr}, mode inconnu "
            f"({modes}) ; ignoré, l'en-tête est lu sans lui",
            f'"fieldsMatch" is "{_quote(self.schema["fieldsMatch"])}"{en}, an unknown mode '
            f"({modes}); ignored, the header is read without it",
        )

    def root_keys(self) -> None:
        self.root_name()
        for key in self.schema:
            if not isinstance(key, str) or key in ROOT_STRUCTURE:
                continue
            close = _closest(key, ROOT_STRUCTURE)
            if close is not None:
                self.note(
                    None,
                    key,
                    f"la clé « {printable(key)} » du schéma n'est pas reconnue (vouliez-vous dire "
                    f"« {close} » ?) : elle est ignorée",
                    f'schema key "{printable(key)}" is not recognised (did you mean "{close}"?): '
                    "it is ignored",
                )

    def root_name(self) -> None:
        """frictionless refuses the whole schema when its ``name`` is not a lower-case
        identifier (``Arbres urbains``, seen in a published schema): said, then read."""
        name = self.schema.get("name")
        if "name" not in self.schema or (isinstance(name, str) and _NAME.fullmatch(name)):
            return
        shown = printable(name)
        self.note(
            None,
            "name",
            f"le nom du schéma « {shown} » n'est pas de la forme qu'exige frictionless "
            "(minuscules, chiffres et « - . _ / », ex. « arbres-urbains ») : frictionless "
            "refuse ce schéma ; corrigez son nom",
            f'the schema name "{shown}" is not of the form frictionless requires (lower case, '
            'digits and "- . _ /", e.g. "arbres-urbains"): frictionless refuses this schema; '
            "fix its name",
        )

    def missing_values(self, field: str | None, holder: dict[str, Any]) -> None:
        values = holder.get("missingValues")
        if "missingValues" in holder and not (
            isinstance(values, list) and all(isinstance(v, str) for v in values)
        ):
            raise self.fail(
                field,
                "missingValues",
                'doit être une liste de textes, ex. [""]',
                'must be a list of texts, e.g. [""]',
            )

    # -- one field --------------------------------------------------------------------

    def field(self, field: Any, position: int, seen: set[str]) -> str:
        if not isinstance(field, dict):
            raise self.fail(
                None,
                f"fields[{position}]",
                "chaque champ doit être un objet JSON",
                "each field must be a JSON object",
            )
        name = field.get("name")
        if not isinstance(name, str) or not name.strip():
            raise self.fail(
                f"n° {position}",
                "name",
                "chaque champ doit avoir un nom (texte non vide)",
                "each field must have a name (a non-empty text)",
            )
        if name in seen:
            raise self.fail(name, "name", "deux champs portent ce nom", "two fields have this name")
        ftype = self.field_type(name, field)
        self.field_format(name, field, ftype)
        self.field_keys(name, field)
        self.field_options(name, field)
        self.categories(name, field, ftype)
        self.item_constraints(name, field)
        constraints = field.get("constraints")
        if constraints is None and "constraints" in field:  # frictionless refuses a null
            self.note(
                name,
                "constraints",
                f"champ « {printable(name)} » : « constraints » vaut null ; ignoré",
                f'field "{printable(name)}": "constraints" is null; ignored',
            )
        elif constraints is not None:
            if not isinstance(constraints, dict):
                raise self.fail(
                    name,
                    "constraints",
                    "doit être un objet JSON ({…})",
                    "must be a JSON object ({…})",
                )
            for key, value in constraints.items():
                self.constraint(name, field, ftype, key, value)
        return name

    def field_type(self, name: str, field: dict[str, Any]) -> str:
        ftype = field.get("type", "string")
        if ftype in TYPES:
            return ftype
        fr, en = _did_you_mean(ftype, TYPES)
        raise self.fail(
            name,
            "type",
            f"type « {_quote(ftype)} » inconnu{fr} ; types possibles : {', '.join(TYPES)}",
            f'unknown type "{_quote(ftype)}"{en}; possible types: {", ".join(TYPES)}',
        )

    def field_format(self, name: str, field: dict[str, Any], ftype: str) -> None:
        if "format" not in field:
            return
        fmt = field["format"]
        if (
            ftype in DATE_TYPES
            and isinstance(fmt, str)
            and (fmt in ("default", "any") or "%" in fmt)
        ):
            return
        allowed = FORMATS.get(ftype, ("default",))
        if fmt == "wkt" and ftype == "string" and not wkt_checked():
            self.note(
                name,
                "format",
                f"champ « {printable(name)} » : le format wkt n'est pas vérifié ici (frictionless "
                "demande pour lui le module tatsu, absent) ; la colonne est lue comme du texte",
                f'field "{printable(name)}": the wkt format is not checked here (frictionless '
                "needs the tatsu module for it, not installed); the column is read as text",
            )
            return
        if fmt in allowed:
            return
        fr, en = _did_you_mean(fmt, allowed)
        dated = ftype in DATE_TYPES
        extra = " ou un motif strftime comme %d/%m/%Y" if dated else ""
        extra_en = " or a strftime pattern such as %d/%m/%Y" if dated else ""
        raise self.fail(
            name,
            "format",
            f"format « {_quote(fmt)} » inconnu pour le type {ftype}{fr} ; formats possibles : "
            f"{', '.join(allowed)}{extra}",
            f'unknown format "{_quote(fmt)}" for type {ftype}{en}; possible formats: '
            f"{', '.join(allowed)}{extra_en}",
        )

    def field_keys(self, name: str, field: dict[str, Any]) -> None:
        for key in field:
            if key in FIELD_KEYS:
                continue
            if key in CONSTRAINT_KEYS:
                refused = key == "required"  # frictionless 5 ignores the others there
                said_fr = ", et frictionless refuse le schéma (le datapackage.json publié aussi)"
                said_en = (
                    ", and frictionless refuses the schema (the published datapackage.json too)"
                )
                self.note(
                    name,
                    key,
                    f"champ « {printable(name)} » : « {printable(key)} » doit être placé dans « constraints » ; "
                    "écrit à côté, il n'est pas appliqué" + (said_fr if refused else ""),
                    f'field "{printable(name)}": "{printable(key)}" belongs inside "constraints"; written beside '
                    "it, it is not applied" + (said_en if refused else ""),
                )
                continue
            fr, en = _did_you_mean(key, FIELD_KEYS)
            if not fr:  # an extension property (Table Schema allows them), as at the root
                continue
            self.note(
                name,
                str(key),
                f"champ « {printable(name)} » : clé « {printable(key)} » inconnue{fr}, ignorée",
                f'field "{printable(name)}": unknown key "{printable(key)}"{en}, ignored',
            )

    def field_options(self, name: str, field: dict[str, Any]) -> None:
        for key in ("trueValues", "falseValues"):
            values = field.get(key)
            if key in field and not (
                isinstance(values, list) and values and all(isinstance(v, str) for v in values)
            ):
                raise self.fail(
                    name,
                    key,
                    'doit être une liste de textes, ex. ["oui"]',
                    'must be a list of texts, e.g. ["yes"]',
                )
        for key in ("groupChar", "decimalChar"):
            value = field.get(key)
            empty_ok = key == "groupChar"  # "": no grouping, as frictionless reads it
            if key in field and not (isinstance(value, str) and (value or empty_ok)):
                raise self.fail(
                    name, key, 'doit être un caractère, ex. ","', 'must be a character, e.g. ","'
                )
        for key in ("bareNumber", "floatNumber"):
            value = field.get(key)
            if key in field and not isinstance(value, bool):
                raise self.fail(name, key, "doit valoir true ou false", "must be true or false")
        for key in ("title", "description", "rdfType"):  # what frictionless takes as text
            if key in field and not isinstance(field[key], str):
                self.note(
                    name,
                    key,
                    f"champ « {printable(name)} » : « {key} » doit être un texte ; ignoré",
                    f'field "{printable(name)}": "{key}" must be text; ignored',
                )
        if "arrayItem" in field and not isinstance(field["arrayItem"], dict):
            raise self.fail(
                name,
                "arrayItem",
                'doit décrire les éléments, ex. {"type": "integer"}',
                'must describe the items, e.g. {"type": "integer"}',
            )
        self.missing_values(name, field)

    def categories(self, name: str, field: dict[str, Any], ftype: str) -> None:
        """v2 ``categories`` are checked as an ``enum`` (:func:`category_values`); what
        cannot be is said, rather than left unchecked without a word."""
        if "categories" in field and category_values(field) is None:
            if ftype not in CATEGORY_TYPES:
                fr = "ne s'applique qu'aux types string et integer"
                en = "only applies to the string and integer types"
            else:
                example = '["pomme", "poire"]' if ftype == "string" else "[1, 2]"
                fr = (
                    f"doit être une liste de valeurs {ftype} distinctes, ex. {example}, "
                    'ou d\'objets {"value": …} aux valeurs distinctes'
                )
                en = f'must be a list of distinct {ftype} values, or of objects {{"value": …}}'
            self.note(
                name,
                "categories",
                f"champ « {printable(name)} » : « categories » {fr} ; ignoré, ses valeurs ne "
                "sont pas contrôlées",
                f'field "{printable(name)}": "categories" {en}; ignored, its values are not '
                "checked",
            )
        if "categoriesOrdered" in field and not isinstance(field["categoriesOrdered"], bool):
            self.note(
                name,
                "categoriesOrdered",
                f"champ « {printable(name)} » : « categoriesOrdered » doit valoir true ou "
                "false ; ignoré",
                f'field "{printable(name)}": "categoriesOrdered" must be true or false; ignored',
            )
        self.enum_within_categories(name, field)

    def item_constraints(self, name: str, field: dict[str, Any]) -> None:
        """``itemConstraints`` beside a list: no validator applies them (frictionless 5
        has no such key, the Table Schema v2 list only ``delimiter`` and ``itemType``), and
        they were skipped without a word, every item passing."""
        if "itemConstraints" not in field:
            return
        self.note(
            name,
            "itemConstraints",
            f"champ « {printable(name)} » : « itemConstraints » n'est appliqué ni par "
            "moisinno ni par frictionless (une liste n'a que « delimiter » et « itemType ») ; "
            "ses éléments ne sont pas contrôlés : pour les contrôler, décrivez la colonne en "
            "texte (string) avec un motif, ex. ^(a|b)(,(a|b))*$",
            f'field "{printable(name)}": "itemConstraints" is applied by neither moisinno nor '
            'frictionless (a list only has "delimiter" and "itemType"); its items are not '
            "checked: to check them, describe the column as text (string) with a pattern, "
            "e.g. ^(a|b)(,(a|b))*$",
        )

    def enum_within_categories(self, name: str, field: dict[str, Any]) -> None:
        """v2: an ``enum`` beside ``categories`` must be a subset of them; the ``enum``,
        frictionless's constraint, is the one checked."""
        allowed, constraints = category_values(field), field.get("constraints")
        enum = constraints.get("enum") if isinstance(constraints, dict) else None
        if allowed is None or not isinstance(enum, list):
            return
        outside = [v for v in enum if v not in allowed]
        if outside:
            listed = ", ".join(printable(v) for v in outside[:5])
            self.note(
                name,
                "constraints.enum",
                f"champ « {printable(name)} » : la contrainte « enum » admet des valeurs "
                f"absentes de « categories » ({listed}) ; c'est « enum » qui est contrôlée",
                f'field "{printable(name)}": the "enum" constraint allows values that '
                f'"categories" does not ({listed}); "enum" is what is checked',
            )

    # -- one constraint ---------------------------------------------------------------

    def constraint(
        self, name: str, field: dict[str, Any], ftype: str, key: Any, value: Any
    ) -> None:
        """An unknown or inapplicable constraint is an error: the author meant a check, and
        frictionless refuses such a field outright."""
        if key not in CONSTRAINT_KEYS:
            fr, en = _did_you_mean(key, CONSTRAINT_KEYS)
            known = ", ".join(sorted(CONSTRAINT_KEYS))
            raise self.fail(
                name,
                f"constraints.{key}",
                f"contrainte inconnue{fr} ; contraintes possibles : {known}",
                f"unknown constraint{en}; possible constraints: {known}",
            )
        if key in APPLIES and ftype not in APPLIES[key]:
            types = ", ".join(APPLIES[key])
            raise self.fail(
                name,
                f"constraints.{key}",
                f"cette contrainte ne s'applique pas au type {ftype} (seulement : {types})",
                f"this constraint does not apply to type {ftype} (only: {types})",
            )
        _check_constraint_value(self, name, field, ftype, key, value)

    # -- keys and custom checks -------------------------------------------------------

    def keys(self, names: list[str]) -> None:
        self.field_list(None, "primaryKey", self.schema.get("primaryKey"), names)
        unique = self.schema.get("uniqueKeys")
        if unique is not None:
            if not isinstance(unique, list):
                raise self.fail(
                    None,
                    "uniqueKeys",
                    "doit être une liste de listes de champs",
                    "must be a list of lists of fields",
                )
            for key in unique:
                self.field_list(None, "uniqueKeys", key, names)
        foreign = self.schema.get("foreignKeys")
        if foreign is None:
            return
        if not isinstance(foreign, list):
            raise self.fail(None, "foreignKeys", "doit être une liste", "must be a list")
        for fk in foreign:
            self.foreign_key(fk, names)

    def field_list(self, field: str | None, key: str, value: Any, names: list[str] | None) -> int:
        """Check a field name or list of names (``names`` None: any name); return its length."""
        if value is None:
            return 0
        listed = [value] if isinstance(value, str) else value
        if not isinstance(listed, list) or not all(isinstance(v, str) for v in listed):
            raise self.fail(
                field,
                key,
                "doit être un nom de champ ou une liste de noms",
                "must be a field name or a list of names",
            )
        for item in listed:
            if names is not None and item not in names:
                fr, en = _did_you_mean(item, names)
                raise self.fail(
                    field,
                    key,
                    f"le champ « {item} » n'existe pas dans le schéma{fr}",
                    f'field "{item}" is not in the schema{en}',
                )
        return len(listed)

    def foreign_key(self, fk: Any, names: list[str]) -> None:
        if not isinstance(fk, dict) or not isinstance(fk.get("reference"), dict):
            raise self.fail(
                None,
                "foreignKeys",
                'chaque clé étrangère est un objet {"fields": …, "reference": {"resource": …, '
                '"fields": …}}',
                'each foreign key is an object {"fields": …, "reference": {"resource": …, '
                '"fields": …}}',
            )
        count = self.field_list(None, "foreignKeys.fields", fk.get("fields"), names)
        reference = fk["reference"]
        resource = reference.get("resource", "")
        if not isinstance(resource, str):
            raise self.fail(
                None,
                "foreignKeys.reference.resource",
                "doit être un nom de table",
                "must be a table name",
            )
        own = names if resource in ("", self.schema.get("name")) else None
        if count == 0 or count != self.field_list(
            None, "foreignKeys.reference.fields", reference.get("fields"), own
        ):
            raise self.fail(
                None,
                "foreignKeys",
                "« fields » et « reference.fields » doivent nommer autant de champs, au moins un",
                '"fields" and "reference.fields" must name as many fields, at least one',
            )

    def custom_checks(self) -> None:
        checks = self.schema.get("custom_checks")
        if checks is None:
            return
        if not isinstance(checks, list):
            raise self.fail(
                None,
                "custom_checks",
                "doit être une liste de contrôles",
                "must be a list of checks",
            )
        for position, check in enumerate(checks, start=1):
            where = f"custom_checks[{position}]"
            if not isinstance(check, dict) or not isinstance(check.get("name"), str):
                raise self.fail(
                    None,
                    where,
                    'chaque contrôle est un objet {"name": …, "params": {…}}',
                    'each check is an object {"name": …, "params": {…}}',
                )
            params = check.get("params")
            if params is not None and not isinstance(params, dict):
                raise self.fail(
                    None,
                    f"{where}.params",
                    "doit être un objet JSON ({…})",
                    "must be a JSON object ({…})",
                )


def _check_depth(checker: _Checker) -> None:
    """Refuse a schema nested deeper than :data:`MAX_DEPTH`, without recursion; the error
    names the field and the key under which the nesting goes on."""
    fields = checker.schema.get("fields")
    tops: list[tuple[Any, str | None, str]] = []
    for key, value in checker.schema.items():
        if key == "fields" and isinstance(fields, list):
            for field in fields:
                owner = field.get("name") if isinstance(field, dict) else None
                items = field.items() if isinstance(field, dict) else [("fields", field)]
                tops += [(v, owner if isinstance(owner, str) else None, str(k)) for k, v in items]
        else:
            tops.append((value, None, str(key)))
    stack = [(node, 3, field, key) for node, field, key in tops]
    while stack:
        node, depth, field, key = stack.pop()
        if depth > MAX_DEPTH:
            raise checker.fail(
                field,
                key,
                f"imbrication de plus de {MAX_DEPTH} niveaux, refusée",
                f"nesting deeper than {MAX_DEPTH} levels, refused",
            )
        if isinstance(node, dict):
            stack.extend((v, depth + 1, field, key) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1, field, key) for v in node)


def _check_constraint_value(
    checker: _Checker, name: str, field: dict[str, Any], ftype: str, key: str, value: Any
) -> None:
    fail = checker.fail
    if key in ("required", "unique") and not isinstance(value, bool):
        shown = _quote(value)
        raise fail(
            name,
            key,
            f"doit valoir true ou false, pas « {shown} »",
            f'must be true or false, not "{shown}"',
        )
    if key in LENGTHS and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        shown = _quote(value)
        raise fail(
            name,
            key,
            f"doit être un entier positif, pas « {shown} »",
            f'must be a positive integer, not "{shown}"',
        )
    if key == "enum" and not (isinstance(value, list) and value):
        raise fail(
            name,
            key,
            "doit être une liste non vide de valeurs permises",
            "must be a non-empty list of allowed values",
        )
    if key == "pattern":
        _check_pattern(checker, name, value)
    if key in BOUNDS and not _bound_ok(value, ftype, field.get("format", "default")):
        raise fail(
            name,
            key,
            f"la borne « {_quote(value)} » n'est pas une valeur de type {ftype}",
            f'the bound "{_quote(value)}" is not a value of type {ftype}',
        )


def _check_pattern(checker: _Checker, name: str, pattern: Any) -> None:
    if not isinstance(pattern, str):
        raise checker.fail(
            name,
            "pattern",
            "doit être une expression régulière (texte)",
            "must be a regular expression (a text)",
        )
    try:
        re.compile(f"^(?:{pattern})$")
    except (re.error, RecursionError, OverflowError, ValueError) as exc:
        detail = str(getattr(exc, "msg", "") or exc)
        raise checker.fail(
            name,
            "pattern",
            f"expression régulière invalide « {_quote(pattern)} » ({detail})",
            f'invalid regular expression "{_quote(pattern)}" ({detail})',
        ) from None


def _bound_ok(value: Any, ftype: str, fmt: Any) -> bool:
    """Whether a minimum/maximum is a value of the field's type (as frictionless reads it)."""
    if isinstance(value, bool):
        return False
    text = str(value).strip() if isinstance(value, int | float | str) else None
    if text is None:
        return ftype == "yearmonth" and isinstance(value, list) and len(value) == 2
    try:
        return _read_bound(text, ftype, fmt)
    except (ValueError, TypeError, OverflowError):
        return False


def _read_bound(text: str, ftype: str, fmt: Any) -> bool:
    if ftype in ("integer", "year"):
        return isinstance(int(text), int)
    if ftype == "number":
        return math.isfinite(float(text))
    if ftype == "yearmonth":
        return isinstance(dt.date.fromisoformat(text + "-01"), dt.date)
    if ftype == "duration":
        return text.startswith("P")
    if isinstance(fmt, str) and "%" in fmt:
        return isinstance(dt.datetime.strptime(text, fmt.removeprefix("fmt:")), dt.datetime)
    if ftype == "date":
        return isinstance(dt.date.fromisoformat(text), dt.date) and len(text) == 10
    if ftype == "datetime":
        return len(text) >= 19 and isinstance(dt.datetime.fromisoformat(text), dt.datetime)
    if ftype == "time":
        return isinstance(dt.time.fromisoformat(text), dt.time)
    return False


def check_schema(schema: Any, source: str | None = None) -> list[SchemaNote]:
    """The warnings about ``schema``; raises :class:`SchemaError` on the first error.

    ``source`` (a path or table name) is named in the error message.
    """
    if not isinstance(schema, dict):
        origin = f" ({source})" if source else ""
        raise SchemaError(
            f"Schéma incorrect{origin} : un Table Schema est un objet JSON ({{…}}).",
            en=f"Incorrect schema{origin}: a Table Schema is a JSON object ({{…}}).",
        )
    return _Checker(schema, source).run()


def without_ignored(schema: SchemaDescriptor, notes: list[SchemaNote]) -> SchemaDescriptor:
    """A copy of ``schema`` whose fields no longer hold the keys the notes say are ignored.

    What a validator runs on: frictionless refuses a field with ``"required"`` beside
    ``constraints`` outright, and the engine hands it some fields. The user's dict is left
    as it is (the notes are about it).
    """
    dropped: dict[str, set[str]] = {}
    for note in notes:
        if note.field is not None:
            dropped.setdefault(note.field, set()).add(note.key)
    if not dropped:
        return schema
    fields = [_without(f, dropped) if isinstance(f, dict) else f for f in schema["fields"]]
    return {**schema, "fields": fields}


def _without(field: FieldDescriptor, dropped: dict[str, set[str]]) -> FieldDescriptor:
    """``field`` less the keys dropped for its name (a nameless field keeps them all)."""
    name = field.get("name")
    ignored = dropped.get(name, set()) if isinstance(name, str) else set()
    return cast(FieldDescriptor, {k: v for k, v in field.items() if k not in ignored})  # fewer keys


__all__ = [
    "MAX_DEPTH",
    "TYPES",
    "SchemaError",
    "SchemaNote",
    "category_values",
    "check_schema",
    "printable",
    "with_categories",
    "without_ignored",
]
