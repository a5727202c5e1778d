"""A registration from draft to record: saved as typed, the child pseudonymised, a follow-up
linked to its decision with the decision's facts, submitted into the unit's delivery that the
analysis reads, corrected, and kept from other units' social workers."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from nuso.collection import services
from nuso.collection.models import Registration
from nuso.core.intake.pseudonyms import pseudonym
from nuso.intake.models import ImportBatch
from nuso.intake.record_frames import record_frame
from tests.conftest import identity_number
from tests.norwegian import a_number

CHILD = identity_number(dt.date(2015, 4, 9), 237)  # a boy (odd serial)
DECISION = {
    "beslutsdatum": "2026-03-02", "alder": "10", "ursprung": "svenskfodd",
    "ensamkommande": "nej", "utsatthet_hemmet": ["fysiskt_vald", "familjekonflikt"],
    "riskbedomning": "hog", "insatstyp": "kontaktfamilj", "samtal_med_barnet": ["enskilt"],
    "sip": "ja", "skolsituation": "nar_kunskapskraven",
}  # fmt: skip


def decided(follow_up, answers=DECISION):
    worker = follow_up["worker"]
    draft = services.start(worker, follow_up["study"], "1780", "beslut")
    services.save_draft(draft, worker, answers, identity=CHILD)
    outcome = services.submit(draft, worker)
    assert outcome.done, (outcome.errors, outcome.missing)
    return draft


@pytest.mark.django_db
def test_a_draft_keeps_what_was_typed_and_never_the_identity_number(follow_up) -> None:
    worker = follow_up["worker"]
    draft = services.start(worker, follow_up["study"], "1780", "beslut")
    saved = services.save_draft(draft, worker, {"alder": "25", "riskbedomning": "hog"}, CHILD)
    draft.refresh_from_db()
    assert draft.answers["alder"] == "25"  # kept as typed, though out of range
    assert "mellan 0 och 17" in saved.errors["alder"]
    assert draft.answers["kon"] == "pojke"  # from the number, not typed
    assert draft.pseudonym
    assert len(draft.pseudonym) == 16
    stored = json.dumps(list(Registration.objects.values()), default=str)
    digits = CHILD.replace("-", "")
    assert digits not in stored
    assert digits[2:] not in stored


@pytest.mark.django_db
def test_an_identity_number_typed_into_a_text_answer_is_masked(follow_up) -> None:
    worker = follow_up["worker"]
    draft = services.start(worker, follow_up["study"], "1780", "beslut")
    services.save_draft(draft, worker, {"riskbedomning": f"hog {CHILD}"})
    draft.refresh_from_db()
    assert CHILD not in json.dumps(draft.answers)
    assert "[pnr:" in draft.answers["riskbedomning"]


@pytest.mark.django_db
def test_a_norwegian_number_identifies_the_child_and_a_wrong_one_is_named_masked(
    follow_up,
) -> None:
    worker = follow_up["worker"]
    draft = services.start(worker, follow_up["study"], "1780", "beslut")
    number = a_number(dt.date(2015, 4, 9), 781)  # a boy
    wrong = f"{number[:6]}-{number[6:10]}{(int(number[10]) + 1) % 10}"
    saved = services.save_draft(draft, worker, {}, identity=wrong)
    assert saved.identity_error.startswith("Numret ••••••-••••• är inget giltigt norskt")
    saved = services.save_draft(draft, worker, {}, identity=f"{number[:6]} {number[6:]}")
    assert saved.identity_error == ""
    assert saved.filled == {"kon": "pojke"}
    draft.refresh_from_db()
    assert draft.pseudonym == pseudonym(f"no{number}", settings.NUSO_PSEUDONYM_KEY)
    assert number not in json.dumps(list(Registration.objects.values()), default=str)


@pytest.mark.django_db
def test_a_submitted_decision_becomes_a_record_of_the_units_delivery(follow_up) -> None:
    registration = decided(follow_up)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.SUBMITTED
    assert "_fodd" not in registration.answers
    batch = ImportBatch.objects.get(study=follow_up["study"], status="imported")
    assert (batch.unit.code, batch.period, batch.rows_imported) == ("1780", "2026", 1)
    frame = record_frame(follow_up["study"])
    row = frame.row(0, named=True)
    assert row["value:tillfalle"] == "beslut"
    assert row["value:insatstyp"] == "kontaktfamilj"
    assert row["value:alder"] == 10
    assert row["value:aldersgrupp"] == "9-11"
    assert sorted(row["value:utsatthet_hemmet"]) == ["familjekonflikt", "fysiskt_vald"]
    assert row["value:sip"] is True
    assert row["value:kon"] == "pojke"
    assert row["pseudonym"] == registration.pseudonym


@pytest.mark.django_db
def test_submission_asks_for_what_is_missing(follow_up) -> None:
    worker = follow_up["worker"]
    draft = services.start(worker, follow_up["study"], "1780", "beslut")
    services.save_draft(draft, worker, {"riskbedomning": "hog"})
    outcome = services.submit(draft, worker)
    assert not outcome.done
    assert outcome.errors["insatstyp"] == "Frågan behöver ett svar."
    assert any("personnummer" in m for m in outcome.missing)
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_an_age_that_disagrees_with_the_identity_number_is_refused(follow_up) -> None:
    worker = follow_up["worker"]
    draft = services.start(worker, follow_up["study"], "1780", "beslut")
    services.save_draft(draft, worker, {**DECISION, "alder": "12"}, identity=CHILD)
    outcome = services.submit(draft, worker)
    assert "Åldern stämmer inte" in outcome.errors["alder"]


@pytest.mark.django_db
def test_a_closing_links_to_its_decision_and_carries_its_facts(follow_up) -> None:
    decision = decided(follow_up)
    worker = follow_up["worker"]
    closing = services.start(worker, follow_up["study"], "1780", "avslut")
    services.save_draft(closing, worker, {"avslutsdatum": "2026-09-30", "riskbedomning":
                        "nagot_forhojd", "maluppfyllelse": "delvis"}, identity=CHILD)  # fmt: skip
    closing.refresh_from_db()
    offered = services.candidates(closing)
    assert [c.pk for c in offered] == [decision.pk]
    assert "Kontaktfamilj" in offered[0].described
    assert "2026-03-02" in offered[0].described
    assert CHILD[:8] not in offered[0].described
    services.link(closing, worker, decision.pk)
    outcome = services.submit(closing, worker)
    assert outcome.done, (outcome.errors, outcome.missing)
    frame = record_frame(follow_up["study"]).sort("row")
    assert frame["value:tillfalle"].to_list() == ["beslut", "avslut"]
    assert frame["value:insatstyp"].to_list() == ["kontaktfamilj", "kontaktfamilj"]
    assert frame["value:beslutsdatum"].to_list() == ["2026-03-02", "2026-03-02"]
    assert frame["value:riskbedomning"].to_list() == ["hog", "nagot_forhojd"]
    assert frame["pseudonym"].n_unique() == 1


@pytest.mark.django_db
def test_a_closing_date_before_the_decision_is_refused(follow_up) -> None:
    decision = decided(follow_up)
    worker = follow_up["worker"]
    closing = services.start(worker, follow_up["study"], "1780", "avslut")
    services.save_draft(closing, worker, {"avslutsdatum": "2026-01-30"}, identity=CHILD)
    closing.refresh_from_db()
    services.link(closing, worker, decision.pk)
    outcome = services.submit(closing, worker)
    assert outcome.errors["avslutsdatum"] == "Avslutet kan inte vara före beslutet."


@pytest.mark.django_db
def test_a_closing_without_its_decision_is_allowed_and_flagged(follow_up) -> None:
    worker = follow_up["worker"]
    closing = services.start(worker, follow_up["study"], "1780", "avslut")
    answers = {"avslutsdatum": "2026-09-30", "riskbedomning": "hog"}
    services.save_draft(closing, worker, answers, identity=CHILD)
    closing.refresh_from_db()
    assert services.candidates(closing) == []
    assert not services.submit(closing, worker).done  # asked: link, or say there is none
    services.link(closing, worker, None)
    assert services.submit(closing, worker).done
    closing.refresh_from_db()
    assert closing.without_decision


@pytest.mark.django_db
def test_a_correction_rewrites_the_delivery_and_is_audited(follow_up) -> None:
    from nuso.audit.models import AuditEntry

    registration = decided(follow_up)
    worker = follow_up["worker"]
    registration.refresh_from_db()
    _, outcome = services.correct(registration, worker, {"riskbedomning": "mycket_hog"})
    assert outcome.done
    assert record_frame(follow_up["study"])["value:riskbedomning"].to_list() == ["mycket_hog"]
    assert ImportBatch.objects.filter(status="imported").count() == 1
    entry = AuditEntry.objects.filter(action="registration.corrected").get()
    assert entry.details["changed"] == ["riskbedomning"]


@pytest.mark.django_db
def test_a_closed_period_ends_corrections(follow_up) -> None:
    from nuso.audit.services import Actor

    registration = decided(follow_up)
    services.close_period(follow_up["period"], Actor.command_line())
    registration.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.save_draft(registration, follow_up["worker"], {"riskbedomning": "hog"})


@pytest.mark.django_db
def test_another_units_worker_can_neither_see_link_nor_register_for_the_unit(follow_up) -> None:
    decision = decided(follow_up)
    other = follow_up["other"]
    with pytest.raises(Http404):
        services.own_registration(other, decision.pk)
    with pytest.raises(PermissionDenied):
        services.start(other, follow_up["study"], "1780", "beslut")
    closing = services.start(other, follow_up["study"], "1281", "avslut")
    services.save_draft(closing, other, {}, identity=CHILD)  # the same child, in Lund
    closing.refresh_from_db()
    assert services.candidates(closing) == []
    with pytest.raises(Http404):
        services.link(closing, other, decision.pk)


@pytest.mark.django_db
def test_a_manager_sees_counts_by_occasion_and_the_overdue_follow_ups(follow_up) -> None:
    from nuso.collection.overview import unit_overview

    decision = decided(follow_up)
    study, unit = follow_up["study"], follow_up["unit"]
    services.start(follow_up["worker"], study, "1780", "uppfoljning")  # a draft under way
    due = dt.date(2026, 3, 2) + dt.timedelta(days=183)
    assert unit_overview(study, unit, today=due).overdue == ()
    late = unit_overview(study, unit, today=due + dt.timedelta(days=1))
    assert [(o.label, o.submitted, o.drafts) for o in late.occasions] == [
        ("Vid beslut", 1, 0), ("Vid uppföljning", 0, 1), ("Vid avslut", 0, 0)]  # fmt: skip
    assert [o.days for o in late.overdue] == [184]
    assert "Kontaktfamilj" in late.overdue[0].described
    worker = follow_up["worker"]
    review = services.start(worker, study, "1780", "uppfoljning")
    answers = {"uppfoljningsdatum": "2026-06-01", "riskbedomning": "hog"}
    services.save_draft(review, worker, answers, identity=CHILD)
    review.refresh_from_db()
    services.link(review, worker, decision.pk)
    assert services.submit(review, worker).done
    assert unit_overview(study, unit, today=due + dt.timedelta(days=1)).overdue == ()


@pytest.mark.django_db
def test_the_overview_is_the_units_own(follow_up) -> None:
    from django.test import Client

    from tests.conftest import log_in_with_code, make_user

    decided(follow_up)
    manager = make_user("chef_lund", "kommun", [follow_up["other_unit"]])
    client = log_in_with_code(Client(), manager, "ett långt lösenord 42")
    assert client.get("/portal/enhet/1780/insatsuppfoljning/registreringar/").status_code == 404
    own = client.get("/portal/enhet/1281/insatsuppfoljning/registreringar/")
    assert own.status_code == 200
    assert "Inget beslut väntar" in own.content.decode()


@pytest.mark.django_db
def test_registered_occasions_are_paired_in_the_results_over_time(follow_up) -> None:
    import polars as pl

    from nuso.analysis.data import study_input

    decision = decided(follow_up)  # risk hog at the decision
    worker = follow_up["worker"]
    closing = services.start(worker, follow_up["study"], "1780", "avslut")
    answers = {"avslutsdatum": "2026-09-30", "riskbedomning": "nagot_forhojd"}
    services.save_draft(closing, worker, answers, identity=CHILD)
    closing.refresh_from_db()
    services.link(closing, worker, decision.pk)
    assert services.submit(closing, worker).done
    frame = study_input(follow_up["study"], "2026").frame
    closed = frame.filter(pl.col("tillfalle") == "avslut")
    assert closed["riskforandring"].to_list() == ["lagre"]  # hög -> något förhöjd
    assert closed["tid_till_avslut"].to_list() != [None]


@pytest.mark.django_db
def test_the_same_child_has_one_pseudonym_across_a_file_and_a_form(follow_up, tmp_path) -> None:
    """The chain NUSO follows: a referral imported from a municipality's file and the
    intervention registered in a form are the same child's, by the keyed pseudonym alone."""
    from nuso.audit.services import Actor
    from nuso.intake.services import FileStatus, import_paths
    from nuso.studies.models import Study

    export = tmp_path / "Karlstad aktualiseringar 2026.csv"
    export.write_text(
        "Personnummer;Kön;Ålder;Aktualiseringstyp;Orsak;Åtgärd\n"
        f"{CHILD};Pojke;10;Anmälan;Fysiskt våld;Utredning inleds\n", "utf-8"
    )  # fmt: skip
    outcome = import_paths([export], study_slug="aktualiseringar", period="2026",
                           actor=Actor.command_line(), unit_hint="1780")  # fmt: skip
    assert outcome[0].status == FileStatus.IMPORTED, outcome[0].message
    registration = decided(follow_up)
    referrals = record_frame(Study.objects.get(slug="aktualiseringar"))
    assert referrals["pseudonym"].to_list() == [registration.pseudonym]


