"""Small helpers for 'within sampling error' checks."""

from __future__ import annotations

import math


def within(successes: int, total: int, target: float, z: float = 3.0) -> bool:
    """True when the observed share is within z binomial standard errors of the target."""
    share = successes / total
    return abs(share - target) <= z * math.sqrt(target * (1 - target) / total)


def two_proportion_z(a: int, n: int, b: int, m: int) -> float:
    pooled = (a + b) / (n + m)
    return (a / n - b / m) / math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / m))
