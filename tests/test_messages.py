"""Messages (fr/en) and hints for French office habits, from finding codes and params."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moisinno_data.errors import ConfigError
from moisinno_data.validation import hints
from moisinno_data.validation.kinds import registry
from moisinno_data.validation.messages import localize, message
from moisinno_data.validation.report import Finding, Report
from moisinno_data.validation.rules import CODES as RULE_CODES
from tests.conftest import SCHEMAS

EVENTS = json.loads((SCHEMAS / "evenements" / "schema.json").read_text(encoding="utf-8"))
FIELDS = {f["name"]: f for f in EVENTS["fields"]}


def type_error(field: str, value: str) -> Finding:
    f = FIELDS[field]
    params = {"type": f["type"], "format": f.get("format", "default")}
    return Finding("type-error", row=2, field=field, value=value, params=params)


def constraint_error(field: str, value: str | None, constraint: str) -> Finding:
    expected = FIELDS[field]["constraints"][constraint]
    params = {"constraint": constraint, "expected": expected}
    return Finding("constraint-error", row=2, field=field, value=value, params=params)


@pytest.mark.parametrize(
    ("finding", "fr_hint"),
    [
        (type_error("date", "17/11/2020"), "2020-11-17"),
        (type_error("date", "5.3.2021"), "2021-03-05"),
        (type_error("date_debut", "17/11/2020 10:00"), "2020-11-17T10:00:00"),
        (type_error("latitude", "44,8378"), "44.8378"),
        (type_error("gratuit", "oui"), "true"),
        (type_error("gratuit", "Faux"), "false"),
        (type_error("nombre_participants", "1 200"), "1200"),
        (type_error("url_inscription", "www.exemple.gouv.fr"), "https://www.exemple.gouv.fr"),
        (constraint_error("commune", "1001", "pattern"), "01001"),
        (constraint_error("region", "1", "enum"), "01"),
        (constraint_error("organisateur_siret", "2345678200010", "pattern"), "02345678200010"),
        (constraint_error("format", "Webinaire ", "enum"), "webinaire"),
        (constraint_error("format", "webinar", "enum"), "webinaire"),
        (
            constraint_error("organisateur_type", "collectivité", "enum"),
            "collectivite-territoriale",
        ),
        (constraint_error("thematiques", "numérique", "pattern"), "numerique"),
        (constraint_error("thematiques", "design ", "pattern"), "« design »"),
        (constraint_error("region", "Auvergne", "enum"), "84 (Auvergne-Rhône-Alpes)"),
        (constraint_error("id", "Lab-Fictif", "pattern"), "lab-fictif"),
    ],
)
def test_hints_give_the_corrected_value(finding, fr_hint):
    assert fr_hint in hints.hint(finding, "fr")
    assert fr_hint.strip("«» ") in hints.hint(finding, "en")


@pytest.mark.parametrize(
    ("field", "value", "unit", "number"),
    [
        ("nombre_participants", "120 personnes", "personnes", "120"),
        ("latitude", "45,1 °N", "°N", "45.1"),
        ("latitude", "45.1°", "°", "45.1"),
    ],
)
def test_a_number_written_with_its_unit_gets_the_number_alone(field, value, unit, number):
    """IRVE's ``puiss_max`` holds 636 cells like « 22 kW » and « 3,7kW »: the hint said
    to write a number with a decimal point, not that the unit was the trouble."""
    finding = type_error(field, value)
    assert f"sans l'unité ({unit}) : {number}" in hints.hint(finding, "fr")
    assert f"without the unit ({unit}): {number}" in hints.hint(finding, "en")


@pytest.mark.parametrize("value", ["2020-11-17", "kW", "22 kW 3", "12,5,3 m"])
def test_no_unit_hint_without_one_number_and_one_unit(value):
    assert "unit" not in hints.hint(type_error("latitude", value), "en")


def test_a_very_long_cell_gets_the_columns_hint_not_a_correction():
    """A 50 MB upload of 340,000-character cells (U+FDFA, 18 letters once its accents are
    folded) held a worker of the page 337 s, then 334 s more for its English report:
    corrections were sought in each cell, and a hint repeating the corrected cell was
    as long as the cell."""
    long_id = constraint_error("id", "Lab-Fictif" * 30_000, "pattern")
    assert "lab-fictif" in hints.hint(constraint_error("id", "Lab-Fictif", "pattern"), "fr")
    assert hints.suggest(long_id) is None
    assert len(hints.hint(long_id, "fr")) < 500 and len(hints.hint(long_id, "en")) < 500
    region = constraint_error("region", "\ufdfa" * 100_000, "enum")
    assert hints.suggest(region) is None
    assert "Choisissez une valeur de la liste" in hints.hint(region, "fr")
    short = "x" * hints.HINT_MAX_CHARS
    assert hints.suggest(type_error("gratuit", short)) is None  # tried, nothing accepted
    assert hints.suggest(type_error("latitude", " 45,1" + " " * hints.HINT_MAX_CHARS)) is None


def test_past_the_time_given_to_the_file_hints_seek_no_correction():
    """The web page's time limit bounded the reading only: the corrections of 1,000
    distinct long web addresses took 36 s more, and a report's second language had no
    limit at all. Past the deadline, a finding gets its column's hint at once."""
    import dataclasses
    import time

    from moisinno_data.reading.budget import Budget, limits

    cell = constraint_error("id", "Lab-Fictif", "pattern")
    assert hints.suggest(cell) is not None
    past = dataclasses.replace(Budget(max_seconds=60), deadline=time.monotonic() - 1)
    with limits(past):
        assert hints.suggest(cell) is None
        assert "lab-fictif" not in hints.hint(cell, "fr") and hints.hint(cell, "fr")
    with limits(Budget(max_seconds=60)):  # a deadline still ahead changes nothing
        assert hints.suggest(cell) is not None


