"""Bytes told honestly: mixed encodings, control and lost characters, overlong cells.

Real messy input: ``fixtures/irve-statique-exemple-invalide.csv`` is an excerpt (header and
three rows) of ``statique/exemple-invalide-statique.csv`` from github.com/etalab/schema-irve
(Licence Ouverte 2.0), a UTF-8 file with accents and quoted JSON arrays; the tests damage
copies of it the way office software and bad exports do.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from conftest import run_cli as cli
from hypothesis import given, settings
from hypothesis import strategies as st

from moisinno_data import reading
from moisinno_data.validation import validate

IRVE = Path(__file__).parent / "fixtures" / "irve-statique-exemple-invalide.csv"


def irve_schema() -> dict:
    header = IRVE.read_text(encoding="utf-8").splitlines()[0].split(",")
    return {"name": "irve-fictif", "fields": [{"name": h, "type": "string"} for h in header]}


def irve_lines() -> list[bytes]:
    return IRVE.read_bytes().splitlines(keepends=True)


def codes(report) -> list[tuple[str, int | None, int | None]]:
    return [(f.code, f.line, f.column) for f in report.errors + report.warnings]


def test_real_file_reads_clean():
    report = validate(IRVE, schema=irve_schema())
    assert report.detected["encoding"] == "utf-8" and report.rows == 3
    assert codes(report) == []


def test_utf8_file_with_one_windows_1252_line_is_an_encoding_error(tmp_path):
    lines = irve_lines()
    lines[2] = lines[2].decode("utf-8").encode("cp1252")  # physical line 3
    path = tmp_path / "melange.csv"
    path.write_bytes(b"".join(lines))
    report = validate(path, schema=irve_schema())
    assert report.detected["encoding"] == "utf-8"  # never re-read whole as Windows-1252
    (error,) = [f for f in report.errors if f.code == "encoding-error"]
    assert error.params["lines"] == [3] and error.params["count"] == 1 and error.line == 3
    assert "UTF-8" in error.hint
    # The line is still checked, decoded as what it is: no mojibake, no U+FFFD.
    rows = list(reading.read_rows(path).rows)
    assert rows[1][1][3] == "Société Y" and rows[0][1][3] == "Société Y"
    out = cli("validate", str(path), "--schema", str(_write_schema(tmp_path)))
    assert out.returncode == 1 and "encoding-error" in out.stdout


def _write_schema(tmp_path: Path) -> Path:
    import json

    path = tmp_path / "schema.json"
    path.write_text(json.dumps(irve_schema()), encoding="utf-8")
    return path


def test_late_windows_1252_line_after_the_sample(tmp_path, monkeypatch):
    monkeypatch.setattr(reading.sniff, "SAMPLE_BYTES", 64)
    lines = irve_lines()
    lines.append(lines[3].decode("utf-8").encode("cp1252"))  # physical line 5
    path = tmp_path / "tardif.csv"
    path.write_bytes(b"".join(lines))
    report = validate(path, schema=irve_schema())
    assert report.detected["encoding"] == "utf-8"
    assert [f.params["lines"] for f in report.errors if f.code == "encoding-error"] == [[5]]


def test_pure_windows_1252_still_reads_as_windows_1252(tmp_path):
    path = tmp_path / "cp1252.csv"
    path.write_bytes(IRVE.read_text(encoding="utf-8").encode("cp1252"))
    report = validate(path, schema=irve_schema())
    assert report.detected["encoding"] == "windows-1252"
    assert codes(report) == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_unicode_files_still_read(tmp_path, encoding):
    path = tmp_path / "unicode.csv"
    path.write_bytes(IRVE.read_text(encoding="utf-8").encode(encoding))
    assert codes(validate(path, schema=irve_schema())) == []


def test_nul_after_4_kb_and_control_characters_are_errors_with_their_place(tmp_path):
    lines = irve_lines()
    filler = [lines[1]] * 20  # pushes the damaged rows past the first 4 KB
    damaged = lines[2].replace(b"Station Bartenheim", b"Station\x00Bartenheim", 1)
    escape = lines[3].replace(b"Direct", b"Direct\x1b[31m", 1)
    c1 = lines[3].replace("Accès libre".encode(), "Accès\u0085libre".encode(), 1)
    path = tmp_path / "controle.csv"
    path.write_bytes(b"".join([lines[0], *filler, damaged, escape, c1]))
    assert len(b"".join([lines[0], *filler])) > 4096
    report = validate(path, schema=irve_schema())
    found = [(f.code, f.line, f.field, f.params["char"]) for f in report.errors]
    assert found == [
        ("control-character", 22, "nom_station", "U+0000"),
        ("control-character", 23, "raccordement", "U+001B"),
        ("control-character", 24, "condition_acces", "U+0085"),
    ]
    assert "\x1b" not in report.errors[1].value and "\\x1b" in report.errors[1].value
    out = cli("validate", str(path), "--schema", str(_write_schema(tmp_path)))
    assert out.returncode == 1 and "\x1b" not in out.stdout and "\x00" not in out.stdout


def test_replacement_character_in_cell_and_header_is_a_warning(tmp_path):
    text = IRVE.read_text(encoding="utf-8").replace("Société", "Soci\ufffdt\ufffd", 1)
    text = text.replace("nom_enseigne", "nom_ens\ufffdigne", 1)
    path = tmp_path / "perdu.csv"
    path.write_text(text, encoding="utf-8")
    report = validate(path, schema=irve_schema())
    found = [(f.code, f.row, f.column) for f in report.warnings if "replacement" in f.code]
    assert found == [("replacement-character", 1, 7), ("replacement-character", 2, 4)]
    assert report.warnings[0].severity == "warning"


@pytest.mark.parametrize("length", [131_073, 3 << 20])
def test_overlong_cell_is_a_finding_and_the_rest_is_checked(tmp_path, length):
    lines = irve_lines()
    long_row = lines[2].replace(b",,2021-04-05", b"," + b"x" * length + b",2021-04-05", 1)
    path = tmp_path / "long.csv"
    path.write_bytes(b"".join([lines[0], lines[1], long_row, lines[3]]))
    schema = irve_schema()
    schema["fields"][1]["constraints"] = {"pattern": "[0-9]{9}"}
    report = validate(path, schema=schema)
    (long,) = [f for f in report.errors if f.code == "cell-too-long"]
    assert (long.line, long.column, long.field) == (3, 62, "observations")
    assert long.params["length"] == length and len(long.value) < 200
    assert report.rows == 3
    # read_rows (fix, consolidate) reads it too.
    assert [len(r[61]) for _n, r in reading.read_rows(path).rows] == [0, length, 0]


def test_codec_of_mixed_files_is_registered():
    assert codecs.lookup(reading.sniff.MIXED).name == reading.sniff.MIXED
    assert b"caf\xe9 caf\xc3\xa9".decode(reading.sniff.MIXED) == "café café"


def test_a_lone_del_byte_is_a_control_character(tmp_path):
    """DEL (0x7F) sits between the C0 and C1 ranges: the column scan must not skip it."""
    lines = irve_lines()
    damaged = lines[2].replace(b"Station Bartenheim", b"Station\x7fBartenheim", 1)
    path = tmp_path / "del.csv"
    path.write_bytes(b"".join([lines[0], lines[1], damaged]))
    report = validate(path, schema=irve_schema())
    found = [(f.code, f.line, f.field, f.params["char"]) for f in report.errors]
    assert found == [("control-character", 3, "nom_station", "U+007F")]


@pytest.mark.parametrize("scan_bytes", [7, 64, 1 << 20])
def test_whole_file_scan_lists_exactly_the_lines_that_are_not_utf8(
    tmp_path, monkeypatch, scan_bytes
):
    """The full scan (``detect``, ``fix``, ``consolidate``) finds each bad line wherever it
    falls: after good accented lines of the same chunk, across chunk ends, several in a row.
    Expected: the lines Python's strict UTF-8 decoder refuses, one by one."""
    monkeypatch.setattr(reading.sniff, "SCAN_BYTES", scan_bytes)
    lines = irve_lines()
    body = lines[1:]
    rows = [lines[0]]
    for i in range(40):
        line = body[i % len(body)]
        rows.append(line.decode("utf-8").encode("cp1252") if i % 7 in (3, 4) else line)
    path = tmp_path / "melange-fictif.csv"
    path.write_bytes(b"".join(rows))
    expected = []
    for number, raw in enumerate(rows, start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            expected.append(number)
    assert expected  # the file really mixes encodings
    encoding, errors = reading.sniff.classify(path, b"")
    assert encoding == "utf-8"
    assert errors == {"lines": expected, "count": len(expected)}


def _byte_by_byte(data: bytes) -> str:
    """The mixed codec's reference: each byte that is not UTF-8 read alone as
    Windows-1252 (its undefined bytes as Latin-1)."""
    undefined = reading.sniff.CP1252_UNDEFINED

    def one(exc: UnicodeError) -> tuple[str, int]:
        assert isinstance(exc, UnicodeDecodeError)
        bad = exc.object[exc.start : exc.end]
        return "".join(
            bytes([b]).decode("latin-1" if b in undefined else "cp1252") for b in bad
        ), exc.end

    codecs.register_error("test-byte-by-byte", one)
    return data.decode("utf-8", "test-byte-by-byte")


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *(b"a", b"\n", b"\xe9", b"\x81", b"\x80", b"\xc3", b"\xc3\xa9", b"\xe2\x82\xac"),
                *(
                    b"\xf0\x9f\x98\x80",
                    b"\xed\xa0\x80",
                    b"\xf4\x90\x80\x80",
                    b"\xe0\x80",
                    b"\xf0\x8f",
                ),
            ]
        ),
        max_size=30,
    ),
    st.integers(min_value=0, max_value=120),
)
def test_the_mixed_codec_reads_runs_of_bad_bytes_as_it_reads_them_one_by_one(parts, cut):
    """Runs of bytes that are not UTF-8 are read in one call of the error handler (one call
    per byte: a cell of a million of them took 30 s), to the same text, whole or in two
    pieces cut anywhere (a character may straddle them)."""
    data = b"".join(parts)
    cut = min(cut, len(data))
    expected = _byte_by_byte(data)
    assert data.decode(reading.sniff.MIXED) == expected
    decoder = codecs.getincrementaldecoder(reading.sniff.MIXED)()
    assert decoder.decode(data[:cut]) + decoder.decode(data[cut:], final=True) == expected


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from([b"a,b", b"\n", b"\xc3\xa9", b"\xe9", b"\x81", b"\xe2\x82\xac", b"\xc3"]),
        max_size=60,
    ),
    st.sampled_from([3, 7, 16, 1 << 20]),
)
def test_the_whole_file_scan_finds_the_same_with_its_fast_path(parts, scan_bytes):
    """Lines that are ASCII or UTF-8 are passed by pyarrow's check, not decoded: the
    encoding and the lines found are those of the line-by-line search, whatever the
    chunk size (a character or a line across chunk ends)."""
    import tempfile
    from pathlib import Path
    from unittest import mock

    data = b"".join(parts)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "octets.csv"
        path.write_bytes(data)
        with mock.patch.object(reading.sniff, "SCAN_BYTES", scan_bytes):
            fast = reading.sniff.classify(path, b"")
            with mock.patch.object(reading.sniff, "_is_utf8", lambda _data: False):
                slow = reading.sniff.classify(path, b"")
    assert fast == slow


