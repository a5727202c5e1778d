"""Records a case system delivers through the API (docs/api.md): read and checked as the form
checks a registration, linked to their decision, made into records by the import's row
interpreter, stored as submitted registrations of the study's open period, and written into
the unit's delivery, in one transaction per call. Each record has its own outcome: a bad one
never rejects the others. The client's own id makes a record sent again idempotent: the same
content adds nothing, changed content corrects the registration while its period is open
(audited with the variables changed, as the form's corrections are)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from nuso.audit.services import Actor, log
from nuso.collection.delivery import write_delivery
from nuso.collection.models import ApiToken, CollectionPeriod, Registration
from nuso.collection.records import RecordMaker
from nuso.collection.services import (
    carry_to_followers,
    changed_values,
    current_period,
    dictionary_of,
    needs_link,
)
from nuso.core.collection.answers import Answer
from nuso.core.collection.messages import in_words, said
from nuso.core.collection.posted import (
    FieldError,
    Posted,
    StudyForm,
    check,
    read_posted,
    study_form,
)
from nuso.core.collection.questions import OCCASION_VARIABLE
from nuso.studies.codebooks import codebook_of, latest_version
from nuso.studies.models import Study
from nuso.units.models import Unit

MAX_RECORDS = 10_000
CHUNK = 2_000  # ids looked up at a time

NEW, CORRECTED, UNCHANGED, REFUSED = "ny", "rattad", "oforandrad", "avvisad"
LINKED, WITHOUT_DECISION = "kopplad", "utan_beslut"


class DeliveryRefusedError(Exception):
    """A call none of whose records can be taken, and why (Swedish); `status` is HTTP's."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Outcome:
    """What became of one posted record: only what the client sent, or a flag of NUSO's."""

    pointer: str
    client_id: str
    status: str = REFUSED
    pending: bool = False  # a value waits for review
    link: str = ""  # for a follow-up: linked to its decision, or stored without one
    note: str = ""
    errors: list[FieldError] = field(default_factory=list)

    def to_json(self, translate: Callable[[str], str] = str) -> dict[str, Any]:
        """The record's answer, its messages in the words of `translate` (a gettext)."""
        shown: dict[str, Any] = {"pekare": self.pointer, "id": self.client_id or None,
                                 "status": self.status}  # fmt: skip
        if self.status != REFUSED:
            shown["granskas"] = self.pending
        if self.link:
            shown["beslut"] = self.link
        if self.note:
            shown["anmarkning"] = in_words(self.note, translate)
        if self.errors:
            shown["fel"] = [
                {**error.to_json(), "meddelande": in_words(error.message, translate)}
                for error in self.errors
            ]
        return shown


@dataclass
class Delivered:
    period: str
    outcomes: list[Outcome]

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    def counts(self) -> dict[str, int]:
        return {
            "mottagna": len(self.outcomes),
            "nya": self.count(NEW),
            "rattade": self.count(CORRECTED),
            "oforandrade": self.count(UNCHANGED),
            "avvisade": self.count(REFUSED),
            "granskas": sum(1 for o in self.outcomes if o.pending and o.status != REFUSED),
        }


@dataclass
class Candidate:
    """A decision registration a follow-up may follow: stored, or new in the same call."""

    answers: Mapping[str, Any]
    registration: Registration


@dataclass
class Made:
    """A record read and checked, with the registration it becomes."""

    posted: Posted
    outcome: Outcome
    registration: Registration
    row: dict[str, Any]
    before: dict[str, Any] | None = None  # a corrected registration's record before

    @property
    def relinked(self) -> bool:
        return self.outcome.status == UNCHANGED


