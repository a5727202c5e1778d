from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from rich.progress import Progress
from rich.table import Table

from nuso.cli.base import NusoCommand
from nuso.cli.status import number

MAX_UNITS = 290

PUBLISHED = {  # PM #4, for comparison in the summary
    "aktualiseringstyp": "76",
    "atgard": "197",
    "orsak_varden": "~1 300",
    "orsak_celler": "~2 500",
    "enheter_flera_orsaker": "13 av 97",
    "enheter_utan_orsak": "en femtedel",
}
LABELS = {
    "aktualiseringstyp": "Stavningar av aktualiseringstyp",
    "atgard": "Formuleringar av åtgärd",
    "orsak_varden": "Unika orsaksvärden",
    "orsak_celler": "Unika orsaksceller (kombinationer)",
    "enheter_flera_orsaker": "Enheter med flera orsaker",
    "enheter_utan_orsak": "Enheter utan orsakskolumn",
}


class Command(NusoCommand):
    help = (
        "Skapar syntetiska data som liknar de riktiga, med facit: kommunala exporter av "
        "aktualiseringar, enkäten om avslutade utredningar, eller norska kommuners exporter av "
        "meldinger till barnevernet."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        studies = parser.add_subparsers(dest="study", required=True, metavar="DELSTUDIE")
        referrals = studies.add_parser(
            "aktualiseringar",
            help="En exportfil per kommun/stadsdel i olika systems format, och facit.csv.",
        )
        referrals.add_argument("--out", type=Path, required=True, help="Katalog att skriva till.")
        size = referrals.add_mutually_exclusive_group()
        size.add_argument(
            "--national",
            action="store_true",
            help="Nationell mängd: 97 enheter, ~220 000 aktualiseringar 2023 (som PM #4).",
        )
        size.add_argument(
            "--municipalities", type=int, metavar="N", help="Antal enheter (standard 8)."
        )
        referrals.add_argument(
            "--rows",
            type=int,
            metavar="R",
            help="Totalt antal rader (standard 2000; ej med --national).",
        )
        referrals.add_argument("--seed", type=int, default=2023, help="Slumpfrö (standard 2023).")
        referrals.add_argument(
            "--year",
            type=int,
            default=2023,
            help="Året aktualiseringarna gäller (standard 2023); samma enheter varje år.",
        )
        survey = studies.add_parser(
            "avslutade_utredningar",
            help="Enkätexporten om avslutade utredningar (21 858 rader), facit och sann modell.",
        )
        survey.add_argument("--out", type=Path, required=True, help="Katalog att skriva till.")
        survey.add_argument(
            "--national",
            action="store_true",
            help="Nationell mängd (standard; finns för symmetri).",
        )
        survey.add_argument("--seed", type=int, default=2023, help="Slumpfrö (standard 2023).")
        reports = studies.add_parser(
            "meldinger",
            help="Norska meldinger 2024–2026: en exportfil per kommun och år (20 kommuner) i "
            "Familias och Visma Flyt Barneverns format, och facit.csv.",
        )
        reports.add_argument("--out", type=Path, required=True, help="Katalog att skriva till.")
        volume = reports.add_mutually_exclusive_group()
        volume.add_argument(
            "--rows", type=int, metavar="R", help="Antal meldinger totalt (standard 6000)."
        )
        volume.add_argument(
            "--full",
            action="store_true",
            help="Så många som kommunerna har på riktigt (ca 10 per 1 000 invånare och år).",
        )
        reports.add_argument("--seed", type=int, default=2024, help="Slumpfrö (standard 2024).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["study"] == "aktualiseringar":
            self.referrals(options)
        elif options["study"] == "meldinger":
            self.reports(options)
        else:
            self.survey(options)

    def referrals(self, options: dict[str, Any]) -> None:
        from nuso.core.synth.referral_exports import write_referral_exports

        if options["national"] and options["rows"]:
            raise CommandError("--rows kan inte kombineras med --national.")
        units = options["municipalities"]
        if units is not None and not 1 <= units <= MAX_UNITS:
            raise CommandError(f"--municipalities ska vara mellan 1 och {MAX_UNITS}.")
        console = self.console()
        expected = 97 if options["national"] else units or 8
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Skriver exportfiler", total=expected)
            try:
                result = write_referral_exports(
                    options["out"],
                    seed=options["seed"],
                    national=options["national"],
                    unit_count=units,
                    rows=options["rows"],
                    year=options["year"],
                    progress=lambda _name: progress.advance(task),
                )
            except ValueError as error:
                raise CommandError(str(error)) from error
        console.print(
            f"{len(result.files)} exportfiler i {result.files[0].parent} och facit i "
            f"{result.facit}: {number(result.rows)} aktualiseringar från {result.units} enheter. "
            f"Läs in med: nuso import {result.files[0].parent} --study aktualiseringar "
            f"--period {options['year']}"
        )
        table = Table("Mått", "Syntetiskt", "PM #4 (riket)", title="Hur rörigt det blev")
        for key, label in LABELS.items():
            table.add_row(label, str(result.unique_raw[key]), PUBLISHED[key])
        console.print(table)

    def survey(self, options: dict[str, Any]) -> None:
        from nuso.core.synth.investigations import write_investigation_survey

        result = write_investigation_survey(options["out"], seed=options["seed"])
        self.console().print(
            f"{result.survey}: {number(result.rows)} avslutade utredningar från "
            f"{result.units} kommuner; facit i {result.facit}, sann modell i "
            f"{result.model}. Läs in med: nuso import {result.survey} --study "
            "avslutade_utredningar --period 2023-10-01--2024-03-31"
        )

    def reports(self, options: dict[str, Any]) -> None:
        from nuso.core.synth.report_exports import DEFAULT_ROWS, write_report_exports
        from nuso.core.synth.reports import UNITS, YEARS, realistic_rows

        rows = realistic_rows() if options["full"] else options["rows"] or DEFAULT_ROWS
        if rows < 1:
            raise CommandError("--rows ska vara minst 1.")
        console = self.console()
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Skriver exportfiler", total=len(UNITS) * len(YEARS))
            result = write_report_exports(
                options["out"],
                seed=options["seed"],
                rows=rows,
                progress=lambda _name: progress.advance(task),
            )
        folder = result.files[0].parent.parent
        console.print(
            f"{len(result.files)} exportfiler i {folder}/<år> och facit i {result.facit}: "
            f"{number(result.rows)} meldinger från {result.units} norska kommuner "
            f"{YEARS[0]}–{YEARS[-1]}. Läs in ett år i taget med: nuso import {folder}/"
            f"{YEARS[0]} --study meldinger --period {YEARS[0]}"
        )
