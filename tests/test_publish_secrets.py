"""The API key never leaks and never travels where it should not.

A key that an HTTP header cannot hold (two lines, ``\\r\\n`` inside, a control character)
is refused before any request with a sentence that does not quote it; it is never taken
from an argument; ``http://`` to another machine is refused; redirects are followed only
within the portal's own scheme, host and port, and a 3xx is never taken for an answer.
The portal here is a tiny loopback server that records what it receives.
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from release_builder import make_release

from moisinno_data.cli import main
from moisinno_data.portals.base import PortalError
from moisinno_data.portals.http import Budget
from moisinno_data.portals.udata import UdataPortal
from moisinno_data.publishing.store import ReleaseStore

KEY = "udata_cle-fictive-0123456789abcdef"
DATASET = {
    "id": "jeu-fictif",
    "slug": "jeu-fictif",
    "page": "http://127.0.0.1/jeu-fictif",
    "private": False,
    "resources": [],
    "extras": {},
    "tags": [],
}


class Recorder:
    """A loopback HTTP server answering from ``routes`` (path → (status, headers, body))."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.seen: list[tuple[str, str, str | None]] = []  # method, path, X-API-KEY
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                recorder.seen.append((self.command, self.path, self.headers.get("X-API-KEY")))
                status, headers, body = recorder.routes.get(
                    self.path.split("?")[0], (404, {}, b'{"message": "absent"}')
                )
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value.replace("{self}", recorder.url))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def servers():
    portal, other = Recorder(), Recorder()
    yield portal, other
    portal.close()
    other.close()


def _portal(url: str) -> UdataPortal:
    return UdataPortal(url, KEY, attempts=2, backoff=0.01, budget=Budget(connect=2, reply=5))


def _assert_no_key(*texts: str) -> None:
    for text in texts:
        assert KEY not in text


def test_redirect_within_the_same_origin_is_followed(servers, caplog):
    portal, _ = servers
    caplog.set_level(logging.DEBUG)
    portal.routes["/api/1/datasets/ancien/"] = (
        301, {"Location": "/api/1/datasets/jeu-fictif/"}, b""
    )  # fmt: skip
    portal.routes["/api/1/datasets/jeu-fictif/"] = (200, {}, json.dumps(DATASET).encode())
    assert _portal(portal.url).get_dataset("ancien").id == "jeu-fictif"
    assert [(m, p) for m, p, _ in portal.seen] == [
        ("GET", "/api/1/datasets/ancien/"),
        ("GET", "/api/1/datasets/jeu-fictif/"),
    ]
    assert all(key == KEY for _, _, key in portal.seen)
    _assert_no_key(caplog.text)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_to_another_host_is_refused_and_the_key_stays_home(servers, caplog, status):
    portal, other = servers
    caplog.set_level(logging.DEBUG)
    portal.routes["/api/1/datasets/jeu-fictif/"] = (
        status, {"Location": other.url + "/api/1/datasets/jeu-fictif/"}, b""
    )  # fmt: skip
    other.routes["/api/1/datasets/jeu-fictif/"] = (200, {}, json.dumps(DATASET).encode())
    with pytest.raises(PortalError, match="autre serveur") as info:
        _portal(portal.url).get_dataset("jeu-fictif")
    assert other.seen == []  # not even asked, with or without the key
    _assert_no_key(str(info.value), repr(info.value), caplog.text)
    assert len(str(info.value).splitlines()) == 1


def test_redirect_loop_and_other_3xx_are_never_an_answer(servers):
    portal, _ = servers
    portal.routes["/api/1/datasets/a/"] = (302, {"Location": "/api/1/datasets/b/"}, b"")
    portal.routes["/api/1/datasets/b/"] = (302, {"Location": "/api/1/datasets/a/"}, b"")
    portal.routes["/api/1/datasets/c/"] = (300, {}, json.dumps(DATASET).encode())
    portal.routes["/api/1/datasets/d/"] = (302, {}, b"")
    with pytest.raises(PortalError, match="en boucle"):
        _portal(portal.url).get_dataset("a")
    with pytest.raises(PortalError, match="répondu 300"):
        _portal(portal.url).get_dataset("c")
    with pytest.raises(PortalError, match="sans adresse"):
        _portal(portal.url).get_dataset("d")


def test_a_write_is_not_replayed_on_a_303(servers):
    portal, _ = servers
    portal.routes["/api/1/datasets/"] = (303, {"Location": "/api/1/datasets/x/"}, b"")
    with pytest.raises(PortalError, match="requête POST"):
        _portal(portal.url)._create_dataset({"extras": {}}, private=False)
    assert [m for m, _, _ in portal.seen] == ["POST"]


def test_dry_run_on_a_redirecting_portal_is_one_sentence(
    servers, project_copy, monkeypatch, capsys, caplog
):
    """Before: the 3xx counted as success, printed a plan, and apply died on AttributeError."""
    portal, other = servers
    caplog.set_level(logging.DEBUG)
    make_release(project_copy, ReleaseStore(), "0.1.0", name="paquet-fictif")
    monkeypatch.setenv("DATAGOUV_API_KEY", KEY)
    portal.routes["/api/1/me/org_datasets/"] = (
        302, {"Location": other.url + "/api/1/me/org_datasets/"}, b"[]"
    )  # fmt: skip
    for dry in (["--dry-run"], []):
        code = main(["publish", "--target", "datagouv", "--url", portal.url, *dry])
        out, err = capsys.readouterr()
        assert code == 2
        assert out == "" and len(err.strip().splitlines()) == 1, err
        assert "redirige" in err and "Plan" not in out
        _assert_no_key(out, err, caplog.text)
        code = main(["publish", "--target", "datagouv", "--url", portal.url, *dry, "--lang", "en"])
        out, err = capsys.readouterr()
        assert code == 2 and out == "" and len(err.strip().splitlines()) == 1, err
        assert "redirects your datasets (302)" in err and "the API key is not sent" in err, err
        assert "(302) to another server" in err and "autre serveur" not in err, err
        _assert_no_key(out, err, caplog.text)
    assert other.seen == []


