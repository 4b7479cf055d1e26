"""The validation page and its JSON API, through Starlette's test client.

The browser behaviour (JavaScript, rendering, keyboard) is in test_web_browser.py; here
are the server's promises: same report as ``moisinno validate``, size limits that do not
trust the client, nothing left on disk, every value escaped, security headers.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import tempfile
from pathlib import Path

import pytest
from conftest import SCHEMAS, run_cli
from starlette.testclient import TestClient

import moisinno_data
from moisinno_data.package import paths
from moisinno_data.web import create_app
from moisinno_data.web.settings import MIB, Limits
from moisinno_data.web.uploads import ScratchArea, safe_filename
from moisinno_data.web.view import column_letter

INVALID = SCHEMAS / "evenements" / "exemple-invalide.csv"
VALID = SCHEMAS / "evenements" / "exemple-valide.csv"
BASE = "http://127.0.0.1"


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    folder = tmp_path / "scratch"
    folder.mkdir()
    return folder


@pytest.fixture
def client(scratch: Path):
    with TestClient(create_app(max_upload_bytes=MIB, tmp_root=scratch), base_url=BASE) as c:
        yield c


def leftovers(scratch: Path) -> list[Path]:
    """Uploads left on disk: every file under the scratch folder but the process lock."""
    return [p for p in scratch.rglob("*") if p.is_file() and p.name != ScratchArea.LOCK]


def upload(client: TestClient, path_or_bytes, name: str = "", **fields: str):
    data = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    name = name or (path_or_bytes.name if isinstance(path_or_bytes, Path) else "fichier.csv")
    return client.post(
        "/valider", files={"file": (name, data, "text/csv")}, data=fields, follow_redirects=True
    )


def hostile_csv() -> bytes:
    """A valid events example whose cells carry markup and script."""
    return hostile_rows(VALID)


def hostile_rows(source: Path) -> bytes:
    header, first, *_ = csv.reader(io.StringIO(source.read_text(encoding="utf-8")))
    first[header.index("format")] = "<script>window.pwned=1</script>"
    first[header.index("commune")] = "<img src=x onerror=window.pwned=2>"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, first])
    return out.getvalue().encode("utf-8")


# --- pages and headers ---------------------------------------------------------------


def test_home_is_french_accessible_and_lists_tables(client):
    page = client.get("/")
    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    assert '<label for="fichier">Fichier à valider</label>' in page.text
    assert 'id="fichier" name="file"' in page.text
    for table in ("editions", "laboratoires", "evenements", "thematiques"):
        assert f'<option value="{table}">' in page.text
    assert 'enctype="multipart/form-data"' in page.text and 'action="/valider' in page.text
    english = client.get("/?lang=en")
    assert '<html lang="en">' in english.text and "Validate the file" in english.text


def test_security_headers_on_pages_errors_and_files(client):
    for response in (client.get("/"), client.get("/nulle-part"), client.get("/static/app.js")):
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "default-src 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
    assert client.get("/nulle-part").status_code == 404
    assert "Page introuvable" in client.get("/nulle-part").text


def test_no_inline_script_in_pages(client):
    """The CSP forbids inline scripts; the pages must not need any."""
    page = client.get("/").text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts, "the enhancement script is linked"
    assert all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)
    assert not re.search(r"\son[a-z]+=", page), "no inline event handler"


def test_foreign_host_is_refused(scratch):
    """A DNS-rebinding page (Host: evil.example) cannot drive the local server."""
    app = create_app(tmp_root=scratch)
    with TestClient(app, base_url="http://evil.example") as evil:
        assert evil.get("/").status_code == 400
    with TestClient(app, base_url="http://localhost:8000") as local:
        assert local.get("/").status_code == 200


def test_language_link_never_leaves_the_site(client):
    """A path such as ``//evil.example/x`` is not copied into the *English* link: copied,
    ``//evil.example/x?lang=en`` is a protocol-relative link to another site."""
    for path, expected in [
        ("//evil.example/x", "?lang=en"),
        ("/%2F%2Fevil.example/x?a=%22b", "?a=%22b&amp;lang=en"),
        ("/?lang=fr", "?lang=en"),
    ]:
        answer = client.get(BASE + path)
        links = re.findall(r'class="switch" href="([^"]*)"', answer.text)
        assert links == [expected], (path, links)
    posted = client.post("/valider", data={"lang": "fr"}, files={"x": ("a", b"", "text/csv")})
    assert re.findall(r'class="switch" href="([^"]*)"', posted.text) == ["/?lang=en"]


