"""Rack layout, cable lengths and part classes, and the length-aware cost of a cabling plan.

Racks (deterministic, ``rack_plan`` in closed form): nodes stand in compute racks, switches apart in
network racks. A node of G endpoints (``Topology.node_size()``, 1 where the family defines no nodes)
takes ``node_u`` = G x ``endpoint_u`` rack units and G x ``endpoint_power_w`` watts; a compute rack
holds as many nodes as fit both its ``rack_units`` and its ``rack_power_kw`` (the DGX SuperPOD H100
reference puts four 10.2 kW, 8U nodes in a rack: 8 x 1,275 W and 8U per node, 42 kW racks). Switches
take their model's rack units and typical power; a network rack holds as many as fit both limits.
Racks stand in rows of ``racks_per_row``: compute racks first, node by node, then network racks,
switch by switch in build order; devices fill a rack from U1 upwards.

Length: the Slim Fly cost methodology (M. Besta, T. Hoefler, "Slim Fly: A Cost Effective Low-Diameter
Network Topology", SC 2014, Section 5) takes a cable's length as the Manhattan distance between its
racks plus slack. Here: inside one rack, the vertical distance between the two devices; between racks,
each end's run up to the overhead tray (rack height minus the device's height) plus the horizontal
Manhattan distance between the racks (``rack_width_m`` along a row, ``row_pitch_m`` between rows);
plus ``slack_m``; rounded up to the next stock length. Class: the catalog's cheapest part class of the
link's speed and link layer that reaches that length and fits both ends (topoctl.catalog), e.g. a DAC
inside a rack, SR optics across a hall; its medium (electric or optical) is the cable's class.

Length-aware cost: each cable priced by its part class. A design on the calibrated preset prices a
cable by its medium with the price book (an optical cable: its fibre, and a transceiver per link end
of the modules bought: a twin-port module in a switch cage counts two, and a cage whose links do not
fill its module still takes a whole one; an electric endpoint cable the endpoint DAC price); any other
design by the part's catalog price: the cable, or its fibre and the modules bought, whole as on the calibrated
preset (the bill of materials buys the same). The count-based cost
(``topoctl.cost``) instead takes each link group's medium.

Options and their valid values (``LayoutOptions``; anything else is a SpecError naming the option and
its range): ``rack_units`` a whole number 1 to 100; ``racks_per_row`` 1 to 10,000; ``endpoint_u`` 1 to
100; ``switch_u`` and ``node_u`` 1 to 100 and at most ``rack_units`` (default: the switch model's rack
units, and G x ``endpoint_u``); ``rack_power_kw`` 0.1 to 10,000; ``endpoint_power_w`` 0 to 100,000; the
lengths ``rack_width_m``, ``row_pitch_m``, ``rack_height_m`` and ``slack_m`` a number of metres, 0 to
10,000 (not inf or nan).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from math import ceil
from typing import Any, NamedTuple, Protocol

from topoctl import budget
from topoctl.catalog import CableOption, Catalog, PriceBook, SwitchModel
from topoctl.cost import CostBreakdown
from topoctl.errors import SpecError, shown
from topoctl.physical.parts import PartsDesign, PartsFigures, plan_parts
from topoctl.physical.ports import ENDPOINT_LINK_GROUP, Cable, PlannedDesign, PortPlan
from topoctl.topologies.base import ELECTRIC, OPTICAL

__all__ = [
    "LayoutOptions",
    "RackPlan",
    "rack_plan",
    "Layout",
    "PricedDesign",
    "PlannedCable",
    "STOCK_LENGTHS_M",
    "stock_length_m",
    "CableTally",
    "LENGTH_AWARE_METHOD",
    "LengthAwareCost",
    "length_aware_summary",
]

# Orderable cable lengths (m): DACs and AOCs come in these steps; longer fibre is cut to 50 m steps.
STOCK_LENGTHS_M = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 7.0, 10.0, 15.0, 20.0, 30.0, 50.0, 70.0, 100.0)
RU_M = 0.04445  # one rack unit, 1.75 in
# Valid values of the options (see the module docstring): generous, but finite so that every figure
# derived from them stays a small number.
WHOLE_NUMBER_RANGES = {"rack_units": (1, 100), "racks_per_row": (1, 10_000), "endpoint_u": (1, 100),
                       "switch_u": (1, 100), "node_u": (1, 100)}
OPTIONAL = ("switch_u", "node_u")  # None: from the switch model and the node size
LENGTH_OPTIONS = ("rack_width_m", "row_pitch_m", "rack_height_m", "slack_m")
NUMBER_RANGES = {"rack_power_kw": (0.1, 10_000.0), "endpoint_power_w": (0.0, 100_000.0)}
MAX_LENGTH_M = 10_000.0


@dataclass(frozen=True)
class LayoutOptions:
    """Rack and cable assumptions; all configurable, defaults are typical, not quoted."""

    rack_units: int = 42
    racks_per_row: int = 16
    rack_power_kw: float = 42.0
    endpoint_u: int = 1
    endpoint_power_w: float = 1275.0  # an 8-GPU node of 10.2 kW (DGX H100 maximum) per GPU
    switch_u: int | None = None
    node_u: int | None = None
    rack_width_m: float = 0.6
    row_pitch_m: float = 2.4  # rack depth plus aisle
    rack_height_m: float = 2.0  # overhead tray height
    slack_m: float = 1.0

    def __post_init__(self) -> None:
        for name, (low, high) in WHOLE_NUMBER_RANGES.items():
            value = getattr(self, name)
            if value is None and name in OPTIONAL:
                continue
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise SpecError(f"must be a whole number from {low} to {high:,} (got {shown(value)})", path=name)
        for name, (least, most) in NUMBER_RANGES.items():
            value = getattr(self, name)
            if not isinstance(value, int | float) or isinstance(value, bool) or not least <= value <= most:
                raise SpecError(f"must be a number from {least:g} to {most:,g} (got {shown(value)})", path=name)
        for name in LENGTH_OPTIONS:
            value = getattr(self, name)
            # nan fails both comparisons, inf the upper one; a huge int compares exactly
            if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= MAX_LENGTH_M:
                raise SpecError(f"must be a length in metres, 0 to 10000 (got {shown(value)})", path=name)
        for name in ("switch_u", "node_u"):
            if getattr(self, name) is not None and getattr(self, name) > self.rack_units:
                raise SpecError(f"exceeds rack_units={self.rack_units}", path=name)

    @classmethod
    def from_dict(cls, data: Any, source: str = "", prefix: str = "layout") -> LayoutOptions:
        """Options from a mapping; SpecError located as ``source: prefix.field``."""
        if not isinstance(data, dict):
            raise SpecError(f"expected a mapping of layout options (got {shown(data)})", path=prefix, source=source)
        fields = cls.__dataclass_fields__
        # keys of any type (a hand-edited design YAML may hold ``1:``), so compared as text
        unknown = sorted((key for key in data if not (isinstance(key, str) and key in fields)), key=str)
        if unknown:
            valid = ", ".join(fields)
            what = "field" if len(unknown) == 1 else "fields"
            names = ", ".join(shown(key) for key in unknown[:5]) + (", ..." if len(unknown) > 5 else "")
            raise SpecError(f"unknown {what} {names}; valid: {valid}", path=prefix, source=source)
        try:
            return cls(**data)
        except SpecError as exc:
            raise exc.located(source=source, prefix=prefix) from None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def stock_length_m(length_m: float) -> float:
    """The shortest stock length at least ``length_m`` (50 m steps beyond the table)."""
    for stock in STOCK_LENGTHS_M:
        if length_m <= stock + 1e-9:
            return stock
    return float(ceil(length_m / 50.0) * 50)


@dataclass(frozen=True)
class SwitchRacks:
    """The network racks of one switch model: ``count`` switches of ``u`` rack units and ``power_w`` each,
    ``per_rack`` to a rack (by space and by power)."""

    model: str
    count: int
    u: int
    power_w: float
    per_rack: int

    @property
    def num_racks(self) -> int:
        return -(-self.count // self.per_rack)


@dataclass(frozen=True)
class RackPlan:
    """Racks in closed form (see the module docstring): compute racks of ``nodes_per_rack`` nodes, then
    the network racks of each switch model in turn (``switch_groups``, in the order of the design's roles),
    every model in racks of its own."""

    num_nodes: int
    node_u: int
    node_power_w: float
    nodes_per_rack: int
    switch_groups: tuple[SwitchRacks, ...]
    rack_power_kw: float

    @property
    def num_switches(self) -> int:
        return sum(group.count for group in self.switch_groups)

    @property
    def switch_u(self) -> int:
        """The height of the first model's switches (every switch's, with one model)."""
        return self.switch_groups[0].u if self.switch_groups else 1

    @property
    def switches_per_rack(self) -> int:
        return self.switch_groups[0].per_rack if self.switch_groups else 1

    @property
    def num_node_racks(self) -> int:
        return -(-self.num_nodes // self.nodes_per_rack)

    @property
    def num_switch_racks(self) -> int:
        return sum(group.num_racks for group in self.switch_groups)

    @property
    def num_racks(self) -> int:
        return self.num_node_racks + self.num_switch_racks

    @property
    def switch_rack_units(self) -> int:
        return sum(group.count * group.u for group in self.switch_groups)

    def node_position(self, n: int) -> tuple[int, int]:
        rack, slot = divmod(n, self.nodes_per_rack)
        return rack, slot * self.node_u + 1

    def switch_position(self, s: int, group: int = 0) -> tuple[int, int]:
        """(rack, first U) of the ``s``-th switch of ``group`` (a model's switches, in its own racks)."""
        first = self.num_node_racks + sum(g.num_racks for g in self.switch_groups[:group])
        rack, slot = divmod(s, self.switch_groups[group].per_rack)
        return first + rack, slot * self.switch_groups[group].u + 1

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "total": self.num_racks,
            "compute": self.num_node_racks,
            "network": self.num_switch_racks,
            "nodes_per_rack": self.nodes_per_rack,
            "switches_per_rack": self.switches_per_rack,
            "node_u": self.node_u,
            "switch_u": self.switch_u,
            "switch_rack_units": self.switch_rack_units,
            "rack_power_kw": self.rack_power_kw,
        }
        if len(self.switch_groups) > 1:  # several models: each model's racks (the two above: the first's)
            out["switch_groups"] = [{"model": g.model, "switches": g.count, "switch_u": g.u,
                                     "switches_per_rack": g.per_rack, "racks": g.num_racks}
                                    for g in self.switch_groups]
        return out