def test_every_hint_is_accepted_by_the_column():
    # The suggested value must pass what the finding says the column expects.
    for finding in [
        constraint_error("commune", "1001", "pattern"),
        constraint_error("format", "Webinaire ", "enum"),
        type_error("date", "17/11/2020"),
    ]:
        s = hints.suggest(finding)
        assert s is not None
        assert hints.accepts(finding)(s.value)


def test_ambiguous_french_date_says_which_reading_it_assumed():
    text = hints.hint(type_error("date", "02/11/2020"), "fr")
    assert "2020-11-02" in text and "2 novembre" in text
    assert "novembre" not in hints.hint(type_error("date", "17/11/2020"), "fr")


def test_impossible_date_gets_no_made_up_correction():
    assert hints.suggest(type_error("date", "31/02/2020")) is None
    assert "AAAA-MM-JJ" in hints.hint(type_error("date", "31/02/2020"), "fr")


def test_a_date_of_the_right_form_on_no_calendar_is_said_so():
    """2019-02-30 has the form AAAA-MM-JJ: the hint says which part does not exist (a
    sweep of real files found the form blamed)."""
    text = hints.hint(type_error("date", "2019-02-30"), "fr")
    assert "n'existe pas" in text and "février 2019 a 28 jours" in text
    assert "mois 13" in hints.hint(type_error("date", "2019-13-01"), "fr")
    assert "has 30 days" in hints.hint(type_error("date", "2020-11-31"), "en")
    assert "n'existe pas" in hints.hint(type_error("date_debut", "2019-02-29T10:00:00Z"), "fr")
    assert "n'existe pas" not in hints.hint(type_error("date", "2020-02-29x"), "fr")


def test_a_whole_number_with_decimals_and_full_width_digits_are_said_as_they_are():
    """325.0 in an integer column had "without thousands separators", ７５１１４ "without
    accents" (a sweep of real files): each correction now says what it changes."""
    assert "entier ainsi : 325" in hints.hint(type_error("edition", "325.0"), "fr")
    assert "milliers" in hints.hint(type_error("edition", "2.020"), "fr")
    wide = hints.hint(constraint_error("commune", "７５１１４", "pattern"), "fr")
    assert "caractères ordinaires" in wide and "75114" in wide
    assert "sans accents" in hints.hint(constraint_error("format", "conférence", "enum"), "fr")


def test_swapped_coordinates_hint():
    f = Finding(
        "coordinates-outside-france",
        field="latitude",
        value="-0.5792",
        params={"latitude": "-0.5792", "longitude": "44.8378", "swapped": True},
    )
    assert "inversées" in hints.hint(f, "fr") and "latitude 44.8378" in hints.hint(f, "fr")
    assert "swapped" in hints.hint(f, "en")


def test_messages_name_column_value_and_expectation_in_both_languages():
    f = constraint_error("format", "Webinaire ", "enum")
    fr, en = message(f, "fr"), message(f, "en")
    assert "format" in fr and "« Webinaire  »" in fr and "webinaire, atelier" in fr
    assert "column format" in en and '"Webinaire "' in en and "allowed values" in en
    date = type_error("date", "17/11/2020")
    assert "AAAA-MM-JJ" in message(date, "fr") and "YYYY-MM-DD" in message(date, "en")


