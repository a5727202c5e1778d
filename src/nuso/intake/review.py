"""The review queue: raw values the cascade could not decide, by how often they occur.
Decisions on them are taken by nuso.intake.decisions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from nuso.core.harmonise.cascade import Harmoniser
from nuso.core.harmonise.dictionary import dictionary_from_stored
from nuso.core.harmonise.normalise import normalise
from nuso.core.intake.report import ImportReport, Suggestion
from nuso.intake.models import ImportBatch, ReviewItem
from nuso.studies.codebooks import codebook_of, latest_version, learned_mappings, model_store
from nuso.studies.models import CodebookVersion, Study


@transaction.atomic
def refresh_review_queue(study: Study) -> int:
    """Rebuild the pending items of a study from its active batches; decided items stay.
    Returns how many raw values wait for review."""
    occurrences: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    units: dict[tuple[str, str], set[str]] = {}
    suggested: dict[tuple[str, str], Sequence[Suggestion]] = {}
    version = latest_version()
    batches = ImportBatch.objects.filter(
        study=study, status=ImportBatch.Status.IMPORTED
    ).select_related("unit")
    for batch in batches:
        report = ImportReport.from_json(batch.report)
        # Suggestions made at import, if under the code book in force.
        in_force = report.suggestions if report.codebook == version.number else {}
        for variable, raws in report.pending.items():
            for raw, count in raws.items():
                key = (variable, normalise(raw))
                occurrences[key] += count
                examples.setdefault(key, raw)
                units.setdefault(key, set()).add(batch.unit.code if batch.unit else "")
                if raw in in_force.get(variable, {}):
                    suggested.setdefault(key, in_force[variable][raw])
    suggest = Suggestions(study, version)
    existing = {(i.variable, i.raw_key): i for i in ReviewItem.objects.filter(study=study)}
    for key, count in occurrences.items():
        variable, raw_key = key
        item = existing.pop(key, None) or ReviewItem(
            study=study, variable=variable, raw_key=raw_key[:500]
        )
        if item.status == ReviewItem.Status.DECIDED:
            continue
        # An empty list is an answer too: only a value without one asks the model again.
        suggestions = suggested[key] if key in suggested else suggest(variable, examples[key])
        item.raw_example = examples[key][:500]
        item.occurrences = count
        item.units = sorted(units[key])
        item.suggestions = [{"code": code, "score": score} for code, score in suggestions]
        item.save()
    stale = [i.pk for i in existing.values() if i.status == ReviewItem.Status.PENDING]
    ReviewItem.objects.filter(pk__in=stale).delete()
    return len(occurrences)


def review_labels(study: Study) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """What the queue shows reviewers instead of bare names: each variable's label, and each
    variable's codes with their labels in the codebook in force (its own categories for a
    variable outside the codebook)."""
    dictionary = dictionary_from_stored(study.dictionary)
    codebook = codebook_of(latest_version())
    codes: dict[str, dict[str, str]] = {}
    for variable in dictionary.variables:
        if variable.codebook in codebook.variables:
            codes[variable.name] = {
                c.code: c.label for c in codebook.variables[variable.codebook].codes
            }
        elif variable.categories:
            codes[variable.name] = dict(variable.categories)
    return {v.name: v.label for v in dictionary.variables}, codes


class Suggestions:
    """Suggestions for a raw value the import's report has none for (an import under an
    earlier code book): the harmoniser, and its model, made on first need only."""

    def __init__(self, study: Study, version: CodebookVersion) -> None:
        self.dictionary = dictionary_from_stored(study.dictionary)
        self.version = version
        self.harmoniser: Harmoniser | None = None

    def __call__(self, variable: str, raw: str) -> list[Any]:
        if self.harmoniser is None:
            self.harmoniser = Harmoniser(
                codebook_of(self.version), learned_mappings(None), model_store()
            )
        codebook = self.dictionary.variable(variable).codebook or variable
        return list(self.harmoniser.suggestions(codebook, raw))
