"""Table Schema v2's ``fieldsMatch``: an explicit mode binds the header. Without one the
header is read tolerantly, as frictionless 5 does (it has no fieldsMatch); with one, a file
whose columns break it was VALIDE all the same (« exact », an unknown column and another
order: two warnings). Now what the mode forbids is an error, and says which mode."""

from __future__ import annotations

import pytest

from moisinno_data.validation import validate

FIELDS = [{"name": "a"}, {"name": "b"}]
SHUFFLED, SHORT, SAME = "b,a,c\n1,2,3\n", "a\n1\n", "a,b\n1,2\n"


@pytest.mark.parametrize(
    ("mode", "text", "errors"),
    [
        (None, SHUFFLED, []),
        (None, SHORT, []),
        ("exact", SHUFFLED, ["extra-label", "column-order"]),
        ("exact", SHORT, ["missing-label"]),
        ("equal", SHUFFLED, ["extra-label"]),
        ("equal", SHORT, ["missing-label"]),
        ("subset", SHUFFLED, []),
        ("subset", SHORT, ["missing-label"]),
        ("superset", SHUFFLED, ["extra-label"]),
        ("superset", SHORT, []),
        ("partial", SHUFFLED, []),
        ("partial", SHORT, []),
        *((mode, SAME, []) for mode in ("exact", "equal", "subset", "superset", "partial")),
    ],
)
def test_each_mode_makes_errors_of_what_it_forbids(tmp_path, mode, text, errors):
    schema = {"name": "colonnes-fictives", "fields": FIELDS}
    if mode is not None:
        schema["fieldsMatch"] = mode
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8")
    report = validate(path, schema=schema)
    assert [f.code for f in report.errors] == errors
    assert report.valid == (not errors)
    for finding in report.to_dict()["errors"]:
        assert f"fieldsMatch « {mode} »" in finding["message"]
    warned = {f.code for f in report.warnings}
    assert not warned & set(errors)  # made errors, not listed twice


def test_an_unknown_mode_is_said_and_the_header_read_without_it(tmp_path):
    schema = {"name": "colonnes-fictives", "fieldsMatch": "exacte", "fields": FIELDS}
    path = tmp_path / "f.csv"
    path.write_text(SHUFFLED, encoding="utf-8")
    report = validate(path, schema=schema)
    assert report.valid
    notes = [f for f in report.warnings if f.code == "schema-warning"]
    assert [f.params["key"] for f in notes] == ["fieldsMatch"]
    assert "vouliez-vous dire « exact »" in notes[0].params["fr"]


def test_the_column_order_hint_follows_the_mode(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("b,a\n1,2\n", encoding="utf-8")
    tolerant = validate(path, schema={"name": "colonnes-fictives", "fields": FIELDS})
    strict = validate(
        path, schema={"name": "colonnes-fictives", "fieldsMatch": "exact", "fields": FIELDS}
    )
    assert "n'empêche pas la lecture" in tolerant.to_dict()["warnings"][0]["hint"]
    assert "Remettez les colonnes" in strict.to_dict()["errors"][0]["hint"]
