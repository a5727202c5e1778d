"""The import report: typed, stored as JSON and read back unchanged, every report stored by an
earlier version still readable, and a refused file's problems in the one shape of problems."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from nuso.core.errors import Problem
from nuso.core.harmonise.codebook import shipped_codebook
from nuso.core.harmonise.dictionary import shipped_dictionaries
from nuso.core.intake.delivery import (
    FileInterpreter,
    ImportPlan,
    Interpreted,
    LearnedMappings,
    Refused,
)
from nuso.core.intake.report import (
    ImportReport,
    ReportedUnit,
    RowCounts,
    UnitSource,
    ValueRead,
    merge_reports,
    refusal_text,
)
from nuso.core.intake.unit_names import UnitIndex, UnitRef

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CODEBOOK = shipped_codebook()
STUDIES = {d.slug: d for d in shipped_dictionaries(CODEBOOK)}
UNITS = UnitIndex([UnitRef("1780", "Karlstad"), UnitRef("1784", "Arvika")])


def plan(study: str = "aktualiseringar", unit_hint: str | None = "1780") -> ImportPlan:
    return ImportPlan(
        study=study,
        period="2023",
        period_middle=dt.date(2023, 7, 1),
        codebook_version=1,
        dictionary=STUDIES[study],
        codebook=CODEBOOK,
        learned=LearnedMappings(),
        units=UNITS,
        unit_hint=unit_hint,
        pseudonym_key="test-key-" + "0123456789" * 4,
        dry_run=True,
    )


def interpreted(path: Path, **given: str | None) -> Interpreted | Refused:
    return FileInterpreter(plan(**given)).attempt(path, path.read_bytes())


def report_of(path: Path) -> ImportReport:
    result = interpreted(path)
    assert isinstance(result, Interpreted)
    (part,) = result.parts
    return part.report


def stored_and_read(report: ImportReport) -> ImportReport:
    stored = json.loads(json.dumps(report.to_json()))  # as the database gives it back
    read = ImportReport.from_json(stored)
    assert read.to_json() == stored
    return read


@pytest.mark.parametrize(
    "name",
    [
        "title-rows-and-total-row.xlsx",  # skipped rows
        "windows-1252-semicolon.csv",  # an encoding
        "headers-the-dictionary-does-not-know.xlsx",  # columns read as nothing
    ],
)
def test_a_report_survives_its_round_trip_through_stored_json(name: str) -> None:
    report = report_of(CORPUS / name)
    assert stored_and_read(report) == report


def test_what_waits_for_review_and_its_suggestions_survive_the_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "Karlstad 2023.csv"
    path.write_text("Kön;Orsak;Åtgärd\nF;Nätkontakt;Ny utredning\nP;Kategori 7;Ny utredning\n")
    report = report_of(path)
    assert report.pending == {"orsaker": {"Nätkontakt": 1, "Kategori 7": 1}}
    assert report.suggestions["orsaker"]["Nätkontakt"]
    assert stored_and_read(report) == report


def test_flags_survive_the_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "enkat.csv"
    path.write_text("enkat_id,kommunkod,kon,bakgrund\n1,1780,flicka,okand\n", "utf-8")
    result = interpreted(path, study="avslutade_utredningar", unit_hint=None)
    assert isinstance(result, Interpreted)
    (part,) = result.parts
    assert part.report.flags == {"okänt värde i bakgrund: 'okand'": 1}
    assert part.report.unit == ReportedUnit("1780", "Karlstad", UnitSource.COLUMN)
    assert stored_and_read(part.report) == part.report


def test_a_report_is_stored_under_the_keys_reports_always_had() -> None:
    """The admin shows the stored JSON to analysts, and every stored report has this shape:
    decision 0012."""
    report = report_of(CORPUS / "title-rows-and-total-row.xlsx")
    stored = report.to_json()
    assert list(stored) == [
        "fil", "kodning", "enhet", "delstudie", "period", "kodbok", "flikar", "kolumner",
        "rader", "värden", "granskning", "flaggor", "förslag",
    ]  # fmt: skip
    assert stored["enhet"] == {"kod": "1780", "namn": "Karlstad", "källa": "--kommun"}
    assert stored["rader"] == {
        "lästa": 4, "inlästa": 3, "överhoppade": {"summeringsrad": 1}, "att_granska": 0,
    }  # fmt: skip
    (sheet,) = stored["flikar"]
    assert list(sheet) == ["flik", "rubrikrad", "datarader", "överhoppade"]
    assert all(list(c) == ["flik", "kolumn", "tolkas_som", "hur"] for c in stored["kolumner"])
    assert all(
        list(v) == ["rått", "kod", "metod", "antal"] for vs in stored["värden"].values() for v in vs
    )


# A report as the import stored them before it made suggestions (nuso 891ee18 to 42ec50b).
STORED_BEFORE_SUGGESTIONS = {
    "fil": "Karlstad 2023.csv",
    "kodning": "utf-8",
    "enhet": {"kod": "1780", "namn": "Karlstad", "källa": "filnamn"},
    "delstudie": "aktualiseringar",
    "period": "2023",
    "kodbok": 1,
    "flikar": [{"flik": "", "rubrikrad": 1, "datarader": 2, "överhoppade": {"4": "tom rad"}}],
    "kolumner": [
        {"flik": "", "kolumn": "Kön", "tolkas_som": "kon", "hur": "namn"},
        {"flik": "", "kolumn": "Fritext", "tolkas_som": "(okänd)", "hur": "okänd"},
    ],
    "rader": {"lästa": 3, "inlästa": 2, "överhoppade": {"tom rad": 1}, "att_granska": 1},
    "värden": {"kon": [{"rått": "F", "kod": "flicka", "metod": "exact", "antal": 2}]},
    "granskning": {"orsaker": {"Grooming": 1}},
    "flaggor": {},
    "granskade": [{"variabel": "orsaker", "nyckel": "kategori 7"}],
}


def test_reports_stored_by_earlier_versions_are_read() -> None:
    report = ImportReport.from_json(STORED_BEFORE_SUGGESTIONS)
    assert report.unit == ReportedUnit("1780", "Karlstad", UnitSource.FILE_NAME)
    assert report.rows == RowCounts(3, 2, {"tom rad": 1}, 1)
    assert report.sheets[0].skipped == {4: "tom rad"}
    assert [c.shown_variable for c in report.columns] == ["kon", "(okänd)"]
    assert report.columns[1].variable is None
    assert report.values == {"kon": (ValueRead("F", "flicka", "exact", 2),)}
    assert report.pending == {"orsaker": {"Grooming": 1}}
    assert report.suggestions == {}  # none were made then
    assert [(r.variable, r.key) for r in report.reviewed] == [("orsaker", "kategori 7")]
    assert not report.refused
    # Stored again (after a review decision), it keeps everything and gains the empty part.
    assert report.to_json() == {**STORED_BEFORE_SUGGESTIONS, "förslag": {}}


def test_a_refusal_stored_as_its_text_is_read_as_a_problem() -> None:
    """Refusals were stored as the text shown beside the file's name."""
    text = "rad 5: enheten saknas i kolumnen 'Kommun'."
    report = ImportReport.from_json({"fel": text})
    assert report.refused
    assert [p.describe(file=False) for p in report.problems] == [text]
    assert ImportReport.from_json({}) == ImportReport()  # a batch that never got a report


