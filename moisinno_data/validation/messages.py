"""Finding messages in French (default) or English, rendered from ``code`` and ``params``.

The engine and the rules record facts (``code``, ``field``, ``value``, ``params``); this
module turns them into the sentence a contributor reads: which column, which value, what
was expected. :func:`localize` fills ``message`` and ``hint`` of every finding of a
report, so the same report can be rendered again in another language.

Params are read defensively: a finding from an older engine or another tool without the
expected keys still gets a readable, if less precise, message.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from moisinno_data.errors import ConfigError
from moisinno_data.package import notation
from moisinno_data.package.text import quoted
from moisinno_data.reading.marks import cut
from moisinno_data.validation import hints, kinds
from moisinno_data.validation.cells import ITEM
from moisinno_data.validation.kinds import Kind
from moisinno_data.validation.report import Finding, Report

LANGS = ("fr", "en")


def _name(value: Any) -> str | None:
    """A param used as a lookup key: a string, or None when another tool put anything else."""
    return value if isinstance(value, str) else None


def _t(lang: str, fr: str, en: str) -> str:
    return en if lang == "en" else fr


def _q(value: Any, lang: str) -> str:
    """A value quoted the way each language quotes (French guillemets keep spaces visible),
    cut as reports quote text (:func:`.marks.cut`): the finding keeps the whole value, its
    sentence need not repeat 15 MiB of it."""
    return quoted(cut(value) if isinstance(value, str) else value, lang)


def _col(f: Finding, lang: str) -> str:
    return _t(lang, f"la colonne {f.field}", f"column {f.field}") if f.field else ""


TYPE_NAMES = {
    "integer": ("un nombre entier", "a whole number"),
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
    pattern = notation.moment_pattern(p)
    if ftype == "boolean":
        yes, no = notation.booleans(p)
        fr, en = f"un booléen ({yes[0]} ou {no[0]})", f"a boolean ({yes[0]} or {no[0]})"
    elif ftype == "number":  # in the field's notation: a decimal comma is not a point
        shape_fr, shape_en = notation.number_shape(p)
        fr, en = f"un nombre écrit {shape_fr}", f"a number written {shape_en}"
    elif ftype == "geopoint":  # longitude first, in Table Schema's every format
        shape_fr, shape_en, _example = notation.geopoint_shape(p)
        fr, en = f"un point {shape_fr}", f"a point {shape_en}"
    elif fmt in FORMAT_NAMES:
        fr, en = FORMAT_NAMES[fmt]
    elif pattern is not None:
        example = notation.moment_text(notation.EXAMPLE_MOMENT, pattern)  # not ISO's
        fr = f"une valeur au format du schéma {fmt}" + (f" (ex. {example})" if example else "")
        en = f"a value in the schema's format {fmt}" + (f" (e.g. {example})" if example else "")
    elif ftype in TYPE_NAMES:
        fr, en = TYPE_NAMES[ftype]
    else:
        fr, en = (f"une valeur de type {ftype}", f"a value of type {ftype}")
    return _t(lang, fr, en)


def _type_error(f: Finding, lang: str) -> str:
    p = f.params or {}
    item = p.get("arrayItem")
    if isinstance(item, dict) and _json_array(f.value):
        exp = _expected_type(item, lang)
        return _t(
            lang,
            f"Un élément du tableau {_q(f.value, lang)} de {_col(f, lang)} n'est pas {exp}.",
            f"An item of the array {_q(f.value, lang)} in {_col(f, lang)} is not {exp}.",
        )
    exp = _expected_type(p, lang)
    return _t(
        lang,
        f"La valeur {_q(f.value, lang)} de {_col(f, lang)} n'est pas {exp}.",
        f"Value {_q(f.value, lang)} in {_col(f, lang)} is not {exp}.",
    )


def _json_array(value: Any) -> bool:
    """Whether a cell holds a JSON array (its items may still be of the wrong type)."""
    try:
        return isinstance(json.loads(str(value)), list)
    except (ValueError, RecursionError):  # not JSON; nested past what json reads
        return False


def _item_constraint_error(f: Finding, lang: str, c: str, e: Any) -> str:
    v, col = _q(f.value, lang), _col(f, lang)
    if c == "enum":
        allowed = _short_list(e) if isinstance(e, list) else str(e)
        return _t(
            lang,
            f"Un élément du tableau {v} de {col} n'est pas dans la liste autorisée ({allowed}).",
            f"An item of the array {v} in {col} is not one of the allowed values ({allowed}).",
        )
    if c == "required":
        return _t(
            lang,
            f"Le tableau {v} de {col} a un élément vide (null) : chaque élément est obligatoire.",
            f"The array {v} in {col} has an empty (null) item: every item is required.",
        )
    return _t(
        lang,
        f"Un élément du tableau {v} de {col} ne respecte pas la contrainte {c} ({e}).",
        f"An item of the array {v} in {col} breaks constraint {c} ({e}).",
    )


def _short_list(values: list[Any], limit: int = 12) -> str:
    shown = ", ".join(str(v) for v in values[:limit])
    return shown + (" …" if len(values) > limit else "")


def _constraint_error(f: Finding, lang: str) -> str:
    p = f.params or {}
    c, e = _name(p.get("constraint")), p.get("expected")
    v, col = _q(f.value, lang), _col(f, lang)
    if c is not None and c.startswith(ITEM):
        return _item_constraint_error(f, lang, c[len(ITEM) :], e)
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
        fr, en = _length_unit(p.get("type"), e)
        return _t(
            lang,
            f"La valeur {v} de {col} est trop courte : au moins {e} {fr}.",
            f"Value {v} in {col} is too short: at least {e} {en}.",
        )
    if c == "maxLength":
        fr, en = _length_unit(p.get("type"), e)
        return _t(
            lang,
            f"La valeur {v} de {col} est trop longue : au plus {e} {fr}.",
            f"Value {v} in {col} is too long: at most {e} {en}.",
        )
    return _t(
        lang,
        f"La valeur {v} de {col} ne respecte pas la contrainte {c} ({e}).",
        f"Value {v} in {col} breaks constraint {c} ({e}).",
    )


def _length_unit(type_: Any, n: Any) -> tuple[str, str]:
    """What ``minLength``/``maxLength`` count, in French and English: an array's items, an
    object's properties, otherwise characters (Table Schema)."""
    one = n in (0, 1)  # « au plus 1 caractère », « au moins 0 élément »
    if type_ in ("array", "list"):
        return ("élément" if one else "éléments"), ("item" if n == 1 else "items")
    if type_ == "object":
        return ("propriété" if one else "propriétés"), ("property" if n == 1 else "properties")
    return ("caractère" if one else "caractères"), ("character" if n == 1 else "characters")


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


