"""``moisinno init``: the whole chain on a data package for a schema the project does not ship.

The schema is made up here, of the schema.data.gouv.fr kind (metadata, a primary key, a
pattern, a Validata-style custom check); every command runs as a user runs it, from inside
the new folder, with no variable set.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT

from moisinno_data.package.licences import DEFAULT, LICENCES, SAID, entry
from moisinno_data.package.portal_metadata import AGAIN, check_folder, licence
from moisinno_data.publishing.init import init_package

PARKINGS = {
    "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
    "name": "parkings",
    "title": "Parkings fictifs de la ville d'Exemple",
    "description": "Schéma inventé pour les tests : un parking fictif par ligne.",
    "countryCode": "FR",
    "homepage": "https://exemple.invalid/schema-parkings-fictifs",
    "version": "0.1.0",
    "created": "2026-01-01",
    "lastModified": "2026-01-01",
    "licenses": [{"name": "etalab-2.0", "title": "Licence Ouverte / Open Licence version 2.0"}],
    "missingValues": [""],
    "fields": [
        {
            "name": "id",
            "title": "Identifiant",
            "description": "Identifiant du parking fictif",
            "example": "PK-001",
            "type": "string",
            "constraints": {"required": True, "pattern": "^PK-[0-9]{3}$"},
        },
        {
            "name": "nom",
            "title": "Nom",
            "description": "Nom du parking",
            "example": "Parking fictif de la gare",
            "type": "string",
            "constraints": {"required": True},
        },
        {
            "name": "places",
            "title": "Places",
            "description": "Nombre de places",
            "example": "120",
            "type": "integer",
            "constraints": {"minimum": 0},
        },
        {
            "name": "latitude",
            "title": "Latitude",
            "description": "Latitude WGS84",
            "example": "48.85",
            "type": "number",
        },
        {
            "name": "longitude",
            "title": "Longitude",
            "description": "Longitude WGS84",
            "example": "2.35",
            "type": "number",
        },
    ],
    "primaryKey": ["id"],
    "custom_checks": [
        {
            "name": "coordinates-in-france",
            "params": {"latitude": "latitude", "longitude": "longitude"},
        }
    ],
}

CONTRIBUTION = (
    "id;nom;places;latitude;longitude\r\n"
    "PK-001;Parking fictif de la gare;120;48,8566;2,3522\r\n"
    "PK-002;Parking fictif du marché;45;45,7640;4,8357\r\n"
    "PK-003;Parking fictif hors de France;10;40,7128;-74,0060\r\n"
)
UPDATE = "id;nom;places;latitude;longitude\r\nPK-002;Parking fictif du marché;60;45,7640;4,8357\r\n"


def moisinno(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The CLI as a user runs it: no MOISINNO_* variable, the package found from ``cwd``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOISINNO_")}
    env["PYTHONPATH"] = str(ROOT)
    env["MOISINNO_CACHE"] = str(cwd / ".cache-tests")
    return subprocess.run(
        [sys.executable, "-m", "moisinno_data", *args],
        capture_output=True, text=True, cwd=cwd, env=env, check=False,
    )  # fmt: skip


def _init(tmp_path: Path, schema: dict) -> Path:
    """A package made by ``init`` for ``schema``, in ``tmp_path / "pkg"``."""
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(schema), encoding="utf-8")
    assert moisinno("init", "pkg", "--schema", str(path), cwd=tmp_path).returncode == 0
    return tmp_path / "pkg"


@pytest.fixture
def schema_file(tmp_path: Path) -> Path:
    path = tmp_path / "schema-parkings" / "schema.json"
    path.parent.mkdir()
    path.write_text(json.dumps(PARKINGS, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def test_init_then_the_whole_chain(tmp_path, schema_file):
    made = moisinno(
        "init", "parkings", "--schema", str(schema_file), "--title", "Parkings fictifs",
        "--publisher", "Ville fictive d'Exemple", cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "Paquet de données créé dans parkings" in made.stdout
    pkg = tmp_path / "parkings"
    for rel in (
        "datapackage.json", "CHANGELOG.md", ".gitignore", "README.md",
        "schemas/parkings/schema.json", "schemas/parkings/documentation.md",
        "schemas/parkings/modele-parkings.xlsx", "datasets/parkings.csv",
    ):  # fmt: skip
        assert (pkg / rel).is_file(), rel
    assert (pkg / "datasets/parkings.csv").read_text() == "id,nom,places,latitude,longitude\n"
    assert "/prive/" in (pkg / ".gitignore").read_text()
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["title"] == "Parkings fictifs"
    assert [r["name"] for r in descriptor["resources"]] == ["parkings"]

    contribution = tmp_path / "contribution-fictive.csv"
    contribution.write_bytes(CONTRIBUTION.encode("cp1252"))
    merged = moisinno("consolidate", str(contribution), "--contributor", "Fictif", cwd=pkg)
    assert merged.returncode == 1, merged.stderr  # one row rejected by the custom check
    assert "2 ajoutée(s)" in merged.stdout and "1 rejetée(s)" in merged.stdout
    assert "coordinates" in merged.stdout or "France" in merged.stdout

    first = moisinno("release", cwd=pkg)
    assert first.returncode == 0, first.stderr
    assert (pkg / "releases/0.1.0/release.json").is_file()
    # The archive bears the new package's name, not this project's.
    assert [p.name for p in (pkg / "releases/0.1.0").glob("*.zip")] == ["parkings-0.1.0.zip"]
    assert "parkings-0.1.0.zip" in first.stdout
    published = moisinno("publish", "--target", "local", cwd=pkg)
    assert published.returncode == 0, published.stderr
    assert "parkings-0.1.0.zip" in published.stdout
    assert [p.name for p in (pkg / "portail").rglob("*.zip")] == ["parkings-0.1.0.zip"]

    frictionless = Path(sys.executable).parent / "frictionless"
    checked = subprocess.run(
        [str(frictionless), "validate", "datapackage.json"],
        cwd=pkg, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout

    update = tmp_path / "mise-a-jour-fictive.csv"
    update.write_bytes(UPDATE.encode("cp1252"))
    sub = pkg / "datasets"  # any folder inside the package works, like git
    assert moisinno("consolidate", str(update), cwd=sub).returncode == 0
    second = moisinno("release", cwd=sub)
    assert second.returncode == 0 and "0.1.0 → 0.1.1" in second.stdout, second.stdout
    diff = moisinno("diff", "0.1.0", "0.1.1", cwd=pkg)
    assert diff.returncode == 0 and "PK-002" in diff.stdout and "« 45 » → « 60 »" in diff.stdout
    archives = [str(pkg / f"releases/{v}/parkings-{v}.zip") for v in ("0.1.0", "0.1.1")]
    by_path = moisinno("diff", *archives, cwd=pkg)
    assert by_path.returncode == 0 and "« 45 » → « 60 »" in by_path.stdout, by_path.stderr
    versions = moisinno("versions", cwd=sub)
    assert "0.1.0" in versions.stdout and "0.1.1" in versions.stdout
    # info and overview knew only this project's tables: an internal error (KeyError).
    info = moisinno("info", "--version", "0.1.1", cwd=pkg)
    assert info.returncode == 0 and "Table parkings : 2 ligne(s), 5 colonne(s)" in info.stdout
    as_json = json.loads(moisinno("info", "--format", "json", cwd=pkg).stdout)
    assert [(t["name"], t["rows"]) for t in as_json["tables"]] == [("parkings", 2)]
    page = moisinno("overview", "-o", str(tmp_path / "synthese.html"), cwd=pkg)
    assert page.returncode == 2 and "moisinno info" in page.stderr, page.stderr
    assert "Traceback" not in page.stderr and "interne" not in page.stderr


def test_load_and_serve_work_on_the_new_package(tmp_path, schema_file, monkeypatch):
    assert moisinno("init", "parkings", "--schema", str(schema_file), cwd=tmp_path).returncode == 0
    pkg = tmp_path / "parkings"
    contribution = tmp_path / "contribution-fictive.csv"
    contribution.write_bytes(CONTRIBUTION.encode("cp1252"))
    moisinno("consolidate", str(contribution), cwd=pkg)
    assert moisinno("release", cwd=pkg).returncode == 0
    monkeypatch.delenv("MOISINNO_ROOT", raising=False)
    monkeypatch.delenv("MOISINNO_STORE", raising=False)
    import moisinno_data as md

    frame = md.load("parkings", version="0.1.0", root=pkg)
    assert list(frame["id"]) == ["PK-001", "PK-002"] and str(frame["places"].dtype) == "Int64"
    assert list(md.load("parkings", root=pkg)["id"]) == ["PK-001", "PK-002"]
    archive = pkg / "releases" / "0.1.0" / "parkings-0.1.0.zip"  # its version read from its name
    assert list(md.load("parkings", source=str(archive))["id"]) == ["PK-001", "PK-002"]

    from starlette.testclient import TestClient

    from moisinno_data.package import paths
    from moisinno_data.web.app import create_app

    app = create_app(tmp_root=tmp_path)
    with paths.using(pkg), TestClient(app, base_url="http://127.0.0.1:8000") as client:
        page = client.get("/")
        assert page.status_code == 200 and "parkings" in page.text
        answer = client.post(
            "/api/validate",
            files={"file": ("contribution.csv", CONTRIBUTION.encode("cp1252"), "text/csv")},
        )
        report = answer.json()
        assert report["schema"]["name"] == "parkings" and report["valid"] is False


def test_init_from_a_url_and_refusals(tmp_path, schema_file):
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(schema_file.parent)
    )
    handler.log_message = lambda *a: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/schema.json"
        made = moisinno("init", "depuis-url", "--schema", url, cwd=tmp_path)
        assert made.returncode == 0, made.stderr
        missing = moisinno("init", "autre", "--schema", url + ".absent", cwd=tmp_path)
        assert missing.returncode == 2 and "404" in missing.stderr
    finally:
        server.shutdown()
    stored = json.loads((tmp_path / "depuis-url/schemas/parkings/schema.json").read_text())
    assert stored == PARKINGS
    again = moisinno("init", "depuis-url", "--schema", str(schema_file), cwd=tmp_path)
    assert again.returncode == 2 and "n'est pas vide" in again.stderr
    not_a_schema = tmp_path / "pas-un-schema.json"
    not_a_schema.write_text('{"titre": "rien"}', encoding="utf-8")
    refused = moisinno("init", "x", "--schema", str(not_a_schema), cwd=tmp_path)
    assert refused.returncode == 2 and "clé « fields » : absente" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_writing_outside_any_package_says_how_to_start_one(tmp_path):
    refused = moisinno("release", cwd=tmp_path)
    assert refused.returncode == 2
    assert "moisinno init" in refused.stderr and refused.stderr.count("\n") == 1
    listed = moisinno("schemas", cwd=tmp_path)
    assert listed.returncode == 0 and "evenements" in listed.stdout
    assert listed.stderr.startswith("Hors de tout paquet de données")


@pytest.mark.udata
def test_a_new_package_publishes_to_udata_and_loads_back(
    tmp_path, schema_file, udata_server, monkeypatch
):
    """A package made by ``init``, up to a real udata on loopback: its own dataset, with its
    table, its schema and its archive (named after it), and ``load`` from the dataset's
    page gives its rows back, checksum verified."""
    import uuid

    import requests

    folder = f"parkings-{uuid.uuid4().hex[:8]}"  # the session's udata is shared: a new name
    made = moisinno(
        "init", folder, "--schema", str(schema_file), "--title", "Parkings fictifs",
        "--publisher", "Ville fictive d'Exemple", cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    pkg = tmp_path / folder
    contribution = tmp_path / "contribution-fictive.csv"
    contribution.write_bytes(CONTRIBUTION.encode("cp1252"))
    moisinno("consolidate", str(contribution), cwd=pkg)
    assert moisinno("release", cwd=pkg).returncode == 0
    monkeypatch.setenv("DATAGOUV_API_KEY", udata_server.api_key)
    published = moisinno(
        "publish", "--target", "datagouv", "--url", udata_server.url,
        "--organization", udata_server.organization, cwd=pkg,
    )  # fmt: skip
    assert published.returncode == 0, published.stderr
    assert udata_server.api_key not in published.stdout + published.stderr
    dataset_id = published.stdout.split("Jeu de données ")[1].split(" ")[0]
    dataset = requests.get(f"{udata_server.url}/api/1/datasets/{dataset_id}/", timeout=30).json()
    assert dataset["extras"]["moisinno:package"] == folder
    assert dataset["title"] == "Parkings fictifs"
    resources = {(r.get("extras") or {}).get("moisinno:key"): r for r in dataset["resources"]}
    assert {"table:parkings", "schema:parkings", "datapackage", "archive:0.1.0"} <= set(resources)
    assert resources["archive:0.1.0"]["title"].endswith(f"({folder}-0.1.0.zip)")
    table = requests.get(resources["table:parkings"]["latest"], timeout=30)
    assert table.content == (pkg / "datasets/parkings.csv").read_bytes()

    monkeypatch.setenv("MOISINNO_CACHE", str(tmp_path / "cache"))
    import moisinno_data as md

    page = f"{udata_server.url}/fr/datasets/{dataset_id}/"
    frame = md.load("parkings", version="0.1.0", source=page)
    assert list(frame["id"]) == ["PK-001", "PK-002"] and str(frame["places"].dtype) == "Int64"


def test_a_table_without_primary_key_is_consolidated_row_by_row(tmp_path):
    """Many published schemas have no primary key (catalogue de données, IRVE statique,
    DECP). Every row had the same empty key: two different rows were « en conflit » and
    nothing was added; a file sent again was added again. A row is now known by all
    its values."""
    schema = {
        "name": "catalogue",
        "fields": [{"name": "titre", "type": "string"}, {"name": "producteur", "type": "string"}],
    }
    pkg = _init(tmp_path, schema)
    two = tmp_path / "deux.csv"
    two.write_text("titre,producteur\nArbres fictifs,IGN\nRoutes fictives,IGN\n", encoding="utf-8")
    first = moisinno("consolidate", str(two), "--contributor", "A", cwd=pkg)
    assert first.returncode == 0 and "= 2 ajoutée(s)" in first.stdout, first.stdout
    again = moisinno("consolidate", str(two), "--contributor", "A", cwd=pkg)
    assert "= 0 ajoutée(s) + 0 modifiée(s) + 2 inchangée(s)" in again.stdout, again.stdout
    rows = (pkg / "datasets/catalogue.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 3


def test_a_field_added_to_the_schema_reaches_the_template_and_holds_the_release(
    tmp_path, schema_file
):
    """The sweep added an optional field to a package's schema: ``docs`` left the Excel
    template without it (and ``docs --check`` passed), and ``release`` shipped a CSV
    without the column, a version that then failed to load."""
    assert moisinno("init", "pkg", "--schema", str(schema_file), cwd=tmp_path).returncode == 0
    pkg = tmp_path / "pkg"
    contribution = tmp_path / "contribution-fictive.csv"
    contribution.write_bytes(UPDATE.encode("cp1252"))
    assert moisinno("consolidate", str(contribution), cwd=pkg).returncode == 0
    path = pkg / "schemas/parkings/schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["fields"].append({"name": "horaires", "type": "string"})
    path.write_text(json.dumps(schema), encoding="utf-8")
    check = moisinno("docs", "--check", cwd=pkg)
    assert check.returncode == 1 and "modele-parkings.xlsx" in check.stdout, check.stdout
    assert moisinno("docs", cwd=pkg).returncode == 0
    assert moisinno("docs", "--check", cwd=pkg).returncode == 0
    workbook = openpyxl.load_workbook(pkg / "schemas/parkings/modele-parkings.xlsx")
    assert "horaires" in [c.value for c in next(workbook.worksheets[0].iter_rows(max_row=1))]
    refused = moisinno("release", cwd=pkg)
    assert refused.returncode != 0 and "horaires" in refused.stderr, refused.stderr
    assert not (pkg / "releases").exists() or not list((pkg / "releases").rglob("*.zip"))


def test_template_needs_no_table_name_in_a_one_table_package(tmp_path, schema_file):
    folder = tmp_path / "mes parkings (fictifs)"
    made = moisinno("init", str(folder), "--schema", str(schema_file), cwd=tmp_path)
    assert made.returncode == 0 and f"cd '{folder}'" in made.stdout, made.stdout  # pastes
    done = moisinno("template", "-o", "modele.xlsx", cwd=folder)
    assert done.returncode == 0 and "schéma parkings" in done.stdout, done.stderr
    several = moisinno("template", "-o", str(tmp_path / "m.xlsx"), cwd=ROOT)
    assert several.returncode == 2 and "Précisez la table avec --schema" in several.stderr


def test_a_batch_merges_referenced_tables_first_whatever_their_declared_order(tmp_path):
    """Stations cite communes; declared stations first, a batch holding both files
    rejected the stations whose commune came in the same batch (2 added, 3 rejected;
    the other way round, 4 added, 1 rejected)."""
    communes = {
        "name": "communes",
        "primaryKey": ["code"],
        "fields": [{"name": "code", "constraints": {"required": True}}, {"name": "nom"}],
    }
    stations = {
        "name": "stations",
        "primaryKey": ["id"],
        "foreignKeys": [
            {"fields": ["insee"], "reference": {"resource": "communes", "fields": ["code"]}}
        ],
        "fields": [{"name": "id", "constraints": {"required": True}}, {"name": "insee"}],
    }
    for schema in (communes, stations):
        (tmp_path / f"{schema['name']}.json").write_text(json.dumps(schema), encoding="utf-8")
    (tmp_path / "c.csv").write_text("code,nom\n38185,Ville fictive A\n38421,Ville fictive B\n")
    (tmp_path / "s.csv").write_text("id,insee\nS1,38185\nS2,38421\nS3,99999\n")
    made = moisinno(
        "init", "pkg", "--schema", str(tmp_path / "stations.json"),
        "--schema", str(tmp_path / "communes.json"), cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    done = moisinno("consolidate", "../s.csv", "../c.csv", cwd=tmp_path / "pkg")
    assert "= 4 ajoutée(s) + 0 modifiée(s) + 0 inchangée(s) + 1 rejetée(s)" in done.stdout, (
        done.stdout
    )


def test_a_release_refused_for_an_error_about_the_whole_file_names_no_line(tmp_path):
    """Sweep A: etalab's schema-stationnement-cyclable declares ``french_gps_coordinates``
    (for french-gps-coordinates), an unknown-check error about the whole file. ``release``
    of a package made from it refused the version « dont ligne None (-) : … »."""
    schema = json.loads(json.dumps(PARKINGS))
    schema["custom_checks"] = [{"name": "french_gps_coordinates", "params": {}}]
    root = _init(tmp_path, schema)
    for lang, refused, where in (
        ("fr", "Version refusée", "dont une sur tout le fichier : Le schéma déclare le contrôle"),
        ("en", "Version refused", "among them one about the whole file: The schema declares"),
    ):
        cut = moisinno("--lang", lang, "release", cwd=root)
        assert cut.returncode == 1 and refused in cut.stderr, cut.stderr
        assert where in cut.stderr and "french_gps_coordinates" in cut.stderr, cut.stderr
        assert "None" not in cut.stderr and "Traceback" not in cut.stderr


def test_a_schema_every_validation_would_refuse_is_refused_by_init(tmp_path):
    """A sweep of the web page: CEREMA's schema (one commit) has an unbalanced regular
    expression; init accepted it, then every validation of the package failed."""
    path = tmp_path / "schema.json"
    schema = {"name": "arretes", "fields": [{"name": "usage", "constraints": {"pattern": "(ab"}}]}
    path.write_text(json.dumps(schema), encoding="utf-8")
    made = moisinno("init", "pkg", "--schema", str(path), cwd=tmp_path)
    assert made.returncode == 2 and "expression régulière invalide" in made.stderr, made.stderr
    assert "Traceback" not in made.stderr and not (tmp_path / "pkg").exists()


def test_init_says_a_custom_check_no_tool_knows_blocks_the_package(tmp_path, schema_file):
    """Sweep A: etalab's schema-stationnement-cyclable declares ``french_gps_coordinates``.
    init made the package without a word (exit 0); then every contribution was rejected
    whole and every release refused, the first time the publisher tried. init now says so,
    and where to correct the name; corrected there, the chain runs."""
    schema = json.loads(json.dumps(PARKINGS))
    schema["custom_checks"][0]["name"] = "coordinates_in_france"  # for coordinates-in-france
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(schema), encoding="utf-8")
    made = moisinno("init", "pkg", "--schema", str(path), cwd=tmp_path)
    assert made.returncode == 0 and "Paquet de données créé" in made.stdout, made.stderr
    assert (
        "Attention : table parkings : Le schéma déclare le contrôle « coordinates_in_france »"
        in made.stderr
    )
    assert "(vouliez-vous dire « coordinates-in-france » ?)" in made.stderr
    assert "Tant que ce nom n'est pas corrigé dans schemas/parkings/schema.json" in made.stderr
    english = moisinno(
        "--lang", "en", "init", "pkg-en", "--schema", str(path), "--json", cwd=tmp_path
    )
    said = json.loads(english.stdout)["warnings"]
    assert english.returncode == 0 and len(said) == 1, english.stderr
    assert said[0].startswith("table parkings: The schema declares check") and "release" in said[0]
    plain = moisinno("init", "pkg-ok", "--schema", str(schema_file), "--json", cwd=tmp_path)
    assert json.loads(plain.stdout)["warnings"] == [] and plain.stderr == ""
    copy = tmp_path / "pkg" / "schemas" / "parkings" / "schema.json"
    text = copy.read_text(encoding="utf-8")
    copy.write_text(
        text.replace("coordinates_in_france", "coordinates-in-france"), encoding="utf-8"
    )
    (tmp_path / "recu.csv").write_text(CONTRIBUTION, encoding="utf-8")
    merged = moisinno("consolidate", "../recu.csv", cwd=tmp_path / "pkg")
    assert "2 ajoutée(s)" in merged.stdout, merged.stdout + merged.stderr
    assert moisinno("release", cwd=tmp_path / "pkg").returncode == 0


def parkings_with_zones(folder: Path) -> None:
    """``parkings.json`` (its ``zone`` a foreign key to table ``zones``) and ``zones.json``
    written in ``folder``, as etalab's comptage-velo dynamique and statique schemas are."""
    zones = {
        "name": "zones",
        "fields": [{"name": "zone", "type": "string", "constraints": {"required": True}}],
        "primaryKey": ["zone"],
    }
    schema = json.loads(json.dumps(PARKINGS))
    schema["fields"].append({"name": "zone", "type": "string"})
    schema["foreignKeys"] = [
        {"fields": "zone", "reference": {"resource": "zones", "fields": "zone"}}
    ]
    for name, descriptor in (("parkings", schema), ("zones", zones)):
        (folder / f"{name}.json").write_text(json.dumps(descriptor), encoding="utf-8")


