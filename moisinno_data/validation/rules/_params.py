"""What a rule's parameters must be, and the check of a schema's ``custom_checks`` against it.

Each rule module declares ``PARAMS = {"column": Param("column"), ...}``; a declaration in a
schema that names an unknown rule, misses a parameter, misspells one (``colonne`` for
``column``) or names a column the schema does not have is a :class:`ConfigError` (exit 2):
otherwise the check would silently not run and a wrong value would pass.

A rule of validata-core that is not implemented here (:data:`VALIDATA_ONLY`) is not an
error: the report says it was not applied (``unknown-check`` warning).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

from moisinno_data.errors import ConfigError
from moisinno_data.package.descriptors import CustomCheck, SchemaDescriptor
from moisinno_data.package.schema_check import printable

VALIDATA_ONLY = frozenset({"nomenclature-actes-value"})
"""Custom checks of validata-core that this project does not implement (yet)."""


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


def _closest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return f" (vouliez-vous dire « {printable(close[0])} » ?)" if close else ""


def _fail(name: str, position: int, what: str) -> ConfigError:
    return ConfigError(
        f"Schéma incorrect : contrôle « {printable(name)} » (custom_checks[{position}]) : {what}."
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
            raise _fail(name, position, f"le paramètre « {key} » doit être un texte")
        return
    if spec.kind == "choice":
        if value not in spec.choices:
            allowed = ", ".join(str(c) for c in spec.choices if isinstance(c, str))
            raise _fail(
                name,
                position,
                f"le paramètre « {key} » vaut « {printable(value)} » ; valeurs possibles : {allowed}",
            )
        return
    listed = [value] if isinstance(value, str) and spec.kind == "columns" else value
    if spec.kind == "column":
        listed = [value]
    if not isinstance(listed, list) or not listed or not all(isinstance(v, str) for v in listed):
        what = "un nom de colonne" if spec.kind == "column" else "une liste de noms de colonnes"
        raise _fail(name, position, f"le paramètre « {key} » doit être {what}")
    for column in listed:
        if column not in fields:
            raise _fail(
                name,
                position,
                f"le paramètre « {key} » nomme la colonne « {printable(column)} », absente du schéma"
                + _closest(column, fields),
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
        raise _fail(name, position, "« params » doit être un objet JSON ({…})")
    accepted = {alias: key for key, spec in specs.items() for alias in (key, *spec.aliases)}
    for key in params:
        if key not in accepted:
            listed = ", ".join(specs) or "aucun"
            raise _fail(
                name,
                position,
                f"paramètre « {printable(key)} » inconnu{_closest(str(key), list(accepted))} ; "
                f"paramètres possibles : {listed}",
            )
    for key, spec in specs.items():
        value = value_of(params, key, spec)
        if value is None:
            if spec.required:
                raise _fail(name, position, f"le paramètre « {key} » manque")
            continue
        _check_value(name, position, key, spec, value, fields)
    one_of = getattr(module, "REQUIRE_ONE_OF", ())
    if one_of and not any(value_of(params, k, specs[k]) is not None for k in one_of):
        raise _fail(name, position, f"il faut au moins un des paramètres {', '.join(one_of)}")


def check_declared(schema: SchemaDescriptor, rules: dict[str, ModuleType]) -> None:
    """Check every ``custom_checks`` entry of ``schema`` (names, then parameters)."""
    checks = schema.get("custom_checks") or []
    if not isinstance(checks, list):
        raise ConfigError("Schéma incorrect : « custom_checks » doit être une liste de contrôles.")
    fields = [f["name"] for f in schema.get("fields") or [] if isinstance(f, dict) and "name" in f]
    for position, check in enumerate(checks, start=1):
        if not isinstance(check, dict) or not isinstance(check.get("name"), str):
            raise ConfigError(
                f"Schéma incorrect : custom_checks[{position}] doit être un objet "
                '{"name": …, "params": {…}}.'
            )
        name = check["name"]
        module = rules.get(name)
        if module is None:
            if name in VALIDATA_ONLY:
                continue
            known = sorted(rules)
            raise _fail(
                name,
                position,
                f"contrôle inconnu{_closest(name, known)} ; contrôles disponibles : "
                + ", ".join(known),
            )
        check_declaration(check, position, module, fields)


__all__ = ["VALIDATA_ONLY", "Param", "check_declaration", "check_declared", "value_of"]
