"""The submitted registrations of a unit, study and period, written as that unit's delivery of
the period: one batch whose blocks hold a record per registration. Analysis, the dashboard,
downloads and decks read registrations as they read files, with nothing of their own. A file
delivered for the same period is replaced by it, and stays restorable, as a newer file would
replace it.

The batch is written again after each submission or correction (its time changes, so the
tables are computed anew), but only in part: its blocks hold up to BLOCK_ROWS registrations
each, and a call rewrites the blocks holding the registrations it changed and appends the new
ones, so that the API's 10 000 records cost the same in a unit that has a hundred thousand as
in an empty one. Each block written is decided again under the codebook in force (a review
decision since the registration was made holds), and the batch's report lists the values that
wait for review, which the review queue is built from."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone

from nuso.audit.services import Actor
from nuso.collection.models import CollectionPeriod, Registration
from nuso.collection.records import SHEET, RecordMaker, block_frame
from nuso.core.intake import blocks
from nuso.core.intake.records import RowInterpreter
from nuso.core.intake.report import ImportReport
from nuso.intake.models import ImportBatch, RecordBlock
from nuso.intake.reharmonise import Waiting, decided_anew
from nuso.intake.review import refresh_review_queue
from nuso.intake.services import current_batch
from nuso.studies.models import Study
from nuso.units.models import Unit

FILE_NAME = "Registreringar i NUSO (webbformulär och API)"
CASE_SYSTEM = "NUSO"
BLOCK_ROWS = 10_000
Made = tuple[str, Mapping[str, Any]]  # a registration's pseudonym and record


def write_delivery(
    study: Study, unit: Unit, period: CollectionPeriod, actor: Actor,
    changed: Collection[int] | None = None, known: Mapping[int, Made] | None = None,
) -> ImportBatch:  # fmt: skip
    """The unit's registrations of the period as its current delivery: the blocks holding
    the `changed` registrations (just submitted or corrected) written anew, or every block
    when `changed` is None. `known`: the (pseudonym, record) of registrations the caller has
    just stored, by id, which need not be read back."""
    with transaction.atomic():
        previous = current_batch(study, unit, period.name)  # locks the unit: one writer
        batch = _ours(previous)
        whole = batch is None or changed is None
        batch = batch or _new_batch(study, unit, period, actor, previous)
        waited = batch.rows_pending_review
        stored = _stored_rows(batch)
        plan = (
            _whole(study, unit, period, stored)
            if whole or changed is None
            else _touched(stored, set(changed))
        )
        maker = RecordMaker(study, period.name)
        interpreter = maker.files.interpreter(unit.code)
        digest = hashlib.sha256(batch.content_hash.encode())
        waiting: dict[str, Waiting] = {}
        for sheet, pks in plan.items():
            rows = _records(study, unit, period, pks, known or {})
            frame, waiting[sheet] = _decided(block_frame(maker.dictionary, rows), interpreter)
            data = blocks.encode(frame)
            digest.update(data)
            pending = int(frame[blocks.PENDING].sum() or 0) if frame.height else 0
            RecordBlock.objects.update_or_create(
                batch=batch, sheet=sheet,
                defaults={"rows": frame.height, "pending": pending, "data": data},
            )  # fmt: skip
        RecordBlock.objects.filter(batch=batch, rows=0).delete()
        _count(batch, waiting, interpreter)
        batch.content_hash = digest.hexdigest()
        batch.finished_at = timezone.now()
        batch.save()
    if batch.rows_pending_review or waited:
        refresh_review_queue(study)
    return batch


def _records(
    study: Study, unit: Unit, period: CollectionPeriod, pks: list[int], known: Mapping[int, Made]
) -> list[tuple[int, str, Mapping[str, Any]]]:
    """The block's registrations, by id: those in hand as they are, the others read."""
    read = [pk for pk in pks if pk not in known]
    found = {
        pk: (pseudonym, record)
        for pk, pseudonym, record in Registration.objects.filter(
            pk__in=read, study=study, unit=unit, period=period,
            status=Registration.Status.SUBMITTED,
        ).values_list("pk", "pseudonym", "record")
    } if read else {}  # fmt: skip
    return [(pk, *(known.get(pk) or found[pk])) for pk in pks if pk in known or pk in found]


def _stored_rows(batch: ImportBatch) -> dict[str, set[int]]:
    """The registrations each block of the batch holds (its rows are their ids)."""
    found = RecordBlock.objects.filter(batch=batch).values_list("sheet", "data")
    return {
        sheet: set(blocks.decode(bytes(data), [blocks.ROW])[blocks.ROW].to_list())
        for sheet, data in found
    }


