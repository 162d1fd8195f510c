"""Sizing end to end: enumerate, solve, rebuild through the library, check, or explain infeasibility.

``size`` returns the K best distinct designs. Each is rebuilt with ``topoctl.design.resolve`` from an
ordinary DesignSpec and checked by code that does not use the solver: its cost in cents equals the
solver's, its switches per role equal the solver's sizing and the closed forms', and its report meets
every constraint of the requirement. A disagreement is a bug and raises SizingCheckError.

A minimum bisection ratio must be proven, not only not refuted: some families' closed-form bisections
are exact or lower bounds, others' only upper bounds (the report's bisection ``kind``). When one of
those wins, its bisection is bounded from below by the family's proven lower bound in closed form (a
congestion bound, or Fiedler's on a lambda_2 known from the graph's spectrum); no graph is built for
it. If that bound falls short, the design is set aside and the next best is solved.
"""

from __future__ import annotations

from bisect import bisect_left
from contextvars import ContextVar
from dataclasses import dataclass, replace
from fractions import Fraction
from math import ceil, floor, isfinite
from typing import Any

from topoctl.design import Design, resolve
from topoctl.errors import InfeasibleError, SizingCheckError, SizingTimeLimitError, SpecError
from topoctl.optimize.candidates import Enumeration, candidate_build, enumerate_candidates, enumerate_until, violations
from topoctl.optimize.model import MILLI, Solution, SolveStats, closed_form_objective, lower_bound_objective, solve
from topoctl.report import DesignReport, design_report
from topoctl.requirement import MAX_SIZED_ENDPOINTS, Requirement
from topoctl.spec import DesignSpec
from topoctl.topologies.base import BoundKind
from topoctl.topologies.sizing import Candidate, Deadline

__all__ = [
    "BisectionProof",
    "FamilySizing",
    "SizingSummary",
    "SizedDesign",
    "SizingResult",
    "InfeasibleError",
    "SizingCheckError",
    "prove_bisection",
    "proven_bisection",
    "size",
    "size_each_family",
    "sized_spec",
    "violations",
]

RATIO_TOLERANCE = 1e-6  # slack for float arithmetic in a rebuilt ratio (the output shows 6 decimals)


@dataclass(frozen=True)
class BisectionProof:
    """A lower bound on the bisection ratio and how it was obtained."""

    lower_bound_ratio: float
    method: str


@dataclass(frozen=True)
class SizingSummary:
    """The solver's figures for one sized design, as a report's ``sizing`` section."""

    status: str
    objective: str  # Requirement.objective
    objective_value: int | None  # the solver's integer objective: cents, switches, cents/MILLI per endpoint, or mW
    best_bound: int | None
    solve_time_s: float | None  # None unless asked for: it differs run to run
    num_candidates: int
    requested_endpoints: int
    note: str
    bisection_proof: BisectionProof | None
    stopped: str = ""  # where the time limit ended the enumeration of shapes ("": every shape was enumerated)
    closed_form: bool = False  # the solver found no design in time: the best shape by its closed forms

    def gap(self) -> float | None:
        """(objective - best bound) / objective: 0 when proven optimal; None without both figures."""
        if self.objective_value is None or self.best_bound is None:
            return None
        if self.objective_value <= 0:
            return 0.0
        return round(max(0, self.objective_value - self.best_bound) / self.objective_value, 6)

    def as_dict(self) -> dict[str, Any]:
        proof = self.bisection_proof
        return {
            "status": self.status,
            "objective": self.objective,
            "objective_value": _objective_value(self.objective, self.objective_value),
            "best_bound": _objective_value(self.objective, self.best_bound),
            "gap": self.gap(),
            **({"solve_time_s": round(self.solve_time_s, 3)} if self.solve_time_s is not None else {}),
            "num_candidates": self.num_candidates,
            "requested_endpoints": self.requested_endpoints,
            "note": self.note,
            **({"enumeration_stopped": self.stopped} if self.stopped else {}),
            **({"picked_by_closed_forms": True} if self.closed_form else {}),
            "bisection_proof": None if proof is None else {
                "lower_bound_ratio": round(proof.lower_bound_ratio, 6),
                "method": proof.method,
            },
        }


