"""The truth behind a referral export: one row per referral with its national codes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from nuso.core.harmonise.codebook import shipped_codebook
from nuso.core.intake.personal_numbers import age_on
from nuso.core.synth import calibration as cal
from nuso.core.synth.units import SynthUnit

AGES = np.arange(18)
YEAR_DAYS = 365


@dataclass
class Referral:
    boy: bool
    age: int
    referral_date: dt.date
    birth_date: dt.date
    serial: int
    type: str
    reasons: tuple[str, ...]  # primary first
    action: str
    group: str

    @property
    def sex(self) -> str:
        return "pojke" if self.boy else "flicka"


def reason_sides() -> dict[str, str]:
    return {c.code: c.attributes["side"] for c in shipped_codebook().variables["orsak"].codes}


REASONS = tuple(cal.REASON_WEIGHTS)
SIDES = reason_sides()


def reason_probabilities(boy: bool, age: int) -> np.ndarray:
    """Primary-reason probabilities for a child of this sex and age."""
    weights = np.array([cal.REASON_WEIGHTS[r] for r in REASONS])
    for i, reason in enumerate(REASONS):
        factor = 1.0
        if reason in cal.OWN_BEHAVIOUR:
            factor = cal.GIRL_FACTORS["own_behaviour"]
        elif reason == "barnets_psykiska_halsa":
            factor = cal.GIRL_FACTORS["barnets_psykiska_halsa"]
        elif SIDES[reason] == "hem":
            factor = cal.GIRL_FACTORS["hem"]
        weights[i] *= 1.0 / factor if boy else factor
        if age < 6 and reason in cal.YOUNG_CHILD_EXCLUDED:
            weights[i] = 0.0
        if reason == "ensamkommande" and age < cal.ENSAMKOMMANDE_MIN_AGE:
            weights[i] = 0.0
        if age >= 12 and reason in cal.OWN_BEHAVIOUR:
            weights[i] *= 2.0
    probabilities: np.ndarray = weights / weights.sum()
    return probabilities


PROBABILITIES = {
    (boy, age): reason_probabilities(boy, age) for boy in (False, True) for age in range(18)
}


def type_effect(kind: str) -> float:
    """Additive effect on the investigation probability, zero on average over all types."""
    mean = sum(cal.TYPE_SHARES[t] * cal.TYPE_EFFECT.get(t, 0.0) for t in cal.TYPE_SHARES)
    return cal.TYPE_EFFECT.get(kind, 0.0) - mean


def draw_birth_date(rng_offset: int, age: int, referral: dt.date) -> dt.date:
    """A birth date that makes the child exactly `age` on the referral date."""
    birth = dt.date.fromordinal(referral.toordinal() - int(age * 365.2425) - rng_offset)
    while age_on(birth, referral) > age:
        birth += dt.timedelta(days=1)
    while age_on(birth, referral) < age:
        birth -= dt.timedelta(days=1)
    return birth


def categorical(rng: np.random.Generator, p: np.ndarray, size: int) -> np.ndarray:
    """`size` draws of category indices with probabilities p (vectorised rng.choice)."""
    draws = rng.random(size) * p.sum()
    indices: np.ndarray = np.searchsorted(np.cumsum(p), draws, side="right").clip(0, len(p) - 1)
    return indices


def draw_primary_reasons(
    rng: np.random.Generator, boys: np.ndarray, ages: np.ndarray
) -> np.ndarray:
    draws = rng.random(len(ages))
    primary = np.empty(len(ages), dtype=int)
    for (boy, age), p in PROBABILITIES.items():
        mask = (boys == boy) & (ages == age)
        primary[mask] = np.searchsorted(np.cumsum(p), draws[mask], side="right").clip(0, len(p) - 1)
    return primary


@dataclass
class Draws:
    """A unit's referrals before the action is drawn, as arrays."""

    unit: SynthUnit
    boys: np.ndarray
    ages: np.ndarray
    days: np.ndarray
    kinds: np.ndarray
    primary: np.ndarray
    extras: list[tuple[int, ...]]
    offsets: np.ndarray
    serials: np.ndarray

    def effects(self) -> np.ndarray:
        """Additive effects on the investigation probability other than the reason's rate."""
        type_effects = np.array([type_effect(k) for k in cal.TYPE_SHARES])[self.kinds]
        teen = (self.ages >= 12) & (self.ages <= 14)
        sign = np.where(self.boys, -1.0, 1.0)
        girl_teen = np.where(teen, sign * cal.GIRL_12_14_EFFECT / 2, 0.0)
        total: np.ndarray = type_effects + girl_teen + self.unit.unit_effect
        return total