def test_init_says_a_foreign_key_to_a_table_the_package_lacks(tmp_path):
    """Sweep A: etalab's comptage-velo-dynamique schema (schema-comptage-mobilites-site,
    v0.1.0 to v0.2.1) refers to comptage-velo-statique. init made a package of it alone
    without a word; no command could check the key (a warning in each report) and release
    published a datapackage.json that frictionless refuses (« resource … does not exist »).
    init now says so; made with both schemas, it says nothing."""
    parkings_with_zones(tmp_path)
    alone = moisinno("init", "seul", "--schema", "parkings.json", cwd=tmp_path)
    assert alone.returncode == 0 and "Paquet de données créé" in alone.stdout, alone.stderr
    assert (
        "Attention : table parkings : sa clé étrangère (zone) renvoie à la table zones, qui "
        "n'est pas dans ce paquet" in alone.stderr
    )
    assert "--schema une deuxième fois" in alone.stderr
    english = moisinno(
        "--lang", "en", "init", "en", "--schema", "parkings.json", "--json", cwd=tmp_path
    )
    said = json.loads(english.stdout)["warnings"]
    assert len(said) == 1 and said[0].startswith("table parkings: its foreign key (zone)")
    both = moisinno(
        "init", "les-deux", "--schema", "zones.json", "--schema", "parkings.json", cwd=tmp_path
    )
    assert both.returncode == 0 and both.stderr == "", both.stderr


