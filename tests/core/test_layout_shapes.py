"""Layouts of report-generator exports, seen in a blind evaluation set: a totals row with a
count under every column, one row per reason (further reasons on rows of their own), and
reasons as columns of boxes written out as Ja/Nej."""

from __future__ import annotations

import datetime as dt

from nuso.core.harmonise.cascade import Harmoniser
from nuso.core.harmonise.codebook import shipped_codebook
from nuso.core.harmonise.dictionary import shipped_dictionaries
from nuso.core.intake import blocks
from nuso.core.intake.code_lists import code_lists, translated
from nuso.core.intake.layout import is_total_row, locate_table, split_by_sheet
from nuso.core.intake.parts import MARK, NOTE, composed, spoken
from nuso.core.intake.reading import RawSheet
from nuso.core.intake.records import RowInterpreter
from nuso.core.intake.unit_names import UnitIndex, UnitRef

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
        ["Pojke", "15", "Ansökan", None, "Ej utredning"],
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


def test_a_workbooks_code_list_reads_coded_columns_as_their_labels() -> None:
    data = RawSheet("Aktualiseringar", [
        ["Löpnr", "Kön", "Ålder", "Akt.typ", "Ors.1", "Ors.2", "Åtg."],
        ["1", "2", "12", "1", "28", None, "4"],
        ["2", "1", "15", "2", "11", "23", "1"],
        ["3", "9", "9", "1", "23", None, "1"],
    ])  # fmt: skip
    legend = RawSheet("Kodlista", [
        ["Kodlista"], [None],
        ["Kön"], ["Kod", "Benämning"], ["1", "Pojke"], ["2", "Flicka"], ["9", "Okänt"], [None],
        ["Akt.typ (aktualiseringstyp)"], ["Kod", "Benämning"], ["1", "Anmälan"], ["2", "Ansökan"],
        [None], ["Orsak (Ors.1–Ors.3)"], ["Kod", "Benämning"], ["11", "Våld mot barnet"],
        ["23", "Skolfrånvaro"], ["28", "Missbruk förälder"], [None],
        ["Åtg. (åtgärd)"], ["Kod", "Benämning"], ["1", "Utredning inleds"],
        ["4", "Ej utredning"],
    ])  # fmt: skip
    (sheet, _), notes = translated([data, legend], code_lists([data, legend]))
    assert [row[1:] for row in sheet.rows[1:]] == [
        ["Flicka", "12", "Anmälan", "Missbruk förälder", None, "Ej utredning"],
        ["Pojke", "15", "Ansökan", "Våld mot barnet", "Skolfrånvaro", "Utredning inleds"],
        ["Okänt", "9", "Anmälan", "Skolfrånvaro", None, "Utredning inleds"],
    ]  # the ages (no list names them) stay numbers
    assert {note.column for note in notes} == {"Kön", "Akt.typ", "Ors.1", "Ors.2", "Åtg."}
    assert "Kodlista" in notes[0].message


def test_a_column_whose_values_are_not_the_lists_codes_is_left_as_written() -> None:
    data = RawSheet("Data", [["Kön", "Ålder"], ["F", "12"], ["P", "3"]])
    legend = RawSheet("Koder", [["Kön"], ["Kod", "Benämning"], ["1", "Pojke"], ["2", "Flicka"]])
    (sheet, _), notes = translated([data, legend], code_lists([data, legend]))
    assert sheet.rows == data.rows
    assert notes == []


def test_a_printed_reports_page_breaks_and_section_headings_are_no_records() -> None:
    rows = [
        HEADER,
        ["Flicka", "12", "Anmälan", "Skolfrånvaro", "Utredning inleds"],
        ["Sida 1 av 2"],
        HEADER,  # the header again on the next page
        ["Pojke", "9", "Anmälan", "Brister i omsorgen", "Utredning inleds"],
        [None, None, None, None, None],
        ["Juli–december", None, None, None, None],
        ["Pojke", "15", "Ansökan", "Skolfrånvaro", "Ej utredning"],
    ]
    data_rows, found = reasons(rows)
    assert data_rows == [2, 5, 8]
    assert found == [["skolproblem"], ["brister_i_omsorg"], ["skolproblem"]]


def test_a_hand_kept_sheets_month_headings_are_no_records() -> None:
    """A month's name alone on its row between the months' records, with no gap before it
    ("JANUARI", "Februari 2023", "Kv 2"), is a heading; a record with only its first cell
    filled that names no period is a record."""
    rows = [
        HEADER,
        ["JANUARI", None, None, None, None],
        ["Flicka", "12", "Anmälan", "Skolfrånvaro", "Utredning inleds"],
        ["Februari 2023", None, None, None, None],
        ["Pojke", "9", "Anmälan", "Brister i omsorgen", "Utredning inleds"],
        ["Kv 2", None, None, None, None],
        ["Pojke", None, None, None, None],
    ]
    data_rows, _ = reasons(rows)
    assert data_rows == [3, 5, 7]


