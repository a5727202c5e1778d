"""A registration's answers checked against the questions of its occasion: each answer read
as its variable's type and range, questions not shown by the other answers dropped (an answer
to a hidden question is no answer), required answers asked for on submission only (a draft
may be anything partial), and the study's checks across answers. Every message is Swedish
and names no value it was given: an identity number typed into the wrong box goes no further
than this check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nuso.core.collection.messages import message_of, said, unit_word
from nuso.core.collection.questions import UNKNOWN, Field, is_shown
from nuso.core.harmonise.form_spec import AnswerCheck
from nuso.core.intake.pseudonyms import pseudonymise

Answer = str | int | list[str]
MAX_TEXT = 2000


@dataclass
class Checked:
    answers: dict[str, Answer] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # variable -> message

    @property
    def valid(self) -> bool:
        return not self.errors


def check_answers(
    fields: Sequence[Field],
    given: Mapping[str, Any],
    *,
    complete: bool,
    checks: Sequence[AnswerCheck] = (),
    birth_date: dt.date | None = None,
    today: dt.date | None = None,
    pseudonym_key: str = "",
    known: Mapping[str, Answer] | None = None,
) -> Checked:
    """The answers as stored, and what is wrong with them. `complete`: the registration is
    submitted, so every required question shown must be answered. `birth_date` (from the
    identity number) is what an age is checked against; `known` are answers given at an
    earlier occasion (the decision's date), which the checks across answers see too."""
    today = today or dt.date.today()
    checked = Checked()
    for asked in fields:  # read first, so that conditions see the read answers
        value = given.get(asked.name)
        if is_empty(value):
            continue
        try:
            checked.answers[asked.name] = read_answer(asked, value, today, pseudonym_key)
        except ValueError as error:
            checked.errors[asked.name] = message_of(error)
    for asked in fields:
        if not is_shown(asked, checked.answers):
            checked.answers.pop(asked.name, None)
            checked.errors.pop(asked.name, None)
        elif complete and asked.required and asked.name not in checked.answers:
            checked.errors.setdefault(asked.name, said("Frågan behöver ett svar."))
    seen = {**(known or {}), **checked.answers}
    for check in checks:
        message = check_across(check, seen, birth_date, today)
        if message:
            checked.errors.setdefault(check.variables[0], message)
    return checked


def is_empty(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return not any(str(v).strip() for v in value)
    return value is None or str(value).strip() == ""


def read_answer(asked: Field, value: Any, today: dt.date, key: str) -> Answer:
    """One answer as its variable's type; ValueError with the Swedish message."""
    if asked.type == "categories":
        values = [str(v).strip() for v in (value if isinstance(value, list | tuple) else [value])]
        values = [v for v in dict.fromkeys(values) if v]
        if any(v not in asked.codes for v in values):
            raise ValueError(said("Välj bland svarsalternativen."))
        if UNKNOWN in values and len(values) > 1:
            raise ValueError(said("”Vet ej” kan inte kombineras med andra svar."))
        return values
    text = str(value).strip()
    if asked.choices:
        if text not in asked.codes:
            raise ValueError(said("Välj ett av svarsalternativen."))
        return text
    if asked.type == "integer":
        return read_integer(asked, text)
    if asked.type == "date":
        return read_date(text, today)
    if len(text) > MAX_TEXT:
        raise ValueError(said("Svaret får vara högst {most} tecken.", most=MAX_TEXT))
    return pseudonymise(text, key, today)[0] if key else text  # no identity number kept


def read_integer(asked: Field, text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise ValueError(said("Ange ett heltal.")) from None
    low, high = asked.minimum, asked.maximum
    unit = unit_word(asked.unit)
    if (low is not None and number < low) or (high is not None and number > high):
        if low is None:
            raise ValueError(said("Ange ett tal som är högst {high}{unit}.", high=high, unit=unit))
        if high is None:
            raise ValueError(said("Ange ett tal som är minst {low}{unit}.", low=low, unit=unit))
        raise ValueError(
            said("Ange ett tal mellan {low} och {high}{unit}.", low=low, high=high, unit=unit)
        )
    return number


def read_date(text: str, today: dt.date) -> str:
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(said("Ange datumet som ÅÅÅÅ-MM-DD.")) from None
    if date > today:
        raise ValueError(said("Datumet kan inte vara i framtiden."))
    if date.year < 2000:
        raise ValueError(said("Datumet är orimligt tidigt."))
    return date.isoformat()


def check_across(
    check: AnswerCheck, answers: Mapping[str, Answer], birth: dt.date | None, today: dt.date
) -> str:
    """The check's message when the answers break it, else ""."""
    if check.kind == "after":
        later, earlier = (answers.get(name) for name in check.variables)
        if isinstance(later, str) and isinstance(earlier, str) and later < earlier:
            return check.message or said("Datumet kan inte vara före det andra datumet.")
        return ""
    if check.kind == "age_of_identity":
        age = answers.get(check.variables[0])
        if birth is None or not isinstance(age, int):
            return ""
        on = first_date(answers) or today
        expected = years_between(birth, on)
        if abs(age - expected) > 0:
            return check.message or said(
                "Åldern stämmer inte med personnumret: barnet var {age} år den {day}.",
                age=expected, day=on.isoformat(),
            )  # fmt: skip
    return ""


def first_date(answers: Mapping[str, Answer]) -> dt.date | None:
    """The registration's first date answer (the decision's date, say): the day an age
    refers to."""
    dates = sorted(v for v in answers.values() if isinstance(v, str) and is_iso_date(v))
    return dt.date.fromisoformat(dates[0]) if dates else None


def is_iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def years_between(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
