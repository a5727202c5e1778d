"""Review decisions: a raw value of a study's variable mapped to a code, nationally or for one
unit. One use case for every caller (the portal, the admin, `nuso review`): `decide` records
the decision, makes a new codebook version, re-harmonises the records that hold the value,
writes the audit entry, and has the suggestion models learn the decision once it is committed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import transaction

from nuso.audit.services import Actor, log
from nuso.core.harmonise.dictionary import StudyVariable, dictionary_from_stored
from nuso.core.harmonise.normalise import normalise
from nuso.core.intake import blocks
from nuso.core.intake.boundary import Masker
from nuso.core.intake.dates import period_span
from nuso.core.intake.delivery import Harmonisers
from nuso.core.intake.records import RowInterpreter
from nuso.core.intake.reharmonise import decided_again
from nuso.core.intake.report import ImportReport
from nuso.intake.models import ImportBatch, ReviewItem
from nuso.intake.record_frames import current_blocks
from nuso.studies import retraining
from nuso.studies.codebooks import codebook_of, latest_version, learned_in_force, model_store
from nuso.studies.models import CodebookEntry, CodebookVersion, Study, ValueMapping
from nuso.units.models import Unit


class ReviewDecisionError(Exception):
    """A decision that cannot be taken; the message says why."""


@dataclass(frozen=True)
class RawValue:
    """What a decision is about: a raw value of one of a study's variables, waiting in the
    review queue or not (a decisions file may decide values before any import holds them)."""

    study: Study
    variable: str
    raw: str

    @classmethod
    def of(cls, item: ReviewItem) -> RawValue:
        return cls(item.study, item.variable, item.raw_example)


@dataclass(frozen=True)
class DecisionResult:
    version: int
    records_updated: int
    raw: str = ""  # the raw value decided, identity numbers masked


def decide(item: RawValue, code: str, scope: Unit | None, actor: Actor) -> DecisionResult:
    """Map a raw value to a code (or to 'unknown' with code ''), nationally (scope None) or
    for one unit: a new codebook version, and every affected record re-harmonised in the same
    transaction; the suggestion models learn it once that commits. A raw value from a
    decisions file is masked as the cells it decides are (nuso.core.intake.boundary)."""
    item = replace(item, raw=Masker(settings.NUSO_PSEUDONYM_KEY).text(item.raw))
    target = reviewed_variable(item.study, item.variable)
    with transaction.atomic():
        latest = latest_version()
        check_code(latest, target, code)
        key = normalise(item.raw)
        version = new_version(
            latest, actor, f"Granskning: {item.variable} {item.raw!r} → {code or '(okänt)'}"
        )
        mapping = record(item, target, key, code, scope, version, actor)
        updated = reharmonise(item.study, target, key, version, scope)
        log(actor, "review.decide", target=mapping, unit=scope, variable=item.variable,
            raw=item.raw, code=code, version=version.number, records=updated)  # fmt: skip
        retraining.after_commit()
    return DecisionResult(version.number, updated, item.raw)


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


def check_code(latest: CodebookVersion, variable: StudyVariable, code: str) -> None:
    """A code of the variable in the codebook in force, or '' for unknown."""
    codes = {c.code for c in codebook_of(latest).variables[str(variable.codebook)].codes}
    if code and code not in codes:
        raise ReviewDecisionError(
            f"Koden {code!r} finns inte för {variable.name}; välj en av {', '.join(sorted(codes))}."
        )


def record(
    item: RawValue,
    variable: StudyVariable,
    key: str,
    code: str,
    scope: Unit | None,
    version: CodebookVersion,
    actor: Actor,
) -> ValueMapping:
    """The decision in force from this version, ending the one it replaces in its scope, and
    the review item, if one waits, marked decided."""
    codebook = str(variable.codebook)
    ValueMapping.objects.filter(
        variable=codebook, raw_key=key, unit=scope, case_system="", valid_to__isnull=True
    ).update(valid_to=version)
    mapping = ValueMapping.objects.create(
        variable=codebook,
        raw_key=key,
        raw_example=item.raw,
        code=code,
        unit=scope,
        valid_from=version,
        decided_by=actor.user,
    )
    queued = ReviewItem.objects.filter(
        study=item.study, variable=item.variable, raw_key=key[:500]
    ).first()
    if queued is not None:
        queued.status, queued.decision = ReviewItem.Status.DECIDED, mapping
        queued.save(update_fields=["status", "decision", "updated_at"])
    return mapping


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
        unit_code = block.batch.unit.code if block.batch.unit else ""
        interpreter = interpreters.for_unit(unit_code, block.batch.period)
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

    def __init__(
        self, study: Study, version: CodebookVersion, period_middle: dt.date | None = None
    ) -> None:
        self.dictionary = dictionary_from_stored(study.dictionary)
        # An age is found at the middle of the delivery's period where the file gives no
        # date; a decision on a value derives no age, so any day serves it.
        self.period_middle = period_middle or dt.date.today()
        self.harmonisers = Harmonisers(codebook_of(version), learned_in_force(), model_store())
        self.made: dict[tuple[int, str], RowInterpreter] = {}

    def for_unit(self, unit_code: str, period: str = "") -> RowInterpreter:
        """The interpreter of a unit's records of a delivery for `period` (its records
        without a date are read against the codes in force in that period)."""
        harmoniser = self.harmonisers.for_unit(unit_code)
        key = (id(harmoniser), period)
        if key not in self.made:
            self.made[key] = RowInterpreter(
                self.dictionary,
                harmoniser.codebook,
                harmoniser,
                settings.NUSO_PSEUDONYM_KEY,
                self.period_middle,
                period_span(period),
            )
        return self.made[key]


def drop_from_report(batch: ImportBatch, variable: str, key: str) -> None:
    """The batch's report no longer lists the decided values as waiting for review."""
    batch.report = ImportReport.from_json(batch.report).after_review(variable, key).to_json()
    batch.save(update_fields=["report"])
