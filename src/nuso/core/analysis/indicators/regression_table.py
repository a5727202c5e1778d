"""The multivariable table: odds ratios of an outcome on several factors, nationally and per
period (PM #1 figure 3: who is granted an intervention, all else equal)."""

from __future__ import annotations

import numpy as np
import polars as pl

from nuso.core.analysis.indicators.counting import NATION
from nuso.core.analysis.regression import fit_logistic
from nuso.core.harmonise.table_definitions import Factor, TableDefinition

OUTCOME = "__utfall"


def logistic_table(frame: pl.DataFrame, table: TableDefinition) -> pl.DataFrame:
    rows = []
    for period in sorted(frame["period"].unique().to_list()):
        data = _model_frame(frame.filter(pl.col("period") == period), table)
        if data.height < 10 * (len(table.factors) + 1):
            continue  # too few records to estimate the model
        references = {
            f.variable: (None if f.present_unless else f.reference) for f in table.factors
        }
        try:
            terms = fit_logistic(data, OUTCOME, references)
        except (np.linalg.LinAlgError, ValueError):
            continue  # perfect separation or a singular design: no estimate for this period
        for term in terms:
            low, high = term.odds_ratio_interval
            rows.append({
                "tabell": table.name, "niva": NATION, "enhet": NATION, "period": period,
                "faktor": term.name, "antal": None, "total": data.height, "andel": None,
                "ki_lag": low, "ki_hog": high, "jamforelse": None, "p_varde": term.p_value,
                "signifikant": term.p_value < 0.05, "undertryckt": False,
                "vagledning": None, "oddskvot": term.odds_ratio,
            })  # fmt: skip
    schema = {
        "tabell": pl.String, "niva": pl.String, "enhet": pl.String, "period": pl.String,
        "faktor": pl.String, "antal": pl.Int64, "total": pl.Int64, "andel": pl.Float64,
        "ki_lag": pl.Float64, "ki_hog": pl.Float64, "jamforelse": pl.String,
        "p_varde": pl.Float64, "signifikant": pl.Boolean, "undertryckt": pl.Boolean,
        "vagledning": pl.String, "oddskvot": pl.Float64,
    }  # fmt: skip
    return pl.DataFrame(rows, schema=schema)


def _model_frame(frame: pl.DataFrame, table: TableDefinition) -> pl.DataFrame:
    """Complete cases: the outcome as 0/1 and each factor as a level or a 0/1 indicator."""
    outcome = table.outcomes[0]
    columns = [
        pl.when(pl.col(outcome.variable).is_null())
        .then(None)
        .otherwise(pl.col(outcome.variable).is_in(list(outcome.values)).cast(pl.Int8))
        .alias(OUTCOME)
    ]
    columns += [_factor(factor) for factor in table.factors]
    return frame.select(columns).drop_nulls()


def _factor(factor: Factor) -> pl.Expr:
    column = pl.col(factor.variable)
    if factor.present_unless:
        present = column.list.eval(~pl.element().is_in(list(factor.present_unless))).list.any()
        return pl.when(column.list.len() > 0).then(present.cast(pl.Int8)).alias(factor.variable)
    return column
