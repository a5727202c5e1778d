"""Plain sentences about a comparison, for managers: the unit's share, the reference share and
what the test allows one to say. Significance is only claimed where the test (after
correction for the number of comparisons in the table) supports it.

The engine writes the Swedish sentences into the tables (`vagledning`). The same sentences in
another language (`ENGLISH`, `NORWEGIAN`: bokmål) are composed from the published rows
(`published_comparison`), so that a page in English or Norwegian says what the Swedish one says.
Each template names its fields, so that a language may put them in its own order."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from nuso.core.analysis.indicators.counting import NATION
from nuso.core.analysis.indicators.frame import MISSING
from nuso.core.analysis.indicators.inputs import StudyInput
from nuso.core.countries import COUNTRIES, NORWAY
from nuso.core.harmonise.table_definitions import TableDefinition

SIGNIFICANCE_LEVEL = 0.05
MIN_COMPARABLE = 10  # fewer records than this in the unit's cell: too few to compare
AGE_RANGE = re.compile(r"^(\d+)\s*[–-]\s*(\d+) år$")  # an age group's label: "15–17 år"


@dataclass(frozen=True)
class Wording:
    """The words of the sentences in one language; {fields} are filled in by `sentence`."""

    place: str  # the unit
    place_selected: str  # the unit, with the selection the figures are of
    too_few: str
    nothing_to_compare: str
    compared: str
    untestable: str
    significant: str
    not_significant: str
    default_claim: str  # a table without a sentence of its own
    nation: str  # Sweden, the nation of its studies
    nation_norway: str  # Norway, the nation of a Norwegian study
    group: str
    county: str  # a Norwegian unit's fylke (Norway has no SKR groups; Sweden's are used there)
    band: str
    age_selection: str
    selection: str
    missing_selection: str
    distribution_too_few: str
    distribution_differs: str
    distribution_same: str
    decimal_mark: str
    percent_sign: str
    language: str  # its code: a study's own claims are in its country's language


SWEDISH = Wording(
    place="{unit}",
    place_selected="{unit}, {selection},",
    too_few="I {place} är antalet för litet för att jämföra.",
    nothing_to_compare="Det finns inga uppgifter {selection}{reference} att jämföra med.",
    compared="I {place} {claim}, jämfört med {reference_share} {reference}. {conclusion}",
    untestable="Skillnaden kan inte prövas statistiskt.",
    significant="Skillnaden är statistiskt säkerställd.",
    not_significant="Skillnaden är inte statistiskt säkerställd; den kan bero på slumpen.",
    default_claim="är andelen {andel}",
    nation="i riket",
    nation_norway="i Norge",
    group="i kommungruppen {name} (utom {unit})",
    county="i fylket {name} (utom {unit})",
    band="i kommuner med {band} (utom {unit})",
    age_selection="bland {low}–{high}-åringar",
    selection="bland dem vars {title} är {label}",
    missing_selection="bland dem utan uppgift om {title}",
    distribution_too_few="I {place} är antalet för litet för att jämföra fördelningen.",
    distribution_differs="Fördelningen av {title} {selection}i {unit} skiljer sig statistiskt "
    "säkerställt från den {reference}.",
    distribution_same="Fördelningen av {title} {selection}i {unit} skiljer sig inte statistiskt "
    "säkerställt från den {reference}.",
    decimal_mark=",",
    percent_sign="\u00a0%",
    language="sv",
)

ENGLISH = Wording(
    place="{unit},",
    place_selected="{unit}, {selection},",
    too_few="In {place} the number is too small to compare.",
    nothing_to_compare="There are no figures {selection}{reference} to compare with.",
    compared="In {place} {claim}, compared with {reference_share} {reference}. {conclusion}",
    untestable="The difference cannot be tested statistically.",
    significant="The difference is statistically significant.",
    not_significant="The difference is not statistically significant; it may be due to chance.",
    default_claim="the share is {andel}",
    nation="in Sweden",
    nation_norway="in Norway",
    group="in the municipality group {name} (excluding {unit})",
    county="in the county of {name} (excluding {unit})",
    band="in municipalities of the same size (excluding {unit})",
    age_selection="among {low}–{high}-year-olds",
    selection="among those with {title}: {label}",
    missing_selection="among those without information on {title}",
    distribution_too_few="In {place} the number is too small to compare the distribution.",
    distribution_differs="The distribution of {title} {selection}in {unit} differs "
    "significantly from that {reference}.",
    distribution_same="The distribution of {title} {selection}in {unit} does not differ "
    "significantly from that {reference}.",
    decimal_mark=".",
    percent_sign="%",
    language="en",
)

# Bokmål. The size bands' names are Swedish data ("20 001–40 000 invånare"), so the band is
# said as in English, without its name.
NORWEGIAN = Wording(
    place="{unit}",
    place_selected="{unit}, {selection},",
    too_few="I {place} er antallet for lite til å sammenligne.",
    nothing_to_compare="Det finnes ingen tall {selection}{reference} å sammenligne med.",
    compared="I {place} {claim}, sammenlignet med {reference_share} {reference}. {conclusion}",
    untestable="Forskjellen kan ikke testes statistisk.",
    significant="Forskjellen er statistisk signifikant.",
    not_significant="Forskjellen er ikke statistisk signifikant; den kan skyldes tilfeldigheter.",
    default_claim="er andelen {andel}",
    nation="i hele landet",
    nation_norway="i Norge",
    group="i kommunegruppen {name} (utenom {unit})",
    county="i {name} fylke (utenom {unit})",
    band="i kommuner av samme størrelse (utenom {unit})",
    age_selection="blant {low}–{high}-åringer",
    selection="blant dem der {title} er {label}",
    missing_selection="blant dem uten opplysninger om {title}",
    distribution_too_few="I {place} er antallet for lite til å sammenligne fordelingen.",
    distribution_differs="Fordelingen av {title} {selection}i {unit} skiller seg statistisk "
    "signifikant fra den {reference}.",
    distribution_same="Fordelingen av {title} {selection}i {unit} skiller seg ikke statistisk "
    "signifikant fra den {reference}.",
    decimal_mark=",",
    percent_sign="\u00a0%",
    language="nb",
)

WORDINGS = {"sv": SWEDISH, "en": ENGLISH, "nb": NORWEGIAN}


def wording_for(language: str) -> Wording:
    """The words of a language code ("sv", "en", "nb", or a regional variant "en-gb");
    Swedish for any other."""
    return WORDINGS.get(language.lower().split("-")[0], SWEDISH)


def engine_words_stand(study: StudyInput, wording: Wording) -> bool:
    """Whether the engine's own sentences can be shown as they are: they are Swedish, with the
    study's own claims in its country's language ("gjelder … av meldingene" in a Norwegian
    study), so only a Swedish study read in Swedish has them in one language. Elsewhere they
    are composed again in `wording`, with `claim_in`."""
    return wording is SWEDISH and speaks_study_language(study, wording)


def speaks_study_language(study: StudyInput, wording: Wording) -> bool:
    return COUNTRIES[study.country].language == wording.language


def claim_in(study: StudyInput, table: TableDefinition, wording: Wording) -> str:
    """The claim a sentence composed again makes: the table's own ("kommer 17 % av meldingene
    fra politi") where the study is written in `wording`'s language, else the language's
    default ("er andelen 17 %")."""
    return table.sentence if speaks_study_language(study, wording) else ""


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
    selection: str = ""  # the filtered view's selection: "bland 15–17-åringar"


def percent(share: float, decimals: int | None = None, wording: Wording = SWEDISH) -> str:
    """Percent as the language writes it: "45 %", "4,5 %" below ten, or with the decimals
    asked for (Swedish); "45%", "4.5%" (English)."""
    value = share * 100
    if decimals is None:
        decimals = 0 if value >= 10 or value == 0 else 1
    return f"{value:.{decimals}f}".replace(".", wording.decimal_mark) + wording.percent_sign


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


def sentence(template: str, comparison: Comparison, wording: Wording = SWEDISH) -> str:
    place = _place(comparison.unit_name, comparison.selection, wording)
    if too_few(comparison):
        return wording.too_few.format(place=place)
    if not comparison.reference_total or comparison.reference_share is None:
        selection = f"{comparison.selection} " if comparison.selection else ""
        return wording.nothing_to_compare.format(
            selection=selection, reference=comparison.reference_phrase
        )
    assert comparison.share is not None
    words = {name: lower_first(label) for name, label in comparison.subject.items()}
    share = percent(comparison.share, wording=wording)
    claim = (template or wording.default_claim).format(andel=share, **words)
    return wording.compared.format(
        place=place, claim=claim, reference=comparison.reference_phrase,
        reference_share=percent(comparison.reference_share, wording=wording),
        conclusion=conclusion(comparison.p_value, wording),
    )  # fmt: skip


def _place(unit_name: str, selection: str, wording: Wording) -> str:
    if selection:
        return wording.place_selected.format(unit=unit_name, selection=selection)
    return wording.place.format(unit=unit_name)


def conclusion(p_value: float | None, wording: Wording = SWEDISH) -> str:
    if p_value is None or math.isnan(p_value):
        return wording.untestable
    if p_value < SIGNIFICANCE_LEVEL:
        return wording.significant
    return wording.not_significant


def is_significant(p_value: float | None) -> bool | None:
    if p_value is None or math.isnan(p_value):
        return None
    return p_value < SIGNIFICANCE_LEVEL


def selection_phrase(title: str, code: str, label: str, wording: Wording = SWEDISH) -> str:
    """Who a filtered view's figures are about, from the dimension's title and the value's
    label: "bland 15–17-åringar", "bland dem vars kön är flicka"."""
    if code == MISSING:
        return wording.missing_selection.format(title=lower_first(title))
    if age := AGE_RANGE.match(label):
        return wording.age_selection.format(low=age[1], high=age[2])
    return wording.selection.format(title=lower_first(title), label=lower_first(label))


def _selection(
    study: StudyInput, table: TableDefinition, row: Mapping[str, Any], wording: Wording
) -> str:
    """The selection of a filtered view's row ("" for a table that is no filtered view)."""
    if not (table.view_of and table.within):
        return ""
    code = row[table.within]
    label = study.labels.get(table.within, {}).get(code, code)
    title = study.titles.get(table.within, table.within)
    return selection_phrase(title, code, label, wording)


