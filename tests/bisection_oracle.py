"""Exact minimum balanced bisection by enumeration: the oracle the bisection tests compare against."""

from __future__ import annotations

import numpy as np


def exact_bisections(arrays, links: tuple[float, ...]) -> dict[float, float]:
    """min over switch sets S of cut(S) + r/c * (endpoints to place across to balance S), for each
    r/c in ``links``. Switch 0 stays on side 0: the complement has the same cut and leftover.
    Exponential in the switches: small graphs only."""
    n = arrays.num_switches
    weights = arrays.endpoints.astype(np.int64)
    total = int(weights.sum())
    low, high = total // 2, total - total // 2
    counts = arrays.edge_count.astype(np.float64)
    best = {link: np.inf for link in links}
    codes_all = 1 << (n - 1)
    step = 1 << min(n - 1, 16)
    for start in range(0, codes_all, step):
        codes = np.arange(start, min(start + step, codes_all), dtype=np.int64)
        bits = np.zeros((len(codes), n), dtype=bool)
        for i in range(1, n):
            bits[:, i] = (codes >> (i - 1)) & 1
        cut = ((bits[:, arrays.edge_u] != bits[:, arrays.edge_v]) * counts).sum(axis=1)
        held = bits.astype(np.int64) @ weights
        across = np.maximum(0, np.maximum(low - held, held - high))
        for link in links:
            best[link] = min(best[link], float((cut + link * across).min()))
    return best


def exact_bisection(arrays, endpoint_link: float) -> float:
    """The minimum for one endpoint-link weight r/c (see exact_bisections)."""
    return exact_bisections(arrays, (endpoint_link,))[endpoint_link]
