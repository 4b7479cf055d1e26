"""All-or-nothing updates of several files (datasets, ``datapackage.json``, changelog, store).

``fsutil.atomic_write`` makes *one* file change atomic; a consolidation or a release changes
several. A :class:`Transaction`, working in ``<root>/.moisinno-transaction/``:

1. notes in ``staging`` each folder before it stages anything there, then writes every new
   file beside its target under a hidden name ending in ``.txn`` (a store version is a
   hidden ``.txn`` folder);
2. copies each old file into ``backups/``, then writes ``journal.json`` (the undo list);
3. moves the new files and folders into place;
4. deletes ``journal.json`` — the commit point — then the rest of the folder.

A kill at any moment leaves a state :func:`recover` (run under the lock by every command
that writes, and when a command fails) repairs without help: with ``journal.json``, the old
files are put back; without it, the transaction either never started to move files or had
finished, and only the staged ``.txn`` leftovers in the noted folders are removed. A full
disk ends the command with one sentence, staged files removed
(:class:`moisinno_data.fsutil.DiskFullError`).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from moisinno_data import fsutil

JOURNAL_DIR = ".moisinno-transaction"
LOCK_FILE = ".moisinno-verrou"
STAGED_SUFFIX = ".txn"
#: Where ``MOISINNO_CRASH_AT`` can kill the process, in the order a transaction meets them.
CRASH_POINTS = (
    "staging",  # a staged file created, not yet written
    "staged",  # every file staged, commit not started
    "backups",  # the first old file copied, journal not written
    "journal",  # journal written, nothing moved
    "dir",  # a store version moved into place
    "first-file",  # the first file moved into place
    "before-cleanup",  # everything moved, journal still there
    "cleanup",  # journal deleted (committed), its folder not yet
)


def writable_root() -> Path:
    """The data package to write into, refusing the copy bundled inside an installed wheel.

    That copy is the reference shipped with the library (and may be read-only, and is
    replaced on upgrade): publishers work in a clone of the repository, or point
    ``MOISINNO_ROOT`` at their working copy.
    """
    from moisinno_data.errors import ConfigError
    from moisinno_data.package import paths

    try:
        return paths.writable_root()
    except paths.NoPackageError as exc:
        raise ConfigError(str(exc), en=exc.en) from None


@contextlib.contextmanager
def exclusive(root: Path) -> Iterator[None]:
    """One writer at a time on a data package (a lock file, released when the process dies).

    Without it, a second ``consolidate`` started while a first one is committing would
    take the first one's journal for the trace of a crash and undo it. The lock file a
    run creates is removed when it ends, so a ``--dry-run`` leaves the folder as it was.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX: no advisory locks, run unguarded
        yield
        return
    Path(root).mkdir(parents=True, exist_ok=True)
    fd, created = _locked(Path(root) / LOCK_FILE, fcntl)
    try:
        yield
    except BaseException as exc:
        # a failed command leaves nothing behind: no staged file, no half transaction
        with contextlib.suppress(Exception):
            recover(root)
        if isinstance(exc, OSError) and exc.errno in fsutil.DISK_FULL:
            raise fsutil.DiskFullError.about(root, exc) from None
        raise
    finally:
        if created:  # removed while still held: a waiting opener sees it is gone
            with contextlib.suppress(FileNotFoundError):
                os.unlink(Path(root) / LOCK_FILE)
        os.close(fd)  # closing releases the lock


def _locked(path: Path, fcntl: Any) -> tuple[int, bool]:
    """Hold the lock on ``path``: its descriptor, and whether this run created the file.

    A file another run unlinked after we opened it is no lock at all (a third run would
    create a new one): take the lock again on the file now at ``path``.
    """
    while True:
        try:
            fd, created = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666), True
        except FileExistsError:
            try:
                fd, created = os.open(path, os.O_RDWR), False
            except FileNotFoundError:  # removed between the two opens
                continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            from moisinno_data.errors import MoisinnoError

            raise MoisinnoError(
                f"Une autre opération (consolidate ou release) est en cours sur {path.parent} : "
                "attendez qu'elle se termine, puis relancez.",
                en=f"Another operation (consolidate or release) is running on {path.parent}: "
                "wait for it to finish, then run this again.",
            ) from None
        if _same_file(fd, path):
            return fd, created
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False


def _hook(step: str) -> None:
    """Test seam: ``MOISINNO_CRASH_AT=<step>`` kills the process there (kill -9 equivalent)."""
    if os.environ.get("MOISINNO_CRASH_AT") == step:
        os._exit(137)


def _fill(fh: Any, data: bytes) -> None:
    """Write and sync a staged file (a seam for tests that simulate a full disk)."""
    fh.write(data)
    fh.flush()
    os.fsync(fh.fileno())


