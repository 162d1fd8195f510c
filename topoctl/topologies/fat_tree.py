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

Example:
    >>> tree = FatTree.from_parameters(FatTree.Parameters(k=64, tiers=2), radix=64)
    >>> tree.counts().num_switches, tree.counts().num_switch_links
    (96, 2048)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from math import ceil
from typing import Any, Literal

import networkx as nx
from pydantic import Field

from topoctl.errors import SpecError
from topoctl.topologies.base import (
    ELECTRIC,
    OPTICAL,
    Bisection,
    Counts,
    FamilyParameters,
    FaultDomain,
    GraphBuilder,
    LinkGroup,
    Topology,
    spread,
)

__all__ = ["FatTree", "FatTreeParameters", "leaf_split", "smallest_divisor_at_least"]

MAX_ENDPOINTS = 10**9


class FatTreeParameters(FamilyParameters):
    """``k``: ports per switch used (default: the switch radix); ``tiers``: 2 or 3;
    ``oversubscription``: leaf down:up ratio (1 is non-blocking, 3 is 48:16 on 64 ports);
    ``endpoints``: N (default: the full tree for k, tiers and oversubscription)."""

    k: int | None = Field(default=None, ge=2, le=4096)
    tiers: Literal[2, 3] = 2
    oversubscription: float = Field(default=1.0, gt=0, le=4096)
    endpoints: int | None = Field(default=None, ge=1, le=MAX_ENDPOINTS)