@dataclass(frozen=True)
class SizedDesign:
    design: Design
    solution: Solution
    stats: SolveStats
    bisection_proof: BisectionProof | None = None

    def note(self) -> str:
        """Per-tier counts in one line."""
        c = replace(self.solution.candidate, size=self.solution.size)
        n, switches = self.solution.num_endpoints, self.solution.num_switches
        head = f"{n:,} endpoint{'s' * (n != 1)} on {switches:,} switch{'es' * (switches != 1)}"
        roles = c.per_tier()
        if list(roles) != ["switch"]:  # one role named switch says nothing the head does not
            head += f" ({', '.join(f'{count:,} {role}' for role, count in roles.items())})"
        return f"{head}; {c.shape_note()}"

    def sizing_summary(self, req: Requirement, timings: bool = False) -> SizingSummary:
        """The solver's figures; the solve time only with ``timings`` (it differs run to run, and the
        same input must give the same bytes)."""
        stats = self.stats
        return SizingSummary(
            status=stats.status,
            objective=req.objective,
            objective_value=stats.objective,
            best_bound=stats.best_bound,
            solve_time_s=stats.wall_time_s if timings else None,
            num_candidates=stats.num_candidates,
            requested_endpoints=req.num_endpoints,
            note=self.note(),
            bisection_proof=self.bisection_proof,
            stopped=stats.stopped,
            closed_form=stats.closed_form,
        )

    def spec(self, req: Requirement) -> DesignSpec:
        """The design as a spec that resolves to it (the one ``rebuild`` resolved)."""
        return sized_spec(self.solution, req)

    def report(self, req: Requirement, timings: bool = False) -> DesignReport:
        """The design's normal report with the solver's figures under ``sizing``."""
        return replace(design_report(self.design), sizing=self.sizing_summary(req, timings))


@dataclass(frozen=True)
class SizingResult:
    """The designs found, best first; ``requested`` of them were asked for. ``stopped`` says how the time
    limit ended the list before ``requested`` ("" when it did not: fewer designs then means no more exist)."""

    requirement: Requirement
    designs: list[SizedDesign]
    requested: int = 1
    stopped: str = ""

    @property
    def best(self) -> SizedDesign:
        return self.designs[0]

    def cut_short(self) -> dict[str, Any] | None:
        """How many of the requested designs were found and why the time limit ended the list there; None
        when it did not."""
        if not self.stopped:
            return None
        return {"requested": self.requested, "found": len(self.designs), "reason": self.stopped}


def _objective_value(objective: str, value: int | None) -> float | int | None:
    if value is None:
        return None
    if objective == "switches":
        return value
    if objective == "power":
        kw = round(value / 1e6, 3)
        return int(kw) if kw.is_integer() else kw
    usd = round(value / 100, 2) if objective == "cost" else round(value / (100 * MILLI), 5)
    return int(usd) if usd.is_integer() else usd


ENUMERATION_SHARE = 0.8  # of the time left: a time-limited enumeration leaves the rest to solve what it found