def _subject(study: StudyInput, table: TableDefinition, row: Mapping[str, Any]) -> dict[str, str]:
    step_labels = {outcome.name: outcome.label for outcome in table.outcomes}
    return {
        name: (step_labels if name == "steg" else study.labels.get(name, {})).get(
            row[name], row[name]
        )
        for name in table.dimension_columns
    }


# --- the engine's comparisons ---


def sentences(
    study: StudyInput, table: TableDefinition, frame: pl.DataFrame, level: str
) -> list[str]:
    columns = table.dimension_columns
    out = []
    for row in frame.select(
        "enhet", "ref_enhet", *columns, "antal", "total", "ref_andel", "ref_total",
        "p_varde", "provbar", "antal_dold", "total_dold", "ref_antal_dold", "ref_total_dold",
    ).iter_rows(named=True):  # fmt: skip
        unit_name = study.names.get(("kommun", row["enhet"]), row["enhet"])
        unit_hidden = row["antal_dold"] or row["total_dold"]
        reference_hidden = row["ref_antal_dold"] or row["ref_total_dold"]
        comparison = Comparison(
            unit_name=unit_name,
            reference_phrase=reference_phrase(study, level, row["ref_enhet"], unit_name),
            share=None if unit_hidden or not row["total"] else row["antal"] / row["total"],
            reference_share=None if reference_hidden else row["ref_andel"],
            unit_total=None if unit_hidden else row["total"],
            reference_total=None if reference_hidden else row["ref_total"],
            p_value=row["p_varde"] if row["provbar"] else None,
            subject=_subject(study, table, row),
            selection=_selection(study, table, row, SWEDISH),
        )
        out.append(sentence(table.sentence, comparison))
    return out


