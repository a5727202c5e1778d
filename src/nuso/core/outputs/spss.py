"""SPSS files (.sav) of row frames: variable labels, and value labels for the coded variables
(the codes stay the values, so that syntax written against the codebook works)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from nuso.core.outputs.rows import Progress, RowSet

YES_NO = {1: "Ja", 0: "Nej"}


def write_sav(rows: RowSet, path: Path, progress: Progress | None = None) -> None:
    import pyreadstat  # imported when used: pandas with it takes a while to load

    frame = rows.frame
    text = {c for c, t in frame.schema.items() if t == pl.String}
    value_labels: dict[str, dict[Any, str]] = {
        name: dict(codes) for name, codes in rows.value_labels.items() if name in text
    }
    booleans = [c for c, t in frame.schema.items() if t == pl.Boolean]
    value_labels |= dict.fromkeys(booleans, YES_NO)  # SPSS has no booleans: 1 and 0
    columns = frame.with_columns(pl.col(c).cast(pl.Int8) for c in booleans).to_dict(as_series=False)
    data = _pandas().DataFrame({name: _pandas_column(values, name in text)
                         for name, values in columns.items()})  # fmt: skip
    labels: list[str | None] = [rows.labels.get(c, c) for c in frame.columns]
    pyreadstat.write_sav(data, str(path), column_labels=labels, variable_value_labels=value_labels)


def _pandas_column(values: list[Any], text: bool) -> Any:
    """A column typed for pyreadstat even when empty: it takes an empty column without a
    type for a numeric one, and then refuses a text variable's value labels (a unit without
    rows)."""
    series = _pandas().Series
    if text:
        return series(values, dtype=object)
    return series(values, dtype=None if values else "float64")


def _pandas() -> Any:
    import pandas  # type: ignore[import-untyped]  # pyreadstat writes pandas frames

    return pandas
