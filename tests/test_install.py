"""The built wheel works in a fresh virtual environment, outside the checkout."""

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
        "import json, moisinno_data, moisinno_data.package.paths as p;"
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


def test_wheel_loads_typed_events_outside_checkout(wheel_venv, tmp_path):
    """From the installed wheel, `load("evenements")` returns the schema's dtypes."""
    code = """
import json, moisinno_data as md
events = md.load("evenements")
print(json.dumps({
    "module": md.load.__module__,
    "file": __import__("moisinno_data").__file__,
    "origin": events.attrs["origin"],
    "rows": len(events),
    "dtypes": {c: str(t) for c, t in events.dtypes.items()},
    "format": list(events["format"].cat.categories),
    "region": list(events["region"].cat.categories),
    "thematiques": [v for v in events["thematiques"] if isinstance(v, list)][0],
    "title": events.attrs["fields"]["date_debut"]["title"],
    # Pinning the installed version needs no store: the wheel's bundle is that release.
    "pinned": md.load("evenements", version=events.attrs["version"]).attrs["origin"],
}))
"""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "MOISINNO_CACHE": str(tmp_path / "c"),
        "MOISINNO_STORE": str(tmp_path / "empty-store"),
    }
    result = subprocess.run(
        [str(wheel_venv / "bin/python"), "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    facts = json.loads(result.stdout)
    assert "site-packages" in facts["file"] and "site-packages" in facts["origin"]
    schema = json.loads((ROOT / "schemas/evenements/schema.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in schema["fields"]}
    dtypes = facts["dtypes"]
    assert list(dtypes) == list(fields)
    assert facts["rows"] == len((ROOT / "datasets/evenements.csv").read_text().splitlines()) - 1
    assert dtypes["edition"] == dtypes["nombre_participants"] == "Int64"
    assert dtypes["latitude"] == "Float64"
    assert dtypes["gratuit"] == "boolean"
    assert dtypes["date"] == "datetime64[us, Europe/Paris]"
    assert dtypes["date_debut"] == dtypes["date_fin"] == "datetime64[us, Europe/Paris]"
    for name in ("format", "modalite", "organisateur_type", "region", "public"):
        assert dtypes[name] == "category", name
    assert facts["format"] == fields["format"]["constraints"]["enum"]
    assert facts["region"] == fields["region"]["constraints"]["enum"]
    assert dtypes["titre"] == dtypes["id"] == dtypes["commune"] == "string"
    assert dtypes["thematiques"] == dtypes["sources"] == "object"
    assert all(isinstance(t, str) and ";" not in t for t in facts["thematiques"])
    assert facts["title"] == "Début"
    assert facts["pinned"].startswith("embarquée") and "site-packages" in facts["pinned"]


def test_wheel_writes_the_overview_page(wheel_venv, tmp_path):
    """The HTML template travels in the wheel: `moisinno overview` works when installed."""
    out = tmp_path / "synthese.html"
    subprocess.run(
        [str(wheel_venv / "bin/moisinno"), "overview", "-o", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg") >= 7 and 'id="map-events"' in page and "<script" not in page


def test_wheel_works_on_the_package_of_the_current_folder(wheel_venv, tmp_path):
    """Issue 13: in a fresh copy of the repository, with no variable set, the installed tool
    releases into the copy's own releases/ and finds it again from a subfolder."""
    import shutil

    from test_readme import IGNORED

    clone = tmp_path / "clone"
    shutil.copytree(ROOT, clone, ignore=IGNORED)
    env = {"PATH": f"{wheel_venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path / "home")}

    def moisinno(*args: str, cwd: Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["moisinno", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
        )

    made = moisinno("release", cwd=clone)
    assert made.returncode == 0, made.stderr
    archives = list((clone / "releases").glob("*/moisinno-data-*.zip"))
    assert len(archives) == 1
    version = archives[0].parent.name
    listed = moisinno("versions", cwd=clone / "datasets")
    assert listed.returncode == 0 and f"dépôt local {clone / 'releases'}" in listed.stdout
    assert version in listed.stdout and listed.stderr == ""
    outside = moisinno("release", cwd=tmp_path)
    assert outside.returncode == 2 and "moisinno init" in outside.stderr
