"""Results over time in the follow-up study: the registrations of one intervention paired by
case, the time between two dates in bands, tables counting only some registrations, and
disclosure control of those tables beside the unfiltered ones. Every expected figure is
counted from the test's records by plain Python (dateutil for months), not by the engine."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from typing import Any

import polars as pl
import pytest
from dateutil.relativedelta import relativedelta

from nuso.core.analysis.indicators.engine import compute
from nuso.core.analysis.indicators.frame import MISSING, analysis_frame
from nuso.core.analysis.indicators.inputs import StudyInput
from nuso.core.analysis.indicators.labels import dimension_labels
from nuso.core.harmonise.codebook import shipped_codebook
from nuso.core.harmonise.dictionary import StudyDictionary, parse_dictionary, shipped_dictionaries
from nuso.core.intake.blocks import value_types

ORDER = ("ingen_lag", "nagot_forhojd", "hog", "mycket_hog")  # as the study declares
BANDS = ((0, "0-3"), (3, "3-6"), (6, "6-12"), (12, "12-24"), (24, "24-"))
UNITS = pl.DataFrame(
    [("K01", "Kommun 1", "01", "B3", "stor"), ("K02", "Kommun 2", "01", "B3", "stor"),
     ("K03", "Kommun 3", "02", "C8", "liten")],
    schema=["enhet", "namn", "lan", "kommungrupp", "storleksgrupp"], orient="row",
)  # fmt: skip


@pytest.fixture(scope="module")
def follow_up() -> StudyDictionary:
    study = next(
        d for d in shipped_dictionaries(shipped_codebook()) if d.slug == "insatsuppfoljning"
    )
    change = next(c for c in study.computed if c.name == "riskforandring")
    assert change.order == ORDER
    avslut = next(c for c in study.computed if c.name == "tid_till_avslut")
    assert tuple((b.start, b.code) for b in avslut.bands) == BANDS
    return study


def registration(
    unit: str, child: str | None, occasion: str, insats: str, decided: str, risk: str | None,
    **values: Any,
) -> dict[str, Any]:  # fmt: skip
    """One registration as stored: a follow-up or closing carries the decision's facts."""
    day = values.get("avslutsdatum") or values.get("uppfoljningsdatum") or decided
    return {
        "enhet": unit, "period": day[:4], "pseudonym": child, "tillfalle": occasion,
        "insatstyp": insats, "beslutsdatum": decided, "riskbedomning": risk,
        "kon": "flicka", **values,
    }  # fmt: skip


def closed(unit: str, child: str | None, insats: str, decided: str, risk: str | None,
           **values: Any) -> dict[str, Any]:  # fmt: skip
    values.setdefault("avslutsdatum", "2024-02-01")
    return registration(unit, child, "avslut", insats, decided, risk, **values)


