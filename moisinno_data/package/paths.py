"""Where the data package lives, whether we run from a checkout or from an installed wheel.

The repository *is* the data package (``datapackage.json``, ``schemas/``, ``datasets/`` at
its root). A wheel cannot ship files outside the import package, so the build copies them
under ``moisinno_data/_bundle/`` (see ``pyproject.toml``). Every module asks this one for
paths instead of guessing, so both layouts behave the same.
"""

from __future__ import annotations

import os
from pathlib import Path

# The import package (moisinno_data/), one level above this module.
PACKAGE_DIR = Path(__file__).resolve().parent.parent
TABLES = ("editions", "laboratoires", "evenements", "thematiques")


def bundle_root() -> Path:
    """Folder holding ``datapackage.json``, ``schemas/`` and ``datasets/``.

    An installed wheel has ``_bundle``; a checkout (editable install or ``python -m``)
    has the files one level up. ``MOISINNO_ROOT`` overrides both, which the demo and the
    tests use to work on a copy without touching the real data.
    """
    override = os.environ.get("MOISINNO_ROOT")
    if override:
        return Path(override).resolve()
    bundled = PACKAGE_DIR / "_bundle"
    if (bundled / "datapackage.json").is_file():
        return bundled
    checkout = PACKAGE_DIR.parent
    if (checkout / "datapackage.json").is_file():
        return checkout
    raise FileNotFoundError(
        "Le paquet de données de moisinno-data est introuvable : ni "
        f"{bundled / 'datapackage.json'} ni {checkout / 'datapackage.json'} n'existe."
    )


def is_checkout() -> bool:
    """True when the data package is a writable working copy rather than the wheel's bundle."""
    return bundle_root() != (PACKAGE_DIR / "_bundle").resolve()


def schemas_dir() -> Path:
    return bundle_root() / "schemas"


def datasets_dir() -> Path:
    return bundle_root() / "datasets"


def datapackage_path() -> Path:
    return bundle_root() / "datapackage.json"


def schema_path(table: str) -> Path:
    return schemas_dir() / table / "schema.json"


def dataset_path(table: str) -> Path:
    return datasets_dir() / f"{table}.csv"


def reference_dir() -> Path:
    """Reference data shipped inside the import package (INSEE COG codes)."""
    return PACKAGE_DIR / "reference"


def store_dir() -> Path:
    """The local release store, the embedded default portal.

    ``MOISINNO_STORE`` overrides it; otherwise ``releases/`` beside the data package in a
    checkout, or the user's data folder for an installed copy (the wheel's folder may be
    read-only and is replaced on upgrade).
    """
    override = os.environ.get("MOISINNO_STORE")
    if override:
        return Path(override).resolve()
    if is_checkout():
        return bundle_root() / "releases"
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "moisinno-data" / "releases"


def cache_dir() -> Path:
    """The user's cache folder for downloaded releases (``MOISINNO_CACHE`` overrides)."""
    override = os.environ.get("MOISINNO_CACHE")
    if override:
        return Path(override).resolve()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "moisinno-data"
