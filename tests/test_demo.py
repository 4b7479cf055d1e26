"""Main job: ``moisinno demo`` runs the whole chain on a copy, offline, rerunnable."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            digest.update(str(p.relative_to(folder)).encode() + p.read_bytes())
    return digest.hexdigest()


def run_demo(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "moisinno_data", "demo", *args],
        capture_output=True, text=True, cwd=cwd, check=False,
    )  # fmt: skip


def test_demo_end_to_end_on_a_copy(tmp_path):
    watched = ("datasets", "schemas", "provenance", "prive", "releases")
    real = {name: tree_digest(ROOT / name) for name in watched}
    real_package = (ROOT / "datapackage.json").read_bytes()
    work = tmp_path / "demo"
    result = run_demo("--workdir", str(work))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for step in range(1, 8):
        assert f"[{step}/7]" in out
    assert "Bilan : 10 ligne(s) reçue(s) = 6 ajoutée(s) + 0 modifiée(s) + 1 inchangée(s) + 1 rejetée(s) + 2 en conflit" in out  # fmt: skip
    assert "0 ajoutée(s) + 0 modifiée(s) + 7 inchangée(s)" in out  # replay changes nothing
    assert (
        "0.1.0 → 0.2.0 : changement mineur" in out and "0.2.0 → 0.2.1 : changement correctif" in out
    )
    assert "« Atelier fictif sur l'accueil des usagers » → « Atelier fictif sur l'accueil des usagers (complet) »" in out  # fmt: skip
    # the work folder holds the whole story
    assert sorted(p.name for p in (work / "releases").iterdir() if p.is_dir()) == ["0.1.0", "0.2.0", "0.2.1"]  # fmt: skip
    assert "## 0.2.1" in (work / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "2024-exemple-prefecture-fictive-atelier" in (work / "datasets" / "evenements.csv").read_text()  # fmt: skip
    assert any((work / "prive" / "rejets").iterdir())
    assert (work / "portail").is_dir() and "Version 0.2.1 publiée" in out
    # inside the copy, every command works on the copy (its package, its releases/)
    inside = subprocess.run(
        [sys.executable, "-m", "moisinno_data", "diff", "0.2.0", "0.2.1"],
        capture_output=True, text=True, cwd=work, check=False,
    )  # fmt: skip
    assert inside.returncode == 0, inside.stderr
    assert "2024-exemple-prefecture-fictive-atelier" in inside.stdout
    # the real data package is untouched
    assert {name: tree_digest(ROOT / name) for name in watched} == real
    assert (ROOT / "datapackage.json").read_bytes() == real_package


def test_demo_is_rerunnable_and_never_clobbers_other_folders(tmp_path):
    work = tmp_path / "demo"
    assert run_demo("--workdir", str(work), "--sans-publication").returncode == 0
    (work / "datasets" / "trace.txt").write_text("reste d'une démo précédente")
    second = run_demo("--workdir", str(work), "--sans-publication")
    assert second.returncode == 0, second.stderr
    assert "remplacée par une copie neuve" in second.stdout
    assert not (work / "datasets" / "trace.txt").exists()
    mine = tmp_path / "mes-donnees"
    mine.mkdir()
    (mine / "important.csv").write_text("ne pas effacer")
    refused = run_demo("--workdir", str(mine))
    assert refused.returncode == 2 and "n'est pas un dossier de démo" in refused.stderr
    assert (mine / "important.csv").read_text() == "ne pas effacer"


def test_demo_default_folder_is_gitignored():
    assert "/demo/" in (ROOT / ".gitignore").read_text()


def test_demo_speaks_english_with_lang_en(tmp_path):
    """``--lang en`` was French from the first line to the last: the steps, the versions'
    reasons, why a row was rejected, the publication plan. The data (changelog entries,
    contributors' names) and the private rejects file stay French, as the package keeps
    them."""
    work = tmp_path / "demo"
    result = run_demo("--workdir", str(work), "--lang", "en")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for said in (
        "Copy of the data package in",
        "[1/7] Validation of the published tables",
        "first version of the local store: 0.1.0",
        "Balance: 10 row(s) received = 6 added",
        "The same batch replayed changes nothing: Balance:",
        "0.1.0 → 0.2.0: minor (additions) change",
        "0.2.0 → 0.2.1: patch (corrections) change",
        "Plan to publish version 0.2.1 on local folder",
        "In all: ",
        "Version 0.2.1 published: ",
        "Demo over in ",
        '! line 3: 2024-exemple-invalide rejected — Value "sur place" in column modalite is '
        "not one of the allowed values (en-ligne, presentiel, hybride).",
        "conflicting — same key, other values: 03-ministere-fictif-evenements-avec-erreurs.csv "
        "line 5",
        "— identical duplicate of 03-ministere-fictif-evenements-avec-erreurs.csv line 2",
    ):
        assert said in out, said
    for french in ("Validation des tables", "Bilan :", "Plan de publication", "Démo terminée"):
        assert french not in out, french
    for french in ("même clé", "La valeur", "doublon identique"):
        assert f"— {french}" not in out, french
    (rejects,) = (work / "prive" / "rejets").iterdir()
    text = rejects.read_text(encoding="utf-8")
    assert "même clé, autres valeurs" in text and "n'est pas dans la liste autorisée" in text