def test_a_wrapped_header_over_ticked_boxes_is_one_value() -> None:
    header = ["Kön", "Ålder", "Typ", "Missbruk\nförälder", "Omsorgs-\nbrist"]
    rows = [header, ["Flicka", "12", "Anmälan", "X", None], ["Pojke", "3", "Anmälan", "Nej", "X"]]
    _, found = reasons(rows)
    assert found == [["foralder_missbruk"], ["brister_i_omsorg"]]


def test_a_free_text_reason_column_is_found_by_its_values_listed_with_plus() -> None:
    header = ["Datum", "Kön", "Ålder", "Vad gäller det"]
    values = ["Skolfrånvaro + Pappa dricker", "Mamma slår barnet", "Skolfrånvaro",
              "Våld mellan föräldrarna + Skolfrånvaro", "Pappa dricker", "Mamma slår barnet",
              "Oro för barnet", "Skolfrånvaro + Mamma slår barnet"]  # fmt: skip
    rows = [header, *[["2023-03-01", "F", "12", value] for value in values]]
    sheet = RawSheet("Blad1", rows)
    table = locate_table(sheet, REFERRALS, RECOGNISERS)
    assert table is not None
    assert {c.header: c.target for c in table.columns}["Vad gäller det"] == "orsaker"
    _, found = reasons(rows)
    assert found[0] == ["foralder_missbruk", "skolproblem"]


def test_a_district_administration_named_in_the_genitive_is_its_district() -> None:
    stockholm = [UnitRef("0180-08", "Södermalm", "0180"), UnitRef("0180-13", "Skärholmen", "0180")]
    index = UnitIndex([UnitRef("0180", "Stockholm"), *stockholm, UnitRef("1490", "Borås")])
    assert index.resolve("Södermalms sdf", "kolumnen").code == "0180-08"
    assert index.resolve("Skärholmens stadsdelsförvaltning", "kolumnen").code == "0180-13"
    assert index.resolve("Borås Stad", "kolumnen").code == "1490"  # its own s kept


def test_numbered_reason_columns_are_one_variable_however_few_values_the_last_has() -> None:
    header = ["Kön", "Ålder", "Typ", "Ors.1", "Ors.2", "Ors.3"]
    three = ["P", "9", "Anmälan", "Skolfrånvaro", "Förälders missbruk", "Hedersrelaterat våld"]
    rows = [header, *[["F", "12", "Anmälan", "Skolfrånvaro", None, None]] * 8, three]
    sheet = RawSheet("Export", rows)
    table = locate_table(sheet, REFERRALS, RECOGNISERS)
    assert table is not None
    assert [c.target for c in table.columns][3:] == ["orsaker", "orsaker", "orsaker"]
    _, found = reasons(rows)
    assert found[-1] == ["foralder_missbruk", "hedersrelaterat", "skolproblem"]


def interpreted(sheet: RawSheet) -> tuple[object, dict[str, list[object]]]:
    """A sheet's table and each variable's decided values."""
    table = locate_table(sheet, REFERRALS, RECOGNISERS)
    assert table is not None
    reader = RowInterpreter(REFERRALS, CODEBOOK, HARMONISER, "k" * 32, dt.date(2023, 7, 1))
    frame = reader.interpret(sheet, table).frame
    names = ("kon", "aktualiseringstyp", "atgard")
    return table, {name: frame[blocks.VALUE + name].to_list() for name in names}


def test_a_legend_with_no_kod_row_reads_coded_columns_as_its_labels() -> None:
    data = RawSheet("Uttag", [
        ["Löpnr", "Kön", "Ålder", "Typ"],
        ["1", "1", "12", "B"], ["2", "2", "15", "A"], ["3", "2", "9", "A"],
    ])  # fmt: skip
    legend = RawSheet("Om koderna", [
        ["Förklaring av koderna i uttaget"], [None],
        ["Kön", None], ["1", "Flicka"], ["2", "Pojke"], [None],
        ["Typ"], ["A", "Anmälan"], ["B", "Ansökan"], ["C", "Övrig information"], [None],
        ["Ålder", "i hela år vid aktualiseringen"],
    ])  # fmt: skip
    (sheet, _), notes = translated([data, legend], code_lists([data, legend]))
    assert [row[1:] for row in sheet.rows[1:]] == [
        ["Flicka", "12", "Ansökan"], ["Pojke", "15", "Anmälan"], ["Pojke", "9", "Anmälan"],
    ]  # fmt: skip
    assert {note.column for note in notes} == {"Kön", "Typ"}


