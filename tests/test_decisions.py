"""One review decision, taken by any caller: recorded, a new codebook version, the records
re-harmonised, audited, and learned by the suggestion models once committed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import transaction

from nuso.audit.models import AuditEntry
from nuso.audit.services import Actor
from nuso.intake.decisions import RawValue, ReviewDecisionError, decide
from nuso.intake.models import ImportBatch, ReviewItem
from nuso.studies import retraining
from nuso.studies.models import CodebookVersion, Study, ValueMapping
from nuso.units.models import Unit

from .conftest import log_in_with_code
from .records import stored_records

IMPORT = ("--study", "aktualiseringar", "--period", "2023")
ACTOR = Actor.command_line()


@pytest.fixture
def grooming(nuso, tmp_path: Path) -> RawValue:
    """A file of Karlstad's whose 'Nätkontakt' waits for review in two records."""
    nuso("init")
    path = tmp_path / "Karlstad 2023.csv"
    path.write_text(
        "Kön;Orsak;Åtgärd\nF;Nätkontakt;Ny utredning\nP;Nätkontakt, Skolk;Ny utredning\n", "utf-8"
    )
    assert nuso("import", str(path), *IMPORT).exit_code == 0
    return RawValue(Study.objects.get(slug="aktualiseringar"), "orsaker", "Nätkontakt")


def test_a_decision_is_recorded_versioned_reharmonised_audited_and_learned_on_commit(
    grooming, django_capture_on_commit_callbacks
) -> None:
    first = CodebookVersion.objects.get().number  # the shipped file's
    with django_capture_on_commit_callbacks() as after_commit:
        result = decide(grooming, "sexuellt_vald", None, ACTOR)
    assert (result.version, result.records_updated) == (first + 1, 2)
    mapping = ValueMapping.objects.get()
    assert (mapping.raw_key, mapping.code, mapping.unit, mapping.valid_from.number) == (
        "natkontakt", "sexuellt_vald", None, first + 1,
    )  # fmt: skip
    assert CodebookVersion.objects.get(number=first + 1).based_on.number == first
    item = ReviewItem.objects.get()
    assert (item.status, item.decision) == ("decided", mapping)
    values = sorted(tuple(r.values["orsaker"]) for r in stored_records())
    assert values == [("sexuellt_vald",), ("sexuellt_vald", "skolproblem")]
    assert all(r.codebook == first + 1 and not r.pending_review for r in stored_records())
    report = ImportBatch.objects.get().report
    assert report["granskning"] == {"orsaker": {}}
    assert report["granskade"] == [{"variabel": "orsaker", "nyckel": "natkontakt"}]
    entry = AuditEntry.objects.get(action="review.decide")
    assert entry.details["records"] == 2
    assert entry.details["code"] == "sexuellt_vald"
    assert after_commit == [retraining.requested]


def test_a_decision_for_one_unit_is_scoped_to_it(grooming) -> None:
    karlstad = Unit.objects.get(code="1780")
    result = decide(grooming, "sexuellt_vald", karlstad, ACTOR)
    assert result.records_updated == 2
    assert ValueMapping.objects.get().unit == karlstad
    assert AuditEntry.objects.get(action="review.decide").unit == karlstad


def test_a_refused_decision_changes_nothing_and_teaches_nothing(
    grooming, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as after_commit, pytest.raises(ReviewDecisionError):
        decide(grooming, "finns_inte", None, ACTOR)
    assert not ValueMapping.objects.exists()
    assert CodebookVersion.objects.count() == 1
    assert after_commit == []


def test_a_decision_rolled_back_with_its_transaction_is_not_learned(
    grooming, django_capture_on_commit_callbacks
) -> None:

    def decided_in_a_failing_transaction() -> None:
        with transaction.atomic():
            decide(grooming, "sexuellt_vald", None, ACTOR)
            raise RuntimeError("the caller's transaction fails after the decision")

    with (
        django_capture_on_commit_callbacks() as after_commit,
        pytest.raises(RuntimeError, match="after the decision"),
    ):
        decided_in_a_failing_transaction()
    assert not ValueMapping.objects.exists()
    assert after_commit == []


def test_the_command_line_decides_through_the_one_service(
    grooming, nuso, tmp_path, django_capture_on_commit_callbacks
) -> None:
    decisions = tmp_path / "beslut.csv"
    decisions.write_text("rått värde,variabel,kod\nNätkontakt,orsaker,sexuellt_vald\n", "utf-8")
    with django_capture_on_commit_callbacks() as after_commit:
        assert nuso("review", "--decisions", str(decisions)).exit_code == 0
    assert AuditEntry.objects.filter(action="review.decide").count() == 1
    assert after_commit == [retraining.requested]


def test_the_admin_decides_through_the_one_service(
    grooming, client, django_user_model, django_capture_on_commit_callbacks
) -> None:
    analyst = django_user_model.objects.create_superuser(
        "analytiker", "a@example.se", "lösenord-som-är-långt"
    )
    log_in_with_code(client, analyst, "lösenord-som-är-långt")
    item = ReviewItem.objects.get()
    with django_capture_on_commit_callbacks() as after_commit:
        client.post(
            "/admin/intake/reviewitem/",
            {"action": "mark_unknown", "_selected_action": [item.pk]},
        )
    assert AuditEntry.objects.get(action="review.decide").actor_label == "analytiker"
    assert after_commit == [retraining.requested]


def test_a_record_partly_waiting_still_waits_after_another_variables_decision(
    nuso, tmp_path
) -> None:
    """A reasons cell with one value decided and one waiting keeps its record in review when
    a decision settles the record's action."""
    nuso("init")
    path = tmp_path / "Karlstad 2023.csv"
    path.write_text("Kön;Orsak 1;Orsak 2;Åtgärd\nF;Skolproblem;Qwfpgj;Zxqvbn\n", "utf-8")
    assert (
        nuso("import", str(path), "--study", "aktualiseringar", "--period", "2023").exit_code == 0
    )
    (record,) = stored_records()
    assert record.pending_review
    assert record.decisions["orsaker"]["method"] == "exact+pending"
    decide(RawValue(Study.objects.get(slug="aktualiseringar"), "atgard", "Zxqvbn"),
           "utredning_inleds", None, ACTOR)  # fmt: skip
    (record,) = stored_records()
    assert record.values["atgard"] == "utredning_inleds"
    assert record.pending_review  # "Qwfpgj" still waits


def test_the_admin_changes_no_review_item_by_hand(grooming, client, django_user_model) -> None:
    from .conftest import log_in_with_code

    admin = django_user_model.objects.create_superuser("admin", "a@example.se", "långt lösenord 1")
    log_in_with_code(client, admin, "långt lösenord 1")
    item = ReviewItem.objects.get()
    address = f"/admin/intake/reviewitem/{item.pk}/change/"
    page = client.get(address)
    assert page.status_code == 200  # shown, with no field to change
    assert 'name="status"' not in page.content.decode()
    client.post(address, {"status": "decided", "variable": "kon", "raw_example": "x"})
    item.refresh_from_db()
    assert (item.status, item.variable) == ("pending", "orsaker")
    assert client.get(f"/admin/intake/reviewitem/{item.pk}/delete/").status_code == 403
