"""Hostile spreadsheets, archives and special files: refused with one sentence, exit 2,
within bounded time and memory — never a crash of the process (issue: resource budget).

Each bomb is built in the test (``hostile_files``) and validated by the real command in a
fresh interpreter, which reports its own peak RSS and wall time; the bounds asserted (10 s,
500 MB) are the point of these tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import hostile_files as h
import pytest

from moisinno_data import reading
from moisinno_data.errors import InputError

DRIVER = """
import json, resource, sys, time
from moisinno_data.cli import main
start = time.perf_counter()
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
sys.stdout.flush()
def peak_mb():
    # VmHWM is this program's own peak; ru_maxrss also counts the parent's before exec.
    try:
        with open("/proc/self/status") as fh:
            return next(int(l.split()[1]) for l in fh if l.startswith("VmHWM")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
sys.stderr.write("\\n@@" + json.dumps({"code": code, "seconds": time.perf_counter() - start,
    "rss_mb": peak_mb()}) + "\\n")
"""


def measured(*args: str) -> tuple[dict, str]:
    out = subprocess.run(
        [sys.executable, "-c", DRIVER, *args], capture_output=True, text=True, timeout=120
    )
    stderr, _, tail = out.stderr.rpartition("\n@@")
    return json.loads(tail), stderr.strip()


def assert_refused(path: Path, *words: str) -> None:
    facts, stderr = measured("validate", str(path), "--schema", "editions")
    assert facts["code"] == 2, stderr
    assert facts["seconds"] < 10 and facts["rss_mb"] < 500, facts
    assert "Traceback" not in stderr and stderr.count("\n") == 0, stderr
    for word in words:
        assert word in stderr, stderr


@pytest.mark.parametrize(
    ("which", "said"),
    [("rels", "relations entre ses parties"), ("xf", "styles de cellule"),
     ("numFmt", "formats de nombre")],
)  # fmt: skip
def test_a_workbook_list_past_any_real_ones_length_is_refused(tmp_path, which, said):
    """Sweep 16: 88 KB of zipped ``<Relationship/>`` (three million) held 540 MB and took
    two minutes, 350 KB of them 1.7 GB and ten minutes; a hundred million ``<xf/>`` grew
    without end. Each list is refused past 100,000 entries (Excel keeps 65,490 styles)."""
    path = h.xlsx_long_list(tmp_path / f"liste-{which}.xlsx", which, 100_001)
    assert path.stat().st_size < 20_000
    assert_refused(path, "plus de 100000", said)


@pytest.mark.parametrize("dimension", [True, False])
def test_a_cell_at_xfd1048576_is_a_sparse_sheet_whatever_its_dimension(tmp_path, dimension):
    """The declared A1:XFD1048576 is the box around two cells, not a verdict: the million
    empty rows before the far one are."""
    path = h.xlsx_far_cell(tmp_path / "creuse.xlsx", dimension=dimension)
    assert path.stat().st_size < 5000
    assert_refused(path, "creuse", "1048576")


def test_a_stray_far_cell_beside_a_narrow_table_is_read_not_refused(tmp_path):
    """A value typed once in column XFD of a 3,000-row table makes its declared box
    A1:XFD3000, 49 million cells: the workbook was refused whole. Its table is two
    columns wide: it is read, and the stray value is one extra cell."""
    from moisinno_data.validation import validate

    rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>annee</t></is></c></row>']
    rows += [f'<row r="{r}"><c r="A{r}"><v>{2000 + r}</v></c></row>' for r in range(2, 3001)]
    rows[9] = '<row r="10"><c r="A10"><v>2010</v></c><c r="XFD10"><v>7</v></c></row>'
    path = h.xlsx(tmp_path / "egaree.xlsx", h.sheet("".join(rows), dimension="A1:XFD3000"))
    report = validate(path, schema={"name": "fictif", "fields": [{"name": "annee"}]})
    assert report.rows == 2999
    assert [(f.code, f.row, f.column, f.value) for f in report.errors] == [
        ("extra-cell", 10, 16384, "7")
    ]


def test_a_label_typed_in_xfd_above_many_rows_is_refused_at_once(tmp_path):
    """Every row is built as wide as the header: a label in XFD1 above 3,000 declared
    rows is 49 million cells to build, refused before the first row is."""
    header = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>annee</t></is></c>'
        '<c r="XFD1" t="inlineStr"><is><t>note</t></is></c></row>'
    )
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{2000 + r}</v></c></row>' for r in range(2, 3001))
    path = h.xlsx(tmp_path / "large.xlsx", h.sheet(header + rows, dimension="A1:XFD3000"))
    assert_refused(path, "en-tête de 16384 colonnes", "XFD3000")


def test_a_legacy_xls_with_one_far_cell_is_refused_before_calamine_builds_it():
    """5.6 KB (« id », « x » and a cell at IV65536, written with xlwt): python-calamine
    builds every sheet's dense grid on opening the file, 1 GB here, before a row is read."""
    path = Path(__file__).parent / "fixtures" / "cellule-lointaine.xls"
    assert path.stat().st_size < 6000
    assert_refused(path, "IV65536", "65536 lignes × 256 colonnes")


def test_a_legacy_xls_declaring_billions_of_rows_is_refused_before_calamine_aborts(tmp_path):
    """Sweep 13: the same 5.6 KB workbook, its DIMENSIONS records forged to 4294967295
    rows × 65535 columns (no cell moved): calamine reserves that grid and its allocation
    failure aborted the process (exit 134), and ``moisinno serve`` with it."""
    import shutil
    import struct

    import olefile

    path = tmp_path / "dimensions-forgees.xls"
    shutil.copy(Path(__file__).parent / "fixtures" / "lieux-fictifs.xls", path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        stream = bytearray(ole.openstream("Workbook").read())
        at = forged = 0
        while at + 4 <= len(stream):
            kind, size = struct.unpack_from("<HH", stream, at)
            if kind == 0x0200 and size >= 14:  # BIFF8 DIMENSIONS: rows on 4 bytes
                struct.pack_into("<IIHH", stream, at + 4, 0, 0xFFFFFFFF, 0, 0xFFFF)
                forged += 1
            at += 4 + size
        assert forged
        ole.write_stream("Workbook", bytes(stream))
    assert_refused(path, "4294967295 lignes × 65535 colonnes")


def test_ods_repeated_rows_and_columns_are_refused_before_being_built(tmp_path):
    path = h.ods_repeated(tmp_path / "repetee.ods")
    assert path.stat().st_size < 1000
    assert_refused(path, "cellules")


def test_ods_whose_mimetype_inflates_to_gigabytes(tmp_path):
    assert_refused(h.ods_huge_mimetype(tmp_path / "mimetype.ods", 2), "mimetype", "Gio")


def test_a_big_mimetype_within_the_budget_is_not_read_whole(tmp_path):
    path = h.ods_huge_mimetype(tmp_path / "mimetype.ods", 0.25)
    start = time.perf_counter()
    assert reading.detect(path)["format"] == "ods"
    assert time.perf_counter() - start < 1  # inflating 256 MB would take longer


def test_two_million_rows_are_refused(tmp_path):
    path = h.xlsx_many_rows(tmp_path / "lignes.xlsx", 2_000_000)
    assert path.stat().st_size < 20 << 20
    assert_refused(path, "2000000 lignes")


def test_rows_are_counted_while_reading_when_no_dimension_is_declared(tmp_path):
    path = h.xlsx_many_rows(tmp_path / "lignes.xlsx", 30_000, dimension=False)
    small = reading.Budget(max_rows=20_000)
    with reading.limits(small), pytest.raises(InputError, match="dépasse 20000 lignes"):
        list(reading.read_rows(path).rows)
    assert sum(1 for _ in reading.read_rows(path).rows) == 29_999


def test_gigabytes_of_whitespace_stream_in_bounded_memory(tmp_path):
    path = h.xlsx_whitespace(tmp_path / "blancs.xlsx", 0.75)
    facts, stderr = measured("validate", str(path), "--schema", "editions")
    assert facts["code"] in (1, 2) and "Traceback" not in stderr, stderr
    assert facts["seconds"] < 10 and facts["rss_mb"] < 500, facts
    small = reading.Budget(max_entry_bytes=256 << 20)
    with reading.limits(small), pytest.raises(InputError, match="décompressé"):
        reading.detect(path)


def test_whitespace_inside_one_value_is_capped(tmp_path):
    assert_refused(h.xlsx_whitespace(tmp_path / "valeur.xlsx", 0.1, inside_value=True), "cellule")


def test_zip_bomb_with_a_lying_central_directory(tmp_path):
    path = h.lying_bomb(tmp_path / "bombe.xlsx", 64)
    assert_refused(path, "endommagée")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "tube.csv"
    os.mkfifo(fifo)
    facts, stderr = measured("validate", str(fifo), "--schema", "editions")
    assert facts["code"] == 2 and "pas un fichier ordinaire" in stderr
    assert facts["seconds"] < 10


def test_device_is_refused():
    with pytest.raises(InputError, match="pas un fichier ordinaire"):
        reading.detect("/dev/null")


def test_a_real_xlsx_export_still_reads(tmp_path):
    import datetime as dt

    import xlsxwriter

    path = tmp_path / "export.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Données")
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["annee", "nom", "vrai", "date"])
    for r in range(1, 5001):
        sheet.write_row(r, 0, [2000 + r % 20, f"Ligne fictive {r}", r % 2 == 0])
        sheet.write_datetime(r, 3, dt.datetime(2020, 11, 2), dates)
    book.close()
    rows = list(reading.read_rows(path).rows)
    assert len(rows) == 5000
    assert rows[0] == (2, ["2001", "Ligne fictive 1", "false", "2020-11-02"])


