"""The Norwegian referral study: its dictionary loads, a report of 2024 and one of 2026 are
each read against their own SSB list and meet in the same comparable group, and a stored
record decided again gives what the import gave."""

from __future__ import annotations

import datetime as dt

import polars as pl

from nuso.core.harmonise.cascade import Harmoniser
from nuso.core.harmonise.codebook import shipped_codebook
from nuso.core.harmonise.dictionary import dictionary_from_stored, shipped_dictionaries
from nuso.core.intake import blocks
from nuso.core.intake.layout import locate_table
from nuso.core.intake.reading import RawSheet
from nuso.core.intake.records import RowInterpreter
from nuso.core.intake.reharmonise import decided_again

CODEBOOK = shipped_codebook()
STUDY = {d.slug: d for d in shipped_dictionaries(CODEBOOK)}["meldinger"]
KEY = "test-key-" + "0123456789" * 4
HEADER = ["Mottatt dato", "Kjønn", "Alder", "Melder", "Saksinnhold", "Konklusjon",
          "Konklusjonsdato", "Konklusjon undersøkelse", "Undersøkelse avsluttet"]  # fmt: skip
ROWS = [
    # the same concern in two lists: 7 until 2025, 2.4.02 from 2026
    [
        "12.03.2024",
        "Jente",
        "7",
        "11 - Skole",
        "7 - Vold i hjemmet/ barnet vitne til vold i nære relasjoner",
        "2",
        "15.03.2024",
        "1 - Barneverntjenesten fatter vedtak om tiltak",
        "10.06.2024",
    ],
    [
        "04.02.2026",
        "G",
        "15",
        "Politi",
        "2.4.02 Beskyttelse mot å være vitne til vold i familien; 1.3.09 Rus",
        "1",
        "20.02.2026",
        "",
        "",
    ],
    # a bare number is read on the report's date: melder 15 ended 2024, saksinnhold 20 holds
    # to the end of 2025, konklusjon "Henlagt" too
    ["30.12.2025", "2", "3", "15", "20", "Henlagt", "02.01.2026", "", ""],
    # an investigation that ends in 2026 after a report of 2025: the 2026 list
    [
        "15.11.2025",
        "Gutt",
        "12",
        "Barnehage",
        "Foreldres rusmisbruk",
        "Ikke henlagt",
        "18.11.2025",
        "Undersøkelsen henlagt som følge av flytting til utlandet",
        "20.01.2026",
    ],
    # no report date: the delivery's period (2026) decides
    ["", "Jente", "9", "Anonym", "Barnets atferd", "Henlagt", "", "", ""],
]


def interpreter() -> RowInterpreter:
    period = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    return RowInterpreter(STUDY, CODEBOOK, Harmoniser(CODEBOOK), KEY, dt.date(2026, 7, 1), period)


def records() -> pl.DataFrame:
    sheet = RawSheet("Meldinger", [HEADER, *ROWS])
    table = locate_table(sheet, STUDY)
    assert table is not None
    return interpreter().interpret(sheet, table).frame


def values(frame: pl.DataFrame, name: str) -> list[object]:
    return frame[blocks.VALUE + name].to_list()


def test_the_dictionary_loads_and_reads_back_as_stored() -> None:
    assert STUDY.number == 4
    names = {variable.name for variable in STUDY.variables}
    assert {"kon", "alder", "meldingsdato", "melder", "saksinnhold", "konklusjon"} <= names
    derived = {item.name: item for item in STUDY.derived}
    assert derived["saksinnhold_gruppe"].multiple
    assert dictionary_from_stored(STUDY.as_data()) == STUDY


def test_each_report_is_read_against_the_list_of_its_date() -> None:
    frame = records()
    assert values(frame, "melder") == ["11", "8", None, "9", "23"]
    assert values(frame, "saksinnhold") == [["7"], ["2.4.02", "1.3.09"], ["20"], ["3"], []]
    assert values(frame, "konklusjon") == ["2", None, "1", "2", None]  # no 1 from 2026
    assert values(frame, "undersokelse_konklusjon") == ["1", None, None, "7", None]
    # 2024's 7 and 2026's 2.4.02 are one comparable group
    assert values(frame, "saksinnhold_gruppe")[:2] == [
        ["vold_i_hjemmet"],
        ["vold_i_hjemmet", "barnets_rus"],
    ]
    assert values(frame, "utfall") == ["undersokelse", None, "henlagt", "undersokelse", None]
    assert values(frame, "kon") == ["flicka", "pojke", "flicka", "pojke", "flicka"]
    assert values(frame, "aldersgruppe") == ["6-12", "13-17", "3-5", "6-12", "6-12"]
    # what waits: konklusjon 1 in 2026 (split into 5–10), melder 15 on 30.12.2025 (split
    # in 2025), the undated report's "Henlagt" and "Barnets atferd" (codes before 2026)
    assert frame[blocks.PENDING].to_list() == [False, True, True, False, True]


def test_a_value_of_another_period_waits_with_a_note() -> None:
    sheet = RawSheet("Meldinger", [HEADER, ROWS[4]])
    table = locate_table(sheet, STUDY)
    assert table is not None
    found = interpreter().interpret(sheet, table)
    notes = [flag for outcome in found.outcomes for flag in outcome.flags]
    assert any("'Henlagt' är koden 1" in note for note in notes)
    assert any("'Barnets atferd' är koden 25" in note for note in notes)


def test_decided_again_a_stored_record_keeps_its_own_list() -> None:
    frame = records()
    variable = STUDY.variable("saksinnhold")
    again, count = decided_again(frame, variable, "barnets atferd", interpreter())
    assert count == 1
    assert again.equals(frame)
    variable = STUDY.variable("konklusjon")
    again, count = decided_again(frame, variable, "1", interpreter())
    assert count == 1  # the 2026 report's bare 1 (the 2025 one's 1 is another key)
    assert again.equals(frame)


def test_no_grounds_for_an_investigation_is_a_henleggelse_in_each_list() -> None:
    """'Henlagt – ikke grunnlag for undersøkelse' negates the grounds, not the henleggelse:
    henlagt (1 until 2025, 10 from 2026), never 'ikke henlagt' (2); 'ikke henlagt' still is."""
    rows = [
        ["10.05.2024", "Jente", "7", "Skole", "", "Henlagt - ikke grunnlag for undersøkelse",
         "", "", ""],
        ["10.05.2026", "Jente", "7", "Skole", "", "Henlagd – ikkje grunnlag", "", "", ""],
        ["10.05.2024", "Jente", "7", "Skole", "", "Ikke grunnlag for undersøkelse", "", "", ""],
        ["10.05.2024", "Jente", "7", "Skole", "", "Ikke henlagt", "", "", ""],
    ]  # fmt: skip
    sheet = RawSheet("Meldinger", [HEADER, *rows])
    table = locate_table(sheet, STUDY)
    assert table is not None
    frame = interpreter().interpret(sheet, table).frame
    assert values(frame, "konklusjon") == ["1", "10", "1", "2"]
    assert values(frame, "utfall") == ["henlagt", "henlagt", "henlagt", "undersokelse"]
