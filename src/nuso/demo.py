"""`nuso demo`: the platform with data in it. On first run it generates the synthetic sets
(the referral exports of 97 units and the closed-investigation survey), imports them exactly
as a municipality's files are imported, and reports national key figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nuso.audit.services import Actor
from nuso.core.synth.investigations import write_investigation_survey
from nuso.core.synth.referral_exports import write_referral_exports
from nuso.intake.models import ImportBatch, Record
from nuso.intake.services import FileOutcome, files_in, import_paths
from nuso.studies.models import Study

SMALL_REFERRALS = {"unit_count": 10, "rows": 6_000}
SMALL_SURVEY_ROWS = 3_000


@dataclass(frozen=True)
class DemoStudy:
    slug: str
    period: str
    description: str


DEMO_STUDIES = (
    DemoStudy("aktualiseringar", "2023", "syntetiska exporter av aktualiseringar"),
    DemoStudy(
        "avslutade_utredningar",
        "2023-10-01--2024-03-31",
        "syntetisk enkät om avslutade utredningar",
    ),
)


def has_data(slug: str) -> bool:
    return Record.objects.filter(
        study__slug=slug, batch__status=ImportBatch.Status.IMPORTED
    ).exists()


def generate(study: DemoStudy, folder: Path, small: bool) -> list[Path]:
    """Writes the study's synthetic files (facit beside them); returns the files to import."""
    if study.slug == "aktualiseringar":
        options = SMALL_REFERRALS if small else {"national": True}
        result = write_referral_exports(folder, **options)  # type: ignore[arg-type]
        return list(result.files)
    survey = write_investigation_survey(folder, rows_wanted=SMALL_SURVEY_ROWS if small else None)
    return [survey.survey]


def import_demo_files(
    study: DemoStudy, files: list[Path], progress: Callable[[FileOutcome], None] | None = None
) -> list[FileOutcome]:
    return import_paths(
        files, study_slug=study.slug, period=study.period, actor=Actor.command_line(),
        progress=progress,
    )  # fmt: skip


def demo_folder(data_dir: Path, study: DemoStudy) -> Path:
    return data_dir / "demo" / study.slug


def count_files(files: list[Path]) -> int:
    return len(files_in(files))


def studies_with_data() -> list[Study]:
    return [study for study in Study.objects.order_by("number") if has_data(study.slug)]
