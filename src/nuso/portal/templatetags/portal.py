"""Swedish number formats for the portal's templates."""

from __future__ import annotations

from django import template

from nuso.core.indicators.guidance import percent

register = template.Library()


@register.filter
def procent(value: float | None) -> str:
    return "–" if value is None else percent(value, 1)


@register.filter
def antal(value: int | None) -> str:
    return "–" if value is None else f"{value:,}".replace(",", "\u00a0")