def published_comparison(
    study: StudyInput, table: TableDefinition, own: Mapping[str, Any],
    reference: Mapping[str, Any], wording: Wording = SWEDISH,
) -> Comparison:  # fmt: skip
    """The comparison of one cell as the engine's sentence tells it, from the published rows:
    the unit's own (`niva` kommun) and its reference's (`jamforelse` the unit). Published
    rows are empty wherever a count is hidden, and `p_varde` is empty where the cell is not
    tested, so the sentence says what the engine's does."""
    unit_name = study.names.get(("kommun", own["enhet"]), own["enhet"])
    unit_hidden = bool(own.get("undertryckt"))
    reference_hidden = bool(reference.get("undertryckt"))
    return Comparison(
        unit_name=unit_name,
        reference_phrase=reference_phrase(
            study, reference["niva"], reference["enhet"], unit_name, wording
        ),
        share=None if unit_hidden or not own["total"] else own["antal"] / own["total"],
        reference_share=None if reference_hidden else reference["andel"],
        unit_total=None if unit_hidden else own["total"],
        reference_total=None if reference_hidden else reference["total"],
        p_value=reference["p_varde"],
        subject=_subject(study, table, own),
        selection=_selection(study, table, own, wording),
    )


def reference_phrase(
    study: StudyInput, level: str, code: str, unit_name: str, wording: Wording = SWEDISH
) -> str:
    if level == NATION:
        return wording.nation_norway if study.country == NORWAY else wording.nation
    name = study.names.get((level, code), code)
    if level == "kommungrupp":
        return wording.group.format(name=name, unit=unit_name)
    if level == "lan":
        return wording.county.format(name=name, unit=unit_name)
    return wording.band.format(band=lower_first(name), unit=unit_name)


