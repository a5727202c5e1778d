"""Plain Swedish sentences about a comparison, for managers: the unit's share, the reference
share and what the test allows one to say. Significance is only claimed where the test (after
correction for the number of comparisons in the table) supports it."""

from __future__ import annotations

import math
from dataclasses import dataclass

import polars as pl

from nuso.core.analysis.indicators.counting import NATION
from nuso.core.analysis.indicators.inputs import StudyInput
from nuso.core.harmonise.table_definitions import TableDefinition

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


# --- the engine's comparisons ---


def sentences(
    study: StudyInput, table: TableDefinition, frame: pl.DataFrame, level: str
) -> list[str]:
    columns = table.dimension_columns
    step_labels = {outcome.name: outcome.label for outcome in table.outcomes}
    out = []
    for row in frame.select(
        "enhet", "ref_enhet", *columns, "antal", "total", "ref_andel", "ref_total",
        "p_varde", "provbar", "antal_dold", "total_dold", "ref_antal_dold", "ref_total_dold",
    ).iter_rows(named=True):  # fmt: skip
        unit_name = study.names.get(("kommun", row["enhet"]), row["enhet"])
        unit_hidden = row["antal_dold"] or row["total_dold"]
        reference_hidden = row["ref_antal_dold"] or row["ref_total_dold"]
        subject = {
            name: (step_labels if name == "steg" else study.labels.get(name, {})).get(
                row[name], row[name]
            )
            for name in columns
        }
        comparison = Comparison(
            unit_name=unit_name,
            reference_phrase=reference_phrase(study, level, row["ref_enhet"], unit_name),
            share=None if unit_hidden or not row["total"] else row["antal"] / row["total"],
            reference_share=None if reference_hidden else row["ref_andel"],
            unit_total=None if unit_hidden else row["total"],
            reference_total=None if reference_hidden else row["ref_total"],
            p_value=row["p_varde"] if row["provbar"] else None,
            subject=subject,
        )
        out.append(sentence(table.sentence, comparison))
    return out


def reference_phrase(study: StudyInput, level: str, code: str, unit_name: str) -> str:
    if level == NATION:
        return "i riket"
    name = study.names.get((level, code), code)
    if level == "kommungrupp":
        return f"i kommungruppen {name} (utom {unit_name})"
    return f"i kommuner med {lower_first(name)} (utom {unit_name})"


def distribution_sentence(
    study: StudyInput, table: TableDefinition, code: str, level: str, reference: str,
    p: float, too_few: bool,
) -> str:  # fmt: skip
    unit_name = study.names.get(("kommun", code), code)
    if too_few:
        return f"I {unit_name} är antalet för litet för att jämföra fördelningen."
    phrase = reference_phrase(study, level, reference, unit_name)
    subject = f"Fördelningen av {lower_first(table.title)} i {unit_name}"
    if is_significant(p):
        return f"{subject} skiljer sig statistiskt säkerställt från den {phrase}."
    return f"{subject} skiljer sig inte statistiskt säkerställt från den {phrase}."
