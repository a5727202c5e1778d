"""Interpreting a table's rows column by column into the block that stores them: the study's
layout, the report's counts agree with the rows, and a row comes out the same whether it is
interpreted with its whole table or alone."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import polars as pl
import pytest

from nuso.core.harmonise.cascade import Harmoniser
from nuso.core.harmonise.codebook import shipped_codebook
from nuso.core.harmonise.dictionary import shipped_dictionaries
from nuso.core.intake import blocks
from nuso.core.intake.layout import locate_table
from nuso.core.intake.personal_numbers import luhn_digit
from nuso.core.intake.pseudonyms import find_numbers, pseudonym
from nuso.core.intake.reading import RawSheet, read_file
from nuso.core.intake.records import RowInterpreter, TableRecords
from tests.norwegian import a_number, an_fh_number

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CODEBOOK = shipped_codebook()
REFERRALS = {d.slug: d for d in shipped_dictionaries(CODEBOOK)}["aktualiseringar"]
KEY = "test-key-" + "0123456789" * 4
FILES = [
    "identity-numbers-only.xlsx",
    "reasons-in-several-columns.xlsx",
    "title-rows-and-total-row.xlsx",
    "windows-1252-semicolon.csv",
    "sex-column-with-unhelpful-header.xlsx",
]


def interpreter() -> RowInterpreter:
    return RowInterpreter(REFERRALS, CODEBOOK, Harmoniser(CODEBOOK), KEY, dt.date(2023, 7, 1))


def tables(name: str) -> list[TableRecords]:
    raw = read_file(CORPUS / name)
    reader = interpreter()
    return [
        reader.interpret(sheet, table)
        for sheet in raw.sheets
        if (table := locate_table(sheet, REFERRALS))
    ]


@pytest.mark.parametrize("name", FILES)
def test_a_table_becomes_a_block_of_the_study_layout(name: str) -> None:
    """Every column of the study's layout, with its type, then the file's cells by header;
    stored and read back unchanged."""
    found = tables(name)
    assert found
    layout = blocks.schema(REFERRALS)
    for records in found:
        frame = records.frame
        assert frame.height == records.rows > 0
        assert dict(list(frame.schema.items())[: len(layout)]) == layout
        cells = frame.columns[len(layout) :]
        assert cells
        assert all(name.startswith(blocks.CELL) for name in cells)
        assert frame[blocks.ROW].is_sorted()
        assert blocks.decode(blocks.encode(frame)).equals(frame)


@pytest.mark.parametrize("name", FILES)
def test_the_outcome_counts_are_the_rows_values(name: str) -> None:
    """The report's counts: each variable's outcomes cover the rows with a value or decision,
    and a row waits for review exactly when one of its outcomes does."""
    for records in tables(name):
        frame, by_variable = records.frame, Counter()
        for outcome, n in records.outcomes.items():
            by_variable[outcome.variable] += n
        for variable in REFERRALS.variables:
            method, value = (
                frame[blocks.METHOD + variable.name],
                frame[blocks.VALUE + variable.name],
            )
            assert by_variable[variable.name] >= (method.is_not_null() | value.is_not_null()).sum()
        waiting = sum(n for outcome, n in records.outcomes.items() if outcome.pending)
        assert (records.pending > 0) == (waiting > 0)
        assert records.pending == frame[blocks.PENDING].sum()


@pytest.mark.parametrize("name", FILES)
def test_a_row_is_the_same_alone_as_with_its_table(name: str) -> None:
    raw = read_file(CORPUS / name)
    for sheet in raw.sheets:
        table = locate_table(sheet, REFERRALS)
        if table is None:
            continue
        together = interpreter().interpret(sheet, table).frame
        alone = [interpreter().interpret(sheet, table, [n]).frame for n in table.data_rows]
        assert pl.concat(alone).equals(together)


def test_identity_numbers_become_pseudonyms_sex_and_age() -> None:
    """The corpus file has only identity numbers: each child's pseudonym is the keyed hash of
    the canonical number in its source cell, no number is left in the stored cells, and sex
    and age come from the number."""
    raw = read_file(CORPUS / "identity-numbers-only.xlsx")
    sheet = raw.sheets[0]
    table = locate_table(sheet, REFERRALS)
    assert table is not None
    column = table.columns_for("personnummer")[0].index
    frame = interpreter().interpret(sheet, table).frame
    cells = [name for name in frame.columns if name.startswith(blocks.CELL)]
    for record in frame.iter_rows(named=True):
        source = sheet.rows[record[blocks.ROW] - 1][column]
        assert source
        (number,) = find_numbers(source)
        assert number.canonical is not None
        assert record[blocks.PSEUDONYM] == pseudonym(number.canonical, KEY)
        stored = " ".join(str(record[name]) for name in cells)
        assert source not in stored
        assert stored.count(f"[pnr:{record[blocks.PSEUDONYM]}]") == 1
        serial_digit = int(number.canonical[-2])
        assert record["value:kon"] == ("pojke" if serial_digit % 2 else "flicka")
        assert record["method:kon"] == "derived"
        assert 0 <= record["value:alder"] <= 17


def test_norwegian_numbers_become_pseudonyms_sex_and_age() -> None:
    """A column of Norwegian numbers, written every way and some stored as numbers (their
    leading zero lost), is found by its content; each child gets the keyed hash of its
    number, and sex and age from it; an FH-nummer is masked and gives neither."""
    children = [
        (a_number(dt.date(2011, 1, 17), 601), "pojke", 12),
        (a_number(dt.date(2009, 9, 9), 555, "D-nummer"), "pojke", 13),
        (a_number(dt.date(2012, 12, 24), 800, "H-nummer"), "flicka", 10),
        (a_number(dt.date(2015, 2, 28), 782, tenor=True), "flicka", 8),
        (a_number(dt.date(2008, 11, 3), 520), "flicka", 14),
        (an_fh_number("9"), None, None),
    ]
    cells = [f"{children[0][0]}", f"{children[1][0][:6]} {children[1][0][6:]}",
             f"{children[2][0][:6]}-{children[2][0][6:]}", children[3][0],
             children[4][0][1:], children[5][0]]  # fmt: skip
    assert children[4][0][0] == "0"  # stored as a number: ten digits
    rows = [["Id", "Datum", "Åtgärd"]] + [
        [cell, "2023-05-01", "Utredning inleds"] for cell in cells
    ]
    sheet = RawSheet("Blad1", rows)
    table = locate_table(sheet, REFERRALS)
    assert table is not None
    assert table.columns[0].target == "personnummer"
    frame = interpreter().interpret(sheet, table).frame
    assert frame[blocks.PSEUDONYM].to_list() == [pseudonym(f"no{n}", KEY) for n, _, _ in children]
    assert frame["value:kon"].to_list() == [sex for _, sex, _ in children]
    assert frame["value:alder"].to_list() == [age for _, _, age in children]
    identity = next(c for c in frame.columns if c.startswith(blocks.CELL))
    assert frame[identity].to_list() == [f"[pnr:{p}]" for p in frame[blocks.PSEUDONYM]]


def test_numbers_that_mostly_fail_the_check_still_give_date_and_sex_but_no_pseudonym() -> None:
    """An export whose numbers mostly fail the Luhn check (test data made without it, last
    digits changed) still carries each child's birth date and sex digit: age and sex are
    read from them, marked 'unchecked'; the numbers are masked and never hashed. Written
    every way: ten and twelve digits, with and without a dash, inside a text."""
    children = [  # number with its check digit wrong, sex, age on 2023-05-01
        ("160228-0077", "pojke", 7),
        ("0908023332", "pojke", 13),
        ("20090210-6045", "flicka", 14),
        ("200703311074", "pojke", 16),
        ("Barnet 120505-1248 anmält", "flicka", 10),
    ]
    for text, _, _ in children:
        (found,) = find_numbers(text)
        assert found.canonical is None  # not valid: no canonical form
        assert found.claimed
    children = children * 2  # ten: fewer tell nothing (MIN_UNCHECKED)
    rows = [["Personnr", "Datum", "Åtgärd"]] + [
        [text, "2023-05-01", "Utredning inleds"] for text, _, _ in children
    ]
    sheet = RawSheet("Blad1", rows)
    table = locate_table(sheet, REFERRALS)
    assert table is not None
    frame = interpreter().interpret(sheet, table).frame
    assert frame[blocks.PSEUDONYM].to_list() == [None] * len(children)
    assert frame["value:kon"].to_list() == [sex for _, sex, _ in children]
    assert frame["value:alder"].to_list() == [age for _, _, age in children]
    assert set(frame["method:kon"]) == set(frame["method:alder"]) == {"unchecked"}
    identity = next(c for c in frame.columns if c.startswith(blocks.CELL))
    assert all("[pnr:ogiltigt]" in cell for cell in frame[identity].to_list())
    assert not any(ch.isdigit() for cell in frame[identity].to_list() for ch in cell)


def test_a_wrong_number_among_right_ones_gives_neither_sex_nor_age() -> None:
    """Where the check digits work, a number that fails is a typo of any digit, perhaps
    another child's number: masked, and nothing read from it."""
    right = [valid_number(dt.date(2010, 3, day), 123 + day) for day in range(1, 6)]
    rows = [["Personnr", "Datum", "Åtgärd"]] + [
        [text, "2023-05-01", "Utredning inleds"] for text in [*right, "160228-0077"]
    ]
    sheet = RawSheet("Blad1", rows)
    table = locate_table(sheet, REFERRALS)
    assert table is not None
    frame = interpreter().interpret(sheet, table).frame
    assert frame["value:kon"].to_list()[-1] is None
    assert frame["value:alder"].to_list()[-1] is None
    assert frame["value:alder"].to_list()[:-1] == [13] * 5
    assert set(frame["method:kon"].to_list()[:-1]) == {"derived"}