RECORDS = [
    # a child with two interventions: one from high to something low, one staying very high
    registration("K01", "pA", "beslut", "kontaktperson", "2023-01-10", "hog"),
    registration("K01", "pA", "uppfoljning", "kontaktperson", "2023-01-10", "nagot_forhojd",
                 uppfoljningsdatum="2023-04-10"),
    closed("K01", "pA", "kontaktperson", "2023-01-10", "ingen_lag", avslutsdatum="2023-09-09",
           maluppfyllelse="helt"),
    registration("K01", "pA", "beslut", "hvb", "2023-03-01", "mycket_hog"),
    closed("K01", "pA", "hvb", "2023-03-01", "mycket_hog", avslutsdatum="2025-05-02",
           maluppfyllelse="delvis"),
    # a closing without its decision
    closed("K01", "pB", "familjehem", "2023-02-01", "hog", maluppfyllelse="inte"),
    # not known at the decision: no level to compare
    registration("K01", "pC", "beslut", "kontaktfamilj", "2023-02-01", "ej_kant"),
    closed("K01", "pC", "kontaktfamilj", "2023-02-01", "hog", avslutsdatum="2023-05-01"),
    # higher
    registration("K01", "pD", "beslut", "kontaktperson", "2023-05-05", "ingen_lag"),
    closed("K01", "pD", "kontaktperson", "2023-05-05", "hog", avslutsdatum="2023-08-04"),
    # the same child and intervention in another unit is another case
    closed("K02", "pA", "kontaktperson", "2023-01-10", "ingen_lag"),
    # no identity number: no case
    registration("K01", None, "beslut", "kontaktperson", "2023-01-10", "hog"),
    closed("K01", None, "kontaktperson", "2023-01-10", "ingen_lag"),
    # two decisions registered for one case: which one counts is unknown
    registration("K01", "pG", "beslut", "hvb", "2023-06-01", "hog"),
    registration("K01", "pG", "beslut", "hvb", "2023-06-01", "mycket_hog"),
    closed("K01", "pG", "hvb", "2023-06-01", "ingen_lag"),
    # the risk not answered at closing
    registration("K01", "pH", "beslut", "kontaktperson", "2023-07-01", "hog"),
    closed("K01", "pH", "kontaktperson", "2023-07-01", None, avslutsdatum="2023-06-30"),
    # a unit with decisions only
    registration("K03", "pK", "beslut", "familjehem", "2023-03-03", "hog"),
    registration("K03", "pL", "beslut", "familjehem", "2023-03-04", "hog"),
]  # fmt: skip


def frame_of(records: list[dict[str, Any]], dictionary: StudyDictionary) -> pl.DataFrame:
    schema = value_types(dictionary)
    values = pl.DataFrame([{name: r.get(name) for name in schema} for r in records], schema=schema)
    places = pl.DataFrame(
        [(r["enhet"], r["period"], r["pseudonym"]) for r in records],
        schema=["enhet", "period", "pseudonym"], orient="row",
    )  # fmt: skip
    return analysis_frame(pl.concat([places, values], how="horizontal"), dictionary, UNITS)


# --- the reference, by plain Python --------------------------------------------------------


def case_of(record: dict[str, Any]) -> tuple[Any, ...] | None:
    key = tuple(record[k] for k in ("enhet", "pseudonym", "insatstyp", "beslutsdatum"))
    return None if None in key else key


def decision_of(records: list[dict[str, Any]], record: dict[str, Any]) -> dict[str, Any] | None:
    case = case_of(record)
    found = [r for r in records if case and case_of(r) == case and r["tillfalle"] == "beslut"]
    return found[0] if len(found) == 1 else None


def expected_change(records: list[dict[str, Any]], record: dict[str, Any]) -> str | None:
    decision = decision_of(records, record)
    if record["tillfalle"] != "avslut" or decision is None:
        return None
    before, now = decision["riskbedomning"], record["riskbedomning"]
    if before not in ORDER or now not in ORDER:
        return None
    return {-1: "lagre", 0: "oforandrad", 1: "hogre"}[
        (ORDER.index(now) > ORDER.index(before)) - (ORDER.index(now) < ORDER.index(before))
    ]


def expected_band(start: str | None, end: str | None) -> str | None:
    if start is None or end is None or end < start:
        return None  # closed before the decision: a mistake, in no band
    gap = relativedelta(dt.date.fromisoformat(end), dt.date.fromisoformat(start))
    months = gap.years * 12 + gap.months
    reached = [code for first, code in BANDS if months >= first]
    return reached[-1] if reached else None


# --- pairing -------------------------------------------------------------------------------