def test_business_messages_use_params():
    mismatch = Finding(
        "cog-mismatch",
        field="departement",
        value="33",
        params={
            "level": "departement",
            "parent_level": "region",
            "name": "Gironde",
            "parent": "53",
            "parent_name": "Bretagne",
            "expected": "75",
            "expected_name": "Nouvelle-Aquitaine",
        },
    )
    assert message(mismatch, "fr") == (
        "Le département 33 (Gironde) n'appartient pas à la région 53 (Bretagne), "
        "mais à la région 75 (Nouvelle-Aquitaine)."
    )
    assert "Nouvelle-Aquitaine" in message(mismatch, "en")
    commune = Finding(
        "cog-mismatch",
        field="commune",
        value="33063",
        params={
            "level": "commune",
            "parent_level": "departement",
            "parent": "01",
            "expected": "33",
        },
    )
    # Sweep 8: « n'appartient pas à le département 01 ».
    assert message(commune, "fr") == (
        "La commune 33063 n'appartient pas au département 01, mais au département 33."
    )


def test_every_rule_code_and_standard_code_has_a_message():
    for code in [*RULE_CODES, "type-error", "constraint-error", "unique-error", "primary-key"]:
        assert code in registry()


def test_missing_params_still_give_a_sentence():
    for code in registry():
        f = Finding(code, row=3, field="x", value="v")
        assert message(f, "fr").strip() and message(f, "en").strip()
        hints.hint(f, "fr")  # must not raise


def test_unknown_code_keeps_the_emitters_message():
    f = Finding("header-mapped", severity="warning", field="date", message="Colonne renommée.")
    assert message(f, "fr") == "Colonne renommée."
    assert "header-mapped" in message(Finding("header-mapped"), "fr")


def test_localize_fills_every_finding_and_switches_language():
    report = Report(file="fictif.csv", schema={"name": "evenements"})
    report.add(type_error("date", "17/11/2020"))
    report.add(Finding("date-outside-edition", severity="warning", field="date", value="x"))
    localize(report)
    assert report.lang == "fr"
    assert all(f.message and f.hint for f in report.findings)
    assert "Écrivez" in report.errors[0].hint
    localize(report, "en")
    assert report.lang == "en" and report.errors[0].hint.startswith("Write")
    with pytest.raises(ConfigError):
        localize(report, "de")


def test_pattern_hints_of_a_block_ask_polars_once_per_pattern(monkeypatch):
    """Each row failing a pattern with its own value (a real archives register did: 4,000
    rows, 6 s spent on hints): the candidate corrections of a block are checked in one
    polars call per pattern and round (here the first candidate fits), and the hints are
    those found checking them one by one."""
    asked: list[int] = []
    learn = hints._Matches.learn

    def counted(self, values):
        if any(v not in self.known for v in values):
            asked.append(len(values))
        return learn(self, values)

    monkeypatch.setattr(hints._Matches, "learn", counted)
    hints._linear_pattern.cache_clear()
    report = Report(file="fictif.csv", schema={"name": "evenements"})
    for i in range(300):
        report.add(constraint_error("commune", f"{1000 + i}", "pattern"))
        report.add(constraint_error("id", f"Lab-Fictif-{i}", "pattern"))
    localize(report)
    report.write_json(io.StringIO())
    together = [(f.value, f.hint) for f in report.findings]
    assert len(asked) == 2  # one call per pattern, for the whole block
    assert any(v == "1001" and "01001" in h for v, h in together)
    assert any(v == "Lab-Fictif-7" and "lab-fictif-7" in h for v, h in together)

    hints._linear_pattern.cache_clear()
    monkeypatch.setattr(hints, "prepare", lambda findings: None)
    localize(report)  # one by one now
    assert [(f.value, f.hint) for f in report.findings] == together
    assert len(asked) > 100


def test_candidates_past_the_accepted_one_are_never_made(monkeypatch):
    """Each cell's candidate corrections are made one at a time, in the order tried: a
    million rows each wrong in their own way spent a third of their time making the
    corrections that come after the accepted one. ``Lab-Fictif-7`` is fixed by lower
    case; folding accents comes later and must not run, in a block or one by one."""
    folded: list[str] = []
    fold_accents = hints.fold_accents

    def counted(value: str) -> str:
        folded.append(value)
        return fold_accents(value)

    monkeypatch.setattr(hints, "fold_accents", counted)
    hints._linear_pattern.cache_clear()
    findings = [constraint_error("id", f"Lab-Fictif-{i}", "pattern") for i in range(50)]
    hints.prepare(findings)
    block = [hints.hint(f) for f in findings]
    assert all(f"lab-fictif-{i}" in h for i, h in enumerate(block))
    hints._linear_pattern.cache_clear()
    assert [hints.hint(f) for f in findings] == block  # one by one: the same hints
    assert folded == []
    # a cell that lower case does not fix goes on to the next candidates
    accented = constraint_error("id", "Lab-Événement", "pattern")
    assert "lab-evenement" in hints.hint(accented)
    assert folded


