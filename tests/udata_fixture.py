"""A real udata server on loopback for the whole test session (``udata_server`` fixture).

Started by ``scripts/udata_local.py serve`` in udata's own venv (installed on first use if
missing: slow, ~1 min), on a free 127.0.0.1 port; the fixture waits until the API
answers, yields a :class:`UdataServer` — a ``(url, api_key)`` tuple that also carries
``organization`` (an organisation the key administers) — and stops the server at the end.

Other test files use it by name (``def test_x(udata_server): url, key = udata_server``);
``tests/conftest.py`` registers this module as a plugin. Every test should use its own
dataset (e.g. its own package name): the server is shared by the session.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = ROOT / "scripts" / "udata_local.py"
START_TIMEOUT = 90.0


class UdataServer(tuple):
    """``(url, api_key)``, with ``.url``, ``.api_key``, ``.organization``, ``.log`` and
    ``.other_api_key`` (an account outside the organisation, to provoke a 403)."""

    def __new__(cls, url: str, api_key: str, organization: str, log: Path, other_api_key=""):
        obj = super().__new__(cls, (url, api_key))
        obj.url, obj.api_key, obj.organization, obj.log = url, api_key, organization, log
        obj.other_api_key = other_api_key
        return obj

    def __repr__(self) -> str:  # the key stays out of pytest's failure output
        return f"UdataServer({self.url!r}, api_key='***')"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ensure_installed() -> None:
    done = subprocess.run(
        [sys.executable, str(LAUNCHER), "install"], capture_output=True, text=True, timeout=1800
    )
    if done.returncode != 0:
        pytest.skip(
            "serveur udata local impossible à installer (pip install udata==17.18.0 a échoué, "
            f"PyPI injoignable ?) : {done.stderr.strip()[-400:]}"
        )


def start_udata(workdir: Path) -> tuple[subprocess.Popen, UdataServer]:
    """Start a server and wait for it; the caller stops the process."""
    _ensure_installed()
    port = free_port()
    info = workdir / "udata-info.json"
    log = workdir / "udata.log"
    with open(log, "wb") as log_fh:
        proc = subprocess.Popen(
            [sys.executable, str(LAUNCHER), "serve", "--port", str(port), "--info", str(info)],
            stdout=log_fh,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"udata s'est arrêté au démarrage :\n{log.read_text()[-3000:]}")
        if info.is_file():
            data = json.loads(info.read_text(encoding="utf-8"))
            try:
                if requests.get(data["url"] + "/api/1/datasets/extensions/", timeout=2).ok:
                    return proc, UdataServer(
                        data["url"],
                        data["api_key"],
                        data["organization"],
                        log,
                        data.get("other_api_key", ""),
                    )
            except requests.ConnectionError:
                pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError(
        f"udata n'a pas répondu en {START_TIMEOUT:.0f} s :\n{log.read_text()[-3000:]}"
    )


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def udata_server(tmp_path_factory: pytest.TempPathFactory):
    proc, server = start_udata(tmp_path_factory.mktemp("udata"))
    try:
        yield server
    finally:
        stop(proc)
