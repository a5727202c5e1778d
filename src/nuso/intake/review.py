"""The review queue: raw values the cascade could not decide, by how often they occur."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from django.db import transaction

from nuso.audit.services import Actor, log
from nuso.core.harmonise import Harmoniser
from nuso.core.normalise import normalise
from nuso.intake.models import ImportBatch, Record, ReviewItem
from nuso.studies.codebooks import codebook_of, latest_version, learned_mappings
from nuso.studies.models import CodebookEntry, CodebookVersion, Study, ValueMapping
from nuso.units.models import Unit

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


# --- decisions ---


class ReviewDecisionError(Exception):
    """A decision that cannot be taken; the message says why."""


@dataclass(frozen=True)
class DecisionResult:
    version: int
    records_updated: int


def codebook_variable(variable: str) -> str:
    return CODEBOOK_VARIABLE.get(variable, variable)


def decide(
    study: Study, variable: str, raw: str, code: str, actor: Actor, unit: Unit | None = None
) -> DecisionResult:
    """Map a raw value to a code (or to 'unknown' with code ''), nationally or for one unit:
    a new codebook version, and every affected record re-harmonised in the same transaction."""
    with transaction.atomic():
        latest = latest_version()
        codes = {c.code for c in codebook_of(latest).variables[codebook_variable(variable)].codes}
        if code and code not in codes:
            raise ReviewDecisionError(
                f"Koden {code!r} finns inte för {variable}; välj en av {', '.join(sorted(codes))}."
            )
        key = normalise(raw)
        version = new_version(
            latest, actor, f"Granskning: {variable} {raw!r} → {code or '(okänt)'}"
        )
        ValueMapping.objects.filter(
            variable=codebook_variable(variable),
            raw_key=key,
            unit=unit,
            case_system="",
            valid_to__isnull=True,
        ).update(valid_to=version)
        mapping = ValueMapping.objects.create(
            variable=codebook_variable(variable),
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
        updated = reharmonise(study, variable, key, version, unit)
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
    study: Study, variable: str, key: str, version: CodebookVersion, unit: Unit | None
) -> int:
    """Decide `variable` again in every active record whose raw value has this key."""
    harmonisers: dict[str, Harmoniser] = {}
    records = Record.objects.filter(study=study, batch__status=ImportBatch.Status.IMPORTED)
    if unit is not None:
        records = records.filter(unit=unit)
    changed: list[Record] = []
    touched_batches: set[int] = set()
    for record in records.select_related("unit").iterator(chunk_size=5_000):
        decision = record.decisions.get(variable)
        if not decision or not raw_has_key(decision.get("raw", ""), key, variable):
            continue
        unit_code = record.unit.code
        if unit_code not in harmonisers:
            harmonisers[unit_code] = Harmoniser(codebook_of(version), learned_mappings(unit_code))
        apply_decision(record, variable, harmonisers[unit_code], version)
        changed.append(record)
        touched_batches.add(record.batch_id)
    Record.objects.bulk_update(
        changed, ["values", "decisions", "pending_review", "codebook_version"], batch_size=2_000
    )
    for batch in ImportBatch.objects.filter(pk__in=touched_batches):
        drop_from_report(batch, variable, key)
    return len(changed)


def raw_has_key(raw: str, key: str, variable: str) -> bool:
    if variable != "orsaker":
        return normalise(raw) == key
    return (
        key in {normalise(part) for part in re.split(r"[;|\n,]|\s[-–—]\s", raw)}
        or normalise(raw) == key
    )


def apply_decision(
    record: Record, variable: str, harmoniser: Harmoniser, version: CodebookVersion
) -> None:
    raw = record.decisions[variable]["raw"]
    if variable == "orsaker":
        decided = harmoniser.decide_many("orsak", raw.split("|"))
        record.values["orsaker"] = list(dict.fromkeys(d.code for _, d in decided if d.code))
        methods = sorted({d.method for _, d in decided if d.code}) or ["pending"]
        pending = any(d.pending for _, d in decided)
        record.decisions[variable] = {"method": "+".join(methods), "confidence": 1.0, "raw": raw}
    else:
        decision = harmoniser.decide(codebook_variable(variable), raw)
        record.values[variable] = decision.code
        pending = decision.pending
        record.decisions[variable] = {
            "method": decision.method,
            "confidence": decision.confidence,
            "raw": raw,
        }
        if variable == "atgard" and decision.code:
            group = next(
                c for c in harmoniser.codebook.variables["atgard"].codes if c.code == decision.code
            )
            record.values["atgardsgrupp"] = group.attributes.get("group")
    still_pending = pending or any(
        d.get("method") == "pending" for name, d in record.decisions.items() if name != variable
    )
    record.pending_review = still_pending
    record.codebook_version = version


def drop_from_report(batch: ImportBatch, variable: str, key: str) -> None:
    waiting = batch.report.get("granskning", {}).get(variable, {})
    for raw in [raw for raw in waiting if normalise(raw) == key]:
        del waiting[raw]
    batch.report.setdefault("granskade", []).append({"variabel": variable, "nyckel": key})
    batch.save(update_fields=["report"])
