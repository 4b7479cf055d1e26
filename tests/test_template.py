"""The Excel template: structure (notes, drop-downs, checks, instructions) and, filled in
correctly, a file the validator accepts; filled in wrongly, one it flags."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from moisinno_data import validate
from moisinno_data.cli import main
from moisinno_data.package.template import write_template
from tests.conftest import SCHEMAS, TABLES


def load(table: str) -> dict:
    return json.loads((SCHEMAS / table / "schema.json").read_text(encoding="utf-8"))


def typed(field: dict, text: str):
    """A cell as someone typing in Excel would enter it (dates as dates, numbers as numbers)."""
    if text == "":
        return None
    kind = field["type"]
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    if kind == "date":
        return dt.date.fromisoformat(text)
    return text


def fill(template: Path, table: str, rows: list[dict[str, str]]) -> Path:
    fields = {f["name"]: f for f in load(table)["fields"]}
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for r, row in enumerate(rows, start=2):
        for c, name in enumerate(header, start=1):
            value = typed(fields[name], row.get(name, ""))
            if value is not None:
                sheet.cell(r, c, value)
    book.save(template)
    return template


def valid_rows(table: str) -> list[dict[str, str]]:
    with open(SCHEMAS / table / "exemple-valide.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_structure_of_the_events_template(tmp_path):
    schema = load("evenements")
    path = write_template(schema, tmp_path / "evenements.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Données", "Mode d'emploi", "Listes"]
    assert book["Listes"].sheet_state == "hidden"
    sheet = book["Données"]
    names = [f["name"] for f in schema["fields"]]
    assert [c.value for c in sheet[1]] == names
    # a note on every header cell, with the field's description
    for cell, field in zip(sheet[1], schema["fields"], strict=True):
        assert cell.comment is not None and field["description"] in cell.comment.text
    rules = {
        str(dv.sqref).split(":")[0].rstrip("0123456789"): dv
        for dv in sheet.data_validations.dataValidation
    }
    col = {name: openpyxl.utils.get_column_letter(i) for i, name in enumerate(names, start=1)}
    fmt = rules[col["format"]]
    assert fmt.type == "list" and fmt.formula1.startswith("'Listes'!")
    listed = [c.value for c in book["Listes"]["A"][1:] if c.value is not None]
    assert listed == schema["fields"][names.index("format")]["constraints"]["enum"]
    edition = rules[col["edition"]]
    assert (edition.type, edition.formula1, edition.formula2) == ("whole", "2014", "2100")
    assert rules[col["latitude"]].type == "decimal"
    assert (rules[col["latitude"]].formula1, rules[col["latitude"]].formula2) == ("-90", "90")
    assert rules[col["date"]].type == "date"
    assert rules[col["gratuit"]].formula1 == '"true,false"'
    assert rules[col["nombre_participants"]].operator == "greaterThanOrEqual"
    assert rules[col["titre"]].type == "textLength"
    # codes keep their leading zeros: text columns are formatted as Text
    assert sheet.column_dimensions[col["commune"]].number_format == "@"
    assert sheet.column_dimensions[col["date"]].number_format == "yyyy-mm-dd"
    help_text = "\n".join(
        str(c.value) for row in book["Mode d'emploi"].iter_rows() for c in row if c.value
    )
    assert "moisinno validate" in help_text and "AAAA-MM-JJ" in help_text
    assert all(name in help_text for name in names)


@pytest.mark.parametrize("table", TABLES)
def test_template_filled_correctly_validates(tmp_path, table):
    path = write_template(load(table), tmp_path / f"{table}.xlsx")
    fill(path, table, valid_rows(table))
    report = validate(path, table)
    assert report.detected["format"] == "xlsx"
    assert report.errors == [], [f.message for f in report.errors]
    assert report.rows == len(valid_rows(table))


def test_template_filled_wrongly_is_flagged(tmp_path):
    rows = valid_rows("evenements")
    rows[0] = dict(rows[0], gratuit="oui", region="Bretagne")
    path = write_template(load("evenements"), tmp_path / "evenements.xlsx")
    fill(path, "evenements", rows)
    report = validate(path, "evenements")
    keys = {(f.code, f.row, f.field) for f in report.errors}
    assert ("type-error", 2, "gratuit") in keys
    assert ("constraint-error", 2, "region") in keys


def test_template_for_any_schema(tmp_path):
    schema = {
        "name": "fictive",
        "fields": [
            {"name": "code", "type": "string", "constraints": {"required": True}},
            {"name": "actif", "type": "boolean"},
        ],
    }
    schema_path = tmp_path / "schema.json"
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    out = tmp_path / "modele.xlsx"
    assert main(["template", "--schema", str(schema_path), "-o", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["code", "actif"]
    # the instructions speak of this schema's columns, not of this project's (sweep 9)
    help_text = " ".join(
        str(c.value) for ws in book.worksheets[1:] for row in ws.iter_rows() for c in row if c.value
    )
    assert "région" not in help_text and "SIRET" not in help_text and "AAAA-MM-JJ" not in help_text


def test_boolean_drop_down_offers_the_schemas_own_words(tmp_path):
    """Sweep 11: with ``trueValues: ["oui"]`` the drop-down offered true/false, which the
    validator then refused. It offers the field's own first true and false values."""
    schema = {
        "name": "mesures",
        "fields": [
            {"name": "ouvert", "type": "boolean", "trueValues": ["oui"], "falseValues": ["non"]},
            {"name": "actif", "type": "boolean"},
        ],
    }
    path = write_template(schema, tmp_path / "modele.xlsx")
    sheet = openpyxl.load_workbook(path)["Données"]
    lists = {str(d.sqref)[0]: d.formula1 for d in sheet.data_validations.dataValidation}
    assert lists == {"A": '"oui,non"', "B": '"true,false"'}
    sheet["A2"], sheet["B2"] = "non", "true"
    sheet.parent.save(tmp_path / "rempli.xlsx")
    assert validate(tmp_path / "rempli.xlsx", schema=schema).valid