def test_rows_of_long_first_cells_under_a_title_are_no_code_list() -> None:
    sheet = RawSheet("Sammanställning", [
        ["Aktualiseringar per månad"], ["Januari", "12"], ["Februari", "9"],
        ["Kön"], ["Flickor totalt", "54"], ["Pojkar totalt", "61"],
    ])  # fmt: skip
    assert code_lists([sheet]) == []


def test_sex_as_a_tick_under_flicka_or_pojke_is_one_variable() -> None:
    sheet = RawSheet("Blad1", [
        ["Månad", "Flicka", "Pojke", "Ålder", "Beslut"],
        ["mars", "x", None, "7", "Utredning inleds"],
        ["mars", None, "X", "12", "Ej utredning"],
        ["april", None, "x", "15", "Utredning inleds"],
        ["april", "x", "x", "3", "Utredning inleds"],  # both ticked: which is right?
        ["maj", None, None, "9", "Utredning inleds"],
    ])  # fmt: skip
    table, values = interpreted(sheet)
    assert [c.target for c in table.columns][1:3] == ["kon", "kon"]  # type: ignore[attr-defined]
    assert values["kon"] == ["flicka", "pojke", "pojke", None, None]


def test_a_sheet_named_for_a_referral_type_gives_its_rows_that_type() -> None:
    rows = [["Kön", "Ålder", "Åtgärd"], ["Flicka", "12", "Utredning inleds"],
            ["Pojke", "4", "Utredning inleds ej"]]  # fmt: skip
    table, values = interpreted(RawSheet("Ansökningar", rows))
    assert table.constants == {"aktualiseringstyp": "Ansökningar"}  # type: ignore[attr-defined]
    assert values["aktualiseringstyp"] == ["ansokan", "ansokan"]
    _, unnamed = interpreted(RawSheet("Blad1", rows))
    assert unnamed["aktualiseringstyp"] == [None, None]
    types = ["Typ", "Anmälan", "Anmälan"]
    typed = [[*row[:2], typ, *row[2:]] for row, typ in zip(rows, types, strict=True)]
    _, given = interpreted(RawSheet("Ansökningar", typed))
    assert given["aktualiseringstyp"] == ["anmalan", "anmalan"]  # the column, not the name


def test_a_column_mostly_of_known_actions_is_read_as_actions() -> None:
    known = ["Utredning inleds", "Utredning inleds ej", "Ingen utredning"]
    own = ["avvaktar svar från skolan", "oklart just nu"]  # wordings no codebook has
    cells = [known[i % 3] for i in range(26)] + [own[i % 2] for i in range(14)]  # 65 % known
    rows = [["Kön", "Ålder", "Typ", "Hur gick det"]] + [
        ["Flicka", "10", "Anmälan", cell] for cell in cells
    ]
    table, values = interpreted(RawSheet("Blad1", rows))
    assert table.columns[3].target == "atgard"  # type: ignore[attr-defined]
    assert values["atgard"][:3] == [
        "utredning_inleds",
        "utredning_inleds_ej",
        "utredning_inleds_ej",
    ]
    few = rows[:1] + [["Flicka", "10", "Anmälan", cell] for cell in known * 2 + own * 2]
    table, _ = interpreted(RawSheet("Blad1", few))  # ten values: too few to go by 60 %
    assert table.columns[3].target == ""  # type: ignore[attr-defined]


def test_a_legends_codes_are_read_whatever_their_case_and_spaces() -> None:
    data = RawSheet("Lista", [["Nr", "Kön", "Ålder", "Typ"], ["1", "F", "3", "A "],
                              ["2", "P", "9", "as"], ["3", "P", "12", "a"]])  # fmt: skip
    legend = RawSheet("Förklaringar", [["Typ", None], ["A", "Anmälan"], ["AS", "Ansökan"]])
    (sheet, _), _ = translated([data, legend], code_lists([data, legend]))
    assert [row[3] for row in sheet.rows[1:]] == ["Anmälan", "Ansökan", "Anmälan"]


def test_footnotes_and_sentences_alone_on_a_row_are_no_records() -> None:
    rows = [
        HEADER,
        ["Flicka", "12", "Anmälan", "Skolfrånvaro", "Utredning inleds"],
        ["Sommarvikarie förde listan vecka 27 till 32", None, None, None, None],
        ["Pojke", "9", "Anmälan", "Brister i omsorgen", "Ej utredning"],
        [None, None, None, None, None],
        ["* Uppgifterna omfattas av sekretess.", None, None, None, None],
        ["** Ålder avser ålder vid registreringen.", None, None, None, None],
    ]
    data_rows, _ = reasons(rows)
    assert data_rows == [2, 4]


