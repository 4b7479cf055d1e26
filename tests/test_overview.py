"""``moisinno info`` and the self-contained overview page, figures from the data.

Expected figures are counted here straight from the CSV files with the csv module, not
through the library, so a wrong conversion or grouping in the library shows up.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from load_helpers import add_example_events, make_release

from moisinno_data.cli import main

REGIONS_18 = {"01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75",
              "76", "84", "93", "94"}  # fmt: skip


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MOISINNO_CACHE", str(tmp_path / "cache"))


class Page(HTMLParser):
    """Every start tag with its attributes, and the text, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self.stack.append(tag)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        self.text.append(data)

    def within(self, element_id: str, tag: str) -> list[dict[str, str]]:
        """Attributes of ``tag`` elements inside the element with ``element_id``."""
        found, inside = [], False
        for name, attrs in self.tags:
            if attrs.get("id") == element_id:
                inside = True
            elif inside and name == "svg":  # the next chart starts
                break
            if inside and name == tag:
                found.append(attrs)
        assert inside, f"no element with id {element_id}"
        return found


def rows(root: Path, table: str) -> list[dict[str, str]]:
    with open(root / "datasets" / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def render(tmp_path: Path, *extra: str) -> Page:
    out = tmp_path / "synthese.html"
    assert main(["overview", "-o", str(out), *extra]) == 0
    page = Page()
    page.feed(out.read_text(encoding="utf-8"))
    return page


def bars(page: Page, chart: str, series: str = "documentés") -> dict[str, str]:
    return {
        a["data-key"]: a["data-value"]
        for a in page.within(chart, "rect")
        if a.get("data-series") == series
    }


def test_page_is_self_contained_with_its_charts(project_copy, tmp_path):
    add_example_events(project_copy)
    page = render(tmp_path)
    names = [t for t, _ in page.tags]
    assert "script" not in names and "link" not in names and "img" not in names
    for _, attrs in page.tags:
        for key in ("src", "href"):
            assert not attrs.get(key, "").startswith(("http", "//")), attrs
    svg_ids = {a.get("id") for t, a in page.tags if t == "svg"}
    assert {
        "chart-editions",
        "chart-themes",
        "chart-formats",
        "chart-modalites",
        "chart-labs",
        "map-events",
        "map-labs",
    } <= svg_ids
    assert "Mois de l'innovation publique" in "".join(page.text)


def _without_edition(root, year: str) -> None:
    """The copy's events of edition ``year`` removed: an edition with no documented event
    (the published data has one in each edition since 0.3.0)."""
    from moisinno_data.package import datapackage as package

    target = root / "datasets" / "evenements.csv"
    with open(target, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        kept = [row for row in reader if row["edition"] != year]
        names = reader.fieldnames or []
    with open(target, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    package.write(package.refresh(package.read(root), root), root)


def test_chart_values_are_the_data(project_copy, tmp_path):
    add_example_events(project_copy)
    _without_edition(project_copy, "2015")
    events = rows(project_copy, "evenements")
    page = render(tmp_path)

    formats = bars(page, "chart-formats")
    expected = Counter(e["format"] for e in events if e["format"])
    schema = json.loads((project_copy / "schemas/evenements/schema.json").read_text())
    allowed = next(f for f in schema["fields"] if f["name"] == "format")["constraints"]["enum"]
    assert list(formats) == allowed + ([""] if any(not e["format"] for e in events) else [])
    for name in allowed:
        assert formats[name] == str(expected.get(name, 0)), name

    themes = bars(page, "chart-themes")
    counted = Counter(t for e in events if e["thematiques"] for t in e["thematiques"].split(";"))
    assert themes["design"] == str(counted["design"]) and counted["design"] >= 1
    assert themes["innovation-territoriale"] == str(counted["innovation-territoriale"])
    assert themes["autre"] == "0"
    announced = bars(page, "chart-themes", "annonce")
    published = {r["thematique"]: r["nombre_evenements"] for r in rows(project_copy, "thematiques")}
    assert announced["relation-usager"] == published["relation-usager"] == "100"
    assert announced["design"] == ""  # cited without a number: no bar, not zero
    text = "".join(page.text)
    assert "≈ 100" in text and "≥ 65" in text  # "une centaine", "plus de 65"

    by_edition = bars(page, "chart-editions")
    per_year = Counter(e["edition"] for e in events)
    assert by_edition["2020"] == str(per_year["2020"])
    assert all(value == str(per_year.get(year, 0)) for year, value in by_edition.items())
    assert "0" in by_edition.values()  # an edition without a documented event shows 0
    editions = {r["annee"]: r for r in rows(project_copy, "editions")}
    assert bars(page, "chart-editions", "annonce")["2018"] == editions["2018"]["nombre_evenements"]


def test_region_maps_show_all_18_regions_with_counts(project_copy, tmp_path):
    add_example_events(project_copy)
    page = render(tmp_path)
    tiles = {a["data-region"]: int(a["data-value"]) for a in page.within("map-events", "g")}
    assert set(tiles) == REGIONS_18
    events = Counter(e["region"] for e in rows(project_copy, "evenements") if e["region"])
    assert tiles == {code: events.get(code, 0) for code in REGIONS_18}
    assert tiles["04"] == 1  # the fictitious event at La Réunion
    labs = {a["data-region"]: int(a["data-value"]) for a in page.within("map-labs", "g")}
    lab_counts = Counter(r["region"] for r in rows(project_copy, "laboratoires"))
    assert labs == {code: lab_counts.get(code, 0) for code in REGIONS_18}
    assert sum(labs.values()) == len(rows(project_copy, "laboratoires"))


def test_overview_of_a_pinned_version(project_copy, tmp_path):
    make_release(project_copy, "0.2.0", tmp_path / "releases")
    real_2021 = sum(1 for e in rows(project_copy, "evenements") if e["edition"] == "2021")
    add_example_events(project_copy)  # the working copy moves on; 0.2.0 must not
    page = render(tmp_path, "--version", "0.2.0")
    text = "".join(page.text)
    assert "Version 0.2.0" in text
    assert bars(page, "chart-editions")["2021"] == str(real_2021)


def test_overview_refuses_to_overwrite_without_force(tmp_path, capsys):
    out = tmp_path / "page.html"
    out.write_text("à garder", encoding="utf-8")
    assert main(["overview", "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "à garder"
    assert "--force" in capsys.readouterr().err
    assert main(["overview", "-o", str(out), "--force"]) == 0
    assert "<svg" in out.read_text(encoding="utf-8")


def test_info_prints_every_summary(project_copy, capsys):
    add_example_events(project_copy)
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    for heading in (
        "Éditions",
        "Événements par thématique",
        "Événements par format",
        "Événements par modalité",
        "Événements par région",
        "Événements par laboratoire",
        "Laboratoires par région",
    ):
        assert heading in out
    assert "≥ 350" in out  # 2020: "plus de 350" announced
    assert f"{len(rows(project_copy, 'evenements'))} événements documentés" in out
    reunion = next(line for line in out.splitlines() if "La Réunion" in line)
    assert reunion.split()[-1] == "1"


def test_info_json_counts_add_up(project_copy, capsys):
    add_example_events(project_copy)
    assert main(["info", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    events = rows(project_copy, "evenements")
    for key in ("by_format", "by_modality", "by_region", "by_edition"):
        assert sum(c["value"] for c in summary[key]) == len(events), key
    assert sum(c["value"] for c in summary["labs_by_region"]) == summary["totals"]["laboratoires"]
    assert sum(c["value"] for c in summary["by_lab"]) == sum(1 for e in events if e["laboratoire"])


def test_info_unknown_version_exits_2(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("MOISINNO_STORE", str(tmp_path / "vide"))
    assert main(["info", "--version", "8.8.8"]) == 2
    assert "8.8.8" in capsys.readouterr().err


@pytest.mark.browser
def test_page_opens_in_chromium_with_visible_charts(project_copy, tmp_path):
    """Debian's chromium opens the page offline: every chart is drawn, nothing is fetched."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.fail("chromium est introuvable : installez-le avec `bash scripts/setup.sh --test`.")
    from playwright.sync_api import sync_playwright

    add_example_events(project_copy)
    out = tmp_path / "synthese.html"
    assert main(["overview", "-o", str(out)]) == 0
    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.on("request", lambda request: requested.append(request.url))
            page = context.new_page()
            page.goto(out.as_uri())
            boxes = page.eval_on_selector_all(
                "svg",
                "els => els.map(e => [e.id, e.getBoundingClientRect().width,"
                " e.getBoundingClientRect().height])",
            )
            drawn = page.eval_on_selector_all(
                "#chart-formats rect.bar",
                "els => els.map(e => [e.dataset.key, e.getBoundingClientRect().width])",
            )
            tile = page.eval_on_selector(
                '#map-events g[data-region="04"] rect', "e => getComputedStyle(e).fill"
            )
            empty = page.eval_on_selector(
                '#map-events g[data-region="94"] rect', "e => getComputedStyle(e).fill"
            )
        finally:
            browser.close()
    assert requested == [out.as_uri()]
    assert len(boxes) >= 7 and all(w > 100 and h > 50 for _, w, h in boxes), boxes
    widths = dict(drawn)
    counts = Counter(e["format"] for e in rows(project_copy, "evenements"))
    unused = next(f for f in ("exposition", "formation", "hackathon") if not counts[f])
    used = [f for f in counts if f]
    most, least = max(used, key=counts.__getitem__), min(used, key=counts.__getitem__)
    assert counts[most] > counts[least]  # the data tells the two bars apart
    assert widths[most] > widths[least] > 0 and widths[unused] == 0
    assert tile != empty  # La Réunion has an event, Corsica none: different shades


def test_in_brief_sentences_come_from_the_data(project_copy, tmp_path, capsys):
    add_example_events(project_copy)
    editions = [r for r in rows(project_copy, "editions") if r["nombre_evenements"]]
    last = editions[-1]
    word = {"minimum": "plus de ", "environ": "environ ", "exact": ""}[
        last["precision_nombre_evenements"]
    ]
    expected = f"{last['annee']} ({last['nom']}, {last['numero']}e édition) : {word}"
    expected += f"{last['nombre_evenements']} événements annoncés"
    regions = {e["region"] for e in rows(project_copy, "evenements") if e["region"]}
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert expected in out
    count = len(rows(project_copy, "evenements"))
    assert f"décrit {count} événement(s) un à un, dans {len(regions)} région(s)" in out
    page = render(tmp_path)
    assert expected in "".join(page.text)
    assert any(a.get("id") == "en-bref" for _, a in page.tags)


def test_any_package_is_summed_up_by_its_lists_and_dates(tmp_path):
    """A package made by ``moisinno init`` has none of this project's tables: info tells
    its rows, the count of each allowed value (in list order, unused ones at 0) and the
    span of its dates."""
    import pandas as pd

    from moisinno_data.loading.frames import LoadedPackage
    from moisinno_data.loading.overview import is_own, render_tables_text, summarize_tables

    frame = pd.DataFrame(
        {
            "etat": pd.Categorical(["ouvert", "ferme", "ouvert", None], ["ouvert", "ferme", "x"]),
            "depuis": pd.to_datetime(["2020-01-02", None, "2019-05-06", "2021-07-08"]),
            "nom": ["a", "b", "c", "d"],
        }
    )
    pkg = LoadedPackage("0.1.0", "fictif", tmp_path, {}, {"fontaines": frame})
    assert not is_own(pkg)
    (table,) = summarize_tables(pkg).tables
    assert (table.rows, table.columns) == (4, 3)
    assert [(c.key, c.value) for c in table.values["etat"]] == [
        ("ouvert", 2), ("ferme", 1), ("x", 0), ("", 1)
    ]  # fmt: skip
    assert table.spans == {"depuis": ("2019-05-06", "2021-07-08")}
    text = render_tables_text(summarize_tables(pkg))
    assert (
        "Table fontaines : 4 ligne(s), 3 colonne(s)" in text
        and "du 2019-05-06 au 2021-07-08" in text
    )


def test_any_package_counts_the_values_of_its_enumerated_lists(tmp_path):
    """A multi-valued column whose pattern enumerates its items (comptage des mobilités'
    ``mobility_type``, ``BIKE,CAR``) was left out of info: each allowed value now counts
    the rows holding it, in the schema's order, unused ones at 0, empty rows apart."""
    import pandas as pd

    from moisinno_data.loading.frames import LoadedPackage
    from moisinno_data.loading.overview import render_tables_text, summarize_tables

    vocabulary = ["BIKE", "CAR", "BUS"]
    frame = pd.DataFrame({"mode": [["BIKE", "CAR"], ["CAR", "CAR"], None, ["BIKE"]]})
    frame.attrs["fields"] = {"mode": {"separator": ",", "vocabulary": vocabulary}}
    pkg = LoadedPackage("0.1.0", "fictif", tmp_path, {}, {"compteurs-fictifs": frame})
    (table,) = summarize_tables(pkg).tables
    assert [(c.key, c.value) for c in table.values["mode"]] == [
        ("BIKE", 2), ("CAR", 2), ("BUS", 0), ("", 1)
    ]  # fmt: skip
    assert "compteurs-fictifs par mode" in render_tables_text(summarize_tables(pkg))


def test_info_in_english_gives_the_same_figures_under_english_labels(project_copy, capsys):
    """``--lang en``: every label in English, the data (themes, regions, editions' names) as
    the tables hold it, the same figures on the same lines; French stays the default."""
    import re

    add_example_events(project_copy)
    assert main(["info"]) == 0
    fr = capsys.readouterr().out
    assert main(["info", "--lang", "en"]) == 0
    en = capsys.readouterr().out
    count = len(rows(project_copy, "evenements"))
    for label in (
        f"{count} events documented (",
        "current state of the package (",
        "In brief\n",
        "Editions (number of events announced by the sources / documented here)",
        "  year   name ",
        " announced documented\n",
        "Events by theme (an event may have several)",
        "Events by format",
        "Events by mode",
        "Events by region",
        "Events by lab",
        "Labs by region",
        " events announced",
        "This dataset describes ",
        "not given",
    ):
        assert label in en, label
    assert re.search(r"\(announced: [≥≈] \d+\)", en)
    assert re.search(r"\d+(st|nd|rd|th) edition\): ", en)
    for french in ("Événements", "événements", "En bref", "annoncé", "documentés", "Laboratoires",
                   "non renseigné", "état actuel", "édition", "région(s)", "plus de", "environ"):  # fmt: skip
        assert french not in en, french
    assert "La Réunion" in en and "Mois de l'innovation publique" in en  # data, not labels
    assert [re.findall(r"\d+", line) for line in fr.splitlines()] == [
        re.findall(r"\d+", line) for line in en.splitlines()
    ]
    for label in (  # the French text as it was
        f"{count} événements documentés (",
        "état actuel du paquet (",
        "En bref\n",
        "  année  nom ",
        "    annoncé documentés\n",
        "   (annoncé : ≥ ",
        "  non renseigné ",
        "Événements par laboratoire\n",
    ):
        assert label in fr, label


def test_editions_are_numbered_in_each_language():
    from moisinno_data.loading.overview import _ordinal

    assert [_ordinal(n) for n in (1, 2, 9)] == ["1re", "2e", "9e"]
    assert [_ordinal(n, "en") for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st",
        "111th",
    ]  # fmt: skip


def made_up_summary():
    """A summary built by hand, not from the data: a pinned page stays pinned as the data grow.
    It has what the page words: a sha256, an origin and names with apostrophes, numbers with
    thousands, precisions, unknown rows (format, region) and a lab."""
    from moisinno_data.loading.overview import UNKNOWN, Count, Summary

    editions = [
        {"annee": 2019, "numero": 6, "nom": "Semaine de l'innovation publique",
         "date_debut": "2019-11-25", "date_fin": "2019-11-30", "fil_rouge": None,
         "nombre_evenements": 400, "precision": "environ", "nombre_participants": None,
         "evenements_documentes": 3},
        {"annee": 2020, "numero": 7, "nom": "Mois de l'innovation publique",
         "date_debut": None, "date_fin": None, "fil_rouge": "L'innovation « au cœur » & co",
         "nombre_evenements": 1350, "precision": "minimum", "nombre_participants": 25000,
         "evenements_documentes": 1234},
    ]  # fmt: skip
    return Summary(
        version="9.8.7",
        origin="archive d'essai <fictive>",
        sha256="ab" * 32,
        totals={
            "editions": 2,
            "evenements": 1237,
            "laboratoires": 2,
            "evenements_avec_laboratoire": 1001,
        },
        editions=editions,
        by_edition=[
            Count("2019", "2019", 3, {"annonce": 400, "precision": "environ"}),
            Count("2020", "2020", 1234, {"annonce": 1350, "precision": "minimum"}),
        ],
        by_theme=[
            Count("design", "Design", 12, {"annonce": None, "precision": None}),
            Count("relation-usager", "Relation usager", 1100, {"annonce": 2000, "precision": None}),
            Count("", UNKNOWN, 125),
        ],
        by_format=[
            Count("atelier", "atelier", 1200),
            Count("hackathon", "hackathon", 0),
            Count("", UNKNOWN, 37),
        ],
        by_modality=[Count("presentiel", "presentiel", 1237)],
        by_region=[
            Count("04", "La Réunion", 1200),
            Count("11", "Île-de-France", 30),
            Count("", UNKNOWN, 7),
        ],
        by_lab=[Count("lab-a", "Laboratoire d'essai", 1001)],
        labs_by_region=[Count("04", "La Réunion", 1), Count("11", "Île-de-France", 1)],
    )


def test_french_page_is_the_one_pinned():
    """``render_html(summary)`` without a language is the French page, byte for byte as it
    was before the page spoke English (tests/fixtures/overview-fr.html). To change the page
    on purpose, write the new one there and review the diff."""
    from moisinno_data.loading.overview import render_html

    pinned = Path(__file__).parent / "fixtures" / "overview-fr.html"
    assert render_html(made_up_summary()) == pinned.read_text(encoding="utf-8")
    assert render_html(made_up_summary(), "fr") == pinned.read_text(encoding="utf-8")


def test_page_in_english_says_every_word_in_english():
    """Headings, notes, headers, legend, totals, chart and bar titles, the map's overseas row
    and units, unknown rows, the empty-labs sentence and the footer; numbers with English
    thousands; data values (names, fil rouge, themes, regions) as the tables hold them."""
    from dataclasses import replace

    from moisinno_data.loading.overview import render_html

    summary = made_up_summary()
    page = Page()
    source = render_html(summary, "en", origin="test archive")
    page.feed(source)
    assert page.tags[0] == ("html", {"lang": "en"})
    text = "".join(page.text)
    for label in (
        "Mois de l'innovation publique: overview of version 9.8.7",  # <title>
        "Mois de l'innovation publique: what the data say",
        "Version 9.8.7 of the moisinno-data dataset — test archive — archive sha256",
        "Open Licence 2.0 (etalab-2.0).",
        "2 editions", "1,237 events documented", "2 labs", "1,001 events linked to a lab",
        "In brief", "2020 (Mois de l'innovation publique, 7th edition): more than 1,350 events "
        "announced and 25,000 participants.",
        "“Documented”: events described row by row", "documentedannounced",
        "YearNameDatesAnnouncedParticipantsDocumented", "≥ 1,350", "25,000",
        "L'innovation « au cœur » & co",  # the fil rouge: data
        "Events by edition: documented and announced", "Events by theme: documented and announced",
        "2020 (documented): 1,234", "2020 (announced): ≥ 1,350", "Relation usager (announced): 2,000",
        "not given (documented): 37",
        "Themes", "An event may have several themes.", "Formats and modes", "By format", "By mode",
        "Regions", "Tile map: one square per region", "7 event(s) without a region are not on the map.",
        "Events by region", "Labs by region", "La Réunion: 1200 event(s)", "La Réunion: 1 lab(s)",
        "Overseas", "Labs", "Events by lab", "Laboratoire d'essai (documented): 1,001",
        "Made by moisinno overview from the tables of version 9.8.7; a self-contained page",
    ):  # fmt: skip
        assert label in text, label
    svgs = {a["id"]: a["aria-label"] for t, a in page.tags if t == "svg"}
    assert svgs["chart-formats"] == "Events by format" and svgs["map-labs"] == "Labs by region"
    data_values = ("Semaine de l'innovation publique", "Mois de l'innovation publique",
                   "L'innovation « au cœur » & co", "Laboratoire d'essai", "La Réunion")  # fmt: skip
    said = "\n".join([*page.text, *svgs.values()])
    for value in data_values:
        said = said.replace(value, "")
    for french in FRENCH_LABELS:
        assert french not in said, french
    no_lab = render_html(replace(summary, by_lab=[]), "en")
    assert "<p>No event is linked to a lab in this version.</p>" in no_lab
    assert "Aucun événement" not in no_lab


FRENCH_LABELS = (
    "Événement", "événement", "Laboratoire", "laboratoire", "ocumentés", "nnoncé", "annonce",
    "En bref", "Outre-mer", "non renseigné", "Territoires", "Thématique", "thématique",
    "Produit par", "Licence Ouverte", "Année", "ynthèse", "Carte en tuiles", "Aucun", "édition",
    "Éditions", "région", "Par ", "modalité", "état actuel", "plus de", "environ", " : ",
)  # fmt: skip
"""Words of the French page (labels, not data): none is in the English page's text."""


def test_overview_in_english_draws_the_same_figures(project_copy, tmp_path, capsys):
    """``moisinno overview --lang en``: the page and the line saying it was written in English,
    the version's origin in English, every ``data-*`` attribute (the figures, and the machine
    keys tools read) the same as in the French page."""
    import re

    add_example_events(project_copy)
    fr = render(tmp_path)
    said_fr = capsys.readouterr().out
    en = render(tmp_path, "--lang", "en", "--force")
    said_en = capsys.readouterr().out
    assert said_fr.startswith("Synthèse de la version 0.1.0 écrite dans ")
    assert said_en == f"Overview of version 0.1.0 written to {tmp_path / 'synthese.html'}.\n"
    assert fr.tags[0] == ("html", {"lang": "fr"}) and en.tags[0] == ("html", {"lang": "en"})

    def figures(page: Page) -> list[dict[str, str]]:
        return [{k: v for k, v in a.items() if k.startswith("data-")} for _, a in page.tags]

    assert figures(en) == figures(fr)
    assert sum(1 for f in figures(en) if "data-value" in f) > 100
    text_fr, text_en = "".join(fr.text), "".join(en.text)
    count = len(rows(project_copy, "evenements"))
    for label in ("current state of the package (", f"{count} events documented", "In brief",
                  f"This dataset describes {count} event(s) one by one", "not given"):  # fmt: skip
        assert label in text_en, label
    data_values = {a["data-label"] for _, a in en.tags if a.get("data-key")}
    data_values |= {r[k] for r in rows(project_copy, "editions") for k in ("nom", "fil_rouge")}
    said = "\n".join(en.text)
    for value in sorted(data_values, key=len, reverse=True):
        said = said.replace(value, "").replace(value.lower(), "")
    for french in FRENCH_LABELS:
        assert french not in said, french
    digits = [re.findall(r"\d+", t) for t in fr.text]
    assert digits == [re.findall(r"\d+", t) for t in en.text]  # the same numbers, in order
    assert "état actuel du paquet (" in text_fr and "En bref" in text_fr


def test_overview_refuses_a_name_without_html_in_english(tmp_path, capsys):
    assert main(["overview", "-o", str(tmp_path / "page.txt"), "--lang", "en"]) == 2
    assert "the output file must end in .html." in capsys.readouterr().err