def test_a_file_without_line_ends_is_not_quoted_in_full_by_its_report(tmp_path):
    """A sweep of the web page: 5 MB of one line (one header cell) gave a 31 MB JSON
    answer, the cell quoted six times (labels, messages, params, detected columns)."""
    from moisinno_data.validation import validate

    path = tmp_path / "une-ligne.csv"
    path.write_text("x" * 2_000_000, encoding="utf-8")
    report = validate(path, schema="editions")
    assert not report.valid
    assert len(json.dumps(report.to_dict(), ensure_ascii=False)) < 50_000


def test_a_dimension_of_thousands_of_digits_is_ignored_not_a_crash(tmp_path):
    """``int`` refuses 4,300 digits (ValueError): the sweep's 1.8 KB XLSX was an HTTP 500.
    A malformed dimension is ignored; the rows are counted while reading anyway."""
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>annee</t></is></c></row>'
    path = h.xlsx(tmp_path / "dimension.xlsx", h.sheet(rows, dimension="A1:A" + "9" * 5000))
    facts, stderr = measured("validate", str(path), "--schema", "editions")
    assert facts["code"] in (0, 1) and "Traceback" not in stderr, stderr


def test_row_numbers_and_repeats_of_thousands_of_digits_are_not_a_crash(tmp_path):
    huge = "9" * 5000
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>annee</t></is></c></row>'
        f'<row r="{huge}"><c r="A2"><v>1</v></c></row>'
    )
    path = h.xlsx(tmp_path / "ligne.xlsx", h.sheet(rows))
    assert [cells for _n, cells in reading.read_rows(path).rows] == [["1"]]
    cell = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    table = (
        f"<table:table-row>{cell.format('annee')}</table:table-row>"
        f'<table:table-row table:number-rows-repeated="{huge}">{cell.format("1")}'
        "</table:table-row>"
    )
    ods_path = h.ods(tmp_path / "repete.ods", table)
    assert [cells for _n, cells in reading.read_rows(ods_path).rows] == [["1"]]


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_bzip2_and_lzma_entries_are_refused_before_being_inflated(tmp_path, method):
    """A 2.5 KB XLSX whose bzip2 sheet was 1 GiB of spaces peaked at 2.9 GB: zipfile's
    bzip2 and lzma readers have no bound on one read. No spreadsheet uses them."""
    path = h.xlsx_compressed_with(tmp_path / "bzip2.xlsx", method, 4)
    assert path.stat().st_size < 200_000
    assert_refused(path, "xl/worksheets/sheet1.xml", "méthode")


