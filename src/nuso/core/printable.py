"""Text from outside (file, sheet and column names, cell values) made safe to print.

A file may be named `\\x1b[2J…`: printed raw, the escape sequence clears the user's terminal,
recolours what follows or rewrites the line before it, and a bidirectional override (U+202E)
shows a name backwards. Control characters carry nothing a name needs, so they are left out
wherever such text is printed (the command line's console, and every problem's place).
"""

from __future__ import annotations

import re

# Unicode's control characters (C0, DEL, C1 — CSI among them) and the bidirectional marks,
# embeddings, overrides and isolates.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
CONTROLS = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{BIDI_CONTROLS}]")
CONTROLS_BUT_LINES = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{BIDI_CONTROLS}]")


def printable(text: str) -> str:
    """The text without control characters: a name on one line."""
    return CONTROLS.sub("", text)


def printable_lines(text: str) -> str:
    """The text without control characters, but its line breaks and tabs."""
    return CONTROLS_BUT_LINES.sub("", text)
