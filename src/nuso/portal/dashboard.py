"""A unit's dashboard from the engine's rows: per table, each category with the unit, the
chosen comparison group (without the unit) and the nation side by side, with intervals and
the guidance sentence; and the chart spec of the same figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.utils.translation import gettext, gettext_lazy

from nuso.core.analysis.charts import ChartWords, comparison_bars, trend_lines
from nuso.core.analysis.indicators import guidance
from nuso.core.analysis.indicators.comparisons import WHOLE_DISTRIBUTION, comparison_levels
from nuso.core.analysis.indicators.counting import NATION
from nuso.core.analysis.indicators.engine import Results
from nuso.core.analysis.indicators.frame import MISSING
from nuso.core.countries import NORWAY
from nuso.core.harmonise.table_definitions import TableDefinition

COMPARISONS = {
    "kommungrupp": gettext_lazy("Kommungruppen"),
    "storleksgrupp": gettext_lazy("Kommuner av samma storlek"),
    "riket": gettext_lazy("Riket"),
}
# What a Norwegian unit's references are called: Norway has no SKR groups, so its units are
# compared with their county (fylke); which references a country has is the engine's
# `comparison_levels`.
NORWEGIAN_NAMES = {
    "lan": gettext_lazy("Fylket"),
    "storleksgrupp": gettext_lazy("Kommuner av samma storlek"),
    "riket": gettext_lazy("Norge"),
}


def comparisons_for(country: str, has_size_band: bool = True) -> dict[str, Any]:
    """The comparison groups a unit of `country` is shown against, the default first; the
    size group only when the unit's population is known."""
    names = NORWEGIAN_NAMES if country == NORWAY else COMPARISONS
    return {level: names[level] for level in comparison_levels(country)
            if has_size_band or level != "storleksgrupp"}  # fmt: skip


# The nation within a sentence ("… och riket", "… og Norge").
NATIONS_IN_TEXT = {NORWAY: gettext_lazy("Norge")}
SWEDEN_IN_TEXT = gettext_lazy("riket")


def nation_name(country: str) -> str:
    """What the nation's column is called: Riket in Sweden; the country's name elsewhere."""
    return str(comparisons_for(country)["riket"])


def nation_in_text(country: str) -> str:
    """The nation as a sentence names it: 'riket' in Sweden; the country's name elsewhere."""
    return str(NATIONS_IN_TEXT.get(country, SWEDEN_IN_TEXT))


@dataclass(frozen=True)
class Cell:
    share: float | None
    low: float | None
    high: float | None
    count: int | None
    total: int | None
    suppressed: bool

    @classmethod
    def of(cls, row: dict[str, Any] | None) -> Cell:
        if row is None:
            return cls(None, None, None, None, None, False)
        return cls(row["andel"], row["ki_lag"], row["ki_hog"], row["antal"], row["total"],
                   bool(row["undertryckt"]))  # fmt: skip


@dataclass(frozen=True)
class Line:
    key: tuple[str, ...]
    label: str
    unit: Cell
    reference: Cell
    nation: Cell
    sentence: str
    significant: bool | None


@dataclass
class Section:
    name: str
    title: str
    heading: str  # the category column's heading
    lines: list[Line] = field(default_factory=list)
    summary: str = ""  # the whole distribution's test

    def chart(
        self, unit_name: str, reference_name: str, words: ChartWords, nation: str | None = None
    ) -> dict[str, Any]:
        nation = nation or gettext("Riket")
        series = [unit_name, reference_name, nation]
        if reference_name == nation:  # compared with the nation: its figures once, not stacked
            series = [unit_name, nation]
        points = [
            {"kategori": line.label, "serie": name, "andel": cell.share,
             "ki_lag": cell.low, "ki_hog": cell.high}
            for line in self.lines
            for name, cell in zip(series, (line.unit, line.reference, line.nation), strict=False)
            if cell.share is not None
        ]  # fmt: skip
        return comparison_bars(points, self.heading, series, self.title, words)


@dataclass(frozen=True)
class Selection:
    """One filter of the dashboard: a dimension and its value ("kon", "flicka")."""

    dimension: str
    value: str

    @classmethod
    def parse(cls, text: str, options: dict[str, dict[str, str]]) -> Selection | None:
        dimension, _, value = text.partition(":")
        return cls(dimension, value) if value in options.get(dimension, {}) else None

    @property
    def text(self) -> str:
        return f"{self.dimension}:{self.value}"


def filter_options(results: Results) -> dict[str, dict[str, str]]:
    """The dashboard's filters: the dimensions some table is a filtered view by, with their
    categories' labels (from the study's definitions: no filter list in code)."""
    dimensions = {t.within for t in results.definitions.values() if t.within and t.view_of}
    return {
        d: {
            code: shown_label(code, label)
            for code, label in results.source.labels.get(d, {}).items()
        }
        for d in sorted(dimensions)
    }


