"""What the engine computes from: a study's analysis frame with its table definitions, and
the categories, labels and names that the tables and their guidance are told in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from nuso.core.countries import SWEDEN
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
    country: str = SWEDEN  # whose units these are: the nation and the groups are its
    # dimension -> period -> its codes in force on no day of the period (SSB's dated lists)
    out_of_force: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    _memo: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def memo(self, key: Any, make: Callable[[], Any]) -> Any:
        """A value derived from this input, made once (the input never changes)."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    @property
    def tables_by_name(self) -> dict[str, TableDefinition]:
        return {table.name: table for table in self.tables}
