"""Reading the corpus of messy files (tests/corpus, one defect per file) and finding the
table in each: header row, data rows, skipped rows and what each column means."""

from __future__ import annotations

from pathlib import Path

import pytest

from nuso.core.harmonise.cascade import Harmoniser
from nuso.core.harmonise.codebook import shipped_codebook
from nuso.core.harmonise.dictionary import shipped_dictionaries
from nuso.core.intake.layout import alias_index, locate_table, match_header
from nuso.core.intake.reading import RawSheet, ReadError, read_file
from nuso.core.intake.typed_values import own_categories_recogniser

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
DICTIONARIES = {d.slug: d for d in shipped_dictionaries(shipped_codebook())}
REFERRALS = DICTIONARIES["aktualiseringar"]
HARMONISER = Harmoniser(shipped_codebook())


def tables(name: str):
    raw = read_file(CORPUS / name)
    return raw, [t for sheet in raw.sheets if (t := locate_table(sheet, REFERRALS))]


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("bom-utf8-comma.csv", "utf-8-sig", ","),
        ("windows-1252-semicolon.csv", "windows-1252", ";"),
        ("latin1-tab.txt", "windows-1252", "\t"),
        ("utf8-no-bom-pipe.csv", "utf-8", "|"),
    ],
)
def test_text_files_are_decoded_and_split(name: str, encoding: str, delimiter: str) -> None:
    raw, (table,) = tables(name)
    assert (raw.encoding, raw.delimiter) == (encoding, delimiter)
    assert raw.sheets[0].rows[0][0] == "Kön"
    assert table.data_rows == [2, 3, 4]
    assert [c.target for c in table.columns] == [
        "kon",
        "alder",
        "aktualiseringstyp",
        "orsaker",
        "atgard",
    ]


def test_a_quoted_comma_stays_inside_its_cell() -> None:
    raw, _ = tables("bom-utf8-comma.csv")
    assert raw.sheets[0].rows[2][3] == "Missbruk, förälder"


def test_blank_and_total_rows_are_skipped_and_reported() -> None:
    _, (table,) = tables("blank-rows-and-total.csv")
    assert table.data_rows == [2, 4, 5]
    assert table.skipped == {3: "tom rad", 6: "summeringsrad"}


def test_title_rows_above_the_header_and_a_sum_row_below() -> None:
    _, (table,) = tables("title-rows-and-total-row.xlsx")
    assert table.header_row == 4
    assert table.data_rows == [5, 6, 7]
    assert table.skipped == {8: "summeringsrad"}


def test_row_numbers_count_leading_empty_rows() -> None:
    raw, (table,) = tables("leading-empty-rows-and-columns.xlsx")
    assert table.header_row == 3
    assert table.data_rows == [4, 5, 6]
    assert raw.sheets[0].rows[2][1] == "Kön"  # column B


def test_every_data_sheet_is_read_and_a_summary_sheet_is_not() -> None:
    _, found = tables("several-sheets-and-a-summary.xlsx")
    assert [(t.sheet, t.data_rows) for t in found] == [("Kv1", [2]), ("Kv2", [2, 3])]


def test_a_column_of_f_and_p_is_sex_whatever_its_header() -> None:
    _, (table,) = tables("sex-column-with-unhelpful-header.xlsx")
    column = table.columns[0]
    assert (column.header, column.target, column.how) == ("Grupp", "kon", "innehåll")


def test_several_reason_columns_are_one_variable() -> None:
    _, (table,) = tables("reasons-in-several-columns.xlsx")
    assert [c.header for c in table.columns_for("orsaker")] == ["Orsak 1", "Orsak 2"]


def test_identity_number_columns_are_recognised() -> None:
    _, (table,) = tables("identity-numbers-only.xlsx")
    assert table.columns[0].target == "personnummer"


def test_legacy_xls_is_read() -> None:
    _, (table,) = tables("legacy-excel-97.xls")
    assert table.header_row == 3
    assert table.data_rows == [4, 5, 6]


