"""The review queue: raw values the cascade could not decide, by how often they occur."""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from nuso.core.harmonise import Harmoniser
from nuso.core.normalise import normalise
from nuso.intake.models import ImportBatch, ReviewItem
from nuso.studies.codebooks import codebook_of, latest_version, learned_mappings
from nuso.studies.models import Study

CODEBOOK_VARIABLE = {"orsaker": "orsak"}  # study variable -> codebook variable where they differ


@transaction.atomic
def refresh_review_queue(study: Study) -> int:
    """Rebuild the pending items of a study from its active batches; decided items stay.
    Returns how many raw values wait for review."""
    occurrences: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    units: dict[tuple[str, str], set[str]] = {}
    batches = ImportBatch.objects.filter(
        study=study, status=ImportBatch.Status.IMPORTED
    ).select_related("unit")
    for batch in batches:
        for variable, raws in batch.report.get("granskning", {}).items():
            for raw, count in raws.items():
                key = (variable, normalise(raw))
                occurrences[key] += count
                examples.setdefault(key, raw)
                units.setdefault(key, set()).add(batch.unit.code if batch.unit else "")
    harmoniser = Harmoniser(codebook_of(latest_version()), learned_mappings(None))
    existing = {(i.variable, i.raw_key): i for i in ReviewItem.objects.filter(study=study)}
    for key, count in occurrences.items():
        variable, raw_key = key
        suggestions = harmoniser.decide(
            CODEBOOK_VARIABLE.get(variable, variable), examples[key]
        ).suggestions
        item = existing.pop(key, None) or ReviewItem(
            study=study, variable=variable, raw_key=raw_key[:500]
        )
        if item.status == ReviewItem.Status.DECIDED:
            continue
        item.raw_example = examples[key][:500]
        item.occurrences = count
        item.units = sorted(units[key])
        item.suggestions = [{"code": code, "score": score} for code, score in suggestions]
        item.save()
    stale = [i.pk for i in existing.values() if i.status == ReviewItem.Status.PENDING]
    ReviewItem.objects.filter(pk__in=stale).delete()
    return len(occurrences)
