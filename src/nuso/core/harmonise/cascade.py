"""Harmonising raw values into national codes: a cascade that decides, or says it cannot.

For each raw value: normalise (nuso.core.harmonise.normalise; a missing marker is no value) →
a review decision → a spelling of the codebook (codes, labels, synonyms, sourced terms) → the
value read with abbreviations written out and slips corrected (nuso.core.harmonise.spelling)
→ the codebook's keyword rules and concerns (tolerant of a slip, aware of compounds and of
negation) → a near spelling (rapidfuzz) → the suggestion model, above its calibrated threshold
and only where no rule spoke → otherwise *pending*: the value waits for review with its best
suggestions. Nothing is guessed below the thresholds. Every decision says how it was made and
how sure it is.

Multi-valued cells (reasons) are split on separators, except where the pieces only make sense
together ("missbruk, förälder" is one reason).

A variable whose codes are numbers ("7", "1.1.01") is often written as a code with its label
("7 - Vold i hjemmet/ barnet vitne til vold i nære relasjoner"): the code decides, unless the
label says another code; such a cell is split before each code, never inside a label. A
variable whose codes have validity dates is read against the list in force on the value's
date (nuso.core.harmonise.in_force).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from nuso.core.harmonise.codebook import Codebook, Variable
from nuso.core.harmonise.normalise import MISSING_MARKERS, normalise
from nuso.core.harmonise.spelling import Spelling
from nuso.core.harmonise.suggest import ModelStore, SuggestionModel, training_examples

Span = tuple[dt.date, dt.date]  # a value's date (first day == last), or a delivery's period
RULE_CONFIDENCE = 0.95
SPELLING_CONFIDENCE = 0.9  # a reading with a word written out or corrected
MIN_KNOWN_WORD = 4  # letters of a word that ties a value to the variable's vocabulary
FUZZY_THRESHOLD = 90.0
FUZZY_MARGIN = 4.0  # the runner-up (another code) must be this far behind
TYPO_MIN_LENGTH = 6
COMPOUND_PART = 5  # letters of a rule word found inside a compound
COMPOUND_HEAD = 3  # letters of the compound before it
NEGATIONS = frozenset(
    {"ej", "inte", "ingen", "inget", "inga", "icke", "utan", "aldrig", "nej", "ingenting"}
    | {"ikke", "ikkje", "uten", "aldri", "ingenting"}  # Norwegian (bokmål, nynorsk)
)
NUMBERED_CODE = re.compile(r"^\d+(?:\.\d+)*$")
LEADING_CODE = re.compile(r"^\s*(\d+(?:\.\d+)*)\s*[-–—:.)]?\s+\S")
NEXT_CODE = re.compile(r",\s*(\d+(?:\.\d+)*)\s*[-–—:.)]\s")  # ", 9 - Barnet …"
STRONG_SEPARATORS = re.compile(r"\s*[;|\n]\s*")
WEAK_SEPARATORS = re.compile(r"(\s*,\s*|\s+[-–—/+]\s+)")  # "a / b", "a + b" split; "a/b" not
# Words that join two values in a hand-kept list ("Missbruk förälder och skolfrånvaro"), but
# also the parts of one ("Hot och våld", "Hedersrelaterat våld och förtryck"): `conjoined`
CONJUNCTIONS = re.compile(r"\s+(?:och|samt|plus)\s+|\s*&\s*", re.IGNORECASE)


# What each method of a decision means, for the import reports (the codes are stored).
METHODS = {
    "exact": "stavningen finns i kodboken",
    "manual": "granskningsbeslut",
    "rule": "kodbokens nyckelordsregel",
    "fuzzy": "liknar en känd stavning",
    "crosswalk": "en senare kod, läst som koden den delades ut ur och som gällde vid radens datum",
    "spelling": "känd efter att en förkortning skrivits ut eller ett stavfel rättats",
    "model": "förslagsmodellen var mycket säker",
    "pending": "väntar på granskning",
    "empty": "tomt värde",
    "derived": "härlett ur personnummer eller födelsedatum",
    "unchecked": "läst ur personnummer med fel kontrollsiffra (datum och könssiffra som de står)",
    "estimated": "uppskattat ur födelseår eller periodens mitt",
}


@dataclass(frozen=True)
class Decision:
    code: str | None
    method: str  # exact | manual | spelling | rule | fuzzy | model | pending | empty
    confidence: float
    suggestions: tuple[tuple[str, float], ...] = ()
    note: str = ""  # why a value waits, where the reviewer needs to know (a code's period)

    @property
    def pending(self) -> bool:
        return self.method == "pending"


@dataclass(frozen=True)
class Rule:
    code: str
    positives: tuple[tuple[str, ...], ...]  # every group must match a word
    negatives: tuple[str, ...]  # no word may start with these

    @property
    def negates(self) -> bool:
        """Whether the rule itself asks for a negation ("utredning ej|inte|ingen")."""
        return any(word in NEGATIONS for group in self.positives for word in group)

    @classmethod
    def parse(cls, code: str, text: str) -> Rule:
        positives, negatives = [], []
        for group in text.split():
            if group.startswith("!"):
                negatives.extend(group[1:].split("|"))
            else:
                positives.append(tuple(group.split("|")))
        return cls(code, tuple(positives), tuple(negatives))

    @classmethod
    def of_concern(cls, code: str, concern: dict[str, list[str]]) -> Rule:
        """A concern (see codebook.yaml): its topic and the persons that make it this code's
        must occur, the others' must not. Without persons it is the reading of a phrase that
        names nobody, so no person word at all may occur."""
        persons = tuple(concern.get("persons", ()))
        positives = (tuple(concern["topic"]), persons) if persons else (tuple(concern["topic"]),)
        return cls(code, positives, (*concern.get("others", ()), *concern.get("not", ())))

    def matches(self, words: tuple[str, ...]) -> bool:
        if any(word.startswith(negative) for word in words for negative in self.negatives):
            return False
        if not self.negates and NEGATIONS.intersection(words):
            return False  # "ej missbruk", "ingen oro": a rule that says nothing of negation
        return all(any(starts_like(word, group) for word in words) for group in self.positives)


def counterparts(concerns: list[tuple[str, dict[str, Any]]]) -> dict[str, set[str]]:
    """Codes of the same topic for other persons: the child's and the parent's abuse."""
    by_topic: dict[tuple[str, ...], set[str]] = {}
    for code, concern in concerns:
        by_topic.setdefault(tuple(concern["topic"]), set()).add(code)
    found: dict[str, set[str]] = {}
    for codes in by_topic.values():
        for code in codes:
            found.setdefault(code, set()).update(codes - {code})
    return found


def rule_words(rules: Iterable[Rule]) -> list[str]:
    """The word beginnings of rules, as words an abbreviation may stand for."""
    return [" ".join(group) for rule in rules for group in rule.positives]


@lru_cache(maxsize=65_536)  # an import asks about the same few hundred words again and again
def starts_like(word: str, prefixes: tuple[str, ...]) -> bool:
    """The word begins with one of the prefixes, allowing one slip of the keyboard in long
    ones ("misshandle" still begins like "misshandel", "siucid" like "suicid"); or it is a
    compound whose last part begins so ("föräldrakonflikt" is a konflikt, "alkoholmissbruk"
    a missbruk): a Swedish compound is what its last part is."""
    return any(begins_like(word, prefix) or in_compound(word, prefix) for prefix in prefixes)


def negation_like(word: str) -> bool:
    """A negation, or a word beginning with one of three letters or more."""
    return any(word.startswith(negation) for negation in NEGATIONS if len(negation) >= 3) or (
        word in NEGATIONS
    )


def begins_like(word: str, prefix: str) -> bool:
    if prefix in NEGATIONS:  # a whole word: "ingår" is no "inga", "inteder" no "inte"
        return word == prefix
    if word.startswith(prefix):
        return True
    if len(prefix) < TYPO_MIN_LENGTH or len(word) < len(prefix) - 1:
        return False
    return any(
        DamerauLevenshtein.distance(word[:end], prefix, score_cutoff=1) <= 1
        for end in (len(prefix) - 1, len(prefix), len(prefix) + 1)
    )


def in_compound(word: str, prefix: str) -> bool:
    """The prefix begins a part of the word after a first part of three letters or more;
    short prefixes and negations never ("mot" is no part of "motstånd", nor "ingen" of
    "aktualiseringen")."""
    if (
        prefix in NEGATIONS
        or len(prefix) < COMPOUND_PART
        or len(word) < len(prefix) + COMPOUND_HEAD
    ):
        return False
    return any(
        word.startswith(prefix, start)
        for start in range(COMPOUND_HEAD, len(word) - len(prefix) + 1)
    )


class VariableMatcher:
    """The cascade for one codebook variable, with decisions from review on top."""

    def __init__(
        self,
        variable: Variable,
        learned: dict[str, str] | None = None,
        models: ModelStore | None = None,
    ) -> None:
        self.variable = variable
        self.models = models or ModelStore()
        self.known: dict[str, str] = {}
        self.named: dict[str, set[str]] = {}  # a spelling may be of codes of several periods
        for entry in variable.codes:
            for spelling in entry.spellings:
                self.known.setdefault(normalise(str(spelling)), entry.code)
                self.named.setdefault(normalise(str(spelling)), set()).add(entry.code)
        self.learned = {normalise(raw): code for raw, code in (learned or {}).items()}
        concerns = [
            (entry.code, concern)
            for entry in variable.codes
            for concern in entry.attributes.get("concerns", ())
        ]
        self.rules = [
            Rule.parse(entry.code, text)
            for entry in variable.codes
            for text in entry.attributes.get("rules", ())
        ] + [Rule.of_concern(code, concern) for code, concern in concerns]
        self.counterparts = counterparts(concerns)
        # A residual code ("Övrigt/annat") is meant only where no specific code is: "annat"
        # qualifies a reason ("Annat socialt nedbrytande beteende") as often as it is one.
        self.residual = frozenset(e.code for e in variable.codes if e.attributes.get("residual"))
        self.topics = {tuple(concern["topic"]) for _, concern in concerns}
        self.persons = tuple(  # whom a reason can concern: the model cannot tell which
            sorted({p for _, c in concerns for p in (*c.get("persons", ()), *c.get("others", ()))})
        )
        # numbered codes by their key ("1 1 01" for 1.1.01): a value may begin with one
        self.numbered = {
            normalise(entry.code): entry.code
            for entry in variable.codes
            if NUMBERED_CODE.match(entry.code)
        }
        self.spellings = list({**self.known, **{k: v for k, v in self.learned.items() if v}})
        self.spelling = Spelling([*self.spellings, *rule_words(self.rules)])
        # Exports repeat a few thousand spellings over hundreds of thousands of rows.
        self.decide = lru_cache(maxsize=None)(self._decide)
        self.without_model = lru_cache(maxsize=None)(self._without_model)
        self.settled = lru_cache(maxsize=None)(self._settled)
        self.rule_codes = lru_cache(maxsize=None)(self._rule_codes)  # asked twice when pending
        self.all_rule_codes = lru_cache(maxsize=None)(self._all_rule_codes)  # pieces recur
        self.split = lru_cache(maxsize=None)(self._split)

    def _decide(self, raw: str) -> Decision:
        key = normalise(raw)
        if not key or key in MISSING_MARKERS:
            return Decision(None, "empty", 1.0)
        known = self.settled(key)
        headed = self.under_heading(raw, known)
        if headed is not None:
            return headed
        if known is not None:
            return known
        ruled = self.rule_codes(key)
        model = self.model()
        ranked = model.rank(key)
        if ranked and ranked[0][1] >= model.threshold and self.model_may_decide(key):
            return Decision(ranked[0][0], "model", ranked[0][1])
        return Decision(None, "pending", 0.0, self.suggestions(key, ruled, ranked))

    def under_heading(self, raw: str, known: Decision | None) -> Decision | None:
        """A value written under a heading ("Familj och miljö: Hedersrelaterat våld"): the
        heading's words can steer the rules away from what the value itself says, or be the
        very person the value concerns ("Föräldrarnas förmåga: Missbruk …"). When the value
        alone and the whole decide differently: if they differ only in whom they concern,
        the heading named the person and the whole stands; if the value alone is a known
        wording, it stands; otherwise a person reads both, and the value waits for review."""
        heading, colon, value = raw.partition(":")
        if not colon or not heading.strip() or not normalise(value):
            return None
        alone = self.settled(normalise(value))
        if known is None:
            return alone
        if alone is None or alone.code == known.code:
            return None
        if alone.code in self.counterparts.get(known.code or "", ()):
            return known
        if alone.method in {"exact", "manual"}:
            return alone
        rivals = ((known.code or "", known.confidence), (alone.code or "", alone.confidence))
        return Decision(None, "pending", 0.0, tuple(sorted(rivals, key=lambda r: -r[1])))

    def _without_model(self, key: str) -> Decision | None:
        """The cascade's steps before the model, for a normalised key: a review decision, a
        codebook spelling, one rule, a near spelling; None when none of them decides."""
        if key in self.learned:
            return Decision(self.learned[key] or None, "manual", 1.0)
        if key in self.known:
            return Decision(self.known[key], "exact", 1.0)
        coded = self.coded(key) if self.numbered else None
        if coded is not None:
            return coded
        ruled = self.rule_codes(key)
        if len(ruled) == 1:
            return Decision(next(iter(ruled)), "rule", RULE_CONFIDENCE)
        return self.fuzzy(key)

    def coded(self, key: str) -> Decision | None:
        """A value that begins with one of the variable's numbered codes, followed by words
        ("7 vold i hjemmet barnet vitne …", "1 1 01 fysisk helse og utvikling"): the code,
        when the words say it too or say nothing the cascade knows; when they say another
        code, the value waits for review with both."""
        words = key.split()
        for size in range(min(len(words) - 1, 3), 0, -1):  # "1 1 01" before "1"
            code = self.numbered.get(" ".join(words[:size]))
            if code is None or words[size][0].isdigit():  # "1 1 01" is no "1" with words
                continue
            rest = " ".join(words[size:])
            if code in self.named.get(rest, ()):
                return Decision(code, "exact", 1.0)
            said = self.without_model(rest)
            if said is None or said.code in {code, None}:
                return Decision(code, "exact", 1.0)
            both = ((code, RULE_CONFIDENCE), (said.code or "", said.confidence))
            return Decision(None, "pending", 0.0, both)
        return None

    def _settled(self, key: str) -> Decision | None:
        """The decision of the steps before the model, on the value as written and as read
        with its abbreviations written out and slips corrected. A rule can match a value
        whose unknown words it cannot see ("Påg. utredning" looks like a started
        investigation until "påg." is read as "pågående"), so the reading, which sees every
        word, goes first; a spelling known whole or a review decision stands."""
        known = self.without_model(key)
        if known is not None and known.method in {"exact", "manual"}:
            return known
        return self.read(key) or known

    def model_may_decide(self, key: str) -> bool:
        """The model decides only what no rule spoke to: not a value a rule matched (rules
        that tie, or a topic whose person is unclear, left it for review on purpose), not a
        negated value, nor one with a word that begins like a negation ("Inteder" may be
        "inte" or a slip of "inleder": which decides the code), not one that names a person
        (whose it is decides the code), and not text that shares no word with the variable."""
        words = tuple(key.split())
        return (
            not self.all_rule_codes(key)
            and not any(negation_like(word) for word in words)
            and not self.names_a_topic(words)
            and not any(starts_like(word, self.persons) for word in words)
            and self.knows_a_word(key)
        )

    def names_a_topic(self, words: tuple[str, ...]) -> bool:
        """Whether a concern's topic occurs ("Psykisk ohälsa", no person named): who it
        concerns is then the question, which the model cannot answer."""
        return any(any(starts_like(word, topic) for word in words) for topic in self.topics)

    def knows_a_word(self, key: str) -> bool:
        """Whether the value has a word the variable is written with (as written, or read):
        text that shares none ("'; DROP TABLE …", "Kategori 7") is never decided by the
        model, however its letters happen to score."""
        return any(
            word in self.spelling.words or self.spelling.word_readings(word) != (word,)
            for word in key.split()
            if len(word) >= MIN_KNOWN_WORD
        )

    def read(self, key: str) -> Decision | None:
        """A decision for a value read with its abbreviations written out or its typing
        errors corrected (nuso.core.harmonise.spelling), when every reading that decides
        agrees on one code."""
        decided = [self.without_model(reading) for reading in self.spelling.readings(key)]
        codes = {decision.code for decision in decided if decision is not None and decision.code}
        if len(codes) != 1:
            return None
        return Decision(codes.pop(), "spelling", SPELLING_CONFIDENCE)

    def recognises(self, cell: str, multi: bool) -> bool:
        """Whether the cell holds spellings of this variable's codes (every value of it, for a
        multi-valued variable): what tells, without a header, that a column holds this
        variable. The model is not asked: it finds some code for any text."""
        values = self.split(cell) if multi else [cell]
        return bool(values) and all(
            (known := self.settled(normalise(value))) is not None and known.code is not None
            for value in values
        )

    def _rule_codes(self, key: str) -> frozenset[str]:
        words = tuple(key.split())
        matched = [rule for rule in self.rules if rule.matches(words)]
        if not matched:
            return frozenset()
        matched = [rule for rule in matched if rule.code not in self.residual] or matched
        # The most specific rules win ("psyk foralder" over a bare "foralder"); a tie between
        # codes leaves the value undecided.
        best = max(len(rule.positives) for rule in matched)
        return frozenset(rule.code for rule in matched if len(rule.positives) == best)

    def _all_rule_codes(self, key: str) -> frozenset[str]:
        words = tuple(key.split())
        return frozenset(rule.code for rule in self.rules if rule.matches(words))

    def fuzzy(self, key: str) -> Decision | None:
        candidates = process.extract(key, self.spellings, scorer=fuzz.ratio, limit=5)
        if not candidates:
            return None
        spelling, score, _ = candidates[0]
        code = self.code_of(spelling)
        rival = next((s for text, s, _ in candidates[1:] if self.code_of(text) != code), 0.0)
        negation_differs = (set(key.split()) & NEGATIONS) != (set(spelling.split()) & NEGATIONS)
        if score >= FUZZY_THRESHOLD and score - rival >= FUZZY_MARGIN and not negation_differs:
            return Decision(code, "fuzzy", round(score / 100, 3))
        return None

    def code_of(self, spelling: str) -> str:
        return self.learned.get(spelling) or self.known[spelling]

    def model(self) -> SuggestionModel:
        """Read or trained on first need: most imports decide everything before this step."""
        return self.models.model(self.variable.name, self.training_examples())

    def training_examples(self) -> list[tuple[str, str]]:
        return training_examples(self.variable, self.learned)

    def prepare_model(self) -> bool:
        """The model read or trained now; True when it had to be trained."""
        examples = self.training_examples()
        trained = not self.models.has(self.variable.name, examples)
        self.models.model(self.variable.name, examples)
        return trained

    def suggestions(
        self, key: str, ruled: frozenset[str], ranked: list[tuple[str, float]]
    ) -> tuple[tuple[str, float], ...]:
        """Codes for the reviewer: those whose rules matched (a tie), then the model's."""
        scored: dict[str, float] = dict.fromkeys(ruled, RULE_CONFIDENCE)
        for code, probability in ranked:
            scored.setdefault(code, probability)
        # Ties in code order: the same queue in every run (a set's order is not).
        return tuple(sorted(scored.items(), key=lambda item: (-item[1], item[0]))[:3])

    # --- several values in one cell ---

    def _split(self, cell: str) -> list[str]:
        """The values of a multi-valued cell: a cell that is one known spelling stays whole;
        otherwise strong separators (; |) always split, and commas and dashes split unless
        the pieces only decide together ("Missbruk, förälder")."""
        if not cell or not cell.strip():
            return []
        if self.known_spelling(cell):
            return [cell.strip()]
        values: list[str] = []
        for part in STRONG_SEPARATORS.split(cell):
            if part.strip():
                values.extend(self.coded_pieces(part) or self.split_weak(part))
        return values

    def coded_pieces(self, part: str) -> list[str] | None:
        """A part written as codes with labels ("7 - Vold i hjemmet/ …, 9 - Barnet utsatt for
        fysisk vold"), split before each code and never inside a label (labels hold commas);
        None when the part does not begin with a code of the variable and words."""
        start = LEADING_CODE.match(part) if self.numbered else None
        if start is None or normalise(start[1]) not in self.numbered:
            return None
        cuts = [m.start() for m in NEXT_CODE.finditer(part) if normalise(m[1]) in self.numbered]
        bounds = zip([0, *cuts], [*cuts, len(part)], strict=True)
        pieces = [part[start:end].strip(" ,") for start, end in bounds]
        return [piece for piece in pieces if piece]

    def known_spelling(self, text: str) -> bool:
        key = normalise(text)
        return key in self.learned or key in self.known

    def single_value(self, text: str) -> bool:
        """Whether the text is one value: a known spelling, one rule's, or one code when its
        slips are corrected ("Pskisk ohälsa förälder" is one value before the comma)."""
        key = normalise(text)
        if key in self.learned or key in self.known:
            return True
        if STRONG_SEPARATORS.search(text):
            return False
        return len(self.all_rule_codes(key)) == 1 or self.read(key) is not None

    def split_weak(self, part: str) -> list[str]:
        """Split on commas and dashes; a piece that is no value on its own is joined with as
        few following pieces as make one value ("Psykisk ohälsa" + "förälder")."""
        if self.known_spelling(part):
            return [part.strip()]
        pieces = WEAK_SEPARATORS.split(part)  # [value, separator, value, separator, …]
        words, separators = pieces[0::2], pieces[1::2]

        def joined(start: int, stop: int) -> str:
            rest = zip(separators[start : stop - 1], words[start + 1 : stop], strict=True)
            return (words[start] + "".join(s + w for s, w in rest)).strip()

        values: list[str] = []
        i = 0
        while i < len(words):
            taken = 1
            if self.qualifies_before(values, words[i]):  # "Kriminalitet, eget, Våld …"
                values[-1] = f"{values[-1]}, {words[i].strip()}"
                i += 1
                continue
            if not self.single_value(words[i]):
                for stop in range(i + 2, min(len(words), i + 3) + 1):
                    if self.single_value(joined(i, stop)):
                        taken = stop - i
                        break
            if joined(i, i + taken):
                values.append(joined(i, i + taken))
            i += taken
        return [piece for value in self.qualified(values) for piece in self.conjoined(value)]

    def qualifies_before(self, values: list[str], word: str) -> bool:
        """A piece in lower case that is no value alone ("eget", "förälder") qualifies the
        value before it, where together they are one: it does not begin the next."""
        text = word.strip()
        return (
            bool(values and text)
            and text[0].islower()
            and not self.single_value(text)
            and self.single_value(f"{values[-1]}, {text}")
        )

    def conjoined(self, value: str) -> list[str]:
        """A value joined of others by "och", "samt" or "&", split where every part decides
        a code of its own and no two parts the same one: "Missbruk förälder och skolfrånvaro"
        is two values, "Hot och våld" (one code twice) and "Våld och förtryck" (a part that
        says nothing alone) stay one."""
        parts = [part.strip() for part in CONJUNCTIONS.split(value)]
        if len(parts) < 2 or not all(parts) or self.known_spelling(value):
            return [value]
        codes = [decision.code if (decision := self.settled(normalise(part))) else None
                 for part in parts]  # fmt: skip
        return parts if None not in codes and len(set(codes)) == len(parts) else [value]

    def qualified(self, values: list[str]) -> list[str]:
        """A piece that is no value on its own but qualifies the one before it joins it,
        when together they are one value: "Kriminalitet, förälder", "Hälsa - psykisk"."""
        merged: list[str] = []
        for value in values:
            if merged and not self.single_value(value):
                together = f"{merged[-1]}, {value}"
                if self.single_value(together):
                    merged[-1] = together
                    continue
            merged.append(value)
        return merged


