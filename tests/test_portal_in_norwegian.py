"""The portal in bokmål, as a Norwegian user meets it with the language cookie `nb`: the login,
a municipal manager's dashboard (its guidance sentences and chart too), an analyst's overview
and national view, a social worker's registration start and form. Each page is in bokmål
(html lang="nb", its texts) and shows none of the Swedish texts the catalogue translates. The
studies' names, the tables' titles and the codebook's labels are data, in Swedish."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

import nuso
from nuso.accounts.models import User
from nuso.core.analysis.indicators import guidance
from nuso.units.models import Unit

from .conftest import import_synthetic_referrals, log_in_with_code, make_user
from .test_translations import ShownText, python_messages, read_po

PASSWORD = "ett långt lösenord 42"
FRAGMENT = re.compile(r"%\(\w+\)[sdi]|%s|\{\w*\}|<[^>]+>")
# The Swedish guidance's own words (nuso.core writes them; no catalogue holds them).
SWEDISH_GUIDANCE = ("jämfört med", "statistiskt säkerställd", "kan bero på slumpen", "i riket",
                    "antalet för litet", "Fördelningen av")  # fmt: skip


def swedish_texts() -> set[str]:
    """The Swedish texts the bokmål catalogue translates into something else, in the pieces a
    page shows them (between placeholders and markup; two words or more, so that a single
    word shared by both languages or by the data is no finding)."""
    found = set(SWEDISH_GUIDANCE)
    source = Path(nuso.__file__).parent
    english = {msgid for _, msgid in python_messages(source / "web/package_texts.py")}
    for entry in read_po(source / "locale/nb/LC_MESSAGES/django.po"):
        if entry.strings[0] == entry.msgid or entry.msgid in english:
            continue  # the same in both, or a package's English text
        for piece in FRAGMENT.split(entry.msgid.replace("%%", "%")):
            piece = " ".join(piece.split()).strip(" :;,.()")
            if len(piece.split()) >= 2 and piece not in entry.strings[0].replace("%%", "%"):
                found.add(piece)
    return found


def shown(page: str) -> str:
    parser = ShownText()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def swedish_on(page: str) -> list[str]:
    text = shown(page)
    return sorted(s for s in swedish_texts() if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text))


def in_bokmal(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    return client


def bokmal_page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    page = response.content.decode()
    assert re.search(r'<html lang="nb"[ >]', page), path  # the admin adds dir="ltr"
    assert response["Content-Language"] == "nb"
    assert swedish_on(page) == [], path
    return page


@pytest.fixture
def portal(nuso, tmp_path):
    """Six units' referrals imported; a municipal user of the first unit and an analyst."""
    import_synthetic_referrals(nuso, tmp_path / "syntes", seed=9, units=6, rows=3000)
    units = list(Unit.objects.filter(batches__blocks__isnull=False).distinct().order_by("code"))
    municipal = make_user("kommunebruker", User.Role.MUNICIPAL, [units[0]])
    analyst = make_user("analytiker", User.Role.ANALYST, [])
    return units, municipal, analyst


def test_the_swedish_texts_looked_for_are_the_portals() -> None:
    texts = swedish_texts()
    assert "Jämför med" in texts
    assert "Hoppa till innehållet" in texts
    assert "Ladda ned alla rader" in texts
    assert "Enhet" not in texts  # the same word in bokmål


def test_the_login_is_in_bokmal(db) -> None:
    client = in_bokmal(Client())
    page = bokmal_page(client, "/account/login/")
    assert "Oppgi brukernavn og passord." in page
    assert "Hopp til innholdet" in page
    assert "På svenska" in page
    assert "In English" in page
    assert "På norsk" not in page
    make_user("kommunebruker", User.Role.MUNICIPAL, [])
    code_step = client.post("/account/login/", {
        "login_view-current_step": "auth", "auth-username": "kommunebruker",
        "auth-password": PASSWORD})  # fmt: skip
    assert "Oppgi den sekssifrede engangskoden" in code_step.content.decode()
    assert swedish_on(code_step.content.decode()) == []


