"""Units have a country: Norway's municipalities beside Sweden's, keys that never collide,
a study's figures of one country only, and a Norwegian user's default language."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from nuso.accounts.models import User
from nuso.analysis.data import MixedCountriesError, study_input
from nuso.intake.models import ImportBatch
from nuso.intake.services import unit_index
from nuso.studies.models import Study
from nuso.units.models import County, Unit
from nuso.units.services import find_unit
from nuso.web.security import users_language

from .conftest import import_synthetic_referrals, make_user


def test_init_loads_norway_beside_sweden_and_1860_is_two_units(nuso) -> None:
    assert nuso("init").exit_code == 0
    laxa, vestvagoy = Unit.objects.get(code="1860"), Unit.objects.get(code="NO-1860")
    assert (laxa.name, laxa.country, laxa.county.code) == ("Laxå", "SE", "18")
    assert (vestvagoy.name, vestvagoy.country) == ("Vestvågøy", "NO")
    assert vestvagoy.national_code == "1860"
    assert (vestvagoy.county.code, vestvagoy.county.name) == ("NO-18", "Nordland")
    assert County.objects.filter(country="NO").count() == 15
    assert Unit.objects.filter(country="NO", county__country="SE").count() == 0
    assert find_unit("1860") == laxa
    assert find_unit("NO-1860") == vestvagoy
    assert find_unit("SE-1860") == laxa


def test_an_import_of_a_study_resolves_units_in_its_own_country_only(nuso) -> None:
    nuso("init")
    swedish, norwegian = unit_index("SE"), unit_index("NO")
    assert swedish.resolve("1860", "kolumnen Kommun").code == "1860"
    assert norwegian.resolve("1860", "kolumnen Kommune").code == "NO-1860"
    assert norwegian.resolve("Oslo 2024.xlsx", "filnamnet").code == "NO-0301"
    assert all(unit.code.startswith("NO-") for unit in norwegian.units)


def test_norways_units_ship_with_ssbs_population_and_so_have_size_bands(nuso) -> None:
    nuso("init")
    norway = Unit.objects.filter(country="NO", kind=Unit.Kind.MUNICIPALITY)
    assert norway.count() == 357
    assert all(unit.population_year == 2024 and unit.size_band for unit in norway)
    # SSB's published population of Norway on 1 January 2024
    assert sum(unit.population for unit in norway) == 5_550_203
    assert Unit.objects.get(code="NO-0301").size_band == "over_100k"


def test_a_newer_shipped_population_replaces_an_older_one_only(nuso) -> None:
    nuso("init")
    Unit.objects.filter(code="NO-1860").update(population=9_000, population_year=2020)
    Unit.objects.filter(code="NO-1804").update(population=60_000, population_year=2030)
    nuso("init")
    assert Unit.objects.get(code="NO-1860").population_year == 2024
    assert Unit.objects.get(code="NO-1804").population == 60_000  # loaded later: kept


def test_a_population_table_from_ssb_gives_norwegian_units_a_size_band(nuso, tmp_path) -> None:
    nuso("init")
    table = tmp_path / "folkemengde.csv"
    table.write_text("kommunenummer;kommune;folkemengde;år\n1860;Vestvågøy;11 520;2024\n", "utf-8")
    assert nuso("reference", "load", str(table), "--land", "NO").exit_code == 0
    vestvagoy, laxa = Unit.objects.get(code="NO-1860"), Unit.objects.get(code="1860")
    assert (vestvagoy.population, vestvagoy.size_band) == (11520, "upp_till_20k")
    assert laxa.population != 11520  # the Swedish 1860 is untouched
    groups = tmp_path / "grupper.csv"
    groups.write_text("kommunenummer,kommungrupp\n1860,C8\n", "utf-8")
    refused = nuso("reference", "load", str(groups), "--land", "NO")
    assert refused.exit_code != 0
    assert "bara för svenska kommuner" in refused.out + refused.err


def test_no_table_of_a_study_holds_a_unit_of_another_country(nuso, tmp_path) -> None:
    import_synthetic_referrals(nuso, tmp_path / "syntes", seed=4, units=2, rows=400)
    study = Study.objects.get(slug="aktualiseringar")
    assert set(study_input(study).frame["enhet"].unique()) <= set(
        Unit.objects.filter(country="SE").values_list("code", flat=True)
    )
    batch = ImportBatch.objects.filter(study=study).first()
    batch.unit = Unit.objects.get(code="NO-1860")  # a fault no import, form or API makes
    batch.save()
    with pytest.raises(MixedCountriesError, match="NO-1860"):
        study_input(study)


def test_a_norwegian_users_default_language_is_bokmal_and_a_swedes_swedish(nuso) -> None:
    nuso("init")
    norwegian = make_user("nordmann", User.Role.MUNICIPAL, [Unit.objects.get(code="NO-1860")])
    swede = make_user("svensk", User.Role.MUNICIPAL, [Unit.objects.get(code="1860")])
    request = RequestFactory().get("/")
    request.user = norwegian
    assert users_language(request) == "nb"
    request.user = swede
    assert users_language(request) == "sv"


def test_a_social_worker_cannot_register_a_norwegian_unit_in_a_swedish_study(nuso) -> None:
    from django.core.exceptions import PermissionDenied

    from nuso.collection import services

    nuso("init")
    worker = make_user("hand", User.Role.SOCIAL_WORKER, [Unit.objects.get(code="NO-1860")])
    study = services.form_studies().first()
    with pytest.raises(PermissionDenied, match="gäller inte enheter i Norge"):
        services.start(worker, study, "NO-1860", services.occasion_choices(study)[0][0])
