"""The submitted registrations of a unit, study and period, written as that unit's delivery of
the period: one batch whose block holds a record per registration. Analysis, the dashboard,
downloads and decks read registrations as they read files, with nothing of their own. The
batch is rewritten in place after each submission or correction (its time changes, so the
tables are computed anew); a file delivered for the same period is replaced by it, and stays
restorable, as a newer file would replace it."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from nuso.audit.services import Actor
from nuso.collection.models import CollectionPeriod, Registration
from nuso.collection.records import SHEET, block_frame
from nuso.core.harmonise.dictionary import dictionary_from_stored
from nuso.core.intake import blocks
from nuso.core.intake.report import ImportReport
from nuso.intake.models import ImportBatch, RecordBlock
from nuso.intake.review import refresh_review_queue
from nuso.intake.services import current_batch
from nuso.studies.models import Study
from nuso.units.models import Unit

FILE_NAME = "Registreringar i NUSO (webbformulär och API)"
CASE_SYSTEM = "NUSO"


def write_delivery(study: Study, unit: Unit, period: CollectionPeriod, actor: Actor) -> ImportBatch:
    """The unit's registrations of the period as its current delivery, written anew."""
    with transaction.atomic():
        previous = current_batch(study, unit, period.name)  # locks the unit: one writer
        rows = list(
            Registration.objects.filter(
                study=study, unit=unit, period=period, status=Registration.Status.SUBMITTED
            )
            .order_by("pk")
            .values_list("pk", "pseudonym", "record")
        )
        frame = block_frame(dictionary_from_stored(study.dictionary), rows)
        data = blocks.encode(frame)
        pending = int(frame[blocks.PENDING].sum() or 0) if frame.height else 0
        batch = _ours(previous) or _new_batch(study, unit, period, actor, previous)
        batch.content_hash = hashlib.sha256(data).hexdigest()
        batch.finished_at = timezone.now()
        batch.rows_read = batch.rows_imported = frame.height
        batch.rows_pending_review = pending
        batch.save()
        RecordBlock.objects.filter(batch=batch).delete()
        RecordBlock.objects.create(
            batch=batch, sheet=SHEET, rows=frame.height, pending=pending, data=data
        )
    if pending:
        refresh_review_queue(study)
    return batch


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
