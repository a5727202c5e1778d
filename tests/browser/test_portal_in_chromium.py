"""The portal in a real browser: Debian's Chromium driven by Playwright against a live
server. Logs in with a one-time code, opens the dashboard, filters, downloads, and runs
axe-core on every page (WCAG 2.1 AA: no violations); no Content-Security-Policy violation."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, sync_playwright

from nuso.accounts.models import User
from nuso.units.models import Unit

from ..conftest import import_synthetic_referrals

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "ett långt lösenord 42"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop in this thread


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: apt-get install chromium (.ci/run does it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def site(nuso, live_server, tmp_path):
    import_synthetic_referrals(nuso, tmp_path / "syntes", seed=3, units=4, rows=1600)
    unit = Unit.objects.filter(batches__blocks__isnull=False).distinct().order_by("code").first()
    user = User.objects.create_user("kommunen", password=PASSWORD, role=User.Role.MUNICIPAL)
    user.units.set([unit])
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return live_server.url, unit, device


class Watched:
    """A page that records every Content-Security-Policy complaint of the browser."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[str] = []
        page.on("console", lambda message: self._note(message.text))

    def _note(self, text: str) -> None:
        if "Content Security Policy" in text or "Refused to" in text:
            self.problems.append(text)


def accessible(page: Page) -> None:
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


def loaded(image: Any, page: Page) -> bool:
    """Whether a (lazily loaded) chart image arrives and decodes, within five seconds."""
    image.scroll_into_view_if_needed()
    for _ in range(50):
        if image.evaluate("img => img.complete && img.naturalWidth") > 0:
            return True
        page.wait_for_timeout(100)
    return False


def log_in(page: Page, base: str, device: TOTPDevice, username: str = "kommunen") -> None:
    page.goto(f"{base}/account/login/")
    accessible(page)
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("input[name='token-otp_token']")
    accessible(page)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.fill("input[name='token-otp_token']", f"{code:06d}")
    page.keyboard.press("Enter")
    page.wait_for_url("**/portal/enhet/**")


def test_log_in_filter_and_download(site, browser, tmp_path) -> None:
    base, unit, device = site
    context = browser.new_context(accept_downloads=True)
    watched = Watched(context.new_page())
    page = watched.page
    log_in(page, base, device)
    assert page.locator("h1").inner_text() == f"{unit.name}: Aktualiseringar"
    accessible(page)
    # filtering replaces the results in place: no new page load
    page.evaluate("window.sammaSida = true")
    page.select_option("#jamfor", "riket")
    page.wait_for_url(lambda url: "jamfor=riket" in url)
    page.wait_for_selector("#resultat:not([aria-busy])")
    assert page.evaluate("window.sammaSida") is True
    assert "Riket" in page.locator("#resultat table.data").nth(1).inner_text()
    assert loaded(page.locator("figure img").first, page)
    accessible(page)
    # the results' own link: what the page shows (it follows the filters in place)
    shown = page.locator("#resultat").get_by_role("link", name="tabeller (Excel)")
    assert "period=" in (shown.get_attribute("href") or "")
    with page.expect_download() as download:
        shown.click()
    saved = tmp_path / "tabeller.xlsx"
    download.value.save_as(saved)
    assert saved.stat().st_size > 1000
    assert watched.problems == []
    context.close()


def test_the_dashboard_works_by_keyboard(site, browser) -> None:
    base, _, device = site
    context = browser.new_context()
    page = context.new_page()
    log_in(page, base, device)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"
    page.focus("#jamfor")
    page.keyboard.press("ArrowDown")  # the next comparison, chosen by keyboard alone
    page.wait_for_url(lambda url: "jamfor=" in url and "jamfor=kommungrupp" not in url)
    context.close()


