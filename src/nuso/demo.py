"""`nuso demo`: the platform with data in it. On first run it generates the synthetic sets
(the referral exports of 97 units and the closed-investigation survey), imports them exactly
as a municipality's files are imported, and reports national key figures."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import Permission
from django_otp.plugins.otp_totp.models import TOTPDevice

from nuso.accounts.models import User
from nuso.audit.services import Actor
from nuso.core.countries import NORWAY, SWEDEN
from nuso.core.synth.investigations import write_investigation_survey
from nuso.core.synth.referral_exports import EXPORT_FOLDER, write_referral_exports
from nuso.core.synth.report_exports import write_report_exports
from nuso.core.synth.reports import realistic_rows
from nuso.intake.models import ImportBatch, RecordBlock
from nuso.intake.services import FileOutcome, import_paths
from nuso.studies.models import Study
from nuso.units.models import Unit

SMALL_REFERRALS = {"unit_count": 10, "rows": 6_000}
SMALL_SURVEY_ROWS = 3_000


@dataclass(frozen=True)
class DemoStudy:
    slug: str
    period: str
    description: str


# Two years of referrals from the same units, so that every trend has more than one point.
DEMO_STUDIES = (
    DemoStudy("aktualiseringar", "2023", "syntetiska exporter av aktualiseringar 2023"),
    DemoStudy("aktualiseringar", "2024", "syntetiska exporter av aktualiseringar 2024"),
    DemoStudy(
        "avslutade_utredningar",
        "2023-10-01--2024-03-31",
        "syntetisk enkät om avslutade utredningar",
    ),
    # Norway's 20 municipalities: three years of reports, written once, imported per year
    *(
        DemoStudy("meldinger", str(year), f"syntetiska norska meldinger {year}")
        for year in (2024, 2025, 2026)
    ),
)
SMALL_REPORTS = 3_000


def has_data(study: DemoStudy) -> bool:
    return RecordBlock.objects.filter(
        batch__study__slug=study.slug,
        batch__period=study.period,
        batch__status=ImportBatch.Status.IMPORTED,
    ).exists()


def generate(study: DemoStudy, folder: Path, small: bool) -> list[Path]:
    """Writes the study's synthetic files (facit beside them); returns the files to import."""
    if study.slug == "meldinger":
        return norwegian_reports(folder.parent, study.period, small)
    if study.slug == "aktualiseringar":
        options = SMALL_REFERRALS if small else {"national": True}
        result = write_referral_exports(folder, year=int(study.period), **options)  # type: ignore[arg-type]
        return list(result.files)
    survey = write_investigation_survey(folder, rows_wanted=SMALL_SURVEY_ROWS if small else None)
    return [survey.survey]


def norwegian_reports(folder: Path, year: str, small: bool) -> list[Path]:
    """The year's files of the Norwegian set, written with every year's on the first call."""
    exports = folder / EXPORT_FOLDER
    if not exports.is_dir():
        write_report_exports(folder, rows=SMALL_REPORTS if small else realistic_rows())
    return sorted(path for path in (exports / year).iterdir() if path.is_file())


def import_demo_files(
    study: DemoStudy, files: list[Path], progress: Callable[[FileOutcome], None] | None = None
) -> list[FileOutcome]:
    return import_paths(
        files, study_slug=study.slug, period=study.period, actor=Actor.command_line(),
        progress=progress,
    )  # fmt: skip


def demo_folder(data_dir: Path, study: DemoStudy) -> Path:
    return data_dir / "demo" / study.slug / study.period


def studies_with_data() -> list[Study]:
    imported = RecordBlock.objects.filter(batch__status=ImportBatch.Status.IMPORTED)
    return [s for s in Study.objects.order_by("number") if imported.filter(batch__study=s).exists()]


# --- follow-up registrations, delivered as a case system would ---------------------------

FOLLOW_UP = "insatsuppfoljning"
FOLLOW_UP_PERIOD = "2026"
FOLLOW_UP_UNITS = 30  # the demo unit and the first others with referral data
DEMO_INTEGRATION = "Demo: kommunernas verksamhetssystem"


def has_registrations() -> bool:
    from nuso.collection.models import Registration

    return Registration.objects.filter(study__slug=FOLLOW_UP, status="submitted").exists()


