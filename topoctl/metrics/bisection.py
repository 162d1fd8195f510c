"""Minimum bisection of a switch-level graph as an interval: partitioner cut above, spectral bound below.

Exact minimum bisection is NP-hard (Garey, Johnson, Stockmeyer 1976), so for graphs without a closed
form we report both ends:
- upper bound: the cut of an explicit balanced partition of the endpoints, from METIS (Karypis and
  Kumar 1998, via pymetis) with endpoint counts as vertex weights and cable counts as edge weights,
  best of a few seeds, then greedily rebalanced because METIS balance is approximate;
- lower bound: Fiedler's spectral bound. For a partition S of n switches with |S| = n/2,
  cut(S) >= lambda_2(L) * n / 4 (L the Laplacian weighted by cable counts; Donath and Hoffman 1973).
  It bounds an endpoint-balanced cut only when every switch holds the same number of endpoints (then
  endpoint balance is switch balance), so it is given only for such graphs. lambda_2 comes from
  scipy's lobpcg; its Rayleigh quotient overestimates lambda_2, so we subtract the residual norm
  (some eigenvalue lies within it) to keep the bound safe.
Cuts are in cables; multiply by the port speed for Gb/s.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from topoctl.metrics.graph_arrays import GraphArrays

__all__ = ["BisectionInterval", "partition_cut", "rebalance", "metis_bisection", "spectral_lower_bound", "bisect"]

METIS_SEEDS = (0, 1, 2, 3)
UPPER_METHOD = "upper bound: METIS partition, best of {seeds} seeds, rebalanced"
DENSE_SPECTRUM_MAX_SWITCHES = 3000  # eigvalsh on 3000 x 3000 takes about 3 s on 2 cores
LOWER_METHOD = "lower bound: spectral, lambda_2 * n / 4 (dense spectrum up to 3000 switches, else lobpcg less its residual)"


@dataclass(frozen=True)
class BisectionInterval:
    """Cables across the minimum endpoint-balanced bisection lie in [lower, upper]."""

    upper_links: float
    upper_method: str
    lower_links: float | None
    lower_method: str
    imbalance_endpoints: int = 0  # |side - W/2| of the upper bound's partition


def partition_cut(arrays: GraphArrays, side: np.ndarray, edge_count: np.ndarray | None = None) -> int:
    """Cables between switches on different sides."""
    counts = arrays.edge_count if edge_count is None else edge_count
    return int(counts[side[arrays.edge_u] != side[arrays.edge_v]].sum())


def rebalance(adj: sp.csr_matrix, weights: np.ndarray, side: np.ndarray) -> np.ndarray:
    """Move switches from the heavier side while that shrinks the imbalance, cheapest move first."""
    side = side.astype(np.int64).copy()
    total = int(weights.sum())
    for _ in range(len(side)):
        heavy_weight = int(weights[side == 1].sum())
        diff = 2 * heavy_weight - total  # >0: side 1 heavier
        if diff == 0:
            break
        heavy = 1 if diff > 0 else 0
        gap = abs(diff)
        to_other = adj @ (side != heavy).astype(np.float64)
        to_own = adj @ (side == heavy).astype(np.float64)
        # Moving v changes the imbalance by 2*w_v; only moves that reduce |diff| qualify.
        ok = (side == heavy) & (weights > 0) & (2 * weights < 2 * gap)
        if not ok.any():
            break
        gain = np.where(ok, to_own - to_other, np.inf)  # cut increase
        v = int(np.argmin(gain))
        side[v] = 1 - heavy
    return side


def metis_bisection(
    arrays: GraphArrays, edge_count: np.ndarray | None = None, seeds: tuple[int, ...] = METIS_SEEDS
) -> tuple[int, np.ndarray, int]:
    """Best METIS endpoint-balanced bisection: (cut cables, side per switch, endpoint imbalance)."""
    import pymetis

    counts = arrays.edge_count if edge_count is None else edge_count
    adj = arrays.adjacency(counts)
    adj.sort_indices()
    weights = arrays.endpoints
    total = int(weights.sum())
    if arrays.num_switches < 2 or adj.nnz == 0:
        side = np.zeros(arrays.num_switches, dtype=np.int64)
        return 0, side, total // 2
    best: tuple[int, int, np.ndarray] | None = None
    csr = pymetis.CSRAdjacency(adj.indptr.astype(np.int64), adj.indices.astype(np.int64))
    for seed in seeds:
        _, parts = pymetis.part_graph(
            2,
            csr,
            vweights=weights.tolist(),
            eweights=adj.data.astype(np.int64).tolist(),
            options=pymetis.Options(seed=seed, ufactor=1),
        )
        side = rebalance(adj, weights, np.asarray(parts, dtype=np.int64))
        imbalance = abs(2 * int(weights[side == 1].sum()) - total) // 2
        cut = partition_cut(arrays, side, counts)
        if best is None or (imbalance, cut) < (best[0], best[1]):
            best = (imbalance, cut, side)
    assert best is not None
    return best[1], best[2], best[0]


def spectral_lower_bound(arrays: GraphArrays, edge_count: np.ndarray | None = None) -> float | None:
    """lambda_2 * n / 4 for graphs with equal endpoints on every switch; None otherwise. lambda_2 comes
    from the full dense spectrum up to DENSE_SPECTRUM_MAX_SWITCHES switches; above, from lobpcg, less
    its residual."""
    from scipy.sparse.linalg import lobpcg

    n = arrays.num_switches
    if n < 3 or len(set(arrays.endpoints.tolist())) != 1 or arrays.endpoints[0] == 0:
        return None
    adj = arrays.adjacency(edge_count)
    degree = np.asarray(adj.sum(axis=1)).ravel()
    laplacian = (sp.diags(degree) - adj).tocsr()
    if n <= DENSE_SPECTRUM_MAX_SWITCHES:  # all eigenvalues, no convergence question
        return max(0.0, float(np.linalg.eigvalsh(laplacian.toarray())[1])) * n / 4
    ones = np.ones((n, 1)) / np.sqrt(n)
    rng = np.random.default_rng(0)
    start = rng.standard_normal((n, 2))
    # c*I - L turns the smallest eigenvalues into the largest, where lobpcg converges fast.
    shifted = (sp.identity(n, format="csr") * (2.0 * float(degree.max())) - laplacian).tocsr()
    with warnings.catch_warnings():  # non-convergence is covered by the residual correction below
        warnings.simplefilter("ignore")
        values, vectors = lobpcg(shifted, start, Y=ones, largest=True, tol=1e-6, maxiter=500)
    order = np.argsort(values)[::-1]
    x = vectors[:, order[0]]
    x = x - ones[:, 0] * (ones[:, 0] @ x)
    x /= np.linalg.norm(x)
    rayleigh = float(x @ (laplacian @ x))
    residual = float(np.linalg.norm(laplacian @ x - rayleigh * x))
    lambda_2 = max(0.0, rayleigh - residual)
    return lambda_2 * n / 4


def bisect(arrays: GraphArrays, seeds: tuple[int, ...] = METIS_SEEDS) -> BisectionInterval:
    """The interval for one connected fabric (one plane)."""
    cut, _, imbalance = metis_bisection(arrays, seeds=seeds)
    lower = spectral_lower_bound(arrays)
    reason = LOWER_METHOD if lower is not None else "no lower bound: switches hold unequal endpoint counts"
    return BisectionInterval(float(cut), UPPER_METHOD.format(seeds=len(seeds)), lower, reason, imbalance)