def test_a_foreign_key_unchecked_says_what_is_missing(tmp_path):
    """Sweep A: inside a package made of comptage-velo-dynamique alone, the warning's hint
    said « validez dans le dossier du paquet de données », where the steward already was.
    The hint now names what is missing: the package (outside any), its table, or the
    table's published file (``params["missing"]``)."""
    parkings_with_zones(tmp_path)
    data = tmp_path / "parkings-fictifs.csv"
    data.write_text("id,nom,zone\nPK-001,Parking fictif,Z1\n", encoding="utf-8")
    moisinno("init", "seul", "--schema", "parkings.json", cwd=tmp_path)
    moisinno(
        "init", "les-deux", "--schema", "zones.json", "--schema", "parkings.json", cwd=tmp_path
    )

    def unchecked(folder: Path, *schema_option: str) -> dict:
        out = moisinno("validate", str(data), *schema_option, "--json", cwd=folder)
        found = [
            f for f in json.loads(out.stdout)["warnings"] if f["code"] == "foreign-key-unavailable"
        ]
        assert len(found) == 1, out.stdout + out.stderr
        return found[0]

    alone = unchecked(tmp_path / "seul", "--schema", "parkings")
    assert alone["params"]["missing"] == "table"
    assert alone["hint"].startswith("Le paquet de données n'a pas de table zones : ajoutez-la")
    (tmp_path / "les-deux" / "datasets" / "zones.csv").unlink()  # init writes it, header only
    both = unchecked(tmp_path / "les-deux", "--schema", "parkings")
    assert both["params"]["missing"] == "data"
    assert "pas encore de fichier publié (datasets/zones.csv)" in both["hint"]
    outside = unchecked(tmp_path, "--schema", str(tmp_path / "parkings.json"))
    assert outside["params"]["missing"] == "package"
    assert outside["hint"].startswith("Validez depuis le dossier du paquet de données qui publie")


