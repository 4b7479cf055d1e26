"""A pinned version loads from a release published to a real udata server.

The server is udata 17.18.0 on loopback (``tests/udata_fixture.py``); releases are
published with ``moisinno publish`` exactly as a publisher would, then loaded back with
``load(..., source=<dataset page>)``. The archive's sha256 comes from the portal
(the ``moisinno:sha256`` extra the publisher sets on the archive resource, plus the sha1
udata computes itself) and must equal the release's; a substituted archive is refused.
"""

from __future__ import annotations

import io
import time
import uuid
import zipfile

import pytest
import requests
from load_helpers import add_example_events, make_release

import moisinno_data as md
from moisinno_data.cli import main
from moisinno_data.loading.versions import ReleaseIntegrityError, available

pytestmark = pytest.mark.udata


@pytest.fixture
def published(project_copy, udata_server, monkeypatch, tmp_path, capsys):
    """Versions 0.2.0 and 0.3.0 published to one dataset of the local udata."""
    monkeypatch.setenv("DATAGOUV_API_KEY", udata_server.api_key)
    monkeypatch.setenv("MOISINNO_CACHE", str(tmp_path / "cache"))
    name = f"moisinno-test-load-{uuid.uuid4().hex[:8]}"
    store = tmp_path / "releases"
    publish = ["publish", "--target", "datagouv", "--url", udata_server.url]
    publish += ["--organization", udata_server.organization]
    first = make_release(project_copy, "0.2.0", store, name=name)
    assert main(publish) == 0
    capsys.readouterr()
    mine = requests.get(
        f"{udata_server.url}/api/1/me/org_datasets/",
        headers={"X-API-KEY": udata_server.api_key},
        timeout=30,
    ).json()
    (dataset_id,) = [d["id"] for d in mine if d["extras"].get("moisinno:package") == name]
    add_example_events(project_copy)
    second = make_release(project_copy, "0.3.0", store, name=name)
    assert main([*publish, "--dataset", dataset_id]) == 0
    capsys.readouterr()
    return dataset_id, first, second


def dataset_json(server, dataset_id: str) -> dict:
    response = requests.get(f"{server.url}/api/1/datasets/{dataset_id}/", timeout=30)
    response.raise_for_status()
    return response.json()


def test_pinned_versions_load_from_udata_with_checksum_verified(udata_server, published, capsys):
    dataset_id, first, second = published
    page = f"{udata_server.url}/fr/datasets/{dataset_id}/"
    listed = {v.version: v.sha256 for v in available(page)}
    assert listed == {"0.2.0": first.sha256, "0.3.0": second.sha256}
    assert main(["versions", "--source", page]) == 0
    out = capsys.readouterr().out
    assert f"0.2.0  sha256 {first.sha256[:12]}" in out and "0.3.0" in out

    old = md.load("evenements", version="0.2.0", source=page)
    new = md.load("evenements", version="0.3.0", source=page)
    assert old.attrs["sha256"] == first.sha256 and new.attrs["sha256"] == second.sha256
    assert old.attrs["origin"].startswith(udata_server.url)
    assert len(new) == len(old) + 3
    assert "2021-exemple-hybride-fictif" in set(new["id"])
    assert str(new["date_debut"].dtype) == "datetime64[us, Europe/Paris]"
    # The API address and no version (= the latest) work too.
    api = f"{udata_server.url}/api/1/datasets/{dataset_id}/"
    assert md.load_package(source=api).version == "0.3.0"


def test_cached_version_loads_offline(udata_server, published, monkeypatch):
    dataset_id, _, second = published
    page = f"{udata_server.url}/fr/datasets/{dataset_id}/"
    first_load = md.load("editions", version="0.3.0", source=page)

    def no_network(*args, **kwargs):
        raise AssertionError("no request expected once the version is cached")

    monkeypatch.setattr(requests, "get", no_network)
    monkeypatch.setattr(requests.Session, "request", no_network)
    again = md.load("editions", version="0.3.0", source=page)
    assert again.equals(first_load)
    assert md.load("editions", version="0.3.0").attrs["sha256"] == second.sha256


def test_archive_substituted_on_the_portal_is_refused(udata_server, published, tmp_path):
    """Someone replaces the 0.2.0 archive on the portal; its published sha256 stays."""
    dataset_id, first, _ = published
    resources = dataset_json(udata_server, dataset_id)["resources"]
    archive = next(r for r in resources if r["extras"].get("moisinno:key") == "archive:0.2.0")
    # A well-formed archive with one changed row: only the checksum can tell.
    original = zipfile.ZipFile(first.archive)
    forged = io.BytesIO()
    with zipfile.ZipFile(forged, "w") as zf:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "datasets/editions.csv":
                data = data.replace(b"2014,1,", b"2014,99,", 1)
            zf.writestr(item, data)
    headers = {"X-API-KEY": udata_server.api_key}
    base = f"{udata_server.url}/api/1/datasets/{dataset_id}/resources/{archive['id']}"
    for _attempt in range(5):  # udata refuses a re-upload within the same second (500)
        upload = requests.post(
            f"{base}/upload/",
            files={"file": (first.archive.name, forged.getvalue(), "application/zip")},
            headers=headers,
            timeout=30,
        )
        if upload.status_code != 500:
            break
        time.sleep(1.1)
    assert upload.ok, upload.text
    after = dataset_json(udata_server, dataset_id)["resources"]
    swapped = next(r for r in after if r["id"] == archive["id"])
    if swapped["extras"].get("moisinno:sha256") != first.sha256:
        # udata may drop extras on re-upload: put the published checksum back, as a forger would.
        extras = {**swapped["extras"], **archive["extras"]}
        put = requests.put(
            f"{base}/",
            json={"title": archive["title"], "extras": extras},
            headers=headers,
            timeout=30,
        )
        assert put.ok, put.text
        swapped = next(
            r
            for r in dataset_json(udata_server, dataset_id)["resources"]
            if r["id"] == archive["id"]
        )
    assert swapped["extras"]["moisinno:sha256"] == first.sha256
    assert swapped["checksum"]["value"] != archive["checksum"]["value"]  # the file did change

    page = f"{udata_server.url}/fr/datasets/{dataset_id}/"
    with pytest.raises(ReleaseIntegrityError) as err:
        md.load("editions", version="0.2.0", source=page)
    assert first.sha256 in str(err.value)
    assert not list((tmp_path / "cache").rglob("*.zip"))
    assert main(["info", "--version", "0.2.0", "--source", page]) == 2
