"""Consolidate: every row accounted for, updates visible, conflicts kept out,
rejects with reasons, provenance without personal data, idempotent, all-or-nothing."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import DATASETS, ROOT, SCHEMAS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moisinno_data.errors import MoisinnoError
from moisinno_data.package import canonical
from moisinno_data.package import datapackage as package
from moisinno_data.package.schemas import load_schema
from moisinno_data.package.text import said_in
from moisinno_data.publishing import transaction
from moisinno_data.publishing.consolidate import STATUSES, Candidate, consolidate, describe, merge

EXAMPLES = ROOT / "examples" / "contributions"
BATCH = [
    EXAMPLES / "01-prefecture-fictive-evenements.csv",
    EXAMPLES / "02-laboratoires-fictifs.xlsx",
    EXAMPLES / "03-ministere-fictif-evenements-avec-erreurs.csv",
]
EVENTS = load_schema("evenements")
THEMES = ["relation-usager", "design", "numerique", "autre", "simplification"]


@pytest.fixture
def own_package(tmp_path, monkeypatch):
    """A new data package (as ``moisinno init`` makes it) for a schema the test makes up:
    ``make(schema)`` returns its folder, where the library then works."""
    from moisinno_data.publishing.init import init_package

    def make(schema: dict) -> Path:
        source = tmp_path / f"{schema['name']}.schema.json"
        source.write_text(json.dumps(schema), encoding="utf-8")
        root = tmp_path / "paquet"
        init_package(root, [str(source)])
        monkeypatch.setenv("MOISINNO_ROOT", str(root))
        monkeypatch.setenv("MOISINNO_STORE", str(tmp_path / "depot"))
        return root

    return make


def sent(folder: Path, name: str, text: str) -> Path:
    """A contribution file written for the test."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def published(root: Path) -> dict[str, bytes]:
    """What consolidation may change and what gets published: data, provenance, package."""
    out = {"datapackage.json": (root / "datapackage.json").read_bytes()}
    for folder in ("datasets", "provenance"):
        for p in sorted((root / folder).glob("*")) if (root / folder).exists() else []:
            out[f"{folder}/{p.name}"] = p.read_bytes()
    return out


def ids(root: Path, table: str) -> list[str]:
    return [r[0] for r in canonical.read_table(root / "datasets" / f"{table}.csv").rows]


def test_example_batch_every_row_accounted_for(project_copy):
    before_events = ids(project_copy, "evenements")
    result = consolidate(BATCH, contributor="Contributeur fictif", received="2026-11-20")
    assert result.totals == {
        "added": 6, "updated": 0, "unchanged": 1, "rejected": 1, "conflicting": 2,
    }  # fmt: skip
    assert result.rows_in == 10 and result.balanced
    assert "10 ligne(s) reçue(s) = 6 ajoutée(s) + 0 modifiée(s) + 1 inchangée(s) + 1 rejetée(s) + 2 en conflit" in result.conservation_line()  # fmt: skip
    events = ids(project_copy, "evenements")
    assert (
        events[: len(before_events)] == before_events
    )  # published rows untouched, new ones appended
    assert "2024-exemple-prefecture-fictive-atelier" in events
    assert "2024-exemple-invalide" not in events and "2024-exemple-doublon" not in events
    assert "lab-exemple-fictif-martinique" in ids(project_copy, "laboratoires")
    # normalised on the way in
    table = canonical.read_table(project_copy / "datasets" / "evenements.csv", EVENTS)
    row = table.as_dict(table.by_key()[("2024-exemple-prefecture-fictive-atelier",)])
    assert (row["date_debut"], row["departement"], row["commune"], row["latitude"]) == (
        "2024-11-19T09:30:00", "01", "01053", "46.2052",
    )  # fmt: skip
    assert package.check(project_copy) == []


def test_rejects_provenance_and_private_journal(project_copy):
    result = consolidate(BATCH, contributor="Jeanne Fictive", received="2026-11-20")
    rejects = Path(result.files[2].rejects_path)
    assert rejects.parent == project_copy / "prive" / "rejets"
    text = rejects.read_text(encoding="utf-8")
    assert text.startswith("ligne,motifs,id,")
    assert "sur place" in text and "modalite" in text and text.count("même clé") == 2
    prov = canonical.read_table(project_copy / "provenance" / "evenements.csv")
    assert prov.header == ["cle", "action", "contribution_sha256", "ligne", "recue_le"]
    assert ["2024-exemple-prefecture-fictive-atelier", "ajout", result.files[0].sha256, "2", "2026-11-20"] in prov.rows  # fmt: skip
    published_text = b"".join(published(project_copy).values()).decode("utf-8")
    assert "Jeanne Fictive" not in published_text and "01-prefecture" not in published_text
    journal = (project_copy / "prive" / "journal.csv").read_text(encoding="utf-8")
    assert "Jeanne Fictive" in journal and "01-prefecture-fictive-evenements.csv" in journal
    assert "/prive/" in (ROOT / ".gitignore").read_text()


def test_same_contribution_twice_changes_nothing(project_copy):
    consolidate(BATCH, received="2026-11-20")
    after_first = published(project_copy)
    again = consolidate(BATCH, received="2026-11-21")
    assert published(project_copy) == after_first
    assert again.totals["added"] == again.totals["updated"] == 0
    assert again.totals["unchanged"] == 7 and again.balanced


def test_update_is_recorded_and_absent_columns_kept(project_copy):
    consolidate(BATCH[:1], received="2026-11-20")
    result = consolidate(
        [EXAMPLES / "04-prefecture-fictive-mise-a-jour.csv"], received="2026-11-22"
    )
    assert result.totals["updated"] == 1
    (outcome,) = result.rows
    assert outcome.changes["nombre_participants"] == ("", "18")
    table = canonical.read_table(project_copy / "datasets" / "evenements.csv", EVENTS)
    row = table.as_dict(table.by_key()[("2024-exemple-prefecture-fictive-atelier",)])
    assert row["titre"].endswith("(complet)") and row["lieu"] == "Salle fictive, Bourg-en-Bresse"
    prov = canonical.read_table(project_copy / "provenance" / "evenements.csv").rows
    assert prov[-1][:2] == ["2024-exemple-prefecture-fictive-atelier", "modification"]


def test_conflict_across_files_applies_neither(project_copy, tmp_path):
    head = "edition,thematique,libelle_source,nombre_evenements,sources\n"
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(head + "2021,design,exemple fictif A,4,https://exemple.fr\n", encoding="utf-8")
    b.write_text(head + "2021,design,exemple fictif B,5,https://exemple.fr\n", encoding="utf-8")
    before = published(project_copy)
    result = consolidate([a, b])
    assert result.totals["conflicting"] == 2 and result.balanced
    assert published(project_copy) == before


def test_event_may_reference_a_lab_of_the_same_batch(project_copy, tmp_path):
    events = tmp_path / "evenements-fictifs.csv"
    events.write_text(
        "id,edition,titre,laboratoire,sources\n"
        "2024-exemple-lab-nouveau,2024,Atelier fictif du lab,lab-exemple-fictif-nord,https://exemple.fr\n"
        "2024-exemple-lab-inconnu,2024,Atelier fictif sans lab,lab-exemple-absent,https://exemple.fr\n",
        encoding="utf-8",
    )
    # events first on the command line: tables are still merged labs first
    result = consolidate([events, EXAMPLES / "02-laboratoires-fictifs.xlsx"])
    status = {r.key: r.status for r in result.rows}
    assert status["2024-exemple-lab-nouveau"] == "added"
    assert status["2024-exemple-lab-inconnu"] == "rejected"
    assert status["lab-exemple-fictif-nord"] == "added" and result.balanced


