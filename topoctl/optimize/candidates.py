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
from dataclasses import dataclass
from typing import Any

from topoctl.catalog import PriceBook, active
from topoctl.design import switch_model_of
from topoctl.errors import SizingTimeLimitError, SpecError
from topoctl.requirement import Requirement
from topoctl.topologies import FAMILIES, Topology
from topoctl.topologies.sizing import Candidate, Deadline, Prices, SizingRequest, SwitchConfig, TierSwitches

__all__ = ["enumerate_candidates", "enumerate_until", "Enumeration", "prices_of", "powers_of", "nic_power_mw",
           "sizing_families", "tier_switches", "UNIVERSE_MAX_PLANES", "UNIVERSE_MAX_TIERS"]

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


def enumerate_candidates(req: Requirement, *, universe: bool = False,
                         deadline: Deadline | None = None) -> list[Candidate]:
    """Every shape within the requirement's structural limits (``universe``: within generous limits and
    all families, for explaining infeasibility), ranked in a fixed order for deterministic tie-breaks:
    by switch, then by family in registry order, then in the family's own order;
    SizingTimeLimitError past ``deadline``."""
    return list(_ranked(req, universe, deadline))


def enumerate_until(req: Requirement, deadline: Deadline, *, universe: bool = False) -> Enumeration:
    """``enumerate_candidates`` until ``deadline``: every shape, or the ranked shapes found before it
    passed (SizingTimeLimitError only if it passed before the first)."""
    out: list[Candidate] = []
    try:
        out.extend(_ranked(req, universe, deadline))
    except SizingTimeLimitError as exc:
        if not out:
            raise
        return Enumeration(out, complete=False, stopped=exc.what)
    return Enumeration(out)


def _ranked(req: Requirement, universe: bool, deadline: Deadline | None) -> Iterator[Candidate]:
    """The shapes of ``enumerate_candidates`` one by one, ranked (a deadline may end the enumeration)."""
    request = req.sizing_request()
    if universe:
        request = request.relaxed(families=tuple(FAMILIES), max_tiers=UNIVERSE_MAX_TIERS,
                                  max_planes=max(UNIVERSE_MAX_PLANES, req.max_planes))
    return (c.ranked(rank, **changes) for rank, (c, changes) in enumerate(_shapes(req, request, deadline)))


def _shapes(req: Requirement, request: SizingRequest,
            deadline: Deadline | None) -> Iterator[tuple[Candidate, dict[str, Any]]]:
    """Every allowed family's shapes on every switch, in rank order, each with the fields ranking sets on it
    (its power under a power objective or cap)."""
    wants_power = req.objective == "power" or req.max_power_kw is not None
    yield from _single_switch_shapes(req, request, deadline, wants_power)
    if wants_power:
        return  # a switch per tier has no power model: a mixed design's modules are whole per switch
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