def _model_candidates(req: Requirement, top: int = 1, deadline: Deadline | None = None) -> Enumeration:
    """Candidates for the model, with whether they are every shape (with ``deadline``, those enumerated in
    ENUMERATION_SHARE of the time left): those the closed forms do not rule out for a constraint the
    model cannot state (the family's ``closed_form_limits``), one per built design (shapes that differ
    only in unused ports build the same switches and cables at the same cost), minus any that ``top``
    others dominate (no worse in the objective and in feasibility, better in one or earlier in rank),
    since those can never be among the ``top`` best. Keeps the model small."""
    kept = []
    fails = {}  # rank -> whether the closed forms say the model's own constraints reject it
    shapes: set[tuple[Any, ...]] = set()
    decided = []  # the solver decides their construction: their closed forms bound nothing from below
    power = req.objective == "power" or req.max_power_kw is not None
    request = req.sizing_request()
    # shapes that ``top`` earlier ones dominate are left out as they are enumerated (CostBound)
    found = (enumerate_until(req, deadline.portion(ENUMERATION_SHARE), keep=top) if deadline is not None
             else Enumeration(enumerate_candidates(req, keep=top)))
    for c in found.candidates:
        if c.decided:
            if c.powers is not None or not power:  # a model without power cannot be held to power
                decided.append(c)
            continue
        broken = violations(c, req, request).keys()
        if not c.topology.closed_form_limits & broken:
            shape = candidate_build(c)
            if shape in shapes:
                continue  # an earlier rank builds the same; it wins any tie, so this one never shows
            shapes.add(shape)
            kept.append(c)
            fails[c.rank] = int(bool(broken))
    admitted = sorted((closed_form_objective(o, req.objective), o.rank) for o in kept if not fails[o.rank])
    decided = [c for c in decided if not _bounded_out(c, admitted, req, top)]
    if len(kept) <= top:
        return replace(found, candidates=sorted(kept + decided, key=lambda c: c.rank))
    # Columns, lower is better: the objective, then "breaks a constraint the model enforces". A cheap
    # candidate that breaks one stays (the solver must reject it); a costlier one never matters.
    columns = [lambda c: closed_form_objective(c, req.objective), lambda c: fails[c.rank]]
    # Sorted lexicographically, every dominator comes first; and a candidate with ``top`` dominators has
    # ``top`` among the kept ones (dominance is transitive), so comparing with the kept ones suffices.
    rows = sorted((tuple(column(c) for column in columns), c.rank, c) for c in kept)
    frontier: list[tuple[tuple[Any, ...], int]] = []
    out = []
    for metrics, rank, c in rows:
        dominators = 0
        for other, other_rank in frontier:
            if all(a <= b for a, b in zip(other, metrics, strict=True)) and (other != metrics or other_rank < rank):
                dominators += 1
                if dominators >= top:
                    break
        if dominators < top:
            frontier.append((metrics, rank))
            out.append(c)
    return replace(found, candidates=sorted(out + decided, key=lambda c: c.rank))


def _bounded_out(c: Candidate, admitted: list[tuple[int, int]], req: Requirement, top: int) -> bool:
    """Whether ``top`` candidates the model's constraints admit (by their closed forms; ``admitted``, their
    sorted (objective, rank)) are better than any construction of the decided candidate ``c`` can be (its
    lower bound), or as good and earlier in rank."""
    return bisect_left(admitted, (lower_bound_objective(c, req.objective), c.rank)) >= top


