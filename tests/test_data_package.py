"""The schemas, their examples, the sourced datasets and datapackage.json."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATASETS, ROOT, SCHEMAS, TABLES
from frictionless import Package, Schema, system
from frictionless_ref import findings

from moisinno_data.package import datapackage as package
from moisinno_data.validation.report import FRICTIONLESS_CODES

ROOT_KEYS = [
    "$schema",
    "name",
    "title",
    "description",
    "countryCode",
    "homepage",
    "path",
    "version",
    "created",
    "lastModified",
    "contributors",
    "licenses",
    "sources",
    "resources",
    "missingValues",
    "fields",
    "primaryKey",
]


def schema(table: str) -> dict:
    return json.loads((SCHEMAS / table / "schema.json").read_text(encoding="utf-8"))


def rows(table: str) -> list[dict]:
    with open(DATASETS / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("table", TABLES)
def test_schema_has_schema_data_gouv_root_keys(table):
    s = schema(table)
    missing = [k for k in ROOT_KEYS if k not in s]
    assert not missing, f"{table}: clés racine absentes {missing}"
    assert s["name"] == table
    assert s["missingValues"] == [""]
    assert [lic["name"] for lic in s["licenses"]] == ["etalab-2.0"]
    major, minor, patch = s["version"].split(".")
    assert all(p.isdigit() for p in (major, minor, patch))


@pytest.mark.parametrize("table", TABLES)
def test_every_field_is_documented(table):
    for field in schema(table)["fields"]:
        for key in ("name", "title", "description", "example", "type", "constraints"):
            assert key in field and field[key] not in ("", None), (
                f"{table}.{field.get('name')}: {key}"
            )


@pytest.mark.parametrize("table", TABLES)
def test_frictionless_accepts_schema(table):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "frictionless",
            "validate",
            "--type",
            "schema",
            "--json",
            str(SCHEMAS / table / "schema.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert json.loads(result.stdout)["valid"], result.stdout
    assert Schema.from_descriptor(str(SCHEMAS / table / "schema.json")).fields


@pytest.mark.parametrize("table", TABLES)
def test_example_valid_is_valid(table):
    assert findings(table, SCHEMAS / table / "exemple-valide.csv") == []


@pytest.mark.parametrize("table", TABLES)
def test_example_invalid_fails_for_documented_reasons(table):
    expected = json.loads(
        (SCHEMAS / table / "exemple-invalide-erreurs.json").read_text(encoding="utf-8")
    )
    row_level = {"missing-cell", "primary-key", "foreign-key"}  # frictionless names no field
    documented = {
        (e["code"], e["row"], None if e["code"] in row_level else e["field"])
        for e in expected
        if e["code"] in FRICTIONLESS_CODES
    }
    documented_rows = {e["row"] for e in expected}
    found = findings(table, SCHEMAS / table / "exemple-invalide.csv")
    # missing-cell is documented once per short row; frictionless reports one per cell
    found_keys = {(c, r, None if c in row_level else f) for c, r, f in found}
    assert found_keys == documented
    # every data row of the invalid example demonstrates at least one documented finding
    with open(SCHEMAS / table / "exemple-invalide.csv", encoding="utf-8", newline="") as fh:
        data_rows = sum(1 for _ in csv.reader(fh)) - 1
    assert documented_rows == set(range(2, data_rows + 2))


@pytest.mark.parametrize("table", TABLES)
def test_examples_look_made_up(table):
    for name in ("exemple-valide.csv", "exemple-invalide.csv"):
        text = (SCHEMAS / table / name).read_text(encoding="utf-8").lower()
        body = text.split("\n", 1)[1]
        for line in csv.reader(body.splitlines()):
            if line:
                assert any(
                    w in ",".join(line) for w in ("fictif", "fictiv", "exemple", "invent")
                ), line


def test_documentation_is_up_to_date():
    from moisinno_data.package.documentation import write_all

    assert write_all(check=True) == []


def test_datapackage_is_valid_with_foreign_keys():
    with system.use_context(trusted=True):
        report = Package(str(ROOT / "datapackage.json")).validate(limit_errors=100000)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    dp = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    fks = {
        r["name"]: (r["schema"] if isinstance(r["schema"], dict) else {}) for r in dp["resources"]
    }
    fks = {name: s.get("foreignKeys", []) for name, s in fks.items()}
    assert {fk["reference"]["resource"] for fk in fks["evenements"]} == {"editions", "laboratoires"}
    assert [fk["reference"]["resource"] for fk in fks["thematiques"]] == ["editions"]


def test_datapackage_metadata():
    dp = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    for key in (
        "name",
        "title",
        "description",
        "version",
        "licenses",
        "sources",
        "contributors",
        "keywords",
        "created",
        "homepage",
        "temporal",
        "spatial",
        "resources",
    ):
        assert dp.get(key), key
    assert len(dp["description"]) >= 100
    assert dp["licenses"][0]["name"] == "etalab-2.0"
    assert [r["name"] for r in dp["resources"]] == list(TABLES)
    for r in dp["resources"]:
        schema_file = package.schema_file(r)
        assert (ROOT / schema_file).is_file() and schema_file.startswith("schemas/")
        for key in ("path", "format", "mediatype", "encoding", "bytes", "hash"):
            assert r.get(key), (r["name"], key)


def test_bytes_and_hashes_match_files():
    from moisinno_data.package import datapackage as package

    assert package.check(ROOT) == []


def test_bytes_check_detects_a_changed_file(project_copy):
    from moisinno_data.package import datapackage as package

    path = project_copy / "datasets" / "editions.csv"
    path.write_text(path.read_text(encoding="utf-8") + "", encoding="utf-8")
    assert package.check(project_copy) == []
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("2099,,,,,,,,,,,https://exemple.gouv.fr\n")
    problems = package.check(project_copy)
    assert any("editions.csv" in p and "bytes" in p for p in problems)


@pytest.mark.parametrize("table", TABLES)
def test_every_row_has_a_source(table):
    for row in rows(table):
        assert row["sources"].startswith("http"), row


def test_editions_2014_to_2025():
    editions = {int(r["annee"]): r for r in rows("editions")}
    assert sorted(editions) == list(range(2014, 2026))
    assert (
        editions[2020]["numero"] == "7" and editions[2020]["nom"] == "Mois de l'innovation publique"
    )
    assert editions[2019]["nom"] == "Semaine de l'innovation publique"
    assert editions[2020]["fil_rouge"] == "La transformation publique au cœur des territoires"
    # 2023: no source gives its dates or name, so they stay empty (never invented)
    assert editions[2023]["date_debut"] == editions[2023]["nom"] == ""


def test_article_events_are_there():
    events = {r["id"]: r for r in rows("evenements")}
    visited = {r["laboratoire"] for r in events.values() if r["format"] == "visite"}
    assert visited == {"labase", "tilab", "siilab", "lab-o"}
    mardis = sorted(
        r["titre"] for r in events.values() if r["id"].startswith("2020-mardis-innovation")
    )
    assert len(mardis) == 4 and "Gouvernement ouvert : en route vers 2021" in mardis
    closing = [r for r in events.values() if r["date"] == "2020-12-01"]
    assert len(closing) == 1 and closing[0]["format"] == "reunion"


def test_theme_counts_from_the_article():
    counts = {r["thematique"]: r for r in rows("thematiques")}
    assert counts["innovation-territoriale"]["nombre_evenements"] == "57"
    assert counts["transformation-manageriale"]["precision"] == "minimum"
    assert counts["design"]["nombre_evenements"] == ""


def test_published_data_contains_no_example_rows():
    for table in TABLES:
        for row in rows(table):
            assert "fictif" not in ",".join(row.values()).lower(), row


FRICTIONLESS = Path(sys.executable).parent / "frictionless"


@pytest.mark.parametrize("table", TABLES)
def test_schema_works_standalone_in_plain_frictionless(table):
    """schema.data.gouv.fr users check one file with the schema alone: no keys to other tables."""
    assert not [
        fk
        for fk in schema(table).get("foreignKeys", [])
        if fk["reference"].get("resource") not in ("", None)
    ]
    result = subprocess.run(
        [str(FRICTIONLESS), "validate", "--schema", f"schemas/{table}/schema.json",
         f"schemas/{table}/exemple-valide.csv"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_inline_schemas_follow_their_files():
    """The inline copy in datapackage.json is the file's schema plus the package's keys."""
    dp = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    for r in dp["resources"]:
        if isinstance(r["schema"], dict):
            inline = dict(r["schema"])
            assert inline.pop("foreignKeys")
            assert inline == schema(r["name"]), r["name"]


def test_datapackage_still_checks_foreign_keys(project_copy):
    """Break a key on purpose in a copy: frictionless and moisinno both see it."""
    events = project_copy / "datasets" / "evenements.csv"
    lines = events.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    cells = next(csv.reader([lines[1]]))
    cells[header.index("edition")] = "2031"
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    lines[1] = out.getvalue()
    events.write_text("\n".join(lines), encoding="utf-8")
    result = subprocess.run(
        [str(FRICTIONLESS), "validate", "datapackage.json"],
        cwd=project_copy, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0 and "foreign-key" in result.stdout
    from moisinno_data.validation import validate

    report = validate(events, "evenements")
    assert [f.code for f in report.errors] == ["foreign-key"]
