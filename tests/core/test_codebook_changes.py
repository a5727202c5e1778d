"""What a changed codebook changes and where its removed codes go, and the problems of
hand-written codebooks and study dictionaries, each naming its key."""

from __future__ import annotations

import pytest

from nuso.core.errors import InputError
from nuso.core.harmonise.codebook import Code, Codebook, Variable, parse_codebook, shipped_codebook
from nuso.core.harmonise.codebook_changes import compare, crosswalk, renamed
from nuso.core.harmonise.dictionary import StudyDictionary, parse_dictionary
from nuso.core.harmonise.dictionary_changes import (
    compare_dictionaries,
    refuse_what_records_cannot_follow,
)


def book(*codes: Code, version: int = 1) -> Codebook:
    return Codebook(version, "", {"orsak": Variable("orsak", "Orsak", codes)})


OLD = book(
    Code("a", "A", {"synonyms": ["aa"], "rules": ["a b"]}),
    Code("b", "B", {"side": "hem"}),
    Code("c", "C"),
)


def test_the_same_codebook_changes_nothing() -> None:
    assert compare(OLD, OLD).empty
    assert compare(OLD, OLD).lines() == []


def test_each_kind_of_change_is_found() -> None:
    new = book(
        Code("c", "C"),  # moved first
        Code("a", "Ä", {"synonyms": ["aa", "ab"], "rules": []}),
        Code("d", "D"),
        Code("b", "B", {"side": "barn"}),
    )
    assert compare(OLD, new).lines() == [
        "orsak: ny kod d ('D')",
        "orsak: ny etikett a: 'A' → 'Ä'",
        "orsak: synonymer ändrade a: + 'ab'",
        "orsak: regler ändrade a: − 'a b'",
        "orsak: egenskaper ändrade b: {'side': 'hem'} → {'side': 'barn'}",
        "orsak: ny ordning (c, a, b)",
    ]


def test_variables_added_and_removed_are_told() -> None:
    new = Codebook(2, "", {"kon": Variable("kon", "Kön", (Code("f", "F"),))})
    diff = compare(OLD, new)
    assert (diff.added_variables, diff.removed_variables) == (("kon",), ("orsak",))


def test_the_crosswalk_holds_every_code_in_force() -> None:
    new = book(Code("a", "A"), Code("x", "X"), Code("y", "Y"))
    declared = {"orsak": {"b": ["x", "y"]}}
    assert crosswalk(OLD, new, declared, "k.yaml") == {
        "orsak": {"a": ["a"], "b": ["x", "y"], "c": []}  # c removed without successor: review
    }


def test_only_a_code_that_became_one_other_is_renamed() -> None:
    walk = {"orsak": {"a": ["a"], "b": ["x"], "c": ["x", "y"], "d": []}}
    assert renamed(walk) == {"orsak": {"b": "x"}}


def test_a_crosswalk_names_the_key_of_each_problem() -> None:
    new = book(Code("a", "A"), Code("x", "X"))
    declared = {"orsak": {"a": "x", "b": "saknas", "zz": "x"}, "kon": {"f": "k"}}
    with pytest.raises(InputError) as error:
        crosswalk(OLD, new, declared, "k.yaml")
    assert [(p.column, p.value) for p in error.value.problems] == [
        ("crosswalk.orsak.a", None),  # still in the new codebook
        ("crosswalk.orsak.b", "saknas"),  # no such code in the new one
        ("crosswalk.orsak.zz", "zz"),  # no such code in force
        ("crosswalk.kon", None),  # no such variable
    ]


def test_a_codebook_that_is_not_one_names_the_key() -> None:
    with pytest.raises(InputError) as error:
        parse_codebook("version: 2\nvariables: [kon]\n")
    assert [p.column for p in error.value.problems] == ["variables"]
    with pytest.raises(InputError) as error:
        parse_codebook("version: 2\nvariables:\n  kon:\n    codes: [flicka, {code: p, label: P}]\n")
    assert [p.column for p in error.value.problems] == ["variables.kon.codes[0]"]


