"""Tables typed from their schema, with titles, multi-valued fields and joins."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest
from conftest import ROOT, SCHEMAS, TABLES
from load_helpers import add_example_events

import moisinno_data as md
from moisinno_data.errors import MoisinnoError
from moisinno_data.loading.dtypes import DataTypeError, multivalue_spec
from moisinno_data.loading.frames import TableNotFoundError, explode


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MOISINNO_CACHE", str(tmp_path / "cache"))


def schema(table: str) -> dict:
    return json.loads((SCHEMAS / table / "schema.json").read_text(encoding="utf-8"))


def expected_kind(field: dict) -> str:
    constraints = field.get("constraints") or {}
    if field["type"] == "integer":
        return "Int64"
    if field["type"] == "number":
        return "Float64"
    if field["type"] == "boolean":
        return "boolean"
    if field["type"] in ("date", "datetime"):
        return "datetime64[us, Europe/Paris]"
    if constraints.get("enum"):
        return "category"
    if multivalue_spec(field):
        return "object"
    return "string"


@pytest.mark.parametrize("table", TABLES)
def test_every_column_has_the_dtype_its_schema_implies(table):
    frame = md.load(table)
    fields = schema(table)["fields"]
    assert list(frame.columns) == [f["name"] for f in fields]
    for field in fields:
        assert str(frame[field["name"]].dtype) == expected_kind(field), field["name"]
        if field["type"] in ("date", "datetime"):
            assert str(frame[field["name"]].dt.tz) == "Europe/Paris"


@pytest.mark.parametrize("table", TABLES)
def test_enum_columns_list_all_allowed_values_in_schema_order(table):
    frame = md.load(table)
    enums = [f for f in schema(table)["fields"] if (f.get("constraints") or {}).get("enum")]
    assert enums, "every table has at least one enumeration"
    for field in enums:
        assert list(frame[field["name"]].cat.categories) == field["constraints"]["enum"]


def test_row_counts_match_datapackage():
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        assert len(md.load(resource["name"])) == resource["count"]


def test_attrs_carry_titles_descriptions_and_version():
    frame = md.load("evenements")
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert frame.attrs["table"] == "evenements"
    assert frame.attrs["title"] == "Événements"
    assert frame.attrs["version"] == descriptor["version"]
    assert frame.attrs["primary_key"] == ["id"]
    assert frame.attrs["fields"]["date_debut"]["title"] == "Début"
    assert "décalage horaire" in frame.attrs["fields"]["date_debut"]["description"]
    assert frame.attrs["fields"]["format"]["enum"][0] == "webinaire"
    assert frame.attrs["licenses"] == ["etalab-2.0"]


def test_values_are_converted_not_just_relabelled(project_copy):
    """The schema's made-up examples cover every type; check the values, not only dtypes."""
    add_example_events(project_copy)
    events = md.load("evenements").set_index("id")
    row = events.loc["2020-exemple-atelier-fictif"]
    assert row["edition"] == 2020
    assert row["date"] == pd.Timestamp("2020-11-17", tz="Europe/Paris")
    assert row["date_debut"] == pd.Timestamp("2020-11-17T09:00:00Z")  # same instant
    assert row["date_debut"].hour == 10  # shown as Paris wall-clock time
    assert row["gratuit"] is True or row["gratuit"] == True  # noqa: E712 (pandas boolean)
    assert row["nombre_participants"] == 25
    assert row["latitude"] == pytest.approx(44.8378)
    assert row["thematiques"] == ["relation-usager", "design"]
    assert row["format"] == "atelier"
    assert "\n" in row["description"]  # a quoted newline survives
    reunion = events.loc["2021-exemple-hybride-fictif"]
    # 09:00 at La Réunion (+04:00) is 06:00 in Paris in November.
    assert reunion["date_debut"] == pd.Timestamp("2021-11-18T05:00:00Z")
    assert reunion["date_debut"].tz_convert("Indian/Reunion").hour == 9
    assert reunion["gratuit"] == False  # noqa: E712
    assert reunion["sources"] == ["https://exemple.gouv.fr", "https://exemple.fr/programme"]
    assert reunion["region"] == "04"
    webinar = events.loc["2020-exemple-webinaire-fictif"]
    assert pd.isna(webinar["date"]) and pd.isna(webinar["nombre_participants"])
    assert pd.isna(webinar["laboratoire"]) and pd.isna(webinar["region"])
    # An unknown theme list stays unknown, not an empty list.
    first = events.loc["2020-mardis-innovation-1"]
    assert first["thematiques"] is None


