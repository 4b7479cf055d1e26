"""The page's server under hostile clients: each bound, tried against the real uvicorn server.

Every test starts the server as ``moisinno serve`` does (same protocol class, same
middleware) on 127.0.0.1, port 0, in a thread, with small limits so that each bound is
reached in a second or two, and talks to it with raw sockets or httpx. Other loopback
addresses (127.0.0.2…) stand for other clients. Times asserted are generous upper bounds:
the point of these tests is that the server answers or hangs up *in bounded time*.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from conftest import SCHEMAS

from moisinno_data.web import Limits, Settings, create_app
from moisinno_data.web.server import server_config
from moisinno_data.web.settings import MIB

VALID = SCHEMAS / "evenements" / "exemple-valide.csv"
BOUNDARY = "frontiere-fictive"


@dataclass
class Running:
    port: int
    app: object

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextlib.contextmanager
def serving(tmp_path: Path, upload_bytes: int = MIB, **limits: float) -> Iterator[Running]:
    """The real server (``moisinno serve``'s configuration) with these limits, stopped
    at the end of the block. No proxy is trusted, so every address is a client."""
    settings = Settings(
        max_upload_bytes=upload_bytes, tmp_root=str(tmp_path), limits=Limits(**limits)
    )
    app = create_app(settings)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = server_config(app, settings, trusted=(), timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.02)
    try:
        yield Running(port=sock.getsockname()[1], app=app)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
    assert not thread.is_alive(), "the server did not stop"


def connect(server: Running, source: str = "127.0.0.1") -> socket.socket:
    conn = socket.create_connection(
        ("127.0.0.1", server.port), timeout=10, source_address=(source, 0)
    )
    return conn


def head(path: str, port: int, **headers: str) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def read_answer(conn: socket.socket, limit: float = 10) -> tuple[bytes, float]:
    """Everything the server sends until it hangs up (or ``limit`` seconds), and when the
    first byte came."""
    conn.settimeout(limit)
    start = time.monotonic()
    first = None
    chunks = []
    with contextlib.suppress(OSError):
        while True:
            chunk = conn.recv(65536)
            if first is None:
                first = time.monotonic() - start
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks), first if first is not None else limit


def closed_within(conn: socket.socket, seconds: float) -> bool:
    """True when the server closes the connection (EOF or reset) within ``seconds``."""
    conn.settimeout(seconds)
    try:
        while conn.recv(65536):
            pass
    except TimeoutError:
        return False
    except OSError:
        return True
    return True


def multipart_start(name: str = "fichier.csv") -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()


# --- sizes and times ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/validate", "/valider"])
def test_huge_declared_body_is_answered_413_at_once(tmp_path, path):
    """10 GB announced, nothing sent: 413 at once (not after reading), then the server
    hangs up within its linger time."""
    with serving(tmp_path, linger=1) as server, connect(server) as conn:
        conn.sendall(
            head(
                path,
                server.port,
                content_type=f"multipart/form-data; boundary={BOUNDARY}",
                content_length=str(10 * 1024**3),
            )
        )
        started = time.monotonic()
        answer, first_byte = read_answer(conn, limit=10)
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        assert first_byte < 2
        assert time.monotonic() - started < 5, "the connection was not closed after lingering"
    text = answer.decode("utf-8", "replace")
    assert ("Fichier trop volumineux" in text) if path == "/valider" else ("too-large" in text)


def test_a_body_trickled_too_slowly_gets_408(tmp_path):
    """One byte every 0.3 s never trips the idle timeout, but the whole body has 2 s."""
    with serving(tmp_path, body_idle_timeout=1, body_timeout=2) as server:
        with connect(server) as conn:
            conn.sendall(
                head(
                    "/api/validate",
                    server.port,
                    content_type=f"multipart/form-data; boundary={BOUNDARY}",
                    content_length="100000",
                )
                + multipart_start()
            )
            started = time.monotonic()
            conn.settimeout(0.3)
            answer = b""
            while time.monotonic() - started < 10 and not answer:
                with contextlib.suppress(OSError):
                    conn.send(b"x")
                with contextlib.suppress(TimeoutError, OSError):
                    answer = conn.recv(65536)
            elapsed = time.monotonic() - started
            assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
            assert 1.5 < elapsed < 6
            assert b"too-slow" in answer + read_answer(conn, 5)[0]
        with connect(server) as idle:  # a body that stops coming: 408 after the idle time
            idle.sendall(
                head(
                    "/valider", server.port, content_type="multipart/form-data; boundary=x"
                ).replace(b"\r\n\r\n", b"\r\nContent-Length: 5000\r\n\r\n")
                + b"--x\r\n"
            )
            answer, first_byte = read_answer(idle, limit=10)
            assert answer.startswith(b"HTTP/1.1 408") and 0.5 < first_byte < 4
            assert "Envoi trop lent" in answer.decode("utf-8", "replace")


def test_trickled_or_missing_headers_are_cut(tmp_path):
    with serving(tmp_path, header_timeout=1) as server:
        with connect(server) as slow:
            started = time.monotonic()
            slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            slow.settimeout(0.2)
            cut = b""
            for i in range(50):  # a header line every 0.2 s, forever
                with contextlib.suppress(OSError):
                    slow.sendall(f"X-Lent-{i}: a\r\n".encode())
                try:
                    cut = slow.recv(65536)
                    break
                except TimeoutError:
                    continue
                except OSError:
                    break
            assert time.monotonic() - started < 4
            assert cut == b"" or cut.startswith(b"HTTP/1.1 408")
        with connect(server) as silent:  # connects, sends nothing
            assert closed_within(silent, 4)
        with connect(server) as huge:  # a head beyond 16 KB is refused
            huge.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Gros: " + b"a" * 40000)
            answer, _ = read_answer(huge, 5)
            assert answer.startswith(b"HTTP/1.1 400")
        assert httpx.get(server.url + "/", timeout=10).status_code == 200


def test_a_head_over_the_limit_is_refused_even_when_sent_whole(tmp_path):
    """h11 bounds only an incomplete head: 60 KB of headers in one packet used to pass."""
    with serving(tmp_path) as server, connect(server) as conn:
        big = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Gros: " + b"a" * 60000 + b"\r\n\r\n"
        conn.sendall(big)
        answer, _ = read_answer(conn, 5)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert "En-têtes de la requête trop longs (plus de 16 Ko)" in answer.decode()
    with serving(tmp_path) as server, connect(server) as conn:  # just under: served
        conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: " + b"a" * 15000 + b"\r\n\r\n")
        assert read_answer(conn, 5)[0].startswith(b"HTTP/1.1 200")


def test_a_malformed_request_is_answered_in_french(tmp_path):
    """h11's refusals (here ``Content-Length: abc``) say what is wrong in the page's
    words, not uvicorn's English ``Invalid HTTP request received.``"""
    with serving(tmp_path) as server, connect(server) as conn:
        conn.sendall(head("/api/validate", server.port, content_length="abc"))
        answer, _ = read_answer(conn, 5)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    text = answer.decode()
    assert "Requête HTTP mal formée" in text and "Malformed HTTP request" in text
    assert "Invalid HTTP request received" not in text


# --- how many, from whom -------------------------------------------------------------------
# --- how many, from whom -------------------------------------------------------------------


def test_connections_per_client_and_in_total_are_capped(tmp_path):
    limits = {"header_timeout": 8, "max_connections_per_client": 3, "max_connections": 6}
    with serving(tmp_path, **limits) as server, contextlib.ExitStack() as stack:
        mine = [stack.enter_context(connect(server)) for _ in range(3)]
        extra = stack.enter_context(connect(server))
        assert closed_within(extra, 2), "a 4th idle connection from one address is closed"
        assert not closed_within(mine[0], 0.3), "the first three stay open"
        other = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"))
        assert other.get(server.url + "/", timeout=10).status_code == 200
        other.close()
        for source in ("127.0.0.3", "127.0.0.3", "127.0.0.4"):
            stack.enter_context(connect(server, source))
        over = stack.enter_context(connect(server, "127.0.0.5"))
        over.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        answer, _ = read_answer(over, 3)
        assert answer.startswith(b"HTTP/1.1 503"), "beyond 6 connections in all: 503, closed"
        assert b"retry-after: 10" in answer.lower() and "réessayez" in answer.decode()


def test_requests_in_flight_per_client_are_capped(tmp_path):
    limits = {"max_requests_per_client": 2, "body_idle_timeout": 30, "body_timeout": 30}
    with serving(tmp_path, **limits) as server, contextlib.ExitStack() as stack:
        for _ in range(2):  # two uploads under way, waiting for the rest of their body
            conn = stack.enter_context(connect(server))
            conn.sendall(
                head(
                    "/api/validate",
                    server.port,
                    content_type=f"multipart/form-data; boundary={BOUNDARY}",
                    content_length="5000",
                )
                + multipart_start()
            )
        time.sleep(0.3)
        third = httpx.get(server.url + "/", timeout=10)
        assert third.status_code == 429 and third.headers["retry-after"]
        assert "plusieurs envois en cours" in third.text
        with connect(server) as upload:  # a third upload: its body is read, the 429 seen
            body = multipart_start() + b"x" * 5_000_000 + f"\r\n--{BOUNDARY}--\r\n".encode()
            kind = f"multipart/form-data; boundary={BOUNDARY}"
            request = head("/api/validate", server.port, content_type=kind)
            request = request[:-2] + f"Content-Length: {len(body)}\r\n\r\n".encode()
            upload.sendall(request)
            time.sleep(0.5)  # the 429 is sent before the body comes: no reset while sending
            upload.sendall(body)
            answer, _ = read_answer(upload, 3)
            assert answer.startswith(b"HTTP/1.1 429"), answer[:100]
        other = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"))
        assert other.get(server.url + "/", timeout=10).status_code == 200
        other.close()


def test_reports_are_kept_per_client(tmp_path):
    """32 quick uploads from one client evict only its own oldest reports."""
    data = VALID.read_bytes()
    with serving(tmp_path, reports_per_client=4) as server:
        first = httpx.Client(base_url=server.url, timeout=30)
        mine = first.post("/valider", files={"file": ("a.csv", data, "text/csv")})
        assert mine.status_code == 303
        mine_url = mine.headers["location"]
        flood = httpx.Client(
            base_url=server.url,
            timeout=30,
            transport=httpx.HTTPTransport(local_address="127.0.0.2"),
        )
        theirs = [
            flood.post("/valider", files={"file": (f"{i}.csv", data, "text/csv")})
            for i in range(32)
        ]
        assert all(r.status_code == 303 for r in theirs)
        assert first.get(mine_url).status_code == 200, "another client's flood evicted us"
        kept = [flood.get(r.headers["location"]).status_code for r in theirs]
        assert kept == [404] * 28 + [200] * 4, "the flooder keeps its own 4 latest"
        first.close()
        flood.close()


# --- what and from where ---------------------------------------------------------------------


def test_posts_from_another_site_are_refused(tmp_path):
    files = {"file": ("a.csv", VALID.read_bytes(), "text/csv")}
    with serving(tmp_path) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        evil = client.post("/valider", files=files, headers={"Origin": "https://evil.example"})
        assert evil.status_code == 403 and "Requête refusée" in evil.text
        cross = client.post("/api/validate", files=files, headers={"Sec-Fetch-Site": "cross-site"})
        assert cross.status_code == 403 and cross.json()["error"] == "forbidden"
        forget = client.post("/rapport/x/oublier", headers={"Origin": "null"})
        assert forget.status_code == 403
        own = client.post("/valider", files=files, headers={"Origin": server.url})
        assert own.status_code == 303
        same = client.post("/valider", files=files, headers={"Sec-Fetch-Site": "same-origin"})
        assert same.status_code == 303
        assert client.post("/api/validate", files=files).status_code == 200  # a script


def test_method_not_allowed_says_which_are(tmp_path):
    with serving(tmp_path) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        put = client.put("/")
        assert put.status_code == 405 and set(put.headers["allow"].split(", ")) == {"GET", "HEAD"}
        assert "GET" in put.text
        api = client.delete("/api/validate")
        assert api.status_code == 405 and api.headers["allow"] == "POST"
        assert api.json()["error"] == "method-not-allowed"


# --- a server killed mid-request ---------------------------------------------------------------


def test_uploads_left_by_a_killed_server_are_removed_by_the_next(tmp_path):
    """SIGKILL runs no ``finally``: the scratch copy stays until the next server starts,
    which removes the dead server's folder; a clean stop leaves the folder empty."""
    import os
    import signal

    from test_web_browser import start_server, stop_server

    tmp = tmp_path / "tmp"
    dense = b"id\n" + b"doublon-fictif\n" * 150_000  # slow to validate: every row a duplicate
    first = start_server(tmp)

    def send() -> None:
        with contextlib.suppress(httpx.HTTPError):
            httpx.post(
                first.url + "api/validate",
                files={"file": ("dense.csv", dense, "text/csv")},
                data={"schema": "evenements"},
                timeout=60,
            )

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    deadline = time.monotonic() + 30
    while not list(tmp.glob("moisinno-web-*/envoi-*/dense.csv")):
        assert time.monotonic() < deadline, "the upload never reached the scratch folder"
        time.sleep(0.005)
    os.kill(first.process.pid, signal.SIGKILL)
    first.process.wait(timeout=10)
    sender.join(timeout=30)
    assert list(tmp.glob("moisinno-web-*/envoi-*/dense.csv")), "the kill left the copy behind"
    second = start_server(tmp)
    try:
        assert not list(tmp.glob("moisinno-web-*/envoi-*")), "the next server removed it"
        assert httpx.get(second.url, timeout=10).status_code == 200
    finally:
        stop_server(second)
    assert list(tmp.iterdir()) == []


# --- an error-dense upload ------------------------------------------------------------------


def _peak_rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process, in MB, from /proc."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def test_error_dense_upload_stays_bounded_in_the_server(tmp_path):
    """5 MB where every row repeats the key (about 5 million findings): the server keeps
    its memory under 800 MB and answers a small JSON that counts what it left out. A
    watchdog stops the server as soon as it passes the bound, so a regression fails fast
    instead of eating the machine."""
    from test_web_browser import start_server, stop_server

    dense = b"id\n" + b"x\n" * (5 * 1024 * 1024 // 2)
    server = start_server(tmp_path / "tmp")
    answer: dict[str, httpx.Response] = {}

    def send() -> None:
        with contextlib.suppress(httpx.HTTPError):
            answer["response"] = httpx.post(
                server.url + "api/validate",
                files={"file": ("dense.csv", dense, "text/csv")},
                data={"schema": "evenements"},
                timeout=600,
            )

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    peak = 0.0
    try:
        while sender.is_alive():
            _, peak = _peak_rss_mb(server.process.pid)
            if peak > 800:
                break
            sender.join(timeout=0.1)
        _, peak = _peak_rss_mb(server.process.pid)
    finally:
        stop_server(server)
    assert peak < 800, f"the server grew to {peak:.0f} MB"
    response = answer["response"]
    assert response.status_code == 200
    assert len(response.content) < 5 * 1024 * 1024
    report = response.json()
    omitted = {(i["severity"], i["code"]): i["count"] for i in report["omitted"]}
    rows = dense.count(b"\n") - 1
    assert omitted[("error", "unique-error")] + 1000 == rows - 1
    assert report["stats"]["rows"] == rows


def test_one_client_cannot_hold_every_worker(tmp_path, monkeypatch):
    """Sweep J: with the default two workers, one address sending two workbooks that each
    take a minute to read held both, and every other steward's upload waited behind them.
    A client runs at most ``workers - 1`` jobs at once; its others wait in its own queue,
    and another client's upload runs meanwhile. (Here client a's jobs wait until client
    b's has run: without the bound, a's two would hold both workers and b's would never
    start before a's are let go.)"""
    from moisinno_data.web import engine

    real, lock, let_go = engine.validate_upload, threading.Lock(), threading.Event()
    running = {"a": 0, "b": 0}
    peak = {"a": 0, "b": 0}

    def watched(data, filename, **kwargs):
        who = filename[0]
        with lock:
            running[who] += 1
            peak[who] = max(peak[who], running[who])
        try:
            if who == "a":
                let_go.wait(30)
            else:
                let_go.set()  # b ran while a's jobs were held: the bound works
            return real(data, filename, **kwargs)
        finally:
            with lock:
                running[who] -= 1

    monkeypatch.setattr(engine, "validate_upload", watched)
    data = VALID.read_bytes()
    with serving(tmp_path) as server:

        def post(source: str, name: str) -> int:
            transport = httpx.HTTPTransport(local_address=source)
            with httpx.Client(base_url=server.url, timeout=60, transport=transport) as client:
                files = {"file": (name, data, "text/csv")}
                return client.post("/api/validate", files=files).status_code

        results: dict[str, int] = {}
        threads = [
            threading.Thread(target=lambda n=n: results.update({n: post("127.0.0.2", n)}))
            for n in ("a1.csv", "a2.csv")
        ]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 15
        while running["a"] < 1:
            assert time.monotonic() < deadline, "client a's first job never started"
            time.sleep(0.02)
        time.sleep(0.5)  # time for a second job of a to take the other worker, if it could
        assert post("127.0.0.3", "b.csv") == 200
        assert let_go.is_set(), "b's upload ran only once a's were let go"
        for thread in threads:
            thread.join(60)
    assert results == {"a1.csv": 200, "a2.csv": 200} and peak == {"a": 1, "b": 1}


def test_a_client_that_leaves_stops_its_validations(tmp_path, monkeypatch):
    """Sweep 4M: a client sending two slow workbooks (80 KB, 9 s of reading each) and hanging up
    at once still cost the server 19 s of a worker: the running validation went on to its
    end, its scratch copy kept meanwhile, and the one queued behind it then ran too, for
    nobody. A validation now stops at its next time check once its client has left, and
    one still waiting for a worker never starts."""
    from hostile_files import xlsx_empty_elements

    from moisinno_data.web import engine

    (tmp_path / "fichiers").mkdir()
    slow = xlsx_empty_elements(tmp_path / "fichiers" / "lent.xlsx", 20_000_000).read_bytes()
    real, ran = engine.validate_upload, []

    def timed(data, filename, **kwargs):
        started = time.monotonic()
        try:
            return real(data, filename, **kwargs)
        finally:
            ran.append(time.monotonic() - started)

    monkeypatch.setattr(engine, "validate_upload", timed)
    body = multipart_start("lent.xlsx") + slow + f"\r\n--{BOUNDARY}--\r\n".encode()
    kind = f"multipart/form-data; boundary={BOUNDARY}"
    request = head("/api/validate", 0, content_type=kind, content_length=str(len(body)))
    with serving(tmp_path, upload_bytes=16 * MIB) as server:  # a budget for 80 MB of XML
        request = request.replace(b"127.0.0.1:0", f"127.0.0.1:{server.port}".encode())
        conns = [connect(server, "127.0.0.2") for _ in range(2)]
        for conn in conns:
            conn.sendall(request + body)
        deadline = time.monotonic() + 10
        while not list(tmp_path.glob("moisinno-web-*/envoi-*")):
            assert time.monotonic() < deadline, "the first validation never started"
            time.sleep(0.05)
        time.sleep(0.3)
        for conn in conns:
            conn.close()
        left = time.monotonic()
        while list(tmp_path.glob("moisinno-web-*/envoi-*")) and time.monotonic() - left < 3:
            time.sleep(0.05)
        assert not list(tmp_path.glob("moisinno-web-*/envoi-*")), "still validating for nobody"
        time.sleep(1)  # time for the queued upload to start, if it could
        assert len(ran) == 1 and ran[0] < 4, ran
        assert httpx.get(server.url + "/", timeout=10).status_code == 200


def test_a_client_that_stops_reading_its_download_is_dropped(tmp_path):
    """Sweep 4M: a client asking for a 40 MB fixed file and reading nothing held it in
    the server's send buffer for as long as it kept the connection open (16 such
    downloads: +650 MB, still held 33 s later). A response the client stops reading is
    now dropped after ``send_timeout`` seconds, its buffer freed."""
    cell = "fictif " * 10_000
    columns = (SCHEMAS / "evenements" / "exemple-valide.csv").read_text().splitlines()[0]
    rows = [",".join(f"id{i}" if c == "id" else cell for c in columns.split(",")) for i in range(5)]
    data = (columns + "\n" + "\n".join(rows) + "\n").encode()
    with serving(tmp_path, upload_bytes=16 * MIB, send_timeout=1) as server:
        posted = httpx.post(
            server.url + "/valider",
            files={"file": ("longues.csv", data, "text/csv")},
            data={"schema": "evenements"},
            timeout=60,
        )
        token = posted.headers["location"].split("?")[0]
        fixed = httpx.get(f"{server.url}{token}/corrige.csv", timeout=60)  # made, kept
        assert len(fixed.content) > 8 * MIB
        with socket.socket() as conn:
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            conn.connect(("127.0.0.1", server.port))
            conn.sendall(f"GET {token}/corrige.csv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            time.sleep(3)  # reading nothing
            answer, _ = read_answer(conn, 10)
        assert answer.startswith(b"HTTP/1.1 200")
        assert len(answer) < len(fixed.content) // 2, (
            "the whole file was kept for a client reading nothing"
        )
        assert httpx.get(server.url + "/", timeout=10).status_code == 200


def _rss_mb() -> float:
    return _peak_rss_mb(os.getpid())[0]


def test_downloads_not_yet_read_cost_a_piece_not_a_copy(tmp_path):
    """Sweep 4M: a download was written to its connection whole, so each one the client
    had not read yet held a copy of the file in the server's send buffer (eight 9 MB
    fixed files: +40 MB; 16 of 40 MB from one address: +650 MB). It is now sent in
    pieces, each once the previous one has left: a download not read costs one piece."""
    cell = "fictif " * 10_000
    columns = (SCHEMAS / "evenements" / "exemple-valide.csv").read_text().splitlines()[0]
    rows = [",".join(f"id{i}" if c == "id" else cell for c in columns.split(",")) for i in range(5)]
    data = (columns + "\n" + "\n".join(rows) + "\n").encode()
    with serving(tmp_path, upload_bytes=16 * MIB) as server:
        posted = httpx.post(
            server.url + "/valider",
            files={"file": ("longues.csv", data, "text/csv")},
            data={"schema": "evenements"},
            timeout=60,
        )
        token = posted.headers["location"].split("?")[0]
        fixed = httpx.get(f"{server.url}{token}/corrige.csv", timeout=60)  # made, kept
        assert len(fixed.content) > 8 * MIB
        before = _rss_mb()
        with contextlib.ExitStack() as stack:
            for k in range(8):  # two clients, four downloads each
                conn = stack.enter_context(socket.socket())
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                conn.bind((f"127.0.0.{2 + k // 4}", 0))
                conn.connect(("127.0.0.1", server.port))
                conn.sendall(
                    f"GET {token}/corrige.csv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
                )
            time.sleep(1.5)  # reading nothing
            grown = _rss_mb() - before
            answer, _ = read_answer(conn, 10)  # the last one, read to its end
        assert grown < 15, f"the server grew {grown:.0f} MB for eight downloads not read"
        assert answer.endswith(fixed.content[-1000:])
