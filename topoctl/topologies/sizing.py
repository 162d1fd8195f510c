"""The records of inverse sizing that every family shares: what is asked, what a shape costs, and what a
family's CP-SAT sub-model returns.

A family answers a sizing request with ``candidates``: its discrete shapes on one switch (the structure
fixed, e.g. a fat tree's tiers and leaf split, a slim fly's q) within the request's limits, each
with its closed-form minimal sizing. The sizer (``topoctl.optimize``) ranks every family's candidates
and hands them to CP-SAT, where the family's ``size_model`` states the same sizing as integer
constraints, so the solver's answer can be checked against the closed forms. A *decided* candidate
(``Candidate.decided``) leaves the structure to the solver: its ``size_model`` makes the construction
(a three-tier tree's pods and multiplicities, a dragonfly's p, a, h, g) integer variables, with the
family's proof of the bisection as constraints, and its winner is rebuilt and checked the same way.

Families see only ``SizingRequest``, a family-neutral view of the user's requirement
(``topoctl.requirement``); they never import OR-Tools: ``size_model`` writes against the CP-SAT model it
is given.
"""

from __future__ import annotations

import bisect
import copy
import time
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, ClassVar, Protocol

from topoctl.errors import SizingTimeLimitError
from topoctl.spec import StrictModel, SwitchSpec
from topoctl.topologies.demand import bisection_demand_ports

__all__ = ["SwitchConfig", "Prices", "TierSwitches", "SizingRequest", "Candidate", "SizedVars", "Deadline", "CostBound",
           "ratio", "cut_needed"]


class SwitchConfig(StrictModel):
    """One switch model in one breakout mode: what the sizer actually places."""

    index: int
    model: str | None
    name: str
    radix: int
    port_speed_gbps: float
    price_usd: float
    breakout: int  # ports per port of the option as given (1: as the option states it)
    catalog_breakout: int | None = None  # the catalog model's breakout (ports per cage); None: a custom switch
    price_given: bool = False  # a catalog model at the requirement's price, not the catalog's

    def spec(self) -> SwitchSpec:
        """A design spec's switch that resolves to this config's model: the catalog model in its breakout (at
        the price given, if one was), or the custom switch's figures."""
        if self.catalog_breakout is not None:
            return SwitchSpec(model=self.model, breakout=self.catalog_breakout,
                              price_usd=self.price_usd if self.price_given else None)
        return SwitchSpec(model=self.model, radix=self.radix, port_speed_gbps=self.port_speed_gbps,
                          price_usd=self.price_usd)


@dataclass(frozen=True)
class Prices:
    """Unit prices in integer cents (CP-SAT needs integers); an optical link is fibre + 2 transceivers."""

    switch_cents: int
    endpoint_cable_cents: int
    electric_link_cents: int
    optical_link_cents: int


@dataclass(frozen=True)
class TierSwitches:
    """The switch configs a decided candidate's tiers choose from, one per tier (the solver's choice), with
    their unit prices in cents: ``prices[i]`` config i's switch and endpoint cable (at its cage), and
    ``links[i][j]`` the electric and optical prices of a link from a switch of config i to one of config j
    (each end in its own cage, in the order of the family's link group ends). The configs share the port
    speed and link layer: a cable runs at one speed, and one fabric speaks one link layer."""

    configs: tuple[SwitchConfig, ...]
    prices: tuple[Prices, ...]
    links: tuple[tuple[Prices, ...], ...]

    def cheapest(self) -> Prices:
        """Each unit price at its least over the configs and pairs: what a lower bound may assume."""
        every = [*self.prices, *(p for row in self.links for p in row)]
        return Prices(switch_cents=min(p.switch_cents for p in self.prices),
                      endpoint_cable_cents=min(p.endpoint_cable_cents for p in self.prices),
                      electric_link_cents=min(p.electric_link_cents for p in every),
                      optical_link_cents=min(p.optical_link_cents for p in every))


