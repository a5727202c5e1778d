"""PowerPoint as a format of the output registry: the tables a reader may have, written as a
deck. A unit's tables (its own rows, its comparisons, the nation) give the unit's deck; tables
of no single unit give the national deck: the national figures, the spread by municipality
size, the units' spread as a funnel plot (units whose figures are suppressed are left out and
not named), and the method. Disclosure control is the tables' own: the registry empties every
suppressed row before a writer sees it. The deck is in the tables' language, and its nation
is the study's country's."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import polars as pl
from django.utils import translation
from django.utils.translation import gettext as _

from nuso.core.analysis.indicators.counting import NATION
from nuso.core.analysis.indicators.engine import Results
from nuso.core.harmonise.table_definitions import TableDefinition
from nuso.core.outputs.tables import TableSet
from nuso.portal.dashboard import Cell, comparisons_for, nation_name
from nuso.reports.content import Chart, Deck, Series, Slide, nation_in_text, share
from nuso.reports.method import method_slide
from nuso.reports.pptx_deck import write_deck
from nuso.reports.unit_deck import MAX_BARS, UnitDeckInput, unit_deck

UNIT = "kommun"
BAND = "storleksgrupp"
COUNTY = "lan"


def write_pptx(tables: TableSet, path: Path) -> None:
    with translation.override(tables.language):
        write_deck(deck_of(tables), path)


def deck_of(tables: TableSet, period: str | None = None, comparison: str | None = None) -> Deck:
    """The unit's deck when the tables are one unit's, else the national deck."""
    units = _units(tables)
    if len(units) == 1:
        return unit_deck(unit_input(tables, units[0], period, comparison))
    return national_deck(tables, period)


def as_results(tables: TableSet) -> Results:
    return Results(dict(tables.tables), tables.study.tables_by_name, None, tables.study)


def unit_input(
    tables: TableSet, code: str, period: str | None, comparison: str | None = None
) -> UnitDeckInput:
    """A unit's deck's input; compared with `comparison` (a key), by default the first its
    country offers (the municipality group in Sweden, the fylke in Norway)."""
    comparison = comparison or next(iter(comparisons_for(tables.study.country)))
    periods = _periods(tables, UNIT, code)
    reference = _levels(tables, comparison, code)
    return UnitDeckInput(
        results=as_results(tables), study_name=tables.title or "Resultat", study_slug="",
        unit_code=code, unit_name=tables.study.names.get((UNIT, code), code),
        period=period if period in periods else periods[-1], comparison=comparison,
        comparison_code=reference[0] if reference else "", data_version=tables.version,
        min_count=tables.min_count,
    )  # fmt: skip


def national_deck(tables: TableSet, period: str | None = None, county: str = "") -> Deck:
    """The nation's deck: its figures, those of each size band and the units' spread; or,
    with `county`, the county's deck: the county against the nation and its units' spread
    (tables holding the county's units and no other)."""
    periods = _periods(tables, COUNTY, county) if county else _periods(tables, NATION, None)
    chosen = period if period in periods else (periods[-1] if periods else "")
    study = tables.title or _("Resultat")
    nation = nation_in_text(tables.study)
    place = tables.study.names.get((COUNTY, county), county) if county else nation
    subtitle = (
        _("Resultat %(period)s jämfört med %(nation)s, och spridningen mellan dess kommuner")
        if county
        else _("Resultat %(period)s, och spridningen mellan kommuner")
    ) % {"period": chosen, "nation": nation}
    deck = Deck(
        file_stem=county or NATION, title=f"{study}: {place}", subtitle=subtitle,
        facts=(_("Period: %(period)s") % {"period": chosen},
               *([_("Underlag: %(version)s") % {"version": tables.version}]
                 if tables.version else ()),
               *(() if tables.min_count
                 else (_("Ej röjandeskyddad: endast för NUSO:s analytiker."),))),
    )  # fmt: skip
    results = as_results(tables)
    for definition in results.definitions.values():
        if definition.name not in tables.tables or not _shown(definition):
            continue
        rows = tables.tables[definition.name].filter(pl.col("period") == chosen)
        deck.slides += _place_slides(tables, definition, rows, chosen, county)
    deck.slides.append(method_slide(tables.min_count, tables.study.country))
    return deck


def _place_slides(
    tables: TableSet, definition: TableDefinition, rows: pl.DataFrame, period: str, county: str
) -> list[Slide]:
    """The table for the county and the nation, or the nation and each size band; for a key
    figure, the units' spread."""
    plain = rows.filter(pl.col("jamforelse").is_null())
    columns = definition.dimension_columns
    nation = plain.filter(pl.col("niva") == NATION)
    keys = [tuple(str(r[c]) for c in columns) for r in nation.iter_rows(named=True)]
    keys = [key for key in keys if "uppgift_saknas" not in key and "samtliga" not in key]
    if not keys:
        return []
    levels = _compared_levels(tables, plain, county)
    parts = [keys[at : at + MAX_BARS] for at in range(0, len(keys), MAX_BARS)]
    fields = {"place": levels[0][2], "nation": nation_in_text(tables.study), "period": period}
    if county:
        subtitle = _("%(place)s och %(nation)s, %(period)s") % fields
    elif len(levels) > 1:
        subtitle = _("%(place)s och kommuner efter storlek, %(period)s") % fields
    else:  # no size bands: units without a population (Norway's before decision 0026)
        subtitle = _("%(place)s, %(period)s") % fields
    slides = []
    for number, part in enumerate(parts, start=1):
        series = tuple(_series(_at(plain, level, code), columns, part, name, level == NATION)
                       for level, code, name in levels)  # fmt: skip
        labels = tuple(_label(tables, columns, key) or definition.title for key in part)
        chart = Chart("bars", labels, series)
        title = definition.title + (_(" (%(number)s av %(count)s)") % {
            "number": number, "count": len(parts)} if len(parts) > 1 else "")  # fmt: skip
        slides.append(Slide(title, subtitle, chart, notes=tuple(chart.figures())))
    if definition.key_figure and not definition.dimensions:
        slides += _spread(tables, definition, rows, period)
    return slides


def _compared_levels(
    tables: TableSet, plain: pl.DataFrame, county: str
) -> list[tuple[str, str, str]]:
    """The series of a place's charts: (level, code, name)."""
    nation = (NATION, "", nation_name(tables.study.country))
    if county:
        return [(COUNTY, county, tables.study.names.get((COUNTY, county), county)), nation]
    order = tables.study.categories.get(BAND, ())
    present = set(plain.filter(pl.col("niva") == BAND)["enhet"].to_list())
    return [nation] + [
        (BAND, band, tables.study.names.get((BAND, band), band))
        for band in order
        if band in present
    ]


def _spread(
    tables: TableSet, definition: TableDefinition, rows: pl.DataFrame, period: str
) -> list[Slide]:
    """Each unit's share against its number of records (a funnel plot's points), when the
    tables hold the units' own figures: unsuppressed (analysts'), or a county's units none of
    which is suppressed. One suppressed unit beside the others and the county's total would
    be the total less the others (differencing), so then no unit is shown."""
    units = rows.filter((pl.col("niva") == UNIT) & pl.col("jamforelse").is_null())
    first_step = definition.outcomes[0].name if "steg" in units.columns else None
    if first_step is not None:
        units = units.filter(pl.col("steg") == first_step)
    if units.is_empty():
        return []  # the national tables: no unit's rows in them
    title = _("%(title)s: spridning mellan enheter") % {"title": definition.title}
    if units["andel"].is_null().any():
        text = _("Enheternas spridning visas inte för %(period)s: någon enhet har för få poster, "
                 "och dess tal skulle gå att räkna fram ur summan och de andras.") % {
            "period": period}  # fmt: skip
        return [Slide(title, points=(text,), notes=(text,))]
    units = units.sort("total")
    names = [tables.study.names.get((UNIT, code), code) for code in units["enhet"]]
    cells = [Cell.of(row) for row in units.iter_rows(named=True)]
    points = Series(definition.title, tuple(cells))
    nation = rows.filter((pl.col("niva") == NATION) & pl.col("jamforelse").is_null())
    if first_step is not None:
        nation = nation.filter(pl.col("steg") == first_step)
    national = nation["andel"][0] if nation.height else None
    largest = max(cell.total or 0 for cell in cells)
    name = nation_name(tables.study.country)
    limits = funnel_limits(national, largest, name) if national is not None else ()
    notes = Chart("spread", tuple(names), (points,)).figures()
    chart = Chart("spread", tuple(names), (points, *limits))
    subtitle = _("Varje punkt är en enhet: andel mot antal poster, %(period)s") % {
        "period": period}  # fmt: skip
    said = [_("%(count)s enheter; varje enhets tal finns i anteckningarna.") % {
        "count": len(names)}]  # fmt: skip
    if national is not None:
        said.append(
            _(
                "Linjerna: %(nation)s (%(share)s) och gränserna inom vilka 95 %% av enheterna av "
                "varje storlek skulle ligga om de inte skilde sig från %(nation)s."
            )
            % {"nation": nation_in_text(tables.study), "share": share(national)}
        )
    return [Slide(title, subtitle, chart, points=tuple(said), notes=tuple(notes))]


def funnel_limits(share: float, largest: int, nation: str, steps: int = 40) -> tuple[Series, ...]:
    """A funnel plot's lines: the nation's share (its series called `nation`), and share ±
    1.96 standard errors for each number of records up to the largest unit's (binomial,
    normal approximation, kept within 0–100 %)."""
    sizes = sorted({max(1, round(largest * (at / steps) ** 2)) for at in range(1, steps + 1)})
    spread = [1.96 * math.sqrt(share * (1 - share) / n) for n in sizes]

    def line(values: list[float]) -> tuple[Cell, ...]:
        return tuple(
            Cell(v, None, None, None, n, False) for v, n in zip(values, sizes, strict=True)
        )

    return (
        Series(_("Övre 95 %%-gräns") % {}, line([min(1.0, share + s) for s in spread])),
        Series(nation, line([share] * len(sizes))),
        Series(_("Nedre 95 %%-gräns") % {}, line([max(0.0, share - s) for s in spread])),
    )


def _at(rows: pl.DataFrame, level: str, code: str) -> pl.DataFrame:
    """The rows of a level (the nation), or of one group of it (a size band)."""
    chosen = rows.filter(pl.col("niva") == level)
    return chosen if level == NATION else chosen.filter(pl.col("enhet") == code)


def _series(
    rows: pl.DataFrame, columns: tuple[str, ...], keys: list[tuple[str, ...]], name: str,
    nation: bool,
) -> Series:  # fmt: skip
    by_key = {tuple(str(r[c]) for c in columns): r for r in rows.iter_rows(named=True)}
    cells = tuple(Cell.of(by_key.get(key)) if key in by_key else None for key in keys)
    return Series(name, cells, nation)


def _label(tables: TableSet, columns: tuple[str, ...], key: tuple[str, ...]) -> str:
    labels = tables.study.labels
    steps = {}
    for definition in tables.study.tables:
        steps.update({o.name: o.label for o in definition.outcomes})
    return " – ".join(
        {**labels, "steg": steps}.get(c, {}).get(v, v) for c, v in zip(columns, key, strict=True)
    )


def _shown(definition: TableDefinition) -> bool:
    """The study's tables, not their filtered views (the portal's filters) or models."""
    return definition.kind != "logistic" and not definition.view_of


def _units(tables: TableSet) -> list[str]:
    found: set[str] = set()
    for rows in tables.tables.values():
        found.update(rows.filter(pl.col("niva") == UNIT)["enhet"].unique().to_list())
    return sorted(found)


def _periods(tables: TableSet, level: str, code: str | None) -> list[str]:
    return periods_of(tables.tables, level, code)


def periods_of(tables: Mapping[str, pl.DataFrame], level: str, code: str | None) -> list[str]:
    """The periods the tables have rows of at a level (of one unit or group of it)."""
    found: set[str] = set()
    for rows in tables.values():
        mine = rows.filter(pl.col("niva") == level)
        if code is not None:
            mine = mine.filter(pl.col("enhet") == code)
        found.update(mine["period"].unique().to_list())
    return sorted(found)


def _levels(tables: TableSet, level: str, compared: str) -> list[str]:
    for rows in tables.tables.values():
        found = rows.filter((pl.col("niva") == level) & (pl.col("jamforelse") == compared))
        if found.height:
            return found["enhet"].unique().to_list()
    return []
