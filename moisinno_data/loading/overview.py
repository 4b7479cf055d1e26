"""What a version says, in figures: the summary behind ``moisinno info`` and ``moisinno overview``.

The DITP's yearly article tells in words how many events there were, on which themes, in
which formats and where; :func:`summarize` computes the same from the tables of any
version, so the figures can be cited with the version they come from. Every enumeration
is listed in full (a format no event used shows 0): an absent category is a finding too.

The HTML page (:func:`render_html`) is one self-contained file — inline SVG drawn here,
inline CSS, no script and nothing fetched from the network — so it can be mailed,
archived with a paper, or opened offline.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from moisinno_data.loading.frames import LoadedPackage, explode
from moisinno_data.package import paths
from moisinno_data.package.text import in_lang

UNKNOWN = "non renseigné"

#: Tile-map position (column, row) of each region: metropolitan France roughly as on a map,
#: the five overseas regions on a row of their own.
TILES: dict[str, tuple[int, int]] = {
    "28": (1, 0), "32": (2, 0), "44": (3, 0),
    "53": (0, 1), "52": (1, 1), "11": (2, 1), "27": (3, 1),
    "75": (1, 2), "24": (2, 2), "84": (3, 2),
    "76": (1, 3), "93": (3, 3), "94": (4, 3),
    "01": (0, 5), "02": (1, 5), "03": (2, 5), "04": (3, 5), "06": (4, 5),
}  # fmt: skip
SHORT = {
    "01": "GUA", "02": "MTQ", "03": "GUF", "04": "REU", "06": "MAY", "11": "IDF", "24": "CVL",
    "27": "BFC", "28": "NOR", "32": "HDF", "44": "GES", "52": "PDL", "53": "BRE", "75": "NAQ",
    "76": "OCC", "84": "ARA", "93": "PAC", "94": "COR",
}  # fmt: skip


@dataclass
class Count:
    key: str
    label: str
    value: int
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Summary:
    version: str
    origin: str
    sha256: str | None
    totals: dict[str, int]
    editions: list[dict[str, Any]]
    by_edition: list[Count]
    by_theme: list[Count]
    by_format: list[Count]
    by_modality: list[Count]
    by_region: list[Count]
    by_lab: list[Count]
    labs_by_region: list[Count]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def region_names() -> dict[str, str]:
    rows = json.loads((paths.reference_dir() / "regions.json").read_text(encoding="utf-8"))
    return {r["code"]: r["nom"] for r in rows}


def _na(value: Any) -> Any:
    """JSON-friendly scalar: pandas NA → None, numpy ints → int, timestamps → ISO date."""
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def _counts(column: pd.Series, labels: dict[str, str] | None = None) -> list[Count]:
    """Counts for every category in schema order, then the unknown ones."""
    counts = column.value_counts(dropna=False, sort=False)
    categories = list(column.cat.categories) if hasattr(column, "cat") else sorted(counts.index)
    rows = [
        Count(str(c), (labels or {}).get(str(c), str(c)), int(counts.get(c, 0)))
        for c in categories
        if not pd.isna(c)
    ]
    missing = int(column.isna().sum())
    if missing:
        rows.append(Count("", UNKNOWN, missing))
    return rows


def _theme_labels(pkg: LoadedPackage) -> dict[str, str]:
    """Short French labels of the themes, from the field description's vocabulary list."""
    description = pkg["evenements"].attrs["fields"]["thematiques"]["description"]
    labels = {}
    for part in description.split("`")[1::2]:
        after = description.split(f"`{part}` : ", 1)
        if len(after) == 2:
            labels[part] = after[1].split(";")[0].split(",")[0].split(" (")[0].strip().rstrip(".")
    return labels


OWN_TABLES = ("evenements", "editions", "laboratoires")
"""The tables the Mois de l'innovation publique's summary is made of."""


