"""Release: semver from the diff, datapackage facts, changelog, reproducible archive,
an immutable store, and all-or-nothing writes (injected failures; kills: test_crash_safety)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from moisinno_data.package import datapackage as package
from moisinno_data.publishing import release as rel
from moisinno_data.publishing import transaction
from moisinno_data.publishing.store import ReleaseStore, StoreError

EPOCH = "1795000000"  # 2026-11-18T…Z: fixed release time for reproducibility


@pytest.fixture
def project(project_copy, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return project_copy


def store() -> ReleaseStore:
    return ReleaseStore()


def state(root: Path) -> dict[str, bytes]:
    """Every visible file of the data package and of the store, with its bytes."""
    files = {}
    for base in (root, ReleaseStore().root):
        if not base.exists():
            continue
        for p in sorted(base.rglob("*")):
            rel_parts = p.relative_to(base).parts
            if p.is_file() and not any(part.startswith(".") for part in rel_parts):
                files[f"{base.name}/{p.relative_to(base)}"] = p.read_bytes()
    return files


def append_row(root: Path) -> None:
    path = root / "datasets" / "thematiques.csv"
    with open(path, "a", encoding="utf-8", newline="") as fh:
        fh.write("2020,autre,exemple fictif,3,exact,Ligne fictive de test.,https://exemple.fr\n")


def correct_value(root: Path) -> None:
    path = root / "datasets" / "thematiques.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("2020,relation-usager,service à l'usager,100,", "2020,relation-usager,service à l'usager,101,", 1), encoding="utf-8")  # fmt: skip


def remove_field(root: Path, table: str, field: str) -> None:
    schema_path = root / "schemas" / table / "schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["fields"] = [f for f in schema["fields"] if f["name"] != field]
    schema_path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")
    import csv
    import io

    data = root / "datasets" / f"{table}.csv"
    rows = list(csv.reader(io.StringIO(data.read_text(encoding="utf-8"))))
    i = rows[0].index(field)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:i] + r[i + 1 :] for r in rows])
    data.write_text(out.getvalue(), encoding="utf-8")


def test_first_release_takes_the_datapackage_version(project):
    result = rel.release(validate=False)
    assert result.version == "0.1.0" and result.previous is None
    stored = store().get("0.1.0")
    assert stored.archive.name == "moisinno-data-0.1.0.zip"
    assert hashlib.sha256(stored.archive.read_bytes()).hexdigest() == stored.sha256
    meta = stored.meta
    assert set(meta) >= {"version", "archive", "sha256", "bytes", "created", "previous", "tables"}
    assert meta["bytes"] == stored.archive.stat().st_size
    assert meta["tables"]["editions"]["rows"] == 12
    descriptor = package.read(project)
    assert descriptor["version"] == "0.1.0"
    assert descriptor["lastModified"] == "2026-11-18T11:06:40Z" == meta["created"]
    assert package.check(project) == []
    assert descriptor["temporal"]["start"] == "2014-11-12"
    log = (project / "CHANGELOG.md").read_text(encoding="utf-8")
    assert log.startswith(rel.CHANGELOG_TITLE) and "## 0.1.0 — 2026-11-18" in log


def test_archive_layout(project):
    rel.release(validate=False)
    with zipfile.ZipFile(store().get("0.1.0").archive) as zf:
        names = zf.namelist()
        inner = json.loads(zf.read("datapackage.json"))
        assert zf.read("datasets/editions.csv") == (project / "datasets/editions.csv").read_bytes()
    assert names == sorted(names)
    assert "datapackage.json" in names and "schemas/evenements/schema.json" in names
    assert {n for n in names if n.startswith("datasets/")} == {
        f"datasets/{t}.csv" for t in ("editions", "laboratoires", "evenements", "thematiques")
    }
    assert inner == package.read(project)


def test_two_releases_from_the_same_inputs_have_the_same_sha256(project, tmp_path, monkeypatch):
    inputs = (project / "datapackage.json").read_bytes()
    first = rel.release(validate=False)
    # an independent copy of the same inputs, released into another store
    import shutil

    other = tmp_path / "autre"
    for name in ("schemas", "datasets"):
        shutil.copytree(project / name, other / name)
    (other / "datapackage.json").write_bytes(inputs)
    monkeypatch.setenv("MOISINNO_ROOT", str(other))
    monkeypatch.setenv("MOISINNO_STORE", str(tmp_path / "autre-depot"))
    second = rel.release(validate=False)
    assert first.sha256 == second.sha256
    # and anyone can rebuild the stored archive from the released folder
    assert hashlib.sha256(rel.build_archive(project)).hexdigest() == first.sha256


def test_same_inputs_same_day_same_sha256_without_settings(project_copy, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    inputs = (project_copy / "datapackage.json").read_bytes()
    first = rel.release(validate=False)
    assert package.read(project_copy)["lastModified"].endswith("T00:00:00Z")
    import shutil

    other = tmp_path / "autre"
    for name in ("schemas", "datasets"):
        shutil.copytree(project_copy / name, other / name)
    (other / "datapackage.json").write_bytes(inputs)
    monkeypatch.setenv("MOISINNO_ROOT", str(other))
    monkeypatch.setenv("MOISINNO_STORE", str(tmp_path / "autre-depot"))
    assert rel.release(validate=False).sha256 == first.sha256


def test_rows_added_bump_minor_with_ids_in_changelog(project):
    rel.release(validate=False)
    append_row(project)
    result = rel.release(validate=False)
    assert (result.version, result.level) == ("0.2.0", "minor")
    log = (project / "CHANGELOG.md").read_text(encoding="utf-8")
    assert log.index("## 0.2.0") < log.index("## 0.1.0")
    assert "Ajoutées (1) : `2020|autre`" in log
    assert store().get("0.2.0").meta["previous"] == "0.1.0"
    assert package.read(project)["resources"][3]["count"] == 7


def test_field_removed_bumps_major(project):
    rel.release(validate=False)
    remove_field(project, "thematiques", "note")
    result = rel.release(validate=False)
    assert (result.version, result.level) == ("1.0.0", "major")
    assert "champ retiré : note" in result.changelog_entry


def test_corrected_value_bumps_patch(project):
    rel.release(validate=False)
    correct_value(project)
    result = rel.release(validate=False)
    assert (result.version, result.level) == ("0.1.1", "patch")
    assert "`2020|relation-usager` (nombre_evenements)" in result.changelog_entry


def test_bump_override_and_nothing_to_release(project):
    rel.release(validate=False)
    nothing = rel.release(validate=False)
    assert nothing.version is None and "rien à publier" in nothing.reason
    append_row(project)
    forced = rel.release("major", validate=False)
    assert forced.version == "1.0.0"


def test_dry_run_writes_nothing(project):
    before = state(project)
    result = rel.release(dry_run=True, validate=False)
    assert result.version == "0.1.0" and result.sha256
    assert state(project) == before and store().versions() == []


def test_dry_run_leaves_the_folder_as_it_was(project):
    """The lock file (hidden, so not in ``state``) was left behind by a dry run."""
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    rel.release(dry_run=True, validate=False)
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_store_never_replaces_a_version(project, tmp_path):
    rel.release(validate=False)
    archive = tmp_path / "x.zip"
    archive.write_bytes(b"autre chose")
    with pytest.raises(StoreError, match="jamais remplacée"):
        store().put("0.1.0", archive, {})


@pytest.mark.parametrize("step", ["build", "stage", "replace-1", "replace-2", "replace-3"])
def test_injected_failure_leaves_everything_as_it_was(project, monkeypatch, step):
    rel.release(validate=False)
    append_row(project)
    before = state(project)
    if step == "build":
        monkeypatch.setattr(rel, "build_archive_bytes", _boom)
    elif step == "stage":
        monkeypatch.setattr(ReleaseStore, "stage", _boom)
    else:
        n = int(step.split("-")[1])
        calls = []
        real = os.replace

        def flaky(src, dst):
            calls.append(dst)
            if len(calls) == n:
                raise OSError("disque plein (panne simulée)")
            return real(src, dst)

        monkeypatch.setattr(transaction.os, "replace", flaky)
    with pytest.raises((OSError, RuntimeError)):
        rel.release(validate=False)
    assert state(project) == before
    assert store().versions() == ["0.1.0"]
    assert not (project / transaction.JOURNAL_DIR).exists()


def _boom(*args, **kwargs):
    raise RuntimeError("panne simulée")


def test_invalid_data_is_not_released(project, tmp_path):
    rel.release(validate=False)
    path = project / "datasets" / "thematiques.csv"
    with open(path, "a", encoding="utf-8", newline="") as fh:
        fh.write("2020,thematique-inconnue,exemple fictif,3,exact,,https://exemple.fr\n")
    before = state(project)
    result = subprocess.run(
        [sys.executable, "-m", "moisinno_data", "release"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "thematiques.csv" in result.stderr and "ligne 8" in result.stderr
    assert state(project) == before


def test_cli_dry_run_then_release(project):
    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "moisinno_data", "release", *args],
            capture_output=True, text=True, check=False,
        )  # fmt: skip

    dry = run("--dry-run")
    assert dry.returncode == 0 and "Simulation (--dry-run)" in dry.stdout
    assert store().versions() == []
    done = run()
    assert done.returncode == 0 and "sha256" in done.stdout
    again = run()
    assert again.returncode == 0 and "rien à publier" in again.stdout
    bad = run("--bump", "enorme")
    assert bad.returncode == 2 and "erreur" in bad.stderr


def test_cli_release_speaks_english_with_lang_en(project):
    """``release --lang en`` said everything in French; the changelog entry stays French
    (it is the package's CHANGELOG.md) and is labelled so."""

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "moisinno_data", "release", "--lang", "en", *args],
            capture_output=True, text=True, check=False,
        )  # fmt: skip

    dry = run("--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Dry run (--dry-run): first version of the local store" in dry.stdout
    assert "Changelog entry (CHANGELOG.md, in French as the data are):" in dry.stdout
    assert "Planned archive: " in dry.stdout and "(nothing written)" in dry.stdout
    assert "Simulation" not in dry.stdout and "Archive prévue" not in dry.stdout
    listed = json.loads(run("--dry-run", "--format", "json").stdout)
    assert listed["reason"].startswith("first version of the local store")
    done = run()
    assert done.returncode == 0 and "datapackage.json and CHANGELOG.md updated." in done.stdout
    again = run()
    assert again.returncode == 0
    assert (
        again.stdout.strip() == f"No change since version {listed['version']}: nothing to release."
    )
    path = project / "datasets" / "thematiques.csv"
    with open(path, "a", encoding="utf-8", newline="") as fh:
        fh.write("2020,thematique-inconnue,exemple fictif,3,exact,,https://exemple.fr\n")
    refused = run()
    assert refused.returncode == 1, refused.stderr
    assert "Version refused: the data are not valid." in refused.stderr
    assert "thematiques.csv: 1 error(s), among them line 8" in refused.stderr
    assert "erreur" not in refused.stderr


def test_released_files_are_readable_by_everyone(project):
    old = os.umask(0o022)
    try:
        rel.release(validate=False)
    finally:
        os.umask(old)
    stored = store().get("0.1.0")
    for path in (stored.folder, stored.archive, stored.folder / "release.json", store().root / "index.json", project / "CHANGELOG.md"):  # fmt: skip
        assert path.stat().st_mode & 0o044 == 0o044, path


def test_tampered_previous_archive_stops_the_release(project):
    rel.release(validate=False)
    append_row(project)
    archive = store().get("0.1.0").archive
    archive.write_bytes(archive.read_bytes() + b"!")
    before = state(project)
    with pytest.raises(rel.ReleaseError, match="altérée"):
        rel.release(validate=False)
    assert state(project) == before


def test_release_moves_citation_cff_to_the_new_version(project):
    import shutil

    from conftest import ROOT

    shutil.copy2(ROOT / "CITATION.cff", project / "CITATION.cff")
    rel.release(validate=False)
    append_row(project)
    result = rel.release(validate=False)
    text = (project / "CITATION.cff").read_text(encoding="utf-8")
    assert f"version: {result.version}" in text
    assert 'date-released: "2026-11-18"' in text


def test_an_optional_field_added_to_a_keyless_table_is_a_minor_release(tmp_path, monkeypatch):
    """Sweep 9: in a table without a primary key, every row was removed and added again
    once the new (empty) column was consolidated, and the release was major."""
    from moisinno_data.publishing.consolidate import consolidate
    from moisinno_data.publishing.init import init_package

    fields = [{"name": "site", "type": "string"}, {"name": "n", "type": "integer"}]
    source = tmp_path / "comptages.schema.json"
    source.write_text(json.dumps({"name": "comptages", "fields": fields}), encoding="utf-8")
    root = tmp_path / "paquet"
    init_package(root, [str(source)])
    monkeypatch.setenv("MOISINNO_ROOT", str(root))
    monkeypatch.setenv("MOISINNO_STORE", str(tmp_path / "depot"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    sent = tmp_path / "recu.csv"
    sent.write_text("site,n\nA,5\nB,7\n", encoding="utf-8")
    consolidate([sent])
    rel.release()
    schema_path = root / "schemas" / "comptages" / "schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["fields"].append({"name": "commentaire", "type": "string"})
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    consolidate([sent])  # the new column comes, empty
    plan = rel.release(dry_run=True)
    assert plan.level == "minor", plan.diff and plan.diff.to_dict()
    table = plan.diff.tables[0] if plan.diff else None
    assert table is not None and (table.added, table.removed) == ([], [])


def test_a_long_row_key_is_cut_in_the_changelog():
    """Sweep 9: a table without a primary key names its rows by all their cells; an IRVE
    row (50 cells) made the changelog's « Ajoutées » a 24 KB line."""
    from moisinno_data.publishing.release import KEY_CHARS, _ids

    row = "|".join(f"cellule-fictive-{i}" for i in range(50))
    shown = _ids([row, "court"])
    assert shown.startswith(f"`{row[:KEY_CHARS]}…`") and shown.endswith(", `court`")
    assert len(shown) < 2 * KEY_CHARS


def test_a_keyless_edit_is_named_by_telling_cells_and_said_in_the_changelog():
    """Sweep 11: an IRVE row (no key) edited was listed removed and added under the same
    cut label, and the version went major without a word. The rows are named by the cells
    that tell them apart, and the changelog says why an edit shows as a removal (the
    numbering rule stays: a row removed is a major change)."""
    from moisinno_data.package.canonical import CsvTable
    from moisinno_data.publishing.diff import PackageDiff, diff_tables

    header = ["nom_amenageur", "contact", "id_pdc", "puissance"]
    shared = ["Société fictive X", "contact@amenageur-fictif.fr"]
    old = CsvTable(header, [[*shared, "FRX01E1", "22"], [*shared, "FRX01E2", "22"]], [])
    new = CsvTable(header, [[*shared, "FRX01E1", "22"], [*shared, "FRX01E2", "50"]], [])
    d = PackageDiff("0.1.0", "0.2.0", [diff_tables("bornes", old, new, {})])
    assert d.level() == "major"
    entry = rel.changelog_entry("0.2.0", "2026-01-01", d, d.level(), first=False)
    tail = "nom_amenageur=Société fictive X; contact=contact@a…`"
    assert f"- Ajoutées (1) : `id_pdc=FRX01E2; puissance=50; {tail}" in entry
    assert f"- Retirées (1) : `id_pdc=FRX01E2; puissance=22; {tail}" in entry
    assert rel.KEYLESS_NOTE in entry


def _edit_descriptor(root: Path, edit) -> None:
    """Change the package's ``datapackage.json`` (``edit`` takes and changes its dict)."""
    path = root / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    edit(descriptor)
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _set_catalog_schema(value) -> object:
    def edit(descriptor: dict) -> None:
        next(r for r in descriptor["resources"] if r["name"] == "editions")["catalogSchema"] = value

    return edit


def _set_spatial(value) -> object:
    return lambda descriptor: descriptor.update(spatial=value)


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "moisinno_data", *args], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        (
            _set_spatial({"zones": ["country:fr"], "granularity": "fr:comune"}),
            "« spatial.granularity » vaut 'fr:comune', niveau inconnu de data.gouv.fr",
        ),
        (
            _set_spatial({"zones": ["fr:commune:6912"], "granularity": "fr:commune"}),
            "'fr:commune:6912' n'est pas un identifiant de zone de data.gouv.fr "
            "(code '6912' mal formé pour le niveau fr:commune)",
        ),
        (
            _set_spatial({"zones": ["fr:ville:69123"]}),
            "(niveau 'fr:ville' inconnu",
        ),
        (
            _set_spatial({"zones": ["69123"]}),
            "(niveau '(aucun)' inconnu",
        ),
        (
            _set_catalog_schema({"name": "exemple/schema-editions-fictif", "version": "2.3"}),
            "« catalogSchema » a une version invalide ('2.3', pas de la forme X.Y.Z)",
        ),
        (
            _set_catalog_schema({"name": "https://schema.data.gouv.fr/exemple/editions"}),
            "« catalogSchema » a un nom invalide",
        ),
    ],
)
def test_release_refuses_portal_metadata_udata_would_refuse(project, edit, said):
    """A ``spatial`` or ``catalogSchema`` data.gouv.fr refuses was found only by publish,
    after the version was cut: the publisher had to cut another. release (and its dry run)
    now refuses it first, writing nothing, the user's files as they were."""
    _edit_descriptor(project, edit)
    before = state(project)
    for args in (("release", "--dry-run"), ("release",)):
        refused = _run_cli(*args)
        assert refused.returncode == 2, refused.stderr
        assert "Traceback" not in refused.stderr
        assert said in refused.stderr and "datapackage.json" in refused.stderr
        assert "Attendu" in refused.stderr and "rien n'a été écrit" in refused.stderr
        assert state(project) == before
    assert store().versions() == []


