"""Interpreting a table's rows column by column: the stored JSON says exactly what the record
says, and a row comes out the same whether it is interpreted with its whole table or alone."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from nuso.core.codebook import shipped_codebook
from nuso.core.dictionary import shipped_dictionaries
from nuso.core.harmonise import Harmoniser
from nuso.core.pseudonyms import find_numbers, pseudonym
from nuso.core.reading import read_file
from nuso.core.records import RowInterpreter, RowRecord
from nuso.core.tables import locate_table

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


def records(name: str) -> list[RowRecord]:
    raw = read_file(CORPUS / name)
    reader = interpreter()
    return [
        record
        for sheet in raw.sheets
        if (table := locate_table(sheet, REFERRALS))
        for record in reader.interpret(sheet, table)
    ]


def stored(record: RowRecord) -> tuple[object, ...]:
    return (
        record.sheet,
        record.row,
        json.loads(record.raw_json),
        json.loads(record.values_json),
        json.loads(record.decisions_json),
        record.pending_review,
        record.pseudonym,
    )


@pytest.mark.parametrize("name", FILES)
def test_the_stored_json_is_the_record(name: str) -> None:
    found = records(name)
    assert found
    for record in found:
        assert json.loads(record.raw_json) == record.raw
        assert json.loads(record.values_json) == record.values
        assert json.loads(record.decisions_json) == record.decisions
        assert record.pending_review == bool(record.pending)


@pytest.mark.parametrize("name", FILES)
def test_a_row_is_the_same_alone_as_with_its_table(name: str) -> None:
    raw = read_file(CORPUS / name)
    for sheet in raw.sheets:
        table = locate_table(sheet, REFERRALS)
        if table is None:
            continue
        together = [stored(r) for r in interpreter().interpret(sheet, table)]
        alone = [stored(interpreter().interpret(sheet, table, [n])[0]) for n in table.data_rows]
        assert together == alone


def test_identity_numbers_become_pseudonyms_sex_and_age() -> None:
    """The corpus file has only identity numbers: each child's pseudonym is the keyed hash of
    the canonical number in its source cell, no number is left in the stored cells, and sex
    and age come from the number."""
    raw = read_file(CORPUS / "identity-numbers-only.xlsx")
    sheet = raw.sheets[0]
    table = locate_table(sheet, REFERRALS)
    assert table is not None
    column = table.columns_for("personnummer")[0].index
    for record in interpreter().interpret(sheet, table):
        source = sheet.rows[record.row - 1][column]
        assert source
        (number,) = find_numbers(source)
        assert number.canonical is not None
        assert record.pseudonym == pseudonym(number.canonical, KEY)
        assert source not in record.raw_json
        assert record.raw_json.count(f"[pnr:{record.pseudonym}]") == 1
        serial_digit = int(number.canonical[-2])
        assert record.values["kon"] == ("pojke" if serial_digit % 2 else "flicka")
        assert record.decisions["kon"]["method"] == "derived"
        assert 0 <= record.values["alder"] <= 17
