"""Hostile files, made at run time (a zip bomb is never committed): each shows one way a
delivered file has ended or misled a whole import.

Used by tests/test_hostile_files.py and benchmarks/hostile_files.py (the figures of
docs/reliability.md).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

from xlsxwriter.utility import xl_col_to_name

HEADER = ["Kön", "Ålder", "Aktualiseringstyp", "Orsak", "Åtgärd"]
ROWS = [
    ["F", "15", "Anmälan", "Skolproblem", "Utredning inleds"],
    ["P", "3", "Ansökan", "Missbruk förälder", "Utredning inleds ej"],
]

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>'
)
PACKAGE_RELATIONS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Aktualiseringar" sheetId="1" r:id="rId1"/></sheets>'
    "</workbook>"
)
WORKBOOK_RELATIONS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = b"</sheetData></worksheet>"
SHEET = "xl/worksheets/sheet1.xml"


def package_parts() -> dict[str, bytes]:
    """Every part of a one-sheet workbook but the sheet."""
    return {
        "[Content_Types].xml": CONTENT_TYPES.encode(),
        "_rels/.rels": PACKAGE_RELATIONS.encode(),
        "xl/workbook.xml": WORKBOOK.encode(),
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELATIONS.encode(),
    }


def inline_row(number: int, cells: list[str], *, references: bool = True) -> bytes:
    """A row of text cells as Excel writes them, with each cell's reference or without."""
    written = []
    for index, text in enumerate(cells):
        place = f' r="{xl_col_to_name(index)}{number}"' if references else ""
        written.append(f'<c{place} t="inlineStr"><is><t>{text}</t></is></c>')
    start = f'<row r="{number}">' if references else "<row>"
    return (start + "".join(written) + "</row>").encode()


def workbook(path: Path, sheet_xml: bytes) -> Path:
    """A one-sheet .xlsx holding the given sheet XML."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in package_parts().items():
            archive.writestr(name, content)
        archive.writestr(SHEET, sheet_xml)
    return path


def table_sheet(extra: bytes = b"") -> bytes:
    """A sheet holding the small referral table, and whatever else is given after it."""
    rows = [inline_row(1, HEADER)]
    rows += [inline_row(number, row) for number, row in enumerate(ROWS, start=2)]
    return SHEET_START + b"".join(rows) + extra + SHEET_END


def far_apart_cells(path: Path) -> Path:
    """The table, and one more cell at XFD1048576: under 1 kB, yet calamine would allocate
    the whole grid between (17 billion cells, 550 GB) and the process would abort."""
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return workbook(path, table_sheet(far))


def far_apart_cells_without_references(path: Path) -> Path:
    """As far_apart_cells, but the cells of one wide row carry no reference: their place
    follows from the cells before them, which only calamine can count."""
    wide = b"<row>" + b"<c><v>1</v></c>" * 16_384 + b"</row>"
    far = b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    return workbook(path, table_sheet(wide + far))


def zip_bomb(path: Path, unpacked_mb: int = 3000) -> Path:
    """The table, then `unpacked_mb` MB of repeated rows that pack to about a thousandth:
    a workbook of a few megabytes holding a sheet of gigabytes. Made without holding the sheet:
    a megabyte of rows is deflated once, ended by a full flush (no later block refers back to
    it), and that block repeated."""
    row = inline_row(4, ["Anmälan", "Skolproblem", "Utredning inleds"], references=False)
    unit = row * (1_000_000 // len(row))
    start = table_sheet()[: -len(SHEET_END)]
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = packer.compress(start) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(unit) + packer.flush(zlib.Z_FULL_FLUSH)
    assert packer.compress(unit) + packer.flush(zlib.Z_FULL_FLUSH) == block  # a block repeats
    tail = packer.compress(SHEET_END) + packer.flush()
    crc = zlib.crc32(start)
    for _ in range(unpacked_mb):
        crc = zlib.crc32(unit, crc)
    crc = zlib.crc32(SHEET_END, crc)
    size = len(start) + len(unit) * unpacked_mb + len(SHEET_END)
    parts = [deflated(name, content) for name, content in package_parts().items()]
    parts.append(Deflated(SHEET, [head, *[block] * unpacked_mb, tail], crc, size))
    with path.open("wb") as handle:
        write_zip(handle, parts)
    return path


class Deflated:
    """A zip entry's name, deflated pieces, CRC and unpacked size."""

    def __init__(self, name: str, pieces: list[bytes], crc: int, size: int) -> None:
        self.name, self.pieces, self.crc, self.size = name, pieces, crc, size

    @property
    def packed(self) -> int:
        return sum(len(piece) for piece in self.pieces)


def deflated(name: str, content: bytes) -> Deflated:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    pieces = [packer.compress(content) + packer.flush()]
    return Deflated(name, pieces, zlib.crc32(content), len(content))


def write_zip(handle: io.BufferedWriter, entries: list[Deflated]) -> None:
    """A zip archive of deflated entries (sizes under 4 GB: no zip64), as the format
    describes it: each entry's local header and data, then the central directory."""
    directory, offset = b"", 0
    for entry in entries:
        name = entry.name.encode()
        sizes = (entry.crc, entry.packed, entry.size, len(name))
        local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 33, *sizes, 0) + name
        handle.write(local)
        for piece in entry.pieces:
            handle.write(piece)
        directory += (
            struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 33, *sizes, 0, 0, 0, 0, 0,
                        offset)
            + name
        )  # fmt: skip
        offset += len(local) + entry.packed
    handle.write(directory)
    count = len(entries)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)
    handle.write(end)


def understated_sizes(path: Path) -> Path:
    """A workbook whose directory says its sheet is 1 000 bytes, with the checksum of those
    first 1 000 bytes, while the sheet holds 60 times more: a reader trusting the directory
    checks the size, and calamine then unpacks all of it."""
    sheet = table_sheet(b"".join(inline_row(n, ROWS[0]) for n in range(4, 600)))
    parts = [deflated(name, content) for name, content in package_parts().items()]
    whole = deflated(SHEET, sheet)
    parts.append(Deflated(SHEET, whole.pieces, zlib.crc32(sheet[:1000]), 1000))
    with path.open("wb") as handle:
        write_zip(handle, parts)
    return path


ODS_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:'
    'names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:'
    'xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Blad1">'
    '<table:table-row table:number-rows-repeated="{rows}"><table:table-cell '
    'table:number-columns-repeated="{columns}" office:value-type="string"><text:p>x</text:p>'
    "</table:table-cell></table:table-row></table:table></office:spreadsheet></office:body>"
    "</office:document-content>"
)
ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:'
    'tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
    'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
    'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
    'manifest:media-type="text/xml"/></manifest:manifest>'
)


def repeated_ods_cells(path: Path, rows: int = 100_000, columns: int = 1_000) -> Path:
    """An .ods of one cell repeated over `rows` × `columns` by two attributes: under 1 kB
    that calamine unfolds into every cell (100 million by default)."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        content = ODS_CONTENT.format(rows=rows, columns=columns)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def long_cell_csv(path: Path, characters: int = 200_000) -> Path:
    """A CSV whose second row has a cell of `characters` characters (the csv module's limit
    is 131 072): a quote left open makes the rest of a file one cell."""
    long_row = ["F", "12", "Anmälan", "x" * characters, "Utredning inleds"]
    lines = [";".join(HEADER), ";".join(ROWS[0]), ";".join(long_row)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path
