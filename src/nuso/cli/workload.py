"""The analyst's workload as the command line shows it (nuso import, nuso review)."""

from __future__ import annotations

from rich.table import Table

from nuso.core.harmonise.workload import Workload


def workload_table(workloads: list[Workload], target: float) -> Table:
    """Per variable: the share of values decided, the distinct values waiting, and how many
    of them (most frequent first) an analyst must decide to reach the target."""
    goal = percent(target)
    table = Table(
        "Variabel", "Avgjorda", "Olika värden att granska", f"Beslut för {goal}",
        title=f"Kvar att granska: värden att besluta, vanligast först, för att nå {goal} avgjorda",
    )  # fmt: skip
    for item in workloads:
        if item.values:
            waiting, needed = str(len(item.waiting)), str(item.needed)
            table.add_row(item.variable, percent(item.share_decided), waiting, needed)
    return table


def percent(share: float) -> str:
    """Swedish style: 99,5 %."""
    return f"{100 * share:.1f}".replace(".", ",") + " %"
