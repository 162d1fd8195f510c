"""The CP-SAT sizing model: choose one candidate shape and size it with integer variables.

The only module that imports OR-Tools (inside functions, so ``topoctl --help`` stays fast).

Per candidate a Boolean says "this is the design"; exactly one is true. Its family's sub-model
(``size_model`` in topologies/<module>) adds its sizing variables, zero when it is not chosen and
otherwise obeying the family's construction exactly: ceilings as two inequalities (x*d >= n and
x*d <= n + d - 1 is x = ceil(n/d)), so the solver reproduces the family's switch counts; port balance,
so no switch exceeds its radix; the bisection ratio, spare ports and cost where they are linear.
Constraints that are not linear in the variables (the family's ``closed_form_limits``) are evaluated
by the closed forms of its candidates, which prune candidates before the model is built.
Prices are integer cents. Ties are broken by a second, lexicographic solve on the candidate rank, so the
answer does not depend on the search order.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import floor
from typing import Any

from topoctl.requirement import Requirement
from topoctl.topologies.sizing import Candidate, SizedVars

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
    objective: int  # in the objective's unit: cents, switches, thousandths of a cent per endpoint, or milliwatts


@dataclass(frozen=True)
class SolveStats:
    status: str  # optimal, feasible, infeasible, unknown
    objective: int | None
    best_bound: int | None
    wall_time_s: float
    num_candidates: int


def _solution(solver: Any, entries: list[tuple[Candidate, SizedVars]], objective: int) -> Solution:
    """The candidate the solver's last solution uses, with its sizing."""
    c, v = next((c, v) for c, v in entries if solver.boolean_value(v.use))
    return Solution(
        candidate=c,
        size={key: int(solver.value(var)) for key, var in v.size.items()},
        num_endpoints=int(solver.value(v.endpoints)),
        num_switches=int(solver.value(v.switches)),
        cost_cents=int(solver.value(v.cost)),
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
    """The best candidate (minus the ranks in ``exclude``) under the requirement's objective.

    Candidates whose construction the model decides (``Candidate.decided``) make the model harder: the
    others are solved first, and their best answer bounds the full model and is its starting point, so
    the time limit never leaves a worse answer than the fixed shapes give (it is then "feasible"); the
    full model has half the time left."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    chosen = [c for c in candidates if c.rank not in exclude]
    if not chosen:
        return None, SolveStats("infeasible", None, None, 0.0, 0)
    fixed: tuple[Solution | None, SolveStats] | None = None
    if any(c.decided for c in chosen) and not all(c.decided for c in chosen):
        fixed = solve(chosen, req, exclude=frozenset(c.rank for c in chosen if c.decided),
                      time_limit_s=time_limit_s, workers=workers, seed=seed)
        # the decided constructions get half of what is left: the rest is for what follows (top K, the
        # other families of a comparison)
        time_limit_s = max(0.01, (time_limit_s - fixed[1].wall_time_s) / 2)
    request = req.sizing_request()
    entries = []
    for c in chosen:
        use = model.new_bool_var(f"use_{c.rank}")  # candidate c is the design
        entries.append((c, c.topology.size_model(model, c, request, use)))
    model.add_exactly_one(v.use for _, v in entries)
    total_cost = sum(v.cost for _, v in entries)
    if req.max_cost_usd is not None:
        model.add(total_cost <= floor(req.max_cost_usd * 100))
    # a candidate's sizing is fixed by its ceilings, so its power (closed form) is a constant of its Boolean
    total_power = sum(c.power_mw * v.use for c, v in entries)
    if req.max_power_kw is not None:
        model.add(total_power <= floor(req.max_power_kw * 1e6))
    if req.objective == "cost":
        objective = total_cost
    elif req.objective == "power":
        objective = total_power
    elif req.objective == "switches":
        objective = sum(v.switches for _, v in entries)
    else:
        # the endpoints of a candidate are fixed by its ceilings, so per-endpoint cost is linear in cost
        terms = []
        for c, v in entries:
            # cost per endpoint in thousandths of a cent; the domain stays far from int64 overflow
            ceiling = 4 * -(-MILLI * c.cost_cents // c.num_endpoints) + MILLI
            if c.decided:  # its closed-form cost bounds nothing: any cost the model allows
                ceiling = 2**62 // max(1, c.num_endpoints)
            per_endpoint = model.new_int_var(0, ceiling, f"per_endpoint_{c.rank}")
            model.add(per_endpoint * c.num_endpoints >= MILLI * v.cost)
            model.add(per_endpoint * c.num_endpoints <= MILLI * v.cost + c.num_endpoints - 1)
            terms.append(per_endpoint)
        objective = sum(terms)
    incumbent = fixed[0] if fixed is not None else None
    if incumbent is not None:
        model.add(objective <= incumbent.objective)
        for c, v in entries:
            model.add_hint(v.use, c.rank == incumbent.candidate.rank)
    model.minimize(objective)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    wall = solver.wall_time + (fixed[1].wall_time_s if fixed is not None else 0.0)
    if status == cp_model.MODEL_INVALID:  # a bug in this module, never bad input
        raise RuntimeError(f"invalid CP-SAT model: {model.validate()}")
    names = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible", cp_model.INFEASIBLE: "infeasible"}
    name = names.get(status, "unknown")
    if name == "unknown" and incumbent is not None:  # out of time: the fixed shapes' answer, not proven
        bound = int(round(solver.best_objective_bound)) if solver.best_objective_bound else None
        return incumbent, SolveStats("feasible", incumbent.objective, bound, wall, len(chosen))
    if name in ("infeasible", "unknown"):
        return None, SolveStats(name, None, None, wall, len(chosen))
    best = int(round(solver.objective_value))
    bound = int(round(solver.best_objective_bound))
    solution = _solution(solver, entries, best)
    if name == "optimal":
        # second pass: among equally good designs take the lowest rank, whatever order the search took
        model.add(objective == best)
        model.minimize(sum(c.rank * v.use for c, v in entries))
        model.clear_hints()
        solver.parameters.max_time_in_seconds = max(0.01, time_limit_s - wall)  # both passes share the limit
        status = solver.solve(model)
        wall += solver.wall_time
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            solution = _solution(solver, entries, best)
        if status != cp_model.OPTIMAL:  # the tie-break is not proven: the first pass's answer may stand
            name = "feasible"
        else:
            # then the winner's own tie-breaks, each minimised and fixed in turn (a decided construction)
            winner = next(v for c, v in entries if c.rank == solution.candidate.rank)
            model.add(winner.use == 1)
            for tiebreak in winner.tiebreaks:
                model.minimize(tiebreak)
                solver.parameters.max_time_in_seconds = max(0.01, time_limit_s - wall)
                status = solver.solve(model)
                wall += solver.wall_time
                if status != cp_model.OPTIMAL:
                    name = "feasible"
                    break
                model.add(tiebreak == int(round(solver.objective_value)))
                solution = _solution(solver, entries, best)
    return solution, SolveStats(name, best, bound, wall, len(chosen))
