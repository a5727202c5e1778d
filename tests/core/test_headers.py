"""Headers read by their meaning: each form a case system writes a variable's name in maps to
that variable, by a rule the report names; a header two variables fit maps to neither."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nuso.core.harmonise.codebook import shipped_codebook
from nuso.core.harmonise.dictionary import shipped_dictionaries
from nuso.core.intake.headers import HeaderReader, same_word
from nuso.core.intake.layout import alias_index, locate_table
from nuso.core.intake.reading import RawSheet

REFERRALS = next(d for d in shipped_dictionaries(shipped_codebook()) if d.slug == "aktualiseringar")
ALIASES = alias_index(REFERRALS)

FORMS = [
    # unit in parentheses and a possessive
    ("Barnets ålder (år)", "alder"),
    ("Den unges ålder", "alder"),
    # plural marker
    ("Aktualiseringsorsak(er)", "orsaker"),
    ("Anledning(ar)", "orsaker"),
    ("Åtgärd(er)", "atgard"),
    # "datum för", "typ av", "efter": the head word decides
    ("Datum för aktualisering", "aktualiseringsdatum"),
    ("Typ av aktualisering", "aktualiseringstyp"),
    ("Åtgärd efter förhandsbedömning", "atgard"),
    ("Skäl till aktualisering", "orsaker"),
    ("Ålder (år) vid aktualiseringsdatum", "alder"),
    # compounds and inflections
    ("Anmälningsorsak", "orsaker"),
    ("Problemområden", "orsaker"),
    ("Vidtagen åtgärd", "atgard"),
    ("Kön (F/P)", "kon"),
    ("Barnets personnummer", "personnummer"),
    ("Orsak 3", "orsaker"),
]
# A case system's field names: camel case, in English or half English. Their case tells where
# the words part ("ClientAge"), so the property that case does not matter is not theirs.
FIELD_NAMES = [
    ("ClientGender", "kon"),
    ("ClientAge", "alder"),
    ("RegistrationDate", "aktualiseringsdatum"),
    ("ActualisationType", "aktualiseringstyp"),
    ("ActualisationReason", "orsaker"),
    ("AktDatum", "aktualiseringsdatum"),
    ("BarnetsKön", "kon"),
    ("BirthDate", "fodelsedatum"),  # a date, but of birth: never the referral's
    ("BIRTH_DATE (YYYYMMDD)", "fodelsedatum"),
]


@pytest.mark.parametrize(("header", "target"), FORMS + FIELD_NAMES)
def test_a_header_form_maps_to_its_variable(header: str, target: str) -> None:
    assert ALIASES.match(header).target == target


@pytest.mark.parametrize(("header", "target"), FORMS + FIELD_NAMES)
def test_each_header_form_maps_its_column_in_a_file(header: str, target: str) -> None:
    """A sheet whose only unusual header is this one: the column is mapped, by name."""
    others = [h for h in ("Kön", "Åtgärd", "Typ") if ALIASES.match(h).target != target]
    rows = [[header, *others]] + [["x", "F", "Utredning inleds", "Anmälan"][: 1 + len(others)]] * 6
    table = locate_table(RawSheet("Blad1", rows), REFERRALS)
    assert table is not None
    column = table.columns[0]
    assert (column.target, column.how) == (target, "namn"), column
    assert column.rule.startswith("rubrikens ord") or column.rule == ""


def test_a_header_two_variables_fit_is_reported_with_both_and_mapped_to_neither() -> None:
    match = ALIASES.match("Kön och ålder")
    assert match.target == ""
    assert set(match.candidates) == {"kon", "alder"}


def test_a_header_that_names_nothing_known_is_no_guess() -> None:
    assert ALIASES.match("Handläggare").target == ""
    assert ALIASES.match("Förälder").target == ""  # "för|älder" is no compound of ålder


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö", min_size=1, max_size=10)


@given(st.sampled_from(FORMS), st.sampled_from(["", " ", "  "]), st.booleans())
def test_case_spaces_and_punctuation_do_not_matter(form, padding: str, upper: bool) -> None:
    header, target = form
    written = (header.upper() if upper else header.lower()).replace(" ", f" {padding}")
    assert ALIASES.match(f"{padding}{written}:{padding}").target == target


@given(st.sampled_from(FORMS), st.sampled_from(["(år)", "(antal)", "(ÅÅÅÅ-MM-DD)", "(F/P)"]))
def test_a_parenthesis_adds_nothing(form, parenthesis: str) -> None:
    header, target = form
    assert ALIASES.match(f"{header} {parenthesis}").target == target


@given(words, st.sampled_from(["", "e", "n", "er", "ar", "en", "et", "s", "erna"]))
def test_a_word_is_the_same_word_with_an_inflection(word: str, ending: str) -> None:
    if len(word) >= 3:
        assert same_word(word, word + ending)
        assert same_word(word + ending, word)


@given(words, words)
def test_a_compound_is_never_the_same_word_as_its_first_part(first: str, second: str) -> None:
    if len(first) >= 3 and len(second) >= 4:
        assert not same_word(first, first + second) or second in {"erna", "arna", "orna"}


def test_shared_words_weigh_less_than_the_head_word() -> None:
    aliases = {
        "a": ["datum", "aktualiseringsdatum"],
        "b": ["aktualisering"],
        "c": ["aktualiseringsorsak"],
        "d": ["ålder vid aktualisering"],
    }
    reader = HeaderReader(aliases)
    assert reader.read("Datum för aktualisering").target == "a"


@pytest.mark.parametrize(
    "header",
    ["Mammas ålder", "Pnr vårdnadshavare", "Anmälarens kön", "Kommun anmälare",
     "Datum för avslut", "Orsak till avslut", "Typ av insats", "Ålder i månader"],
)  # fmt: skip
def test_a_header_about_someone_or_something_else_is_no_match(header: str) -> None:
    match = ALIASES.match(header)
    assert match.target == ""
    assert match.candidates  # reported with the variable it looked like


def test_the_surest_column_keeps_a_variable_named_twice() -> None:
    rows = [["Mammas ålder", "Ålder", "Kön", "Åtgärd"]] + [["40", "7", "F", "Utredning inleds"]] * 6
    table = locate_table(RawSheet("Blad1", rows), REFERRALS)
    assert table is not None
    assert [c.target for c in table.columns] == ["", "alder", "kon", "atgard"]


def test_a_header_row_of_field_names_is_the_header_not_a_data_row_below_it() -> None:
    """Field names the aliases spell in no language ("CaseId", "OrgUnit") beside ones read
    by their words: the first row is the header, never a data row whose value happens to be
    a header word ("Övrig aktualisering")."""
    header = ["CaseId", "RegistrationDate", "ClientGender", "ClientAge", "ActualisationType",
              "ActualisationReason", "Decision", "OrgUnit"]  # fmt: skip
    row = ["AKT-1", "2023-01-02", "K", "5", "Anmälan", "Oro", "Inled utredning", "Mottagning"]
    later = ["AKT-9", "2023-02-02", "M", "9", "Övrig aktualisering", "Skolk", "Ingen", "Jour"]
    table = locate_table(RawSheet("", [header, *[row] * 20, later]), REFERRALS)
    assert table is not None
    assert table.header_row == 1
    assert {c.target for c in table.columns} >= {"kon", "alder", "orsaker", "atgard"}
