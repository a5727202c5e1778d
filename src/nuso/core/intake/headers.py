"""What a column header means, read on its words: "Barnets ålder (år)", "Aktualiseringsorsak(er)"
and "Datum för aktualisering" name the same variables as "Ålder", "Orsak" and
"Aktualiseringsdatum", although no list holds them.

A header is normalised to words: case and diacritics folded; plural markers ("(er)") joined to
their word; anything else in parentheses (units, formats) dropped; punctuation and numbers
dropped; possessives ("barnets", "den unges") and units ("år") weigh nothing. Compound words are
split where they end in a word the dictionary's aliases use ("anmälningsorsak" → "anmälning"
+ "orsak"). Words are equal when one is the other with an ending ("orsak", "orsaker").

A header names a target when every word of one of the target's aliases is among its words.
Words after a preposition ("datum *för aktualisering*", "ålder *vid* aktualisering") say
what the head word is about and weigh half; words that the aliases of many targets share
("aktualisering") say little and weigh least. The target of the heaviest alias wins; two
targets equally heavy are both reported and neither is chosen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from nuso.core.harmonise.normalise import fold

PREPOSITIONS = frozenset({"for", "av", "vid", "efter", "om", "till", "i", "pa", "enligt", "fran"})
# Words that say whose or in which unit a value is, never what it is: they weigh nothing, but
# an alias that has one ("samtycke barn") still needs it ("Barnets samtycke", not "Samtycke").
NOISE = frozenset(
    {
        "barnets", "barn", "den", "det", "unges", "unge", "ungdomens", "klientens", "elevens",
        "personens", "ar", "arsalder", "antal", "nr", "och", "eller", "samt",
    }
)  # fmt: skip
PLURAL_MARKER = re.compile(r"(\w)\((?:er|ar|or|na|n|r|s|e|en|et|erna|arna)\)")
PARENTHESISED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
NOT_A_LETTER = re.compile(r"[^a-z]+")
CAMEL_CASE = re.compile(r"(?<=[a-zåäöæø])(?=[A-ZÅÄÖÆØ])")
SHARED_BY = 3  # a word in the aliases of this many targets is the study's own subject
MIN_WORD = 3
MAX_HEADER = 80  # characters: a longer cell is free text, never read as a header
MIN_PART = 4  # of a compound: "för|älder" is no compound of "ålder", "anmälnings|orsak" is
LINKS = ("s", "e")  # the joints of Swedish compounds: anmälnings|orsak, ärende|typ
# Beginnings of words that make a header about another person, event or unit than the
# variable's: the child's age is no "Mammas ålder", the referral's date no "Datum för avslut".
OTHER_SUBJECTS = (
    "mamma", "pappa", "moder", "fader", "foralder", "foraldr", "vardnadshavar", "anmalar",
    "handlaggar", "syskon", "larare", "personal", "avslut", "insats", "placering", "manad",
    "vecka", "veckor", "dagar", "dygn", "timm",
)  # fmt: skip
# Swedish inflections of nouns and participles: plural, definite, genitive, supine.
ENDINGS = frozenset(
    {
        "e", "n", "t", "r", "s", "a", "en", "et", "er", "ar", "or", "na", "ns", "ts", "es",
        "ade", "at", "men", "met", "mer", "erna", "arna", "orna", "ens", "ets",
    }
)  # fmt: skip


@dataclass(frozen=True)
class HeaderMatch:
    target: str  # "" when nothing matched or two targets are equally likely
    rule: str  # how: "namn" (an alias whole), "ord" (the words of an alias)
    alias: str = ""
    candidates: tuple[str, ...] = ()  # when two or more targets fit equally well


@dataclass(frozen=True)
class Alias:
    target: str
    text: str
    words: tuple[str, ...]


def same_word(left: str, right: str) -> bool:
    """The same word but for an inflection: "orsak"/"orsaker", "kön"/"könet",
    "inkom"/"inkommen"; never a compound ("ärende"/"ärendetyp")."""
    short, long_ = sorted((left, right), key=len)
    if short == long_:
        return True
    return len(short) >= MIN_WORD and long_.startswith(short) and long_[len(short) :] in ENDINGS


def letters_of(text: str) -> list[str]:
    text = CAMEL_CASE.sub(" ", text)  # a system's field name: "ClientGender", "AktDatum"
    text = PLURAL_MARKER.sub(r"\1", fold(text))
    text = PARENTHESISED.sub(" ", text)
    return NOT_A_LETTER.sub(" ", text).split()


class HeaderReader:
    """The aliases of a study's variables and source columns, and headers read against them."""

    def __init__(self, aliases: Mapping[str, Iterable[str]]) -> None:
        raw = [(target, text) for target, texts in aliases.items() for text in texts]
        self.vocabulary = frozenset(w for _, text in raw for w in letters_of(text) if len(w) > 2)
        self.aliases = [Alias(t, text, self.words(text)) for t, text in raw]
        self.aliases = [alias for alias in self.aliases if alias.words]
        owners: dict[str, set[str]] = {}
        for alias in self.aliases:
            for word in alias.words:
                owners.setdefault(word, set()).add(alias.target)
        self.shared = frozenset(w for w, targets in owners.items() if len(targets) >= SHARED_BY)
        self.read = lru_cache(maxsize=4096)(self._read)

    def split_words(self, text: str) -> list[str]:
        """A text's words with its compounds split, prepositions kept, in order."""
        return [part for word in letters_of(text) for part in self.split_compound(word)]

    def words(self, text: str) -> tuple[str, ...]:
        """A header's or alias's meaningful words: its split words but the prepositions."""
        return tuple(w for w in self.split_words(text) if w not in PREPOSITIONS)

    def split_compound(self, word: str) -> list[str]:
        """A word that ends in an alias word, after a beginning of four letters or more and
        a joint: "anmalningsorsak" → ["anmalning", "orsak"]. Aliases are split alike, so
        "aktualiseringsdatum" and "datum för aktualisering" have the same words."""
        if len(word) < 2 * MIN_PART or len(word) > MAX_HEADER:
            return [word]
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            head, tail = word[:cut], word[cut:]
            if tail in self.vocabulary:
                if head.endswith(LINKS) and len(head) > MIN_PART:
                    head = head[:-1]  # the joint: anmälning|s|orsak
                return [head, tail]
        return [word]

    def weights(self, header: str) -> dict[str, float]:
        """Each word of a header with its weight: 1 before the first preposition, ½ after it;
        a word many targets share a quarter of that; possessives and units nothing."""
        weights: dict[str, float] = {}
        after = False
        for word in self.split_words(header):
            if word in PREPOSITIONS:
                after = True
                continue
            shared = any(same_word(word, common) for common in self.shared)
            weight = (0.5 if after else 1.0) * (0.25 if shared else 1.0) * (word not in NOISE)
            weights[word] = max(weights.get(word, 0.0), weight)
        return weights

    def _read(self, header: str) -> HeaderMatch:
        if len(header) > MAX_HEADER:  # free text, not a header
            return HeaderMatch("", "")
        weights = self.weights(header)
        if not weights:
            return HeaderMatch("", "")
        scores: dict[str, float] = {}
        best_alias: dict[str, str] = {}
        for alias in self.aliases:
            score = alias_score(alias, weights)
            if score > scores.get(alias.target, 0.0):
                scores[alias.target], best_alias[alias.target] = score, alias.text
        if not any(scores.values()):
            return HeaderMatch("", "")
        top = max(scores.values())
        leaders = sorted(target for target, score in scores.items() if score == top)
        if len(leaders) > 1:
            return HeaderMatch("", "tvetydig", candidates=tuple(leaders))
        chosen = best_alias[leaders[0]]
        if self.about_someone_else(header, chosen):
            return HeaderMatch("", "annan", chosen, candidates=(leaders[0],))
        return HeaderMatch(leaders[0], "ord", chosen)

    def about_someone_else(self, header: str, alias: str) -> bool:
        """Whether the header's words left over by the alias say it is about another person,
        event or unit ("Mammas ålder", "Anmälarens kön", "Orsak till avslut", "Ålder i
        månader"): then the match is no match, and an analyst chooses."""
        explained = set(self.words(alias))
        left = [
            word
            for word in self.split_words(header)
            if not any(same_word(word, known) for known in explained)
        ]
        return any(word.startswith(OTHER_SUBJECTS) for word in left)


def alias_score(alias: Alias, weights: dict[str, float]) -> float:
    """How much of the header an alias explains: the weight of the header words that its
    words are, provided every one of its words is there; 0 otherwise."""
    total = 0.0
    for word in alias.words:
        found = [weight for header_word, weight in weights.items() if same_word(word, header_word)]
        if not found:
            return 0.0
        total += max(found)
    return total