def test_json_format_doc_lists_every_code_and_key():
    from tests.conftest import ROOT

    doc = (ROOT / "docs" / "rapport-json.md").read_text(encoding="utf-8")
    for code in [*registry(), *RULE_CODES]:
        assert f"`{code}`" in doc, code
    report = Report(file="x.csv", schema={})
    report.add(Finding("type-error"))
    for key in report.to_dict():
        assert f"`{key}`" in doc, key
    for key in report.errors[0].to_dict():
        assert f"`{key}`" in doc, key


_ODD = st.one_of(
    st.none(), st.text(max_size=30), st.integers(), st.lists(st.text(max_size=5)), st.booleans()
)


@settings(max_examples=300, deadline=None)
@given(
    code=st.sampled_from([*registry(), "inconnu"]),
    value=st.one_of(st.none(), st.text(max_size=40)),
    params=st.dictionaries(
        st.sampled_from(
            ["type", "format", "constraint", "expected", "level", "swapped", "first_row"]
        ),
        _ODD,
    ),
    lang=st.sampled_from(["fr", "en"]),
)
def test_messages_and_hints_never_raise_on_odd_findings(code, value, params, lang):
    f = Finding(code, row=2, field="col", value=value, params=params)
    assert isinstance(message(f, lang), str)
    assert isinstance(hints.hint(f, lang), str)


def test_foreign_key_hint_points_to_the_closest_published_key(project_copy):
    (project_copy / "datasets" / "laboratoires.csv").write_text(
        "id,nom\nlab-fictif-exemple,Lab fictif\nautre-lab-fictif,Autre\n", encoding="utf-8"
    )
    params = {"resource": "laboratoires", "reference": ["id"], "fields": ["laboratoire"]}
    typo = Finding(
        "foreign-key", row=2, field="laboratoire", value="lab-fictif-exempel", params=params
    )
    assert "« lab-fictif-exemple »" in hints.hint(typo, "fr")
    unknown = Finding("foreign-key", row=2, field="laboratoire", value="zzz", params=params)
    assert "table laboratoires publiée" in hints.hint(unknown, "fr")


def test_a_pattern_error_shows_the_schemas_example_when_the_pattern_accepts_it(tmp_path):
    """Sweep of public schemas: a pattern error said « motif (?:(?:^|,)(BIKE|TWO WHEE… »
    and pointed to the documentation. The schema's ``example`` says it plainly."""
    from moisinno_data.validation import validate

    schema = {
        "name": "codes-fictifs",
        "fields": [
            {"name": "code", "example": "AB1", "constraints": {"pattern": "[A-Z]{2}[0-9]"}},
            {"name": "autre", "example": "zz", "constraints": {"pattern": "[0-9]+"}},
        ],
    }
    schema_path = tmp_path / "schema.json"
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    data = tmp_path / "codes.csv"
    data.write_text("code,autre\nAB12,x\n", encoding="utf-8")
    report = validate(data, schema_path)
    by_field = {f.field: f for f in report.errors}
    assert by_field["code"].params["example"] == "AB1"
    assert "l'exemple du schéma : « AB1 »" in by_field["code"].hint
    assert "exemple" not in by_field["autre"].hint  # "zz" fails its own pattern: not shown
    assert "documentation" in by_field["autre"].hint


def test_a_pattern_hint_proposes_no_code_the_fields_list_refuses(tmp_path):
    """A code field with both a pattern and an enum: ``1234`` fails both. The pattern's
    hint asked for ``01234`` (it fits ``^\\d{5}$``), which the list refuses, beside the
    list's own hint: two hints at odds, one a value the validator rejects. ``1053`` still
    gets ``01053`` (in the list), and the JSON report does not carry the list twice."""
    from moisinno_data.validation import validate

    schema = {
        "name": "codes-fictifs",
        "fields": [
            {"name": "code", "constraints": {"pattern": "^\\d{5}$", "enum": ["01053", "75056"]}}
        ],
    }
    schema_path = tmp_path / "schema.json"
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    data = tmp_path / "codes.csv"
    data.write_text("code\n1053\n1234\n", encoding="utf-8")
    report = validate(data, schema_path)
    pattern = {f.value: f for f in report.errors if f.params.get("constraint") == "pattern"}
    assert "01053" in pattern["1053"].hint
    assert "01234" not in pattern["1234"].hint
    assert "documentation" in pattern["1234"].hint
    out = io.StringIO()
    report.write_json(out)
    assert "_enum" not in out.getvalue()


