"""Migrations that move stored data carry every record over, both ways."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from nuso.intake.models import ImportBatch
from nuso.studies.models import CodebookVersion, Study
from nuso.units.models import Unit

from .records import stored_records

BEFORE_BLOCKS = [("intake", "0004_records_constrained_by_batch")]

# Three records as the row-per-record format held them: a reason list, an empty one (all
# pending), a derived age, a pseudonym or none, a cell that was empty, two sheets.
RECORDS: list[dict[str, Any]] = [
    {
        "sheet": "Aktualiseringar",
        "row_number": 5,
        "raw": {"Personnummer": "[pnr:0123456789abcdef]", "Orsak": "Misshandel", "Not": None},
        "values": {"kon": "flicka", "alder": 13, "aldersgrupp": "12-14",
                   "orsaker": ["vald_mot_barn"]},
        "decisions": {
            "kon": {"method": "derived", "confidence": 1.0, "raw": ""},
            "alder": {"method": "derived", "confidence": 1.0, "raw": ""},
            "orsaker": {"method": "rule", "confidence": 0.95, "raw": "Misshandel"},
        },
        "pending_review": False,
        "pseudonym": "0123456789abcdef",
    },
    {
        "sheet": "Aktualiseringar",
        "row_number": 6,
        "raw": {"Personnummer": None, "Orsak": "Xyzzy", "Not": "ring tillbaka"},
        "values": {"orsaker": []},
        "decisions": {"orsaker": {"method": "pending", "confidence": 0.0, "raw": "Xyzzy"}},
        "pending_review": True,
        "pseudonym": "",
    },
    {
        "sheet": "Blad2",
        "row_number": 2,
        "raw": {"Kön": "P", "Åtgärd": "Utredning inleds"},
        "values": {"kon": "pojke", "atgard": "utredning_inleds", "atgardsgrupp": "utredning"},
        "decisions": {
            "kon": {"method": "exact", "confidence": 1.0, "raw": "P"},
            "atgard": {"method": "exact", "confidence": 1.0, "raw": "Utredning inleds"},
        },
        "pending_review": False,
        "pseudonym": "",
    },
]  # fmt: skip


def migrate(targets: list[tuple[str, str]]) -> Any:
    """The database migrated to `targets`; the apps of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def documents(record: Any) -> dict[str, Any]:
    return {name: getattr(record, name) for name in ("sheet", "row_number", "raw", "values",
            "decisions", "pending_review", "pseudonym")}  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_records_move_into_blocks_and_back_unchanged(nuso) -> None:
    nuso("init")
    study = Study.objects.get(slug="aktualiseringar")
    unit, version = Unit.objects.get(code="1780"), CodebookVersion.objects.get()
    try:
        old = migrate(BEFORE_BLOCKS)
        batch = old.get_model("intake", "ImportBatch").objects.create(
            study_id=study.pk, unit_id=unit.pk, period="2023", file_name="karlstad.xlsx",
            content_hash="0" * 64, actor="cli:test", status="imported",
        )  # fmt: skip
        record_model = old.get_model("intake", "Record")
        for record in RECORDS:
            record_model.objects.create(
                batch=batch, study_id=study.pk, unit_id=unit.pk, period="2023",
                source_file="karlstad.xlsx", codebook_version_id=version.pk, **record,
            )  # fmt: skip

        migrate(latest())
        moved = stored_records()
        assert [documents(r) for r in moved] == RECORDS
        assert {(r.unit, r.file, r.codebook) for r in moved} == {
            ("1780", "karlstad.xlsx", version.number)
        }

        back = migrate(BEFORE_BLOCKS).get_model("intake", "Record").objects
        restored = back.order_by("sheet", "row_number")
        assert [documents(r) for r in restored] == RECORDS
        assert {r.codebook_version_id for r in restored} == {version.pk}
    finally:
        migrate(latest())


@pytest.mark.django_db(transaction=True)
def test_codebook_versions_made_before_learn_which_came_from_the_file(nuso) -> None:
    """The first version was made from the shipped file and takes its number as the file's;
    versions made by review decisions came from no file. Studies learn that their stored
    dictionaries are the package's."""
    nuso("init")
    try:
        old = migrate([("studies", "0001_initial")])
        first = old.get_model("studies", "CodebookVersion").objects.get()
        second = old.get_model("studies", "CodebookVersion").objects.create(
            number=first.number + 1, title=first.title, based_on=first
        )  # as a review decision makes it: the same codes
        entries = old.get_model("studies", "CodebookEntry").objects
        for entry in entries.filter(version=first):
            entry.pk, entry.version = None, second
            entry.save()
        migrate(latest())
        versions = CodebookVersion.objects.order_by("number")
        assert [(v.number, v.file_version, v.crosswalk) for v in versions] == [
            (first.number, first.number, {}), (first.number + 1, None, {})
        ]  # fmt: skip
        # The dictionaries stored are the package's: the next init changes none of them.
        assert "Ändrad datadefinition" not in nuso("init").out
        assert all(study.shipped_digest for study in Study.objects.all())
    finally:
        migrate(latest())


@pytest.mark.django_db(transaction=True)
def test_two_current_deliveries_left_by_a_race_become_one(nuso) -> None:
    """Before the constraint, two first deliveries stored at once could both be current; the
    migration keeps the one stored last and marks the other replaced by it (restorable)."""
    nuso("init")
    study, unit = Study.objects.get(slug="aktualiseringar"), Unit.objects.get(code="1780")
    try:
        old = migrate([("intake", "0006_column_mappings")]).get_model("intake", "ImportBatch")
        first, last = (
            old.objects.create(study_id=study.pk, unit_id=unit.pk, period="2023", file_name=name,
                               content_hash=name * 64, actor="cli:test", status="imported")
            for name in "ab"
        )  # fmt: skip
        migrate(latest())
        assert ImportBatch.objects.get(status="imported").pk == last.pk
        assert ImportBatch.objects.get(pk=first.pk).replaced_by_id == last.pk
    finally:
        migrate(latest())
