"""The hostile-file suite (issue 16): every file is either imported or refused with a clear
Swedish message, no file ends the import of the others, and nothing already stored is lost.
The files are made at run time by tests/hostile_files.py (a zip bomb is never committed)."""

from __future__ import annotations

import codecs
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import xlsxwriter

from nuso.core.errors import Problem
from nuso.core.harmonise.codebook import shipped_codebook
from nuso.core.harmonise.dictionary import shipped_dictionaries
from nuso.core.intake.layout import locate_table
from nuso.core.intake.limits import ReadLimits
from nuso.core.intake.reading import ReadError, ReadOptions, read_file
from nuso.core.intake.report import ImportReport
from nuso.intake.models import ImportBatch

from . import hostile_files as hostile
from .corpus.make_corpus import ole_container
from .records import stored_records

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
IMPORT = ("--study", "aktualiseringar", "--period", "2023", "--kommun", "1780")
REFERRALS = next(d for d in shipped_dictionaries(shipped_codebook()) if d.slug == "aktualiseringar")
SMALL = ReadOptions(ReadLimits(max_cells=1_000_000))  # a child measuring in little memory


def refusal(path: Path, options: ReadOptions | None = None) -> str:
    """Why the file is refused, as the user reads it."""
    with pytest.raises(ReadError) as refused:
        read_file(path, options=options)
    (problem,) = refused.value.problems
    assert problem.file == path.name
    return problem.describe()


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 MB on disk, a 3 GB sheet."""
    return hostile.zip_bomb(tmp_path_factory.mktemp("bomb") / "1780-zip-bomb.xlsx")


# --- One file can end a whole run ---


def test_a_csv_cell_beyond_the_limit_is_refused_naming_its_line(tmp_path: Path) -> None:
    said = refusal(hostile.long_cell_csv(tmp_path / "long-cell.csv"))
    assert said.startswith("long-cell.csv, rad 3: En cell har mer än 131 072 tecken")
    assert "NUSO_IMPORT_MAX_CELL_CHARS" in said
    assert "citattecken" in said  # the usual cause


def test_a_longer_cell_is_read_when_the_limit_allows_it(tmp_path: Path) -> None:
    path = hostile.long_cell_csv(tmp_path / "long-cell.csv")
    raw = read_file(path, options=ReadOptions(ReadLimits(max_cell_chars=300_000)))
    assert len(raw.sheets[0].rows[2][3] or "") == 200_000


MEASURE_BOMB = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (4_000_000_000, 4_000_000_000))  # never the machine's
from pathlib import Path
from nuso.core.intake.reading import ReadError, read_file
started = time.perf_counter()
try:
    read_file(Path(sys.argv[1]))
    said = "read"
except ReadError as error:
    said = str(error)
seconds = time.perf_counter() - started
# This process's own peak (ru_maxrss would count the parent's memory at the fork too).
status = Path("/proc/self/status").read_text()
peak_mb = int(status.split("VmHWM:")[1].split()[0]) / 1024
print(json.dumps({"said": said, "seconds": seconds, "peak_mb": peak_mb}))
"""


