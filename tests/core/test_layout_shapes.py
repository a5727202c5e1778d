"""Layouts of report-generator exports, seen in a blind evaluation set: a totals row with a
count under every column, one row per reason (further reasons on rows of their own), and
reasons as columns of boxes written out as Ja/Nej."""

from __future__ import annotations

import datetime as dt

from nuso.core.harmonise.cascade import Harmoniser
from nuso.core.harmonise.codebook import shipped_codebook
from nuso.core.harmonise.dictionary import shipped_dictionaries
from nuso.core.intake import blocks
from nuso.core.intake.layout import is_total_row, locate_table
from nuso.core.intake.reading import RawSheet
from nuso.core.intake.records import RowInterpreter

CODEBOOK = shipped_codebook()
REFERRALS = {d.slug: d for d in shipped_dictionaries(CODEBOOK)}["aktualiseringar"]
HARMONISER = Harmoniser(CODEBOOK)
RECOGNISERS = {
    v.name: HARMONISER.recogniser(v.codebook, multi=v.type == "categories")
    for v in REFERRALS.variables
    if v.codebook
}
HEADER = ["Kön", "Ålder", "Typ", "Orsak", "Åtgärd"]


def reasons(rows: list[list[str | None]]) -> tuple[list[int], list[list[str]]]:
    """The data rows of a sheet (header first) and each record's reasons."""
    sheet = RawSheet("Export", rows)
    table = locate_table(sheet, REFERRALS, RECOGNISERS)
    assert table is not None
    reader = RowInterpreter(REFERRALS, CODEBOOK, HARMONISER, "k" * 32, dt.date(2023, 7, 1))
    frame = reader.interpret(sheet, table).frame
    found = frame[blocks.VALUE + "orsaker"].to_list()
    return table.data_rows, [sorted(r or []) for r in found]


def test_a_total_word_and_counts_under_every_column_is_a_totals_row() -> None:
    assert is_total_row(["Summa", "280", None, "23", "11", "31", "26", "29", "33", "15", "9"])
    assert is_total_row(["Antal rader: 142", None, None])
    assert is_total_row([" Totalt", "12"])  # as written, a space first
    assert not is_total_row(["Summa", "Flicka", "12", "Anmälan", "Skolproblem"])  # a record
    assert not is_total_row(["Sundsvall", "Pojke", "12", "Anmälan", "Skolproblem"])


def test_further_reasons_on_rows_of_their_own_belong_to_the_row_above() -> None:
    rows = [
        HEADER,
        ["Flicka", "12", "Anmälan", "Skolfrånvaro", "Utredning inleds"],
        [None, None, None, "Förälders missbruk", None],
        [None, None, None, "Hedersrelaterat våld", None],
        ["Pojke", "15", "Ansökan", None, "Utredning inleds ej"],
        ["Pojke", "9", "Anmälan", "Brister i omsorgen", "Utredning inleds"],
    ]
    data_rows, found = reasons(rows)
    assert data_rows == [2, 5, 6]  # three referrals, not five
    assert found == [
        ["foralder_missbruk", "hedersrelaterat", "skolproblem"],
        [],
        ["brister_i_omsorg"],
    ]


def test_a_reason_alone_under_the_header_is_a_record_of_its_own() -> None:
    rows = [HEADER, [None, None, None, "Skolfrånvaro", None], ["Pojke", "9", "Anmälan", None, None]]
    data_rows, found = reasons(rows)
    assert data_rows == [2, 3]  # nothing above it to continue
    assert found == [["skolproblem"], []]


def test_reasons_as_columns_of_ja_and_nej_are_ticked_boxes() -> None:
    header = ["Kön", "Ålder", "Typ", "Missbruk förälder", "Våld mot barnet", "Skolproblem"]
    rows = [
        header,
        ["Flicka", "12", "Anmälan", "Ja", "Nej", "Ja"],
        ["Pojke", "15", "Anmälan", "Nej", "Nej", "Nej"],
        ["Pojke", "9", "Anmälan", "Nej", "Ja", "Nej"],
    ]
    data_rows, found = reasons(rows)
    assert data_rows == [2, 3, 4]
    assert found == [["foralder_missbruk", "skolproblem"], [], ["vald_mot_barn"]]


def test_a_column_of_only_nej_or_of_other_words_is_no_box() -> None:
    header = ["Kön", "Ålder", "Typ", "Missbruk förälder", "Våld mot barnet"]
    rows = [
        header,
        ["Flicka", "12", "Anmälan", "Nej", "okänt"],
        ["Pojke", "3", "Anmälan", "Nej", "Ja"],
    ]
    sheet = RawSheet("Export", rows)
    table = locate_table(sheet, REFERRALS, RECOGNISERS)
    assert table is not None
    assert {c.header: c.target for c in table.columns}["Missbruk förälder"] == ""
    assert {c.header: c.target for c in table.columns}["Våld mot barnet"] == ""


def test_a_reason_alone_after_a_blank_or_totals_row_continues_nothing() -> None:
    rows = [
        HEADER,
        ["Flicka", "12", "Anmälan", "Skolfrånvaro", "Utredning inleds"],
        [None, None, None, None, None],
        [None, None, None, "Förälders missbruk", None],
        ["Summa", "2", None, None, None],
        [None, None, None, "Hedersrelaterat våld", None],
    ]
    data_rows, found = reasons(rows)
    assert data_rows == [2, 4, 6]
    assert found == [["skolproblem"], ["foralder_missbruk"], ["hedersrelaterat"]]


def test_a_row_of_only_ticked_boxes_is_a_record_of_its_own() -> None:
    header = ["Kön", "Ålder", "Typ", "Missbruk förälder", "Skolproblem"]
    rows = [header, ["Flicka", "12", "Anmälan", "X", None], [None, None, None, None, "X"]]
    data_rows, found = reasons(rows)
    assert data_rows == [2, 3]
    assert found == [["foralder_missbruk"], ["skolproblem"]]
