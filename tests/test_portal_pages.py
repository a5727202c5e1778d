"""Every portal address, for every study and every role, answers without a server error.

The addresses come from the portal's URL patterns, so a page added later is opened too: each
parameter is filled with every value it can take here (each study, each of its tables, each
download format, a unit with data and one without, an import)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from nuso.accounts.models import User
from nuso.collection import urls as collection_urls
from nuso.core.harmonise.dictionary import dictionary_from_stored
from nuso.core.outputs.registry import formats
from nuso.core.synth.investigations import write_investigation_survey
from nuso.intake.models import ImportBatch
from nuso.portal.converters import FormatConverter
from nuso.portal.urls import app_name, urlpatterns
from nuso.studies.models import Study
from nuso.units.models import Unit

from .conftest import import_synthetic_referrals, log_in_with_code
from .test_portal import make_user

PASSWORD = "ett långt lösenord 42"
SURVEY_PERIOD = "2023-10-01--2024-03-31"


@pytest.fixture
def both_studies(nuso, tmp_path):
    """Referrals of a few units and a small closed-investigation survey; a municipal user of
    a unit with data in both, an analyst."""
    import_synthetic_referrals(nuso, tmp_path / "syntes", seed=5, units=4, rows=1200)
    survey = write_investigation_survey(tmp_path / "enkat", rows_wanted=1500)
    outcome = nuso("import", str(survey.survey), "--study", "avslutade_utredningar",
                   "--period", SURVEY_PERIOD)  # fmt: skip
    assert outcome.exit_code == 0, outcome.out
    with_data = Unit.objects.filter(batches__status=ImportBatch.Status.IMPORTED).distinct()
    unit = with_data.order_by("code").first()
    municipal = make_user("kommunen", User.Role.MUNICIPAL, [unit])
    analyst = make_user("analytikern", User.Role.ANALYST, [])
    worker = make_user("handlaggaren", User.Role.SOCIAL_WORKER, [unit])
    return unit, municipal, analyst, worker


def parameter_values(study: Study, unit: Unit) -> dict[str, list[str]]:
    without_data = Unit.objects.filter(active=True).exclude(batches__study=study).first()
    tables = [t.name for t in dictionary_from_stored(study.dictionary).tables]
    # a study without deliveries (the follow-up, collected by forms) has no import of its own
    ours = ImportBatch.objects.filter(study=study).order_by("pk").first()
    batch = ours or ImportBatch.objects.order_by("pk").first()
    return {
        "study": [study.slug],
        "code": [unit.code, without_data.code],
        "table": tables,
        "pk": [str(batch.pk)],
        "key": ["0123456789abcdef"],  # a prepared download that is not there
    }


def choices(pattern: URLPattern, name: str, values: dict[str, list[str]]) -> list[str]:
    """Every format of a download's kind (from the output registry), else the values given."""
    converter = pattern.pattern.converters.get(name)
    if isinstance(converter, FormatConverter):
        return list(formats(converter.kind))
    return values[name]


def addresses(study: Study, unit: Unit) -> Iterator[str]:
    values = parameter_values(study, unit)
    for pattern in urlpatterns:
        yield from filled(app_name, pattern, values)


def collection_addresses(registrations: list[int]) -> Iterator[str]:
    """The registration pages, for each registration given and one that is not there."""
    values = {"pk": [*map(str, registrations), "999999"]}
    for pattern in collection_urls.urlpatterns:
        yield from filled(collection_urls.app_name, pattern, values)


def filled(app: str, pattern: URLPattern, values: dict[str, list[str]]) -> Iterator[str]:
    names = sorted(pattern.pattern.regex.groupindex)
    options = [choices(pattern, name, values) for name in names]
    for combination in itertools.product(*options):
        kwargs = dict(zip(names, combination, strict=True))
        yield reverse(f"{app}:{pattern.name}", kwargs=kwargs)


def server_errors(client: Client, paths: list[str]) -> list[str]:
    client.raise_request_exception = False
    return [f"{path}: {status}" for path in paths
            if (status := client.get(path).status_code) >= 500]  # fmt: skip


def test_no_portal_address_fails_for_any_role_or_study(both_studies) -> None:
    from nuso.audit.services import Actor
    from nuso.collection import services

    unit, municipal, analyst, worker = both_studies
    studies = list(Study.objects.order_by("number"))
    assert len(studies) >= 3
    registrations = []
    for study in services.form_studies():  # a draft of each form, and of each occasion
        services.open_period(study, "2026", Actor.command_line())
        for code, _ in services.occasion_choices(study):
            registrations.append(services.start(worker, study, unit.code, code).pk)
    paths = sorted({path for study in studies for path in addresses(study, unit)})
    paths += sorted(set(collection_addresses(registrations)))
    assert any("/riket/avslutade_utredningar/" in path for path in paths)
    assert any("/registrera/" in path and "kasta" in path for path in paths)
    failures = []
    for user in (None, municipal, analyst, worker):
        client = Client()
        if user is not None:
            log_in_with_code(client, user, PASSWORD)
        role = user.role if user else "anonym"
        failures += [f"{role} {failure}" for failure in server_errors(client, paths)]
    assert failures == [], "\n".join(failures)


def test_the_national_view_ranks_by_funnel_steps_and_copes_without_any_share() -> None:
    """The survey has no plain share, only its funnel: each step is a measure. A study with
    neither has no measure, and its national view says so instead of failing."""
    from nuso.core.analysis.indicators.engine import Results
    from nuso.core.harmonise.table_definitions import Outcome, TableDefinition
    from nuso.portal.national import chosen_measure, measures, ranking

    steps = tuple(Outcome(n, f"steg {n}", n, ("ja",)) for n in ("behov", "insats"))
    funnel = TableDefinition("tratt", "Tratt", "funnel", outcomes=steps)
    spread = TableDefinition("utsatthet", "Utsatthet", "distribution", ("utsatthet",))
    survey = Results({}, {"utsatthet": spread, "tratt": funnel}, None, None)  # type: ignore[arg-type]
    assert [m.key for m in measures(survey)] == ["tratt:behov", "tratt:insats"]
    assert chosen_measure(survey, "tratt:insats").title == "Tratt: steg insats"
    assert chosen_measure(survey, "okänd").key == "tratt:behov"
    only_spread = Results({}, {"utsatthet": spread}, None, None)  # type: ignore[arg-type]
    assert chosen_measure(only_spread, "") is None
    assert ranking(only_spread, None, "2023").units == []


def test_the_other_studies_are_links_apart(nuso) -> None:
    """'Andra delstudier:' ran its links together ("Avslutade barnavårdsutredningarUppföljning
    av insatser", issue 20 walk), and left out the only other study where there was one."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    assert nuso("init").exit_code == 0
    unit = Unit.objects.get(code="1780")
    studies = [s for s in Study.objects.order_by("number") if s.country == "SE"]
    request = RequestFactory().get("/")
    page = render_to_string("portal/dashboard.html", {
        "unit": unit, "study": studies[0], "other_studies": studies[1:3], "periods": [],
    }, request=request)  # fmt: skip
    names = [study.name for study in studies[1:3]]
    assert f"{names[0]}</a> · <a" in page
    assert names[1] in page
