"""ISO 8601's end of the day, ``2022-10-18T24:00:00`` (a date-time) or ``24:00:00`` (a
time): frictionless reads it as the next day at 00:00, so validate said VALIDE, consolidate
published it as received, and load refused the whole table as a corrupt release. Now
validate warns (``end-of-day``), fix writes the next day at 00:00 (offset kept), and load
reads a version published before that."""

from __future__ import annotations

import json

import pandas as pd
from frictionless_ref import findings as reference_findings

from moisinno_data.loading.dtypes import convert
from moisinno_data.publishing.fix import fix_file
from moisinno_data.validation import hints, validate
from moisinno_data.validation.messages import message

MOMENTS = {
    "name": "releves-fictifs",
    "fields": [
        {"name": "id", "type": "string"},
        {"name": "horodatage", "type": "datetime"},
        {"name": "heure", "type": "time"},
    ],
}
LATE = (
    "id,horodatage,heure\n"
    "fictif-1,2022-10-18T24:00:00,24:00:00\n"
    "fictif-2,2022-12-31T24:00:00+02:00,24:00:00Z\n"
    "fictif-3,2022-10-18T24:00:01,24:00:01\n"  # frictionless refuses them: its type errors
    "fictif-4,2022-10-18T12:00:00,12:00:00\n"
)


def _file(tmp_path, text, name="releves.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_end_of_the_day_is_a_warning_and_the_findings_frictionless(tmp_path):
    path = _file(tmp_path, LATE)
    schema_path = tmp_path / "schema.json"
    schema_path.write_text(json.dumps(MOMENTS), encoding="utf-8")
    report = validate(path, schema=MOMENTS)
    errors = [(f.code, f.row, f.field) for f in report.errors]
    assert errors == [("type-error", 4, "horodatage"), ("type-error", 4, "heure")]
    assert reference_findings("releves-fictifs", path, schema_path) == errors
    warned = [(f.row, f.field, f.value) for f in report.warnings if f.code == "end-of-day"]
    assert warned == [
        (2, "horodatage", "2022-10-18T24:00:00"),
        (2, "heure", "24:00:00"),
        (3, "horodatage", "2022-12-31T24:00:00+02:00"),
        (3, "heure", "24:00:00Z"),
    ]
    first = next(f for f in report.warnings if f.code == "end-of-day")
    assert "frictionless lit comme « 2022-10-19T00:00:00 »" in message(first, "fr")
    assert hints.hint(first, "fr") == "Écrivez « 2022-10-19T00:00:00 »."


def test_fix_writes_the_next_day_at_midnight_and_the_file_is_then_silent(tmp_path):
    path = _file(tmp_path, LATE.replace("fictif-3,2022-10-18T24:00:01,24:00:01\n", ""))
    out = tmp_path / "corrige.csv"
    result = fix_file(path, MOMENTS, out)
    assert out.read_text(encoding="utf-8").splitlines() == [
        "id,horodatage,heure",
        "fictif-1,2022-10-19T00:00:00,00:00:00",
        "fictif-2,2023-01-01T00:00:00+02:00,00:00:00Z",
        "fictif-4,2022-10-18T12:00:00,12:00:00",
    ]
    assert {c.rule for c in result.changes} == {"fin-de-journee"}
    assert not result.problems
    again = validate(out, schema=MOMENTS)
    assert again.valid and not again.warnings


def test_load_reads_a_published_end_of_the_day_as_the_next_midnight():
    """A release cut before fix wrote them so holds ``24:00``: validate accepts it, so
    load must read it, not call the version corrupt."""
    field = {"name": "horodatage", "type": "datetime"}
    values = pd.Series(["2022-10-18T24:00:00", "2022-10-18T24:00:00+02:00", None])
    loaded = convert(values, field, "releves-fictifs")
    expected = pd.Timestamp("2022-10-19T00:00:00", tz="Europe/Paris")
    assert loaded.tolist()[:2] == [expected, expected]
