"""Consolidation holds every row of a batch until the end: its memory is budgeted while
reading (``Budget.max_held_cells``), and what it saves on the way changes no output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from moisinno_data.cli import main
from moisinno_data.publishing import consolidate as consolidation
from moisinno_data.reading import Budget, limits

HEADER = "id,edition,titre,format,modalite,region,departement,commune,gratuit,sources"


def events(folder: Path, name: str, count: int, start: int = 0) -> Path:
    """``count`` made-up events whose codes, flags and sources repeat, as real ones do;
    one in seven has a format no list holds (rejected), ids run from ``start``."""
    lines = [HEADER]
    for i in range(start, start + count):
        form = "format-fictif" if i % 7 == 3 else ("atelier", "webinaire")[i % 2]
        lines.append(
            f"2024-atelier-fictif-{i},2024,Atelier fictif {i},{form},"
            f"{('presentiel', 'en-ligne')[i % 2]},52,44,44109,{('true', 'false')[i % 3 > 0]},"
            "https://exemple.fr/source-fictive"
        )
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def state(root: Path) -> dict[str, bytes]:
    """Every file of the package folder, as bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_a_batch_past_the_cells_budget_is_refused_while_reading(
    project_copy, tmp_path, monkeypatch, capsys
):
    """A contribution near the reading budget's 40M cells needed ~8 GB to consolidate and
    could get the process killed: past ``max_held_cells`` it is refused, in one sentence,
    exit 2, before its rows are all read, and nothing of the package is touched."""
    from moisinno_data import reading

    sent = events(tmp_path, "gros-fictif.csv", 1000)
    pulled = []
    opened = reading.read_rows

    def counting(*args, **kwargs):
        table = opened(*args, **kwargs)
        table.rows = (pulled.append(n) or (n, cells) for n, cells in table.rows)
        return table

    monkeypatch.setattr(reading, "read_rows", counting)
    before = state(project_copy)
    with limits(Budget(max_held_cells=100)):
        code = main(["consolidate", str(sent)])
        err = capsys.readouterr().err
        assert code == 2 and "Traceback" not in err
        assert err.strip() == (
            f"Erreur : {sent} : trop de cellules pour être consolidé en une fois : plus de 100 "
            "cellules lues (11 lignes × 10 colonnes) ; découpez-le en fichiers de 10 lignes au "
            "plus et consolidez-les l'un après l'autre."
        )
        assert len(pulled) == 11  # refused at the row that passed the budget, not at the end
        assert main(["consolidate", str(sent), "--lang", "en"]) == 2
        assert capsys.readouterr().err.strip() == (
            f"Error: {sent}: too many cells to be consolidated at once: more than 100 cells "
            "read (11 rows × 10 columns); split it into files of 10 rows at most and "
            "consolidate them one after the other."
        )
    assert state(project_copy) == before  # no journal, no rejects, no lock left


def test_the_budget_is_the_whole_batchs(project_copy, tmp_path, capsys):
    """Every file of a batch is held until the merge: two files under the budget alone
    pass it together, and the second is named with what the first already took."""
    first, second = events(tmp_path, "a-fictif.csv", 6), events(tmp_path, "b-fictif.csv", 6, 6)
    before = state(project_copy)
    with limits(Budget(max_held_cells=100)):
        assert main(["consolidate", str(first), str(second), "--dry-run"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"Erreur : {second} : trop de cellules pour être consolidé en une fois : plus de 100 "
        "cellules lues (5 lignes × 10 colonnes, en plus des 60 des fichiers précédents) ; "
        "consolidez-le à part, ou découpez-le en fichiers de 4 lignes au plus et "
        "consolidez-les l'un après l'autre."
    )
    assert state(project_copy) == before
    with limits(Budget(max_held_cells=120)):  # the budget met exactly: consolidated
        assert main(["consolidate", str(first), str(second), "--dry-run"]) == 1  # rejects


@pytest.mark.parametrize("kept", [1, 3, 4096])
def test_sharing_repeated_values_changes_no_output(
    project_copy, tmp_path, monkeypatch, capsys, kept
):
    """Repeated values are held once while a batch is read (:func:`_shared`), however few
    of a column's values are kept: the published files, provenance, rejects, journal and
    the JSON are byte for byte those of the same batch read without sharing."""
    sent = [events(tmp_path, "a-fictif.csv", 40), events(tmp_path, "b-fictif.csv", 30, 20)]
    other = tmp_path / "autre-projet"
    shutil.copytree(project_copy, other)

    def run(root: Path) -> tuple[dict[str, bytes], str]:
        monkeypatch.setenv("MOISINNO_ROOT", str(root))
        args = [*map(str, sent), "--received", "2024-12-01", "--format", "json"]
        assert main(["consolidate", *args]) == 1  # some rows rejected
        return state(root), capsys.readouterr().out.replace(str(root), "<racine>")

    monkeypatch.setattr(consolidation, "SHARED_PER_COLUMN", kept)
    shared = run(project_copy)
    monkeypatch.setattr(consolidation, "_shared", lambda rows, _width: rows)
    assert shared == run(other)
    assert b"2024-atelier-fictif-49," in shared[0]["datasets/evenements.csv"]


@pytest.mark.parametrize(
    ("lang", "said"), [("fr", "{n} millions de cellules au plus par lot"), ("en", "{n} million")]
)
def test_the_help_says_the_budget(capsys, lang, said):
    """``--help`` says the default budget, in both languages: the number is written
    there by hand, so it follows :attr:`Budget.max_held_cells` or this fails."""
    with pytest.raises(SystemExit):
        main(["consolidate", "--help", "--lang", lang])
    out = " ".join(capsys.readouterr().out.split())
    assert said.format(n=Budget().max_held_cells // 1_000_000) in out
