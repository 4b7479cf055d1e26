"""Version rules: which change breaks readers (major), adds (minor) or corrects (patch).

The rules, for a researcher who pinned ``X.Y.Z`` and reads the tables by column name:

- **major** — something they relied on may be gone or stricter: a table or field removed
  (a rename is a removal plus an addition), a type narrowed (``string`` → ``integer``,
  ``number`` → ``integer``…), a constraint tightened (``required``/``unique`` added, bounds
  or lengths narrowed, enum values removed, a pattern added or changed), the primary or
  foreign keys changed, rows removed (their ids vanish);
- **minor** — more of the same: new tables, fields or rows, a type widened (``integer`` →
  ``number``, any type → ``string`` or ``any``), a constraint loosened;
- **patch** — corrections: cell values changed, titles and descriptions edited.

How a field's cells read counts as much as its type: ``trueValues``/``falseValues`` lose
a word (major) or gain one (minor), ``decimalChar``, ``groupChar`` or ``bareNumber``
changed, or a field's own ``missingValues``, is major; ``uniqueKeys`` added or changed is
major, dropped minor; any other property of a field or of the schema (``version``,
``rdfType``…) is a patch: a schema that changed always cuts a version.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from moisinno_data.errors import InputError
from moisinno_data.package import canonical, french
from moisinno_data.package.schema_check import category_values
from moisinno_data.package.text import in_lang

ORDER = {"patch": 1, "minor": 2, "major": 3}
LEVEL_LABELS: dict[str, dict[str | None, str]] = {
    "fr": {
        "major": "majeur (incompatible)",
        "minor": "mineur (ajouts)",
        "patch": "correctif",
        None: "aucun",
    },
    "en": {
        "major": "major (breaking)",
        "minor": "minor (additions)",
        "patch": "patch (corrections)",
        None: "none",
    },
}
"""How each semver level is named, in each language of ``--lang``."""
# a value of the left type always reads as the right type: left → right widens; any
# value of any type also reads as a ``string`` (as published) or as ``any``
_WIDER = {
    ("integer", "number"),
    ("year", "integer"),
    ("year", "number"),
    ("date", "datetime"),
}
_READ_ANY = ("string", "any")


def _widens(before: str, after: str) -> bool:
    """Whether every value of type ``before`` is also one of type ``after``."""
    return after in _READ_ANY or (before, after) in _WIDER


def level_label(level: str | None, lang: str = "fr") -> str:
    """``"major"`` → ``"majeur (incompatible)"`` (``"major (breaking)"`` in English)."""
    return in_lang(LEVEL_LABELS, lang).get(level, str(level))


@dataclass(frozen=True)
class SchemaChange:
    level: str
    field: str | None
    kind: str
    text: str
    """What changed, in French (the JSON's ``text``)."""
    en: str = ""
    """The same in English (``--lang en``); not in the JSON."""

    def text_in(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.text

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "field": self.field, "kind": self.kind, "text": self.text}


class InvalidVersion(InputError):
    """A version string that is not ``X.Y.Z``."""


def semver_key(version: str) -> tuple[int, int, int]:
    """``"1.10.0"`` → ``(1, 10, 0)``, so versions sort as numbers, not as text."""
    try:
        major, minor, patch = (int(p) for p in version.split("."))
    except ValueError:
        raise InvalidVersion(
            f"Version invalide : « {version} » (attendu : X.Y.Z).",
            en=f'Invalid version: "{version}" (expected: X.Y.Z).',
        ) from None
    return major, minor, patch


def highest(levels: Iterable[str | None]) -> str | None:
    found = [lv for lv in levels if lv]
    return max(found, key=ORDER.__getitem__) if found else None


def bump(version: str, level: str) -> str:
    major, minor, patch = semver_key(version)
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    if level == "patch":
        return f"{major}.{minor}.{patch + 1}"
    raise ValueError(level)


def _constraint_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[SchemaChange]:
    out: list[SchemaChange] = []

    def add(level: str, kind: str, fr: str, en: str) -> None:
        out.append(SchemaChange(level, name, kind, f"{name} : {fr}", f"{name}: {en}"))

    for flag in ("required", "unique"):
        had, has = bool(old.get(flag)), bool(new.get(flag))
        if has and not had:
            add(
                "major",
                f"{flag}-added",
                f"contrainte « {flag} » ajoutée",
                f'constraint "{flag}" added',
            )
        elif had and not has:
            add(
                "minor",
                f"{flag}-removed",
                f"contrainte « {flag} » retirée",
                f'constraint "{flag}" removed',
            )
    for bound, tighter in (
        ("minimum", lambda a, b: b > a),
        ("exclusiveMinimum", lambda a, b: b > a),
        ("minLength", lambda a, b: b > a),
        ("maximum", lambda a, b: b < a),
        ("exclusiveMaximum", lambda a, b: b < a),
        ("maxLength", lambda a, b: b < a),
    ):
        a, b = old.get(bound), new.get(bound)
        if a == b:
            continue
        if a is None:
            add("major", f"{bound}-added", f"{bound} ajouté ({b})", f"{bound} added ({b})")
        elif b is None:
            add(
                "minor",
                f"{bound}-removed",
                f"{bound} retiré (était {a})",
                f"{bound} removed (was {a})",
            )
        else:
            try:
                tight = tighter(a, b)
            except TypeError:
                tight = True
            moved = f"{bound} {a} → {b}"
            add("major" if tight else "minor", f"{bound}-changed", moved, moved)
    _enum_changes(old.get("enum"), new.get("enum"), add)
    a, b = old.get("pattern"), new.get("pattern")
    if a != b:
        if b is None:
            add("minor", "pattern-removed", "motif retiré", "pattern removed")
        elif a is None:
            add("major", "pattern-changed", f"motif ajouté : {b}", f"pattern added: {b}")
        else:
            add("major", "pattern-changed", f"motif modifié : {b}", f"pattern changed: {b}")
    for key in sorted(set(old) | set(new), key=str):  # jsonSchema…: a rule, maybe stricter
        if key not in _CONSTRAINTS and old.get(key) != new.get(key):
            add(
                "major",
                "constraint-changed",
                f"contrainte « {key} » modifiée",
                f'constraint "{key}" changed',
            )
    return out


_CONSTRAINTS = {
    "required",
    "unique",
    "minimum",
    "exclusiveMinimum",
    "minLength",
    "maximum",
    "exclusiveMaximum",
    "maxLength",
    "enum",
    "pattern",
}
"""The constraints compared one by one above; any other one changed may be stricter."""


def _enum_changes(old_enum: Any, new_enum: Any, add: Callable[[str, str, str, str], None]) -> None:
    """The list of allowed values removed, added, narrowed or widened."""
    if old_enum == new_enum:
        return
    if new_enum is None:
        add(
            "minor",
            "enum-removed",
            "liste de valeurs permises retirée",
            "list of allowed values removed",
        )
    elif old_enum is None:
        add(
            "major",
            "enum-added",
            f"valeurs désormais limitées à {new_enum}",
            f"values now limited to {new_enum}",
        )
    else:
        gone = [v for v in old_enum if v not in new_enum]
        came = [v for v in new_enum if v not in old_enum]
        if gone:
            add("major", "enum-narrowed", f"valeurs retirées : {gone}", f"values removed: {gone}")
        if came:
            add("minor", "enum-widened", f"valeurs ajoutées : {came}", f"values added: {came}")


def compare_schemas(old: dict[str, Any], new: dict[str, Any]) -> list[SchemaChange]:
    """Every difference between two Table Schemas, each with its semver level."""
    changes: list[SchemaChange] = []
    old_fields = {f["name"]: f for f in old.get("fields", [])}
    new_fields = {f["name"]: f for f in new.get("fields", [])}
    for name in old_fields:
        if name not in new_fields:
            changes.append(
                SchemaChange(
                    "major",
                    name,
                    "field-removed",
                    f"champ retiré : {name}",
                    f"field removed: {name}",
                )
            )
    for name, spec in new_fields.items():
        if name not in old_fields:
            changes.append(
                SchemaChange(
                    "minor", name, "field-added", f"champ ajouté : {name}", f"field added: {name}"
                )
            )
            continue
        changes += _field_changes(name, old_fields[name], spec)
    common_old = [n for n in old_fields if n in new_fields]
    common_new = [n for n in new_fields if n in old_fields]
    if common_old != common_new:
        changes.append(
            SchemaChange(
                "minor",
                None,
                "field-order",
                "ordre des champs modifié",
                "order of the fields changed",
            )
        )
    changes += _key_changes(old, new)
    changes += _check_changes(old, new)
    if old.get("missingValues", [""]) != new.get("missingValues", [""]):
        changes.append(
            SchemaChange(
                "major", None, "missing-values", "missingValues modifié", "missingValues changed"
            )
        )
    changes += _field_missing_values(old, new, common_new)
    changes += _schema_text_changes(old, new)
    return changes


def _key_changes(old: dict[str, Any], new: dict[str, Any]) -> list[SchemaChange]:
    """The primary, foreign and unique keys (``uniqueKeys`` dropped only loosens)."""
    changes: list[SchemaChange] = []
    for key, kind in (("primaryKey", "primary-key"), ("foreignKeys", "foreign-keys")):
        if old.get(key) != new.get(key):
            moved = f"{old.get(key)} → {new.get(key)}"
            changes.append(
                SchemaChange(
                    "major", None, kind, f"{key} modifié : {moved}", f"{key} changed: {moved}"
                )
            )
    if old.get("uniqueKeys") != new.get("uniqueKeys"):
        moved = f"{old.get('uniqueKeys')} → {new.get('uniqueKeys')}"
        level = "minor" if not new.get("uniqueKeys") else "major"
        changes.append(
            SchemaChange(
                level, None, "unique-keys", f"uniqueKeys modifié : {moved}",
                f"uniqueKeys changed: {moved}",
            )
        )  # fmt: skip
    return changes


def _schema_text_changes(old: dict[str, Any], new: dict[str, Any]) -> list[SchemaChange]:
    """The schema's title and description, and its other properties (version…): patches."""
    changes: list[SchemaChange] = []
    for key in ("title", "description"):
        if old.get(key) != new.get(key):
            changes.append(
                SchemaChange(
                    "patch",
                    None,
                    f"schema-{key}",
                    f"{key} du schéma modifié",
                    f"schema {key} changed",
                )
            )
    other = sorted(
        k for k in set(old) | set(new) if k not in _SCHEMA_KEYS and old.get(k) != new.get(k)
    )
    if other:  # version, homepage, contributors…: said, so a version is cut for them
        keys = ", ".join(other)
        changes.append(
            SchemaChange(
                "patch",
                None,
                "schema-property",
                f"propriétés du schéma modifiées : {keys}",
                f"schema properties changed: {keys}",
            )
        )
    return changes


def _field_missing_values(
    old: dict[str, Any], new: dict[str, Any], common: list[str]
) -> list[SchemaChange]:
    """The fields whose own ``missingValues`` (Table Schema 2) changed what reads as none."""
    changes: list[SchemaChange] = []
    old_fields = {f["name"]: f for f in old.get("fields", [])}
    new_fields = {f["name"]: f for f in new.get("fields", [])}
    for name in common:  # a field's own missingValues (Table Schema 2)
        declared = "missingValues" in old_fields[name] or "missingValues" in new_fields[name]
        before, after = canonical.missing_values(old, name), canonical.missing_values(new, name)
        if declared and before != after:
            changes.append(
                SchemaChange(
                    "major",
                    name,
                    "missing-values",
                    f"{name} : missingValues modifié ({before} → {after})",
                    f"{name}: missingValues changed ({before} → {after})",
                )
            )
    return changes


_SCHEMA_KEYS = {
    "fields",
    "primaryKey",
    "foreignKeys",
    "uniqueKeys",
    "custom_checks",
    "missingValues",
    "title",
    "description",
}
"""The schema's properties :func:`compare_schemas` weighs one by one; any other one
changed is a patch (said, never ignored: a schema changed is a version to cut)."""


def _field_changes(name: str, before: dict[str, Any], spec: dict[str, Any]) -> list[SchemaChange]:
    """A field both schemas have: its type, format, constraints and texts."""
    changes: list[SchemaChange] = []
    a, b = before.get("type", "string"), spec.get("type", "string")
    if a != b:
        level = "minor" if _widens(a, b) else "major"
        fr, en = ("élargi", "widened") if level == "minor" else ("restreint", "narrowed")
        changes.append(
            SchemaChange(
                level,
                name,
                "type-changed",
                f"{name} : type {a} → {b} ({fr})",
                f"{name}: type {a} → {b} ({en})",
            )
        )
    if before.get("format", "default") != spec.get("format", "default"):
        moved = f"format {before.get('format')} → {spec.get('format')}"
        changes.append(
            SchemaChange("major", name, "format-changed", f"{name} : {moved}", f"{name}: {moved}")
        )
    changes += _constraint_changes(name, before.get("constraints", {}), spec.get("constraints", {}))
    changes += _reading_changes(name, before, spec)
    for key in ("title", "description", "example"):
        if before.get(key) != spec.get(key):
            changes.append(
                SchemaChange(
                    "patch",
                    name,
                    f"{key}-changed",
                    f"{name} : {key} modifié",
                    f"{name}: {key} changed",
                )
            )
    other = sorted(
        k for k in set(before) | set(spec) if k not in _FIELD_KEYS and before.get(k) != spec.get(k)
    )
    if other:  # rdfType, categoriesOrdered…: said, so a version is cut for them
        keys = ", ".join(other)
        changes.append(
            SchemaChange(
                "patch",
                name,
                "property-changed",
                f"{name} : {keys} modifié",
                f"{name}: {keys} changed",
            )
        )
    return changes


_FIELD_KEYS = {
    "name",
    "type",
    "format",
    "constraints",
    "title",
    "description",
    "example",
    "trueValues",
    "falseValues",
    "decimalChar",
    "groupChar",
    "bareNumber",
    "categories",
    "missingValues",  # compared by compare_schemas, which knows the schema's own
}
"""A field's properties :func:`_field_changes` weighs one by one; any other one changed
is a patch."""


def _reading_changes(name: str, before: dict[str, Any], spec: dict[str, Any]) -> list[SchemaChange]:
    """How a field's cells are read: booleans' words, numbers' notation, v2 categories."""
    changes: list[SchemaChange] = []

    def add(level: str, kind: str, fr: str, en: str) -> None:
        changes.append(SchemaChange(level, name, kind, f"{name} : {fr}", f"{name}: {en}"))

    for key, default, word, en_word in (
        ("trueValues", french.DEFAULT_TRUE, "vraies", "true"),
        ("falseValues", french.DEFAULT_FALSE, "fausses", "false"),
    ):
        was, now = list(before.get(key) or default), list(spec.get(key) or default)
        gone = [v for v in was if v not in now]
        came = [v for v in now if v not in was]
        if gone:  # a cell written so no longer reads
            add("major", f"{key}-narrowed", f"valeurs {word} retirées : {gone}",
                f"{en_word} values removed: {gone}")  # fmt: skip
        if came:
            add("minor", f"{key}-widened", f"valeurs {word} ajoutées : {came}",
                f"{en_word} values added: {came}")  # fmt: skip
    notation: dict[str, Any] = {"decimalChar": ".", "groupChar": None, "bareNumber": True}
    for key, default in notation.items():
        was, now = before.get(key, default), spec.get(key, default)
        if was != now:  # the same text reads as another number, or not at all
            moved = f"{key} {was} → {now}"
            add("major", "notation-changed", moved, moved)
    _enum_changes(category_values(before), category_values(spec), add)
    return changes


def _check_changes(old: dict[str, Any], new: dict[str, Any]) -> list[SchemaChange]:
    """The schemas' custom checks: one added (or changed: tightened) or one removed."""
    changes: list[SchemaChange] = []
    old_checks = {json.dumps(c, sort_keys=True) for c in old.get("custom_checks", [])}
    new_checks = {json.dumps(c, sort_keys=True) for c in new.get("custom_checks", [])}
    for check in sorted(new_checks - old_checks):
        name = json.loads(check).get("name")
        changes.append(
            SchemaChange(
                "major",
                None,
                "check-added",
                f"règle ajoutée ou durcie : {name}",
                f"rule added or tightened: {name}",
            )
        )
    for check in sorted(old_checks - new_checks):
        name = json.loads(check).get("name")
        if not any(json.loads(c).get("name") == name for c in new_checks):
            changes.append(
                SchemaChange(
                    "minor",
                    None,
                    "check-removed",
                    f"règle retirée : {name}",
                    f"rule removed: {name}",
                )
            )
    return changes