def _unique_key(f: Finding, lang: str) -> str:
    p = f.params or {}
    keys = _fields(p) or f.field or "?"
    first = p.get("first_row")
    where = _t(lang, f", déjà à la ligne {first}", f", already on line {first}") if first else ""
    return _t(
        lang,
        f"La combinaison ({keys}) {_q(f.value, lang)} est en double{where} ; "
        "le schéma la veut unique (uniqueKeys).",
        f"The combination ({keys}) {_q(f.value, lang)} is duplicated{where}; "
        "the schema wants it unique (uniqueKeys).",
    )


def _foreign_key(f: Finding, lang: str) -> str:
    p = f.params or {}
    ref = _fields(p, "reference") or _fields(p, "reference_fields")
    if not p.get("resource"):  # a reference to this very table: nothing published
        return _t(
            lang,
            f"La valeur {_q(f.value, lang)} de {_col(f, lang)} n'existe pas dans la colonne "
            f"{ref} de ce même fichier.",
            f"Value {_q(f.value, lang)} in {_col(f, lang)} is not in column {ref} of this "
            "same file.",
        )
    resource = p["resource"]
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


def _nothing_matched(f: Finding, lang: str) -> str:
    p = f.params or {}
    labels = [str(label) for label in p.get("labels") or []]
    if not labels:
        return _t(
            lang,
            "La première ligne, lue comme l'en-tête, est vide : aucune colonne n'a été "
            "reconnue, rien n'a été contrôlé.",
            "The first row, read as the header, is empty: no column was recognised, nothing "
            "was checked.",
        )
    if hints.excel_separator_line(labels):
        return _t(
            lang,
            "La première ligne est « sep=… », la consigne de séparateur d'Excel, pas "
            "l'en-tête : aucune colonne n'a été reconnue, rien n'a été contrôlé.",
            'The first line is "sep=…", Excel\'s separator instruction, not the header: no '
            "column was recognised, nothing was checked.",
        )
    shown = _short_list(labels, 10)
    return _t(
        lang,
        f"Aucune colonne du fichier n'est un champ du schéma (en-tête lu : {shown}) : rien "
        "n'a été contrôlé.",
        f"No column of the file is a field of the schema (header read: {shown}): nothing "
        "was checked.",
    )


