"""The congestion lower bound on a balanced bisection, for any family with a routing of all-to-all whose
busiest cable load it knows in closed form.

Reference: F. T. Leighton, "Introduction to Parallel Algorithms and Architectures", 1992, Section 1.9
(the argument ``Dragonfly.bisection_lower_bound`` makes, with its own wider search). Every ordered pair of
the N endpoints sends one unit, and no switch cable carries more than C units in one direction. A
balanced cut, floor(N/2) endpoints on one side, through x cables and the links of y endpoints placed
across from their switch: the 2T ordered pairs on opposite sides, T = floor(N/2)*ceil(N/2), cross it at
least once, and a pair on one side crosses twice when one of its endpoints is across, so
C*x >= T - y(y + N mod 2). The cut costs x + rho*y, an endpoint link counting rho = r/c of a cable.

Example: one complete graph K_4 with two endpoints per switch: T = 16, C = 4, so at least 4 cables:
    >>> congestion_lower_bound(8, 4.0, 1.0, 0)
    4.0
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["congestion_lower_bound", "congestion_lower_bounds", "SEARCH_WINDOW"]

SEARCH_WINDOW = 8  # endpoint counts across the cut tried one by one; the rest by concavity


def congestion_lower_bound(num_endpoints: int, congestion: float, endpoint_link_cables: float,
                           fewest_across: int) -> float:
    """A proven lower bound on a balanced bisection, in cables (see the module docstring): the least over
    fewest_across <= y <= floor(N/2) of term(y) = max(0, ceil((T - y(y + N mod 2))/C)) + rho*y. Each term
    is at least the concave phi(y) = (T - y(y + N mod 2))/C + rho*y, which equals it at y = floor(N/2):
    the first SEARCH_WINDOW values of y are tried, and the rest count at the lesser of phi's values at
    their two ends. ``fewest_across`` is what balance forces (e.g. floor(p/2) when every switch holds p
    endpoints and there is an odd number of them); an infinite C means no cable carries any pair."""
    n, rho = num_endpoints, endpoint_link_cables
    half = n // 2
    if n < 2:
        return 0.0
    if math.isinf(congestion):  # no cable carries any pair: only endpoint links can be cut
        return rho * half
    units, odd = half * (n - half), n % 2
    low = min(fewest_across, half)
    last = min(half, low + SEARCH_WINDOW)
    bound = math.inf
    for across in range(low, last + 1):
        # a cut is a whole number of cables (the tolerance keeps float noise from rounding an exact bound up)
        cables = math.ceil((units - across * (across + odd)) / congestion - 1e-9)
        bound = min(bound, max(0, cables) + rho * across)
    if last < half:  # phi(last + 1) and phi(half) = rho*half
        bound = min(bound, (units - (last + 1) * (last + 1 + odd)) / congestion + rho * (last + 1), rho * half)
    return max(0.0, bound)


def congestion_lower_bounds(num_endpoints: Any, congestion: Any, endpoint_link_cables: float,
                            fewest_across: Any) -> Any:
    """``congestion_lower_bound`` over numpy arrays, element by element, with the same float operations
    in the same order, so each element equals the scalar bound exactly (sizing asks it of thousands
    of shapes at once). ``congestion`` may hold inf (no cable carries any pair)."""
    import numpy as np

    n = np.asarray(num_endpoints, dtype=np.int64)
    c = np.asarray(congestion, dtype=np.float64)
    rho = endpoint_link_cables
    half = n // 2
    units, odd = half * (n - half), n % 2
    low = np.minimum(np.asarray(fewest_across, dtype=np.int64), half)
    last = np.minimum(half, low + SEARCH_WINDOW)
    finite = ~np.isinf(c)
    c = np.where(finite, c, 1.0)  # the infinite ones are answered apart
    bound = np.full(n.shape, np.inf)
    for step in range(SEARCH_WINDOW + 1):
        across = low + step
        cables = np.ceil((units - across * (across + odd)) / c - 1e-9)
        term = np.maximum(0, cables) + rho * across
        bound = np.where(across <= last, np.minimum(bound, term), bound)
    beyond = last + 1
    rest = np.minimum((units - beyond * (beyond + odd)) / c + rho * beyond, rho * half)
    bound = np.where(last < half, np.minimum(bound, rest), bound)
    bound = np.maximum(0.0, bound)
    bound = np.where(finite, bound, rho * half)
    return np.where(n < 2, 0.0, bound)
