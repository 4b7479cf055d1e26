"""Business rules (custom_checks): each rule flags what it should, and only that."""

from __future__ import annotations

import json

import polars as pl
import pytest
from stdnum import luhn

from moisinno_data.validation.rules import CODES, RULES, RuleContext, run, schema_findings
from moisinno_data.validation.rules import formula_injection as formula_rule
from tests.conftest import SCHEMAS


def batch(**columns: list[str | None]) -> pl.DataFrame:
    n = len(next(iter(columns.values())))
    frame = pl.DataFrame(columns, schema={k: pl.Utf8 for k in columns})
    return frame.with_columns(pl.Series("__row__", range(2, n + 2), dtype=pl.Int64))


def schema_with(fields: list[dict], checks: list[dict]) -> dict:
    return {"fields": fields, "custom_checks": checks}


def check(schema: dict, frame: pl.DataFrame) -> list[tuple]:
    found = run(schema, frame, RuleContext(schema=schema, file="fictif.csv"))
    return sorted((f.code, f.row, f.field, f.value) for f in found)


# --- siret -----------------------------------------------------------------------------

SIRET_SCHEMA = schema_with(
    [{"name": "siret", "type": "string", "constraints": {"pattern": "^[0-9]{14}$"}}],
    [{"name": "siret", "params": {"column": "siret"}}],
)


def test_siret_checksum_flags_only_wrong_keys():
    assert luhn.is_valid("12345678200010")
    frame = batch(siret=["12345678200010", "12345678200011", None, "1234", "12345678200011"])
    assert check(SIRET_SCHEMA, frame) == [
        ("siret-checksum", 3, "siret", "12345678200011"),
        ("siret-checksum", 6, "siret", "12345678200011"),
    ]


def test_siret_la_poste_exception_is_valid():
    # La Poste's establishments fail the Luhn key but are valid SIRETs (python-stdnum knows).
    assert not luhn.is_valid("35600000000001")
    assert check(SIRET_SCHEMA, batch(siret=["35600000000001"])) == []


def test_siret_rule_on_any_schema_checks_siren_and_shape():
    schema = schema_with(
        [{"name": "numero_siren", "type": "string"}],
        [{"name": "siret", "params": {"column": "numero_siren"}}],
    )
    frame = batch(numero_siren=["732829320", "732829321", "12 34", "73282932000074"])
    assert check(schema, frame) == [
        ("siret-checksum", 3, "numero_siren", "732829321"),
        ("siret-format", 4, "numero_siren", "12 34"),
    ]


# --- cog-consistency ---------------------------------------------------------------------

COG_FIELDS = [
    {"name": "reg", "type": "string"},
    {
        "name": "dep",
        "type": "string",
        "constraints": {"pattern": "^(0[1-9]|[1-9][0-9AB]|97[0-9])$"},
    },
    {"name": "com", "type": "string", "constraints": {"pattern": "^[0-9AB]{5}$"}},
]
COG_SCHEMA = schema_with(
    COG_FIELDS,
    [
        {
            "name": "cog-consistency",
            "params": {"region": "reg", "departement": "dep", "commune": "com"},
        }
    ],
)


def test_cog_consistent_codes_pass_metropole_corse_and_overseas():
    frame = batch(
        reg=["75", "94", "04", "84", None],
        dep=["33", "2A", "974", "01", None],
        com=["33063", "2A004", "97411", "01001", "75056"],
    )
    assert check(COG_SCHEMA, frame) == []


def test_cog_mismatch_is_on_the_narrower_column_with_names():
    frame = batch(reg=["53", "75"], dep=["33", "33"], com=["33063", "01001"])
    found = run(COG_SCHEMA, frame, RuleContext(schema=COG_SCHEMA))
    assert sorted((f.code, f.row, f.field, f.value) for f in found) == [
        ("cog-mismatch", 2, "dep", "33"),
        ("cog-mismatch", 3, "com", "01001"),
    ]
    dep = next(f for f in found if f.field == "dep")
    assert dep.params["name"] == "Gironde"
    assert dep.params["parent_name"] == "Bretagne"
    assert dep.params["expected"] == "75"
    assert dep.params["expected_name"] == "Nouvelle-Aquitaine"


def test_cog_unknown_codes_and_malformed_codes_left_to_the_engine():
    frame = batch(reg=["99", "75"], dep=["96", "33"], com=["1001", "33999"])
    assert check(COG_SCHEMA, frame) == [
        ("cog-unknown", 2, "dep", "96"),
        ("cog-unknown", 2, "reg", "99"),
        ("cog-unknown", 3, "com", "33999"),
    ]


