"""HyperX: switches on an L-dimensional lattice, each dimension a complete graph.

Reference: J. H. Ahn, N. Binkert, A. Davis, M. McLaren, R. S. Schreiber, "HyperX: topology, routing,
and packaging of efficient large-scale networks", SC 2009. Symbols: ``L`` dimensions, ``S`` switches
in each (S_1..S_L; a regular HyperX has S in every dimension), ``K`` parallel links between two
switches adjacent in a dimension, ``T`` endpoints per switch. Switches are the coordinate vectors
(x_1..x_L), 0 <= x_i < S_i, and two are adjacent iff they differ in exactly one coordinate: the Hamming
graph, the Cartesian product of the complete graphs K_{S_1} x ... x K_{S_L} (Bhuyan & Agrawal's
generalized hypercube, IEEE Trans. Computers 1984; S = 2 everywhere is the hypercube).

Ports used: T + K * sum(S_i - 1). Counts: P = prod S_i switches, N = T*P endpoints,
K * P * (S_i - 1) / 2 links in dimension i. Diameter: L (one hop per coordinate that differs).
Bisection: halving a dimension of even size S_i cuts K * (S_i/2)^2 * P/S_i = K*P*S_i/4 links, and the
congestion bound proves that the least, K*P*S_min/4, is the minimum when S_min is even (unless cutting
floor(N/2) endpoint links is cheaper; Ahn et al. give K*P*S/4 for the regular HyperX: a relative
bisection of K*S/(2T)). Odd sizes: an explicit nested cut above the proven K*P*S_min/4.

Example (the 3-cube with two endpoints per switch):
    >>> hx = HyperX.from_parameters(HyperX.Parameters(L=3, S=2, T=2), radix=8)
    >>> hx.counts().num_switches, hx.num_endpoints, hx.counts().num_switch_links, hx.diameter_hops()
    (8, 16, 12, 3)
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from pydantic import Field, field_validator

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
from topoctl.topologies.sizing import Candidate, Deadline, Prices, SizedVars, SizingRequest, SwitchConfig, ratio

if TYPE_CHECKING:  # numpy and the graph arrays stay out of the closed forms (design reports, compare)
    from topoctl.topologies.graph import SwitchGraph

__all__ = ["HyperX", "HyperXParameters"]

MAX_DIMENSIONS = 32
COORDINATE_LETTERS = "xyzw"  # switch names x1-y4 up to four dimensions, h1.4.0.2.3 beyond
LETTERED = len(COORDINATE_LETTERS)

MIN_SIZE, MAX_SIZE = 2, 4096  # switches in one dimension


class HyperXParameters(FamilyParameters):
    """``L`` dimensions (default 2, or the length of a list ``S``); ``S`` switches per dimension, one
    number (regular) or one per dimension (default: the largest regular S that fits the radix with the
    default T); ``K`` links between adjacent switches (default 1); ``T`` endpoints per switch (default
    floor(K*S_min/2), a full bisection for even S_min, within the ports left)."""

    L: int | None = Field(default=None, ge=1, le=MAX_DIMENSIONS)
    S: int | list[int] | None = None
    K: int = Field(default=1, ge=1, le=4096)
    T: int | None = Field(default=None, ge=1, le=4096)

    @field_validator("S", mode="before")
    @classmethod
    def _shape(cls, value: Any) -> Any:
        """A size or a list of sizes, so a wrong shape is refused at S (not at pydantic's ``S.int``)."""
        def whole(item: Any) -> bool:
            return isinstance(item, int) and not isinstance(item, bool)

        if value is None or whole(value) or (isinstance(value, list) and all(whole(item) for item in value)):
            return value
        message = "expected a size or a list of sizes, whole numbers"
        if isinstance(value, dict | list):  # spec.validation_error quotes a scalar input itself
            text = repr(value)
            message += f" (got {text if len(text) <= 60 else text[:57] + '...'})"  # cut: no flooding
        raise ValueError(message)

    @field_validator("S")
    @classmethod
    def _sizes(cls, value: int | list[int] | None) -> int | list[int] | None:
        sizes = value if isinstance(value, list) else [] if value is None else [value]
        if isinstance(value, list) and not 1 <= len(value) <= MAX_DIMENSIONS:
            raise ValueError(f"give 1 to {MAX_DIMENSIONS} sizes, one per dimension, not {len(value)}")
        bad = [size for size in sizes if not MIN_SIZE <= size <= MAX_SIZE]
        if bad:
            which = f", not {bad[0]}" if isinstance(value, list) else ""  # a lone value is quoted after the message
            raise ValueError(f"every size must be {MIN_SIZE} to {MAX_SIZE} switches{which}")
        return value


@dataclass(frozen=True)
class HyperX(Topology):
    """A HyperX (see the module docstring).

    Example: a 1-D HyperX is a complete graph, here K_4 with every link doubled (K = 2):
        >>> hx = HyperX.from_parameters(HyperX.Parameters(L=1, S=4, K=2, T=4), radix=10)
        >>> hx.parameters()
        {'L': 1, 'S': [4], 'K': 2, 'T': 4, 'radix_used': 10}
        >>> hx.counts().num_switch_links, hx.bisection().links, hx.bisection().kind.value
        (12, 8.0, 'exact')
    """

    family = "hyperx"
    summary = "HyperX (Ahn et al. 2009): Hamming graph, every dimension a complete graph"
    Parameters = HyperXParameters

    S: tuple[int, ...]
    K: int
    T: int

    @classmethod
    def from_parameters(cls, params: HyperXParameters, radix: int, *, formula_only: bool = False) -> HyperX:
        k, K = radix, params.K
        if isinstance(params.S, list):
            if params.L is not None and len(params.S) != params.L:
                raise SpecError(f"S lists {counted(len(params.S), 'dimension')} but L={params.L}; "
                                f"give L={len(params.S)} or {counted(params.L, 'size')}", path="S")
            dims = tuple(params.S)
        else:
            L = params.L if params.L is not None else 2
            size = params.S if params.S is not None else cls._default_size(L, K, params.T, k, params.L is not None)
            dims = (size,) * L
        network = K * sum(d - 1 for d in dims)
        T = params.T if params.T is not None else max(1, min(K * min(dims) // 2, k - network))
        if T + network > k:
            ports = f"K*sum(S_i - 1) = {K}*{network // K} = {network}"
            if network >= k:  # the links alone fill the radix: no T helps
                raise SpecError(f"{ports} link ports leave none of radix {k} for endpoints: lower K or S", path="S")
            if k <= T:  # T alone fills the radix
                raise SpecError(f"T={T} endpoints per switch leave none of radix {k} for the {ports} link ports; "
                                f"the largest valid T is {k - network}", path="T")
            raise SpecError(f"T + K*sum(S_i - 1) = {T} + {K}*{network // K} = {T + network} ports exceed radix {k}: "
                            f"lower T (to at most {k - network}), K or S", path="S")
        cls._check_endpoints(params, dims, T)
        return cls(radix=k, S=dims, K=K, T=T)

    @staticmethod
    def _check_endpoints(params: HyperXParameters, dims: tuple[int, ...], T: int) -> None:
        """The endpoint limit, naming what would bring N = T*prod(S_i) under it: fewer dimensions for a
        regular HyperX (even at S=2 the count doubles with each), fewer or smaller sizes for a list."""
        n = T * math.prod(dims)
        if n <= MAX_ENDPOINTS:
            return
        if isinstance(params.S, list):
            check_endpoints(n, f"a HyperX of S={list(dims)}, T={T}", "S",
                            "use fewer or smaller sizes in S, or a smaller T")
            return
        size, dims_most = dims[0], 0
        while T * size ** (dims_most + 1) <= MAX_ENDPOINTS:  # T*S <= 4096**2: at least one dimension fits
            dims_most += 1
        path = "L" if params.L is not None else "S" if params.S is not None else "T"
        others = ", or a smaller S or T" if size > MIN_SIZE else ", or a smaller T" if T > 1 else ""
        check_endpoints(n, f"a HyperX of {counted(len(dims), 'dimension')} of S={size}, T={T}", path,
                        f"use at most L={dims_most} at S={size}, T={T}{others}")

    @staticmethod
    def _default_size(L: int, K: int, T: int | None, radix: int, L_given: bool = True) -> int:
        """The largest S with T + K*L*(S - 1) <= radix, T the given one or floor(K*S/2)."""
        def fits(size: int) -> bool:
            return (T if T is not None else max(1, K * size // 2)) + K * L * (size - 1) <= radix

        if not fits(2):
            if T is not None and radix > K * L:  # the given T is what leaves too few ports
                raise SpecError(f"T + K*L = {T} + {K}*{L} = {T + K * L} ports exceed radix {radix} even at S=2; "
                                f"the largest valid T is {radix - K * L}", path="T")
            least = (T if T is not None else K) + K * L
            raise SpecError(f"T + K*L = {T if T is not None else K} + {K}*{L} = {least} ports exceed radix {radix} "
                            f"even at S=2{'' if T is not None else ' (T defaults to K there)'}: lower L or K",
                            path="L" if L_given else "K")
        size = 2
        while fits(size + 1):
            size += 1
        return size

    # -- shape -------------------------------------------------------------------------------------
    @property
    def L(self) -> int:
        return len(self.S)

    @property
    def num_switches(self) -> int:
        return math.prod(self.S)

    @property
    def num_endpoints(self) -> int:
        return self.T * self.num_switches

    @property
    def network_ports(self) -> int:
        return self.K * sum(d - 1 for d in self.S)

    @classmethod
    def examples(cls) -> tuple[dict[str, Any], ...]:
        """Small variants for the family contract test (``Topology.examples``)."""
        return (
            dict(L=1, S=4, T=2),  # the complete graph K_4
            dict(L=1, S=2, T=1),  # two switches, one link: it is a bridge
            dict(S=[2, 3], T=1),  # the 2 x 3 rook's graph
            dict(L=3, S=2, T=1),  # the 3-cube
            dict(L=2, S=3, K=2, T=3),  # odd sizes, doubled links
            dict(S=[3, 3, 3], T=1),  # 27 switches, every size odd
            dict(S=[4, 2, 3], T=2),  # mixed sizes
        )

    @property
    def variant(self) -> str:
        regular = len(set(self.S)) == 1
        shape = (f"S={self.S[0]} in {'the one dimension' if self.L == 1 else f'each of {self.L} dimensions'}"
                 if regular else f"S={list(self.S)}")
        return f"{'regular' if regular else 'irregular'} HyperX, {shape}, K={self.K}, T={self.T}"

    def parameters(self) -> dict[str, Any]:
        return {"L": self.L, "S": list(self.S), "K": self.K, "T": self.T, "radix_used": self.T + self.network_ports}

    def counts(self) -> Counts:
        switches = self.num_switches
        groups = tuple(LinkGroup(f"dim-{i + 1}", self.K * switches * (d - 1) // 2, OPTICAL)
                       for i, d in enumerate(self.S))
        return Counts(self.num_endpoints, {"switch": switches}, groups, num_endpoint_links=self.num_endpoints)

    def diameter_hops(self) -> int:
        """L: a shortest path corrects each differing coordinate once (every dimension has S_i >= 2)."""
        return self.L

    def mean_hops(self) -> float:
        """Hops between two switches = coordinates that differ; from a switch, P(S_i - 1)/S_i switches
        differ in coordinate i. Over the N - 1 other endpoints (T - 1 on the same switch at 0 hops):
        T * sum_i P(S_i - 1)/S_i / (N - 1)."""
        n, switches = self.num_endpoints, self.num_switches
        if n < 2:
            return 0.0
        return self.T * sum(switches * (d - 1) // d for d in self.S) / (n - 1)

    # -- bisection ---------------------------------------------------------------------------------
    def halving_cut(self) -> tuple[int, int] | None:
        """(dimension index, cables) of the cheapest cut halving a dimension of even size S_i: its P/S_i
        complete graphs K_{S_i} each split in two halves, K*(S_i/2)^2 cables each, K*P*S_i/4 in all.
        None when every size is odd."""
        even = [(self.K * self.num_switches * d // 4, i) for i, d in enumerate(self.S) if d % 2 == 0]
        if not even:
            return None
        cables, index = min(even)
        return index, cables

    def nested_cut(self) -> int:
        """Switch cables across the nested partition, sizes ascending: side A takes the first (S_1 - 1)/2
        slabs of the smallest dimension and, in its middle slab, recursively the same partition of the
        rest; at the first even dimension it takes half its slabs and stops. Balanced, ceil(P/2)
        switches on side A (P/2 if some size is even). A dimension of odd size S at a level of Q switches
        cuts K * (Q/S) * (S^2 - 1)/4 cables (each of its Q/S lines split (S+1)/2 : (S-1)/2), an even one
        K * (Q/S) * S^2/4."""
        total, level = 0, self.num_switches
        for d in sorted(self.S):
            lines = level // d
            if d % 2 == 0:
                return total + self.K * lines * d * d // 4
            total += self.K * lines * (d * d - 1) // 4
            level = lines
        return total

    def congestion(self) -> float:
        """C, the most endpoint pairs one cable carries in one direction when every ordered endpoint pair
        sends one unit by dimension-order routing over the K parallel links: a dimension-i cable carries
        the pairs of switches that differ in coordinate i and agree where it is corrected, P/S_i of them,
        T^2 units each, over K cables: T^2 P/(K S_i); the most at the smallest S_i. No routing does
        better: every pair differing in coordinate i crosses a dimension-i cable, and dimension-order
        routing loads all of them equally."""
        return self.T**2 * self.num_switches / (self.K * min(self.S))

    def bisection_lower_bound(self, endpoint_link_cables: float = 1.0) -> tuple[float, str]:
        """A proven lower bound on the balanced bisection, in cables (``congestion_lower_bound`` with
        ``congestion``): N^2/(4C) = K*P*S_min/4 cables for even N, the halving cut when S_min is even.
        At least floor(T/2) endpoints are across when P is odd: every switch holds T endpoints."""
        fewest = self.T // 2 if self.num_switches % 2 else 0
        bound = congestion_lower_bound(self.num_endpoints, self.congestion(), endpoint_link_cables, fewest)
        return bound, "lower bound: congestion of dimension-order routing (Leighton 1992)"

    def _cuts(self, endpoint_link_cables: float) -> list[tuple[float, str]]:
        """(cost, how) of the explicit balanced partitions, in order of preference on ties."""
        rho = endpoint_link_cables
        cuts = []
        halving = self.halving_cut()
        if halving is not None:
            index, cables = halving
            cuts.append((float(cables), f"explicit balanced cut: dimension {index + 1} (S={self.S[index]}) halved"))
        if halving is None or sorted(self.S)[0] % 2:
            across = self.T // 2 if self.num_switches % 2 else 0
            how = "explicit balanced cut: nested halves, smallest dimension first"
            if across:
                how += f", {across} endpoint(s) placed across it to balance the endpoints (P odd)"
            cuts.append((self.nested_cut() + rho * across, how))
        cuts.append((rho * (self.num_endpoints // 2),
                     "explicit balanced cut: every switch on one side, floor(N/2) endpoints across"))
        return cuts

    def bisection(self, endpoint_link_cables: float = 1.0) -> Bisection:
        """An upper bound from the best of three explicit balanced partitions, with the proven lower bound
        beside it (``bisection_lower_bound``); an endpoint link across the cut counts
        ``endpoint_link_cables`` = r/c of a cable: every switch on one side ((r/c) floor(N/2)), the
        cheapest dimension of even size halved (``halving_cut``), and, when the smallest size is odd, the
        nested partition (``nested_cut``; with P odd, floor(T/2) endpoints placed across). Exact when the
        lower bound reaches it: always when S_min is even (K*P*S_min/4)."""
        cut, how = min(self._cuts(endpoint_link_cables), key=lambda pair: pair[0])
        lower, lower_how = self.bisection_lower_bound(endpoint_link_cables)
        if lower >= cut - 1e-9:
            return Bisection(links=cut, method=f"{how}, meeting the {lower_how}", kind=BoundKind.EXACT,
                             proven_links=lower, proven_method=lower_how)
        return Bisection(links=cut, method=f"{how} (upper bound)", kind=BoundKind.UPPER_BOUND,
                         proven_links=lower, proven_method=lower_how)

    def bisection_shares(self, endpoint_link_cables: float = 1.0) -> dict[str, tuple[float, bool]]:
        """When the bisection halves a dimension of size S_e: each switch has K*S_e/2 of its cables across,
        a cable is one of K*P*S_e/4 (by symmetry, every switch alike). Otherwise none is given."""
        cut, how = min(self._cuts(endpoint_link_cables), key=lambda pair: pair[0])
        halving = self.halving_cut()
        if halving is None or not how.startswith("explicit balanced cut: dimension") or cut == 0:
            return {}
        index, _ = halving
        return {"switch": (self.K * self.S[index] / 2 / cut, True), "switch link": (1 / cut, True)}

    def fault_domains(self) -> list[FaultDomain]:
        """A switch takes its T endpoints: a Hamming graph has vertex and edge connectivity equal to its
        degree, so one failure disconnects nothing else, except on two switches joined by a single
        link (L = 1, S = 2, K = 1), where that link is a bridge."""
        n = self.num_endpoints
        bridge = self.num_switches == 2 and self.K == 1
        return [
            FaultDomain("endpoint port", n, 1),
            FaultDomain("switch", self.num_switches, self.T),
            FaultDomain("switch link", self.counts().num_switch_links, self.T if bridge else 0),
        ]

    # -- inverse sizing (topologies.sizing) ------------------------------------------------------------
    closed_form_limits = frozenset({"max_hops", "max_blast_radius", "min_bisection_ratio"})

    @staticmethod
    def sizing_sizes(shape: dict[str, int]) -> list[int]:
        """The per-dimension sizes of a sizing shape: L - w dimensions of S and w of S + 1."""
        return [shape["S"]] * (shape["L"] - shape["w"]) + [shape["S"] + 1] * shape["w"]

    @classmethod
    def candidates(cls, requirement: SizingRequest, switch: SwitchConfig, prices: Prices,
                   deadline: Deadline | None = None) -> Iterator[Candidate]:
        """Nearly regular shapes: L dimensions, L - w of size S and w of size S + 1 (0 <= w < L), K links
        between adjacent switches, each with the fewest endpoints per switch that hold N,
        T = ceil(N/P), within the radix (T + K*sum(S_i - 1) <= k). S runs up to the first P >= N
        (T = 1), L up to the first 2^L >= N. Counts as the module docstring gives them (Ahn et al.
        2009); the bisection is the proven lower bound (``bisection_lower_bound``), exact for even S."""
        n, k = requirement.num_endpoints, switch.radix
        speed = requirement.endpoint_speed_gbps
        port_speed = Fraction(switch.port_speed_gbps)
        rho = float(speed / port_speed)
        limit_hops = requirement.max_hops if requirement.prunes else None
        limit_blast = requirement.max_blast_radius if requirement.prunes else None
        cost_bound = requirement.cost_bound
        dims = 1
        while True:
            if deadline is not None:
                deadline.check(f"enumerating HyperX shapes (L={dims})")
            if limit_hops is not None and dims > limit_hops:
                break
            for trunk in range(1, (k - 1) // dims + 1):
                size = 2
                while 1 + trunk * dims * (size - 1) <= k:
                    for wide in range(dims):
                        sizes = [size] * (dims - wide) + [size + 1] * wide
                        switches = math.prod(sizes)
                        per_switch = -(-n // switches)
                        network = trunk * sum(d - 1 for d in sizes)
                        if per_switch + network > k or (limit_blast is not None and per_switch > limit_blast):
                            continue
                        total = per_switch * switches
                        links = trunk * switches * sum(d - 1 for d in sizes) // 2
                        cost = (switches * prices.switch_cents + total * prices.endpoint_cable_cents
                                + links * prices.optical_link_cents)
                        if cost_bound is not None and cost_bound.beyond(cost):
                            continue  # it can never be chosen (CostBound)
                        topo = cls(radix=k, S=tuple(sizes), K=trunk, T=per_switch)
                        bound = topo.bisection_lower_bound(rho)[0]
                        cut = Fraction(math.floor(bound * 10**6), 10**6)  # rounded down: what is claimed stays proven
                        yield Candidate(
                            topology=cls, switch=switch, prices=prices,
                            shape={"L": dims, "S": size, "w": wide, "K": trunk, "k": k}, size={"T": per_switch},
                            num_endpoints=total, num_switches=switches, cost_cents=cost,
                            bisection_ratio=ratio(cut, port_speed, total, speed),
                            spare_ports=Fraction(k - per_switch - network, k), blast_radius=per_switch,
                            hops=dims, tiers=1, planes=1, ports_per_endpoint=1,
                        )
                    if size**dims >= n:  # T = 1 already: larger sizes only add switches
                        break
                    size += 1
            if 2**dims >= n or 1 + dims + 1 > k:
                break
            dims += 1

    @classmethod
    def size_model(cls, model: Any, candidate: Candidate, requirement: SizingRequest, use: Any) -> SizedVars:
        """T endpoints per switch, the fewest that hold N (two inequalities), within the ports the network
        leaves; spare ports and cost linear in T. The bisection, hops and blast radius are checked by
        the closed forms (closed_form_limits)."""
        c, req = candidate, requirement
        sizes, trunk, k = cls.sizing_sizes(c.shape), c.shape["K"], c.shape["k"]
        switches, n = math.prod(sizes), req.num_endpoints
        network = trunk * sum(d - 1 for d in sizes)
        per_switch = model.new_int_var(0, max(0, k - network), f"T_{c.rank}")  # endpoints per switch
        on = use
        model.add(switches * per_switch >= n).only_enforce_if(on)  # fewest T holding N
        model.add(switches * per_switch <= n + switches - 1).only_enforce_if(on)
        model.add(per_switch == 0).only_enforce_if(use.negated())
        spare = req.spare_ports
        model.add((spare.denominator - spare.numerator) * k
                  >= spare.denominator * (network + per_switch)).only_enforce_if(on)
        pr = c.prices
        links = trunk * switches * sum(d - 1 for d in sizes) // 2
        cost = (switches * pr.switch_cents + links * pr.optical_link_cents) * use \
            + switches * per_switch * pr.endpoint_cable_cents
        return SizedVars(use, {"T": per_switch}, cost, switches * use, switches * per_switch)

    @classmethod
    def sizing_label(cls, candidate: Candidate) -> str:
        sizes = cls.sizing_sizes(candidate.shape)
        return f"S={'x'.join(map(str, sizes))} K={candidate.shape['K']} T={candidate.size['T']}"

    @classmethod
    def sizing_note(cls, candidate: Candidate) -> str:
        sizes = cls.sizing_sizes(candidate.shape)
        return (f"{counted(len(sizes), 'dimension')} of {' x '.join(map(str, sizes))} switches, "
                f"K={candidate.shape['K']}, T={candidate.size['T']} endpoints per switch")

    @classmethod
    def sizing_parameters(cls, candidate: Candidate, endpoints_per_node: int) -> dict[str, Any]:
        return {"S": cls.sizing_sizes(candidate.shape), "K": candidate.shape["K"], "T": candidate.size["T"]}

    @classmethod
    def sizing_roles(cls, candidate: Candidate) -> dict[str, int]:
        return {"switch": candidate.num_switches}

    # -- graph -------------------------------------------------------------------------------------
    def switch_names(self) -> tuple[str, ...]:
        """``x1-y4`` (coordinates by dimension, up to four), ``h1.4.0.2.3`` beyond; switch number
        sum_i x_i * prod_{j > i} S_j, so the first coordinate varies slowest."""
        import itertools

        coordinates = itertools.product(*(range(d) for d in self.S))
        if self.L <= LETTERED:
            letters = COORDINATE_LETTERS[: self.L]
            return tuple("-".join(f"{letter}{x}" for letter, x in zip(letters, point, strict=True))
                         for point in coordinates)
        return tuple("h" + ".".join(map(str, point)) for point in coordinates)

    def build(self) -> SwitchGraph:
        """Switches as ``switch_names`` numbers them; in dimension i, switch u is joined to every switch
        with a larger coordinate x_i and the others equal, by a bundle of K cables (link group
        ``dim-<i+1>``). Bundles sorted by their two ends."""
        import numpy as np

        from topoctl.topologies.graph import SwitchGraph, object_array

        n = self.num_switches
        switch = np.arange(n, dtype=np.int64)
        keys, which = [], []
        stride = n
        for i, d in enumerate(self.S):
            stride //= d
            coordinate = (switch // stride) % d
            for step in range(1, d):
                near = switch[coordinate + step < d]
                keys.append(near * n + near + step * stride)
                which.append(np.full(len(near), i, dtype=np.int64))
        key = np.concatenate(keys)
        dim = np.concatenate(which)
        order = np.argsort(key, kind="stable")
        key, dim = key[order], dim[order]
        return SwitchGraph(
            names=self.switch_names(),
            roles=object_array(["switch"], [n]),
            endpoints=np.full(n, self.T, dtype=np.int64),
            planes=np.full(n, -1, dtype=np.int64),
            pods=np.full(n, -1, dtype=np.int64),
            edge_u=key // n,
            edge_v=key % n,
            edge_count=np.full(len(key), self.K, dtype=np.int64),
            edge_groups=object_array([f"dim-{i + 1}" for i in range(self.L)])[dim],
        )
