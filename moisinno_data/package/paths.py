"""Which data package a command works on, and where its files live.

Like git, the toolkit works on the data package of the folder it is run in: the nearest
``datapackage.json`` in the current folder or its parents. ``--root DIR`` (which the CLI
turns into ``MOISINNO_ROOT``) and ``MOISINNO_ROOT`` override the search. The release store
(``releases/``), the provenance, ``prive/`` and the local portal (``portail/``) live beside
that ``datapackage.json``.

Outside any data package, read-only work uses the package bundled with the library (the
wheel's ``moisinno_data/_bundle/``, or the checkout the library is imported from), and
writing work is refused: that copy is the reference shipped with the code. Every module
asks this one for paths instead of guessing, so all layouts behave the same.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from moisinno_data.errors import MoisinnoError

# The import package (moisinno_data/), one level above this module.
PACKAGE_DIR = Path(__file__).resolve().parent.parent
DESCRIPTOR = "datapackage.json"
ROOT_ENV = "MOISINNO_ROOT"


class NoPackageError(FileNotFoundError):
    """Writing work outside any data package (the message says how to start one); ``en``:
    the same sentence in English, as :class:`MoisinnoError` has it."""

    def __init__(self, message: str, *, en: str | None = None) -> None:
        super().__init__(message)
        self.en = en


class BrokenInstall(MoisinnoError):
    """The library's own data package is missing: a broken install, not a user's mistake,
    but one sentence says how to mend it (exit 2), not an internal error."""


def bundled_root() -> Path:
    """The data package shipped with the library: the wheel's ``_bundle``, or the checkout."""
    bundled = PACKAGE_DIR / "_bundle"
    if (bundled / DESCRIPTOR).is_file():
        return bundled
    checkout = PACKAGE_DIR.parent
    if (checkout / DESCRIPTOR).is_file():
        return checkout
    raise BrokenInstall(
        "moisinno-data est mal installé : son paquet de données est introuvable (ni "
        f"{bundled / DESCRIPTOR} ni {checkout / DESCRIPTOR} n'existe) ; réinstallez-le "
        "(pip install --force-reinstall moisinno-data) ou désignez un paquet avec --root.",
        en="moisinno-data is not installed properly: its data package is missing (neither "
        f"{bundled / DESCRIPTOR} nor {checkout / DESCRIPTOR} exists); reinstall it "
        "(pip install --force-reinstall moisinno-data) or point to a package with --root.",
    )


def find_package(start: Path | None = None) -> Path | None:
    """The nearest folder holding ``datapackage.json``: ``start`` (default cwd) or a parent."""
    try:
        here = (start or Path.cwd()).resolve()
    except OSError:  # the current folder was deleted under us
        return None
    for folder in (here, *here.parents):
        if (folder / DESCRIPTOR).is_file():
            return folder
    return None


def located_root() -> Path | None:
    """The data package the user designated (``--root``/``MOISINNO_ROOT``) or stands in.

    ``None`` outside any data package. The wheel's own bundle never counts as the user's
    package, even when the current folder is inside it.
    """
    override = os.environ.get(ROOT_ENV)
    if override:
        return Path(override).expanduser().resolve()
    found = find_package()
    if found is None or found == (PACKAGE_DIR / "_bundle").resolve():
        return None
    return found


def bundle_root() -> Path:
    """Folder holding ``datapackage.json``, ``schemas/`` and ``datasets/`` (module doc)."""
    return located_root() or bundled_root()


def is_checkout() -> bool:
    """True when the data package is the user's (writable), not the one bundled as fallback."""
    return located_root() is not None


def no_package_message(lang: str = "fr") -> str:
    """The one sentence that tells a user outside any data package how to start one."""
    if lang == "en":
        return (
            f"No data package here (no {DESCRIPTOR} in {Path.cwd()} or above): work from a "
            "package's folder, name one with --root DIR, or create one with "
            "“moisinno init DIR --schema schema.json”."
        )
    return (
        f"Aucun paquet de données ici (pas de {DESCRIPTOR} dans {Path.cwd()} ni au-dessus) : "
        "placez-vous dans le dossier d'un paquet, désignez-le avec --root DOSSIER, ou créez-en "
        "un avec « moisinno init DOSSIER --schema schema.json »."
    )


def bundled_notice(lang: str = "fr") -> str:
    """The line said on stderr when read-only work falls back to the bundled package."""
    if lang == "en":
        return (
            "Outside any data package: moisinno uses the one installed with the library "
            f"({bundled_root()})."
        )
    return (
        f"Hors de tout paquet de données : moisinno utilise celui installé avec la "
        f"bibliothèque ({bundled_root()})."
    )


def writable_root() -> Path:
    """The user's data package, or :class:`NoPackageError` with :func:`no_package_message`."""
    root = located_root()
    if root is None:
        raise NoPackageError(no_package_message(), en=no_package_message("en"))
    if not (root / DESCRIPTOR).is_file():
        raise NoPackageError(
            f"{root} n'est pas un paquet de données ({DESCRIPTOR} absent) : créez-le avec "
            f"« moisinno init {root} --schema schema.json ».",
            en=f"{root} is not a data package (no {DESCRIPTOR}): create it with "
            f"“moisinno init {root} --schema schema.json”.",
        )
    return root


@contextlib.contextmanager
def using(root: str | Path | None) -> Iterator[None]:
    """Work on the data package at ``root`` for a while (``None``: change nothing).

    Implemented through ``MOISINNO_ROOT`` so that code which swaps the root itself
    (the consolidation's staged view) and subprocesses see the same package.
    """
    if root is None:
        yield
        return
    saved = os.environ.get(ROOT_ENV)
    os.environ[ROOT_ENV] = str(Path(root).expanduser().resolve())
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(ROOT_ENV, None)
        else:
            os.environ[ROOT_ENV] = saved


def schemas_dir() -> Path:
    return bundle_root() / "schemas"


def datasets_dir() -> Path:
    return bundle_root() / "datasets"


def datapackage_path() -> Path:
    return bundle_root() / DESCRIPTOR


def schema_path(table: str) -> Path:
    return schemas_dir() / table / "schema.json"


def dataset_path(table: str) -> Path:
    return datasets_dir() / f"{table}.csv"


def reference_dir() -> Path:
    """Reference data shipped inside the import package (INSEE COG codes)."""
    return PACKAGE_DIR / "reference"


def store_dir() -> Path:
    """The local release store, the embedded default portal.

    ``MOISINNO_STORE`` overrides it; otherwise ``releases/`` beside the user's data
    package, or the user's data folder for the bundled one (the wheel's folder may be
    read-only and is replaced on upgrade).
    """
    override = os.environ.get("MOISINNO_STORE")
    if override:
        return Path(override).resolve()
    root = located_root()
    if root is not None:
        return root / "releases"
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "moisinno-data" / "releases"


def portal_dir() -> Path:
    """The local folder portal: ``portail/`` beside the data package (or the store)."""
    root = located_root()
    if root is not None and not os.environ.get("MOISINNO_STORE"):
        return root / "portail"
    return store_dir().parent / "portail"


def cache_dir() -> Path:
    """The user's cache folder for downloaded releases (``MOISINNO_CACHE`` overrides)."""
    override = os.environ.get("MOISINNO_CACHE")
    if override:
        return Path(override).resolve()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "moisinno-data"
