"""Multi-plane fat tree (MPFT): P independent fat-tree planes.

Reference: C. Zhao et al., "Insights into DeepSeek-V3: Scaling Challenges and Reflections on Hardware
for AI Architectures", ISCA 2025 (arXiv 2505.09343), Section 4 and Table 3: eight planes, each a
two-tier fat tree of 64-port 400G switches, 16,384 GPUs.

Symbols: ``P`` planes, each a fat tree (``k``, ``tiers``, ``oversubscription``); nodes of ``G``
endpoints (GPUs); ``m`` ports per endpoint, each in a different plane.
- m = 1, the deployed variant: one single-port NIC per GPU; GPU i of a node sits in plane i mod P, and
  cross-plane traffic is forwarded inside the node (NCCL's PXN).
- m = P, the paper's ideal: every endpoint's NIC has one port in every plane.
- in between (P divisible by m): GPU i uses planes (i mod P/m)*m ... (i mod P/m)*m + m - 1.
Each plane carries N*m/P endpoint ports, so G*m must be a multiple of P for the planes to be equal.
Counts, bisection and cost are P times one plane's (Table 3: P*k^2/2 endpoints, P*3k/2 switches,
P*k^2/2 links for two tiers with m = 1).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from topoctl.errors import SpecError
from topoctl.topologies.base import (
    MAX_ENDPOINTS,
    Bisection,
    Counts,
    FamilyParameters,
    FaultDomain,
    Topology,
    check_endpoints,
)
from topoctl.topologies.fat_tree import FatTree, FatTreeParameters, TreeConstruction, leaf_split
from topoctl.topologies.sizing import (
    Candidate,
    Deadline,
    Prices,
    SizedVars,
    SizingRequest,
    SwitchConfig,
    TierSwitches,
)

if TYPE_CHECKING:
    from topoctl.topologies.graph import SwitchGraph

__all__ = ["MultiplaneFatTree", "MultiplaneFatTreeParameters"]


class MultiplaneFatTreeParameters(FamilyParameters):
    """``planes`` P; per plane ``k``, ``tiers``, ``oversubscription`` and ``construction`` as for fat_tree;
    ``endpoints_per_node`` G (default 8); ``ports_per_endpoint`` m (1 deployed, P ideal);
    ``endpoints`` N in total (default: P full planes' worth of ports, divided by m)."""

    planes: int = Field(default=8, ge=1, le=1024)
    k: int | None = Field(default=None, ge=2, le=4096)
    tiers: Literal[2, 3] = 2
    oversubscription: float = Field(default=1.0, gt=0, le=4096)
    endpoints_per_node: int = Field(default=8, ge=1, le=1024)
    ports_per_endpoint: int = Field(default=1, ge=1, le=1024)
    endpoints: int | None = Field(default=None, ge=1, le=MAX_ENDPOINTS)
    construction: TreeConstruction | None = None


@dataclass(frozen=True)
class MultiplaneFatTree(Topology):
    """P identical fat-tree planes (see the module docstring).

    Example: two planes of the k = 4 two-tier tree (6 switches, 8 endpoint ports each). Deployed (m = 1)
    they hold 16 endpoints and a leaf failure disconnects its 2; ideal (m = P = 2) they hold 8 endpoints,
    and a leaf failure only degrades 2, which keep their port in the other plane:
        >>> def mpft(m):
        ...     params = MultiplaneFatTree.Parameters(planes=2, k=4, endpoints_per_node=2, ports_per_endpoint=m)
        ...     return MultiplaneFatTree.from_parameters(params, radix=4)
        >>> [(t.counts().num_switches, t.num_endpoints) for t in (mpft(1), mpft(2))]
        [(12, 16), (12, 8)]
        >>> [[(d.endpoints_disconnected, d.endpoints_degraded) for d in t.fault_domains() if d.component == "leaf"]
        ...  for t in (mpft(1), mpft(2))]
        [[(2, 0)], [(0, 2)]]
    """

    family = "multiplane_fat_tree"
    summary = "multi-plane fat tree (DeepSeek-V3 MPFT): P independent fat-tree planes"
    Parameters = MultiplaneFatTreeParameters

    planes: int
    endpoints_per_node: int
    ports: int
    num_endpoints: int
    plane: FatTree

    @classmethod
    def from_parameters(
        cls, params: MultiplaneFatTreeParameters, radix: int, *, formula_only: bool = False
    ) -> MultiplaneFatTree:
        p, g, m = params.planes, params.endpoints_per_node, params.ports_per_endpoint
        if m > p or p % m:
            divisors = [str(d) for d in range(1, p + 1) if p % d == 0]
            raise SpecError(
                f"{m} must divide planes={p}: valid {', '.join(divisors)} (1 deployed, {p} ideal)",
                path="ports_per_endpoint",
            )
        if (g * m) % p:
            raise SpecError(
                f"{g} endpoints per node with {m} port(s) each do not fill {p} planes equally; "
                f"endpoints_per_node * ports_per_endpoint must be a multiple of planes",
                path="endpoints_per_node",
            )
        k = params.k if params.k is not None else radix
        if k > radix:
            raise SpecError(f"k={k} exceeds the switch radix {radix}; use k <= {radix}", path="k")
        built = params.construction
        if built is not None:  # every free edge port of the construction's P*E edges
            up = built.aggregations_per_pod * built.edge_aggregation_links
            plane_limit = max(0, built.pods * built.edges_per_pod * (k - up))
        else:
            down, _ = leaf_split(k, params.oversubscription, params.tiers)
            plane_limit = FatTree.max_endpoints(k, params.tiers, down)
        limit = plane_limit * p // m // g * g
        n = params.endpoints if params.endpoints is not None else limit
        check_endpoints(n, f"{p} planes of full {params.tiers}-tier k={k} trees", "endpoints")
        if n % g:
            raise SpecError(f"{n} is not a whole number of {g}-endpoint nodes", path="endpoints")
        if n > limit:
            raise SpecError(
                f"{n} endpoints exceed {limit}, the most {p} planes of {params.tiers}-tier k={k} trees "
                f"hold with {m} port(s) per endpoint; use at most {limit} or more planes",
                path="endpoints",
            )
        # a construction sets the leaf ports: oversubscription passes on only when given, for its error
        shape: dict[str, Any] = {"construction": built} if built is not None else {}
        if built is None or "oversubscription" in params.model_fields_set:
            shape["oversubscription"] = params.oversubscription
        plane_params = FatTreeParameters(k=k, tiers=params.tiers, endpoints=n * m // p, **shape)
        plane = FatTree.from_parameters(plane_params, radix)
        return cls(radix=radix, planes=p, endpoints_per_node=g, ports=m, num_endpoints=n, plane=plane)

    @property
    def ports_per_endpoint(self) -> int:
        return self.ports

    def num_planes(self) -> int:
        return self.planes

    def analysed_plane(self) -> FatTree:
        return self.plane

    def tree_plane(self) -> FatTree:
        return self.plane

    def node_size(self) -> int:
        return self.endpoints_per_node

    def bisection_shares(self, endpoint_link_cables: float = 1.0) -> dict[str, tuple[float, bool]]:
        """One plane's shares over P planes (the planes are disjoint copies), and a plane 1/P."""
        shares = {name: (value / self.planes, exact)
                  for name, (value, exact) in self.plane.bisection_shares(endpoint_link_cables).items()}
        if self.planes > 1:
            shares["plane"] = (1 / self.planes, True)
        return shares

    @classmethod
    def examples(cls) -> tuple[dict[str, Any], ...]:
        """Small variants for the family contract test (``Topology.examples``)."""
        return (
            dict(planes=2, k=4, endpoints_per_node=2, ports_per_endpoint=2),
            dict(planes=4, k=4, tiers=3, endpoints_per_node=4, ports_per_endpoint=2),
            dict(planes=2, k=8, endpoints_per_node=2, endpoints=18),
            dict(planes=1, k=4, endpoints_per_node=1),
        )

    @property
    def variant(self) -> str:
        if self.ports == 1:
            kind = "deployed (DeepSeek-V3): one single-port NIC per endpoint, each endpoint in one plane"
        elif self.ports == self.planes:
            kind = "ideal: every endpoint has one NIC port in every plane"
        else:
            kind = f"every endpoint has {self.ports} NIC ports, in {self.ports} of the {self.planes} planes"
        return f"{self.planes} planes of {self.plane.variant}; {kind}"

    def parameters(self) -> dict[str, Any]:
        plane = self.plane.parameters()
        return {
            "planes": self.planes,
            "k": plane["k"],
            "tiers": plane["tiers"],
            "oversubscription": plane["oversubscription"],
            "endpoints_per_node": self.endpoints_per_node,
            "ports_per_endpoint": self.ports,
            "endpoints": self.num_endpoints,
            "nodes": self.num_endpoints // self.endpoints_per_node,
            "endpoint_ports_per_plane": self.plane.num_endpoints,
            "leaf_down_ports": plane["leaf_down_ports"],
            "leaf_up_ports": plane["leaf_up_ports"],
            **({"construction": plane["construction"]} if "construction" in plane else {}),
        }

    def counts(self) -> Counts:
        one = self.plane.counts()
        p = self.planes
        return Counts(
            self.num_endpoints,
            {role: p * count for role, count in one.num_switches_by_role.items()},
            tuple(replace(g, count=p * g.count) for g in one.link_groups),
            num_endpoint_links=self.num_endpoints * self.ports,
        )

    def diameter_hops(self) -> int:
        """One plane's diameter: every path stays inside a plane (with m = 1, traffic between planes
        is first forwarded inside the node)."""
        return self.plane.diameter_hops()

    def bisection(self, endpoint_link_cables: float = 1.0) -> Bisection:
        """P times one plane's bisection (FatTree.bisection, exact; a plane holds N*m/P endpoint ports,
        each link at r/c cable): the planes are disjoint, and the figure is the sum of the planes'
        own balanced bisections (Zhao et al. 2025, Table 3: P * k^2/4 for full two-tier planes)."""
        one = self.plane.bisection(endpoint_link_cables)
        p = self.planes
        return Bisection(
            p * one.links, one.method + ", summed over planes", one.kind,
            None if one.proven_links is None else p * one.proven_links,
            one.proven_method + ", summed over planes" if one.proven_method else "",
        )

    def fault_domains(self) -> list[FaultDomain]:
        """A failure stays inside its plane. With m = 1 it disconnects the endpoints whose only port it
        takes; with m > 1 those endpoints keep their other planes and are degraded instead."""
        entries = []
        for domain in self.plane.fault_domains():
            count = domain.count * self.planes
            if self.ports == 1:
                entries.append(FaultDomain(domain.component, count, domain.endpoints_disconnected))
            else:
                entries.append(FaultDomain(domain.component, count, 0, domain.endpoints_disconnected))
        per_plane = self.plane.num_endpoints
        if self.ports == 1:
            entries.append(FaultDomain("plane", self.planes, per_plane))
        else:
            entries.append(FaultDomain("plane", self.planes, 0, per_plane))
        return entries

    # -- inverse sizing (topologies.sizing): the fat tree's, over several planes ---------------------------
    closed_form_limits = FatTree.closed_form_limits
    decided_power = FatTree.decided_power
    also_sizes = (FatTree.family,)  # one plane is a fat tree: one enumeration, in order of tiers then planes

    @classmethod
    def candidates(cls, requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
                   deadline: Deadline | None = None) -> Iterator[Candidate]:
        """Trees of 2 .. max_planes planes (FatTree.tree_candidates), and of one plane as fat_tree
        candidates when the request allows that family."""
        one_plane = FatTree if FatTree.family in requirement.families else None
        return FatTree.tree_candidates(requirement, switch, prices, deadline, max_planes=requirement.max_planes,
                                       family_of=lambda planes: cls if planes > 1 else one_plane)

    @classmethod
    def mixed_candidates(cls, requirement: SizingRequest, switches: TierSwitches,
                         deadline: Deadline | None = None) -> Iterator[Candidate]:
        """Trees of 2 .. max_planes planes (and one, as fat_tree's, when allowed) whose construction and
        switch per tier the solver decides (FatTree.mixed_trees)."""
        one_plane = FatTree if FatTree.family in requirement.families else None
        return FatTree.mixed_trees(requirement, switches, deadline, max_planes=requirement.max_planes,
                                   family_of=lambda planes: cls if planes > 1 else one_plane)

    @classmethod
    def size_model(cls, model: Any, candidate: Candidate, requirement: SizingRequest, use: Any) -> SizedVars:
        return FatTree.size_model(model, candidate, requirement, use)

    @classmethod
    def sizing_role_switches(cls, candidate: Candidate) -> dict[str, SwitchConfig]:
        return FatTree.sizing_role_switches(candidate)

    @classmethod
    def sizing_label(cls, candidate: Candidate) -> str:
        return FatTree.sizing_label(candidate)

    @classmethod
    def sizing_note(cls, candidate: Candidate) -> str:
        return FatTree.sizing_note(candidate)

    @classmethod
    def sizing_parameters(cls, candidate: Candidate, endpoints_per_node: int) -> dict[str, Any]:
        tree = FatTree.sizing_parameters(candidate, endpoints_per_node)
        endpoints = tree.pop("endpoints")
        return {"planes": candidate.planes, **tree, "endpoints_per_node": endpoints_per_node,
                "ports_per_endpoint": candidate.ports_per_endpoint, "endpoints": endpoints}

    @classmethod
    def sizing_roles(cls, candidate: Candidate) -> dict[str, int]:
        return FatTree.sizing_roles(candidate)

    def build(self) -> SwitchGraph:
        """P disjoint copies of the plane graph, switches named ``p<plane>-<name>``, plane by plane."""
        from topoctl.topologies.graph import SwitchGraph

        return SwitchGraph.copies(self.plane.build(), self.planes, prefix="p{}-")
