"""Pinned versions from the store, a URL or a folder; verified, cached, offline.

The udata case (a real udata server on loopback) is in ``test_load_udata.py``.
"""

from __future__ import annotations

import hashlib
import shutil
import zipfile

import pytest
from load_helpers import add_example_events, make_release, release_meta, serve, tamper, within

import moisinno_data as md
from moisinno_data.cli import main
from moisinno_data.loading.versions import (
    ReleaseIntegrityError,
    SourceError,
    VersionError,
    available,
    resolve,
)
from moisinno_data.portals import http
from moisinno_data.publishing.store import ReleaseStore


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("MOISINNO_CACHE", str(folder))
    return folder


@pytest.fixture
def two_releases(project_copy, tmp_path, cache):
    """0.2.0 = the real data; 0.3.0 = plus three made-up example events."""
    store = tmp_path / "releases"
    first = make_release(project_copy, "0.2.0", store)
    add_example_events(project_copy)
    second = make_release(project_copy, "0.3.0", store)
    return store, first, second


def test_each_pinned_version_loads_its_own_rows(two_releases):
    _, first, second = two_releases
    old = md.load("evenements", version="0.2.0")
    new = md.load("evenements", version="0.3.0")
    assert len(new) == len(old) + 3
    assert "2020-exemple-atelier-fictif" in set(new["id"])
    assert "2020-exemple-atelier-fictif" not in set(old["id"])
    assert old.attrs["version"] == "0.2.0" and new.attrs["version"] == "0.3.0"
    assert old.attrs["sha256"] == first.sha256 and new.attrs["sha256"] == second.sha256
    assert str(new["date_debut"].dtype) == "datetime64[us, Europe/Paris]"
    assert "version 0.3.0 [jeu de données]" in new.attrs["citation"]
    assert f"sha256 {second.sha256}" in new.attrs["citation"]


def test_store_archive_is_unpacked_once_by_checksum(two_releases, cache):
    _, first, _ = two_releases
    where = resolve("0.2.0")
    assert where.verified and where.sha256 == first.sha256
    assert where.root.is_relative_to(cache / "extracted" / first.sha256)


def test_an_unpacked_copy_altered_since_is_unpacked_again_from_the_archive(two_releases, cache):
    """The unpacked copy of a verified archive was trusted as it stood: a schema edited in
    the cache changed the types of the version loaded (its CSV alone was checked), a
    file removed from it was a raw FileNotFoundError."""
    _, first, _ = two_releases
    unpacked = resolve("0.2.0").root
    schema = unpacked / "schemas" / "editions" / "schema.json"
    published = schema.read_bytes()
    schema.write_bytes(published.replace(b'"integer"', b'"string"'))
    (unpacked / "datasets" / "laboratoires.csv").unlink()
    (unpacked / "datasets" / "extra.csv").write_text("x\n", encoding="utf-8")
    editions = md.load("editions", version="0.2.0")
    assert str(editions["annee"].dtype) == "Int64"
    assert len(md.load("laboratoires", version="0.2.0")) > 0
    root = resolve("0.2.0").root
    assert root == unpacked and schema.read_bytes() == published
    assert not (root / "datasets" / "extra.csv").exists()
    assert [p.name for p in (cache / "extracted").iterdir()] == [first.sha256]


def test_tampered_store_archive_is_refused_and_not_unpacked(two_releases, cache):
    _, first, _ = two_releases
    tamper(first.archive)
    with pytest.raises(ReleaseIntegrityError) as err:
        md.load("evenements", version="0.2.0")
    assert first.sha256 in str(err.value) and "altéré" in str(err.value)
    assert not (cache / "extracted" / first.sha256).exists()


def test_truncated_store_archive_is_refused(two_releases):
    _, _, second = two_releases
    data = second.archive.read_bytes()
    second.archive.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReleaseIntegrityError):
        md.load_package(version="0.3.0")


def test_unknown_version_says_where_it_looked(two_releases):
    with pytest.raises(VersionError) as err:
        md.load("evenements", version="9.9.9")
    message = str(err.value)
    assert "0.2.0, 0.3.0" in message and "source=" in message
    with pytest.raises(VersionError):
        md.load("evenements", version="1.2")


