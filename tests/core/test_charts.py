"""The charts as their readers see them: rendered by vl-convert as the portal renders them,
and read back from the SVG's own description of its axes."""

from __future__ import annotations

import re
from typing import Any

import vl_convert

from nuso.core.analysis.charts import comparison_bars, funnel_plot, trend_lines


def share_axis(spec: dict[str, Any]) -> str:
    """The description of the rendered chart's share axis ("… values from 0% to 60%")."""
    svg = vl_convert.vegalite_to_svg(spec, format_locale="sv-SE")
    axes = re.findall(r'aria-label="([XY]-axis titled \'Andel\'[^"]*)"', svg)
    assert len(axes) == 1, axes
    return axes[0]


def test_every_share_axis_starts_at_zero_however_close_the_shares_are() -> None:
    """Shares between 55 % and 58 % drawn on an axis from 53 % make a small difference look
    large: every share axis starts at 0."""
    close = [("2023", "Karlstad", 0.55), ("2024", "Karlstad", 0.58),
             ("2023", "Riket", 0.56), ("2024", "Riket", 0.57)]  # fmt: skip
    trend = [{"nyckeltal": "Utredning", "period": period, "serie": series, "andel": share,
              "ki_lag": share - 0.01, "ki_hog": share + 0.01}
             for period, series, share in close]  # fmt: skip
    bars = [{"kategori": "Anmälan", "serie": series, "andel": share, "ki_lag": share - 0.01,
             "ki_hog": share + 0.01} for _, series, share in close[1:3]]  # fmt: skip
    funnel = [{"total": total, "andel": 0.55 + total / 100_000, "enhet": str(total)}
              for total in (200, 800, 3000)]  # fmt: skip
    for spec in (trend_lines(trend, ["Karlstad", "Riket"], "Nyckeltal"),
                 comparison_bars(bars, "Typ", ["Karlstad", "Riket"], "Typ"),
                 funnel_plot(funnel, 0.56, "Utredning")):  # fmt: skip
        assert "values from 0% to" in share_axis(spec)


def test_each_series_keeps_its_colour_when_another_has_no_figures() -> None:
    """The nation is grey whether or not the comparison group has figures (with no group
    figures the nation took the group's orange)."""
    shares = (("Karlstad", 0.5), ("Riket", 0.4))
    bars = [{"kategori": "Anmälan", "serie": series, "andel": share, "ki_lag": share - 0.01,
             "ki_hog": share + 0.01} for series, share in shares]  # fmt: skip
    for spec in (comparison_bars(bars, "Typ", ["Karlstad", "Kommungruppen", "Riket"], "Typ"),
                 comparison_bars(bars, "Typ", ["Karlstad", "Riket"], "Typ"),  # compared with it
                 trend_lines([{**b, "nyckeltal": "N", "period": "2023"} for b in bars],
                             ["Karlstad", "Riket"], "N")):  # fmt: skip
        svg = vl_convert.vegalite_to_svg(spec, format_locale="sv-SE")
        marks = r'aria-label="[^"]*serie: Riket[^"]*"[^>]*?(?:fill|stroke)="(#[0-9a-f]{6})"'
        nation = set(re.findall(marks, svg)) - {"#000000"}  # the bars' intervals are black
        assert nation == {"#6b6b6b"}


def test_a_bar_charts_share_axis_ends_near_its_largest_interval_not_at_100_percent() -> None:
    """Reasons given in 2–9 % of referrals drawn on an axis to 100 % are slivers: the axis
    ends at a round figure past the largest interval's end (and never before it)."""
    small = [{"kategori": reason, "serie": series, "andel": share, "ki_lag": share - 0.01,
              "ki_hog": share + 0.02}
             for reason, share in (("Skolproblem", 0.02), ("Missbruk förälder", 0.09))
             for series in ("Karlstad", "Riket")]  # fmt: skip
    axis = share_axis(comparison_bars(small, "Orsak", ["Karlstad", "Riket"], "Orsak"))
    assert re.search(r"values from 0% to 1[0-2]%", axis), axis
    whole = [{**point, "andel": 0.9, "ki_hog": 0.97} for point in small]
    axis = share_axis(comparison_bars(whole, "Orsak", ["Karlstad", "Riket"], "Orsak"))
    assert "values from 0% to 100%" in axis


def test_labels_that_begin_alike_are_not_cut_into_the_same_words() -> None:
    labels = ["Aktualiseringen har påförts pågående utredning",
              "Aktualiseringen har påförts pågående insats",
              "Aktualiseringen har påförts pågående förhandsbedömning"]  # fmt: skip
    points = [{"kategori": label, "serie": series, "andel": 0.2, "ki_lag": 0.1, "ki_hog": 0.3}
              for label in labels for series in ("Karlstad", "Riket")]  # fmt: skip
    svg = vl_convert.vegalite_to_svg(comparison_bars(points, "Åtgärd", ["Karlstad", "Riket"], "T"))
    shown = re.findall(r"<text[^>]*>([^<]*Aktualiseringen[^<]*)</text>", svg)
    assert sorted(shown) == sorted(labels)


def test_shares_under_one_percent_are_on_an_axis_that_tells_them_apart() -> None:
    tiny = [{"kategori": "Ensamkommande", "serie": series, "andel": 0.002, "ki_lag": 0.0,
             "ki_hog": 0.006} for series in ("Karlstad", "Riket")]  # fmt: skip
    axis = share_axis(comparison_bars(tiny, "Orsak", ["Karlstad", "Riket"], "Orsak"))
    assert "values from 0,0% to 1,0%" in axis
    none = [{**point, "andel": 0.0, "ki_hog": 0.0} for point in tiny]
    assert "to 1,0%" in share_axis(comparison_bars(none, "Orsak", ["Karlstad", "Riket"], "O"))