def test_a_zip_bomb_is_refused_from_its_directory_in_little_memory(bomb: Path) -> None:
    """Measured in a process of its own, whose memory is capped should the refusal fail."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE_BOMB, str(bomb)],
        capture_output=True, text=True, timeout=120, check=True, cwd=ROOT,
    )  # fmt: skip
    measured = json.loads(done.stdout)
    assert measured["said"].startswith("1780-zip-bomb.xlsx: Filen packas upp till 3 000 MB")
    assert "NUSO_IMPORT_MAX_MB" in measured["said"]
    assert measured["seconds"] < 1
    assert measured["peak_mb"] < 300  # the interpreter and the 12 MB file; the sheet is 3 GB


def test_a_part_packed_far_tighter_than_any_sheet_is_refused(tmp_path: Path) -> None:
    path = hostile.zip_bomb(tmp_path / "packed-tight.xlsx", unpacked_mb=50)  # within the size
    said = refusal(path)
    assert "Delen 'xl/worksheets/sheet1.xml' packas upp till" in said
    assert "NUSO_IMPORT_MAX_RATIO" in said


def test_two_cells_far_apart_are_refused_before_the_grid_between_them_is_made(
    tmp_path: Path,
) -> None:
    said = refusal(hostile.far_apart_cells(tmp_path / "far-apart.xlsx"))
    assert said.startswith(
        "far-apart.xlsx, flik 'Aktualiseringar': Fliken sträcker sig över 1 048 576 rader och "
        "16 384 kolumner; högst 20 000 000 celler läses (NUSO_IMPORT_MAX_CELLS)"
    )


def test_cells_without_references_are_measured_by_calamine_in_a_child(tmp_path: Path) -> None:
    """Its references reach 1 048 576 rows and 5 columns, within the limits; calamine would
    make 16 384 columns of them (550 GB), and the child it does so in fails alone."""
    path = hostile.far_apart_cells_without_references(tmp_path / "no-references.xlsx")
    said = refusal(path)
    assert "Filen behöver mer minne än ett ark med 20 000 000 celler" in said


def test_cells_repeated_by_attribute_in_an_ods_are_refused(tmp_path: Path) -> None:
    said = refusal(hostile.repeated_ods_cells(tmp_path / "repeated.ods"), SMALL)
    assert "NUSO_IMPORT_MAX_CELLS" in said


def test_an_ods_within_the_limits_is_measured_and_read(tmp_path: Path) -> None:
    path = hostile.repeated_ods_cells(tmp_path / "small.ods", rows=3, columns=4)
    raw = read_file(path, options=SMALL)
    assert raw.sheets[0].rows == [["x"] * 4] * 3


def test_a_part_holding_more_than_the_directory_says_is_refused(tmp_path: Path) -> None:
    said = refusal(hostile.understated_sizes(tmp_path / "understated.xlsx"))
    assert "Filen är skadad (delen 'xl/worksheets/sheet1.xml'" in said


def test_a_sheet_declaring_a_dimension_beyond_the_limits_is_refused_at_its_start(
    tmp_path: Path,
) -> None:
    declared = hostile.SHEET_START.replace(
        b"<sheetData>", b'<dimension ref="A1:Z2000000"/><sheetData>'
    )
    path = hostile.workbook(tmp_path / "declared.xlsx", declared + hostile.SHEET_END)
    assert "högst 1 048 576 rader läses (NUSO_IMPORT_MAX_ROWS)" in refusal(path)


def test_rows_and_columns_of_a_text_file_are_limited_too(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("a;b;c\n1;2;3\n4;5;6\n", encoding="utf-8")
    rows = refusal(path, ReadOptions(ReadLimits(max_rows=2)))
    assert "högst 2 rader läses (NUSO_IMPORT_MAX_ROWS)" in rows
    columns = refusal(path, ReadOptions(ReadLimits(max_columns=2)))
    assert "högst 2 kolumner läses (NUSO_IMPORT_MAX_COLUMNS)" in columns


def test_a_file_larger_than_the_limit_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "large.csv"
    path.write_bytes(b"a;b\n" + b"1;2\n" * 300_000)
    assert "mer än gränsen 1 MB (NUSO_IMPORT_MAX_MB)" in refusal(
        path, ReadOptions(ReadLimits(max_mb=1))
    )


def test_an_ordinary_workbook_passes_every_check(tmp_path: Path) -> None:
    raw = read_file(hostile.workbook(tmp_path / "ordinary.xlsx", hostile.table_sheet()))
    assert raw.sheets[0].rows == [hostile.HEADER, *hostile.ROWS]


@pytest.fixture
def initialised(nuso):
    nuso("init")
    return nuso


def hostile_delivery(folder: Path, bomb: Path) -> Path:
    """A delivery of every file that has ended an import, and a good file after them."""
    folder.mkdir()
    shutil.copy(bomb, folder / "1-zip-bomb.xlsx")
    hostile.long_cell_csv(folder / "2-long-cell.csv")
    hostile.far_apart_cells(folder / "3-far-apart.xlsx")
    hostile.far_apart_cells_without_references(folder / "4-no-references.xlsx")
    hostile.understated_sizes(folder / "5-understated.xlsx")
    shutil.copy(CORPUS / "bom-utf8-comma.csv", folder / "9-good.csv")
    return folder


def test_after_hostile_files_the_next_file_is_imported_and_a_rerun_does_the_same(
    initialised, tmp_path: Path, bomb: Path
) -> None:
    delivery = hostile_delivery(tmp_path / "leverans", bomb)
    first = initialised("import", str(delivery), *IMPORT)
    assert first.exit_code == 1
    assert "5 av 6 filer kunde inte läsas in" in first.err
    for name, said in [
        ("1-zip-bomb.xlsx", "Filen packas upp till 3 000 MB"),
        ("2-long-cell.csv", "rad 3: En cell har mer än 131 072 tecken"),
        ("3-far-apart.xlsx", "flik 'Aktualiseringar': Fliken sträcker sig över 1 048 576 rader"),
        ("4-no-references.xlsx", "Filen behöver mer minne än ett ark med"),
        ("5-understated.xlsx", "Filen är skadad"),
    ]:
        assert f"{name}: " in first.out
        assert said in " ".join(first.out.split())  # Rich may wrap long lines
    assert "Totalt 3 rader inlästa från 1 av 6 filer" in first.out
    assert len(stored_records()) == 3

    again = initialised("import", str(delivery), *IMPORT)
    assert again.exit_code == 1
    assert "5 av 6 filer kunde inte läsas in" in again.err
    assert "redan inläst" in again.out
    assert len(stored_records()) == 3  # nothing lost, nothing twice
    assert ImportBatch.objects.filter(status="failed").count() == 10


# --- Smaller things that mislead ---


def test_an_old_xls_renamed_xlsx_is_read_by_its_content(tmp_path: Path) -> None:
    renamed = tmp_path / "legacy-renamed.xlsx"
    shutil.copy(CORPUS / "legacy-excel-97.xls", renamed)
    raw = read_file(renamed)
    assert raw.sheets[0].rows[2][:2] == ["Kön", "Ålder"]


def test_an_xlsx_renamed_csv_is_read_as_a_workbook(tmp_path: Path) -> None:
    renamed = tmp_path / "workbook.csv"
    hostile.workbook(renamed, hostile.table_sheet())
    assert read_file(renamed).sheets[0].rows[0] == hostile.HEADER


def test_an_encrypted_workbook_is_still_called_encrypted_whatever_its_name(tmp_path: Path) -> None:
    for name in ("encrypted.xlsx", "encrypted.xls"):
        shutil.copy(CORPUS / "encrypted-password-protected.xlsx", tmp_path / name)
        assert "Filen är krypterad eller lösenordsskyddad" in refusal(tmp_path / name)


def test_an_ole_container_that_is_no_workbook_is_unreadable_not_encrypted(
    tmp_path: Path,
) -> None:
    path = tmp_path / "not-a-workbook.xls"
    path.write_bytes(ole_container({"WordDocument": b"\0" * 4096}))
    said = refusal(path)
    assert "Filen går inte att läsa som kalkylark" in said
    assert "Om den är lösenordsskyddad" in said


@pytest.mark.parametrize(
    ("encoding", "bom", "found"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
        ("utf-16-le", b"", "utf-16-le"),
        ("utf-16-be", b"", "utf-16-be"),
    ],
)
def test_utf16_text_is_decoded_and_its_table_found(
    tmp_path: Path, encoding: str, bom: bytes, found: str
) -> None:
    """Excel's "Unicode text": UTF-16 with tabs; with its byte order mark or without."""
    path = tmp_path / "unicode-text.txt"
    lines = ["\t".join(row) for row in [hostile.HEADER, *hostile.ROWS]]
    path.write_bytes(bom + "\r\n".join(lines).encode(encoding))
    raw = read_file(path)
    assert (raw.encoding, raw.delimiter) == (found, "\t")
    assert raw.sheets[0].rows[:2] == [hostile.HEADER, hostile.ROWS[0]]
    table = locate_table(raw.sheets[0], REFERRALS)
    assert table is not None
    assert table.data_rows == [2, 3]


