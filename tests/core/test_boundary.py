"""The texts of a delivery outside its cells, masked where they enter (issue 16, item 2)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from nuso.core.errors import Problem
from nuso.core.intake.boundary import Masker, may_hold_numbers
from nuso.core.intake.personal_numbers import PersonalNumber
from nuso.core.intake.pseudonyms import pseudonym
from nuso.core.intake.reading import RawFile, RawSheet
from nuso.core.intake.report import ColumnRead, ImportReport

KEY = "test-key-" + "k" * 32
CHILD = PersonalNumber(dt.date(2009, 8, 9), 279)  # 0908092794
TOKEN = f"[pnr:{pseudonym(CHILD.formatted('long_plain'), KEY)}]"


def masker() -> Masker:
    return Masker(KEY, dt.date(2026, 11, 22))


def test_a_file_name_is_masked_whole_and_by_its_stem() -> None:
    mask = masker()
    assert mask.file_name("Karlstad 090809–2794.xlsx") == f"Karlstad {TOKEN}.xlsx"
    assert mask.file_name("908092794.xlsx") == f"{TOKEN}.xlsx"  # a stem that is a number
    assert mask.file_name("090809.2794") == TOKEN  # no suffix but a dot in the number
    assert mask.file_name("Karlstad 2023.csv") == "Karlstad 2023.csv"


def test_a_files_name_and_sheet_names_are_masked_and_stay_apart() -> None:
    raw = RawFile(
        "Barn 0908092794.xlsx",
        [RawSheet("090809-2794", []), RawSheet("121212-1213", []), RawSheet("121212-1214", [])],
    )
    masked = masker().raw_file(raw)
    assert masked.name == f"Barn {TOKEN}.xlsx"
    assert [s.name for s in masked.sheets] == [
        TOKEN, "[pnr:ogiltigt] (2)", "[pnr:ogiltigt] (3)",
    ]  # fmt: skip


def test_every_text_of_a_problem_is_masked() -> None:
    problem = Problem("x", "Värdet 090809-2794 är fel", "0908092794.csv", "2009 08 09-2794",
                      3, "Pnr 090809-2794", "908092794")  # fmt: skip
    masked = masker().problem(problem)
    assert masked == Problem("x", f"Värdet {TOKEN} är fel", f"{TOKEN}.csv", TOKEN, 3,
                             f"Pnr {TOKEN}", TOKEN)  # fmt: skip


def test_a_report_is_masked_throughout_and_twice_is_once() -> None:
    report = ImportReport(
        file="a.csv",
        columns=(ColumnRead("Flik 090809.2794", "Syskon 090809-2794", None, "okänd"),),
        flags={"ålder går inte att läsa: '090809 2794'": 1},
    )
    once = masker().report(report)
    assert "2794" not in repr(once.to_json())
    assert masker().report(once) == once


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
numbers_in_text = st.builds(
    lambda before, number, after: f"{before}{number.formatted('short')}{after}",
    texts,
    st.builds(
        PersonalNumber, st.dates(dt.date(2001, 1, 1), dt.date(2020, 1, 1)), st.integers(0, 999)
    ),
    texts,
)


@given(st.dictionaries(st.one_of(texts, numbers_in_text),
                       st.lists(st.one_of(texts, numbers_in_text, st.integers()), max_size=4),
                       max_size=4))  # fmt: skip
def test_the_quick_look_at_json_passes_over_no_number(data) -> None:
    """A report whose JSON the quick look passes holds nothing masking would change."""
    if not may_hold_numbers(data):
        assert masker().json(data) == data
    if any(masker().text(key) != key for key in data):
        assert may_hold_numbers(data)
