"""Norwegian units in the portal: a Norwegian municipal user sees their own unit only, in
bokmål by default, compared with their fylke and Norway; no table holds both countries."""

from __future__ import annotations

import io
import re

import polars as pl
import pytest

from nuso.accounts.models import User
from nuso.analysis.service import study_tables
from nuso.studies.models import Study
from nuso.units.models import Unit

from .conftest import import_synthetic_referrals, log_in_with_code, make_user
from .norwegian import NORWEGIAN_UNITS, write_reports


@pytest.fixture
def norway(nuso, tmp_path):
    """Swedish referrals and Norwegian reports of 2024 imported; a Norwegian municipal user of
    Vestvågøy (NO-1860) and an analyst."""
    import_synthetic_referrals(nuso, tmp_path / "sverige", seed=5, units=3, rows=900)
    folder = tmp_path / "norge"
    folder.mkdir()
    for seed, code in enumerate(NORWEGIAN_UNITS):
        write_reports(folder, code, rows=160, seed=seed)
    outcome = nuso("import", str(folder), "--study", "meldinger", "--period", "2024")
    assert outcome.exit_code == 0, outcome.out
    vestvagoy = Unit.objects.get(code="NO-1860")
    user = make_user("vestvagoy", User.Role.MUNICIPAL, [vestvagoy])
    return vestvagoy, user


def test_the_reports_land_on_the_norwegian_units_and_1860_is_vestvagoy(norway) -> None:
    norwegian = set(
        Unit.objects.filter(batches__study__slug="meldinger").values_list("code", flat=True)
    )
    assert norwegian == {f"NO-{code}" for code in NORWEGIAN_UNITS}
    referring = Unit.objects.filter(batches__study__slug="aktualiseringar")
    swedish = set(referring.values_list("country", flat=True))
    assert swedish == {"SE"}


def test_no_table_holds_both_countries(norway) -> None:
    for slug, country in (("meldinger", "NO"), ("aktualiseringar", "SE")):
        results = study_tables(Study.objects.get(slug=slug))
        units = set(results.source.frame["enhet"].unique())
        counties = set(results.counties.values())
        assert units
        assert all(Unit.objects.get(code=code).country == country for code in units)
        assert all((code.startswith("NO-")) == (country == "NO") for code in counties)
        for rows in results.tables.values():
            named = rows.filter(pl.col("niva").is_in(["kommun", "lan"]))["enhet"].unique()
            assert all(code.startswith("NO-") == (country == "NO") for code in named.to_list())
    nation = study_tables(Study.objects.get(slug="meldinger")).national()["undersokelse"]
    total = nation.filter(pl.col("niva") == "riket")["total"].sum()
    assert total == 160 * len(NORWEGIAN_UNITS)  # Norway's reports, and no Swedish referral


def test_a_norwegian_manager_sees_bokmal_the_fylke_and_norway(norway, client) -> None:
    _, user = norway
    log_in_with_code(client, user, "ett långt lösenord 42")
    start = client.get("/portal/")
    assert start.status_code == 302
    assert start["Location"] == "/portal/enhet/NO-1860/meldinger/"
    page = client.get(start["Location"]).content.decode()
    assert '<html lang="nb">' in page
    assert "Vestvågøy" in page
    assert "Fylket" in page
    assert "Norge" in page
    assert "Kommungrupp" not in page
    assert "Kommunegruppe" not in page
    assert "Riket" not in page
    assert "Uppgift saknas" not in page  # the filters' "missing" in bokmål
    assert "Opplysning mangler" in page
    nordland = client.get("/portal/enhet/NO-1860/meldinger/?jamfor=lan").content.decode()
    assert "Fylket" in nordland
    assert "Nordland" in nordland  # the fylke's figures, without Vestvågøy, with their guidance


