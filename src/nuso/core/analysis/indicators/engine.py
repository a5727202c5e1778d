"""Every table of a study at every level, disclosure-controlled, with each unit compared with
its municipality group (in Norway its fylke) and size band (both without the unit itself) and
with the nation.

Output is tidy long format, one frame per table: tabell, niva, enhet, period, the table's
dimensions, antal, total, andel, ki_lag, ki_hog, jamforelse, p_varde, signifikant,
undertryckt, vagledning. A comparison row shows the reference's figures (niva = the
reference level, enhet = its code) and names the compared unit in `jamforelse`.

The engine counts and assembles; disclosure control (`disclosure`), the comparisons with
their tests (`comparisons`) and the sentences about them (`guidance`) are modules of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from nuso.core.analysis.indicators.comparisons import (
    compared,
    comparison_levels,
    distribution_tests,
    with_reference,
)
from nuso.core.analysis.indicators.counting import (
    NATION,
    count_table,
    filtered,
    without_codes_out_of_force,
)
from nuso.core.analysis.indicators.disclosure import (
    Suppression,
    combined,
    flags,
    forced,
    suppress_national,
    suppress_units,
)
from nuso.core.analysis.indicators.frame import RESULT_COLUMNS
from nuso.core.analysis.indicators.inputs import StudyInput
from nuso.core.analysis.indicators.ordering import in_reading_order
from nuso.core.analysis.indicators.regression_table import logistic_table
from nuso.core.analysis.statistics import wilson_interval
from nuso.core.harmonise.table_definitions import TableDefinition


@dataclass
class Results:
    tables: dict[str, pl.DataFrame]
    definitions: dict[str, TableDefinition]
    suppression: Suppression | None
    source: StudyInput
    counties: dict[str, str] = field(default_factory=dict)  # unit -> county code
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False)

    def memo(self, key: Any, make: Callable[[], Any]) -> Any:
        """A value derived from these results, made once (results never change: new data
        gives new results)."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def national(self) -> dict[str, pl.DataFrame]:
        """The national tables: every level above the unit, without unit comparisons."""
        plain = (pl.col("niva") != "kommun") & pl.col("jamforelse").is_null()
        return {name: rows.filter(plain) for name, rows in self.tables.items()}

    @property
    def periods(self) -> list[str]:
        """The periods with records, oldest first."""
        return self.memo(  # type: ignore[no-any-return]
            ("periods",), lambda: sorted(self.source.frame["period"].unique().to_list())
        )

    def for_unit(self, code: str) -> dict[str, pl.DataFrame]:
        """What a unit's users see: its own rows, its comparisons and its county."""
        return self.memo(("unit", code), lambda: self._for_unit(code))  # type: ignore[no-any-return]

    def _for_unit(self, code: str) -> dict[str, pl.DataFrame]:
        county = self.counties.get(code)
        # the county's own figures; never its comparisons with its other units (the county
        # without a neighbour, beside the county, tells the neighbour's figures)
        own_county = (
            (pl.col("niva") == "lan")
            & (pl.col("enhet") == (county or ""))  # none: no county
            & pl.col("jamforelse").is_null()
        )
        mine = (
            ((pl.col("niva") == "kommun") & (pl.col("enhet") == code))
            | (pl.col("jamforelse") == code)
            | own_county
        )
        return {
            name: rows.filter(mine | (pl.col("tabell") == name) & (pl.col("niva") == NATION)
                              & pl.col("jamforelse").is_null())
            for name, rows in self.tables.items()
        }  # fmt: skip


def compute(study: StudyInput, threshold: int | None) -> Results:
    """All tables; `threshold` None means unsuppressed (analysts only)."""
    counted = {
        table.name: without_codes_out_of_force(
            count_table(study.frame, table, study.categories, study.multi_valued),
            table, study.out_of_force,
        )
        for table in study.tables
        if table.kind != "logistic"
    }  # fmt: skip
    national = {name: cells.filter(pl.col("niva") != "kommun") for name, cells in counted.items()}
    groups = tuple(level for level in comparison_levels(study.country) if level != NATION)
    views = {
        name: _unit_views(study.frame, study.tables_by_name[name], cells, groups)
        for name, cells in counted.items()
    }
    if threshold is not None:
        units = {name: cells.filter(pl.col("niva") == "kommun") for name, cells in counted.items()}
        national, scopes = suppress_national(study, national, threshold, units)
        views = {name: forced(rows, national[name], study.tables_by_name[name])
                 for name, rows in views.items()}  # fmt: skip
        views, unit_scopes = suppress_units(study, views, threshold)
        summary: Suppression | None = combined(scopes, unit_scopes)
    else:
        national = {name: flags(rows, None) for name, rows in national.items()}
        views = {name: flags(rows, None) for name, rows in views.items()}
        summary = None
    tables: dict[str, pl.DataFrame] = {}
    for table in study.tables:
        if table.kind == "logistic":
            tables[table.name] = logistic_table(filtered(study.frame, table), table)
        else:
            tables[table.name] = _table_rows(study, table, national[table.name], views[table.name])
    counties = dict(study.frame.select("enhet", "lan").unique("enhet").iter_rows())
    return Results(tables, {t.name: t for t in study.tables}, summary, study, counties)


