"""Atomic file writes: an interrupted command never leaves a half-written file behind.

Everything that writes user-visible state (datasets, ``datapackage.json``, changelogs,
release archives, reports) goes through :func:`atomic_write` — a temporary file in the
same folder, fsync, then ``os.replace`` — so readers see the old file or the new one.
A full disk is a sentence for the user (:class:`DiskFullError`, exit 2), not a traceback,
and the temporary file is gone.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from moisinno_data.errors import ConfigError, MoisinnoError

#: ``errno`` values that mean "no room left" (the disk, or the user's quota).
DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


_REASONS = {
    errno.EACCES: ("accès refusé", "permission denied"),
    errno.EPERM: ("accès refusé", "permission denied"),
    errno.ELOOP: ("liens symboliques en boucle", "symbolic links in a loop"),
    errno.ENAMETOOLONG: ("nom trop long", "name too long"),
    errno.ENOTDIR: ("un élément du chemin n'est pas un dossier", "a part of the path is no folder"),
    errno.EIO: ("erreur de lecture du disque", "the disk could not be read"),
}


def os_reason(exc: OSError) -> tuple[str, str]:
    """Why the system refused, in French and in English: ``strerror`` is in the
    system's language (English here) and the French sentence around it was not."""
    found = _REASONS.get(exc.errno or 0)
    if found is not None:
        return found
    reason = exc.strerror or str(exc)
    return reason, reason


class DiskFullError(MoisinnoError):
    """No space left where we write; nothing half-written remains."""

    @classmethod
    def about(cls, where: str | Path, exc: OSError) -> DiskFullError:
        place = Path(exc.filename).parent if exc.filename else Path(where)
        return cls(
            f"Disque plein : écriture impossible dans {place} ({exc.strerror or 'plus de place'}) ;"
            " rien n'a été modifié et les fichiers temporaires ont été retirés. Libérez de la "
            "place, puis relancez la commande.",
            en=f"Disk full: cannot write in {place} ({exc.strerror or 'no space left'}); "
            "nothing was changed and the temporary files were removed. Free some space, then "
            "run the command again.",
        )


class CannotWrite(MoisinnoError):
    """The folder of a file to write cannot be made or written in (a part of its path is
    a file, permission denied…): one sentence (exit 2) that names the place, never an
    internal error; nothing was written."""

    @classmethod
    def about(cls, target: str | Path, exc: OSError) -> CannotWrite:
        blocking = next((p for p in Path(target).parents if p.exists() and not p.is_dir()), None)
        if blocking is not None:
            fr, en = (
                f"{blocking} est un fichier, pas un dossier",
                f"{blocking} is a file, not a folder",
            )
        else:
            fr, en = os_reason(exc)
        return cls(f"Impossible d'écrire {target} : {fr}.", en=f"Cannot write {target}: {en}.")


def make_parent(target: str | Path) -> Path:
    """Make the folder of ``target`` (and its parents), as every writer here does before
    its temporary file; what the system refuses is :class:`CannotWrite` (or
    :class:`DiskFullError`). Returns that folder."""
    folder = Path(target).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if exc.errno in DISK_FULL:
            raise DiskFullError.about(folder, exc) from None
        raise CannotWrite.about(target, exc) from None
    return folder


def temporary(target: Path, suffix: str) -> tuple[int, str]:
    """``mkstemp`` beside ``target``, what the system refuses said as :func:`make_parent`."""
    try:
        return tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    except OSError as exc:
        if exc.errno in DISK_FULL:
            raise DiskFullError.about(target.parent, exc) from None
        raise CannotWrite.about(target, exc) from None


@contextlib.contextmanager
def atomic_write(
    path: str | Path, mode: str = "w", encoding: str | None = "utf-8", *, durable: bool = True
) -> Iterator[IO]:
    """Open a temporary sibling of ``path`` for writing and move it into place on success.

    ``durable`` waits for the disk before the move (data a crash must not lose). A report,
    which can be made again, skips it (half a second for a 1.4 GB report here): if the
    program dies, the move still leaves the old file or the whole new one; only the
    machine stopping within seconds could leave the new one short.

    A target that exists and is not a regular file (``/dev/null``, ``/dev/stdout``, a
    FIFO) is written in place: moving a file over it would replace the device itself.
    """
    target = Path(path)
    binary = "b" in mode
    if is_special(target):
        with open(target, mode, encoding=None if binary else encoding) as fh:
            yield fh
        return
    make_parent(target)
    fd, tmp = temporary(target, ".tmp")
    try:
        opened = (
            os.fdopen(fd, mode) if binary else os.fdopen(fd, mode, encoding=encoding, newline="")
        )
        with opened as fh:
            yield fh
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        # mkstemp makes 0600 files; give the result the mode a plain open() would have
        os.chmod(tmp, file_mode())
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.errno in DISK_FULL:
            raise DiskFullError.about(target.parent, exc) from None
        raise


def is_special(target: str | Path) -> bool:
    """An existing target that is neither a regular file nor a folder (a device, a FIFO)."""
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# read once at import: os.umask can only be read by setting it, which is not thread-safe
_UMASK = _read_umask()


def file_mode() -> int:
    """The mode a plain ``open()`` gives a new file (temporary files are made 0600)."""
    return 0o666 & ~_UMASK


def dir_mode() -> int:
    """The mode a plain ``mkdir()`` gives a new folder (temporary folders are made 0700)."""
    return 0o777 & ~_UMASK


def write_text(path: str | Path, text: str) -> None:
    with atomic_write(path) as fh:
        fh.write(text)


def write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_write(path, "wb", None) as fh:
        fh.write(data)


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


ZIP_LAST_YEAR = 2107
"""A zip entry's date holds years 1980 to 2107 (earlier ones are written as 1980)."""


def stamp_time() -> datetime.datetime:
    """The moment written into the files we build (archives, workbooks' properties):
    ``SOURCE_DATE_EPOCH`` if set (the reproducible-builds convention), else today at
    00:00 UTC. By the day rather than the second: building the same inputs twice on the
    same day gives the same bytes, without any setting."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
        except (ValueError, OverflowError, OSError):
            moment = None
        if moment is None or moment.year > ZIP_LAST_YEAR:
            raise ConfigError(
                f"SOURCE_DATE_EPOCH invalide : {epoch!r} (secondes attendues, jusqu'à la fin "
                f"de {ZIP_LAST_YEAR}, dernière année qu'une archive zip sait dater).",
                en=f"Invalid SOURCE_DATE_EPOCH: {epoch!r} (seconds expected, up to the end of "
                f"{ZIP_LAST_YEAR}, the last year a zip archive can date).",
            )
        return moment
    today = datetime.datetime.now(datetime.UTC).date()
    return datetime.datetime(today.year, today.month, today.day, tzinfo=datetime.UTC)