def test_a_norwegian_municipal_user_sees_only_their_own_unit(norway, client) -> None:
    _, user = norway
    log_in_with_code(client, user, "ett långt lösenord 42")
    assert client.get("/portal/enhet/NO-1860/meldinger/").status_code == 200
    assert client.get("/portal/enhet/NO-1804/meldinger/").status_code == 404  # a neighbour
    laxa = client.get("/portal/enhet/1860/aktualiseringar/")
    assert laxa.status_code == 404  # Sweden's 1860 is not theirs
    assert client.get("/portal/riket/meldinger/").status_code in (403, 404)
    rows = client.get("/portal/enhet/NO-1860/meldinger/rader.csv")
    assert rows.status_code == 200
    frame = pl.read_csv(io.BytesIO(b"".join(rows.streaming_content)), infer_schema_length=0)
    assert frame.height == 160
    assert set(frame["kommunkod"]) == {"NO-1860"}
    assert not any(re.search(r"\d{6} ?\d{5}", str(row)) for row in frame.iter_rows())


def test_a_unit_has_no_page_in_another_countrys_study(norway, client) -> None:
    analyst = make_user("analytiker", User.Role.ANALYST, [])
    log_in_with_code(client, analyst, "ett långt lösenord 42")
    for path in ("/portal/enhet/1860/meldinger/diagram/kon.svg",
                 "/portal/enhet/NO-1860/aktualiseringar/diagram/kon.svg",
                 "/portal/enhet/NO-1860/aktualiseringar/tabeller.csv"):  # fmt: skip
        assert client.get(path).status_code == 404, path
    assert client.get("/portal/enhet/NO-1860/meldinger/diagram/kon.svg").status_code == 200


@pytest.mark.parametrize(("language", "wrong_nation"), [("sv", "riket"), ("en", "Sweden")])
def test_a_norwegian_units_page_in_another_language_names_norway_not_sweden(
    norway, client, settings, language, wrong_nation
) -> None:
    _, user = norway
    log_in_with_code(client, user, "ett långt lösenord 42")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for comparison in ("lan", "riket"):
        page = client.get(f"/portal/enhet/NO-1860/meldinger/?jamfor={comparison}")
        text = page.content.decode()
        assert f'<html lang="{language}">' in text
        read = re.sub(r'(value|href|src|action|data-[\w-]+)="[^"]*"', "", text)  # not codes
        assert wrong_nation.lower() not in read.lower(), comparison
        assert "Norge" in text or "Norway" in text
        # the study's own claims are bokmål: no sentence mixes them into the page's language
        assert "av meldingene" not in text


def test_a_municipal_users_tables_hold_no_other_units_comparison(norway, client) -> None:
    """The fylke's figures without another unit, beside the fylke's own, would tell that unit's
    figures: a user's tables hold only their own unit's comparisons."""
    _, user = norway
    log_in_with_code(client, user, "ett långt lösenord 42")
    response = client.get("/portal/enhet/NO-1860/meldinger/tabeller.csv")
    assert response.status_code == 200
    frame = pl.read_csv(io.BytesIO(b"".join(response.streaming_content)), infer_schema_length=0)
    assert set(frame["jamforelse"].drop_nulls()) == {"NO-1860"}
    assert set(frame.filter(pl.col("niva") == "kommun")["enhet"]) == {"NO-1860"}
    assert set(frame.filter(pl.col("niva") == "lan")["enhet"]) == {"NO-18"}
    workbook = client.get("/portal/enhet/NO-1860/meldinger/tabeller.xlsx")
    assert workbook.status_code == 200  # the study's long table names cut alike to 31
    others = [name for code, name in (("NO-1804", "Bodø"), ("NO-1833", "Rana"))
              if frame["vagledning"].str.contains(name).any()]  # fmt: skip
    assert others == []


