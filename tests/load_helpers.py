"""Build releases and serve folders for the loading tests.

A release here is what the store contract says (``moisinno_data/store.py``): a zip of
datapackage.json, datasets/ and schemas/, with its sha256 in release.json. The rows added
by :func:`add_example_events` are the schema's own made-up examples ("fictif", exemple.gouv.fr).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import json
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from conftest import SCHEMAS
from faulty_proxy import send_endless, send_trickled

from moisinno_data.package import datapackage as package
from moisinno_data.publishing.store import ReleaseStore, StoredRelease


def set_version(root: Path, version: str, name: str | None = None) -> None:
    descriptor = package.read(root)
    descriptor["version"] = version
    if name:  # a package name of its own keeps a test's dataset apart on a shared portal
        descriptor["name"] = name
    package.write(package.refresh(descriptor, root), root)


def add_example_events(root: Path) -> None:
    """Append the schema's valid example events (fictitious) to the copy's events table."""
    example = (SCHEMAS / "evenements" / "exemple-valide.csv").read_text(encoding="utf-8")
    body = example.split("\n", 1)[1]
    target = root / "datasets" / "evenements.csv"
    text = target.read_text(encoding="utf-8")
    target.write_text(text + ("" if text.endswith("\n") else "\n") + body, encoding="utf-8")
    package.write(package.refresh(package.read(root), root), root)


def build_archive(root: Path, dest: Path) -> Path:
    files = [root / "datapackage.json"]
    files += sorted((root / "datasets").glob("*.csv"))
    files += sorted(p for p in (root / "schemas").rglob("*") if p.is_file())
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            zf.write(path, path.relative_to(root).as_posix())
    return dest


def make_release(
    root: Path, version: str, store_root: Path, name: str | None = None
) -> StoredRelease:
    set_version(root, version, name)
    archive = build_archive(root, root.parent / f"build-{version}.zip")
    data = archive.read_bytes()
    meta = {
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "created": "2026-11-25T00:00:00Z",
    }
    return ReleaseStore(store_root).put(version, archive, meta)


@contextlib.contextmanager
def serve(
    folder: Path,
    truncate_zip: bool = False,
    failures: int = 0,
    trickle: str = "",
    endless: str = "",
    redirect: str = "",
) -> Iterator[str]:
    """Serve ``folder`` over HTTP on 127.0.0.1; yields the base URL (ending with /).

    ``truncate_zip``: archives are cut in half and the connection closed, with no
    Content-Length to betray it (a download interrupted by a proxy or a full disk).
    ``failures``: the first N requests get ``503 Service Unavailable``.
    ``trickle``: files whose path ends so are sent a byte at a time (``faulty_proxy.PAUSE``
    apart); ``endless``: requests whose path ends so get a body that never ends;
    ``redirect``: requests whose path starts so are redirected (302) to the rest of their
    path, with a body that never ends.
    """
    failed = [0]
    stop = threading.Event()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            if failed[0] < failures:
                failed[0] += 1
                self.send_response(503)
                self.send_header("Retry-After", "0")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            path = self.path.split("?")[0]
            if redirect and path.startswith(redirect):
                return send_endless(self, stop, location="/" + path.removeprefix(redirect))
            if endless and path.endswith(endless):
                return send_endless(self, stop)
            if trickle and path.endswith(trickle):
                data = (folder / path.lstrip("/")).read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                return send_trickled(self, data, stop)
            if not (truncate_zip and self.path.endswith(".zip")):
                return super().do_GET()
            data = (folder / self.path.lstrip("/")).read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.close_connection = True

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def tamper(path: Path) -> None:
    """Change one byte in the middle of a file (a corrupted or edited archive)."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def release_meta(release: StoredRelease) -> dict:
    return json.loads((release.folder / "release.json").read_text(encoding="utf-8"))


def within(seconds: float, run: Callable[[], object]) -> BaseException | None:
    """What ``run()`` raised (``None`` if nothing), failing the test if it is still running
    after ``seconds``: a hang fails fast instead of holding the suite."""
    outcome: list[BaseException | None] = []

    def target() -> None:
        try:
            run()
        except BaseException as exc:
            outcome.append(exc)
        else:
            outcome.append(None)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"toujours en cours après {seconds} s"
    return outcome[0]
