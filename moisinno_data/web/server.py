"""Serving the page with uvicorn, with the bounds a server facing a network needs.

uvicorn bounds the size of a request's head (``h11_max_incomplete_event_size``), idle
keep-alive connections (``timeout_keep_alive``) and the requests in flight
(``limit_concurrency``), but not the *time* a client takes to send its head, nor the
connections one address may hold open. :class:`GuardedH11Protocol` adds them:

- a request's line and headers must arrive within ``header_timeout`` seconds of the
  connection (or of the previous answer), else 408 and the connection is closed;
- a request's head larger than ``max_header_bytes`` is refused (400) even when it
  arrives whole in one packet (h11 bounds only a head still incomplete);
- beyond ``max_connections_per_client`` from one address a new connection is closed at
  once, so slow clients cannot exhaust file descriptors (addresses of trusted proxies
  count only in the total: the proxy limits its clients); beyond ``max_connections`` in
  all it is answered 503 with ``Retry-After``, then closed;
- a request h11 cannot parse (``Content-Length: abc``…) is answered in the page's words,
  French then English, not uvicorn's English ``Invalid HTTP request received.``;
- after an early answer (413 for a body declared too large), the rest of the body is
  read and thrown away for ``linger`` seconds at most, so the client sees the answer
  rather than a reset connection, then the connection is closed;
- an answer the client stops reading (the send buffer full for ``send_timeout``
  seconds) drops the connection and what was left to send: a client reading nothing
  held a 40 MB download in the server's memory for as long as it stayed connected.

Used by ``moisinno serve``, and by uvicorn's own command behind a reverse proxy
(``--http moisinno_data.web.server:GuardedH11Protocol``, see docs/deploiement-web.md).
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import re
from collections import Counter
from typing import Any, ClassVar

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from moisinno_data.web.settings import Limits, Settings

LINGER_BYTES = 64 * 1024 * 1024
HEAD_END = re.compile(rb"\n\r?\n")
"""The blank line ending a request's head, as h11 finds it."""
REFUSAL_WAIT = 1.0
"""Seconds a connection refused with 503 stays open (reading nothing) before it is
closed: closed at once, a request still arriving would reset it and lose the answer."""
BAD_REQUEST = (
    "Requête HTTP mal formée (ligne de requête ou en-tête invalide, par exemple un "
    "Content-Length qui n'est pas un nombre) : corrigez le programme qui l'envoie.\n"
    "Malformed HTTP request (invalid request line or header, for example a "
    "Content-Length that is not a number): fix the program that sends it.\n"
)
HEAD_TOO_LARGE = (
    "En-têtes de la requête trop longs (plus de {size}) : retirez les en-têtes ou cookies "
    "superflus et réessayez.\n"
    "Request headers too large (over {size}): remove needless headers or cookies and "
    "try again.\n"
)
SERVER_FULL = (
    "Le serveur a trop de connexions ouvertes : réessayez dans quelques secondes.\n"
    "The server has too many open connections: try again in a few seconds.\n"
)


def plain_response(status: str, text: str = "", *extra: str) -> bytes:
    """A whole HTTP/1.1 answer that closes the connection, written without h11: for the
    refusals made before (or instead of) parsing a request."""
    body = text.encode("utf-8")
    head = [f"HTTP/1.1 {status}", f"content-length: {len(body)}", "connection: close"]
    if body:
        head.append("content-type: text/plain; charset=utf-8")
    return ("\r\n".join([*head, *extra]) + "\r\n\r\n").encode("latin-1") + body


REQUEST_TIMEOUT = plain_response("408 Request Timeout")


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
        self._send_timer: asyncio.TimerHandle | None = None
        self._lingered = 0
        self._refused = False
        address = self.client[0] if self.client else ""
        if len(self.connections) > self.limits.max_connections:
            self._refuse(plain_response("503 Service Unavailable", SERVER_FULL, "retry-after: 10"))
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
        for timer in (self._header_timer, self._linger_timer, self._send_timer):
            if timer is not None:
                timer.cancel()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # answered already: what comes is thrown away until the close
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

    def pause_writing(self) -> None:
        """The send buffer is full: the client has that long to read some of it."""
        super().pause_writing()
        if self._send_timer is None:
            self._send_timer = self.loop.call_later(self.limits.send_timeout, self._send_late)

    def resume_writing(self) -> None:
        super().resume_writing()
        if self._send_timer is not None:
            self._send_timer.cancel()
            self._send_timer = None

    def _send_late(self) -> None:
        """Dropped, not closed: a close waits for the buffer to be sent, which a client
        reading nothing never lets happen."""
        self._send_timer = None
        self.transport.abort()

    def handle_events(self) -> None:
        """h11 bounds a head only while it is incomplete: one sent whole, in a single
        packet, would pass at any size. Each head is measured here before h11 parses it."""
        if self.conn.their_state is h11.IDLE and self._head_too_large():
            size = f"{self.limits.max_header_bytes // 1024} Ko"
            self._refuse(plain_response("400 Bad Request", HEAD_TOO_LARGE.format(size=size)))
            return
        super().handle_events()

    def _head_too_large(self) -> bool:
        pending, _ = self.conn.trailing_data
        limit = self.limits.max_header_bytes
        return len(pending) > limit and HEAD_END.search(pending, 0, limit) is None

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to a request h11 cannot parse, in the page's words."""
        self._refuse(plain_response("400 Bad Request", BAD_REQUEST))

    def _refuse(self, answer: bytes) -> None:
        """Answer, stop sending, read and discard what the client still sends for
        ``REFUSAL_WAIT`` seconds, then close: closed at once, the socket would reset the
        connection on the client's next bytes and the answer could be lost."""
        self._refused = True
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
        self.transport.write(answer)
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self._linger_timer = self.loop.call_later(REFUSAL_WAIT, self._close)

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
