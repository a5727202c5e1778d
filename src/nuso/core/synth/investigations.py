"""`nuso synth avslutade_utredningar`: the closed-investigation survey (study 1, PM #1) as the
clean export of a web survey, its facit, and the true model behind granted interventions.

Granted intervention (`insats`) follows a logistic model whose coefficients are written to
modell_avslutade_utredningar.json, so that an analysis can be checked to recover them. The
intercepts per identified vulnerability and the application effect are calibrated on the drawn
children so that the published shares come out (PM #1 table 1; 32 % after report, 61 % after
application).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nuso.core.reference import shipped_municipalities
from nuso.core.synth.referral_exports import EXPORT_FOLDER
from nuso.core.synth.referrals import categorical
from nuso.core.units import size_band

ROWS = 21_858  # published
UNITS = 134  # published
SURVEY_FILE = "avslutade_utredningar_2023-10-01_2024-03-31.csv"
FACIT_FILE = "facit_avslutade_utredningar.csv"
MODEL_FILE = "modell_avslutade_utredningar.json"

# Published shares (PM #1 and the slides); the rest are assumptions.
SIZE_SHARES = {"over_100k": 0.42, "40k_100k": 0.28, "20k_40k": 0.16, "upp_till_20k": 0.14}
BOY_SHARE = 0.53
# Age weights 0-17: smallest group 0-2, largest 12-14 (published); boys more at 6-8, girls
# more at 12-14 (published).
AGE_WEIGHTS_BOYS = (3, 3, 3, 4, 4, 5, 6, 6.5, 6.5, 6, 6, 6, 6.5, 7, 7, 6.5, 5.5, 4.5)
AGE_WEIGHTS_GIRLS = (3, 3, 3, 4, 4, 4.5, 4.5, 4.5, 5, 5.5, 6, 6.5, 8.5, 9.5, 9.5, 7.5, 6, 5)
BACKGROUND = {"svensk": 0.56, "utlandsk": 0.29, "saknas": 0.15}
LIVING = {"bada_foraldrarna": 0.41, "ensamstaende_foralder": 0.36, "vaxelvis": 0.15, "annat": 0.08}
APPLICATION_BY_BACKGROUND = {"svensk": 0.14, "utlandsk": 0.07, "saknas": 0.10}  # published 14 vs 7
OTHER_INFORMATION = 0.04
VULNERABILITY = {"ingen": 0.11, "hemmiljo": 0.61, "eget_beteende": 0.13, "bada": 0.15}
INTERVENTION_BY_VULNERABILITY = {
    "ingen": 0.13,
    "hemmiljo": 0.32,
    "eget_beteende": 0.46,
    "bada": 0.56,
}
NEED_BY_VULNERABILITY = {"ingen": 0.14, "hemmiljo": 0.51, "eget_beteende": 0.58, "bada": 0.75}
INTERVENTION_AFTER_APPLICATION = 0.61

# Log-odds effects on granted intervention (assumption shaped by PM #1 figure 3: more to girls,
# over 9, with diagnosis, alternating residence or single parent, Swedish background, small
# municipalities). Reference levels: pojke, 9-11, svensk, bada_foraldrarna, over_100k, anmalan.
EFFECTS = {
    "kon[flicka]": 0.15,
    "aldersgrupp[0-2]": -0.55,
    "aldersgrupp[3-5]": -0.40,
    "aldersgrupp[6-8]": -0.20,
    "aldersgrupp[12-14]": 0.15,
    "aldersgrupp[15-17]": -0.35,
    "bakgrund[utlandsk]": -0.40,
    "bakgrund[saknas]": -0.20,
    "boende[ensamstaende_foralder]": 0.30,
    "boende[vaxelvis]": 0.35,
    "boende[annat]": 0.20,
    "diagnos": 0.45,
    "kommunstorlek[upp_till_20k]": 0.40,
    "kommunstorlek[20k_40k]": 0.25,
    "kommunstorlek[40k_100k]": 0.12,
    "aktualiseringstyp[annan_information]": 0.0,
    "egen_kriminalitet": 0.40,
}
AGE_GROUPS = ((0, 2), (3, 5), (6, 8), (9, 11), (12, 14), (15, 17))
INTERVENTION_COUNTS = {  # published: decided interventions to follow up in 2025
    "uppfoljning_barns_situation": 311,
    "kontaktfamilj": 286,
    "kontaktperson": 436,
    "sarskilt_kvalificerad_kontaktperson": 78,
    "familjebehandling": 4879,
    "annan_strukturerad_oppenvard": 1479,
    "behandling_22_lvu": 27,
    "omedelbart_omhandertagande_6_lvu": 190,
    "placering_sol": 474,
    "ansokan_vard_lvu": 316,
}
SIGNPOSTING_COUNTS = {  # published
    "icke_bistandsprovade_insatser": 3843,
    "rad_stod_foralder": 2620,
    "rad_stod_barn": 564,
    "barn_ungdomsgrupper": 447,
    "foraldraskapsstod_grupp": 759,
    "privat_natverk": 1485,
    "forskola_skola": 1438,
    "halso_sjukvard": 3598,
    "ideell_verksamhet": 308,
    "annat": 1812,
}
HOME_REASONS = (
    "familjekonflikt",
    "vald_mot_barn",
    "brister_i_omsorg",
    "bevittnat_vald",
    "foralder_missbruk",
    "foralder_psykisk_ohalsa",
    "sexuellt_vald",
    "ekonomisk_utsatthet",
    "hedersrelaterat",
    "foralder_kriminalitet",
)
HOME_WEIGHTS = (10, 9, 7, 6, 4, 4, 2, 1.5, 0.7, 0.8)
CHILD_REASONS = (
    "skolproblem",
    "beteendeproblem",
    "barnets_psykiska_halsa",
    "barnets_kriminalitet",
    "barnets_missbruk",
    "barnets_vald",
    "barnets_fysiska_halsa",
)
CHILD_WEIGHTS = (6, 5, 5, 2.5, 1.5, 1.5, 0.8)


def logistic(x: np.ndarray) -> np.ndarray:
    result: np.ndarray = 1.0 / (1.0 + np.exp(-x))
    return result


@dataclass
class Children:
    """The drawn children, one array per variable."""

    unit: np.ndarray
    band: np.ndarray
    boy: np.ndarray
    age: np.ndarray
    background: np.ndarray
    living: np.ndarray
    earlier_investigated: np.ndarray
    earlier_intervention: np.ndarray
    kind: np.ndarray
    diagnoses: list[tuple[str, ...]]
    criminality: np.ndarray
    vulnerability: np.ndarray

    @property
    def age_group(self) -> np.ndarray:
        groups: np.ndarray = np.searchsorted([high for _, high in AGE_GROUPS], self.age)
        return groups

    def design(self) -> dict[str, np.ndarray]:
        """Indicator columns of the intervention model, named as in EFFECTS."""
        labels = [f"{low}-{high}" for low, high in AGE_GROUPS]
        columns = {"kon[flicka]": ~self.boy, "diagnos": np.array([bool(d) for d in self.diagnoses])}
        for group in ("0-2", "3-5", "6-8", "12-14", "15-17"):
            columns[f"aldersgrupp[{group}]"] = self.age_group == labels.index(group)
        for name, values in (
            ("bakgrund", self.background),
            ("boende", self.living),
            ("kommunstorlek", self.band),
            ("aktualiseringstyp", self.kind),
        ):
            for level in np.unique(values):
                columns[f"{name}[{level}]"] = values == level
        columns["egen_kriminalitet"] = self.criminality
        return {name: columns[name].astype(float) for name in EFFECTS} | {
            "aktualiseringstyp[ansokan]": (self.kind == "ansokan").astype(float)
        }


def pick(rng: np.random.Generator, shares: dict[str, float], size: int) -> np.ndarray:
    codes = np.array(list(shares))
    picked: np.ndarray = codes[categorical(rng, np.array(list(shares.values())), size)]
    return picked


def choose_units(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """134 municipalities, rows per size band as published, within a band by population."""
    municipalities = shipped_municipalities()
    bands = np.array([size_band(m.population) for m in municipalities])
    codes = np.array([m.code for m in municipalities])
    populations = np.array([m.population for m in municipalities], dtype=float)
    chosen = np.sort(
        rng.choice(len(municipalities), UNITS, replace=False, p=populations / populations.sum())
    )
    row_band = pick(rng, SIZE_SHARES, ROWS)
    unit = np.empty(ROWS, dtype=object)
    for band in SIZE_SHARES:
        members = chosen[bands[chosen] == band]
        if len(members) == 0:  # a band the draw missed: take its largest municipality
            members = np.array([int(np.argmax(np.where(bands == band, populations, -1)))])
        weights = populations[members]
        mask = row_band == band
        unit[mask] = codes[members[categorical(rng, weights, int(mask.sum()))]]
    return unit, row_band


def draw_children(rng: np.random.Generator) -> Children:
    unit, band = choose_units(rng)
    boy = rng.random(ROWS) < BOY_SHARE
    age = np.where(
        boy,
        categorical(rng, np.array(AGE_WEIGHTS_BOYS), ROWS),
        categorical(rng, np.array(AGE_WEIGHTS_GIRLS), ROWS),
    )
    background = pick(rng, BACKGROUND, ROWS)
    living = pick(rng, LIVING, ROWS)
    earlier = rng.random(ROWS) < 0.50  # published: half investigated before
    earlier_intervention = earlier & (rng.random(ROWS) < 0.40)  # published: one in five
    application = rng.random(ROWS) < np.vectorize(APPLICATION_BY_BACKGROUND.get)(background)
    other = ~application & (rng.random(ROWS) < OTHER_INFORMATION)
    kind = np.where(application, "ansokan", np.where(other, "annan_information", "anmalan"))
    diagnoses = draw_diagnoses(rng, boy, age)
    criminality = draw_criminality(rng, boy, age, background)
    vulnerability = draw_vulnerability(rng, boy, age, diagnoses, criminality)
    return Children(
        unit,
        band,
        boy,
        age,
        background,
        living,
        earlier,
        earlier_intervention,
        kind,
        diagnoses,
        criminality,
        vulnerability,
    )


def draw_diagnoses(
    rng: np.random.Generator, boy: np.ndarray, age: np.ndarray
) -> list[tuple[str, ...]]:
    """20 % with a diagnosis (published): ADHD 12, autism 6, psychiatric/IF 6, somatic 2 %."""
    base = np.clip((age - 2) / 12, 0.05, 1.0) * np.where(boy, 1.25, 0.8)
    any_diagnosis = rng.random(len(age)) < 0.245 * base / base.mean() * 0.82
    result: list[tuple[str, ...]] = []
    for has in any_diagnosis:
        if not has:
            result.append(())
            continue
        kinds = [
            k
            for k, p in (
                ("adhd", 0.6),
                ("autism", 0.3),
                ("psykiatriskt_tillstand", 0.18),
                ("intellektuell_funktionsnedsattning", 0.12),
                ("somatisk_eller_fysisk", 0.1),
            )
            if rng.random() < p
        ]
        result.append(tuple(kinds) or ("adhd",))
    return result


def draw_criminality(
    rng: np.random.Generator, boy: np.ndarray, age: np.ndarray, background: np.ndarray
) -> np.ndarray:
    """6 % (published), 76 % boys, mostly teenagers, 39 % foreign background."""
    weight = np.where(age >= 12, 1.0, 0.02) * np.where(boy, 3.5, 1.0)
    weight = weight * np.where(background == "utlandsk", 1.55, 1.0)
    crime: np.ndarray = rng.random(len(age)) < 0.06 * weight / weight.mean()
    return crime


def draw_vulnerability(
    rng: np.random.Generator,
    boy: np.ndarray,
    age: np.ndarray,
    diagnoses: list[tuple[str, ...]],
    criminality: np.ndarray,
) -> np.ndarray:
    """Own behaviour rises after 10, earlier and more for boys; the home side dominates for
    girls. Intercepts are calibrated to the published 11/61/13/15 %."""
    diagnosis = np.array([bool(d) for d in diagnoses])
    behaviour_x = -4.0 + 0.33 * age + 0.5 * boy + 0.7 * diagnosis + 2.0 * criminality
    behaviour_p = logistic(behaviour_x + solve_shift(behaviour_x, 0.28))
    behaviour = rng.random(len(age)) < behaviour_p
    home_x = 0.45 * ~boy - 0.9 * (criminality & boy) - 0.02 * age
    home = np.zeros(len(age), dtype=bool)
    for b, target in ((True, 0.15 / 0.28), (False, 0.61 / 0.72)):
        mask = behaviour == b
        p = logistic(home_x[mask] + solve_shift(home_x[mask], target))
        home[mask] = rng.random(int(mask.sum())) < p
    names = np.array(["ingen", "hemmiljo", "eget_beteende", "bada"])
    vulnerability: np.ndarray = names[home.astype(int) + 2 * behaviour.astype(int)]
    return vulnerability


def solve_shift(x: np.ndarray, target: float) -> float:
    """The shift s with mean(logistic(x + s)) = target (bisection; the mean is monotone)."""
    low, high = -20.0, 20.0
    for _ in range(60):
        middle = (low + high) / 2
        if logistic(x + middle).mean() < target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def intervention_model(children: Children) -> dict[str, float]:
    """Intercepts per vulnerability and the application effect, calibrated on the children
    so that the published shares come out; the other effects are EFFECTS."""
    design = children.design()
    fixed = np.zeros(ROWS)
    for name, effect in EFFECTS.items():
        fixed += effect * design[name]
    application = design["aktualiseringstyp[ansokan]"] == 1.0
    beta_application = 1.2
    intercepts = dict.fromkeys(VULNERABILITY, 0.0)
    for _ in range(25):
        for vulnerability, target in INTERVENTION_BY_VULNERABILITY.items():
            mask = children.vulnerability == vulnerability
            x = fixed[mask] + beta_application * application[mask]
            intercepts[vulnerability] = solve_shift(x, target)
        offsets = np.vectorize(intercepts.get)(children.vulnerability) + fixed
        beta_application = solve_shift(offsets[application], INTERVENTION_AFTER_APPLICATION)
    model = {f"utsatthet[{v}]": value for v, value in intercepts.items()}
    return model | dict(EFFECTS) | {"aktualiseringstyp[ansokan]": beta_application}


def linear_predictor(children: Children, model: dict[str, float]) -> np.ndarray:
    design = children.design()
    intercepts = {v: model[f"utsatthet[{v}]"] for v in VULNERABILITY}
    x: np.ndarray = np.vectorize(intercepts.get)(children.vulnerability).astype(float)
    for name, values in design.items():
        x = x + model[name] * values
    return x


@dataclass
class Outcomes:
    intervention: np.ndarray
    need: np.ndarray


def draw_outcomes(
    rng: np.random.Generator, children: Children, model: dict[str, float]
) -> Outcomes:
    """Intervention from the model; need follows it (a granted intervention presumes need),
    and among the others at the rate that gives the published need per vulnerability."""
    intervention = rng.random(ROWS) < logistic(linear_predictor(children, model))
    rest = {
        v: (NEED_BY_VULNERABILITY[v] - INTERVENTION_BY_VULNERABILITY[v])
        / (1 - INTERVENTION_BY_VULNERABILITY[v])
        for v in VULNERABILITY
    }
    need = intervention | (rng.random(ROWS) < np.vectorize(rest.get)(children.vulnerability))
    return Outcomes(intervention, need)


def several(
    rng: np.random.Generator, codes: tuple[str, ...], weights: tuple[float, ...], count: int
) -> list[str]:
    p = np.array(weights) / sum(weights)
    return [
        codes[int(i)]
        for i in rng.choice(len(codes), size=min(count, len(codes)), replace=False, p=p)
    ]


def reasons_for(rng: np.random.Generator, vulnerability: str, crime: bool) -> list[str]:
    """Reasons the investigation was opened: most have more than one (PM #1)."""
    count = int(categorical(rng, np.array([0.4, 0.35, 0.25]), 1)[0]) + 1
    home = vulnerability in {"hemmiljo", "bada", "ingen"}
    child = vulnerability in {"eget_beteende", "bada"}
    pool = (HOME_REASONS if home else ()) + (CHILD_REASONS if child else ())
    weights = (HOME_WEIGHTS if home else ()) + (CHILD_WEIGHTS if child else ())
    reasons = several(rng, pool, weights, count)
    if crime and "barnets_kriminalitet" not in reasons and rng.random() < 0.7:
        reasons.append("barnets_kriminalitet")
    return reasons


def professions_for(rng: np.random.Generator, diagnosis: bool) -> list[str]:
    """Information from other professions in 73 % (published); of those educational 80 %,
    medical ~25 %, psychosocial ~25/10 % and psychological ~20/5 % with/without diagnosis."""
    if rng.random() >= 0.73:
        return [
            str(
                rng.choice(
                    ["ingen", "fragar_inte", "fragar_utan_svar", "svar_svartolkat"],
                    p=[0.55, 0.25, 0.12, 0.08],
                )
            )
        ]
    shares = {
        "pedagogisk": 0.80,
        "medicinsk": 0.27 if diagnosis else 0.24,
        "psykosocial": 0.25 if diagnosis else 0.10,
        "psykologisk": 0.20 if diagnosis else 0.05,
    }
    chosen = [code for code, p in shares.items() if rng.random() < p]
    return chosen or ["pedagogisk"]


def protective_for(rng: np.random.Generator, age: int) -> list[str]:
    """Supporting parent ~3 in 4 until school start, down to about half at 16-17; network half
    for infants and falling; school best at school start, lowest at 14 (PM #1 figure 6)."""
    parent = 0.75 if age < 7 else 0.75 - (age - 6) * 0.02
    network = 0.5 - age * 0.015
    school = 0.0 if age < 6 else (0.6 - (min(age, 14) - 6) * 0.04 + max(age - 14, 0) * 0.03)
    factors = [
        name
        for name, p in (
            ("stodjande_foralder", parent),
            ("stodjande_natverk", network),
            ("valfungerande_skolgang", school),
            ("annan", 0.1),
        )
        if rng.random() < p
    ]
    return factors


def consent(
    rng: np.random.Generator, need: bool, granted: bool, foreign: bool, girl: bool
) -> tuple[str, str]:
    """Guardians of foreign background decline more; girls say yes more (PM #1)."""
    if not need:
        return "ej_aktuellt", "ej_aktuellt"
    if granted:
        return "ja", "ja" if rng.random() < (0.9 if girl else 0.8) else "nej"
    guardian = "nej" if rng.random() < (0.55 if foreign else 0.35) else "ja"
    child = "nej" if rng.random() < (0.45 if girl else 0.6) else "ja"
    return guardian, child


def survey_rows(
    rng: np.random.Generator, children: Children, outcomes: Outcomes
) -> list[dict[str, object]]:
    intervention_p = np.array(list(INTERVENTION_COUNTS.values()), dtype=float)
    signposting_p = np.array(list(SIGNPOSTING_COUNTS.values()), dtype=float) / ROWS
    rows = []
    for i in range(ROWS):
        granted, need = bool(outcomes.intervention[i]), bool(outcomes.need[i])
        vulnerability, crime = str(children.vulnerability[i]), bool(children.criminality[i])
        girl, foreign = not children.boy[i], children.background[i] == "utlandsk"
        types = (
            several(
                rng, tuple(INTERVENTION_COUNTS), tuple(intervention_p), 1 + int(rng.random() < 0.08)
            )
            if granted
            else []
        )
        signposts = [
            c for c, p in zip(SIGNPOSTING_COUNTS, signposting_p, strict=True) if rng.random() < p
        ]
        guardian, child = consent(rng, need, granted, bool(foreign), girl)
        lvu = rng.random() < (0.042 if foreign else 0.022) * (
            1.5 if vulnerability in {"eget_beteende", "bada"} else 0.85
        )
        rows.append(
            {
                "enkat_id": 100_001 + i,
                "kommunkod": children.unit[i],
                "kon": "flicka" if girl else "pojke",
                "alder": int(children.age[i]),
                "bakgrund": children.background[i],
                "boende": children.living[i],
                "tidigare_utredd": int(children.earlier_investigated[i]),
                "tidigare_insats": int(children.earlier_intervention[i]),
                "aktualiseringstyp": children.kind[i],
                "anledningar": "|".join(reasons_for(rng, vulnerability, crime)),
                "utsatthet": vulnerability,
                "diagnos": "|".join(children.diagnoses[i]) or "ingen",
                "info_fran_professioner": "|".join(
                    professions_for(rng, bool(children.diagnoses[i]))
                ),
                "skyddsfaktorer": "|".join(protective_for(rng, int(children.age[i]))),
                "egen_kriminalitet": int(crime),
                "behov": int(need),
                "insats": int(granted),
                "insatstyper": "|".join(types),
                "hanvisningar": "|".join(signposts),
                "samtycke_vardnadshavare": guardian,
                "samtycke_barn": child,
                "skal_for_lvu": int(lvu),
            }
        )
    return rows


@dataclass(frozen=True)
class SurveyResult:
    survey: Path
    facit: Path
    model: Path
    rows: int
    units: int


def write_investigation_survey(
    out_dir: Path, *, seed: int = 2023, rows_wanted: int | None = None
) -> SurveyResult:
    """The survey export (coded values, one file), its facit and the true model; with
    `rows_wanted`, only the first that many investigations (a quick demo)."""
    rng = np.random.default_rng([seed, 101])
    children = draw_children(rng)
    model = intervention_model(children)
    rows = survey_rows(rng, children, draw_outcomes(rng, children, model))[:rows_wanted]
    (out_dir / EXPORT_FOLDER).mkdir(parents=True, exist_ok=True)
    columns = list(rows[0])
    write_rows(out_dir / EXPORT_FOLDER / SURVEY_FILE, columns, rows)
    facit_rows = [
        {"rad": i + 2, **row, "kommunstorlek": children.band[i]} for i, row in enumerate(rows)
    ]
    write_rows(out_dir / FACIT_FILE, ["rad", *columns, "kommunstorlek"], facit_rows)
    model_doc = {
        "beroende_variabel": "insats",
        "lank": "logit",
        "referensnivaer": {
            "kon": "pojke",
            "aldersgrupp": "9-11",
            "bakgrund": "svensk",
            "boende": "bada_foraldrarna",
            "kommunstorlek": "over_100k",
            "aktualiseringstyp": "anmalan",
        },
        "koefficienter": {name: round(value, 6) for name, value in model.items()},
        "not": "utsatthet[...] är interceptet för varje nivå av identifierad utsatthet.",
    }
    (out_dir / MODEL_FILE).write_text(
        json.dumps(model_doc, ensure_ascii=False, indent=2) + "\n", "utf-8"
    )
    return SurveyResult(
        out_dir / EXPORT_FOLDER / SURVEY_FILE,
        out_dir / FACIT_FILE,
        out_dir / MODEL_FILE,
        len(rows),
        len({row["kommunkod"] for row in rows}),
    )


def write_rows(path: Path, columns: list[str], rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
