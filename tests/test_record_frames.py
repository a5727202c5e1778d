"""The stored records as frames: only current batches, of one unit or period when asked, with
the columns asked for, typed as the study's layout says whatever each block holds."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from nuso.audit.services import Actor
from nuso.core.harmonise.dictionary import dictionary_from_stored
from nuso.core.intake import blocks
from nuso.intake.models import RecordBlock
from nuso.intake.record_frames import PLACE_TYPES, record_frame, records_stored
from nuso.intake.services import import_paths
from nuso.studies.models import Study
from nuso.units.models import Unit

CORPUS = Path(__file__).resolve().parent / "corpus"


def imported(name: str, unit: str, period: str) -> None:
    outcomes = import_paths(
        [CORPUS / name], study_slug="aktualiseringar", period=period,
        actor=Actor.command_line(), unit_hint=unit,
    )  # fmt: skip
    assert [o.status for o in outcomes] == ["inläst"]


@pytest.fixture
def study(nuso) -> Study:
    nuso("init")
    imported("bom-utf8-comma.csv", "1780", "2023")  # replaced by the next
    imported("windows-1252-semicolon.csv", "1780", "2023")
    imported("title-rows-and-total-row.xlsx", "0114", "2023")
    imported("latin1-tab.txt", "1780", "2024")
    return Study.objects.get(slug="aktualiseringar")


def test_only_current_records_of_the_unit_and_period_asked_for(study: Study) -> None:
    every = record_frame(study)
    assert records_stored() == every.height + 3  # the replaced batch's records stay
    assert set(every["file"]) == {
        "windows-1252-semicolon.csv", "title-rows-and-total-row.xlsx", "latin1-tab.txt"
    }  # fmt: skip
    karlstad = record_frame(study, Unit.objects.get(code="1780"))
    assert set(karlstad["unit"]) == {"1780"}
    assert set(karlstad["period"]) == {"2023", "2024"}
    of_2023 = record_frame(study, period="2023")
    assert set(of_2023["period"]) == {"2023"}
    assert of_2023.height + record_frame(study, period="2024").height == every.height


def test_the_columns_asked_for_in_the_studys_layout(study: Study) -> None:
    layout = blocks.schema(dictionary_from_stored(study.dictionary))
    values = record_frame(study)
    expected = PLACE_TYPES | {
        n: t for n, t in layout.items() if n in blocks.RECORD_TYPES or n.startswith(blocks.VALUE)
    }
    assert dict(values.schema) == expected
    everything = record_frame(study, parts=(*blocks.DECISION_PREFIXES, blocks.VALUE, blocks.CELL))
    assert dict(list(everything.schema.items())[: len(PLACE_TYPES) + len(layout)]) == (
        PLACE_TYPES | layout
    )
    cells = [c for c in everything.columns if c.startswith(blocks.CELL)]
    assert {"cell:Kön", "cell:Ålder", "cell:Åtgärd"} <= set(cells)  # the files' own headers
    karlstad = everything.filter(pl.col("file") == "windows-1252-semicolon.csv")
    assert karlstad.sort("row")["cell:Åtgärd"].to_list()[0] == "Utredning inleds"


def test_a_block_without_a_variable_of_the_layout_reads_as_unknown(study: Study) -> None:
    """A block stored before a variable joined the study's dictionary has no columns for it."""
    block = RecordBlock.objects.filter(batch__unit__code="0114").get()
    frame = blocks.decode(bytes(block.data)).drop("value:atgard", "method:atgard")
    block.data = blocks.encode(frame)
    block.save()
    found = record_frame(study, Unit.objects.get(code="0114"), parts=(blocks.VALUE, blocks.METHOD))
    assert found["value:atgard"].dtype == pl.String
    assert found["value:atgard"].null_count() == found.height == frame.height
    assert found["method:atgard"].null_count() == found.height


def test_nothing_stored_gives_the_empty_layout(nuso) -> None:
    nuso("init")
    study = Study.objects.get(slug="avslutade_utredningar")
    empty = record_frame(study)
    assert empty.height == 0
    assert "value:insats" in empty.columns