def test_mirror_over_http_downloads_verifies_and_then_works_offline(two_releases, cache):
    store, _, second = two_releases
    with serve(store) as url:
        frame = md.load("evenements", version="0.3.0", source=url)
        assert len(frame) == len(md.load("evenements", version="0.2.0")) + 3
        assert frame.attrs["origin"].startswith("http://127.0.0.1")
        versions = [v.version for v in available(url)]
        assert versions == ["0.2.0", "0.3.0"]
        latest = md.load("editions", source=url)  # no version: the latest published
        assert latest.attrs["version"] == "0.3.0"
    # Server gone: the cached, verified copy still loads, by source or by version alone.
    again = md.load("evenements", version="0.3.0", source=url)
    assert list(again["id"]) == list(frame["id"])
    shutil.rmtree(store / "0.3.0")  # not in the store any more either
    cached = [v for v in available() if v.origin.startswith("cache")]
    assert [(v.version, v.sha256) for v in cached] == [("0.3.0", second.sha256)]
    assert md.load("evenements", version="0.3.0").attrs["sha256"] == second.sha256


def test_default_source_from_the_environment(two_releases, tmp_path, monkeypatch):
    store, _, second = two_releases
    monkeypatch.setenv("MOISINNO_STORE", str(tmp_path / "autre-depot-vide"))
    with pytest.raises(VersionError) as err:
        md.load("editions", version="0.3.0")
    assert "MOISINNO_SOURCE" in str(err.value)
    with serve(store) as url:
        monkeypatch.setenv("MOISINNO_SOURCE", url)
        assert md.load("editions", version="0.3.0").attrs["sha256"] == second.sha256


def test_archive_url_with_fragment_checksum(two_releases, cache):
    store, first, _ = two_releases
    with serve(store) as url:
        archive_url = f"{url}0.2.0/moisinno-data-0.2.0.zip"
        good = md.load("laboratoires", source=f"{archive_url}#sha256={first.sha256}")
        assert good.attrs["version"] == "0.2.0"
        # Once cached, asking for the same archive with another checksum is refused too.
        with pytest.raises(ReleaseIntegrityError) as err:
            md.load("laboratoires", source=archive_url, sha256="0" * 64)
        assert "0" * 64 in str(err.value)


def test_archive_url_with_wrong_checksum_is_refused_and_not_cached(two_releases, cache):
    store, _, _ = two_releases
    with serve(store) as url, pytest.raises(ReleaseIntegrityError):
        md.load("editions", source=f"{url}0.3.0/moisinno-data-0.3.0.zip#sha256={'a' * 64}")
    assert not list((cache / "downloads").rglob("*.zip"))
    assert not list((cache / "downloads").rglob("*.part"))


def test_archive_tampered_on_the_server_is_refused(two_releases, cache):
    store, _, second = two_releases
    tamper(second.archive)  # release.json still publishes the original sha256
    with serve(store) as url, pytest.raises(ReleaseIntegrityError) as err:
        md.load("evenements", version="0.3.0", source=url)
    assert second.sha256 in str(err.value)
    assert not list((cache / "downloads").rglob("*.zip"))


def test_download_cut_short_is_refused(two_releases, cache):
    store, _, second = two_releases
    with serve(store, truncate_zip=True) as url, pytest.raises(ReleaseIntegrityError) as err:
        md.load("evenements", version="0.3.0", source=url)
    assert second.sha256 in str(err.value)
    assert not list((cache / "downloads").rglob("*.zip"))
    assert not list((cache / "extracted").glob("*"))


def test_releases_cut_by_moisinno_release_load(project_copy, tmp_path, cache):
    """The archives of the real release command, not only this file's helper."""
    from moisinno_data.publishing.release import release

    store = ReleaseStore(tmp_path / "releases")
    first = release(store=store)
    add_example_events(project_copy)
    second = release(store=store)
    assert first.version != second.version
    old = md.load("evenements", version=first.version)
    new = md.load("evenements", version=second.version)
    assert len(new) == len(old) + 3
    assert new.attrs["sha256"] == store.get(second.version).sha256


