"""Publication to a real udata 17.18.0 server (the software of data.gouv.fr) on loopback.

The server is started once per session by ``tests/udata_fixture.py``; each test publishes
its own package (its own ``name``) so tests do not see each other's datasets. Request
counts and injected faults go through ``tests/faulty_proxy.py``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import socket
import threading
import time
from pathlib import Path

import pytest
import requests
from faulty_proxy import Fault, Proxy
from load_helpers import serve, within
from release_builder import edit_a_table, make_release

from moisinno_data.cli import main
from moisinno_data.portals import http
from moisinno_data.portals.base import SKIP, PortalError
from moisinno_data.portals.content import ReleaseContent
from moisinno_data.portals.http import Budget
from moisinno_data.portals.udata import Secret, UdataPortal
from moisinno_data.publishing.store import ReleaseStore

pytestmark = pytest.mark.udata
TABLES = ("editions", "laboratoires", "evenements", "thematiques")
WRITES = ("POST", "PUT", "DELETE")


@pytest.fixture
def publisher(project_copy: Path, udata_server, monkeypatch, request):
    """A store, a package name unique to the test, and the key in the environment."""
    monkeypatch.setenv("DATAGOUV_API_KEY", udata_server.api_key)
    name = "moisinno-test-" + request.node.name.replace("_", "-")[5:40]
    return ReleaseStore(), name


def _get(server, dataset_id: str, key: bool = True) -> requests.Response:
    headers = {"X-API-KEY": server.api_key} if key else {}
    return requests.get(f"{server.url}/api/1/datasets/{dataset_id}/", headers=headers, timeout=30)


def _by_key(dataset: dict) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for res in dataset["resources"]:
        key = (res.get("extras") or {}).get("moisinno:key")
        assert key not in found, f"ressource en double : {key}"
        found[key] = res
    return found


def _owned(server, package: str) -> list[dict]:
    listed = requests.get(
        f"{server.url}/api/1/me/org_datasets/", headers={"X-API-KEY": server.api_key}, timeout=30
    ).json()
    return [d for d in listed if d["extras"].get("moisinno:package") == package]


def _publish(server, *extra: str, url: str | None = None) -> list[str]:
    return [
        "publish",
        "--target",
        "datagouv",
        "--url",
        url or server.url,
        "--organization",
        server.organization,
        *extra,
    ]


def _dataset_id(out: str) -> str:
    return out.split("Jeu de données ")[1].split(" ")[0]


def test_first_publish_full_metadata_and_quality(project_copy, publisher, udata_server, capsys):
    store, name = publisher
    make_release(project_copy, store, "0.1.0", name=name)
    assert main(_publish(udata_server)) == 0
    captured = capsys.readouterr()
    assert udata_server.api_key not in captured.out + captured.err
    dataset = _get(udata_server, _dataset_id(captured.out)).json()
    assert dataset["quality"]["score"] == 1.0, dataset["quality"]
    assert dataset["license"] == "lov2" and dataset["frequency"] == "annual"
    assert len(dataset["description"]) > 100
    assert dataset["temporal_coverage"]["start"] == "2014-11-12"
    assert dataset["spatial"]["zones"] == ["country:fr"]
    assert "innovation-publique" in dataset["tags"]
    assert dataset["organization"]["id"] == udata_server.organization
    resources = _by_key(dataset)
    assert set(resources) == {
        *(f"table:{t}" for t in TABLES),
        *(f"schema:{t}" for t in TABLES),
        "datapackage",
        "documentation",
        "archive:0.1.0",
    }
    for table in TABLES:
        res = resources[f"table:{table}"]
        assert res["description"] and res["title"].endswith(f"({table}.csv)")
        assert res["schema"]["url"] == resources[f"schema:{table}"]["latest"]
        local = (project_copy / "datasets" / f"{table}.csv").read_bytes()
        assert res["checksum"]["value"] == hashlib.sha1(local).hexdigest()
        assert requests.get(res["latest"], timeout=30).content == local
    assert resources["documentation"]["type"] == "documentation"
    archive = resources["archive:0.1.0"]
    assert archive["extras"]["moisinno:sha256"] == store.get("0.1.0").sha256


def test_unchanged_republish_uploads_nothing(project_copy, publisher, udata_server, capsys):
    store, name = publisher
    make_release(project_copy, store, "0.1.0", name=name)
    assert main(_publish(udata_server)) == 0
    capsys.readouterr()
    with Proxy(udata_server.url) as proxy:
        assert main(_publish(udata_server, url=proxy.url)) == 0
    out = capsys.readouterr().out
    assert "0 fichier(s) à envoyer" in out
    assert proxy.requests(*WRITES) == []
    # Only the reads it needs: find the dataset, read it.
    assert [(m, p) for m, p, _ in proxy.log] == [
        ("GET", "/api/1/me/org_datasets/"),
        ("GET", f"/api/1/datasets/{_dataset_id(out)}/"),
    ]


def test_new_version_keeps_stable_urls_and_old_archive(
    project_copy, publisher, udata_server, capsys
):
    store, name = publisher
    make_release(project_copy, store, "0.1.0", name=name)
    assert main(_publish(udata_server)) == 0
    dataset_id = _dataset_id(capsys.readouterr().out)
    # Extras a colleague wrote (web UI, API) survive; udata itself keeps its reserved ones.
    headers = {"X-API-KEY": udata_server.api_key}
    api = f"{udata_server.url}/api/1/datasets/{dataset_id}"
    current = _get(udata_server, dataset_id).json()
    them = _by_key(current)["table:thematiques"]
    extras = {**them["extras"], "exemple:collegue": "conservé"}
    fields = {k: them[k] for k in ("title", "description", "type")}
    put = requests.put(
        f"{api}/resources/{them['id']}/", json={**fields, "extras": extras}, headers=headers
    )
    assert put.status_code == 200, put.text
    fields = {k: current[k] for k in ("title", "description")}
    extras = {**current["extras"], "autre:cle": "conservée"}
    put = requests.put(f"{api}/", json={**fields, "extras": extras}, headers=headers)
    assert put.status_code == 200 and put.json()["tags"] == []  # udata's partial PUT wipes
    before = _by_key(_get(udata_server, dataset_id).json())
    edit_a_table(project_copy)
    make_release(project_copy, store, "0.2.0", name=name)
    with Proxy(udata_server.url) as proxy:
        assert main(_publish(udata_server, "--dataset", dataset_id, url=proxy.url)) == 0
    uploads = {p for m, p, _ in proxy.requests("POST") if p.endswith("/upload/")}
    # thematiques.csv replaced, datapackage.json replaced, the new archive added (a
    # replacement within the second of the first upload gets udata's 500 and is retried).
    assert len(uploads) == 3, uploads
    after = _by_key(_get(udata_server, dataset_id).json())
    thematiques = after["table:thematiques"]
    assert thematiques["id"] == before["table:thematiques"]["id"]
    assert thematiques["latest"] == before["table:thematiques"]["latest"]
    assert thematiques["checksum"] != before["table:thematiques"]["checksum"]
    assert thematiques["title"] == before["table:thematiques"]["title"]  # reset undone
    new_csv = (project_copy / "datasets" / "thematiques.csv").read_bytes()
    assert requests.get(thematiques["latest"], timeout=30).content == new_csv
    assert after["table:editions"] == before["table:editions"]
    assert "archive:0.2.0" in after
    assert after["archive:0.1.0"]["url"] == before["archive:0.1.0"]["url"]
    old = requests.get(after["archive:0.1.0"]["url"], timeout=30).content
    assert hashlib.sha256(old).hexdigest() == store.get("0.1.0").sha256
    assert thematiques["extras"]["exemple:collegue"] == "conservé"
    dataset = _get(udata_server, dataset_id).json()
    assert dataset["quality"]["score"] == 1.0
    assert dataset["extras"]["moisinno:version"] == "0.2.0"
    assert dataset["extras"]["autre:cle"] == "conservée"
    assert "innovation-publique" in dataset["tags"]  # restored by the full-metadata PUT
    # What researchers use (moisinno_data.loading.versions reads the same keys).
    portal = UdataPortal(udata_server.url)  # no key: a public dataset
    data, sha256 = portal.fetch_archive("0.1.0", dataset=dataset_id)
    assert sha256 == store.get("0.1.0").sha256 == hashlib.sha256(data).hexdigest()


def test_faults_are_retried_and_a_rerun_converges(project_copy, publisher, udata_server):
    store, name = publisher
    make_release(project_copy, store, "0.1.0", name=name)
    content = ReleaseContent.from_release(store.get("0.1.0"))
    faults = [
        Fault("drop_response", "POST", r"/datasets/$"),  # dataset created, answer lost
        Fault("drop_upload", "POST", "/upload/"),  # cut mid-upload: the server never sees it
        Fault("drop_response", "POST", "/upload/", skip=1),  # file landed, answer lost
        Fault("500", "PUT", "/resources/", skip=2),
        Fault("429", "GET", "/datasets/", retry_after=2),
    ]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    with Proxy(udata_server.url, faults) as proxy:
        portal = UdataPortal(
            proxy.url, udata_server.api_key, udata_server.organization, backoff=0.2, sleep=sleep
        )
        result = portal.publish(content)
    assert 2.0 in waits  # Retry-After honoured (the backoff alone gives 0.2, 0.4…)
    assert all(f.fired == f.times for f in faults), [(f.kind, f.fired) for f in faults]
    assert len(_owned(udata_server, content.package_name)) == 1  # no second dataset
    kinds = [k for _, _, k in proxy.log]
    assert {"drop_upload", "drop_response", "500", "429"} <= set(kinds)
    dataset = _get(udata_server, result.dataset_id).json()
    assert len(_by_key(dataset)) == len(content.resources)  # no duplicate
    assert dataset["quality"]["score"] == 1.0

    # Faults beyond the retry budget stop the publish with a sentence, then a rerun
    # without faults converges to the same final state, still without duplicates.
    edit_a_table(project_copy)
    make_release(project_copy, store, "0.2.0", name=name)
    newer = ReleaseContent.from_release(store.get("0.2.0"))
    with Proxy(udata_server.url, [Fault("500", "PUT", "/resources/", times=10)]) as proxy:
        broken = UdataPortal(proxy.url, udata_server.api_key, backoff=0.05, attempts=2)
        with pytest.raises(PortalError, match="répond encore 500 après 2 tentatives"):
            broken.publish(newer, dataset=result.dataset_id)
    portal = UdataPortal(udata_server.url, udata_server.api_key)
    portal.publish(newer, dataset=result.dataset_id)
    final = _by_key(_get(udata_server, result.dataset_id).json())
    assert len(final) == len(newer.resources) + 1  # + the 0.1.0 archive
    assert all(a.kind == SKIP for a in portal.plan(newer, result.dataset_id).actions)


def test_first_publish_interrupted_after_an_upload_converges(project_copy, publisher, udata_server):
    """The first file lands but its description fails for good: the rerun adopts it."""
    store, name = publisher
    make_release(project_copy, store, "0.1.0", name=name)
    content = ReleaseContent.from_release(store.get("0.1.0"))
    with Proxy(udata_server.url, [Fault("500", "PUT", "/resources/", times=99)]) as proxy:
        broken = UdataPortal(
            proxy.url, udata_server.api_key, udata_server.organization, attempts=2, backoff=0.05
        )
        with pytest.raises(PortalError, match="répond encore 500"):
            broken.publish(content)
    (dataset,) = _owned(udata_server, name)
    left = _get(udata_server, dataset["id"]).json()["resources"]
    assert [(r["title"], r["extras"]) for r in left] == [("schema-editions.json", {})]
    portal = UdataPortal(udata_server.url, udata_server.api_key, udata_server.organization)
    plan = portal.plan(content)
    assert plan.uploads == len(content.resources) - 1  # the landed file is not re-sent
    portal.apply(plan)
    final = _get(udata_server, dataset["id"]).json()
    assert set(_by_key(final)) == {spec.key for spec in content.resources}
    assert final["resources"][-1]["id"] == left[0]["id"]
    assert final["quality"]["score"] == 1.0
    assert len(_owned(udata_server, name)) == 1


def test_bad_key_is_one_clear_sentence(project_copy, publisher, udata_server, capsys, caplog):
    store, name = publisher
    make_release(project_copy, store, "0.1.0", name=name)
    bad = "udata_cle-fictive-refusee-0123456789"
    key_file = project_copy.parent / "cle.txt"
    key_file.write_text(bad + "\n", encoding="utf-8")
    caplog.set_level(logging.DEBUG)
    assert main(_publish(udata_server, "--api-key-file", str(key_file))) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "refuse la clé d'API (401" in lines[0] and "Invalid API token" in lines[0]
    for text in (captured.out, captured.err, caplog.text):
        assert bad not in text
    assert main(_publish(udata_server, "--api-key-file", str(key_file), "--lang", "en")) == 2
    english = capsys.readouterr()
    assert "refuses the API key (401: Invalid API token" in english.err, english.err
    assert "DATAGOUV_API_KEY" in english.err and bad not in english.out + english.err
    portal = UdataPortal(udata_server.url, bad)
    assert bad not in repr(portal) and bad not in repr(portal.__dict__)
    with pytest.raises(PortalError) as info:
        portal.get_dataset("inexistant")
    assert bad not in str(info.value) and bad not in repr(info.value)
    assert "***" in repr(Secret(bad)) and bad not in f"{Secret(bad)}"


def test_missing_dataset_and_missing_key(project_copy, publisher, udata_server, capsys):
    store, name = publisher
    make_release(project_copy, store, "0.1.0", name=name)
    assert main(_publish(udata_server, "--dataset", "jeu-inexistant")) == 2
    err = capsys.readouterr().err
    assert "Introuvable" in err and "(404" in err and "--dataset" in err


def test_private_dataset_stays_private(project_copy, publisher, udata_server, capsys):
    store, name = publisher
    make_release(project_copy, store, "0.1.0", name=name)
    assert main(_publish(udata_server, "--private")) == 0
    dataset_id = _dataset_id(capsys.readouterr().out)
    assert _get(udata_server, dataset_id).json()["private"] is True
    edit_a_table(project_copy)
    make_release(project_copy, store, "0.2.0", name=name)
    assert main(_publish(udata_server)) == 0  # no --private this time
    out = capsys.readouterr().out
    assert "privé" in out
    dataset = _get(udata_server, dataset_id).json()
    assert dataset["private"] is True
    assert "archive:0.2.0" in _by_key(dataset)
    assert _get(udata_server, dataset_id, key=False).status_code == 404


def test_dry_run_changes_nothing(project_copy, publisher, udata_server, capsys):
    store, name = publisher
    make_release(project_copy, store, "0.1.0", name=name)
    with Proxy(udata_server.url) as proxy:
        assert main(_publish(udata_server, "--dry-run", url=proxy.url)) == 0
        out = capsys.readouterr().out
        assert "nouveau jeu de données" in out and "rien n'a été envoyé" in out
        assert proxy.requests(*WRITES) == []
        assert main(_publish(udata_server)) == 0
        dataset_id = _dataset_id(capsys.readouterr().out)
        before = _get(udata_server, dataset_id).json()
        edit_a_table(project_copy)
        make_release(project_copy, store, "0.2.0", name=name)
        proxy.log.clear()
        assert main(_publish(udata_server, "--dry-run", url=proxy.url)) == 0
        out = capsys.readouterr().out
        assert "remplacer" in out and "thematiques.csv" in out
        assert proxy.requests(*WRITES) == []
    assert _get(udata_server, dataset_id).json()["resources"] == before["resources"]


def test_refusals_carry_the_server_message(project_copy, publisher, udata_server, capsys):
    store, name = publisher
    make_release(project_copy, store, "0.1.0", name=name)
    # 400: a creation udata refuses (the plan says an organisation not ours first, see
    # test_an_organisation_that_is_not_ours_is_said_by_the_plan; a plan built by hand
    # does not).
    portal = UdataPortal(udata_server.url, udata_server.api_key, "000000000000000000000000")
    metadata = ReleaseContent.from_release(store.get("0.1.0")).dataset.metadata()
    with pytest.raises(PortalError, match=r"\(400, requête invalide\) : organization : Org"):
        portal._create_dataset(metadata, False)
    # 403: a valid key of an account outside the owning organisation.
    assert main(_publish(udata_server)) == 0
    dataset_id = _dataset_id(capsys.readouterr().out)
    edit_a_table(project_copy)
    make_release(project_copy, store, "0.2.0", name=name)
    outsider = UdataPortal(udata_server.url, udata_server.other_api_key)
    content = ReleaseContent.from_release(store.get("0.2.0"))
    with pytest.raises(PortalError, match=r"interdit .* \(403") as info:
        outsider.publish(content, dataset=dataset_id)
    assert udata_server.other_api_key not in str(info.value)
    assert len(str(info.value).splitlines()) == 1


@contextlib.contextmanager
def _silent_server():
    """The address of a server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        for conn in held:
            conn.close()
        listener.close()