def test_a_custom_check_naming_a_column_the_schema_lacks_is_refused_by_init(tmp_path):
    """Sweep A: etalab/schema-catalogue-donnees at 143ced0 declares french-siret-value on
    « siret_organisation », a column it names « siret_orga ». init made the package (exit
    0), then validate, consolidate and release each stopped on that schema (exit 2)."""
    schema = json.loads(json.dumps(PARKINGS))
    schema["fields"].append({"name": "siret_orga", "type": "string"})
    schema["custom_checks"] = [{"name": "french-siret-value", "params": {"column": "siret"}}]
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(schema), encoding="utf-8")
    made = moisinno("init", "pkg", "--schema", str(path), cwd=tmp_path)
    assert made.returncode == 2, made.stdout + made.stderr
    assert "le paramètre « column » nomme la colonne « siret », absente du schéma" in made.stderr
    assert "Traceback" not in made.stderr and not (tmp_path / "pkg").exists()


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ([], "le schéma ne déclare aucun champ (« fields » est vide)"),
        ({"id": "string"}, "clé « fields » : absente ou n'est pas une liste de champs"),
        ([{"type": "string"}], "chaque champ doit avoir un nom"),
        ([{"name": "id"}, {"name": "id"}], "deux champs portent ce nom"),
    ],
)
def test_a_schema_without_usable_fields_is_refused_by_init_which_writes_nothing(
    tmp_path, fields, said
):
    """Sweep 11: ``{"fields": []}`` made a package (exit 0) whose release then failed,
    « datasets/empty.csv : le fichier est vide » (exit 2)."""
    path = tmp_path / "empty.json"
    path.write_text(json.dumps({"name": "empty", "fields": fields}), encoding="utf-8")
    (tmp_path / "pkg").mkdir()
    made = moisinno("init", "pkg", "--schema", str(path), cwd=tmp_path)
    assert made.returncode == 2 and said in made.stderr, made.stderr
    assert "Traceback" not in made.stderr and not any((tmp_path / "pkg").iterdir())
    english = moisinno("--lang", "en", "init", "pkg", "--schema", str(path), cwd=tmp_path)
    assert english.returncode == 2 and "Error:" in english.stderr and "schéma" not in english.stderr


