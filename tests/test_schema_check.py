"""Schemas are checked before data: an author's mistake is one sentence (exit 2) or a warning
in the report, never an internal error, whichever command loads the schema."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from conftest import SCHEMAS, TABLES, run_cli, write_schema
from hypothesis import given, settings
from hypothesis import strategies as st

from moisinno_data.errors import ConfigError, MoisinnoError
from moisinno_data.package.schema_check import SchemaError, check_schema
from moisinno_data.package.schemas import load_schema
from moisinno_data.validation import validate
from moisinno_data.validation.rules import prepare, schema_findings

BASE = {
    "name": "fictif",
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True, "minimum": 1}},
        {"name": "nom", "type": "string", "constraints": {"pattern": "[A-Za-z ]+"}},
        {"name": "siret", "type": "string"},
        {"name": "debut", "type": "date"},
        {"name": "fin", "type": "date"},
    ],
    "primaryKey": "id",
    "custom_checks": [
        {"name": "siret", "params": {"column": "siret"}},
        {
            "name": "compare-columns-value",
            "params": {"column": "debut", "op": "<=", "column2": "fin"},
        },
    ],
}
CSV = "id,nom,siret,debut,fin\n1,Lab fictif,12345678200010,2020-11-02,2020-11-30\n"


def schema(**changes) -> dict:
    out = copy.deepcopy(BASE)
    out.update(changes)
    return out


def with_field(index: int, **changes) -> dict:
    out = copy.deepcopy(BASE)
    out["fields"][index].update(changes)
    return out


def error_of(value: dict) -> str:
    with pytest.raises(ConfigError) as caught:
        check_schema(value)
        schema_findings(value)
    text = str(caught.value)
    assert "\n" not in text and text.endswith(".")
    return text


# --- errors: one sentence naming the field and the key ---------------------------------


def test_the_bundled_and_a_made_up_schema_are_clean():
    for table in TABLES:
        assert schema_findings(load_schema(table)) == []
    assert schema_findings(BASE) == []


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (with_field(1, type="strng"), ["« nom »", "« type »", "« strng »", "« string »"]),
        (with_field(1, constraints={"pattern": "(["}), ["« nom »", "« pattern »", "invalide"]),
        (with_field(1, format="mail"), ["« nom »", "« format »", "« email »"]),
        (with_field(0, constraints={"minimum": "un"}), ["« id »", "« minimum »", "integer"]),
        (with_field(3, constraints={"maximum": "30/11/2020"}), ["« debut »", "« maximum »"]),
        (with_field(1, constraints={"maxLength": -1}), ["« nom »", "« maxLength »"]),
        (with_field(3, constraints={"pattern": "x"}), ["« debut »", "pattern", "type date"]),
        (with_field(3, constraints={"minimun": "2020"}), ["« debut »", "minimun", "« minimum »"]),
        (with_field(1, constraints={"required": "oui"}), ["« nom »", "« required »"]),
        (with_field(1, constraints="obligatoire"), ["« nom »", "« constraints »"]),
        (with_field(4, name="id"), ["« id »", "« name »", "deux champs"]),
        (with_field(2, trueValues="oui"), ["« siret »", "« trueValues »"]),
        (schema(primaryKey=["identifiant"]), ["« primaryKey »", "« identifiant »"]),
        (
            schema(foreignKeys=[{"fields": "id", "reference": {"resource": "", "fields": "nop"}}]),
            ["foreignKeys", "« nop »"],
        ),
        (schema(custom_checks={"name": "siret"}), ["« custom_checks »"]),
        (
            schema(custom_checks=[{"name": "siret", "params": {"colonne": "siret"}}]),
            ["« siret »", "« colonne »", "« column »"],
        ),
        (
            schema(custom_checks=[{"name": "siret", "params": {}}]),
            ["« siret »", "« column »", "manque"],
        ),
        (
            schema(custom_checks=[{"name": "siret", "params": {"column": "sirett"}}]),
            ["« sirett »", "absente du schéma", "« siret »"],
        ),
        (
            schema(
                custom_checks=[
                    {
                        "name": "compare-columns-value",
                        "params": {"column": "debut", "op": "=<", "column2": "fin"},
                    }
                ]
            ),
            ["« op »", "« =< »", "<="],
        ),
    ],
)
def test_errors_name_the_field_and_the_key(value, words):
    text = error_of(value)
    for word in words:
        assert word in text, (word, text)


def test_deep_nesting_is_refused_naming_the_field():
    value = with_field(1, example=json.loads("[" * 200 + "]" * 200))
    text = error_of(value)
    assert "« nom »" in text and "« example »" in text and "imbrication" in text


# --- warnings: what the schema says that nothing applies --------------------------------


def test_misplaced_and_unknown_keys_are_warnings_naming_them():
    value = with_field(1, required=True, constraint={"maxLength": 3}, descripton="texte")
    value["fields"][1]["doc_enum"] = ["extension fictive"]  # like nothing: allowed, unsaid
    value["fields"][3]["enum"] = ["2020-11-02"]
    value["primarykey"] = "id"
    value["version"] = "1.0.0"  # metadata: allowed at the root
    found = {(f.field, f.params["key"]) for f in schema_findings(value)}
    assert found == {
        ("nom", "required"),
        ("nom", "constraint"),
        ("nom", "descripton"),
        ("debut", "enum"),
        (None, "primarykey"),
    }
    texts = {f.params["key"]: f.params["fr"] for f in schema_findings(value)}
    assert "« constraints »" in texts["constraint"] and "« description »" in texts["descripton"]
    assert "« primaryKey »" in texts["primarykey"]


def test_warnings_reach_the_report_in_both_languages(tmp_path):
    path = tmp_path / "fictif.csv"
    path.write_text(CSV, encoding="utf-8")
    value = with_field(1, required=True)
    report = validate(path, schema=value)
    assert report.valid
    (warning,) = [w for w in report.warnings if w.code == "schema-warning"]
    assert warning.field == "nom" and "« required »" in warning.message
    english = validate(path, schema=value, lang="en")
    assert '"required" belongs inside "constraints"' in english.warnings[0].message


def test_a_required_beside_constraints_says_frictionless_refuses_the_schema():
    """Sweep I: etalab's schema-comptage-mobilites-channel 0.2.0 writes ``"required"``
    beside ``constraints``; the warning said only « il n'est pas appliqué », and release
    then published a datapackage.json that ``frictionless validate`` refuses (field-error).
    The warning now says it; ``"enum"`` beside, which frictionless ignores, does not."""
    from frictionless import FrictionlessException, Schema

    required, enum = with_field(1, required=True), with_field(1, enum=["Lab fictif"])
    (said,) = [f.params["fr"] for f in schema_findings(required) if f.code == "schema-warning"]
    assert said.endswith("et frictionless refuse le schéma (le datapackage.json publié aussi)")
    (english,) = [f.params["en"] for f in schema_findings(required)]
    assert english.endswith(
        "and frictionless refuses the schema (the published datapackage.json too)"
    )
    (quiet,) = [f.params["fr"] for f in schema_findings(enum)]
    assert quiet.endswith("il n'est pas appliqué")
    with pytest.raises(FrictionlessException):
        Schema.from_descriptor(copy.deepcopy(required))
    Schema.from_descriptor(copy.deepcopy(enum))


# --- every command: one sentence, exit 2 -------------------------------------------------


@pytest.fixture
def broken_schema(tmp_path) -> Path:
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(with_field(1, type="strng")), encoding="utf-8")
    (tmp_path / "fictif.csv").write_text(CSV, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "{csv}", "--schema", "{schema}"],
        ["fix", "{csv}", "--schema", "{schema}", "-o", "{out}"],
        ["template", "--schema", "{schema}", "-o", "{xlsx}"],
    ],
)
def test_commands_refuse_a_broken_schema_in_one_sentence(broken_schema, command):
    folder = broken_schema.parent
    names = {
        "csv": str(folder / "fictif.csv"),
        "schema": str(broken_schema),
        "out": str(folder / "corrige.csv"),
        "xlsx": str(folder / "modele.xlsx"),
    }
    result = run_cli(*(part.format(**names) for part in command))
    assert result.returncode == 2, result.stderr
    message = (result.stderr + result.stdout).strip()
    assert "« strng »" in message and "« nom »" in message and "« type »" in message
    assert "Erreur interne" not in message and "Traceback" not in message
    assert len(message.splitlines()) == 1


def test_a_schema_json_too_deep_for_the_parser_is_one_sentence(tmp_path):
    path = tmp_path / "profond.json"
    path.write_text('{"fields": [{"name": "a", "example": ' + "[" * 100_000 + "]" * 100_000 + "}]}")
    (tmp_path / "f.csv").write_text("a\n1\n", encoding="utf-8")
    result = run_cli("validate", str(tmp_path / "f.csv"), "--schema", str(path))
    assert result.returncode == 2
    assert "imbriqué trop profondément" in result.stderr
    assert "Erreur interne" not in result.stderr and "RecursionError" not in result.stderr


@pytest.mark.parametrize(
    ("text", "fr", "en"),
    [  # the mistakes of published versions of etalab schemas (sweep A), on a made-up one
        (
            '{"fields": [{"name": "code_fictif" "type": "string"}]}',
            "ligne 1, colonne 36 : une virgule « , » manque",
            'line 1, column 36: a comma "," is missing',
        ),
        (
            '{"fields": [\n  {"name": "code_fictif",\n   "constraints": {"pattern": "^\\d{5}$"}}]}',
            "ligne 3, colonne 33 : barre oblique inverse « \\ » invalide (dans un motif, "
            "écrivez-la « \\\\ »)",
            'line 3, column 33: invalid backslash "\\" (in a pattern, write it "\\\\")',
        ),
        (
            '{"fields": [{"name": "code_fictif",}]}',
            "ligne 1, colonne 36 : un nom de clé entre guillemets droits est attendu",
            "line 1, column 36: a key name in double quotes is expected",
        ),
        (
            '\ufeff{"fields": [{"name": "code_fictif"}]}',
            "ligne 1, colonne 1 : il commence par la marque d'ordre des octets (BOM)",
            "line 1, column 1: it begins with the byte order mark (BOM)",
        ),
    ],
)
def test_a_schema_that_is_not_json_is_said_in_the_users_language(tmp_path, text, fr, en):
    """Seven published versions of etalab schemas (impact-service-public-numerique at
    ab420b6, registre_entrees at b4a5860, stationnement-cyclable at 348ad4c…) are not JSON.
    The sentence was the json module's English, even in French (« n'est pas un JSON
    lisible : Expecting ':' delimiter: line 97 column 50 (char 2930) »), and French with
    --lang en (« Error: Le schéma … »)."""
    path = tmp_path / "schema-fictif.json"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "f.csv").write_text("code_fictif\nA-001\n", encoding="utf-8")
    french = run_cli("validate", str(tmp_path / "f.csv"), "--schema", str(path))
    assert french.returncode == 2 and f"n'est pas un JSON lisible : {fr}" in french.stderr
    assert "Expecting" not in french.stderr and "char " not in french.stderr
    english = run_cli("--lang", "en", "validate", str(tmp_path / "f.csv"), "--schema", str(path))
    assert english.returncode == 2 and f"is not readable JSON: {en}" in english.stderr
    assert "Le schéma" not in english.stderr
    made = run_cli("init", str(tmp_path / "pkg"), "--schema", str(path))
    assert made.returncode == 2 and f"JSON invalide, {fr}" in made.stderr, made.stderr
    assert not (tmp_path / "pkg").exists()


def test_load_schema_checks_every_bundled_table_and_refuses_a_broken_one(tmp_path):
    for table in TABLES:
        assert load_schema(SCHEMAS / table / "schema.json")["fields"]
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(with_field(1, constraints={"pattern": "("})), encoding="utf-8")
    with pytest.raises(SchemaError, match="pattern"):
        load_schema(path)


# --- fuzz: whatever an author writes, a report or a ConfigError -------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-10, 10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(["", "id", "nom", "string", "integer", "date", "(", "[a-z]+", "%d/%m/%Y"])
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
KEYS = st.sampled_from(
    [
        "name", "type", "format", "constraints", "required", "unique", "pattern", "enum",
        "minimum", "maximum", "minLength", "maxLength", "trueValues", "falseValues",
        "missingValues", "bareNumber", "decimalChar", "groupChar", "constraint", "fields",
        "primaryKey", "foreignKeys", "custom_checks", "params", "column", "columns", "op",
        "column2", "othercolumns", "allow-year-only", "exclusiveMinimum", "jsonSchema",
        "example", "arrayItem", "title", "description",
    ]
) | st.text(max_size=6)  # fmt: skip
TYPES = st.sampled_from(
    ["string", "integer", "number", "date", "datetime", "time", "year", "yearmonth",
     "boolean", "geopoint", "duration", "object", "array", "any", "strng", 3]
)  # fmt: skip


def _containers(value: dict) -> list:
    """Every dict and list inside ``value`` (the places a mutation can land)."""
    found, stack = [], [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict | list):
            found.append(node)
            stack.extend(node.values() if isinstance(node, dict) else node)
    return found


@st.composite
def mutated_schemas(draw) -> dict:
    value = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 4))):
        places = _containers(value)
        place = places[draw(st.integers(0, len(places) - 1))]
        action = draw(st.sampled_from(["set", "delete", "type"]))
        if isinstance(place, list):
            if place and action == "delete":
                place.pop(draw(st.integers(0, len(place) - 1)))
            else:
                place.append(draw(JSON_VALUES))
        elif action == "delete" and place:
            place.pop(draw(st.sampled_from(sorted(place, key=str))))
        elif action == "type":
            place["type"] = draw(TYPES)
        else:
            place[draw(KEYS)] = draw(JSON_VALUES)
    return value


@pytest.fixture(scope="module")
def fuzz_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "fictif.csv"
    path.write_text(CSV + "2,,123,2020-13-01,x\n,Autre,,,\n", encoding="utf-8")
    return path


@settings(max_examples=300, deadline=None)
@given(value=mutated_schemas())
def test_any_mutated_schema_gives_a_report_or_a_configuration_error(fuzz_file, value):
    try:
        report = validate(fuzz_file, schema=value)
    except MoisinnoError as exc:
        assert isinstance(exc, ConfigError), exc
        text = str(exc)
        assert text and "\n" not in text and "Erreur interne" not in text
        return
    assert report.rows == 3


def test_a_misplaced_key_on_a_field_frictionless_reads_is_a_warning_not_a_crash(tmp_path):
    # frictionless refuses a field with "required" beside "constraints"; the engine hands
    # it the fields it has no fast path for (a geopoint here).
    path = tmp_path / "points.csv"
    path.write_text('lieu,point\nfictif,"2.35, 48.85"\n', encoding="utf-8")
    value = {"fields": [{"name": "lieu"}, {"name": "point", "type": "geopoint", "required": True}]}
    report = validate(path, schema=value)
    assert report.valid
    assert [(w.code, w.field, w.params["key"]) for w in report.warnings] == [
        ("schema-warning", "point", "required")
    ]
    assert value["fields"][1]["required"] is True  # the caller's schema is left alone


@settings(max_examples=300, deadline=None)
@given(value=mutated_schemas())
def test_what_we_accept_frictionless_accepts(value):
    """Differential: a schema that passes our check, less the keys it ignores, is one that
    frictionless's own metadata validation accepts field by field (so the engine can hand
    any field to frictionless)."""
    from frictionless import Field

    try:
        usable, _ = prepare(value)
    except ConfigError:
        return
    for field in usable["fields"]:
        Field.from_descriptor(field)  # raises FrictionlessException if not


def test_a_wrong_example_is_a_warning_and_the_data_are_still_checked(tmp_path):
    """Published schemas hold examples that are not values of their field's type (etalab's
    IRVE 2.0.1 dates ``2018-08-08, 2015-12-30``, an array described in words in
    acceslibre's): frictionless refuses the whole schema for them, and handing such a field
    to frictionless's reader used to end in an internal error. Each is one warning; the
    cells are checked as usual, the array ones by frictionless's reader."""
    schema = {
        "name": "exemples-fictifs",
        "fields": [
            {"name": "id", "type": "integer", "example": "1, 10"},
            {"name": "maj", "type": "date", "example": "2018/08/08, 2015/12/30"},
            {"name": "labels", "type": "array", "example": "Valeurs possibles : a -> A"},
            {"name": "ok", "type": "boolean", "trueValues": ["oui"], "example": "oui"},
            {"name": "nom", "type": "string", "example": "Lieu fictif"},
        ],
    }
    path = tmp_path / "exemples-fictifs.csv"
    path.write_text(
        'id,maj,labels,ok,nom\n1,2020-11-02,"[""a""]",oui,X\n2,hier,pas-un-tableau,oui,Y\n'
    )
    report = validate(path, schema=schema)
    notes = [(w.field, w.params["key"]) for w in report.warnings if w.code == "schema-warning"]
    assert notes == [("id", "example"), ("maj", "example"), ("labels", "example")]
    assert sorted((e.code, e.row, e.field) for e in report.errors) == [
        ("type-error", 3, "labels"),
        ("type-error", 3, "maj"),
    ]
    english = validate(path, schema=schema, lang="en").warnings[0].message
    assert 'the example "1, 10" is not a value of type integer' in english