@dataclass(frozen=True)
class SizingRequest:
    """What a family's sizing reads of a requirement, exact (fractions, not floats).

    ``relaxed_from`` is set when explaining infeasibility: the limits are then widened (``relaxed``),
    nothing is pruned for hops or blast radius, and a family may sweep fewer shapes past the original
    request's limits (the smallest relaxation only needs the cheapest of them)."""

    num_endpoints: int
    endpoints_per_node: int
    endpoint_speed_gbps: Fraction
    bisection_ratio: Fraction  # at least: bisection links x port speed over floor(N/2) x endpoint speed
    spare_ports: Fraction  # at least this share of switch ports unused
    max_tiers: int
    max_planes: int
    max_ports_per_endpoint: int
    max_hops: int | None
    max_blast_radius: int | None  # most endpoints one switch failure may disconnect
    families: tuple[str, ...]  # the families allowed
    relaxed_from: SizingRequest | None = None
    objective: str = "cost"  # what is minimised: cost, switches, cost_per_endpoint or power
    # the shapes ranked so far that can never be chosen past it (None: every shape is enumerated)
    cost_bound: CostBound | None = field(default=None, compare=False)

    @property
    def bounded_by_cost(self) -> bool:
        """Whether a design better than another in the objective costs less: the objective is cost, or cost
        per endpoint where the endpoints are fixed (a tree holds exactly the endpoints asked)."""
        return self.objective in ("cost", "cost_per_endpoint")

    @property
    def prunes(self) -> bool:
        """Whether shapes that break the hop or blast-radius limit are left out (not when explaining)."""
        return self.relaxed_from is None

    def relaxed(self, *, families: tuple[str, ...], max_tiers: int, max_planes: int) -> SizingRequest:
        """The request widened for explaining infeasibility: every family in ``families``, up to
        ``max_tiers`` tiers, ``max_planes`` planes and as many ports per endpoint."""
        return replace(self, families=families, max_tiers=max_tiers, max_planes=max_planes,
                       max_ports_per_endpoint=max_planes, relaxed_from=self, cost_bound=None)


class SizedFamily(Protocol):
    """What a candidate asks of its family (a ``topologies.base.Topology`` subclass); declared here so
    this module stays below the family interface that uses its records."""

    family: ClassVar[str]
    closed_form_limits: ClassVar[frozenset[str]]

    @classmethod
    def size_model(cls, model: Any, candidate: Candidate, requirement: SizingRequest, use: Any) -> SizedVars: ...

    @classmethod
    def sizing_label(cls, candidate: Candidate) -> str: ...

    @classmethod
    def sizing_note(cls, candidate: Candidate) -> str: ...

    @classmethod
    def sizing_parameters(cls, candidate: Candidate, endpoints_per_node: int) -> dict[str, Any]: ...

    @classmethod
    def sizing_roles(cls, candidate: Candidate) -> dict[str, int]: ...

    @classmethod
    def sizing_role_switches(cls, candidate: Candidate) -> dict[str, SwitchConfig]: ...


