"""A column of a stored delivery mapped or unmapped by hand in the portal's import report: the
file's stored cells are read again (nuso.core.intake.remap), like a review decision re-reads
the values it decides, with no new upload. The choice is remembered for the unit's later
deliveries and offered to files with the same headers, as `nuso import --kolumn` does."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

import polars as pl
from django.db import transaction
from django.utils import timezone

from nuso.audit.services import Actor
from nuso.core.harmonise.dictionary import StudyDictionary, dictionary_from_stored
from nuso.core.intake import blocks
from nuso.core.intake.delivery import value_sample
from nuso.core.intake.layout import by_hand
from nuso.core.intake.remap import (
    READ_ONLY_WITH_THE_FILE,
    ColumnChange,
    affected,
    listing,
    reread,
    targets,
)
from nuso.core.intake.report import ColumnRead, ImportReport
from nuso.intake.columns import remember
from nuso.intake.decisions import Interpreters
from nuso.intake.models import ImportBatch
from nuso.intake.reharmonise import Waiting, decided_anew
from nuso.intake.review import refresh_review_queue
from nuso.intake.services import period_middle
from nuso.studies.codebooks import latest_version
from nuso.studies.models import Study


class ColumnChangeError(Exception):
    """A change that cannot be made; the message says why, in Swedish."""


@dataclass(frozen=True)
class Remapped:
    records: int  # records of the file
    changed: int  # records with another value or another way of deciding one
    pending: int  # records waiting for review afterwards


def remap_column(batch_id: int, change: ColumnChange, actor: Actor) -> Remapped:
    """Map (or with target '' unmap) a column of a current delivery, and read its stored
    records again, all in one transaction."""
    with transaction.atomic():
        found = ImportBatch.objects.select_for_update(of=("self",))
        batch = found.select_related("study", "unit").get(pk=batch_id)
        report = ImportReport.from_json(batch.report or {})
        dictionary = dictionary_from_stored(batch.study.dictionary)
        checked(batch, report, dictionary, change)
        done = reread_batch(batch, report, dictionary, change)
        if batch.unit is not None:
            remember(batch.study, batch.unit, report, change.header, change.target, actor,
                     batch=batch.pk, records=done.changed)  # fmt: skip
        refresh_review_queue(batch.study)
        # The tables are computed for a data version the study's time stamp is part of.
        Study.objects.filter(pk=batch.study.pk).update(updated_at=timezone.now())
    return done


def target_choices(batch: ImportBatch) -> list[tuple[str, str]] | None:
    """What a column of the delivery can be mapped to by hand, as (target, label); None when
    the delivery is no longer the current one."""
    if batch.status != ImportBatch.Status.IMPORTED:
        return None
    dictionary = dictionary_from_stored(batch.study.dictionary)
    allowed = targets(dictionary)
    labelled = [(v.name, v.label or v.name) for v in dictionary.variables]
    labelled += [(source.role, source.label) for source in dictionary.source_columns]
    return [(name, label) for name, label in labelled if name in allowed]


def checked(
    batch: ImportBatch, report: ImportReport, dictionary: StudyDictionary, change: ColumnChange
) -> ColumnRead:
    """The report's column the change is about, once the change is known to be possible."""
    if batch.status != ImportBatch.Status.IMPORTED:
        raise ColumnChangeError(
            "Leveransen är inte den gällande (den är ersatt eller misslyckades); "
            "ändra kolumnen i den senaste leveransen."
        )
    column = next(
        (c for c in report.columns if c.sheet == change.sheet and c.header == change.header), None
    )
    if column is None:
        raise ColumnChangeError(f"Kolumnen {change.header!r} finns inte i filen.")
    if column.variable in READ_ONLY_WITH_THE_FILE or change.target in READ_ONLY_WITH_THE_FILE:
        raise ColumnChangeError(
            f"Kolumnen {change.header!r} kan inte ändras i efterhand: personnummer och enhet "
            "läses bara medan filen finns (personnummer sparas aldrig). Läs in filen igen med "
            f'nuso import … --kolumn "{change.header}={change.target}".'
        )
    if change.target and change.target not in targets(dictionary):
        known = ", ".join(sorted(targets(dictionary)))
        raise ColumnChangeError(
            f"Okänd variabel {change.target!r} i delstudien {dictionary.slug}; kända: {known}."
        )
    if (column.variable or "") == change.target:
        raise ColumnChangeError(f"Kolumnen {change.header!r} tolkas redan så.")
    return column


