"""Row-level downloads of any study: one row per source row with where it came from, every
variable of the dictionary (several values joined by |), what waits for review; Excel, CSV or
SPSS with variable and value labels. Spreadsheet formulas are neutralised."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd  # type: ignore[import-untyped]  # pyreadstat writes pandas frames
import polars as pl
import pyreadstat

from nuso.analysis.data import dimension_labels
from nuso.core import spreadsheet
from nuso.core.harmonise.dictionary import dictionary_from_stored
from nuso.core.intake import blocks
from nuso.intake.export import neutralised
from nuso.intake.record_frames import FILE, SHEET, UNIT, waiting_for_review
from nuso.studies.models import Study

ROW_FORMATS = ("xlsx", "csv", "sav")
CSV_SLICE = 10_000  # rows sent at a time
PLACE = {"kommunkod": "Kommun- eller stadsdelskod", "fil": "Fil", "flik": "Flik", "rad": "Rad"}


def row_frame(records: pl.DataFrame, study: Study) -> tuple[pl.DataFrame, dict[str, str]]:
    """Records (with values and methods: `Scope.records`) as downloaded, with their labels."""
    dictionary = dictionary_from_stored(study.dictionary)
    types = blocks.value_types(dictionary)
    labels = {**PLACE, **{v.name: v.label for v in dictionary.variables}}
    labels |= {d.name: d.label for d in dictionary.derived}
    labels["granskning"] = "Väntar på granskning"
    frame = records.sort([UNIT, FILE, SHEET, blocks.ROW], maintain_order=True).select(
        pl.col(UNIT).alias("kommunkod"),
        pl.col(FILE).alias("fil"),
        pl.col(SHEET).alias("flik"),
        pl.col(blocks.ROW).cast(pl.Int64).alias("rad"),
        *(joined(pl.col(blocks.VALUE + name), kind).alias(name) for name, kind in types.items()),
        waiting_for_review(dictionary).alias("granskning"),
    )
    return frame, labels


def joined(values: pl.Expr, kind: pl.DataType) -> pl.Expr:
    """Several values in one cell, joined by |."""
    return values.list.join("|") if isinstance(kind, pl.List) else values


def write_rows(
    records: pl.DataFrame,
    study: Study,
    path: Path,
    format_: str,
    progress: Callable[[int], None] | None = None,
) -> int:
    """The rows written to `path` in the format; returns how many. `progress` is told the
    rows written so far (Excel only: the others are written at once)."""
    frame, labels = row_frame(records, study)
    if format_ == "csv":
        neutralised(frame).write_csv(path, include_bom=True)
    elif format_ == "sav":
        _write_sav(frame, labels, study, path)
    else:
        header = [labels.get(c, c) for c in frame.columns]
        spreadsheet.write_sheet(neutralised(frame), header, path, "Rader", progress)
    return frame.height


def csv_parts(parts: Iterable[pl.DataFrame], study: Study) -> Iterator[bytes]:
    """The CSV of `write_rows` (with its byte-order mark), a slice of rows at a time, from
    the records in parts (`Scope.row_parts`): for a download sent as it is read."""
    header = True
    for records in parts:
        frame = neutralised(row_frame(records, study)[0])
        for start in range(0, max(frame.height, 1 if header else 0), CSV_SLICE):
            text = frame.slice(start, CSV_SLICE).write_csv(include_header=header)
            yield ("\ufeff" + text if header else text).encode("utf-8")
            header = False


def _write_sav(frame: pl.DataFrame, labels: dict[str, str], study: Study, path: Path) -> None:
    """SPSS with variable labels, and value labels for the coded variables (codes stay the
    values, so that syntax written against the codebook works)."""
    dictionary = dictionary_from_stored(study.dictionary)
    categories = dimension_labels(dictionary)
    text = {c for c, t in frame.schema.items() if t == pl.String}
    value_labels: dict[str, dict[Any, str]] = {
        name: dict(codes) for name, codes in categories.items() if name in text
    }
    booleans = [c for c, t in frame.schema.items() if t == pl.Boolean]

    columns = frame.with_columns(pl.col(c).cast(pl.Int8) for c in booleans).to_dict(as_series=False)
    data = pd.DataFrame({name: _pandas_column(values, name in text)
                         for name, values in columns.items()})  # fmt: skip
    for name in booleans:
        value_labels[name] = {1: "Ja", 0: "Nej"}
    pyreadstat.write_sav(data, str(path), column_labels=[labels.get(c, c) for c in frame.columns],
                         variable_value_labels=value_labels)  # fmt: skip


def _pandas_column(values: list[Any], text: bool) -> Any:
    """A column typed for pyreadstat even when empty: it takes an empty column without a
    type for a numeric one, and then refuses a text variable's value labels (a unit without
    rows)."""
    if text:
        return pd.Series(values, dtype=object)
    return pd.Series(values, dtype=None if values else "float64")
