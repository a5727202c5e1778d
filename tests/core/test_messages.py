"""nuso.core's messages to the person answering: Swedish text that keeps its template and
fields, so that the portal can say it in another language."""

from __future__ import annotations

import json
import pickle

import pytest

from nuso.core.collection.answers import read_integer
from nuso.core.collection.messages import Said, in_words, message_of, said
from nuso.core.collection.questions import Field


def test_a_message_is_its_swedish_text() -> None:
    message = said("Ange ett tal mellan {low} och {high}{unit}.", low=0, high=17, unit=" år")
    assert message == "Ange ett tal mellan 0 och 17 år."
    assert (
        json.dumps({"fel": message}, ensure_ascii=False)
        == '{"fel": "Ange ett tal mellan 0 och 17 år."}'
    )
    again = pickle.loads(pickle.dumps(message))
    assert isinstance(again, Said)
    assert (again, again.template, again.fields) == (message, message.template, message.fields)


def test_an_error_keeps_its_message_and_another_language_fills_its_fields() -> None:
    asked = Field("alder", "Ålder", "", "integer", "", True, minimum=0, maximum=17, unit="år")
    with pytest.raises(ValueError, match="mellan 0 och 17 år") as raised:
        read_integer(asked, "40")
    message = message_of(raised.value)
    assert message.template == "Ange ett tal mellan {low} och {high}{unit}."
    english = {"Ange ett tal mellan {low} och {high}{unit}.": "Enter {low} to {high}{unit}."}
    assert in_words(message, lambda t: english.get(t, t)) == "Enter 0 to 17 år."
    # the study's unit in the catalogue's words where it has them (issue 20 walk)
    english["år"] = "years"
    assert in_words(message, lambda t: english.get(t, t)) == "Enter 0 to 17 years."
    assert in_words("En studies eget meddelande.", english.get) == "En studies eget meddelande."
    assert message_of(ValueError("vanlig text")) == "vanlig text"
