"""Swedish for argparse's own words ("usage:", "options", error lines).

argparse looks its texts up through gettext at call time and Python ships no Swedish catalogue
for it, so the `nuso` command installs this small one.
"""

from __future__ import annotations

import argparse

TEXTS = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "the following arguments are required: %s": "följande argument saknas: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ogiltigt val: %(value)r (välj bland %(choices)s)"
    ),
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "ogiltigt värde: %(value)r",
    "expected one argument": "ett värde behövs",
}


def translate(text: str) -> str:
    return TEXTS.get(text, text)


def install() -> None:
    argparse._ = translate  # type: ignore[attr-defined]
