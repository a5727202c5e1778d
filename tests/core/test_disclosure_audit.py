"""Secondary suppression and its audits on small hand-made systems of counts and sums, where
the right answer can be worked out on paper."""

from __future__ import annotations

from nuso.core.analysis.indicators.bounds import attacker_bounds
from nuso.core.analysis.indicators.determined import ExactAudit
from nuso.core.analysis.indicators.disclosure import AtomSystem, suppress


def triangle() -> tuple[AtomSystem, list[int]]:
    """Three hidden counts x=4, y=6, z=3 in three published sums: x+y=10, x+z=7, y+z=9.
    Together the sums fix each (x = (10 + 7 − 9) / 2); one at a time, none."""
    system = AtomSystem()
    x, y, z = (system.atom((name,), value) for name, value in (("x", 4), ("y", 6), ("z", 3)))
    for name, value, parts in (("x+y", 10, ("x", "y")), ("x+z", 7, ("x", "z")),
                               ("y+z", 9, ("y", "z"))):  # fmt: skip
        system.atom((name,), value)
        system.equation((name,), [(part,) for part in parts])
    return system, [x, y, z]


def test_the_exact_audit_finds_what_only_all_the_sums_together_give_away() -> None:
    system, hidden_atoms = triangle()
    hidden = [atom in hidden_atoms for atom in range(len(system.values))]
    low, high = attacker_bounds(system.values, hidden, system.equations)
    assert all(high[a] - low[a] >= 4 for a in hidden_atoms)  # propagation sees no danger
    assert ExactAudit(system.equations).fixed(hidden) == hidden_atoms


def test_suppression_hides_more_until_no_hidden_count_is_fixed_by_the_sums() -> None:
    system, hidden_atoms = triangle()
    result = suppress(system, threshold=5, forced=hidden_atoms)
    fixed = ExactAudit(system.equations).fixed(result.hidden)
    assert [atom for atom in fixed if system.values[atom] > 0] == []
    assert result.secondary > 0


def test_a_hidden_nought_hides_nothing_else() -> None:
    """Noughts are not protected (docs/statistics.md): a nought hidden in another table
    must not take the published total and the other category with it."""
    system = AtomSystem()
    total = system.atom(("alla",), 20)
    girls = system.atom(("flickor",), 20)
    unknown = system.atom(("uppgift saknas",), 0)
    system.equation(("alla",), [("flickor",), ("uppgift saknas",)])
    result = suppress(system, threshold=5, forced=[unknown])
    assert [result.hidden[a] for a in (total, girls, unknown)] == [False, False, True]


def test_the_nought_of_a_whole_share_stays_protected() -> None:
    """'8 av 8': the share's records without the outcome (0) are hidden for what they are,
    and they are the distribution's other cells, published noughts. A nought hidden as a
    partner may be given away; this one may not (review of the thirteenth session)."""
    system = AtomSystem()
    values = {"kand": 8, "ja": 8, "nej": 0, "alla": 10, "v": 8, "o1": 0, "o2": 0, "saknas": 2}
    atoms = {name: system.atom((name,), value) for name, value in values.items()}
    sums = [("kand", ["ja", "nej"]), ("ja", ["v"]), ("nej", ["o1", "o2"]),
            ("alla", ["kand", "saknas"]), ("alla", ["v", "o1", "o2", "saknas"])]  # fmt: skip
    for margin, parts in sums:
        system.equation((margin,), [(part,) for part in parts])
    system.whole.update((atoms["ja"], atoms["nej"]))
    result = suppress(system, threshold=5)
    assert result.hidden[atoms["nej"]]
    assert atoms["nej"] not in ExactAudit(system.equations).fixed(result.hidden)
