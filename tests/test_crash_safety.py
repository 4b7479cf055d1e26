"""A kill at any step of ``release`` or ``consolidate``, or a full disk, leaves a state the
next command repairs by itself: the previous state (or, past the commit point, the new
one), no transaction folder, no hidden ``.txn`` file anywhere.

Kills go through the crash-point seam (``MOISINNO_CRASH_AT``, ``os._exit(137)`` at a named
step, like ``kill -9``): deterministic, every step covered, no timing involved.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from test_release import append_row, state, store

from moisinno_data.cli import main
from moisinno_data.publishing import release as rel
from moisinno_data.publishing import transaction
from moisinno_data.publishing.consolidate import consolidate

EXAMPLES = ROOT / "examples" / "contributions"
BATCH = [
    EXAMPLES / "01-prefecture-fictive-evenements.csv",
    EXAMPLES / "02-laboratoires-fictifs.xlsx",
    EXAMPLES / "03-ministere-fictif-evenements-avec-erreurs.csv",
]
COMMITTED = {"cleanup"}  # past the commit point: the new state stays


@pytest.fixture
def project(project_copy, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    return project_copy


def _killed_at(point: str, *args: str) -> None:
    env = {**os.environ, "MOISINNO_CRASH_AT": point}
    done = subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 137, f"never reached {point!r}: {done.stderr}"


def _leftovers(*bases: Path) -> list[str]:
    found = []
    for base in bases:
        if not base.exists():
            continue
        for p in base.rglob("*"):
            if p.name == transaction.JOURNAL_DIR or p.name.endswith(transaction.STAGED_SUFFIX):
                found.append(str(p))
    return found


def _everything(root: Path) -> dict[str, bytes]:
    """The package, the store and the private records (journal, rejects)."""
    files = state(root)
    private = root / "prive"
    for p in sorted(private.rglob("*")) if private.exists() else []:
        if p.is_file() and not p.name.startswith("."):
            files[f"prive/{p.relative_to(private)}"] = p.read_bytes()
    return files


@pytest.mark.parametrize("point", transaction.CRASH_POINTS)
def test_release_killed_at_any_step_is_repaired_by_the_next_release(project, point):
    rel.release(validate=False)
    append_row(project)
    before = _everything(project)
    code = "from moisinno_data.publishing import release; release.release(validate=False)"
    _killed_at(point, "-c", code)
    check = rel.release(validate=False, dry_run=True)  # any next command repairs first
    assert check.recovered
    assert _leftovers(project, store().root) == []
    if point in COMMITTED:
        assert store().versions() == ["0.1.0", "0.2.0"] and check.version is None
        assert json.loads((project / "datapackage.json").read_text())["version"] == "0.2.0"
    else:
        assert _everything(project) == before
        assert store().versions() == ["0.1.0"]
        assert rel.release(validate=False).version == "0.2.0"


@pytest.mark.parametrize("point", [p for p in transaction.CRASH_POINTS if p != "dir"])
def test_consolidate_killed_at_any_step_is_repaired_by_the_next_command(project, point):
    before = _everything(project)
    _killed_at(point, "-m", "moisinno_data", "consolidate", *map(str, BATCH))
    consolidate(BATCH, dry_run=True)  # any next command repairs first
    assert _leftovers(project) == []
    after = _everything(project)
    journal = project / "prive" / "journal.csv"
    if point in COMMITTED:
        # published rows and their journal entries landed together
        assert after != before and len(journal.read_text(encoding="utf-8").splitlines()) == 4
        assert list((project / "prive" / "rejets").glob("*.csv"))
    else:
        assert after == before and not journal.exists()
        result = consolidate(BATCH)
        assert result.totals["added"] > 0 and journal.is_file()


def test_a_journal_whose_backups_are_gone_is_taken_as_committed(project):
    """What an older cleanup could leave (``backups/`` deleted before ``journal.json``):
    every later command failed on FileNotFoundError until the folder was removed by hand."""
    rel.release(validate=False)
    append_row(project)
    code = "from moisinno_data.publishing import release; release.release(validate=False)"
    _killed_at("before-cleanup", "-c", code)
    journal_dir = project / transaction.JOURNAL_DIR
    for backup in (journal_dir / "backups").iterdir():
        backup.unlink()
    (journal_dir / "backups").rmdir()
    after = _everything(project)
    assert rel.release(validate=False).version is None  # repaired, nothing new to cut
    assert _everything(project) == after and _leftovers(project, store().root) == []
    assert store().versions() == ["0.1.0", "0.2.0"]


def _disk_full_on(nth: int, monkeypatch) -> list[int]:
    calls: list[int] = []
    real = transaction._fill

    def full(fh, data: bytes) -> None:
        calls.append(len(data))
        if len(calls) == nth:
            fh.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fh, data)

    monkeypatch.setattr(transaction, "_fill", full)
    return calls


@pytest.mark.parametrize("nth", [1, 2, 3])
def test_disk_full_during_release_is_one_sentence_and_leaves_nothing(
    project, monkeypatch, capsys, nth
):
    rel.release(validate=False)
    append_row(project)
    before = _everything(project)
    calls = _disk_full_on(nth, monkeypatch)
    assert main(["release"]) == 2
    err = capsys.readouterr().err
    assert len(calls) == nth
    assert len(err.strip().splitlines()) == 1 and "Disque plein" in err, err
    assert "Erreur interne" not in err
    assert _everything(project) == before and _leftovers(project, store().root) == []


@pytest.mark.parametrize("nth", [1, 4])
def test_disk_full_during_consolidate_is_one_sentence_and_leaves_nothing(
    project, monkeypatch, capsys, nth
):
    before = _everything(project)
    calls = _disk_full_on(nth, monkeypatch)
    assert main(["consolidate", *map(str, BATCH)]) == 2
    err = capsys.readouterr().err
    assert len(calls) == nth
    assert "Disque plein" in err.strip().splitlines()[-1] and "Erreur interne" not in err, err
    assert _everything(project) == before and _leftovers(project) == []


def test_a_command_stopped_by_sigterm_leaves_no_temporary_file(tmp_path):
    """SIGTERM (``timeout``, a service stopping) is taken as Ctrl-C: the command's
    ``finally`` blocks run, and ``fix`` stopped while writing leaves neither its
    temporary file nor a partial output (a sweep found ``.x.fixed.csv.….tmp`` left)."""
    import signal
    import time

    header = "annee,numero,nom,date_debut,date_fin,note\n"
    row = "2020,7,Mois fictif de l'innovation publique,03/11/2020,30/11/2020,{}\n"
    data = tmp_path / "editions.csv"
    with data.open("w", encoding="utf-8") as out:
        out.write(header)
        out.writelines(row.format("x" * (i % 50)) for i in range(300_000))
    folder = tmp_path / "sortie"
    folder.mkdir()
    command = [sys.executable, "-m", "moisinno_data", "fix", str(data), "--schema", "editions"]
    proc = subprocess.Popen(
        [*command, "-o", str(folder / "corrige.csv")],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not list(folder.glob(".*.tmp")) and proc.poll() is None:
        assert time.monotonic() < deadline, "fix never started writing"
        time.sleep(0.01)
    assert proc.poll() is None, "fix ended before it could be stopped: make the file bigger"
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert "Interrompu" in err and "Traceback" not in err
    assert list(folder.iterdir()) == []