def test_a_sheet_of_another_kind_holds_no_table() -> None:
    _, found = tables("not-this-study.xlsx")
    assert found == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("encrypted-password-protected.xlsx", "krypterad eller lösenordsskyddad"),
        ("corrupt-not-a-zip.xlsx", "skadad"),
        ("empty.csv", "tom"),
    ],
)
def test_unreadable_files_say_why_and_name_the_file(name: str, message: str) -> None:
    with pytest.raises(ReadError, match=message) as error:
        read_file(CORPUS / name)
    assert str(error.value).startswith(name)


def test_free_text_is_read_but_holds_no_table() -> None:
    _, found = tables("free-text-not-a-table.txt")
    assert found == []


def test_columns_whose_headers_no_dictionary_knows_are_mapped_by_their_content() -> None:
    raw = read_file(CORPUS / "headers-the-dictionary-does-not-know.xlsx")
    recognisers = {
        v.name: HARMONISER.recogniser(v.codebook, multi=v.type == "categories")
        for v in REFERRALS.variables
        if v.codebook
    }
    table = locate_table(raw.sheets[0], REFERRALS, recognisers)
    assert table is not None
    mapped = {c.header: (c.target, c.how) for c in table.columns}
    assert mapped == {
        "Ärende": ("", "okänd"),  # case numbers: distinct, no codes
        "Reg.dag": ("aktualiseringsdatum", "innehåll"),  # dates within one year
        "Uppgift": ("fodelsedatum", "innehåll"),  # dates over many years
        "Kön": ("kon", "namn"),
        "Väg in": ("aktualiseringstyp", "innehåll"),  # legal wordings of the types
        "Orsak": ("orsaker", "namn"),
        "Vidare hantering": ("atgard", "innehåll"),
        "Handläggare": ("", "okänd"),
    }
    assert table.data_rows == list(range(4, 16))


def test_without_recognisers_only_the_shape_of_a_column_maps_it() -> None:
    _, (table,) = tables("headers-the-dictionary-does-not-know.xlsx")
    mapped = {c.header: c.target for c in table.columns}
    assert mapped["Reg.dag"] == "aktualiseringsdatum"
    assert mapped["Väg in"] == mapped["Vidare hantering"] == ""


def test_a_column_is_never_mapped_by_content_to_a_variable_a_header_names() -> None:
    raw = read_file(CORPUS / "headers-the-dictionary-does-not-know.xlsx")
    rows = [list(row) for row in raw.sheets[0].rows]
    rows[2][6] = "Åtgärd"  # now a header names the action column …
    rows[2][4] = "Kommentar"  # … and the types sit under a header nobody knows
    for row in rows[3:]:
        row[4] = "Utredning inleds"  # spellings of actions, under an unknown header
    table = locate_table(
        RawSheet("Rapport", rows),
        REFERRALS,
        {"atgard": HARMONISER.recogniser("atgard", multi=False)},
    )
    assert table is not None
    mapped = {c.header: c.target for c in table.columns}
    assert mapped["Åtgärd"] == "atgard"
    assert mapped["Kommentar"] == ""


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("Akt.datum", "aktualiseringsdatum"),
        ("Datum inkommen", "aktualiseringsdatum"),
        ("Inkom via", "aktualiseringstyp"),
        ("Beslut om utredning", "atgard"),
        ("Anledning 3", "orsaker"),
    ],
)
def test_headers_seen_in_case_system_reports_are_known(header: str, target: str) -> None:
    assert match_header(header, alias_index(REFERRALS)) == target


def test_a_study_s_own_categories_map_a_column_by_content_and_a_tie_maps_nothing() -> None:
    survey = DICTIONARIES["avslutade_utredningar"]
    recognisers = {v.name: own_categories_recogniser(v) for v in survey.variables if v.categories}
    living = ["Bor med båda föräldrarna", "Växelvis boende", "Bor med ensamstående förälder"]
    rows: list[list[str | None]] = [["Kommun", "Kön", "Situation", "Samtycke"]]
    rows += [["Karlstad", "F", living[i % 3], "Ja" if i % 2 else "Nej"] for i in range(9)]
    table = locate_table(RawSheet("", rows), survey, recognisers)
    assert table is not None
    mapped = {c.header: (c.target, c.how) for c in table.columns}
    assert mapped["Situation"] == ("boende", "innehåll")
    # the guardian's and the child's consent have the same answers: the column stays unmapped
    assert mapped["Samtycke"] == ("", "okänd")