def _whole(
    study: Study, unit: Unit, period: CollectionPeriod, stored: dict[str, set[int]]
) -> dict[str, list[int]]:
    """Every submitted registration, in blocks by id; a block no longer needed is emptied."""
    pks = list(
        Registration.objects.filter(
            study=study, unit=unit, period=period, status=Registration.Status.SUBMITTED
        ).order_by("pk").values_list("pk", flat=True)
    )  # fmt: skip
    plan: dict[str, list[int]] = {sheet: [] for sheet in stored} | dict(_chunks(pks, 1))
    return plan or {SHEET: []}


def _touched(stored: dict[str, set[int]], changed: set[int]) -> dict[str, list[int]]:
    """The blocks holding a changed registration, and the new ones: into the last block while
    it has room, then into blocks of their own."""
    plan = {sheet: sorted(rows) for sheet, rows in stored.items() if rows & changed}
    new = sorted(changed - set().union(*stored.values()))
    if not new:
        return plan
    last = max(stored, key=_number, default=None)
    if last is not None and len(stored[last]) < BLOCK_ROWS:
        room = BLOCK_ROWS - len(stored[last])
        plan[last] = sorted(stored[last] | set(new[:room]))
        new = new[room:]
    following = _number(last) + 1 if last is not None else 1
    return plan | dict(_chunks(new, following))


def _chunks(pks: list[int], first: int) -> Iterable[tuple[str, list[int]]]:
    for at, start in enumerate(range(0, len(pks), BLOCK_ROWS), start=first):
        yield _sheet(at), pks[start : start + BLOCK_ROWS]


def _sheet(number: int) -> str:
    return SHEET if number == 1 else f"{SHEET} {number}"


def _number(sheet: str | None) -> int:
    if sheet is None:
        return 0
    tail = sheet.removeprefix(SHEET).strip()
    return int(tail) if tail.isdigit() else 1


def _decided(frame: pl.DataFrame, interpreter: RowInterpreter) -> tuple[pl.DataFrame, Waiting]:
    """The block decided again under the codebook in force where it may have changed: where
    a value waits, or a record was made under an earlier version."""
    if frame.height == 0:
        return frame, {}
    older = (frame[blocks.CODEBOOK] != interpreter.codebook.version).any()
    if not (older or frame[blocks.PENDING].any()):
        return frame, {}
    return decided_anew(frame, interpreter)


def _count(batch: ImportBatch, waiting: dict[str, Waiting], interpreter: RowInterpreter) -> None:
    """The batch's counts, and its report's values waiting for review: those of the blocks
    written now, and of the others that hold any."""
    totals = Counter[str]()
    values: dict[str, Counter[str]] = {}
    found = RecordBlock.objects.filter(batch=batch)
    for sheet, rows, pending in found.values_list("sheet", "rows", "pending"):
        totals.update(rows=rows, pending=pending)
        if pending and sheet not in waiting:
            data = found.filter(sheet=sheet).values_list("data", flat=True).get()
            waiting[sheet] = decided_anew(blocks.decode(bytes(data)), interpreter)[1]
    for of_block in waiting.values():
        for variable, counts in of_block.items():
            values.setdefault(variable, Counter()).update(counts)
    batch.rows_read = batch.rows_imported = totals["rows"]
    batch.rows_pending_review = totals["pending"]
    listed = {variable: dict(counts) for variable, counts in values.items() if counts}
    batch.report = replace(ImportReport.from_json(batch.report), pending=listed).to_json()


def _ours(batch: ImportBatch | None) -> ImportBatch | None:
    if batch is not None and batch.case_system == CASE_SYSTEM and batch.file_name == FILE_NAME:
        return batch
    return None


def _new_batch(
    study: Study, unit: Unit, period: CollectionPeriod, actor: Actor,
    previous: ImportBatch | None,
) -> ImportBatch:  # fmt: skip
    if previous is not None:  # first: one current delivery at a time (the constraint)
        previous.status = ImportBatch.Status.REPLACED
        previous.save(update_fields=["status"])
    batch = ImportBatch.objects.create(
        study=study, unit=unit, period=period.name, file_name=FILE_NAME,
        content_hash="", case_system=CASE_SYSTEM, imported_by=actor.user, actor=actor.label,
        status=ImportBatch.Status.IMPORTED,
        report=ImportReport(file=FILE_NAME, study=study.slug, period=period.name).to_json(),
    )  # fmt: skip
    if previous is not None:
        previous.replaced_by = batch
        previous.save(update_fields=["replaced_by"])
    return batch
