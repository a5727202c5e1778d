"""Row-level downloads of any study: one row per source row with where it came from, every
variable of the dictionary (several values joined by |), what waits for review; Excel, CSV or
SPSS with variable and value labels. Spreadsheet formulas are neutralised."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd  # type: ignore[import-untyped]  # pyreadstat writes pandas frames
import polars as pl
import pyreadstat
import xlsxwriter
from django.db.models import QuerySet

from nuso.analysis.data import dimension_labels
from nuso.core.dictionary import dictionary_from_stored
from nuso.intake.export import neutralise
from nuso.studies.models import Study

if TYPE_CHECKING:
    from nuso.intake.models import Record

ROW_FORMATS = ("xlsx", "csv", "sav")
PLACE = {"kommunkod": "Kommun- eller stadsdelskod", "fil": "Fil", "flik": "Flik", "rad": "Rad"}


def row_frame(records: QuerySet[Record], study: Study) -> tuple[pl.DataFrame, dict[str, str]]:
    dictionary = dictionary_from_stored(study.dictionary)
    names = [v.name for v in dictionary.variables] + [d.name for d in dictionary.derived]
    labels = {**PLACE, **{v.name: v.label for v in dictionary.variables}}
    labels |= {d.name: d.label for d in dictionary.derived}
    labels["granskning"] = "Väntar på granskning"
    rows = []
    fields = ("unit__code", "source_file", "sheet", "row_number", "values", "decisions")
    for code, file, sheet, number, values, decisions in (
        records.order_by("unit__code", "source_file", "sheet", "row_number")
        .values_list(*fields)
        .iterator(chunk_size=5000)
    ):
        row: dict[str, Any] = {"kommunkod": code, "fil": file, "flik": sheet, "rad": number}
        for name in names:
            value = values.get(name)
            row[name] = "|".join(value) if isinstance(value, list) else value
        pending = [n for n, d in decisions.items() if d.get("method") == "pending"]
        row["granskning"] = ",".join(pending) or None
        rows.append(row)
    schema: dict[str, type[pl.DataType]] = dict.fromkeys(labels, pl.String) | {"rad": pl.Int64}
    for variable in dictionary.variables:
        if variable.type == "integer":
            schema[variable.name] = pl.Int64
        if variable.type == "boolean":
            schema[variable.name] = pl.Boolean
    return pl.DataFrame(rows, schema=schema, orient="row"), labels


def write_rows(records: QuerySet[Record], study: Study, path: Path, format_: str) -> int:
    frame, labels = row_frame(records, study)
    if format_ == "csv":
        text = [c for c, t in frame.schema.items() if t == pl.String]
        frame.with_columns(
            pl.col(c).map_elements(neutralise, return_dtype=pl.String) for c in text
        ).write_csv(path, include_bom=True)
    elif format_ == "sav":
        _write_sav(frame, labels, study, path)
    else:
        _write_xlsx(frame, labels, path)
    return frame.height


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

    data = pd.DataFrame(
        frame.with_columns(pl.col(c).cast(pl.Int8) for c in booleans).to_dict(as_series=False)
    )
    for name in booleans:
        value_labels[name] = {1: "Ja", 0: "Nej"}
    pyreadstat.write_sav(data, str(path), column_labels=[labels.get(c, c) for c in frame.columns],
                         variable_value_labels=value_labels)  # fmt: skip


def _write_xlsx(frame: pl.DataFrame, labels: dict[str, str], path: Path) -> None:
    options = {"constant_memory": True, "strings_to_formulas": False,
               "strings_to_urls": False, "strings_to_numbers": False}  # fmt: skip
    workbook = xlsxwriter.Workbook(str(path), options)
    sheet = workbook.add_worksheet("Rader")
    sheet.write_row(
        0, 0, [labels.get(c, c) for c in frame.columns], workbook.add_format({"bold": True})
    )
    sheet.freeze_panes(1, 0)
    for r, row in enumerate(frame.iter_rows(), start=1):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, neutralise(value))
    workbook.close()
