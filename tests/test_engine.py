"""The engine and its interface: structure, cells, keys, schemas, limits, the command."""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import SCHEMAS
from conftest import run_cli as cli

from moisinno_data.errors import ConfigError
from moisinno_data.validation import validate
from moisinno_data.validation.cells import FieldChecker, canonical, python_pattern_to_rust
from moisinno_data.validation.report import FRICTIONLESS_CODES


def editions_rows() -> tuple[list[str], list[list[str]]]:
    with open(SCHEMAS / "editions" / "exemple-valide.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


# -- the invalid example ---------------------------------------------------------------


def test_invalid_example_shows_every_standard_error_it_was_built_for():
    expected = json.loads(
        (SCHEMAS / "evenements" / "exemple-invalide-erreurs.json").read_text(encoding="utf-8")
    )
    report = validate(SCHEMAS / "evenements" / "exemple-invalide.csv")
    assert report.schema["name"] == "evenements" and report.schema["detected_by"] == "header"
    assert not report.valid and report.rows == 18
    found = {(f.code, f.row, f.field) for f in report.errors + report.warnings}
    for item in expected:
        if item["code"] not in FRICTIONLESS_CODES:
            continue  # business-rule codes: tested with the rules
        code, row, field = item["code"], item["row"], item["field"]
        if field is None:
            assert any(f[0] == code and f[1] == row for f in found), item
        elif code == "foreign-key":
            assert (code, row, field) in found, item  # we keep the FK column for users
        else:
            assert (code, row, field) in found, item
    for f in report.errors:
        assert f.message and f.row and f.severity == "error"
        if f.code in ("type-error", "constraint-error"):
            assert f.hint, f
    fk = next(f for f in report.errors if f.code == "foreign-key")
    assert fk.params == {"resource": "laboratoires", "reference": ["id"], "fields": ["laboratoire"]}
    assert fk.value == "lab-fictif-inconnu" and fk.column == 14
    date = next(f for f in report.errors if f.code == "type-error" and f.field == "date")
    assert date.params == {"type": "date", "format": "default"} and date.value == "17/11/2020"
    assert "2020-11-17" in date.hint


def test_invalid_example_from_the_command_in_french_and_english():
    fr = cli("validate", "schemas/evenements/exemple-invalide.csv")
    assert fr.returncode == 1 and "Traceback" not in fr.stderr
    assert "ligne 3" in fr.stdout and "17/11/2020" in fr.stdout and "2020-11-17" in fr.stdout
    en = cli(
        "validate", "schemas/evenements/exemple-invalide.csv", "--lang", "en", "--format", "json"
    )
    assert en.returncode == 1
    data = json.loads(en.stdout)
    assert data["lang"] == "en" and data["stats"]["errors"] == len(data["errors"])
    fr_json = json.loads(
        cli("validate", "schemas/evenements/exemple-invalide.csv", "--format", "json").stdout
    )
    assert [e["message"] for e in data["errors"]] != [e["message"] for e in fr_json["errors"]]


def test_exit_codes_and_several_files(tmp_path):
    ok = cli("validate", "schemas/editions/exemple-valide.csv")
    assert ok.returncode == 0
    both = cli(
        "validate",
        "schemas/editions/exemple-valide.csv",
        "schemas/editions/exemple-invalide.csv",
        "--format",
        "json",
    )
    assert both.returncode == 1
    data = json.loads(both.stdout)
    assert isinstance(data, list) and [d["valid"] for d in data] == [True, False]
    out = tmp_path / "rapport.html"
    html = cli(
        "validate",
        "schemas/editions/exemple-invalide.csv",
        "--format",
        "html",
        "--output",
        str(out),
    )
    assert html.returncode == 1 and out.read_text(encoding="utf-8").lstrip().startswith("<")
    bad = cli("validate", "schemas/editions/exemple-valide.csv", "--schema", "inconnue")
    assert bad.returncode == 2 and "Schéma inconnu" in bad.stderr and "Traceback" not in bad.stderr
    bad = cli("validate", "schemas/editions/exemple-valide.csv", "--limit", "0")
    assert bad.returncode == 2


# -- structure -------------------------------------------------------------------------


def test_missing_extra_reordered_and_normalised_columns(tmp_path):
    header, rows = editions_rows()
    # drop nom (optional) and sources (required), add an unknown column, swap two,
    # and write two labels as a spreadsheet user would.
    keep = [h for h in header if h not in ("nom", "sources")]
    keep[0], keep[1] = keep[1], keep[0]  # numero before annee
    labels = [{"date_debut": "Date_Début", "fil_rouge": "  Fil rouge  "}.get(h, h) for h in keep]
    labels[labels.index("  Fil rouge  ")] = " FIL_ROUGE "
    table = [[r[header.index(h)] for h in keep] + ["fictif"] for r in rows]
    table[0][keep.index("numero")] = "un"
    path = write(tmp_path / "editions.csv", [*labels, "commentaire"], table)
    report = validate(path, "editions")
    by_code = {}
    for f in report.errors + report.warnings:
        by_code.setdefault(f.code, []).append(f)
    missing = {f.field: f.severity for f in by_code["missing-label"]}
    assert missing == {"nom": "warning", "sources": "error"}
    (extra,) = by_code["extra-label"]
    assert extra.severity == "warning" and extra.value == "commentaire"
    assert extra.column == len(labels) + 1
    assert "extra-cell" not in by_code  # an unknown column is not an extra cell per row
    assert [f.severity for f in by_code["column-order"]] == ["warning"]
    assert report.detected["header_mapping"] == {
        "Date_Début": "date_debut",
        " FIL_ROUGE ": "fil_rouge",
    }
    assert all(f.severity == "warning" for f in by_code["incorrect-label"])
    (type_error,) = by_code["type-error"]
    assert (type_error.row, type_error.field, type_error.column) == (2, "numero", 1)
    assert not any(f.code == "constraint-error" and f.field == "sources" for f in report.errors)


def test_duplicate_and_blank_labels(tmp_path):
    header, rows = editions_rows()
    labels = list(header)
    labels[2] = ""
    labels.append("annee")
    path = write(tmp_path / "editions.csv", labels, [[*r, "2020"] for r in rows])
    report = validate(path, "editions")
    codes = {(f.code, f.column, f.severity) for f in report.errors + report.warnings}
    assert ("blank-label", 3, "error") in codes
    assert ("duplicate-label", len(labels), "error") in codes
    assert ("missing-label", None, "warning") in codes  # nom lost its label


def test_ragged_blank_rows_and_line_numbers(tmp_path):
    header, rows = editions_rows()
    path = tmp_path / "editions.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        row = list(rows[0])
        row[10] = "note fictive\nsur deux lignes"
        writer.writerow(row)  # record 2, lines 2-3
        fh.write("\n")  # record 3: blank
        writer.writerow(rows[1][:4])  # record 4: too short
        writer.writerow([*rows[0], "en trop"])  # record 5: too long
    report = validate(path, "editions")
    blank = next(f for f in report.errors if f.code == "blank-row")
    assert (blank.row, blank.line) == (3, 4)
    short = [f for f in report.errors if f.code == "missing-cell"]
    assert {f.row for f in short} == {4} and short[0].line == 5
    assert len(short) == len(header) - 4
    extra = next(f for f in report.errors if f.code == "extra-cell")
    assert (extra.row, extra.column, extra.value, extra.line) == (5, len(header) + 1, "en trop", 6)


@pytest.mark.parametrize(
    "fields, body",
    [
        ([("a", "string"), ("b", "string")], "exemple,fictif\n\nautre,fictif\n,\n"),
        ([("n", "integer")], "1\n\n2\n"),
    ],
)
@pytest.mark.parametrize("missing", [["-"], []])
def test_an_empty_line_is_blank_whatever_the_missing_values(tmp_path, fields, body, missing):
    """An empty line holds no cell (frictionless: a blank row, whatever the missing
    values); pyarrow gives it as empty cells, as ``,``. Under ``missingValues: ["-"]``
    the file was VALIDE (two columns, b required) or said a type error (one integer
    column) where frictionless finds the blank row. ``,`` stays two empty texts."""
    from frictionless_ref import findings as reference_findings

    schema = {
        "name": "lignes-fictives",
        "missingValues": missing,
        "fields": [{"name": n, "type": t, "constraints": {"required": True}} for n, t in fields],
    }
    schema_path = tmp_path / "schema.json"
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    path = tmp_path / "lignes.csv"
    path.write_text(",".join(n for n, _t in fields) + "\n" + body, encoding="utf-8")
    found = [(f.code, f.row, f.field) for f in validate(path, schema=schema).errors]
    assert ("blank-row", 3, None) in found
    assert found == reference_findings("lignes-fictives", path, schema_path)


def test_missing_cells_of_short_rows_in_a_reordered_header(tmp_path):
    """The cells a short row lacks are found among the short rows only: each must be
    named by its own column, whatever the header's order, an unknown column among them,
    with blank rows and short rows of every length in one batch."""
    header, rows = editions_rows()
    order = list(reversed(range(len(header))))
    shuffled = [header[i] for i in order]
    shuffled.insert(2, "colonne_inconnue")
    full = [[row[i] for i in order] for row in rows[:2]]
    for row in full:
        row.insert(2, "x")
    lengths = list(range(1, len(shuffled)))
    expected = {
        (2 + k, column, shuffled[column - 1])
        for k, n in enumerate(lengths)
        for column in range(n + 1, len(shuffled) + 1)
        if shuffled[column - 1] != "colonne_inconnue"
    }
    # Mostly short rows, then a few among many (read in either way, same answer).
    for padding in (0, 40 * len(lengths)):
        body = [full[0][:n] for n in lengths] + [[]] + full + [full[1]] * padding
        path = write(tmp_path / f"editions-{padding}.csv", shuffled, body)
        report = validate(path, "editions")
        missing = {(f.row, f.column, f.field) for f in report.errors if f.code == "missing-cell"}
        assert missing == expected
        assert {f.row for f in report.errors if f.code == "blank-row"} == {2 + len(lengths)}


# -- cells and keys --------------------------------------------------------------------


def test_checks_on_a_custom_schema_dict_and_exclusive_bounds(tmp_path):
    schema = {
        "name": "mesures",
        "fields": [
            {"name": "id", "type": "integer", "constraints": {"unique": True}},
            {
                "name": "x",
                "type": "number",
                "constraints": {"exclusiveMinimum": 0, "exclusiveMaximum": 10},
            },
            {"name": "d", "type": "date", "constraints": {"exclusiveMaximum": "2030-01-01"}},
            {"name": "code", "type": "string", "constraints": {"pattern": "[a-z]+|[0-9]{2}"}},
            {"name": "parent", "type": "integer"},
        ],
        "foreignKeys": [{"fields": "parent", "reference": {"resource": "", "fields": "id"}}],
    }
    rows = [
        ["1", "5", "2020-01-01", "abc1", ""],  # "^[a-z]+|[0-9]{2}$" matches "abc1"
        ["2", "0", "2030-01-01", "1a", "1"],
        ["02", "10", "2029-12-31", "12", "7"],
        ["3", " 9.5", "2020-02-30", "AB", "2"],
    ]
    path = write(tmp_path / "mesures.csv", ["id", "x", "d", "code", "parent"], rows)
    report = validate(path, schema)
    assert report.schema["detected_by"] == "option" and report.schema["name"] == "mesures"
    got = sorted((f.code, f.row, f.field, f.params.get("constraint")) for f in report.errors)
    assert got == [
        ("constraint-error", 3, "code", "pattern"),
        ("constraint-error", 3, "d", "exclusiveMaximum"),
        ("constraint-error", 3, "x", "exclusiveMinimum"),
        ("constraint-error", 4, "x", "exclusiveMaximum"),
        ("constraint-error", 5, "code", "pattern"),
        ("foreign-key", 4, "parent", None),
        ("type-error", 5, "d", None),
        ("unique-error", 4, "id", None),
    ]
    unique = next(f for f in report.errors if f.code == "unique-error")
    assert unique.params["first_row"] == 3 and unique.value == "02"
    pattern = next(f for f in report.errors if f.field == "code")
    assert pattern.params["expected"] == "[a-z]+|[0-9]{2}"


def test_python_pattern_semantics_in_rust():
    import re

    import polars as pl

    for pattern, value in [
        ("[a-z]+|[0-9]{2}", "abc1"),
        ("[a-z]+", "abc\n"),
        ("a$", "a\n\n"),
        ("[0-9]{2}", "123"),
        ("(x|y)", "xy"),
        # Escaped punctuation as published schemas write it (CEREMA's
        # schema-arrete-circulation-marchandises): Python reads each as the character.
        (r"""[a-zA-Z0-9\-\–\'\’\«\»\°\"\s\d\u00C0-\u00FF\(\)\,\.]+""", "Rue de l’Église n° 3"),
        (r"[a-z\–]+", "a–b"),
        (r"[a-z\–]+", "a-b"),
        (r"\«[a-z]+\»", "«abc»"),
        (r"a\<b\>", "a<b>"),
        (r"[\<\>]+", "<>"),
        (r"x\éy", "xéy"),
        (r"[\é]", "e"),
        # A named character, which Rust has no names for (it was refused as a look-around).
        (r"\N{LATIN SMALL LETTER A}+", "aa"),
        (r"\N{LATIN SMALL LETTER A}+", "b"),
        (r"[\N{EN DASH}x]+", "–x"),
        (r"\\N+", "\\NN"),
    ]:
        python = bool(re.compile(f"^{pattern}$").match(value))
        rust = pl.Series([value]).str.contains(python_pattern_to_rust(pattern))[0]
        assert python == rust, (pattern, value)


def test_python_word_and_space_classes_in_rust():
    """Python's ``\\w``, ``\\W``, ``\\s``, ``\\S``, in and out of a class, on every character
    Python's Unicode assigns: Rust's own ``\\w`` took a decomposed accent (« Crète » as a
    Mac writes it passed ``[\\w -]+``, frictionless refused it) and refused ``m²``."""
    import re
    import unicodedata

    import polars as pl

    chars = [chr(i) for i in range(0x110000) if unicodedata.category(chr(i)) not in ("Cn", "Cs")]
    cells = pl.Series(chars, dtype=pl.String)
    for pattern in (r"\w", r"\W", r"\s", r"\S", r"[\w-]", r"[^\W]", r"[\s;]", r"[^\S]"):
        python = re.compile(f"^{pattern}$")
        expected = [bool(python.match(c)) for c in chars]
        assert cells.str.contains(python_pattern_to_rust(pattern)).to_list() == expected, pattern
    for value in ("Cre\u0300te fictive", "Surface fictive en m²", "a\u200db"):
        python = bool(re.compile(r"^[\w -]+$").match(value))
        assert pl.Series([value]).str.contains(python_pattern_to_rust(r"[\w -]+"))[0] == python


@pytest.mark.parametrize("key", ["unique", "primaryKey"])
def test_nan_is_no_duplicate_of_nan_but_infinity_is_of_infinity(tmp_path, key):
    """Python (so frictionless) finds NaN unequal to itself and Infinity equal to itself.
    A key made of the NaN object's id() reused a freed object's: « NaN » then « nan »
    were a unique-error (and a primary-key error), frictionless finding nothing; and two
    Infinity cells were never duplicates."""
    from frictionless_ref import findings as reference_findings

    field = {"name": "mesure", "type": "number"}
    schema = {"name": "mesures-fictives", "fields": [field]}
    if key == "unique":
        field["constraints"] = {"unique": True}
    else:
        schema["primaryKey"] = ["mesure"]
    schema_path = tmp_path / "schema.json"
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    path = tmp_path / "mesures.csv"
    path.write_text("mesure\nNaN\nnan\nNaN\n1.5\nInfinity\ninf\n1.50\n", encoding="utf-8")
    found = [(f.code, f.row) for f in validate(path, schema=schema).errors]
    assert [row for _code, row in found] == [7, 8]
    reference = reference_findings("mesures-fictives", path, schema_path)
    assert found == [(code, row) for code, row, _field in reference]  # a key names no field


def test_canonical_keys_match_python_equality():
    from decimal import Decimal

    assert canonical("integer", 1) == canonical("number", Decimal("1.00"))
    assert canonical("number", Decimal("-0")) == canonical("integer", 0)
    assert canonical("string", "1") != canonical("integer", 1)
    checker = FieldChecker({"name": "n", "type": "number"}, [""])
    import polars as pl

    result = checker.check(pl.Series(["007.50", "7.5", "-0.0", "1e3"]), want_key=True)
    assert result.key.to_list() == ["n:7.5", "n:7.5", "n:0", "n:1000"]


def test_limit_and_rows(tmp_path):
    header, rows = editions_rows()
    bad = [[r[0], "x", *r[2:]] for r in rows] * 3
    path = write(tmp_path / "editions.csv", header, bad)
    full = validate(path, "editions")
    assert not full.limit_reached and len(full.errors) > 3
    limited = validate(path, "editions", limit=3)
    assert limited.limit_reached and len(limited.errors) == 3 and limited.limit == 3
    out = cli("validate", str(path), "--schema", "editions", "--limit", "3", "--format", "json")
    assert json.loads(out.stdout)["limit_reached"] is True


def test_schema_by_path_and_detection_by_header(tmp_path):
    report = validate(
        SCHEMAS / "thematiques" / "exemple-valide.csv", SCHEMAS / "thematiques" / "schema.json"
    )
    assert report.valid and report.schema["detected_by"] == "option"
    for table in ("editions", "laboratoires", "thematiques", "evenements"):
        report = validate(SCHEMAS / table / "exemple-valide.csv")
        assert report.schema["name"] == table and report.valid, table
    path = write(tmp_path / "autre.csv", ["colonne_inconnue", "autre"], [["1", "2"]])
    with pytest.raises(ConfigError, match="--schema"):
        validate(path)


def test_business_rules_see_canonical_columns_with_mapped_headers(tmp_path):
    """The rules get the batch under the schema's field names, blank cells as null."""
    with open(SCHEMAS / "evenements" / "exemple-invalide.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = [h.upper() for h in rows[0]]
    path = write(tmp_path / "evenements.csv", header, rows[1:])
    report = validate(path, "evenements")
    siret = next(f for f in report.errors if f.code == "siret-checksum")
    assert (siret.row, siret.field, siret.column) == (7, "organisateur_siret", 13)
    assert siret.line == 7


def test_progress_bar_goes_to_stderr(capsys, monkeypatch):
    """The bar is drawn on stderr (a terminal here), so stdout stays the report alone."""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    report = validate(SCHEMAS / "editions" / "exemple-valide.csv", "editions", progress=True)
    assert report.valid
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Validation de exemple-valide.csv" in captured.err


def test_ragged_row_first_then_duplicate_in_the_same_batch(tmp_path):
    """Ragged rows are set aside while parsing; the first occurrence must still win."""
    header, rows = editions_rows()
    short = rows[0][:3]  # annee 20xx, too short
    full = list(rows[0])  # same annee, later, complete
    path = write(tmp_path / "editions.csv", header, [short, rows[1], full])
    report = validate(path, "editions")
    unique = [(f.row, f.params["first_row"]) for f in report.errors if f.code == "unique-error"]
    assert unique == [(4, 2)]
    pk = [f.row for f in report.errors if f.code == "primary-key"]
    assert pk == [4]


@pytest.mark.parametrize("batch_rows", [2, None])
def test_unique_keys_flag_a_repeated_combination_not_one_with_a_blank(tmp_path, batch_rows):
    """Sweep 9: ``uniqueKeys`` (Table Schema v2) was accepted and never checked: rows E1
    and E4 shared (code, année, montant) and the file was VALIDE. Each combination is now
    unique, read as its fields read it (``1 234,50`` is ``1234,5``), across batches; one
    with a missing value is not checked, as SQL's UNIQUE does."""
    schema = {
        "name": "equipements-fictifs",
        "fields": [
            {"name": "id"},
            {"name": "code"},
            {"name": "annee", "type": "integer"},
            {"name": "montant", "type": "number", "decimalChar": ",", "groupChar": " "},
        ],
        "primaryKey": "id",
        "uniqueKeys": [["code", "annee", "montant"], ["id"]],
    }
    rows = [
        ["E1", "99001", "2020", "1 234,50"],
        ["E2", "99001", "2021", "1 234,50"],
        ["E3", "99001", "", "7"],
        ["E4", "99001", "2020", "1234,5"],
        ["E5", "99001", "", "7"],
    ]
    path = write(tmp_path / "equipements.csv", ["id", "code", "annee", "montant"], rows)
    report = validate(path, schema=schema, batch_rows=batch_rows)
    (finding,) = [f for f in report.errors if f.code == "unique-key"]
    assert (finding.row, finding.field, finding.column) == (5, "code, annee, montant", 2)
    assert finding.params == {"fields": ["code", "annee", "montant"], "first_row": 2}
    assert finding.value == "99001, 2020, 1234,5"
    assert "déjà à la ligne 2" in finding.message and finding.hint
    assert [f.code for f in report.errors] == ["unique-key"]


def test_fast_date_shapes_only_accept_what_the_reference_accepts():
    """The polars fast path may send a valid value to the slow path, never the reverse.

    The domain is small enough to walk whole: every month and day (out-of-range ones
    included) of years that matter for the calendar, then every time-of-day boundary with
    every zone form on one date.
    """
    import re

    from moisinno_data.validation.cells import _FAST_SHAPE

    date_rx = re.compile(_FAST_SHAPE["date"])
    datetime_rx = re.compile(_FAST_SHAPE["datetime"])
    date_reader = FieldChecker({"name": "d", "type": "date"}, [""]).reader
    datetime_reader = FieldChecker({"name": "t", "type": "datetime"}, [""]).reader

    for y in (0, 1, 1900, 2000, 2023, 2024, 2100, 9999):
        for mo in range(14):
            for d in range(33):
                day = f"{y:04d}-{mo:02d}-{d:02d}"
                if date_rx.match(day):
                    assert date_reader(day)[1] is None, day
    for day in ("2024-02-29", "2023-02-29", "2024-13-01"):
        for h in range(26):
            for mi, sec in ((0, 0), (59, 59), (60, 0), (0, 60), (61, 61)):
                for tz in ("", "Z", "+01:00", "-14:59", "+15:00", "+01:60"):
                    stamp = f"{day}T{h:02d}:{mi:02d}:{sec:02d}{tz}"
                    if datetime_rx.match(stamp):
                        assert datetime_reader(stamp)[1] is None, stamp


def test_the_integer_shape_read_by_a_cast_is_the_regexs_shape():
    """The integer fast path is a cast to Int64 and two looks at the text, not a regex:
    on every string of a noisy alphabet (signs, spaces, underscores, exponents, other
    digits, no-break space) it must accept exactly what ``_FAST_SHAPE["integer"]``
    accepts, but for negatives of 18 digits (sent to the reference reader)."""
    import random

    import polars as pl

    from moisinno_data.validation.cells import _FAST_SHAPE, _integer_shape

    rnd = random.Random(16)
    alphabet = "0123456789+-_ .eE\tinfaNx,\u0663\u00a0\u2212"
    values = {"".join(rnd.choice(alphabet) for _ in range(rnd.randrange(8))) for _ in range(50_000)}
    values |= {"9" * 18, "-" + "9" * 17, "-" + "9" * 18, "9" * 19, "-0", "+0", "00", "9" * 30}
    cells = pl.Series("v", sorted(values), dtype=pl.String)
    frame = pl.DataFrame({"v": cells}).with_columns(
        regex=pl.col("v").str.contains(_FAST_SHAPE["integer"]),
        cast=_integer_shape(pl.col("v")),
        short=pl.col("v").str.len_bytes() <= 18,
    )
    assert frame.filter(pl.col("cast") & ~pl.col("regex")).height == 0
    assert frame.filter(pl.col("regex") & pl.col("short") & ~pl.col("cast")).height == 0
    assert frame.get_column("cast").sum() > 300  # the corpus holds many integers


# -- hostile input: patterns, memory, exit ----------------------------------------------


def _pattern_schema(pattern: str) -> dict:
    return {
        "fields": [{"name": "code", "type": "string", "constraints": {"pattern": pattern}}],
    }


def test_a_catastrophic_pattern_runs_in_linear_time(tmp_path):
    import time

    path = write(tmp_path / "motif.csv", ["code"], [["a" * 30 + "!"], ["aaa"]])
    start = time.perf_counter()
    report = validate(path, _pattern_schema("(a+)+$"))
    elapsed = time.perf_counter() - start
    assert [(f.code, f.row) for f in report.errors] == [("constraint-error", 2)]
    assert elapsed < 1.0, elapsed  # Python's re takes over a minute on this cell


@pytest.mark.parametrize("pattern", [r"(a)\1", r"(?=a)a", r"(?<!b)a", r"(?>a+)b"])
def test_a_pattern_the_linear_engine_cannot_run_is_said_and_the_rest_checked(tmp_path, pattern):
    """Such a pattern could make the check take exponential time on a crafted cell: it is
    not checked. The whole schema was refused (exit 2), and schema-friches as
    schema.data.gouv.fr publishes it (three patterns with a back-reference) could not be
    used at all (sweep 16); now a schema warning names the pattern, and the other
    constraints are checked."""
    path = write(tmp_path / "motif.csv", ["code", "n"], [["aa", "x"]])
    schema = _pattern_schema(pattern)
    schema["fields"].append({"name": "n", "type": "integer"})
    report = validate(path, schema)
    assert [(f.code, f.field) for f in report.errors] == [("type-error", "n")]
    (said,) = [f for f in report.warnings if f.code == "schema-warning"]
    assert said.field == "code" and pattern in said.message and "n'est pas contrôlé" in said.message
    on_disk = tmp_path / "schema.json"
    on_disk.write_text(json.dumps(schema), encoding="utf-8")
    result = cli("validate", str(path), "--schema", str(on_disk))
    assert result.returncode == 1 and "temps linéaire" in result.stdout, result.stderr


def test_an_array_items_pattern_the_linear_engine_cannot_run_is_said_too(tmp_path):
    """The same for an array's items (``arrayItem.constraints.pattern``): said, and the
    schema's other checks of the file stay."""
    path = tmp_path / "liste.csv"
    path.write_text('tags,n\n"[""aa""]",x\n', encoding="utf-8")
    item = {"type": "string", "constraints": {"pattern": r"(a)\1"}}
    schema = {"fields": [
        {"name": "tags", "type": "array", "arrayItem": item}, {"name": "n", "type": "integer"},
    ]}  # fmt: skip
    report = validate(path, schema)
    assert [(f.code, f.field) for f in report.errors] == [("type-error", "n")]
    (said,) = [f for f in report.warnings if f.code == "schema-warning"]
    assert said.params["key"] == "arrayItem.constraints.pattern" and said.field == "tags"


def test_python_dollar_before_a_final_newline_is_kept_without_python_re(tmp_path):
    """``$`` matches before a final newline in Python: a quoted cell "abc\\n" passes
    ``^[a-c]+$`` for frictionless, and must pass here with polars alone."""
    path = tmp_path / "nl.csv"
    path.write_text('code\n"abc\n"\n"ab\nc"\nabc\n', encoding="utf-8")
    report = validate(path, _pattern_schema("^[a-c]+$"))
    assert [(f.code, f.value) for f in report.errors] == [("constraint-error", "ab\nc")]


def _peak_rss_mb(args: list[str]) -> tuple[int, float, str]:
    """Run the CLI in a child and measure that child's own peak RSS (os.wait4)."""
    import os
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "moisinno_data", *args],
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        err.seek(0)
        return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024, err.read()


def test_a_file_where_every_row_is_a_duplicate_key_stays_in_bounded_memory(tmp_path):
    """5 MB, every row a repeated primary key: two findings per row, a JSON report of
    ~300 MB written as a stream, under 800 MB of peak memory."""
    path = tmp_path / "doublons.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("id,titre\n")
        line = "fictif-doublon,Atelier fictif\n"
        fh.write(line * (5_000_000 // len(line)))
    schema = tmp_path / "schema.json"
    schema.write_text(
        json.dumps(
            {
                "fields": [
                    {"name": "id", "type": "string", "constraints": {"unique": True}},
                    {"name": "titre", "type": "string"},
                ],
                "primaryKey": ["id"],
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "rapport.json"
    code, peak, stderr = _peak_rss_mb(
        ["validate", str(path), "--schema", str(schema), "--format", "json", "-o", str(out)]
    )
    assert code == 1, stderr
    assert peak < 800, f"{peak:.0f} MB"
    with open(out, encoding="utf-8") as fh:
        report = json.load(fh)
    rows = 5_000_000 // len(line)
    assert report["stats"]["errors"] == 2 * (rows - 1) == len(report["errors"])
    last = report["errors"][-1]
    assert last["row"] == rows + 1 and last["params"] == {"fields": ["id"], "first_row": 2}
    assert "déjà à la ligne 2" in last["message"]


def test_streamed_json_is_the_report_as_a_dict(tmp_path):
    import io

    from moisinno_data.validation.messages import localize

    report = validate(SCHEMAS / "evenements" / "exemple-invalide.csv")
    localize(report, "en")
    out = io.StringIO()
    report.write_json(out)
    assert json.loads(out.getvalue()) == json.loads(json.dumps(report.to_dict()))
    assert report.errors and all(f.message for f in report.errors)


def test_report_keeps_at_most_n_findings_of_each_kind_and_counts_the_rest(tmp_path):
    from moisinno_data.validation.report import Finding, Report

    report = Report(file="fictif.csv", schema={}, keep_per_kind=2)
    for row in range(2, 7):
        report.add(Finding("type-error", row=row, field="date", value="x"))
    report.add(Finding("blank-row", row=9))
    report.add(Finding("column-order", severity="warning"))
    assert [f.row for f in report.errors] == [2, 3, 9]
    assert report.stats == {"rows": 0, "errors": 6, "warnings": 1} and not report.valid
    assert report.to_dict()["omitted"] == [{"severity": "error", "code": "type-error", "count": 3}]


def test_an_empty_table_always_exits_cleanly_beside_a_busy_core(tmp_path):
    """Header only, 60 runs while another process spins: never an abort at exit
    (``terminate called without an active exception``, exit 134)."""
    import subprocess
    import sys

    path = write(tmp_path / "vide.csv", ["id", "edition", "titre"], [])
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        for _ in range(60):
            result = cli("validate", str(path), "--schema", "evenements", "--no-progress")
            assert result.returncode in (0, 1), result.stderr
            assert "terminate called" not in result.stderr
    finally:
        spinner.kill()
        spinner.wait()


def test_validate_can_keep_a_few_findings_of_each_kind(tmp_path):
    header, rows = editions_rows()
    spoiled = [[*row[:1], "deux-mille", *row[2:]] for row in rows]
    path = write(tmp_path / "editions.csv", header, spoiled + spoiled)
    full = validate(path, "editions")
    capped = validate(path, "editions", keep_per_kind=1)
    kinds = {(f.severity, f.code) for f in full.errors}
    assert len(capped.errors) == len(kinds) < len(full.errors)
    assert capped.stats["errors"] == full.stats["errors"]
    assert sum(capped.omitted.values()) == len(full.errors) - len(kinds)


def test_a_report_keeps_at_most_keep_total_findings_and_counts_the_rest(tmp_path):
    """No file, however wrong, can exhaust the memory: past ``keep_total`` findings (2.5
    million by default) the report counts them without keeping them, and says so."""
    from moisinno_data.report import render
    from moisinno_data.validation import KEEP_TOTAL

    header, rows = editions_rows()
    spoiled = [[*row[:1], "deux-mille", *row[2:]] for row in rows]
    path = write(tmp_path / "editions.csv", header, spoiled * 3)
    full = validate(path, "editions")
    assert full.keep_total == KEEP_TOTAL and not full.omitted
    capped = validate(path, "editions", keep_total=5)
    assert len(capped.errors) + len(capped.warnings) == 5
    assert capped.stats == full.stats and not capped.valid
    every = Counter((f.row, f.code, f.field) for f in [*full.errors, *full.warnings])
    kept = Counter((f.row, f.code, f.field) for f in [*capped.errors, *capped.warnings])
    assert not kept - every  # the first ones found, as found
    left = len(full.errors) + len(full.warnings) - 5
    assert sum(capped.omitted.values()) == left
    text = render(capped, "text", lang="fr")
    assert f"{left} constats de plus ont été comptés mais ne sont pas listés" in text
    assert "en garde 5 au plus" in text
    page = render(capped, "html", lang="en")
    assert f"{left} more findings were counted but are not listed" in page
    assert json.loads(render(capped, "json"))["omitted"]


def test_report_memory_grows_by_a_small_fixed_amount_per_finding(tmp_path):
    header, rows = editions_rows()
    spoiled = [[*row[:1], "deux-mille", *row[2:]] for row in rows]
    small = validate(write(tmp_path / "a.csv", header, spoiled), "editions", messages=False)
    big = validate(write(tmp_path / "b.csv", header, spoiled * 200), "editions", messages=False)
    added = len(big.errors) - len(small.errors)
    assert added > 1000
    assert (big.nbytes - small.nbytes) / added < 100  # bytes per finding, whatever the count


def test_the_per_kind_cap_keeps_as_many_when_the_schema_has_notes(tmp_path):
    """A sweep of the web page (which caps each kind at 1,000): IRVE's 1,199 lost
    characters showed 0 kept, 1,199 omitted. The schema's notes are put first by
    rewriting the warnings, and that charged the kept ones to the cap a second time."""
    schema = {"name": "notes-fictives", "fields": [{"name": "nom", "descripton": "x"}]}
    path = tmp_path / "illisibles.csv"
    path.write_text("nom\n" + "".join(f"Lieu\ufffd {i}\n" for i in range(10)), encoding="utf-8")
    report = validate(path, schema=schema, keep_per_kind=6)
    codes = Counter(w.code for w in report.warnings)
    assert codes == {"schema-warning": 1, "replacement-character": 6}
    assert report.omitted == {("warning", "replacement-character"): 4}
    assert report.warning_count == 11


def test_the_time_limit_is_checked_while_odd_values_are_read():
    """The web page's limit was checked between batches only: 150 web addresses of
    340,000 characters, each read by the reference reader in a fraction of a second,
    held a worker 30 s in one batch with a 5 s limit. It is checked as they go now."""
    import dataclasses
    import time

    from moisinno_data.errors import InputError
    from moisinno_data.reading.budget import Budget, limits

    checker = FieldChecker({"name": "url", "type": "string", "format": "uri"}, [""])
    values = ["pas une adresse", "https://exemple.invalid/fictif"]
    assert [v[0] for v in checker._verdicts(values, "envoi.csv")] == [True, False]  # type
    past = dataclasses.replace(Budget(max_seconds=60), deadline=time.monotonic() - 1)
    with limits(past):
        with pytest.raises(InputError, match=r"envoi\.csv : la lecture du fichier dépasse 60 s"):
            checker._verdicts(values, "envoi.csv")
        assert len(checker._verdicts(values, None)) == 2  # a referenced table: no limit


def test_a_schema_without_a_name_is_named_by_its_table(project_copy, tmp_path):
    """Sweep 9: a package's schema without ``name`` (schema.data.gouv.fr's often have
    none) was shown as « Schéma : /…/schema.json v0.2.0 », JSON ``schema.name: null``,
    though its table was known."""
    folder = project_copy / "schemas" / "lieux-fictifs"
    folder.mkdir()
    schema = {"title": "Lieux fictifs", "version": "0.2.0", "fields": [{"name": "id"}]}
    (folder / "schema.json").write_text(json.dumps(schema), encoding="utf-8")
    path = write(tmp_path / "lieux.csv", ["id"], [["L1"]])
    for given in ("lieux-fictifs", folder / "schema.json"):
        assert validate(path, given).schema["name"] == "lieux-fictifs"
    elsewhere = tmp_path / "ailleurs.json"
    elsewhere.write_text(json.dumps(schema), encoding="utf-8")
    assert validate(path, elsewhere).schema["name"] is None  # no table to name it by


QUOTE_SCHEMA = {"fields": [{"name": "annee", "type": "integer"}, {"name": "note"}]}


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        # a quote never closed: the five rows after it were one cell's text, VALIDE
        ('annee,note\n2020,"jamais fermé\n' + "".join(f"{y},note\n" for y in range(2021, 2026)),
         "utf-8", (2, "note", "jamais fermé", 5)),
        # the same in a Windows-1252, ;-separated export, quote in the first column
        ('annee;note\n2020;ok\n"2021;été\n2022;fin\n', "cp1252", (3, "annee", "2021;été", 1)),
        # a last record quoted over two lines and closed: nothing to say
        ('annee,note\n2020,"deux\nlignes"\n', "utf-8", None),
        # a quote doubled inside a quoted cell, closed at the very end without a line end
        ('annee,note\n2020,"dit ""oui""\net fin"', "utf-8", None),
    ],
)  # fmt: skip
def test_a_quote_never_closed_is_said_not_valid_in_silence(tmp_path, text, encoding, expected):
    """Sweep 16: a quote opened in the last row read and never closed makes every reader
    (pyarrow, the csv module, frictionless) take the rest of the file as that cell's
    text: the rows after it vanished, and the file was VALIDE. Now an error says where
    the quote opens and how many lines it swallowed."""
    path = tmp_path / "guillemet.csv"
    path.write_bytes(text.encode(encoding))
    report = validate(path, schema=QUOTE_SCHEMA)
    found = [f for f in report.errors if f.code == "unclosed-quote"]
    if expected is None:
        assert not found and report.valid, [f.code for f in report.errors]
        return
    (finding,) = found
    assert (finding.row, finding.field, finding.value, finding.params["lines"]) == expected
    assert not report.valid and "jamais refermé" in finding.message
