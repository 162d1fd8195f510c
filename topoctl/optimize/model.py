"""The CP-SAT sizing model: choose one candidate shape and size it with integer variables.

The only module that imports OR-Tools (inside functions, so ``topoctl --help`` stays fast).

Per candidate a Boolean says "this is the design"; exactly one is true. Its sizing variables (leaves and
spines; edges, pods and core groups; dragonfly groups; slim fly endpoints per switch) are zero when it is
not chosen and otherwise obey the family's construction exactly:
- ceilings are two inequalities (x*d >= n and x*d <= n + d - 1 is x = ceil(n/d)), so the solver
  reproduces the family's switch counts, the fewest that hold N (fat_tree.py, dragonfly.py, slim_fly.py);
- port balance: every leaf uplink lands on a spine port (S*k >= L*u), and no tier exceeds what one switch
  above can reach (at most k leaves, k pods), so no switch exceeds its radix;
- bisection ratio, spare ports, blast radius (slim fly) and the cost cap are linear in the variables.
Constraints that are not linear in the variables (dragonfly cut, fat tree blast radius, hops) are
evaluated by the closed forms in candidates.py and prune candidates before the model is built.
Prices are integer cents. Ties are broken by a second, lexicographic solve on the candidate rank, so the
answer does not depend on the search order.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import ceil, floor
from typing import Any

from topoctl.optimize.candidates import Candidate
from topoctl.optimize.requirement import Requirement

__all__ = ["Solution", "SolveStats", "solve", "MILLI"]

MILLI = 1000  # cost per endpoint is minimised in thousandths of a cent, rounded up


@dataclass(frozen=True)
class Solution:
    """The solver's chosen candidate and its values, before any rebuilding."""

    candidate: Candidate
    size: dict[str, int]
    num_endpoints: int
    num_switches: int
    cost_cents: int
    objective: int  # in the objective's unit: cents, switches, or thousandths of a cent per endpoint


@dataclass(frozen=True)
class SolveStats:
    status: str  # optimal, feasible, infeasible, unknown
    objective: int | None
    best_bound: int | None
    wall_time_s: float
    num_candidates: int


@dataclass
class _Vars:
    use: Any
    size: dict[str, Any]
    cost: Any
    switches: Any
    endpoints: Any
    per_endpoint: Any = None


def _spare(spare_percent: float) -> Fraction:
    return Fraction(spare_percent).limit_denominator(1000) / 100


