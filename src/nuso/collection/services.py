"""What social workers, managers and analysts do with registrations: open and close a study's
collection period; start a registration, save its draft as it is typed, type the child's
identity number once, link a follow-up or closing to the decision it follows, submit, correct
until the period closes, and discard a draft. Every change is audited (with the variables
changed, never the answers); the identity number is pseudonymised on arrival and kept nowhere.

Access is checked here, not in the views: a social worker reaches only their own drafts and
registrations of their own units."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from nuso.accounts.models import User
from nuso.audit.services import Actor, log
from nuso.collection.delivery import write_delivery
from nuso.collection.models import CollectionPeriod, Registration
from nuso.collection.records import RecordMaker
from nuso.core.collection.answers import Checked, check_answers, is_empty
from nuso.core.collection.identity import IdentityError, read_identity
from nuso.core.collection.messages import in_words, message_of
from nuso.core.collection.questions import (
    OCCASION_VARIABLE,
    Field,
    asked_at,
    fields,
    occasion_labels,
    occasions,
)
from nuso.core.countries import canonical_key
from nuso.core.harmonise.dictionary import StudyDictionary, dictionary_from_stored
from nuso.core.intake import blocks
from nuso.core.intake.pseudonyms import pseudonymise
from nuso.intake.services import ImportRefusedError, period_middle
from nuso.studies.codebooks import codebook_of, latest_version
from nuso.studies.models import CodebookVersion, Study
from nuso.units.models import Unit

BORN = "_fodd"  # a draft's birth date from the identity number: for the age check, then dropped


def dictionary_of(study: Study) -> StudyDictionary:
    return _dictionary(study.pk, study.updated_at, study)


@lru_cache(maxsize=32)
def _dictionary(pk: int, updated: dt.datetime, study: Study) -> StudyDictionary:
    """A study's dictionary, read once per change of its definitions (every page and save
    asks for it)."""
    return dictionary_from_stored(study.dictionary)


def questions(study: Study, occasion: str) -> tuple[Field, ...]:
    """The questions asked at the occasion, once per change of the study or the codebook."""
    version = latest_version()
    return _questions(study.pk, study.updated_at, version.pk, occasion, study, version)


@lru_cache(maxsize=64)
def _questions(
    pk: int, updated: dt.datetime, version_pk: int, occasion: str, study: Study,
    version: CodebookVersion,
) -> tuple[Field, ...]:  # fmt: skip
    return fields(dictionary_of(study), occasion, codebook_of(version))


def form_studies() -> QuerySet[Study]:
    """The studies collected by form: those whose source is a survey."""
    return Study.objects.filter(dictionary__source="survey").order_by("number")


def occasion_choices(study: Study) -> list[tuple[str, str]]:
    """The study's occasions as (code, label), for choosing what to register."""
    return list(occasion_labels(dictionary_of(study)).items())


def period_counts() -> dict[int, dict[str, int]]:
    """For each period, its registrations by status."""
    counts: dict[int, dict[str, int]] = {}
    rows = Registration.objects.values_list("period_id", "status").annotate(n=Count("pk"))
    for period, status, n in rows:
        counts.setdefault(period, {})[status] = n
    return counts


# Collection periods ---------------------------------------------------------------------


def open_period(study: Study, name: str, actor: Actor) -> CollectionPeriod:
    """A new open period (a year, 2026, or a span, 2026-01-01--2026-06-30)."""
    if actor.user is not None and not actor.user.sees_all_units:
        raise PermissionDenied("Insamlingsperioder öppnas av analytiker.")
    try:
        period_middle(name)
    except ImportRefusedError as error:
        raise ValidationError(str(error.problems[0].message)) from None
    if CollectionPeriod.objects.filter(study=study, name=name).exists():
        raise ValidationError(
            gettext("Perioden %(name)s finns redan för %(study)s.")
            % {"name": name, "study": study.name}
        )
    now_open = current_period(study)
    if now_open is not None:
        raise ValidationError(
            gettext("Perioden %(name)s är öppen för %(study)s: stäng den först.")
            % {"name": now_open.name, "study": study.name}
        )
    try:
        with transaction.atomic():
            period = CollectionPeriod.objects.create(study=study, name=name)
    except IntegrityError:  # the same period opened at once by another request
        raise ValidationError(
            gettext("Perioden %(name)s finns redan för %(study)s.")
            % {"name": name, "study": study.name}
        ) from None
    log(actor, "collection.period_opened", target=period, study=study.slug, period=name)
    return period


