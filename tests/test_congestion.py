"""The congestion lower bound (topologies.congestion): never above the least term over every endpoint
count across the cut, at most one cable below it (the concave relaxation beyond the searched window),
and equal to it when the window covers every count."""

from __future__ import annotations

import math
import random

import pytest

from topoctl.topologies.congestion import SEARCH_WINDOW, congestion_lower_bound


def _terms(n: int, congestion: float, rho: float, fewest: int) -> list[float]:
    half, odd = n // 2, n % 2
    units = half * (n - half)
    return [max(0, math.ceil((units - y * (y + odd)) / congestion - 1e-9)) + rho * y for y in range(min(fewest, half), half + 1)]


def test_within_one_cable_below_the_least_term():
    rng = random.Random(5)
    for _ in range(3000):
        n = rng.randint(1, 400)
        congestion = rng.choice([rng.uniform(0.5, 5.0), rng.uniform(5.0, 5000.0), float(rng.randint(1, 200))])
        rho = rng.choice([1.0, 0.5, 0.25, 0.1, 0.01])
        fewest = rng.choice([0, 0, rng.randint(0, 6)])
        terms = _terms(n, congestion, rho, fewest) if n >= 2 else [0.0]
        bound = congestion_lower_bound(n, congestion, rho, fewest)
        assert min(terms) - 1 - 1e-9 <= bound <= min(terms) + 1e-9
        if len(terms) <= SEARCH_WINDOW + 1:
            assert bound == pytest.approx(min(terms))


def test_no_cable_carrying_anything_leaves_the_endpoint_links():
    assert congestion_lower_bound(9, math.inf, 0.5, 4) == 2.0
    assert congestion_lower_bound(1, 3.0, 1.0, 0) == 0.0
