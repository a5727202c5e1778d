"""Messages to the person answering: Swedish text made from a template with named fields
("Ange ett tal mellan {low} och {high}{unit}."). A message is the Swedish string itself, so
everything that reads it as text (the API, the logs, the tests) is as before, and it keeps
its template and fields, so that the portal can say it in the page's language from its
catalogues. `said` is the marker `makemessages` looks for (nuso.cli's makemessages adds the
keyword): core knows no Django."""

from __future__ import annotations

from typing import Any


class Said(str):
    """A message: its Swedish text, with the template and fields it was made from."""

    template: str
    fields: dict[str, Any]

    def __new__(cls, template: str, fields: dict[str, Any]) -> Said:
        made = super().__new__(cls, template.format(**fields))
        made.template, made.fields = template, fields
        return made

    def __reduce__(self) -> tuple[type[Said], tuple[str, dict[str, Any]]]:
        return Said, (self.template, self.fields)  # pickled whole, not as its text


def said(template: str, **fields: Any) -> Said:
    """The message of `template` with `fields` filled in."""
    return Said(template, fields)


def message_of(error: BaseException) -> str:
    """An error's message, kept a `Said` where it is one (str() would make it plain text)."""
    first = error.args[0] if error.args else ""
    return first if isinstance(first, Said) else str(error)


def in_words(message: str, translate: Any) -> str:
    """`message` in the words of `translate` (a gettext): a `Said` from its template, its
    fields that are messages too in the same words, any other text (a study's own message)
    as it is."""
    if not isinstance(message, Said):
        return message
    fields = {name: in_words(value, translate) if isinstance(value, Said) else value
              for name, value in message.fields.items()}  # fmt: skip
    return str(translate(message.template)).format(**fields)


def unit_word(word: str) -> Said:
    """A study's unit of a number ("år"), said after the number: in the catalogues' words
    where they have it (UNITS), else as the study has it."""
    return Said(" {word}", {"word": Said(word, {})}) if word else Said("", {})


# the units the shipped studies give their numbers, so that the catalogues hold them
UNITS = (said("år"), said("månader"), said("dagar"))
