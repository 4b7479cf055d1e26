"""Detect what a file is: format, encoding, delimiter or sheet — without trusting it.

Only regular files are opened (a FIFO would block forever, a device never ends). Bytes are
told honestly: a file is read as Windows-1252 only when *none* of its non-ASCII bytes form
UTF-8; a UTF-8 file with a few lines that are not is read as UTF-8, those lines decoded
as Windows-1252 so the rest is checked, and the lines are listed (``encoding_errors``) for
the report — never silently re-read whole in the wrong encoding.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
import struct
from collections import Counter
from pathlib import Path
from typing import Any

from moisinno_data.errors import InputError
from moisinno_data.fsutil import os_reason
from moisinno_data.package.spreadsheet import CSV_SEPARATORS
from moisinno_data.reading import archive
from moisinno_data.reading.archive import fail
from moisinno_data.reading.budget import Budget, current
from moisinno_data.reading.sheets import SPREADSHEET_FORMATS, pick_sheet

SAMPLE_BYTES = 1 << 20
SCAN_BYTES = 8 << 20
DELIMITERS = CSV_SEPARATORS
CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
"""Bytes that Windows-1252 leaves undefined: a file holding them is Latin-1 (ISO-8859-1)."""
MAC_ROMAN = "mac_roman"
_C1_BYTES = bytes(range(0x80, 0xA0))
_HIGH_BYTES = bytes(range(0xC0, 0x100))
_MAC_LETTERS = b"\x88\x8d\x8e\x8f\x90\x9d"
"""à, ç, é, è, ê, ù in Mac Roman; ˆ, Ž and undefined bytes in Windows-1252."""
MAX_LISTED_LINES = 1000
EIGHT_BIT_NAME = "Windows-1252"
"""What the lines of a UTF-8 file that are not UTF-8 are read as (:func:`_as_8bit`; the
five bytes it leaves undefined as Latin-1): the name validate's report and fix's list give."""
MIXED = "moisinno_utf8_mixed"
"""Codec of a UTF-8 file with some lines that are not (see the module's doc)."""
_BAD = re.compile("[\udc80-\udcff]+")
# Non-ASCII but not a surrogate, as a negated class: the positive ranges take 8 ms to compile.
_NON_ASCII_TEXT = re.compile("[^\x00-\x7f\ud800-\udfff]")
_BINARY_CONTROLS = bytes([*range(0, 9), 11, 14, *range(16, 32)])


_UTF8_CHAR = re.compile(
    rb"[\x00-\x7f]|[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
"""A character in UTF-8."""
_8BIT = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0x100) if b not in CP1252_UNDEFINED}
"""Windows-1252's characters for the bytes past ASCII (its five undefined bytes are read
as Latin-1, which keeps them)."""


