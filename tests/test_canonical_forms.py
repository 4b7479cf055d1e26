"""fix writes one spelling per value, as consolidate publishes it: a boolean as the
column's first true or false value (``1``, ``True`` as ``oui`` already was), a year and
month as AAAA-MM (``2022-1``)."""

from __future__ import annotations

from moisinno_data.publishing.fix import fix_file
from moisinno_data.validation import validate

SCHEMA = {
    "name": "ouvertures-fictives",
    "fields": [
        {"name": "id", "type": "string"},
        {"name": "ouvert", "type": "boolean", "trueValues": ["O", "1"], "falseValues": ["N"]},
        {"name": "actif", "type": "boolean"},
        {"name": "mois", "type": "yearmonth"},
    ],
}


def test_fix_writes_each_boolean_and_month_one_way(tmp_path):
    path = tmp_path / "ouvertures.csv"
    path.write_text(
        "id,ouvert,actif,mois\n"
        "fictif-1,1,TRUE,2022-1\n"
        "fictif-2,O,FALSE,2022-001\n"
        "fictif-3,non,true,2022-10\n"
        "fictif-4,N,0,2022-13\n",  # 2022-13 is no month: left to validate
        encoding="utf-8",
    )
    out = tmp_path / "corrige.csv"
    result = fix_file(path, SCHEMA, out)
    assert out.read_text(encoding="utf-8").splitlines() == [
        "id,ouvert,actif,mois",
        "fictif-1,O,true,2022-01",
        "fictif-2,O,false,2022-01",
        "fictif-3,N,true,2022-10",
        "fictif-4,N,false,2022-13",
    ]
    assert {c.rule for c in result.changes} == {"booleen", "annee-mois"}
    assert [(f.code, f.row) for f in validate(out, schema=SCHEMA).errors] == [("type-error", 5)]
