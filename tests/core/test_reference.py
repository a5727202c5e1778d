"""Reading newer SCB/SKR tables: every problem reported with its place, nothing accepted
from a file with problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from nuso.core.errors import InputError
from nuso.core.reference import read_update, shipped_counties, shipped_municipalities

KNOWN = {m.code for m in shipped_municipalities()}
COUNTIES = {c.code for c in shipped_counties()}


def read(tmp_path: Path, content: bytes, name: str = "tabell.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return read_update(path, KNOWN, COUNTIES)


def problems_of(tmp_path: Path, content: bytes) -> list[tuple[str, int | None, str | None]]:
    with pytest.raises(InputError) as error:
        read(tmp_path, content)
    return [(p.code, p.row, p.value) for p in error.value.problems]


def test_shipped_tables_are_complete() -> None:
    municipalities = shipped_municipalities()
    assert len(municipalities) == 290
    assert len(shipped_counties()) == 21
    assert all(m.code.startswith(m.county_code) for m in municipalities)
    groups = {}
    for m in municipalities:
        groups[m.municipality_group] = groups.get(m.municipality_group, 0) + 1
    assert groups == {"A1": 3, "A2": 43, "B3": 23, "B4": 63, "B5": 24, "C6": 27, "C7": 51,
                      "C8": 35, "C9": 21}  # fmt: skip


def test_windows_1252_semicolon_table_with_swedish_headers(tmp_path: Path) -> None:
    content = "Kommunkod;Kommun;Folkmängd\n1780;Karlstad;99 500\n".encode("cp1252")
    update = read(tmp_path, content)
    assert update.changes == {"1780": {"name": "Karlstad", "population": 99_500}}


def test_excel_stripped_leading_zeros_are_restored(tmp_path: Path) -> None:
    update = read(tmp_path, b"kommunkod,folkmangd\n114,50400\n")
    assert "0114" in update.changes


def test_thousands_with_non_breaking_spaces(tmp_path: Path) -> None:
    update = read(tmp_path, "kommunkod,folkmangd\n1780,98\u00a0084\n".encode())
    assert update.changes["1780"]["population"] == 98_084


def test_every_problem_is_reported_with_its_row(tmp_path: Path) -> None:
    content = (
        b"kommunkod,folkmangd,kommungrupp,lan_kod\n"
        b"9999,1,A1,17\n1780,x,B3,17\n1780,5,Q1,17\n1784,5,B3,01\n"
    )
    assert problems_of(tmp_path, content) == [
        ("bad-value", 2, "9999"),
        ("bad-value", 3, "x"),
        ("bad-value", 4, "Q1"),
        ("county-mismatch", 5, "01"),
    ]


def test_duplicate_codes_are_refused(tmp_path: Path) -> None:
    assert problems_of(tmp_path, b"kommunkod,folkmangd\n1780,1\n1780,2\n") == [
        ("duplicate-code", 3, "1780")
    ]


def test_a_table_without_code_column_is_refused(tmp_path: Path) -> None:
    assert problems_of(tmp_path, b"namn,folkmangd\nKarlstad,1\n") == [("missing-column", 1, None)]


def test_a_table_with_nothing_to_update_is_refused(tmp_path: Path) -> None:
    assert problems_of(tmp_path, b"kommunkod,antal\n1780,1\n") == [("no-data-columns", 1, None)]


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    assert problems_of(tmp_path, b"") == [("empty-file", None, None)]


def test_unknown_columns_are_reported_not_loaded(tmp_path: Path) -> None:
    update = read(tmp_path, b"kommunkod,folkmangd,kommentar\n1780,5,hej\n")
    assert update.ignored_columns == ["kommentar"]


def test_problem_descriptions_name_file_row_column_and_value(tmp_path: Path) -> None:
    with pytest.raises(InputError) as error:
        read(tmp_path, b"kommunkod,folkmangd\n1780,abc\n", name="scb.csv")
    assert str(error.value).startswith("scb.csv, rad 2, kolumn 'folkmangd', värde 'abc': ")
