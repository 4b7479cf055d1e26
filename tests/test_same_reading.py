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
from csv import reader as csv_rows
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


# --- the corpus: real files and the shapes strangers send ------------------------------------

FIXTURES = Path(__file__).parent / "fixtures"
STATIONNEMENT = FIXTURES / "schema-stationnement"
"""etalab/schema-stationnement, Licence Ouverte (see its SOURCE.md): a real schema and its
published examples, valid and invalid."""
LAB_HEADER = [f["name"] for f in load_schema("laboratoires")["fields"]]
LAB_ROWS = [
    ["lab-fictif-un", "Lab fictif un", "84", "69", "Lyon", "Préfecture fictive", "etat",
     "2090-05", "", "actif", "Ligne inventée.", "https://exemple.gouv.fr"],
    ["lab-fictif-deux", "Lab fictif deux", "11", "75", "Paris", "Mairie fictive",
     "collectivite", "2091", "", "", "Ligne inventée, avec virgule.", "https://exemple.fr"],
]  # fmt: skip


def _lines(rows: list[list[str]], sep: str = ";") -> list[str]:
    def cell(c: str) -> str:
        return '"' + c.replace('"', '""') + '"' if {sep, "\n", '"'} & set(c) else c

    return [sep.join(cell(c) for c in row) for row in rows]


def _shapes(header: list[str], rows: list[list[str]]) -> dict[str, tuple[list[str], str, str]]:
    """The shapes of one table as office software and people send it: lines, encoding,
    newline."""
    h, r = header, rows
    return {
        "windows-1252-crlf-capitals": (_lines([[c.upper() for c in h], *r]), "cp1252", "\r\n"),
        "bom-tab": (_lines([h, *r], "\t"), "utf-8-sig", "\n"),
        "title-and-blank-row-above": (["Export fictif du tableau", "", *_lines([h, *r])], "utf-8", "\n"),
        "blank-lines-between": (_lines([h, r[0], [], *r[1:], []]), "utf-8", "\n"),
        "notes-under-the-table": (_lines([h, *r, [], ["Source : export fictif"]]), "utf-8", "\n"),
        "second-table-right": (
            _lines([[*h, "", "bilan", "valeur"], r[0] + ["", "nombre", "2"], *r[1:]]), "utf-8", "\n"
        ),
        "separator-ending-every-line": (_lines([[*h, ""], *([*x, ""] for x in r)]), "utf-8", "\n"),
        "separator-ending-the-header": (_lines([[*h, ""], *r]), "utf-8", "\n"),
        "empty-column-in-the-middle": (
            _lines([[*h[:2], "", *h[2:]], *([*x[:2], "", *x[2:]] for x in r)]), "utf-8", "\n"
        ),
        "padded-cells": (_lines([h, [f" {c} " if c else c for c in r[0]], *r[1:]]), "utf-8", "\n"),
    }  # fmt: skip


def _workbooks(folder: Path, header: list[str], rows: list[list[str]]) -> list[Path]:
    """The same in workbooks: a title merged across the header's width above it, and a
    second table right of the first."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    made = []
    for name, above, right in [("titre-fusionne", True, False), ("second-tableau", False, True)]:
        book = openpyxl.Workbook()
        sheet = book.active
        if above:
            sheet.append(["Export fictif du tableau"])
            sheet.merge_cells(f"A1:{get_column_letter(len(header))}1")
        sheet.append(header + (["", "bilan", "valeur"] if right else []))
        for row in rows:
            sheet.append(row + (["", "nombre", "2"] if right and row is rows[0] else []))
        book.save(folder / f"{name}.xlsx")
        made.append(folder / f"{name}.xlsx")
    return made


def corpus(folder: Path, header: list[str], rows: list[list[str]]) -> list[Path]:
    folder.mkdir(exist_ok=True)
    made = []
    for name, (lines, encoding, newline) in _shapes(header, rows).items():
        path = folder / f"{name}.csv"
        path.write_bytes((newline.join(lines) + newline).encode(encoding))
        made.append(path)
    return made + _workbooks(folder, header, rows)


def _engine_cells(path: Path, width: int) -> dict[int, list[str]]:
    """Each data row as validate's engine reads it (columnar batches), under the header."""
    from moisinno_data import reading

    detected = reading.detect(path)
    header, lines = reading.read_header(path, detected)
    out: dict[int, list[str]] = {}
    for batch in reading.iter_batches(path, detected, len(header), header_lines=lines):
        columns = [batch.frame.get_column(f"c{i}").to_list() for i in range(len(header))]
        for k, row in enumerate(batch.rows.tolist()):
            out[row] = [c[k] or "" for c in columns][:width]
    return out


