"""The Excel template of a table: what an organiser fills in instead of a blank sheet.

``moisinno template --schema evenements -o evenements.xlsx`` writes a workbook with

- a « Données » sheet (first, so the validator reads it): the header row with the exact
  column names, a note on each header cell (title, description, type, whether required,
  allowed values, example), and data validation on each column — a drop-down list for
  enumerations, whole or decimal numbers within the schema's bounds, dates, the field's
  own true / false words for booleans (``true`` / ``false`` by default), text length. Text columns are formatted as Text so that
  Excel keeps leading zeros (``01001``) and does not turn codes into numbers;
- a « Mode d'emploi » sheet: how to fill the file and check it, and one line per column;
- a hidden « Listes » sheet holding the allowed values (Excel limits an inline list to
  255 characters).

Dates are real Excel dates shown as ``AAAA-MM-JJ``; the validator reads them back as ISO
dates. Datetimes stay text (Excel has no time zones), with the expected form as prompt.

``--lang en`` (``lang="en"``) writes the same workbook in English: sheets « Data »,
« Instructions » and « Lists », notes, prompts, error alerts, instructions and the file's
properties. The data stays as the schema has it: column names, allowed values, the schema's
titles and descriptions. The validator reads either one alike: it takes the first visible
sheet, whatever its name.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from moisinno_data import fsutil
from moisinno_data.package import notation
from moisinno_data.package.descriptors import FieldDescriptor, SchemaDescriptor
from moisinno_data.package.schema_check import with_categories
from moisinno_data.package.text import in_lang, version_label

ROWS = 5000
"""Rows that get data validation (Excel applies it per range)."""

TEXT = {
    "fr": {
        "data_sheet": "Données",
        "help_sheet": "Mode d'emploi",
        "lists_sheet": "Listes",
        "book_title": "Modèle {}",
        "book_subject": "Schéma {} {}",
        "book_comments": "Produit par moisinno template",
        "either": "{} ou {}",
        "decimal": "nombre décimal ({})",
        "moment_date": "date {}",
        "moment_datetime": "date et heure {}",
        "moment_time": "heure {}",
        "iso_date": "AAAA-MM-JJ",
        "type": "Type : {}",
        "required": "Obligatoire",
        "optional": "Facultatif",
        "values": "Valeurs : {}",
        "bounds": "Bornes : {}",
        "and": " et ",
        "example": "Exemple : {}",
        "prompt_required": "obligatoire",
        "prompt_example": "ex. {}",
        "prompt_sep": " ; ",
        "refused": "Valeur refusée",
        "pick": "Choisissez une valeur de la liste déroulante.",
        "write_either": "Écrivez {} ou {}.",
        "whole": "un nombre entier",
        "number": "un nombre",
        "between": "Écrivez {what} entre {low} et {high}.",
        "at_least": "Écrivez {what} supérieur ou égal à {low}.",
        "at_most": "Écrivez {what} inférieur ou égal à {high}.",
        "any_number": "Écrivez {what}.",
        "write_date": "Écrivez une date ({}).",
        "length": "Au plus {} caractères.",
        "help_title": "Modèle de la table « {title} » (schéma {name} {version})",
        "columns": "Les colonnes :",
        "yes": "oui",
        "no": "non",
    },
    "en": {
        "data_sheet": "Data",
        "help_sheet": "Instructions",
        "lists_sheet": "Lists",
        "book_title": "Template {}",
        "book_subject": "Schema {} {}",
        "book_comments": "Made by moisinno template",
        "either": "{} or {}",
        "decimal": "decimal number ({})",
        "moment_date": "date {}",
        "moment_datetime": "date and time {}",
        "moment_time": "time {}",
        "iso_date": "YYYY-MM-DD",
        "type": "Type: {}",
        "required": "Required",
        "optional": "Optional",
        "values": "Values: {}",
        "bounds": "Bounds: {}",
        "and": " and ",
        "example": "Example: {}",
        "prompt_required": "required",
        "prompt_example": "e.g. {}",
        "prompt_sep": "; ",
        "refused": "Value refused",
        "pick": "Choose a value from the drop-down list.",
        "write_either": "Type {} or {}.",
        "whole": "a whole number",
        "number": "a number",
        "between": "Type {what} between {low} and {high}.",
        "at_least": "Type {what} greater than or equal to {low}.",
        "at_most": "Type {what} less than or equal to {high}.",
        "any_number": "Type {what}.",
        "write_date": "Type a date ({}).",
        "length": "At most {} characters.",
        "help_title": 'Template of the table "{title}" (schema {name} {version})',
        "columns": "The columns:",
        "yes": "yes",
        "no": "no",
    },
}
"""The words of the workbook in each language of ``--lang``: sheet names, notes, prompts,
error alerts, instructions and properties (the data itself is the schema's)."""
STEPS = {
    "fr": (
        "1. Remplissez la feuille « {data} » : une ligne par enregistrement, à partir de la "
        "ligne 2. Ne renommez pas, ne supprimez pas et ne déplacez pas les colonnes.",
        "2. Les colonnes à en-tête orangé sont obligatoires. Survolez un en-tête pour lire sa "
        "description ; les listes déroulantes donnent les valeurs autorisées.",
        "3. Écrivez chaque valeur comme le dit la colonne « Type » du tableau ci-dessous "
        "(dates, nombres ; booléens : une valeur de la liste déroulante). Les colonnes de "
        "texte sont au format Texte : un code y garde ses zéros initiaux (01001).",
        "4. Ne commencez pas une cellule par =, +, - ou @ (sauf un nombre négatif) : ce serait "
        "une formule.",
        "5. Vérifiez le fichier avant de l'envoyer : moisinno validate FICHIER.xlsx --schema {name}",
        "   (ou déposez-le sur la page de validation). Le rapport dit, ligne par ligne, quoi "
        "corriger.",
    ),
    "en": (
        '1. Fill in the "{data}" sheet: one row per record, from row 2 on. Do not rename, '
        "delete or move the columns.",
        "2. Columns with an orange header are required. Hover over a header to read its "
        "description; the drop-down lists give the allowed values.",
        '3. Write each value as the "Type" column of the table below says (dates, numbers; '
        "booleans: a value from the drop-down list). Text columns are formatted as Text: a "
        "code keeps its leading zeros there (01001).",
        "4. Do not start a cell with =, +, - or @ (except a negative number): it would be a "
        "formula.",
        "5. Check the file before sending it: moisinno validate FILE.xlsx --schema {name} "
        "--lang en",
        "   (or drop it on the validation page). The report says, row by row, what to fix.",
    ),
}
"""The numbered lines of the instructions sheet."""
HEADERS = {
    "fr": (
        "Colonne",
        "Titre",
        "Type",
        "Obligatoire",
        "Valeurs autorisées",
        "Exemple",
        "Description",
    ),
    "en": ("Column", "Title", "Type", "Required", "Allowed values", "Example", "Description"),
}
"""The headings of the instructions sheet's table of columns."""
TYPE_LABELS = {
    "fr": {
        "string": "texte",
        "integer": "nombre entier",
        "number": "nombre décimal (point comme séparateur)",
        "boolean": "true ou false",
        "date": "date AAAA-MM-JJ",
        "datetime": "date et heure ISO 8601 avec décalage (2020-11-17T10:00:00+01:00)",
        "year": "année (AAAA)",
        "yearmonth": "année et mois (AAAA-MM)",
    },
    "en": {
        "string": "text",
        "integer": "whole number",
        "number": "decimal number (point as separator)",
        "boolean": "true or false",
        "date": "date YYYY-MM-DD",
        "datetime": "ISO 8601 date and time with offset (2020-11-17T10:00:00+01:00)",
        "year": "year (YYYY)",
        "yearmonth": "year and month (YYYY-MM)",
    },
}
FORMAT_LABELS = {
    "fr": {"email": "adresse électronique", "uri": "adresse web (https://…)"},
    "en": {"email": "email address", "uri": "web address (https://…)"},
}


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _yes_no(field: FieldDescriptor) -> tuple[str, str]:
    """The boolean field's own words for true and false (the first of each): what the
    drop-down offers, as the validator reads them."""
    trues, falses = notation.booleans(field)
    return trues[0], falses[0]


def describe_type(field: FieldDescriptor, lang: str = "fr") -> str:
    """The column's type in words (``nombre entier``, ``whole number``…)."""
    fmt, ftype = field.get("format"), field.get("type", "string")
    words = in_lang(TEXT, lang)
    formats = in_lang(FORMAT_LABELS, lang)
    if fmt in formats:
        return formats[fmt]
    if ftype == "boolean":
        return words["either"].format(*_yes_no(field))
    if ftype == "number" and notation.decimal_char(field) != ".":
        shape_fr, shape_en = notation.number_shape(field)
        return words["decimal"].format(in_lang({"fr": shape_fr, "en": shape_en}, lang))
    shape = _moment_shape(field, lang)
    if shape is not None:  # a date written its own way (%d/%m/%Y): JJ/MM/AAAA
        return words[f"moment_{ftype}"].format(shape)
    return in_lang(TYPE_LABELS, lang).get(ftype, str(field.get("type")))


def _moment_shape(field: FieldDescriptor, lang: str) -> str | None:
    """How a date, time or date-time field with its own pattern writes them, as people
    read it (``JJ/MM/AAAA``; the pattern itself when it has no such shape); None for ISO."""
    pattern = notation.moment_pattern(field)
    if pattern is None:
        return None
    fr, en = notation.moment_shape(pattern) or (pattern, pattern)
    return en if lang == "en" else fr


_EXCEL_DATE_PARTS = {"%d": "dd", "%m": "mm", "%Y": "yyyy", "%y": "yy"}


def _excel_date_format(field: FieldDescriptor) -> str:
    """The number format that shows a date column's cells as the field writes them
    (``dd/mm/yyyy`` for ``%d/%m/%Y``): a date cell is a date whatever the pattern, and
    ``fix`` writes it the field's way; ISO for any other pattern."""
    pattern = notation.moment_pattern(field) or ""
    parts = re.findall(r"%.", pattern)
    between = re.sub(r"%.", "", pattern)
    if not parts or any(p not in _EXCEL_DATE_PARTS for p in parts) or between.strip("/-. "):
        return "yyyy-mm-dd"  # a letter between the parts would be a code to Excel
    return re.sub(r"%.", lambda m: _EXCEL_DATE_PARTS[m.group()], pattern)


def note_text(field: FieldDescriptor, lang: str = "fr") -> str:
    """The note on a header cell: everything an organiser needs to fill the column."""
    c = field.get("constraints") or {}
    words = in_lang(TEXT, lang)
    lines = [field.get("title") or field["name"]]
    if field.get("description"):
        lines.append(str(field["description"]))
    lines.append(words["type"].format(describe_type(field, lang)))
    lines.append(words["required"] if c.get("required") else words["optional"])
    if isinstance(c.get("enum"), list):
        lines.append(words["values"].format(", ".join(_as_text(v) for v in c["enum"])))
    bounds = [
        f"≥ {c['minimum']}" if "minimum" in c else "",
        f"≤ {c['maximum']}" if "maximum" in c else "",
    ]
    if any(bounds):
        lines.append(words["bounds"].format(words["and"].join(b for b in bounds if b)))
    if "example" in field:
        lines.append(words["example"].format(_as_text(field["example"])))
    return "\n".join(lines)


def _prompt(field: FieldDescriptor, lang: str) -> tuple[str, str]:
    """(title ≤ 32 characters, message ≤ 255) of the input prompt Excel shows on a cell."""
    words = in_lang(TEXT, lang)
    title = (field.get("title") or field["name"])[:32]
    parts = [describe_type(field, lang)]
    if (field.get("constraints") or {}).get("required"):
        parts.append(words["prompt_required"])
    if "example" in field:
        parts.append(words["prompt_example"].format(_as_text(field["example"])))
    message = words["prompt_sep"].join(parts)
    return title, message[:255]


def _validation(
    field: FieldDescriptor, list_ref: str | None, lang: str = "fr"
) -> dict[str, Any] | None:
    """xlsxwriter data validation options for the column, or None."""
    c = field.get("constraints") or {}
    ftype = field.get("type", "string")
    words = in_lang(TEXT, lang)
    error = {
        "error_title": words["refused"],
        "error_type": "stop",
    }
    if list_ref is not None:
        return {"validate": "list", "source": list_ref, "error_message": words["pick"], **error}
    if ftype == "boolean":
        yes, no = _yes_no(field)
        if "," in yes + no:  # an inline list is comma-separated: no drop-down then
            return None
        return {
            "validate": "list",
            "source": [yes, no],
            "error_message": words["write_either"].format(yes, no),
            **error,
        }
    if ftype in ("integer", "number"):
        return {**_number_rule(field, words), **error}
    if ftype == "date":
        import datetime as dt

        return {
            "validate": "date",
            "criteria": "between",
            "minimum": dt.date(1900, 1, 1),
            "maximum": dt.date(2199, 12, 31),
            "error_message": words["write_date"].format(
                _moment_shape(field, lang) or words["iso_date"]
            ),
            **error,
        }
    if ftype == "string" and isinstance(c.get("maxLength"), int):
        return {
            "validate": "length",
            "criteria": "<=",
            "value": c["maxLength"],
            "error_message": words["length"].format(c["maxLength"]),
            **error,
        }
    return None


def _number_rule(field: FieldDescriptor, words: dict[str, str]) -> dict[str, Any]:
    """The validation of an integer or number column: within its bounds, if any."""
    c = field.get("constraints") or {}
    integer = field.get("type") == "integer"
    low, high = c.get("minimum"), c.get("maximum")
    what = words["whole"] if integer else words["number"]
    rule: dict[str, Any]
    if low is not None and high is not None:
        rule, key = {"criteria": "between", "minimum": low, "maximum": high}, "between"
    elif low is not None:
        rule, key = {"criteria": ">=", "value": low}, "at_least"
    elif high is not None:
        rule, key = {"criteria": "<=", "value": high}, "at_most"
    else:
        rule = {"criteria": "between", "minimum": -(10**15), "maximum": 10**15}
        key = "any_number"
    text = words[key].format(what=what, low=low, high=high)
    return {"validate": "integer" if integer else "decimal", **rule, "error_message": text}


def build(schema: SchemaDescriptor, table: str | None = None, lang: str = "fr") -> bytes:
    """The template workbook of ``schema`` (any Table Schema), as XLSX bytes; ``table``
    (the package's name for it) names a schema that has no ``name`` of its own; ``lang``:
    the language of the workbook's own words (``fr`` or ``en``)."""
    import xlsxwriter
    from xlsxwriter.utility import xl_col_to_name

    words = in_lang(TEXT, lang)
    fields = [  # v2 categories listed as the enum they are (validate checks them so)
        with_categories(f)
        for f in schema.get("fields", [])
        if isinstance(f, dict) and f.get("name")
    ]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    version = version_label(schema.get("version", ""))
    book.set_properties(
        {
            "title": words["book_title"]
            .format(schema.get("title") or schema.get("name") or "")
            .strip(),
            "subject": words["book_subject"].format(schema.get("name", ""), version),
            "comments": words["book_comments"],
            # Not the wall clock: the same schema gives the same bytes (archives).
            "created": fsutil.stamp_time().replace(tzinfo=None),
        }
    )
    data = book.add_worksheet(words["data_sheet"])
    help_sheet = book.add_worksheet(words["help_sheet"])
    lists = book.add_worksheet(words["lists_sheet"])
    lists.hide()

    head = book.add_format({"bold": True, "bg_color": "#DDE5F4", "border": 1, "text_wrap": True})
    required_head = book.add_format(
        {"bold": True, "bg_color": "#F9D9C8", "border": 1, "text_wrap": True}
    )
    text = book.add_format({"num_format": "@"})
    dates: dict[str, Any] = {}
    data.freeze_panes(1, 0)
    data.set_row(0, 30)

    list_column = 0
    for col, field in enumerate(fields):
        c = field.get("constraints") or {}
        ftype = field.get("type", "string")
        data.write_string(0, col, field["name"], required_head if c.get("required") else head)
        data.write_comment(0, col, note_text(field, lang), {"x_scale": 3, "y_scale": 4})
        cell_format = text if ftype in ("string", "datetime") else None
        if ftype == "date":
            shown = _excel_date_format(field)
            cell_format = dates.get(shown) or dates.setdefault(
                shown, book.add_format({"num_format": shown})
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
            list_ref = f"='{words['lists_sheet']}'!${letter}$2:${letter}${len(values) + 1}"
            list_column += 1
        options = _validation(field, list_ref, lang) or {"validate": "any"}
        title, message = _prompt(field, lang)
        options.update({"input_title": title, "input_message": message})
        data.data_validation(1, col, ROWS, col, options)

    _instructions(book, help_sheet, schema, fields, schema.get("name") or table or "", lang)
    data.activate()
    book.close()
    return buffer.getvalue()


def _instructions(
    book: Any,
    sheet: Any,
    schema: SchemaDescriptor,
    fields: list[FieldDescriptor],
    name: str,
    lang: str,
) -> None:
    title = book.add_format({"bold": True, "font_size": 14})
    bold = book.add_format({"bold": True, "bg_color": "#DDE5F4", "border": 1, "text_wrap": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    words = in_lang(TEXT, lang)
    heading = words["help_title"].format(
        title=schema.get("title") or name,
        name=name,
        version=version_label(schema.get("version", "?")),
    )
    steps = [s.format(data=words["data_sheet"], name=name) for s in in_lang(STEPS, lang)]
    lines = [heading, "", *steps, "", words["columns"]]
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
    for col, h in enumerate(in_lang(HEADERS, lang)):
        sheet.write_string(row, col, h, bold)
    for field in fields:
        row += 1
        c = field.get("constraints") or {}
        values = ", ".join(_as_text(v) for v in c.get("enum") or [])
        cells = [
            field["name"],
            field.get("title", ""),
            describe_type(field, lang),
            words["yes"] if c.get("required") else words["no"],
            values,
            _as_text(field.get("example")),
            field.get("description", ""),
        ]
        for col, value in enumerate(cells):
            sheet.write_string(row, col, str(value), wrap)


def write_template(
    schema: SchemaDescriptor, path: str | Path, table: str | None = None, lang: str = "fr"
) -> Path:
    """Write the template of ``schema`` in ``lang`` to ``path`` (atomically) and return the
    path."""
    target = Path(path)
    fsutil.write_bytes(target, build(schema, table, lang))
    return target


__all__ = ["build", "note_text", "write_template"]
