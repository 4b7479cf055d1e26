"""What validate says of a workbook, fix and consolidate say too (sweep 11): its other
sheets holding the table (one sheet a year), which every command reads one of and names
the others rather than lose their rows in silence; and, for consolidate, validate's
warnings on the rows it accepts (a number in a text column)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, write_workbook

from moisinno_data.package.schemas import load_schema
from moisinno_data.publishing.consolidate import consolidate, describe
from moisinno_data.publishing.fix import describe as describe_fix
from moisinno_data.publishing.fix import fix_file
from moisinno_data.reading.budget import MERGES_KEPT
from moisinno_data.validation import validate
from moisinno_data.validation.other_sheets import SHEETS_LOOKED

HEADER = ["id", "nom", "region", "sources"]
FIXTURES = Path(__file__).parent / "fixtures"


def lab(n: int) -> list:
    return [f"lab-fictif-{n}", f"Lab fictif {n}", "53", f"https://exemple.fr/{n}"]


def by_year(path):
    """Sheet "2023" (1 row), sheet "notes" (no table), sheet "2024" (2 rows)."""
    return write_workbook(
        path,
        {
            "2023": [HEADER, lab(1)],
            "notes": [["Envoi fictif"], ["voir l'onglet 2024"]],
            "2024": [["Laboratoires fictifs 2024"], [], HEADER, lab(2), lab(3)],  # under a title
        },
    )


def test_validate_names_the_other_sheets_with_the_table(tmp_path, project_copy):
    report = validate(by_year(tmp_path / "annees.xlsx"), schema="laboratoires")
    unread = [f for f in report.warnings if f.code == "unread-sheets"]
    assert len(unread) == 1 and unread[0].params["sheets"] == ["2024"]  # not "notes"
    assert "1 autre(s) feuille(s) non lue(s) : « 2024 »" in unread[0].message
    assert "--sheet" in unread[0].hint
    asked = validate(tmp_path / "annees.xlsx", schema="laboratoires", sheet="2023")
    assert not [f for f in asked.warnings if f.code == "unread-sheets"]  # chosen knowingly


def test_fix_says_the_fixed_file_lacks_their_rows(tmp_path, project_copy):
    result = fix_file(by_year(tmp_path / "annees.xlsx"), load_schema("laboratoires"))
    assert result.unread_sheets.sheets == ["2024"]
    assert result.to_dict()["unread_sheets"]["sheets"] == ["2024"]
    text = describe_fix(result, "annees.xlsx", None, lang="en")
    assert "1 other sheet(s) not read: “2024”" in text
    again = fix_file(tmp_path / "annees.xlsx", load_schema("laboratoires"), sheet="2024")
    assert not again.unread_sheets and again.to_dict()["unread_sheets"] is None


def test_consolidate_does_not_claim_every_row_read(tmp_path, project_copy):
    path = by_year(tmp_path / "annees.xlsx")
    result = consolidate([path], dry_run=True)
    assert result.rows_in == 1
    assert result.files[0].unread_sheets.sheets == ["2024"]
    text = describe(result)
    assert "1 autre(s) feuille(s) non lue(s) : « 2024 »" in text
    assert "sans les autres feuilles non lues de 1 classeur(s)" in text.splitlines()[-1]
    assert "other sheets not read" in describe(result, lang="en").splitlines()[-1]
    assert result.to_dict()["files"][0]["unread_sheets"]["sheets"] == ["2024"]
    cli = run_cli("consolidate", "--dry-run", "--json", str(path), cwd=project_copy)
    assert cli.returncode == 1, cli.stderr  # rows sent were not read: not a clean run
    assert json.loads(cli.stdout)["files"][0]["unread_sheets"]["sheets"] == ["2024"]
    asked = run_cli("consolidate", "--dry-run", "--sheet", "2024", str(path), cwd=project_copy)
    assert asked.returncode == 0 and "non lue" not in asked.stdout, asked.stdout


def test_a_workbook_of_many_sheets_is_looked_at_within_a_cap(tmp_path, project_copy):
    sheets = {"1": [HEADER, lab(1)], **{f"vide {n}": [["x"]] for n in range(40)}}
    report = validate(write_workbook(tmp_path / "onglets.xlsx", sheets), schema="laboratoires")
    (unread,) = [f for f in report.warnings if f.code == "unread-sheets"]
    assert unread.params["sheets"] == [] and unread.params["unlooked"] == 40 - SHEETS_LOOKED
    assert f"{40 - SHEETS_LOOKED} autre(s) feuille(s) non examinée(s)" in unread.message


def test_a_csv_or_a_one_sheet_workbook_says_nothing(project_copy):
    contribution = ROOT / "examples" / "contributions" / "02-laboratoires-fictifs.xlsx"
    report = validate(contribution)
    assert not [f for f in report.warnings if f.code == "unread-sheets"]


def test_consolidate_says_validate_warnings_on_the_rows_it_accepts(tmp_path, project_copy):
    """A number in a text column (a phone number, its leading zero lost): validate warns of
    it (number-in-text); consolidate, which validates the canonical form where it is text,
    published it saying only « 1 correction(s) de forme » (sweep 11)."""
    rows = [
        ["id", "nom", "region", "note", "sources"],
        [*lab(1)[:3], 476544254, lab(1)[3]],
        [lab(2)[0], lab(2)[1], "99", 35000, lab(2)[3]],  # rejected (region): not said again
    ]
    path = write_workbook(tmp_path / "nombres.xlsx", {"Feuil1": rows})
    result = consolidate([path], dry_run=True)
    assert result.totals["added"] == 1 and result.totals["rejected"] == 1
    (file,) = result.files
    assert file.warnings == {"number-in-text": 1}
    assert len(file.warnings_listed) == 1 and "476544254" in file.warnings_listed[0]
    text = describe(result)
    assert "1 avertissement(s) de validate sur les lignes acceptées : number-in-text ×1" in text
    assert "ligne 2 : " in text and "35000" not in text
    assert "line 2: " in describe(result, lang="en")
    cli = run_cli("consolidate", "--dry-run", "--json", str(path), cwd=project_copy)
    assert json.loads(cli.stdout)["files"][0]["warnings"] == {"number-in-text": 1}, cli.stderr


def test_the_other_sheets_share_one_parse_of_the_shared_strings(tmp_path, monkeypatch):
    """Each sheet looked at parsed the workbook's shared strings again (a second for
    500,000 strings, times 10 sheets); within the look at the other sheets, once, and
    nothing is kept after it."""
    from moisinno_data.reading import archive, xlsx
    from moisinno_data.validation.other_sheets import unread_sheets

    parses = []
    real = xlsx._shared_strings
    monkeypatch.setattr(xlsx, "_shared_strings", lambda *args: parses.append(1) or real(*args))
    path = write_workbook(
        tmp_path / "annees.xlsx", {str(y): [HEADER, lab(y)] for y in range(2020, 2025)}
    )
    detected = {"format": "xlsx", "sheet": "2020"}
    found = unread_sheets(path, detected, "laboratoires", load_schema("laboratoires"))
    assert found.sheets == ["2021", "2022", "2023", "2024"]
    assert len(parses) == 1
    assert archive._KEPT.get() is None  # the block is over: nothing held


def test_merged_cells_are_named_where_a_value_reads_empty(tmp_path, monkeypatch):
    """Sweep 15: a place's name typed once over two merged rows (B2:B3) is in B2 alone;
    validate said of row 3 « obligatoire, mais la cellule est vide » where the person sees
    the name, and nothing else. The merged range is now named, at its first cell (the
    finding stays: the file has no value there), its hint to unmerge and copy."""
    import openpyxl

    from moisinno_data.reading import xlsx

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["id", "nom"], ["lieu-fictif-1", "Aire fictive"], ["lieu-fictif-2", None]):
        sheet.append(row)
    sheet.merge_cells("B2:B3")
    path = tmp_path / "fusion-fictive.xlsx"
    book.save(path)
    schema = {"name": "fictif", "fields": [
        {"name": "id"}, {"name": "nom", "constraints": {"required": True}},
    ]}  # fmt: skip
    report = validate(path, schema=schema)
    assert [(f.code, f.row, f.field) for f in report.errors] == [("constraint-error", 3, "nom")]
    (merged,) = [f for f in report.warnings if f.code == "merged-cells"]
    assert (merged.row, merged.column, merged.value) == (2, 2, "B2:B3")
    assert "seule la première (B2) porte la valeur" in merged.message
    assert "défusionnez" in merged.hint.lower()
    # a tag cut between two chunks of the sheet's bytes is found all the same
    many = "".join(f'<mergeCell ref="A{r}:B{r}"/>' for r in range(2, 500)).encode()
    parts = [b"<worksheet><sheetData/><mergeCells>", many[:1234], many[1234:], b"</mergeCells>"]
    monkeypatch.setattr(xlsx, "chunks", lambda *_args: iter(parts))
    found = xlsx.merged_ranges(None, "xl/worksheets/sheet1.xml", None, path)  # type: ignore[arg-type]
    assert found == [f"A{r}:B{r}" for r in range(2, 2 + MERGES_KEPT)]


SPANNING = 'table:number-rows-spanned="2" table:number-columns-spanned="1"'


def _ods_cell(text: str, attrs: str = "") -> str:
    return f'<table:table-cell office:value-type="string" {attrs}><text:p>{text}</text:p></table:table-cell>'


def _merged_ods(path):
    """As LibreOffice saves B2:B3 merged: B2 spans two rows, B3 is a covered cell; and
    C3:D3 merged across columns."""
    from hostile_files import ods

    rows = [
        [_ods_cell("id"), _ods_cell("nom"), _ods_cell("ville")],
        [_ods_cell("lieu-fictif-1"), _ods_cell("Aire fictive", SPANNING), "<table:table-cell/>"],
        [
            _ods_cell("lieu-fictif-2"),
            "<table:covered-table-cell/>",
            _ods_cell("Ville fictive", 'table:number-columns-spanned="2"'),
            "<table:covered-table-cell/>",
        ],
    ]
    xml = "".join(f"<table:table-row>{''.join(r)}</table:table-row>" for r in rows)
    return ods(path, xml)


def test_merged_cells_of_an_ods_or_an_xls_are_named_too(tmp_path):
    """Merged cells were named in XLSX alone: in an ODS (a covered cell) or an XLS, row 3
    said « obligatoire, mais la cellule est vide » of a name the person sees, nothing
    more. ``fusion-fictive.xls`` (5.6 KB) was written by xlwt 1.3 (``write_merge``): id,
    nom over two rows, nom's B2:B3 merged."""
    schema = {"name": "fictif", "fields": [
        {"name": "id"}, {"name": "nom", "constraints": {"required": True}}, {"name": "ville"},
    ]}  # fmt: skip
    xls = shutil.copy(FIXTURES / "fusion-fictive.xls", tmp_path / "fusion-fictive.xls")
    for path, refs in (
        (_merged_ods(tmp_path / "fusion.ods"), ["B2:B3", "C3:D3"]),
        (xls, ["B2:B3"]),
    ):
        report = validate(path, schema=schema)
        assert [(f.code, f.row, f.field) for f in report.errors] == [
            ("constraint-error", 3, "nom")
        ], path
        merged = [f for f in report.warnings if f.code == "merged-cells"]
        assert [f.value for f in merged] == refs
        assert (merged[0].row, merged[0].column) == (2, 2)
        assert "seule la première (B2) porte la valeur" in merged[0].message