def is_own(pkg: LoadedPackage) -> bool:
    """Whether ``pkg`` holds this project's tables (else: a package made by ``init``)."""
    return all(name in pkg.tables for name in OWN_TABLES)


@dataclass
class TableSummary:
    """Any table in figures: rows, and each listed or dated column's spread."""

    name: str
    rows: int
    columns: int
    values: dict[str, list[Count]] = field(default_factory=dict)
    """For each column with a list of allowed values: the count of each, in list order (for
    a multi-valued column whose schema enumerates its items: the rows holding each)."""
    spans: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    """For each date or date-time column: its first and last values."""


@dataclass
class PackageSummary:
    """The figures of a version of any data package (``moisinno init``)."""

    version: str
    origin: str
    sha256: str | None
    tables: list[TableSummary]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def summarize_tables(pkg: LoadedPackage) -> PackageSummary:
    """:func:`summarize` for any package: what can be said without knowing its subject."""
    tables = []
    for name, frame in pkg.tables.items():
        table = TableSummary(name, len(frame), len(frame.columns))
        for column in frame.columns:
            values = frame[column]
            vocabulary = frame.attrs.get("fields", {}).get(column, {}).get("vocabulary")
            if isinstance(values.dtype, pd.CategoricalDtype):
                table.values[str(column)] = _counts(values)
            elif vocabulary:
                table.values[str(column)] = _counts(_items_by_row(values, vocabulary))
            elif pd.api.types.is_datetime64_any_dtype(values) and values.notna().any():
                table.spans[str(column)] = (_na(values.min()), _na(values.max()))
        tables.append(table)
    return PackageSummary(pkg.version, pkg.origin, pkg.sha256, tables)


def _items_by_row(values: pd.Series, vocabulary: list[str]) -> pd.Series:
    """A multi-valued column (``BIKE,CAR``) as one categorical item per row and value, a row
    naming a value twice counted once, an empty row once as unknown: info left out these
    columns, though their schema lists their allowed values as an enum's (comptage des
    mobilités' ``mobility_type``)."""
    items = values.explode().reset_index().drop_duplicates()
    return pd.Series(pd.Categorical(items.iloc[:, 1], categories=vocabulary))


TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "sha256": "Archive vérifiée : sha256 {}",
        "table": "Table {} : {} ligne(s), {} colonne(s)",
        "span": "  {} : du {} au {}",
        "by": "{} par {}",
        "rows": "lignes",
        "title": "moisinno-data, version {version} — {origin}",
        "totals": "{editions} éditions, {events} événements documentés ({linked} liés à un "
        "laboratoire), {labs} laboratoires.",
        "brief": "En bref",
        "editions": "Éditions (nombre d'événements annoncé par les sources / documentés ici)",
        "year": "année",
        "name": "nom",
        "dates": "dates",
        "announced": "annoncé",
        "documented": "documentés",
        "by_theme": "Événements par thématique (un événement peut en avoir plusieurs)",
        "by_format": "Événements par format",
        "by_modality": "Événements par modalité",
        "by_region": "Événements par région",
        "by_lab": "Événements par laboratoire",
        "labs_by_region": "Laboratoires par région",
        "none": "aucun",
        "events": "événements",
        "labs": "laboratoires",
        "announced_tail": "   (annoncé : {})",
        "unknown": UNKNOWN,
        "thousands": "\u202f",
        "edition": "édition",
        "nth_edition": "{} édition",
        "people": " et {} participants",
        "announced_events": "{year} ({name}{edition}) : {count} événements annoncés{people}.",
        "themes": "Thématiques les plus traitées selon les sources : {}.",
        "in_regions": ", dans {} région(s)",
        "described": "Ce jeu de données décrit {events} événement(s) un à un{where}, dont "
        "{linked} lié(s) à l'un des {labs} laboratoires.",
        # the HTML page (render_html): HTML, with the line breaks of the French page
        "page_title": "Mois de l'innovation publique : synthèse de la version {version}",
        "page_h1": "Mois de l'innovation publique : ce que disent les données",
        "page_version": "Version {version} du jeu de données moisinno-data — {origin}",
        "page_licence": "Licence Ouverte 2.0 (etalab-2.0).",
        "page_editions": "éditions",
        "page_events": "événements documentés",
        "page_linked": "événements liés à un laboratoire",
        "page_note": "« Documentés » : événements décrits ligne à ligne dans ce jeu de données, "
        "chacun avec sa source.\n  « Annoncés » : nombres publiés par les sources (DITP, presse) "
        "pour une édition ou une thématique ; ils comptent\n  aussi les événements que le jeu de "
        "données ne décrit pas encore.",
        "page_announced": "annoncés",
        "page_series_annonce": "annoncés",
        "page_h2_editions": "Éditions",
        "page_by_edition": "Événements par édition",
        "page_th_year": "Année",
        "page_th_name": "Nom",
        "page_th_dates": "Dates",
        "page_th_announced": "Annoncés",
        "page_th_participants": "Participants",
        "page_th_documented": "Documentés",
        "page_h2_themes": "Thématiques",
        "page_themes_note": "Un événement peut relever de plusieurs thématiques. Les nombres "
        "annoncés sont ceux que les sources publient (toutes éditions confondues).",
        "page_by_theme": "Événements par thématique",
        "page_h2_formats": "Formats et modalités",
        "page_per_format": "Par format",
        "page_per_modality": "Par modalité",
        "page_h2_regions": "Territoires",
        "page_map_note": "Carte en tuiles : une case par région, placée à peu près comme sur la "
        "carte de France, les cinq régions d'outre-mer sur la dernière ligne.",
        "page_unplaced": "{} événement(s) sans région renseignée ne figurent pas sur la carte.",
        "page_h2_labs": "Laboratoires",
        "page_no_lab": "Aucun événement n'est lié à un laboratoire dans cette version.",
        "page_footer": "Produit par <code>moisinno overview</code> à partir des tables de la "
        "version {version} ; page autonome, sans script ni ressource externe.",
        "page_chart_editions": "Événements par édition : documentés et annoncés",
        "page_chart_themes": "Événements par thématique : documentés et annoncés",
        "page_bar": "{label} ({series}) : {value}",
        "page_tile": "{label} : {value} {unit}",
        "page_overseas": "Outre-mer",
        "page_unit_events": "événement(s)",
        "page_unit_labs": "laboratoire(s)",
        "page_written": "Synthèse de la version {version} écrite dans {path}.",
    },
    "en": {
        "sha256": "Verified archive: sha256 {}",
        "table": "Table {}: {} row(s), {} column(s)",
        "span": "  {}: from {} to {}",
        "by": "{} by {}",
        "rows": "rows",
        "title": "moisinno-data, version {version} — {origin}",
        "totals": "{editions} editions, {events} events documented ({linked} linked to a "
        "lab), {labs} labs.",
        "brief": "In brief",
        "editions": "Editions (number of events announced by the sources / documented here)",
        "year": "year",
        "name": "name",
        "dates": "dates",
        "announced": "announced",
        "documented": "documented",
        "by_theme": "Events by theme (an event may have several)",
        "by_format": "Events by format",
        "by_modality": "Events by mode",
        "by_region": "Events by region",
        "by_lab": "Events by lab",
        "labs_by_region": "Labs by region",
        "none": "none",
        "events": "events",
        "labs": "labs",
        "announced_tail": "   (announced: {})",
        "unknown": "not given",
        "thousands": ",",
        "edition": "edition",
        "nth_edition": "{} edition",
        "people": " and {} participants",
        "announced_events": "{year} ({name}{edition}): {count} events announced{people}.",
        "themes": "Themes most covered according to the sources: {}.",
        "in_regions": ", in {} region(s)",
        "described": "This dataset describes {events} event(s) one by one{where}, {linked} of "
        "them linked to one of the {labs} labs.",
        "page_title": "Mois de l'innovation publique: overview of version {version}",
        "page_h1": "Mois de l'innovation publique: what the data say",
        "page_version": "Version {version} of the moisinno-data dataset — {origin}",
        "page_licence": "Open Licence 2.0 (etalab-2.0).",
        "page_editions": "editions",
        "page_events": "events documented",
        "page_linked": "events linked to a lab",
        "page_note": "“Documented”: events described row by row in this dataset, each with its "
        "source.\n  “Announced”: numbers published by the sources (DITP, press) for an edition "
        "or a theme; they also count\n  the events that the dataset does not describe yet.",
        "page_announced": "announced",
        "page_series_annonce": "announced",
        "page_h2_editions": "Editions",
        "page_by_edition": "Events by edition",
        "page_th_year": "Year",
        "page_th_name": "Name",
        "page_th_dates": "Dates",
        "page_th_announced": "Announced",
        "page_th_participants": "Participants",
        "page_th_documented": "Documented",
        "page_h2_themes": "Themes",
        "page_themes_note": "An event may have several themes. The announced numbers are those "
        "the sources publish (all editions together).",
        "page_by_theme": "Events by theme",
        "page_h2_formats": "Formats and modes",
        "page_per_format": "By format",
        "page_per_modality": "By mode",
        "page_h2_regions": "Regions",
        "page_map_note": "Tile map: one square per region, placed roughly as on a map of France, "
        "the five overseas regions on the last row.",
        "page_unplaced": "{} event(s) without a region are not on the map.",
        "page_h2_labs": "Labs",
        "page_no_lab": "No event is linked to a lab in this version.",
        "page_footer": "Made by <code>moisinno overview</code> from the tables of version "
        "{version}; a self-contained page, with no script and no external resource.",
        "page_chart_editions": "Events by edition: documented and announced",
        "page_chart_themes": "Events by theme: documented and announced",
        "page_bar": "{label} ({series}): {value}",
        "page_tile": "{label}: {value} {unit}",
        "page_overseas": "Overseas",
        "page_unit_events": "event(s)",
        "page_unit_labs": "lab(s)",
        "page_written": "Overview of version {version} written to {path}.",
    },
}
"""The labels of ``moisinno info`` in text (:func:`render_text`, :func:`highlights`,
:func:`render_tables_text`) and of ``moisinno overview``'s page (``page_*``, HTML:
:func:`render_html`), in each language of ``--lang``. Data values (themes, regions,
editions' names) are printed as the tables hold them."""


