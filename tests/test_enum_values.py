"""An ``enum`` value no cell can ever equal (``"x"`` in an integer list, the number ``1``
in a text list, an ISO date in a list of ``%d/%m/%Y`` dates): every file then has errors
there that only the schema's author can mend, and the report said nothing of the schema.
A schema warning says so now; the findings stay frictionless's."""

from __future__ import annotations

import json

import pytest
from frictionless_ref import findings as reference_findings

from moisinno_data.validation import validate
from moisinno_data.validation.hints import hint

CASES = [
    # field, cell, values warned of (None: no warning)
    ({"type": "integer", "constraints": {"enum": [1.0, "x", "2"]}}, "1", '"x"'),
    ({"type": "string", "constraints": {"enum": [1, "a"]}}, "1", "1"),
    ({"type": "date", "format": "%d/%m/%Y", "constraints": {"enum": ["2024-01-02"]}}, "02/01/2024", '"2024-01-02"'),
    ({"type": "date", "format": "%d/%m/%Y", "constraints": {"enum": ["02/01/2024"]}}, "02/01/2024", None),
    ({"type": "number", "decimalChar": ",", "constraints": {"enum": ["1,5", 2.5]}}, "1,5", None),
    ({"type": "boolean", "trueValues": ["oui"], "falseValues": ["non"], "constraints": {"enum": [True]}}, "oui", None),
    ({"type": "year", "constraints": {"enum": [2024, "2025"]}}, "2025", None),
    ({"type": "integer", "constraints": {"enum": [1.5]}}, "1", "1.5"),
    ({"type": "datetime", "constraints": {"enum": ["2024-01-02T10:00:00Z"]}}, "2024-01-02T10:00:00Z", None),
]  # fmt: skip


@pytest.mark.parametrize(("field", "cell", "warned"), CASES)
def test_an_unreachable_enum_value_is_a_schema_warning(tmp_path, field, cell, warned):
    schema = {"name": "liste-fictive", "fields": [{"name": "n", **field}]}
    path, schema_path = tmp_path / "f.csv", tmp_path / "schema.json"
    path.write_text(f'n\n"{cell}"\n', encoding="utf-8")
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    report = validate(path, schema=schema)
    ours = [(f.code, f.row, f.field) for f in report.errors]
    assert ours == reference_findings("liste-fictive", path, schema_path)
    notes = [f for f in report.warnings if f.code == "schema-warning"]
    if warned is None:
        assert notes == []
        return
    assert [f.params["key"] for f in notes] == ["constraints.enum"]
    assert f": {warned} ;" in notes[0].params["fr"]
    assert "la liste « enum » dans le schéma" in hint(notes[0], "fr")


def test_a_long_list_is_read_whole_and_once(tmp_path):
    """100,000 codes and a value no cell can take at the end: said. Reading such a list
    took 55 s before the first row (each value checked against the whole list, a list
    searched per value: :func:`cells._membership`), and a cell the reference reader reads
    (``1_000``) as long again."""
    enum = [str(i) for i in range(100_000)] + ["x"]
    field = {"name": "n", "type": "integer", "constraints": {"enum": enum}}
    schema = {"name": "liste-fictive", "fields": [field]}
    path = tmp_path / "f.csv"
    path.write_text("n\n5\n1_000\n100000\n", encoding="utf-8")
    report = validate(path, schema=schema)
    assert [(f.code, f.row) for f in report.errors] == [("constraint-error", 4)]
    warned = {f.code: f for f in report.warnings}
    assert set(warned) == {"schema-warning", "unusual-digits"}
    assert ': "x" ;' in warned["schema-warning"].params["fr"]


REFERENCE_READ = [
    # fields that frictionless's own reader reads; the enum is checked beside it
    ({"type": "date", "format": "%d/%m/%Y", "constraints": {"enum": ["02/01/2024", None, 5]}}, ["02/01/2024", "03/01/2024", "x"]),
    ({"type": "object", "constraints": {"enum": [{"a": 1}, '{"b": 2}']}}, ['{"a": 1}', '{"b": 2}', '{"c": 3}', "[1]"]),
    ({"type": "array", "constraints": {"enum": [[1, 2], "[3]"]}}, ["[1, 2]", "[3]", "[4]", '{"a":1}']),
    ({"type": "integer", "groupChar": " ", "constraints": {"enum": ["1 000", 2000]}}, ["1000", "1 000", "2 000", "3 000"]),
    ({"type": "duration", "constraints": {"enum": ["P1D", "PT24H"]}}, ["P1D", "PT24H", "P2D", "x"]),
    ({"type": "geopoint", "constraints": {"enum": ["1.5,2.5"]}}, ["1.5,2.5", "1.5, 2.5", "3,4"]),
    ({"type": "time", "format": "%H:%M", "constraints": {"enum": ["10:00"], "minimum": "09:00"}}, ["10:00", "11:00", "08:00"]),
]  # fmt: skip


@pytest.mark.parametrize(("field", "cells"), REFERENCE_READ)
def test_an_enum_beside_the_reference_reader_finds_what_frictionless_finds(tmp_path, field, cells):
    """The enum of these fields is no longer left to frictionless, which searched it as a
    list per distinct value (a 36,500-date enum: 9 s for 20,000 rows, 1 s now); same
    findings."""
    schema = {"name": "liste-fictive", "fields": [{"name": "n", **field}]}
    path, schema_path = tmp_path / "f.csv", tmp_path / "schema.json"
    quoted = ['"' + c.replace('"', '""') + '"' for c in cells]
    path.write_text("n\n" + "\n".join(quoted) + "\n", encoding="utf-8")
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    ours = [(f.code, f.row, f.field) for f in validate(path, schema=schema).errors]
    assert any(code == "constraint-error" for code, _row, _field in ours)
    assert ours == reference_findings("liste-fictive", path, schema_path)