def test_deeply_nested_xml_is_refused_by_its_depth(tmp_path):
    """15M nested ``<b>`` (37 KB compressed) held 700 MB of expat's stack, never given back."""
    path = h.xlsx_nested(tmp_path / "imbrique.xlsx", 2_000_000)
    assert path.stat().st_size < 100_000
    assert_refused(path, "xl/worksheets/sheet1.xml", "256 niveaux")
    span = "<text:span>" * 10_000 + "x" + "</text:span>" * 10_000
    cell = (
        f'<table:table-cell office:value-type="string"><text:p>{span}</text:p></table:table-cell>'
    )
    ods_path = h.ods(tmp_path / "imbrique.ods", f"<table:table-row>{cell}</table:table-row>")
    with pytest.raises(InputError, match=r"« content\.xml » .* 256 niveaux"):
        list(reading.read_rows(ods_path).rows)


def test_reading_a_workbook_stops_at_the_budget_s_time(tmp_path):
    """A 1 MB XLSX of 1 GiB of ``<x/>`` held a worker of the page for five minutes: a
    budget's ``max_seconds`` counts from ``limits`` and stops every reading loop."""
    path = h.xlsx_empty_elements(tmp_path / "lent.xlsx", 50_000_000)
    assert path.stat().st_size < 1_000_000
    start = time.perf_counter()
    late = pytest.raises(InputError, match=r"lent\.xlsx : la lecture du fichier dépasse 0,5 s")
    with reading.limits(reading.Budget(max_seconds=0.5)), late:
        list(reading.read_rows(path).rows)
    assert time.perf_counter() - start < 10


PEAK = """
import json, sys
from moisinno_data.validation import validate
report = validate(sys.argv[1], schema="editions", keep_per_kind=100)
with open("/proc/self/status") as fh:
    peak = next(int(l.split()[1]) for l in fh if l.startswith("VmHWM")) / 1024
print(json.dumps({"rss_mb": peak, "rows": report.rows}))
"""


