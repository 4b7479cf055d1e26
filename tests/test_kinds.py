"""The registry of finding kinds describes exactly the codes the validator emits.

A code emitted but not registered would reach a report with no title, message or hint; a
code registered but never emitted is dead text. The emitted codes are gathered two ways:
the ``code="…"`` literals in the library's source, and the findings of a real validation
of every example and fixture file plus the small cases below (one per kind that the
examples do not show). A rule that declares a new kind adds a case here.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, FormulaCell, write_workbook, write_xlsx

from moisinno_data.validation import validate
from moisinno_data.validation.kinds import registry
from moisinno_data.validation.report import Finding

TINY_SCHEMA = {
    "name": "fictif",
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True}},
        {"name": "siret", "type": "string"},
        {"name": "region", "type": "string"},
        {"name": "ref", "type": "string"},
    ],
    "primaryKey": ["id"],
    "foreignKeys": [
        {"fields": ["ref"], "reference": {"resource": "table-absente-fictive", "fields": ["id"]}}
    ],
    "custom_checks": [
        {"name": "siret", "params": {"column": "siret"}},
        {"name": "cog-consistency", "params": {"region": "region"}},
        {"name": "controle-inconnu-fictif", "params": {"column": "ref"}},
    ],
}

# validata-core's custom checks, on fields of their own (and a misplaced "required").
VALIDATA_SCHEMA = {
    "name": "fictif-validata",
    "fields": [
        {"name": "siret", "type": "string"},
        {"name": "siren", "type": "string"},
        {"name": "xy", "type": "geopoint"},
        {"name": "a", "type": "integer", "required": True},
        {"name": "b", "type": "integer"},
        {"name": "periode", "type": "string"},
        {"name": "horaires", "type": "string"},
        {"name": "tel", "type": "string"},
    ],
    "custom_checks": [
        {"name": "french-siret-value", "params": {"column": "siret"}},
        {"name": "french-siren-value", "params": {"column": "siren"}},
        {"name": "french-gps-coordinates", "params": {"column": "xy"}},
        {"name": "compare-columns-value", "params": {"column": "a", "op": "<", "column2": "b"}},
        {"name": "cohesive-columns-value", "params": {"column": "a", "othercolumns": ["b"]}},
        {"name": "sum-columns-value", "params": {"column": "a", "columns": ["b"]}},
        {"name": "year-interval-value", "params": {"column": "periode"}},
        {"name": "one-of-required", "params": {"column1": "periode", "column2": "horaires"}},
        {"name": "opening-hours-value", "params": {"column": "horaires"}},
        {"name": "phone-number-value", "params": {"column": "tel"}},
        {"name": "nomenclature-actes-value", "params": {"column": "periode"}},
    ],
}
VALIDATA_HEADER = "siret,siren,xy,a,b,periode,horaires,tel\n"

UNIQUE_KEYS_SCHEMA = {
    "name": "fictif-cles",
    "fields": [{"name": "id"}, {"name": "code"}, {"name": "annee", "type": "integer"}],
    "uniqueKeys": [["code", "annee"]],
}

CLOCK_SCHEMA = {
    "name": "fictif-heures",
    "fields": [{"name": "id"}, {"name": "t", "type": "datetime"}],
}

# (code, header and rows as CSV text, or (schema, text)): each case emits at least its code.
CASES = {
    "blank-row": "id,siret,region,ref\na,,,\n,,,\nb,,,\n",
    "extra-cell": "id,siret,region,ref\na,,,,en-trop\n",
    "blank-label": "id,,siret,region,ref\na,x,,,\n",
    "extra-label": "id,siret,region,ref,remarque libre\na,,,,x\n",
    "no-matching-column": "autre,chose\nx,y\n",
    "duplicate-label": "id,siret,siret,region,ref\na,,,,\n",
    "column-order": "siret,id,region,ref\n,a,,\n",
    "foreign-key-unavailable": "id,siret,region,ref\na,,,x\n",
    "unknown-check": "id,siret,region,ref\na,,,\n",
    "cog-unknown": "id,siret,region,ref\na,,99,\n",
    "siret-format": "id,siret,region,ref\na,1234,,\n",
    "control-character": "id,siret,region,ref\na\x00b,,,\n",
    "replacement-character": "id,siret,region,ref\nA\ufffdrien,,,\n",
    "cell-too-long": "id,siret,region,ref\n" + "x" * 40_000 + ",,,\n",
    "unclosed-quote": 'id,siret,region,ref\na,,,"jamais fermé\nb,,,\n',
    "encoding-error": "id,siret,region,ref\nÉté,,,\n".encode() + "b,Hiver é,,\n".encode("cp1252"),
    "excel-separator-line": "sep=;\nid;siret;region;ref\na;;;\n",
    "required-spaces": "id,siret,region,ref\n  ,,,x\n",
    "spaces-row": "id,siret,region,ref\na,,,\n , , , \n",
    "padded-year": (
        {"name": "fictif-annees", "fields": [{"name": "id"}, {"name": "annee", "type": "year"}]},
        "id,annee\na, 12 \n",
    ),
    "scientific-notation": 'id,siret,region,ref\na,"5,00175E+13",,\n',
    "unusual-digits": (
        {"name": "fictif-nombres", "fields": [{"name": "id"}, {"name": "n", "type": "integer"}]},
        "id,n\na,1_000\n",
    ),
    "end-of-day": (CLOCK_SCHEMA, "id,t\na,2022-10-18T24:00:00\n"),
    "partial-date": (
        {
            "name": "fictif-jours",
            "fields": [{"name": "id"}, {"name": "d", "type": "date", "format": "any"}],
        },
        "id,d\na,2020-11\n",
    ),
    "nonexistent-time": (CLOCK_SCHEMA, "id,t\na,2023-03-26T02:30:00\n"),
    "ambiguous-time": (CLOCK_SCHEMA, "id,t\na,2023-10-29T02:30:00\n"),
    "unique-key": (UNIQUE_KEYS_SCHEMA, "id,code,annee\na,99001,2020\nb,99001,2020\n"),
    **{
        code: (VALIDATA_SCHEMA, VALIDATA_HEADER + row)
        for code, row in {
            "french-siret-value": "12345678900000,,,,,,,\n",
            "french-siren-value": ",123456780,,,,,,\n",
            "french-gps-coordinates": ',,"-74.0, 40.7",,,,,\n',
            "reversed-french-gps-coordinates": ',,"48.85, 2.35",,,,,\n',
            "compare-columns-value": ",,,5,2,,,\n",
            "cohesive-columns-value": ",,,5,,,,\n",
            "sum-columns-value": ",,,5,2,,,\n",
            "year-interval-value": ",,,,,2020/2019,,\n",
            "one-of-required": ",,,,,,,0102030405\n",
            "opening-hours-value": ",,,,,,lundi 8h,\n",
            "phone-number-value": ",,,,,,,12\n",
            "nomenclature-actes-value": ",,,,,Culture/Musées,,\n",
            "schema-warning": ",,,,,,,\n",
        }.items()
    },
}


# Cases that need a spreadsheet: code → rows written to an XLSX file (numbers as numbers).
SHEET_CASES = {
    "number-in-text": [["id", "siret", "region", "ref"], ["a", "", "", 476544254]],
    "date-in-text": [["id", "siret", "region", "ref"], ["a", "", "", datetime.date(2024, 3, 15)]],
    "boolean-in-text": [["id", "siret", "region", "ref"], ["a", "", "", True]],
    "formula-error": [
        ["id", "siret", "region", "ref"],
        ["a", "", "", FormulaCell("=1/0", "#DIV/0!")],
    ],
}


PERCENT_SCHEMA = {"name": "fictif", "fields": [{"name": "id"}, {"name": "taux", "type": "number"}]}


def _percent_workbook(path: Path, *, merged: bool = False) -> Path:
    """A number cell shown as a percentage (0.5 as 50 %), under a number field; its
    ``merged`` id over two rows."""
    import xlsxwriter

    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, ["id", "taux"])
        sheet.write_string(1, 0, "a")
        sheet.write_number(1, 1, 0.5, book.add_format({"num_format": "0%"}))
        if merged:
            sheet.merge_range(1, 0, 2, 0, "a")
    return path


def _codes_of(path: Path, schema) -> set[str]:
    report = validate(path, schema=schema)
    return {f.code for f in report.errors + report.warnings}


def _fixture_files() -> list[tuple[Path, str | None]]:
    files: list[tuple[Path, str | None]] = []
    for path in sorted((ROOT / "schemas").glob("*/exemple-*.csv")):
        files.append((path, path.parent.name))
    for path in sorted((ROOT / "datasets").glob("*.csv")):
        files.append((path, path.stem))
    for path in sorted((ROOT / "examples" / "contributions").iterdir()):
        if path.suffix in (".csv", ".xlsx", ".ods"):
            files.append((path, None))
    return files


@pytest.fixture(scope="module")
def emitted(tmp_path_factory) -> dict[str, str]:
    """Code → one place that emitted it (a fixture file or a case)."""
    found: dict[str, str] = {}
    for path, schema in _fixture_files():
        for code in _codes_of(path, schema):
            found.setdefault(code, path.name)
    tmp = tmp_path_factory.mktemp("kinds")
    for code, case in CASES.items():
        schema, text = case if isinstance(case, tuple) else (TINY_SCHEMA, case)
        path = tmp / f"{code}.csv"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        codes = _codes_of(path, schema)
        assert code in codes, f"the case for {code} emits {sorted(codes)}"
        for other in codes:
            found.setdefault(other, f"case {code}")
    sheets = {"2023": [["id", "siret", "region", "ref"], ["a"]], "2024": [["id"], ["b"]]}
    write_workbook(tmp / "unread-sheets.xlsx", sheets)  # two sheets of the table
    for code, rows in SHEET_CASES.items():
        path = write_xlsx(tmp / f"{code}.xlsx", rows)
        codes = _codes_of(path, TINY_SCHEMA)
        assert code in codes, f"the sheet case for {code} emits {sorted(codes)}"
        for other in codes:
            found.setdefault(other, f"case {code}")
    codes = _codes_of(_percent_workbook(tmp / "percent-cell.xlsx"), PERCENT_SCHEMA)
    assert "percent-cell" in codes, f"the percent case emits {sorted(codes)}"
    found.setdefault("percent-cell", "case percent-cell")
    codes = _codes_of(_percent_workbook(tmp / "merged-cells.xlsx", merged=True), PERCENT_SCHEMA)
    assert "merged-cells" in codes, f"the merged case emits {sorted(codes)}"
    found.setdefault("merged-cells", "case merged-cells")
    codes = _codes_of(tmp / "unread-sheets.xlsx", TINY_SCHEMA)
    assert "unread-sheets" in codes, f"the workbook case emits {sorted(codes)}"
    found.setdefault("unread-sheets", "case unread-sheets")
    hidden = write_xlsx(tmp / "hidden-cells.xlsx", [["id"], ["a"], ["b"]])
    codes = _codes_of(_with_row_hidden(hidden, 3), TINY_SCHEMA)
    assert "hidden-cells" in codes, f"the hidden row case emits {sorted(codes)}"
    found.setdefault("hidden-cells", "case hidden-cells")
    return found


def _with_row_hidden(path: Path, row: int) -> Path:
    """The workbook at ``path`` with sheet row ``row`` hidden (openpyxl)."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    book.active.row_dimensions[row].hidden = True
    book.save(path)
    return path