def demo_registrations(small: bool) -> int:
    """Synthetic follow-up registrations of some units over the three occasions, delivered
    through the API's own path with a key of their own (revoked afterwards: it was shown to
    no one), in the study's open collection period (opened when none is). Returns how many."""
    from nuso.collection.ingest import NEW, deliver
    from nuso.collection.services import current_period, open_period
    from nuso.collection.tokens import create_token, revoke_token
    from nuso.core.synth.follow_ups import follow_up_records

    actor = Actor.command_line()
    study = Study.objects.get(slug=FOLLOW_UP)
    if current_period(study) is None:
        open_period(study, FOLLOW_UP_PERIOD, actor)
    units = _follow_up_units(5 if small else FOLLOW_UP_UNITS)
    made = create_token(DEMO_INTEGRATION, units, [study], actor)
    delivered = 0
    records = follow_up_records([unit.code for unit in units])
    for unit in units:
        raws = records[unit.code]
        outcome = deliver(made.token, study, unit, raws, [f"/poster/{n}" for n in range(len(raws))],
                          Actor(f"api:{made.token.prefix} {made.token.name}"))  # fmt: skip
        delivered += outcome.count(NEW)
    revoke_token(made.token, actor)
    return delivered


def _follow_up_units(count: int) -> list[Unit]:
    first = _demo_unit()
    with_data = Unit.objects.filter(
        batches__status=ImportBatch.Status.IMPORTED, batches__study__slug="aktualiseringar"
    ).distinct().order_by("code")  # fmt: skip
    units = [first] if first else []
    units += [unit for unit in with_data[: count + 1] if unit != first]
    return units[:count]


# --- demo accounts ---------------------------------------------------------------------------

DEMO_USERS_FILE = "demo-users.json"
# Karlstad, Örebro, Uppsala; Vestvågøy (Norway's 1860, Sweden's Laxå): whichever has data
DEMO_UNIT_PREFERENCE = ("1780", "1880", "0380", "NO-1860")


DEMO_ROLES = ("kommun", "handlaggare", "analytiker", "administrator")


def demo_users(data_dir: Path) -> list[dict[str, object]]:
    """One account per role, each with a confirmed TOTP device; written (owner-only) to
    `demo-users.json` as a list of {username, password, totp_secret, role, units}. The same
    accounts are reused on later runs."""
    path = data_dir / DEMO_USERS_FILE
    if path.exists():
        saved = json.loads(path.read_text(encoding="utf-8"))
        roles = {item["role"] for item in saved}
        names = {item["username"] for item in saved}
        if all(_still_valid(item) for item in saved) and roles >= set(DEMO_ROLES) \
                and "demo-kommune-norge" in names:  # fmt: skip
            return list(saved)
    unit, norwegian = _demo_unit(), _demo_unit(NORWAY)
    accounts = [
        _account("kommun", User.Role.MUNICIPAL, [unit] if unit else []),
        _account("kommune-norge", User.Role.MUNICIPAL, [norwegian] if norwegian else []),
        _account("handlaggare", User.Role.SOCIAL_WORKER, [unit] if unit else []),
        _account("analytiker", User.Role.ANALYST, []),
        _account("admin", User.Role.ADMINISTRATOR, []),
    ]
    path.write_text(json.dumps(accounts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return accounts


def _still_valid(saved: dict[str, str]) -> bool:
    """The saved account still exists with the saved authenticator as its default device."""
    device = TOTPDevice.objects.filter(user__username=saved["username"], name="default").first()
    return (
        device is not None
        and base64.b32encode(bytes.fromhex(device.key)).decode() == saved["totp_secret"]
    )


def _demo_unit(country: str = SWEDEN) -> Unit | None:
    """A unit of `country` with data, the preferred ones first."""
    with_data = Unit.objects.filter(
        batches__status=ImportBatch.Status.IMPORTED, batches__blocks__isnull=False,
        country=country,
    ).distinct()  # fmt: skip
    for code in DEMO_UNIT_PREFERENCE:
        if with_data.filter(code=code).exists():
            return with_data.get(code=code)
    return with_data.order_by("code").first()


def _account(name: str, role: str, units: list[Unit]) -> dict[str, object]:
    password = secrets.token_urlsafe(12)
    user, _ = User.objects.get_or_create(username=f"demo-{name}")
    user.role = role
    user.is_staff = role in (User.Role.ANALYST, User.Role.ADMINISTRATOR)  # the admin workspace
    user.is_superuser = role == User.Role.ADMINISTRATOR
    user.set_password(password)
    user.save()
    user.units.set(units)
    if role == User.Role.ANALYST:
        user.user_permissions.set(analyst_permissions())
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    secret = base64.b32encode(bytes.fromhex(device.key)).decode()
    return {"username": user.username, "password": password, "totp_secret": secret,
            "role": role, "units": [u.code for u in units]}  # fmt: skip


def analyst_permissions() -> list[Permission]:
    """Analysts see and work imports, records and the review queue, and see units and studies."""
    return list(
        Permission.objects.filter(
            content_type__app_label__in=("intake", "studies", "units", "audit"),
            codename__regex=r"^(view|change)_",
        )
    )
