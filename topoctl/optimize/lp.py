"""The exact throughput of a small graph: maximum concurrent flow as a linear program (OR-Tools GLOP).

A solver, so it lives with the sizing model (only ``optimize`` imports OR-Tools); the metrics take it as
``AnalysisOptions.lp`` (topoctl.metrics.analysis.FlowSolver) and label its figure exact. Checked against
a path-enumeration LP and the closed forms in the tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from topoctl.errors import TopoctlError
from topoctl.metrics.throughput import Figure
from topoctl.topologies.base import BoundKind

if TYPE_CHECKING:
    from topoctl.metrics.graph_arrays import GraphArrays

__all__ = ["max_concurrent_flow", "LP_STATUS", "LP_CHECK_TOLERANCE"]

LP_STATUS = {0: "optimal", 1: "feasible, not proven optimal (time limit)", 2: "infeasible", 3: "unbounded",
             4: "abnormal", 5: "model invalid", 6: "not solved (time limit)"}
LP_CHECK_TOLERANCE = 1e-6  # GLOP's feasibility tolerances are 1e-8 to 1e-6 on scaled rows


def max_concurrent_flow(
    arrays: GraphArrays, demand: np.ndarray, endpoint_gbps: float, link_gbps: float, time_limit_s: float = 60.0
) -> Figure:
    """Exact maximum concurrent flow (LP, OR-Tools GLOP; Shahrokhi and Matula 1990), capped at line
    rate: the largest theta <= 1 such that every pair of distinct switches (s, t) carries
    theta * demand[s, t] * r at once within the cable capacities c. Source-aggregated commodities: one
    flow variable per source switch and directed bundle. Flows are in units of one cable's rate c, so
    capacities are cable counts and the coefficients of theta are demand * r/c, near 1 (in Gb/s they
    were hundreds to thousands beside theta's 1). The cap theta <= 1 keeps the LP bounded when no pair
    needs a cable (a design whose endpoints fit one MoE node sends nothing between switches: an
    unbounded LP, which GLOP reports as status 2, infeasible); the figure was capped at 1 anyway. The
    solution is checked without the solver (capacities and conservation); a solver failure is a
    one-line TopoctlError."""
    from ortools.linear_solver import pywraplp

    method = "exact: maximum concurrent flow LP (OR-Tools GLOP)"
    n = arrays.num_switches
    need = np.array(demand, dtype=np.float64)
    np.fill_diagonal(need, 0.0)  # a switch's own endpoints meet inside it, on no cable
    if not need.any():
        return Figure(1.0, method + "; no demand between distinct switches", BoundKind.EXACT)
    per_cable = need * (endpoint_gbps / link_gbps)  # demand in units of one cable's rate
    tails = np.concatenate([arrays.edge_u, arrays.edge_v]).astype(np.int64)
    heads = np.concatenate([arrays.edge_v, arrays.edge_u]).astype(np.int64)
    capacity = np.concatenate([arrays.edge_count, arrays.edge_count]).astype(np.float64)
    arcs = len(tails)
    sources = np.flatnonzero(per_cable.sum(axis=1) > 0)

    solver = pywraplp.Solver.CreateSolver("GLOP")
    solver.SetTimeLimit(int(time_limit_s * 1000))
    theta = solver.NumVar(0.0, 1.0, "theta")  # fraction of line rate every pair reaches
    # flow[i][a]: source sources[i]'s traffic on directed bundle a, in cables' rate
    flow = [[solver.NumVar(0.0, solver.infinity(), f"f{s}_{a}") for a in range(arcs)] for s in sources]
    for a in range(arcs):
        row = solver.Constraint(-solver.infinity(), float(capacity[a]))
        for i in range(len(sources)):
            row.SetCoefficient(flow[i][a], 1.0)
    out_arcs: list[list[int]] = [[] for _ in range(n)]
    in_arcs: list[list[int]] = [[] for _ in range(n)]
    for a in range(arcs):
        out_arcs[int(tails[a])].append(a)
        in_arcs[int(heads[a])].append(a)
    for i, s in enumerate(sources):
        for v in range(n):
            if v == s:
                continue
            # conservation: what enters v less what leaves it is v's share of s's demand
            row = solver.Constraint(0.0, 0.0)
            for a in in_arcs[v]:
                row.SetCoefficient(flow[i][a], 1.0)
            for a in out_arcs[v]:
                row.SetCoefficient(flow[i][a], -1.0)
            row.SetCoefficient(theta, -float(per_cable[s, v]))
    solver.Maximize(theta)
    status = solver.Solve()
    if status != pywraplp.Solver.OPTIMAL:
        raise TopoctlError(
            f"exact LP (maximum concurrent flow, GLOP) on {n} switches not solved: {LP_STATUS.get(status, status)} "
            f"(status {status}, time limit {time_limit_s:g} s); run without --exact-lp for the estimate and bounds"
        )
    value = theta.solution_value()
    values = np.array([[f.solution_value() for f in row] for row in flow])
    # independent check: the flows fit the cables and deliver theta * demand to every destination
    overload = float((values.sum(axis=0) - capacity).max())
    net_in = np.zeros((len(sources), n))
    np.add.at(net_in.T, heads, values.T)
    np.add.at(net_in.T, tails, -values.T)
    expected = value * per_cable[sources]
    expected[np.arange(len(sources)), sources] = net_in[np.arange(len(sources)), sources]  # sources are free
    mismatch = float(np.abs(net_in - expected).max())
    if (
        overload > LP_CHECK_TOLERANCE * max(1.0, float(capacity.max()))
        or mismatch > LP_CHECK_TOLERANCE * max(1.0, float(per_cable.max()))
    ):
        raise TopoctlError(
            f"exact LP (maximum concurrent flow, GLOP) on {n} switches: the solution fails the independent check "
            f"(cable overload {overload:.3g}, conservation error {mismatch:.3g}); run without --exact-lp"
        )
    return Figure(min(1.0, max(0.0, value)), method, BoundKind.EXACT)
