"""`nuso backup` and `nuso restore` on the database the suite runs on (SQLite, or PostgreSQL
with pg_dump): a round trip gives back the records, review decisions, users, audit log and
tables as they were, whatever happened in between; a backup needs the same pseudonym key."""

from __future__ import annotations

import zipfile

import pytest
from django.test import override_settings

from nuso.accounts.models import User
from nuso.analysis.service import study_tables
from nuso.audit.models import AuditEntry
from nuso.intake.models import ReviewItem
from nuso.studies.models import Study, ValueMapping

from .conftest import import_synthetic_referrals
from .records import stored_records


def state() -> dict[str, object]:
    """What a restore must give back."""
    tables = study_tables(Study.objects.get(slug="aktualiseringar"), unsuppressed=True)
    return {
        "records": stored_records(),
        "review": sorted(ReviewItem.objects.values_list("raw_key", "status", "decision__code")),
        "decisions": sorted(ValueMapping.objects.values_list("raw_key", "code", "valid_from")),
        "users": sorted(User.objects.values_list("username", "role", "password")),
        "audit": list(AuditEntry.objects.order_by("pk").values_list("action", "details")),
        # rows in any order: the engine's groups come out in the order Polars makes them
        "tables": {name: sorted(map(repr, t.to_dicts())) for name, t in tables.tables.items()},
    }


@pytest.mark.django_db(transaction=True)
def test_a_round_trip_gives_everything_back(nuso, tmp_path) -> None:
    import_synthetic_referrals(nuso, tmp_path / "syntes", seed=5, units=2, rows=300)
    User.objects.create_user("analytikern", password="ett långt lösenord 42", role="analyst")
    pending = ReviewItem.objects.filter(status="pending").first()
    if pending is not None:
        decisions = tmp_path / "beslut.csv"
        decisions.write_text(f"rått värde;variabel;kod\n{pending.raw_example};"
                             f"{pending.variable};\n", "utf-8")  # fmt: skip
        assert nuso("review", "--decisions", str(decisions)).exit_code == 0
    copy = tmp_path / "nuso.backup"
    made = nuso("backup", str(copy))
    assert made.exit_code == 0, made.err
    assert "Pseudonymnyckeln ingår inte" in made.out
    assert zipfile.is_zipfile(copy)
    before = state()
    # the backup's own audit entry is written after the copy is made: not in it
    assert before["audit"].pop()[0] == "backup.made"  # type: ignore[attr-defined]
    # what happens after the backup: a user leaves, another delivery arrives
    User.objects.filter(username="analytikern").delete()
    import_synthetic_referrals(nuso, tmp_path / "mer", seed=6, units=3, rows=200)
    assert state() != before
    refused = nuso("restore", str(copy))
    assert refused.exit_code == 1
    assert "kör igen med --ersatt" in refused.err
    restored = nuso("restore", str(copy), "--ersatt")
    assert restored.exit_code == 0, restored.err
    after = state()
    after["audit"] = after["audit"][: len(before["audit"])]  # restore is audited after it
    for part in before:
        assert after[part] == before[part], part
    assert AuditEntry.objects.filter(action="backup.restored").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_backup_made_under_another_key_is_refused_unless_told(nuso, tmp_path) -> None:
    nuso("init")
    copy = tmp_path / "nuso.backup"
    assert nuso("backup", str(copy)).exit_code == 0
    assert nuso("backup", str(copy)).exit_code == 1  # never overwritten
    with override_settings(NUSO_PSEUDONYM_KEY="another-key-" + "k" * 40):
        refused = nuso("restore", str(copy), "--ersatt")
        assert refused.exit_code == 1
        assert "gjordes med en annan pseudonymnyckel" in refused.err
        assert nuso("restore", str(copy), "--ersatt", "--annan-nyckel").exit_code == 0
    not_a_backup = tmp_path / "nuso.txt"
    not_a_backup.write_text("hej", "utf-8")
    result = nuso("restore", str(not_a_backup), "--ersatt")
    assert "nuso.txt är ingen säkerhetskopia från nuso backup" in result.err
