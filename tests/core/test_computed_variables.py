"""Derived variables computed with the tables, a study's case and a table's `where`, as the
dictionary's loader reads them: each bad declaration is refused with a Swedish problem that
names the study's file and the key."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from nuso.core.errors import InputError
from nuso.core.harmonise.codebook import shipped_codebook
from nuso.core.harmonise.dictionary import (
    StudyDictionary,
    dictionary_from_stored,
    parse_dictionary,
    shipped_dictionaries,
)

FILE = "uppfoljning.yaml"
STUDY: dict[str, Any] = {
    "slug": "uppfoljning",
    "variables": [
        {"name": "tillfalle", "type": "category",
         "categories": {"beslut": "Vid beslut", "avslut": "Vid avslut"}},
        {"name": "beslutsdatum", "type": "date"},
        {"name": "avslutsdatum", "type": "date", "required": False},
        {"name": "insats", "type": "category", "categories": {"a": "A", "b": "B", "c": "C"}},
        {"name": "risk", "type": "category",
         "categories": {"lag": "Låg", "hog": "Hög", "ej_kant": "Ej känt"}},
        {"name": "samtal", "type": "categories", "categories": {"enskilt": "Enskilt"}},
        {"name": "kon", "type": "category", "codebook": "kon"},
    ],
    "source_columns": [{"role": "personnummer", "aliases": ["pnr"]}],
    "case": {"occasion": "tillfalle", "key": ["insats", "beslutsdatum"]},
    "derived": [
        {"name": "grupp", "groups_of": "insats",
         "groups": {"x": {"label": "X", "codes": ["a", "b"]}, "y": {"label": "Y", "codes": ["c"]}}},
        {"name": "risk_vid_beslut", "value_of": "risk", "at": "beslut"},
        {"name": "riskforandring", "change_of": "risk", "between": ["beslut", "avslut"],
         "order": ["lag", "hog"]},
        {"name": "tid", "months_between": ["beslutsdatum", "avslutsdatum"],
         "bands": [{"code": "kort", "label": "Kort", "from": 0},
                   {"code": "lang", "label": "Lång", "from": 6}]},
    ],
    "tables": [
        {"name": "forandring", "kind": "distribution", "dimensions": ["riskforandring"],
         "where": {"tillfalle": "avslut"}},
    ],
}  # fmt: skip


def study(change: Any = None) -> dict[str, Any]:
    """The valid study above, changed by `change(data)`."""
    data = copy.deepcopy(STUDY)
    if change is not None:
        change(data)
    return data


def derived(name: str) -> Any:
    """A function changing the derived variable `name` of a study by a dict of keys (None
    removes the key)."""

    def change(**keys: Any) -> Any:
        def apply(data: dict[str, Any]) -> None:
            entry = next(d for d in data["derived"] if d["name"] == name)
            for key, value in keys.items():
                if value is None:
                    entry.pop(key, None)
                else:
                    entry[key] = value

        return apply

    return change


def where(value: Any, dimensions: list[str] | None = None) -> Any:
    def apply(data: dict[str, Any]) -> None:
        data["tables"][0]["where"] = value
        if dimensions is not None:
            data["tables"][0]["dimensions"] = dimensions

    return apply


def problems(data: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
    with pytest.raises(InputError) as error:
        parse_dictionary(data, shipped_codebook(), FILE)
    assert {p.file for p in error.value.problems} == {FILE}
    return [(p.code, p.column, p.value) for p in error.value.problems]


def test_a_study_with_a_case_and_computed_variables_is_read() -> None:
    parsed = parse_dictionary(study(), shipped_codebook(), FILE)
    assert parsed.case is not None
    assert (parsed.case.occasion, parsed.case.key) == ("tillfalle", ("insats", "beslutsdatum"))
    assert [(c.name, c.kind) for c in parsed.computed] == [
        ("grupp", "groups_of"), ("risk_vid_beslut", "value_of"),
        ("riskforandring", "change_of"), ("tid", "months_between"),
    ]  # fmt: skip
    assert parsed.derived == ()  # none decided at import
    assert parsed.tables[0].where == (("tillfalle", "avslut"),)
    assert parsed.computed[3].bands[1].start == 6
    # stored as JSON with the study, and read back the same
    assert dictionary_from_stored(json.loads(json.dumps(parsed.as_data()))) == parsed


def test_a_where_of_one_listed_value_is_that_value() -> None:
    parsed = parse_dictionary(study(where({"tillfalle": ["avslut"]})), shipped_codebook(), FILE)
    assert parsed.tables[0].where == (("tillfalle", "avslut"),)


riskforandring, tid, grupp = derived("riskforandring"), derived("tid"), derived("grupp")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (riskforandring(change_of="saknas"),
         ("bad-derived", "derived.riskforandring.change_of", "saknas")),
        (riskforandring(change_of="samtal"),  # several values: no order to compare
         ("bad-derived", "derived.riskforandring.change_of", "samtal")),
        (riskforandring(order=["lag", "mellan", "hog"]),
         ("bad-derived", "derived.riskforandring.order", "mellan")),
        (riskforandring(order=["lag"]), ("bad-derived", "derived.riskforandring.order", None)),
        (riskforandring(between=["beslut", "uppfoljning"]),
         ("bad-derived", "derived.riskforandring.between", "uppfoljning")),
        (riskforandring(between=["avslut", "avslut"]),
         ("bad-derived", "derived.riskforandring.between", "['avslut', 'avslut']")),
        (riskforandring(betwen=["beslut", "avslut"]),  # a typing error is no key
         ("bad-derived", "derived.riskforandring.betwen", None)),
        (riskforandring(**{"from": "risk"}),
         ("bad-derived", "derived.riskforandring", "change_of")),
        (derived("risk_vid_beslut")(at="uppfoljning"),
         ("bad-derived", "derived.risk_vid_beslut.at", "uppfoljning")),
        (tid(months_between=["beslutsdatum", "insats"]),
         ("bad-derived", "derived.tid.months_between", "['beslutsdatum', 'insats']")),
        (tid(bands=[{"code": "kort", "from": 3}, {"code": "lang", "from": 3}]),
         ("bad-derived", "derived.tid.bands[1].from", "3")),
        (tid(bands=[{"code": "kort", "from": -1}]),
         ("bad-derived", "derived.tid.bands[0].from", "-1")),
        (tid(bands=None), ("bad-derived", "derived.tid.bands", None)),
        (grupp(groups={"x": {"codes": ["a", "b"]}, "y": {"codes": ["b", "c"]}}),
         ("bad-derived", "derived.grupp.groups.y", "b")),
        (grupp(groups={"x": {"codes": ["a", "z"]}}),
         ("bad-derived", "derived.grupp.groups.x", "z")),
    ],
)  # fmt: skip
def test_a_bad_computed_variable_is_refused_naming_its_key(change, expected) -> None:
    assert problems(study(change)) == [expected]


def test_a_case_variable_needs_the_studys_case() -> None:
    def without_case(data: dict[str, Any]) -> None:
        del data["case"]

    assert problems(study(without_case)) == [
        ("bad-derived", "derived.risk_vid_beslut.value_of", None),
        ("bad-derived", "derived.riskforandring.change_of", None),
    ]


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ({"occasion": "beslutsdatum", "key": ["insats"]},
         ("bad-case", "case.occasion", "beslutsdatum")),
        ({"occasion": "tillfalle", "key": ["insats", "samtal"]},
         ("bad-case", "case.key", "samtal")),
        ({"occasion": "tillfalle", "key": ["saknas"]}, ("bad-case", "case.key", "saknas")),
        ({"occasion": "tillfalle", "nyckel": ["insats"]}, ("bad-case", "case.nyckel", None)),
    ],
)  # fmt: skip
def test_a_bad_case_is_refused_naming_its_key(case, expected) -> None:
    def change(data: dict[str, Any]) -> None:
        data["case"] = case

    found = problems(study(change))
    assert found[0] == expected
    # the variables that read a case are refused with it: there is no case to read
    assert {p[1] for p in found[1:]} <= {
        "derived.risk_vid_beslut.value_of", "derived.riskforandring.change_of"
    }  # fmt: skip


def test_a_case_follows_a_child_so_the_study_needs_its_identity_number() -> None:
    def change(data: dict[str, Any]) -> None:
        data["source_columns"] = [{"role": "enhet", "aliases": ["kommun"]}]

    assert problems(study(change))[0] == ("bad-case", "case", None)


@pytest.mark.parametrize(
    ("change", "value"),
    [
        (where({"tillfalle": ["beslut", "avslut"]}), "tillfalle: ['beslut', 'avslut']"),
        (where({"tillfalle": "avslut"}, ["riskforandring", "tillfalle"]), "tillfalle"),
        (where({"tillfalle": "uppfoljning"}), "tillfalle: uppfoljning"),
        (where({"samtal": "enskilt"}), "samtal"),
        (where({"saknas": "x"}), "saknas"),
        (where({"kommungrupp": "A1"}), "kommungrupp"),
        (where(["tillfalle", "avslut"]), None),
    ],
)  # fmt: skip
def test_a_bad_where_is_refused_naming_the_table(change, value) -> None:
    assert problems(study(change)) == [("bad-table", "tables.forandring.where", value)]


def test_a_problem_tells_the_file_the_key_and_the_value_in_swedish() -> None:
    with pytest.raises(InputError) as error:
        parse_dictionary(study(riskforandring(order=["lag", "mellan"])), shipped_codebook(), FILE)
    (problem,) = error.value.problems
    assert problem.describe() == (
        "uppfoljning.yaml, kolumn 'derived.riskforandring.order', värde 'mellan': "
        "Koden finns inte i variabeln."
    )


def test_the_follow_up_study_declares_its_cases_and_results_over_time() -> None:
    studies: dict[str, StudyDictionary] = {
        d.slug: d for d in shipped_dictionaries(shipped_codebook())
    }
    follow_up = studies["insatsuppfoljning"]
    assert follow_up.case is not None
    assert follow_up.case.occasion == "tillfalle"
    change = next(c for c in follow_up.computed if c.name == "riskforandring")
    assert "ej_kant" in follow_up.variable("riskbedomning").categories
    assert "ej_kant" not in change.order  # no level of risk
    tables = {t.name: t for t in follow_up.tables}
    for name in ("riskforandring", "riskforandring_per_risk_vid_beslut",
                 "maluppfyllelse_per_insatstyp", "tid_till_avslut"):  # fmt: skip
        assert tables[name].where == (("tillfalle", "avslut"),), name
        assert tables[name].compare, name
        assert tables[name].sentence, name
    assert tables["tid_till_uppfoljning"].where == (("tillfalle", "uppfoljning"),)
    assert tables["enskilt_samtal_per_kon"].dimensions == ("tillfalle", "kon")
    assert tables["enskilt_samtal_per_ursprung"].dimensions == ("tillfalle", "ursprung")
