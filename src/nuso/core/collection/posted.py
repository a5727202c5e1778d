"""A record as a case system posts it to the API, read with the form's questions: its own id,
the child's identity number (made the keyed pseudonym here and kept nowhere), the occasion
and the answers, each answer by its question's type and range, answers given as labels made
codes, and the study's checks across answers. A value the codebook harmonises and no code or
label matches is passed on as given: the harmonisation decides it, or it waits for review as
a file's would.

Every problem is a `FieldError` with the JSON pointer of what it is about and the value given,
masked (an identity number is never echoed), so that one record's errors reject that record
only and say which field is wrong."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from nuso.core.collection.answers import Answer, check_answers, is_empty
from nuso.core.collection.identity import IdentityError, read_identity
from nuso.core.collection.messages import message_of, said
from nuso.core.collection.questions import (
    OCCASION_VARIABLE,
    Field,
    fields,
    occasion_labels,
    occasions,
)
from nuso.core.harmonise.codebook import Codebook
from nuso.core.harmonise.dictionary import StudyDictionary
from nuso.core.harmonise.form_spec import AnswerCheck
from nuso.core.harmonise.normalise import normalise
from nuso.core.intake.pseudonyms import find_numbers, pseudonymise

CLIENT_ID, IDENTITY = "id", "personnummer"
MAX_ID = 100
MAX_ECHO = 200  # an echoed value is cut: an error is no copy of the record
MULTI_SEPARATORS = (";", "|")


@dataclass(frozen=True)
class FieldError:
    pointer: str  # JSON pointer (RFC 6901) into the posted body
    message: str  # Swedish
    value: str | None = None  # the value given, masked and cut; None when nothing is echoed

    def to_json(self) -> dict[str, Any]:
        return {"pekare": self.pointer, "varde": self.value, "meddelande": self.message}


@dataclass
class Posted:
    """One posted record, read: what the registration keeps, and what is wrong with it."""

    pointer: str  # the record's JSON pointer: "" for a record posted alone, "/poster/3"
    client_id: str = ""
    occasion: str = ""
    pseudonym: str = ""
    birth_date: dt.date | None = None
    sex: str = ""  # what the identity number tells
    given: dict[str, Any] = field(default_factory=dict)  # raw answers to the occasion's questions
    facts: dict[str, Answer] = field(default_factory=dict)  # the decision's, to find it by
    answers: dict[str, Answer] = field(default_factory=dict)  # as kept, after `check`
    errors: list[FieldError] = field(default_factory=list)
    readable: bool = False  # an object of a known occasion: its answers can be checked

    @property
    def valid(self) -> bool:
        return not self.errors

    def error(self, name: str, message: str, value: Any = None, key: str = "") -> None:
        shown = None if name == IDENTITY else echoed(value, key)
        self.errors.append(FieldError(f"{self.pointer}/{pointer_token(name, key)}", message, shown))


@dataclass(frozen=True)
class StudyForm:
    """A study's questions at each occasion, as the API reads records with them."""

    occasions: tuple[str, ...]  # ("",) for a study asked once
    labels: Mapping[str, str]
    questions: Mapping[str, tuple[Field, ...]]
    variables: frozenset[str]
    harmonised: frozenset[str]  # variables the codebook decides (a raw value may wait)
    checks: tuple[AnswerCheck, ...]

    @property
    def first(self) -> str:
        return self.occasions[0]

    def facts(self, occasion: str) -> tuple[Field, ...]:
        """The decision's questions a later occasion does not ask: a follow-up may give them
        to say which decision it follows."""
        if occasion == self.first:
            return ()
        asked = {f.name for f in self.questions[occasion]}
        return tuple(f for f in self.questions[self.first] if f.name not in asked)


