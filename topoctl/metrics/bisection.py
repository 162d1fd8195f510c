"""Minimum bisection of a switch-level graph as an interval: partitioner cut above, spectral bound below.

The bisection is the least capacity across a partition of the switches and the endpoints that puts
floor(W/2) of the W endpoints on one side and ceil(W/2) on the other. An endpoint may sit across the
cut from its switch; its endpoint link then crosses. Capacities are in cables: a switch cable counts
1, an endpoint link ``endpoint_link_cables`` = r/c (endpoint rate over port rate). A switch partition
S with W_S endpoints on its switches is completed by placing moved(S) = the distance from W_S to
{floor(W/2), ceil(W/2)} endpoints across, which is optimal for S, so the bisection is
min over S of cut(S) + (r/c) * moved(S).

Exact minimum bisection is NP-hard (Garey, Johnson, Stockmeyer 1976), so for graphs without a closed
form we report both ends:
- upper bound: the better of two explicit balanced partitions: METIS (Karypis and Kumar 1998, via
  pymetis) on the switches, endpoint counts as vertex weights and cable counts as edge weights, best
  of a few seeds, greedily rebalanced, its leftover endpoints placed across; and every switch on one
  side with floor(W/2) endpoints across;
- lower bound: Fiedler's spectral bound. For any set S of k of the n switches, cut(S) >= lambda_2(L)
  * k(n-k)/n (L the Laplacian weighted by cable counts; Fiedler 1973, Donath and Hoffman 1973). With
  p endpoints on every switch moved(S) depends on k alone, so min over k of lambda_2 * k(n-k)/n +
  (r/c) * moved(k) is a lower bound (lambda_2 * n/4 when that k = n/2 wins). Given only for equal
  endpoint counts. lambda_2 is the dense spectrum's up to DENSE_SPECTRUM_MAX_SWITCHES switches. Above,
  lobpcg gives an estimate, which may have converged to a higher eigenvalue; it becomes a bound only
  through a certificate (``certify_lambda_2``): a Cholesky factorization of L - sigma*I + (2 sigma/n)J
  (J all ones) succeeds only if that matrix is positive definite, i.e. lambda_2 > sigma (Sylvester's
  law of inertia: all n pivots positive), less a rounding margin (Rump 2006). An uncertified figure is
  an estimate and is never returned as a bound. Cost: the certificate is one dense Cholesky, 0.35 s
  at 3,698 switches and about 4 s at 8,192 on one core; above CERTIFY_MAX_SWITCHES none is tried (the
  16,352-switch Table 3 design DF would need 2.1 GB and 48 s dense, 29-46 s by sparse LU), so there
  the spectral figure is an estimate (lobpcg, 3 s).
Cuts are in cables; multiply by the port speed for Gb/s.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from topoctl.metrics.graph_arrays import GraphArrays
from topoctl.topologies.spectral import fiedler_cut

__all__ = [
    "BisectionInterval",
    "SpectralBound",
    "partition_cut",
    "moved_endpoints",
    "rebalance",
    "metis_bisection",
    "metis_split",
    "matrix_cut",
    "balanced_upper_bound",
    "spectral_links",
    "certify_lambda_2",
    "spectral_bound",
    "spectral_lower_bound",
    "bisect",
]

METIS_SEEDS = (0, 1, 2, 3)
UPPER_METHOD = (
    "upper bound: METIS partition of the switches, best of {seeds} seeds, rebalanced, with the endpoints "
    "left over placed across the cut (their links counted at r/c cable each)"
)
ONE_SIDE_METHOD = (
    "upper bound: every switch on one side and floor(W/2) endpoints across (their links cut, r/c cable each)"
)
DENSE_SPECTRUM_MAX_SWITCHES = 3000  # eigvalsh on 3000 x 3000 takes about 3 s on 2 cores
# dense Cholesky of 8192 x 8192: 0.5 GB, 3-5 s in all for an 8,192-switch design. Do not raise it past 15,500:
# scipy 1.17's bundled OpenBLAS dpotrf segfaults (threaded) from n = 16,000 on this machine.
CERTIFY_MAX_SWITCHES = 8192
CERTIFY_HALVINGS = 4  # a refused sigma is halved at most this many times
SIGMA_DIGITS = 6  # sigma is rounded down to this many significant digits, so the bound is reproducible
UNEQUAL_METHOD = "no lower bound: switches hold unequal endpoint counts"


@dataclass(frozen=True)
class BisectionInterval:
    """The minimum endpoint-balanced bisection, in cables, lies in [lower, upper]."""

    upper_links: float
    upper_method: str
    lower_links: float | None
    lower_method: str
    imbalance_endpoints: int = 0  # endpoints placed across the cut from their switch, counted in upper_links


@dataclass(frozen=True)
class SpectralBound:
    """Fiedler's bound on one graph. ``links`` is proven or None; an unproven figure is only in ``method``."""

    links: float | None  # proven lower bound on the bisection, in cables
    lambda_2: float | None  # exact (dense) or certified lower bound on lambda_2; the lobpcg estimate if not proven
    proven: bool
    method: str


