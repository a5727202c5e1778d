"""Reading a value's words as a person would: an abbreviation written out, a slip of the
keyboard corrected, against the words one codebook variable knows.

Two rules, never lists of misspellings:
- an abbreviation is a word of three to twelve letters that is no word of the variable but
  the beginning of some ("anm" of "anmalan", "utr" of "utredning", "forhandsbed" of
  "forhandsbedomning");
- a typing error is a word of six letters or more within one edit of exactly one known word,
  or two edits for words of nine letters or more (Damerau–Levenshtein: a swap of two
  neighbouring letters is one edit, as in "anmlaan").
A word the variable knows is never changed, and short words are never corrected: "ej" and
"om" carry meaning that a one-letter change would turn around.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from functools import lru_cache
from math import prod

from rapidfuzz.distance import DamerauLevenshtein

MIN_ABBREVIATION, MAX_ABBREVIATION = 3, 12
MIN_TYPO_LENGTH = 6
TWO_EDITS_FROM = 9  # letters: long words may hold two slips
MAX_READINGS = 8  # alternative readings of one value tried at most
# Function words a person never abbreviates a content word to; they stay as written.
FUNCTION_WORDS = frozenset(
    {
        "och", "att", "som", "for", "fran", "med", "mot", "till", "hos", "vid", "den", "det",
        "har", "hon", "han", "var", "kan", "ska", "inte", "ingen", "utan", "eller", "efter",
        "under", "over", "samt",
    }
)  # fmt: skip


class Spelling:
    """The words one variable's vocabulary is written with, and readings of unknown words."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.words = frozenset(
            word for text in texts for word in text.split() if word.isalpha() and len(word) > 1
        )
        self.by_start: dict[str, list[str]] = {}
        for word in sorted(self.words):
            for end in range(MIN_ABBREVIATION, min(len(word), MAX_ABBREVIATION) + 1):
                self.by_start.setdefault(word[:end], []).append(word)
        self.readings = lru_cache(maxsize=None)(self._readings)
        self.word_readings = lru_cache(maxsize=None)(self._word_readings)

    def _readings(self, key: str) -> tuple[str, ...]:
        """Other ways to read a normalised value, each word written out or corrected; empty
        when every word is known or no rule applies."""
        options = [self.word_readings(word) for word in key.split()]
        if all(
            len(option) == 1 and option[0] == word
            for option, word in zip(options, key.split(), strict=True)
        ):
            return ()
        if prod(len(option) for option in options) > MAX_READINGS:
            return ()  # too many ways to read it: a person would ask, so the review will
        return tuple(dict.fromkeys(" ".join(words) for words in itertools.product(*options)))

    def _word_readings(self, word: str) -> tuple[str, ...]:
        if word in self.words or not word.isalpha() or word in FUNCTION_WORDS:
            return (word,)
        if MIN_ABBREVIATION <= len(word) <= MAX_ABBREVIATION and word in self.by_start:
            return tuple(w for w in self.by_start[word] if len(w) > len(word))
        if len(word) >= MIN_TYPO_LENGTH:
            return self.corrections(word) or (word,)
        return (word,)

    def corrections(self, word: str) -> tuple[str, ...]:
        """The known words nearest to `word` within the allowed edits; empty when none is.
        Several equally near ones are all returned: the cascade decides only when every
        reading leads to the same code."""
        allowed = 2 if len(word) >= TWO_EDITS_FROM else 1
        near = [
            (distance, known)
            for known in self.words
            if abs(len(known) - len(word)) <= allowed
            and len(known) >= MIN_TYPO_LENGTH - 1
            and (distance := DamerauLevenshtein.distance(word, known, score_cutoff=allowed))
            <= allowed
        ]
        if not near:
            return ()
        best = min(distance for distance, _ in near)
        return tuple(sorted(known for distance, known in near if distance == best))
