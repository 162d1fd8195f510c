"""Rack layout, cable lengths and classes, and the length-aware cost of a cabling plan.

Placement (deterministic): racks of ``rack_units`` U stand in rows of ``racks_per_row``. Nodes are
placed in order; just before a node go the switches its ports attach to that are not placed yet
(so a switch holding endpoints sits with its first nodes, top-of-rack style, and the switches of
every plane of a multi-plane node sit beside it). Switches without endpoints (the upper tiers)
follow in build order, starting on a fresh rack. Devices fill a rack from U1 upwards; one that
does not fit opens the next rack.

Length: the Slim Fly cost methodology (M. Besta, T. Hoefler, "Slim Fly: A Cost Effective Low-Diameter
Network Topology", SC 2014, Section 5) takes a cable's length as the Manhattan distance between its
racks plus slack. Here: inside one rack, the vertical distance between the two devices; between racks,
each end's run up to the overhead tray (rack height minus the device's height) plus the horizontal
Manhattan distance between the racks (``rack_width_m`` along a row, ``row_pitch_m`` between rows);
plus ``slack_m``; rounded up to the next stock length. Class: ``electric`` (DAC) up to
``electric_max_m``, ``optical`` (fibre and a transceiver at each end) beyond.

Length-aware cost: each cable priced by the class its length gives, with the price book's unit prices
(an optical endpoint cable costs an optical cable plus two transceivers; an electric one the endpoint
DAC price). The count-based cost (``topoctl.cost``) instead takes each link group's default class.

Options and their valid values (``LayoutOptions``; anything else is a SpecError naming the option and
its range): ``rack_units`` a whole number 1 to 100; ``racks_per_row`` 1 to 10,000; ``switch_u`` and
``node_u`` 1 to 100 and at most ``rack_units``; the lengths ``rack_width_m``, ``row_pitch_m``,
``rack_height_m``, ``slack_m`` and ``electric_max_m`` a number of metres, 0 to 10,000 (not inf or nan).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from math import ceil
from typing import Any, NamedTuple, Protocol

from topoctl import budget
from topoctl.catalog import PriceBook
from topoctl.cost import CostBreakdown
from topoctl.errors import SpecError, shown
from topoctl.physical.ports import ENDPOINT_LINK_GROUP, Cable, PlannedDesign, PortPlan
from topoctl.topologies.base import ELECTRIC, OPTICAL

__all__ = [
    "LayoutOptions",
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
WHOLE_NUMBER_RANGES = {"rack_units": (1, 100), "racks_per_row": (1, 10_000), "switch_u": (1, 100), "node_u": (1, 100)}
LENGTH_OPTIONS = ("rack_width_m", "row_pitch_m", "rack_height_m", "slack_m", "electric_max_m")
MAX_LENGTH_M = 10_000.0


@dataclass(frozen=True)
class LayoutOptions:
    """Rack and cable assumptions; all configurable, defaults are typical, not quoted."""

    rack_units: int = 42
    racks_per_row: int = 16
    switch_u: int = 1
    node_u: int = 2
    rack_width_m: float = 0.6
    row_pitch_m: float = 2.4  # rack depth plus aisle
    rack_height_m: float = 2.0  # overhead tray height
    slack_m: float = 1.0
    electric_max_m: float = 3.0  # passive 400G DAC reach

    def __post_init__(self) -> None:
        for name, (low, high) in WHOLE_NUMBER_RANGES.items():
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise SpecError(f"must be a whole number from {low} to {high:,} (got {shown(value)})", path=name)
        for name in LENGTH_OPTIONS:
            value = getattr(self, name)
            # nan fails both comparisons, inf the upper one; a huge int compares exactly
            if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= MAX_LENGTH_M:
                raise SpecError(f"must be a length in metres, 0 to 10000 (got {shown(value)})", path=name)
        for name in ("switch_u", "node_u"):
            if getattr(self, name) > self.rack_units:
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


class PricedDesign(PlannedDesign, Protocol):
    """A design with its price book, as the length-aware cost needs it."""

    @property
    def prices(self) -> PriceBook: ...


class PlannedCable(NamedTuple):
    """A cable with its length, class and the rack positions of both ends."""

    label: str
    a_device: str
    a_port: str
    z_device: str
    z_port: str
    link_group: str
    speed_gbps: float
    cable_class: str
    length_m: float
    a_rack: int
    a_u: int
    z_rack: int
    z_u: int


class Layout:
    """Rack positions of every device of a port plan, and the planned cables."""

    def __init__(self, plan: PortPlan, options: LayoutOptions | None = None) -> None:
        self.plan = plan
        self.options = options = options or LayoutOptions()
        num_switches = len(plan.switches)
        # Switches hosting endpoints, keyed by the first node attached to them.
        hosted_by_first_node: dict[int, list[int]] = {}
        seen = bytearray(num_switches)
        for s, _, n, _ in plan.attachments():
            if not seen[s]:
                seen[s] = 1
                hosted_by_first_node.setdefault(n, []).append(s)
        self.switch_position: list[tuple[int, int]] = [(0, 0)] * num_switches
        self.node_position: list[tuple[int, int]] = [(0, 0)] * plan.num_nodes
        rack, used = 0, 0

        def place(height: int) -> tuple[int, int]:
            nonlocal rack, used
            if used + height > options.rack_units:
                rack, used = rack + 1, 0
            position = (rack, used + 1)
            used += height
            return position

        for n in range(plan.num_nodes):
            for s in hosted_by_first_node.get(n, ()):
                self.switch_position[s] = place(options.switch_u)
            self.node_position[n] = place(options.node_u)
        if used:
            rack, used = rack + 1, 0
        for s in range(num_switches):
            if not seen[s]:
                self.switch_position[s] = place(options.switch_u)
        self.num_racks = rack + (1 if used else 0)

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

    def planned(self, cable: Cable) -> PlannedCable:
        o = self.options
        if cable.link_group == ENDPOINT_LINK_GROUP:
            a, a_height = self.node_position[int(cable.a_device[5:])], o.node_u
        else:
            a, a_height = self.switch_position[self.plan.index[cable.a_device]], o.switch_u
        z = self.switch_position[self.plan.index[cable.z_device]]
        length = self.length_m(a, a_height, z, o.switch_u)
        cable_class = ELECTRIC if length <= o.electric_max_m else OPTICAL
        return PlannedCable(*cable, cable_class, length, a[0], a[1], z[0], z[1])

    def cables(self) -> Iterator[PlannedCable]:
        planned = self.planned
        return (planned(c) for c in self.plan.cables())


class CableTally:
    """Cables counted by use (endpoint or switch), class, length and speed, as an export streams
    them; gives the length-aware cost and the bill of materials without keeping the cables."""

    def __init__(self) -> None:
        self.counts: dict[tuple[bool, str, float, float], int] = {}

    def add(self, cable: PlannedCable) -> None:
        key = (cable.link_group == ENDPOINT_LINK_GROUP, cable.cable_class, cable.length_m, cable.speed_gbps)
        self.counts[key] = self.counts.get(key, 0) + 1

    def counted(self, cables: Iterator[PlannedCable]) -> Iterator[PlannedCable]:
        add = self.add
        for cable in cables:
            add(cable)
            yield cable

    def num(self, endpoint: bool, cable_class: str) -> int:
        return sum(n for (e, c, _, _), n in self.counts.items() if e == endpoint and c == cable_class)

    @property
    def num_cables(self) -> int:
        return sum(self.counts.values())

    def cost(self, design: PricedDesign) -> CostBreakdown:
        """Switches plus every cable priced by its length's class (see the module docstring)."""
        prices = design.prices
        optical = self.num(True, OPTICAL) + self.num(False, OPTICAL)
        return CostBreakdown(
            switches_usd=design.counts.num_switches * design.switch.price_usd,
            endpoint_cables_usd=self.num(True, ELECTRIC) * prices.endpoint_cable_usd
            + self.num(True, OPTICAL) * prices.optical_cable_usd,
            electric_cables_usd=self.num(False, ELECTRIC) * prices.electric_cable_usd,
            optical_cables_usd=self.num(False, OPTICAL) * prices.optical_cable_usd,
            transceivers_usd=optical * 2 * prices.transceiver_usd,
        )