def size(req: Requirement, *, top: int = 1, time_limit_s: float = 10.0, workers: int = 1, seed: int = 0,
         deadline: Deadline | None = None, explain: bool = True) -> SizingResult:
    """The ``top`` best distinct designs meeting ``req``; InfeasibleError if there is none (its message
    explain_infeasible's, or empty without ``explain``: the caller explains it later). The time limit
    (or ``deadline``, shared by several calls) bounds the enumeration and every solve together. When it
    passes after a design was found, the designs found by then are the answer, fewer than ``top``, with
    why the list stopped (``SizingResult.stopped``); when the solver finds no first design in time, the best
    shape by its closed forms is (``_closed_form_pick``); SizingTimeLimitError only when there is neither."""
    if deadline is None:
        deadline = Deadline.after(_time_limit(time_limit_s))
    found = _model_candidates(req, top, deadline)
    candidates = found.candidates
    designs: list[SizedDesign] = []
    excluded: set[int] = set()
    unproven: list[str] = []  # winners whose bisection could not be proven, as "what and why"
    stopped = ""  # why the time limit ended the list before ``top`` designs
    while len(designs) < top:
        if designs or excluded:  # the first solve always runs: an enumeration cut short left it its share
            if designs and deadline.remaining_s() < 0:
                stopped = f"the {deadline.limit_s:g} s time limit passed before design {len(designs) + 1} was solved"
                break
            deadline.check("solving")
        solution, stats = solve(candidates, req, exclude=frozenset(excluded),
                                time_limit_s=max(0.01, deadline.remaining_s()), workers=workers, seed=seed)
        if solution is None and stats.status == "unknown" and not designs:
            # out of time before the solver's first design: the closed forms still know one, checked like any
            solution = _closed_form_pick(candidates, req, excluded)
            if solution is not None:
                stats = replace(stats, status="feasible", objective=solution.objective, best_bound=None,
                                closed_form=True)
        if solution is None:
            limit = f"the {deadline.limit_s:g} s time limit"
            if designs:
                if stats.status == "unknown":  # the solver ran out of time before finding the next design
                    stopped = f"{limit} passed while solving for design {len(designs) + 1}"
                elif not found.complete:  # shapes never enumerated may hold more designs
                    stopped = f"{limit} ended the enumeration of shapes while {found.stopped}"
                break  # otherwise fewer than ``top`` distinct designs exist
            if not found.complete:
                why = ("none of the shapes enumerated by then meets the requirement" if stats.status == "infeasible"
                       else "no design was found in the time left")
                raise SizingTimeLimitError(
                    f"sizing passed its {deadline.limit_s:g} s time limit while {found.stopped}, and {why}; narrow the "
                    "request (a smaller radix, fewer --max-planes or --max-ports-per-endpoint) or raise --time-limit",
                    what=found.stopped)
            if stats.status == "unknown":
                raise SizingTimeLimitError(
                    f"no design found within the {deadline.limit_s:g} s time limit; allow more time (--time-limit)",
                    what="solving")
            if unproven:
                raise InfeasibleError(
                    f"no design for {req.num_endpoints:,} endpoints has a proven bisection ratio >= "
                    f"{float(req.bisection_ratio):g}: {'; '.join(unproven)}; lower min_bisection_ratio or allow "
                    "more tiers or planes"
                )
            raise InfeasibleError(explain_infeasible(req, deadline) if explain else "")
        if not found.complete:  # shapes never enumerated may be better: feasible, with no bound
            stats = replace(stats, status="feasible", best_bound=None, stopped=found.stopped)
        excluded.add(solution.candidate.rank)
        design = rebuild(solution, req)
        check(design, solution, req)
        proof = prove_bisection(design, req)
        if proof is not None and proof.lower_bound_ratio < float(req.bisection_ratio) - RATIO_TOLERANCE:
            unproven.append(
                f"{design.variant} reaches at most {design_report(design).bisection.ratio:.3f} and is "
                f"proven only >= {proof.lower_bound_ratio:.3f}"
            )
            continue
        designs.append(SizedDesign(design, solution, stats, proof))
    return SizingResult(req, designs, requested=top, stopped=stopped)


def _closed_form_pick(candidates: list[Candidate], req: Requirement, excluded: set[int]) -> Solution | None:
    """The best fixed shape (lowest objective, then rank) whose closed forms meet every constraint, as the
    solver would give it: a fixed shape's sizing is its closed form's (the model reproduces its ceilings),
    so it is a design; None when no such shape was enumerated."""
    request = req.sizing_request()
    admitted = [c for c in candidates if not c.decided and c.rank not in excluded and not violations(c, req, request)]
    if not admitted:
        return None
    c = min(admitted, key=lambda c: (closed_form_objective(c, req.objective), c.rank))
    return Solution(candidate=c, size=dict(c.size), num_endpoints=c.num_endpoints, num_switches=c.num_switches,
                    cost_cents=c.cost_cents, objective=closed_form_objective(c, req.objective))


def _time_limit(seconds: float) -> float:
    """``seconds`` if it is a time limit (finite and positive); SpecError otherwise."""
    if not isfinite(seconds) or seconds <= 0:
        raise SpecError(f"{seconds:g} is not a time limit; give a finite number of seconds above 0",
                        path="time_limit_s")
    return seconds


