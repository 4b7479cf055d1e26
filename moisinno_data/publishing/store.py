"""The local release store: one folder per version, never overwritten.

Layout (also the contract that ``portals``, ``load`` and ``release`` share)::

    <store>/index.json                      {"versions": ["0.1.0", ...]} in semver order
    <store>/<X.Y.Z>/<name>-X.Y.Z.zip        the release archive (datapackage, datasets, schemas),
                                            named after the package (:func:`archive_name`)
    <store>/<X.Y.Z>/release.json            {"version", "archive", "sha256", "bytes", "created",
                                             "previous", "tables": {name: {"rows", "sha256"}}}

A version is added by writing its folder under a temporary name and renaming it into
place, so a killed release leaves either no version or a complete one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moisinno_data import fsutil
from moisinno_data.errors import MoisinnoError
from moisinno_data.package import paths
from moisinno_data.publishing.semver import semver_key


class StoreError(MoisinnoError):
    pass


DEFAULT_PACKAGE = "moisinno-data"


def archive_name(version: str, package: str | None = None) -> str:
    """``<package>-X.Y.Z.zip``, ``package`` being the datapackage.json ``name``: the
    archives of two packages (``moisinno init`` makes new ones) never look alike. The name
    keeps only what a file name and a URL take as they are (a Frictionless name already
    does); without one, the name is this project's."""
    name = re.sub(r"[^a-z0-9._-]+", "-", (package or "").lower()).strip("-._")
    return f"{name or DEFAULT_PACKAGE}-{version}.zip"


@dataclass(frozen=True)
class StoredRelease:
    version: str
    folder: Path
    meta: dict[str, Any]

    @property
    def archive(self) -> Path:
        return self.folder / self.meta.get("archive", archive_name(self.version))

    @property
    def sha256(self) -> str:
        return self.meta["sha256"]


class ReleaseStore:
    """A folder of immutable releases; ``put`` refuses to replace an existing version."""

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root) if root is not None else paths.store_dir()

    def versions(self) -> list[str]:
        if not self.root.is_dir():
            return []
        found = [
            p.name
            for p in self.root.iterdir()
            if p.is_dir() and not p.name.startswith(".") and (p / "release.json").is_file()
        ]
        return sorted(found, key=semver_key)

    def latest(self) -> StoredRelease | None:
        versions = self.versions()
        return self.get(versions[-1]) if versions else None

    def has(self, version: str) -> bool:
        return (self.root / version / "release.json").is_file()

    def get(self, version: str) -> StoredRelease:
        folder = self.root / version
        meta_path = folder / "release.json"
        if not meta_path.is_file():
            known = ", ".join(self.versions())
            raise StoreError(
                f"La version {version} n'existe pas dans le dépôt local {self.root} "
                f"(versions disponibles : {known or 'aucune'}).",
                en=f"Version {version} is not in the local store {self.root} "
                f"(versions available: {known or 'none'}).",
            )
        return StoredRelease(version, folder, json.loads(meta_path.read_text(encoding="utf-8")))

    def stage(
        self, version: str, archive: Path, meta: dict[str, Any], package: str | None = None
    ) -> Path:
        """Write a complete version folder under a hidden name, ready to be renamed into place.

        ``put`` renames it at once; ``release`` renames it inside a transaction that also
        updates ``datapackage.json`` and the changelog, so the three change together. The
        archive is stored as :func:`archive_name` of ``version`` and ``package``.
        """
        semver_key(version)
        if self.has(version):
            raise StoreError(
                f"La version {version} existe déjà dans {self.root} : une version publiée "
                "n'est jamais remplacée. Choisissez un autre numéro de version.",
                en=f"Version {version} already exists in {self.root}: a published version "
                "is never replaced. Choose another version number.",
            )
        self.root.mkdir(parents=True, exist_ok=True)
        # hidden, and ending like every staged name, so a crashed release's leftover is
        # found and removed by ``transaction.recover``
        staging = Path(tempfile.mkdtemp(prefix=f".{version}.", suffix=".txn", dir=self.root))
        try:
            name = archive_name(version, package)
            meta = {**meta, "version": version, "archive": name}
            shutil.copyfile(archive, staging / name)
            fsutil.write_text(
                staging / "release.json", json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
            )
            # temporary files and folders are private (0600/0700); a release is for everyone
            os.chmod(staging, fsutil.dir_mode())
            for member in staging.iterdir():
                os.chmod(member, fsutil.file_mode())
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return staging

    def put(
        self, version: str, archive: Path, meta: dict[str, Any], package: str | None = None
    ) -> StoredRelease:
        """Add a version atomically. The archive is copied; ``meta`` is written as release.json."""
        staging = self.stage(version, archive, meta, package)
        try:
            os.rename(staging, self.root / version)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self._write_index()
        return self.get(version)

    def index_text(self, extra: tuple[str, ...] = ()) -> str:
        """``index.json`` as it reads once the ``extra`` versions are in place."""
        versions = sorted(set(self.versions()) | set(extra), key=semver_key)
        return json.dumps({"versions": versions}, indent=2) + "\n"

    def _write_index(self) -> None:
        fsutil.write_text(self.root / "index.json", self.index_text())
