"""The import holds on exports written apart from the project: four sets written by hand by
others than those who wrote the harmonisation, each in the styles of several case systems
(README in each folder), imported as municipalities send them and scored against their
facit. Targets of issue 15. (The blind sets were each measured before any change was made for
them: docs/harmonisation.md gives both figures.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scoring import score

FIXTURES = Path(__file__).parent / "fixtures"
SINGLE = ("kon", "alder", "aktualiseringstyp", "atgard")


@pytest.mark.parametrize("name", ["handwritten", "blind", "blind3", "blind4"])
def test_exports_written_apart_are_harmonised_to_the_targets(nuso, tmp_path, name: str) -> None:
    export, folder = tmp_path / "export.csv", FIXTURES / name
    assert nuso("init").exit_code == 0
    imported = nuso("import", str(folder / "exporter"), "--study", "aktualiseringar",
                    "--period", "2023")  # fmt: skip
    assert imported.exit_code == 0, imported.out + imported.err  # every file read
    nuso("export", "--study", "aktualiseringar", "--format", "csv", "--output", str(export))
    scores = score(folder / "facit.csv", export)
    assert scores["rader"] == {"förlorade": 0, "påhittade": 0}
    for variable in SINGLE:
        assert scores[variable]["täckning"] >= 0.99, (variable, scores[variable])
        assert scores[variable]["precision"] >= 0.995, (variable, scores[variable])
    assert scores["orsaker"]["täckning"] >= 0.95, scores["orsaker"]
    assert scores["orsaker"]["precision"] >= 0.99, scores["orsaker"]
    assert scores["orsaker"]["påhittade"] == 0  # files without reasons get none


def test_a_fifth_blind_set_loses_no_row_and_decides_only_what_is_right(nuso, tmp_path) -> None:
    """blind5 is not yet at the targets above (docs/harmonisation.md names its gaps: sex
    coded 1/2 with a legend on another sheet, sex as an x under Flicka or Pojke, the type
    given by the sheet, identity numbers with wrong check digits): what holds is that every
    file is read, no row is lost or invented, and what is decided is right."""
    export, folder = tmp_path / "export.csv", FIXTURES / "blind5"
    assert nuso("init").exit_code == 0
    imported = nuso("import", str(folder / "exporter"), "--study", "aktualiseringar",
                    "--period", "2023")  # fmt: skip
    assert imported.exit_code == 0, imported.out + imported.err
    nuso("export", "--study", "aktualiseringar", "--format", "csv", "--output", str(export))
    scores = score(folder / "facit.csv", export)
    assert scores["rader"] == {"förlorade": 0, "påhittade": 0}
    for variable in SINGLE:
        assert scores[variable]["precision"] >= 0.995, (variable, scores[variable])