def _rows_cells(path: Path, width: int, header_row: int = 1) -> dict[int, list[str]]:
    """Each data row as fix and consolidate read it (:func:`.reading.read_rows`)."""
    from moisinno_data.reading import read_rows

    table = read_rows(path, header_row=header_row, padded=False)
    return {n: (list(c) + [""] * width)[:width] for n, c in table.rows}


def _letters(columns: list[int]) -> set[str]:
    from moisinno_data.reading.xlsx import column_letter

    return {column_letter(c) for c in columns}


REFUSED = {"required-spaces", "padded-year", "nonexistent-time", "ambiguous-time"}
"""The warnings that say consolidate refuses the row (formula-injection says the cell is
not published)."""


def _web_says(path: Path, table: str, scratch: Path) -> dict:
    """The page's API on ``path`` (its report, as ``validate --format json`` prints it);
    uploads go to ``scratch``."""
    from starlette.testclient import TestClient

    from moisinno_data.web.app import create_app
    from moisinno_data.web.settings import MIB

    scratch.mkdir(exist_ok=True)
    app = create_app(max_upload_bytes=MIB, tmp_root=scratch)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        files = {"file": (path.name, path.read_bytes(), "application/octet-stream")}
        answer = client.post("/api/validate", files=files, data={"schema": table})
    assert answer.status_code == 200, answer.text
    return answer.json()