def test_with_ssbs_population_a_norwegian_unit_is_compared_with_units_of_its_size(
    nuso, tmp_path, client
) -> None:
    """Norway's population is not shipped: once SSB's table is loaded, a Norwegian unit gets
    the size band comparison, of Norwegian units only."""
    folder = tmp_path / "norge"
    folder.mkdir()
    for seed, code in enumerate(NORWEGIAN_UNITS):
        write_reports(folder, code, rows=160, seed=seed)
    nuso("init")
    population = {
        "1860": 11520,
        "1804": 53700,
        "1806": 18000,
        "1833": 26800,
        "0301": 717700,
        "4601": 291900,
    }  # test figures: Narvik in Vestvågøy's band
    table = tmp_path / "folkemengde.csv"
    lines = [f"{code};{NORWEGIAN_UNITS[code]};{people};2024" for code, people in population.items()]
    table.write_text("kommunenummer;kommune;folkemengde;år\n" + "\n".join(lines) + "\n", "utf-8")
    assert nuso("reference", "load", str(table), "--land", "NO").exit_code == 0
    assert nuso("import", str(folder), "--study", "meldinger", "--period", "2024").exit_code == 0
    user = make_user("vestvagoy", User.Role.MUNICIPAL, [Unit.objects.get(code="NO-1860")])
    log_in_with_code(client, user, "ett långt lösenord 42")
    page = client.get("/portal/enhet/NO-1860/meldinger/").content.decode()
    assert 'value="storleksgrupp"' in page
    banded = client.get("/portal/enhet/NO-1860/meldinger/?jamfor=storleksgrupp")
    assert "Kommuner av samme størrelse" in banded.content.decode()
    results = study_tables(Study.objects.get(slug="meldinger"))
    for rows in results.tables.values():
        bands = rows.filter(pl.col("niva") == "storleksgrupp")
        assert set(bands["jamforelse"].drop_nulls()) <= {f"NO-{code}" for code in population}
    vestvagoy = results.for_unit("NO-1860")["undersokelse"]
    compared = vestvagoy.filter(
        (pl.col("niva") == "storleksgrupp") & (pl.col("jamforelse") == "NO-1860")
    )
    assert compared.height
    assert compared["total"].drop_nulls().sum() > 0  # Narvik, the rest of the band


def test_a_norwegian_users_row_download_is_headed_in_bokmal(norway, client) -> None:
    """The headings of where a row came from (and of the review column) were Swedish in a
    bokmål portal (issue 20 walk)."""
    _, user = norway
    log_in_with_code(client, user, "ett långt lösenord 42")
    response = client.get("/portal/enhet/NO-1860/meldinger/rader.xlsx")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    header = pl.read_excel(io.BytesIO(content)).columns
    assert header[:4] == ["Kommune- eller bydelsnummer", "Fil", "Ark", "Rad"]
    assert "Venter på gjennomgang" in header
    assert not {"Flik", "Väntar på granskning", "Kommun- eller stadsdelskod"} & set(header)


def test_in_bokmal_a_norwegian_studys_guidance_makes_its_own_claims(norway, client) -> None:
    """A Norwegian study's tables say what their figures are ("kommer 17 % av meldingene fra
    politi") in bokmål, on the page and in the tables file; only a page in another language
    falls back to the plain claim (the test above)."""
    _, user = norway
    log_in_with_code(client, user, "ett långt lösenord 42")
    page = client.get("/portal/enhet/NO-1860/meldinger/?jamfor=riket").content.decode()
    assert '<html lang="nb">' in page
    assert re.search(r"I Vestvågøy kommer [\d,]+\s%\s+av meldingene fra ", page)
    assert re.search(r"I Vestvågøy fører [\d,]+\s%\s+av meldingene til undersøkelse", page)
    response = client.get("/portal/enhet/NO-1860/meldinger/tabeller.csv?jamfor=riket")
    frame = pl.read_csv(io.BytesIO(b"".join(response.streaming_content)), infer_schema_length=0)
    said = " ".join(frame["vagledning"].drop_nulls().to_list())
    assert re.search(r"I Vestvågøy kommer [\d,]+\s%\s+av meldingene fra \w", said)
    assert "er andelen" not in said
    assert "jämfört" not in said