def deliver(
    token: ApiToken, study: Study, unit: Unit, raws: Sequence[Any], pointers: Sequence[str],
    actor: Actor,
) -> Delivered:  # fmt: skip
    """The call's records, each taken or refused on its own; the token's scope is the
    caller's to have checked."""
    period = current_period(study)
    if period is None:
        message = said("Ingen insamlingsperiod är öppen för {study}.", study=study.name)
        raise DeliveryRefusedError(409, message)
    key = settings.NUSO_PSEUDONYM_KEY
    form = study_form(dictionary_of(study), codebook_of(latest_version()))
    posted = [read_posted(raw, at, form, key) for raw, at in zip(raws, pointers, strict=True)]
    outcomes = [Outcome(p.pointer, p.client_id) for p in posted]
    refuse_repeated_ids(posted)
    delivered = Delivered(period.name, outcomes)
    with transaction.atomic():
        Unit.objects.select_for_update().get(pk=unit.pk)  # one writer per unit, as a delivery
        made = make(token, study, unit, period, form, posted, outcomes, key)
        store(study, unit, made, actor)
        for outcome, item in zip(outcomes, posted, strict=True):
            outcome.errors = item.errors
        log(actor, "api.records", unit=unit, study=study.slug, period=period.name,
            token=token.prefix, counts=delivered.counts())  # fmt: skip
    return delivered


def refuse_repeated_ids(posted: Sequence[Posted]) -> None:
    first: dict[str, int] = {}
    for at, item in enumerate(posted):
        if not item.client_id:
            continue
        if item.client_id in first:
            item.error("id", f"Samma id finns redan i anropet (post {first[item.client_id]}).")
        first.setdefault(item.client_id, at)


def make(
    token: ApiToken, study: Study, unit: Unit, period: CollectionPeriod, form: StudyForm,
    posted: Sequence[Posted], outcomes: Sequence[Outcome], key: str,
) -> list[Made]:  # fmt: skip
    """Each valid record checked, linked and made into the registration it becomes (decisions
    first, so that a follow-up may follow a decision of the same call)."""
    stored = existing(token, study, [p.client_id for p in posted if p.client_id])
    candidates = decisions(study, unit, form, [p for p in posted if p.occasion != form.first])
    order = sorted(range(len(posted)), key=lambda i: posted[i].occasion != form.first)
    made: list[Made] = []
    for at in order:
        item, outcome = posted[at], outcomes[at]
        if not item.readable:
            continue  # its answers are checked all the same, for every error to be told
        decision = None
        if item.occasion != form.first:
            decision, outcome.note = followed(item, candidates.get(item.pseudonym, []))
            outcome.link = LINKED if decision is not None else WITHOUT_DECISION
        facts = copied(decision, form, item.occasion) if decision else dict(item.facts)
        check(item, form, key, known=facts)
        if not item.valid:
            outcome.link = outcome.note = ""
            continue
        answers = {**item.facts, **item.answers}
        prior = stored.get(item.client_id)
        one = registration_of(prior, item, answers, unit, period, token, study, outcome)
        if one is None and prior is not None and relinkable(prior, decision, outcome):
            one = prior  # the same record, whose decision has come since: linked now
        if one is None:
            continue
        one.decision = decision.registration if decision else None
        one.without_decision = item.occasion != form.first and decision is None
        row = {**facts, **item.answers}
        if item.occasion:
            row[OCCASION_VARIABLE] = item.occasion
        made.append(Made(item, outcome, one, row, dict(prior.record) if prior else None))
        if item.occasion == form.first:
            others = [
                c for c in candidates.get(item.pseudonym, [])
                if one.pk is None or c.registration.pk != one.pk
            ]  # fmt: skip
            candidates[item.pseudonym] = [*others, Candidate(answers, one)]
    if made:
        records = RecordMaker(study, period.name).records(unit.code, [m.row for m in made])
        for each, record in zip(made, records, strict=True):
            # Kept without its empty columns: the block's schema gives them back (a third of
            # the size, which the database parses and stores for every registration).
            each.registration.record = {k: v for k, v in record.items() if v is not None}
            each.outcome.pending = bool(record.get("pending"))
    return made


