"""Slim fly: the McKay-Miller-Siran (MMS) diameter-2 graphs over GF(q).

References: M. Besta, T. Hoefler, "Slim Fly: A Cost Effective Low-Diameter Network Topology", SC 2014;
B. D. McKay, M. Miller, J. Siran, "A note on large graphs of diameter two and given maximum degree",
J. Combin. Theory B 74 (1998); J. Hafner, "Geometric realisations of the Hoffman-Singleton graph" (q=5).

Symbols: ``q`` a prime power with q = 4w + delta, delta in {-1, 0, 1}; network radix
k' = (3q - delta)/2; ``p`` endpoints per switch (default ceil(k'/2)). Switches (s, x, y) for s in {0, 1}
and x, y in GF(q), 2q^2 in all; with a primitive element xi and generator sets X, X' (even and odd
powers of xi, as in Besta & Hoefler, Section 2.1):
  (0, x, y) ~ (0, x, y')  iff  y - y' in X
  (1, m, c) ~ (1, m, c')  iff  c - c' in X'
  (0, x, y) ~ (1, m, c)   iff  y = m*x + c
Counts: 2q^2 switches, N = 2q^2 p endpoints, q^2 (3q - delta)/2 links (q^2 (q - delta)/2 inside the
two subgraphs, q^3 between them). Diameter 2.

q must be a prime power; the DeepSeek-V3 paper's q = 28 is not, so with ``formula_only`` the counts
and closed forms are given and any step that needs the graph raises NotConstructibleError.

Example:
    >>> sf = SlimFly.from_parameters(SlimFly.Parameters(q=5), radix=64)
    >>> sf.counts().num_switches, sf.network_radix
    (50, 7)
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from math import ceil, floor
from typing import TYPE_CHECKING, Any

from pydantic import Field

from topoctl.errors import NotConstructibleError, SpecError
from topoctl.topologies.base import (
    OPTICAL,
    Bisection,
    BoundKind,
    Counts,
    FamilyParameters,
    FaultDomain,
    LinkGroup,
    Topology,
)
from topoctl.topologies.galois import GaloisField, is_prime_power
from topoctl.topologies.sizing import Candidate, Deadline, Prices, SizedVars, SizingRequest, SwitchConfig, ratio
from topoctl.topologies.spectral import fiedler_cut

if TYPE_CHECKING:  # numpy and the graph arrays stay out of the closed forms (design reports, compare)
    import numpy as np

    from topoctl.topologies.graph import SwitchGraph

__all__ = ["SlimFly", "SlimFlyParameters", "nearest_valid_q", "delta_of"]

MAX_Q = 10_000
# subtracted from lambda_2 computed and rounded to 6 decimals: a proven bound despite floating-point rounding
LAMBDA_MARGIN = 2e-6
SLACK = 1e-6  # what the character sums' conditions for lambda_2 = q must clear, far above their rounding


class SlimFlyParameters(FamilyParameters):
    """``q``: prime power, q mod 4 != 2 (default: the largest that fits the radix with the default p);
    ``p``: endpoints per switch (default ceil(k'/2))."""

    q: int | None = Field(default=None, ge=3, le=MAX_Q)
    p: int | None = Field(default=None, ge=1, le=4096)


def delta_of(q: int) -> int | None:
    """delta with q = 4w + delta, or None when q = 2 mod 4 (no MMS graph)."""
    return {0: 0, 1: 1, 3: -1}.get(q % 4)


def _valid(q: int) -> bool:
    return q >= 3 and delta_of(q) is not None and is_prime_power(q)


def nearest_valid_q(q: int) -> list[int]:
    """The closest valid q below and above (prime powers, q mod 4 != 2).

    >>> nearest_valid_q(28)  # the DeepSeek-V3 paper's q
    [27, 29]
    """
    below = next((x for x in range(q - 1, 2, -1) if _valid(x)), None)
    above = next(x for x in range(q + 1, 2 * q + 8) if _valid(x))
    return [x for x in (below, above) if x is not None]


def _network_radix(q: int, delta: int) -> int:
    return (3 * q - delta) // 2


@functools.lru_cache(maxsize=1024)
def mms_lambda_2(q: int) -> float:
    """lambda_2 of the Laplacian of the MMS graph over GF(q), a proven lower bound from its whole adjacency
    spectrum, without the graph; q itself wherever that is proven, which is every valid q up to 2,730.

    With A0 = I (x) C(S0) and A1 = I (x) C(S1) (circulants over GF(q)'s addition, S the symmetric
    generator sets, ``generator_sets``) and B[(x, y), (m, c)] = [y = m*x + c], each additive character
    psi of GF(q) (psi_b(z) = exp(2 pi i Tr(b z)/p); Lidl & Niederreiter, Theorem 5.7) spans an invariant
    space {a(x) psi(y)} + {b(m) psi(c)} on which A acts as [[alpha I, M], [M*, beta I]], alpha the sum of
    psi over S0, beta over S1, M[x, m] = psi(-m x). The trivial psi (M = J) gives k' = d + q, d - q and d
    (2q - 2 times), d = (q - delta)/2; any other has M M* = q I, so its eigenvalues are
    mu = (alpha + beta)/2 +- sqrt(((alpha - beta)/2)^2 + q), q times each. The graph is k'-regular, so
    lambda_2 = k' minus the second-largest eigenvalue, and that is d (lambda_2 = q) exactly when every
    character's mu+ <= d, that is when (d - alpha)(d - beta) >= q and alpha + beta <= 2d:
    - delta = 1: S0 are the squares, S1 the non-squares, so alpha + beta = -1 and alpha - beta is the
      quadratic Gauss sum, +-sqrt(q) (Lidl & Niederreiter, Theorem 5.15); then (d - alpha)(d - beta) - q =
      q(q - 5)/4 >= 0 for every such q (= 0 at q = 5: the Hoffman-Singleton graph's eigenvalue 2);
    - otherwise the sums, alpha(xi^i) = sum over xi^j in S0 of cos(2 pi Tr(xi^(i + j))/p), a cyclic
      correlation, are computed by FFT in O(q log q) (rounding about 1e-16 q log q): for p = 2 the
      characters are +-1, so the sums are integers, rounded exactly; for odd p the two conditions must
      hold with SLACK to spare (the least slack up to q = 2,730 is 6, at q = 3).
    Where neither proves it, the second-largest computed eigenvalue, the result rounded to 6 decimals and
    lowered by LAMBDA_MARGIN, far above both roundings. Tests compare it with the dense spectrum of the
    built graph."""
    delta = delta_of(q)
    if delta == 1:
        return float(q)
    import numpy as np

    field = GaloisField(q)
    sets = [np.array(g, dtype=np.int64) for g in generator_sets(q, field)]
    sets = [np.union1d(g, field.negated(g)) for g in sets]  # the cables run both ways
    d = len(sets[0])
    assert len(sets[1]) == d and d + q == _network_radix(q, delta), "the MMS graph is k'-regular"  # type: ignore[arg-type]
    exp = np.array(field.exp, dtype=np.int64)
    log = np.zeros(q, dtype=np.int64)
    log[exp] = np.arange(q - 1)
    p = field.characteristic
    wave = np.fft.fft(np.cos(2 * np.pi * field.traces(exp) / p))

    def character_sums(generators: np.ndarray) -> np.ndarray:
        indicator = np.zeros(q - 1)
        indicator[log[generators]] = 1.0
        sums = np.fft.ifft(np.conj(np.fft.fft(indicator)) * wave).real  # sum over j of ind[j] * wave[i + j]
        return np.rint(sums) if p == 2 else sums

    alpha, beta = character_sums(sets[0]), character_sums(sets[1])
    spare = 0.0 if p == 2 else SLACK
    if ((d - alpha) * (d - beta) - q).min() >= spare and (2 * d - alpha - beta).min() >= spare:
        return float(q)
    top = (alpha + beta) / 2 + np.sqrt(((alpha - beta) / 2) ** 2 + q)
    second = max(float(top.max()), float(d))
    # rounded to the 1e-6 grid first, so rounding noise of either sign gives the same bytes on any machine
    return max(0.0, round(d + q - second, 6) - LAMBDA_MARGIN)


def generator_sets(q: int, field: GaloisField) -> tuple[list[int], list[int]]:
    """X and X' (Besta & Hoefler 2014, Section 2.1), as field elements in generator order: even and odd
    powers of the primitive element xi (delta = 1, and 0 with the odd powers up to q - 1), or for delta =
    -1 (q = 4w - 1) the even powers below 2w - 1 and the odd from 2w - 1 (X), and the odd below 2w and
    the even from 2w (X')."""

    def powers(exponents: range) -> list[int]:
        return [field.exp[e % (q - 1)] for e in exponents]

    delta = delta_of(q)
    if delta == 1:
        return powers(range(0, q - 1, 2)), powers(range(1, q - 1, 2))
    if delta == 0:
        return powers(range(0, q - 1, 2)), powers(range(1, q, 2))
    w = (q + 1) // 4
    return (powers(range(0, 2 * w - 1, 2)) + powers(range(2 * w - 1, 4 * w - 2, 2)),
            powers(range(1, 2 * w, 2)) + powers(range(2 * w, 4 * w - 1, 2)))


@dataclass(frozen=True)
class SlimFly(Topology):
    """An MMS slim fly (see the module docstring).

    Example: q = 5 is the Hoffman-Singleton graph, 50 switches of network degree 7, 175 links, diameter 2:
        >>> sf = SlimFly.from_parameters(SlimFly.Parameters(q=5), radix=64)
        >>> sf.counts().num_switches, sf.network_radix, sf.counts().num_switch_links, sf.diameter_hops()
        (50, 7, 175, 2)
    """

    family = "slim_fly"
    summary = "slim fly (Besta & Hoefler 2014): MMS diameter-2 graph over GF(q)"
    Parameters = SlimFlyParameters

    q: int
    p: int
    formula_only: bool = False

    @classmethod
    def from_parameters(cls, params: SlimFlyParameters, radix: int, *, formula_only: bool = False) -> SlimFly:
        q = params.q if params.q is not None else cls._default_q(radix)
        delta = delta_of(q)
        if delta is None:
            raise SpecError(f"q={q} is 2 mod 4, so q = 4w + delta has no delta in -1, 0, 1; "
                            f"nearest valid: {', '.join(map(str, nearest_valid_q(q)))}", path="q")
        if not is_prime_power(q) and not formula_only:
            raise SpecError(
                f"q={q} is not a prime power; nearest valid: {', '.join(map(str, nearest_valid_q(q)))} "
                "(or set formula_only: true for counts by formula)",
                path="q",
            )
        k_net = _network_radix(q, delta)
        p = params.p if params.p is not None else ceil(k_net / 2)
        if k_net + p > radix:
            raise SpecError(
                f"k' + p = {k_net} + {p} = {k_net + p} ports exceed the switch radix {radix}", path="q"
            )
        return cls(radix=radix, q=q, p=p, formula_only=formula_only and not is_prime_power(q))

    @staticmethod
    def _default_q(radix: int) -> int:
        fits = [q for q in range(3, radix + 1) if _valid(q)
                and _network_radix(q, delta_of(q)) + ceil(_network_radix(q, delta_of(q)) / 2) <= radix]  # type: ignore[arg-type]
        if not fits:
            raise SpecError(f"no slim fly fits radix {radix} (q=3 needs 8 ports)", path="q")
        return fits[-1]

    @property
    def delta(self) -> int:
        return delta_of(self.q)  # type: ignore[return-value]

    @property
    def network_radix(self) -> int:
        return _network_radix(self.q, self.delta)

    @property
    def constructible(self) -> bool:
        return not self.formula_only

    def not_constructible_reason(self) -> str:
        if not self.formula_only:
            return ""
        nearest = ", ".join(map(str, nearest_valid_q(self.q)))
        return f"q={self.q} is not a prime power, so no MMS graph exists; nearest valid: {nearest}"

    @property
    def num_endpoints(self) -> int:
        return 2 * self.q**2 * self.p

    @classmethod
    def examples(cls) -> tuple[dict[str, Any], ...]:
        """Small variants for the family contract test (``Topology.examples``)."""
        return (
            dict(q=3, p=1),  # delta = -1
            dict(q=4),  # delta = 0, GF(2^2)
            dict(q=5, p=1),  # delta = 1, the Hoffman-Singleton graph
            dict(q=8, p=2),  # GF(2^3)
        )

    @property
    def variant(self) -> str:
        base = f"MMS slim fly, q={self.q} (delta={self.delta}), network radix {self.network_radix}, p={self.p}"
        return base + (", formula only, not constructible" if self.formula_only else "")

    def parameters(self) -> dict[str, Any]:
        return {
            "q": self.q,
            "p": self.p,
            "delta": self.delta,
            "network_radix": self.network_radix,
            "radix_used": self.network_radix + self.p,
        }

    def counts(self) -> Counts:
        q = self.q
        groups = (
            LinkGroup("intra-subgraph", q * q * (q - self.delta) // 2, OPTICAL),
            LinkGroup("inter-subgraph", q**3, OPTICAL),
        )
        return Counts(self.num_endpoints, {"switch": 2 * q * q}, groups, num_endpoint_links=self.num_endpoints)

    def diameter_hops(self) -> int:
        """2: the MMS graphs have diameter 2 (McKay, Miller, Siran 1998)."""
        return 2

    def mean_hops(self) -> float:
        """MMS graphs have diameter 2 and degree k': from a switch, k' switches at 1 hop and the other
        n - 1 - k' at 2 (McKay, Miller, Siran 1998); endpoints on the same switch are 0 hops apart."""
        n, p, k = 2 * self.q**2, self.p, self.network_radix
        total = n * p
        return p * (k + 2 * (n - 1 - k)) / (total - 1)

    def bisection_shares(self, endpoint_link_cables: float = 1.0) -> dict[str, tuple[float, bool]]:
        """Every switch has one cable to each column of the other subgraph, so it carries ceil(q/2) cables
        of the half-columns cut (column_cut); a cable carries one."""
        cut = self.column_cut()
        return {"switch": (-(-self.q // 2) / cut, True), "switch link": (1 / cut, True)}

    def column_cut(self) -> int:
        """Switch cables crossing the column partition: columns x of subgraph 0 in the first
        ceil(q/2) field elements and columns m of subgraph 1 in the first floor(q/2) on side A, q^2
        switches (half of them, so half the endpoints) for odd q too. Columns stay whole, so only links
        between subgraphs cross, q for each (x, m) pair on opposite sides (y = m*x + c has one
        solution y per c): q * (ceil(q/2)^2 + floor(q/2)^2), q^3/2 for even q (Besta & Hoefler report
        about the same from METIS)."""
        q = self.q
        hi, lo = ceil(q / 2), q // 2
        return q * (hi * hi + lo * lo)

    def bisection(self, endpoint_link_cables: float = 1.0) -> Bisection:
        """An upper bound: the better of two explicit balanced partitions, an endpoint link across the
        cut counting ``endpoint_link_cables`` = r/c of a cable. The column partition (``column_cut``;
        every switch holds p endpoints and each side q^2 switches, so it is balanced with no endpoint
        across), or every switch on one side with N/2 = q^2 p endpoints across, (r/c) q^2 p, which wins
        when p is small or endpoints are much slower than the ports (the ratio never exceeds 1). Beside
        it, the proven lower bound of Fiedler 1973 (topologies.spectral) on lambda_2 from the graph's
        spectrum (``laplacian_lambda_2``; none when formula-only)."""
        columns = self.column_cut()
        one_side = endpoint_link_cables * (self.num_endpoints // 2)
        if one_side < columns:
            links = one_side
            method = "explicit balanced cut: every switch on one side, N/2 endpoints across (upper bound)"
        else:
            links, method = columns, "explicit balanced cut: half the columns of each subgraph (upper bound)"
        lambda_2 = self.laplacian_lambda_2
        if lambda_2 is None:
            return Bisection(links, method, BoundKind.UPPER_BOUND)
        proven = fiedler_cut(lambda_2, 2 * self.q**2, self.p, endpoint_link_cables)
        # lambda_2 is q or lies on the 1e-6 grid (mms_lambda_2), so six decimals show it as it is
        shown = f"= {lambda_2:g}" if lambda_2 == self.q else f">= {lambda_2:.6f}"
        how = (f"lower bound: spectral, min over k switches on one side of lambda_2 * k(n-k)/n + r/c per endpoint "
               f"across (Fiedler 1973); lambda_2 {shown} from the MMS graph's spectrum by the additive "
               "characters of GF(q)")
        return Bisection(links, method, BoundKind.UPPER_BOUND, proven_links=min(proven, links), proven_method=how)

    def fault_domains(self) -> list[FaultDomain]:
        """A switch takes its p endpoints; the MMS graph stays connected without any one switch or link."""
        counts = self.counts()
        return [
            FaultDomain("endpoint port", self.num_endpoints, 1),
            FaultDomain("switch", counts.num_switches, self.p),
            FaultDomain("switch link", counts.num_switch_links, 0),
        ]

    # -- inverse sizing (topologies.sizing) ------------------------------------------------------------
    closed_form_limits = frozenset({"max_hops", "min_bisection_ratio"})

    @classmethod
    def candidates(cls, requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
                   deadline: Deadline | None = None) -> Iterator[Candidate]:
        """Per prime power q (q mod 4 != 2) whose network radix fits: the fewest endpoints per switch p that
        hold N. Counts as the module docstring gives them (Besta & Hoefler 2014): 2q^2 switches, 2q^2 p
        endpoints, q^2(3q - delta)/2 links. The bisection ratio is the proven one (``bisection``: Fiedler's
        bound on lambda_2 from the graph's spectrum, mms_lambda_2), so a candidate that cannot prove the
        requested ratio never reaches the solver (closed_form_limits) and no graph is built to prove it."""
        n, k = requirement.num_endpoints, switch.radix
        speed = requirement.endpoint_speed_gbps
        port_speed = Fraction(switch.port_speed_gbps)
        for q in range(3, k + 1):
            delta = delta_of(q)
            if delta is None or not is_prime_power(q):
                continue
            k_net = _network_radix(q, delta)
            p = ceil(n / (2 * q * q))
            if k_net + p > k:
                continue
            hi, lo = ceil(q / 2), q // 2
            total, switches = 2 * q * q * p, 2 * q * q
            # proven: Fiedler's bound, never above the better explicit balanced cut (half the columns, or
            # every endpoint link of one half at r/c cable)
            rho = speed / port_speed
            explicit = min(Fraction(q * (hi * hi + lo * lo)), rho * (total // 2))
            cut = min(explicit, Fraction(fiedler_cut(mms_lambda_2(q), switches, p, rho)))
            links = q * q * (q - delta) // 2 + q**3
            cost = (switches * prices.switch_cents + total * prices.endpoint_cable_cents
                    + links * prices.optical_link_cents)
            yield Candidate(
                cls, switch, prices, {"q": q, "delta": delta, "k_net": k_net, "k": k}, {"p": p},
                total, switches, cost, ratio(cut, port_speed, total, speed), Fraction(k - k_net - p, k), p, 2, 1, 1, 1,
            )

    @classmethod
    def size_model(cls, model: Any, candidate: Candidate, requirement: SizingRequest, use: Any) -> SizedVars:
        """p endpoints per switch, the fewest that hold N (two inequalities); the bisection ratio as a cap
        on p (the column cut over N/2 = q^2 p endpoints), the blast radius (a switch takes its p
        endpoints), spare ports and cost linear in p. Hops are checked by the closed form (2)."""
        c, req = candidate, requirement
        s, n = c.shape, req.num_endpoints
        q, k_net, k = s["q"], s["k_net"], s["k"]
        per_switch = model.new_int_var(0, k - k_net, f"p_{c.rank}")  # endpoints per switch, radix permitting
        on, switches = use, 2 * q * q
        model.add(switches * per_switch >= n).only_enforce_if(on)  # fewest p holding N
        model.add(switches * per_switch <= n + switches - 1).only_enforce_if(on)
        model.add(per_switch == 0).only_enforce_if(use.negated())
        r = req.bisection_ratio
        if r > 0:  # cut*port >= r * (N/2) * speed with N = 2q^2 p
            hi, lo = ceil(q / 2), q // 2
            cut = q * (hi * hi + lo * lo)
            bound = floor(cut * Fraction(c.switch.port_speed_gbps) / (r * q * q * req.endpoint_speed_gbps))
            model.add(per_switch <= bound).only_enforce_if(on)
        if req.max_blast_radius is not None:
            model.add(per_switch <= req.max_blast_radius).only_enforce_if(on)  # a switch takes its p endpoints
        spare = req.spare_ports
        free = spare.denominator - spare.numerator
        model.add(free * k >= spare.denominator * (k_net + per_switch)).only_enforce_if(on)
        pr = c.prices
        links = q * q * (q - s["delta"]) // 2 + q**3
        cost = ((switches * pr.switch_cents + links * pr.optical_link_cents) * use
                + switches * per_switch * pr.endpoint_cable_cents)
        return SizedVars(use, {"p": per_switch}, cost, switches * use, switches * per_switch)

    @classmethod
    def sizing_label(cls, candidate: Candidate) -> str:
        return f"q={candidate.shape['q']} p={candidate.size['p']}"

    @classmethod
    def sizing_note(cls, candidate: Candidate) -> str:
        return f"q={candidate.shape['q']}, p={candidate.size['p']} endpoints per switch"

    @classmethod
    def sizing_parameters(cls, candidate: Candidate, endpoints_per_node: int) -> dict[str, Any]:
        return {"q": candidate.shape["q"], "p": candidate.size["p"]}

    @classmethod
    def sizing_roles(cls, candidate: Candidate) -> dict[str, int]:
        return {"switch": candidate.num_switches}

    @property
    def laplacian_lambda_2(self) -> float | None:
        """lambda_2 of the switch graph's Laplacian, a proven lower bound (``mms_lambda_2``); None when
        formula-only."""
        return None if self.formula_only else mms_lambda_2(self.q)

    def build(self) -> SwitchGraph:
        """Switches ``s<subgraph>-<x>-<y>`` (number s*q^2 + x*q + y); the three adjacency rules of the
        module docstring. Bundles (one cable each) sorted by their lower end; a switch of subgraph 0
        lists its links inside the subgraph in generator order, then those to subgraph 1 in order."""
        import numpy as np

        from topoctl.topologies.graph import SwitchGraph, object_array

        if self.formula_only:
            raise NotConstructibleError(self.not_constructible_reason())
        field = GaloisField(self.q)
        q = self.q
        gen_x, gen_x2 = generator_sets(q, field)
        n, square = 2 * q * q, q * q
        columns = np.arange(q, dtype=np.int64) * q  # first switch of each column x (or m)

        def inside(subgraph: int, generators: list[int]) -> tuple[np.ndarray, np.ndarray]:
            # (x, y) ~ (x, y + e) for e in the generators, listed once from the lower y, in generator order
            ends = field.add[:, list(dict.fromkeys(generators))]
            y, which = np.nonzero(ends > np.arange(q)[:, None])
            first = subgraph * square + columns[:, None]
            return (first + y).ravel(), (first + ends[y, which]).ravel()

        u0, v0 = inside(0, gen_x)
        u1, v1 = inside(1, gen_x2)
        # (0, x, y) ~ (1, m, c) iff y = m*x + c; for each (x, m, c) the y is field.add[mul[m, x], c]
        y = field.add[field.mul.T[:, :, None], np.arange(q)[None, None, :]]
        cross_u = (columns[:, None, None] + y).ravel()
        cross_v = np.broadcast_to(square + columns[None, :, None] + np.arange(q)[None, None, :], y.shape).ravel()
        order = np.argsort(cross_u * n + cross_v, kind="stable")
        cross_u, cross_v = cross_u[order], cross_v[order]
        # a subgraph-0 switch: its links inside the subgraph first, then across (a stable merge by u)
        merged = np.argsort(np.concatenate([u0, cross_u]), kind="stable")
        edge_u = np.concatenate([np.concatenate([u0, cross_u])[merged], u1])
        edge_v = np.concatenate([np.concatenate([v0, cross_v])[merged], v1])
        inter = np.concatenate([np.zeros(len(u0), dtype=bool), np.ones(len(cross_u), dtype=bool)])[merged]
        groups = np.concatenate([object_array(["intra-subgraph", "inter-subgraph"])[inter.view(np.int8)],
                                 object_array(["intra-subgraph"], [len(u1)])])
        return SwitchGraph(
            names=tuple(f"s{sub}-{x}-{yy}" for sub in (0, 1) for x in range(q) for yy in range(q)),
            roles=object_array(["switch"], [n]),
            endpoints=np.full(n, self.p, dtype=np.int64),
            planes=np.full(n, -1, dtype=np.int64),
            pods=np.full(n, -1, dtype=np.int64),
            edge_u=edge_u,
            edge_v=edge_v,
            edge_count=np.ones(len(edge_u), dtype=np.int64),
            edge_groups=groups,
            labels=(("subgraph", np.repeat(np.arange(2, dtype=np.int64), square)),),
        )
