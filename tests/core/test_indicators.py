"""The analysis engine against independent computations: counts by plain Python loops, shares
and tests by statsmodels and SciPy, and disclosure control by a linear-algebra audit of
everything a reader can see."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from nuso.core.analysis.indicators import guidance
from nuso.core.analysis.indicators.engine import Results, compute
from nuso.core.analysis.indicators.frame import MISSING, analysis_frame
from nuso.core.analysis.indicators.inputs import StudyInput
from nuso.core.harmonise.dictionary import DerivedVariable, StudyDictionary, StudyVariable
from nuso.core.harmonise.table_definitions import parse_tables
from nuso.core.intake.blocks import value_types

from .synth.attack import fixed_by_sums

THRESHOLD = 5
REASONS = ("vald", "missbruk", "skola", "heder")
OUTCOME = "atgardsgrupp∈{utredning}"
UNITS = [  # code, county, SKR group, size band, number of referrals
    ("K01", "01", "B3", "stor", 900), ("K02", "01", "B3", "stor", 640),
    ("K03", "01", "C8", "liten", 45), ("K04", "02", "B3", "stor", 700),
    ("K05", "02", "C8", "liten", 120), ("K06", "02", "C8", "liten", 12),
    ("K07", "03", "C8", "liten", 230), ("K08", "03", "B3", "stor", 510),
]  # fmt: skip
TABLES = parse_tables(
    [
        {"name": "kon", "kind": "distribution", "dimensions": ["kon"]},
        {"name": "orsaker", "kind": "distribution", "dimensions": ["orsaker"]},
        {
            "name": "utredning",
            "kind": "share",
            "outcome": {"variable": "atgardsgrupp", "values": ["utredning"]},
            "sentence": "leder {andel} av aktualiseringarna till utredning",
        },
        {
            "name": "utredning_per_kon",
            "kind": "share",
            "dimensions": ["kon"],
            "outcome": {"variable": "atgardsgrupp", "values": ["utredning"]},
        },
        {
            "name": "utredning_per_orsak",
            "kind": "share",
            "dimensions": ["orsaker"],
            "outcome": {"variable": "atgardsgrupp", "values": ["utredning"]},
        },
        # filtered views by sex, as the portal's filter shows them
        {
            "name": "orsaker_kon",
            "kind": "distribution",
            "dimensions": ["orsaker", "kon"],
            "within": "kon",
            "view_of": "orsaker",
        },
        {
            "name": "atgardsgrupp_kon",
            "kind": "distribution",
            "dimensions": ["atgardsgrupp", "kon"],
            "within": "kon",
        },
        {
            "name": "utredning_per_orsak_kon",
            "kind": "share",
            "dimensions": ["orsaker", "kon"],
            "outcome": {"variable": "atgardsgrupp", "values": ["utredning"]},
            "within": "kon",
            "view_of": "utredning_per_orsak",
        },
    ],
    {"kon": "category", "orsaker": "categories", "atgardsgrupp": "category", "alder": "integer"},
    "test",
)
DICTIONARY = StudyDictionary(
    slug="t", number=0, name="t", description="", source="export",
    variables=(
        StudyVariable("kon", "Kön", "category", codebook="kon"),
        StudyVariable("alder", "Ålder", "integer", min=0, max=17),
        StudyVariable("orsaker", "Orsaker", "categories", codebook="orsak"),
        StudyVariable("atgard", "Åtgärd", "category", codebook="atgard"),
    ),
    derived=(DerivedVariable("atgardsgrupp", "Åtgärdsgrupp", "atgard", "atgardsgrupp"),),
)  # fmt: skip


def make_records(seed: int) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed)
    records = []
    for code, _, group, _, size in UNITS:
        rate = 0.62 if group == "B3" else 0.45
        for _ in range(size):
            kon = rng.choice(["flicka", "pojke", None], p=[0.48, 0.49, 0.03])
            picked = [r for r, p in zip(REASONS, (0.4, 0.3, 0.25, 0.02), strict=True)
                      if rng.random() < p]  # fmt: skip
            outcome = rng.choice(
                ["utredning", "ingen_utredning", None], p=[rate, 0.97 - rate, 0.03]
            )
            records.append({"enhet": code, "period": "2023", "values": {
                "kon": kon, "alder": int(rng.integers(0, 18)), "orsaker": picked,
                "atgardsgrupp": outcome,
            }})  # fmt: skip
    return records


def study_of(records: list[dict[str, Any]], country: str = "SE") -> StudyInput:
    """The study of the records; in Norway (`country` NO) the units have no SKR group."""
    units = pl.DataFrame(
        [(c, f"Kommun {c}", county, group if country == "SE" else None, band)
         for c, county, group, band, _ in UNITS],
        schema=["enhet", "namn", "lan", "kommungrupp", "storleksgrupp"], orient="row",
    )  # fmt: skip
    values = pl.DataFrame([r["values"] for r in records], schema=value_types(DICTIONARY))
    frame = analysis_frame(
        values.with_columns(enhet=pl.Series([r["enhet"] for r in records]),
                            period=pl.Series([r["period"] for r in records])),
        DICTIONARY, units,
    )  # fmt: skip
    return StudyInput(
        tables=TABLES, frame=frame,
        categories={"kon": ("flicka", "pojke"), "orsaker": REASONS,
                    "atgardsgrupp": ("utredning", "ingen_utredning")},
        labels={"kon": {"flicka": "Flicka", "pojke": "Pojke"}, "orsaker": {}},
        names={("kommun", c): f"Kommun {c}" for c, *_ in UNITS} | {("riket", "riket"): "Riket"}
        | {("lan", county): f"Fylke {county}" for _, county, *_ in UNITS},
        multi_valued=frozenset({"orsaker"}), country=country,
    )  # fmt: skip


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return make_records(7)


@pytest.fixture(scope="module")
def plain(records) -> Results:
    return compute(study_of(records), None)


@pytest.fixture(scope="module")
def protected(records) -> Results:
    return compute(study_of(records), THRESHOLD)


# --- independent reference computations ---------------------------------------------------


def members(level: str, code: str) -> set[str]:
    column = {"kommun": 0, "lan": 1, "kommungrupp": 2, "storleksgrupp": 3}
    if level == "riket":
        return {u[0] for u in UNITS}
    return {u[0] for u in UNITS if u[column[level]] == code}


def direct_counts(records, units: set[str], dimension: str | None) -> tuple[Counter, Counter]:
    """(referrals leading to an investigation, referrals with a known action) per category,
    counting a referral under each of its reasons; loops, no Polars."""
    yes, known = Counter(), Counter()
    for record in records:
        if record["enhet"] not in units:
            continue
        values = record["values"]
        if dimension is None:
            categories = [None]
        elif dimension == "orsaker":
            categories = values["orsaker"] or [MISSING]
        else:
            categories = [values[dimension] or MISSING]
        for category in categories:
            if values["atgardsgrupp"] is not None:
                known[category] += 1
                yes[category] += values["atgardsgrupp"] == "utredning"
    return yes, known


def test_shares_match_a_direct_count_at_every_level(records, plain) -> None:
    for table, dimension in (("utredning", None), ("utredning_per_kon", "kon"),
                             ("utredning_per_orsak", "orsaker")):  # fmt: skip
        rows = plain.tables[table].filter(pl.col("jamforelse").is_null())
        assert set(rows["niva"]) == {"kommun", "kommungrupp", "storleksgrupp", "lan", "riket"}
        for row in rows.iter_rows(named=True):
            yes, known = direct_counts(records, members(row["niva"], row["enhet"]), dimension)
            category = row[dimension] if dimension else None
            assert (row["antal"], row["total"]) == (yes[category], known[category]), row


def test_a_filtered_distribution_counts_within_the_filter(records, plain) -> None:
    rows = plain.tables["orsaker_kon"].filter(pl.col("niva") == "riket", pl.col("kon") == "pojke",
                                              pl.col("jamforelse").is_null())  # fmt: skip
    boys = [r for r in records if r["values"]["kon"] == "pojke"]
    counted = Counter(r for record in boys for r in (record["values"]["orsaker"] or [MISSING]))
    assert {row["orsaker"]: row["antal"] for row in rows.iter_rows(named=True)} == counted
    assert set(rows["total"]) == {len(boys)}


def test_a_multi_valued_distribution_counts_each_reason(records, plain) -> None:
    rows = plain.tables["orsaker"].filter(pl.col("niva") == "riket", pl.col("jamforelse").is_null())
    counted = Counter(r for record in records for r in (record["values"]["orsaker"] or [MISSING]))
    assert {row["orsaker"]: row["antal"] for row in rows.iter_rows(named=True)} == counted
    assert set(rows["total"]) == {len(records)}


def test_intervals_match_statsmodels(plain) -> None:
    rows = plain.tables["utredning_per_orsak"].filter(pl.col("total") > 0)
    for row in rows.iter_rows(named=True):
        low, high = proportion_confint(row["antal"], row["total"], method="wilson")
        assert row["ki_lag"] == pytest.approx(low)
        assert row["ki_hog"] == pytest.approx(high)


def reference_p(k1: int, n1: int, k2: int, n2: int) -> float:
    """z-test, or Fisher's exact test when an expected count is below five."""
    pooled = (k1 + k2) / (n1 + n2)
    expected = [n * q for n in (n1, n2) for q in (pooled, 1 - pooled)]
    if min(expected) < 5:
        return float(stats.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue)
    return float(proportions_ztest([k1, k2], [n1, n2])[1])


