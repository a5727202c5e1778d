"""Our vectorised statistics against statsmodels and SciPy, the independent references."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from nuso.core.analysis.statistics import (
    benjamini_hochberg,
    chi_square_p,
    compare_shares,
    two_proportion_p,
    wilson_interval,
)

counts = st.integers(min_value=1, max_value=5_000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)


@given(counts)
def test_wilson_matches_statsmodels(pair: tuple[int, int]) -> None:
    k, n = pair
    low, high = wilson_interval(k, n)
    ref_low, ref_high = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert float(low) == pytest.approx(ref_low, abs=1e-9)
    assert float(high) == pytest.approx(ref_high, abs=1e-9)


def test_wilson_is_nan_for_an_empty_group() -> None:
    low, high = wilson_interval([0, 3], [0, 10])
    assert math.isnan(low[0]) and math.isnan(high[0])  # noqa: PT018
    assert not math.isnan(low[1])


@given(counts, counts)
def test_two_proportion_test_matches_statsmodels(a: tuple[int, int], b: tuple[int, int]) -> None:
    (k1, n1), (k2, n2) = a, b
    if k1 + k2 in (0, n1 + n2):
        assert math.isnan(float(two_proportion_p(k1, n1, k2, n2)))
        return
    _, reference = proportions_ztest([k1, k2], [n1, n2])
    assert float(two_proportion_p(k1, n1, k2, n2)) == pytest.approx(reference, rel=1e-6, abs=1e-12)


def test_small_counts_use_fishers_exact_test() -> None:
    p = compare_shares([2, 450], [6, 1000], [30, 300], [300, 1000])
    assert p[0] == pytest.approx(stats.fisher_exact([[2, 4], [30, 270]]).pvalue)
    _, z_reference = proportions_ztest([450, 300], [1000, 1000])
    assert p[1] == pytest.approx(z_reference)


@given(st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=1, max_size=40))
@settings(max_examples=200)
def test_benjamini_hochberg_matches_statsmodels(p_values: list[float]) -> None:
    _, reference, _, _ = multipletests(p_values, method="fdr_bh")
    assert np.allclose(benjamini_hochberg(p_values), reference)


def test_benjamini_hochberg_keeps_missing_values_missing() -> None:
    adjusted = benjamini_hochberg([0.01, float("nan"), 0.04])
    assert math.isnan(adjusted[1])
    assert adjusted[0] == pytest.approx(0.02)


def test_chi_square_matches_scipy_and_ignores_empty_categories() -> None:
    unit, group = [30, 10, 0, 5], [200, 150, 0, 80]
    reference = stats.chi2_contingency([[30, 10, 5], [200, 150, 80]], correction=False).pvalue
    assert chi_square_p(unit, group) == pytest.approx(reference)
    assert math.isnan(chi_square_p([0, 0], [5, 5]))


small_tables = st.tuples(
    st.integers(0, 40), st.integers(1, 40), st.integers(0, 400), st.integers(1, 400)
).filter(lambda t: t[0] <= t[1] and t[2] <= t[3])


@given(small_tables)
@settings(max_examples=300)
def test_fishers_exact_test_matches_scipy(table: tuple[int, int, int, int]) -> None:
    from nuso.core.analysis.statistics import fisher_p

    k1, n1, k2, n2 = table
    reference = stats.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue
    assert fisher_p(k1, n1, k2, n2) == pytest.approx(reference, rel=1e-9, abs=1e-14)


@given(st.lists(st.tuples(st.integers(0, 300), st.integers(0, 3000)), min_size=2, max_size=12))
def test_chi_square_matches_scipy_on_any_table(columns: list[tuple[int, int]]) -> None:
    unit, group = [c[0] for c in columns], [c[1] for c in columns]
    table = np.array([unit, group], dtype=float)
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2 or (table.sum(axis=1) == 0).any():
        assert math.isnan(chi_square_p(unit, group))
        return
    reference = stats.chi2_contingency(table, correction=False).pvalue
    assert chi_square_p(unit, group) == pytest.approx(reference, rel=1e-9, abs=1e-15)