class Transaction:
    """Collect writes with :meth:`write` / :meth:`add_dir`, then :meth:`commit` them together."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.journal_dir = self.root / JOURNAL_DIR
        self.files: list[tuple[Path, Path]] = []  # (staged temp file, target)
        self.dirs: list[tuple[Path, Path]] = []  # (staged folder, target that must not exist)
        self._noted: set[Path] = set()

    def note(self, folder: Path) -> None:
        """Record, before anything is staged in ``folder``, that recovery must look there."""
        folder = Path(folder).absolute()
        if folder in self._noted:
            return
        if (self.journal_dir / "journal.json").exists():
            recover(self.root)  # a crashed transaction nobody recovered: undo it first
        self.journal_dir.mkdir(parents=True, exist_ok=True)
        with open(self.journal_dir / "staging", "a", encoding="utf-8") as fh:
            fh.write(f"{folder}\n")
            fh.flush()
            os.fsync(fh.fileno())
        self._noted.add(folder)

    def write(self, target: Path, data: str | bytes) -> None:
        target = Path(target)
        fsutil.make_parent(target)
        self.note(target.parent)
        fd, name = fsutil.temporary(target, STAGED_SUFFIX)
        tmp = Path(name)
        try:
            _hook("staging")
            with os.fdopen(fd, "wb") as fh:
                _fill(fh, data.encode("utf-8") if isinstance(data, str) else data)
            # mkstemp makes 0600 files: keep the target's mode, or the usual one for a new file
            os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else fsutil.file_mode())
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise
        self.files.append((tmp, target))

    def add_dir(self, staged: Path, target: Path) -> None:
        """A fully written folder to rename into place (a store version); its parent must
        have been :meth:`note`\\ d before it was staged."""
        self.note(Path(staged).parent)
        self.dirs.append((Path(staged), Path(target)))

    def discard(self) -> None:
        for tmp, _ in self.files:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        for staged, _ in self.dirs:
            shutil.rmtree(staged, ignore_errors=True)
        self.files, self.dirs = [], []
        if not (self.journal_dir / "journal.json").exists():
            shutil.rmtree(self.journal_dir, ignore_errors=True)

    def _journal(self) -> None:
        """Copy the old files and write the undo list; nothing is moved yet."""
        backups = self.journal_dir / "backups"
        backups.mkdir(parents=True, exist_ok=True)
        entries: list[dict[str, Any]] = []
        for i, (tmp, target) in enumerate(self.files):
            backup = None
            if target.exists():
                backup = backups / str(i)
                shutil.copy2(target, backup)
                _hook("backups")
            entries.append(
                {"target": str(target), "backup": backup and str(backup), "staged": str(tmp)}
            )
        for staged, target in self.dirs:
            entries.append({"target": str(target), "dir": True, "staged": str(staged)})
        fsutil.write_text(self.journal_dir / "journal.json", json.dumps({"entries": entries}))

    def commit(self) -> None:
        if not self.files and not self.dirs:
            self.discard()
            return
        _hook("staged")
        for _, target in self.dirs:
            if target.exists():
                self.discard()
                raise FileExistsError(f"{target} existe déjà")
        try:
            self._journal()
        except BaseException:
            self.discard()
            shutil.rmtree(self.journal_dir, ignore_errors=True)
            raise
        _hook("journal")
        try:
            for staged, target in self.dirs:
                os.rename(staged, target)
                _hook("dir")
            for n, (tmp, target) in enumerate(self.files):
                os.replace(tmp, target)
                if n == 0:
                    _hook("first-file")
        except BaseException:
            self.discard()
            recover(self.root)
            raise
        _hook("before-cleanup")
        os.unlink(self.journal_dir / "journal.json")  # the commit point
        _hook("cleanup")
        shutil.rmtree(self.journal_dir, ignore_errors=True)
        self.files, self.dirs = [], []


def _roll_back(entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        target = Path(entry["target"])
        if entry.get("dir"):
            staged = Path(entry["staged"])
            if staged.exists():
                shutil.rmtree(staged, ignore_errors=True)
            elif target.exists():  # moved into place (commit checked it did not exist)
                trash = target.with_name(f".{target.name}.annule{STAGED_SUFFIX}")
                shutil.rmtree(trash, ignore_errors=True)
                os.rename(target, trash)
                shutil.rmtree(trash, ignore_errors=True)
            continue
        with contextlib.suppress(FileNotFoundError):
            Path(entry["staged"]).unlink()
        if entry["backup"]:
            fsutil.write_bytes(target, Path(entry["backup"]).read_bytes())
        else:
            with contextlib.suppress(FileNotFoundError):
                target.unlink()


def _remove_staged(journal_dir: Path) -> None:
    """Delete the hidden ``.txn`` files and folders left in the folders a run noted."""
    noted = journal_dir / "staging"
    if not noted.is_file():
        return
    for line in set(noted.read_text(encoding="utf-8").splitlines()):
        folder = Path(line)
        if not line or not folder.is_dir():
            continue
        for leftover in folder.iterdir():
            if leftover.name.startswith(".") and leftover.name.endswith(STAGED_SUFFIX):
                if leftover.is_dir() and not leftover.is_symlink():
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    with contextlib.suppress(FileNotFoundError):
                        leftover.unlink()


def recover(root: Path) -> bool:
    """Repair what an interrupted transaction left; True when there was one.

    With ``journal.json``: the old files are put back (the new ones may be partly in
    place). A journal whose backups are partly gone is the trace of an older version's
    cleanup after its commit point: the new state is kept. In every case the staged
    leftovers are removed and the transaction folder goes.
    """
    journal_dir = Path(root) / JOURNAL_DIR
    if not journal_dir.exists():
        return False
    journal = journal_dir / "journal.json"
    if journal.is_file():
        entries = json.loads(journal.read_text(encoding="utf-8"))["entries"]
        if all(not e.get("backup") or Path(e["backup"]).is_file() for e in entries):
            _roll_back(entries)
        else:
            for entry in entries:  # committed: only staged copies may remain
                with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                    Path(entry["staged"]).unlink()
        journal.unlink()
    _remove_staged(journal_dir)
    shutil.rmtree(journal_dir, ignore_errors=True)
    return True
