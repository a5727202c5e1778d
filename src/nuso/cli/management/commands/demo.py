from __future__ import annotations

from typing import Any

from nuso.cli.base import NusoCommand


class Command(NusoCommand):
    help = "Visar NUSO på den inbyggda databasen: skapar den vid behov och visar läget."

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        from nuso.bootstrap import initialise, status
        from nuso.cli.status import render_status

        initialise()
        console = self.console()
        console.print("[bold]NUSO[/bold] – nationell uppföljning av socialtjänstens omställning")
        console.print(f"Datakatalog: {settings.NUSO_DATA_DIR}")
        render_status(console, status())
        console.print("Starta webbappen med: nuso serve")
