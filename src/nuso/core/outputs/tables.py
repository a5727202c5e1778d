"""Tables and their machine-readable writers: tidy long-format CSV and JSON (the workbook for
people is `table_workbook`).

Disclosure control is the engine's: with `min_count` it hides small counts and what would
reveal them, and marks the row `undertryckt`. The writers add one guard, `hidden`: a row
marked suppressed has no figure in any format, whatever the frame holds, so that no writer
can let a suppressed number through. The machine formats leave those cells empty (a column
of numbers stays numbers); the workbook writes them as "..".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from nuso.core.analysis.indicators.frame import RESULT_COLUMNS
from nuso.core.analysis.indicators.inputs import StudyInput

SUPPRESSED_MARK = ".."
SPEC_COLUMNS = ("tabell", "niva", "enhet", "period")
FIGURES = ("antal", "total", "andel", "ki_lag", "ki_hog")  # what suppression hides


@dataclass(frozen=True)
class TableSet:
    """Tables to write: by name, the study they belong to (titles, labels, unit names, its
    country), the disclosure control they were made with (None: not suppressed, analysts
    only) and the language of the words a writer adds (the data's own labels stay as they
    are)."""

    tables: Mapping[str, pl.DataFrame]
    study: StudyInput
    min_count: int | None
    title: str = ""  # the study's name, for writers that title their file (decks)
    version: str = ""  # the data the tables are of, in words ("data till och med …")
    language: str = "sv"  # of the files people read (workbook, decks): "sv", "en" or "nb"

    def rows(self) -> int:
        return sum(rows.height for rows in self.tables.values())


def hidden(tables: TableSet) -> TableSet:
    """The tables with every figure of a row marked suppressed emptied."""
    return replace(tables, tables={name: _hidden(rows) for name, rows in tables.tables.items()})


def _hidden(rows: pl.DataFrame) -> pl.DataFrame:
    if "undertryckt" not in rows.columns:
        return rows
    suppressed = pl.col("undertryckt").fill_null(False)
    return rows.with_columns(
        pl.when(suppressed).then(None).otherwise(pl.col(name)).alias(name)
        for name in FIGURES
        if name in rows.columns
    )


def long_frame(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """Every table in one frame: the dimension columns of all tables side by side."""
    frames = [rows for rows in tables.values() if rows.height]
    if not frames:
        return pl.DataFrame(schema=[*SPEC_COLUMNS, *RESULT_COLUMNS])
    combined = pl.concat(frames, how="diagonal_relaxed")
    return combined.select(*SPEC_COLUMNS, *dimensions(combined), *RESULT_COLUMNS)


def dimensions(rows: pl.DataFrame) -> list[str]:
    """What a table is broken down by: its columns but the table's place and results."""
    return [c for c in rows.columns if c not in (*SPEC_COLUMNS, *RESULT_COLUMNS)]


def write_csv(tables: TableSet, path: Path) -> None:
    long_frame(tables.tables).write_csv(path, include_bom=True)


def write_json(tables: TableSet, path: Path) -> None:
    definitions = tables.study.tables_by_name
    document = {
        "undertryckning": {"minsta_antal": tables.min_count} if tables.min_count else None,
        "tabeller": [
            {
                "namn": name, "titel": definitions[name].title,
                "dimensioner": dimensions(rows), "rader": rows.to_dicts(),
            }
            for name, rows in tables.tables.items()
        ],
    }  # fmt: skip
    path.write_text(json.dumps(document, ensure_ascii=False, default=str), encoding="utf-8")