def test_same_file_given_twice_is_counted_twice_and_balanced(project_copy):
    result = consolidate([BATCH[0], BATCH[0]])
    assert result.rows_in == 6 and result.balanced
    assert [f.counts["added"] for f in result.files] == [3, 0]
    assert [f.counts["unchanged"] for f in result.files] == [0, 3]


def test_dry_run_writes_nothing(project_copy):
    before = published(project_copy)
    result = consolidate(BATCH, dry_run=True)
    assert result.totals["added"] == 6
    assert published(project_copy) == before and not (project_copy / "prive").exists()


def listing(root: Path) -> list[str]:
    """Every path under ``root``, hidden ones included (a lock file is hidden)."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_dry_run_leaves_the_folder_as_it_was(project_copy):
    """A dry run took the lock and left ``.moisinno-verrou`` in the package folder."""
    before = listing(project_copy)
    consolidate(BATCH, dry_run=True)
    assert listing(project_copy) == before


def test_unrecognised_file_is_rejected_whole(project_copy, tmp_path):
    odd = tmp_path / "autre.csv"
    odd.write_text("nom;prenom\nFictif;Exemple\nAutre;Exemple\n", encoding="utf-8")
    result = consolidate([odd])
    assert result.totals["rejected"] == 2 and result.balanced
    assert "table non reconnue" in result.rows[0].reasons[0]
    english = describe(result, lang="en")
    assert "table not recognised: no table clearly matches the header" in english, english
    assert "non reconnue" not in english


def test_a_key_column_missing_is_said_in_english_too(project_copy, tmp_path):
    """Reasons made in consolidate (key columns, cells, duplicates) were French only."""
    odd = tmp_path / "sans-cle.csv"
    odd.write_text("edition,titre,sources\n2024,Atelier fictif,https://exemple.fr\n", "utf-8")
    result = consolidate([odd], table="evenements")
    assert result.files[0].file_errors == [
        "colonne(s) de clé absente(s) : id — ajoutez-la(les) au fichier"
    ]
    assert "key column(s) missing: id — add them to the file" in describe(result, lang="en")


def test_cli_prints_the_balance_and_exit_codes(project_copy):
    def run(*files):
        return subprocess.run(
            [sys.executable, "-m", "moisinno_data", "consolidate", *map(str, files)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip

    bad = run(*BATCH)
    assert bad.returncode == 1 and "Bilan : 10 ligne(s) reçue(s)" in bad.stdout
    good = run(EXAMPLES / "04-prefecture-fictive-mise-a-jour.csv")
    assert (
        good.returncode == 0
        and "Bilan : 1 ligne(s) reçue(s) = 0 ajoutée(s) + 1 modifiée(s)" in good.stdout
    )
    as_json = subprocess.run(
        [sys.executable, "-m", "moisinno_data", "consolidate", str(BATCH[0]), "--format", "json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    data = json.loads(as_json.stdout)
    assert data["balanced"] and data["rows_in"] == 3 and data["totals"]["added"] == 0
    assert "Bilan : 3 ligne(s) reçue(s)" in as_json.stderr
    missing = run(project_copy / "absent.csv")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_the_summary_speaks_english_on_request(project_copy):
    """Sweep of real files: ``consolidate --lang en`` answered in French. The summary's
    words and the balance are English now; the reasons stay as the checks wrote them, and
    the JSON keeps its French, as ``fix``'s does."""

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "moisinno_data", "consolidate", *map(str, args)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip

    en = run(*BATCH, "--dry-run", "--lang", "en")
    assert en.returncode == 1
    assert "Balance: 10 row(s) received = " in en.stdout and "Bilan" not in en.stdout
    assert "Dry run (--dry-run): no file written." in en.stdout
    assert " row(s) — " in en.stdout and "ligne(s) —" not in en.stdout
    assert any(
        line.startswith("  ! line ") and " rejected — " in line for line in en.stdout.splitlines()
    )
    as_json = run(BATCH[0], "--dry-run", "--format", "json", "--lang", "en")
    assert "Balance: 3 row(s) received" in as_json.stderr
    assert json.loads(as_json.stdout)["conservation"].startswith("Bilan : 3 ligne(s)")
    fr = run(*BATCH, "--dry-run")
    assert "Bilan : 10 ligne(s) reçue(s)" in fr.stdout and "  ! ligne " in fr.stdout


@pytest.mark.parametrize("nth", [1, 2, 3])
def test_injected_failure_leaves_the_previous_state(project_copy, monkeypatch, nth):
    before = published(project_copy)
    calls = []
    real = os.replace

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == nth:
            raise OSError("panne simulée")
        return real(src, dst)

    monkeypatch.setattr(transaction.os, "replace", flaky)
    with pytest.raises(OSError):
        consolidate(BATCH)
    assert published(project_copy) == before


# --- property tests ---------------------------------------------------------------------------

keys = st.sampled_from([f"k{i}" for i in range(6)])
values = st.sampled_from(["a", "b", "", "A"])


def by_case(_name: str, old: str, new: str) -> bool:
    """A stand-in for typed_same: ``a`` and ``A`` are one value written two ways."""
    return old.lower() == new.lower()


@settings(max_examples=300, deadline=None)
@given(
    existing=st.dictionaries(keys, st.tuples(values, values), max_size=5),
    incoming=st.lists(st.tuples(keys, st.tuples(values, values)), max_size=12),
    loose=st.booleans(),
)
def test_merge_accounts_for_every_candidate(existing, incoming, loose):
    table = canonical.CsvTable(["id", "x", "y"], [[k, *v] for k, v in existing.items()], ["id"])
    cands = [
        Candidate(i, (k,), {"id": k, "x": v[0], "y": v[1]}) for i, (k, v) in enumerate(incoming)
    ]
    same = by_case if loose else None
    equal = same or (lambda _name, a, b: a == b)
    rows, fate = merge(table, cands, same=same)
    assert sorted(fate) == list(range(len(cands)))  # exactly one fate each
    counts = {s: sum(1 for f in fate.values() if f[0] == s) for s in STATUSES}
    assert sum(counts.values()) == len(cands)
    out = {r[0]: r for r in rows}
    assert len(out) == len(rows)  # keys stay unique
    assert len(rows) == len(existing) + counts["added"]
    for cand in cands:
        status = fate[cand.ref][0]
        if status == "conflicting":  # nothing written for a conflicting key
            assert (cand.key[0] in existing) == (cand.key[0] in out)
            if cand.key[0] in existing:
                assert out[cand.key[0]][1:] == list(existing[cand.key[0]])
        elif status == "added":
            assert out[cand.key[0]] == [cand.key[0], cand.values["x"], cand.values["y"]]
        elif status == "updated":  # a changed cell takes the new text, an equal one keeps its own
            old = dict(zip(["x", "y"], existing[cand.key[0]], strict=True))
            changed = fate[cand.ref][1]
            for i, name in enumerate(["x", "y"], start=1):
                new = cand.values[name]
                assert out[cand.key[0]][i] == (new if name in changed else old[name])
                assert (name in changed) == (not equal(name, old[name], new))
    # merging the accepted rows again changes nothing
    again = canonical.CsvTable(["id", "x", "y"], rows, ["id"])
    ok = [c for c in cands if fate[c.ref][0] != "conflicting"]
    rows2, fate2 = merge(again, ok, same=same)
    assert rows2 == rows and {f[0] for f in fate2.values()} <= {"unchanged"}