def test_release_refuses_a_catalog_schema_its_schema_address_contradicts(project):
    """A ``catalogSchema`` naming another schema, or version, than the schema's own
    schema.data.gouv.fr address: one of the two is wrong, the portal would get either."""
    path = project / "schemas" / "editions" / "schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    address = "https://schema.data.gouv.fr/schemas/exemple/schema-editions-fictif/1.0.0/s.json"
    path.write_text(json.dumps({**schema, "$id": address}, ensure_ascii=False), encoding="utf-8")
    for declared, english in (
        ({"name": "exemple/autre-schema-fictif"}, "names exemple/autre-schema-fictif but"),
        ({"name": "exemple/schema-editions-fictif", "version": "2.0.0"}, "version 2.0.0"),
    ):
        _edit_descriptor(project, _set_catalog_schema(declared))
        before = state(project)
        refused = _run_cli("release", "--lang", "en")
        assert refused.returncode == 2, refused.stderr
        assert "the table's schema says otherwise: its “$id”" in refused.stderr
        assert english in refused.stderr and "nothing was written" in refused.stderr
        assert state(project) == before
    _edit_descriptor(project, _set_catalog_schema({"name": "exemple/schema-editions-fictif"}))
    assert _run_cli("release").returncode == 0
    assert store().versions() == ["0.1.0"]