def close_period(period: CollectionPeriod, actor: Actor) -> None:
    """Registrations of a closed period are final; its drafts can no longer be submitted."""
    if actor.user is not None and not actor.user.sees_all_units:
        raise PermissionDenied("Insamlingsperioder stängs av analytiker.")
    period.closed_at = timezone.now()
    period.save(update_fields=["closed_at"])
    log(actor, "collection.period_closed", target=period, period=period.name)


def periods_of(study: Study) -> QuerySet[CollectionPeriod]:
    return CollectionPeriod.objects.filter(study=study)


def current_period(study: Study) -> CollectionPeriod | None:
    return CollectionPeriod.objects.filter(study=study, closed_at__isnull=True).first()


# Whose registrations ------------------------------------------------------------------


def registering_units(user: User) -> QuerySet[Unit]:
    """The units a user registers for: a social worker's own (analysts register for none)."""
    if not user.is_social_worker:
        return Unit.objects.none()
    return Unit.objects.filter(users=user, active=True).order_by("name")


def own_registration(user: User, pk: int) -> Registration:
    """A social worker's own registration, else 404 (another's is not confirmed to exist)."""
    found = Registration.objects.select_related("study", "unit", "period", "decision")
    registration = found.filter(pk=pk, author=user, unit__in=registering_units(user)).first()
    if registration is None:
        raise Http404("Registreringen finns inte eller är inte din.")
    return registration


def drafts_of(user: User) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(
            author=user, status=Registration.Status.DRAFT, unit__in=registering_units(user)
        )
        .select_related("study", "unit", "period")
        .order_by("-updated_at")
    )


def submitted_by(user: User) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(author=user, status=Registration.Status.SUBMITTED)
        .select_related("study", "unit", "period")
        .order_by("-submitted_at")
    )


# Drafts ---------------------------------------------------------------------------------


def start(user: User, study: Study, unit_code: str, occasion: str) -> Registration:
    """A new draft: of the user's own unit, in the study's open period, at one of its
    occasions."""
    unit = registering_units(user).filter(code=canonical_key(unit_code)).first()
    if unit is None:
        raise PermissionDenied("Du registrerar inte för den enheten.")
    if unit.country != study.country:  # a study's figures are one country's
        raise PermissionDenied(
            gettext("%(study)s gäller inte enheter i %(country)s.")
            % {"study": study.name, "country": unit.get_country_display()}
        )
    period = current_period(study)
    if period is None:
        raise ValidationError(
            gettext("Ingen insamlingsperiod är öppen för %(study)s.") % {"study": study.name}
        )
    if occasion not in occasions(dictionary_of(study)):
        raise ValidationError(gettext("Okänt tillfälle."))
    registration = Registration.objects.create(
        study=study, unit=unit, period=period, occasion=occasion, author=user
    )
    log(Actor.of_user(user), "registration.started", target=registration, unit=unit,
        study=study.slug, occasion=occasion)  # fmt: skip
    return registration


@dataclass
class Saved:
    errors: dict[str, str] = field(default_factory=dict)
    identity_error: str = ""
    at: dt.datetime | None = None
    filled: dict[str, Any] = field(default_factory=dict)  # answered from the identity number


