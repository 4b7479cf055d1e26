"""ASGI middleware that bounds what one request may cost and where it may come from.

Each refusal is answered by ``respond(scope, status)``, given by the application, so the
steward reads the page's own sentence (or the API's JSON) rather than a bare status.
Connection-level bounds (header timeout, connections per address) need the HTTP
protocol itself: see :mod:`.server`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from urllib.parse import urlsplit

import anyio
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

Respond = Callable[[Scope, int], Response]

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    # not "no-referrer": under it browsers send ``Origin: null`` on the page's own posts
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class BodyTimeout(Exception):
    """The request body came too slowly (the application answers 408)."""


class SecurityHeaders:
    """Adds the headers above to every response, pages, files and errors alike."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyDeadline:
    """A body must keep coming (``idle`` seconds at most between two pieces) and be
    complete within ``total`` seconds of the request's start; otherwise reading it raises
    :class:`BodyTimeout`. Once the body is complete, ``receive`` is left alone (it then
    only waits for the client to leave)."""

    def __init__(self, app: ASGIApp, idle: float, total: float) -> None:
        self.app = app
        self.idle = idle
        self.total = total

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deadline = anyio.current_time() + self.total
        complete = False

        async def timed_receive() -> Message:
            nonlocal complete
            if complete:
                return await receive()
            wait = min(self.idle, deadline - anyio.current_time())
            message = None
            if wait > 0:
                with anyio.move_on_after(wait):
                    message = await receive()
            if message is None:
                raise BodyTimeout
            complete = message["type"] != "http.request" or not message.get("more_body")
            return message

        await self.app(scope, timed_receive, send)


class ClientLimit:
    """At most ``per_client`` requests of one address handled at once (429 beyond), so one
    client cannot take every worker. The address is the one uvicorn reports: the peer, or
    the ``X-Forwarded-For`` of a trusted proxy."""

    def __init__(self, app: ASGIApp, per_client: int, respond: Respond) -> None:
        self.app = app
        self.per_client = per_client
        self.respond = respond
        self.active: Counter[str] = Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("?", 0))[0]
        if self.active[client] >= self.per_client:
            response = self.respond(scope, 429)
            response.headers["retry-after"] = "5"
            # no "connection: close": the server then reads and discards the unread body
            # (server.py's linger), so an uploading client sees the 429, not a reset
            await response(scope, receive, send)
            return
        self.active[client] += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.active[client] -= 1
            if self.active[client] <= 0:
                del self.active[client]


class SameOrigin:
    """Form posts only from the page itself: a browser says where a request comes from
    (``Sec-Fetch-Site``, ``Origin``), so another site cannot make a visitor's browser post
    to this server (403). Scripts (curl, requests) send neither header and pass."""

    def __init__(self, app: ASGIApp, respond: Respond) -> None:
        self.app = app
        self.respond = respond

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in UNSAFE_METHODS and foreign(scope):
            await self.respond(scope, 403)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def foreign(scope: Scope) -> bool:
    """True when the browser says the request was made by another site: by
    ``Sec-Fetch-Site`` (every current browser), else by ``Origin`` (older ones)."""
    headers = {
        name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]
    }
    site = headers.get("sec-fetch-site", "").strip().lower()
    if site:
        return site not in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return False
    host = headers.get("host", "").strip().lower()
    return origin.strip().lower() == "null" or urlsplit(origin.strip()).netloc.lower() != host


class TrustedHost:
    """Only requests naming one of ``allowed_hosts`` in their ``Host`` (DNS rebinding: a
    page of another site whose name resolves to 127.0.0.1 must not drive the server).
    Starlette's :class:`TrustedHostMiddleware` decides, with its own rules; the refusal
    is ours (400, the page's sentence or the API's JSON), not its English
    ``Invalid host header`` in plain text."""

    def __init__(self, app: ASGIApp, allowed_hosts: list[str], respond: Respond) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts
        self.respond = respond

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accepted = False

        async def accept(scope: Scope, receive: Receive, send: Send) -> None:
            nonlocal accepted
            accepted = True

        async def discard(message: Message) -> None:
            return None

        check = TrustedHostMiddleware(accept, allowed_hosts=self.allowed_hosts, www_redirect=False)
        await check(scope, receive, discard)
        if accepted:
            await self.app(scope, receive, send)
        else:
            await self.respond(scope, 400)(scope, receive, send)
