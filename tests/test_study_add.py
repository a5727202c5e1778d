"""`nuso study add FIL.yaml` on a running installation: a dictionary with problems is refused
with every problem naming its key, and a valid new study is imported, reviewed and tabulated
with no code of its own."""

from __future__ import annotations

import json

import pytest

from nuso.audit.models import AuditEntry
from nuso.studies.models import CodebookVersion, Study

from .records import stored_records

PLACEMENTS = """\
slug: placeringar
number: 3
name: Placeringar utanför hemmet
description: Barn och unga som placerats under perioden.
source: export
variables:
  - {name: kon, label: Kön, type: category, codebook: kon, aliases: [kön]}
  - {name: alder, label: Ålder, type: integer, min: 0, max: 17, aliases: [ålder]}
  - name: placeringsform
    label: Placeringsform
    type: category
    aliases: [form]
    categories: {familjehem: Familjehem, hvb: HVB, sarskilt_boende: Särskilt boende}
  - {name: orsaker, label: Orsaker, type: categories, codebook: orsak, required: false,
     aliases: [orsak]}
derived:
  - {name: aldersgrupp, label: Åldersgrupp, from: alder, codebook: aldersgrupp}
tables:
  - {name: form, title: Placeringsform, kind: distribution, dimensions: [placeringsform]}
  - name: hvb_per_kon
    title: Andel placerade på HVB per kön
    kind: share
    dimensions: [kon]
    outcome: {variable: placeringsform, values: [hvb]}
"""


@pytest.fixture
def initialised(nuso):
    nuso("init")
    return nuso


def test_a_dictionary_with_problems_is_refused_naming_each_key(initialised, tmp_path) -> None:
    path = tmp_path / "ny.yaml"
    path.write_text(
        "slug: Ny studie\nnumber: tre\nvariables:\n"
        "  - {name: kon, type: category, codebook: kön}\n"
        "  - {label: Ålder, type: integer}\n",
        "utf-8",
    )
    result = initialised("study", "add", str(path))
    assert result.exit_code == 1
    assert result.err.splitlines() == [
        "Fel: 3 problem hittades:",
        "  - ny.yaml, nyckel 'slug', värde 'Ny studie': Kortnamnet får bara ha a–z, 0–9, - och _ "
        "(högst 60 tecken).",
        "  - ny.yaml, nyckel 'number', värde 'tre': Delstudiens nummer ska vara ett heltal från 0.",
        "  - ny.yaml, nyckel 'variables[1].name': Nyckeln saknas: name.",
    ]
    path.write_text(PLACEMENTS.replace("codebook: orsak", "codebook: orsaker"), "utf-8")
    result = initialised("study", "add", str(path))
    assert "nyckel 'variables.orsaker.codebook', värde 'orsaker': Variabeln pekar på en " in (
        result.err
    )
    assert not Study.objects.filter(slug="placeringar").exists()
    assert not AuditEntry.objects.filter(action="study.add").exists()


def test_a_study_that_exists_is_not_added_again(initialised, tmp_path) -> None:
    path = tmp_path / "ny.yaml"
    path.write_text(PLACEMENTS.replace("slug: placeringar", "slug: aktualiseringar"), "utf-8")
    result = initialised("study", "add", str(path))
    assert result.exit_code == 1
    assert "nyckel 'slug', värde 'aktualiseringar': Det finns redan en delstudie" in result.err


def test_a_new_study_is_imported_reviewed_and_tabulated_without_code(initialised, tmp_path) -> None:
    definition = tmp_path / "placeringar.yaml"
    definition.write_text(PLACEMENTS, "utf-8")
    checked = initialised("study", "add", str(definition), "--dry-run")
    assert "Kontrollerad: delstudie 3 placeringar" in checked.out
    assert not Study.objects.filter(slug="placeringar").exists()
    added = initialised("study", "add", str(definition))
    assert added.exit_code == 0, added.err
    assert "Läs in med nuso import --study placeringar" in added.out
    entry = AuditEntry.objects.get(action="study.add")
    assert entry.details["variables"] == ["kon", "alder", "placeringsform", "orsaker"]

    rows = ["Kön;Ålder;Form;Orsak"] + [
        f"{'F' if n % 2 else 'P'};{n % 18};{('HVB', 'Familjehem')[n % 3 == 0]};"
        f"{('Skolk', 'Missbruk, förälder', 'Zorblax')[n % 3]}"
        for n in range(60)
    ]
    export = tmp_path / "Karlstad placeringar 2024.csv"
    export.write_text("\n".join(rows) + "\n", "utf-8")
    imported = initialised("import", str(export), "--study", "placeringar", "--period", "2024")
    assert imported.exit_code == 0, imported.out + imported.err
    records = stored_records()
    assert len(records) == 60
    assert {r.values["placeringsform"] for r in records} == {"hvb", "familjehem"}
    assert records[1].values["aldersgrupp"] == "0-2"  # age 1
    assert "Zorblax" in initialised("review", "--study", "placeringar").out

    tables = tmp_path / "tabeller.json"
    result = initialised("tables", "--study", "placeringar", "--output", str(tables))
    assert result.exit_code == 0, result.err
    document = json.loads(tables.read_text("utf-8"))
    assert [table["namn"] for table in document["tabeller"]] == ["form", "hvb_per_kon"]
    assert all(table["rader"] for table in document["tabeller"])


