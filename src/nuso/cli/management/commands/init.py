from __future__ import annotations

from typing import Any

from nuso.cli.base import NusoCommand


class Command(NusoCommand):
    help = (
        "Skapar eller uppdaterar databasen och läser in referensdata, delstudier och kodbok.\n"
        "Kan köras hur många gånger som helst: bara det som saknas läggs till."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from nuso.bootstrap import initialise, status
        from nuso.cli.status import render_status

        summary = initialise(verbosity=max(options["verbosity"] - 1, 0))
        console = self.console()
        if summary.migrations_applied:
            console.print(f"Databasen migrerad ({summary.migrations_applied} steg).")
        console.print(
            f"Referensdata: {summary.units.created} nya kommuner och stadsdelar, "
            f"{summary.units.updated} med nyare folkmängd."
        )
        if summary.models_trained:
            console.print(f"Förslagsmodeller tränade för kodboken: {summary.models_trained}.")
        render_status(console, status())