def test_excel_separator_line_above_the_header_is_named(tmp_path):
    """Sweep of real files: a file saved for Excel may begin with ``sep=;``. A CSV's is
    skipped as Excel skips it; in a workbook (the CSV opened and saved by a spreadsheet
    that does not read that line) it stays above the header, and is named as such."""
    from conftest import write_xlsx

    from moisinno_data.validation import validate

    schema = {"name": "fictif", "fields": [{"name": "id"}, {"name": "titre"}]}
    path = tmp_path / "sep-excel.csv"
    path.write_text("sep=;\nid;titre\nlab-1;Atelier fictif\n", encoding="utf-8")
    report = validate(path, schema=schema)
    assert not report.errors and [f.code for f in report.warnings] == ["excel-separator-line"]
    sheet = tmp_path / "sep-excel.xlsx"
    write_xlsx(sheet, [["sep=;"], ["id", "titre"], ["lab-1", "Atelier fictif"]])
    found = [f for f in validate(sheet, schema=schema).errors if f.code == "no-matching-column"]
    assert len(found) == 1
    assert "« sep=… »" in found[0].message and "consigne de séparateur d'Excel" in found[0].message
    assert found[0].hint.startswith("Supprimez la première ligne (« sep=… »")
    plain = tmp_path / "titre.csv"
    plain.write_text("Liste des ateliers;\nid;titre\n", encoding="utf-8")
    other = [f for f in validate(plain, schema=schema).errors if f.code == "no-matching-column"]
    assert "sep=" not in other[0].message + other[0].hint


def test_extra_cells_of_a_workbook_are_not_blamed_on_a_separator(tmp_path):
    """Sweep of real spreadsheets: in a workbook whose title row stood above the header,
    the extra cells' advice spoke of CSV separators and quotes."""
    from conftest import write_xlsx

    from moisinno_data.validation import validate

    schema = {"name": "fictif", "fields": [{"name": "id"}, {"name": "titre"}]}
    path = write_xlsx(tmp_path / "titre.xlsx", [["Ateliers fictifs"], ["id", "titre"], ["a", "b"]])
    found = [f for f in validate(path, schema=schema).errors if f.code == "extra-cell"]
    assert found and "séparateur" not in found[0].hint and "ligne de titre" in found[0].hint
    csv_path = tmp_path / "titre.csv"
    csv_path.write_text("id\na,b\n", encoding="utf-8")
    found = [f for f in validate(csv_path, schema=schema).errors if f.code == "extra-cell"]
    assert "séparateur" in found[0].hint


def test_a_value_typed_far_right_in_a_workbook_is_one_extra_cell(tmp_path):
    """A value typed in column AH of a workbook was reported with every empty column
    between the header's end and it, each as an "extra cell" of nothing (16,366 of them
    for a value in XFD). The sheet holds one cell there: one finding. A CSV row's empty
    cells stand between separators, and are still reported as frictionless does."""
    from conftest import write_xlsx

    from moisinno_data.validation import validate

    schema = {"name": "fictif", "fields": [{"name": "id"}, {"name": "titre"}]}
    far = ["b", "Atelier fictif", *[None] * 30, "note égarée"]
    path = write_xlsx(tmp_path / "loin.xlsx", [["id", "titre"], ["a", "Atelier fictif"], far])
    found = [f for f in validate(path, schema=schema).errors if f.code == "extra-cell"]
    assert [(f.row, f.column, f.value) for f in found] == [(3, 33, "note égarée")]
    csv_path = tmp_path / "loin.csv"
    csv_path.write_text("id,titre\nb,Atelier fictif,,x\n", encoding="utf-8")
    found = [f for f in validate(csv_path, schema=schema).errors if f.code == "extra-cell"]
    assert [(f.column, f.value) for f in found] == [(3, ""), (4, "x")]


def _validated(tmp_path, fields: list[dict], values: list[str]):
    """The findings of a one-column CSV holding ``values``."""
    from moisinno_data import validate

    path = tmp_path / "f.csv"
    path.write_text("v\n" + "".join(f'"{v}"\n' for v in values), encoding="utf-8")
    return validate(path, schema={"name": "t", "fields": [{"name": "v", **fields[0]}]})


@pytest.mark.parametrize(
    ("field", "value", "message", "fixed"),
    [
        (
            {"type": "number", "decimalChar": ","},
            "12.5",
            "n'est pas un nombre écrit avec une virgule décimale (44,8378)",
            "12,5",
        ),
        ({"type": "number", "decimalChar": ","}, "1 234,5", "virgule décimale", "1234,5"),
        (
            {"type": "date", "format": "%d/%m/%Y"},
            "2024-11-05",
            "au format du schéma %d/%m/%Y (ex. 17/11/2020)",
            "05/11/2024",
        ),
        ({"type": "date", "format": "%d/%m/%Y"}, "5.11.2024", "%d/%m/%Y", "05/11/2024"),
        ({"type": "year"}, "24", "année sur quatre chiffres", "2024"),
        ({"type": "year"}, "98", "année sur quatre chiffres", "1998"),
    ],
)
def test_hints_and_messages_follow_the_fields_notation(tmp_path, field, value, message, fixed):
    """Sweep 11: for a ``decimalChar: ","`` field the hint said « avec un point décimal
    (44.8378) », for a ``%d/%m/%Y`` date « AAAA-MM-JJ », for the year 24 « écrivez
    0024 »: each advice gave a value the same validator refuses, or a wrong one. The
    message and the hint now follow the field, and the suggested value is valid there."""
    (error,) = _validated(tmp_path, [field], [value]).errors
    assert message in error.message
    suggestion = hints.suggest(error)
    assert suggestion is not None and suggestion.value == fixed
    assert fixed in error.hint and "0024" not in error.hint and "44.8378" not in error.hint
    assert _validated(tmp_path, [field], [fixed]).valid


