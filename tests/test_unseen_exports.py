"""The import holds on exports written apart from the project: four sets written by hand by
others than those who wrote the harmonisation, each in the styles of several case systems
(README in each folder), imported as municipalities send them and scored against their
facit. Targets of issue 15. (The blind sets were each measured before any change was made for
them: docs/harmonisation.md gives both figures.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scoring import merged_by_case, score

FIXTURES = Path(__file__).parent / "fixtures"
SINGLE = ("kon", "alder", "aktualiseringstyp", "atgard")


def facit_of(folder: Path, tmp_path: Path) -> Path:
    """The set's facit; blind4's with Sundsvall's referrals merged, one line each: its file
    writes a referral's fields again on a row per reason, which the import reads as one
    referral, and its README says a tool that does is to be scored by the case number."""
    if folder.name != "blind4":
        return folder / "facit.csv"
    sundsvall = folder / "exporter" / "Sundsvall_2281_akt_orsak_2023.csv"
    return merged_by_case(folder / "facit.csv", sundsvall, "Ärendenr", tmp_path / "facit.csv")


@pytest.mark.parametrize("name", ["handwritten", "blind", "blind3", "blind4"])
def test_exports_written_apart_are_harmonised_to_the_targets(nuso, tmp_path, name: str) -> None:
    export, folder = tmp_path / "export.csv", FIXTURES / name
    assert nuso("init").exit_code == 0
    imported = nuso("import", str(folder / "exporter"), "--study", "aktualiseringar",
                    "--period", "2023")  # fmt: skip
    assert imported.exit_code == 0, imported.out + imported.err  # every file read
    nuso("export", "--study", "aktualiseringar", "--format", "csv", "--output", str(export))
    scores = score(facit_of(folder, tmp_path), export)
    assert scores["rader"] == {"förlorade": 0, "påhittade": 0}
    for variable in SINGLE:
        assert scores[variable]["täckning"] >= 0.99, (variable, scores[variable])
        assert scores[variable]["precision"] >= 0.995, (variable, scores[variable])
    assert scores["orsaker"]["täckning"] >= 0.95, scores["orsaker"]
    assert scores["orsaker"]["precision"] >= 0.99, scores["orsaker"]
    assert scores["orsaker"]["påhittade"] == 0  # files without reasons get none


@pytest.mark.parametrize(("name", "reasons"), [("blind5", 0.99), ("blind6", 0.99),
                                               ("blind7", 0.99)])  # fmt: skip
def test_the_newest_blind_sets_lose_no_row_and_hold_what_they_reached(
    nuso, tmp_path, name: str, reasons: float
) -> None:
    """blind5, blind6 and blind7 reach every target above but one: a few reasons decided
    where the facit leaves them empty, or decided otherwise (ambiguous wordings;
    docs/harmonisation.md names them). Every file is read, no row is lost or invented, the
    single-valued variables are at the targets (the action too, told across columns in
    blind6 and blind7), and reasons no worse than they came out when this was written
    (2026-12-04)."""
    export, folder = tmp_path / "export.csv", FIXTURES / name
    assert nuso("init").exit_code == 0
    imported = nuso("import", str(folder / "exporter"), "--study", "aktualiseringar",
                    "--period", "2023")  # fmt: skip
    assert imported.exit_code == 0, imported.out + imported.err
    nuso("export", "--study", "aktualiseringar", "--format", "csv", "--output", str(export))
    scores = score(folder / "facit.csv", export)
    assert scores["rader"] == {"förlorade": 0, "påhittade": 0}
    for variable in SINGLE:
        assert scores[variable]["täckning"] >= 0.99, (variable, scores[variable])
        assert scores[variable]["precision"] >= 0.995, (variable, scores[variable])
    assert scores["orsaker"]["täckning"] >= 0.98, scores["orsaker"]
    assert scores["orsaker"]["precision"] >= reasons, scores["orsaker"]
