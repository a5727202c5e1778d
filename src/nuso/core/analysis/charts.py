"""Vega-Lite specs of the portal's and the reports' charts: one spec, rendered to SVG for the
web page and to PNG for slides (vl-convert)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
COLOURS = ["#1f4e79", "#c55a11", "#6b6b6b"]  # unit, comparison group, nation: AA contrast on white
LABEL_LIMIT = 340  # px of a category's label before it is cut with "…"


@dataclass(frozen=True)
class ChartWords:
    """The words of the charts' axes in one language, and the locale their numbers are
    formatted in when rendered (vl-convert's format_locale: "45 %" or "45%")."""

    share: str
    period: str
    count: str
    locale: Literal["sv-SE", "en-US"]


SWEDISH = ChartWords(share="Andel", period="Period", count="Antal", locale="sv-SE")
ENGLISH = ChartWords(share="Share", period="Period", count="Number", locale="en-US")
# d3-format has no Norwegian locale; Norwegian writes numbers as Swedish does ("4,5", "1 234").
NORWEGIAN = ChartWords(share="Andel", period="Periode", count="Antall", locale="sv-SE")


def comparison_bars(
    points: list[dict[str, Any]], category_title: str, series: list[str], title: str,
    words: ChartWords = SWEDISH,
) -> dict[str, Any]:  # fmt: skip
    """Horizontal bars of shares with 95 % intervals, the unit and its references side by
    side per category. `points`: {kategori, serie, andel, ki_lag, ki_hog}; suppressed cells
    are left out (the table beside the chart says so)."""
    # Labels whole up to 340 px (Vega-Lite cuts at 180): "… påförts pågående utredning" and
    # "… pågående insats" cut alike read as one category twice.
    encoding_y = {"field": "kategori", "type": "nominal", "title": category_title, "sort": None,
                  "axis": {"labelLimit": LABEL_LIMIT}}  # fmt: skip
    # The unit, its comparison group and the nation; without a group, the unit and the nation.
    colours = COLOURS if len(series) == 3 else [COLOURS[0], COLOURS[2]]
    offset = {"field": "serie", "type": "nominal", "sort": series}
    return {
        "$schema": SCHEMA,
        "title": title,
        "width": 520,
        "height": {"step": 14},
        "data": {"values": points},
        "encoding": {"y": encoding_y, "yOffset": offset},
        "layer": [
            {
                "mark": {"type": "bar"},
                "encoding": {
                    "x": {
                        "field": "andel",
                        "type": "quantitative",
                        "title": words.share,
                        "axis": {"format": share_format(points)},
                        # From 0, to a round figure past the largest interval (at least 1 %):
                        # shares of a few per cent on an axis to 100 % are slivers.
                        "scale": share_scale(points),
                    },
                    "color": {
                        "field": "serie",
                        "type": "nominal",
                        "title": None,
                        "sort": series,
                        # Every series named, so that each keeps its colour (the nation grey)
                        # when another has no figures.
                        "scale": {"domain": series, "range": colours},
                        "legend": {"orient": "bottom"},
                    },
                },
            },
            {
                "mark": {"type": "rule", "color": "#000000"},
                "encoding": {
                    "x": {"field": "ki_lag", "type": "quantitative"},
                    "x2": {"field": "ki_hog"},
                },
            },
        ],
        "config": {"font": "sans-serif", "view": {"stroke": None}},
    }


def largest(points: list[dict[str, Any]]) -> float:
    """The largest share or interval end of the points (0 without any)."""
    ends = [p.get(k) for p in points for k in ("andel", "ki_hog")]
    return max((float(end) for end in ends if end is not None), default=0.0)


def share_scale(points: list[dict[str, Any]]) -> dict[str, Any]:
    """From 0 to the data's end made nice; to 1 % where every share is under it, so that
    the axis reads "0 %, 0,5 %, 1 %" and not "0 %, 0 %"."""
    scale: dict[str, Any] = {"domainMin": 0, "nice": True}
    if largest(points) < 0.01:
        scale["domainMax"] = 0.01
    return scale


def share_format(points: list[dict[str, Any]]) -> str:
    """Whole per cents, or tenths on an axis that ends under 5 % ("0,5 %", not "0 %")."""
    return ".1%" if largest(points) < 0.05 else ".0%"


def trend_lines(
    points: list[dict[str, Any]], series: list[str], title: str, words: ChartWords = SWEDISH
) -> dict[str, Any]:
    """Key figures over the periods, one panel per key figure: the unit and the nation, each
    period's share with its 95 % interval. `points`: {nyckeltal, period, serie, andel, ki_lag,
    ki_hog}; suppressed cells are left out (the table beside the chart says so)."""
    period = {
        "field": "period",
        "type": "ordinal",
        "title": words.period,
        "sort": None,
        "axis": {"labelAngle": 0},
    }
    colour = {
        "field": "serie",
        "type": "nominal",
        "title": None,
        "sort": series,
        "scale": {"domain": series, "range": [COLOURS[0], COLOURS[2]]},
        "legend": {"orient": "bottom"},
    }
    share = {
        "field": "andel",
        "type": "quantitative",
        "title": words.share,
        "axis": {"format": ".0%"},
        # From 0: an axis from 52 % makes a difference of a few points look large.
        "scale": {"zero": True},
    }
    return {
        "$schema": SCHEMA,
        "title": title,
        "data": {"values": points},
        "facet": {
            "row": {
                "field": "nyckeltal",
                "type": "nominal",
                "title": None,
                "sort": None,
                # The key figure's name above its panel, not turned on its side.
                "header": {
                    "labelAngle": 0,
                    "labelOrient": "top",
                    "labelAlign": "left",
                    "labelAnchor": "start",
                    "labelFontWeight": "bold",
                },
            }
        },
        "spec": {
            "width": 420,
            "height": 150,
            "layer": [
                {
                    "mark": {"type": "line", "point": True},
                    "encoding": {"x": period, "y": share, "color": colour},
                },
                {
                    "mark": {"type": "rule"},
                    "encoding": {
                        "x": period,
                        "y": {"field": "ki_lag", "type": "quantitative"},
                        "y2": {"field": "ki_hog"},
                        "color": colour,
                    },
                },
            ],
        },
        "config": {"font": "sans-serif", "view": {"stroke": None}},
    }


def funnel_plot(
    points: list[dict[str, Any]], nation: float, title: str, words: ChartWords = SWEDISH
) -> dict[str, Any]:
    """Each unit's share against its number of records, with the nation's share and 95 %
    control limits: a unit outside the funnel differs more than chance explains."""
    return {
        "$schema": SCHEMA,
        "title": title,
        "width": 560,
        "height": 320,
        "layer": [
            {
                "data": {"values": points},
                "mark": {"type": "point", "filled": True, "color": COLOURS[0]},
                "encoding": {
                    "x": {
                        "field": "total",
                        "type": "quantitative",
                        "title": words.count,
                        "scale": {"type": "log"},
                    },
                    "y": {
                        "field": "andel",
                        "type": "quantitative",
                        "title": words.share,
                        "axis": {"format": ".0%"},
                        "scale": {"zero": True},  # as every share axis
                    },
                },
            },
            {
                "data": {"values": _limits(nation, points)},
                "mark": {"type": "line", "color": COLOURS[2], "strokeDash": [4, 3]},
                "encoding": {
                    "x": {"field": "total", "type": "quantitative"},
                    "y": {"field": "grans", "type": "quantitative"},
                    "detail": {"field": "sida", "type": "nominal"},
                },
            },
        ],
    }


def _limits(nation: float, points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    totals = [p["total"] for p in points if p.get("total")]
    if not totals:
        return []
    low, high = max(min(totals), 5), max(totals)
    steps = [low * (high / low) ** (i / 40) for i in range(41)]
    half = [1.96 * (nation * (1 - nation) / n) ** 0.5 for n in steps]
    return [
        {"total": n, "grans": max(0.0, min(1.0, nation + sign * h)), "sida": side}
        for n, h in zip(steps, half, strict=True)
        for sign, side in ((-1, "lag"), (1, "hog"))
    ]