def test_release_takes_portal_metadata_udata_takes(project):
    """What data.gouv.fr takes passes: zones of several levels (a Corsican département,
    a GeoID in capitals, as udata lower-cases it), a granularity, a ``v``-tagged version."""
    _edit_descriptor(project, _set_spatial({
        "zones": ["fr:commune:69123", "FR:DEPARTEMENT:2A", "fr:region:84", "fr:epci:200046977"],
        "granularity": "fr:commune",
    }))  # fmt: skip
    _edit_descriptor(
        project, _set_catalog_schema({"name": "exemple/editions", "version": "v1.2.0"})
    )
    done = _run_cli("release")
    assert done.returncode == 0, done.stderr
    assert store().versions() == ["0.1.0"]


def test_docs_check_refuses_what_release_would(project):
    """The package's CI (docs --check) says it too, before anyone cuts a version."""
    _edit_descriptor(project, _set_spatial({"zones": ["fr:commune:6912"]}))
    refused = _run_cli("docs", "--check")
    assert refused.returncode == 2 and "'fr:commune:6912'" in refused.stderr
    assert "avant de couper une version" in refused.stderr


@pytest.mark.parametrize("epoch", ["5000000000", "99999999999999999999"])
def test_a_release_date_no_zip_can_hold_is_one_sentence(project, monkeypatch, epoch):
    """SOURCE_DATE_EPOCH past 2107 (a zip entry's last year) was an internal error
    (« ushort format requires 0 <= number <= 65535 ») once the archive was built, or a
    raw OverflowError; now ConfigError before anything is written."""
    from moisinno_data.errors import ConfigError

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    before = state(project)
    with pytest.raises(ConfigError, match="2107"):
        rel.release(validate=False)
    assert state(project) == before


