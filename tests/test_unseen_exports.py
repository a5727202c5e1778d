"""The import holds on exports written apart from the project: the hand-written set in
tests/fixtures/handwritten (nine files in the styles of several case systems, README there),
imported as a municipality sends it and scored against its facit. Targets of issue 15."""

from __future__ import annotations

from pathlib import Path

from tests.scoring import score

HANDWRITTEN = Path(__file__).parent / "fixtures" / "handwritten"
SINGLE = ("kon", "alder", "aktualiseringstyp", "atgard")


def test_hand_written_exports_are_harmonised_to_the_targets(nuso, tmp_path) -> None:
    export = tmp_path / "export.csv"
    assert nuso("init").exit_code == 0
    imported = nuso("import", str(HANDWRITTEN / "exporter"), "--study", "aktualiseringar",
                    "--period", "2023")  # fmt: skip
    assert imported.exit_code == 0, imported.out + imported.err  # every file read
    nuso("export", "--study", "aktualiseringar", "--format", "csv", "--output", str(export))
    scores = score(HANDWRITTEN / "facit.csv", export)
    assert scores["rader"] == {"förlorade": 0, "påhittade": 0}
    for variable in SINGLE:
        assert scores[variable]["täckning"] >= 0.99, (variable, scores[variable])
        assert scores[variable]["precision"] >= 0.995, (variable, scores[variable])
    assert scores["orsaker"]["täckning"] >= 0.95, scores["orsaker"]
    assert scores["orsaker"]["precision"] >= 0.99, scores["orsaker"]
    assert scores["orsaker"]["påhittade"] == 0  # Ljusdal has no reasons: none invented
