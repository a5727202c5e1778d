"""The shipped codebook and study dictionaries, and their validation."""

from __future__ import annotations

import pytest

from nuso.core.errors import InputError
from nuso.core.harmonise.codebook import parse_codebook, shipped_codebook
from nuso.core.harmonise.dictionary import parse_dictionary, shipped_dictionaries


def test_the_shipped_codebook_has_the_national_categories() -> None:
    codebook = shipped_codebook()
    assert len(codebook.variables["orsak"].codes) == 22
    assert codebook.variables["orsak"].multiple
    assert len(codebook.variables["atgard"].codes) == 7
    assert codebook.variables["aktualiseringstyp"].code_set == {
        "anmalan", "ansokan", "annan_information"
    }  # fmt: skip
    assert codebook.variables["kon"].code_set == {"flicka", "pojke"}


def test_every_action_belongs_to_an_action_group() -> None:
    codebook = shipped_codebook()
    groups = codebook.variables["atgardsgrupp"].code_set
    assert {code.attributes["group"] for code in codebook.variables["atgard"].codes} == groups


def test_age_groups_cover_0_to_17_once() -> None:
    groups = shipped_codebook().variables["aldersgrupp"].codes
    ages = [age for g in groups for age in range(g.attributes["min"], g.attributes["max"] + 1)]
    assert ages == list(range(18))


def test_shipped_studies_refer_to_the_codebook() -> None:
    studies = {d.slug: d for d in shipped_dictionaries(shipped_codebook())}
    assert set(studies) == {"aktualiseringar", "avslutade_utredningar", "insatsuppfoljning"}
    referrals = studies["aktualiseringar"]
    assert referrals.variable("orsaker").codebook == "orsak"
    assert referrals.variable("orsaker").type == "categories"
    assert {d.name for d in referrals.derived} == {"aldersgrupp", "atgardsgrupp"}
    assert studies["avslutade_utredningar"].variable("utsatthet").categories["bada"]


def test_a_dictionary_with_problems_lists_them_all() -> None:
    data = {
        "slug": "ny",
        "variables": [
            {"name": "a", "type": "colour"},
            {"name": "b", "type": "category"},
            {"name": "c", "type": "category", "codebook": "finns_inte"},
        ],
        "derived": [{"name": "d", "from": "saknas"}],
    }
    with pytest.raises(InputError) as error:
        parse_dictionary(data, shipped_codebook(), "ny.yaml")
    assert [p.code for p in error.value.problems] == [
        "bad-type", "bad-categories", "unknown-codebook", "unknown-source"
    ]  # fmt: skip


def test_a_codebook_without_version_is_refused() -> None:
    with pytest.raises(InputError, match="versionsnummer"):
        parse_codebook("variables: {}")


def test_duplicate_codes_in_a_codebook_are_refused() -> None:
    text = (
        "version: 2\nvariables:\n  kon:\n    codes:\n"
        "      - {code: f, label: F}\n      - {code: f, label: G}\n"
    )
    with pytest.raises(InputError) as error:
        parse_codebook(text)
    assert [p.code for p in error.value.problems] == ["bad-code"]
