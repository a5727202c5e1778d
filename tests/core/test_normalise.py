"""The normaliser gives one key to spellings that differ only in what carries no meaning."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nuso.core.harmonise.normalise import normalise

swedish_words = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzåäöéABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ ", min_size=1, max_size=30
)
prefixes = st.sampled_from(
    ["B/U ", "BoU ", "B&U ", "Barn/ungdom ", "BoF ", "BU - ", "Barn: ", "B ", "bou "]
)


@given(st.text(max_size=40))
def test_normalising_twice_changes_nothing(text: str) -> None:
    assert normalise(normalise(text)) == normalise(text)


@given(swedish_words)
def test_case_does_not_matter(text: str) -> None:
    assert normalise(text.upper()) == normalise(text.lower())


@given(swedish_words, st.sampled_from([" ", "  ", "\t", "\u00a0"]))
def test_white_space_does_not_matter(text: str, space: str) -> None:
    assert normalise(space + text.replace(" ", space * 2) + space) == normalise(text)


@given(
    prefixes,
    swedish_words.filter(
        lambda t: normalise(t) and normalise(t).split()[0] not in {"b", "bu", "bou", "bof", "ifo"}
    ),
)
def test_area_prefixes_do_not_matter(prefix: str, text: str) -> None:
    assert normalise(prefix + text) == normalise(text)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Anmälan barn 0-12 år", "anmalan barn"),
        ("B anmälan", "Anmälan"),
        ("B/U Ansökan", "ansokan"),
        ("Anmälan 0-17", "ANMÄLAN"),
        ("missbruk, förälder", "Missbruk förälder"),
        ("Missbruk BoU — Barnet/den unge", "missbruk bou barnet den unge"),
        ("BoU - Utredning inleds", "utredning inleds"),
        ("Anmälan (14:1 SoL)", "anmalan 14 1 sol"),
    ],
)
def test_seed_spellings(left: str, right: str) -> None:
    assert normalise(left) == normalise(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Utredning inleds", "Utredning inleds ej"),
        ("Bostadslöshet", "ostadslöshet"),
        ("Barnets hälsa", "ets hälsa"),
        ("Missbruk barn", "Missbruk förälder"),
    ],
)
def test_meaning_is_kept(left: str, right: str) -> None:
    assert normalise(left) != normalise(right)
