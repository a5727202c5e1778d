"""The review queue: raw values the cascade could not decide, by how often they occur."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from nuso.audit.services import Actor, log
from nuso.core.harmonise.cascade import Harmoniser
from nuso.core.harmonise.dictionary import StudyVariable, dictionary_from_stored
from nuso.core.harmonise.normalise import normalise
from nuso.core.intake import blocks
from nuso.core.intake.delivery import Harmonisers
from nuso.core.intake.records import RowInterpreter
from nuso.core.intake.reharmonise import decided_again
from nuso.core.intake.report import ImportReport, Suggestion
from nuso.intake.models import ImportBatch, ReviewItem
from nuso.intake.record_frames import current_blocks
from nuso.studies.codebooks import (
    codebook_of,
    latest_version,
    learned_in_force,
    learned_mappings,
    model_store,
)
from nuso.studies.models import CodebookEntry, CodebookVersion, Study, ValueMapping
from nuso.units.models import Unit


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
        return list(self.harmoniser.decide(codebook, raw).suggestions)


# --- decisions ---


class ReviewDecisionError(Exception):
    """A decision that cannot be taken; the message says why."""


@dataclass(frozen=True)
class DecisionResult:
    version: int
    records_updated: int


def reviewed_variable(study: Study, name: str) -> StudyVariable:
    """The study's variable, which must take its codes from the codebook to be reviewed."""
    dictionary = dictionary_from_stored(study.dictionary)
    variable = next((v for v in dictionary.variables if v.name == name), None)
    if variable is None or not variable.codebook:
        known = ", ".join(v.name for v in dictionary.variables if v.codebook)
        raise ReviewDecisionError(
            f"Variabeln {name!r} granskas inte mot kodboken; ange en av {known}."
        )
    return variable


def decide(
    study: Study, variable: str, raw: str, code: str, actor: Actor, unit: Unit | None = None
) -> DecisionResult:
    """Map a raw value to a code (or to 'unknown' with code ''), nationally or for one unit:
    a new codebook version, and every affected record re-harmonised in the same transaction."""
    target = reviewed_variable(study, variable)
    codebook = str(target.codebook)
    with transaction.atomic():
        latest = latest_version()
        codes = {c.code for c in codebook_of(latest).variables[codebook].codes}
        if code and code not in codes:
            raise ReviewDecisionError(
                f"Koden {code!r} finns inte för {variable}; välj en av {', '.join(sorted(codes))}."
            )
        key = normalise(raw)
        version = new_version(
            latest, actor, f"Granskning: {variable} {raw!r} → {code or '(okänt)'}"
        )
        ValueMapping.objects.filter(
            variable=codebook,
            raw_key=key,
            unit=unit,
            case_system="",
            valid_to__isnull=True,
        ).update(valid_to=version)
        mapping = ValueMapping.objects.create(
            variable=codebook,
            raw_key=key,
            raw_example=raw,
            code=code,
            unit=unit,
            valid_from=version,
            decided_by=actor.user,
        )
        item = ReviewItem.objects.filter(study=study, variable=variable, raw_key=key[:500]).first()
        if item is not None:
            item.status, item.decision = ReviewItem.Status.DECIDED, mapping
            item.save(update_fields=["status", "decision", "updated_at"])
        updated = reharmonise(study, target, key, version, unit)
        log(actor, "review.decide", target=mapping, unit=unit, variable=variable, raw=raw,
            code=code, version=version.number, records=updated)  # fmt: skip
    return DecisionResult(version.number, updated)


def new_version(latest: CodebookVersion, actor: Actor, note: str) -> CodebookVersion:
    version = CodebookVersion.objects.create(
        number=latest.number + 1,
        title=latest.title,
        note=note,
        based_on=latest,
        created_by=actor.user,
    )
    CodebookEntry.objects.bulk_create(
        CodebookEntry(version=version, variable=e.variable, code=e.code, label=e.label,
                      attributes=e.attributes, position=e.position)
        for e in CodebookEntry.objects.filter(version=latest)
    )  # fmt: skip
    return version


def reharmonise(
    study: Study, variable: StudyVariable, key: str, version: CodebookVersion, unit: Unit | None
) -> int:
    """Decide `variable` again, as the import does, in every current record whose raw value
    holds this key; the blocks holding such records are rewritten. How many records."""
    interpreters = Interpreters(study, version)
    changed = 0
    touched_batches: set[int] = set()
    found = (
        current_blocks(study, unit)
        .select_related("batch__unit")
        .defer("batch__report")  # the reports touched are read again below
        .select_for_update(of=("self",))
    )
    for block in found.order_by("pk").iterator(chunk_size=20):
        interpreter = interpreters.for_unit(block.batch.unit.code if block.batch.unit else "")
        frame, count = decided_again(blocks.decode(bytes(block.data)), variable, key, interpreter)
        if count:
            block.data, block.pending = blocks.encode(frame), int(frame[blocks.PENDING].sum())
            block.save(update_fields=["data", "pending"])
            changed += count
            touched_batches.add(block.batch_id)
    for batch in ImportBatch.objects.filter(pk__in=touched_batches):
        drop_from_report(batch, variable.name, key)
    return changed


class Interpreters:
    """A row interpreter per scope of review decisions, as an import has them: the codebook,
    the decisions in force and the models read once for every block of a decision."""

    def __init__(self, study: Study, version: CodebookVersion) -> None:
        self.dictionary = dictionary_from_stored(study.dictionary)
        self.harmonisers = Harmonisers(codebook_of(version), learned_in_force(), model_store())
        self.made: dict[int, RowInterpreter] = {}

    def for_unit(self, unit_code: str) -> RowInterpreter:
        harmoniser = self.harmonisers.for_unit(unit_code)
        if id(harmoniser) not in self.made:
            self.made[id(harmoniser)] = RowInterpreter(
                self.dictionary,
                harmoniser.codebook,
                harmoniser,
                settings.NUSO_PSEUDONYM_KEY,
                dt.date.today(),  # no age is derived here
            )
        return self.made[id(harmoniser)]


def drop_from_report(batch: ImportBatch, variable: str, key: str) -> None:
    """The batch's report no longer lists the decided values as waiting for review."""
    batch.report = ImportReport.from_json(batch.report).after_review(variable, key).to_json()
    batch.save(update_fields=["report"])
