"""What a unit's manager sees of its registrations: how many at each occasion (submitted, and
drafts under way), closings registered without their decision, and the decisions whose
follow-up is overdue (the study's `follow_up_days` after the decision), each shown by its case
(date and intervention) and who registered it, never by the child."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count

from nuso.collection.models import Registration
from nuso.core.collection.answers import first_date
from nuso.core.collection.questions import occasion_labels
from nuso.studies.models import Study
from nuso.units.models import Unit


@dataclass(frozen=True)
class OccasionCount:
    label: str
    submitted: int
    drafts: int


@dataclass(frozen=True)
class Overdue:
    decided: dt.date
    described: str
    registered_by: str
    days: int


@dataclass(frozen=True)
class UnitOverview:
    occasions: tuple[OccasionCount, ...]
    without_decision: int
    overdue: tuple[Overdue, ...]
    follow_up_days: int

    @property
    def total(self) -> int:
        return sum(each.submitted for each in self.occasions)


def unit_overview(study: Study, unit: Unit, today: dt.date | None = None) -> UnitOverview:
    from nuso.collection.services import candidates_described, dictionary_of

    today = today or dt.date.today()
    dictionary = dictionary_of(study)
    found = Registration.objects.filter(study=study, unit=unit)
    counts = {
        (o, s): n for o, s, n in found.values_list("occasion", "status").annotate(n=Count("pk"))
    }
    occasions = tuple(
        OccasionCount(label, counts.get((code, "submitted"), 0), counts.get((code, "draft"), 0))
        for code, label in occasion_labels(dictionary).items()
    )
    days = dictionary.form.follow_up_days
    overdue: list[Overdue] = []
    if days and len(occasions) > 1:
        first = next(iter(occasion_labels(dictionary)))
        open_decisions = (
            found.filter(occasion=first, status=Registration.Status.SUBMITTED)
            .exclude(followed_by__status=Registration.Status.SUBMITTED)
            .select_related("author")
        )
        for decision in open_decisions:
            decided = decision_date(decision)
            if decided is not None and (today - decided).days > days:
                author = decision.author.get_username() if decision.author else "API"
                overdue.append(Overdue(decided, candidates_described(decision), author,
                                       (today - decided).days))  # fmt: skip
    without = found.filter(status=Registration.Status.SUBMITTED, without_decision=True).count()
    return UnitOverview(occasions, without, tuple(sorted(overdue, key=lambda o: o.decided)), days)


def decision_date(registration: Registration) -> dt.date | None:
    """The registration's first date answer (the decision's date), else when it was
    submitted."""
    found = first_date(registration.answers)
    if found is not None:
        return found
    return registration.submitted_at.date() if registration.submitted_at else None
