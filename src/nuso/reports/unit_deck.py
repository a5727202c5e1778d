"""A unit's results deck: title, key figures over time, the funnel, each distribution against
the comparison group and the nation, what stands out, and the method. Made from the rows the
unit's own users see in the portal (`Results.for_unit`), so it discloses nothing more."""

from __future__ import annotations

from dataclasses import dataclass, replace

from nuso.core.analysis.indicators.engine import Results
from nuso.core.analysis.indicators.guidance import reference_phrase
from nuso.portal.dashboard import (
    Section,
    findings,
    key_figure_trend,
    sections,
)
from nuso.reports.content import (
    Chart,
    Deck,
    Series,
    Slide,
    cell_text,
    section_chart,
    verdict,
)
from nuso.reports.method import method_slide

FINDINGS_PER_SLIDE = 6
FINDINGS_SLIDES = 2  # at most; the rest are on their tables' slides
MAX_BARS = 12  # categories in one chart; more are split over slides
SHOWN_BESIDE = 4  # significant differences written beside a chart
NATION = "Riket"


@dataclass(frozen=True)
class UnitDeckInput:
    """What a unit's deck is made of: the study's results, the unit, the period and the
    comparison group, and words for the title slide."""

    results: Results
    study_name: str
    study_slug: str
    unit_code: str
    unit_name: str
    period: str
    comparison: str  # "kommungrupp", "storleksgrupp" or "riket"
    comparison_code: str  # the unit's group or band code
    data_version: str  # "data till och med 2026-12-01 14:03"
    min_count: int | None


def unit_deck(given: UnitDeckInput) -> Deck:
    results, code = given.results, given.unit_code
    rows = results.for_unit(code)
    reference = _reference_name(given)
    compared = sections(results, rows, code, given.period, given.comparison)
    with_nation = compared
    if given.comparison != "riket":
        with_nation = sections(results, rows, code, given.period, NATION.lower())
    names = (given.unit_name, reference[:1].upper() + reference[1:], NATION)
    deck = Deck(
        file_stem=f"{given.study_slug}_{code}_{given.period}",
        title=f"{given.study_name}: {given.unit_name}",
        subtitle=f"Resultat för {given.period} jämfört med {_and_nation(reference)}",
        facts=(f"Period: {given.period}", f"Underlag: {given.data_version}"),
    )
    deck.slides += key_figure_slides(given, rows)
    key_tables = {name for name, d in results.definitions.items() if d.key_figure}
    funnel = [s for s in compared if s.name in key_tables]
    others = [s for s in compared if s.name not in key_tables]
    for section in (*funnel, *others):
        against_nation = next((n for n in with_nation if n.name == section.name), None)
        deck.slides += _section_slides(section, against_nation, names, given)
    deck.slides += standing_out(given.unit_name, compared, with_nation, reference)
    deck.slides.append(method_slide(given.min_count))
    return deck


def _and_nation(reference: str) -> str:
    """'kommungruppen Större stad (utom Karlstad) och riket'; 'riket' once."""
    return reference if reference == "riket" else f"{reference} och riket"


def _reference_name(given: UnitDeckInput) -> str:
    """'kommungruppen Större stad (utom Karlstad)', 'riket'; a unit without a group (none
    recorded) is compared with 'jämförelsegruppen'."""
    level = given.comparison
    if level != "riket" and not given.comparison_code:
        return f"jämförelsegruppen (utom {given.unit_name})"
    phrase = reference_phrase(given.results.source, level, given.comparison_code, given.unit_name)
    return phrase.removeprefix("i ")


def key_figure_slides(given: UnitDeckInput, rows: dict) -> list[Slide]:  # type: ignore[type-arg]
    """The key figures of every period, the unit against the nation, as one trend chart."""
    trend = key_figure_trend(given.results, rows, given.unit_code)
    if not trend:
        return []
    periods = tuple(dict.fromkeys(item["period"] for item in trend))
    labels = list(dict.fromkeys(item["label"] for item in trend))
    series = []
    for label in labels:
        by_period = {item["period"]: item for item in trend if item["label"] == label}
        for name, part in ((given.unit_name, "unit"), (NATION, "nation")):
            cells = tuple(by_period[p][part] if p in by_period else None for p in periods)
            series.append(Series(f"{label}, {name}" if len(labels) > 1 else name, cells))
    chart = Chart("trend", periods, tuple(series))
    title = labels[0] if len(labels) == 1 else "Nyckeltal över tid"
    subtitle = f"{given.unit_name} och riket, {periods[0]}–{periods[-1]}"
    if len(periods) == 1:
        subtitle = f"{given.unit_name} och riket, {periods[0]} (fler perioder ger en trend)"
    latest = [f"{item['label']}, {item['period']}: {cell_text(item['unit'])} i "
              f"{given.unit_name}, {cell_text(item['nation'])} i riket."
              for item in trend if item["period"] == periods[-1]]  # fmt: skip
    return [Slide(title, subtitle, chart, points=tuple(latest), notes=tuple(chart.figures()))]


