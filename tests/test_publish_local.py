"""Publication to the local folder portal: same plan/apply semantics as data.gouv.fr."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from release_builder import edit_a_table, make_release

from moisinno_data.cli import main
from moisinno_data.portals.base import DELETE_DUPLICATE, REPLACE, SKIP, UPLOAD, PortalError
from moisinno_data.portals.content import ReleaseContent
from moisinno_data.portals.local import LocalPortal, default_folder
from moisinno_data.publishing.store import ReleaseStore


@pytest.fixture
def store(project_copy: Path) -> ReleaseStore:
    return ReleaseStore()


def _state(folder: Path) -> dict:
    return json.loads((folder / "moisinno-data" / "dataset.json").read_text(encoding="utf-8"))


def _tree(folder: Path) -> dict[str, tuple[int, str]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, hashlib.sha1(p.read_bytes()).hexdigest())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_first_publish_lays_out_the_release(project_copy, store, tmp_path, capsys):
    make_release(project_copy, store, "0.1.0")
    assert main(["publish"]) == 0
    out = capsys.readouterr().out
    assert "envoyer" in out and "moisinno-data-0.1.0.zip" in out
    folder = default_folder()
    assert folder == tmp_path / "portail"
    state = _state(folder)
    keys = {r["extras"]["moisinno:key"] for r in state["resources"]}
    assert keys == {
        *(f"table:{t}" for t in ("editions", "laboratoires", "evenements", "thematiques")),
        *(f"schema:{t}" for t in ("editions", "laboratoires", "evenements", "thematiques")),
        "datapackage",
        "documentation",
        "archive:0.1.0",
    }
    meta = state["metadata"]
    assert meta["license"] == "lov2" and meta["frequency"] == "annual"
    assert len(meta["description"]) > 100
    assert meta["temporal_coverage"]["start"] == "2014-11-12"
    assert meta["spatial"]["zones"] == ["country:fr"]
    for entry in state["resources"]:
        data = (folder / "moisinno-data" / entry["file"]).read_bytes()
        assert hashlib.sha1(data).hexdigest() == entry["sha1"]
        assert entry["description"]
        if entry["extras"]["moisinno:key"].startswith("table:"):
            table = entry["extras"]["moisinno:key"][6:]
            assert entry["schema"] == {"url": f"fichiers/schema-{table}.json"}
            assert data == (project_copy / "datasets" / f"{table}.csv").read_bytes()


def test_unchanged_republish_writes_nothing(project_copy, store, capsys):
    make_release(project_copy, store, "0.1.0")
    assert main(["publish"]) == 0
    before = _tree(default_folder())
    capsys.readouterr()
    assert main(["publish"]) == 0
    out = capsys.readouterr().out
    assert "0 fichier(s) à envoyer" in out
    assert _tree(default_folder()) == before


def test_new_version_replaces_in_place_and_keeps_old_archive(project_copy, store):
    make_release(project_copy, store, "0.1.0")
    portal = LocalPortal()
    portal.publish(ReleaseContent.from_release(store.get("0.1.0")))
    first = {r["extras"]["moisinno:key"]: r for r in _state(portal.folder)["resources"]}
    edit_a_table(project_copy)
    make_release(project_copy, store, "0.2.0")
    plan = portal.plan(ReleaseContent.from_release(store.get("0.2.0")))
    kinds = {a.key: a.kind for a in plan.actions if a.key}
    assert kinds["table:thematiques"] == REPLACE
    assert kinds["table:editions"] == SKIP
    assert kinds["archive:0.2.0"] == UPLOAD
    portal.apply(plan)
    second = {r["extras"]["moisinno:key"]: r for r in _state(portal.folder)["resources"]}
    assert second["table:thematiques"]["id"] == first["table:thematiques"]["id"]
    assert second["table:thematiques"]["file"] == first["table:thematiques"]["file"]
    assert second["table:thematiques"]["sha1"] != first["table:thematiques"]["sha1"]
    assert "archive:0.1.0" in second and "archive:0.2.0" in second
    data, sha256 = portal.fetch_archive("0.1.0")
    assert sha256 == store.get("0.1.0").sha256 == hashlib.sha256(data).hexdigest()
    with pytest.raises(PortalError, match=r"0\.1\.0, 0\.2\.0"):
        portal.fetch_archive("9.9.9")


def test_dry_run_changes_nothing(project_copy, store, capsys):
    make_release(project_copy, store, "0.1.0")
    assert main(["publish", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "créer" in out and "rien n'a été envoyé" in out
    assert not default_folder().exists()


def test_interrupted_publish_converges_without_duplicates(project_copy, store, monkeypatch):
    make_release(project_copy, store, "0.1.0")
    content = ReleaseContent.from_release(store.get("0.1.0"))
    portal = LocalPortal()
    real = LocalPortal._describe
    calls = {"n": 0}

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:  # the 4th file is uploaded but never described
            raise KeyboardInterrupt
        return real(self, *args, **kwargs)

    monkeypatch.setattr(LocalPortal, "_describe", flaky)
    with pytest.raises(KeyboardInterrupt):
        portal.publish(content)
    monkeypatch.setattr(LocalPortal, "_describe", real)
    # The 4th step (schema-thematiques.json) landed untitled; a lost-response retry could
    # have left a second copy of it: the rerun keeps one and deletes the other.
    landed = [r for r in portal.snapshot(None, "moisinno-data").resources if r.key is None]
    assert [r.title for r in landed] == ["schema-thematiques.json"]
    stray = portal._upload("moisinno-data", content.resource("schema:thematiques"))
    plan = portal.plan(content)
    deleted = [a.resource_id for a in plan.actions if a.kind == DELETE_DUPLICATE]
    assert len(deleted) == 1 and deleted[0] in (stray.id, landed[0].id)
    portal.apply(plan)
    resources = _state(portal.folder)["resources"]
    keys = [r["extras"].get("moisinno:key") for r in resources]
    assert len(keys) == len(set(keys)) == len(content.resources)
    assert all(a.kind == SKIP for a in portal.plan(content).actions)


def test_published_archive_never_changes(project_copy, store, tmp_path):
    make_release(project_copy, store, "0.1.0")
    content = ReleaseContent.from_release(store.get("0.1.0"))
    portal = LocalPortal()
    portal.publish(content)
    edit_a_table(project_copy)
    other = ReleaseStore(tmp_path / "autre-depot")
    make_release(project_copy, other, "0.1.0")
    with pytest.raises(PortalError, match="une version publiée ne change jamais"):
        portal.plan(ReleaseContent.from_release(other.get("0.1.0")))


def test_no_release_is_a_clear_error(project_copy, capsys):
    assert main(["publish"]) == 2
    err = capsys.readouterr().err
    assert "Aucune version dans le dépôt local" in err and "Traceback" not in err


def test_url_and_dataset_choose_the_folder(project_copy, store, tmp_path, capsys):
    make_release(project_copy, store, "0.1.0")
    target = tmp_path / "ailleurs"
    assert main(["publish", "--url", str(target), "--dataset", "mon-jeu"]) == 0
    out = capsys.readouterr().out
    assert "fait : envoyer" in out and "moisinno-data-0.1.0.zip" in out
    assert (target / "mon-jeu" / "archives" / "moisinno-data-0.1.0.zip").is_file()
    assert not default_folder().exists()


def test_datagouv_without_key_says_how_to_give_it(project_copy, store, monkeypatch, capsys):
    make_release(project_copy, store, "0.1.0")
    monkeypatch.delenv("DATAGOUV_API_KEY", raising=False)
    assert main(["publish", "--target", "datagouv", "--url", "http://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "DATAGOUV_API_KEY" in err and "--api-key-file" in err
    assert main(["publish", "--target", "datagouv", "--api-key-file", "absent.txt"]) == 2
    assert "Fichier de clé d'API illisible" in capsys.readouterr().err


def test_publish_speaks_english_with_lang_en(project_copy, store, tmp_path, capsys):
    """``publish --lang en`` printed its plan, its steps and its refusals in French."""
    make_release(project_copy, store, "0.1.0")
    assert main(["publish", "--dry-run", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Plan to publish version 0.1.0 on local folder " in out and "(new dataset):" in out
    assert "  create         dataset                            not on the portal" in out
    assert "  upload         moisinno-data-0.1.0.zip" in out and "new version archive" in out
    assert "In all: 11 file(s) to upload, 1 metadata update(s), 0 duplicate(s)" in out
    assert "Dry run (--dry-run): nothing was sent or changed." in out
    assert main(["publish", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "  done: upload" in out and "Version 0.1.0 published: 11 file(s) uploaded." in out
    assert main(["publish", "--lang", "en"]) == 0
    assert "unchanged (same sha1 " in capsys.readouterr().out
    assert main(["publish", "--lang", "en", "--organization", "x"]) == 2
    assert "--organization only applies to --target datagouv." in capsys.readouterr().err
    (tmp_path / "cle.txt").write_text("", encoding="utf-8")
    args = ["publish", "--lang", "en", "--target", "datagouv", "--api-key-file"]
    assert main([*args, str(tmp_path / "cle.txt")]) == 2
    assert "The API key file " in capsys.readouterr().err
    assert main([*args, str(tmp_path / "absente.txt")]) == 2
    err = capsys.readouterr().err
    assert "API key file cannot be read: " in err and "No such file" in err, err


def test_dry_run_json_lists_every_action(project_copy, store, capsys):
    make_release(project_copy, store, "0.1.0")
    assert main(["publish", "--dry-run", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["dry_run"] is True and plan["version"] == "0.1.0" and plan["dataset"] is None
    actions = [(a["action"], a["target"]) for a in plan["actions"]]
    assert actions[0] == ("create_dataset", "jeu de données")
    assert ("upload", "moisinno-data-0.1.0.zip") in actions and len(actions) == 12


def test_a_damaged_archive_in_the_store_is_not_published(project_copy, store, capsys):
    release = make_release(project_copy, store, "0.1.0")
    release.archive.write_bytes(release.archive.read_bytes()[:-10])
    assert main(["publish"]) == 2
    err = capsys.readouterr().err
    assert "ne correspond plus à son empreinte" in err and "ne sera pas publiée" in err
    assert not default_folder().exists()


def test_a_package_made_by_init_does_not_claim_this_projects_rhythm_or_places():
    """The sweep: every package was published as yearly and located by commune (this
    project's events), with a description starting with two blank lines and a table's
    description running into the next sentence."""
    from moisinno_data.portals.content import _dataset_spec, _sentence

    spec = _dataset_spec({"name": "fontaines", "title": "Fontaines fictives"}, "0.1.0", None)
    assert (spec.frequency, spec.granularity) == ("unknown", "other")
    assert spec.description.startswith("Version publiée : 0.1.0.")
    own = {"frequency": "annual", "spatial": {"granularity": "fr:commune"}, "description": "D."}
    spec = _dataset_spec(own, "0.1.0", None)
    assert (spec.frequency, spec.granularity) == ("annual", "fr:commune")
    assert spec.description.startswith("D.\n\nVersion publiée")
    assert _sentence("Bornes en parc") == "Bornes en parc." and _sentence("Fin !") == "Fin !"


def test_publishing_an_older_version_after_a_newer_one_needs_asking(project_copy, store, capsys):
    """The sweep: ``publish --version 0.1.0`` after 0.2.0 put 0.1.0's tables at the stable
    addresses without a word. It is refused (exit 2, nothing changed), unless asked."""
    make_release(project_copy, store, "0.1.0")
    edit_a_table(project_copy)
    make_release(project_copy, store, "0.2.0")
    assert main(["publish"]) == 0
    before = _tree(LocalPortal().folder)
    assert main(["publish", "--version", "0.1.0"]) == 2
    assert "0.2.0 est déjà publiée" in capsys.readouterr().err
    assert _tree(LocalPortal().folder) == before
    assert main(["publish", "--version", "0.1.0", "--allow-older"]) == 0


def _edit_package(project: Path, edit) -> None:
    """Change the package's ``datapackage.json`` (``edit`` takes and changes its dict)."""
    path = project / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    edit(descriptor)
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")


def _table(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def _schema_links(folder: Path) -> dict[str, dict]:
    return {
        e["extras"]["moisinno:key"][6:]: e.get("schema")
        for e in _state(folder)["resources"]
        if e["extras"]["moisinno:key"].startswith("table:")
    }


def test_the_packages_own_spatial_coverage_is_published(project_copy, store):
    """The sweep (CEREMA aire-livraison): ``spatial.zones`` of datapackage.json was
    replaced by France; the package's zones and granularity are what the portal gets."""
    spatial = {"zones": ["fr:commune:69123"], "granularity": "fr:commune"}
    _edit_package(project_copy, lambda d: d.update(spatial=spatial))
    make_release(project_copy, store, "0.1.0")
    assert main(["publish"]) == 0
    assert _state(default_folder())["metadata"]["spatial"] == spatial


@pytest.mark.parametrize(
    "spatial",
    [
        {"zones": "fr:commune:69123"},
        {"zones": []},
        {"zones": ["fr:commune:69123", 69123]},
        {"zones": ["country:fr"], "granularity": ""},
        "France",
        {"zones": ["country:fr"], "granularity": "commune"},  # udata: not a level it knows
        {"zones": ["fr:commune:6912"]},  # a GeoID udata cannot resolve: not an INSEE code
        {"zones": ["Lyon"]},
    ],
)
def test_a_malformed_spatial_coverage_stops_before_anything_is_sent(
    project_copy, store, capsys, spatial
):
    _edit_package(project_copy, lambda d: d.update(spatial=spatial))
    make_release(project_copy, store, "0.1.0")
    assert main(["publish"]) == 2
    err = capsys.readouterr().err
    assert "« spatial » invalide" in err and '"zones": ["fr:commune:69123"]' in err
    assert "moisinno release" in err
    assert not default_folder().exists()


def test_a_table_names_its_catalog_schema_else_links_to_its_copy(project_copy, store, capsys):
    """The sweep: tables linked only to the uploaded copy of their schema, which
    data.gouv.fr never validates nor consolidates; a table whose schema is known on
    schema.data.gouv.fr names it (name and version), in the folder as on udata."""

    def edit(descriptor: dict) -> None:
        _table(descriptor, "editions")["catalogSchema"] = {"name": "exemple/schema-editions"}
        _table(descriptor, "laboratoires")["catalogSchema"] = {
            "name": "exemple/schema-laboratoires",
            "version": "v2.3.0",
        }
        _table(descriptor, "thematiques")["catalogSchema"] = False

    _edit_package(project_copy, edit)
    schema = project_copy / "schemas" / "evenements" / "schema.json"
    found = json.loads(schema.read_text(encoding="utf-8"))
    found["path"] = "https://schema.data.gouv.fr/schemas/exemple/schema-evenements/latest/s.json"
    schema.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
    make_release(project_copy, store, "0.1.0")
    assert main(["publish"]) == 0
    assert _schema_links(default_folder()) == {
        "editions": {"name": "exemple/schema-editions", "version": "0.1.0"},  # the schema's
        "laboratoires": {"name": "exemple/schema-laboratoires", "version": "2.3.0"},
        "evenements": {"name": "exemple/schema-evenements", "version": "0.2.0"},
        "thematiques": {"url": "fichiers/schema-thematiques.json"},
    }
    capsys.readouterr()
    assert main(["publish"]) == 0
    assert "0 fichier(s) à envoyer, 0 mise(s) à jour" in capsys.readouterr().out


@pytest.mark.parametrize(
    "value",
    [
        "etalab/schema-irve-statique",
        {"name": "schema-irve-statique"},
        {"nom": "etalab/schema-irve-statique"},
        {"name": "etalab/schema-irve-statique", "version": "dernière"},
        {"name": "etalab/schema-irve-statique", "version": "2.3"},  # catalog versions: X.Y.Z
    ],
)
def test_a_malformed_catalog_schema_stops_before_anything_is_sent(
    project_copy, store, capsys, value
):
    _edit_package(project_copy, lambda d: _table(d, "editions").update(catalogSchema=value))
    make_release(project_copy, store, "0.1.0")
    assert main(["publish"]) == 2
    err = capsys.readouterr().err
    assert "table editions : « catalogSchema »" in err and "moisinno release" in err
    assert not default_folder().exists()


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (
            "https://schema.data.gouv.fr/schemas/etalab/schema-irve-statique/2.3.0/s.json",
            {"name": "etalab/schema-irve-statique", "version": "2.3.0"},
        ),
        ("https://schema.data.gouv.fr/scdl/catalogue/", {"name": "scdl/catalogue"}),
        ("https://schema.data.gouv.fr/scdl/catalogue/latest.html", {"name": "scdl/catalogue"}),
        ("https://github.com/etalab/schema-irve/raw/v2.3.0/statique/schema.json", None),
        ("https://schema.data.gouv.fr/documentation/ajouter-un-schema", None),
    ],
)
def test_catalog_schema_read_from_a_schema_data_gouv_fr_address(address, expected):
    """Only schema.data.gouv.fr addresses name a catalog schema: a GitHub repository may
    hold several, each with its own catalog name."""
    from moisinno_data.package.portal_metadata import catalog_schema

    assert catalog_schema({"name": "t"}, {"homepage": address}) == expected
    if expected:
        assert catalog_schema({"name": "t"}, {"$id": address, "version": "v3.0.1"}) == {
            **expected,
            "version": "3.0.1",
        }


