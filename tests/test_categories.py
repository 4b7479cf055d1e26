"""Table Schema v2 ``categories`` bind a field as an ``enum`` does ("the logical
representation of data in the field MUST exactly match one of the values in categories").
frictionless 5 ignores them: a column with categories was left unchecked, every value
VALIDE. They are now checked, told and hinted as a list of allowed values by validate, fix
and consolidate (one reading of the field, :class:`FieldChecker`), loaded as pandas
categories; categories that cannot be read so are a schema warning, not a silence."""

from __future__ import annotations

import pandas as pd

from moisinno_data.loading.dtypes import convert
from moisinno_data.publishing.fix import fix_file
from moisinno_data.validation import validate
from moisinno_data.validation.cells import FieldChecker

FRUITS = {
    "name": "fruits-fictifs",
    "fields": [
        {"name": "id", "type": "string"},
        {"name": "fruit", "type": "string", "categories": ["pomme", "poire"]},
        {
            "name": "code",
            "type": "integer",
            "categories": [{"value": 0, "label": "non"}, {"value": 1, "label": "oui"}],
        },
    ],
}
TEXT = "id,fruit,code\nfictif-1,pomme,0\nfictif-2,banane,2\nfictif-3,Pomme,1\nfictif-4,,\n"


def _file(tmp_path, text=TEXT):
    path = tmp_path / "fruits.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_values_outside_the_categories_are_errors_of_the_list(tmp_path):
    report = validate(_file(tmp_path), schema=FRUITS)
    assert not report.valid
    found = [(f.code, f.row, f.field, f.value, f.params["constraint"]) for f in report.errors]
    assert found == [
        ("constraint-error", 3, "fruit", "banane", "enum"),
        ("constraint-error", 3, "code", "2", "enum"),
        ("constraint-error", 4, "fruit", "Pomme", "enum"),
    ]
    said = report.to_dict()["errors"]
    assert "pomme, poire" in said[0]["message"]
    assert not [f for f in report.warnings if f.code == "schema-warning"]


def test_a_file_within_its_categories_is_valid(tmp_path):
    report = validate(_file(tmp_path, "id,fruit,code\nfictif-1,poire,1\n"), schema=FRUITS)
    assert report.valid and not report.warnings


def test_categories_that_cannot_be_read_are_said_not_silently_skipped(tmp_path):
    schema = {
        "name": "fruits-fictifs",
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "fruit", "type": "string", "categories": ["pomme", 1]},  # mixed types
            {"name": "code", "type": "integer", "categories": [0, 0]},  # twice the same
            {"name": "ouvert", "type": "boolean", "categories": ["true"]},  # not v2's types
            {
                "name": "taille",
                "type": "string",
                "categories": ["s", "m"],
                "constraints": {"enum": ["s", "xl"]},  # v2: enum must be within categories
            },
        ],
    }
    text = "id,fruit,code,ouvert,taille\nfictif-1,banane,5,false,xl\nfictif-2,pomme,0,true,m\n"
    report = validate(_file(tmp_path, text), schema=schema)
    warned = {(f.field, f.params["key"]) for f in report.warnings if f.code == "schema-warning"}
    assert warned == {
        ("fruit", "categories"),
        ("code", "categories"),
        ("ouvert", "categories"),
        ("taille", "constraints.enum"),
    }
    # enum is what is checked beside categories: "m" is outside it, "xl" inside
    errors = [(f.row, f.field, f.value) for f in report.errors]
    assert errors == [(3, "taille", "m")]
    said = " ".join(f.params["fr"] for f in report.warnings if f.code == "schema-warning")
    assert "ignoré, ses valeurs ne sont pas contrôlées" in said
    assert "c'est « enum » qui est contrôlée" in said


def test_fix_and_consolidate_read_the_field_as_validate_does():
    checker = FieldChecker(FRUITS["fields"][1], [""])
    assert checker.refusals(["pomme", "banane", ""]) == [[], ["enum"], []]
    numbers = FieldChecker(FRUITS["fields"][2], [""])
    assert numbers.refusals(["1", "2", "01"]) == [[], ["enum"], []]


def test_fix_restores_the_zero_a_spreadsheet_dropped_from_a_category(tmp_path):
    """A code listed in categories (``01``) that a spreadsheet wrote ``1``: fix restores
    its zero as it does for an enum, and leaves a code no category explains."""
    schema = {
        "name": "zones-fictives",
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "zone", "type": "string", "categories": ["01", "02", "12"]},
        ],
    }
    out = tmp_path / "corrige.csv"
    path = _file(tmp_path, "id,zone\nfictif-1,1\nfictif-2,7\nfictif-3,12\n")
    result = fix_file(path, schema, out)
    written = out.read_text(encoding="utf-8").splitlines()
    assert written[1:] == ["fictif-1,01", "fictif-2,7", "fictif-3,12"]
    assert result.errors_left == 1  # « 7 »: outside the categories, for a person to check


def test_load_gives_the_categories_in_their_order():
    field = {
        "name": "niveau",
        "type": "string",
        "categories": [{"value": "bas"}, {"value": "moyen"}, {"value": "haut"}],
        "categoriesOrdered": True,
    }
    column = convert(pd.Series(["haut", "bas", None], dtype=object), field, "niveaux")
    assert list(column.cat.categories) == ["bas", "moyen", "haut"]
    assert column.cat.ordered and column.max() == "haut"


def test_the_documentation_lists_the_categories_as_allowed_values():
    from moisinno_data.package.documentation import _constraints

    said = _constraints(FRUITS["fields"][2])
    assert "Valeurs autorisées : `0`, `1`" in said


def test_the_template_offers_the_categories_in_a_drop_down(tmp_path):
    import openpyxl

    from moisinno_data.package.template import write_template

    path = write_template(FRUITS, tmp_path / "modele.xlsx")
    book = openpyxl.load_workbook(path)
    lists = {str(d.sqref)[0]: d for d in book["Données"].data_validations.dataValidation}
    assert lists["B"].type == "list" and lists["C"].type == "list"
    listed = [[c.value for c in col if c.value is not None] for col in book.worksheets[-1].columns]
    assert ["fruit", "pomme", "poire"] in listed and ["code", "0", "1"] in listed