def test_openapi_document(client):
    doc = client.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    post = doc["paths"]["/api/validate"]["post"]
    form = post["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["required"] == ["file"]
    assert set(form["properties"]) >= {"file", "schema", "lang"}
    assert "evenements" in form["properties"]["schema"]["enum"]
    assert {"200", "400", "413", "422"} <= set(post["responses"])


# --- limits ------------------------------------------------------------------------


def test_declared_too_large_gets_french_413_page(client):
    big = b"id\n" + b"x" * (2 * 1024 * 1024)
    response = upload(client, big, "gros.csv")
    assert response.status_code == 413
    assert "Fichier trop volumineux" in response.text
    assert "1 Mo" in response.text and "--max-upload-mb" in response.text


def test_lying_content_length_is_counted(client):
    """The header claims 200 bytes; the body is 2 MB: the streamed count catches it."""
    boundary = "frontiere"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + b"x" * (2 * 1024 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {
        "content-type": f"multipart/form-data; boundary={boundary}",
        "content-length": "200",
    }
    response = client.post("/api/validate", content=body, headers=headers)
    assert response.status_code == 413
    assert response.json()["error"] == "too-large"


def test_chunked_body_without_length_is_counted(client):
    boundary = "frontiere"

    def chunks():
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
        ).encode()
        for _ in range(40):
            yield b"y" * 65536
        yield f"\r\n--{boundary}--\r\n".encode()

    response = client.post(
        "/valider",
        content=chunks(),
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413 and "Fichier trop volumineux" in response.text


def test_missing_file_and_wrong_encoding_type(client):
    # what a browser sends when no file was chosen: an empty part without a name
    response = client.post(
        "/valider", files={"file": ("", b"", "application/octet-stream")}, data={"schema": ""}
    )
    assert response.status_code == 400 and "Aucun fichier reçu" in response.text
    plain = client.post("/valider", data={"schema": "evenements"})
    assert plain.status_code == 400 and "multipart/form-data" in plain.text
    api = client.post("/api/validate", json={"file": "x"})
    assert api.status_code == 400 and "multipart/form-data" in api.json()["message"]


def test_unknown_table_and_paths_are_refused(client):
    for schema in ("inconnue", "/etc/passwd", "../schemas/evenements/schema.json"):
        response = client.post(
            "/api/validate",
            files={"file": ("a.csv", b"id\n1\n", "text/csv")},
            data={"schema": schema},
        )
        assert response.status_code == 422
        assert "Table inconnue" in response.json()["message"]


def test_the_apis_refusals_speak_english_when_asked(client):
    """Sweep of the API against the CLI: an unknown table (lang in the form), no file and a
    file too large (lang in the query: the body is not read then) were answered in French;
    the CLI already said them in English. A table name with spaces around it is read by
    both."""
    one = {"file": ("a.csv", b"id\n1\n", "text/csv")}
    unknown = client.post("/api/validate", files=one, data={"schema": "nope", "lang": "en"})
    assert unknown.status_code == 422
    assert unknown.json()["message"].startswith('Unknown table: "nope". Available tables: ')
    none = client.post(
        "/api/validate?lang=en", data={"schema": "evenements"}, files={"x": ("", b"")}
    )
    assert none.status_code == 400
    assert none.json()["message"] == "No file received: choose a CSV, XLSX or ODS file."
    big = {"file": ("gros.csv", b"id\n" + b"x" * (2 * MIB), "text/csv")}
    too_big = client.post("/api/validate?lang=en", files=big)
    assert too_big.status_code == 413
    assert too_big.json()["message"].startswith("The file exceeds the maximum size")
    assert "Le fichier dépasse" in client.post("/api/validate", files=big).json()["message"]
    spaced = client.post("/api/validate", files=one, data={"schema": " editions "})
    assert spaced.status_code == 200, spaced.text
    said = run_cli(
        "validate", str(SCHEMAS / "editions" / "exemple-valide.csv"), "--schema", " editions "
    )
    assert said.returncode == 0, said.stderr


def test_uploads_never_rolled_to_disk(scratch, monkeypatch):
    """A file bigger than Starlette's 1 MB spool stays in memory (no rollover to disk)."""

    def no_disk(self):
        raise AssertionError("the upload was spooled to disk")

    monkeypatch.setattr(tempfile.SpooledTemporaryFile, "rollover", no_disk)
    data = VALID.read_bytes().replace(b"Exemple fictif.", b"Exemple fictif." + b"x" * 2_000_000, 1)
    assert 2_000_000 < len(data) < 3 * 1024 * 1024  # over the 1 MB spool, under the limit
    with TestClient(
        create_app(max_upload_bytes=3 * MIB, tmp_root=scratch), base_url=BASE
    ) as client:
        response = client.post("/api/validate", files={"file": ("gros.csv", data, "text/csv")})
    assert response.status_code == 200, response.text
    assert response.json()["stats"]["rows"] == 3


# --- the report: same engine, same findings -------------------------------------------


def test_api_returns_the_report_of_validate(client):
    response = client.post(
        "/api/validate",
        files={"file": (INVALID.name, INVALID.read_bytes(), "text/csv")},
        data={"schema": "evenements", "lang": "fr"},
    )
    assert response.status_code == 200
    got = response.json()
    expected = moisinno_data.validate(INVALID, "evenements", lang="fr").to_dict()
    assert got["file"] == INVALID.name
    expected["file"] = INVALID.name
    # The page names the package's files from its folder: a sweep saw the server's own
    # folders in reports and 422 messages.
    assert got["schema"]["path"] == "schemas/evenements/schema.json"
    assert str(paths.bundle_root()) not in response.text
    expected["schema"]["path"] = "schemas/evenements/schema.json"
    assert got == json.loads(json.dumps(expected))
    doc = client.get("/api/openapi.json").json()
    assert set(doc["components"]["schemas"]["Report"]["required"]) <= set(got)
    finding_keys = set(doc["components"]["schemas"]["Finding"]["required"])
    assert all(finding_keys <= set(f) for f in got["errors"] + got["warnings"])


def test_api_detects_table_and_speaks_english(client):
    response = client.post(
        "/api/validate",
        files={"file": ("contribution.csv", INVALID.read_bytes(), "text/csv")},
        data={"lang": "en"},
    )
    report = response.json()
    assert report["schema"]["name"] == "evenements"
    assert report["schema"]["detected_by"] == "header"
    assert report["lang"] == "en" and not report["valid"]


def test_report_page_shows_every_documented_finding(client, scratch):
    response = upload(client, INVALID, schema="evenements")
    assert response.status_code == 200
    assert re.search(r"/rapport/[\w-]+\?lang=fr$", str(response.url))
    page = response.text
    assert "Fichier non valide" in page
    rows = re.findall(
        r'<tr class="finding" data-row="(\d*)" data-field="([^"]*)" data-code="([^"]+)"', page
    )
    for expected in json.loads((INVALID.parent / "exemple-invalide-erreurs.json").read_text()):
        key = (str(expected["row"]), expected["field"] or "", expected["code"])
        if expected["field"] is None:
            assert any((r, c) == (key[0], key[2]) for r, _, c in rows), expected
        else:
            assert key in rows, expected
    # the offending rows, with the bad cell lit
    assert '<tr data-row="3">' in page
    assert re.search(r'class="bad bad-error" data-field="date"[^>]*>17/11/2020<', page)
    assert leftovers(scratch) == []


def test_every_value_is_escaped(client):
    response = upload(
        client, hostile_csv(), "<img src=x onerror=alert(1)>.csv", schema="evenements"
    )
    assert response.status_code == 200
    page = response.text
    assert "<script>window.pwned" not in page and "<img src=x" not in page
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=" in page
    # the only script element is the linked enhancement (none on the report page)
    assert re.findall(r"<script\b", page) == []


@pytest.mark.parametrize(("name", "stem"), [("..", "fichier"), (".csv", "csv"), (". x .csv", "x")])
def test_a_download_is_never_named_like_a_hidden_file(client, name, stem):
    """Sweep J: an upload named ``..`` or ``.csv`` gave downloads named
    ``..-rapport.html`` or a hidden ``.csv-rapport.html``."""
    report_url = str(upload(client, VALID, name, schema="evenements").url).split("?")[0]
    said = client.get(f"{report_url}/rapport.html").headers["content-disposition"]
    assert f'filename="{stem}-rapport.html"' in said, said


def test_downloads(client):
    report_url = str(upload(client, INVALID, schema="evenements").url).split("?")[0]
    as_json = client.get(f"{report_url}/rapport.json")
    assert as_json.status_code == 200
    assert as_json.headers["content-disposition"].startswith("attachment;")
    assert "exemple-invalide-rapport.json" in as_json.headers["content-disposition"]
    assert as_json.json()["stats"]["errors"] > 0
    as_html = client.get(f"{report_url}/rapport.html")
    assert as_html.status_code == 200 and as_html.headers["content-type"].startswith("text/html")
    assert "attachment" in as_html.headers["content-disposition"]
    assert "17/11/2020" in as_html.text
    # the offending rows travel with the downloaded report (read before the upload is gone)
    assert "Organisateur fictif" in as_html.text
    fixed = client.get(f"{report_url}/corrige.csv")
    assert fixed.status_code == 200
    text = fixed.content.decode("utf-8")
    assert text.startswith("id,edition,titre")
    assert "2020-11-17" in text.splitlines()[2]  # 17/11/2020 made ISO
    changes = client.get(f"{report_url}/corrections.csv").content.decode("utf-8")
    assert changes.splitlines()[0].startswith("ligne,colonne,champ,avant,apres")
    assert "17/11/2020" in changes


def test_list_of_changes_follows_the_pages_language(client):
    """``corrections.csv`` of the page in English: English headers, each rule's message as
    ``moisinno fix --lang en`` says it, values and rules' names as they are; French by
    default. The fixed file is the same bytes in both languages."""
    received = (
        "Identifiant;Édition;Titre;Date;Latitude;Gratuit;Département;Sources\n"
        "a-1;2024; Titre un ;05/11/2024;46,2052;oui;1;https://exemple.fr\n"
        "a-2;2024;Titre deux;05/11/24;;;;https://exemple.fr\n"
    ).encode()
    report_url = str(upload(client, received, "recu-fictif.csv", lang="en").url).split("?")[0]
    en = client.get(f"{report_url}/corrections.csv?lang=en").content.decode("utf-8")
    fr = client.get(f"{report_url}/corrections.csv").content.decode("utf-8")
    en_rows = list(csv.reader(io.StringIO(en)))
    fr_rows = list(csv.reader(io.StringIO(fr)))
    assert en_rows[0] == ["line", "column", "field", "before", "after", "rule", "message"]
    assert fr_rows[0] == ["ligne", "colonne", "champ", "avant", "apres", "regle", "message"]
    assert [row[:6] for row in en_rows[1:]] == [row[:6] for row in fr_rows[1:]]
    by_rule = {row[5]: row[6] for row in en_rows[1:]}
    assert by_rule["virgule-decimale"] == "decimal comma replaced by a point"
    assert by_rule["annee-a-deux-chiffres"].startswith('TO CHECK: two-digit year in "05/11/24"')
    assert "À VÉRIFIER" not in en and "remplacée" not in en
    assert "À VÉRIFIER : année sur deux chiffres" in fr
    fixed_en = client.get(f"{report_url}/corrige.csv?lang=en").content
    assert fixed_en == client.get(f"{report_url}/corrige.csv").content


def test_fix_without_a_table_says_so_in_english_too(scratch):
    from moisinno_data.errors import ConfigError
    from moisinno_data.web import engine
    from moisinno_data.web.settings import Settings

    with pytest.raises(ConfigError) as err:
        engine.fix_upload(
            b"a,b\n1,2\n",
            "fichier.csv",
            schema=None,
            sheet=None,
            scratch=ScratchArea(scratch),
            budget=Settings().budget,
        )
    assert (
        err.value.text("en") == "The file's table could not be determined: choose it in the list."
    )
    assert err.value.text("fr").startswith("La table du fichier n'a pas pu être déterminée")


def test_fixed_file_download_does_not_validate_it_again(client, monkeypatch):
    """The page never shows what a second validation of the fixed file counts, so the
    download does not run it (for 5 MB of error-dense CSV it cost 20 s and 700 MB)."""
    import moisinno_data.publishing.fix as fix

    def refuse(*args, **kwargs):
        raise AssertionError("the fixed file was validated again")

    monkeypatch.setattr(fix, "_revalidate", refuse)
    report_url = str(upload(client, INVALID, schema="evenements").url).split("?")[0]
    fixed = client.get(f"{report_url}/corrige.csv")
    assert fixed.status_code == 200 and fixed.text.startswith("id,edition,titre")


def test_a_fixed_file_past_half_the_store_is_refused_not_kept(scratch):
    """A 2 KB workbook whose repeats are read as 500 MB made a 500 MB fixed file, held in
    memory beside every other client's reports: past half the store, it is refused with a
    sentence (in the page's language), and nothing is kept for that entry."""
    app = create_app(max_upload_bytes=MIB, tmp_root=scratch, memory_bytes=4096)
    assert app.state.settings.fixed_file_bytes == 2048
    with TestClient(app, base_url=BASE) as client:
        report_url = str(upload(client, INVALID, schema="evenements").url).split("?")[0]
        fixed = client.get(f"{report_url}/corrige.csv")
        said = html.unescape(fixed.text)
        assert fixed.status_code == 422, fixed.text
        assert "le fichier corrigé ferait" in said and "au-delà des 2 ko" in said
        english = client.get(f"{report_url}/corrige.csv?lang=en")
        assert english.status_code == 422 and "past the 2 kB this page" in english.text
        entry = next(iter(client.app.state.memory._entries.values()))
        assert "fix" not in entry.results
    assert leftovers(scratch) == []
    roomy = create_app(max_upload_bytes=MIB, tmp_root=scratch)
    with TestClient(roomy, base_url=BASE) as client:
        report_url = str(upload(client, INVALID, schema="evenements").url).split("?")[0]
        assert client.get(f"{report_url}/corrige.csv").status_code == 200


def test_refused_forms_are_explained_in_french_or_english(client):
    """Starlette's English refusals (« Too many fields… ») become the page's sentences."""
    small = VALID.read_bytes()
    many = {f"f{i}": "x" for i in range(30)}
    cases = [
        ({"file": ("a.csv", small, "text/csv")}, many, "plus de 20 champs", "more than 20 fields"),
        ({"file": ("a.csv", small, "text/csv")}, {"schema": "e" * 20000}, "dépasse 16 Ko", "16 KB"),
        ({"file": ("a" * 10240 + ".csv", small, "text/csv")}, {}, "Envoi illisible", "Unreadable"),
    ]
    for files, data, french, english in cases:
        answer = client.post("/api/validate", files=files, data=data)
        assert answer.status_code == 400 and french in answer.json()["message"]
        assert not re.search(r"Too many|exceeded|Invalid multipart", answer.text)
        answer = client.post("/api/validate?lang=en", files=files, data=data)
        assert english in answer.json()["message"]
        page = client.post("/valider?lang=en", files=files, data=data)
        assert page.status_code == 400 and english in html.unescape(page.text)


def test_excel_template_download(client):
    response = client.get("/modele/evenements.xlsx")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    first = book.worksheets[0]
    assert first.cell(1, 1).value == "id"
    assert client.get("/modele/inconnue.xlsx").status_code == 404


def test_excel_template_in_the_pages_language(client):
    """The English page linked to ``/modele/….xlsx?lang=en`` and got the French workbook;
    each language has its own workbook, and the cache keeps them apart."""
    import openpyxl

    def sheets(url: str) -> list[str]:
        response = client.get(url)
        assert response.status_code == 200
        return openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames

    assert 'href="/modele/editions.xlsx?lang=en"' in client.get("/?lang=en").text
    assert sheets("/modele/editions.xlsx?lang=en") == ["Data", "Instructions", "Lists"]
    assert sheets("/modele/editions.xlsx") == ["Données", "Mode d'emploi", "Listes"]
    assert sheets("/modele/editions.xlsx?lang=en") == ["Data", "Instructions", "Lists"]
    assert sheets("/modele/editions.xlsx?lang=fr") == ["Données", "Mode d'emploi", "Listes"]


def test_xlsx_upload_same_findings_as_the_command(client, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Contributions"
    for row in csv.reader(io.StringIO(INVALID.read_text(encoding="utf-8"))):
        sheet.append(row)
    path = tmp_path / "contribution.xlsx"
    book.save(path)
    response = client.post(
        "/api/validate",
        files={"file": (path.name, path.read_bytes(), "application/octet-stream")},
        data={"schema": "evenements"},
    )
    got = response.json()
    assert got["detected"]["format"] == "xlsx" and got["detected"]["sheet"] == "Contributions"
    expected = moisinno_data.validate(path, "evenements").to_dict()
    assert [(f["code"], f["row"], f["field"]) for f in got["errors"]] == [
        (f["code"], f["row"], f["field"]) for f in expected["errors"]
    ]
    assert not got["valid"]


def test_unreadable_file_gets_a_sentence_not_a_traceback(client, scratch):
    response = upload(client, b"\x00\x01\x02\xff\xfe binaire", "binaire.csv")
    assert response.status_code == 422
    text = html.unescape(response.text)
    assert "Le fichier n'a pas pu être validé" in text and "binaire.csv" in text
    assert str(scratch) not in response.text and "Traceback" not in response.text
    assert leftovers(scratch) == []


def test_expired_report_and_forget(client):
    report_url = str(upload(client, VALID, schema="evenements").url).split("?")[0]
    token = report_url.rsplit("/", 1)[1]
    assert client.get(report_url).status_code == 200
    client.post(f"{report_url}/oublier", follow_redirects=False)
    gone = client.get(report_url)
    assert gone.status_code == 404 and "Rapport expiré" in gone.text
    assert client.get(f"/rapport/{token}/rapport.json").status_code == 404


def test_language_switch_revalidates_in_english(client):
    report_url = str(upload(client, INVALID, schema="evenements").url).split("?")[0]
    english = client.get(f"{report_url}?lang=en")
    assert '<html lang="en">' in english.text and "Invalid file" in english.text
    expected = moisinno_data.validate(INVALID, "evenements", lang="en")
    first_message = expected.errors[0].message
    assert first_message and first_message in html.unescape(english.text)
    # switching language re-words the same findings exactly as a fresh English run does
    as_json = client.get(f"{report_url}/rapport.json?lang=en").json()
    fresh = expected.to_dict()
    fresh["file"] = INVALID.name
    fresh["schema"]["path"] = "schemas/evenements/schema.json"  # from the package's folder
    assert as_json == json.loads(json.dumps(fresh))


def test_scratch_file_used_then_deleted(client, scratch, monkeypatch):
    """The engine really reads a copy inside the scratch folder, which is gone afterwards."""
    from moisinno_data.web import engine

    seen = []
    real = engine.validate

    def spy(path, *args, **kwargs):
        seen.append((Path(path), Path(path).is_file()))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(engine, "validate", spy)
    assert client.post("/api/validate", files={"file": ("v.csv", VALID.read_bytes())}).is_success
    assert seen and seen[0][1] and scratch in seen[0][0].parents
    assert leftovers(scratch) == []


# --- small helpers ---------------------------------------------------------------------


def test_column_letters_and_safe_names():
    assert [column_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\Users\\x\\Données 2020.xlsx") == "Données 2020.xlsx"
    assert safe_filename("<img src=x>.csv") == "_img src_x_.csv"
    assert safe_filename("") == "fichier"


# --- the command -------------------------------------------------------------------------


def test_serve_busy_port_exit_2(capsys):
    import socket

    from moisinno_data.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"Impossible d'écouter sur 127.0.0.1:{port}" in err and "--port" in err


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "-inf", "1e30", "0,0000001", "abc"])
def test_serve_odd_upload_limit_is_one_sentence_exit_2(capsys, value):
    from moisinno_data.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["serve", f"--max-upload-mb={value}"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    message = err.strip().splitlines()[-1]
    assert "--max-upload-mb" in message and f"« {value} »" in message
    assert "Traceback" not in err and "Erreur interne" not in err


def test_serve_help_defaults_to_loopback(capsys):
    from moisinno_data.cli import main

    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = capsys.readouterr().out
    assert "défaut 127.0.0.1" in out and "--max-upload-mb" in out and "défaut 50" in out


def test_header_findings_are_lit_and_mapping_shown(client):
    text = INVALID.read_text(encoding="utf-8")
    text = text.replace("id,edition,titre,", "id,edition,Titre ,colonne_inconnue,", 1)
    page = html.unescape(
        upload(client, text.encode("utf-8"), "entete.csv", schema="evenements").text
    )
    assert "« Titre  » → titre" in page
    lit = re.findall(r'<th scope="col" class="bad bad-(\w+)">([^<]*)<', page)
    assert ("warning", "Titre ") in lit and ("warning", "colonne_inconnue") in lit
    assert client.get("/valider", follow_redirects=False).headers["location"] == "/?lang=fr"


def test_memory_forgets_after_ttl_and_beyond_its_budget(monkeypatch):
    from moisinno_data.web import memory as memory_module
    from moisinno_data.web.memory import Entry, UploadMemory

    now = [1000.0]
    monkeypatch.setattr(memory_module.time, "monotonic", lambda: now[0])
    kept = UploadMemory(ttl=60, max_bytes=100, max_entries=3)
    first = kept.put(Entry("a.csv", b"x" * 60, None, None))
    second = kept.put(Entry("b.csv", b"y" * 30, None, None))
    assert kept.get(first) and kept.get(second)
    third = kept.put(Entry("c.csv", b"z" * 30, None, None))  # 120 bytes > 100: oldest goes
    assert kept.get(first) is None and kept.get(second) and kept.get(third)
    now[0] += 61
    assert kept.get(second) is None and len(kept) == 0
    tokens = {kept.put(Entry(f"{i}.csv", b"", None, None)) for i in range(5)}
    assert len(tokens) == 5 and len(kept) == 3


def test_findings_kept_per_kind_are_capped_and_counted(scratch, tmp_path):
    """An error-dense file: the server keeps the first findings of each kind, counts the
    rest (stats stay the file's real counts), and the page says so."""
    rows = "".join(f"doublon-fictif,{i}\n" for i in range(40))
    data = ("id,titre\n" + rows).encode("utf-8")
    limits = Limits(findings_per_kind=3)
    app = create_app(max_upload_bytes=MIB, tmp_root=scratch, limits=limits)
    with TestClient(app, base_url=BASE) as client:
        answer = client.post(
            "/api/validate",
            files={"file": ("dense.csv", data, "text/csv")},
            data={"schema": "evenements"},
        ).json()
        page = upload(client, data, "dense.csv", schema="evenements").text
    from collections import Counter

    (tmp_path / "dense.csv").write_bytes(data)
    full = moisinno_data.validate(tmp_path / "dense.csv", "evenements").to_dict()

    kept = Counter(f["code"] for f in answer["errors"])
    assert kept and max(kept.values()) == 3
    omitted = {(item["severity"], item["code"]): item["count"] for item in answer["omitted"]}
    assert omitted[("error", "unique-error")] == 40 - 1 - 3
    omitted_errors = sum(n for (severity, _), n in omitted.items() if severity == "error")
    assert answer["stats"]["errors"] == len(answer["errors"]) + omitted_errors
    assert answer["stats"] == full["stats"]
    assert "Le rapport garde les 3 premiers constats de chaque type" in html.unescape(page)


def test_store_counts_results_and_keeps_quotas_per_client(monkeypatch):
    """A report costs what it holds (findings), not its upload's bytes; one client's
    uploads evict only its own least recently used reports."""
    from moisinno_data.web.memory import Entry, UploadMemory

    class Result:
        def __init__(self, cost: int) -> None:
            self._cost = cost

        def cost(self) -> int:
            return self._cost

    store = UploadMemory(max_bytes=10_000, max_entries=100, per_owner=3)
    small = Entry("petit.csv", b"x" * 10, None, None, owner="a")
    small.results["validation"] = Result(6_000)  # 10 bytes uploaded, 6 kB of findings
    first = store.put(small)
    other = Entry("autre.csv", b"y" * 10, None, None, owner="b")
    other.results["validation"] = Result(6_000)
    second = store.put(other)
    assert store.get(first) is None and store.get(second), "over budget: a's report goes"

    store = UploadMemory(max_bytes=10**9, max_entries=100, per_owner=3)
    theirs = store.put(Entry("b.csv", b"", None, None, owner="b"))
    mine = [store.put(Entry(f"{i}.csv", b"", None, None, owner="a")) for i in range(3)]
    assert store.get(mine[0])  # used again: now the most recent of a's
    mine.append(store.put(Entry("3.csv", b"", None, None, owner="a")))
    assert store.get(theirs), "b keeps its report"
    assert [store.get(t) is not None for t in mine] == [True, False, True, True]


# --- the page's reading budget ---------------------------------------------------------


def _xlsx_bytes(tmp_path: Path, chunks) -> bytes:
    import hostile_files as h

    return h.xlsx(tmp_path / "classeur.xlsx", chunks).read_bytes()


def test_uploads_are_read_within_a_budget_scaled_to_the_upload_limit(client, tmp_path):
    """The page read uploads with the command's budget (16 MiB a cell, 2 GiB an entry):
    a 922 KB workbook of 60 cells × 15 MiB peaked at 4.6 GB. Under a 1 MiB upload limit
    a cell may hold 64 KiB; the budget is set in the worker thread that reads."""
    import hostile_files as h

    head, _rows, tail = h.sheet()
    cell = '<row r="1"><c r="A1" t="inlineStr"><is><t>' + "x" * 100_000 + "</t></is></c></row>"
    data = _xlsx_bytes(tmp_path, [head, cell, tail])
    assert len(data) < 10_000
    files = {"file": ("long.xlsx", data, "application/octet-stream")}
    response = client.post("/api/validate", files=files, data={"schema": "evenements"})
    assert response.status_code == 422, response.text
    assert "dépasse 65536 caractères" in response.json()["message"]
    assert settings_budget(client).max_entry_bytes == 16 * MIB


def test_hostile_ods_uploads_get_a_sentence_on_the_page_the_api_and_the_fix(
    client, scratch, tmp_path
):
    """An ODS declaring an encoding Python's codecs do not know was an HTTP 500; one of
    2 KB repeating a cell over thousands of rows built gigabytes on the page (its 60 KB
    version, 60 MB: answered 200). Both are a sentence, on the page, from the API and
    from the fixed file's route, within the page's budget."""
    import hostile_files as h

    from moisinno_data.web import engine

    header = h.ods_row("annee")
    table = h.ods_table([header, h.ods_row("x" * 60_000, repeat=1000)])
    repeated = h.ods_stream(tmp_path / "repete.ods", table).read_bytes()
    table = h.ods_table([header, h.ods_row("2024")])
    table[0] = table[0].replace('encoding="UTF-8"', 'encoding="x-martien"')
    martian = h.ods_stream(tmp_path / "martien.ods", table).read_bytes()
    assert len(repeated) < 5_000
    for name, data, said in (
        ("repete.ods", repeated, "répète ou partage des valeurs jusqu'à plus de 16 Mio"),
        ("martien.ods", martian, "encodage « x-martien » non pris en charge"),
    ):
        page = upload(client, data, name, schema="editions")
        assert page.status_code == 422 and said in html.unescape(page.text), page.text
        files = {"file": (name, data, "application/vnd.oasis.opendocument.spreadsheet")}
        api = client.post("/api/validate", files=files, data={"schema": "editions"})
        assert api.status_code == 422 and said in api.json()["message"], api.text
        state = client.app.state  # the fixed file's route reads it with fix_upload
        with pytest.raises(moisinno_data.errors.InputError, match=said):
            engine.fix_upload(
                data,
                name,
                schema="editions",
                sheet=None,
                scratch=state.scratch,
                budget=state.settings.budget,
            )
    assert leftovers(scratch) == []


def settings_budget(client: TestClient):
    return client.app.state.settings.budget


def test_a_validation_is_refused_once_it_takes_longer_than_max_seconds(scratch, tmp_path):
    """Two uploads of a 1 MB workbook of 1 GiB of ``<x/>`` held both workers of the page
    for five minutes: every reading loop checks the page's deadline."""
    import hostile_files as h

    data = h.xlsx_empty_elements(tmp_path / "lent.xlsx", 50_000_000).read_bytes()
    app = create_app(max_upload_bytes=20 * MIB, tmp_root=scratch, max_seconds=0.3)
    with TestClient(app, base_url=BASE) as client:
        files = {"file": ("lent.xlsx", data, "application/octet-stream")}
        response = client.post("/api/validate", files=files, data={"schema": "evenements"})
    assert response.status_code == 422, response.text
    message = response.json()["message"]
    assert message.startswith("lent.xlsx : la lecture du fichier dépasse 0,3 s"), message


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_refused_reading_leaves_no_cycle_holding_its_frames(tmp_path, kind):
    """A refusal raised in the reading thread was re-raised from a name its traceback's
    frame held: a cycle keeping every frame of the reading (rows, parser) until a full
    collection. The page grew 130 MB per refused 29 MB workbook, 1.37 GB after eight."""
    import gc

    import hostile_files as h

    from moisinno_data.errors import InputError
    from moisinno_data.reading.budget import Budget, limits

    if kind == "xlsx":
        path = h.xlsx_many_rows(tmp_path / "lent.xlsx", 20_000)
    else:
        path = tmp_path / "lent.csv"
        path.write_text("id\n" + "x\n" * 200_000, encoding="utf-8")
    moisinno_data.validate(path, "evenements")  # imports done: their cycles are not ours
    gc.collect()
    gc.disable()
    try:
        with pytest.raises(InputError), limits(Budget(max_seconds=1e-9)):
            moisinno_data.validate(path, "evenements")
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        held = [
            o.f_code.co_name
            for o in gc.garbage
            if type(o).__name__ == "frame" and "moisinno_data" in o.f_code.co_filename
        ]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert held == []


def test_a_validation_leaves_nothing_for_the_cycle_collector(tmp_path):
    """The engine kept its emitters as its own bound methods: a reference cycle, so the
    engine, its checkers and their verdicts on wrong cells (820,000 for a refused 29 MB
    workbook) waited for a full collection, and the page grew 60 to 130 MB per such
    upload. Now nothing of a validation is left to the cycle collector."""
    import gc

    path = tmp_path / "dense.csv"
    path.write_text("id,edition\n" + "".join(f"X{i},y{i}\n" for i in range(5000)), "utf-8")
    moisinno_data.validate(path, "evenements")  # imports done: their cycles are not ours
    gc.collect()
    gc.disable()
    try:
        moisinno_data.validate(path, "evenements")
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        left = {type(o).__name__ for o in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert not left & {"Engine", "FieldChecker", "Report", "frame"}, left


def test_the_report_page_cuts_long_cells(client):
    """Five cells of 15 MiB made a 236 MB report page: the page shows 1,000 characters of
    a cell or a finding's value (the JSON report keeps them whole)."""
    header, first, *_ = csv.reader(io.StringIO(VALID.read_text(encoding="utf-8")))
    first[header.index("date")] = "pas une date " + "x" * 200_000
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, first])
    response = upload(client, out.getvalue().encode("utf-8"), "long.csv", schema="evenements")
    assert response.status_code == 200
    assert "pas une date x" in response.text and len(response.text) < 100_000
    html_report = client.get(response.url.path + "/rapport.html")
    assert html_report.status_code == 200 and len(html_report.text) < 200_000


def test_long_cells_get_short_hints_in_every_language(client):
    """Hints repeated the corrected cell (an ``id`` of 60,000 capitals: a 60,000-letter
    hint in each language) and were sought in cells of any length: a 50 MB upload held a
    worker of the page 337 s, then 334 s for its English report."""
    header, first, *_ = csv.reader(io.StringIO(VALID.read_text(encoding="utf-8")))
    first[header.index("id")] = "LAB" * 20_000
    first[header.index("region")] = "\ufdfa" * 20_000
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, first])
    files = {"file": ("long.csv", out.getvalue().encode("utf-8"), "text/csv")}
    for lang in ("fr", "en"):
        response = client.post(
            "/api/validate", files=files, data={"schema": "evenements", "lang": lang}
        )
        assert response.status_code == 200, response.text
        findings = response.json()["errors"]
        assert {f["field"] for f in findings} >= {"id", "region"}
        assert all(len(f["hint"] or "") < 500 for f in findings), [len(f["hint"]) for f in findings]