def prove_bisection(design: Design, req: Requirement) -> BisectionProof | None:
    """None when the report's figure is itself proven (no bisection constraint, or an exact or lower-bound
    closed form); otherwise the best proven lower bound (proven_bisection)."""
    if req.bisection_ratio <= 0 or design_report(design).bisection.kind is not BoundKind.UPPER_BOUND:
        return None
    return proven_bisection(design)


def proven_bisection(design: Design) -> BisectionProof:
    """A proven lower bound on the bisection ratio: the family's closed form (the report's proven
    bisection; every family states one for every design sizing can choose), else none, ratio 0."""
    proven = design_report(design).bisection.proven
    if proven is None:
        return BisectionProof(0.0, "no proven lower bound: the family states none for this design")
    return BisectionProof(proven.ratio, proven.method)


def rebuild(solution: Solution, req: Requirement) -> Design:
    """The chosen design through the normal library path (a DesignSpec resolved like any spec file)."""
    return resolve(sized_spec(solution, req))


def sized_spec(solution: Solution, req: Requirement) -> DesignSpec:
    """The chosen design as an ordinary design spec: family, parameters, the switch as resolved (model
    and figures; with a switch per tier, the lowest tier's, and each other role's that differs as its
    ``role_switches``), the endpoint speed and the requirement's prices."""
    c = replace(solution.candidate, size=solution.size, num_endpoints=solution.num_endpoints)
    roles = c.role_switches()  # where the tiers chose their own: the lowest's is the design's switch
    switch = next(iter(roles.values())) if roles else c.switch
    return DesignSpec(
        name=f"sized {c.family}",
        family=c.family,
        parameters=c.design_parameters(req.endpoints_per_node),
        endpoint_speed_gbps=req.speed_gbps(),
        switch=switch.spec(),
        role_switches={role: config.spec() for role, config in roles.items() if config != switch},
        prices=req.prices,
    )


def check(design: Design, solution: Solution, req: Requirement) -> None:
    """Independent check of a solver answer against the rebuilt design and the closed forms."""
    c = solution.candidate
    report = design_report(design)
    problems = []
    cents = round(design.cost.total_usd * 100)
    if cents != solution.cost_cents:
        problems.append(f"cost {cents} cents rebuilt vs {solution.cost_cents} solved")
    if solution.size != c.size and not c.decided:  # a decided candidate's sizing is the solver's choice
        problems.append(f"sizing {solution.size} solved vs {c.size} by closed form")
    roles = replace(c, size=solution.size).per_tier()
    if report.num_switches_by_role != roles:
        problems.append(f"switches {dict(report.num_switches_by_role)} rebuilt vs {roles} solved")
    if report.num_endpoints != solution.num_endpoints or solution.num_endpoints < req.num_endpoints:
        problems.append(
            f"endpoints {report.num_endpoints} rebuilt, {solution.num_endpoints} solved, {req.num_endpoints} asked"
        )
    expected = {
        "cost": cents,
        "switches": report.num_switches,
        "cost_per_endpoint": ceil(MILLI * cents / report.num_endpoints),
        "power": round(report.footprint.power_w * 1000),
    }[req.objective]
    if expected != solution.objective:
        problems.append(f"objective {solution.objective} solved vs {expected} rebuilt")
    if report.bisection.ratio < float(req.bisection_ratio) - RATIO_TOLERANCE:
        problems.append(f"bisection ratio {report.bisection.ratio:.6g} below {req.min_bisection_ratio}")
    if req.max_hops is not None and report.diameter_hops > req.max_hops:
        problems.append(f"diameter {report.diameter_hops} hops above {req.max_hops}")
    # the blast radius is over the fault domains that are one switch: those named as a switch role
    blast = report.blast_radius
    if req.max_blast_radius is not None and blast > req.max_blast_radius:
        problems.append(f"blast radius {blast} above {req.max_blast_radius}")
    total_ports = sum(count * model.radix for model, count in design.switches_by_model)
    used_ports = report.num_endpoint_links + 2 * report.num_switch_links
    if (Fraction(total_ports - used_ports, total_ports) * 100
            < Fraction(req.spare_ports_percent).limit_denominator(1000)):
        problems.append(f"spare ports {(total_ports - used_ports) / total_ports:.2%} below {req.spare_ports_percent}%")
    if req.max_cost_usd is not None and cents > floor(req.max_cost_usd * 100):
        problems.append(f"cost above {req.max_cost_usd}")
    if problems:
        raise SizingCheckError(f"sized design {c.label()} fails its check: {'; '.join(problems)}")