def test_blank_lines_cost_memory_in_batches_not_per_line(tmp_path):
    """A header and 45M blank lines (47 MB) peaked at 6.4 GB: a parse block of blank lines
    is a million rows of 27 columns, and it was one batch. Batches and blocks are now cut
    by their cells."""
    path = tmp_path / "lignes-vides.csv"
    path.write_bytes(";".join(f"col{i}" for i in range(27)).encode() + b"\n" + b"\n" * (1 << 20))
    out = subprocess.run(
        [sys.executable, "-c", PEAK, str(path)], capture_output=True, text=True, timeout=300
    )
    facts = json.loads(out.stdout.strip().splitlines()[-1])
    assert facts["rows"] == (1 << 20) and facts["rss_mb"] < 450, (facts, out.stderr[-2000:])


@pytest.mark.parametrize("cells", [20_000, 500_000])
def test_a_row_wider_than_any_sheet_is_refused_with_its_line(tmp_path, cells):
    """One row of ``x;`` × 24M (48 MB) peaked at 6.4 GB: a Python object for each extra
    cell. 20,000 cells go through pyarrow's ragged-row handler, 500,000 (a line longer
    than a parse block) through Python's csv module."""
    path = tmp_path / "large.csv"
    path.write_bytes(b"a;b;c\n1;2;3\n" + b"x;" * cells + b"\n4;5;6\n")
    assert_refused(path, f"ligne 3 a {cells + 1} cellules", "16384 colonnes")


def test_validating_a_csv_stops_at_the_budget_s_time(tmp_path):
    """The CSV batches and the engine's batch loop check the deadline too."""
    from moisinno_data.validation import validate

    blank = tmp_path / "vides.csv"
    blank.write_bytes(b"a;b;c\n" + b"\n" * (8 << 20))
    start = time.perf_counter()
    late = pytest.raises(InputError, match=r"vides\.csv : la lecture du fichier dépasse 0,5 s")
    with reading.limits(reading.Budget(max_seconds=0.5)), late:
        validate(blank, schema="editions", keep_per_kind=10)
    assert time.perf_counter() - start < 10


def test_a_header_of_thousands_of_unknown_labels_is_not_compared_label_by_label():
    """A CSV header of 16,384 unknown labels (77 KB) took 20 s: difflib looked for the
    closest field of every one. The first ``CLOSEST_LABELS`` get a hint, the rest none."""
    from moisinno_data.validation import resolution

    fields = [{"name": f"champ_{i}"} for i in range(27)]
    header = [f"champ_{i % 27}_{i}" for i in range(resolution.CLOSEST_LABELS + 500)]
    found = resolution.resolve_header(header, fields)
    assert len(found.unknown) == len(header)
    looked = [position for position, closest in found.unknown.items() if closest is not None]
    assert looked and max(looked) < resolution.CLOSEST_LABELS


def test_a_number_format_of_unclosed_brackets_is_read_in_linear_time(tmp_path):
    """A 2 KB workbook: one number format of 20,000 ``[`` shared by 200 styles held the
    page past its time limit (each ``[`` looked for its ``]`` to the end, for each style;
    the deadline is only checked between parts). Now once per format, in linear time."""
    from moisinno_data.reading import xlsx

    assert xlsx._date_kind("[" * 60_000) is None and xlsx._date_kind('"' * 60_000) is None
    assert xlsx._date_kind("[$-40C]d mmmm yyyy") == "date"
    assert (
        xlsx._date_kind("[h]:mm") == ("duration", "[h]:mm") and xlsx._date_kind("[Red]0.00") is None
    )
    path = h.xlsx_styles(tmp_path / "styles.xlsx", "[" * 20_000, 200)
    assert path.stat().st_size < 4096
    facts, stderr = measured("validate", str(path), "--schema", "editions")
    assert facts["code"] in (1, 2) and facts["seconds"] < 10, (facts, stderr)
    assert "Traceback" not in stderr


def test_shared_strings_are_held_within_a_total(tmp_path):
    """Shared strings are held in memory: each is capped, and so is their total (120
    strings of 16 MB zipped to 1.9 MB and held 2 GB)."""
    path = h.xlsx_shared_strings(tmp_path / "textes.xlsx", 40, 200_000)
    refused = pytest.raises(InputError, match="textes partagés du classeur dépassent 4000000")
    with reading.limits(reading.Budget(max_shared_chars=4_000_000)), refused:
        list(reading.iter_batches(path, reading.detect(path), 1))
    with reading.limits(reading.Budget(max_shared_chars=9_000_000)):
        batches = list(reading.iter_batches(path, reading.detect(path), 1))
    assert sum(b.frame.height for b in batches) == 0  # the header's row only


@pytest.mark.parametrize("index", ["7", "-1", "x"])
def test_a_text_cell_pointing_past_the_shared_strings_is_a_damaged_workbook(tmp_path, index):
    """Stop 37: a cell ``t="s"`` whose index is past the workbook's shared strings (a
    damaged or hand-edited file) was read empty: a filled cell became a missing value,
    and the file could be VALIDE. Excel calls the file damaged; so do we, naming the cell."""
    path = tmp_path / "textes-perdus.xlsx"
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        f'<row r="2"><c r="A2" t="s"><v>{index}</v></c></row>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        h._xlsx_parts(zf)
        zf.writestr(
            "xl/sharedStrings.xml", f'<?xml version="1.0"?><sst {h.NS}><si><t>annee</t></si></sst>'
        )
        zf.writestr("xl/worksheets/sheet1.xml", "".join(h.sheet(rows)))
    assert_refused(path, "cellule A2", f"texte partagé n° {index}", "endommagé")