def test_ja_nej_or_one_box_under_a_single_values_header_is_not_read_as_boxes() -> None:
    """Under "Utredning inledd" a "Nej" is an answer (no investigation), not an empty box;
    one box alone ("Polisanmälan" with an x) says nothing of the rows left empty."""
    rows = [["Kön", "Ålder", "Typ", "Utredning inledd"], ["Flicka", "12", "Anmälan", "Ja"],
            ["Pojke", "9", "Anmälan", "Nej"], ["Pojke", "4", "Ansökan", "Ja"]]  # fmt: skip
    table, values = interpreted(RawSheet("Blad1", rows))
    assert table.columns[3].target == ""  # type: ignore[attr-defined]
    assert values["atgard"] == [None, None, None]
    one = [
        ["Kön", "Ålder", "Åtgärd", "Anmälan"],
        ["Flicka", "12", "Utredning inleds", "x"],
        ["Pojke", "9", "Utredning inleds", None],
        ["Pojke", "4", "Utredning inleds", None],
    ]
    table, values = interpreted(RawSheet("Blad1", one))
    assert table.columns[3].target == ""  # type: ignore[attr-defined]
    assert values["aktualiseringstyp"] == [None, None, None]


def test_counts_and_a_selection_above_the_data_are_no_code_list() -> None:
    """A summary ("Kön", "F | 54") and a selection above a sheet's data ("Från | 2023-01-01")
    look like lists without a "Kod" row; neither is one, nor keeps the real list from the
    data sheet."""
    data = RawSheet("Uttag", [
        ["Aktualiseringar BoU"], ["Från", "2023-01-01"], ["Till", "2023-12-31"], [None],
        ["Kön", "Ålder", "Typ"], ["1", "12", "A"], ["2", "9", "B"],
    ])  # fmt: skip
    summary = RawSheet("Summering", [["Kön"], ["1", "54"], ["2", "61"]])
    legend = RawSheet("Koder", [["Kön"], ["Kod", "Benämning"], ["1", "Flicka"], ["2", "Pojke"]])
    lists = code_lists([data, summary, legend])
    assert [code_list.sheet for code_list in lists] == ["Koder"]
    (sheet, _, _), _ = translated([data, summary, legend], lists)
    assert [row[0] for row in sheet.rows[5:]] == ["Flicka", "Pojke"]


def test_a_sheets_name_gives_a_value_only_where_sheets_split_the_records_by_it() -> None:
    rows = [["Kön", "Ålder", "Åtgärd"], ["Flicka", "12", "Utredning inleds"]]

    def constants(*names: str) -> list[dict[str, str]]:
        sheets = [RawSheet(name, rows) for name in names]
        tables = [(sheet, locate_table(sheet, REFERRALS, RECOGNISERS)) for sheet in sheets]
        return [table.constants for _, table in split_by_sheet(tables)]  # type: ignore[union-attr]

    assert constants("Anmälningar", "Ansökningar") == [
        {"aktualiseringstyp": "Anmälningar"}, {"aktualiseringstyp": "Ansökningar"},
    ]  # fmt: skip
    assert constants("Orosanmälningar 2023") == [{}]  # the whole list, perhaps every type
    assert constants("Orosanmälningar 2022", "Orosanmälningar 2023") == [{}, {}]


def test_a_list_named_by_its_code_heading_reads_the_column_of_that_name() -> None:
    data = RawSheet("Aktualiseringar", [
        ["Kommun", "Kön", "Åtgärdskod"], ["Arboga", "K", "1"], ["Köping", "M", "3"],
        ["Arboga", "K", "7"],
    ])  # fmt: skip
    legend = RawSheet("Koder", [
        ["Åtgärdskod", "Betydelse"], ["1", "Beslut att inleda utredning"],
        ["3", "Beslut att inte inleda utredning"], ["7", "Annan åtgärd"],
    ])  # fmt: skip
    (sheet, _), notes = translated([data, legend], code_lists([data, legend]))
    assert [row[2] for row in sheet.rows[1:]] == [
        "Beslut att inleda utredning", "Beslut att inte inleda utredning", "Annan åtgärd",
    ]  # fmt: skip
    assert [note.column for note in notes] == ["Åtgärdskod"]


