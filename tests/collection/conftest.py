"""Registrations need the shipped studies, an open period of the follow-up study, a unit and
its social worker."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nuso.core.intake.personal_numbers import PersonalNumber
from tests.conftest import make_user


def identity_number(born: dt.date, serial: int) -> str:
    """A made-up, valid personnummer (the check digit computed): no real person's."""
    return PersonalNumber(born, serial).formatted("long")


@pytest.fixture
def follow_up(nuso: Any) -> dict[str, Any]:
    from nuso.audit.services import Actor
    from nuso.collection.services import open_period
    from nuso.studies.models import Study
    from nuso.units.models import Unit

    assert nuso("init").exit_code == 0
    study = Study.objects.get(slug="insatsuppfoljning")
    period = open_period(study, "2026", Actor.command_line())
    karlstad, lund = Unit.objects.get(code="1780"), Unit.objects.get(code="1281")
    worker = make_user("handlaggare_karlstad", "handlaggare", [karlstad])
    other = make_user("handlaggare_lund", "handlaggare", [lund])
    return {"study": study, "period": period, "unit": karlstad, "worker": worker,
            "other": other, "other_unit": lund}  # fmt: skip
