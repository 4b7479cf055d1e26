"""All-or-nothing updates of several files (datasets, ``datapackage.json``, changelog, store).

``fsutil.atomic_write`` makes *one* file change atomic; a consolidation or a release changes
several. A :class:`Transaction` first writes every new file beside its target (hidden
temporary names), then records an undo journal (a copy of each old file) under
``<root>/.moisinno-transaction/``, then moves the new files into place. If anything fails
while moving, the old files are put back before the error propagates; if the process is
killed, the journal survives and :func:`recover` — called at the start of every command that
writes — puts the old files back. Either way the previous state is what remains.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from moisinno_data import fsutil

JOURNAL_DIR = ".moisinno-transaction"
LOCK_FILE = ".moisinno-verrou"


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
        raise ConfigError(str(exc)) from None


@contextlib.contextmanager
def exclusive(root: Path) -> Iterator[None]:
    """One writer at a time on a data package (a lock file, released when the process dies).

    Without it, a second ``consolidate`` started while a first one is committing would
    take the first one's journal for the trace of a crash and undo it.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX: no advisory locks, run unguarded
        yield
        return
    Path(root).mkdir(parents=True, exist_ok=True)
    with open(Path(root) / LOCK_FILE, "a+b") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            from moisinno_data.errors import MoisinnoError

            raise MoisinnoError(
                f"Une autre opération (consolidate ou release) est en cours sur {root} : "
                "attendez qu'elle se termine, puis relancez."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _hook(step: str) -> None:
    """Test seam: ``MOISINNO_CRASH_AT=<step>`` kills the process there (kill -9 equivalent)."""
    if os.environ.get("MOISINNO_CRASH_AT") == step:
        os._exit(137)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class Transaction:
    """Collect writes with :meth:`write` / :meth:`add_dir`, then :meth:`commit` them together."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.files: list[tuple[Path, Path]] = []  # (staged temp file, target)
        self.dirs: list[
            tuple[Path, Path]
        ] = []  # (staged folder, target folder that must not exist)

    def write(self, target: Path, data: str | bytes) -> None:
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".txn", dir=target.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes 0600 files: keep the target's mode, or the usual one for a new file
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else _default_mode())
        self.files.append((Path(tmp), target))

    def add_dir(self, staged: Path, target: Path) -> None:
        """A fully written folder to rename into place (a store version)."""
        self.dirs.append((Path(staged), Path(target)))

    def discard(self) -> None:
        for tmp, _ in self.files:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        for staged, _ in self.dirs:
            shutil.rmtree(staged, ignore_errors=True)
        self.files, self.dirs = [], []

    def commit(self) -> None:
        if not self.files and not self.dirs:
            return
        journal_dir = self.root / JOURNAL_DIR
        if journal_dir.exists():
            recover(self.root)
        for _, target in self.dirs:
            if target.exists():
                self.discard()
                raise FileExistsError(f"{target} existe déjà")
        backups = journal_dir / "backups"
        try:
            backups.mkdir(parents=True)
            entries: list[dict[str, Any]] = []
            for i, (tmp, target) in enumerate(self.files):
                backup = None
                if target.exists():
                    backup = backups / str(i)
                    shutil.copy2(target, backup)
                entries.append(
                    {"target": str(target), "backup": backup and str(backup), "staged": str(tmp)}
                )
            for staged, target in self.dirs:
                entries.append({"target": str(target), "dir": True, "staged": str(staged)})
            fsutil.write_text(journal_dir / "journal.json", json.dumps({"entries": entries}))
        except BaseException:
            shutil.rmtree(journal_dir, ignore_errors=True)
            self.discard()
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
        shutil.rmtree(journal_dir, ignore_errors=True)
        self.files, self.dirs = [], []


def recover(root: Path) -> bool:
    """Undo a transaction that was interrupted; True when there was one to undo."""
    journal_dir = Path(root) / JOURNAL_DIR
    journal = journal_dir / "journal.json"
    if not journal.is_file():
        # killed before the journal was complete: nothing was moved into place yet
        shutil.rmtree(journal_dir, ignore_errors=True)
        return False
    entries = json.loads(journal.read_text(encoding="utf-8"))["entries"]
    for entry in entries:
        target = Path(entry["target"])
        if entry.get("dir"):
            if entry.get("staged"):
                shutil.rmtree(entry["staged"], ignore_errors=True)
            if target.exists():
                trash = target.with_name(f".{target.name}.annule")
                shutil.rmtree(trash, ignore_errors=True)
                os.rename(target, trash)
                shutil.rmtree(trash, ignore_errors=True)
            continue
        if entry.get("staged"):
            with contextlib.suppress(FileNotFoundError):
                Path(entry["staged"]).unlink()
        if entry["backup"]:
            fsutil.write_bytes(target, Path(entry["backup"]).read_bytes())
        else:
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
    shutil.rmtree(journal_dir, ignore_errors=True)
    return True