def test_an_ods_of_many_merges_names_the_first_200(tmp_path):
    from hostile_files import ods_stream, ods_table

    spans = 'table:number-columns-spanned="2"'
    rows = [f"<table:table-row>{_ods_cell('id')}{_ods_cell('nom')}</table:table-row>"]
    rows += [
        f"<table:table-row>{_ods_cell(f'lieu-{n}')}{_ods_cell('x', spans)}"
        "<table:covered-table-cell/></table:table-row>"
        for n in range(2, 400)
    ]
    path = ods_stream(tmp_path / "fusions.ods", ods_table(rows))
    schema = {"name": "fictif", "fields": [{"name": "id"}, {"name": "nom"}]}
    merged = [f.value for f in validate(path, schema=schema).warnings if f.code == "merged-cells"]
    assert merged == [f"B{r}:C{r}" for r in range(2, 2 + MERGES_KEPT)]


def test_merged_ranges_are_said_in_the_sheets_order(tmp_path, monkeypatch):
    """calamine lists an .xls sheet's merged ranges last first (B4:C4 before B2:B3,
    sweep 16): they are said in the sheet's order, row then column, whatever the reader's."""
    from moisinno_data import reading
    from moisinno_data.validation import engine

    monkeypatch.setattr(reading, "merged_cells", lambda *_a: ["C4:D4", "B4:C4", "B2:B3"])
    found = engine._merged_findings(tmp_path / "fusions.xls", {"format": "xls"}, [])
    assert [f.value for f in found] == ["B2:B3", "B4:C4", "C4:D4"]


