"""The social worker's pages, through Django's test client: start, autosave, resume from "Mina
utkast", link, submit; and what other roles and other units' workers get."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from nuso.collection.models import Registration
from tests.conftest import identity_number, log_in_with_code, make_user

CHILD = identity_number(dt.date(2016, 1, 20), 482)
PASSWORD = "ett långt lösenord 42"


def logged_in(user) -> Client:
    return log_in_with_code(Client(), user, PASSWORD)


def begin(client: Client, occasion: str = "beslut") -> int:
    response = client.post("/registrera/ny/", {"delstudie": "insatsuppfoljning",
                           "enhet": "1780", "tillfalle": occasion})  # fmt: skip
    assert response.status_code == 302, response.content[:500]
    return int(re.search(r"/registrera/(\d+)/", response["Location"]).group(1))


def page_answers(**answers) -> dict:
    """What the page posts: its questions named (a box left empty is an answer too)."""
    return {"_fragor": list(answers), **answers}


@pytest.mark.django_db
def test_a_social_worker_lands_on_registration_and_sees_no_dashboards(follow_up) -> None:
    client = logged_in(follow_up["worker"])
    assert client.get("/portal/")["Location"] == "/registrera/"
    page = client.get("/registrera/").content.decode()
    assert "Uppföljning av insatser" in page
    assert "Vid uppföljning" in page
    assert client.get("/portal/enhet/1780/aktualiseringar/").status_code == 403


@pytest.mark.django_db
def test_autosave_keeps_the_draft_and_answers_what_is_wrong(follow_up) -> None:
    client = logged_in(follow_up["worker"])
    pk = begin(client)
    saved = client.post(
        f"/registrera/{pk}/spara.json",
        page_answers(alder="40", insatstyp="hvb", personnummer=CHILD),
    ).json()
    assert saved["sparad"]
    assert "mellan 0 och 17" in saved["fel"]["alder"]
    assert saved["ladda_om"] is False  # a decision links to nothing: no reload needed
    assert saved["ifyllt"] == {"kon": "flicka"}  # told to the page, which ticks it
    assert CHILD not in str(saved)
    page = client.get(f"/registrera/{pk}/").content.decode()
    assert 'value="40"' in page  # resumed as typed
    assert CHILD not in page
    assert CHILD.replace("-", "") not in page
    assert "Ett nummer är angivet" in page
    assert "Har barnet erbjudits en hälsoundersökning?" in page  # shown for hvb
    drafts = client.get("/registrera/utkast/").content.decode()
    assert f"/registrera/{pk}/" in drafts


@pytest.mark.django_db
def test_the_page_works_without_a_script_from_decision_to_closing(follow_up) -> None:
    client = logged_in(follow_up["worker"])
    pk = begin(client)
    decision = page_answers(
        beslutsdatum="2026-02-10", alder="10", ursprung="vet_ej", ensamkommande="nej",
        riskbedomning="hog", insatstyp="kontaktperson", kon="flicka",
    )  # fmt: skip
    response = client.post(f"/registrera/{pk}/", {**decision, "personnummer": CHILD,
                           "atgard": "skicka"})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    closing = begin(client, "avslut")
    page = client.post(f"/registrera/{closing}/", {"personnummer": CHILD, "atgard": "spara"})
    assert "Kontaktperson" in page.content.decode()  # the decision offered by its facts
    client.post(f"/registrera/{closing}/", {"beslut": str(pk), "atgard": "koppla"})
    page = client.get(f"/registrera/{closing}/").content.decode()
    assert "Från registreringen vid beslut" in page
    answers = page_answers(avslutsdatum="2026-10-01", riskbedomning="ingen_lag",
                           maluppfyllelse="helt")  # fmt: skip
    done = client.post(f"/registrera/{closing}/", {**answers, "atgard": "skicka"})
    assert done.status_code == 302, done.content.decode()[:3000]
    closing_registration = Registration.objects.get(pk=closing)
    assert closing_registration.decision_id == pk
    assert closing_registration.answers["insatstyp"] == "kontaktperson"


@pytest.mark.django_db
def test_a_submission_with_gaps_lists_them_and_links_to_each(follow_up) -> None:
    client = logged_in(follow_up["worker"])
    pk = begin(client)
    page = client.post(f"/registrera/{pk}/", {**page_answers(alder="10"), "atgard": "skicka"})
    html = page.content.decode()
    assert 'role="alert"' in html
    assert 'href="#insatstyp-kontaktperson"' in html  # the question's first answer
    assert "Ange barnets personnummer" in html


@pytest.mark.django_db
def test_another_units_worker_gets_nothing_of_the_registration(follow_up) -> None:
    pk = begin(logged_in(follow_up["worker"]))
    other = logged_in(follow_up["other"])
    assert other.get(f"/registrera/{pk}/").status_code == 404
    assert other.post(f"/registrera/{pk}/spara.json", page_answers(alder="3")).status_code == 404
    assert other.post(f"/registrera/{pk}/kasta/").status_code == 404
    response = other.post("/registrera/ny/", {"delstudie": "insatsuppfoljning", "enhet": "1780",
                          "tillfalle": "beslut"})  # fmt: skip
    assert response.status_code == 403


@pytest.mark.django_db
def test_only_analysts_open_and_close_periods(follow_up) -> None:
    from nuso.units.models import Unit

    manager = make_user("chef", "kommun", [Unit.objects.get(code="1780")])
    assert logged_in(manager).get("/registrera/perioder/").status_code == 403
    worker = logged_in(follow_up["worker"])  # once: a one-time code is used once
    assert worker.get("/registrera/perioder/").status_code == 403
    analyst = logged_in(make_user("analytiker", "analytiker", []))
    analyst.post("/registrera/perioder/", {"stang": str(follow_up["period"].pk)})
    follow_up["period"].refresh_from_db()
    assert not follow_up["period"].is_open
    page = worker.get("/registrera/").content.decode()
    assert "Ingen insamlingsperiod är öppen för uppföljning av insatser" in page


@pytest.mark.django_db
def test_autosave_in_a_closed_period_says_so_for_good(follow_up) -> None:
    """A closed period refuses a draft's save with a reason the page's script shows and stops
    at (a CSRF failure, by contrast, is an HTML page: the script fetches a new token)."""
    from nuso.audit.services import Actor
    from nuso.collection.services import close_period

    client = logged_in(follow_up["worker"])
    pk = begin(client)
    close_period(follow_up["period"], Actor.command_line())
    response = client.post(f"/registrera/{pk}/spara.json", page_answers(alder="3"))
    assert response.status_code == 403
    assert "stängd" in response.json()["stangd"]


@pytest.mark.django_db
def test_a_submitted_registration_is_corrected_on_its_page_only_when_complete(follow_up) -> None:
    from nuso.intake.record_frames import record_frame

    client = logged_in(follow_up["worker"])
    pk = begin(client)
    decision = page_answers(
        beslutsdatum="2026-02-10", alder="10", ursprung="svenskfodd", ensamkommande="nej",
        riskbedomning="hog", insatstyp="kontaktperson", kon="flicka",
    )  # fmt: skip
    client.post(f"/registrera/{pk}/", {**decision, "personnummer": CHILD, "atgard": "skicka"})
    page = client.get(f"/registrera/{pk}/").content.decode()
    assert "data-autosave" not in page  # a correction is saved whole, or not at all
    assert "Spara rättelsen" in page
    wrong = client.post(f"/registrera/{pk}/", {**decision, "riskbedomning": "mycket_hog",
                        "alder": "40", "atgard": "skicka"})  # fmt: skip
    assert wrong.status_code == 200
    assert 'value="40"' in wrong.content.decode()  # shown again as typed
    assert record_frame(follow_up["study"])["value:riskbedomning"].to_list() == ["hog"]
    right = client.post(f"/registrera/{pk}/", {**decision, "riskbedomning": "mycket_hog",
                        "atgard": "skicka"})  # fmt: skip
    assert right.status_code == 302
    assert record_frame(follow_up["study"])["value:riskbedomning"].to_list() == ["mycket_hog"]


@pytest.mark.django_db
def test_a_submission_with_a_wrong_identity_number_lists_the_gaps_too(follow_up) -> None:
    """A mistyped identity number and unanswered questions: the page named only the number,
    and the unanswered questions came up only once it was right (issue 20 walk)."""
    client = logged_in(follow_up["worker"])
    pk = begin(client)
    wrong = CHILD[:-1] + str((int(CHILD[-1]) + 1) % 10)  # the check digit off by one
    page = client.post(f"/registrera/{pk}/", {**page_answers(alder="10"), "personnummer": wrong,
                                              "atgard": "skicka"})  # fmt: skip
    html = page.content.decode()
    assert 'href="#insatstyp-kontaktperson"' in html  # the unanswered question, linked
    assert "Frågan behöver ett svar." in html
    assert "Ange barnets personnummer" not in html  # the number's own message says it
    assert Registration.objects.get(pk=pk).status == Registration.Status.DRAFT