def test_a_closing_is_compared_with_the_decision_of_its_own_case(follow_up) -> None:
    frame = frame_of(RECORDS, follow_up)
    assert frame["riskforandring"].to_list() == [expected_change(RECORDS, r) for r in RECORDS]
    by_case = dict(zip(
        [(r["enhet"], r["pseudonym"], r["insatstyp"], r["tillfalle"]) for r in RECORDS],
        frame["riskforandring"], strict=False,
    ))  # fmt: skip
    # the child's two interventions are two cases
    assert by_case[("K01", "pA", "kontaktperson", "avslut")] == "lagre"
    assert by_case[("K01", "pA", "hvb", "avslut")] == "oforandrad"
    assert by_case[("K01", "pD", "kontaktperson", "avslut")] == "hogre"
    for unpaired in (("K01", "pB", "familjehem"), ("K01", "pC", "kontaktfamilj"),
                     ("K02", "pA", "kontaktperson"), ("K01", None, "kontaktperson"),
                     ("K01", "pG", "hvb"), ("K01", "pH", "kontaktperson")):  # fmt: skip
        assert by_case[(*unpaired, "avslut")] is None, unpaired
    # only a closing says how the risk changed
    assert by_case[("K01", "pA", "kontaktperson", "uppfoljning")] is None


def test_the_decisions_risk_is_on_every_registration_of_its_case(follow_up) -> None:
    frame = frame_of(RECORDS, follow_up)
    expected = []
    for record in RECORDS:
        decision = decision_of(RECORDS, record)
        expected.append(decision["riskbedomning"] if decision else None)
    assert frame["risk_vid_beslut"].to_list() == expected
    assert "ej_kant" in expected  # kept as the decision said, though it is no level
    assert frame.columns.count("pseudonym") == 0  # the pseudonym leaves no frame it made


def test_an_intervention_group_follows_from_the_intervention(follow_up) -> None:
    frame = frame_of(RECORDS, follow_up)
    placed = {"familjehem", "hvb", "stodboende", "annan_placering"}
    expected = ["placering" if r["insatstyp"] in placed else "oppenvard" for r in RECORDS]
    assert frame["insatsgrupp"].to_list() == expected


# --- time between two dates ----------------------------------------------------------------


DATES = [
    ("2023-01-15", "2023-04-15"),  # three months to the day
    ("2023-01-15", "2023-04-14"),  # a day short of three
    ("2023-01-31", "2023-02-28"),  # not a whole month
    ("2023-01-01", "2023-01-01"),
    ("2023-03-01", "2023-02-01"),  # closed before the decision: none
    ("2022-01-01", "2024-01-01"),
    ("2022-05-20", "2023-05-19"),
    ("2023-01-01", None),
]


def test_the_time_to_closing_falls_in_its_band_of_whole_months(follow_up) -> None:
    records = [closed("K01", f"p{n}", "hvb", start, "hog", avslutsdatum=end)
               for n, (start, end) in enumerate(DATES)]  # fmt: skip
    frame = frame_of(records, follow_up)
    expected = [expected_band(start, end) for start, end in DATES]
    assert frame["tid_till_avslut"].to_list() == expected
    assert expected[:3] == ["3-6", "0-3", "0-3"]  # the edges
    assert expected[4] is None
    # the follow-up's own date: none on a closing
    assert frame["tid_till_uppfoljning"].to_list() == [None] * len(DATES)


