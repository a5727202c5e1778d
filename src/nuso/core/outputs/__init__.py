"""Writing NUSO's outputs: one registry of writers keyed by format (`registry`), for row
frames (`rows`, `spss`) and tables (`tables`, `table_workbook`), with formula starts
neutralised (`formulas`). The built-in formats are registered here; PowerPoint is registered
by the deck module."""

from __future__ import annotations

from nuso.core.outputs import rows, spss, table_workbook, tables
from nuso.core.outputs.registry import Writer, register

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

for _writer in (
    Writer("xlsx", "xlsx", XLSX, "Excel", rows=rows.write_xlsx, tables=table_workbook.write_xlsx,
           neutralises=True),
    Writer("csv", "csv", "text/csv; charset=utf-8", "CSV", rows=rows.write_csv,
           tables=tables.write_csv, neutralises=True),
    Writer("parquet", "parquet", "application/vnd.apache.parquet", "Parquet",
           rows=rows.write_parquet),
    Writer("sav", "sav", "application/x-spss-sav", "SPSS", rows=spss.write_sav),
    Writer("json", "json", "application/json", "JSON", tables=tables.write_json),
):  # fmt: skip
    register(_writer)
