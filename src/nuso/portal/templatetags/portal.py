"""Swedish number formats for the portal's templates."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from nuso.core.analysis.indicators.guidance import percent

register = template.Library()


@register.filter
def procent(value: float | None) -> str:
    return "–" if value is None else percent(value, 1)


@register.filter
def antal(value: int | None) -> str:
    return "–" if value is None else f"{value:,}".replace(",", "\u00a0")


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