def partition_cut(arrays: GraphArrays, side: np.ndarray, edge_count: np.ndarray | None = None) -> int:
    """Cables between switches on different sides."""
    counts = arrays.edge_count if edge_count is None else edge_count
    return int(counts[side[arrays.edge_u] != side[arrays.edge_v]].sum())


def moved_endpoints(weights: np.ndarray, side: np.ndarray) -> int:
    """Endpoints to place across the cut from their switch so the sides hold floor(W/2) and ceil(W/2):
    the distance from side 1's count to that pair."""
    total = int(weights.sum())
    diff = abs(2 * int(weights[side == 1].sum()) - total)  # same parity as total
    return (diff - total % 2) // 2


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
    """The METIS switch partition closest to endpoint balance, then with the least cut, over ``seeds``:
    (cut cables, side per switch, endpoints to place across, ``moved_endpoints``). The balanced cut it
    gives is cut + (r/c) * moved (``balanced_upper_bound``)."""
    counts = arrays.edge_count if edge_count is None else edge_count
    return metis_split(arrays.adjacency(counts), arrays.endpoints, seeds)


def matrix_cut(adj: sp.csr_matrix, side: np.ndarray) -> int:
    """Cables between switches on different sides, from a symmetric CSR matrix of cable counts
    (``partition_cut`` on the bundles gives the same number)."""
    one = (side != 0).astype(np.float64)
    return int(round(float(one @ (adj @ (1.0 - one)))))  # entries from side 1 to side 0: each cable once


def metis_split(
    adj: sp.csr_matrix, weights: np.ndarray, seeds: tuple[int, ...] = METIS_SEEDS
) -> tuple[int, np.ndarray, int]:
    """``metis_bisection`` on a symmetric CSR matrix of cable counts (no explicit zeros) with
    ``weights`` endpoints per switch: what the random-failure trials call on each degraded graph."""
    import pymetis

    adj.sort_indices()
    if adj.shape[0] < 2 or adj.nnz == 0:
        side = np.zeros(adj.shape[0], dtype=np.int64)
        return 0, side, moved_endpoints(weights, side)
    best: tuple[int, int, np.ndarray] | None = None
    csr = pymetis.CSRAdjacency(adj.indptr.astype(np.int64), adj.indices.astype(np.int64))
    vweights = np.ascontiguousarray(weights, dtype=np.int64)  # arrays: pymetis reads them without a copy
    eweights = adj.data.astype(np.int64)
    for seed in seeds:
        _, parts = pymetis.part_graph(
            2, csr, vweights=vweights, eweights=eweights, options=pymetis.Options(seed=seed, ufactor=1)
        )
        side = rebalance(adj, weights, np.asarray(parts, dtype=np.int64))
        moved = moved_endpoints(weights, side)
        cut = matrix_cut(adj, side)
        if best is None or (moved, cut) < (best[0], best[1]):
            best = (moved, cut, side)
    assert best is not None
    return best[1], best[2], best[0]


def balanced_upper_bound(
    arrays: GraphArrays, cut: int, moved: int, endpoint_link_cables: float, seeds: int = len(METIS_SEEDS)
) -> tuple[float, str, int]:
    """The lesser of two explicit balanced partitions' cuts, in cables: a switch partition cutting
    ``cut`` cables with ``moved`` endpoints placed across, and every switch on one side with
    floor(W/2) endpoints across. (cables, method, endpoints across)"""
    partition = cut + endpoint_link_cables * moved
    half = arrays.num_endpoints // 2
    if endpoint_link_cables * half < partition:
        return endpoint_link_cables * half, ONE_SIDE_METHOD, half
    method = UPPER_METHOD.format(seeds=seeds)
    if moved:
        method += f"; {moved} endpoint(s) across"
    return partition, method, moved