def _words(lang: str) -> dict[str, str]:
    return in_lang(TEXT, lang)


def render_tables_text(summary: PackageSummary, lang: str = "fr", origin: str | None = None) -> str:
    """``moisinno info`` for any package: counted in rows, whatever the table holds.

    ``origin``: where the version comes from, said in ``lang`` (default: the summary's)."""
    words = _words(lang)
    head = [f"Version {summary.version} — {origin or summary.origin}"]
    if summary.sha256:
        head.append(words["sha256"].format(summary.sha256))
    parts = ["\n".join(head)]
    for t in summary.tables:
        lines = [words["table"].format(t.name, t.rows, t.columns)]
        for column, (first, last) in t.spans.items():
            lines.append(words["span"].format(column, first, last))
        parts.append("\n".join(lines))
        parts.extend(
            _table(words["by"].format(t.name, column), counts, ("", words["rows"]), lang)
            for column, counts in t.values.items()
        )
    return "\n\n".join(parts) + "\n"


def summarize(pkg: LoadedPackage) -> Summary:
    events = pkg["evenements"]
    editions = pkg["editions"]
    labs = pkg["laboratoires"]
    names = region_names()

    documented = events["edition"].value_counts()
    edition_rows = []
    by_edition = []
    for row in editions.sort_values("annee").itertuples(index=False):
        year = int(row.annee)
        count = int(documented.get(year, 0))
        record = {
            "annee": year,
            "numero": _na(row.numero),
            "nom": _na(row.nom),
            "date_debut": _na(row.date_debut),
            "date_fin": _na(row.date_fin),
            "fil_rouge": _na(row.fil_rouge),
            "nombre_evenements": _na(row.nombre_evenements),
            "precision": _na(row.precision_nombre_evenements),
            "nombre_participants": _na(row.nombre_participants),
            "evenements_documentes": count,
        }
        edition_rows.append(record)
        by_edition.append(
            Count(
                str(year),
                str(year),
                count,
                {"annonce": record["nombre_evenements"], "precision": record["precision"]},
            )
        )

    long = explode(events, "thematiques")
    themes = _counts(long["thematiques"], _theme_labels(pkg))
    published = pkg.tables.get("thematiques")
    if published is not None:
        announced = published.groupby("thematique", observed=False)["nombre_evenements"].sum(
            min_count=1
        )
        precision = (
            published.dropna(subset=["nombre_evenements"])
            .groupby("thematique", observed=True)["precision"]
            .agg(lambda p: p.iloc[0] if p.nunique() == 1 else None)
        )
        for theme in themes:
            value = announced.get(theme.key) if theme.key else None
            theme.extra["annonce"] = _na(value)
            theme.extra["precision"] = _na(precision.get(theme.key)) if theme.key else None
    # An event without themes was exploded to one NA row: count events, not rows.
    no_theme = int(events["thematiques"].isna().sum())
    themes = [c for c in themes if c.key] + ([Count("", UNKNOWN, no_theme)] if no_theme else [])

    lab_names = dict(zip(labs["id"], labs["nom"].fillna(labs["id"]), strict=True))
    per_lab = events["laboratoire"].value_counts()
    by_lab = [
        Count(str(lab), str(lab_names.get(lab, lab)), int(n))
        for lab, n in sorted(per_lab.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return Summary(
        version=pkg.version,
        origin=pkg.origin,
        sha256=pkg.sha256,
        totals={
            "editions": len(editions),
            "evenements": len(events),
            "laboratoires": len(labs),
            "evenements_avec_laboratoire": int(events["laboratoire"].notna().sum()),
        },
        editions=edition_rows,
        by_edition=by_edition,
        by_theme=themes,
        by_format=_counts(events["format"]),
        by_modality=_counts(events["modalite"]),
        by_region=_counts(events["region"], names),
        by_lab=by_lab,
        labs_by_region=_counts(labs["region"], names),
    )


# --------------------------------------------------------------------------- text


def _fmt(value: Any, lang: str = "fr") -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,}".replace(",", _words(lang)["thousands"])
    return str(value)


def _label(row: Count, lang: str) -> str:
    """A row's label as shown: the data's own, or "unknown" said in ``lang``."""
    return _words(lang)["unknown"] if not row.key and row.label == UNKNOWN else row.label


def _table(
    title: str,
    rows: list[Count],
    headers: tuple[str, ...] = ("", "événements"),
    lang: str = "fr",
) -> str:
    words = _words(lang)
    labels = [_label(r, lang) for r in rows]
    width = max([len(label) for label in labels] + [len(headers[0]), 10])
    lines = [title, f"  {headers[0]:<{width}}  {headers[1]:>10}"]
    for r, label in zip(rows, labels, strict=True):
        announced = r.extra.get("annonce")
        qualifier = PRECISION.get(r.extra.get("precision") or "", "")
        tail = (
            words["announced_tail"].format(qualifier + _fmt(announced, lang))
            if announced is not None
            else ""
        )
        lines.append(f"  {label:<{width}}  {_fmt(r.value, lang):>10}{tail}")
    return "\n".join(lines)


WORDS = {
    "fr": {"minimum": "plus de ", "environ": "environ ", "exact": ""},
    "en": {"minimum": "more than ", "environ": "about ", "exact": ""},
}
"""How a sentence says the sources' precision of an announced number, in each language."""


def _about(precision: str | None, lang: str) -> str:
    return in_lang(WORDS, lang).get(precision or "", "")


def _ordinal(n: int, lang: str = "fr") -> str:
    if lang != "en":
        return "1re" if n == 1 else f"{n}e"
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def highlights(summary: Summary, lang: str = "fr") -> list[str]:
    """The article's kind of sentences, written from the figures of this version."""
    words = _words(lang)
    sentences = []
    announced = [e for e in summary.editions if e["nombre_evenements"] is not None]
    if announced:
        e = announced[-1]
        edition = (
            words["nth_edition"].format(_ordinal(e["numero"], lang))
            if e["numero"]
            else words["edition"]
        )
        people = (
            words["people"].format(_fmt(e["nombre_participants"], lang))
            if e["nombre_participants"] is not None
            else ""
        )
        sentences.append(
            words["announced_events"].format(
                year=e["annee"],
                name=f"{e['nom']}, " if e["nom"] else "",
                edition=edition,
                count=_about(e["precision"], lang) + _fmt(e["nombre_evenements"], lang),
                people=people,
            )
        )
    themes = sorted(
        (c for c in summary.by_theme if c.extra.get("annonce") is not None),
        key=lambda c: -c.extra["annonce"],
    )
    if themes:
        listed = ", ".join(
            f"{c.label.lower()} ({_about(c.extra.get('precision'), lang)}"
            f"{_fmt(c.extra['annonce'], lang)})"
            for c in themes[:3]
        )
        sentences.append(words["themes"].format(listed))
    t = summary.totals
    regions = sum(1 for c in summary.by_region if c.key and c.value)
    sentences.append(
        words["described"].format(
            events=_fmt(t["evenements"], lang),
            where=words["in_regions"].format(regions) if regions else "",
            linked=_fmt(t["evenements_avec_laboratoire"], lang),
            labs=_fmt(t["laboratoires"], lang),
        )
    )
    return sentences


def render_text(summary: Summary, lang: str = "fr", origin: str | None = None) -> str:
    """The ``moisinno info`` report: plain aligned text, readable in any terminal or log.

    ``origin``: where the version comes from, said in ``lang`` (default: the summary's)."""
    words = _words(lang)
    t = summary.totals
    head = [
        words["title"].format(version=summary.version, origin=origin or summary.origin),
        words["totals"].format(
            editions=t["editions"],
            events=t["evenements"],
            linked=t["evenements_avec_laboratoire"],
            labs=t["laboratoires"],
        ),
    ]
    if summary.sha256:
        head.append(words["sha256"].format(summary.sha256))
    events = ("", words["events"])
    parts = [
        "\n".join(head),
        words["brief"] + "\n" + "\n".join(f"  {line}" for line in highlights(summary, lang)),
        _editions_table(summary, lang),
        _table(words["by_theme"], summary.by_theme, events, lang),
        _table(words["by_format"], summary.by_format, events, lang),
        _table(words["by_modality"], summary.by_modality, events, lang),
        _table(words["by_region"], summary.by_region, events, lang),
        _table(words["by_lab"], summary.by_lab, events, lang)
        if summary.by_lab
        else f"{words['by_lab']}\n  {words['none']}",
        _table(words["labs_by_region"], summary.labs_by_region, ("", words["labs"]), lang),
    ]
    return "\n\n".join(parts) + "\n"


def _editions_table(summary: Summary, lang: str) -> str:
    """Each edition: its dates, the events the sources announced and those documented."""
    words = _words(lang)
    lines = [words["editions"]]
    lines.append(
        f"  {words['year']:<6} {words['name']:<34} {words['dates']:<23} "
        f"{words['announced']:>12} {words['documented']:>10}"
    )
    for e in summary.editions:
        dates = f"{e['date_debut'] or '?'} → {e['date_fin'] or '?'}"
        announced = _fmt(e["nombre_evenements"], lang)
        if e["precision"] and e["nombre_evenements"] is not None:
            announced = PRECISION.get(e["precision"], "") + announced
        lines.append(
            f"  {e['annee']:<6} {(e['nom'] or '—'):<34} {dates:<23} {announced:>12} "
            f"{e['evenements_documentes']:>10}"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- SVG charts

PRECISION = {"minimum": "≥ ", "environ": "≈ "}  # how sources qualify an announced number
PALETTE = ("#1f4e9c", "#e07b39")  # documented / announced; readable on white, colour-blind safe


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def bar_chart(
    chart_id: str, title: str, rows: list[Count], series: tuple[str, ...] = (), lang: str = "fr"
) -> str:
    """Horizontal bars, one per row; a second bar per row when ``series`` names an extra key.

    Each bar carries ``data-label``/``data-value`` so tests (and screen readers, via
    ``<title>``) read the same figures as the eye. ``data-*`` are the same in every ``lang``;
    the words shown (labels of unknown rows, series, numbers) are said in ``lang``.
    """
    words = _words(lang)
    said = {"documentés": words["documented"]}
    said.update((s, words.get(f"page_series_{s}", s)) for s in series)
    longest = max([min(len(_label(r, lang)), 44) for r in rows] + [4])
    label_w, bar_w, bar_h, gap = min(300, 7 * longest + 16), 330, 14, 8
    per_row = bar_h * (1 + len(series)) + gap
    height = 30 + per_row * max(len(rows), 1) + 10
    values = [r.value for r in rows] + [r.extra.get(s) or 0 for r in rows for s in series]
    top = max([*values, 1])
    out = [
        f'<svg class="chart" id="{_e(chart_id)}" role="img" aria-label="{_e(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {label_w + bar_w + 70} {height}" '
        f'width="{label_w + bar_w + 70}" height="{height}">',
        f"<title>{_e(title)}</title>",
    ]
    y = 30
    for r in rows:
        label = _label(r, lang)
        shown_label = label if len(label) <= 44 else label[:43].rstrip() + "…"
        out.append(
            f'<text x="{label_w - 6}" y="{y + bar_h - 3}" text-anchor="end" '
            f'class="label"><title>{_e(label)}</title>{_e(shown_label)}</text>'
        )
        bars = [("documentés", r.value, PALETTE[0])] + [
            (s, r.extra.get(s), PALETTE[1]) for s in series
        ]
        for i, (name, value, colour) in enumerate(bars):
            by = y + i * bar_h
            width = 0 if value is None else round(bar_w * value / top, 1)
            shown = "—" if value is None else _fmt(value, lang)
            if value is not None and name != "documentés":
                shown = PRECISION.get(r.extra.get("precision") or "", "") + shown
            out.append(
                f'<rect class="bar" data-series="{_e(name)}" data-label="{_e(r.label)}" '
                f'data-key="{_e(r.key)}" data-value="{"" if value is None else value}" '
                f'x="{label_w}" y="{by}" width="{width}" height="{bar_h - 2}" fill="{colour}">'
                f"<title>{_e(words['page_bar'].format(label=label, series=said[name], value=shown))}"
                "</title></rect>"
            )
            out.append(
                f'<text x="{label_w + width + 4}" y="{by + bar_h - 4}" class="value">{shown}</text>'
            )
        y += per_row
    out.append("</svg>")
    return "\n".join(out)


def _shade(value: int, top: int) -> str:
    if value <= 0:
        return "#eef0f3"
    t = 0.25 + 0.75 * math.sqrt(value / max(top, 1))
    low, high = (0xDC, 0xE6, 0xF5), (0x1F, 0x4E, 0x9C)
    rgb = [round(a + (b - a) * t) for a, b in zip(low, high, strict=True)]
    return "#" + "".join(f"{c:02x}" for c in rgb)


def region_map(chart_id: str, title: str, rows: list[Count], unit: str, lang: str = "fr") -> str:
    """A tile map of the 18 regions (metropolitan layout plus an overseas row), shaded by count."""
    words = _words(lang)
    values = {r.key: r for r in rows if r.key}
    size, pad = 74, 6
    width = 5 * (size + pad) + 20
    height = 6 * (size + pad) + 40
    top = max([*(r.value for r in values.values()), 1])
    out = [
        f'<svg class="map" id="{_e(chart_id)}" role="img" aria-label="{_e(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">',
        f"<title>{_e(title)}</title>",
        f'<text x="10" y="{5 * (size + pad) + 2}" class="label">{_e(words["page_overseas"])}</text>',
    ]
    for code, (col, row) in TILES.items():
        count = values.get(code)
        value = count.value if count else 0
        label = count.label if count else code
        x = 10 + col * (size + pad)
        y = 10 + row * (size + pad) + (12 if row == 5 else 0)
        fill = _shade(value, top)
        ink = "#ffffff" if value and value / top > 0.3 else "#1b1b1b"
        out.append(
            f'<g class="tile" data-region="{code}" data-value="{value}">'
            f'<rect x="{x}" y="{y}" width="{size}" height="{size}" rx="6" fill="{fill}">'
            f"<title>{_e(words['page_tile'].format(label=label, value=value, unit=unit))}</title></rect>"
            f'<text x="{x + size / 2}" y="{y + 30}" text-anchor="middle" fill="{ink}" '
            f'class="abbr">{SHORT.get(code, code)}</text>'
            f'<text x="{x + size / 2}" y="{y + 54}" text-anchor="middle" fill="{ink}" '
            f'class="count">{value}</text></g>'
        )
    out.append("</svg>")
    return "\n".join(out)


def render_html(summary: Summary, lang: str = "fr", origin: str | None = None) -> str:
    """The self-contained overview page (jinja2 template shipped in the package), in ``lang``.

    ``origin``: where the version comes from, said in ``lang`` (default: the summary's)."""
    from functools import partial

    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import Markup

    env = Environment(
        loader=PackageLoader("moisinno_data.loading", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    words = _words(lang)
    charts = {
        "editions": bar_chart(
            "chart-editions",
            words["page_chart_editions"],
            summary.by_edition,
            ("annonce",),
            lang,
        ),
        "themes": bar_chart(
            "chart-themes", words["page_chart_themes"], summary.by_theme, ("annonce",), lang
        ),
        "formats": bar_chart("chart-formats", words["by_format"], summary.by_format, lang=lang),
        "modalities": bar_chart(
            "chart-modalites", words["by_modality"], summary.by_modality, lang=lang
        ),
        "labs": bar_chart("chart-labs", words["by_lab"], summary.by_lab, lang=lang),
        "map_events": region_map(
            "map-events", words["by_region"], summary.by_region, words["page_unit_events"], lang
        ),
        "map_labs": region_map(
            "map-labs",
            words["labs_by_region"],
            summary.labs_by_region,
            words["page_unit_labs"],
            lang,
        ),
    }
    template = env.get_template("overview.html.j2")
    return template.render(
        s=summary,
        lang="en" if lang == "en" else "fr",
        w={key: Markup(text) for key, text in words.items()},  # our own words: HTML
        origin=origin or summary.origin,
        charts={k: Markup(v) for k, v in charts.items()},
        fmt=partial(_fmt, lang=lang),
        precision=PRECISION,
        unknown_regions=next((c.value for c in summary.by_region if not c.key), 0),
        highlights=highlights(summary, lang),
    )


def write_html(summary: Summary, path, lang: str = "fr", origin: str | None = None) -> None:
    from moisinno_data import fsutil

    fsutil.write_text(path, render_html(summary, lang, origin))