def test_archive_url_without_any_checksum_is_refused(two_releases, tmp_path):
    _, first, _ = two_releases
    lone = tmp_path / "lone"
    lone.mkdir()
    shutil.copy(first.archive, lone / first.archive.name)
    with serve(lone) as url, pytest.raises(ReleaseIntegrityError) as err:
        md.load("editions", source=url + first.archive.name)
    assert "sha256" in str(err.value)


def test_local_sources(two_releases, project_copy, tmp_path):
    store, first, _ = two_releases
    assert md.load("editions", version="0.2.0", source=store).attrs["version"] == "0.2.0"
    assert md.load("editions", source=first.archive).attrs["sha256"] == first.sha256
    unpacked = md.load("editions", source=project_copy)
    assert unpacked.attrs["version"] == "0.3.0"
    with pytest.raises(SourceError):
        md.load("editions", source=tmp_path / "nowhere")
    meta = release_meta(first)
    assert meta["sha256"] == first.sha256


def test_versions_published_to_a_local_portal_load_checked(two_releases, tmp_path, capsys):
    """``moisinno publish``'s default target is a local folder: a researcher loads a
    version from it (the dataset's folder, or the portal's when it holds one dataset), its
    archive checked against the sha256 the portal recorded."""
    from moisinno_data.portals.content import ReleaseContent
    from moisinno_data.portals.local import LocalPortal

    store, first, second = two_releases
    portal = LocalPortal(tmp_path / "portail")
    for release in (first, second):
        portal.publish(ReleaseContent.from_release(ReleaseStore(store).get(release.version)))
    (dataset,) = [d for d in portal.folder.iterdir() if (d / "dataset.json").is_file()]
    for source in (dataset, portal.folder):
        old = md.load("evenements", version="0.2.0", source=source)
        assert old.attrs["version"] == "0.2.0" and old.attrs["sha256"] == first.sha256
        assert "portail local" in old.attrs["origin"]
        assert md.load("evenements", source=source).attrs["version"] == "0.3.0"
    assert [(v.version, v.sha256) for v in available(portal.folder)] == [
        ("0.2.0", first.sha256),
        ("0.3.0", second.sha256),
    ]
    assert main(["versions", "--source", str(portal.folder), "--json"]) == 0
    assert second.sha256 in capsys.readouterr().out
    with pytest.raises(VersionError, match=r"0\.9\.0"):
        md.load("evenements", version="0.9.0", source=dataset)
    tamper(next((dataset / "archives").glob("*0.2.0.zip")))
    with pytest.raises(ReleaseIntegrityError):
        md.load("evenements", version="0.2.0", source=dataset, sha256=None)


def test_a_local_portal_of_several_datasets_asks_for_one(two_releases, tmp_path):
    from moisinno_data.portals.content import ReleaseContent
    from moisinno_data.portals.local import LocalPortal

    store, first, _ = two_releases
    portal = LocalPortal(tmp_path / "portail")
    content = ReleaseContent.from_release(ReleaseStore(store).get(first.version))
    portal.publish(content)
    portal.publish(content, dataset="autre-jeu-fictif")
    with pytest.raises(SourceError, match="plusieurs jeux de données") as caught:
        md.load("evenements", source=portal.folder)
    assert "autre-jeu-fictif" in str(caught.value)


def test_transient_server_errors_are_retried(two_releases, cache, monkeypatch):
    monkeypatch.setattr("moisinno_data.loading.versions.RETRY_DELAYS", (0.01, 0.01))
    store, _, second = two_releases
    with serve(store, failures=2) as url:
        assert md.load("editions", version="0.3.0", source=url).attrs["sha256"] == second.sha256
    shutil.rmtree(cache)
    with serve(store, failures=3) as url, pytest.raises(SourceError) as err:
        md.load("editions", version="0.3.0", source=url)
    assert "3 essais" in str(err.value) and "503" in str(err.value)


