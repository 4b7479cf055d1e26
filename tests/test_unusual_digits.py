"""Numbers nobody writes in a table that frictionless reads all the same (``1_000``,
``٣``, ``１２``, ``๒``): validate warns of them (``unusual-digits``), its findings staying
frictionless's; fix writes the plain digits, load reads them, as consolidate publishes them.
And ``5E+13`` in a text field: a long code a spreadsheet showed in scientific notation."""

from __future__ import annotations

import json

import pandas as pd
from frictionless_ref import findings as reference_findings

from moisinno_data.loading.dtypes import convert
from moisinno_data.publishing.fix import fix_file
from moisinno_data.validation import hints, validate
from moisinno_data.validation.messages import message

NUMBERS = {
    "name": "nombres-fictifs",
    "fields": [
        {"name": "id", "type": "string"},
        {"name": "effectif", "type": "integer"},
        {"name": "montant", "type": "number"},
        {"name": "annee", "type": "year"},
    ],
}
ODD = (
    "id,effectif,montant,annee\n"
    "fictif-1,1_000,1_000.5,2024\n"
    "fictif-2,٣,١٢.٥,٢٠٢٤\n"
    "fictif-3,１２,１２.５,２０２４\n"
    "fictif-4,๒,๒.๕,๒๐๒๔\n"
    "fictif-5,12,1E5,2_024\n"  # 1E5 is a number; 2_024 is no year (five characters)
)