def save_draft(
    registration: Registration, user: User, posted: Mapping[str, Any], identity: str = ""
) -> Saved:
    """Everything typed into a draft, kept as typed (identity numbers in it masked): a
    draft holds what is not yet right too. The identity number, when given, becomes the
    pseudonym here and goes no further. Returns what is wrong so far (shown beside the
    answers; not a refusal). A submitted registration is changed only by `correct`: its
    record, and the data, stay as submitted until then. The row is locked meanwhile: a save
    that arrives after a submission finds it submitted and is refused."""
    with transaction.atomic():
        locked = _locked(registration, user)
        if locked.status != Registration.Status.DRAFT:
            raise PermissionDenied(
                gettext("Registreringen är inskickad: rätta den med Spara rättelsen.")
            )
        saved = Saved()
        locked.answers, saved.filled, saved.identity_error = _typed(locked, posted, identity)
        fields = ["answers", "pseudonym", "decision", "without_decision", "updated_at"]
        locked.save(update_fields=fields)
    registration.refresh_from_db()  # the caller's object as saved
    saved.errors = shown(_check(registration, complete=False).errors)
    saved.at = registration.updated_at
    return saved


def _locked(registration: Registration, user: User) -> Registration:
    """The registration read again under a row lock (in a transaction), checked to be the
    user's own and in an open period."""
    own_registration(user, registration.pk)
    locked = Registration.objects.select_for_update(of=("self",)).select_related(
        "study", "unit", "period", "decision"
    ).get(pk=registration.pk)  # fmt: skip
    _may_change(locked, user)
    return locked


def _typed(
    registration: Registration, posted: Mapping[str, Any], identity: str
) -> tuple[dict[str, Any], dict[str, Any], str]:
    """The registration's answers with what was typed (and its child, when a number was),
    the answers filled from the number, and why the number could not be used ("")."""
    key = settings.NUSO_PSEUDONYM_KEY
    answers = {**registration.answers}
    for question in questions(registration.study, registration.occasion):
        if question.name in posted:
            answers[question.name] = _masked(posted[question.name], key)
    if not identity.strip():
        return answers, {}, ""
    try:
        found = read_identity(identity, key)
    except IdentityError as error:
        return answers, {}, in_words(message_of(error), gettext)
    filled = _identify(registration, answers, found.pseudonym, found.birth_date, found.sex)
    return answers, filled, ""


def _identify(
    registration: Registration, answers: dict[str, Any], pseudonym: str, born: dt.date, sex: str
) -> dict[str, Any]:
    """The child of the registration: its pseudonym, and what the number tells (sex, birth
    date) where the form asks it; returns the answers filled. Another child than before
    undoes the link and the facts copied with it, and takes the new child's sex."""
    names = {question.name for question in questions(registration.study, registration.occasion)}
    another = bool(registration.pseudonym) and registration.pseudonym != pseudonym
    if another:
        registration.decision, registration.without_decision = None, False
        for name in [n for n in answers if n not in names and n != BORN]:
            del answers[name]  # facts copied from the other child's decision
    registration.pseudonym = pseudonym
    answers[BORN] = born.isoformat()
    if "kon" in names and (another or is_empty(answers.get("kon"))):
        answers["kon"] = sex
        return {"kon": sex}
    return {}


def _masked(value: Any, key: str) -> Any:
    if isinstance(value, list | tuple):
        return [pseudonymise(str(v), key)[0] for v in value]
    return pseudonymise(str(value), key)[0] if value is not None else None


def discard(registration: Registration, user: User) -> None:
    """A draft removed, whatever its period: a closed period's drafts can no longer be
    submitted, and what they hold about a child should not stay."""
    if registration.status != Registration.Status.DRAFT:
        raise PermissionDenied("Bara utkast kan kastas; en inskickad registrering rättas.")
    own_registration(user, registration.pk)
    log(Actor.of_user(user), "registration.discarded", target=registration,
        unit=registration.unit, study=registration.study.slug)  # fmt: skip
    registration.delete()