def _section_slides(
    section: Section, against_nation: Section | None, names: tuple[str, str, str],
    given: UnitDeckInput,
) -> list[Slide]:  # fmt: skip
    """A section's chart, split when it has too many categories to read; beside it the
    whole distribution's test and the significant differences with the group and with the
    nation, every comparison in the notes."""
    reference = names[1] if names[1] == NATION else names[1][:1].lower() + names[1][1:]
    subtitle = f"{given.unit_name} jämfört med {reference} och riket, {given.period}"
    if names[1] == NATION:
        reference, subtitle = "riket", f"{given.unit_name} jämfört med riket, {given.period}"
    nation_lines = {line.key: line for line in (against_nation.lines if against_nation else [])}
    parts = [section.lines[at : at + MAX_BARS] for at in range(0, len(section.lines), MAX_BARS)]
    slides = []
    for number, lines in enumerate(parts, start=1):
        chart = section_chart(replace(section, lines=lines), names)
        pairs = [(line, reference) for line in lines]
        if against_nation is not None and against_nation is not section:
            pairs += [(nation_lines[line.key], "riket") for line in lines
                      if line.key in nation_lines]  # fmt: skip
        verdicts = [
            (verdict(line, given.unit_name, name), line.significant) for line, name in pairs
        ]
        shown = [text for text, significant in verdicts if significant]
        points = _on_slide(section.summary if number == 1 else "", shown)
        title = section.title + (f" ({number} av {len(parts)})" if len(parts) > 1 else "")
        said = (section.summary, *(text for text, _ in verdicts))
        notes = (*chart.figures(), "", *filter(None, said))
        slides.append(Slide(title, subtitle, chart, points=points, notes=notes))
    return slides


def _on_slide(summary: str, significant: list[str]) -> tuple[str, ...]:
    """What is written beside a chart: the distribution's test, then a few significant
    differences; the rest are in the notes."""
    shown = significant[:SHOWN_BESIDE]
    if len(significant) > SHOWN_BESIDE:
        shown.append(f"… och {len(significant) - SHOWN_BESIDE} säkerställda skillnader till "
                     "(se anteckningarna).")  # fmt: skip
    if not significant:
        shown = ["Ingen av skillnaderna i bilden är statistiskt säkerställd."]
    return tuple(filter(None, (summary, *shown)))


def standing_out(
    unit_name: str, compared: list[Section], with_nation: list[Section], reference: str
) -> list[Slide]:
    """'Det här sticker ut': the significant differences (after Benjamini–Hochberg), in the
    engine's sentences, a few per slide; one slide saying so when there are none."""
    found = findings(compared, with_nation) if compared is not with_nation else findings(compared)
    if not found:
        others = reference if reference == "riket" else f"{reference} eller riket"
        text = (f"Ingen skillnad mellan {unit_name} och {others} är statistiskt säkerställd i "
                "den här perioden.")  # fmt: skip
        return [Slide("Det här sticker ut", points=(text,), notes=(text,))]
    shown = found[: FINDINGS_PER_SLIDE * FINDINGS_SLIDES]
    slides = []
    for start in range(0, len(shown), FINDINGS_PER_SLIDE):
        points = tuple(f"{f.title}, {f.label.lower()}: {f.sentence}"
                       for f in shown[start : start + FINDINGS_PER_SLIDE])  # fmt: skip
        title = "Det här sticker ut" + (f" ({start // FINDINGS_PER_SLIDE + 1})" if start else "")
        slides.append(Slide(title, "Statistiskt säkerställda skillnader", points=points,
                            notes=points))  # fmt: skip
    if len(found) > len(shown):
        rest = (f"… och {len(found) - len(shown)} säkerställda skillnader till, på bilderna "
                "för respektive tabell och i deras anteckningar.")  # fmt: skip
        last = slides[-1]
        slides[-1] = replace(last, points=(*last.points, rest), notes=(*last.notes, rest))
    return slides