def test_a_refused_file_keeps_its_problem_with_code_and_place(tmp_path: Path) -> None:
    path = tmp_path / "enkat.csv"
    path.write_text("kommunkod;kon\n1780;flicka\n;pojke\n", "utf-8")
    result = interpreted(path, study="avslutade_utredningar", unit_hint=None)
    assert result == Refused(
        (Problem("missing-unit", "enheten saknas i kolumnen 'kommunkod'.", "enkat.csv", row=3),)
    )
    assert refusal_text(result.problems) == "rad 3: enheten saknas i kolumnen 'kommunkod'."
    stored = ImportReport(problems=result.problems).to_json()
    assert stored == {"fel": [result.problems[0].to_json()]}
    assert ImportReport.from_json(json.loads(json.dumps(stored))).problems == result.problems


@pytest.mark.parametrize(
    ("name", "code"),
    [("corrupt-not-a-zip.xlsx", "not-a-spreadsheet"), ("empty.csv", "empty-file")],
)
def test_an_unreadable_file_is_refused_with_a_problem_naming_it(name: str, code: str) -> None:
    result = interpreted(CORPUS / name)
    assert isinstance(result, Refused)
    (problem,) = result.problems
    assert (problem.code, problem.file) == (code, name)
    assert not refusal_text(result.problems).startswith(name)  # named beside the message


