"""PowerPoint registered as a format of the output registry, without importing the decks:
they bring the analysis engine (statsmodels, python-pptx), over a second at every start of a
`nuso` command or web worker that never writes one. The writer imports them when called."""

from __future__ import annotations

from pathlib import Path

from nuso.core.outputs.registry import Writer, register
from nuso.core.outputs.tables import TableSet

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def write_pptx(tables: TableSet, path: Path) -> None:
    from nuso.reports.tables_deck import write_pptx as write

    write(tables, path)


register(Writer("pptx", "pptx", PPTX, "PowerPoint", tables=write_pptx))