def _per_rack(units: int, height: int, power_w: float, rack_power_w: float) -> int:
    """Devices of ``height`` U and ``power_w`` that fit a rack by space and by power (at least one)."""
    by_power = int(rack_power_w // power_w) if power_w > 0 else units
    return max(1, min(units // height, by_power))


def rack_plan(num_endpoints: int, endpoints_per_node: int, switches: Sequence[tuple[SwitchModel, int]],
              options: LayoutOptions | None = None) -> RackPlan:
    """The racks of a design from its counts (the layout places devices exactly so): ``switches`` are the
    design's models with how many of each (Design.switches_by_model)."""
    o = options or LayoutOptions()
    node_u = o.node_u if o.node_u is not None else min(o.rack_units, endpoints_per_node * o.endpoint_u)
    node_power = endpoints_per_node * o.endpoint_power_w
    rack_w = o.rack_power_kw * 1000
    groups = []
    for model, count in switches:
        switch_u = o.switch_u if o.switch_u is not None else min(o.rack_units, model.rack_units)
        groups.append(SwitchRacks(model.name, count, switch_u, model.power_typical_w,
                                  _per_rack(o.rack_units, switch_u, model.power_typical_w, rack_w)))
    return RackPlan(
        num_nodes=num_endpoints // endpoints_per_node,
        node_u=node_u,
        node_power_w=node_power,
        nodes_per_rack=_per_rack(o.rack_units, node_u, node_power, rack_w),
        switch_groups=tuple(groups),
        rack_power_kw=o.rack_power_kw,
    )


class PricedDesign(PlannedDesign, PartsDesign, Protocol):
    """A design with its price book and catalog, as the length-aware cost needs it."""

    @property
    def prices(self) -> PriceBook: ...

    @property
    def parts(self) -> Catalog: ...

    @property
    def cable_classes(self) -> dict[str, str]: ...

    @property
    def switches_by_model(self) -> list[tuple[SwitchModel, int]]: ...


class PlannedCable(NamedTuple):
    """A cable with its length, medium, part class and the rack positions of both ends."""

    label: str
    a_device: str
    a_port: str
    z_device: str
    z_port: str
    link_group: str
    speed_gbps: float
    cable_class: str  # medium: electric or optical
    length_m: float
    a_rack: int
    a_u: int
    z_rack: int
    z_u: int
    part: str  # the catalog's part class, e.g. dac-400g, sr4-400g


class Layout:
    """Rack positions of every device of a port plan, and the planned cables."""

    def __init__(self, plan: PortPlan, options: LayoutOptions | None = None) -> None:
        self.plan = plan
        self.options = options = options or LayoutOptions()
        design = plan.design
        groups: dict[SwitchModel, list[int]] = {}  # each model's switches, in plan order, racked model by model
        for s, model in enumerate(plan.models):
            groups.setdefault(model, []).append(s)
        self.racks = racks = rack_plan(plan.num_nodes * plan.endpoints_per_node, plan.endpoints_per_node,
                                       [(model, len(members)) for model, members in groups.items()], options)
        self.switch_position: list[tuple[int, int]] = [(0, 0)] * len(plan.switches)
        self.switch_height = [1] * len(plan.switches)
        for g, members in enumerate(groups.values()):
            for i, s in enumerate(members):
                self.switch_position[s] = racks.switch_position(i, g)
                self.switch_height[s] = racks.switch_groups[g].u
        self.node_position = [racks.node_position(n) for n in range(plan.num_nodes)]
        self.num_racks = racks.num_racks
        self.parts: Catalog = getattr(design, "parts", None) or _active_catalog()
        switch = design.switch
        self._speed, self._layer = switch.port_speed_gbps, switch.link_layer
        self._cages = [model.ports_per_cage for model in plan.models]
        self._options_for: dict[tuple[int, int], list[CableOption]] = {}

    def _centre_m(self, u: int, height: int) -> float:
        return (u - 1 + height / 2) * RU_M

    def length_m(self, a: tuple[int, int], a_height: int, z: tuple[int, int], z_height: int) -> float:
        """Manhattan length plus slack, rounded up to stock (see the module docstring)."""
        o = self.options
        za, zz = self._centre_m(a[1], a_height), self._centre_m(z[1], z_height)
        if a[0] == z[0]:
            run = abs(za - zz)
        else:
            row_a, col_a = divmod(a[0], o.racks_per_row)
            row_z, col_z = divmod(z[0], o.racks_per_row)
            horizontal = abs(col_a - col_z) * o.rack_width_m + abs(row_a - row_z) * o.row_pitch_m
            run = max(0.0, o.rack_height_m - za) + max(0.0, o.rack_height_m - zz) + horizontal
        return stock_length_m(run + o.slack_m)

    def options_for(self, ends: tuple[int, int]) -> list[CableOption]:
        """The part classes of a link between cages of ``ends`` ports (1: a NIC), cheapest first."""
        if ends not in self._options_for:
            self._options_for[ends] = self.parts.cable_options(self._speed, self._layer, ends)
        return self._options_for[ends]

    def part_for(self, ends: tuple[int, int], length_m: float) -> CableOption:
        """The cheapest part class reaching ``length_m`` (the longest-reaching beyond every reach) between
        cages of ``ends`` ports."""
        options = self.options_for(ends)
        for option in options:
            if option.entry.reach_m >= length_m - 1e-9:
                return option
        return max(options, key=lambda o: (o.entry.reach_m, -o.price_usd))

    def planned(self, cable: Cable) -> PlannedCable:
        index = self.plan.index
        zs = index[cable.z_device]
        if cable.link_group == ENDPOINT_LINK_GROUP:
            a, a_height, a_cage = self.node_position[int(cable.a_device[5:])], self.racks.node_u, 1
        else:
            s = index[cable.a_device]
            a, a_height, a_cage = self.switch_position[s], self.switch_height[s], self._cages[s]
        z = self.switch_position[zs]
        length = self.length_m(a, a_height, z, self.switch_height[zs])
        part = self.part_for((a_cage, self._cages[zs]), length)
        return PlannedCable(*cable, part.medium, length, a[0], a[1], z[0], z[1], part.name)

    def cage_of(self, device: str) -> int:
        """Ports per cage of a switch of the plan (its model's)."""
        return self._cages[self.plan.index[device]]

    def cables(self) -> Iterator[PlannedCable]:
        planned = self.planned
        return (planned(c) for c in self.plan.cables())


def _active_catalog() -> Catalog:
    from topoctl.catalog import active

    return active()


class CableTally:
    """Cables counted by use (endpoint or switch), medium, length, speed and part class, and module ends
    per device, as an export streams them; gives the length-aware cost, power and the bill of materials
    without keeping the cables."""

    def __init__(self, cage_of: Callable[[str], int]) -> None:
        self.counts: dict[tuple[bool, str, float, float, str], int] = {}
        # (switch, part) -> link ends on it: a cage's module serves several ends of one switch
        self.module_ends: dict[tuple[str, str], int] = {}
        self.cage_of = cage_of  # ports per cage of a switch (Layout.cage_of): which module its ends take

    def add(self, cable: PlannedCable) -> None:
        endpoint = cable.link_group == ENDPOINT_LINK_GROUP
        key = (endpoint, cable.cable_class, cable.length_m, cable.speed_gbps, cable.part)
        self.counts[key] = self.counts.get(key, 0) + 1
        for device in ((cable.z_device,) if endpoint else (cable.a_device, cable.z_device)):
            ends = (device, cable.part)
            self.module_ends[ends] = self.module_ends.get(ends, 0) + 1

    def counted(self, cables: Iterator[PlannedCable]) -> Iterator[PlannedCable]:
        add = self.add
        for cable in cables:
            add(cable)
            yield cable

    def num(self, endpoint: bool, cable_class: str) -> int:
        return sum(n for (e, c, _, _, _), n in self.counts.items() if e == endpoint and c == cable_class)

    @property
    def num_cables(self) -> int:
        return sum(self.counts.values())

    def links_by_part(self) -> dict[tuple[bool, str], int]:
        """Links per (endpoint use, part class)."""
        out: dict[tuple[bool, str], int] = {}
        for (endpoint, _, _, _, part), n in self.counts.items():
            out[(endpoint, part)] = out.get((endpoint, part), 0) + n
        return out

    def switch_ends_by_part(self) -> dict[tuple[str, int], list[int]]:
        """Per part class and ports per cage, the link ends on each switch (for modules shared by a cage)."""
        out: dict[tuple[str, int], list[int]] = {}
        for (device, part), n in self.module_ends.items():
            out.setdefault((part, self.cage_of(device)), []).append(n)
        return out

    def cost(self, design: PricedDesign) -> CostBreakdown:
        """Switches plus every cable priced by its part class (see the module docstring)."""
        switches_usd = sum(count * model.price_usd for model, count in design.switches_by_model)
        if all(model.calibrated_prices for model, _ in design.switches_by_model):
            prices = design.prices
            # a transceiver per link end: a module serving N ports of a cage counts N
            lines = plan_parts(design, self).lines
            optical = sum(count * _module_ports(design.parts, line.part, name)
                          for line in lines for name, count, _, _ in line.modules)
            return CostBreakdown(
                switches_usd=switches_usd,
                endpoint_cables_usd=self.num(True, ELECTRIC) * prices.endpoint_cable_usd
                + self.num(True, OPTICAL) * prices.optical_cable_usd,
                electric_cables_usd=self.num(False, ELECTRIC) * prices.electric_cable_usd,
                optical_cables_usd=self.num(False, OPTICAL) * prices.optical_cable_usd,
                transceivers_usd=optical * prices.transceiver_usd,
            )
        cables = {"endpoint": 0.0, ELECTRIC: 0.0, OPTICAL: 0.0}
        parts = design.parts.cables
        for (endpoint, part), n in self.links_by_part().items():
            entry = parts[part]
            if entry.kind == "transceiver":
                cables["endpoint" if endpoint else OPTICAL] += n * (entry.fibre_usd or 0.0)
            else:
                cables["endpoint" if endpoint else entry.medium] += n * (entry.price_usd or 0.0)
        # each switch's modules of its own cage, whole, as the bill of materials buys them
        modules = sum(count * usd for line in plan_parts(design, self).lines for _, count, _, usd in line.modules)
        return CostBreakdown(
            switches_usd=switches_usd,
            endpoint_cables_usd=cables["endpoint"],
            electric_cables_usd=cables[ELECTRIC],
            optical_cables_usd=cables[OPTICAL],
            transceivers_usd=modules,
        )


def _module_ports(parts: Catalog, part: str, module: str) -> int:
    return next(m.ports for m in parts.cables[part].modules or () if m.name == module)


LENGTH_AWARE_METHOD = "cabling plan: each cable priced by the part class its length gives (rack layout)"


@dataclass(frozen=True)
class LengthAwareCost:
    """The length-aware cost of a design, its cables by medium, and the plan's parts and power (exact;
    ``as_dict`` rounds to cents and tenths of a watt)."""

    cost: CostBreakdown
    num_cables_by_class: dict[str, int]
    parts: PartsFigures | None = None  # the plan's parts
    method: str = LENGTH_AWARE_METHOD

    def as_dict(self) -> dict[str, Any]:
        out = {
            "cost_length_aware_usd": round(self.cost.total_usd, 2),
            "cost_length_aware_breakdown_usd": {key: round(value, 2) for key, value in self.cost.as_dict().items()},
            "cost_length_aware_method": self.method,
            "num_cables_by_class": dict(self.num_cables_by_class),
        }
        if self.parts is not None:
            out["parts_length_aware"] = self.parts.as_dict()
        return out


def length_aware_summary(design: PricedDesign, options: LayoutOptions | None = None) -> LengthAwareCost:
    """The length-aware cost beside the count-based one, for a design report (streams the plan once)."""
    budget.check("export:bom", design.counts)  # streams every cable, like the BOM
    layout = Layout(PortPlan(design), options)
    tally = CableTally(layout.cage_of)
    for cable in layout.cables():
        tally.add(cable)
    by_class = {
        ELECTRIC: tally.num(True, ELECTRIC) + tally.num(False, ELECTRIC),
        OPTICAL: tally.num(True, OPTICAL) + tally.num(False, OPTICAL),
    }
    return LengthAwareCost(tally.cost(design), by_class, plan_parts(design, tally))