def _unit_views(
    frame: pl.DataFrame, table: TableDefinition, cells: pl.DataFrame, groups: tuple[str, ...]
) -> pl.DataFrame:
    """What one unit is compared with, as cells of its own: the unit (niva kommun) and each
    of its `groups` (municipality group or county, and size band), without the unit.
    `jamforelse` names the unit."""
    keys = ["period", *table.dimension_columns, "mangd"]
    attributes = frame.select(
        "enhet", *(pl.col(level).alias(f"_{level}") for level in groups)
    ).unique("enhet")
    unit = cells.filter(pl.col("niva") == "kommun").join(attributes, on="enhet", how="left")
    parts = [
        unit.select("niva", "enhet", *keys, "antal", "total", pl.col("enhet").alias("jamforelse"))
    ]
    for level in groups:
        group = cells.filter(pl.col("niva") == level).select(
            pl.col("enhet").alias(f"_{level}"), *keys,
            pl.col("antal").alias("g_antal"), pl.col("total").alias("g_total"),
        )  # fmt: skip
        parts.append(
            unit.join(group, on=[f"_{level}", *keys], how="inner").select(
                pl.lit(level).alias("niva"),
                pl.col(f"_{level}").alias("enhet"),
                *keys,
                (pl.col("g_antal") - pl.col("antal")).alias("antal"),
                (pl.col("g_total") - pl.col("total")).alias("total"),
                pl.col("enhet").alias("jamforelse"),
            )
        )
    return pl.concat(parts)


# --- rows ----------------------------------------------------------------------------------


def _table_rows(
    study: StudyInput, table: TableDefinition, national: pl.DataFrame, views: pl.DataFrame
) -> pl.DataFrame:
    units = views.filter(pl.col("niva") == "kommun").drop("jamforelse")
    levels = _shares(pl.concat([units, national], how="diagonal_relaxed")).with_columns(
        pl.lit(None, pl.String).alias("jamforelse"),
        pl.lit(None, pl.Float64).alias("p_varde"),
        pl.lit(None, pl.Boolean).alias("signifikant"),
        pl.lit(None, pl.String).alias("vagledning"),
    )
    parts = [levels]
    if table.compare:
        references = {
            level: with_reference(views, national, level, table)
            for level in comparison_levels(study.country)
        }
        parts += [compared(study, table, joined, level) for level, joined in references.items()]
        if table.kind == "distribution" and not set(table.dimensions) & study.multi_valued:
            parts += [distribution_tests(study, table, joined, level)
                      for level, joined in references.items()]  # fmt: skip
    # A study without records yet (one collected by forms) has every table empty, not none.
    kept = [_publishable(part) for part in parts if part.height] or [_publishable(levels)]
    rows = pl.concat(kept, how="diagonal_relaxed")
    rows = rows.with_columns(pl.lit(table.name).alias("tabell"), pl.lit(None, pl.Float64)
                             .alias("oddskvot")).select(
        "tabell", "niva", "enhet", "period", *table.dimension_columns, *RESULT_COLUMNS
    )  # fmt: skip
    return in_reading_order(rows, table, study.categories)


def _shares(cells: pl.DataFrame) -> pl.DataFrame:
    antal, total = cells["antal"].to_numpy(), cells["total"].to_numpy()
    low, high = wilson_interval(antal, total)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, antal / np.maximum(total, 1), np.nan)
    return cells.with_columns(
        pl.Series("andel", share).fill_nan(None),
        pl.Series("ki_lag", low).fill_nan(None),
        pl.Series("ki_hog", high).fill_nan(None),
    )


def _publishable(rows: pl.DataFrame) -> pl.DataFrame:
    """Hidden counts and everything built on them become empty; `undertryckt` says so."""
    hidden_share = pl.col("antal_dold") | pl.col("total_dold")
    return rows.with_columns(
        pl.when(pl.col("antal_dold")).then(None).otherwise(pl.col("antal")).alias("antal"),
        pl.when(pl.col("total_dold")).then(None).otherwise(pl.col("total")).alias("total"),
        *(
            pl.when(hidden_share).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("andel", "ki_lag", "ki_hog")
        ),
        hidden_share.alias("undertryckt"),
    )