@pytest.mark.django_db
def test_a_corrected_decision_corrects_the_facts_its_closing_carries(follow_up) -> None:
    from nuso.audit.models import AuditEntry

    decision = decided(follow_up)
    worker = follow_up["worker"]
    closing = services.start(worker, follow_up["study"], "1780", "avslut")
    answers = {"avslutsdatum": "2026-09-30", "riskbedomning": "hog"}
    services.save_draft(closing, worker, answers, identity=CHILD)
    closing.refresh_from_db()
    services.link(closing, worker, decision.pk)
    assert services.submit(closing, worker).done
    decision.refresh_from_db()
    assert services.correct(decision, worker, {"insatstyp": "familjehem"})[1].done
    frame = record_frame(follow_up["study"]).sort("row")
    assert frame["value:insatstyp"].to_list() == ["familjehem", "familjehem"]
    entry = AuditEntry.objects.filter(action="registration.corrected", target_id=str(closing.pk))
    assert entry.get().details["changed"] == ["insatstyp"]


@pytest.mark.django_db
def test_a_submitted_registration_changes_only_when_its_correction_is_complete(
    follow_up,
) -> None:
    """Nothing half-corrected reaches the data: a draft's save is refused on a submitted
    registration, and a correction with an error keeps nothing of it."""
    registration = decided(follow_up)
    worker = follow_up["worker"]
    registration.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.save_draft(registration, worker, {"riskbedomning": "mycket_hog"})
    shown, outcome = services.correct(registration, worker, {"riskbedomning": "mycket_hog",
                                                             "alder": "40"})  # fmt: skip
    assert not outcome.done
    assert shown.answers["riskbedomning"] == "mycket_hog"  # shown again as posted
    registration.refresh_from_db()
    assert registration.answers["riskbedomning"] == "hog"
    assert record_frame(follow_up["study"])["value:riskbedomning"].to_list() == ["hog"]


