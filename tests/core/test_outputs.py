"""The output registry (nuso.core.outputs): every format is declared once and read from
there; every writer a spreadsheet opens neutralises formula starts, the data formats keep
values exact; no writer of tables lets a suppressed figure through; files are named one way."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import polars as pl
import pytest
from python_calamine import CalamineWorkbook

from nuso.core.analysis.indicators.frame import RESULT_COLUMNS
from nuso.core.analysis.indicators.inputs import StudyInput
from nuso.core.harmonise.table_definitions import TableDefinition
from nuso.core.outputs import registry
from nuso.core.outputs.registry import (
    ROWS,
    TABLES,
    Writer,
    file_name,
    formats,
    register,
    write_rows,
    write_tables,
    writers,
)  # fmt: skip
from nuso.core.outputs.rows import RowSet, csv_chunks
from nuso.core.outputs.tables import SUPPRESSED_MARK, TableSet

FORMULA = '=HYPERLINK("http://x")'
ROWS_FRAME = pl.DataFrame({"fil": [FORMULA, "-1 Skolk", "Karlstad 2023.csv"], "rad": [2, 3, 4]})
SECRETS = (7777, 8888, 0.87654)  # a suppressed row's figures, which must not be written


def read_back(path: Path, format_: str) -> list[object]:
    """The column `fil` as a reader of the format gets it."""
    if format_ == "csv":
        return pl.read_csv(path)["fil"].to_list()
    if format_ == "xlsx":
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        return [row[0] for row in sheet[1:]]
    if format_ == "parquet":
        return pl.read_parquet(path)["fil"].to_list()
    if format_ == "sav":
        import pyreadstat

        data, _ = pyreadstat.read_sav(str(path))
        return list(data["fil"])
    raise AssertionError(f"no reader for {format_}: add one here")


@pytest.mark.parametrize("format_", formats(ROWS))
def test_row_writers_neutralise_formulas_where_a_spreadsheet_opens_them(tmp_path, format_) -> None:
    path = tmp_path / f"rader.{format_}"
    rows = RowSet(ROWS_FRAME, {"fil": "Fil", "rad": "Rad"})
    assert write_rows(format_, rows, path) == 3
    written = read_back(path, format_)
    if registry.writer(format_).neutralises:
        assert written == ["'" + FORMULA, "'-1 Skolk", "Karlstad 2023.csv"]
    else:  # a data format: the values as they are
        assert written == ROWS_FRAME["fil"].to_list()


def test_the_formats_that_neutralise_are_those_spreadsheets_open() -> None:
    assert {w.format for w in writers(ROWS) + writers(TABLES) if w.neutralises} == {"csv", "xlsx"}


def test_a_streamed_csv_is_the_written_one(tmp_path) -> None:
    path = tmp_path / "rader.csv"
    write_rows("csv", RowSet(ROWS_FRAME), path)
    halves = [ROWS_FRAME.slice(0, 1), ROWS_FRAME.slice(1)]
    assert b"".join(csv_chunks(halves)) == path.read_bytes()


def suppressed_tables() -> TableSet:
    """One table whose second row is marked suppressed but (as a faulty engine might leave
    it) still holds its figures."""
    definition = TableDefinition("kon", "Kön", "distribution", ("kon",), compare=False)
    study = StudyInput((definition,), pl.DataFrame(), {}, {"kon": {"flicka": "Flicka"}}, {},
                       frozenset())  # fmt: skip
    antal, total, andel = SECRETS
    rows = pl.DataFrame({
        "tabell": ["kon", "kon"], "niva": ["riket", "riket"], "enhet": ["riket", "riket"],
        "period": ["2023", "2023"], "kon": ["pojke", "flicka"], "antal": [120, antal],
        "total": [500, total], "andel": [0.24, andel], "ki_lag": [0.2, andel],
        "ki_hog": [0.28, andel], "undertryckt": [False, True],
    })  # fmt: skip
    rest = [pl.lit(None).alias(name) for name in RESULT_COLUMNS if name not in rows.columns]
    return TableSet({"kon": rows.with_columns(rest)}, study, min_count=5)


def written_text(path: Path) -> str:
    """Every text in the file: a zip's members (and the zips inside it, as a deck's charts
    hold their workbooks) read as text."""
    if zipfile.is_zipfile(path):
        return zip_text(path.read_bytes())
    return path.read_text(encoding="utf-8-sig")


def zip_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [archive.read(name) for name in archive.namelist()]
    return "".join(zip_text(member) if member[:2] == b"PK" else member.decode("utf-8", "replace")
                   for member in members)  # fmt: skip


@pytest.mark.parametrize("format_", formats(TABLES))
def test_no_table_writer_writes_a_suppressed_figure(tmp_path, format_) -> None:
    path = tmp_path / f"tabeller.{format_}"
    assert write_tables(format_, suppressed_tables(), path) == 2
    text = written_text(path)
    assert "120" in text
    assert "500" in text
    for secret in SECRETS:
        assert str(secret) not in text, secret


def test_the_workbook_shows_suppressed_cells_as_two_dots(tmp_path) -> None:
    path = tmp_path / "tabeller.xlsx"
    write_tables("xlsx", suppressed_tables(), path)
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("kon").to_python()
    header, girls = sheet[1], sheet[3]
    assert girls[header.index("Antal")] == girls[header.index("Andel")] == SUPPRESSED_MARK
    assert f"{SUPPRESSED_MARK} = undertryckt: färre än 5" in sheet[0][0]


def test_the_workbook_has_shares_as_numbers_and_a_sheet_on_the_method(tmp_path) -> None:
    path = tmp_path / "tabeller.xlsx"
    write_tables("xlsx", suppressed_tables(), path)
    workbook = CalamineWorkbook.from_path(str(path))
    assert workbook.sheet_names[-1] == "Om metoden"
    method = " ".join(str(c) for row in workbook.get_sheet_by_name("Om metoden").to_python()
                      for c in row)  # fmt: skip
    assert "95 % konfidensintervall" in method
    assert "Antal under 5 visas inte" in method
    sheet = workbook.get_sheet_by_name("kon").to_python()
    boys = sheet[2]
    assert boys[sheet[1].index("Andel")] == 0.24  # a number (shown in percent format)


def test_tables_whose_names_excel_cuts_alike_get_a_sheet_each(tmp_path) -> None:
    """Excel's sheet names have 31 characters: two tables alike in their first 31 (the
    Norwegian study's 'undersokelse_per_saksinnhold_gruppe' and its view by sex) made the
    workbook fail."""
    one = suppressed_tables()
    rows = one.tables["kon"]
    names = ["undersokelse_per_saksinnhold_gruppe", "undersokelse_per_saksinnhold_gruppe_kjonn",
             "undersokelse_per_saksinnhold_gruppe_alder"]  # fmt: skip
    definitions = tuple(TableDefinition(n, n, "distribution", ("kon",), compare=False)
                        for n in names)  # fmt: skip
    study = StudyInput(definitions, pl.DataFrame(), {}, {"kon": {}}, {}, frozenset())
    tables = TableSet({n: rows.with_columns(pl.lit(n).alias("tabell")) for n in names}, study, 5)
    path = tmp_path / "tabeller.xlsx"
    write_tables("xlsx", tables, path)
    sheets = CalamineWorkbook.from_path(str(path)).sheet_names
    assert sheets == ["undersokelse_per_saksinnhold_gr", "undersokelse_per_saksinnhold_~2",
                      "undersokelse_per_saksinnhold_~3", "Om metoden"]  # fmt: skip


def test_machine_formats_leave_suppressed_cells_empty(tmp_path) -> None:
    write_tables("json", suppressed_tables(), tmp_path / "t.json")
    girls = json.loads((tmp_path / "t.json").read_text("utf-8"))["tabeller"][0]["rader"][1]
    assert (girls["antal"], girls["andel"], girls["undertryckt"]) == (None, None, True)


def test_a_format_registered_elsewhere_joins_the_lists(monkeypatch) -> None:
    monkeypatch.setattr(registry, "_writers", dict(registry._writers))
    deck = Writer("odp", "odp", "application/vnd.oasis.opendocument.presentation",
                  "OpenDocument", tables=lambda tables, path: None)  # fmt: skip
    register(deck)
    register(deck)  # the same writer again (a module imported twice): no change
    assert formats(TABLES)[-1] == "odp"
    assert "odp" not in formats(ROWS)
    assert registry.pattern(TABLES).endswith("|odp")
    with pytest.raises(ValueError, match="redan registrerat"):
        register(Writer("odp", "odp", "application/x-other", "Annat", tables=deck.tables))


def test_a_writer_refuses_what_it_cannot_write(tmp_path) -> None:
    with pytest.raises(ValueError, match="skriver inte tabeller"):
        write_tables("sav", suppressed_tables(), tmp_path / "t.sav")
    with pytest.raises(ValueError, match="Okänt format 'docx'"):
        registry.writer("docx")


def test_files_are_named_by_study_place_kind_and_period() -> None:
    assert (
        file_name("aktualiseringar", "1780", ROWS, "xlsx") == "nuso-aktualiseringar-1780-rader.xlsx"
    )
    assert (file_name("avslutade_utredningar", registry.NATIONAL, TABLES, "csv", "2023")
            == "nuso-avslutade_utredningar-riket-tabeller-2023.csv")  # fmt: skip