# -- hidden and filtered rows and columns (sweep C) ------------------------------------

HIDDEN_SCHEMA = {"name": "fictif", "fields": [{"name": n} for n in ("id", "nom", "note")]}
LEGACY_SCHEMA = {
    "name": "fictif",
    "fields": [{"name": "id"}, {"name": "nom"}, {"name": "jour", "type": "date"},
               {"name": "places", "type": "integer"}, {"name": "ouvert", "type": "boolean"}],
}  # fmt: skip


def _hidden_xlsx(path, *, filtered: bool = False, ref: str | None = "A1:C7"):
    """Rows 2–7 of made-up places; rows 3, 4 and 6 hidden (or left out by an active
    filter), column C (« note ») hidden, and what is no table's: column H and the empty
    row 20 hidden too (Excel users hide everything around a table)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "nom", "note"])
    for n in range(2, 8):
        sheet.append([f"lieu-fictif-{n}", f"Lieu fictif {n}", f"brouillon fictif {n}"])
    for row in (3, 4, 6, 20):
        sheet.row_dimensions[row].hidden = True
    sheet.column_dimensions["C"].hidden = True
    sheet.column_dimensions["H"].hidden = True
    if filtered:
        sheet.auto_filter.ref = ref
        sheet.sheet_properties.filterMode = True
    book.save(path)
    return path


def _hidden(report):
    return [f for f in report.warnings if f.code == "hidden-cells"]


def test_hidden_rows_and_columns_of_an_xlsx_are_named(tmp_path):
    """Rows and columns a person does not see on opening the workbook were read and
    published by every command without a word. validate now names them, as ranges, with
    the header of each hidden column; a warning: the verdict does not change."""
    report = validate(_hidden_xlsx(tmp_path / "masquees.xlsx"), schema=HIDDEN_SCHEMA)
    assert report.valid and report.rows == 6  # still read, every one
    (hidden,) = _hidden(report)
    assert hidden.params["rows"] == [[3, 4, "hidden"], [6, 6, "hidden"]]
    assert hidden.params["columns"] == [[3, 3]]  # not H: no column of the table
    assert hidden.message.startswith("Lignes 3 à 4 et 6 masquées ; colonne C masquée")
    assert "« note »" in hidden.message and "publié comme le reste" in hidden.message
    assert "Afficher" in hidden.hint and "supprimez-les" in hidden.hint
    english = _hidden(validate(tmp_path / "masquees.xlsx", schema=HIDDEN_SCHEMA, lang="en"))
    assert english[0].message.startswith("Rows 3 to 4 and 6 hidden; column C hidden")
    assert "Unhide" in english[0].hint


def test_rows_left_out_by_a_filter_are_named_so(tmp_path):
    path = _hidden_xlsx(tmp_path / "filtre.xlsx", filtered=True)
    (hidden,) = _hidden(validate(path, schema=HIDDEN_SCHEMA))
    assert hidden.params["rows"] == [[3, 4, "filtered"], [6, 6, "filtered"]]
    assert "Lignes 3 à 4 et 6 cachées par un filtre" in hidden.message
    assert "Données > Effacer" in hidden.hint


def test_a_row_hidden_by_hand_outside_the_filter_is_not_called_filtered(tmp_path):
    """Under an active filter every hidden row was « cachée par un filtre », even one
    hidden by hand below the filter's range (``<autoFilter ref="A1:C5">``): the steward
    told to clear the filter would not have found it. Rows 3 and 4 are inside the range,
    row 6 outside it."""
    path = _hidden_xlsx(tmp_path / "filtre.xlsx", filtered=True, ref="A1:C5")
    (hidden,) = _hidden(validate(path, schema=HIDDEN_SCHEMA))
    assert hidden.params["rows"] == [[3, 4, "filtered"], [6, 6, "hidden"]]
    assert hidden.message.startswith("Ligne 6 masquée ; lignes 3 à 4 cachées par un filtre")
    header = _hidden_xlsx(tmp_path / "entete.xlsx", filtered=True, ref="A3:C7")
    (hidden,) = _hidden(validate(header, schema=HIDDEN_SCHEMA))
    assert hidden.params["rows"] == [[3, 3, "hidden"], [4, 4, "filtered"], [6, 6, "filtered"]]
    table = _hidden_xlsx(tmp_path / "table.xlsx", filtered=True, ref=None)  # a table's filter
    (hidden,) = _hidden(validate(table, schema=HIDDEN_SCHEMA))
    assert hidden.params["rows"] == [[3, 4, "filtered"], [6, 6, "filtered"]]  # range unknown
    assert validate(table, schema=HIDDEN_SCHEMA).rows == 6


def test_a_hidden_header_row_is_named(tmp_path, project_copy):
    """The header row hidden was silent (only rows below it were said): yet its labels
    decide which field each column feeds, and the steward sees columns without them. It
    is named now, by validate as by consolidate; a hidden title above it is still not."""
    import openpyxl

    path = _hidden_xlsx(tmp_path / "entete.xlsx")
    book = openpyxl.load_workbook(path)
    book.active.row_dimensions[1].hidden = True
    book.save(path)
    (hidden,) = _hidden(validate(path, schema=HIDDEN_SCHEMA))
    assert hidden.params["rows"] == [[1, 1, "hidden"], [3, 4, "hidden"], [6, 6, "hidden"]]
    book = openpyxl.Workbook()
    for row in (["Laboratoires fictifs"], [], HEADER, lab(1), lab(2)):
        book.active.append(row)
    for row in (1, 3):
        book.active.row_dimensions[row].hidden = True
    labs = tmp_path / "labos.xlsx"
    book.save(labs)
    (file,) = consolidate([labs], dry_run=True).files
    assert file.hidden_cells is not None and file.hidden_cells.rows == [[3, 3, "hidden"]]


def _ods_cells(*texts: str) -> str:
    return "".join(_ods_cell(t) for t in texts)


def _hidden_ods(path, hidden_rows: int = 2):
    """Row 3 hidden, then ``hidden_rows`` rows repeated and hidden (one element), row
    filtered out after them, column C (repeated with D) hidden, and a million empty
    collapsed rows below the table, as LibreOffice saves them."""
    from hostile_files import ods

    columns = (
        '<table:table-column table:number-columns-repeated="2"/>'
        '<table:table-column table:visibility="collapse" table:number-columns-repeated="2"/>'
        '<table:table-column table:number-columns-repeated="1020"/>'
    )
    rows = [
        f"<table:table-row>{_ods_cells('id', 'nom', 'note')}</table:table-row>",
        f"<table:table-row>{_ods_cells('lieu-fictif-2', 'Lieu fictif', 'x')}</table:table-row>",
        '<table:table-row table:visibility="collapse">'
        f"{_ods_cells('lieu-fictif-3', 'Lieu fictif', 'x')}</table:table-row>",
        f'<table:table-row table:visibility="collapse" table:number-rows-repeated="{hidden_rows}">'
        f"{_ods_cells('lieu-fictif-r', 'Lieu fictif', 'x')}</table:table-row>",
        '<table:table-row table:visibility="filter">'
        f"{_ods_cells('lieu-fictif-f', 'Lieu fictif', 'x')}</table:table-row>",
        '<table:table-row table:visibility="collapse" table:number-rows-repeated="1000000">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>',
    ]
    return ods(path, columns + "".join(rows))


def test_hidden_and_filtered_rows_and_columns_of_an_ods_are_named(tmp_path):
    schema = {"name": "fictif", "fields": [{"name": n} for n in ("id", "nom", "note")]}
    report = validate(_hidden_ods(tmp_path / "masquees.ods"), schema=schema)
    (hidden,) = _hidden(report)
    assert hidden.params["rows"] == [[3, 5, "hidden"], [6, 6, "filtered"]]
    assert hidden.params["columns"] == [[3, 3]]  # D is past the table
    assert hidden.message.startswith("Lignes 3 à 5 masquées ; ligne 6 cachée par un filtre")
    assert report.valid and report.rows == 5


def test_repeated_hidden_ods_rows_are_one_run_within_the_budget(tmp_path):
    """A hidden row repeated 500,000 times is one run noted, never a list per row; and
    one repeated past the budget is refused as ever, its run noted at once."""
    from moisinno_data.errors import InputError
    from moisinno_data.reading.budget import Budget
    from moisinno_data.reading.hidden import HiddenCells
    from moisinno_data.reading.sheets import sheet_rows

    path = _hidden_ods(tmp_path / "repetees.ods", hidden_rows=500_000)
    hidden = HiddenCells()
    rows = sum(1 for _ in sheet_rows(path, "ods", "Feuille1", Budget(), hidden=hidden))
    assert rows == 500_004
    assert hidden.rows == [[3, 500_003, "hidden"], [500_004, 500_004, "filtered"]]
    assert hidden.columns == [[3, 4]]
    huge = _hidden_ods(tmp_path / "milliard.ods", hidden_rows=1_000_000_000)
    hidden = HiddenCells()
    with pytest.raises(InputError, match="dépasse 1048576 lignes"):
        for _ in sheet_rows(huge, "ods", "Feuille1", Budget(), hidden=hidden):
            pass
    assert hidden.rows[0] == [3, 1_000_000_003, "hidden"]  # one run, noted as read


def _sheet_edited(path, *edits: tuple[bytes, bytes]):
    """The workbook ``path`` with its first sheet's XML edited (what openpyxl does not
    write: a row's ``ht="0"``, a column's ``width="0"``), in place."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    for old, new in edits:
        parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(old, new)
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def test_rows_of_no_height_or_in_a_folded_group_are_named_hidden(tmp_path):
    """A row of zero height (XLSX ``<row ht="0">``, an ODS row style of
    ``style:row-height="0cm"``) is unseen as a hidden one, and so are the rows of an ODS
    group folded (``table:table-row-group table:display="false"``) without a visibility
    of their own: they were read and published without a word."""
    from hostile_files import ODS_HEAD, ODS_TAIL, ods_stream

    plain = _hidden_xlsx(tmp_path / "hauteur.xlsx")
    flat = _sheet_edited(
        plain, (b'<row r="3" hidden="1"', b'<row r="3"'), (b'<row r="5"', b'<row r="5" ht="0.0"')
    )
    (hidden,) = _hidden(validate(flat, schema=HIDDEN_SCHEMA))
    assert hidden.params["rows"] == [[4, 6, "hidden"]]

    styles = (
        '<office:automatic-styles><style:style style:name="ro2" style:family="table-row">'
        '<style:table-row-properties style:row-height="0cm"/></style:style>'
        "</office:automatic-styles>"
    )
    head = ODS_HEAD.replace("<office:body>", styles + "<office:body>")
    rows = [
        f"<table:table-row>{_ods_cells('id', 'nom', 'note')}</table:table-row>",
        '<table:table-row table:style-name="ro2" table:number-rows-repeated="2">'
        f"{_ods_cells('lieu-fictif-2', 'Lieu fictif', 'x')}</table:table-row>",
        f"<table:table-row>{_ods_cells('lieu-fictif-4', 'Lieu fictif', 'x')}</table:table-row>",
        '<table:table-row-group table:display="false">'
        f"<table:table-row>{_ods_cells('lieu-fictif-5', 'Lieu fictif', 'x')}</table:table-row>"
        "</table:table-row-group>",
        '<table:table-row-group><table:table-row table:number-rows-repeated="3">'
        f"{_ods_cells('lieu-fictif-6', 'Lieu fictif', 'x')}</table:table-row>"
        "</table:table-row-group>",
    ]
    content = [head, '<table:table table:name="Feuille1">', *rows, "</table:table>", ODS_TAIL]
    report = validate(ods_stream(tmp_path / "hauteur.ods", content), schema=HIDDEN_SCHEMA)
    assert report.rows == 7
    (hidden,) = _hidden(report)
    assert hidden.params["rows"] == [[2, 3, "hidden"], [5, 5, "hidden"]]