def _missing_label(f: Finding, lang: str) -> str:
    p = f.params or {}
    if p.get("primary_key"):
        return _t(
            lang,
            f"La colonne {f.field}, de la clé primaire, est absente de l'en-tête : aucune "
            "clé n'a pu être contrôlée.",
            f"Column {f.field}, part of the primary key, is missing from the header: no key "
            "could be checked.",
        )
    if p.get("required", f.severity == "error"):
        return _t(
            lang,
            f"La colonne obligatoire {f.field} est absente de l'en-tête.",
            f"Required column {f.field} is missing from the header.",
        )
    names = p.get("fields")
    names = [str(n) for n in names] if isinstance(names, list) and names else [str(f.field)]
    if len(names) == 1:
        return _t(
            lang,
            f"La colonne facultative {names[0]} est absente de l'en-tête.",
            f"Optional column {names[0]} is missing from the header.",
        )
    shown = _short_list(names, 20)
    return _t(
        lang,
        f"{len(names)} colonnes facultatives sont absentes de l'en-tête : {shown}",
        f"{len(names)} optional columns are missing from the header: {shown}",
    ) + ("" if shown.endswith("…") else ".")


def _extra_label(f: Finding, lang: str) -> str:
    p = f.params or {}
    label = f.value if f.value is not None else p.get("label", "")
    text = _t(
        lang,
        f"La colonne {_q(label, lang)} (colonne {f.column or '?'}) n'est pas dans le schéma : "
        "ses valeurs ne sont pas contrôlées.",
        f"Column {_q(label, lang)} (column {f.column or '?'}) is not in the schema: its "
        "values are not checked.",
    )
    closest = _name(p.get("closest"))
    if closest:
        text += _t(
            lang,
            f" Elle ressemble à la colonne {closest} du schéma.",
            f" It resembles the schema's column {closest}.",
        )
    return text


def _duplicate_label(f: Finding, lang: str) -> str:
    p = f.params or {}
    first = p.get("first_column")
    if p.get("copy_of"):  # not the same label: one only case or spelling apart
        label, other, name = _q(f.value, lang), _q(p.get("first_label"), lang), p["copy_of"]
        return _t(
            lang,
            f"La colonne {label} est une deuxième colonne {name} ({other} en colonne {first}) "
            ": seule la première est lue.",
            f"Column {label} is a second {name} column ({other} in column {first}): only the "
            "first is read.",
        )
    where = _t(lang, f" (déjà en colonne {first})", f" (already column {first})") if first else ""
    read = ""
    if p.get("read_as"):  # a title several fields bear: read as the next of them
        read = _t(
            lang,
            f" : titre de plusieurs champs, la colonne est lue comme le champ {p['read_as']}, "
            "dans l'ordre du schéma",
            f": the title of several fields, the column is read as field {p['read_as']}, in "
            "the schema's order",
        )
    elif p.get("unread"):
        read = _t(lang, " : seule la première est lue", ": only the first is read")
    return _t(
        lang,
        f"Le nom de colonne {_q(f.value, lang)} apparaît plusieurs fois dans "
        f"l'en-tête{where}{read}.",
        f"Column name {_q(f.value, lang)} appears more than once in the header{where}{read}.",
    )


def _duplicate_label_hint(f: Finding, lang: str) -> str:
    read_as = (f.params or {}).get("read_as")
    if read_as:
        return _t(
            lang,
            f"nommez chaque colonne du nom de son champ ({read_as} ici) : un même nom pour "
            "deux colonnes est ambigu pour tout autre lecteur",
            f"name each column by its field's name ({read_as} here): one name for two "
            "columns is ambiguous for any other reader",
        )
    return _t(
        lang, "renommez ou supprimez la colonne en double", "rename or remove the duplicate column"
    )


