"""A registration's form as a page shows it: the questions of its occasion by section, each with
its answer so far and its error, the conditions that show it (for the script, and in words for
a page without one), the decision registrations it may follow, and the facts copied from the
one it follows. Rendered by templates/collection/form.html; no Django Form class, since the
questions come from the study's dictionary."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext

from nuso.collection import services
from nuso.collection.models import Registration
from nuso.core.collection.messages import in_words
from nuso.core.collection.questions import Field, Section, occasion_labels, sections

ASKED = "_fragor"  # a hidden input per question: a box left unticked is an answer too


@dataclass(frozen=True)
class Shown:
    """One question on the page."""

    field: Field
    value: Any  # the answer so far: a text, or a list for several
    error: str
    condition: str  # the condition in words ("Besvaras om Insatstyp är Familjehem")

    @property
    def values(self) -> list[str]:
        if isinstance(self.value, list):
            return [str(v) for v in self.value]
        return [] if self.value in (None, "") else [str(self.value)]

    @property
    def shown_if_json(self) -> str:
        return json.dumps({name: list(answers) for name, answers in self.field.shown_if})

    @property
    def input_type(self) -> str:
        """How the answer is given: radio buttons, tick boxes, a number, a date or a text."""
        if self.field.type == "categories":
            return "checkbox"
        if self.field.choices:
            return "radio"
        return {"integer": "number", "date": "date"}.get(self.field.type, "text")


@dataclass(frozen=True)
class ShownSection:
    title: str
    questions: tuple[Shown, ...]


class FormPage:
    def __init__(self, registration: Registration) -> None:
        self.registration = registration
        study = registration.study
        self.dictionary = services.dictionary_of(study)
        self.fields = tuple(
            in_page_words(f) for f in services.questions(study, registration.occasion)
        )
        self.sections: tuple[Section, ...] = sections(self.dictionary, self.fields)
        self.occasion_label = occasion_labels(self.dictionary).get(registration.occasion, "")

    @property
    def title(self) -> str:
        occasion = f" – {self.occasion_label.lower()}" if self.occasion_label else ""
        return f"{self.registration.study.name}{occasion}"

    def context(
        self, errors: Mapping[str, str] | None = None, missing: Sequence[str] = (),
        identity_error: str = "",
    ) -> dict[str, Any]:  # fmt: skip
        errors = errors or {}
        registration = self.registration
        answers = registration.answers
        labels = {f.name: f for f in self.fields}
        shown = tuple(
            ShownSection(section.title, tuple(
                Shown(f, answers.get(f.name), errors.get(f.name, ""), self.condition(f, labels))
                for f in section.fields
            ))
            for section in self.sections
        )  # fmt: skip
        summary = [self.summary_line(name, text, labels) for name, text in errors.items()]
        return {
            "registration": registration,
            "page": self,
            "sections": shown,
            "errors": summary,
            "missing": list(missing),
            "identity_error": identity_error,
            "candidates": services.candidates(registration),
            "needs_link": services.needs_link(registration),
            "copied": self.copied(),
            "linked": services.candidates_described(registration.decision)
            if registration.decision
            else "",
            "closed": not registration.period.is_open,
        }

    def summary_line(
        self, name: str, text: str, on_page: Mapping[str, Field]
    ) -> tuple[str, str, str]:
        """An error as the summary lists it: the id of the question's first input to go
        to, its label, the message. An error of an answer not asked on this page (a fact
        copied from the decision) has no link, and its variable's label."""
        asked = on_page.get(name)
        if asked is None:
            labels = {v.name: v.label for v in self.dictionary.variables}
            return "", labels.get(name, name), text
        first = f"{name}-{asked.codes[0]}" if asked.choices else name
        return first, asked.label, text

    def condition(self, asked: Field, by_name: Mapping[str, Field]) -> str:
        parts = []
        for name, wanted in asked.shown_if:
            other = by_name.get(name)
            if other is None:
                continue
            choices = dict(other.choices)
            parts.append(
                f"{other.label.rstrip('?')}: {', '.join(choices.get(w, w) for w in wanted)}"
            )
        if not parts:
            return ""
        return gettext("Besvaras bara om %(conditions)s.") % {"conditions": "; ".join(parts)}

    def copied(self) -> list[tuple[str, str]]:
        """The facts copied from the decision registration, as label and answer."""
        decision = self.registration.decision
        if decision is None:
            return []
        asked = {f.name for f in self.fields}
        first = services.questions(decision.study, decision.occasion)
        shown = []
        for question in first:
            if question.name in asked or question.name not in decision.answers:
                continue
            value = decision.answers[question.name]
            choices = dict(question.choices)
            values = value if isinstance(value, list) else [value]
            shown.append((question.label, ", ".join(choices.get(str(v), str(v)) for v in values)))
        return shown


def posted_answers(data: QueryDict, fields: Sequence[Field]) -> dict[str, Any]:
    """The answers a page sent: every question it showed (named in ASKED), a list for
    several, "" for a question left unanswered."""
    on_page = set(data.getlist(ASKED))
    posted: dict[str, Any] = {}
    for asked in fields:
        if asked.name not in on_page:
            continue
        if asked.type == "categories":
            posted[asked.name] = data.getlist(asked.name)
        else:
            posted[asked.name] = data.get(asked.name, "")
    return posted


def in_page_words(asked: Field) -> Field:
    """A question with nuso.core's own answer labels ("Vet ej / uppgift saknas") in the
    page's language; the study's own labels as its dictionary has them."""
    return replace(
        asked, choices=tuple((code, in_words(label, gettext)) for code, label in asked.choices)
    )