def _may_change(registration: Registration, user: User) -> None:
    own_registration(user, registration.pk)
    if not registration.period.is_open:
        raise PermissionDenied(
            gettext(
                "Insamlingsperioden %(period)s är stängd: registreringen kan inte längre ändras."
            )
            % {"period": registration.period.name}
        )


# Following one intervention over time --------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A decision registration a follow-up may belong to, as the worker sees it (no number)."""

    pk: int
    described: str


def first_occasion(study: Study) -> str:
    return occasions(dictionary_of(study))[0]


def candidates(registration: Registration) -> list[Candidate]:
    """The submitted decision registrations of the same child, study and unit that this
    follow-up or closing may follow: newest first, each shown by its date, intervention and
    occasion."""
    study = registration.study
    first = first_occasion(study)
    if registration.occasion in ("", first) or not registration.pseudonym:
        return []
    found = Registration.objects.filter(
        study=study, unit=registration.unit, pseudonym=registration.pseudonym,
        occasion=first, status=Registration.Status.SUBMITTED,
    ).order_by("-submitted_at")  # fmt: skip
    asked = {q.name: q for q in questions(study, first)}
    labels = dict(_occasion_labels(study))
    return [Candidate(r.pk, _described(r, asked, labels)) for r in found]


def candidates_described(registration: Registration) -> str:
    """A registration as a list of candidates shows it: its occasion and case."""
    study = registration.study
    asked = {q.name: q for q in questions(study, registration.occasion)}
    return _described(registration, asked, _occasion_labels(study))


def _occasion_labels(study: Study) -> Mapping[str, str]:
    return occasion_labels(dictionary_of(study))


def _described(
    registration: Registration, asked: Mapping[str, Field], labels: Mapping[str, str]
) -> str:
    """'Vid beslut · När beslutades insatsen: 2026-03-02 · Vilken insats …: Kontaktfamilj':
    the answers that tell one case from another (the study's `case`, dates first), else
    its dates."""
    case = dictionary_of(registration.study).case
    key = case.key if case else ()
    dates = [name for name, q in asked.items() if q.type == "date"]
    names = sorted(key, key=lambda name: name not in dates) if key else dates
    parts = [labels.get(registration.occasion, registration.occasion)]
    for name in names:
        question, value = asked.get(name), registration.answers.get(name)
        if question is None or value in (None, "", []):
            continue
        shown = dict(question.choices).get(str(value), str(value))
        parts.append(f"{question.label.rstrip('?')}: {shown}")
    return " · ".join(parts)


def link(registration: Registration, user: User, decision_pk: int | None) -> None:
    """The decision this follow-up or closing follows (None: registered without one, which
    is allowed and flagged). The facts asked only at the decision are copied from it, in
    place of any copied before: the worker does not type them again, and the records of
    all occasions carry them."""
    with transaction.atomic():
        locked = _locked(registration, user)
        if locked.status != Registration.Status.DRAFT or not needs_link(locked):
            raise PermissionDenied("Bara ett utkast vid uppföljning eller avslut kopplas.")
        decision = None
        if decision_pk is not None:
            if decision_pk not in {c.pk for c in candidates(locked)}:
                raise Http404("Registreringen vid beslut finns inte för barnet.")
            decision = Registration.objects.get(pk=decision_pk)
        locked.answers = with_facts(locked, locked.answers, decision)
        locked.decision, locked.without_decision = decision, decision is None
        locked.save(update_fields=["decision", "without_decision", "answers", "updated_at"])
    registration.refresh_from_db()
    log(Actor.of_user(user), "registration.linked", target=registration,
        unit=registration.unit, decision=decision_pk)  # fmt: skip


def with_facts(
    registration: Registration, answers: Mapping[str, Any], decision: Registration | None
) -> dict[str, Any]:
    """The answers with the facts of `decision` in place of those copied before (none
    when there is no decision)."""
    asked = {q.name for q in questions(registration.study, registration.occasion)}
    kept = {name: value for name, value in answers.items() if name in asked or name == BORN}
    return {**kept, **(copied_facts(registration, decision) if decision else {})}