def test_an_archive_trickled_by_its_mirror_is_cut_at_the_deadline_and_leaves_no_file(
    two_releases, cache, monkeypatch
):
    """A mirror sending the archive a byte every 0.05 s is never silent long enough for
    ``requests``' read timeout: ``load`` waited for the whole archive (half an hour for
    this one). Now the download stops at its deadline (shrunk here to 1 s), says so, and
    leaves nothing in the cache."""
    monkeypatch.setattr(http, "FILE_LIMIT", http.BodyLimit(max_bytes=1 << 30, seconds=1.0))
    store, _, _ = two_releases
    with serve(store, trickle=".zip") as url:
        err = within(30, lambda: md.load("editions", version="0.3.0", source=url))
    assert isinstance(err, SourceError), err
    message = str(err)
    assert "n'est pas arrivée en entier en 1 s" in message and "0.3.0/moisinno-data" in message
    assert "did not arrive whole within 1 s" in err.text("en")
    assert [p for p in (cache / "downloads").rglob("*") if p.is_file()] == []


def test_an_archive_larger_than_the_cap_is_refused_before_reading(two_releases, cache, monkeypatch):
    """Its Content-Length says it is over the cap: refused before a byte is read (the
    mirror trickles, so reading it would take minutes)."""
    monkeypatch.setattr(http, "FILE_LIMIT", http.BodyLimit(max_bytes=1000, seconds=3600))
    store, _, _ = two_releases
    with serve(store, trickle=".zip") as url:
        err = within(30, lambda: md.load("editions", version="0.3.0", source=url))
    assert isinstance(err, SourceError), err
    assert "dépasse 1000 octets : lecture arrêtée" in str(err)
    assert "exceeds 1000 bytes: reading stopped" in err.text("en")
    assert [p for p in (cache / "downloads").rglob("*") if p.is_file()] == []


def test_an_endless_answer_is_refused_while_read_and_its_token_never_said(
    two_releases, cache, monkeypatch, capsys
):
    """A source whose answer never ends filled memory until the process died; now reading
    stops at the cap (shrunk here to 1 MiB), exit 2, and the address is said without its
    query, where a token may travel."""
    monkeypatch.setattr(http, "ANSWER_LIMIT", http.BodyLimit(max_bytes=1 << 20, seconds=60))
    monkeypatch.setattr(http, "FILE_LIMIT", http.BodyLimit(max_bytes=1 << 20, seconds=60))
    store, _, second = two_releases
    with serve(store, endless="index.json") as url:
        codes: list[int] = []
        assert within(30, lambda: codes.append(main(["versions", "--source", url]))) is None
        assert codes == [2]
        _, err = capsys.readouterr()
        assert "index.json dépasse 1 Mio : lecture arrêtée" in err and "Erreur" in err
        assert main(["--lang", "en", "versions", "--source", url]) == 2
        assert "index.json exceeds 1 MiB: reading stopped" in capsys.readouterr().err
    archive = f"0.3.0/moisinno-data-0.3.0.zip?token=jeton-fictif#sha256={second.sha256}"
    with serve(store, endless=".zip") as url:
        err = within(30, lambda: md.load("editions", source=url + archive))
    assert isinstance(err, SourceError), err
    assert "dépasse 1 Mio" in str(err) and "jeton-fictif" not in str(err) + err.text("en")
    assert [p for p in (cache / "downloads").rglob("*") if p.is_file()] == []


def test_a_redirect_with_an_endless_body_is_followed_without_reading_it(
    two_releases, cache, monkeypatch
):
    """``requests`` reads a redirect's whole body before following it, however long it is:
    a release host answering 302 with an endless body held ``load`` and filled memory.
    Redirects are now followed by hand, their bodies never read; the archive loads."""
    store, _, second = two_releases
    archive = f"/redirige/0.3.0/moisinno-data-0.3.0.zip#sha256={second.sha256}"
    frames = []
    with serve(store, redirect="/redirige/") as url:
        run = lambda: frames.append(md.load("editions", source=url.rstrip("/") + archive))  # noqa: E731
        assert within(30, run) is None
    assert frames[0].attrs["sha256"] == second.sha256


