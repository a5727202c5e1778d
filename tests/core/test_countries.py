"""A unit's key is its country plus its code: codes collide between countries."""

from __future__ import annotations

import pytest

from nuso.core.countries import canonical_key, split_key, unit_key
from nuso.core.intake.unit_names import UnitIndex, UnitNotFoundError, UnitRef


def test_swedish_keys_are_bare_codes_and_other_countries_carry_their_code() -> None:
    assert unit_key("SE", "1860") == "1860"
    assert unit_key("NO", "1860") == "NO-1860"
    assert unit_key("SE", "0180-01") == "0180-01"
    with pytest.raises(ValueError, match="unknown country"):
        unit_key("DK", "0101")


@pytest.mark.parametrize(
    ("written", "country", "code", "key"),
    [
        ("1860", "SE", "1860", "1860"),
        ("NO-1860", "NO", "1860", "NO-1860"),
        ("no-1860", "NO", "1860", "NO-1860"),
        ("SE-1860", "SE", "1860", "1860"),
        ("SE-0180-01", "SE", "0180-01", "0180-01"),
        ("0180-01", "SE", "0180-01", "0180-01"),
        (" NO-0301 ", "NO", "0301", "NO-0301"),
    ],
)
def test_keys_as_people_write_them(written: str, country: str, code: str, key: str) -> None:
    assert split_key(written) == (country, code)
    assert canonical_key(written) == key


def test_a_norwegian_index_finds_its_units_by_national_code_key_or_name() -> None:
    index = UnitIndex([UnitRef("NO-1860", "Vestvågøy"), UnitRef("NO-0301", "Oslo")])
    assert index.resolve("1860", "kolumnen Kommune").code == "NO-1860"
    assert index.resolve("NO-1860", "kolumnen Kommune").code == "NO-1860"
    assert index.resolve("meldinger_1860_2024.xlsx", "filnamnet").code == "NO-1860"
    assert index.resolve("Meldinger Vestvågøy 2024.csv", "filnamnet").code == "NO-1860"
    with pytest.raises(UnitNotFoundError):
        index.resolve("1861", "kolumnen Kommune")  # no such Norwegian unit in the index


def _referral_study(**changes: object) -> dict[str, object]:
    from importlib import resources

    import yaml

    folder = resources.files("nuso.core").joinpath("data", "studies")
    data = yaml.safe_load(folder.joinpath("aktualiseringar.yaml").read_text("utf-8"))
    return {**data, **changes}


def test_a_study_names_its_country() -> None:
    from nuso.core.errors import InputError
    from nuso.core.harmonise.codebook import shipped_codebook
    from nuso.core.harmonise.dictionary import dictionary_from_stored, parse_dictionary

    codebook = shipped_codebook()
    swedish = parse_dictionary(_referral_study(), codebook, "a.yaml")
    norwegian = parse_dictionary(_referral_study(country="no"), codebook, "a.yaml")
    assert (swedish.country, norwegian.country) == ("SE", "NO")
    assert dictionary_from_stored(norwegian.as_data()).country == "NO"
    stored_before_countries = {k: v for k, v in swedish.as_data().items() if k != "country"}
    assert dictionary_from_stored(stored_before_countries).country == "SE"
    with pytest.raises(InputError, match="Okänt land"):
        parse_dictionary(_referral_study(country="DK"), codebook, "a.yaml")


@pytest.mark.parametrize("written", ["NO", "no", "'NO'"])
def test_a_dictionary_of_norway_is_norways_though_yaml_reads_a_bare_no_as_false(written) -> None:
    import yaml

    from nuso.core.harmonise.codebook import shipped_codebook
    from nuso.core.harmonise.dictionary import parse_dictionary

    data = yaml.safe_load(
        f"slug: s\nnumber: 9\nname: S\nsource: export\ncountry: {written}\n"
        "variables:\n  - {name: alder, label: Alder, type: integer}\n"
    )
    assert parse_dictionary(data, shipped_codebook(), "s.yaml").country == "NO"
