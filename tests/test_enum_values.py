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