def test_serve_takes_a_time_limit():
    from moisinno_data.cli import build_parser

    args = build_parser("serve").parse_args(["serve", "--max-seconds", "2,5"])
    assert args.max_seconds == 2.5
    assert build_parser("serve").parse_args(["serve"]).max_seconds == 60.0
    for wrong in ("0", "nan", "inf", "soixante"):
        with pytest.raises(SystemExit):
            build_parser("serve").parse_args(["serve", "--max-seconds", wrong])


def test_the_store_counts_the_long_cells_a_report_holds(tmp_path):
    """A kept finding was counted 1,200 bytes whatever its cell: a report of 82 cells of
    512,000 characters held 46 MB of them and was counted 0.1 MB against the store's
    budget. Its cells' texts are counted now — what the finding keeps of them, the first
    1,000 characters (tests/test_long_values.py)."""
    from moisinno_data.web import engine
    from moisinno_data.web.settings import Settings

    header, first, *_ = csv.reader(io.StringIO(VALID.read_text(encoding="utf-8")))

    def cost_of(cell: str) -> int:
        row = list(first)
        row[header.index("date")] = cell
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([header, row])
        validation = engine.validate_upload(
            out.getvalue().encode("utf-8"), "fictif.csv", schema="evenements", lang="fr",
            sheet=None, scratch=ScratchArea(tmp_path), per_kind=1000, budget=Settings().budget,
            with_rows=False,
        )  # fmt: skip
        return validation.cost()

    short, long = cost_of("pas une date"), cost_of("pas une date " + "x" * 500_000)
    assert 2 * 900 <= long - short < 2 * 5_000