def test_without_a_correction_the_hint_shows_the_fields_notation(tmp_path):
    report = _validated(tmp_path, [{"type": "number", "decimalChar": ","}], ["abc"])
    assert (
        report.errors[0].hint == "Écrivez un nombre en chiffres avec une virgule décimale (44,8378)"
    )
    report = _validated(tmp_path, [{"type": "date", "format": "%d/%m/%Y"}], ["abc"])
    assert "format du schéma %d/%m/%Y (17/11/2020)" in report.errors[0].hint
    assert _validated(tmp_path, [{"type": "date", "format": "%d/%m/%Y"}], ["17/11/2020"]).valid


@pytest.mark.parametrize(
    ("fmt", "shape", "example"),
    [
        ("default", "« longitude, latitude »", "2.3522, 48.8566"),
        ("array", "« [longitude, latitude] »", "[2.3522, 48.8566]"),
        ("object", '« {"lon": longitude, "lat": latitude} »', '{"lon": 2.3522, "lat": 48.8566}'),
    ],
)
def test_a_geopoint_is_longitude_then_latitude(tmp_path, fmt, shape, example):
    """Sweep 11: the message asked for « latitude,longitude », but Table Schema's
    geopoint is longitude first (frictionless reads ``5.71, 45.18`` as lon 5.71): following
    it published swapped points. The message and hint say the field's format, with an
    example that is valid there; the ±90 bound applies to the latitude."""
    field = {"type": "geopoint", "format": fmt}
    (error,) = _validated(tmp_path, [field], ["45.18 5.71"]).errors
    assert f"n'est pas un point {shape}" in error.message
    assert "latitude,longitude" not in error.message + error.hint
    assert f"la longitude puis la latitude, {shape} ({example})" in error.hint
    assert _validated(tmp_path, [field], [example.replace('"', '""')]).valid
    lat_95, lon_95 = {
        "default": ("5.71, 95", "95, 45.18"),
        "array": ("[5.71, 95]", "[95, 45.18]"),
        "object": ('{""lon"": 5.71, ""lat"": 95}', '{""lon"": 95, ""lat"": 45.18}'),
    }[fmt]
    assert [e.row for e in _validated(tmp_path, [field], [lat_95, lon_95]).errors] == [2]


def test_a_schema_writing_iso_itself_is_told_in_words_and_oui_non_without_repeating(tmp_path):
    """Sweep 13: « Écrivez oui (oui pour oui, non pour non) » for a field whose words are
    oui/non, and « au format du schéma %Y-%m-%d » where AAAA-MM-JJ says it to people;
    documentation.md of a schema with neither title nor name had an empty heading."""
    from moisinno_data.package import documentation

    words = {"type": "boolean", "trueValues": ["oui"], "falseValues": ["non"]}
    (finding,) = _validated(tmp_path, [words], ["vrai"]).errors
    assert finding.hint == "Écrivez oui."
    (finding,) = _validated(tmp_path, [{"type": "date", "format": "%Y-%m-%d"}], ["5/11"]).errors
    assert "AAAA-MM-JJ" in finding.message and "%Y" not in finding.message + finding.hint
    page = documentation.render({"fields": [{"name": "id"}]}, [], "lieux")
    assert page.startswith("## lieux\n")


def test_the_documentation_writes_composite_keys_as_names_not_a_python_list():
    """Sweep 9: ``moisinno docs`` wrote a composite foreign key as
    ``['code_insee', 'année']``; ``uniqueKeys``, now checked, were not said at all."""
    from moisinno_data.package import documentation

    key = ["code_insee", "année"]
    schema = {
        "fields": [{"name": "code_insee"}, {"name": "année"}, {"name": "montant"}],
        "uniqueKeys": [[*key, "montant"]],
        "foreignKeys": [{"fields": key, "reference": {"resource": "communes", "fields": key}}],
    }
    fk = {"fields": "code_insee", "reference": {"resource": "communes", "fields": "code_insee"}}
    page = documentation.render(schema, [fk], "equipements")
    assert "['" not in page
    assert "- Clé étrangère : `code_insee`, `année` renvoie à `code_insee`, `année`" in page
    assert "- Combinaison unique : `code_insee`, `année`, `montant` (une combinaison" in page
    assert "- Dans le paquet de données : `code_insee` renvoie à `code_insee` de la" in page