def test_explode_gives_every_theme_with_zero_counts(project_copy):
    add_example_events(project_copy)
    events = md.load("evenements")
    long = explode(events, "thematiques")
    counts = long["thematiques"].value_counts()
    vocabulary = schema("thematiques")["fields"][1]["constraints"]["enum"]
    assert list(long["thematiques"].cat.categories) == vocabulary
    lists = [v for v in events["thematiques"] if isinstance(v, list)]
    for theme in ("design", "relation-usager"):  # the examples use both: never zero
        assert counts[theme] == sum(theme in v for v in lists) >= 1
    assert counts["autre"] == 0
    expected = sum(len(v) for v in events["thematiques"] if isinstance(v, list))
    assert int(counts.sum()) == expected


def test_bad_cell_is_reported_with_line_and_column(project_copy):
    path = project_copy / "datasets" / "editions.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3].replace("2016,3,", "2016,trois,", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataTypeError) as err:
        md.load("editions")
    message = str(err.value)
    assert "ligne 4" in message and "« numero »" in message and "« trois »" in message


def test_unknown_table_lists_the_tables():
    with pytest.raises(TableNotFoundError) as err:
        md.load("evenement")
    assert "evenements" in str(err.value) and "laboratoires" in str(err.value)


def test_package_resolves_foreign_keys_and_joins():
    pkg = md.load_package()
    assert set(pkg.tables) == set(TABLES)
    assert pkg.package.resource_names == list(pkg.tables)
    events, labs = pkg["evenements"], pkg["laboratoires"]
    fks = {fk["fields"]: fk["reference"] for fk in events.attrs["foreign_keys"]}
    assert fks["laboratoire"] == {"resource": "laboratoires", "fields": "id"}
    with_lab = events["laboratoire"].dropna()
    assert len(with_lab) > 0 and with_lab.isin(labs["id"]).all()
    joined = pkg.join_events()
    assert len(joined) == len(events)
    assert list(joined["id"]) == list(events["id"])
    row = joined.set_index("id").loc["2020-visite-tilab"]
    assert row["laboratoire_nom"] == "TiLab" and row["laboratoire_region"] == "53"
    assert row["edition_nom"] == "Mois de l'innovation publique"
    assert row["edition_numero"] == 7
    no_lab = joined[joined["laboratoire"].isna()]
    assert no_lab["laboratoire_nom"].isna().all()
    # Types survive the join.
    assert str(joined["edition_date_debut"].dtype) == "datetime64[us, Europe/Paris]"
    assert list(joined["laboratoire_type"].cat.categories) == ["etat", "collectivite"]


def readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Pour les chercheurs")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def test_readme_example(capsys):
    """The README's researcher example runs as written and prints the promised types."""
    blocks = readme_section().split("```python\n")[1:]
    executed = [b.split("```", 1)[0] for b in blocks if b.startswith("# Exemple exécuté")]
    assert len(executed) == 1
    exec(compile(executed[0], "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "Int64" in out and "datetime64[us, Europe/Paris]" in out
    assert "category" in out and "boolean" in out and "string" in out
    assert "webinaire" in out and "Début" in out


def test_readme_type_table_matches_the_loader():
    """Every dtype the README's table names is one the loader really produces."""
    section = readme_section()
    produced = {str(t) for table in TABLES for t in md.load(table).dtypes}
    for dtype in produced:
        assert f"`{dtype}`" in section, dtype


def test_citation_file_is_valid_cff_1_2_and_current():
    """CITATION.cff against the official CFF 1.2.0 JSON schema.

    tests/cff-schema-1.2.0.json is citation-file-format's schema (CC-BY-4.0) as shipped in the
    cffconvert 2.0.0 wheel on PyPI, copied unchanged.
    """
    import jsonschema
    import yaml

    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "tests" / "cff-schema-1.2.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(citation, schema)
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert citation["version"] == descriptor["version"]
    assert "etalab-2.0" in citation["license"]
    assert citation["repository-code"] == descriptor["homepage"]


def test_citation_text_names_the_version():
    frame = md.load("editions")
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    text = frame.attrs["citation"]
    assert f"version {descriptor['version']} [jeu de données]" in text
    assert text.startswith("Équipe moisinno-data (2026).")
    assert "Licence Ouverte" in text and descriptor["homepage"] in text


def test_refresh_cff_moves_version_and_date_and_stays_valid(tmp_path):
    import jsonschema
    import yaml

    from moisinno_data.package.citation import refresh_cff

    copy = tmp_path / "CITATION.cff"
    copy.write_text((ROOT / "CITATION.cff").read_text(encoding="utf-8"), encoding="utf-8")
    assert refresh_cff(copy, "1.4.2", "2027-11-30") is True
    assert refresh_cff(copy, "1.4.2", "2027-11-30") is False  # already there: untouched
    citation = yaml.safe_load(copy.read_text(encoding="utf-8"))
    assert citation["version"] == "1.4.2" and citation["date-released"] == "2027-11-30"
    schema = json.loads((ROOT / "tests" / "cff-schema-1.2.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(citation, schema)
    assert copy.read_text(encoding="utf-8").startswith("# Citer ce jeu de données")
    with pytest.raises(ValueError):
        refresh_cff(copy, "1.4.3", "30/11/2027")


def test_values_written_the_schemas_own_way_load_as_their_type():
    """A sweep of the publishing chain on public schemas: IRVE 1.0.2's ``"%Y/%m/%d"``
    dates, a decimal comma, and date-times in the hour the clocks repeat or skip were
    accepted by validation and release, then every load of the version failed."""
    from moisinno_data.loading.dtypes import convert

    day = convert(
        pd.Series(["2017/03/26", None]), {"name": "d", "type": "date", "format": "%Y/%m/%d"}, "t"
    )
    assert str(day[0]) == "2017-03-26 00:00:00+01:00" and day.isna()[1]
    price = {"name": "p", "type": "number", "decimalChar": ",", "groupChar": " "}
    assert convert(pd.Series(["1 234,5"]), price, "t").tolist() == [1234.5]
    euros = {"name": "e", "type": "number", "bareNumber": False}
    assert convert(pd.Series(["12 €", "€-3.5"]), euros, "t").tolist() == [12.0, -3.5]
    from moisinno_data.loading.dtypes import ClockChangeWarning

    with pytest.warns(ClockChangeWarning):  # no single moment in Paris: unknown, not moved
        times = convert(
            pd.Series(["2023-10-29T02:30:00", "2024-03-31T02:30:00"]),
            {"name": "t", "type": "datetime"},
            "t",
        )
    assert times.isna().all()
    anything = {"name": "a", "type": "datetime", "format": "any"}  # with and without offset
    mixed = convert(pd.Series(["2020-11-17T10:00:00+01:00", "2020-11-18 10:00"]), anything, "t")
    assert [str(t) for t in mixed] == ["2020-11-17 10:00:00+01:00", "2020-11-18 10:00:00+01:00"]
    with pytest.raises(DataTypeError, match="format du schéma"):
        convert(pd.Series(["2017-03-26"]), {"name": "d", "type": "date", "format": "%Y/%m/%d"}, "t")


def test_values_frictionless_accepts_load_exactly():
    """A sweep of the chain on public schemas: comptage-mobilités' ``+02`` offsets, a
    ``NaN`` number and an integer past 64 bits were valid, released, then ``load`` and
    ``info`` failed (a raw TypeError, or "corrupt release" for NaN); an integer past
    2^53 beside an empty cell came back one less."""
    from moisinno_data.loading.dtypes import convert

    hours_only = convert(
        pd.Series(["2021-09-15T00:00:00+02", "2021-09-15T01:00:00", None]),
        {"name": "t", "type": "datetime"},
        "t",
    )
    assert [str(t) for t in hours_only[:2]] == [
        "2021-09-15 00:00:00+02:00",
        "2021-09-15 01:00:00+02:00",
    ]
    assert hours_only.isna()[2]
    numbers = convert(pd.Series(["NaN", "1.5", None, "-INF"]), {"name": "x", "type": "number"}, "t")
    assert str(numbers.dtype) == "Float64"
    assert numbers.isna().tolist() == [False, False, True, False]  # NaN is a number, not <NA>
    assert pd.isna(float(numbers[0])) and numbers[3] == float("-inf")
    with pytest.raises(DataTypeError, match="« abc »"):
        convert(pd.Series(["NaN", "abc"]), {"name": "x", "type": "number"}, "t")
    integer = {"name": "n", "type": "integer"}
    exact = convert(pd.Series(["9007199254740993", None]), integer, "t")
    assert str(exact.dtype) == "Int64" and exact[0] == 9007199254740993
    huge = convert(pd.Series(["123456789012345678901234", "+5"]), integer, "t")
    assert huge.tolist() == [123456789012345678901234, 5]
    with pytest.raises(DataTypeError, match="nombre entier"):
        convert(pd.Series(["1", "1.5"]), integer, "t")


def test_join_follows_any_packages_foreign_keys(project_copy):
    """``join`` works on any package's keys (``join_events`` is ``join("evenements")``);
    a package without the events table is told so in a sentence, not a KeyError."""
    pkg = md.load_package()
    joined = pkg.join("evenements")
    assert joined.attrs["joined"] == ["editions", "laboratoires"]
    assert list(joined.columns) == list(pkg.join_events().columns)
    editions = pkg.join("editions")  # no foreign key: the table as it is
    assert editions.equals(pkg["editions"]) and editions.attrs["joined"] == []
    pkg.tables.pop("evenements")
    with pytest.raises(MoisinnoError, match="« evenements » n'est pas dans ce paquet"):
        pkg.join_events()


MOBILITY_TYPE = (
    r"(?:(?:^|,)(BIKE|TWO WHEELS MOTORIZED|PEDESTRIAN|E\-SCOOTER|HORSE\-RIDER|CAR|BUS|MINIBUS"
    r"|TRUCK|VAN|TRAMWAY|CANOE|UNDEFINED))+$"
)
"""comptage-mobilites' ``mobility_type``, as the schema writes it."""


@pytest.mark.parametrize(
    ("pattern", "cell", "items", "vocabulary"),
    [
        (MOBILITY_TYPE, "BIKE,E-SCOOTER", ["BIKE", "E-SCOOTER"], 13),
        (  # inclusion-numerique's modalites_accompagnement
            r"(?:(?:^|,)(Individuel|Collectif))+$",
            "Individuel,Collectif",
            ["Individuel", "Collectif"],
            2,
        ),
        (  # a lieux de médiation numérique field: the same form, separated by |
            r"(?:(?:^|\|)(Surdité|Handicaps moteurs|Handicaps mentaux|Illettrisme|Langues "
            r"étrangères \(anglais\)|Langues étrangères \(autres\)|Déficience visuelle))+$",
            "Surdité|Langues étrangères (anglais)",
            ["Surdité", "Langues étrangères (anglais)"],
            7,
        ),
        (  # dispositif-aide's cibles: the ^ITEM(SEP ITEM)*$ form with an escaped |
            r"^(professionnels|particuliers|associations|secteur public)(\|(professionnels"
            r"|particuliers|associations|secteur public))*$",
            "particuliers|secteur public",
            ["particuliers", "secteur public"],
            4,
        ),
        (  # dispositif-aide's eligibilite_geographique: free items
            r"^[A-Z]+-\d+(\|[A-Z]+-\d+)*$",
            "DEP-33|REG-75",
            ["DEP-33", "REG-75"],
            0,
        ),
    ],
)
def test_lists_of_other_schemas_load_as_lists(pattern, cell, items, vocabulary):
    """Sweep 11: the multi-valued fields of most foreign schemas (comptage-mobilités,
    inclusion numérique, dispositif-aide) loaded as plain strings: list detection knew
    only ``^ITEM(;ITEM)*$`` with an unescaped separator."""
    from moisinno_data.loading.dtypes import convert

    field = {"name": "m", "type": "string", "constraints": {"pattern": pattern}}
    spec = multivalue_spec(field)
    assert spec is not None and len(spec.vocabulary) == vocabulary
    assert set(items) <= set(spec.vocabulary) or not vocabulary
    assert convert(pd.Series([cell, None]), field, "t").tolist() == [items, None]


@pytest.mark.parametrize(
    "pattern",
    [
        # IRVE's id_pdc_itinerance: the first alternative anchored, a code is the whole cell
        r"(?:(?:^|,)(^[A-Z]{2}[A-Z0-9]{4,33}$|Non concerné))+$",
        # an unescaped "." may match the separator (ORDI 3.0, a lieux de médiation field)
        r"(?:(?:^|\|)(Fabriques de Territoire|ORDI 3.0|SUD LABS \(PACA\)))+$",
        r"(?:(?:^|\|)([A-Z]\d[a-z]|)\1+[A-Z]\d[a-z])+$",  # a back-reference
        r"^(heures ouvrables|24h\/24){1}(\|(heures ouvrables|24h\/24))*$|^(non renseigné){1}$",
        r"^.+(,.+)*$",
        r"^[^;]+(,[^;]+)*$",
        r"(?:(?:^|,)([A-Z,]+))+$",
    ],
)
def test_a_pattern_not_surely_a_list_stays_a_string(pattern):
    """Never split wrongly: where an item may hold the separator, or the pattern is not
    one repeated item, the cells stay whole strings."""
    assert multivalue_spec({"name": "m", "constraints": {"pattern": pattern}}) is None


@pytest.mark.parametrize(
    ("fmt", "cells"),
    [
        (None, ["1976-09-26", "1944-10-08", "2021-09-15"]),
        ("%Y-%m-%d", ["1976-09-26", "1944-10-08", "2021-09-15"]),
        ("%d/%m/%Y", ["26/09/1976", "08/10/1944", "15/09/2021"]),
        ("any", ["1976-09-26", "8 Oct 1944", "2021-09-15T00:00:00"]),
    ],
)
def test_a_day_whose_paris_midnight_came_twice_loads_as_that_day(fmt, cells):
    """Sweep 13: on 26/09/1976 and 08/10/1944 Paris midnight came twice; a date field
    without format stopped the table (pandas' « Cannot infer dst time »), one with a
    format loaded NaT with advice to write a UTC offset on a date. A day is its first
    instant in Paris, whatever the clocks did, and no warning is given."""
    from moisinno_data.loading.dtypes import convert

    field = {"name": "jour_fictif", "type": "date"} | ({"format": fmt} if fmt else {})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        days = convert(pd.Series([*cells, None]), field, "t")
    assert [str(d) for d in days[:3]] == [
        "1976-09-26 00:00:00+02:00",  # the first of the two midnights
        "1944-10-08 00:00:00+02:00",
        "2021-09-15 00:00:00+02:00",
    ]
    assert [d.date().isoformat() for d in days[:3]] == ["1976-09-26", "1944-10-08", "2021-09-15"]
    assert days.isna().tolist() == [False, False, False, True]


def test_an_any_date_is_the_day_written_without_its_time():
    """frictionless reads ``2021-09-15T18:30:00`` in a ``format: "any"`` date as the day;
    load kept 18:30, so the same day was two values for ``groupby``."""
    from moisinno_data.loading.dtypes import convert

    field = {"name": "jour_fictif", "type": "date", "format": "any"}
    cells = ["2021-09-15T18:30:00", "2021-09-15", "2021-09-15T23:30:00-05:00", "15 sept 2021"]
    days = convert(pd.Series(cells), field, "t")
    assert [str(d) for d in days] == ["2021-09-15 00:00:00+02:00"] * 4
    assert days.nunique() == 1
    with pytest.raises(DataTypeError, match="« pas une date fictive »"):
        convert(pd.Series(["2021-09-15", "pas une date fictive"]), field, "t")


@pytest.mark.parametrize("kind", ["date", "datetime"])
def test_an_any_date_that_does_not_write_its_whole_day_is_unknown_not_today(kind):
    """``format: "any"`` cells without their whole day (``2020-11``, ``nov``, ``10:00``)
    pass validate (frictionless reads them, filling the missing parts from today), and
    load filled them too: the ``date`` field gave 2020-11-<today's day>, the ``datetime``
    one today's date for ``10:00`` and year 1 for ``nov`` — a version loaded differently
    each day. They load as NaT with a warning naming their lines; whole days are kept."""
    from moisinno_data.loading.dtypes import PartialDateWarning, convert

    field = {"name": "jour_fictif", "type": kind, "format": "any"}
    cells = ["2020-11", "nov", "10:00", "29 feb", "2020", "17 nov 2020", "29 feb 2024", None]
    with pytest.warns(PartialDateWarning, match=r"ligne\(s\) 2, 3, 4, 5, 6 : « 2020-11 »"):
        moments = convert(pd.Series(cells), field, "t")
    assert moments[:5].isna().all() and moments.isna()[7]
    assert [m.date().isoformat() for m in moments[5:7]] == ["2020-11-17", "2024-02-29"]


@pytest.mark.parametrize("fmt", ["default", "%d/%m/%Y %H:%M%z"])
def test_a_moment_outside_the_years_python_holds_in_paris_is_unknown(fmt):
    """Sweep G: ``9999-12-31T23:59:59Z`` is valid for validate and frictionless, but in
    Paris time it is year 10000, which no Python datetime holds: load stopped with a bare
    OverflowError (``0001-01-01T00:00:00+01:00``, year 0 in Paris, with a
    NotImplementedError at the frame's first printing). Such cells load as NaT with a
    warning naming their lines; the same years inside the range are kept."""
    from moisinno_data.loading.dtypes import OutOfRangeWarning, convert

    spelled = {
        "default": ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+01:00",
                    "9999-12-31T10:00:00Z", "2020-11-17T10:00:00+01:00"],
        "%d/%m/%Y %H:%M%z": ["31/12/9999 23:59+0000", "01/01/0001 00:00+0100",
                             "31/12/9999 10:00+0000", "17/11/2020 10:00+0100"],
    }[fmt]  # fmt: skip
    field = {"name": "moment_fictif", "type": "datetime", "format": fmt}
    with pytest.warns(OutOfRangeWarning, match=r"ligne\(s\) 2, 3 : "):
        moments = convert(pd.Series([*spelled, None]), field, "t")
    assert moments[:2].isna().all() and moments.isna()[4]
    kept = [m.isoformat() for m in moments[2:4]]  # printable: Python datetimes
    assert kept == ["9999-12-31T11:00:00+01:00", "2020-11-17T10:00:00+01:00"]


def test_validate_warns_of_the_partial_days_load_leaves_unknown(tmp_path):
    """Sweep G: validate accepted ``format: "any"`` cells without their whole day, as
    frictionless does, without a word, while load leaves them NaT. It warns of exactly
    those cells (``partial-date``), with no error: the verdict stays frictionless's."""
    from moisinno_data.loading.dtypes import PartialDateWarning, convert
    from moisinno_data.validation import validate

    cells = ["2020-11", "17 nov 2020", "nov", "10:00", "29 feb 2024"]
    field = {"name": "jour_fictif", "type": "date", "format": "any"}
    data = tmp_path / "jours-fictifs.csv"
    data.write_text("jour_fictif\n" + "\n".join(cells) + "\n", encoding="utf-8")
    report = validate(data, schema={"fields": [field]})
    assert report.errors == []
    warned = [(f.code, f.row, f.value) for f in report.warnings]
    assert warned == [("partial-date", 2, "2020-11"), ("partial-date", 4, "nov"),
                      ("partial-date", 5, "10:00")]  # fmt: skip
    with pytest.warns(PartialDateWarning):
        loaded = convert(pd.Series(cells), field, "t")
    assert [row - 2 for _code, row, _value in warned] == list(loaded.index[loaded.isna()])


def test_iso_spellings_frictionless_reads_load_as_their_instant():
    """Sweep 13: a decimal comma (``10:00:00,5``) and a lower-case ``t`` or ``z`` are ISO
    8601 that validate and frictionless accept; load called the release « corrompue »."""
    from moisinno_data.loading.dtypes import convert

    cells = ["2021-09-15T10:00:00,5", "2021-09-15t10:00:00z", "2021-09-15T10:00:00,25+02:00"]
    times = convert(pd.Series([*cells, None]), {"name": "t", "type": "datetime"}, "t")
    assert [str(t) for t in times[:3]] == [
        "2021-09-15 10:00:00.500000+02:00",
        "2021-09-15 12:00:00+02:00",
        "2021-09-15 10:00:00.250000+02:00",
    ]
    assert times.isna()[3]
    with pytest.raises(DataTypeError, match="« 2021-09-15T10:00:00,5x »"):
        convert(pd.Series(["2021-09-15T10:00:00,5x"]), {"name": "t", "type": "datetime"}, "t")


def test_odd_fields_load_or_say_why_in_french(tmp_path):
    """Sweep 13: a ``%Z`` pattern (``10:00:00 UTC``) stopped load with « Already
    tz-aware »; a boolean with only ``trueValues`` crashed building its message for a bad
    cell; a ``root`` without datapackage.json gave a raw FileNotFoundError."""
    from moisinno_data.loading.dtypes import convert

    utc = {"name": "t", "type": "datetime", "format": "%Y-%m-%d %H:%M:%S %Z"}
    times = convert(pd.Series(["2021-09-15 10:00:00 UTC", None]), utc, "t")
    assert str(times[0]) == "2021-09-15 12:00:00+02:00" and times.isna()[1]
    oui = {"name": "ouvert", "type": "boolean", "trueValues": ["Oui"]}
    assert convert(pd.Series(["Oui", "false"]), oui, "t").tolist() == [True, False]
    with pytest.raises(DataTypeError, match=r"« Non » n'est pas un booléen \(Oui, false"):
        convert(pd.Series(["Oui", "Non"]), oui, "t")
    (tmp_path / "datasets").mkdir()
    for where in (tmp_path, tmp_path / "datasets", tmp_path / "absent"):
        with pytest.raises(MoisinnoError, match=r"pas de datapackage\.json dans ce dossier"):
            md.load("fictive", root=where)
        with pytest.raises(MoisinnoError, match=r"pas de datapackage\.json"):
            md.load_package(root=where)


def test_a_number_that_is_none_is_told_the_schemas_own_separators():
    """A ``decimalChar: ","`` field's bad cell was told « séparateur décimal : point »,
    the separator its schema forbids: the message now says the schema's own."""
    from moisinno_data.loading.dtypes import convert

    comma = {"name": "montant", "type": "number", "decimalChar": ",", "groupChar": " "}
    with pytest.raises(DataTypeError) as err:
        convert(pd.Series(["12,5", "0,15x"]), comma, "releves-fictifs")
    assert "n'est pas un nombre avec une virgule décimale (44,8378)" in str(err.value)
    assert "point" not in str(err.value)
    with pytest.raises(DataTypeError, match=r"un nombre avec un point décimal \(44\.8378\)"):
        convert(pd.Series(["1.5x"]), {"name": "x", "type": "number"}, "t")


def test_the_readme_types_table_names_each_type_where_it_loads():
    """The README's table of types said nothing of ``year``, which so fell under « autres
    types … `string` »: a year loads as ``Int64``, as ``integer`` does. Each type the table
    names on its ``Int64`` or ``string`` line loads so, and every Table Schema type whose
    values are one number or one text is named on one of them."""
    from moisinno_data.loading.dtypes import convert

    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    named = {}
    for dtype, cell in (("Int64", "`Int64` (entier nullable"), ("string", "`string`, tels")):
        row = next(line for line in lines if line.startswith("| ") and f"| {cell}" in line)
        named[dtype] = row.split("|")[1].split("`")[1::2]
        for kind in named[dtype]:
            loaded = convert(pd.Series(["2021", None]), {"name": "x", "type": kind}, "t")
            assert str(loaded.dtype) == dtype, kind
    assert {"integer", "year"} <= set(named["Int64"])