def registration_of(
    prior: Registration | None, item: Posted, answers: dict[str, Answer], unit: Unit,
    period: CollectionPeriod, token: ApiToken, study: Study, outcome: Outcome,
) -> Registration | None:  # fmt: skip
    """The registration the record becomes: a new one, or the one it corrects; None when it
    is the same as before (nothing to do) or may not be changed."""
    if prior is None:
        outcome.status = NEW
        return Registration(
            study=study, unit=unit, period=period, occasion=item.occasion,
            status=Registration.Status.SUBMITTED, source=Registration.Source.API,
            pseudonym=item.pseudonym, answers=answers, token=token,
            client_id=item.client_id, submitted_at=timezone.now(),
        )  # fmt: skip
    if prior.unit_id != unit.pk:
        item.error("id", "En post med samma id är redan inskickad för en annan enhet.")
        return None
    if (prior.answers, prior.pseudonym, prior.occasion) == (answers, item.pseudonym,
                                                             item.occasion):  # fmt: skip
        outcome.status, outcome.pending = UNCHANGED, bool(prior.record.get("pending"))
        outcome.note = ""
        if outcome.link:  # as it was stored, not as it would be linked now
            outcome.link = WITHOUT_DECISION if prior.without_decision else LINKED
        return None
    if not prior.period.is_open:
        item.error("id", f"Insamlingsperioden {prior.period.name} är stängd: posten kan inte "
                   "längre rättas.")  # fmt: skip
        return None
    outcome.status = CORRECTED
    prior.occasion, prior.pseudonym, prior.answers = item.occasion, item.pseudonym, answers
    prior.updated_at = timezone.now()  # bulk_update sets no auto_now
    return prior


def column_value(field: Any) -> Callable[[Registration], Any]:
    """How COPY is given a field's value: JSON as its text, the rest as it is."""
    name = field.attname
    if isinstance(field, models.JSONField):
        return lambda registration: json.dumps(getattr(registration, name), ensure_ascii=False)
    return lambda registration: getattr(registration, name)


def relinkable(prior: Registration, decision: Candidate | None, outcome: Outcome) -> bool:
    """A follow-up sent again unchanged, stored without its decision, which is found now."""
    if outcome.status != UNCHANGED or not prior.without_decision or decision is None:
        return False
    if not prior.period.is_open:
        return False
    outcome.link, outcome.note = LINKED, ""
    prior.updated_at = timezone.now()
    return True


def existing(token: ApiToken, study: Study, ids: Sequence[str]) -> dict[str, Registration]:
    """The registrations the token made earlier under these ids."""
    found: dict[str, Registration] = {}
    for start in range(0, len(ids), CHUNK):
        part = Registration.objects.filter(
            token=token, study=study, client_id__in=ids[start : start + CHUNK]
        ).select_related("period")
        found |= {r.client_id: r for r in part}
    return found


def decisions(
    study: Study, unit: Unit, form: StudyForm, follow_ups: Iterable[Posted]
) -> dict[str, list[Candidate]]:
    """The submitted decision registrations of the unit for the children of these
    follow-ups, by the child's pseudonym."""
    children = sorted({p.pseudonym for p in follow_ups if p.valid and p.pseudonym})
    found: dict[str, list[Candidate]] = {}
    for start in range(0, len(children), CHUNK):
        # By the child alone, the rest checked here: the pseudonym's index is the one that
        # finds a few rows among a unit's hundred thousand, whatever the planner's statistics.
        part = Registration.objects.filter(pseudonym__in=children[start : start + CHUNK]).only(
            "pk", "pseudonym", "answers", "study", "unit", "occasion", "status"
        )
        for registration in part.order_by("pk"):
            if (registration.study_id, registration.unit_id, registration.occasion,
                    registration.status) == (study.pk, unit.pk, form.first,
                                             Registration.Status.SUBMITTED):  # fmt: skip
                found.setdefault(registration.pseudonym, []).append(
                    Candidate(registration.answers, registration)
                )
    return found