def assert_same_reading(path: Path, table: str, out: Path) -> None:
    """validate, the page, fix and consolidate say the same of ``path``: its header row,
    the columns read as fields, those ignored, its data rows and each cell's value."""
    report = validate(path, table)
    page = _web_says(path, table, out.parent / "page")
    said = report.to_dict()
    for key in ("valid", "stats"):
        assert page[key] == said[key]
    assert page["detected"] == {**said["detected"], "sheet": page["detected"]["sheet"]}
    schema = load_schema(table)
    fixed = fix_file(path, schema, out)
    merged_rows = consolidate([path], table=table, dry_run=True, received="2026-12-01")
    merged = merged_rows.files[0]
    assert not merged.file_errors, merged.file_errors
    errors = report.errors
    # the header's row: validate names it (no-matching-column), fix and consolidate read
    # from it, the rows above listed as removed
    named = [f.params.get("header_row") for f in errors if f.code == "no-matching-column"]
    header_row = (named or [1])[0] or 1
    assert fixed.header_row == header_row
    above = [c.row for c in merged.fixes if c.rule == "ligne-titre"]
    assert above == [c.row for c in fixed.changes if c.rule == "ligne-titre"]
    assert above == list(range(1, header_row))
    width = len(fixed.header) + sum(1 for c in fixed.changes if c.rule == "colonne-vide")
    # each cell's value, every row, as both readers read it
    engine = _engine_cells(path, width) if header_row == 1 else None
    rows = _rows_cells(path, width, header_row)
    if engine is not None:
        assert engine == rows
    blank = sum(1 for cells in rows.values() if not "".join(cells).strip())
    # the data rows: all but blank ones
    assert fixed.row_count == merged.rows_in == len(rows) - blank
    if header_row == 1:  # a row of spaces is data for validate, which says fix removes it
        left_out = sum(f.code in ("blank-row", "spaces-row") for f in report.findings)
        assert report.stats["rows"] - left_out == fixed.row_count
        spaces = [f.row for f in report.warnings if f.code == "spaces-row"]
        removed = [c for c in fixed.changes if c.rule == "ligne-vide"]
        assert spaces == [c.row for c in removed if "validate" in c.message]
    if header_row != 1:
        return  # validate reads row 1 as the header and says where the real one is
    # a row consolidate rejects is one validate flags (an error, or a warning that says
    # consolidate refuses it)
    flagged = {f.row for f in errors} | {f.row for f in report.warnings if f.code in REFUSED}
    rejected = [r.row for r in merged_rows.rows if r.status == "rejected"]
    assert not [row for row in rejected if row not in flagged], merged_rows.rows
    # the columns: those not read as fields, by label; those without a name, by letter
    unchecked = list(report.detected.get("unchecked_columns") or {})
    copies = {fixed.header[i] for i in fixed.copies}  # read once: duplicate-label says so
    assert [c for c in fixed.unknown_columns if c.strip() and c not in copies] == unchecked
    ignored = [str(c) for c in merged.ignored_columns if not str(c).startswith("(")]
    assert [c for c in ignored if "(colonne" not in c] == unchecked
    blank_labels = _letters([f.column for f in errors if f.code == "blank-label"])
    dropped = [c for c in fixed.changes if c.rule == "colonne-vide"]
    kept_blank = [i + 1 for i, c in enumerate(fixed.header) if not c.strip()]
    assert blank_labels == _letters([c.column for c in dropped]) | _letters(kept_blank)
    said = " ".join(str(c) for c in merged.ignored_columns if str(c).startswith("("))
    assert all(f"colonne {letter}" in said for letter in blank_labels)
    # a column validate flags and fix drops: each command says the other's reading
    assert all("moisinno fix" in f.hint for f in errors if f.code == "blank-label")
    for change in dropped:
        assert "blank-label" in change.message and "blank-label" in change.message_in("en")
    # the fields read: the same columns in both
    fields = {n for n in schema.get("fields", []) for n in [n["name"]]}
    from moisinno_data import reading

    header = reading.read_header(path, reading.detect(path))[0]
    read = {label for label in header if label in fields}
    read |= set(report.detected.get("header_mapping", {}).values())
    assert read == set(fixed.positions)


@pytest.mark.parametrize(
    "name",
    [*_shapes(LAB_HEADER, LAB_ROWS), "titre-fusionne.xlsx", "second-tableau.xlsx"],
)
def test_every_command_reads_a_messy_laboratoires_file_the_same_way(project_copy, tmp_path, name):
    made = {
        p.stem if p.suffix == ".csv" else p.name: p
        for p in corpus(tmp_path / "c", LAB_HEADER, LAB_ROWS)
    }
    assert_same_reading(made[name], "laboratoires", tmp_path / "corrige.csv")


def _text(rows: list[list[str]], sep: str = ";", before: str = "", end: str = "\n") -> str:
    return before + end.join(_lines(rows, sep)) + end


