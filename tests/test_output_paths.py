"""An output path that cannot be written (a part of it is a file) is one sentence, exit 2,
for every command that writes: never an internal error, nothing written, nothing lost."""

from __future__ import annotations

import pytest
from conftest import ROOT

from moisinno_data.cli import main

EXAMPLES = ROOT / "examples"


@pytest.fixture
def package(tmp_path, monkeypatch, capsys):
    """A new data package (the parkings example) as the current folder, with a contribution
    ``recu.csv`` in it."""
    monkeypatch.delenv("MOISINNO_ROOT", raising=False)
    monkeypatch.setenv("MOISINNO_STORE", str(tmp_path / "releases"))
    folder = tmp_path / "pkg"
    assert (
        main(["init", str(folder), "--schema", str(EXAMPLES / "schema-parkings-fictifs.json")]) == 0
    )
    monkeypatch.chdir(folder)
    (folder / "recu.csv").write_bytes((EXAMPLES / "parkings-fictifs.csv").read_bytes())
    capsys.readouterr()
    return folder


def _snapshot(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize(
    "argv",
    [
        ["fix", "recu.csv", "-o", "recu.csv/corrige.csv"],
        ["fix", "recu.csv", "-o", "recu.csv/a/b/corrige.csv"],
        ["validate", "recu.csv", "--format", "html", "-o", "recu.csv/rapport.html"],
        ["template", "-o", "recu.csv/modele.xlsx"],
        ["consolidate", "recu.csv", "--rejects", "recu.csv"],
    ],
    ids=["fix", "fix-deeper", "validate", "template", "consolidate-rejects"],
)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_output_under_a_file_is_one_sentence(package, capsys, argv, lang):
    before = _snapshot(package)
    code = main([*argv, "--lang", lang])
    err = capsys.readouterr().err
    assert code == 2, err
    if lang == "en":
        assert "Error: Cannot write recu.csv" in err and "recu.csv is a file, not a folder" in err
    else:
        assert "Erreur : Impossible d'écrire recu.csv" in err
        assert "recu.csv est un fichier, pas un dossier" in err
    assert "Internal error" not in err and "Erreur interne" not in err
    after = _snapshot(package)
    assert after == before  # the contribution, datasets/, the journal: all untouched


def test_publishing_to_a_folder_under_a_file_is_one_sentence(package, capsys):
    assert main(["release"]) == 0
    capsys.readouterr()
    code = main(["publish", "--url", "recu.csv/portail", "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Cannot write recu.csv/portail" in err and "recu.csv is a file, not a folder" in err
    assert (package / "recu.csv").read_bytes() == (EXAMPLES / "parkings-fictifs.csv").read_bytes()
