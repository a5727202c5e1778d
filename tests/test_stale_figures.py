"""Figures while the tables are computed again after new data (issue 17, item 4): every page
that shows figures says that they are being recomputed and when the data shown is from, and a
small endpoint tells the page's script when the current tables are ready (it then reloads)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from nuso.accounts.models import User
from nuso.intake.models import ImportBatch
from nuso.units.models import Unit

from .conftest import import_synthetic_referrals, log_in_with_code, make_user

NOTICE = "Siffrorna räknas om efter en ny inläsning."


def import_2024(nuso, folder) -> None:
    from nuso.core.synth.referral_exports import write_referral_exports

    later = write_referral_exports(folder, seed=5, unit_count=4, rows=1200, year=2024)
    outcome = nuso("import", str(later.files[0].parent), "--study", "aktualiseringar",
                   "--period", "2024")  # fmt: skip
    assert outcome.exit_code == 0, outcome.out


def shown_version(page: str) -> str:
    found = re.search(r'id="omraknas" data-version="([0-9a-f]+)"', page)
    assert found, "no notice"
    return found[1]


@pytest.fixture
def recomputing(nuso, tmp_path, settings, monkeypatch):
    """2023 imported and its tables shown; then 2024 imported, with the background
    computation held back (the test computes the tables when it wants them ready)."""
    from nuso.analysis import service

    settings.NUSO_TABLES_IN_BACKGROUND = True
    import_synthetic_referrals(nuso, tmp_path / "2023", seed=5, units=4, rows=1200)
    unit = Unit.objects.filter(batches__blocks__isnull=False).distinct().order_by("code").first()
    municipal = make_user("kommunen", User.Role.MUNICIPAL, [unit])
    analyst = make_user("analytikern", User.Role.ANALYST, [])
    service._cache.clear()
    held_back: list[str] = []
    monkeypatch.setattr(service, "_refresh_in_background",
                        lambda study, unsuppressed, kind: held_back.append(kind))  # fmt: skip
    return unit, municipal, analyst, held_back


def test_pages_say_that_figures_are_recomputed_and_from_when(recomputing, nuso, tmp_path, client):
    from nuso.analysis import service
    from nuso.studies.models import Study

    unit, municipal, analyst, held_back = recomputing
    study = Study.objects.get(slug="aktualiseringar")
    dashboard = f"/portal/enhet/{unit.code}/aktualiseringar/"
    log_in_with_code(client, municipal, "ett långt lösenord 42")
    first = client.get(dashboard).content.decode()
    assert NOTICE not in first  # the current tables: no notice
    analysts = log_in_with_code(Client(), analyst, "ett långt lösenord 42")
    assert NOTICE not in analysts.get("/portal/riket/aktualiseringar/").content.decode()
    as_of = timezone.localtime(ImportBatch.objects.latest("finished_at").finished_at)
    import_2024(nuso, tmp_path / "2024")

    page = client.get(dashboard).content.decode()
    expected = f"{NOTICE} Det du ser är från {as_of:%Y-%m-%d %H:%M}."
    assert expected in page
    assert '<option value="2024"' not in page  # indeed the earlier figures
    assert held_back  # and the current ones are being computed
    assert "Ladda om sidan om en stund" in page  # said to readers without JavaScript
    partial = client.get(dashboard + "?jamfor=riket", headers={"X-Del": "1"}).content.decode()
    assert expected in partial  # the filters' answers carry the notice with their figures
    endpoint = "/portal/tabeller/aktualiseringar/version.json"
    assert client.get(endpoint).json() == {"version": None}  # not ready yet
    assert client.get(endpoint + "?riket=1").status_code == 403  # analysts' tables

    service.study_tables(study)  # the background computation, done
    ready = client.get(endpoint).json()["version"]
    assert ready
    assert ready != shown_version(page)  # the page's script reloads on this
    fresh = client.get(dashboard).content.decode()
    assert NOTICE not in fresh
    assert '<option value="2024"' in fresh

    national = analysts.get("/portal/riket/aktualiseringar/").content.decode()
    assert expected in national  # the analysts' unsuppressed tables: still computing
    assert analysts.get(endpoint + "?riket=1").json() == {"version": None}
    service.study_tables(study, unsuppressed=True)
    assert analysts.get(endpoint + "?riket=1").json()["version"] == ready  # the same data
    assert NOTICE not in analysts.get("/portal/riket/aktualiseringar/").content.decode()


def test_the_version_endpoint_needs_a_verified_login(recomputing, client) -> None:
    response = client.get("/portal/tabeller/aktualiseringar/version.json")
    assert response.status_code == 302