def study_form(dictionary: StudyDictionary, codebook: Codebook) -> StudyForm:
    found = occasions(dictionary)
    return StudyForm(
        occasions=found,
        labels=occasion_labels(dictionary) if found != ("",) else {"": ""},
        questions={o: fields(dictionary, o, codebook) for o in found},
        variables=frozenset(v.name for v in dictionary.variables),
        harmonised=frozenset(v.name for v in dictionary.variables if v.codebook),
        checks=tuple(dictionary.form.checks),
    )


def read_posted(
    raw: Any, pointer: str, form: StudyForm, key: str, today: dt.date | None = None
) -> Posted:
    """A posted record read as far as it can be without the registrations stored: its id,
    child, occasion and answers. `check` finishes it once the decision it follows is known."""
    today = today or dt.date.today()
    posted = Posted(pointer)
    if not isinstance(raw, dict):
        posted.errors.append(FieldError(pointer, said("En post ska vara ett JSON-objekt.")))
        return posted
    read_id(posted, raw.get(CLIENT_ID), key)
    read_child(posted, raw.get(IDENTITY), key, today)
    if not read_occasion(posted, raw, form, key):
        return posted
    posted.readable = True
    asked = {f.name: f for f in form.questions[posted.occasion]}
    facts = {f.name: f for f in form.facts(posted.occasion)}
    own = {CLIENT_ID, IDENTITY} | ({OCCASION_VARIABLE} if form.occasions != ("",) else set())
    for name, value in raw.items():
        if name in own or is_empty(value):
            continue
        if name in asked:
            posted.given[name] = value
        elif name in facts:
            posted.facts[name] = value
        elif name in form.variables:
            label = form.labels.get(posted.occasion, posted.occasion).lower()
            posted.error(name, said("Frågan ställs inte {when}.", when=label), value, key)
        else:
            posted.error(
                name, said("Okänt fält: delstudien har ingen fråga med det namnet."), value, key
            )
    posted.facts = read_facts(posted, tuple(facts.values()), form, key, today)
    return posted


def read_id(posted: Posted, value: Any, key: str) -> None:
    text = str(value).strip() if isinstance(value, str | int) and value is not True else ""
    if not text:
        posted.error(
            CLIENT_ID, said("Ange postens id: verksamhetssystemets eget id för posten."), value
        )
    elif len(text) > MAX_ID:
        posted.error(
            CLIENT_ID, said("Postens id får vara högst {most} tecken.", most=MAX_ID), value, key
        )
    elif find_numbers(text, dt.date.today()):
        # Echoed masked, and never stored: an id is kept as it is given.
        posted.error(CLIENT_ID, said("Postens id får inte innehålla ett personnummer."), value, key)
    else:
        posted.client_id = text


def read_child(posted: Posted, value: Any, key: str, today: dt.date) -> None:
    if not isinstance(value, str) or not value.strip():
        posted.error(IDENTITY, said("Ange barnets personnummer eller samordningsnummer."))
        return
    try:
        identity = read_identity(value, key, today)
    except IdentityError as error:
        posted.error(IDENTITY, message_of(error))
        return
    posted.pseudonym, posted.birth_date, posted.sex = (
        identity.pseudonym, identity.birth_date, identity.sex
    )  # fmt: skip


def read_occasion(posted: Posted, raw: Mapping[str, Any], form: StudyForm, key: str) -> bool:
    if form.occasions == ("",):
        return True
    value = raw.get(OCCASION_VARIABLE)
    codes = {normalise(code): code for code in form.occasions}
    codes |= {normalise(label): code for code, label in form.labels.items()}
    occasion = codes.get(normalise(value)) if isinstance(value, str) else None
    if occasion is None:
        choices = ", ".join(form.occasions)
        asked_for = said("Ange tillfället: ett av {choices}.", choices=choices)
        posted.error(OCCASION_VARIABLE, asked_for, value, key)
        return False
    posted.occasion = occasion
    return True