def test_a_working_copy_with_hidden_folders_or_backups_gives_the_clones_archive(
    project, tmp_path, monkeypatch
):
    """A file in a hidden folder of schemas/<table>/ (an editor's .idea/) or an editor
    backup (schema.json~) went into the archive (only files named with a dot were left
    out): the working copy and a fresh clone of the same commit gave two sha256."""
    import shutil

    inputs = (project / "datapackage.json").read_bytes()
    clone = tmp_path / "clone"
    for name in ("schemas", "datasets"):
        shutil.copytree(project / name, clone / name)
    (clone / "datapackage.json").write_bytes(inputs)
    folder = project / "schemas" / "editions"
    (folder / ".idea").mkdir()
    (folder / ".idea" / "workspace.xml").write_text("<project/>", encoding="utf-8")
    (folder / "schema.json~").write_text("{}", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\0")
    first = rel.release(validate=False)
    with zipfile.ZipFile(store().get("0.1.0").archive) as zf:
        names = zf.namelist()
    assert not [n for n in names if "/." in n or n.endswith("~")], names
    monkeypatch.setenv("MOISINNO_ROOT", str(clone))
    monkeypatch.setenv("MOISINNO_STORE", str(tmp_path / "depot-du-clone"))
    assert rel.release(validate=False).sha256 == first.sha256


def test_a_version_cut_again_replaces_its_changelog_entry():
    """Sweep G: a version cut again (its release store removed, as when a pending version
    is cut anew after more data) added a second ``## 0.1.0`` entry to CHANGELOG.md. The
    entry of the same version is replaced; the others stay, in order."""
    from moisinno_data.publishing.release import insert_changelog

    first = insert_changelog(None, "## 0.1.0 — 2026-01-01\n\nPremière version fictive.\n")
    second = insert_changelog(first, "## 0.2.0 — 2026-02-01\n\nDeuxième, fictive.\n")
    again = insert_changelog(second, "## 0.2.0 — 2026-02-03\n\nDeuxième, coupée de nouveau.\n")
    headings = [line for line in again.splitlines() if line.startswith("## ")]
    assert headings == ["## 0.2.0 — 2026-02-03", "## 0.1.0 — 2026-01-01"]
    assert "Deuxième, fictive" not in again and again.endswith("Première version fictive.\n")
    assert insert_changelog(again, "## 0.10.0 — 2026-03-01\n\nDix.\n").count("## 0.1.0 ") == 1
