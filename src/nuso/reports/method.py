"""The closing slide of every deck, in the words of the tables workbook's method sheet
(nuso.core.outputs.method), in the active language and for the study's country."""

from __future__ import annotations

from django.utils.translation import gettext as _

from nuso.core.outputs.method import method_text
from nuso.core.outputs.words import words_for
from nuso.portal import language
from nuso.reports.content import Slide


def method_slide(min_count: int | None, country: str) -> Slide:
    words = words_for(language.code())
    text = method_text(min_count, words, country)
    return Slide(words.method_title,
                 _("Konfidensintervall, statistisk prövning och röjandeskydd"),
                 points=text, notes=text)  # fmt: skip