def _record_timeouts(portal: UdataPortal) -> list[tuple[str, str, tuple[float, float]]]:
    """(method, path, timeout) of each request ``portal`` sends from now on."""
    seen: list[tuple[str, str, tuple[float, float]]] = []
    send = portal.session.request

    def request(method, url, **kwargs):
        seen.append((method, url.removeprefix(portal.api), kwargs["timeout"]))
        return send(method, url, **kwargs)

    portal.session.request = request  # type: ignore[method-assign]
    return seen


def test_a_silent_server_times_out_with_a_sentence():
    """Accepts connections and never answers: each attempt times out, then one sentence."""
    with _silent_server() as url:
        portal = UdataPortal(
            url,
            "udata_cle-fictive",
            budget=Budget(connect=1, reply=0.3),
            attempts=3,
            backoff=0.01,
        )
        with pytest.raises(PortalError) as info:
            portal.get_dataset("exemple")
    said = str(info.value)
    assert f"Le portail {url} n'a pas répondu pour le jeu de données exemple : 3 " in said
    assert "sans réponse en 0,3 s à chacune" in said and "--dry-run" in said, said
    english = info.value.text("en")
    assert "did not answer for dataset exemple: 3 attempt(s)" in english
    assert "no answer within 0.3 s to each" in english, english
    assert "udata_cle-fictive" not in said + english
    assert portal.calls == [("GET", "/datasets/exemple/")] * 3