def test_a_header_too_wide_for_pyarrow_is_mapped_once(tmp_path, monkeypatch):
    """A row longer than pyarrow's parse block sends the file to Python's csv module: the
    second attempt takes the header's mapping and the batch query of the first (16,000
    unknown labels were mapped twice, 5 s for a 176 KB file), with the same findings."""
    from moisinno_data.validation import engine, resolution, validate

    path = tmp_path / "large.csv"
    labels = [f"inconnue_{i}" for i in range(3000)]
    path.write_text(
        ",".join(["annee", *labels]) + "\n" + ",".join(["2021", *"x" * 3000]) + "\n",
        encoding="utf-8",
    )
    calls = []
    real = resolution.resolve_header

    def counted(*args, **kwargs):
        calls.append(len(args[0]))
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "resolve_header", counted)
    report = validate(path, schema="editions")
    assert report.detected.get("parser") == "python"  # the second attempt's
    assert calls.count(3001) == 1
    extra = [f for f in report.warnings if f.code == "extra-label"]
    assert len(extra) == 3000 and extra[0].column == 2
    assert report.rows == 1


# --- ODS uploads: markup, cell text, repeats, blank rows, sheets -----------------------

MIB = 1 << 20
HEADER_ROW = h.ods_row("annee")


def read_all(path: Path, budget: reading.Budget | None = None, sheet: str | None = None) -> list:
    """Every data row of ``path`` read within ``budget`` (the default one if None)."""
    with reading.limits(budget or reading.Budget()):
        return [cells for _n, cells in reading.read_rows(path, sheet).rows]


def traced_peak_mb(func) -> float:
    """The peak of what Python's allocator (expat's buffers included) held while ``func``
    ran, in MB."""
    import tracemalloc

    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1] / MIB
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    "markup",
    [
        '<table:table-cell office:string-value="{}"/>',  # an attribute
        "<!--{}-->",  # a comment
        "<x{}/>",  # an element's name
        "<?pi {}?>",  # a processing instruction
    ],
)
def test_markup_longer_than_a_cell_is_refused_before_expat_holds_it(tmp_path, markup):
    """400 KB zipped of ``<x a="aaa…`` held a worker of the page a whole minute (expat
    scans an unfinished tag again with every chunk) and more memory with every second;
    3M attributes in one tag (7 MB) took 950 MB. One piece of markup may be as long as a
    cell, no longer."""
    filler = markup.format("a" * (8 * MIB))
    row = f"<table:table-row>{filler}</table:table-row>"
    path = h.ods_stream(tmp_path / "balise.ods", h.ods_table([HEADER_ROW, row, h.ods_row("1")]))
    assert path.stat().st_size < 50_000
    small = reading.Budget(max_cell_bytes=64 * 1024)
    refused = pytest.raises(InputError, match=r"une balise XML .* de plus de 64 Kio")

    def read() -> None:
        with refused:
            read_all(path, small)

    assert traced_peak_mb(read) < 4  # expat held the 8 MB whole, twice over


def test_an_xlsx_tag_longer_than_a_cell_is_refused_too(tmp_path):
    head, _rows, tail = h.sheet()
    row = (
        '<row r="1"><c r="A1" t="inlineStr" x="' + "a" * (4 * MIB) + '"><is><t>a</t></is></c></row>'
    )
    path = h.xlsx(tmp_path / "balise.xlsx", [head, row, tail])
    with pytest.raises(InputError, match=r"« xl/worksheets/sheet1\.xml » .* balise XML"):
        read_all(path, reading.Budget(max_cell_bytes=64 * 1024))


def test_an_encoding_expat_cannot_read_is_a_sentence(tmp_path):
    """``<?xml … encoding="x-martien"?>`` in content.xml made the page answer 500
    (LookupError; ValueError for a multi-byte one): pyexpat asks Python's codecs, and
    lets their error out of the parse. A single-byte one it reads is still read."""
    content = "".join(h.ods_table([HEADER_ROW, h.ods_row("Société")]))
    for encoding in ("x-martien", "EUC-JP", "UTF-7"):
        declared = content.replace('encoding="UTF-8"', f'encoding="{encoding}"')
        path = h.ods_stream(tmp_path / "encodage.ods", [declared])
        with pytest.raises(InputError, match=f"encodage « {encoding} » non pris en charge"):
            reading.detect(path)
    declared = content.replace('encoding="UTF-8"', 'encoding="windows-1252"')
    path = h.ods_stream(tmp_path / "cp1252.ods", [declared.encode("cp1252")])
    assert read_all(path) == [["Société"]]


