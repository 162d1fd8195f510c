"""Dragonfly: groups of switches fully meshed inside, groups joined by global links.

Reference: J. Kim, W. J. Dally, S. Scott, D. Abts, "Technology-driven, highly-scalable dragonfly
topology", ISCA 2008. Symbols: ``p`` endpoints per switch, ``a`` switches per group, ``h`` global
links per switch, ``g`` groups. Balanced: a = 2p = 2h; at most g = a*h + 1 groups (one global link
per group pair). Switch ports used: p + (a - 1) + h. Counts: N = p*a*g endpoints, a*g switches,
g*a(a-1)/2 intra-group links and a*h*g/2 global links (every global port cabled).

Global-link arrangement (deterministic, every global port cabled): with a*h = c*(g-1) + r, every
pair of groups gets c parallel global links, and r more links per group follow an r-regular
circulant on the groups (group i to i +- 1, ..., i +- r/2, and i + g/2 when r is odd), so parallel
links are spread as evenly as possible over group pairs. a*h*g must be even (two ports per global link).
Which switch of a group holds which of its global ports is the ``arrangement`` (port t on switch t // h;
C. Camarero, E. Vallejo, R. Beivide, "Topological characterization of Hamming and dragonfly networks
and its implications on routing", ACM TACO 2014; Hastings et al., "Comparing global link arrangements
for Dragonfly networks", IEEE Cluster 2015):
- ``consecutive`` (absolute, the default): group i's ports go to its neighbouring groups in ascending
  order of group number, parallel links on consecutive ports.
- ``palmtree`` (relative): group i's ports go to groups i - 1, i - 2, ... (mod g) in that order, so
  moving every switch one group on (group i to i + 1) maps the graph onto itself.
- ``random``: each group's consecutive port order shuffled by a seeded permutation (``arrangement_seed``).
The arrangement changes no count or cost (Table 3's counts hold for every one); it changes which cables
shortest paths share, so throughput, and for odd g which switches of the split group the group-halves
cut places on each side. topoctl's Table 3 figures (the DF column) assume the consecutive arrangement.

Example (the DeepSeek-V3 paper's Table 3 column):
    >>> df = Dragonfly.from_parameters(Dragonfly.Parameters(p=16, a=32, h=16, g=511), radix=64)
    >>> df.counts().num_switch_links
    384272
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from topoctl import budget
from topoctl.errors import SpecError
from topoctl.topologies.base import (
    ELECTRIC,
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
from topoctl.topologies.sizing import (
    Candidate,
    Deadline,
    Prices,
    SizedVars,
    SizingRequest,
    SwitchConfig,
    cut_needed,
    ratio,
)

if TYPE_CHECKING:  # numpy and the graph arrays stay out of the closed forms (design reports, compare)
    import numpy as np

    from topoctl.topologies.graph import SwitchGraph

__all__ = ["Dragonfly", "DragonflyParameters"]


def _overlap(start: int, end: int, low: int, high: int) -> int:
    """Ports in both [start, end) and [low, high)."""
    return max(0, min(end, high) - max(start, low))

SHARES_MAX_BYTES = 256 * 2**20  # bisection_shares gives none past this size of the cable list (budget's "cut-shares")
ROWS_KEPT = 16  # requests whose shape_bounds rows are kept for their model (the newest)
_ROWS: dict[tuple[Any, ...], list[tuple[int, int, int, int, int]]] = {}  # shape_bounds by request
START_TRIES = 200  # shapes the sizing's starting point tries, cheapest pairs first
ENDPOINT_SEARCH_WINDOW = 1 << 12  # endpoint counts across tried in each run of the lower bound's search


class DragonflyParameters(FamilyParameters):
    """``p`` endpoints per switch (default: the balanced maximum for the radix, floor((radix+1)/4));
    ``a`` switches per group (default 2p); ``h`` global links per switch (default p); ``g`` groups
    (default a*h + 1)."""

    p: int | None = Field(default=None, ge=1, le=4096)
    a: int | None = Field(default=None, ge=1, le=4096)
    h: int | None = Field(default=None, ge=0, le=4096)
    g: int | None = Field(default=None, ge=1, le=1_000_000)
    arrangement: Literal["consecutive", "palmtree", "random"] = "consecutive"
    arrangement_seed: int = Field(default=0, ge=0, le=2**31 - 1)


ARRANGEMENTS = ("consecutive", "palmtree", "random")

@dataclass(frozen=True)
class Dragonfly(Topology):
    """A dragonfly (see the module docstring).

    Example: the defaults on radix-8 switches are the balanced dragonfly p = h = 2, a = 4 with the most
    groups, g = a*h + 1 = 9, on p + (a - 1) + h = 7 of the 8 ports:
        >>> df = Dragonfly.from_parameters(Dragonfly.Parameters(), radix=8)
        >>> df.parameters()
        {'p': 2, 'a': 4, 'h': 2, 'g': 9, 'radix_used': 7}
        >>> df.counts().num_switches, df.num_endpoints, df.diameter_hops()
        (36, 72, 3)
    """

    family = "dragonfly"
    summary = "dragonfly (Kim et al. 2008): fully meshed groups joined by global links"
    Parameters = DragonflyParameters

    p: int
    a: int
    h: int
    g: int
    arrangement: str = "consecutive"  # global-link arrangement (module docstring)
    arrangement_seed: int = 0  # seed of the random arrangement

    @classmethod
    def from_parameters(cls, params: DragonflyParameters, radix: int, *, formula_only: bool = False) -> Dragonfly:
        p = params.p if params.p is not None else max(1, (radix + 1) // 4)
        a = params.a if params.a is not None else 2 * p
        h = params.h if params.h is not None else p
        g = params.g if params.g is not None else a * h + 1
        check_endpoints(p * a * g, f"a dragonfly of p={p}, a={a}, g={g}", "g")
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
        seed = params.arrangement_seed if params.arrangement == "random" else 0
        return cls(radix=radix, p=p, a=a, h=h, g=g, arrangement=params.arrangement, arrangement_seed=seed)

    @property
    def num_endpoints(self) -> int:
        return self.p * self.a * self.g

    @classmethod
    def examples(cls) -> tuple[dict[str, Any], ...]:
        """Small variants for the family contract test (``Topology.examples``)."""
        return (
            dict(p=2, a=3, h=2, g=7),  # unbalanced, a*h = g - 1
            dict(p=2, a=4, h=2, g=6),  # 8 global ports over 5 groups: odd circulant part
            dict(p=2, a=4, h=2, g=5),  # 2 links per group pair
            dict(p=1, a=1, h=1, g=2),  # one global link holds the fabric together
            dict(p=2, a=4, h=0, g=1),  # one group
            dict(p=3, a=1, h=0, g=1),  # one switch
        )

    @property
    def variant(self) -> str:
        balanced = "balanced" if self.a == 2 * self.p == 2 * self.h else "unbalanced"
        groups = "maximum" if self.g == self.a * self.h + 1 else f"of at most {self.a * self.h + 1}"
        text = f"{balanced} dragonfly, {counted(self.g, 'group')} ({groups}) of {counted(self.a, 'switch', 'switches')}"
        if self.arrangement == "consecutive":
            return text
        seed = f" (seed {self.arrangement_seed})" if self.arrangement == "random" else ""
        return f"{text}, {self.arrangement} global links{seed}"

    def parameters(self) -> dict[str, Any]:
        """The paper symbols and the ports used; the arrangement where it is not the default one."""
        out: dict[str, Any] = {"p": self.p, "a": self.a, "h": self.h, "g": self.g,
                               "radix_used": self.p + self.a - 1 + self.h}
        if self.arrangement != "consecutive":
            out["arrangement"] = self.arrangement
        if self.arrangement == "random":
            out["arrangement_seed"] = self.arrangement_seed
        return out

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
        import numpy as np

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

    def switches_per_group(self) -> int:
        return self.a

    def cabling_note(self) -> str | None:
        """The global-link arrangement the graph figures assume (module docstring)."""
        if self.g < 2 or self.h == 0:
            return None
        if self.arrangement == "consecutive":
            return ("global links in the consecutive arrangement (the default, which topoctl's Table 3 figures "
                    "assume; --param arrangement=palmtree or random for the others)")
        seed = f", seed {self.arrangement_seed}" if self.arrangement == "random" else ""
        return f"global links in the {self.arrangement} arrangement{seed} (Camarero et al. 2014)"

    def switch_rotation(self) -> int | None:
        """a in the palmtree arrangement: switch s of group i to switch s of group i + 1 (build number
        i*a + s to i*a + s + a, mod a*g) maps the graph onto itself, since group i's ports are numbered by
        offset to the far group and the group multiplicity is circulant; None for the others."""
        return self.a if self.arrangement == "palmtree" and self.g > 1 else None

    def bisection_shares(self, endpoint_link_cables: float = 1.0) -> dict[str, tuple[float, bool]]:
        """Share of the explicit group-halves cut (bisection, ``switch_cut``) carried by the busiest switch
        and the busiest group, a global link carrying one: cut cables at each switch counted port range by
        port range in the consecutive arrangement (``ports_below``; none for the others, whose shares the
        metrics estimate), without the cable list or numpy, so design
        reports stay light. Side A: groups 0 .. g/2 - 1; for odd g, groups below c = (g-1)/2 and the first
        ceil(a/2) switches of group c. A whole group's ports to the far side are one run of its ports;
        its links to the split group c cross when their far switch is on the other side. Past
        SHARES_MAX_BYTES of cable list (the budget's "cut-shares") none is given: a closed-form report
        stays well under a second."""
        if self.arrangement != "consecutive":  # the port ranges below are those of the consecutive arrangement
            return {}
        if budget.estimate("cut-shares", self.counts()).memory_bytes > SHARES_MAX_BYTES:
            return {}
        a, h, g = self.a, self.h, self.g
        in_a = (a + 1) // 2  # switches of the split group on side A
        odd = g % 2 == 1
        middle = (g - 1) // 2 if odd else -1  # the split group
        half = middle if odd else g // 2  # the groups below it are whole on side A
        inside = in_a * (a - in_a) if odd else 0  # the split group's own cables across the cut
        switch_most = group_most = ends = 0
        for i in range(g):
            if i == middle:  # ports below ports_below(c, c) go to side A, the rest to side B
                below = self.ports_below(i, i)
                crossing = [_overlap(s * h, s * h + h, below, a * h) + a - in_a if s < in_a
                            else _overlap(s * h, s * h + h, 0, below) + in_a for s in range(a)]
                own, most = sum(crossing) - inside, max(crossing)
            else:
                on_a = i < half
                low, high = (self.ports_below(i, half + odd), a * h) if on_a else (0, self.ports_below(i, half))
                own = high - low
                at: dict[int, int] = {}  # crossing ports of the switches at the ends of the run, and beyond
                if odd:  # links to the split group: across when the far switch is on the other side
                    first, far = self.ports_below(i, middle), self.ports_below(middle, i)
                    for k in range(self.links_between(i, middle)):
                        if ((far + k) // h < in_a) != on_a:
                            at[(first + k) // h] = at.get((first + k) // h, 0) + 1
                            own += 1
                for s in {low // h, (high - 1) // h} if high > low else ():
                    at[s] = at.get(s, 0) + _overlap(s * h, s * h + h, low, high)
                filled = h if (-(-low // h) + 1) * h <= high else 0  # a switch inside the run: all h cross
                most = max(filled, *at.values()) if at else filled
            ends += own
            switch_most, group_most = max(switch_most, most), max(group_most, own)
        cut = (ends - (inside if odd else 0)) // 2  # global links across, each seen from both ends
        total = cut + inside
        if total == 0:
            return {"switch": (0.0, True), "group": (0.0, True), "global link": (0.0, True)}
        return {
            "switch": (switch_most / total, True),
            "group": (group_most / total, True),
            "global link": (1 / total if cut else 0.0, True),
        }

    def links_between(self, i: int, j: int) -> int:
        """Global links between groups i != j: c = floor(a*h/(g-1)), one more where j - i (mod g) is a
        circulant offset (``group_multiplicity``, without the matrix)."""
        c, r = divmod(self.a * self.h, self.g - 1)
        d = (j - i) % self.g
        return c + (1 if 1 <= d <= r // 2 or self.g - r // 2 <= d or (r % 2 and 2 * d == self.g) else 0)

    def ports_below(self, i: int, x: int) -> int:
        """Global ports of group i to groups below x (its ports are numbered by far group, ascending):
        c per group other than i, plus the circulant offsets d with (i + d) mod g < x."""
        g = self.g
        if g == 1:
            return 0
        c, r = divmod(self.a * self.h, g - 1)
        reach = r // 2

        def landing(first: int, last: int) -> int:  # offsets first..last with (i + d) mod g below x
            if first > last:
                return 0
            lo, hi = i + first, i + last  # at most one wrap: 0 < lo <= hi < 2g
            return max(0, min(hi, g - 1, x - 1) - lo + 1) + max(0, min(hi, g + x - 1) - max(lo, g) + 1)

        extra = landing(1, reach) + landing(g - reach, g - 1) + (landing(g // 2, g // 2) if r % 2 else 0)
        return c * (x - (1 if i < x else 0)) + extra

    def global_links(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every global link once as (group_i, switch_i, group_j, switch_j), i < j, in the
        arrangement (module docstring); the k-th parallel link of a group pair takes the k-th of its
        ports at both ends."""
        import numpy as np

        m = self.group_multiplicity()
        gi, gj = np.nonzero(np.triu(m))
        reps = m[gi, gj]
        gi, gj = np.repeat(gi, reps), np.repeat(gj, reps)
        rep = np.arange(len(gi)) - np.repeat(np.cumsum(reps) - reps, reps)
        port_i, port_j = self._port(m, gi, gj, rep), self._port(m, gj, gi, rep)
        return gi, port_i // self.h, gj, port_j // self.h

    def _port(self, m: np.ndarray, group: np.ndarray, far: np.ndarray, rep: np.ndarray) -> np.ndarray:
        """Global port of ``group`` that holds its ``rep``-th link to group ``far``."""
        import numpy as np

        g = self.g
        if self.arrangement == "palmtree":  # by offset (group - far) mod g: 1, 2, ..., g - 1
            per_offset = m[0, (-np.arange(g)) % g]  # links to the group that far below (m is circulant)
            per_offset[0] = 0
            first = np.cumsum(per_offset) - per_offset
            return first[(group - far) % g] + rep
        absolute = (np.cumsum(m, axis=1) - m)[group, far] + rep  # ascending far group: consecutive
        if self.arrangement == "random":
            return self.port_shuffle()[group, absolute]
        return absolute

    def port_shuffle(self) -> np.ndarray:
        """The random arrangement: g x a*h, row i the port of group i that takes its t-th consecutive port
        (a seeded permutation per group, ``arrangement_seed``)."""
        import numpy as np

        keys = np.random.default_rng(self.arrangement_seed).random((self.g, self.a * self.h))
        return np.argsort(np.argsort(keys, axis=1, kind="stable"), axis=1, kind="stable")

    def split_group_side(self) -> list[int]:
        """For odd g, the switches of the split group c = (g-1)/2 that the group-halves cut places on side
        A: the ceil(a/2) with the most global ports to groups below c (``switch_cut``). In the consecutive
        and palmtree arrangements those ports are the group's first c0*c + floor(r/2), so they are its
        first switches; in the random one they are counted through the group's shuffle."""
        a, h, g = self.a, self.h, self.g
        in_a = (a + 1) // 2
        if self.arrangement != "random" or g % 2 == 0 or g == 1:
            return list(range(in_a))
        import numpy as np

        c = (g - 1) // 2
        below = self.ports_below(c, c)  # consecutive ports to groups below c
        ports = self.port_shuffle()[c, :below]
        to_a = np.bincount(ports // h, minlength=a)
        return sorted(np.argsort(-to_a, kind="stable")[:in_a].tolist())

    def switch_cut(self) -> int:
        """Switch cables crossing the group-halves partition: the switches of groups 0 .. g/2 - 1 on
        side A (for odd g, also ceil(a/2) switches of the middle group c = (g-1)/2, those with the most
        ports to groups below c: ``split_group_side``). With a*h = c0*(g-1) + r and R = floor(r/2),
        counting the links that cross:
          g even: c0*(g/2)^2 + R(R+1) + (g/2 if r is odd)
          g odd:  c0*c^2 + R^2 + |ceil(a/2)*h - (c0*c + R)| + ceil(a/2)*floor(a/2)
        (consecutive and palmtree arrangements; the random one counts the split group's crossing ports
        through its shuffle). About g^2/4 global links for one link per group pair (Kim et al. 2008);
        tests check it against the cut counted on the built graph."""
        a, h, g = self.a, self.h, self.g
        in_a = (a + 1) // 2  # switches of the split group on side A
        if g == 1:
            return in_a * (a - in_a)
        c0, r = divmod(a * h, g - 1)
        big_r = r // 2
        if g % 2 == 0:
            return c0 * (g // 2) ** 2 + big_r * (big_r + 1) + (g // 2 if r % 2 else 0)
        c = (g - 1) // 2
        to_side_a = c0 * c + big_r  # the middle group's global links to groups 0 .. c-1
        if self.arrangement == "random":
            import numpy as np

            side = np.zeros(a, dtype=bool)
            side[self.split_group_side()] = True
            to_a = np.bincount(self.port_shuffle()[c, :to_side_a] // h, minlength=a)
            middle = int((h - to_a)[side].sum() + to_a[~side].sum())
        else:
            middle = abs(in_a * h - to_side_a)
        return c0 * c * c + big_r**2 + middle + in_a * (a - in_a)

    def bisection(self, endpoint_link_cables: float = 1.0) -> Bisection:
        """An upper bound from an explicit balanced partition, with the proven lower bound beside it
        (``bisection_lower_bound``); an endpoint link across the cut counts ``endpoint_link_cables``
        = r/c of a cable. The better of two balanced partitions:
        - the group halves (``switch_cut``). Side A holds ceil(a*g/2) switches; with a*g odd that is
          p/2 endpoints more than N/2, so floor(p/2) of its endpoints are placed across the cut
          (their links counted): switch_cut + (r/c)*floor(p/2) when a*g is odd, else switch_cut;
        - every switch on one side and floor(N/2) endpoints across: (r/c)*floor(N/2), which wins when
          endpoints are much slower than the ports (the bisection ratio never exceeds 1).
        Exact when the lower bound reaches the cut."""
        rho = endpoint_link_cables
        across = self.p // 2 if (self.a * self.g) % 2 else 0
        groups = self.switch_cut() + rho * across
        one_side = rho * (self.num_endpoints // 2)
        if one_side < groups:
            cut, how = one_side, "explicit balanced cut: every switch on one side, floor(N/2) endpoints across"
        else:
            cut, how = groups, "explicit balanced cut: groups split in two contiguous halves"
            if across:
                how += f", {across} endpoint(s) placed across it to balance the endpoints (a*g odd)"
        lower, lower_how = self.bisection_lower_bound(rho)
        if lower >= cut - 1e-9:  # the bounds meet: the cut is a minimum bisection
            return Bisection(cut, f"{how}, meeting the {lower_how}", BoundKind.EXACT, lower, lower_how)
        return Bisection(cut, f"{how} (upper bound)", BoundKind.UPPER_BOUND, lower, lower_how)

    def congestion(self) -> float:
        """C, the most endpoint pairs one switch cable carries in one direction when every ordered
        endpoint pair sends one unit by minimal routing (local, global, local) spread evenly over the
        parallel global links of its group pair. With c0 = floor(a*h/(g-1)) links per group pair, a
        global link carries at most (a p)^2 / c0 and a local link at most 2 a p^2 h / c0 + p^2 (p^2
        between its two switches, a p^2 h / c0 from its first switch's endpoints to the global links
        of its second, as many arriving). One group: p^2. Infinite (no cables) for one switch."""
        a, h, g, p = self.a, self.h, self.g, self.p
        if a * g == 1:
            return float("inf")
        if g == 1:
            return float(p * p)
        c0 = (a * h) // (g - 1)
        return max((a * p) ** 2 / c0, 2 * a * p * p * h / c0 + p * p if a > 1 else 0.0)

    def bisection_lower_bound(self, endpoint_link_cables: float = 1.0) -> tuple[float, str]:
        """A proven lower bound on the balanced bisection, in cables, endpoint links at r/c
        (``endpoint_link_cables``): the congestion argument of Leighton, "Introduction to Parallel
        Algorithms and Architectures", 1992, Section 1.9, with endpoints as vertices. Every ordered
        endpoint pair sends one unit by minimal routing. Take a balanced cut, floor(N/2) endpoints on
        one side and ceil(N/2) on the other, through x cables and the links of y endpoints placed
        across from their switch. The 2T ordered pairs on opposite sides, T = floor(N/2)*ceil(N/2),
        cross it at least once; a pair on one side crosses twice if either endpoint is across (out
        over its link and back), and each of the y endpoints has at least floor(N/2) - 1 such
        partners either way, so at least 2y(floor(N/2) - 1) - y(y-1) such pairs. A switch cable
        carries at most C units each way (``congestion``), an endpoint link N - 1 each way (all of
        its endpoint's traffic). So 2C*x + 2(N-1)*y >= 2T + 2[2y(floor(N/2) - 1) - y(y-1)], i.e.
        C*x >= T - y(y + N mod 2), and the cut costs x + (r/c)*y, at least
            min over y0 <= y <= floor(N/2) of  ceil((T - y(y + N mod 2)) / C) + (r/c)*y
        (the first term at least 0; y = floor(N/2) is every switch on one side), where y0 = floor(p/2)
        when a*g is odd (every switch holds p endpoints, so no set of switches holds floor(N/2) or
        ceil(N/2) of them), else 0. y = 0 is N^2/(4C) cables for an even number of switches: tight for
        balanced dragonflies (65,217 vs the 65,282 cut for Table 3). Each term is at least the concave
        phi(y) = (T - y(y + N mod 2))/C + (r/c)*y, so with m the lesser term at y0 and floor(N/2), only
        y where phi(y) < m can do better: two runs at the ends of the range, found by solving the
        quadratic phi(y) = m. Up to ENDPOINT_SEARCH_WINDOW values of each run are tried; the rest of a
        longer run counts at the lesser of phi's values at its two ends."""
        rho = endpoint_link_cables
        n = self.num_endpoints
        low, high = (self.p // 2 if (self.a * self.g) % 2 else 0), n // 2
        if n < 2:
            return 0.0, "one endpoint: nothing to cut"
        congestion = self.congestion()
        units, odd = (n // 2) * (n - n // 2), n % 2

        def phi(across: float) -> float:
            return (units - across * (across + odd)) / congestion + rho * across

        def term(across: int) -> float:
            # a cut is a whole number of cables (the tolerance keeps float noise from rounding an exact bound up)
            return max(0, math.ceil((units - across * (across + odd)) / congestion - 1e-9)) + rho * across

        bound, at = min((term(low), low), (term(high), high))
        if math.isinf(congestion):  # one switch: no cables, only endpoint links
            runs = []
        else:
            # phi(y) >= bound  <=>  y^2 - b*y - (T - bound*C) <= 0, between the roots
            b = rho * congestion - odd
            disc = b * b + 4 * (units - bound * congestion)
            if disc < 0:
                runs = [(low + 1, high - 1)]
            else:
                root = math.sqrt(disc)
                inner, outer = (b - root) / 2, (b + root) / 2
                runs = [(low + 1, min(high - 1, math.ceil(inner) + 1)), (max(low + 1, math.floor(outer) - 1), high - 1)]
        window = ENDPOINT_SEARCH_WINDOW
        for first, last in runs:
            if first > last:
                continue
            tried = range(first, min(last, first + window - 1) + 1)  # from the range's own end inwards
            if first > low + 1:
                tried = range(max(first, last - window + 1), last + 1)
            for across in tried:
                value = term(across)
                if value < bound:
                    bound, at = value, across
            rest = (tried.stop, last) if tried.start == first else (first, tried.start - 1)
            if rest[0] <= rest[1]:  # untried: every term there is above concave phi, least at the ends
                line = min(phi(rest[0]), phi(rest[1]))
                if line < bound:
                    bound, at = max(0.0, line), -1
        method = "lower bound: congestion of minimal routing (Leighton 1992)"
        if at != 0:
            method += "; with endpoint links across the cut (N-1 units each way)"
        return float(bound), method

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

    # -- inverse sizing (topologies.sizing) ------------------------------------------------------------
    closed_form_limits = frozenset({"max_hops", "max_blast_radius", "min_bisection_ratio"})
    decided_power = True  # decided_model states power at unit milliwatts

    @staticmethod
    def sizing_cut(p: int, a: int, h: int, g: int, rho: Fraction) -> Fraction:
        """The sizing's proof of the bisection: a lower bound on the balanced bisection in cables, endpoint
        links at rho = r/c of a cable, exact in rationals:
            min(term(y0), phi(y0 + 1), phi(floor(N/2) - 1), rho*floor(N/2))
        (the two middle values only when y0 + 1 <= floor(N/2) - 1), where
            term(y) = ceil((T - y(y + N mod 2))/C) + rho*y,   phi(y) = (T - y(y + N mod 2))/C + rho*y,
        T = floor(N/2)*ceil(N/2), C the ``congestion`` and y0 = floor(p/2) when a*g is odd, else 0.
        It is the congestion argument of Leighton, "Introduction to Parallel Algorithms and Architectures",
        1992, Section 1.9, as ``bisection_lower_bound`` states it: a balanced cut through x cables and the
        links of y endpoints placed across costs at least term(y) for some y0 <= y <= floor(N/2), and
        term(floor(N/2)) = rho*floor(N/2) (floor(N/2)*ceil(N/2) = T). Every term(y) >= phi(y)
        (T - y(y + N mod 2) >= 0 there), and phi is concave (its y^2 coefficient is -1/C), so over the
        inner values y0 < y < floor(N/2) its least value is at an end of them: phi(y0 + 1) or
        phi(floor(N/2) - 1). So this is a lower bound with no search, each of its terms linear in C once
        multiplied out, which the sizing model states as integer constraints (``decided_model``).
        ``bisection_lower_bound``'s search over y is at least this (each value it takes, a term or phi at
        the end of an untried run, is at least one of these four) and less than one cable more (its least
        term is below phi + 1 at the end where phi is least)."""
        n = p * a * g
        if n < 2:
            return Fraction(0)
        half, odd = n // 2, n % 2
        top = rho * half
        if a * g == 1:  # one switch: no cables, and y0 = floor(p/2) = floor(N/2)
            return top
        units = half * (n - half)
        low = p // 2 if (a * g) % 2 else 0
        if g == 1:
            congestion = Fraction(p * p)
        else:
            c0 = (a * h) // (g - 1)
            congestion = Fraction((a * p) ** 2, c0)
            if a > 1:
                congestion = max(congestion, Fraction(2 * a * p * p * h, c0) + p * p)

        def phi(y: int) -> Fraction:
            return (units - y * (y + odd)) / congestion + rho * y

        values = [math.ceil((units - low * (low + odd)) / congestion) + rho * low, top]
        if low + 1 <= half - 1:
            values += [phi(low + 1), phi(half - 1)]
        return min(values)

    @staticmethod
    def one_group_cut_meets(p: int, a: int, rn: int, rd: int, need: int) -> bool:
        """Whether ``sizing_cut(p, a, 0, 1, rn/rd) >= need`` for one group of a > 1 switches, in integers (the
        rows ask it of every (p, a) that one group holds): C = p^2, each of its four values multiplied
        through C and rd."""
        n = p * a
        half, odd = n // 2, n % 2
        units, low, congestion = half * (n - half), p // 2 if a % 2 else 0, p * p
        if rn * half < need * rd or (-(-(units - low * (low + odd)) // congestion) * rd + rn * low < need * rd):
            return False
        return low + 1 > half - 1 or all((units - y * (y + odd)) * rd + rn * y * congestion >= need * congestion * rd
                                         for y in (low + 1, half - 1))

    @staticmethod
    def sizing_hops(a: int, g: int) -> int:
        """``diameter_hops`` of a shape: 3 with several switches in several groups, 1 with either, 0 alone."""
        if g > 1:
            return 3 if a > 1 else 1
        return 1 if a > 1 else 0

    @staticmethod
    def sizing_groups(n: int, p: int, a: int, h: int) -> int:
        """The fewest groups holding n endpoints with a*h*g global ports even: ceil(n/(p*a)), one more
        when a, h and that are odd."""
        g = -(-n // (p * a))
        return g + (a * h * g) % 2

    @classmethod
    def sizing_candidate(cls, requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
                         p: int, a: int, h: int) -> Candidate | None:
        """The shape (p, a, h) at its fewest groups (``sizing_groups``), with its closed-form figures;
        None where no such dragonfly exists (g > a*h + 1, or h = 0 with several groups or h > 0 with one).
        Sized as the module docstring counts it (Kim et al. 2008): p*a*g endpoints, a*g switches,
        g*a(a-1)/2 + a*h*g/2 links; the bisection is the sizing's proof (``sizing_cut``), floored to whole
        cables."""
        k = switch.radix
        g = cls.sizing_groups(requirement.num_endpoints, p, a, h)
        if g > a * h + 1 or (g == 1) != (h == 0):
            return None
        speed, port_speed = requirement.endpoint_speed_gbps, Fraction(switch.port_speed_gbps)
        cut = math.floor(cls.sizing_cut(p, a, h, g, speed / port_speed))
        total, switches = p * a * g, a * g
        intra, glob = g * a * (a - 1) // 2, a * h * g // 2
        cost = (switches * prices.switch_cents + total * prices.endpoint_cable_cents
                + intra * prices.electric_link_cents + glob * prices.optical_link_cents)
        blast = total if switches == 1 else p
        return Candidate(
            cls, switch, prices, {"p": p, "a": a, "h": h, "k": k}, {"g": g},
            total, switches, cost, ratio(cut, port_speed, total, speed),
            Fraction(k - (p + a - 1 + h), k), blast, cls.sizing_hops(a, g), 1, 1, 1,
        )

    @classmethod
    def candidates(cls, requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
                   deadline: Deadline | None = None) -> Iterator[Candidate]:
        """One candidate whose shape p, a, h, g the solver decides (``decided_model``) over the space of
        ``sizing_candidate``: every p, a, h on the radix at its fewest groups. When explaining infeasibility
        (a relaxed request), or where the model's integers would pass 64 bits, the shapes one by one
        instead (``shapes``), whose closed forms say which limit each breaks."""
        if requirement.relaxed_from is not None or cls.model_bounds(requirement, switch) is None:
            yield from cls.shapes(requirement, switch, prices, deadline)
            return
        decided = cls.decided_candidate(requirement, switch, prices, deadline)
        if decided is not None:
            yield decided

    @classmethod
    def shapes(cls, requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
               deadline: Deadline | None = None) -> Iterator[Candidate]:
        """Per (p, a) and per g: the fewest global ports h whose shape meets the bisection ratio (more h only
        adds cables and uses ports), and the most h (the best cut) if none does."""
        n, k = requirement.num_endpoints, switch.radix
        speed, port_speed = requirement.endpoint_speed_gbps, Fraction(switch.port_speed_gbps)
        for p in range(1, k + 1):
            if deadline is not None:
                deadline.check(f"enumerating dragonfly shapes (p={p} of up to {k})")
            for a in range(1, k - p + 2):
                h_max = k - p - a + 1
                g0 = -(-n // (p * a))
                need = {g: cut_needed(requirement.bisection_ratio, p * a * g, port_speed, speed) for g in (g0, g0 + 1)}
                h_first = 0 if g0 == 1 else max(1, -(-(g0 - 1) // a))  # g0 <= a*h + 1
                if g0 > 1:  # skip h whose (upper-bound) cut cannot reach what either g needs
                    h_first = max(h_first, min(cls.fewest_global_ports(a, g, need[g]) for g in (g0, g0 + 1)))
                chosen: dict[int, Candidate] = {}
                for h in range(h_first, h_max + 1):
                    c = cls.sizing_candidate(requirement, switch, prices, p, a, h)
                    g = cls.sizing_groups(n, p, a, h)
                    if c is None or g in chosen:
                        continue
                    if c.bisection_ratio >= requirement.bisection_ratio:
                        chosen[g] = c
                        if len(chosen) == 2 or g0 == 1 or a % 2 == 0 or g0 % 2 == 0:  # g can only be g0
                            break
                fallback: dict[int, Candidate] = {}
                for h in range(h_max, max(0, h_max - 2) - 1, -1):  # most h: the best cut, if none meets
                    c = cls.sizing_candidate(requirement, switch, prices, p, a, h)
                    if c is not None and c.size["g"] not in chosen and c.size["g"] not in fallback:
                        fallback[c.size["g"]] = c
                yield from (c for _, c in sorted({**fallback, **chosen}.items()))

    @staticmethod
    def fewest_global_ports(a: int, g: int, need: int) -> int:
        """A lower bound on the h whose cut (``switch_cut``) can reach ``need`` links (the upper-bound cut,
        so also for the proven lower bound below it).
        With c0 = floor(a*h/(g-1)) <= a*h/(g-1): for even g the cut is at most (c0 + 1)(g/2)^2; for odd g,
        with c = (g-1)/2, R < c and ceil(a/2)*h <= a*h, at most c0*c^2 + c^2 + a*h + c0*c + c + a^2/4,
        which is at most a*h*(c/2 + 3/2) + c^2 + c + a^2/4."""
        if g % 2 == 0:
            half_sq = (g // 2) ** 2
            # (a*h/(g-1) + 1) * half_sq >= need  <=>  a*h*half_sq >= (need - half_sq) * (g-1)
            rest = (need - half_sq) * (g - 1)
            return max(0, -(-rest // (a * half_sq)))
        c = (g - 1) // 2
        rest = 4 * (need - c * c - c) - a * a  # 4x: clears the halves
        per_h = a * (2 * c + 6)  # 4 * a * (c/2 + 3/2)
        return max(0, -(-rest // per_h))

    @staticmethod
    def usable_ports(requirement: SizingRequest, radix: int) -> int:
        """Most ports p + (a-1) + h a switch may use with the request's share of spare ports."""
        spare = requirement.spare_ports
        return (spare.denominator - spare.numerator) * radix // spare.denominator

    @classmethod
    def model_bounds(cls, requirement: SizingRequest, switch: SwitchConfig) -> dict[str, int] | None:
        """Upper bounds of ``decided_model``'s variables; None when a product would pass 2^62 (CP-SAT's
        integers are 64-bit) or no port is usable."""
        n, used = requirement.num_endpoints, cls.usable_ports(requirement, switch.radix)
        if used < 1:
            return None
        rho = requirement.endpoint_speed_gbps / Fraction(switch.port_speed_gbps)
        kappa = requirement.bisection_ratio * rho
        endpoints = n + 2 * used * used  # N = p*a*g < n + 2*p*a (g at most one above the ceiling)
        half = endpoints // 2
        need = -(-kappa.numerator * half // kappa.denominator)
        bounds = {
            "ports": used, "endpoints": endpoints, "half": half, "need": need,
            "units": half * (half + 1), "ah": used * used,
            "deficit": rho.denominator * need + rho.numerator * used,
        }
        biggest = max(rho.denominator * bounds["units"] * bounds["ah"],
                      used ** 4 * bounds["deficit"], 3 * used ** 4 * bounds["deficit"],
                      kappa.numerator * half + kappa.denominator * need, rho.numerator * half)
        return bounds if biggest < 2**62 else None

    @classmethod
    def shape_bounds(cls, requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
                     deadline: Deadline | None = None) -> list[tuple[int, int, int, int, int]]:
        """(p, a, g0, h_min, cents_min) for every (p, a) on the usable ports that some h may admit:
        g0 = ceil(n/(p*a)), h_min a lower bound on the global ports of an admitted shape and cents_min on
        its cost, for g = g0 and (a, g0 odd) g0 + 1. Necessary conditions of ``sizing_cut`` >= need (see
        ``decided_model``): its term(y0) >= need gives T/C > s = need - 1 - rho*floor(p/2); with
        c0 <= a*h/(g-1), C >= (a p)^2/c0 and, for a > 1, C >= 2 a p^2 h/c0 + p^2 >= p^2 (2g - 1). So for
        g >= 2 and s > 0: p^2 (2g - 1) s < T when a > 1, and c0 > s (a p)^2 / T, so a*h >= c0*(g-1); and
        g <= a*h + 1. One group (g = 1, h = 0) is kept only where its cut, sizing_cut(p, a, 0, 1) with
        C = p^2, meets need: it depends on (p, a) alone. The hop and blast-radius limits leave out pairs as
        ``decided_model`` does. Kept for
        the model of the same request (``ROWS_KEPT`` requests); SizingTimeLimitError past ``deadline``."""
        key = (requirement, switch.radix, switch.port_speed_gbps, prices)
        if key in _ROWS:
            return _ROWS[key]
        n, used = requirement.num_endpoints, cls.usable_ports(requirement, switch.radix)
        rho = requirement.endpoint_speed_gbps / Fraction(switch.port_speed_gbps)
        kappa = requirement.bisection_ratio * rho  # cut_needed is ceil(kappa * floor(N/2))
        rn, rd, kn, kd = rho.numerator, rho.denominator, kappa.numerator, kappa.denominator
        max_hops = requirement.max_hops if requirement.prunes else None
        max_blast = requirement.max_blast_radius if requirement.prunes else None
        rows = []
        for p in range(1, used + 1):
            if max_blast is not None and p > max_blast:
                break
            if deadline is not None:
                deadline.check(f"bounding dragonfly shapes (p={p} of up to {used})")
            for a in range(1, used - p + 2):
                h_max = used - p - a + 1
                g0 = -(-n // (p * a))
                best: tuple[int, int] | None = None
                for g in (g0, g0 + 1) if a % 2 and g0 % 2 else (g0,):
                    if max_hops is not None and cls.sizing_hops(a, g) > max_hops:
                        continue
                    if g == 1:
                        if max_blast is not None and a == 1 and p > max_blast:
                            continue
                        if a > 1 and not cls.one_group_cut_meets(p, a, rn, rd, -(-kn * (p * a // 2) // kd)):
                            continue  # one group: its cut is the model's for (p, a) alone, too small
                        h_low = 0
                    else:
                        total = p * a * g
                        half = total // 2
                        units = half * (total - half)
                        short = rd * (-(-kn * half // kd) - 1) - rn * (p // 2)  # rd*(need - 1 - rho*floor(p/2))
                        h_low = max(1, -(-(g - 1) // a))
                        if short > 0:
                            if a > 1 and p * p * (2 * g - 1) * short > units * rd:
                                continue
                            c0 = -(-short * (a * p) ** 2 // (units * rd)) if units else 0
                            h_low = max(h_low, -(-c0 * (g - 1) // a))
                        if g == g0 + 1:
                            h_low += 1 - h_low % 2  # an extra group needs h odd
                    if h_low > h_max:
                        continue
                    cents = (a * g * prices.switch_cents + p * a * g * prices.endpoint_cable_cents
                             + g * a * (a - 1) // 2 * prices.electric_link_cents
                             + a * h_low * g // 2 * prices.optical_link_cents)
                    best = (h_low, cents) if best is None else (min(best[0], h_low), min(best[1], cents))
                if best is not None:
                    rows.append((p, a, g0, best[0], best[1]))
        if len(_ROWS) >= ROWS_KEPT:
            _ROWS.pop(next(iter(_ROWS)))
        _ROWS[key] = rows
        return rows

    @classmethod
    def model_rows(cls, candidate: Candidate, requirement: SizingRequest) -> list[tuple[int, int, int, int, int]]:
        """The rows of ``shape_bounds`` the model keeps: after a feasible start, only those no worse than it
        in one of the objectives at least (switches, cents, cents per endpoint, by their lower bounds),
        since a pair worse in all three never wins nor ties; every row under a power objective or cap
        (``Candidate.powers`` given), which those bounds do not cover."""
        rows = cls.shape_bounds(requirement, candidate.switch, candidate.prices)
        c = candidate
        if not c.size or c.powers is not None:
            return rows
        per_endpoint = -(-1000 * c.cost_cents // c.num_endpoints)  # thousandths of a cent, as topoctl.optimize
        return [row for row in rows if row[1] * row[2] <= c.num_switches or row[4] <= c.cost_cents
                or cls.row_per_endpoint(row, c.prices) <= per_endpoint]

    @classmethod
    def decided_candidate(cls, requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
                          deadline: Deadline | None = None) -> Candidate | None:
        """The candidate the solver decides, its figures those of a feasible starting point where one is
        found (``starting_shape``), else of no design (zero ratio and spare ports, nothing held), and its
        lower bounds, the least of ``shape_bounds``' rows; None when no (p, a) has a row (no shape can
        meet the request)."""
        rows = cls.shape_bounds(requirement, switch, prices, deadline)
        if not rows:
            return None
        start = cls.starting_shape(requirement, switch, prices, rows)
        k = switch.radix
        if start is None:
            start = Candidate(cls, switch, prices, {"k": k}, {}, requirement.num_endpoints, 0, 0, Fraction(0),
                              Fraction(0), requirement.num_endpoints, 3, 1, 1, 1)
        else:
            s = start.shape
            start = replace(start, size={"p": s["p"], "a": s["a"], "h": s["h"], "g": start.size["g"]})
        switches = min(a * g0 for _, a, g0, _, _ in rows)
        cents = min(row[4] for row in rows)
        per_endpoint = min(cls.row_per_endpoint(row, prices) for row in rows)
        return replace(start, shape={"k": k}, decided=True, lower_bound=(switches, cents),
                       lower_bound_per_endpoint=per_endpoint)

    @staticmethod
    def row_per_endpoint(row: tuple[int, int, int, int, int], prices: Prices) -> int:
        """Thousandths of a cent per endpoint no shape of a ``shape_bounds`` row goes below: the cost over
        N = p*a*g is the same for every g, (switch + p endpoint cables + (a-1)/2 electric + h/2 optical
        links) / p, at h = h_min."""
        p, a, _, h, _ = row
        milli = 1000  # topoctl.optimize's unit of cost per endpoint
        spent = (2 * prices.switch_cents + 2 * p * prices.endpoint_cable_cents + (a - 1) * prices.electric_link_cents
                 + h * prices.optical_link_cents)
        return -(-milli * spent // (2 * p))

    @classmethod
    def starting_shape(cls, requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
                       rows: list[tuple[int, int, int, int, int]]) -> Candidate | None:
        """A shape meeting every limit of the request, to start the solver from: the first admitted of the
        pairs (p, a) cheapest by their lower bound (``rows`` of ``shape_bounds``) from their fewest global ports on, up
        to START_TRIES shapes tried; else the balanced one (a = 2p = 2h on the usable ports) if it does,
        else the first pair of ``rows``, by p downwards and a upwards, with the most global ports; None if
        none does."""
        used = cls.usable_ports(requirement, switch.radix)

        def admitted(c: Candidate | None) -> bool:  # every shape tried is within the usable ports
            return c is not None and c.meets(requirement)

        tries = 0
        for p, a, _, h_low, _ in sorted(rows, key=lambda row: row[4]):
            for h in range(h_low, used - p - a + 2):  # the fewest global ports of the pairs cheapest at best
                c = cls.sizing_candidate(requirement, switch, prices, p, a, h)
                if admitted(c):
                    return c
                tries += 1
                if tries > START_TRIES:
                    break
            if tries > START_TRIES:
                break
        p = max(1, (used + 1) // 4)
        balanced = cls.sizing_candidate(requirement, switch, prices, p, 2 * p, p) if 4 * p - 1 <= used else None
        if admitted(balanced):
            return balanced
        for p, a, _, _, _ in sorted(rows, key=lambda row: (-row[0], row[1])):
            c = cls.sizing_candidate(requirement, switch, prices, p, a, used - p - a + 1)
            if admitted(c):
                return c
        return None

    @classmethod
    def size_model(cls, model: Any, candidate: Candidate, requirement: SizingRequest, use: Any) -> SizedVars:
        """A fixed shape (``shapes``): g = step * units groups, step 2 when a*h is odd (a*h*g global ports
        must be even); the fewest admissible g holding N as two inequalities, g <= a*h + 1, spare ports and
        cost linear in g; the bisection, hops and blast radius checked by the closed forms
        (closed_form_limits). The decided candidate: ``decided_model``."""
        if candidate.decided:
            return cls.decided_model(model, candidate, requirement, use)
        c, req = candidate, requirement
        s, n = c.shape, req.num_endpoints
        p, a, h, k = s["p"], s["a"], s["h"], s["k"]
        step = 2 if (a * h) % 2 else 1  # a*h*g global ports must be even: g even when a*h is odd
        units = model.new_int_var(0, n, f"group_units_{c.rank}")  # g = step * units groups
        groups = step * units
        on = use
        model.add(p * a * groups >= n).only_enforce_if(on)  # fewest admissible g holding N
        model.add(p * a * (groups - step) <= n - 1).only_enforce_if(on)
        model.add(units >= 1).only_enforce_if(on)
        model.add(a * h >= groups - 1).only_enforce_if(on)  # g <= a*h + 1: a global link per group pair
        model.add(units == 0).only_enforce_if(use.negated())
        spare = req.spare_ports
        switches = a * groups
        model.add((spare.denominator - spare.numerator) * k * switches
                  >= spare.denominator * (p + a - 1 + h) * switches).only_enforce_if(on)
        pr = c.prices
        # g*a(a-1)/2 intra-group and a*h*g/2 global links: halves taken where the product is even
        intra = (groups * (a * (a - 1) // 2))
        glob = (units * (a * h * step // 2))
        cost = (
            switches * pr.switch_cents
            + p * switches * pr.endpoint_cable_cents
            + intra * pr.electric_link_cents
            + glob * pr.optical_link_cents
        )
        return SizedVars(use, {"g": groups}, cost, switches, p * switches)

    @classmethod
    def decided_model(cls, model: Any, candidate: Candidate, requirement: SizingRequest, use: Any) -> SizedVars:
        """The shape as integer variables, over exactly the space of ``sizing_candidate``:
        - p + (a-1) + h ports within the radix less the request's spare share;
        - g0 = ceil(n/(p*a)) as two inequalities over the product p*a, and g = g0 + 1 exactly when a, h and
          g0 are odd (a*h*g global ports even); g <= a*h + 1; g = 1 exactly when h = 0;
        - the hop limit (3 hops with several switches in several groups, 1 with either) and the blast
          radius (p, or N for one switch) as constraints;
        - the bisection proof ``sizing_cut`` >= need, need = ceil(R * floor(N/2) * r/c) the cables the ratio
          asks (``cut_needed``), multiplied through C's and rho's denominators: rho*floor(N/2) >= need, and
          c0*(T - y0(y0 + N mod 2)) >= C*c0*(need - rho*y0) for each of C's two terms, c0 = floor(a*h/(g-1))
          (a division equality), with p^2 for one group and nothing more for one switch;
        - cost in integer cents (switches, endpoint cables, g*a(a-1)/2 electric and a*h*g/2 optical links),
          and, given unit powers (``Candidate.powers``), power in milliwatts over the same counts.
        Ties are broken by the fewest cables (endpoint and switch), then the fewest p, a, h in that order."""
        c, req = candidate, requirement
        n, pr = req.num_endpoints, c.prices
        bounds = cls.model_bounds(req, c.switch)
        if bounds is None:  # candidates() gives a decided candidate only within the bounds: a bug
            raise RuntimeError("dragonfly sizing model past 64-bit integers")
        used, top_n, half_n = bounds["ports"], bounds["endpoints"], bounds["half"]
        rho = req.endpoint_speed_gbps / Fraction(c.switch.port_speed_gbps)
        kappa = req.bisection_ratio * rho
        on, off = use, use.negated()
        r = c.rank

        def var(lo: int, hi: int, name: str) -> Any:
            return model.new_int_var(lo, hi, f"{name}_{r}")

        def product(x: Any, y: Any, hi: int, name: str) -> Any:
            out = var(0, hi, name)
            model.add_multiplication_equality(out, [x, y])
            return out

        def parity(x: Any, hi: int, name: str) -> Any:
            odd = model.new_bool_var(f"{name}_odd_{r}")
            model.add(x == 2 * var(0, hi // 2, f"{name}_half") + odd)
            return odd

        p = var(1, used, "p")  # endpoints per switch
        a = var(1, used, "a")  # switches per group
        h = var(0, used - 1, "h")  # global links per switch
        model.add(p + a - 1 + h <= used)
        pa = product(p, a, used * used, "pa")
        g0 = var(1, n, "fewest_groups")  # ceil(n/(p*a))
        held = product(pa, g0, n + used * used, "held")
        model.add(held >= n)
        model.add(held - pa <= n - 1)
        # implied, so the search prunes whole (p, a) early: per (p, a) the fewest groups and a lower bound
        # on h and on the cost (shape_bounds); no row: no h admits the pair
        rows = cls.model_rows(c, req)
        if not rows:
            model.add(use == 0)
            rows = [(1, 1, -(-n // 1), 0, 0)]
        least_h = var(0, used, "least_h")
        least_cost = var(0, max(row[4] for row in rows), "least_cost")
        model.add_allowed_assignments([p, a, g0, least_h, least_cost], rows)
        model.add(h >= least_h).only_enforce_if(on)
        # search the pairs by their least cost, then the fewest global ports: the first admitted shape is
        # near the best, and the cost bound then rules out most pairs without trying them
        api = sys.modules[type(model).__module__]  # the solver's module, without importing it here
        model.add_decision_strategy([least_cost, h], api.CHOOSE_FIRST, api.SELECT_MIN_VALUE)
        a_odd, h_odd, g0_odd = parity(a, used, "a"), parity(h, used, "h"), parity(g0, n, "g0")
        extra = model.new_bool_var(f"extra_group_{r}")  # a*h*g0 odd: one group more
        model.add_bool_and([a_odd, h_odd, g0_odd]).only_enforce_if(extra)
        model.add_bool_or([a_odd.negated(), h_odd.negated(), g0_odd.negated(), extra])
        g = var(1, n + 1, "g")  # groups
        model.add(g == g0 + extra)
        ah = product(a, h, used * used, "ah")
        model.add(g <= ah + 1).only_enforce_if(on)
        groups_many = model.new_bool_var(f"groups_many_{r}")  # g >= 2, exactly when h >= 1
        model.add(g >= 2).only_enforce_if(groups_many)
        model.add(g == 1).only_enforce_if(groups_many.negated())
        model.add(h >= 1).only_enforce_if([groups_many, on])
        model.add(h == 0).only_enforce_if([groups_many.negated(), on])
        a_many = model.new_bool_var(f"switches_many_{r}")  # a >= 2
        model.add(a >= 2).only_enforce_if(a_many)
        model.add(a == 1).only_enforce_if(a_many.negated())
        endpoints = product(pa, g, top_n, "endpoints")  # N
        switches = product(a, g, top_n, "switches")
        if req.prunes and req.max_hops is not None:
            if req.max_hops < 3:
                model.add_bool_or([a_many.negated(), groups_many.negated()]).only_enforce_if(on)
            if req.max_hops < 1:
                model.add_bool_and([a_many.negated(), groups_many.negated()]).only_enforce_if(on)
        if req.prunes and req.max_blast_radius is not None:
            model.add(p <= req.max_blast_radius).only_enforce_if(on)
            model.add(endpoints <= req.max_blast_radius).only_enforce_if([on, a_many.negated(),
                                                                         groups_many.negated()])
        # the bisection proof (sizing_cut) >= need
        half = var(0, half_n, "half")  # floor(N/2)
        n_odd = model.new_bool_var(f"endpoints_odd_{r}")
        model.add(endpoints == 2 * half + n_odd)
        need = var(0, bounds["need"], "need")  # cables the ratio asks: need >= kappa*floor(N/2)
        model.add(kappa.denominator * need >= kappa.numerator * half)
        model.add(rho.numerator * half >= rho.denominator * need).only_enforce_if(on)  # every switch on one side
        ceil_half = var(0, half_n + 1, "ceil_half")
        model.add(ceil_half == half + n_odd)
        units = product(half, ceil_half, bounds["units"], "units")  # T
        p_half = var(0, used // 2, "p_half")
        p_odd = model.new_bool_var(f"p_odd_{r}")
        model.add(p == 2 * p_half + p_odd)
        g_odd = parity(g, n + 1, "g")
        ag_odd = model.new_bool_var(f"switches_odd_{r}")  # a*g odd: y0 = floor(p/2)
        model.add_bool_and([a_odd, g_odd]).only_enforce_if(ag_odd)
        model.add_bool_or([a_odd.negated(), g_odd.negated(), ag_odd])
        low = var(0, used // 2, "y0")
        model.add(low == p_half).only_enforce_if(ag_odd)
        model.add(low == 0).only_enforce_if(ag_odd.negated())
        square = product(p, p, used * used, "p_squared")
        gaps = var(1, n, "group_pairs_divisor")  # g - 1 (1 for one group, where it is unused)
        model.add(gaps == g - 1).only_enforce_if(groups_many)
        model.add(gaps == 1).only_enforce_if(groups_many.negated())
        c0 = var(0, used * used, "c0")  # c0 = floor(a*h/(g-1)) links per group pair
        model.add_division_equality(c0, ah, gaps)
        quad = used ** 4
        global_load = product(pa, pa, quad, "global_load")  # (a p)^2
        local_load = var(0, 3 * quad, "local_load")  # 2 a p^2 h + p^2 c0
        model.add(local_load == 2 * product(ah, square, quad, "ahp2") + product(square, c0, quad, "p2c0"))

        def beyond(name: str, rest: Any, scale: int, deficit: Any, strict: int, when: list[Any]) -> None:
            """scale * rest / C >= deficit (+ strict: more than), C = max((a p)^2, 2 a p^2 h + p^2 c0 for
            a > 1) / c0 for several groups, p^2 for one group of several switches."""
            most = bounds["units"] * bounds["ah"]
            spread = product(rest, c0, most, f"{name}_spread")  # c0 * rest
            need_most = 3 * quad * bounds["deficit"]
            model.add(scale * spread >= product(global_load, deficit, need_most, f"{name}_global") + strict
                      ).only_enforce_if([on, groups_many, *when])
            model.add(scale * spread >= product(local_load, deficit, need_most, f"{name}_local") + strict
                      ).only_enforce_if([on, groups_many, a_many, *when])
            model.add(scale * rest >= product(square, deficit, need_most, f"{name}_one_group") + strict
                      ).only_enforce_if([on, groups_many.negated(), a_many, *when])

        # term(y0) >= need: ceil((T - y0(y0 + N mod 2))/C) >= M = need - floor(rho*y0), i.e. the quotient
        # is more than M - 1 when M >= 1
        low_odd = var(0, used // 2 + 1, "y0_odd")
        model.add(low_odd == low + n_odd)
        rest = var(0, bounds["units"], "units_left")  # T - y0(y0 + N mod 2) >= 0
        model.add(rest == units - product(low, low_odd, (used // 2) * (used // 2 + 1), "y0_pairs"))
        floor_low = var(0, rho.numerator * used, "rho_y0")  # floor(rho*y0)
        model.add(rho.denominator * floor_low <= rho.numerator * low)
        model.add(rho.denominator * floor_low >= rho.numerator * low - rho.denominator + 1)
        short = var(0, bounds["need"], "short")  # max(0, M - 1)
        model.add_max_equality(short, [need - floor_low - 1, 0])
        short_some = model.new_bool_var(f"short_some_{r}")  # M >= 1
        model.add(need - floor_low >= 1).only_enforce_if(short_some)
        model.add(need - floor_low <= 0).only_enforce_if(short_some.negated())
        beyond("y0", rest, 1, short, 1, [short_some])
        # phi(y0 + 1) and phi(floor(N/2) - 1) >= need when y0 + 1 <= floor(N/2) - 1
        inner = model.new_bool_var(f"inner_cuts_{r}")
        model.add(low + 2 <= half).only_enforce_if(inner)
        model.add(low + 2 > half).only_enforce_if(inner.negated())
        for name, at in (("y0_next", low + 1), ("half_last", half - 1)):
            at_var = var(-1, half_n, f"{name}_y")
            model.add(at_var == at)
            at_odd = var(-1, half_n + 1, f"{name}_y_odd")
            model.add(at_odd == at_var + n_odd)
            pairs = var(-(half_n + 1), half_n * (half_n + 1), f"{name}_pairs")
            model.add_multiplication_equality(pairs, [at_var, at_odd])
            left = var(-(half_n + 1), bounds["units"] + half_n + 1, f"{name}_units_left")
            model.add(left == units - pairs)
            left_used = var(0, bounds["units"], f"{name}_units_left_inner")  # >= 0 when inner
            model.add(left_used == left).only_enforce_if(inner)
            model.add(left_used == 0).only_enforce_if(inner.negated())
            lack = var(0, bounds["deficit"], f"{name}_deficit")  # max(0, rho_d*need - rho_n*y)
            model.add_max_equality(lack, [rho.denominator * need - rho.numerator * at_var, 0])
            beyond(name, left_used, rho.denominator, lack, 0, [inner])
        # cost: g*a(a-1)/2 intra-group and a*h*g/2 global links
        intra = var(0, top_n * used, "intra_links")
        model.add(2 * intra == product(switches, a - 1, top_n * used, "intra_ends"))
        glob = var(0, top_n * used, "global_links")
        model.add(2 * glob == product(ah, g, top_n * used, "global_ends"))
        spend = (switches * pr.switch_cents + endpoints * pr.endpoint_cable_cents
                 + intra * pr.electric_link_cents + glob * pr.optical_link_cents)
        top_cost = top_n * (pr.switch_cents + pr.endpoint_cable_cents
                            + used * (pr.electric_link_cents + pr.optical_link_cents))
        cost = var(0, min(top_cost, 2**62), "cost")
        model.add(cost == spend).only_enforce_if(on)
        model.add(cost >= least_cost).only_enforce_if(on)
        model.add(cost == 0).only_enforce_if(off)
        sized_switches = var(0, top_n, "sized_switches")
        model.add(sized_switches == switches).only_enforce_if(on)
        model.add(sized_switches == 0).only_enforce_if(off)
        sized_endpoints = var(0, top_n, "sized_endpoints")
        model.add(sized_endpoints == endpoints).only_enforce_if(on)
        model.add(sized_endpoints == 0).only_enforce_if(off)
        for name, value in c.size.items():
            model.add_hint({"p": p, "a": a, "h": h, "g": g}[name], value)
        power = None
        if c.powers is not None:  # the same counts at unit powers (milliwatts)
            w = c.powers
            most = top_n * (w.switch_cents + w.endpoint_cable_cents + used * (w.electric_link_cents
                                                                           + w.optical_link_cents))
            power = var(0, min(most, 2**62), "power")
            model.add(power == switches * w.switch_cents + endpoints * w.endpoint_cable_cents
                      + intra * w.electric_link_cents + glob * w.optical_link_cents).only_enforce_if(on)
            model.add(power == 0).only_enforce_if(off)
        base = used + 1
        return SizedVars(use, {"p": p, "a": a, "h": h, "g": g}, cost, sized_switches, sized_endpoints,
                         tiebreaks=(endpoints + intra + glob, p * base * base + a * base + h),
                         variable_endpoints=True, power=power)

    @classmethod
    def sizing_label(cls, candidate: Candidate) -> str:
        s, z = candidate.shape, candidate.size
        if candidate.decided and not z:
            return f"p, a, h, g by the solver on k={s['k']}"
        p, a, h = (z["p"], z["a"], z["h"]) if candidate.decided else (s["p"], s["a"], s["h"])
        return f"p={p} a={a} h={h} g={z['g']}"

    @classmethod
    def sizing_note(cls, candidate: Candidate) -> str:
        s, z = candidate.shape, candidate.size
        p, a, h = (z["p"], z["a"], z["h"]) if candidate.decided else (s["p"], s["a"], s["h"])
        return f"{z['g']} group{'s' * (z['g'] != 1)} of {a} switch{'es' * (a != 1)}, p={p}, h={h}"

    @classmethod
    def sizing_parameters(cls, candidate: Candidate, endpoints_per_node: int) -> dict[str, Any]:
        s, z = candidate.shape, candidate.size
        if candidate.decided:
            return {"p": z["p"], "a": z["a"], "h": z["h"], "g": z["g"]}
        return {"p": s["p"], "a": s["a"], "h": s["h"], "g": z["g"]}

    @classmethod
    def sizing_roles(cls, candidate: Candidate) -> dict[str, int]:
        z = candidate.size
        return {"switch": z["a"] * z["g"] if candidate.decided else candidate.num_switches}

    def build(self) -> SwitchGraph:
        """Switches ``g<group>-sw<index>`` (switch s of group i is number i*a + s); bundles sorted by
        their two ends: the intra-group full mesh of each switch, then its global links (``global_links``;
        parallel links between two switches make one bundle)."""
        import numpy as np

        from topoctl.topologies.graph import SwitchGraph, edges_from_keys, object_array

        a, g = self.a, self.g
        n = a * g
        s, t = np.triu_indices(a, 1)  # every pair inside a group, row by row
        base = np.arange(0, n, a, dtype=np.int64)[:, None]
        local = ((base + s) * n + (base + t)).ravel()
        gi, si, gj, sj = self.global_links()  # gi < gj: the lower end first
        far = np.sort((gi * a + si) * n + (gj * a + sj))
        glob_u, glob_v, glob_count = edges_from_keys(far, n)
        # merge two sorted key lists; a switch's own group comes before every later group
        where = np.searchsorted(local, glob_u * n + glob_v) + np.arange(len(glob_u))
        is_global = np.zeros(len(local) + len(glob_u), dtype=bool)
        is_global[where] = True
        keys = np.empty(len(is_global), dtype=np.int64)
        keys[~is_global] = local
        keys[is_global] = glob_u * n + glob_v
        count = np.ones(len(keys), dtype=np.int64)
        count[is_global] = glob_count
        groups = object_array(["intra-group", "global"])[is_global.view(np.int8)]
        return SwitchGraph(
            names=tuple(f"g{grp}-sw{sw}" for grp in range(g) for sw in range(a)),
            roles=object_array(["switch"], [n]),
            endpoints=np.full(n, self.p, dtype=np.int64),
            planes=np.full(n, -1, dtype=np.int64),
            pods=np.repeat(np.arange(g, dtype=np.int64), a),
            edge_u=keys // n,
            edge_v=keys % n,
            edge_count=count,
            edge_groups=groups,
            pod_kind="group",
        )