def test_template_command_never_overwrites_and_says_why(tmp_path, capsys):
    out = tmp_path / "evenements.xlsx"
    assert main(["template", "--schema", "evenements", "-o", str(out)]) == 0
    before = out.read_bytes()
    assert main(["template", "--schema", "evenements", "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert out.read_bytes() == before
    assert main(["template", "--schema", "evenements", "-o", str(out), "--force"]) == 0
    assert main(["template", "--schema", "inconnue", "-o", str(tmp_path / "x.xlsx")]) == 2
    assert "Schéma inconnu" in capsys.readouterr().err
    assert main(["template", "--schema", "evenements", "-o", str(tmp_path / "x.csv")]) == 2


def test_the_same_schema_gives_the_same_workbook_bytes(monkeypatch):
    """A release archive holds each table's template: its properties carried the wall
    clock, so two identical releases (even with SOURCE_DATE_EPOCH) differed by their
    templates. The workbook is dated like the release (by the day, or by the epoch)."""
    import time

    from moisinno_data.package.schemas import load_schema
    from moisinno_data.package.template import build

    schema = load_schema("editions")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = build(schema)
    time.sleep(1.1)  # the old properties were dated to the second
    assert build(schema) == first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    pinned = build(schema)
    assert pinned != first and build(schema) == pinned


FRENCH_WORDS = (
    "Données",
    "Mode d'emploi",
    "Listes",
    "Obligatoire",
    "Facultatif",
    "nombre entier",
    "Bornes",
    "Exemple",
    "Écrivez",
    "Valeur refusée",
    "Choisissez",
    "Remplissez",
    "date AAAA-MM-JJ",  # the type; the schema's descriptions say (AAAA-MM-JJ)
    "Valeurs autorisées",
    "Produit par",
)
"""Words of ours in the French workbook that no schema of the package uses."""


def shown_text(path: Path) -> str:
    """Everything the workbook shows: its XML parts, unescaped (cells, notes, prompts,
    error alerts, sheet names, properties)."""
    import html
    import zipfile

    with zipfile.ZipFile(path) as book:
        return html.unescape("\n".join(book.read(n).decode("utf-8") for n in book.namelist()))


def test_english_template_speaks_english_and_keeps_the_data(tmp_path):
    """``--lang en`` wrote the French workbook: sheets, notes, prompts and alerts in English
    now; column names, allowed values and the schema's own (French) texts unchanged."""
    schema = load("evenements")
    french = shown_text(write_template(schema, tmp_path / "fr.xlsx"))
    path = write_template(schema, tmp_path / "en.xlsx", lang="en")
    english = shown_text(path)
    assert all(word in french for word in FRENCH_WORDS)
    assert [word for word in FRENCH_WORDS if word in english] == []
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Data", "Instructions", "Lists"]
    assert book["Lists"].sheet_state == "hidden"
    names = [f["name"] for f in schema["fields"]]
    assert [c.value for c in book["Data"][1]] == names
    edition = book["Data"]["B1"].comment.text
    assert "Type: whole number\nRequired\nBounds: ≥ 2014 and ≤ 2100" in edition
    assert schema["fields"][1]["description"] in edition
    rules = {str(dv.sqref)[0]: dv for dv in book["Data"].data_validations.dataValidation}
    assert rules["B"].prompt == "whole number; required; e.g. 2020"
    assert rules["B"].error == "Type a whole number between 2014 and 2100."
    assert rules["B"].errorTitle == "Value refused"
    lists = [dv for dv in rules.values() if dv.type == "list" and "!" in (dv.formula1 or "")]
    assert lists and all(dv.formula1.startswith("'Lists'!") for dv in lists)
    listed = [c.value for c in book["Lists"]["A"][1:] if c.value is not None]
    assert listed == schema["fields"][names.index("format")]["constraints"]["enum"]
    steps = [c.value for c in book["Instructions"]["A"] if c.value]
    assert '1. Fill in the "Data" sheet' in steps[1]
    assert "moisinno validate FILE.xlsx --schema evenements --lang en" in steps[5]
    assert book.properties.title.startswith("Template ")


@pytest.mark.parametrize("table", TABLES)
def test_english_template_filled_validates_like_the_french_one(tmp_path, table):
    """The validator reads the first visible sheet, whatever its name: the same rows in
    either template give the same report, findings included."""
    rows = valid_rows(table)
    if table == "evenements":
        rows[0] = dict(rows[0], gratuit="oui", region="Bretagne")
    reports = {}
    for lang in ("fr", "en"):
        path = write_template(load(table), tmp_path / lang / f"{table}.xlsx", lang=lang)
        reports[lang] = validate(fill(path, table, rows), table).to_dict()
    assert reports["en"]["detected"].pop("sheet") == "Data"
    assert reports["fr"]["detected"].pop("sheet") == "Données"
    for report in reports.values():
        del report["file"]
    assert reports["en"] == reports["fr"]
    assert bool(reports["en"]["errors"]) == (table == "evenements")


def test_template_command_in_english(tmp_path, capsys):
    out = tmp_path / "evenements.xlsx"
    assert main(["template", "--schema", "evenements", "-o", str(out), "--lang", "en"]) == 0
    assert "Template written:" in capsys.readouterr().out
    assert openpyxl.load_workbook(out).sheetnames == ["Data", "Instructions", "Lists"]
    assert (
        main(["template", "--schema", "evenements", "-o", str(tmp_path / "x.csv"), "--lang", "en"])
        == 2
    )
    assert "give a name ending in .xlsx" in capsys.readouterr().err


def test_a_date_with_its_own_pattern_is_labelled_and_shown_as_the_pattern_says(tmp_path):
    """Sweep 9: a date field with ``"format": "%d/%m/%Y"`` was labelled « date
    AAAA-MM-JJ » in the template (note, prompt, alert): it says JJ/MM/AAAA (DD/MM/YYYY in
    English), and its cells show dates that way; a date typed there still validates."""
    schema = {
        "name": "fictive",
        "fields": [
            {"name": "jour", "type": "date", "format": "%d/%m/%Y"},
            {"name": "le", "type": "date"},
            {"name": "releve", "type": "datetime", "format": "%d/%m/%Y %H:%M"},
        ],
    }
    book = openpyxl.load_workbook(write_template(schema, tmp_path / "modele.xlsx"))
    sheet = book["Données"]
    notes = [sheet.cell(1, c).comment.text for c in (1, 2, 3)]
    assert "Type : date JJ/MM/AAAA" in notes[0] and "AAAA-MM-JJ" not in notes[0]
    assert "date AAAA-MM-JJ" in notes[1]
    assert "date et heure JJ/MM/AAAA HH:MM" in notes[2]
    checks = {str(d.sqref)[0]: d for d in sheet.data_validations.dataValidation}
    assert checks["A"].error == "Écrivez une date (JJ/MM/AAAA)."
    assert checks["A"].prompt.startswith("date JJ/MM/AAAA")
    assert checks["B"].error == "Écrivez une date (AAAA-MM-JJ)."
    assert sheet.column_dimensions["A"].number_format == "dd/mm/yyyy"
    english = openpyxl.load_workbook(write_template(schema, tmp_path / "en.xlsx", lang="en"))
    assert "date DD/MM/YYYY" in english["Data"].cell(1, 1).comment.text
    sheet["A2"] = dt.date(2023, 1, 5)
    book.save(tmp_path / "rempli.xlsx")
    assert validate(tmp_path / "rempli.xlsx", schema=schema).valid
