"""Fiedler's spectral lower bound on a balanced bisection, in closed form over the cut's size.

Reference: M. Fiedler, "Algebraic connectivity of graphs", Czechoslovak Math. J. 23 (1973): for a graph
of n vertices whose Laplacian has second-smallest eigenvalue lambda_2, every set of k vertices has at
least lambda_2 * k(n - k)/n edges leaving it. With p endpoints on every switch, a balanced cut of the N =
n*p endpoints puts k switches on one side and moves the endpoints the side lacks (moved(k) = max(0,
floor(N/2) - p*k, p*k - ceil(N/2))) across their links, each counting r/c of a cable; the bisection is at
least the least of lambda_2 * k(n - k)/n + (r/c) * moved(k) over k = 0 .. n.
"""

from __future__ import annotations

from fractions import Fraction

__all__ = ["fiedler_cut"]


def fiedler_cut(lambda_2: float, num_switches: int, endpoints_per_switch: int,
                endpoint_link_cables: float | Fraction) -> float:
    """min over k = 0 .. n of lambda_2 * k(n - k)/n + (r/c) * moved(k) (the module docstring), from six k:
    moved is linear on each of k*p <= floor(N/2), between, and k*p >= ceil(N/2), and the first term is
    concave (lambda_2 >= 0), so on each range the least value is at one of its two ends.

    >>> fiedler_cut(5.0, 50, 4, 1.0)  # the Hoffman-Singleton graph (lambda_2 = 5): 25 switches a side
    62.5
    """
    n, p, rho = num_switches, endpoints_per_switch, endpoint_link_cables
    if p <= 0 or n <= 0:  # no endpoints to balance: the empty side, k = 0, cuts nothing
        return 0.0
    low = n * p // 2
    high = n * p - low
    below, above = low // p, -(-high // p)  # the last k with p*k <= low, the first with p*k >= high
    ends = {0, below, below + 1, above - 1, above, n}

    def value(k: int) -> float:
        return float(lambda_2 * k * (n - k) / n + rho * max(0, low - p * k, p * k - high))

    return min(value(k) for k in ends if 0 <= k <= n)
