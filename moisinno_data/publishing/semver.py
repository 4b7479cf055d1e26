"""Version rules: which change breaks readers (major), adds (minor) or corrects (patch).

The rules, for a researcher who pinned ``X.Y.Z`` and reads the tables by column name:

- **major** — something they relied on may be gone or stricter: a table or field removed
  (a rename is a removal plus an addition), a type narrowed (``string`` → ``integer``,
  ``number`` → ``integer``…), a constraint tightened (``required``/``unique`` added, bounds
  or lengths narrowed, enum values removed, a pattern added or changed), the primary or
  foreign keys changed, rows removed (their ids vanish);
- **minor** — more of the same: new tables, fields or rows, a type widened, a constraint
  loosened;
- **patch** — corrections: cell values changed, titles and descriptions edited.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from moisinno_data.errors import InputError

ORDER = {"patch": 1, "minor": 2, "major": 3}
LEVEL_LABELS = {
    "major": "majeur (incompatible)",
    "minor": "mineur (ajouts)",
    "patch": "correctif",
    None: "aucun",
}
# a value of the left type always reads as the right type: left → right widens
_WIDER = {
    ("integer", "number"),
    ("integer", "string"),
    ("number", "string"),
    ("boolean", "string"),
    ("date", "string"),
    ("datetime", "string"),
    ("time", "string"),
    ("year", "string"),
    ("year", "integer"),
    ("year", "number"),
    ("date", "datetime"),
    ("any", "any"),
}


@dataclass(frozen=True)
class SchemaChange:
    level: str
    field: str | None
    kind: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class InvalidVersion(InputError):
    """A version string that is not ``X.Y.Z``."""


def semver_key(version: str) -> tuple[int, int, int]:
    """``"1.10.0"`` → ``(1, 10, 0)``, so versions sort as numbers, not as text."""
    try:
        major, minor, patch = (int(p) for p in version.split("."))
    except ValueError:
        raise InvalidVersion(f"Version invalide : « {version} » (attendu : X.Y.Z).") from None
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

    def add(level: str, kind: str, text: str) -> None:
        out.append(SchemaChange(level, name, kind, f"{name} : {text}"))

    for flag in ("required", "unique"):
        had, has = bool(old.get(flag)), bool(new.get(flag))
        if has and not had:
            add("major", f"{flag}-added", f"contrainte « {flag} » ajoutée")
        elif had and not has:
            add("minor", f"{flag}-removed", f"contrainte « {flag} » retirée")
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
            add("major", f"{bound}-added", f"{bound} ajouté ({b})")
        elif b is None:
            add("minor", f"{bound}-removed", f"{bound} retiré (était {a})")
        else:
            try:
                tight = tighter(a, b)
            except TypeError:
                tight = True
            add("major" if tight else "minor", f"{bound}-changed", f"{bound} {a} → {b}")
    old_enum, new_enum = old.get("enum"), new.get("enum")
    if old_enum != new_enum:
        if new_enum is None:
            add("minor", "enum-removed", "liste de valeurs permises retirée")
        elif old_enum is None:
            add("major", "enum-added", f"valeurs désormais limitées à {new_enum}")
        else:
            gone = [v for v in old_enum if v not in new_enum]
            came = [v for v in new_enum if v not in old_enum]
            if gone:
                add("major", "enum-narrowed", f"valeurs retirées : {gone}")
            if came:
                add("minor", "enum-widened", f"valeurs ajoutées : {came}")
    a, b = old.get("pattern"), new.get("pattern")
    if a != b:
        if b is None:
            add("minor", "pattern-removed", "motif retiré")
        else:
            add("major", "pattern-changed", f"motif {'ajouté' if a is None else 'modifié'} : {b}")
    return out


def compare_schemas(old: dict[str, Any], new: dict[str, Any]) -> list[SchemaChange]:
    """Every difference between two Table Schemas, each with its semver level."""
    changes: list[SchemaChange] = []
    old_fields = {f["name"]: f for f in old.get("fields", [])}
    new_fields = {f["name"]: f for f in new.get("fields", [])}
    for name in old_fields:
        if name not in new_fields:
            changes.append(SchemaChange("major", name, "field-removed", f"champ retiré : {name}"))
    for name, spec in new_fields.items():
        if name not in old_fields:
            changes.append(SchemaChange("minor", name, "field-added", f"champ ajouté : {name}"))
            continue
        before = old_fields[name]
        a, b = before.get("type", "string"), spec.get("type", "string")
        if a != b:
            level = "minor" if (a, b) in _WIDER else "major"
            word = "élargi" if level == "minor" else "restreint"
            changes.append(
                SchemaChange(level, name, "type-changed", f"{name} : type {a} → {b} ({word})")
            )
        if before.get("format", "default") != spec.get("format", "default"):
            changes.append(
                SchemaChange(
                    "major",
                    name,
                    "format-changed",
                    f"{name} : format {before.get('format')} → {spec.get('format')}",
                )
            )
        changes += _constraint_changes(
            name, before.get("constraints", {}), spec.get("constraints", {})
        )
        for key in ("title", "description", "example"):
            if before.get(key) != spec.get(key):
                changes.append(
                    SchemaChange("patch", name, f"{key}-changed", f"{name} : {key} modifié")
                )
    common_old = [n for n in old_fields if n in new_fields]
    common_new = [n for n in new_fields if n in old_fields]
    if common_old != common_new:
        changes.append(SchemaChange("minor", None, "field-order", "ordre des champs modifié"))
    for key, kind in (("primaryKey", "primary-key"), ("foreignKeys", "foreign-keys")):
        if old.get(key) != new.get(key):
            changes.append(
                SchemaChange(
                    "major", None, kind, f"{key} modifié : {old.get(key)} → {new.get(key)}"
                )
            )
    old_checks = {json.dumps(c, sort_keys=True) for c in old.get("custom_checks", [])}
    new_checks = {json.dumps(c, sort_keys=True) for c in new.get("custom_checks", [])}
    for check in sorted(new_checks - old_checks):
        name = json.loads(check).get("name")
        changes.append(
            SchemaChange("major", None, "check-added", f"règle ajoutée ou durcie : {name}")
        )
    for check in sorted(old_checks - new_checks):
        name = json.loads(check).get("name")
        if not any(json.loads(c).get("name") == name for c in new_checks):
            changes.append(SchemaChange("minor", None, "check-removed", f"règle retirée : {name}"))
    if old.get("missingValues", [""]) != new.get("missingValues", [""]):
        changes.append(SchemaChange("major", None, "missing-values", "missingValues modifié"))
    for key in ("title", "description"):
        if old.get(key) != new.get(key):
            changes.append(SchemaChange("patch", None, f"schema-{key}", f"{key} du schéma modifié"))
    return changes