H, R = LAB_HEADER, LAB_ROWS
MORE: dict[str, bytes] = {
    "row-of-spaces.csv": _text([H, R[0], ["  "] * 12, R[1]]).encode(),
    "row-of-a-no-break-space.csv": _text([H, R[0], ["\u00a0"] + [""] * 11, R[1]]).encode(),
    "excel-sep-line.csv": _text([H, *R], before="sep=;\n").encode(),
    "excel-sep-line-and-title.csv": _text([H, *R], before="sep=;\nTitre fictif\n").encode(),
    "utf-16-tab.csv": _text([H, *R], "\t").encode("utf-16"),
    "mac-roman.csv": _text([H, *R]).encode("mac_roman"),
    "cr-only.csv": _text([H, *R], end="\r").encode(),
    "extra-cell.csv": _text([H, [*R[0], "en trop"], R[1]]).encode(),
    "short-row.csv": _text([H, R[0][:5], R[1]]).encode(),
    "copy-of-a-column.csv": _text([[*H, "Nom"], [*R[0], R[0][1]], [*R[1], R[1][1]]]).encode(),
    "labels-in-spaces.csv": _text([[f" {h} " for h in H], *R]).encode(),
    "nul-in-a-cell.csv": _text([H, R[0], [*R[1][:10], "note\x00fictive", R[1][11]]]).encode(),
    "separator-in-quotes.csv": _text([H, [*R[0][:10], "a;b fictif", R[0][11]], R[1]]).encode(),
    "excel-rows-without-their-last-separators.csv": _text(
        [[*H, "remarque"], [*R[0], "note fictive"], R[1]]
    ).encode(),
    "blank-lines-at-the-end.csv": (_text([H, *R]) + ";" * 11 + "\n\n").encode(),
    "title-then-separators.csv": _text(
        [[*H, ""], *([*r, ""] for r in R)], before="Titre fictif;;;\n"
    ).encode(),
}
"""More shapes: rows of spaces, Excel's ``sep=`` line, other encodings and line ends,
ragged rows (Excel leaves out the separators of a row's empty last cells), a column twice, control characters, quoted separators."""
BOOKS: dict[str, tuple[list[list], list[str]]] = {
    "merged-header.xlsx": ([H, *R], ["A1:B1"]),
    "row-of-spaces.xlsx": ([H, R[0], ["  ", *[None] * 11], R[1]], []),
    "total-under.xlsx": ([H, *R, [], ["Total", 2]], []),
    "value-far-right.xlsx": ([H, [*R[0], None, None, "note fictive"], R[1]], []),
    "merged-title-and-blank-row.xlsx": ([["Titre fictif"], [], H, *R], ["A1:L2"]),
    "merged-data-cells.xlsx": ([H, *R], ["E2:E3"]),
}
"""Workbooks: merged cells in the header, the title, the data; values past the header."""