def shown_label(code: str, label: str) -> str:
    """A category's label as the page shows it: "uppgift saknas" is the portal's own word, in
    the page's language; the study's categories are its dictionary's."""
    return str(MISSING_WORDS) if code == MISSING else label


MISSING_WORDS = gettext_lazy("Uppgift saknas")


def view_for(results: Results, table: TableDefinition, dimension: str) -> TableDefinition | None:
    """The table's view filtered by `dimension`: one declared with view_of/within, or one of
    the same kind and outcomes with the dimension added (utredning -> utredning_per_kon)."""
    for other in results.definitions.values():
        if other.view_of == table.name and other.within == dimension:
            return other
    for other in results.definitions.values():
        if (other.kind, other.outcomes) == (table.kind, table.outcomes) and not other.view_of \
                and other.dimensions == (*table.dimensions, dimension):  # fmt: skip
            return other
    return None


def as_shown(
    results: Results, rows: dict[str, pl.DataFrame], period: str | None,
    selection: Selection | None,
) -> dict[str, pl.DataFrame]:  # fmt: skip
    """The tables as a page with `period` and `selection` shows them, for its downloads
    (`shown_rows` of each). Without a filter the filtered views are kept too, as tables of
    their own: a download of every filter holds them."""
    shown: dict[str, pl.DataFrame] = {}
    for name in rows:
        definition = results.definitions[name]
        if definition.view_of and selection is not None:
            continue  # a view is shown only in its base table's place
        found = shown_rows(results, rows, definition, period, selection)
        if found is not None:
            shown[found[0].name] = found[1]
    return shown


def shown_rows(
    results: Results, rows: dict[str, pl.DataFrame], definition: TableDefinition,
    period: str | None, selection: Selection | None,
) -> tuple[TableDefinition, pl.DataFrame] | None:  # fmt: skip
    """A table's rows as the page shows them: the period's (every period's without one);
    with a filter, those of the chosen value, from the table's filtered view where the
    table is not broken down by the filter itself; None where the filter does not apply."""
    table = definition
    if selection is not None and selection.dimension not in definition.dimensions:
        view = view_for(results, definition, selection.dimension)
        if view is None:
            return None  # this table is not broken down by the filter
        table = view
    chosen = rows[table.name]
    if period is not None:
        chosen = chosen.filter(pl.col("period") == period)
    if selection is not None:
        chosen = chosen.filter(pl.col(selection.dimension) == selection.value)
    return table, chosen


def sections(
    results: Results, rows: dict[str, pl.DataFrame], unit: str, period: str, comparison: str,
    only: str | None = None, selection: Selection | None = None,
    wording: guidance.Wording = guidance.SWEDISH,
) -> list[Section]:  # fmt: skip
    """The dashboard's sections; their guidance in `wording`'s language (the engine's own
    Swedish sentences, or composed again from the published rows in another language)."""
    found = []
    for name in rows:
        definition = results.definitions[name]
        if not definition.compare or definition.kind == "logistic" or definition.view_of:
            continue
        if only and name != only:
            continue
        shown = shown_rows(results, rows, definition, period, selection)
        if shown is not None:
            table, chosen = shown
            found.append(_section(results, definition, table, chosen, unit, comparison, wording))
    return found


def _section(
    results: Results, base: TableDefinition, definition: TableDefinition, rows: pl.DataFrame,
    unit: str, comparison: str, wording: guidance.Wording,
) -> Section:  # fmt: skip
    """A base table's section, from its own rows or those of its filtered view."""
    columns = base.dimension_columns
    labels = {**results.source.labels, "steg": {o.name: o.label for o in definition.outcomes}}
    heading = " – ".join(results.source.titles.get(c, c) for c in columns) or base.title
    section = Section(base.name, base.title, heading)
    level, compared_with = pl.col("niva"), pl.col("jamforelse")
    own = _by_key(rows.filter((level == "kommun") & (pl.col("enhet") == unit)), columns)
    reference = _by_key(rows.filter((level == comparison) & (compared_with == unit)), columns)
    nation = _by_key(rows.filter((level == NATION) & compared_with.is_null()), columns)
    for key, row in own.items():
        if MISSING in key:
            continue
        if WHOLE_DISTRIBUTION in key:
            continue
        compared = reference.get(key)
        label = " – ".join(labels.get(c, {}).get(v, v) for c, v in zip(columns, key, strict=True))
        compared = compared or {}
        sentence = compared.get("vagledning") or ""
        if sentence and not guidance.engine_words_stand(results.source, wording):
            again = guidance.published_comparison(results.source, definition, row, compared,
                                                  wording)  # fmt: skip
            claim = guidance.claim_in(results.source, definition, wording)
            sentence = guidance.sentence(claim, again, wording)
        line = Line(key, label or definition.title, Cell.of(row), Cell.of(compared or None),
                    Cell.of(nation.get(key)), sentence, compared.get("signifikant"))  # fmt: skip
        section.lines.append(line)
    whole = reference.get(tuple(WHOLE_DISTRIBUTION for _ in columns))
    if whole and not columns:  # a share of all records: its one comparison is its whole
        section.summary = section.lines[0].sentence if section.lines else ""
    elif whole:
        section.summary = whole.get("vagledning") or ""
        if section.summary and not guidance.engine_words_stand(results.source, wording):
            section.summary = guidance.published_distribution_sentence(
                results.source, definition, whole, wording
            )
    return section