BAD_KEYS = {
    "two-lines": KEY + "\nautre-ligne-fictive",
    "crlf-inside": KEY[:10] + "\r\n" + KEY[10:],
    "control": KEY[:10] + "\x1b[2J" + KEY[10:],
    "space": KEY[:10] + " " + KEY[10:],
    "non-ascii": KEY[:10] + "é" + KEY[10:],
}


@pytest.mark.parametrize("source", ["file", "env"])
@pytest.mark.parametrize("name", sorted(BAD_KEYS))
def test_a_key_no_header_can_hold_is_refused_before_any_request(
    servers, project_copy, tmp_path, monkeypatch, capsys, caplog, name, source
):
    portal, _ = servers
    caplog.set_level(logging.DEBUG)
    bad = BAD_KEYS[name]
    args = ["publish", "--target", "datagouv", "--url", portal.url]
    if source == "file":
        key_file = tmp_path / "cle.txt"
        key_file.write_bytes(bad.encode("utf-8") + b"\r\n")
        args += ["--api-key-file", str(key_file)]
        monkeypatch.delenv("DATAGOUV_API_KEY", raising=False)
    else:
        monkeypatch.setenv("DATAGOUV_API_KEY", bad)
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert len(err.strip().splitlines()) == 1 and "Clé d'API refusée" in err, err
    assert main([*args, "--lang", "en"]) == 2
    out_en, err_en = capsys.readouterr()
    assert "API key refused: " in err_en and "Copy the key again" in err_en, err_en
    assert ("file " if source == "file" else "variable DATAGOUV_API_KEY") in err_en
    assert portal.seen == []
    for piece in (bad, KEY[:10], KEY[10:]):
        assert piece not in out + err + out_en + err_en + caplog.text
    with pytest.raises(Exception) as info:
        UdataPortal(portal.url, bad)
    assert bad not in str(info.value) + repr(info.value) and KEY[10:] not in repr(info.value)


@pytest.mark.parametrize("given", [["--api-key", KEY], [f"--api-key={KEY}"], ["--token", KEY]])
def test_a_key_in_an_argument_is_refused_without_being_printed(capsys, given):
    with pytest.raises(SystemExit) as info:
        main(["publish", "--target", "datagouv", *given])
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert "ne se passe jamais en argument" in err
    _assert_no_key(out, err)


def test_no_prefix_matching_of_options(capsys):
    """``--api-key-fi`` used to be taken for ``--api-key-file``, ``--dry`` for ``--dry-run``."""
    for option in ("--api-key-fi", "--dry"):
        with pytest.raises(SystemExit):
            main(["publish", "--target", "datagouv", option, "cle.txt"])
        assert f"arguments non reconnus : {option}" in capsys.readouterr().err


@pytest.mark.parametrize(
    "url, expected",
    [
        ("www.data.gouv.fr", "invalide"),
        ("data.gouv.fr/api/1", "invalide"),
        ("https://", "invalide"),
        ("https://exemple.invalid:99999", "invalide"),
        ("https://exem ple.invalid", "invalide"),
        ("ftp://exemple.invalid", "invalide"),
        ("https://moi:secret@exemple.invalid", "identifiant"),
        ("http://exemple.invalid", "en clair"),
        ("http://192.0.2.10", "en clair"),
    ],
)
def test_bad_urls_are_one_sentence(url, expected, monkeypatch, capsys):
    monkeypatch.setenv("DATAGOUV_API_KEY", KEY)
    assert main(["publish", "--target", "datagouv", "--url", url, "--dry-run"]) == 2
    out, err = capsys.readouterr()
    assert len(err.strip().splitlines()) == 1 and expected in err, err
    assert "Erreur interne" not in err
    _assert_no_key(out, err)


def test_plain_http_is_fine_on_loopback_or_when_allowed():
    assert UdataPortal("http://127.0.0.1:9", KEY).base == "http://127.0.0.1:9"
    assert UdataPortal("http://localhost:9", KEY).base == "http://localhost:9"
    assert UdataPortal("http://[::1]:9", KEY).base == "http://[::1]:9"
    insecure = UdataPortal("http://exemple.invalid", KEY, allow_insecure_http=True)
    assert insecure.api == "http://exemple.invalid/api/1"


def test_insecure_flag_is_offered_by_the_cli(monkeypatch, capsys, project_copy: Path):
    monkeypatch.setenv("DATAGOUV_API_KEY", KEY)
    make_release(project_copy, ReleaseStore(), "0.1.0", name="paquet-fictif")
    asked = []
    monkeypatch.setattr(UdataPortal, "snapshot", lambda self, *a: asked.append(self.base))
    args = ["publish", "--target", "datagouv", "--url", "http://exemple.invalid"]
    assert main([*args, "--dry-run"]) == 2
    assert "en clair" in capsys.readouterr().err and asked == []
    assert main([*args, "--allow-insecure-http", "--dry-run"]) == 0
    assert "Plan de publication" in capsys.readouterr().out
    assert asked == ["http://exemple.invalid"]
