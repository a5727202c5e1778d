"""Municipalities as comparison units: size bands and SKR's municipality groups."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SizeBand:
    code: str
    label: str
    min_population: int  # inclusive
    max_population: int | None  # inclusive; None = no upper bound


# PM #1 groups children by the size of their municipality or city district.
SIZE_BANDS: tuple[SizeBand, ...] = (
    SizeBand("upp_till_20k", "Upp till 20 000 invånare", 0, 20_000),
    SizeBand("20k_40k", "20 001–40 000 invånare", 20_001, 40_000),
    SizeBand("40k_100k", "40 001–100 000 invånare", 40_001, 100_000),
    SizeBand("over_100k", "Mer än 100 000 invånare", 100_001, None),
)

# SKR's kommungruppsindelning 2023. Keyed by code: the names vary between releases.
SKR_GROUPS: dict[str, str] = {
    "A1": "Storstäder",
    "A2": "Pendlingskommun nära storstad",
    "B3": "Större stad",
    "B4": "Pendlingskommun nära större stad",
    "B5": "Lågpendlingskommun nära större stad",
    "C6": "Mindre stad/tätort",
    "C7": "Pendlingskommun nära mindre stad/tätort",
    "C8": "Landsbygdskommun",
    "C9": "Landsbygdskommun med besöksnäring",
}

SKR_MAIN_GROUPS: dict[str, str] = {
    "A": "Storstäder och storstadsnära kommuner",
    "B": "Större städer och kommuner nära större stad",
    "C": "Mindre städer/tätorter och landsbygdskommuner",
}


def size_band(population: int) -> str:
    """The size band code for a population; ValueError for a negative count."""
    if population < 0:
        raise ValueError(f"population cannot be negative: {population}")
    for band in SIZE_BANDS:
        if band.max_population is None or population <= band.max_population:
            return band.code
    raise AssertionError("the last size band has no upper bound")


def size_band_label(code: str) -> str:
    return next(band.label for band in SIZE_BANDS if band.code == code)
