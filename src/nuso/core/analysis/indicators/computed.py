"""The derived variables computed with the tables (declared in the study's `derived:`, see
nuso.core.harmonise.computed_variables), added to a frame of text codes with the unit
(`enhet`) and, for those read across a case, the child's pseudonym (`pseudonym`).

A record belongs to a case only with its pseudonym and every `case.key` value known; a case
is read at an occasion only where it has exactly one record there (two decisions registered
for one case: which one counts is unknown, so neither does). Otherwise the value is none."""

from __future__ import annotations

import polars as pl

from nuso.core.harmonise.computed_variables import CaseSpec, ComputedVariable

PSEUDONYM = "pseudonym"
ROW = "_rad"


def with_computed(
    frame: pl.DataFrame, computed: tuple[ComputedVariable, ...], case: CaseSpec | None
) -> pl.DataFrame:
    """The frame with a String column of codes for each computed variable."""
    for variable in computed:
        frame = frame.with_columns(_column(frame, variable, case).alias(variable.name))
    return frame


def _column(frame: pl.DataFrame, variable: ComputedVariable, case: CaseSpec | None) -> pl.Series:
    if variable.kind == "groups_of":
        mapping = {code: group.code for group in variable.groups for code in group.codes}
        return frame[variable.sources[0]].replace_strict(mapping, default=None,
                                                          return_dtype=pl.String)  # fmt: skip
    if variable.kind in ("months_between", "days_between"):
        return frame.select(_band(variable))[variable.name]
    assert case is not None  # the dictionary's loader makes sure
    earlier = value_at(frame, case, variable.sources[0], variable.occasions[0])
    if variable.kind == "value_of":
        return earlier
    rank = {code: position for position, code in enumerate(variable.order)}
    before = earlier.replace_strict(rank, default=None, return_dtype=pl.Int64)
    now = frame[variable.sources[0]].replace_strict(rank, default=None, return_dtype=pl.Int64)
    at_later = frame[case.occasion] == variable.occasions[1]
    change = pl.DataFrame({"before": before, "now": now, "later": at_later}).select(
        pl.when(~pl.col("later")).then(None)
        .when(pl.col("now") < pl.col("before")).then(pl.lit("lagre"))
        .when(pl.col("now") == pl.col("before")).then(pl.lit("oforandrad"))
        .when(pl.col("now") > pl.col("before")).then(pl.lit("hogre"))
        .alias(variable.name)
    )  # fmt: skip
    return change[variable.name]


def value_at(frame: pl.DataFrame, case: CaseSpec, variable: str, occasion: str) -> pl.Series:
    """For every record, `variable` as its case's only record at `occasion` has it."""
    keys = ["enhet", PSEUDONYM, *case.key]
    linked = pl.all_horizontal(pl.col(key).is_not_null() for key in keys)
    there = (
        frame.filter(linked & (pl.col(case.occasion) == occasion))
        .group_by(keys)
        .agg(pl.len().alias("_n"), pl.col(variable).first().alias("_value"))
        .filter(pl.col("_n") == 1)
        .drop("_n")
    )
    joined = frame.select(keys).join(there, on=keys, how="left", maintain_order="left")
    return joined["_value"].cast(pl.String)


def _band(variable: ComputedVariable) -> pl.Expr:
    """The band of the time between the two dates (ISO text): whole months as an age counts
    whole years (31 January to 28 February is none), or days; none before the first band or
    where the later date is before the earlier."""
    start, end = (pl.col(name).str.to_date("%Y-%m-%d", strict=False) for name in variable.sources)
    if variable.kind == "days_between":
        time = (end - start).dt.total_days()
    else:
        time = (
            (end.dt.year() - start.dt.year()) * 12
            + end.dt.month().cast(pl.Int32) - start.dt.month().cast(pl.Int32)
            - (end.dt.day() < start.dt.day()).cast(pl.Int32)
        )  # fmt: skip
    band: pl.Expr = pl.lit(None, pl.String)
    for each in variable.bands:  # later bands override: the last band the time reaches
        band = pl.when(time >= each.start).then(pl.lit(each.code)).otherwise(band)
    return band.alias(variable.name)
