"""Records posted by a case system: each taken or refused on its own with errors per field,
linked to their decision, idempotent under their own id, corrected and audited."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from nuso.audit.models import AuditEntry
from nuso.collection.models import Registration
from nuso.intake.models import ImportBatch
from nuso.intake.record_frames import record_frame
from tests.api.conftest import CHILD, RECORDS, SISTER, closing, decision
from tests.norwegian import a_number

BATCH = {
    "poster": [
        decision("b-1"),
        closing("a-1", beslutsdatum="2026-03-02", insatstyp="Kontaktfamilj"),
        decision("b-2", child=SISTER, alder="12", insatstyp="Familjehem", halsoundersokning=True),
        decision("b-3", alder=25),  # out of range
        decision("b-4", insatstyp=None),  # required, missing
        decision("b-5", personnummer="20150409-2379"),  # wrong check digit
        decision("b-6", beslutsdatum="2/3 2026", kommentar="x"),  # not ISO; unknown field
        decision("b-7", riskbedomning="hög risk kanske"),  # no such answer
        "ingen post",
    ]
}


@pytest.mark.django_db
def test_a_batch_takes_the_good_records_and_answers_each_bad_one_by_field(api, follow_up) -> None:
    response = api.post(BATCH)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["mottagna"], body["nya"], body["avvisade"]) == (9, 3, 6)
    assert body["period"] == "2026"
    outcomes = body["poster"]
    assert [o["status"] for o in outcomes[:3]] == ["ny", "ny", "ny"]
    assert outcomes[1]["beslut"] == "kopplad"
    errors = {o["id"]: o["fel"] for o in outcomes[3:8]}
    assert errors["b-3"] == [{"pekare": "/poster/3/alder", "varde": "25",
                              "meddelande": "Ange ett tal mellan 0 och 17 år."}]  # fmt: skip
    assert errors["b-4"] == [{"pekare": "/poster/4/insatstyp", "varde": None,
                              "meddelande": "Frågan behöver ett svar."}]  # fmt: skip
    assert errors["b-5"][0]["pekare"] == "/poster/5/personnummer"
    assert errors["b-5"][0]["varde"] is None  # an identity number is never echoed
    assert "kontrollsiffran" in errors["b-5"][0]["meddelande"]
    pointers = {e["pekare"] for e in errors["b-6"]}
    assert pointers >= {"/poster/6/beslutsdatum", "/poster/6/kommentar"}
    assert errors["b-7"][0]["meddelande"] == "Välj ett av svarsalternativen."
    assert outcomes[8]["fel"][0] == {"pekare": "/poster/8", "varde": None,
                                     "meddelande": "En post ska vara ett JSON-objekt."}  # fmt: skip
    stored = Registration.objects.filter(source="api", status="submitted")
    assert sorted(stored.values_list("client_id", flat=True)) == ["a-1", "b-1", "b-2"]
    closed = stored.get(client_id="a-1")
    assert closed.decision == stored.get(client_id="b-1")
    assert not closed.without_decision
    frame = record_frame(follow_up["study"]).sort("row")  # decisions stored first
    assert frame.height == 3
    assert frame["value:insatstyp"].to_list() == ["kontaktfamilj", "familjehem", "kontaktfamilj"]
    assert frame["value:tillfalle"].to_list() == ["beslut", "beslut", "avslut"]
    assert frame["value:alder"].to_list() == [10, 12, 10]  # the closing carries the decision's
    assert frame["value:kon"].to_list() == ["pojke", "flicka", "pojke"]  # from the number
    assert sorted(frame["value:utsatthet_hemmet"][0]) == ["familjekonflikt", "fysiskt_vald"]
    assert frame["value:halsoundersokning"].to_list() == [None, True, None]


@pytest.mark.django_db
def test_a_batch_sent_again_adds_nothing(api, follow_up) -> None:
    first = api.post(BATCH).json()
    batch = ImportBatch.objects.get(status="imported")
    again = api.post(BATCH).json()
    assert (again["nya"], again["oforandrade"], again["avvisade"]) == (0, 3, 6)
    assert [o["status"] for o in again["poster"][:3]] == ["oforandrad"] * 3
    assert again["poster"][1]["beslut"] == "kopplad"
    assert Registration.objects.count() == 3
    assert ImportBatch.objects.get(status="imported") == batch
    assert record_frame(follow_up["study"]).height == 3
    assert not AuditEntry.objects.filter(action="registration.corrected").exists()
    assert first["poster"][3] == again["poster"][3]  # the same errors


@pytest.mark.django_db
def test_changed_content_corrects_the_record_and_is_audited(api, follow_up) -> None:
    api.post({"poster": [decision("b-1")]})
    response = api.post({"poster": [decision("b-1", riskbedomning="Mycket hög risk")]})
    assert response.json()["poster"][0]["status"] == "rattad"
    assert Registration.objects.count() == 1
    assert record_frame(follow_up["study"])["value:riskbedomning"].to_list() == ["mycket_hog"]
    entry = AuditEntry.objects.get(action="registration.corrected")
    assert entry.details["changed"] == ["riskbedomning"]


@pytest.mark.django_db
def test_a_closed_period_refuses_a_correction_but_not_the_same_record(api, follow_up) -> None:
    from nuso.audit.services import Actor
    from nuso.collection.services import close_period, open_period

    api.post(decision("b-1"))
    close_period(follow_up["period"], Actor.command_line())
    open_period(follow_up["study"], "2027", Actor.command_line())
    assert api.post(decision("b-1")).json()["poster"][0]["status"] == "oforandrad"
    refused = api.post(decision("b-1", riskbedomning="ingen_lag"))
    assert refused.status_code == 422
    assert "stängd" in refused.json()["poster"][0]["fel"][0]["meddelande"]


@pytest.mark.django_db
def test_a_record_posted_alone_is_answered_alone(api, follow_up) -> None:
    response = api.post(decision("b-1"))
    assert response.status_code == 200
    assert response.json()["poster"][0] == {"pekare": "", "id": "b-1", "status": "ny",
                                            "granskas": False}  # fmt: skip
    bad = api.post(decision("b-2", alder=-1)).json()
    assert bad["poster"][0]["fel"][0]["pekare"] == "/alder"


@pytest.mark.django_db
def test_a_norwegian_childs_records_are_taken_and_linked_by_its_pseudonym(api, follow_up) -> None:
    """A fødselsnummer is read as a personnummer is: the child's sex from it, its closing linked
    to its decision; wrong check digits are refused naming the number masked, and a record's
    own id may not hold one."""
    norwegian = a_number(dt.date(2015, 8, 3), 782)  # a girl, 10 at the decision
    wrong = norwegian[:10] + str((int(norwegian[10]) + 1) % 10)
    body = api.post({"poster": [
        decision("b-1", child=f"{norwegian[:6]} {norwegian[6:]}"),
        closing("a-1", child=norwegian),
        decision("b-2", child=wrong),
        decision(f"arende {norwegian}"),
    ]}).json()  # fmt: skip
    assert [o["status"] for o in body["poster"]] == ["ny", "ny", "avvisad", "avvisad"]
    assert body["poster"][1]["beslut"] == "kopplad"
    assert body["poster"][2]["fel"][0] == {
        "pekare": "/poster/2/personnummer", "varde": None,
        "meddelande": "Numret ••••••••••• är inget giltigt norskt fødselsnummer, D- eller "
                      "H-nummer: kontrollsiffrorna stämmer inte.",
    }  # fmt: skip
    assert body["poster"][3]["fel"][0]["pekare"] == "/poster/3/id"
    assert norwegian not in json.dumps(body)
    assert wrong not in json.dumps(body)
    frame = record_frame(follow_up["study"]).sort("row")
    assert frame["value:kon"].to_list() == ["flicka", "flicka"]


@pytest.mark.django_db
def test_a_follow_up_finds_its_decision_by_the_facts_it_gives(api, follow_up) -> None:
    api.post({"poster": [decision("b-1"), decision("b-2", insatstyp="hvb")]})
    response = api.post({"poster": [
        closing("a-0"),  # two decisions of the child: which?
        closing("a-1", insatstyp="HVB"),
        closing("a-2", child=SISTER),  # none for her
    ]}).json()  # fmt: skip
    links = [(o["status"], o.get("beslut")) for o in response["poster"]]
    assert links == [("ny", "utan_beslut"), ("ny", "kopplad"), ("ny", "utan_beslut")]
    assert "2 registreringar vid beslut passar" in response["poster"][0]["anmarkning"]
    linked = Registration.objects.get(client_id="a-1")
    assert linked.decision == Registration.objects.get(client_id="b-2")
    assert Registration.objects.get(client_id="a-2").without_decision


@pytest.mark.django_db
def test_the_same_id_twice_in_a_call_refuses_the_second(api, follow_up) -> None:
    body = api.post({"poster": [decision("b-1"), decision("b-1", alder=10)]}).json()
    assert [o["status"] for o in body["poster"]] == ["ny", "avvisad"]
    assert "post 0" in body["poster"][1]["fel"][0]["meddelande"]


@pytest.mark.django_db
def test_malformed_calls_are_refused_whole_in_one_error_shape(api, follow_up) -> None:
    for body, status in (("{inte json", 400), ([decision("b-1")], 400),
                         ({"poster": []}, 400), ({"poster": [{}] * 10_001}, 413)):  # fmt: skip
        response = api.post(body)
        assert response.status_code == status, body
        assert set(response.json()) == {"status", "meddelande", "fel"}
    plain = api.client.post(
        RECORDS, data="x", content_type="text/plain", HTTP_AUTHORIZATION=f"Bearer {api.key}"
    )
    assert plain.status_code == 415


@pytest.mark.django_db
def test_without_an_open_period_the_call_is_refused(api, follow_up) -> None:
    from nuso.audit.services import Actor
    from nuso.collection.services import close_period

    close_period(follow_up["period"], Actor.command_line())
    response = api.post(decision("b-1"))
    assert response.status_code == 409
    assert "Ingen insamlingsperiod" in response.json()["meddelande"]


@pytest.mark.django_db
def test_every_call_is_audited_without_values(api, follow_up) -> None:
    api.post(BATCH)
    entry = AuditEntry.objects.get(action="api.records")
    assert entry.actor_label.startswith("api:nuso_")
    assert entry.details["counts"]["nya"] == 3
    assert entry.unit.code == "1780"
    assert "hog" not in str(entry.details)
    assert CHILD[:8] not in str(entry.details)


@pytest.mark.django_db
def test_a_follow_up_sent_again_after_its_decision_is_linked(api, follow_up) -> None:
    first = api.post(closing("a-1", insatstyp="kontaktfamilj")).json()["poster"][0]
    assert first["beslut"] == "utan_beslut"
    api.post(decision("b-1"))
    again = api.post(closing("a-1", insatstyp="kontaktfamilj")).json()["poster"][0]
    assert (again["status"], again["beslut"]) == ("oforandrad", "kopplad")
    linked = Registration.objects.get(client_id="a-1")
    assert linked.decision == Registration.objects.get(client_id="b-1")
    assert not linked.without_decision
    frame = record_frame(follow_up["study"]).sort("row")  # the closing first
    assert frame["value:alder"].to_list() == [10, 10]  # the decision's, carried now
    assert AuditEntry.objects.filter(action="registration.linked").count() == 1


@pytest.mark.django_db
def test_a_corrected_decision_corrects_the_facts_its_closing_carries(api, follow_up) -> None:
    first = api.post({"poster": [decision("b-1"), closing("a-1")]}).json()
    assert first["poster"][1]["beslut"] == "kopplad"
    api.post({"poster": [decision("b-1", insatstyp="familjehem")]})
    frame = record_frame(follow_up["study"]).sort("row")
    assert frame["value:tillfalle"].to_list() == ["beslut", "avslut"]
    assert frame["value:insatstyp"].to_list() == ["familjehem", "familjehem"]