def _format(name: str, value: Any) -> str:
    if name == "families":
        return f"families including {value}"
    if name == "min_bisection_ratio":
        return f"min_bisection_ratio={floor(value * 10**6) / 10**6:g}"
    if name == "spare_ports_percent":
        return f"spare_ports_percent={floor(value * 1000) / 1000:g}"
    if name == "max_cost_usd":
        return f"max_cost_usd={ceil(value) / 100:,.2f}"
    if name == "max_power_kw":
        return f"max_power_kw={ceil(value / 1000) / 1000:,.3f}"
    return f"{name}={value:,}"


def _current(req: Requirement, name: str) -> str:
    value = getattr(req, name)
    return f"{name}={value}" if name != "families" else f"families={','.join(value)}"


_BETTER = {  # which needed value is the smallest relaxation
    "min_bisection_ratio": max,
    "spare_ports_percent": max,
}
_ORDER = ("max_tiers", "max_planes", "max_ports_per_endpoint", "max_hops", "max_blast_radius",
          "min_bisection_ratio", "spare_ports_percent", "max_cost_usd", "max_power_kw", "families")


# The universe of explain_infeasible by requirement less its families (the universe allows every family, so
# it is the same for each), shared by the explanations of one size_each_family call.
_UNIVERSES: ContextVar[dict[str, Enumeration] | None] = ContextVar("universes", default=None)


def _universe(req: Requirement, deadline: Deadline | None) -> Enumeration:
    """The shapes explain_infeasible weighs: every one within generous limits, or those enumerated before
    ``deadline`` passed (none if it passed before the first)."""
    shared = _UNIVERSES.get()
    key = req.model_dump_json(exclude={"families"})
    if shared is not None and key in shared:
        return shared[key]
    if deadline is None:
        found = Enumeration(enumerate_candidates(req, universe=True))
    else:
        try:
            found = enumerate_until(req, deadline, universe=True)
        except SizingTimeLimitError as exc:
            found = Enumeration([], complete=False, stopped=exc.what)
    if shared is not None:  # a part too: the deadline that ended it is shared, so it would end a second one
        shared[key] = found
    return found


def explain_infeasible(req: Requirement, deadline: Deadline | None = None) -> str:
    """One line: which constraints bind and the smallest single relaxation of each that admits a design.
    When ``deadline`` passes before every shape was weighed, the relaxations found by then, said to be
    perhaps not the smallest (the request is still proven infeasible: the explanation only comes after)."""
    radices = "/".join(str(r) for r in sorted({sw.radix for sw in req.switch_configs()}))
    head = f"no design for {req.num_endpoints:,} endpoints at radix {radices}"
    best: dict[str, Any] = {}
    closest: tuple[int, int, dict[str, Any]] | None = None
    request = req.sizing_request()
    universe = _universe(req, deadline)
    for c in universe.candidates:
        broken = violations(c, req, request)
        if len(broken) == 1:
            (name, value), = broken.items()
            if name == "families":
                best.setdefault(name, value)
            else:
                pick = _BETTER.get(name, min)
                best[name] = pick(best[name], value) if name in best else value
        elif broken and (closest is None or (len(broken), c.cost_cents) < closest[:2]):
            closest = (len(broken), c.cost_cents, broken)
    names = [n for n in _ORDER if n in best]
    binding = ", ".join(_current(req, n) for n in names)
    relax = " or ".join(_format(n, best[n]) for n in names)
    if not universe.complete:
        limit = f"the {deadline.limit_s:g} s time limit" if deadline is not None else "the time limit"
        if best:
            return (f"{head} meets {binding}; a relaxation that admits a design: {relax} (perhaps not the "
                    f"smallest: {limit} passed while {universe.stopped}; raise --time-limit for the smallest)")
        return (f"{head} meets the requirement; {limit} passed while {universe.stopped}, before a relaxation "
                "that admits a design was found; raise --time-limit to see the smallest relaxation")
    if not best and (whole := _whole_nodes(req, deadline)):
        return f"{head}: {whole}"
    if best:
        return f"{head} meets {binding}; smallest relaxation: {relax}"
    if closest is None:
        return f"{head}: no family fits even with 3 tiers and up to 64 planes; use a larger radix"
    needs = " and ".join(_format(n, v) for n, v in sorted(closest[2].items(), key=lambda kv: _ORDER.index(kv[0])))
    return f"{head} meets the requirement and no single relaxation suffices; the closest needs {needs}"