def _book(path: Path, rows: list[list], merges: list[str]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for span in merges:
        sheet.merge_cells(span)
    book.save(path)
    return path


@pytest.mark.parametrize("name", [*MORE, *BOOKS])
def test_every_command_reads_more_shapes_the_same_way(project_copy, tmp_path, name):
    path = tmp_path / name
    if name in BOOKS:
        _book(path, *BOOKS[name])
    else:
        path.write_bytes(MORE[name])
    assert_same_reading(path, "laboratoires", tmp_path / "corrige.csv")


REAL = sorted(
    [*(Path(__file__).parent.parent / "schemas").glob("*/exemple-*.csv"),
     *(Path(__file__).parent.parent / "examples" / "contributions").glob("0*")]
)  # fmt: skip


@pytest.mark.parametrize("path", REAL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_command_reads_our_examples_the_same_way(project_copy, tmp_path, path):
    table = path.parent.name if path.parent.name != "contributions" else None
    table = table or validate(path).schema["name"]
    assert_same_reading(path, table, tmp_path / "corrige.csv")


@pytest.fixture
def stationnement(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A package for etalab's schema-stationnement (``moisinno init``), its table's name."""
    made = init_package(tmp_path / "paquet", [str(STATIONNEMENT / "schema.json")])
    monkeypatch.setenv("MOISINNO_ROOT", str(made.root))
    monkeypatch.setenv("MOISINNO_STORE", str(tmp_path / "versions"))
    return made.tables[0]


def _published(name: str) -> tuple[list[str], list[list[str]]]:
    import csv

    with open(STATIONNEMENT / name, encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    return header, rows


@pytest.mark.parametrize("example", ["exemple-valide.csv", "exemple-invalide.csv"])
def test_every_command_reads_etalab_stationnement_examples_the_same_way(
    stationnement, tmp_path, example
):
    header, rows = _published(example)
    assert_same_reading(STATIONNEMENT / example, stationnement, tmp_path / "corrige.csv")
    for path in corpus(tmp_path / "c", header, rows):
        assert_same_reading(path, stationnement, tmp_path / f"{path.stem}-corrige.csv")


def test_a_row_of_spaces_is_data_for_validate_which_says_fix_removes_it(project_copy, tmp_path):
    """Known disagreement: a row of nothing but spaces was a data row for validate (3 rows,
    its required cells « la ligne serait refusée »), a blank row fix removed (« ligne vide
    … aucune valeur ») and consolidate did not count received (2 rows). validate keeps
    frictionless's reading — the row's cells are checked — but says once that fix removes
    the row and consolidate ignores it (``spaces-row``), instead of promising a refusal;
    fix's change says validate reads it as data."""
    path = tmp_path / "espaces.csv"
    path.write_bytes(MORE["row-of-spaces.csv"])
    report = validate(path, "laboratoires")
    assert report.rows == 3
    (row,) = [f for f in report.warnings if f.code == "spaces-row"]
    assert row.row == 3 and "retire" in row.message and "ignore" in row.message
    assert not [f for f in report.warnings if f.code == "required-spaces"]
    english = [f for f in validate(path, "laboratoires", lang="en").warnings]
    assert "removes it" in english[0].message
    fixed = fix_file(path, load_schema("laboratoires"), tmp_path / "corrige.csv")
    (removed,) = [c for c in fixed.changes if c.rule == "ligne-vide"]
    assert removed.row == 3 and "validate" in removed.message and "validate" in removed.en
    assert fixed.row_count == 2
    merged = consolidate([path], dry_run=True, received="2026-12-01").files[0]
    assert (merged.rows_in, merged.blank_rows) == (2, 1)


IRVE = FIXTURES / "irve-statique-exemple-invalide.csv"
"""An excerpt of etalab/schema-irve's ``statique/exemple-invalide-statique.csv`` (Licence
Ouverte 2.0; see tests/test_reading_bytes.py): accents, quoted JSON arrays."""


def test_every_command_reads_etalab_irve_example_the_same_way(tmp_path, monkeypatch):
    import csv

    with open(IRVE, encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    schema = tmp_path / "schema.json"
    fields = [{"name": h, "type": "string"} for h in header]
    schema.write_text(json.dumps({"name": "irve-fictif", "fields": fields}), encoding="utf-8")
    made = init_package(tmp_path / "paquet", [str(schema)])
    monkeypatch.setenv("MOISINNO_ROOT", str(made.root))
    monkeypatch.setenv("MOISINNO_STORE", str(tmp_path / "versions"))
    assert_same_reading(IRVE, made.tables[0], tmp_path / "corrige.csv")
    for path in corpus(tmp_path / "c", header, rows):
        assert_same_reading(path, made.tables[0], tmp_path / f"{path.stem}-corrige.csv")


def test_a_second_table_right_of_the_first_rows_does_not_change_the_separator(tmp_path):
    """Every command read IRVE's example with a second table right of its first row as a
    ``,`` file of one column (« aucune colonne du fichier n'est un champ »): split by
    ``;``, one row was as wide as the header and two were narrower, while the commas of
    the addresses split the three rows alike. The rows as wide as the header count now."""
    from moisinno_data import reading

    with open(IRVE, encoding="utf-8", newline="") as fh:
        header, *rows = list(csv_rows(fh))
    path = tmp_path / "second-tableau.csv"
    lines = [[*header, "", "bilan", "valeur"], [*rows[0], "", "nombre", "2"], *rows[1:]]
    path.write_text("\n".join(_lines(lines)) + "\n", encoding="utf-8")
    assert reading.detect(path)["delimiter"] == ";"
    assert len(reading.read_rows(path).header) == len(header) + 3