def test_archive_with_a_top_folder_loads(two_releases, tmp_path):
    """Archives re-packed by other tools often put everything under one folder."""
    _, first, _ = two_releases
    nested = tmp_path / "moisinno-data-0.2.0.zip"
    with zipfile.ZipFile(first.archive) as src, zipfile.ZipFile(nested, "w") as dst:
        for item in src.infolist():
            dst.writestr(f"moisinno-data-0.2.0/{item.filename}", src.read(item))
    digest = hashlib.sha256(nested.read_bytes()).hexdigest()
    frame = md.load("laboratoires", source=nested, sha256=digest)
    assert frame.attrs["version"] == "0.2.0" and frame.attrs["sha256"] == digest


def test_archive_escaping_its_folder_is_refused(tmp_path, cache):
    evil = tmp_path / "moisinno-data-0.9.0.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("datapackage.json", "{}")
        zf.writestr("../../echappe.txt", "exemple fictif")
    digest = hashlib.sha256(evil.read_bytes()).hexdigest()
    with pytest.raises(ReleaseIntegrityError) as err:
        md.load("editions", source=evil, sha256=digest)
    assert "chemin dangereux" in str(err.value)
    assert not (tmp_path.parent / "echappe.txt").exists()
    assert not list((cache / "extracted").glob("*"))


def test_unreachable_portal_is_a_clear_error(cache, monkeypatch):
    monkeypatch.setattr("moisinno_data.loading.versions.RETRY_DELAYS", (0.01, 0.01))
    with pytest.raises(SourceError) as err:
        md.load("editions", version="0.2.0", source="http://127.0.0.1:9/releases/")
    assert "127.0.0.1:9" in str(err.value)


def test_versions_command_lists_bundled_and_store(two_releases, capsys):
    assert main(["versions"]) == 0
    out = capsys.readouterr().out
    assert "0.2.0" in out and "0.3.0" in out
    # a user's package is its working copy, not a copy bundled with the library
    assert "état actuel du paquet" in out and "embarquée" not in out


def test_versions_command_lists_a_source(two_releases, capsys):
    store, first, _ = two_releases
    with serve(store) as url:
        assert main(["versions", "--source", url, "--json"]) == 0
    out = capsys.readouterr().out
    assert first.sha256 in out or '"0.2.0"' in out


def test_versions_command_bad_source_exits_2(capsys, monkeypatch):
    monkeypatch.setattr("moisinno_data.loading.versions.RETRY_DELAYS", (0.01, 0.01))
    assert main(["versions", "--source", "http://127.0.0.1:9/"]) == 2
    assert "Erreur" in capsys.readouterr().err