def followed(item: Posted, candidates: Sequence[Candidate]) -> tuple[Candidate | None, str]:
    """The decision a follow-up follows: the child's one decision registration whose answers
    agree with every fact of the decision the follow-up gives (its date, its intervention).
    None, with a note, when there is none or several."""
    matching = [
        c for c in candidates
        if all(agree(c.answers.get(name), value) for name, value in item.facts.items())
    ]  # fmt: skip
    if len(matching) == 1:
        return matching[0], ""
    if matching:
        return None, said(
            "{count} registreringar vid beslut passar: ange beslutets uppgifter (t.ex. "
            "beslutsdatum och insatstyp) för att koppla posten.",
            count=len(matching),
        )
    return None, said("Ingen registrering vid beslut hittades för barnet med de uppgifterna.")


def agree(stored: Any, given: Any) -> bool:
    if isinstance(stored, list) or isinstance(given, list):
        return sorted(map(str, stored or [])) == sorted(map(str, given or []))
    return stored is not None and str(stored) == str(given)


def copied(decision: Candidate, form: StudyForm, occasion: str) -> dict[str, Any]:
    """The decision's answers to the questions this occasion does not ask: a follow-up's
    record carries them, as the form's does."""
    names = {f.name for f in form.facts(occasion)}
    return {name: value for name, value in decision.answers.items() if name in names}


def store(study: Study, unit: Unit, made: Sequence[Made], actor: Actor) -> None:
    """The new registrations created (decisions first: a follow-up may point at one), the
    corrected ones saved and audited, and the unit's delivery written for each period."""
    new = [m.registration for m in made if m.before is None]
    # Decisions first: a follow-up may point at one of them.
    insert([r for r in new if r.decision is None and not r.without_decision])
    insert([r for r in new if r.decision is not None or r.without_decision])
    corrected = [m for m in made if m.before is not None]
    if corrected:
        Registration.objects.bulk_update(
            [m.registration for m in corrected],
            ["occasion", "pseudonym", "answers", "record", "decision", "without_decision",
             "updated_at"],
            batch_size=1000,
        )  # fmt: skip
    for one in corrected:
        assert one.before is not None
        log(actor, "registration.linked" if one.relinked else "registration.corrected",
            target=one.registration, unit=unit, study=study.slug,
            occasion=one.registration.occasion, decision=one.registration.decision_id,
            changed=changed_values(one.before, one.registration.record))  # fmt: skip
    periods = {m.registration.period_id: m.registration.period for m in made}
    for pk, period in periods.items():
        known = {
            m.registration.pk: (m.registration.pseudonym, m.registration.record)
            for m in made
            if m.registration.period_id == pk
        }
        write_delivery(study, unit, period, actor, changed=list(known), known=known)
    for one in corrected:  # a corrected decision: the facts its follow-ups carry, too
        if not needs_link(one.registration):
            carry_to_followers(one.registration, actor)


def insert(registrations: Sequence[Registration]) -> None:
    """New registrations stored, their ids set: with COPY on PostgreSQL, the ids drawn from
    the table's sequence first. Django's bulk_create sends PostgreSQL its rows as arrays,
    which psycopg quotes in Python: 10 000 records (3 kB of JSON each) took 7 s so."""
    if not registrations:
        return
    if connection.vendor != "postgresql":
        Registration.objects.bulk_create(registrations, batch_size=1000)
        return
    table = Registration._meta.db_table
    fields = list(Registration._meta.concrete_fields)
    now = timezone.now()
    for registration in registrations:
        registration.created_at = registration.updated_at = now
    values = [column_value(f) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(registrations)],
        )
        for registration, (pk,) in zip(registrations, cursor.fetchall(), strict=True):
            registration.pk = pk
            if registration.decision is not None:
                registration.decision_id = registration.decision.pk  # stored before
        copying = f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(copying) as copy:
            for registration in registrations:
                copy.write_row([value(registration) for value in values])
    for registration in registrations:
        registration._state.adding, registration._state.db = False, connection.alias