@contextlib.contextmanager
def fresh_copy():
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "projet"
        root.mkdir()
        shutil.copy2(ROOT / "datapackage.json", root)
        shutil.copytree(SCHEMAS, root / "schemas")
        shutil.copytree(DATASETS, root / "datasets")
        saved = {k: os.environ.get(k) for k in ("MOISINNO_ROOT", "MOISINNO_STORE")}
        os.environ.update(MOISINNO_ROOT=str(root), MOISINNO_STORE=str(Path(tmp) / "releases"))
        try:
            yield root, Path(tmp)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


theme_rows = st.tuples(
    st.sampled_from(["2020", "2021", "2022", "1999", "deux-mille"]),  # last two invalid
    st.sampled_from([*THEMES, "inconnue"]),  # "inconnue" is not in the enum
    st.sampled_from(["libellé fictif", "autre libellé fictif", ""]),  # "" violates required
    st.sampled_from(["1", "2", "-3"]),  # negative violates minimum
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches=st.lists(st.lists(theme_rows, max_size=8), min_size=1, max_size=3))
def test_conservation_holds_end_to_end(batches):
    """rows in = added + updated + unchanged + rejected + conflicting, on real validation."""
    with fresh_copy() as (root, tmp):
        files = []
        for i, rows in enumerate(batches):
            path = tmp / f"contribution-{i}.csv"
            body = "".join(f"{e};{t};{lib};{n};https://exemple.fr\n" for e, t, lib, n in rows)
            path.write_text("Édition;Thématique;Libellé source;Nombre d'événements;Sources\n" + body, encoding="cp1252")  # fmt: skip
            files.append(path)
        before = len(canonical.read_table(root / "datasets" / "thematiques.csv").rows)
        result = consolidate(files, table="thematiques")
        t = result.totals
        assert result.rows_in == sum(len(b) for b in batches)
        assert (
            result.rows_in
            == t["added"] + t["updated"] + t["unchanged"] + t["rejected"] + t["conflicting"]
        )
        after = len(canonical.read_table(root / "datasets" / "thematiques.csv").rows)
        assert after == before + t["added"]
        for outcome in result.rows:
            if outcome.status == "rejected":
                assert outcome.reasons
        again = consolidate(files, table="thematiques")
        assert again.totals["added"] == again.totals["updated"] == 0


def test_one_writer_at_a_time(project_copy):
    before = published(project_copy)
    with transaction.exclusive(project_copy):
        other = subprocess.run(
            [sys.executable, "-m", "moisinno_data", "consolidate", str(BATCH[0])],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
    assert other.returncode == 2 and "Une autre opération" in other.stderr
    assert published(project_copy) == before
    assert consolidate(BATCH[:1]).totals["added"] == 3  # free again afterwards


def test_installed_bundle_is_never_written(project_copy, monkeypatch, tmp_path):
    """Outside any data package the bundled one is read-only: one sentence says what to do."""
    from moisinno_data.errors import ConfigError

    monkeypatch.delenv("MOISINNO_ROOT")
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    monkeypatch.chdir(outside)
    before = published(ROOT)
    with pytest.raises(ConfigError, match="moisinno init"):
        consolidate(BATCH)
    assert published(ROOT) == before


def test_a_new_spelling_of_a_published_value_is_not_a_change():
    """The sweep: ``900`` → ``900.0``, ``True`` → ``Oui`` (both yes in the field),
    the same instant at another offset were « modifiée » and made a release; a real
    schema's example stores ``True`` and any later contribution writes ``true``."""
    from moisinno_data.package import canonical
    from moisinno_data.publishing.consolidate import Candidate, merge, typed_same

    schema = {
        "fields": [
            {"name": "id"},
            {"name": "n", "type": "number"},
            {
                "name": "ok",
                "type": "boolean",
                "trueValues": ["True", "Oui"],
                "falseValues": ["Non"],
            },
            {"name": "t", "type": "datetime"},
            {"name": "nom"},
        ],
        "primaryKey": ["id"],
    }
    header = ["id", "n", "ok", "t", "nom"]
    table = canonical.CsvTable(header, [["a", "900", "True", "2020-11-17T10:00:00Z", "X"]], ["id"])
    same = {"id": "a", "n": "900.0", "ok": "Oui", "t": "2020-11-17T11:00:00+01:00", "nom": "X"}
    other = {**same, "n": "901", "nom": "x"}
    rows, fate = merge(table, [Candidate(0, ("a",), same)], same=typed_same(schema))
    assert fate[0][0] == "unchanged" and rows == table.rows  # the published spelling stays
    _rows, fate = merge(table, [Candidate(0, ("a",), other)], same=typed_same(schema))
    assert fate[0][0] == "updated" and set(fate[0][1]) == {"n", "nom"}  # text compares as is


def test_an_update_keeps_the_published_spelling_of_its_unchanged_cells():
    """The sweep: an update of ``nom`` also wrote ``900.0`` over ``900`` and ``…09:00:00Z``
    over ``…10:00:00+01:00`` (equal by type, not listed as changes) — then ``diff`` showed
    changes consolidate had not announced."""
    from moisinno_data.publishing.consolidate import typed_same

    schema = {
        "fields": [
            {"name": "id"},
            {"name": "nom"},
            {"name": "surface", "type": "number"},
            {"name": "maj", "type": "datetime"},
        ],
        "primaryKey": ["id"],
    }
    published_row = ["a", "Alpha", "900", "2024-11-05T10:00:00+01:00"]
    table = canonical.CsvTable(["id", "nom", "surface", "maj"], [published_row], ["id"])
    sent = {"id": "a", "nom": "Alpha bis", "surface": "900.0", "maj": "2024-11-05T09:00:00Z"}
    rows, fate = merge(table, [Candidate(0, ("a",), sent)], same=typed_same(schema))
    assert fate[0][0] == "updated" and fate[0][1] == {"nom": ("Alpha", "Alpha bis")}
    assert rows == [["a", "Alpha bis", "900", "2024-11-05T10:00:00+01:00"]]


PLACES = {
    "name": "lieux",
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True}},
        {"name": "nom", "type": "string", "constraints": {"required": True}},
        {"name": "places", "type": "integer"},
    ],
    "primaryKey": "id",
}


def test_a_partial_update_keeps_the_published_value_of_an_absent_required_column(
    own_package, tmp_path
):
    """The sweep: ``id,places`` for a published id was rejected (« nom … la cellule est
    vide ») because the absent required column was validated as empty; a new row lacking
    it is rejected for the column missing from the file."""
    root = own_package(PLACES)
    consolidate([sent(tmp_path, "v1.csv", "id,nom,places\na,Alpha,10\nb,Beta,20\n")])
    result = consolidate([sent(tmp_path, "partiel.csv", "id,places\na,15\nc,5\n")], table="lieux")
    by_key = {r.key: r for r in result.rows}
    assert by_key["a"].status == "updated" and by_key["a"].changes == {"places": ("10", "15")}
    assert by_key["c"].status == "rejected"
    (reason,) = by_key["c"].reasons
    assert "nom absente(s) du fichier" in reason and "nouvelle ligne" in reason
    assert "cellule est vide" not in reason
    data = (root / "datasets" / "lieux.csv").read_text(encoding="utf-8")
    assert data == "id,nom,places\na,Alpha,15\nb,Beta,20\n"


