"""Finding messages in French (default) or English, rendered from ``code`` and ``params``.

The engine and the rules record facts (``code``, ``field``, ``value``, ``params``); this
module turns them into the sentence a contributor reads: which column, which value, what
was expected. :func:`localize` fills ``message`` and ``hint`` of every finding of a
report, so the same report can be rendered again in another language.

Params are read defensively: a finding from an older engine or another tool without the
expected keys still gets a readable, if less precise, message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moisinno_data.errors import ConfigError
from moisinno_data.validation import hints
from moisinno_data.validation.report import Finding, Report

LANGS = ("fr", "en")


def _name(value: Any) -> str | None:
    """A param used as a lookup key: a string, or None when another tool put anything else."""
    return value if isinstance(value, str) else None


def _t(lang: str, fr: str, en: str) -> str:
    return en if lang == "en" else fr


def _q(value: Any, lang: str) -> str:
    """A value quoted the way each language quotes (French guillemets keep spaces visible)."""
    return _t(lang, f"« {value} »", f'"{value}"')


def _col(f: Finding, lang: str) -> str:
    return _t(lang, f"la colonne {f.field}", f"column {f.field}") if f.field else ""


TYPE_NAMES = {
    "integer": ("un nombre entier", "a whole number"),
    "number": ("un nombre (avec un point décimal)", "a number (with a decimal point)"),
    "boolean": ("un booléen (true ou false)", "a boolean (true or false)"),
    "date": ("une date au format AAAA-MM-JJ", "a date as YYYY-MM-DD"),
    "datetime": (
        "une date et heure ISO 8601 (AAAA-MM-JJThh:mm:ss+01:00)",
        "an ISO 8601 date and time (YYYY-MM-DDThh:mm:ss+01:00)",
    ),
    "time": ("une heure hh:mm:ss", "a time hh:mm:ss"),
    "year": ("une année sur quatre chiffres", "a four-digit year"),
    "yearmonth": ("une année et un mois AAAA-MM", "a year and month YYYY-MM"),
    "duration": ("une durée ISO 8601 (P1D)", "an ISO 8601 duration (P1D)"),
    "geopoint": ("un point « latitude,longitude »", 'a point "latitude,longitude"'),
    "object": ("un objet JSON", "a JSON object"),
    "array": ("un tableau JSON", "a JSON array"),
}
FORMAT_NAMES = {
    "email": ("une adresse électronique valide", "a valid e-mail address"),
    "uri": ("une adresse web complète (https://…)", "a full web address (https://…)"),
    "uuid": ("un identifiant UUID", "a UUID"),
    "binary": ("des données base64", "base64 data"),
}


def _expected_type(p: dict[str, Any], lang: str) -> str:
    fmt, ftype = _name(p.get("format")), _name(p.get("type"))
    if fmt in FORMAT_NAMES:
        fr, en = FORMAT_NAMES[fmt]
    elif ftype in TYPE_NAMES:
        fr, en = TYPE_NAMES[ftype]
    else:
        fr, en = (f"une valeur de type {ftype}", f"a value of type {ftype}")
    return _t(lang, fr, en)


def _type_error(f: Finding, lang: str) -> str:
    exp = _expected_type(f.params or {}, lang)
    return _t(
        lang,
        f"La valeur {_q(f.value, lang)} de {_col(f, lang)} n'est pas {exp}.",
        f"Value {_q(f.value, lang)} in {_col(f, lang)} is not {exp}.",
    )


def _short_list(values: list[Any], limit: int = 12) -> str:
    shown = ", ".join(str(v) for v in values[:limit])
    return shown + (" …" if len(values) > limit else "")


def _constraint_error(f: Finding, lang: str) -> str:
    p = f.params or {}
    c, e = _name(p.get("constraint")), p.get("expected")
    v, col = _q(f.value, lang), _col(f, lang)
    if c == "required":
        return _t(
            lang,
            f"La valeur de {col} est obligatoire, mais la cellule est vide.",
            f"A value is required in {col}, but the cell is empty.",
        )
    if c == "enum":
        allowed = _short_list(e) if isinstance(e, list) else str(e)
        return _t(
            lang,
            f"La valeur {v} de {col} n'est pas dans la liste autorisée ({allowed}).",
            f"Value {v} in {col} is not one of the allowed values ({allowed}).",
        )
    if c == "pattern":
        e = e if not isinstance(e, str) or len(e) <= 60 else e[:57] + "…"
        return _t(
            lang,
            f"La valeur {v} de {col} n'a pas la forme attendue (motif {e}).",
            f"Value {v} in {col} does not have the expected form (pattern {e}).",
        )
    bounds = {
        "minimum": ("supérieure ou égale à", "greater than or equal to"),
        "maximum": ("inférieure ou égale à", "less than or equal to"),
        "exclusiveMinimum": ("strictement supérieure à", "greater than"),
        "exclusiveMaximum": ("strictement inférieure à", "less than"),
    }
    if c in bounds:
        fr, en = bounds[c]
        return _t(
            lang,
            f"La valeur {v} de {col} doit être {fr} {e}.",
            f"Value {v} in {col} must be {en} {e}.",
        )
    if c == "minLength":
        return _t(
            lang,
            f"La valeur {v} de {col} est trop courte : au moins {e} caractères.",
            f"Value {v} in {col} is too short: at least {e} characters.",
        )
    if c == "maxLength":
        return _t(
            lang,
            f"La valeur {v} de {col} est trop longue : au plus {e} caractères.",
            f"Value {v} in {col} is too long: at most {e} characters.",
        )
    return _t(
        lang,
        f"La valeur {v} de {col} ne respecte pas la contrainte {c} ({e}).",
        f"Value {v} in {col} breaks constraint {c} ({e}).",
    )


def _fields(p: dict[str, Any], key: str = "fields") -> str:
    value = p.get(key)
    if isinstance(value, list | tuple):
        return ", ".join(str(x) for x in value)
    return str(value) if value is not None else ""


def _unique(f: Finding, lang: str) -> str:
    first = (f.params or {}).get("first_row")
    where = _t(lang, f" (déjà à la ligne {first})", f" (already on line {first})") if first else ""
    return _t(
        lang,
        f"La valeur {_q(f.value, lang)} de {_col(f, lang)} apparaît plusieurs fois{where} ; "
        "elle doit être unique.",
        f"Value {_q(f.value, lang)} in {_col(f, lang)} appears more than once{where}; "
        "it must be unique.",
    )


def _primary_key(f: Finding, lang: str) -> str:
    p = f.params or {}
    keys = _fields(p) or _fields(p, "primary_key") or _t(lang, "la clé", "the key")
    first = p.get("first_row")
    if f.value in (None, "") and not first:
        return _t(
            lang,
            f"La clé primaire ({keys}) de cette ligne est vide ou illisible.",
            f"The primary key ({keys}) of this row is empty or unreadable.",
        )
    where = _t(lang, f", déjà à la ligne {first}", f", already on line {first}") if first else ""
    shown = f" {_q(f.value, lang)}" if f.value not in (None, "") else ""
    return _t(
        lang,
        f"La clé primaire ({keys}){shown} est en double{where}.",
        f"The primary key ({keys}){shown} is duplicated{where}.",
    )


def _foreign_key(f: Finding, lang: str) -> str:
    p = f.params or {}
    resource = p.get("resource") or _t(lang, "de référence", "reference")
    ref = _fields(p, "reference") or _fields(p, "reference_fields")
    ref = f" ({ref})" if ref else ""
    return _t(
        lang,
        f"La valeur {_q(f.value, lang)} de {_col(f, lang)} n'existe pas dans la table "
        f"{resource}{ref} publiée.",
        f"Value {_q(f.value, lang)} in {_col(f, lang)} is not in the published "
        f"{resource} table{ref}.",
    )


def _missing_cell(f: Finding, lang: str) -> str:
    what = _col(f, lang) or _t(lang, "une colonne", "a column")
    return _t(
        lang,
        f"La ligne est trop courte : il manque la cellule de {what}.",
        f"The row is too short: the cell for {what} is missing.",
    )


def _extra_cell(f: Finding, lang: str) -> str:
    return _t(
        lang,
        f"La ligne a une cellule de plus que l'en-tête (colonne {f.column or '?'}, valeur "
        f"{_q(f.value, lang)}).",
        f"The row has one more cell than the header (column {f.column or '?'}, value "
        f"{_q(f.value, lang)}).",
    )


def _label(fr: str, en: str) -> Callable[[Finding, str], str]:
    def render(f: Finding, lang: str) -> str:
        p = f.params or {}
        data = {
            "field": f.field or p.get("field") or "",
            "value": f.value if f.value is not None else p.get("label", ""),
            "expected": p.get("expected") or p.get("field") or f.field or "",
            "column": f.column or p.get("column") or "?",
            "position": p.get("position") or p.get("expected_position") or "?",
        }
        return _t(lang, fr, en).format(**data)

    return render


def _missing_label(f: Finding, lang: str) -> str:
    required = (f.params or {}).get("required", f.severity == "error")
    if required:
        return _t(
            lang,
            f"La colonne obligatoire {f.field} est absente de l'en-tête.",
            f"Required column {f.field} is missing from the header.",
        )
    return _t(
        lang,
        f"La colonne facultative {f.field} est absente de l'en-tête.",
        f"Optional column {f.field} is missing from the header.",
    )


def _duplicate_label(f: Finding, lang: str) -> str:
    first = (f.params or {}).get("first_column")
    where = _t(lang, f" (déjà en colonne {first})", f" (already column {first})") if first else ""
    return _t(
        lang,
        f"Le nom de colonne {_q(f.value, lang)} apparaît plusieurs fois dans l'en-tête{where}.",
        f"Column name {_q(f.value, lang)} appears more than once in the header{where}.",
    )


def _incorrect_label(f: Finding, lang: str) -> str:
    p = f.params or {}
    expected = p.get("expected") or f.field
    if p.get("mapped"):
        return _t(
            lang,
            f"L'en-tête {_q(f.value, lang)} (colonne {f.column or '?'}) a été lu comme la "
            f"colonne {expected} : il ne diffère que par les majuscules, les accents ou les "
            "espaces.",
            f"Header {_q(f.value, lang)} (column {f.column or '?'}) was read as column "
            f"{expected}: it differs only by case, accents or spaces.",
        )
    return _t(
        lang,
        f"La colonne {f.column or '?'} s'appelle {_q(f.value, lang)} au lieu de {expected}.",
        f"Column {f.column or '?'} is named {_q(f.value, lang)} instead of {expected}.",
    )


def _column_order(f: Finding, lang: str) -> str:
    expected = (f.params or {}).get("expected")
    expected = expected if isinstance(expected, list) else []
    order = ", ".join(str(x) for x in expected)
    return _t(
        lang,
        f"Les colonnes ne sont pas dans l'ordre du schéma ({order}).",
        f"The columns are not in the schema's order ({order}).",
    )


def _fk_unavailable(f: Finding, lang: str) -> str:
    resource = (f.params or {}).get("resource") or "?"
    return _t(
        lang,
        f"La table {resource} publiée est introuvable : la référence de {_col(f, lang)} n'a "
        "pas pu être vérifiée.",
        f"The published {resource} table was not found: the reference in {_col(f, lang)} "
        "could not be checked.",
    )


def _cog_unknown(f: Finding, lang: str) -> str:
    level = _name((f.params or {}).get("level"))
    names = {
        "region": ("de région", "region"),
        "departement": ("de département", "département"),
        "commune": ("de commune", "commune"),
    }
    fr, en = names.get(level, ("géographique", "geographic"))
    return _t(
        lang,
        f"Le code {fr} {_q(f.value, lang)} de {_col(f, lang)} n'existe pas dans le code "
        "officiel géographique de l'INSEE.",
        f"The {en} code {_q(f.value, lang)} in {_col(f, lang)} is not in INSEE's official "
        "geographic code (COG).",
    )


def _cog_mismatch(f: Finding, lang: str) -> str:
    p = f.params or {}
    levels = {
        "region": ("la région", "region"),
        "departement": ("le département", "département"),
        "commune": ("la commune", "commune"),
    }
    c_fr, c_en = levels.get(_name(p.get("level")), ("le code", "code"))
    p_fr, p_en = levels.get(_name(p.get("parent_level")), ("le code parent", "parent code"))
    name = f" ({p['name']})" if p.get("name") else ""
    parent = f" {p.get('parent')}" + (f" ({p['parent_name']})" if p.get("parent_name") else "")
    expected = f" {p.get('expected')}" + (
        f" ({p['expected_name']})" if p.get("expected_name") else ""
    )
    belongs = _t(lang, "n'appartient pas à", "is not in")
    return _t(
        lang,
        f"{c_fr.capitalize()} {f.value}{name} {belongs} {p_fr}{parent}, mais à {p_fr}{expected}.",
        f"The {c_en} {f.value}{name} {belongs} {p_en}{parent} but in {p_en}{expected}.",
    )


def _coordinates(f: Finding, lang: str) -> str:
    p = f.params or {}
    lat, lon = p.get("latitude", f.value), p.get("longitude", "?")
    return _t(
        lang,
        f"Le point (latitude {lat}, longitude {lon}) est hors de France, outre-mer compris.",
        f"The point (latitude {lat}, longitude {lon}) is outside France, overseas included.",
    )


def _end_before_start(f: Finding, lang: str) -> str:
    start = (f.params or {}).get("start", "?")
    return _t(
        lang,
        f"La fin {_q(f.value, lang)} ({f.field}) précède le début {_q(start, lang)}.",
        f"The end {_q(f.value, lang)} ({f.field}) is before the start {_q(start, lang)}.",
    )


def _outside_edition(f: Finding, lang: str) -> str:
    p = f.params or {}
    return _t(
        lang,
        f"La date {_q(f.value, lang)} de {_col(f, lang)} est hors des dates de l'édition "
        f"{p.get('edition')} (du {p.get('start') or '?'} au {p.get('end') or '?'}).",
        f"Date {_q(f.value, lang)} in {_col(f, lang)} is outside edition {p.get('edition')} "
        f"(from {p.get('start') or '?'} to {p.get('end') or '?'}).",
    )


def _formula(f: Finding, lang: str) -> str:
    first = (f.params or {}).get("first") or (f.value or " ")[0]
    return _t(
        lang,
        f"La valeur {_q(f.value, lang)} de {_col(f, lang)} commence par {_q(first, lang)} : "
        "un tableur l'exécuterait comme une formule.",
        f"Value {_q(f.value, lang)} in {_col(f, lang)} starts with {_q(first, lang)}: a "
        "spreadsheet would run it as a formula.",
    )


def _siret(f: Finding, lang: str) -> str:
    kind = "SIREN" if len(f.value or "") == 9 else "SIRET"
    return _t(
        lang,
        f"Le numéro {kind} {_q(f.value, lang)} de {_col(f, lang)} a une clé de contrôle fausse.",
        f"The {kind} number {_q(f.value, lang)} in {_col(f, lang)} has a wrong check digit.",
    )


def _siret_format(f: Finding, lang: str) -> str:
    return _t(
        lang,
        f"La valeur {_q(f.value, lang)} de {_col(f, lang)} n'est ni un SIRET (14 chiffres) ni "
        "un SIREN (9 chiffres).",
        f"Value {_q(f.value, lang)} in {_col(f, lang)} is neither a SIRET (14 digits) nor a "
        "SIREN (9 digits).",
    )


def _unknown_check(f: Finding, lang: str) -> str:
    known = ", ".join((f.params or {}).get("known") or [])
    return _t(
        lang,
        f"Le schéma déclare un contrôle inconnu {_q(f.value, lang)} (custom_checks) ; il est "
        f"ignoré. Contrôles connus : {known}.",
        f"The schema declares an unknown check {_q(f.value, lang)} (custom_checks); it is "
        f"ignored. Known checks: {known}.",
    )


MESSAGES: dict[str, Callable[[Finding, str], str]] = {
    "type-error": _type_error,
    "constraint-error": _constraint_error,
    "unique-error": _unique,
    "primary-key": _primary_key,
    "foreign-key": _foreign_key,
    "missing-cell": _missing_cell,
    "extra-cell": _extra_cell,
    "blank-row": _label("La ligne est vide.", "The row is empty."),
    "missing-label": _missing_label,
    "extra-label": _label(
        "La colonne « {value} » (colonne {column}) n'est pas dans le schéma.",
        'Column "{value}" (column {column}) is not in the schema.',
    ),
    "blank-label": _label(
        "La colonne {column} n'a pas de nom dans l'en-tête.",
        "Column {column} has no name in the header.",
    ),
    "duplicate-label": _duplicate_label,
    "incorrect-label": _incorrect_label,
    "column-order": _column_order,
    "foreign-key-unavailable": _fk_unavailable,
    "siret-checksum": _siret,
    "siret-format": _siret_format,
    "cog-unknown": _cog_unknown,
    "cog-mismatch": _cog_mismatch,
    "coordinates-outside-france": _coordinates,
    "end-before-start": _end_before_start,
    "date-outside-edition": _outside_edition,
    "formula-injection": _formula,
    "unknown-check": _unknown_check,
}


def message(finding: Finding, lang: str = "fr") -> str:
    """The sentence for one finding; a generic one for a code this module does not know."""
    render = MESSAGES.get(finding.code)
    if render is not None:
        return render(finding, lang)
    where = f" ({_col(finding, lang)})" if finding.field else ""
    value = f" : {_q(finding.value, lang)}" if finding.value is not None else ""
    if finding.message:  # a code this module does not know, already described by its emitter
        return finding.message
    return _t(
        lang,
        f"Problème « {finding.code} »{where}{value}.",
        f'Problem "{finding.code}"{where}{value}.',
    )


def localize(report: Report, lang: str = "fr") -> Report:
    """Fill ``message`` and ``hint`` of every finding in ``lang`` ("fr" or "en"); returns it."""
    if lang not in LANGS:
        raise ConfigError(f"Langue inconnue : « {lang} » (fr ou en).")
    # A big file repeats the same mistake: the report renders each distinct (kind, cell)
    # once, when its findings are read or written (it keeps no text per finding).
    report.set_texts(lang, lambda f: (message(f, lang), hints.hint(f, lang)))
    return report


__all__ = ["LANGS", "MESSAGES", "localize", "message"]
