"""Codes with validity dates: a value read against the list in force on its date.

A code list that changes over time (SSB's lists for Norwegian child welfare: a code ends, its
meaning is split into new codes, a whole new list replaces the old) gives its codes
`valid_from` and `valid_to`. A value dated D is then decided against the codes in force on D:

1. the cascade over those codes only (their spellings, rules and review decisions; the
   suggestion model of the whole list, counting only codes in force and never renormalised,
   so it decides nothing it was less sure of before): a bare number is read as the code of
   that number in force ("1" is 'Henlagt' until 2025 and nothing after);
2. unless the value is a spelling of a code of another period (its code, its label, a near
   spelling, a reading of one, a review decision for it) and of no code in force. A code
   that a later list split out of one in force at the date (`replaced_by`: melder 24 came
   out of 15 in 2025) is read as that one, whose meaning holds it ("crosswalk"); any other
   waits for review, with the codes in force that replaced it as suggestions and a note
   saying when its code was in force. A value valid only in another period is never taken
   silently as a code of this one.

Values without a date are read against every code in force at some time of the delivery's
period (nuso.core.intake.records). A variable without validity dates never comes here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import lru_cache

from nuso.core.harmonise.cascade import Decision, VariableMatcher
from nuso.core.harmonise.codebook import Code
from nuso.core.harmonise.suggest import SuggestionModel

# Ways the whole list decides that tie a value to one code: a spelling, a near spelling, a
# reading of one, a review decision. A rule's or the model's choice of an old code is no
# such tie: the list in force reads the value on its own.
SPELT = frozenset({"exact", "fuzzy", "spelling", "manual"})
SUCCESSOR_CONFIDENCE = 0.5
PREDECESSOR_CONFIDENCE = 0.9  # sure of the meaning, read through the crosswalk


@dataclass(frozen=True, eq=False)
class InForceModel(SuggestionModel):
    """The whole list's suggestion model, ranking only the codes in force. Probabilities are
    the whole model's: a code in force decides only as surely as it did among all codes."""

    in_force: frozenset[str] = frozenset()

    def rank(self, key: str, top: int = 3) -> list[tuple[str, float]]:
        ranked = super().rank(key, top=len(self.codes))
        return [(code, p) for code, p in ranked if code in self.in_force][:top]


class ListMatcher(VariableMatcher):
    """The cascade over the codes of one list; its model is the whole list's (trained once,
    with the codebook)."""

    def __init__(self, whole: VariableMatcher, in_force: frozenset[str], learned: dict[str, str]):
        codes = tuple(entry for entry in whole.variable.codes if entry.code in in_force)
        super().__init__(replace(whole.variable, codes=codes), learned, whole.models)
        self.whole, self.in_force = whole, in_force

    def model(self) -> SuggestionModel:
        model = self.whole.model()
        return InForceModel(
            model.codes, model.vocabulary, model.idf, model.coefficients, model.intercepts,
            model.threshold, model.calibration, in_force=self.in_force,
        )  # fmt: skip

    def prepare_model(self) -> bool:
        return self.whole.prepare_model()


class PeriodMatcher:
    """A dated variable's decisions against a list in force (see the module)."""

    def __init__(self, whole: VariableMatcher, learned: dict[str, str] | None = None) -> None:
        self.whole = whole
        self.learned = learned or {}
        self.lists: dict[frozenset[str], ListMatcher] = {}
        self.decide = lru_cache(maxsize=None)(self._decide)

    def matcher(self, in_force: frozenset[str]) -> ListMatcher:
        if in_force not in self.lists:
            # A review decision holds where its code is in force ("" — no value — always).
            learned = {raw: code for raw, code in self.learned.items() if code in in_force | {""}}
            self.lists[in_force] = ListMatcher(self.whole, in_force, learned)
        return self.lists[in_force]

    def _decide(self, raw: str, in_force: frozenset[str]) -> Decision:
        if in_force == self.whole.variable.code_set:
            return self.whole.decide(raw)
        whole = self.whole.decide(raw)
        if not in_force:
            if whole.code is None:
                return whole
            return self.elsewhere(raw, self.whole.variable.code(whole.code), in_force, ())
        own = self.matcher(in_force).decide(raw)
        if own.method in {"exact", "manual", "empty"}:
            return own
        if whole.code is not None and whole.code not in in_force and whole.method in SPELT:
            entry = self.whole.variable.code(whole.code)
            return self.elsewhere(raw, entry, in_force, own.suggestions)
        return own

    def elsewhere(
        self,
        raw: str,
        entry: Code,
        in_force: frozenset[str],
        otherwise: tuple[tuple[str, float], ...],
    ) -> Decision:
        """A value that names a code of another period: the one code in force it was split
        out of, else it waits for review, with the codes in force that replaced it
        (`replaced_by`) as suggestions, else the list's own."""
        predecessors = [
            other.code
            for other in self.whole.variable.codes
            if other.code in in_force and entry.code in other.attributes.get("replaced_by", ())
        ]
        if len(predecessors) == 1:
            return Decision(predecessors[0], "crosswalk", PREDECESSOR_CONFIDENCE)
        successors = [code for code in entry.attributes.get("replaced_by", ()) if code in in_force]
        suggestions = tuple((code, SUCCESSOR_CONFIDENCE) for code in successors) or otherwise
        note = (
            f"{raw.strip()!r} är koden {entry.code} ({entry.label}), som gäller "
            f"{period_text(entry.valid_from, entry.valid_to)}: inte vid radens datum"
        )
        return Decision(None, "pending", 0.0, suggestions[:3], note=note)


def period_text(start: dt.date, end: dt.date) -> str:
    """'från 2013-01-01 till 2020-12-31', 'från 2026-01-01', 'till 2024-12-31'."""
    parts = []
    if start != dt.date.min:
        parts.append(f"från {start.isoformat()}")
    if end != dt.date.max:
        parts.append(f"till {end.isoformat()}")
    return " ".join(parts) or "alltid"