def test_a_broken_yaml_file_names_the_line() -> None:
    with pytest.raises(InputError) as error:
        parse_codebook("version: 2\nvariables:\n  kon: [\n", "k.yaml")
    (problem,) = error.value.problems
    assert (problem.code, problem.row) == ("bad-yaml", 4)


@pytest.mark.parametrize(
    ("data", "keys"),
    [
        ({"variables": [{"name": "a", "type": "text"}]}, ["slug"]),
        ({"slug": "Ny studie!", "variables": [{"name": "a", "type": "text"}]}, ["slug"]),
        ({"slug": "ny", "number": "ett", "variables": "a"}, ["number", "variables"]),
        ({"slug": "ny", "variables": [{"type": "text"}, "b"]},
         ["variables[0].name", "variables[1]"]),
        ({"slug": "ny", "variables": [{"name": "a", "type": "category", "categories": ["x"],
                                       "aliases": "a"}]},
         ["variables.a.categories", "variables.a.aliases"]),
        ({"slug": "ny", "variables": [{"name": "a", "type": "text"}], "tables": {"t": 1}},
         ["tables"]),
        ({"slug": "ny", "variables": [{"name": "a", "type": "färg"},
                                      {"name": "b", "type": "category", "codebook": "nej"}],
          "derived": [{"name": "c", "from": "d"}],
          "tables": [{"name": "t", "kind": "distribution", "dimensions": ["e"]}]},
         ["variables.a.type", "variables.b.codebook", "derived.c.from", "tables.t"]),
    ],
)  # fmt: skip
def test_a_study_dictionary_names_the_key_of_each_problem(data, keys) -> None:
    with pytest.raises(InputError) as error:
        parse_dictionary(data, shipped_codebook(), "ny.yaml")
    assert [p.column for p in error.value.problems] == keys
    assert all(p.file == "ny.yaml" for p in error.value.problems)


SURVEY = {
    "slug": "enkat",
    "variables": [
        {"name": "form", "type": "category", "categories": {"a": "A", "b": "B"}},
        {"name": "alder", "type": "integer", "max": 17},
    ],
    "tables": [{"name": "t", "kind": "distribution", "dimensions": ["form"]}],
}


def survey(**changes: object) -> StudyDictionary:
    return parse_dictionary({**SURVEY, **changes}, shipped_codebook(), "enkat.yaml")


def test_a_changed_dictionary_tells_each_change_by_its_key() -> None:
    new = survey(
        variables=[
            {"name": "form", "type": "category", "categories": {"a": "Ä", "c": "C"}},
            {"name": "kon", "type": "category", "codebook": "kon"},
        ],
        tables=[{"name": "t", "kind": "distribution", "dimensions": ["kon"]}],
    )
    assert [c.describe() for c in compare_dictionaries(survey(), new)] == [
        "variables.kon: ny typ category",
        "variables.alder: borttagen",
        "variables.form.categories.a: etikett 'A' → 'Ä'",
        "variables.form.categories.b: borttagen kategori",
        "variables.form.categories.c: ny kategori ('C')",
        "tables.t: ändrad",
    ]
    assert compare_dictionaries(survey(), survey()) == []


def test_records_cannot_follow_a_new_type_or_a_category_removed() -> None:
    new = survey(variables=[{"name": "form", "type": "text"}, {"name": "alder", "type": "text"}])
    with pytest.raises(InputError) as error:
        refuse_what_records_cannot_follow(survey(), new, "enkat.yaml")
    assert [(p.column, p.value) for p in error.value.problems] == [
        ("variables.form.type", "text"),
        ("variables.form.categories", "a"),
        ("variables.form.categories", "b"),
        ("variables.alder.type", "text"),
    ]


def test_variables_in_another_order_are_a_change() -> None:
    new = survey(variables=list(reversed(SURVEY["variables"])))
    assert [c.describe() for c in compare_dictionaries(survey(), new)] == [
        "variables: ny ordning (alder, form)"
    ]
