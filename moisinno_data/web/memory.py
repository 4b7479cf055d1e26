"""Uploads kept in memory for a short while, so the report page can offer its downloads.

The report page links to the HTML and JSON reports, the fixed file and an English
version; each needs the uploaded bytes again. They live here — in this process's memory
only, never on disk — under an unguessable token, for ``ttl`` seconds at most. Derived
results (a report in a language, the fixed file) are cached beside them and counted in
the entry's cost (``cost()`` of each result: a report costs its findings, not its file).

Each client (its address) has a quota of reports: beyond it, that client's least recently
used report is forgotten, never another's. When the store as a whole is over budget, the
client holding the most gives one up first — so one client sending 32 quick uploads
cannot empty the page for everybody else.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Entry:
    filename: str
    data: bytes
    schema: str | None
    sheet: str | None
    owner: str = ""
    """The client that sent it (its address): quotas are per owner."""
    created: float = 0.0
    results: dict[Any, Any] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """Bytes this entry keeps alive: the upload and every result derived from it."""
        derived = 0
        for result in list(self.results.values()):
            cost = getattr(result, "cost", None)
            derived += cost() if callable(cost) else 0
        return len(self.data) + derived


class UploadMemory:
    def __init__(
        self,
        ttl: float = 30 * 60,
        max_bytes: int = 512 * 1024 * 1024,
        max_entries: int = 32,
        per_owner: int = 8,
    ) -> None:
        self.ttl = ttl
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self.per_owner = per_owner
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        """Least recently used first."""
        self._lock = threading.Lock()

    def put(self, entry: Entry) -> str:
        token = secrets.token_urlsafe(18)
        entry.created = time.monotonic()
        with self._lock:
            self._expire()
            self._entries[token] = entry
            self._trim(keep=token)
        return token

    def get(self, token: str) -> Entry | None:
        with self._lock:
            self._expire()
            entry = self._entries.get(token)
            if entry is not None:
                self._entries.move_to_end(token)
            return entry

    def trim(self) -> None:
        """Re-apply the budget after an entry grew (a new language, the fixed file)."""
        with self._lock:
            self._trim(keep=next(reversed(self._entries), None))

    def forget(self, token: str) -> bool:
        with self._lock:
            return self._entries.pop(token, None) is not None

    def __len__(self) -> int:
        with self._lock:
            self._expire()
            return len(self._entries)

    def _trim(self, keep: str | None) -> None:
        owner = self._entries[keep].owner if keep is not None and keep in self._entries else None
        while sum(e.owner == owner for e in self._entries.values()) > self.per_owner:
            self._evict(owner, keep)
        sizes = {token: entry.size for token, entry in self._entries.items()}
        while len(self._entries) > 1 and (
            sum(sizes.values()) > self.max_bytes or len(self._entries) > self.max_entries
        ):
            sizes.pop(self._evict(self._heaviest_owner(sizes, keep), keep), None)

    def _heaviest_owner(self, sizes: dict[str, int], keep: str | None) -> str:
        """The owner holding the most bytes (the entry just stored counts for its owner
        but is never the one given up)."""
        held: dict[str, int] = {}
        for token, entry in self._entries.items():
            held[entry.owner] = held.get(entry.owner, 0) + sizes.get(token, 0) + 1
        evictable = {e.owner for t, e in self._entries.items() if t != keep}
        return max(evictable, key=lambda owner: held[owner])

    def _evict(self, owner: str | None, keep: str | None) -> str:
        """Forget ``owner``'s least recently used entry other than ``keep``."""
        victim = next(t for t, e in self._entries.items() if e.owner == owner and t != keep)
        del self._entries[victim]
        return victim

    def _expire(self) -> None:
        now = time.monotonic()
        for token in [t for t, e in self._entries.items() if now - e.created > self.ttl]:
            del self._entries[token]