def test_excel_serial_dates_are_read_as_dates_in_date_columns_only(initialised, tmp_path) -> None:
    """A date cell that lost its format holds 45124 (2023-07-17); a CSV of one holds the same
    as text. Read as dates in a date column, within 1990–2099; an age or a count stays one."""
    path = tmp_path / "serial-dates.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Data")
    rows = [
        ["Datum", "Födelsedatum", "Kön", "Aktualiseringstyp", "Åtgärd", "Antal"],
        [45124, "39000", "F", "Anmälan", "Utredning inleds", 45124],  # born 2006-10-10
        ["45124", None, "P", "Anmälan", "Utredning inleds", 3],
        [12, None, "F", "Anmälan", "Utredning inleds", 2],  # no plausible date
    ]
    for number, row in enumerate(rows):
        for column, value in enumerate(row):
            if value is not None:
                sheet.write(number, column, value)
    book.close()
    result = initialised("import", str(path), *IMPORT)
    assert result.exit_code == 0, result.out
    first, second, third = stored_records()
    assert first.values["aktualiseringsdatum"] == "2023-07-17"
    assert first.values["alder"] == 16  # from the serial birth date, on the serial date
    assert first.raw["Antal"] == "45124"  # no date column: stays a number
    assert second.values["aktualiseringsdatum"] == "2023-07-17"
    assert third.values.get("aktualiseringsdatum") is None
    flags = ImportBatch.objects.get().report["flaggor"]
    assert flags == {"okänt värde i aktualiseringsdatum: '12'": 1}