def test_a_corrected_rejects_file_sent_back_publishes_the_contributors_values(
    own_package, tmp_path
):
    """The sweep: the rejects file put ``ligne`` and ``motifs`` first; with schema fields of
    those names, the corrected file sent back published the row number as ``ligne`` (the
    first of two columns of one name is read). Its own columns now take free names."""
    root = own_package(
        {
            "name": "arrets",
            "fields": [
                {"name": "id", "type": "string", "constraints": {"required": True}},
                {"name": "ligne", "title": "Ligne de bus", "type": "string"},
                {"name": "motifs", "type": "string"},
                {"name": "places", "type": "integer"},
            ],
            "primaryKey": "id",
        }
    )
    first = sent(tmp_path, "envoi.csv", "id,ligne,motifs,places\na,L1,abri,3\nb,L2,banc,beaucoup\n")
    result = consolidate([first], table="arrets")
    rejects = Path(result.files[0].rejects_path).read_text(encoding="utf-8")
    header, (row,) = canonical.parse_csv_text(rejects)
    assert header == ["ligne_rejet", "motifs_rejet", "id", "ligne", "motifs", "places"]
    assert row[0] == "3" and "beaucoup" in row[1]
    corrected = rejects.replace(",beaucoup\n", ",4\n")
    again = consolidate([sent(tmp_path, "renvoi.csv", corrected)], table="arrets")
    assert again.totals["added"] == 1 and again.totals["rejected"] == 0
    table = canonical.read_table(root / "datasets" / "arrets.csv")
    assert table.rows == [["a", "L1", "abri", "3"], ["b", "L2", "banc", "4"]]


def test_a_rejects_file_rejected_again_gets_no_second_pair_of_columns(own_package, tmp_path):
    """A rejects file sent back uncorrected was rejected again with two more columns in
    front (``ligne_rejet_2``, ``motifs_rejet_2``, then ``ligne_rejet``…): each round
    pushed the contributor's columns further right. Its own pair is written anew."""
    own_package(
        {
            "name": "arrets",
            "fields": [
                {"name": "id", "type": "string", "constraints": {"required": True}},
                {"name": "ligne", "title": "Ligne de bus", "type": "string"},
                {"name": "places", "type": "integer"},
            ],
            "primaryKey": "id",
        }
    )
    first = sent(tmp_path, "envoi.csv", "id,ligne,places\na,L1,3\nb,L2,beaucoup\n")
    rejects = Path(consolidate([first], table="arrets").files[0].rejects_path)
    header, (row,) = canonical.parse_csv_text(rejects.read_text(encoding="utf-8"))
    assert header == ["ligne_rejet", "motifs", "id", "ligne", "places"]
    back = sent(tmp_path, "renvoi.csv", rejects.read_text(encoding="utf-8"))
    again = consolidate([back], table="arrets")
    assert again.totals["rejected"] == 1
    text = Path(again.files[0].rejects_path).read_text(encoding="utf-8")
    header2, (row2,) = canonical.parse_csv_text(text)
    assert header2 == header and row2[2:] == row[2:]
    assert row2[0] == "2" and "beaucoup" in row2[1]


def test_a_contributors_own_ligne_and_motifs_columns_are_kept_in_the_rejects(own_package, tmp_path):
    """Only a pair holding line numbers is taken for a rejects file's own: a file whose
    first columns happen to be named ``ligne`` and ``motifs`` keeps them."""
    own_package(PLACES)
    first = sent(tmp_path, "envoi.csv", "ligne,motifs,id,nom,places\nL1,abri,a,Alpha,x\n")
    rejects = Path(consolidate([first]).files[0].rejects_path).read_text(encoding="utf-8")
    header, (row,) = canonical.parse_csv_text(rejects)
    assert header[2:] == ["ligne", "motifs", "id", "nom", "places"]
    assert row[2:] == ["L1", "abri", "a", "Alpha", "x"]


def test_a_new_schema_column_is_added_even_when_no_row_changes(own_package, tmp_path):
    """The sweep: after a field was added to the schema, ``release`` refused and advised
    consolidating a contribution, but a contribution of unchanged rows did not write the
    table, so the column never came and ``release`` refused again."""
    from moisinno_data.publishing import release as rel

    root = own_package(PLACES)
    v1 = sent(tmp_path, "v1.csv", "id,nom,places\na,Alpha,10\n")
    consolidate([v1])
    schema_path = root / "schemas" / "lieux" / "schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["fields"].append({"name": "surface", "type": "number"})
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    with pytest.raises(rel.ReleaseError, match="consolidez une contribution"):
        rel.release(dry_run=True)
    provenance = (root / "provenance" / "lieux.csv").read_bytes()
    result = consolidate([v1])
    data = (root / "datasets" / "lieux.csv").read_text(encoding="utf-8")
    assert data == "id,nom,places,surface\na,Alpha,10,\n"
    assert result.totals["unchanged"] == 1 and result.new_columns == {"lieux": ["surface"]}
    assert "colonnes ajoutées au fichier publié (table lieux) : surface" in describe(result)
    assert (root / "provenance" / "lieux.csv").read_bytes() == provenance  # no row changed
    assert package.check(root) == []  # datapackage.json's facts follow the file
    rel.release(dry_run=True)  # the advice worked
    assert consolidate([v1]).new_columns == {}  # and once is enough


AREAS = {
    "name": "aires",
    "fields": [
        {"name": "uuid", "type": "string", "constraints": {"required": True}},
        {"name": "code", "type": "string", "constraints": {"required": True, "unique": True}},
        {"name": "nom", "type": "string"},
    ],
    "primaryKey": "uuid",
}


def test_a_row_reusing_a_published_unique_value_is_rejected_alone(own_package, tmp_path):
    """The sweep: one new row reusing a published value of a ``unique`` column refused the
    whole batch (« dont ligne 5 », a line of the merged table). Only the rows that bring a
    taken value are rejected now, with the key that has it; the others are merged."""
    root = own_package(AREAS)
    consolidate([sent(tmp_path, "c1.csv", "uuid,code,nom\nu1,A,premier\nu2,B,second\n")])
    batch = sent(
        tmp_path,
        "c2.csv",
        "uuid,code,nom\n"
        "u1,A,premier modifié\n"  # an update keeping its own value: applied
        "u3,C,nouveau\n"  # fine: added
        "u4,A,code déjà pris\n"  # A is u1's: rejected
        "u2,A,vole le code\n"  # an update taking u1's value: rejected
        "u5,Z,un\n"  # Z twice in the batch: neither is applied
        "u6,Z,deux\n"
        "u4,A,code déjà pris\n",  # a repeat of a rejected row: rejected with it
    )
    result = consolidate([batch])
    by_key = {r.key: r for r in result.rows}
    assert {k: r.status for k, r in by_key.items()} == {
        "u1": "updated", "u3": "added", "u4": "rejected", "u2": "rejected",
        "u5": "rejected", "u6": "rejected",
    }  # fmt: skip
    assert by_key["u4"].reasons == [
        "code : la valeur « A » est déjà publiée pour la clé u1 (ligne 2 du fichier publié) ; "
        "elle doit être unique"
    ]
    assert (
        "clé u1" in by_key["u2"].reasons[0]
        and "clé u6 par c2.csv ligne 7" in by_key["u5"].reasons[0]
    )
    assert result.rows[-1].status == "rejected" and result.rows[-1].reasons == by_key["u4"].reasons
    assert result.balanced and result.files[0].counts["rejected"] == 5
    table = canonical.read_table(root / "datasets" / "aires.csv")
    assert table.rows == [
        ["u1", "A", "premier modifié"],
        ["u2", "B", "second"],
        ["u3", "C", "nouveau"],
    ]
    rejects = Path(result.files[0].rejects_path).read_text(encoding="utf-8")
    assert "u4,A" in rejects and "u3" not in rejects
    # the value flagged on a line left as it is (u2, later), brought by an update before it
    again = consolidate([sent(tmp_path, "c3.csv", "uuid,code,nom\nu1,B,premier modifié\n")])
    assert again.rows[0].status == "rejected"
    assert (
        "« B » est déjà publiée pour la clé u2 (ligne 3 du fichier publié)"
        in again.rows[0].reasons[0]
    )