def test_one_table_of_every_fields_codes_reads_each_column_by_its_field() -> None:
    data = RawSheet("Referrals", [
        ["RefID", "Gender", "RefType", "Reason_1", "Reason_2", "Decision"],
        ["R1", "F", "ANM", "A01", "B06", "D10"], ["R2", "M", "ANS", "B06", None, "D20"],
        ["R3", "U", "ANM", "A08", "A01", "D30"],
    ])  # fmt: skip
    legend = RawSheet("Codes", [
        ["Field", "Code", "Description (sv)"],
        ["Gender", "F", "Flicka"], ["Gender", "M", "Pojke"], ["Gender", "U", "Okänt"],
        ["RefType", "ANM", "Anmälan"], ["RefType", "ANS", "Ansökan"],
        ["Reason_1..3", "A01", "Fysiskt våld mot barnet"],
        ["Reason_1..3", "A08", "Förälders missbruk"],
        ["Reason_1..3", "B06", "Skolfrånvaro"],
        ["Decision", "D10", "Inleda utredning"], ["Decision", "D20", "Inte inleda utredning"],
        ["Decision", "D30", "Påförd pågående utredning"],
    ])  # fmt: skip
    (sheet, _), notes = translated([data, legend], code_lists([data, legend]))
    assert [row[1:] for row in sheet.rows[1:]] == [
        ["Flicka", "Anmälan", "Fysiskt våld mot barnet", "Skolfrånvaro", "Inleda utredning"],
        ["Pojke", "Ansökan", "Skolfrånvaro", None, "Inte inleda utredning"],
        ["Okänt", "Anmälan", "Förälders missbruk", "Fysiskt våld mot barnet",
         "Påförd pågående utredning"],
    ]  # fmt: skip
    assert {note.column for note in notes} == {"Gender", "RefType", "Reason_1", "Reason_2",
                                               "Decision"}  # fmt: skip


def test_a_list_written_out_in_a_header_or_a_note_reads_its_column() -> None:
    data = RawSheet("Aktualiseringar", [
        ["Ärendenr", "Kön (1=pojke, 2=flicka)", "Ålder", "Typ"],
        ["B-1", "2", "15", "A"], ["B-2", "1", "16", "S"], ["B-3", "0", "9", "A"],
        ["B-4", "1", "4", "A"], ["B-5", "2", "11", "S"],
    ])  # fmt: skip
    notes_sheet = RawSheet("Förklaringar", [
        ["Uttag ur Viva, aktualiseringar 2023."], ["Typ: A = anmälan, S = ansökan."],
        ["Beslut: datum i kolumnen 'Beslut' = utredning inleddes."],  # one '=': no list
    ])  # fmt: skip
    (sheet, _), notes = translated([data, notes_sheet], code_lists([data, notes_sheet]))
    assert [row[1:] for row in sheet.rows[1:]] == [
        ["flicka", "15", "anmälan"], ["pojke", "16", "ansökan"], ["0", "9", "anmälan"],
        ["pojke", "4", "anmälan"], ["flicka", "11", "ansökan"],
    ]  # fmt: skip  # "0", no code of the list, stays as written
    assert {note.column for note in notes} == {"Kön (1=pojke, 2=flicka)", "Typ"}


def test_masked_personnummer_under_their_own_header_give_the_childs_age() -> None:
    sheet = RawSheet("Aktualiseringar", [
        ["Kommun", "Personnr", "Kön", "Inkom", "Aktualiseringstyp"],
        ["Arboga", "20130613-XXXX", "Flicka", "2023-01-02", "Anmälan"],
        ["Köping", "20181024-XXXX", "Pojke", "2023-10-24", "Ansökan"],
        ["Köping", "20120308-XXXX", "Pojke", "2023-03-07", "Anmälan"],
        ["Arboga", "20221130-XXXX", "Flicka", "2023-05-05", "Anmälan"],
    ])  # fmt: skip
    table = locate_table(sheet, REFERRALS, RECOGNISERS)
    assert table is not None
    assert [c.target for c in table.columns][1] == "fodelsedatum"
    reader = RowInterpreter(REFERRALS, CODEBOOK, HARMONISER, "k" * 32, dt.date(2023, 7, 1))
    frame = reader.interpret(sheet, table).frame
    assert frame[blocks.VALUE + "alder"].to_list() == [9, 5, 10, 0]


def actions(rows: list[list[str | None]]) -> tuple[list[str], list[str | None]]:
    """Each column's target and each record's action, of a sheet (header first)."""
    sheet = RawSheet("Aktualiseringar", rows)
    table = locate_table(sheet, REFERRALS, RECOGNISERS)
    assert table is not None
    reader = RowInterpreter(REFERRALS, CODEBOOK, HARMONISER, "k" * 32, dt.date(2023, 7, 1))
    frame = reader.interpret(sheet, table).frame
    return [c.target for c in table.columns], frame[blocks.VALUE + "atgard"].to_list()


