"""Report renderers: text (grouped, counted, --max, colour), JSON (complete), HTML (escaped)."""

from __future__ import annotations

import html
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from moisinno_data.errors import ConfigError
from moisinno_data.report import groups, render
from moisinno_data.report.samples import attach_samples
from moisinno_data.validation.report import Finding, Report

EVIL = '<script>alert("x")</script>'


def sample_report() -> Report:
    report = Report(
        file="contribution-fictive.csv",
        schema={
            "name": "evenements",
            "version": "0.1.0",
            "title": "Événements",
            "detected_by": "option",
        },
        detected={"format": "csv", "encoding": "windows-1252", "delimiter": ";"},
        rows=4,
    )
    for row, value in ((2, "17/11/2020"), (3, "18/11/2020"), (4, "19/11/2020")):
        report.add(
            Finding(
                "type-error",
                row=row,
                field="date",
                column=2,
                value=value,
                params={"type": "date", "format": "default"},
            )
        )
    report.add(
        Finding(
            "formula-injection",
            row=5,
            field="titre",
            column=1,
            value=EVIL.replace("<", "=<", 1),
            params={"first": "="},
        )
    )
    report.add(
        Finding(
            "date-outside-edition",
            severity="warning",
            row=3,
            field="date",
            column=2,
            value="2021-12-15",
            params={"edition": "2021", "start": "2021-11-02", "end": "2021-11-30"},
        )
    )
    report.header = ["titre", "date"]
    report.samples = {
        2: ["Atelier fictif", "17/11/2020"],
        3: ["Atelier fictif", "18/11/2020"],
        4: [EVIL, "19/11/2020"],
        5: [EVIL.replace("<", "=<", 1), "2020-11-17"],
    }
    return report


def test_text_groups_by_kind_with_counts_and_hints():
    text = render(sample_report(), "text")
    assert "INVALIDE" in text
    assert "encodage windows-1252, séparateur point-virgule" in text
    assert "(type-error) : 3 — date ×3" in text
    assert "ligne 2, colonne date (B) : « 17/11/2020 »" in text
    assert "→ Écrivez la date au format AAAA-MM-JJ : 2020-11-17." in text
    # errors before warnings
    assert (
        text.index("type-error")
        < text.index("formula-injection")
        < text.index("date-outside-edition")
    )
    assert "\x1b[" not in text


def test_text_max_per_kind_keeps_the_count():
    text = render(sample_report(), "text", max_per_kind=1)
    assert "(type-error) : 3" in text
    assert "17/11/2020" in text and "18/11/2020" not in text
    assert "… et 2 de plus (limite --max 1)" in text