def test_the_deadline_stops_retrying_a_silent_server():
    """The old budget: 6 attempts of 300 s each, half an hour on a portal that never
    answers. Now no attempt starts past the deadline, whatever the attempt count."""
    with _silent_server() as url:
        budget = Budget(connect=1, reply=0.3, deadline=0.5)
        portal = UdataPortal(url, "udata_cle-fictive", budget=budget, backoff=0.01)
        used = _record_timeouts(portal)
        with pytest.raises(PortalError, match="n'a pas répondu pour votre profil"):
            portal._check_organization()
    assert portal.attempts == 6 and 1 <= len(portal.calls) < 6, portal.calls
    assert {timeout for _, _, timeout in used} == {(1, 0.3)}


def test_default_timeouts_fit_what_is_sent(project_copy, publisher, udata_server):
    """With the default budget, a metadata call waits a minute at most and an upload
    longer, by its size: a portal that never answers costs minutes, not half an hour."""
    store, name = publisher
    make_release(project_copy, store, "0.1.0", name=name)
    content = ReleaseContent.from_release(store.get("0.1.0"))
    portal = UdataPortal(udata_server.url, udata_server.api_key, udata_server.organization)
    used = _record_timeouts(portal)
    portal.publish(content)
    budget = http.PORTAL_BUDGET
    sizes = [len(spec.data) for spec in content.resources]
    uploads = [t for m, p, t in used if p.endswith("/upload/")]
    others = {t for m, p, t in used if not p.endswith("/upload/")}
    assert others == {budget.timeout()} and budget.timeout()[1] <= 60
    assert sorted(uploads) == sorted(budget.timeout(size) for size in sizes)
    assert budget.timeout(max(sizes))[1] > budget.timeout()[1]
    # Retries stop at the deadline: one more attempt at most, not 6 × 300 s.
    assert budget.retry_deadline() + sum(budget.timeout()) <= 5 * 60


