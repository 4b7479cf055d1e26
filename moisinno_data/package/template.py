"""The Excel template of a table: what an organiser fills in instead of a blank sheet.

``moisinno template --schema evenements -o evenements.xlsx`` writes a workbook with

- a « Données » sheet (first, so the validator reads it): the header row with the exact
  column names, a note on each header cell (title, description, type, whether required,
  allowed values, example), and data validation on each column — a drop-down list for
  enumerations, whole or decimal numbers within the schema's bounds, dates, the field's
  own true / false words for booleans (``true`` / ``false`` by default), text length. Text columns are formatted as Text so that
  Excel keeps leading zeros (``01001``) and does not turn codes into numbers;
- a « Mode d'emploi » sheet, in French: how to fill the file and check it, and one line
  per column;
- a hidden « Listes » sheet holding the allowed values (Excel limits an inline list to
  255 characters).

Dates are real Excel dates shown as ``AAAA-MM-JJ``; the validator reads them back as ISO
dates. Datetimes stay text (Excel has no time zones), with the expected form as prompt.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from moisinno_data import fsutil
from moisinno_data.package import notation
from moisinno_data.package.descriptors import FieldDescriptor, SchemaDescriptor
from moisinno_data.package.text import version_label

ROWS = 5000
"""Rows that get data validation (Excel applies it per range)."""
DATA_SHEET = "Données"
HELP_SHEET = "Mode d'emploi"
LISTS_SHEET = "Listes"

TYPE_LABELS = {
    "string": "texte",
    "integer": "nombre entier",
    "number": "nombre décimal (point comme séparateur)",
    "boolean": "true ou false",
    "date": "date AAAA-MM-JJ",
    "datetime": "date et heure ISO 8601 avec décalage (2020-11-17T10:00:00+01:00)",
    "year": "année (AAAA)",
    "yearmonth": "année et mois (AAAA-MM)",
}
FORMAT_LABELS = {"email": "adresse électronique", "uri": "adresse web (https://…)"}


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _yes_no(field: FieldDescriptor) -> tuple[str, str]:
    """The boolean field's own words for true and false (the first of each): what the
    drop-down offers, as the validator reads them."""
    trues, falses = notation.booleans(field)
    return trues[0], falses[0]


def describe_type(field: FieldDescriptor) -> str:
    fmt, ftype = field.get("format"), field.get("type", "string")
    if fmt in FORMAT_LABELS:
        return FORMAT_LABELS[fmt]
    if ftype == "boolean":
        return "{} ou {}".format(*_yes_no(field))
    if ftype == "number" and notation.decimal_char(field) != ".":
        return f"nombre décimal ({notation.number_shape(field)[0]})"
    return TYPE_LABELS.get(ftype, str(field.get("type")))


def note_text(field: FieldDescriptor) -> str:
    """The note on a header cell: everything an organiser needs to fill the column."""
    c = field.get("constraints") or {}
    lines = [field.get("title") or field["name"]]
    if field.get("description"):
        lines.append(str(field["description"]))
    lines.append(f"Type : {describe_type(field)}")
    lines.append("Obligatoire" if c.get("required") else "Facultatif")
    if isinstance(c.get("enum"), list):
        lines.append("Valeurs : " + ", ".join(_as_text(v) for v in c["enum"]))
    bounds = [
        f"≥ {c['minimum']}" if "minimum" in c else "",
        f"≤ {c['maximum']}" if "maximum" in c else "",
    ]
    if any(bounds):
        lines.append("Bornes : " + " et ".join(b for b in bounds if b))
    if "example" in field:
        lines.append(f"Exemple : {_as_text(field['example'])}")
    return "\n".join(lines)


def _prompt(field: FieldDescriptor) -> tuple[str, str]:
    """(title ≤ 32 characters, message ≤ 255) of the input prompt Excel shows on a cell."""
    title = (field.get("title") or field["name"])[:32]
    parts = [describe_type(field)]
    if (field.get("constraints") or {}).get("required"):
        parts.append("obligatoire")
    if "example" in field:
        parts.append(f"ex. {_as_text(field['example'])}")
    message = " ; ".join(parts)
    return title, message[:255]


def _validation(field: FieldDescriptor, list_ref: str | None) -> dict[str, Any] | None:
    """xlsxwriter data validation options for the column, or None."""
    c = field.get("constraints") or {}
    ftype = field.get("type", "string")
    error = {
        "error_title": "Valeur refusée",
        "error_type": "stop",
    }
    if list_ref is not None:
        return {
            "validate": "list",
            "source": list_ref,
            "error_message": "Choisissez une valeur de la liste déroulante.",
            **error,
        }
    if ftype == "boolean":
        yes, no = _yes_no(field)
        if "," in yes + no:  # an inline list is comma-separated: no drop-down then
            return None
        return {
            "validate": "list",
            "source": [yes, no],
            "error_message": f"Écrivez {yes} ou {no}.",
            **error,
        }
    if ftype in ("integer", "number"):
        kind = "integer" if ftype == "integer" else "decimal"
        low, high = c.get("minimum"), c.get("maximum")
        what = "un nombre entier" if ftype == "integer" else "un nombre"
        if low is not None and high is not None:
            rule = {"criteria": "between", "minimum": low, "maximum": high}
            text = f"Écrivez {what} entre {low} et {high}."
        elif low is not None:
            rule = {"criteria": ">=", "value": low}
            text = f"Écrivez {what} supérieur ou égal à {low}."
        elif high is not None:
            rule = {"criteria": "<=", "value": high}
            text = f"Écrivez {what} inférieur ou égal à {high}."
        else:
            rule = {"criteria": "between", "minimum": -(10**15), "maximum": 10**15}
            text = f"Écrivez {what}."
        return {"validate": kind, **rule, "error_message": text, **error}
    if ftype == "date":
        import datetime as dt

        return {
            "validate": "date",
            "criteria": "between",
            "minimum": dt.date(1900, 1, 1),
            "maximum": dt.date(2199, 12, 31),
            "error_message": "Écrivez une date (AAAA-MM-JJ).",
            **error,
        }
    if ftype == "string" and isinstance(c.get("maxLength"), int):
        return {
            "validate": "length",
            "criteria": "<=",
            "value": c["maxLength"],
            "error_message": f"Au plus {c['maxLength']} caractères.",
            **error,
        }
    return None


def build(schema: SchemaDescriptor, table: str | None = None) -> bytes:
    """The template workbook of ``schema`` (any Table Schema), as XLSX bytes; ``table``
    (the package's name for it) names a schema that has no ``name`` of its own."""
    import xlsxwriter
    from xlsxwriter.utility import xl_col_to_name

    fields = [f for f in schema.get("fields", []) if isinstance(f, dict) and f.get("name")]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties(
        {
            "title": f"Modèle {schema.get('title') or schema.get('name') or ''}".strip(),
            "subject": f"Schéma {schema.get('name', '')} {version_label(schema.get('version', ''))}",
            "comments": "Produit par moisinno template",
            # Not the wall clock: the same schema gives the same bytes (archives).
            "created": fsutil.stamp_time().replace(tzinfo=None),
        }
    )
    data = book.add_worksheet(DATA_SHEET)
    help_sheet = book.add_worksheet(HELP_SHEET)
    lists = book.add_worksheet(LISTS_SHEET)
    lists.hide()

    head = book.add_format({"bold": True, "bg_color": "#DDE5F4", "border": 1, "text_wrap": True})
    required_head = book.add_format(
        {"bold": True, "bg_color": "#F9D9C8", "border": 1, "text_wrap": True}
    )
    text = book.add_format({"num_format": "@"})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    data.freeze_panes(1, 0)
    data.set_row(0, 30)

    list_column = 0
    for col, field in enumerate(fields):
        c = field.get("constraints") or {}
        ftype = field.get("type", "string")
        data.write_string(0, col, field["name"], required_head if c.get("required") else head)
        data.write_comment(0, col, note_text(field), {"x_scale": 3, "y_scale": 4})
        cell_format = (
            date if ftype == "date" else (text if ftype in ("string", "datetime") else None)
        )
        width = max(14, min(40, len(field["name"]) + 4))
        data.set_column(col, col, width, cell_format)
        list_ref = None
        if isinstance(c.get("enum"), list) and c["enum"]:
            values = [_as_text(v) for v in c["enum"]]
            lists.write_string(0, list_column, field["name"])
            for i, v in enumerate(values, start=1):
                lists.write_string(i, list_column, v)
            letter = xl_col_to_name(list_column)
            list_ref = f"='{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
            list_column += 1
        options = _validation(field, list_ref) or {"validate": "any"}
        title, message = _prompt(field)
        options.update({"input_title": title, "input_message": message})
        data.data_validation(1, col, ROWS, col, options)

    _instructions(book, help_sheet, schema, fields, schema.get("name") or table or "")
    data.activate()
    book.close()
    return buffer.getvalue()


def _instructions(
    book: Any, sheet: Any, schema: SchemaDescriptor, fields: list[FieldDescriptor], name: str
) -> None:
    title = book.add_format({"bold": True, "font_size": 14})
    bold = book.add_format({"bold": True, "bg_color": "#DDE5F4", "border": 1, "text_wrap": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    lines = [
        f"Modèle de la table « {schema.get('title') or name} » (schéma {name} "
        f"{version_label(schema.get('version', '?'))})",
        "",
        "1. Remplissez la feuille « Données » : une ligne par enregistrement, à partir de la "
        "ligne 2. Ne renommez pas, ne supprimez pas et ne déplacez pas les colonnes.",
        "2. Les colonnes à en-tête orangé sont obligatoires. Survolez un en-tête pour lire sa "
        "description ; les listes déroulantes donnent les valeurs autorisées.",
        "3. Dates : AAAA-MM-JJ (2020-11-17). Nombres : point décimal (44.8378). Booléens : "
        "une valeur de la liste déroulante. Codes (région, département, commune, SIRET) : gardez les zéros "
        "initiaux (01001), les colonnes sont au format Texte.",
        "4. Ne commencez pas une cellule par =, +, - ou @ (sauf un nombre négatif) : ce serait "
        "une formule.",
        f"5. Vérifiez le fichier avant de l'envoyer : moisinno validate FICHIER.xlsx --schema {name}",
        "   (ou déposez-le sur la page de validation). Le rapport dit, ligne par ligne, quoi "
        "corriger.",
        "",
        "Les colonnes :",
    ]
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 3, 18)
    sheet.set_column(4, 4, 40)
    sheet.set_column(5, 5, 22)
    sheet.set_column(6, 6, 70)
    sheet.write_string(0, 0, lines[0], title)
    for i, line in enumerate(lines[1:], start=1):
        sheet.write_string(i, 0, line)
    row = len(lines) + 1
    headers = [
        "Colonne",
        "Titre",
        "Type",
        "Obligatoire",
        "Valeurs autorisées",
        "Exemple",
        "Description",
    ]
    for col, h in enumerate(headers):
        sheet.write_string(row, col, h, bold)
    for field in fields:
        row += 1
        c = field.get("constraints") or {}
        values = ", ".join(_as_text(v) for v in c.get("enum") or [])
        cells = [
            field["name"],
            field.get("title", ""),
            describe_type(field),
            "oui" if c.get("required") else "non",
            values,
            _as_text(field.get("example")),
            field.get("description", ""),
        ]
        for col, value in enumerate(cells):
            sheet.write_string(row, col, str(value), wrap)


def write_template(schema: SchemaDescriptor, path: str | Path, table: str | None = None) -> Path:
    """Write the template of ``schema`` to ``path`` (atomically) and return the path."""
    target = Path(path)
    fsutil.write_bytes(target, build(schema, table))
    return target


__all__ = ["build", "note_text", "write_template"]