def test_a_field_frictionless_refuses_is_one_sentence_naming_it(tmp_path):
    path = tmp_path / "tableaux-fictifs.csv"
    path.write_text('id,liste\n1,"[1, 2]"\n')
    schema = {
        "fields": [
            {"name": "id", "type": "integer"},
            {"name": "liste", "type": "array", "arrayItem": {"type": 5}},
        ]
    }
    with pytest.raises(ConfigError) as caught:
        validate(path, schema=schema)
    text = str(caught.value)
    assert "« liste »" in text and 'field type "5"' in text and "\n" not in text
    refused = run_cli("validate", str(path), "--schema", str(write_schema(tmp_path, schema)))
    assert refused.returncode == 2 and "Erreur interne" not in refused.stderr
    assert "« liste »" in refused.stderr


def test_an_empty_group_char_means_no_grouping(tmp_path):
    """frictionless-py's ``package-dialect-no-header.json`` says ``"groupChar": ""``:
    frictionless reads it as "no grouping"; it was refused here (exit 2)."""
    from frictionless import Field

    field = {"name": "score", "type": "number", "groupChar": ""}
    assert check_schema({"fields": [field]}) == []
    Field.from_descriptor(field)  # frictionless takes it too
    path = tmp_path / "scores-fictifs.csv"
    path.write_text("score\n12.5\n1 000\n", encoding="utf-8")
    report = validate(path, schema={"fields": [field]})
    assert [(e.code, e.row) for e in report.errors] == [("type-error", 3)]
    with pytest.raises(SchemaError):
        check_schema({"fields": [{"name": "x", "type": "number", "decimalChar": ""}]})