def distribution_sentence(
    study: StudyInput, table: TableDefinition, code: str, level: str, reference: str,
    p: float | None, too_few: bool, selected: Mapping[str, Any] | None = None,
    wording: Wording = SWEDISH,
) -> str:  # fmt: skip
    """The test of a whole distribution; `selected` holds the value of a filtered view's
    dimension (`within`)."""
    unit_name = study.names.get(("kommun", code), code)
    selection = _selection(study, table, selected, wording) if selected else ""
    if too_few:
        return wording.distribution_too_few.format(place=_place(unit_name, selection, wording))
    differs = is_significant(p)
    template = wording.distribution_differs if differs else wording.distribution_same
    return template.format(
        title=lower_first(table.title), selection=f"{selection} " if selection else "",
        unit=unit_name, reference=reference_phrase(study, level, reference, unit_name, wording),
    )  # fmt: skip


def published_distribution_sentence(
    study: StudyInput, table: TableDefinition, row: Mapping[str, Any], wording: Wording = SWEDISH
) -> str:
    """The test of a whole distribution as the engine's sentence tells it, from its published
    row (its dimension columns say `samtliga`; `jamforelse` is the unit, `enhet` the
    reference). Whether the unit's figures were too few to compare (a category's count hidden,
    which the published row does not hold) is read from the engine's Swedish sentence."""
    selected = {table.within: row[table.within]} if table.view_of and table.within else None
    p = row.get("p_varde")
    arguments = (study, table, row["jamforelse"], row["niva"], row["enhet"], p)
    too_few = row.get("vagledning") == distribution_sentence(*arguments, True, selected, SWEDISH)
    return distribution_sentence(*arguments, too_few, selected, wording)
