"""The audit log is append-only and a hash chain: the ORM and the admin change or delete no
entry, and `nuso audit verify` finds an entry changed, removed or cut from the end in the
database itself."""

from __future__ import annotations

import pytest
from django.db import connection

from nuso.audit.models import AuditEntry, ChainHead
from nuso.audit.services import Actor, log

ACTOR = Actor("cli:test")


@pytest.fixture
def logged(nuso):
    nuso("init")
    for n in range(5):
        log(ACTOR, "test.event", number=n, text="å ä ö", nested={"b": [1, 2.5], "a": None})
    return nuso


def test_an_intact_log_verifies(logged) -> None:
    result = logged("audit", "verify")
    assert result.exit_code == 0, result.err
    count = AuditEntry.objects.count()
    assert f"Händelseloggen är hel: {count} poster i obruten kedja." in result.out
    assert ChainHead.objects.get().entries == count


def test_neither_the_orm_nor_the_admin_changes_or_deletes_an_entry(logged) -> None:
    entry = AuditEntry.objects.first()
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    with pytest.raises(ValueError, match="append-only"):
        AuditEntry.objects.filter(action="test.event").update(action="x")
    with pytest.raises(ValueError, match="append-only"):
        AuditEntry.objects.all().delete()


def raw(sql: str, *params: object) -> None:
    """A change made around the ORM, as someone with the database's password could."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    ("change", "found"),
    [
        ("UPDATE audit_auditentry SET details = %s WHERE id = %s", "har ändrats efter"),
        ("DELETE FROM audit_auditentry WHERE id = %s", "posten före den saknas"),
    ],
)
def test_a_change_in_the_database_itself_is_found(logged, change: str, found: str) -> None:
    middle = AuditEntry.objects.filter(action="test.event").order_by("pk")[2]
    if change.startswith("UPDATE"):
        raw(change, '{"number": 99}', middle.pk)
    else:
        raw(change, middle.pk)
    result = logged("audit", "verify")
    assert result.exit_code == 1
    assert found in result.out
    assert "kedja bryts" in result.err


def test_entries_cut_from_the_end_are_found(logged) -> None:
    last = AuditEntry.objects.order_by("-pk").first()
    raw("DELETE FROM audit_auditentry WHERE id = %s", last.pk)
    result = logged("audit", "verify")
    assert result.exit_code == 1
    assert "poster i slutet saknas" in result.out


def test_deleting_a_user_keeps_the_chain(logged, django_user_model) -> None:
    user = django_user_model.objects.create_user("lämnar", password="ett långt lösenord 42")
    log(Actor.of_user(user), "test.user")
    user.delete()  # the entry's user becomes none; what it says happened does not change
    assert logged("audit", "verify").exit_code == 0