def test_an_error_no_row_explains_refuses_the_batch_and_names_the_line_by_key(
    own_package, tmp_path
):
    """A published table already wrong (edited by hand) is not the batch's doing: the batch
    is refused, the line named by its key in the published file; ``--format json`` prints
    an object saying so (it printed nothing)."""
    root = own_package(AREAS)
    consolidate([sent(tmp_path, "c1.csv", "uuid,code,nom\nu1,A,premier\n")])
    data = root / "datasets" / "aires.csv"
    data.write_text(data.read_text(encoding="utf-8") + "u2,A,à la main\n", encoding="utf-8")
    before = published(root)
    batch = sent(tmp_path, "c2.csv", "uuid,code,nom\nu3,C,nouveau\n")
    answer = subprocess.run(
        [sys.executable, "-m", "moisinno_data", "consolidate", str(batch), "--format", "json"],
        capture_output=True, text=True, check=False, cwd=root,
    )  # fmt: skip
    assert answer.returncode == 1
    refusal = json.loads(answer.stdout)
    assert refusal["refused"] is True and refusal["written"] == []
    assert (
        "la ligne publiée de clé u2 (ligne 3 du fichier publié, colonne code)" in refusal["error"]
    )
    assert "rien n'a été écrit" in answer.stderr and ".." not in answer.stderr
    assert published(root) == before


def test_rows_still_blamed_after_the_last_pass_refuse_the_batch(own_package, tmp_path, monkeypatch):
    """The passes are bounded: what is still blamed then refuses the batch, the rows named."""
    from moisinno_data.publishing import consolidate as module

    own_package(AREAS)
    consolidate([sent(tmp_path, "c1.csv", "uuid,code,nom\nu1,A,premier\n")])
    monkeypatch.setattr(module, "MERGE_PASSES", 1)
    with pytest.raises(module.ConsolidationRefused, match=r"c2\.csv ligne 3 \(clé u4\) : code"):
        consolidate([sent(tmp_path, "c2.csv", "uuid,code,nom\nu3,C,x\nu4,A,y\n")])


def test_a_said_reason_keeps_its_english_when_copied_pickled_or_written():
    """Reasons travel: kept in results, copied, written as JSON and CSV (French), shown
    in English; a copy that lost its English would print French under ``--lang en``."""
    import copy
    import pickle

    from moisinno_data.package.text import Said, said_in

    reason = Said("même clé, autres valeurs", "same key, other values")
    for kept in (copy.copy(reason), copy.deepcopy([reason])[0], pickle.loads(pickle.dumps(reason))):
        assert (
            kept == "même clé, autres valeurs" and said_in(kept, "en") == "same key, other values"
        )
    assert json.loads(json.dumps({"why": reason})) == {"why": "même clé, autres valeurs"}
    assert said_in(reason, "fr") == "même clé, autres valeurs" and said_in("seul", "en") == "seul"
    asked = []
    lazy = Said("rejetée", lambda: asked.append(1) or "rejected")  # made only if asked for
    assert lazy == "rejetée" and asked == []
    assert said_in(lazy, "en") == said_in(lazy, "en") == "rejected" and asked == [1]
    assert pickle.loads(pickle.dumps(Said("a", lambda: "b"))).en == "b"


def test_a_schema_given_by_its_path_is_the_table_it_belongs_to(project_copy, tmp_path, monkeypatch):
    """Sweep 8: ``--schema schemas/evenements/schema.json`` was taken for a table named
    after the path: a dry run wrote ``schema.json.csv`` beside the schema (and read it back
    next time), a relative path stopped on an internal error."""
    before = published(project_copy)
    monkeypatch.chdir(project_copy)
    for path in (
        "schemas/evenements/schema.json",
        project_copy / "schemas/evenements/schema.json",
    ):
        result = consolidate(BATCH[:1], table=str(path), dry_run=True)
        assert result.files[0].table == "evenements" and result.totals["added"] == 3
    assert published(project_copy) == before
    assert sorted(p.name for p in (project_copy / "schemas" / "evenements").iterdir()) == sorted(
        p.name for p in (ROOT / "schemas" / "evenements").iterdir()
    )
    foreign = tmp_path / "autre-schema.json"
    foreign.write_text(
        (project_copy / "schemas/evenements/schema.json").read_text("utf-8"), "utf-8"
    )
    with pytest.raises(MoisinnoError, match="n'est le schéma d'aucune table du paquet"):
        consolidate(BATCH[:1], table=str(foreign), dry_run=True)
    assert not foreign.with_suffix(".json.csv").exists()


def test_a_key_given_twice_is_in_conflict_even_when_one_row_is_rejected(project_copy, tmp_path):
    """Sweep 8: of two rows of one key with other values, the wrong one was rejected and the
    other added — maybe not the one the contributor meant; validate flags the second as a
    duplicate key. Both are now set aside: one rejected, one in conflict naming it."""
    header = "id,nom,region,departement,ville,structure_porteuse,type,date_creation,site_web,statut,note,sources"
    rows = [
        "lab-fictif-double,Lab fictif A,99,,,,etat,,,,,https://exemple.gouv.fr",
        "lab-fictif-double,Lab fictif B,84,,,,etat,,,,,https://exemple.gouv.fr",
        "lab-fictif-seul,Lab fictif C,84,,,,etat,,,,,https://exemple.gouv.fr",
    ]
    path = tmp_path / "labos.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    result = consolidate([path], table="laboratoires", dry_run=True)
    fates = [(r.row, r.status) for r in result.rows]
    assert fates == [(2, "rejected"), (3, "conflicting"), (4, "added")], fates
    assert "labos.csv ligne 2" in result.rows[1].reasons[0] and result.balanced
    assert "same key, other values than a rejected row" in describe(result, lang="en")