@pytest.mark.parametrize("name", ["Arbres urbains", "Évènements", 12, None])
def test_a_schema_name_frictionless_refuses_is_a_warning(tmp_path, name):
    """``"name": "Arbres urbains"`` (a published schema): frictionless refuses the whole
    schema; here the data is still judged, and the report says why frictionless would not."""
    from frictionless import FrictionlessException, Schema

    schema = {"name": name, "fields": [{"name": "id", "type": "integer"}]}
    with pytest.raises(FrictionlessException):
        Schema.from_descriptor(schema)
    notes = check_schema(schema)
    assert [(n.field, n.key) for n in notes] == [(None, "name")]
    assert "frictionless refuse ce schéma" in notes[0].fr
    path = tmp_path / "arbres-fictifs.csv"
    path.write_text("id\n1\nun\n", encoding="utf-8")
    report = validate(path, schema=schema)
    assert [(e.code, e.row) for e in report.errors] == [("type-error", 3)]
    assert [w.code for w in report.warnings] == ["schema-warning"]
    hint = report.warnings[0].hint  # the name is read: « ne contrôle rien » did not fit it
    assert "Validata) refusent ce schéma" in hint and "ne contrôle rien" not in hint
    assert check_schema({**schema, "name": "arbres-urbains.v1/a_b"}) == []


