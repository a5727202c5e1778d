"""What the engine computes from: a study's analysis frame with its table definitions, and
the categories, labels and names that the tables and their guidance are told in."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from nuso.core.harmonise.table_definitions import TableDefinition


@dataclass(frozen=True)
class StudyInput:
    tables: tuple[TableDefinition, ...]
    frame: pl.DataFrame  # see nuso.core.analysis.indicators.frame
    categories: dict[str, tuple[str, ...]]  # dimension -> codes, in codebook order
    labels: dict[str, dict[str, str]]  # dimension -> code -> label
    names: dict[tuple[str, str], str]  # (level, code) -> name
    multi_valued: frozenset[str]
    titles: dict[str, str] = field(default_factory=dict)  # dimension -> heading

    @property
    def tables_by_name(self) -> dict[str, TableDefinition]:
        return {table.name: table for table in self.tables}
