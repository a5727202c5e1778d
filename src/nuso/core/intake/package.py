"""A spreadsheet's zip package (.xlsx, .xlsm, .ods) looked at before calamine reads it.

Calamine reads a sheet whole into memory, as a dense grid from its first cell to its last. A
package that unpacks to gigabytes (a zip bomb), or a sheet with two cells far apart (A1 and
XFD1048576: under 1 kB on disk, 550 GB asked of the allocator, measured), ends the process
that reads it, and with it the import of every file after it. So the package is checked first:

1. its directory, without unpacking anything: the unpacked size of all parts
   (NUSO_IMPORT_MAX_MB) and each part's compression ratio (NUSO_IMPORT_MAX_RATIO);
2. each worksheet unpacked as a stream, a megabyte at a time, never whole: its declared
   dimension, how far its cells' references reach (rows, columns, cells), and that it holds
   no more than the directory says;
3. what the stream cannot measure exactly (cells without references, whose place follows from
   the cells before them; an .ods package, whose cells repeat by attribute) is measured by
   calamine itself in a child process with a memory limit, so that a sheet which would exhaust
   memory ends the child only.
"""

from __future__ import annotations

import copy
import html
import io
import json
import re
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from nuso.core.intake.limits import ReadError, ReadLimits, check_reach, check_size, thousands

CHUNK = 1 << 20  # bytes of a sheet unpacked at a time
RATIO_FROM = 1_000_000  # smaller parts may compress as they like: they cannot exhaust memory
LONGEST_TAG = 1 << 16  # no tag of a real sheet is longer; a longer one is measured by calamine
SHEET_PART = re.compile(r"^xl/(?:worksheets|macrosheets|dialogsheets)/[^/]+\.xml$")
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"(?:[A-Z]+\d+:)?([A-Z]+)(\d+)\"")
REFERENCE = b' r="'  # a row's number or a cell's place: <row r="5">, <c r="B5">
WINDOW = 16  # bytes read after each reference: XFD1048576 and its closing quote fit
TOO_FAR = 1 << 40  # a reference beyond Excel's grid: more letters or digits than it has
CHILD_TIMEOUT = 600  # seconds
CHILD_BASE_MEMORY = 1 << 30  # the child's interpreter, calamine and the unpacked XML
CHILD_MEMORY_PER_CELL = 64  # calamine's grid of values (and of formulas, for .ods)


def inspect_package(file: str, data: bytes, limits: ReadLimits) -> None:
    """Refuse the package unless it is within the limits; ReadError says which one."""
    archive = open_archive(file, data)
    parts = archive.infolist()
    check_size(file, sum(part.file_size for part in parts), limits, "Filen packas upp till")
    for part in parts:
        check_ratio(file, part, limits)
    sheets = sheet_parts(archive)
    measured = bool(sheets) and all(
        scan_sheet(file, archive, part, sheet, limits) for part, sheet in sheets.items()
    )
    if not measured:
        measure_in_child(file, data, limits)