@pytest.mark.parametrize(
    ("accepted", "language"),
    [("nb-NO,nb;q=0.9,en;q=0.8", "nb"), ("nn-NO,nn;q=0.9", "nb"), ("no", "nb"),
     ("sv-SE,sv;q=0.9,nb;q=0.5", "sv"), ("en-GB,en;q=0.9", "sv"), ("", "sv")],
)  # fmt: skip
def test_before_login_a_norwegian_browser_gets_bokmal(db, accepted, language) -> None:
    """Who is not signed in has no units to tell their country: a browser that prefers a
    Norwegian language gets bokmål, every other Swedish (a Swede's English browser too, as
    their portal is Swedish after login); a chosen language wins."""
    page = Client(headers={"accept-language": accepted}).get("/account/login/")
    assert f'<html lang="{language}">' in page.content.decode()
    assert "Accept-Language" in page["Vary"]  # no cache gives one browser's page to another
    chosen = Client(headers={"accept-language": accepted})
    chosen.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en">' in chosen.get("/account/login/").content.decode()


def test_after_login_the_units_country_decides_and_for_analysts_the_browser(nuso) -> None:
    nuso("init")
    norwegian_browser, swedish_browser = "nb-NO,nb;q=0.9", "sv-SE,sv;q=0.9"
    users = (
        (make_user("analytiker", User.Role.ANALYST, []), norwegian_browser, "nb"),
        (make_user("karlstad", User.Role.MUNICIPAL, [Unit.objects.get(code="1780")]),
         norwegian_browser, "sv"),
        (make_user("vestvagoy", User.Role.MUNICIPAL, [Unit.objects.get(code="NO-1860")]),
         swedish_browser, "nb"),
    )  # fmt: skip
    for user, accepted, language in users:
        client = log_in_with_code(Client(headers={"accept-language": accepted}), user, PASSWORD)
        page = client.get("/portal/", follow=True)
        assert f'<html lang="{language}">' in page.content.decode(), user.username


def test_a_municipal_manager_reads_the_dashboard_in_bokmal(portal) -> None:
    units, municipal, _ = portal
    client = in_bokmal(log_in_with_code(Client(), municipal, PASSWORD))
    dashboard = f"/portal/enhet/{units[0].code}/aktualiseringar/"
    page = bokmal_page(client, dashboard)
    for text in ("Sammenlign med", "Kommunegruppen", "Hele landet", "Nøkkeltall", "Sammendrag",
                 "Veiledning", "Last ned det som vises", "Last ned alle perioder og utvalg:",
                 "Hopp over sammendraget"):  # fmt: skip
        assert text in page, text
    # The guidance in bokmål, composed again from the published rows.
    assert "sammenlignet med" in page
    assert re.search(r"Forskjellen er (ikke )?statistisk signifikant", page)
    for comparison in ("storleksgrupp", "riket"):
        assert swedish_on(client.get(f"{dashboard}?jamfor={comparison}").content.decode()) == []
    chart = client.get(f"{dashboard}diagram/utredning.svg").content.decode()
    assert "Hele landet" in chart
    assert "Riket" not in chart


def test_an_analyst_reads_the_overview_and_national_view_in_bokmal(portal) -> None:
    _, _, analyst = portal
    client = in_bokmal(log_in_with_code(Client(), analyst, PASSWORD))
    start = bokmal_page(client, "/portal/")
    assert "Oversikt" in start
    assert "Du er analytiker og ser alle enheter." in start
    national = bokmal_page(client, "/portal/riket/aktualiseringar/")
    assert "Hele landet:" in national
    assert "Enhetene rangert etter andel" in national
    assert "Last ned alle rader:" in national


def test_a_social_worker_registers_in_bokmal(follow_up) -> None:
    client = in_bokmal(log_in_with_code(Client(), follow_up["worker"], PASSWORD))
    start = bokmal_page(client, "/registrera/")
    assert "Begynn å registrere" in start
    assert "Mine innsendte registreringer" in start
    response = client.post("/registrera/ny/", {"delstudie": "insatsuppfoljning",
                           "enhet": follow_up["unit"].code, "tillfalle": "beslut"})  # fmt: skip
    assert response.status_code == 302
    form = bokmal_page(client, response["Location"])
    # the form's studies are Swedish: a Swedish number is asked for, in bokmål
    assert "Barnets svenske personnummer eller samordningsnummer" in form
    assert "ÅÅÅÅMMDD-NNNN" in form
    assert "11 sifre" not in form
    assert "Lagre utkast" in form
    assert 'data-text-saved="Utkastet ble lagret TID."' in form  # for the form's script


