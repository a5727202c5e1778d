from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from rich.table import Table

from nuso.cli.base import NusoCommand
from nuso.cli.status import number

RESTORE = (
    "Tar en ersatt leverans i bruk igen för sin enhet, delstudie och period; leveransen som "
    "är i bruk blir ersatt av den (och går att återställa på samma sätt). Posterna avgörs "
    "med kodboken i bruk, så granskningsbeslut sedan dess gäller. Ändringen loggas."
)


class Command(NusoCommand):
    help = "Leveranser (inläsningar): lista dem, och återställ en ersatt leverans."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
        listed = actions.add_parser("list", help="Lista leveranser, nyaste först.")
        listed.add_argument("--study", metavar="DELSTUDIE", help="Bara denna delstudie.")
        listed.add_argument("--kommun", metavar="KOD", help="Bara denna enhet (kod).")
        listed.add_argument("--period", metavar="PERIOD", help="Bara denna period.")
        restore = actions.add_parser("restore", help="Återställ en ersatt leverans.",
                                     description=RESTORE)  # fmt: skip
        restore.add_argument("batch", type=int, metavar="NUMMER", help="Leveransens nummer.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self.list(options["study"], options["kommun"], options["period"])
        else:
            self.restore(options["batch"])

    def list(self, study: str | None, unit: str | None, period: str | None) -> None:
        from nuso.intake.models import ImportBatch

        found = ImportBatch.objects.select_related("study", "unit").order_by("-started_at", "-pk")
        if study:
            found = found.filter(study__slug=study)
        if unit:
            found = found.filter(unit__code=unit)
        if period:
            found = found.filter(period=period)
        table = Table("Nr", "Fil", "Delstudie", "Enhet", "Period", "Status", "Rader", "Inläst",
                      title="Leveranser")  # fmt: skip
        for batch in found[:200]:
            status = batch.get_status_display()
            if batch.replaced_by_id:
                status += f" (av {batch.replaced_by_id})"
            table.add_row(
                str(batch.pk), batch.file_name, batch.study.slug,
                batch.unit.code if batch.unit else "–", batch.period,
                status, number(batch.rows_imported), f"{batch.started_at:%Y-%m-%d}",
            )  # fmt: skip
        self.console().print(table)

    def restore(self, batch_id: int) -> None:
        from nuso.audit.services import Actor
        from nuso.intake.restore import RestoreError, restore_batch

        try:
            done = restore_batch(batch_id, Actor.command_line())
        except RestoreError as error:
            raise CommandError(str(error)) from error
        batch, replaced = done.batch, done.replaced
        instead = f"; leverans {replaced.pk} ({replaced.file_name}) är ersatt" if replaced else ""
        self.console().print(
            f"Leverans {batch.pk} ({batch.file_name}, {number(done.records)} poster) är i bruk "
            f"igen för {batch.unit.name if batch.unit else '–'} {batch.period}{instead}.",
            markup=False,
        )
