"""Uploads kept in memory for a short while, so the report page can offer its downloads.

The report page links to the HTML and JSON reports, the fixed file and an English
version; each needs the uploaded bytes again. They live here — in this process's memory
only, never on disk — under an unguessable token, for ``ttl`` seconds at most, and the
oldest are forgotten first beyond ``max_bytes`` or ``max_entries``. Derived results (a
report in a language, the fixed file) are cached beside them.
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
    created: float = 0.0
    results: dict[Any, Any] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.data)


class UploadMemory:
    def __init__(
        self, ttl: float = 30 * 60, max_bytes: int = 512 * 1024 * 1024, max_entries: int = 32
    ) -> None:
        self.ttl = ttl
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, entry: Entry) -> str:
        token = secrets.token_urlsafe(18)
        entry.created = time.monotonic()
        with self._lock:
            self._expire()
            self._entries[token] = entry
            total = sum(e.size for e in self._entries.values())
            while len(self._entries) > 1 and (
                total > self.max_bytes or len(self._entries) > self.max_entries
            ):
                _, oldest = self._entries.popitem(last=False)
                total -= oldest.size
        return token

    def get(self, token: str) -> Entry | None:
        with self._lock:
            self._expire()
            return self._entries.get(token)

    def forget(self, token: str) -> bool:
        with self._lock:
            return self._entries.pop(token, None) is not None

    def __len__(self) -> int:
        with self._lock:
            self._expire()
            return len(self._entries)

    def _expire(self) -> None:
        now = time.monotonic()
        for token in [t for t, e in self._entries.items() if now - e.created > self.ttl]:
            del self._entries[token]