def _edit_package(project: Path, edit) -> None:
    path = project / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    edit(descriptor)
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")


def test_package_spatial_and_catalog_schema_reach_udata(
    project_copy, publisher, udata_server, capsys
):
    """The sweep (CEREMA aire-livraison): the package's zones were replaced by France, and
    tables linked only to the uploaded copy of their schema. udata gets the package's
    coverage, and a table whose schema is on schema.data.gouv.fr names it (what
    data.gouv.fr validates and consolidates); a link switches both ways on a rerun."""
    store, name = publisher
    spatial = {"zones": ["fr:commune:69123"], "granularity": "fr:commune"}
    catalog = {"name": "exemple/schema-editions", "version": "1.2.0"}

    def edit(descriptor: dict) -> None:
        descriptor["spatial"] = spatial
        descriptor["resources"][0]["catalogSchema"] = catalog  # editions

    _edit_package(project_copy, edit)
    make_release(project_copy, store, "0.1.0", name=name)
    assert main(_publish(udata_server)) == 0
    dataset_id = _dataset_id(capsys.readouterr().out)
    dataset = _get(udata_server, dataset_id).json()
    assert dataset["spatial"]["zones"] == spatial["zones"]
    assert dataset["spatial"]["granularity"] == "fr:commune"
    resources = _by_key(dataset)
    assert {k: v for k, v in resources["table:editions"]["schema"].items() if v} == catalog
    schema_copy = resources["schema:laboratoires"]["latest"]
    assert resources["table:laboratoires"]["schema"]["url"] == schema_copy
    with Proxy(udata_server.url) as proxy:  # the same again: nothing to mend
        assert main(_publish(udata_server, url=proxy.url)) == 0
    assert proxy.requests(*WRITES) == []
    _edit_package(project_copy, lambda d: d["resources"][0].pop("catalogSchema"))
    make_release(project_copy, store, "0.2.0", name=name)
    capsys.readouterr()
    assert main(_publish(udata_server)) == 0
    assert "editions.csv" in capsys.readouterr().out
    editions = _by_key(_get(udata_server, dataset_id).json())["table:editions"]
    assert editions["schema"]["url"] == resources["schema:editions"]["latest"]
    assert not editions["schema"].get("name")


