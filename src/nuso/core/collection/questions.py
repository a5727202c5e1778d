"""The questions of a study's form at one occasion, generated from its dictionary: each
variable asked there, in its section, with its answers (the study's categories, the
codebook's codes, ja/nej, or "vet ej / uppgift saknas" where the dictionary allows it), its
range and the answers of other questions that show it. Forms, answer checks and the API's
JSON schema are all made from these."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from nuso.core.collection.messages import said
from nuso.core.harmonise.codebook import Codebook
from nuso.core.harmonise.dictionary import StudyDictionary, StudyVariable

UNKNOWN = "vet_ej"
UNKNOWN_LABEL = said("Vet ej / uppgift saknas")  # the portal says it in the page's language
BOOLEAN_CHOICES = {"ja": "Ja", "nej": "Nej"}
OCCASION_VARIABLE = "tillfalle"  # a study with occasions records the occasion under this name
DEFAULT_SECTION = "Frågor"


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # the question as asked
    help: str
    type: str  # the variable's: category, categories, boolean, integer, date, text
    section: str
    required: bool
    choices: tuple[tuple[str, str], ...] = ()  # (code, label), "vet ej" last where allowed
    minimum: int | None = None
    maximum: int | None = None
    unit: str = ""
    shown_if: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def allows_unknown(self) -> bool:
        return any(code == UNKNOWN for code, _ in self.choices) or self.type == "unknown"

    @cached_property  # read for every answer of every record the API takes
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.choices)


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple[Field, ...]


def occasions(dictionary: StudyDictionary) -> tuple[str, ...]:
    """The study's occasions, or one unnamed occasion ("") for a study asked once."""
    return dictionary.form.occasions or ("",)


def occasion_labels(dictionary: StudyDictionary) -> dict[str, str]:
    """Each occasion's label, from the occasion variable's categories where it has them."""
    names = {v.name: v for v in dictionary.variables}
    labels = dict(names[OCCASION_VARIABLE].categories) if OCCASION_VARIABLE in names else {}
    return {occasion: labels.get(occasion, occasion) for occasion in occasions(dictionary)}


def fields(dictionary: StudyDictionary, occasion: str, codebook: Codebook) -> tuple[Field, ...]:
    """Every question asked at the occasion, in the dictionary's order. The occasion itself
    is no question: the registration is of one."""
    return tuple(
        field_of(variable, dictionary, codebook)
        for variable in dictionary.variables
        if asked_at(variable, occasion) and not is_occasion(variable, dictionary)
    )


def sections(dictionary: StudyDictionary, asked: tuple[Field, ...]) -> tuple[Section, ...]:
    """The questions (of one occasion) grouped by section, in the study's order of sections;
    a section with no question is left out."""
    order = list(dictionary.form.sections) or [DEFAULT_SECTION]
    order += sorted({f.section for f in asked} - set(order))
    grouped = (Section(title, tuple(f for f in asked if f.section == title)) for title in order)
    return tuple(section for section in grouped if section.fields)


def asked_at(variable: StudyVariable, occasion: str) -> bool:
    return not occasion or not variable.form.occasions or occasion in variable.form.occasions


def is_occasion(variable: StudyVariable, dictionary: StudyDictionary) -> bool:
    return bool(dictionary.form.occasions) and variable.name == OCCASION_VARIABLE


def field_of(variable: StudyVariable, dictionary: StudyDictionary, codebook: Codebook) -> Field:
    asked = variable.form
    choices = tuple(choices_of(variable, codebook).items())
    if asked.unknown and choices:
        choices += ((UNKNOWN, UNKNOWN_LABEL),)
    return Field(
        name=variable.name,
        label=asked.text or variable.label,
        help=asked.help,
        type=variable.type,
        section=asked.section or (dictionary.form.sections or (DEFAULT_SECTION,))[0],
        required=variable.required,
        choices=choices,
        minimum=variable.min,
        maximum=variable.max,
        unit=variable.unit or "",
        shown_if=asked.shown_if,
    )


def choices_of(variable: StudyVariable, codebook: Codebook) -> Mapping[str, str]:
    """A variable's answers in codebook order: its own categories, its codebook variable's
    codes (those a form may give: not the codebook's own "unknown"), or ja/nej."""
    if variable.categories:
        return variable.categories
    if variable.codebook:
        return {code.code: code.label for code in codebook.variables[variable.codebook].codes}
    if variable.type == "boolean":
        return BOOLEAN_CHOICES
    return {}


def is_shown(field: Field, answers: Mapping[str, object]) -> bool:
    """Whether a question is asked, given the other answers: every condition holds (a
    multi-valued answer holds a condition when any of its values does)."""
    for other, wanted in field.shown_if:
        given = answers.get(other)
        values = given if isinstance(given, list | tuple) else [given]
        if not any(str(value) in wanted for value in values if value is not None):
            return False
    return True