@pytest.mark.parametrize("level", ["kommungrupp", "storleksgrupp", "riket"])
def test_comparisons_match_statsmodels_with_benjamini_hochberg(records, plain, level) -> None:
    rows = plain.tables["utredning_per_orsak"].filter(pl.col("niva") == level,
                                                      pl.col("jamforelse") == "K02")  # fmt: skip
    own_yes, own_known = direct_counts(records, {"K02"}, "orsaker")
    group = {"kommungrupp": "B3", "storleksgrupp": "stor", "riket": "riket"}[level]
    rest = members(level, group) - {"K02"}
    rest_yes, rest_known = direct_counts(records, rest, "orsaker")
    tested = [
        row
        for row in rows.iter_rows(named=True)
        if own_known[row["orsaker"]] >= guidance.MIN_COMPARABLE and rest_known[row["orsaker"]]
    ]
    raw = [reference_p(own_yes[r["orsaker"]], own_known[r["orsaker"]], rest_yes[r["orsaker"]],
                       rest_known[r["orsaker"]]) for r in tested]  # fmt: skip
    adjusted = multipletests(raw, method="fdr_bh")[1]
    assert len(tested) >= 4
    for row, expected in zip(tested, adjusted, strict=True):
        assert row["p_varde"] == pytest.approx(expected, rel=1e-9), row["orsaker"]
        assert row["signifikant"] == (expected < 0.05)
        assert row["vagledning"].startswith("I Kommun K02 ")


