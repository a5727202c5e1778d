"""The language of the page being made, for the parts that nuso.core words (guidance
sentences, chart axes, shares): core knows no Django, so the portal hands it the words of the
active language."""

from __future__ import annotations

from django.utils.translation import get_language

from nuso.core.analysis import charts
from nuso.core.analysis.indicators import guidance


def code() -> str:
    """The active language's code: "sv", "en" or "nb"."""
    return get_language() or "sv"


def english() -> bool:
    return code().startswith("en")


def norwegian() -> bool:
    return code().startswith("nb")


def wording() -> guidance.Wording:
    """The guidance sentences' and shares' words."""
    return guidance.wording_for(code())


def chart_words() -> charts.ChartWords:
    """The charts' axis titles and number locale."""
    if norwegian():
        return charts.NORWEGIAN
    return charts.ENGLISH if english() else charts.SWEDISH