def test_versions_command_says_where_in_english_and_keeps_the_json(two_releases, tmp_path, capsys):
    """``--lang en``: where each version comes from and the empty listing in English; the
    JSON's ``origin`` stays as it was (a field scripts read), and French is the default."""
    import json

    store, _, _ = two_releases
    assert main(["versions", "--lang", "en"]) == 0
    en = capsys.readouterr().out
    assert "current state of the package (" in en and f"local store {store}" in en
    assert "état actuel" not in en and "dépôt local" not in en
    assert main(["versions"]) == 0
    fr = capsys.readouterr().out
    assert "état actuel du paquet (" in fr and f"dépôt local {store}" in fr
    assert [line.split()[:2] for line in fr.splitlines()] == [
        line.split()[:2] for line in en.splitlines()
    ]
    empty = tmp_path / "depot-vide"
    empty.mkdir()
    assert main(["versions", "--source", str(empty), "--lang", "en"]) == 0
    assert capsys.readouterr().out == f"No version published at {empty}.\n"
    assert main(["versions", "--source", str(empty)]) == 0
    assert capsys.readouterr().out == f"Aucune version publiée sur {empty}.\n"
    assert main(["versions", "--json", "--lang", "en"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert f"dépôt local {store}" in {v["origin"] for v in listed}
    assert all(set(v) == {"version", "origin", "sha256", "created"} for v in listed)
    assert main(["info", "--version", "0.2.0", "--lang", "en"]) == 0
    head = capsys.readouterr().out.splitlines()[0]
    assert head.startswith("moisinno-data, version 0.2.0 — ") and head.endswith(" (local store)")
    assert main(["info", "--version", "0.2.0"]) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith(" (dépôt local)")


def test_version_errors_follow_lang(two_releases, tmp_path, capsys, monkeypatch):
    """Unknown version, bad number, unknown source, unreachable portal, altered archive:
    one sentence in the language of ``--lang``, French by default."""
    store, first, _ = two_releases
    monkeypatch.setattr("moisinno_data.loading.versions.RETRY_DELAYS", (0.01, 0.01))

    def said(*args: str) -> tuple[str, str]:
        assert main([*args, "--lang", "en"]) == 2
        en = capsys.readouterr().err
        assert main(list(args)) == 2
        fr = capsys.readouterr().err
        assert en.startswith("Error: ") and fr.startswith("Erreur : ")
        for french in ("dépôt", "version invalide", "introuvable", "altéré", "Impossible"):
            assert french.lower() not in en.lower(), en
        return en, fr

    en, fr = said("info", "--version", "9.9.9")
    assert en.startswith("Error: Version 9.9.9 is neither in the local store ")
    assert "(versions: 0.2.0, 0.3.0)" in en and "MOISINNO_SOURCE" in en
    assert fr.startswith(f"Erreur : La version 9.9.9 n'est ni dans le dépôt local {store} ")
    en, fr = said("info", "--version", "1.2")
    assert en == 'Error: Invalid version: "1.2" (expected: X.Y.Z).\n'
    assert fr == "Erreur : Version invalide : « 1.2 » (attendu : X.Y.Z).\n"
    en, _ = said("info", "--version", "0.9.0", "--source", str(store))
    assert en == f"Error: Version 0.9.0 is not in the local store {store} " + (
        "(versions available: 0.2.0, 0.3.0).\n"
    )
    en, _ = said("info", "--source", str(tmp_path / "nulle-part"))
    assert en.startswith(f'Error: Unknown source: "{tmp_path / "nulle-part"}". Expected: ')
    en, _ = said("versions", "--source", "http://127.0.0.1:9/")
    assert en.startswith("Error: Cannot reach http://127.0.0.1:9/index.json after 3 tries (")
    tamper(first.archive)
    en, fr = said("info", "--version", "0.2.0")
    assert "does not match its published checksum: expected sha256 " in en
    assert "ne correspond pas à son empreinte publiée" in fr


def test_every_error_of_version_loading_has_its_english():
    """Each error raised while finding a version carries ``en=``: ``--lang en`` never falls
    back to French there."""
    import ast
    from pathlib import Path

    from moisinno_data.loading import versions

    tree = ast.parse(Path(versions.__file__).read_text(encoding="utf-8"))
    raised = [node.exc for node in ast.walk(tree) if isinstance(node, ast.Raise) and node.exc]
    calls = [exc for exc in raised if isinstance(exc, ast.Call)]
    assert len(calls) > 20
    missing = [exc.lineno for exc in calls if not any(k.arg == "en" for k in exc.keywords)]
    assert missing == []


def test_a_token_in_an_archive_address_is_never_said_when_it_fails(two_releases, cache):
    """An archive's address may carry a token in its query: a 404 said it whole, and an
    unreachable host said it twice (the address, then requests' message, which repeats
    the path and query). Every failure now says the address without its query."""
    store, _, second = two_releases
    token = f"?token=jeton-fictif#sha256={second.sha256}"
    with serve(store) as url:
        absent = within(
            30, lambda: md.load("editions", source=url + "moisinno-data-0.9.9.zip" + token)
        )
    unreachable = within(
        60, lambda: md.load("editions", source="http://127.0.0.1:9/moisinno-data-0.3.0.zip" + token)
    )
    for err in (absent, unreachable):
        assert isinstance(err, SourceError), err
        said = str(err) + err.text("en")
        assert "jeton-fictif" not in said and ".zip" in said