def copied_facts(registration: Registration, decision: Registration) -> dict[str, Any]:
    """The decision's answers to the questions not asked at this occasion."""
    dictionary = dictionary_of(registration.study)
    kept = {
        v.name
        for v in dictionary.variables
        if not asked_at(v, registration.occasion) and asked_at(v, decision.occasion)
    }
    return {name: value for name, value in decision.answers.items() if name in kept}


# Submission -----------------------------------------------------------------------------


def check(registration: Registration) -> Checked:
    return _check(registration, complete=True)


def _check(registration: Registration, complete: bool) -> Checked:
    study = registration.study
    dictionary = dictionary_of(study)
    born = registration.answers.get(BORN)
    return check_answers(
        questions(study, registration.occasion),
        registration.answers,
        complete=complete,
        checks=dictionary.form.checks,
        birth_date=dt.date.fromisoformat(born) if born else None,
        pseudonym_key=settings.NUSO_PSEUDONYM_KEY,
        known=_carried(registration),
    )


@dataclass
class Submitted:
    errors: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # registration-level: identity, link

    @property
    def done(self) -> bool:
        return not self.errors and not self.missing


def submit(registration: Registration, user: User) -> Submitted:
    """A draft submitted: checked complete, made into its record, and the unit's delivery of
    the period written anew; under the row's lock, so that a draft's save arriving at once
    is refused rather than undoing it."""
    with transaction.atomic():
        locked = _locked(registration, user)
        if locked.status != Registration.Status.DRAFT:
            raise PermissionDenied("Registreringen är redan inskickad.")
        outcome = _submitted(locked, user, correcting=False)
    registration.refresh_from_db()
    return outcome


def correct(
    registration: Registration, user: User, posted: Mapping[str, Any], identity: str = ""
) -> tuple[Registration, Submitted]:
    """A submitted registration corrected with what was posted: saved, made into its record
    and audited only when it is complete, else nothing of it is kept (the data hold the
    registration as last submitted). Returns the registration with what was posted, to show
    again beside what is wrong."""
    with transaction.atomic():
        registration = _locked(registration, user)
        if registration.status != Registration.Status.SUBMITTED:
            raise PermissionDenied("Bara en inskickad registrering rättas.")
        child = registration.pseudonym
        registration.answers, _, identity_error = _typed(registration, posted, identity)
        if identity_error:
            return registration, Submitted(missing=[f"{gettext('Personnumret:')} {identity_error}"])
        linked = needs_link(registration) or registration.followed_by.exists()
        if registration.pseudonym != child and linked:
            registration.pseudonym = child
            message = gettext("Barnet kan inte bytas i en inskickad registrering som hör ihop "
                              "med andra: registrera i stället en ny för rätt barn.")  # fmt: skip
            return registration, Submitted(missing=[message])
        outcome = _submitted(registration, user, correcting=True)
        if not outcome.done:
            transaction.set_rollback(True)
        return registration, outcome


def gaps(registration: Registration, number_refused: bool = False) -> Submitted:
    """What a submission of the draft as saved would be refused for (nothing is sent).
    `number_refused`: an identity number was typed and refused, and its own message beside
    it says so (not again among the gaps)."""
    found = missing(registration, ask_for_number=not number_refused)
    return Submitted(errors=shown(check(registration).errors), missing=found)


