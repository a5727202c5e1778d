"""A unit's dashboard from the engine's rows: per table, each category with the unit, the
chosen comparison group (without the unit) and the nation side by side, with intervals and
the guidance sentence; and the chart spec of the same figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from nuso.core.charts import comparison_bars
from nuso.core.indicators.counting import NATION
from nuso.core.indicators.definitions import TableDefinition
from nuso.core.indicators.engine import WHOLE_DISTRIBUTION, Results
from nuso.core.indicators.frame import MISSING

COMPARISONS = {
    "kommungrupp": "Kommungruppen",
    "storleksgrupp": "Kommuner av samma storlek",
    "riket": "Riket",
}


@dataclass(frozen=True)
class Cell:
    share: float | None
    low: float | None
    high: float | None
    count: int | None
    total: int | None
    suppressed: bool

    @classmethod
    def of(cls, row: dict[str, Any] | None) -> Cell:
        if row is None:
            return cls(None, None, None, None, None, False)
        return cls(row["andel"], row["ki_lag"], row["ki_hog"], row["antal"], row["total"],
                   bool(row["undertryckt"]))  # fmt: skip


@dataclass(frozen=True)
class Line:
    key: tuple[str, ...]
    label: str
    unit: Cell
    reference: Cell
    nation: Cell
    sentence: str
    significant: bool | None


@dataclass
class Section:
    name: str
    title: str
    heading: str  # the category column's heading
    lines: list[Line] = field(default_factory=list)
    summary: str = ""  # the whole distribution's test

    def chart(self, unit_name: str, reference_name: str) -> dict[str, Any]:
        series = [unit_name, reference_name, "Riket"]
        points = [
            {"kategori": line.label, "serie": name, "andel": cell.share,
             "ki_lag": cell.low, "ki_hog": cell.high}
            for line in self.lines
            for name, cell in zip(series, (line.unit, line.reference, line.nation), strict=True)
            if cell.share is not None
        ]  # fmt: skip
        return comparison_bars(points, self.heading, series, self.title)


def sections(
    results: Results, rows: dict[str, pl.DataFrame], unit: str, period: str, comparison: str,
    only: str | None = None,
) -> list[Section]:  # fmt: skip
    found = []
    for name, table in rows.items():
        definition = results.definitions[name]
        if not definition.compare or definition.kind == "logistic" or (only and name != only):
            continue
        found.append(_section(results, definition, table.filter(pl.col("period") == period),
                              unit, comparison))  # fmt: skip
    return found


def _section(
    results: Results, definition: TableDefinition, rows: pl.DataFrame, unit: str, comparison: str
) -> Section:
    columns = definition.dimension_columns
    labels = {**results.source.labels, "steg": {o.name: o.label for o in definition.outcomes}}
    heading = " – ".join(results.source.titles.get(c, c) for c in columns) or definition.title
    section = Section(definition.name, definition.title, heading)
    level, compared_with = pl.col("niva"), pl.col("jamforelse")
    own = _by_key(rows.filter((level == "kommun") & (pl.col("enhet") == unit)), columns)
    reference = _by_key(rows.filter((level == comparison) & (compared_with == unit)), columns)
    nation = _by_key(rows.filter((level == NATION) & compared_with.is_null()), columns)
    for key, row in own.items():
        if MISSING in key:
            continue
        if WHOLE_DISTRIBUTION in key:
            continue
        compared = reference.get(key)
        label = " – ".join(labels.get(c, {}).get(v, v) for c, v in zip(columns, key, strict=True))
        compared = compared or {}
        line = Line(key, label or definition.title, Cell.of(row), Cell.of(compared or None),
                    Cell.of(nation.get(key)), compared.get("vagledning") or "",
                    compared.get("signifikant"))  # fmt: skip
        section.lines.append(line)
    whole = reference.get(tuple(WHOLE_DISTRIBUTION for _ in columns))
    if whole:
        section.summary = whole.get("vagledning") or ""
    return section


def _by_key(rows: pl.DataFrame, columns: tuple[str, ...]) -> dict[tuple[str, ...], dict[str, Any]]:
    return {tuple(str(row[c]) for c in columns): row for row in rows.iter_rows(named=True)}


def key_figure_trend(
    results: Results, rows: dict[str, pl.DataFrame], unit: str
) -> list[dict[str, Any]]:
    """The key-figure tables for the unit and the nation in every period (the trend)."""
    trend = []
    for name, table in rows.items():
        definition = results.definitions[name]
        if not definition.key_figure:
            continue
        steps = {o.name: o.label for o in definition.outcomes}
        mine = table.filter((pl.col("niva") == "kommun") & (pl.col("enhet") == unit))
        nation = table.filter((pl.col("niva") == NATION) & pl.col("jamforelse").is_null())
        for row in mine.sort("period").iter_rows(named=True):
            step = row.get("steg")
            match = nation.filter(pl.col("period") == row["period"])
            if step is not None:
                match = match.filter(pl.col("steg") == step)
            trend.append({
                "label": definition.key_figure + (f" {steps[step]}" if step else ""),
                "period": row["period"], "unit": Cell.of(row),
                "nation": Cell.of(match.row(0, named=True) if match.height else None),
            })  # fmt: skip
    return trend