def read_facts(
    posted: Posted, asked: tuple[Field, ...], form: StudyForm, key: str, today: dt.date
) -> dict[str, Answer]:
    if not posted.facts:
        return {}
    coded = {
        f.name: coded_answer(f, posted.facts[f.name], f.name in form.harmonised)
        for f in asked
        if f.name in posted.facts
    }
    read = check_answers(
        [plain(f) if coded[f.name][1] else f for f in asked if f.name in coded],
        {name: value for name, (value, _) in coded.items()},
        complete=False,
        pseudonym_key=key,
        today=today,
    )
    for name, message in read.errors.items():
        posted.error(name, message, posted.facts[name], key)
    return read.answers


def check(
    posted: Posted,
    form: StudyForm,
    key: str,
    known: Mapping[str, Answer] | None = None,
    today: dt.date | None = None,
) -> None:
    """The record's answers read as its questions' types and ranges, the required ones asked
    for, those hidden by other answers dropped and the study's checks across answers made
    (`known`: the decision's answers, for a follow-up); what is wrong joins its errors."""
    asked = form.questions[posted.occasion]
    if posted.sex and "kon" in {f.name for f in asked} and is_empty(posted.given.get("kon")):
        posted.given["kon"] = posted.sex  # as the form does: the number tells it
    coded = {
        f.name: coded_answer(f, posted.given[f.name], f.name in form.harmonised)
        for f in asked
        if f.name in posted.given
    }
    checked = check_answers(
        [plain(f) if f.name in coded and coded[f.name][1] else f for f in asked],
        {name: value for name, (value, _) in coded.items()},
        complete=True,
        checks=form.checks,
        birth_date=posted.birth_date,
        pseudonym_key=key,
        known=known,
        today=today,
    )
    for name, message in checked.errors.items():
        posted.error(name, message, posted.given.get(name), key)
    posted.answers = checked.answers


def coded_answer(asked: Field, value: Any, harmonised: bool) -> tuple[Any, bool]:
    """An answer with its labels made codes, and whether it is left to the harmonisation (a
    codebook variable's value that is no code or label: it may wait for review)."""
    if not asked.choices:
        return value, False
    index = choice_index(asked)
    if isinstance(value, bool) and asked.type == "boolean":
        return ("ja" if value else "nej"), False
    if asked.type == "categories":
        parts = value if isinstance(value, list) else split_multi(value)
        codes = [index.get(normalise(p), p) if isinstance(p, str) else p for p in parts]
        unmatched = harmonised and any(isinstance(c, str) and c not in asked.codes for c in codes)
        return ("; ".join(str(p) for p in parts) if unmatched else codes), unmatched
    if not isinstance(value, str):
        return value, False
    code = index.get(normalise(value))
    if code is None and harmonised:
        return value, True
    return (code if code is not None else value), False


@lru_cache(maxsize=1024)
def choice_index(asked: Field) -> dict[str, str]:
    index: dict[str, str] = {}
    for code, label in asked.choices:
        index.setdefault(normalise(code), code)
        index.setdefault(normalise(label), code)
    return index


def split_multi(value: Any) -> list[Any]:
    if not isinstance(value, str):
        return [value]
    text = value
    for separator in MULTI_SEPARATORS[1:]:
        text = text.replace(separator, MULTI_SEPARATORS[0])
    return [part.strip() for part in text.split(MULTI_SEPARATORS[0]) if part.strip()]


def plain(asked: Field) -> Field:
    """A question read as text: a value left to the harmonisation."""
    return replace(asked, type="text", choices=())


def echoed(value: Any, key: str) -> str | None:
    """A value as an error may show it: as text, identity numbers masked, cut."""
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    masked = pseudonymise(text, key)[0] if key else text
    return masked if len(masked) <= MAX_ECHO else masked[: MAX_ECHO - 1] + "…"


def pointer_token(name: str, key: str) -> str:
    """A member name as a JSON pointer token (RFC 6901: ~ and / escaped), masked."""
    masked = pseudonymise(name, key)[0] if key else name
    return masked.replace("~", "~0").replace("/", "~1")


def record_errors(problems: Sequence[FieldError]) -> list[dict[str, Any]]:
    return [problem.to_json() for problem in problems]
