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


def test_a_cell_at_xfd1048576_is_refused_from_the_declared_dimension(tmp_path):
    path = h.xlsx_far_cell(tmp_path / "loin.xlsx")
    assert path.stat().st_size < 5000
    assert_refused(path, "XFD1048576", "1048576 lignes")


def test_a_far_cell_without_dimension_is_a_sparse_sheet(tmp_path):
    assert_refused(h.xlsx_far_cell(tmp_path / "creuse.xlsx", dimension=False), "creuse")


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