def test_a_value_typed_in_xfd_is_one_cell_past_the_header_on_the_page(client, tmp_path):
    """Sweep: the page showed a row with a value typed in column XFD as 16,384 cells (the
    report says one extra cell, column XFD). It shows the header's cells, then the value
    after its column's letter."""
    import hostile_files as h

    from moisinno_data.package.schemas import load_schema

    header = [f["name"] for f in load_schema("laboratoires")["fields"]]
    row = ["lab-fictif", "Lab fictif", "84", *["x"] * (len(header) - 3)]
    path = h.far_right(tmp_path / "loin.xlsx", [header, row])
    page = html.unescape(upload(client, path, schema="laboratoires").text)
    shown = page[page.index('<tr data-row="2">') :]
    shown = shown[: shown.index("</tr>")]
    assert shown.count("<td") == len(header) + 1 and "(XFD) note égarée</td>" in shown


def notes_then_table_xlsx() -> bytes:
    """A workbook whose first visible sheet is instructions, the table on « Feuil1 »."""
    import xlsxwriter

    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer) as book:
        book.add_worksheet("Consignes").write_row(0, 0, ["Remplir la feuille suivante"])
        data = book.add_worksheet("Feuil1")
        for r, row in enumerate(
            [["id", "edition", "titre", "sources"], ["fictif", 2024, "t", "u"]]
        ):
            data.write_row(r, 0, row)
    return buffer.getvalue()