def test_a_social_worker_is_told_what_is_wrong_in_bokmal(follow_up) -> None:
    """The answers' messages (nuso.core's) in the page's language: as typed, from the
    autosave, and on the page after a submission that is refused."""
    client = in_bokmal(log_in_with_code(Client(), follow_up["worker"], PASSWORD))
    response = client.post("/registrera/ny/", {"delstudie": "insatsuppfoljning",
                           "enhet": follow_up["unit"].code, "tillfalle": "beslut"})  # fmt: skip
    page = response["Location"]
    wrong = {"_fragor": ["alder", "beslutsdatum"], "alder": "40", "beslutsdatum": "2099-01-01",
             "personnummer": "20160120-4829"}  # fmt: skip
    saved = client.post(f"{page}spara.json", wrong).json()
    assert "Oppgi et tall mellom 0 og 17" in saved["fel"]["alder"]
    assert saved["fel"]["beslutsdatum"] == "Datoen kan ikke være fram i tid."
    assert saved["personnummer_fel"].startswith("Nummeret er ikke gyldig")
    said = " ".join([*saved["fel"].values(), saved["personnummer_fel"]])
    assert swedish_on(f"<p>{said}</p>") == []
    refused = client.post(page, {**wrong, "atgard": "skicka"})
    assert refused.status_code == 200
    shown = refused.content.decode()
    assert "Datoen kan ikke være fram i tid." in shown
    assert swedish_on(shown) == []
    unanswered = client.post(page, {"_fragor": ["insatstyp"], "atgard": "skicka"})
    assert "Spørsmålet må besvares." in unanswered.content.decode()
    assert "Frågan behöver ett svar." not in unanswered.content.decode()


def test_the_guidance_in_bokmal_names_its_fields_like_the_swedish() -> None:
    """Each sentence of the bokmål wording has the fields of the Swedish one: a translator may
    reorder them, not drop one."""
    for name in guidance.Wording.__dataclass_fields__:
        swedish, bokmal = getattr(guidance.SWEDISH, name), getattr(guidance.NORWEGIAN, name)
        assert sorted(re.findall(r"{\w+}", swedish)) == sorted(re.findall(r"{\w+}", bokmal)) or (
            name == "band"  # the size band's name is Swedish data: said without it
        ), name


ADMIN_PAGES = ("/admin/", "/admin/units/unit/", "/admin/intake/importbatch/",
               "/admin/intake/reviewitem/", "/admin/studies/codebookentry/",
               "/admin/collection/apitoken/", "/admin/collection/apitoken/add/",
               "/admin/audit/auditentry/", "/admin/accounts/user/")  # fmt: skip


def test_an_analyst_reads_the_admin_in_bokmal(portal) -> None:
    """The analysts' workspace: its own names of apps, models, fields, choices and actions
    come from the catalogue as the portal's texts do; Django's own are Django's bokmål."""
    _, _, analyst = portal
    User.objects.filter(pk=analyst.pk).update(is_staff=True, is_superuser=True)
    client = in_bokmal(log_in_with_code(Client(), analyst, PASSWORD))
    pages = {path: bokmal_page(client, path) for path in ADMIN_PAGES}
    index = pages["/admin/"]
    for text in (
        "NUSO – administrasjon",
        "Kommuner og bydeler",
        "Innlesing og gjennomgang",
        "Hendelseslogg",
        "Kolonnekoblinger",
        "Gjennomgangskø",
        "Kodebokversjoner",
    ):
        assert text in index, text
    assert "Kommuner och stadsdelar" not in index
    assert "Folketall" in pages["/admin/units/unit/"]
    assert "Avgjør som ukjent verdi" in pages["/admin/intake/reviewitem/"]
    assert "Forekomster" in pages["/admin/intake/reviewitem/"]
    assert "Rader til gjennomgang" in pages["/admin/intake/importbatch/"]
    assert "For eksempel kommunens system." in pages["/admin/collection/apitoken/add/"]
    assert "Utført av" in pages["/admin/audit/auditentry/"]
    assert "Rolle" in pages["/admin/accounts/user/"]
    for page in pages.values():
        for swedish in ("Kommuner och stadsdelar", "förekomster", "Återkalla", "Utförd av",
                        "folkmängd", "Folkmängd"):  # fmt: skip
            assert swedish not in page
