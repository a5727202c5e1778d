"""What analysts must still decide: the workload of the review queue per harmonised variable
(nuso.core.harmonise.workload), from the stored records and the pending review items."""

from __future__ import annotations

import polars as pl

from nuso.core.harmonise.dictionary import dictionary_from_stored
from nuso.core.harmonise.workload import Workload, workload
from nuso.core.intake import blocks
from nuso.intake.models import ReviewItem
from nuso.intake.record_frames import record_frame
from nuso.studies.models import Study


def harmonised_variables(study_slug: str) -> list[str]:
    """The study's variables that are harmonised into the codebook, in dictionary order."""
    study = Study.objects.filter(slug=study_slug).first()
    if study is None:
        return []
    dictionary = dictionary_from_stored(study.dictionary)
    return [v.name for v in dictionary.variables if v.codebook]


def queue_workload(study: Study) -> list[Workload]:
    """For each harmonised variable: the values decided in the study's current records, and
    the review queue's pending values with how often they occur."""
    names = harmonised_variables(study.slug)
    frame = record_frame(study, parts=(blocks.VALUE,))
    waiting: dict[str, dict[str, int]] = {name: {} for name in names}
    pending = ReviewItem.objects.filter(study=study, status=ReviewItem.Status.PENDING)
    for variable, key, occurrences in pending.values_list("variable", "raw_key", "occurrences"):
        waiting.setdefault(variable, {})[key] = occurrences
    return [workload(name, decided_values(frame, name), waiting[name]) for name in names]


def decided_values(frame: pl.DataFrame, variable: str) -> int:
    column = blocks.VALUE + variable
    if column not in frame.columns:
        return 0
    values = frame[column]
    if isinstance(values.dtype, pl.List):
        return int(values.list.len().fill_null(0).sum())
    return int(values.is_not_null().sum())
