"""Two- and three-tier fat trees on radix-k switches, full or partially populated, with leaf
oversubscription.

References: C. E. Leiserson, "Fat-trees", IEEE Trans. Computers 1985; M. Al-Fares, A. Loukissas,
A. Vahdat, "A scalable, commodity data center network architecture", SIGCOMM 2008 (the k-ary
three-tier tree: k pods of k/2 edge and k/2 aggregation switches, (k/2)^2 cores, k^3/4 endpoints).

Symbols: ``k`` switch ports used; ``d`` leaf (edge) ports down to endpoints and ``u = k - d`` up, so
the oversubscription is d:u (48:16 on 64 ports is 3:1); ``N`` endpoints.

Construction (deterministic; fewest leaves, then pods, then spines or cores): every switch is joined to
every switch of the tier above that it reaches by the same number of links. Uniform multiplicity is
what makes the bisection provable (see ``bisection``); spreading u uplinks round-robin over spines
that do not divide u leaves some partial trees well short of full bisection.
- two tiers: L = ceil(N/d) leaves with endpoints spread evenly; S spines, the smallest divisor of u
  with S*k >= L*u; every leaf has u/S links to every spine. Up to N = k*d (one spine port per leaf);
  the full tree is N = k^2/2, 3k/2 switches, k^2/2 links.
- three tiers: P = ceil(ceil(N/d)/(k/2)) pods of the same E_p = ceil(ceil(N/d)/P) edges (endpoints
  spread evenly over all P*E_p edges) and u aggregation switches; every edge has one link to every
  aggregation switch of its pod, and an aggregation switch has E_p uplinks. Cores come in u groups of
  C, the smallest divisor of E_p with C*k >= P*E_p; aggregation switch a of every pod has E_p/C links
  to every core of group a. Up to N = k*(k/2)*d; the full tree is k^3/4 endpoints, 5k^2/4 switches,
  k^3/2 links.
- three tiers as constructed (``construction``, TreeConstruction): P pods of E edges and A aggregation
  switches with m1 cables between every edge and aggregation switch of a pod, A/h core groups of G cores
  with m2 cables from aggregation index a of every pod to each core of group a // h. The leaf-split tree
  above is the case m1 = 1, A = u, h = 1, G = C, m2 = E_p/C; sizing chooses among all of them (10,000
  endpoints at k = 64: 811 switches, where the leaf-split trees need 857).

Example:
    >>> tree = FatTree.from_parameters(FatTree.Parameters(k=64, tiers=2), radix=64)
    >>> tree.counts().num_switches, tree.counts().num_switch_links
    (96, 2048)
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import cached_property
from math import ceil
from typing import TYPE_CHECKING, Any, Literal, cast

from pydantic import Field

from topoctl.errors import SpecError
from topoctl.topologies.base import (
    ELECTRIC,
    MAX_ENDPOINTS,
    OPTICAL,
    Bisection,
    BoundKind,
    Counts,
    FamilyParameters,
    FaultDomain,
    LinkGroup,
    Topology,
    check_endpoints,
    counted,
    radix_text,
    spread,
)
from topoctl.topologies.demand import bisection_demand_ports
from topoctl.topologies.sizing import (
    Candidate,
    CostBound,
    Deadline,
    Prices,
    SizedVars,
    SizingRequest,
    SwitchConfig,
    TierSwitches,
)

if TYPE_CHECKING:  # numpy and the graph arrays stay out of the closed forms (design reports, compare)
    from topoctl.topologies.graph import SwitchGraph

__all__ = ["FatTree", "FatTreeParameters", "TreeConstruction", "leaf_split", "smallest_divisor_at_least"]



class TreeConstruction(FamilyParameters):
    """An explicit three-tier construction (the module docstring's general form): ``pods`` P >= 2 of
    ``edges_per_pod`` E edge switches and ``aggregations_per_pod`` A aggregation switches;
    ``edge_aggregation_links`` m1 cables from every edge to every aggregation switch of its pod;
    A/h core groups of ``cores_per_group`` G cores, group g serving the ``aggregations_per_core_group``
    h aggregation indices g*h .. g*h + h - 1 of every pod, with ``aggregation_core_links`` m2 cables
    from each such aggregation switch to each core of the group."""

    pods: int = Field(ge=2, le=4096)
    edges_per_pod: int = Field(ge=1, le=4096)
    aggregations_per_pod: int = Field(ge=1, le=4096)
    edge_aggregation_links: int = Field(default=1, ge=1, le=4096)
    aggregations_per_core_group: int = Field(default=1, ge=1, le=4096)
    cores_per_group: int = Field(ge=1, le=4096)
    aggregation_core_links: int = Field(default=1, ge=1, le=4096)


class FatTreeParameters(FamilyParameters):
    """``k``: ports per switch used (default: the switch radix); ``tiers``: 2 or 3;
    ``oversubscription``: leaf down:up ratio (1 is non-blocking, 3 is 48:16 on 64 ports);
    ``endpoints``: N (default: the full tree for k, tiers and oversubscription);
    ``construction``: three tiers built as given (TreeConstruction) instead of from the leaf split;
    the leaf's ports up are then A*m1 and it holds ceil(N / (P*E)) endpoints at most;
    ``spines``: two tiers of S spines, u/S cables from each leaf to each (S divides u), instead of the
    fewest S with S*k >= L*u: a spine then cables L*u/S ports, at most the radix (spines of a larger model
    than the leaves', role_switches, take more leaves than k)."""

    k: int | None = Field(default=None, ge=2, le=4096)
    tiers: Literal[2, 3] = 2
    oversubscription: float = Field(default=1.0, gt=0, le=4096)
    endpoints: int | None = Field(default=None, ge=1, le=MAX_ENDPOINTS)
    construction: TreeConstruction | None = None
    spines: int | None = Field(default=None, ge=1, le=4096)


def leaf_split(k: int, oversubscription: float, tiers: int) -> tuple[int, int]:
    """Leaf ports (down, up) for a down:up ratio on k ports; SpecError if it does not divide k. The ratio
    is read as the nearest fraction whose denominator is at most max(1000, k): every split d:u of k
    ports is one (u <= k), and two such fractions lie at least 1/max(1000, k)^2 apart, far more than a
    float's rounding of d/u, so a sized design's d/u reads back as d:u on any radix.

    >>> leaf_split(64, 3, tiers=2)  # 3:1 oversubscription on 64 ports
    (48, 16)
    >>> leaf_split(3019, 1666 / 1353, tiers=2)
    (1666, 1353)
    """
    if tiers == 3 and k % 2:
        raise SpecError(f"k={k} must be even for a three-tier fat tree", path="k")
    ratio = Fraction(oversubscription).limit_denominator(max(1000, k))
    down = k * ratio / (ratio + 1)
    if down.denominator != 1 or not 1 <= down < k:
        valid = [f"{d}:{k - d}" for d in range(k // 2, k) if (k - d) and d % (k - d) == 0][:6]
        raise SpecError(
            f"{float(oversubscription):g}:1 does not split k={k} ports into whole down and up "
            f"counts; valid ratios include {', '.join(valid)}",
            path="oversubscription",
        )
    return int(down), k - int(down)


def held_by_fullest(n: int, leaves: int, cut_leaves: int) -> int:
    """The most endpoints on ``cut_leaves`` of ``leaves`` leaves holding n spread evenly (``spread``)."""
    base, extra = divmod(n, leaves)
    return cut_leaves * base + min(cut_leaves, extra)


def leaf_cut_bisection(n: int, leaves: int, up: int, rho: float | Fraction,
                       scaled: bool = False) -> tuple[Any, int]:
    """(B, l): the fat tree's exact minimum balanced bisection in cables and the leaves cut off where it is
    attained (``FatTree.bisection``): B = min over 0 <= l <= floor(L/2) of u*l + rho*max(0, F - hi(l)),
    F = floor(n/2), hi(l) the most endpoints on l leaves, rho = r/c. u*l is linear and the endpoint term
    convex in l (hi is concave), so the minimum is at l = 0, floor(L/2), e (the fuller leaves) or where
    hi(l) reaches F, give or take one; ties go to the fewest leaves cut off. ``scaled`` (a Fraction rho):
    B times rho's denominator, an integer."""
    half, base, extra = n // 2, *divmod(n, leaves)
    most = leaves // 2
    # an exact r/c is scaled to integers (sizing calls this for every shape; Fraction arithmetic is slow)
    scale, weight = (rho.denominator, rho.numerator) if isinstance(rho, Fraction) else (1, rho)

    # the fewest leaves holding F endpoints: the fuller leaves (b + 1) first, then the others (b)
    fuller = extra * (base + 1)
    reach = -(-half // (base + 1)) if half <= fuller else extra + -(-(half - fuller) // base)
    # (cost, l) pairs: the least cost, and of equal costs the fewest leaves (held_by_fullest inlined)
    least, at = min((up * l * scale + weight * max(0, half - l * base - min(l, extra)), l)
                    for l in {0, most, extra - 1, extra, extra + 1, reach - 1, reach, reach + 1} if 0 <= l <= most)
    if scaled or not isinstance(rho, Fraction):
        return least, at
    return Fraction(int(least), scale), at  # an exact r/c: the scaled cost is an integer


@functools.cache
def _speed_ratio(endpoint_gbps: Fraction, port_gbps: float) -> Fraction:
    """r/c exactly (sizing asks it of every shape, with the same two speeds)."""
    return Fraction(endpoint_gbps) / Fraction(port_gbps)


def smallest_divisor_at_least(n: int, floor: int) -> int:
    """The smallest divisor of n that is >= floor (n itself when floor >= n)."""
    return next(d for d in range(max(1, floor), n + 1) if n % d == 0) if floor < n else n


TIER_ROLES = ("edge", "aggregation", "core")  # a three-tier tree's roles, from the endpoints up
LEAF_SPINE_ROLES = ("leaf", "spine")  # a two-tier tree's
LEAF_SPINE_FIELDS = ("leaves", "spines", "leaf_spine_links")  # a decided two-tier tree's sizing


@dataclass(frozen=True)
class _TierTerms:
    """A switch per tier in a decided tree's model (FatTree._tier_terms): per tier its radix and its
    switches' ports; per plane the switches' and cables' cents and their most; the endpoint cable's cents and
    most; the chosen config per tier (``<role>_switch``: its index in the options)."""

    radix: tuple[Any, ...]
    ports: tuple[Any, ...]
    plane_cents: Any
    plane_cents_most: int
    endpoint_cents: Any
    endpoint_cents_most: int
    chosen: dict[str, Any]


CONSTRUCTION_FIELDS = tuple(TreeConstruction.model_fields)  # a decided candidate's sizing, named as the parameters
_PRUNED = object()  # a sizing candidate that breaks the hop or blast-radius limit (FatTree.tree_candidate)


@dataclass(frozen=True)
class FatTree(Topology):
    """A two- or three-tier fat tree (see the module docstring).

    Example: the k-ary three-tier tree for k = 4 has 5k^2/4 = 20 switches and k^3/4 = 16 endpoints:
        >>> tree = FatTree.from_parameters(FatTree.Parameters(k=4, tiers=3), radix=4)
        >>> tree.counts().num_switches, tree.counts().num_endpoints, tree.diameter_hops()
        (20, 16, 4)
        >>> tree.counts().num_switches_by_role
        {'edge': 8, 'aggregation': 8, 'core': 4}
    """

    family = "fat_tree"
    summary = "two- or three-tier fat tree (Al-Fares et al. 2008), partial population, oversubscription"
    Parameters = FatTreeParameters

    k: int
    tiers: int
    down: int
    up: int
    num_endpoints: int
    construction: TreeConstruction | None = None  # three tiers as given, not from the leaf split
    spines: int | None = None  # two tiers: the spines as given, not the fewest on k ports

    @classmethod
    def from_parameters(cls, params: FatTreeParameters, radix: int, *, formula_only: bool = False) -> FatTree:
        k = params.k if params.k is not None else radix
        if k > radix:
            raise SpecError(f"k={k} exceeds the switch radix {radix}; use k <= {radix}", path="k")
        if params.spines is not None and params.tiers != 2:
            raise SpecError("spines sets a two-tier tree's spines; a three-tier tree takes a construction",
                            path="spines")
        if params.construction is not None:
            return cls.constructed(params, k, radix)
        down, up = leaf_split(k, params.oversubscription, params.tiers)
        if params.spines is not None:
            return cls.with_spines(params, k, radix, down, up)
        limit = cls.max_endpoints(k, params.tiers, down)
        n = params.endpoints if params.endpoints is not None else limit
        check_endpoints(n, f"the full {params.tiers}-tier tree of k={k}", "endpoints")
        if n > limit:
            hint = "3 tiers or more planes" if params.tiers == 2 else "more planes or a larger radix"
            raise SpecError(
                f"{n} endpoints exceed the {params.tiers}-tier maximum {limit} at k={k} with "
                f"{down} down ports per leaf; use at most {limit}, or {hint}",
                path="endpoints",
            )
        return cls(radix=radix, k=k, tiers=params.tiers, down=down, up=up, num_endpoints=n)

    @classmethod
    def constructed(cls, params: FatTreeParameters, k: int, radix: int) -> FatTree:
        """The tree of an explicit construction, checked port by port: a leaf holds ceil(N/L) endpoints and
        A*m1 uplinks, an aggregation switch E*m1 down and G*m2 up (no more down than up, so the
        bisection is the leaf cuts' closed form, ``bisection``), a core P*h*m2."""
        c = params.construction
        assert c is not None
        if params.tiers != 3:
            raise SpecError("a construction builds three tiers; set tiers: 3", path="tiers")
        if "oversubscription" in params.model_fields_set:
            raise SpecError("the construction sets the leaf's ports; leave oversubscription out",
                            path="oversubscription")
        pods, edges, aggs, m1 = c.pods, c.edges_per_pod, c.aggregations_per_pod, c.edge_aggregation_links
        h, cores, m2 = c.aggregations_per_core_group, c.cores_per_group, c.aggregation_core_links
        where = "construction"
        if aggs % h:
            raise SpecError(f"aggregations_per_core_group={h} must divide aggregations_per_pod={aggs}",
                            path=f"{where}.aggregations_per_core_group")
        leaves, up = pods * edges, aggs * m1
        if up >= k:
            raise SpecError(f"an edge switch's {aggs} x {m1} = {up} uplinks leave no port for endpoints on "
                            f"k={k}; use fewer aggregations_per_pod or edge_aggregation_links",
                            path=f"{where}.aggregations_per_pod")
        n = params.endpoints if params.endpoints is not None else leaves * (k - up)
        if n < leaves:
            raise SpecError(f"{n} endpoints leave some of the {leaves} edge switches empty; use at least "
                            f"{leaves} endpoints or fewer pods or edges_per_pod", path="endpoints")
        down = -(-n // leaves)
        if down + up > k:
            raise SpecError(f"{n} endpoints on {leaves} edge switches put {down} on one, which with {up} "
                            f"uplinks exceeds k={k}; use at most {leaves * (k - up)} endpoints",
                            path="endpoints")
        agg_down, agg_up = edges * m1, cores * m2
        if agg_down + agg_up > k:
            raise SpecError(f"an aggregation switch needs {agg_down} ports down and {agg_up} up, more than "
                            f"k={k}", path=f"{where}.cores_per_group")
        if agg_up < agg_down:
            raise SpecError(f"an aggregation switch has {agg_down} ports down but {agg_up} up; the construction "
                            "needs cores_per_group x aggregation_core_links >= edges_per_pod x "
                            "edge_aggregation_links", path=f"{where}.cores_per_group")
        if pods * h * m2 > k:
            raise SpecError(f"a core needs {pods} x {h} x {m2} = {pods * h * m2} ports, more than k={k}",
                            path=f"{where}.pods")
        return cls(radix=radix, k=k, tiers=3, down=down, up=up, num_endpoints=n, construction=c)

    @classmethod
    def with_spines(cls, params: FatTreeParameters, k: int, radix: int, down: int, up: int) -> FatTree:
        """The two-tier tree of ``params.spines`` spines, u/S cables from each leaf to each: S divides u, and
        a spine's L*u/S ports are at most the radix, so it holds at most floor(radix / (u/S)) leaves."""
        spines = params.spines
        assert spines is not None
        if up % spines:
            valid = ", ".join(str(d) for d in range(1, up + 1) if up % d == 0)
            raise SpecError(f"spines={spines} does not divide the leaf's {up} uplinks into equal cables to each "
                            f"spine; valid: {valid}", path="spines")
        limit = cls.spine_limit(radix, down, up, spines)
        n = params.endpoints if params.endpoints is not None else limit
        check_endpoints(n, f"the two-tier tree of k={k} with {spines} spines", "endpoints")
        if n > limit:
            raise SpecError(f"{n} endpoints need {-(-n // down)} leaves; a spine of {radix} ports takes at most "
                            f"{limit // down} at {up // spines} cable(s) each: use at most {limit} endpoints or fewer "
                            "spines", path="endpoints")
        return cls(radix=radix, k=k, tiers=2, down=down, up=up, num_endpoints=n, spines=spines)

    @staticmethod
    def spine_limit(radix: int, down: int, up: int, spines: int) -> int:
        """The most endpoints of two tiers with ``spines`` spines: floor(radix / (u/S)) leaves of d."""
        return radix // (up // spines) * down

    @staticmethod
    def max_endpoints(k: int, tiers: int, down: int) -> int:
        """k*d for two tiers (one spine port per leaf); k*(k/2)*d for three (k pods of k/2 edges)."""
        return k * down if tiers == 2 else k * (k // 2) * down

    # -- structure ---------------------------------------------------------------------------------
    @cached_property
    def num_leaves(self) -> int:
        """L = ceil(N/d); with three tiers, P pods of E_p edges each."""
        if self.tiers == 3:
            return self.num_pods * self.edges_in_pod
        return ceil(self.num_endpoints / self.down)

    @cached_property
    def endpoints_per_leaf(self) -> list[int]:
        return spread(self.num_endpoints, self.num_leaves)

    @cached_property
    def num_spines(self) -> int:
        """Two tiers only: the spines given, or the smallest divisor S of u with S*k >= L*u."""
        if self.spines is not None:
            return self.spines
        return smallest_divisor_at_least(self.up, ceil(self.num_leaves * self.up / self.k))

    @cached_property
    def num_pods(self) -> int:
        """Three tiers only: ceil(ceil(N/d) / (k/2)), or the construction's P."""
        if self.construction is not None:
            return self.construction.pods
        return ceil(ceil(self.num_endpoints / self.down) / (self.k // 2))

    @cached_property
    def edges_in_pod(self) -> int:
        """Three tiers only: E_p, the same in every pod."""
        if self.construction is not None:
            return self.construction.edges_per_pod
        return ceil(ceil(self.num_endpoints / self.down) / self.num_pods)

    @property
    def aggregations_in_pod(self) -> int:
        """Three tiers only: A (u in the leaf-split construction)."""
        return self.construction.aggregations_per_pod if self.construction is not None else self.up

    @property
    def edge_links(self) -> int:
        """Three tiers only: m1, cables from an edge to each aggregation switch of its pod."""
        return self.construction.edge_aggregation_links if self.construction is not None else 1

    @property
    def aggregations_per_core_group(self) -> int:
        """Three tiers only: h, the aggregation indices one core group serves."""
        return self.construction.aggregations_per_core_group if self.construction is not None else 1

    @property
    def num_core_groups(self) -> int:
        return self.aggregations_in_pod // self.aggregations_per_core_group

    @property
    def core_links(self) -> int:
        """Three tiers only: m2, cables from an aggregation switch to each core of its group (E_p/C)."""
        if self.construction is not None:
            return self.construction.aggregation_core_links
        return self.edges_in_pod // self.cores_per_group

    @property
    def num_cores(self) -> int:
        return self.num_core_groups * self.cores_per_group

    @property
    def pod_uplinks(self) -> int:
        """Three tiers only: cables leaving one pod, A*G*m2 (E_p*u in the leaf-split construction)."""
        if self.construction is None:
            return self.edges_in_pod * self.up
        return self.aggregations_in_pod * self.cores_per_group * self.core_links

    @cached_property
    def edges_per_pod(self) -> list[int]:
        return [self.edges_in_pod] * self.num_pods

    @cached_property
    def cores_per_group(self) -> int:
        """Three tiers only: the smallest divisor C of E_p with C*k >= P*E_p, or the construction's G."""
        if self.construction is not None:
            return self.construction.cores_per_group
        return smallest_divisor_at_least(self.edges_in_pod, ceil(self.num_leaves / self.k))

    @property
    def is_full(self) -> bool:
        if self.construction is not None:
            return self.num_endpoints == self.num_leaves * (self.k - self.up)
        return self.num_endpoints == self.max_endpoints(self.k, self.tiers, self.down)

    @classmethod
    def examples(cls) -> tuple[dict[str, Any], ...]:
        """Small variants for the family contract test (``Topology.examples``)."""
        return (
            dict(k=4, tiers=3),  # the k-ary three-tier tree: 5k^2/4 switches, k^3/4 endpoints
            dict(k=8, tiers=2, endpoints=13),
            dict(k=16, tiers=2, endpoints=7),  # one leaf
            dict(k=8, tiers=3, endpoints=40),
            dict(k=8, tiers=3, endpoints=3),  # one pod of one edge
            dict(k=6, tiers=3, oversubscription=2.0, endpoints=50),
            dict(k=8, tiers=2, oversubscription=3.0),
            dict(k=8, tiers=2, endpoints=12, spines=4),  # 4 spines, not the fewest (2): 1 cable from each leaf
            # two cables per edge-aggregation and per aggregation-core pair, each core group serving
            # two aggregation indices
            dict(k=16, tiers=3, endpoints=45, construction=dict(
                pods=3, edges_per_pod=3, aggregations_per_pod=4, edge_aggregation_links=2,
                aggregations_per_core_group=2, cores_per_group=3, aggregation_core_links=2)),
        )

    @property
    def variant(self) -> str:
        return self.variant_on({})

    def variant_on(self, radix_by_role: Mapping[str, int]) -> str:
        shape = "full" if self.is_full else "partially populated"
        used = {role: min(self.k, radix) for role, radix in radix_by_role.items()}
        if self.spines is not None and "spine" in used and len(set(radix_by_role.values())) > 1:  # a larger model
            used["spine"] = radix_by_role["spine"]
        text = (f"{self.tiers}-tier fat tree, {shape}, leaf {self.down}:{self.up} down:up on "
                f"{radix_text(max([self.k, *used.values()]), used)}")
        if self.spines is not None:
            text += (f", {counted(self.spines, 'spine')} ({counted(self.up // self.spines, 'cable')} from each leaf "
                     "to each)")
        if self.construction is not None:
            text += (f", {counted(self.num_pods, 'pod')} of {counted(self.edges_in_pod, 'edge')} x "
                     f"{counted(self.aggregations_in_pod, 'aggregation')} ({counted(self.edge_links, 'cable')} each), "
                     f"{self.num_core_groups} x {counted(self.cores_per_group, 'core')} "
                     f"({counted(self.core_links, 'cable')} to each)")
        return text

    def parameters(self) -> dict[str, Any]:
        ratio = self.down / self.up
        return {
            "k": self.k,
            "tiers": self.tiers,
            "oversubscription": int(ratio) if ratio == int(ratio) else round(ratio, 6),
            "endpoints": self.num_endpoints,
            "leaf_down_ports": self.down,
            "leaf_up_ports": self.up,
            **({"construction": self.construction.model_dump()} if self.construction is not None else {}),
            **({"spines": self.spines} if self.spines is not None else {}),
        }

    # -- closed forms ------------------------------------------------------------------------------
    def counts(self) -> Counts:
        n, leaves, up = self.num_endpoints, self.num_leaves, self.up
        if self.tiers == 2:
            roles = {"leaf": leaves, "spine": self.num_spines}
            groups: tuple[LinkGroup, ...] = (LinkGroup("leaf-spine", leaves * up, OPTICAL, ("leaf", "spine")),)
        else:
            aggs = self.num_pods * self.aggregations_in_pod
            roles = {"edge": leaves, "aggregation": aggs, "core": self.num_cores}
            groups = (
                LinkGroup("edge-aggregation", leaves * up, ELECTRIC, ("edge", "aggregation")),
                LinkGroup("aggregation-core", aggs * self.cores_per_group * self.core_links, OPTICAL,
                          ("aggregation", "core")),
            )
        return Counts(n, roles, groups, num_endpoint_links=n)

    def diameter_hops(self) -> int:
        """2 between leaves via a spine; 4 between pods (edge-agg-core-agg-edge); 0 on one switch."""
        if self.num_leaves == 1:
            return 0
        if self.tiers == 3 and self.num_pods > 1:
            return 4
        return 2

    def bisection(self, endpoint_link_cables: float | Fraction = 1.0) -> Bisection:
        """The minimum endpoint-balanced bisection, exact, in cables: an endpoint may sit across the cut
        from its leaf, its link then counting ``endpoint_link_cables`` = r/c of a cable (r the endpoint,
        c the port speed). With L leaves, F = floor(N/2), and hi(l) = l*b + min(l, e) the most endpoints
        on l leaves (b, e = divmod(N, L): e leaves hold b + 1, the rest b):

            B = min over 0 <= l <= floor(L/2) of  u*l + (r/c) * max(0, F - hi(l))

        Upper bound: the l fullest leaves on one side with max(0, F - hi(l)) endpoints of the other
        side placed across, every other switch on the other side, cuts u cables per leaf (its uplinks)
        plus those endpoint links: a balanced partition. l = 0 is every switch on one side with F
        endpoints across; l = L/2 with equal leaves is the half-leaves cut, L*u/2 (k^2/4 for the full
        two-tier tree, k^3/8 for the three-tier one, Al-Fares et al. 2008).
        Lower bound: any partition with l_A, l_B leaves on its sides cuts at least u*min(l_A, l_B)
        cables. Split the cables into u edge-disjoint subgraphs H_1 .. H_u, each holding exactly one
        uplink of every leaf. Two tiers (u/S cables from every leaf to each of the S spines): each
        H_t is a star, one cable from every leaf to one spine. Three tiers: H_a holds the cables of
        aggregation index a, one from every edge switch to its pod's aggregation switch a, and that
        switch's E_p/C cables to each of the C cores of group a. Pair min(l_A, l_B) leaves of side A
        with leaves of side B; in each H_a every pair sends one unit up its first leaf's cable, over
        the cores split evenly (three tiers, different pods: a pod's switch a carries at most E_p
        pairs, so at most E_p/C units to a core, its cable count there), down the other leaf's
        cable: a flow within capacity, each unit crossing the cut, so H_a has at least
        min(l_A, l_B) cut cables (the uniform-multiplicity Clos argument of Leiserson 1985, with
        max-flow min-cut). An explicit construction (A aggregation switches per pod, m1 cables from an
        edge to each, G cores per group with m2 cables from an aggregation switch to each, h indices per
        group) splits the same way into u = A*m1 subgraphs H_(a,j), one per aggregation index a and
        cable j < m1, each given a 1/m1 share of the aggregation-core cables: a pod's switch a carries
        at most E pairs of H_(a,j) over G*m2/m1 cable capacity, within it because E*m1 <= G*m2 (no
        aggregation switch has more ports down than up; ``constructed`` requires it), and a core's h
        indices use disjoint cables. Summing over the u subgraphs gives u*min(l_A, l_B); a side of l leaves
        still needs max(0, F - hi(l)) endpoint links to hold F endpoints, so no balanced cut is
        below B. The two bounds meet:
        exact for every full, partial, odd or oversubscribed tree. u*l is linear and the endpoint term
        convex in l (hi is concave), so the minimum is at l = 0, floor(L/2), e or where hi(l)
        reaches F, and B never exceeds (r/c)*F: the bisection ratio is at most 1."""
        n, leaves, up = self.num_endpoints, self.num_leaves, self.up
        links, cut_leaves = leaf_cut_bisection(n, leaves, up, endpoint_link_cables)
        across = max(0, n // 2 - held_by_fullest(n, leaves, cut_leaves))
        if leaves % 2 == 0 and n % leaves == 0 and links == up * (leaves // 2):
            method = "closed form: half the leaf uplinks (Leiserson 1985)"
        else:
            method = "closed form: min over l leaves cut off of u*l + (r/c)*(endpoints across) (Leiserson 1985); "
            if cut_leaves == 0:
                method += "attained with every switch on one side, floor(N/2) endpoints across"
            else:
                method += f"attained at l = {cut_leaves} (the fullest leaves)"
                method += f", {across} endpoint(s) across" if across else ""
        # a Fraction for a Fraction r/c: sizing compares ratios exactly
        return Bisection(cast(float, links), method, BoundKind.EXACT)

    def tree_plane(self) -> FatTree:
        return self

    def ports_by_role(self) -> dict[str, int]:
        """Ports cabled on the busiest switch of each tier (``build``): a leaf its fullest load plus u up; two
        tiers, a spine L*u/S (u/S cables from every leaf); three, an aggregation switch E*m1 down and G*m2
        up, a core P*h*m2."""
        leaf = max(self.endpoints_per_leaf) + self.up
        if self.tiers == 2:
            return {"leaf": leaf, "spine": self.num_leaves * self.up // self.num_spines}
        return {"edge": leaf,
                "aggregation": self.edges_in_pod * self.edge_links + self.cores_per_group * self.core_links,
                "core": self.num_pods * self.aggregations_per_core_group * self.core_links}

    def bisection_shares(self, endpoint_link_cables: float = 1.0) -> dict[str, tuple[float, bool]]:
        """Share of the half-leaves cut (L*u/2 cables) one switch of each tier carries, and whether that is
        exact. The cut splits every tier in half: half the leaves (half the pods) with half the switches of
        each tier above. Every fat-tree switch has the same number of cables to each switch of the next tier
        (build), so each switch of a tier carries the same number of cut cables:
        two tiers: a leaf u/2 of L*u/2 (1/L, with an even number of spines S), a spine 1/S;
        three tiers, P > 1 pods: an edge none (its cables stay in its pod), an aggregation half its G*m2
        uplinks (G*m2/(L*u); 1/(P*u) in the leaf-split construction), a core half its P*h*m2 cables
        (P*h*m2/(L*u); 1/(u*C)), a pod 1/P (G cores per group, even); one pod: the cut splits the edges
        and the aggregations, an edge 1/L, an aggregation 1/u, a core none, the pod all.
        Exact when the half-leaves cut is the bisection (half_cut_is_bisection, endpoint links at r/c
        cable) and the tiers split evenly; otherwise 1/count, an estimate."""
        exact = self.half_cut_is_bisection(endpoint_link_cables)
        if self.tiers == 2:
            spines = self.num_spines
            return {"leaf": (1 / self.num_leaves, exact and spines % 2 == 0), "spine": (1 / spines, exact)}
        pods, up, cores = self.num_pods, self.up, self.cores_per_group
        if pods == 1:
            even = exact and up % 2 == 0
            return {"edge": (1 / self.num_leaves, even), "aggregation": (1 / up, even), "core": (0.0, even),
                    "pod": (1.0, True)}
        even = exact and cores % 2 == 0
        cut = self.num_leaves * up
        return {
            "edge": (0.0, exact),
            "aggregation": (cores * self.core_links / cut, even),
            "core": (pods * self.aggregations_per_core_group * self.core_links / cut, exact),
            "pod": (1 / pods, even),
        }

    def half_cut_is_bisection(self, endpoint_link_cables: float = 1.0) -> bool:
        """Whether the cut of half the leaves (half the pods with three tiers and several pods), with
        half of every tier above, is balanced and a minimum bisection (``bisection``)."""
        halves = self.num_pods if self.tiers == 3 and self.num_pods > 1 else self.num_leaves
        leaves = self.num_leaves
        return (
            self.num_endpoints % leaves == 0
            and halves % 2 == 0
            and self.bisection(endpoint_link_cables).links == leaves * self.up / 2
        )

    def fault_domains(self) -> list[FaultDomain]:
        """Worst case of one failure, by component class. A switch whose loss splits the fabric
        disconnects every endpoint outside the part holding the most endpoints."""
        n = self.num_endpoints
        busiest_leaf = ceil(n / self.num_leaves)
        roles = self.counts().num_switches_by_role
        lone_leaf = n if self.num_leaves == 1 else busiest_leaf
        entries = [FaultDomain("endpoint port", n, 1)]
        if self.tiers == 2:
            spine_loss = n - busiest_leaf if self.num_spines == 1 and self.num_leaves > 1 else 0
            entries += [FaultDomain("leaf", roles["leaf"], lone_leaf), FaultDomain("spine", roles["spine"], spine_loss)]
            return entries
        # pod 0 is the biggest: it has the most edges, and spread() puts the fuller leaves first
        edges = self.edges_per_pod[0]
        biggest_pod = edges * (n // self.num_leaves) + min(edges, n % self.num_leaves)
        agg_loss = 0
        if self.aggregations_in_pod == 1:  # the pod's only aggregation switch: its edges fall apart
            agg_loss = min(biggest_pod, n - busiest_leaf)
        core_loss = 0
        if self.num_cores == 1 and self.num_pods > 1:  # the only core: the pods fall apart
            core_loss = n - biggest_pod
        entries += [
            FaultDomain("edge", roles["edge"], lone_leaf),
            FaultDomain("aggregation", roles["aggregation"], agg_loss),
            FaultDomain("core", roles["core"], core_loss),
            FaultDomain("pod", self.num_pods, n if self.num_pods == 1 else biggest_pod),
        ]
        return entries

    # -- inverse sizing (topologies.sizing; shared with multiplane_fat_tree) -----------------------------
    closed_form_limits = frozenset({"max_hops", "max_blast_radius"})
    decided_power = True  # construction_model's power at unit milliwatts

    @classmethod
    def candidates(cls, requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
                   deadline: Deadline | None = None) -> Iterator[Candidate]:
        """Every one-plane tree within the request's limits (tree_candidates)."""
        return cls.tree_candidates(requirement, switch, prices, deadline, max_planes=1, family_of=lambda planes: cls)

    @classmethod
    def tree_candidates(cls, requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
                        deadline: Deadline | None, *, max_planes: int,
                        family_of: Callable[[int], type[Topology] | None]) -> Iterator[Candidate]:
        """Trees of 2 .. max_tiers tiers in 1 .. ``max_planes`` planes, each at its closed-form minimal
        sizing (``tree_candidate``); ``family_of(planes)`` is the family of a plane count (None: none
        allowed). P planes take m ports per endpoint with m dividing P and whole nodes filling the planes
        equally (multiplane_fat_tree.py). Every leaf split d:u on every k <= radix (the rest idle): a
        smaller k can be cheaper when the blast radius caps d and the bisection needs fewer uplinks than
        radix - d; past the limits of the request a relaxed one widens (explaining infeasibility), only
        k = radix. Three tiers add, per planes and ports, one candidate whose construction the solver
        decides (``constructed_candidate``), after the leaf-split trees it generalises.
        In order of tiers, planes, ports, then k and d downwards (the whole radix first, what a time-limited
        enumeration should meet first): the sizer breaks ties by it."""
        for tiers, planes, ports, family, beyond in cls.tree_layouts(requirement, max_planes, family_of):
            yield from cls.trees(family, requirement, switch, prices, deadline, tiers, planes, ports,
                                 beyond, f"fat-tree shapes ({tiers} tiers, {planes} planes")

    @staticmethod
    def tree_layouts(requirement: SizingRequest, max_planes: int, family_of: Callable[[int], type[Topology] | None]
                     ) -> Iterator[tuple[int, int, int, type[Topology], bool]]:
        """(tiers, planes, ports per endpoint, family, beyond the original request's limits) of every tree
        ``tree_candidates`` sizes, in its order: P planes take m ports per endpoint with m dividing P and whole
        nodes filling the planes equally (multiplane_fat_tree.py); one plane takes one port."""
        n, g = requirement.num_endpoints, requirement.endpoints_per_node
        within = requirement.relaxed_from
        for tiers in range(2, requirement.max_tiers + 1):
            for planes in range(1, max_planes + 1):
                family = family_of(planes)
                if family is None or (planes > 1 and n % g):
                    continue  # a multi-plane fabric takes whole nodes
                for ports in range(1, min(planes, requirement.max_ports_per_endpoint) + 1):
                    if planes % ports or (planes > 1 and (g * ports) % planes) or (planes == 1 and ports > 1):
                        continue
                    if (n * ports) % planes:
                        continue
                    beyond = within is not None and (
                        planes > within.max_planes or ports > within.max_ports_per_endpoint)
                    yield tiers, planes, ports, family, beyond

    @classmethod
    def mixed_candidates(cls, requirement: SizingRequest, switches: TierSwitches,
                         deadline: Deadline | None = None) -> Iterator[Candidate]:
        """The one-plane trees of two and three tiers whose construction and switch per tier the solver
        decides (``mixed_trees``)."""
        return cls.mixed_trees(requirement, switches, deadline, max_planes=1, family_of=lambda planes: cls)

    @classmethod
    def mixed_trees(cls, requirement: SizingRequest, switches: TierSwitches, deadline: Deadline | None, *,
                    max_planes: int, family_of: Callable[[int], type[Topology] | None]) -> Iterator[Candidate]:
        """Per planes and ports (``tree_layouts``), the tree whose construction and whose switch per tier,
        each one of ``switches``, the solver decides: of two tiers the leaves, spines and cables from a leaf to
        each spine (``leaf_spine_model``), of three the space of ``decided_tree`` with a radix per tier
        (``construction_model``); each started from closed forms (``mixed_start``) and bounded from below by
        its rows (``construction_lower_bound``). None when explaining infeasibility, nor where the hop limit
        keeps the tree to fewer tiers' hops (2 for two tiers, 4 for three)."""
        if not requirement.prunes:
            return
        widest = max(switches.configs, key=lambda config: config.radix)  # the first of the largest radix
        for tiers, planes, ports, family, _ in cls.tree_layouts(requirement, max_planes, family_of):
            n = requirement.num_endpoints * ports // planes
            hops = 2 if tiers == 2 else 4
            if n < 2 or widest.radix < 3 or (requirement.max_hops is not None and requirement.max_hops < hops):
                continue
            if deadline is not None:
                deadline.check(f"enumerating fat-tree shapes ({tiers} tiers, {planes} planes, a switch per tier)")
            cold = Candidate(family, widest, switches.cheapest(), {"k": widest.radix, "n_plane": n}, {},
                             requirement.num_endpoints, 0, 0, Fraction(0), Fraction(0), n, hops, tiers, planes,
                             ports, decided=True, tier_switches=switches)
            start = cls.mixed_start(cold, requirement, deadline)
            bound = cls.construction_lower_bound(start, requirement)
            if bound is not None:  # else no leaf count fits any mix of the configs
                yield replace(start, lower_bound=bound)

    @classmethod
    def mixed_start(cls, cold: Candidate, requirement: SizingRequest, deadline: Deadline | None = None) -> Candidate:
        """``cold`` (a tree whose tiers choose their switches, not yet started) started from the best feasible
        construction of ``mixed_leaf_splits`` (two tiers: ``leaf_spine_splits``) in the request's objective
        (cost, or switches), with its figures (``mixed_figures``); ``cold`` itself when there is none (the
        model then starts without hint or bound); SizingTimeLimitError past ``deadline``."""
        splits = cls.mixed_leaf_splits if cold.tiers == 3 else cls.leaf_spine_splits
        found = splits(cold, requirement, deadline)
        best = min(found, default=None, key=lambda key_size: key_size[0])
        started = None if best is None else cls.mixed_figures(replace(cold, size=best[1]), requirement)
        return cold if started is None else started

    @classmethod
    def mixed_leaf_splits(cls, cold: Candidate, requirement: SizingRequest, deadline: Deadline | None = None
                          ) -> Iterator[tuple[tuple[int, int, int], dict[str, int]]]:
        """Feasible constructions of ``cold``'s space in closed form, each with its key in the request's
        objective ((switches, cents) for switches, else (cents, switches); then the order found), per edge,
        aggregation and core config (not one for all) and per leaf split: L = ceil(n/d) leaves for d =
        k_e - 1 .. 1 down ports; per distinct E_max = floor(k_a / (2 m1)) the largest m1 with it,
        P = max(2, ceil(L/E_max)) pods of E = ceil(L/P) edges (L' = P*E leaves), A = ceil(U[L']/m1)
        aggregation switches per pod (U from uplinks_table: the bisection the request asks), each E*m1
        cables down and as many up, to one core group each (h = 1) of G = E*m1/m2 cores, m2 the largest
        divisor of E*m1 with P*m2 <= k_c. Each meets the ports of its tiers and the bisection by
        construction, and the blast radius and spare ports as checked here (as ``mixed_figures`` counts them:
        cores A*G, L'*A*m1 cables in each layer)."""
        options, req = cold.tier_switches, requirement
        assert options is not None
        n, planes, ports = cold.shape["n_plane"], cold.planes, cold.ports_per_endpoint
        k = cold.shape["k"]
        rho = req.endpoint_speed_gbps / Fraction(cold.switch.port_speed_gbps)
        low = -(-n // (k - 1))
        table = cls.uplinks_table(n, low, rho, req.bisection_ratio, k)
        limit = req.max_blast_radius if ports == 1 else None
        spare, endpoint_ports = req.spare_ports, req.num_endpoints * ports
        by_switches = req.objective == "switches"
        found = 0
        for edge, agg, core in itertools.product(range(len(options.configs)), repeat=3):
            if edge == agg == core:
                continue
            if deadline is not None:
                deadline.check("starting the three-tier trees of a switch per tier")
            ke, ka, kc = (options.configs[i].radix for i in (edge, agg, core))
            pe, pa, pc = (options.prices[i].switch_cents for i in (edge, agg, core))
            cable_cents = options.links[edge][agg].electric_link_cents + options.links[agg][core].optical_link_cents
            endpoint_cents = endpoint_ports * options.prices[edge].endpoint_cable_cents
            widths = sorted({ka // (2 * m1) for m1 in range(1, ka // 2 + 1)}, reverse=True)
            for down in range(ke - 1, 0, -1):
                leaves = -(-n // down)
                for width in widths:
                    m1 = ka // (2 * width)
                    pods = max(2, -(-leaves // width))
                    if pods > kc:
                        continue
                    per_pod = -(-leaves // pods)
                    total = pods * per_pod
                    if total > n or total - low >= len(table):
                        continue
                    aggs = -(-table[total - low] // m1)
                    base, extra = divmod(n, total)
                    busiest = base + (extra > 0)
                    if busiest + aggs * m1 > ke:
                        continue
                    up = per_pod * m1
                    m2 = next(m for m in range(min(up, kc // pods), 0, -1) if up % m == 0)
                    cores = aggs * (up // m2)
                    if limit is not None:
                        biggest_pod = per_pod * base + min(per_pod, extra)
                        blast = busiest
                        if aggs == 1:
                            blast = max(blast, min(biggest_pod, n - busiest))
                        if cores == 1:
                            blast = max(blast, n - biggest_pod)
                        if blast > limit:
                            continue
                    cables = total * aggs * m1  # in each layer: every aggregation switch as many up as down
                    all_ports = planes * (total * ke + pods * aggs * ka + cores * kc)
                    used = endpoint_ports + 4 * planes * cables
                    if (all_ports - used) * spare.denominator < spare.numerator * all_ports:
                        continue
                    switches = planes * (total + pods * aggs + cores)
                    cents = (planes * (total * pe + pods * aggs * pa + cores * pc + cables * cable_cents)
                             + endpoint_cents)
                    found += 1
                    yield ((switches, cents, found) if by_switches else (cents, switches, found)), {
                        "pods": pods, "edges_per_pod": per_pod, "aggregations_per_pod": aggs,
                        "edge_aggregation_links": m1, "aggregations_per_core_group": 1,
                        "cores_per_group": up // m2, "aggregation_core_links": m2,
                        "edge_switch": edge, "aggregation_switch": agg, "core_switch": core}

    @classmethod
    def leaf_spine_splits(cls, cold: Candidate, requirement: SizingRequest, deadline: Deadline | None = None
                          ) -> Iterator[tuple[tuple[int, int, int], dict[str, int]]]:
        """Feasible two-tier trees of ``cold``'s space in closed form, keyed as ``mixed_leaf_splits``, per
        leaf and spine config (not one for both) and per leaf split: L = ceil(n/d) leaves for d = k_l - 1 ..
        1 (at most k_s: each takes a cable to every spine), u = U[L] uplinks (uplinks_table: the bisection the
        request asks), S the smallest divisor of u with (u/S)*L <= k_s spines, u/S cables from each leaf to
        each; the blast radius and spare ports checked here as ``mixed_figures`` counts them."""
        options, req = cold.tier_switches, requirement
        assert options is not None
        n, planes, ports, k = cold.shape["n_plane"], cold.planes, cold.ports_per_endpoint, cold.shape["k"]
        rho = req.endpoint_speed_gbps / Fraction(cold.switch.port_speed_gbps)
        low = -(-n // (k - 1))
        table = cls.uplinks_table(n, low, rho, req.bisection_ratio, k)
        limit = req.max_blast_radius if ports == 1 else None
        spare, endpoint_ports = req.spare_ports, req.num_endpoints * ports
        found = 0
        for leaf, spine in itertools.product(range(len(options.configs)), repeat=2):
            if leaf == spine:
                continue
            if deadline is not None:
                deadline.check("starting the two-tier trees of a switch per tier")
            kl, ks = options.configs[leaf].radix, options.configs[spine].radix
            pl, ps = options.prices[leaf].switch_cents, options.prices[spine].switch_cents
            cable_cents = options.links[leaf][spine].optical_link_cents
            endpoint_cents = endpoint_ports * options.prices[leaf].endpoint_cable_cents
            for down in range(kl - 1, 0, -1):
                leaves = -(-n // down)
                if leaves < 2 or leaves > ks or leaves - low >= len(table) or leaves < low:
                    continue
                busiest, up = -(-n // leaves), table[leaves - low]
                if busiest + up > kl:
                    continue
                links = ks // leaves  # the most cables from a leaf to each spine
                spines = next(d for d in range(-(-up // links), up + 1) if up % d == 0)
                if limit is not None and max(busiest, n - busiest if spines == 1 else 0) > limit:
                    continue
                cables = leaves * up
                all_ports = planes * (leaves * kl + spines * ks)
                used = endpoint_ports + 2 * planes * cables
                if (all_ports - used) * spare.denominator < spare.numerator * all_ports:
                    continue
                switches = planes * (leaves + spines)
                cents = planes * (leaves * pl + spines * ps + cables * cable_cents) + endpoint_cents
                found += 1
                key = (switches, cents, found) if req.objective == "switches" else (cents, switches, found)
                yield key, {"leaves": leaves, "spines": spines, "leaf_spine_links": up // spines,
                            "leaf_switch": leaf, "spine_switch": spine}

    @classmethod
    def mixed_figures(cls, candidate: Candidate, requirement: SizingRequest) -> Candidate | None:
        """A sized tree whose tiers chose their switches with its closed-form figures (switches, cost, the
        exact bisection ratio, spare ports, blast radius as fault_domains counts it), None if it breaks the
        request (``Candidate.meets``)."""
        z, n, ports = candidate.size, candidate.shape["n_plane"], candidate.ports_per_endpoint
        if candidate.tiers == 2:
            leaves, up, per_pod, lone_top = z["leaves"], z["spines"] * z["leaf_spine_links"], z["leaves"], False
            lone_core = z["spines"] == 1
        else:
            leaves, up = z["pods"] * z["edges_per_pod"], z["aggregations_per_pod"] * z["edge_aggregation_links"]
            per_pod, lone_top = z["edges_per_pod"], z["aggregations_per_pod"] == 1
            lone_core = z["aggregations_per_pod"] // z["aggregations_per_core_group"] * z["cores_per_group"] == 1
        rho = requirement.endpoint_speed_gbps / Fraction(candidate.switch.port_speed_gbps)
        least, _ = leaf_cut_bisection(n, leaves, up, rho, scaled=True)
        demand = bisection_demand_ports(n)
        base, extra = divmod(n, leaves)
        busiest, biggest_pod = base + (extra > 0), per_pod * base + min(per_pod, extra)
        blast = 0
        if ports == 1:  # two tiers: one "pod" of every leaf, a lone spine as a lone core
            blast = n if leaves == 1 else busiest
            if lone_top:
                blast = max(blast, min(biggest_pod, n - busiest))
            if lone_core:
                blast = max(blast, n - (busiest if candidate.tiers == 2 else biggest_pod))
        sized = replace(candidate, num_switches=sum(cls.sizing_roles(candidate).values()),
                        cost_cents=cls.mixed_cents(candidate, requirement),
                        bisection_ratio=Fraction(least, rho.numerator * demand) if demand else Fraction(1),
                        spare_ports=cls.mixed_spare_ports(candidate, requirement), blast_radius=blast)
        return sized if sized.meets(requirement) else None

    @classmethod
    def mixed_cents(cls, candidate: Candidate, requirement: SizingRequest) -> int:
        """The cost in cents of a sized tree whose tiers chose their switches: each tier's switches at its
        config's price, each layer's cables at the prices of its two ends' configs, the endpoint cables at
        the lowest tier's (as ``_tier_terms`` states it, and the design prices it)."""
        options = candidate.tier_switches
        assert options is not None
        chosen = cls.sizing_role_switches(candidate)
        index = {role: options.configs.index(config) for role, config in chosen.items()}
        counts = cls.sizing_roles(candidate)
        lowest = next(iter(index.values()))
        return (sum(counts[role] * options.prices[i].switch_cents for role, i in index.items())
                + sum(cables * getattr(options.links[index[a]][index[z]], f"{medium}_link_cents")
                      for (a, z), medium, cables in cls.mixed_cables(candidate))
                + requirement.num_endpoints * candidate.ports_per_endpoint
                * options.prices[lowest].endpoint_cable_cents)

    @classmethod
    def mixed_cables(cls, candidate: Candidate) -> tuple[tuple[tuple[str, str], str, int], ...]:
        """Each layer of a sized decided tree: its two roles, its medium and its cables over all planes."""
        z, counts = candidate.size, cls.sizing_roles(candidate)
        if candidate.tiers == 2:
            return ((LEAF_SPINE_ROLES, OPTICAL, counts["leaf"] * z["spines"] * z["leaf_spine_links"]),)
        return ((("edge", "aggregation"), ELECTRIC,
                 counts["edge"] * z["aggregations_per_pod"] * z["edge_aggregation_links"]),
                (("aggregation", "core"), OPTICAL,
                 counts["aggregation"] * z["cores_per_group"] * z["aggregation_core_links"]))

    @classmethod
    def mixed_spare_ports(cls, candidate: Candidate, requirement: SizingRequest) -> Fraction:
        """Unused ports over all ports of a sized tree whose tiers chose their switches (each its own radix)."""
        counts = cls.sizing_roles(candidate)
        total = sum(counts[role] * config.radix for role, config in cls.sizing_role_switches(candidate).items())
        used = (requirement.num_endpoints * candidate.ports_per_endpoint
                + 2 * sum(cables for *_, cables in cls.mixed_cables(candidate)))
        return Fraction(total - used, total)

    @classmethod
    def trees(cls, family: type[Topology], requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
              deadline: Deadline | None, tiers: int, planes: int, ports: int, radix_only: bool,
              what: str) -> Iterator[Candidate]:
        """The trees of ``tiers`` tiers in ``planes`` planes with ``ports`` per endpoint: every leaf split
        on every k <= radix (``radix_only``: k = radix alone), k and d downwards, at its closed-form
        sizing (``tree_candidate``), skipping the splits the hop and blast limits prune; with three
        tiers then the candidate whose construction the solver decides (``decided_tree``). ``what``
        names them in a time-limit message (completed by ", k=...)")."""
        k = switch.radix if tiers == 2 else switch.radix - switch.radix % 2
        n = requirement.num_endpoints * ports // planes  # endpoint ports per plane
        start: Candidate | None = None  # three tiers: the decided candidate's starting point
        most_down = cls.most_down_within_blast(requirement, tiers, ports, n, k)
        bound = requirement.cost_bound
        for k_used in range(k, k - 1 if radix_only else 1, -1 if tiers == 2 else -2):
            if deadline is not None:
                deadline.check(f"enumerating {what}, k={k_used})")
            least = cls.least_down_within_hops(requirement, tiers, n, k_used)
            downs = range(min(k_used - 1, most_down), least - 1, -1)
            skips, stop = ([], len(downs)) if bound is None else cls.skipped_downs(
                bound, requirement, switch, prices, tiers, planes, ports, k_used, downs, start)
            for i, down in enumerate(downs[:stop]):
                if skips and skips[i]:
                    continue
                cand = cls.tree_candidate(family, requirement, switch, prices, tiers, planes, ports, k_used, down)
                if cand is None:
                    break  # fewer down ports only need more leaves
                if cand is _PRUNED:
                    continue
                yield cand
                if tiers == 3:
                    start = cls.better_start(cand, start, requirement)
        if tiers == 3:
            decided = cls.decided_tree(family, requirement, switch, prices, planes, ports, start)
            if decided is not None:
                yield decided

    @staticmethod
    def skipped_downs(bound: CostBound, requirement: SizingRequest, switch: SwitchConfig, prices: Prices, tiers: int,
                      planes: int, ports: int, k: int, downs: range, start: Candidate | None,
                      rails: int = 0) -> tuple[list[bool], int]:
        """Which trees of ``downs`` leaf ports down (falling) on k ports ``trees`` may leave out without making
        them (CostBound), and how many of ``downs`` to go through (every later one may be left out), from
        the bound and ``start`` as they are now (both only tighten as shapes are ranked, so a verdict stays
        true). ``rails`` G > 0: the rail-aligned trees (mrft.py: L = G*ceil(n_r/d), P = ceil(L_r/floor(k/(2G)))
        pods of G*ceil(L_r/P) leaves), whose counts are at least the leaf-split tree's.
        A tree's cost is at least planes x (switches x switch + links x link) + N x m x endpoint cable over
        lower bounds of its counts that only grow as d falls on one k (u = k - d rises, L_n = ceil(n/d)
        rises): two tiers L_n leaves and ceil(L_n*u/k) spines (S*k >= L*u), L_n*u links; three tiers L_n
        edges (P*E_p >= L_n), ceil(L_n/(k/2)) pods of u aggregation switches and u groups of ceil(L_n/k)
        cores at least (C*k >= P*E_p), L_n*u links a layer. From where it reaches
        CostBound.admitted_cents every tree is left out. Past any_cents, a tree proven not admitted is
        left out: its bisection ratio is below the request's by the cut of its l = floor(L/2) fullest
        leaves (``leaf_cut_bisection``'s term at one l, an upper bound on the minimum, in floats with a
        1e-9 margin). Shapes of one build have one verdict (CostBound's proviso): a build's switches per
        role and cost fix L, then the links, so u, then P and C, and the bisection reads n, L and u alone.
        Three tiers: a tree of two pods or more is made unless it cannot be the decided candidate's start
        (``better_start``): the start meets the ratio or the tree is proven not to, and the start costs no
        more than the bound; the run ends early only past a start meeting the ratio and costing no more."""
        import numpy as np

        d = np.arange(downs.start, downs.stop, downs.step, dtype=np.int64)
        if not d.size:
            return [], 0
        n_total = requirement.num_endpoints
        n = n_total * ports // planes
        up = k - d
        leaves = -(-n // d)
        pods = -(-leaves // (k // 2)) if tiers == 3 else np.ones_like(d)
        if tiers == 2:
            switches = leaves + -(-leaves * up // k)
            link_cents = leaves * up * prices.optical_link_cents
        else:
            switches = leaves + pods * up + up * -(-leaves // k)
            link_cents = leaves * up * (prices.electric_link_cents + prices.optical_link_cents)
        cents = planes * (switches * prices.switch_cents + link_cents) + n_total * ports * prices.endpoint_cable_cents
        needed = requirement.bisection_ratio
        meets = start is not None and start.bisection_ratio >= needed
        start_cheaper = (np.full(d.size, False) if start is None else start.cost_cents <= cents)
        past_admitted = cents >= bound.admitted_cents
        past_any = cents >= bound.any_cents
        ends = past_admitted if tiers == 2 else past_admitted & start_cheaper & meets
        stop = int(np.argmax(ends)) if ends.any() else d.size
        if rails:  # the rail-aligned tree's own leaves and pods
            per_rail = -(-(n // rails) // d)
            if tiers == 3:
                pods = -(-per_rail // ((k // 2) // rails))
                per_rail = pods * -(-per_rail // pods)
            leaves = rails * per_rail
        elif tiers == 3:
            leaves = pods * -(-leaves // pods)
        within = np.full(d.size, True) if rails else (leaves <= k if tiers == 2 else pods <= k)
        demand = bisection_demand_ports(n)
        rho = _speed_ratio(requirement.endpoint_speed_gbps, switch.port_speed_gbps)
        if demand:
            base, extra = np.divmod(n, leaves)
            most = leaves // 2
            across = np.maximum(0, n // 2 - most * base - np.minimum(most, extra))
            cut = up * most * rho.denominator + rho.numerator * across
            # the ratio (cut / rho.denominator) * c / (floor(n/2) * r) = cut / (rho.numerator * demand)
            failing = cut.astype(np.float64) / (rho.numerator * demand) < float(needed) * (1 - 1e-9)
        else:
            failing = np.full(d.size, False)
        may_start = (pods >= 2) & ~(start_cheaper | meets) if tiers == 3 else np.full(d.size, False)
        skip = within & ((past_admitted & (pods < 2)) | (past_any & failing & ~may_start))
        return skip.tolist(), stop

    @staticmethod
    def better_start(cand: Candidate, start: Candidate | None, requirement: SizingRequest) -> Candidate | None:
        """The better starting point for a decided candidate of ``cand`` (a three-tier leaf-split tree) and
        ``start``: of two pods or more, meeting the bisection ratio first, then the cheaper."""
        if cand.size["pods"] < 2:
            return start
        if start is None or ((cand.bisection_ratio >= requirement.bisection_ratio, -cand.cost_cents)
                             > (start.bisection_ratio >= requirement.bisection_ratio, -start.cost_cents)):
            return cand
        return start

    @classmethod
    def decided_tree(cls, family: type[Topology], requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
                     planes: int, ports: int, start: Candidate | None) -> Candidate | None:
        """The three-tier candidate of ``planes`` and ``ports`` whose construction the solver decides
        (``constructed_candidate``), started from ``start`` (``better_start`` over the leaf-split trees),
        else the balanced tree, else cold (``unstarted``); None when the request's hop limit keeps three
        tiers to one pod or when explaining infeasibility (the leaf-split trees answer that)."""
        if not requirement.prunes or (requirement.max_hops is not None and requirement.max_hops < 4):
            return None
        k = switch.radix - switch.radix % 2
        if start is None:  # every leaf-split tree breaks a limit: start from the balanced one
            start = cls.tree_candidate(family, requirement, switch, prices, 3, planes, ports, k, k // 2, prune=False)
        if start is None or start.size["pods"] < 2:  # none of two pods: the model starts cold
            start = cls.unstarted(family, requirement, switch, prices, planes, ports)
        return None if start is None else cls.constructed_candidate(start, requirement)

    @classmethod
    def unstarted(cls, family: type[Topology], requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
                  planes: int, ports: int) -> Candidate | None:
        """A stand-in start for a decided candidate where no leaf-split tree of two pods or more exists (an
        odd radix, or more endpoints than the leaf-split trees hold): no construction to hint, proven
        figures none (a zero bisection ratio, so nothing is bounded by it); None for too few endpoint ports
        per plane to fill two pods' edges."""
        n = requirement.num_endpoints * ports // planes
        if n < 2 or switch.radix < 3:
            return None
        return Candidate(family, switch, prices, {"k": switch.radix, "down": 0, "up": 0, "n_plane": n}, {},
                         requirement.num_endpoints, 0, 0, Fraction(0), Fraction(0), n, 4, 3, planes, ports)

    @staticmethod
    def most_down_within_blast(requirement: SizingRequest, tiers: int, ports: int, n: int, k: int) -> int:
        """The most leaf ports down that ``tree_candidate`` does not prune for the blast radius alone, over a
        plane of n endpoint ports (k - 1 when nothing is pruned for it): with two tiers and one port per
        endpoint a leaf's failure takes its ceil(n/L) endpoints, L = ceil(n/d), which never falls as d
        grows, so the d where it passes the limit and every d above it are pruned; found by bisection."""
        limit = requirement.max_blast_radius
        if tiers != 2 or ports != 1 or limit is None or not requirement.prunes:
            return k - 1
        low, high = 0, k - 1  # the answer is in low..high; d = 0 stands for "none"

        def busiest(down: int) -> int:
            return -(-n // -(-n // down))

        while low < high:
            mid = (low + high + 1) // 2
            low, high = (mid, high) if busiest(mid) <= limit else (low, mid - 1)
        return low

    @staticmethod
    def least_down_within_hops(requirement: SizingRequest, tiers: int, n: int, k: int) -> int:
        """The fewest leaf ports down that ``tree_candidate`` does not prune for the hop limit, over a plane of
        n endpoint ports on k ports (1 when nothing is pruned for it): a tree takes 4 hops with several
        pods (three tiers), 2 with several leaves, 0 on one switch, and fewer down ports only add leaves
        and pods; one pod holds k/2 leaves, so at most 2 hops need ceil(n/d) <= k/2, and 0 hops d >= n."""
        limit = requirement.max_hops
        if limit is None or not requirement.prunes or limit >= (4 if tiers == 3 else 2):
            return 1
        if tiers == 3 and limit >= 2:
            return -(-n // (k // 2))
        return n

    @classmethod
    def constructed_candidate(cls, start: Candidate, requirement: SizingRequest) -> Candidate:
        """The three-tier tree of ``start``'s planes and ports whose construction (TreeConstruction: pods,
        edges and aggregation switches per pod, cable multiplicities, core groups) the solver decides on
        the whole radix (``construction_model``); its closed-form figures are ``start``'s, a leaf-split
        tree of two pods or more (the construction with m1 = 1, A = u, h = 1, G = C, m2 = E/C)."""
        z, s = start.size, start.shape
        size = {}  # no hint without a leaf-split start (``unstarted``)
        if z:
            per_pod = z["edges"] // z["pods"]
            size = {
                "pods": z["pods"], "edges_per_pod": per_pod, "aggregations_per_pod": s["up"],
                "edge_aggregation_links": 1, "aggregations_per_core_group": 1, "cores_per_group": z["core_groups"],
                "aggregation_core_links": per_pod // z["core_groups"],
            }
        decided = replace(start, shape={"k": start.switch.radix, "n_plane": s["n_plane"]}, size=size, decided=True)
        return replace(decided, lower_bound=cls.construction_lower_bound(decided, requirement))

    @classmethod
    def tree_candidate(cls, family: type[Topology], requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
                       tiers: int, planes: int, ports: int, k: int, down: int, prune: bool = True) -> Any:
        """The tree on k of the switch's ports with ``down`` leaf ports down, at its minimal sizing; None
        beyond its maximum; _PRUNED if ``prune`` and the request prunes and it breaks the hop or
        blast-radius limit.
        Per plane of n = N*m/P endpoint ports (Zhao et al. 2025, Table 3), the construction of the module
        docstring (Al-Fares et al. 2008), whose uniform links make the closed-form bisection exact:
        - two tiers: L = ceil(n/d) leaves, S spines (the smallest divisor of u with S*k >= L*u), L*u
          links; at most k leaves (k*d endpoints);
        - three tiers: D = ceil(ceil(n/d)/(k/2)) pods of E_p = ceil(ceil(n/d)/D) edges and u aggregation
          switches, u groups of C cores (the smallest divisor of E_p with C*k >= D*E_p), D*E_p*u links
          per layer; at most k pods.
        Blast radius and hops as ``fault_domains`` and ``diameter_hops`` give them; with m > 1 ports per
        endpoint no switch disconnects an endpoint (it keeps its other planes)."""
        n_total = requirement.num_endpoints
        up = k - down
        n = n_total * ports // planes  # endpoint ports per plane
        # the hop and blast-radius prune first: most shapes of a capped request end there
        if tiers == 2:
            leaves = -(-n // down)
            if leaves > k:
                return None  # beyond the two-tier maximum k*d
            busiest = -(-n // leaves)
            hops = 0 if leaves == 1 else 2
        else:
            pods = -(-(-(-n // down)) // (k // 2))
            if pods > k:
                return None  # beyond the three-tier maximum k*(k/2)*d
            first_pod = -(-(-(-n // down)) // pods)  # every pod has this many edges
            leaves = pods * first_pod
            busiest = -(-n // leaves)
            hops = 4 if pods > 1 else (0 if leaves == 1 else 2)
        max_hops, max_blast = requirement.max_hops, requirement.max_blast_radius
        prunes = prune and requirement.prunes
        if prunes and max_hops is not None and hops > max_hops:
            return _PRUNED
        if prunes and max_blast is not None and ports == 1 and min(busiest, n) > max_blast:
            return _PRUNED  # a leaf's endpoints at least (the blast radius below is never less)
        if tiers == 2:
            spines = smallest_divisor_at_least(up, -(-leaves * up // k))
            size = {"leaves": leaves, "spines": spines}
            per_plane = leaves + spines
            electric, optical = 0, leaves * up
            blast = n if leaves == 1 else max(busiest, n - busiest if spines == 1 else 0)
        else:
            edges = leaves
            groups = smallest_divisor_at_least(first_pod, -(-edges // k))
            size = {"edges": edges, "pods": pods, "core_groups": groups}
            per_plane = edges + pods * up + up * groups
            electric = optical = edges * up
            small, extra = divmod(n, edges)  # leaves carry small or small + 1 endpoints, fuller ones first
            biggest_pod = first_pod * small + min(first_pod, extra)
            blast = n if edges == 1 else busiest
            if up == 1:
                blast = max(blast, min(biggest_pod, n - busiest))
                if groups == 1 and pods > 1:
                    blast = max(blast, n - biggest_pod)
        if ports > 1:
            blast = 0  # every endpoint keeps its ports in the other planes
        if prunes and max_blast is not None and blast > max_blast:
            return _PRUNED
        switches = planes * per_plane
        links = planes * (electric + optical)
        cost = (
            switches * prices.switch_cents
            + n_total * ports * prices.endpoint_cable_cents
            + planes * electric * prices.electric_link_cents
            + planes * optical * prices.optical_link_cents
        )
        total_ports = switches * switch.radix  # ports beyond k stay idle
        used = n_total * ports + 2 * links
        # the exact bisection per plane (``bisection``, endpoint links at r/c cable), the same in every
        # plane, over floor(n/2) endpoint ports per plane (topologies.base.bisection_demand_ports);
        # FatTree.bisection of the plane without building it (sizing calls this for every shape): with
        # r/c = a/b, the cut is least/b cables and the ratio (least/b)*c / (floor(n/2)*r) = least/(a*floor(n/2))
        rho = _speed_ratio(requirement.endpoint_speed_gbps, switch.port_speed_gbps)
        least, _ = leaf_cut_bisection(n, leaves, up, rho, scaled=True)
        demand = bisection_demand_ports(n)
        share = Fraction(least, rho.numerator * demand) if demand else Fraction(1)
        return Candidate(
            family, switch, prices, {"k": k, "down": down, "up": up, "n_plane": n}, size,
            n_total, switches, cost, share, Fraction(total_ports - used, total_ports),
            blast, hops, tiers, planes, ports,
        )

    @classmethod
    def size_model(cls, model: Any, candidate: Candidate, requirement: SizingRequest, use: Any) -> SizedVars:
        """The tree's sizing in integers, per plane (the same in every plane):
        - ceilings as two inequalities (x*d >= n and x*d <= n + d - 1 is x = ceil(n/d)), so the solver
          reproduces the fewest leaves (pods, edges) that hold the endpoints;
        - port balance: every leaf uplink lands on a spine port (S*k >= L*u), at most k leaves (k pods)
          below one switch, so no switch exceeds its radix;
        - the spine (core) count, the smallest divisor of the uplinks that balances them, is not linear:
          pinned to the closed form (``tree_candidate``), as the ceilings pin the leaves;
        - the bisection ratio is fixed by the shape (exact, ``bisection``); spare ports and cost are linear.
        Hops and blast radius are checked by the closed forms (closed_form_limits). A decided candidate's
        construction is the model's to choose (``construction_model``)."""
        if candidate.decided:
            decided = cls.leaf_spine_model if candidate.tiers == 2 else cls.construction_model
            return decided(model, candidate, requirement, use)
        c, req = candidate, requirement
        s, planes, ports = c.shape, c.planes, c.ports_per_endpoint
        k, d, u, n = s["k"], s["down"], s["up"], s["n_plane"]
        n_total = req.num_endpoints
        on, off = use, use.negated()
        # The proven bisection ratio, u / n_max x port / speed, is fixed once n and d fix the leaves.
        if c.bisection_ratio < req.bisection_ratio:
            model.add(use == 0)
        if c.tiers == 2:
            leaves = model.new_int_var(0, k, f"leaves_{c.rank}")  # leaves per plane
            spines = model.new_int_var(0, k, f"spines_{c.rank}")  # spines per plane
            model.add(leaves * d >= n).only_enforce_if(on)  # leaves = ceil(n/d)
            model.add(leaves * d <= n + d - 1).only_enforce_if(on)
            model.add(spines * k >= leaves * u).only_enforce_if(on)  # every uplink on a spine port
            # ... on the smallest such spine count dividing u (uniform links: not linear, so from the
            # closed form; leaves is pinned by n and d above)
            model.add(spines == c.size["spines"]).only_enforce_if(on)
            for var in (leaves, spines):
                model.add(var == 0).only_enforce_if(off)
            per_plane = leaves + spines
            size = {"leaves": leaves, "spines": spines}
            electric, optical, num_links = 0, leaves * u, leaves * u
        else:
            half = k // 2
            edges = model.new_int_var(0, k * half, f"edges_{c.rank}")  # edge switches per plane
            pods = model.new_int_var(0, k, f"pods_{c.rank}")  # pods per plane (u aggregation switches each)
            groups = model.new_int_var(0, k, f"core_groups_{c.rank}")  # cores per group (u groups)
            base_edges = ceil(Fraction(n, d))  # ceil(n/d) edges hold the endpoints
            model.add(pods * half >= base_edges).only_enforce_if(on)  # at most k/2 edges per pod
            model.add(pods * half <= base_edges + half - 1).only_enforce_if(on)
            per_pod = model.new_int_var(0, half, f"edges_per_pod_{c.rank}")  # the same in every pod
            model.add_multiplication_equality(edges, [per_pod, pods])
            model.add(edges >= base_edges).only_enforce_if(on)
            model.add(groups * k >= edges).only_enforce_if(on)  # core group a takes every pod's uplinks
            # ... on the smallest such core count dividing the edges per pod (uniform links: from the
            # closed form, as pods and edges per pod are pinned by n and d)
            model.add(per_pod == c.size["edges"] // max(1, c.size["pods"])).only_enforce_if(on)
            model.add(groups == c.size["core_groups"]).only_enforce_if(on)
            for var in (edges, pods, groups, per_pod):
                model.add(var == 0).only_enforce_if(off)
            per_plane = edges + u * pods + u * groups
            size = {"edges": edges, "pods": pods, "core_groups": groups}
            electric, optical, num_links = edges * u, edges * u, 2 * edges * u
        spare = req.spare_ports
        total_ports = planes * per_plane * c.switch.radix
        used_ports = n_total * ports * use + 2 * planes * num_links
        free = spare.denominator - spare.numerator
        model.add(free * total_ports >= spare.denominator * used_ports).only_enforce_if(on)
        p = c.prices
        cost = (
            planes * per_plane * p.switch_cents
            + n_total * ports * p.endpoint_cable_cents * use
            + planes * electric * p.electric_link_cents
            + planes * optical * p.optical_link_cents
        )
        return SizedVars(use, size, cost, planes * per_plane, n_total * use)

    @classmethod
    def construction_model(cls, model: Any, candidate: Candidate, requirement: SizingRequest,
                           use: Any, edge_multiple: int = 1,
                           family_constraints: Callable[[Any, dict[str, Any], Any],
                                                        tuple[dict[str, Any], tuple[Any, ...]]] | None = None
                           ) -> SizedVars:
        """Three tiers with the construction as variables, per plane of n endpoint ports on radix k (the
        same in every plane): P >= 2 pods of E edges and A aggregation switches, m1 cables edge to
        aggregation, A/h core groups of G cores, m2 cables aggregation to core (TreeConstruction), E a
        multiple of ``edge_multiple`` (1: any; a family whose pods must hold whole groups of leaves sets
        it, e.g. one leaf of every rail); ``family_constraints(model, v, use)``, given the construction's
        variables ``v`` (the TreeConstruction fields and ``core_groups``), adds a family's own constraints and
        returns its further variables, hinted from the start's size and reported in the sizing with the
        construction's (e.g. scalable units whose pods hold whole units of one rail), and its tie-breaks,
        after the construction's. With L = P*E leaves holding n_e = ceil(n/L) endpoints at most and
        u = A*m1 uplinks each:
        - one table row per leaf count L (leaf_count_rows): n_e, U[L] (the fewest uplinks whose exact
          bisection, leaf_cut_bisection, meets the requirement: uplinks_needed) and L*U[L]; u >= U[L];
        - radix: n_e + u <= k (edge), E*m1 + G*m2 <= k (aggregation), P*h*m2 <= k (core);
        - E*m1 <= G*m2: no aggregation switch has more ports down than up, which makes the leaf cuts'
          closed form the exact bisection (``bisection``, by even up-path spreading, Leiserson 1985),
          so the bisection requirement is a constraint of the model, not a check afterwards;
        - implied linear cuts (edge cables >= L*U[L], core cables >= edge cables, ports per tier);
        - blast radius (one port per endpoint): n_e, with the pod's or the fabric's split when A = 1 or
          a lone core (``fault_domains``), exactly; hops are 4 (P >= 2), pruned before;
        - spare ports and cost (switches, endpoint cables, edge-aggregation cables electric,
          aggregation-core cables optical), linear in the products.
        Tie-breaks among equally good constructions: fewest cables, then fewest pods, edges and
        aggregation switches per pod, cable multiplicity m1 and indices per core group h, in that order."""
        c, req = candidate, requirement
        k, n, planes, ports = c.shape["k"], c.shape["n_plane"], c.planes, c.ports_per_endpoint
        n_total = req.num_endpoints
        on, off = use, use.negated()
        prices = c.prices
        rho = req.endpoint_speed_gbps / Fraction(c.switch.port_speed_gbps)
        low = -(-n // (k - 1))  # fewest leaves: at most k - 1 endpoints on one
        high = min(n, k * k)  # no empty leaf; P, E <= k
        # a design better than a feasible start in cost costs no more than it: its leaves are at most what
        # the start's cost pays for in switches; one better in switches has no more leaves than its switches
        start_feasible = bool(c.size) and c.meets(req)
        if start_feasible and req.bounded_by_cost and prices.switch_cents > 0:
            high = min(high, c.cost_cents // (planes * prices.switch_cents))
        elif start_feasible and req.objective == "switches":
            high = min(high, c.num_switches // planes)
        high = max(high, low)
        table = cls.uplinks_table(n, low, rho, req.bisection_ratio, k)[:high - low + 1]
        v = {name: model.new_int_var(1, k, f"{name}_{c.rank}") for name in (
            "edges_per_pod", "aggregations_per_pod", "edge_aggregation_links", "aggregations_per_core_group",
            "core_groups", "cores_per_group", "aggregation_core_links")}
        v["pods"] = model.new_int_var(2, k, f"pods_{c.rank}")
        pods, edges, aggs, m1 = v["pods"], v["edges_per_pod"], v["aggregations_per_pod"], v["edge_aggregation_links"]
        h, groups, per_group, m2 = (v["aggregations_per_core_group"], v["core_groups"], v["cores_per_group"],
                                    v["aggregation_core_links"])

        def product(name: str, a: Any, b: Any, lo: int, hi: int) -> Any:
            var = model.new_int_var(lo, hi, f"{name}_{c.rank}")
            model.add_multiplication_equality(var, [a, b])
            return var

        def small_product(name: str, a: Any, b: Any) -> Any:
            var = model.new_int_var(1, k, f"{name}_{c.rank}")  # a product of at most k
            model.add_multiplication_equality(var, [a, b])
            return var

        if edge_multiple > 1:  # E = edge_multiple * (groups of leaves per pod)
            model.add(edges == edge_multiple * model.new_int_var(0, k // edge_multiple, f"edge_groups_{c.rank}")
                      ).only_enforce_if(on)
        extra, family_tiebreaks = family_constraints(model, v, on) if family_constraints is not None else ({}, ())
        v.update(extra)
        mixed = c.tier_switches is not None
        rows = ([row[:7] for row in cls.mixed_rows(c, req, low, table, start_feasible)] if mixed
                else cls.leaf_count_rows(c, req, low, table, start_feasible, edge_multiple))
        if not rows:
            model.add(use == 0)
            rows = [(2 * k, 1, 1, 2 * k, 0, 0, 1)[:7 if mixed else 4]]  # any row: the candidate is not used
        fewest, most = min(row[0] for row in rows), max(row[0] for row in rows)
        high = max(high, most)
        leaves = model.new_int_var(fewest, most, f"leaves_{c.rank}")
        busiest = model.new_int_var(1, k, f"busiest_leaf_{c.rank}")  # n_e = ceil(n/L)
        needed = model.new_int_var(1, k, f"uplinks_needed_{c.rank}")  # U[L]
        least = model.new_int_var(0, most * k, f"least_edge_cables_{c.rank}")  # L*U[L]
        row_vars = [leaves, busiest, needed, least]
        if not mixed:
            model.add_allowed_assignments(row_vars, rows)
        model.add_multiplication_equality(leaves, [pods, edges])
        up = small_product("uplinks", aggs, m1)
        agg_down = small_product("aggregation_down", edges, m1)
        agg_up = small_product("aggregation_up", per_group, m2)
        core_indices = small_product("core_indices", pods, h)
        core_ports = small_product("core_ports", core_indices, m2)
        model.add_multiplication_equality(aggs, [h, groups])
        all_aggs = product("aggregations", pods, aggs, 2, k * k)
        cores = product("cores", groups, per_group, 1, k * k)
        edge_cables = product("edge_cables", leaves, up, 1, high * k)
        core_cables = product("core_cables", all_aggs, agg_up, 1, k ** 3)
        tier = (cls._tier_terms(model, c, TIER_ROLES, ((leaves, most), (all_aggs, k * k), (cores, k * k)),
                                (((0, 1), "electric", (edge_cables, high * k)),
                                 ((1, 2), "optical", (core_cables, k ** 3))),
                                (n + edge_cables, edge_cables + core_cables, core_cables), on)
                if c.tier_switches is not None else None)
        if tier is not None:  # each row holds for its mix of configs only
            model.add_allowed_assignments([*row_vars, *tier.chosen.values()], rows)
        radix = (k, k, k) if tier is None else tier.radix
        tier_ports = (k * leaves, k * all_aggs, k * cores) if tier is None else tier.ports
        for constraint in (
            busiest + up <= radix[0],
            agg_down + agg_up <= radix[1],
            agg_down <= agg_up,
            up >= needed,
            # implied and linear, so the search has its bounds early: every leaf has U[L] uplinks,
            # aggregation switches have at least as many cables up as down, the ports of each tier
            edge_cables >= least,
            core_cables >= edge_cables,
            tier_ports[0] >= n + edge_cables,
            tier_ports[1] >= edge_cables + core_cables,
            tier_ports[2] >= core_cables,
        ):
            model.add(constraint).only_enforce_if(on)
        if tier is not None:  # the core's radix is its model's (the product's domain is the largest)
            model.add(core_ports <= radix[2]).only_enforce_if(on)
        if req.prunes and req.max_blast_radius is not None and ports == 1:
            cls._blast_constraints(model, c, n, req.max_blast_radius, on, v, leaves, busiest, cores)
        per_plane = leaves + all_aggs + cores
        links = edge_cables + core_cables
        spare = req.spare_ports
        free = spare.denominator - spare.numerator
        all_ports = per_plane * c.switch.radix if tier is None else sum(tier.ports)
        model.add(free * planes * all_ports
                  >= spare.denominator * (n_total * ports + 2 * planes * links)).only_enforce_if(on)
        switches = model.new_int_var(0, planes * (high + 2 * k * k), f"switches_{c.rank}")
        model.add(switches == planes * per_plane).only_enforce_if(on)
        model.add(switches == 0).only_enforce_if(off)
        if tier is None:
            plane_cents = (per_plane * prices.switch_cents + prices.electric_link_cents * edge_cables
                           + prices.optical_link_cents * core_cables)
            endpoint_cents = n_total * ports * prices.endpoint_cable_cents
            top = planes * ((high + 2 * k * k) * prices.switch_cents + (high * k) * prices.electric_link_cents
                            + k ** 3 * prices.optical_link_cents) + n_total * ports * prices.endpoint_cable_cents
        else:
            plane_cents, endpoint_cents = tier.plane_cents, n_total * ports * tier.endpoint_cents
            top = planes * tier.plane_cents_most + n_total * ports * tier.endpoint_cents_most
        cost = model.new_int_var(0, min(top, 2**62), f"cost_{c.rank}")  # CP-SAT's integers are 64-bit
        model.add(cost == planes * plane_cents + endpoint_cents).only_enforce_if(on)
        model.add(cost == 0).only_enforce_if(off)
        for name, value in c.size.items():
            if name in v:
                model.add_hint(v[name], value)
        if c.size:
            model.add_hint(groups, c.size["aggregations_per_pod"] // c.size["aggregations_per_core_group"])
        base, order = k + 1, (pods, edges, aggs, m1, h)
        fit = max(j for j in range(1, len(order) + 1) if base ** j <= 2**62)  # as many as 64 bits hold
        canonical = sum(var * base ** (fit - 1 - i) for i, var in enumerate(order[:fit]))
        size = {name: v[name] for name in (*CONSTRUCTION_FIELDS, *extra)}
        tiebreaks: tuple[Any, ...] = (links, canonical)
        if tier is not None:  # then the switches of the requirement's earlier options, from the edges up
            for name, var in tier.chosen.items():
                if name in c.size:
                    model.add_hint(var, c.size[name])
            size.update(tier.chosen)
            choices = len(c.tier_switches.configs) if c.tier_switches is not None else 1
            tiebreaks += (sum(var * choices ** (2 - i) for i, var in enumerate(tier.chosen.values())),)
        power = None
        if c.powers is not None:  # the same counts at unit powers (milliwatts)
            w = c.powers
            most = planes * ((high + 2 * k * k) * w.switch_cents + (high * k) * w.electric_link_cents
                             + k ** 3 * w.optical_link_cents) + n_total * ports * w.endpoint_cable_cents
            power = model.new_int_var(0, min(most, 2**62), f"power_{c.rank}")
            model.add(power == planes * (per_plane * w.switch_cents + w.electric_link_cents * edge_cables
                                         + w.optical_link_cents * core_cables)
                      + n_total * ports * w.endpoint_cable_cents).only_enforce_if(on)
            model.add(power == 0).only_enforce_if(off)
        return SizedVars(use, size, cost, switches, n_total * use, tiebreaks=(*tiebreaks, *family_tiebreaks),
                         power=power)

    @classmethod
    def leaf_spine_model(cls, model: Any, candidate: Candidate, requirement: SizingRequest, use: Any) -> SizedVars:
        """Two tiers whose leaves, spines and switch per tier the solver decides (``mixed_trees``), per plane
        of n endpoint ports (the same in every plane): L leaves of a leaf split holding n_e = ceil(n/L)
        endpoints at most (the rows of ``mixed_rows``, per leaf and spine config), S spines and m cables from
        each leaf to each:
        - u = S*m uplinks >= U[L], the fewest whose exact bisection (leaf_cut_bisection) meets the request:
          the bisection is a constraint of the model;
        - ports: n_e + u <= k_leaf, L*m <= k_spine (``_tier_terms``: each tier's radix its config's);
        - blast radius (one port per endpoint): n_e, and n - n_e with one spine (``fault_domains``);
        - spare ports and cost (switches at their configs' prices, L*u cables at the pair's optical price,
          the endpoint cables at the leaf config's), linear in the products.
        Tie-breaks among equally good trees: fewest cables, then fewest spines, then the requirement's earlier
        switches from the leaves up."""
        c, req = candidate, requirement
        k, n, planes, ports = c.shape["k"], c.shape["n_plane"], c.planes, c.ports_per_endpoint
        n_total, on, off = req.num_endpoints, use, use.negated()
        rho = req.endpoint_speed_gbps / Fraction(c.switch.port_speed_gbps)
        low = -(-n // (k - 1))
        table = cls.uplinks_table(n, low, rho, req.bisection_ratio, k)
        rows = cls.mixed_rows(c, req, low, table, bool(c.size) and c.meets(req))
        if not rows:
            model.add(use == 0)
            rows = [(2, 1, 1, 2, 0, 1)]  # any row: the candidate is not used
        fewest, most = min(row[0] for row in rows), max(row[0] for row in rows)
        leaves = model.new_int_var(fewest, most, f"leaves_{c.rank}")
        busiest = model.new_int_var(1, k, f"busiest_leaf_{c.rank}")  # n_e = ceil(n/L)
        needed = model.new_int_var(1, k, f"uplinks_needed_{c.rank}")  # U[L]
        least = model.new_int_var(0, most * k, f"least_cables_{c.rank}")  # L*U[L]
        spines = model.new_int_var(1, k, f"spines_{c.rank}")
        links = model.new_int_var(1, k, f"leaf_spine_links_{c.rank}")
        up = model.new_int_var(1, k, f"uplinks_{c.rank}")
        model.add_multiplication_equality(up, [spines, links])
        spine_ports = model.new_int_var(1, most * k, f"spine_ports_{c.rank}")
        model.add_multiplication_equality(spine_ports, [leaves, links])
        cables = model.new_int_var(1, most * k, f"cables_{c.rank}")
        model.add_multiplication_equality(cables, [leaves, up])
        tier = cls._tier_terms(model, c, LEAF_SPINE_ROLES, ((leaves, most), (spines, k)),
                               (((0, 1), OPTICAL, (cables, most * k)),), (n + cables, cables), on)
        model.add_allowed_assignments([leaves, busiest, needed, least, *tier.chosen.values()], rows)
        for constraint in (busiest + up <= tier.radix[0], spine_ports <= tier.radix[1], up >= needed,
                           cables >= least, tier.ports[0] >= n + cables, tier.ports[1] >= cables):
            model.add(constraint).only_enforce_if(on)
        limit = req.max_blast_radius
        if req.prunes and limit is not None and ports == 1:
            model.add(busiest <= limit).only_enforce_if(on)
            lone = model.new_bool_var(f"lone_spine_{c.rank}")
            model.add(spines == 1).only_enforce_if(lone)
            model.add(spines >= 2).only_enforce_if(lone.negated())
            model.add(n - busiest <= limit).only_enforce_if([on, lone])
        spare = req.spare_ports
        model.add((spare.denominator - spare.numerator) * planes * sum(tier.ports)
                  >= spare.denominator * (n_total * ports + 2 * planes * cables)).only_enforce_if(on)
        switches = model.new_int_var(0, planes * (most + k), f"switches_{c.rank}")
        model.add(switches == planes * (leaves + spines)).only_enforce_if(on)
        model.add(switches == 0).only_enforce_if(off)
        top = planes * tier.plane_cents_most + n_total * ports * tier.endpoint_cents_most
        cost = model.new_int_var(0, min(top, 2**62), f"cost_{c.rank}")  # CP-SAT's integers are 64-bit
        model.add(cost == planes * tier.plane_cents + n_total * ports * tier.endpoint_cents).only_enforce_if(on)
        model.add(cost == 0).only_enforce_if(off)
        size = {"leaves": leaves, "spines": spines, "leaf_spine_links": links, **tier.chosen}
        for name, value in c.size.items():
            model.add_hint(size[name], value)
        choices = len(c.tier_switches.configs) if c.tier_switches is not None else 1
        canonical = sum(var * choices ** (1 - i) for i, var in enumerate(tier.chosen.values()))
        return SizedVars(use, size, cost, switches, n_total * use, tiebreaks=(cables, spines, canonical))

    @staticmethod
    def _tier_terms(model: Any, c: Candidate, roles: tuple[str, ...], counts: tuple[tuple[Any, int], ...],
                    layers: tuple[tuple[tuple[int, int], str, tuple[Any, int]], ...], used_ports: tuple[Any, ...],
                    on: Any) -> _TierTerms:
        """A switch per tier (``c.tier_switches``) in the model, the tiers' ``roles`` from the endpoints up: a
        Boolean per (tier, config), one per tier, not one config for all; each tier's radix sum(radix_i b_ti);
        its switches split by config (x_ti = count_t when b_ti, else 0), so its ports sum(radix_i x_ti) and
        their price sum(price_i x_ti) are linear; each layer's cables (``layers``: the two tiers it joins, its
        medium, its cables) likewise split by the pair of configs at its two ends (a Boolean per pair,
        implying both ends'), where the pairs' prices differ; the endpoint cables at the lowest tier's
        config's price. ``counts`` and the cables are (variable, its largest value), ``used_ports`` each
        tier's ports cabled (for an implied bound: its switches cost at least those at the least price per
        port)."""
        assert c.tier_switches is not None
        options = c.tier_switches
        configs, count = options.configs, len(options.configs)
        used = [[model.new_bool_var(f"{role}_switch_{i}_{c.rank}") for i in range(count)] for role in roles]
        for row in used:
            model.add_exactly_one(row)
        for i in range(count):  # a mix: one config for every tier is the single-model candidate's
            model.add(sum(row[i] for row in used) <= len(roles) - 1)
        chosen = {}
        for role, row in zip(roles, used, strict=True):
            chosen[f"{role}_switch"] = var = model.new_int_var(0, count - 1, f"{role}_switch_{c.rank}")
            model.add(var == sum(i * b for i, b in enumerate(row)))

        def split(name: str, total: tuple[Any, int], flags: list[Any]) -> list[Any]:
            var, most = total
            parts = [model.new_int_var(0, most, f"{name}_{i}_{c.rank}") for i in range(len(flags))]
            for part, flag in zip(parts, flags, strict=True):
                model.add(part == var).only_enforce_if(flag)
                model.add(part == 0).only_enforce_if(flag.negated())
            return parts

        by_config = [split(f"{role}_count", total, row) for role, total, row in zip(roles, counts, used, strict=True)]
        radix = tuple(sum(config.radix * b for config, b in zip(configs, row, strict=True)) for row in used)
        ports = tuple(sum(config.radix * x for config, x in zip(configs, row, strict=True)) for row in by_config)
        plane_cents = sum(p.switch_cents * x for row in by_config for p, x in zip(options.prices, row, strict=True))
        most = sum(max(p.switch_cents for p in options.prices) * top for _, top in counts)
        for (low, high_tier), medium, cable in layers:
            unit = {(i, j): getattr(options.links[i][j], f"{medium}_link_cents")
                    for i in range(count) for j in range(count)}
            most += max(unit.values()) * cable[1]
            if len(set(unit.values())) == 1:  # one price whatever the ends
                plane_cents += next(iter(unit.values())) * cable[0]
                continue
            pairs = {}
            for (i, j) in unit:
                pairs[i, j] = pair = model.new_bool_var(f"{roles[low]}_{i}_{roles[high_tier]}_{j}_{c.rank}")
                model.add_implication(pair, used[low][i])
                model.add_implication(pair, used[high_tier][j])
            model.add_exactly_one(pairs.values())
            shares = split(f"{roles[low]}_cables", cable, list(pairs.values()))
            plane_cents += sum(unit[key] * share for key, share in zip(pairs, shares, strict=True))
        endpoint = [p.endpoint_cable_cents for p in options.prices]
        # implied: a tier's switches cost at least its ports used at the least price per port (for the bound)
        cheapest = min(zip(configs, options.prices, strict=True), key=lambda cp: Fraction(cp[1].switch_cents,
                                                                                         cp[0].radix))
        for row, needed in zip(by_config, used_ports, strict=True):
            model.add(cheapest[0].radix * sum(p.switch_cents * x for p, x in zip(options.prices, row, strict=True))
                      >= cheapest[1].switch_cents * needed).only_enforce_if(on)
        return _TierTerms(radix, ports, plane_cents, most, sum(e * b for e, b in zip(endpoint, used[0], strict=True)),
                          max(endpoint), chosen)

    @staticmethod
    @functools.lru_cache(maxsize=64)
    def uplinks_table(n: int, low: int, rho: Fraction, ratio_needed: Fraction, k: int) -> tuple[int, ...]:
        """uplinks_needed over every leaf count a construction may have, low .. min(n, k^2), kept for the
        request: the lower bound that prunes a decided tree and its model read the same rows (the model a
        prefix of them)."""
        return tuple(FatTree.uplinks_needed(n, low, min(n, k * k), rho, ratio_needed, k))

    @staticmethod
    def uplinks_needed(n: int, low: int, high: int, rho: Fraction, ratio_needed: Fraction, k: int) -> list[int]:
        """U[L - low] for L = low .. high leaves holding n endpoints spread evenly: the fewest uplinks per
        leaf whose exact bisection (leaf_cut_bisection) gives at least ``ratio_needed`` of the
        floor(n/2) x rho cables of full bisection; k when none below k does (no leaf then fits).
        The cut is u*l + rho*max(0, F - hi(l)) minimised over the same few l for every u, so
        U[L] = max over those l > 0 of ceil((R*rho*F - rho*max(0, F - hi(l))) / l), in integers
        (rho = a/b, R = c/d: ceil(a*(c*F - d*max(0, F - hi(l))) / (b*d*l))), vectorised over L."""
        import numpy as np

        half = n // 2
        a, b = rho.numerator, rho.denominator
        c, d = ratio_needed.numerator, ratio_needed.denominator
        count = high - low + 1
        if c > d or count <= 0:  # above full bisection: the cut of no leaf at all is F endpoint links
            return [k] * max(count, 0)
        leaves = np.arange(low, high + 1, dtype=object if a * c * max(half, 1) * b * d > 2**52 else np.int64)
        base, extra = n // leaves, n % leaves
        most = leaves // 2
        fuller = extra * (base + 1)
        reach = np.where(half <= fuller, -(-half // (base + 1)),
                         extra + -(-(half - fuller) // np.maximum(base, 1)))
        need = np.ones(count, dtype=leaves.dtype)
        for l in (most, extra - 1, extra, extra + 1, reach - 1, reach, reach + 1):
            valid = (l > 0) & (l <= most)
            cut_l = np.where(valid, l, 1)
            held = cut_l * base + np.minimum(cut_l, extra)
            short = a * (c * half - d * np.maximum(0, half - held))
            step = -(-short // (b * d * cut_l))
            need = np.where(valid & (step > need), step, need)
        return [int(x) for x in np.minimum(need, k)]

    @classmethod
    def leaf_count_rows(cls, candidate: Candidate, requirement: SizingRequest, low: int, table: Sequence[int],
                        start_feasible: bool, edge_multiple: int = 1) -> list[tuple[int, int, int, int]]:
        """(L, n_e, U[L], L*U[L]) for every leaf count L = low .. the construction can have: L = P*E with
        P >= 2 and E <= k a multiple of ``edge_multiple`` (checked while the table is small; the model's
        product enforces it anyway), its busiest leaf n_e = ceil(n/L) leaves room for the uplinks U[L] the
        bisection needs, and, after a feasible start, its lower bound (leaf_count_bounds) is no worse than
        the start's in the objective (in cost for cost per endpoint, the endpoints fixed; none for power)."""

        c, k = candidate, candidate.shape["k"]
        counts, need, busiest, keep = cls.leaf_counts(candidate, low, table)
        keep &= counts % edge_multiple == 0
        if len(counts) * k <= 20_000_000:
            factors = (counts <= k) & (edge_multiple == 1)  # 2 <= L <= k: P = L, E = 1
            for pods in range(2, k + 1):
                per_pod = counts // pods
                factors |= (counts % pods == 0) & (per_pod <= k) & (per_pod % edge_multiple == 0)
            keep &= factors
        if start_feasible and requirement.objective != "power":  # no better than the start: out
            switches, cents = cls.leaf_count_bounds(c, requirement, counts, need)
            keep &= (switches <= c.num_switches) if requirement.objective == "switches" else (cents <= c.cost_cents)
        return [(int(x), int(y), int(z), int(x * z)) for x, y, z in zip(counts[keep], busiest[keep], need[keep],
                                                                          strict=True)]

    @classmethod
    def mixed_rows(cls, candidate: Candidate, requirement: SizingRequest, low: int, table: Sequence[int],
                   start_feasible: bool = False) -> list[tuple[int, ...]]:
        """Rows (L, n_e, U[L], L*U[L], then the config of each tier from the endpoints up) of a tree whose tiers
        choose their switches (``mixed_row_bounds``), after a feasible start only those whose bound is no worse than the
        start's in the objective (in cost for cost per endpoint, the endpoints fixed; every row for power)."""
        c, req = candidate, requirement
        rows: list[tuple[int, ...]] = []
        for mix, (counts, busiest, need, switches, cents) in cls.mixed_row_bounds(c, req, low, table):
            if start_feasible and req.objective != "power":
                keep = (switches <= c.num_switches) if req.objective == "switches" else (cents <= c.cost_cents)
                counts, busiest, need = counts[keep], busiest[keep], need[keep]
            rows.extend((int(x), int(b), int(u), int(x * u), *mix)
                        for x, b, u in zip(counts, busiest, need, strict=True))
        return rows

    @classmethod
    def mixed_row_bounds(cls, candidate: Candidate, requirement: SizingRequest, low: int, table: Sequence[int]
                         ) -> Iterator[tuple[tuple[int, ...], tuple[Any, ...]]]:
        """Per mix of configs (edge, aggregation, core; not one for all; two tiers: ``leaf_spine_row_bounds``),
        arrays (L, n_e, U[L], switches, cents) over every leaf count L = low .. the mix can have
        (``leaf_count_rows`` per mix): its edges fit n_e + U[L] <= k_e, and L = P*E with 2 <= P <= k_c (a core
        cables each pod) and E <= k_a/2 (an aggregation switch has E*m1 ports down and at least as many up);
        with what no construction of the row goes below, over all planes: L edges of the edge config; the
        aggregation switches cable at least 2*L*U ports, so at least ceil(2LU/k_a) of them; the cores at
        least L*U, so ceil(LU/k_c); at least L*U cables in each layer at the prices of its two ends' configs;
        the endpoint cables at the edge config's."""
        c, req, options = candidate, requirement, candidate.tier_switches
        assert options is not None
        counts, need, busiest, _ = cls.leaf_counts(c, low, table)
        planes, endpoint_ports = c.planes, req.num_endpoints * c.ports_per_endpoint
        cabled = counts * need
        count = len(options.configs)
        if c.tiers == 2:
            yield from cls.leaf_spine_row_bounds(c, req, counts, need, busiest)
            return
        for edge, agg, core in itertools.product(range(count), repeat=3):
            if edge == agg == core:
                continue
            ke, ka, kc = (options.configs[i].radix for i in (edge, agg, core))
            keep = cls.pod_factorable(low, len(counts), ka // 2, kc) & (busiest + need <= ke)
            held, held_need, held_busiest, held_cabled = counts[keep], need[keep], busiest[keep], cabled[keep]
            aggs, cores = -(-2 * held_cabled // ka), -(-held_cabled // kc)
            pe, pa, pc = (options.prices[i].switch_cents for i in (edge, agg, core))
            cables = options.links[edge][agg].electric_link_cents + options.links[agg][core].optical_link_cents
            cents = (planes * (held * pe + aggs * pa + cores * pc + held_cabled * cables)
                     + endpoint_ports * options.prices[edge].endpoint_cable_cents)
            yield (edge, agg, core), (held, held_busiest, held_need, planes * (held + aggs + cores), cents)

    @staticmethod
    def leaf_spine_row_bounds(candidate: Candidate, requirement: SizingRequest, counts: Any, need: Any, busiest: Any
                              ) -> Iterator[tuple[tuple[int, ...], tuple[Any, ...]]]:
        """``mixed_row_bounds`` of two tiers, per leaf and spine config (not one for both): the leaf counts L
        of a leaf split (L = ceil(n/d) for d = n_e = ceil(n/L): the family's leaves), 2 <= L <= k_s (a cable
        from each leaf to each spine), whose leaves fit n_e + U[L] <= k_l; what no tree of the row goes
        below: L leaves, ceil(LU/k_s) spines, L*U cables at the pair's optical price, the endpoint cables at
        the leaf config's."""
        c, req, options = candidate, requirement, candidate.tier_switches
        assert options is not None
        n, planes, endpoint_ports = c.shape["n_plane"], c.planes, req.num_endpoints * c.ports_per_endpoint
        split = (counts >= 2) & (-(-n // busiest) == counts)
        cabled = counts * need
        for leaf, spine in itertools.product(range(len(options.configs)), repeat=2):
            if leaf == spine:
                continue
            kl, ks = options.configs[leaf].radix, options.configs[spine].radix
            keep = split & (counts <= ks) & (busiest + need <= kl)
            held, held_cabled = counts[keep], cabled[keep]
            spines = -(-held_cabled // ks)
            cents = (planes * (held * options.prices[leaf].switch_cents + spines * options.prices[spine].switch_cents
                               + held_cabled * options.links[leaf][spine].optical_link_cents)
                     + endpoint_ports * options.prices[leaf].endpoint_cable_cents)
            yield (leaf, spine), (held, busiest[keep], need[keep], planes * (held + spines), cents)

    @staticmethod
    @functools.lru_cache(maxsize=64)
    def pod_factorable(low: int, length: int, widest: int, most_pods: int) -> Any:
        """Whether each L = low .. low + length - 1 is P*E with 2 <= P <= ``most_pods`` and E <= ``widest``
        (a read-only boolean array): every such product marked once, E by P."""
        import numpy as np

        products = np.outer(np.arange(1, widest + 1), np.arange(2, most_pods + 1)).ravel()
        products = products[(products >= low) & (products < low + length)]
        marks = np.zeros(length, dtype=bool)
        marks[products - low] = True
        marks.flags.writeable = False
        return marks

    @staticmethod
    def leaf_counts(candidate: Candidate, low: int, table: Sequence[int]) -> tuple[Any, Any, Any, Any]:
        """Arrays over L = low ..: L, U[L], n_e = ceil(n/L), and whether a leaf fits n_e + U[L] <= k."""
        import numpy as np

        k, n = candidate.shape["k"], candidate.shape["n_plane"]
        counts = np.arange(low, low + len(table), dtype=np.int64)
        need = np.asarray(table, dtype=np.int64)
        busiest = -(-n // counts)
        return counts, need, busiest, (counts >= 2) & (busiest + need <= k)

    @staticmethod
    def leaf_count_bounds(candidate: Candidate, requirement: SizingRequest, counts: Any, need: Any) -> tuple[Any, Any]:
        """Arrays (switches, cents) no construction with L = ``counts`` leaves of at least ``need`` uplinks
        goes below (construction_lower_bound), over all planes."""
        import numpy as np

        c = candidate
        k, n, planes, ports, p = c.shape["k"], c.shape["n_plane"], c.planes, c.ports_per_endpoint, c.prices
        switches = np.maximum(-(-(n + 4 * counts * need) // k), counts + 3)
        cents = (planes * (switches * p.switch_cents + counts * need * (p.electric_link_cents + p.optical_link_cents))
                 + requirement.num_endpoints * ports * p.endpoint_cable_cents)
        return planes * switches, cents

    @classmethod
    def construction_lower_bound(cls, candidate: Candidate, requirement: SizingRequest,
                                 edge_multiple: int = 1) -> tuple[int, int] | None:
        """(switches, cents) no construction of ``candidate``'s planes and ports can go below, for the sizer
        to skip the model where a leaf-split tree already does as well: per plane of L leaves (a multiple of
        ``edge_multiple``, as every pod's E is) with u >= U[L] uplinks (uplinks_needed), the aggregation
        switches have at least as many ports up as down, so the ports used are at least n + 4*L*u
        (endpoints, both ends of L*u edge cables and of at least L*u core cables) and the switches at
        least that over k, and at least L + 3; the cables cost at least L*u electric and L*u optical. With a
        switch per tier, the least of its rows' bounds (``mixed_row_bounds``), None when it has no row."""
        c, req = candidate, requirement
        k, n = c.shape["k"], c.shape["n_plane"]
        rho = req.endpoint_speed_gbps / Fraction(c.switch.port_speed_gbps)
        low = -(-n // (k - 1))
        table = cls.uplinks_table(n, low, rho, req.bisection_ratio, k)
        if c.tier_switches is not None:  # per tier its own config: the least over every row of every mix
            bounds = [(int(switches.min()), int(cents.min())) for _, (_, _, _, switches, cents)
                      in cls.mixed_row_bounds(c, req, low, table) if len(switches)]
            if not bounds:  # no leaf count fits any mix: no tree
                return None
            return min(switches for switches, _ in bounds), min(cents for _, cents in bounds)
        counts, need, _, fits = cls.leaf_counts(c, low, table)
        fits &= counts % edge_multiple == 0
        if not fits.any():
            return c.num_switches, c.cost_cents
        switches, cents = cls.leaf_count_bounds(c, req, counts[fits], need[fits])
        return int(switches.min()), int(cents.min())

    @staticmethod
    def _blast_constraints(model: Any, c: Candidate, n: int, limit: int, on: Any, v: dict[str, Any],
                           leaves: Any, busiest: Any, cores: Any) -> None:
        """Most endpoints one switch failure disconnects <= limit, as ``fault_domains`` counts them: a
        leaf's n_e; with one aggregation switch per pod, min(biggest pod, n - n_e); with one core,
        n - biggest pod; the biggest pod E*b + min(E, e) for b, e = divmod(n, L)."""
        k = c.shape["k"]
        model.add(busiest <= limit).only_enforce_if(on)
        base = model.new_int_var(0, n, f"leaf_base_{c.rank}")  # b = floor(n/L)
        base_held = model.new_int_var(0, n, f"leaf_base_held_{c.rank}")
        model.add_multiplication_equality(base_held, [base, leaves])
        model.add(base_held <= n)
        model.add(base_held > n - leaves)
        fuller = model.new_int_var(0, k * k, f"fuller_leaves_{c.rank}")  # e = n - b*L
        model.add(fuller == n - base_held)
        pod_base = model.new_int_var(0, n, f"pod_base_{c.rank}")
        model.add_multiplication_equality(pod_base, [v["edges_per_pod"], base])
        pod_extra = model.new_int_var(0, k, f"pod_extra_{c.rank}")
        model.add_min_equality(pod_extra, [v["edges_per_pod"], fuller])
        biggest_pod = pod_base + pod_extra
        lone_agg = model.new_bool_var(f"lone_aggregation_{c.rank}")
        model.add(v["aggregations_per_pod"] == 1).only_enforce_if(lone_agg)
        model.add(v["aggregations_per_pod"] >= 2).only_enforce_if(lone_agg.negated())
        agg_loss = model.new_int_var(0, n, f"aggregation_loss_{c.rank}")
        model.add_min_equality(agg_loss, [biggest_pod, n - busiest])
        model.add(agg_loss <= limit).only_enforce_if([on, lone_agg])
        lone_core = model.new_bool_var(f"lone_core_{c.rank}")
        model.add(cores == 1).only_enforce_if(lone_core)
        model.add(cores >= 2).only_enforce_if(lone_core.negated())
        model.add(n - biggest_pod <= limit).only_enforce_if([on, lone_core])

    @classmethod
    def sizing_label(cls, candidate: Candidate) -> str:
        s = candidate.shape
        if candidate.tier_switches is not None and candidate.tiers == 2:
            base = "2-tier, leaves, spines and a switch per tier by the solver"
        elif candidate.tier_switches is not None:
            base = "3-tier, construction and a switch per tier by the solver"
        elif candidate.decided:
            base = f"3-tier, construction by the solver on k={s['k']}"
        else:
            base = f"{candidate.tiers}-tier, {s['down']}:{s['up']} on k={s['k']}"
        if candidate.planes > 1:
            base = f"{candidate.planes} planes x {base}, {candidate.ports_per_endpoint} port(s)/endpoint"
        return base

    @classmethod
    def sizing_note(cls, candidate: Candidate) -> str:
        s, z = candidate.shape, candidate.size
        ports = f"per plane: {counted(s['n_plane'], 'endpoint port', fmt=',')}"
        if candidate.decided and candidate.tiers == 2:
            up = z["spines"] * z["leaf_spine_links"]
            return (f"{ports}, {counted(z['leaves'], 'leaf', 'leaves')} ({-(-s['n_plane'] // z['leaves'])} down, "
                    f"{up} up), {counted(z['spines'], 'spine')}, {counted(z['leaf_spine_links'], 'cable')} from each "
                    f"leaf to each{cls.tier_switch_note(candidate)}")
        if candidate.decided:
            leaves = z["pods"] * z["edges_per_pod"]
            up = z["aggregations_per_pod"] * z["edge_aggregation_links"]
            groups = z["aggregations_per_pod"] // z["aggregations_per_core_group"]
            return (f"{ports}, {counted(z['pods'], 'pod')} of {counted(z['edges_per_pod'], 'edge')} "
                    f"({-(-s['n_plane'] // leaves)} down, {up} up) and "
                    f"{counted(z['aggregations_per_pod'], 'aggregation switch', 'aggregation switches')}, "
                    f"{counted(z['edge_aggregation_links'], 'cable')} from each edge to each; {groups} x "
                    f"{counted(z['cores_per_group'], 'core')}, {counted(z['aggregation_core_links'], 'cable')} from "
                    f"each aggregation switch to each core of its group{cls.tier_switch_note(candidate)}")
        if candidate.tiers == 2:
            return (f"{ports}, {counted(z['leaves'], 'leaf', 'leaves')} ({s['down']} down, {s['up']} up), "
                    f"{counted(z['spines'], 'spine')}")
        return (f"{ports}, {counted(z['edges'], 'edge')} ({s['down']} down, {s['up']} up) in "
                f"{counted(z['pods'], 'pod')} of {counted(s['up'], 'aggregation switch', 'aggregation switches')}, "
                f"{s['up']} x {counted(z['core_groups'], 'core')}")

    @classmethod
    def tier_switch_note(cls, candidate: Candidate) -> str:
        """"; <role> on <switch>, ..." for a tree whose tiers chose their switches, else ""."""
        chosen = cls.sizing_role_switches(candidate)
        return "; " + ", ".join(f"{role} on {config.name}" for role, config in chosen.items()) if chosen else ""

    @classmethod
    def sizing_parameters(cls, candidate: Candidate, endpoints_per_node: int) -> dict[str, Any]:
        if candidate.decided and candidate.tiers == 2:  # the leaf split of its busiest leaf and its spines
            z, n = candidate.size, candidate.shape["n_plane"]
            d, u = -(-n // z["leaves"]), z["spines"] * z["leaf_spine_links"]
            return {"k": d + u, "tiers": 2, "oversubscription": d // u if d % u == 0 else d / u,
                    "endpoints": candidate.num_endpoints,
                    "spines": z["spines"]}
        if candidate.decided:
            chosen = cls.sizing_role_switches(candidate)
            k = max(config.radix for config in chosen.values()) if chosen else candidate.shape["k"]
            return {"k": k, "tiers": 3, "endpoints": candidate.num_endpoints,
                    "construction": {name: candidate.size[name] for name in CONSTRUCTION_FIELDS}}
        d, u = candidate.shape["down"], candidate.shape["up"]
        over: int | float = d // u if d % u == 0 else d / u
        return {"k": candidate.shape["k"], "tiers": candidate.tiers, "oversubscription": over,
                "endpoints": candidate.num_endpoints}

    @classmethod
    def sizing_role_switches(cls, candidate: Candidate) -> dict[str, SwitchConfig]:
        """Edge, aggregation and core (leaf and spine) configs of a tree whose tiers chose theirs
        (``mixed_trees``)."""
        options, z = candidate.tier_switches, candidate.size
        roles = LEAF_SPINE_ROLES if candidate.tiers == 2 else TIER_ROLES
        if options is None or any(f"{role}_switch" not in z for role in roles):
            return {}
        return {role: options.configs[z[f"{role}_switch"]] for role in roles}

    @classmethod
    def sizing_roles(cls, candidate: Candidate) -> dict[str, int]:
        z, p = candidate.size, candidate.planes
        if candidate.decided and candidate.tiers == 2:
            return {"leaf": p * z["leaves"], "spine": p * z["spines"]}
        if candidate.decided:
            groups = z["aggregations_per_pod"] // z["aggregations_per_core_group"]
            return {"edge": p * z["pods"] * z["edges_per_pod"],
                    "aggregation": p * z["pods"] * z["aggregations_per_pod"], "core": p * groups * z["cores_per_group"]}
        if candidate.tiers == 2:
            return {"leaf": p * z["leaves"], "spine": p * z["spines"]}
        u = candidate.shape["up"]
        return {"edge": p * z["edges"], "aggregation": p * z["pods"] * u, "core": p * u * z["core_groups"]}

    # -- graph -------------------------------------------------------------------------------------
    def build(self, prefix: str = "", plane: int | None = None) -> SwitchGraph:
        """Switch-level graph; ``prefix`` and ``plane`` label the switches of one plane of a
        multi-plane fabric. Two tiers: leaves ``leaf-<i>``, then spines ``spine-<j>``, every leaf
        bundled to every spine. Three tiers: cores ``core-<a>-<c>`` (group a), then pod by pod its
        aggregation switches ``pod<p>-agg-<a>`` and edges ``pod<p>-edge-<e>``; bundles sorted by their
        two ends (cores to the aggregation switch a of every pod, then each aggregation switch to the
        edges of its pod)."""
        graph = self._two_tier_graph(prefix) if self.tiers == 2 else self._three_tier_graph(prefix)
        return graph if plane is None else graph.with_plane(plane)

    def _two_tier_graph(self, prefix: str) -> SwitchGraph:
        import numpy as np

        from topoctl.topologies.graph import SwitchGraph, object_array

        leaves, spines, per_spine = self.num_leaves, self.num_spines, self.up // self.num_spines
        n = leaves + spines
        return SwitchGraph(
            names=tuple([f"{prefix}leaf-{i}" for i in range(leaves)] + [f"{prefix}spine-{j}" for j in range(spines)]),
            roles=object_array(["leaf", "spine"], [leaves, spines]),
            endpoints=np.array(self.endpoints_per_leaf + [0] * spines, dtype=np.int64),
            planes=np.full(n, -1, dtype=np.int64),
            pods=np.full(n, -1, dtype=np.int64),
            edge_u=np.repeat(np.arange(leaves, dtype=np.int64), spines),
            edge_v=np.tile(np.arange(leaves, n, dtype=np.int64), leaves),
            edge_count=np.full(leaves * spines, per_spine, dtype=np.int64),
            edge_groups=object_array(["leaf-spine"], [leaves * spines]),
        )

    def _three_tier_graph(self, prefix: str) -> SwitchGraph:
        import numpy as np

        from topoctl.topologies.graph import SwitchGraph, object_array

        aggs, pods, edges, per_group = self.aggregations_in_pod, self.num_pods, self.edges_in_pod, self.cores_per_group
        h, num_groups = self.aggregations_per_core_group, self.num_core_groups
        cores, block = self.num_cores, aggs + edges  # a pod's switches: its aggregation switches, then its edges
        n = cores + pods * block
        names = [f"{prefix}core-{g}-{c}" for g in range(num_groups) for c in range(per_group)]
        for pod in range(pods):
            names += [f"{prefix}pod{pod}-agg-{a}" for a in range(aggs)]
            names += [f"{prefix}pod{pod}-edge-{e}" for e in range(edges)]
        pod_base = cores + block * np.arange(pods, dtype=np.int64)
        endpoints = np.zeros(n, dtype=np.int64)
        endpoints[(pod_base[:, None] + aggs + np.arange(edges)).ravel()] = self.endpoints_per_leaf
        # core (g, c) to aggregation indices g*h .. g*h + h - 1 of every pod, m2 cables each
        core_u = np.repeat(np.arange(cores, dtype=np.int64), pods * h)
        first = (np.arange(cores) // per_group) * h  # each core's first aggregation index
        core_v = (pod_base[None, :, None] + first[:, None, None] + np.arange(h)[None, None, :]).ravel()
        # aggregation a of each pod to every edge of the pod, m1 cables each
        agg_u = np.repeat((pod_base[:, None] + np.arange(aggs)).ravel(), edges)
        agg_v = np.tile(pod_base[:, None] + aggs + np.arange(edges), (1, aggs)).ravel()
        uplinks, downlinks = cores * pods * h, pods * aggs * edges
        return SwitchGraph(
            names=tuple(names),
            roles=np.concatenate([object_array(["core"], [cores]),
                                  np.tile(object_array(["aggregation", "edge"], [aggs, edges]), pods)]),
            endpoints=endpoints,
            planes=np.full(n, -1, dtype=np.int64),
            pods=np.concatenate(
                [np.full(cores, -1, dtype=np.int64), np.repeat(np.arange(pods, dtype=np.int64), block)]),
            edge_u=np.concatenate([core_u, agg_u]),
            edge_v=np.concatenate([core_v, agg_v]),
            edge_count=np.concatenate([np.full(uplinks, self.core_links, dtype=np.int64),
                                       np.full(downlinks, self.edge_links, dtype=np.int64)]),
            edge_groups=object_array(["aggregation-core", "edge-aggregation"], [uplinks, downlinks]),
            pod_kind="pod",
        )