HOW_MAPPED = {
    "title": (
        "c'est le titre de ce champ dans le schéma",
        "it is that field's title in the schema",
    ),
    "spelling": (
        "il n'en diffère que par les majuscules, les accents, les espaces, la ponctuation "
        "(_ - .) ou des caractères invisibles",
        "it differs only by case, accents, spaces, punctuation (_ - .) or invisible characters",
    ),
    "damaged": (
        "un caractère accentué y a été perdu (« ? » ou « \ufffd ») par un export",
        'an accented letter in it was lost ("?" or "\ufffd") by an export',
    ),
}


def _incorrect_label(f: Finding, lang: str) -> str:
    p = f.params or {}
    expected = p.get("expected") or f.field
    if p.get("mapped"):
        how_key = _name(p.get("how")) or "spelling"
        fr, en = HOW_MAPPED.get(how_key, HOW_MAPPED["spelling"])
        return _t(
            lang,
            f"L'en-tête {_q(f.value, lang)} (colonne {f.column or '?'}) a été lu comme la "
            f"colonne {expected} ({fr}) : ses valeurs sont contrôlées.",
            f"Header {_q(f.value, lang)} (column {f.column or '?'}) was read as column "
            f"{expected} ({en}): its values are checked.",
        )
    return _t(
        lang,
        f"La colonne {f.column or '?'} s'appelle {_q(f.value, lang)} au lieu de {expected}.",
        f"Column {f.column or '?'} is named {_q(f.value, lang)} instead of {expected}.",
    )


_FIELDS_MATCH_WORDS = {
    "exact": ("les colonnes du schéma, toutes et seules, dans son ordre", "the schema's columns, all and only, in its order"),
    "equal": ("les colonnes du schéma, toutes et seules, dans n'importe quel ordre", "the schema's columns, all and only, in any order"),
    "subset": ("toutes les colonnes du schéma, d'autres permises", "all the schema's columns, others allowed"),
    "superset": ("seulement des colonnes du schéma, pas forcément toutes", "only the schema's columns, not necessarily all"),
}  # fmt: skip
"""What each ``fieldsMatch`` mode asks of a header (:data:`.resolution.BINDING`)."""


def _bound_by_schema(message: Callable[[Finding, str], str]) -> Callable[[Finding, str], str]:
    """``message``, and why it is an error when the schema's ``fieldsMatch`` made it one."""

    def said(f: Finding, lang: str) -> str:
        mode = (f.params or {}).get("fieldsMatch")
        words = _FIELDS_MATCH_WORDS.get(mode) if isinstance(mode, str) else None
        if words is None:
            return message(f, lang)
        return message(f, lang).rstrip(".") + _t(
            lang,
            f". Le schéma ne le permet pas (fieldsMatch « {mode} » : {words[0]}).",
            f'. The schema does not allow it (fieldsMatch "{mode}": {words[1]}).',
        )

    return said


