"""Guidance sentences: a filtered view's sentences name the selection, and the sentences
composed from the published rows (for a page in another language) say what the engine's say."""

from __future__ import annotations

import polars as pl
import pytest

from nuso.core.analysis.indicators import guidance
from nuso.core.analysis.indicators.comparisons import WHOLE_DISTRIBUTION, comparison_levels
from nuso.core.analysis.indicators.engine import compute

from .test_indicators import THRESHOLD, comparison, make_records, study_of


def test_a_filtered_views_guidance_names_its_selection() -> None:
    assert guidance.selection_phrase("Åldersgrupp", "15-17", "15–17 år") == "bland 15–17-åringar"
    assert guidance.selection_phrase("Kön", "flicka", "Flicka") == "bland dem vars kön är flicka"
    assert guidance.selection_phrase("Kön", "uppgift_saknas", "Uppgift saknas") == (
        "bland dem utan uppgift om kön"
    )
    template = "är {andel} av aktualiseringarna av typen {typ}"
    selected = comparison(selection="bland 15–17-åringar", subject={"typ": "Anmälan"})
    assert guidance.sentence(template, selected) == (
        "I Karlstad, bland 15–17-åringar, är 45\u00a0% av aktualiseringarna av typen anmälan, "
        "jämfört med 36\u00a0% i kommungruppen. Skillnaden är statistiskt säkerställd."
    )
    assert guidance.sentence(template, comparison(selection="bland 15–17-åringar",
                                                  unit_total=6)) == (
        "I Karlstad, bland 15–17-åringar, är antalet för litet för att jämföra."
    )  # fmt: skip


def test_guidance_in_english_says_what_the_swedish_says() -> None:
    english = comparison(reference_phrase="in Sweden")
    assert guidance.sentence("{andel} of referrals lead to an investigation", english,
                             guidance.ENGLISH) == (
        "In Karlstad, 45% of referrals lead to an investigation, compared with 36% in Sweden. "
        "The difference is statistically significant."
    )  # fmt: skip
    assert guidance.percent(0.045, wording=guidance.ENGLISH) == "4.5%"
    assert guidance.sentence("", comparison(unit_total=6), guidance.ENGLISH) == (
        "In Karlstad, the number is too small to compare."
    )


@pytest.mark.parametrize("country", ["SE", "NO"])
@pytest.mark.parametrize("threshold", [None, THRESHOLD])
def test_sentences_from_the_published_rows_are_the_engines(threshold, country) -> None:
    """Every comparison row's sentence, composed again from what is published (hidden
    counts empty), is the one the engine wrote: so the English one says the same. A
    Norwegian study's too (compared with the fylke)."""
    study = study_of(make_records(11), country)
    results = compute(study, threshold)
    checked = checked_whole = 0
    for name, rows in results.tables.items():
        table = results.definitions[name]
        if not table.compare:
            continue
        columns = ["enhet", "period", *table.dimension_columns]
        own = {tuple(r[c] for c in columns): r
               for r in rows.filter(pl.col("niva") == "kommun").iter_rows(named=True)}  # fmt: skip
        compared = rows.filter(pl.col("niva").is_in(comparison_levels(country))
                               & pl.col("jamforelse").is_not_null())  # fmt: skip
        for row in compared.iter_rows(named=True):
            if WHOLE_DISTRIBUTION in [row[c] for c in table.dimension_columns]:
                again = guidance.published_distribution_sentence(study, table, row)
                assert again == row["vagledning"]
                checked_whole += 1
                continue
            unit = own[(row["jamforelse"], *(row[c] for c in columns[1:]))]
            again = guidance.published_comparison(study, table, unit, row)
            assert guidance.sentence(table.sentence, again) == row["vagledning"]
            checked += 1
    assert checked > 100
    assert checked_whole > 10
