"""What a study's web form needs, read from its dictionary (issue 19): for each variable the
question as asked, its help text (the definition a social worker needs), its section, whether
"vet ej / uppgift saknas" is an answer, the occasions it is asked at and the answers of other
questions that show it; for the study its sections, its occasions (decision, follow-up,
closing) and checks across answers (a closing date after the decision date; an age that
agrees with the identity number). All of it is optional: a variable without `form:` is asked
with its label, in the study's only section, at every occasion.

Every problem names the study's file, the variable and the key (`variables.insatstyper.form.
shown_if.insats`), like the rest of the dictionary's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from nuso.core.errors import Problem

QUESTION_KEYS = frozenset({"question", "help", "section", "unknown", "shown_if", "occasions"})
STUDY_KEYS = frozenset({"sections", "occasions", "checks", "follow_up_days"})
CHECKS = {"after": 2, "age_of_identity": 1}  # kind -> how many variables it names
BOOLEAN_ANSWERS = {"ja": "ja", "nej": "nej", "true": "ja", "false": "nej"}


class Asked(Protocol):
    """What the form needs to know of a variable (nuso.core.harmonise.dictionary)."""

    @property
    def name(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def categories(self) -> dict[str, str]: ...
    @property
    def codebook(self) -> str | None: ...


@dataclass(frozen=True)
class Question:
    text: str = ""  # the question as asked; empty: the variable's label
    help: str = ""
    section: str = ""
    unknown: bool = False  # "vet ej / uppgift saknas" is an answer
    shown_if: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (variable, answers that show it)
    occasions: tuple[str, ...] = ()  # empty: every occasion


@dataclass(frozen=True)
class AnswerCheck:
    kind: str  # "after": the first date on or after the second; "age_of_identity"
    variables: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class FormSpec:
    sections: tuple[str, ...] = ()
    occasions: tuple[str, ...] = ()
    checks: tuple[AnswerCheck, ...] = ()
    # Days after the first occasion within which the next is due (0: none is): a decision
    # not followed up by then is overdue on the manager's overview.
    follow_up_days: int = 0


def study_form(spec: Any, source: str, problems: list[Problem]) -> FormSpec:
    """The study's `form:`: sections, occasions and checks (checked against the variables
    by `checks_problems`)."""
    if spec is None:
        return FormSpec()
    if not isinstance(spec, Mapping):
        problems.append(_problem("bad-form", "form ska vara en tabell.", source, "form"))
        return FormSpec()
    problems += _unknown_keys(spec, STUDY_KEYS, "form", source)
    checks = tuple(_check(each, at, source, problems)
                   for at, each in enumerate(spec.get("checks") or ()))  # fmt: skip
    days = spec.get("follow_up_days") or 0
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        message = "follow_up_days ska vara ett antal dagar (ett heltal, 0 eller mer)."
        problems.append(_problem("bad-form", message, source, "form.follow_up_days", days))
        days = 0
    return FormSpec(
        sections=tuple(str(s) for s in spec.get("sections") or ()),
        occasions=tuple(str(o) for o in spec.get("occasions") or ()),
        checks=tuple(check for check in checks if check is not None),
        follow_up_days=days,
    )


def question(
    spec: Any, name: str, study: FormSpec, source: str, problems: list[Problem]
) -> Question:
    """A variable's `form:`; its references to other variables are checked once all are
    known (`shown_if_problems`)."""
    key = f"variables.{name}.form"
    if spec is None:
        return Question()
    if not isinstance(spec, Mapping):
        problems.append(_problem("bad-form", "form ska vara en tabell.", source, key))
        return Question()
    problems += _unknown_keys(spec, QUESTION_KEYS, key, source)
    section, occasions = str(spec.get("section") or ""), tuple(spec.get("occasions") or ())
    if section and section not in study.sections:
        message = f"Okänt avsnitt; delstudiens avsnitt: {', '.join(study.sections) or 'inga'}."
        problems.append(_problem("unknown-section", message, source, f"{key}.section", section))
    for occasion in occasions:
        if occasion not in study.occasions:
            known = ", ".join(study.occasions) or "inga"
            message = f"Okänt tillfälle; delstudiens tillfällen: {known}."
            problems.append(_problem("unknown-occasion", message, source, f"{key}.occasions",
                                    str(occasion)))  # fmt: skip
    shown = spec.get("shown_if") or {}
    if not isinstance(shown, Mapping):
        problems.append(_problem("bad-form", "shown_if ska vara en tabell: variabel: svar.",
                                source, f"{key}.shown_if"))  # fmt: skip
        shown = {}
    return Question(
        text=str(spec.get("question") or ""), help=str(spec.get("help") or ""),
        section=section, unknown=bool(spec.get("unknown", False)),
        shown_if=tuple((str(v), _answers(a)) for v, a in shown.items()),
        occasions=tuple(str(o) for o in occasions),
    )  # fmt: skip


def shown_if_problems(
    name: str, asked: Question, variables: Mapping[str, Asked], source: str,
    codes: Mapping[str, tuple[str, ...]],
) -> list[Problem]:  # fmt: skip
    """A condition must name another variable of the study, and answers it can have."""
    found = []
    for other, answers in asked.shown_if:
        key = f"variables.{name}.form.shown_if.{other}"
        if other == name or other not in variables:
            message = "Villkoret gäller en variabel som inte finns i delstudien."
            found.append(_problem("unknown-variable", message, source, key, other))
            continue
        allowed = _possible_answers(variables[other], codes)
        for answer in answers:
            if allowed is not None and answer not in allowed:
                message = f"Variabeln {other} kan inte ha svaret; möjliga: {', '.join(allowed)}."
                found.append(_problem("unknown-answer", message, source, key, answer))
    return found


def checks_problems(
    form: FormSpec, variables: Mapping[str, Asked], source: str
) -> list[Problem]:  # fmt: skip
    found = []
    for at, check in enumerate(form.checks):
        for name in check.variables:
            key = f"form.checks.{at}.{check.kind}"
            if name not in variables:
                message = "Kontrollen gäller en variabel som inte finns i delstudien."
                found.append(_problem("unknown-variable", message, source, key, name))
            elif check.kind == "after" and variables[name].type != "date":
                message = "En kontroll av ordning gäller bara datum."
                found.append(_problem("not-a-date", message, source, key, name))
    return found


def _check(spec: Any, at: int, source: str, problems: list[Problem]) -> AnswerCheck | None:
    key = f"form.checks.{at}"
    kinds = [kind for kind in CHECKS if isinstance(spec, Mapping) and kind in spec]
    if len(kinds) != 1:
        message = f"En kontroll är en av {', '.join(CHECKS)} med sina variabler."
        problems.append(_problem("bad-check", message, source, key))
        return None
    kind = kinds[0]
    named = spec[kind]
    names = tuple(str(n) for n in (named if isinstance(named, list) else [named]))
    if len(names) != CHECKS[kind]:
        message = f"Kontrollen {kind} tar {CHECKS[kind]} variabler."
        problems.append(_problem("bad-check", message, source, f"{key}.{kind}", ", ".join(names)))
        return None
    return AnswerCheck(kind, names, str(spec.get("message") or ""))


def _answers(given: Any) -> tuple[str, ...]:
    answers = given if isinstance(given, list) else [given]
    return tuple(BOOLEAN_ANSWERS.get(str(a).lower(), str(a)) if isinstance(a, bool | str)
                 else str(a) for a in answers)  # fmt: skip


def _possible_answers(
    variable: Asked, codes: Mapping[str, tuple[str, ...]]
) -> tuple[str, ...] | None:
    """The answers a variable can have; None when any (a number, a date, a text)."""
    if variable.type == "boolean":
        return ("ja", "nej")
    if variable.categories:
        return tuple(variable.categories)
    if variable.codebook:
        return codes.get(variable.codebook, ())
    return None


def _unknown_keys(
    spec: Mapping[str, Any], known: frozenset[str], key: str, source: str
) -> list[Problem]:
    return [
        _problem("unknown-key", f"Okänd nyckel; kända: {', '.join(sorted(known))}.", source,
                f"{key}.{extra}")
        for extra in sorted(set(map(str, spec)) - known)
    ]  # fmt: skip


def _problem(code: str, message: str, source: str, key: str, value: Any = None) -> Problem:
    return Problem(code, message, source, column=key, value=None if value is None else str(value))
