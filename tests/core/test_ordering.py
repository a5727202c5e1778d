"""Rows in reading order: codebook order for categories, not text order."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from nuso.core.analysis.indicators.ordering import in_reading_order
from nuso.core.harmonise.table_definitions import Outcome, TableDefinition

GROUPS = ("0-2", "3-5", "6-8", "9-11", "12-14", "15-17")


def test_categories_come_in_codebook_order_with_missing_and_the_whole_last() -> None:
    table = TableDefinition("aldersgrupp", "Åldersgrupp", "distribution", ("aldersgrupp",))
    values = [*GROUPS, "uppgift_saknas", "samtliga"]
    expected = pl.DataFrame({
        "niva": ["kommun"] * 8 + ["riket"] * 8,
        "enhet": ["1780"] * 8 + ["riket"] * 8,
        "period": ["2023"] * 16,
        "jamforelse": [None] * 16,
        "aldersgrupp": values * 2,
    }, schema_overrides={"jamforelse": pl.String})  # fmt: skip
    shuffled = expected.sort("aldersgrupp", "niva", descending=True)  # as text, backwards
    assert_frame_equal(in_reading_order(shuffled, table, {"aldersgrupp": GROUPS}), expected)


def test_funnel_steps_keep_their_order_and_comparisons_follow_a_levels_own_rows() -> None:
    steps = tuple(Outcome(name, name, name, ("ja",)) for name in ("utsatthet", "behov", "insats"))
    table = TableDefinition("tratt", "Tratt", "funnel", outcomes=steps)
    expected = pl.DataFrame({
        "niva": ["kommungrupp"] * 6,
        "enhet": ["A1"] * 6,
        "period": ["2023"] * 6,
        "jamforelse": [None, None, None, "1780", "1780", "1780"],
        "steg": ["utsatthet", "behov", "insats"] * 2,
    })  # fmt: skip
    assert_frame_equal(in_reading_order(expected.reverse(), table, {}), expected)
