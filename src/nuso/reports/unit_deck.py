"""A unit's results deck: title, key figures over time, the funnel, each distribution against
the comparison group and the nation, what stands out, and the method. Made from the rows the
unit's own users see in the portal (`Results.for_unit`), so it discloses nothing more.

Its words are the active language's; the nation and the comparison group are the unit's
country's (a Norwegian unit: its fylke and Norge). A comparison is named by its key
("kommungrupp", "lan", "riket") and shown by its name in the language."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from nuso.core.analysis.indicators.counting import NATION
from nuso.core.analysis.indicators.engine import Results
from nuso.core.analysis.indicators.guidance import reference_phrase
from nuso.portal import language
from nuso.portal.dashboard import (
    Finding,
    Section,
    findings,
    key_figure_trend,
    nation_name,
    sections,
)
from nuso.reports.content import (
    Chart,
    Deck,
    Series,
    Slide,
    cell_text,
    in_text,
    nation_in_text,
    section_chart,
    verdict,
)
from nuso.reports.method import method_slide

FINDINGS_PER_SLIDE = 6
FINDINGS_SLIDES = 2  # at most; the rest are on their tables' slides
MAX_BARS = 12  # categories in one chart; more are split over slides
SHOWN_BESIDE = 4  # significant differences written beside a chart


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
    comparison: str  # its key: "kommungrupp", "lan", "storleksgrupp" or "riket"
    comparison_code: str  # the unit's group, county or band code
    data_version: str  # "data till och med 2026-12-01 14:03"
    min_count: int | None

    @property
    def country(self) -> str:
        return self.results.source.country


@dataclass(frozen=True)
class Names:
    """How the deck names the unit, its comparison group and the nation: as a chart's series
    ('Kommungruppen Storstäder (utom Malmö)', 'Riket') and within a sentence ('kommungruppen
    Storstäder (utom Malmö)', 'riket'); no group when the comparison is the nation."""

    unit: str
    group: str | None
    nation: str
    group_in_text: str | None
    nation_in_text: str

    @property
    def reference_in_text(self) -> str:
        return self.group_in_text or self.nation_in_text


def names_of(given: UnitDeckInput) -> Names:
    nation = nation_in_text(given.results.source)
    if given.comparison == NATION:
        return Names(given.unit_name, None, nation_name(given.country), None, nation)
    group = _reference_name(given)
    return Names(given.unit_name, group[:1].upper() + group[1:], nation_name(given.country),
                 group, nation)  # fmt: skip


def unit_deck(given: UnitDeckInput) -> Deck:
    results, code, wording = given.results, given.unit_code, language.wording()
    rows = results.for_unit(code)
    names = names_of(given)
    compared = sections(results, rows, code, given.period, given.comparison, wording=wording)
    with_nation = compared
    if given.comparison != NATION:
        with_nation = sections(results, rows, code, given.period, NATION, wording=wording)
    fields = {"period": given.period, "reference": names.group_in_text,
              "nation": names.nation_in_text}  # fmt: skip
    subtitle = (
        _("Resultat för %(period)s jämfört med %(reference)s och %(nation)s") % fields
        if names.group_in_text
        else _("Resultat för %(period)s jämfört med %(nation)s") % fields
    )
    deck = Deck(
        file_stem=f"{given.study_slug}_{code}_{given.period}",
        title=f"{given.study_name}: {given.unit_name}",
        subtitle=subtitle,
        facts=(_("Period: %(period)s") % {"period": given.period},
               _("Underlag: %(version)s") % {"version": given.data_version}),
    )  # fmt: skip
    deck.slides += key_figure_slides(given, rows, names)
    key_tables = {name for name, d in results.definitions.items() if d.key_figure}
    funnel = [s for s in compared if s.name in key_tables]
    others = [s for s in compared if s.name not in key_tables]
    for section in (*funnel, *others):
        against_nation = next((n for n in with_nation if n.name == section.name), None)
        deck.slides += _section_slides(section, against_nation, names, given)
    deck.slides += standing_out(compared, with_nation, names)
    deck.slides.append(method_slide(given.min_count, given.country))
    return deck


def _reference_name(given: UnitDeckInput) -> str:
    """The guidance's phrase for the comparison group in the active language: 'kommungruppen
    Större stad (utom Karlstad)', 'fylket Nordland (utom Vestvågøy)'; a unit without a group
    (none recorded) is compared with 'jämförelsegruppen'."""
    if not given.comparison_code:
        return _("jämförelsegruppen (utom %(unit)s)") % {"unit": given.unit_name}
    phrase = reference_phrase(given.results.source, given.comparison, given.comparison_code,
                              given.unit_name, language.wording())  # fmt: skip
    return in_text(phrase)


def key_figure_slides(given: UnitDeckInput, rows: dict, names: Names) -> list[Slide]:  # type: ignore[type-arg]
    """The key figures of every period, the unit against the nation, as one trend chart."""
    trend = key_figure_trend(given.results, rows, given.unit_code)
    if not trend:
        return []
    periods = tuple(dict.fromkeys(item["period"] for item in trend))
    labels = list(dict.fromkeys(item["label"] for item in trend))
    series = []
    for label in labels:
        by_period = {item["period"]: item for item in trend if item["label"] == label}
        for name, part in ((given.unit_name, "unit"), (names.nation, "nation")):
            cells = tuple(by_period[p][part] if p in by_period else None for p in periods)
            series.append(Series(f"{label}, {name}" if len(labels) > 1 else name, cells,
                                 nation=part == "nation"))  # fmt: skip
    chart = Chart("trend", periods, tuple(series))
    title = labels[0] if len(labels) == 1 else _("Nyckeltal över tid")
    fields = {"unit": given.unit_name, "nation": names.nation_in_text, "first": periods[0],
              "last": periods[-1]}  # fmt: skip
    subtitle = _("%(unit)s och %(nation)s, %(first)s–%(last)s") % fields
    if len(periods) == 1:
        subtitle = _("%(unit)s och %(nation)s, %(first)s (fler perioder ger en trend)") % fields
    latest = [
        _("%(label)s, %(period)s: %(unit_figure)s i %(unit)s, %(nation_figure)s i %(nation)s.")
        % {"label": item["label"], "period": item["period"], "unit": given.unit_name,
           "unit_figure": cell_text(item["unit"]), "nation": names.nation_in_text,
           "nation_figure": cell_text(item["nation"])}
        for item in trend
        if item["period"] == periods[-1]
    ]  # fmt: skip
    return [Slide(title, subtitle, chart, points=tuple(latest), notes=tuple(chart.figures()))]


def _section_slides(
    section: Section, against_nation: Section | None, names: Names, given: UnitDeckInput
) -> list[Slide]:
    """A section's chart, split when it has too many categories to read; beside it the
    whole distribution's test and the significant differences with the group and with the
    nation, every comparison in the notes."""
    fields = {"unit": given.unit_name, "reference": names.group_in_text,
              "nation": names.nation_in_text, "period": given.period}  # fmt: skip
    subtitle = (
        _("%(unit)s jämfört med %(reference)s och %(nation)s, %(period)s") % fields
        if names.group_in_text
        else _("%(unit)s jämfört med %(nation)s, %(period)s") % fields
    )
    nation_lines = {line.key: line for line in (against_nation.lines if against_nation else [])}
    parts = [section.lines[at : at + MAX_BARS] for at in range(0, len(section.lines), MAX_BARS)]
    slides = []
    for number, lines in enumerate(parts, start=1):
        chart = section_chart(replace(section, lines=lines), names.unit, names.group,
                              names.nation)  # fmt: skip
        pairs = [(line, names.reference_in_text) for line in lines]
        if against_nation is not None and against_nation is not section:
            pairs += [(nation_lines[line.key], names.nation_in_text) for line in lines
                      if line.key in nation_lines]  # fmt: skip
        verdicts = [
            (verdict(line, given.unit_name, name), line.significant) for line, name in pairs
        ]
        shown = [text for text, significant in verdicts if significant]
        points = _on_slide(section.summary if number == 1 else "", shown)
        title = section.title + (_(" (%(number)s av %(count)s)") % {
            "number": number, "count": len(parts)} if len(parts) > 1 else "")  # fmt: skip
        said = (section.summary, *(text for text, _significant in verdicts))
        notes = (*chart.figures(), "", *filter(None, said))
        slides.append(Slide(title, subtitle, chart, points=points, notes=notes))
    return slides


def _on_slide(summary: str, significant: list[str]) -> tuple[str, ...]:
    """What is written beside a chart: the distribution's test, then a few significant
    differences; the rest are in the notes."""
    shown = significant[:SHOWN_BESIDE]
    if len(significant) > SHOWN_BESIDE:
        shown.append(_("… och %(count)s säkerställda skillnader till (se anteckningarna).")
                     % {"count": len(significant) - SHOWN_BESIDE})  # fmt: skip
    if not significant:
        shown = [_("Ingen av skillnaderna i bilden är statistiskt säkerställd.")]
    return tuple(filter(None, (summary, *shown)))


def _finding(found: Finding) -> str:
    """'Aktualiseringsorsaker, skolk: I Malmö …'; a table without categories by its title
    once (its one line is labelled with the title)."""
    if found.label == found.title:
        return f"{found.title}: {found.sentence}"
    return f"{found.title}, {found.label.lower()}: {found.sentence}"


def standing_out(compared: list[Section], with_nation: list[Section], names: Names) -> list[Slide]:
    """'Det här sticker ut': the significant differences (after Benjamini–Hochberg), in the
    engine's sentences, a few per slide; one slide saying so when there are none."""
    found = findings(compared, with_nation) if compared is not with_nation else findings(compared)
    heading = _("Det här sticker ut")
    if not found:
        others = names.nation_in_text
        if names.group_in_text:
            others = _("%(reference)s eller %(nation)s") % {
                "reference": names.group_in_text, "nation": names.nation_in_text}  # fmt: skip
        text = _("Ingen skillnad mellan %(unit)s och %(others)s är statistiskt säkerställd i "
                 "den här perioden.") % {"unit": names.unit, "others": others}  # fmt: skip
        return [Slide(heading, points=(text,), notes=(text,))]
    shown = found[: FINDINGS_PER_SLIDE * FINDINGS_SLIDES]
    slides = []
    for start in range(0, len(shown), FINDINGS_PER_SLIDE):
        points = tuple(_finding(f) for f in shown[start : start + FINDINGS_PER_SLIDE])
        title = heading + (f" ({start // FINDINGS_PER_SLIDE + 1})" if start else "")
        slides.append(Slide(title, _("Statistiskt säkerställda skillnader"), points=points,
                            notes=points))  # fmt: skip
    if len(found) > len(shown):
        rest = _("… och %(count)s säkerställda skillnader till, på bilderna för respektive "
                 "tabell och i deras anteckningar.") % {
            "count": len(found) - len(shown)}  # fmt: skip
        last = slides[-1]
        slides[-1] = replace(last, points=(*last.points, rest), notes=(*last.notes, rest))
    return slides
