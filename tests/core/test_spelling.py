"""Abbreviations written out and typing errors corrected, by rules and not by lists: what a
person reads at once in "Anm. barn" or "Anmlaan" is read here too, and nothing else."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from nuso.core.harmonise.cascade import Harmoniser
from nuso.core.harmonise.codebook import shipped_codebook
from nuso.core.harmonise.normalise import normalise
from nuso.core.harmonise.spelling import MIN_TYPO_LENGTH, Spelling

CODEBOOK = shipped_codebook()
HARMONISER = Harmoniser(CODEBOOK)
VOCABULARY = Spelling(["anmalan om oro for barn", "ansokan om bistand", "utredning inleds ej"])
LONG_WORDS = sorted(word for word in VOCABULARY.words if len(word) >= MIN_TYPO_LENGTH)
letters = st.sampled_from("abcdefghijklmnopqrstuvwxyz")


def swapped(word: str, at: int) -> str:
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


@given(st.sampled_from(LONG_WORDS), st.data())
def test_two_neighbouring_letters_swapped_are_one_slip(word: str, data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(word) - 2))
    typo = swapped(word, at)
    assume(typo != word)
    assert word in VOCABULARY.readings(typo)


@given(st.sampled_from(LONG_WORDS), st.data(), letters)
def test_a_letter_missing_added_or_wrong_is_one_slip(
    word: str, data: st.DataObject, letter: str
) -> None:
    at = data.draw(st.integers(0, len(word) - 1))
    for typo in (word[:at] + word[at + 1 :], word[:at] + letter + word[at:]):
        if len(typo) >= MIN_TYPO_LENGTH and typo != word:
            assert word in VOCABULARY.readings(typo)


@given(st.sampled_from(LONG_WORDS), st.data())
def test_the_beginning_of_a_word_is_read_as_the_word(word: str, data: st.DataObject) -> None:
    end = data.draw(st.integers(3, min(6, len(word) - 1)))
    assume(word[:end] not in VOCABULARY.words)
    assert word in VOCABULARY.readings(word[:end])


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", max_size=40))
def test_known_words_are_never_changed(text: str) -> None:
    known = " ".join(word for word in text.split() if word in VOCABULARY.words)
    assert VOCABULARY.readings(known) == ()


@pytest.mark.parametrize("word", ["ej", "om", "for", "och", "barn"])
def test_short_and_function_words_are_never_corrected(word: str) -> None:
    assert VOCABULARY.word_readings(word) == (word,)


def test_a_slip_too_far_from_every_word_is_no_reading() -> None:
    assert VOCABULARY.readings("xylofon") == ()
    assert VOCABULARY.readings("anmxyzn") == ()  # three edits from "anmalan"


@pytest.mark.parametrize(
    ("variable", "raw", "code"),
    [
        # Shapes, not strings seen in any data set: each is an abbreviation or slip built here.
        ("aktualiseringstyp", "Anm.", "anmalan"),
        ("aktualiseringstyp", "IFO Ans.", "ansokan"),
        ("aktualiseringstyp", "Ansöakn om stöd", "ansokan"),
        ("aktualiseringstyp", "Orosamnälan", "anmalan"),
        ("atgard", "Utr. inleds", "utredning_inleds"),
        ("atgard", "Påg. utredning", "pafors_pagaende_utredning"),
        ("atgard", "Utreding inleds ej", "utredning_inleds_ej"),
        ("orsak", "Försummlese", "brister_i_omsorg"),
    ],
)
def test_abbreviations_and_slips_are_decided_and_said(variable: str, raw: str, code: str) -> None:
    decision = HARMONISER.decide(variable, raw)
    assert decision.code == code, decision
    assert decision.method in {"spelling", "rule", "fuzzy"}


def test_a_reading_that_leads_to_two_codes_is_not_decided() -> None:
    # "ans" begins "ansokan" and nothing else of the type; of actions it begins nothing
    matcher = HARMONISER.matchers["aktualiseringstyp"]
    codes = {HARMONISER.decide("aktualiseringstyp", r).code for r in ("ans", "anm")}
    assert codes == {"ansokan", "anmalan"}
    assert matcher.read(normalise("Xyz.")) is None