def reread_batch(
    batch: ImportBatch, report: ImportReport, dictionary: StudyDictionary, change: ColumnChange
) -> Remapped:
    """Every block of the batch read again, and its report told what changed."""
    interpreter = Interpreters(batch.study, latest_version(), period_middle(batch.period)).for_unit(
        batch.unit.code if batch.unit else "", batch.period
    )
    sheet_columns = [c for c in report.columns if c.sheet == change.sheet]
    frames: list[pl.DataFrame] = []
    waiting: Waiting = {}
    flags = Counter(report.flags)
    records = changed = pending = 0
    for block in batch.blocks.select_for_update().order_by("pk"):
        frame = blocks.decode(bytes(block.data))
        if block.sheet == change.sheet:
            from_name = next((s.from_name for s in report.sheets if s.sheet == change.sheet), {})
            done = reread(frame, block.sheet, sheet_columns, change, interpreter, from_name)
            refuse_unknowable(done.unknowable, change)
            frame, changed = done.frame, changed + done.changed
            flags = flags - done.flags_before + done.flags_after
        frame, block_waiting = decided_anew(frame, interpreter)
        block.data, block.pending = blocks.encode(frame), int(frame[blocks.PENDING].sum())
        block.save(update_fields=["data", "pending"])
        merge_waiting(waiting, block_waiting)
        frames.append(frame)
        records, pending = records + frame.height, pending + block.pending
    touched = affected(dictionary, {column_target(report, change), change.target})
    batch.report = reported(report, change, touched, frames, waiting, flags, pending).to_json()
    batch.rows_pending_review = pending
    batch.save(update_fields=["report", "rows_pending_review"])
    return Remapped(records, changed, pending)


def refuse_unknowable(unknowable: dict[str, int], change: ColumnChange) -> None:
    """A change that would leave records without a sex or age their identity number gives is
    not made here: the number is not stored, so only the file can give them."""
    if not unknowable:
        return
    lost = " och ".join(f"{NAMES.get(name, name)} för {n} poster" for name, n in unknowable.items())
    raise ColumnChangeError(
        f"Ändringen skulle ta bort {lost} som har personnummer. Personnumret sparas inte, så "
        "bara filen kan ge dem: läs in filen igen med kolumnvalet "
        f'"{change.header}={change.target}" (i portalen eller med nuso import --kolumn).'
    )


NAMES = {"kon": "kön", "alder": "ålder"}


def column_target(report: ImportReport, change: ColumnChange) -> str:
    return next(
        (c.variable or "" for c in report.columns
         if c.sheet == change.sheet and c.header == change.header),
        "",
    )  # fmt: skip


def chosen(column: ColumnRead, change: ColumnChange, frames: list[pl.DataFrame]) -> ColumnRead:
    """The column as chosen by hand; an unmapped one shows a sample of its values, as an
    unknown column does."""
    how = by_hand(0, change.header, change.target).described()
    sample: tuple[str, ...] = ()
    if not change.target:
        samples = (value_sample(frame, blocks.CELL + change.header) for frame in frames)
        sample = next(filter(None, samples), ())
    return replace(column, variable=change.target or None, how=how, sample=sample)


def merge_waiting(total: Waiting, more: Waiting) -> None:
    for variable, counts in more.items():
        total.setdefault(variable, Counter()).update(counts)


def reported(
    report: ImportReport, change: ColumnChange, touched: list[str], frames: list[pl.DataFrame],
    waiting: Waiting, flags: Counter[str], pending: int,
) -> ImportReport:  # fmt: skip
    """The report after the change: the column as chosen, the touched variables' values as
    now decided, what waits for review, the flags and the rows waiting."""
    values = dict(report.values)
    for name in touched:
        values[name] = listing(frames, name)
        if not values[name]:
            del values[name]
    place = (change.sheet, change.header)
    columns = tuple(
        chosen(column, change, frames) if (column.sheet, column.header) == place else column
        for column in report.columns
    )
    rows = replace(report.rows, pending=pending) if report.rows else None
    return replace(
        report,
        columns=tuple(sorted(columns, key=lambda column: column.variable is not None)),
        values=values,
        pending={v: dict(c) for v, c in waiting.items() if c},
        flags={flag: n for flag, n in flags.items() if n > 0},
        rows=rows,
    )