def draw_covariates(unit: SynthUnit, rng: np.random.Generator) -> Draws:
    n = unit.referrals
    kinds_all = list(cal.TYPE_SHARES)
    boys = rng.random(n) < cal.BOY_SHARE
    ages = categorical(rng, np.array(cal.AGE_WEIGHTS), n)
    days = np.sort(rng.integers(0, YEAR_DAYS, n))
    kinds = categorical(rng, np.array(list(cal.TYPE_SHARES.values())), n)
    if not unit.reports_other_information:
        # Where the system has no "other information", it is written as a report.
        kinds[kinds == kinds_all.index("annan_information")] = kinds_all.index("anmalan")
    primary = draw_primary_reasons(rng, boys, ages)
    extras = [
        extra_reason_indices(rng, bool(boys[i]), int(ages[i]), int(primary[i]))
        if unit.reason_mode == "multi"
        else ()
        for i in range(n)
    ]
    offsets = rng.integers(0, 365, n)
    serials = rng.integers(1, 500, n) * 2 - boys  # odd for boys, even for girls
    return Draws(unit, boys, ages, days, kinds, primary, extras, offsets, serials)


def extra_reason_indices(
    rng: np.random.Generator, boy: bool, age: int, primary: int
) -> tuple[int, ...]:
    if rng.random() >= cal.EXTRA_REASON_PROBABILITY:
        return ()
    # Co-mentioned reasons cluster on the common ones (squared weights), as case notes do.
    rest = PROBABILITIES[(boy, age)].copy() ** 2
    rest[primary] = 0.0
    count = 1 if rng.random() < 0.8 else 2
    return tuple(
        int(i) for i in rng.choice(len(REASONS), size=count, replace=False, p=rest / rest.sum())
    )


def calibrated_rates(draws: list[Draws], rounds: int = 30) -> np.ndarray:
    """Per primary reason, the base investigation rate that makes the share investigated
    among all referrals *mentioning* each reason (the published figure) hit its target:
    secondary mentions and the other effects would otherwise pull it toward the mean."""
    target = np.array([cal.INVESTIGATION_RATE[r] for r in REASONS])
    primary = np.concatenate([d.primary for d in draws])
    effects = np.concatenate([d.effects() for d in draws])
    rows = [i for i, extra in enumerate(e for d in draws for e in d.extras) for _ in extra]
    mentioned = np.concatenate([primary, [r for d in draws for e in d.extras for r in e]]).astype(
        int
    )
    owner = np.concatenate([np.arange(len(primary)), np.array(rows, dtype=int)])
    base = target.copy()
    for _ in range(rounds):
        p = np.clip(base[primary] + effects, 0.02, 0.98)
        sums = np.bincount(mentioned, weights=p[owner], minlength=len(REASONS))
        counts = np.bincount(mentioned, minlength=len(REASONS))
        achieved = np.where(counts > 0, sums / np.maximum(counts, 1), target)
        base = np.clip(base + (target - achieved), 0.02, 0.98)
    calibrated: np.ndarray = base
    return calibrated


def draw_actions(rng: np.random.Generator, investigated: np.ndarray) -> tuple[list[str], list[str]]:
    other = rng.random(len(investigated)) < cal.OTHER_ACTION_SHARE / 0.5
    groups = np.where(investigated, "utredning", np.where(other, "annan", "ingen_utredning"))
    actions = np.empty(len(groups), dtype=object)
    for group, split in cal.ACTION_SPLIT.items():
        mask = groups == group
        codes = np.array(list(split), dtype=object)
        actions[mask] = codes[categorical(rng, np.array(list(split.values())), int(mask.sum()))]
    return list(actions), [str(g) for g in groups]


def finish(
    draws: Draws, base: np.ndarray, rng: np.random.Generator, year_start: int
) -> list[Referral]:
    p = np.clip(base[draws.primary] + draws.effects(), 0.02, 0.98)
    actions, groups = draw_actions(rng, rng.random(len(p)) < p)
    kinds_all = list(cal.TYPE_SHARES)
    referrals = []
    for i in range(len(p)):
        date = dt.date.fromordinal(year_start + int(draws.days[i]))
        age = int(draws.ages[i])
        referrals.append(
            Referral(
                boy=bool(draws.boys[i]),
                age=age,
                referral_date=date,
                birth_date=draw_birth_date(int(draws.offsets[i]), age, date),
                serial=int(draws.serials[i]),
                type=kinds_all[int(draws.kinds[i])],
                reasons=tuple(REASONS[r] for r in (int(draws.primary[i]), *draws.extras[i])),
                action=actions[i],
                group=groups[i],
            )
        )
    return referrals


def generate_referrals(
    units: list[SynthUnit], seed: int, year: int = cal.PERIOD_YEAR
) -> dict[int, list[Referral]]:
    """Every unit's referrals in `year`, sorted by date; investigation rates calibrated over
    all. Another year draws other referrals of the same units from the same calibration (the
    published year keeps its original random streams)."""
    stream = [] if year == cal.PERIOD_YEAR else [year]
    rngs = {unit.index: np.random.default_rng([seed, 2, unit.index, *stream]) for unit in units}
    draws = [draw_covariates(unit, rngs[unit.index]) for unit in units]
    base = calibrated_rates(draws)
    start = dt.date(year, 1, 1).toordinal()
    return {d.unit.index: finish(d, base, rngs[d.unit.index], start) for d in draws}
