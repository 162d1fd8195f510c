"""Monte Carlo failures: every cable and every switch fails independently; seeded and reproducible.

Per trial, on each plane: cables fail with probability ``link_failure_ratio`` each (parallel cables
of a bundle independently), switches with ``switch_failure_ratio``; failures are masks over the CSR
arrays, never graph copies (/work/shared/reference/algorithms.md, "Failures"). Measured per trial:
- disconnected_pairs_ratio: unordered pairs of endpoint ports that share no live connected part (ports
  on dead switches are cut off from everyone), over all pairs. Multi-plane designs count pairs of
  ports within each plane: cross-plane traffic first moves inside the node.
- retained_bisection_ratio: the degraded bisection over the intact one, both upper bounds: the intact
  graph's best METIS cut, and for the degraded graph the better of that partition (rebalanced over the
  live switches) and a fresh METIS run.
Reported as the 5th percentile, median and 95th percentile over the trials (numpy linear percentiles).

The failures of every trial are drawn here, in trial order from the one seeded generator; the trials
themselves (the graph work) run on ``executor`` (topoctl.parallel: local processes or a Dask cluster) in
chunks, and their results are read back in trial order, so every executor gives the same figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from topoctl.metrics.bisection import matrix_cut, metis_bisection, metis_split, rebalance
from topoctl.metrics.faults import FabricView
from topoctl.metrics.graph_arrays import GraphArrays
from topoctl.parallel import SERIAL, Executor, run_map

__all__ = ["RandomFailureResult", "random_failures"]

METHOD = (
    "sampled: independent cable and switch failures, {trials} trials (seed {seed}); bisection as "
    "upper bounds (METIS), degraded over intact"
)


@dataclass(frozen=True)
class RandomFailureResult:
    trials: int
    seed: int
    link_failure_ratio: float
    switch_failure_ratio: float
    disconnected_pairs_ratio: dict[str, float]
    retained_bisection_ratio: dict[str, float]
    method: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _pairs(weights: np.ndarray) -> float:
    return float((weights * (weights - 1) / 2).sum())


def _trial(arrays: GraphArrays, intact_side: np.ndarray, counts: np.ndarray, alive: np.ndarray) -> tuple[float, int]:
    """One plane with failures applied: (endpoint-port pairs not joined by a live path, the degraded
    bisection: the better of the intact partition rebalanced and a fresh METIS run). Both work on the
    live switches' CSR matrix cut from the intact structure by the masks (no rebuild, no sort)."""
    from scipy.sparse.csgraph import connected_components

    total = float(arrays.num_endpoints)
    all_pairs = total * (total - 1) / 2
    live = arrays.live_adjacency(counts, alive)
    if live.shape[0] == 0:
        return all_pairs, 0
    weights = arrays.endpoints[alive]
    # the matrix is symmetric: strong components are the connected ones, without a transpose
    _, labels = connected_components(live, directed=True, connection="strong")
    lost_pairs = all_pairs - _pairs(np.bincount(labels, weights=weights.astype(np.float64)))
    side = rebalance(live, weights, intact_side[alive])
    fresh, _, _ = metis_split(live, weights, seeds=(0,))
    return lost_pairs, min(matrix_cut(live, side), fresh)


def _summary(values: list[float]) -> dict[str, float]:
    p5, median, p95 = np.percentile(np.asarray(values), [5, 50, 95])
    return {"p5": round(float(p5), 6), "median": round(float(median), 6), "p95": round(float(p95), 6)}


def _chunk(shared: tuple[GraphArrays, np.ndarray], chunk: list[list[tuple[np.ndarray, np.ndarray]]]
           ) -> list[tuple[float, int]]:
    """(lost pairs, degraded cut) summed over the planes, for each trial of ``chunk`` (its planes' masks)."""
    arrays, intact_side = shared
    out = []
    for planes in chunk:
        lost_pairs, cut = 0.0, 0
        for counts, alive in planes:
            lost, degraded = _trial(arrays, intact_side, counts, alive)
            lost_pairs += lost
            cut += degraded
        out.append((lost_pairs, cut))
    return out


def random_failures(
    view: FabricView,
    link_failure_ratio: float,
    switch_failure_ratio: float,
    trials: int,
    seed: int,
    progress: Callable[[int], None] | None = None,
    executor: Executor = SERIAL,
) -> RandomFailureResult:
    """Percentiles over ``trials`` seeded trials; ``progress(done)`` is called as trials finish (in order)."""
    arrays, planes = view.plane, view.num_planes
    intact_cut, intact_side, _ = metis_bisection(arrays)
    total_pairs = planes * _pairs(np.array([float(arrays.num_endpoints)]))
    rng = np.random.default_rng(seed)
    size = 1 if executor.serial else max(1, -(-trials // (8 * executor.jobs)))
    sizes = [min(size, trials - start) for start in range(0, trials, size)]

    def chunks() -> Iterator[list[list[tuple[np.ndarray, np.ndarray]]]]:
        # drawn lazily in trial order (the order of a serial run), so memory holds the chunks in flight only
        for length in sizes:
            chunk = []
            for _ in range(length):
                masks = []
                for _ in range(planes):
                    counts = arrays.edge_count - rng.binomial(arrays.edge_count, link_failure_ratio)
                    alive = rng.random(arrays.num_switches) >= switch_failure_ratio
                    masks.append((counts, alive))
                chunk.append(masks)
            yield chunk

    finished = np.cumsum(sizes)
    done: Any = None if progress is None else (lambda n: progress(int(finished[n - 1])))
    disconnected, retained = [], []
    for results in run_map(_chunk, chunks(), (arrays, intact_side), executor, done=done):
        for lost_pairs, cut in results:
            disconnected.append(lost_pairs / total_pairs if total_pairs else 0.0)
            retained.append(cut / (planes * intact_cut) if intact_cut else 1.0)
    return RandomFailureResult(
        trials=trials,
        seed=seed,
        link_failure_ratio=link_failure_ratio,
        switch_failure_ratio=switch_failure_ratio,
        disconnected_pairs_ratio=_summary(disconnected),
        retained_bisection_ratio=_summary(retained),
        method=METHOD.format(trials=trials, seed=seed)
        + (f"; endpoint-port pairs counted within each of {planes} planes" if planes > 1 else ""),
    )
