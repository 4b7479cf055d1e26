"""Hostile spreadsheets and archives, built in a few lines with zipfile (tiny on disk)."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"


def _xlsx_parts(zf: zipfile.ZipFile, *, rels: bool = True) -> None:
    zf.writestr(
        "[Content_Types].xml",
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
    )
    zf.writestr(
        "xl/workbook.xml",
        f'<?xml version="1.0"?><workbook {NS} xmlns:r="{REL_NS}"><sheets>'
        '<sheet name="Feuille1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    )
    if rels:
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )


def xlsx(path: Path, sheet_xml_chunks, *, level: int = 9) -> Path:
    """An XLSX whose sheet XML is the concatenation of ``sheet_xml_chunks`` (streamed in)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        _xlsx_parts(zf)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            for chunk in sheet_xml_chunks:
                fh.write(chunk.encode() if isinstance(chunk, str) else chunk)
    return path


def sheet(rows_xml: str = "", *, dimension: str | None = None) -> list[str]:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return [
        f'<?xml version="1.0"?><worksheet {NS}>{dim}<sheetData>',
        rows_xml,
        "</sheetData></worksheet>",
    ]


def xlsx_far_cell(path: Path, *, dimension: bool = True) -> Path:
    """One real cell, one at XFD1048576: a 549 GB grid for python-calamine."""
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>annee</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    )
    return xlsx(path, sheet(rows, dimension="A1:XFD1048576" if dimension else None))


def xlsx_many_rows(path: Path, n: int, *, dimension: bool = True) -> Path:
    def chunks():
        head, _rows, tail = sheet(dimension=f"A1:A{n}" if dimension else None)
        yield head
        block = 50_000
        for start in range(1, n + 1, block):
            yield "".join(
                f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>'
                for r in range(start, min(n, start + block - 1) + 1)
            )
        yield tail

    return xlsx(path, chunks())


def xlsx_whitespace(path: Path, gigabytes: float, *, inside_value: bool = False) -> Path:
    """A sheet holding gigabytes of whitespace (between elements, or inside one value)."""
    blank = " " * (1 << 20)

    def chunks():
        head, _rows, tail = sheet()
        yield head + '<row r="1"><c r="A1" t="inlineStr"><is><t>annee</t></is></c></row>'
        yield '<row r="2"><c r="A2"><v>' if inside_value else ""
        for _ in range(int(gigabytes * 1024)):
            yield blank
        yield "1</v></c></row>" if inside_value else ""
        yield tail

    return xlsx(path, chunks(), level=1)


ODS_HEAD = (
    f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} '
    'office:version="1.2"><office:body><office:spreadsheet>'
)
ODS_TAIL = "</office:spreadsheet></office:body></office:document-content>"


