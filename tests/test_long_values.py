"""A finding keeps the start of a long cell and says how long the cell is.

Cells of 1 MB (a workbook repeating one cell makes them from a few KB) gave findings
holding 1 MB each: a report of hundreds of MB in the page's store, and text and HTML
reports printing a megabyte per finding.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import SCHEMAS
from starlette.testclient import TestClient

from moisinno_data.validation import validate
from moisinno_data.validation.report import VALUE_CHARS, Finding, Report
from moisinno_data.web import create_app

MB = 1 << 20
SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "date", "type": "date"},
        {"name": "code", "type": "string", "constraints": {"pattern": "[A-Z]{3}"}},
        {"name": "titre", "type": "string", "constraints": {"maxLength": 5000}},
    ]
}


def long_file(tmp_path: Path, rows: int = 3, size: int = MB) -> Path:
    """Rows whose date (a French date, then spaces), code and title are ``size`` long."""
    path = tmp_path / "long.csv"
    lines = ["id,date,code,titre"]
    for i in range(rows):
        date = "17/11/2020" + " " * size + str(i)
        lines.append(f"{i},{date},{'é' * size}{i},{'a' * size}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def by_field(report: Report) -> dict[str, Finding]:
    return {f.field: f for f in report.errors if f.code in ("type-error", "constraint-error")}


def test_type_and_pattern_findings_keep_the_start_of_the_cell_and_its_length(tmp_path):
    report = validate(long_file(tmp_path), SCHEMA)
    findings = [f for f in report.errors if f.code in ("type-error", "constraint-error")]
    assert len(findings) == 9
    for f in findings:
        assert len(f.value) == VALUE_CHARS + 1 and f.value.endswith("…")
        assert f.params["value_length"] == {"date": MB + 11, "code": MB + 1, "titre": MB}[f.field]
    found = by_field(report)
    assert found["date"].value.startswith("17/11/2020 ")
    assert found["code"].value == "é" * VALUE_CHARS + "…"
    assert found["titre"].params["constraint"] == "maxLength"
    assert report.value_bytes() < 9 * 3 * (VALUE_CHARS + 1)


def test_the_messages_say_the_real_length_in_french_and_english(tmp_path):
    path = long_file(tmp_path, rows=1)
    fr = by_field(validate(path, SCHEMA, lang="fr"))
    en = by_field(validate(path, SCHEMA, lang="en"))
    assert fr["titre"].message.endswith(
        "est trop longue : au plus 5000 caractères. La cellule fait 1 048 576 caractères ; "
        "le rapport n'en cite que le début."
    )
    assert en["titre"].message.endswith(
        "is too long: at most 5000 characters. The cell is 1,048,576 characters long; the "
        "report quotes only its start."
    )
    assert fr["code"].message.endswith(
        "n'a pas la forme attendue (motif [A-Z]{3}). La cellule fait 1 048 577 caractères ; "
        "le rapport n'en cite que le début."
    )
    assert en["date"].message.endswith(
        "is not a date as YYYY-MM-DD. The cell is 1,048,587 characters long; the report "
        "quotes only its start."
    )
    assert all(len(f.message) < 400 for f in [*fr.values(), *en.values()])


def test_no_correction_is_made_from_the_start_of_a_cut_cell(tmp_path):
    """« 17/11/2020 » and 1 MB of spaces: its start alone would be corrected to 2020-11-17,
    dropping the rest of the cell; the hint says what a date looks like instead."""
    found = by_field(validate(long_file(tmp_path, rows=1), SCHEMA))
    assert found["date"].hint.startswith("Écrivez une date AAAA-MM-JJ (")
    assert "au format AAAA-MM-JJ : 2020-11-17" not in found["date"].hint


def test_the_json_report_holds_the_cut_value_and_its_length(tmp_path):
    report = validate(long_file(tmp_path, rows=2), SCHEMA)
    out = io.StringIO()
    report.write_json(out)
    written = out.getvalue()
    data = json.loads(written)
    assert len(written) < 50_000
    assert {e["params"].get("value_length") for e in data["errors"] if e["field"] == "code"} == {
        MB + 1
    }
    assert data == json.loads(json.dumps(report.to_dict()))


def test_a_finding_added_alone_is_cut_once_and_keeps_the_real_length():
    report = Report("f.csv", {})
    report.add(Finding("type-error", row=2, field="date", column=1, value="x" * MB))
    (kept,) = report.errors
    assert kept.value == "x" * VALUE_CHARS + "…" and kept.params["value_length"] == MB
    report.errors = list(report.errors)  # read back and added again: not cut twice
    (again,) = report.errors
    assert again.value == kept.value and again.params["value_length"] == MB


def test_a_short_value_is_kept_whole_with_no_length():
    report = Report("f.csv", {})
    report.add(Finding("type-error", row=2, field="date", column=1, value="é" * VALUE_CHARS))
    (kept,) = report.errors
    assert kept.value == "é" * VALUE_CHARS and "value_length" not in kept.params


def test_the_web_store_counts_a_report_of_long_cells_small(tmp_path):
    """Events whose dates are cells of 1,000,000 characters (the page refuses a cell over
    1 MiB): the page's store counted each finding's whole cell, twice (report and dict);
    it now counts their start."""
    with open(SCHEMAS / "evenements" / "exemple-valide.csv", encoding="utf-8") as fh:
        header, first, *_ = csv.reader(fh)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for i in range(3):
        row = list(first)
        row[header.index("id")] = f"long-{i}"
        row[header.index("date")] = "17/11/2020" + " " * 1_000_000 + str(i)
        writer.writerow(row)
    (tmp_path / "scratch").mkdir()
    app = create_app(tmp_root=tmp_path / "scratch")
    with TestClient(app, base_url="http://localhost:8000") as client:
        response = client.post(
            "/valider",
            files={"file": ("long.csv", out.getvalue().encode(), "text/csv")},
            data={"lang": "fr"},
            follow_redirects=True,
        )
        assert response.status_code == 200
        (entry,) = app.state.memory._entries.values()
        (validation,) = entry.results.values()
        dates = [f for f in validation.report.errors if f.code == "type-error"]
        assert len(dates) == 3 and all(f.params["value_length"] == 1_000_011 for f in dates)
        assert entry.size - len(entry.data) < 1_000_000
