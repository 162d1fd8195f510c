"""The candidate shapes of a sizing request: every allowed family's, ranked.

A candidate fixes the discrete shape of a design (switch model and breakout, family and the family's
structure). Each family enumerates its own shapes with their closed-form minimal sizing
(``candidates`` in topologies/<module>, records in topologies/sizing.py); the CP-SAT model
(``model.py``) then sizes them with integer variables and chooses among them. The closed forms prune
shapes that break a limit the model cannot state, explain infeasibility, and let tests check the solver
independently.

Bisection ratio is the report's: bisection links x port speed over floor(N/2) x endpoint bandwidth.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from math import floor
from typing import Any

from topoctl.catalog import PriceBook, active
from topoctl.design import switch_model_of
from topoctl.errors import SizingTimeLimitError, SpecError
from topoctl.requirement import Requirement
from topoctl.topologies import FAMILIES, Topology
from topoctl.topologies.sizing import (
    Candidate,
    CostBound,
    Deadline,
    Prices,
    SizingRequest,
    SwitchConfig,
    TierSwitches,
)

__all__ = ["enumerate_candidates", "enumerate_until", "Enumeration", "prices_of", "powers_of", "nic_power_mw",
           "sizing_families", "tier_switches", "violations", "candidate_build", "UNIVERSE_MAX_PLANES",
           "UNIVERSE_MAX_TIERS"]

# Limits explored when explaining an infeasible request (the smallest relaxation may exceed the limit).
UNIVERSE_MAX_PLANES = 64
UNIVERSE_MAX_TIERS = 3


def _cents(value_usd: float, what: str) -> int:
    cents = round(value_usd * 100)
    if abs(value_usd * 100 - cents) > 1e-6:
        raise SpecError(f"{value_usd} is not a whole number of cents; the sizer prices in integer cents", path=what)
    return cents


def prices_of(switch: SwitchConfig, book: PriceBook) -> Prices:
    """The unit prices in integer cents; an optical link is fibre + 2 transceivers."""
    return Prices(
        switch_cents=_cents(switch.price_usd, f"switches[{switch.index}].price_usd"),
        endpoint_cable_cents=_cents(book.endpoint_link_usd("electric"), "prices.endpoint_cable_usd"),
        electric_link_cents=_cents(book.electric_cable_usd, "prices.electric_cable_usd"),
        optical_link_cents=_cents(book.optical_cable_usd, "prices.optical_cable_usd")
        + 2 * _cents(book.transceiver_usd, "prices.transceiver_usd"),
    )


def _mw(watts: float) -> int:
    return round(watts * 1000)


def powers_of(switch: SwitchConfig, req: Requirement) -> Prices:
    """Power in milliwatts in the place of prices (power is linear in the same counts): a switch at
    typical power, each link of a medium its count-based part class's power (a shared module by its
    share: a twin-port's 17 W is 8.5 W a link end), as topoctl.physical.parts counts them."""
    parts, model = active(), req.switch_model(switch)
    nominal, cage = parts.count_based, model.ports_per_cage

    def link(endpoint: bool, medium: str) -> int:
        length = nominal.electric_m if medium == "electric" else nominal.optical_m
        ends = (1 if endpoint else cage, cage)
        return _mw(parts.cheapest(model.port_speed_gbps, model.link_layer, ends, length, medium).power_w)

    return Prices(switch_cents=_mw(model.power_typical_w), endpoint_cable_cents=link(True, "electric"),
                  electric_link_cents=link(False, "electric"), optical_link_cents=link(False, "optical"))


def nic_power_mw(switch: SwitchConfig, req: Requirement, ports_per_endpoint: int, endpoints: int) -> int:
    """The NICs' power of ``endpoints`` endpoints of ``ports_per_endpoint`` ports (the catalog's choice)."""
    model = req.switch_model(switch)
    nic = active().nic_for(model.link_layer, ports_per_endpoint, req.speed_gbps())
    return 0 if nic is None else _mw(nic.power_w) * endpoints