def test_consolidate_reads_the_column_validate_reads_when_a_name_is_twice(tmp_path):
    """A header holding a field's name twice: ``validate`` reads the first column (and
    reports the second as a duplicate), ``consolidate`` published the second, the value
    of the column it said it ignored. Then it published the first, and the second's values
    were lost without a refusal (sweep of real files: a SIREN column renamed by mistake):
    a copy with other values refuses the file; an empty or identical copy loses nothing."""
    schema = {
        "name": "parcs",
        "primaryKey": ["id"],
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "usagers", "type": "string", "constraints": {"enum": ["tous", "abonnes"]}},
        ],
    }
    pkg = _init(tmp_path, schema)
    sent = tmp_path / "en-double.csv"
    sent.write_text("id,usagers,usagers\nP-1,tous,personne\nP-2,personne,tous\n", encoding="utf-8")
    checked = moisinno("validate", str(sent), "--format", "json", cwd=pkg)
    errors = json.loads(checked.stdout)["errors"]
    assert [e["row"] for e in errors if e["code"] == "constraint-error"] == [3]
    merged = moisinno("consolidate", str(sent), "--contributor", "A", cwd=pkg)
    assert merged.returncode == 1, merged.stdout
    assert (
        "FICHIER REJETÉ : la colonne « usagers » (usagers) est en double (colonnes B et C) et "
        "la colonne C, qui ne serait pas lue, porte d'autres valeurs (ligne 2 : « personne » "
        "au lieu de « tous »)"
    ) in merged.stdout
    assert (pkg / "datasets/parcs.csv").read_text(encoding="utf-8").splitlines() == ["id,usagers"]
    same = tmp_path / "copie-identique.csv"
    same.write_text("id,usagers,usagers\nP-1,tous,tous\nP-2,personne,\n", encoding="utf-8")
    merged = moisinno("consolidate", str(same), "--contributor", "A", cwd=pkg)
    assert "ligne 3 : P-2 rejetée" in merged.stdout, merged.stdout
    assert "usagers (colonne C, en double : seule la colonne B est lue)" in merged.stdout
    rows = (pkg / "datasets/parcs.csv").read_text(encoding="utf-8").splitlines()
    assert rows == ["id,usagers", "P-1,tous"]


