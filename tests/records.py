"""The stored records as the tests read them: each block row as one record with its raw
cells, values and decisions as dictionaries (what a record held before blocks)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nuso.core.harmonise.dictionary import dictionary_from_stored
from nuso.core.intake import blocks
from nuso.intake.models import ImportBatch, RecordBlock


@dataclass(frozen=True)
class StoredRecord:
    unit: str
    file: str
    sheet: str
    row_number: int
    batch_id: int
    raw: dict[str, str | None]
    values: dict[str, Any]
    decisions: dict[str, dict[str, Any]]
    pending_review: bool
    pseudonym: str
    codebook: int


def stored_records(batch: ImportBatch | None = None) -> list[StoredRecord]:
    """Every stored record (of current and replaced batches, or of one), in the order of
    file, sheet and row."""
    found = RecordBlock.objects.select_related("batch__unit", "batch__study")
    if batch is not None:
        found = found.filter(batch=batch)
    records = [record for block in found for record in records_of(block)]
    return sorted(records, key=lambda r: (r.file, r.sheet, r.row_number, r.batch_id))


def records_of(block: RecordBlock) -> list[StoredRecord]:
    batch = block.batch
    dictionary = dictionary_from_stored(batch.study.dictionary)
    names = list(blocks.value_types(dictionary))
    decided = [variable.name for variable in dictionary.variables]
    return [
        StoredRecord(
            unit=batch.unit.code if batch.unit else "",
            file=batch.file_name,
            sheet=block.sheet,
            row_number=row[blocks.ROW],
            batch_id=batch.pk,
            raw={
                k.removeprefix(blocks.CELL): v for k, v in row.items() if k.startswith(blocks.CELL)
            },
            values={n: row[blocks.VALUE + n] for n in names if row[blocks.VALUE + n] is not None},
            decisions={
                n: {
                    "method": row[blocks.METHOD + n],
                    "confidence": row[blocks.CONFIDENCE + n],
                    "raw": row[blocks.SOURCE + n],
                }
                for n in decided
                if row[blocks.METHOD + n] is not None
            },
            pending_review=row[blocks.PENDING],
            pseudonym=row[blocks.PSEUDONYM] or "",
            codebook=row[blocks.CODEBOOK],
        )
        for row in blocks.decode(bytes(block.data)).iter_rows(named=True)
    ]
