"""Consolidation holds every row of a batch until the end: what it saves on the way
changes no output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from moisinno_data.cli import main
from moisinno_data.publishing import consolidate as consolidation

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
