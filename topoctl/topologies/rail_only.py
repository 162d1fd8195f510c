"""Rail-only network: rails with no spine between them, cross-rail traffic forwarded in the scale-up domain.

Reference: W. Wang, M. Ghobadi, K. Shakeri, Y. Zhang, N. Hasani, "Rail-only: A Low-Cost High-Performance
Network for Training LLMs with Trillion Parameters", IEEE Hot Interconnects 2024 (arXiv 2307.12169): GPUs
in high-bandwidth (HB) domains of K GPUs (NVLink and NVSwitch: 8 on an HGX board, up to 256 with GH200);
rail i joins GPU i of every HB domain through its own switches; the spine layer of a rail-optimized
fabric is removed, and traffic between rails first crosses the HB domain to the GPU on the destination's
rail, then takes that rail (one NVLink hop, then the rail network).

Symbols: ``K`` GPUs per HB (scale-up) domain, which is also the node here (``node_size``); ``P`` rails
(the paper: P = K, GPU i on rail i; P may be any divisor of K, GPU i then on rail i mod P); ``N``
endpoints (N/K domains), n_r = N/P per rail; per rail ``k``, ``tiers``, ``oversubscription`` as for
fat_tree; ``B`` the scale-up bandwidth per GPU, each direction (``scale_up_gbps``; default 3,600 Gb/s,
an H100's 450 GB/s of NVLink each way; an H800's is 1,600, 200 GB/s).

The switch graph: P disjoint rails ``rail<r>-...``, each a plane (``num_planes``): one switch
``rail<r>-leaf-0`` when the rail's n_r endpoints fit on k ports (tiers 1), else the fat tree of n_r
endpoints (FatTree: ``rail<r>-leaf-<i>``, ``rail<r>-spine-<j>``; three tiers in pods). No cable joins two
rails: connectivity between rails exists only through the scale-up domains, which are not in the graph.
So every figure of the graph is per rail, as for multiplane_fat_tree's planes:
- hops: the rail's diameter (0, 2 or 4); a cross-rail flow adds one scale-up hop before it.
- bisection (kind exact): the cut is the sum over rails of each rail's minimum endpoint-balanced
  bisection (a balanced split of every rail's endpoints; scale-up links not counted): one switch cuts
  (r/c)*floor(n_r/2), its endpoint links (any split leaves the switch on one side); a fat-tree rail its
  exact closed form (FatTree.bisection).
- fault domains: a switch, a pod, a whole rail take their endpoints' only port (disconnected on the graph);
  with forwarding through the scale-up domain (the design's premise) they stay reachable, degraded
  (``topoctl faults --node-forwarding``).
- throughput: per rail the fat tree's closed forms (``tree_plane``), capped by the scale-up domain
  (``scale_up_domain``; topoctl.metrics.throughput.scale_up_caps): all-to-all theta <= B/(r*s) with
  s = ((K-1) + (N-K)(1-1/P))/(N-1) the share of an endpoint's traffic crossing its scale-up port
  (N(K-1)/(K(N-1)) for P = K), worst-case permutations B/r, MoE dispatch B*K/(r*(K-1)).

Example: 8 rails of one 64-port switch hold 512 GPUs with no cable between switches:
    >>> ro = RailOnly.from_parameters(RailOnly.Parameters(endpoints=512), radix=64)
    >>> ro.counts().num_switches, ro.counts().num_switch_links, ro.diameter_hops()
    (8, 0, 0)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from topoctl.errors import SpecError
from topoctl.topologies.base import (
    MAX_ENDPOINTS,
    Bisection,
    BoundKind,
    Counts,
    FamilyParameters,
    FaultDomain,
    ScaleUp,
    Topology,
    check_endpoints,
    counted,
)
from topoctl.topologies.fat_tree import FatTree, FatTreeParameters, TreeConstruction, leaf_split
from topoctl.topologies.sizing import Candidate, Deadline, Prices, SizedVars, SizingRequest, SwitchConfig, ratio

if TYPE_CHECKING:
    from topoctl.topologies.graph import SwitchGraph

__all__ = ["RailOnly", "RailOnlyParameters"]

H100_NVLINK_GBPS = 3600.0  # 450 GB/s each way per GPU (NVLink 4, 18 links x 25 GB/s)


class RailOnlyParameters(FamilyParameters):
    """``scale_up_domain`` K, GPUs per HB domain (default 8); ``rails`` P, a divisor of K (default K);
    ``k`` ports per switch used (default: the radix); ``tiers`` of every rail, 1 (one switch), 2 or 3
    (default: the fewest that hold the rail, two with ``endpoints`` unset); ``oversubscription`` the rail
    leaves' down:up ratio; ``endpoints`` N, whole domains (default: full two-tier rails);
    ``scale_up_gbps`` B, scale-up bandwidth per GPU each way (default 3,600: H100 NVLink);
    ``construction`` every rail's three-tier tree as fat_tree's (pods, cable multiplicities, core groups)."""

    scale_up_domain: int = Field(default=8, ge=1, le=1024)
    rails: int | None = Field(default=None, ge=1, le=1024)
    k: int | None = Field(default=None, ge=2, le=4096)
    tiers: Literal[1, 2, 3] | None = None
    oversubscription: float = Field(default=1.0, gt=0, le=4096)
    endpoints: int | None = Field(default=None, ge=1, le=MAX_ENDPOINTS)
    scale_up_gbps: float = Field(default=H100_NVLINK_GBPS, ge=1, le=1e7)
    construction: TreeConstruction | None = None

    @field_validator("tiers", mode="before")
    @classmethod
    def _tiers_not_bool(cls, value: Any) -> Any:
        """A bool equals 1 or 0 in Python, so Literal[1, ...] would take ``true`` as one tier: refuse it."""
        if isinstance(value, bool):
            raise PydanticCustomError("literal_error", "Input should be 1, 2 or 3", {"expected": "1, 2 or 3"})
        return value


@dataclass(frozen=True)
class RailOnly(Topology):
    """P rails of one switch or one fat tree each, no spine between them (see the module docstring).

    Example: rails of two-tier trees are a multi-plane fat tree with one GPU per plane per domain:
        >>> ro = RailOnly.from_parameters(RailOnly.Parameters(scale_up_domain=2, k=4), radix=4)
        >>> ro.counts().num_switches_by_role, ro.num_endpoints, ro.build().names[:2]
        ({'leaf': 8, 'spine': 4}, 16, ('rail0-leaf-0', 'rail0-leaf-1'))
    """

    family = "rail_only"
    summary = "rail-only (Wang et al. 2024): rails with no spine between them, cross-rail traffic over NVLink"
    Parameters = RailOnlyParameters

    domain: int
    num_rails: int
    k: int
    num_endpoints: int
    scale_up_gbps: float
    plane: FatTree | None  # the fat tree of one rail; None: one switch per rail

    @classmethod
    def from_parameters(cls, params: RailOnlyParameters, radix: int, *, formula_only: bool = False) -> RailOnly:
        domain = params.scale_up_domain
        rails = params.rails if params.rails is not None else domain
        if rails > domain or domain % rails:
            divisors = [str(d) for d in range(1, domain + 1) if domain % d == 0]
            raise SpecError(f"{rails} rails must divide the scale-up domain of {domain} GPUs: valid "
                            f"{', '.join(divisors)} ({domain}: GPU i on rail i)", path="rails")
        k = params.k if params.k is not None else radix
        if k > radix:
            raise SpecError(f"k={k} exceeds the switch radix {radix}; use k <= {radix}", path="k")
        over, built = params.oversubscription, params.construction
        if built is not None and params.tiers not in (None, 3):
            raise SpecError(f"a construction builds three-tier rails, not {params.tiers}; use tiers: 3 or leave it "
                            "out", path="tiers")
        if params.endpoints is None:
            tiers: int = 3 if built is not None else params.tiers or 2
            n = rails * cls.max_per_rail(k, tiers, over, built) // domain * domain
        else:
            n = params.endpoints
        check_endpoints(n, f"{rails} rails", "endpoints")
        if n % domain:
            raise SpecError(f"{n} is not a whole number of {domain}-GPU scale-up domains", path="endpoints")
        per_rail = n // rails
        if params.endpoints is not None:
            tiers = 3 if built is not None else params.tiers or next(
                (t for t in (1, 2) if per_rail <= cls.max_per_rail(k, t, over)), 3)
        limit = cls.max_per_rail(k, tiers, over, built)
        if per_rail > limit:
            hint = "more tiers" if tiers < 3 else "more rails or a larger radix"
            raise SpecError(
                f"{n} endpoints put {per_rail} on each of {rails} rails, above the {tiers}-tier rail maximum {limit} "
                f"at k={k}; use at most {rails * limit // domain * domain}, or {hint}",
                path="endpoints",
            )
        plane = None
        if tiers > 1:
            # a construction sets the leaf ports: oversubscription passes on only when given, for its error
            shape: dict[str, Any] = {"construction": built} if built is not None else {}
            if built is None or "oversubscription" in params.model_fields_set:
                shape["oversubscription"] = over
            rail = FatTreeParameters(k=k, tiers=2 if tiers == 2 else 3, endpoints=per_rail, **shape)
            plane = FatTree.from_parameters(rail, radix)  # a construction's errors name its fields, as here
        return cls(radix=radix, domain=domain, num_rails=rails, k=k, num_endpoints=n,
                   scale_up_gbps=params.scale_up_gbps, plane=plane)

    @staticmethod
    def max_per_rail(k: int, tiers: int, oversubscription: float, construction: TreeConstruction | None = None) -> int:
        """Endpoints one rail holds: k on one switch; FatTree.max_endpoints with two or three tiers; every
        free edge port of a construction's P*E edges."""
        if tiers == 1:
            return k
        if construction is not None:
            up = construction.aggregations_per_pod * construction.edge_aggregation_links
            return max(0, construction.pods * construction.edges_per_pod * (k - up))
        down, _ = leaf_split(k, oversubscription, tiers)
        return FatTree.max_endpoints(k, tiers, down)

    # -- structure ---------------------------------------------------------------------------------
    @property
    def tiers(self) -> int:
        return 1 if self.plane is None else self.plane.tiers

    @property
    def per_rail(self) -> int:
        return self.num_endpoints // self.num_rails

    def num_planes(self) -> int:
        return self.num_rails

    def rails(self) -> int:
        return self.num_rails

    node_size_parameter = "scale_up_domain"  # the node is the scale-up domain

    def node_size(self) -> int:
        return self.domain

    def scale_up_domain(self) -> ScaleUp:
        return ScaleUp(self.domain, self.scale_up_gbps)

    def analysed_plane(self) -> Topology:
        """One rail: its fat tree, or a one-rail design of one switch."""
        if self.plane is not None:
            return self.plane
        return replace(self, domain=self.domain // self.num_rails, num_rails=1, num_endpoints=self.per_rail)

    def tree_plane(self) -> FatTree | None:
        return self.plane

    @classmethod
    def examples(cls) -> tuple[dict[str, Any], ...]:
        """Small variants for the family contract test (``Topology.examples``)."""
        return (
            dict(scale_up_domain=4, k=8, endpoints=24),  # 4 rails of one switch
            dict(scale_up_domain=2, k=4),  # 2 rails of the full two-tier tree
            dict(scale_up_domain=4, rails=2, k=4, endpoints=12),  # 2 rails of 2 GPUs per domain
            dict(scale_up_domain=2, k=4, tiers=3, endpoints=20),
            dict(scale_up_domain=2, k=8, tiers=2, oversubscription=3.0, endpoints=36),
            dict(scale_up_domain=1, k=4, tiers=1),  # one rail: one switch
            dict(scale_up_domain=2, k=4, endpoints=16, construction=dict(  # rails of a constructed tree
                pods=2, edges_per_pod=2, aggregations_per_pod=2, edge_aggregation_links=1,
                aggregations_per_core_group=1, cores_per_group=2, aggregation_core_links=1)),
        )

    @property
    def variant(self) -> str:
        return self.variant_on({})

    def variant_on(self, radix_by_role: Mapping[str, int]) -> str:
        """Every rail is the same tree, its roles the design's."""
        rail = "one switch" if self.plane is None else self.plane.variant_on(radix_by_role)
        between = ", no spine between rails" if self.num_rails > 1 else ""
        return (f"{counted(self.num_rails, 'rail')} of {rail}{between}; scale-up domains of "
                f"{counted(self.domain, 'GPU')} "
                f"at {self.scale_up_gbps:g} Gb/s each way carry cross-rail traffic")

    def parameters(self) -> dict[str, Any]:
        gbps = self.scale_up_gbps
        out: dict[str, Any] = {
            "scale_up_domain": self.domain,
            "rails": self.num_rails,
            "k": self.k,
            "tiers": self.tiers,
            "endpoints": self.num_endpoints,
            "scale_up_gbps": int(gbps) if gbps == int(gbps) else gbps,
            "domains": self.num_endpoints // self.domain,
            "endpoints_per_rail": self.per_rail,
        }
        if self.plane is not None:
            plane = self.plane.parameters()
            out.update(oversubscription=plane["oversubscription"], leaf_down_ports=plane["leaf_down_ports"],
                       leaf_up_ports=plane["leaf_up_ports"])
            if "construction" in plane:
                out["construction"] = plane["construction"]
        return out

    # -- closed forms --------------------------------------------------------------------------------
    def counts(self) -> Counts:
        p = self.num_rails
        if self.plane is None:
            return Counts(self.num_endpoints, {"leaf": p}, (), num_endpoint_links=self.num_endpoints)
        one = self.plane.counts()
        return Counts(
            self.num_endpoints,
            {role: p * n for role, n in one.num_switches_by_role.items()},
            tuple(replace(g, count=p * g.count) for g in one.link_groups),
            num_endpoint_links=self.num_endpoints,
        )

    def diameter_hops(self) -> int:
        """Within one rail (the graph has no path between rails): 0 on one switch, else the rail tree's."""
        return 0 if self.plane is None else self.plane.diameter_hops()

    def bisection(self, endpoint_link_cables: float = 1.0) -> Bisection:
        """Exact, summed over the P rails (the cut definition of the module docstring): one switch per rail
        (r/c)*floor(n_r/2) (the endpoint links of the side without the switch); a fat-tree rail its exact
        closed form (FatTree.bisection, Leiserson 1985)."""
        p = self.num_rails
        if self.plane is None:
            method = "closed form: one switch per rail, floor(n_r/2) endpoint links across, summed over rails"
            return Bisection(links=p * endpoint_link_cables * (self.per_rail // 2), method=method, kind=BoundKind.EXACT)
        one = self.plane.bisection(endpoint_link_cables)
        return Bisection(links=p * one.links, method=one.method + ", summed over rails", kind=BoundKind.EXACT)

    def bisection_shares(self, endpoint_link_cables: float = 1.0) -> dict[str, tuple[float, bool]]:
        """One rail's shares over the P rails, and a rail 1/P (rails are disjoint copies)."""
        p = self.num_rails
        if self.plane is None:
            shares: dict[str, tuple[float, bool]] = {"leaf": (1 / p, True)}
        else:
            one = self.plane.bisection_shares(endpoint_link_cables)
            shares = {role: (value / p, exact) for role, (value, exact) in one.items()}
        if p > 1:
            shares["rail"] = (1 / p, True)
        return shares

    def fault_domains(self) -> list[FaultDomain]:
        """One rail's (the fat tree's, or its one switch: all n_r), and a whole rail: n_r. Disconnected on
        the switch graph; through the scale-up domain they remain reachable (module docstring)."""
        p, n_r = self.num_rails, self.per_rail
        if self.plane is None:
            entries = [FaultDomain("endpoint port", self.num_endpoints, 1), FaultDomain("leaf", p, n_r)]
        else:
            entries = [replace(d, count=d.count * p) for d in self.plane.fault_domains()]
            entries[0] = FaultDomain("endpoint port", self.num_endpoints, 1)
        return entries + [FaultDomain("rail", p, n_r)]

    # -- inverse sizing -------------------------------------------------------------------------------
    closed_form_limits = FatTree.closed_form_limits
    decided_power = FatTree.decided_power

    @classmethod
    def candidates(cls, requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
                   deadline: Deadline | None = None) -> Iterator[Candidate]:
        """Scale-up domains of K = endpoints_per_node GPUs (N whole domains), P rails for every divisor P of K
        with 2 <= P <= max_planes (rails are planes; P = 1 is a fat tree), one port per endpoint: one switch
        per rail when n_r = N/P fits the radix, and every fat-tree rail of 2 .. max_tiers tiers
        (FatTree.tree_candidate: k <= radix, every leaf split; k = radix only when explaining
        infeasibility), three-tier rails also as a tree whose construction the solver decides
        (FatTree.decided_tree). In order of rails, tiers, then k and d downwards."""
        n, g = requirement.num_endpoints, requirement.endpoints_per_node
        if n % g:
            return
        speed, port_speed = requirement.endpoint_speed_gbps, Fraction(switch.port_speed_gbps)
        for rails in range(2, min(g, requirement.max_planes) + 1):
            if g % rails:
                continue
            per_rail = n // rails
            if per_rail <= switch.radix:
                blast = per_rail
                if not (requirement.prunes and requirement.max_blast_radius is not None
                        and blast > requirement.max_blast_radius):
                    cost = rails * prices.switch_cents + n * prices.endpoint_cable_cents
                    cut = speed / port_speed * (per_rail // 2)
                    yield Candidate(
                        cls, switch, prices, {"k": switch.radix, "rails": rails, "n_plane": per_rail}, {"leaves": 1},
                        n, rails, cost, ratio(cut, port_speed, per_rail, speed),
                        Fraction(switch.radix - per_rail, switch.radix), blast, 0, 1, rails, 1,
                    )
            for tiers in range(2, requirement.max_tiers + 1):  # rails are the planes of one port per endpoint
                yield from FatTree.trees(cls, requirement, switch, prices, deadline, tiers, rails, 1,
                                         requirement.relaxed_from is not None,
                                         f"rail-only shapes ({rails} rails, {tiers} tiers")

    @classmethod
    def size_model(cls, model: Any, candidate: Candidate, requirement: SizingRequest, use: Any) -> SizedVars:
        """Fat-tree rails: FatTree.size_model over the rails (its planes). One switch per rail: n_r <= k on
        each, P switches, no switch cables; the bisection ratio fixed by the shape."""
        c = candidate
        if c.tiers > 1:
            return FatTree.size_model(model, c, requirement, use)
        if c.bisection_ratio < requirement.bisection_ratio:
            model.add(use == 0)
        leaves = model.new_int_var(0, 1, f"rail_switches_{c.rank}")  # switches per rail
        model.add(leaves == use)
        rails, n_total = c.shape["rails"], requirement.num_endpoints
        model.add(c.shape["n_plane"] * leaves <= c.switch.radix)  # the rail on one switch
        spare = requirement.spare_ports
        total_ports = rails * c.switch.radix * leaves
        model.add((spare.denominator - spare.numerator) * total_ports
                  >= spare.denominator * n_total * use).only_enforce_if(use)
        p = c.prices
        cost = rails * p.switch_cents * leaves + n_total * p.endpoint_cable_cents * use
        return SizedVars(use, {"leaves": leaves}, cost, rails * leaves, n_total * use)

    @classmethod
    def sizing_label(cls, candidate: Candidate) -> str:
        if candidate.tiers == 1:
            return f"{counted(candidate.planes, 'rail')} of one switch"
        s = candidate.shape
        if candidate.decided:
            return f"{counted(candidate.planes, 'rail')} of a 3-tier tree, construction by the solver on k={s['k']}"
        return (f"{counted(candidate.planes, 'rail')} of a {candidate.tiers}-tier tree, "
                f"{s['down']}:{s['up']} on k={s['k']}")

    @classmethod
    def sizing_note(cls, candidate: Candidate) -> str:
        if candidate.tiers == 1:
            return f"per rail: {counted(candidate.shape['n_plane'], 'endpoint', fmt=',')} on one switch"
        return FatTree.sizing_note(candidate).replace("per plane", "per rail")

    @classmethod
    def sizing_parameters(cls, candidate: Candidate, endpoints_per_node: int) -> dict[str, Any]:
        c, s = candidate, candidate.shape
        out: dict[str, Any] = {"scale_up_domain": endpoints_per_node, "rails": c.planes, "k": s["k"], "tiers": c.tiers}
        if c.decided:
            out["construction"] = dict(c.size)
        elif c.tiers > 1:
            out["oversubscription"] = FatTree.sizing_parameters(c, endpoints_per_node)["oversubscription"]
        out["endpoints"] = c.num_endpoints
        return out

    @classmethod
    def sizing_roles(cls, candidate: Candidate) -> dict[str, int]:
        if candidate.tiers == 1:
            return {"leaf": candidate.planes}
        return FatTree.sizing_roles(candidate)

    # -- graph -------------------------------------------------------------------------------------
    def build(self) -> SwitchGraph:
        """P disjoint rails, switches named ``rail<r>-<name>`` and labelled plane r and rail r: one switch
        ``rail<r>-leaf-0`` each, or copies of the rail's fat tree (FatTree.build). One rail: the rail alone
        (no plane label)."""
        import numpy as np

        from topoctl.topologies.graph import SwitchGraph, object_array

        if self.plane is not None:
            one = self.plane.build()
        else:
            empty = np.zeros(0, dtype=np.int64)
            one = SwitchGraph(
                names=("leaf-0",), roles=object_array(["leaf"]), endpoints=np.array([self.per_rail], dtype=np.int64),
                planes=np.full(1, -1, dtype=np.int64), pods=np.full(1, -1, dtype=np.int64),
                edge_u=empty, edge_v=empty.copy(), edge_count=empty.copy(), edge_groups=object_array([]),
            )
        if self.num_rails == 1:
            graph = replace(one, names=tuple(f"rail0-{name}" for name in one.names))
            return replace(graph, labels=(("rail", np.zeros(graph.num_switches, dtype=np.int64)),))
        graph = SwitchGraph.copies(one, self.num_rails, prefix="rail{}-")
        return replace(graph, labels=(("rail", graph.planes.copy()),))
