"""Path converters for the formats of downloads, read from the output registry when the
converters are registered, as the addresses are built (so a format registered by another
module before then, in its app's `ready`, is in them too)."""

from __future__ import annotations

from nuso.core.outputs.registry import ROWS, TABLES, pattern


class FormatConverter:
    kind: str

    def __init__(self) -> None:
        self.regex = pattern(self.kind)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class RowFormat(FormatConverter):
    kind = ROWS


class TableFormat(FormatConverter):
    kind = TABLES
