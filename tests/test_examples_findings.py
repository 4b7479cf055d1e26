"""Each schema's invalid example shows exactly the errors it documents.

``schemas/<table>/exemple-invalide-erreurs.json`` lists what the example was built to show
(code, row, field, severity); the validator must find every one of them, with a French
message and a hint, and the valid example must have no error at all.
"""

from __future__ import annotations

import json

import pytest

from moisinno_data import validate
from tests.conftest import SCHEMAS, TABLES

# frictionless reports these at row level (no field); the documentation files are not
# consistent (evenements names the field of its foreign-key error, thematiques does not),
# and the engine names the key's fields. They are matched on (code, row, severity).
ROW_LEVEL = {"primary-key", "foreign-key"}


def key(code: str, row: int | None, field: str | None, severity: str = "error") -> tuple:
    return (code, row, None if code in ROW_LEVEL else field, severity)


def documented(table: str) -> list[dict]:
    path = SCHEMAS / table / "exemple-invalide-erreurs.json"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("table", TABLES)
def test_every_documented_finding_is_reported(table):
    report = validate(SCHEMAS / table / "exemple-invalide.csv", table)
    found = {key(f.code, f.row, f.field, f.severity): f for f in report.findings}
    # A documented field of null means "somewhere on that row" (missing-cell: one finding
    # per missing cell).
    for f in report.findings:
        found.setdefault((f.code, f.row, None, f.severity), f)
    missing = [
        (e["code"], e["row"], e["field"], e["description"])
        for e in documented(table)
        if key(e["code"], e["row"], e["field"], e["severity"]) not in found
    ]
    assert missing == []
    assert not report.valid
    for e in documented(table):
        f = found[key(e["code"], e["row"], e["field"], e["severity"])]
        assert f.message, f
        assert f.hint, f


@pytest.mark.parametrize("table", TABLES)
def test_no_error_beyond_the_documented_rows(table):
    # Every error sits on a documented (row, field) — nothing spurious, e.g. a negative
    # longitude taken for a formula. (missing-cell is one finding per missing cell.)
    report = validate(SCHEMAS / table / "exemple-invalide.csv", table)
    expected = {key(e["code"], e["row"], e["field"]) for e in documented(table)}
    rows_with_missing = {e["row"] for e in documented(table) if e["code"] == "missing-cell"}
    extra = [
        f.key
        for f in report.errors
        if key(f.code, f.row, f.field) not in expected
        and not (f.code == "missing-cell" and f.row in rows_with_missing)
    ]
    assert extra == []


@pytest.mark.parametrize("table", TABLES)
def test_valid_example_has_no_error(table):
    report = validate(SCHEMAS / table / "exemple-valide.csv", table)
    assert report.errors == []


def test_events_example_in_english():
    report = validate(SCHEMAS / "evenements" / "exemple-invalide.csv", "evenements", lang="en")
    by_key = {f.key: f for f in report.findings}
    assert "is not a date as YYYY-MM-DD" in by_key[("type-error", 3, "date")].message
    assert "2020-11-17" in by_key[("type-error", 3, "date")].hint
    assert "swapped" in by_key[("coordinates-outside-france", 10, "latitude")].hint


def test_french_excel_export_gets_iso_hints(tmp_path):
    """Windows-1252, `;`, dd/mm/yyyy dates, capitalised headers: read, and each date flagged."""
    import csv

    with open(SCHEMAS / "evenements" / "exemple-valide.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = [h.capitalize() for h in rows[0]]
    header[header.index("Region")] = "Région"
    at = rows[0].index("date")
    expected = {}
    for number, row in enumerate(rows[1:], start=2):
        iso = row[at]
        if iso:
            row[at] = f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"
            expected[number] = iso
    path = tmp_path / "contribution-excel.csv"
    with open(path, "w", encoding="cp1252", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows([header, *rows[1:]])

    report = validate(path, "evenements")
    assert report.detected["encoding"] == "windows-1252"
    assert report.detected["delimiter"] == ";"
    assert report.detected["header_mapping"]["Région"] == "region"
    dates = {f.row: f for f in report.errors if f.field == "date"}
    assert set(dates) == set(expected) and expected
    for row, iso in expected.items():
        assert dates[row].code == "type-error"
        assert f"AAAA-MM-JJ : {iso}" in dates[row].hint
    assert {f.code for f in report.errors} == {"type-error"}


@pytest.mark.parametrize(
    ("lang", "line", "column"), [("fr", "ligne", "colonne"), ("en", "line", "column")]
)
def test_command_lists_every_documented_error(capsys, lang, line, column):
    from moisinno_data.cli import main

    path = SCHEMAS / "evenements" / "exemple-invalide.csv"
    assert main(["validate", str(path), "--lang", lang]) == 1
    out = capsys.readouterr().out
    for e in documented("evenements"):
        where = f"{line} {e['row']}"
        if e["field"] and e["code"] not in ROW_LEVEL:
            where += f", {column} {e['field']}"
        assert where in out, (e["code"], where)
        assert f"({e['code']})" in out
    assert out.count("→ ") >= len(documented("evenements"))
