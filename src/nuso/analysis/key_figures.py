"""A study's national key figures in words: the tables marked `key_figure` in its
dictionary, as shown to everyone (disclosure-controlled)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from nuso.analysis.service import study_tables
from nuso.core.analysis.indicators.counting import NATION
from nuso.core.analysis.indicators.guidance import percent
from nuso.studies.models import Study


@dataclass(frozen=True)
class KeyFigure:
    label: str
    period: str
    share: float | None
    low: float | None
    high: float | None
    count: int | None
    total: int | None

    def describe(self) -> str:
        if self.share is None or self.low is None or self.high is None:
            return f"{self.label} ({self.period}): undertryckt"
        count = f"{self.count:,} av {self.total:,}".replace(",", "\u00a0")
        interval = f"{percent(self.low, 1).split()[0]}–{percent(self.high, 1)}"
        share = percent(self.share, 1)
        return f"{self.label} ({self.period}): {share} (95 % KI {interval}; {count})"


def key_figures(study: Study) -> list[KeyFigure]:
    results = study_tables(study)
    figures = []
    for name, rows in results.national().items():
        definition = results.definitions[name]
        if not definition.key_figure:
            continue
        steps = {outcome.name: outcome.label for outcome in definition.outcomes}
        order = {name: position for position, name in enumerate(steps)}
        nation = rows.filter(pl.col("niva") == NATION)
        if definition.kind == "funnel":
            step = pl.col("steg").replace_strict(order, return_dtype=pl.Int64)
            nation = nation.sort("period", step)
        else:
            nation = nation.sort("period")
        for row in nation.iter_rows(named=True):
            label = definition.key_figure
            if definition.kind == "funnel":
                label = f"{label} {steps[row['steg']]}"
            figures.append(
                KeyFigure(
                    label,
                    row["period"],
                    row["andel"],
                    row["ki_lag"],
                    row["ki_hog"],
                    row["antal"],
                    row["total"],
                )
            )
    return figures
