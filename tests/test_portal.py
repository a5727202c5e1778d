"""The portal as its users meet it (Django's test client): two-step login, lockout, a
municipal user confined to their own unit, analysts' national view, downloads and the audit
log, suppression on every page."""

from __future__ import annotations

import html
import io
import re

import polars as pl
import pyreadstat
import pytest
from django.test import Client
from django.utils import timezone

from nuso.accounts.models import User
from nuso.audit.models import AuditEntry
from nuso.core.outputs.registry import ROWS, TABLES, file_name, formats, writer
from nuso.studies import retraining
from nuso.units.models import Unit

from .conftest import import_synthetic_referrals, log_in_with_code, make_user

LOGIN = "/account/login/"


@pytest.fixture
def portal(nuso, tmp_path):
    """Six units' referrals imported; a municipal user of the first unit and an analyst."""
    import_synthetic_referrals(nuso, tmp_path / "syntes", seed=9, units=6, rows=3000)
    units = list(Unit.objects.filter(batches__blocks__isnull=False).distinct().order_by("code"))
    municipal = make_user("kommunanvandare", User.Role.MUNICIPAL, [units[0]])
    analyst = make_user("analytikern", User.Role.ANALYST, [])
    return units, municipal, analyst


def password_step(client: Client, username: str, password: str = "ett långt lösenord 42"):
    return client.post(LOGIN, {"login_view-current_step": "auth",
                               "auth-username": username, "auth-password": password})  # fmt: skip


def log_in(client: Client, user: User, password: str = "ett långt lösenord 42") -> Client:
    return log_in_with_code(client, user, password)


