"""Each unit against its references: its municipality group (in Norway, which has no SKR
groups: its county, the fylke) and its size band (both without the unit, from the unit's
view) and the nation. Shares are tested against the rest of the
reference (two proportions, Benjamini–Hochberg within the unit's comparisons of a table), a
whole distribution with chi-square; each comparison row gets its sentence (`guidance`)."""

from __future__ import annotations

import numpy as np
import polars as pl

from nuso.core.analysis.indicators import guidance
from nuso.core.analysis.indicators.counting import NATION
from nuso.core.analysis.indicators.inputs import StudyInput
from nuso.core.analysis.statistics import (
    benjamini_hochberg,
    chi_square_p,
    compare_shares,
    wilson_interval,
)
from nuso.core.countries import NORWAY
from nuso.core.harmonise.table_definitions import TableDefinition

COMPARISON_LEVELS = ("kommungrupp", "storleksgrupp", "riket")  # Sweden's
# Norway has no SKR municipality groups: its units are compared with their fylke instead.
COUNTRY_LEVELS = {NORWAY: ("lan", "storleksgrupp", "riket")}
WHOLE_DISTRIBUTION = "samtliga"  # dimension value of a row testing the whole distribution


def comparison_levels(country: str) -> tuple[str, ...]:
    """The references a unit of `country` is compared with; the nation last."""
    return COUNTRY_LEVELS.get(country, COMPARISON_LEVELS)


def with_reference(
    views: pl.DataFrame, national: pl.DataFrame, level: str, table: TableDefinition
) -> pl.DataFrame:
    """Each unit's cells beside a reference: its group or size band without it (from the
    unit's view), or the nation (from the national tables: shown whole, and tested against
    the rest of the country)."""
    keys = ["period", *table.dimension_columns, "mangd"]
    unit = views.filter(pl.col("niva") == "kommun")
    renamed = (
        pl.col("enhet").alias("ref_enhet"),
        pl.col("antal").alias("ref_antal"), pl.col("total").alias("ref_total"),
        pl.col("antal_dold").alias("ref_antal_dold"), pl.col("total_dold").alias("ref_total_dold"),
    )  # fmt: skip
    if level == NATION:
        reference = national.filter(pl.col("niva") == NATION).select(*keys, *renamed)
        joined = unit.join(reference, on=keys, how="inner")
        rest_antal = pl.col("ref_antal") - pl.col("antal")
        rest_total = pl.col("ref_total") - pl.col("total")
    else:
        reference = views.filter(pl.col("niva") == level).select("jamforelse", *keys, *renamed)
        joined = unit.join(reference, on=["jamforelse", *keys], how="inner")
        rest_antal, rest_total = pl.col("ref_antal"), pl.col("ref_total")
    return joined.with_columns(
        rest_antal.alias("test_antal"), rest_total.alias("test_total")
    ).with_columns(
        (~(
            pl.col("antal_dold") | pl.col("total_dold") | pl.col("ref_antal_dold")
            | pl.col("ref_total_dold") | (pl.col("total") < guidance.MIN_COMPARABLE)
            | (pl.col("test_total") <= 0)
        )).alias("provbar")
    )  # fmt: skip


def compared(
    study: StudyInput, table: TableDefinition, joined: pl.DataFrame, level: str
) -> pl.DataFrame:
    if joined.is_empty():
        return joined
    p_raw = _p_values(joined)
    group = ["jamforelse", "period", *(["steg"] if table.kind == "funnel" else [])]
    adjusted = _adjust_by_group(joined.select(group), p_raw)
    joined = joined.with_columns(pl.Series("p_varde", adjusted).fill_nan(None))
    return _comparison_rows(study, table, joined, level)


def _p_values(joined: pl.DataFrame) -> np.ndarray:
    p = np.full(joined.height, np.nan)
    mask = joined["provbar"].to_numpy()
    if mask.any():
        p[mask] = compare_shares(
            *(joined[c].to_numpy()[mask] for c in ("antal", "total", "test_antal", "test_total"))
        )
    return p


