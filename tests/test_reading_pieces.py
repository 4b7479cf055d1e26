"""A big CSV read in pieces on two cores gives exactly what one reader gives.

The pieces path (``csv_arrow._pieces``) numbers each piece's records before parsing it,
from the lines before it; these tests shrink the pieces to a few bytes so that every file
here is cut many times, at blank lines, ragged rows, CRLF and lone CR line ends, non-ASCII
cells, and hands over to one reader at the first quote.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from moisinno_data import reading
from moisinno_data.reading import csv_arrow
from moisinno_data.validation import validate


def _records(path: Path, batch_rows: int = 7) -> dict:
    """Everything the batches say, by record number; or the exception that sends the file
    back to detection (the engine reads it again then)."""
    detected = reading.detect(path)
    ncols = len(reading.read_header(path, detected)[0])
    try:
        return _read(path, detected, ncols, batch_rows)
    except (reading.Reencode, reading.UsePythonParser) as exc:
        return {"raised": type(exc).__name__}


def _read(path: Path, detected: dict, ncols: int, batch_rows: int) -> dict:
    out: dict = {"rows": {}, "extra": [], "marks": [], "nbytes": []}
    for batch in reading.iter_batches(path, detected, ncols, batch_rows=batch_rows):
        for row, line, cells in zip(batch.rows, batch.lines, batch.frame.iter_rows(), strict=True):
            assert int(row) not in out["rows"]
            out["rows"][int(row)] = (int(line), cells)
        out["extra"] += batch.extra
        out["marks"] += [(m[0], m[1], m[2], m[3], sorted(m[4].items())) for m in batch.marks]
        out["nbytes"].append(batch.nbytes)
    out["marks"].sort()
    out["extra"].sort()
    return out


@pytest.fixture
def in_pieces(monkeypatch):
    """Read every file in pieces of ``size`` bytes (0: with one reader, as small files are)."""

    def set_size(size: int) -> None:
        if size:
            monkeypatch.setattr(csv_arrow, "PIECE_BYTES", size)
            monkeypatch.setattr(csv_arrow, "PARALLEL_BYTES", 0)
        else:
            monkeypatch.setattr(csv_arrow, "PARALLEL_BYTES", 1 << 62)

    return set_size


def _both(path: Path, in_pieces, size: int) -> tuple[dict, dict]:
    in_pieces(0)
    one = _records(path)
    in_pieces(size)
    pieces = _records(path)
    assert pieces["nbytes"] == sorted(pieces["nbytes"])  # the progress bar only moves on
    del one["nbytes"], pieces["nbytes"]
    return one, pieces


_CELL = st.sampled_from(["", "a", "1", "é", "x y", "2020-11-17", "\t", "€uro"])
_QUOTED = st.sampled_from(
    ['"a,b"', '"x\ny"', '"x\r\ny"', '"dit ""oui"""', 'ab"c', '"ab"c', '"', '""', '"\n"']
)
_ROW = st.lists(_CELL, min_size=0, max_size=5)
_END = st.sampled_from(["\n", "\r\n", "\r"])


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.tuples(_ROW, _END), min_size=1, max_size=40),
    size=st.integers(min_value=4, max_value=90),
    quotes=st.lists(st.tuples(st.integers(min_value=0, max_value=39), _QUOTED), max_size=4),
    last_end=st.booleans(),
    encoding=st.sampled_from(["utf-8", "cp1252"]),
)
def test_pieces_give_what_one_reader_gives(rows, size, quotes, last_end, encoding):
    """Quoted cells, quoted line ends, doubled quotes, stray and unclosed quotes: cut
    anywhere, the pieces must give exactly what one reader gives."""
    lines = ["id,nom,date"]
    extra = dict(quotes)
    for i, (cells, end) in enumerate(rows):
        if i in extra:
            cells = [*cells, extra[i]]
        lines.append(",".join(cells) + end)
    text = "id,nom,date\n" + "".join(lines[1:])
    if not last_end:
        text = text.rstrip("\r\n")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "morceaux-fictifs.csv"
        path.write_bytes(text.encode(encoding))
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(csv_arrow, "PARALLEL_BYTES", 1 << 62)
            one = _records(path)
            mp.setattr(csv_arrow, "PIECE_BYTES", size)
            mp.setattr(csv_arrow, "PARALLEL_BYTES", 0)
            pieces = _records(path)
    nbytes = pieces.pop("nbytes", [])
    one.pop("nbytes", None)
    assert pieces == one
    assert nbytes == sorted(nbytes)