def test_a_separator_ending_the_header_line_alone_rejects_no_row(project_copy, tmp_path):
    """Sweep 8: ``…,sources,`` on the header line only made every row « 12 cellule(s) au
    lieu de 13 » and rejected it, while fix drops that empty unnamed column."""
    header = "id,nom,region,departement,ville,structure_porteuse,type,date_creation,site_web,statut,note,sources"
    row = "lab-fictif-virgule,Lab fictif,84,,,,etat,,,,,https://exemple.gouv.fr"
    path = tmp_path / "labos.csv"
    shifted = row.replace("virgule", "decale") + ",en-trop,encore"
    path.write_text(f"{header},\n{row}\n{shifted}\n", encoding="utf-8")
    result = consolidate([path], table="laboratoires", dry_run=True)
    assert [(r.row, r.status) for r in result.rows] == [(2, "added"), (3, "rejected")]
    assert "14 cellule(s) au lieu de 13" in result.rows[1].reasons[0]
    assert "(no name, column M)" in describe(result, lang="en")


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_a_value_typed_in_xfd_is_the_one_extra_cell_validate_reads(own_package, tmp_path, fmt):
    """Sweep: validate reads a value typed in column XFD as one extra cell, but
    consolidate read its row as 16,384 cells: « 16384 cellule(s) au lieu de 2 », with a
    separator to blame, and the rejects file got the 16,381 empty cells between. The row
    is rejected as a CSV row with an extra cell is, for validate's extra cell, in XFD; the
    rejects file has the row as fix writes it, the value kept after the header's cells."""
    own_package(
        {"name": "fictif", "fields": [{"name": "id"}, {"name": "titre"}], "primaryKey": "id"}
    )
    import hostile_files as h

    far = h.far_right(
        tmp_path / f"loin.{fmt}", [["id", "titre"], ["a", "Atelier"], ["b", "Atelier fictif"]]
    )
    result = consolidate([far], table="fictif")
    assert [(r.row, r.status) for r in result.rows] == [(2, "added"), (3, "rejected")]
    (why,) = result.rows[1].reasons
    assert why.startswith("colonne XFD : La ligne a une cellule de plus que l'en-tête")
    assert "« note égarée »" in why and "séparateur" not in why
    assert said_in(why, "en").startswith("column XFD: The row has one more cell")
    rejects = Path(result.files[0].rejects_path).read_text(encoding="utf-8")
    assert rejects.splitlines()[1].endswith(",b,Atelier fictif,note égarée")
    assert rejects.count(",") < 20 and result.balanced


@pytest.mark.parametrize(("fmt", "column"), [("xlsx", 16_384), ("ods", 16_384), ("xlsx", 8_000)])
def test_a_label_typed_far_right_costs_the_cells_used_and_one_ignored_span(
    own_package, tmp_path, monkeypatch, fmt, column
):
    """A label typed in XFD1 beside a two-column table: consolidate fixed each row as
    16,384 cells (19 s and 464 MB for 1,000 rows) and listed 16,381 ignored columns,
    « (sans nom, colonne C) », « (sans nom, colonne D) »…, 400 KB of summary. The rows
    are read as short as the sheet's (a bound on the cells fixed), none is short of a
    cell, the blank columns are one span; a rejected row keeps the header's width."""
    own_package(
        {
            "name": "fictif",
            "fields": [
                {"name": "id", "constraints": {"pattern": "^[a-z0-9-]+$"}},
                {"name": "titre"},
            ],
            "primaryKey": "id",
        }
    )
    import hostile_files as h

    from moisinno_data.publishing.fix import _Fixer
    from moisinno_data.reading.xlsx import column_letter

    rows = [["id", "titre"], *[[f"fictif-{n}", f"Atelier fictif {n}"] for n in range(4)]]
    far = h.label_far_right(
        tmp_path / f"loin.{fmt}", [*rows, ["Fictif 9", "Exemple"]], column=column
    )
    fixed = []
    cell = _Fixer.cell
    monkeypatch.setattr(_Fixer, "cell", lambda self, *a: fixed.append(a) or cell(self, *a))
    result = consolidate([far], table="fictif")
    assert [r.status for r in result.rows] == ["added"] * 4 + ["rejected"]
    assert len(fixed) <= 3 * 5 and result.balanced
    span = f"(sans nom, colonnes C à {column_letter(column - 1)} : {column - 3} colonnes)"
    assert result.files[0].ignored_columns == [span, "note fictive"]
    assert f"colonnes ignorées : {span}, note fictive" in describe(result)
    rejects = Path(result.files[0].rejects_path).read_text(encoding="utf-8").splitlines()
    assert rejects[1].startswith("6,") and rejects[1].count(",") == rejects[0].count(",")


def test_a_title_above_the_header_is_left_out_as_fix_leaves_it_out(project_copy, tmp_path):
    """Sweep 8: a title line above the header made consolidate reject the file and count
    the header itself as a received, rejected row, while fix drops the title (as the
    README promises, consolidate puts each file in fix's canonical form)."""
    header = "id,nom,region,departement,ville,structure_porteuse,type,date_creation,site_web,statut,note,sources"
    rows = [
        f"lab-fictif-titre-{i},Lab fictif {i},84,,,,etat,,,,,https://exemple.gouv.fr"
        for i in (1, 2)
    ]
    path = tmp_path / "labos.csv"
    path.write_text(
        "\n".join(["Liste des laboratoires fictifs", "", header, *rows]) + "\n", "utf-8"
    )
    for table in (None, "laboratoires"):
        result = consolidate([path], table=table, dry_run=True)
        assert [(r.row, r.status) for r in result.rows] == [(4, "added"), (5, "added")]
        assert result.files[0].rows_in == 2 and result.balanced
        assert [c.rule for c in result.files[0].fixes][:2] == ["ligne-titre", "ligne-titre"]


STOPS_NA = {
    "name": "arrets",
    "missingValues": ["NA"],
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True}},
        {"name": "nom", "type": "string"},
        {"name": "nb", "type": "integer"},
        {"name": "jour", "type": "date"},
    ],
    "primaryKey": "id",
}


def test_an_absent_optional_column_is_missing_whatever_the_schemas_missing_values(
    own_package, tmp_path
):
    """Sweep 9: in a schema whose missingValues is ``["NA"]`` (no ``""``), a file without
    the optional columns nb and jour was valid for validate, but consolidate read them as
    empty cells, « pas un nombre entier », and rejected every row. Absent, they are
    missing: written as the published file writes no value there, ``NA``."""
    root = own_package(STOPS_NA)
    consolidate([sent(tmp_path, "v1.csv", "id,nom,nb,jour\na,Alpha,NA,2024-01-01\n")])
    result = consolidate([sent(tmp_path, "v2.csv", "id,nom\nb,Beta\n")])
    assert result.totals["added"] == 1, describe(result)
    data = (root / "datasets" / "arrets.csv").read_text(encoding="utf-8")
    assert data == "id,nom,nb,jour\na,Alpha,NA,2024-01-01\nb,Beta,NA,NA\n"
    schema_path = root / "schemas" / "arrets" / "schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["fields"].append({"name": "places", "type": "integer"})  # a field added later
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    result = consolidate([sent(tmp_path, "v3.csv", "id,nom\nc,Gamma\n")])
    assert result.totals["added"] == 1 and result.new_columns == {"arrets": ["places"]}
    data = (root / "datasets" / "arrets.csv").read_text(encoding="utf-8")
    assert data.splitlines()[1:] == [
        "a,Alpha,NA,2024-01-01,NA",
        "b,Beta,NA,NA,NA",
        "c,Gamma,NA,NA,NA",
    ]


def test_two_markers_of_a_missing_value_are_the_same_value():
    """Sweep 9: in a schema whose missingValues are ``""``, ``NA`` and ``-``, a file
    writing ``-`` where ``NA`` was published made « population : « NA » → « - » » a
    modification (and a release); both say "no value". In a table without a key, such a
    row sent again was a new row."""
    from moisinno_data.publishing.consolidate import typed_key, typed_same

    fields = [{"name": "id"}, {"name": "n", "type": "integer"}, {"name": "nom"}]
    schema = {"missingValues": ["", "NA", "-"], "fields": fields, "primaryKey": ["id"]}
    table = canonical.CsvTable(["id", "n", "nom"], [["a", "NA", "-"]], ["id"])
    for n, nom in (("-", ""), ("", "NA")):
        sent = {"id": "a", "n": n, "nom": nom}
        rows, fate = merge(table, [Candidate(0, ("a",), sent)], same=typed_same(schema))
        assert fate[0][0] == "unchanged" and rows == table.rows  # the published marker stays
    _rows, fate = merge(
        table, [Candidate(0, ("a",), {"id": "a", "n": "0"})], same=typed_same(schema)
    )
    assert fate[0] == ("updated", {"n": ("NA", "0")}, None, 0)
    keyless = {"missingValues": ["", "NA", "-"], "fields": fields}
    table = canonical.CsvTable(["id", "n", "nom"], [["a", "NA", "x"]], [])
    again = Candidate(0, ("a", "-", "x"), {"id": "a", "n": "-", "nom": "x"})
    rows, fate = merge(table, [again], typed_key(keyless), typed_same(keyless))
    assert fate[0][0] == "unchanged" and rows == table.rows


