"""`nuso export` for any study, from its dictionary, in every row format of the output
registry."""

from __future__ import annotations

import polars as pl
import pytest

from nuso.core.harmonise.dictionary import dictionary_from_stored
from nuso.core.outputs.registry import ROWS, formats
from nuso.core.synth.investigations import write_investigation_survey
from nuso.intake.export import value_order
from nuso.studies.models import Study

SURVEY = ("--study", "avslutade_utredningar", "--period", "2023-10-01--2024-03-31")


@pytest.fixture
def survey(nuso, tmp_path):
    nuso("init")  # the studies: a test before may have emptied the database (transaction=True)
    written = write_investigation_survey(tmp_path / "enkat", rows_wanted=300)
    outcome = nuso("import", str(written.survey), *SURVEY)
    assert outcome.exit_code == 0, outcome.out
    return nuso


def test_the_survey_exports_its_dictionarys_columns(survey, tmp_path) -> None:
    output = tmp_path / "ut.csv"
    result = survey("export", "--study", "avslutade_utredningar", "--output", str(output))
    assert result.exit_code == 0, result.out
    assert "300 rader skrivna" in result.out
    dictionary = dictionary_from_stored(Study.objects.get(slug="avslutade_utredningar").dictionary)
    variables = [variable.name for variable in dictionary.variables]
    frame = pl.read_csv(output, infer_schema_length=0)
    assert frame.columns == ["kommunkod", "fil", "flik", "rad", *value_order(dictionary),
                             "granskning", *(f"{name}_original" for name in variables)]  # fmt: skip
    assert frame.height == 300
    assert frame[variables[0]].null_count() < frame.height  # values, not empty columns


@pytest.mark.parametrize("format_", formats(ROWS))
def test_every_row_format_of_the_registry_can_be_exported(survey, tmp_path, format_) -> None:
    output = tmp_path / f"ut.{format_}"
    arguments = ("--study", "avslutade_utredningar", "--format", format_, "--output", str(output))
    result = survey("export", *arguments)
    assert result.exit_code == 0, result.out
    assert output.stat().st_size > 0


def test_a_derived_variable_follows_the_one_it_is_derived_from(nuso) -> None:
    nuso("init")
    dictionary = dictionary_from_stored(Study.objects.get(slug="aktualiseringar").dictionary)
    order = value_order(dictionary)
    assert order.index("aldersgrupp") == order.index("alder") + 1
    assert order.index("atgardsgrupp") == order.index("atgard") + 1