def test_a_check_no_tool_knows_is_an_error_of_the_report_and_the_data_is_checked(tmp_path):
    """An official schema spells ``french_gps_coordinates``: as Validata does, the report
    says so as an error (with the name it was meant to be, in the user's language) and
    checks the data with everything else; a refusal (exit 2) left stewards with nothing."""
    schema = {
        "fields": [{"name": "coordonnees", "type": "string"}, {"name": "n", "type": "integer"}],
        "custom_checks": [{"name": "french_gps_coordinates", "params": {"column": "coordonnees"}}],
    }
    path = tmp_path / "points-fictifs.csv"
    path.write_text("coordonnees,n\n45.1 2.3,x\n", encoding="utf-8")
    schema_path = write_schema(tmp_path, schema)
    french = run_cli("validate", str(path), "--schema", str(schema_path), "--format", "json")
    assert french.returncode == 1
    found = {(f["code"], f["severity"]) for f in json.loads(french.stdout)["errors"]}
    assert found == {("unknown-check", "error"), ("type-error", "error")}
    assert "vouliez-vous dire « french-gps-coordinates »" in french.stdout
    english = run_cli("validate", str(path), "--schema", str(schema_path), "--lang", "en")
    assert english.returncode == 1
    assert 'which no tool knows (did you mean "french-gps-coordinates"?)' in english.stdout


