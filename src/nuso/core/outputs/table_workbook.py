"""Tables as an Excel workbook for people: one sheet per table, headings and levels in the
tables' language (the study's labels are its own), frozen header rows, shares as numbers in
percent format, suppressed cells written as "..", and a last sheet on the method."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from nuso.core.analysis.indicators.counting import NATION
from nuso.core.analysis.indicators.inputs import StudyInput
from nuso.core.countries import SWEDEN
from nuso.core.harmonise.table_definitions import TableDefinition
from nuso.core.outputs.formulas import neutralise
from nuso.core.outputs.method import method_text
from nuso.core.outputs.tables import FIGURES, SUPPRESSED_MARK, TableSet, dimensions
from nuso.core.outputs.words import TableWords, words_for

SHEET_NAME_MAX = 31  # characters: Excel's limit
OPTIONS = {"constant_memory": True, "strings_to_formulas": False,
           "strings_to_urls": False, "strings_to_numbers": False}  # text stays text  # fmt: skip


def write_xlsx(tables: TableSet, path: Path) -> None:
    words = words_for(tables.language)
    workbook = xlsxwriter.Workbook(str(path), OPTIONS)
    formats = {
        "title": workbook.add_format({"bold": True, "font_size": 13}),
        "heading": workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True}),
        "percent": workbook.add_format({"num_format": "0.0%"}),
        "p": workbook.add_format({"num_format": "0.000"}),
        "ratio": workbook.add_format({"num_format": "0.00"}),
        "count": workbook.add_format({"num_format": words.count_format}),
        "wrapped": workbook.add_format({"text_wrap": True, "valign": "top"}),
    }
    names = sheet_names(list(tables.tables))
    for name, rows in tables.tables.items():
        definition = tables.study.tables_by_name[name]
        _sheet(workbook, formats, names[name], definition, rows, tables, words)
    _method_sheet(workbook, formats, tables, words)
    workbook.close()


def _method_sheet(
    workbook: Any, formats: dict[str, Any], tables: TableSet, words: TableWords
) -> None:
    """The last sheet: what the intervals, tests and suppression mean (as the decks say)."""
    sheet = workbook.add_worksheet(words.method_title)
    sheet.set_column(0, 0, 110, formats["wrapped"])
    sheet.write(0, 0, words.method_title, formats["title"])
    texts = method_text(tables.min_count, words, tables.study.country)
    for row, text in enumerate(texts, start=2):
        sheet.write(row, 0, text, formats["wrapped"])


def sheet_names(tables: list[str]) -> dict[str, str]:
    """Each table's sheet name: its own name, cut to Excel's 31 characters; where two cut
    alike ("undersokelse_per_saksinnhold_gruppe", "…_gruppe_kjonn") the later ones get a
    number ("…~2") in place of their last characters."""
    names: dict[str, str] = {}
    for table in tables:
        name, number = table[:SHEET_NAME_MAX], 1
        while name.lower() in {taken.lower() for taken in names.values()}:
            number += 1
            suffix = f"~{number}"
            name = table[: SHEET_NAME_MAX - len(suffix)] + suffix
        names[table] = name
    return names


def _sheet(
    workbook: Any, formats: dict[str, Any], name: str, definition: TableDefinition,
    rows: pl.DataFrame, tables: TableSet, words: TableWords,
) -> None:  # fmt: skip
    study, country = tables.study, tables.study.country
    sheet = workbook.add_worksheet(name)
    columns = ["niva", "enhet", "namn", "period", *dimensions(rows), *_result_columns(definition)]
    sheet.write(0, 0, definition.title + _note(tables.min_count, words), formats["title"])
    headings = [words.headings.get(c) or study.titles.get(c, c) for c in columns]
    sheet.write_row(1, 0, headings, formats["heading"])
    sheet.freeze_panes(2, 0)
    sheet.set_column(0, len(columns) - 1, 14)
    guidance = columns.index("vagledning") if "vagledning" in columns else 0
    sheet.set_column(guidance, guidance, 80)
    labels = _labels(study, definition)
    for r, row in enumerate(rows.iter_rows(named=True), start=2):
        row["namn"] = study.names.get((row["niva"], row["enhet"]), row["enhet"])
        if row["niva"] == NATION:  # its name in the language; its code the country's ("NO")
            row["namn"] = words.level(NATION, country)
            row["enhet"] = row["enhet"] if country == SWEDEN else country
        if row.get("jamforelse"):
            code = row["jamforelse"]
            row["jamforelse"] = f"{study.names.get(('kommun', code), code)} ({code})"
        row["niva"] = words.level(row["niva"], country)
        for c, column in enumerate(columns):
            _cell(sheet, r, c, column, row, labels, formats, words)


def _note(min_count: int | None, words: TableWords) -> str:
    if min_count is None:
        return words.unprotected
    return words.protected.format(mark=SUPPRESSED_MARK, min_count=min_count)


def _labels(study: StudyInput, definition: TableDefinition) -> Mapping[str, Mapping[str, str]]:
    steps = {outcome.name: outcome.label for outcome in definition.outcomes}
    return {**study.labels, "steg": steps, "jamforelse": {}}


def _result_columns(definition: TableDefinition) -> list[str]:
    if definition.kind == "logistic":
        return ["total", "oddskvot", "ki_lag", "ki_hog", "p_varde", "signifikant"]
    columns = ["antal", "total", "andel", "ki_lag", "ki_hog"]
    if definition.compare:
        columns += ["jamforelse", "p_varde", "signifikant", "vagledning"]
    return [*columns, "undertryckt"]


def _cell(
    sheet: Any, r: int, c: int, column: str, row: dict[str, Any],
    labels: Mapping[str, Mapping[str, str]], formats: dict[str, Any], words: TableWords,
) -> None:  # fmt: skip
    value = row.get(column)
    if column in FIGURES and value is None:
        if row.get("undertryckt"):
            sheet.write_string(r, c, SUPPRESSED_MARK)
        return
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if column in ("andel", "ki_lag", "ki_hog") and row.get("oddskvot") is None:
        sheet.write_number(r, c, value, formats["percent"])
    elif column in ("oddskvot", "ki_lag", "ki_hog"):
        sheet.write_number(r, c, value, formats["ratio"])
    elif column == "p_varde":
        sheet.write_number(r, c, value, formats["p"])
    elif column in ("antal", "total"):
        sheet.write_number(r, c, value, formats["count"])
    elif isinstance(value, bool):
        sheet.write_string(r, c, words.yes if value else words.no)
    else:
        sheet.write_string(r, c, str(neutralise(labels.get(column, {}).get(value, value))))
