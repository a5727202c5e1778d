"""Logistic regression of a yes/no outcome on categorical factors, reported as odds ratios with
95 % intervals: the structure behind PM #1's figure 3 (who gets a granted intervention)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
import statsmodels.api as sm


@dataclass(frozen=True)
class Term:
    name: str  # as "variable[level]" for a level against its reference, or a 0/1 variable
    coefficient: float
    low: float  # 95 % interval of the coefficient (log-odds)
    high: float
    p_value: float

    @property
    def odds_ratio(self) -> float:
        return float(np.exp(self.coefficient))

    @property
    def odds_ratio_interval(self) -> tuple[float, float]:
        return float(np.exp(self.low)), float(np.exp(self.high))


def design_matrix(
    frame: pl.DataFrame, factors: dict[str, str | None], intercepts: str | None = None
) -> pl.DataFrame:
    """Indicator columns "variable[level]" for every level but the reference; a factor with
    reference None is taken as 0/1 as it is. With `intercepts`, that factor gets one column
    per level and no common intercept (an intercept per level)."""
    columns: dict[str, pl.Series] = {}
    for variable, reference in factors.items():
        values = frame[variable]
        if reference is None:
            columns[variable] = values.cast(pl.Float64)
            continue
        for level in sorted(values.cast(pl.String).unique().drop_nulls()):
            if level != reference or variable == intercepts:
                columns[f"{variable}[{level}]"] = (values.cast(pl.String) == level).cast(pl.Float64)
    return pl.DataFrame(columns)


def fit_logistic(
    frame: pl.DataFrame, outcome: str, factors: dict[str, str | None], intercepts: str | None = None
) -> list[Term]:
    design = design_matrix(frame, factors, intercepts)
    exog = design.to_numpy()
    if intercepts is None:
        exog = sm.add_constant(exog, has_constant="add")
    names = ([] if intercepts else ["konstant"]) + design.columns
    result = sm.Logit(frame[outcome].cast(pl.Float64).to_numpy(), exog).fit(disp=False)
    intervals = result.conf_int(alpha=0.05)
    return [
        Term(
            name,
            float(result.params[i]),
            float(intervals[i][0]),
            float(intervals[i][1]),
            float(result.pvalues[i]),
        )
        for i, name in enumerate(names)
    ]
