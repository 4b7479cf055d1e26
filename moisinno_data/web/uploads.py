"""Receiving an upload safely: a size limit that does not trust the client, and no trace on disk.

The ``Content-Length`` header is checked first (a body declared too large is refused at
once, before a byte is read), then every byte of the body is counted while it streams in,
because a client may lie or send a chunked body without a length. The multipart parser
keeps the file in memory (its spool never rolls to disk); the validation engine wants a
path, so :func:`scratch_file` writes a private temporary copy and deletes it in a
``finally``, whatever happens. Those copies live in this process's own folder
(:class:`ScratchArea`), removed when the server stops, and by the next server to start
when a kill left one behind.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import re
import shutil
import tempfile
import threading
import time
import unicodedata
from collections.abc import AsyncGenerator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

# Room for the multipart framing and the small text fields around the file.
MULTIPART_OVERHEAD = 64 * 1024
MAX_FIELD_BYTES = 16 * 1024


class UploadTooLarge(Exception):
    """The body or the file exceeds the server's limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class BadUpload(Exception):
    """The request is not a usable upload; the message is for the user (French; ``en``,
    when given, the same in English)."""

    def __init__(self, message: str, en: str | None = None) -> None:
        super().__init__(message)
        self.en = en

    def text(self, lang: str = "fr") -> str:
        return self.en if lang == "en" and self.en else str(self)


MULTIPART_REFUSALS = [
    (
        r"Too many fields\. Maximum number of fields is (\d+)",
        "Envoi refusé : plus de {0} champs dans le formulaire ; n'envoyez que « file » et "
        "les champs facultatifs « schema », « sheet » et « lang ».",
        "Upload refused: more than {0} fields in the form; send only “file” and the "
        "optional “schema”, “sheet” and “lang” fields.",
    ),
    (
        r"Too many files\. Maximum number of files is (\d+)",
        "Envoi refusé : plus de {0} fichier ; envoyez un seul fichier, dans le champ « file ».",
        "Upload refused: more than {0} file; send a single file, in the “file” field.",
    ),
    (
        r"(?:Part|Field) exceeded maximum size of (\d+)KB",
        "Envoi refusé : un champ du formulaire (autre que le fichier) dépasse {0} Ko ; "
        "raccourcissez-le (un nom de table, de feuille, une langue).",
        "Upload refused: a form field (other than the file) exceeds {0} KB; shorten it (a "
        "table or sheet name, a language).",
    ),
]
UNREADABLE_FORM = (
    "Envoi illisible : le formulaire multipart est mal formé (séparateur absent, en-tête "
    "de partie trop long, comme un nom de fichier de milliers de caractères…) ; "
    "renommez le fichier si besoin et renvoyez-le depuis la page ou avec "
    "curl -F file=@fichier.csv.",
    "Unreadable upload: the multipart form is malformed (missing boundary, a part header "
    "too long, such as a file name of thousands of characters…); rename the file if "
    "needed and send it again from the page or with curl -F file=@file.csv.",
)


def multipart_refusal(message: str) -> BadUpload:
    """Starlette's English refusal of a form, said in a sentence (what, how to fix)."""
    for pattern, fr, en in MULTIPART_REFUSALS:
        found = re.search(pattern, message)
        if found:
            return BadUpload(fr.format(*found.groups()), en.format(*found.groups()))
    return BadUpload(*UNREADABLE_FORM)


@dataclass
class Upload:
    filename: str
    data: bytes
    fields: dict[str, str] = field(default_factory=dict)


class _Counted:
    """The request body, counted chunk by chunk; raises once it exceeds ``cap`` bytes."""

    def __init__(self, request: Request, cap: int, limit: int) -> None:
        self.source = request.stream()
        self.cap = cap
        self.limit = limit
        self.received = 0

    async def chunks(self) -> AsyncGenerator[bytes, None]:
        async for chunk in self.source:
            self.received += len(chunk)
            if self.received > self.cap:
                raise UploadTooLarge(self.limit)
            yield chunk


async def read_upload(request: Request, limit: int) -> Upload:
    """The uploaded file (field ``file``) and the text fields, or UploadTooLarge / BadUpload."""
    cap = limit + MULTIPART_OVERHEAD
    body = _Counted(request, cap, limit)
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            declared_size = int(declared)
        except ValueError:
            raise BadUpload("En-tête Content-Length invalide.") from None
        if declared_size > cap:  # answered at once; the server discards the rest (linger)
            raise UploadTooLarge(limit)
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise BadUpload(
            "Le fichier doit être envoyé en multipart/form-data, dans le champ « file »."
        )
    parser = MultiPartParser(
        request.headers,
        body.chunks(),
        max_files=1,
        max_fields=20,
        max_part_size=MAX_FIELD_BYTES,
    )
    parser.spool_max_size = cap + 1  # keep the file in memory: nothing reaches the disk
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise multipart_refusal(exc.message) from None
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise BadUpload(
                "Aucun fichier reçu : choisissez un fichier CSV, XLSX ou ODS.",
                "No file received: choose a CSV, XLSX or ODS file.",
            )
        data = await upload.read()
        if len(data) > limit:
            raise UploadTooLarge(limit)
        fields = {key: value for key, value in form.multi_items() if isinstance(value, str)}
        return Upload(filename=shown_filename(upload.filename), data=data, fields=fields)
    finally:
        await form.close()