@dataclass(frozen=True)
class Candidate:
    """One shape with its minimal sizing. ``shape`` holds the fixed structure, ``size`` the integer
    sizing (what the solver must reproduce), the rest the closed-form metrics of that sizing.
    ``topology`` is the family class, which describes and models its own candidates."""

    topology: type[SizedFamily]
    switch: SwitchConfig
    prices: Prices
    shape: dict[str, int]
    size: dict[str, int]
    num_endpoints: int  # the design's endpoints (direct networks may hold more than requested)
    num_switches: int
    cost_cents: int
    bisection_ratio: Fraction  # proven: exact or a lower bound
    spare_ports: Fraction  # unused switch ports / all switch ports
    blast_radius: int  # most endpoints disconnected by one switch failure
    hops: int
    tiers: int  # 1 for direct networks
    planes: int
    ports_per_endpoint: int
    rank: int = field(default=0, compare=False)
    # The model decides the construction (size_model's variables are free): ``size`` and the figures above
    # are those of a feasible starting point, an upper bound on the objective, not the minimal sizing.
    decided: bool = False
    lower_bound: tuple[int, int] | None = None  # decided: (switches, cents) no construction goes below
    # decided, when its endpoints vary with the construction: thousandths of a cent per endpoint no
    # construction goes below (else the cents bound over ``num_endpoints``, fixed)
    lower_bound_per_endpoint: int | None = None
    power_mw: int = field(default=0, compare=False)  # switches, parts and NICs, linear closed form (topoctl.optimize)
    # a decided candidate under a power objective or cap: unit powers in milliwatts in the place of prices
    # (a switch, an endpoint cable, an electric and an optical link), for the model's power expression
    powers: Prices | None = field(default=None, compare=False)
    # decided, its tiers choosing their switch among these (``switch`` then stands for the largest radix)
    tier_switches: TierSwitches | None = field(default=None, compare=False)

    @property
    def family(self) -> str:
        return self.topology.family

    def meets(self, request: SizingRequest) -> bool:
        """Whether its closed-form figures meet the request: the bisection ratio and spare ports, and the
        hop and blast-radius limits where the request prunes (a feasible start for a decided model)."""
        max_hops, max_blast = request.max_hops, request.max_blast_radius
        breaks = request.prunes and ((max_hops is not None and self.hops > max_hops)
                                     or (max_blast is not None and self.blast_radius > max_blast))
        return (self.bisection_ratio >= request.bisection_ratio and self.spare_ports >= request.spare_ports
                and not breaks)

    def ranked(self, rank: int, **changes: Any) -> Candidate:
        """This candidate at ``rank`` (with ``changes``): a shallow copy given new values, as
        dataclasses.replace gives, at a fifth of its cost (sizing ranks tens of thousands of shapes)."""
        unknown = set(changes) - set(self.__dataclass_fields__)
        if unknown:
            raise TypeError(f"Candidate has no field {', '.join(sorted(unknown))}")  # a bug, never bad input
        out = copy.copy(self)
        for name, value in {"rank": rank, **changes}.items():
            object.__setattr__(out, name, value)  # a fresh copy, not yet shared: frozen for everyone else
        return out

    def label(self) -> str:
        return f"{self.family} {self.topology.sizing_label(self)} [{self.switch_label()}]"

    def switch_label(self) -> str:
        """The switch, or with a switch per tier each role's once chosen (the options before)."""
        if self.tier_switches is None:
            return self.switch.name
        chosen = self.role_switches()
        if not chosen:
            return " | ".join(config.name for config in self.tier_switches.configs)
        return ", ".join(f"{role} {config.name}" for role, config in chosen.items())

    def role_switches(self) -> dict[str, SwitchConfig]:
        """Each role's switch config, from the endpoints up, where the tiers choose their own (the
        solver's choice in ``size``); empty for one switch, or before the choice."""
        return self.topology.sizing_role_switches(self) if self.tier_switches is not None else {}

    def design_parameters(self, endpoints_per_node: int) -> dict[str, Any]:
        """The family parameters that rebuild this design through the normal library path."""
        return self.topology.sizing_parameters(self, endpoints_per_node)

    def per_tier(self) -> dict[str, int]:
        """Switches by role, as the family's counts name them."""
        return self.topology.sizing_roles(self)

    def shape_note(self) -> str:
        """The sized structure in one line (per plane, per group)."""
        return self.topology.sizing_note(self)


