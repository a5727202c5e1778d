"""What the intervals, the tests and the disclosure control mean, in plain words for
municipal managers: the method slide of every deck and the method sheet of every tables
workbook say the same (the full account is docs/statistics.md), in the tables' language and
for their country's comparison groups."""

from __future__ import annotations

from nuso.core.analysis.indicators.guidance import MIN_COMPARABLE
from nuso.core.countries import SWEDEN
from nuso.core.outputs.words import SWEDISH, TableWords


def method_text(
    min_count: int | None, words: TableWords = SWEDISH, country: str = SWEDEN
) -> tuple[str, ...]:
    nation = words.nation_in_text.get(country, words.nation_in_text[SWEDEN])
    comparison = words.comparison.get(country, words.comparison[SWEDEN])
    protection = words.protection.format(min_count=min_count) if min_count else words.no_protection
    return (
        *(paragraph.format(nation=nation) for paragraph in words.method),
        comparison.format(min_comparable=MIN_COMPARABLE),
        protection,
    )
