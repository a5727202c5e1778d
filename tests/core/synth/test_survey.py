"""The closed-investigation survey reproduces PM #1 within sampling error."""

from __future__ import annotations

import json

import polars as pl
import pytest

from .stats import within

pytestmark = pytest.mark.slow


def count(frame: pl.DataFrame, expr: pl.Expr) -> tuple[int, int]:
    return int(frame.select(expr.sum()).item()), frame.height


def test_size_units_and_columns(survey) -> None:
    result, data, facit = survey
    assert data.height == facit.height == 21_858
    assert data["kommunkod"].n_unique() == 134
    assert {"kon", "alder", "utsatthet", "behov", "insats", "anledningar"} <= set(data.columns)
    model = json.loads(result.model.read_text(encoding="utf-8"))
    assert model["koefficienter"]["diagnos"] == pytest.approx(0.45)


@pytest.mark.parametrize(
    ("level", "share", "need", "intervention"),
    [("ingen", 0.11, 0.14, 0.13), ("hemmiljo", 0.61, 0.51, 0.32),
     ("eget_beteende", 0.13, 0.58, 0.46), ("bada", 0.15, 0.75, 0.56)],
)  # fmt: skip
def test_table_1_vulnerability_need_intervention(survey, level, share, need, intervention) -> None:
    _, data, _ = survey
    assert within(*count(data, pl.col("utsatthet") == level), share)
    group = data.filter(pl.col("utsatthet") == level)
    assert within(*count(group, pl.col("behov") == 1), need)
    assert within(*count(group, pl.col("insats") == 1), intervention)


@pytest.mark.parametrize(
    ("expr", "published"),
    [(pl.col("kon") == "pojke", 0.53), (pl.col("bakgrund") == "svensk", 0.56),
     (pl.col("bakgrund") == "utlandsk", 0.29), (pl.col("boende") == "bada_foraldrarna", 0.41),
     (pl.col("diagnos") != "ingen", 0.20), (pl.col("egen_kriminalitet") == 1, 0.06),
     (pl.col("tidigare_utredd") == 1, 0.50), (pl.col("tidigare_insats") == 1, 0.20),
     (pl.col("behov") == 1, 0.52), (pl.col("insats") == 1, 0.36)],
)  # fmt: skip
def test_published_shares(survey, expr: pl.Expr, published: float) -> None:
    _, data, _ = survey
    assert within(*count(data, expr), published, z=3.5)


def test_municipality_size_shares(survey) -> None:
    _, _, facit = survey
    for band, share in {
        "over_100k": 0.42,
        "40k_100k": 0.28,
        "20k_40k": 0.16,
        "upp_till_20k": 0.14,
    }.items():
        assert within(*count(facit, pl.col("kommunstorlek") == band), share)


def test_intervention_after_report_and_application(survey) -> None:
    _, data, _ = survey
    for kind, published in (("anmalan", 0.32), ("ansokan", 0.61)):
        rows = data.filter(pl.col("aktualiseringstyp") == kind)
        assert within(*count(rows, pl.col("insats") == 1), published)


def test_criminality_mostly_boys(survey) -> None:
    _, data, _ = survey
    crime = data.filter(pl.col("egen_kriminalitet") == 1)
    assert within(*count(crime, pl.col("kon") == "pojke"), 0.76)


def test_age_gradient_of_interventions(survey) -> None:
    """23 % at age 1, nearly twice that at 14, falling again from 15 (PM #1 figure 9)."""
    _, data, _ = survey
    by_age = dict(data.group_by("alder").agg(pl.col("insats").mean()).iter_rows())
    assert within(*count(data.filter(pl.col("alder") == 1), pl.col("insats") == 1), 0.23)
    assert 1.7 <= by_age[14] / by_age[1] <= 2.3
    assert data.filter(pl.col("alder") >= 15)["insats"].mean() < by_age[14]


def test_applications_twice_as_common_with_swedish_background(survey) -> None:
    _, data, _ = survey
    for background, published in (("svensk", 0.14), ("utlandsk", 0.07)):
        rows = data.filter(pl.col("bakgrund") == background)
        assert within(*count(rows, pl.col("aktualiseringstyp") == "ansokan"), published)


def test_the_regression_recovers_the_generating_model(survey) -> None:
    """The estimates of the true model's structure cover its coefficients (issue 5)."""
    from nuso.core.analysis.regression import fit_logistic

    result, _, facit = survey
    model = json.loads(result.model.read_text(encoding="utf-8"))
    groups = ((0, 2), (3, 5), (6, 8), (9, 11), (12, 14), (15, 17))
    bands = {age: f"{low}-{high}" for low, high in groups for age in range(low, high + 1)}
    frame = facit.with_columns(
        pl.col("alder").replace_strict(bands, return_dtype=pl.String).alias("aldersgrupp"),
        (pl.col("diagnos") != "ingen").cast(pl.Int8).alias("diagnos"),
    )
    references = dict(model["referensnivaer"]) | {
        "utsatthet": "",
        "diagnos": None,
        "egen_kriminalitet": None,
    }
    terms = fit_logistic(frame, "insats", references, intercepts="utsatthet")
    estimated = {term.name: term for term in terms}
    missed = [
        name for name, true in model["koefficienter"].items()
        if not estimated[name].low <= true <= estimated[name].high
    ]  # fmt: skip
    # 22 coefficients at 95 %: about one misses by chance (this seed: one, just outside).
    assert len(missed) <= 2, missed
    assert set(estimated) == set(model["koefficienter"])