def test_the_page_and_the_api_name_their_own_fields_not_the_commands_options(client):
    """Sweep 12: the page and the API answered a workbook whose table is on another sheet
    with the command's sentence, « précisez le schéma avec --schema TABLE|CHEMIN ; … »
    — a steward at a browser has no options, the page has fields « Table » and
    « Feuille », a script has the fields « schema » and « sheet »."""
    data = notes_then_table_xlsx()
    page = upload(client, data, "consignes-fictives.xlsx")
    assert page.status_code == 422
    said = html.unescape(page.text)
    assert "choisissez la table dans le champ « Table » de la page" in said
    assert "« Feuil1 » (choisissez-la dans le champ « Feuille » de la page)" in said
    assert "--schema" not in said and "--sheet" not in said
    files = {"file": ("consignes-fictives.xlsx", data, "application/octet-stream")}
    api = client.post("/api/validate", files=files)
    assert api.status_code == 422
    message = api.json()["message"]
    assert "précisez la table avec le champ « schema » de la requête" in message
    assert "« Feuil1 » (choisissez-la avec le champ « sheet » de la requête)" in message
    english = client.post("/api/validate", files=files, data={"lang": "en"}).json()["message"]
    assert "“Feuil1” (choose it with the request's “sheet” field)" in english
    chosen = client.post("/api/validate", files=files, data={"sheet": "Feuil1"})
    assert chosen.status_code == 200, chosen.text


