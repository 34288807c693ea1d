"""Hand-written .xlsx archives: fast to build with 100,000 rows, and hostile when asked to be."""

import io
import struct
import zipfile
import zlib
from xml.sax.saxutils import escape

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _workbook_xml(sheet_name: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} {R_NS}><sheets>'
        f'<sheet name="{escape(sheet_name)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _row_xml(number: int, values) -> str:
    cells = []
    for index, value in enumerate(values):
        ref = f"{_column(index)}{number}"
        if isinstance(value, int | float):
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        else:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def xlsx_bytes(rows, *, sheet_name="Sheet1", dimension="", shared_strings="") -> bytes:
    """A workbook of `rows` (lists of str/int), cells inline; written without any Excel library."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _skeleton(archive, sheet_name, shared_strings or f'<sst {NS} count="0" uniqueCount="0"/>')
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            dim = f'<dimension ref="{dimension}"/>' if dimension else ""
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>{dim}<sheetData>'.encode())
            chunk = []
            for number, values in enumerate(rows, start=1):
                chunk.append(_row_xml(number, values))
                if len(chunk) == 5000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write(("".join(chunk) + "</sheetData></worksheet>").encode())
    return buffer.getvalue()


def _skeleton(archive: zipfile.ZipFile, sheet_name: str, shared_strings) -> None:
    archive.writestr("[Content_Types].xml", CONTENT_TYPES)
    archive.writestr("_rels/.rels", ROOT_RELS)
    archive.writestr("xl/workbook.xml", _workbook_xml(sheet_name))
    archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
    if shared_strings is not None:
        archive.writestr("xl/sharedStrings.xml", shared_strings)


SST_START = f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="1" uniqueCount="1"><si><t>'


def shared_string_bomb(path_or_buffer, *, megabytes: int = 400, sheet_name="Sheet1", zip64=True) -> None:
    """One shared string of `megabytes` MB of one repeated char, streamed through deflate in
    1 MB chunks: the archive is well under a megabyte and building it takes no memory."""
    with zipfile.ZipFile(path_or_buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _skeleton(archive, sheet_name, None)
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>'
            '<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
        )
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as entry:
            entry.write(
                f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="1" uniqueCount="1"><si><t>'.encode()
            )
            block = b"A" * (1024 * 1024)
            for _ in range(megabytes):
                entry.write(block)
            entry.write(b"</t></si></sst>")


def lie_about_size(data: bytes, name: str, declared: bytes) -> bytes:
    """The archive with `name`'s sizes and CRC in both headers rewritten to those of `declared`
    (a prefix of its content): Python's zipfile then reads only that prefix, without complaint."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    crc, size = struct.pack("<I", zlib.crc32(declared)), struct.pack("<I", len(declared))
    local = info.header_offset
    out[local + 14 : local + 18], out[local + 22 : local + 26] = crc, size
    central = bytes(out).find(b"PK\x01\x02" + bytes(out[local + 4 : local + 6]), local)
    while bytes(out[central + 46 : central + 46 + len(name)]) != name.encode():
        central = bytes(out).find(b"PK\x01\x02", central + 4)
    out[central + 16 : central + 20], out[central + 24 : central + 28] = crc, size
    return bytes(out)
