"""Rail-optimized fabric in scalable units: the NVIDIA DGX SuperPOD compute fabric.

Reference: NVIDIA, "DGX SuperPOD: Next Generation Scalable Infrastructure for AI Leadership, Reference
Architecture featuring NVIDIA DGX B200" (docs.nvidia.com/dgx-superpod/reference-architecture-scalable-
infrastructure-b200), "Compute fabric" and "Larger DGX SuperPOD component counts": scalable units (SU)
of 32 nodes of 8 GPUs, one leaf per rail in every SU, QM9700 64 x 400G switches, leaves 32 down and 32
up; up to 8 SUs the leaves meet at one spine layer, beyond it spine-leaf groups per rail joined by a
core tier (NVIDIA, "InfiniBand Cluster Bring-up Procedure": SLG, a spine-leaf group whose spines all
connect to all its leaves; CG, a core group connecting to specific spines of every SLG). The B300
reference architecture (64 nodes per SU, a dual-plane fabric) is the same design with two planes.

Symbols: ``G`` endpoints (GPUs) per node, one rail each; ``N_su`` nodes per scalable unit; ``U`` units;
``k`` switch ports used; ``d``:``u`` the leaf's down:up ports; ``P`` planes, every endpoint with one
port in each (1, or 2 for the dual-plane B300 fabric). Per plane, N = U*N_su*G endpoints.

Construction, per plane (deterministic):
- Leaves: every SU has l = ceil(N_su/d) leaves per rail; leaf j of rail r in SU s is ``rail<r>-leaf-<b>``
  (b = s*l + j) and holds GPU r of the SU's nodes of block j (N_su nodes spread over l blocks, larger
  first). L = U*G*l leaves, built rail by rail. A leaf partly used (its fullest load ceil(N_su/l) below
  the split's d) keeps only what that load needs: d = ceil(N_su/l) down, u = ceil(d/ratio) up (at most the
  split's), e.g. 32-node SUs on 128 ports: 32 down, 32 up, not 64:64.
- Two tiers (L <= k, the default when it holds): S spines ``spine-<t>``, S the smallest divisor of u with
  S*k >= L*u; every leaf has u/S cables to every spine (the SuperPOD of up to 8 SUs: 16, 32, 64 leaves
  on 8, 16, 32 spines).
- Three tiers: a rail's leaves form X spine-leaf groups (SLG) of W SUs each, W_max = floor((k/2)/l) SUs
  at most (a spine has as many cables up as down), X = ceil(U/W_max), W = U/X (U must split evenly);
  E = W*l leaves per SLG. Every SLG has S_g spines ``rail<r>-spine-<t>``, S_g the smallest divisor of u
  with S_g*k >= 2*E*u; every leaf of the SLG has u/S_g cables to each, so a spine has E*u/S_g = U_s
  cables down and U_s up. S_g core groups of C cores ``core-<a>-<c>``, C the smallest divisor of U_s with
  C*k >= G*X*U_s: spine a of every SLG has U_s/C cables to every core of group a. At most G*X <= k SLGs:
  U <= floor(k/G)*W_max (256 SUs, 65,536 GPUs at k = 64, G = 8, N_su = 32).
- Three tiers as constructed (``construction``, fat_tree's TreeConstruction): the spine-leaf groups are
  the pods. P = G*X pods (X SLGs per rail, P a multiple of G), each of E = W*l leaves of one rail (W = U/X
  whole SUs, l = E/W leaves per rail in every SU, l <= N_su) and A spines, m1 cables from every leaf of the
  SLG to each of its spines; A/h core groups of C cores, m2 cables from spine index a of every SLG to each
  core of group a // h (``core-<a // h>-<c>``). The leaf then has ceil(N_su/l) ports down and u = A*m1 up,
  a spine E*m1 down and C*m2 up (no more down than up), a core P*h*m2. The construction above is the case
  A = S_g, m1 = u/S_g, h = 1, C cores per group, m2 = U_s/C. What the reference fixes and what it leaves
  free: an SU is a block of nodes with one leaf per rail (l = 1 in the B200 and B300 designs; l > 1 when an
  SU has more nodes than a leaf has ports down), an SLG holds whole SUs of one rail and its spines reach
  all its leaves, and a core group reaches "specific spines of every SLG" (Bring-up Procedure): spine
  index a, here h indices per group; cable multiplicities m1, m2 and the numbers A, C are the designer's.
  So rail alignment asks of a construction: (1) a pod holds leaves of one rail only (P = G*X, the leaves of
  rail r in pods r*X .. r*X + X - 1); (2) a pod holds whole SUs, each with the same l leaves per rail (E =
  W*l, U = X*W); the leaf loads are spread(N_su, l) in every SU and rail, U*G copies of it being a
  permutation of spread(N, L), the multiset the fat tree's closed forms read. Sizing decides it
  (FatTree.construction_model with the SU constraints: P = G*X, U = X*W, E = W*l, U*N_su = N/G): the
  decided design holds exactly the nodes asked (the leaf-split shapes may hold more, in whole SUs); of the
  SU splits giving one switch graph it takes the finest (fewest leaves per rail per SU). 10,240 GPUs in
  8-GPU nodes on 64 ports take 896 switches (40 SUs of 32 nodes, the B200's; 40 SLGs of 8 leaves and 8
  spines, 4 cables from each leaf to each; 8 groups of 32 cores) where the leaf-split shapes need 977
  (56 SUs of 23 nodes, 10,304 GPUs).
The published counts (B200: 32 nodes per SU on 64 ports): 2, 4, 8 SUs: 16/8, 32/16, 64/32 leaves/spines;
16, 32, 64 SUs: 128/128/64, 256/256/128, 512/512/256 leaves/spines/cores, every layer of cables equal
to the GPUs (4,096 at 16 SUs). B300 (64 nodes per SU, two planes, one port of every GPU in each, 64 down
and 64 up on radix-128 switches): 1, 2, 4, 8, 16 SUs: 16/8, 32/16, 64/32, 128/64, 256/128.

Hops: two leaves of one rail are 2 apart (through a spine of their SLG, even across SUs); with three
tiers leaves of different rails (or SLGs) are 4 apart (leaf-spine-core-spine-leaf): rail-aligned traffic
(NCCL's PXN moves data to the GPU of the destination's rail inside the node first) never reaches a core.

Example (the 16-SU B200 SuperPOD):
    >>> pod = RailOptimized.from_parameters(RailOptimized.Parameters(units=16), radix=64)
    >>> pod.counts().num_switches_by_role, pod.counts().num_switch_links
    ({'leaf': 128, 'spine': 128, 'core': 64}, 8192)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from topoctl.errors import SpecError
from topoctl.topologies.base import (
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
from topoctl.topologies.fat_tree import (
    CONSTRUCTION_FIELDS,
    FatTree,
    FatTreeParameters,
    TreeConstruction,
    leaf_split,
    smallest_divisor_at_least,
)
from topoctl.topologies.mrft import RailTree
from topoctl.topologies.sizing import Candidate, Deadline, Prices, SizedVars, SizingRequest, SwitchConfig, ratio

if TYPE_CHECKING:
    from topoctl.topologies.graph import SwitchGraph

__all__ = ["RailOptimized", "RailOptimizedParameters"]


class RailOptimizedParameters(FamilyParameters):
    """``endpoints_per_node`` G (GPUs per node, one rail each; default 8); ``nodes_per_unit`` N_su (default
    32, a DGX SU); ``units`` U (default: the most two tiers hold, or three with ``tiers: 3``); ``k`` ports
    per switch used (default: the radix); ``oversubscription`` the leaf down:up ratio (default 1);
    ``tiers`` 2 or 3 (default: two when the leaves fit under one spine layer, else three); ``planes`` P,
    every endpoint with one port in each (default 1; 2 is the B300's dual-plane fabric); ``construction``:
    three tiers built as given (fat_tree's TreeConstruction, the spine-leaf groups as its pods: pods a
    multiple of G, units a multiple of pods/G, edges_per_pod a multiple of the units of one group; the
    module docstring) instead of from the leaf split; ``units`` is then required and oversubscription
    left out."""

    endpoints_per_node: int = Field(default=8, ge=1, le=1024)
    nodes_per_unit: int = Field(default=32, ge=1, le=100_000)
    units: int | None = Field(default=None, ge=1, le=1_000_000)
    k: int | None = Field(default=None, ge=2, le=4096)
    oversubscription: float = Field(default=1.0, gt=0, le=4096)
    tiers: Literal[2, 3] | None = None
    planes: int = Field(default=1, ge=1, le=64)
    construction: TreeConstruction | None = None


def _even_split(units: int, most: int) -> tuple[int, int]:
    """(X, W): X = ceil(U/most) groups of W = ceil(U/X) units each."""
    groups = -(-units // most)
    return groups, -(-units // groups)


@dataclass(frozen=True)
class RailOptimized(Topology):
    """A rail-optimized fabric of scalable units (see the module docstring).

    Example: two SUs of 2 two-GPU nodes on k = 4: 2 rails x 2 leaves, 2 spines:
        >>> t = RailOptimized.from_parameters(
        ...     RailOptimized.Parameters(endpoints_per_node=2, nodes_per_unit=2, units=2, k=4), radix=4)
        >>> t.build().names
        ('rail0-leaf-0', 'rail0-leaf-1', 'rail1-leaf-0', 'rail1-leaf-1', 'spine-0', 'spine-1')
    """

    family = "rail_optimized"
    summary = "rail-optimized scalable units (NVIDIA DGX SuperPOD): a leaf per rail per SU, spines, cores"
    Parameters = RailOptimizedParameters

    endpoints_per_node: int
    nodes_per_unit: int
    units: int
    k: int
    down: int
    up: int
    tiers: int
    planes: int = 1
    construction: TreeConstruction | None = None  # three tiers as given, not from the leaf split

    @classmethod
    def from_parameters(cls, params: RailOptimizedParameters, radix: int, *,
                        formula_only: bool = False) -> RailOptimized:
        g, per_unit, planes = params.endpoints_per_node, params.nodes_per_unit, params.planes
        k = params.k if params.k is not None else radix
        if k > radix:
            raise SpecError(f"k={k} exceeds the switch radix {radix}; use k <= {radix}", path="k")
        if params.construction is not None:
            return cls.constructed(params, k, radix)
        down, up = leaf_split(k, params.oversubscription, params.tiers or 2)
        per_rail = -(-per_unit // down)  # leaves per rail in one SU
        two_tier_most = k // (g * per_rail)  # units under one spine layer
        tiers = params.tiers
        if tiers is None:
            units = params.units if params.units is not None else two_tier_most
            tiers = 2 if units <= two_tier_most and units >= 1 else 3
        if tiers == 3:
            down, up = leaf_split(k, params.oversubscription, 3)
        if tiers == 2:
            if two_tier_most < 1:
                raise SpecError(
                    f"one SU of {per_unit} nodes needs {g * per_rail} leaves ({g} rails x {per_rail}), more than one "
                    f"spine layer of k={k} ports takes; use tiers: 3, fewer nodes_per_unit or a larger radix",
                    path="nodes_per_unit",
                )
            units = params.units if params.units is not None else two_tier_most
            if units > two_tier_most:
                raise SpecError(
                    f"{units} units need {units * g * per_rail} leaves, more than one spine layer of k={k} ports "
                    f"takes; use at most {two_tier_most} units with two tiers, or tiers: 3",
                    path="units",
                )
        else:
            most = (k // 2) // per_rail  # W_max: units in one spine-leaf group
            if most < 1:
                raise SpecError(
                    f"one SU needs {per_rail} leaves per rail, more than a spine's {k // 2} down ports take; "
                    f"use at most {(k // 2) * down} nodes_per_unit or a larger radix",
                    path="nodes_per_unit",
                )
            limit = (k // g) * most
            if limit < 1:
                raise SpecError(f"{g} rails need more than k={k} spine-leaf groups under one core layer; "
                                f"endpoints_per_node must be at most {k}", path="endpoints_per_node")
            units = params.units if params.units is not None else limit
            if units > limit:
                raise SpecError(
                    f"{units} units exceed the three-tier maximum {limit} at k={k} ({k // g} spine-leaf groups "
                    f"per rail of up to {most} units); use at most {limit} units or a larger radix",
                    path="units",
                )
            groups, width = _even_split(units, most)
            if groups * width != units:
                valid = cls.valid_units(units, most, limit)
                raise SpecError(
                    f"{units} units do not split into equal spine-leaf groups of at most {most} units; "
                    f"nearest valid: {', '.join(map(str, valid))}",
                    path="units",
                )
        check_endpoints(units * per_unit * g, f"{units} units of {per_unit} nodes", "units")
        busiest = -(-per_unit // -(-per_unit // down))  # ceil(N_su/l): the fullest leaf's endpoints
        if busiest < down:  # a partly used leaf: as many uplinks as its endpoints need, not the full split
            ratio = Fraction(params.oversubscription).limit_denominator(1000)
            down, up = busiest, min(up, -(-busiest * ratio.denominator // ratio.numerator))
        return cls(radix=radix, endpoints_per_node=g, nodes_per_unit=per_unit, units=units, k=k, down=down, up=up,
                   tiers=tiers, planes=planes)

    @classmethod
    def constructed(cls, params: RailOptimizedParameters, k: int, radix: int) -> RailOptimized:
        """The fabric of an explicit construction: rail alignment (module docstring: pods a multiple of G,
        whole SUs of one rail in every SLG, the same leaves per rail in every SU, none empty), then
        fat_tree's port-by-port checks (FatTree.constructed) on N = U*N_su*G endpoints."""
        c, g, per_unit = params.construction, params.endpoints_per_node, params.nodes_per_unit
        assert c is not None
        if params.tiers == 2:
            raise SpecError("a construction builds three tiers; set tiers: 3 or leave tiers out", path="tiers")
        if "oversubscription" in params.model_fields_set:
            raise SpecError("the construction sets the leaf's ports; leave oversubscription out",
                            path="oversubscription")
        units = params.units
        if units is None:
            raise SpecError(f"a construction needs units (scalable units); use a multiple of pods/"
                            f"endpoints_per_node = {max(1, c.pods // g)}", path="units")
        if c.pods % g:
            near = sorted({max(g, c.pods // g * g), -(-c.pods // g) * g})
            raise SpecError(
                f"pods={c.pods} is not a multiple of endpoints_per_node={g}: every spine-leaf group holds "
                f"leaves of one rail, the same number of groups per rail; nearest valid: "
                f"{', '.join(str(p) for p in near)}", path="construction.pods")
        groups = c.pods // g
        if units % groups:
            raise SpecError(f"units={units} do not split into the {groups} spine-leaf groups of a rail (whole SUs "
                            f"in each); use a multiple of {groups}", path="units")
        width = units // groups
        if c.edges_per_pod % width:
            raise SpecError(
                f"edges_per_pod={c.edges_per_pod} is not a multiple of the {width} SUs of a spine-leaf group: "
                f"every SU has the same leaves per rail; use a multiple of {width}", path="construction.edges_per_pod")
        per_rail = c.edges_per_pod // width
        if per_rail > per_unit:
            raise SpecError(f"{per_rail} leaves per rail in an SU of {per_unit} nodes leave a leaf empty; use "
                            f"nodes_per_unit >= {per_rail} or fewer edges_per_pod", path="nodes_per_unit")
        n = units * per_unit * g
        check_endpoints(n, f"{units} units of {per_unit} nodes", "units")
        try:
            tree = FatTree.constructed(FatTreeParameters(k=k, tiers=3, endpoints=n, construction=c), k, radix)
        except SpecError as error:  # the fat tree's endpoints are the SUs' nodes here
            if error.path != "endpoints":
                raise
            raise SpecError(f"{per_unit} nodes per SU on {per_rail} leaves per rail put {-(-per_unit // per_rail)} "
                            f"on one, which with {c.aggregations_per_pod * c.edge_aggregation_links} uplinks "
                            f"exceeds k={k}; use fewer nodes_per_unit or more edges_per_pod",
                            path="nodes_per_unit") from None
        return cls(radix=radix, endpoints_per_node=g, nodes_per_unit=per_unit, units=units, k=k, down=tree.down,
                   up=tree.up, tiers=3, planes=params.planes, construction=c)

    @staticmethod
    def valid_units(units: int, most: int, limit: int) -> list[int]:
        """The unit counts nearest ``units`` (one below, one above, within ``limit``) that split into
        equal spine-leaf groups of at most ``most`` units."""
        def ok(x: int) -> bool:
            groups, width = _even_split(x, most)
            return groups * width == x

        below = next((x for x in range(units - 1, 0, -1) if ok(x)), None)
        above = next((x for x in range(units + 1, limit + 1) if ok(x)), None)
        return [x for x in (below, above) if x is not None]

    # -- structure ---------------------------------------------------------------------------------
    @property
    def leaves_per_unit_rail(self) -> int:
        """l = ceil(N_su/d): leaves of one rail in one SU (a construction's E/W)."""
        if self.construction is not None:
            return self.construction.edges_per_pod * self.groups_per_rail // self.units
        return -(-self.nodes_per_unit // self.down)

    @property
    def num_endpoints(self) -> int:
        return self.units * self.nodes_per_unit * self.endpoints_per_node

    @property
    def num_leaves(self) -> int:
        """Per plane: L = U*G*l."""
        return self.units * self.endpoints_per_node * self.leaves_per_unit_rail

    @cached_property
    def num_spines(self) -> int:
        """Two tiers, per plane: the smallest divisor S of u with S*k >= L*u."""
        return smallest_divisor_at_least(self.up, -(-self.num_leaves * self.up // self.k))

    @cached_property
    def groups_per_rail(self) -> int:
        """Three tiers: X spine-leaf groups per rail (a construction's P/G)."""
        if self.construction is not None:
            return self.construction.pods // self.endpoints_per_node
        return _even_split(self.units, (self.k // 2) // self.leaves_per_unit_rail)[0]

    @property
    def leaves_per_group(self) -> int:
        """Three tiers: E = W*l leaves in one spine-leaf group."""
        return self.units // self.groups_per_rail * self.leaves_per_unit_rail

    @cached_property
    def spines_per_group(self) -> int:
        """Three tiers: S_g, the smallest divisor of u with S_g*k >= 2*E*u (a construction's A)."""
        if self.construction is not None:
            return self.construction.aggregations_per_pod
        return smallest_divisor_at_least(self.up, -(-2 * self.leaves_per_group * self.up // self.k))

    @property
    def spine_links(self) -> int:
        """Three tiers: m1, cables from a leaf to each spine of its SLG (u/S_g)."""
        return self.construction.edge_aggregation_links if self.construction is not None else self.up // \
            self.spines_per_group

    @property
    def spine_uplinks(self) -> int:
        """Three tiers: cables up per spine, C*m2 (U_s = E*u/S_g, as many as down, from the leaf split)."""
        if self.construction is not None:
            return self.cores_per_group * self.construction.aggregation_core_links
        return self.leaves_per_group * self.up // self.spines_per_group

    @property
    def core_links(self) -> int:
        """Three tiers: m2, cables from a spine to each core of its group (U_s/C)."""
        return self.spine_uplinks // self.cores_per_group

    @property
    def spines_per_core_group(self) -> int:
        """Three tiers: h, the spine indices one core group serves (1 from the leaf split)."""
        return self.construction.aggregations_per_core_group if self.construction is not None else 1

    @property
    def num_cores(self) -> int:
        """Three tiers, per plane: (A/h)*C."""
        return self.spines_per_group // self.spines_per_core_group * self.cores_per_group

    @cached_property
    def cores_per_group(self) -> int:
        """Three tiers: C, the smallest divisor of U_s with C*k >= G*X*U_s (a construction's)."""
        if self.construction is not None:
            return self.construction.cores_per_group
        slgs = self.endpoints_per_node * self.groups_per_rail
        return smallest_divisor_at_least(self.spine_uplinks, -(-slgs * self.spine_uplinks // self.k))

    @property
    def num_groups(self) -> int:
        """Three tiers: G*X spine-leaf groups per plane."""
        return self.endpoints_per_node * self.groups_per_rail

    @cached_property
    def leaf_loads(self) -> tuple[int, ...]:
        """Endpoints on every leaf of a plane in build order (rail by rail, SU by SU)."""
        return tuple(spread(self.nodes_per_unit, self.leaves_per_unit_rail)) * (self.units * self.endpoints_per_node)

    @cached_property
    def tree(self) -> RailTree:
        """The fat tree one plane obeys for the closed forms (mrft.RailTree): its leaves, and with three
        tiers the spine-leaf groups as pods (E leaves, E*u cables up to the cores)."""
        return RailTree(radix=self.k, k=self.k, tiers=self.tiers, down=self.down, up=self.up,
                        num_endpoints=self.num_endpoints, leaf_count=self.num_leaves,
                        pod_size=self.leaves_per_group if self.tiers == 3 else 0, leaf_loads=self.leaf_loads,
                        construction=self.construction)

    @property
    def ports_per_endpoint(self) -> int:
        return self.planes

    def num_planes(self) -> int:
        return self.planes

    def node_size(self) -> int:
        return self.endpoints_per_node

    def rails(self) -> int:
        return self.endpoints_per_node

    def analysed_plane(self) -> RailOptimized:
        return replace(self, planes=1) if self.planes > 1 else self

    def tree_plane(self) -> RailTree:
        return self.tree

    @classmethod
    def examples(cls) -> tuple[dict[str, Any], ...]:
        """Small variants for the family contract test (``Topology.examples``)."""
        return (
            dict(endpoints_per_node=2, nodes_per_unit=2, units=2, k=4),
            dict(endpoints_per_node=2, nodes_per_unit=2, units=4, k=4),  # three tiers, 2 SLGs per rail
            dict(endpoints_per_node=4, nodes_per_unit=3, units=2, k=8),  # partial leaves
            dict(endpoints_per_node=2, nodes_per_unit=5, units=2, k=8, tiers=3),  # 2 leaves per rail per SU
            dict(endpoints_per_node=2, nodes_per_unit=2, units=2, k=4, planes=2),  # dual-plane
            dict(endpoints_per_node=4, nodes_per_unit=4, units=1, k=8, oversubscription=3.0),  # one spine
            dict(endpoints_per_node=2, nodes_per_unit=3, units=4, k=4, tiers=3, oversubscription=3.0),  # S_g = 1
            dict(endpoints_per_node=1, nodes_per_unit=3, units=4, k=4, tiers=3, oversubscription=3.0),  # one core
            # constructed: 2 rails x 2 SLGs of 2 SUs, 2 leaves per rail per SU (5 nodes: 3 and 2), 2 spines per
            # SLG with 2 cables from each leaf; one core group serving both spine indices, 4 cores, 2 cables each
            dict(endpoints_per_node=2, nodes_per_unit=5, units=4, k=16, construction=dict(
                pods=4, edges_per_pod=4, aggregations_per_pod=2, edge_aggregation_links=2,
                aggregations_per_core_group=2, cores_per_group=4, aggregation_core_links=2)),
            # constructed: one spine per SLG (its loss cuts the SLG off) and one core (its loss splits the rails)
            dict(endpoints_per_node=2, nodes_per_unit=3, units=1, k=8, construction=dict(
                pods=2, edges_per_pod=1, aggregations_per_pod=1, cores_per_group=1)),
        )

    @property
    def variant(self) -> str:
        return self.variant_on({})

    def variant_on(self, radix_by_role: Mapping[str, int]) -> str:
        planes = f", {self.planes} planes (a port of every GPU in each)" if self.planes > 1 else ""
        text = (f"{counted(self.units, 'scalable unit')} of {counted(self.nodes_per_unit, 'node')} x "
                f"{counted(self.endpoints_per_node, 'GPU')}, "
                f"{self.tiers} tiers{planes}, leaf {self.down}:{self.up} down:up on "
                f"{radix_text(self.k, radix_by_role)} (DGX SuperPOD form)")
        if self.construction is not None:
            text += (f", {counted(self.num_groups, 'spine-leaf group')} of "
                     f"{counted(self.leaves_per_group, 'leaf', 'leaves')} x {counted(self.spines_per_group, 'spine')} "
                     f"({counted(self.spine_links, 'cable')} each), {self.num_cores // self.cores_per_group} x "
                     f"{counted(self.cores_per_group, 'core')} ({counted(self.core_links, 'cable')} to each)")
        return text

    def parameters(self) -> dict[str, Any]:
        over = self.down / self.up
        out: dict[str, Any] = {
            "endpoints_per_node": self.endpoints_per_node,
            "nodes_per_unit": self.nodes_per_unit,
            "units": self.units,
            "k": self.k,
            "oversubscription": int(over) if over == int(over) else round(over, 6),
            "tiers": self.tiers,
            "planes": self.planes,
            "endpoints": self.num_endpoints,
            "nodes": self.units * self.nodes_per_unit,
            "rails": self.endpoints_per_node,
            "leaves_per_unit_rail": self.leaves_per_unit_rail,
            "leaf_down_ports": self.down,
            "leaf_up_ports": self.up,
        }
        if self.tiers == 3:
            out.update(spine_leaf_groups_per_rail=self.groups_per_rail, spines_per_group=self.spines_per_group,
                       cores_per_group=self.cores_per_group)
        if self.construction is not None:
            out["construction"] = self.construction.model_dump()
        return out

    # -- closed forms --------------------------------------------------------------------------------
    def counts(self) -> Counts:
        p, leaves, up = self.planes, self.num_leaves, self.up
        groups: tuple[LinkGroup, ...]
        if self.tiers == 2:
            roles = {"leaf": p * leaves, "spine": p * self.num_spines}
            groups = (LinkGroup("leaf-spine", p * leaves * up, OPTICAL, ("leaf", "spine")),)
        else:
            spines = self.num_groups * self.spines_per_group
            roles = {"leaf": p * leaves, "spine": p * spines, "core": p * self.num_cores}
            groups = (LinkGroup("leaf-spine", p * leaves * up, OPTICAL, ("leaf", "spine")),
                      LinkGroup("spine-core", p * spines * self.spine_uplinks, OPTICAL, ("spine", "core")))
        return Counts(self.num_endpoints, roles, groups, num_endpoint_links=self.num_endpoints * p)

    def diameter_hops(self) -> int:
        """0 on one leaf; 2 between leaves under one spine layer (two tiers) or one SLG; 4 between SLGs."""
        if self.num_leaves == 1:
            return 0
        return 4 if self.tiers == 3 and self.num_groups > 1 else 2

    def bisection(self, endpoint_link_cables: float = 1.0) -> Bisection:
        """Exact, per plane, summed over the P planes: the fat tree's closed form on the leaves
        (FatTree.bisection), B = min over 0 <= l <= floor(L/2) of u*l + (r/c)*max(0, floor(N/2) - hi(l)).
        Upper bound: the l fullest leaves on one side, endpoints of the other side placed across, every
        other switch on the other side. Lower bound (Leiserson 1985, uniform multiplicity, max-flow
        min-cut): pair min(l_A, l_B) leaves across any cut; a pair sends u units, u/S (u/S_g) over each of
        its leaf's cables to each spine of its layer (SLG); within an SLG down the other leaf's cables,
        between SLGs spread over the C cores of each spine's group: spine a of an SLG carries at most E
        pairs' E*u/(S_g*C) units to each core, its U_s/C cables there, since every spine has as many
        cables up as down and every core group the same cables to spine a of every SLG. A construction
        (A spines per SLG, m1 cables from a leaf to each, C cores per group with m2 cables from a spine to
        each, h spine indices per group) splits into u = A*m1 subgraphs as FatTree.bisection's proof does:
        spine a carries at most E*m1 units over its C*m2 >= E*m1 cables up (``constructed`` requires no
        more cables down than up), and a core's h indices use disjoint cables. So the flow fits
        and every unit crosses the cut: at least u*min(l_A, l_B) cut cables, plus the endpoint links a side
        of l leaves needs to hold floor(N/2). The leaf loads of every rail in every SU are spread(N_su, l),
        a permutation of spread(N, L), the multiset the formula reads."""
        one = self.tree.bisection(endpoint_link_cables)
        method = one.method + " with the cables of every SLG and core group spread evenly"
        if self.planes == 1:
            return Bisection(links=one.links, method=method, kind=BoundKind.EXACT)
        return Bisection(links=self.planes * one.links, method=method + ", summed over planes", kind=BoundKind.EXACT)

    def bisection_shares(self, endpoint_link_cables: float = 1.0) -> dict[str, tuple[float, bool]]:
        """Two tiers: the fat tree's shares (a leaf 1/L, a spine 1/S of the half-leaves cut), over P planes
        and a plane 1/P; three tiers: none known in closed form (the metrics estimate 1/count)."""
        if self.tiers == 3:
            return {}
        shares = {role: (value / self.planes, exact)
                  for role, (value, exact) in self.tree.bisection_shares(endpoint_link_cables).items()}
        if self.planes > 1:
            shares["plane"] = (1 / self.planes, True)
        return shares

    def fault_domains(self) -> list[FaultDomain]:
        """Worst case of one failure, by class, within one plane: a leaf takes its endpoints; a spine splits
        the fabric only when it is its layer's (its SLG's) only spine, a core only when it is the only one
        (a construction's A = 1 spine per SLG, (A/h)*C = 1 core).
        With P > 1 planes those endpoints keep their other planes' ports and are degraded instead."""
        n, busiest = self.num_endpoints, spread(self.nodes_per_unit, self.leaves_per_unit_rail)[0]
        leaf = n if self.num_leaves == 1 else busiest
        roles = self.counts().num_switches_by_role
        entries = [("leaf", roles["leaf"], leaf)]
        if self.tiers == 2:
            spine = n - busiest if self.num_spines == 1 and self.num_leaves > 1 else 0
            entries.append(("spine", roles["spine"], spine))
        else:
            group = self.units // self.groups_per_rail * self.nodes_per_unit  # endpoints under one SLG
            several = self.num_groups > 1
            spine = 0
            if self.spines_per_group == 1:  # an SLG's only spine: its leaves fall apart (and off the rest)
                if several:
                    spine = min(group, n - busiest)
                elif self.leaves_per_group > 1:
                    spine = n - busiest
            core = n - group if self.num_cores == 1 and several else 0
            slg = n if not several else group
            entries += [("spine", roles["spine"], spine), ("core", roles["core"], core),
                        ("pod", self.planes * self.num_groups, slg)]
        entries.insert(0, ("endpoint port", n * self.planes, 1))
        out = []
        for component, count, lost in entries:
            one_port = self.planes == 1  # else every endpoint keeps its other planes: degraded
            out.append(FaultDomain(component, count, lost) if one_port else FaultDomain(component, count, 0, lost))
        if self.planes > 1:
            out.append(FaultDomain("plane", self.planes, 0, n))
        return out

    # -- inverse sizing -------------------------------------------------------------------------------
    closed_form_limits = frozenset({"max_hops", "max_blast_radius"})
    decided_power = True  # construction_model's power at unit milliwatts, edge cables at the optical figure

    @classmethod
    def candidates(cls, requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
                   deadline: Deadline | None = None) -> Iterator[Candidate]:
        """One plane, one port per endpoint, nodes of G = endpoints_per_node: on k = radix ports (even for
        three tiers), every leaf split d:u with an SU of N_su = d nodes (one leaf per rail per SU, the
        SuperPOD's shape; u = k - d, or u = d for d < k/2 on even k: a partly used leaf, as from_parameters),
        U = ceil(nodes/N_su) units rounded up to an even split into spine-leaf groups;
        two tiers when U*G <= k, three when the groups fit (G*X <= k). May hold more endpoints than asked
        (whole SUs). In order of tiers, then d downwards; three tiers then as a fabric whose construction
        the solver decides (``decided_tree``)."""
        n, g = requirement.num_endpoints, requirement.endpoints_per_node
        if n % g:
            return
        nodes = n // g
        start: Candidate | None = None  # three tiers: the decided candidate's starting point
        for tiers in range(2, requirement.max_tiers + 1):
            k = switch.radix if tiers == 2 else switch.radix - switch.radix % 2
            if deadline is not None:
                deadline.check(f"enumerating rail-optimized shapes ({tiers} tiers)")
            for down in range(k - 1, 0, -1):
                units = -(-nodes // down)
                if tiers == 2 and units * g > k:
                    break  # fewer down ports only need more units
                if tiers == 3:
                    groups, width = _even_split(units, k // 2)  # one leaf per rail per SU: W_max = k/2
                    if g * groups > k:
                        break
                    units = groups * width
                # below half the ports the leaf is partly used: as many up as down (from_parameters with
                # oversubscription 1), not k - d; an odd k has no 1:1 split, so it keeps d:(k - d)
                up = down if 2 * down < k and k % 2 == 0 else k - down
                design = cls(radix=switch.radix, endpoints_per_node=g, nodes_per_unit=down, units=units, k=k,
                             down=down, up=up, tiers=tiers)
                cand = cls._candidate(design, requirement, switch, prices)
                if cand is not None:
                    yield cand
                    if tiers == 3 and units * down == nodes and cand.meets(requirement) and (
                            start is None or cand.cost_cents < start.cost_cents):
                        start = cand  # holds exactly the nodes asked, as a decided construction does
            if tiers == 3:
                decided = cls.decided_tree(requirement, switch, prices, start)
                if decided is not None:
                    yield decided

    @classmethod
    def decided_tree(cls, requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
                     start: Candidate | None) -> Candidate | None:
        """The three-tier candidate whose construction the solver decides on the whole radix
        (FatTree.construction_model with the SU constraints of ``unit_constraints``), holding exactly the
        N/G nodes asked. Started from ``start`` (the cheapest leaf-split three-tier shape that holds exactly
        the nodes and meets the request; its construction A = S_g, m1 = u/S_g, h = 1, C, m2 = U_s/C is the
        hint and its cost caps the leaves), else cold (FatTree.unstarted). Every cable is optical (both
        layers, as ``counts``): the model prices its edge cables at the optical price. None when the hop
        limit keeps three tiers to one SLG (P >= 2 pods take 4 hops) or when explaining infeasibility (the
        leaf-split shapes answer that)."""
        if not requirement.prunes or (requirement.max_hops is not None and requirement.max_hops < 4):
            return None
        g, n = requirement.endpoints_per_node, requirement.num_endpoints
        optical = replace(prices, electric_link_cents=prices.optical_link_cents)
        size: dict[str, int] = {}
        if start is not None:
            z, s = start.size, start.shape
            design = cls(radix=switch.radix, endpoints_per_node=g, nodes_per_unit=s["down"], units=z["units"], k=s["k"],
                         down=s["down"], up=s["up"], tiers=3)
            if design.num_groups >= 2 and design.k == switch.radix:
                size = {"pods": design.num_groups, "edges_per_pod": design.leaves_per_group,
                        "aggregations_per_pod": design.spines_per_group, "edge_aggregation_links": design.spine_links,
                        "aggregations_per_core_group": 1, "cores_per_group": design.cores_per_group,
                        "aggregation_core_links": design.core_links, "units": design.units,
                        "nodes_per_unit": design.nodes_per_unit}
            else:
                start = None
        if start is None:
            start = FatTree.unstarted(cls, requirement, switch, optical, 1, 1)
            if start is None:
                return None
        decided = replace(start, prices=optical, shape={"k": switch.radix, "n_plane": n, "g": g, "nodes": n // g},
                          size=size, num_endpoints=n, decided=True)
        return replace(decided, lower_bound=FatTree.construction_lower_bound(decided, requirement))

    @classmethod
    def _candidate(cls, design: RailOptimized, requirement: SizingRequest, switch: SwitchConfig,
                   prices: Prices) -> Candidate | None:
        counts = design.counts()
        roles = counts.num_switches_by_role
        blast = max(d.endpoints_disconnected for d in design.fault_domains() if d.component in roles)
        hops = design.diameter_hops()
        max_hops, max_blast = requirement.max_hops, requirement.max_blast_radius
        if requirement.prunes and ((max_hops is not None and hops > max_hops)
                                   or (max_blast is not None and blast > max_blast)):
            return None
        n, switches, links = design.num_endpoints, counts.num_switches, counts.num_switch_links
        cost = (switches * prices.switch_cents + n * prices.endpoint_cable_cents + links * prices.optical_link_cents)
        total_ports = switches * switch.radix
        speed, port_speed = requirement.endpoint_speed_gbps, Fraction(switch.port_speed_gbps)
        cut = Fraction(design.tree.bisection(speed / port_speed).links)  # exact in fractions
        if design.tiers == 2:
            size = {"units": design.units, "spines": roles["spine"]}
        else:
            size = {"units": design.units, "spines": roles["spine"], "cores": roles["core"]}
        shape = {"k": design.k, "down": design.down, "up": design.up, "g": design.endpoints_per_node,
                 "nodes": requirement.num_endpoints // design.endpoints_per_node}
        return Candidate(
            cls, switch, prices, shape, size, n, switches, cost, ratio(cut, port_speed, n, speed),
            Fraction(total_ports - n - 2 * links, total_ports), blast, hops, design.tiers, 1, 1,
        )

    @classmethod
    def size_model(cls, model: Any, candidate: Candidate, requirement: SizingRequest, use: Any) -> SizedVars:
        """The sizing in integers: units U with U*N_su >= nodes (N_su = d), leaves L = U*G (one per rail per
        SU), two tiers with L <= k and spines S*k >= L*u; three tiers with every layer of cables L*u and
        spines and cores with 2*(their cables) <= their ports. The rounding of U to an even split into
        spine-leaf groups and the divisor-based spine and core counts are not linear: pinned to the closed
        form (``candidates``), as FatTree.size_model pins its spines. Bisection ratio fixed by the shape
        (exact); hops and blast radius checked by the closed forms (closed_form_limits). A decided candidate:
        FatTree.construction_model with the SU constraints (``unit_constraints``), its blast radius stated
        there exactly (an SLG holds W*N_su endpoints, not the fat tree's fullest-first pod)."""
        if candidate.decided:
            # every cable is optical (``counts``), in power as in price (decided_tree)
            powers = candidate.powers
            powered = candidate if powers is None else replace(
                candidate, powers=replace(powers, electric_link_cents=powers.optical_link_cents))
            return FatTree.construction_model(
                model, powered, replace(requirement, max_blast_radius=None), use,
                family_constraints=lambda m, v, on: cls.unit_constraints(m, v, on, candidate, requirement))
        c, s = candidate, candidate.shape
        k, d, u, g, nodes = s["k"], s["down"], s["up"], s["g"], s["nodes"]
        on, off = use, use.negated()
        if c.bisection_ratio < requirement.bisection_ratio:
            model.add(use == 0)
        units = model.new_int_var(0, max(1, c.size["units"]), f"units_{c.rank}")
        spines = model.new_int_var(0, max(1, c.size["spines"]), f"spines_{c.rank}")
        model.add(units * d >= nodes).only_enforce_if(on)  # whole SUs hold every node
        model.add(units == c.size["units"]).only_enforce_if(on)  # ... rounded to an even split (pinned)
        model.add(spines == c.size["spines"]).only_enforce_if(on)
        leaves = g * units
        variables = {"units": units, "spines": spines}
        switches = leaves + spines
        layers = 1
        if c.tiers == 2:
            model.add(leaves <= k).only_enforce_if(on)  # every leaf under one spine layer
            model.add(spines * k >= leaves * u).only_enforce_if(on)
        else:
            cores = model.new_int_var(0, max(1, c.size["cores"]), f"cores_{c.rank}")
            model.add(cores == c.size["cores"]).only_enforce_if(on)
            model.add(spines * k >= 2 * leaves * u).only_enforce_if(on)  # a spine's cables up equal its cables down
            model.add(cores * k >= leaves * u).only_enforce_if(on)
            model.add(cores == 0).only_enforce_if(off)
            variables["cores"] = cores
            switches = switches + cores
            layers = 2
        for var in (units, spines):
            model.add(var == 0).only_enforce_if(off)
        links = layers * u * leaves
        endpoints = d * g * units
        spare = requirement.spare_ports
        total_ports = switches * c.switch.radix
        model.add((spare.denominator - spare.numerator) * total_ports
                  >= spare.denominator * (endpoints + 2 * links)).only_enforce_if(on)
        p = c.prices
        cost = switches * p.switch_cents + endpoints * p.endpoint_cable_cents + links * p.optical_link_cents
        return SizedVars(use, variables, cost, switches, endpoints)

    @staticmethod
    def unit_constraints(model: Any, v: dict[str, Any], on: Any, candidate: Candidate,
                         requirement: SizingRequest) -> tuple[dict[str, Any], tuple[Any, ...]]:
        """The scalable units over a construction's variables ``v`` (module docstring): P = G*X pods (X SLGs
        per rail), U = X*W units (W per SLG), E = W*l leaves per SLG (l per rail per SU), U*N_su = N/G
        nodes; returns units and nodes_per_unit, and the tie-break l: of the SU splits giving one switch
        graph (l leaves per rail of N_su nodes, or t*l of t*N_su), the finest SUs, one leaf per rail per SU
        where the SLG allows it (the reference's form). Under a blast-radius limit, one failure's loss as
        ``fault_domains`` counts it: a leaf's ceil(N_su/l), a lone spine of an SLG (A = 1) min(W*N_su,
        N - ceil(N_su/l)), a lone core (one group of one core) N - W*N_su."""
        s = candidate.shape
        k, g, nodes, n = s["k"], s["g"], s["nodes"], s["n_plane"]
        rank = candidate.rank
        groups = model.new_int_var(1, k, f"groups_per_rail_{rank}")  # X
        units = model.new_int_var(1, nodes, f"units_{rank}")  # U
        width = model.new_int_var(1, k, f"units_per_group_{rank}")  # W
        per_rail = model.new_int_var(1, k, f"unit_rail_leaves_{rank}")  # l
        per_unit = model.new_int_var(1, nodes, f"nodes_per_unit_{rank}")  # N_su
        model.add(v["pods"] == g * groups).only_enforce_if(on)
        model.add_multiplication_equality(units, [groups, width])
        model.add_multiplication_equality(v["edges_per_pod"], [width, per_rail])
        model.add_multiplication_equality(nodes, [units, per_unit])
        model.add(per_rail <= per_unit).only_enforce_if(on)  # no empty leaf
        limit = requirement.max_blast_radius
        if requirement.prunes and limit is not None:
            busiest = model.new_int_var(1, nodes, f"unit_busiest_leaf_{rank}")  # ceil(N_su/l)
            held = model.new_int_var(1, nodes * k, f"unit_busiest_held_{rank}")
            model.add_multiplication_equality(held, [busiest, per_rail])
            model.add(held >= per_unit).only_enforce_if(on)
            model.add(held <= per_unit + per_rail - 1).only_enforce_if(on)
            model.add(busiest <= limit).only_enforce_if(on)
            group = model.new_int_var(1, nodes, f"group_endpoints_{rank}")  # W*N_su per rail's SLG
            model.add_multiplication_equality(group, [width, per_unit])
            lone_spine = model.new_bool_var(f"lone_spine_{rank}")
            model.add(v["aggregations_per_pod"] == 1).only_enforce_if(lone_spine)
            model.add(v["aggregations_per_pod"] >= 2).only_enforce_if(lone_spine.negated())
            loss = model.new_int_var(0, n, f"spine_loss_{rank}")
            model.add_min_equality(loss, [group, n - busiest])
            model.add(loss <= limit).only_enforce_if([on, lone_spine])
            lone_core = model.new_bool_var(f"lone_core_{rank}")
            model.add(v["core_groups"] + v["cores_per_group"] == 2).only_enforce_if(lone_core)
            model.add(v["core_groups"] + v["cores_per_group"] >= 3).only_enforce_if(lone_core.negated())
            model.add(n - group <= limit).only_enforce_if([on, lone_core])
        return {"units": units, "nodes_per_unit": per_unit}, (per_rail,)

    @classmethod
    def sizing_label(cls, candidate: Candidate) -> str:
        s, z = candidate.shape, candidate.size
        if candidate.decided:
            return f"3-tier, {counted(s['g'], 'rail')}, scalable units by the solver on k={s['k']}"
        return (f"{candidate.tiers}-tier, {counted(z['units'], 'SU')} of {counted(s['down'], 'node')} x "
                f"{counted(s['g'], 'rail')}, "
                f"{s['down']}:{s['up']} on k={s['k']}")

    @classmethod
    def sizing_note(cls, candidate: Candidate) -> str:
        s, z = candidate.shape, candidate.size
        if candidate.decided:
            g, pods, edges, units = s["g"], z["pods"], z["edges_per_pod"], z["units"]
            per_rail = edges * (pods // g) // units
            groups = z["aggregations_per_pod"] // z["aggregations_per_core_group"]
            up = z["aggregations_per_pod"] * z["edge_aggregation_links"]
            return (f"{counted(units, 'scalable unit')} of {counted(z['nodes_per_unit'], 'node')}, "
                    f"{counted(per_rail, 'leaf', 'leaves')} per rail per SU "
                    f"({-(-z['nodes_per_unit'] // per_rail)} down, {up} up), "
                    f"{counted(pods, 'spine-leaf group')} ({pods // g} per rail) of "
                    f"{counted(edges, 'leaf', 'leaves')} and {counted(z['aggregations_per_pod'], 'spine')}, "
                    f"{counted(z['edge_aggregation_links'], 'cable')} from each leaf to each; {groups} x "
                    f"{counted(z['cores_per_group'], 'core')}, {counted(z['aggregation_core_links'], 'cable')} from "
                    "each spine to each core of its group")
        note = (f"{counted(z['units'], 'scalable unit')} of {counted(s['down'], 'node')}, one leaf per rail per SU "
                f"({counted(z['units'] * s['g'], 'leaf', 'leaves')}, {s['down']} down, {s['up']} up), "
                f"{counted(z['spines'], 'spine')}")
        return note + (f", {counted(z['cores'], 'core')}" if candidate.tiers == 3 else "")

    @classmethod
    def sizing_parameters(cls, candidate: Candidate, endpoints_per_node: int) -> dict[str, Any]:
        s = candidate.shape
        if candidate.decided:
            z = candidate.size
            return {"endpoints_per_node": s["g"], "nodes_per_unit": z["nodes_per_unit"], "units": z["units"],
                    "k": s["k"], "tiers": 3, "construction": {name: z[name] for name in CONSTRUCTION_FIELDS}}
        over: int | float = s["down"] // s["up"] if s["down"] % s["up"] == 0 else s["down"] / s["up"]
        return {"endpoints_per_node": s["g"], "nodes_per_unit": s["down"], "units": candidate.size["units"],
                "k": s["k"], "oversubscription": over, "tiers": candidate.tiers}

    @classmethod
    def sizing_roles(cls, candidate: Candidate) -> dict[str, int]:
        z, g = candidate.size, candidate.shape["g"]
        if candidate.decided:
            return {"leaf": z["pods"] * z["edges_per_pod"], "spine": z["pods"] * z["aggregations_per_pod"],
                    "core": z["aggregations_per_pod"] // z["aggregations_per_core_group"] * z["cores_per_group"]}
        roles = {"leaf": z["units"] * g, "spine": z["spines"]}
        if candidate.tiers == 3:
            roles["core"] = z["cores"]
        return roles

    # -- graph -------------------------------------------------------------------------------------
    def build(self) -> SwitchGraph:
        """Per plane (P > 1: copies ``p<i>-...``, plane by plane). Two tiers: leaves ``rail<r>-leaf-<b>``
        rail by rail, then spines ``spine-<t>``, every leaf bundled to every spine. Three tiers: cores
        ``core-<a>-<c>`` (group a), then SLG by SLG (rail by rail) its spines ``rail<r>-spine-<t>`` and
        leaves ``rail<r>-leaf-<b>``; bundles: cores to spine a (a construction's spines a*h .. a*h + h - 1)
        of every SLG, then spines to their leaves.
        Every switch carries its ``rail`` (-1 for shared spines and cores); SLGs are the ``pod``s."""
        plane = self._plane_graph()
        if self.planes == 1:
            return plane
        from topoctl.topologies.graph import SwitchGraph

        return SwitchGraph.copies(plane, self.planes, prefix="p{}-")

    def _plane_graph(self) -> SwitchGraph:
        import numpy as np

        from topoctl.topologies.graph import SwitchGraph, object_array

        g, per_rail = self.endpoints_per_node, self.units * self.leaves_per_unit_rail
        loads = np.array(self.leaf_loads, dtype=np.int64)
        leaves = self.num_leaves
        if self.tiers == 2:
            spines = self.num_spines
            n = leaves + spines
            names = [f"rail{r}-leaf-{b}" for r in range(g) for b in range(per_rail)]
            names += [f"spine-{t}" for t in range(spines)]
            return SwitchGraph(
                names=tuple(names),
                roles=object_array(["leaf", "spine"], [leaves, spines]),
                endpoints=np.concatenate([loads, np.zeros(spines, dtype=np.int64)]),
                planes=np.full(n, -1, dtype=np.int64),
                pods=np.full(n, -1, dtype=np.int64),
                edge_u=np.repeat(np.arange(leaves, dtype=np.int64), spines),
                edge_v=np.tile(np.arange(leaves, n, dtype=np.int64), leaves),
                edge_count=np.full(leaves * spines, self.up // spines, dtype=np.int64),
                edge_groups=object_array(["leaf-spine"], [leaves * spines]),
                labels=(("rail", np.concatenate([np.repeat(np.arange(g, dtype=np.int64), per_rail),
                                                 np.full(spines, -1, dtype=np.int64)])),),
            )
        slgs, sg, e, c = self.num_groups, self.spines_per_group, self.leaves_per_group, self.cores_per_group
        x, h = self.groups_per_rail, self.spines_per_core_group
        cores, block = self.num_cores, sg + e
        n = cores + slgs * block
        names = [f"core-{a}-{i}" for a in range(sg // h) for i in range(c)]
        for r in range(g):
            for grp in range(x):
                names += [f"rail{r}-spine-{grp * sg + t}" for t in range(sg)]
                names += [f"rail{r}-leaf-{grp * e + b}" for b in range(e)]
        base = cores + block * np.arange(slgs, dtype=np.int64)
        endpoints = np.zeros(n, dtype=np.int64)
        endpoints[(base[:, None] + sg + np.arange(e)).ravel()] = loads
        # core (a, i) to spine indices a*h .. a*h + h - 1 of every SLG
        core_u = np.repeat(np.arange(cores, dtype=np.int64), slgs * h)
        first = (np.arange(cores) // c) * h
        core_v = (base[None, :, None] + first[:, None, None] + np.arange(h)[None, None, :]).ravel()
        spine_u = np.repeat((base[:, None] + np.arange(sg)).ravel(), e)
        spine_v = np.tile(base[:, None] + sg + np.arange(e), (1, sg)).ravel()
        uplinks, downlinks = cores * slgs * h, slgs * sg * e
        rail_of_slg = np.repeat(np.arange(g, dtype=np.int64), x)
        return SwitchGraph(
            names=tuple(names),
            roles=np.concatenate([object_array(["core"], [cores]),
                                  np.tile(object_array(["spine", "leaf"], [sg, e]), slgs)]),
            endpoints=endpoints,
            planes=np.full(n, -1, dtype=np.int64),
            pods=np.concatenate([np.full(cores, -1, dtype=np.int64),
                                 np.repeat(np.arange(slgs, dtype=np.int64), block)]),
            edge_u=np.concatenate([core_u, spine_u]),
            edge_v=np.concatenate([core_v, spine_v]),
            edge_count=np.concatenate([np.full(uplinks, self.core_links, dtype=np.int64),
                                       np.full(downlinks, self.spine_links, dtype=np.int64)]),
            edge_groups=object_array(["spine-core", "leaf-spine"], [uplinks, downlinks]),
            pod_kind="pod",
            labels=(("rail", np.concatenate([np.full(cores, -1, dtype=np.int64),
                                             np.repeat(rail_of_slg, block)])),),
        )