def test_text_colour_only_on_request_and_no_control_chars_from_cells(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    report = sample_report()
    report.add(
        Finding("type-error", row=6, field="date", value="\x1b[2Jboom\nx", params={"type": "date"})
    )
    plain = render(report, "text")
    assert "\x1b" not in plain and "\\x1b[2Jboom\\nx" in plain
    coloured = render(report, "text", color=True)
    assert "\x1b[31m" in coloured and "\x1b[2J" not in coloured
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in render(report, "text", color=True)


def test_text_in_english():
    text = render(sample_report(), "text", lang="en")
    assert "INVALID" in text and "File: contribution-fictive.csv" in text
    assert "line 2, column date (B)" in text
    assert "Write the date as YYYY-MM-DD: 2020-11-17." in text


def test_json_is_complete_and_stable():
    data = json.loads(render(sample_report(), "json", max_per_kind=1))
    assert data["valid"] is False
    assert data["stats"] == {"rows": 4, "errors": 4, "warnings": 1}
    assert len(data["errors"]) == 4  # --max never truncates the JSON report
    first = data["errors"][0]
    assert set(first) >= {"code", "severity", "row", "field", "value", "message", "hint"}
    assert first["hint"].startswith("Écrivez")
    assert data["samples"]["4"][0] == EVIL  # raw data, JSON-escaped by json.dumps
    assert data["lang"] == "fr"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith("#"):
                self.external.append(value)


def test_html_is_self_contained_and_escapes_every_value():
    page = render(sample_report(), "html")
    parser = _Collector()
    parser.feed(page)
    assert "script" not in parser.tags
    assert parser.external == []
    assert "<style>" in page
    assert EVIL not in page
    assert html.escape(EVIL, quote=False) in page or "&lt;script&gt;" in page


def test_html_shows_findings_and_highlights_bad_cells():
    page = render(sample_report(), "html", max_per_kind=2)
    assert "Rapport de validation" in page and 'lang="fr"' in page
    assert "Valeur du mauvais type" in page and "(type-error) — 3" in page
    assert "… et 1 de plus (limite --max 2)" in page
    assert "2020-11-17" in page  # hint
    # rows table: row 3 has an error and a warning on the same cell: error wins
    cells = re.findall(r'<td class="(err|warn)" title="([^"]*)">([^<]*)</td>', page)
    assert ("err", "18/11/2020") in [(c, v) for c, _, v in cells]
    assert any(c == "err" and "formule" in t for c, t, _ in cells)


def test_html_in_english_and_without_samples():
    report = sample_report()
    report.samples = {}
    report.header = None
    report.file = "/nonexistent/fictif.csv"
    page = render(report, "html", lang="en")
    assert 'lang="en"' in page and "Validation report" in page
    assert "not available" in page


def test_valid_report_says_so():
    report = Report(file="ok.csv", schema={"name": "editions"}, rows=2)
    assert "Aucun problème trouvé." in render(report, "text")
    assert "VALIDE" in render(report, "html")


def test_bad_options_are_user_errors():
    with pytest.raises(ConfigError):
        render(sample_report(), "pdf")
    with pytest.raises(ConfigError):
        render(sample_report(), "text", max_per_kind=-1)


def test_groups_order_errors_first():
    kinds = [(g.severity, g.code) for g in groups(sample_report())]
    assert kinds == [
        ("error", "type-error"),
        ("error", "formula-injection"),
        ("warning", "date-outside-edition"),
    ]


def test_groups_are_counted_on_columns_and_only_the_shown_become_objects(monkeypatch):
    """A report of many findings: counts, columns and order as if every finding were an
    object, but only the ``max_per_kind`` shown of each kind are made (1.4 million
    findings listed whole took 3 GB and 19 s)."""
    report = Report(file="fictif.csv", schema={})
    for row in range(2, 3002):  # file order: by row, then column, errors before warnings
        field, column = ("date", 2) if row % 3 else ("titre", 1)
        report.add(Finding("type-error", row=row, field=field, column=column, value=f"x{row}"))
        if row % 500 == 0:
            report.add(Finding("date-outside-edition", "warning", row=row, field="date"))
    report.add(Finding("type-error", row=2, field="titre", column=1, value="premier"))
    made = []
    original = Report._finding
    monkeypatch.setattr(Report, "_finding", lambda self, *a: made.append(a) or original(self, *a))
    found = groups(report, 5)
    assert len(made) == 10
    errors, warnings = found
    assert (errors.code, errors.total, errors.hidden) == ("type-error", 3001, 2996)
    assert errors.fields == {"date": 2000, "titre": 1001}
    assert [(f.row, f.column, f.value) for f in errors.shown] == [
        (2, 1, "premier"), (2, 2, "x2"), (3, 1, "x3"), (4, 2, "x4"), (5, 2, "x5")
    ]  # fmt: skip
    assert (warnings.total, [f.row for f in warnings.shown]) == (6, [500, 1000, 1500, 2000, 2500])
    whole = groups(report)
    assert [f.row for f in whole[0].shown] == sorted(f.row for f in report.errors)


def test_validate_lists_200_findings_of_a_kind_in_text_and_html_unless_told(tmp_path):
    from conftest import run_cli, write_schema

    path = tmp_path / "nombres-fictifs.csv"
    path.write_text("n\n" + "".join(f"x{i}\n" for i in range(500)), encoding="utf-8")
    schema = str(write_schema(tmp_path, {"fields": [{"name": "n", "type": "integer"}]}))
    text = run_cli("validate", str(path), "--schema", schema)
    assert text.returncode == 1
    assert text.stdout.count("n'est pas un nombre entier") == 200
    assert ": 500 — n ×500" in text.stdout and "… et 300 de plus (limite --max 200)" in text.stdout
    more = run_cli("validate", str(path), "--schema", schema, "--max", "1000")
    assert more.stdout.count("n'est pas un nombre entier") == 500
    page = run_cli("validate", str(path), "--schema", schema, "--format", "html")
    assert page.stdout.count("pas un nombre entier") == 200 + 500  # the samples' notes: every row
    data = run_cli("validate", str(path), "--schema", schema, "--format", "json")
    assert len(json.loads(data.stdout)["errors"]) == 500


def test_attach_samples_reads_offending_rows(tmp_path):
    path = tmp_path / "fictif.csv"
    path.write_text("titre;date\nA;2020-11-17\nB;17/11/2020\nC;2020-11-18\n", encoding="cp1252")
    report = Report(file=str(path), schema={})
    report.add(Finding("type-error", row=3, field="date", value="17/11/2020"))
    attach_samples(report, path)
    assert report.header == ["titre", "date"]
    assert report.samples == {3: ["B", "17/11/2020"]}


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_a_value_typed_in_xfd_is_one_cell_past_the_header_in_the_html_report(tmp_path, fmt):
    """Sweep: the text and JSON reports say a value typed in column XFD as one extra
    cell, column XFD, but the HTML report read its row back 16,384 cells wide (16,382
    cells past the header). It shows the header's cells, then the value after its
    column's letter; a CSV row's cells past the header are said so too."""
    import hostile_files as h

    from moisinno_data.validation import validate

    rows = [["id", "titre"], ["a", "Atelier"], ["b", "Atelier fictif"]]
    path = h.far_right(tmp_path / f"loin.{fmt}", rows)
    report = validate(
        path, schema={"name": "fictif", "fields": [{"name": "id"}, {"name": "titre"}]}
    )
    attach_samples(report, path)
    assert report.samples == {3: ["b", "Atelier fictif", "(XFD) note égarée"]}
    page = render(report, "html")
    assert page.count("<td") < 20 and '<td class="err" title="">(XFD) note égarée</td>' in page
    csv = tmp_path / "loin.csv"
    csv.write_text("id,titre\na,Atelier,,en trop\n", encoding="utf-8")
    report = validate(csv, schema={"name": "fictif", "fields": [{"name": "id"}, {"name": "titre"}]})
    assert attach_samples(report, csv).samples == {2: ["a", "Atelier", "(C) ", "(D) en trop"]}


def test_several_files_make_one_html_page_and_one_json_list():
    from moisinno_data.report import render_many

    first, second = sample_report(), Report(file="autre-fictif.csv", schema={"name": "editions"})
    page = render_many([first, second], "html")
    assert page.count("<!DOCTYPE html>") == 1 and page.count("<article>") == 2
    assert "contribution-fictive.csv" in page and "autre-fictif.csv" in page
    data = json.loads(render_many([first, second], "json"))
    assert [d["file"] for d in data] == ["contribution-fictive.csv", "autre-fictif.csv"]
    assert render_many([first], "text") == render(first, "text")


def mixed_report() -> Report:
    """Findings of every shape the streamed JSON must carry: row-, column- and file-level,
    a repeated key (first_row), cells with quotes, backslashes, newlines, non-ASCII and
    control characters, both severities; some added one by one, some as engine blocks."""
    import polars as pl

    from moisinno_data.validation.report import BLOCK_SCHEMA

    report = Report(file='dossier "fictif"\\contribution.csv', schema={"name": "evenements"})
    odd = ['di"t \\ «é»', "ligne\nsuivante", "tab\there\x01\x1f\x7f", "日本\u2028", "", None]
    for row, value in enumerate(odd, start=2):
        report.add(Finding("type-error", row=row, field="date", column=2, value=value))
    report.add(Finding("blank-row", row=9, line=11))
    report.add(Finding("missing-label", field="commune", params={}))
    report.add(
        Finding(
            "unique-error",
            row=12,
            field="id",
            column=1,
            value="a",
            params={"fields": ["id"], "first_row": 3},
        )
    )
    report.add(Finding("extra-label", severity="warning", column=7, value="Colonne ajoutée"))
    kind = report.kind(
        "constraint-error", field="format", params={"constraint": "enum", "expected": ["atelier"]}
    )
    warn = report.kind("date-outside-edition", "warning", field="date", params={})
    for start in (20, 30):
        report.extend(
            pl.DataFrame(
                {
                    "kind": [kind, warn, kind, kind],
                    "row": [start, start, start + 1, None],
                    "line": [start + 1, None, start + 2, None],
                    "column": [4, 2, 4, None],
                    "value": ["Atelier", "2019-01-01", 'Ate"lier', None],
                    "first_row": [None, None, 2, None],
                },
                schema=BLOCK_SCHEMA,
            )
        )
    return report


@pytest.mark.parametrize(
    ("rows_at_a_time", "distinct_at_a_time"), [(1, 9), (3, 2), (100, 4), (100, 99)]
)
@pytest.mark.parametrize("target", ["utf-8 file", "StringIO", "utf-16 file"])
def test_streamed_json_is_to_dict_whatever_the_findings_and_the_target(
    tmp_path, monkeypatch, rows_at_a_time, distinct_at_a_time, target
):
    import io

    from moisinno_data.validation import report as model
    from moisinno_data.validation.messages import localize

    monkeypatch.setattr(model, "_WRITE_ROWS", rows_at_a_time)
    monkeypatch.setattr(model, "_DISTINCT_ROWS", distinct_at_a_time)
    report = mixed_report()
    localize(report, "en")
    report.map_texts(lambda text: text.replace("date", "date ¶"))
    if target == "StringIO":
        out = io.StringIO()
        report.write_json(out)
        text = out.getvalue()
    else:
        path = tmp_path / "rapport.json"
        with open(path, "w", encoding=target.split()[0]) as fh:
            fh.write(" ")
            report.write_json(fh)
        text = path.read_text(encoding=target.split()[0])
    data = json.loads(text)
    assert data == json.loads(json.dumps(report.to_dict()))
    assert len(data["errors"]) == 15 and len(data["warnings"]) == 3
    assert data["lang"] == "en" and "date ¶" in data["errors"][0]["message"]
    lines = text.splitlines()
    assert sum(line.startswith('{"code":') for line in lines) == 18  # one finding a line


def test_streamed_json_with_no_findings_is_to_dict(tmp_path):
    report = Report(file="vide-fictif.csv", schema={})
    with open(tmp_path / "rapport.json", "w", encoding="utf-8") as fh:
        report.write_json(fh)
    data = json.loads((tmp_path / "rapport.json").read_text(encoding="utf-8"))
    assert data == report.to_dict() and data["errors"] == data["warnings"] == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs a POSIX file size limit")
def test_a_full_disk_while_polars_writes_the_findings_says_so_with_its_errno(tmp_path):
    """A file size limit stands for a full disk: the head fits, the findings do not."""
    import subprocess
    import sys

    script = f"""
import errno, resource, signal, sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
from test_report_render import mixed_report
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (400, resource.RLIM_INFINITY))
with open({str(tmp_path / "rapport.json")!r}, "w", encoding="utf-8") as fh:
    try:
        mixed_report().write_json(fh)
    except OSError as exc:
        print(exc.errno == errno.EFBIG, type(exc).__name__)
        fh.truncate(0)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.split() == ["True", "OSError"], done.stderr


@pytest.mark.parametrize("written", ["2.3.0", "v2.3.0"])
def test_a_version_written_with_its_v_is_shown_once(written):
    """etalab's IRVE schema says ``"version": "v2.3.0"``: text, HTML and the schema list
    showed ``vv2.3.0``."""
    report = sample_report()
    report.schema = {**report.schema, "version": written}
    for fmt in ("text", "html"):
        shown = render(report, fmt)
        assert "v2.3.0" in shown and "vv2.3.0" not in shown, fmt


def _groups_by_sorting_all(report: Report, max_per_kind: int | None) -> list[tuple]:
    """The groups as they were made before: every finding sorted in file order."""
    import polars as pl

    ordered = report.in_order()
    kind = ["\x00severity", "code"]
    ordered = ordered.with_columns(pl.int_range(pl.len()).over(kind).alias("\x00rank"))
    keys = ordered.group_by(kind, maintain_order=True).agg(total=pl.len())
    keys = keys.sort("\x00severity", maintain_order=True)
    out = []
    for rank, code, total in keys.iter_rows():
        mine = ordered.filter((pl.col("\x00severity") == rank) & (pl.col("code") == code))
        fields = mine.filter(pl.col("field").fill_null("") != "").group_by("field").len()
        counts = dict(sorted(fields.iter_rows(), key=lambda item: (-item[1], item[0])))
        if max_per_kind is not None:
            mine = mine.filter(pl.col("\x00rank") < max_per_kind)
        shown = [(f.row, f.column, f.field, f.value) for f in report.materialise(mine)]
        out.append(("error" if rank == 0 else "warning", code, total, counts, shown))
    return out


@pytest.mark.parametrize("max_per_kind", [None, 0, 3])
def test_groups_rank_the_first_of_each_kind_without_sorting_them_all(tmp_path, max_per_kind):
    """``groups`` finds the first findings of each kind by their rank in it: the same
    groups, in the same order, with the same findings shown, as sorting every finding."""
    from moisinno_data.validation import validate

    rows = ["annee,numero,nom,date_debut,date_fin,inconnue"]
    for i in range(60):
        year = "deux-mille" if i % 3 == 0 else str(2014 + i % 9)
        start = "2020-13-01" if i % 4 == 0 else "2020-11-02"
        extra = ",de trop" if i % 7 == 0 else ""
        rows.append(f"{year},{i % 5},Semaine fictive {i},{start},2020-11-0{i % 9},x{extra}")
    rows += ["", "2015", ",,,,,"]
    path = tmp_path / "editions.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = validate(path, "editions")
    got = [
        (
            g.severity,
            g.code,
            g.total,
            g.fields,
            [(f.row, f.column, f.field, f.value) for f in g.shown],
        )
        for g in groups(report, max_per_kind)
    ]
    assert got == _groups_by_sorting_all(report, max_per_kind)
    assert len(got) >= 5 and any(g[0] == "warning" for g in got)


DOUBLED = {"fields": [{"name": n} for n in ("titre", "lieu", "note")]}


def test_a_duplicate_label_is_shown_under_the_label_written_in_its_column(tmp_path):
    """A second « titre » in column C was shown as « colonne note (C) »: ``note`` is the
    schema's field at that place (frictionless's ``field``, kept in the JSON), not what
    the column holds. Text, HTML and the web page name the label written there; a blank
    label (in the place of ``lieu``) is shown by its letter alone."""
    from moisinno_data.validation import validate
    from moisinno_data.web.view import group_by_kind

    path = tmp_path / "doublon.csv"
    path.write_text("titre,,titre\nAtelier fictif,,Autre\n", encoding="utf-8")
    report = validate(path, DOUBLED)
    by_code = {f.code: f for f in report.errors}
    assert (by_code["duplicate-label"].field, by_code["blank-label"].field) == ("note", "lieu")
    text = render(report, "text")
    assert "(duplicate-label) : 1 — titre ×1\n  ligne 1, colonne titre (C) : « titre »" in text
    assert "(blank-label) : 1\n  ligne 1, colonne B\n" in text
    assert "note (C)" not in text and "lieu (B)" not in text
    page = render(report, "html")
    assert "<td>titre (C)</td>" in page
    assert "note (C)" not in page and "lieu (B)" not in page
    shown = {k.code: k.findings[0]["field"] for k in group_by_kind(report.to_dict(), "fr")}
    assert (shown["duplicate-label"], shown["blank-label"]) == ("titre", None)


@pytest.mark.parametrize(("lang", "left", "right"), [("fr", "« ", " »"), ("en", '"', '"')])
def test_a_value_is_quoted_alike_by_the_sentence_the_list_and_the_column_list(lang, left, right):
    """Three copies of the quoting of each language (findings' sentences, the text report's
    values, its list of unchecked columns) are one (package/text.py ``quoted``): a cell's
    own spaces stay visible in French, and the English quotes are the same everywhere."""
    unchecked = {"unchecked_columns": {" Colonne fictive ": None}}
    report = Report(file="fictif.csv", schema={"name": "fictive"}, detected=unchecked)
    report.add(Finding("type-error", row=2, field="date", column=1, value=" 17/11/2020 ",
                       params={"type": "date", "format": "default"}))  # fmt: skip
    text = render(report, "text", lang=lang)
    assert f"{left} Colonne fictive {right}" in text  # the columns not checked
    assert text.count(f"{left} 17/11/2020 {right}") >= 2  # the line's value and its sentence