def test_a_decision_told_in_a_column_per_kind_is_read_from_the_one_filled() -> None:
    header = ["Kön", "Ålder", "Typ", "Beslut att inleda utredning (datum)",
              "Beslut att inte inleda utredning (datum)", "Påförd pågående", "Övrig åtgärd",
              "Anteckning"]  # fmt: skip
    rows = [
        ["Flicka", "12", "Anmälan", "2023-01-11", None, None, None, "Barnsamtal"],
        ["Pojke", "15", "Anmälan", None, "2023-01-09", None, None, None],
        ["Pojke", "6", "Ansökan", None, None, "Utredning", None, None],
        ["Flicka", "2", "Anmälan", None, None, "Insats (öppenvård)", None, None],
        ["Pojke", "13", "Anmälan", None, None, "FB", None, None],
        ["Flicka", "9", "Anmälan", None, None, "ärende", None, None],
        ["Pojke", "16", "Anmälan", None, None, None, "Överlämnad till annan kommun", None],
        ["Flicka", "4", "Anmälan", None, None, None, None, "FB pågår"],
        ["Pojke", "8", "Anmälan", "2023-02-01", None, None, None, None],
        ["Flicka", "11", "Anmälan", None, "2023-02-03", None, None, None],
        ["Flicka", "10", "Anmälan", None, None, None, "Annan åtgärd", None],
        ["Pojke", "3", "Anmälan", None, None, "utredning", None, None],
        ["Pojke", "1", "Anmälan", None, "2023-03-07", None, None, None],
        ["Flicka", "17", "Anmälan", None, None, None, "Hänvisad till BUP", None],
        ["Flicka", "14", "Anmälan", "2023-03-09", None, None, None, None],
    ]
    targets, found = actions([header, *rows])
    assert targets[3:] == ["atgard"] * 4 + [""]
    assert found == [
        "utredning_inleds", "utredning_inleds_ej", "pafors_pagaende_utredning",
        "pafors_pagaende_insats", "pafors_pagaende_forhandsbedomning", "pafors_pagaende_arende",
        "annan_atgard", None, "utredning_inleds", "utredning_inleds_ej", "annan_atgard",
        "pafors_pagaende_utredning", "utredning_inleds_ej", "annan_atgard", "utredning_inleds",
    ]  # fmt: skip


def test_a_yes_or_no_decision_gives_way_to_a_completed_one_and_a_note_to_it() -> None:
    """ "Nej" with "Påförd pågående: insats" joined an intervention; "Nej" with a note of a
    referral elsewhere ("Övrig åtgärd") is no investigation opened."""
    header = ["Kön", "Ålder", "Inleda utredning?", "Påförd pågående", "Övrig åtgärd"]
    rows = [
        ["Pojke", "9", "Nej", None, "Hänvisad till familjecentralen"],
        ["Flicka", "16", "Ja", None, None],
        ["Flicka", "12", "Nej", None, None],
        ["Pojke", "7", "Nej", "insats", None],
        ["Pojke", "5", None, "förhandsbedömning", None],
        ["Flicka", "14", None, None, "Överlämnat till Solna"],
        ["Flicka", "15", "Ja", None, None],
        ["Pojke", "3", None, None, None],
        ["Flicka", "13", None, "utredning", None],
        ["Pojke", "11", "Nej", None, "Råd och stöd till vårdnadshavare"],
    ]
    targets, found = actions([header, *rows])
    assert targets[2:] == ["atgard"] * 3
    assert found == [
        "utredning_inleds_ej", "utredning_inleds", "utredning_inleds_ej",
        "pafors_pagaende_insats", "pafors_pagaende_forhandsbedomning", "annan_atgard",
        "utredning_inleds", None, "pafors_pagaende_utredning", "utredning_inleds_ej",
    ]  # fmt: skip


def test_a_decision_column_beside_its_date_filled_in_every_row_is_read_alone() -> None:
    """Two columns filled together in most rows are two facts (the decision and the date it
    was taken), not one decision told apart: the decision's own column says it."""
    header = ["Kön", "Ålder", "Åtgärd", "Beslut om utredning (datum)"]
    rows = [
        ["Pojke", "9", "Utredning inleds ej", "2023-01-05"],
        ["Flicka", "12", "Utredning inleds", "2023-01-09"],
        ["Pojke", "4", "Utredning inleds ej", "2023-02-01"],
        ["Flicka", "15", "Påförs pågående utredning", "2023-02-11"],
    ]
    targets, found = actions([header, *rows])
    assert targets[2:] == ["atgard", ""]
    assert found == ["utredning_inleds_ej", "utredning_inleds", "utredning_inleds_ej",
                     "pafors_pagaende_utredning"]  # fmt: skip


LONG = ["Ärende", "Datum", "Kön", "Ålder", "Orsaksrad", "Orsak", "Åtgärd"]


def test_a_referral_written_again_on_a_row_per_reason_is_one_referral() -> None:
    rows = [
        LONG,
        ["AKT-1041", "2023-01-02", "Pojke", "9", "1", "Skolfrånvaro", "Utredning inleds"],
        ["AKT-1041", "2023-01-02", "Pojke", "9", "2", "Förälders missbruk", "Utredning inleds"],
        ["AKT-1042", "2023-01-03", "Flicka", "2", "1", "Våld mot barnet", "Utredning inleds"],
        ["AKT-1044", "2023-01-04", "Flicka", "15", "1", "Skolfrånvaro", "Ej utredning"],
        ["AKT-1044", "2023-01-04", "Flicka", "15", "2", "Skolfrånvaro", "Ej utredning"],
        ["AKT-1044", "2023-01-04", "Flicka", "15", "3", "Hedersrelaterat våld", "Ej utredning"],
        ["AKT-1045", "2023-01-04", "Flicka", "15", "1", "Förälders missbruk", "Ej utredning"],
    ]  # fmt: skip
    data_rows, found = reasons(rows)
    assert data_rows == [2, 4, 5, 8]
    assert found == [
        ["foralder_missbruk", "skolproblem"], ["vald_mot_barn"],
        ["hedersrelaterat", "skolproblem"], ["foralder_missbruk"],
    ]  # fmt: skip


