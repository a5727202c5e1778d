"""Counting the cells of every table for every unit and period, then summing them to the
comparison levels. Every grid is complete (zeros included, and a category for records
without a value), so that a level's cells add up to its totals and the units add up to every
level above them: disclosure control relies on it."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import polars as pl

from nuso.core.analysis.indicators.frame import MISSING
from nuso.core.harmonise.table_definitions import Outcome, TableDefinition

LEVELS = ("kommun", "kommungrupp", "storleksgrupp", "lan", "riket")
NATION = "riket"
GROUP_LEVELS = ("kommungrupp", "storleksgrupp", "lan")
YES, NO, KNOWN, COUNT = "ja", "nej", "kand", "antal"  # the counted sets (see disclosure)


def count_table(
    frame: pl.DataFrame, table: TableDefinition, categories: Mapping[str, Sequence[str]],
    multi_valued: frozenset[str],
) -> pl.DataFrame:  # fmt: skip
    """The table's cells at every level: columns niva, enhet, period, [steg], dimensions,
    antal, total, and `mangd` (which counted set `antal` is; see disclosure). A table with
    `where` counts only its records, in the grid of every unit and period with records."""
    counted = filtered(frame, table)
    prepared = _with_dimensions(counted, table.dimensions, multi_valued, categories)
    if table.kind == "distribution":
        unit_cells = _distribution(frame, counted, prepared, table, categories)
    else:
        # a step on a variable the table is broken down by says nothing (everyone with an
        # identified vulnerability has one): "Behov och insats per identifierad utsatthet"
        outcomes = [o for o in table.outcomes if o.variable not in table.dimensions]
        unit_cells = pl.concat(
            [_share(frame, prepared, table, outcome, categories) for outcome in outcomes]
        )
    return _all_levels(unit_cells, frame, table)


def filtered(frame: pl.DataFrame, table: TableDefinition) -> pl.DataFrame:
    """The records a table counts: those with each `where` value."""
    if not table.where:
        return frame
    return frame.filter(*(pl.col(variable) == value for variable, value in table.where))


def _with_dimensions(
    frame: pl.DataFrame, dimensions: Sequence[str], multi_valued: frozenset[str],
    categories: Mapping[str, Sequence[str]],
) -> pl.DataFrame:  # fmt: skip
    """One row per record and combination of its dimension values: a multi-valued variable
    counts a record under each of its values; a missing value is MISSING, and so is a value
    outside the dimension's categories (an age of 19 where ages are 0–17): every record
    is counted in a cell of the grid, so that the cells add up to the totals."""
    prepared = frame
    for dimension in dimensions:
        column = pl.col(dimension)
        known = list(categories.get(dimension, ()))
        if known and dimension in multi_valued:
            column = column.list.eval(
                pl.when(pl.element().is_in(known)).then(pl.element()).otherwise(pl.lit(MISSING))
            )
        elif known:
            column = pl.when(column.is_in(known)).then(column).otherwise(pl.lit(MISSING))
        if dimension in multi_valued:
            empty = column.is_null() | (column.list.len() == 0)
            prepared = prepared.with_columns(
                pl.when(empty)
                .then(pl.lit([MISSING]))
                .otherwise(column.list.unique())
                .alias(dimension)
            ).explode(dimension)
        else:
            prepared = prepared.with_columns(column.fill_null(MISSING))
    return prepared


def _grid(
    frame: pl.DataFrame, dimensions: Sequence[str], categories: Mapping[str, Sequence[str]]
) -> pl.DataFrame:
    """Every unit and period with records, crossed with every combination of categories."""
    units = frame.select("enhet", "period").unique()
    combinations = list(itertools.product(*[[*categories[d], MISSING] for d in dimensions]))
    if not dimensions:
        return units
    cells = pl.DataFrame(combinations, schema=list(dimensions), orient="row")
    return units.join(cells, how="cross")


def _distribution(
    frame: pl.DataFrame, counted: pl.DataFrame, prepared: pl.DataFrame,
    table: TableDefinition, categories: Mapping[str, Sequence[str]],
) -> pl.DataFrame:  # fmt: skip
    keys = ["enhet", "period", *table.dimensions]
    counts = prepared.group_by(keys).len("antal")
    within = [table.within] if table.within else []
    totals = (
        _with_dimensions(counted, within, frozenset(), categories)
        .group_by("enhet", "period", *within)
        .len("total")
    )
    return (
        _grid(frame, table.dimensions, categories)
        .join(counts, on=keys, how="left")
        .join(totals, on=["enhet", "period", *within], how="left")
        .with_columns(pl.col("antal", "total").fill_null(0), pl.lit(COUNT).alias("mangd"))
    )


def _share(
    frame: pl.DataFrame, prepared: pl.DataFrame, table: TableDefinition, outcome: Outcome,
    categories: Mapping[str, Sequence[str]],
) -> pl.DataFrame:  # fmt: skip
    keys = ["enhet", "period", *table.dimensions]
    value = pl.col(outcome.variable)
    known = value.is_not_null()
    if value_is_list(prepared, outcome.variable):
        hit = value.list.eval(pl.element().is_in(list(outcome.values))).list.any()
        known = known & (value.list.len() > 0)
    else:
        hit = value.is_in(list(outcome.values))
    counts = prepared.group_by(keys).agg(
        (hit & known).sum().alias("antal"), known.sum().alias("total")
    )
    cells = (
        _grid(frame, table.dimensions, categories)
        .join(counts, on=keys, how="left")
        .with_columns(pl.col("antal", "total").fill_null(0), pl.lit(outcome.key).alias("mangd"))
    )
    if table.kind == "funnel":
        cells = cells.with_columns(pl.lit(outcome.name).alias("steg"))
    return cells


def value_is_list(frame: pl.DataFrame, column: str) -> bool:
    return isinstance(frame.schema[column], pl.List)


def _all_levels(
    unit_cells: pl.DataFrame, frame: pl.DataFrame, table: TableDefinition
) -> pl.DataFrame:
    """The unit cells and their sums per comparison group, county and nation."""
    keys = ["period", *table.dimension_columns, "mangd"]
    # the unit's groups under their own names: a table may have a group as a dimension
    attributes = frame.select(
        "enhet", *(pl.col(level).alias(f"_{level}") for level in GROUP_LEVELS)
    ).unique("enhet")
    cells = unit_cells.join(attributes, on="enhet", how="left")
    levels = [cells.select(pl.lit("kommun").alias("niva"), "enhet", *keys, "antal", "total")]
    for level in GROUP_LEVELS:
        group = pl.col(f"_{level}")
        levels.append(
            cells.filter(group.is_not_null() & (group != ""))
            .group_by(group.alias("_grupp"), *keys)
            .agg(pl.col("antal", "total").sum())
            .select(
                pl.lit(level).alias("niva"),
                pl.col("_grupp").alias("enhet"),
                *keys,
                "antal",
                "total",
            )
        )
    levels.append(
        cells.group_by(keys)
        .agg(pl.col("antal", "total").sum())
        .select(
            pl.lit(NATION).alias("niva"), pl.lit(NATION).alias("enhet"), *keys, "antal", "total"
        )
    )
    return pl.concat(levels).with_columns(pl.col("antal", "total").cast(pl.Int64))


def without_codes_out_of_force(
    cells: pl.DataFrame,
    table: TableDefinition,
    out_of_force: Mapping[str, Mapping[str, frozenset[str]]],
) -> pl.DataFrame:
    """The cells less those of a code in force on no day of their period where no record
    in the nation has it: a 2024 table shows no row for a code SSB brought in in 2025 (nor a
    2026 one for a code that ended). A code given where it was not in force keeps its rows,
    so that every record stays counted."""
    dated = [d for d in table.dimensions if d in out_of_force]
    if not dated:
        return cells
    keys = ["period", *table.dimension_columns, "mangd"]
    empty = cells.filter(
        pl.col("niva") == NATION,
        pl.col("antal") == 0,
        (pl.col("total") == 0) | (pl.col("mangd") == COUNT),
    ).select(keys)
    gone = []
    for dimension in dated:
        pairs = pl.DataFrame(
            [(p, code) for p, codes in out_of_force[dimension].items() for code in codes],
            schema={"period": cells.schema["period"], dimension: cells.schema[dimension]},
            orient="row",
        )
        gone.append(empty.join(pairs, on=["period", dimension], how="semi"))
    return cells.join(pl.concat(gone).unique(), on=keys, how="anti", nulls_equal=True)
