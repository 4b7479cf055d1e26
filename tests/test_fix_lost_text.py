"""Fix and validate agree on text a person must look at again: lines of a UTF-8 file read
as Windows-1252 (sweep: fix said « 0 valeur(s) à vérifier … valide » where validate said
INVALID)."""

from __future__ import annotations

from moisinno_data.publishing.fix import describe, fix_file
from moisinno_data.validation import validate

TEXTS = {
    "name": "textes-fictifs",
    "fields": [{"name": n, "type": "string"} for n in ("id", "nom", "note")],
}
MIXED = b"id,nom,note\n1,Caf\xc3\xa9 de la Gare,ok\n2,H\xe9l\xe8ne,ok\n"


def test_a_line_read_as_windows_1252_is_a_value_to_check(tmp_path):
    path = tmp_path / "melange.csv"
    path.write_bytes(MIXED)
    assert [(f.code, f.line) for f in validate(path, schema=TEXTS).errors] == [
        ("encoding-error", 3)
    ]
    result = fix_file(path, TEXTS, tmp_path / "corrige.csv")
    assert [(p.row, p.column, p.value, p.rule) for p in result.problems] == [
        (3, 0, "2,Hélène,ok", "encodage")
    ]
    assert "Windows-1252" in result.problems[0].message
    assert "vérifiez les accents" in result.problems[0].message
    assert result.to_dict()["problems"][0]["rule"] == "encodage"
    text = describe(result, str(path), "corrige.csv")
    assert "À VÉRIFIER ligne 3 : « 2,Hélène,ok » — ligne lue en Windows-1252" in text
    assert "1 valeur(s) à vérifier" in text
    english = describe(result, str(path), "corrige.csv", lang="en")
    assert 'TO CHECK line 3: "2,Hélène,ok" — line read as Windows-1252' in english


def test_lines_past_the_listed_ones_are_counted(tmp_path):
    """Thousands of such lines: the reader lists the first 1000, the others are counted
    by rule, and ``--max`` keeps the text short."""
    path = tmp_path / "melange.csv"
    lines = [b"id,nom,note\n", b"0,Caf\xc3\xa9,ok\n"]
    lines += [b"%d,H\xe9l\xe8ne,ok\n" % i for i in range(1, 1501)]
    path.write_bytes(b"".join(lines))
    result = fix_file(path, TEXTS, tmp_path / "corrige.csv")
    assert len(result.problems) == 1000 and result.omitted_problems == {"encodage": 500}
    assert result.problem_count == 1500
    text = describe(result, str(path), None, max_per_rule=5)
    assert text.count("À VÉRIFIER") == 5
    assert "… et 1495 autre(s) valeur(s) à vérifier" in text and "encodage ×1495" in text


def test_line_numbers_are_validates_under_an_excel_separator_line(tmp_path):
    path = tmp_path / "melange.csv"
    path.write_bytes(b"sep=,\n" + MIXED)
    errors = validate(path, schema=TEXTS).errors
    assert [f.params["lines"] for f in errors if f.code == "encoding-error"] == [[3]]
    result = fix_file(path, TEXTS, tmp_path / "corrige.csv")
    assert [(p.row, p.value) for p in result.problems] == [(3, "2,Hélène,ok")]


SCIENTIFIC = (
    "id,nom,note\n"
    '1,"5,00175E+13",ok\n'  # a PDL 50017455185930 as French Excel writes it in a CSV
    "2,5.00175E+13,ok\n"
    "3,50017455185930,ok\n"  # the digits themselves
    "4,Rue 5.2E+10 bis,ok\n"
    "5,5E+13,ok\n"  # the same PDL in a column too narrow for decimals
    '6,"1,5E+09",ok\n'  # a short number: nothing lost
    "7,Zone 1.5E+12,ok\n"
)


def test_a_long_number_in_scientific_notation_is_said_by_validate_and_fix(tmp_path):
    """Sweep: ``5,00175E+13`` in a text field passed both commands in silence, its last
    digits lost for good. Validate warns of it, fix lists it to check, changes nothing."""
    path = tmp_path / "pdl.csv"
    path.write_text(SCIENTIFIC, encoding="utf-8")
    report = validate(path, schema=TEXTS)
    assert report.valid and not report.errors
    warned = [(f.row, f.field, f.value) for f in report.warnings]
    assert warned == [(2, "nom", "5,00175E+13"), (3, "nom", "5.00175E+13"), (6, "nom", "5E+13")]
    assert {f.code for f in report.warnings} == {"scientific-notation"}
    result = fix_file(path, TEXTS, tmp_path / "corrige.csv")
    assert [(p.row, p.column, p.value, p.rule) for p in result.problems] == [
        (2, 2, "5,00175E+13", "notation-scientifique"),
        (3, 2, "5.00175E+13", "notation-scientifique"),
        (6, 2, "5E+13", "notation-scientifique"),
    ]
    assert result.problems[0].message == (
        "« 5,00175E+13 » ressemble à un nombre que le tableur a écrit en notation "
        "scientifique : les chiffres au-delà de la précision affichée sont perdus ; "
        "reprenez la valeur d'origine et mettez la colonne au format Texte"
    )
    assert not result.changes
    written = (tmp_path / "corrige.csv").read_text(encoding="utf-8")
    assert '"5,00175E+13"' in written and "5.00175E+13" in written


def test_scientific_notation_is_an_error_already_where_a_pattern_checks_the_text(tmp_path):
    """A field with a ``pattern`` refuses the value: an error, no warning on top of it,
    and nothing for fix to add."""
    schema = {
        "name": "pdl-fictifs",
        "fields": [{"name": "pdl", "type": "string", "constraints": {"pattern": "[0-9]{14}"}}],
    }
    path = tmp_path / "pdl.csv"
    path.write_text('pdl\n"5,00175E+13"\n', encoding="utf-8")
    report = validate(path, schema=schema)
    assert [f.code for f in report.errors] == ["constraint-error"] and not report.warnings
    assert not fix_file(path, schema, tmp_path / "corrige.csv").problems