@pytest.mark.parametrize(
    ("type_", "constraint", "n", "fr", "en"),
    [
        ("string", "minLength", 2, "au moins 2 caractères", "at least 2 characters"),
        ("string", "maxLength", 1, "au plus 1 caractère.", "at most 1 character."),
        ("array", "minLength", 1, "au moins 1 élément.", "at least 1 item."),
        ("array", "maxLength", 3, "au plus 3 éléments", "at most 3 items"),
        ("list", "minLength", 2, "au moins 2 éléments", "at least 2 items"),
        ("object", "maxLength", 2, "au plus 2 propriétés", "at most 2 properties"),
    ],
)
def test_a_length_counts_what_the_type_holds(type_, constraint, n, fr, en):
    """Sweep of real files: an array's ``minLength`` counts its items (Table Schema), the
    message said « au moins 1 caractères »."""
    from moisinno_data.validation.report import Finding

    finding = Finding(
        "constraint-error",
        row=3,
        field="b",
        value="[]",
        params={"constraint": constraint, "expected": n, "type": type_},
    )
    assert fr in message(finding, "fr") and en in message(finding, "en")
    collection = type_ in ("array", "list", "object")
    assert ("nombre d'éléments" in hints.hint(finding, "fr")) is collection


def test_a_long_list_and_many_wrong_values_stay_bounded(tmp_path, monkeypatch):
    """Sweep of small hostile inputs: an enum of 100,000 values was written with each of
    its findings (1,000 wrong cells of a 50 KB file: a 2 GB report, 12 GB of memory, 75 s),
    and looking for the closest allowed value took about 10 ms a cell, without bound. The
    report lists 100 values and their count; past the report's fuzzy time, hints name
    the column's values without looking for the closest."""
    from moisinno_data.validation import validate

    allowed = [f"valeur-fictive-{i:04d}" for i in range(1000)]
    schema = {"fields": [{"name": "a", "type": "string", "constraints": {"enum": allowed}}]}
    path = tmp_path / "liste-fictive.csv"
    path.write_text(
        "a\n" + "".join(f"valeur-fictive-{i:04d}x\n" for i in range(30)), encoding="utf-8"
    )
    report = validate(path, schema)
    first = report.to_dict()["errors"][0]
    assert (
        first["params"]["expected"] == allowed[:100] and first["params"]["expected_count"] == 1000
    )
    assert all(e.hint.startswith("Vouliez-vous dire") for e in report.errors)
    monkeypatch.setattr(hints, "FUZZY_SECONDS", 0.0)
    spent = validate(path, schema)
    said = [e.hint for e in spent.errors]
    assert said[0].startswith("Vouliez-vous dire « valeur-fictive-0000 »")
    assert said[-1].startswith("Choisissez une valeur de la liste, écrite exactement : ")


def test_the_documentation_lists_the_schemas_own_missing_values():
    """The generated page said « Valeurs manquantes : cellule vide » whatever the schema's
    ``missingValues`` (``NA``, ``-``): a contributor would leave a cell empty where ``NA``
    is also accepted, or think ``-`` a wrong value."""
    from moisinno_data.package import documentation

    fields = [{"name": "nb", "type": "integer"}]
    page = documentation.render({"fields": fields, "missingValues": ["", "NA", "-"]}, [], "t")
    assert "- Valeurs manquantes : cellule vide, `NA`, `-`\n" in page
    assert "- Valeurs manquantes : cellule vide\n" in documentation.render(
        {"fields": fields}, [], "t"
    )
    none = documentation.render({"fields": fields, "missingValues": []}, [], "t")
    assert "- Valeurs manquantes : aucune" in none


POURCENTAGE_SUBVENTION = {
    "type": "number",
    "title": "Pourcentage du montant total de la subvention attribuée au bénéficiaire",
    "description": "Pourcentage exprimé sous la forme d'un nombre décimal. Dans le cas d’un "
    "bénéficiaire unique, le pourcentage est 100%, soit '1.00' en nombre décimal.",
    "constraints": {"required": True, "minimum": 0.01, "maximum": 1},
}
"""scdl subventions' ``pourcentageSubvention``, as the schema has it."""