def leaf_split(k: int, oversubscription: float, tiers: int) -> tuple[int, int]:
    """Leaf ports (down, up) for a down:up ratio on k ports; SpecError if it does not divide k."""
    if tiers == 3 and k % 2:
        raise SpecError(f"k={k} must be even for a three-tier fat tree", path="k")
    ratio = Fraction(oversubscription).limit_denominator(1000)
    down = k * ratio / (ratio + 1)
    if down.denominator != 1 or not 1 <= down < k:
        valid = [f"{d}:{k - d}" for d in range(k // 2, k) if (k - d) and d % (k - d) == 0][:6]
        raise SpecError(
            f"{float(oversubscription):g}:1 does not split k={k} ports into whole down and up "
            f"counts; valid ratios include {', '.join(valid)}",
            path="oversubscription",
        )
    return int(down), k - int(down)


def smallest_divisor_at_least(n: int, floor: int) -> int:
    """The smallest divisor of n that is >= floor (n itself when floor >= n)."""
    return next(d for d in range(max(1, floor), n + 1) if n % d == 0) if floor < n else n


@dataclass(frozen=True)
class FatTree(Topology):
    """A two- or three-tier fat tree (see the module docstring)."""

    family = "fat_tree"
    summary = "two- or three-tier fat tree (Al-Fares et al. 2008), partial population, oversubscription"
    Parameters = FatTreeParameters

    k: int
    tiers: int
    down: int
    up: int
    num_endpoints: int

    @classmethod
    def from_parameters(cls, params: FatTreeParameters, radix: int, *, formula_only: bool = False) -> FatTree:
        k = params.k if params.k is not None else radix
        if k > radix:
            raise SpecError(f"k={k} exceeds the switch radix {radix}; use k <= {radix}", path="k")
        down, up = leaf_split(k, params.oversubscription, params.tiers)
        limit = cls.max_endpoints(k, params.tiers, down)
        n = params.endpoints if params.endpoints is not None else limit
        if n > limit:
            hint = "3 tiers or more planes" if params.tiers == 2 else "more planes or a larger radix"
            raise SpecError(
                f"{n} endpoints exceed the {params.tiers}-tier maximum {limit} at k={k} with "
                f"{down} down ports per leaf; use at most {limit}, or {hint}",
                path="endpoints",
            )
        return cls(radix=radix, k=k, tiers=params.tiers, down=down, up=up, num_endpoints=n)

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
        """Two tiers only: the smallest divisor S of u with S*k >= L*u."""
        return smallest_divisor_at_least(self.up, ceil(self.num_leaves * self.up / self.k))

    @cached_property
    def num_pods(self) -> int:
        """Three tiers only: ceil(ceil(N/d) / (k/2))."""
        return ceil(ceil(self.num_endpoints / self.down) / (self.k // 2))

    @cached_property
    def edges_in_pod(self) -> int:
        """Three tiers only: E_p, the same in every pod."""
        return ceil(ceil(self.num_endpoints / self.down) / self.num_pods)

    @cached_property
    def edges_per_pod(self) -> list[int]:
        return [self.edges_in_pod] * self.num_pods

    @cached_property
    def cores_per_group(self) -> int:
        """Three tiers only: the smallest divisor C of E_p with C*k >= P*E_p."""
        return smallest_divisor_at_least(self.edges_in_pod, ceil(self.num_leaves / self.k))

    @property
    def is_full(self) -> bool:
        return self.num_endpoints == self.max_endpoints(self.k, self.tiers, self.down)

    @property
    def variant(self) -> str:
        shape = "full" if self.is_full else "partially populated"
        return f"{self.tiers}-tier fat tree, {shape}, leaf {self.down}:{self.up} down:up on k={self.k}"

    def parameters(self) -> dict[str, Any]:
        ratio = self.down / self.up
        return {
            "k": self.k,
            "tiers": self.tiers,
            "oversubscription": int(ratio) if ratio == int(ratio) else round(ratio, 6),
            "endpoints": self.num_endpoints,
            "leaf_down_ports": self.down,
            "leaf_up_ports": self.up,
        }

    # -- closed forms ------------------------------------------------------------------------------
    def counts(self) -> Counts:
        n, leaves, up = self.num_endpoints, self.num_leaves, self.up
        if self.tiers == 2:
            roles = {"leaf": leaves, "spine": self.num_spines}
            groups = (LinkGroup("leaf-spine", leaves * up, OPTICAL),)
        else:
            roles = {
                "edge": leaves,
                "aggregation": self.num_pods * up,
                "core": up * self.cores_per_group,
            }
            groups = (
                LinkGroup("edge-aggregation", leaves * up, ELECTRIC),
                LinkGroup("aggregation-core", up * leaves, OPTICAL),
            )
        return Counts(n, roles, groups, num_endpoint_links=n)

    def diameter_hops(self) -> int:
        """2 between leaves via a spine; 4 between pods (edge-agg-core-agg-edge); 0 on one switch."""
        if self.num_leaves == 1:
            return 0
        if self.tiers == 3 and self.num_pods > 1:
            return 4
        return 2

    def bisection(self) -> Bisection:
        """At least N/2 * u / n_max links, n_max the most endpoints on a leaf. Every switch has the same
        number of links to each switch it reaches above, so a flow split evenly over all its up-paths
        loads no switch link above n_max/u of an endpoint's rate (oblivious routing on a uniform Clos;
        Leiserson 1985, Valiant 1982); N/2 endpoint flows across a balanced cut then need at least
        N/2 * u / n_max links. Cutting half the leaves (half the pods) attains it, L*u/2, when the leaves
        are equally populated and split evenly: k^2/4 for the full two-tier tree, k^3/8 for the
        three-tier one, exact. Otherwise the figure is a proven lower bound."""
        n, leaves = self.num_endpoints, self.num_leaves
        busiest = ceil(n / leaves)
        halves = self.num_pods if self.tiers == 3 and self.num_pods > 1 else leaves
        exact = n % leaves == 0 and halves % 2 == 0
        if exact:
            return Bisection(leaves * self.up / 2, "closed form: half the leaf uplinks (Leiserson 1985)", True)
        method = "closed form: lower bound N/2 * u / n_max from even up-path spreading (Leiserson 1985)"
        return Bisection(n / 2 * self.up / busiest, method, False, lower_bound=True)

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
        if self.up == 1:  # the pod's only aggregation switch: its edges fall apart from the rest
            agg_loss = min(biggest_pod, n - busiest_leaf)
        core_loss = 0
        if self.cores_per_group == 1 and self.up == 1 and self.num_pods > 1:
            core_loss = n - biggest_pod
        entries += [
            FaultDomain("edge", roles["edge"], lone_leaf),
            FaultDomain("aggregation", roles["aggregation"], agg_loss),
            FaultDomain("core", roles["core"], core_loss),
            FaultDomain("pod", self.num_pods, n if self.num_pods == 1 else biggest_pod),
        ]
        return entries

    def _endpoints_by_pod(self) -> list[list[int]]:
        per_leaf, out, start = self.endpoints_per_leaf, [], 0
        for edges in self.edges_per_pod:
            out.append(per_leaf[start : start + edges])
            start += edges
        return out

    # -- graph -------------------------------------------------------------------------------------
    def build(self, prefix: str = "", plane: int | None = None) -> nx.Graph:
        """Switch-level graph; ``prefix`` and ``plane`` label the switches of one plane of a
        multi-plane fabric."""
        builder = GraphBuilder()
        add = builder.switch
        extra = {} if plane is None else {"plane": plane}
        if self.tiers == 2:
            leaves = [f"{prefix}leaf-{i}" for i in range(self.num_leaves)]
            spines = [f"{prefix}spine-{j}" for j in range(self.num_spines)]
            for name, endpoints in zip(leaves, self.endpoints_per_leaf):
                add(name, "leaf", endpoints, **extra)
            for name in spines:
                add(name, "spine", 0, **extra)
            per_spine = self.up // self.num_spines
            for leaf in leaves:
                for spine in spines:
                    builder.link(leaf, spine, "leaf-spine", per_spine)
            return builder.graph
        groups = self.cores_per_group
        cores = [[f"{prefix}core-{a}-{c}" for c in range(groups)] for a in range(self.up)]
        for row in cores:
            for name in row:
                add(name, "core", 0, **extra)
        per_core = self.edges_in_pod // groups
        for pod, endpoints_per_edge in enumerate(self._endpoints_by_pod()):
            aggs = [f"{prefix}pod{pod}-agg-{a}" for a in range(self.up)]
            for name in aggs:
                add(name, "aggregation", 0, pod=pod, **extra)
            for e, endpoints in enumerate(endpoints_per_edge):
                edge = f"{prefix}pod{pod}-edge-{e}"
                add(edge, "edge", endpoints, pod=pod, **extra)
                for agg in aggs:
                    builder.link(edge, agg, "edge-aggregation")
            for a, agg in enumerate(aggs):
                for core in cores[a]:
                    builder.link(agg, core, "aggregation-core", per_core)
        return builder.graph