def test_a_file_without_any_column_of_the_table_is_refused_with_exit_1(tmp_path):
    """Sweep of real spreadsheets: a notice sheet (one cell of text) given with --schema
    was « 0 ligne(s) reçue(s) », exit 0, as if consolidated; a file set aside whole
    (« FICHIER REJETÉ ») exited 0 as long as it held no row."""
    pkg = _init(tmp_path, {"name": "parcs", "fields": [{"name": "id"}, {"name": "usagers"}]})
    notice = tmp_path / "notice.csv"
    notice.write_text("Ce fichier fictif contient les parcs\n", encoding="utf-8")
    for args in (["--schema", "parcs"], []):
        done = moisinno("consolidate", str(notice), "--dry-run", *args, cwd=pkg)
        assert done.returncode == 1, done.stdout
        assert "FICHIER REJETÉ" in done.stdout
    done = moisinno("consolidate", str(notice), "--schema", "parcs", cwd=pkg)
    assert "aucune colonne du fichier n'est un champ de la table parcs" in done.stdout


def test_a_schema_named_with_spaces_is_offered_and_taken_by_its_table_name(tmp_path):
    """Sweep of real spreadsheets (naturalsolutions' « Arbres urbains »): init names the
    table arbres-urbains, but ``schemas`` and the web page's list offered « Arbres
    urbains », which validate and the page then refused (exit 2, HTTP 422)."""
    schema = {"name": "Parcs fictifs", "fields": [{"name": "id"}, {"name": "nom"}]}
    pkg = _init(tmp_path, schema)
    listed = moisinno("schemas", cwd=pkg)
    assert listed.stdout.split()[0] == "parcs-fictifs", listed.stdout
    sent = tmp_path / "parcs.csv"
    sent.write_text("id,nom\nP-1,Parc fictif\n", encoding="utf-8")
    for name in ("parcs-fictifs", "Parcs fictifs"):
        done = moisinno("validate", str(sent), "--schema", name, cwd=pkg)
        assert done.returncode == 0, done.stdout + done.stderr


def test_validate_says_consolidate_refuses_a_row_holding_a_formula_without_value(tmp_path):
    """Sweep 10: a formula without its value (or with an error value) is a warning for
    validate, and consolidate refuses its row: the warning now says so."""
    import openpyxl

    pkg = _init(tmp_path, {"name": "communes", "fields": [{"name": "nom"}, {"name": "total"}]})
    book = openpyxl.Workbook()
    book.active.append(["nom", "total"])
    book.active.append(["Commune fictive", "=2*3"])
    book.active.append(["Autre commune fictive", "6"])
    path = tmp_path / "formules.xlsx"
    book.save(path)
    checked = json.loads(moisinno("validate", str(path), "--format", "json", cwd=pkg).stdout)
    assert (
        checked["valid"] and "La consolidation refuse la ligne" in checked["warnings"][0]["message"]
    )
    merged = moisinno("consolidate", str(path), "--contributor", "A", cwd=pkg)
    assert "1 ajoutée(s)" in merged.stdout and "1 rejetée(s)" in merged.stdout, merged.stdout


def test_consolidate_reads_the_sheet_given_like_validate_and_fix(tmp_path):
    """Sweep 8: validate and fix took ``--sheet``, consolidate did not: a workbook whose
    table sits on its second visible sheet could not be consolidated."""
    import openpyxl

    pkg = _init(tmp_path, {"name": "communes", "fields": [{"name": "nom"}, {"name": "total"}]})
    book = openpyxl.Workbook()
    book.active.title = "Notice"
    book.active.append(["Ce classeur fictif liste des communes"])
    data = book.create_sheet("Données")
    data.append(["nom", "total"])
    data.append(["Commune fictive", "6"])
    path = tmp_path / "classeur.xlsx"
    book.save(path)
    first = moisinno("consolidate", str(path), "--dry-run", cwd=pkg)
    assert first.returncode == 1 and "FICHIER REJETÉ" in first.stdout, first.stdout
    assert "autres feuilles du classeur : « Données » (choisissez-la avec --sheet)" in first.stdout
    given = moisinno("consolidate", str(path), "--sheet", "Données", "--contributor", "A", cwd=pkg)
    assert given.returncode == 0 and "1 ajoutée(s)" in given.stdout, given.stdout + given.stderr
    assert (pkg / "datasets/communes.csv").read_text(encoding="utf-8").splitlines()[1:] == [
        "Commune fictive,6"
    ]


