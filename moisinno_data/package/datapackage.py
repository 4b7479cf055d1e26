"""The root ``datapackage.json``: read it, and keep its per-resource facts true to the files.

Bytes, hashes and row counts are derived from the CSVs, never typed by hand: ``refresh``
recomputes them (the release work calls it before cutting a version) and ``check`` says
which ones are stale (the tests call it).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from moisinno_data import fsutil
from moisinno_data.package import paths


def read(root: Path | None = None) -> dict[str, Any]:
    path = (root or paths.bundle_root()) / "datapackage.json"
    return json.loads(path.read_text(encoding="utf-8"))


def write(descriptor: dict[str, Any], root: Path | None = None) -> None:
    path = (root or paths.bundle_root()) / "datapackage.json"
    fsutil.write_text(path, json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n")


def count_rows(path: Path) -> int:
    """Data rows of a published CSV (UTF-8, ``,``); quoted newlines count once."""
    with open(path, encoding="utf-8", newline="") as fh:
        return max(sum(1 for _ in csv.reader(fh)) - 1, 0)


def file_facts(path: Path) -> dict[str, Any]:
    return {
        "bytes": path.stat().st_size,
        "hash": "sha256:" + fsutil.sha256_file(path),
        "count": count_rows(path),
    }


def refresh(descriptor: dict[str, Any], root: Path | None = None) -> dict[str, Any]:
    """Return a copy of ``descriptor`` whose resources carry the files' bytes, hash and rows."""
    base = root or paths.bundle_root()
    fresh = json.loads(json.dumps(descriptor))
    for resource in fresh.get("resources", []):
        facts = file_facts(base / resource["path"])
        resource["bytes"] = facts["bytes"]
        resource["hash"] = facts["hash"]
        resource["count"] = facts["count"]
    return fresh


def check(root: Path | None = None) -> list[str]:
    """Human-readable list of resources whose recorded facts differ from the files."""
    descriptor = read(root)
    fresh = refresh(descriptor, root)
    problems = []
    for old, new in zip(descriptor.get("resources", []), fresh.get("resources", []), strict=True):
        for key in ("bytes", "hash", "count"):
            if old.get(key) != new[key]:
                problems.append(
                    f"{old['path']} : {key} vaut {old.get(key)!r} dans datapackage.json, "
                    f"{new[key]!r} pour le fichier"
                )
    return problems