def workbook_with_hidden_sheets(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    for name, rows in [("Aktualiseringar", 1), ("Utkast", 2), ("Makro", 3)]:
        sheet = book.add_worksheet(name)
        for number, row in enumerate([hostile.HEADER, *hostile.ROWS[:1] * rows]):
            sheet.write_row(number, 0, row)
        if name == "Utkast":
            sheet.hide()
        elif name == "Makro":
            sheet.very_hidden()
    book.close()
    return path


def test_hidden_sheets_are_reported_and_very_hidden_ones_read_only_when_asked(
    initialised, tmp_path
) -> None:
    path = workbook_with_hidden_sheets(tmp_path / "hidden-sheets.xlsx")
    result = initialised("import", str(path), *IMPORT)
    assert result.exit_code == 0
    said = " ".join(result.out.split())
    assert (
        "hidden-sheets.xlsx: flik 'Utkast': Fliken är dold i arbetsboken men har en tabell" in said
    )
    assert "flik 'Makro': Fliken är mycket dold" in said
    assert "--mycket-dolda-flikar" in said
    assert sorted({r.sheet for r in stored_records()}) == ["Aktualiseringar", "Utkast"]
    notes = ImportBatch.objects.get().report["anmärkningar"]
    assert [(n["kod"], n["flik"]) for n in notes] == [
        ("hidden-sheet", "Utkast"),
        ("very-hidden-sheet", "Makro"),
    ]

    asked = initialised("import", str(path), *IMPORT, "--mycket-dolda-flikar")
    assert asked.exit_code == 0
    current = ImportBatch.objects.get(status="imported")
    assert {r.sheet for r in stored_records(current)} == {"Aktualiseringar", "Utkast", "Makro"}


def test_columns_of_one_header_with_different_values_are_reported(initialised, tmp_path) -> None:
    path = tmp_path / "twice.csv"
    path.write_text(
        "Kön;Ålder;Kön;Aktualiseringstyp;Åtgärd\n"
        "F;15;F;Anmälan;Utredning inleds\n"
        "P;3;F;Anmälan;Utredning inleds\n"
        "F;9;;Anmälan;Utredning inleds\n",
        encoding="utf-8",
    )
    result = initialised("import", str(path), *IMPORT)
    said = " ".join(result.out.split())
    assert (
        "twice.csv: rad 3, kolumn 'Kön': Kolumnen finns två gånger, i kolumn A och C, med olika "
        "värden i 2 rader (den första är rad 3). Värdena i kolumn A lästes som kon"
    ) in said
    (note,) = ImportBatch.objects.get().report["anmärkningar"]
    assert (note["kod"], note["rad"], note["kolumn"]) == ("conflicting-columns", 3, "Kön")


def test_columns_of_one_header_with_the_same_values_are_no_news(initialised, tmp_path) -> None:
    path = tmp_path / "twice-alike.csv"
    path.write_text("Kön;Ålder;Kön;Aktualiseringstyp\nF;15;F;Anmälan\nP;3;P;Anmälan\n")
    initialised("import", str(path), *IMPORT)
    assert "anmärkningar" not in ImportBatch.objects.get().report


def test_notes_are_stored_with_the_report_and_read_back() -> None:
    note = Problem("hidden-sheet", "Fliken är dold.", sheet="Utkast")
    report = ImportReport(file="a.xlsx", notes=(note,))
    assert ImportReport.from_json(report.to_json()).notes == (note,)
    assert "anmärkningar" not in ImportReport(file="a.xlsx").to_json()  # as stored before


def test_control_characters_and_markup_in_a_file_name_are_printed_as_text(
    initialised, tmp_path
) -> None:
    """An escape sequence in a name would clear the terminal or recolour the output, and
    brackets in it were read as Rich markup."""
    (tmp_path / "1780-\x1b[2J\x1b[31mröd[bold]\u202e.csv").write_bytes(b"")
    shutil.copy(CORPUS / "bom-utf8-comma.csv", tmp_path / "1780-\x1b]0;titel\x07.csv")
    result = initialised("import", str(tmp_path), "--study", "aktualiseringar", "--period", "2023")
    assert result.exit_code == 1
    assert "\x1b" not in result.out + result.err
    assert "\u202e" not in result.out + result.err
    assert "1780-[2J[31mröd[bold].csv: Filen är tom" in result.out
    assert "Totalt 3 rader inlästa från 1 av 2 filer" in result.out


def test_a_problems_place_names_its_file_without_control_characters() -> None:
    problem = Problem("empty-file", "Filen är tom.", file="a\x1b[31m\x9b2J.csv", row=2)
    assert problem.describe() == "a[31m2J.csv, rad 2: Filen är tom."
