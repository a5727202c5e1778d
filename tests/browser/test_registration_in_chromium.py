"""Registering in a real browser (Debian's Chromium, Playwright, a live server): a social
worker registers an intervention at its decision, leaves its follow-up halfway by closing the
browser, logs in again, resumes it from "Mina utkast" and submits it linked to the decision,
then registers the closing. Conditions appear as answers are given, answers are checked as
they are typed, and axe-core finds nothing on any page of the form (WCAG 2.1 AA)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect, sync_playwright

from nuso.collection.models import Registration
from tests.browser.test_portal_in_chromium import CHROMIUM, PASSWORD, Watched, accessible
from tests.conftest import identity_number

CHILD = identity_number(dt.date(2014, 11, 3), 664)
SHOTS = os.environ.get("NUSO_SCREENSHOTS")  # a folder: each page is saved there to look at

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def log_in(page: Page, base: str, user, landing: str = "registrera") -> None:
    device = TOTPDevice.objects.get(user=user)
    # A one-time code is accepted once: a second login in the same 30 seconds (this test's
    # "log in again") would need the next code. Forget the last one used, as the next
    # period's code would.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    page.goto(f"{base}/account/login/")
    page.get_by_label("Användarnamn").fill(user.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("input[name='token-otp_token']")
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.fill("input[name='token-otp_token']", f"{code:06d}")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{landing}/**")


def saved(page: Page) -> None:
    """Waits until the page says its draft is saved, with nothing typed since."""
    page.evaluate("document.getElementById('sparat').textContent = ''")
    expect(page.locator("#sparat")).to_contain_text("Utkastet sparades")


def begin(page: Page, occasion: str) -> None:
    page.goto(page.url.split("/registrera/")[0] + "/registrera/")
    page.get_by_label(occasion, exact=True).check()
    page.get_by_role("button", name="Börja registrera").click()
    page.wait_for_selector("#registrering")


def test_decision_follow_up_left_and_resumed_then_closing(follow_up, live_server, browser):
    worker, base = follow_up["worker"], live_server.url
    context = browser.new_context(locale="sv-SE")
    watched = Watched(context.new_page())
    page = watched.page
    log_in(page, base, worker)
    accessible(page)
    shot(page, "1-registrera")

    begin(page, "Vid beslut")
    accessible(page)
    page.get_by_label("Barnets personnummer eller samordningsnummer").fill(CHILD)
    page.get_by_label("När beslutades insatsen?").fill("2026-03-02")
    page.get_by_label("Barnets ålder vid beslutet (år)").fill("25")
    page.keyboard.press("Tab")
    page.wait_for_selector("#alder-fel:not([hidden])")  # checked as typed
    assert "mellan 0 och 17" in page.locator("#alder-fel").inner_text()
    shot(page, "2-beslut-fel")
    assert page.locator("#fraga-kon").get_by_label("Flicka").is_checked()  # from the number
    page.get_by_label("Barnets ålder vid beslutet (år)").fill("11")
    page.locator("#fraga-ursprung").get_by_label("Född i Sverige").check()
    page.locator("#fraga-ensamkommande").get_by_label("Nej").check()
    page.locator("#fraga-riskbedomning").get_by_label("Hög risk", exact=True).check()
    assert page.locator("#fraga-halsoundersokning").is_hidden()
    page.locator("#fraga-insatstyp").get_by_label("Familjehem").check()
    assert page.locator("#fraga-halsoundersokning").is_visible()  # shown by the answer
    page.locator("#fraga-halsoundersokning").get_by_label("Ja").check()
    saved(page)
    accessible(page)
    shot(page, "3-beslut")
    page.get_by_role("button", name="Skicka in").click()
    page.wait_for_url("**/registrera/")
    assert "Registreringen är inskickad" in page.content()

    begin(page, "Vid uppföljning")
    page.get_by_label("Barnets personnummer eller samordningsnummer").fill(CHILD)
    page.keyboard.press("Tab")
    page.wait_for_selector("#koppling input[name=beslut]")  # reloaded with the child's decisions
    assert CHILD not in page.content()
    accessible(page)
    page.locator("#koppling").get_by_label("Familjehem", exact=False).first.check()
    page.get_by_role("button", name="Välj beslutet").click()
    page.wait_for_selector("dl.copied")
    page.get_by_label("När följdes insatsen upp?").fill("2026-06-15")
    saved(page)
    shot(page, "4-uppfoljning-halvvags")
    context.close()  # the browser closed midway: nothing typed is lost

    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    log_in(page, base, worker)
    page.get_by_role("link", name="Mina utkast", exact=False).first.click()
    accessible(page)
    shot(page, "5-mina-utkast")
    page.get_by_role("link", name="Fortsätt").first.click()
    assert page.get_by_label("När följdes insatsen upp?").input_value() == "2026-06-15"
    page.locator("#fraga-riskbedomning").get_by_label("Något förhöjd risk").check()
    page.get_by_role("button", name="Skicka in").click()
    page.wait_for_url("**/registrera/")

    begin(page, "Vid avslut")
    page.get_by_label("Barnets personnummer eller samordningsnummer").fill(CHILD)
    page.keyboard.press("Tab")
    page.wait_for_selector("#koppling input[name=beslut]")
    page.locator("#koppling input[name=beslut]").first.check()
    page.get_by_role("button", name="Välj beslutet").click()
    page.wait_for_selector("dl.copied")
    page.get_by_label("När avslutades insatsen?").fill("2026-02-01")  # before the decision
    page.locator("#fraga-riskbedomning").get_by_label("Ingen eller låg risk").check()
    page.locator("#fraga-maluppfyllelse").get_by_label("Målen uppfyllda helt").check()
    page.get_by_role("button", name="Skicka in").click()
    page.wait_for_selector(".error-summary")
    accessible(page)
    shot(page, "6-avslut-fel")
    assert "Avslutet kan inte vara före beslutet." in page.locator(".error-summary").inner_text()
    page.get_by_label("När avslutades insatsen?").fill("2026-11-20")
    page.get_by_role("button", name="Skicka in").click()
    page.wait_for_url("**/registrera/")
    shot(page, "7-klart")
    assert watched.problems == []
    context.close()

    registrations = Registration.objects.filter(status="submitted").order_by("pk")
    assert [r.occasion for r in registrations] == ["beslut", "uppfoljning", "avslut"]
    decision = registrations[0]
    assert all(r.decision_id == decision.pk for r in registrations[1:])
    assert {r.pseudonym for r in registrations} == {decision.pseudonym}


def test_the_form_works_by_keyboard_alone(follow_up, live_server, browser) -> None:
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    log_in(page, live_server.url, follow_up["worker"])
    begin(page, "Vid beslut")
    page.focus("#personnummer")
    page.keyboard.type(CHILD)
    page.keyboard.press("Tab")  # to the decision's date
    page.keyboard.type("2026-03-02")
    assert page.evaluate("document.activeElement.id") == "beslutsdatum"
    for _ in range(3):  # a date field's parts (year, month, day) are stops of their own
        if page.evaluate("document.activeElement.name") != "beslutsdatum":
            break
        page.keyboard.press("Tab")  # to the radio buttons of sex: one stop for the group
    assert page.evaluate("document.activeElement.name") == "kon"
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # the next answer, chosen by keyboard alone
    assert page.locator("#fraga-kon").get_by_label("Pojke").is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "alder"
    context.close()


def test_every_other_collection_page_passes_axe(follow_up, live_server, browser) -> None:
    """The pages around the form: a draft's discard page, the analysts' collection periods
    and the manager's overview of the unit's registrations."""
    from nuso.collection import services
    from tests.conftest import make_user

    worker, base = follow_up["worker"], live_server.url
    draft = services.start(worker, follow_up["study"], "1780", "beslut")
    manager = make_user("chefen", "kommun", [follow_up["unit"]])
    analyst = make_user("analytikern", "analytiker", [])
    visits = (
        (worker, "registrera", f"/registrera/{draft.pk}/kasta/"),
        (analyst, "portal", "/registrera/perioder/"),
        (manager, "portal", "/portal/enhet/1780/insatsuppfoljning/registreringar/"),
    )
    for user, landing, path in visits:
        context = browser.new_context(locale="sv-SE")
        page = context.new_page()
        log_in(page, base, user, landing)
        page.goto(base + path)
        assert page.locator("h1").count() == 1, path
        accessible(page)
        shot(page, path.strip("/").replace("/", "-"))
        context.close()


def test_answers_typed_after_the_session_ended_are_saved_after_a_new_login(
    follow_up, live_server, browser
) -> None:
    """The session ends (an hour idle, or a logout elsewhere) while the form is open: what is
    typed then is kept on the page, the page says so, and it is saved once the worker has
    logged in again in another tab."""
    worker, base = follow_up["worker"], live_server.url
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    log_in(page, base, worker)
    begin(page, "Vid beslut")
    page.get_by_label("När beslutades insatsen?").fill("2026-03-02")
    saved(page)
    context.clear_cookies()  # the session is gone
    page.get_by_label("Barnets ålder vid beslutet (år)").fill("9")
    page.keyboard.press("Tab")
    expect(page.locator("#sparat")).to_contain_text("du är utloggad")
    other = context.new_page()
    log_in(other, base, worker)
    expect(page.locator("#sparat")).to_contain_text("Utkastet sparades", timeout=15_000)
    draft = Registration.objects.get(author=worker)
    assert draft.answers["alder"] == "9"
    page.get_by_role("button", name="Spara utkast").click()  # the page's form: the new token
    expect(page.locator("#sparat")).to_contain_text("Utkastet sparades")
    context.close()