@pytest.mark.parametrize(
    ("coverage", "udata_takes"),
    [
        ({"zones": ["fr:commune:69123"], "granularity": "fr:commune"}, True),
        ({"zones": ["FR:COMMUNE:69123"], "granularity": "other"}, True),
        ({"zones": ["country:fr"], "granularity": "commune"}, False),
        ({"zones": ["fr:commune:6912"], "granularity": "fr:commune"}, False),
        ({"zones": ["lyon"], "granularity": "fr:commune"}, False),
    ],
)
def test_release_refuses_the_coverage_udata_refuses(udata_server, coverage, udata_takes):
    """The rules release checks ``spatial`` by are udata's own: the same coverage sent to
    the server is refused (400) where the rules refuse it, taken where they take it."""
    from moisinno_data.package.portal_metadata import PortalMetadataError, spatial

    answer = requests.post(
        f"{udata_server.url}/api/1/datasets/",
        headers={"X-API-KEY": udata_server.api_key},
        json={
            "title": "Jeu de données fictif (couverture)",
            "description": "Exemple fictif : couverture spatiale.",
            "organization": udata_server.organization,
            "private": True,
            "spatial": coverage,
        },
        timeout=30,
    )
    assert answer.status_code == (201 if udata_takes else 400), answer.text
    if udata_takes:
        assert spatial(coverage)[1] == coverage["granularity"]
    else:
        with pytest.raises(PortalMetadataError):
            spatial(coverage)