def tier_switches(req: Requirement) -> list[TierSwitches]:
    """The switch configs whose tiers a tree may mix, with their unit prices: the requirement's configs grouped
    by port speed and link layer (a cable runs at one speed, one fabric speaks one link layer), each group of
    two or more in the requirement's order. Of configs whose designs would give their model one name (two
    custom switches from one catalog model), the first: exports name a device type by its model. A link's
    prices are those of the design's price book for its two ends' models (Catalog.price_book)."""
    speed, parts = req.speed_gbps(), active()
    overrides = req.prices.model_dump(exclude_none=True)
    groups: dict[tuple[float, str], list[tuple[SwitchConfig, Any]]] = {}
    for config in req.switch_configs():
        model = switch_model_of(config.spec(), speed)
        group = groups.setdefault((model.port_speed_gbps, model.link_layer), [])
        if all(model.name != other.name for _, other in group):
            group.append((config, model))
    out = []
    for group in groups.values():
        if len(group) < 2:
            continue
        configs = tuple(config for config, _ in group)
        out.append(TierSwitches(
            configs,
            tuple(prices_of(config, req.price_book(config)) for config in configs),
            tuple(tuple(prices_of(near, parts.price_book(a, z).overridden(overrides)) for _, z in group)
                  for near, a in group),
        ))
    return out


def sizing_families(allowed: tuple[str, ...]) -> list[type[Topology]]:
    """The families to ask for candidates, in registry order: the allowed ones, less those an allowed
    family enumerates with its own (``also_sizes``)."""
    covered = {name for family in FAMILIES.values() if family.family in allowed for name in family.also_sizes}
    return [family for name, family in FAMILIES.items() if name in allowed and name not in covered]


@dataclass(frozen=True)
class Enumeration:
    """The candidates a deadline left time to enumerate: all of them (``complete``), or those found before
    it passed, with where the enumeration stopped (``stopped``)."""

    candidates: list[Candidate]
    complete: bool = True
    stopped: str = ""


def enumerate_candidates(req: Requirement, *, universe: bool = False, deadline: Deadline | None = None,
                         keep: int | None = None) -> list[Candidate]:
    """Every shape within the requirement's structural limits (``universe``: within generous limits and
    all families, for explaining infeasibility), ranked in a fixed order for deterministic tie-breaks:
    by switch, then by family in registry order, then in the family's own order;
    SizingTimeLimitError past ``deadline``. ``keep``: the number of best designs sought; under a cost
    objective the shapes that can never be among them are left out (``CostBound``: those ``keep`` earlier
    shapes dominate, and later shapes of an earlier shape's build)."""
    return list(_ranked(req, universe, deadline, keep))


def enumerate_until(req: Requirement, deadline: Deadline, *, universe: bool = False,
                    keep: int | None = None) -> Enumeration:
    """``enumerate_candidates`` until ``deadline``: every shape, or the ranked shapes found before it
    passed (SizingTimeLimitError only if it passed before the first)."""
    out: list[Candidate] = []
    try:
        out.extend(_ranked(req, universe, deadline, keep))
    except SizingTimeLimitError as exc:
        if not out:
            raise
        return Enumeration(out, complete=False, stopped=exc.what)
    return Enumeration(out)


def _ranked(req: Requirement, universe: bool, deadline: Deadline | None, keep: int | None) -> Iterator[Candidate]:
    """The shapes of ``enumerate_candidates`` one by one, ranked (a deadline may end the enumeration)."""
    request = req.sizing_request()
    if universe:
        request = request.relaxed(families=tuple(FAMILIES), max_tiers=UNIVERSE_MAX_TIERS,
                                  max_planes=max(UNIVERSE_MAX_PLANES, req.max_planes))
    elif keep is not None and req.objective == "cost" and req.max_power_kw is None:
        # a fixed shape's objective is its cost; power (objective or cap) is reckoned after ranking, so it
        # is not bounded here
        bound = CostBound(keep)
        request = replace(request, cost_bound=bound)
        return (c.ranked(rank, **changes) for rank, (c, changes) in enumerate(
            (c, changes) for c, changes in _shapes(req, request, deadline) if _bounded(c, req, request, bound)))
    return (c.ranked(rank, **changes) for rank, (c, changes) in enumerate(_shapes(req, request, deadline)))