def _admits(req: Requirement, deadline: Deadline | None) -> bool:
    """Whether some candidate within ``req``'s own limits breaks none of its constraints: a design, so not a
    decided candidate without a starting point (its figures are zeros, not a design's)."""
    request = req.sizing_request()
    return any(not violations(c, req, request) for c in enumerate_candidates(req, deadline=deadline)
               if c.size or not c.decided)


def _whole_nodes(req: Requirement, deadline: Deadline | None) -> str | None:
    """Why ``req`` fails when the cause is its endpoints not filling whole nodes (multi-plane fabrics
    take whole nodes), with the changes that admit a design; None when that is not the cause."""
    n, g = req.num_endpoints, req.endpoints_per_node
    if req.endpoints is None or n % g == 0:
        return None
    try:
        sizes = [m for m in (n - n % g, n - n % g + g) if 0 < m <= MAX_SIZED_ENDPOINTS
                 and _admits(req.model_copy(update={"endpoints": m}), deadline)]
        fixes = [f"use {' or '.join(f'{m:,}' for m in sizes)} endpoints"] if sizes else []
        if _admits(req.model_copy(update={"endpoints_per_node": 1}), deadline):
            fixes.append("endpoints_per_node: 1")
    except SizingTimeLimitError:  # no time left to tell: the explanation goes on without this cause
        return None
    if not fixes:
        return None
    return (f"{n:,} endpoints is not a whole number of {g}-endpoint nodes: multi-plane designs need whole nodes; "
            f"{', or '.join(fixes)}")


@dataclass(frozen=True)
class FamilySizing:
    """One family's best design for a comparison's requirement, or why it has none: no design of the family
    meets the requirement, or (``timed_out``) the shared time limit passed before one was found."""

    family: str
    design: SizedDesign | None
    why: str = ""
    timed_out: bool = False


def size_each_family(req: Requirement, **options: Any) -> list[FamilySizing]:
    """The best design of each allowed family for the same requirement, under one time limit for them all:
    a family the limit leaves no time for (none once it has passed) is said to be timed out, not
    infeasible, and the others stand.
    Every family is sized before any infeasible one is explained, so explanations (which weigh every
    family's shapes) never take the time of a family's design."""
    out: list[FamilySizing] = []
    deadline = Deadline.after(_time_limit(options.pop("time_limit_s", 10.0)))  # one limit for the whole comparison
    for family in req.families:
        one = req.model_copy(update={"families": [family]})
        try:
            if out:  # the first family always starts; a later one only while time is left
                deadline.check("sizing the families before it")
            out.append(FamilySizing(family, size(one, deadline=deadline, explain=False, **options).best))
        except InfeasibleError as exc:
            out.append(FamilySizing(family, None, str(exc)))
        except SizingTimeLimitError as exc:
            out.append(FamilySizing(family, None, str(exc), timed_out=True))
    token = _UNIVERSES.set({})  # the families' explanations enumerate one universe once
    try:
        return [replace(row, why=explain_infeasible(req.model_copy(update={"families": [row.family]}), deadline))
                if row.design is None and not row.timed_out and not row.why else row for row in out]
    finally:
        _UNIVERSES.reset(token)