def test_a_repeated_unique_keys_combination_is_blamed_on_the_row_that_brings_it(
    own_package, tmp_path
):
    """``uniqueKeys`` as the ``unique`` columns are: a row bringing a combination already
    published, or given by another row of the batch, is rejected naming who has it; the
    others are merged, and the batch is never refused whole for it."""
    own_package(
        {
            "name": "creneaux",
            "primaryKey": "id",
            "uniqueKeys": [["salle", "jour"]],
            "fields": [{"name": "id"}, {"name": "salle"}, {"name": "jour", "type": "date"}],
        }
    )
    consolidate([sent(tmp_path, "c1.csv", "id,salle,jour\nr1,A,2020-11-17\n")])
    batch = sent(
        tmp_path,
        "c2.csv",
        "id,salle,jour\n"
        "r2,A,2020-11-17\n"  # r1's combination: rejected
        "r3,B,2020-11-17\n"  # fine: added
        "r4,C,2020-11-18\n"  # C on the 18th twice in the batch: neither
        "r5,C,2020-11-18\n",
    )
    result = consolidate([batch])
    by_key = {r.key: r for r in result.rows}
    assert {k: r.status for k, r in by_key.items()} == {
        "r2": "rejected", "r3": "added", "r4": "rejected", "r5": "rejected",
    }  # fmt: skip
    assert by_key["r2"].reasons == [
        "salle, jour : la valeur « A, 2020-11-17 » est déjà publiée pour la clé r1 "
        "(ligne 2 du fichier publié) ; elle doit être unique"
    ]
    assert "clé r5 par c2.csv ligne 5" in by_key["r4"].reasons[0]
    assert result.balanced


AIDES = {
    "name": "aides",
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True, "unique": True}},
        {"name": "titre", "type": "string"},
        {"name": "code", "type": "string", "constraints": {"unique": True}},
    ],
}


def test_a_unique_required_field_names_the_rows_of_a_table_without_primary_key(
    own_package, tmp_path
):
    """Sweep 11 (dispositif-aide: no primaryKey, ``id`` unique): a row sent again with its
    ``id`` and another title was rejected, « clé » being the whole row, for reusing its own
    ``id``. That field names the row: the row is modified, its key is the ``id``."""
    root = own_package(AIDES)
    consolidate([sent(tmp_path, "c1.csv", "id,titre,code\nA1,Aide fictive,X\nA2,Autre,\n")])
    result = consolidate([sent(tmp_path, "c2.csv", "id,titre,code\nA1,Aide fictive 2025,X\n")])
    assert [(r.key, r.status) for r in result.rows] == [("A1", "updated")]
    table = canonical.read_table(root / "datasets" / "aides.csv")
    assert table.rows == [["A1", "Aide fictive 2025", "X"], ["A2", "Autre", ""]]
    provenance = canonical.read_table(root / "provenance" / "aides.csv")
    assert [r[:2] for r in provenance.rows][-1] == ["A1", "modification"]


def test_a_unique_field_that_may_be_empty_names_no_row():
    """Many rows may leave an optional ``unique`` field empty: it cannot name them."""
    optional = {**AIDES, "fields": [AIDES["fields"][1], AIDES["fields"][2]]}
    assert canonical.identity_key(AIDES) == ["id"]
    assert canonical.identity_key(optional) == []
    assert canonical.row_identity(optional) == ["titre", "code"]
    combined = {**optional, "uniqueKeys": [["titre", "code"]]}
    assert canonical.identity_key(combined) == []
    required = [{**f, "constraints": {"required": True}} for f in optional["fields"]]
    assert canonical.identity_key({**combined, "fields": required}) == ["titre", "code"]


BORNES = {
    "name": "bornes",
    "fields": [
        {"name": "nom_amenageur", "type": "string"},
        {"name": "contact", "type": "string"},
        {"name": "id_pdc", "type": "string"},
        {"name": "puissance", "type": "integer", "constraints": {"required": True}},
    ],
}


def test_a_keyless_row_is_named_short_in_provenance_and_messages(own_package, tmp_path):
    """Sweep 11: in a table without any identifier (IRVE), provenance's ``cle`` held the
    whole row (600 characters, 2 KB for dispositif-aide) and so did the messages. It is a
    short label (the cells that tell the file's rows apart first) and a digest of the row."""
    from moisinno_data.publishing.row_labels import digest

    root = own_package(BORNES)
    long = "Société fictive X" + " très longue" * 20
    text = f"nom_amenageur,contact,id_pdc,puissance\n{long},c@fictif.fr,FRX01E1,22\n"
    text += f"{long},c@fictif.fr,FRX01E2,abc\n"
    result = consolidate([sent(tmp_path, "c1.csv", text)])
    added, rejected = result.rows
    whole = (long, "c@fictif.fr", "FRX01E1", "22")
    label = f"id_pdc=FRX01E1; puissance=22; nom_amenageur={long}"[:80]
    assert added.key == f"{label}… #{digest(whole)}"
    assert rejected.status == "rejected" and rejected.key.startswith("id_pdc=FRX01E2;")
    provenance = canonical.read_table(root / "provenance" / "bornes.csv")
    assert [r[:2] for r in provenance.rows] == [[added.key, "ajout"]]
    assert "ligne 3 : id_pdc=FRX01E2" in describe(result)


CLOCKS = {
    "name": "comptages-fictifs",
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True}},
        {"name": "maj", "type": "datetime"},
    ],
    "primaryKey": ["id"],
}


def test_a_resent_workbook_without_offsets_is_unchanged(own_package, tmp_path):
    """Sweep 11: the re-sent row without its offset (Excel stores none) was « modifiée »
    « …+01:00 » → « …T00:00:00 »; it is the published moment in Paris, unchanged."""
    root = own_package(CLOCKS)
    published = root / "datasets" / "comptages-fictifs.csv"
    published.write_text("id,maj\na,2024-01-01T00:00:00+01:00\n", encoding="utf-8")
    path = sent(tmp_path, "envoi.csv", "id,maj\na,2024-01-01T00:00:00\n")
    result = consolidate([path], table="comptages-fictifs", dry_run=True)
    assert [row.status for row in result.rows] == ["unchanged"]


def test_a_time_the_paris_clocks_skip_or_repeat_is_refused(own_package, tmp_path):
    """Sweep 11: ``26/03/2023 02:30`` was published as ``2023-03-26T02:30:00`` and
    loaded an hour off. A value to check: the row is rejected, saying why."""
    own_package(CLOCKS)
    text = "id,maj\na,26/03/2023 02:30\nb,2023-10-29T02:30:00\nc,2023-10-29T03:30:00\n"
    result = consolidate([sent(tmp_path, "envoi.csv", text)], dry_run=True)
    assert [row.status for row in result.rows] == ["rejected", "rejected", "added"]
    assert "n'existe pas à Paris" in str(result.rows[0].reasons[0])
    assert "existe deux fois à Paris" in str(result.rows[1].reasons[0])