def test_cog_commune_against_region_when_no_departement_column():
    schema = schema_with(
        [{"name": "r", "type": "string"}, {"name": "c", "type": "string"}],
        [{"name": "cog-consistency", "params": {"region": "r", "commune": "c"}}],
    )
    frame = batch(r=["11", "11"], c=["75056", "33063"])
    assert check(schema, frame) == [("cog-mismatch", 3, "c", "33063")]


def test_cog_value_failing_enum_is_not_checked_twice():
    schema = schema_with(
        [{"name": "region", "type": "string", "constraints": {"enum": ["75", "84"]}}],
        [{"name": "cog-consistency", "params": {"region": "region"}}],
    )
    assert check(schema, batch(region=["Auvergne", "99"])) == []


# --- coordinates-in-france ------------------------------------------------------------------

COORD_SCHEMA = schema_with(
    [
        {"name": "lat", "type": "number", "constraints": {"minimum": -90, "maximum": 90}},
        {"name": "lon", "type": "number", "constraints": {"minimum": -180, "maximum": 180}},
    ],
    [{"name": "coordinates-in-france", "params": {"latitude": "lat", "longitude": "lon"}}],
)


def test_coordinates_in_france_including_overseas():
    places = {
        "Bordeaux": ("44.8378", "-0.5792"),
        "Ajaccio": ("41.9192", "8.7386"),
        "Saint-Denis (La Réunion)": ("-20.8789", "55.4481"),
        "Nouméa": ("-22.2758", "166.4580"),
        "Cayenne": ("4.9224", "-52.3135"),
        "Papeete": ("-17.5516", "-149.5585"),
        "Saint-Pierre": ("46.7811", "-56.1764"),
        "Mamoudzou": ("-12.7806", "45.2279"),
    }
    frame = batch(lat=[p[0] for p in places.values()], lon=[p[1] for p in places.values()])
    assert check(COORD_SCHEMA, frame) == []


def test_the_iles_eparses_are_french_and_their_neighbours_are_not():
    """Sweep 7: one box around the Îles Éparses held Madagascar, the Comoros and
    Mozambique's coast; each island is now its own box."""
    islands = {
        "Grande Glorieuse": ("-11.58", "47.29"),
        "Juan de Nova": ("-17.05", "42.72"),
        "Bassas da India": ("-21.48", "39.68"),
        "Europa": ("-22.37", "40.36"),
        "Tromelin": ("-15.89", "54.52"),
    }
    frame = batch(lat=[p[0] for p in islands.values()], lon=[p[1] for p in islands.values()])
    assert check(COORD_SCHEMA, frame) == []
    neighbours = {"Antananarivo": ("-18.91", "47.52"), "Moroni": ("-11.70", "43.25")}
    neighbours["Nampula (Mozambique)"] = ("-14.54", "40.67")
    frame = batch(lat=[p[0] for p in neighbours.values()], lon=[p[1] for p in neighbours.values()])
    assert [row for _code, row, _f, _v in check(COORD_SCHEMA, frame)] == [2, 3, 4]


def test_coordinates_outside_france_and_swapped_hint():
    frame = batch(
        lat=["-0.5792", "40.7128", "44,8378", "144.1", None],
        lon=["44.8378", "-74.0060", "-0.5792", "2.0", "2.0"],
    )
    found = run(COORD_SCHEMA, frame, RuleContext(schema=COORD_SCHEMA))
    assert [(f.code, f.row, f.field) for f in found] == [
        ("coordinates-outside-france", 2, "lat"),
        ("coordinates-outside-france", 3, "lat"),
    ]
    assert found[0].params["swapped"] is True
    assert found[1].params["swapped"] is False


def test_coordinates_with_a_decimal_comma_declared_are_checked():
    """A schema for French spreadsheets declares ``decimalChar: ","``: the engine reads
    44,8378 as a number, and so does the rule (it skipped every such cell)."""
    comma = [{**f, "decimalChar": ","} for f in COORD_SCHEMA["fields"]]
    schema = schema_with(comma, COORD_SCHEMA["custom_checks"])
    frame = batch(lat=["44,8378", "40,7128", "44.8378"], lon=["-0,5792", "-74,0060", "-0.5792"])
    assert check(schema, frame) == [("coordinates-outside-france", 3, "lat", "40,7128")]


# --- ordered-dates ---------------------------------------------------------------------------

DATES_SCHEMA = schema_with(
    [{"name": "debut", "type": "datetime"}, {"name": "fin", "type": "datetime"}],
    [{"name": "ordered-dates", "params": {"start": "debut", "end": "fin"}}],
)


