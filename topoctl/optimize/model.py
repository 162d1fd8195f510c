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

import sys
import types
from dataclasses import dataclass
from math import floor
from typing import Any

from topoctl.optimize.candidates import nic_power_mw
from topoctl.requirement import Requirement
from topoctl.topologies.sizing import Candidate, SizedVars

__all__ = ["Solution", "SolveStats", "solve", "MILLI", "closed_form_objective", "lower_bound_objective"]

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
    stopped: str = ""  # where the time limit ended the enumeration, when it did: the answer is not proven
    closed_form: bool = False  # the solver found none in time: the best shape by its closed forms (result.size)


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

    Candidates whose construction the model decides (``Candidate.decided``) are hard models of their
    own: the fixed shapes are solved first in one model, then each decided candidate that its lower bound
    does not rule out in a model of its own, capped by the best answer so far, in half the time left
    (the rest is for what follows: top K, the other families of a comparison). An answer is "optimal" only
    when every one of those solves is proven (optimal, or infeasible under the cap); otherwise the best
    found is "feasible", with the lowest bound any unfinished solve left."""
    chosen = [c for c in candidates if c.rank not in exclude]
    if not chosen:
        return None, SolveStats("infeasible", None, None, 0.0, 0)
    decided = [c for c in chosen if c.decided]
    fixed = [c for c in chosen if not c.decided]
    if not decided:
        return _solve_model(chosen, req, None, time_limit_s, workers, seed)
    best, stats = (_solve_model(fixed, req, None, time_limit_s, workers, seed) if fixed
                   else (None, SolveStats("infeasible", None, None, 0.0, 0)))
    wall = stats.wall_time_s
    proven = stats.status in ("optimal", "infeasible")
    bounds: list[int | None] = [] if proven else [stats.best_bound]
    todo = [c for c in decided if best is None or _could_win(c, best, req)]
    budget = max(0.01, (time_limit_s - wall) / 2)
    for i, c in enumerate(todo):
        share = max(0.01, (budget - (wall - stats.wall_time_s)) / (len(todo) - i))
        found, one = _solve_model([c], req, best.objective if best is not None else None, share, workers, seed)
        wall += one.wall_time_s
        if found is not None and (best is None or (found.objective, c.rank) < (best.objective, best.candidate.rank)):
            best = found
        if one.status not in ("optimal", "infeasible"):
            proven = False
            # the candidate's own bound where the solver proved less (a family's rows bound it from below)
            bounds.append(None if one.best_bound is None
                          else max(one.best_bound, lower_bound_objective(c, req.objective)))
    if best is None:
        return None, SolveStats("infeasible" if proven else "unknown", None, None, wall, len(chosen))
    if proven:
        return best, SolveStats("optimal", best.objective, best.objective, wall, len(chosen))
    bound = None if None in bounds else min([best.objective, *(b for b in bounds if b is not None)])
    return best, SolveStats("feasible", best.objective, bound, wall, len(chosen))


def _cp_model() -> Any:
    """OR-Tools' CP-SAT module, imported without pandas when nothing has loaded pandas yet. cp_model imports
    pandas only for its Series helpers, which topoctl never calls, and pandas (with pyarrow) costs about
    0.3 s, a sixth of a sizing command. A stand-in holding the two names cp_model reads at import serves
    during the import and is removed after it, so whatever imports pandas later gets the real one. If the
    stand-in does not satisfy this OR-Tools version, the plain import."""
    if "pandas" in sys.modules or "ortools.sat.python.cp_model" in sys.modules:
        from ortools.sat.python import cp_model
        return cp_model
    stand_in = types.ModuleType("pandas", "stand-in while OR-Tools' cp_model is imported (topoctl.optimize.model)")
    stand_in.Index = type("Index", (), {})  # type: ignore[attr-defined]
    stand_in.Series = type("Series", (), {})  # type: ignore[attr-defined]
    sys.modules["pandas"] = stand_in
    try:
        from ortools.sat.python import cp_model

        return cp_model
    except Exception:  # a version that needs more of pandas at import: the plain import below
        pass
    finally:
        if sys.modules.get("pandas") is stand_in:
            del sys.modules["pandas"]
    from ortools.sat.python import cp_model as plain

    return plain


def _upper(model: Any, var: Any) -> int:
    """The largest value of integer variable ``var``'s domain in CP-SAT ``model``."""
    return int(list(model.proto.variables[var.index].domain)[-1])  # the proto's container reads [-1] as [0]


