"""Codes with validity dates: a value is read against the list in force on its date, and a
value that names a code of another period waits for review instead of being taken as a
code of this one."""

from __future__ import annotations

import datetime as dt

import pytest

from nuso.core.errors import InputError
from nuso.core.harmonise.cascade import Harmoniser
from nuso.core.harmonise.codebook import parse_codebook, shipped_codebook

CODEBOOK = shipped_codebook()
HARMONISER = Harmoniser(CODEBOOK)


def on(variable: str, raw: str, year: int) -> tuple[str | None, str]:
    day = dt.date(year, 6, 1)
    decision = HARMONISER.decide(variable, raw, HARMONISER.in_force(variable, (day, day)))
    return decision.code, decision.method


def codes_on(raw: str, year: int) -> list[str | None]:
    day = dt.date(year, 6, 1)
    in_force = HARMONISER.in_force("no_saksinnhold", (day, day))
    return [d.code for _, d in HARMONISER.decide_many("no_saksinnhold", [raw], in_force)]


SMALL = """
version: 1
sources: {}
variables:
  utfall:
    codes:
      - {code: "1", label: Henlagt, valid_from: 2013-01-01, valid_to: "2025-12-31",
         replaced_by: [5, 6]}
      - {code: "2", label: Undersøkelse, valid_from: "2013-01-01"}
      - {code: "5", label: Henlagt flytting, valid_from: "2026-01-01"}
      - {code: "6", label: Henlagt andre grunner, valid_from: "2026-01-01"}
"""


def test_validity_dates_are_read_as_iso_days_and_make_the_lists_in_force() -> None:
    variable = parse_codebook(SMALL).variables["utfall"]
    assert variable.dated
    first = variable.code("1")
    assert (first.attributes["valid_from"], first.attributes["valid_to"]) == (
        "2013-01-01",  # YAML's own date, kept as text as the database keeps it
        "2025-12-31",
    )
    assert first.attributes["replaced_by"] == ["5", "6"]  # numbers read as codes
    assert variable.in_force(dt.date(2025, 12, 31), dt.date(2025, 12, 31)) == {"1", "2"}
    assert variable.in_force(dt.date(2026, 1, 1), dt.date(2026, 1, 1)) == {"2", "5", "6"}
    assert variable.in_force(dt.date(2025, 7, 1), dt.date(2026, 6, 30)) == {"1", "2", "5", "6"}
    assert variable.lists() == [
        (dt.date.min, dt.date(2012, 12, 31)),
        (dt.date(2013, 1, 1), dt.date(2025, 12, 31)),
        (dt.date(2026, 1, 1), dt.date.max),
    ]


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ('valid_to: "2025-31-12"', "variables.utfall.codes[0].valid_to"),  # SSB's own typo
        ('valid_to: "2012-12-31"', "variables.utfall.codes[0].valid_to"),
        ("replaced_by: [5, 7]", "variables.utfall.codes[0].replaced_by"),
    ],
)
def test_a_bad_validity_is_refused_with_its_key(change: str, key: str) -> None:
    old = 'valid_to: "2025-12-31",\n         replaced_by: [5, 6]'
    keep = {"valid_to": "replaced_by: [5, 6]", "replaced_by": 'valid_to: "2025-12-31"'}
    text = SMALL.replace(old, f"{change}, {keep[change.split(':')[0]]}")
    with pytest.raises(InputError) as raised:
        parse_codebook(text)
    assert key in {problem.column for problem in raised.value.problems}


def test_the_swedish_codebook_has_no_dates_so_nothing_there_changes() -> None:
    swedish = [v for name, v in CODEBOOK.variables.items() if not name.startswith("no_")]
    assert swedish
    assert not any(variable.dated for variable in swedish)
    day = dt.date(2024, 6, 1)
    assert HARMONISER.in_force("orsak", (day, day)) is None  # read as always
    assert HARMONISER.decide("orsak", "Missbruk förälder", None).code == "foralder_missbruk"


