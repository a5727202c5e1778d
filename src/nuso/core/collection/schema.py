"""A study's record as the API takes it, as a JSON Schema (draft 2020-12) made from the form's
questions at every occasion: each question with its Swedish text, help, type, codes (each with
its label as title), range, whether it is required and the answers that show it. Generated
from the dictionary, so a study added or changed needs no code (nuso.core.collection.posted
reads the records; its error messages say the same as the schema)."""

from __future__ import annotations

from typing import Any

from nuso.core.collection.answers import MAX_TEXT
from nuso.core.collection.posted import CLIENT_ID, IDENTITY, MAX_ID, StudyForm
from nuso.core.collection.questions import OCCASION_VARIABLE, UNKNOWN, Field

DRAFT = "https://json-schema.org/draft/2020-12/schema"
JSON = dict[str, Any]


def record_schema(form: StudyForm, slug: str, name: str, address: str = "") -> JSON:
    """The schema of one record of the study."""
    properties: JSON = {
        CLIENT_ID: {
            "type": "string", "minLength": 1, "maxLength": MAX_ID,
            "description": (
                "Verksamhetssystemets eget id för posten (ärende och tillfälle): samma id "
                "skickat igen ändrar inget om innehållet är detsamma, och rättar posten om det "
                "har ändrats. Får inte innehålla ett personnummer."
            ),
        },
        IDENTITY: {
            "type": "string", "minLength": 10, "maxLength": 13,
            "description": (
                "Barnets personnummer eller samordningsnummer (ÅÅÅÅMMDD-NNNN eller "
                "ÅÅMMDD-NNNN), eller ett norskt fødselsnummer, D- eller H-nummer (DDMMÅÅ NNNNN). "
                "Ersätts med en nyckelkodad pseudonym när posten tas emot och sparas aldrig."
            ),
        },
    }  # fmt: skip
    required = [CLIENT_ID, IDENTITY]
    multi = form.occasions != ("",)
    if multi:
        properties[OCCASION_VARIABLE] = {
            "description": "Vilket tillfälle posten gäller.",
            "oneOf": [{"const": o, "title": form.labels[o]} for o in form.occasions],
        }
        required.append(OCCASION_VARIABLE)
    seen: dict[str, Field] = {}
    for occasion in form.occasions:
        for asked in form.questions[occasion]:
            seen.setdefault(asked.name, asked)
    for asked in seen.values():
        properties[asked.name] = question_schema(asked, asked.name in form.harmonised, form)
    schema: JSON = {
        "$schema": DRAFT,
        "title": f"{name}: en post",
        "description": (
            f"En post i delstudien {name} ({slug}), som ett verksamhetssystem skickar den till "
            "NUSO:s API. Svar ges som koder; etiketterna tas också emot."
        ),
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if address:
        schema["$id"] = address
    conditions = [occasion_rules(form, o) for o in form.occasions] if multi else []
    conditions += shown_rules(form)
    if not multi:
        schema["required"] = [*required, *required_at(form, "")]
    if conditions:
        schema["allOf"] = conditions
    return schema


def question_schema(asked: Field, harmonised: bool, form: StudyForm) -> JSON:
    described = [asked.label]
    if asked.help:
        described.append(asked.help)
    if asked.unit:
        described.append(f"Enhet: {asked.unit}.")
    at = [
        form.labels[o].lower()
        for o in form.occasions
        if asked.name in {f.name for f in form.questions[o]}
    ]
    if form.occasions != ("",):
        described.append(f"Ställs {', '.join(at)}.")
    if asked.shown_if:
        described.append("Ställs bara när " + ", ".join(
            f"{name} är {' eller '.join(codes)}" for name, codes in asked.shown_if
        ) + ".")  # fmt: skip
    if harmonised:
        described.append(
            "Annan stavning harmoniseras mot kodboken; ett värde som inte kan avgöras väntar "
            "på granskning."
        )
    schema: JSON = {"title": asked.name, "description": " ".join(described)}
    return schema | value_schema(asked)


def value_schema(asked: Field) -> JSON:
    choices = [{"const": code, "title": label} for code, label in asked.choices]
    if asked.type == "categories":
        return {"type": "array", "items": {"oneOf": choices}, "uniqueItems": True}
    if asked.type == "boolean":
        words = [c for c in choices if c["const"] != UNKNOWN]
        unknown = [c for c in choices if c["const"] == UNKNOWN]
        return {"oneOf": [{"type": "boolean"}, *words, *unknown]}
    if choices:
        return {"oneOf": choices}
    if asked.type == "integer":
        bounds = {"minimum": asked.minimum, "maximum": asked.maximum}
        return {"type": "integer", **{k: v for k, v in bounds.items() if v is not None}}
    if asked.type == "date":
        return {"type": "string", "format": "date"}
    return {"type": "string", "maxLength": MAX_TEXT}


def required_at(form: StudyForm, occasion: str) -> list[str]:
    return [f.name for f in form.questions[occasion] if f.required and not f.shown_if]


def occasion_rules(form: StudyForm, occasion: str) -> JSON:
    """At an occasion: its required questions, and none that it does not ask (but the
    decision's, which a follow-up may give to say which decision it follows)."""
    allowed = {f.name for f in form.questions[occasion]} | {f.name for f in form.facts(occasion)}
    others = sorted({f.name for o in form.occasions for f in form.questions[o]} - allowed)
    then: JSON = {"required": required_at(form, occasion)}
    if others:
        then["properties"] = dict.fromkeys(others, False)
    return {
        "if": {"properties": {OCCASION_VARIABLE: {"const": occasion}},
               "required": [OCCASION_VARIABLE]},
        "then": then,
    }  # fmt: skip


def shown_rules(form: StudyForm) -> list[JSON]:
    """A required question shown only by other answers is required when they are given."""
    rules = []
    for occasion in form.occasions:
        for asked in form.questions[occasion]:
            if not (asked.required and asked.shown_if):
                continue
            when: JSON = {
                "properties": {name: {"enum": list(codes)} for name, codes in asked.shown_if},
                "required": [name for name, _ in asked.shown_if],
            }
            if occasion:
                when["properties"][OCCASION_VARIABLE] = {"const": occasion}
                when["required"].append(OCCASION_VARIABLE)
            rules.append({"if": when, "then": {"required": [asked.name]}})
    return rules