def test_a_norwegian_unit_is_compared_with_its_fylke_and_norway(records) -> None:
    """Norway has no SKR groups: its units are compared with their county (fylke) without
    them, their size band and Norway, and the sentences say so."""
    results = compute(study_of(records, country="NO"), None)
    rows = results.tables["utredning_per_orsak"].filter(pl.col("jamforelse") == "K02")
    assert set(rows["niva"]) == {"lan", "storleksgrupp", "riket"}
    county = rows.filter(pl.col("niva") == "lan")
    rest_yes, rest_known = direct_counts(records, members("lan", "01") - {"K02"}, "orsaker")
    for row in county.iter_rows(named=True):
        assert (row["antal"], row["total"]) == (rest_yes[row["orsaker"]],
                                                rest_known[row["orsaker"]])  # fmt: skip
    said = [s for s in county["vagledning"] if "jämfört" in s]
    assert said
    assert all("i fylket Fylke 01 (utom Kommun K02)" in s for s in said)
    nation = rows.filter(pl.col("niva") == "riket")["vagledning"].drop_nulls()
    assert any(" i Norge. " in s for s in nation)
    assert not any("riket" in s for s in nation)


@pytest.mark.parametrize("unit", ["K02", "K06"])
def test_a_norwegian_units_users_cannot_work_out_other_hidden_counts(records, unit) -> None:
    """The rest of a fylke is hidden wherever the fylke is, as a group's rest is."""
    plain, protected = (compute(study_of(records, "NO"), t) for t in (None, THRESHOLD))
    view = {name: pl.concat([protected.national()[name], rows], how="diagonal_relaxed")
            for name, rows in protected.for_unit(unit).items()}  # fmt: skip
    found = quantities(with_truth(view, plain), plain.definitions, unit)
    leaks = [
        key
        for key in recoverable(found)
        if not (len(key[1]) == 4 and found.get((key[0], key[1][:2], key[2]), (0, False))[1])
    ]
    assert leaks == []