def test_empty_paragraphs_count_toward_a_cell_s_length(tmp_path):
    """875 KB zipped of empty ``<text:p/>`` in one cell held 3.5 GB (a list per
    paragraph, none counted against the cell's length): each is a line end."""
    cell = '<table:table-cell office:value-type="string">{}</table:table-cell>'
    paragraphs = [cell.format("<text:p/>" * 300_000)]
    path = h.ods_stream(
        tmp_path / "paragraphes.ods",
        h.ods_table([HEADER_ROW, "<table:table-row>", *paragraphs, "</table:table-row>"]),
    )
    with pytest.raises(InputError, match="une cellule dépasse 65536 caractères"):
        read_all(path, reading.Budget(max_cell_bytes=64 * 1024))
    few = cell.format("<text:p>a</text:p><text:p/><text:p>b</text:p>")
    path = h.ods(tmp_path / "trois.ods", HEADER_ROW + f"<table:table-row>{few}</table:table-row>")
    assert read_all(path) == [["a\n\nb"]]


def test_a_cell_too_long_is_said_alike_in_xlsx_and_ods(tmp_path):
    """The XLSX and ODS readers each wrote their own copy of the sentence refusing a cell
    longer than ``max_cell_bytes`` (reading/xmlstream.py ``cell_too_long`` now): the same
    words, French and English, whichever format the workbook comes in."""
    long = "fictif " * 20
    row = f'<row r="2"><c r="A2" t="inlineStr"><is><t>{long}</t></is></c></row>'
    head = '<row r="1"><c r="A1" t="inlineStr"><is><t>annee</t></is></c></row>'
    workbooks = {
        "xlsx": h.xlsx(tmp_path / "long.xlsx", h.sheet(head + row)),
        "ods": h.ods(tmp_path / "long.ods", HEADER_ROW + h.ods_row(long)),
    }
    said = {}
    for fmt, path in workbooks.items():
        with pytest.raises(InputError) as caught:
            read_all(path, reading.Budget(max_cell_bytes=100))
        said[fmt] = (
            str(caught.value).split(" : ", 1)[1],
            caught.value.text("en").split(": ", 1)[1],
        )
    assert said["xlsx"][0].endswith("une cellule dépasse 100 caractères.")
    assert said["xlsx"][1].endswith("a cell exceeds 100 characters.")
    assert said["xlsx"] == said["ods"]


def test_spaces_of_text_s_are_read_whole_or_refused(tmp_path):
    """``<text:s text:c="70000"/>`` was cut to 65,536 spaces, silently; a billion of them
    are a cell longer than any, refused."""
    spaces = '<table:table-cell office:value-type="string"><text:p>a<text:s text:c="{}"/>b</text:p></table:table-cell>'
    path = h.ods(
        tmp_path / "espaces.ods",
        HEADER_ROW + f"<table:table-row>{spaces.format(70_000)}</table:table-row>",
    )
    assert read_all(path) == [["a" + " " * 70_000 + "b"]]
    path = h.ods(
        tmp_path / "milliard.ods",
        HEADER_ROW + f"<table:table-row>{spaces.format(10**9)}</table:table-row>",
    )
    with pytest.raises(InputError, match="une cellule dépasse"):
        read_all(path)


def _shared_xlsx(path: Path, text: str, uses: int) -> Path:
    """An XLSX whose ``uses`` cells all show one shared string ``text``."""
    head, _rows, tail = h.sheet()
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>annee</t></is></c></row>' + "".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(2, uses + 2)
    )
    h.xlsx(path, [head, rows, tail])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/sharedStrings.xml", f"<sst {h.NS}><si><t>{text}</t></si></sst>")
    return path


def _repeated(tmp_path: Path, how: str, uses: int) -> Path:
    """A workbook that makes ``uses`` copies of one 100 KB text, ``how``."""
    text = "x" * 100_000
    if how == "xlsx-shared":
        return _shared_xlsx(tmp_path / "partage.xlsx", text, uses)
    if how == "ods-rows":
        rows = [HEADER_ROW, h.ods_row(text, repeat=uses)]
    elif how == "ods-columns":
        columns = f'table:number-columns-repeated="{uses}"'
        rows = [h.ods_row("annee", attrs=columns), h.ods_row(text, attrs=columns)]
    else:  # ods-spaces: 30 bytes of ``text:s`` for 100,000 spaces, in each row
        spaces = f'<text:p>a<text:s text:c="{len(text)}"/></text:p>'
        cell = f'<table:table-cell office:value-type="string">{spaces}</table:table-cell>'
        rows = [HEADER_ROW, f"<table:table-row>{cell}</table:table-row>" * uses]
    return h.ods_stream(tmp_path / f"{how}.ods", h.ods_table(rows))


