"""Each header form of a corpus file (tests/corpus/headers, made by make_headers.py) is read as
the variable `forms.csv` names, through the whole import: its column mapped by name and every
value under it decided; a header two variables fit is mapped to neither and says which two."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from nuso.core.intake.report import ImportReport
from nuso.intake.models import ImportBatch

from .records import stored_records

HEADERS = Path(__file__).resolve().parent / "corpus" / "headers"
UNITS = ["1780", "1784", "1715", "1730", "1737", "1760", "1761", "1762", "1763", "1764"]


def forms() -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with (HEADERS / "forms.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            found[row["fil"]].append((row["rubrik"], row["variabel"]))
    return dict(found)


def test_the_corpus_has_a_file_for_every_header_form() -> None:
    assert sorted(forms()) == sorted(p.name for p in HEADERS.iterdir() if p.stem != "forms"
                                     and p.suffix in {".csv", ".xlsx"})  # fmt: skip
    assert len(forms()) <= len(UNITS)


@pytest.mark.parametrize(("name", "form"), sorted(forms().items()))
def test_each_header_form_is_read_as_its_variable(nuso, name: str, form, tmp_path) -> None:
    nuso("init")
    code = UNITS[sorted(forms()).index(name)]
    result = nuso("import", str(HEADERS / name), "--study", "aktualiseringar", "--period",
                  "2023", "--kommun", code)  # fmt: skip
    assert result.exit_code == 0, result.out + result.err
    batch = ImportBatch.objects.get(unit__code=code)
    columns = {c.header: c for c in ImportReport.from_json(batch.report).columns}
    records = stored_records(batch)
    assert len(records) == 3
    for header, variable in form:
        read = columns[header]
        assert (read.variable or "") == variable, (header, read)
        if variable:
            assert read.how.startswith("namn"), (header, read.how)
            assert all(r.values.get(variable) not in (None, []) for r in records), header
        else:  # two variables fit: neither is guessed, and the report names both
            assert "kan vara alder eller kon" in read.how
            assert all(r.values.get("kon") is None for r in records)