def spectral_links(lambda_2: float, num_switches: int, endpoints_per_switch: int, endpoint_link_cables: float) -> float:
    """min over k of lambda_2 * k(n-k)/n + (r/c) * moved(k): a lower bound on the bisection of a graph
    with p endpoints on each of its n switches and Laplacian eigenvalue lambda_2 (Fiedler 1973), in
    closed form (topoctl.topologies.spectral.fiedler_cut)."""
    return fiedler_cut(lambda_2, num_switches, endpoints_per_switch, endpoint_link_cables)


def _laplacian(arrays: GraphArrays, edge_count: np.ndarray | None) -> sp.csr_matrix:
    adj = arrays.adjacency(edge_count)
    degree = np.asarray(adj.sum(axis=1)).ravel()
    return (sp.diags(degree) - adj).tocsr()


def certify_lambda_2(laplacian: sp.csr_matrix, sigma: float) -> float | None:
    """A proven lower bound on lambda_2(L) near ``sigma`` > 0, or None if this sigma is refused.

    B = L - sigma*I + t*J with t = fl(2 sigma/n) has eigenvalue n*t - sigma > 0 on the constant vector
    and lambda_i - sigma on the others, so B is positive definite iff lambda_2 > sigma (its inertia,
    Sylvester's law). A floating-point Cholesky of the stored B^ that runs to completion proves
    R^T R = B^ + dB with |dB| <= gamma_{n+1} |R^T||R|, so ||dB||_2 <= gamma/(1 - gamma) * trace(B^),
    gamma_k = k*u/(1 - k*u)
    (Higham, "Accuracy and Stability of Numerical Algorithms", Thm 10.3; Rump, BIT 46, 2006), and
    rounding B into B^ moves it by at most 3u * max row sum of |B^|. Then every eigenvalue of B is at
    least minus their sum, so lambda_2 >= sigma - margin. Dense: Laplacians of expanders fill in
    almost completely under any ordering (sparse LU of Table 3's 16k-switch DF: 29-46 s)."""
    from scipy.linalg import lapack

    n = laplacian.shape[0]
    t = 2.0 * sigma / n
    degree = laplacian.diagonal()
    dense = laplacian.toarray()
    dense[np.diag_indices(n)] -= sigma
    dense += t
    u = np.finfo(np.float64).eps / 2
    steps = 2 * (n + 1)  # twice the textbook n + 1: slack for the blocked LAPACK algorithm's constants
    gamma = steps * u / (1 - steps * u)
    # trace(B) = sum(d) - n*sigma + n*t = sum(d) + sigma; a row of |B| sums to at most 2 d_i + 3 sigma
    margin = gamma / (1 - gamma) * (float(degree.sum()) + sigma) + 3 * u * (2 * float(degree.max()) + 3 * sigma)
    # B is symmetric, so its transpose is the Fortran-ordered array LAPACK factors in place
    _, info = lapack.dpotrf(dense.T, lower=0, overwrite_a=1, clean=0)
    if info != 0:
        return None
    bound = float(sigma - 2 * margin)  # twice: the margin's own arithmetic is rounded too
    return bound if bound > 0 else None


def _round_down(value: float, digits: int) -> float:
    if value <= 0:
        return 0.0
    scale = 10.0 ** (digits - 1 - math.floor(math.log10(value)))
    return math.floor(value * scale) / scale


def _lobpcg_estimate(laplacian: sp.csr_matrix, start: np.ndarray | None) -> tuple[float, float]:
    """lobpcg's Rayleigh quotient for lambda_2 and its residual norm (some eigenvalue lies within it;
    nothing says it is lambda_2)."""
    from scipy.sparse.linalg import lobpcg

    n = laplacian.shape[0]
    ones = np.ones((n, 1)) / np.sqrt(n)
    if start is None:
        start = np.random.default_rng(0).standard_normal((n, 2))
    degree_max = float(laplacian.diagonal().max())
    # c*I - L turns the smallest eigenvalues into the largest, where lobpcg converges fast.
    shifted = (sp.identity(n, format="csr") * (2.0 * degree_max) - laplacian).tocsr()
    with warnings.catch_warnings():  # non-convergence is caught by the certificate
        warnings.simplefilter("ignore")
        values, vectors = lobpcg(shifted, start, Y=ones, largest=True, tol=1e-6, maxiter=500)
    x = vectors[:, int(np.argmax(values))]
    x = x - ones[:, 0] * (ones[:, 0] @ x)
    x /= np.linalg.norm(x)
    rayleigh = float(x @ (laplacian @ x))
    residual = float(np.linalg.norm(laplacian @ x - rayleigh * x))
    return rayleigh, residual


