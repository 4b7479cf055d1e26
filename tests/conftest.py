"""Shared fixtures. Servers (udata, the web page) are started by fixtures in their own files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ["udata_fixture"]  # the session-wide local udata server

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
DATASETS = ROOT / "datasets"
TABLES = ("editions", "laboratoires", "evenements", "thematiques")


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``moisinno ARGS`` in a fresh interpreter, as a user runs it (exit code, both streams)."""
    return subprocess.run(
        [sys.executable, "-m", "moisinno_data", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


@pytest.fixture
def project_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throwaway copy of the data package; MOISINNO_ROOT points the library at it."""
    dest = tmp_path / "projet"
    dest.mkdir()
    shutil.copy2(ROOT / "datapackage.json", dest / "datapackage.json")
    shutil.copytree(SCHEMAS, dest / "schemas")
    shutil.copytree(DATASETS, dest / "datasets")
    # A copy without its release history (no store, no changelog) counts versions from
    # 0.1.0, as a new package does; the tests' version numbers rely on it.
    descriptor = json.loads((dest / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["version"] = "0.1.0"
    (dest / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    monkeypatch.setenv("MOISINNO_ROOT", str(dest))
    monkeypatch.setenv("MOISINNO_STORE", str(tmp_path / "releases"))
    return dest
