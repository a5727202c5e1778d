from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress

from nuso.cli.base import NusoCommand, shown


class Command(NusoCommand):
    help = (
        "Visar NUSO med data: skapar databasen vid behov, genererar och läser in de syntetiska "
        "nationella mängderna första gången, visar nationella nyckeltal, skapar ett "
        "demokonto per roll och startar portalen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--liten",
            action="store_true",
            help="En liten syntetisk mängd (10 enheter) i stället för den nationella: snabbt.",
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="Förbered allt men starta inte portalen."
        )
        parser.add_argument("--port", type=int, default=8000, help="Portalens port (8000).")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        from nuso.analysis.key_figures import key_figures
        from nuso.bootstrap import initialise, status
        from nuso.cli.status import render_status
        from nuso.core.countries import COUNTRIES
        from nuso.demo import (
            DEMO_STUDIES,
            demo_registrations,
            has_data,
            has_registrations,
            studies_with_data,
        )

        initialise()
        console = self.console()
        console.print("[bold]NUSO[/bold] – nationell uppföljning av socialtjänstens omställning")
        console.print(f"Datakatalog: {settings.NUSO_DATA_DIR}")
        for demo_study in DEMO_STUDIES:
            if not has_data(demo_study):
                self._load(demo_study, settings.NUSO_DATA_DIR, small=options["liten"])
        if not has_registrations():
            with console.status("Levererar syntetiska uppföljningar av insatser via API:t …"):
                count = demo_registrations(small=options["liten"])
            console.print(f"Registrerade {count} uppföljningar av insatser via API:t.")
        render_status(console, status())
        for study in studies_with_data():
            figures = key_figures(study)
            if figures:
                nation = "riket" if study.country == "SE" else COUNTRIES[study.country].name
                console.print(f"\n[bold]{study.name}[/bold] – nyckeltal för {nation}")
            for figure in figures:
                console.print(f"  {figure.describe()}")
        console.print("\nTabeller: nuso tables --study aktualiseringar --output tabeller.xlsx")
        self._accounts(settings.NUSO_DATA_DIR, options["port"])
        if options["no_serve"]:
            console.print(f"Starta portalen med: nuso serve --port {options['port']}")
            return
        from django.core.management import call_command

        call_command("serve", port=options["port"])

    def _accounts(self, data_dir: Any, port: int) -> None:
        from nuso.demo import DEMO_USERS_FILE, demo_users

        console = self.console()
        console.print("\n[bold]Demokonton[/bold] (engångskoden: lägg in TOTP-hemligheten i en "
                      "autentiseringsapp)")  # fmt: skip
        print_accounts(console, demo_users(data_dir))
        console.print(f"Sparade i {data_dir / DEMO_USERS_FILE}. Logga in på "
                      f"http://127.0.0.1:{port}/account/login/")  # fmt: skip

    def _load(self, study: Any, data_dir: Any, small: bool) -> None:
        from nuso.demo import demo_folder, generate, import_demo_files

        console = self.console()
        with console.status(f"Skapar {study.description} …"):
            files = generate(study, demo_folder(data_dir, study), small)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task(f"Läser in {study.description}", total=len(files))
            outcomes = import_demo_files(study, files, lambda _: progress.advance(task))
        failed = [outcome for outcome in outcomes if outcome.failed]
        for outcome in failed:
            console.print(f"[red]{shown(outcome.file)}: {escape(outcome.message)}[/red]")
        console.print(
            f"Läste in {len(outcomes) - len(failed)} av {len(outcomes)} filer: {study.description}."
        )


def print_accounts(console: Console, accounts: list[dict[str, Any]]) -> None:
    """Each account with its password and TOTP secret on lines of their own, never wrapped,
    folded or cut at the console's width: when the output is no terminal Rich assumes 80
    columns, and a secret cut short cannot be typed into an authenticator."""
    for account in accounts:
        units = ", ".join(account["units"]) or "alla enheter"
        console.print(f"  {account['username']} ({account['role']}; {units})")
        for label, secret in (("lösenord", account["password"]),
                              ("TOTP-hemlighet", account["totp_secret"])):  # fmt: skip
            console.print(f"    {label}: {secret}", soft_wrap=True, markup=False, highlight=False)