@pytest.mark.parametrize("how", ["ods-rows", "ods-columns", "ods-spaces", "xlsx-shared"])
def test_text_built_by_repeats_is_counted_against_the_budget(tmp_path, how):
    """2 KB of ODS repeating a 1 MB cell over 3,000 rows peaked at 6 GB on the page, and
    over 16,384 columns, or 17 KB of XLSX using a 1 MB shared string 3,000 times, took
    the server down: references cost nothing, polars copies each. What repeats build is
    held to ``max_entry_bytes``, as the XML they come from."""
    small = reading.Budget(max_entry_bytes=4 * MIB)
    assert _repeated(tmp_path, how, 100).stat().st_size < 50_000
    with pytest.raises(InputError, match=r"répète ou partage des valeurs .* plus de 4 Mio"):
        read_all(_repeated(tmp_path, how, 100), small)
    rows = read_all(_repeated(tmp_path, how, 30), small)  # 3 MB: within the budget
    assert sum(len(c) for row in rows for c in row) >= 3_000_000


@pytest.mark.parametrize("how", ["ods-rows", "ods-columns", "xlsx-shared"])
def test_cells_longer_than_a_spreadsheet_holds_are_reused_within_their_own_budget(tmp_path, how):
    """Sweep 8: 18 KB of XLSX using one 16 MB shared string 120 times (1.9 GB, within the
    2 GB of ``max_entry_bytes``) made ``fix`` write 1.9 GB at 3.6 GB of memory. Cells
    longer than a spreadsheet holds (32,767 characters; these are 100,000) are reused
    within ``max_long_repeats``; ordinary cells, shorter, do not count there."""
    tight = reading.Budget(max_long_repeats=4 * MIB)
    with pytest.raises(InputError, match=r"reprend des cellules de plus de 32767 caractères"):
        read_all(_repeated(tmp_path, how, 100), tight)
    rows = read_all(_repeated(tmp_path, how, 30), tight)  # 3 MB: within the budget
    assert sum(len(c) for row in rows for c in row) >= 3_000_000
    short = reading.Budget(max_long_repeats=4 * MIB, long_cell_chars=200_000)
    assert read_all(_repeated(tmp_path, how, 100), short)  # not long: only the 2 GB count


def test_blank_rows_are_counted_not_kept(tmp_path):
    """8M empty rows (1.2 MB zipped) held 1.1 GB below a table: each was kept, in case a
    filled row came after. Beyond ``max_blank_rows`` one would be refused anyway: they are
    counted, not kept."""
    blank = "<table:table-row><table:table-cell/></table:table-row>"
    rows = [HEADER_ROW, h.ods_row("1"), blank * 200_000]
    path = h.ods_stream(tmp_path / "vides.ods", h.ods_table(rows))
    few = reading.Budget(max_blank_rows=1000)
    found: list = []
    peak = traced_peak_mb(lambda: found.extend(read_all(path, few)))
    assert found == [["1"]]
    assert peak < 8  # 200,000 runs kept: 25 MB
    after = h.ods_stream(tmp_path / "apres.ods", h.ods_table([*rows, h.ods_row("2")]))
    with pytest.raises(InputError, match="plus de 1000 lignes vides avant sa ligne 200003"):
        read_all(after, few)


def test_a_sheet_s_batches_are_cut_by_their_text(tmp_path, monkeypatch):
    """480 rows of a 1 MB cell were one batch: 1 GB held as Python strings and polars
    columns at once. A spreadsheet's batch is cut by its text too."""
    from moisinno_data.reading import batches

    monkeypatch.setattr(batches, "BATCH_TEXT", 10_000)
    path = h.ods(tmp_path / "longues.ods", HEADER_ROW + h.ods_row("x" * 3000) * 20)
    detected = reading.detect(path)
    sizes = [len(b.rows) for b in batches.iter_batches(path, detected, 1)]
    assert sizes == [4] * 5


def test_thousands_of_sheets_are_refused_and_a_missing_one_names_twenty(tmp_path):
    """1 MB zipped of ``<table:table table:name="a"/>`` names 16M sheets: 400 MB held and
    a 48 MB sentence when the sheet asked for was not among them."""
    tables = "".join(f'<table:table table:name="F{i}"/>' for i in range(60))
    path = h.ods_stream(tmp_path / "feuilles.ods", [h.ODS_HEAD, tables, h.ODS_TAIL])
    with pytest.raises(InputError, match="le classeur a plus de 50 feuilles"):
        read_all(path, reading.Budget(max_sheets=50), sheet="absente")
    names = ", ".join(f"F{i}" for i in range(20))
    with pytest.raises(InputError, match=f"feuilles présentes : {names} et 40 autres\\.$"):
        read_all(path, sheet="absente")


MANIFEST = (
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="{}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{}'
    "</manifest:file-entry></manifest:manifest>"
)