def test_the_distribution_test_matches_scipy(records, plain) -> None:
    row = plain.tables["kon"].filter(pl.col("niva") == "riket", pl.col("jamforelse") == "K01",
                                     pl.col("kon") == "samtliga").row(0, named=True)  # fmt: skip
    own = Counter(r["values"]["kon"] or MISSING for r in records if r["enhet"] == "K01")
    rest = Counter(r["values"]["kon"] or MISSING for r in records if r["enhet"] != "K01")
    table = [
        [own[c] for c in ("flicka", "pojke", MISSING)],
        [rest[c] for c in ("flicka", "pojke", MISSING)],
    ]
    assert row["p_varde"] == pytest.approx(stats.chi2_contingency(table, correction=False).pvalue)


# --- disclosure control ----------------------------------------------------------------------


def published(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    return pl.concat(list(tables.values()), how="diagonal_relaxed")


def test_no_count_below_the_threshold_is_published(protected) -> None:
    views = [protected.national()] + [protected.for_unit(code) for code, *_ in UNITS]
    for view in views:
        rows = published(view)
        for column in ("antal", "total"):
            values = rows[column].drop_nulls()
            assert not ((values > 0) & (values < THRESHOLD)).any(), column
        complement = rows.filter(pl.col("andel").is_not_null()).select(
            pl.col("total") - pl.col("antal")
        )
        assert not complement.to_series().is_between(1, THRESHOLD - 1).any()
    assert protected.suppression is not None
    assert protected.suppression.primary > 0


def test_the_same_records_are_always_suppressed_alike(records, protected) -> None:
    """Whatever order the records come in (and counting leaves its cells in), the same cells
    are hidden: two publications of the same data hiding different cells could be combined
    to find what each hides."""
    shuffled = [records[i] for i in np.random.default_rng(3).permutation(len(records))]
    again = compute(study_of(shuffled), THRESHOLD)
    for name, rows in protected.tables.items():
        keys = [c for c in rows.columns if rows.schema[c] in (pl.String, pl.Int64, pl.Boolean)]
        assert_frame_equal(again.tables[name].sort(keys), rows.sort(keys), check_row_order=True)
    assert again.suppression == protected.suppression


def test_shares_and_tests_built_on_hidden_counts_are_hidden(protected) -> None:
    rows = published({"t": protected.tables["utredning_per_orsak"]}).filter(pl.col("undertryckt"))
    assert rows.height > 0
    assert rows["andel"].is_null().all()
    assert rows["ki_lag"].is_null().all()
    assert rows.filter(pl.col("jamforelse").is_not_null())["p_varde"].is_null().all()


def quantities(
    rows: pl.DataFrame, tables: dict[str, Any], own: str | None
) -> dict[Any, tuple[int, bool]]:
    """Every count a reader sees or can work out, by meaning: (true value, published?)."""
    found: dict[Any, tuple[int, bool]] = {}
    for row in rows.iter_rows(named=True):
        definition = tables[row["tabell"]]
        dimensions = definition.dimensions
        if row["niva"] in ("kommungrupp", "storleksgrupp", "lan") and row["jamforelse"]:
            area = (row["niva"], row["enhet"], "utan", row["jamforelse"])
        elif (
            row["niva"] == "kommun" or row["jamforelse"] is None or row["niva"] in ("riket", "lan")
        ):
            area = (row["niva"], row["enhet"])
        condition = tuple(sorted((d, row[d]) for d in dimensions))
        if any(row[d] == "samtliga" for d in dimensions):
            continue
        shown_antal, shown_total = row["antal_visad"], row["total_visad"]
        if definition.kind == "distribution":
            found[("antal", area, condition)] = (row["antal"], shown_antal)
            # the total of a distribution within a filter is the filter's own count
            kept = tuple(c for c in condition if c[0] == definition.within)
            found[("antal", area, kept)] = (row["total"], shown_total)
        else:
            found[("ja", area, condition)] = (row["antal"], shown_antal)
            found[("kand", area, condition)] = (row["total"], shown_total)
            found[("nej", area, condition)] = (
                row["total"] - row["antal"],
                shown_antal and shown_total,
            )
    for (kind, area, condition), (value, shown) in list(found.items()):
        # a share's records with and without the outcome are cells of its distribution:
        # one count, shown if either table shows it
        cell = {"ja": "utredning", "nej": "ingen_utredning"}.get(kind)
        if cell is None:
            continue
        same = ("antal", area, tuple(sorted((*condition, ("atgardsgrupp", cell)))))
        if same in found:
            either = shown or found[same][1]
            found[(kind, area, condition)], found[same] = (value, either), (value, either)
    if own is not None:  # a unit's users know their own counts
        for key, (value, _) in list(found.items()):
            if key[1] == ("kommun", own):
                found[key] = (value, True)
    return found


def equations(found: dict[Any, tuple[int, bool]]) -> list[tuple[Any, list[Any]]]:
    """The sums a reader knows to hold: outcome known = with + without; the records with the
    outcome are the distribution's cell of its value, and those with it known are all the
    records less those without a value; the categories of a single-valued dimension add up;
    units and rests add up to the levels they make."""
    result = []
    for kind, area, condition in found:
        if kind == "kand":
            result.append(
                (("kand", area, condition), [("ja", area, condition), ("nej", area, condition)])
            )
            result.append((("ja", area, condition), [outcome_cell(area, condition, "utredning")]))
            result.append(
                (("antal", area, condition),
                 [("kand", area, condition), outcome_cell(area, condition, MISSING)])
            )  # fmt: skip
    for kind in ("antal", "ja", "kand", "nej"):
        for area in {key[1] for key in found}:
            for single in ("kon", "atgardsgrupp"):
                by_margin: dict[Any, list[Any]] = {}
                for key in found:
                    if key[0] == kind and key[1] == area and any(c[0] == single for c in key[2]):
                        margin = tuple(c for c in key[2] if c[0] != single)
                        by_margin.setdefault((kind, area, margin), []).append(key)
                result += list(by_margin.items())
            for condition in {k[2] for k in found if k[0] == kind and k[1] == area}:
                if len(area) == 4:  # the rest of a group: group = unit + rest
                    whole = (kind, area[:2], condition)
                    result.append(
                        (whole, [(kind, ("kommun", area[3]), condition), (kind, area, condition)])
                    )
                if area == ("riket", "riket"):
                    for level in ("lan", "kommungrupp", "storleksgrupp"):
                        parts = [(kind, a, condition) for a in {k[1] for k in found}
                                 if a[0] == level and len(a) == 2]  # fmt: skip
                        if parts:  # a level the country has not (Norway: no SKR groups)
                            result.append(((kind, area, condition), parts))
    # a sum is known only where every part of it is published or hidden in a table
    return [(m, parts) for m, parts in result if m in found and all(p in found for p in parts)]


def outcome_cell(area: Any, condition: Any, value: str) -> Any:
    """The distribution's cell of one value of the outcome variable."""
    return ("antal", area, tuple(sorted((*condition, ("atgardsgrupp", value)))))


def recoverable(found: dict[Any, tuple[int, bool]]) -> list[Any]:
    """Hidden counts above nought that the published ones and the sums determine exactly
    (noughts are not protected: docs/statistics.md, Limits)."""
    return [key for key in fixed_by_sums(found, equations(found)) if found[key][0] > 0]


def with_truth(view: dict[str, pl.DataFrame], plain: Results) -> pl.DataFrame:
    keys = ["tabell", "niva", "enhet", "period", "kon", "orsaker", "atgardsgrupp", "jamforelse"]
    shown = (
        published(view)
        .with_columns(
            pl.col("antal").is_not_null().alias("antal_visad"),
            pl.col("total").is_not_null().alias("total_visad"),
        )
        .select(*keys, "antal_visad", "total_visad")
    )
    truth = published(plain.tables).select(*keys, "antal", "total")
    return shown.join(truth, on=keys, how="left", nulls_equal=True)


def test_no_hidden_count_can_be_worked_out_from_the_national_tables(protected, plain) -> None:
    found = quantities(with_truth(protected.national(), plain), plain.definitions, None)
    assert any(not shown for _, shown in found.values())
    assert recoverable(found) == []


@pytest.mark.parametrize("unit", [code for code, *_ in UNITS])
def test_a_units_users_cannot_work_out_other_hidden_counts(protected, plain, unit) -> None:
    """What a unit's users see (the national tables and their own view) and know (their own
    counts) determines no hidden count of others. The rest of a group whose whole group is
    published is known to them by subtraction by definition, and is not counted here."""
    view = {name: pl.concat([protected.national()[name], rows], how="diagonal_relaxed")
            for name, rows in protected.for_unit(unit).items()}  # fmt: skip
    found = quantities(with_truth(view, plain), plain.definitions, unit)
    leaks = [
        key
        for key in recoverable(found)
        if not (len(key[1]) == 4 and found.get((key[0], key[1][:2], key[2]), (0, False))[1])
    ]
    assert leaks == []


@pytest.mark.parametrize("country", ["SE", "NO"])
@pytest.mark.parametrize("unit", [code for code, *_ in UNITS])
def test_whoever_is_shown_a_units_figures_cannot_work_out_its_hidden_counts(
    records, unit, country
) -> None:
    """A unit's users show their tables to others (a board, a newspaper): the national tables
    and the unit's view, without knowing the unit's counts, determine none of its hidden
    ones. (A group's rest beside its published whole is the unit's count by subtraction.)"""
    plain, protected = (compute(study_of(records, country), t) for t in (None, THRESHOLD))
    view = {name: pl.concat([protected.national()[name], rows], how="diagonal_relaxed")
            for name, rows in protected.for_unit(unit).items()}  # fmt: skip
    found = quantities(with_truth(view, plain), plain.definitions, None)
    own_hidden = [key for key, (_, shown) in found.items()
                  if key[1] == ("kommun", unit) and not shown]  # fmt: skip
    leaks = [key for key in recoverable(found) if key[1] == ("kommun", unit)]
    assert own_hidden or unit == "K01"  # the small units have hidden counts to protect
    assert leaks == []


def test_differencing_two_filtered_views_gives_nothing_away() -> None:
    """A unit with three boys: all referrals minus the girls' (and the unknown sex) would give
    the boys' count; one more of them must be hidden."""
    outcomes = ("ingen_utredning", "utredning")
    records = [
        {"enhet": "K01", "period": "2023", "values": {
            "kon": kon, "alder": 5, "orsaker": ["vald"], "atgardsgrupp": outcomes[i % 2]}}
        for i, kon in enumerate(["flicka"] * 200 + ["pojke"] * 3)
    ]  # fmt: skip
    records += [dict(r, enhet=code) for code, *_ in UNITS[1:] for r in make_records(1)[:300]]
    results = compute(study_of(records), THRESHOLD)
    rows = published(results.for_unit("K01")).filter(pl.col("niva") == "kommun")
    overall = rows.filter(pl.col("tabell") == "utredning").row(0, named=True)
    by_sex = {
        r["kon"]: r
        for r in rows.filter(pl.col("tabell") == "utredning_per_kon").iter_rows(named=True)
    }
    assert by_sex["pojke"]["total"] is None
    assert overall["total"] is None or by_sex["flicka"]["total"] is None


# --- guidance ------------------------------------------------------------------------------


def comparison(**changes: Any) -> guidance.Comparison:
    values: dict[str, Any] = {
        "unit_name": "Karlstad", "reference_phrase": "i kommungruppen", "share": 0.45,
        "reference_share": 0.36, "unit_total": 800, "reference_total": 9000, "p_value": 0.001,
        "subject": {},
    }  # fmt: skip
    return guidance.Comparison(**(values | changes))


def test_guidance_claims_significance_only_when_the_test_supports_it() -> None:
    template = "leder {andel} av aktualiseringarna till utredning"
    assert guidance.sentence(template, comparison()) == (
        "I Karlstad leder 45\u00a0% av aktualiseringarna till utredning, jämfört med 36\u00a0% "
        "i kommungruppen. Skillnaden är statistiskt säkerställd."
    )
    assert "inte statistiskt säkerställd" in guidance.sentence(template, comparison(p_value=0.2))
    assert guidance.sentence(template, comparison(unit_total=6)) == (
        "I Karlstad är antalet för litet för att jämföra."
    )
    assert "för litet" in guidance.sentence(template, comparison(share=None))


def test_percent_is_written_the_swedish_way() -> None:
    assert guidance.percent(0.452) == "45\u00a0%"
    assert guidance.percent(0.045) == "4,5\u00a0%"
    assert guidance.percent(0.5163, 1) == "51,6\u00a0%"


def with_a_filtered_whole_distribution(records: list[dict[str, Any]]) -> Results:
    """The study with a single-valued distribution and its view by sex: the view's rows test
    the whole distribution within each sex."""
    from dataclasses import replace

    extra = parse_tables(
        [{"name": "atgard", "kind": "distribution", "dimensions": ["atgardsgrupp"]},
         {"name": "atgard_kon", "kind": "distribution", "dimensions": ["atgardsgrupp", "kon"],
          "within": "kon", "view_of": "atgard"}],
        {"kon": "category", "atgardsgrupp": "category"}, "test",
    )  # fmt: skip
    study = study_of(records)
    categories = {**study.categories, "atgardsgrupp": ("utredning", "ingen_utredning")}
    tables = (*(t for t in study.tables if t.name != "atgardsgrupp_kon"), *extra)
    return compute(replace(study, tables=tables, categories=categories), THRESHOLD)


@pytest.mark.parametrize("language", ["en", "nb"])
def test_every_guidance_sentence_is_said_again_in_a_files_language(records, language) -> None:
    """A file asked for in another language has a sentence wherever the engine wrote one
    (a filtered view's test of a whole distribution too), and none of them is Swedish."""
    from nuso.core.outputs.sentences import in_language
    from nuso.core.outputs.tables import TableSet, hidden

    # every referral thrice: units large enough that a view's test is published somewhere
    protected = with_a_filtered_whole_distribution(records * 3)
    views = protected.tables["atgard_kon"]
    assert views["vagledning"].str.starts_with("Fördelningen av").sum() > 0
    for tables in (protected.tables, protected.for_unit("K01"), protected.national()):
        swedish = hidden(TableSet(tables, protected.source, THRESHOLD))
        again = in_language(
            TableSet(swedish.tables, protected.source, THRESHOLD, language=language)
        )
        for name, rows in swedish.tables.items():
            said, other = rows["vagledning"], again.tables[name]["vagledning"]
            assert (said.is_null() == other.is_null()).all(), name
            swedish_words = "jämfört|Fördelningen|antalet för litet|Det finns inga|riket"
            assert not other.drop_nulls().str.contains(swedish_words).any(), name
    same = in_language(TableSet(protected.tables, protected.source, THRESHOLD, language="sv"))
    assert same.tables is protected.tables


def test_a_code_in_force_on_no_day_of_the_period_has_no_row(records) -> None:
    """SSB's lists change: a 2023 table shows no row for a code that came later (here 'annat'
    sex, with no record), and keeps a code out of force that records have (every record
    stays counted)."""
    from dataclasses import replace

    study = study_of(records)
    categories = {**study.categories, "kon": ("flicka", "pojke", "annat")}
    out_of_force = {"kon": {"2023": frozenset({"annat", "pojke"})}}
    before = compute(replace(study, categories=categories), THRESHOLD)
    after = compute(replace(study, categories=categories, out_of_force=out_of_force), THRESHOLD)
    for name in ("kon", "utredning_per_kon", "orsaker_kon"):
        assert "annat" in before.tables[name]["kon"].to_list()
        assert "annat" not in after.tables[name]["kon"].to_list()
        assert "pojke" in after.tables[name]["kon"].to_list()
    kept = after.tables["kon"].filter(pl.col("niva") == "riket", pl.col("jamforelse").is_null())
    assert kept.filter(pl.col("kon") == "pojke")["antal"].item() > 0