def ods(path: Path, table_xml: str, *, mimetype: bytes | None = None) -> Path:
    content = f'{ODS_HEAD}<table:table table:name="Feuille1">{table_xml}</table:table>{ODS_TAIL}'
    with zipfile.ZipFile(path, "w") as zf:
        if mimetype is None:
            zf.writestr(zipfile.ZipInfo("mimetype"), ODS_MIME, compress_type=zipfile.ZIP_STORED)
        else:
            with zf.open(zipfile.ZipInfo("mimetype"), "w", force_zip64=True) as fh:
                fh._compress_type = zipfile.ZIP_DEFLATED
                fh.write(mimetype)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def ods_stream(path: Path, content_chunks, *, manifest: str | None = None) -> Path:
    """An ODS whose ``content.xml`` is the concatenation of ``content_chunks`` (streamed
    in, so hundreds of megabytes cost a few KB on disk); ``manifest``: its
    ``META-INF/manifest.xml``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), ODS_MIME, compress_type=zipfile.ZIP_STORED)
        if manifest is not None:
            zf.writestr("META-INF/manifest.xml", manifest)
        with zf.open("content.xml", "w", force_zip64=True) as fh:
            for chunk in content_chunks:
                fh.write(chunk.encode() if isinstance(chunk, str) else chunk)
    return path


def ods_table(rows_xml, name: str = "Feuille1") -> list:
    """The chunks of a ``content.xml`` holding one table of ``rows_xml`` (chunks)."""
    return [ODS_HEAD, f'<table:table table:name="{name}">', *rows_xml, "</table:table>", ODS_TAIL]


def ods_row(*cells: str, repeat: int = 1, attrs: str = "") -> str:
    """A row of text cells (``attrs`` on each cell: ``table:number-columns-repeated``…)."""
    xml = "".join(
        f'<table:table-cell office:value-type="string" {attrs}><text:p>{c}</text:p>'
        "</table:table-cell>"
        for c in cells
    )
    rows = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{rows}>{xml}</table:table-row>"


def ods_repeated(path: Path) -> Path:
    """A few hundred bytes asking for 1,048,576 rows × 16,384 columns of a value (> 9 GB)."""
    cell = (
        '<table:table-cell table:number-columns-repeated="16384" office:value-type="string">'
        "<text:p>bombe</text:p></table:table-cell>"
    )
    header = '<table:table-row><table:table-cell office:value-type="string"><text:p>annee</text:p></table:table-cell></table:table-row>'
    return ods(
        path,
        header + f'<table:table-row table:number-rows-repeated="1048575">{cell}</table:table-row>',
    )


def ods_huge_mimetype(path: Path, gigabytes: float) -> Path:
    """The ``mimetype`` entry inflates to gigabytes (a sniffer reading it whole would die)."""
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = [raw.compress(ODS_MIME.encode())]
    blank = b" " * (1 << 20)
    for _ in range(int(gigabytes * 1024)):
        data.append(raw.compress(blank))
    data.append(raw.flush())
    compressed = b"".join(data)
    size = len(ODS_MIME) + int(gigabytes * 1024) * len(blank)
    crc = zlib.crc32(ODS_MIME.encode())
    for _ in range(int(gigabytes * 1024)):
        crc = zlib.crc32(blank, crc)
    header = '<table:table-row><table:table-cell office:value-type="string"><text:p>annee</text:p></table:table-cell></table:table-row>'
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS}><office:body>'
        f'<office:spreadsheet><table:table table:name="Feuille1">{header}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo("mimetype")
        info.compress_type = zipfile.ZIP_DEFLATED
        _write_raw(zf, info, compressed, size, crc)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _write_raw(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, compressed: bytes, size: int, crc: int
) -> None:
    """Store already-deflated bytes as an entry (zipfile has no public way to)."""
    info.file_size, info.compress_size, info.CRC = size, len(compressed), crc
    zip64 = size > 0xFFFFFFFF - 1
    info.header_offset = zf.fp.tell()
    zf.fp.write(info.FileHeader(zip64))
    zf.fp.write(compressed)
    zf.filelist.append(info)
    zf.NameToInfo[info.filename] = info
    zf.start_dir = zf.fp.tell()


def lying_bomb(path: Path, real_megabytes: int, declared: int = 1000) -> Path:
    """An XLSX whose sheet's central-directory entry declares ``declared`` bytes but
    inflates to ``real_megabytes`` MB of rows."""
    head, _rows, tail = sheet()
    row = '<row><c t="inlineStr"><is><t>bombe</t></is></c></row>'
    body = (head + row * (real_megabytes * (1 << 20) // len(row)) + tail).encode()
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    compressed = raw.compress(body) + raw.flush()
    with zipfile.ZipFile(path, "w") as zf:
        _xlsx_parts(zf)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        _write_raw(zf, info, compressed, declared, zlib.crc32(body))
    return path


def xlsx_compressed_with(path: Path, method: int, megabytes: int) -> Path:
    """An XLSX whose sheet is ``megabytes`` MB of spaces compressed with ``method``
    (bzip2, lzma: zipfile inflates them with no bound on what one read makes)."""
    head, _rows, tail = sheet()
    body = head + " " * (megabytes << 20) + tail
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        _xlsx_parts(zf)
        zf.writestr("xl/worksheets/sheet1.xml", body, compress_type=method)
    return path


def xlsx_nested(path: Path, depth: int) -> Path:
    """A cell holding ``depth`` elements nested in one another (no DTD): expat keeps
    every open one."""
    head, _rows, tail = sheet()
    cell = '<row r="1"><c r="A1" t="inlineStr"><is><t>'
    return xlsx(path, [head, cell, "<b>" * depth, "</b>" * depth, "</t></is></c></row>", tail])


def xlsx_empty_elements(path: Path, count: int) -> Path:
    """A row of ``count`` empty elements: tiny compressed, slow to parse (time, not memory)."""
    head, _rows, tail = sheet()
    block = "<x/>" * 250_000

    def chunks():
        yield head + '<row r="1"><c r="A1" t="inlineStr"><is><t>annee</t></is></c></row><row r="2">'
        for _ in range(count // 250_000):
            yield block
        yield "</row>" + tail

    return xlsx(path, chunks())


def xlsx_styles(path: Path, format_code: str, styles: int) -> Path:
    """A one-cell XLSX whose ``styles.xml`` gives ``styles`` cell styles one number format,
    ``format_code`` (a 2 KB file for 60,000 characters of ``[``)."""
    xfs = '<xf numFmtId="200"/>' * styles
    styles_xml = (
        f'<?xml version="1.0"?><styleSheet {NS}><numFmts count="1">'
        f'<numFmt numFmtId="200" formatCode="{format_code}"/></numFmts>'
        f'<cellXfs count="{styles}">{xfs}</cellXfs></styleSheet>'
    )
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>annee</t></is></c></row>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        _xlsx_parts(zf)
        zf.writestr("xl/styles.xml", styles_xml)
        zf.writestr("xl/worksheets/sheet1.xml", "".join(sheet(rows)))
    return path


def xlsx_long_list(path: Path, which: str, count: int) -> Path:
    """A one-cell XLSX one of whose own lists holds ``count`` tiny entries (zipped to a few
    KB): ``which`` is ``"rels"`` (the workbook's relationships), ``"xf"`` (cell styles) or
    ``"numFmt"`` (number formats, one id written again and again)."""
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>annee</t></is></c></row>'
    rels_head = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="worksheet" '
        'Target="worksheets/sheet1.xml"/>'
    )
    entry, head, unit, tail = {
        "rels": ("xl/_rels/workbook.xml.rels", rels_head, "<Relationship/>", "</Relationships>"),
        "xf": ("xl/styles.xml", f"<styleSheet {NS}><cellXfs>", "<xf/>", "</cellXfs></styleSheet>"),
        "numFmt": (
            "xl/styles.xml",
            f"<styleSheet {NS}><numFmts>",
            '<numFmt numFmtId="200" formatCode="0.0"/>',
            "</numFmts></styleSheet>",
        ),
    }[which]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        _xlsx_parts(zf, rels=which != "rels")
        zf.writestr(entry, head + unit * count + tail)
        zf.writestr("xl/worksheets/sheet1.xml", "".join(sheet(rows)))
    return path


def xlsx_shared_strings(path: Path, count: int, chars: int) -> Path:
    """A one-cell XLSX whose shared strings are ``count`` texts of ``chars`` characters
    (they zip to almost nothing)."""
    one = "<si><t>" + "x" * chars + "</t></si>"
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        _xlsx_parts(zf)
        with zf.open("xl/sharedStrings.xml", "w") as fh:
            fh.write(f'<?xml version="1.0"?><sst {NS}>'.encode())
            for _ in range(count):
                fh.write(one.encode())
            fh.write(b"</sst>")
        zf.writestr("xl/worksheets/sheet1.xml", "".join(sheet(rows)))
    return path


def far_right(path: Path, rows: list[list[str]], stray: str = "note égarée") -> Path:
    """A sheet of ``rows`` (text cells, the header first) whose last row has one more
    value, ``stray``, typed in the sheet's last column, XFD. ``path``'s suffix, ``.xlsx``
    or ``.ods``, says the format."""
    if path.suffix == ".ods":
        gap = '<table:table-cell table:number-columns-repeated="{n}"/>'
        *above, last = [ods_row(*row) for row in rows]
        last = last.replace("</table:table-row>", gap.format(n=16_383 - len(rows[-1])))
        return ods(path, "".join(above) + last + ods_row(stray).removeprefix("<table:table-row>"))
    from moisinno_data.reading.xlsx import column_letter

    xml = []
    for r, row in enumerate(rows, start=1):
        cells = [(f"{column_letter(c)}{r}", value) for c, value in enumerate(row, start=1)]
        cells += [(f"XFD{r}", stray)] if r == len(rows) else []
        inline = "".join(f'<c r="{at}" t="inlineStr"><is><t>{v}</t></is></c>' for at, v in cells)
        xml.append(f'<row r="{r}">{inline}</row>')
    return xlsx(path, sheet("".join(xml), dimension=f"A1:XFD{len(rows)}"))


def label_far_right(
    path: Path, rows: list[list[str]], label: str = "note fictive", column: int = 16_384
) -> Path:
    """A sheet of ``rows`` (text cells, the header first) whose header has one more label,
    ``label``, typed far right in ``column`` (XFD by default): thousands of blank columns
    between the table and it. ``path``'s suffix, ``.xlsx`` or ``.ods``, says the format."""
    header, *data = rows
    if path.suffix == ".ods":
        gap = f'<table:table-cell table:number-columns-repeated="{column - 1 - len(header)}"/>'
        top = ods_row(*header).replace("</table:table-row>", gap)
        top += ods_row(label).removeprefix("<table:table-row>")
        return ods(path, top + "".join(ods_row(*row) for row in data))
    from moisinno_data.reading.xlsx import column_letter

    xml = []
    for r, row in enumerate(rows, start=1):
        cells = [(f"{column_letter(c)}{r}", value) for c, value in enumerate(row, start=1)]
        cells += [(f"{column_letter(column)}1", label)] if r == 1 else []
        inline = "".join(f'<c r="{at}" t="inlineStr"><is><t>{v}</t></is></c>' for at, v in cells)
        xml.append(f'<row r="{r}">{inline}</row>')
    return xlsx(path, sheet("".join(xml), dimension=f"A1:{column_letter(column)}{len(rows)}"))
