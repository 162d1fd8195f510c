"""Family structures a sizing request can use, each with its closed-form minimal sizing.

A candidate fixes the discrete shape of a design (switch model and breakout, family, tiers, planes,
ports per endpoint, leaf down/up split; dragonfly p, a, h; slim fly q). The CP-SAT model
(``model.py``) then sizes it with integer variables (switches per tier, groups, endpoints per switch)
and chooses among candidates. The closed forms here compute the same sizing directly; they prune shapes
that break a structural limit, explain infeasibility, and let tests check the solver independently.

Closed forms (each family module cites its paper):
- fat tree, two tiers, per plane of n endpoint ports: L = ceil(n/d) leaves, S spines (the smallest
  divisor of u with S*k >= L*u), L*u links; at most k leaves (k*d endpoints). Al-Fares et al. 2008;
  topologies/fat_tree.py, whose uniform construction makes its closed-form bisection exact.
- fat tree, three tiers: D = ceil(ceil(n/d)/(k/2)) pods of E_p = ceil(ceil(n/d)/D) edges and u
  aggregation switches, u groups of C cores (the smallest divisor of E_p with C*k >= D*E_p), D*E_p*u
  links per layer; at most k pods.
- multi-plane fat tree: P planes of n = N*m/P endpoint ports (Zhao et al., ISCA 2025, Table 3).
- dragonfly: g groups of a switches, p*a*g endpoints, a*g switches, g*a(a-1)/2 + a*h*g/2 links,
  g <= a*h + 1, a*h*g even (Kim et al., ISCA 2008); the bisection is its proven congestion lower bound.
- slim fly: 2q^2 switches, 2q^2*p endpoints, q^2(3q - delta)/2 links (Besta & Hoefler, SC 2014).

Bisection ratio is the report's: bisection links x port speed over N/2 x endpoint bandwidth.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from math import ceil
from typing import Any

from topoctl.catalog import PriceBook
from topoctl.errors import SpecError, TopoctlError
from topoctl.optimize.requirement import Requirement, SwitchConfig
from topoctl.topologies.base import bisection_demand_ports
from topoctl.topologies.dragonfly import Dragonfly
from topoctl.topologies.fat_tree import FatTree, smallest_divisor_at_least
from topoctl.topologies.galois import is_prime_power
from topoctl.topologies.slim_fly import delta_of

__all__ = ["Prices", "Candidate", "Deadline", "SizingTimeLimitError", "enumerate_candidates", "UNIVERSE_MAX_PLANES"]

# Planes explored when explaining an infeasible request (the smallest relaxation may exceed the limit).
UNIVERSE_MAX_PLANES = 64
FAMILY_ORDER = ("fat_tree", "multiplane_fat_tree", "dragonfly", "slim_fly")


class SizingTimeLimitError(TopoctlError):
    """Sizing did not finish within the time limit."""


@dataclass(frozen=True)
class Deadline:
    """When sizing must stop (time.monotonic seconds), so the time limit bounds the enumeration of shapes
    too, not only the solver: a radix of thousands has millions of shapes."""

    at: float
    limit_s: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(time.monotonic() + seconds, seconds)

    def remaining_s(self) -> float:
        return self.at - time.monotonic()

    def check(self, what: str) -> None:
        if self.remaining_s() < 0:
            raise SizingTimeLimitError(
                f"sizing passed its {self.limit_s:g} s time limit while {what}; narrow the request "
                "(a smaller radix, fewer --max-planes or --max-ports-per-endpoint) or raise --time-limit"
            )


def _cents(value_usd: float, what: str) -> int:
    cents = round(value_usd * 100)
    if abs(value_usd * 100 - cents) > 1e-6:
        raise SpecError(f"{value_usd} is not a whole number of cents; the sizer prices in integer cents", path=what)
    return cents


@dataclass(frozen=True)
class Prices:
    """Unit prices in integer cents (CP-SAT needs integers); an optical link is fibre + 2 transceivers."""

    switch_cents: int
    endpoint_cable_cents: int
    electric_link_cents: int
    optical_link_cents: int

    @classmethod
    def of(cls, switch: SwitchConfig, book: PriceBook) -> Prices:
        return cls(
            switch_cents=_cents(switch.price_usd, f"switches[{switch.index}].price_usd"),
            endpoint_cable_cents=_cents(book.endpoint_cable_usd, "prices.endpoint_cable_usd"),
            electric_link_cents=_cents(book.electric_cable_usd, "prices.electric_cable_usd"),
            optical_link_cents=_cents(book.optical_cable_usd, "prices.optical_cable_usd")
            + 2 * _cents(book.transceiver_usd, "prices.transceiver_usd"),
        )


@dataclass(frozen=True)
class Candidate:
    """One shape with its minimal sizing. ``shape`` holds the fixed structure, ``size`` the integer
    sizing (what the solver must reproduce), the rest the closed-form metrics of that sizing."""

    family: str
    kind: str  # tree2, tree3, dragonfly, slim_fly: which sizing sub-model applies
    switch: SwitchConfig
    prices: Prices
    shape: dict[str, int]
    size: dict[str, int]
    num_endpoints: int  # the design's endpoints (direct networks may hold more than requested)
    num_switches: int
    cost_cents: int
    bisection_ratio: Fraction
    spare_ports: Fraction  # unused switch ports / all switch ports
    blast_radius: int  # most endpoints disconnected by one switch failure
    hops: int
    tiers: int  # 1 for direct networks
    planes: int
    ports_per_endpoint: int
    rank: int = field(default=0, compare=False)

    def label(self) -> str:
        s = self.shape
        if self.kind in ("tree2", "tree3"):
            base = f"{self.tiers}-tier, {s['down']}:{s['up']} on k={s['k']}"
            if self.planes > 1:
                base = f"{self.planes} planes x {base}, {self.ports_per_endpoint} port(s)/endpoint"
        elif self.kind == "dragonfly":
            base = f"p={s['p']} a={s['a']} h={s['h']} g={self.size['g']}"
        else:
            base = f"q={s['q']} p={self.size['p']}"
        return f"{self.family} {base} [{self.switch.name}]"

    def design_parameters(self, endpoints_per_node: int) -> dict[str, Any]:
        """The family parameters that rebuild this design through the normal library path."""
        s = self.shape
        if self.kind in ("tree2", "tree3"):
            d, u = s["down"], s["up"]
            over: int | float = d // u if d % u == 0 else d / u
            params: dict[str, Any] = {"k": s["k"], "tiers": self.tiers, "oversubscription": over}
            if self.family == "multiplane_fat_tree":
                params = {"planes": self.planes, **params, "endpoints_per_node": endpoints_per_node,
                          "ports_per_endpoint": self.ports_per_endpoint}
            return {**params, "endpoints": self.num_endpoints}
        if self.kind == "dragonfly":
            return {"p": s["p"], "a": s["a"], "h": s["h"], "g": self.size["g"]}
        return {"q": s["q"], "p": self.size["p"]}

    def per_tier(self) -> dict[str, int]:
        """Switches by role, as the family's counts name them."""
        z, p = self.size, self.planes
        if self.kind == "tree2":
            return {"leaf": p * z["leaves"], "spine": p * z["spines"]}
        if self.kind == "tree3":
            u = self.shape["up"]
            return {"edge": p * z["edges"], "aggregation": p * z["pods"] * u, "core": p * u * z["core_groups"]}
        return {"switch": self.num_switches}


