"""The language of the page being made, for the parts that nuso.core words (guidance
sentences, chart axes, shares): core knows no Django, so the portal hands it the words of the
active language."""

from __future__ import annotations

from django.utils.translation import get_language

from nuso.core.analysis import charts
from nuso.core.analysis.indicators import guidance


def english() -> bool:
    return (get_language() or "sv").startswith("en")


def wording() -> guidance.Wording:
    """The guidance sentences' and shares' words."""
    return guidance.ENGLISH if english() else guidance.SWEDISH


def chart_words() -> charts.ChartWords:
    """The charts' axis titles and number locale."""
    return charts.ENGLISH if english() else charts.SWEDISH
