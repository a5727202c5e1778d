"""Plain Swedish sentences about a comparison, for managers: the unit's share, the reference
share and what the test allows one to say. Significance is only claimed where the test (after
correction for the number of comparisons in the table) supports it."""

from __future__ import annotations

import math
from dataclasses import dataclass

SIGNIFICANCE_LEVEL = 0.05
MIN_COMPARABLE = 10  # fewer records than this in the unit's cell: too few to compare
DEFAULT_SENTENCE = "är andelen {andel}"


@dataclass(frozen=True)
class Comparison:
    unit_name: str
    reference_phrase: str  # "i kommungruppen Större stad (utom Karlstad)"
    share: float | None  # None when suppressed
    reference_share: float | None
    unit_total: int | None
    reference_total: int | None
    p_value: float | None
    subject: dict[str, str]  # labels of the cell's dimensions, by dimension name


def percent(share: float, decimals: int | None = None) -> str:
    """Swedish percent: "45 %", "4,5 %" below ten, or with the decimals asked for."""
    value = share * 100
    if decimals is None:
        decimals = 0 if value >= 10 or value == 0 else 1
    return f"{value:.{decimals}f}".replace(".", ",") + "\u00a0%"


def lower_first(label: str) -> str:
    """'Våld mot barnet' -> 'våld mot barnet'; acronyms ('ADHD') stay."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def too_few(comparison: Comparison) -> bool:
    return (
        comparison.share is None
        or comparison.unit_total is None
        or comparison.unit_total < MIN_COMPARABLE
    )


def sentence(template: str, comparison: Comparison) -> str:
    if too_few(comparison):
        return f"I {comparison.unit_name} är antalet för litet för att jämföra."
    if not comparison.reference_total or comparison.reference_share is None:
        return f"Det finns inga uppgifter {comparison.reference_phrase} att jämföra med."
    assert comparison.share is not None
    words = {name: lower_first(label) for name, label in comparison.subject.items()}
    claim = (template or DEFAULT_SENTENCE).format(andel=percent(comparison.share), **words)
    return (
        f"I {comparison.unit_name} {claim}, jämfört med "
        f"{percent(comparison.reference_share)} {comparison.reference_phrase}. "
        f"{conclusion(comparison.p_value)}"
    )


def conclusion(p_value: float | None) -> str:
    if p_value is None or math.isnan(p_value):
        return "Skillnaden kan inte prövas statistiskt."
    if p_value < SIGNIFICANCE_LEVEL:
        return "Skillnaden är statistiskt säkerställd."
    return "Skillnaden är inte statistiskt säkerställd; den kan bero på slumpen."


def is_significant(p_value: float | None) -> bool | None:
    if p_value is None or math.isnan(p_value):
        return None
    return p_value < SIGNIFICANCE_LEVEL
