"""What a contributed file *is* — header row, columns read and ignored, data rows, each
cell's value — is the same for ``validate``, ``fix``, ``consolidate`` and the web page
(which calls the first two).

Deliberate differences are said by the commands themselves (and the README): a column
without a name nor a value (a ``;`` ending every line, the gap before a second table) is
``blank-label`` for validate, as for frictionless, and dropped by fix, whose change says
so; a title above the header is named by validate and removed by fix and consolidate.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moisinno_data.package.schemas import load_schema
from moisinno_data.publishing.consolidate import consolidate
from moisinno_data.publishing.fix import fix_file
from moisinno_data.publishing.init import init_package
from moisinno_data.validation import validate

YEARS = {
    "name": "releves-fictifs",
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True}},
        {"name": "annee", "type": "year", "constraints": {"required": True}},
    ],
    "primaryKey": ["id"],
}


@pytest.fixture
def years_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package of one table with a ``year`` field (none of ours has one)."""
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(YEARS), encoding="utf-8")
    init_package(tmp_path / "paquet", [str(schema)])
    monkeypatch.setenv("MOISINNO_ROOT", str(tmp_path / "paquet"))
    monkeypatch.setenv("MOISINNO_STORE", str(tmp_path / "versions"))
    return tmp_path / "paquet"


def test_a_year_four_characters_long_only_with_its_spaces_is_said_by_validate(
    years_package, tmp_path
):
    """Known disagreement: `` 12 `` was VALIDE for validate (frictionless checks a year's
    length, then Python's int drops the spaces), left as is by fix, and refused by
    consolidate once trimmed (« 12 » is not a four-digit year). validate now warns of it
    (``padded-year``) where consolidate refuses the row, as it does of a required cell
    of spaces; a year fine once trimmed (`` 2020``: five characters, a type error for
    frictionless) and a real year are left alone."""
    path = tmp_path / "annees.csv"
    path.write_text("id,annee\nr-fictif-1, 12 \nr-fictif-2,2020\nr-fictif-3,\u00a0123\n")
    report = validate(path)
    assert report.valid  # frictionless's verdict is kept
    said = [(f.code, f.row, f.field, f.value) for f in report.warnings]
    assert said == [
        ("padded-year", 2, "annee", " 12 "),
        ("padded-year", 4, "annee", "\u00a0123"),
    ]
    assert "« 12 »" in report.warnings[0].message and "refus" in report.warnings[0].message
    english = validate(path, lang="en").warnings[0]
    assert "four-digit year" in english.message and "2012" in english.hint
    fixed = fix_file(path, load_schema("releves-fictifs"), tmp_path / "corrige.csv")
    assert [p.row for p in fixed.problems] == [2, 4]  # left as is, to check
    merged = consolidate([path], dry_run=True, received="2026-12-01")
    assert [r.row for r in merged.rows if r.status == "rejected"] == [2, 4]
