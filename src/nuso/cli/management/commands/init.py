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
            f"Referensdata: {summary.units.created} nya kommuner och stadsdelar i Sverige, "
            f"{summary.units.created_in_norway} kommuner i Norge, "
            f"{summary.units.updated} med nyare folkmängd."
        )
        self.report_changes(summary)
        if summary.models_trained:
            console.print(f"Förslagsmodeller tränade för kodboken: {summary.models_trained}.")
        render_status(console, status())

    def report_changes(self, summary: Any) -> None:
        """What the package changed in the codebook and the study dictionaries, applied."""
        console = self.console()
        if summary.codebook_applied is not None:
            change, applied = summary.codebook_change, summary.codebook_applied
            console.print(f"Ny kodbok från paketet som version {applied.version} "
                          f"({len(change.diff.lines())} ändringar, "
                          f"{applied.records.records} poster omharmoniserade):")  # fmt: skip
            for line in change.lines():
                console.print(f"  {line}", markup=False)
        for study_change in summary.study_changes:
            slug = study_change.dictionary.slug
            console.print(f"Ändrad datadefinition från paketet för {slug}:")
            for item in study_change.changes:
                console.print(f"  {item.describe()}", markup=False)
