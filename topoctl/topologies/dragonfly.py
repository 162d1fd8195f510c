"""Dragonfly: groups of switches fully meshed inside, groups joined by global links.

Reference: J. Kim, W. J. Dally, S. Scott, D. Abts, "Technology-driven, highly-scalable dragonfly
topology", ISCA 2008. Symbols: ``p`` endpoints per switch, ``a`` switches per group, ``h`` global
links per switch, ``g`` groups. Balanced: a = 2p = 2h; at most g = a*h + 1 groups (one global link
per group pair). Switch ports used: p + (a - 1) + h. Counts: N = p*a*g endpoints, a*g switches,
g*a(a-1)/2 intra-group links and a*h*g/2 global links (every global port cabled).

Global-link arrangement (deterministic, every global port cabled): with a*h = c*(g-1) + r, every
pair of groups gets c parallel global links, and r more links per group follow an r-regular
circulant on the groups (group i to i +- 1, ..., i +- r/2, and i + g/2 when r is odd), so parallel
links are spread as evenly as possible over group pairs. Inside group i, global port t (on switch
t // h) goes to the t-th entry of i's neighbouring groups in ascending order: the "consecutive"
(absolute) arrangement of Camarero, Vallejo, Beivide, "Topological characterization of Hamming and
dragonfly networks", ACM TACO 2014. a*h*g must be even (two ports per global link).

Example (the DeepSeek-V3 paper's Table 3 column):
    >>> df = Dragonfly.from_parameters(Dragonfly.Parameters(p=16, a=32, h=16, g=511), radix=64)
    >>> df.counts().num_switch_links
    384272
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any

import networkx as nx
import numpy as np
from pydantic import Field

from topoctl.errors import SpecError
from topoctl.topologies.base import (
    ELECTRIC,
    OPTICAL,
    Bisection,
    Counts,
    FamilyParameters,
    FaultDomain,
    LinkGroup,
    Topology,
)

__all__ = ["Dragonfly", "DragonflyParameters"]


class DragonflyParameters(FamilyParameters):
    """``p`` endpoints per switch (default: the balanced maximum for the radix, floor((radix+1)/4));
    ``a`` switches per group (default 2p); ``h`` global links per switch (default p); ``g`` groups
    (default a*h + 1)."""

    p: int | None = Field(default=None, ge=1, le=4096)
    a: int | None = Field(default=None, ge=1, le=4096)
    h: int | None = Field(default=None, ge=0, le=4096)
    g: int | None = Field(default=None, ge=1, le=1_000_000)


@dataclass(frozen=True)
class Dragonfly(Topology):
    """A dragonfly (see the module docstring)."""

    family = "dragonfly"
    summary = "dragonfly (Kim et al. 2008): fully meshed groups joined by global links"
    Parameters = DragonflyParameters

    p: int
    a: int
    h: int
    g: int

    @classmethod
    def from_parameters(cls, params: DragonflyParameters, radix: int, *, formula_only: bool = False) -> Dragonfly:
        p = params.p if params.p is not None else max(1, (radix + 1) // 4)
        a = params.a if params.a is not None else 2 * p
        h = params.h if params.h is not None else p
        g = params.g if params.g is not None else a * h + 1
        used = p + a - 1 + h
        if used > radix:
            raise SpecError(
                f"p + (a - 1) + h = {p} + {a - 1} + {h} = {used} ports exceed the switch radix {radix}",
                path="a" if params.a is not None else "p",
            )
        if g > a * h + 1:
            raise SpecError(f"g={g} exceeds a*h + 1 = {a * h + 1}, the most groups a*h global ports reach", path="g")
        if g == 1 and h:
            raise SpecError("g=1 leaves every global port uncabled; use h=0 or g >= 2", path="g")
        if (a * h * g) % 2:
            raise SpecError(
                f"a*h*g = {a * h * g} global ports is odd, so one would stay uncabled; change g to {g - 1} or {g + 1}",
                path="g",
            )
        return cls(radix=radix, p=p, a=a, h=h, g=g)

    @property
    def num_endpoints(self) -> int:
        return self.p * self.a * self.g

    @property
    def variant(self) -> str:
        balanced = "balanced" if self.a == 2 * self.p == 2 * self.h else "unbalanced"
        groups = "maximum" if self.g == self.a * self.h + 1 else f"of at most {self.a * self.h + 1}"
        return f"{balanced} dragonfly, {self.g} groups ({groups}) of {self.a} switches"

    def parameters(self) -> dict[str, Any]:
        return {"p": self.p, "a": self.a, "h": self.h, "g": self.g, "radix_used": self.p + self.a - 1 + self.h}

    def counts(self) -> Counts:
        a, g = self.a, self.g
        groups = (
            LinkGroup("intra-group", g * a * (a - 1) // 2, ELECTRIC),
            LinkGroup("global", a * self.h * g // 2, OPTICAL),
        )
        return Counts(self.num_endpoints, {"switch": a * g}, groups, num_endpoint_links=self.num_endpoints)

    def diameter_hops(self) -> int:
        """local + global + local: 3 between groups (every group pair has a global link), 1 inside."""
        if self.g > 1:
            return 3 if self.a > 1 else 1
        return 1 if self.a > 1 else 0

    # -- global links ------------------------------------------------------------------------------
    def group_multiplicity(self) -> np.ndarray:
        """g x g matrix of global links between each pair of groups."""
        g, ports = self.g, self.a * self.h
        m = np.zeros((g, g), dtype=np.int64)
        if g == 1:
            return m
        c, r = divmod(ports, g - 1)
        m += c
        np.fill_diagonal(m, 0)
        groups = np.arange(g)
        offsets = list(range(1, r // 2 + 1)) + ([g // 2] if r % 2 else [])
        for s in offsets:
            m[groups, (groups + s) % g] += 1
            if 2 * s != g:
                m[(groups + s) % g, groups] += 1
        return m

    def global_links(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every global link once as (group_i, switch_i, group_j, switch_j), i < j, in the
        consecutive arrangement."""
        m = self.group_multiplicity()
        first_port = np.cumsum(m, axis=1) - m  # port of group i's first link to group j
        gi, gj = np.nonzero(np.triu(m))
        reps = m[gi, gj]
        gi, gj = np.repeat(gi, reps), np.repeat(gj, reps)
        rep = np.arange(len(gi)) - np.repeat(np.cumsum(reps) - reps, reps)
        port_i = first_port[gi, gj] + rep
        port_j = first_port[gj, gi] + rep
        return gi, port_i // self.h, gj, port_j // self.h

    def bisection(self) -> Bisection:
        """Cut of an explicit balanced partition: the switches of groups 0 .. g/2 - 1 on one side (for odd
        g, also the first ceil(a/2) switches of the middle group c = (g-1)/2). With a*h = c0*(g-1) + r and
        R = floor(r/2), counting the links that cross in the arrangement above:
          g even: c0*(g/2)^2 + R(R+1) + (g/2 if r is odd)
          g odd:  c0*c^2 + R^2 + |ceil(a/2)*h - (c0*c + R)| + ceil(a/2)*floor(a/2)
        About g^2/4 global links for one link per group pair (Kim et al. 2008). An upper bound on the
        minimum bisection; tests check it against the cut counted on the built graph."""
        a, h, g = self.a, self.h, self.g
        in_a = (a + 1) // 2  # switches of the split group on side A
        if g == 1:
            cut = in_a * (a - in_a)
        else:
            c0, r = divmod(a * h, g - 1)
            big_r = r // 2
            if g % 2 == 0:
                cut = c0 * (g // 2) ** 2 + big_r * (big_r + 1) + (g // 2 if r % 2 else 0)
            else:
                c = (g - 1) // 2
                to_side_a = c0 * c + big_r  # the middle group's global links to groups 0 .. c-1
                cut = c0 * c * c + big_r**2 + abs(in_a * h - to_side_a) + in_a * (a - in_a)
        upper = "explicit balanced cut: groups split in two contiguous halves (upper bound)"
        lower, how = self.bisection_lower_bound()
        return Bisection(cut, upper, False, True, proven_links=lower, proven_method=how)

    def bisection_lower_bound(self) -> tuple[float, str]:
        """s(N - s) / C links, C the most endpoint pairs one link carries in one direction when every
        ordered endpoint pair sends one unit by minimal routing (local, global, local) spread evenly over
        the parallel global links of its group pair, and s = p * floor(a*g/2) the endpoints on the smaller
        side of a cut splitting the switches evenly: such a cut carries s(N - s) units, so it has at least
        s(N - s)/C links, rounded up (N^2/(4C) for an even number of switches) (the congestion argument of Leighton, "Introduction to Parallel
        Algorithms and Architectures", 1992, Section 1.9). With c0 = floor(a*h/(g-1)) links per group
        pair, a global link carries at most (a p)^2 / c0 and a local link at most
        2 a p^2 h / c0 + p^2. Tight for balanced dragonflies (65,217 vs the 65,282 cut for Table 3)."""
        a, h, g, p = self.a, self.h, self.g, self.p
        n = self.num_endpoints
        if a * g == 1:
            return 0.0, "one switch: no switch links"
        if g == 1:
            congestion = float(p * p)
        else:
            c0 = (a * h) // (g - 1)
            congestion = max((a * p) ** 2 / c0, 2 * a * p * p * h / c0 + p * p if a > 1 else 0.0)
        side = p * (a * g // 2)  # endpoints on the smaller side: switches split as evenly as they can be
        # a cut is a whole number of links (the tolerance keeps float noise from rounding an exact bound up)
        return float(ceil(side * (n - side) / congestion - 1e-9)), "lower bound: congestion of minimal routing (Leighton 1992)"

    def fault_domains(self) -> list[FaultDomain]:
        """A switch takes its p endpoints; a group its p*a; a global link nothing unless it is the
        only path between the two groups (g = 2, a*h = 1)."""
        n, per_group = self.num_endpoints, self.p * self.a
        counts = self.counts()
        lone_switch = n if self.a * self.g == 1 else self.p
        global_loss = per_group if self.g == 2 and self.a * self.h == 1 else 0
        return [
            FaultDomain("endpoint port", n, 1),
            FaultDomain("switch", counts.num_switches, lone_switch),
            FaultDomain("global link", counts.link_groups[1].count, global_loss),
            FaultDomain("group", self.g, n if self.g == 1 else per_group),
        ]

    def build(self) -> nx.Graph:
        """Switches ``g<group>-sw<index>``; intra-group full mesh, then the global links."""
        a, g = self.a, self.g
        names = [f"g{grp}-sw{s}" for grp in range(g) for s in range(a)]
        graph = nx.Graph()
        graph.add_nodes_from(
            (names[grp * a + s], {"role": "switch", "endpoints": self.p, "group": grp})
            for grp in range(g)
            for s in range(a)
        )
        graph.add_edges_from(
            (names[base + s], names[base + t], {"count": 1, "link_group": "intra-group"})
            for base in range(0, a * g, a)
            for s in range(a)
            for t in range(s + 1, a)
        )
        gi, si, gj, sj = self.global_links()
        adj = graph.adj
        for u, v in zip((gi * a + si).tolist(), (gj * a + sj).tolist()):
            x, y = names[u], names[v]
            if y in adj[x]:
                adj[x][y]["count"] += 1
            else:
                graph.add_edge(x, y, count=1, link_group="global")
        return graph
