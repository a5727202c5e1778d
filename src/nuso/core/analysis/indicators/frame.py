"""The analysis frame: one row per record, every variable as text codes (lists for
multi-valued variables), with the unit's comparison groups beside it."""

from __future__ import annotations

import polars as pl

from nuso.core.analysis.indicators.computed import PSEUDONYM, with_computed
from nuso.core.harmonise.dictionary import StudyDictionary
from nuso.core.intake.blocks import VALUE_TYPES

MISSING = "uppgift_saknas"  # the category of a record without a value (so cells add up)
UNIT_COLUMNS = ("enhet", "namn", "lan", "kommungrupp", "storleksgrupp")
# A published table row's figures, after its keys (tabell, niva, enhet, period, dimensions).
RESULT_COLUMNS = ("antal", "total", "andel", "ki_lag", "ki_hog", "jamforelse", "p_varde",
                  "signifikant", "undertryckt", "vagledning", "oddskvot")  # fmt: skip


def variable_types(dictionary: StudyDictionary) -> dict[str, str]:
    """Every analysable variable and its type; computed variables are single categories."""
    return _stored_types(dictionary) | {c.name: "category" for c in dictionary.computed}


def _stored_types(dictionary: StudyDictionary) -> dict[str, str]:
    types = {variable.name: variable.type for variable in dictionary.variables}
    return types | {derived.name: derived.type for derived in dictionary.derived}


def analysis_frame(
    records: pl.DataFrame, dictionary: StudyDictionary, unit_table: pl.DataFrame
) -> pl.DataFrame:
    """Records (columns `enhet` and `period`, and each variable's values typed as stored,
    nuso.core.intake.blocks; a variable without a column is unknown) as a frame of text codes.
    Integers become their decimal text and booleans "ja"/"nej", so that every variable can
    be a table dimension; unknown values are null. The variables computed with the tables
    follow (`computed`); those read across a case need the records' `pseudonym` column, which
    the frame does not keep."""
    columns = [
        _as_text(pl.col(name) if name in records.columns else pl.lit(None, VALUE_TYPES[kind]),
                 kind).alias(name)
        for name, kind in _stored_types(dictionary).items()
    ]  # fmt: skip
    pseudonym = (pl.col(PSEUDONYM) if PSEUDONYM in records.columns else pl.lit(None)).cast(
        pl.String
    )
    frame = records.select(
        pl.col("enhet").cast(pl.String), pl.col("period").cast(pl.String), *columns,
        pseudonym.alias(PSEUDONYM),
    )  # fmt: skip
    frame = with_computed(frame, dictionary.computed, dictionary.case).drop(PSEUDONYM)
    # text even where every unit lacks a group (Norway's have no SKR group, nor a size band
    # before SSB's population is loaded): a column of nulls does not join with text
    attributes = unit_table.select(pl.col(UNIT_COLUMNS).cast(pl.String))
    return frame.join(attributes, on="enhet", how="left")


def _as_text(values: pl.Expr, kind: str) -> pl.Expr:
    if kind == "integer":
        return values.cast(pl.String)
    if kind == "boolean":
        return values.replace_strict(
            {True: "ja", False: "nej"}, default=None, return_dtype=pl.String
        )
    return values
