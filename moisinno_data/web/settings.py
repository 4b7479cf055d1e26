"""Every bound the page's server keeps, in one place: sizes, times, counts.

The page may face a network (``moisinno serve --host 0.0.0.0``), so nothing a client
sends may cost the server unbounded memory, time, connections or disk. The defaults
suit a steward's machine serving a team; tests shrink them to stay fast.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

from moisinno_data.errors import ConfigError
from moisinno_data.reading.budget import DEFAULT as DEFAULT_BUDGET
from moisinno_data.reading.budget import Budget

MIB = 1024 * 1024
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


@dataclass(frozen=True)
class Limits:
    """Bounds on what one client, and all of them together, can make the server hold."""

    header_timeout: float = 10.0
    """Seconds a connection has to send a request's line and headers (slowloris)."""
    body_idle_timeout: float = 15.0
    """Seconds without a byte of the body before the upload is abandoned (408)."""
    body_timeout: float = 120.0
    """Seconds for the whole body, however steadily it trickles in (408)."""
    linger: float = 5.0
    """After an early answer (413), seconds the rest of the body is read and discarded so
    the client sees the answer rather than a reset connection; then the connection closes."""
    keep_alive: float = 5.0
    send_timeout: float = 30.0
    """Seconds an answer may wait for the client to read it (the connection's send buffer
    full) before the connection is dropped: a client reading nothing held a 40 MB
    download in memory for as long as it kept the connection."""
    max_header_bytes: int = 16 * 1024
    max_connections: int = 200
    """All clients together (beyond it: 503 with ``Retry-After``, then closed)."""
    max_connections_per_client: int = 16
    """Open connections from one address (proxies listed in ``trusted_proxies`` excepted)."""
    max_requests_per_client: int = 4
    """Requests of one client handled at the same time (429 beyond)."""
    reports_per_client: int = 8
    """Reports kept for one client: its own oldest is forgotten first, never another's."""
    findings_per_kind: int = 1000
    """Findings of one kind kept in a report; the report counts the others."""


@dataclass(frozen=True)
class Settings:
    """What the application needs to know; ``create_app`` puts it on ``app.state``."""

    max_upload_bytes: int = 50 * MIB
    tmp_root: str | os.PathLike[str] | None = None
    """Where the per-process scratch folder goes (the system's temporary folder)."""
    allowed_hosts: tuple[str, ...] = field(default_factory=lambda: allowed_hosts())
    """``Host`` values served (DNS rebinding): see :func:`allowed_hosts`."""
    memory_ttl: float = 30 * 60
    memory_bytes: int = 0
    """Budget of the report store; 0: eight uploads' worth, at least 256 MiB."""
    workers: int = 2
    max_seconds: float | None = 60.0
    """Seconds the reading of one upload may take (``--max-seconds``; None: no limit): a
    1 MB workbook can hold a worker for minutes, and there are ``workers`` of them."""
    limits: Limits = field(default_factory=Limits)

    @property
    def store_bytes(self) -> int:
        return self.memory_bytes or max(8 * self.max_upload_bytes, 256 * MIB)

    @property
    def fixed_file_bytes(self) -> int:
        """The fixed file (``corrige.csv``) the page keeps, at most: half the report store,
        so that one upload whose repeats grow it tenfold cannot push out every other
        client's reports. Four times the upload limit by default: a bigger fixed file is
        for ``moisinno fix`` on one's own machine."""
        return self.store_bytes // 2

    @property
    def budget(self) -> Budget:
        """What one upload may make the server read, hold and build: the library's
        defaults fit a steward's own files (2 GiB per archive entry, 16 MiB per cell),
        not a page open to strangers. Scaled to the upload limit, each size about what a
        real file of that size holds (an XLSX inflates some ten times); never above the
        defaults."""
        size = self.max_upload_bytes
        return Budget(
            max_entry_bytes=min(DEFAULT_BUDGET.max_entry_bytes, max(16 * MIB, 10 * size)),
            max_cell_bytes=min(DEFAULT_BUDGET.max_cell_bytes, max(64 * 1024, size // 50)),
            max_shared_strings=min(DEFAULT_BUDGET.max_shared_strings, max(10_000, size // 20)),
            max_cells=min(DEFAULT_BUDGET.max_cells, max(100_000, size // 2)),
            max_seconds=self.max_seconds,
        )


def allowed_hosts(loopback: bool = True) -> tuple[str, ...]:
    """``Host`` names served: loopback names, plus the public names of a reverse proxy
    listed in ``MOISINNO_ALLOWED_HOSTS`` (comma-separated); every name when the server
    itself listens on a network address."""
    if not loopback:
        return ("*",)
    extra = os.environ.get("MOISINNO_ALLOWED_HOSTS", "")
    return LOOPBACK_HOSTS + tuple(h.strip() for h in extra.split(",") if h.strip())


def seconds(value: float) -> float:
    """``--max-seconds``; ConfigError (French, and English) for what is not a usable time."""
    if not math.isfinite(value) or value <= 0:
        raise ConfigError(
            "la durée maximale doit être un nombre positif de secondes (par exemple 60)",
            en="the time limit must be a positive number of seconds (for example 60)",
        )
    return value


def megabytes(value: float) -> int:
    """``--max-upload-mb`` in bytes; ConfigError (French, and English) for what is not a
    usable size."""
    if not math.isfinite(value) or value <= 0:
        raise ConfigError(
            "la taille maximale doit être un nombre positif (par exemple 50)",
            en="the size limit must be a positive number (for example 50)",
        )
    size = int(value * MIB)
    if size < 1024:
        raise ConfigError(
            "la taille maximale doit être d'au moins 0,001 Mo",
            en="the size limit must be at least 0.001 MB",
        )
    if size > 64 * 1024 * MIB:
        raise ConfigError(
            "la taille maximale ne peut dépasser 65536 Mo",
            en="the size limit cannot exceed 65536 MB",
        )
    return size
