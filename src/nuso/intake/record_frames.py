"""The stored records as frames: a study's current records (of imported batches, not replaced
ones), of every unit or one, of every period or one, one row per source row with where it
came from. What analysis, export, the portal's downloads and review read (decision 0011)."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl
from django.db.models import QuerySet, Sum

from nuso.core.harmonise.dictionary import StudyDictionary, dictionary_from_stored
from nuso.core.intake import blocks
from nuso.intake.models import ImportBatch, RecordBlock
from nuso.studies.models import Study
from nuso.units.models import Unit

# Where each record came from, from its batch and block.
UNIT, PERIOD, FILE, SHEET = "unit", "period", "file", "sheet"
PLACE_TYPES: dict[str, pl.DataType] = {
    UNIT: pl.String(),
    PERIOD: pl.String(),
    FILE: pl.String(),
    SHEET: pl.String(),
}


def current_blocks(
    study: Study, unit: Unit | None = None, period: str | None = None
) -> QuerySet[RecordBlock]:
    """The blocks of the study's imported batches (a replaced batch's stay for the history)."""
    found = RecordBlock.objects.filter(
        batch__study=study, batch__status=ImportBatch.Status.IMPORTED
    )
    if unit is not None:
        found = found.filter(batch__unit=unit)
    if period is not None:
        found = found.filter(batch__period=period)
    return found


def record_frame(
    study: Study,
    unit: Unit | None = None,
    period: str | None = None,
    parts: Iterable[str] = (blocks.VALUE,),
) -> pl.DataFrame:
    """The study's current records: where each came from (unit code, period, file name,
    sheet, row), its pseudonym, pending flag and codebook version, and the `parts` asked for
    (column prefixes of nuso.core.intake.blocks: values, methods, confidences, sources, cells)."""
    parts = tuple(parts)
    dictionary = dictionary_from_stored(study.dictionary)
    wanted = {
        name: kind
        for name, kind in blocks.schema(dictionary).items()
        if name in blocks.RECORD_TYPES or name.startswith(parts)
    }
    columns = None if blocks.CELL in parts else list(wanted)  # cells: the file's own names
    frames = [
        with_place(block, blocks.decode(bytes(block.data), columns))
        for block in current_blocks(study, unit, period)
        .select_related("batch__unit")
        .defer("batch__report")  # a report is tens of kilobytes of JSON, not needed here
        .order_by("batch__unit__code", "batch__file_name", "sheet", "pk")
        .iterator(chunk_size=50)
    ]
    if not frames:
        return pl.DataFrame(schema=PLACE_TYPES | wanted)
    frame = pl.concat(frames, how="diagonal_relaxed")
    missing = [pl.lit(None, kind).alias(name) for name, kind in wanted.items() if name not in frame]
    cells = [name for name in frame.columns if name.startswith(blocks.CELL)]
    return frame.with_columns(missing).select(*PLACE_TYPES, *wanted, *cells).cast(pl.Schema(wanted))


def with_place(block: RecordBlock, frame: pl.DataFrame) -> pl.DataFrame:
    batch = block.batch
    unit = batch.unit.code if batch.unit else None
    place = {UNIT: unit, PERIOD: batch.period, FILE: batch.file_name, SHEET: block.sheet}
    return frame.with_columns(
        pl.lit(value, PLACE_TYPES[name]).alias(name) for name, value in place.items()
    )


def waiting_for_review(dictionary: StudyDictionary) -> pl.Expr:
    """The variables of each record whose value waits for review (all of it, or some values
    of a multi-valued cell), joined by commas (null when none); from a frame with the method
    columns."""
    names = [variable.name for variable in dictionary.variables]
    waits = [pl.col(blocks.METHOD + n).str.contains("pending", literal=True) for n in names]
    pending = pl.concat_str(
        [pl.when(wait).then(pl.lit(n)) for wait, n in zip(waits, names, strict=True)],
        separator=",",
        ignore_nulls=True,
    )
    return pl.when(pending != "").then(pending)


def records_stored() -> int:
    """Every stored record, current or replaced."""
    return RecordBlock.objects.aggregate(total=Sum("rows"))["total"] or 0
