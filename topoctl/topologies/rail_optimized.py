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

from collections.abc import Iterator
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
    spread,
)
from topoctl.topologies.fat_tree import leaf_split, smallest_divisor_at_least
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
    every endpoint with one port in each (default 1; 2 is the B300's dual-plane fabric)."""

    endpoints_per_node: int = Field(default=8, ge=1, le=1024)
    nodes_per_unit: int = Field(default=32, ge=1, le=100_000)
    units: int | None = Field(default=None, ge=1, le=1_000_000)
    k: int | None = Field(default=None, ge=2, le=4096)
    oversubscription: float = Field(default=1.0, gt=0, le=4096)
    tiers: Literal[2, 3] | None = None
    planes: int = Field(default=1, ge=1, le=64)


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

    @classmethod
    def from_parameters(cls, params: RailOptimizedParameters, radix: int, *,
                        formula_only: bool = False) -> RailOptimized:
        g, per_unit, planes = params.endpoints_per_node, params.nodes_per_unit, params.planes
        k = params.k if params.k is not None else radix
        if k > radix:
            raise SpecError(f"k={k} exceeds the switch radix {radix}; use k <= {radix}", path="k")
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
        """l = ceil(N_su/d): leaves of one rail in one SU."""
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
        """Three tiers: X spine-leaf groups per rail."""
        return _even_split(self.units, (self.k // 2) // self.leaves_per_unit_rail)[0]

    @property
    def leaves_per_group(self) -> int:
        """Three tiers: E = W*l leaves in one spine-leaf group."""
        return self.units // self.groups_per_rail * self.leaves_per_unit_rail

    @cached_property
    def spines_per_group(self) -> int:
        """Three tiers: S_g, the smallest divisor of u with S_g*k >= 2*E*u."""
        return smallest_divisor_at_least(self.up, -(-2 * self.leaves_per_group * self.up // self.k))

    @property
    def spine_uplinks(self) -> int:
        """Three tiers: U_s = E*u/S_g cables up (and down) per spine."""
        return self.leaves_per_group * self.up // self.spines_per_group

    @cached_property
    def cores_per_group(self) -> int:
        """Three tiers: C, the smallest divisor of U_s with C*k >= G*X*U_s."""
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
                        pod_size=self.leaves_per_group if self.tiers == 3 else 0, leaf_loads=self.leaf_loads)

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
        )

    @property
    def variant(self) -> str:
        planes = f", {self.planes} planes (a port of every GPU in each)" if self.planes > 1 else ""
        return (f"{counted(self.units, 'scalable unit')} of {counted(self.nodes_per_unit, 'node')} x "
                f"{counted(self.endpoints_per_node, 'GPU')}, "
                f"{self.tiers} tiers{planes}, leaf {self.down}:{self.up} down:up on k={self.k} (DGX SuperPOD form)")

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
        return out

    # -- closed forms --------------------------------------------------------------------------------
    def counts(self) -> Counts:
        p, leaves, up = self.planes, self.num_leaves, self.up
        groups: tuple[LinkGroup, ...]
        if self.tiers == 2:
            roles = {"leaf": p * leaves, "spine": p * self.num_spines}
            groups = (LinkGroup("leaf-spine", p * leaves * up, OPTICAL),)
        else:
            roles = {"leaf": p * leaves, "spine": p * self.num_groups * self.spines_per_group,
                     "core": p * self.spines_per_group * self.cores_per_group}
            layer = p * leaves * up
            groups = (LinkGroup("leaf-spine", layer, OPTICAL), LinkGroup("spine-core", layer, OPTICAL))
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
        cables up as down and every core group the same cables to spine a of every SLG. So the flow fits
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
        the fabric only when it is its layer's (its SLG's) only spine, a core only when it is the only one.
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
            core = n - group if self.spines_per_group == 1 and self.cores_per_group == 1 and several else 0
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

    @classmethod
    def candidates(cls, requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
                   deadline: Deadline | None = None) -> Iterator[Candidate]:
        """One plane, one port per endpoint, nodes of G = endpoints_per_node: on k = radix ports (even for
        three tiers), every leaf split d:u with an SU of N_su = d nodes (one leaf per rail per SU, the
        SuperPOD's shape; u = k - d, or u = d for d < k/2 on even k: a partly used leaf, as from_parameters),
        U = ceil(nodes/N_su) units rounded up to an even split into spine-leaf groups;
        two tiers when U*G <= k, three when the groups fit (G*X <= k). May hold more endpoints than asked
        (whole SUs). In order of tiers, then d downwards."""
        n, g = requirement.num_endpoints, requirement.endpoints_per_node
        if n % g:
            return
        nodes = n // g
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
        (exact); hops and blast radius checked by the closed forms (closed_form_limits)."""
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

    @classmethod
    def sizing_label(cls, candidate: Candidate) -> str:
        s, z = candidate.shape, candidate.size
        return (f"{candidate.tiers}-tier, {counted(z['units'], 'SU')} of {counted(s['down'], 'node')} x "
                f"{counted(s['g'], 'rail')}, "
                f"{s['down']}:{s['up']} on k={s['k']}")

    @classmethod
    def sizing_note(cls, candidate: Candidate) -> str:
        s, z = candidate.shape, candidate.size
        note = (f"{counted(z['units'], 'scalable unit')} of {counted(s['down'], 'node')}, one leaf per rail per SU "
                f"({counted(z['units'] * s['g'], 'leaf', 'leaves')}, {s['down']} down, {s['up']} up), "
                f"{counted(z['spines'], 'spine')}")
        return note + (f", {counted(z['cores'], 'core')}" if candidate.tiers == 3 else "")

    @classmethod
    def sizing_parameters(cls, candidate: Candidate, endpoints_per_node: int) -> dict[str, Any]:
        s = candidate.shape
        over: int | float = s["down"] // s["up"] if s["down"] % s["up"] == 0 else s["down"] / s["up"]
        return {"endpoints_per_node": s["g"], "nodes_per_unit": s["down"], "units": candidate.size["units"],
                "k": s["k"], "oversubscription": over, "tiers": candidate.tiers}

    @classmethod
    def sizing_roles(cls, candidate: Candidate) -> dict[str, int]:
        z, g = candidate.size, candidate.shape["g"]
        roles = {"leaf": z["units"] * g, "spine": z["spines"]}
        if candidate.tiers == 3:
            roles["core"] = z["cores"]
        return roles

    # -- graph -------------------------------------------------------------------------------------
    def build(self) -> SwitchGraph:
        """Per plane (P > 1: copies ``p<i>-...``, plane by plane). Two tiers: leaves ``rail<r>-leaf-<b>``
        rail by rail, then spines ``spine-<t>``, every leaf bundled to every spine. Three tiers: cores
        ``core-<a>-<c>`` (group a), then SLG by SLG (rail by rail) its spines ``rail<r>-spine-<t>`` and
        leaves ``rail<r>-leaf-<b>``; bundles: cores to spine a of every SLG, then spines to their leaves.
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
        x = self.groups_per_rail
        cores, block = sg * c, sg + e
        n = cores + slgs * block
        names = [f"core-{a}-{i}" for a in range(sg) for i in range(c)]
        for r in range(g):
            for grp in range(x):
                names += [f"rail{r}-spine-{grp * sg + t}" for t in range(sg)]
                names += [f"rail{r}-leaf-{grp * e + b}" for b in range(e)]
        base = cores + block * np.arange(slgs, dtype=np.int64)
        endpoints = np.zeros(n, dtype=np.int64)
        endpoints[(base[:, None] + sg + np.arange(e)).ravel()] = loads
        core_u = np.repeat(np.arange(cores, dtype=np.int64), slgs)
        core_v = (base[None, :] + (np.arange(cores) // c)[:, None]).ravel()
        spine_u = np.repeat((base[:, None] + np.arange(sg)).ravel(), e)
        spine_v = np.tile(base[:, None] + sg + np.arange(e), (1, sg)).ravel()
        uplinks, downlinks = cores * slgs, slgs * sg * e
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
            edge_count=np.concatenate([np.full(uplinks, self.spine_uplinks // c, dtype=np.int64),
                                       np.full(downlinks, self.up // sg, dtype=np.int64)]),
            edge_groups=object_array(["spine-core", "leaf-spine"], [uplinks, downlinks]),
            pod_kind="pod",
            labels=(("rail", np.concatenate([np.full(cores, -1, dtype=np.int64),
                                             np.repeat(rail_of_slg, block)])),),
        )