def shipped_referrals() -> str:
    from importlib import resources

    folder = resources.files("nuso.core").joinpath("data", "studies")
    return folder.joinpath("aktualiseringar.yaml").read_text("utf-8")


@pytest.fixture
def referrals(initialised, tmp_path):
    """Referrals of one unit stored, and the study's dictionary as a file to change."""
    export = tmp_path / "Karlstad 2024.csv"
    export.write_text("Kön;Ålder;Orsak;Åtgärd\nF;9;Grooming;Ny utredning\nP;15;Skolk;\n", "utf-8")
    assert initialised("import", str(export), "--study", "aktualiseringar", "--period",
                       "2024").exit_code == 0  # fmt: skip
    return initialised, tmp_path / "aktualiseringar.yaml"


def test_a_changed_dictionary_is_shown_then_applied_with_the_records_decided_again(
    referrals,
) -> None:
    nuso, path = referrals
    text = shipped_referrals().replace("label: Aktualiseringsorsaker", "label: Orsaker")
    text = text.replace("codebook: atgard\n", "codebook: atgard\n    required: false\n")
    path.write_text(text.replace("problemområde,", "problemområde, grund,"), "utf-8")
    shown = nuso("study", "update", str(path), "--dry-run")
    assert shown.exit_code == 0, shown.err
    assert shown.out == (
        "Ändringar i datadefinitionen för aktualiseringar:\n"
        "  variables.orsaker.label: etikett 'Aktualiseringsorsaker' → 'Orsaker'\n"
        "  variables.orsaker.aliases: rubriker + 'grund'\n"
        "  variables.atgard.required: obligatorisk True → False\n"
        "Inget sparat (--dry-run).\n"
    )
    before = Study.objects.get(slug="aktualiseringar").dictionary
    assert nuso("study", "update", str(path)).exit_code == 0
    study = Study.objects.get(slug="aktualiseringar")
    assert study.dictionary["variables"][4]["label"] == "Orsaker"
    first = CodebookVersion.objects.order_by("number").first().number  # the shipped file's
    assert {r.codebook for r in stored_records()} == {first + 1}  # decided again: new version
    entry = AuditEntry.objects.get(action="study.update")
    assert entry.details["before"] == before
    assert entry.details["records"] == 2
    assert "samma datadefinition" in nuso("study", "update", str(path)).out


def test_what_stored_records_cannot_follow_is_refused_naming_the_key(referrals) -> None:
    nuso, path = referrals
    text = shipped_referrals().replace(
        "    type: integer\n    min: 0", "    type: text\n    min: 0"
    )
    path.write_text(text, "utf-8")
    result = nuso("study", "update", str(path))
    assert result.exit_code == 1
    assert "nyckel 'variables.alder.type', värde 'text': Typen kan inte ändras" in result.err
    path.write_text(PLACEMENTS, "utf-8")
    result = nuso("study", "update", str(path))
    assert "nyckel 'slug', värde 'placeringar': Delstudien finns inte" in result.err
    assert not AuditEntry.objects.filter(action="study.update").exists()


def test_init_brings_in_a_dictionary_the_package_changed_and_keeps_one_changed_here(
    referrals, monkeypatch
) -> None:
    from dataclasses import replace

    from nuso.core.harmonise import dictionary as dictionaries

    nuso, path = referrals
    shipped = dictionaries.shipped_dictionaries

    def renamed(codebook):  # the next release calls the survey something else
        return [replace(d, name="Enkäten") if d.slug == "avslutade_utredningar" else d
                for d in shipped(codebook)]  # fmt: skip

    monkeypatch.setattr("nuso.studies.services.shipped_dictionaries", renamed)
    result = nuso("init")
    assert "Ändrad datadefinition från paketet för avslutade_utredningar:" in result.out
    assert "  name: 'Avslutade barnavårdsutredningar' → 'Enkäten'" in result.out
    assert Study.objects.get(slug="avslutade_utredningar").name == "Enkäten"
    assert AuditEntry.objects.filter(action="study.update").count() == 1

    path.write_text(shipped_referrals().replace("name: Aktualiseringar", "name: Ärenden"))
    assert nuso("study", "update", str(path)).exit_code == 0
    again = nuso("init")  # the package has not changed since: what was changed here stays
    assert "Ändrad datadefinition" not in again.out
    assert Study.objects.get(slug="aktualiseringar").name == "Ärenden"
