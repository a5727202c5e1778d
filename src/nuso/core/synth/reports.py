"""The truth behind a synthetic Norwegian report export (study `meldinger`): one row per
report to child welfare services, with SSB's codes of the list in force on its date.

Rates are round figures of SSB's and Bufdir's published statistics for 2020–2023, not
calibrated with the care of the Swedish set: about 10 reports a year per 1 000 inhabitants,
a little more than half about boys, most about children of school age; the police, schools,
parents and the child welfare emergency service report most; 40–50 % lead to an
investigation (more for violence, fewer for conflict and reports from private persons), most
of the others are henlagt; most reports are reviewed within the week the law gives. What a
report is about is drawn as concepts, each written with the code of its date's list
(`CONCEPTS`), so that the content of 2024 and of 2026 is the same reality in two lists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from stdnum.no import fodselsnummer

from nuso.core.harmonise.codebook import shipped_codebook
from nuso.core.intake.personal_numbers import age_on

YEARS = (2024, 2025, 2026)
REPORTS_PER_1000 = 10.5
EXPORT_DAY = dt.date(2027, 1, 15)  # investigations not ended by then have no outcome


@dataclass(frozen=True)
class NorwegianUnit:
    code: str  # kommunenummer
    name: str
    county: str
    population: int  # 2024, rounded (SSB table 07459): weights only
    nynorsk: bool = False


# 20 municipalities in 14 of the 15 counties, five of them in Nordland, so that a unit there
# has a fylke to compare with (its rest is four units; where the rest is one unit, it is
# hidden); 1860 Vestvågøy has the code of Sweden's Laxå.
UNITS = (
    NorwegianUnit("0301", "Oslo", "Oslo", 717_000),
    NorwegianUnit("4601", "Bergen", "Vestland", 291_000),
    NorwegianUnit("5001", "Trondheim", "Trøndelag", 214_000),
    NorwegianUnit("1103", "Stavanger", "Rogaland", 149_000),
    NorwegianUnit("3201", "Bærum", "Akershus", 130_000),
    NorwegianUnit("4204", "Kristiansand", "Agder", 117_000),
    NorwegianUnit("3301", "Drammen", "Buskerud", 104_000),
    NorwegianUnit("5501", "Tromsø", "Troms", 78_000),
    NorwegianUnit("1508", "Ålesund", "Møre og Romsdal", 60_000),
    NorwegianUnit("3105", "Sarpsborg", "Østfold", 58_000),
    NorwegianUnit("3905", "Tønsberg", "Vestfold", 58_000),
    NorwegianUnit("4003", "Skien", "Telemark", 56_000),
    NorwegianUnit("1804", "Bodø", "Nordland", 53_000),
    NorwegianUnit("1833", "Rana", "Nordland", 26_000),
    NorwegianUnit("1806", "Narvik", "Nordland", 22_000),
    NorwegianUnit("5601", "Alta", "Finnmark", 21_000),
    NorwegianUnit("4621", "Voss", "Vestland", 16_000, nynorsk=True),
    NorwegianUnit("1860", "Vestvågøy", "Nordland", 11_500),
    NorwegianUnit("1520", "Ørsta", "Møre og Romsdal", 11_000, nynorsk=True),
    NorwegianUnit("1865", "Vågan", "Nordland", 9_700),
)

# Age of the child: fewer infants, most from school age (SSB: 6–12 and 13–17 each near 40 %).
AGE_WEIGHTS = np.array([5, 4, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 7, 8, 9, 9, 8, 6], dtype=float)
BOY_SHARE = 0.52
# Who reported (melder), by the code of the list before 2025; doctor/hospital and dentist
# (15) become 24 and 25 from 2025 (DENTIST_SHARE of them the dentist).
REPORTERS = {
    "8": 17, "11": 11, "2": 11, "7": 7, "22": 6, "10": 6, "15": 7, "9": 5, "4": 5, "5": 5,
    "23": 4, "1": 3, "3": 3, "13": 3, "6": 2, "14": 2, "12": 1, "16": 1, "17": 1, "18": 1,
    "19": 1, "20": 0.5, "21": 0.5,
}  # fmt: skip
DENTIST_SHARE = 0.1

# What reports are about: a concept, its weight, the effect on an investigation, and its code
# in the lists of 2024, 2025 and 2026 (None: the list has no such code; not drawn then).
# Sources of the codes: shared/spec/norway/ssb_barnevern_kodelister.tsv.
CONCEPTS: dict[str, tuple[float, float, tuple[str | None, str | None, str | None]]] = {
    "vitne_vold": (9, 0.15, ("7", "7", "2.4.02")),
    "fysisk_vold": (6, 0.2, ("9", "9", "2.4.05")),
    "psykisk_vold": (3, 0.1, ("10", "10", "2.4.05")),
    "seksuelle_overgrep": (2, 0.15, ("11", "11", "2.4.07")),
    "foreldres_rus": (8, 0.05, ("3", "3", "3.1.08")),
    "foreldres_psyk": (8, 0.0, ("2", "2", "3.1.03")),
    "foreldres_somatisk": (1, -0.1, ("1", "1", "3.1.02")),
    "foreldres_kognitiv": (1, 0.0, ("29", "29", "3.1.04")),
    "foreldres_krim": (1, 0.0, ("5", "5", "3.1.10")),
    "grunnleggende_omsorg": (9, 0.05, ("8", "8", "2.1.02")),
    "beskyttelse": (3, 0.05, ("20", "20", "2.1.01")),
    "stimulering": (2, -0.05, ("21", "21", "2.3.01")),
    "sensitivitet": (2, -0.05, ("22", "22", "2.2.02")),
    "oppfolging_skole": (2, -0.1, ("23", "23", "1.2.03")),
    "oppfolging_helse": (1, -0.1, ("28", "28", "1.1.04")),
    "konflikt_hjemme": (7, -0.1, ("6", "6", "2.4.03")),
    "foreldrekonflikt": (6, -0.2, ("24", "24", "2.4.04")),
    "atferd": (8, -0.05, ("25", "25", "1.3.08")),
    "barnets_krim": (3, -0.1, ("26", "26", "1.3.11")),
    "barnets_rus": (3, -0.05, ("15", "15", "1.3.09")),
    "barnets_psyk": (5, -0.05, ("14", "14", "1.1.02")),
    "relasjon": (2, 0.0, ("17", "17", "1.3.05")),
    "mangler_omsorgsperson": (1, 0.1, ("12", "12", None)),
    "barnets_kognitiv": (1, -0.1, ("30", "30", "1.1.03")),
    "okonomi": (1, -0.1, ("31", "31", "3.2.02")),
    "menneskehandel": (0.2, 0.2, ("27", "27", "2.4.06")),
    "sosial_kontroll": (0.5, 0.2, (None, "32", "2.4.01")),
    "andre_foreldre": (3, -0.1, ("18", "18", "3.1.06")),
    "andre_barn": (3, -0.1, ("19", "19", "1.4.02")),
    "mobbing": (1, -0.15, (None, None, "1.4.03")),
    "traumer": (1, 0.05, (None, None, "1.3.07")),
    "bolig": (0.5, -0.1, (None, None, "3.2.01")),
    "digital": (0.5, -0.1, (None, None, "1.4.04")),
}
BASE_INVESTIGATION = 0.44
REPORTER_EFFECT = {"8": 0.06, "7": 0.05, "4": -0.12, "23": -0.15, "2": -0.05, "5": 0.05}
# Screening outcomes other than an investigation (2): 3 henlagt because of measures in
# place, 4 added to an investigation under way, else henlagt (1 until 2025; 5–10 from 2026).
OTHER_OUTCOMES = {"3": 0.13, "4": 0.09, "henlagt": 0.78}
HENLAGT_2026 = {"10": 0.66, "8": 0.12, "7": 0.1, "9": 0.05, "5": 0.03, "6": 0.04}
# Investigation outcomes (2026 codes for moves: 7–9; 5 before).
INVESTIGATION_OUTCOMES = {"1": 0.36, "2": 0.03, "3": 0.47, "4": 0.05, "move": 0.04, "6": 0.05}
MOVES_2026 = {"9": 0.7, "7": 0.15, "8": 0.15}


@dataclass(frozen=True)
class Report:
    unit: NorwegianUnit
    date: dt.date
    boy: bool
    age: int
    birth: dt.date
    identity: str  # fødselsnummer, or D-nummer
    d_number: bool
    reporter: str
    content: tuple[str, ...]  # SSB codes of the date's list, primary first
    concepts: tuple[str, ...]
    conclusion: str
    concluded: dt.date
    investigation: str | None  # its outcome, when ended by the export
    investigation_end: dt.date | None

    @property
    def sex(self) -> str:
        return "pojke" if self.boy else "flicka"


def list_index(day: dt.date) -> int:
    return min(max(day.year - YEARS[0], 0), len(YEARS) - 1)


def identity_number(rng: np.random.Generator, birth: dt.date, boy: bool, d_number: bool) -> str:
    """A valid fødselsnummer (or D-nummer: day + 40) of a child born in 2000 or later
    (individual numbers 500–999), its third digit odd for a boy."""
    day = birth.day + (40 if d_number else 0)
    while True:
        serial = int(rng.integers(250, 500)) * 2 + (1 if boy else 0)
        base = f"{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:03d}"
        first = fodselsnummer.calc_check_digit1(base)
        if len(first) != 1:
            continue  # no valid number with this serial
        second = fodselsnummer.calc_check_digit2(base + first)
        if len(second) == 1:
            return base + first + second


def pick(rng: np.random.Generator, weights: dict[str, float]) -> str:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def draw_content(rng: np.random.Generator, index: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """One to three concepts (a primary and 0–2 more) and their codes in the list `index`."""
    drawable = {c: w for c, (w, _, codes) in CONCEPTS.items() if codes[index] is not None}
    count = 1 + int(rng.random() < 0.35) + int(rng.random() < 0.1)
    concepts: list[str] = []
    while len(concepts) < count:
        concept = pick(rng, drawable)
        if concept not in concepts:
            concepts.append(concept)
    codes = list(dict.fromkeys(str(CONCEPTS[c][2][index]) for c in concepts))
    return tuple(concepts), tuple(codes)


def draw_reporter(rng: np.random.Generator, day: dt.date) -> str:
    reporter = pick(rng, REPORTERS)
    if reporter == "15" and day.year >= 2025:
        return "25" if rng.random() < DENTIST_SHARE else "24"
    return reporter


def draw_conclusion(rng: np.random.Generator, day: dt.date, chance: float) -> str:
    if rng.random() < chance:
        return "2"
    outcome = pick(rng, OTHER_OUTCOMES)
    if outcome != "henlagt":
        return outcome
    return pick(rng, HENLAGT_2026) if day.year >= 2026 else "1"


def draw_investigation(
    rng: np.random.Generator, concluded: dt.date
) -> tuple[str | None, dt.date | None]:
    """An investigation's outcome and end: within three months mostly, six at most."""
    days = int(rng.integers(20, 95)) if rng.random() < 0.9 else int(rng.integers(95, 180))
    end = concluded + dt.timedelta(days=days)
    if end > EXPORT_DAY:
        return None, None
    outcome = pick(rng, INVESTIGATION_OUTCOMES)
    if outcome == "move":
        outcome = pick(rng, MOVES_2026) if end.year >= 2026 else "5"
    return outcome, end


