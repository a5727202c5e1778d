"""The analysts' national view: every unit's share with its interval, ranked, and the funnel
plot of the same figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from nuso.core.analysis.charts import funnel_plot
from nuso.core.analysis.indicators.counting import NATION
from nuso.core.analysis.indicators.engine import Results


@dataclass
class Ranking:
    title: str
    nation: dict[str, Any] | None
    units: list[dict[str, Any]] = field(default_factory=list)

    def funnel_spec(self) -> dict[str, Any]:
        share = (self.nation or {}).get("andel") or 0.0
        points = [{"total": u["total"], "andel": u["andel"], "enhet": u["namn"]}
                  for u in self.units if u["total"]]  # fmt: skip
        return funnel_plot(points, share, self.title)


def ranking(results: Results, rows: dict[str, pl.DataFrame], table: str, period: str) -> Ranking:
    definition = results.definitions.get(table)
    if definition is None or table not in rows:
        return Ranking("", None)
    frame = rows[table].filter(pl.col("period") == period, pl.col("jamforelse").is_null())
    if definition.kind == "funnel":
        frame = frame.filter(pl.col("steg") == definition.outcomes[-1].name)
    nation = frame.filter(pl.col("niva") == NATION)
    names = {
        code: name for (level, code), name in results.source.names.items() if level == "kommun"
    }
    units = (
        frame.filter(pl.col("niva") == "kommun")
        .sort("andel", descending=True, nulls_last=True)
        .with_columns(pl.col("enhet").replace_strict(names, default=pl.col("enhet")).alias("namn"))
    )
    return Ranking(
        definition.title,
        nation.row(0, named=True) if nation.height else None,
        list(units.iter_rows(named=True)),
    )
