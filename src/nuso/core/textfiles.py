"""Decoding delimited text files as municipalities and SCB deliver them."""

from __future__ import annotations

import csv
import unicodedata

DELIMITERS = ",;\t|"


def decode_text(data: bytes) -> tuple[str, str]:
    """Text and encoding name: UTF-8 (with or without BOM) when it decodes, else Windows-1252.

    Windows-1252 decodes almost any byte string, so UTF-8 is tried first: text that is valid
    UTF-8 and holds non-ASCII letters is practically never Windows-1252 in disguise.
    """
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header line into the most fields."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def read_delimited(data: bytes) -> list[list[str]]:
    """All rows of a delimited file as lists of cells, the header first."""
    text, _ = decode_text(data)
    first_line = text.split("\n", 1)[0]
    return list(csv.reader(text.splitlines(), delimiter=sniff_delimiter(first_line)))


def fold(text: str) -> str:
    """Lower case without diacritics and with single spaces: 'Folkmängd ' -> 'folkmangd'."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.split())