def open_archive(file: str, data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise damaged(file, f"arkivet går inte att öppna: {error}") from error


def damaged(file: str, why: str) -> ReadError:
    message = f"Filen är skadad ({why}). Exportera den på nytt från verksamhetssystemet."
    return ReadError(file, "damaged", message)


def check_ratio(file: str, part: zipfile.ZipInfo, limits: ReadLimits) -> None:
    """Refuse a part that unpacks to far more than its packed size: a sheet's XML packs to a
    tenth or so (measured: 10.0 for 100 000 rows of an export), a zip bomb's to a thousandth."""
    if part.file_size < RATIO_FROM:
        return
    ratio = part.file_size / max(part.compress_size, 1)
    if ratio > limits.max_ratio:
        message = (
            f"Delen {part.filename!r} packas upp till {ratio:.0f} gånger sin storlek "
            f"(gränsen är {limits.max_ratio}, NUSO_IMPORT_MAX_RATIO). Så packas inga vanliga "
            "kalkylark; filen läses inte. Exportera den på nytt från verksamhetssystemet."
        )
        raise ReadError(file, "packed-too-tight", message)


def sheet_parts(archive: zipfile.ZipFile) -> dict[zipfile.ZipInfo, str | None]:
    """The worksheets' XML parts, each with its sheet's name where the workbook says it."""
    names = sheet_names_by_part(archive)
    return {
        part: names.get(part.filename)
        for part in archive.infolist()
        if SHEET_PART.match(part.filename)
    }


SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
RELATION_TAG = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")
SMALL_PART = 1 << 24  # the workbook's list of sheets is a few kilobytes


def sheet_names_by_part(archive: zipfile.ZipFile) -> dict[str, str]:
    """Which part holds which sheet (xl/workbook.xml names them, its relations place them),
    so that a refusal names the sheet as the user sees it."""
    workbook = small_part(archive, "xl/workbook.xml")
    relations = small_part(archive, "xl/_rels/workbook.xml.rels")
    targets = {}
    for tag in RELATION_TAG.findall(relations):
        key, target = attribute(tag, b"Id"), attribute(tag, b"Target")
        if key and target:
            targets[key] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    names = {}
    for tag in SHEET_TAG.findall(workbook):
        name, key = attribute(tag, b"name"), attribute(tag, rb"\w+:id")
        if name and key in targets:
            names[targets[key]] = name
    return names


def small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        part = archive.getinfo(name)
    except KeyError:
        return b""
    return archive.read(part) if part.file_size <= SMALL_PART else b""


def attribute(tag: bytes, name: bytes) -> str:
    found = re.search(rb"\s" + name + rb"=\"([^\"]*)\"", tag)
    return html.unescape(found[1].decode("utf-8", "replace")) if found else ""


def scan_sheet(
    file: str,
    archive: zipfile.ZipFile,
    part: zipfile.ZipInfo,
    sheet: str | None,
    limits: ReadLimits,
) -> bool:
    """Unpack a sheet as a stream and refuse it when it reaches beyond the limits. False when
    its reach cannot be told from its references: calamine must measure it."""
    reach = Reach()
    carry = b""
    for number, chunk in enumerate(unpacked(file, archive, part)):
        if number == 0:
            check_dimension(file, sheet, chunk, limits)
        split = split_at_tag(carry + chunk)
        if split is None:  # a "tag" longer than any a sheet has: no reference is cut short
            reach.long_tag = True
            split = carry + chunk, b""
        piece, carry = split
        reach.add(piece)
        check_reach(file, sheet, reach.rows, reach.columns, limits)
    reach.add(carry)
    check_reach(file, sheet, reach.rows, reach.columns, limits)
    return reach.measured


def unpacked(file: str, archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's content a megabyte at a time, read as if the directory allowed a byte more
    than it says: a part holding more is refused (calamine would unpack all of it, whatever
    the directory says)."""
    allowed = copy.copy(part)
    allowed.file_size = part.file_size + 1
    size = 0
    try:
        with archive.open(allowed) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > part.file_size:
                    raise damaged(file, f"delen {part.filename!r} är större än arkivet anger")
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        raise damaged(file, f"delen {part.filename!r} går inte att packa upp: {error}") from error


def split_at_tag(xml: bytes) -> tuple[bytes, bytes] | None:
    """The XML before its last tag, and that tag, to be carried over to the next piece so
    that no reference is cut in two; None when that "tag" is longer than any a sheet has."""
    start = xml.rfind(b"<")
    if start < 0:
        return xml, b""
    if len(xml) - start > LONGEST_TAG:
        return None
    return xml[:start], xml[start:]


def check_dimension(file: str, sheet: str | None, xml: bytes, limits: ReadLimits) -> None:
    """The sheet's declared dimension (<dimension ref="A1:J100"/>, at its start when written):
    a sheet declared too large is refused before the rest of it is unpacked."""
    declared = DIMENSION.search(xml)
    if declared:
        check_reach(file, sheet, int(declared[2]), column_number(declared[1]), limits)


def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


@dataclass
class Reach:
    """How far a sheet's cells reach, from the references seen so far."""

    rows: int = 0
    columns: int = 0
    tags: int = 0  # rows and cells
    references: int = 0
    long_tag: bool = False

    def add(self, xml: bytes) -> None:
        data = np.frombuffer(xml + b'"' * WINDOW, np.uint8)  # padded: every window ends inside
        after = reference_windows(data, len(xml))
        rows, columns = farthest_reference(after)
        self.rows, self.columns = max(self.rows, rows), max(self.columns, columns)
        self.tags += positioned_tags(data)
        self.references += len(after)

    @property
    def measured(self) -> bool:
        """Every row and cell names its place (as Excel and the libraries that write xlsx
        do): the reach is exact."""
        return self.tags == self.references and not self.long_tag


def positioned_tags(data: npt.NDArray[np.uint8]) -> int:
    """How many row and cell tags (<row …>, <c …>, also with a prefix: <x:c …>) the XML has.
    Vectorised, as the references: bytes.count once per form took longer than unpacking."""
    size = len(data) - 5
    opening = (data[:size] == ord("<")) | (data[:size] == ord(":"))

    def ends(at: int) -> npt.NDArray[np.bool_]:
        following = data[at : at + size]
        ended: npt.NDArray[np.bool_] = (
            (following == ord(" ")) | (following == ord(">")) | (following == ord("/"))
        )
        return ended

    cells = opening & (data[1 : 1 + size] == ord("c")) & ends(2)
    row = (data[1 : 1 + size] == ord("r")) & (data[2 : 2 + size] == ord("o"))
    rows = opening & row & (data[3 : 3 + size] == ord("w")) & ends(4)
    return int(np.count_nonzero(cells)) + int(np.count_nonzero(rows))


def farthest_reference(after: npt.NDArray[np.uint8]) -> tuple[int, int]:
    """The largest row number and column number that references name, from the bytes after
    each (0 when there are none). Vectorised: a sheet of a million rows has ten million."""
    if not len(after):
        return 0, 0
    letters = leading(np.logical_and(after >= ord("A"), after <= ord("Z")))
    columns = np.zeros(len(after), np.int64)
    for position in range(3):  # XFD, Excel's last column, has three letters
        value = after[:, position].astype(np.int64) - ord("A") + 1
        columns = np.where(position < letters, columns * 26 + value, columns)
    columns = np.where(letters > 3, TOO_FAR, columns)
    digits_from = np.minimum(letters, 4)[:, None] + np.arange(8)  # 1048576 has seven digits
    digits = np.take_along_axis(after, digits_from, axis=1)
    count = leading(np.logical_and(digits >= ord("0"), digits <= ord("9")))
    rows = np.zeros(len(after), np.int64)
    for position in range(7):
        value = digits[:, position].astype(np.int64) - ord("0")
        rows = np.where(position < count, rows * 10 + value, rows)
    rows = np.where(count > 7, TOO_FAR, rows)
    return int(rows.max()), int(columns.max())


def reference_windows(data: npt.NDArray[np.uint8], size: int) -> npt.NDArray[np.uint8]:
    """The WINDOW bytes after each ` r="` of the XML (its first `size` bytes), one row each."""
    starts_possible = size - len(REFERENCE) + 1
    if starts_possible <= 0:
        return np.zeros((0, WINDOW), np.uint8)
    found = np.ones(starts_possible, bool)
    for offset, byte in enumerate(REFERENCE):
        found &= data[offset : offset + starts_possible] == byte
    starts = np.flatnonzero(found) + len(REFERENCE)
    windows: npt.NDArray[np.uint8] = data[starts[:, None] + np.arange(WINDOW)]
    return windows


def leading(flags: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """How many True each row begins with."""
    ended = np.concatenate([flags, np.zeros((len(flags), 1), bool)], axis=1)
    counts: npt.NDArray[np.int64] = np.argmin(ended, axis=1).astype(np.int64)
    return counts


# Run as `python -c MEASURE LIMIT` with the package on standard input: each sheet's reach as
# calamine loads it, or nothing when calamine cannot read the file (the reader says why).
MEASURE = """
import io, json, resource, sys
memory = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
from python_calamine import CalamineError, CalamineWorkbook
reach = {}
try:
    book = CalamineWorkbook.from_filelike(io.BytesIO(sys.stdin.buffer.read()))
    for name in book.sheet_names:
        end = book.get_sheet_by_name(name).end
        reach[name] = [end[0] + 1, end[1] + 1] if end else [0, 0]
except CalamineError:
    reach = {}
print(json.dumps(reach))
"""


def measure_in_child(file: str, data: bytes, limits: ReadLimits) -> None:
    """Each sheet's reach as calamine loads it, in a child process that may use the memory
    the largest sheet allowed needs and no more; refused when the child cannot."""
    memory = CHILD_BASE_MEMORY + CHILD_MEMORY_PER_CELL * limits.max_cells
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", MEASURE, str(memory)],
            input=data,
            capture_output=True,
            timeout=CHILD_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise too_large_to_measure(file, limits) from error
    if done.returncode != 0:
        raise too_large_to_measure(file, limits)
    for sheet, (rows, columns) in json.loads(done.stdout).items():
        check_reach(file, sheet, rows, columns, limits)


def too_large_to_measure(file: str, limits: ReadLimits) -> ReadError:
    message = (
        f"Filen behöver mer minne än ett ark med {thousands(limits.max_cells)} celler "
        "(NUSO_IMPORT_MAX_CELLS) för att läsas: celler långt ifrån varandra eller upprepade "
        "celler gör arket större än det ser ut. Spara om den som .xlsx med bara tabellen, "
        "eller dela upp den."
    )
    return ReadError(file, "too-many-cells", message)
