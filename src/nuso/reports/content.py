"""What a results deck says, before it is a PowerPoint file: slides of charts with their
figures, sentences and notes, made from the engine's disclosure-controlled rows.

Everything here comes from the study's definitions (its tables, titles, key figures and
guidance), so a new study gets decks without code. The words follow the tests: a slide says
"högre än" or "lägre än" only of a difference the engine found statistically significant
(Benjamini–Hochberg adjusted), and otherwise that no difference is established. A suppressed
cell is carried as suppressed, with no number, to every place the deck shows it."""

from __future__ import annotations

from dataclasses import dataclass, field

from nuso.core.analysis.indicators.guidance import percent
from nuso.portal.dashboard import Cell, Line, Section

SUPPRESSED = "undertryckt"  # how a suppressed figure is written wherever a number would be


@dataclass(frozen=True)
class Series:
    """One bar or line series of a chart: its name and a cell per category (None: no
    figure for that category at all)."""

    name: str
    cells: tuple[Cell | None, ...]


@dataclass(frozen=True)
class Chart:
    kind: str  # "bars" (categories side by side) or "trend" (periods along the axis)
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    value_title: str = "Andel"

    def figures(self) -> list[str]:
        """Every figure of the chart as a line of text (the notes, for screen readers and for
        anyone who wants the numbers): category, then each series' share, interval and count."""
        lines = []
        for at, category in enumerate(self.categories):
            parts = [f"{s.name}: {cell_text(s.cells[at])}" for s in self.series]
            lines.append(f"{category} – " + "; ".join(parts))
        return lines


@dataclass(frozen=True)
class Slide:
    title: str
    subtitle: str = ""
    chart: Chart | None = None
    points: tuple[str, ...] = ()  # sentences on the slide
    notes: tuple[str, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()  # a header row and rows, for a table slide


@dataclass
class Deck:
    """A deck: its title slide's words, its slides, and the name of the file."""

    file_stem: str
    title: str
    subtitle: str
    facts: tuple[str, ...]  # the title slide's lines: period, data version, made
    slides: list[Slide] = field(default_factory=list)


def cell_text(cell: Cell | None) -> str:
    """A cell as the notes and tables write it: '45,2 % (41,0–49,5 %), 120 av 265'; a
    suppressed cell only as suppressed; no figure as '–'."""
    if cell is None or (cell.share is None and not cell.suppressed):
        return "–"
    if cell.suppressed or cell.share is None:
        return SUPPRESSED
    text = percent(cell.share, 1)
    if cell.low is not None and cell.high is not None:
        low, high = percent(cell.low, 1).removesuffix("\u00a0%"), percent(cell.high, 1)
        text += f" (95 % KI {low}–{high})"
    if cell.count is not None and cell.total is not None:
        text += f", {cell.count} av {cell.total}"
    return text


def verdict(line: Line, unit_name: str, reference_name: str) -> str:
    """The line against the reference in words that follow the test: higher or lower only
    where the difference is significant."""
    unit, reference = line.unit, line.reference
    if unit.suppressed or reference.suppressed or unit.share is None or reference.share is None:
        return f"{line.label}: kan inte jämföras med {reference_name} (för få eller undertryckt)."
    figures = f"{percent(unit.share, 1)} i {unit_name} mot {percent(reference.share, 1)}"
    if line.significant is None:
        return f"{line.label}: {figures}; skillnaden kan inte prövas statistiskt."
    if not line.significant:
        return f"{line.label}: {figures}; ingen statistiskt säkerställd skillnad."
    direction = "högre" if unit.share > reference.share else "lägre"
    return (
        f"{line.label}: {percent(unit.share, 1)} i {unit_name}, {direction} än "
        f"{reference_name} ({percent(reference.share, 1)}); skillnaden är statistiskt "
        "säkerställd."
    )


def section_chart(section: Section, names: tuple[str, str, str]) -> Chart:
    """A section's lines as bars: the unit, the comparison group and the nation (the group
    left out when the comparison is the nation itself)."""
    columns = [(names[0], "unit"), (names[1], "reference"), (names[2], "nation")]
    if names[1] == names[2]:
        columns = [columns[0], columns[2]]
    series = tuple(
        Series(name, tuple(getattr(line, part) for line in section.lines)) for name, part in columns
    )
    return Chart("bars", tuple(line.label for line in section.lines), series)