def test_quoted_line_ends_shift_the_lines_of_the_pieces_after(tmp_path, in_pieces):
    body = "".join(f"{i},ligne fictive {i}\n" for i in range(200))
    body += '999,"une cellule\nsur deux lignes"\n' + "".join(f"{i},après\n" for i in range(50))
    path = tmp_path / "guillemets-tardifs.csv"
    path.write_text("id,nom\n" + body, encoding="utf-8")
    one, pieces = _both(path, in_pieces, 64)
    assert pieces == one
    assert pieces["rows"][202] == (202, ("999", "une cellule\nsur deux lignes"))
    assert pieces["rows"][203][0] == 204  # the quoted newline shifts the lines after it
    assert pieces["rows"][252][0] == 253


def test_a_stray_quote_hands_over_to_one_reader(tmp_path, in_pieces, monkeypatch):
    """A quote inside an unquoted cell is text for pyarrow but throws the quote count off:
    the pieces after it would start inside a cell. The piece's own parse notices it."""
    body = "".join(f'{i},"cellule {i}, citée"\n' for i in range(100))
    body += '100,il a dit "oui\n' + "".join(f'{i},"cellule, {i}"\n' for i in range(101, 300))
    path = tmp_path / "guillemet-perdu.csv"
    path.write_text("id,nom\n" + body, encoding="utf-8")
    from moisinno_data.reading import csv_arrow as module

    resumed = []
    original = module._ArrowCsv.__init__

    def spy(self, path, detected, ncols, header_lines, budget, span, *rest):
        if span.data is None:
            resumed.append(span.first_record)
        original(self, path, detected, ncols, header_lines, budget, span, *rest)

    one, _ = _both(path, in_pieces, 0)  # one reader
    monkeypatch.setattr(module._ArrowCsv, "__init__", spy)
    _, pieces = _both(path, in_pieces, 256)
    assert pieces == one
    assert resumed and resumed[0] <= 102  # one reader took over at or before the stray quote
    assert pieces["rows"][102] == (102, ("100", 'il a dit "oui'))


def test_invalid_utf8_in_a_later_piece_is_read_again_the_same_way(tmp_path, in_pieces):
    lines = ["id,nom"] + [f"{i},Création fictive" for i in range(300)]
    lines[250] = "250,Cr\xe9ation fictive"
    data = "\n".join(lines[:250]).encode() + b"\n" + "\n".join(lines[250:]).encode("cp1252")
    path = tmp_path / "octets-melanges.csv"
    path.write_bytes(data + b"\n")
    in_pieces(0)
    one = validate(path, schema=_schema()).to_dict()
    in_pieces(128)
    pieces = validate(path, schema=_schema()).to_dict()
    assert pieces == one
    assert any(f["code"] == "encoding-error" for f in pieces["errors"])


def _schema() -> dict:
    return {
        "name": "fictif",
        "fields": [
            {"name": "id", "type": "integer", "constraints": {"unique": True}},
            {"name": "nom", "type": "string", "constraints": {"pattern": "[A-Z].*"}},
        ],
        "primaryKey": ["id"],
    }


def test_validation_in_pieces_gives_the_same_report(tmp_path, in_pieces):
    rng = np.random.default_rng(20201117)
    lines = ["id,nom"]
    for i in range(3000):
        kind = rng.integers(12)
        if kind == 0:
            lines.append("")  # blank row
        elif kind == 1:
            lines.append(f"{i}")  # short row
        elif kind == 2:
            lines.append(f"{i},Nom fictif,en trop")  # long row
        elif kind == 3:
            lines.append(f"{i // 2},nom fictif")  # duplicate key, pattern miss
        else:
            lines.append(f"{i},Nom fictif {i}")
    path = tmp_path / "fictif.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    in_pieces(0)
    one = validate(path, schema=_schema()).to_dict()
    in_pieces(1000)
    pieces = validate(path, schema=_schema()).to_dict()
    assert pieces == one
    assert {f["code"] for f in one["errors"]} >= {"blank-row", "missing-cell", "extra-cell"}


def test_small_files_and_utf16_are_read_by_one_reader(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_arrow, "PARALLEL_BYTES", 10)
    path = tmp_path / "fictif.csv"
    path.write_text("id,nom\n1,Nom fictif\n", encoding="cp1252")
    assert csv_arrow._parallel(path, {"encoding": "utf-8"})
    assert csv_arrow._parallel(path, {"encoding": "windows-1252"})
    assert not csv_arrow._parallel(path, {"encoding": "utf-16"})
    assert not csv_arrow._parallel(path, {"encoding": "utf-8", "encoding_errors": 3})
    monkeypatch.setattr(csv_arrow, "PARALLEL_BYTES", 1 << 20)
    assert not csv_arrow._parallel(path, {"encoding": "utf-8"})


