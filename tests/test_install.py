"""Issue 2 (and 6): the built wheel works in a fresh virtual environment, outside the checkout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def wheel_venv(tmp_path_factory) -> Path:
    """A new venv with the wheel built from this checkout (dependencies from PyPI or pip's cache)."""
    base = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(base / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next((base / "dist").glob("moisinno_data-*.whl"))
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin/python"), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    return venv


def test_wheel_lists_schemas_outside_checkout(wheel_venv, tmp_path):
    result = subprocess.run(
        [str(wheel_venv / "bin/moisinno"), "schemas"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    for table in ("editions", "laboratoires", "evenements", "thematiques"):
        assert table in result.stdout


def test_wheel_reaches_bundled_data(wheel_venv, tmp_path):
    code = (
        "import json, moisinno_data, moisinno_data.paths as p;"
        "root = p.bundle_root();"
        "print(json.dumps({'root': str(root), 'rows': len(p.dataset_path('editions').read_text().splitlines()),"
        " 'checkout': p.is_checkout()}))"
    )
    result = subprocess.run(
        [str(wheel_venv / "bin/python"), "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    facts = json.loads(result.stdout)
    assert "site-packages" in facts["root"] and not facts["checkout"]
    assert facts["rows"] == 13  # header + 2014..2025