def draw_birth(rng: np.random.Generator, age: int, day: dt.date) -> dt.date:
    birth = dt.date.fromordinal(day.toordinal() - int(age * 365.2425) - int(rng.integers(0, 365)))
    while age_on(birth, day) > age:
        birth += dt.timedelta(days=1)
    while age_on(birth, day) < age:
        birth -= dt.timedelta(days=1)
    return birth


def draw_report(rng: np.random.Generator, unit: NorwegianUnit, year: int) -> Report:
    start = dt.date(year, 1, 1)
    day = start + dt.timedelta(days=int(rng.integers(0, 365)))
    boy = bool(rng.random() < BOY_SHARE)
    age = int(rng.choice(18, p=AGE_WEIGHTS / AGE_WEIGHTS.sum()))
    birth = draw_birth(rng, age, day)
    d_number = bool(rng.random() < 0.02)  # children without a fødselsnummer (yet)
    index = list_index(day)
    concepts, content = draw_content(rng, index)
    reporter = draw_reporter(rng, day)
    chance = BASE_INVESTIGATION + CONCEPTS[concepts[0]][1] + REPORTER_EFFECT.get(reporter, 0.0)
    conclusion = draw_conclusion(rng, day, min(max(chance, 0.05), 0.95))
    within = rng.random() < 0.88  # reviewed within the week of barnevernloven § 2-1
    concluded = day + dt.timedelta(days=int(rng.integers(0, 8 if within else 30)))
    investigation, end = draw_investigation(rng, concluded) if conclusion == "2" else (None, None)
    return Report(
        unit, day, boy, age, birth, identity_number(rng, birth, boy, d_number), d_number,
        reporter, content, concepts, conclusion, concluded, investigation, end,
    )  # fmt: skip


