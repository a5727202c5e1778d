"""Exporting harmonised records: one row per source row, with where it came from, the codes,
what still waits for review and the raw values. Spreadsheet injection is neutralised."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from nuso.core.harmonise.dictionary import dictionary_from_stored
from nuso.core.intake import blocks
from nuso.intake.record_frames import FILE, SHEET, UNIT, record_frame, waiting_for_review
from nuso.studies.models import Study
from nuso.units.models import Unit

HARMONISED = ("kon", "alder", "aktualiseringstyp", "orsaker", "atgard")
VALUES = ("kon", "alder", "aldersgrupp", "aktualiseringstyp", "orsaker", "atgard", "atgardsgrupp")
COLUMNS = (
    "kommunkod", "fil", "flik", "rad", *VALUES, "granskning",
    *(f"{name}_original" for name in HARMONISED),
)  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


FORMULA_START = r"^[=+\-@\t\r]"  # FORMULA_STARTS, for Polars


def neutralise(value: Any) -> Any:
    """A text a spreadsheet would run as a formula gets a leading apostrophe (OWASP)."""
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


def export_frame(study: Study, unit: Unit | None = None) -> pl.DataFrame:
    """The study's current records as exported: one row per source row, in the order of
    unit, file, sheet and row."""
    dictionary = dictionary_from_stored(study.dictionary)
    records = record_frame(study, unit, parts=(blocks.VALUE, blocks.METHOD, blocks.SOURCE))
    records = records.sort([UNIT, FILE, SHEET, blocks.ROW], maintain_order=True)
    types = blocks.value_types(dictionary)
    decided = [v.name for v in dictionary.variables]

    def value(name: str) -> pl.Expr:
        if name not in types:
            return pl.lit(None, pl.String)
        column = pl.col(blocks.VALUE + name)
        if isinstance(types[name], pl.List):  # several codes joined; none is no value
            return pl.when(column.list.len() > 0).then(column.list.join("|"))
        return column

    def original(name: str) -> pl.Expr:
        if name not in decided:
            return pl.lit(None, pl.String)
        source = pl.col(blocks.SOURCE + name)
        return pl.when(source != "").then(source)

    return records.select(
        pl.col(UNIT).alias("kommunkod"),
        pl.col(FILE).alias("fil"),
        pl.col(SHEET).alias("flik"),
        pl.col(blocks.ROW).cast(pl.Int64).alias("rad"),
        *(value(name).alias(name) for name in VALUES),
        waiting_for_review(dictionary).alias("granskning"),
        *(original(name).alias(f"{name}_original") for name in HARMONISED),
    ).cast({"alder": pl.Int64})


def write_export(frame: pl.DataFrame, path: Path, format_: str) -> None:
    if format_ == "parquet":
        frame.write_parquet(path)  # a data format: no spreadsheet runs it, values stay exact
        return
    if format_ == "csv":
        neutralised(frame).write_csv(path, include_bom=True)
        return
    options = {
        "constant_memory": True,
        "strings_to_formulas": False,  # text stays text, whatever it starts with
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    workbook = xlsxwriter.Workbook(str(path), options)
    sheet = workbook.add_worksheet("Aktualiseringar")
    bold = workbook.add_format({"bold": True})
    sheet.write_row(0, 0, COLUMNS, bold)
    sheet.freeze_panes(1, 0)
    for r, row in enumerate(neutralised(frame).iter_rows(), start=1):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    workbook.close()