def test_an_example_its_own_constraints_refuse_is_a_warning(tmp_path):
    """Sweep 7: nine published versions of etalab schemas carry an example that breaks its
    field's constraints (stationnement v0.1.4's ``tarif_pmr`` « 42 » outside its enum);
    validata-core 0.9.7 refused every file for it, this tool said nothing."""
    fields = [
        {"name": "siret", "example": "1234", "constraints": {"pattern": "^\\d{14}$"}},
        {"name": "n", "type": "integer", "example": "500", "constraints": {"maximum": 100}},
        {"name": "e", "example": "ok", "constraints": {"enum": ["ok", "ko"]}},
        {"name": "d", "type": "date", "example": "2020-01-01"},
    ]
    path = write_schema(tmp_path, {"name": "fictif", "fields": fields})
    data = tmp_path / "f.csv"
    data.write_text("siret,n,e,d\n12345678901234,5,ok,2020-01-01\n", encoding="utf-8")
    report = validate(data, schema=str(path))
    said = {(w.field, w.message) for w in report.warnings if w.code == "schema-warning"}
    assert report.valid and {field for field, _ in said} == {"siret", "n"}
    assert any("« 1234 » ne respecte pas les contraintes du champ (pattern)" in m for _, m in said)
    assert any("« 500 » ne respecte pas les contraintes du champ (maximum)" in m for _, m in said)