def test_every_analyst_page_passes_axe(site, browser) -> None:
    base, unit, _ = site
    analyst = User.objects.create_user("analytikern", password=PASSWORD, role=User.Role.ANALYST)
    device = TOTPDevice.objects.create(user=analyst, name="default", confirmed=True)
    context = browser.new_context()
    watched = Watched(context.new_page())
    page = watched.page
    page.goto(f"{base}/account/login/")
    page.get_by_label("Användarnamn").fill("analytikern")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("input[name='token-otp_token']")
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.fill("input[name='token-otp_token']", f"{code:06d}")
    page.keyboard.press("Enter")
    page.wait_for_url("**/portal/")
    without_data = Unit.objects.filter(batches__isnull=True).order_by("code").first()
    for path in ("/portal/", "/portal/riket/aktualiseringar/", "/portal/arbetsyta/las-in/",
                 "/portal/arbetsyta/granska/", "/portal/arbetsyta/inlasningar/",
                 f"/portal/enhet/{unit.code}/aktualiseringar/",
                 f"/portal/enhet/{without_data.code}/aktualiseringar/",  # the short page
                 "/account/two_factor/", "/"):  # fmt: skip
        page.goto(f"{base}{path}")
        accessible(page)
    page.goto(f"{base}/portal/enhet/{without_data.code}/aktualiseringar/")
    assert page.locator("#resultat").count() == 0  # no dashboard of empty tables
    page.goto(f"{base}/portal/arbetsyta/inlasningar/")
    page.locator("table.data tbody a").first.click()  # one file's import report
    page.wait_for_load_state()
    assert page.get_by_text("Hur varje kolumn tolkades").count() == 1
    accessible(page)
    page.goto(f"{base}/portal/riket/aktualiseringar/")
    page.get_by_role("button", name="Andel").click()  # sortable by keyboard-reachable buttons
    assert page.locator("th[aria-sort]").count() == 1
    page.get_by_role("button", name="In English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    accessible(page)
    page.goto(f"{base}/portal/enhet/{unit.code}/aktualiseringar/")  # the dashboard in English
    accessible(page)
    shown = page.locator("#resultat").inner_text()
    assert "to compare" in shown
    assert [w for w in ("jämfört", "Skillnaden", "Det finns inga", "antalet") if w in shown] == []
    page.locator("section.result-section").first.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/wt-portal2-english.png")
    page.goto(f"{base}/portal/enhet/{without_data.code}/aktualiseringar/")
    accessible(page)
    assert watched.problems == []
    context.close()


def test_an_analyst_maps_an_unknown_column_in_the_import_report(site, browser, nuso, tmp_path):
    base, _, _ = site
    path = tmp_path / "Karlstad 2023.csv"
    path.write_text("Kön;Ärendeklass;Åtgärd\nF;Anmälan;Utredning inleds\nP;Ansökan;Ny\n", "utf-8")
    nuso("import", str(path), "--study", "aktualiseringar", "--period", "2023")
    analyst = User.objects.create_user("analytikern", password=PASSWORD, role=User.Role.ANALYST)
    device = TOTPDevice.objects.create(user=analyst, name="default", confirmed=True)
    context = browser.new_context()
    watched = Watched(context.new_page())
    page = watched.page
    page.goto(f"{base}/account/login/")
    page.get_by_label("Användarnamn").fill("analytikern")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("input[name='token-otp_token']")
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.fill("input[name='token-otp_token']", f"{code:06d}")
    page.keyboard.press("Enter")
    page.wait_for_url("**/portal/")
    page.goto(f"{base}/portal/arbetsyta/inlasningar/")
    page.get_by_role("link", name="Karlstad 2023.csv").first.click()
    page.wait_for_load_state()
    choice = page.get_by_label("Tolka kolumnen Ärendeklass som")
    assert choice.input_value() == ""  # unknown, listed first with its values
    choice.select_option("aktualiseringstyp")
    page.get_by_role("row", name="Ärendeklass").get_by_role("button", name="Ändra").click()
    page.wait_for_load_state()
    status = page.get_by_role("status").inner_text()
    assert "„Ärendeklass“ tolkas nu som aktualiseringstyp: 2 av 2 poster ändrades" in status
    assert page.get_by_label("Tolka kolumnen Ärendeklass som").input_value() == "aktualiseringstyp"
    accessible(page)
    if folder := os.environ.get("NUSO_SCREENSHOTS"):
        page.screenshot(path=f"{folder}/import-report-column-mapped.png", full_page=True)
    assert watched.problems == []
    context.close()


def test_filters_changed_faster_than_the_server_answers_show_the_latest_choice(
    site, browser, monkeypatch, tmp_path
) -> None:
    """The first filter's answer is held back by the server until after the second's: the
    page must end with the second choice in the dropdowns, the address and the figures (the
    late answer of the first is cancelled or ignored, not shown over the second's)."""
    import time

    from nuso.portal import views

    render = views.render

    def slow_for_the_first(request, template, context=None, *args, **kwargs):
        if template == "portal/_results.html" and request.GET.get("jamfor") == "kommungrupp":
            time.sleep(2.5)  # the first request's answer arrives after the second's
        return render(request, template, context, *args, **kwargs)

    monkeypatch.setattr(views, "render", slow_for_the_first)
    base, _, device = site
    context = browser.new_context()
    watched = Watched(context.new_page())
    page = watched.page
    log_in(page, base, device)
    chosen = page.locator("#urval option").nth(1)  # the first selection after "Alla"
    value, label = chosen.get_attribute("value"), chosen.inner_text()
    page.select_option("#urval", value)  # request 1: kommungrupp, held back
    page.select_option("#jamfor", "riket")  # request 2: riket, answered at once
    page.wait_for_timeout(3500)  # until well after the held-back answer has come
    page.wait_for_selector("#resultat:not([aria-busy])")
    page.screenshot(path="/tmp/wt-portal2-filters.png", full_page=False)
    shown = dict(item.split("=", 1) for item in page.url.split("?", 1)[1].split("&"))
    assert shown["jamfor"] == "riket"
    assert shown["urval"] == value.replace(":", "%3A")
    assert page.input_value("#jamfor") == "riket"
    assert page.input_value("#urval") == value
    results = page.locator("#resultat")
    assert label in results.locator(".selection-note").inner_text()
    headings = results.locator("section.result-section table.data thead th:nth-child(3)")
    assert headings.count() > 0
    assert set(headings.all_inner_texts()) == {"Riket"}  # the comparison column: the nation
    assert watched.problems == []
    context.close()


def test_a_page_of_earlier_figures_says_so_and_updates_itself_when_they_are_ready(
    site, browser, nuso, tmp_path, settings, monkeypatch
) -> None:
    from nuso.analysis import service
    from nuso.core.synth.referral_exports import write_referral_exports
    from nuso.studies.models import Study

    settings.NUSO_TABLES_IN_BACKGROUND = True
    service._cache.clear()
    held_back: list[object] = []  # the background computation: done below, when the test says
    monkeypatch.setattr(service, "_refresh_in_background", lambda *args: held_back.append(args))
    base, _, device = site
    context = browser.new_context()
    watched = Watched(context.new_page())
    page = watched.page
    log_in(page, base, device)
    assert page.locator("#omraknas").count() == 0
    later = write_referral_exports(tmp_path / "2024", seed=3, unit_count=4, rows=1600, year=2024)
    outcome = nuso("import", str(later.files[0].parent), "--study", "aktualiseringar",
                   "--period", "2024")  # fmt: skip
    assert outcome.exit_code == 0, outcome.out
    page.reload()
    notice = page.locator("#omraknas")
    assert "Siffrorna räknas om efter en ny inläsning. Det du ser är från" in notice.inner_text()
    assert "Sidan visar de nya siffrorna av sig själv" in notice.inner_text()  # with JavaScript
    assert held_back
    assert page.locator("#period option[value='2024']").count() == 0
    page.screenshot(path="/tmp/wt-portal2-stale.png")
    accessible(page)
    page.evaluate("window.sammaSida = true")
    service.study_tables(Study.objects.get(slug="aktualiseringar"))  # the current tables ready
    page.wait_for_selector("#omraknas", state="detached", timeout=20_000)
    assert page.evaluate("window.sammaSida") is None  # reloaded
    assert page.locator("#period option[value='2024']").count() == 1
    assert watched.problems == []
    context.close()


def test_the_dashboard_leads_with_a_summary_then_sections_with_contents(
    site, browser, nuso, tmp_path
) -> None:
    """What stands out first: the key figures with trend arrows, the significant differences
    in plain Swedish each linking to its table, what was imported and when; then a table of
    contents of the sections, a skip link past the summary and a way back from each section."""
    from nuso.core.synth.referral_exports import write_referral_exports

    later = write_referral_exports(tmp_path / "2024", seed=3, unit_count=4, rows=1600, year=2024)
    outcome = nuso("import", str(later.files[0].parent), "--study", "aktualiseringar",
                   "--period", "2024")  # fmt: skip
    assert outcome.exit_code == 0, outcome.out
    base, _, device = site
    context = browser.new_context(viewport={"width": 1280, "height": 1400})
    watched = Watched(context.new_page())
    page = watched.page
    log_in(page, base, device)
    page.select_option("#jamfor", "riket")
    page.wait_for_url(lambda url: "jamfor=riket" in url)
    page.wait_for_selector("#resultat:not([aria-busy])")
    headings = page.locator("#resultat h2").all_inner_texts()
    assert headings[:3] == ["Sammanfattning", "Innehåll", "Nyckeltal över tid"]
    figures = page.locator(".key-figures li")
    assert figures.count() >= 1
    for text in figures.all_inner_texts():
        assert re.search(r"(upp från \d+,\d\u00a0% 2023|ned från \d+,\d\u00a0% 2023|"
                         r"oförändrad sedan 2023)", text), text  # fmt: skip
    deliveries = page.locator(".deliveries").inner_text()
    assert re.search(r"2024: [\d\u00a0]+ poster, inlästa \d{4}-\d\d-\d\d \d\d:\d\d", deliveries)
    assert "2023: " in deliveries
    links = page.locator(".findings a")
    assert links.count() >= 1  # against the nation, some difference stands out
    for item in page.locator(".findings li").all_inner_texts():
        assert "Skillnaden är statistiskt säkerställd." in item, item
    for href in [links.nth(i).get_attribute("href") for i in range(links.count())]:
        assert page.locator(href).count() == 1, href  # each links to its table
    page.screenshot(path="/tmp/wt-portal2-summary.png")
    first = links.first.get_attribute("href")
    links.first.click()
    page.wait_for_url(f"**{first}")
    assert page.locator(first).is_visible()
    sections = page.locator("section.result-section")
    contents = page.locator("#innehall li a")
    assert contents.count() == sections.count() + 1
    for href in [contents.nth(i).get_attribute("href") for i in range(contents.count())]:
        assert page.locator(href).count() == 1, href
    assert page.locator("section.result-section .to-toc a").count() == sections.count()
    page.focus(".summary-box .skip-link")
    page.keyboard.press("Enter")
    page.wait_for_url("**#innehall")
    page.screenshot(path="/tmp/wt-portal2-toc.png")
    accessible(page)
    assert watched.problems == []
    context.close()


def test_a_large_download_is_prepared_and_then_offered(site, browser, settings, monkeypatch):
    """Issue 17, item 8: the unit's Excel rows (more than NUSO_ROWS_AT_ONCE) give a page that
    says the file is being prepared; it shows the link by itself once the file is written."""
    from nuso.portal import prepared

    base, unit, device = site
    settings.NUSO_ROWS_AT_ONCE = 100
    held: list = []
    monkeypatch.setattr(prepared, "_in_background", held.append)
    context = browser.new_context(accept_downloads=True)
    watched = Watched(context.new_page())
    page = watched.page
    log_in(page, base, device)
    page.get_by_role("link", name="egna rader (Excel)").click()
    page.wait_for_url("**/portal/nedladdning/**")
    notice = page.locator("#forbereds")
    assert "Filen förbereds …" in notice.inner_text()
    assert notice.locator("[data-uppdateras]").is_visible()  # the script runs: no reload asked
    accessible(page)
    held.pop()()  # the background work, done while the page waits
    page.get_by_text("Filen är klar.").wait_for(timeout=10_000)  # reloaded by itself
    accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Hämta nuso-aktualiseringar-")).click()
    assert download.value.suggested_filename == f"nuso-aktualiseringar-{unit.code}-rader.xlsx"
    saved = Path(download.value.path())
    assert saved.read_bytes().startswith(b"PK")  # a workbook (a zip)
    assert watched.problems == []
    context.close()


def test_the_language_switch_keeps_the_filters_chosen_in_place(site, browser) -> None:
    """After filtering in place, 'In English' showed the page as it was first loaded (its
    `next` kept the old address; found in the new-user walk): it keeps the choices."""
    base, _, device = site
    context = browser.new_context()
    page = context.new_page()
    log_in(page, base, device)
    page.select_option("#jamfor", "riket")
    page.wait_for_url(lambda url: "jamfor=riket" in url)
    page.wait_for_selector("#resultat:not([aria-busy])")
    page.get_by_role("button", name="In English").click()
    page.wait_for_load_state()
    assert "jamfor=riket" in page.url
    assert page.input_value("#jamfor") == "riket"
    page.get_by_role("button", name="På svenska").click()  # the next test is in Swedish
    page.wait_for_load_state()
    context.close()


def test_the_main_pages_in_bokmal_pass_axe(site, browser) -> None:
    """A Norwegian browser (nb-NO) gets the login page in bokmål without choosing it; the
    login, the code step, the overview, the national view and a unit's dashboard are in
    bokmål (html lang="nb") and pass axe."""
    base, unit, _ = site
    analyst = User.objects.create_user("analytiker", password=PASSWORD, role=User.Role.ANALYST)
    device = TOTPDevice.objects.create(user=analyst, name="default", confirmed=True)
    context = browser.new_context(locale="nb-NO")
    watched = Watched(context.new_page())
    page = watched.page
    page.goto(f"{base}/account/login/")
    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.get_by_role("button", name="På norsk").count() == 0  # already in bokmål
    assert page.get_by_role("button", name="På svenska").count() == 1
    accessible(page)
    page.get_by_label("Brukernavn").fill("analytiker")
    page.get_by_label("Passord").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("input[name='token-otp_token']")
    assert page.get_by_text("Oppgi den sekssifrede engangskoden").count() == 1
    accessible(page)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.fill("input[name='token-otp_token']", f"{code:06d}")
    page.keyboard.press("Enter")
    page.wait_for_url("**/portal/")
    pages = (("/portal/", "Oversikt"),
             ("/portal/riket/aktualiseringar/", "Enhetene rangert etter andel"),
             (f"/portal/enhet/{unit.code}/aktualiseringar/", "Sammenlign med"))  # fmt: skip
    for path, said in pages:
        page.goto(f"{base}{path}")
        assert page.locator("html").get_attribute("lang") == "nb", path
        assert page.get_by_text(said).count() >= 1, path
        accessible(page)
    assert "sammenlignet med" in page.locator("#resultat").inner_text()
    page.get_by_role("button", name="På svenska").click()  # the next test is in Swedish
    page.wait_for_load_state()
    assert watched.problems == []
    context.close()


def test_a_norwegian_managers_dashboard_is_in_bokmal_and_passes_axe(
    nuso, live_server, tmp_path, browser
) -> None:
    """With no language chosen, a Norwegian unit's manager lands on their dashboard in
    bokmål, compared with their fylke and Norway, and the page passes axe."""
    from ..norwegian import NORWEGIAN_UNITS, write_reports

    nuso("init")
    folder = tmp_path / "norge"
    folder.mkdir()
    for seed, code in enumerate(NORWEGIAN_UNITS):
        write_reports(folder, code, rows=120, seed=seed)
    assert nuso("import", str(folder), "--study", "meldinger", "--period", "2024").exit_code == 0
    user = User.objects.create_user("vestvagoy", password=PASSWORD, role=User.Role.MUNICIPAL)
    user.units.set([Unit.objects.get(code="NO-1860")])
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    context = browser.new_context(locale="sv-SE")  # the browser's language decides nothing
    watched = Watched(context.new_page())
    page = watched.page
    log_in(page, live_server.url, device, username="vestvagoy")
    assert page.url.endswith("/portal/enhet/NO-1860/meldinger/")
    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.get_by_text("Sammenlign med").count() >= 1
    assert "Nordland" in page.locator("#resultat").inner_text()
    accessible(page)
    assert watched.problems == []
    context.close()
