"""What a rule's parameters must be, and the check of a schema's ``custom_checks`` against it.

Each rule module declares ``PARAMS = {"column": Param("column"), ...}``; a declaration of
one of our rules that misses a parameter, misspells one (``colonne`` for ``column``) or
names a column the schema does not have is a :class:`ConfigError` (exit 2): otherwise the
check would silently not run and a wrong value would pass.

A name that no rule here has is said in the report, the data checked by everything else:
an ``unknown-check`` error, as Validata reports it (every check of validata-core is a rule
here).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

from moisinno_data.errors import ConfigError
from moisinno_data.package.descriptors import CustomCheck, SchemaDescriptor
from moisinno_data.package.schema_check import printable
from moisinno_data.validation.report import Finding


@dataclass(frozen=True)
class Param:
    """One parameter: ``column`` (a field name), ``columns`` (a list of field names, one
    name accepted), ``text`` (any text), ``choice`` (one of ``choices``; booleans accepted
    when the choices are yes/no words)."""

    kind: Literal["column", "columns", "text", "choice"]
    required: bool = True
    choices: tuple[Any, ...] = ()
    aliases: tuple[str, ...] = ()
    """Other names accepted for it (validata-core's older spellings)."""


def _closest(word: str, choices: list[str]) -> tuple[str, str]:
    """ " (did you mean …?)", in French and English; empty when nothing is close."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    if not close:
        return "", ""
    shown = printable(close[0])
    return f" (vouliez-vous dire « {shown} » ?)", f' (did you mean "{shown}"?)'


def _fail(name: str, position: int, what: str, en: str) -> ConfigError:
    """``what`` went wrong with the check ``name`` (``en``: the same in English)."""
    shown = printable(name)
    return ConfigError(
        f"Schéma incorrect : contrôle « {shown} » (custom_checks[{position}]) : {what}.",
        en=f'Invalid schema: check "{shown}" (custom_checks[{position}]): {en}.',
    )


def value_of(params: dict[str, Any], name: str, spec: Param) -> Any:
    """The parameter's value under its name or one of its aliases (None when absent)."""
    for key in (name, *spec.aliases):
        if key in params:
            return params[key]
    return None


def _check_value(
    name: str, position: int, key: str, spec: Param, value: Any, fields: list[str]
) -> None:
    if spec.kind == "text":
        if not isinstance(value, str):
            raise _fail(
                name,
                position,
                f"le paramètre « {key} » doit être un texte",
                f'"{key}" must be a text',
            )
        return
    if spec.kind == "choice":
        if value not in spec.choices:
            allowed = ", ".join(str(c) for c in spec.choices if isinstance(c, str))
            shown = printable(value)
            raise _fail(
                name,
                position,
                f"le paramètre « {key} » vaut « {shown} » ; valeurs possibles : {allowed}",
                f'"{key}" is "{shown}"; possible values: {allowed}',
            )
        return
    listed = [value] if isinstance(value, str) and spec.kind == "columns" else value
    if spec.kind == "column":
        listed = [value]
    if not isinstance(listed, list) or not listed or not all(isinstance(v, str) for v in listed):
        one = spec.kind == "column"
        what = "un nom de colonne" if one else "une liste de noms de colonnes"
        en = "a column name" if one else "a list of column names"
        raise _fail(
            name, position, f"le paramètre « {key} » doit être {what}", f'"{key}" must be {en}'
        )
    for column in listed:
        if column not in fields:
            fr, en = _closest(column, fields)
            shown = printable(column)
            raise _fail(
                name,
                position,
                f"le paramètre « {key} » nomme la colonne « {shown} », absente du schéma{fr}",
                f'"{key}" names the column "{shown}", which the schema does not have{en}',
            )


def check_declaration(
    check: CustomCheck, position: int, module: ModuleType, fields: list[str]
) -> None:
    """Raise :class:`ConfigError` unless ``check``'s params fit ``module.PARAMS``."""
    name = check.get("name", "?")
    specs: dict[str, Param] | None = getattr(module, "PARAMS", None)
    if specs is None:  # a rule that does not declare its parameters accepts any
        return
    params = check.get("params") or {}
    if not isinstance(params, dict):
        raise _fail(
            name,
            position,
            "« params » doit être un objet JSON ({…})",
            '"params" must be a JSON object ({…})',
        )
    accepted = {alias: key for key, spec in specs.items() for alias in (key, *spec.aliases)}
    for key in params:
        if key not in accepted:
            fr, en = _closest(str(key), list(accepted))
            shown = printable(key)
            raise _fail(
                name,
                position,
                f"paramètre « {shown} » inconnu{fr} ; paramètres possibles : "
                + (", ".join(specs) or "aucun"),
                f'unknown parameter "{shown}"{en}; possible parameters: '
                + (", ".join(specs) or "none"),
            )
    for key, spec in specs.items():
        value = value_of(params, key, spec)
        if value is None:
            if spec.required:
                raise _fail(name, position, f"le paramètre « {key} » manque", f'"{key}" is missing')
            continue
        _check_value(name, position, key, spec, value, fields)
    one_of = getattr(module, "REQUIRE_ONE_OF", ())
    if one_of and not any(value_of(params, k, specs[k]) is not None for k in one_of):
        listed = ", ".join(one_of)
        raise _fail(
            name,
            position,
            f"il faut au moins un des paramètres {listed}",
            f"at least one of the parameters {listed} is needed",
        )


def check_declared(schema: SchemaDescriptor, rules: dict[str, ModuleType]) -> None:
    """Check every ``custom_checks`` entry of ``schema`` (names, then parameters)."""
    checks = schema.get("custom_checks") or []
    if not isinstance(checks, list):
        raise ConfigError(
            "Schéma incorrect : « custom_checks » doit être une liste de contrôles.",
            en='Invalid schema: "custom_checks" must be a list of checks.',
        )
    fields = [f["name"] for f in schema.get("fields") or [] if isinstance(f, dict) and "name" in f]
    for position, check in enumerate(checks, start=1):
        if not isinstance(check, dict) or not isinstance(check.get("name"), str):
            raise ConfigError(
                f"Schéma incorrect : custom_checks[{position}] doit être un objet "
                '{"name": …, "params": {…}}.',
                en=f"Invalid schema: custom_checks[{position}] must be an object "
                '{"name": …, "params": {…}}.',
            )
        module = rules.get(check["name"])
        if module is not None:  # an unknown name is a finding (:func:`unknown_checks`)
            check_declaration(check, position, module, fields)


def unknown_checks(schema: SchemaDescriptor, rules: dict[str, ModuleType]) -> list[Finding]:
    """One ``unknown-check`` error per declared name that no rule here has
    (``french_gps_coordinates`` in a published schema), as Validata reports it — the data
    is still checked by everything else, and the report says what was not."""
    found: list[Finding] = []
    for check in schema.get("custom_checks") or []:
        name = check.get("name") if isinstance(check, dict) else None
        if not isinstance(name, str) or name in rules or name in {f.value for f in found}:
            continue
        close = difflib.get_close_matches(name, sorted(rules), n=1, cutoff=0.5)
        found.append(
            Finding(
                code="unknown-check",
                severity="error",
                value=name,
                params={"check": name, "known": sorted(rules), "closest": next(iter(close), None)},
            )
        )
    return found


__all__ = [
    "Param",
    "check_declaration",
    "check_declared",
    "unknown_checks",
    "value_of",
]