def test_a_package_of_a_schema_without_name_nor_dates_is_worded_for_it(tmp_path):
    """Sweep 11 on a foreign schema without ``name``, ``version`` nor dates: template
    said « schéma ? », documentation.md « Nom : `` » and « modifié le : » (empty), info
    counted the rows in « événements » (this project's table) and ``--lang en`` was
    French. The table names the schema, empty lines are left out, rows are rows."""
    schema = {
        "title": "Lieux sans nom de schéma",
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "type", "type": "string", "constraints": {"enum": ["Parking", "Aire"]}},
        ],
        "primaryKey": "id",
    }
    (tmp_path / "lieux.json").write_text(json.dumps(schema), encoding="utf-8")
    (tmp_path / "v.csv").write_text("id,type\na,Parking\nb,Aire\n", encoding="utf-8")
    pkg = tmp_path / "pkg"
    made = moisinno("init", str(pkg), "--schema", str(tmp_path / "lieux.json"), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    done = moisinno("template", "-o", str(tmp_path / "m.xlsx"), cwd=pkg)
    assert "(2 colonnes, table lieux)" in done.stdout, done.stdout + done.stderr
    doc = (pkg / "schemas/lieux/documentation.md").read_text(encoding="utf-8")
    assert "Nom :" not in doc and "modifié le" not in doc and "Version :" not in doc
    assert "Exemple : null" not in doc and "Description : *" not in doc
    assert moisinno("consolidate", str(tmp_path / "v.csv"), cwd=pkg).returncode == 0
    info = moisinno("info", cwd=pkg).stdout
    assert "lieux par type\n" in info and "lignes" in info and "événements" not in info
    english = moisinno("info", "--lang", "en", cwd=pkg).stdout
    assert "Table lieux: 2 row(s), 2 column(s)" in english and "lieux by type" in english
    assert "ligne" not in english


def test_a_schema_json_given_from_its_own_folder_is_named_after_the_folder(tmp_path, monkeypatch):
    """``cd schema-parkings-fictifs && moisinno init ../pkg --schema schema.json``: the
    table was named « schema », from the file; etalab's repositories keep ``schema.json``
    at their root, and the folder is the name a publisher means."""
    from moisinno_data.publishing.init import fetch_schema

    repo = tmp_path / "schema-parkings-fictifs"
    repo.mkdir()
    (repo / "schema.json").write_text('{"fields": [{"name": "id"}]}', encoding="utf-8")
    monkeypatch.chdir(repo)
    _schema, name = fetch_schema("schema.json")
    assert name == "schema-parkings-fictifs"


def test_a_required_cell_of_spaces_is_said_by_validate_where_consolidate_refuses_it(tmp_path):
    """Sweep of real files: a required text cell of spaces passed validate (frictionless
    counts it filled), while fix and consolidate trim it and refuse the row. validate now
    warns on that row, and only there: not in an optional field, not in an integer one
    (a type error already)."""
    schema = {
        "name": "stations",
        "primaryKey": ["id"],
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "nom", "type": "string", "constraints": {"required": True}},
            {"name": "note", "type": "string"},
        ],
    }
    pkg = _init(tmp_path, schema)
    sent = tmp_path / "espaces.csv"
    sent.write_text("id,nom,note\nS-1,Gare,  \nS-2,\u00a0 \t,x\n", encoding="utf-8")
    checked = moisinno("validate", str(sent), "--format", "json", cwd=pkg)
    report = json.loads(checked.stdout)
    assert checked.returncode == 0 and report["valid"], checked.stdout
    said = [(w["code"], w["row"], w["field"]) for w in report["warnings"]]
    assert said == [("required-spaces", 3, "nom")]
    merged = moisinno("consolidate", str(sent), "--contributor", "A", cwd=pkg)
    assert "ligne 3 : S-2" in merged.stdout and "rejetée" in merged.stdout, merged.stdout
    rows = (pkg / "datasets/stations.csv").read_text(encoding="utf-8").splitlines()
    assert rows == ["id,nom,note", "S-1,Gare,"]


def test_a_fields_own_missing_values_load_as_missing(tmp_path, monkeypatch):
    """A field's own ``missingValues`` (Table Schema 2): consolidate keeps ``NA`` as
    written, and ``load`` read the whole file with the schema's list only, so the
    integer column held the text « NA » and the valid version was called corrupt."""
    schema = {
        "name": "comptages",
        "primaryKey": "id",
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "nb", "type": "integer", "missingValues": ["", "NA"]},
        ],
    }
    pkg = _init(tmp_path, schema)
    contribution = tmp_path / "comptages-fictifs.csv"
    contribution.write_text("id,nb\nC1,4\nC2,NA\n", encoding="utf-8")
    assert moisinno("consolidate", str(contribution), cwd=pkg).returncode == 0
    assert "C2,NA" in (pkg / "datasets" / "comptages.csv").read_text(encoding="utf-8")
    monkeypatch.delenv("MOISINNO_ROOT", raising=False)
    import moisinno_data as md

    frame = md.load("comptages", root=pkg)
    assert str(frame["nb"].dtype) == "Int64" and frame["nb"].isna().tolist() == [False, True]


def _schema_update(pkg: Path) -> None:
    """Version 0.2.0 of the schema: an optional field whose list of values has a new one."""
    path = pkg / "schemas/parkings/schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["version"] = "0.2.0"
    schema["fields"].append(
        {"name": "genre", "type": "string", "constraints": {"enum": ["Parking", "Auto-stop"]}}
    )
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")


def test_a_release_after_a_schema_update_ships_regenerated_documentation_and_template(
    tmp_path, schema_file
):
    """Sweep 11: after a schema update, ``release`` shipped the old documentation.md
    (« Version : 0.1.0 ») and an Excel template without the new value, in silence, while
    ``docs --check`` said both out of date; ``publish`` then showed the old page."""
    import io
    import zipfile

    pkg = _init(tmp_path, PARKINGS)
    contribution = tmp_path / "contribution-fictive.csv"
    contribution.write_bytes(UPDATE.encode("cp1252"))
    assert moisinno("consolidate", str(contribution), cwd=pkg).returncode == 0
    assert moisinno("release", cwd=pkg).returncode == 0
    _schema_update(pkg)
    contribution.write_text(
        "id;nom;places;latitude;longitude;genre\r\n"
        "PK-002;Parking fictif du marché;60;45,7640;4,8357;Auto-stop\r\n",
        encoding="utf-8",
    )
    assert moisinno("consolidate", str(contribution), cwd=pkg).returncode == 0
    dry = moisinno("release", "--dry-run", cwd=pkg)
    assert "Sera régénéré d'après le schéma" in dry.stdout and "modele-parkings.xlsx" in dry.stdout
    assert moisinno("docs", "--check", cwd=pkg).returncode == 1  # the dry run wrote nothing
    done = moisinno("release", cwd=pkg)
    assert done.returncode == 0 and "Régénéré d'après le schéma" in done.stdout, done.stderr
    assert "schemas/parkings/documentation.md" in done.stdout, done.stdout
    assert moisinno("docs", "--check", cwd=pkg).returncode == 0
    archive = zipfile.ZipFile(next((pkg / "releases/0.2.0").glob("*.zip")))
    page = archive.read("schemas/parkings/documentation.md").decode("utf-8")
    assert "- Version : 0.2.0" in page and "`Auto-stop`" in page
    book = openpyxl.load_workbook(io.BytesIO(archive.read("schemas/parkings/modele-parkings.xlsx")))
    assert "Auto-stop" in [c.value for c in book["Listes"]["A"]]  # the drop-down's values


