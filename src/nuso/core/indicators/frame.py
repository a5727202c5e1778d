"""The analysis frame: one row per record, every variable as text codes (lists for
multi-valued variables), with the unit's comparison groups beside it."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from nuso.core.dictionary import StudyDictionary

MISSING = "uppgift_saknas"  # the category of a record without a value (so cells add up)
UNIT_COLUMNS = ("enhet", "namn", "lan", "kommungrupp", "storleksgrupp")

JSON_TYPES: dict[str, pl.DataType] = {
    "category": pl.String(),
    "categories": pl.List(pl.String()),
    "integer": pl.Int64(),
    "boolean": pl.Boolean(),
    "date": pl.String(),
    "text": pl.String(),
}


def variable_types(dictionary: StudyDictionary) -> dict[str, str]:
    """Every analysable variable and its type; derived variables are single categories."""
    types = {variable.name: variable.type for variable in dictionary.variables}
    return types | {derived.name: "category" for derived in dictionary.derived}


def analysis_frame(
    units: Sequence[str], periods: Sequence[str], values_json: Sequence[str],
    dictionary: StudyDictionary, unit_table: pl.DataFrame,
) -> pl.DataFrame:  # fmt: skip
    """Records (unit code, period and the JSON of their harmonised values) as a frame of
    text codes. Integers become their decimal text and booleans "ja"/"nej", so that every
    variable can be a table dimension; unknown values are null."""
    types = variable_types(dictionary)
    schema = pl.Struct({name: JSON_TYPES[kind] for name, kind in types.items()})
    decoded = pl.Series("values", values_json, dtype=pl.String).str.json_decode(schema)
    columns = [_as_text(decoded.struct.field(name), kind) for name, kind in types.items()]
    frame = pl.DataFrame(
        [pl.Series("enhet", units, pl.String), pl.Series("period", periods, pl.String)]
    ).with_columns(columns)
    attributes = unit_table.select(UNIT_COLUMNS).with_columns(pl.col("enhet").cast(pl.String))
    return frame.join(attributes, on="enhet", how="left")


def _as_text(series: pl.Series, kind: str) -> pl.Series:
    if kind == "integer":
        return series.cast(pl.String)
    if kind == "boolean":
        return series.replace_strict(
            {True: "ja", False: "nej"}, default=None, return_dtype=pl.String
        )
    return series