def test_a_cut_inside_a_quoted_cell_is_noticed_and_read_again(tmp_path, in_pieces, monkeypatch):
    """A stray quote then a quoted line end: the count says "outside" inside the cell, so
    a piece ends there; its parse ends inside the cell, and that piece is read again."""
    from moisinno_data.reading import csv_arrow as module

    rows = [f"{i},ligne {i}" for i in range(40)]
    rows[10] = '10,un "guillemet perdu'
    rows[11] = '11,"une cellule\nsur\nplusieurs\nlignes"'
    path = tmp_path / "coupe-dans-une-cellule.csv"
    path.write_text("id,nom\n" + "\n".join(rows) + "\n", encoding="utf-8")
    verdicts = []
    original = module._clean_end

    def spy(*args):
        verdicts.append(original(*args))
        return verdicts[-1]

    one, _ = _both(path, in_pieces, 0)
    monkeypatch.setattr(module, "_clean_end", spy)
    in_pieces(0)
    for size in range(150, 240, 3):
        in_pieces(size)
        pieces = _records(path)
        del pieces["nbytes"]
        assert pieces == one, size
    assert False in verdicts
    assert one["rows"][13] == (13, ("11", "une cellule\nsur\nplusieurs\nlignes"))


def test_short_lines_make_smaller_pieces(tmp_path, in_pieces, monkeypatch):
    """A piece's batches stay in memory until it is handed over, and memory goes by rows:
    once the first bytes show short lines, every piece holds about ``batch_rows`` lines,
    the first one too (8 MiB of blank lines were 8 million rows in one piece)."""
    from moisinno_data.reading import csv_arrow as module

    path = tmp_path / "codes-fictifs.csv"
    path.write_text("code\n" + "".join(f"{i % 10}\n" for i in range(20_000)), encoding="utf-8")
    sizes = []
    original = module._ArrowCsv.__init__

    def spy(self, path, detected, ncols, header_lines, budget, span, *rest):
        if span.data is not None:
            sizes.append(len(span.data))
        original(self, path, detected, ncols, header_lines, budget, span, *rest)

    one, _ = _both(path, in_pieces, 0)
    monkeypatch.setattr(module._ArrowCsv, "__init__", spy)
    _, pieces = _both(path, in_pieces, 8192)
    assert pieces == one
    assert 1000 < sizes[0] <= 8192 // 8 and 1000 < max(sizes[1:]) <= 8192 // 8  # the floor


def test_a_cut_inside_a_quoted_cell_of_a_ragged_row_is_noticed(tmp_path, in_pieces):
    """pyarrow hands a ragged row over as text without its line end: a piece ending
    inside a quoted cell of such a row must be noticed from that text."""
    rows = [f"{i},ligne {i},x" for i in range(40)]
    rows[10] = '10,un "guillemet perdu,x'
    rows[11] = '11,"une cellule\nsur\nplusieurs\nlignes"'  # two cells of three: ragged
    path = tmp_path / "coupe-dans-une-ligne-courte.csv"
    path.write_text("id,nom,autre\n" + "\n".join(rows) + "\n", encoding="utf-8")
    one, _ = _both(path, in_pieces, 0)
    for size in range(200, 330, 2):
        in_pieces(size)
        pieces = _records(path)
        del pieces["nbytes"]
        assert pieces == one, size
    assert one["rows"][13] == (13, ("11", "une cellule\nsur\nplusieurs\nlignes", None))


_EXIT_CHECK = """
import atexit, sys
from pathlib import Path
from moisinno_data import reading
from moisinno_data.reading import csv_arrow

counts = {}
# Registered first, so run last (atexit runs in reverse): after the reader's own hook.
atexit.register(lambda: print("références gagnées à la sortie :", sys.getrefcount(
    csv_arrow._RECENT_READERS[0]) - counts["après lecture"]))
path = Path(sys.argv[1])
for _batch in reading.iter_batches(path, reading.detect(path), 3, batch_rows=1000):
    pass
print("gardés après lecture :", len(csv_arrow._RECENT_READERS))
counts["après lecture"] = sys.getrefcount(csv_arrow._RECENT_READERS[0])
"""