def _submitted(registration: Registration, user: User, correcting: bool) -> Submitted:
    checked = check(registration)
    outcome = Submitted(errors=shown(checked.errors), missing=missing(registration))
    if not outcome.done:
        return outcome
    before = dict(registration.record)
    answers = {**_carried(registration), **checked.answers}
    maker = RecordMaker(registration.study, registration.period.name)
    record = maker.records(registration.unit.code, [_with_occasion(registration, answers)])[0]
    registration.answers = answers
    registration.record = record
    registration.status = Registration.Status.SUBMITTED
    registration.submitted_at = registration.submitted_at or timezone.now()
    registration.save()
    actor = Actor.of_user(user)
    write_delivery(registration.study, registration.unit, registration.period, actor,
                   changed=[registration.pk])  # fmt: skip
    if correcting:
        carry_to_followers(registration, actor)
    log(actor, "registration.corrected" if correcting else "registration.submitted",
        target=registration, unit=registration.unit, study=registration.study.slug,
        occasion=registration.occasion,
        changed=changed_values(before, record) if correcting else None)  # fmt: skip
    return outcome


def carry_to_followers(decision: Registration, actor: Actor) -> None:
    """A corrected decision's facts copied anew into the follow-ups and closings linked to
    it, in place of those copied before: drafts' answers, and submitted ones' answers and
    records, whose deliveries are rewritten (in periods still open: a closed period's are
    final). Each submitted one changed is audited as corrected, with its variables."""
    changed: dict[int, list[Registration]] = {}
    for follower in decision.followed_by.select_related("study", "unit", "period"):
        answers = with_facts(follower, follower.answers, decision)
        if answers == follower.answers or not follower.period.is_open:
            continue
        follower.answers = answers
        if follower.status == Registration.Status.DRAFT:
            follower.save(update_fields=["answers", "updated_at"])
            continue
        before = follower.record
        maker = RecordMaker(follower.study, follower.period.name)
        follower.record = maker.records(follower.unit.code, [_with_occasion(follower, answers)])[0]
        follower.save(update_fields=["answers", "record", "updated_at"])
        changed.setdefault(follower.period_id, []).append(follower)
        log(actor, "registration.corrected", target=follower, unit=follower.unit,
            study=follower.study.slug, occasion=follower.occasion, decision=decision.pk,
            changed=changed_values(before, follower.record))  # fmt: skip
    for these in changed.values():
        first = these[0]
        write_delivery(first.study, first.unit, first.period, actor,
                       changed=[each.pk for each in these])  # fmt: skip


def changed_values(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The variables whose values a correction changed (names only: the audit keeps no
    answer)."""
    names = {k for k in set(before) | set(after) if k.startswith(blocks.VALUE)}
    return sorted(k.removeprefix(blocks.VALUE) for k in names if before.get(k) != after.get(k))


def needs_link(registration: Registration) -> bool:
    """Whether the registration follows a decision (a follow-up or a closing)."""
    return registration.occasion not in ("", first_occasion(registration.study))


def missing(registration: Registration, ask_for_number: bool = True) -> list[str]:
    """What a registration lacks beside its answers; without `ask_for_number` the identity
    number is not asked for (a typed one was refused, and its own message says so)."""
    found = []
    if not registration.pseudonym and ask_for_number:
        found.append(gettext("Ange barnets personnummer eller samordningsnummer."))
    unlinked = registration.decision is None and not registration.without_decision
    if needs_link(registration) and unlinked:
        found.append(
            gettext("Välj den registrering vid beslut som detta gäller, eller ange att den saknas.")
        )
    return found


def shown(errors: Mapping[str, str]) -> dict[str, str]:
    """The answers' errors in the page's language (a study's own messages as it has them)."""
    return {name: in_words(message, gettext) for name, message in errors.items()}


def _carried(registration: Registration) -> dict[str, Any]:
    """The answers not asked at this occasion that it keeps: the facts copied from its
    decision (the birth date from the identity number is no answer, and is dropped)."""
    asked = {q.name for q in questions(registration.study, registration.occasion)}
    return {k: v for k, v in registration.answers.items() if k not in asked and k != BORN}


def _with_occasion(registration: Registration, answers: Mapping[str, Any]) -> dict[str, Any]:
    if registration.occasion:
        return {**answers, OCCASION_VARIABLE: registration.occasion}
    return dict(answers)
