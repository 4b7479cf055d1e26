"""XLSX and ODS files are zip archives: open them without trusting what they declare.

Only the two compression methods spreadsheets use (stored, deflate) are read: Python's
zipfile inflates bzip2 and lzma with no bound on what one read makes, so a 2.5 KB entry
could cost gigabytes before :func:`chunks` counts a byte. Sizes are checked twice: from
the archive's central directory before anything is inflated, and again while inflating
(a lying header must not help: Python's zipfile stops at the declared size and the CRC
check then fails, and :func:`chunks` counts on its own).
"""

from __future__ import annotations

import contextlib
import contextvars
import zipfile
import zlib
from collections.abc import Callable, Hashable, Iterator
from pathlib import Path
from typing import TypeVar

from moisinno_data.errors import InputError
from moisinno_data.reading.budget import Budget, human_bytes

CHUNK = 1 << 16
METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
"""The compression methods of XLSX and ODS archives (every spreadsheet program's)."""


T = TypeVar("T")

_KEPT: contextvars.ContextVar[dict[Hashable, object] | None] = contextvars.ContextVar(
    "moisinno_kept_parts", default=None
)


@contextlib.contextmanager
def parts_kept() -> Iterator[None]:
    """While several sheets of one workbook are read one after the other (the other sheets
    a command looks at for the table's header), the parts each reading needs whole (an
    XLSX's shared strings, an .xls that calamine builds entirely) are built once, not once
    a sheet: 10 sheets of a workbook of 500,000 shared strings parsed them 10 times. They
    are dropped at the end of the block: nothing is held after it (a server reads on)."""
    token = _KEPT.set({})
    try:
        yield
    finally:
        _KEPT.reset(token)


def kept(path: Path, part: Hashable, build: Callable[[], T]) -> T:
    """``build()``, or what it gave for this part of this file in the :func:`parts_kept`
    block under way (the file's size and time are part of the key: a file replaced
    meanwhile is read again)."""
    cache = _KEPT.get()
    if cache is None:
        return build()
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns, part)
    if key not in cache:
        cache[key] = build()
    return cache[key]  # type: ignore[return-value]  # what build gave for this key


def fail(path: Path, sentence: str, en: str | None = None) -> InputError:
    """``path`` cannot be read: ``sentence`` says why (``en``: in English, for ``--lang en``)."""
    return InputError(f"{path} : {sentence}", en=f"{path}: {en}" if en else None)


PASSWORD_PROTECTED = (
    "classeur protégé par un mot de passe : il ne peut pas être lu ; enregistrez-le sans "
    "mot de passe (Fichier > Enregistrer sous, sans cocher « Enregistrer avec mot de passe »).",
    "workbook protected by a password: it cannot be read; save it without one (File > Save "
    "As, with “Save with password” unticked).",
)
"""The refusal of a workbook saved with a password (XLS, XLSX or ODS), French and English."""


def damaged(path: Path) -> InputError:
    return fail(
        path,
        "archive ZIP endommagée : ce n'est pas un classeur lisible.",
        "damaged ZIP archive: this is not a readable workbook.",
    )


def open_zip(path: Path, budget: Budget) -> zipfile.ZipFile:
    """The archive, once its directory is proven within ``budget``."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise damaged(path) from None
    infos = zf.infolist()
    if len(infos) > budget.max_entries:
        zf.close()
        raise fail(
            path,
            f"archive de {len(infos)} éléments, au-delà de {budget.max_entries}.",
            f"archive of {len(infos)} entries, past {budget.max_entries}.",
        )
    for info in infos:
        if info.compress_type not in METHODS:
            zf.close()
            raise fail(
                path,
                f"l'élément « {info.filename} » de l'archive est compressé par une méthode "
                f"(n° {info.compress_type}) qu'aucun tableur n'emploie ; réenregistrez le "
                "classeur depuis votre tableur.",
                f"entry “{info.filename}” of the archive is compressed by a method "
                f"(no. {info.compress_type}) no spreadsheet uses; save the workbook again "
                "from your spreadsheet.",
            )
        if info.file_size > budget.max_entry_bytes:
            zf.close()
            raise fail(
                path,
                f"l'élément « {info.filename} » de l'archive ferait "
                f"{human_bytes(info.file_size)} une fois décompressé (limite : "
                f"{human_bytes(budget.max_entry_bytes)}) ; ce n'est pas un classeur ordinaire.",
                f"entry “{info.filename}” of the archive would be "
                f"{human_bytes(info.file_size, 'en')} once decompressed (limit: "
                f"{human_bytes(budget.max_entry_bytes, 'en')}); this is not an ordinary "
                "workbook.",
            )
    return zf


def chunks(zf: zipfile.ZipFile, name: str, budget: Budget, path: Path) -> Iterator[bytes]:
    """The inflated bytes of entry ``name``, chunk by chunk, counted as they come."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise fail(
            path,
            f"classeur incomplet (« {name} » manque).",
            f"incomplete workbook (“{name}” is missing).",
        ) from None
    cap = min(info.file_size, budget.max_entry_bytes)
    seen = 0
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(CHUNK):
                budget.check_time(path)
                seen += len(chunk)
                if seen > cap:
                    raise fail(
                        path,
                        f"l'élément « {name} » dépasse la taille qu'il déclare.",
                        f"entry “{name}” exceeds the size it declares.",
                    )
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise damaged(path) from None


def head(zf: zipfile.ZipFile, name: str, size: int, path: Path) -> bytes:
    """The first ``size`` bytes of an entry (a ``mimetype`` is never read whole)."""
    try:
        with zf.open(name) as fh:
            return fh.read(size)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise damaged(path) from None