def _as_8bit(exc: UnicodeError) -> tuple[str, int]:
    """A byte that is not UTF-8 read as Windows-1252 — and the bytes after it that are not
    UTF-8 either, in the same call: one call per byte took 30 µs (a cell of a million
    bytes, 30 s). The last 3 bytes of the buffer are left to the decoder: a character may
    continue in the next one."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    data, end = exc.object, exc.end
    last = len(data) - 3
    if end < last:
        found = _UTF8_CHAR.search(data, end)
        end = min(found.start(), last) if found else last
    return data[exc.start : end].decode("latin-1").translate(_8BIT), end


class _MixedDecoder(codecs.BufferedIncrementalDecoder):
    def _buffer_decode(self, data, errors, final):
        return codecs.utf_8_decode(data, "moisinno-8bit", final)


def _search(name: str) -> codecs.CodecInfo | None:
    if name != MIXED:
        return None
    return codecs.CodecInfo(
        name=MIXED,
        encode=codecs.utf_8_encode,
        decode=lambda data, errors="strict": codecs.utf_8_decode(data, "moisinno-8bit", True),
        incrementalencoder=codecs.getincrementalencoder("utf-8"),
        incrementaldecoder=_MixedDecoder,
    )


codecs.register_error("moisinno-8bit", _as_8bit)
codecs.register(_search)


def text_encoding(detected: dict[str, Any]) -> str:
    """The codec that reads the file as detected (mixed files: see the module's doc)."""
    return MIXED if detected.get("encoding_errors") else detected["encoding"]


def check_regular(path: Path) -> None:
    """Refuse what is not a regular file before opening it (no hang on a FIFO)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError(f"{path} : fichier introuvable.", en=f"{path}: file not found.") from None
    except OSError as exc:
        fr, en = os_reason(exc)
        raise InputError(
            f"{path} : lecture impossible ({fr}).", en=f"{path}: cannot be read ({en})."
        ) from None
    if stat.S_ISDIR(mode):
        raise InputError(
            f"{path} : c'est un dossier, pas un fichier.", en=f"{path}: a folder, not a file."
        )
    if not stat.S_ISREG(mode):
        raise InputError(
            f"{path} : ce n'est pas un fichier ordinaire (tube, périphérique ou socket) ; "
            "donnez le chemin d'un fichier CSV, XLSX ou ODS.",
            en=f"{path}: not a regular file (pipe, device or socket); "
            "give the path of a CSV, XLSX or ODS file.",
        )


def _sniff_format(path: Path, head: bytes, budget: Budget) -> str:
    if head.startswith(b"PK\x03\x04"):
        with archive.open_zip(path, budget) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                mime = archive.head(zf, "mimetype", 200, path).decode("ascii", "replace").strip()
                if mime in ODS_TYPES:
                    _refuse_encrypted(zf, names, path)
                    return "ods"
                raise fail(
                    path,
                    f"document OpenDocument qui n'est pas un tableur ({mime[:80]}) ; "
                    "enregistrez-le en .ods, .xlsx ou .csv.",
                    f"OpenDocument file that is not a spreadsheet ({mime[:80]}); save it as "
                    ".ods, .xlsx or .csv.",
                )
            if "xl/workbook.xml" in names or _workbook_elsewhere(zf, budget, path):
                return "xlsx"
            if "content.xml" in names and _manifest_says_ods(zf, names, path):
                _refuse_encrypted(zf, names, path)
                return "ods"
        raise fail(
            path,
            "archive ZIP qui n'est pas un classeur (attendu : .csv, .xlsx ou .ods).",
            "a ZIP archive that is not a workbook (expected: .csv, .xlsx or .ods).",
        )
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    _refuse_markup(path, head)
    return "csv"


_MARKUP = (
    (b"office:document", "classeur OpenDocument « plat » (.fods, en XML)",
     "flat OpenDocument workbook (.fods, XML)"),
    (b"urn:schemas-microsoft-com:office:spreadsheet", "classeur XML d'Excel 2003",
     "Excel 2003 XML workbook"),
    (b"<html", "page HTML (souvent un « .xls » exporté par un logiciel)",
     "HTML page (often an “.xls” exported by some software)"),
    (b"<table", "tableau HTML (souvent un « .xls » exporté par un logiciel)",
     "HTML table (often an “.xls” exported by some software)"),
)  # fmt: skip
"""Files that open in a spreadsheet but are markup, not CSV: read as CSV, they made a
table of tags. Looked for only when the file starts with ``<`` (no CSV header does)."""


def _refuse_markup(path: Path, head: bytes) -> None:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096].lower()
    if not start.startswith(b"<"):
        return
    for mark, what, what_en in _MARKUP:
        if mark in start:
            raise fail(
                path,
                f"{what}, pas un fichier CSV : ouvrez-le dans votre tableur et "
                "enregistrez-le en .xlsx, .ods ou .csv.",
                f"{what_en}, not a CSV file: open it in your spreadsheet and save it as "
                ".xlsx, .ods or .csv.",
            )


def _workbook_elsewhere(zf: Any, budget: Budget, path: Path) -> bool:
    """An XLSX whose workbook is not at ``xl/workbook.xml``: its relationships say where."""
    from moisinno_data.reading.xlsx import workbook_entry

    return "_rels/.rels" in zf.NameToInfo and workbook_entry(zf, budget, path) is not None


ODS_TYPES = (
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.spreadsheet-template",  # .ots: the same tables
)


def _refuse_encrypted(zf: Any, names: set[str], path: Path) -> None:
    """An OpenDocument saved with a password: its manifest says how each part is
    encrypted. Said as such, not as the "invalid XML" its scrambled parts would read as."""
    if "META-INF/manifest.xml" not in names:
        return
    if b"encryption-data" in archive.head(zf, "META-INF/manifest.xml", 1 << 16, path):
        raise fail(path, *archive.PASSWORD_PROTECTED)


_ROOT_ENTRY = re.compile(rb"<[^<>]*full-path=[\"']/[\"'][^<>]*>")
_ODS_TYPE = re.compile(rb"media-type=[\"']application/vnd\.oasis\.opendocument\.spreadsheet[\"']")


def _manifest_says_ods(zf: Any, names: set[str], path: Path) -> bool:
    """An OpenDocument spreadsheet without its ``mimetype`` entry (Google Sheets writes
    none; the format says it *should* be there): its manifest's root entry says what it is."""
    if "META-INF/manifest.xml" not in names:
        return False
    manifest = archive.head(zf, "META-INF/manifest.xml", 1 << 16, path)
    root = _ROOT_ENTRY.search(manifest)
    return root is not None and _ODS_TYPE.search(root.group()) is not None


def _sniff_encoding(path: Path, head: bytes, *, full: bool) -> tuple[str, dict | None]:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", None
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16's: FF FE…
        return "utf-32", None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", None
    sample = head[:4096]
    if b"\x00" in sample:
        # UTF-16 without BOM: every other byte of ASCII text is zero.
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
            return "utf-16-le", None
        if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "utf-16-be", None
    controls = len(sample) - len(sample.translate(None, _BINARY_CONTROLS))
    if controls > 4 and controls > 0.02 * len(sample):  # one stray NUL is a finding
        raise fail(
            path,
            "fichier binaire, pas un tableau (attendu : CSV, XLSX ou ODS).",
            "a binary file, not a table (expected: CSV, XLSX or ODS).",
        )
    if head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise fail(
            path,
            "fichier binaire (PDF ou image), pas un tableau.",
            "a binary file (PDF or image), not a table.",
        )
    whole = full or len(head) < SAMPLE_BYTES
    encoding, errors = classify(path if whole else None, head)
    if errors and not whole:
        return classify(path, b"")
    return encoding, errors


def classify(path: Path | None, head: bytes) -> tuple[str, dict | None]:
    """UTF-8, Windows-1252 or Latin-1 — and the lines of a UTF-8 file that are not.

    Reads ``path`` whole as a stream when given (else only ``head``, possibly cut inside
    a character). A file is 8-bit only when no non-ASCII sequence in it is UTF-8.
    """
    state = {"line": 1, "utf8": False, "bad": 0, "last_bad": 0, "undefined": False}
    state.update(c1=0, high=0, mac=0)  # bytes 0x80-0x9F, 0xC0-0xFF, _MAC_LETTERS
    lines: list[int] = []
    carry = b""
    for chunk in _chunks(path) if path is not None else [head]:
        data = carry + chunk if carry else chunk
        cut = data.rfind(b"\n") + 1  # a line end is never inside a UTF-8 character
        if cut:
            _scan_piece(memoryview(data)[:cut], state, lines, fast=path is not None)
            carry = data[cut:]
        else:  # a line longer than a chunk: what is whole of it, the rest after
            text, used = codecs.utf_8_decode(data, "surrogateescape", False)
            _scan_text(text, data[:used], state, lines)
            carry = data[used:]
    if carry:  # the sample alone may end inside a character: not a bad byte
        text, _used = codecs.utf_8_decode(carry, "surrogateescape", path is not None)
        _scan_text(text, carry, state, lines)
    if not state["bad"]:
        return "utf-8", None
    if not state["utf8"]:
        return _eight_bit(state), None
    return "utf-8", {"lines": lines, "count": state["bad"]}


def _eight_bit(state: dict) -> str:
    """Windows-1252, or Latin-1 when it holds a byte Windows-1252 leaves undefined — or
    Mac Roman (the « CSV Macintosh » of Excel for Mac), when those bytes come with more
    bytes in 0x80-0x9F than in 0xC0-0xFF: Mac Roman puts é, è, à, ç, ê there, where the
    two others put é, è, à at 0xE0-0xE9 (read as Latin-1, « Saint-Étienne » became
    control characters, reported as such, and fix wrote them). The telling bytes are Mac
    Roman's commonest French letters that Windows-1252 leaves undefined or gives to Ž
    and ˆ (:data:`_MAC_LETTERS`): curly quotes and dashes, which both put there, prove
    nothing."""
    if state["mac"] and state["c1"] > state["high"]:
        return MAC_ROMAN
    return "iso-8859-1" if state["undefined"] else "windows-1252"


def _chunks(path: Path):
    with open(path, "rb") as fh:
        while chunk := fh.read(SCAN_BYTES):
            yield chunk


def _scan_piece(piece: memoryview, state: dict, lines: list[int], *, fast: bool) -> None:
    """Whole lines: ASCII, or UTF-8 as pyarrow finds it (``fast``: the whole scan of a
    208 MB file takes 0.2 s, where decoding it and looking for bytes that are not UTF-8
    took 0.8 s), or else searched line by line (:func:`_scan_text`)."""
    if fast:
        import numpy as np

        octets = np.frombuffer(piece, np.uint8)
        if octets.max() < 0x80 or _is_utf8(piece):
            state["line"] += int(np.count_nonzero(octets == 0x0A))
            state["utf8"] = state["utf8"] or bool(octets.max() >= 0x80)
            return
    _scan_text(codecs.utf_8_decode(piece, "surrogateescape", True)[0], piece, state, lines)


def _is_utf8(data: memoryview) -> bool:
    import pyarrow as pa

    offsets = pa.py_buffer(struct.pack("<qq", 0, len(data)))
    text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _scan_text(text: str, chunk: bytes | memoryview, state: dict, lines: list[int]) -> None:
    """Count lines and note those holding bytes that are not UTF-8 (as surrogates)."""
    if text.isascii():
        state["line"] += text.count("\n")
        return
    # Bytes that are not UTF-8 came back as lone surrogates, which UTF-8 cannot encode:
    # encoding in C finds the first one (or none) twenty times faster than the regex.
    try:
        text.encode("utf-8")
        first_bad = len(text)
    except UnicodeEncodeError as exc:
        first_bad = exc.start
    last, found = 0, False
    for match in _BAD.finditer(text, first_bad):
        found = True
        line = state["line"] + text.count("\n", last, match.start())
        state["line"], last = line, match.start()
        if state["last_bad"] != line:
            state["last_bad"] = line
            state["bad"] += 1
            if len(lines) < MAX_LISTED_LINES:
                lines.append(line)
    if found:
        state["undefined"] = state["undefined"] or bool(CP1252_UNDEFINED.intersection(chunk))
        raw = bytes(chunk)
        state["c1"] += len(raw) - len(raw.translate(None, _C1_BYTES))
        state["high"] += len(raw) - len(raw.translate(None, _HIGH_BYTES))
        state["mac"] += len(raw) - len(raw.translate(None, _MAC_LETTERS))
    state["line"] += text.count("\n", last)
    if not state["utf8"] and _NON_ASCII_TEXT.search(text):
        state["utf8"] = True


def _blank(data: bytes) -> bytes:
    return data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe")


def _sniff_delimiter(text: str) -> str:
    """The candidate that splits the sample into the most regular rows of ≥ 2 cells: the
    share of rows as wide as most are, then that width. Most rows, not the first: a title
    line above the header (« Export du 01/12/2026, bornes ») would otherwise decide."""
    lines = text.splitlines()
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may cut the last line
    sample = "\n".join(lines[:200])
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = [r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r]
        except csv.Error:
            continue
        score = _regularity(rows)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _regularity(rows: list[list[str]]) -> tuple[float, int]:
    """The share of ``rows`` as wide as most rows after the first are, and that width.
    The first row also counts when a spreadsheet ended it alone with a separator (a
    header « a,b, » above rows « 1,2 »): with a single record below, that header and the
    record disagreed, and a `;` inside a quoted cell's lines chose the separator. Rows
    as wide as a header wider than most count as well: with a second table right of the
    first three rows of IRVE's example, the commas of its addresses chose the separator."""
    first, *rest = rows or [[]]
    widths = Counter(len(r) for r in rest if len(r) >= 2)
    if not widths:  # the first row alone, if any, is as wide as most
        return (1 / len(rows), len(first)) if len(first) >= 2 else (0.0, 0)
    width, count = max(widths.items(), key=lambda wc: (wc[1], wc[0]))
    if len(first) == width or (len(first) == width + 1 and first[-1] == ""):
        count += 1
    elif len(first) > width:  # a header wider than most rows, and the rows as wide as it:
        count += 1 + widths[len(first)]  # a second table right of the first rows only
    return (round(count / len(rows), 2), width)


_EXCEL_SEPARATOR_LINE = re.compile(rb"(?:\xef\xbb\xbf)?sep=([,;\t|])\1*[ ]*(?:\r\n|\n|\r)", re.I)
"""``sep=;``, the line Excel reads as "this file's separator is ;" and never shows: some
exports begin with it so that Excel opens them right. Only in ASCII-compatible bytes
(Excel writes no such line in UTF-16), with one of our separators."""


def _excel_separator(head: bytes) -> tuple[str, int] | None:
    """The separator an Excel ``sep=`` first line names, and the bytes it takes (its line
    end and any BOM before it included); None if the file does not begin with one."""
    found = _EXCEL_SEPARATOR_LINE.match(head)
    return (found.group(1).decode("ascii"), found.end()) if found else None


def data_start(detected: dict[str, Any]) -> int:
    """Where the table starts in the file's bytes: after an Excel ``sep=`` line, which
    every reader skips so that every command reads the same table (the header as row 1,
    as in Excel, which hides that line)."""
    return int(detected.get("separator_line") or 0)


def separator_lines(detected: dict[str, Any]) -> int:
    """Physical lines above the header of a CSV (1 for an Excel ``sep=`` line, else 0): a
    finding's ``line`` counts them, its ``row`` does not (the header is row 1, as in Excel)."""
    return 1 if detected.get("separator_line") else 0


def skip_separator_line(fh: Any, detected: dict[str, Any]) -> None:
    """Move a text file opened at its start past an Excel ``sep=`` line (see
    :func:`data_start`)."""
    if detected.get("separator_line"):
        fh.readline()


def detect(
    path: str | Path,
    sheet: str | None = None,
    *,
    full: bool = True,
    budget: Budget | None = None,
) -> dict[str, Any]:
    """Format, encoding, delimiter (CSV) or sheet (spreadsheets) of ``path``.

    ``full=False`` trusts the first megabyte for the encoding (the engine asks again with
    :func:`classify` if a later byte is not UTF-8), which keeps huge files fast.
    """
    path = Path(path)
    budget = current(budget)
    check_regular(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(SAMPLE_BYTES)
    except OSError as exc:
        fr, en = os_reason(exc)
        raise InputError(
            f"{path} : lecture impossible ({fr}).", en=f"{path}: cannot be read ({en})."
        ) from None
    if not _blank(head):
        raise fail(
            path,
            "le fichier est vide (aucun en-tête ni aucune ligne).",
            "the file is empty (no header, no row).",
        )
    fmt = _sniff_format(path, head, budget)
    if fmt in SPREADSHEET_FORMATS:
        sheet = pick_sheet(path, fmt, sheet, budget)
        return {"format": fmt, "encoding": None, "delimiter": None, "sheet": sheet}
    encoding, errors = _sniff_encoding(path, head, full=full)
    text = head.decode(MIXED if errors else encoding, errors="ignore")
    said = _excel_separator(head)
    if said and not _blank(head[said[1] :]):
        raise fail(
            path,
            "le fichier ne tient que la ligne « sep= » d'Excel, aucun en-tête.",
            'the file holds only Excel\'s "sep=" line, no header.',
        )
    detected: dict[str, Any] = {
        "format": "csv",
        "encoding": encoding,
        "delimiter": said[0] if said else _sniff_delimiter(text.lstrip("\ufeff")),
        "sheet": None,
    }
    if said:
        detected["separator_line"] = said[1]
    if sheet:  # said in the report: the steward may have meant a workbook of that name
        detected["sheet_ignored"] = sheet
    if errors:
        detected["encoding_errors"] = after_separator_line(errors, detected)
    return detected


def reclassify(path: Path, detected: dict[str, Any]) -> None:
    """Tell the encoding again from the whole file, when a byte past the sample that
    :func:`detect` trusted is not UTF-8."""
    encoding, errors = classify(path, b"")
    detected["encoding"] = encoding
    if errors:
        detected["encoding_errors"] = after_separator_line(errors, detected)


def mixed_lines(path: Path, detected: dict[str, Any]) -> dict[int, str]:
    """The listed lines of a mixed file (``encoding_errors``) as they were read, by number:
    what ``fix`` shows of each line it wrote as UTF-8 from Windows-1252. Lines are split
    on ``\\n`` and numbered from the header, as :func:`classify` counts them; the file is
    read up to the last one listed."""
    wanted = set((detected.get("encoding_errors") or {}).get("lines") or ())
    found: dict[int, str] = {}
    if not wanted:
        return found
    with open(path, "rb") as fh:
        skip_separator_line(fh, detected)
        for number, raw in enumerate(fh, start=1):
            if number in wanted:
                found[number] = raw.decode(MIXED).rstrip("\r\n")
                if len(found) == len(wanted):
                    break
    return found


def after_separator_line(errors: dict, detected: dict[str, Any]) -> dict:
    """Lines not in the file's encoding, numbered as the readers number them: from the
    line after an Excel ``sep=`` line (which is ASCII, never one of them)."""
    if not detected.get("separator_line"):
        return errors
    return {**errors, "lines": [n - 1 for n in errors["lines"] if n > 1]}