def _column_order_hint(f: Finding, lang: str) -> str:
    if (f.params or {}).get("fieldsMatch"):
        return _t(
            lang,
            "remettez les colonnes dans l'ordre du schéma, celui du modèle Excel de la table "
            "que donne la commande « moisinno template »",
            "put the columns back in the schema's order, the one of the table's Excel template "
            'that the "moisinno template" command gives',
        )
    return _t(
        lang,
        "l'ordre n'empêche pas la lecture, mais le respecter facilite la consolidation",
        "the order does not prevent reading, but following it eases consolidation",
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


def _unknown_check(f: Finding, lang: str) -> str:
    closest = (f.params or {}).get("closest")
    fr = f" (vouliez-vous dire {_q(closest, lang)} ?)" if closest else ""
    en = f" (did you mean {_q(closest, lang)}?)" if closest else ""
    return _t(
        lang,
        f"Le schéma déclare le contrôle {_q(f.value, lang)} (custom_checks), qu'aucun outil "
        f"ne connaît{fr} : ce qu'il devait vérifier ne l'est pas ; le reste du fichier est "
        "contrôlé.",
        f"The schema declares check {_q(f.value, lang)} (custom_checks), which no tool "
        f"knows{en}: what it was meant to check is not checked; the rest of the file is.",
    )


def _unknown_check_hint(f: Finding, lang: str) -> str:
    return _t(
        lang,
        "corrigez le nom du contrôle dans le schéma (schema.json) ; si le schéma n'est pas "
        "le vôtre, signalez-le à son auteur",
        "correct the check's name in the schema (schema.json); if the schema is not yours, "
        "tell its author",
    )


def _schema_warning(f: Finding, lang: str) -> str:
    # The sentence is written by the schema checker (package.schema_check), in both languages.
    text = (f.params or {}).get("en" if lang == "en" else "fr")
    default = _t(lang, "une indication du schéma est ignorée", "a schema declaration is ignored")
    return _t(lang, "Schéma : ", "Schema: ") + str(text or default) + "."


def _schema_warning_hint(f: Finding, lang: str) -> str:
    if f.field is None and (f.params or {}).get("key") == "name":  # read, but refused elsewhere
        return _t(
            lang,
            "corrigez le nom dans le schéma (schema.json) : moisinno le lit tel quel, mais "
            "frictionless et les outils qui s'en servent (Validata) refusent ce schéma",
            "fix the name in the schema (schema.json): moisinno reads it as it is, but "
            "frictionless and the tools built on it (Validata) refuse this schema",
        )
    if (f.params or {}).get("key") == "example":
        return _t(
            lang,
            "corrigez l'exemple du champ dans le schéma (schema.json) : les contributeurs le "
            "recopient",
            "fix the field's example in the schema (schema.json): contributors copy it",
        )
    if (f.params or {}).get("key") == "constraints.enum":  # checked, but not as meant
        return _t(
            lang,
            "corrigez la liste « enum » dans le schéma (schema.json) : c'est elle qui décide "
            "des valeurs acceptées, et aucun contributeur ne peut y remédier dans son fichier",
            'fix the "enum" list in the schema (schema.json): it decides which values are '
            "accepted, and no contributor can make up for it in their file",
        )
    if (f.params or {}).get("key") == "format":  # a valid format, unreadable here (wkt)
        return _t(
            lang,
            "le schéma est juste : vérifiez ces valeurs avec un outil qui lit ce format, ou "
            "installez frictionless[wkt] à côté de moisinno",
            "the schema is right: check these values with a tool that reads this format, or "
            "install frictionless[wkt] beside moisinno",
        )
    return _t(
        lang,
        "corrigez le schéma (schema.json) : tant qu'elle est mal placée ou mal écrite, "
        "cette indication ne contrôle rien",
        "fix the schema (schema.json): while misplaced or misspelt, this declaration "
        "checks nothing",
    )


# Public names for the modules that declare kinds beside their checks (rules).
t, quote, column_phrase = _t, _q, _col

KINDS: tuple[Kind, ...] = (
    Kind(
        "type-error", "error", ("Valeur du mauvais type", "Value of the wrong type"),
        _type_error, hints.value_hint, "cells",
    ),
    Kind(
        "constraint-error", "error", ("Contrainte non respectée", "Constraint not met"),
        _constraint_error, hints.value_hint, "cells",
    ),
    Kind(
        "unique-error", "error", ("Valeur en double", "Duplicate value"),
        _unique, hints.unique, "keys",
    ),
    Kind(
        "primary-key", "error", ("Clé primaire vide ou en double", "Empty or duplicate primary key"),
        _primary_key, hints.primary_key, "keys",
    ),
    Kind(
        "unique-key", "error", ("Combinaison en double", "Duplicate combination"),
        _unique_key, hints.unique_key, "keys",
    ),
    Kind(
        "foreign-key", "error", ("Référence introuvable", "Reference not found"),
        _foreign_key, hints.foreign_key, "keys",
    ),
    Kind(
        "foreign-key-unavailable", "warning",
        ("Table de référence introuvable", "Reference table not found"),
        _fk_unavailable, hints.fk_unavailable, "engine",
    ),
    Kind(
        "missing-cell", "error", ("Cellule manquante", "Missing cell"),
        _missing_cell, hints.missing_cell, "engine",
    ),
    Kind(
        "extra-cell", "error", ("Cellule en trop", "Extra cell"),
        _extra_cell, hints.extra_cell, "engine",
    ),
    Kind(
        "blank-row", "error", ("Ligne vide", "Blank row"),
        ("La ligne est vide.", "The row is empty."),
        ("supprimez la ligne vide", "remove the empty row"), "engine",
    ),
    Kind(
        "missing-label", "error|warning", ("Colonne absente", "Missing column"),
        _bound_by_schema(_missing_label), hints.missing_label, "resolution",
    ),
    Kind(
        "no-matching-column", "error",
        ("Aucune colonne reconnue", "No column recognised"),
        _nothing_matched, hints.nothing_matched, "resolution",
    ),
    Kind(
        "extra-label", "error|warning",
        ("Colonne inconnue, non contrôlée", "Unknown column, not checked"),
        _bound_by_schema(_extra_label), hints.extra_label, "resolution",
    ),
    Kind(
        "blank-label", "error", ("Colonne sans nom", "Unnamed column"),
        (
            "La colonne {column} n'a pas de nom dans l'en-tête.",
            "Column {column} has no name in the header.",
        ),
        (
            "donnez un nom à la colonne ou supprimez-la (moisinno fix et la consolidation "
            "retirent d'eux-mêmes une colonne sans nom qui n'a aucune valeur)",
            "name the column or remove it (moisinno fix and consolidation remove by "
            "themselves a column without a name that holds no value)",
        ),
        "resolution",
    ),
    Kind(
        "duplicate-label", "error", ("Colonne en double", "Duplicate column"),
        _duplicate_label,
        _duplicate_label_hint,
        "resolution",
    ),
    Kind(
        "incorrect-label", "warning", ("Nom de colonne différent", "Different column name"),
        _incorrect_label, hints.incorrect_label, "resolution",
    ),
    Kind(
        "column-order", "error|warning", ("Ordre des colonnes", "Column order"),
        _bound_by_schema(_column_order), _column_order_hint, "resolution",
    ),
    Kind(
        "unknown-check", "error", ("Contrôle inconnu", "Unknown check"),
        _unknown_check,
        _unknown_check_hint,
        "rules",
    ),
    Kind(
        "schema-warning", "warning", ("Schéma : indication ignorée", "Schema: ignored declaration"),
        _schema_warning,
        _schema_warning_hint,
        "schema",
    ),
)  # fmt: skip
"""The standard (frictionless) and structural kinds; business rules declare theirs."""


def message(finding: Finding, lang: str = "fr") -> str:
    """The sentence for one finding; a generic one for a code this module does not know.
    A finding whose value keeps only the start of its cell also says the cell's length."""
    return _message(finding, lang) + _cut_note(finding, lang)


def _cut_note(finding: Finding, lang: str) -> str:
    """`` La cellule fait 1 048 576 caractères…`` when the finding's value is cut
    (``value_length``, :data:`.report.VALUE_CHARS`); ``cell-too-long`` already says it."""
    length = (finding.params or {}).get("value_length")
    if not isinstance(length, int) or finding.code == "cell-too-long":
        return ""
    grouped = f"{length:,}"
    return _t(
        lang,
        f" La cellule fait {grouped.replace(',', ' ')} caractères ; le rapport n'en cite "
        "que le début.",
        f" The cell is {grouped} characters long; the report quotes only its start.",
    )


def _message(finding: Finding, lang: str) -> str:
    kind = kinds.get(finding.code)
    if kind is not None:
        return kind.render_message(finding, lang)
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
        raise ConfigError(
            f"Langue inconnue : « {lang} » (fr ou en).",
            en=f"Unknown language: “{lang}” (fr or en).",
        )
    # A big file repeats the same mistake: the report renders each distinct (kind, cell)
    # once, when its findings are read or written (it keeps no text per finding).
    fuzzy = hints.FuzzyTime()  # this report's time for looking up close values

    def texts(f: Finding) -> tuple[str, str]:
        with hints.counted(fuzzy):
            return message(f, lang), hints.hint(f, lang)

    def prepare(findings: list[Finding]) -> None:
        with hints.counted(fuzzy):
            hints.prepare(findings)

    report.set_texts(lang, texts, prepare)
    return report


__all__ = ["KINDS", "LANGS", "localize", "message"]
