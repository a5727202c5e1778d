"""What a results deck says, before it is a PowerPoint file: slides of charts with their
figures, sentences and notes, made from the engine's disclosure-controlled rows.

Everything here comes from the study's definitions (its tables, titles, key figures and
guidance), so a new study gets decks without code. The words follow the tests: a slide says
"högre än" or "lägre än" only of a difference the engine found statistically significant
(Benjamini–Hochberg adjusted), and otherwise that no difference is established. A suppressed
cell is carried as suppressed, with no number, to every place the deck shows it.

The deck's words are in the active language (gettext; `service` activates the one asked
for), its figures written as that language writes them (`nuso.portal.language`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from nuso.core.analysis.indicators.counting import NATION
from nuso.core.analysis.indicators.guidance import percent, reference_phrase
from nuso.core.analysis.indicators.inputs import StudyInput
from nuso.portal import language
from nuso.portal.dashboard import Cell, Line, Section


def suppressed() -> str:
    """How a suppressed figure is written wherever a number would be: 'undertryckt'."""
    return _("undertryckt")


@dataclass(frozen=True)
class Series:
    """One bar or line series of a chart: its name and a cell per category (None: no
    figure for that category at all)."""

    name: str
    cells: tuple[Cell | None, ...]
    nation: bool = False  # the nation's figures: grey beside a unit's or a county's


@dataclass(frozen=True)
class Chart:
    kind: str  # "bars" (categories side by side) or "trend" (periods along the axis)
    categories: tuple[str, ...]
    series: tuple[Series, ...]

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


def in_text(phrase: str) -> str:
    """A guidance phrase without its preposition: 'i riket' -> 'riket' (every wording's
    reference phrase starts "i " or "in ")."""
    return phrase.split(" ", 1)[1]


def nation_in_text(study: StudyInput) -> str:
    """The study's nation within a sentence, in the active language: 'riket', 'Norge',
    'Sweden', 'hele landet'."""
    return in_text(reference_phrase(study, NATION, "", "", language.wording()))


def share(value: float) -> str:
    """A share with one decimal, as the active language writes it: '45,2 %', '45.2%'."""
    return percent(value, 1, language.wording())


def cell_text(cell: Cell | None) -> str:
    """A cell as the notes and tables write it: '45,2 % (95 % KI 41,0–49,5 %), 120 av 265';
    a suppressed cell only as suppressed; no figure as '–'."""
    if cell is None or (cell.share is None and not cell.suppressed):
        return "–"
    if cell.suppressed or cell.share is None:
        return suppressed()
    text = share(cell.share)
    if cell.low is not None and cell.high is not None:
        low = share(cell.low).removesuffix(language.wording().percent_sign)
        text += " " + _("(95 %% KI %(low)s–%(high)s)") % {"low": low, "high": share(cell.high)}
    if cell.count is not None and cell.total is not None:
        text += _(", %(count)s av %(total)s") % {"count": cell.count, "total": cell.total}
    return text


def verdict(line: Line, unit_name: str, reference_name: str) -> str:
    """The line against the reference in words that follow the test: higher or lower only
    where the difference is significant, and always which reference the other share is of.
    `reference_name` as within a sentence ('riket', 'kommungruppen Storstäder (utom Malmö)'):
    the share follows it in words, not in brackets after its own."""
    unit, reference = line.unit, line.reference
    if unit.suppressed or reference.suppressed or unit.share is None or reference.share is None:
        return _("%(label)s: kan inte jämföras med %(reference)s (för få eller undertryckt).") % {
            "label": line.label, "reference": reference_name}  # fmt: skip
    fields = {"label": line.label, "unit": unit_name, "reference": reference_name,
              "share": share(unit.share), "reference_share": share(reference.share)}  # fmt: skip
    if line.significant is None:
        return _("%(label)s: %(share)s i %(unit)s mot %(reference_share)s i %(reference)s; "
                 "skillnaden kan inte prövas statistiskt.") % fields  # fmt: skip
    if not line.significant:
        return _("%(label)s: %(share)s i %(unit)s mot %(reference_share)s i %(reference)s; "
                 "ingen statistiskt säkerställd skillnad.") % fields  # fmt: skip
    if unit.share > reference.share:
        higher = _("%(label)s: %(share)s i %(unit)s, högre än %(reference)s, där andelen är "
                   "%(reference_share)s; skillnaden är statistiskt säkerställd.")  # fmt: skip
        return higher % fields
    return _("%(label)s: %(share)s i %(unit)s, lägre än %(reference)s, där andelen är "
             "%(reference_share)s; skillnaden är statistiskt säkerställd.") % fields  # fmt: skip


def section_chart(section: Section, unit: str, reference: str | None, nation: str) -> Chart:
    """A section's lines as bars: the unit, the comparison group and the nation (no group,
    `reference` None, when the comparison is the nation itself)."""
    columns = [(unit, "unit"), (reference, "reference"), (nation, "nation")]
    series = tuple(
        Series(name, tuple(getattr(line, part) for line in section.lines), part == "nation")
        for name, part in columns
        if name is not None
    )
    return Chart("bars", tuple(line.label for line in section.lines), series)
