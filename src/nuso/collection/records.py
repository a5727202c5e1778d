"""Registrations' answers made into records exactly as an import makes a file's rows: the
answers are written as the cells of a table whose headers are the variables' names, and the
import's row interpreter (nuso.core.intake.records) reads it, so that forms, the API and files
share one validation, one masking and pseudonymisation of identity numbers, and one
harmonisation into the codebook."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from nuso.audit.services import Actor
from nuso.core.collection.questions import UNKNOWN
from nuso.core.harmonise.dictionary import StudyDictionary
from nuso.core.intake import blocks
from nuso.core.intake.delivery import FileInterpreter, ImportPlan
from nuso.core.intake.layout import IDENTITY, Column, Table
from nuso.core.intake.reading import Cell, RawSheet
from nuso.intake.services import import_context
from nuso.studies.models import Study

SHEET = "registreringar"
KEPT = (blocks.PENDING, blocks.CODEBOOK, blocks.PSEUDONYM)  # with the decision columns
Row = Mapping[str, Any]


class RecordMaker:
    """Interprets registrations of one study and period; the harmoniser's decisions, made
    once per distinct answer, serve every registration of the call."""

    def __init__(self, study: Study, period: str) -> None:
        self.plan: ImportPlan = import_context(
            study.slug, period, Actor("registrering"), None, dry_run=True
        ).plan
        self.files = FileInterpreter(self.plan)

    @property
    def dictionary(self) -> StudyDictionary:
        return self.plan.dictionary

    def records(self, unit_code: str, rows: Sequence[Row]) -> list[dict[str, Any]]:
        """Each row's record: its pseudonym (from an identity number among its cells), whether
        it waits for review, its codebook version and every variable's value and decision, as
        JSON-ready values (lists for multi-valued variables)."""
        if not rows:
            return []
        names = self.targets(rows)
        header: list[Cell] = list(names)
        lines = [header, *([cell_text(row.get(name)) for name in names] for row in rows)]
        sheet = RawSheet(SHEET, lines)
        columns = [Column(at, name, name, "namn") for at, name in enumerate(names)]
        table = Table(SHEET, 1, columns, data_rows=list(range(2, len(rows) + 2)))
        frame = self.files.interpreter(unit_code).interpret(sheet, table).frame
        wanted = [c for c in frame.columns if c in KEPT or c.startswith(RECORD_PREFIXES)]
        return frame.select(wanted).to_dicts()

    def targets(self, rows: Sequence[Row]) -> list[str]:
        """The columns the rows give that the study knows: its variables and the identity
        number (anything else is no part of a record)."""
        known = {v.name for v in self.dictionary.variables} | {IDENTITY}
        given = dict.fromkeys(name for row in rows for name in row)
        return [name for name in given if name in known]


RECORD_PREFIXES = (blocks.VALUE, *blocks.DECISION_PREFIXES)


def cell_text(value: Any) -> Cell:
    """An answer as the cell a file would hold: a form's codes as they are, several joined
    by semicolons, "vet ej" as an empty cell (unknown), numbers and dates as text."""
    if value is None or value == UNKNOWN:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list | tuple):
        parts = [str(v) for v in value if v not in (None, UNKNOWN, "")]
        return "; ".join(parts) or None
    text = str(value).strip()
    return text or None


def block_frame(dictionary: StudyDictionary, rows: Sequence[tuple[int, str, Row]]) -> pl.DataFrame:
    """The stored block of registrations: (registration id, pseudonym, record) each, the id
    standing where a file's row number stands."""
    schema = blocks.schema(dictionary)
    if not rows:
        return pl.DataFrame(schema=schema)
    records = [
        {**record, blocks.ROW: pk, blocks.PSEUDONYM: pseudonym or None}
        for pk, pseudonym, record in rows
    ]
    frame = pl.DataFrame(records, schema=schema, strict=False)
    return frame.select(list(schema))
