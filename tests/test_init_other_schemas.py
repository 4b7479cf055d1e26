"""The whole chain (init, validate, fix, consolidate, release) on real schemas of
schema.data.gouv.fr that are not ours, run through the CLI as their publisher would.

The files are copied unchanged from etalab's repositories (Licence Ouverte); each fixture
folder's SOURCE.md names the repository and commit.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from conftest import ROOT
from test_init import moisinno

COMPTAGE = ROOT / "tests" / "fixtures" / "schema-comptage-mobilites-channel"
MISPLACED = ("temporality", "started_at", "ended_at", "last_updated_at", "time_step")


def test_init_says_what_the_comptage_schema_declares_that_nothing_applies(tmp_path):
    """Sweep I: etalab's schema-comptage-mobilites-channel 0.2.0 writes ``"required"`` (and
    one ``"enum"``) beside ``constraints`` on seven fields. init made the package without a
    word; then every validate report, the contributors' included, warned seven times about
    a schema only the publisher can correct. init now says each, with the file to correct."""
    shutil.copy(COMPTAGE / "schema.json", tmp_path / "schema.json")
    made = moisinno("init", "pkg", "--schema", "schema.json", cwd=tmp_path)
    assert made.returncode == 0 and "Paquet de données créé" in made.stdout, made.stderr
    said = made.stderr.splitlines()
    assert len(said) == 7, made.stderr
    assert said[0] == (
        "Attention : table schema-comptage-mobilites-channel : Schéma : champ « temporality » "
        ": « required » doit être placé dans « constraints » ; écrit à côté, il n'est pas "
        "appliqué, et frictionless refuse le schéma (le datapackage.json publié aussi). "
        "Corrigez-le dans schemas/schema-comptage-mobilites-channel/schema.json : sinon "
        "chaque rapport de validate le redit aux contributeurs."
    )
    assert all(any(f"« {name} »" in line for line in said) for name in MISPLACED)
    english = moisinno(
        "--lang", "en", "init", "en", "--schema", "schema.json", "--json", cwd=tmp_path
    )
    warnings = json.loads(english.stdout)["warnings"]
    assert len(warnings) == 7 and warnings[0].startswith(
        'table schema-comptage-mobilites-channel: Schema: field "temporality": "required" '
        'belongs inside "constraints"'
    ), warnings


def test_the_comptage_examples_through_the_whole_chain(tmp_path):
    """Sweep I, measured against frictionless 5 (with the seven declarations moved into
    ``constraints``, which it needs to read the schema at all): both valid examples valid,
    the ``+0200`` offsets included; the invalid one refused for its duplicated key and its
    two ``mobility_type`` values outside the pattern. Consolidated, no row is lost."""
    for name in ("schema.json", "exemple-valide.csv", "exemple-valide-eco-compteur.csv"):
        shutil.copy(COMPTAGE / name, tmp_path / name)
    shutil.copy(COMPTAGE / "exemple-invalide.csv", tmp_path / "exemple-invalide.csv")
    assert moisinno("init", "pkg", "--schema", "schema.json", cwd=tmp_path).returncode == 0
    pkg = tmp_path / "pkg"
    for name in ("exemple-valide.csv", "exemple-valide-eco-compteur.csv"):
        report = moisinno("validate", f"../{name}", "--json", cwd=pkg)
        assert report.returncode == 0 and json.loads(report.stdout)["valid"], report.stdout
    refused = moisinno("validate", "../exemple-invalide.csv", "--json", cwd=pkg)
    errors = json.loads(refused.stdout)["errors"]
    assert refused.returncode == 1
    assert sorted((e["code"], e["row"]) for e in errors) == [
        ("constraint-error", 4),
        ("constraint-error", 5),
        ("primary-key", 3),
    ]
    merged = moisinno(
        "consolidate", "../exemple-valide.csv", "../exemple-valide-eco-compteur.csv", cwd=pkg
    )
    assert "6 ligne(s) reçue(s) = 6 ajoutée(s)" in merged.stdout, merged.stdout + merged.stderr
    mixed = moisinno("consolidate", "../exemple-invalide.csv", cwd=pkg)
    assert mixed.returncode == 1
    assert (
        "4 ligne(s) reçue(s) = 1 ajoutée(s) + 0 modifiée(s) + 1 inchangée(s) + 2 rejetée(s)"
        in mixed.stdout
    ), mixed.stdout
    rejects = next((pkg / "prive" / "rejets").glob("exemple-invalide-*.csv"))
    with rejects.open(encoding="utf-8", newline="") as handle:
        kept = [row["channel_id"] for row in csv.DictReader(handle)]
    assert kept == ["test-mob-type-incorrect-001", "test-mob-type-incorrect-002"]
    released = moisinno("release", cwd=pkg)
    assert released.returncode == 0, released.stdout + released.stderr
    published = Path(pkg / "datasets" / "schema-comptage-mobilites-channel.csv")
    assert len(published.read_text(encoding="utf-8").splitlines()) == 1 + 7
