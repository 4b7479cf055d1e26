"""Serving the page with uvicorn, with the bounds a server facing a network needs.

uvicorn bounds the size of a request's head (``h11_max_incomplete_event_size``), idle
keep-alive connections (``timeout_keep_alive``) and the requests in flight
(``limit_concurrency``), but not the *time* a client takes to send its head, nor the
connections one address may hold open. :class:`GuardedH11Protocol` adds them:

- a request's line and headers must arrive within ``header_timeout`` seconds of the
  connection (or of the previous answer), else 408 and the connection is closed;
- beyond ``max_connections`` in all, or ``max_connections_per_client`` from one address,
  a new connection is closed at once, so slow clients cannot exhaust file descriptors
  (addresses of trusted proxies count only in the total: the proxy limits its clients);
- after an early answer (413 for a body declared too large), the rest of the body is
  read and thrown away for ``linger`` seconds at most, so the client sees the answer
  rather than a reset connection, then the connection is closed.

Used by ``moisinno serve``, and by uvicorn's own command behind a reverse proxy
(``--http moisinno_data.web.server:GuardedH11Protocol``, see docs/deploiement-web.md).
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
from collections import Counter
from typing import Any, ClassVar

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from moisinno_data.web.settings import Limits, Settings

REQUEST_TIMEOUT = b"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
LINGER_BYTES = 64 * 1024 * 1024


def trusted_proxies() -> tuple[str, ...]:
    """The addresses whose ``X-Forwarded-For`` is believed: uvicorn's rule and default."""
    raw = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
    return tuple(item.strip() for item in raw.split(",") if item.strip())


def _is_trusted(address: str, trusted: tuple[str, ...]) -> bool:
    if "*" in trusted:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address in trusted
    for item in trusted:
        try:
            if ip in ipaddress.ip_network(item, strict=False):
                return True
        except ValueError:
            continue
    return False


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a header deadline, connection caps and lingering."""

    limits: ClassVar[Limits] = Limits()
    trusted: ClassVar[tuple[str, ...]] = trusted_proxies()
    per_peer: ClassVar[Counter[str]] = Counter()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._peer: str | None = None
        self._header_timer: asyncio.TimerHandle | None = None
        self._linger_timer: asyncio.TimerHandle | None = None
        self._lingered = 0
        address = self.client[0] if self.client else ""
        if len(self.connections) > self.limits.max_connections:
            transport.close()
            return
        if not _is_trusted(address, self.trusted):
            if self.per_peer[address] >= self.limits.max_connections_per_client:
                transport.close()
                return
            self.per_peer[address] += 1
            self._peer = address
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._peer is not None:
            self.per_peer[self._peer] -= 1
            if self.per_peer[self._peer] <= 0:
                del self.per_peer[self._peer]
            self._peer = None
        for timer in (self._header_timer, self._linger_timer):
            if timer is not None:
                timer.cancel()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._linger_timer is not None:
            self._lingered += len(data)
            if self._lingered > LINGER_BYTES:
                self._close()
                return
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE and self._header_timer is not None:
            self._header_timer.cancel()  # the head is complete
            self._header_timer = None
        if self._linger_timer is not None and self.conn.their_state is h11.IDLE:
            self._linger_timer.cancel()  # the refused body ended: a new request may come
            self._linger_timer = None
            self._arm_header_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.transport.is_closing():
            return
        if self.conn.their_state is h11.SEND_BODY:  # answered before reading the body
            self._linger_timer = self.loop.call_later(self.limits.linger, self._close)
        elif self.conn.their_state is h11.IDLE:
            self._arm_header_timer()

    def _arm_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
        self._header_timer = self.loop.call_later(self.limits.header_timeout, self._head_late)

    def _head_late(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.write(REQUEST_TIMEOUT)
            self._close()

    def _close(self) -> None:
        self._linger_timer = None
        if not self.transport.is_closing():
            self.transport.close()


def guarded_protocol(limits: Limits, trusted: tuple[str, ...]) -> type[GuardedH11Protocol]:
    """The protocol class for one server: its own bounds and its own per-address count."""
    attributes = {"limits": limits, "trusted": trusted, "per_peer": Counter()}
    return type("GuardedH11Protocol", (GuardedH11Protocol,), attributes)


def server_config(
    app: Any, settings: Settings, *, trusted: tuple[str, ...] | None = None, **options: Any
) -> uvicorn.Config:
    """uvicorn's configuration for ``app`` with the bounds of ``settings.limits``.

    ``trusted`` lists the reverse proxies whose ``X-Forwarded-For`` gives the client's
    address (uvicorn's ``FORWARDED_ALLOW_IPS``, 127.0.0.1 by default); ``()`` trusts none.
    """
    limits = settings.limits
    trusted = trusted_proxies() if trusted is None else trusted
    return uvicorn.Config(
        app,
        http=guarded_protocol(limits, trusted),
        timeout_keep_alive=int(limits.keep_alive) or 1,
        limit_concurrency=limits.max_connections,
        h11_max_incomplete_event_size=limits.max_header_bytes,
        proxy_headers=bool(trusted),
        forwarded_allow_ips=list(trusted) or None,
        log_level="warning",
        access_log=False,
        server_header=False,
        **options,
    )
