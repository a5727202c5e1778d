"""Every study collected by survey gets a form from its dictionary, with no code of its own:
each occasion's questions answered (the first answer of each, a date, the age the identity
number gives) make a registration whose record holds exactly those answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nuso.audit.services import Actor
from nuso.collection import services
from nuso.collection.models import Registration
from nuso.core.collection.answers import years_between
from nuso.core.collection.questions import Field, is_shown, occasions
from nuso.intake.record_frames import record_frame
from tests.conftest import identity_number

BORN = dt.date(2012, 6, 1)
DATE = "2026-03-02"


def an_answer(field: Field) -> Any:
    if field.type == "categories":
        return [field.codes[0]]
    if field.choices:
        return field.codes[0]
    if field.type == "integer":
        return str(years_between(BORN, dt.date.fromisoformat(DATE)))
    if field.type == "date":
        return DATE
    return "Fritext"


@pytest.mark.django_db
def test_every_survey_study_and_occasion_can_be_registered(follow_up) -> None:
    worker = follow_up["worker"]
    studies = list(services.form_studies())
    assert {s.slug for s in studies} >= {"avslutade_utredningar", "insatsuppfoljning"}
    for study in studies:
        if services.current_period(study) is None:
            services.open_period(study, "2026", Actor.command_line())
        for occasion in occasions(services.dictionary_of(study)):
            draft = services.start(worker, study, "1780", occasion)
            asked = services.questions(study, occasion)
            answers = {f.name: an_answer(f) for f in asked}
            services.save_draft(draft, worker, answers, identity_number(BORN, 123))
            draft.refresh_from_db()
            if services.needs_link(draft):
                services.link(draft, worker, None)
            outcome = services.submit(draft, worker)
            assert outcome.done, (study.slug, occasion, outcome.errors, outcome.missing)
            record = Registration.objects.get(pk=draft.pk).record
            for field in asked:
                if not is_shown(field, answers):
                    continue
                value = record[f"value:{field.name}"]
                given = answers[field.name]
                expected = {"integer": int, "boolean": lambda a: a == "ja"}.get(
                    field.type, lambda a: a)(given)  # fmt: skip
                if field.choices and given == "vet_ej":
                    expected = None
                assert value == expected, (study.slug, occasion, field.name, value, given)
        assert record_frame(study).height == len(occasions(services.dictionary_of(study)))
