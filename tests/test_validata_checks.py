"""validata-core's custom checks, as published schema.data.gouv.fr schemas declare them:
each flags what validata-core flags, on made-up rows, and a real published schema works."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from moisinno_data.validation import hints, validate
from moisinno_data.validation.messages import message
from moisinno_data.validation.rules import RuleContext, run

FIXTURES = Path(__file__).parent / "fixtures"


def batch(**columns: list[str | None]) -> pl.DataFrame:
    n = len(next(iter(columns.values())))
    frame = pl.DataFrame(columns, schema={k: pl.Utf8 for k in columns})
    return frame.with_columns(pl.Series("__row__", range(2, n + 2), dtype=pl.Int64))


def found(fields: list[dict], check: dict, frame: pl.DataFrame) -> list[tuple]:
    schema = {"fields": fields, "custom_checks": [check]}
    findings = run(schema, frame, RuleContext(schema=schema, file="fictif.csv"))
    return sorted((f.code, f.row, f.field, f.value) for f in findings)


def single(name: str, values: list[str | None], **params) -> list[tuple]:
    check = {"name": name, "params": {"column": "c", **params}}
    return found([{"name": "c", "type": "string"}], check, batch(c=values))


def test_french_siret_value_catches_a_wrong_key_and_accepts_spaces():
    rows = ["73282932000074", "732 829 320 00074", "73282932000075", None, "7328293200007"]
    assert single("french-siret-value", rows) == [
        ("french-siret-value", 4, "c", "73282932000075"),
        ("french-siret-value", 6, "c", "7328293200007"),
    ]


def test_french_siren_value():
    rows = ["732829320", "732829321", "73282932000074"]
    assert single("french-siren-value", rows) == [
        ("french-siren-value", 3, "c", "732829321"),
        ("french-siren-value", 4, "c", "73282932000074"),
    ]


@pytest.mark.parametrize(
    ("fmt", "paris", "reversed_", "new_york"),
    [
        ("default", "2.3522, 48.8566", "48.8566, 2.3522", "-74.006, 40.7128"),
        ("array", "[2.3522, 48.8566]", "[48.8566,2.3522]", "[-74.006, 40.7128]"),
        (
            "object",
            '{"lon": 2.3522, "lat": 48.8566}',
            '{"lon": 48.8566, "lat": 2.3522}',
            '{"lon": -74.006, "lat": 40.7128}',
        ),
    ],
)
def test_french_gps_coordinates_in_each_geopoint_format(fmt, paris, reversed_, new_york):
    fields = [{"name": "xy", "type": "geopoint", "format": fmt}]
    check = {"name": "french-gps-coordinates", "params": {"column": "xy"}}
    reunion = {"default": "55.45, -21.1", "array": "[55.45,-21.1]"}.get(
        fmt, '{"lon": 55.45, "lat": -21.1}'
    )
    frame = batch(xy=[paris, reversed_, new_york, reunion, "pas un point", None])
    assert found(fields, check, frame) == [
        ("french-gps-coordinates", 4, "xy", new_york),
        ("reversed-french-gps-coordinates", 3, "xy", reversed_),
    ]


@pytest.mark.parametrize(
    ("op", "wrong_rows"),
    [("<=", [3]), ("<", [3, 4]), ("==", [2, 3]), (">=", [2]), (">", [2, 4])],
)
def test_compare_columns_value_operators(op, wrong_rows):
    fields = [{"name": "a", "type": "number"}, {"name": "b", "type": "number"}]
    check = {"name": "compare-columns-value", "params": {"column": "a", "op": op, "column2": "b"}}
    frame = batch(a=["1", "10", "5", None, "9"], b=["2", "9", "5", "1", None])
    assert [row for _, row, _, _ in found(fields, check, frame)] == wrong_rows


def test_compare_columns_value_dates_as_text_and_mixed_values():
    fields = [{"name": "debut"}, {"name": "fin"}]
    check = {
        "name": "compare-columns-value",
        "params": {"column": "debut", "op": "<=", "column2": "fin"},
    }
    frame = batch(
        debut=["2020-11-02", "2020-11-30", "12", "9"], fin=["2020-11-30", "2020-11-02", "abc", "10"]
    )
    schema = {"fields": fields, "custom_checks": [check]}
    findings = run(schema, frame, RuleContext(schema=schema))
    # "12" and "abc" in two text columns compare as text, as in validata-core (sweep 7:
    # they were "mixed", an error validata-core does not report).
    assert [(f.row, f.params["reason"]) for f in findings] == [(3, "texts")]


@pytest.mark.parametrize(
    ("types", "a", "b", "reason"),
    [
        (("integer", "string"), "12", "abc", "mixed"),  # a number against a text
        (("integer", "string"), "12", "9", "numbers"),  # a text that is a number: numbers
        (("string", "string"), "10", "abc", None),  # two texts, compared as text
        (("string", "string"), "10", "9", "numbers"),
        (("date", "datetime"), "2020-01-02", "2020-01-01T10:00:00Z", "types"),
        (("date", "string"), "2020-01-02", "2020-01-01", "types"),
        (("date", "date"), "2020-01-02", "2020-01-01", "texts"),
        (("integer", "integer"), "9007199254740993", "9007199254740992", "numbers"),
        (("integer", "integer"), "9007199254740992", "9007199254740993", None),
    ],
)
def test_compare_columns_value_compares_as_validata_core_does(types, a, b, reason):
    """Sweep 7's differences with validata-core 0.9.7: two texts compare as text, fields of
    different kinds do not compare, integers past 2**53 compare exactly (``<=`` here)."""
    fields = [{"name": "a", "type": types[0]}, {"name": "b", "type": types[1]}]
    check = {"name": "compare-columns-value", "params": {"column": "a", "op": "<=", "column2": "b"}}
    schema = {"fields": fields, "custom_checks": [check]}
    findings = run(schema, batch(a=[a], b=[b]), RuleContext(schema=schema))
    assert [f.params["reason"] for f in findings] == ([reason] if reason else [])


def test_compare_columns_value_leaves_a_cell_the_engine_reports_to_the_engine():
    """Sweep 7: 30 February was a type-error and a comparison error; a value past the
    field's maximum is the engine's constraint-error only, as the module says."""
    fields = [
        {"name": "a", "type": "date"},
        {"name": "b", "type": "date"},
        {"name": "n", "type": "integer"},
        {"name": "m", "type": "integer", "constraints": {"maximum": 100}},
    ]
    checks = [
        {"name": "compare-columns-value", "params": {"column": "a", "op": ">", "column2": "b"}},
        {"name": "compare-columns-value", "params": {"column": "n", "op": "<", "column2": "m"}},
    ]
    schema = {"fields": fields, "custom_checks": checks}
    frame = batch(a=["2019-02-30"], b=["2020-01-01"], n=["160"], m=["150"])
    assert run(schema, frame, RuleContext(schema=schema)) == []
    frame = batch(a=["2019-02-28"], b=["2020-01-01"], n=["60"], m=["50"])
    assert len(run(schema, frame, RuleContext(schema=schema))) == 2


def test_compare_columns_value_reads_cells_as_their_field_declares():
    """A date as %d/%m/%Y compares in time order (validata-core compares typed values),
    a decimal comma or a unit around a number compares as the number: none is skipped."""
    check = {
        "name": "compare-columns-value",
        "params": {"column": "fin", "op": ">=", "column2": "debut"},
    }
    dates = [{"name": n, "type": "date", "format": "%d/%m/%Y"} for n in ("debut", "fin")]
    frame = batch(
        debut=["10/12/2020", "05/01/2021", "31/02/2021"],
        fin=["05/01/2021", "10/12/2020", "01/01/2020"],
    )
    assert found(dates, check, frame) == [("compare-columns-value", 3, "fin", "10/12/2020")]
    numbers = [
        {"name": "debut", "type": "number", "decimalChar": ",", "groupChar": " "},
        {"name": "fin", "type": "integer", "bareNumber": False},
    ]
    frame = batch(debut=["12,5", "1 000,5", "9,5"], fin=["12 €", "1 001 €", "10 €"])
    (wrong,) = run(
        {"fields": numbers, "custom_checks": [check]},
        frame,
        RuleContext(schema={"fields": numbers, "custom_checks": [check]}),
    )
    assert (wrong.row, wrong.value, wrong.params["other_value"]) == (2, "12 €", "12,5")
    assert wrong.params["reason"] == "numbers"


def test_cohesive_columns_value_rows_and_missing_columns():
    fields = [{"name": n} for n in ("budget_annee", "budget_nom", "budget_montant")]
    check = {
        "name": "cohesive-columns-value",
        "params": {"column": "budget_annee", "othercolumns": ["budget_nom", "budget_montant"]},
    }
    frame = batch(
        budget_annee=["2020", None, "2021", None],
        budget_nom=["Fictif", None, None, "Fictif"],
        budget_montant=["10", None, "3", None],
    )
    assert [row for _, row, _, _ in found(fields, check, frame)] == [4, 5]
    partial = batch(budget_annee=["2020"], budget_nom=["Fictif"])
    assert found(fields, check, partial) == [("cohesive-columns-value", None, "budget_annee", None)]
    (finding,) = run({"fields": fields, "custom_checks": [check]}, partial, RuleContext(schema={}))
    # Sweep 7: the hint said to fill the empty cells of a column the file does not have.
    assert hints.hint(finding, "fr").startswith(
        "Ajoutez au fichier la ou les colonnes budget_montant"
    )
    assert hints.hint(finding, "en").startswith("Add column(s) budget_montant to the file")


@pytest.mark.parametrize(
    ("check", "columns"),
    [
        ({"name": "sum-columns-value", "params": {"column": "total", "columns": ["a", "b"]}},
         ["total", "a"]),
        ({"name": "compare-columns-value", "params": {"column": "a", "column2": "b", "op": "<"}},
         ["a"]),
        ({"name": "compare-columns-value", "params": {"column": "a", "column2": "b", "op": "<"}},
         ["b"]),
    ],
)  # fmt: skip
def test_a_check_missing_some_of_its_columns_is_said_not_skipped(check, columns):
    """Sweep 15, against validata-core 0.9.7: a compare or sum check whose file lacks
    one of its columns (an optional PREF_DATE left out of a deliberations file) was
    skipped without a word, the file VALIDE; validata-core says « la colonne … n'est pas
    trouvée » (check-error). One finding for the file now, naming the missing columns;
    a check none of whose columns is in the file is still skipped, as validata-core does."""
    fields = [{"name": n, "type": "integer"} for n in ("total", "a", "b")]
    frame = batch(**{c: ["1", "2"] for c in columns})
    (said,) = found(fields, check, frame)
    assert said[:2] == (check["name"], None)
    schema = {"fields": fields, "custom_checks": [check]}
    (finding,) = run(schema, frame, RuleContext(schema=schema))
    missing = ["b"] if columns != ["b"] else ["a"]
    assert finding.params["missing"] == missing
    assert "n'a pas pu être fait" in message(finding, "fr")
    assert hints.hint(finding, "fr").startswith(
        f"Ajoutez au fichier la ou les colonnes {missing[0]}"
    )
    assert found(fields, check, batch(other=["1"])) == []


def test_sum_columns_value_with_float_rounding_and_skipped_blanks():
    fields = [{"name": n, "type": "number"} for n in ("total", "pour", "contre")]
    check = {
        "name": "sum-columns-value",
        "params": {"column": "total", "columns": ["pour", "contre"]},
    }
    frame = batch(
        total=["0.3", "5", "7", None, "4"],
        pour=["0.1", "2", "3", "1", None],
        contre=["0.2", "3", "3", "1", "4"],
    )
    assert found(fields, check, frame) == [("sum-columns-value", 4, "total", "7")]


def test_sum_columns_value_reads_a_decimal_comma_and_a_unit():
    fields = [
        {"name": "total", "type": "number", "decimalChar": ","},
        {"name": "pour", "type": "number", "decimalChar": ","},
        {"name": "contre", "type": "integer", "bareNumber": False},
    ]
    check = {
        "name": "sum-columns-value",
        "params": {"column": "total", "columns": ["pour", "contre"]},
    }
    frame = batch(total=["4,5", "9,5"], pour=["1,5", "1,5"], contre=["3 voix", "3 voix"])
    assert found(fields, check, frame) == [("sum-columns-value", 3, "total", "9,5")]


def test_year_interval_value_with_and_without_single_years():
    rows = ["2017/2019", "2019/2017", "2018/2018", "2018", "deux mille", None]
    assert [(r, v) for _, r, _, v in single("year-interval-value", rows)] == [
        (3, "2019/2017"),
        (4, "2018/2018"),
        (5, "2018"),
        (6, "deux mille"),
    ]
    allowed = single("year-interval-value", rows, **{"allow-year-only": "yes"})
    assert [r for _, r, _, _ in allowed] == [3, 4, 6]


def test_one_of_required_both_spellings_and_missing_columns():
    fields = [{"name": "siret"}, {"name": "rna"}]
    for first in ("column1", "column"):
        check = {"name": "one-of-required", "params": {first: "siret", "column2": "rna"}}
        frame = batch(siret=["73282932000074", None, None], rna=[None, "W123456789", None])
        assert found(fields, check, frame) == [("one-of-required", 4, "siret", None)]
    check = {"name": "one-of-required", "params": {"column1": "siret", "column2": "rna"}}
    assert found(fields, check, batch(rna=["W123456789", None])) == [
        ("one-of-required", 3, "rna", None)
    ]
    assert found(fields, check, batch(autre=["x"])) == [("one-of-required", None, "siret", None)]
    schema = {"fields": fields, "custom_checks": [check]}
    (finding,) = run(schema, batch(autre=["x"]), RuleContext(schema=schema))
    assert hints.hint(finding, "fr").startswith(
        "Ajoutez au fichier la colonne siret ou la colonne rna"
    )
    (row,) = run(schema, batch(siret=[None], rna=[None]), RuleContext(schema=schema))
    assert hints.hint(row, "en") == "Fill in one of the two columns."


def test_opening_hours_value():
    rows = [
        "Mo-Fr 08:00-12:00,14:00-18:00; Sa 09:00-12:00; PH off",
        "24/7",
        "lundi 8h-12h",
        "Mo-Fr 25:00-26:00",
        "x" * 5000,
    ]
    assert [r for _, r, _, _ in single("opening-hours-value", rows)] == [4, 5, 6]


@pytest.mark.parametrize(
    ("value", "fault"),
    [
        ("Finances locales/Décisions budgétaires", None),
        ("finances LOCALES/Divers", None),  # capitals aside
        ("Libertes publiques et pouvoirs de police/Police municipale", None),  # accents aside
        ("Domaines de compétences par thèmes/Culture/Musées", None),  # the first "/" counts
        ("Urbanisme", "slash"),
        ("Urbanisme / Documents d'urbanisme", "space"),
        ("Commande publique /Marchés publics", "space"),
        ("Urbanisme/ Documents", "space"),
        ("Culture/Musées", "prefix"),
        (" Urbanisme/Documents", "prefix"),  # as validata-core: a leading space is not trimmed
        ("/Documents", "prefix"),
    ],
)
def test_nomenclature_actes_value_as_validata_core_reads_it(value, fault):
    """Cases checked against validata-core 0.9.7 (sweep 7): the same rows, the same reason."""
    found = single("nomenclature-actes-value", [value, None])
    if fault is None:
        assert found == []
    else:
        assert found == [("nomenclature-actes-value", 2, "c", value)]
        schema = {"fields": [{"name": "c", "type": "string"}], "custom_checks": []}
        check = {"name": "nomenclature-actes-value", "params": {"column": "c"}}
        schema["custom_checks"] = [check]
        (finding,) = run(schema, batch(c=[value]), RuleContext(schema=schema, file="f.csv"))
        assert finding.params["fault"] == fault


def test_sum_columns_value_is_exact_for_integers_and_says_the_total_as_written():
    """Sweep 7: ``9007199254740993 = 9007199254740992 + 0`` passed (floats), the expected
    total of integers read "9.0", and a part past its field's maximum was checked as well
    as reported by the engine (the other rules leave such a cell out)."""
    fields = [
        {"name": "t", "type": "integer"},
        {"name": "x", "type": "integer"},
        {"name": "y", "type": "number", "constraints": {"maximum": 100}},
    ]
    check = {"name": "sum-columns-value", "params": {"column": "t", "columns": ["x", "y"]}}
    frame = batch(
        t=["9007199254740993", "10", "3", "0.3", "0.30000000000000004", "5", "600"],
        x=["9007199254740992", "4", "1", "0.1", "0.1", "2", "100"],
        y=["0", "5", "2", "0.2", "0.2", "2.5", "400"],
    )
    schema = {"fields": fields, "custom_checks": [check]}
    findings = run(schema, frame, RuleContext(schema=schema))
    assert [(f.row, f.params["total"]) for f in findings] == [
        (2, "9007199254740992"),
        (3, "9"),
        (7, "4.5"),
    ]
    assert "soit 9." in message(findings[1], "fr") and "9.0" not in message(findings[1], "fr")


def test_phone_number_value_french_short_and_international():
    rows = ["01 99 00 27 37", "+33 1 99 00 27 37", "3949", "+32 2 555 12 12", "12", "01 99 00"]
    assert [v for _, _, _, v in single("phone-number-value", rows)] == ["12", "01 99 00"]


# --- a real published schema ------------------------------------------------------------


def test_published_stationnement_schema_catches_its_wrong_siret():
    folder = FIXTURES / "schema-stationnement"
    schema = folder / "schema.json"
    invalid = validate(folder / "exemple-invalide.csv", schema=schema)
    siret = [(f.code, f.row, f.field, f.value) for f in invalid.errors if "siret" in f.code]
    assert siret == [("french-siret-value", 2, "num_siret", "80295478500028")]
    assert not [w for w in invalid.warnings if w.code in ("unknown-check", "schema-warning")]
    assert validate(folder / "exemple-valide.csv", schema=schema).valid


def test_a_wrong_siret_key_in_a_file_using_french_siret_value_is_an_error(tmp_path):
    path = tmp_path / "fictif.csv"
    path.write_text("nom,siret\nLab fictif,73282932000075\n", encoding="utf-8")
    schema = {
        "fields": [{"name": "nom"}, {"name": "siret", "constraints": {"pattern": "[0-9]{14}"}}],
        "custom_checks": [{"name": "french-siret-value", "params": {"column": "siret"}}],
    }
    report = validate(path, schema=schema, lang="en")
    assert not report.valid
    (error,) = report.errors
    assert error.code == "french-siret-value" and error.column == 2
    assert "73282932000075" in error.message and "SIRET" in error.message


def test_sum_columns_value_tolerates_float_rounding_not_a_real_difference():
    """A decimal total 5 off in ten billions passed: the tolerance was 1e-9 of the total
    (10 at that scale), not float rounding. validata-core reports it — 0.9.7 compares the
    integer parts (``int(...)``, validata_core/custom_checks/sum_columns_value.py), the
    current one (validata-table 0.13.0, same path) sums the typed values exactly; a total
    written from a float computation (``0.30000000000000004``) still passes here."""
    fields = [{"name": n, "type": "number"} for n in ("total", "a", "b")]
    check = {"name": "sum-columns-value", "params": {"column": "total", "columns": ["a", "b"]}}
    frame = batch(
        total=["10000000005.5", "1001.35802467913", "0.30000000000000004", "12345678.91"],
        a=["10000000000.5", "1.23456789012345", "0.1", "12345678.90"],
        b=["0", "1000.12345678901", "0.2", "0.02"],
    )
    assert found(fields, check, frame) == [
        ("sum-columns-value", 2, "total", "10000000005.5"),
        ("sum-columns-value", 5, "total", "12345678.91"),
    ]


def test_cohesive_columns_value_whose_column_the_file_lacks_is_said_not_a_crash(tmp_path):
    """A file with the ``othercolumns`` but not ``column`` stopped validate with an internal
    error (exit 2): the rows were reported on the absent column. validata-core says the
    column is missing (validata_core/custom_checks/cohesive_columns_value.py: 0.9.7's
    « La colonne 'a' est manquante », validata-table 0.13.0's « doivent être soit toutes
    présentes, soit toutes absentes »); here too, and the rows are judged on the columns
    the file has, the findings on the first of them."""
    fields = [{"name": n} for n in ("annee", "nom", "montant")]
    check = {
        "name": "cohesive-columns-value",
        "params": {"column": "annee", "othercolumns": ["nom", "montant"]},
    }
    frame = batch(nom=["Fictif", None, "Fictif"], montant=["10", None, None])
    schema = {"fields": fields, "custom_checks": [check]}
    findings = run(schema, frame, RuleContext(schema=schema))
    assert [(f.row, f.field, f.value) for f in findings] == [
        (None, "annee", None),
        (4, "nom", "Fictif"),
    ]
    path = tmp_path / "fictif.csv"
    path.write_text("nom,montant\nFictif,10\nFictif,\n", encoding="utf-8")
    report = validate(path, schema={"fields": fields, "custom_checks": [check]}, lang="en")
    said = [(f.code, f.row) for f in report.errors]
    assert sorted(said, key=str) == [
        ("cohesive-columns-value", 3),
        ("cohesive-columns-value", None),
    ]
    assert any("lacks annee" in f.message for f in report.errors)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("Mo-Fr 08:00-12:00,14:00-18:00; Sa 09:00-12:00; PH off", True),
        ('Mo-Fr 08:00-12:00 "sur rendez-vous le lundi 8:30"', True),  # a comment as written
        ("Jan-Mar Mo-Fr 08:00-12:00; Dec 25 off", True),
        ("mo-fr 08:00-12:00", False),
        ("MO-FR 08:00-12:00", False),
        ("Mo-Fr 08:00-12:00; ph off", False),
        ("Mo-Fr 08:00-12:00; PH OFF", False),
        ("jan-mar Mo-Fr 08:00-12:00", False),
        ("Mo-Fr 8:00-12:00", False),
        ("Mo-Fr 08:00-12:00; Sa 9:00-12:00", False),
        ("Mo-Fr 08:00 - 12:00", False),
        ("Mo 08:00-12:00;Tu 08:00-12:00", False),
        ("Mo-Fr 08:00+", False),
    ],
)
def test_opening_hours_value_spelt_as_validata_core_wants(value, valid):
    """opening-hours-py 2.x forgives ``mo-fr``, ``8:00``, ``08:00 - 12:00``…: the file
    was VALIDE here and INVALIDE on Validata, whose parser is opening-hours-py 0.6
    (validata_core/custom_checks/opening_hours_value.py, pinned >=0.6.17,<0.7 by
    validata-table 0.13.0). Each case was run through opening-hours-py 0.6.17."""
    assert single("opening-hours-value", [value]) == (
        [] if valid else [("opening-hours-value", 2, "c", value)]
    )


def test_french_gps_coordinates_reads_a_number_with_an_exponent():
    """A geopoint written by a program (Python writes 0.00005 as ``5e-05``) is a geopoint
    for the engine, but the rule could not read it and let it pass: validata-core checks
    the typed point (validata_core/custom_checks/french_gps_coordinates.py, ``cell.lon``,
    ``cell.lat``) and reports these two rows, as here now."""
    fields = [{"name": "xy", "type": "geopoint"}]
    check = {"name": "french-gps-coordinates", "params": {"column": "xy"}}
    frame = batch(xy=["48.85,5e-05", "1e1,4.5e1", "5e-05,48.85", "2.35E0, 48.85"])
    assert found(fields, check, frame) == [
        ("french-gps-coordinates", 3, "xy", "1e1,4.5e1"),
        ("reversed-french-gps-coordinates", 2, "xy", "48.85,5e-05"),
    ]