def valid_number(born: dt.date, serial: int) -> str:
    """A Swedish number (YYMMDD-NNNC) with its Luhn digit."""
    body = f"{born:%y%m%d}{serial:03d}"
    return f"{body[:6]}-{body[6:]}{luhn_digit(body)}"


@pytest.mark.parametrize("wrong_ones", [1, 12])
def test_a_row_with_a_wrong_number_is_the_same_alone_as_with_its_table(wrong_ones: int) -> None:
    """Whether the check digits say anything is the table's to tell, not the rows asked
    for: a wrong number among right ones gives nothing however it is interpreted, and one
    among wrong ones gives its date and sex digit alone too."""
    right = [valid_number(dt.date(2010, 3, day), 123 + day) for day in range(1, 5)]
    wrong = [mistyped(valid_number(dt.date(2016, 2, 1 + day), 7)) for day in range(wrong_ones)]
    rows = [["Personnr", "Datum", "Åtgärd"]] + [
        [text, "2023-05-01", "Utredning inleds"] for text in [*right, *wrong]
    ]
    sheet = RawSheet("Blad1", rows)
    table = locate_table(sheet, REFERRALS)
    assert table is not None
    together = interpreter().interpret(sheet, table).frame
    alone = [interpreter().interpret(sheet, table, [n]).frame for n in table.data_rows]
    assert pl.concat(alone).equals(together)
    ages = together["value:alder"].to_list()
    assert (ages[-1] is None) == (wrong_ones == 1)


def mistyped(number: str) -> str:
    """The number with its check digit one off."""
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def test_two_wrong_numbers_of_three_tell_nothing() -> None:
    """A small table's typos are typos: "most fail" needs MIN_UNCHECKED numbers that fail."""
    texts = [
        mistyped(valid_number(dt.date(2012, 5, 1), 7)),
        mistyped(valid_number(dt.date(2013, 6, 2), 9)),
        valid_number(dt.date(2014, 7, 3), 11),
    ]
    rows = [["Personnr", "Datum", "Åtgärd"]] + [
        [t, "2023-05-01", "Utredning inleds"] for t in texts
    ]
    sheet = RawSheet("Blad1", rows)
    table = locate_table(sheet, REFERRALS)
    assert table is not None
    frame = interpreter().interpret(sheet, table).frame
    assert frame["value:alder"].to_list() == [None, None, 8]
