"""Hop counts and path diversity between endpoints on a switch-level graph.

- Mean switch hops between endpoints: over ordered pairs of distinct endpoints in the same connected
  fabric, weighted by endpoints per switch (endpoints on one switch are 0 hops apart). Exact with BFS
  from every endpoint switch on small graphs; from an evenly spaced sample of them on large ones.
- Diameter: the longest such shortest path (with sampled sources: the longest seen, a lower bound).
- Path diversity (the ECMP width): number of shortest paths between endpoint-switch pairs, counting
  parallel cables (BFS DAG path counting as in Brandes, J. Math. Sociology 2001), and edge-disjoint
  paths, the max flow with cable counts as capacities (Menger; scipy maximum_flow).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import maximum_flow, shortest_path

from topoctl.metrics.graph_arrays import GraphArrays

__all__ = ["PathStats", "Diversity", "source_sample", "bfs_levels", "path_counts", "path_stats", "path_diversity"]

MAX_EXACT_SOURCES = 1500  # all sources up to 1,458 switches (specs/slim-fly-q27.yaml); sampled above
SAMPLED_SOURCES = 64
DIVERSITY_PAIRS = 16


@dataclass(frozen=True)
class PathStats:
    mean_hops: float
    diameter_hops: int
    method: str
    unreachable_pairs_ratio: float  # ordered endpoint pairs with no path, over all ordered pairs


@dataclass(frozen=True)
class Diversity:
    num_pairs: int
    shortest_paths_min: int
    shortest_paths_median: float
    edge_disjoint_paths_min: int
    edge_disjoint_paths_median: float
    method: str


def source_sample(
    arrays: GraphArrays, limit: int = MAX_EXACT_SOURCES, sample: int = SAMPLED_SOURCES
) -> tuple[np.ndarray, bool]:
    """Endpoint switches to start BFS from: all of them (exact) or an evenly spaced sample."""
    hosts = np.flatnonzero(arrays.endpoints > 0)
    if len(hosts) <= limit:
        return hosts, True
    picks = np.linspace(0, len(hosts) - 1, sample).round().astype(np.int64)
    return hosts[np.unique(picks)], False


def bfs_levels(adj: sp.csr_matrix, sources: np.ndarray) -> np.ndarray:
    """Hop distance from each source to every switch (inf when unreachable)."""
    return shortest_path(adj, unweighted=True, indices=sources, directed=False)


def path_counts(adj: sp.csr_matrix, dist: np.ndarray) -> np.ndarray:
    """Shortest paths from the source of ``dist`` to every switch, parallel cables counted apart."""
    sigma = np.zeros(len(dist))
    sigma[dist == 0] = 1.0
    finite = dist[np.isfinite(dist)]
    for level in range(1, int(finite.max()) + 1 if len(finite) else 1):
        previous = np.where(dist == level - 1, sigma, 0.0)
        here = dist == level
        sigma[here] = (adj @ previous)[here]
    return sigma


def path_stats(arrays: GraphArrays, adj: sp.csr_matrix | None = None) -> PathStats:
    adj = arrays.adjacency() if adj is None else adj
    sources, exact = source_sample(arrays)
    weights = arrays.endpoints.astype(np.float64)
    total = weights.sum()
    if total < 2 or len(sources) == 0:
        return PathStats(0.0, 0, "exact graph computation (BFS)", 0.0)
    dist = bfs_levels(adj, sources)
    reach = np.isfinite(dist)
    hop_sum = np.where(reach, dist, 0.0) @ weights  # per source: sum over endpoints of hops
    pairs = reach.astype(np.float64) @ weights - 1.0  # distinct endpoints reachable, per source endpoint
    source_weights = weights[sources]
    mean = (
        float((source_weights * hop_sum).sum() / (source_weights * pairs).sum())
        if (source_weights * pairs).sum()
        else 0.0
    )
    unreachable = float(
        (source_weights * (total - reach.astype(np.float64) @ weights)).sum() / (source_weights.sum() * (total - 1))
    )
    hosts = arrays.endpoints > 0
    host_dist = dist[:, hosts]
    diameter = int(host_dist[np.isfinite(host_dist)].max())
    if exact:
        method = "exact graph computation (BFS from every endpoint switch)"
    else:
        method = f"sampled: BFS from {len(sources)} of {int(hosts.sum())} endpoint switches (diameter: longest seen)"
    return PathStats(round(mean, 6), diameter, method, round(unreachable, 9))


def path_diversity(arrays: GraphArrays, num_pairs: int = DIVERSITY_PAIRS, seed: int = 0) -> Diversity:
    """Shortest and edge-disjoint paths between sampled pairs of distinct endpoint switches."""
    adj = arrays.adjacency()
    hosts = np.flatnonzero(arrays.endpoints > 0)
    if len(hosts) < 2:
        return Diversity(0, 0, 0.0, 0, 0.0, "no pair of endpoint switches")
    rng = np.random.default_rng(seed)
    all_pairs = len(hosts) * (len(hosts) - 1) // 2
    if all_pairs <= num_pairs:
        pairs = [(int(a), int(b)) for i, a in enumerate(hosts) for b in hosts[i + 1 :]]
        method = "exact graph computation over all endpoint-switch pairs"
    else:
        pairs = []
        while len(pairs) < num_pairs:
            a, b = rng.choice(hosts, size=2, replace=False)
            pairs.append((int(a), int(b)))
        method = f"sampled: {num_pairs} random endpoint-switch pairs (seed {seed})"
    capacity = sp.csr_matrix((adj.data.astype(np.int32), adj.indices, adj.indptr), shape=adj.shape)
    shortest, disjoint = [], []
    for a, b in pairs:
        dist = bfs_levels(adj, np.array([a]))[0]
        if not np.isfinite(dist[b]):
            shortest.append(0)
            disjoint.append(0)
            continue
        shortest.append(int(round(path_counts(adj, dist)[b])))
        disjoint.append(int(maximum_flow(capacity, a, b).flow_value))
    return Diversity(
        len(pairs), min(shortest), float(np.median(shortest)), min(disjoint), float(np.median(disjoint)), method
    )
