"""Build small releases in a test's own store, independent of the release command.

A release here is what ``moisinno_data.publishing.store`` defines: a zip holding ``datapackage.json``,
``datasets/*.csv`` and ``schemas/<table>/…``, plus ``release.json`` with its sha256.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from moisinno_data.publishing.store import ReleaseStore, StoredRelease


def make_release(
    project: Path, store: ReleaseStore, version: str, name: str | None = None
) -> StoredRelease:
    """Zip ``project`` (a ``project_copy``) as ``version``; ``name`` renames the package."""
    descriptor = json.loads((project / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["version"] = version
    if name:
        descriptor["name"] = name
    archive = project.parent / f"build-{name or 'moisinno-data'}-{version}.zip"
    tables = {}
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2))
        for csv_path in sorted((project / "datasets").glob("*.csv")):
            info = zipfile.ZipInfo(f"datasets/{csv_path.name}", (2026, 11, 25, 0, 0, 0))
            zf.writestr(info, csv_path.read_bytes())
            tables[csv_path.stem] = {
                "rows": csv_path.read_text(encoding="utf-8").count("\n") - 1,
                "sha256": hashlib.sha256(csv_path.read_bytes()).hexdigest(),
            }
        for member in sorted((project / "schemas").glob("*/*")):
            if member.name in ("schema.json", "documentation.md"):
                zf.write(member, f"schemas/{member.parent.name}/{member.name}")
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    meta = {
        "sha256": digest,
        "bytes": archive.stat().st_size,
        "created": "2026-11-25T00:00:00Z",
        "previous": (store.versions() or [None])[-1],
        "tables": tables,
    }
    return store.put(version, archive, meta)


def edit_a_table(project: Path) -> None:
    """A visible change in one table (the last note of thematiques), for a new version."""
    path = project / "datasets" / "thematiques.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.append(lines[-1].replace("2020,", "2020,exemple-fictif-", 1))
    path.write_text("".join(lines), encoding="utf-8")