def test_columns_of_no_width_are_named_hidden(tmp_path):
    """A column of zero width without the hidden flag (XLSX ``<col width="0">``, an ODS
    column style of ``style:column-width="0cm"``) is unseen as a hidden one."""
    import openpyxl
    from hostile_files import ODS_HEAD, ODS_TAIL, ods_stream

    book = openpyxl.Workbook()
    for row in (["id", "nom", "note"], ["lieu-fictif-2", "Lieu fictif", "brouillon fictif"]):
        book.active.append(row)
    path = tmp_path / "largeur.xlsx"
    book.save(path)
    _sheet_edited(
        path, (b"<sheetData>", b'<cols><col min="2" max="2" width="0"/></cols><sheetData>')
    )
    (hidden,) = _hidden(validate(path, schema=HIDDEN_SCHEMA))
    assert hidden.params["columns"] == [[2, 2]] and hidden.params["labels"] == ["nom"]

    styles = (
        '<office:automatic-styles><style:style style:name="co2" style:family="table-column">'
        '<style:table-column-properties style:column-width="0in"/></style:style>'
        "</office:automatic-styles>"
    )
    head = ODS_HEAD.replace("<office:body>", styles + "<office:body>")
    rows = [
        '<table:table-column/><table:table-column table:style-name="co2"/>',
        f"<table:table-row>{_ods_cells('id', 'nom', 'note')}</table:table-row>",
        f"<table:table-row>{_ods_cells('lieu-fictif-2', 'Lieu fictif', 'x')}</table:table-row>",
    ]
    content = [head, '<table:table table:name="Feuille1">', *rows, "</table:table>", ODS_TAIL]
    (hidden,) = _hidden(validate(ods_stream(tmp_path / "l.ods", content), schema=HIDDEN_SCHEMA))
    assert hidden.params["columns"] == [[2, 2]] and hidden.params["rows"] == []
    folded = '<table:table-column-group table:display="false"><table:table-column/>'
    content[2] = f"<table:table-column/>{folded}</table:table-column-group><table:table-column/>"
    (hidden,) = _hidden(validate(ods_stream(tmp_path / "g.ods", content), schema=HIDDEN_SCHEMA))
    assert hidden.params["columns"] == [[2, 2]]  # in a folded group of columns