def test_the_fixed_file_of_a_table_whose_schema_is_named_otherwise(tmp_path, monkeypatch):
    """Sweep 16: ``init`` makes the schema named « Lieux fictifs » the table
    ``lieux-fictifs``. The page read the table from the schema's ``name``: validated from
    the header, the fixed file was refused (422, « la table du fichier n'a pas pu être
    déterminée ») and the report page had no template link. The report's ``schema`` block
    now says its ``table``, which the page uses."""
    from moisinno_data.publishing.init import init_package

    schema = {"name": "Lieux fictifs", "fields": [{"name": "id"}, {"name": "nom"}]}
    source = tmp_path / "lieux.schema.json"
    source.write_text(json.dumps(schema), encoding="utf-8")
    root = tmp_path / "paquet"
    init_package(root, [str(source)])
    monkeypatch.setenv("MOISINNO_ROOT", str(root))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with TestClient(create_app(tmp_root=scratch), base_url=BASE) as client:
        report_url = str(upload(client, b"id,nom\n1, Lieu fictif \n").url).split("?")[0]
        report = client.get(f"{report_url}/rapport.json").json()
        assert report["schema"]["name"] == "Lieux fictifs"
        assert report["schema"]["table"] == "lieux-fictifs"
        assert "/modele/lieux-fictifs.xlsx" in client.get(report_url).text
        fixed = client.get(f"{report_url}/corrige.csv")
    assert fixed.status_code == 200, fixed.text
    assert fixed.content.decode("utf-8").splitlines() == ["id,nom", "1,Lieu fictif"]