def _upload_by_hand(server, dataset_id: str, data: bytes) -> dict:
    """What a colleague does in the web UI: upload a file named editions.csv."""
    time.sleep(1.1)  # udata answers 500 to a file name re-used within a second (#3024)
    response = requests.post(
        f"{server.url}/api/1/datasets/{dataset_id}/upload/",
        files={"file": ("editions.csv", data, "text/csv")},
        headers={"X-API-KEY": server.api_key},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_a_file_someone_else_adds_under_our_name_is_kept_not_deleted(
    project_copy, publisher, udata_server, capsys
):
    """A colleague uploads their own editions.csv (another content, no key of ours) to the
    dataset on the portal: it is no duplicate of an interrupted run, and the next publish
    says it and leaves it, whatever the version; a real leftover copy is still deleted."""
    store, name = publisher
    make_release(project_copy, store, "0.1.0", name=name)
    assert main(_publish(udata_server)) == 0
    dataset_id = _dataset_id(capsys.readouterr().out)
    theirs = _upload_by_hand(udata_server, dataset_id, b"annee,note\n2020,leur fichier\n")
    assert theirs["title"] == "editions.csv" and not theirs["extras"]
    for version in ("0.1.0", "0.2.0"):
        if version == "0.2.0":
            edit_a_table(project_copy)
            make_release(project_copy, store, version, name=name)
        assert main(_publish(udata_server, "--dry-run")) == 0
        out = capsys.readouterr().out
        assert "\n  supprimer " not in out and "0 doublon(s) à supprimer" in out, out
        assert "editions.csv" in out and "laissé tel quel : ajouté hors de moisinno" in out
        assert main(_publish(udata_server)) == 0
        capsys.readouterr()
        left = {r["id"] for r in _get(udata_server, dataset_id).json()["resources"]}
        assert theirs["id"] in left
    assert main(_publish(udata_server, "--dry-run", "--lang", "en")) == 0
    assert "left as it is: added outside moisinno" in capsys.readouterr().out
    # A copy of our own file without our key (a lost answer's retry) is still a duplicate.
    ours = (project_copy / "datasets" / "editions.csv").read_bytes()
    stray = _upload_by_hand(udata_server, dataset_id, ours)
    assert main(_publish(udata_server)) == 0
    assert "1 doublon(s) à supprimer" in capsys.readouterr().out
    left = {r["id"] for r in _get(udata_server, dataset_id).json()["resources"]}
    assert theirs["id"] in left and stray["id"] not in left


def test_a_dataset_deleted_on_the_portal_is_said_not_published_into(
    project_copy, publisher, udata_server, capsys
):
    """udata keeps a deleted dataset in its bin and still shows it to its owners' key:
    publish said « terminée » into a dataset nobody could see (410 for the public)."""
    store, name = publisher
    make_release(project_copy, store, "0.1.0", name=name)
    assert main(_publish(udata_server)) == 0
    dataset_id = _dataset_id(capsys.readouterr().out)
    deleted = requests.delete(
        f"{udata_server.url}/api/1/datasets/{dataset_id}/",
        headers={"X-API-KEY": udata_server.api_key},
        timeout=30,
    )
    assert (
        deleted.status_code == 204 and _get(udata_server, dataset_id, key=False).status_code == 410
    )
    edit_a_table(project_copy)
    make_release(project_copy, store, "0.2.0", name=name)
    with Proxy(udata_server.url) as proxy:
        for extra in (("--dry-run",), (), ("--lang", "en", "--format", "json")):
            args = _publish(udata_server, "--dataset", dataset_id, *extra, url=proxy.url)
            assert main(args) == 2
            captured = capsys.readouterr()
            assert captured.out == ""
            (line,) = captured.err.strip().splitlines()
            if "en" in extra:
                assert f"Dataset {dataset_id} was deleted on {proxy.url}" in line, line
            else:
                assert f"Le jeu de données {dataset_id} a été supprimé sur" in line, line
                assert "sans --dataset" in line
        assert proxy.requests(*WRITES) == []
    still = _get(udata_server, dataset_id).json()
    assert "archive:0.2.0" not in _by_key(still)
    # Without --dataset, the deleted one is not the package's any more: a new dataset.
    assert main(_publish(udata_server, "--dry-run")) == 0
    assert "nouveau jeu de données" in capsys.readouterr().out


def test_an_organisation_that_is_not_ours_is_said_by_the_plan(
    project_copy, publisher, udata_server, capsys
):
    """--organization wrong (no such organisation, or not the key's): the dry-run promised
    a creation and the real run, after printing the plan, got udata's 400. The plan says
    it now, before any write; a slug names the organisation as well as its id."""
    store, name = publisher
    make_release(project_copy, store, "0.1.0", name=name)
    outsider = udata_server.other_api_key
    with Proxy(udata_server.url) as proxy:
        for org, key, extra in (
            ("000000000000000000000000", udata_server.api_key, ("--dry-run",)),
            ("000000000000000000000000", udata_server.api_key, ()),
            ("pas-une-organisation", udata_server.api_key, ("--lang", "en")),
            (udata_server.organization, outsider, ()),
        ):
            args = _publish(udata_server, *extra, url=proxy.url)
            args[args.index("--organization") + 1] = org
            with pytest.MonkeyPatch.context() as env:
                env.setenv("DATAGOUV_API_KEY", key)
                assert main(args) == 2
            captured = capsys.readouterr()
            assert captured.out == ""
            (line,) = captured.err.strip().splitlines()
            said = "is not one of yours" if "en" in extra else "n'est pas l'une des vôtres"
            assert f"{org}" in line and said in line, line
            assert udata_server.api_key not in line and outsider not in line
        assert proxy.requests(*WRITES) == []
    assert _owned(udata_server, name) == []
    slug = requests.get(
        f"{udata_server.url}/api/1/organizations/{udata_server.organization}/", timeout=30
    ).json()["slug"]
    args = _publish(udata_server)
    args[args.index("--organization") + 1] = slug
    assert main(args) == 0
    dataset = _get(udata_server, _dataset_id(capsys.readouterr().out)).json()
    assert dataset["organization"]["id"] == udata_server.organization


def test_a_portal_silent_midway_says_what_was_done_in_text_and_json(
    project_copy, publisher, udata_server, capsys, monkeypatch
):
    """The portal stops answering at the third upload. Before: each request waited 300 s,
    6 times, and ``--format json`` printed nothing at all. Now (budget shrunk by the test;
    the default one is test_default_timeouts_fit_what_is_sent) the run returns, code 2,
    with one sentence naming the step, what is done on the portal and that nothing local
    changed; the JSON is the success's shape with ``error`` set; a rerun finishes."""
    store, name = publisher
    make_release(project_copy, store, "0.1.0", name=name)
    # 5 s: the real server answers within it even on a loaded machine (0.5 s did not, in
    # a full run, for the listing of the session's many datasets); the hang costs 5 s.
    monkeypatch.setattr(http, "PORTAL_BUDGET", Budget(connect=5, reply=5, deadline=1.0))

    def silent_at_third_upload(*extra: str) -> tuple[str, str]:
        hang = Fault("hang", "POST", "/upload/", skip=2, times=99)
        with Proxy(udata_server.url, [hang]) as proxy:
            assert main(_publish(udata_server, *extra, url=proxy.url)) == 2
        assert hang.fired >= 1
        out, err = capsys.readouterr()
        assert udata_server.api_key not in out + err
        return out, err

    out, err = silent_at_third_upload("--format", "json")
    said = json.loads(out)
    (line,) = err.strip().splitlines()
    assert line == "Erreur : " + said["error"]["message"]
    stuck = said["error"]["step"]
    assert stuck["action"] == "upload" and f"pour l'envoi de {stuck['target']} :" in line
    assert said["done"][0] == {"action": "create_dataset", "target": "jeu de données"}
    assert [d["action"] for d in said["done"][1:]] == ["upload", "upload"]
    total = sum(a["action"] != "skip" for a in said["actions"])
    assert f"Déjà fait sur le portail : 3 étape(s) sur {total} (créer jeu de données, " in line
    assert "le dépôt local des versions est intact" in line and "--dry-run" in line
    (owned,) = _owned(udata_server, name)
    assert said["dataset"] == owned["id"] and said["page"] is None
    landed = _by_key(_get(udata_server, owned["id"]).json())
    assert sorted(landed) == sorted(said["stable_urls"])  # the two files that landed

    out, err = silent_at_third_upload("--lang", "en")
    (line,) = err.strip().splitlines()
    assert line.startswith("Error: The portal http://127.0.0.1:"), line
    assert "did not answer for uploading " in line and "Already done on the portal: 2 of " in line
    assert "the local release store is intact" in line and out.count("  done: upload ") == 2

    assert main(_publish(udata_server, "--format", "json")) == 0
    finished = json.loads(capsys.readouterr().out)
    assert finished["error"] is None and finished["dataset"] == owned["id"]
    content = ReleaseContent.from_release(store.get("0.1.0"))
    final = _by_key(_get(udata_server, owned["id"]).json())
    assert set(final) == set(finished["stable_urls"]) == {s.key for s in content.resources}


def test_an_endless_or_trickled_answer_is_cut_within_its_budget(
    project_copy, publisher, udata_server, capsys, monkeypatch
):
    """``requests``' read timeout bounds the silence between bytes, not an answer: a
    portal trickling its JSON a byte every 0.05 s held ``publish`` for as long as it
    liked, and one sending an endless body filled memory. Now (budget shrunk by the test)
    reading stops at the deadline or the cap: one sentence, exit 2, the key never said."""
    store, name = publisher
    make_release(project_copy, store, "0.1.0", name=name)
    cut = http.BodyLimit(max_bytes=1 << 20, seconds=1.0)
    monkeypatch.setattr(http, "PORTAL_BUDGET", Budget(answer=cut))

    def publish_through(fault: Fault, *extra: str) -> str:
        codes: list[int] = []
        with Proxy(udata_server.url, [fault]) as proxy:
            run = lambda: codes.append(main(_publish(udata_server, *extra, url=proxy.url)))  # noqa: E731
            assert within(30, run) is None
        assert codes == [2] and fault.fired == 1, proxy.log
        out, err = capsys.readouterr()
        assert udata_server.api_key not in out + err
        return err

    err = publish_through(Fault("endless", "GET", "/me/org_datasets/"))
    assert "org_datasets/ dépasse 1 Mio : lecture arrêtée" in err
    assert "--url est-elle bien celle d'un udata" in err
    err = publish_through(Fault("endless", "GET", "/me/org_datasets/"), "--lang", "en")
    assert "org_datasets/ exceeds 1 MiB: reading stopped" in err
    err = publish_through(Fault("trickle", "GET", "/me/$"))  # the profile: a few kB
    assert "/api/1/me/ n'est pas arrivée en entier en 1 s" in err


def test_a_published_file_downloaded_endlessly_is_refused_at_the_cap(tmp_path):
    """A version's archive fetched back from the portal (its host may be another one) was
    read whole into memory, however long; now it stops at the file cap (shrunk here)."""
    from moisinno_data.portals.base import RemoteResource

    cut = http.BodyLimit(max_bytes=1 << 20, seconds=60)
    portal = UdataPortal("http://127.0.0.1:9", "cle-fictive-0123456789", budget=Budget(file=cut))
    with serve(tmp_path, endless=".zip") as url:
        archive = url + "exemple-fictif-0.1.0.zip?jeton=jeton-fictif"
        title = "exemple-fictif-0.1.0.zip"
        resource = RemoteResource("r1", title, "", "main", None, archive, "", None)
        err = within(30, lambda: portal._download(resource))
    assert isinstance(err, PortalError), err
    said = str(err) + err.text("en")
    assert "exemple-fictif-0.1.0.zip dépasse 1 Mio : lecture arrêtée" in str(err)
    assert "exceeds 1 MiB: reading stopped" in err.text("en") and "jeton-fictif" not in said


def test_a_redirect_with_an_endless_body_is_followed_without_reading_it(tmp_path):
    """``requests`` reads a 3xx's whole body even when told not to follow it (to prepare
    ``Response.next``): a portal redirecting with an endless body held the publisher and
    filled its memory. Its body is now never read; the redirect is followed (same host)."""
    with serve(tmp_path, redirect="/redirige/") as url:
        portal = UdataPortal(url + "redirige", "cle-fictive-0123456789")
        err = within(30, lambda: portal.get_dataset("jeu-fictif"))
    assert isinstance(err, PortalError), err
    assert "Introuvable" in str(err) and "404" in str(err)  # the answer past the redirect


def test_a_silent_check_after_a_lost_upload_names_the_upload(project_copy, publisher, udata_server):
    """An upload's answer never comes; before retrying, the dataset is read to see whether
    the file landed, and that read gets no answer either: the sentence names the upload it
    was checking (it said « le jeu de données <id> », a step the publisher never saw)."""
    store, name = publisher
    make_release(project_copy, store, "0.1.0", name=name)
    content = ReleaseContent.from_release(store.get("0.1.0"))
    portal = UdataPortal(udata_server.url, udata_server.api_key, udata_server.organization)
    created = portal._create_dataset(content.dataset.metadata(), private=True)
    spec = content.resources[0]
    faults = [
        Fault("hang", "POST", "/upload/", times=99),
        Fault("hang", "GET", f"/datasets/{created.id}/$", times=99),
    ]
    with Proxy(udata_server.url, faults) as proxy:
        budget = Budget(connect=2, reply=0.3, deadline=0.5)
        silent = UdataPortal(proxy.url, udata_server.api_key, budget=budget, backoff=0.01)
        with pytest.raises(PortalError) as info:
            silent._upload(created.id, spec)
    assert f"n'a pas répondu pour la vérification de l'envoi de {spec.filename} :" in str(
        info.value
    )
    assert f"did not answer for checking the upload of {spec.filename}:" in info.value.text("en")
    assert [f.fired >= 1 for f in faults] == [True, True]


def test_one_attempt_is_said_in_the_singular():
    """A deadline or ``attempts=1`` may end a call after one try: « après 1 tentatives »."""
    portal = UdataPortal("http://127.0.0.1:9", "udata_cle-fictive", attempts=1)
    with pytest.raises(PortalError) as info:
        portal.get_dataset("exemple")
    assert "après 1 tentative (" in str(info.value), info.value
    assert "after 1 attempt (" in info.value.text("en"), info.value.text("en")