def _tree(model: Any, c: Candidate, req: Requirement, use: Any) -> _Vars:
    s, planes, ports = c.shape, c.planes, c.ports_per_endpoint
    k, d, u, n = s["k"], s["down"], s["up"], s["n_plane"]
    n_total = req.num_endpoints
    on, off = use, use.Not()
    # The proven bisection ratio, u / n_max x port / speed, is fixed once n and d fix the leaves.
    if c.bisection_ratio < req.bisection_ratio:
        model.Add(use == 0)
    if c.kind == "tree2":
        leaves = model.NewIntVar(0, k, f"leaves_{c.rank}")  # leaves per plane
        spines = model.NewIntVar(0, k, f"spines_{c.rank}")  # spines per plane
        model.Add(leaves * d >= n).OnlyEnforceIf(on)  # leaves = ceil(n/d)
        model.Add(leaves * d <= n + d - 1).OnlyEnforceIf(on)
        model.Add(spines * k >= leaves * u).OnlyEnforceIf(on)  # every uplink on a spine port
        # ... on the smallest such spine count dividing u (uniform links: not linear, so from the
        # closed form; leaves is pinned by n and d above)
        model.Add(spines == c.size["spines"]).OnlyEnforceIf(on)
        for var in (leaves, spines):
            model.Add(var == 0).OnlyEnforceIf(off)
        per_plane = leaves + spines
        size = {"leaves": leaves, "spines": spines}
        electric, optical, num_links = 0, leaves * u, leaves * u
    else:
        half = k // 2
        edges = model.NewIntVar(0, k * half, f"edges_{c.rank}")  # edge switches per plane
        pods = model.NewIntVar(0, k, f"pods_{c.rank}")  # pods per plane (u aggregation switches each)
        groups = model.NewIntVar(0, k, f"core_groups_{c.rank}")  # cores per group (u groups)
        base_edges = ceil(Fraction(n, d))  # ceil(n/d) edges hold the endpoints
        model.Add(pods * half >= base_edges).OnlyEnforceIf(on)  # at most k/2 edges per pod
        model.Add(pods * half <= base_edges + half - 1).OnlyEnforceIf(on)
        per_pod = model.NewIntVar(0, half, f"edges_per_pod_{c.rank}")  # the same in every pod
        model.AddMultiplicationEquality(edges, [per_pod, pods])
        model.Add(edges >= base_edges).OnlyEnforceIf(on)
        model.Add(groups * k >= edges).OnlyEnforceIf(on)  # core group a takes every pod's uplinks
        # ... on the smallest such core count dividing the edges per pod (uniform links: from the
        # closed form, as pods and edges per pod are pinned by n and d)
        model.Add(per_pod == c.size["edges"] // max(1, c.size["pods"])).OnlyEnforceIf(on)
        model.Add(groups == c.size["core_groups"]).OnlyEnforceIf(on)
        for var in (edges, pods, groups, per_pod):
            model.Add(var == 0).OnlyEnforceIf(off)
        per_plane = edges + u * pods + u * groups
        size = {"edges": edges, "pods": pods, "core_groups": groups}
        electric, optical, num_links = edges * u, edges * u, 2 * edges * u
    spare = _spare(req.spare_ports_percent)
    total_ports = planes * per_plane * c.switch.radix
    used_ports = n_total * ports * use + 2 * planes * num_links
    model.Add((spare.denominator - spare.numerator) * total_ports >= spare.denominator * used_ports).OnlyEnforceIf(on)
    p = c.prices
    cost = (
        planes * per_plane * p.switch_cents
        + n_total * ports * p.endpoint_cable_cents * use
        + planes * electric * p.electric_link_cents
        + planes * optical * p.optical_link_cents
    )
    return _Vars(use, size, cost, planes * per_plane, n_total * use)


def _dragonfly(model: Any, c: Candidate, req: Requirement, use: Any) -> _Vars:
    s, n = c.shape, req.num_endpoints
    p, a, h, k = s["p"], s["a"], s["h"], s["k"]
    step = 2 if (a * h) % 2 else 1  # a*h*g global ports must be even: g even when a*h is odd
    units = model.NewIntVar(0, n, f"group_units_{c.rank}")  # g = step * units groups
    groups = step * units
    on = use
    model.Add(p * a * groups >= n).OnlyEnforceIf(on)  # fewest admissible g holding N
    model.Add(p * a * (groups - step) <= n - 1).OnlyEnforceIf(on)
    model.Add(units >= 1).OnlyEnforceIf(on)
    model.Add(a * h >= groups - 1).OnlyEnforceIf(on)  # g <= a*h + 1: a global link per group pair
    model.Add(units == 0).OnlyEnforceIf(use.Not())
    spare = _spare(req.spare_ports_percent)
    switches = a * groups
    model.Add((spare.denominator - spare.numerator) * k * switches
              >= spare.denominator * (p + a - 1 + h) * switches).OnlyEnforceIf(on)
    pr = c.prices
    # g*a(a-1)/2 intra-group and a*h*g/2 global links: halves taken where the product is even
    intra = (groups * (a * (a - 1) // 2))
    glob = (units * (a * h * step // 2))
    cost = (
        switches * pr.switch_cents
        + p * switches * pr.endpoint_cable_cents
        + intra * pr.electric_link_cents
        + glob * pr.optical_link_cents
    )
    return _Vars(use, {"g": groups}, cost, switches, p * switches)


def _slim_fly(model: Any, c: Candidate, req: Requirement, use: Any) -> _Vars:
    s, n = c.shape, req.num_endpoints
    q, k_net, k = s["q"], s["k_net"], s["k"]
    per_switch = model.NewIntVar(0, k - k_net, f"p_{c.rank}")  # endpoints per switch, radix permitting
    on, switches = use, 2 * q * q
    model.Add(switches * per_switch >= n).OnlyEnforceIf(on)  # fewest p holding N
    model.Add(switches * per_switch <= n + switches - 1).OnlyEnforceIf(on)
    model.Add(per_switch == 0).OnlyEnforceIf(use.Not())
    r = req.bisection_ratio
    if r > 0:  # cut*port >= r * (N/2) * speed with N = 2q^2 p
        hi, lo = ceil(q / 2), q // 2
        cut = q * (hi * hi + lo * lo)
        bound = floor(cut * Fraction(c.switch.port_speed_gbps) / (r * q * q * Fraction(req.speed_gbps())))
        model.Add(per_switch <= bound).OnlyEnforceIf(on)
    if req.max_blast_radius is not None:
        model.Add(per_switch <= req.max_blast_radius).OnlyEnforceIf(on)  # a switch takes its p endpoints
    spare = _spare(req.spare_ports_percent)
    model.Add((spare.denominator - spare.numerator) * k >= spare.denominator * (k_net + per_switch)).OnlyEnforceIf(on)
    pr = c.prices
    links = q * q * (q - s["delta"]) // 2 + q**3
    cost = (switches * pr.switch_cents + links * pr.optical_link_cents) * use + switches * per_switch * pr.endpoint_cable_cents
    return _Vars(use, {"p": per_switch}, cost, switches * use, switches * per_switch)


_SUBMODELS = {"tree2": _tree, "tree3": _tree, "dragonfly": _dragonfly, "slim_fly": _slim_fly}


def _solution(solver: Any, entries: list[tuple[Candidate, Any]], objective: int) -> Solution:
    """The candidate the solver's last solution uses, with its sizing."""
    c, v = next((c, v) for c, v in entries if solver.BooleanValue(v.use))
    return Solution(
        candidate=c,
        size={key: int(solver.Value(var)) for key, var in v.size.items()},
        num_endpoints=int(solver.Value(v.endpoints)),
        num_switches=int(solver.Value(v.switches)),
        cost_cents=int(solver.Value(v.cost)),
        objective=objective,
    )


def solve(
    candidates: list[Candidate],
    req: Requirement,
    *,
    exclude: frozenset[int] = frozenset(),
    time_limit_s: float = 10.0,
    workers: int = 1,
    seed: int = 0,
) -> tuple[Solution | None, SolveStats]:
    """The best candidate (minus the ranks in ``exclude``) under the requirement's objective."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    chosen = [c for c in candidates if c.rank not in exclude]
    if not chosen:
        return None, SolveStats("infeasible", None, None, 0.0, 0)
    entries = []
    for c in chosen:
        use = model.NewBoolVar(f"use_{c.rank}")  # candidate c is the design
        entries.append((c, _SUBMODELS[c.kind](model, c, req, use)))
    model.AddExactlyOne(v.use for _, v in entries)
    total_cost = sum(v.cost for _, v in entries)
    if req.max_cost_usd is not None:
        model.Add(total_cost <= floor(req.max_cost_usd * 100))
    if req.objective == "cost":
        objective = total_cost
    elif req.objective == "switches":
        objective = sum(v.switches for _, v in entries)
    else:
        # the endpoints of a candidate are fixed by its ceilings, so per-endpoint cost is linear in cost
        terms = []
        for c, v in entries:
            # cost per endpoint in thousandths of a cent; the domain stays far from int64 overflow
            ceiling = 4 * -(-MILLI * c.cost_cents // c.num_endpoints) + MILLI
            per_endpoint = model.NewIntVar(0, ceiling, f"per_endpoint_{c.rank}")
            model.Add(per_endpoint * c.num_endpoints >= MILLI * v.cost)
            model.Add(per_endpoint * c.num_endpoints <= MILLI * v.cost + c.num_endpoints - 1)
            v.per_endpoint = per_endpoint
            terms.append(per_endpoint)
        objective = sum(terms)
    model.Minimize(objective)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.Solve(model)
    wall = solver.WallTime()
    if status == cp_model.MODEL_INVALID:  # a bug in this module, never bad input
        raise RuntimeError(f"invalid CP-SAT model: {model.Validate()}")
    names = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible", cp_model.INFEASIBLE: "infeasible"}
    name = names.get(status, "unknown")
    if name in ("infeasible", "unknown"):
        return None, SolveStats(name, None, None, wall, len(chosen))
    best = int(round(solver.ObjectiveValue()))
    bound = int(round(solver.BestObjectiveBound()))
    solution = _solution(solver, entries, best)
    if name == "optimal":
        # second pass: among equally good designs take the lowest rank, whatever order the search took
        model.Add(objective == best)
        model.Minimize(sum(c.rank * v.use for c, v in entries))
        model.ClearHints()
        solver.parameters.max_time_in_seconds = max(0.01, time_limit_s - wall)  # both passes share the limit
        status = solver.Solve(model)
        wall += solver.WallTime()
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            solution = _solution(solver, entries, best)
        if status != cp_model.OPTIMAL:  # the tie-break is not proven: the first pass's answer may stand
            name = "feasible"
    return solution, SolveStats(name, best, bound, wall, len(chosen))