def test_end_before_start_compares_instants_and_days():
    frame = batch(
        debut=[
            "2020-11-17T12:00:00+01:00",  # 2: end before start
            "2020-11-17T11:00:00+01:00",  # 3: 10:00Z vs 10:30Z, fine
            "2020-11-17T10:00:00+01:00",  # 4: date end, same day: fine
            "2020-11-18",  # 5: day before
            "17/11/2020",  # 6: not ISO, the engine's job
            None,  # 7
            "2020-11-17T10:00:00Z",  # 8: Z suffix
        ],
        fin=[
            "2020-11-17T10:00:00+01:00",
            "2020-11-17T10:30:00+00:00",
            "2020-11-17",
            "2020-11-17",
            "16/11/2020",
            "2020-11-17",
            "2020-11-17T09:00:00Z",
        ],
    )
    assert check(DATES_SCHEMA, frame) == [
        ("end-before-start", 2, "fin", "2020-11-17T10:00:00+01:00"),
        ("end-before-start", 5, "fin", "2020-11-17"),
        ("end-before-start", 8, "fin", "2020-11-17T09:00:00Z"),
    ]


def test_end_before_start_with_dates_written_as_the_schema_declares():
    """A schema of dates as %d/%m/%Y: they are compared in time order (they were skipped:
    neither ISO, nor a type error for the engine), and the finding quotes the cells."""
    fields = [{"name": n, "type": "date", "format": "%d/%m/%Y"} for n in ("debut", "fin")]
    schema = schema_with(fields, DATES_SCHEMA["custom_checks"])
    frame = batch(
        debut=["17/11/2020", "30/11/2020", "2020-11-30"],
        fin=["02/12/2020", "02/11/2020", "01/11/2020"],
    )
    (wrong,) = run(schema, frame, RuleContext(schema=schema))
    assert (wrong.row, wrong.field, wrong.value, wrong.params) == (
        3,
        "fin",
        "02/11/2020",
        {"start": "30/11/2020"},
    )


# --- within-edition -------------------------------------------------------------------------


def test_dates_outside_their_edition_are_warnings(project_copy):
    (project_copy / "datasets" / "editions.csv").write_text(
        "annee,date_debut,date_fin\n2021,2021-11-02,2021-11-30\n2020,,\n", encoding="utf-8"
    )
    schema = schema_with(
        [{"name": "edition", "type": "integer"}, {"name": "d", "type": "date"}],
        [{"name": "within-edition", "params": {"edition": "edition", "dates": ["d", "dt"]}}],
    )
    schema["fields"].append({"name": "dt", "type": "datetime"})
    frame = batch(
        edition=["2021", "2021", "2020", "2099", "2021", "deux"],
        d=["2021-12-15", "2021-11-15", "2020-01-01", "2099-01-01", None, "2021-01-01"],
        dt=[None, "2021-11-30T23:30:00+01:00", None, None, "2021-11-01T10:00:00+01:00", None],
    )
    found = run(schema, frame, RuleContext(schema=schema))
    assert sorted((f.code, f.severity, f.row, f.field) for f in found) == [
        ("date-outside-edition", "warning", 2, "d"),
        ("date-outside-edition", "warning", 6, "dt"),
    ]
    first = next(f for f in found if f.row == 2)
    assert first.params == {"edition": "2021", "start": "2021-11-02", "end": "2021-11-30"}
    schema["fields"][1]["format"] = "%d/%m/%Y"  # a day as the schema writes it
    frame = batch(edition=["2021", "2021"], d=["15/12/2021", "15/11/2021"], dt=[None, None])
    (late,) = run(schema, frame, RuleContext(schema=schema))
    assert (late.row, late.field, late.value) == (2, "d", "15/12/2021")


# --- formula-injection ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("https://exemple.invalid")',
        "@SUM(A1:A2)",
        "+HYPERLINK(1)",
        "-2+3+cmd|' /C calc'!A0",
        "-A1+B2",
        "=1+1",
        "-1+1",
        "\uff1d1+1",  # full-width equals sign
        "\uff0bHYPERLINK(1)",
        " =1+1",  # behind a space, a tab, a no-break space: trimmed, it runs
        "\t=1+1",
        "\u00a0@SUM(A1)",
        "\u200b=1+1",  # zero-width space
        "- Atelier de design",  # Excel evaluates it (and shows #NAME?)
    ],
)
def test_formulas_are_flagged(value):
    schema = schema_with([{"name": "t", "type": "string"}], [{"name": "formula-injection"}])
    assert check(schema, batch(t=[value])) == [("formula-injection", 2, "t", value)]


