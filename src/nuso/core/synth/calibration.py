"""The numbers the synthetic referral data is calibrated to, each with its source.

Published figures (shared/spec/published-figures.md, PM #4 and the NUSO slides) are marked
"published"; the rest are assumptions that complete the model where the reports say nothing,
chosen to be plausible and to reproduce the published figures.
"""

from __future__ import annotations

# --- the national set ---
NATIONAL_UNITS = 97  # published: 97 municipalities and city districts
NATIONAL_REFERRALS = 220_000  # published: ~220 000 referrals in 2023
DISTRICT_UNITS = {"0180": 4, "1480": 3}  # assumption: Stockholm and Göteborg report per district
UNITS_WITHOUT_REASONS = 0.20  # published: a fifth could not deliver reasons
UNITS_WITH_SEVERAL_REASONS = 13  # published: 13 of 97 gave more than one reason
PERIOD_YEAR = 2023

# --- age: ~4 times as many referrals at 15-17 as at 0-2 (published) ---
# Weights per year of age 0-17 (assumption shaped to that ratio: 15-17 / 0-2 = 4.0).
AGE_WEIGHTS = (
    *(2.2, 2.3, 2.5),  # 0-2
    *(2.9, 3.2, 3.5),  # 3-5
    *(3.8, 4.1, 4.4),  # 6-8
    *(4.9, 5.4, 6.0),  # 9-11
    *(7.0, 8.2, 9.0),  # 12-14
    *(9.5, 9.6, 8.9),  # 15-17
)
BOY_SHARE = 0.52  # assumption: slightly more boys, as in study 1 (53 %)

# --- referral type (assumption near study 1's 86/12/4; published says the ask was anmälan and
# ansökan, "information på annat sätt" came from some municipalities only) ---
TYPE_SHARES = {"anmalan": 0.89, "ansokan": 0.07, "annan_information": 0.04}
UNITS_REPORTING_OTHER_INFORMATION = 0.35  # assumption: elsewhere it is written as anmälan

# --- reasons: base share of the primary reason (assumption), side from the codebook ---
REASON_WEIGHTS = {
    "vald_mot_barn": 12.0,
    "sexuellt_vald": 2.0,
    "bevittnat_vald": 8.0,
    "hedersrelaterat": 1.0,
    "brister_i_omsorg": 9.0,
    "familjekonflikt": 9.0,
    "foralder_missbruk": 6.0,
    "foralder_psykisk_ohalsa": 5.0,
    "foralder_kriminalitet": 1.0,
    "foralder_fysisk_ohalsa": 1.0,
    "ekonomisk_utsatthet": 2.5,
    "brottsutsatt_barn": 4.0,
    "barnets_fysiska_halsa": 1.0,
    "barnets_psykiska_halsa": 6.0,
    "barnets_missbruk": 3.0,
    "barnets_kriminalitet": 7.0,
    "barnets_vald": 3.0,
    "skolproblem": 6.0,
    "beteendeproblem": 7.0,
    "ensamkommande": 1.2,
    "ospecificerad_oro": 5.0,
    "ovrigt": 1.0,
}
# Published: home and the child's mental health far more for girls; own behaviour for boys.
OWN_BEHAVIOUR = ("barnets_missbruk", "barnets_kriminalitet", "barnets_vald", "beteendeproblem")
GIRL_FACTORS = {"hem": 1.3, "barnets_psykiska_halsa": 2.2, "own_behaviour": 0.45}
# Own behaviour and school hardly concern small children; unaccompanied children are teens.
YOUNG_CHILD_EXCLUDED = (*OWN_BEHAVIOUR, "skolproblem", "ensamkommande")
ENSAMKOMMANDE_MIN_AGE = 12
EXTRA_REASON_PROBABILITY = 0.07  # assumption; PM #4: they gave several only "at some point"

# --- investigation: share opened or added to an ongoing one (published: about half) ---
# Published per reason: ensamkommande 81 %, vald_mot_barn 72 %, foralder_missbruk 35 %,
# ekonomisk_utsatthet 24 %; the others are assumptions.
INVESTIGATION_RATE = {
    "vald_mot_barn": 0.72,
    "sexuellt_vald": 0.75,
    "bevittnat_vald": 0.55,
    "hedersrelaterat": 0.78,
    "brister_i_omsorg": 0.55,
    "familjekonflikt": 0.45,
    "foralder_missbruk": 0.35,
    "foralder_psykisk_ohalsa": 0.45,
    "foralder_kriminalitet": 0.40,
    "foralder_fysisk_ohalsa": 0.35,
    "ekonomisk_utsatthet": 0.24,
    "brottsutsatt_barn": 0.38,
    "barnets_fysiska_halsa": 0.40,
    "barnets_psykiska_halsa": 0.55,
    "barnets_missbruk": 0.52,
    "barnets_kriminalitet": 0.55,
    "barnets_vald": 0.47,
    "skolproblem": 0.45,
    "beteendeproblem": 0.50,
    "ensamkommande": 0.81,
    "ospecificerad_oro": 0.45,
    "ovrigt": 0.35,
}
# Additive effects on that probability, each zero on average over the referrals it touches.
TYPE_EFFECT = {"ansokan": 0.14}  # assumption: applications are investigated more often
GIRL_12_14_EFFECT = 0.06  # published: at 12-14 investigations opened more often for girls
UNIT_EFFECT_SD = 0.04  # assumption: local practice varies
# Within a group, which action (assumption); "annan" is taken from the non-investigations.
OTHER_ACTION_SHARE = 0.05
ACTION_SPLIT = {
    "utredning": {"utredning_inleds": 0.80, "pafors_pagaende_utredning": 0.20},
    "ingen_utredning": {"utredning_inleds_ej": 0.86, "pafors_pagaende_insats": 0.14},
    "annan": {
        "pafors_pagaende_forhandsbedomning": 0.35,
        "pafors_pagaende_arende": 0.40,
        "annan_atgard": 0.25,
    },
}