def test_two_referrals_alike_but_for_their_reasons_are_two_without_an_identifier() -> None:
    """No case number, or one that differs: rows alike in every other column are two
    referrals of one day (an age group has digits but is no identifier)."""
    rows = [
        ["Datum", "Kön", "Åldersgrupp", "Orsak", "Åtgärd"],
        *([["2023-02-28", "Kvinna", "16-17 år", "Omsorgssvikt", "Ej utredning"],
           ["2023-02-28", "Kvinna", "16-17 år", "Förälders psykiska ohälsa",
            "Utredning inleds ej"]] * 3),
    ]  # fmt: skip
    assert reasons(rows)[0] == [2, 3, 4, 5, 6, 7]
    numbered = [
        LONG,
        ["AKT-1", "2023-01-02", "Pojke", "9", "1", "Skolfrånvaro", "Ingen åtgärd"],
        ["AKT-2", "2023-01-02", "Pojke", "9", "1", "Våld mot barnet", "Ingen åtgärd"],
    ]
    assert reasons(numbered)[0] == [2, 3]
    # a date no variable takes repeats too, and is no identifier; a counter of no digits
    dated = [["Beslutsdatum", "Kön", "Ålder", "Kanal", "Orsak"],
             ["2023-01-02", "Flicka", "9", "Tel", "Våld mot barnet"],
             ["2023-01-02", "Flicka", "9", "Inf", "Förälders missbruk"]]  # fmt: skip
    assert reasons(dated)[0] == [2, 3]


def test_a_part_says_only_what_its_cell_says() -> None:
    """ "Nej" under a value is that decision not taken, whatever else the column holds; a
    word that is no tick under a date's header, a "-" under a note's, say nothing; two
    parts of one rank that disagree leave the row undecided."""
    header = ["Kön", "Ålder", "Inleda utredning?", "Påförd pågående", "Övrig åtgärd"]
    rows = [
        ["Pojke", "9", "Nej", None, None],
        ["Flicka", "16", "Ja", None, None],
        ["Flicka", "12", "Nej", None, "-"],
        ["Pojke", "7", "avvaktar", None, None],
        ["Pojke", "5", "Nej", "insats", None],
        ["Flicka", "14", None, "utredning", "Hänvisad till BUP"],
        ["Flicka", "15", "Ja", None, None],
        ["Pojke", "3", "Nej", None, None],
        ["Flicka", "13", None, "ärende", None],
        ["Pojke", "11", None, None, "Överlämnat till Solna"],
        ["Pojke", "10", None, None, "Råd och stöd"],
        *[["Flicka", "8", "Ja", None, None]] * 10,
    ]
    targets, found = actions([header, *rows])
    assert targets[2:] == ["atgard"] * 3
    assert found[:11] == [
        "utredning_inleds_ej", "utredning_inleds", "utredning_inleds_ej", None,
        "pafors_pagaende_insats", "pafors_pagaende_utredning", "utredning_inleds",
        "utredning_inleds_ej", "pafors_pagaende_arende", "annan_atgard", "annan_atgard",
    ]  # fmt: skip


def test_two_parts_of_one_rank_that_disagree_say_nothing_and_no_double_negation() -> None:
    assert spoken([(1, "Beslut att inleda utredning"), (1, "Beslut att inte inleda")]) is None
    assert spoken([(1, "Beslut att inleda utredning"), (2, "Påförd pågående insats")]) == (
        "Beslut att inleda utredning"
    )
    assert composed(MARK, "Beslut att inte inleda utredning (datum)", "Nej") is None
    assert composed(MARK, "Beslut att inleda utredning (datum)", "avvaktar") is None
    assert composed(NOTE, "Övrig åtgärd", "-") is None


