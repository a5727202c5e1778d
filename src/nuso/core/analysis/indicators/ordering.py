"""The rows of a table in the order its readers expect: levels from the unit up to the nation,
periods oldest first, and each dimension's categories in the codebook's order (age groups
0–2, 3–5, … 15–17, where text would sort 0–2, 12–14, 15–17, 3–5), with "uppgift saknas" and
the whole-distribution row after them.

Disclosure control sorts its cells as text, so that the same data is always suppressed the
same way (`disclosure._in_order`); the reading order is put back once a table is assembled,
and every page, chart and download shows the rows as they come."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from nuso.core.analysis.indicators.comparisons import WHOLE_DISTRIBUTION
from nuso.core.analysis.indicators.counting import LEVELS
from nuso.core.analysis.indicators.frame import MISSING
from nuso.core.harmonise.table_definitions import TableDefinition


def in_reading_order(
    rows: pl.DataFrame, table: TableDefinition, categories: Mapping[str, Sequence[str]]
) -> pl.DataFrame:
    """`rows` (the engine's tidy rows of `table`) in reading order; `categories` gives each
    dimension's codes in codebook order."""
    steps = [outcome.name for outcome in table.outcomes]
    keys = [
        _rank("niva", LEVELS),
        pl.col("enhet"),
        pl.col("period"),
        pl.col("jamforelse"),  # a level's own rows (null) before its comparisons
    ]
    for column in table.dimension_columns:
        order = steps if column == "steg" else categories.get(column, ())
        keys += [_rank(column, [*order, MISSING, WHOLE_DISTRIBUTION]), pl.col(column)]
    return rows.sort(keys, nulls_last=False, maintain_order=True)


def _rank(column: str, order: Sequence[str]) -> pl.Expr:
    """A value's place in `order`; values outside it after those in it."""
    places = {value: place for place, value in enumerate(order)}
    return pl.col(column).replace_strict(places, default=len(order), return_dtype=pl.Int64)