def test_a_number_in_other_digits_is_published_in_plain_digits(own_package, tmp_path):
    """``1_000``, ``١٢.٥``: frictionless reads them, validate warns of them; consolidate
    published them as received (fix's canonical form left them), which load then refused
    as a corrupt release (« n'est pas un nombre »). Published as fix writes them."""
    root = own_package(
        {
            "name": "comptages",
            "fields": [
                {"name": "id", "type": "string", "constraints": {"required": True}},
                {"name": "effectif", "type": "integer"},
                {"name": "montant", "type": "number"},
            ],
            "primaryKey": "id",
        }
    )
    text = "id,effectif,montant\nfictif-1,1_000,١٢.٥\nfictif-2,１２,7\n"
    result = consolidate([sent(tmp_path, "envoi.csv", text)], table="comptages")
    assert result.totals["added"] == 2 and result.totals["rejected"] == 0
    table = canonical.read_table(root / "datasets" / "comptages.csv")
    assert table.rows == [["fictif-1", "1000", "12.5"], ["fictif-2", "12", "7"]]


def test_a_date_time_at_the_end_of_the_day_is_published_as_the_next_midnight(own_package, tmp_path):
    """``2022-10-18T24:00:00``: frictionless reads it, consolidate published it as
    received, and load then refused the whole table. Published as fix writes it."""
    root = own_package(
        {
            "name": "releves",
            "fields": [
                {"name": "id", "type": "string", "constraints": {"required": True}},
                {"name": "horodatage", "type": "datetime"},
            ],
            "primaryKey": "id",
        }
    )
    text = "id,horodatage\nfictif-1,2022-10-18T24:00:00\nfictif-2,2022-10-18T24:00:00+02:00\n"
    result = consolidate([sent(tmp_path, "envoi.csv", text)], table="releves")
    assert result.totals["added"] == 2 and result.totals["rejected"] == 0
    table = canonical.read_table(root / "datasets" / "releves.csv")
    assert table.rows == [
        ["fictif-1", "2022-10-19T00:00:00"],
        ["fictif-2", "2022-10-19T00:00:00+02:00"],
    ]


def test_one_spelling_per_boolean_and_month_is_published(own_package, tmp_path):
    """``1``, ``True`` (and a workbook's number 1) in a boolean column, ``2022-1`` in a
    yearmonth one were published as received beside ``true`` and ``2022-01``: one column,
    two spellings of one value. Now written as ``oui`` is: the column's first true (false)
    value, and AAAA-MM."""
    import openpyxl

    root = own_package(
        {
            "name": "ouvertures",
            "fields": [
                {"name": "id", "type": "string", "constraints": {"required": True}},
                {"name": "ouvert", "type": "boolean"},
                {"name": "mois", "type": "yearmonth"},
            ],
            "primaryKey": "id",
        }
    )
    text = "id,ouvert,mois\nfictif-1,1,2022-1\nfictif-2,True,2022-01\nfictif-3,0,2022-012\n"
    book = openpyxl.Workbook()
    book.active.append(["id", "ouvert", "mois"])
    book.active.append(["fictif-4", 1, "2022-3"])
    book.active.append(["fictif-5", False, "2022-03"])
    book.save(tmp_path / "envoi.xlsx")
    sent_files = [sent(tmp_path, "envoi.csv", text), tmp_path / "envoi.xlsx"]
    result = consolidate(sent_files, table="ouvertures")
    assert result.totals["added"] == 5 and result.totals["rejected"] == 0
    table = canonical.read_table(root / "datasets" / "ouvertures.csv")
    assert table.rows == [
        ["fictif-1", "true", "2022-01"],
        ["fictif-2", "true", "2022-01"],
        ["fictif-3", "false", "2022-12"],
        ["fictif-4", "true", "2022-03"],
        ["fictif-5", "false", "2022-03"],
    ]


def test_a_contribution_that_cannot_be_read_is_rejected_and_the_others_merged(
    own_package, tmp_path
):
    """A workbook whose first sheet is empty stopped the whole batch (exit 2), where a
    first sheet of notes rejected that file alone: the contributor's file, not the command,
    is at fault, and the other contributions of the batch are merged."""
    import openpyxl

    root = own_package({"name": "lieux", "fields": [{"name": "id", "type": "integer"}]})
    good = sent(tmp_path, "bon.csv", "id\n7\n")
    book = openpyxl.Workbook()
    book.active.title = "vide"
    book.create_sheet("donnees").append(["id"])
    unreadable = tmp_path / "feuille-vide-dabord.xlsx"
    book.save(unreadable)
    result = consolidate([good, unreadable])
    assert ids(root, "lieux") == ["7"] and result.balanced
    assert result.files[1].file_errors == [
        "fichier illisible : la feuille « vide » est vide ; le classeur a d'autres feuilles"
        " (« donnees ») : choisissez celle qui tient le tableau (option --sheet, ou « Feuille »"
        " sur la page de validation)."
    ]
    assert "FILE REJECTED: unreadable file: sheet “vide” is empty;" in describe(result, lang="en")
    journal = (root / "prive" / "journal.csv").read_text(encoding="utf-8")
    assert "feuille-vide-dabord.xlsx" in journal


def test_a_keyless_row_sent_again_spelled_otherwise_is_unchanged(own_package, tmp_path):
    """Sweep 16 (a real IRVE charge point re-sent): in a table without identifier, a row
    is known by all its values as their type reads them, but a number, a date in the
    field's own format or a geopoint was compared as written: ``22.0`` for ``22`` added
    the row again to the published table. It is unchanged; nothing is appended."""
    root = own_package({"name": "bornes", "fields": [
        {"name": "nom"}, {"name": "puissance", "type": "number"},
        {"name": "mise_en_service", "type": "date", "format": "%d/%m/%Y"},
        {"name": "coordonnees", "type": "geopoint", "format": "array"},
    ]})  # fmt: skip
    header = "nom,puissance,mise_en_service,coordonnees\n"
    first = sent(tmp_path, "a.csv", header + 'Borne fictive,22,05/01/2024,"[7.48, 48.34]"\n')
    assert consolidate([first]).totals["added"] == 1
    again = sent(tmp_path, "b.csv", header + 'Borne fictive,22.0,5/1/2024,"[7.480,48.34]"\n')
    result = consolidate([again])
    assert result.totals["unchanged"] == 1 and result.totals["added"] == 0
    assert len(canonical.read_table(root / "datasets" / "bornes.csv").rows) == 1


def test_a_sheet_asked_of_a_csv_is_said_ignored_as_validate_and_fix_say(own_package, tmp_path):
    """Stop 37 (CLI sweep): ``consolidate --sheet X`` on a CSV ignored X without a word,
    where validate and fix say « feuille « X » demandée mais ignorée ». It is said, in
    the terminal summary, in the asked language."""
    own_package({"name": "lieux", "fields": [{"name": "id", "type": "integer"}]})
    result = consolidate([sent(tmp_path, "lieux.csv", "id\n7\n")], sheet="Feuille2", dry_run=True)
    assert result.files[0].detected["sheet_ignored"] == "Feuille2"
    said = "  feuille « Feuille2 » demandée mais ignorée : un CSV n'a qu'un tableau"
    assert said in describe(result).splitlines()
    assert (
        '  sheet "Feuille2" asked for but ignored: a CSV holds one table'
        in describe(result, lang="en").splitlines()
    )