def test_a_file_of_an_unknown_unit_is_refused_with_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "export_2023.csv"
    path.write_text("Kön;Åtgärd\nF;Ny utredning\n", "utf-8")
    result = interpreted(path, unit_hint=None)
    assert isinstance(result, Refused)
    (problem,) = result.problems
    assert (problem.code, problem.file) == ("unknown-unit", "export_2023.csv")
    assert (
        refusal_text(result.problems)
        == "Ingen kommun eller stadsdel känns igen i filnamnet ('export_2023')."
    )


def test_a_problem_has_one_json_shape() -> None:
    """The shape an import report, a form or the API gives a problem: every key, always."""
    problem = Problem("bad-value", "Koden finns inte.", "a.csv", "Blad1", 4, "Kön", "X")
    assert problem.to_json() == {
        "kod": "bad-value", "meddelande": "Koden finns inte.", "fil": "a.csv",
        "flik": "Blad1", "rad": 4, "kolumn": "Kön", "värde": "X",
    }  # fmt: skip
    assert list(Problem("c", "m").to_json()) == list(problem.to_json())
    assert Problem.from_json(problem.to_json()) == problem


def test_a_review_decision_takes_its_values_off_the_report() -> None:
    report = ImportReport.from_json(
        {**STORED_BEFORE_SUGGESTIONS, "granskning": {"orsaker": {"Grooming": 2, "GROOMING ": 1}}}
    )
    after = report.after_review("orsaker", "grooming")
    assert after.pending == {"orsaker": {}}  # the variable stays, as reports always kept it
    assert [(r.variable, r.key) for r in after.reviewed][-1] == ("orsaker", "grooming")
    assert report.pending == {"orsaker": {"Grooming": 2, "GROOMING ": 1}}  # unchanged
    assert report.after_review("kon", "f").pending == report.pending


def test_the_summary_of_a_file_of_several_units_adds_their_rows() -> None:
    first = ImportReport(rows=RowCounts(11, 10, {"tom rad": 1}, 2))
    second = ImportReport(rows=RowCounts(6, 5, {"tom rad": 1}, 1))
    assert merge_reports(None, first) == first
    # the file's 16 rows: 15 imported and 1 skipped, which each unit's report counts
    assert merge_reports(first, second).rows == RowCounts(16, 15, {"tom rad": 1}, 3)


def test_the_values_a_sheets_name_gave_are_kept_with_the_report() -> None:
    """A column remapping reads the sheet again from the stored report: the values its name
    gave (layout.split_by_sheet) must come back with it."""
    from nuso.core.intake.report import SheetFound, sheet_from_json, sheet_to_json

    sheet = SheetFound("Ansökningar", 1, 22, {}, {"aktualiseringstyp": "Ansökningar"})
    assert sheet_from_json(sheet_to_json(sheet)) == sheet
    assert "ur_fliknamnet" not in sheet_to_json(SheetFound("Blad1", 1, 3, {}))