@pytest.mark.parametrize(
    ("field", "value", "fixed", "said"),
    [
        (POURCENTAGE_SUBVENTION, "45%", "0.45", "en fraction de 1, sans le signe % : 0.45"),
        (POURCENTAGE_SUBVENTION, "12,5 %", "0.125", "sans le signe % : 0.125"),
        ({**POURCENTAGE_SUBVENTION, "decimalChar": ","}, "45 %", "0,45", "signe % : 0,45"),
        (
            {"type": "number", "description": "Taux d'occupation, entre 0 et 1"},
            "45 %",
            "0.45",
            "sans le signe % : 0.45",
        ),
        (
            {"type": "number", "constraints": {"maximum": 100}},
            "45%",
            "45",
            "sans l'unité (%) : 45",
        ),
        ({"type": "number"}, "12,5 %", "12.5", "sans l'unité (%) : 12.5"),
    ],
)
def test_a_percentage_is_proposed_as_the_fields_range_wants_it(tmp_path, field, value, fixed, said):
    """Sweep 11: for scdl's ``pourcentageSubvention`` (maximum 1) the hint of « 45% » was
    « Écrivez le nombre seul, sans l'unité (%) : 45 », and 45 broke the maximum. The
    range (or a description of a ratio between 0 and 1) says whether 45 % is 0.45 or 45,
    and the proposed value is one the field accepts."""
    (error,) = _validated(tmp_path, [field], [value]).errors
    assert said in error.hint
    suggestion = hints.suggest(error)
    assert suggestion is not None and suggestion.value == fixed
    assert _validated(tmp_path, [field], [fixed]).valid


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        (
            POURCENTAGE_SUBVENTION,
            "250%",
            "Écrivez un nombre sans le signe %, entre 0.01 et 1 : une fraction de 1 (100 % "
            "s'écrit 1) ; vérifiez la valeur.",
        ),
        (
            {"type": "number", "constraints": {"minimum": 0, "maximum": 50}},
            "45%",
            "Écrivez un nombre sans le signe %, entre 0 et 50 ; le schéma ne dit pas si un "
            "pourcentage s'y écrit en fraction de 1 (100 % s'écrivant 1) ou non : voyez sa "
            "documentation.",
        ),
        (
            {"type": "integer", "constraints": {"maximum": 100}},
            "150 %",
            "Écrivez un nombre sans le signe %, d'au plus 100 ; vérifiez la valeur.",
        ),
    ],
)
def test_a_percentage_no_form_of_which_fits_gets_no_value(tmp_path, field, value, said):
    """250 % is neither 2.5 nor 250 in a field of at most 1, and 45 % in a field of at
    most 50 could be 45 or 0.45: the hint says what the field expects, with no value that
    would be a guess or refused."""
    (error,) = _validated(tmp_path, [field], [value]).errors
    assert hints.suggest(error) is None
    assert error.hint == said
    assert "sign" in hints.hint(error, "en")


def test_a_reference_to_the_same_file_names_no_published_table():
    """A foreign key to this very table (``resource: ""``) said « n'existe pas dans la
    table de référence (id) publiée »: nothing is published, the column is in the file."""
    from moisinno_data.validation.report import Finding

    finding = Finding(
        "foreign-key",
        row=4,
        field="parent",
        value="n9",
        params={"resource": "", "reference": ["id"], "fields": ["parent"]},
    )
    said = message(finding, "fr")
    assert "n'existe pas dans la colonne id de ce même fichier" in said
    assert "publiée" not in said and "publiée" not in hints.hint(finding, "fr")
    assert "column id of this same file" in message(finding, "en")


def test_a_total_or_source_line_under_the_table_is_named_and_its_removal_asked(tmp_path):
    """Sweep of spreadsheets as administrations send them: a « Total » row or a « Source :
    … » line under the table was reported as a value of the wrong type, with the hint to
    write a whole number, when the steward must delete the row. Said once, in the value's
    hint, which consolidate's rejection repeats."""
    from conftest import write_xlsx

    from moisinno_data.validation import validate

    schema = {
        "name": "fictif",
        "fields": [
            {"name": "annee", "type": "integer", "constraints": {"required": True}},
            {"name": "format", "constraints": {"enum": ["atelier", "webinaire"]}},
        ],
    }
    rows = [
        ["annee", "format"],
        [2090, "atelier"],
        ["Totalement fictif", "atelier"],
        [None, "Sous-total"],
        ["Total", None],
        [],
        ["Source : données fictives de démonstration", None],
        ["N.B. : chiffres fictifs", None],
    ]
    path = write_xlsx(tmp_path / "total.xlsx", rows)
    for lang, said in [("fr", "supprimez toute la ligne"), ("en", "delete the whole row")]:
        report = validate(path, schema=schema, lang=lang)
        hints_by_row = {
            f.row: f.hint for f in report.errors if f.code in ("type-error", "constraint-error")
        }
        assert said not in hints_by_row[3]  # a value that only begins like « Total »
        for row in (4, 5, 7, 8):
            assert said in hints_by_row[row], (row, hints_by_row[row])
        assert ("ligne de total" if lang == "fr" else "total row") in hints_by_row[5]
        assert ("ligne de source ou de note" if lang == "fr" else "note line") in hints_by_row[7]