class Harmoniser:
    """One matcher per codebook variable, built once per import (decisions are cached).
    `models` keeps the suggestion models; without one they are trained in memory. A variable
    whose codes have validity dates is also read against the list in force on a value's
    date (`in_force`; nuso.core.harmonise.in_force)."""

    def __init__(
        self,
        codebook: Codebook,
        learned: dict[str, dict[str, str]] | None = None,
        models: ModelStore | None = None,
    ) -> None:
        # Imported here: in_force builds on this module's matcher.
        from nuso.core.harmonise.in_force import PeriodMatcher

        self.codebook = codebook
        models = models or ModelStore()
        self.matchers = {
            name: VariableMatcher(variable, (learned or {}).get(name), models)
            for name, variable in codebook.variables.items()
        }
        self.dated = {
            name: PeriodMatcher(self.matchers[name], (learned or {}).get(name))
            for name, variable in codebook.variables.items()
            if variable.dated
        }
        self.lists: dict[tuple[str, Span], frozenset[str]] = {}

    def prepare_models(self, variables: Iterable[str]) -> int:
        """These variables' suggestion models read or trained now, and kept in the store;
        how many had to be trained."""
        return sum(self.matchers[name].prepare_model() for name in variables)

    def in_force(self, variable: str, span: Span | None) -> frozenset[str] | None:
        """The codes of `variable` in force on some day of `span` (first, last day); None
        when the variable's codes have no validity dates or there is no span: then every
        code is read, as always."""
        if span is None or variable not in self.dated:
            return None
        key = (variable, span)
        if key not in self.lists:
            self.lists[key] = self.codebook.variables[variable].in_force(*span)
        return self.lists[key]

    def decide(self, variable: str, raw: str, in_force: frozenset[str] | None = None) -> Decision:
        """The decision for a raw value; against the list `in_force` when one is given."""
        if in_force is None:
            return self.matchers[variable].decide(raw)
        return self.dated[variable].decide(raw, in_force)

    def suggestions(self, variable: str, raw: str) -> tuple[tuple[str, float], ...]:
        """What a reviewer is offered for a value waiting for review. A value of a variable
        with validity dates waits when its code is not in force at its date: the codes that
        replaced it are offered (the import's list in force is not known here)."""
        decision = self.decide(variable, raw)
        if variable in self.dated and decision.code is not None:
            entry = self.codebook.variables[variable].code(decision.code)
            successors = entry.attributes.get("replaced_by", ())
            return tuple((code, 0.5) for code in successors[:3])
        return decision.suggestions

    def recogniser(self, variable: str, multi: bool) -> Callable[[str], bool]:
        """A test of whether a cell holds this codebook variable's values."""
        return partial(self.matchers[variable].recognises, multi=multi)

    def decide_many(
        self, variable: str, cells: list[str], in_force: frozenset[str] | None = None
    ) -> list[tuple[str, Decision]]:
        """Each value of the cells, split by the whole list's spellings, and its decision."""
        matcher = self.matchers[variable]
        return [
            (value, self.decide(variable, value, in_force))
            for cell in cells
            for value in matcher.split(cell)
        ]