def test_a_folder_published_with_schema_url_is_not_rewritten(project_copy, store, capsys):
    """Folders published before ``schema`` held the link as ``schema_url``: same link."""
    make_release(project_copy, store, "0.1.0")
    assert main(["publish"]) == 0
    path = default_folder() / "moisinno-data" / "dataset.json"
    state = json.loads(path.read_text(encoding="utf-8"))
    for entry in state["resources"]:
        if "schema" in entry:
            entry["schema_url"] = entry.pop("schema")["url"]
    path.write_text(json.dumps(state), encoding="utf-8")
    capsys.readouterr()
    assert main(["publish"]) == 0
    assert "0 fichier(s) à envoyer, 0 mise(s) à jour" in capsys.readouterr().out


def test_a_schema_version_that_is_no_version_leaves_the_catalog_to_say_the_latest():
    from moisinno_data.package.portal_metadata import catalog_schema

    table = {"name": "t", "catalogSchema": {"name": "exemple/s"}}
    assert catalog_schema(table, {"version": "brouillon"}) == {"name": "exemple/s"}


@pytest.mark.parametrize(
    ("licence", "expected"),
    [
        ({"name": "ODbL-1.0"}, "odc-odbl"),  # SPDX, as frictionless and GitHub write it
        ({"name": "odc-odbl", "title": "Open Data Commons Open Database License 1.0"}, "odc-odbl"),
        ({"name": "CC-BY-4.0"}, "cc-by"),
        ({"name": "cc-by-sa"}, "cc-by-sa"),
        ({"name": "CC0-1.0"}, "cc-zero"),
        ({"path": "https://opendatacommons.org/licenses/by/1-0/"}, "odc-by"),
        ({"path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence"}, "lov2"),
        ({"name": "etalab-2.0"}, "lov2"),
    ],
)
def test_the_packages_licence_is_the_one_published(project_copy, store, licence, expected):
    """Every licence but four spellings was published as the Licence Ouverte 2.0 (lov2):
    an ODbL package, share-alike, reached the portal as freely reusable."""
    _edit_package(project_copy, lambda d: d.update(licenses=[licence]))
    make_release(project_copy, store, "0.1.0")
    assert main(["publish"]) == 0
    assert _state(default_folder())["metadata"]["license"] == expected


@pytest.mark.parametrize("licence", [{"name": "MIT"}, {"name": "CC-BY-NC-4.0"}, {"path": "x"}])
def test_a_licence_the_portal_cannot_name_stops_release_and_publish(
    project_copy, store, capsys, licence
):
    """No licence id of data.gouv.fr: refused before anything is written or sent, as a
    spatial coverage it refuses is (release on the folder, publish on the archive)."""
    _edit_package(project_copy, lambda d: d.update(licenses=[licence]))
    said = licence.get("name") or licence["path"]
    assert main(["release", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert f"licence « {said} » inconnue de data.gouv.fr" in err and "ODbL-1.0" in err
    assert main(["release", "--lang", "en"]) == 2
    assert f"licence “{said}” unknown to data.gouv.fr" in capsys.readouterr().err
    assert store.latest() is None
    make_release(project_copy, store, "0.1.0")  # cut by hand, or before this rule
    assert main(["publish"]) == 2
    assert "inconnue de data.gouv.fr" in capsys.readouterr().err
    assert not default_folder().exists()
