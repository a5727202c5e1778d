"""Dates and ages as exports write them: ISO 8601 (with or without a time, as the reader gives
Excel dates), Swedish D/M/YYYY or compact YYYYMMDD; birth years; ages in years ("15", "15 år",
"15,5") or, for infants, months ("7 mån")."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

ISO_DATE = re.compile(r"^\s*((?:19|20)\d\d)-(\d\d)-(\d\d)")
SWEDISH_DATE = re.compile(r"^\s*(\d{1,2})[./](\d{1,2})[./]((?:19|20)\d\d)\s*$")
COMPACT_DATE = re.compile(r"^\s*((?:19|20)\d\d)(\d\d)(\d\d)\s*$")
YEAR = re.compile(r"^\s*((?:19|20)\d\d)(?:[.,]0+)?\s*$")
AGE_YEARS = re.compile(r"^\s*(\d{1,3})(?:[.,]\d+)?\s*(?:år|ar)?\s*$", re.IGNORECASE)
AGE_MONTHS = re.compile(r"^\s*(\d{1,3})\s*(?:mån|man|mnd)\w*\.?\s*$", re.IGNORECASE)


@lru_cache(maxsize=65_536)
def parse_date(text: str | None) -> dt.date | None:
    """A date written as ISO (with or without a time) or Swedish D/M/YYYY; cached, since a
    national import holds hundreds of thousands of dates but a few thousand distinct ones."""
    if not text:
        return None
    patterns = ((ISO_DATE, (1, 2, 3)), (SWEDISH_DATE, (3, 2, 1)), (COMPACT_DATE, (1, 2, 3)))
    for pattern, order in patterns:
        match = pattern.match(text)
        if match:
            year, month, day = (int(match[i]) for i in order)
            try:
                return dt.date(year, month, day)
            except ValueError:
                return None
    return None


def parse_year(text: str | None) -> int | None:
    """A four-digit year ("2011", or "2011.0" from a spreadsheet), else None."""
    match = YEAR.match(text or "")
    return int(match[1]) if match else None


def parse_age(text: str) -> int | None:
    """Whole years: "15", "15 år", "15,5" (15: age at the date counts completed years), or
    months for an infant ("7 mån" is 0); None when the text is no age."""
    years = AGE_YEARS.match(text)
    if years:
        return int(years[1])
    months = AGE_MONTHS.match(text)
    return int(months[1]) // 12 if months else None