def spectral_bound(
    arrays: GraphArrays,
    edge_count: np.ndarray | None = None,
    endpoint_link_cables: float = 1.0,
    *,
    dense_max_switches: int = DENSE_SPECTRUM_MAX_SWITCHES,
    certify_max_switches: int = CERTIFY_MAX_SWITCHES,
    start: np.ndarray | None = None,
) -> SpectralBound:
    """Fiedler's bound (``spectral_links``) for graphs with equal endpoints on every switch.
    ``endpoint_link_cables`` is r/c (1.0: endpoints at the port speed). lambda_2: the dense spectrum
    up to ``dense_max_switches``; above, lobpcg's estimate (from ``start``, an n x 2 block, if given)
    rounded down and certified by ``certify_lambda_2`` up to ``certify_max_switches``, its sigma halved
    up to CERTIFY_HALVINGS times when refused; otherwise no bound, and the estimate is labelled one."""
    n = arrays.num_switches
    if n < 2 or len(set(arrays.endpoints.tolist())) != 1 or arrays.endpoints[0] == 0:
        return SpectralBound(None, None, False, UNEQUAL_METHOD)
    p = int(arrays.endpoints[0])
    laplacian = _laplacian(arrays, edge_count)
    head = (
        "lower bound: spectral, min over k switches on one side of lambda_2 * k(n-k)/n + r/c per endpoint across "
        "(Fiedler 1973)"
    )
    if n <= dense_max_switches:  # every eigenvalue, no convergence question
        lambda_2 = max(0.0, float(np.linalg.eigvalsh(laplacian.toarray())[1]))
        links = spectral_links(lambda_2, n, p, endpoint_link_cables)
        return SpectralBound(links, lambda_2, True, f"{head}; lambda_2 = {lambda_2:.6g} from the dense spectrum")
    rayleigh, residual = _lobpcg_estimate(laplacian, start)
    estimate = max(0.0, rayleigh - residual)
    guess = spectral_links(estimate, n, p, endpoint_link_cables)
    not_proven = f"no lower bound: spectral estimate {guess:.6g} (lobpcg lambda_2 ~ {estimate:.6g}) not certified"
    if n > certify_max_switches:
        reason = f"{n} switches exceed the {certify_max_switches} a dense Cholesky certificate handles in seconds"
        return SpectralBound(None, estimate, False, f"{not_proven}: {reason}; estimate")
    sigma = _round_down(estimate, SIGMA_DIGITS)
    for _ in range(CERTIFY_HALVINGS + 1):
        if sigma <= 0:
            break
        certified = certify_lambda_2(laplacian, sigma)
        if certified is not None:
            lambda_2 = certified
            links = spectral_links(lambda_2, n, p, endpoint_link_cables)
            how = (
                f"lambda_2 >= {lambda_2:.6g} certified: Cholesky of L - sigma*I + (2 sigma/n)J succeeds at sigma = "
                f"{sigma:.6g} (Sylvester's law of inertia), less the rounding margin (Rump 2006); "
                f"lobpcg estimate {estimate:.6g}"
            )
            return SpectralBound(links, lambda_2, True, f"{head}; {how}")
        sigma = _round_down(sigma / 2, SIGMA_DIGITS)
    reason = f"Cholesky refused sigma = {_round_down(estimate, SIGMA_DIGITS):.6g} and {CERTIFY_HALVINGS} halvings"
    return SpectralBound(None, estimate, False, f"{not_proven}: {reason}; estimate")


def spectral_lower_bound(
    arrays: GraphArrays, edge_count: np.ndarray | None = None, endpoint_link_cables: float = 1.0
) -> float | None:
    """The proven spectral lower bound in cables (``spectral_bound``), None when there is none."""
    return spectral_bound(arrays, edge_count, endpoint_link_cables).links


def bisect(
    arrays: GraphArrays, seeds: tuple[int, ...] = METIS_SEEDS, endpoint_link_cables: float = 1.0
) -> BisectionInterval:
    """The interval for one connected fabric (one plane); ``endpoint_link_cables`` is r/c."""
    cut, _, moved = metis_bisection(arrays, seeds=seeds)
    upper, upper_method, across = balanced_upper_bound(arrays, cut, moved, endpoint_link_cables, len(seeds))
    lower = spectral_bound(arrays, endpoint_link_cables=endpoint_link_cables)
    return BisectionInterval(upper, upper_method, lower.links, lower.method, across)