@pytest.mark.parametrize(
    ("variable", "raw", "year", "code"),
    [
        # a bare number is the code of that number in force on the date
        ("no_melding_konklusjon", "1", 2025, "1"),  # Henlagt until 2025
        ("no_melding_konklusjon", "1", 2026, None),  # split into 5–10 from 2026
        ("no_melding_konklusjon", "4", 2026, "4"),  # Melding i pågående undersøkelse
        ("no_melder", "15", 2024, "15"),
        ("no_melder", "15", 2025, None),  # split into 24 and 25 from 2025
        ("no_melder", "24", 2024, "15"),  # split out of 15 in 2025: 15's meaning holds it
        ("no_melder", "24", 2025, "24"),
        ("no_saksinnhold", "4", 2024, None),  # ended 2020
        ("no_saksinnhold", "20", 2024, "20"),
        ("no_saksinnhold", "20", 2026, None),  # the numbered list ended 2025
        ("no_saksinnhold", "1.1.01", 2026, "1.1.01"),
        ("no_saksinnhold", "1.1.01", 2025, None),
        # a label of another period waits; one both lists use is read by each
        ("no_melding_konklusjon", "Henlagt", 2026, None),
        ("no_saksinnhold", "Barnets atferd", 2026, None),
        ("no_saksinnhold", "Barnets atferd", 2024, "25"),
        ("no_saksinnhold", "Konflikt mellom foreldre som ikke bor sammen", 2024, "24"),
        ("no_saksinnhold", "Konflikt mellom foreldre som ikke bor sammen", 2026, "2.4.04"),
        ("no_melder", "Lege / Sykehus / Tannlege", 2025, None),
        ("no_melder", "Lege/sykehus", 2024, "15"),  # SSB's 2010 wording of code 15
        ("no_melder", "Lege/sykehus", 2025, "24"),
        ("no_melder", "Tannlege", 2025, "25"),
        # words no list holds as a spelling are read by the rules of the list in force
        ("no_saksinnhold", "Rus hos mor", 2024, "3"),
        ("no_saksinnhold", "Rus hos mor", 2026, "3.1.08"),
        ("no_melding_konklusjon", "Henlagt - flyttet til utlandet", 2024, "1"),
        ("no_melding_konklusjon", "Henlagt - flyttet til utlandet", 2026, "5"),
    ],
)
def test_a_value_is_read_against_the_list_in_force_on_its_date(
    variable: str, raw: str, year: int, code: str | None
) -> None:
    decided, method = on(variable, raw, year)
    assert decided == code, (decided, method)
    assert method != "model"  # nothing here is a guess


def test_a_later_code_is_read_as_the_one_it_was_split_out_of() -> None:
    assert on("no_melder", "25 - Tannlege", 2024) == ("15", "crosswalk")
    assert on("no_melding_konklusjon", "Henlagt av andre grunner", 2025) == ("1", "crosswalk")
    assert on("no_saksinnhold", "21", 2020) == ("4", "crosswalk")
    assert on("no_saksinnhold", "21", 2026)[0] is None  # 4 is not in force either


def test_a_code_of_another_period_waits_with_its_successors_and_says_when_it_held() -> None:
    day = dt.date(2026, 3, 1)
    in_force = HARMONISER.in_force("no_melding_konklusjon", (day, day))
    decision = HARMONISER.decide("no_melding_konklusjon", "1 - Henlagt", in_force)
    assert decision.pending
    assert [code for code, _ in decision.suggestions] == ["5", "6", "7"]
    assert "2013-01-01" in decision.note
    assert "2025-12-31" in decision.note


def test_a_code_with_its_label_is_the_code_and_cells_split_before_each_code() -> None:
    cell = (
        "7 - Vold i hjemmet/ barnet vitne til vold i nære relasjoner, 23 - Foreldres manglende "
        "oppfølging av barnets behov for barnehage, skole og pedagogiske tjenester"
    )
    assert codes_on(cell, 2024) == ["7", "23"]
    assert codes_on("1.1.01 Fysisk helse og utvikling; 2.4.05 - Beskyttelse mot vold", 2026) == [
        "1.1.01",
        "2.4.05",
    ]
    # the code and its label disagree: neither is taken
    assert codes_on("7 - Foreldres rusmisbruk", 2024) == [None]


def test_a_value_without_a_date_is_read_against_its_period() -> None:
    year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    in_force = HARMONISER.in_force("no_melding_konklusjon", year)
    assert HARMONISER.decide("no_melding_konklusjon", "Henlagt", in_force).pending
    both = (dt.date(2025, 7, 1), dt.date(2026, 6, 30))  # a period across the change
    in_force = HARMONISER.in_force("no_melding_konklusjon", both)
    assert HARMONISER.decide("no_melding_konklusjon", "Henlagt", in_force).code == "1"