def _file(tmp_path, text, name="nombres.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_numbers_in_other_digits_are_a_warning_and_the_findings_frictionless(tmp_path):
    path = _file(tmp_path, ODD)
    schema_path = tmp_path / "schema.json"
    schema_path.write_text(json.dumps(NUMBERS), encoding="utf-8")
    report = validate(path, schema=NUMBERS)
    assert [(f.code, f.row, f.field) for f in report.errors] == [("type-error", 6, "annee")]
    assert reference_findings("nombres-fictifs", path, schema_path) == [("type-error", 6, "annee")]
    warned = [(f.row, f.field, f.value) for f in report.warnings if f.code == "unusual-digits"]
    assert warned == [
        (2, "effectif", "1_000"),
        (2, "montant", "1_000.5"),
        (3, "effectif", "٣"),
        (3, "montant", "١٢.٥"),
        (3, "annee", "٢٠٢٤"),
        (4, "effectif", "１２"),
        (4, "montant", "１２.５"),
        (4, "annee", "２０２４"),
        (5, "effectif", "๒"),
        (5, "montant", "๒.๕"),
        (5, "annee", "๒๐๒๔"),
    ]
    first = next(f for f in report.warnings if f.code == "unusual-digits")
    assert "« 1_000 » est lu comme 1000" in message(first, "fr")
    assert hints.hint(first, "fr") == "Écrivez « 1000 », en chiffres 0 à 9 sans « _ »."
    assert hints.hint(first, "en") == 'Write "1000", in the digits 0 to 9 without "_".'


def test_a_year_that_would_lose_its_four_digits_is_not_proposed_nor_written(tmp_path):
    """``2_24`` is the year 224 to frictionless; ``224`` is no year: validate proposes no
    value, fix leaves the cell and lists it to check (its guard)."""
    path = _file(tmp_path, "id,effectif,montant,annee\nfictif-1,1,1,2_24\n")
    (warning,) = validate(path, schema=NUMBERS).warnings
    assert warning.code == "unusual-digits"
    assert "quatre chiffres" in hints.hint(warning, "fr") and "224" not in hints.hint(warning, "fr")
    result = fix_file(path, NUMBERS, tmp_path / "corrige.csv")
    assert not result.changes
    assert [(p.row, p.value) for p in result.problems] == [(2, "2_24")]
    assert "2_24" in (tmp_path / "corrige.csv").read_text(encoding="utf-8")


def test_fix_writes_the_plain_digits_and_the_file_is_then_silent(tmp_path):
    path = _file(tmp_path, ODD)
    out = tmp_path / "corrige.csv"
    result = fix_file(path, NUMBERS, out)
    written = out.read_text(encoding="utf-8").splitlines()
    assert written == [
        "id,effectif,montant,annee",
        "fictif-1,1000,1000.5,2024",
        "fictif-2,3,12.5,2024",
        "fictif-3,12,12.5,2024",
        "fictif-4,2,2.5,2024",
        "fictif-5,12,1E5,2024",
    ]
    assert {c.rule for c in result.changes} == {"chiffres"}
    assert not result.problems
    again = validate(out, schema=NUMBERS)
    assert again.valid and not again.warnings


def test_load_reads_a_number_in_other_digits_as_validate_does():
    """A published ``1_000`` or ``١٢.٥`` in a number column was « corrupt » to load."""
    number = {"name": "montant", "type": "number"}
    values = pd.Series(["1_000", "١٢.٥", "１２", None, "7"])
    assert convert(values, number, "t").tolist()[:3] == [1000.0, 12.5, 12.0]
    integer = {"name": "effectif", "type": "integer"}
    assert convert(pd.Series(["1_000", "٣"]), integer, "t").tolist() == [1000, 3]


def test_a_long_code_shown_without_decimals_in_scientific_notation_is_said(tmp_path):
    """``5E+13``: what a narrow column shows of a PDL 50017455185930, its digits lost, as
    ``5,00175E+13`` is. ``1E5`` in a number field stays a number, unwarned."""
    schema = {
        "name": "codes-fictifs",
        "fields": [{"name": "pdl", "type": "string"}, {"name": "mesure", "type": "number"}],
    }
    path = _file(tmp_path, "pdl,mesure\n5E+13,1E5\n1E5,1E+10\n")
    report = validate(path, schema=schema)
    assert report.valid
    assert [(f.code, f.row, f.value) for f in report.warnings] == [
        ("scientific-notation", 2, "5E+13")
    ]
    result = fix_file(path, schema, tmp_path / "corrige.csv")
    assert [(p.row, p.value, p.rule) for p in result.problems] == [
        (2, "5E+13", "notation-scientifique")
    ]


OTHER_TYPES = {
    "name": "autres-types-fictifs",
    "fields": [
        {"name": "id", "type": "string"},
        {"name": "mois", "type": "yearmonth"},
        {"name": "point", "type": "geopoint"},
        {"name": "jour", "type": "date", "format": "%d/%m/%Y"},
        {"name": "debut", "type": "datetime", "format": "%d/%m/%Y %H:%M"},
        {"name": "fichier", "type": "date", "format": "%d_%m_%Y"},  # its own « _ »
    ],
}
OTHER_ODD = (
    "id,mois,point,jour,debut,fichier\n"
    'fictif-1,２０２０-１１,"１,２",17/11/２０２０,17/11/２０２０ 10:30,17_11_２０２０\n'
    'fictif-2,2_020-11,"1_0,2",17/11/2020,17/11/2020 10:30,17_11_2020\n'
)


def test_other_types_read_with_other_digits_are_said_and_written_plain(tmp_path):
    """Sweep B: frictionless reads a year-month « ２０２０-１１ » or « 2_020-11 » with int(), a
    geopoint « 1_0,2 » with Decimal(), a date « 17/11/２０２０ » with strptime: validate
    said VALIDE without a word, fix left them, consolidate published them so, and load
    gave the string « ２０２０-１１ », where a year « ２０２０ » was warned of and written 2020.
    They are now warned of and written in the digits 0 to 9; a date format's own « _ »
    (``%d_%m_%Y``) is no Python separator and stays."""
    path = _file(tmp_path, OTHER_ODD)
    schema_path = tmp_path / "schema.json"
    schema_path.write_text(json.dumps(OTHER_TYPES), encoding="utf-8")
    report = validate(path, schema=OTHER_TYPES)
    assert report.valid
    assert reference_findings("autres-types-fictifs", path, schema_path) == []
    warned = [(f.row, f.field) for f in report.warnings if f.code == "unusual-digits"]
    assert warned == [
        (2, "mois"),
        (2, "point"),
        (2, "jour"),
        (2, "debut"),
        (2, "fichier"),
        (3, "mois"),
        (3, "point"),
    ]
    jour = next(f for f in report.warnings if f.field == "fichier")
    assert hints.hint(jour, "fr") == "Écrivez « 17_11_2020 », en chiffres 0 à 9 sans « _ »."
    out = tmp_path / "corrige.csv"
    result = fix_file(path, OTHER_TYPES, out)
    assert out.read_text(encoding="utf-8").splitlines()[1:] == [
        'fictif-1,2020-11,"1,2",17/11/2020,17/11/2020 10:30,17_11_2020',
        'fictif-2,2020-11,"10,2",17/11/2020,17/11/2020 10:30,17_11_2020',
    ]
    assert {c.rule for c in result.changes} == {"chiffres"} and not result.problems
    again = validate(out, schema=OTHER_TYPES)
    assert again.valid and not again.warnings
