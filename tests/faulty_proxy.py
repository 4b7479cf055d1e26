"""A small HTTP proxy on loopback that injects network faults on chosen requests.

Put between the publisher and the local udata server, it forwards everything unchanged
and records each request (method, path, what it did), except where a :class:`Fault`
matches: then it

- ``drop_upload``: reads only part of the request body and closes the connection —
  the server never sees the request (a connection dropped mid-upload);
- ``drop_response``: forwards the request, lets the server act on it, then closes the
  connection before answering (the client does not know its POST landed);
- ``500`` / ``429``: answers that status itself (429 with ``Retry-After``);
- ``hang``: reads the request and never answers (until the proxy stops) — the server
  never sees it: a portal that accepts the connection and stays silent.
- ``trickle``: forwards the request, then sends the server's answer a byte at a time,
  :data:`PAUSE` seconds apart (:func:`send_trickled`) — never silent long enough for a
  read timeout, yet never done;
- ``endless``: answers 200 with a JSON body that never ends (:func:`send_endless`).

Each fault fires a bounded number of times (``times``), so a retrying client converges.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade"}
PAUSE = 0.05  # seconds between two bytes of a trickled answer


def send_trickled(handler: BaseHTTPRequestHandler, data: bytes, stop: threading.Event) -> None:
    """Write ``data`` (headers sent already) a byte at a time, until done, the client
    gone or ``stop`` set."""
    with contextlib.suppress(OSError):  # the client gave up: what we test
        for i in range(len(data)):
            if stop.wait(PAUSE):
                break
            handler.wfile.write(data[i : i + 1])
            handler.wfile.flush()
    handler.close_connection = True


def send_endless(
    handler: BaseHTTPRequestHandler, stop: threading.Event, location: str = ""
) -> None:
    """Answer 200 (302 to ``location`` when given) with a chunked JSON body that never
    ends, until the client goes away."""
    handler.send_response(302 if location else 200)
    if location:
        handler.send_header("Location", location)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    piece = b'"exemple fictif sans fin", ' * 1000
    with contextlib.suppress(OSError):
        handler.wfile.write(b"1\r\n[\r\n")
        while not stop.is_set():
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            time.sleep(0.001)
    handler.close_connection = True


@dataclass
class Fault:
    kind: str  # drop_upload | drop_response | 500 | 429 | hang | trickle | endless
    method: str
    path: str  # a regular expression searched in the request path
    times: int = 1
    retry_after: int = 1
    skip: int = 0  # let this many matching requests through first
    fired: int = 0
    seen: int = 0

    def matches(self, method: str, path: str) -> bool:
        if method != self.method or not re.search(self.path, path) or self.fired >= self.times:
            return False
        self.seen += 1
        if self.seen <= self.skip:
            return False
        self.fired += 1
        return True


@dataclass
class Proxy:
    upstream: str
    faults: list[Fault] = field(default_factory=list)
    log: list[tuple[str, str, str]] = field(default_factory=list)
    url: str = ""
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopping: threading.Event = field(default_factory=threading.Event)

    def requests(self, *methods: str) -> list[tuple[str, str, str]]:
        return [entry for entry in self.log if not methods or entry[0] in methods]

    def start(self) -> Proxy:
        proxy = self
        target = urlsplit(self.upstream)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                with proxy._lock:
                    fault = next(
                        (f for f in proxy.faults if f.matches(self.command, self.path)), None
                    )
                kind = fault.kind if fault else "forward"
                proxy.log.append((self.command, self.path, kind))
                if kind == "drop_upload":
                    self.rfile.read(max(length // 2, 1) if length else 0)
                    self._drop()
                    return
                body = self.rfile.read(length) if length else b""
                if kind == "hang":
                    proxy._stopping.wait()
                    self._drop()
                    return
                if kind == "endless":
                    send_endless(self, proxy._stopping)
                    return
                if kind in ("500", "429"):
                    payload = b'{"message": "panne simulee par le proxy de test"}'
                    self.send_response(int(kind))
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    if kind == "429":
                        self.send_header("Retry-After", str(fault.retry_after))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                conn.request(self.command, self.path, body=body or None, headers=headers)
                response = conn.getresponse()
                data = response.read()
                conn.close()
                if kind == "drop_response":
                    self._drop()
                    return
                self.send_response(response.status, response.reason)
                for key, value in response.getheaders():
                    if key.lower() not in HOP_BY_HOP and key.lower() != "content-length":
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if kind == "trickle":
                    send_trickled(self, data, proxy._stopping)
                    return
                self.wfile.write(data)

            def _drop(self):
                self.close_connection = True
                with contextlib.suppress(OSError):  # the peer may be gone already
                    self.connection.shutdown(socket.SHUT_RDWR)
                self.connection.close()

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # hung requests end: their threads with them
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> Proxy:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
