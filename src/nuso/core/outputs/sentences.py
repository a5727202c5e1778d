"""The guidance sentences of table files in the tables' language. The engine writes its
sentences once, in Swedish, with the study's own claims; a file asked for in another language
(or of a study whose claims are in another language than Swedish) gets each sentence composed
again from the published figures of its row and of the unit's own
row, in that language's words and with the default claim (the study's claims are Swedish), as
the dashboard and the decks compose theirs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import polars as pl

from nuso.core.analysis.indicators import guidance
from nuso.core.analysis.indicators.comparisons import WHOLE_DISTRIBUTION
from nuso.core.analysis.indicators.frame import RESULT_COLUMNS
from nuso.core.analysis.indicators.inputs import StudyInput
from nuso.core.harmonise.table_definitions import TableDefinition
from nuso.core.outputs.tables import TableSet

PLACE = ("tabell", "niva", "enhet")  # where a row is; the rest of its key says which cell


def in_language(tables: TableSet) -> TableSet:
    """The tables with their guidance in `tables.language` (Swedish: as the engine wrote)."""
    wording = guidance.wording_for(tables.language)
    if guidance.engine_words_stand(tables.study, wording):
        return tables
    definitions = tables.study.tables_by_name
    worded = {
        name: _worded(tables.study, definitions[name], rows, wording)
        for name, rows in tables.tables.items()
    }
    return replace(tables, tables=worded)


def _worded(
    study: StudyInput, table: TableDefinition, rows: pl.DataFrame, wording: guidance.Wording
) -> pl.DataFrame:
    if "vagledning" not in rows.columns or rows["vagledning"].null_count() == rows.height:
        return rows
    cell = [c for c in rows.columns if c not in (*PLACE, *RESULT_COLUMNS)]
    own = {
        (row["enhet"], *(row[c] for c in cell)): row
        for row in rows.filter(pl.col("niva") == "kommun").iter_rows(named=True)
    }
    said = []
    for row in rows.iter_rows(named=True):
        unit_row = own.get((row["jamforelse"], *(row[c] for c in cell)))
        said.append(_sentence(study, table, row, unit_row, wording))
    return rows.with_columns(pl.Series("vagledning", said, pl.String))


def _sentence(
    study: StudyInput, table: TableDefinition, row: Mapping[str, Any],
    own: Mapping[str, Any] | None, wording: guidance.Wording,
) -> str | None:  # fmt: skip
    """A row's sentence in `wording`; None where the engine wrote none, or where the unit's
    own row is not among the tables (no sentence rather than a Swedish one)."""
    if not row["vagledning"]:
        return None
    # a filtered view's whole distribution is tested within each value of its filter
    compared = [c for c in table.dimension_columns if not (table.view_of and c == table.within)]
    if compared and all(row[c] == WHOLE_DISTRIBUTION for c in compared):
        return guidance.published_distribution_sentence(study, table, row, wording)
    if own is None:
        return None
    comparison = guidance.published_comparison(study, table, own, row, wording)
    return guidance.sentence(guidance.claim_in(study, table, wording), comparison, wording)