def test_masked_numbers_of_infants_born_within_two_years_give_ages_too() -> None:
    """Birth dates over a year or two look like a period's dates: masked numbers are birth
    dates by their form, whatever years they span."""
    sheet = RawSheet("Aktualiseringar", [
        ["Personnr", "Kön", "Inkom", "Aktualiseringstyp"],
        ["20220613-XXXX", "Flicka", "2023-01-02", "Anmälan"],
        ["20221024-XXXX", "Pojke", "2023-10-24", "Ansökan"],
        ["20230108-XXXX", "Pojke", "2023-03-07", "Anmälan"],
        ["20221130-XXXX", "Flicka", "2023-12-05", "Anmälan"],
    ])  # fmt: skip
    table = locate_table(sheet, REFERRALS, RECOGNISERS)
    assert table is not None
    reader = RowInterpreter(REFERRALS, CODEBOOK, HARMONISER, "k" * 32, dt.date(2023, 7, 1))
    assert reader.interpret(sheet, table).frame[blocks.VALUE + "alder"].to_list() == [0, 1, 0, 1]


def test_a_headers_own_list_is_for_its_own_column_only() -> None:
    data = RawSheet("Aktualiseringar", [
        ["Ärendenr", "Kön (1=pojke, 2=flicka)", "Ålder", "Antal anmälare", "Mamma", "Pappa"],
        ["B-1", "2", "15", "1", "1", None], ["B-2", "1", "16", "2", None, "1"],
        ["B-3", "1", "9", "1", "1", "1"], ["B-4", "2", "4", "2", None, None],
    ])  # fmt: skip
    (sheet,), notes = translated([data], code_lists([data]))
    assert [row[1:] for row in sheet.rows[1:]] == [
        ["flicka", "15", "1", "1", None], ["pojke", "16", "2", None, "1"],
        ["pojke", "9", "1", "1", "1"], ["flicka", "4", "2", None, None],
    ]  # fmt: skip
    assert [note.column for note in notes] == ["Kön (1=pojke, 2=flicka)"]


def test_a_note_may_write_several_lists_and_a_header_its_own_after_a_colon() -> None:
    data = RawSheet("Data", [
        ["Kön: 1=pojke, 2=flicka", "Typ", "Ålder"],
        ["1", "A", "3"], ["2", "S", "7"], ["2", "A", "12"],
    ])  # fmt: skip
    notes_sheet = RawSheet("Om koderna", [["Typ: A = anmälan, S = ansökan; Kön: 1 = pojke"]])
    (sheet, _), notes = translated([data, notes_sheet], code_lists([data, notes_sheet]))
    assert [row[:2] for row in sheet.rows[1:]] == [
        ["pojke", "anmälan"], ["flicka", "ansökan"], ["flicka", "anmälan"],
    ]  # fmt: skip
    assert {note.column for note in notes} == {"Kön: 1=pojke, 2=flicka", "Typ"}


def test_a_printed_pages_title_is_no_record_and_a_record_goes_on_after_the_break() -> None:
    title = ["Ljusdals kommun", None, None, "Utskrivet 2024-01-12", "Sida 1"]
    rows = [
        title,
        ["Aktualiseringar Barn och unga 2023-01-01 – 2023-12-31", None, None, None, None],
        HEADER,
        ["Flicka", "12", "Anmälan", "Skolfrånvaro", "Utredning inleds"],
        ["Pojke", "9", "Anmälan", "Brister i omsorgen", "Utredning inleds"],
        [None, None, None, None, None],
        ["Ljusdals kommun", None, None, "Utskrivet 2024-01-12", "Sida 2"],
        ["Aktualiseringar Barn och unga 2023-01-01 – 2023-12-31", None, None, None, None],
        HEADER,
        [None, None, None, "Förälders missbruk", None],  # the record above, on a new page
        ["Pojke", "15", "Ansökan", "Skolfrånvaro", "Ej utredning"],
        ["Summa", "Antal: 3", None, "3", "3"],
    ]
    data_rows, found = reasons(rows)
    assert data_rows == [4, 5, 11]
    assert found == [["skolproblem"], ["brister_i_omsorg", "foralder_missbruk"], ["skolproblem"]]


def test_a_rare_note_whose_header_names_a_type_is_no_part_of_the_type_column() -> None:
    """ "Övrig åtgärd" reads as a type too ("övrig" information): beside a type column filled
    in every row, its few notes made it a part of the type and took it from the action."""
    header = ["Typ", "Beslut att inleda utredning (datum)",
              "Beslut att inte inleda utredning (datum)", "Övrig åtgärd"]  # fmt: skip
    dated = [["Anmälan", "2023-01-0" + str(day % 9 + 1), None, None] for day in range(15)]
    refused = [["Anmälan", None, "2023-02-0" + str(day % 9 + 1), None] for day in range(15)]
    other = [["Ansökan", None, None, "Annan åtgärd"], ["Anmälan", None, None, "Annan åtgärd"],
             ["Anmälan", None, None, "Överlämnad till annan kommun"]]  # fmt: skip
    targets, found = actions([header, *dated, *refused, *other])
    assert targets == ["aktualiseringstyp", "atgard", "atgard", "atgard"]
    assert found[-3:] == ["annan_atgard"] * 3