def _bounded(c: Candidate, req: Requirement, request: SizingRequest, bound: CostBound) -> bool:
    """Whether the bound ranks ``c`` (CostBound.admits): a decided candidate always (the model decides its
    cost); a fixed shape with what the sizer's filter reads of it (result._model_candidates)."""
    if c.decided:
        return True
    broken = violations(c, req, request).keys()
    return bound.admits(c.cost_cents, candidate_build(c), not broken, bool(c.topology.closed_form_limits & broken))


def _shapes(req: Requirement, request: SizingRequest,
            deadline: Deadline | None) -> Iterator[tuple[Candidate, dict[str, Any]]]:
    """Every allowed family's shapes on every switch, in rank order, each with the fields ranking sets on it
    (its power under a power objective or cap)."""
    wants_power = req.objective == "power" or req.max_power_kw is not None
    yield from _single_switch_shapes(req, request, deadline, wants_power)
    if wants_power:
        return  # no power model for a switch per tier: its links' part classes follow each pair of cages
    for switches in tier_switches(req):
        for family in sizing_families(request.families):
            yield from ((c, {}) for c in family.mixed_candidates(request, switches, deadline))


def _single_switch_shapes(req: Requirement, request: SizingRequest, deadline: Deadline | None,
                          wants_power: bool) -> Iterator[tuple[Candidate, dict[str, Any]]]:
    """Every allowed family's shapes on each switch of the requirement, in rank order (``_shapes``)."""
    for switch in req.switch_configs():
        prices, powers = prices_of(switch, req.price_book(switch)), powers_of(switch, req)
        for family in sizing_families(request.families):
            priced = family.candidates(request, switch, prices, deadline)
            if not wants_power:
                yield from ((c, {}) for c in priced)
                continue
            # the same enumeration with power in the place of prices gives each fixed shape's power; a decided
            # candidate's is its model's, given the unit powers (its starting point may depend on prices)
            powered = (p for p in family.candidates(request, switch, powers, deadline) if not p.decided)
            for c in priced:
                if c.decided:
                    yield c, {"powers": powers if family.decided_power else None}
                    continue
                p = next(powered, None)
                if p is None or (c.shape, c.size) != (p.shape, p.size):
                    raise RuntimeError(f"{family.family}: candidates depend on prices")  # a bug, never bad input
                yield c, {"power_mw": p.cost_cents + nic_power_mw(switch, req, c.ports_per_endpoint, c.num_endpoints)}


def violations(c: Candidate, req: Requirement, request: SizingRequest | None = None) -> dict[str, Any]:
    """The constraints ``c`` (at its closed-form sizing) breaks, each with the value that would admit it;
    ``request`` is ``req.sizing_request()``, given once by callers that check many candidates."""
    request = request or req.sizing_request()
    out: dict[str, Any] = {}
    if c.family not in req.families:
        out["families"] = c.family
    if c.tiers > req.max_tiers:
        out["max_tiers"] = c.tiers
    if c.planes > req.max_planes:
        out["max_planes"] = c.planes
    if c.ports_per_endpoint > req.max_ports_per_endpoint:
        out["max_ports_per_endpoint"] = c.ports_per_endpoint
    if req.max_hops is not None and c.hops > req.max_hops:
        out["max_hops"] = c.hops
    if req.max_blast_radius is not None and c.blast_radius > req.max_blast_radius:
        out["max_blast_radius"] = c.blast_radius
    if c.bisection_ratio < request.bisection_ratio:
        out["min_bisection_ratio"] = c.bisection_ratio
    if c.spare_ports < request.spare_ports:
        out["spare_ports_percent"] = c.spare_ports * 100
    if req.max_cost_usd is not None and c.cost_cents > floor(req.max_cost_usd * 100):
        out["max_cost_usd"] = c.cost_cents
    if req.max_power_kw is not None and c.power_mw > floor(req.max_power_kw * 1e6):
        out["max_power_kw"] = c.power_mw
    return out


def candidate_build(c: Candidate) -> tuple[Any, ...]:
    """What a candidate builds, from its closed forms: family, switch, switches by role, planes and NIC
    ports, endpoints and cost. Two shapes with the same of each are one design to the architect."""
    return (c.family, c.switch_label(), tuple(sorted(c.per_tier().items())), c.planes, c.ports_per_endpoint,
            c.num_endpoints, c.cost_cents)
