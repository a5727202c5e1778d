"""What a study's web form needs, in its dictionary (issue 19): optional, with defaults, and
checked by the loader with problems naming the study's file, the variable and the key."""

from __future__ import annotations

from typing import Any

import pytest

from nuso.core.errors import InputError
from nuso.core.harmonise.codebook import shipped_codebook
from nuso.core.harmonise.dictionary import (
    dictionary_from_stored,
    parse_dictionary,
    shipped_dictionaries,
)
from nuso.core.harmonise.form_spec import Question

CODEBOOK = shipped_codebook()


def study(form: dict[str, Any] | None = None, **asked: dict[str, Any]) -> dict[str, Any]:
    """A small follow-up study; `asked` gives variables their `form:`."""
    variables = [
        {"name": "kon", "label": "Kön", "type": "category", "codebook": "kon"},
        {"name": "insats", "label": "Insats", "type": "boolean"},
        {"name": "insatstyp", "label": "Insatstyp", "type": "category",
         "categories": {"kontaktperson": "Kontaktperson", "hvb": "HVB"}},
        {"name": "beslutsdatum", "label": "Beslutsdatum", "type": "date"},
        {"name": "avslutsdatum", "label": "Avslutsdatum", "type": "date"},
        {"name": "alder", "label": "Ålder", "type": "integer", "min": 0, "max": 17},
    ]  # fmt: skip
    for variable in variables:
        if variable["name"] in asked:
            variable["form"] = asked[variable["name"]]
    data: dict[str, Any] = {"slug": "uppfoljning", "number": 9, "variables": variables}
    if form is not None:
        data["form"] = form
    return data


def problems(data: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
    with pytest.raises(InputError) as raised:
        parse_dictionary(data, CODEBOOK, "uppfoljning.yaml")
    assert all(p.file == "uppfoljning.yaml" for p in raised.value.problems)
    return [(p.code, p.column, p.value) for p in raised.value.problems]


def test_without_form_keys_every_variable_is_asked_with_its_label() -> None:
    parsed = parse_dictionary(study(), CODEBOOK, "uppfoljning.yaml")
    assert parsed.variable("insats").form == Question()
    assert parsed.form.sections == parsed.form.occasions == parsed.form.checks == ()


def test_a_full_form_is_read_and_survives_being_stored() -> None:
    form = {"sections": ["Barnet", "Insatsen"], "occasions": ["beslut", "uppfoljning", "avslut"],
            "checks": [{"after": ["avslutsdatum", "beslutsdatum"],
                        "message": "Avslutet kan inte vara före beslutet."},
                       {"age_of_identity": "alder"}],
            "follow_up_days": 183}  # fmt: skip
    data = study(
        form,
        insats={"section": "Insatsen", "question": "Beviljades en insats?", "unknown": True},
        insatstyp={"section": "Insatsen", "shown_if": {"insats": True}, "help": "Den beslutade.",
                   "occasions": ["beslut"]},
    )  # fmt: skip
    parsed = parse_dictionary(data, CODEBOOK, "uppfoljning.yaml")
    asked = parsed.variable("insatstyp").form
    assert asked.shown_if == (("insats", ("ja",)),)  # YAML's true is the answer ja
    assert asked.occasions == ("beslut",)
    assert parsed.variable("insats").form.unknown
    assert [c.kind for c in parsed.form.checks] == ["after", "age_of_identity"]
    assert parsed.form.follow_up_days == 183
    assert dictionary_from_stored(parsed.as_data()) == parsed


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (study(insats={"questoin": "?"}),
         ("unknown-key", "variables.insats.form.questoin", None)),
        (study({"sections": ["Barnet"]}, insats={"section": "Insatsen"}),
         ("unknown-section", "variables.insats.form.section", "Insatsen")),
        (study({"occasions": ["beslut"]}, insats={"occasions": ["avslut"]}),
         ("unknown-occasion", "variables.insats.form.occasions", "avslut")),
        (study(insatstyp={"shown_if": {"insatser": "ja"}}),
         ("unknown-variable", "variables.insatstyp.form.shown_if.insatser", "insatser")),
        (study(insatstyp={"shown_if": {"insats": "kanske"}}),
         ("unknown-answer", "variables.insatstyp.form.shown_if.insats", "kanske")),
        (study(insats={"shown_if": {"kon": "flicka_"}}),
         ("unknown-answer", "variables.insats.form.shown_if.kon", "flicka_")),
        (study({"checks": [{"after": ["avslutsdatum", "alder"]}]}),
         ("not-a-date", "form.checks.0.after", "alder")),
        (study({"checks": [{"after": ["avslutsdatum"]}]}),
         ("bad-check", "form.checks.0.after", "avslutsdatum")),
        (study({"checks": [{"efter": ["avslutsdatum", "beslutsdatum"]}]}),
         ("bad-check", "form.checks.0", None)),
        (study({"sektioner": []}), ("unknown-key", "form.sektioner", None)),
        (study({"follow_up_days": "ett halvår"}),
         ("bad-form", "form.follow_up_days", "ett halvår")),
    ],
)  # fmt: skip
def test_a_form_problem_names_the_variable_and_key(data: dict[str, Any], expected: tuple) -> None:
    assert expected in problems(data)


def test_the_shipped_survey_asks_which_interventions_only_when_one_was_granted() -> None:
    survey = {d.slug: d for d in shipped_dictionaries(CODEBOOK)}["avslutade_utredningar"]
    asked = survey.variable("insatstyper").form
    assert asked.shown_if == (("insats", ("ja",)),)
    assert asked.section in survey.form.sections
    assert asked.text == "Vilka insatser beslutades?"


def test_a_studys_own_categories_keep_their_order_where_a_database_sorts_keys() -> None:
    """PostgreSQL's jsonb orders an object's keys by length: the form's answers and the
    tables' rows must still come in the dictionary's order."""
    import json

    follow_up = {d.slug: d for d in shipped_dictionaries(CODEBOOK)}["insatsuppfoljning"]
    stored = json.loads(json.dumps(follow_up.as_data(), sort_keys=True))
    back = dictionary_from_stored(stored)
    assert list(back.variable("riskbedomning").categories) == [
        "ingen_lag", "nagot_forhojd", "hog", "mycket_hog", "ej_kant"]  # fmt: skip
    assert back == follow_up
