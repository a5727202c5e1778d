"""Formula starts neutralised: a text that a spreadsheet would run as a formula (OWASP's CSV
injection: = + - @, a tab or a carriage return first) gets a leading apostrophe, so that it
is shown as the text it is."""

from __future__ import annotations

from typing import Any

import polars as pl

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_START = r"^[=+\-@\t\r]"  # FORMULA_STARTS, for Polars


def neutralise(value: Any) -> Any:
    """A text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralised(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text column of the frame with `neutralise` applied, column-wise."""
    text = [name for name, kind in frame.schema.items() if kind == pl.String]
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(FORMULA_START))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text
    )