def unit_counts(rows: int) -> dict[str, int]:
    """Reports of each unit and year for about `rows` in all, by population (10 at least)."""
    total = sum(unit.population for unit in UNITS) * len(YEARS)
    return {unit.code: max(10, round(rows * unit.population / total)) for unit in UNITS}


def realistic_rows() -> int:
    """The three years' reports at Norway's rate: about 69 000 for these 20 municipalities."""
    return round(sum(u.population for u in UNITS) * REPORTS_PER_1000 / 1000) * len(YEARS)


def draw_reports(seed: int, rows: int) -> dict[tuple[str, int], list[Report]]:
    """Each unit's reports of each year, in date order."""
    counts = unit_counts(rows)
    found = {}
    for index, unit in enumerate(UNITS):
        for year in YEARS:
            rng = np.random.default_rng([seed, 41, index, year])
            reports = [draw_report(rng, unit, year) for _ in range(counts[unit.code])]
            found[(unit.code, year)] = sorted(reports, key=lambda r: r.date)
    return found


def groups() -> dict[str, dict[str, str]]:
    """The comparable group of each code, and the outcome group of each conclusion."""
    variables = shipped_codebook().variables
    return {
        name: {c.code: str(c.attributes.get("group")) for c in variables[name].codes}
        for name in ("no_saksinnhold", "no_melding_konklusjon", "no_undersokelse_konklusjon")
    }
