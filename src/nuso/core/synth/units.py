"""Which units deliver, how many referrals each, in which dialect."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nuso.core.reference import Municipality, shipped_districts, shipped_municipalities
from nuso.core.synth import calibration as cal
from nuso.core.synth.dialects import MULTI_REASON_SYSTEMS, SYSTEMS


@dataclass(frozen=True)
class SynthUnit:
    index: int
    code: str
    name: str
    municipality_code: str
    municipality_name: str
    population: int
    referrals: int
    reason_mode: str  # none | single | multi
    system: str
    reports_other_information: bool
    unit_effect: float

    @property
    def is_district(self) -> bool:
        return self.code != self.municipality_code


@dataclass(frozen=True)
class Candidate:
    code: str
    name: str
    municipality: Municipality
    population: int


def candidates(
    rng: np.random.Generator, with_districts: bool
) -> tuple[list[Candidate], list[Candidate]]:
    """(districts chosen to report on their own, municipalities to sample from)."""
    municipalities = {m.code: m for m in shipped_municipalities()}
    districts: list[Candidate] = []
    if with_districts:
        for parent_code, count in cal.DISTRICT_UNITS.items():
            parent = municipalities[parent_code]
            pool = [d for d in shipped_districts() if d.municipality_code == parent_code]
            share = parent.population / len(pool)
            for index in sorted(rng.choice(len(pool), size=count, replace=False)):
                district = pool[int(index)]
                population = int(share * rng.uniform(0.6, 1.4))
                districts.append(Candidate(district.code, district.name, parent, population))
    excluded = set(cal.DISTRICT_UNITS) if with_districts else set()
    others = [
        Candidate(m.code, m.name, m, m.population)
        for m in municipalities.values()
        if m.code not in excluded
    ]
    return districts, others


def sample_municipalities(
    rng: np.random.Generator, pool: list[Candidate], count: int
) -> list[Candidate]:
    # Larger municipalities took part more often (PM #4: 97 units held ~220 000 referrals).
    weights = np.array([c.population for c in pool], dtype=float) ** 0.8
    chosen = rng.choice(len(pool), size=count, replace=False, p=weights / weights.sum())
    return [pool[int(i)] for i in sorted(chosen)]


def split_rows(rng: np.random.Generator, populations: list[int], total: int) -> list[int]:
    """Referrals per unit: proportional to population with local variation, summing to total."""
    expected = np.array(populations, dtype=float) * rng.lognormal(0.0, 0.2, len(populations))
    exact = expected / expected.sum() * total
    counts = np.floor(exact).astype(int)
    counts = np.maximum(counts, 1)
    shortfall = total - int(counts.sum())
    order = np.argsort(-(exact - np.floor(exact)))
    for i in range(abs(shortfall)):
        counts[order[i % len(order)]] += 1 if shortfall > 0 else -1
    return [int(c) for c in counts]


def reason_modes(rng: np.random.Generator, count: int) -> list[str]:
    """A fifth without reasons, 13 of 97 with several (published), the rest one."""
    none = round(count * cal.UNITS_WITHOUT_REASONS)
    multi = round(count * cal.UNITS_WITH_SEVERAL_REASONS / cal.NATIONAL_UNITS)
    if count >= 3:
        none, multi = max(none, 1), max(multi, 1)
    modes = ["none"] * none + ["multi"] * multi + ["single"] * (count - none - multi)
    return [modes[int(i)] for i in rng.permutation(count)]


def keep_districts_single(modes: list[str], district_count: int) -> list[str]:
    """Districts share their city's system, which need not take several reasons: a district
    drawn to give several swaps with a municipality that gives one."""
    modes = list(modes)
    for i in range(district_count):
        if modes[i] == "multi":
            j = next(k for k in range(district_count, len(modes)) if modes[k] == "single")
            modes[i], modes[j] = modes[j], modes[i]
    return modes


def assign_systems(rng: np.random.Generator, modes: list[str]) -> list[str]:
    """Systems by market share; a unit that gives several reasons runs one that can.
    Small sets get every system in turn, so a test file set shows every dialect."""
    names = [s.name for s in SYSTEMS]
    weights = np.array([s.weight for s in SYSTEMS])
    small = len(modes) <= len(SYSTEMS) * 2
    systems = []
    for index, mode in enumerate(modes):
        allowed = MULTI_REASON_SYSTEMS if mode == "multi" else names
        if small:
            systems.append(allowed[index % len(allowed)])
            continue
        w = np.array([weights[names.index(n)] for n in allowed])
        systems.append(allowed[int(rng.choice(len(allowed), p=w / w.sum()))])
    return systems


def select_units(seed: int, unit_count: int, total_rows: int, national: bool) -> list[SynthUnit]:
    rng = np.random.default_rng([seed, 1])
    districts, pool = candidates(rng, with_districts=national)
    chosen = districts + sample_municipalities(rng, pool, unit_count - len(districts))
    counts = split_rows(rng, [c.population for c in chosen], total_rows)
    modes = keep_districts_single(reason_modes(rng, len(chosen)), len(districts))
    systems = assign_systems(rng, modes)
    # Stockholm's and Göteborg's districts each run their city's one system.
    city_system: dict[str, str] = {}
    for i, candidate in enumerate(chosen):
        parent = candidate.municipality.code
        if candidate.code != parent:
            systems[i] = city_system.setdefault(parent, systems[i])
    other_info = rng.random(len(chosen)) < cal.UNITS_REPORTING_OTHER_INFORMATION
    effects = rng.normal(0.0, cal.UNIT_EFFECT_SD, len(chosen))
    effects -= np.average(effects, weights=counts)  # no net shift of the national rate
    return [
        SynthUnit(
            index=i,
            code=c.code,
            name=c.name,
            municipality_code=c.municipality.code,
            municipality_name=c.municipality.name,
            population=c.population,
            referrals=counts[i],
            reason_mode=modes[i],
            system=systems[i],
            reports_other_information=bool(other_info[i]),
            unit_effect=float(effects[i]),
        )
        for i, c in enumerate(chosen)
    ]