def _adjust_by_group(groups: pl.DataFrame, p_values: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg within each unit's comparisons of one table (and funnel step)."""
    ids = groups.select(pl.struct(groups.columns).rank("dense").alias("g"))["g"].to_numpy()
    adjusted = np.full(p_values.shape, np.nan)
    order = np.argsort(ids, kind="stable")
    boundaries = np.flatnonzero(np.diff(ids[order])) + 1
    for segment in np.split(order, boundaries):
        adjusted[segment] = benjamini_hochberg(p_values[segment])
    return adjusted


def _comparison_rows(
    study: StudyInput, table: TableDefinition, joined: pl.DataFrame, level: str
) -> pl.DataFrame:
    shown_antal, shown_total = joined["ref_antal"].to_numpy(), joined["ref_total"].to_numpy()
    low, high = wilson_interval(shown_antal, shown_total)
    with np.errstate(divide="ignore", invalid="ignore"):
        shown_share = np.where(shown_total > 0, shown_antal / np.maximum(shown_total, 1), np.nan)
    frame = joined.with_columns(
        pl.Series("ref_andel", shown_share).fill_nan(None),
        pl.Series("ki_lag", low).fill_nan(None),
        pl.Series("ki_hog", high).fill_nan(None),
    )
    sentences = guidance.sentences(study, table, frame, level)
    return frame.select(
        pl.lit(level).alias("niva"),
        pl.col("ref_enhet").alias("enhet"),
        "period", *table.dimension_columns, "mangd",
        pl.col("ref_antal").alias("antal"),
        pl.col("ref_total").alias("total"),
        pl.col("ref_andel").alias("andel"),
        "ki_lag", "ki_hog",
        pl.col("enhet").alias("jamforelse"),
        "p_varde",
        pl.col("p_varde").lt(guidance.SIGNIFICANCE_LEVEL).alias("signifikant"),
        pl.Series("vagledning", sentences, pl.String),
        pl.col("ref_antal_dold").alias("antal_dold"),
        pl.col("ref_total_dold").alias("total_dold"),
    )  # fmt: skip


def distribution_tests(
    study: StudyInput, table: TableDefinition, joined: pl.DataFrame, level: str
) -> pl.DataFrame:
    """One row per unit testing its whole distribution against the reference (chi-square);
    its dimension columns say `samtliga`."""
    rows = []
    within = [table.within] if table.within else []
    keys = ["enhet", "period", "ref_enhet", *within]
    # The categories in a fixed order within each test as well: the chi-square sums them, and
    # floating-point sums in the order the joins happened to leave gave the same data p-values
    # differing in the last digits from run to run.
    categories = [c for c in table.dimension_columns if c not in within]
    ordered = joined.sort([*keys, *categories])
    starts = ordered.select(pl.struct(keys).rle_id().alias("g"))["g"].to_numpy()
    bounds = np.flatnonzero(np.diff(starts)) + 1
    columns = {c: ordered[c].to_numpy() for c in ("antal", "test_antal", "total", "ref_total")}
    hidden_any = (ordered["antal_dold"] | ordered["ref_antal_dold"]).to_numpy()
    total_hidden = ordered["total_dold"].to_numpy()
    ref_hidden = ordered["ref_total_dold"].to_numpy()
    labels = ordered.select(keys).to_numpy()
    for segment in np.split(np.arange(ordered.height), bounds):
        if segment.size == 0:
            continue
        first = segment[0]
        code, period, reference, *kept = labels[first]
        total = int(columns["total"][first])
        too_few = bool(hidden_any[segment].any()) or total < guidance.MIN_COMPARABLE
        p = float("nan")
        if not too_few:
            p = chi_square_p(columns["antal"][segment], columns["test_antal"][segment])
        selected = dict(zip(within, kept, strict=True))
        rows.append({
            "niva": level, "enhet": reference, "period": period,
            **dict.fromkeys(table.dimension_columns, WHOLE_DISTRIBUTION),
            **selected,
            "antal": total, "total": int(columns["ref_total"][first]),
            "andel": None, "ki_lag": None, "ki_hog": None,
            "jamforelse": code, "p_varde": None if np.isnan(p) else p,
            "signifikant": guidance.is_significant(p),
            "vagledning": guidance.distribution_sentence(
                study, table, code, level, reference, p, too_few, selected
            ),
            "antal_dold": bool(total_hidden[first]),
            "total_dold": bool(ref_hidden[first]),
        })  # fmt: skip
    return pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame()
