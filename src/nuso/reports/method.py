"""The closing slide of every deck, in the words of the tables workbook's method sheet
(nuso.core.outputs.method)."""

from __future__ import annotations

from nuso.core.outputs.method import method_text
from nuso.reports.content import Slide


def method_slide(min_count: int | None) -> Slide:
    text = method_text(min_count)
    return Slide("Om metoden", "Konfidensintervall, statistisk prövning och röjandeskydd",
                 points=text, notes=text)  # fmt: skip