class CostBound:
    """Which shapes the sizer can never choose, from the shapes ranked before them, under a cost objective
    when the ``keep`` best designs are asked for (optimize.result._model_candidates keeps a shape only if
    fewer than ``keep`` kept shapes dominate it: no worse in cost and in "breaks a constraint the model
    enforces", and earlier in rank).

    The sizer offers it every fixed shape in rank order (``admits``), with the shape's build (shapes of one
    build are one design: the first one stands for them) and whether it is *admitted* (breaks no constraint)
    or *closed out* (breaks a limit only the closed forms check: the sizer drops it). A shape is left out
    when ``keep`` earlier shapes of other builds, not closed out, cost no more than it and are admitted
    (``admitted_cents``: the keep-th least cost of those), or, when it is not admitted itself, whatever
    they are (``any_cents``). Proof that the sizer's answer does not change: such a shape has ``keep``
    dominators among the shapes the sizer keeps (each is the first of its build and not closed out; if
    one of them was itself left out, it has ``keep`` such dominators, earlier still, no costlier and
    admitted where it had to be, and so on down to shapes kept), so the sizer's dominance filter drops it,
    and dropping it changes no other shape's dominators (it is never on the filter's frontier) nor the
    count of admitted shapes cheaper than a decided candidate's bound (``keep`` cheaper ones stay). A
    later shape of a left-out shape's build costs the same, so it is left out too.

    A family may skip shapes without making them (``beyond``): a run of shapes whose cost is at least a
    lower bound that only grows along the run is left out from where the bound reaches
    ``admitted_cents``; and a shape proven not admitted (its bisection ratio below the request's, by an
    upper bound) from where the bound reaches ``any_cents``, provided shapes of one build of that
    family are all admitted or all not (the family states why in its loop)."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self._admitted: list[int] = []  # the keep least costs of shapes counted as admitted dominators
        self._any: list[int] = []  # ... of shapes counted as dominators of a shape not admitted
        self._builds: set[Hashable] = set()

    @property
    def admitted_cents(self) -> float:
        """A shape costing at least this is left out (infinite until ``keep`` admitted shapes were seen)."""
        return self._admitted[-1] if len(self._admitted) == self.keep else float("inf")

    @property
    def any_cents(self) -> float:
        """A shape not admitted costing at least this is left out."""
        return self._any[-1] if len(self._any) == self.keep else float("inf")

    def beyond(self, cents: int, admitted: bool | None = None) -> bool:
        """Whether a shape costing at least ``cents`` is left out (``admitted`` False: a shape proven not
        admitted; None: whether or not it is)."""
        return cents >= (self.any_cents if admitted is False else self.admitted_cents)

    def admits(self, cents: int, build: Hashable, admitted: bool, closed_out: bool) -> bool:
        """Whether the shape is ranked (see the class docstring); it is counted as a dominator if it is the
        first of its build and not closed out."""
        if closed_out:
            return True  # the sizer drops it itself; it dominates nothing
        if build in self._builds:
            return False  # an earlier shape of its build stands for it
        self._builds.add(build)
        left_out = self.beyond(cents, admitted)
        for least, counts in ((self._any, True), (self._admitted, admitted)):
            if counts and (len(least) < self.keep or cents < least[-1]):
                bisect.insort(least, cents)
                del least[self.keep:]
        return not left_out


@dataclass(frozen=True)
class SizedVars:
    """What a family's ``size_model`` gives the sizer for one candidate: linear expressions over the
    CP-SAT model's variables, zero when the candidate is not chosen (``use`` false)."""

    use: Any  # the candidate's Boolean: it is the design
    size: dict[str, Any]  # the sizing variables, named as Candidate.size
    cost: Any  # cents
    switches: Any
    endpoints: Any
    # minimised in turn, each fixed, once this candidate wins: which of its equally good constructions
    # is the answer (a decided candidate's stated tie-break), so the answer does not depend on the search
    tiebreaks: tuple[Any, ...] = ()
    # a decided candidate given ``powers``: its switches' and links' power in milliwatts (NICs apart)
    power: Any = None
    # ``endpoints`` is an integer variable the construction decides (not fixed by the candidate's ceilings),
    # so cost per endpoint is a product, not linear in cost
    variable_endpoints: bool = False


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
                "(a smaller radix, fewer --max-planes or --max-ports-per-endpoint) or raise --time-limit",
                what=what,
            )

    def portion(self, fraction: float) -> Deadline:
        """A deadline ``fraction`` of the time left from now (the enumeration's share, the rest left to
        the solver), reporting the same limit."""
        return Deadline(time.monotonic() + fraction * max(0.0, self.remaining_s()), self.limit_s)


def ratio(
    bisection_links: int | float | Fraction, port_gbps: Fraction, endpoints: int, endpoint_gbps: Fraction
) -> Fraction:
    """The report's bisection ratio of a single-plane design (topologies.base.bisection_ratio), exactly:
    bisection links x port speed over floor(N/2) x endpoint speed."""
    demand = bisection_demand_ports(endpoints)
    if not demand:
        return Fraction(1)
    links, port, endpoint = Fraction(bisection_links), Fraction(port_gbps), Fraction(endpoint_gbps)
    # one fraction built from integers (sizing rates every shape; chained Fraction arithmetic is slow)
    return Fraction(links.numerator * port.numerator * endpoint.denominator,
                    links.denominator * port.denominator * demand * endpoint.numerator)


def cut_needed(ratio: Fraction, endpoints: int, port_gbps: Fraction, endpoint_gbps: Fraction) -> int:
    """Fewest cut links giving the bisection ratio: cut x port >= ratio x floor(N/2) x endpoint speed."""
    ratio, port, endpoint = Fraction(ratio), Fraction(port_gbps), Fraction(endpoint_gbps)
    numerator = ratio.numerator * bisection_demand_ports(endpoints) * endpoint.numerator * port.denominator
    return -(-numerator // (ratio.denominator * endpoint.denominator * port.numerator))
