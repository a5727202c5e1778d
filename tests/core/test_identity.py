"""The child's identity number as a form or a case system gives it: a Swedish personnummer or
samordningsnummer, or a Norwegian fødselsnummer, D- or H-nummer (Tenor's marked as test data);
refused in Swedish, the number named only masked."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from nuso.core.collection.identity import Identity, IdentityError, read_identity
from nuso.core.intake.personal_numbers import PersonalNumber
from nuso.core.intake.pseudonyms import pseudonym
from tests.norwegian import a_number, an_fh_number

KEY = "test-key-" + "k" * 32
TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("kind", "tenor", "born", "individual", "sex"),
    [
        ("fødselsnummer", False, dt.date(2011, 1, 17), 601, "pojke"),
        ("D-nummer", False, dt.date(2009, 9, 9), 554, "flicka"),
        ("H-nummer", False, dt.date(2012, 12, 24), 801, "pojke"),
        ("fødselsnummer", True, dt.date(2015, 2, 28), 782, "flicka"),
    ],
)
def test_a_norwegian_number_is_read_with_its_birth_date_and_sex(
    kind, tenor, born, individual, sex
) -> None:
    number = a_number(born, individual, kind, tenor)
    for typed in (number, f"{number[:6]} {number[6:]}", f" {number[:6]}-{number[6:]} "):
        assert read_identity(typed, KEY, TODAY) == Identity(
            pseudonym(f"no{number}", KEY), born, sex, test=tenor
        )


def test_a_swedish_number_is_read_as_before_and_is_no_test_data() -> None:
    number = PersonalNumber(dt.date(2015, 4, 9), 237)
    identity = read_identity(number.formatted("long"), KEY, TODAY)
    assert identity == Identity(pseudonym(number.formatted("long_plain"), KEY), number.birth_date,
                                "pojke", test=False)  # fmt: skip


def refusal(typed: str) -> str:
    with pytest.raises(IdentityError) as refused:
        read_identity(typed, KEY, TODAY)
    message = str(refused.value)
    assert not re.search(r"\d{2}", message.replace("ÅÅÅÅ", "")), message  # no digits of it
    return message


def test_wrong_norwegian_check_digits_are_refused_naming_the_number_masked() -> None:
    number = a_number(dt.date(2011, 1, 17), 601)
    wrong = f"{number[:6]}-{number[6:10]}{(int(number[10]) + 1) % 10}"
    assert refusal(wrong) == (
        "Numret ••••••-••••• är inget giltigt norskt fødselsnummer, D- eller H-nummer: "
        "kontrollsiffrorna stämmer inte."
    )


def test_a_norwegian_birth_after_today_is_refused() -> None:
    number = a_number(dt.date(2027, 3, 1), 503)
    assert "födelsedatumet finns inte eller har inte inträffat än" in refusal(number)
    assert "•••••••••••" in refusal(number)


def test_an_fh_number_is_refused_as_telling_no_birth_date_or_sex() -> None:
    message = refusal(an_fh_number())
    assert message.startswith("Numret ••••••••••• är ett norskt FH-nummer")
    assert "fødselsnummer, D- eller H-nummer (DDMMÅÅ NNNNN)" in message


def test_something_else_is_refused_with_every_form_named() -> None:
    message = refusal("okänt")
    assert "ÅÅÅÅMMDD-NNNN" in message
    assert "DDMMÅÅ NNNNN" in message


def test_a_reserve_number_is_refused_with_what_to_type_instead() -> None:
    message = refusal("20150312-TF17")
    assert message.startswith("Numret ••••••••-•••• är ett reservnummer")
    assert "personnummer eller samordningsnummer" in message
    assert "TF" not in message
    assert "tf" not in refusal("20150312-tf17")  # typed in lower case: masked all the same