_UNSAFE = re.compile(r"[^\w.\- ()]+")
MAX_NAME_CHARS = 200
"""Characters of a file name the page shows and repeats in its downloads' names."""


def shown_filename(name: str, default: str = "fichier") -> str:
    """The name the page, its reports and its downloads give the upload: the base name
    (browsers send one, some old ones a full client path), without control or format
    characters — NUL, line breaks, and the bidirectional overrides (U+202E) that make
    ``rapport\u202elmth.csv`` read as ``rapportvsc.html`` — and at most
    :data:`MAX_NAME_CHARS` characters, extension kept."""
    base = _base_name(name, _printable).strip()
    if len(base) > MAX_NAME_CHARS:
        stem, dot, ext = base.rpartition(".")
        ext = ext if dot and stem and len(ext) <= 10 else ""
        base = base[: MAX_NAME_CHARS - len(ext) - 2].rstrip() + "…" + (f".{ext}" if ext else "")
    return base or default


def _base_name(name: str, keep: Callable[[str], bool]) -> str:
    """The last part of a client's path (``\\`` or ``/``), NFC, its characters ``keep``
    says to keep: what the shown and the scratch names start from."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in unicodedata.normalize("NFC", base) if keep(ch))


def _printable(ch: str) -> bool:
    return unicodedata.category(ch)[0] != "C" and ch not in "\u2028\u2029"


def _not_control(ch: str) -> bool:
    return unicodedata.category(ch)[0] != "C"


def safe_filename(name: str, default: str = "fichier") -> str:
    """A harmless base name that keeps the extension (the reader detects formats by it)."""
    base = _UNSAFE.sub("_", _base_name(name, _not_control)).strip(" .")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = stem[:80] or default
    ext = ext[:10]
    return f"{stem}.{ext}" if ext else stem


class ScratchArea:
    """This process's folder for scratch copies: ``<tmp>/moisinno-web-<pid>-<random>/``.

    The folder holds a lock file, locked (``flock``) for as long as the process lives. A
    process killed mid-request (SIGKILL, out of memory) runs no ``finally`` and leaves its
    copies behind; its lock dies with it, so the next server to start sees a folder nobody
    holds and removes it. A clean stop removes the folder itself (lifespan and ``atexit``).
    """

    PREFIX = "moisinno-web-"
    LOCK = ".verrou"

    def __init__(self, root: str | os.PathLike | None = None) -> None:
        self.root = Path(root) if root is not None else Path(tempfile.gettempdir())
        self._folder: Path | None = None
        self._lock_fd: int | None = None
        self._guard = threading.Lock()

    def folder(self) -> Path:
        """The folder, created (after removing dead servers' folders) on first use."""
        with self._guard:
            if self._folder is None or not self._folder.is_dir():
                self._release()
                self.sweep()
                folder = Path(
                    tempfile.mkdtemp(prefix=f"{self.PREFIX}{os.getpid()}-", dir=self.root)
                )
                fd = os.open(folder / self.LOCK, os.O_WRONLY | os.O_CREAT, 0o600)
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._folder, self._lock_fd = folder, fd
                atexit.register(self.close)
            return self._folder

    def sweep(self) -> list[Path]:
        """Remove the folders of servers that are gone; return them."""
        removed = []
        for folder in self.root.glob(f"{self.PREFIX}*"):
            if folder.is_dir() and folder != self._folder and _abandoned(folder / self.LOCK):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
        return removed

    def close(self) -> None:
        with self._guard:
            self._release()

    def _release(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None


def _abandoned(lock: Path) -> bool:
    """True when no living process holds ``lock`` (a lockless folder counts once a minute
    old: its server died between creating it and locking it, or predates the lock)."""
    try:
        fd = os.open(lock, os.O_RDONLY)
    except FileNotFoundError:
        try:
            return time.time() - lock.parent.stat().st_mtime > 60
        except OSError:
            return False
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # held: its server is alive
    finally:
        os.close(fd)
    return True


@contextlib.contextmanager
def scratch_file(data: bytes, filename: str, area: ScratchArea) -> Iterator[Path]:
    """A private temporary copy of the upload, removed with its folder when the block ends."""
    folder = tempfile.mkdtemp(prefix="envoi-", dir=area.folder())
    try:
        path = Path(folder) / safe_filename(filename)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)
