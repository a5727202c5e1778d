"""A `Deck` written as a PowerPoint file with python-pptx: native, editable charts with their
data inside (a municipality can restyle them and read the numbers in PowerPoint), 95 %
intervals as error bars, every chart's figures in the slide's notes, and suppressed cells as
gaps named under the chart, never as numbers. Its own words are the active language's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from pptx import Presentation
from pptx.chart.data import CategoryChartData, XyChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide as PptxSlide
from pptx.util import Inches, Length, Pt

from nuso.portal import language
from nuso.portal.dashboard import Cell
from nuso.reports.content import Chart, Deck, Slide

WIDE, HIGH = Inches(13.333), Inches(7.5)
LOCALES = {"sv": "sv-SE", "en": "en-GB", "nb": "nb-NO"}  # the file's language, by the deck's
TITLE_LAYOUT, BULLETS_LAYOUT, TITLE_ONLY_LAYOUT = 0, 1, 5
HORIZONTAL_FROM = 5  # categories from which bars lie down, so long labels can be read
SHOWN_GAPS = 6  # suppressed cells named under a chart before "och N till"
PERCENT = "0.0%"
TITLE_BOX = (Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.85))
BODY_BOX = (Inches(0.5), Inches(1.4), Inches(12.3), Inches(5.6))
# The unit dark, its comparison group lighter, the nation grey (unless it is the deck's subject):
# told apart in grey print too; further series (the national deck's size bands) in colours of
# their own.
COLOURS = tuple(
    RGBColor.from_string(code)  # type: ignore[no-untyped-call]
    for code in ("1F4E79", "8FAADC", "A6A6A6", "F4B183", "A9D18E")
)
TREND_COLOURS = (COLOURS[0], COLOURS[3], COLOURS[4], COLOURS[1])  # a key figure each: no grey


def write_deck(deck: Deck, path: Path) -> Path:
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = WIDE, HIGH
    _title_slide(presentation, deck)
    for slide in deck.slides:
        _slide(presentation, slide)
    presentation.core_properties.title = deck.title
    presentation.core_properties.language = LOCALES.get(language.code(), "sv-SE")
    presentation.save(str(path))
    return path


def _title_slide(presentation: PresentationType, deck: Deck) -> None:
    slide = presentation.slides.add_slide(presentation.slide_layouts[TITLE_LAYOUT])
    slide.shapes.title.text = deck.title
    _place(slide.shapes.title, (Inches(0.8), Inches(1.6), Inches(11.7), Inches(1.6)), 36)
    body = slide.placeholders[1]
    _place(body, (Inches(0.8), Inches(3.4), Inches(11.7), Inches(2.6)), 20)
    frame = body.text_frame
    frame.text = deck.subtitle
    for fact in deck.facts:
        frame.add_paragraph().text = fact
    for paragraph in frame.paragraphs:
        paragraph.alignment, paragraph.font.size = PP_ALIGN.LEFT, Pt(20)
    _notes(slide, (deck.title, deck.subtitle, *deck.facts))


def _place(shape: Any, box: tuple[Length, Length, Length, Length], size: int) -> None:
    """A placeholder moved to `box`, its text left-aligned in `size` points."""
    shape.left, shape.top, shape.width, shape.height = box
    for paragraph in shape.text_frame.paragraphs:
        paragraph.alignment, paragraph.font.size = PP_ALIGN.LEFT, Pt(size)


def _slide(presentation: PresentationType, content: Slide) -> None:
    if content.chart is None:
        slide = presentation.slides.add_slide(presentation.slide_layouts[BULLETS_LAYOUT])
        slide.shapes.title.text = content.title
        _place(slide.shapes.title, TITLE_BOX, 30)
        body = slide.placeholders[1]
        body.left, body.top, body.width, body.height = BODY_BOX
        frame = body.text_frame
        for at, point in enumerate(content.points):
            paragraph = frame.paragraphs[0] if at == 0 else frame.add_paragraph()
            paragraph.text = point
            paragraph.font.size = Pt(18 if len(content.points) < 5 else 15)
        _notes(slide, content.notes)
        return
    slide = presentation.slides.add_slide(presentation.slide_layouts[TITLE_ONLY_LAYOUT])
    slide.shapes.title.text = content.title
    _place(slide.shapes.title, TITLE_BOX, 28)
    _text(slide, content.subtitle, (Inches(0.5), Inches(1.15), Inches(12.3), Inches(0.4)), 14)
    _chart(slide, content.title, content.chart)
    _text(slide, _gaps(content.chart), (Inches(0.5), Inches(6.95), Inches(8.3), Inches(0.4)), 10)
    _text(
        slide, "\n".join(content.points), (Inches(9.0), Inches(1.7), Inches(4.0), Inches(5.4)), 12
    )
    _notes(slide, content.notes)


def _spread_chart(slide: PptxSlide, chart: Chart) -> Any:
    """Units as points: records along the axis, the share up (a funnel plot's points), after
    the funnel's lines: LibreOffice draws nothing of a scatter chart's first series when
    it is the units' (seen with LibreOffice 7.4), and the points are then drawn on top."""
    data = XyChartData()  # type: ignore[no-untyped-call]
    for each in (*chart.series[1:], chart.series[0]):
        series = data.add_series(each.name, number_format=PERCENT)  # type: ignore[no-untyped-call]
        for cell in each.cells:
            if (value := _value(cell)) is not None and cell is not None and cell.total is not None:
                series.add_data_point(cell.total, value)
    kind = XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS  # the limits as lines; the units below
    return slide.shapes.add_chart(
        kind,
        Inches(0.4),
        Inches(1.6),
        Inches(8.5),
        Inches(5.35),
        data,  # type: ignore[arg-type]
    )


def _chart(slide: PptxSlide, title: str, chart: Chart) -> None:
    if chart.kind == "spread":
        points = _spread_chart(slide, chart)
        _describe(points, title)
        *lines, units = points.chart.plots[0].series
        units.format.line.fill.background()  # the units as points, not joined
        units.marker.style = XL_MARKER_STYLE.CIRCLE
        units.marker.format.fill.solid()
        units.marker.format.fill.fore_color.rgb = COLOURS[0]
        for line in lines:  # the limits grey, the nation's share (the middle line) darker
            line.format.line.color.rgb = COLOURS[2]
            line.smooth = True
        if len(lines) == 3:
            lines[1].format.line.color.rgb = COLOURS[1]
        points.chart.has_legend = bool(lines)
        if lines:
            points.chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            points.chart.legend.include_in_layout = False
            points.chart.legend.font.size = Pt(11)
        points.chart.value_axis.tick_labels.number_format = "0%"
        points.chart.value_axis.tick_labels.number_format_is_linked = False
        return
    data = CategoryChartData(number_format=PERCENT)  # type: ignore[no-untyped-call]
    data.categories = chart.categories
    for series in chart.series:
        data.add_series(series.name, [_value(c) for c in series.cells])  # type: ignore[no-untyped-call]
    kind = XL_CHART_TYPE.LINE_MARKERS if chart.kind == "trend" else XL_CHART_TYPE.COLUMN_CLUSTERED
    lying = chart.kind == "bars" and len(chart.categories) >= HORIZONTAL_FROM
    if lying:
        kind = XL_CHART_TYPE.BAR_CLUSTERED
    frame: Any = slide.shapes.add_chart(
        kind,
        Inches(0.4),
        Inches(1.6),
        Inches(8.5),
        Inches(5.35),
        data,  # type: ignore[arg-type]
    )
    _describe(frame, title)
    made = frame.chart
    made.has_title = False  # the slide's title says it; one series would be titled by its name
    made.has_legend = True
    made.legend.position = XL_LEGEND_POSITION.BOTTOM
    made.legend.include_in_layout = False
    made.legend.font.size = Pt(11)
    axis = made.value_axis
    axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = "0%", False
    axis.tick_labels.font.size = Pt(10)
    axis.minimum_scale = 0
    made.category_axis.tick_labels.font.size = Pt(10)
    if lying:
        made.category_axis.reverse_order = True  # the first category on top, as in the tables
    for at, (plotted, series) in enumerate(zip(made.plots[0].series, chart.series, strict=True)):
        colour = COLOURS[at % len(COLOURS)]
        if chart.kind == "trend":
            colour, dashed = _trend_line(chart, at)
            plotted.format.line.color.rgb = colour
            if dashed:
                plotted.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
            plotted.marker.format.fill.solid()
            plotted.marker.format.fill.fore_color.rgb = colour
        else:
            plotted.format.fill.solid()
            plotted.format.fill.fore_color.rgb = COLOURS[2] if series.nation and at else colour
        _error_bars(plotted._element, series.cells)


def _trend_line(chart: Chart, at: int) -> tuple[RGBColor, bool]:
    """A trend's line: with one key figure the unit dark and the nation grey, as in the bar
    charts; with several, each key figure a colour of its own, the nation's line dashed."""
    series = chart.series[at]
    figures = [each for each in chart.series if not each.nation]
    if len(figures) <= 1:
        return (COLOURS[2] if series.nation else COLOURS[0]), False
    figure = sum(1 for each in chart.series[: at + 1] if not each.nation) - 1
    return TREND_COLOURS[max(figure, 0) % len(TREND_COLOURS)], series.nation


def _describe(frame: Any, title: str) -> None:
    """The chart's alt text (python-pptx has no API for it)."""
    frame._element.nvGraphicFramePr.cNvPr.set(
        "descr", _("Diagram: %(title)s. Alla siffror finns i bildens anteckningar.") % {
            "title": title}
    )  # fmt: skip


def _value(cell: Cell | None) -> float | None:
    if cell is None or cell.suppressed or cell.share is None:
        return None
    return cell.share


def _error_bars(series: Any, cells: tuple[Cell | None, ...]) -> None:
    """The 95 % intervals as custom error bars, literal values inside the chart (python-pptx
    has no API for them); a cell without an interval (suppressed, no figure) gets none."""
    plus, minus = [], []
    for at, cell in enumerate(cells):
        value = _value(cell)
        if value is None or cell is None or cell.low is None or cell.high is None:
            continue
        plus.append((at, cell.high - value))
        minus.append((at, value - cell.low))
    if not plus:
        return
    bars = OxmlElement("c:errBars")
    for tag, setting in (("c:errBarType", "both"), ("c:errValType", "cust"), ("c:noEndCap", "0")):
        _child(bars, tag).set("val", setting)
    for tag, points in (("c:plus", plus), ("c:minus", minus)):
        literal = _child(_child(bars, tag), "c:numLit")
        _child(literal, "c:formatCode").text = PERCENT
        _child(literal, "c:ptCount").set("val", str(len(cells)))
        for at, size in points:
            point = _child(literal, "c:pt")
            point.set("idx", str(at))
            _child(point, "c:v").text = repr(round(size, 6))
    series.find(qn("c:cat")).addprevious(bars)  # the schema's order: errBars before cat


def _child(parent: Any, tag: str) -> Any:
    made = OxmlElement(tag)
    parent.append(made)
    return made


def _gaps(chart: Chart) -> str:
    """The suppressed cells, named: a gap in a chart is otherwise read as nothing."""
    gaps = [f"{series.name}: {chart.categories[at]}"
            for series in chart.series for at, cell in enumerate(series.cells)
            if cell is not None and cell.suppressed]  # fmt: skip
    if not gaps:
        return ""
    named = "; ".join(gaps[:SHOWN_GAPS])
    if len(gaps) > SHOWN_GAPS:
        return _("Visas inte (undertryckt, för få): %(named)s och %(count)s till.") % {
            "named": named, "count": len(gaps) - SHOWN_GAPS}  # fmt: skip
    return _("Visas inte (undertryckt, för få): %(named)s.") % {"named": named}


def _text(
    slide: PptxSlide, text: str, box: tuple[Length, Length, Length, Length], size: int
) -> None:
    if not text:
        return
    frame = slide.shapes.add_textbox(*box).text_frame
    frame.word_wrap = True
    for at, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if at == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(size)
        paragraph.space_after = Pt(4)


def _notes(slide: PptxSlide, lines: tuple[str, ...]) -> None:
    frame = slide.notes_slide.notes_text_frame
    assert frame is not None  # the default notes master has a body placeholder
    frame.text = "\n".join(lines)
