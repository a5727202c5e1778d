"""The analyst's workload: distinct values to decide, most frequent first, to reach 99.5 %."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nuso.core.harmonise.workload import TARGET, decisions_to_reach, workload, workloads_of
from nuso.core.intake.report import ImportReport, ValueRead


def test_the_most_frequent_values_are_decided_first() -> None:
    # 990 decided of 1 000: the value seen 6 times brings 99.6 %, one decision
    assert decisions_to_reach([1, 6, 1, 1, 1], decided=990, values=1000) == 1


def test_nothing_to_do_when_the_target_is_reached() -> None:
    assert decisions_to_reach([1, 1], decided=998, values=1000) == 0
    assert decisions_to_reach([], decided=0, values=0) == 0


def test_spellings_that_normalise_alike_are_one_decision() -> None:
    load = workload(
        "orsaker", decided=0, pending={"Nätkontakt": 3, "NÄTKONTAKT ": 2, "B/U nätkontakt": 1}
    )
    assert load.waiting == (6,)
    assert load.needed == 1


@given(st.lists(st.integers(1, 50), max_size=40), st.integers(0, 2_000))
def test_deciding_the_needed_values_reaches_the_target(waiting: list[int], decided: int) -> None:
    values = decided + sum(waiting)
    needed = decisions_to_reach(waiting, decided, values)
    reached = decided + sum(sorted(waiting, reverse=True)[:needed])
    assert values == 0 or reached >= TARGET * values or needed == len(waiting)
    fewer = decided + sum(sorted(waiting, reverse=True)[: max(needed - 1, 0)])
    assert needed == 0 or fewer < TARGET * values  # and not one fewer


def test_a_deliverys_workload_comes_from_its_reports() -> None:
    report = ImportReport(
        values={
            "orsaker": (ValueRead("a; b", "x|y", "rule", 10), ValueRead("c", "", "pending", 2)),
            "kon": (ValueRead("F", "flicka", "exact", 12),),
        },
        pending={"orsaker": {"c": 2}},
    )
    decided = {"orsaker": report.decided_values("orsaker")}
    (reasons,) = workloads_of(["orsaker"], decided, report.pending)
    assert (reasons.values, reasons.decided, reasons.waiting, reasons.needed) == (22, 20, (2,), 1)
