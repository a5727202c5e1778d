"""Rendering of the database status for `nuso init` and `nuso demo`."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from nuso.bootstrap import Status


def number(value: int) -> str:
    """Swedish digit grouping: 21 858."""
    return f"{value:,}".replace(",", "\u00a0")


def render_status(console: Console, status: Status) -> None:
    table = Table(show_header=False, box=None, padding=(0, 2))
    table.add_row("Databas", status.database)
    table.add_row("Kommuner", str(status.municipalities))
    if status.districts:
        table.add_row("Stadsdelar", str(status.districts))
    table.add_row("Län", str(status.counties))
    if status.norwegian_municipalities:
        table.add_row("Kommuner i Norge", str(status.norwegian_municipalities))
        table.add_row("Fylken i Norge", str(status.norwegian_counties))
    table.add_row("Delstudier", ", ".join(status.studies) or "inga")
    version = f"version {status.codebook_version}" if status.codebook_version else "saknas"
    table.add_row("Kodbok", version)
    table.add_row("Inlästa filer", number(status.batches))
    table.add_row("Poster", number(status.records))
    console.print(table)