def _by_key(rows: pl.DataFrame, columns: tuple[str, ...]) -> dict[tuple[str, ...], dict[str, Any]]:
    return {tuple(str(row[c]) for c in columns): row for row in rows.iter_rows(named=True)}


def key_figure_trend(
    results: Results, rows: dict[str, pl.DataFrame], unit: str
) -> list[dict[str, Any]]:
    """The key-figure tables for the unit and the nation in every period (the trend)."""
    trend = []
    for name, table in rows.items():
        definition = results.definitions[name]
        if not definition.key_figure:
            continue
        steps = {o.name: o.label for o in definition.outcomes}
        mine = table.filter((pl.col("niva") == "kommun") & (pl.col("enhet") == unit))
        nation = table.filter((pl.col("niva") == NATION) & pl.col("jamforelse").is_null())
        for row in mine.sort("period", maintain_order=True).iter_rows(named=True):
            step = row.get("steg")
            match = nation.filter(pl.col("period") == row["period"])
            if step is not None:
                match = match.filter(pl.col("steg") == step)
            trend.append({
                "label": definition.key_figure + (f" {steps[step]}" if step else ""),
                "period": row["period"], "unit": Cell.of(row),
                "nation": Cell.of(match.row(0, named=True) if match.height else None),
            })  # fmt: skip
    return trend


def trend_chart(
    trend: list[dict[str, Any]], unit_name: str, title: str, words: ChartWords,
    nation: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The chart of `key_figure_trend`: the unit and the nation per period."""
    nation = nation or gettext("Riket")
    points = [
        {"nyckeltal": item["label"], "period": item["period"], "serie": name,
         "andel": cell.share, "ki_lag": cell.low, "ki_hog": cell.high}
        for item in trend
        for name, cell in ((unit_name, item["unit"]), (nation, item["nation"]))
        if cell.share is not None
    ]  # fmt: skip
    return trend_lines(points, [unit_name, nation], title, words)


# --- the summary the dashboard leads with ---

SUMMARY_FINDINGS = 12  # at most this many significant differences in the summary
STEADY = 0.005  # a change of less than half a percentage point is shown as unchanged


@dataclass(frozen=True)
class KeyFigure:
    """A key figure in the chosen period, with the period before it for the trend arrow."""

    label: str
    period: str
    unit: Cell
    nation: Cell
    previous_period: str | None
    previous: Cell | None

    @property
    def change(self) -> float | None:
        """The unit's change since the period before, in percentage points."""
        if self.previous is None or self.previous.share is None or self.unit.share is None:
            return None
        return (self.unit.share - self.previous.share) * 100

    @property
    def direction(self) -> str:
        """ "upp", "ned" or "oforandrad"; "" without a period before to compare with."""
        change = self.change
        if change is None:
            return ""
        if abs(change) < STEADY * 100:
            return "oforandrad"
        return "upp" if change > 0 else "ned"


def key_figures_in(trend: list[dict[str, Any]], period: str) -> list[KeyFigure]:
    """Each key figure of `key_figure_trend` in `period`, with its value the period before."""
    found = []
    labels = list(dict.fromkeys(item["label"] for item in trend))
    for label in labels:
        items = [item for item in trend if item["label"] == label]
        at = next((i for i, item in enumerate(items) if item["period"] == period), None)
        if at is None:
            continue
        before = items[at - 1] if at > 0 else None
        found.append(KeyFigure(
            label, period, items[at]["unit"], items[at]["nation"],
            before["period"] if before else None, before["unit"] if before else None,
        ))  # fmt: skip
    return found


@dataclass(frozen=True)
class Finding:
    """A statistically significant difference, in the guidance's words, and the table (the
    section's anchor) it is from."""

    section: str
    title: str
    label: str
    sentence: str


def findings(*compared: list[Section]) -> list[Finding]:
    """The significant differences of the sections compared with each reference, in the
    sections' order (a table's difference with the group, then with the nation)."""
    found: list[Finding] = []
    by_name = [{section.name: section for section in sections} for sections in compared]
    names = list(dict.fromkeys(name for sections in by_name for name in sections))
    for name in names:
        for sections in by_name:
            section = sections.get(name)
            if section is None:
                continue
            found += [Finding(section.name, section.title, line.label, line.sentence)
                      for line in section.lines if line.significant and line.sentence]  # fmt: skip
    return found
