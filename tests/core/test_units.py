from __future__ import annotations

import itertools

import pytest

from nuso.core.units import SIZE_BANDS, size_band


@pytest.mark.parametrize(
    ("population", "band"),
    [
        (0, "upp_till_20k"),
        (20_000, "upp_till_20k"),
        (20_001, "20k_40k"),
        (40_000, "20k_40k"),
        (40_001, "40k_100k"),
        (100_000, "40k_100k"),
        (100_001, "over_100k"),
        (988_943, "over_100k"),
    ],
)
def test_size_band_boundaries_follow_pm1(population: int, band: str) -> None:
    assert size_band(population) == band


def test_size_bands_cover_every_population_without_gaps() -> None:
    for lower, upper in itertools.pairwise(SIZE_BANDS):
        assert lower.max_population is not None
        assert upper.min_population == lower.max_population + 1


def test_negative_population_is_an_error() -> None:
    with pytest.raises(ValueError, match="negative"):
        size_band(-1)