def _ratio(bisection_links: int | Fraction, port_gbps: Fraction, endpoints: int, endpoint_gbps: Fraction) -> Fraction:
    """The report's bisection ratio of a single-plane design (topologies.base.bisection_ratio), exactly."""
    demand = bisection_demand_ports(endpoints)
    return Fraction(bisection_links) * port_gbps / (demand * endpoint_gbps) if demand else Fraction(1)


def _cut_needed(ratio: Fraction, endpoints: int, port_gbps: Fraction, endpoint_gbps: Fraction) -> int:
    """Fewest cut links giving the bisection ratio: cut x port >= ratio x floor(N/2) x endpoint speed."""
    need = ratio * bisection_demand_ports(endpoints) * endpoint_gbps / port_gbps
    return -(-need.numerator // need.denominator)


def _proven_cut(k: int, p: int, a: int, h: int, g: int, rho: Fraction = Fraction(1)) -> int:
    """The dragonfly's proven bisection in links: its congestion lower bound. Its closed-form cut is
    only an upper bound, so sizing never relies on it."""
    return int(Dragonfly(radix=k, p=p, a=a, h=h, g=g).bisection_lower_bound(float(rho))[0])


def _fewest_h(a: int, g: int, need: int) -> int:
    """A lower bound on the h whose dragonfly cut (topologies/dragonfly.py) can reach ``need`` links (the
    upper-bound cut, so also for the proven lower bound below it).
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


_SKIP = object()  # a tree that breaks the hop or blast-radius limit (the model could never take it)


def _tree(req: Requirement, sw: SwitchConfig, prices: Prices, tiers: int, planes: int, ports: int, k: int, down: int, speed: Fraction, prune: bool) -> Any:
    """The fat tree on k of the switch's ports with ``down`` leaf ports down; None beyond its maximum;
    with ``prune``, _SKIP if it breaks the hop or blast-radius limit."""
    n_total = req.num_endpoints
    up = k - down
    n = n_total * ports // planes  # endpoint ports per plane
    port_speed = Fraction(sw.port_speed_gbps)
    if tiers == 2:
        leaves = -(-n // down)
        if leaves > k:
            return None  # beyond the two-tier maximum k*d
        spines = smallest_divisor_at_least(up, -(-leaves * up // k))
        size = {"leaves": leaves, "spines": spines}
        per_plane = leaves + spines
        electric, optical = 0, leaves * up
        busiest = -(-n // leaves)
        blast = n if leaves == 1 else max(busiest, n - busiest if spines == 1 else 0)
        hops = 0 if leaves == 1 else 2
    else:
        pods = -(-(-(-n // down)) // (k // 2))
        if pods > k:
            return None  # beyond the three-tier maximum k*(k/2)*d
        first_pod = -(-(-(-n // down)) // pods)  # every pod has this many edges
        edges = pods * first_pod
        groups = smallest_divisor_at_least(first_pod, -(-edges // k))
        size = {"edges": edges, "pods": pods, "core_groups": groups}
        per_plane = edges + pods * up + up * groups
        electric = optical = edges * up
        busiest = -(-n // edges)
        small, extra = divmod(n, edges)  # leaves carry small or small + 1 endpoints, fuller ones first
        biggest_pod = first_pod * small + min(first_pod, extra)
        blast = n if edges == 1 else busiest
        if up == 1:
            blast = max(blast, min(biggest_pod, n - busiest))
            if groups == 1 and pods > 1:
                blast = max(blast, n - biggest_pod)
        hops = 4 if pods > 1 else (0 if edges == 1 else 2)
    if ports > 1:
        blast = 0  # every endpoint keeps its ports in the other planes
    if prune and ((req.max_hops is not None and hops > req.max_hops)
                  or (req.max_blast_radius is not None and blast > req.max_blast_radius)):
        return _SKIP
    switches = planes * per_plane
    links = planes * (electric + optical)
    cost = (
        switches * prices.switch_cents
        + n_total * ports * prices.endpoint_cable_cents
        + planes * electric * prices.electric_link_cents
        + planes * optical * prices.optical_link_cents
    )
    total_ports = switches * sw.radix  # ports beyond k stay idle
    used = n_total * ports + 2 * links
    # the family's exact bisection per plane (FatTree.bisection, endpoint links at r/c cable), the same
    # in every plane, over floor(n/2) endpoint ports per plane (topologies.base.bisection_demand_ports)
    plane = FatTree(radix=k, k=k, tiers=tiers, down=down, up=up, num_endpoints=n)
    cut = plane.bisection(speed / port_speed).links
    ratio = _ratio(cut, port_speed, n, speed)
    family = "fat_tree" if planes == 1 else "multiplane_fat_tree"
    return Candidate(
        family, f"tree{tiers}", sw, prices, {"k": k, "down": down, "up": up, "n_plane": n}, size,
        n_total, switches, cost, ratio, Fraction(total_ports - used, total_ports), blast, hops, tiers, planes, ports,
    )


def _tree_candidates(req: Requirement, sw: SwitchConfig, prices: Prices, max_tiers: int, max_planes: int, max_ports: int, speed: Fraction, *, universe: bool = False, deadline: Deadline | None = None) -> list[Candidate]:
    out = []
    n, g = req.num_endpoints, req.endpoints_per_node
    for tiers in range(2, max_tiers + 1):
        k = sw.radix if tiers == 2 else sw.radix - sw.radix % 2
        for planes in range(1, max_planes + 1):
            if planes > 1 and n % g:
                continue  # a multi-plane fabric takes whole nodes
            for ports in range(1, min(planes, max_ports) + 1):
                if planes % ports or (planes > 1 and (g * ports) % planes) or (planes == 1 and ports > 1):
                    continue
                if (n * ports) % planes:
                    continue
                # every leaf split d:u on k <= radix ports (the rest idle): a smaller k can be cheaper
                # when the blast radius caps d and the bisection needs fewer uplinks than radix - d
                # beyond the requirement's planes and ports (explaining infeasibility) only k = radix
                beyond = universe and (planes > req.max_planes or ports > req.max_ports_per_endpoint)
                for k_used in range(k if beyond else 2, k + 1, 1 if tiers == 2 else 2):
                    if deadline is not None:
                        deadline.check(f"enumerating fat-tree shapes ({tiers} tiers, {planes} planes, k={k_used})")
                    for down in range(k_used - 1, 0, -1):
                        cand = _tree(req, sw, prices, tiers, planes, ports, k_used, down, speed, not universe)
                        if cand is None:
                            break  # fewer down ports only need more leaves
                        if cand is not _SKIP:
                            out.append(cand)
    return out


def _dragonfly_candidates(req: Requirement, sw: SwitchConfig, prices: Prices, speed: Fraction, deadline: Deadline | None = None) -> list[Candidate]:
    """Per (p, a) and per parity of a*h: the fewest groups g that hold N with a*h*g even, and the fewest
    global ports h that reach them (g <= a*h + 1) and meet the bisection ratio (more h only adds cables
    and uses ports; the most h if none meets it). The bisection is the family's proven lower bound."""
    n, k = req.num_endpoints, sw.radix
    port_speed = Fraction(sw.port_speed_gbps)
    out = []
    for p in range(1, k + 1):
        if deadline is not None:
            deadline.check(f"enumerating dragonfly shapes (p={p} of up to {k})")
        for a in range(1, k - p + 2):
            h_max = k - p - a + 1
            g0 = -(-n // (p * a))
            chosen: dict[int, tuple[int, int]] = {}  # g -> (h, cut) for the fewest h found
            fallback: dict[int, tuple[int, int]] = {}
            need = {g: _cut_needed(req.bisection_ratio, p * a * g, port_speed, speed) for g in (g0, g0 + 1)}
            h_reach = 0 if g0 == 1 else max(1, -(-(g0 - 1) // a))  # g0 <= a*h + 1
            h_first = h_reach
            if g0 > 1:  # skip h whose cut cannot reach what either g needs
                h_first = max(h_first, min(_fewest_h(a, g, need[g]) for g in (g0, g0 + 1)))
            for h in range(h_first, h_max + 1):
                g = g0 if (a * h * g0) % 2 == 0 else g0 + 1
                if g in chosen or g > a * h + 1 or (g == 1) != (h == 0):
                    continue
                cut = _proven_cut(k, p, a, h, g, speed / port_speed)
                if cut >= need[g]:
                    chosen[g] = (h, cut)
                    if len(chosen) == 2 or g0 == 1 or a % 2 == 0 or g0 % 2 == 0:  # g can only be g0
                        break
            for h in range(h_max, max(h_reach, h_max - 2) - 1, -1):  # most h: the best cut, if none meets
                g = g0 if (a * h * g0) % 2 == 0 else g0 + 1
                if g not in chosen and g not in fallback and g <= a * h + 1 and (g == 1) == (h == 0):
                    fallback[g] = (h, _proven_cut(k, p, a, h, g, speed / port_speed))
            for g, (h, cut) in sorted({**fallback, **chosen}.items()):
                total, switches = p * a * g, a * g
                intra, glob = g * a * (a - 1) // 2, a * h * g // 2
                cost = (switches * prices.switch_cents + total * prices.endpoint_cable_cents
                        + intra * prices.electric_link_cents + glob * prices.optical_link_cents)
                hops = (3 if a > 1 else 1) if g > 1 else (1 if a > 1 else 0)
                blast = total if switches == 1 else p
                out.append(Candidate(
                    "dragonfly", "dragonfly", sw, prices, {"p": p, "a": a, "h": h, "k": k}, {"g": g},
                    total, switches, cost, _ratio(cut, port_speed, total, speed),
                    Fraction(k - (p + a - 1 + h), k), blast, hops, 1, 1, 1,
                ))
    return out


def _slim_fly_candidates(req: Requirement, sw: SwitchConfig, prices: Prices, speed: Fraction) -> list[Candidate]:
    """Per prime power q (q mod 4 != 2): the fewest endpoints per switch p that hold N."""
    n, k = req.num_endpoints, sw.radix
    port_speed = Fraction(sw.port_speed_gbps)
    out = []
    for q in range(3, k + 1):
        delta = delta_of(q)
        if delta is None or not is_prime_power(q):
            continue
        k_net = (3 * q - delta) // 2
        p = ceil(n / (2 * q * q))
        if k_net + p > k:
            continue
        hi, lo = ceil(q / 2), q // 2
        total, switches = 2 * q * q * p, 2 * q * q
        # topologies/slim_fly.py: the better explicit balanced cut, half the columns or every endpoint link
        # of one half (endpoint links at r/c cable)
        cut = min(Fraction(q * (hi * hi + lo * lo)), speed / port_speed * (total // 2))
        links = q * q * (q - delta) // 2 + q**3
        cost = switches * prices.switch_cents + total * prices.endpoint_cable_cents + links * prices.optical_link_cents
        out.append(Candidate(
            "slim_fly", "slim_fly", sw, prices, {"q": q, "delta": delta, "k_net": k_net, "k": k}, {"p": p},
            total, switches, cost, _ratio(cut, port_speed, total, speed), Fraction(k - k_net - p, k), p, 2, 1, 1, 1,
        ))
    return out


def enumerate_candidates(req: Requirement, *, universe: bool = False, deadline: Deadline | None = None) -> list[Candidate]:
    """Every shape within the requirement's structural limits (``universe``: within generous limits and
    all families, for explaining infeasibility), ranked in a fixed order for deterministic tie-breaks;
    SizingTimeLimitError past ``deadline``."""
    speed = Fraction(req.speed_gbps())
    families = FAMILY_ORDER if universe else tuple(f for f in FAMILY_ORDER if f in req.families)
    max_tiers = 3 if universe else req.max_tiers
    max_planes = max(UNIVERSE_MAX_PLANES, req.max_planes) if universe else req.max_planes
    max_ports = max_planes if universe else req.max_ports_per_endpoint
    book = req.price_book()
    out: list[Candidate] = []
    for sw in req.switch_configs():
        prices = Prices.of(sw, book)
        if "fat_tree" in families or "multiplane_fat_tree" in families:
            planes = max_planes if "multiplane_fat_tree" in families else 1
            trees = _tree_candidates(req, sw, prices, max_tiers, planes, max_ports, speed, universe=universe, deadline=deadline)
            out += [c for c in trees if c.family in families]
        if "dragonfly" in families:
            out += _dragonfly_candidates(req, sw, prices, speed, deadline)
        if "slim_fly" in families:
            out += _slim_fly_candidates(req, sw, prices, speed)
    return [Candidate(**{**c.__dict__, "rank": i}) for i, c in enumerate(out)]
