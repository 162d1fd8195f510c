"""Multi-rail fat tree (MRFT): one fat tree whose leaves are rail-aligned.

Reference: C. Zhao et al., "Insights into DeepSeek-V3: Scaling Challenges and Reflections on Hardware
for AI Architectures", ISCA 2025 (arXiv 2505.09343), Section 4 (Figures 5-6, Table 4): nodes of eight
GPUs, GPU i of every node on a rail-i leaf, the rails meeting at a shared spine layer; the multi-plane
fat tree (MPFT) is the subset whose spines are split by plane, and on 2,048 GPUs the two trained at the
same speed (Table 4). The tree is the fat tree of C. E. Leiserson, "Fat-trees", IEEE Trans. Computers
1985 and M. Al-Fares et al., SIGCOMM 2008; only the cabling of the nodes to the leaves is rail-aligned.

Symbols: ``G`` endpoints (GPUs) per node, one rail per GPU index (R = G rails); ``k`` switch ports
used; ``d``:``u`` the leaf's down:up ports; ``N`` endpoints (N/G nodes), n_r = N/G per rail.

Construction (deterministic): the N/G nodes are spread over a rail's leaves in blocks (block sizes
``spread``, larger first); leaf j of rail r (``rail<r>-leaf-<j>``) holds GPU r of the nodes of block j,
so every rail has the same leaves and the node-to-leaf cabling of every rail is the same.
- two tiers: L_r = ceil(n_r/d) leaves per rail, L = G*L_r leaves (rail by rail), S spines
  (``spine-<s>``), the smallest divisor of u with S*k >= L*u; every leaf has u/S cables to every spine.
  At most L <= k: N <= G*floor(k/G)*d, which is k*d = k^2/2 non-blocking when G divides k (2,048 at
  k = 64). The paper's 2,048-GPU MRFT is this tree: 64 leaves (8 per rail), 32 spines, 2,048 links, the
  switch graph of the two-tier fat tree (Table 3's FT2) with rail-aligned nodes; its MPFT twin has the
  same 96 switches.
- three tiers: pods of q leaves per rail (G*q <= k/2 edges under a pod's u spines, so q <= floor(k/(2G))):
  P = ceil(L_r/floor(k/(2G))) pods, q = ceil(L_r/P), every rail P*q leaves, nodes spread over them;
  pod p holds blocks p*q .. p*q + q - 1 of every rail and its u spines ``pod<p>-spine-<a>``, one cable
  from every leaf of the pod to each; u groups of C cores ``core-<a>-<c>``, C the smallest divisor of
  E_p = G*q with C*k >= P*E_p; spine a of every pod has E_p/C cables to each core of group a. At most
  N = G*k*floor(k/(2G))*d (k^3/4 = 65,536 at k = 64 when 2G divides k). MRFT at the paper's 16,384-GPU
  scale on 64-port switches is this three-tier tree (16 pods, 512 leaves, 512 spines, 256 cores: 1,280
  switches, 32,768 links), against MPFT's 768 switches of eight two-tier planes.
- three tiers as constructed (``construction``, fat_tree's TreeConstruction: P pods of E leaves and A
  spines, m1 cables from every leaf to every spine of its pod, A/h core groups of C cores, m2 cables from
  spine index a of every pod to each core of group a // h): every rail P*q leaves, q = E/G of them in
  every pod, the nodes spread over a rail's leaves in blocks as above and pod p holding blocks
  p*q .. p*q + q - 1 of every rail. The three-tier tree above is the case m1 = 1, A = u, h = 1, C the
  smallest divisor of E with C*k >= P*E, m2 = E/C. Sizing decides it (FatTree.construction_model with
  E a multiple of G): 10,000 GPUs in 8-GPU nodes on 64 ports take 811 switches (21 pods of 2 leaves per
  rail and 15 spines, 2 cables from each leaf to each; 5 groups of 32 cores) where the leaf-split tree
  needs 896.
Rail alignment, what it requires of a construction: (1) a leaf holds one rail, GPU r of the nodes of one
block (Zhao et al. 2025, Section 4: GPU i of every node on a rail-i leaf); (2) every rail has the same
blocks, so the node-to-leaf cabling of every rail is the same and G*L_r = P*E: the fat tree's leaf loads
are G copies of one rail's, spread(n_r, L_r) G times being spread(N, G*L_r), the multiset the fat tree's
closed forms read; (3) a pod holds whole nodes: the same q blocks of every rail, so E = G*q, G divides
E. (3) is the scalable unit of NVIDIA's DGX SuperPOD reference architecture (one leaf per rail in every
SU of 32 nodes; rail_optimized.py cites it): without it a node's G ports would sit in different pods, the
hops between two nodes (2 in one pod, 4 across) would depend on the rail their traffic takes, and a pod's
failure would take some GPUs of every node instead of whole nodes. (2) and (3) together: G divides E, N
is a whole number of nodes, and N/G >= P*q (no rail leaf empty, the fat tree's N >= P*E).
Every tree here is FatTree's construction with its leaves relabelled (``RailTree``): the per-leaf endpoint
counts are a permutation of the fat tree's and its pods hold the same number of leaves, so its closed forms
hold unchanged (bisection, hops, fault domains, throughput; ``tree_plane``), and the fat tree's bisection
proof (even up-path spreading over cables of uniform multiplicity, spines with no more cables down than
up; FatTree.bisection) reads nothing that the relabelling changes.

Hops: same rail in one leaf block 0, else 2 (through any spine; cross-rail traffic also 2 in two tiers);
with three tiers, 2 inside a pod and 4 across pods (leaf-spine-core-spine-leaf), whatever the rails.
MoE figures take G consecutive endpoint ports of the analysed graph as a node (topoctl.metrics); on
rail-aligned leaves a node's G ports sit on G leaves, which the sample does not model: with
non-blocking leaves both give 1.0, with oversubscribed leaves the figure is an estimate.

Example (the paper's 2,048-GPU MRFT):
    >>> tree = MultiRailFatTree.from_parameters(MultiRailFatTree.Parameters(k=64, endpoints=2048), radix=64)
    >>> tree.counts().num_switches_by_role, tree.counts().num_switch_links
    ({'leaf': 64, 'spine': 32}, 2048)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from topoctl.errors import SpecError
from topoctl.topologies.base import (
    MAX_ENDPOINTS,
    Bisection,
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
from topoctl.topologies.fat_tree import FatTree, FatTreeParameters, TreeConstruction, leaf_split
from topoctl.topologies.sizing import Candidate, Deadline, Prices, SizedVars, SizingRequest, SwitchConfig, ratio

if TYPE_CHECKING:
    from topoctl.topologies.graph import SwitchGraph

__all__ = ["MultiRailFatTree", "MultiRailFatTreeParameters", "RailTree"]

# FatTree's roles and link groups under the names of a rail design (leaf, spine, core)
ROLE_NAMES = {"edge": "leaf", "aggregation": "spine"}
GROUP_NAMES = {"edge-aggregation": "leaf-spine", "aggregation-core": "spine-core"}


@dataclass(frozen=True)
class RailTree(FatTree):
    """The fat tree a rail-aligned design's switch graph obeys, for the fat-tree closed forms (bisection,
    fault domains, throughput, MoE): ``leaf_count`` leaves whose endpoint counts, ``leaf_loads`` in build
    order (None: FatTree's order), are a permutation of spread(N, leaf_count); with three tiers, pods of
    ``pod_size`` consecutive leaves. FatTree's formulas read only those (its bisection the multiset of
    leaf loads, its throughput the loads leaf by leaf and pod by pod), so they hold for it."""

    leaf_count: int = 1
    pod_size: int = 0
    leaf_loads: tuple[int, ...] | None = None

    @property
    def num_leaves(self) -> int:
        return self.leaf_count

    @property
    def endpoints_per_leaf(self) -> list[int]:
        return list(self.leaf_loads) if self.leaf_loads is not None else spread(self.num_endpoints, self.leaf_count)

    @property
    def num_pods(self) -> int:
        return self.leaf_count // self.pod_size if self.pod_size else 1

    @property
    def edges_in_pod(self) -> int:
        return self.pod_size


def _renamed(domains: list[FaultDomain]) -> list[FaultDomain]:
    return [replace(d, component=ROLE_NAMES.get(d.component, d.component)) for d in domains]


class MultiRailFatTreeParameters(FamilyParameters):
    """``endpoints_per_node`` G (GPUs per node, one rail each; default 8); ``k`` ports per switch used
    (default: the switch radix); ``tiers`` 2 or 3; ``oversubscription`` the leaf down:up ratio;
    ``endpoints`` N, a whole number of nodes (default: the most the tiers hold); ``construction``: three
    tiers built as given (fat_tree's TreeConstruction, edges_per_pod a multiple of G: the module
    docstring's rail alignment) instead of from the leaf split."""

    endpoints_per_node: int = Field(default=8, ge=1, le=1024)
    k: int | None = Field(default=None, ge=2, le=4096)
    tiers: Literal[2, 3] = 2
    oversubscription: float = Field(default=1.0, gt=0, le=4096)
    endpoints: int | None = Field(default=None, ge=1, le=MAX_ENDPOINTS)
    construction: TreeConstruction | None = None


@dataclass(frozen=True)
class MultiRailFatTree(Topology):
    """A fat tree with rail-aligned leaves (see the module docstring).

    Example: nodes of 2 GPUs on k = 4 switches, two tiers: 2 rails of 2 leaves, 2 spines, 8 GPUs:
        >>> t = MultiRailFatTree.from_parameters(MultiRailFatTree.Parameters(endpoints_per_node=2, k=4), radix=4)
        >>> t.build().names
        ('rail0-leaf-0', 'rail0-leaf-1', 'rail1-leaf-0', 'rail1-leaf-1', 'spine-0', 'spine-1')
    """

    family = "mrft"
    summary = "multi-rail fat tree (DeepSeek-V3 MRFT): rail-aligned leaves sharing spines (and cores)"
    Parameters = MultiRailFatTreeParameters

    endpoints_per_node: int
    tree: RailTree

    @classmethod
    def from_parameters(cls, params: MultiRailFatTreeParameters, radix: int, *,
                        formula_only: bool = False) -> MultiRailFatTree:
        g, tiers = params.endpoints_per_node, params.tiers
        k = params.k if params.k is not None else radix
        if k > radix:
            raise SpecError(f"k={k} exceeds the switch radix {radix}; use k <= {radix}", path="k")
        if params.construction is not None:
            return cls.constructed(params, k, radix)
        down, up = leaf_split(k, params.oversubscription, tiers)
        most = cls.max_leaves_per_rail(k, tiers, g)
        if most < 1:
            bound = k if tiers == 2 else k // 2
            raise SpecError(
                f"{g} rails do not fit under one {'spine layer' if tiers == 2 else 'pod'} of k={k} ports: "
                f"endpoints_per_node must be at most {bound} with {tiers} tiers",
                path="endpoints_per_node",
            )
        limit = cls.max_endpoints(k, tiers, g, down)
        n = params.endpoints if params.endpoints is not None else limit
        check_endpoints(n, f"the full {tiers}-tier multi-rail tree of k={k}", "endpoints")
        if n % g:
            raise SpecError(f"{n} is not a whole number of {g}-endpoint nodes (one endpoint per rail)",
                            path="endpoints")
        if n > limit:
            hint = "3 tiers or a larger radix" if tiers == 2 else "a larger radix or more planes (multiplane_fat_tree)"
            raise SpecError(
                f"{n} endpoints exceed the {tiers}-tier multi-rail maximum {limit} at k={k} with {g} rails and "
                f"{down} down ports per leaf; use at most {limit}, or {hint}",
                path="endpoints",
            )
        return cls(radix=radix, endpoints_per_node=g, tree=cls.rail_tree(radix, k, tiers, down, up, g, n))

    @classmethod
    def constructed(cls, params: MultiRailFatTreeParameters, k: int, radix: int) -> MultiRailFatTree:
        """The tree of an explicit construction: fat_tree's port-by-port checks (FatTree.constructed), then
        rail alignment (module docstring): edges_per_pod a multiple of G, N a whole number of nodes."""
        c, g = params.construction, params.endpoints_per_node
        assert c is not None
        given: dict[str, Any] = (
            {"oversubscription": params.oversubscription} if "oversubscription" in params.model_fields_set else {})
        tree = RailTree.constructed(FatTreeParameters(k=k, tiers=params.tiers, endpoints=params.endpoints,
                                                      construction=c, **given), k, radix)
        assert isinstance(tree, RailTree)  # FatTree.constructed builds its own class
        if c.edges_per_pod % g:
            near = sorted({max(g, c.edges_per_pod // g * g), -(-c.edges_per_pod // g) * g})
            raise SpecError(
                f"edges_per_pod={c.edges_per_pod} is not a multiple of endpoints_per_node={g}: every pod holds "
                f"the same number of leaves of each of the {g} rails; nearest valid: "
                f"{', '.join(str(e) for e in near)}", path="construction.edges_per_pod")
        n = tree.num_endpoints
        if n % g:
            raise SpecError(f"{n} is not a whole number of {g}-endpoint nodes (one endpoint per rail)",
                            path="endpoints")
        per_rail = c.pods * c.edges_per_pod // g
        return cls(radix=radix, endpoints_per_node=g, tree=replace(
            tree, leaf_count=g * per_rail, pod_size=c.edges_per_pod, leaf_loads=cls.rail_loads(n, g, per_rail, c.pods)))

    @staticmethod
    def rail_loads(n: int, g: int, per_rail: int, pods: int) -> tuple[int, ...]:
        """Leaf loads in build order: pod by pod, rail by rail, the pod's q = per_rail/pods blocks of the
        n/G nodes spread over a rail's ``per_rail`` leaves (larger blocks first)."""
        blocks = spread(n // g, per_rail)
        q = per_rail // pods
        return tuple(x for p in range(pods) for _ in range(g) for x in blocks[p * q:(p + 1) * q])

    @staticmethod
    def max_leaves_per_rail(k: int, tiers: int, g: int) -> int:
        """Two tiers: floor(k/G) leaves per rail under one spine layer; three: q = floor(k/(2G)) per pod."""
        return k // g if tiers == 2 else (k // 2) // g

    @classmethod
    def max_endpoints(cls, k: int, tiers: int, g: int, down: int) -> int:
        """G*floor(k/G)*d with two tiers, G*k*floor(k/(2G))*d with three (k pods)."""
        most = cls.max_leaves_per_rail(k, tiers, g)
        return g * most * down if tiers == 2 else g * k * most * down

    @staticmethod
    def shape(k: int, tiers: int, down: int, g: int, n: int) -> tuple[int, int]:
        """(leaves per rail, pods): L_r = ceil(n_r/d) and one pod with two tiers; with three, P pods of
        q = ceil(L_r/P) leaves per rail, P*q leaves per rail."""
        per_rail = -(-(n // g) // down)
        if tiers == 2:
            return per_rail, 1
        pods = -(-per_rail // ((k // 2) // g))
        return pods * -(-per_rail // pods), pods

    @classmethod
    def rail_tree(cls, radix: int, k: int, tiers: int, down: int, up: int, g: int, n: int,
                  loads: bool = True) -> RailTree:
        """The RailTree of the design; ``loads``: with the leaf loads in build order (a graph's or the
        throughput's), else only what the bisection and the counts read."""
        per_rail, pods = cls.shape(k, tiers, down, g, n)
        leaf_loads = cls.rail_loads(n, g, per_rail, pods) if loads else None
        return RailTree(radix=radix, k=k, tiers=tiers, down=down, up=up, num_endpoints=n, leaf_count=g * per_rail,
                        pod_size=g * per_rail // pods if tiers == 3 else 0, leaf_loads=leaf_loads)

    # -- structure ---------------------------------------------------------------------------------
    @property
    def num_endpoints(self) -> int:
        return self.tree.num_endpoints

    @property
    def leaves_per_rail(self) -> int:
        return self.tree.num_leaves // self.endpoints_per_node

    def node_size(self) -> int:
        return self.endpoints_per_node

    def rails(self) -> int:
        return self.endpoints_per_node

    def tree_plane(self) -> RailTree:
        return self.tree

    @classmethod
    def examples(cls) -> tuple[dict[str, Any], ...]:
        """Small variants for the family contract test (``Topology.examples``)."""
        return (
            dict(endpoints_per_node=2, k=4),  # 2 rails of 2 leaves, 2 spines
            dict(endpoints_per_node=4, k=8, endpoints=12),  # partial: one leaf per rail, 3 nodes
            dict(endpoints_per_node=4, k=6, oversubscription=2.0),
            dict(endpoints_per_node=2, k=8, tiers=3, endpoints=40),  # 3 pods of 2 leaves per rail
            dict(endpoints_per_node=8, k=16, tiers=3, endpoints=64),  # one pod
            dict(endpoints_per_node=1, k=4, tiers=3),  # one rail: the k-ary three-tier tree
            # 3 pods of 2 leaves per rail, 2 cables from each leaf to each spine, one core group serving
            # both spine indices, 2 cables from each spine to each of its 4 cores; blocks of 5 and 4 nodes
            dict(endpoints_per_node=2, k=16, tiers=3, endpoints=50, construction=dict(
                pods=3, edges_per_pod=4, aggregations_per_pod=2, edge_aggregation_links=2,
                aggregations_per_core_group=2, cores_per_group=4, aggregation_core_links=2)),
            # one spine per pod (its loss splits the pod) and 4 rails of one leaf per pod
            dict(endpoints_per_node=4, k=8, tiers=3, endpoints=24, construction=dict(
                pods=2, edges_per_pod=4, aggregations_per_pod=1, edge_aggregation_links=1,
                cores_per_group=2, aggregation_core_links=2)),
        )

    @property
    def variant(self) -> str:
        return self.variant_on({})

    def variant_on(self, radix_by_role: Mapping[str, int]) -> str:
        t = self.tree
        if t.construction is not None:
            full = t.is_full
        else:
            full = self.num_endpoints == self.max_endpoints(t.k, t.tiers, self.endpoints_per_node, t.down)
        shape = "full" if full else "partially populated"
        text = (f"{t.tiers}-tier multi-rail fat tree, {counted(self.endpoints_per_node, 'rail')} of "
                f"{counted(self.leaves_per_rail, 'leaf', 'leaves')}, {shape}, leaf {t.down}:{t.up} down:up on "
                f"{radix_text(t.k, radix_by_role)}")
        if t.construction is not None:
            q = self.leaves_per_rail // t.num_pods
            text += (f", {counted(t.num_pods, 'pod')} of {counted(q, 'leaf', 'leaves')} per rail and "
                     f"{counted(t.aggregations_in_pod, 'spine')} ({counted(t.edge_links, 'cable')} from each leaf to "
                     f"each), {t.num_core_groups} x {counted(t.cores_per_group, 'core')} "
                     f"({counted(t.core_links, 'cable')} to each)")
        return text

    def parameters(self) -> dict[str, Any]:
        t = self.tree.parameters()
        return {
            "endpoints_per_node": self.endpoints_per_node,
            "k": t["k"],
            "tiers": t["tiers"],
            "oversubscription": t["oversubscription"],
            "endpoints": self.num_endpoints,
            "nodes": self.num_endpoints // self.endpoints_per_node,
            "rails": self.endpoints_per_node,
            "leaves_per_rail": self.leaves_per_rail,
            "pods": self.tree.num_pods,
            "leaf_down_ports": t["leaf_down_ports"],
            "leaf_up_ports": t["leaf_up_ports"],
            **({"construction": t["construction"]} if "construction" in t else {}),
        }

    # -- closed forms (FatTree's, RailTree) ---------------------------------------------------------
    def counts(self) -> Counts:
        one = self.tree.counts()
        roles = {ROLE_NAMES.get(role, role): n for role, n in one.num_switches_by_role.items()}
        groups = tuple(LinkGroup(GROUP_NAMES.get(x.name, x.name), x.count, x.cable_class,
                                 None if x.ends is None else (ROLE_NAMES.get(x.ends[0], x.ends[0]),
                                                              ROLE_NAMES.get(x.ends[1], x.ends[1])))
                       for x in one.link_groups)
        return Counts(one.num_endpoints, roles, groups, one.num_endpoint_links)

    def diameter_hops(self) -> int:
        """0 on one leaf; 2 between leaves of one pod (any rails); 4 across pods with three tiers."""
        return self.tree.diameter_hops()

    def bisection(self, endpoint_link_cables: float = 1.0) -> Bisection:
        """The fat tree's exact closed form (FatTree.bisection: min over l leaves cut off of u*l + (r/c)*
        endpoints across, Leiserson 1985, with its proof): it reads only the multiset of leaf loads,
        and rail-aligned blocks give every rail spread(n_r, L_r), G copies of which are spread(N, G*L_r)."""
        return self.tree.bisection(endpoint_link_cables)

    def bisection_shares(self, endpoint_link_cables: float = 1.0) -> dict[str, tuple[float, bool]]:
        shares = self.tree.bisection_shares(endpoint_link_cables)
        return {ROLE_NAMES.get(role, role): share for role, share in shares.items()}

    def fault_domains(self) -> list[FaultDomain]:
        """The fat tree's (FatTree.fault_domains: a leaf takes its endpoints, a lone spine or core splits
        the tree); a leaf holds one GPU of each of its nodes, so a leaf failure costs every node of its
        block one GPU's port, not a node."""
        return _renamed(self.tree.fault_domains())

    # -- inverse sizing -------------------------------------------------------------------------------
    closed_form_limits = frozenset({"max_hops", "max_blast_radius"})
    decided_power = FatTree.decided_power

    @classmethod
    def candidates(cls, requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
                   deadline: Deadline | None = None) -> Iterator[Candidate]:
        """One plane, one port per endpoint, nodes of G = endpoints_per_node (N a whole number of nodes):
        every tree of 2 .. max_tiers tiers on k <= radix ports (k = radix only when explaining
        infeasibility past the request's limits), every leaf split d:u, at its closed-form sizing
        (``shape``, FatTree's spine and core counts), in order of tiers, then k and d downwards; three
        tiers then as a tree whose rail-aligned construction the solver decides (``decided_tree``)."""
        n, g = requirement.num_endpoints, requirement.endpoints_per_node
        if n % g:
            return
        bound = requirement.cost_bound  # shapes that can never be chosen are skipped (FatTree.skipped_downs)
        for tiers in range(2, requirement.max_tiers + 1):
            k = switch.radix if tiers == 2 else switch.radix - switch.radix % 2
            first = k if requirement.relaxed_from is not None else 2
            start: Candidate | None = None  # three tiers: the decided candidate's starting point
            for k_used in range(k, first - 1, -1 if tiers == 2 else -2):  # the whole radix first
                if cls.max_leaves_per_rail(k_used, tiers, g) < 1:
                    continue
                if deadline is not None:
                    deadline.check(f"enumerating multi-rail shapes ({tiers} tiers, k={k_used})")
                downs = range(k_used - 1, 0, -1)
                if bound is not None:  # within the tree's maximum (the break below) first
                    most = cls.max_endpoints(k_used, tiers, g, 1)
                    downs = range(k_used - 1, max(0, -(-n // most) - 1), -1)
                skips, stop = ([], len(downs)) if bound is None else FatTree.skipped_downs(
                    bound, requirement, switch, prices, tiers, 1, 1, k_used, downs, start, rails=g)
                for i, down in enumerate(downs[:stop]):
                    if n > cls.max_endpoints(k_used, tiers, g, down):
                        break  # fewer down ports hold fewer
                    if skips and skips[i]:
                        continue
                    cand = cls._candidate(requirement, switch, prices, tiers, k_used, down)
                    if cand is not None:
                        yield cand
                        if tiers == 3:
                            start = FatTree.better_start(cand, start, requirement)
            if tiers == 3:
                decided = cls.decided_tree(requirement, switch, prices, start)
                if decided is not None:
                    yield decided

    @classmethod
    def decided_tree(cls, requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
                     start: Candidate | None) -> Candidate | None:
        """The three-tier candidate whose construction the solver decides (FatTree.construction_model with
        edges per pod a multiple of G, the rail alignment of the module docstring), on the whole radix, as
        FatTree.decided_tree: started from ``start`` (FatTree.better_start over the leaf-split trees, here
        the rail-aligned ones), else the balanced tree, else cold (FatTree.unstarted); its hint is the
        start's construction (m1 = 1, A = u, h = 1, C cores per group, m2 = E/C). None when the hop limit
        keeps three tiers to one pod, when explaining infeasibility, or when no pod holds a leaf of every
        rail (G > floor(k/2): a spine has no more cables down than up, so E*m1 <= k/2)."""
        n, g = requirement.num_endpoints, requirement.endpoints_per_node
        k = switch.radix - switch.radix % 2
        if (not requirement.prunes or (requirement.max_hops is not None and requirement.max_hops < 4)
                or g > switch.radix // 2):
            return None
        if start is None and cls.max_leaves_per_rail(k, 3, g) >= 1 and n <= cls.max_endpoints(k, 3, g, k // 2):
            start = cls._candidate(requirement, switch, prices, 3, k, k // 2, prune=False)
        size: dict[str, int] = {}
        if start is None or start.size["pods"] < 2:
            start = FatTree.unstarted(cls, requirement, switch, prices, 1, 1)
            if start is None:
                return None
        else:
            z = start.size
            per_pod = z["leaves"] // z["pods"]
            size = {"pods": z["pods"], "edges_per_pod": per_pod, "aggregations_per_pod": start.shape["up"],
                    "edge_aggregation_links": 1, "aggregations_per_core_group": 1,
                    "cores_per_group": z["core_groups"], "aggregation_core_links": per_pod // z["core_groups"]}
        decided = replace(start, shape={"k": switch.radix, "n_plane": n, "g": g}, size=size, decided=True)
        return replace(decided, lower_bound=FatTree.construction_lower_bound(decided, requirement, edge_multiple=g))

    @classmethod
    def _candidate(cls, requirement: SizingRequest, switch: SwitchConfig, prices: Prices, tiers: int, k: int,
                   down: int, prune: bool = True) -> Candidate | None:
        """The tree at its closed-form sizing; None if ``prune`` and the request prunes it (hops, blast
        radius)."""
        n, g, up = requirement.num_endpoints, requirement.endpoints_per_node, k - down
        tree = cls.rail_tree(k, k, tiers, down, up, g, n, loads=False)
        leaves = tree.num_leaves
        if tiers == 2:
            spines = tree.num_spines
            size = {"leaves": leaves, "spines": spines}
            switches, electric, optical = leaves + spines, 0, leaves * up
        else:
            pods, groups = tree.num_pods, tree.cores_per_group
            size = {"leaves": leaves, "pods": pods, "core_groups": groups}
            switches, electric, optical = leaves + pods * up + up * groups, leaves * up, leaves * up
        blast = max(d.endpoints_disconnected for d in tree.fault_domains() if d.component in ROLE_NAMES or
                    d.component in ("leaf", "spine", "core"))
        hops = tree.diameter_hops()
        max_hops, max_blast = requirement.max_hops, requirement.max_blast_radius
        if prune and requirement.prunes and ((max_hops is not None and hops > max_hops)
                                             or (max_blast is not None and blast > max_blast)):
            return None
        cost = (switches * prices.switch_cents + n * prices.endpoint_cable_cents
                + electric * prices.electric_link_cents + optical * prices.optical_link_cents)
        total_ports = switches * switch.radix
        used = n + 2 * (electric + optical)
        speed, port_speed = requirement.endpoint_speed_gbps, Fraction(switch.port_speed_gbps)
        cut = Fraction(tree.bisection(speed / port_speed).links)  # exact in fractions
        return Candidate(
            cls, switch, prices, {"k": k, "down": down, "up": up, "g": g, "per_rail": n // g}, size,
            n, switches, cost, ratio(cut, port_speed, n, speed),
            Fraction(total_ports - used, total_ports), blast, hops, tiers, 1, 1,
        )

    @classmethod
    def size_model(cls, model: Any, candidate: Candidate, requirement: SizingRequest, use: Any) -> SizedVars:
        """The tree's sizing in integers: leaves per rail L_r = ceil(n_r/d) as two inequalities
        (L_r*d >= n_r, L_r*d <= n_r + d - 1), every rail the same; with three tiers the pods as a
        ceiling of L_r over q_max = floor(k/(2G)) the same way, and leaves = G*q*P; port balance (S*k >=
        L*u, C*k >= L); the divisor-based spine and core counts and q = ceil(L_r/P) are not linear and are
        pinned to the closed form (``shape``), as FatTree.size_model pins them. The bisection ratio is fixed
        by the shape (exact); hops and blast radius are checked by the closed forms (closed_form_limits).
        A decided candidate: FatTree.construction_model with edges per pod a multiple of G."""
        if candidate.decided:
            return FatTree.construction_model(model, candidate, requirement, use, edge_multiple=candidate.shape["g"])
        c, s = candidate, candidate.shape
        k, d, u, g, n_r = s["k"], s["down"], s["up"], s["g"], s["per_rail"]
        on, off = use, use.negated()
        if c.bisection_ratio < requirement.bisection_ratio:
            model.add(use == 0)
        per_rail = model.new_int_var(0, k * k, f"leaves_per_rail_{c.rank}")  # ceil(n_r/d) leaves hold a rail
        model.add(per_rail * d >= n_r).only_enforce_if(on)
        model.add(per_rail * d <= n_r + d - 1).only_enforce_if(on)
        leaves = model.new_int_var(0, k * k * g, f"leaves_{c.rank}")  # all rails
        if c.tiers == 2:
            spines = model.new_int_var(0, k, f"spines_{c.rank}")
            model.add(leaves == g * per_rail).only_enforce_if(on)
            model.add(spines * k >= leaves * u).only_enforce_if(on)  # every uplink on a spine port
            model.add(spines == c.size["spines"]).only_enforce_if(on)  # ... the smallest divisor of u (pinned)
            variables = {"leaves": leaves, "spines": spines}
            switches = leaves + spines
            electric, optical = 0, leaves * u
        else:
            most = (k // 2) // g  # q_max leaves per rail in one pod
            pods = model.new_int_var(0, k, f"pods_{c.rank}")
            groups = model.new_int_var(0, k, f"core_groups_{c.rank}")  # cores per group (u groups)
            q = model.new_int_var(0, most, f"pod_leaves_per_rail_{c.rank}")
            model.add(pods * most >= per_rail).only_enforce_if(on)  # pods = ceil(L_r/q_max)
            model.add(pods * most <= per_rail + most - 1).only_enforce_if(on)
            model.add(q == c.size["leaves"] // (g * max(1, c.size["pods"]))).only_enforce_if(on)  # ceil(L_r/P), pinned
            per_pod = model.new_int_var(0, k * most * g, f"leaves_in_pods_{c.rank}")
            model.add_multiplication_equality(per_pod, [q, pods])
            model.add(leaves == g * per_pod).only_enforce_if(on)
            model.add(groups * k >= leaves).only_enforce_if(on)  # core group a takes every pod's spine a
            model.add(groups == c.size["core_groups"]).only_enforce_if(on)
            for var in (pods, groups, q):
                model.add(var == 0).only_enforce_if(off)
            variables = {"leaves": leaves, "pods": pods, "core_groups": groups}
            switches = leaves + u * pods + u * groups
            electric, optical = leaves * u, leaves * u
        for var in (per_rail, leaves, *variables.values()):
            model.add(var == 0).only_enforce_if(off)
        n_total = requirement.num_endpoints
        spare = requirement.spare_ports
        total_ports = switches * c.switch.radix
        used_ports = n_total * use + 2 * (electric + optical)
        model.add((spare.denominator - spare.numerator) * total_ports
                  >= spare.denominator * used_ports).only_enforce_if(on)
        p = c.prices
        cost = (switches * p.switch_cents + n_total * p.endpoint_cable_cents * use
                + electric * p.electric_link_cents + optical * p.optical_link_cents)
        return SizedVars(use, variables, cost, switches, n_total * use)

    @classmethod
    def sizing_label(cls, candidate: Candidate) -> str:
        s = candidate.shape
        if candidate.decided:
            return f"3-tier, {counted(s['g'], 'rail')}, construction by the solver on k={s['k']}"
        return f"{candidate.tiers}-tier, {counted(s['g'], 'rail')}, {s['down']}:{s['up']} on k={s['k']}"

    @classmethod
    def sizing_note(cls, candidate: Candidate) -> str:
        s, z = candidate.shape, candidate.size
        if candidate.decided:
            g, pods, edges = s["g"], z["pods"], z["edges_per_pod"]
            up = z["aggregations_per_pod"] * z["edge_aggregation_links"]
            groups = z["aggregations_per_pod"] // z["aggregations_per_core_group"]
            return (f"{counted(g, 'rail')} of {counted(s['n_plane'] // g, 'endpoint', fmt=',')} on "
                    f"{counted(pods * edges // g, 'leaf', 'leaves')} each ({-(-s['n_plane'] // (pods * edges))} down, "
                    f"{up} up) in {counted(pods, 'pod')} of {counted(edges // g, 'leaf', 'leaves')} per rail and "
                    f"{counted(z['aggregations_per_pod'], 'spine')}, {counted(z['edge_aggregation_links'], 'cable')} "
                    f"from each leaf to each; {groups} x {counted(z['cores_per_group'], 'core')}, "
                    f"{counted(z['aggregation_core_links'], 'cable')} from each spine to each core of its group")
        per_rail = z["leaves"] // s["g"]
        rails = (f"{counted(s['g'], 'rail')} of {counted(s['per_rail'], 'endpoint', fmt=',')} on "
                 f"{counted(per_rail, 'leaf', 'leaves')} each ({s['down']} down, {s['up']} up)")
        if candidate.tiers == 2:
            return f"{rails}, {counted(z['spines'], 'shared spine')}"
        cores = "core" if s["up"] * z["core_groups"] == 1 else "cores"
        return (f"{rails} in {counted(z['pods'], 'pod')} of {counted(s['up'], 'spine')}, "
                f"{s['up']} x {z['core_groups']} {cores}")

    @classmethod
    def sizing_parameters(cls, candidate: Candidate, endpoints_per_node: int) -> dict[str, Any]:
        s = candidate.shape
        if candidate.decided:
            return {"endpoints_per_node": s["g"], "k": s["k"], "tiers": 3, "endpoints": candidate.num_endpoints,
                    "construction": dict(candidate.size)}
        over: int | float = s["down"] // s["up"] if s["down"] % s["up"] == 0 else s["down"] / s["up"]
        return {"endpoints_per_node": s["g"], "k": s["k"], "tiers": candidate.tiers, "oversubscription": over,
                "endpoints": candidate.num_endpoints}

    @classmethod
    def sizing_roles(cls, candidate: Candidate) -> dict[str, int]:
        if candidate.decided:
            roles = FatTree.sizing_roles(candidate)
            return {"leaf": roles["edge"], "spine": roles["aggregation"], "core": roles["core"]}
        z, u = candidate.size, candidate.shape["up"]
        if candidate.tiers == 2:
            return {"leaf": z["leaves"], "spine": z["spines"]}
        return {"leaf": z["leaves"], "spine": z["pods"] * u, "core": u * z["core_groups"]}

    # -- graph -------------------------------------------------------------------------------------
    def build(self) -> SwitchGraph:
        """FatTree's graph of the RailTree, switches renamed and a ``rail`` label added. Two tiers: leaves
        ``rail<r>-leaf-<j>`` rail by rail, then spines ``spine-<s>``. Three tiers: cores ``core-<a>-<c>``
        (group a), then pod by pod its spines ``pod<p>-spine-<a>`` and its leaves ``rail<r>-leaf-<j>`` (j the
        block, p*q .. p*q + q - 1), rail by rail. Bundles in FatTree's order."""
        import numpy as np

        from topoctl.topologies.graph import object_array

        t, g = self.tree, self.endpoints_per_node
        graph = t.build()
        per_rail = self.leaves_per_rail
        rail_of_leaf = np.repeat(np.arange(g, dtype=np.int64), per_rail // t.num_pods)  # within one pod
        if t.tiers == 2:
            spines = t.num_spines
            names = [f"rail{r}-leaf-{j}" for r in range(g) for j in range(per_rail)]
            names += [f"spine-{s}" for s in range(spines)]
            rail = np.concatenate([rail_of_leaf, np.full(spines, -1, dtype=np.int64)])
            return replace(graph, names=tuple(names), labels=(("rail", rail),))
        pods, spines, q = t.num_pods, t.aggregations_in_pod, per_rail // t.num_pods
        cores = t.num_cores
        names = [f"core-{a}-{c}" for a in range(t.num_core_groups) for c in range(t.cores_per_group)]
        for p in range(pods):
            names += [f"pod{p}-spine-{a}" for a in range(spines)]
            names += [f"rail{r}-leaf-{p * q + j}" for r in range(g) for j in range(q)]
        pod_rails = np.concatenate([np.full(spines, -1, dtype=np.int64), rail_of_leaf])
        rail = np.concatenate([np.full(cores, -1, dtype=np.int64), np.tile(pod_rails, pods)])
        pod_roles = object_array(["spine", "leaf"], [spines, g * q])
        roles = np.concatenate([object_array(["core"], [cores]), np.tile(pod_roles, pods)])
        uplinks = int((graph.edge_groups == "aggregation-core").sum())
        groups = object_array(["spine-core", "leaf-spine"], [uplinks, graph.num_bundles - uplinks])
        return replace(graph, names=tuple(names), roles=roles, edge_groups=groups, labels=(("rail", rail),))
