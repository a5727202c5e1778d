"""Number formats for the portal's templates, as the page's language writes them: "4,5 %"
and "1 234" in Swedish, "4.5%" and "1,234" in English."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from nuso.core.analysis.indicators.guidance import percent
from nuso.core.outputs.registry import TABLES, Writer, writers
from nuso.portal import language

register = template.Library()


@register.simple_tag
def table_writers() -> tuple[Writer, ...]:
    """The formats tables are downloaded in, from the output registry."""
    return writers(TABLES)


@register.filter
def procent(value: float | None) -> str:
    return "–" if value is None else percent(value, 1, language.wording())


@register.filter
def antal(value: int | None) -> str:
    if value is None:
        return "–"
    return f"{value:,}" if language.english() else f"{value:,}".replace(",", "\u00a0")


@register.filter
def cell(value: Any) -> str:
    """A share with its interval, or "undertryckt" (a filter, not an include: the dashboard
    shows hundreds of cells)."""
    if value.suppressed:
        return format_html('<span class="suppressed">{}</span>', gettext("undertryckt"))
    if value.share is None:
        return "–"
    return format_html(
        '{} <span class="interval">({}–{})</span>',
        procent(value.share),
        procent(value.low),
        procent(value.high),
    )
