"""Synthetic follow-up of interventions (`insatsuppfoljning`): for each unit, children whose
interventions are registered at their decision, most of them followed up and many closed, as
a case system would deliver them through the API (one JSON record per registration: its own
id, the child's made-up identity number, the occasion and the answers as codes). Follow-ups
and closings carry the decision's date and intervention, by which they are linked.

Calibrated on Webbkollen (SKL 2018; shared/spec/published-figures.md): boys 54 %, born in
Sweden 79 %; talks alone with the child 57 % at decision and 32 % at closing; risk lower at
closing in 65 % of cases assessed high at decision, unchanged in 52 % of those assessed very
high; closed because the goal was reached in half, unplanned 21 %, not matching needs 17 %.
The rest are assumptions. Every identity number is drawn, with a correct check digit, for
no real person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from nuso.core.intake.personal_numbers import PersonalNumber, age_on

RISKS = ("ingen_lag", "nagot_forhojd", "hog", "mycket_hog")
RISK_AT_DECISION = (0.08, 0.32, 0.42, 0.18)
INTERVENTIONS = {
    "kontaktperson": 0.16, "kontaktfamilj": 0.10, "strukturerat_oppenvardsprogram": 0.14,
    "behovsprovat_stod": 0.12, "annan_oppenvard": 0.18, "familjehem": 0.14, "hvb": 0.08,
    "stodboende": 0.04, "annan_placering": 0.04,
}  # fmt: skip
PLACEMENTS = {"familjehem", "hvb", "stodboende", "annan_placering"}
CLOSING_REASONS = {
    "mal_uppfyllt": 0.50, "oplanerat_utforare": 0.05, "oplanerat_vardnadshavare": 0.10,
    "oplanerat_barn": 0.06, "motsvarar_inte_behov": 0.17, "flytt": 0.05, "annat": 0.07,
}  # fmt: skip
HOME = {
    "brister_i_omsorg": 0.44, "fysiskt_vald": 0.23, "psykiskt_vald": 0.15,
    "bevittnat_vald": 0.19, "sexuella_overgrepp": 0.04, "heder": 0.03, "tidigare_vald": 0.08,
    "vardnadstvist": 0.10, "familjekonflikt": 0.43, "annat": 0.20,
}  # fmt: skip
PARENT = {"fysisk_ohalsa": 0.10, "psykisk_ohalsa": 0.35, "risk_missbruk": 0.17,
          "kriminalitet": 0.08, "annat": 0.15}  # fmt: skip
CHILD = {"fysisk_ohalsa": 0.06, "psykisk_ohalsa": 0.28, "risk_missbruk": 0.06,
         "normbrytande_kriminalitet": 0.12, "skola": 0.32, "annat": 0.10}  # fmt: skip
ALONE_AT_DECISION, ALONE_AT_CLOSING = 0.57, 0.32


@dataclass(frozen=True)
class Case:
    unit: str
    number: PersonalNumber
    decided: dt.date
    intervention: str
    risk: int  # index into RISKS at the decision


def follow_up_records(
    units: Sequence[str], *, seed: int = 2026, per_unit: int = 40,
    as_of: dt.date = dt.date(2026, 11, 30),
) -> dict[str, list[dict[str, Any]]]:  # fmt: skip
    """Each unit's records, decisions first: every case has its decision; about 70 % a
    follow-up three to seven months later, and about 55 % a closing, when those dates have
    come by `as_of`. Some decisions are left without a follow-up past six months: overdue."""
    rng = np.random.default_rng(seed)
    records: dict[str, list[dict[str, Any]]] = {}
    serial = 0
    for unit in units:
        made: list[dict[str, Any]] = []
        for _ in range(per_unit):
            serial += 1
            case = draw_case(rng, unit, serial, as_of)
            made.extend(case_records(rng, case, as_of))
        records[unit] = sorted(made, key=lambda r: ORDER[r["tillfalle"]])
    return records


ORDER = {"beslut": 0, "uppfoljning": 1, "avslut": 2}


def draw_case(rng: np.random.Generator, unit: str, serial: int, as_of: dt.date) -> Case:
    decided = dt.date(2025, 6, 1) + dt.timedelta(days=int(rng.integers(0, 500)))
    decided = min(decided, as_of - dt.timedelta(days=7))
    age = int(rng.integers(0, 18))
    born = decided - dt.timedelta(days=365 * age + int(rng.integers(0, 365)))
    boy = rng.random() < 0.54
    number = PersonalNumber(born, (serial * 2 + (1 if boy else 0)) % 1000)
    intervention = str(rng.choice(list(INTERVENTIONS), p=list(INTERVENTIONS.values())))
    risk = int(rng.choice(len(RISKS), p=RISK_AT_DECISION))
    return Case(unit, number, decided, intervention, risk)


def case_records(rng: np.random.Generator, case: Case, as_of: dt.date) -> Iterator[dict[str, Any]]:
    identity = case.number.formatted("long")
    key = f"{case.unit}-{identity[-4:]}-{case.decided:%Y%m%d}"
    facts = {"beslutsdatum": case.decided.isoformat(), "insatstyp": case.intervention}
    yield {"id": f"{key}-b", "personnummer": identity, "tillfalle": "beslut",
           **facts, **decision_answers(rng, case)}  # fmt: skip
    followed = case.decided + dt.timedelta(days=int(rng.integers(90, 215)))
    if rng.random() < 0.7 and followed <= as_of:
        yield {"id": f"{key}-u", "personnummer": identity, "tillfalle": "uppfoljning", **facts,
               "uppfoljningsdatum": followed.isoformat(),
               "riskbedomning": RISKS[later_risk(rng, case.risk)],
               "samtal_med_barnet": talks(rng, ALONE_AT_DECISION - 0.1),
               "sip": "ja" if rng.random() < 0.3 else "nej"}  # fmt: skip
    closed = case.decided + dt.timedelta(days=int(rng.integers(150, 400)))
    if rng.random() < 0.55 and closed <= as_of:
        reason = str(rng.choice(list(CLOSING_REASONS), p=list(CLOSING_REASONS.values())))
        goal = "helt" if reason == "mal_uppfyllt" else str(rng.choice(["delvis", "inte"]))
        yield {"id": f"{key}-a", "personnummer": identity, "tillfalle": "avslut", **facts,
               "avslutsdatum": closed.isoformat(),
               "riskbedomning": RISKS[later_risk(rng, case.risk)],
               "samtal_med_barnet": talks(rng, ALONE_AT_CLOSING), "maluppfyllelse": goal,
               "avslutsorsak": reason, "skolsituation": school(rng)}  # fmt: skip


def decision_answers(rng: np.random.Generator, case: Case) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "kon": case.number.sex,
        "alder": age_on(case.number.birth_date, case.decided),
        "ursprung": "svenskfodd" if rng.random() < 0.79 else "utlandsfodd",
        "ensamkommande": "ja" if rng.random() < 0.03 else "nej",
        "utsatthet_hemmet": several(rng, HOME),
        "svarigheter_foralder": several(rng, PARENT),
        "svarigheter_barnet": several(rng, CHILD),
        "riskbedomning": RISKS[case.risk],
        "samtal_med_barnet": talks(rng, ALONE_AT_DECISION),
        "sip": "ja" if rng.random() < 0.25 else "nej",
        "skolsituation": school(rng),
    }
    if case.intervention in PLACEMENTS:
        answers["halsoundersokning"] = "ja" if rng.random() < 0.7 else "nej"
    return {name: value for name, value in answers.items() if value != []}


def later_risk(rng: np.random.Generator, at_decision: int) -> int:
    """Lower in about 65 % of high risks, unchanged in about half of very high ones."""
    if at_decision == 3:
        return int(rng.choice([1, 2, 3], p=[0.18, 0.30, 0.52]))
    if at_decision == 2:
        return int(rng.choice([0, 1, 2, 3], p=[0.25, 0.40, 0.27, 0.08]))
    if at_decision == 1:
        return int(rng.choice([0, 1, 2], p=[0.45, 0.42, 0.13]))
    return int(rng.choice([0, 1], p=[0.85, 0.15]))


def talks(rng: np.random.Generator, alone: float) -> list[str]:
    if rng.random() < alone:
        return ["enskilt"] + (["med_vardnadshavare"] if rng.random() < 0.4 else [])
    return ["med_vardnadshavare"] if rng.random() < 0.75 else ["inget"]


def several(rng: np.random.Generator, shares: dict[str, float]) -> list[str]:
    return [code for code, share in shares.items() if rng.random() < share]


def school(rng: np.random.Generator) -> str:
    codes = ["nar_kunskapskraven", "nar_inte_kunskapskraven", "grundskola_utan_behorighet",
             "ej_fullfoljt_gymnasiet", "kan_ej_bedoma"]  # fmt: skip
    return str(rng.choice(codes, p=[0.45, 0.25, 0.08, 0.07, 0.15]))