def _nic_mw(c: Candidate, req: Requirement) -> int:
    """The power of one endpoint's NICs (the catalog's choice for the candidate's ports per endpoint)."""
    return nic_power_mw(c.switch, req, c.ports_per_endpoint, 1)


def closed_form_objective(c: Candidate, objective: str) -> int:
    """``c``'s objective at its closed-form sizing, in the model's integer units."""
    return {"cost": c.cost_cents, "switches": c.num_switches, "power": c.power_mw,
            "cost_per_endpoint": -(-c.cost_cents * MILLI // c.num_endpoints)}[objective]


def lower_bound_objective(c: Candidate, objective: str) -> int:
    """The objective no construction of decided candidate ``c`` goes below (its ``lower_bound``; 0 without
    one, or for power, which the bound does not cover)."""
    if c.lower_bound is None or objective == "power":
        return 0
    switches, cents = c.lower_bound
    if objective == "cost_per_endpoint" and c.lower_bound_per_endpoint is not None:
        return c.lower_bound_per_endpoint
    return {"switches": switches, "cost": cents, "cost_per_endpoint": -(-cents * MILLI // c.num_endpoints)}[objective]


def _could_win(c: Candidate, best: Solution, req: Requirement) -> bool:
    """Whether decided candidate ``c``'s lower bound leaves it a chance against ``best``: a lower objective,
    or the same one at a lower rank (the tie-break)."""
    return (lower_bound_objective(c, req.objective), c.rank) < (best.objective, best.candidate.rank)


HINT_SHARE = 0.1  # of a model's time: completing its starting point into a hint of every variable


def _completed_start(cp_model: Any, model: Any, entries: list[tuple[Candidate, SizedVars]], solver: Any,
                     time_limit_s: float, objective: Any) -> tuple[float, Solution | None]:
    """(seconds spent, the start as a solution) of a decided candidate's starting point (its ``size``,
    hinted by its family) completed into a hint of every variable of ``model``: the model with the sizing
    fixed to it, solved for any solution (its products and Booleans then follow), in HINT_SHARE of the time.
    CP-SAT starts from a complete hint at once where its search allows; where a family orders the search
    itself and the solve finds nothing of its own in the time, the start is still the answer the solve
    cannot better. None when the start breaks the model (a cap it exceeds) or time runs out."""
    c, v = entries[0]
    if not c.decided or not c.size:
        return 0.0, None
    trial = model.clone()
    trial.clear_objective()
    for name, value in c.size.items():
        if name in v.size:
            trial.add(trial.get_int_var_from_proto_index(v.size[name].index) == value)
    solver.parameters.max_time_in_seconds = max(0.01, HINT_SHARE * time_limit_s)
    status = solver.solve(trial)
    wall = float(solver.wall_time)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return wall, None
    start = _solution(solver, entries, int(solver.value(objective)))  # variables share their indices
    model.clear_hints()
    for index in range(len(model.proto.variables)):
        value = solver.value(trial.get_int_var_from_proto_index(index))
        model.add_hint(model.get_int_var_from_proto_index(index), value)
    return wall, start


def _solve_model(chosen: list[Candidate], req: Requirement, cap: int | None, time_limit_s: float, workers: int,
                 seed: int) -> tuple[Solution | None, SolveStats]:
    """One CP-SAT model over ``chosen`` (objective at most ``cap`` when given), then the tie-breaks."""
    cp_model = _cp_model()
    model = cp_model.CpModel()
    request = req.sizing_request()
    entries = []
    for c in chosen:
        use = model.new_bool_var(f"use_{c.rank}")  # candidate c is the design
        entries.append((c, c.topology.size_model(model, c, request, use)))
    model.add_exactly_one(v.use for _, v in entries)
    total_cost = sum(v.cost for _, v in entries)
    if req.max_cost_usd is not None:
        model.add(total_cost <= floor(req.max_cost_usd * 100))
    # a fixed shape's sizing is fixed by its ceilings, so its power (closed form) is a constant of its Boolean;
    # a decided construction's is the model's expression, plus a NIC per endpoint (its ports fixed)
    total_power = sum(c.power_mw * v.use if v.power is None else v.power + _nic_mw(c, req) * v.endpoints
                      for c, v in entries)
    if req.max_power_kw is not None:
        model.add(total_power <= floor(req.max_power_kw * 1e6))
    if req.objective == "cost":
        objective = total_cost
    elif req.objective == "power":
        objective = total_power
    elif req.objective == "switches":
        objective = sum(v.switches for _, v in entries)
    else:
        # a fixed candidate's endpoints are fixed by its ceilings, so per-endpoint cost is linear in cost
        terms = []
        for c, v in entries:
            # cost per endpoint in thousandths of a cent; the domain stays far from int64 overflow
            ceiling = 4 * -(-MILLI * c.cost_cents // c.num_endpoints) + MILLI
            if c.decided and not v.variable_endpoints:  # its closed-form cost bounds nothing: the model's does
                ceiling = (MILLI * _upper(model, v.cost) + c.num_endpoints) // c.num_endpoints + 1
            if v.variable_endpoints:  # the construction decides the endpoints (an integer variable): a product
                # cost and endpoints are integer variables here: their domains bound the product
                spent_most = MILLI * _upper(model, v.cost) + _upper(model, v.endpoints)
                # at least the requested endpoints when used: the product stays within 64 bits
                per_endpoint = model.new_int_var(0, spent_most // max(1, req.num_endpoints) + 1,
                                                 f"per_endpoint_{c.rank}")
                spent = model.new_int_var(0, spent_most, f"per_endpoint_spent_{c.rank}")
                model.add_multiplication_equality(spent, [per_endpoint, v.endpoints])
                model.add(spent >= MILLI * v.cost).only_enforce_if(v.use)
                model.add(spent <= MILLI * v.cost + v.endpoints - 1).only_enforce_if(v.use)
                model.add(per_endpoint == 0).only_enforce_if(v.use.negated())
                terms.append(per_endpoint)
                continue
            per_endpoint = model.new_int_var(0, ceiling, f"per_endpoint_{c.rank}")
            model.add(per_endpoint * c.num_endpoints >= MILLI * v.cost)
            model.add(per_endpoint * c.num_endpoints <= MILLI * v.cost + c.num_endpoints - 1)
            terms.append(per_endpoint)
        objective = sum(terms)
    if cap is not None:
        model.add(objective <= cap)
    model.minimize(objective)

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    wall, start = (_completed_start(cp_model, model, entries, solver, time_limit_s, objective) if len(entries) == 1
                   else (0.0, None))
    solver.parameters.max_time_in_seconds = max(0.01, time_limit_s - wall)
    status = solver.solve(model)
    wall += solver.wall_time
    if status == cp_model.MODEL_INVALID:  # a bug in this module, never bad input
        raise RuntimeError(f"invalid CP-SAT model: {model.validate()}")
    names = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible", cp_model.INFEASIBLE: "infeasible"}
    name = names.get(status, "unknown")
    if name == "unknown" and start is not None:  # no better design in time: the start, unproven
        least = min(start.objective, int(round(solver.best_objective_bound)))
        return start, SolveStats("feasible", start.objective, least, wall, len(chosen))
    if name in ("infeasible", "unknown"):
        unproven = int(round(solver.best_objective_bound)) if name == "unknown" and cap is not None else None
        return None, SolveStats(name, None, unproven, wall, len(chosen))
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
