"""Dragonfly+ (Megafly): groups that are two-tier leaf-spine networks, joined by global links between spines.

References: A. Shpiner, Z. Haramaty, S. Eliad, V. Zdornov, B. Gafni, E. Zahavi, "Dragonfly+: Low Cost
Topology for Scaling Datacenters", HiPINEB 2017; M. Flajslik, E. Borch, M. A. Parker, "Megafly: A
Topology for Exascale Systems", ISC 2018 (the same topology under another name).

Symbols: ``p`` endpoints per leaf, ``a`` leaves per group, ``s`` spines per group, ``h`` global links
per spine, ``g`` groups, on radix-k switches. Inside a group every leaf is cabled to every spine (the
complete bipartite graph K(a, s)); leaves carry the endpoints and spines the global links. Ports used:
p + s on a leaf, a + h on a spine. At most g = s*h + 1 groups (one global link per group pair).
Counts: N = p*a*g endpoints, a*g leaves, s*g spines, a*s*g leaf-spine links, s*h*g/2 global links.

The balanced maximum of Shpiner et al. on radix k: p = s = a = h = k/2 and g = (k/2)^2 + 1 groups, so
N = (k/2)^2 * ((k/2)^2 + 1), about k^4/16: four times the balanced dragonfly's k^4/64 (Kim et al.
2008), 1,049,600 endpoints on 65,600 switches at k = 64.

Global-link arrangement: that of the dragonfly whose switches are the spines (topologies.dragonfly,
``Dragonfly.global_links`` with a = s): with s*h = c*(g-1) + r, every pair of groups gets c parallel
links and r more per group follow a circulant on the groups; inside group i, global port t (on spine
t // h) goes to the t-th entry of i's neighbouring groups in ascending order (the consecutive
arrangement). s*h*g must be even (two ports per global link).

Example (the balanced maximum on radix-8 switches):
    >>> dfp = DragonflyPlus.from_parameters(DragonflyPlus.Parameters(), radix=8)
    >>> dfp.parameters()
    {'p': 4, 'a': 4, 's': 4, 'h': 4, 'g': 17, 'leaf_ports_used': 8, 'spine_ports_used': 8}
    >>> dfp.counts().num_endpoints, dfp.counts().num_switches, dfp.diameter_hops()
    (272, 136, 3)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from pydantic import Field

from topoctl.errors import SpecError
from topoctl.topologies.base import (
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
)
from topoctl.topologies.congestion import congestion_lower_bound
from topoctl.topologies.dragonfly import Dragonfly
from topoctl.topologies.sizing import (
    Candidate,
    Deadline,
    Prices,
    SizedVars,
    SizingRequest,
    SwitchConfig,
    ratio,
)

if TYPE_CHECKING:  # numpy and the graph arrays stay out of the closed forms (design reports, compare)
    from topoctl.topologies.graph import SwitchGraph

__all__ = ["DragonflyPlus", "DragonflyPlusParameters"]

class DragonflyPlusParameters(FamilyParameters):
    """``p`` endpoints per leaf (default floor(k/2)); ``a`` leaves per group (default floor(k/2));
    ``s`` spines per group (default p: leaves as many up as down); ``h`` global links per spine
    (default a: spines as many up as down); ``g`` groups (default s*h + 1, the most)."""

    p: int | None = Field(default=None, ge=1, le=4096)
    a: int | None = Field(default=None, ge=1, le=4096)
    s: int | None = Field(default=None, ge=1, le=4096)
    h: int | None = Field(default=None, ge=0, le=4096)
    g: int | None = Field(default=None, ge=1, le=1_000_000)


@dataclass(frozen=True)
class DragonflyPlus(Topology):
    """A Dragonfly+ (see the module docstring).

    Example: one global link per group pair, an odd number of leaves, three groups:
        >>> dfp = DragonflyPlus.from_parameters(DragonflyPlus.Parameters(p=2, a=3, s=2, h=1, g=3), radix=8)
        >>> dfp.counts().num_switches_by_role, dfp.num_endpoints, dfp.variant
        ({'leaf': 9, 'spine': 6}, 18, 'unbalanced Dragonfly+, 3 groups (maximum) of 3 leaves and 2 spines')
    """

    family = "dragonfly_plus"
    summary = "Dragonfly+ / Megafly (Shpiner et al. 2017): leaf-spine groups joined by global links"
    Parameters = DragonflyPlusParameters

    p: int
    a: int
    s: int
    h: int
    g: int

    @classmethod
    def from_parameters(cls, params: DragonflyPlusParameters, radix: int, *,
                        formula_only: bool = False) -> DragonflyPlus:
        p = params.p if params.p is not None else max(1, radix // 2)
        a = params.a if params.a is not None else max(1, radix // 2)
        s = params.s if params.s is not None else p
        h = params.h if params.h is not None else a
        g = params.g if params.g is not None else s * h + 1
        most_g = MAX_ENDPOINTS // (p * a)
        advice = (f"use a smaller g (at most {most_g:,} with p={p}, a={a})" if params.g is not None
                  else f"set g (at most {most_g:,} with p={p}, a={a}) or lower s or h (g defaults to s*h + 1)")
        check_endpoints(p * a * g, f"a Dragonfly+ of p={p}, a={a}, g={g}", "g", advice)
        if p + s > radix:
            raise SpecError(
                f"leaf ports p + s = {p} + {s} = {p + s} exceed the switch radix {radix}",
                path="s" if params.s is not None else "p",
            )
        if a + h > radix:
            raise SpecError(
                f"spine ports a + h = {a} + {h} = {a + h} exceed the switch radix {radix}",
                path="h" if params.h is not None else "a",
            )
        if g > s * h + 1:
            raise SpecError(
                f"g={g} exceeds s*h + 1 = {s * h + 1}, the most groups s*h global ports per group reach "
                "with a global link per group pair",
                path="g",
            )
        if g == 1 and h:
            raise SpecError("g=1 leaves every global port uncabled; use h=0 or g >= 2", path="g")
        if (s * h * g) % 2:
            raise SpecError(
                f"s*h*g = {s * h * g} global ports is odd, so one would stay uncabled; change g to {g - 1} or {g + 1}",
                path="g",
            )
        return cls(radix=radix, p=p, a=a, s=s, h=h, g=g)

    @property
    def num_endpoints(self) -> int:
        return self.p * self.a * self.g

    @classmethod
    def examples(cls) -> tuple[dict[str, Any], ...]:
        """Small variants for the family contract test (``Topology.examples``)."""
        return (
            dict(p=2, a=3, s=2, h=3, g=7),  # unbalanced, odd a and g: the middle group is split
            dict(p=1, a=2, s=2, h=2, g=4),  # 4 global ports over 3 groups: odd circulant part
            dict(p=2, a=2, s=2, h=2, g=3),  # 2 links per group pair
            dict(p=2, a=2, s=1, h=3, g=4),  # one spine per group: a spine failure cuts its group off
            dict(p=2, a=1, s=1, h=1, g=2),  # one global link holds the fabric together
            dict(p=2, a=3, s=2, h=0, g=1),  # one group: a two-tier leaf-spine
            dict(p=3, a=1, s=1, h=0, g=1),  # one leaf
        )

    @property
    def variant(self) -> str:
        balanced = "balanced" if self.p == self.a == self.s == self.h else "unbalanced"
        most = self.s * self.h + 1
        groups = "maximum" if self.g == most else f"of at most {most}"
        return (f"{balanced} Dragonfly+, {counted(self.g, 'group')} ({groups}) of {counted(self.a, 'leaf', 'leaves')} "
                f"and {counted(self.s, 'spine')}")

    def parameters(self) -> dict[str, Any]:
        return {"p": self.p, "a": self.a, "s": self.s, "h": self.h, "g": self.g,
                "leaf_ports_used": self.p + self.s, "spine_ports_used": self.a + self.h}

    def counts(self) -> Counts:
        a, s, g = self.a, self.s, self.g
        groups = (
            # a group of a leaves' endpoints spans racks, so its leaf-spine cables are optical, as the fat
            # tree's (the rack layout agrees); ``cable_classes`` in a spec sets them electric
            LinkGroup("leaf-spine", a * s * g, OPTICAL),
            LinkGroup("global", s * self.h * g // 2, OPTICAL),
        )
        roles = {"leaf": a * g, "spine": s * g}
        return Counts(self.num_endpoints, roles, groups, num_endpoint_links=self.num_endpoints)

    def diameter_hops(self) -> int:
        """leaf-spine-spine-leaf: 3 between groups (every group pair has a global link), 2 inside a group
        (leaf-spine-leaf), 0 with a single leaf."""
        if self.g > 1:
            return 3
        return 2 if self.a > 1 else 0

    def mean_hops(self) -> float:
        """From an endpoint: p - 1 others on its leaf at 0 hops, p(a - 1) in its group at 2, the p*a(g - 1)
        of the other groups at 3 (every group pair has a global link)."""
        n, p, a = self.num_endpoints, self.p, self.a
        if n < 2:
            return 0.0
        return (2 * p * (a - 1) + 3 * p * a * (self.g - 1)) / (n - 1)

    def switches_per_group(self) -> int:
        return self.a + self.s

    # -- global links ------------------------------------------------------------------------------
    def spine_dragonfly(self) -> Dragonfly:
        """The dragonfly whose switches are the spines (a = s, h, g): its global links are this design's."""
        return Dragonfly(radix=self.radix, p=1, a=self.s, h=self.h, g=self.g)

    def _spread(self) -> tuple[int, int]:
        """(c, r) with s*h = c*(g - 1) + r: c links between every group pair, r more per group."""
        return divmod(self.s * self.h, self.g - 1) if self.g > 1 else (0, 0)

    def global_cut(self) -> int:
        """Global links between whole groups on the two sides of the group-halves partition: groups
        0 .. floor(g/2) - 1 on side A, groups ceil(g/2) .. g - 1 on side B. With s*h = c*(g-1) + r and
        R = floor(r/2), counting the circulant offsets 1..R that cross (2d pairs for offset d with g even,
        2d - 1 with g odd; r is even for odd g, since s*h*g is even):
          g even: c*(g/2)^2 + R(R+1) + (g/2 if r is odd)
          g odd:  c*((g-1)/2)^2 + R^2
        (as ``Dragonfly.switch_cut`` counts the same arrangement; tests check it on the built graph)."""
        g = self.g
        if g == 1:
            return 0
        c, r = self._spread()
        big_r = r // 2
        if g % 2 == 0:
            return c * (g // 2) ** 2 + big_r * (big_r + 1) + (g // 2 if r % 2 else 0)
        return c * ((g - 1) // 2) ** 2 + big_r**2

    def middle_split(self) -> tuple[int, int]:
        """For odd g, how the middle group c = (g-1)/2 is split: (spines on side A, cables of the group
        across the cut). Its first ceil(a/2) leaves and first x spines go to side A. Its global ports to
        groups below c are the first s*h/2 (the circulant is symmetric and r is even), so spines 0..x-1
        send |x*h - s*h/2| links across; its leaf-spine cables across are ceil(a/2)(s - x) + floor(a/2) x.
        The least over x = 0..s."""
        a, s, h = self.a, self.s, self.h
        on_a = (a + 1) // 2
        below = s * h // 2
        return min(((x, on_a * (s - x) + (a - on_a) * x + abs(x * h - below)) for x in range(s + 1)),
                   key=lambda pair: (pair[1], pair[0]))

    def group_halves_cut(self) -> int:
        """Switch cables across the group-halves partition (``global_cut``; for odd g, the middle group
        split as ``middle_split`` says)."""
        return self.global_cut() + (self.middle_split()[1] if self.g % 2 else 0)

    def bisection(self, endpoint_link_cables: float = 1.0) -> Bisection:
        """An upper bound from an explicit balanced partition, with the proven lower bound beside it
        (``bisection_lower_bound``); an endpoint link across the cut counts ``endpoint_link_cables``
        = r/c of a cable. The better of two balanced partitions:
        - the group halves (``group_halves_cut``): for odd g and odd a, side A holds p/2 endpoints more
          than N/2, so floor(p/2) of them are placed across (their links counted);
        - every switch on one side and floor(N/2) endpoints across: (r/c)*floor(N/2).
        Exact when the lower bound reaches the cut."""
        rho = endpoint_link_cables
        across = self.p // 2 if (self.a * self.g) % 2 else 0
        groups = self.group_halves_cut() + rho * across
        one_side = rho * (self.num_endpoints // 2)
        if one_side < groups:
            cut, how = one_side, "explicit balanced cut: every switch on one side, floor(N/2) endpoints across"
        else:
            cut, how = groups, "explicit balanced cut: groups split in two contiguous halves"
            if across:
                how += f", {across} endpoint(s) placed across it to balance the endpoints (a*g odd)"
        lower, lower_how = self.bisection_lower_bound(rho)
        if lower >= cut - 1e-9:  # the bounds meet: the cut is a minimum bisection
            return Bisection(links=cut, method=f"{how}, meeting the {lower_how}", kind=BoundKind.EXACT,
                             proven_links=lower, proven_method=lower_how)
        return Bisection(links=cut, method=f"{how} (upper bound)", kind=BoundKind.UPPER_BOUND,
                         proven_links=lower, proven_method=lower_how)

    def bisection_shares(self, endpoint_link_cables: float = 1.0) -> dict[str, tuple[float, bool]]:
        """For even g, when the bisection is the group-halves cut: only global links cross it, so a leaf and
        a leaf-spine link carry none of it, and the busiest spine, the busiest group and a global link
        carry what they carry in the spines' dragonfly (``Dragonfly.bisection_shares`` on
        ``spine_dragonfly``, whose group-halves cut is the same set of links). Otherwise none is given
        (the metrics estimate 1/count)."""
        cut = self.bisection(endpoint_link_cables)
        if self.g % 2 or not cut.method.startswith("explicit balanced cut: groups") or self.global_cut() == 0:
            return {}
        spines = self.spine_dragonfly().bisection_shares()
        if not spines:
            return {}
        return {"leaf": (0.0, True), "leaf-spine link": (0.0, True), "spine": spines["switch"],
                "group": spines["group"], "global link": spines["global link"]}

    def congestion(self) -> float:
        """C, the most endpoint pairs one cable carries in one direction when every ordered endpoint pair
        sends one unit by minimal routing, spread evenly over the spines (inside a group) and over the
        parallel global links of a group pair (between groups). With c = floor(s*h/(g-1)) links per group
        pair, a global link carries at most (a p)^2 / c; a leaf-spine cable at most p^2 (a-1)/s inside
        the group plus a p^2 h / c to or from the h global links of its spine. One group: p^2 (a-1)/s.
        Infinite (no cable carries anything) with one leaf."""
        return congestion_of(self.p, self.a, self.s, self.h, self.g)

    def bisection_lower_bound(self, endpoint_link_cables: float = 1.0) -> tuple[float, str]:
        """A proven lower bound on the balanced bisection, in cables (``congestion_lower_bound`` with
        ``congestion``). At least floor(p/2) endpoints are across when a*g is odd: every leaf holds p
        endpoints, so no set of leaves holds floor(N/2) or ceil(N/2) of them. Close to the group-halves
        cut when leaves and spines are balanced (p <= s, h <= a); loose for a single group, where each
        pair across crosses twice (up and down) but is counted once."""
        fewest = self.p // 2 if (self.a * self.g) % 2 else 0
        bound = congestion_lower_bound(self.num_endpoints, self.congestion(), endpoint_link_cables, fewest)
        return bound, "lower bound: congestion of minimal routing (Leighton 1992)"

    def fault_domains(self) -> list[FaultDomain]:
        """A leaf takes its p endpoints. A spine takes nothing unless it is its group's only one (s = 1):
        then the group's leaves are cut off from everything, and what is lost is all but the largest part
        left, the other g - 1 groups (still joined pairwise) or one leaf. A group takes its p*a endpoints;
        a global link nothing unless it is the only one (g = 2, s*h = 1); a leaf-spine link cuts its leaf
        off when s = 1 (unless it is the only leaf)."""
        n, p, a, s, g = self.num_endpoints, self.p, self.a, self.s, self.g
        counts = self.counts()
        lone_spine = spine_loss(p, a, s, g)
        global_loss = a * p if g == 2 and s * self.h == 1 else 0
        uplink_loss = p if s == 1 and a * g > 1 else 0
        return [
            FaultDomain("endpoint port", n, 1),
            FaultDomain("leaf", a * g, p),
            FaultDomain("spine", s * g, lone_spine),
            FaultDomain("leaf-spine link", counts.link_groups[0].count, uplink_loss),
            FaultDomain("global link", counts.link_groups[1].count, global_loss),
            FaultDomain("group", g, n if g == 1 else a * p),
        ]

    # -- inverse sizing (topologies.sizing) ------------------------------------------------------------
    closed_form_limits = frozenset({"max_hops", "max_blast_radius", "min_bisection_ratio"})

    @classmethod
    def candidates(cls, requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
                   deadline: Deadline | None = None) -> Iterator[Candidate]:
        """Per (p, a): the fewest groups g holding N (g = ceil(N/(p a)), one more when s*h*g would be odd),
        the fewest spines s per group and then the fewest global links h per spine that reach them
        (g <= s*h + 1) and meet the bisection ratio by the proven lower bound (``bisection_lower_bound``),
        found by bisection over s (with h at its most) and then over h. A (p, a) whose most s and h miss
        the ratio gives no candidate, or, when explaining infeasibility, that shape (the best bound).
        Counts as the module docstring gives them (Shpiner et al. 2017): p*a*g endpoints, (a+s)*g
        switches, a*s*g leaf-spine and s*h*g/2 global links."""
        n, k = requirement.num_endpoints, switch.radix
        speed = requirement.endpoint_speed_gbps
        port_speed = Fraction(switch.port_speed_gbps)
        rho = float(speed / port_speed)
        limit_hops = requirement.max_hops if requirement.prunes else None
        limit_blast = requirement.max_blast_radius if requirement.prunes else None
        # cables a cut needs per endpoint pair across (topologies.sizing.cut_needed: ceil of this x floor(N/2))
        per_cable = requirement.bisection_ratio * speed / port_speed

        def candidate(p: int, a: int, s: int, h: int, g: int, cut: Fraction) -> Candidate:
            total, switches = p * a * g, (a + s) * g
            local, glob = a * s * g, s * h * g // 2
            cost = (switches * prices.switch_cents + total * prices.endpoint_cable_cents
                    + (local + glob) * prices.optical_link_cents)
            return Candidate(
                topology=cls, switch=switch, prices=prices, shape={"p": p, "a": a, "s": s, "h": h, "k": k},
                size={"g": g}, num_endpoints=total, num_switches=switches, cost_cents=cost,
                bisection_ratio=ratio(cut, port_speed, total, speed),
                spare_ports=Fraction((a + s) * k - (p * a + 2 * a * s + s * h), (a + s) * k),
                blast_radius=max(p, spine_loss(p, a, s, g)), hops=3 if g > 1 else 2 if a > 1 else 0,
                tiers=2, planes=1, ports_per_endpoint=1,
            )

        bound = requirement.cost_bound
        # (p, a) in order, p-major, in chunks of about CHUNK_ROWS shapes (a radix of thousands has millions)
        p_last = k - 1 if limit_blast is None else min(k - 1, limit_blast)
        per_chunk = max(1, CHUNK_ROWS // k)
        for first in range(1, p_last + 1, per_chunk):
            if deadline is not None:
                deadline.check(f"enumerating Dragonfly+ shapes (p={first} of up to {k - 1})")
            found = searched_shapes(n, k, range(first, min(p_last, first + per_chunk - 1) + 1), rho, per_cable,
                                    limit_hops, limit_blast, requirement.prunes,
                                    None if bound is None else (prices, bound.admitted_cents))
            for p, a, s, h, g, cut_micro in found:
                if bound is not None and bound.beyond(
                        (a + s) * g * prices.switch_cents + p * a * g * prices.endpoint_cable_cents
                        + (a * s * g + s * h * g // 2) * prices.optical_link_cents):
                    continue  # its cost (``candidate``'s) is past the bound: it can never be chosen (CostBound)
                yield candidate(p, a, s, h, g, Fraction(cut_micro, 10**6))

    @classmethod
    def size_model(cls, model: Any, candidate: Candidate, requirement: SizingRequest, use: Any) -> SizedVars:
        """g = step * units groups, step 2 when s*h is odd (s*h*g global ports must be even); the fewest
        admissible g holding N as two inequalities, g <= s*h + 1, spare ports and cost linear in g. The
        bisection, hops and blast radius are checked by the closed forms (closed_form_limits)."""
        c, req = candidate, requirement
        shape, n = c.shape, req.num_endpoints
        p, a, s, h, k = shape["p"], shape["a"], shape["s"], shape["h"], shape["k"]
        step = 2 if (s * h) % 2 else 1
        units = model.new_int_var(0, n, f"group_units_{c.rank}")  # g = step * units groups
        groups = step * units
        on = use
        model.add(p * a * groups >= n).only_enforce_if(on)  # fewest admissible g holding N
        model.add(p * a * (groups - step) <= n - 1).only_enforce_if(on)
        model.add(units >= 1).only_enforce_if(on)
        model.add(s * h >= groups - 1).only_enforce_if(on)  # a global link per group pair
        model.add(units == 0).only_enforce_if(use.negated())
        spare = req.spare_ports
        # per group: (a + s) k ports, p*a + 2*a*s + s*h of them used
        model.add((spare.denominator - spare.numerator) * k * (a + s) * groups
                  >= spare.denominator * (p * a + 2 * a * s + s * h) * groups).only_enforce_if(on)
        pr = c.prices
        switches = (a + s) * groups
        cost = (
            switches * pr.switch_cents
            + p * a * groups * pr.endpoint_cable_cents
            + a * s * groups * pr.optical_link_cents
            + units * (s * h * step // 2) * pr.optical_link_cents
        )
        return SizedVars(use, {"g": groups}, cost, switches, p * a * groups)

    @classmethod
    def sizing_label(cls, candidate: Candidate) -> str:
        sh = candidate.shape
        return f"p={sh['p']} a={sh['a']} s={sh['s']} h={sh['h']} g={candidate.size['g']}"

    @classmethod
    def sizing_note(cls, candidate: Candidate) -> str:
        sh = candidate.shape
        return (f"{counted(candidate.size['g'], 'group')} of {counted(sh['a'], 'leaf', 'leaves')} and "
                f"{counted(sh['s'], 'spine')}, p={sh['p']}, h={sh['h']}")

    @classmethod
    def sizing_parameters(cls, candidate: Candidate, endpoints_per_node: int) -> dict[str, Any]:
        sh = candidate.shape
        return {"p": sh["p"], "a": sh["a"], "s": sh["s"], "h": sh["h"], "g": candidate.size["g"]}

    @classmethod
    def sizing_roles(cls, candidate: Candidate) -> dict[str, int]:
        sh, g = candidate.shape, candidate.size["g"]
        return {"leaf": sh["a"] * g, "spine": sh["s"] * g}

    def build(self) -> SwitchGraph:
        """Switches ``g<group>-leaf-<i>`` and ``g<group>-spine-<j>``, group by group, leaves first (leaf i
        of group x is number x(a+s) + i, spine j is x(a+s) + a + j). Bundles sorted by their two ends:
        a leaf's cables to the spines of its group, a spine's global links (``spine_dragonfly``; parallel
        links between two spines make one bundle)."""
        import numpy as np

        from topoctl.topologies.graph import SwitchGraph, edges_from_keys, object_array

        a, s, g = self.a, self.s, self.g
        per = a + s
        n = per * g
        first = np.arange(0, n, per, dtype=np.int64)[:, None, None]
        leaf = first + np.arange(a, dtype=np.int64)[None, :, None]
        spine = first + a + np.arange(s, dtype=np.int64)[None, None, :]
        local = (leaf * n + spine).ravel()
        gi, si, gj, sj = self.spine_dragonfly().global_links()  # gi < gj: the lower end first
        far = np.sort((gi * per + a + si) * n + (gj * per + a + sj))
        glob_u, glob_v, glob_count = edges_from_keys(far, n)
        keys = np.concatenate([local, glob_u * n + glob_v])
        count = np.concatenate([np.ones(len(local), dtype=np.int64), glob_count])
        is_global = np.concatenate([np.zeros(len(local), dtype=np.int8), np.ones(len(glob_u), dtype=np.int8)])
        order = np.argsort(keys, kind="stable")
        keys, count, is_global = keys[order], count[order], is_global[order]
        names = tuple(name for x in range(g) for name in
                      [f"g{x}-leaf-{i}" for i in range(a)] + [f"g{x}-spine-{j}" for j in range(s)])
        roles = np.tile(object_array(["leaf", "spine"], [a, s]), g)
        return SwitchGraph(
            names=names,
            roles=roles,
            endpoints=np.tile(np.repeat(np.array([self.p, 0], dtype=np.int64), [a, s]), g),
            planes=np.full(n, -1, dtype=np.int64),
            pods=np.repeat(np.arange(g, dtype=np.int64), per),
            edge_u=keys // n,
            edge_v=keys % n,
            edge_count=count,
            edge_groups=object_array(["leaf-spine", "global"])[is_global],
            pod_kind="group",
        )


CHUNK_ROWS = 1 << 17  # (p, a) shapes searched at once: a few MiB of arrays


def searched_shapes(n: int, k: int, ps: range, rho: float, per_cable: Fraction, limit_hops: int | None,
                    limit_blast: int | None, prunes: bool,
                    cap: tuple[Prices, float] | None = None) -> list[tuple[int, int, int, int, int, int]]:
    """``DragonflyPlus.candidates``' search for every (p, a), p in ``ps`` and 1 <= a <= k, at once over numpy
    arrays: (p, a, s, h, g, proven cut in millionths of a cable) of each (p, a) that gives a candidate,
    p-major. Per (p, a): g0 = ceil(N/(p a)) groups, one more when s*h*g0 would be odd; the fewest spines s
    (with h at its most, k - a, or one less for the other parity) and then the fewest global links h that
    reach the groups (g <= s*h + 1), keep a leaf (p) and a spine failure within ``limit_blast`` and meet the bisection
    ratio by the proven lower bound (``congestion_lower_bound``, Leighton 1992), each found by bisection
    (the bound grows with s and h but for the floor in c = floor(s*h/(g-1)), so this is the least but for
    such steps). A (p, a) whose most s and h miss the ratio gives nothing, or, unless ``prunes``
    (explaining infeasibility), that shape with its best bound. ``cap`` (prices, cents): a (p, a) whose
    every shape costs at least the cents is not searched (CostBound.admitted_cents: it can never be
    chosen). A shape found has g >= g0 groups, s >= s0 spines, s0 the search's first (s*h >= g0 - 1,
    h <= h_max), and meets the ratio, so ``meets``' upper bound on the proven cut, T/C + 1 + rho*floor(p/2),
    reaches the cables needed, need = ceil(R*floor(N/2)*r/c) >= need(g0); with several groups C >=
    (a*p)^2/c, c = floor(s*h/(g - 1)) <= s*h/(g - 1), so s*h >= X = (need(g0) - 1 - rho*floor(p/2)) *
    (g0 - 1)*(a*p)^2/T(g0 + 1) (T = floor(N/2)*ceil(N/2) grows with g <= g0 + 1). It costs at least
    (a + s')*g0 switches, p*a*g0 endpoint cables, a*s'*g0 leaf-spine and max(floor((g0 - 1)*g0/2), X*g0/2)
    global links (s*h*g/2, g <= s*h + 1), s' = max(s0, X/h_max); in floats with a 1e-9 margin."""
    import numpy as np

    from topoctl.topologies.congestion import congestion_lower_bounds

    p_all = np.repeat(np.arange(ps.start, ps.stop, dtype=np.int64), k)
    a_all = np.tile(np.arange(1, k + 1, dtype=np.int64), len(ps))
    g0_all = -(-n // (p_all * a_all))
    keep = np.ones(p_all.shape, dtype=bool)
    if limit_hops is not None:
        keep &= np.where(g0_all > 1, 3, np.where(a_all > 1, 2, 0)) <= limit_hops
    if limit_blast is not None:
        keep &= p_all <= limit_blast  # a leaf failure takes its p endpoints
    p_all, a_all, g0_all = p_all[keep], a_all[keep], g0_all[keep]
    s_max, h_max = k - p_all, np.where(g0_all == 1, 0, k - a_all)
    reach = ~((g0_all > 1) & (s_max * h_max < g0_all - 1))  # the most spines and global ports reach the groups
    p, a, g0, s_max, h_max = p_all[reach], a_all[reach], g0_all[reach], s_max[reach], h_max[reach]
    num, den = per_cable.numerator, per_cable.denominator
    if cap is not None and np.isfinite(cap[1]):
        prices, cents = cap
        s0 = np.where(g0 > 1, np.maximum(1, -(-(g0 - 1) // np.maximum(h_max, 1))), 1).astype(np.float64)
        gf, af, pf = g0.astype(np.float64), a.astype(np.float64), p.astype(np.float64)
        total_low, total_high = p * a * g0, p * a * (g0 + 1)
        need_low = -(-num * (total_low // 2) // den)
        units_high = ((total_high // 2) * (total_high - total_high // 2)).astype(np.float64)
        spare = need_low - 1 - rho * (p // 2)
        reach_sh = np.where((g0 > 1) & (spare > 0), spare * (gf - 1) * (af * pf) ** 2 / units_high, 0.0)
        s_low = np.maximum(s0, reach_sh / np.maximum(h_max, 1))
        least = ((af + s_low) * gf * prices.switch_cents + pf * af * gf * prices.endpoint_cable_cents
                 + (af * s_low * gf + np.maximum(np.floor((gf - 1) * gf / 2), reach_sh * gf / 2))
                 * prices.optical_link_cents)
        cheaper = least * (1 - 1e-9) < cents
        p, a, g0, s_max, h_max = p[cheaper], a[cheaper], g0[cheaper], s_max[cheaper], h_max[cheaper]

    def groups(s: Any, h: Any) -> Any:
        return np.where((s * h * g0) % 2 == 0, g0, g0 + 1)

    def fewest_across(g: Any) -> Any:
        """Endpoints balance forces across the cut: floor(p/2) when a*g switches of p endpoints are odd."""
        return np.where((a * g) % 2 == 1, p // 2, 0)

    def proven_micro(s: Any, h: Any, g: Any) -> Any:
        """The proven cut in millionths of a cable, rounded down (what is claimed stays proven)."""
        bound = congestion_lower_bounds(p * a * g, congestion(s, h, g), rho, fewest_across(g))
        return np.floor(bound * 10**6).astype(np.int64)

    def congestion(s: Any, h: Any, g: Any) -> Any:
        """``congestion_of`` element by element (the same float operations)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            local = p * p * (a - 1) / s
            c = (s * h) // np.maximum(g - 1, 1)
            between = np.maximum((a * p) ** 2 / c, local + a * p * p * h / c)
        out = np.where(g == 1, local, between)
        return np.where(a * g == 1, np.inf, out)

    def meets(s: Any, h: Any) -> Any:
        """Whether each shape is admissible and meets the ratio. The proven cut lies between two closed
        forms, so it is computed only where the need falls between them: T/C + 1 + rho*floor(p/2) bounds it
        from above and min(phi(y0), rho*floor(N/2)) from below (every term of the bound is at least the
        concave phi, least at the ends of its range; the margin covers float rounding and the cut's
        rounding down to millionths)."""
        s = np.maximum(s, 1)  # rows past their search carry any s; their answers are not read
        g = groups(s, h)
        ok = (g <= s * h + 1) & ((g == 1) == (h == 0))
        if limit_blast is not None:
            loss = np.where(s == 1, p * a * g - np.maximum((g - 1) * a * p, p), 0)
            ok &= loss <= limit_blast
        total = p * a * g
        need = -(-num * (total // 2) // den)  # topologies.sizing.cut_needed
        c = congestion(s, h, g)
        finite = ~np.isinf(c)
        cf = np.where(finite, c, 1.0)
        half, odd = total // 2, total % 2
        units = half * (total - half)
        below = finite & (units / cf + 1 + rho * (p // 2) < need)
        across = fewest_across(g)
        low = np.minimum(across, half)
        above = finite & (np.minimum((units - low * (low + odd)) / cf + rho * low, rho * half) >= need + 1e-3)
        undecided = ok & (need > 0) & ~below & ~above
        met = ok & ((need <= 0) | above)
        if undecided.any():
            rows = np.flatnonzero(undecided)
            cut = congestion_lower_bounds(total[rows], c[rows], rho, across[rows])
            met[rows] = np.floor(cut * 10**6).astype(np.int64) >= need[rows] * 10**6
        return met

    tops = [(h_max, (h_max >= 0) & ((h_max > 0) == (g0 > 1))),
            (h_max - 1, (h_max - 1 >= 0) & ((h_max - 1 > 0) == (g0 > 1)))]  # h_max - 1: the other parity

    def top_at(s: Any) -> Any:
        """The first of h_max, h_max - 1 that reaches the groups and meets the ratio with s spines, or -1."""
        out = np.full(p.shape, -1, dtype=np.int64)
        for h, valid in reversed(tops):
            hit = valid & (s * h >= g0 - 1) & meets(s, np.maximum(h, 0))
            out = np.where(hit, h, out)
        return out

    def fewest(low: Any, high: Any, holds: Callable[[Any], Any]) -> Any:
        """The least x in low..high with holds(x) per row, given holds(high), by bisection."""
        low, high = low.copy(), high.copy()
        while (open_ := low < high).any():
            mid = (low + high) // 2
            hit = holds(mid)
            high = np.where(open_ & hit, mid, high)
            low = np.where(open_ & ~hit, mid + 1, low)
        return high

    at_most = top_at(s_max)
    searched = at_most >= 0
    out: list[tuple[int, int, int, int, int, int]] = []
    rows = np.zeros(p.shape, dtype=bool)
    s_found = s_max.copy()
    h_found = h_max.copy()
    if searched.any():
        first_s = np.where(g0 > 1, np.maximum(1, -(-(g0 - 1) // np.maximum(h_max, 1))), 1)
        s_found = np.where(searched, fewest(np.where(searched, first_s, s_max), s_max,
                                            lambda x: top_at(x) >= 0), s_max)
        top = np.where(searched, top_at(s_found), h_max)
        first_h = np.where(g0 > 1, -(-(g0 - 1) // np.maximum(s_found, 1)), 0)
        h_found = np.where(searched, fewest(np.where(searched, first_h, top), top,
                                            lambda y: meets(s_found, y)), h_max)
        rows |= searched
    if not prunes:  # explaining: the most s and h, with their best bound, where nothing meets the ratio
        g = groups(s_max, h_max)
        rows |= ~searched & (g <= s_max * h_max + 1) & ((g == 1) == (h_max == 0))
    g_found = groups(s_found, h_found)
    cuts = proven_micro(s_found, h_found, g_found)
    for i in np.flatnonzero(rows).tolist():
        out.append((int(p[i]), int(a[i]), int(s_found[i]), int(h_found[i]), int(g_found[i]), int(cuts[i])))
    return out


def spine_loss(p: int, a: int, s: int, g: int) -> int:
    """Endpoints one spine failure disconnects (``DragonflyPlus.fault_domains``)."""
    return p * a * g - max((g - 1) * a * p, p) if s == 1 else 0


def congestion_of(p: int, a: int, s: int, h: int, g: int) -> float:
    """``DragonflyPlus.congestion`` from the symbols alone (sizing calls it for many shapes)."""
    if a * g == 1:
        return float("inf")
    local = p * p * (a - 1) / s
    if g == 1:
        return local
    c = (s * h) // (g - 1)
    return max((a * p) ** 2 / c, local + a * p * p * h / c)
