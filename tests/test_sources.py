"""Issue 15: every published row cites the exact pages it comes from (no network needed)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from conftest import DATASETS, ROOT, TABLES

FOUNDING_ARTICLE = (
    "https://www.modernisation.gouv.fr/nos-actions/le-mois-de-linnovation-publique/"
    "plus-de-350-evenements-organises-dans-toute-la-france-pendant-le-mois-de-linnovation-publique-2020"
)
# the sentence every row drawn from the founding article carries in its note
FOUNDING_NOTE = "Plus de 350 évènements organisés dans toute la France pendant le mois"


def rows(table: str) -> list[dict]:
    with open(DATASETS / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def url_problem(value: str) -> str | None:
    """Why ``value`` is not the full address of a page, or None."""
    if value != value.strip() or any(c.isspace() for c in value):
        return "contient des espaces"
    parts = urlsplit(value)
    if parts.scheme != "https":
        return "n'est pas une adresse https://"
    if not parts.netloc or "." not in parts.netloc:
        return "n'a pas de nom d'hôte"
    if parts.path in ("", "/") and not parts.query:
        return "est une page d'accueil, pas l'adresse exacte d'une page"
    return None


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (FOUNDING_ARTICLE, True),
        ("https://tilab.bzh/?TiLab", True),
        ("https://modernisation.gouv.fr", False),
        ("https://modernisation.gouv.fr/", False),
        ("http://www.la27eregion.fr/retour-sur-la-2eme-semaine-de-linnovation-publique/", False),
        ("la27eregion.fr/en-novembre-la-france-fete-linnovation-publique", False),
        ("https://exemple.gouv.fr/page ", False),
        ("", False),
    ],
)
def test_url_rule(value, ok):
    assert (url_problem(value) is None) is ok


@pytest.mark.parametrize("table", TABLES)
def test_every_row_cites_full_page_addresses(table):
    problems = []
    for number, row in enumerate(rows(table), start=2):
        sources = row.get("sources") or ""
        if not sources.strip():
            problems.append(f"ligne {number} : aucune source")
            continue
        for value in sources.split(";"):
            why = url_problem(value)
            if why:
                problems.append(f"ligne {number} : « {value} » {why}")
    assert not problems, f"{table} :\n" + "\n".join(problems)


@pytest.mark.parametrize("table", TABLES)
def test_rows_from_the_founding_article_cite_it(table):
    drawn = [r for r in rows(table) if FOUNDING_NOTE in (r.get("note") or "")]
    if table in ("evenements", "thematiques"):
        assert drawn, f"{table} : aucune ligne tirée de l'article fondateur"
    for row in drawn:
        assert FOUNDING_ARTICLE in row["sources"].split(";"), row


def test_founding_article_rows_are_there():
    events = {r["id"]: r for r in rows("evenements")}
    for event_id in ("2020-mardis-innovation-2", "2020-visite-labase", "2020-cloture-laboratoires"):
        assert FOUNDING_ARTICLE in events[event_id]["sources"].split(";")
    for row in rows("thematiques"):
        if row["edition"] == "2020":
            assert FOUNDING_ARTICLE in row["sources"].split(";")
    assert FOUNDING_ARTICLE in {r["annee"]: r for r in rows("editions")}["2020"]["sources"]


def test_titles_we_wrote_say_so():
    """The four 2020 lab visits have no title in the article: the note must say ours is ours."""
    for row in rows("evenements"):
        if row["id"].startswith("2020-visite-"):
            assert "Titre rédigé par nous" in row["note"], row["id"]


def test_datapackage_sources_are_full_addresses():
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    for source in descriptor["sources"]:
        assert url_problem(source["path"]) is None, source


def test_check_sources_script_lists_every_row():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_sources.py"), "--table", "laboratoires"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    listed = {line.split()[-1] for line in result.stdout.splitlines() if line.startswith("  ")}
    assert listed == {r["id"] for r in rows("laboratoires")}
    pages = [line for line in result.stdout.splitlines() if line and not line.startswith(" ")]
    assert pages == sorted(set(pages)) and all(p.startswith("https://") for p in pages)
