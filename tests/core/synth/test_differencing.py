"""Disclosure control against differencing (issue 16, item 4), on the synthetic survey with
the study's shipped tables, attacked as a municipal user would attack it (`attack`): with
everything they can fetch and every count of their own unit from their own rows."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from nuso.core.analysis.indicators.engine import Results, compute
from nuso.core.analysis.indicators.inputs import StudyInput
from nuso.core.harmonise.codebook import shipped_codebook
from nuso.core.harmonise.dictionary import shipped_dictionaries
from nuso.core.units import SIZE_BANDS, SKR_GROUPS

from .attack import Knowledge, bounds, determined, what_a_unit_sees
from .test_survey_tables import survey_input

THRESHOLD = 5
# Stockholm's county (the example, units of every size) and Västra Götaland's (so that
# Stockholm is not alone among the big cities)
COUNTIES = ("01", "14")
AGE_GROUPS = {f"{low}-{low + 2}": [str(a) for a in range(low, low + 3)] for low in range(0, 18, 3)}
GROUPINGS = {"aldersgrupp": ("alder", AGE_GROUPS | {"uppgift_saknas": ["uppgift_saknas"]})}


def categories(slug: str) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """Every dimension's codes in codebook order, as the platform gives them."""
    codebook = shipped_codebook()
    dictionary = next(d for d in shipped_dictionaries(codebook) if d.slug == slug)
    found = {"storleksgrupp": tuple(b.code for b in SIZE_BANDS), "kommungrupp": tuple(SKR_GROUPS)}
    for variable in dictionary.variables:
        if variable.codebook:
            codes = codebook.variables[variable.codebook].codes
            found[variable.name] = tuple(c.code for c in codes)
        elif variable.categories:
            found[variable.name] = tuple(variable.categories)
        elif variable.type == "boolean":
            found[variable.name] = ("ja", "nej")
        elif variable.type == "integer" and variable.min is not None and variable.max is not None:
            found[variable.name] = tuple(str(n) for n in range(variable.min, variable.max + 1))
    for derived in dictionary.derived:
        if derived.codebook:
            found[derived.name] = tuple(c.code for c in codebook.variables[derived.codebook].codes)
    multi = frozenset(v.name for v in dictionary.variables if v.type == "categories")
    return found, multi


@pytest.fixture(scope="module")
def county_survey(survey) -> StudyInput:
    _, _, facit = survey
    code = pl.col("kommunkod").cast(pl.String).str.zfill(4)
    found, multi = categories("avslutade_utredningar")
    study = survey_input(facit.filter(code.str.slice(0, 2).is_in(COUNTIES)))
    return dataclasses.replace(study, categories=found, multi_valued=multi)


@pytest.fixture(scope="module")
def results(county_survey) -> tuple[Results, Results]:
    return compute(county_survey, THRESHOLD), compute(county_survey, None)


def units(study: StudyInput) -> list[str]:
    return sorted(study.frame["enhet"].unique().to_list())


def test_no_published_level_less_a_units_own_rows_leaves_a_small_rest(results) -> None:
    """The county's, group's, size band's or nation's count less the unit's own is the
    rest's: 1–4 there is a small count of other units' children."""
    protected, plain = results
    exposed = []
    for unit in units(protected.source):
        knowledge = what_a_unit_sees(protected, plain, unit, GROUPINGS)
        exposed += [
            (unit, key, knowledge.others(key))
            for key, (value, shown) in knowledge.counts.items()
            if shown and key[3] in knowledge.own_levels and 0 < knowledge.others(key) < THRESHOLD
        ]
    assert exposed == []


@pytest.mark.parametrize("unit", ["0180", "0114"])  # Stockholm, Upplands Väsby
def test_no_hidden_count_of_others_follows_from_the_sums(results, unit) -> None:
    """Ages against age groups, filtered views against whole tables, the unit against its
    county and the nation: no hidden count of other units is fixed by the sums."""
    protected, plain = results
    knowledge = what_a_unit_sees(protected, plain, unit, GROUPINGS)
    assert any(not known for _, known in knowledge.counts.values())
    assert [key for key in determined(knowledge) if protected_count(knowledge, key)] == []


def protected_count(knowledge: Knowledge, key: tuple) -> bool:
    """A count of others that suppression protects where it hides it. A share's records
    without the outcome are no table's cell: not shown where the share's count or total is
    hidden, and protected only where small (the engine may leave a larger one public, and
    the sums may then give it)."""
    others = knowledge.others(key)
    return others > 0 and (key[0] != "nej" or others < THRESHOLD)


def test_the_integer_programming_attack_pins_no_hidden_count(results) -> None:
    """Every small hidden count of other units keeps at least as many possible values as a
    suppressed count has (0 to threshold − 1), given all the reader knows and that counts
    are whole and never negative (scipy's milp)."""
    protected, plain = results
    knowledge = what_a_unit_sees(protected, plain, "0180", GROUPINGS)
    assert narrow(knowledge) is None


def narrow(knowledge: Knowledge) -> tuple | None:
    """The first small hidden count of others (1 to THRESHOLD − 1: what suppression
    protects) bounded to fewer than THRESHOLD values."""
    hidden = [key for key, (_, known) in knowledge.counts.items()
              if not known and 0 < knowledge.others(key) < THRESHOLD]  # fmt: skip
    for key, (low, high) in bounds(knowledge, hidden):
        if high - low + 1 < THRESHOLD:
            return key, knowledge.counts[key][0], (low, high)
    return None


def test_no_municipal_user_sees_a_whole_cell(results) -> None:
    """'8 av 8': a published count equal to its total tells that everyone counted has the
    attribute (issue 17, item 7). Only the category of records without a value says nothing.
    (A funnel step on the variable a table is broken down by, 100 % by definition, is not
    published at all.)"""
    protected, _ = results
    seen = []
    for unit in units(protected.source):
        for name, rows in protected.for_unit(unit).items():
            definition = protected.definitions[name]
            if definition.kind == "logistic":
                continue
            whole = rows.filter(
                (pl.col("antal") == pl.col("total")) & (pl.col("total") > 0)
                & pl.all_horizontal([pl.col(d).cast(pl.String) != "samtliga"
                                     for d in definition.dimensions] or [pl.lit(True)])
            )  # fmt: skip
            if definition.kind == "distribution":
                attributes = [d for d in definition.dimensions if d != definition.within]
                for dimension in attributes:
                    whole = whole.filter(pl.col(dimension).cast(pl.String) != "uppgift_saknas")
            seen += [(unit, name, row) for row in whole.head(3).iter_rows(named=True)]
    assert seen == []