@pytest.mark.django_db
def test_another_child_undoes_the_link_and_the_facts_copied_with_it(follow_up) -> None:
    decision = decided(follow_up)
    worker = follow_up["worker"]
    closing = services.start(worker, follow_up["study"], "1780", "avslut")
    services.save_draft(closing, worker, {"avslutsdatum": "2026-09-30"}, identity=CHILD)
    closing.refresh_from_db()
    services.link(closing, worker, decision.pk)
    closing.refresh_from_db()
    assert closing.answers["insatstyp"] == "kontaktfamilj"
    sister = identity_number(dt.date(2013, 6, 1), 242)
    services.save_draft(closing, worker, {}, identity=sister)
    closing.refresh_from_db()
    assert closing.decision is None
    assert "insatstyp" not in closing.answers  # the other child's decision's facts
    assert closing.answers["avslutsdatum"] == "2026-09-30"  # what was typed stays
    services.link(closing, worker, None)
    closing.refresh_from_db()
    assert closing.without_decision
    assert "beslutsdatum" not in closing.answers


@pytest.mark.django_db
def test_a_decision_is_linked_to_nothing_and_a_closed_periods_draft_can_be_discarded(
    follow_up,
) -> None:
    from nuso.audit.services import Actor

    worker = follow_up["worker"]
    draft = services.start(worker, follow_up["study"], "1780", "beslut")
    with pytest.raises(PermissionDenied):
        services.link(draft, worker, None)  # a decision follows no decision
    services.close_period(follow_up["period"], Actor.command_line())
    draft.refresh_from_db()
    services.discard(draft, worker)
    assert not Registration.objects.filter(pk=draft.pk).exists()


@pytest.mark.django_db
def test_one_period_is_open_at_a_time(follow_up) -> None:
    from django.core.exceptions import ValidationError

    from nuso.audit.services import Actor

    with pytest.raises(ValidationError, match="Perioden 2026 är öppen"):
        services.open_period(follow_up["study"], "2027", Actor.command_line())
