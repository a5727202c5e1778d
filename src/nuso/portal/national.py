"""The analysts' national view: every unit's share with its interval, ranked, and the funnel
plot of the same figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from nuso.core.analysis.charts import ChartWords, funnel_plot
from nuso.core.analysis.indicators.counting import NATION
from nuso.core.analysis.indicators.engine import Results

RANKED_KINDS = ("share", "funnel")


@dataclass(frozen=True)
class Measure:
    """A share the units can be ranked by: a share table without dimensions, or one step of
    a funnel without dimensions (the survey has no plain share, only its funnel)."""

    table: str
    step: str | None
    title: str

    @property
    def key(self) -> str:
        """How the measure is asked for (`?tabell=tratt:insats`)."""
        return f"{self.table}:{self.step}" if self.step else self.table


def measures(results: Results) -> list[Measure]:
    """The study's rankable measures, in the order of its dictionary."""
    found = []
    for definition in results.definitions.values():
        if definition.kind not in RANKED_KINDS or definition.dimensions:
            continue
        if definition.kind == "share":
            found.append(Measure(definition.name, None, definition.title))
        else:
            found += [Measure(definition.name, step.name, f"{definition.title}: {step.label}")
                      for step in definition.outcomes]  # fmt: skip
    return found


def chosen_measure(results: Results, asked: str) -> Measure | None:
    """The measure asked for, else the study's first; None when the study has none."""
    available = measures(results)
    return next((m for m in available if m.key == asked), available[0] if available else None)


@dataclass
class Ranking:
    title: str
    nation: dict[str, Any] | None
    units: list[dict[str, Any]] = field(default_factory=list)

    def funnel_spec(self, words: ChartWords) -> dict[str, Any]:
        share = (self.nation or {}).get("andel") or 0.0
        points = [{"total": u["total"], "andel": u["andel"], "enhet": u["namn"]}
                  for u in self.units if u["total"]]  # fmt: skip
        return funnel_plot(points, share, self.title, words)


def ranking(results: Results, measure: Measure | None, period: str) -> Ranking:
    if measure is None or measure.table not in results.tables:
        return Ranking("", None)
    frame = results.tables[measure.table].filter(
        pl.col("period") == period, pl.col("jamforelse").is_null()
    )
    if measure.step is not None:
        frame = frame.filter(pl.col("steg") == measure.step)
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
        measure.title,
        nation.row(0, named=True) if nation.height else None,
        list(units.iter_rows(named=True)),
    )