def test_init_refuses_a_licence_no_version_could_be_released_with(tmp_path):
    """Sweep I: ``init --licence MIT`` made the package, then every ``release`` refused it
    (data.gouv.fr has no id for MIT: published, it would be under another licence). init
    says so at once, exit 2, and writes nothing; ODbL-1.0 is taken."""
    (tmp_path / "parkings.json").write_text(json.dumps(PARKINGS), encoding="utf-8")
    refused = moisinno("init", "mit", "--schema", "parkings.json", "--licence", "MIT", cwd=tmp_path)
    assert refused.returncode == 2 and "licence « MIT » inconnue de data.gouv.fr" in refused.stderr
    assert "Choisissez-en une avec --licence." in refused.stderr
    assert not (tmp_path / "mit").exists()
    taken = moisinno(
        "init", "odbl", "--schema", "parkings.json", "--licence", "ODbL-1.0", cwd=tmp_path
    )
    assert taken.returncode == 0, taken.stderr
    descriptor = json.loads((tmp_path / "odbl" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["name"] == "ODbL-1.0"


@pytest.mark.parametrize("known", LICENCES, ids=lambda known: known.portal_id)
def test_every_licence_init_writes_is_the_one_release_publishes(tmp_path, known):
    """init's licence titles and addresses and the portal's licence names were two tables
    (publishing/init.py, package/portal_metadata.py) that could disagree: a licence init
    wrote and release refused was mended by hand. Now one table (package/licences.py):
    every name of it, as init writes it into datapackage.json, is the licence release
    checks and publish sends, and so is the address init writes, given alone."""
    schema = tmp_path / "fictif.json"
    schema.write_text(json.dumps(PARKINGS), encoding="utf-8")
    for i, name in enumerate((*known.names, known.names[0].upper())):
        root = tmp_path / f"paquet-{i}"
        init_package(root, [str(schema)], licence=name)
        written = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
        assert written["licenses"][0]["name"] == name
        assert check_folder(root, AGAIN).license == known.portal_id, name
    if known.path:
        assert licence([{"path": known.path}]) == known.portal_id
        assert entry(known.names[0]) == {
            "name": known.names[0],
            "title": known.title,
            "path": known.path,
        }


def test_the_licences_an_error_proposes_are_ones_release_takes():
    """The refusal of an unknown licence lists names to choose from: each is taken."""
    taken = {licence([{"name": name}]) for name in SAID.split(", ")}
    assert taken == {"lov2", "odc-odbl", "odc-by", "odc-pddl", "cc-by", "cc-by-sa", "cc-zero"}
    assert licence(None) == DEFAULT.portal_id == "lov2"
    assert entry("MIT") == {"name": "MIT", "title": "MIT"}  # init's own for an unknown name


def test_names_are_made_as_portal_tags_are_but_keep_underscores():
    """init's table and package names came from a slug function of its own, a copy of the
    library's (package/text.py ``ascii_slug``, portal tags) that kept ``_``: now one
    function; snake_case names as schema.data.gouv.fr writes them stay, nothing else moves."""
    from moisinno_data.package.text import ascii_slug
    from moisinno_data.publishing.init import slug

    assert slug("irve_statique") == "irve_statique"
    assert slug("  Déclaration d'Événement fictif  ") == "declaration-d-evenement-fictif"
    assert slug("Ｌａｂｏ_ﬁctif Cœur ²") == "labo_fictif-cur-2"  # compatibility forms folded
    assert slug("日本") == slug("") == "table"  # nothing ASCII left: a name all the same
    assert ascii_slug("Innovation_publique !") == "innovation-publique"  # tags: no "_"


@pytest.mark.parametrize("how", ["endless", "redirect"])
def test_a_schema_url_that_never_ends_its_answer_is_refused_while_read(
    tmp_path, schema_file, monkeypatch, how
):
    """``init --schema URL`` read the answer whole, however long: a server sending an endless
    body (or a 302 with one, which requests reads to prepare the redirect) held it and
    filled its memory. It is read within the answers' budget, as every answer is."""
    from load_helpers import serve, within

    from moisinno_data.errors import ConfigError
    from moisinno_data.reading import http_body

    monkeypatch.setattr(http_body, "ANSWER_LIMIT", http_body.BodyLimit(1 << 20, 2.0))
    folder = schema_file.parent
    options = {"endless": "schema.json"} if how == "endless" else {"redirect": "/ailleurs/"}
    with serve(folder, **options) as base:
        url = base + ("schema.json?jeton=fictif" if how == "endless" else "ailleurs/schema.json")
        raised = within(20, lambda: init_package(tmp_path / "paquet", [url]))
    if how == "redirect":  # the redirect's endless body is left unread: the schema comes
        assert raised is None, raised
        return
    assert isinstance(raised, ConfigError), raised
    assert "lecture arrêtée" in str(raised) and "--schema" in str(raised)
    assert "reading stopped" in raised.text("en") and "fictif" not in str(raised)
    assert not (tmp_path / "paquet").exists()  # nothing made of a schema never read
