"""Data model rules that the database itself enforces."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from nuso.audit.models import AuditEntry
from nuso.audit.services import Actor, log
from nuso.units.models import County, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def stockholm() -> Unit:
    county = County.objects.create(code="01", name="Stockholms län")
    return Unit.objects.create(code="0180", name="Stockholm", county=county, population=988_943)


def test_a_district_needs_its_municipality(stockholm: Unit) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(
            code="0180-01", name="Spånga-Tensta", kind=Unit.Kind.DISTRICT, county=stockholm.county
        )


def test_a_district_without_population_takes_its_municipality_size_band(stockholm: Unit) -> None:
    district = Unit.objects.create(
        code="0180-02", name="Rinkeby-Kista", kind=Unit.Kind.DISTRICT, parent=stockholm,
        county=stockholm.county,
    )  # fmt: skip
    assert district.size_band == "over_100k"
    district.population = 48_000
    assert district.size_band == "40k_100k"


def test_audit_entries_cannot_be_changed(stockholm: Unit) -> None:
    entry = log(Actor(label="cli:test"), "test.action", target=stockholm, unit=stockholm, n=1)
    assert entry.target_type == "units.Unit"
    assert entry.target_id == str(stockholm.pk)
    entry.action = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    assert AuditEntry.objects.get().action == "test.action"
