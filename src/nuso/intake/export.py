"""Exporting harmonised records: one row per source row, with where it came from, the codes,
what still waits for review and the raw values. Spreadsheet injection is neutralised."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from nuso.intake.models import ImportBatch, Record
from nuso.units.models import Unit

HARMONISED = ("kon", "alder", "aktualiseringstyp", "orsaker", "atgard")
COLUMNS = (
    "kommunkod", "fil", "flik", "rad", "kon", "alder", "aldersgrupp", "aktualiseringstyp",
    "orsaker", "atgard", "atgardsgrupp", "granskning",
    *(f"{name}_original" for name in HARMONISED),
)  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text a spreadsheet would run as a formula gets a leading apostrophe (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_rows(study_slug: str, unit: Unit | None = None) -> list[dict[str, Any]]:
    records = Record.objects.filter(
        study__slug=study_slug, batch__status=ImportBatch.Status.IMPORTED
    )
    if unit is not None:
        records = records.filter(unit=unit)
    fields = ("unit__code", "source_file", "sheet", "row_number", "values", "decisions")
    rows = []
    for code, file, sheet, number, values, decisions in records.order_by(
        "unit__code", "source_file", "sheet", "row_number"
    ).values_list(*fields):
        pending = [name for name, d in decisions.items() if d.get("method") == "pending"]
        row = {
            "kommunkod": code, "fil": file, "flik": sheet, "rad": number,
            "kon": values.get("kon"), "alder": values.get("alder"),
            "aldersgrupp": values.get("aldersgrupp"),
            "aktualiseringstyp": values.get("aktualiseringstyp"),
            "orsaker": "|".join(values["orsaker"]) if values.get("orsaker") else None,
            "atgard": values.get("atgard"), "atgardsgrupp": values.get("atgardsgrupp"),
            "granskning": ",".join(pending) or None,
        }  # fmt: skip
        for name in HARMONISED:
            row[f"{name}_original"] = decisions.get(name, {}).get("raw") or None
        rows.append(row)
    return rows


def write_export(rows: list[dict[str, Any]], path: Path, format_: str) -> None:
    schema = {name: (pl.Int64 if name in ("rad", "alder") else pl.String) for name in COLUMNS}
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    if format_ == "parquet":
        frame.write_parquet(path)  # a data format: no spreadsheet runs it, values stay exact
        return
    safe = [[neutralise(v) for v in row] for row in frame.iter_rows()]
    if format_ == "csv":
        pl.DataFrame(safe, schema=schema, orient="row").write_csv(path, include_bom=True)
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
    for r, row in enumerate(safe, start=1):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    workbook.close()
