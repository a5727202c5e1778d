"""A replaced delivery brought back into use (`nuso batches restore`, the portal's import
report): a corrected file that turned out wrong, or a delivery confirmed with `--ersatt` by
mistake, is undone without the old file. The delivery in use is replaced by it in turn, and
stays restorable the same way."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from nuso.audit.services import Actor, log
from nuso.intake.models import ImportBatch
from nuso.intake.reharmonise import reharmonise_blocks
from nuso.intake.review import refresh_review_queue
from nuso.intake.services import current_batch
from nuso.studies.codebooks import latest_version
from nuso.studies.models import Study


class RestoreError(Exception):
    """A delivery that cannot be restored; the message says why, in Swedish."""


@dataclass(frozen=True)
class Restored:
    batch: ImportBatch
    replaced: ImportBatch | None  # the delivery that was in use
    records: int


def restore_batch(batch_id: int, actor: Actor) -> Restored:
    """The replaced delivery in use again for its unit, study and period, its records decided
    under the codebook in force (review decisions taken since apply), in one transaction."""
    with transaction.atomic():
        found = ImportBatch.objects.select_for_update(of=("self",)).select_related("study", "unit")
        batch = found.filter(pk=batch_id).first()
        if batch is None:
            raise RestoreError(f"Det finns ingen leverans med nummer {batch_id}.")
        if batch.status != ImportBatch.Status.REPLACED:
            raise RestoreError(
                f"Leverans {batch_id} ({batch.file_name}) är {batch.get_status_display().lower()}, "
                "inte ersatt: bara en ersatt leverans kan återställas."
            )
        assert batch.unit is not None  # only a stored delivery is replaced, and it has a unit
        current = current_batch(batch.study, batch.unit, batch.period)
        if current is not None:
            current.status, current.replaced_by = ImportBatch.Status.REPLACED, batch
            current.save(update_fields=["status", "replaced_by"])
        batch.status, batch.replaced_by = ImportBatch.Status.IMPORTED, None
        batch.save(update_fields=["status", "replaced_by"])
        done = reharmonise_blocks(batch.blocks.all(), batch.study, latest_version())
        refresh_review_queue(batch.study)
        # The tables are computed for a data version the study's time stamp is part of.
        Study.objects.filter(pk=batch.study.pk).update(updated_at=timezone.now())
        log(actor, "import.restore", target=batch, unit=batch.unit, file=batch.file_name,
            replaced=current.pk if current else None, records=done.records)  # fmt: skip
    return Restored(batch, current, done.records)