def test_pyarrow_readers_are_never_let_go_during_shutdown(tmp_path):
    """Sweep of real spreadsheets: on a file of a header alone, ``validate`` and ``fix``
    printed their report, then aborted (« terminate called without an active
    exception », exit 134), 10 runs in 100 with four running at once: a pyarrow I/O
    thread dropped the last reference to the reader, and to our Python row handler,
    once Python was shutting down. Letting the readers go at exit from the main thread
    was not enough (8 in 100: the I/O thread can still hold one then); the last readers
    are now kept for good at exit, with a reference nothing takes back."""
    path = tmp_path / "entete-seule.csv"
    path.write_text("id,nom,commune\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _EXIT_CHECK, str(path)],
        capture_output=True, text=True, check=False, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "gardés après lecture : 1",
        "références gagnées à la sortie : 1",
    ]


def test_the_parse_uses_jemalloc_unless_the_user_chose_a_pool():
    """The pool is chosen once per process: each case runs in its own interpreter."""
    code = "from moisinno_data.reading import csv_arrow;print(csv_arrow.memory_pool().backend_name)"
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}

    def backend(**extra: str) -> str:
        out = subprocess.run(
            [sys.executable, "-c", code],
            env={**env, **extra},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip()

    assert backend() == "jemalloc"
    assert backend(ARROW_DEFAULT_MEMORY_POOL="system") == "system"


def test_a_batch_is_cut_by_its_bytes_as_well_as_its_rows(tmp_path, in_pieces, monkeypatch):
    """The time limit is checked between batches: long cells made one batch of a whole
    file (30 s of checks on the web page). Cut by bytes, the batches say the same."""
    path = tmp_path / "longues-cellules.csv"
    path.write_text(
        "id,note\n" + "".join(f"fictif-{n},{'x' * 300}\n" for n in range(40)), encoding="utf-8"
    )
    in_pieces(0)
    whole = _records(path, batch_rows=1000)
    monkeypatch.setattr(csv_arrow, "BATCH_BYTES", 2000)
    monkeypatch.setattr(reading.batches, "BLOCK_BYTES", 4096)  # parse blocks of 13 rows
    cut = _records(path, batch_rows=1000)
    assert len(whole["nbytes"]) == 1 and len(cut["nbytes"]) > 3
    del whole["nbytes"], cut["nbytes"]
    assert cut == whole and len(cut["rows"]) == 40


@pytest.mark.parametrize("end", ["\r\n", "\n", "\r"])
def test_an_excel_separator_line_is_skipped_by_every_reader(tmp_path, in_pieces, end):
    """``sep=;`` above the header (Excel's separator line, which Excel hides) is skipped by
    the header, the row iterator, one reader, the pieces and Python's parser alike: each
    reads exactly what it reads from the same file without that line, but for the
    physical lines, one further (a finding's ``line`` is where a text editor shows it)."""
    rows = [
        "id;nom;date",
        "a;Été fictif;2020",
        "",
        'b;"sur\ndeux lignes";2021',
        "c;x",
        "d;y;z;en trop",
    ]
    body = "\ufeff" + end.join(rows) + end
    plain, said = tmp_path / "sans-ligne.csv", tmp_path / "ligne-sep-fictive.csv"
    plain.write_bytes(body.encode("utf-8"))
    said.write_bytes(("\ufeffsep=;" + end + body[1:]).encode("utf-8"))
    detected = reading.detect(said)
    assert detected["delimiter"] == ";" and detected["separator_line"] == 3 + 5 + len(end)
    assert reading.read_header(said, detected) == reading.read_header(plain, reading.detect(plain))
    assert list(reading.read_rows(said).rows) == list(reading.read_rows(plain).rows)
    for size in (0, 9):
        one, pieces = _both(plain, in_pieces, size)
        assert _both(said, in_pieces, size) == (_a_line_down(one), _a_line_down(pieces))
    python = {**detected, "parser": "python"}
    assert _read(said, python, 3, 2) == _a_line_down(
        _read(plain, {**reading.detect(plain), "parser": "python"}, 3, 2)
    )


def _a_line_down(read: dict) -> dict:
    """What :func:`_read` gives, each physical line one further (rows stay: the header is
    row 1 whatever is above it, as in Excel)."""
    return {
        **read,
        "rows": {row: (line + 1, cells) for row, (line, cells) in read["rows"].items()},
        "extra": [(row, line + 1, cells) for row, line, cells in read["extra"]],
        "marks": [(k, row, line + 1, c, f) for k, row, line, c, f in read["marks"]],
    }
