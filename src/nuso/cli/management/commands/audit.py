from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from nuso.cli.base import NusoCommand
from nuso.cli.status import number

VERIFY = (
    "Går igenom händelseloggen i den ordning den skrevs och kontrollerar hashkedjan: en post "
    "som ändrats, tagits bort eller lagts in i efterhand, eller poster som saknas i slutet, "
    "anges med var kedjan bryts. Slutkoden är 1 när kedjan inte håller."
)


class Command(NusoCommand):
    help = "Händelseloggen: kontrollera att ingen post har ändrats eller tagits bort."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
        actions.add_parser("verify", help="Kontrollera loggens hashkedja.", description=VERIFY)

    def handle(self, *args: Any, **options: Any) -> None:
        from nuso.audit.chain import breaks
        from nuso.audit.models import AuditEntry, ChainHead

        head = ChainHead.objects.filter(pk=1).first() or ChainHead()
        entries = AuditEntry.objects.order_by("pk").iterator(chunk_size=2000)
        found = list(breaks(entries, head.entries, head.last))
        console = self.console()
        for problem in found[:50]:
            console.print(problem.message, markup=False)
        if found:
            raise CommandError(f"Händelseloggens kedja bryts på {len(found)} ställen.")
        console.print(f"Händelseloggen är hel: {number(head.entries)} poster i obruten kedja.")