def test_the_html_report_never_reads_a_server_file_named_like_the_upload(
    client, tmp_path, monkeypatch
):
    """The rows of the HTML download come from the upload, never from a file of the
    server's working folder that has the name the client chose (the library's ``render``
    reads ``report.file`` back when a report has no rows)."""
    monkeypatch.chdir(tmp_path)
    secret = INVALID.read_text(encoding="utf-8").replace("Atelier", "SECRET-DU-SERVEUR")
    (tmp_path / "exemple-invalide.csv").write_text(secret, encoding="utf-8")
    # the rows of the upload could not be read back (the page then says so)
    monkeypatch.setattr("moisinno_data.web.engine.attach_samples", lambda *a, **k: None)
    response = upload(client, INVALID)
    assert response.status_code == 200
    token = re.search(r"/rapport/([\w-]+)/rapport\.html", response.text).group(1)
    for lang in ("fr", "en"):
        report = client.get(f"/rapport/{token}/rapport.html?lang={lang}")
        assert report.status_code == 200
        assert "SECRET-DU-SERVEUR" not in report.text


def test_a_file_name_longer_than_the_system_allows_still_gets_its_html_report(client):
    boundary = "frontiere"
    name = "x" * 3000 + ".csv"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: text/csv\r\n\r\n"
        ).encode()
        + VALID.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        "/valider",
        content=body,
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    token = response.headers["location"].split("/")[2].split("?")[0]
    report = client.get(f"/rapport/{token}/rapport.html")
    assert report.status_code == 200, report.text[-300:]