def test_a_utf16_mark_before_other_bytes_says_what_to_do_without_python_s_words(tmp_path):
    """A UTF-16 mark (FF FE) before text in UTF-8: Python's reason ("'utf-16-le' codec
    can't decode byte 0x0a…") told nothing; the message says how to save the file."""
    from moisinno_data.errors import InputError

    path = tmp_path / "colle.csv"
    path.write_bytes(b"\xff\xfeannee,numero\n2020,1\n2021,2\n")
    with pytest.raises(InputError) as refused:
        validate(path, "editions")
    said = str(refused.value)
    assert "d'un bout à l'autre" in said and "CSV UTF-8" in said
    assert "codec" not in said and "position" not in said
    # Sweep 8: fix and consolidate read the header apart, and still said Python's words.
    with pytest.raises(InputError) as refused:
        reading.read_rows(path)
    assert "d'un bout à l'autre" in str(refused.value) and "codec" not in str(refused.value)


def test_a_path_the_system_refuses_is_said_in_the_report_s_language(tmp_path):
    """The system's reason (``strerror``) is in its own language: a loop of symbolic
    links said « lecture impossible (Too many levels of symbolic links) »."""
    from moisinno_data.errors import InputError

    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    with pytest.raises(InputError) as refused:
        validate(tmp_path / "a.csv", "editions")
    assert "lecture impossible (liens symboliques en boucle)" in str(refused.value)
    assert "(symbolic links in a loop)" in refused.value.text("en")