def test_a_password_protected_ods_is_said_to_be_one(tmp_path):
    """Its scrambled ``content.xml`` read as « XML invalide, ligne 1 »."""
    encryption = (
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x">'
        '<manifest:algorithm manifest:algorithm-name="Blowfish CFB"/></manifest:encryption-data>'
    )
    manifest = MANIFEST.format(h.ODS_MIME, encryption)
    path = h.ods_stream(tmp_path / "secret.ods", [os.urandom(4000)], manifest=manifest)
    with pytest.raises(InputError, match="classeur protégé par un mot de passe"):
        reading.detect(path)


def test_an_ods_template_is_read_as_the_spreadsheet_it_is(tmp_path):
    """A ``.ots`` was refused as « document OpenDocument qui n'est pas un tableur »."""
    path = h.ods(
        tmp_path / "modele.ots",
        HEADER_ROW + h.ods_row("2024"),
        mimetype=b"application/vnd.oasis.opendocument.spreadsheet-template",
    )
    assert read_all(path) == [["2024"]]


def _label_in_xfd(tmp_path: Path, rows: int) -> Path:
    """A two-column table whose header has one more label, typed in XFD1."""
    header = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>annee</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>titre</t></is></c>'
        '<c r="XFD1" t="inlineStr"><is><t>note</t></is></c></row>'
    )
    body = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{2000 + r}</t></is></c>'
        f'<c r="B{r}" t="inlineStr"><is><t>t{r}</t></is></c></row>'
        for r in range(2, rows + 2)
    )
    return h.xlsx(tmp_path / "note.xlsx", h.sheet(header + body, dimension=f"A1:XFD{rows + 1}"))


def test_rows_under_a_label_in_xfd_are_not_built_16384_cells_wide(tmp_path):
    """Under a label typed in XFD1 a few rows are read (many are refused, above), but
    each was built 16,384 cells wide and every cell looked at in Python: 13 s of CPU for
    1,000 rows. The engine's rows stay as short as the sheet's; the columns past them are
    one empty value each, as wide a frame as before."""
    from moisinno_data.reading.sheets import sheet_rows

    path = _label_in_xfd(tmp_path, 300)
    detected = reading.detect(path)
    rows = sheet_rows(path, "xlsx", detected["sheet"], reading.DEFAULT_BUDGET, padded=False)
    assert [len(cells) for cells in rows][:3] == [16384, 2, 2]
    batches = list(reading.iter_batches(path, detected, 16384))
    assert sum(b.frame.height for b in batches) == 300
    frame = batches[0].frame
    assert frame.width == 16384 and frame.row(0)[:3] == ("2002", "t2", "")
    assert set(frame.row(0)[2:]) == {""} and not any(b.extra for b in batches)


def test_a_label_in_xfd_is_one_span_of_unnamed_columns_in_the_text_report(tmp_path):
    """The 16,381 unnamed columns before a label typed in XFD1 are 16,381 blank-label
    findings, as frictionless reads such a header (the JSON lists them all); the text
    report listed 200 of them, 600 lines. It says the span in one line, the hint once."""
    from moisinno_data.report.text import render_text
    from moisinno_data.validation import validate

    path = _label_in_xfd(tmp_path, 5)
    schema = {"name": "fictif", "fields": [{"name": "annee"}, {"name": "titre"}]}
    report = validate(path, schema=schema)
    assert report.error_count == 16381 and report.rows == 5
    text = render_text(report, max_per_kind=200)
    assert "  ligne 1, colonnes C à XFC (16381 colonnes)\n" in text
    assert text.count("Donnez un nom à la colonne") == 1 and len(text.splitlines()) < 40
    short = tmp_path / "court.csv"  # a few: listed one by one, as ever
    short.write_text("annee,,titre,\n2001,,a,\n", encoding="utf-8")
    text = render_text(validate(short, schema=schema), max_per_kind=200)
    assert "ligne 1, colonne B\n" in text and "ligne 1, colonne D\n" in text


def test_rows_under_a_label_in_xfd_are_shown_by_their_named_and_filled_columns(tmp_path):
    """The HTML report (and the web page) showed each offending row under a label typed
    in XFD1 as 16,384 cells: 1,000 rows made a 74 MB page, built in 67 s and 3 GB. The
    rows are read as short as the sheet's, and the table shows the columns named or
    holding a value, each under its letter."""
    from moisinno_data.report import render
    from moisinno_data.report.samples import attach_samples
    from moisinno_data.validation import validate

    path = _label_in_xfd(tmp_path, 300)
    fields = [{"name": "annee"}, {"name": "titre", "type": "integer"}]
    report = validate(path, schema={"name": "fictif", "fields": fields})
    attach_samples(report, path)
    assert len(report.samples) == 300 and {len(c) for c in report.samples.values()} == {2}
    page = render(report, "html")
    assert '<th title="XFD">note</th>' in page and page.count("<th title=") == 3
    rows = page[page.index('<div class="rows">') :]
    assert rows.count("<td") == 3 * 300
