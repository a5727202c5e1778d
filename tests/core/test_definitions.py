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


@pytest.mark.parametrize("variable", ["aldersgrupp", "no_aldersgruppe"])
def test_age_groups_cover_0_to_17_once(variable: str) -> None:
    groups = shipped_codebook().variables[variable].codes
    ages = [age for g in groups for age in range(g.attributes["min"], g.attributes["max"] + 1)]
    assert ages == list(range(18))


@pytest.mark.parametrize(
    ("variable", "groups"),
    [
        ("no_saksinnhold", "no_saksinnhold_gruppe"),
        ("no_melding_konklusjon", "no_melding_utfall"),
        ("no_undersokelse_konklusjon", "no_undersokelse_utfall"),
    ],
)
def test_every_norwegian_code_of_every_period_has_its_comparable_group(
    variable: str, groups: str
) -> None:
    """The crosswalk over SSB's lists: each code in one group, a split code's successors in
    its own group (what was counted together stays together), every group used. One split
    crosses groups, as docs/harmonisation.md says: 4 (parenting skills, until 2020) held the
    conflicts of separated parents that are 24 from 2021."""
    codebook = shipped_codebook()
    codes = codebook.variables[variable].codes
    group_of = {code.code: code.attributes.get("group") for code in codes}
    assert set(group_of.values()) == codebook.variables[groups].code_set
    crossing = {
        (code.code, successor)
        for code in codes
        for successor in code.attributes.get("replaced_by", ())
        if group_of[successor] != group_of[code.code]
    }
    assert crossing == ({("4", "24")} if variable == "no_saksinnhold" else set())


def test_the_swedish_reasons_meet_the_norwegian_groups_once() -> None:
    codebook = shipped_codebook()
    named = [
        reason
        for group in codebook.variables["no_saksinnhold_gruppe"].codes
        for reason in group.attributes["orsak"]
    ]
    assert len(named) == len(set(named))
    assert set(named) <= codebook.variables["orsak"].code_set
    assert {"vald_mot_barn", "foralder_missbruk", "beteendeproblem"} <= set(named)


def test_shipped_studies_refer_to_the_codebook() -> None:
    studies = {d.slug: d for d in shipped_dictionaries(shipped_codebook())}
    assert set(studies) == {
        "aktualiseringar",
        "avslutade_utredningar",
        "insatsuppfoljning",
        "meldinger",
    }
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