def test_a_schema_without_any_field_is_refused_by_validate_not_passed_unchecked(tmp_path):
    """Sweep 11: ``{"fields": []}`` gave « VALIDE » with every column of the file
    unchecked (extra-label warnings only): a schema that checks nothing is an author's
    mistake, refused in one sentence as the other ones are (init refused it already)."""
    with pytest.raises(SchemaError, match="aucun champ"):
        check_schema({"name": "vide", "fields": []})
    schema = write_schema(tmp_path, {"name": "vide", "fields": []})
    data = tmp_path / "fictif.csv"
    data.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run_cli("validate", str(data), "--schema", str(schema))
    assert result.returncode == 2, result.stdout
    assert "aucun champ" in result.stderr and "VALIDE" not in result.stdout


def test_a_wkt_format_frictionless_cannot_read_here_is_said_not_refused(tmp_path, monkeypatch):
    """``format: wkt`` is a valid string format, but frictionless reads it only with an
    optional module (frictionless[wkt]): validate stopped, exit 2, telling the steward to
    « corrigez sa description dans le schéma ». Now the column is read as text and a
    schema-warning says its format is not checked, the rest of the file checked."""
    from moisinno_data.package import schema_check
    from moisinno_data.validation import cells, hints

    monkeypatch.setattr(schema_check, "wkt_checked", lambda: False)
    monkeypatch.setattr(cells, "wkt_checked", lambda: False)
    schema = {
        "name": "formes-fictives",
        "fields": [
            {"name": "geom", "type": "string", "format": "wkt"},
            {"name": "n", "type": "integer"},
        ],
    }
    path = tmp_path / "formes.csv"
    path.write_text("geom,n\nPOINT (1 2),1\nfictif,deux\n", encoding="utf-8")
    report = validate(path, schema=schema)
    assert [(f.code, f.row) for f in report.errors] == [("type-error", 3)]
    [note] = [f for f in report.warnings if f.code == "schema-warning"]
    assert note.field == "geom" and "wkt n'est pas vérifié" in note.message
    assert "installez frictionless[wkt]" in hints.hint(note, "fr")


def test_item_constraints_of_a_list_are_said_unchecked():
    """``itemConstraints`` beside a v2 list: neither moisinno nor frictionless applies
    them, and an item outside their enum passed without a word."""
    value = {
        "name": "listes-fictives",
        "fields": [
            {
                "name": "codes",
                "type": "list",
                "itemType": "integer",
                "itemConstraints": {"enum": [1, 2]},
            }
        ],
    }
    notes = [f for f in schema_findings(value) if f.code == "schema-warning"]
    assert [(f.field, f.params["key"]) for f in notes] == [("codes", "itemConstraints")]
    assert "ses éléments ne sont pas contrôlés" in notes[0].params["fr"]