LENGTH_AWARE_METHOD = "cabling plan: each cable priced by the class its length gives (rack layout)"


@dataclass(frozen=True)
class LengthAwareCost:
    """The length-aware cost of a design and its cables by class (exact; ``as_dict`` rounds to cents)."""

    cost: CostBreakdown
    num_cables_by_class: dict[str, int]
    method: str = LENGTH_AWARE_METHOD

    def as_dict(self) -> dict[str, Any]:
        return {
            "cost_length_aware_usd": round(self.cost.total_usd, 2),
            "cost_length_aware_breakdown_usd": {key: round(value, 2) for key, value in self.cost.as_dict().items()},
            "cost_length_aware_method": self.method,
            "num_cables_by_class": dict(self.num_cables_by_class),
        }


def length_aware_summary(design: PricedDesign, options: LayoutOptions | None = None) -> LengthAwareCost:
    """The length-aware cost beside the count-based one, for a design report (streams the plan once)."""
    budget.check("export:bom", design.counts)  # streams every cable, like the BOM
    tally = CableTally()
    for cable in Layout(PortPlan(design), options).cables():
        tally.add(cable)
    by_class = {
        ELECTRIC: tally.num(True, ELECTRIC) + tally.num(False, ELECTRIC),
        OPTICAL: tally.num(True, OPTICAL) + tally.num(False, OPTICAL),
    }
    return LengthAwareCost(tally.cost(design), by_class)