def test_without_a_one_time_code_there_is_no_way_in(portal, client) -> None:
    units, municipal, _ = portal
    response = client.get(f"/portal/enhet/{units[0].code}/aktualiseringar/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    password_step(client, municipal.username)
    # password right but no code yet: still no dashboard
    response = client.get(f"/portal/enhet/{units[0].code}/aktualiseringar/")
    assert response.status_code == 302


def test_a_municipal_user_sees_their_dashboard_with_comparisons(portal, client) -> None:
    units, municipal, _ = portal
    log_in(client, municipal)
    response = client.get("/portal/")
    assert response.status_code == 302  # one unit: straight to its dashboard
    page = client.get(response["Location"]).content.decode()
    assert f"{units[0].name}: Aktualiseringar" in page
    assert "Andel som leder till utredning per aktualiseringsorsak" in page
    assert "jämfört med" in page
    assert "Content-Security-Policy" in client.get(response["Location"]).headers
    assert AuditEntry.objects.filter(action="portal.login", actor=municipal).exists()
    assert AuditEntry.objects.filter(action="portal.dashboard", actor=municipal).exists()


def test_a_municipal_user_gets_nothing_of_another_unit(portal, client) -> None:
    units, municipal, _ = portal
    log_in(client, municipal)
    other = units[1].code
    for path in (f"/portal/enhet/{other}/aktualiseringar/",
                 f"/portal/enhet/{other}/aktualiseringar/rader.csv",
                 f"/portal/enhet/{other}/aktualiseringar/tabeller.xlsx",
                 f"/portal/enhet/{other}/aktualiseringar/diagram/utredning.svg",
                 f"/portal/enhet/{other}/aktualiseringar/nyckeltal.svg"):  # fmt: skip
        assert client.get(path).status_code == 404, path
    assert client.get("/portal/riket/aktualiseringar/").status_code == 403
    assert client.get("/portal/riket/aktualiseringar/rader.csv").status_code == 403
    assert client.get(f"/portal/enhet/{units[0].code}/aktualiseringar/rader.sav").status_code == 403


def test_a_municipal_user_gets_neither_the_review_queue_nor_the_national_funnel(
    portal, client
) -> None:
    """The review queue holds every unit's raw values and the funnel every unit's figures:
    without a login there is no way in, and a municipal user gets a 403."""
    from nuso.intake.models import ReviewItem

    _, municipal, _ = portal
    item = ReviewItem.objects.filter(status="pending").first()
    assert item is not None  # the imported set leaves values to review
    paths = ("/portal/arbetsyta/granska/", "/portal/riket/aktualiseringar/tratt.svg")
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(LOGIN), path
    log_in(client, municipal)
    for path in paths:
        assert client.get(path).status_code == 403, path
    code = item.suggestions[0]["code"] if item.suggestions else ""
    response = client.post("/portal/arbetsyta/granska/", {"post": item.pk, "kod": code})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == "pending"
    assert not AuditEntry.objects.filter(action="review.decide").exists()


def test_own_rows_download_holds_only_the_own_unit(portal, client) -> None:
    units, municipal, _ = portal
    log_in(client, municipal)
    response = client.get(f"/portal/enhet/{units[0].code}/aktualiseringar/rader.csv")
    assert response.status_code == 200
    frame = pl.read_csv(io.BytesIO(b"".join(response.streaming_content)), infer_schema_length=0)
    assert set(frame["kommunkod"]) == {units[0].code}
    assert not any(re.search(r"\d{6}-?\d{4}", str(v)) for v in frame.iter_rows())
    entry = AuditEntry.objects.filter(action="portal.download_rows").latest("id")
    assert entry.unit == units[0]
    assert entry.details["rows"] == frame.height


def test_no_small_count_on_the_page_or_in_the_table_download(portal, client) -> None:
    units, municipal, _ = portal
    log_in(client, municipal)
    response = client.get(f"/portal/enhet/{units[0].code}/aktualiseringar/tabeller.csv")
    frame = pl.read_csv(io.BytesIO(b"".join(response.streaming_content)), infer_schema_length=None,
                        schema_overrides={"enhet": pl.String, "jamforelse": pl.String})  # fmt: skip
    for column in ("antal", "total"):
        assert not frame[column].drop_nulls().is_between(1, 4).any()
    assert set(frame.filter(pl.col("niva") == "kommun")["enhet"]) == {units[0].code}
    page = client.get(f"/portal/enhet/{units[0].code}/aktualiseringar/").content.decode()
    assert "undertryckt" in page  # some reason is rare enough in a small unit


def test_analysts_see_every_unit_and_get_spss(portal, client) -> None:
    units, _, analyst = portal
    log_in(client, analyst)
    page = client.get("/portal/riket/aktualiseringar/").content.decode()
    for unit in units:
        assert unit.name in page
    response = client.get("/portal/riket/aktualiseringar/rader.sav")
    assert response.status_code == 200
    path = "/tmp/nuso-test-rader.sav"
    with open(path, "wb") as handle:
        handle.write(b"".join(response.streaming_content))
    data, meta = pyreadstat.read_sav(path)
    assert len(data) == 3000
    assert meta.column_names_to_labels["aktualiseringstyp"] == "Aktualiseringstyp"
    assert meta.variable_value_labels["kon"]["flicka"] == "Flicka"
    assert client.get("/portal/riket/aktualiseringar/tratt.svg").status_code == 200


def test_repeated_failures_lock_the_account(portal, client) -> None:
    _, municipal, _ = portal
    for _ in range(5):
        password_step(client, municipal.username, "fel")
    response = password_step(client, municipal.username)
    assert response.status_code == 429
    assert "För många misslyckade inloggningar" in response.content.decode()


def test_an_account_without_an_authenticator_must_enrol_first(portal, client) -> None:
    units, _, _ = portal
    user = User.objects.create_user("ny", password="ett långt lösenord 42", role="kommun")
    user.units.set([units[0]])
    response = password_step(client, "ny")
    assert response.status_code == 302
    response = client.get(f"/portal/enhet/{units[0].code}/aktualiseringar/")
    assert response["Location"] == "/account/two_factor/setup/"
    setup = client.get("/account/two_factor/setup/", follow=True)
    assert setup.status_code == 200


def test_analysts_upload_files_and_decide_the_review_queue(
    portal, client, tmp_path, django_capture_on_commit_callbacks
) -> None:
    _, municipal, analyst = portal
    path = tmp_path / "Karlstad 2023.csv"
    path.write_text("Kön;Orsak;Åtgärd\nF;Nätkontakt;Ny utredning\n", "utf-8")
    log_in(client, municipal)
    assert client.get("/portal/arbetsyta/las-in/").status_code == 403
    assert client.get("/portal/arbetsyta/inlasningar/").status_code == 403
    assert client.get("/portal/arbetsyta/inlasningar/1/").status_code == 403
    client.logout()
    log_in(client, analyst)
    with path.open("rb") as handle:
        page = client.post(
            "/portal/arbetsyta/las-in/",
            {"filer": handle, "delstudie": "aktualiseringar", "period": "2023"},
        )
    text = page.content.decode()
    assert "Karlstad 2023.csv" in text
    assert "inläst" in text
    report = re.search(r'href="(/portal/arbetsyta/inlasningar/\d+/)">Karlstad 2023.csv', text)
    assert report is not None
    shown = client.get(report.group(1)).content.decode()
    # How the file was read: the columns, each raw value and what it became, what waits.
    assert "Hur varje kolumn tolkades" in shown
    assert re.search(r"<th scope=\"row\">Kön</th><td>kon</td>", shown)
    assert re.search(r"<th scope=\"row\">F</th><td>flicka</td><td>exact</td><td>1</td>", shown)
    assert "orsaker: Nätkontakt (1)" in shown
    assert "<dt>exact</dt><dd>stavningen finns i kodboken</dd>" in shown  # what methods mean
    listed = client.get("/portal/arbetsyta/inlasningar/").content.decode()
    assert report.group(1) in listed
    queue = client.get("/portal/arbetsyta/granska/").content.decode()
    assert "Nätkontakt" in queue
    from nuso.intake.models import ReviewItem

    item = ReviewItem.objects.get(raw_example="Nätkontakt")
    code = item.suggestions[0]["code"]
    with django_capture_on_commit_callbacks() as after_commit:
        client.post("/portal/arbetsyta/granska/", {"post": item.pk, "kod": code})
    item.refresh_from_db()
    assert item.status == "decided"
    assert AuditEntry.objects.filter(action="review.decide", actor=analyst).exists()
    # The suggestion models learn the decision after it is committed, in the background.
    assert after_commit == [retraining.requested]


def test_the_review_queue_offers_codes_by_their_swedish_labels(portal, client) -> None:
    from nuso.intake.models import ReviewItem
    from nuso.studies.codebooks import latest_version
    from nuso.studies.models import CodebookEntry

    _, _, analyst = portal
    item = ReviewItem.objects.filter(status="pending", variable="orsaker").exclude(suggestions=[])
    item = item.first()
    assert item is not None
    code = item.suggestions[0]["code"]
    label = CodebookEntry.objects.get(version=latest_version(), variable="orsak", code=code).label
    log_in(client, analyst)
    page = client.get("/portal/arbetsyta/granska/").content.decode()
    button = f'value="{code}">{label} <small class="code">{code}</small></button>'
    assert button in page
    assert '<td>Aktualiseringsorsaker <small class="code">orsaker</small></td>' in page
    assert f'value="{code}">{code}</button>' not in page


def test_a_refused_file_shows_why_in_its_report_as_earlier_reports_do(
    portal, client, tmp_path
) -> None:
    from pathlib import Path

    from nuso.intake.models import ImportBatch

    _, _, analyst = portal
    log_in(client, analyst)
    corrupt = Path(__file__).resolve().parent / "corpus" / "corrupt-not-a-zip.xlsx"
    with corrupt.open("rb") as handle:
        page = client.post(
            "/portal/arbetsyta/las-in/",
            {"filer": handle, "delstudie": "aktualiseringar", "period": "2023", "kommun": "1780"},
        ).content.decode()
    why = "Filen är skadad eller inte ett kalkylark (fel filformat)."
    assert f"<td>fel</td><td></td>\n      <td>–</td><td>0</td><td>{why}</td>" in page
    batch = ImportBatch.objects.get(status="failed")
    assert batch.report["fel"][0]["kod"] == "not-a-spreadsheet"

    def shown() -> str:
        page = client.get(f"/portal/arbetsyta/inlasningar/{batch.pk}/").content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", page)

    now = shown()
    assert f'<p class="error" role="alert">{why}</p>' in now
    batch.report = {"fel": why}  # as refusals were stored before they were problems
    batch.save()
    assert shown() == now


def test_the_filters_narrow_every_table_that_is_broken_down_by_them(portal, client) -> None:
    units, municipal, _ = portal
    log_in(client, municipal)
    base = f"/portal/enhet/{units[0].code}/aktualiseringar/"
    page = client.get(base + "?urval=kon:flicka", headers={"X-Del": "1"}).content.decode()
    assert "Urval: Kön: Flicka" in page
    assert "<html" not in page  # only the results part, for the in-place update
    assert "Aktualiseringsorsaker (Kön: Flicka)" in page
    chart = client.get(base + "diagram/orsaker.svg?urval=aldersgrupp:15-17")
    assert chart.status_code == 200
    assert chart["Content-Type"] == "image/svg+xml"
    ignored = client.get(base + "?urval=kon:okänd").content.decode()  # not a category
    assert "Urval:" not in ignored


def test_units_without_data_come_after_those_with_and_get_one_short_page(portal, client):
    """Of some 300 units most have no delivery: the overview links the units with data (to
    their studies with data) and names the others after them; a unit's page for a study
    without its data says so in a few lines instead of showing empty tables and charts."""
    units, _, analyst = portal
    log_in(client, analyst)
    page = client.get("/portal/").content.decode()
    without = Unit.objects.filter(active=True).exclude(batches__status="imported")
    without = without.order_by("code").first()
    first_without = page.index(f"{without.name} ({without.code})")
    for unit in units:
        assert page.index(f"/portal/enhet/{unit.code}/aktualiseringar/") < first_without
    assert f"/portal/enhet/{without.code}/" not in page
    assert "/avslutade_utredningar/" not in page.split("</h2>", 1)[1]  # no survey imported
    for path, elsewhere in ((f"/portal/enhet/{without.code}/aktualiseringar/", None),
                            (f"/portal/enhet/{units[0].code}/avslutade_utredningar/",
                             f"/portal/enhet/{units[0].code}/aktualiseringar/")):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200
        short = response.content.decode()
        assert "Det finns inga inlästa uppgifter för" in short
        for empty_part in ("<img", "<table", "<select"):
            assert empty_part not in short
        assert elsewhere is None or f'href="{elsewhere}"' in short


def guidance_of(page: str, table: str) -> list[str]:
    """The guidance sentences of one table's section (each row's last cell, and the
    summary of the whole distribution)."""
    section = page.split(f'id="t-{table}"')[1].split("</section>")[0]
    return re.findall(r'<(?:td|p class="summary")>((?:I|Det|Fördelningen) [^<]+)</', section)


def test_filtered_guidance_names_the_selection(portal, client) -> None:
    """Under the 15–17 filter the sentences are about 15–17-year-olds, and say so."""
    units, municipal, _ = portal
    log_in(client, municipal)
    base = f"/portal/enhet/{units[0].code}/aktualiseringar/"
    for selection, phrase in (("aldersgrupp:15-17", "bland 15–17-åringar"),
                              ("kon:flicka", "bland dem vars kön är flicka")):  # fmt: skip
        page = client.get(f"{base}?urval={selection}").content.decode()
        sentences = guidance_of(page, "aktualiseringstyp")
        assert len(sentences) >= 3, sentences
        for sentence in sentences:
            assert phrase in sentence, sentence
    unfiltered = guidance_of(client.get(base).content.decode(), "aktualiseringstyp")
    assert not any("bland" in sentence for sentence in unfiltered)


AGE_GROUPS = ("0-2", "3-5", "6-8", "9-11", "12-14", "15-17")


def in_order_shown(values: list[str], order: tuple[str, ...]) -> list[str]:
    """The values of `order` as they come in `values`, each once."""
    return list(dict.fromkeys(v for v in values if v in order))


def test_categories_keep_the_codebook_order_in_tables_charts_and_downloads(portal, client):
    """Age groups in the codebook's order (0–2, 3–5, … 15–17), not as text sorts them (0–2,
    12–14, 15–17, 3–5, …): on the page, in its chart and in both table downloads."""
    units, municipal, _ = portal
    log_in(client, municipal)
    labels = tuple(f"{group.replace('-', '–')} år" for group in AGE_GROUPS)
    base = f"/portal/enhet/{units[0].code}/aktualiseringar/"
    page = client.get(base).content.decode()
    section = page.split('id="t-aldersgrupp"')[1].split("</section>")[0]
    shown = re.findall(r'<th scope="row">([^<]+)</th>', section)
    assert in_order_shown(shown, labels) == list(labels)
    chart = client.get(base + "diagram/aldersgrupp.svg").content.decode()
    assert f"discrete scale with 6 values: {', '.join(labels)}" in chart
    csv = pl.read_csv(io.BytesIO(b"".join(client.get(base + "tabeller.csv").streaming_content)),
                      infer_schema_length=0)  # fmt: skip
    ages = tuple(str(n) for n in range(18))
    for table, column, order in (("aldersgrupp", "aldersgrupp", AGE_GROUPS),
                                 ("alder_kon", "alder", ages)):  # fmt: skip
        for level in ("kommun", "riket"):
            rows = csv.filter((pl.col("tabell") == table) & (pl.col("niva") == level))
            assert in_order_shown(rows[column].to_list(), order) == list(order), (table, level)
    workbook = b"".join(client.get(base + "tabeller.xlsx").streaming_content)
    sheet = pl.read_excel(io.BytesIO(workbook), sheet_name="aldersgrupp", read_options={
        "header_row": 1})  # fmt: skip
    assert in_order_shown(sheet["Åldersgrupp"].to_list(), labels) == list(labels)


def test_english_is_one_click_away_and_swedish_the_default(portal, client) -> None:
    units, municipal, _ = portal
    log_in(client, municipal)
    url = f"/portal/enhet/{units[0].code}/aktualiseringar/"
    swedish = client.get(url, headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="sv">' in swedish  # the browser's language does not decide
    assert "Nyckeltal över tid" in swedish
    client.post("/i18n/setlang/", {"language": "en", "next": url})
    english = client.get(url).content.decode()
    assert '<html lang="en">' in english
    assert "Key figures over time" in english
    assert "Compare with" in english
    assert "På svenska" in english


def test_key_figures_over_two_years_show_as_a_trend_chart(portal, client, nuso, tmp_path) -> None:
    """With one period the key figures are a table; a second year of the same units adds a
    chart of the unit and the nation per period, with the figures of the table."""
    from nuso.core.synth.referral_exports import write_referral_exports

    units, municipal, _ = portal
    log_in(client, municipal)
    dashboard = f"/portal/enhet/{units[0].code}/aktualiseringar/"
    assert "nyckeltal.svg" not in client.get(dashboard).content.decode()
    later = write_referral_exports(tmp_path / "2024", seed=9, unit_count=6, rows=3000, year=2024)
    outcome = nuso("import", str(later.files[0].parent), "--study", "aktualiseringar",
                   "--period", "2024")  # fmt: skip
    assert outcome.exit_code == 0, outcome.out
    page = client.get(dashboard).content.decode()
    assert f"{dashboard}nyckeltal.svg" in page
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>(\d{4})</td>', page)
    assert {(period, label) for label, period in rows} >= {
        ("2023", "Andel aktualiseringar som leder till utredning"),
        ("2024", "Andel aktualiseringar som leder till utredning"),
    }
    svg = client.get(f"{dashboard}nyckeltal.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    text = svg.content.decode()
    for expected in ("2023", "2024", units[0].name, "Riket"):
        assert expected in text


def test_a_session_is_written_once_a_minute_and_lasts_an_hour_from_the_last(portal, client) -> None:
    """A page and its dozen chart requests do not rewrite the session each; the hour still
    counts from the last request, to the minute."""
    from django.contrib.sessions.models import Session

    from nuso.web.sessions import MARK

    units, municipal, _ = portal
    log_in(client, municipal)
    dashboard = f"/portal/enhet/{units[0].code}/aktualiseringar/"
    client.get(dashboard)
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    for _ in range(3):
        assert client.get(f"{dashboard}diagram/utredning.svg").status_code == 200
    assert Session.objects.get(session_key=key).expire_date == first  # not written again
    session = client.session
    session[MARK] = session[MARK] - 5  # as if the last write was five minutes ago
    session.save()
    written = Session.objects.get(session_key=key).expire_date
    client.get(dashboard)
    assert Session.objects.get(session_key=key).expire_date > written
    assert (Session.objects.get(session_key=key).expire_date - timezone.now()).seconds > 59 * 60


SWEDISH_GUIDANCE = ("jämfört med", "Skillnaden", "statistiskt säkerställ", "antalet för litet",
                    "Fördelningen av", "Det finns inga uppgifter", "kommungruppen")  # fmt: skip


def test_the_english_dashboard_has_no_swedish_guidance_axes_or_share_format(portal) -> None:
    """English mode: guidance sentences, chart axes and legends and shares in English; the
    Swedish dashboard shows the engine's Swedish sentences as before."""
    import html

    from nuso.analysis import service
    from nuso.studies.models import Study

    units, municipal, _ = portal
    unit = units[0]
    url = f"/portal/enhet/{unit.code}/aktualiseringar/"
    charts = (url + "diagram/aktualiseringstyp.svg", url + "nyckeltal.svg")
    swedish_client = log_in(Client(), municipal)
    swedish = swedish_client.get(url).content.decode()
    results = service.study_tables(Study.objects.get(slug="aktualiseringar"))
    shown = [name for name, d in results.definitions.items()
             if d.compare and not d.view_of and d.kind != "logistic"]  # fmt: skip
    period = results.periods[-1]
    mine = (pl.col("niva") == "kommungrupp") & (pl.col("jamforelse") == unit.code)
    mine &= pl.col("period") == period
    sentences = {
        row["vagledning"]
        for name in shown
        for row in results.tables[name].filter(mine).iter_rows(named=True)
        if row["vagledning"] and "uppgift_saknas" not in row.values()
    }
    assert len(sentences) > 20
    missing = [s for s in sentences if html.escape(s) not in swedish]
    assert missing == []  # the engine's own sentences, unchanged
    assert re.search(r"\d,\d\u00a0%", swedish)
    for chart in charts:
        svg = swedish_client.get(chart).content.decode()
        assert ">Andel<" in svg, chart
        assert ">Riket<" in svg, chart

    english_client = swedish_client  # one login: a one-time code is accepted once
    english_client.post("/i18n/setlang/", {"language": "en", "next": url})
    english = english_client.get(url).content.decode()
    assert '<html lang="en">' in english
    assert [w for w in SWEDISH_GUIDANCE if w in english] == []
    assert "compared with" in english
    assert "The difference is" in english
    assert "The distribution of" in english
    for words in ("Summary", "Contents", "Back to contents", "Imported data", "records, imported"):
        assert words in english, words  # the summary (issue 17's dashboard) in English too
    assert not re.search(r"\d,\d\u00a0%", english)  # shares as English writes them
    assert re.search(r"\d\.\d%", english)
    partial = english_client.get(url + "?urval=kon:flicka", headers={"X-Del": "1"})
    assert [w for w in SWEDISH_GUIDANCE if w in partial.content.decode()] == []
    for chart in charts:
        svg = english_client.get(chart).content.decode()
        assert ">Andel<" not in svg, chart
        assert ">Riket<" not in svg, chart
        assert ">Share<" in svg, chart
        assert ">Sweden<" in svg, chart


def test_the_nation_as_comparison_is_one_series_not_two_stacked() -> None:
    """Compared with the nation, the reference and the nation are the same figures under
    the same name: drawn twice they stacked into one bar of 177 %."""
    from nuso.core.analysis.charts import SWEDISH
    from nuso.portal.dashboard import Cell, Line, Section

    cell = Cell(0.886, 0.87, 0.90, 886, 1000, False)
    line = Line(("anmalan",), "Anmälan", cell, cell, cell, "", None)
    section = Section("typ", "Typ", "Typ", [line])
    spec = section.chart("Karlstad", "Riket", SWEDISH)
    keys = [(p["kategori"], p["serie"]) for p in spec["data"]["values"]]
    assert len(keys) == len(set(keys)) == 2


def test_compared_with_the_nation_the_tables_show_it_once_and_say_it_is_whole(
    portal, client
) -> None:
    """The nation as comparison is the whole nation, the unit included (tested against the
    rest of the country): no 'Riket utan …' caption and no second column of the same figures."""
    units, municipal, _ = portal
    log_in(client, municipal)
    page = client.get(f"/portal/enhet/{units[0].code}/aktualiseringar/?jamfor=riket")
    text = page.content.decode()
    assert f"Riket utan {units[0].name}" not in text
    assert "skillnaden mot riket prövas mot resten av landet" in text
    headings = re.findall(r'<section aria-labelledby="t-[^"]+" class="result-section">.*?'
                          r"<thead>(.*?)</thead>", text, re.S)  # fmt: skip
    assert headings
    for row in headings:
        assert row.count(">Riket<") == 1, row
    grouped = client.get(f"/portal/enhet/{units[0].code}/aktualiseringar/").content.decode()
    assert f"Kommungruppen utan {units[0].name}" in grouped  # the group is without the unit


def test_without_differences_the_summary_names_each_reference_once(portal, client) -> None:
    """Compared with the nation, the summary without differences said 'mot riket eller
    riket' (found in the new-user walk); compared with the group it names both."""
    units, municipal, _ = portal
    log_in(client, municipal)
    base = f"/portal/enhet/{units[0].code}/aktualiseringar/?urval=kon:uppgift_saknas"
    nation = client.get(f"{base}&jamfor=riket").content.decode()
    assert "Inga statistiskt säkerställda skillnader mot riket" in nation
    assert "riket eller riket" not in nation
    group = client.get(f"{base}&jamfor=kommungrupp").content.decode()
    assert "Inga statistiskt säkerställda skillnader mot kommungruppen eller riket" in group


def test_every_import_report_is_reachable_from_the_list(portal, client, monkeypatch) -> None:
    """The list showed the latest 300 imports and no more, with no word of the rest (found
    in the new-user walk: 300 of 328): it goes on in pages."""
    from nuso.intake.models import ImportBatch
    from nuso.portal import workspace

    monkeypatch.setattr(workspace, "RECENT_IMPORTS", 2)
    _, _, analyst = portal
    log_in(client, analyst)
    reached, address = set(), "/portal/arbetsyta/inlasningar/"
    for _ in range(20):
        page = client.get(address).content.decode()
        reached |= {
            int(pk) for pk in re.findall(r'href="/portal/arbetsyta/inlasningar/(\d+)/"', page)
        }
        older = re.search(r'<a href="(\?sida=\d+)">Äldre</a>', page)
        if older is None:
            break
        assert f"av {ImportBatch.objects.count()}." in page
        address = "/portal/arbetsyta/inlasningar/" + older.group(1)
    assert ImportBatch.objects.count() > 2
    assert reached == set(ImportBatch.objects.values_list("pk", flat=True))


def test_the_download_links_are_the_registrys_formats_the_user_may_have(portal, client) -> None:
    """A link for each format of tables and of rows in the output registry, each answering
    with its file and media type; SPSS only for analysts."""
    units, municipal, analyst = portal
    base = f"/portal/enhet/{units[0].code}/aktualiseringar/"
    for user, denied in ((municipal, {"sav"}), (analyst, set())):
        signed_in = log_in(Client(), user)
        page = signed_in.get(base).content.decode()
        for kind, address in ((TABLES, "tabeller"), (ROWS, "rader")):
            offered = set(re.findall(rf'href="{base}{address}\.(\w+)"', page))
            assert offered == set(formats(kind)) - denied, (user.role, kind)
            for format_ in offered:
                response = signed_in.get(f"{base}{address}.{format_}")
                assert response.status_code == 200, format_
                assert response["Content-Type"] == writer(format_).media_type
                name = file_name("aktualiseringar", units[0].code, kind, format_)
                assert f'filename="{name}"' in response["Content-Disposition"]
    assert Client().get(f"{base}rader.docx").status_code == 404  # not a registered format


def test_the_table_download_of_a_filtered_page_holds_what_the_page_shows(portal, client) -> None:
    """The dashboard's download link carries its period and filter (issue 20 walk: the
    download ignored them); the page's other link still gives every period and filter."""
    units, municipal, _ = portal
    log_in(client, municipal)
    base = f"/portal/enhet/{units[0].code}/aktualiseringar/"
    page = client.get(base + "?urval=kon:flicka").content.decode()
    links = re.findall(r'href="([^"]*tabeller\.csv[^"]*)"', page)
    filtered = next(html.unescape(link) for link in links if "urval=" in link)
    assert "period=" in filtered

    def read(url: str) -> pl.DataFrame:
        content = b"".join(client.get(url).streaming_content)
        return pl.read_csv(io.BytesIO(content), infer_schema_length=0)

    shown = read(filtered)
    assert shown.height > 0
    assert set(shown["kon"]) == {"flicka"}  # every table shown is one of the girls'
    assert shown["period"].n_unique() == 1
    everything = read(base + "tabeller.csv")
    assert {"flicka", "pojke"} <= set(everything["kon"].drop_nulls())
    assert everything.height > shown.height