def test_the_time_between_two_dates_may_be_counted_in_days() -> None:
    data = {
        "slug": "dagar",
        "variables": [{"name": "start", "type": "date"}, {"name": "slut", "type": "date"}],
        "derived": [{"name": "dagar", "days_between": ["start", "slut"], "bands": [
            {"code": "vecka", "label": "Inom en vecka", "from": 0},
            {"code": "senare", "label": "Senare", "from": 7}]}],
    }  # fmt: skip
    dictionary = parse_dictionary(data, shipped_codebook(), "dagar.yaml")
    pairs = [("2023-01-01", "2023-01-07"), ("2023-01-01", "2023-01-08"),
             ("2023-12-28", "2024-01-05")]  # fmt: skip
    records = [{"enhet": "K01", "period": "2023", "pseudonym": None, "start": a, "slut": b}
               for a, b in pairs]  # fmt: skip
    frame = frame_of(records, dictionary)
    days = [(dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days for a, b in pairs]
    assert frame["dagar"].to_list() == ["senare" if d >= 7 else "vecka" for d in days]


# --- tables of some registrations ------------------------------------------------------------


def study_input(frame: pl.DataFrame, dictionary: StudyDictionary, tables: Any = None) -> StudyInput:
    labels = dimension_labels(dictionary, shipped_codebook())
    return StudyInput(
        tables=dictionary.tables if tables is None else tables, frame=frame,
        categories={name: tuple(codes) for name, codes in labels.items()},
        labels={name: {**codes, MISSING: "Uppgift saknas"} for name, codes in labels.items()},
        names={("kommun", c): n for c, n in UNITS.select("enhet", "namn").iter_rows()}
        | {("riket", "riket"): "Riket"},
        multi_valued=frozenset(v.name for v in dictionary.variables if v.type == "categories"),
        titles={c.name: c.label for c in dictionary.computed},
    )  # fmt: skip


def cells(results: Any, table: str, level: str, unit: str, dimension: str) -> dict[str, Any]:
    rows = results.tables[table].filter(
        pl.col("niva") == level, pl.col("enhet") == unit, pl.col("jamforelse").is_null()
    )
    return {row[dimension]: (row["antal"], row["total"]) for row in rows.iter_rows(named=True)}


def test_a_table_with_where_counts_the_closings_alone(follow_up) -> None:
    results = compute(study_input(frame_of(RECORDS, follow_up), follow_up), None)
    for unit in ("K01", "K02", "K03"):
        closings = [r for r in RECORDS if r["enhet"] == unit and r["tillfalle"] == "avslut"]
        for period in sorted({r["period"] for r in RECORDS if r["enhet"] == unit}):
            mine = [r for r in closings if r["period"] == period]
            counted = Counter(r.get("maluppfyllelse") or MISSING for r in mine)
            rows = results.tables["maluppfyllelse"].filter(
                pl.col("niva") == "kommun", pl.col("enhet") == unit, pl.col("period") == period,
                pl.col("jamforelse").is_null(),
            )  # fmt: skip
            found = {r["maluppfyllelse"]: r["antal"] for r in rows.iter_rows(named=True)}
            assert {k: v for k, v in found.items() if v} == counted, (unit, period)
            # a unit with registrations but no closings has its row, of none
            assert set(rows["total"]) == {len(mine)}, (unit, period)


def test_the_change_of_risk_is_counted_per_closing_nationally(follow_up) -> None:
    results = compute(study_input(frame_of(RECORDS, follow_up), follow_up), None)
    for period in sorted({r["period"] for r in RECORDS}):
        closings = [r for r in RECORDS if r["tillfalle"] == "avslut" and r["period"] == period]
        counted = Counter(expected_change(RECORDS, r) or MISSING for r in closings)
        rows = results.tables["riskforandring"].filter(
            pl.col("niva") == "riket", pl.col("period") == period, pl.col("jamforelse").is_null()
        )
        found = {r["riskforandring"]: r["antal"] for r in rows.iter_rows(named=True)}
        assert {k: v for k, v in found.items() if v} == counted, period
        assert set(rows["total"]) == {len(closings)}
    # the closing of 2025 is paired with its decision of 2023
    assert results.tables["riskforandring"].filter(
        pl.col("period") == "2025", pl.col("niva") == "riket",
        pl.col("riskforandring") == "oforandrad", pl.col("jamforelse").is_null(),
    )["antal"].to_list() == [1]  # fmt: skip


def test_the_time_to_closing_is_counted_per_closing(follow_up) -> None:
    results = compute(study_input(frame_of(RECORDS, follow_up), follow_up), None)
    rows = results.tables["tid_till_avslut"].filter(
        pl.col("niva") == "kommun", pl.col("enhet") == "K01", pl.col("jamforelse").is_null()
    )
    found = Counter()
    for row in rows.iter_rows(named=True):
        found[(row["period"], row["tid_till_avslut"])] += row["antal"]
    counted = Counter(
        (r["period"], expected_band(r["beslutsdatum"], r.get("avslutsdatum")) or MISSING)
        for r in RECORDS if r["enhet"] == "K01" and r["tillfalle"] == "avslut"
    )  # fmt: skip
    assert +found == counted


# --- disclosure control --------------------------------------------------------------------


def test_all_registrations_less_the_closings_give_no_small_count_away(follow_up) -> None:
    """In K01 every registration but two is a closing: the unfiltered table less the one of
    closings would show those two; one of each such pair of counts must be hidden."""
    records = [closed(unit, f"{unit}{n}", "hvb", "2023-01-01", "hog",
                      maluppfyllelse=("helt", "delvis", "inte")[n % 3])
               for unit in ("K01", "K02", "K03") for n in range(60)]  # fmt: skip
    records += [registration("K01", f"u{n}", "uppfoljning", "hvb", "2023-01-01", "hog",
                             uppfoljningsdatum="2024-01-01", maluppfyllelse="helt")
                for n in range(2)]  # fmt: skip
    records += [registration(u, f"{u}u{n}", "uppfoljning", "hvb", "2023-01-01", "hog",
                             uppfoljningsdatum="2024-01-01") for u in ("K02", "K03")
                for n in range(30)]  # fmt: skip
    base = next(t for t in follow_up.tables if t.name == "maluppfyllelse")
    every = replace(base, name="alla", where=())
    study = study_input(frame_of(records, follow_up), follow_up, (base, every))
    plain, protected = compute(study, None), compute(study, 5)
    for i, figure in enumerate(("antal", "total")):
        closings = cells(plain, "maluppfyllelse", "kommun", "K01", "maluppfyllelse")["helt"][i]
        registrations = cells(plain, "alla", "kommun", "K01", "maluppfyllelse")["helt"][i]
        assert registrations - closings == 2, figure  # the two follow-ups
        shown = [cells(protected, name, "kommun", "K01", "maluppfyllelse")["helt"][i]
                 for name in ("maluppfyllelse", "alla")]  # fmt: skip
        assert None in shown, figure


def test_a_units_users_cannot_take_their_own_follow_ups_from_the_level_difference(
    follow_up,
) -> None:
    """The nation's registrations less its closings are six, not small; but K01's users know
    their own four, which leaves two for the other units: every level holding K01 must hide
    the unfiltered or the filtered count."""
    records = [closed(unit, f"{unit}{n}", "hvb", "2023-01-01", "hog",
                      maluppfyllelse=("helt", "delvis", "inte")[n % 3])
               for unit in ("K01", "K02", "K03") for n in range(60)]  # fmt: skip
    records += [registration(unit, f"{unit}u{n}", "uppfoljning", "hvb", "2023-01-01", "hog",
                             uppfoljningsdatum="2024-01-01", maluppfyllelse="helt")
                for unit, count in (("K01", 4), ("K02", 2)) for n in range(count)]  # fmt: skip
    base = next(t for t in follow_up.tables if t.name == "maluppfyllelse")
    study = study_input(frame_of(records, follow_up), follow_up,
                        (base, replace(base, name="alla", where=())))  # fmt: skip
    plain, protected = compute(study, None), compute(study, 5)
    for level, code in (("riket", "riket"), ("lan", "01"), ("kommungrupp", "B3"),
                        ("storleksgrupp", "stor")):  # fmt: skip
        every = cells(plain, "alla", level, code, "maluppfyllelse")["helt"][0]
        closings = cells(plain, "maluppfyllelse", level, code, "maluppfyllelse")["helt"][0]
        assert 0 < every - closings - 4 < 5, level  # what K01's users would find
        shown = [cells(protected, name, level, code, "maluppfyllelse")["helt"][0]
                 for name in ("maluppfyllelse", "alla")]  # fmt: skip
        assert None in shown, level