def _hidden_xls(path, *, filtered: bool = False, rows: tuple[int, int] | None = None):
    """``lieux-fictifs.xls`` (rows 1–3, columns A–E; no .xls writer is installed) with
    sheet « Données »'s row 3 (its ROW record) flagged hidden, its left and right margin
    records (24 bytes) rewritten as one COLINFO hiding column D, and, ``filtered``, its
    HCENTER record retyped FILTERMODE (a filter on): olefile replaces a stream of the
    same size."""
    import struct

    import olefile

    shutil.copy(FIXTURES / "lieux-fictifs.xls", path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        stream = bytearray(ole.openstream("Workbook").read())
        start = stream.index("Données".encode("latin-1"))  # its BOUNDSHEET, then its BOF
        start = struct.unpack_from("<I", stream, start - 8)[0]
        at = stream.index(struct.pack("<HHH", 0x208, 16, 2), start) + 4 + 12
        stream[at] |= 0x20  # fDyZero: the row is hidden
        margins = b"".join(
            struct.pack("<HH", kind, 8) + struct.pack("<d", 0.3) for kind in (0x26, 0x27)
        )
        at = stream.index(margins, start)
        colinfo = struct.pack("<HH", 0x7D, 20) + struct.pack("<HHHHH", 3, 3, 0x900, 15, 1)
        stream[at : at + 24] = colinfo + bytes(10)  # columns D to D, hidden
        if filtered:
            at = stream.index(struct.pack("<HHH", 0x83, 2, 1), start)
            stream[at : at + 2] = struct.pack("<H", 0x9B)
        if rows is not None:  # the filter's range: its WRITEACCESS (112 bytes) retyped NAME
            at = stream.index(struct.pack("<HH", 0x5C, 112))
            name = struct.pack("<HBBHHH4xBB", 0x21, 0, 1, 11, 0, 2, 0, 0x0D)  # sheet 2's
            area = struct.pack("<BHHHHH", 0x3B, 0, rows[0], rows[1], 0, 4)  # A to E
            stream[at : at + 4 + 112] = struct.pack("<HH", 0x18, 112) + (name + area).ljust(
                112, b"\0"
            )
        ole.write_stream("Workbook", bytes(stream))
    return path


def test_hidden_and_filtered_rows_and_columns_of_an_xls_are_named(tmp_path):
    report = validate(_hidden_xls(tmp_path / "masquees.xls"), schema=LEGACY_SCHEMA)
    (hidden,) = _hidden(report)
    assert hidden.params["rows"] == [[3, 3, "hidden"]]
    assert hidden.params["columns"] == [[4, 4]]
    assert hidden.message.startswith(
        "Ligne 3 masquée ; colonne D masquée (en-tête(s) : « places »)"
    )
    assert [f.code for f in report.errors] == ["type-error"]  # as ever: row 3 still read
    filtered = validate(_hidden_xls(tmp_path / "filtre.xls", filtered=True), schema=LEGACY_SCHEMA)
    assert _hidden(filtered)[0].params["rows"] == [[3, 3, "filtered"]]


def test_an_xls_row_hidden_outside_the_filter_is_not_called_filtered(tmp_path):
    """As in an XLSX: under an active filter, a row outside its range (the built-in
    name _FilterDatabase of the sheet, in the workbook's globals) is hidden by hand."""
    outside = _hidden_xls(tmp_path / "hors.xls", filtered=True, rows=(0, 1))  # A1:E2
    report = validate(outside, schema=LEGACY_SCHEMA)
    assert _hidden(report)[0].params["rows"] == [[3, 3, "hidden"]]
    assert report.rows == 2
    inside = _hidden_xls(tmp_path / "dans.xls", filtered=True, rows=(0, 2))  # A1:E3
    assert _hidden(validate(inside, schema=LEGACY_SCHEMA))[0].params["rows"] == [[3, 3, "filtered"]]


def test_a_workbook_with_nothing_hidden_gets_no_warning(tmp_path):
    xlsx = write_workbook(tmp_path / "visible.xlsx", {"Feuil1": [["id", "nom"], ["a", "b"]]})
    assert not _hidden(validate(xlsx, schema=HIDDEN_SCHEMA))
    assert not _hidden(validate(FIXTURES / "lieux-fictifs.xls", schema=LEGACY_SCHEMA))
    ods_file = _merged_ods(tmp_path / "visible.ods")
    assert not _hidden(validate(ods_file, schema=HIDDEN_SCHEMA))


def test_fix_keeps_hidden_rows_and_says_so(tmp_path):
    path = _hidden_xlsx(tmp_path / "masquees.xlsx")
    out = tmp_path / "corrige.csv"
    result = fix_file(path, HIDDEN_SCHEMA, out)
    assert result.hidden_cells.rows == [[3, 4, "hidden"], [6, 6, "hidden"]]
    assert "lieu-fictif-3" in out.read_text(encoding="utf-8")  # kept: nothing lost
    assert result.to_dict()["hidden_cells"]["columns"] == [[3, 3]]
    text = describe_fix(result, "masquees.xlsx", str(out))
    assert "À VÉRIFIER : lignes 3 à 4 et 6 masquées" in text
    assert "le fichier corrigé les garde" in text
    assert "TO CHECK: rows 3 to 4 and 6 hidden" in describe_fix(result, "m.xlsx", None, lang="en")
    clean = fix_file(write_workbook(tmp_path / "v.xlsx", {"F": [["id"], ["a"]]}), HIDDEN_SCHEMA)
    assert not clean.hidden_cells and clean.to_dict()["hidden_cells"] is None


def test_consolidate_keeps_hidden_rows_and_says_so(tmp_path, project_copy):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Laboratoires fictifs"])  # a title: the header is row 3
    sheet.append([])
    for row in (HEADER, lab(1), lab(2), lab(3)):
        sheet.append(row)
    sheet.row_dimensions[5].hidden = True
    path = tmp_path / "labos.xlsx"
    book.save(path)
    result = consolidate([path], dry_run=True)
    (file,) = result.files
    assert result.rows_in == 3 and result.totals["added"] == 3  # lab 2 kept
    assert file.hidden_cells is not None and file.hidden_cells.rows == [[5, 5, "hidden"]]
    assert "hidden-cells" not in file.warnings  # said once, on its own line
    text = describe(result)
    assert "! ligne 5 masquée dans le tableur" in text
    assert "! row 5 hidden in the spreadsheet" in describe(result, lang="en")
    cli = run_cli("consolidate", "--dry-run", "--json", str(path), cwd=project_copy)
    assert cli.returncode == 0, cli.stderr  # a warning: every row read
    assert json.loads(cli.stdout)["files"][0]["hidden_cells"]["rows"] == [[5, 5, "hidden"]]


def test_consolidate_names_only_the_hidden_rows_it_publishes(tmp_path, project_copy):
    """consolidate named every hidden row as « sera publié comme le reste », the one it
    then rejected too (it goes to the rejects, said there with its reasons): only the
    hidden rows it accepts are named now, and none when it rejects them all."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (HEADER, lab(1), lab(2), [*lab(3)[:2], "pas une région", lab(3)[3]], lab(4)):
        sheet.append(row)
    for row in (3, 4):
        sheet.row_dimensions[row].hidden = True
    path = tmp_path / "labos.xlsx"
    book.save(path)
    result = consolidate([path], dry_run=True)
    (file,) = result.files
    assert [r.row for r in result.rows if r.status == "rejected"] == [4]
    assert file.hidden_cells is not None and file.hidden_cells.rows == [[3, 3, "hidden"]]
    assert "! ligne 3 masquée dans le tableur" in describe(result)
    sheet.row_dimensions[3].hidden = False
    book.save(path)
    (file,) = consolidate([path], dry_run=True).files
    assert file.hidden_cells is None  # its one hidden row is rejected: said there


def test_the_reports_and_the_page_say_hidden_rows(tmp_path, project_copy):
    from starlette.testclient import TestClient

    from moisinno_data.web import create_app

    path = _hidden_xlsx(tmp_path / "masquees.xlsx")
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(HIDDEN_SCHEMA), encoding="utf-8")
    args = ("validate", "--schema", str(schema), str(path))
    text = run_cli(*args, cwd=project_copy)
    assert text.returncode == 0 and "Lignes 3 à 4 et 6 masquées" in text.stdout, text.stderr
    english = run_cli(*args, "--lang", "en", cwd=project_copy)
    assert "Hidden rows or columns" in english.stdout and "Rows 3 to 4 and 6" in english.stdout
    found = json.loads(run_cli(*args, "--json", cwd=project_copy).stdout)
    assert "hidden-cells" in json.dumps(found)
    page = run_cli(*args, "--format", "html", cwd=project_copy).stdout
    assert "Lignes ou colonnes masquées" in page and "Lignes 3 à 4 et 6 masquées" in page
    labs = _hidden_xlsx_labs(tmp_path / "labos.xlsx")
    with TestClient(create_app(tmp_root=tmp_path), base_url="http://127.0.0.1") as client:
        for lang, said in (("fr", "Ligne 3 masquée"), ("en", "Row 3 hidden")):
            response = client.post(
                "/valider",
                files={"file": ("labos.xlsx", labs.read_bytes(), "application/octet-stream")},
                data={"schema": "laboratoires", "lang": lang},
                follow_redirects=True,
            )
            assert response.status_code == 200 and said in response.text, lang


def _hidden_xlsx_labs(path):
    import openpyxl

    book = openpyxl.Workbook()
    for row in (HEADER, lab(1), lab(2)):
        book.active.append(row)
    book.active.row_dimensions[3].hidden = True
    book.save(path)
    return path