def raw_upload(client: TestClient, path: str, filename: bytes, data: bytes):
    """A multipart upload whose file name is sent byte for byte (clients such as httpx
    percent-encode quotes, line breaks and NUL; a hostile one does not)."""
    boundary = "frontiere"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="'.encode()
        + filename
        + b'"\r\nContent-Type: text/csv\r\n\r\n'
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    content_type = f"multipart/form-data; boundary={boundary}"
    return client.post(
        path, content=body, headers={"content-type": content_type}, follow_redirects=False
    )


def test_control_and_bidi_characters_of_a_file_name_are_never_shown(client):
    """NUL and U+202E (right-to-left override: ``rapport‮lmth.csv`` reads as
    ``rapportvsc.html``) are dropped from the name the page, the reports and the
    downloads' names repeat; a very long name is cut, its extension kept."""
    hostile = "rapport\u202elmth\x00\x1b.csv".encode()
    response = raw_upload(client, "/valider", hostile, VALID.read_bytes())
    assert response.status_code == 303
    token = response.headers["location"].split("/")[2].split("?")[0]
    shown = [client.get(response.headers["location"]).text]
    for kind in ("rapport.html", "rapport.json", "corrige.csv"):
        download = client.get(f"/rapport/{token}/{kind}")
        assert download.status_code == 200
        shown += [download.text, download.headers["content-disposition"]]
    api = raw_upload(client, "/api/validate", hostile, VALID.read_bytes())
    assert api.json()["file"] == "rapportlmth.csv"
    shown.append(api.text)
    for text in shown:
        for bad in ("\u202e", "%E2%80%AE", "\x00", "\\u0000", "%00", "\x1b", "\\u001b"):
            assert bad not in text
    long_name = raw_upload(client, "/api/validate", b"x" * 3000 + b".csv", VALID.read_bytes())
    name = long_name.json()["file"]
    assert len(name) <= 200 and name.endswith("….csv")


def test_every_error_of_the_api_is_the_error_of_its_openapi_document(scratch, monkeypatch):
    """Whatever goes wrong, /api/ answers JSON that the document's ``Error`` schema
    accepts: a ``message`` in the asked language, an ``error`` among those it lists."""
    import jsonschema

    def broken(*args, **kwargs):
        raise RuntimeError("a bug of the tool")

    monkeypatch.setattr("moisinno_data.web.engine.validate_upload", broken)
    app = create_app(max_upload_bytes=MIB, tmp_root=scratch)
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as c:
        doc = c.get("/api/openapi.json").json()
        schema = {**doc["components"]["schemas"]["Error"], "components": doc["components"]}
        answers = [
            c.post("/api/validate?lang=en", files={"file": ("a.csv", VALID.read_bytes())}),
            c.get("/api/validate"),
            c.get("/api/nulle-part"),
            c.post("/api/validate", content=b"x"),
        ]
        assert [a.status_code for a in answers] == [500, 405, 404, 400]
        for answer in answers:
            assert answer.headers["content-type"] == "application/json"
            jsonschema.validate(answer.json(), schema)
        assert answers[0].json()["message"].startswith("An unexpected error occurred")
        assert "500" in doc["paths"]["/api/validate"]["post"]["responses"]


def test_a_foreign_host_is_refused_in_the_pages_words_and_the_apis_json(scratch):
    """The DNS-rebinding refusal (400) is a sentence in the page's language, or the API's
    ``Error``, not Starlette's English ``Invalid host header`` in plain text."""
    app = create_app(tmp_root=scratch)
    with TestClient(app, base_url="http://evil.example") as evil:
        page = evil.get("/")
        assert page.status_code == 400
        assert page.headers["content-type"].startswith("text/html")
        assert "Cette page ne répond pas sous ce nom" in html.unescape(page.text)
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        english = evil.get("/rapport/x?lang=en")
        assert english.status_code == 400
        assert "This page does not answer under this name" in html.unescape(english.text)
        api = evil.post("/api/validate", files={"file": ("a.csv", VALID.read_bytes())})
        assert api.status_code == 400
        assert api.json()["error"] == "bad-request" and api.json()["message"]
    with TestClient(app, base_url="http://[::1]:8000") as local:
        assert local.get("/").status_code == 200
