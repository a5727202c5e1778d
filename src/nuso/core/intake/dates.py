"""Dates and ages as exports write them: ISO 8601 (with or without a time, as the reader gives
Excel dates), Swedish D/M/YYYY or D/M-YY ("5/3-23") or compact YYYYMMDD, and in a date
column Excel's serial numbers (45124 for 2023-07-17: a date cell that lost its date format,
or a CSV of it); birth years; ages in years ("15", "15 år", "15,5") or, for infants, months
("7 mån")."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from nuso.core.intake.pseudonyms import birth_date

ISO_DATE = re.compile(r"^\s*((?:19|20)\d\d)-(\d\d)-(\d\d)")
SWEDISH_DATE = re.compile(r"^\s*(\d{1,2})[./](\d{1,2})[./]((?:19|20)\d\d)\s*$")
# "5/3-23", "5/3-2023": day, month, and the year after a dash, as Swedes write by hand
SHORT_SWEDISH_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})-(\d\d|(?:19|20)\d\d)\s*$")
COMPACT_DATE = re.compile(r"^\s*((?:19|20)\d\d)(\d\d)(\d\d)\s*$")
# A personnummer with its last four digits masked ("20130613-XXXX", "130613-****"): all that
# is left of it is the birth date.
MASKED_NUMBER = re.compile(r"^\s*((?:19|20)?)(\d{6})\s*([-+ ]?)\s*(?:[xX*#]{4})\s*$")
YEAR = re.compile(r"^\s*((?:19|20)\d\d)(?:[.,]0+)?\s*$")
AGE_YEARS = re.compile(r"^\s*(\d{1,3})(?:[.,]\d+)?\s*(?:år|ar)?\s*$", re.IGNORECASE)
EXCEL_SERIAL = re.compile(r"^\s*(\d{5})(?:[.,]\d+)?\s*$")  # a time of day may follow
# Day 0 of Excel's serial numbers: 1 is 1900-01-01, counting the 29 February 1900 Excel
# believes in, so every serial from 61 (1 March 1900) on counts from here.
EXCEL_DAY_ZERO = dt.date(1899, 12, 30)
# The dates a child's birth or a case in this follow-up can have: any other number in a date
# column is no serial date (and is kept raw and flagged, as before).
SERIAL_DATES = (dt.date(1990, 1, 1), dt.date(2099, 12, 31))
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
    return short_swedish_date(text) or masked_number_date(text)


def masked_number_date(text: str) -> dt.date | None:
    """The birth date of a masked personnummer, read as an identity number's date is: a
    six-digit one in the last hundred years ('+' a hundred before)."""
    match = MASKED_NUMBER.match(text)
    if not match:
        return None
    return birth_date(match[2], match[1], match[3].strip(), dt.date.today())


def short_swedish_date(text: str) -> dt.date | None:
    """ "5/3-23" as 5 March 2023: a two-digit year in this century unless that is ahead of
    next year (then the last)."""
    match = SHORT_SWEDISH_DATE.match(text)
    if not match:
        return None
    day, month, year = int(match[1]), int(match[2]), int(match[3])
    if year < 100:
        year += 2000 if 2000 + year <= dt.date.today().year + 1 else 1900
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date_cell(text: str | None) -> dt.date | None:
    """A date column's cell: a date written out, or Excel's serial number of one within
    SERIAL_DATES. Only for cells of a date column: elsewhere 45124 is a count or an amount."""
    return parse_date(text) or excel_serial_date(text)


def excel_serial_date(text: str | None) -> dt.date | None:
    match = EXCEL_SERIAL.match(text or "")
    if not match:
        return None
    date = EXCEL_DAY_ZERO + dt.timedelta(days=int(match[1]))
    low, high = SERIAL_DATES
    return date if low <= date <= high else None


def period_span(period: str) -> tuple[dt.date, dt.date] | None:
    """A delivery's period as its first and last day: '2024' is the calendar year,
    '2023-10-01--2024-03-31' the two days given; None when it is neither."""
    if period.isdigit() and len(period) == 4:
        return dt.date(int(period), 1, 1), dt.date(int(period), 12, 31)
    try:
        start, end = (dt.date.fromisoformat(part) for part in period.split("--"))
    except ValueError:
        return None
    return (start, end) if start <= end else None


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