def _source_codes() -> set[str]:
    literal = re.compile(r"""\bcode=["']([a-z][a-z0-9-]*)["']""")
    codes = set()
    for path in (ROOT / "moisinno_data").rglob("*.py"):
        codes |= set(literal.findall(path.read_text(encoding="utf-8")))
    return codes


def test_every_emitted_code_is_registered(emitted):
    unknown = (set(emitted) | _source_codes()) - set(registry())
    assert not unknown, f"codes emitted without a registry entry: {sorted(unknown)}"


def test_every_registered_code_is_emitted(emitted):
    never = set(registry()) - set(emitted)
    assert not never, f"registered but emitted by no fixture or case: {sorted(never)}"


def test_every_kind_speaks_french_and_english():
    for code, kind in registry().items():
        assert kind.code == code
        assert kind.severity in ("error", "warning", "error|warning"), code
        fr, en = kind.title
        assert fr.strip() and en.strip() and fr != en, code
        finding = Finding(code, row=2, field="champ", column=1, value="valeur")
        for lang in ("fr", "en"):
            assert kind.render_message(finding, lang).strip(), (code, lang)
            assert kind.render_hint(finding, lang).strip(), (code, lang)
        assert kind.render_message(finding, "fr") != kind.render_message(finding, "en"), code
        assert kind.render_hint(finding, "fr") != kind.render_hint(finding, "en"), code
        assert kind.emitter, code


def test_the_json_documentation_lists_every_kind():
    doc = (ROOT / "docs" / "rapport-json.md").read_text(encoding="utf-8")
    missing = [code for code in registry() if f"`{code}`" not in doc]
    assert not missing, missing


def test_the_json_documentation_states_the_format_version_written():
    """A reader checks ``format_version``: the page that documents the keys must say the
    version the reports carry, and its history must list it."""
    from moisinno_data.validation.report import REPORT_FORMAT_VERSION

    doc = (ROOT / "docs" / "rapport-json.md").read_text(encoding="utf-8")
    stated = re.findall(r'"format_version": "([0-9.]+)"', doc)
    assert stated and set(stated) == {REPORT_FORMAT_VERSION}, stated
    history = doc.split("## Versions du format", 1)[1]
    assert f"- **{REPORT_FORMAT_VERSION}** (" in history


def test_the_renderers_read_the_registry():
    from moisinno_data.report.labels import kind
    from moisinno_data.web.texts import kind_title

    for code, k in registry().items():
        assert kind(code, "fr") == k.title[0] == kind_title(code, "fr")
        assert kind(code, "en") == k.title[1] == kind_title(code, "en")
    assert json.dumps(kind("code-inconnu", "fr")) == '"code-inconnu"'