@pytest.mark.parametrize(
    "value",
    ["-0.5792", "+33 1 23 45 67 89", "+33123456789", "-1,5", "-1e5", "Semaine", "=", "-", "-5"],
)
def test_numbers_phones_and_text_are_not_formulas(value):
    schema = schema_with([{"name": "t", "type": "string"}], [{"name": "formula-injection"}])
    assert check(schema, batch(t=[value])) == []


def test_formula_rule_skips_typed_columns_and_honours_column_list():
    schema = schema_with(
        [{"name": "n", "type": "number"}, {"name": "a", "type": "string"}, {"name": "b"}],
        [{"name": "formula-injection", "params": {"columns": ["b"]}}],
    )
    assert check(schema, batch(n=["=1"], a=["=2"], b=["=3"])) == [
        ("formula-injection", 2, "b", "=3")
    ]
    schema["custom_checks"] = [{"name": "formula-injection", "params": {}}]
    assert check(schema, batch(n=["=1"], a=["=2"], b=["=3"])) == [
        ("formula-injection", 2, "a", "=2"),
        ("formula-injection", 2, "b", "=3"),
    ]
    assert formula_rule.pattern()


# --- run() ------------------------------------------------------------------------------------


def test_every_validata_check_is_a_rule_here():
    """``nomenclature-actes-value`` was the last validata-core check only warned about
    (``unknown-check``): each of them now runs, none is unknown."""
    from moisinno_data.validation.rules import VALIDATA

    names = {m.NAME for m in VALIDATA}
    assert "nomenclature-actes-value" in names and len(names) == 11
    schema = schema_with(
        [{"name": "a", "type": "string"}],
        [{"name": "nomenclature-actes-value", "params": {"column": "a"}}],
    )
    assert schema_findings(schema) == []


def test_a_check_no_tool_knows_is_an_error_naming_the_closest_one():
    schema = schema_with(
        [{"name": "a", "type": "string"}], [{"name": "sirett"}, {"name": "sirett"}]
    )
    said = schema_findings(schema)
    assert [(f.code, f.severity, f.value) for f in said] == [("unknown-check", "error", "sirett")]
    assert said[0].params["closest"] == "siret"
    assert run(schema, batch(a=["x"]), RuleContext(schema=schema)) == []


def test_registry_lists_ours_and_validata_checks():
    assert {
        "siret",
        "cog-consistency",
        "coordinates-in-france",
        "ordered-dates",
        "within-edition",
        "formula-injection",
    } < set(RULES)
    assert {
        "french-siret-value",
        "french-siren-value",
        "french-gps-coordinates",
        "compare-columns-value",
        "cohesive-columns-value",
        "sum-columns-value",
        "year-interval-value",
        "one-of-required",
        "opening-hours-value",
        "phone-number-value",
    } < set(RULES)
    assert CODES["cog-mismatch"] == "cog-consistency"
    assert CODES["reversed-french-gps-coordinates"] == "french-gps-coordinates"


def test_columns_absent_from_the_file_are_ignored():
    # Declared in the schema, absent from the file: the engine reports missing labels,
    # rules say nothing.
    names = ["absent", "x", "y"]
    schema = schema_with(
        [{"name": "a", "type": "string"}, *({"name": n} for n in names)],
        [
            {"name": "siret", "params": {"column": "absent"}},
            {"name": "cog-consistency", "params": {"region": "absent"}},
            {"name": "coordinates-in-france", "params": {"latitude": "x", "longitude": "y"}},
            {"name": "ordered-dates", "params": {"start": "x", "end": "y"}},
            {"name": "within-edition", "params": {"edition": "x", "dates": ["y"]}},
            {"name": "french-siret-value", "params": {"column": "absent"}},
            {"name": "compare-columns-value", "params": {"column": "x", "column2": "y", "op": "<"}},
            {"name": "sum-columns-value", "params": {"column": "x", "columns": ["y"]}},
            {"name": "year-interval-value", "params": {"column": "x"}},
            {"name": "opening-hours-value", "params": {"column": "x"}},
            {"name": "phone-number-value", "params": {"column": "x"}},
        ],
    )
    assert check(schema, batch(a=["fictif"])) == []


def test_rules_on_empty_and_all_null_batches():
    schema = json.loads((SCHEMAS / "evenements" / "schema.json").read_text(encoding="utf-8"))
    names = [f["name"] for f in schema["fields"]]
    empty = pl.DataFrame(schema={**{n: pl.Utf8 for n in names}, "__row__": pl.Int64})
    assert run(schema, empty, RuleContext(schema=schema)) == []
    nulls = pl.DataFrame(
        {n: [None, None] for n in names}, schema={n: pl.Utf8 for n in names}
    ).with_columns(pl.Series("__row__", [2, 3], dtype=pl.Int64))
    assert run(schema, nulls, RuleContext(schema=schema)) == []
